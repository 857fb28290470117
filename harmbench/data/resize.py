"""Evaluation resize protocols: what a decoded Sample looks like when it reaches the method and the metrics.

``squash`` is CDTNet's evaluation (``evaluate_model.py``: albumentations ``Resize(hr, hr)``, i.e. ``cv2.resize`` with
``INTER_LINEAR``, on the original full-resolution composite, target and mask): a bilinear resize to a square with
half-pixel centres and no antialiasing; aspect ratio not kept; smaller originals are upsampled.

* Images (uint8): cv2 returns uint8 and computes them in fixed point (11-bit weights, a horizontal then a vertical
  pass with intermediate shifts). ``_resize_uint8_like_cv2`` reproduces that arithmetic in one compiled pass over the
  output rows (numba); it is bit-exact against opencv-python-headless 5.0 on the 112 image/size pairs we tried
  (downsampling 12 MP to 1024/2048, upsampling, odd shapes). A float bilinear resize rounded to uint8 would differ by
  one level on about 12 % of the pixels. The kernel is single-threaded on purpose: it runs in the data workers,
  processes that already share the CPUs, and a numba thread pool does not survive a fork.
* The mask is float in the reference, which cv2 resizes in float: that is torch's ``interpolate(mode="bilinear",
  align_corners=False, antialias=False)`` (identical to cv2 in our checks). It stays soft.

``none`` keeps the native size (``size`` ignored).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from harmbench.data.sample import Sample
from harmbench.layers.compiled import jit

RESIZE_PROTOCOLS = ("squash", "none")
_WEIGHT_SCALE = np.float32(2048)  # cv2's INTER_RESIZE_COEF_SCALE (11 fractional bits)


@dataclass
class Prepared:
    """A sample at evaluation resolution.

    composite/target: uint8 H x W x 3 (what cv2 returns for the reference's uint8 images); mask: float32 H x W in
    [0, 1].
    """

    composite: np.ndarray
    target: np.ndarray | None
    mask: np.ndarray


def _fixed_point_taps(source: int, dest: int, zero_weight_at_border: bool):
    """For each output index along one axis: the two source indices and their 11-bit integer weights, as cv2.

    cv2 computes the source coordinate in float32 from ``scale = 1 / (dest / source)``. Along x it moves the whole
    weight to the edge pixel where the coordinate leaves the image; along y it only clamps the row indices.
    """
    position = ((np.arange(dest) + 0.5) * (1.0 / (dest / source)) - 0.5).astype(np.float32)
    first = np.floor(position).astype(np.int64)
    fraction = (position - first.astype(np.float32)).astype(np.float32)
    if zero_weight_at_border:
        fraction[(first < 0) | (first >= source - 1)] = 0
    weight_first = np.rint((np.float32(1) - fraction) * _WEIGHT_SCALE).astype(np.int32)
    weight_second = np.rint(fraction * _WEIGHT_SCALE).astype(np.int32)
    return np.clip(first, 0, source - 1), np.clip(first + 1, 0, source - 1), weight_first, weight_second


def _resize_rows(source, size, x_first, x_second, wx_first, wx_second, y_first, y_second, wy_first, wy_second,
                 out, above, below):
    """cv2's two fixed-point passes, output row by output row (compiled by :func:`load_resize_kernel`).

    source (H, W * C) uint8; x_* / wx_*: per output element (size * C) the source element and its 11-bit weight;
    y_* / wy_*: per output row the two source rows and their weights; out (size, size * C) uint8. above/below
    (size * C) int32 hold the horizontal pass of two source rows (cv2's ring buffer), so each source row is
    resampled horizontally at most once while consecutive output rows use it.
    """
    above_row, below_row = -1, -1
    for i in range(size):
        top, bottom = y_first[i], y_second[i]
        if below_row == top:  # moving down: the old lower row is the new upper row
            above, below = below, above
            above_row, below_row = below_row, above_row
        for buffer, wanted, held in ((above, top, above_row), (below, bottom, below_row)):
            if wanted != held:
                row = source[wanted]
                # Horizontal pass: the sum scaled by 2048, >> 4 so that the vertical products fit 16-bit lanes.
                for k in range(buffer.shape[0]):
                    buffer[k] = (np.int32(row[x_first[k]]) * wx_first[k]
                                 + np.int32(row[x_second[k]]) * wx_second[k]) >> 4
        above_row, below_row = top, bottom
        w_top, w_bottom = wy_first[i], wy_second[i]
        line = out[i]
        # Vertical pass: each product keeps its high 16 bits, then the sum is rounded by (+2) >> 2.
        for k in range(line.shape[0]):
            value = (((above[k] * w_top) >> 16) + ((below[k] * w_bottom) >> 16) + 2) >> 2
            line[k] = min(max(value, 0), 255)


_compiled_kernel = None


def load_resize_kernel():
    """:func:`_resize_rows` compiled by numba, loaded on first use: numba takes ~0.3 s to import, then the kernel
    loads from numba's on-disk cache (~0.5 s) or compiles (~1-2 s). One explicit signature (the source read-only,
    as the loader's arrays are; writable ones convert), so it is loaded here, at once: a process forked afterwards
    (a data worker) inherits it, and can call it, as it is single-threaded."""
    global _compiled_kernel
    if _compiled_kernel is None:
        from numba import types

        index, weight = types.int64[::1], types.int32[::1]
        signature = types.void(types.Array(types.uint8, 2, "C", readonly=True), types.int64, index, index, weight,
                               weight, index, index, weight, weight, types.uint8[:, ::1], weight, weight)
        _compiled_kernel = jit(_resize_rows, "resize", signature, nogil=True)
    return _compiled_kernel


def _resize_uint8_like_cv2(image: np.ndarray, size: int) -> np.ndarray:
    """H x W x C uint8 -> size x size x C uint8, the way ``cv2.resize(..., INTER_LINEAR)`` computes it."""
    height, width, channels = image.shape
    x0, x1, wx0, wx1 = _fixed_point_taps(width, size, zero_weight_at_border=True)
    y0, y1, wy0, wy1 = _fixed_point_taps(height, size, zero_weight_at_border=False)
    channel = np.arange(channels, dtype=np.int64)
    out = np.empty((size, size * channels), np.uint8)
    kernel = load_resize_kernel()
    kernel(np.ascontiguousarray(image, dtype=np.uint8).reshape(height, width * channels), size,
           (x0[:, None] * channels + channel).reshape(-1), (x1[:, None] * channels + channel).reshape(-1),
           np.repeat(wx0, channels), np.repeat(wx1, channels), y0, y1, wy0, wy1, out,
           np.empty(size * channels, np.int32), np.empty(size * channels, np.int32))
    return out.reshape(size, size, channels)


def _resize_float(array: np.ndarray, size: int) -> np.ndarray:
    """H x W float -> size x size float32 clipped to [0, 1], bilinear at half-pixel centres without antialiasing
    (cv2 on float32)."""
    source = np.ascontiguousarray(array, dtype=np.float32)
    with warnings.catch_warnings():  # the loader's masks are shared and read-only; interpolate only reads them
        warnings.filterwarnings("ignore", "The given NumPy array is not writable", UserWarning)
        tensor = torch.from_numpy(source)
    resized = F.interpolate(tensor[None, None], size=(size, size), mode="bilinear", align_corners=False,
                            antialias=False)
    return resized[0, 0].clamp_(0, 1).numpy()


def prepare(sample: Sample, size: int | None, protocol: str = "squash",
            previous: tuple[Sample, Prepared] | None = None) -> Prepared:
    """Bring ``sample`` to evaluation resolution with ``protocol`` (one of RESIZE_PROTOCOLS).

    ``previous``: the sample prepared last and its result. The real image or mask ``sample`` shares with it (the very
    same array: :class:`~harmbench.data.io.SampleLoader` hands one array per file to consecutive composites) is not
    resized again; its prepared array is reused. Every other array returned is new (the sample's may be shared and
    read-only).
    """
    if protocol == "none":
        shape = sample.mask.shape

        def image_of(image: np.ndarray) -> np.ndarray:
            return np.array(image, dtype=np.uint8)

        def mask_of(mask: np.ndarray) -> np.ndarray:
            return np.array(mask, dtype=np.float32)
    elif protocol == "squash":
        if size is None or int(size) < 1:
            raise ValueError(f"resize protocol 'squash' needs a positive size, got {size}")
        shape = (int(size), int(size))

        def image_of(image: np.ndarray) -> np.ndarray:
            return _resize_uint8_like_cv2(image, shape[0])

        def mask_of(mask: np.ndarray) -> np.ndarray:
            return _resize_float(mask, shape[0])
    else:
        raise ValueError(f"unknown resize protocol '{protocol}'; valid: {', '.join(RESIZE_PROTOCOLS)}")

    last_sample, last = previous if previous is not None and previous[1].mask.shape == shape else (None, None)
    if sample.target is None:
        target = None
    elif last is not None and sample.target is last_sample.target:
        target = last.target
    else:
        target = image_of(sample.target)
    mask = last.mask if last is not None and sample.mask is last_sample.mask else mask_of(sample.mask)
    return Prepared(composite=image_of(sample.composite), target=target, mask=mask)


def to_tensors(prepared: Prepared) -> tuple[torch.Tensor, torch.Tensor]:
    """The model inputs: composite (1, 3, H, W) float32 in [0, 1] and mask (1, 1, H, W) float32 (new tensors)."""
    composite = torch.from_numpy(prepared.composite).permute(2, 0, 1)[None].div(255.0).contiguous()
    mask = torch.from_numpy(np.array(prepared.mask, dtype=np.float32))[None, None]
    return composite, mask
