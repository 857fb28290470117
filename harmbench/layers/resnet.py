"""The residual block of pix2pixHD's generator (after Johnson et al. 2016), also HiDT's content encoder/decoder."""

from __future__ import annotations

import torch
from torch import nn


class ResnetBlock(nn.Module):
    """``x + body(x)`` with ``body`` = [ReflPad1, Conv3, InstanceNorm, ReLU, ReflPad1, Conv3, InstanceNorm] at
    ``channels`` channels (instance norm without affine parameters; keys ``body.1.*`` and ``body.5.*``)."""

    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3), nn.InstanceNorm2d(channels),
                                  nn.ReLU(), nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3),
                                  nn.InstanceNorm2d(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)
