"""Metric profiles as open mappings ``key -> MetricDefinition``, and the entry points that evaluate them.

A :class:`MetricDefinition` is everything about one metric of one profile: its result key and table metadata
(:class:`MetricInfo`), its NumPy reference function (:mod:`harmbench.metrics.reference`, the exact definition), its
torch batch function (:mod:`harmbench.metrics.device`, same formula) and what both take, by name, in order
(``needs``): an input (``pred``, ``target``, ``mask``, or ``squared_error`` = (pred − target)², computed once per
call) or the value of a metric listed earlier in the same profile (PSNR takes the profile's "mse"). A
:class:`MetricProfile` is an ordered tuple of definitions plus a name, version and the keys training validation
uses. ``compute``, ``compute_batch``, the table metadata ``METRICS`` and the quality-table columns all derive from
the profiles, so a new metric is one definition and one line in each profile that reports it. Worked example,
SSIM restricted to the foreground (fSSIM) in the harmbench profile::

    FSSIM = MetricDefinition(MetricInfo("fssim", "fSSIM", higher_is_better=True, fmt="{:.4f}"),
                             reference=fssim_numpy, device=fssim_torch, needs=("pred", "target", "mask"))
    # ... and in the harmbench profile's definitions: (MSE, PSNR_255, FMSE_HARD, FPSNR_255, SSIM_WANG, FSSIM)

where ``fssim_numpy(pred, target, mask) -> float`` works on one H x W x 3 image and ``fssim_torch(pred, target,
mask) -> tensor of B float64`` on a B x 3 x H x W batch. Bump the profile's ``version`` whenever a definition of
an existing key changes; adding a key leaves existing values alone.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from harmbench.metrics import device, reference

INPUTS = ("pred", "target", "mask", "squared_error")  # names a definition may need besides earlier metric keys


@dataclass(frozen=True)
class MetricInfo:
    """How tables show a metric: header label, ranking direction, a ``str.format`` pattern, and whether the
    quality table (Table 1) has a column for it."""

    key: str
    label: str
    higher_is_better: bool
    fmt: str
    quality_table: bool = True

    def format(self, value: float) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class MetricDefinition:
    """One metric of a profile: ``reference(*needs)`` -> float on one H x W x 3 image (NumPy), ``device(*needs)``
    -> B float64 values on a B x 3 x H x W batch (torch); both compute the same formula."""

    info: MetricInfo
    reference: Callable[..., float]
    device: Callable[..., torch.Tensor]
    needs: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.info.key


@dataclass(frozen=True)
class MetricProfile:
    """One complete, versioned set of metric definitions. Bump ``version`` whenever any definition changes.

    ``metrics`` maps each key to its definition in result order. ``validation_keys`` are the keys training
    validation computes; the first one picks the best checkpoint. ``profile.<key>`` is that metric's reference
    function (e.g. ``profile.psnr(error, target)``).
    """

    name: str
    version: str
    description: str
    definitions: tuple[MetricDefinition, ...]
    validation_keys: tuple[str, ...]
    metrics: Mapping[str, MetricDefinition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        metrics: dict[str, MetricDefinition] = {}
        for definition in self.definitions:
            if definition.key in metrics:
                raise ValueError(f"metric profile {self.name!r}: key {definition.key!r} is defined twice")
            unknown = [name for name in definition.needs if name not in INPUTS and name not in metrics]
            if unknown:
                raise ValueError(f"metric profile {self.name!r}: {definition.key!r} needs {unknown}, which are "
                                 f"neither inputs {INPUTS} nor keys defined before it")
            metrics[definition.key] = definition
        object.__setattr__(self, "metrics", types.MappingProxyType(metrics))
        self.keys_with_dependencies(self.validation_keys)  # rejects unknown validation keys

    def __getattr__(self, key: str) -> Callable[..., float]:
        metrics = self.__dict__.get("metrics", {})
        if key in metrics:
            return metrics[key].reference
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def keys_with_dependencies(self, keys: Iterable[str]) -> list[str]:
        """``keys`` plus every metric they need, directly or not, in profile order; ValueError for unknown keys."""
        wanted = set()
        pending = list(keys)
        while pending:
            key = pending.pop()
            if key not in self.metrics:
                raise ValueError(f"unknown metric {key!r} in profile {self.name!r}; valid: {', '.join(self.metrics)}")
            if key not in wanted:
                wanted.add(key)
                pending += [name for name in self.metrics[key].needs if name in self.metrics]
        return [key for key in self.metrics if key in wanted]


# ---------------------------------------------------------------------------------------------------------------
# Definitions

MSE_INFO = MetricInfo("mse", "MSE", higher_is_better=False, fmt="{:.2f}")
PSNR_INFO = MetricInfo("psnr", "PSNR", higher_is_better=True, fmt="{:.2f}")
FMSE_INFO = MetricInfo("fmse", "fMSE", higher_is_better=False, fmt="{:.2f}")
FPSNR_INFO = MetricInfo("fpsnr", "fPSNR", higher_is_better=True, fmt="{:.2f}", quality_table=False)
SSIM_INFO = MetricInfo("ssim", "SSIM", higher_is_better=True, fmt="{:.4f}")

MSE = MetricDefinition(MSE_INFO, reference.mse, device.mse, ("squared_error",))
MSE_MASKED = MetricDefinition(MSE_INFO, reference.masked_mse, device.masked_mse, ("squared_error", "mask"))
FMSE_SOFT = MetricDefinition(FMSE_INFO, reference.fmse_soft, device.fmse_soft, ("squared_error", "mask"))
FMSE_HARD = MetricDefinition(FMSE_INFO, reference.fmse_hard, device.fmse_hard, ("squared_error", "mask"))


def _psnr_pair(reference_fn: Callable[..., float], device_fn: Callable[..., torch.Tensor]):
    """PSNR of the profile's MSE and, with the same peak rule, fPSNR of its fMSE."""
    return (MetricDefinition(PSNR_INFO, reference_fn, device_fn, ("mse", "target")),
            MetricDefinition(FPSNR_INFO, reference_fn, device_fn, ("fmse", "target")))


