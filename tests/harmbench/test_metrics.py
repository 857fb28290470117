"""harmbench.metrics against independent implementations and closed-form cases.

Independent references: scikit-image (MSE, PSNR, SSIM with Wang's settings), and direct non-separable float64
torch convolutions written here from the descriptions of CDTNet's ``pytorch_ssim`` (7x7 Gaussian, zero padding 3,
depthwise) and of pytorch_msssim (11x11 Gaussian, valid convolution).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity

from harmbench import metrics

SSIM_TOL = 1e-6


def make_pair(height: int = 48, width: int = 64, seed: int = 0, noise: float = 6.0):
    """A smooth-ish uint8-valued target, a float prediction near it, and a soft rectangular mask."""
    rng = np.random.default_rng(seed)
    rows = np.linspace(0, 1, height)[:, None, None]
    cols = np.linspace(0, 1, width)[None, :, None]
    base = 40 + 150 * rows * cols + 40 * np.sin(7 * cols + np.array([0.0, 1.0, 2.0]))
    target = np.clip(np.round(base + rng.normal(0, 12, (height, width, 3))), 0, 255)
    pred = np.clip(target + rng.normal(2.0, noise, target.shape), 0, 255)
    mask = np.zeros((height, width))
    mask[height // 4 : 3 * height // 4, width // 3 : 5 * width // 6] = 1.0
    mask[height // 4 - 1, width // 3 : 5 * width // 6] = 0.5  # soft edge, as after bilinear resizing
    mask[3 * height // 4, width // 3 : 5 * width // 6] = 0.25
    mask[height // 4 : 3 * height // 4, 5 * width // 6] = 0.75
    return pred, target, mask


def gaussian_2d(size: int, sigma: float = 1.5) -> torch.Tensor:
    offsets = torch.arange(size, dtype=torch.float64) - size // 2
    g = torch.exp(-(offsets**2) / (2 * sigma**2))
    g = g / g.sum()
    return torch.outer(g, g)


def reference_ssim_2d(pred, target, size: int, padding: int, data_range: float) -> float:
    """Direct 2-D depthwise SSIM (groups=3), float64: zero ``padding`` (CDTNet) or 0 (valid, pytorch_msssim)."""
    window = gaussian_2d(size).expand(3, 1, size, size)
    x = torch.from_numpy(np.asarray(pred, dtype=np.float64)).permute(2, 0, 1)[None]
    y = torch.from_numpy(np.asarray(target, dtype=np.float64)).permute(2, 0, 1)[None]

    def filt(image):
        return F.conv2d(image, window, padding=padding, groups=3)

    mu1, mu2 = filt(x), filt(y)
    sigma1_sq = filt(x * x) - mu1 * mu1
    sigma2_sq = filt(y * y) - mu2 * mu2
    sigma12 = filt(x * y) - mu1 * mu2
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    ssim_map = ((2 * mu1 * mu2 + c1) * (2 * sigma12 + c2)) / ((mu1**2 + mu2**2 + c1) * (sigma1_sq + sigma2_sq + c2))
    return float(ssim_map.mean())


def skimage_ssim(pred, target) -> float:
    return structural_similarity(np.asarray(pred, np.float64), np.asarray(target, np.float64), gaussian_weights=True,
                                 sigma=1.5, use_sample_covariance=False, data_range=255, channel_axis=-1)


def blend(pred, target, mask):
    return pred * mask[..., None] + target * (1 - mask[..., None])


# --- profiles and metadata -------------------------------------------------------------------------------------


def test_profiles_are_named_and_versioned():
    assert set(metrics.PROFILES) == {"cdtnet", "harmbench", "pctnet"}
    for name, profile in metrics.PROFILES.items():
        assert profile.name == name and isinstance(profile.version, str) and profile.version
        assert profile.description
        assert metrics.get_profile(name) is profile
    assert metrics.DEFAULT_PROFILE == "cdtnet"
    with pytest.raises(ValueError, match="unknown metric profile 'cdt'.*cdtnet, harmbench, pctnet"):
        metrics.get_profile("cdt")


def test_metric_info_for_tables():
    assert list(metrics.METRICS) == ["mse", "psnr", "fmse", "fpsnr", "ssim"]
    labels = {key: info.label for key, info in metrics.METRICS.items()}
    assert labels == {"mse": "MSE", "psnr": "PSNR", "fmse": "fMSE", "fpsnr": "fPSNR", "ssim": "SSIM"}
    higher = {key for key, info in metrics.METRICS.items() if info.higher_is_better}
    assert higher == {"psnr", "fpsnr", "ssim"}
    assert metrics.METRICS["mse"].format(21.2449) == "21.24"
    assert metrics.METRICS["psnr"].format(38.7712) == "38.77"
    assert metrics.METRICS["ssim"].format(0.98684) == "0.9868"


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compute_returns_all_keys_as_floats(profile):
    pred, target, mask = make_pair()
    result = metrics.compute(pred, target, mask, profile=profile)
    assert list(result) == ["mse", "psnr", "fmse", "fpsnr", "ssim"]
    assert all(type(value) is float and math.isfinite(value) for value in result.values())


# --- closed-form cases -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_identical_images(profile):
    _, target, mask = make_pair()
    result = metrics.compute(target, target, mask, profile=profile)
    assert result["mse"] == 0 and result["fmse"] == 0
    assert result["ssim"] == pytest.approx(1.0, abs=SSIM_TOL)
    peak = target.max() if profile == "cdtnet" else 255.0
    error = 1e-10 if profile == "harmbench" else 1e-6  # harmbench clamps, the iharm evaluators add epsilon
    assert result["psnr"] == pytest.approx(10 * math.log10(peak**2 / error))
    assert result["fpsnr"] == result["psnr"]


def test_constant_offset_on_a_hard_mask():
    _, target, _ = make_pair()
    offset = 3.5
    pred = target + offset
    mask = np.zeros(target.shape[:2])
    mask[10:30, 5:45] = 1.0  # 800 pixels
    for profile in metrics.PROFILES:
        result = metrics.compute(pred, target, mask, profile=profile)
        assert result["fmse"] == pytest.approx(offset**2, rel=1e-8), profile
        expected_mse = offset**2 * 800 / mask.size if profile == "pctnet" else offset**2
        assert result["mse"] == pytest.approx(expected_mse, rel=1e-12), profile


def test_error_confined_to_a_mask_of_known_area():
    _, target, _ = make_pair()
    mask = np.zeros(target.shape[:2])
    mask[4:16, 8:33] = 1.0  # 12 x 25 = 300 pixels
    pred = target.copy()
    pred[mask > 0] += np.array([4.0, -2.0, 1.0])  # squared errors 16, 4, 1 → mean 7 per value
    area, total = 300, mask.size
    cdtnet = metrics.compute(pred, target, mask, profile="cdtnet")
    harmbench = metrics.compute(pred, target, mask, profile="harmbench")
    pctnet = metrics.compute(pred, target, mask, profile="pctnet")
    assert cdtnet["mse"] == pytest.approx(7 * area / total) == harmbench["mse"] == pctnet["mse"]
    assert cdtnet["fmse"] == pytest.approx(7 * 3 * area / (3 * area + 1e-6), rel=1e-12)
    assert harmbench["fmse"] == pytest.approx(7.0, rel=1e-12)
    assert pctnet["fmse"] == cdtnet["fmse"]


def test_psnr_peak_rules_on_a_dark_image():
    pred, target, mask = make_pair()
    target, pred = target * 0.7, pred * 0.7  # max < 255
    assert target.max() < 200
    mse = mean_squared_error(target, pred)
    cdtnet = metrics.compute(pred, target, mask, profile="cdtnet")
    harmbench = metrics.compute(pred, target, mask, profile="harmbench")
    pctnet = metrics.compute(pred, target, mask, profile="pctnet")
    # skimage has no epsilon; +1e-6 on an MSE of ~20 moves PSNR by ~2e-7 dB
    assert cdtnet["psnr"] == pytest.approx(peak_signal_noise_ratio(target, pred, data_range=target.max()), abs=1e-6)
    assert harmbench["psnr"] == pytest.approx(peak_signal_noise_ratio(target, pred, data_range=255), abs=1e-9)
    assert cdtnet["psnr"] == pytest.approx(10 * math.log10(target.max() ** 2 / (mse + 1e-6)), abs=1e-9)
    assert harmbench["psnr"] - cdtnet["psnr"] == pytest.approx(20 * math.log10(255 / target.max()), abs=1e-6)
    assert pctnet["psnr"] == pytest.approx(10 * math.log10(255**2 / (pctnet["mse"] + 1e-6)), abs=1e-9)
    # fPSNR: the same peak rule applied to fMSE
    assert cdtnet["fpsnr"] == pytest.approx(10 * math.log10(target.max() ** 2 / (cdtnet["fmse"] + 1e-6)), abs=1e-9)
    assert harmbench["fpsnr"] == pytest.approx(10 * math.log10(255**2 / harmbench["fmse"]), abs=1e-9)
    assert pctnet["fpsnr"] == pytest.approx(10 * math.log10(255**2 / (pctnet["fmse"] + 1e-6)), abs=1e-9)


def test_soft_versus_binarised_mask():
    pred, target, mask = make_pair()
    squared = (pred - target) ** 2
    soft = np.einsum("hwc,hw->", squared, mask) / (3 * mask.sum() + 1e-6)
    hard_pixels = mask > 0.5  # the 0.5 edge row is background, the 0.75 column foreground
    hard = squared[hard_pixels].mean()
    assert soft != pytest.approx(hard, rel=1e-3)
    assert metrics.compute(pred, target, mask, profile="cdtnet")["fmse"] == pytest.approx(soft, rel=1e-12)
    assert metrics.compute(pred, target, mask, profile="pctnet")["fmse"] == pytest.approx(soft, rel=1e-12)
    assert metrics.compute(pred, target, mask, profile="harmbench")["fmse"] == pytest.approx(hard, rel=1e-12)
    pctnet_mse = np.einsum("hwc,hw->", squared, mask) / squared.size
    assert metrics.compute(pred, target, mask, profile="pctnet")["mse"] == pytest.approx(pctnet_mse, rel=1e-12)


def test_empty_foreground():
    pred, target, mask = make_pair()
    empty = np.zeros_like(mask)
    harmbench = metrics.compute(pred, target, empty, profile="harmbench")
    assert math.isnan(harmbench["fmse"]) and math.isnan(harmbench["fpsnr"])
    assert math.isfinite(harmbench["psnr"])
    assert metrics.compute(pred, target, empty, profile="cdtnet")["fmse"] == 0.0  # Σ0 / (0 + 1e-6)


# --- against independent implementations -----------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["cdtnet", "harmbench"])
def test_mse_against_skimage(profile):
    pred, target, mask = make_pair()
    expected = mean_squared_error(target, pred)
    assert metrics.compute(pred, target, mask, profile=profile)["mse"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("shape", [(48, 64), (256, 256)])
def test_harmbench_ssim_against_skimage(shape):
    pred, target, mask = make_pair(*shape)
    result = metrics.compute(pred, target, mask, profile="harmbench")["ssim"]
    assert result == pytest.approx(skimage_ssim(pred, target), abs=SSIM_TOL)


@pytest.mark.parametrize("shape", [(48, 64), (256, 256)])
def test_cdtnet_ssim_against_direct_2d_convolution(shape):
    pred, target, mask = make_pair(*shape)
    data_range = pred.max() - pred.min()
    expected = reference_ssim_2d(pred, target, size=7, padding=3, data_range=data_range)
    assert metrics.compute(pred, target, mask, profile="cdtnet")["ssim"] == pytest.approx(expected, abs=SSIM_TOL)


def test_pctnet_ssim_is_ssim_of_the_blend():
    pred, target, mask = make_pair(noise=20.0)
    blended = blend(pred, target, mask)
    result = metrics.compute(pred, target, mask, profile="pctnet")["ssim"]
    assert result == pytest.approx(reference_ssim_2d(blended, target, size=11, padding=0, data_range=255),
                                   abs=SSIM_TOL)
    assert result == pytest.approx(skimage_ssim(blended, target), abs=SSIM_TOL)
    assert result > metrics.compute(pred, target, mask, profile="harmbench")["ssim"] + 0.01  # background is free


@pytest.mark.parametrize("height", [5, 33, 39, 40, 71])  # band edges: outputs just past multiples of the band
def test_ssim_at_band_boundaries_and_tiny_images(height):
    pred, target, _ = make_pair(height, 23, seed=height)
    data_range = pred.max() - pred.min()
    expected = reference_ssim_2d(pred, target, size=7, padding=3, data_range=data_range)
    assert metrics.ssim_cdtnet(pred, target) == pytest.approx(expected, abs=SSIM_TOL)
    if height >= 11:
        assert metrics.ssim_wang(pred, target) == pytest.approx(skimage_ssim(pred, target), abs=SSIM_TOL)


def test_ssim_float32_accuracy_on_bright_low_contrast_images():
    # raw float32 E[x²] − E[x]² on values near 230 errs by ~1e-4 here; centring must keep us within 1e-6
    rng = np.random.default_rng(3)
    target = np.round(225 + 6 * rng.random((96, 80, 3)))
    pred = target + rng.normal(0, 0.7, target.shape)
    data_range = pred.max() - pred.min()
    expected = reference_ssim_2d(pred, target, size=7, padding=3, data_range=data_range)
    assert metrics.ssim_cdtnet(pred, target) == pytest.approx(expected, abs=SSIM_TOL)
    assert metrics.ssim_wang(pred, target) == pytest.approx(skimage_ssim(pred, target), abs=SSIM_TOL)


def test_input_dtypes_agree():
    pred, target, mask = make_pair()
    reference = metrics.compute(pred, target, mask)
    as_float32 = metrics.compute(pred.astype(np.float32), target.astype(np.uint8), mask.astype(np.float32))
    for key, value in reference.items():
        assert as_float32[key] == pytest.approx(value, rel=1e-5, abs=SSIM_TOL), key
    channel_mask = metrics.compute(pred, target, mask[..., None])
    assert channel_mask == reference


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, t, m: (p[:, :-1], t, m), r"pred shape \(48, 63, 3\) does not match target shape \(48, 64, 3\)"),
        (lambda p, t, m: (p, t[..., :1], m), r"target: expected shape H x W x 3, got \(48, 64, 1\)"),
        (lambda p, t, m: (p[..., 0], t, m), r"pred: expected shape H x W x 3, got \(48, 64\)"),
        (lambda p, t, m: (p, t, m[:-2]), r"mask: shape \(46, 64\) does not match the images' H x W = \(48, 64\)"),
        (lambda p, t, m: (p, t, m * 255), r"mask: values must lie in \[0, 1\], got \[0.0, 255.0\]"),
        (lambda p, t, m: (np.where(p > 100, np.nan, p), t, m), "pred: contains NaN or infinite values"),
        (lambda p, t, m: (p.astype(str), t, m), "pred: expected a float or integer array, got dtype <U"),
    ],
)
def test_bad_input_is_named(change, message):
    pred, target, mask = change(*make_pair())
    with pytest.raises(ValueError, match=message):
        metrics.compute(pred, target, mask)


@pytest.mark.parametrize("profile", ["harmbench", "pctnet"])
def test_image_smaller_than_the_window(profile):
    pred, target, mask = make_pair(8, 30)
    with pytest.raises(ValueError, match="image 8x30 is smaller than the 11x11 window"):
        metrics.compute(pred, target, mask, profile=profile)
