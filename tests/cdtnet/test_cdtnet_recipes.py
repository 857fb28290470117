"""CDTNet's training recipes ("code" vs "paper") and the (sim) variants trained as the full model."""

import pytest
import torch

from cdtnet.model import RECIPES, CDTNet
from harmbench.checkpoints import save_checkpoint
from harmbench.data import make_synthetic
from harmbench.factory import create_method
from harmbench.registry import MethodError, get_method
from harmbench.train import train

PARTS = ("encoder.", "decoder.", "lut.", "refine.")


def tiny(name="cdtnet-256", **overrides) -> CDTNet:
    torch.manual_seed(0)
    return create_method(name, tiny=True, **overrides)


def batch(seed=0):
    generator = torch.Generator().manual_seed(seed)
    composite = torch.rand(2, 3, 24, 40, generator=generator)
    mask = torch.zeros(2, 1, 24, 40)
    mask[..., 6:18, 10:30] = 1
    return {"composite": composite, "target": (composite * 0.8 + 0.15 * mask).clamp(0, 1), "mask": mask}


@pytest.mark.parametrize("recipe,expected", [("code", ("mse", False, False, 1e-3)),
                                             ("paper", ("l1", True, True, 1e-4))])
def test_recipe_sets_defaults_and_explicit_fields_win(recipe, expected):
    model = tiny(recipe=recipe)
    config = model.config
    assert (config.loss, config.lut_clamp, config.finetune_base, model.train_recipe().lr) == expected
    assert model.training_notes()[0].startswith(f"CDTNet recipe '{recipe}': loss {expected[0]}")
    overridden = tiny(recipe=recipe, loss="l1" if expected[0] == "mse" else "mse", lut_clamp=not expected[1])
    assert overridden.config.loss != expected[0] and overridden.config.lut_clamp is not expected[1]
    assert overridden.config.finetune_base is expected[2] and overridden.train_recipe().lr == expected[3]
    assert RECIPES[recipe]["lr"] == expected[3]


def test_unknown_recipe_is_one_clear_error():
    with pytest.raises(MethodError, match="recipe='papers'; choose one of code, paper"):
        tiny(recipe="papers")


def test_paper_recipe_clips_lut_outputs_and_code_does_not():
    """Every basis LUT maps to 2, so the fused LUT maps far outside [0, 1]: the paper clips, the code does not."""
    outputs = {}
    for recipe in ("code", "paper"):
        model = tiny(recipe=recipe).eval()
        with torch.no_grad():
            for name, parameter in model.lut.named_parameters():
                if name.endswith("LUT"):
                    parameter.fill_(2.0)
            outputs[recipe] = model(batch()["composite"], batch()["mask"])["lut_images"]
    foreground = batch()["mask"].expand_as(outputs["code"]) > 0
    assert outputs["code"][foreground].min() > 1 and torch.equal(outputs["paper"][foreground],
                                                                 torch.ones_like(outputs["paper"][foreground]))


def test_resolved_recipe_round_trips_through_checkpoints(tmp_path):
    model = tiny(recipe="paper", lut_clamp=False)  # a paper run with the code's value for one field
    save_checkpoint(tmp_path / "c.pt", model, get_method("cdtnet-256"))
    loaded = create_method("cdtnet-256", tiny=True, weights=tmp_path / "c.pt")
    assert (loaded.config.recipe, loaded.config.loss, loaded.config.lut_clamp, loaded.config.finetune_base) == (
        "paper", "l1", False, True)


def test_frozen_generator_logs_no_l_pix_and_fine_tuned_one_does():
    data = batch()
    for recipe, has_base in (("code", False), ("paper", True)):
        model = tiny(recipe=recipe).train()
        losses = model.training_losses(data, model(data["composite"], data["mask"]))
        assert ("base_pixel_loss" in losses) is has_base
        assert any("L_pix" in note for note in model.training_notes()) is not has_base


@pytest.mark.parametrize("recipe", ["code", "paper"])
def test_sim_trains_the_full_model_and_infers_lut_only(recipe):
    """Training a sim name minimises the full model's losses and updates every trainable part of the full model:
    LUT branch and refinement, and with the paper recipe (finetune_base) the encoder and decoder too; with the
    code recipe the frozen generator keeps its initial weights."""
    model = tiny("cdtnet-256-sim", recipe=recipe).train()
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    full_parameters = {id(p) for p in tiny(recipe=recipe).trainable_parameters()}
    assert len(model.trainable_parameters()) == len(full_parameters)
    optimiser = torch.optim.Adam(model.trainable_parameters(), lr=1e-3)
    data = batch()
    for _ in range(2):
        out = model(data["composite"], data["mask"])
        losses = model.training_losses(data, out)
        optimiser.zero_grad()
        sum(losses.values()).backward()
        optimiser.step()
    assert set(losses) == {"pixel_loss", "lut_loss"} | ({"base_pixel_loss"} if recipe == "paper" else set())
    assert not torch.equal(out["images"], out["lut_images"])  # the refined output is what pixel_loss saw
    trained = set(PARTS) if recipe == "paper" else {"lut.", "refine."}
    state = model.state_dict()
    for part in PARTS:
        changed = any(not torch.equal(initial[k], v) for k, v in state.items() if k.startswith(part))
        assert changed is (part in trained), part
    for name, parameter in model.named_parameters():
        if name.startswith(tuple(trained)):
            assert not torch.equal(initial[name], parameter.detach()), name
    model.eval()
    with torch.no_grad():
        out = model(data["composite"], data["mask"])
    assert set(out) == {"images", "lut_images"} and torch.equal(out["images"], out["lut_images"])


def test_train_command_on_a_sim_name_gives_a_changed_full_model(tmp_path):
    data = make_synthetic(tmp_path / "synthetic", size=48, n_train=2, n_test=1)
    checkpoint = train("cdtnet-256-sim", 32, data=data, out=tmp_path / "run", epochs=1, batch_size=2, tiny=True,
                       val_limit=0, progress=False, overrides={"recipe": "paper"})
    full = create_method("cdtnet-256", weights=checkpoint)
    initial = tiny("cdtnet-256", recipe="paper").state_dict()  # train() seeds the initial weights with seed 0
    for part in PARTS:
        assert any(not torch.equal(initial[k], v) for k, v in full.state_dict().items() if k.startswith(part)), part
    assert full.config.recipe == "paper" and full.config.mode == "full"
