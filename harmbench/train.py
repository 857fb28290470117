"""One training loop for every learned method.

Contract for a trainable method's ``nn.Module`` (duck-typed; see ``harmbench train --help``):

- ``training_losses(batch, out, discriminator=None) -> dict[str, Tensor]``: named, already weighted scalar
  generator losses; the loop minimises their sum. ``batch`` holds ``composite`` (B,3,H,W) and ``target``
  (B,3,H,W) in [0,1] and ``mask`` (B,1,H,W) in [0,1]; ``out`` is ``model(composite, mask)``.
- optional ``train_recipe() -> TrainRecipe``: the official optimiser/schedule defaults (else ``TrainRecipe()``).
- optional ``trainable_parameters() -> Iterable[Parameter]`` (e.g. CDTNet freezes its base generator).
- GANs: optional ``make_discriminator() -> nn.Module`` and ``discriminator_losses(discriminator, batch, out)
  -> dict[str, Tensor]``; the loop then alternates a discriminator step with the generator step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TrainRecipe:
    """Optimiser and schedule of a method's official training recipe (Adam + MultiStepLR)."""

    lr: float = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)
    weight_decay: float = 0.0
    epochs: int = 120
    milestones: tuple[int, ...] = (50, 100)
    gamma: float = 0.1
    batch_size: int = 4
    discriminator_lr: float | None = None  # GANs; None = same as lr
