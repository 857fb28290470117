"""Table 4 ablations: each builds, runs, trains, and differs from CDTNet-256 in exactly the described way."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import cdtnet.ablations
from cdtnet.ablations import ABLATIONS
from harmbench.factory import create_method
from harmbench.registry import get_method, list_methods

FULL = 2_744_400
ENCODER = 1_174_080
REFINE_CONV_WIDTH = 64 * 9  # parameters per refinement input channel


def full_size(name):
    return create_method(name)


def count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_registered_and_documented():
    assert set(list_methods("cdtnet-256-ablate-*")) == set(ABLATIONS) and len(ABLATIONS) == 9
    for name in ABLATIONS:
        assert name in cdtnet.ablations.__doc__
        assert get_method(name).family == "cdtnet"


def test_structure_and_parameter_counts():
    pixel = full_size("cdtnet-256-ablate-pixel-only")
    assert pixel.lut is None and pixel.refine is None and count(pixel) == 2_185_340
    rgb = full_size("cdtnet-256-ablate-rgb-only")
    assert rgb.refine is None and rgb.lut.encoder is None and count(rgb) == FULL - 59_972
    separate = full_size("cdtnet-256-ablate-separate-encoder")
    assert separate.lut.encoder is not None and count(separate) == count(rgb) + ENCODER
    global_pool = full_size("cdtnet-256-ablate-global-pool")
    assert global_pool.lut.classifier.fc.in_channels == 256 and count(global_pool) == count(rgb) - 256 * 4
    for what, removed in [("lut", 3), ("base", 3), ("mask", 1), ("feature", 32)]:
        model = full_size(f"cdtnet-256-ablate-no-{what}-input")
        assert model.refine.block[0].in_channels == 39 - removed
        assert count(model) == FULL - removed * REFINE_CONV_WIDTH
    no_blend = full_size("cdtnet-256-ablate-no-blending")
    assert no_blend.refine.conv_attention is None and count(no_blend) == FULL - 65


def random_inputs(batch=2, height=24, width=40):
    torch.manual_seed(3)
    composite = torch.rand(batch, 3, height, width)
    mask = torch.zeros(batch, 1, height, width)
    mask[..., 6:18, 8:20] = 1.0
    return composite, mask


@pytest.mark.parametrize("name", ABLATIONS)
def test_runs_trains_and_keeps_background_when_it_blends(name):
    torch.manual_seed(0)
    model = create_method(name, tiny=True)
    composite, mask = random_inputs()
    with torch.inference_mode():
        out = model(composite, mask)
    assert out["images"].shape == composite.shape and torch.isfinite(out["images"]).all()
    if get_method(name).blends:
        background = (mask == 0).expand_as(composite)
        assert torch.equal(out["images"][background], composite[background])
    model.train()
    out = model(composite, mask)
    batch = {"composite": composite, "target": (composite * 0.9).detach(), "mask": mask}
    sum(model.training_losses(batch, out).values()).backward()
    for parameter in model.trainable_parameters():
        assert parameter.grad is not None


def test_output_definitions():
    composite, mask = random_inputs()
    torch.manual_seed(0)
    pixel = create_method("cdtnet-256-ablate-pixel-only", tiny=True)
    with torch.inference_mode():
        out = pixel(composite, mask)
    assert set(out) == {"images", "base_images"}
    assert torch.allclose(out["images"], F.interpolate(out["base_images"], size=(24, 40), mode="bilinear"),
                          atol=1e-5)
    for name in ("cdtnet-256-ablate-rgb-only", "cdtnet-256-ablate-separate-encoder",
                 "cdtnet-256-ablate-global-pool"):
        model = create_method(name, tiny=True)
        with torch.inference_mode():
            out = model(composite, mask)
        assert set(out) == {"images", "lut_images"} and out["images"] is out["lut_images"]


def test_separate_encoder_replaces_the_shared_one():
    model = create_method("cdtnet-256-ablate-separate-encoder", tiny=True)
    ran = []
    model.encoder.register_forward_hook(lambda *_: ran.append("shared"))
    model.lut.encoder.register_forward_hook(lambda *_: ran.append("separate"))
    with torch.inference_mode():
        model(*random_inputs())
    assert ran == ["separate"]
    assert any(p is q for p in model.trainable_parameters() for q in model.lut.encoder.parameters())


def test_refinement_ablations_use_fewer_inputs():
    torch.manual_seed(0)
    full = create_method("cdtnet-256", tiny=True)
    composite, mask = random_inputs()
    seen = {}
    for name in ("cdtnet-256-ablate-no-mask-input", "cdtnet-256-ablate-no-feature-input"):
        model = create_method(name, tiny=True)
        model.refine.block[0].register_forward_hook(lambda module, args, _, name=name: seen.update({name: args[0]}))
        with torch.inference_mode():
            model(composite, mask)
    assert seen["cdtnet-256-ablate-no-mask-input"].shape[1] == full.refine.block[0].in_channels - 1
    assert seen["cdtnet-256-ablate-no-feature-input"].shape[1] == 7
