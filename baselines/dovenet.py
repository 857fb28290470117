"""DoveNet (Cong et al., CVPR 2020): attention U-Net generator and the domain-verification discriminator.

Re-implemented from the description of "DoveNet: Deep Image Harmonization via Domain Verification" and its official
code (bcmi/Image-Harmonization-Dataset-iHarmony4, folder DoveNet/, built on pix2pix), license MIT. No upstream code
is copied; facts are in the research sheet ``baselines.md`` §1.

Generator (``netG s2ad``): pix2pix U-Net with ``num_downs`` (8) stride-2 4x4 convolutions, ``ngf`` (64) base
channels, 4 input channels [composite in [-1,1], mask], tanh output in [-1,1]; dropout 0.5 in the ``num_downs - 5``
inner 512-channel decoder blocks; after the skip concatenation of the three outer non-outermost blocks (1/8, 1/4,
1/2 resolution) a gate ``x * sigmoid(conv1x1(x))``. Attribute names are the official ones (``model.model.0.weight``,
``model.model.1.attention.0.weight``, ...), so a released ``latest_net_G.pth`` loads without key conversion.

Discriminator (training only, :class:`DomainVerificationDiscriminator`): two stacks of seven spectral-normalised
partial convolutions (3x3, padding 0; stride 2 for six layers, then 1), one run on the whole image (global
realism map), one shared by the foreground and background regions; the product of the two region codes goes
through a 1x1 head (verification map). Losses with the official ``--gan_mode wgangp``: hinge for the
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
  adversarial terms; the discriminator sees [-1,1] images and the mask in [0,1] (soft masks are used as given).
- Training recipe: the official optimiser (Adam 2e-4, betas 0.5/0.999, batch 1, 100 constant + 100 linearly
  decayed epochs); data augmentation is harmbench's shared protocol (the official one resizes to 256, no flip).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.data import DataError
from harmbench.registry import MethodError, register_method
from harmbench.train import TrainRecipe

NORMS = ("instance", "batch")
# Six stride-2 3x3 convolutions and one stride-1 3x3 convolution, all unpadded: the smallest input with a 1x1 map.
DISCRIMINATOR_MIN_SIZE = 255


def check_inputs(method: str, composite: torch.Tensor, mask: torch.Tensor) -> None:
    """One clear line for inputs that do not follow the model contract (B,3,H,W) + (B,1,H,W)."""
    if (composite.dim() != 4 or mask.dim() != 4 or composite.shape[1] != 3 or mask.shape[1] != 1
            or composite.shape[0] != mask.shape[0] or composite.shape[2:] != mask.shape[2:]):
        raise DataError(f"{method}: expected composite (B,3,H,W) and mask (B,1,H,W) of the same B, H, W; got "
                        f"{tuple(composite.shape)} and {tuple(mask.shape)}")


def pad_to_multiple(composite: torch.Tensor, mask: torch.Tensor, multiple: int):
    """Pad H and W up to multiples of ``multiple``, centred: the image by edge replication, the mask with 0
    (background). Returns the padded pair and the window ``(top, left, height, width)`` to crop back with."""
    height, width = composite.shape[-2:]
    pad_h, pad_w = -height % multiple, -width % multiple
    window = (pad_h // 2, pad_w // 2, height, width)
    if pad_h == pad_w == 0:
        return composite, mask, window
    sides = (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2)
    return F.pad(composite, sides, mode="replicate"), F.pad(mask, sides), window


def crop(tensor: torch.Tensor, window: tuple[int, int, int, int]) -> torch.Tensor:
    top, left, height, width = window
    return tensor[..., top:top + height, left:left + width]


def init_pix2pix(module: nn.Module, gain: float = 0.02) -> None:
    """pix2pix ``init_weights('normal')``: conv/linear weights N(0, gain), biases 0, BatchNorm gamma N(1, gain)."""
    for layer in module.modules():
        if isinstance(layer, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
            nn.init.normal_(layer.weight, 0.0, gain)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, gain)
            nn.init.zeros_(layer.bias)


def norm_layer(norm: str, channels: int) -> nn.Module:
    """pix2pix norms: instance norm without affine parameters or running statistics; batch norm with both."""
    if norm == "instance":
        return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)
    return nn.BatchNorm2d(channels)


class UnetSkipConnectionBlock(nn.Module):
    """One U-Net level, ``x -> cat([x, up(sub(down(x)))])``, its layers in ``self.model`` at the official indices.

    ``kind``: "outermost" (no skip, tanh), "innermost" (no submodule) or "middle". ``attention`` multiplies the
    concatenation by ``sigmoid(conv1x1(.))`` (DoveNet's three outer decoder levels).
    """

    def __init__(self, outer: int, inner: int, norm: str, input_channels: int | None = None,
                 submodule: nn.Module | None = None, kind: str = "middle", dropout: bool = False,
                 attention: bool = False):
        super().__init__()
        self.outermost = kind == "outermost"
        bias = norm == "instance"  # batch norm has its own shift
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
        self.attention = nn.Sequential(nn.Conv2d(2 * outer, 2 * outer, kernel_size=1), nn.Sigmoid()) \
            if attention else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.outermost:
            return self.model(x)
        joined = torch.cat([x, self.model(x)], 1)
        return joined if self.attention is None else self.attention(joined) * joined


class PartialConv2d(nn.Conv2d):
    """Partial convolution (Liu et al. 2018) with a single-channel mask, in DoveNet's form.

    With a mask: ``conv(x * m) * (k*k / window_sum(m)) * clamp(window_sum(m), 0, 1) + bias * clamp(...)``, and the
    clamped window sum is returned as the next layer's mask. Without a mask it is a plain convolution (DoveNet
    uses padding 0, where an all-ones mask changes nothing). Returns ``(output, mask)``.
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


