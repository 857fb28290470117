"""Evaluation resize protocols: what a decoded Sample looks like when it reaches the method and the metrics.

``squash`` is CDTNet's evaluation (``evaluate_model.py``: albumentations ``Resize(hr, hr)``, i.e. ``cv2.resize`` with
``INTER_LINEAR``, on the original full-resolution composite, target and mask): a bilinear resize to a square with
half-pixel centres and no antialiasing; aspect ratio not kept; smaller originals are upsampled.

* Images (uint8): cv2 returns uint8 and computes them in fixed point (11-bit weights, a horizontal then a vertical
  pass with intermediate shifts). ``_resize_uint8_like_cv2`` reproduces that arithmetic with whole-array integer
  operations; it is bit-exact against opencv-python-headless 5.0 on the 112 image/size pairs we tried (downsampling
  12 MP to 1024/2048, upsampling, odd shapes). A float bilinear resize rounded to uint8 would differ by one level on
  about 12 % of the pixels.
* The mask is float in the reference, which cv2 resizes in float: that is torch's ``interpolate(mode="bilinear",
  align_corners=False, antialias=False)`` (identical to cv2 in our checks). It stays soft.

``none`` keeps the native size (``size`` ignored).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from harmbench.data.sample import Sample

RESIZE_PROTOCOLS = ("squash", "none")
_WEIGHT_SCALE = np.float32(2048)  # cv2's INTER_RESIZE_COEF_SCALE (11 fractional bits)


@dataclass
class Prepared:
    """A sample at evaluation resolution.

    composite/target: float32 H x W x 3 on the 0-255 scale (integer values); mask: float32 H x W in [0, 1].
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


def _resize_uint8_like_cv2(image: np.ndarray, size: int) -> np.ndarray:
    """H x W x C uint8 -> size x size x C uint8, the way ``cv2.resize(..., INTER_LINEAR)`` computes it."""
    height, width, channels = image.shape
    x0, x1, wx0, wx1 = _fixed_point_taps(width, size, zero_weight_at_border=True)
    y0, y1, wy0, wy1 = _fixed_point_taps(height, size, zero_weight_at_border=False)
    rows, row_of = np.unique(np.concatenate([y0, y1]), return_inverse=True)  # only the source rows that are used
    source = image.reshape(height, width * channels)[rows]
    channel = np.arange(channels)
    left = np.take(source, (x0[:, None] * channels + channel).reshape(-1), axis=1)
    right = np.take(source, (x1[:, None] * channels + channel).reshape(-1), axis=1)
    # Horizontal pass: integer sum scaled by 2048, then >> 4 so the vertical products fit cv2's 16-bit lanes.
    horizontal = torch.from_numpy(left).to(torch.int32).mul_(torch.from_numpy(np.repeat(wx0, channels)))
    horizontal.add_(torch.from_numpy(right).to(torch.int32).mul_(torch.from_numpy(np.repeat(wx1, channels))))
    horizontal.bitwise_right_shift_(4)
    # Vertical pass: each product keeps its high 16 bits, then the sum is rounded by (+2) >> 2.
    top = horizontal[torch.from_numpy(row_of[:size])].mul_(torch.from_numpy(wy0)[:, None]).bitwise_right_shift_(16)
    bottom = horizontal[torch.from_numpy(row_of[size:])].mul_(torch.from_numpy(wy1)[:, None]).bitwise_right_shift_(16)
    result = top.add_(bottom).add_(2).bitwise_right_shift_(2).clamp_(0, 255)
    return result.to(torch.uint8).reshape(size, size, channels).numpy()


def _resize_float(array: np.ndarray, size: int) -> np.ndarray:
    """H x W float -> size x size float32, bilinear at half-pixel centres without antialiasing (cv2 on float32)."""
    tensor = torch.from_numpy(array.astype(np.float32))  # a copy: the loader's arrays are shared and read-only
    resized = F.interpolate(tensor[None, None], size=(size, size), mode="bilinear", align_corners=False,
                            antialias=False)
    return resized[0, 0].numpy()


def prepare(sample: Sample, size: int | None, protocol: str = "squash") -> Prepared:
    """Bring ``sample`` to evaluation resolution with ``protocol`` (one of RESIZE_PROTOCOLS)."""
    if protocol == "none":
        return Prepared(composite=sample.composite.astype(np.float32),
                        target=None if sample.target is None else sample.target.astype(np.float32),
                        mask=sample.mask.astype(np.float32))
    if protocol != "squash":
        raise ValueError(f"unknown resize protocol '{protocol}'; valid: {', '.join(RESIZE_PROTOCOLS)}")
    if size is None or int(size) < 1:
        raise ValueError(f"resize protocol 'squash' needs a positive size, got {size}")
    size = int(size)

    def squash_image(image: np.ndarray) -> np.ndarray:
        return _resize_uint8_like_cv2(image, size).astype(np.float32)

    return Prepared(composite=squash_image(sample.composite),
                    target=None if sample.target is None else squash_image(sample.target),
                    mask=_resize_float(sample.mask, size).clip(0, 1))


def to_tensors(prepared: Prepared) -> tuple[torch.Tensor, torch.Tensor]:
    """The model inputs: composite (1, 3, H, W) in [0, 1] and mask (1, 1, H, W)."""
    composite = torch.from_numpy(np.ascontiguousarray(prepared.composite, dtype=np.float32))
    composite = composite.permute(2, 0, 1)[None].div(255.0).contiguous()
    mask = torch.from_numpy(np.array(prepared.mask, dtype=np.float32))[None, None]
    return composite, mask
