"""Padding to a multiple of a network's total stride, and cropping back.

Two placements, kept apart because the methods' outputs depend on them: **centred** (DoveNet, S²AM, RainNet with
edge replication; iSSAM with zeros), where the extra rows/columns are split between the two sides with the smaller
half first, and **bottom-right** (pix2pixHD, HiDT, CRN), where they all go after the image.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# (top, left, height, width) of the original image inside a padded one
Window = tuple[int, int, int, int]


def centred_padding(height: int, width: int, multiple: int) -> tuple[int, int, int, int]:
    """``F.pad`` sides ``(left, right, top, bottom)`` that grow H and W to the next multiples of ``multiple``,
    split as evenly as possible (left/top get ``pad // 2``)."""
    pad_h, pad_w = -height % multiple, -width % multiple
    return pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2


def window_of(sides: tuple[int, int, int, int], height: int, width: int) -> Window:
    """The crop window of an ``height`` x ``width`` image padded by ``sides`` = (left, right, top, bottom)."""
    return sides[2], sides[0], height, width


def pad_centred(composite: torch.Tensor, mask: torch.Tensor, multiple: int
                ) -> tuple[torch.Tensor, torch.Tensor, Window]:
    """Centred padding of a contract pair: the image by edge replication, the mask with 0 (background).

    Returns the padded pair and the :data:`Window` to :func:`crop` the output with; inputs that already fit are
    returned as they are.
    """
    height, width = composite.shape[-2:]
    sides = centred_padding(height, width, multiple)
    window = window_of(sides, height, width)
    if not any(sides):
        return composite, mask, window
    return F.pad(composite, sides, mode="replicate"), F.pad(mask, sides), window


def crop(tensor: torch.Tensor, window: Window) -> torch.Tensor:
    """The ``window`` = (top, left, height, width) of the last two dimensions (a view)."""
    top, left, height, width = window
    return tensor[..., top:top + height, left:left + width]


def pad_bottom_right(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Replicate-pad the bottom and right of (B,C,H,W) so that H and W are multiples of ``multiple``; crop back
    with ``[..., :H, :W]``."""
    pad_h, pad_w = -x.shape[2] % multiple, -x.shape[3] % multiple
    return F.pad(x, (0, pad_w, 0, pad_h), mode="replicate") if pad_h or pad_w else x
