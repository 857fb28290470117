"""torchrun: this process's ranks, its device and the process group, shared by ``harmbench run`` and ``train``.

Floor 1 (docs/layout.md): imports only torch.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist

TORCHRUN_ENV = ("RANK", "WORLD_SIZE", "LOCAL_RANK")


@dataclass(frozen=True)
class Ranks:
    """This process's place in a torchrun job: global rank, number of processes, rank on this machine."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        """Rank 0: the one process that merges, validates, logs and writes checkpoints."""
        return self.rank == 0


def torchrun_ranks() -> Ranks | None:
    """The ranks torchrun gives this process through RANK / WORLD_SIZE / LOCAL_RANK, or None outside torchrun."""
    if not all(name in os.environ for name in TORCHRUN_ENV):
        return None
    try:
        return Ranks(*(int(os.environ[name]) for name in TORCHRUN_ENV))
    except ValueError:
        raise ValueError("RANK, WORLD_SIZE and LOCAL_RANK must be integers (as torchrun sets them)") from None


def rank_device(device: torch.device, ranks: Ranks) -> torch.device:
    """A CUDA ``device`` becomes ``cuda:LOCAL_RANK`` (one GPU per process) and the current CUDA device; others stay."""
    if device.type != "cuda":
        return device
    device = torch.device("cuda", ranks.local_rank)
    torch.cuda.set_device(device)
    return device


@contextlib.contextmanager
def process_group(device: torch.device, timeout: timedelta):
    """A process group for the torchrun job (nccl on CUDA, gloo otherwise), made here unless one exists already and
    then destroyed on exit."""
    owns_group = not dist.is_initialized()
    if owns_group:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo", timeout=timeout)
    try:
        yield
    finally:
        if owns_group:
            dist.destroy_process_group()