def _spectral_conv(conv: nn.Conv2d) -> nn.Conv2d:
    """Initialise (pix2pix normal) before wrapping, so the init reaches ``weight_orig``."""
    init_pix2pix(conv)
    return nn.utils.spectral_norm(conv)


class PartialConvStack(nn.Module):
    """Seven spectral-normalised unpadded 3x3 partial convolutions: stride 2 x 6, then stride 1.

    Channels ``ndf x [1, 2, 4, 8, 8, 8, 8]``; norm after layers 2-6, LeakyReLU(0.2) after layers 1-6; layer 1 has a
    bias, the others only with instance norm.
    """

    def __init__(self, in_channels: int, ndf: int, norm: str):
        super().__init__()
        widths = [in_channels] + [ndf * m for m in (1, 2, 4, 8, 8, 8, 8)]
        self.convs = nn.ModuleList(
            _spectral_conv(PartialConv2d(widths[i], widths[i + 1], kernel_size=3, stride=2 if i < 6 else 1,
                                         padding=0, bias=i == 0 or norm == "instance"))
            for i in range(7))
        # Identity after layer 1 so that layers 1-6 share one loop body.
        self.norms = nn.ModuleList([nn.Identity()] + [norm_layer(norm, widths[i + 1]) for i in range(1, 6)])

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        for conv, norm in zip(self.convs[:6], self.norms, strict=True):
            x, mask = conv(x, mask)
            x = F.leaky_relu(norm(x), 0.2)
        return self.convs[6](x, mask)[0]


class DomainVerificationDiscriminator(nn.Module):
    """DoveNet's discriminator: ``(global realism map, foreground/background verification map)``.

    Input: an image in [-1,1] (B,3,H,W) with H, W >= 255, and the foreground mask (B,1,H,W).
    """

    def __init__(self, ndf: int = 64, norm: str = "instance", in_channels: int = 3):
        super().__init__()
        self.global_stack = PartialConvStack(in_channels, ndf, norm)
        self.region_stack = PartialConvStack(in_channels, ndf, norm)
        width = 8 * ndf
        self.global_head = nn.Conv2d(width, 1, kernel_size=1)
        self.verification_head = nn.Sequential(
            _spectral_conv(nn.Conv2d(width, width, kernel_size=1)), nn.LeakyReLU(0.2),
            _spectral_conv(nn.Conv2d(width, width, kernel_size=1)), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 1, kernel_size=1))
        init_pix2pix(self.global_head)
        init_pix2pix(self.verification_head[-1])

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        realism = self.global_head(self.global_stack(image))
        foreground = self.region_stack(image, mask)
        background = self.region_stack(image, 1 - mask)
        return realism, self.verification_head(foreground * background)


