"""iS²AM / iSSAM (Sofiiuk et al., WACV 2021): the U-Net with spatial-separated attention and an image blending layer.

The ``iss2am`` baseline is the paper's iS²AM row: the iSSAM256 architecture run directly at the evaluation
resolution. The network itself (encoder, decoder, SSAM, blending layer, loss) is
:mod:`harmbench.layers.attention_unet`, which CDTNet's low-resolution generator is built from too; attribute names
are the official ones (``encoder.block0.convs.block.0.block.0.weight``, ...), so released ``issam256.pth`` files
load without key conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from harmbench.contract import HarmonizationMethod, TrainRecipe
from harmbench.layers.attention_unet import build_ssam_unet, mask_weighted_mse
from harmbench.layers.checks import check_inputs
from harmbench.layers.imagenet import ImageNetNormalization
from harmbench.layers.padding import centred_padding, crop, window_of
from harmbench.registry import register_method


@dataclass
class ISS2AMConfig:
    depth: int = 4
    ch: int = 32
    max_channels: int = 512
    batchnorm_from: int = 2
    attend_from: int = 2
    attention_mid_k: float = 0.5
    min_area: float = 1000.0  # of the training loss (official MaskWeightedMSE default)


class ISS2AM(HarmonizationMethod):
    """iSSAM at the resolution it is given: normalise, zero-pad to a multiple of 2^(depth+1) (the official predictor's
    divisor, split evenly between the two sides), run, crop, denormalise."""

    def __init__(self, config: ISS2AMConfig):
        super().__init__(config)
        self.encoder, self.decoder = build_ssam_unet(config.depth, config.ch, config.max_channels,
                                                     config.batchnorm_from, config.attend_from,
                                                     config.attention_mid_k)
        self.imagenet = ImageNetNormalization()

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("iss2am", composite, mask)
        height, width = composite.shape[-2:]
        sides = centred_padding(height, width, 2 ** (self.config.depth + 1))
        image = self.imagenet.normalize(F.pad(composite, sides))
        mask = F.pad(mask, sides)
        output, _ = self.decoder(self.encoder(torch.cat([image, mask], dim=1)), image, mask)
        return {"images": self.imagenet.denormalize(crop(output, window_of(sides, height, width)))}

    def training_losses(self, batch: dict, out: dict, discriminator=None) -> dict[str, torch.Tensor]:
        """The official loss: MaskWeightedMSE (min_area 1000) on ImageNet-normalised images."""
        pred = self.imagenet.normalize(out["images"])
        target = self.imagenet.normalize(batch["target"])
        return {"pixel_loss": mask_weighted_mse(pred, target, batch["mask"], self.config.min_area)}

    def train_recipe(self) -> TrainRecipe:
        """SAM ``models/fixed256/improved_ssam.py``: Adam 1e-3, MultiStepLR [105, 115] x 0.1, 120 epochs, batch 16
        (256x256 crops)."""
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
    release="https://github.com/saic-vul/image_harmonization/releases/download/v1.0/issam256.pth",
    convert_official=None,  # attribute names are the official ones
    description="iSSAM256 (depth 4, ch 32, SSAM in the last up block, blending layer) run at the evaluation "
                "resolution: the CDTNet paper's iS²AM row",
)
