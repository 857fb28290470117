"""Training-free references against independent implementations (scikit-image colour and histogram code)."""

import numpy as np
import pytest
import torch
from skimage import color, data, exposure

import harmbench
from baselines.classical import lab_to_rgb, rgb_to_lab


@pytest.fixture
def photo_and_mask():
    rgb = data.astronaut()[::4, ::4].astype(np.float32) / 255  # 128 x 128
    mask = np.zeros(rgb.shape[:2], np.float32)
    mask[30:90, 40:100] = 1
    composite = rgb.copy()
    composite[mask > 0] = np.clip(composite[mask > 0] * np.array([1.3, 0.9, 0.7]), 0, 1)  # a colour cast
    to_t = lambda a: torch.from_numpy(a).permute(2, 0, 1)[None]  # noqa: E731
    return to_t(composite), torch.from_numpy(mask)[None, None], composite, mask


def test_lab_matches_skimage():
    rgb = np.random.default_rng(0).random((16, 24, 3)).astype(np.float32)
    ours = rgb_to_lab(torch.from_numpy(rgb).permute(2, 0, 1)[None])[0].permute(1, 2, 0).numpy()
    assert np.abs(ours - color.rgb2lab(rgb)).max() < 1e-2  # constants differ in the 4th digit
    back = lab_to_rgb(torch.from_numpy(ours).permute(2, 0, 1)[None])[0].permute(1, 2, 0).numpy()
    assert np.abs(back - rgb).max() < 1e-4


def test_composite_is_identity(photo_and_mask):
    composite, mask, _, _ = photo_and_mask
    assert torch.equal(harmbench.create_method("composite")(composite, mask)["images"], composite)


def test_reinhard_matches_background_lab_statistics(photo_and_mask):
    composite, mask, composite_np, mask_np = photo_and_mask
    out = harmbench.create_method("reinhard")(composite, mask)["images"][0].permute(1, 2, 0).numpy()
    lab_out = color.rgb2lab(out)
    lab_in = color.rgb2lab(composite_np)
    fg, bg = mask_np > 0.5, mask_np <= 0.5
    # Means and spreads move to the background's (up to sRGB gamut clipping); background pixels are untouched.
    assert np.abs(lab_in[fg].mean(0) - lab_in[bg].mean(0)).max() > 10
    assert np.abs(lab_out[fg].mean(0) - lab_in[bg].mean(0)).max() < 2.5
    assert np.abs(lab_out[fg].std(0) - lab_in[bg].std(0)).max() < 2.5
    assert np.array_equal(out[bg], composite_np[bg])


def test_histmatch_agrees_with_skimage(photo_and_mask):
    composite, mask, composite_np, mask_np = photo_and_mask
    out = harmbench.create_method("histmatch")(composite, mask)["images"][0].permute(1, 2, 0).numpy()
    fg, bg = mask_np > 0.5, mask_np <= 0.5
    reference = np.stack([exposure.match_histograms(composite_np[fg][:, c], composite_np[bg][:, c])
                          for c in range(3)], axis=-1)
    assert np.abs(out[fg] - reference).max() < 1e-5
    assert np.array_equal(out[bg], composite_np[bg])


@pytest.mark.parametrize("name", ["reinhard", "histmatch"])
def test_empty_foreground_leaves_image_unchanged(name, photo_and_mask):
    composite, mask, _, _ = photo_and_mask
    out = harmbench.create_method(name)(composite, torch.zeros_like(mask))["images"]
    assert torch.equal(out, composite)
