"""The pix2pix U-Net level (Isola et al. 2017, ``UnetSkipConnectionBlock``) and its normalisation choices.

Layers sit in ``self.model`` at the original indices, so DoveNet's released ``latest_net_G.pth`` keys
(``model.model.1.attention.0.weight`` ...) match without conversion.
"""

from __future__ import annotations

import torch
from torch import nn

NORMS = ("instance", "batch")


def norm_layer(norm: str, channels: int) -> nn.Module:
    """pix2pix norms: ``"instance"`` without affine parameters or running statistics; ``"batch"`` with both."""
    if norm == "instance":
        return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)
    return nn.BatchNorm2d(channels)


def attention_gate(channels: int) -> nn.Sequential:
    """``sigmoid(conv1x1(x))`` at ``channels`` channels: the gate DoveNet and RainNet multiply their outer skip
    concatenations by (``gate(x) * x``)."""
    return nn.Sequential(nn.Conv2d(channels, channels, kernel_size=1), nn.Sigmoid())


class UnetSkipConnectionBlock(nn.Module):
    """One U-Net level, ``x -> cat([x, up(sub(down(x)))])``, its layers in ``self.model`` at the official indices.

    ``kind``: "outermost" (no skip, tanh), "innermost" (no submodule) or "middle". ``attention`` multiplies the
    concatenation by :func:`attention_gate` (DoveNet's three outer decoder levels). Convolutions have a bias only
    with instance norm (batch norm has its own shift).
    """

    def __init__(self, outer: int, inner: int, norm: str, input_channels: int | None = None,
                 submodule: nn.Module | None = None, kind: str = "middle", dropout: bool = False,
                 attention: bool = False):
        super().__init__()
        self.outermost = kind == "outermost"
        bias = norm == "instance"
        down = nn.Conv2d(input_channels or outer, inner, kernel_size=4, stride=2, padding=1, bias=bias)
        if kind == "outermost":
            up = nn.ConvTranspose2d(2 * inner, outer, kernel_size=4, stride=2, padding=1)
            layers = [down, submodule, nn.ReLU(True), up, nn.Tanh()]
        elif kind == "innermost":
            up = nn.ConvTranspose2d(inner, outer, kernel_size=4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down, nn.ReLU(True), up, norm_layer(norm, outer)]
        else:
            up = nn.ConvTranspose2d(2 * inner, outer, kernel_size=4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down, norm_layer(norm, inner), submodule,
                      nn.ReLU(True), up, norm_layer(norm, outer)] + ([nn.Dropout(0.5)] if dropout else [])
        self.model = nn.Sequential(*layers)
        self.attention = attention_gate(2 * outer) if attention else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.outermost:
            return self.model(x)
        joined = torch.cat([x, self.model(x)], 1)
        return joined if self.attention is None else self.attention(joined) * joined
