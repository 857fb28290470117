"""Open metric profiles, and the torch definitions (``compute_batch``, ``compute``) against the NumPy reference.

Agreement tolerances (issue 10): 1e-6 relative on MSE, fMSE, PSNR and fPSNR, 1e-6 absolute on SSIM; NaN and
infinite reference values must be reproduced exactly. The agreement tests run twice on CPU (``ssim_path``): with
the compiled SSIM kernel (``metrics/cpu_kernel.py``, the CPU default) and with the torch SSIM (its fallback and
the path on other devices).
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

import harmbench.metrics
from harmbench import metrics, tables
from harmbench.metrics import cpu_kernel, device, profiles, reference

REL_TOL = 1e-6
SSIM_TOL = 1e-6


def smooth_pair(height: int, width: int, seed: int, noise: float = 6.0):
    """A uint8-valued target with structure and texture, a float32 prediction near it (clamped), a soft mask."""
    rng = np.random.default_rng(seed)
    rows = np.linspace(0, 1, height)[:, None, None]
    cols = np.linspace(0, 1, width)[None, :, None]
    base = 40 + 150 * rows * cols + 40 * np.sin(7 * cols + np.array([0.0, 1.0, 2.0]))
    target = np.clip(np.round(base + rng.normal(0, 12, (height, width, 3))), 0, 255)
    pred = np.clip(target + rng.normal(2.0, noise, target.shape), 0, 255).astype(np.float32)
    mask = np.clip(rng.normal(0.5, 0.4, (height, width)), 0, 1).astype(np.float32)
    return pred, target.astype(np.uint8), mask


def case(name: str):
    """(pred, target, mask) of a named agreement case."""
    rng = np.random.default_rng(7)
    if name == "random":
        return smooth_pair(48, 64, seed=1)
    if name == "random images":
        target = np.round(rng.random((40, 45, 3)) * 255)
        return (rng.random((40, 45, 3)) * 255).astype(np.float32), target.astype(np.uint8), rng.random((40, 45))
    if name == "empty mask":
        pred, target, mask = smooth_pair(40, 50, seed=2)
        return pred, target, np.zeros_like(mask)
    if name == "full mask":
        pred, target, mask = smooth_pair(40, 50, seed=3)
        return pred, target, np.ones_like(mask)
    if name == "binary mask":
        pred, target, _ = smooth_pair(40, 50, seed=4)
        mask = np.zeros((40, 50), np.float32)
        mask[5:30, 10:41] = 1
        return pred, target, mask
    if name == "odd size":
        return smooth_pair(37, 53, seed=5)
    if name == "tall band edges":
        return smooth_pair(71, 23, seed=6)  # several 32-row bands, the last one short
    if name == "small":
        return smooth_pair(8, 8, seed=8)
    if name == "bright low contrast":  # raw float32 E[x²] − E[x]² errs by ~1e-4 on the SSIM here
        target = np.round(225 + 6 * rng.random((96, 80, 3)))
        pred = np.clip(target + rng.normal(0, 0.7, target.shape), 0, 255).astype(np.float32)
        return pred, target.astype(np.uint8), rng.random((96, 80))
    if name == "constant prediction":  # cdtnet: R = max(pred) − min(pred) = 0, so C1 = C2 = 0
        _, target, mask = smooth_pair(40, 50, seed=9)
        return np.full(target.shape, 120.0, np.float32), target, mask
    if name == "all-black target":  # cdtnet: peak max(target) = 0, PSNR = −inf
        pred, _, mask = smooth_pair(40, 50, seed=10)
        return pred, np.zeros(pred.shape, np.uint8), mask
    if name == "identical":
        _, target, mask = smooth_pair(40, 50, seed=11)
        return target.astype(np.float32), target, mask
    if name == "integer valued":
        pred, target, mask = smooth_pair(40, 50, seed=12)
        return np.round(pred), target, mask
    raise KeyError(name)


CASES = ["random", "random images", "empty mask", "full mask", "binary mask", "odd size", "tall band edges", "small",
         "bright low contrast", "constant prediction", "all-black target", "identical", "integer valued"]


def as_batch(pred, target, mask):
    """The B x C x H x W float32 tensors compute_batch takes, from H x W x 3 / H x W arrays."""
    def planar(image):
        return torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32)).permute(2, 0, 1)[None]

    return planar(pred), planar(target), planar(np.asarray(mask)[..., None])


def assert_agrees(values: dict[str, float], expected: dict[str, float]) -> None:
    assert list(values) == list(expected)
    for key, want in expected.items():
        got = values[key]
        assert type(got) is float, key
        if not math.isfinite(want):
            assert got == want or (math.isnan(got) and math.isnan(want)), (key, got, want)
        elif key == "ssim":
            assert got == pytest.approx(want, abs=SSIM_TOL), key
        else:
            assert got == pytest.approx(want, rel=REL_TOL, abs=0), key


def reference_or_error(pred, target, mask, profile):
    try:
        return metrics.compute_reference(pred, target, mask, profile=profile), None
    except ValueError as error:
        return None, str(error)


@pytest.fixture(params=["compiled", "torch"])
def ssim_path(request, monkeypatch):
    """Runs a test with the compiled CPU SSIM (asserting afterwards that it ran whenever SSIM was computed) or, as
    without numba, with the torch SSIM."""
    if request.param == "torch":
        monkeypatch.setattr(device, "_compiled_kernel", lambda: None)
        yield request.param
        return
    ssim_results, compiled_calls = [], []
    separable, compiled = device.ssim_separable, device._ssim_sums_compiled

    def counted_separable(*args, **kwargs):
        ssim_results.append(separable(*args, **kwargs))  # counts SSIMs computed, not inputs rejected
        return ssim_results[-1]

    monkeypatch.setattr(device, "ssim_separable", counted_separable)
    monkeypatch.setattr(device, "_ssim_sums_compiled", lambda *a: compiled_calls.append(1) or compiled(*a))
    yield request.param
    assert len(compiled_calls) == len(ssim_results)


# --- agreement with the NumPy reference ------------------------------------------------------------------------


@pytest.mark.usefixtures("ssim_path")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
@pytest.mark.parametrize("name", CASES)
def test_compute_batch_agrees_with_reference(profile, name):
    pred, target, mask = case(name)
    expected, error = reference_or_error(pred, target, mask, profile)
    if error:
        with pytest.raises(ValueError, match=f"^{error}$"):
            metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)
        return
    (values,) = metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)
    assert_agrees(values, expected)


@pytest.mark.usefixtures("ssim_path")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
@pytest.mark.parametrize("name", CASES)
def test_compute_agrees_with_reference(profile, name):
    pred, target, mask = case(name)
    expected, error = reference_or_error(pred, target, mask, profile)
    if error:
        with pytest.raises(ValueError, match=f"^{error}$"):
            metrics.compute(pred, target, mask, profile=profile)
        return
    assert_agrees(metrics.compute(pred, target, mask, profile=profile), expected)


@pytest.mark.usefixtures("ssim_path")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_float64_inputs_agree(profile):
    pred, target, mask = smooth_pair(33, 41, seed=13)
    pred64 = pred.astype(np.float64) + 1e-3 * np.random.default_rng(0).random(pred.shape)  # not float32-exact
    expected = metrics.compute_reference(pred64, target.astype(np.float64), mask.astype(np.float64), profile)
    assert_agrees(metrics.compute(pred64, target.astype(np.float64), mask.astype(np.float64), profile), expected)


@pytest.mark.usefixtures("ssim_path")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_batch_equals_images_one_by_one(profile):
    images = [case(name) for name in ("random", "empty mask", "full mask", "constant prediction")]
    images = [(p[:40, :48], t[:40, :48], m[:40, :48]) for p, t, m in images]
    batch = [torch.cat(parts) for parts in zip(*(as_batch(*image) for image in images), strict=True)]
    together = metrics.compute_batch(*batch, profile=profile)
    assert len(together) == len(images)
    for values, image in zip(together, images, strict=True):
        assert_agrees(values, metrics.compute_reference(*image, profile=profile))


@pytest.mark.usefixtures("ssim_path")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_calls_of_one_shape_reuse_temporaries_without_mixing_values(profile):
    """compute_batch reuses its CPU temporaries from call to call (device.reused_buffers): a second image of the same
    shape must still get its own values, and an image of another shape its own buffers."""
    for seed, (height, width) in enumerate([(37, 45), (37, 45), (29, 45), (37, 45)]):
        pred, target, mask = smooth_pair(height, width, seed=seed)
        (values,) = metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)
        assert_agrees(values, metrics.compute_reference(pred, target, mask, profile=profile))


def test_output_buffer_reuse_is_per_purpose_shape_and_scope():
    inputs = torch.zeros(2)
    fresh = [device.output_buffer("squared_error", (4, 5), torch.float32, inputs) for _ in range(2)]
    assert fresh[0] is not fresh[1]  # outside reused_buffers: fresh memory every time
    with device.reused_buffers():
        first = device.output_buffer("squared_error", (4, 5), torch.float32, inputs)
        assert device.output_buffer("squared_error", (4, 5), torch.float32, inputs) is first
        assert device.output_buffer("channel_sums", (4, 5), torch.float32, inputs) is not first
        assert device.output_buffer("squared_error", (4, 5), torch.float64, inputs).dtype == torch.float64
        resized = device.output_buffer("squared_error", (3, 5), torch.float32, inputs)
        assert resized.shape == (3, 5) and device.output_buffer("squared_error", (3, 5), torch.float32,
                                                                 inputs) is resized
    assert device.output_buffer("squared_error", (3, 5), torch.float32, inputs) is not resized


def test_compute_batch_subset_of_keys():
    batch = as_batch(*case("random"))
    full = metrics.compute_batch(*batch, profile="cdtnet")[0]
    validation = metrics.compute_batch(*batch, profile="cdtnet", keys=("fmse", "mse", "psnr"))[0]
    assert list(validation) == ["fmse", "mse", "psnr"]
    assert validation == {key: full[key] for key in validation}


# --- bad input to compute_batch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, t, m: (p[:, :, :-1], t, m), r"pred shape \(1, 3, 47, 64\) does not match target shape"),
        (lambda p, t, m: (p, t[:, :1], m), r"target: expected shape B x 3 x H x W, got \(1, 1, 48, 64\)"),
        (lambda p, t, m: (p[0], t, m), r"pred: expected shape B x 3 x H x W, got \(3, 48, 64\)"),
        (lambda p, t, m: (p, t, m[..., :-2]), r"mask: shape \(1, 1, 48, 62\) does not match the images'"),
        (lambda p, t, m: (p, t, m.numpy()), "mask: expected a floating-point torch tensor, got ndarray"),
        (lambda p, t, m: (p.to(torch.uint8), t, m), "pred: expected a floating-point torch tensor, got Tensor"),
    ],
)
def test_compute_batch_bad_input_is_named(change, message):
    with pytest.raises(ValueError, match=message):
        metrics.compute_batch(*change(*as_batch(*case("random"))))


# --- profiles as open mappings ----------------------------------------------------------------------------------


def test_profiles_are_ordered_mappings_of_definitions():
    for profile in metrics.PROFILES.values():
        assert profile.version == "1"  # definitions unchanged by the restructuring
        assert list(profile.metrics) == ["mse", "psnr", "fmse", "fpsnr", "ssim"]
        for key, definition in profile.metrics.items():
            assert definition.key == key and metrics.METRICS[key] == definition.info
            assert getattr(profile, key) is definition.reference  # profile.<key>: the reference function
        assert profile.validation_keys == ("fmse", "mse", "psnr")
    assert metrics.PROFILES["cdtnet"].metrics["psnr"].needs == ("mse", "target")
    assert metrics.PROFILES["cdtnet"].metrics["fpsnr"].needs == ("fmse", "target")


def test_table_columns_derive_from_the_profiles():
    assert list(tables.TABLE1_METRICS) == ["mse", "psnr", "fmse", "ssim"]  # Table 1 renders as before
    assert not metrics.METRICS["fpsnr"].quality_table


def mean_absolute_error_numpy(pred, target):
    return float(np.abs(np.subtract(pred, target, dtype=np.float64)).mean())


def mean_absolute_error_torch(pred, target):
    return device.image_sums((pred - target).abs()) / pred[0].numel()


MAE = profiles.MetricDefinition(profiles.MetricInfo("mae", "MAE", higher_is_better=False, fmt="{:.2f}"),
                                reference=mean_absolute_error_numpy, device=mean_absolute_error_torch,
                                needs=("pred", "target"))


def test_a_new_metric_is_one_definition_and_one_line():
    base = metrics.PROFILES["harmbench"]
    extended = profiles.MetricProfile("harmbench-mae", "1", "harmbench plus MAE", (*base.definitions, MAE),
                                      validation_keys=base.validation_keys)
    pred, target, mask = case("random")
    values = metrics.compute(pred, target, mask, profile=extended)
    assert list(values) == [*base.metrics, "mae"]
    assert values["mae"] == pytest.approx(np.abs(pred - target.astype(np.float64)).mean(), rel=REL_TOL)
    assert_agrees(values, metrics.compute_reference(pred, target, mask, profile=extended))
    assert_agrees(metrics.compute_batch(*as_batch(pred, target, mask), profile=extended)[0], values)
    assert list(profiles._table_metadata([base, extended])) == [*base.metrics, "mae"]


def test_keys_pull_in_what_they_need():
    profile = metrics.PROFILES["cdtnet"]
    assert profile.keys_with_dependencies(["fpsnr"]) == ["fmse", "fpsnr"]
    pred, target, mask = case("random")
    full = metrics.compute(pred, target, mask, profile="cdtnet")
    assert metrics.compute(pred, target, mask, profile="cdtnet", keys=["fpsnr"]) == {"fpsnr": full["fpsnr"]}
    with pytest.raises(ValueError, match="unknown metric 'lpips' in profile 'cdtnet'; valid: mse, psnr, fmse"):
        metrics.compute(pred, target, mask, profile="cdtnet", keys=["lpips"])


def test_malformed_profiles_are_rejected():
    with pytest.raises(ValueError, match="key 'mse' is defined twice"):
        profiles.MetricProfile("p", "1", "d", (profiles.MSE, profiles.MSE_MASKED), validation_keys=())
    with pytest.raises(ValueError, match=r"'psnr' needs \['mse'\], which are neither inputs"):
        profiles.MetricProfile("p", "1", "d", (profiles.PSNR_255, profiles.MSE), validation_keys=())
    with pytest.raises(ValueError, match="unknown metric 'ssim' in profile 'p'"):
        profiles.MetricProfile("p", "1", "d", (profiles.MSE,), validation_keys=("ssim",))
    clash = profiles.MetricDefinition(profiles.MetricInfo("mse", "MSE", higher_is_better=True, fmt="{:.2f}"),
                                      reference.mse, device.mse, ("squared_error",))
    odd = profiles.MetricProfile("odd", "1", "d", (clash,), validation_keys=())
    with pytest.raises(ValueError, match="metric 'mse': profile 'odd' gives it different table metadata"):
        profiles._table_metadata([metrics.PROFILES["cdtnet"], odd])


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_float64_plan_used_off_cpu_agrees(profile, monkeypatch):
    """The CUDA plan (float64 filtering) exercised on CPU, with 16-row bands so band edges are crossed."""
    monkeypatch.setattr(device, "ssim_work_plan", lambda _: (torch.float64, 16))
    for name in ("odd size", "tall band edges", "bright low contrast", "constant prediction"):
        pred, target, mask = case(name)
        expected, error = reference_or_error(pred, target, mask, profile)
        if error is None:
            assert_agrees(metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)[0], expected)


@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
def test_compiled_kernel_across_bands_and_threads_agrees(profile, monkeypatch):
    """The compiled SSIM with 16-row bands, so band edges (and their ring-buffer refills) are crossed, on 1 and 2
    threads; the result does not depend on the thread count (per-band sums added in a fixed order)."""
    monkeypatch.setattr(cpu_kernel, "BAND_ROWS", 16)
    threads = torch.get_num_threads()
    for name in ("odd size", "tall band edges", "bright low contrast", "constant prediction", "binary mask"):
        pred, target, mask = case(name)
        expected, error = reference_or_error(pred, target, mask, profile)
        if error is not None:
            continue
        values = []
        for count in (1, 2):
            torch.set_num_threads(count)
            try:
                values.append(metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)[0])
            finally:
                torch.set_num_threads(threads)
        assert_agrees(values[0], expected)
        assert values[0] == values[1]


class PassThroughMode(TorchDispatchMode):
    """A dispatch mode that runs every operator as is: stands in for tracers and other modes that watch torch's
    operators (a compiled kernel would hide its work from them)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