PSNR_TARGET_PEAK, FPSNR_TARGET_PEAK = _psnr_pair(reference.psnr_target_peak, device.psnr_target_peak)
PSNR_255, FPSNR_255 = _psnr_pair(reference.psnr_255, device.psnr_255)
PSNR_255_EPS, FPSNR_255_EPS = _psnr_pair(reference.psnr_255_eps, device.psnr_255_eps)
SSIM_CDTNET = MetricDefinition(SSIM_INFO, reference.ssim_cdtnet, device.ssim_cdtnet, ("pred", "target"))
SSIM_WANG = MetricDefinition(SSIM_INFO, reference.ssim_wang, device.ssim_wang, ("pred", "target"))
SSIM_PCTNET = MetricDefinition(SSIM_INFO, reference.ssim_pctnet, device.ssim_pctnet, ("pred", "target", "mask"))

VALIDATION_KEYS = ("fmse", "mse", "psnr")  # fMSE picks best.pt; SSIM, the slow one, is not needed for that

PROFILES: dict[str, MetricProfile] = {
    profile.name: profile
    for profile in (
        MetricProfile(
            name="cdtnet",
            version="1",
            description="CDTNet/iS²AM evaluator: MSE over all pixels; soft-mask fMSE; PSNR/fPSNR peak = max(target) "
            "with +1e-6; SSIM 7x7 Gaussian σ1.5, zero padding, R = pred range",
            definitions=(MSE, PSNR_TARGET_PEAK, FMSE_SOFT, FPSNR_TARGET_PEAK, SSIM_CDTNET),
            validation_keys=VALIDATION_KEYS,
        ),
        MetricProfile(
            name="harmbench",
            version="1",
            description="canonical: MSE over all pixels; fMSE on the mask binarised at 0.5; PSNR/fPSNR peak 255; "
            "SSIM of Wang et al. (11-tap Gaussian σ1.5, R = 255, = skimage Gaussian settings)",
            definitions=(MSE, PSNR_255, FMSE_HARD, FPSNR_255, SSIM_WANG),
            validation_keys=VALIDATION_KEYS,
        ),
        MetricProfile(
            name="pctnet",
            version="1",
            description="PCT-Net evaluator: MSE = mean(m·err²) (background excluded); soft-mask fMSE; PSNR/fPSNR "
            "peak 255 with +1e-6; SSIM = pytorch_msssim defaults on pred·m + gt·(1−m)",
            definitions=(MSE_MASKED, PSNR_255_EPS, FMSE_SOFT, FPSNR_255_EPS, SSIM_PCTNET),
            validation_keys=VALIDATION_KEYS,
        ),
    )
}

DEFAULT_PROFILE = "cdtnet"


def get_profile(profile: str | MetricProfile) -> MetricProfile:
    """The profile called ``profile`` (a MetricProfile passes through); ValueError lists the valid names."""
    if isinstance(profile, MetricProfile):
        return profile
    if profile not in PROFILES:
        raise ValueError(f"unknown metric profile {profile!r}; valid: {', '.join(sorted(PROFILES))}")
    return PROFILES[profile]


