"""Speed of the metric profiles at 2048x2048 (all keys, one profile per benchmark) on 2 torch threads, as a ratio to
scikit-image's ``structural_similarity`` alone on the same pair, plus agreement with independent float64 references
at that size.

Run: ``.venv/bin/pytest benchmarks/test_metrics_bench.py --benchmark-only``. Target: every profile's
``compute_batch`` (the evaluation path: one B x 3 x H x W batch) median <= 0.15x the median time of skimage's SSIM
with Wang's settings; skimage is timed right before each round (in the untimed set-up), so both see the same
machine load. ``compute`` (one H x W x 3 NumPy image, including input checks and the planar copies) is reported
with its ratio. References: skimage ``structural_similarity`` with Wang's settings (harmbench; pctnet on the
blended prediction), and a direct, non-separable 7x7 zero-padded 2-D correlation (scipy.ndimage.correlate, float64)
for cdtnet. ``test_compiled_ssim_2048`` compares SSIM alone on CPU, compiled kernel (the default there) against the
torch path (its fallback), timed in the same rounds: goal <= 0.5x.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
import scipy.ndimage as ndi
import torch
from skimage.metrics import mean_squared_error, structural_similarity

from harmbench import metrics
from harmbench.metrics import device

SIZE = 2048
SSIM_TOL = 1e-6
RATIO_GOAL = 0.15  # profile time / skimage SSIM time, medians of the same run
COMPILED_SSIM_GOAL = 0.5  # compiled SSIM time / torch SSIM time on CPU, medians of the same run


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


@pytest.fixture(scope="module")
def batch(pair):
    """The pair as compute_batch takes it: 1 x 3 x H x W float32 images, a 1 x 1 x H x W mask."""
    pred, target, mask = pair
    return (torch.from_numpy(pred).permute(2, 0, 1)[None].contiguous(),
            torch.from_numpy(target).permute(2, 0, 1)[None].float().contiguous(), torch.from_numpy(mask)[None, None])


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


def check_against_references(result: dict[str, float], pair, profile: str) -> None:
    pred, target, mask = pair
    pred64, target64 = pred.astype(np.float64), target.astype(np.float64)
    if profile == "cdtnet":
        assert result["mse"] == pytest.approx(mean_squared_error(target64, pred64), rel=1e-7)
        expected_ssim = reference_ssim_cdtnet(pred, target)
    elif profile == "harmbench":
        assert result["mse"] == pytest.approx(mean_squared_error(target64, pred64), rel=1e-7)
        expected_ssim = reference_ssim_wang(pred, target)
    else:
        soft = mask[..., None].astype(np.float64)
        expected_ssim = reference_ssim_wang(pred64 * soft + target64 * (1 - soft), target)
    assert result["ssim"] == pytest.approx(expected_ssim, abs=SSIM_TOL)


def benchmark_with_ssim_ratio(benchmark, pair, function, *args, **kwargs):
    """Benchmark ``function`` (3 rounds after a warm-up), timing skimage's SSIM on ``pair`` in the set-up before
    each round; returns the last result and the ratio of medians (stored in extra_info; None in a smoke run)."""
    pred, target, _ = pair
    pred64, target64 = pred.astype(np.float64), target.astype(np.float64)
    ssim_times = []

    def time_skimage_ssim():
        start = time.perf_counter()
        structural_similarity(pred64, target64, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                              data_range=255, channel_axis=-1)
        ssim_times.append(time.perf_counter() - start)

    result = benchmark.pedantic(function, args=args, kwargs=kwargs, setup=time_skimage_ssim, rounds=3,
                                warmup_rounds=1)
    if benchmark.disabled:  # --benchmark-disable (CI's smoke run): ran once, untimed
        return result, None
    ssim_times = ssim_times[1:]  # the set-up before the warm-up round was skimage's warm-up
    ratio = benchmark.stats.stats.median / statistics.median(ssim_times)
    benchmark.extra_info.update(skimage_ssim_median_s=statistics.median(ssim_times), ratio=ratio,
                                goal_ratio=RATIO_GOAL, size=SIZE, torch_threads=torch.get_num_threads())
    return result, ratio


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compute_batch_2048(benchmark, pair, batch, profile):
    benchmark.extra_info.update(profile=profile)
    results, ratio = benchmark_with_ssim_ratio(benchmark, pair, metrics.compute_batch, *batch, profile=profile)
    check_against_references(results[0], pair, profile)
    assert benchmark.disabled or ratio <= RATIO_GOAL


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compute_2048(benchmark, pair, profile):
    benchmark.extra_info.update(profile=profile)
    result, _ = benchmark_with_ssim_ratio(benchmark, pair, metrics.compute, *pair, profile=profile)
    check_against_references(result, pair, profile)


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compiled_ssim_2048(benchmark, pair, batch, profile, monkeypatch):
    """SSIM alone through ``compute_batch``: the compiled CPU kernel, with the torch path timed before each round."""
    benchmark.extra_info.update(profile=profile)
    torch_times, torch_results = [], []

    def time_torch_ssim():
        with monkeypatch.context() as patch:
            patch.setattr(device, "_compiled_kernel", lambda: None)
            start = time.perf_counter()
            torch_results.append(metrics.compute_batch(*batch, profile=profile, keys=("ssim",))[0]["ssim"])
            torch_times.append(time.perf_counter() - start)

    result = benchmark.pedantic(metrics.compute_batch, args=batch, kwargs={"profile": profile, "keys": ("ssim",)},
                                setup=time_torch_ssim, rounds=3, warmup_rounds=1)
    assert result[0]["ssim"] == pytest.approx(torch_results[-1], abs=SSIM_TOL)
    if benchmark.disabled:  # --benchmark-disable (CI's smoke run): ran once, untimed
        return
    torch_times = torch_times[1:]  # the set-up before the warm-up round was the torch path's warm-up
    ratio = benchmark.stats.stats.median / statistics.median(torch_times)
    benchmark.extra_info.update(torch_ssim_median_s=statistics.median(torch_times), ratio=ratio,
                                goal_ratio=COMPILED_SSIM_GOAL, torch_threads=torch.get_num_threads())
    assert ratio <= COMPILED_SSIM_GOAL
