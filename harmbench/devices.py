"""Turning a ``--device`` value into a ``torch.device``, with one clear line when the machine lacks it.

Floor 1 of the house plan: imports only torch, so every job and command can call it.
"""

from __future__ import annotations

import re

import torch

DEVICE_CHOICES = "auto, cpu, cuda or cuda:N"
_CUDA_SPEC = re.compile(r"cuda(?::(\d+))?")


def resolve_device(spec: str | torch.device) -> torch.device:
    """The device named by ``spec``: ``"auto"`` is CUDA when available, else CPU; ``"cpu"``; ``"cuda"`` (the current
    CUDA device) or ``"cuda:N"`` (N < the number of visible CUDA devices).

    Raises ValueError naming the value when the machine has no such device or the value is none of these.
    """
    text = str(spec).strip().lower()
    if text == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if text == "cpu":
        return torch.device("cpu")
    cuda = _CUDA_SPEC.fullmatch(text)
    if cuda is None:
        raise ValueError(f"--device {spec}: unknown device; expected {DEVICE_CHOICES}")
    if not torch.cuda.is_available():
        raise ValueError(f"--device {spec}: CUDA is not available on this machine (use --device cpu or auto)")
    if cuda.group(1) is None:
        return torch.device("cuda")
    count = torch.cuda.device_count()
    if int(cuda.group(1)) >= count:
        raise ValueError(f"--device {spec}: this machine has {count} CUDA device(s), cuda:0 to cuda:{count - 1}")
    return torch.device(text)