def _table_metadata(profiles: Iterable[MetricProfile]) -> dict[str, MetricInfo]:
    """Every key any profile reports, in first-seen order; one key must have one MetricInfo across profiles."""
    infos: dict[str, MetricInfo] = {}
    for profile in profiles:
        for key, definition in profile.metrics.items():
            if infos.setdefault(key, definition.info) != definition.info:
                raise ValueError(f"metric {key!r}: profile {profile.name!r} gives it different table metadata")
    return infos


METRICS: dict[str, MetricInfo] = _table_metadata(PROFILES.values())


# ---------------------------------------------------------------------------------------------------------------
# Evaluation


def _evaluate(profile: MetricProfile, keys: Sequence[str] | None, inputs: Mapping[str, Callable[[], object]],
              implementation: str) -> dict[str, object]:
    """Values of ``keys`` (all keys when None), in that order, from ``definition.<implementation>`` functions.

    ``inputs`` maps each input name to a function producing it, called at most once and only when needed.
    """
    wanted = list(profile.metrics) if keys is None else list(keys)
    values: dict[str, object] = {}
    produced: dict[str, object] = {}
    for key in profile.keys_with_dependencies(wanted):
        definition = profile.metrics[key]
        arguments = []
        for name in definition.needs:
            if name in profile.metrics:
                arguments.append(values[name])
            else:
                if name not in produced:
                    produced[name] = inputs[name]()
                arguments.append(produced[name])
        values[key] = getattr(definition, implementation)(*arguments)
    return {key: values[key] for key in wanted}


