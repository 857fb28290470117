"""Turning a ``--device`` option into a :class:`torch.device`."""

from __future__ import annotations

import torch


def resolve_device(spec: str) -> torch.device:
    """``"auto"`` -> ``cuda`` when a CUDA device is present, else ``cpu``; anything else is parsed by torch and
    checked: an unknown name or a CUDA device that is not there is a ValueError naming the option."""
    if spec == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(spec)
    except RuntimeError:
        raise ValueError(f"--device '{spec}': not a device (use auto, cpu, cuda or cuda:<index>)") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"--device {spec}: CUDA is not available on this machine (use --device cpu or auto)")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ValueError(f"--device {spec}: only {torch.cuda.device_count()} CUDA device(s) here")
    return device
