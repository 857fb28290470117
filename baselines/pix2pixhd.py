"""pix2pixHD (Wang et al., CVPR 2018) adapted to image harmonization.

Re-implemented from the description of NVIDIA/pix2pixHD (license: CC BY-NC-SA 4.0, with parts BSD from
pytorch-CycleGAN-and-pix2pix; no code copied) and the paper "High-Resolution Image Synthesis and Semantic
Manipulation with Conditional GANs".
No harmonization weights exist for it (CDTNet trained its own and did not release them).

Architecture (as the official code):

- Global generator: ReflPad3 + Conv7 -> ``n_downsample_global`` stride-2 Conv3 -> ``n_blocks_global`` residual
  blocks -> as many ConvTranspose3 -> ReflPad3 + Conv7 -> tanh; InstanceNorm (no affine) + ReLU after every
  inner conv; conv weights drawn from N(0, 0.02).
- Local enhancers: the global generator (width ``ngf * 2**n_local_enhancers``, its last Conv7 + tanh removed) runs
  on the input average-pooled ``n_local_enhancers`` times; enhancer k (width ``ngf * 2**(n_local_enhancers - k)``)
  adds its own stride-2 features of the finer input to the coarser output, runs ``n_blocks_local`` residual blocks
  and upsamples; the last one ends in Conv7 + tanh.
- Multi-scale PatchGAN discriminators (``num_d`` scales, ``n_layers_d`` stride-2 layers, 4x4 kernels, padding 2)
  conditioned on the generator input; LSGAN; discriminator feature matching x ``lambda_feat``; VGG19 perceptual
  loss x ``lambda_feat`` on un-normalised [-1, 1] images, relu1_1..relu5_1 weighted 1/32 .. 1.

Choices where the paper leaves the harmonization / high-resolution adaptation open:

- Input: [composite mapped to [-1, 1], mask in [0, 1]] (4 channels, ``label_nc 0``, no instance map); the
  discriminator sees [that input, image in [-1, 1]] (7 channels). Output ``(tanh + 1) / 2``.
- ``pix2pixhd`` = the official 1024p recipe: local generator, ngf 32, 1 enhancer, 3 local blocks, num_D 3 (the
  global generator then has ngf 64 and runs at half resolution). ``pix2pixhd-2048`` has no official recipe; we
  keep the global generator at 512 px as in the 1024p recipe: 2 enhancers with ngf 16 (global ngf 64, enhancer
  widths 32 and 16), num_D 3. ``n_local_enhancers=0`` gives the global generator alone (official ``netG global``
  uses ngf 64).
- Sizes that are not a multiple of ``2**(n_downsample_global + n_local_enhancers)`` (32 for ``pix2pixhd``, 64 for
  ``pix2pixhd-2048``) are replicate-padded at the bottom/right and the output is cropped back; both sides must
  exceed that multiple (a 1 x 1 bottleneck breaks reflection padding and InstanceNorm).
- Output is NOT composited with the background (``blends=False``): CDTNet's Table 1 pix2pixHD SSIM (0.9135) is
  below the composite's own (0.9642), which only happens when background pixels change, i.e. the raw output was
  scored. ``composite_output=True`` returns ``out * mask + composite * (1 - mask)`` instead.
- VGG loss: on by default with torchvision's VGG-19 ImageNet weights (the ones the official code loads), found
  at the first training step (:func:`harmbench.layers.vgg.resolve_vgg19_weights`): ``vgg_weights`` PATH, else
  the torch hub cache, else a download; without any of them training falls back to the official
  ``--no_vgg_loss`` with a warning. ``vgg_weights="none"`` chooses that on purpose. :meth:`Pix2PixHD.training_notes`
  says which, and ``loss_setup`` in the saved config records it; the loss dict carries ``g_vgg`` only when on.
- Training from scratch at the target size (the 1024p recipe fine-tunes a pretrained 512p global generator and
  freezes it for ``niter_fix_global`` epochs; neither carries over). Official schedule: Adam 2e-4, betas
  (0.5, 0.999), batch 1, ``niter 50`` constant epochs, then the learning rate drops by lr / ``niter_decay`` (50)
  after each epoch, reaching 0 after the last (pix2pixHD's own rule, schedule "linear-hd"; not pix2pix's
  ``1 - k / (niter_decay + 1)``), for the generator and the discriminator alike.

The residual block, the multi-scale discriminator, its losses and the VGG loss are in :mod:`harmbench.layers`
(HiDT uses them too).

Checkpoints of the original code (``latest_net_G.pth``: ``netG.state_dict()`` of NVIDIA/pix2pixHD
``models/networks.py``, ``--netG global`` or ``local`` with any ``--n_local_enhancers``) load through
:func:`convert_official`. The layers sit at the same positions in both; only the containers are named
differently (original <-> harmbench):

- ``model.<i>.*`` (the global part)  <->  ``global_generator.body.<i>.*``
- ``model<k>_1.<i>.*`` (enhancer k = 1, 2, ...)  <->  ``enhancers.<k-1>.down.<i>.*``
- ``model<k>_2.<i>.*``  <->  ``enhancers.<k-1>.up.<i>.*``
- ``<...>.conv_block.<j>.*`` inside a ``ResnetBlock``  <->  ``<...>.body.<j>.*``

Read right to left, the list turns a harmbench state_dict into the original layout. Instance norms have no
parameters (``--norm instance`` is ``affine=False``), so a ``--norm batch`` checkpoint does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from harmbench.checkpoints import rename_keys
from harmbench.contract import TrainRecipe
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.gan import ConditionalMultiscaleGAN
from harmbench.layers.init import init_pix2pixhd
from harmbench.layers.padding import pad_bottom_right
from harmbench.layers.resnet import ResnetBlock
from harmbench.layers.vgg import PerceptualVGG19, pix2pixhd_vgg_loss
from harmbench.registry import MethodError, register_method


def _conv_norm_relu(conv: nn.Module, channels: int) -> list[nn.Module]:
    return [conv, nn.InstanceNorm2d(channels), nn.ReLU()]


class GlobalGenerator(nn.Module):
    """G1; ``with_head=False`` drops the final Conv7 + tanh (the local generator uses its ngf-channel features)."""

    def __init__(self, in_channels: int, ngf: int, n_downsample: int, n_blocks: int, with_head: bool):
        super().__init__()
        layers = [nn.ReflectionPad2d(3), *_conv_norm_relu(nn.Conv2d(in_channels, ngf, 7), ngf)]
        for i in range(n_downsample):
            width = ngf * 2 ** i
            layers += _conv_norm_relu(nn.Conv2d(width, width * 2, 3, 2, 1), width * 2)
        layers += [ResnetBlock(ngf * 2 ** n_downsample) for _ in range(n_blocks)]
        for i in range(n_downsample, 0, -1):
            width = ngf * 2 ** i
            layers += _conv_norm_relu(nn.ConvTranspose2d(width, width // 2, 3, 2, 1, output_padding=1), width // 2)
        if with_head:
            layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, 3, 7), nn.Tanh()]
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class LocalEnhancer(nn.Module):
    """G2 stage: stride-2 features of the finer input + coarser output -> residual blocks -> upsample (x2)."""

    def __init__(self, in_channels: int, ngf: int, n_blocks: int, with_head: bool):
        super().__init__()
        self.down = nn.Sequential(nn.ReflectionPad2d(3), *_conv_norm_relu(nn.Conv2d(in_channels, ngf, 7), ngf),
                                  *_conv_norm_relu(nn.Conv2d(ngf, ngf * 2, 3, 2, 1), ngf * 2))
        layers = [ResnetBlock(ngf * 2) for _ in range(n_blocks)]
        layers += _conv_norm_relu(nn.ConvTranspose2d(ngf * 2, ngf, 3, 2, 1, output_padding=1), ngf)
        if with_head:
            layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, 3, 7), nn.Tanh()]
        self.up = nn.Sequential(*layers)

    def forward(self, finer_input: torch.Tensor, coarser_output: torch.Tensor) -> torch.Tensor:
        return self.up(self.down(finer_input) + coarser_output)


@dataclass
class Pix2PixHDConfig:
    ngf: int = 32  # width of the finest stage (1024p recipe: local generator with ngf 32)
    n_downsample_global: int = 4
    n_blocks_global: int = 9
    n_local_enhancers: int = 1  # 0 = global generator only
    n_blocks_local: int = 3
    num_d: int = 3  # discriminator scales (1024p recipe; code default 2)
    n_layers_d: int = 3
    ndf: int = 64
    lambda_feat: float = 10.0  # weight of feature matching and of the VGG loss
    # torchvision VGG19 state_dict for the VGG loss; None = torch hub cache, else download, else off with a
    # warning; "none" = off (the official --no_vgg_loss)
    vgg_weights: str | None = None
    loss_setup: str = ""  # written at the first training step: which VGG loss ran (see layers.vgg)
    composite_output: bool = False  # True: paste the output foreground onto the input background

    def __post_init__(self):
        for name in ("ngf", "n_downsample_global", "num_d", "n_layers_d", "ndf"):
            if getattr(self, name) < 1:
                raise MethodError(f"pix2pixhd: {name} must be >= 1, got {getattr(self, name)}")
        for name in ("n_blocks_global", "n_local_enhancers", "n_blocks_local"):
            if getattr(self, name) < 0:
                raise MethodError(f"pix2pixhd: {name} must be >= 0, got {getattr(self, name)}")


class Pix2PixHD(ConditionalMultiscaleGAN):
    """pix2pixHD generator on [composite, mask]; training losses and discriminator per the official recipe."""

    def __init__(self, config: Pix2PixHDConfig):
        super().__init__(config)
        n = config.n_local_enhancers
        self.global_generator = GlobalGenerator(4, config.ngf * 2 ** n, config.n_downsample_global,
                                                config.n_blocks_global, with_head=n == 0)
        self.enhancers = nn.ModuleList(LocalEnhancer(4, config.ngf * 2 ** (n - k), config.n_blocks_local,
                                                     with_head=k == n) for k in range(1, n + 1))
        self.input_pool = nn.AvgPool2d(3, 2, 1, count_include_pad=False)
        init_pix2pixhd(self)
        self.size_multiple = 2 ** (config.n_downsample_global + n)
        self.vgg = PerceptualVGG19(config, "the official --no_vgg_loss")

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("pix2pixhd", composite, mask, more_than=self.size_multiple)
        height, width = composite.shape[2:]
        pyramid = [pad_bottom_right(self.condition(composite, mask), self.size_multiple)]
        for _ in self.enhancers:
            pyramid.append(self.input_pool(pyramid[-1]))
        features = self.global_generator(pyramid.pop())
        for enhancer in self.enhancers:
            features = enhancer(pyramid.pop(), features)
        images = (features[:, :, :height, :width] + 1) / 2
        if self.config.composite_output:
            images = composite_with_background(images, composite, mask)
        return {"images": images}

    def train_recipe(self) -> TrainRecipe:
        # the official 1024p script: niter 50 constant + niter_decay 50 decaying by lr / 50 per epoch, G and D alike
        return TrainRecipe(lr=2e-4, betas=(0.5, 0.999), epochs=100, schedule="linear-hd", decay_epochs=50,
                           batch_size=1, discriminator_lr=2e-4)

    def training_notes(self) -> list[str]:
        return [self.vgg.resolve().note]

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        if discriminator is None:
            raise MethodError("pix2pixhd: training needs the discriminator from make_discriminator()")
        losses = self.generator_gan_losses(batch, out, discriminator)
        vgg = self.vgg.frozen
        if vgg is not None:
            fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
            losses["g_vgg"] = self.config.lambda_feat * pix2pixhd_vgg_loss(vgg, fake, real)
        return losses


def convert_official(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """NVIDIA/pix2pixHD generator keys -> this module's (the table in the module docstring); harmbench keys pass."""
    return rename_keys(state, [
        (r"^model\.", "global_generator.body."),
        (r"^model(\d+)_1\.", lambda m: f"enhancers.{int(m[1]) - 1}.down."),
        (r"^model(\d+)_2\.", lambda m: f"enhancers.{int(m[1]) - 1}.up."),
        (r"\.conv_block\.", ".body."),
    ])


_PAPER = "Wang et al., High-Resolution Image Synthesis and Semantic Manipulation with Conditional GANs, CVPR 2018"
_TINY = dict(ngf=4, n_downsample_global=2, n_blocks_global=1, n_local_enhancers=1, n_blocks_local=1, num_d=2, ndf=4)
_META = dict(config=Pix2PixHDConfig, build=Pix2PixHD, tiny=_TINY, family="pix2pixhd", paper=_PAPER, trainable=True,
             blends=False, official_weights="", convert_official=convert_official)
register_method("pix2pixhd", native_size=1024, description="pix2pixHD 1024p recipe: global G at 1/2 + 1 local "
                "enhancer (ngf 32), 3-scale LSGAN D + feature matching", **_META)
register_method("pix2pixhd-2048", native_size=2048, defaults=dict(ngf=16, n_local_enhancers=2),
                description="pix2pixHD for 2048: global G at 1/4 + 2 local enhancers (ngf 16)", **_META)
