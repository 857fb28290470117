"""Discriminators and GAN losses shared by several methods, and the shared domain-verification GAN training hooks.

Two GAN families:

- **Domain verification** (DoveNet, Cong et al. CVPR 2020; reused by RainNet): :class:`DomainVerificationDiscriminator`
  (two stacks of seven spectral-normalised partial convolutions, a global realism head and a foreground/background
  verification head), hinge losses with a WGAN gradient penalty for the discriminator, ``-mean(D(fake))`` per head
  for the generator. :class:`DomainVerificationGAN` is the training-hook base class of both methods.
- **Multi-scale PatchGAN** (pix2pixHD, Wang et al. CVPR 2018; reused by HiDT's enhancer):
  :class:`MultiscaleDiscriminator`, LSGAN and discriminator feature matching; :class:`ConditionalMultiscaleGAN` is the
  training-hook base class of both methods.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.contract import HarmonizationMethod
from harmbench.layers.init import init_pix2pix, init_pix2pixhd
from harmbench.layers.partial_conv import PartialConv2d
from harmbench.layers.unet import norm_layer
from harmbench.registry import MethodError

# Six stride-2 3x3 convolutions and one stride-1 3x3 convolution, all unpadded: the smallest input with a 1x1 map.
DISCRIMINATOR_MIN_SIZE = 255

# ---------------------------------------------------------------------------------------------------------------
# Domain verification (DoveNet)


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

    Input: an image in [-1,1] (B,3,H,W) with H, W >= :data:`DISCRIMINATOR_MIN_SIZE`, and the foreground mask
    (B,1,H,W).
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
    """One :class:`~harmbench.MethodError` line when ``image`` is too small for the domain-verification
    discriminator."""
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


class DomainVerificationGAN(HarmonizationMethod):
    """Training hooks of a generator trained against :class:`DomainVerificationDiscriminator` (DoveNet, RainNet).

    Generator: ``lambda_l1 * L1`` plus, with a discriminator, ``-mean(D(fake))`` per head (weights
    ``lambda_global``, ``lambda_verification``); discriminator: hinge losses plus ``lambda_gp`` x the gradient
    penalty. Images enter the losses on the [-1,1] scale (``out["images"] * 2 - 1``). The config must have the
    fields ``ndf``, ``lambda_l1``, ``lambda_global``, ``lambda_verification`` and ``lambda_gp``; subclasses set
    :attr:`method_name` (for messages) and may override :meth:`discriminator_norm`.
    """

    method_name = "domain-verification GAN"  # create_method sets the registered name on each instance

    def discriminator_norm(self) -> str:
        """Normalisation of the discriminator's partial-convolution stacks (default: instance norm)."""
        return "instance"

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
        losses = {"l1": self.config.lambda_l1 * F.l1_loss(fake, real)}
        if discriminator is not None:
            check_discriminator_size(self.method_name, fake)
            losses.update(generator_adversarial_losses(discriminator, fake, batch["mask"], self.config.lambda_global,
                                                       self.config.lambda_verification))
        return losses

    def make_discriminator(self) -> DomainVerificationDiscriminator:
        return DomainVerificationDiscriminator(self.config.ndf, self.discriminator_norm())

    def discriminator_losses(self, discriminator: nn.Module, batch: dict, out: dict) -> dict:
        fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
        check_discriminator_size(self.method_name, fake)
        return discriminator_hinge_losses(discriminator, real, fake, batch["mask"], self.config.lambda_gp)


# ---------------------------------------------------------------------------------------------------------------
# Multi-scale PatchGAN (pix2pixHD)


class NLayerDiscriminator(nn.Module):
    """PatchGAN with 4x4 kernels, padding 2, returning every layer's output (for feature matching)."""

    def __init__(self, in_channels: int, ndf: int, n_layers: int):
        super().__init__()
        blocks = [nn.Sequential(nn.Conv2d(in_channels, ndf, 4, 2, 2), nn.LeakyReLU(0.2))]
        width = ndf
        for index in range(1, n_layers + 1):
            wider = min(width * 2, 512)
            stride = 2 if index < n_layers else 1
            blocks.append(nn.Sequential(nn.Conv2d(width, wider, 4, stride, 2), nn.InstanceNorm2d(wider),
                                        nn.LeakyReLU(0.2)))
            width = wider
        blocks.append(nn.Sequential(nn.Conv2d(width, 1, 4, 1, 2)))
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        features = []
        for block in self.blocks:
            x = block(x)
            features.append(x)
        return features


