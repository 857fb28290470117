"""Partial convolution (Liu et al., ECCV 2018) with a single-channel mask, in DoveNet's discriminator form."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class PartialConv2d(nn.Conv2d):
    """With a mask: ``conv(x * m) * (k*k / window_sum(m)) * clamp(window_sum(m), 0, 1) + bias * clamp(...)``, and
    the clamped window sum is returned as the next layer's mask. Without a mask it is a plain convolution (with
    padding 0, as DoveNet uses it, an all-ones mask changes nothing). Returns ``(output, mask or None)``.
    """

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None):
        if mask is None:
            return super().forward(x), None
        with torch.no_grad():
            ones = torch.ones(1, 1, *self.kernel_size, dtype=mask.dtype, device=mask.device)
            coverage = F.conv2d(mask, ones, stride=self.stride, padding=self.padding, dilation=self.dilation)
            update = coverage.clamp(0, 1)
            ratio = self.kernel_size[0] * self.kernel_size[1] / (coverage + 1e-8) * update
        out = F.conv2d(x * mask, self.weight, None, self.stride, self.padding, self.dilation, self.groups) * ratio
        if self.bias is not None:
            out = out + self.bias.view(1, -1, 1, 1) * update
        return out, update
