"""Weight initialisers of the original code bases, each named after its source (the draws, hence the seeded
weights, differ between them, so they are not interchangeable)."""

from __future__ import annotations

import math

from torch import nn


def init_pix2pix(module: nn.Module, gain: float = 0.02) -> None:
    """pix2pix ``init_weights('normal')`` (DoveNet, RainNet): conv/linear weights N(0, gain), biases 0, BatchNorm
    gamma N(1, gain) and beta 0."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
            nn.init.normal_(layer.weight, 0.0, gain)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, gain)
            nn.init.zeros_(layer.bias)


def init_pix2pixhd(module: nn.Module, std: float = 0.02) -> None:
    """pix2pixHD's ``weights_init``: conv and transposed-conv weights N(0, std); biases keep PyTorch's default."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(layer.weight, 0.0, std)


def init_kaiming(module: nn.Module) -> None:
    """S²AM's ``weights_init_kaiming``: conv/linear weights kaiming-normal (fan_in), biases 0; BatchNorm gamma
    N(1, 0.02), beta 0."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
            nn.init.kaiming_normal_(layer.weight, a=0, mode="fan_in")
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


def xavier_gluon_init(module: nn.Module, magnitude: float) -> None:
    """iSSAM/CDTNet's ``XavierGluon(gaussian, 'avg', magnitude)``: N(0, sqrt(magnitude / ((fan_in + fan_out) / 2)))
    for conv/linear weights, zero biases, BatchNorm gamma 1 / beta 0."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.Linear):
            nn.init.xavier_normal_(layer.weight, gain=math.sqrt(magnitude))
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.ones_(layer.weight)
            nn.init.zeros_(layer.bias)
