"""CDTNet (Cong et al., CVPR 2022): collaborative dual transformations for high-resolution image harmonization.

Registered here: ``cdtnet-256`` / ``cdtnet-512`` (low-resolution generator at ``lr_size`` 256 / 512) and their
``-sim`` variants ("the same training procedure but only uses deep RGB-to-RGB transformation during inference":
trained as the full model, the RGB-to-RGB branch only at inference). Table 4's ablations are in
``cdtnet.ablations``; they are config flags of this one module.

Data flow (research sheet §2; inputs composite (B,3,H,W) in [0,1], mask (B,1,H,W)):

1. ``low = bilinear(cat(normalise(composite), mask), (lr, lr))`` (align_corners=False, no antialias; computed as
   the normalised resize, which is the same up to rounding).
2. low-resolution generator = iSSAM (:mod:`harmbench.layers.attention_unet`, as the ``iss2am`` baseline):
   ``encoder(low)`` -> features, deepest first;
   ``decoder`` -> low-res result (normalised) and its last feature map F_dec.
3. colour mapping (``cdtnet.lut``): weights from the bottleneck and the full-res mask, fused basis LUTs applied to
   the full-res [0,1] composite, composited with the mask -> ``lut_images``.
4. refinement (``cdtnet.refine``) on [up(base), normalise(lut_images), mask, up(F_dec)] -> ``images``.

Outputs (the original code's names and scales, none clamped unless ``lut_clamp``): ``images`` (B,3,H,W) and
``lut_images`` (B,3,H,W) on the [0,1] scale, ``base_images`` (B,3,lr,lr) denormalised. The (sim) variants in
training mode run and return everything the full model does; in eval mode they return ``images`` = ``lut_images``
and skip the decoder and refinement (the original still ran the decoder; its result was unused).

Training recipes (config field ``recipe``; each sets the defaults of the fields below, which stay overridable one
by one, and the learning rate of :meth:`CDTNet.train_recipe`; the resolved values are what configs, checkpoints and
result files record):

=================  ==============================================  ==============================================
setting            ``code`` (default: the released code)          ``paper`` (as the paper states)
=================  ==============================================  ==============================================
``loss``           ``mse``: foreground-area-weighted MSE           ``l1``: L1 for L_pix, L_rgb and L_ref
                   (min_area 100) per output
learning rate      Adam 1e-3                                       Adam 1e-4
``lut_clamp``      False: LUT outputs not clipped                  True: LUT outputs clipped to [0, 1]
``finetune_base``  False: low-resolution generator frozen (eval    True: joint multi-task training through the
                   mode, no gradients; L_pix is not minimised      shared encoder (L = L_pix + L_rgb + L_ref), the
                   and not logged)                                 paper's explanation of Table 4 rows 2-4
=================  ==============================================  ==============================================

Both keep the code's schedule (MultiStepLR [50, 100] x 0.1, 120 epochs), batch sizes and architecture (refinement
width 64 where the paper says c = 32: a checkpoint shape, not a training choice), since the paper states none
of them otherwise.

Official checkpoints (raw state_dicts) load directly: attribute names are the official ones. With the code recipe
the low-resolution generator is frozen (``finetune_base=False``, the original default): it stays in eval mode and
its parameters do not require gradients. A pretrained iSSAM (``issam256.pth`` or a harmbench ``iss2am`` checkpoint)
is loaded into it when the model is built from the config field ``base_weights`` (or later with
:func:`load_base_weights`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from cdtnet.lut import ColorMapping
from cdtnet.refine import REFINE_INPUTS, Refinement
from harmbench.contract import HarmonizationMethod, PaperAccounting, TrainRecipe
from harmbench.layers.attention_unet import UNetDecoder, UNetEncoder, build_ssam_unet, mask_weighted_mse
from harmbench.layers.checks import check_inputs
from harmbench.layers.imagenet import ImageNetNormalization
from harmbench.registry import MethodError, get_method, register_method

MODES = ("full", "sim", "rgb-only", "pixel-only")
# Defaults each training recipe gives (fields left None in the config; "lr" goes to train_recipe()).
RECIPES = {
    "code": {"loss": "mse", "lut_clamp": False, "finetune_base": False, "lr": 1e-3},
    "paper": {"loss": "l1", "lut_clamp": True, "finetune_base": True, "lr": 1e-4},
}


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
    lut_clamp: bool | None = None  # clip LUT outputs to [0,1] (paper) or not (code); None: from ``recipe``
    # refinement
    refine_width: int = 64  # hidden channels; 64 in the code (the paper states only c = 32, F_dec's width)
    refine_inputs: tuple[str, ...] = REFINE_INPUTS  # subset of ("base", "lut", "mask", "features")
    refine_blending: bool = True
    # "full"; "sim" (all modules built so full checkpoints load, only the LUT branch runs at inference);
    # "rgb-only" (no refinement module, images = lut_images); "pixel-only" (no LUT, no refinement,
    # images = bilinearly upsampled low-resolution result)
    mode: str = "full"
    # training: "code" (the released code) or "paper" (as the paper states), see RECIPES and the module docstring;
    # a preset: checkpoint loading compares the other fields with this recipe's defaults
    recipe: str = field(default="code", metadata={"preset": True})
    finetune_base: bool | None = None  # train the low-resolution generator too; None: from ``recipe``
    loss: str | None = None  # "mse": the code's mask-weighted MSE; "l1": the paper's L1 losses; None: ``recipe``
    min_area: float = 100.0  # of the mask-weighted MSE
    # iSSAM weights for the low-resolution generator, loaded when the model is built ("" = none): an official
    # issam256.pth or a harmbench iss2am checkpoint. An initialisation, not part of the architecture: a checkpoint
    # of the whole model replaces these weights (``init_only`` tells loaders not to carry the path over).
    base_weights: str = field(default="", metadata={"init_only": True})

    def __post_init__(self):
        if isinstance(self.refine_inputs, str):  # e.g. "base,lut,mask" from a command line
            self.refine_inputs = tuple(part.strip() for part in self.refine_inputs.split(",") if part.strip())
        self.refine_inputs = tuple(self.refine_inputs)
        # a path object would end up in checkpoint configs, which weights_only loading rejects
        self.base_weights = "" if self.base_weights is None else os.fspath(self.base_weights)
        if self.recipe not in RECIPES:
            raise MethodError(f"CDTNet config: recipe={self.recipe!r}; choose one of {', '.join(RECIPES)}")
        for name, value in RECIPES[self.recipe].items():
            if name != "lr" and getattr(self, name) is None:
                setattr(self, name, value)


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


def _low_resolution_unet(config: CDTNetConfig) -> tuple[UNetEncoder, UNetDecoder]:
    return build_ssam_unet(config.depth, config.ch, config.max_channels, config.batchnorm_from, config.attend_from,
                           config.attention_mid_k)


class CDTNet(HarmonizationMethod):
    """CDTNet behind the harmbench model contract (see the module docstring)."""

    def __init__(self, config: CDTNetConfig):
        super().__init__(config)
        _check_config(config)
        self.imagenet = ImageNetNormalization()
        self.encoder, self.decoder = _low_resolution_unet(config)
        self.lut = None
        if config.mode != "pixel-only":
            separate = _low_resolution_unet(config)[0] if config.lut_encoder == "separate" else None
            self.lut = ColorMapping(self.encoder.channels[-1], config.n_lut, config.lut_size, config.lut_pooling,
                                    config.lut_clamp, encoder=separate)
        self.refine = None
        if config.mode in ("full", "sim"):
            self.refine = Refinement(self.decoder.out_channels, config.refine_width, config.refine_inputs,
                                     config.refine_blending)
        for part in (self.encoder, self.decoder):
            part.requires_grad_(config.finetune_base)
        if config.base_weights:
            load_base_weights(self, config.base_weights)

    def train(self, mode: bool = True):
        """A frozen low-resolution generator keeps eval mode (BatchNorm running statistics), as in the original."""
        super().train(mode)
        if not self.config.finetune_base:
            self.encoder.eval()
            self.decoder.eval()
        return self

    def _refines(self) -> bool:
        """The full model's path: always for "full", in training for "sim" (trained as the full model)."""
        return self.config.mode == "full" or (self.config.mode == "sim" and self.training)

    def _decoder_runs(self) -> bool:
        if self._refines() or self.config.mode == "pixel-only":
            return True
        return self.training and self.config.finetune_base  # only for the low-res loss while fine-tuning

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("cdtnet", composite, mask)
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
        if self._refines():
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
        """One reconstruction loss (``loss``) per distinct output, summed with weight 1 each, on [0,1] images:
        ``pixel_loss`` = L_ref (refined ``images``; full and sim modes), ``lut_loss`` = L_rgb (``lut_images``),
        ``base_pixel_loss`` = L_pix (``base_images`` vs the bilinearly downsampled target and mask), only when the
        low-resolution generator is trained (``finetune_base``): frozen, it gets no gradient, so it is not
        returned as a loss being minimised (:meth:`training_notes` says so). Where ``images`` is ``lut_images``
        (rgb-only) it is counted once, where the original counted it twice."""
        target, mask = batch["target"], batch["mask"]
        losses = {}
        if self.config.mode in ("full", "sim"):
            losses["pixel_loss"] = self._reconstruction(out["images"], target, mask)
        if "lut_images" in out:
            losses["lut_loss"] = self._reconstruction(out["lut_images"], target, mask)
        if "base_images" in out and self.config.finetune_base:
            size = out["base_images"].shape[-2:]
            losses["base_pixel_loss"] = self._reconstruction(
                out["base_images"], F.interpolate(target, size=size, mode="bilinear", align_corners=False),
                F.interpolate(mask, size=size, mode="bilinear", align_corners=False))
        return losses

    def train_recipe(self) -> TrainRecipe:
        """Official ``models/CDTNet.py`` / ``train.sh``: Adam, MultiStepLR [50, 100] x 0.1, 120 epochs; batch 4
        for CDTNet-256 at 1024 and 2 for CDTNet-512 at 2048; lr 1e-3 (recipe "code") or the paper's 1e-4
        ("paper")."""
        return TrainRecipe(lr=RECIPES[self.config.recipe]["lr"], epochs=120, milestones=(50, 100), gamma=0.1,
                           batch_size=4 if self.config.lr_size <= 256 else 2)

    def training_notes(self) -> list[str]:
        """The recipe in force, what a (sim) variant trains, and that L_pix is not minimised when frozen."""
        config = self.config
        notes = [f"CDTNet recipe '{config.recipe}': loss {config.loss}, default lr "
                 f"{RECIPES[config.recipe]['lr']:g}, "
                 f"lut_clamp {config.lut_clamp}, finetune_base {config.finetune_base}"]
        if config.mode == "sim":
            notes.append("(sim): trained as the full model (refinement included); inference uses the LUT branch only")
        if not config.finetune_base and config.mode != "rgb-only":
            notes.append("base_pixel_loss (L_pix) not minimised: the low-resolution generator is frozen "
                         "(finetune_base=False), so it gets no gradient")
        return notes

    def trainable_parameters(self) -> list[nn.Parameter]:
        """Parameters of the parts that run in training: LUT branch, refinement (full and sim modes), and the
        low-resolution generator only with ``finetune_base``."""
        parts = [self.lut] if self.lut is not None else []
        if self.config.mode in ("full", "sim"):
            parts.append(self.refine)
        if self.config.finetune_base:
            parts += [self.encoder, self.decoder]
        return [p for part in parts for p in part.parameters()]

    def paper_accounting(self, height: int, width: int) -> PaperAccounting:
        """The CDTNet paper's code looked up each basis LUT in a separate leaf module: one (3, H, W) output per basis
        LUT, which the fused lookup here computes functionally. Nothing is excluded: the (sim) variants' decoder,
        which the paper's sim code ran, is not called here, so its leaves are not counted anyway."""
        n_lut = self.lut.n_lut if self.lut is not None else 0
        return PaperAccounting(extra_outputs=[(3, height, width)] * n_lut)


