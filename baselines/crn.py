"""CRN, the Cascaded Refinement Network (Chen & Koltun, ICCV 2017), adapted to image harmonization.

Re-implemented from the description of CQFIO/PhotographicImageSynthesis (TensorFlow 1.x demo scripts; the
repository states no license; no code copied) and the paper "Photographic Image Synthesis with Cascaded Refinement
Networks". No harmonization weights exist for it.

Architecture (as the official 1024p script): refinement modules at 4, 8, 16, ..., S px; module 1 reads the input
area-downsampled to its size, module k the bilinear x2 (align_corners) upsampling of module k-1's features
concatenated with the input area-downsampled to its size; each module = 2 x [Conv3 (no bias), LayerNorm over
(C, H, W) with per-channel affine (= GroupNorm(1, C), eps 1e-12 as TF's layer_norm), LReLU 0.2]; widths 1024 up
to 64 px, 512 at 128 and 256 px, 128 at 512 px, 32 at 1024 px; a linear Conv1x1 head to 3 channels mapped by
(y + 1) / 2 (the official ``(y + 1) / 2 * 255``). Conv weights Glorot-uniform (TF-slim's default).

Choices where the paper leaves the harmonization / high-resolution adaptation open:

- Input: [composite in [-1, 1], mask in [0, 1]] replaces the one-hot label map (4 channels).
- Geometry: the number of modules is fixed by ``output_size`` S (9 for 1024, 10 for 2048); module k runs at
  H / 2**(n-1-k) x W / 2**(n-1-k), so a square S x S input starts at 4 x 4 (Cityscapes' 4 x 8 becomes square) and
  other aspect ratios keep theirs. H and W are replicate-padded at the bottom/right to a multiple of S / 4 and the
  output is cropped back (any size works: LayerNorm and the convs need no minimum). ``crn-2048`` has no official
  width at 2048 px (the 1024p script's rule, written for sizes up to 1024, would literally give 512 there): we
  continue the narrowing that keeps the finest modules cheap, 16 channels at 2048 (widths 1024 x 5, 512, 512, 128,
  32, 16).
- Loss: CRN's only loss, VGG19 feature matching (L1 on pixels and on conv1_2, conv2_2, conv3_2, conv4_2, conv5_2
  after ReLU = torchvision ``features`` 3, 8, 13, 22, 31, weights 1, 1/2.6, 1/4.8, 1/3.7, 1/5.6, 10/1.5 as the
  official 512p/1024p scripts, VGG with average pooling, pixels on the 0-255 scale), is the default. The VGG
  weights are torchvision's VGG-19 ImageNet ones, found at the first training step
  (:func:`harmbench.layers.vgg.resolve_vgg19_weights`: ``vgg_weights`` PATH, else the torch hub cache, else a
  download). They are not the official MatConvNet net, which took 0-255 minus the mean: we feed torchvision's
  ImageNet normalisation, so feature magnitudes, hence the balance with the pixel term, differ somewhat.
  Only when no weights can be had (with a warning), or with ``vgg_weights="none"``, the stand-in is a multi-scale
  pixel L1 on the 0-255 scale at the VGG layers' resolutions: weight 1 + 1/2.6 at full size, 1/4.8 at 1/2, 1/3.7
  at 1/4, 1/5.6 at 1/8, 10/1.5 at 1/16 (average pooling). :meth:`CRN.training_notes` says which, ``loss_setup``
  in the saved config records it; the loss dict has ``perceptual`` or ``pyramid_l1`` accordingly. No adversarial
  loss.
- Training from scratch at the target size with Adam 1e-4 and batch 1 (official optimiser); the official 512p/1024p
  progressive fine-tuning (new modules only) does not carry over; 120 epochs as CDTNet's own protocol [assumed].
- Output is NOT composited with the background (``blends=False``): CDTNet's Table 1 CRN SSIM (0.8225) is far below
  the composite's own (0.9642), i.e. the raw output was scored. ``composite_output=True`` returns
  ``out * mask + composite * (1 - mask)``.

Checkpoints: the original code is TensorFlow 1.x (``tf.train.Saver`` checkpoints of TF-slim variables, conv kernels
in HWIO layout), not PyTorch, so there is no original state_dict layout to load and no converter
(``convert_official`` is None); weights trained with the original scripts would need their variables renamed and
their kernels transposed to OIHW by hand. Checkpoints written by harmbench load as for every method.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.contract import HarmonizationMethod, TrainRecipe
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.imagenet import IMAGENET_MEAN, IMAGENET_STD
from harmbench.layers.padding import pad_bottom_right
from harmbench.layers.vgg import FrozenVGG19, PerceptualVGG19
from harmbench.registry import MethodError, register_method

FIRST_SIZE = 4
# Official width per module size; 2048 is our extrapolation (see the module docstring).
_WIDTH_AT = {4: 1024, 8: 1024, 16: 1024, 32: 1024, 64: 1024, 128: 512, 256: 512, 512: 128, 1024: 32, 2048: 16}

# CRN's perceptual loss: 0-255 pixels, then conv1_2 .. conv5_2 after ReLU (torchvision ``features`` indices).
_VGG_TAPS = (3, 8, 13, 22, 31)
_LOSS_WEIGHTS = (1.0, 1 / 2.6, 1 / 4.8, 1 / 3.7, 1 / 5.6, 10 / 1.5)


def module_sizes(output_size: int) -> list[int]:
    """Nominal sizes of the refinement modules: 4, 8, ..., output_size."""
    sizes = [FIRST_SIZE]
    while sizes[-1] < output_size:
        sizes.append(sizes[-1] * 2)
    return sizes


@dataclass
class CRNConfig:
    output_size: int = 1024  # modules at 4, 8, ..., output_size px
    widths: tuple[int, ...] | None = None  # one per module; None = the official rule
    # torchvision VGG19 state_dict for the perceptual loss; None = torch hub cache, else download, else the
    # multi-scale pixel L1 with a warning; "none" = that stand-in on purpose
    vgg_weights: str | None = None
    loss_setup: str = ""  # written at the first training step: which loss ran (see layers.vgg)
    composite_output: bool = False

    def __post_init__(self):
        sizes = module_sizes(self.output_size) if self.output_size >= FIRST_SIZE else []
        if len(sizes) < 2 or sizes[-1] != self.output_size:
            raise MethodError(f"crn: output_size must be 4 * 2**k with k >= 1, got {self.output_size}")
        if self.widths is None:
            if self.output_size not in _WIDTH_AT:
                raise MethodError(f"crn: no width rule for output_size {self.output_size}; pass widths")
            self.widths = tuple(_WIDTH_AT[s] for s in sizes)
        self.widths = tuple(self.widths)
        if len(self.widths) != len(sizes) or min(self.widths) < 1:
            raise MethodError(f"crn: widths needs {len(sizes)} positive entries for output_size {self.output_size}, "
                              f"got {self.widths}")


class RefinementModule(nn.Module):
    """2 x [Conv3 without bias, LayerNorm (GroupNorm with one group), LReLU 0.2]."""

    def __init__(self, in_channels: int, width: int):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding=1, bias=False),
                                  nn.GroupNorm(1, width, eps=1e-12), nn.LeakyReLU(0.2),
                                  nn.Conv2d(width, width, 3, padding=1, bias=False),
                                  nn.GroupNorm(1, width, eps=1e-12), nn.LeakyReLU(0.2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class CRN(HarmonizationMethod):
    """Cascade of refinement modules from 4 px to full size on [composite, mask]."""

    def __init__(self, config: CRNConfig):
        super().__init__(config)
        widths = config.widths
        self.refinements = nn.ModuleList(
            RefinementModule(4 + (widths[k - 1] if k else 0), width) for k, width in enumerate(widths))
        self.head = nn.Conv2d(widths[-1], 3, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        self.size_multiple = 2 ** (len(widths) - 1)
        self.vgg = PerceptualVGG19(config, "multi-scale pixel L1 instead", pool="avg")

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("crn", composite, mask)
        height, width = composite.shape[2:]
        label = pad_bottom_right(torch.cat([composite * 2 - 1, mask], 1), self.size_multiple)
        features = None
        for k, refine in enumerate(self.refinements):
            factor = 2 ** (len(self.refinements) - 1 - k)
            local_label = F.avg_pool2d(label, factor) if factor > 1 else label
            if features is not None:
                features = F.interpolate(features, size=local_label.shape[2:], mode="bilinear", align_corners=True)
                local_label = torch.cat([features, local_label], 1)
            features = refine(local_label)
        images = (self.head(features)[:, :, :height, :width] + 1) / 2
        if self.config.composite_output:
            images = composite_with_background(images, composite, mask)
        return {"images": images}

    def train_recipe(self) -> TrainRecipe:
        return TrainRecipe(lr=1e-4, betas=(0.9, 0.999), epochs=120, milestones=(), batch_size=1)

    def training_notes(self) -> list[str]:
        return [self.vgg.resolve().note]

    @staticmethod
    def _perceptual(vgg: FrozenVGG19, fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        mean = fake.new_tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
        std = fake.new_tensor(IMAGENET_STD).view(1, 3, 1, 1)
        fake_feats = vgg((fake - mean) / std, _VGG_TAPS)
        real_feats = vgg((real - mean) / std, _VGG_TAPS)
        terms = [F.l1_loss(fake * 255, real * 255)]
        terms += [F.l1_loss(f, r.detach()) for f, r in zip(fake_feats, real_feats, strict=True)]
        return sum(w * t for w, t in zip(_LOSS_WEIGHTS, terms, strict=True))

    @staticmethod
    def _pyramid_l1(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        # the pixel term and conv1_2 both sit at full size; conv2_2 .. conv5_2 at 1/2 .. 1/16
        factors = (1, 1, 2, 4, 8, 16)
        total = 0.0
        for weight, factor in zip(_LOSS_WEIGHTS, factors, strict=True):
            f, r = (F.avg_pool2d(t, factor, ceil_mode=True) if factor > 1 else t for t in (fake * 255, real * 255))
            total = total + weight * F.l1_loss(f, r)
        return total

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        fake, real = out["images"], batch["target"]
        vgg = self.vgg.frozen
        if vgg is not None:
            return {"perceptual": self._perceptual(vgg, fake, real)}
        return {"pyramid_l1": self._pyramid_l1(fake, real)}


_PAPER = "Chen & Koltun, Photographic Image Synthesis with Cascaded Refinement Networks, ICCV 2017"
_META = dict(config=CRNConfig, build=CRN, tiny=dict(output_size=32, widths=(16, 16, 8, 8)), family="crn",
             paper=_PAPER, trainable=True, blends=False, official_weights="")
register_method("crn", native_size=1024, description="CRN 1024p: 9 refinement modules 4 -> 1024 px, widths "
                "1024/512/128/32, VGG19 perceptual L1 (pixel-pyramid L1 stand-in without VGG weights)", **_META)
register_method("crn-2048", native_size=2048, defaults=dict(output_size=2048),
                description="CRN extended to 2048 px: 10 modules, 16 channels at 2048 (extrapolated)", **_META)