def check_discriminator_size(method: str, image: torch.Tensor) -> None:
    if min(image.shape[-2:]) < DISCRIMINATOR_MIN_SIZE:
        raise MethodError(f"{method}: the domain-verification discriminator needs images of at least "
                          f"{DISCRIMINATOR_MIN_SIZE} px per side, got {tuple(image.shape[-2:])}; train at size >= 256")


def generator_adversarial_losses(discriminator: nn.Module, fake: torch.Tensor, mask: torch.Tensor,
                                 weight_global: float, weight_verification: float) -> dict[str, torch.Tensor]:
    """The generator's WGAN-style terms ``-mean(D(fake))`` for both heads (``fake`` in [-1,1])."""
    realism, verification = discriminator(fake, mask)
    return {"adv_global": -weight_global * realism.mean(),
            "adv_verification": -weight_verification * verification.mean()}


def discriminator_hinge_losses(discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor, mask: torch.Tensor,
                               weight_gp: float) -> dict[str, torch.Tensor]:
    """Hinge losses of both heads on real and (detached) fake [-1,1] images, plus the WGAN gradient penalty.

    The penalty is taken at a per-sample random mix of real and fake, on ``(global + verification) / 2``, as
    ``(||grad + 1e-16||_2 - 1)^2`` averaged over the batch.
    """
    fake = fake.detach()
    real_global, real_verification = discriminator(real, mask)
    fake_global, fake_verification = discriminator(fake, mask)
    alpha = torch.rand(real.shape[0], 1, 1, 1, device=real.device, dtype=real.dtype)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    mixed_global, mixed_verification = discriminator(mixed, mask)
    (grad,) = torch.autograd.grad(((mixed_global + mixed_verification) / 2).sum(), mixed, create_graph=True)
    penalty = (((grad + 1e-16).flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    return {"d_global": F.relu(1 - real_global).mean() + F.relu(1 + fake_global).mean(),
            "d_verification": F.relu(1 - real_verification).mean() + F.relu(1 + fake_verification).mean(),
            "d_gradient_penalty": weight_gp * penalty}


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


class DoveNet(nn.Module):
    """The DoveNet generator behind the harmbench model contract (see the module docstring)."""

    def __init__(self, config: DoveNetConfig):
        super().__init__()
        if config.norm not in NORMS:
            raise MethodError(f"dovenet: norm must be one of {NORMS}, got '{config.norm}'")
        if config.num_downs < 5 or config.ngf < 1:
            raise MethodError(f"dovenet: num_downs must be >= 5 and ngf >= 1, got {config.num_downs}, {config.ngf}")
        self.config = config
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
        padded, padded_mask, window = pad_to_multiple(composite, mask, self.stride)
        output = self.model(torch.cat([padded * 2 - 1, padded_mask], 1))
        return {"images": crop((output + 1) / 2, window)}

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
        losses = {"l1": self.config.lambda_l1 * F.l1_loss(fake, real)}
        if discriminator is not None:
            check_discriminator_size("dovenet", fake)
            losses.update(generator_adversarial_losses(discriminator, fake, batch["mask"], self.config.lambda_global,
                                                       self.config.lambda_verification))
        return losses

    def make_discriminator(self) -> DomainVerificationDiscriminator:
        return DomainVerificationDiscriminator(self.config.ndf, self.config.norm)

    def discriminator_losses(self, discriminator: nn.Module, batch: dict, out: dict) -> dict:
        fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
        check_discriminator_size("dovenet", fake)
        return discriminator_hinge_losses(discriminator, real, fake, batch["mask"], self.config.lambda_gp)

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
    convert_official=None,
    description="attention U-Net (8 downsamplings) + domain-verification GAN; raw output, not composited",
)