def _as_image(name: str, array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    if array.dtype.kind not in "fiu":
        raise ValueError(f"{name}: expected a float or integer array, got dtype {array.dtype}")
    if array.ndim != 3 or array.shape[-1] != 3:
        raise ValueError(f"{name}: expected shape H x W x 3, got {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array.sum(dtype=np.float64)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return array


def _as_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype.kind not in "fiub":
        raise ValueError(f"mask: expected a float, integer or bool array, got dtype {mask.dtype}")
    if mask.ndim == 3 and mask.shape[-1] == 1:
        mask = mask[..., 0]
    if mask.shape != (height, width):
        raise ValueError(f"mask: shape {mask.shape} does not match the images' H x W = {(height, width)}")
    mask = mask.astype(np.float64)
    low, high = float(mask.min()), float(mask.max())
    if not (low >= 0.0 and high <= 1.0):  # also catches NaN
        raise ValueError(f"mask: values must lie in [0, 1], got [{low}, {high}] (divide a 0–255 mask by 255)")
    return mask


def _planar_batch(image: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
    """An H x W x C array as a contiguous 1 x C x H x W tensor of ``dtype``."""
    planes = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None]
    return planes.to(dtype, memory_format=torch.contiguous_format)


def compute(pred: np.ndarray, target: np.ndarray, mask: np.ndarray, profile: str | MetricProfile = DEFAULT_PROFILE,
            keys: Sequence[str] | None = None) -> dict[str, float]:
    """The metrics of one image under ``profile`` as floats, keyed and ordered as the profile's ``metrics`` (for
    today's profiles: mse, psnr, fmse, fpsnr, ssim); only ``keys`` and what they need when given.

    pred, target: H x W x 3 on the 0–255 scale (float32/float64, or integers such as uint8); mask: H x W (or
    H x W x 1) in [0, 1]. Raises ValueError naming the problem for a shape, dtype or range mismatch.

    Runs the torch definitions on CPU (as ``compute_batch`` with a batch of one, after planar copies); they agree
    with ``compute_reference`` within 1e-6 relative (1e-6 absolute on SSIM), in practice ~2e-8 and ~1e-8.
    """
    metric_profile = get_profile(profile)
    pred = _as_image("pred", pred)
    target = _as_image("target", target)
    if pred.shape != target.shape:
        raise ValueError(f"pred shape {pred.shape} does not match target shape {target.shape}")
    mask = _as_mask(mask, *pred.shape[:2])
    # planar 1 x C x H x W copies in one float dtype (float32 for float32/uint8 inputs, else float64): the torch
    # definitions run on contiguous planes, and one transposing copy is cheaper than strided access in every pass
    common = np.promote_types(np.promote_types(pred.dtype, target.dtype), np.float32)
    dtype = torch.float32 if common == np.float32 else torch.float64
    pred_batch, target_batch = (_planar_batch(image, dtype) for image in (pred, target))
    mask_batch = torch.from_numpy(mask)[None, None].to(dtype)
    inputs = {"pred": lambda: pred_batch, "target": lambda: target_batch, "mask": lambda: mask_batch,
              "squared_error": lambda: device.squared_error(pred_batch, target_batch)}
    with torch.inference_mode(), device.single_threaded_ops():  # see there: no per-op thread barriers on CPU
        values = _evaluate(metric_profile, keys, inputs, "device")
    return {key: float(value) for key, value in values.items()}


def compute_reference(pred: np.ndarray, target: np.ndarray, mask: np.ndarray,
                      profile: str | MetricProfile = DEFAULT_PROFILE,
                      keys: Sequence[str] | None = None) -> dict[str, float]:
    """``compute`` with the NumPy reference definitions: the exact values the faster paths are tested against."""
    metric_profile = get_profile(profile)
    pred = _as_image("pred", pred)
    target = _as_image("target", target)
    if pred.shape != target.shape:
        raise ValueError(f"pred shape {pred.shape} does not match target shape {target.shape}")
    mask = _as_mask(mask, *pred.shape[:2])
    inputs = {"pred": lambda: pred, "target": lambda: target, "mask": lambda: mask,
              "squared_error": lambda: reference.squared_error(pred, target)}  # float64, whatever the input dtypes
    return {key: float(value) for key, value in _evaluate(metric_profile, keys, inputs, "reference").items()}


def _check_batch(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> None:
    for name, tensor, channels in (("pred", pred, 3), ("target", target, 3), ("mask", mask, 1)):
        if not isinstance(tensor, torch.Tensor) or not tensor.is_floating_point():
            raise ValueError(f"{name}: expected a floating-point torch tensor, got {type(tensor).__name__} "
                             f"{getattr(tensor, 'dtype', '')}".rstrip())
        if tensor.ndim != 4 or tensor.shape[1] != channels:
            raise ValueError(f"{name}: expected shape B x {channels} x H x W, got {tuple(tensor.shape)}")
        if tensor.device != pred.device:
            raise ValueError(f"{name}: on {tensor.device}, pred on {pred.device}; all inputs must share a device")
    if target.shape != pred.shape:
        raise ValueError(f"pred shape {tuple(pred.shape)} does not match target shape {tuple(target.shape)}")
    if mask.shape[0] != pred.shape[0] or mask.shape[2:] != pred.shape[2:]:
        raise ValueError(f"mask: shape {tuple(mask.shape)} does not match the images' B x 1 x H x W = "
                         f"{(pred.shape[0], 1, *pred.shape[2:])}")


def compute_batch(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor,
                  profile: str | MetricProfile = DEFAULT_PROFILE,
                  keys: Sequence[str] | None = None) -> list[dict[str, float]]:
    """The metrics of each image of a batch under ``profile``: one dict per image, keys and order as ``compute``.

    pred, target: B x 3 x H x W float tensors on the 0–255 scale (pred clamped, not rounded); mask: B x 1 x H x W in
    [0, 1]; all on one device (CPU or CUDA), where the torch definitions (:mod:`harmbench.metrics.device`) run.
    Values agree with the NumPy reference within 1e-6 relative (MSE, fMSE, PSNR) and 1e-6 absolute (SSIM).

    On CPU the same torch definitions run, except SSIM, the squared error and the per-image sums: their compiled
    kernels (:mod:`harmbench.metrics.cpu_kernel`, used when numba is importable and nothing watches torch's
    operators) are the faster path there, and the large temporaries are reused from call to call
    (``device.reused_buffers``). Measured at 2048² (B = 1, float32), 2 threads on a quiet 2-core machine, best of 15
    calls, wall time: cdtnet 35-37 ms, harmbench 37-39 ms, pctnet 33-34 ms, against 38-45, 42-47 and 39-44 ms with
    the torch error terms and fresh temporaries (and 191-232 ms CPU time for cdtnet before the SSIM kernel). Other
    CPU work runs in ``device.single_threaded_ops``.
    """
    metric_profile = get_profile(profile)
    _check_batch(pred, target, mask)
    on_cpu = pred.device.type == "cpu"
    # CPU temporaries are reused from call to call (device.reused_buffers): only floats leave this function
    with torch.inference_mode(), device.single_threaded_ops() if on_cpu else contextlib.nullcontext(), \
            device.reused_buffers():
        inputs = {"pred": lambda: pred, "target": lambda: target, "mask": lambda: mask,
                  "squared_error": lambda: device.squared_error(pred, target)}
        values = _evaluate(metric_profile, keys, inputs, "device")
        table = torch.stack(list(values.values()), dim=1).cpu().tolist()  # one transfer for the whole batch
    return [dict(zip(values, row, strict=True)) for row in table]
