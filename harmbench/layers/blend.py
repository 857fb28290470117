"""Composite with the background: keep the input wherever the mask is 0."""

from __future__ import annotations

import torch


def composite_with_background(images: torch.Tensor, composite: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """``images * mask + composite * (1 - mask)``: the harmonized foreground pasted on the input background.

    Where ``mask == 0`` the result equals ``composite`` bit for bit (``images * 0 + composite * 1``), provided
    ``images`` is finite there; soft mask values mix the two.
    """
    return images * mask + composite * (1 - mask)
