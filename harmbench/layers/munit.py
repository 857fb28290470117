"""MUNIT-style building blocks (Huang et al., ECCV 2018) as used by HiDT (Anokhin et al., CVPR 2020) and by the
intrinsic harmonization network of Guo et al. (CVPR 2021): both code bases build on MUNIT's ``Conv2dBlock``,
``ResBlock``, ``LayerNorm``, ``AdaptiveInstanceNorm2d`` and ``MLP`` (re-implemented here from their definitions).

Definitions (per sample, per channel where stated):

- :class:`Conv2dBlock` = pad (reflect or zero) -> Conv2d (with bias) -> norm -> activation.
- :class:`ResBlock` = ``x + [Conv3x3, norm, act] -> [Conv3x3, norm]`` (no activation after the second norm).
- :class:`LayerNorm`: ``y = gamma * (x - mu) / (sigma + 1e-5) + beta`` with mu and the *unbiased* standard deviation
  sigma over (C, H, W) of each sample; per-channel gamma ~ U(0, 1) at initialisation, beta = 0.
- :class:`AdaptiveInstanceNorm2d`: ``y = w * (x - mu) / sqrt(var + 1e-5) + b`` with the biased per-channel variance;
  ``w`` and ``b`` (B, C) are set by :meth:`AdaptiveInstanceNorm2d.set_style` before each forward (HiDT's MLP output,
  no "+1" offset).
- :class:`MLP` = Linear blocks with an activation between them and none after the last.

Attribute names (``pad``, ``conv``, ``norm``, ``model``, ``fc``, ``gamma``, ``beta``) are MUNIT's, so state_dict keys
follow its layout.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

NORMS = ("in", "ln", "adain", "none")
ACTIVATIONS = ("relu", "lrelu", "tanh", "none")
EPS = 1e-5


class LayerNorm(nn.Module):
    """MUNIT's layer norm over (C, H, W) with unbiased std and per-channel affine parameters (see module doc)."""

    def __init__(self, channels: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.empty(channels).uniform_())
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.flatten(1)
        mean = flat.mean(1).view(-1, 1, 1, 1)
        std = flat.std(1).view(-1, 1, 1, 1)
        return (x - mean) / (std + EPS) * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


class AdaptiveInstanceNorm2d(nn.Module):
    """Instance norm whose per-sample scale and shift come from outside (a style MLP); no parameters of its own."""

    def __init__(self, channels: int):
        super().__init__()
        self.channels = channels
        self.style: tuple[torch.Tensor, torch.Tensor] | None = None

    def set_style(self, weight: torch.Tensor, bias: torch.Tensor) -> None:
        """``weight`` and ``bias`` (B, C) for the next forward calls."""
        self.style = (weight, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.style is None:
            raise RuntimeError("AdaptiveInstanceNorm2d: set_style() must be called before forward")
        weight, bias = self.style
        normalised = F.instance_norm(x, eps=EPS)
        return normalised * weight[:, :, None, None] + bias[:, :, None, None]


def make_norm(norm: str, channels: int) -> nn.Module:
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got '{norm}'")
    return {"in": lambda: nn.InstanceNorm2d(channels), "ln": lambda: LayerNorm(channels),
            "adain": lambda: AdaptiveInstanceNorm2d(channels), "none": nn.Identity}[norm]()


def make_activation(activation: str) -> nn.Module:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got '{activation}'")
    return {"relu": nn.ReLU, "lrelu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "none": nn.Identity}[activation]()


class Conv2dBlock(nn.Module):
    """pad -> Conv2d(bias) -> norm -> activation; ``pad_type`` "reflect" or "zero"."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 norm: str = "none", activation: str = "relu", pad_type: str = "reflect"):
        super().__init__()
        if pad_type not in ("reflect", "zero"):
            raise ValueError(f"pad_type must be 'reflect' or 'zero', got '{pad_type}'")
        self.pad = nn.ReflectionPad2d(padding) if pad_type == "reflect" else nn.ZeroPad2d(padding)
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride)
        self.norm = make_norm(norm, out_channels)
        self.activation = make_activation(activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activation(self.norm(self.conv(self.pad(x))))


class ResBlock(nn.Module):
    """``x + [Conv3x3, norm, act] -> [Conv3x3, norm]`` at ``channels`` channels (keys ``model.0.*``, ``model.1.*``)."""

    def __init__(self, channels: int, norm: str, activation: str, pad_type: str = "reflect"):
        super().__init__()
        self.model = nn.Sequential(Conv2dBlock(channels, channels, 3, 1, 1, norm, activation, pad_type),
                                   Conv2dBlock(channels, channels, 3, 1, 1, norm, "none", pad_type))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.model(x)


def res_blocks(count: int, channels: int, norm: str, activation: str, pad_type: str = "reflect") -> nn.Sequential:
    """``count`` :class:`ResBlock` in sequence."""
    return nn.Sequential(*(ResBlock(channels, norm, activation, pad_type) for _ in range(count)))


class LinearBlock(nn.Module):
    def __init__(self, in_features: int, out_features: int, activation: str):
        super().__init__()
        self.fc = nn.Linear(in_features, out_features)
        self.activation = make_activation(activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activation(self.fc(x))


class MLP(nn.Module):
    """``blocks`` Linear layers in -> dim -> ... -> dim -> out, ``activation`` after all but the last."""

    def __init__(self, in_features: int, out_features: int, dim: int, blocks: int, activation: str = "relu"):
        super().__init__()
        widths = [in_features] + [dim] * (blocks - 1) + [out_features]
        self.model = nn.Sequential(*(LinearBlock(widths[i], widths[i + 1], activation if i < blocks - 1 else "none")
                                     for i in range(blocks)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x.flatten(1))


def adain_layers(module: nn.Module) -> list[AdaptiveInstanceNorm2d]:
    """The AdaIN layers of ``module`` in registration order (the order HiDT's MLP output is laid out in)."""
    return [m for m in module.modules() if isinstance(m, AdaptiveInstanceNorm2d)]


def assign_adain_params(params: torch.Tensor, layers: list[AdaptiveInstanceNorm2d]) -> None:
    """Split ``params`` (B, sum 2C) over ``layers``: per layer C values -> bias ("mean"), then C -> weight ("std")."""
    offset = 0
    for layer in layers:
        channels = layer.channels
        bias = params[:, offset:offset + channels]
        weight = params[:, offset + channels:offset + 2 * channels]
        layer.set_style(weight, bias)
        offset += 2 * channels
    if offset != params.shape[1]:
        raise ValueError(f"AdaIN parameters: got {params.shape[1]} values for layers needing {offset}")


def adain_param_count(layers: list[AdaptiveInstanceNorm2d]) -> int:
    return sum(2 * layer.channels for layer in layers)