def test_compiled_kernels_apply_only_to_plain_cpu_tensors_of_one_dtype():
    image = torch.rand(1, 3, 16, 16)
    assert device.compiled_kernels_apply(image, image)
    assert device.compiled_kernels_apply(image.double(), image.double())
    assert not device.compiled_kernels_apply(image, image.double())
    assert not device.compiled_kernels_apply(image.half(), image.half())
    assert not device.compiled_kernels_apply(image.clone().requires_grad_(), image)
    with PassThroughMode():
        assert not device.compiled_kernels_apply(image, image)
    with torch.no_grad():  # no gradient recorded: the kernel may take a tensor that requires one
        assert device.compiled_kernels_apply(image.clone().requires_grad_(), image)


def test_ssim_under_a_dispatch_mode_takes_the_torch_path(monkeypatch):
    def fail(*args):
        raise AssertionError("the compiled kernel ran under a dispatch mode")

    monkeypatch.setattr(device, "_ssim_sums_compiled", fail)
    pred, target, mask = as_batch(*case("odd size"))
    expected = metrics.compute_reference(*case("odd size"), profile="pctnet")["ssim"]
    with PassThroughMode():
        assert float(device.ssim_pctnet(pred, target, mask)) == pytest.approx(expected, abs=SSIM_TOL)


