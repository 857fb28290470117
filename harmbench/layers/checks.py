"""The model-contract input check shared by every method: one error type (:class:`harmbench.MethodError`, a
``ValueError``), one message form ``"<method>: <problem>"``."""

from __future__ import annotations

import torch

from harmbench.registry import MethodError


def check_inputs(method: str, composite: torch.Tensor, mask: torch.Tensor, more_than: int = 0) -> None:
    """Raise one :class:`MethodError` line unless ``composite`` is (B,3,H,W) and ``mask`` (B,1,H,W) with the same
    B, H and W, and both H and W exceed ``more_than`` (a network whose bottleneck needs at least 2 x 2 pixels
    after padding sets it to its size multiple; 0 accepts any size)."""
    if composite.ndim != 4 or composite.shape[1] != 3:
        raise MethodError(f"{method}: composite must be (B,3,H,W), got {tuple(composite.shape)}")
    if mask.ndim != 4 or mask.shape[1] != 1 or mask.shape[0] != composite.shape[0] \
            or mask.shape[2:] != composite.shape[2:]:
        raise MethodError(f"{method}: mask must be (B,1,H,W) matching composite {tuple(composite.shape)}, "
                          f"got {tuple(mask.shape)}")
    if min(composite.shape[2:]) <= more_than:
        raise MethodError(f"{method}: input {composite.shape[2]}x{composite.shape[3]} is too small; this config "
                          f"needs both sides above {more_than} px")
