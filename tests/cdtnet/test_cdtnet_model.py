"""CDTNet: the official-format fixture, parameter counts, outputs, batches, shapes, gradients, losses, weights."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from cdtnet.model import CDTNet, CDTNetConfig, load_base_weights
from harmbench.checkpoints import save_checkpoint
from harmbench.factory import create_method
from harmbench.layers.attention_unet import MaskBlurring, mask_weighted_mse
from harmbench.registry import MethodError, get_method

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cdtnet_official_format_seed1.pt"  # see its README


@pytest.fixture(scope="module")
def fixture():
    return torch.load(FIXTURE, weights_only=True)


def count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def tiny(name="cdtnet-256", **overrides) -> CDTNet:
    torch.manual_seed(0)
    model = create_method(name, tiny=True, **overrides)
    with torch.no_grad():  # non-trivial LUTs and BN statistics, so every path shows up in the outputs
        for k in range(model.config.n_lut):
            getattr(model.lut, f"LUT{k}").LUT.add_(0.1 * torch.randn_like(getattr(model.lut, f"LUT{k}").LUT))
    return model


def inputs(batch=1, height=24, width=40, seed=1):
    generator = torch.Generator().manual_seed(seed)
    composite = torch.rand(batch, 3, height, width, generator=generator)
    mask = torch.zeros(batch, 1, height, width)
    mask[..., height // 4: 3 * height // 4, width // 5: width // 2] = 1.0
    return composite, mask


def test_fixture_reproduces_all_three_outputs(fixture):
    model = create_method("cdtnet-256", weights=FIXTURE, lr_size=fixture["lr"])
    with torch.inference_mode():
        out = model(fixture["composite"], fixture["mask"])
    for key in ("images", "lut_images", "base_images"):
        assert out[key].shape == fixture[key].shape
        error = (out[key] - fixture[key]).abs().max().item()
        assert error < 1e-4, f"{key}: max abs error {error:.2e}"


def test_fixture_blur_kernel_is_loaded_not_regenerated(fixture):
    model = create_method("cdtnet-256", weights=FIXTURE, lr_size=fixture["lr"])
    key = "decoder.up_blocks.2.attention.mask_blurring.weight"
    assert torch.equal(model.state_dict()[key], fixture["state_dict"][key])
    with torch.no_grad():  # the fixture's kernel is not a Gaussian, so regenerating it would be visible
        model.decoder.up_blocks[2].attention.mask_blurring.weight.copy_(MaskBlurring().weight)
        out = model(fixture["composite"], fixture["mask"])
    assert (out["base_images"] - fixture["base_images"]).abs().max() > 1e-3


def test_fixture_sim_variant_returns_lut_images_without_decoder_or_refinement(fixture):
    model = create_method("cdtnet-256-sim", weights=FIXTURE, lr_size=fixture["lr"])
    ran = []
    model.decoder.register_forward_hook(lambda *_: ran.append("decoder"))
    model.refine.register_forward_hook(lambda *_: ran.append("refine"))
    with torch.inference_mode():
        out = model(fixture["composite"], fixture["mask"])
    assert ran == [] and set(out) == {"images", "lut_images"}
    assert (out["images"] - fixture["lut_images"]).abs().max() < 1e-4


def test_parameter_counts_and_official_key_names(fixture):
    model = create_method("cdtnet-256")
    assert count(model) == 2_744_400
    assert count(model.encoder) + count(model.decoder) == 2_185_340
    assert count(model.lut) == 499_088
    assert count(model.refine) == 59_972
    assert count(create_method("cdtnet-512")) == 2_744_400
    official = fixture["state_dict"]
    own = model.state_dict()
    assert set(own) == set(official) and len(own) == 139
    assert all(own[k].shape == official[k].shape for k in own)


def test_registry_metadata():
    for name, lr, blends in [("cdtnet-256", 256, False), ("cdtnet-512", 512, False), ("cdtnet-256-sim", 256, True),
                             ("cdtnet-512-sim", 512, True)]:
        info = get_method(name)
        assert info.family == "cdtnet" and info.native_size == lr and info.blends is blends
        assert info.make_config().lr_size == lr
    assert get_method("cdtnet-512").official_weights == "HAdobe5k_2048.pth"
    assert create_method("cdtnet-256", tiny=True, lr_size=32).config.lr_size == 32


def test_outputs_and_scales():
    model = tiny().eval()
    composite, mask = inputs()
    with torch.inference_mode():
        out = model(composite, mask)
    assert list(out) == ["images", "lut_images", "base_images"]
    assert out["images"].shape == out["lut_images"].shape == composite.shape
    assert out["base_images"].shape == (1, 3, 16, 16)
    # the low-res blending layer mixes with the downsampled composite: base_images is on the [0,1] scale
    low = F.interpolate(composite, size=(16, 16), mode="bilinear", align_corners=False)
    with torch.no_grad():
        model.decoder.conv_attention.bias.fill_(30.0)
        assert torch.allclose(model(composite, mask)["base_images"], low, atol=1e-5)


def test_lut_branch_keeps_background_exactly():
    model = tiny().eval()
    composite, mask = inputs(batch=2)
    mask[1, :, :5, :] = 0.5  # soft edge
    with torch.inference_mode():
        lut_images = model(composite, mask)["lut_images"]
    background = (mask == 0).expand_as(composite)
    assert torch.equal(lut_images[background], composite[background])
    assert not torch.allclose(lut_images[~background], composite[~background])


def test_refinement_blending_layer():
    model = tiny().eval()
    composite, mask = inputs()
    with torch.no_grad():
        model.refine.conv_attention.weight.zero_()
        model.refine.conv_attention.bias.fill_(30.0)  # A = 1: the composite
        assert torch.allclose(model(composite, mask)["images"], composite, atol=1e-5)
        model.refine.conv_attention.bias.fill_(0.0)  # A = 1/2: the mean of composite and to_rgb
        half = model(composite, mask)["images"]
        model.refine.conv_attention.bias.fill_(-30.0)  # A = 0: to_rgb only
        rgb = model(composite, mask)["images"]
    assert torch.allclose(half, (composite + rgb) / 2, atol=1e-5)


def test_batch_of_two_equals_two_batches_of_one():
    model = tiny().eval()
    composite, mask = inputs(batch=2)
    mask[1] = torch.flip(mask[1], dims=(-1,))
    with torch.inference_mode():
        together = model(composite, mask)
        for b in range(2):
            alone = model(composite[b:b + 1], mask[b:b + 1])
            for key, value in alone.items():
                assert torch.allclose(together[key][b:b + 1], value, atol=1e-5), key


@pytest.mark.parametrize("name", ["cdtnet-256", "cdtnet-256-sim"])
def test_non_square_input(name):
    model = tiny(name).eval()
    composite, mask = inputs(height=96, width=160)
    with torch.inference_mode():
        out = model(composite, mask)
    assert out["images"].shape == (1, 3, 96, 160) and torch.isfinite(out["images"]).all()


def test_default_size_model_on_non_square_input():
    model = create_method("cdtnet-256", lr_size=64)
    composite, mask = inputs(height=96, width=160)
    with torch.inference_mode():
        out = model(composite, mask)
    assert out["images"].shape == (1, 3, 96, 160) and out["base_images"].shape == (1, 3, 64, 64)


@pytest.mark.parametrize("finetune_base", [False, True])
def test_gradients_reach_every_trainable_parameter(finetune_base):
    model = tiny(finetune_base=finetune_base).train()
    assert model.encoder.training is finetune_base  # a frozen base keeps its BN statistics
    composite, mask = inputs(batch=2)
    target = (composite + 0.1 * mask).clamp(0, 1)
    out = model(composite, mask)
    losses = model.training_losses({"composite": composite, "target": target, "mask": mask}, out)
    sum(losses.values()).backward()
    # a frozen base's L_pix gets no gradient, so it is not returned as a loss being minimised
    assert set(losses) == {"pixel_loss", "lut_loss"} | ({"base_pixel_loss"} if finetune_base else set())
    assert any("L_pix" in note for note in model.training_notes()) is not finetune_base
    trainable = {id(p) for p in model.trainable_parameters()}
    for name, parameter in model.named_parameters():
        is_base = name.startswith(("encoder.", "decoder."))
        assert (id(parameter) in trainable) == (finetune_base or not is_base), name
        if id(parameter) in trainable:
            assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name
        else:
            assert parameter.grad is None and not parameter.requires_grad, name


def test_tiny_forward_and_backward_are_fast():
    model = tiny(finetune_base=True).train()
    composite, mask = inputs(batch=2)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the model's cost, not OpenMP waiting on cores other processes hold
    try:
        start = time.perf_counter()
        out = model(composite, mask)
        sum(model.training_losses({"composite": composite, "target": composite, "mask": mask}, out).values()).backward()
        elapsed = time.perf_counter() - start
    finally:
        torch.set_num_threads(threads)
    assert elapsed < 1.0


def test_losses_follow_the_recipe():
    model = tiny(finetune_base=True).train()
    composite, mask = inputs()
    target = composite.clone()
    out = {"images": target.clone(), "lut_images": target + 0.1,
           "base_images": F.interpolate(target, size=(16, 16), mode="bilinear", align_corners=False)}
    losses = model.training_losses({"composite": composite, "target": target, "mask": mask}, out)
    assert losses["pixel_loss"] == 0 and losses["base_pixel_loss"].abs() < 1e-12
    area = mask.sum().item()  # 12 x 12 = 144 > min_area 100
    expected = 0.01 * 3 * 24 * 40 / (3 * area)
    assert losses["lut_loss"].item() == pytest.approx(expected, rel=1e-5)
    small = torch.zeros_like(mask)
    small[..., 0, :5] = 1  # area 5 < 100
    assert mask_weighted_mse(target + 0.1, target, small, 100.0).item() == pytest.approx(0.01 * 24 * 40 / 100, rel=1e-5)
    l1 = tiny(loss="l1").training_losses({"composite": composite, "target": target, "mask": mask}, out)
    assert l1["lut_loss"].item() == pytest.approx(0.1, rel=1e-5)


def test_train_recipe():
    recipe = tiny().train_recipe()
    assert (recipe.lr, recipe.epochs, tuple(recipe.milestones), recipe.gamma, recipe.batch_size) == (
        1e-3, 120, (50, 100), 0.1, 4)
    assert create_method("cdtnet-512", tiny=True, lr_size=512).train_recipe().batch_size == 2


def test_base_weights_load_and_wrong_checkpoints_are_listed(tmp_path):
    model = tiny()
    base = create_method("iss2am", tiny=True)
    torch.save(base.state_dict(), tmp_path / "issam.pth")
    load_base_weights(model, tmp_path / "issam.pth")
    for key, value in base.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
    with pytest.raises(MethodError, match=r"missing keys: lut\.LUT0\.LUT"):
        create_method("cdtnet-256", tiny=True, weights=tmp_path / "issam.pth")
    torch.save(model.state_dict(), tmp_path / "full.pth")
    with pytest.raises(MethodError, match=r"unexpected keys: lut\.LUT0\.LUT"):
        load_base_weights(model, tmp_path / "full.pth")
    with pytest.raises(MethodError, match="shape mismatch"):
        create_method("cdtnet-256", tiny=True, ch=16, weights=tmp_path / "full.pth")


def test_base_weights_config_field_loads_at_build(tmp_path):
    torch.manual_seed(1)
    base = create_method("iss2am", tiny=True)
    save_checkpoint(tmp_path / "iss2am.pth", base, get_method("iss2am"))  # a harmbench checkpoint
    torch.save(base.state_dict(), tmp_path / "issam256.pth")  # an official raw state_dict
    for path in (tmp_path / "iss2am.pth", tmp_path / "issam256.pth"):
        model = create_method("cdtnet-256", tiny=True, base_weights=path)
        assert model.config.base_weights == str(path)  # a plain string, as checkpoint configs need
        for key, value in base.state_dict().items():
            assert torch.equal(model.state_dict()[key], value), key
    fresh = tiny()
    assert not torch.equal(fresh.encoder.block0.convs.block[0].block[0].weight,
                           base.encoder.block0.convs.block[0].block[0].weight)
    torch.save(fresh.state_dict(), tmp_path / "full.pth")
    with pytest.raises(MethodError, match=r"full\.pth: does not fit method 'iss2am' \(unexpected keys: lut\.LUT0"):
        create_method("cdtnet-256", tiny=True, base_weights=str(tmp_path / "full.pth"))
    with pytest.raises(MethodError, match="weights file not found"):
        create_method("cdtnet-256", tiny=True, base_weights=str(tmp_path / "absent.pth"))
    init_only = {f.name for f in dataclasses.fields(CDTNetConfig) if f.metadata.get("init_only")}
    assert init_only == {"base_weights"}


@pytest.mark.parametrize("name", ["cdtnet-256", "cdtnet-256-sim", "cdtnet-256-ablate-pixel-only"])
def test_paper_accounting_adds_one_output_per_basis_lut(name):
    model = create_method(name, tiny=True)
    accounting = model.paper_accounting(96, 160)
    lut_count = 0 if model.config.mode == "pixel-only" else model.config.n_lut
    assert accounting.extra_outputs == [(3, 96, 160)] * lut_count
    assert accounting.exclude == ()


def test_bad_configs_raise_method_errors():
    for overrides in (dict(mode="fast"), dict(lr_size=18), dict(refine_inputs=("rgb",)), dict(lut_pooling="max")):
        with pytest.raises(MethodError):
            create_method("cdtnet-256", tiny=True, **overrides)
    assert create_method("cdtnet-256", tiny=True, refine_inputs="lut, mask").refine.inputs == ("lut", "mask")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_matches_cpu():
    model = tiny().eval()
    composite, mask = inputs(batch=2, height=48, width=80)
    with torch.inference_mode():
        cpu = model(composite, mask)
        gpu = model.cuda()(composite.cuda(), mask.cuda())
    for key in cpu:
        assert torch.allclose(cpu[key], gpu[key].cpu(), atol=1e-4), key
