"""CDTNet (Cong et al., CVPR 2022): collaborative dual transformations for high-resolution image harmonization.

Registered here: ``cdtnet-256`` / ``cdtnet-512`` (low-resolution generator at ``lr_size`` 256 / 512) and their
``-sim`` variants (RGB-to-RGB branch only at inference). Table 4's ablations are in ``cdtnet.ablations``; they are
config flags of this one module.

Data flow (research sheet §2; inputs composite (B,3,H,W) in [0,1], mask (B,1,H,W)):

1. ``low = bilinear(cat(normalise(composite), mask), (lr, lr))`` (align_corners=False, no antialias; computed as
   the normalised resize, which is the same up to rounding).
2. low-resolution generator = iSSAM (``baselines.iss2am``): ``encoder(low)`` -> features, deepest first;
   ``decoder`` -> low-res result (normalised) and its last feature map F_dec.
3. colour mapping (``cdtnet.lut``): weights from the bottleneck and the full-res mask, fused basis LUTs applied to
   the full-res [0,1] composite, composited with the mask -> ``lut_images``.
4. refinement (``cdtnet.refine``) on [up(base), normalise(lut_images), mask, up(F_dec)] -> ``images``.

Outputs (the original code's names and scales, none clamped): ``images`` (B,3,H,W) and ``lut_images`` (B,3,H,W) on
the [0,1] scale, ``base_images`` (B,3,lr,lr) denormalised. The (sim) variants return ``images`` = ``lut_images``
and skip the decoder and refinement at inference (the original still ran the decoder; its result was unused).

Official checkpoints (raw state_dicts) load directly: attribute names are the official ones. By default the
low-resolution generator is frozen (``finetune_base=False``, the original default): it stays in eval mode and its
parameters do not require gradients; load a pretrained iSSAM into it with :func:`load_base_weights`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from baselines.iss2am import ImageNetNormalization, build_unet, mask_weighted_mse
from cdtnet.lut import ColorMapping
from cdtnet.refine import REFINE_INPUTS, Refinement
from harmbench.contract import PaperAccounting
from harmbench.registry import MethodError, get_method, register_method

MODES = ("full", "sim", "rgb-only", "pixel-only")


@dataclass
class CDTNetConfig:
    lr_size: int = 256  # side of the square low-resolution generator input
    # low-resolution generator (iSSAM256: the official 'CDTNet' config)
    depth: int = 4
    ch: int = 32
    max_channels: int = 512
    batchnorm_from: int = 2
    attend_from: int = 2
    attention_mid_k: float = 0.5
    # colour mapping
    n_lut: int = 4
    lut_size: int = 33
    lut_pooling: str = "fg-bg"  # "fg-bg" (paper) or "global" (Table 4 row 4)
    lut_encoder: str = "shared"  # "shared" (paper) or "separate" (Table 4 row 3)
    lut_clamp: bool = False  # the paper clips LUT outputs to [0,1]; the released code does not
    # refinement
    refine_width: int = 64  # hidden channels; 64 in the code (the paper states only c = 32, F_dec's width)
    refine_inputs: tuple[str, ...] = REFINE_INPUTS  # subset of ("base", "lut", "mask", "features")
    refine_blending: bool = True
    # "full"; "sim" (all modules built so full checkpoints load, only the LUT branch runs at inference);
    # "rgb-only" (no refinement module, images = lut_images); "pixel-only" (no LUT, no refinement,
    # images = bilinearly upsampled low-resolution result)
    mode: str = "full"
    # training
    finetune_base: bool = False  # train the low-resolution generator too
    loss: str = "mse"  # "mse": the code's mask-weighted MSE; "l1": the paper's L1 losses
    min_area: float = 100.0  # of the mask-weighted MSE

    def __post_init__(self):
        if isinstance(self.refine_inputs, str):  # e.g. "base,lut,mask" from a command line
            self.refine_inputs = tuple(part.strip() for part in self.refine_inputs.split(",") if part.strip())
        self.refine_inputs = tuple(self.refine_inputs)


def _check_config(config: CDTNetConfig) -> None:
    choices = {"mode": MODES, "lut_pooling": ("fg-bg", "global"), "lut_encoder": ("shared", "separate"),
               "loss": ("mse", "l1")}
    for name, allowed in choices.items():
        if getattr(config, name) not in allowed:
            raise MethodError(f"CDTNet config: {name}={getattr(config, name)!r}; choose one of {', '.join(allowed)}")
    unknown = [name for name in config.refine_inputs if name not in REFINE_INPUTS]
    if unknown or not config.refine_inputs:
        raise MethodError(f"CDTNet config: refine_inputs={config.refine_inputs!r}; choose a non-empty subset of "
                          f"{', '.join(REFINE_INPUTS)}")
    divisor = 2 ** (config.depth - 1)
    if config.lr_size < divisor or config.lr_size % divisor:
        raise MethodError(f"CDTNet config: lr_size={config.lr_size} must be a multiple of {divisor} "
                          f"(2^(depth-1), for depth={config.depth})")
    if config.n_lut < 1 or config.lut_size < 2:
        raise MethodError(f"CDTNet config: need n_lut >= 1 and lut_size >= 2, got {config.n_lut}, {config.lut_size}")


class CDTNet(nn.Module):
    def __init__(self, config: CDTNetConfig):
        super().__init__()
        _check_config(config)
        self.config = config
        self.imagenet = ImageNetNormalization()
        self.encoder, self.decoder = build_unet(config)
        self.lut = None
        if config.mode != "pixel-only":
            separate = build_unet(config)[0] if config.lut_encoder == "separate" else None
            self.lut = ColorMapping(self.encoder.channels[-1], config.n_lut, config.lut_size, config.lut_pooling,
                                    config.lut_clamp, encoder=separate)
        self.refine = None
        if config.mode in ("full", "sim"):
            self.refine = Refinement(self.decoder.out_channels, config.refine_width, config.refine_inputs,
                                     config.refine_blending)
        for part in (self.encoder, self.decoder):
            part.requires_grad_(config.finetune_base)

    def train(self, mode: bool = True):
        """A frozen low-resolution generator keeps eval mode (BatchNorm running statistics), as in the original."""
        super().train(mode)
        if not self.config.finetune_base:
            self.encoder.eval()
            self.decoder.eval()
        return self

    def paper_accounting(self, height: int, width: int) -> PaperAccounting:
        """The paper's CDTNet looked each basis LUT up in a module of its own: one (3, H, W) output per LUT that
        our fused lookup never materialises."""
        return PaperAccounting(extra_outputs=[(3, height, width)] * (self.lut.n_lut if self.lut is not None else 0))

    def _decoder_runs(self) -> bool:
        if self.config.mode in ("full", "pixel-only"):
            return True
        return self.training and self.config.finetune_base  # only for the low-res loss while fine-tuning

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        config = self.config
        size = (config.lr_size, config.lr_size)
        # normalising after the bilinear resize equals the original's resize of the normalised image (the weights
        # sum to 1) and spares a full-resolution pass when the refinement does not run
        low_image = F.interpolate(composite, size=size, mode="bilinear", align_corners=False)
        low_mask = F.interpolate(mask, size=size, mode="bilinear", align_corners=False)
        low = torch.cat([self.imagenet.normalize(low_image), low_mask], dim=1)
        out = {}
        decoder_runs = self._decoder_runs()
        shared = self.lut is not None and self.lut.encoder is None
        encoder_outputs = self.encoder(low) if decoder_runs or shared else None
        if decoder_runs:
            base, features = self.decoder(encoder_outputs, low[:, :3], low[:, 3:])
        if self.lut is not None:
            bottleneck = (encoder_outputs if shared else self.lut.encoder(low))[0]
            out["lut_images"] = self.lut(bottleneck, composite, mask)
        if config.mode == "full":
            lut_normed = self.imagenet.normalize(out["lut_images"]) if "lut" in self.refine.inputs else None
            refined = self.refine(base, self.imagenet.normalize(composite), mask, features, lut_normed)
            images = self.imagenet.denormalize(refined)
        elif config.mode == "pixel-only":
            images = self.imagenet.denormalize(F.interpolate(base, size=composite.shape[-2:], mode="bilinear",
                                                             align_corners=False))
        else:
            images = out["lut_images"]
        if decoder_runs:
            out["base_images"] = self.imagenet.denormalize(base)
        return {"images": images, **out}

    def _reconstruction(self, pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if self.config.loss == "l1":
            return F.l1_loss(pred, target)
        return mask_weighted_mse(pred, target, mask, self.config.min_area)

    def training_losses(self, batch: dict, out: dict, discriminator=None) -> dict[str, torch.Tensor]:
        """The original recipe: one reconstruction loss per distinct output, summed with weight 1 each, on [0,1]
        images: ``pixel_loss`` (refined ``images``, full mode), ``lut_loss`` (``lut_images``), ``base_pixel_loss``
        (``base_images`` vs the bilinearly downsampled target and mask; only when the generator runs in training,
        i.e. when it is fine-tuned or its output is the result). Where ``images`` is ``lut_images`` (sim, rgb-only)
        it is counted once, where the original counted it twice."""
        target, mask = batch["target"], batch["mask"]
        losses = {}
        if self.config.mode == "full":
            losses["pixel_loss"] = self._reconstruction(out["images"], target, mask)
        if "lut_images" in out:
            losses["lut_loss"] = self._reconstruction(out["lut_images"], target, mask)
        if "base_images" in out:
            size = out["base_images"].shape[-2:]
            losses["base_pixel_loss"] = self._reconstruction(
                out["base_images"], F.interpolate(target, size=size, mode="bilinear", align_corners=False),
                F.interpolate(mask, size=size, mode="bilinear", align_corners=False))
        return losses

    def train_recipe(self):
        """Official ``models/CDTNet.py`` / ``train.sh``: Adam 1e-3, MultiStepLR [50, 100] x 0.1, 120 epochs; batch 4
        for CDTNet-256 at 1024 and 2 for CDTNet-512 at 2048."""
        from harmbench.train import TrainRecipe  # not at import: harmbench.train imports the registry

        return TrainRecipe(lr=1e-3, epochs=120, milestones=(50, 100), gamma=0.1,
                           batch_size=4 if self.config.lr_size <= 256 else 2)

    def trainable_parameters(self) -> list[nn.Parameter]:
        """Parameters of the parts that run in training: LUT branch, refinement (full mode), and the low-resolution
        generator only with ``finetune_base``."""
        parts = [self.lut] if self.lut is not None else []
        if self.config.mode == "full":
            parts.append(self.refine)
        if self.config.finetune_base:
            parts += [self.encoder, self.decoder]
        return [p for part in parts for p in part.parameters()]


def load_base_weights(model: CDTNet, path: str | Path) -> None:
    """Load an iSSAM checkpoint (official ``issam256.pth`` or a harmbench ``iss2am`` checkpoint) into the
    low-resolution generator; strict: a checkpoint with other or missing keys raises a MethodError listing them."""
    from harmbench.checkpoints import load_weights

    base = nn.Module()
    base.encoder, base.decoder = model.encoder, model.decoder
    load_weights(base, get_method("iss2am"), path)


_PAPER = "Cong et al., High-Resolution Image Harmonization via Collaborative Dual Transformations, CVPR 2022"
TINY = dict(lr_size=16, depth=3, ch=8, attend_from=1, lut_size=9, refine_width=8)


def register_cdtnet(name: str, description: str, official_weights: str = "", blends: bool = False,
                    **defaults) -> None:
    """Register one CDTNet variant (shared by ``cdtnet.ablations``)."""
    register_method(name, config=CDTNetConfig, build=CDTNet, defaults=defaults, tiny=TINY, family="cdtnet",
                    paper=_PAPER, native_size=defaults.get("lr_size", CDTNetConfig.lr_size), trainable=True,
                    blends=blends, official_weights=official_weights, convert_official=None,
                    description=description)


register_cdtnet("cdtnet-256", "CDTNet, low-resolution generator at 256 (paper: 1024 and 2048 inputs); "
                "iHarmony4_256.pth is the hr=lr=256 iHarmony4 model, base weights issam256.pth",
                official_weights="iHarmony4_256.pth", lr_size=256)
register_cdtnet("cdtnet-512", "CDTNet, low-resolution generator at 512 (paper: 2048 inputs)",
                official_weights="HAdobe5k_2048.pth", lr_size=512)
register_cdtnet("cdtnet-256-sim", "CDTNet-256 (sim): encoder + LUT branch only; images = lut_images",
                official_weights="CDTNet_sim_base256.pth", blends=True, lr_size=256, mode="sim")
register_cdtnet("cdtnet-512-sim", "CDTNet-512 (sim): encoder + LUT branch only; no sim-512 checkpoint was "
                "released (full CDTNet checkpoints load and run their LUT branch)", blends=True, lr_size=512,
                mode="sim")
