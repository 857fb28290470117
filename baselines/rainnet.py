"""RainNet (Ling et al., CVPR 2021): a U-Net whose decoder uses region-aware adaptive instance normalisation (RAIN).

Re-implemented from the description of "Region-aware Adaptive Instance Normalization for Image Harmonization" and
its official code (junleen/RainNet), license MIT. No upstream code is copied; facts are in the research sheet
``baselines.md`` §3.

RAIN (:class:`RAIN`): per sample and channel, the background is instance-normalised with its own statistics and
the foreground is normalised with its own statistics and re-styled with the background's mean and standard
deviation, each region then scaled by ``1 + gamma`` and shifted by ``beta`` (four zero-initialised vectors):

    out = ((x - mu_b) / sd_b * (1 + g_b) + b_b) * (1 - m) + (((x - mu_f) / sd_f * sd_b + mu_b) * (1 + g_f) + b_f) * m

with the mask resized to the feature by nearest neighbour, ``mu_R = sum(x m_R) / (sum m_R + eps)``,
``sd_R = sqrt(sum((x - mu_R)^2 m_R^2) / (sum m_R + eps) + eps)`` and eps = 1e-5.

Generator: eight stride-2 4x4 convolutions (64, 128, 256, 512 x 5 channels for ngf = 64), instance norm in the
encoder, RAIN after every decoder transposed convolution, dropout 0.5 in the three inner 512-channel decoder
blocks, gates ``x * sigmoid(conv1x1(x))`` after the three outer skip concatenations, tanh output; the input is the
composite in [-1,1] (``input_nc`` 3, the released configuration; 4 appends the mask). The output is composited with
the input background, ``out * m + composite * (1 - m)``, as in the official model, so the background is returned
exactly (``blends``). Attribute names are the official ones (``model_layer0.weight``,
``unet_block.submodule.upnorm.foreground_gamma``, ``model_out.1.weight``), so released ``net_G_last.pth`` files
load without key conversion.

Training (GAN, as the official model): DoveNet's domain-verification discriminator (``harmbench.layers.gan``,
with instance norm) on the composited output; generator loss ``100 * L1`` (on the [-1,1] scale, composited output) plus
``-mean(D(fake))`` for the global and verification heads; discriminator hinge losses plus a WGAN gradient penalty
(10). The official discriminator is DoveNet's and works at any batch size (the released training uses batch
11): its ``NLayerDiscriminator.forward`` only collects the unused feature pair ``torch.cat([xf, xb]), x``; an
earlier revision wrote ``feat_l, feat_g = torch.cat([xf, xb])``, which would fail beyond batch 1, and was fixed.

Choices where the sources are silent or the high-resolution adaptation is open (research sheet §7, §10):

- Depth at 1024/2048: fixed at 8 downsamplings as in the official code (bottleneck 4x4 at 1024, 8x8 at 2048);
  RAIN statistics are global per channel, so they cover the whole image at any resolution.
- Sizes that are not multiples of 256: inputs are padded (image: edge replication; mask: 0), centred, up to the
  next multiple and the output cropped back; the padded border then counts as background in the RAIN statistics.
- Dropout is off in eval mode (deterministic outputs).
- Training recipe: the official optimiser (Adam 2e-4, betas 0.5/0.999, batch 11, 100 constant + 100 linearly
  decayed epochs); data augmentation is harmbench's shared protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.contract import TrainRecipe
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.gan import DomainVerificationGAN
from harmbench.layers.init import init_pix2pix
from harmbench.layers.padding import crop, pad_centred
from harmbench.layers.unet import attention_gate, norm_layer
from harmbench.registry import MethodError, register_method

STRIDE = 2 ** 8  # fixed depth: eight stride-2 stages


class RAIN(nn.Module):
    """Region-aware adaptive instance normalisation; ``forward(features, mask at any resolution)``."""

    def __init__(self, channels: int, eps: float = 1e-5):
        super().__init__()
        self.foreground_gamma = nn.Parameter(torch.zeros(channels))
        self.foreground_beta = nn.Parameter(torch.zeros(channels))
        self.background_gamma = nn.Parameter(torch.zeros(channels))
        self.background_beta = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def region_statistics(self, x: torch.Tensor, region: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        count = region.sum(dim=(2, 3), keepdim=True) + self.eps
        mean = (x * region).sum(dim=(2, 3), keepdim=True) / count
        variance = ((x - mean) * region).pow(2).sum(dim=(2, 3), keepdim=True) / count
        return mean, (variance + self.eps).sqrt()

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        mask = F.interpolate(mask.detach(), size=x.shape[2:], mode="nearest")
        mean_bg, std_bg = self.region_statistics(x, 1 - mask)
        mean_fg, std_fg = self.region_statistics(x, mask)

        def affine(values, gamma, beta):
            return values * (1 + gamma.view(1, -1, 1, 1)) + beta.view(1, -1, 1, 1)

        background = affine((x - mean_bg) / std_bg, self.background_gamma, self.background_beta) * (1 - mask)
        restyled = (x - mean_fg) / std_fg * std_bg + mean_bg
        return background + affine(restyled, self.foreground_gamma, self.foreground_beta) * mask


class UnetBlockCodec(nn.Module):
    """One inner U-Net level at constant width: ``cat([x, RAIN(up(sub(IN(down(x)))))])``.

    "innermost": ``up`` holds the whole down/up path (official layout); "middle": instance-normalised encoder
    conv, the submodule, transposed conv, RAIN and dropout.
    """

    def __init__(self, channels: int, submodule: UnetBlockCodec | None = None, dropout: bool = False):
        super().__init__()
        self.innermost = submodule is None
        if self.innermost:
            self.up = nn.Sequential(nn.LeakyReLU(0.2, True),
                                    nn.Conv2d(channels, channels, 4, stride=2, padding=1, bias=False),
                                    nn.ReLU(True),
                                    nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1, bias=False))
        else:
            self.down = nn.Sequential(nn.LeakyReLU(0.2, True),
                                      nn.Conv2d(channels, channels, 4, stride=2, padding=1, bias=False))
            self.downnorm = norm_layer("instance", channels)
            self.submodule = submodule
            self.up = nn.Sequential(nn.ReLU(True),
                                    nn.ConvTranspose2d(2 * channels, channels, 4, stride=2, padding=1, bias=False))
            self.dropout = nn.Dropout(0.5) if dropout else nn.Identity()
        self.upnorm = RAIN(channels)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if self.innermost:
            return torch.cat([x, self.upnorm(self.up(x), mask)], 1)
        inner = self.submodule(self.downnorm(self.down(x)), mask)
        return torch.cat([x, self.dropout(self.upnorm(self.up(inner), mask))], 1)


def _encoder_stage(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(nn.LeakyReLU(0.2, True), nn.Conv2d(in_channels, out_channels, 4, stride=2, padding=1,
                                                            bias=False))


def _decoder_stage(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(nn.ReLU(True), nn.ConvTranspose2d(in_channels, out_channels, 4, stride=2, padding=1,
                                                           bias=False))


@dataclass
class RainNetConfig:
    ngf: int = 64
    input_nc: int = 3  # 3: composite only (released config; mask used inside RAIN); 4: composite + mask
    dropout: bool = True  # 0.5 in the three inner decoder blocks (training only)
    ndf: int = 64  # discriminator width (instance norm, as the official normD)
    lambda_l1: float = 100.0
    lambda_global: float = 1.0
    lambda_verification: float = 1.0
    lambda_gp: float = 10.0


class RainNet(DomainVerificationGAN):
    """The RainNet generator behind the harmbench model contract (see the module docstring)."""

    method_name = "rainnet"

    def __init__(self, config: RainNetConfig):
        super().__init__(config)
        if config.input_nc not in (3, 4) or config.ngf < 1:
            raise MethodError(f"rainnet: input_nc must be 3 or 4 and ngf >= 1, got {config.input_nc}, {config.ngf}")
        ngf = config.ngf
        self.model_layer0 = nn.Conv2d(config.input_nc, ngf, 4, stride=2, padding=1, bias=False)
        self.model_layer1 = _encoder_stage(ngf, 2 * ngf)
        self.model_layer1norm = norm_layer("instance", 2 * ngf)
        self.model_layer2 = _encoder_stage(2 * ngf, 4 * ngf)
        self.model_layer2norm = norm_layer("instance", 4 * ngf)
        self.model_layer3 = _encoder_stage(4 * ngf, 8 * ngf)
        self.model_layer3norm = norm_layer("instance", 8 * ngf)
        block = UnetBlockCodec(8 * ngf)
        for _ in range(3):
            block = UnetBlockCodec(8 * ngf, submodule=block, dropout=config.dropout)
        self.unet_block = block
        self.model_layer11 = _decoder_stage(16 * ngf, 4 * ngf)
        self.model_layer11norm = RAIN(4 * ngf)
        self.model_layer11att = attention_gate(8 * ngf)
        self.model_layer12 = _decoder_stage(8 * ngf, 2 * ngf)
        self.model_layer12norm = RAIN(2 * ngf)
        self.model_layer12att = attention_gate(4 * ngf)
        self.model_layer13 = _decoder_stage(4 * ngf, ngf)
        self.model_layer13norm = RAIN(ngf)
        self.model_layer13att = attention_gate(2 * ngf)
        self.model_out = nn.Sequential(nn.ReLU(True), nn.ConvTranspose2d(2 * ngf, 3, 4, stride=2, padding=1),
                                       nn.Tanh())
        init_pix2pix(self)  # RAIN parameters keep their zero initialisation

    def generate(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The raw tanh output (B,3,H,W) in [-1,1] for ``image`` in [-1,1]; H, W multiples of 256."""
        x = torch.cat([image, mask], 1) if self.config.input_nc == 4 else image
        x0 = self.model_layer0(x)
        x1 = self.model_layer1norm(self.model_layer1(x0))
        x2 = self.model_layer2norm(self.model_layer2(x1))
        x3 = self.model_layer3norm(self.model_layer3(x2))
        features = self.unet_block(x3, mask)
        for skip, stage, norm, gate in ((x2, self.model_layer11, self.model_layer11norm, self.model_layer11att),
                                        (x1, self.model_layer12, self.model_layer12norm, self.model_layer12att),
                                        (x0, self.model_layer13, self.model_layer13norm, self.model_layer13att)):
            features = torch.cat([skip, norm(stage(features), mask)], 1)
            features = gate(features) * features
        return self.model_out(features)

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("rainnet", composite, mask)
        padded, padded_mask, window = pad_centred(composite, mask, STRIDE)
        harmonized = (crop(self.generate(padded * 2 - 1, padded_mask), window) + 1) / 2
        # Composited in [0,1] with the caller's own tensors, so background pixels are returned bit-exactly.
        return {"images": composite_with_background(harmonized, composite, mask)}

    def train_recipe(self) -> TrainRecipe:
        return TrainRecipe(lr=2e-4, betas=(0.5, 0.999), epochs=200, schedule="linear", decay_epochs=100,
                           batch_size=11)


register_method(
    "rainnet", config=RainNetConfig, build=RainNet,
    tiny=dict(ngf=4, ndf=4),
    family="rainnet",
    paper="Ling et al., Region-aware Adaptive Instance Normalization for Image Harmonization, CVPR 2021",
    native_size=256, trainable=True, blends=True,
    official_weights="net_G_last.pth (256 model; a 512 model was released later)",
    release="the links in the README of https://github.com/junleen/RainNet",
    convert_official=None,
    description="U-Net with RAIN in the decoder + domain-verification GAN; output composited with the background",
)
