"""DoveNet (Cong et al., CVPR 2020): attention U-Net generator and the domain-verification discriminator.

Re-implemented from the description of "DoveNet: Deep Image Harmonization via Domain Verification" and its official
code (bcmi/Image-Harmonization-Dataset-iHarmony4, folder DoveNet/, built on pix2pix), license MIT. No upstream code
is copied; facts are in the research sheet ``baselines.md`` §1.

Generator (``netG s2ad``): pix2pix U-Net with ``num_downs`` (8) stride-2 4x4 convolutions, ``ngf`` (64) base
channels, 4 input channels [composite in [-1,1], mask], tanh output in [-1,1]; dropout 0.5 in the ``num_downs - 5``
inner 512-channel decoder blocks; after the skip concatenation of the three outer non-outermost blocks (1/8, 1/4,
1/2 resolution) a gate ``x * sigmoid(conv1x1(x))``. Attribute names are the official ones (``model.model.0.weight``,
``model.model.1.attention.0.weight``, ...), so a released ``latest_net_G.pth`` loads without key conversion.

Discriminator (training only, ``harmbench.layers.gan``, shared with RainNet): two stacks of seven
spectral-normalised partial convolutions (3x3, padding 0; stride 2 for six layers, then 1), one run on the whole
image (global realism map), one shared by the foreground and background regions; the product of the two region
codes goes through a 1x1 head (verification map). Losses with the official ``--gan_mode wgangp``: hinge for the
discriminator plus a WGAN gradient penalty (10), ``-mean(D(fake))`` per head for the generator, plus 100 x L1.

Choices where the sources are silent or the high-resolution adaptation is open (research sheet §7, §10):

- Normalisation: defaults to instance norm as in the official training command (``--norm instance``); the
  released checkpoint was trained with batch norm, so load it with ``norm="batch"``.
- Depth at 1024/2048: the official 8 downsamplings are kept (bottleneck 4x4 at 1024, 8x8 at 2048), so the
  parameter count (54.76 M) is the published one and a 256-trained checkpoint runs unchanged; the receptive field
  is then a smaller fraction of the image than at 256.
- Sizes that are not multiples of ``2**num_downs``: the inputs are padded (image: edge replication; mask: 0 =
  background), centred, up to the next multiple and the output is cropped back.
- Output: the raw generator output mapped to [0,1] (``(y + 1) / 2``), not composited with the background, as the
  official test script scores it; ``blends`` is therefore False. Dropout is off in eval mode (pix2pix keeps it on
  at test time unless ``--eval``; a benchmark needs deterministic outputs).
- The L1 term is computed on the [-1,1] scale, as in the official code, to keep its weight relative to the
  adversarial terms; the discriminator sees [-1,1] images and the mask in [0,1] (soft masks are used as given,
  and its partial convolutions treat them exactly as the official ``PartialConv2d``, which scales the
  convolution by the clamped update mask twice when the layer has a bias; see
  :class:`harmbench.layers.partial_conv.PartialConv2d`).
- Training recipe: the official optimiser (Adam 2e-4, betas 0.5/0.999, batch 1, 100 constant + 100 linearly
  decayed epochs); data augmentation is harmbench's shared protocol (the official one resizes to 256, no flip).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from harmbench.contract import TrainRecipe
from harmbench.layers.checks import check_inputs
from harmbench.layers.gan import DomainVerificationGAN
from harmbench.layers.init import init_pix2pix
from harmbench.layers.padding import crop, pad_centred
from harmbench.layers.unet import NORMS, UnetSkipConnectionBlock
from harmbench.registry import MethodError, register_method


@dataclass
class DoveNetConfig:
    ngf: int = 64
    num_downs: int = 8  # stride-2 stages; inputs are padded to multiples of 2**num_downs
    norm: str = "instance"  # official training command; the released checkpoint uses "batch"
    dropout: bool = True  # 0.5 in the num_downs - 5 inner decoder blocks (training only)
    ndf: int = 64  # discriminator width
    lambda_l1: float = 100.0
    lambda_global: float = 1.0  # official lambda_a
    lambda_verification: float = 1.0  # official lambda_v
    lambda_gp: float = 10.0  # WGAN-GP weight x gp_ratio (1)


class DoveNet(DomainVerificationGAN):
    """The DoveNet generator behind the harmbench model contract (see the module docstring)."""

    method_name = "dovenet"

    def __init__(self, config: DoveNetConfig):
        super().__init__(config)
        if config.norm not in NORMS:
            raise MethodError(f"dovenet: norm must be one of {NORMS}, got '{config.norm}'")
        if config.num_downs < 5 or config.ngf < 1:
            raise MethodError(f"dovenet: num_downs must be >= 5 and ngf >= 1, got {config.num_downs}, {config.ngf}")
        ngf, norm = config.ngf, config.norm
        block = UnetSkipConnectionBlock(8 * ngf, 8 * ngf, norm, kind="innermost")
        for _ in range(config.num_downs - 5):
            block = UnetSkipConnectionBlock(8 * ngf, 8 * ngf, norm, submodule=block, dropout=config.dropout)
        for outer in (4 * ngf, 2 * ngf, ngf):
            block = UnetSkipConnectionBlock(outer, 2 * outer, norm, submodule=block, attention=True)
        self.model = UnetSkipConnectionBlock(3, ngf, norm, input_channels=4, submodule=block, kind="outermost")
        init_pix2pix(self)

    @property
    def stride(self) -> int:
        return 2 ** self.config.num_downs

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("dovenet", composite, mask)
        padded, padded_mask, window = pad_centred(composite, mask, self.stride)
        output = self.model(torch.cat([padded * 2 - 1, padded_mask], 1))
        return {"images": crop((output + 1) / 2, window)}

    def discriminator_norm(self) -> str:
        return self.config.norm

    def train_recipe(self) -> TrainRecipe:
        return TrainRecipe(lr=2e-4, betas=(0.5, 0.999), epochs=200, schedule="linear", decay_epochs=100,
                           batch_size=1)


register_method(
    "dovenet", config=DoveNetConfig, build=DoveNet,
    tiny=dict(ngf=4, ndf=4),
    family="dovenet",
    paper="Cong et al., DoveNet: Deep Image Harmonization via Domain Verification, CVPR 2020",
    native_size=256, trainable=True, blends=False,
    official_weights="latest_net_G.pth (released model uses batch norm: pass norm='batch')",
    release="the link in the README of https://github.com/bcmi/Image-Harmonization-Dataset-iHarmony4 (DoveNet)",
    convert_official=None,
    description="attention U-Net (8 downsamplings) + domain-verification GAN; raw output, not composited",
)
