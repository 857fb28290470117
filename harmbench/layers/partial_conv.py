"""Partial convolution (Liu et al., ECCV 2018) with a single-channel mask, in DoveNet's discriminator form."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class PartialConv2d(nn.Conv2d):
    """Partial convolution exactly as DoveNet's (and RainNet's) discriminator computes it.

    With a mask ``m`` (B,1,H,W), ``c = window_sum(m)`` (all-ones k x k kernel, same stride/padding/dilation),
    ``u = clamp(c, 0, 1)`` and ``r = k*k / (c + 1e-8) * u``:

    - with bias: ``(conv_no_bias(x * m) * r + bias) * u`` = ``conv_no_bias(x * m) * k*k / (c + 1e-8) * u**2 +
      bias * u``: the update mask scales the convolution twice (the same as once for binary masks; for soft
      masks, where ``0 < c < 1``, the original's double scaling is kept);
    - without bias: ``conv(x * m) * r``.

    ``u`` is returned as the next layer's mask. Without a mask it is a plain convolution (the original then uses an
    all-ones mask, which with DoveNet's padding 0 changes nothing). Returns ``(output, mask or None)``.
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
            out = (out + self.bias.view(1, -1, 1, 1)) * update
        return out, update
