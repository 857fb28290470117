"""The method contract: what a registered method's model is, and everything the jobs may ask of it.

Floor 1 (see docs/layout.md): imports only torch. Method files (floor 2) derive their model from
:class:`HarmonizationMethod`; the jobs (runner, training loop, efficiency, study) call only what is declared here,
so none of them knows a method by name.

Forward: ``model(composite, mask) -> {"images": (B,3,H,W), ...}`` with composite (B,3,H,W) RGB in [0,1] and mask
(B,1,H,W) in [0,1] (1 = foreground, soft values allowed); ``"images"`` is on the [0,1] scale and may be unclamped.
Other keys are method-specific extras (CDTNet: ``lut_images``, ``base_images``) that losses may use.

Training hooks (all optional, with the defaults below): a method is trainable when it overrides
:meth:`HarmonizationMethod.training_losses`; a GAN also overrides :meth:`~HarmonizationMethod.make_discriminator`
and :meth:`~HarmonizationMethod.discriminator_losses`. Efficiency accounting: :meth:`paper_accounting`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

OUTPUT_KEY = "images"


@dataclass
class TrainRecipe:
    """Optimiser and schedule of a method's official training recipe (Adam + MultiStepLR or linear decay)."""

    lr: float = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)
    weight_decay: float = 0.0
    epochs: int = 120
    milestones: tuple[int, ...] = (50, 100)
    gamma: float = 0.1
    batch_size: int = 4
    discriminator_lr: float | None = None  # GANs; None = same as lr
    eps: float = 1e-8
    # "multistep": lr x gamma at each milestone epoch (CDTNet, iSSAM). "linear": pix2pix's rule, constant, then
    # decayed linearly towards 0 over the last ``decay_epochs`` epochs (DoveNet, RainNet). "linear-hd":
    # pix2pixHD's rule, lr / decay_epochs less after each of the last ``decay_epochs`` epochs, 0 after the last.
    # Exact multipliers: :func:`schedule_factor`.
    schedule: str = "multistep"
    decay_epochs: int = 0
    crop_scale: tuple[float, float] = (0.5, 1.0)  # RandomResizedCrop area fraction
    crop_ratio: tuple[float, float] = (3 / 4, 4 / 3)  # RandomResizedCrop aspect range (albumentations default)
    flip: bool = True  # random horizontal flip
    keep_background_prob: float = 0.05  # keep a crop whose mask is (nearly) empty with this probability


SCHEDULES = ("multistep", "linear", "linear-hd")


def schedule_factor(recipe: TrainRecipe, epochs: int) -> Callable[[int], float]:
    """The learning-rate multiplier of each 0-based epoch ``e`` of an ``epochs``-long run, with
    ``d = min(decay_epochs, epochs)`` decaying epochs after ``n = epochs - d`` constant ones:

    - "multistep": ``gamma ** (number of milestones <= e)``;
    - "linear" (pix2pix): ``1 - max(0, e + 1 - n) / (d + 1)``;
    - "linear-hd" (pix2pixHD, lr minus lr/d after each epoch past n): ``1 - max(0, e - n) / d`` (1 when d = 0).
    """
    if recipe.schedule not in SCHEDULES:
        raise ValueError(f"schedule '{recipe.schedule}' is not one of {', '.join(SCHEDULES)}")
    if recipe.schedule == "multistep":
        milestones = sorted(recipe.milestones)
        return lambda epoch: recipe.gamma ** bisect.bisect_right(milestones, epoch)
    decay = min(recipe.decay_epochs, epochs)
    constant = epochs - decay
    if recipe.schedule == "linear":
        return lambda epoch: 1.0 - max(0, epoch + 1 - constant) / (decay + 1)
    return lambda epoch: 1.0 - max(0, epoch - constant) / decay if decay else 1.0


@dataclass
class PaperAccounting:
    """What a model tells the CDTNet paper's torchstat rule beyond its leaf modules (``harmbench.efficiency``)."""

    exclude: tuple[str, ...] = ()  # qualified submodule names whose leaves the paper left out
    extra_outputs: list[tuple[int, ...]] = field(default_factory=list)  # per-item shapes of functional outputs


class HarmonizationMethod(nn.Module):
    """Base class of every registered model. Subclasses call ``super().__init__(config)`` and implement ``forward``.

    ``config`` is the method's config dataclass instance; checkpoints and result files record it.
    """

    def __init__(self, config: Any):
        super().__init__()
        self.config = config

    # --- training hooks ---------------------------------------------------------------------------------------

    def training_losses(self, batch: dict[str, torch.Tensor], out: dict[str, torch.Tensor],
                        discriminator: nn.Module | None = None) -> dict[str, torch.Tensor]:
        """Named, already weighted scalar generator losses; the loop minimises their sum.

        ``batch`` holds ``composite`` and ``target`` (B,3,H,W) in [0,1] and ``mask`` (B,1,H,W) in [0,1]; ``out`` is
        ``self(composite, mask)``; ``discriminator`` is the one from :meth:`make_discriminator` (GANs), whose
        parameters collect no gradients during this step. A training-free method keeps this default.
        """
        raise NotImplementedError(f"{type(self).__name__} has no training losses: it is training-free")

    @property
    def trainable(self) -> bool:
        return type(self).training_losses is not HarmonizationMethod.training_losses

    def train_recipe(self) -> TrainRecipe:
        """The official optimiser/schedule defaults of the method."""
        return TrainRecipe()

    def trainable_parameters(self) -> list[nn.Parameter]:
        """The parameters the optimiser updates (default: every parameter that requires a gradient)."""
        return [p for p in self.parameters() if p.requires_grad]

    def training_notes(self) -> list[str]:
        """Lines the training loop prints and records once at the start (e.g. a loss that gets no gradient)."""
        return []

    def make_discriminator(self) -> nn.Module | None:
        """GANs: a fresh discriminator; the loop then alternates a discriminator step with the generator step."""
        return None

    def discriminator_losses(self, discriminator: nn.Module, batch: dict[str, torch.Tensor],
                             out: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """GANs: named discriminator losses; ``out`` arrives detached, so this step never reaches the generator."""
        raise NotImplementedError(f"{type(self).__name__} has no discriminator")

    # --- efficiency accounting ----------------------------------------------------------------------------------

    def paper_accounting(self, height: int, width: int) -> PaperAccounting:
        """Differences between this implementation and the one the CDTNet paper's Table 3 measured, for the paper
        rule at an input of ``height`` x ``width`` (default: none)."""
        return PaperAccounting()


def harmonize(model: nn.Module, composite: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The one inference step every job uses: ``model(composite, mask)["images"]`` under ``inference_mode``,
    as float32 on the 0–255 scale, clamped to [0, 255], shape (B,3,H,W), on the model's device (not rounded)."""
    with torch.inference_mode():
        images = model(composite, mask)[OUTPUT_KEY]
        return images.float().clamp_(0, 1).mul_(255)
