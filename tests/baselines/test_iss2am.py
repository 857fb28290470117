"""iS²AM / iSSAM: parameter count, official key names, the fixture's low-res output, padding, blending, training."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from harmbench.factory import create_method
from harmbench.registry import MethodError, get_method

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cdtnet_official_format_seed1.pt"  # see its README
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


@pytest.fixture(scope="module")
def fixture():
    return torch.load(FIXTURE, weights_only=True)


def base_part(state_dict):
    return {k: v for k, v in state_dict.items() if k.startswith(("encoder.", "decoder."))}


def test_parameter_count_and_metadata():
    model = create_method("iss2am")
    assert sum(p.numel() for p in model.parameters()) == 2_185_340
    info = get_method("iss2am")
    assert info.family == "iss2am" and info.official_weights == "issam256.pth" and info.convert_official is None
    assert not info.blends


def test_fixture_base_images_from_the_encoder_decoder_weights(fixture, tmp_path):
    torch.save(base_part(fixture["state_dict"]), tmp_path / "issam.pth")
    model = create_method("iss2am", weights=tmp_path / "issam.pth")
    assert set(model.state_dict()) == set(base_part(fixture["state_dict"]))
    size = fixture["base_images"].shape[-2:]
    composite = F.interpolate(fixture["composite"], size=size, mode="bilinear", align_corners=False)
    mask = F.interpolate(fixture["mask"], size=size, mode="bilinear", align_corners=False)
    with torch.inference_mode():
        images = model(composite, mask)["images"]
    error = (images - fixture["base_images"]).abs().max().item()
    assert error < 1e-4, f"max abs error {error:.2e}"


def test_full_cdtnet_checkpoint_is_rejected_with_its_keys(fixture, tmp_path):
    torch.save(fixture["state_dict"], tmp_path / "cdtnet.pth")
    with pytest.raises(MethodError, match=r"unexpected keys: lut\.LUT0\.LUT"):
        create_method("iss2am", weights=tmp_path / "cdtnet.pth")


def tiny_model():
    torch.manual_seed(0)
    return create_method("iss2am", tiny=True)


def test_any_size_via_symmetric_zero_padding():
    model = tiny_model()  # depth 3: the official predictor pads to a multiple of 2^(3+1) = 16
    torch.manual_seed(1)
    composite, mask = torch.rand(1, 3, 50, 70), (torch.rand(1, 1, 50, 70) > 0.5).float()
    with torch.inference_mode():
        images = model(composite, mask)["images"]
        padded = model(F.pad(composite, (5, 5, 7, 7)), F.pad(mask, (5, 5, 7, 7)))["images"]
    assert images.shape == composite.shape
    assert torch.allclose(images, padded[..., 7:57, 5:75], atol=1e-5)


def test_blending_layer():
    model = tiny_model()
    composite, mask = torch.rand(1, 3, 32, 48), torch.ones(1, 1, 32, 48)
    with torch.no_grad():
        model.decoder.conv_attention.weight.zero_()
        model.decoder.conv_attention.bias.fill_(30.0)
        assert torch.allclose(model(composite, mask)["images"], composite, atol=1e-5)


def test_batch_of_two_equals_two_batches_of_one():
    model = tiny_model()
    composite, mask = torch.rand(2, 3, 32, 32), (torch.rand(2, 1, 32, 32) > 0.5).float()
    with torch.inference_mode():
        together = model(composite, mask)["images"]
        for b in range(2):
            assert torch.allclose(together[b:b + 1], model(composite[b:b + 1], mask[b:b + 1])["images"], atol=1e-5)


def test_training_loss_and_gradients():
    model = tiny_model().train()
    composite = torch.rand(2, 3, 32, 32)
    mask = torch.zeros(2, 1, 32, 32)
    mask[..., 8:24, 8:24] = 1.0
    out = model(composite, mask)
    losses = model.training_losses({"composite": composite, "target": composite, "mask": mask}, out)
    sum(losses.values()).backward()
    for name, parameter in model.named_parameters():
        assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name
    # normalised space, min_area 1000: an error of 0.1 on channel 0 everywhere, mask area 256 -> denominator 3000
    target = torch.rand(1, 3, 32, 32)
    pred = target.clone()
    pred[:, 0] += 0.1
    value = model.training_losses({"target": target, "mask": mask[:1]}, {"images": pred})["pixel_loss"]
    assert value.item() == pytest.approx((0.1 / STD[0, 0, 0, 0].item()) ** 2 * 1024 / 3000, rel=1e-4)


def test_train_recipe():
    recipe = tiny_model().train_recipe()
    assert (recipe.lr, recipe.epochs, tuple(recipe.milestones), recipe.gamma, recipe.batch_size) == (
        1e-3, 120, (105, 115), 0.1, 16)
