"""Speed of ``harmbench.metrics.compute`` at 2048x2048 (all keys, one profile per benchmark), with torch limited
to 2 threads, plus agreement with independent float64 references at that size.

Run: ``.venv/bin/pytest benchmarks/test_metrics_bench.py --benchmark-only``. Target: median <= 0.5 s per profile.
References: skimage ``structural_similarity`` with Wang's settings (harmbench; pctnet on the blended prediction),
and a direct, non-separable 7x7 zero-padded 2-D correlation (scipy.ndimage.correlate, float64) for cdtnet.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndi
import torch
from skimage.metrics import mean_squared_error, structural_similarity

from harmbench import metrics

SIZE = 2048
SSIM_TOL = 1e-6


@pytest.fixture(scope="module")
def pair():
    """A photo-like target (smooth structure, texture, uint8 values), a float32 prediction near it, a soft mask."""
    rng = np.random.default_rng(0)
    coarse = rng.normal(size=(SIZE // 32, SIZE // 32, 3))
    structure = ndi.zoom(coarse, (32, 32, 1), order=3)
    structure = (structure - structure.min()) / (structure.max() - structure.min())
    target = np.clip(np.round(255 * structure + rng.normal(0, 8, structure.shape)), 0, 255).astype(np.uint8)
    pred = np.clip(target + rng.normal(1.5, 4, target.shape), 0, 255).astype(np.float32)
    mask = np.zeros((SIZE, SIZE), np.float32)
    mask[SIZE // 4 : 3 * SIZE // 4, SIZE // 5 : 3 * SIZE // 5] = 1
    mask = ndi.uniform_filter(mask, 5)  # soft edges, as after bilinear resizing
    return pred, target, mask


def reference_ssim_cdtnet(pred: np.ndarray, target: np.ndarray) -> float:
    """CDTNet's pytorch_ssim written directly: 7x7 Gaussian (σ 1.5) correlation with zero padding, float64."""
    offsets = np.arange(7) - 3
    g = np.exp(-(offsets**2) / (2 * 1.5**2))
    window = np.outer(g, g) / g.sum() ** 2
    x, y = pred.astype(np.float64), target.astype(np.float64)
    data_range = x.max() - x.min()
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    total = 0.0
    for channel in range(3):
        def filt(image):
            return ndi.correlate(image, window, mode="constant", cval=0.0)

        a, b = x[..., channel], y[..., channel]
        mu1, mu2 = filt(a), filt(b)
        s11, s22, s12 = filt(a * a) - mu1**2, filt(b * b) - mu2**2, filt(a * b) - mu1 * mu2
        ssim_map = ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1**2 + mu2**2 + c1) * (s11 + s22 + c2))
        total += ssim_map.mean()
    return total / 3


def reference_ssim_wang(pred: np.ndarray, target: np.ndarray) -> float:
    return structural_similarity(pred.astype(np.float64), target.astype(np.float64), gaussian_weights=True,
                                 sigma=1.5, use_sample_covariance=False, data_range=255, channel_axis=-1)


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compute_2048(benchmark, pair, profile):
    pred, target, mask = pair
    benchmark.extra_info.update(profile=profile, size=SIZE, torch_threads=torch.get_num_threads())
    result = benchmark.pedantic(metrics.compute, args=(pred, target, mask), kwargs={"profile": profile},
                                rounds=7, iterations=1, warmup_rounds=1)

    pred64, target64 = pred.astype(np.float64), target.astype(np.float64)
    if profile == "cdtnet":
        assert result["mse"] == pytest.approx(mean_squared_error(target64, pred64), rel=1e-12)
        expected_ssim = reference_ssim_cdtnet(pred, target)
    elif profile == "harmbench":
        assert result["mse"] == pytest.approx(mean_squared_error(target64, pred64), rel=1e-12)
        expected_ssim = reference_ssim_wang(pred, target)
    else:
        soft = mask[..., None].astype(np.float64)
        expected_ssim = reference_ssim_wang(pred64 * soft + target64 * (1 - soft), target)
    assert result["ssim"] == pytest.approx(expected_ssim, abs=SSIM_TOL)