def load_base_weights(model: CDTNet, path: str | Path) -> None:
    """Load an iSSAM checkpoint (official ``issam256.pth`` or a harmbench ``iss2am`` checkpoint) into the
    low-resolution generator; strict: a checkpoint with other or missing keys raises a MethodError listing them."""
    # imported here: checkpoints is only needed when weights are given (it imports nothing of the methods)
    from harmbench.checkpoints import load_weights

    base = nn.Module()
    base.encoder, base.decoder = model.encoder, model.decoder
    load_weights(base, get_method("iss2am"), path)


_RELEASE = "https://github.com/bcmi/CDTNet-High-Resolution-Image-Harmonization (files in the repository root)"
_PAPER = "Cong et al., High-Resolution Image Harmonization via Collaborative Dual Transformations, CVPR 2022"
TINY = dict(lr_size=16, depth=3, ch=8, attend_from=1, lut_size=9, refine_width=8)


def register_cdtnet(name: str, description: str, official_weights: str = "", blends: bool = False,
                    release: str = "", **defaults) -> None:
    """Register one CDTNet variant (shared by ``cdtnet.ablations``)."""
    register_method(name, config=CDTNetConfig, build=CDTNet, defaults=defaults, tiny=TINY, family="cdtnet",
                    paper=_PAPER, native_size=defaults.get("lr_size", CDTNetConfig.lr_size), trainable=True,
                    blends=blends, official_weights=official_weights, release=release, convert_official=None,
                    description=description)


register_cdtnet("cdtnet-256", "CDTNet, low-resolution generator at 256 (paper: 1024 and 2048 inputs); "
                "iHarmony4_256.pth is the hr=lr=256 iHarmony4 model, base weights issam256.pth",
                release=_RELEASE, official_weights="iHarmony4_256.pth", lr_size=256)
register_cdtnet("cdtnet-512", "CDTNet, low-resolution generator at 512 (paper: 2048 inputs)",
                release=_RELEASE, official_weights="HAdobe5k_2048.pth", lr_size=512)
register_cdtnet("cdtnet-256-sim", "CDTNet-256 (sim): trained as the full model; inference runs encoder + LUT "
                "branch only, images = lut_images",
                release=_RELEASE, official_weights="CDTNet_sim_base256.pth", blends=True, lr_size=256, mode="sim")
register_cdtnet("cdtnet-512-sim", "CDTNet-512 (sim): trained as the full model, inference LUT branch only; no "
                "sim-512 checkpoint was released (full CDTNet checkpoints load and run their LUT branch)",
                blends=True, lr_size=512, mode="sim")
