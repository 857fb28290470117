"""Speed of CDTNet's LUT application (``cdtnet.lut.apply_lut``, inference: no autograd) at 2048x2048 on 2 threads,
and its agreement with an independent gather-based float64 trilinear reference at that size.

Run: ``.venv/bin/pytest benchmarks/test_lut_bench.py --benchmark-only``. Target: for the dense case (every pixel
looked up and blended: a mask with no zeros) the ratio of medians ``apply_lut`` / one plain ``F.grid_sample``
trilinear lookup of the same image (LUT as a (1, 3, 33, 33, 33) volume, grid (1, 1, H, W, 3) built beforehand,
``align_corners=True``) <= 0.2. The grid_sample call is timed right before each round (in the untimed set-up), so
machine load affects both alike; the ratio goes into extra_info and is asserted. The sparse case (a 10 % foreground,
whose background ``apply_lut`` skips) is reported for reference.

Here ``apply_lut`` takes its compiled path (CPU float32 inference, numba). On this project's 2-core machine, shared
with two other busy processes (load average 3.1-3.6), four runs on 2026-12-02 gave ratios 0.119-0.122 (medians
21-28 ms against 179-234 ms for ``grid_sample``); under that load the kernel's two threads got about one core
between them. The kernel uses both threads and ``grid_sample`` one (it parallelises over the batch only), so
other processes on the machine slow the numerator more than the denominator. The float64, gather-based kernel
before it gave 0.19-0.26 in four runs on an otherwise idle machine.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch
import torch.nn.functional as F

from cdtnet.lut import apply_lut, identity_lut

SIZE = 2048
LUT_SIZE = 33
RATIO_GOAL = 0.2
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def inputs():
    """A fused per-image LUT (identity + a smooth colour shift + noise, as a trained CDTNet's), an image with exact
    0 and 1 values, a soft mask with no zeros (dense path) and a 10 % foreground mask (sparse path)."""
    generator = torch.Generator().manual_seed(0)
    ramp = torch.linspace(0, 1, LUT_SIZE)
    lut = identity_lut(LUT_SIZE) + 0.1 * torch.sin(3 * ramp)[None, :, None, None]
    lut = lut + 0.02 * torch.randn(3, LUT_SIZE, LUT_SIZE, LUT_SIZE, generator=generator)
    image = torch.rand(1, 3, SIZE, SIZE, generator=generator)
    image[..., 0, :8] = 0.0
    image[..., 1, :8] = 1.0
    dense_mask = 0.05 + 0.95 * torch.rand(1, 1, SIZE, SIZE, generator=generator)
    sparse_mask = torch.zeros(1, 1, SIZE, SIZE)
    side = int(SIZE * 0.1 ** 0.5)
    sparse_mask[..., :side, :side] = 1.0
    return lut[None], image, dense_mask, sparse_mask


def gather_trilinear(lut: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
    """The 8-corner trilinear lookup written directly, float64: flat index r + g*D + b*D*D into a [c, b, g, r] LUT
    (the original kernel's layout), cell index clamped so v == 1 lands on the last cell's far corner.
    lut (3, D, D, D), image (3, H, W) -> (3, H, W)."""
    size = lut.shape[-1]
    flat = lut.double().reshape(3, -1)
    position = image.double().clamp(0, 1) * (size - 1)
    index = position.floor().long().clamp(0, size - 2)
    fraction = position - index
    r, g, b = index
    fr, fg, fb = fraction
    out = torch.zeros(3, *image.shape[1:], dtype=torch.float64)
    for db in (0, 1):
        for dg in (0, 1):
            for dr in (0, 1):
                weight = (fr if dr else 1 - fr) * (fg if dg else 1 - fg) * (fb if db else 1 - fb)
                out += weight * flat[:, (r + dr) + (g + dg) * size + (b + db) * size * size]
    return out


@pytest.fixture(scope="module")
def reference(inputs):
    lut, image, _, _ = inputs
    return gather_trilinear(lut[0], image[0])


def test_lut_dense_2048(benchmark, inputs, reference):
    """apply_lut is the benchmarked target; one plain grid_sample lookup is timed in each round's set-up."""
    lut, image, mask, _ = inputs
    grid = (image.permute(0, 2, 3, 1) * 2 - 1).unsqueeze(1)  # (1, 1, H, W, 3): (x, y, z) = (r, g, b)
    grid_sample_times = []

    def time_grid_sample():
        start = time.perf_counter()
        F.grid_sample(lut, grid, mode="bilinear", padding_mode="border", align_corners=True)
        grid_sample_times.append(time.perf_counter() - start)

    result = benchmark.pedantic(apply_lut, args=(lut, image, mask), setup=time_grid_sample, rounds=9,
                                warmup_rounds=1)
    expected = mask[0].double() * reference + (1 - mask[0].double()) * image[0].double()
    error = (result[0].double() - expected).abs().max().item()
    assert error <= TOLERANCE
    if benchmark.disabled:  # --benchmark-disable (CI's smoke run): ran once, untimed
        return
    grid_sample_times = grid_sample_times[1:]  # the set-up before the warm-up round was grid_sample's warm-up
    ratio = benchmark.stats.stats.median / statistics.median(grid_sample_times)
    benchmark.extra_info.update(grid_sample_median_s=statistics.median(grid_sample_times), ratio=ratio,
                                goal_ratio=RATIO_GOAL, max_abs_error=error, threads=torch.get_num_threads())
    assert ratio <= RATIO_GOAL, f"apply_lut is {ratio:.3f}x one grid_sample lookup; goal <= {RATIO_GOAL}x"


def test_lut_sparse_2048(benchmark, inputs, reference):
    lut, image, _, mask = inputs
    result = benchmark.pedantic(apply_lut, args=(lut, image, mask), rounds=9, warmup_rounds=1)
    expected = mask[0].double() * reference + (1 - mask[0].double()) * image[0].double()
    error = (result[0].double() - expected).abs().max().item()
    benchmark.extra_info.update(foreground=float(mask.mean()), max_abs_error=error, threads=torch.get_num_threads())
    assert error <= TOLERANCE