class MultiscaleDiscriminator(nn.Module):
    """``num_d`` PatchGANs on the input average-pooled 0, 1, 2, ... times; returns one feature list per scale."""

    def __init__(self, in_channels: int, ndf: int = 64, n_layers: int = 3, num_d: int = 3):
        super().__init__()
        self.n_layers = n_layers
        self.scales = nn.ModuleList(NLayerDiscriminator(in_channels, ndf, n_layers) for _ in range(num_d))
        self.downsample = nn.AvgPool2d(3, 2, 1, count_include_pad=False)
        init_pix2pixhd(self)

    def forward(self, x: torch.Tensor) -> list[list[torch.Tensor]]:
        outputs = []
        for index, scale in enumerate(self.scales):
            if index:
                x = self.downsample(x)
            outputs.append(scale(x))
        return outputs


def lsgan_loss(predictions: list[list[torch.Tensor]], real: bool) -> torch.Tensor:
    """LSGAN: mean squared distance of each scale's final map to 1 (real) or 0 (fake), summed over scales."""
    return sum(F.mse_loss(p[-1], torch.full_like(p[-1], float(real))) for p in predictions)


def feature_matching_loss(fake: list[list[torch.Tensor]], real: list[list[torch.Tensor]], n_layers: int,
                          weight: float) -> torch.Tensor:
    """pix2pixHD's discriminator feature matching: L1 over every layer but the last, 1/num_d * 4/(n_layers+1)."""
    scale = weight * (4.0 / (n_layers + 1)) / len(fake)
    return scale * sum(F.l1_loss(f, r.detach()) for fs, rs in zip(fake, real, strict=True)
                       for f, r in zip(fs[:-1], rs[:-1], strict=True))


def multiscale_generator_losses(discriminator: MultiscaleDiscriminator, condition: torch.Tensor, fake: torch.Tensor,
                                real: torch.Tensor, lambda_feat: float) -> dict[str, torch.Tensor]:
    """Generator side of pix2pixHD's GAN: LSGAN on the fake + feature matching against the (detached) real."""
    pred_fake = discriminator(torch.cat([condition, fake], 1))
    with torch.no_grad():
        pred_real = discriminator(torch.cat([condition, real], 1))
    return {"g_gan": lsgan_loss(pred_fake, True),
            "g_feat": feature_matching_loss(pred_fake, pred_real, discriminator.n_layers, lambda_feat)}


def multiscale_discriminator_losses(discriminator: MultiscaleDiscriminator, condition: torch.Tensor,
                                    fake: torch.Tensor, real: torch.Tensor) -> dict[str, torch.Tensor]:
    """Discriminator side: 0.5 * (LSGAN(fake -> 0) + LSGAN(real -> 1)); the fake is detached."""
    return {"d_fake": 0.5 * lsgan_loss(discriminator(torch.cat([condition, fake.detach()], 1)), False),
            "d_real": 0.5 * lsgan_loss(discriminator(torch.cat([condition, real], 1)), True)}


class ConditionalMultiscaleGAN(HarmonizationMethod):
    """Training hooks of a generator trained against a :class:`MultiscaleDiscriminator` conditioned on the generator
    input (pix2pixHD; HiDT's enhancer): :meth:`condition` is [composite in [-1,1], mask in [0,1]]; the discriminator
    (``4 + 3`` input channels) sees [condition, image in [-1,1]]; LSGAN + feature matching x ``lambda_feat``.

    The config must have the fields ``ndf``, ``n_layers_d``, ``num_d`` and ``lambda_feat``; subclasses write
    ``training_losses`` from :meth:`generator_gan_losses` plus their own terms.
    """

    @staticmethod
    def condition(composite: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The generator input and discriminator condition: [composite in [-1, 1], mask in [0, 1]]."""
        return torch.cat([composite * 2 - 1, mask], 1)

    def make_discriminator(self) -> MultiscaleDiscriminator:
        return MultiscaleDiscriminator(4 + 3, self.config.ndf, self.config.n_layers_d, self.config.num_d)

    def generator_gan_losses(self, batch: dict, out: dict, discriminator: nn.Module) -> dict[str, torch.Tensor]:
        """``g_gan`` and ``g_feat`` (:func:`multiscale_generator_losses`) of ``out["images"]`` against the target."""
        condition = self.condition(batch["composite"], batch["mask"])
        return multiscale_generator_losses(discriminator, condition, out["images"] * 2 - 1, batch["target"] * 2 - 1,
                                           self.config.lambda_feat)

    def discriminator_losses(self, discriminator: nn.Module, batch: dict, out: dict) -> dict:
        condition = self.condition(batch["composite"], batch["mask"])
        return multiscale_discriminator_losses(discriminator, condition, out["images"] * 2 - 1,
                                               batch["target"] * 2 - 1)
