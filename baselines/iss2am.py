"""iS²AM / iSSAM (Sofiiuk et al., WACV 2021): the U-Net with spatial-separated attention and an image blending layer.

One implementation, two users: the ``iss2am`` baseline (the paper's iS²AM row: the iSSAM256 architecture run
directly at the evaluation resolution) and CDTNet's low-resolution generator (``cdtnet.model`` builds its
``encoder``/``decoder`` from :class:`UNetEncoder`/:class:`UNetDecoder`).

Attribute names are the official ones (``encoder.block0.convs.block.0.block.0.weight``, ...), so released
``issam256.pth`` files and the encoder/decoder part of CDTNet checkpoints load without key conversion.
The architecture (research sheet §3):

- encoder: ``depth`` down blocks (two 3x3 conv + ReLU each, BatchNorm from block ``batchnorm_from``, 2x2 max-pool
  after every block but the last), channels ``ch``, 2ch, ... capped at ``max_channels``;
- decoder: ``depth - 1`` up blocks (bilinear x2 upsampling + 3x3 conv without BN, concatenation [skip, up], two
  3x3 conv + BN + ReLU); up block ``d`` >= ``attend_from`` first applies spatial-separated attention;
- blending layer: ``A = sigmoid(3 conv1x1(F))``, ``out = A * input + (1 - A) * to_rgb(F)`` in ImageNet-normalised space.

The SSAM mask-blurring kernel is a buffer named ``weight``: the official initialiser overwrote it with random
values, and checkpoints carry whatever it holds, so it is always loaded, never regenerated. A fresh model
starts with the intended 7x7 Gaussian (sigma 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.registry import MethodError, register_method

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageNetNormalization(nn.Module):
    """ImageNet mean/std as non-persistent buffers: they follow ``.to(device)`` but are not in the state_dict."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def normalize(self, image: torch.Tensor) -> torch.Tensor:
        return (image - self.mean) / self.std

    def denormalize(self, image: torch.Tensor) -> torch.Tensor:
        return image * self.std + self.mean


def mask_weighted_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, min_area: float) -> torch.Tensor:
    """Foreground-normalised MSE (Sofiiuk et al.): per image sum of squared errors / (C * max(mask area, min_area)),
    averaged over the batch."""
    per_image = (pred - target).pow(2).sum(dim=(1, 2, 3))
    area = mask.sum(dim=(1, 2, 3)).clamp_min(min_area)
    return (per_image / (pred.shape[1] * area)).mean()


def xavier_gluon_init(module: nn.Module, magnitude: float) -> None:
    """The official ``XavierGluon(gaussian, 'avg', magnitude)``: N(0, sqrt(magnitude / ((fan_in + fan_out) / 2)))
    for conv/linear weights, zero biases, BatchNorm gamma 1 / beta 0."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.Linear):
            nn.init.xavier_normal_(layer.weight, gain=math.sqrt(magnitude))
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.ones_(layer.weight)
            nn.init.zeros_(layer.bias)


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


@dataclass
class ISS2AMConfig:
    depth: int = 4
    ch: int = 32
    max_channels: int = 512
    batchnorm_from: int = 2
    attend_from: int = 2
    attention_mid_k: float = 0.5
    min_area: float = 1000.0  # of the training loss (official MaskWeightedMSE default)


def check_unet_config(config) -> None:
    """Reject U-Net settings the architecture cannot build (shared by iss2am and CDTNet)."""
    if config.depth < 2 or config.ch < 1:
        raise MethodError(f"depth must be >= 2 and ch >= 1, got depth={config.depth}, ch={config.ch}")
    if config.attention_mid_k <= 0:
        raise MethodError(f"attention_mid_k must be > 0, got {config.attention_mid_k}")


def build_unet(config) -> tuple[UNetEncoder, UNetDecoder]:
    """The official-initialised encoder and decoder of a config with the U-Net fields of :class:`ISS2AMConfig`."""
    check_unet_config(config)
    encoder = UNetEncoder(config.depth, config.ch, config.max_channels, config.batchnorm_from)
    decoder = UNetDecoder(encoder.channels, config.attend_from, config.attention_mid_k)
    xavier_gluon_init(encoder, magnitude=1.0)
    xavier_gluon_init(decoder, magnitude=1.0)
    return encoder, decoder


class ISS2AM(nn.Module):
    """iSSAM at the resolution it is given: normalise, zero-pad to a multiple of 2^(depth+1) (the official predictor's
    divisor, split evenly between the two sides), run, crop, denormalise."""

    def __init__(self, config: ISS2AMConfig):
        super().__init__()
        self.config = config
        self.encoder, self.decoder = build_unet(config)
        self.imagenet = ImageNetNormalization()

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        height, width = composite.shape[-2:]
        divisor = 2 ** (self.config.depth + 1)
        pad_h, pad_w = -height % divisor, -width % divisor
        pads = (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2)
        image = self.imagenet.normalize(F.pad(composite, pads))
        mask = F.pad(mask, pads)
        output, _ = self.decoder(self.encoder(torch.cat([image, mask], dim=1)), image, mask)
        output = output[..., pads[2]:pads[2] + height, pads[0]:pads[0] + width]
        return {"images": self.imagenet.denormalize(output)}

    def training_losses(self, batch: dict, out: dict, discriminator=None) -> dict[str, torch.Tensor]:
        """The official loss: MaskWeightedMSE (min_area 1000) on ImageNet-normalised images."""
        pred = self.imagenet.normalize(out["images"])
        target = self.imagenet.normalize(batch["target"])
        return {"pixel_loss": mask_weighted_mse(pred, target, batch["mask"], self.config.min_area)}

    def train_recipe(self):
        """SAM ``models/fixed256/improved_ssam.py``: Adam 1e-3, MultiStepLR [105, 115] x 0.1, 120 epochs, batch 16
        (256x256 crops)."""
        from harmbench.train import TrainRecipe  # not at import: harmbench.train imports the registry

        return TrainRecipe(lr=1e-3, epochs=120, milestones=(105, 115), gamma=0.1, batch_size=16)


register_method(
    "iss2am", config=ISS2AMConfig, build=ISS2AM,
    tiny=dict(depth=3, ch=8, attend_from=1),
    family="iss2am",
    paper="Sofiiuk et al., Foreground-aware Semantic Representations for Image Harmonization, WACV 2021",
    native_size=None,  # runs at whatever resolution it is given
    trainable=True,
    blends=False,  # soft blending layer: the background is close to, not equal to, the input
    official_weights="issam256.pth",
    convert_official=None,  # attribute names are the official ones
    description="iSSAM256 (depth 4, ch 32, SSAM in the last up block, blending layer) run at the evaluation "
                "resolution: the CDTNet paper's iS²AM row",
)
