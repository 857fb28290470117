"""CDTNet's light-weighted refinement module R (official attribute names ``block``, ``conv_attention``, ``to_rgb``).

Input, in this channel order (all at the full resolution H x W, ImageNet-normalised where images):
``[up(base output) 3, LUT output 3, mask 1, up(F_dec) c]`` = 39 channels for c = 32; ``up`` is one bilinear step
(align_corners=False) from the low resolution. Then two 3x3 conv + BatchNorm + ELU at ``width`` channels (64 in the
official code) and the blending layer ``A = sigmoid(3 conv1x1)``, ``out = A * composite + (1 - A) * to_rgb``.
Table 4's ablations drop inputs (``inputs``) or the blending layer (``blending=False``: ``out = to_rgb``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.layers.init import xavier_gluon_init

REFINE_INPUTS = ("base", "lut", "mask", "features")


class Refinement(nn.Module):
    """The refinement module R on the inputs named in ``inputs`` (a subset of :data:`REFINE_INPUTS`)."""

    def __init__(self, feature_channels: int, width: int, inputs: tuple[str, ...], blending: bool):
        super().__init__()
        self.inputs = tuple(name for name in REFINE_INPUTS if name in inputs)  # fixed channel order
        widths = {"base": 3, "lut": 3, "mask": 1, "features": feature_channels}
        in_channels = sum(widths[name] for name in self.inputs)
        self.block = nn.Sequential(
            nn.Conv2d(in_channels, width, kernel_size=3, stride=1, padding=1), nn.BatchNorm2d(width), nn.ELU(),
            nn.Conv2d(width, width, kernel_size=3, stride=1, padding=1), nn.BatchNorm2d(width), nn.ELU(),
        )
        self.conv_attention = nn.Conv2d(width, 1, kernel_size=1) if blending else None
        self.to_rgb = nn.Conv2d(width, 3, kernel_size=1)
        xavier_gluon_init(self, magnitude=2.0)

    def forward(self, base: torch.Tensor, composite: torch.Tensor, mask: torch.Tensor, features: torch.Tensor,
                lut: torch.Tensor | None) -> torch.Tensor:
        """base (B,3,h,w) and features (B,c,h,w) at low resolution; composite, lut (B,3,H,W) and mask (B,1,H,W) at
        full resolution; images normalised. Returns the refined image in normalised space."""
        size = composite.shape[-2:]

        def upsampled(x):
            return F.interpolate(x, size=size, mode="bilinear", align_corners=False)

        parts = {"base": lambda: upsampled(base), "lut": lambda: lut, "mask": lambda: mask,
                 "features": lambda: upsampled(features)}
        x = self.block(torch.cat([parts[name]() for name in self.inputs], dim=1))
        if self.conv_attention is None:
            return self.to_rgb(x)
        attention = torch.sigmoid(3.0 * self.conv_attention(x))
        return attention * composite + (1 - attention) * self.to_rgb(x)