def test_error_sums_keep_gradients_and_other_dtypes():
    """CPU error terms write into NumPy-backed buffers (huge pages) and sum in compiled kernels; where autograd
    records an input or the dtype has no NumPy twin they fall back to torch's operators, with the same values up to
    the order of the sums."""
    pred, target, mask = as_batch(*case("random"))
    expected = device.fmse_soft(device.squared_error(pred, target), mask)
    graded = pred.clone().requires_grad_()
    fmse = device.fmse_soft(device.squared_error(graded, target), mask)
    fmse.sum().backward()
    assert torch.allclose(fmse.detach(), expected, rtol=1e-7, atol=0) and graded.grad is not None
    half = device.fmse_soft(device.squared_error(pred.bfloat16(), target.bfloat16()), mask.bfloat16())
    assert float(half) == pytest.approx(float(expected), rel=2e-2)


def test_without_numba_the_torch_ssim_runs(monkeypatch):
    monkeypatch.setitem(sys.modules, "harmbench.metrics.cpu_kernel", None)  # its import now fails, as without numba
    monkeypatch.delattr(harmbench.metrics, "cpu_kernel")
    assert device._compiled_kernel() is None
    pred, target, mask = case("odd size")
    values = metrics.compute_batch(*as_batch(pred, target, mask), profile="pctnet")[0]
    assert_agrees(values, metrics.compute_reference(pred, target, mask, profile="pctnet"))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(1, 3, 130, 67), (2, 3, 64, 5), (1, 1, 7, 9)])
