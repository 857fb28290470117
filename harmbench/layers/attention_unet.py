"""The iSSAM U-Net (Sofiiuk et al., WACV 2021): encoder, decoder with spatial-separated attention (SSAM) and an
image blending layer, plus its training loss. Used by the ``iss2am`` baseline and as CDTNet's low-resolution
generator.

Attribute names are the official ones (``encoder.block0.convs.block.0.block.0.weight``, ...), so released
``issam256.pth`` files and the encoder/decoder part of CDTNet checkpoints load without key conversion.
The architecture (research sheet §3):

- encoder: ``depth`` down blocks (two 3x3 conv + ReLU each, BatchNorm from block ``batchnorm_from``, 2x2 max-pool
  after every block but the last), channels ``ch``, 2ch, ... capped at ``max_channels``;
- decoder: ``depth - 1`` up blocks (bilinear x2 upsampling + 3x3 conv without BN, concatenation [skip, up], two
  3x3 conv + BN + ReLU); up block ``d`` >= ``attend_from`` first applies spatial-separated attention;
- blending layer: ``A = sigmoid(3 conv1x1(F))``, ``out = A * input + (1 - A) * to_rgb(F)`` in ImageNet-normalised
  space.

The SSAM mask-blurring kernel is a buffer named ``weight``: the official initialiser overwrote it with random
values, and checkpoints carry whatever it holds, so it is always loaded, never regenerated. A fresh model starts
with the intended 7x7 Gaussian (sigma 1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.layers.init import xavier_gluon_init
from harmbench.registry import MethodError


def mask_weighted_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, min_area: float) -> torch.Tensor:
    """Foreground-normalised MSE (Sofiiuk et al.): per image sum of squared errors / (C * max(mask area, min_area)),
    averaged over the batch."""
    per_image = (pred - target).pow(2).sum(dim=(1, 2, 3))
    area = mask.sum(dim=(1, 2, 3)).clamp_min(min_area)
    return (per_image / (pred.shape[1] * area)).mean()


class ConvBlock(nn.Module):
    """Conv 3x3 -> BatchNorm (or nothing) -> ReLU, under the official name ``block``."""

    def __init__(self, in_channels: int, out_channels: int, batchnorm: bool, bias: bool = True):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1, bias=bias),
            nn.BatchNorm2d(out_channels) if batchnorm else nn.Identity(),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class DoubleConv(nn.Module):
    """Two :class:`ConvBlock` in a row, under the official name ``block``."""

    def __init__(self, in_channels: int, out_channels: int, batchnorm: bool):
        super().__init__()
        self.block = nn.Sequential(ConvBlock(in_channels, out_channels, batchnorm),
                                   ConvBlock(out_channels, out_channels, batchnorm))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class DownBlock(nn.Module):
    """Double conv, then 2x2 max-pooling unless it is the deepest block; returns (skip, pooled)."""

    def __init__(self, in_channels: int, out_channels: int, batchnorm: bool, pool: bool):
        super().__init__()
        self.convs = DoubleConv(in_channels, out_channels, batchnorm)
        self.pooling = nn.MaxPool2d(2, 2) if pool else nn.Identity()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        skip = self.convs(x)
        return skip, self.pooling(skip)


class UNetEncoder(nn.Module):
    """Input: normalised image and mask (4 channels). Output: block features, deepest first."""

    def __init__(self, depth: int, ch: int, max_channels: int, batchnorm_from: int):
        super().__init__()
        widths = [min(ch * 2 ** i, max_channels) for i in range(depth)]
        self.channels = widths
        self.block0 = DownBlock(4, widths[0], batchnorm_from == 0, pool=True)
        self.block1 = DownBlock(widths[0], widths[1], 0 <= batchnorm_from <= 1, pool=depth > 2)
        self.blocks_connected = nn.ModuleDict({
            f"block{i}": DownBlock(widths[i - 1], widths[i], 0 <= batchnorm_from <= i, pool=i < depth - 1)
            for i in range(2, depth)
        })

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        skips = []
        for block in (self.block0, self.block1, *self.blocks_connected.values()):
            skip, x = block(x)
            skips.append(skip)
        return skips[::-1]


class ChannelAttention(nn.Module):
    """Channel gate from global average and max pooling (not masked): x * sigmoid(MLP([avg, max]))."""

    def __init__(self, channels: int):
        super().__init__()
        hidden = max(channels // 16, 8)
        self.attention_transform = nn.Sequential(nn.Linear(2 * channels, hidden), nn.ReLU(inplace=True),
                                                 nn.Linear(hidden, channels), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return x * self.attention_transform(pooled)[..., None, None]


class MaskBlurring(nn.Module):
    """7x7 convolution of the mask with the buffer ``weight`` (Gaussian, sigma 1, at init; loaded as is)."""

    def __init__(self, kernel_size: int = 7, sigma: float = 1.0):
        super().__init__()
        offsets = torch.arange(kernel_size, dtype=torch.float32) - (kernel_size - 1) / 2
        gauss = torch.exp(-offsets ** 2 / (2 * sigma ** 2))
        kernel = gauss[:, None] * gauss[None, :]
        self.register_buffer("weight", (kernel / kernel.sum())[None, None])

    def forward(self, mask: torch.Tensor) -> torch.Tensor:
        return F.conv2d(mask, self.weight, padding=self.weight.shape[-1] // 2)


class SpatialSeparatedAttention(nn.Module):
    """SSAM: out = m * (learn(fg_gate(x)) + mix_gate(x)) + (1 - m) * bg_gate(x), m = blurred resized mask."""

    def __init__(self, channels: int, mid_k: float):
        super().__init__()
        mid = int(mid_k * channels)
        self.background_gate = ChannelAttention(channels)
        self.foreground_gate = ChannelAttention(channels)
        self.mix_gate = ChannelAttention(channels)
        self.learning_block = nn.Sequential(ConvBlock(channels, mid, batchnorm=True, bias=False),
                                            ConvBlock(mid, channels, batchnorm=True, bias=False))
        self.mask_blurring = MaskBlurring()

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        mask = self.mask_blurring(F.interpolate(mask, size=x.shape[-2:], mode="bilinear", align_corners=True))
        background = self.background_gate(x)
        foreground = self.learning_block(self.foreground_gate(x))
        mix = self.mix_gate(x)
        return mask * (foreground + mix) + (1 - mask) * background


class UpBlock(nn.Module):
    """Bilinear x2 + conv, concatenation [skip, up], optional SSAM, double conv."""

    def __init__(self, in_channels: int, skip_channels: int, out_channels: int, attention_mid_k: float | None):
        super().__init__()
        self.upconv = nn.Sequential(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True),
                                    ConvBlock(in_channels, out_channels, batchnorm=False))
        joined = skip_channels + out_channels
        self.attention = None if attention_mid_k is None else SpatialSeparatedAttention(joined, attention_mid_k)
        self.convs = DoubleConv(joined, out_channels, batchnorm=True)

    def forward(self, x: torch.Tensor, skip: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = torch.cat([skip, self.upconv(x)], dim=1)
        if self.attention is not None:
            x = self.attention(x, mask)
        return self.convs(x)


class UNetDecoder(nn.Module):
    """Up blocks, then the blending layer; returns (output in normalised space, last feature map F_dec)."""

    def __init__(self, encoder_channels: list[int], attend_from: int, attention_mid_k: float):
        super().__init__()
        self.up_blocks = nn.ModuleList()
        in_channels = encoder_channels[-1]
        for d, skip_channels in enumerate(reversed(encoder_channels[:-1])):
            mid_k = attention_mid_k if 0 <= attend_from <= d else None
            self.up_blocks.append(UpBlock(in_channels, skip_channels, skip_channels, mid_k))
            in_channels = skip_channels
        self.out_channels = in_channels
        self.conv_attention = nn.Conv2d(in_channels, 1, kernel_size=1)
        self.to_rgb = nn.Conv2d(in_channels, 3, kernel_size=1)

    def forward(self, encoder_outputs: list[torch.Tensor], image: torch.Tensor, mask: torch.Tensor):
        x = encoder_outputs[0]
        for block, skip in zip(self.up_blocks, encoder_outputs[1:], strict=True):
            x = block(x, skip, mask)
        attention = torch.sigmoid(3.0 * self.conv_attention(x))
        return attention * image + (1 - attention) * self.to_rgb(x), x


def build_ssam_unet(depth: int, ch: int, max_channels: int, batchnorm_from: int, attend_from: int,
                    attention_mid_k: float) -> tuple[UNetEncoder, UNetDecoder]:
    """The official-initialised (:func:`~harmbench.layers.init.xavier_gluon_init`, magnitude 1) encoder and
    decoder; settings the architecture cannot build raise :class:`~harmbench.MethodError`."""
    if depth < 2 or ch < 1:
        raise MethodError(f"depth must be >= 2 and ch >= 1, got depth={depth}, ch={ch}")
    if attention_mid_k <= 0:
        raise MethodError(f"attention_mid_k must be > 0, got {attention_mid_k}")
    encoder = UNetEncoder(depth, ch, max_channels, batchnorm_from)
    decoder = UNetDecoder(encoder.channels, attend_from, attention_mid_k)
    xavier_gluon_init(encoder, magnitude=1.0)
    xavier_gluon_init(decoder, magnitude=1.0)
    return encoder, decoder