def test_compiled_error_kernels_against_torch(dtype, shape):
    generator = torch.Generator().manual_seed(sum(shape))
    pred = torch.rand(shape, generator=generator, dtype=dtype) * 255
    target = torch.rand(shape, generator=generator, dtype=dtype) * 255
    weights = torch.rand((shape[0], 1, *shape[2:]), generator=generator, dtype=dtype)
    out = np.empty(shape, dtype=pred.numpy().dtype)
    squared = cpu_kernel.squared_error_into(pred.numpy(), target.numpy(), out)
    assert np.array_equal(squared, (pred - target).square().numpy())  # the same two roundings
    exact = torch.from_numpy(squared).double()
    np.testing.assert_allclose(cpu_kernel.image_sums(squared), exact.sum(dim=(1, 2, 3)).numpy(), rtol=1e-12)
    expected = (exact.sum(dim=1, keepdim=True) * weights.double()).sum(dim=(1, 2, 3))
    np.testing.assert_allclose(cpu_kernel.weighted_sums(squared, weights.numpy()), expected.numpy(), rtol=1e-6)


def test_compute_batch_on_cpu_runs_the_compiled_error_kernels(monkeypatch):
    calls = []
    for name in ("squared_error_into", "image_sums", "weighted_sums"):
        kernel = getattr(cpu_kernel, name)
        monkeypatch.setattr(cpu_kernel, name, lambda *a, kernel=kernel, name=name: calls.append(name) or kernel(*a))
    pred, target, mask = case("random")
    for profile in metrics.PROFILES:
        assert_agrees(metrics.compute_batch(*as_batch(pred, target, mask), profile=profile)[0],
                      metrics.compute_reference(pred, target, mask, profile=profile))
    assert {"squared_error_into", "image_sums", "weighted_sums"} <= set(calls)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("profile", sorted(metrics.PROFILES))
@pytest.mark.parametrize("name", CASES)
def test_compute_batch_on_cuda_agrees_with_reference(profile, name):
    """The device plan (float64 filtering, no TF32) on a real GPU, every agreement case."""
    pred, target, mask = case(name)
    expected, error = reference_or_error(pred, target, mask, profile)
    batch = [tensor.cuda() for tensor in as_batch(pred, target, mask)]
    if error:
        with pytest.raises(ValueError, match=f"^{error}$"):
            metrics.compute_batch(*batch, profile=profile)
        return
    assert_agrees(metrics.compute_batch(*batch, profile=profile)[0], expected)
