"""``harmbench train``: train one method with its official recipe (see :mod:`harmbench.train`).

Under ``torchrun --nproc-per-node N -m harmbench train ...`` the processes train together (DistributedDataParallel);
``--batch-size`` is then the global batch, split evenly over the N processes.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import make_console, parse_overrides, user_errors


class Loss(str, Enum):
    mse = "mse"
    l1 = "l1"


class Recipe(str, Enum):
    code = "code"
    paper = "paper"


@app.command("train")
def train_command(
    method: str = typer.Option(..., "--method", "-m", help="registered method name (see `harmbench list`)"),
    size: int = typer.Option(..., help="training crop size (square), e.g. 1024 for CDTNet-256"),
    data: Path | None = typer.Option(None, help="iHarmony4/HAdobe5k root; default: the built-in synthetic set"),
    subset: str | None = typer.Option(None, help="only this iHarmony4 subset, e.g. HAdobe5k (the CDTNet recipe)"),
    epochs: int | None = typer.Option(None, help="number of epochs (default: the method's recipe, 120 for CDTNet)"),
    batch_size: int | None = typer.Option(None, help="global batch size, a multiple of the torchrun processes "
                                                     "(default: the method's recipe)"),
    lr: float | None = typer.Option(None, help="learning rate (default: the method's recipe, Adam 1e-3 for CDTNet)"),
    resume: bool = typer.Option(False, "--resume", help="continue <out>/last.pt (same settings) exactly"),
    out: Path | None = typer.Option(None, help="checkpoint folder (default checkpoints/<method>-<size>)"),
    device: str = typer.Option("auto", help="auto (CUDA when present), cpu, cuda or cuda:N; under torchrun a CUDA "
                                            "device is cuda:LOCAL_RANK"),
    amp: bool = typer.Option(False, "--amp", help="mixed precision: bf16 on CPU, fp16 + GradScaler on CUDA"),
    seed: int = typer.Option(0, help="seed for initial weights, data order and augmentation"),
    limit: int | None = typer.Option(None, help="only the first N training images"),
    val_limit: int = typer.Option(100, help="validate on the first N test images each epoch (0: no validation)"),
    base_weights: Path | None = typer.Option(None, help="config field base_weights, e.g. CDTNet's pretrained "
                                                        "low-resolution generator issam256.pth"),
    finetune_base: bool = typer.Option(False, "--finetune-base", help="config field finetune_base=True (CDTNet: "
                                                                      "also train the low-res generator)"),
    loss: Loss | None = typer.Option(None, help="config field loss (CDTNet: pixel loss; default: the config's)"),
    recipe: Recipe | None = typer.Option(None, help="config field recipe (CDTNet). code: the released code (masked "
                                                    "MSE, Adam 1e-3, generator frozen, no LUT clipping); paper: L1, "
                                                    "Adam 1e-4, LUT clipped to [0,1], joint training through the "
                                                    "shared encoder. Explicit --loss/--config values win"),
    vgg_weights: Path | None = typer.Option(None, help="config field vgg_weights (pix2pixHD, CRN, HiDT): "
                                                       "torchvision's VGG-19 ImageNet file; default: the torch hub "
                                                       "cache, else a download, else a warned stand-in loss"),
    tiny: bool = typer.Option(False, "--tiny", help="the method's tiny test-sized config"),
    workers: int = typer.Option(min(4, os.cpu_count() or 1), help="data loader worker processes (per process)"),
    sync_bn: bool = typer.Option(False, "--sync-bn", help="torchrun on CUDA: BatchNorm statistics over all processes"),
    config: list[str] | None = typer.Option(None, "--config", help="config override key=value (repeatable)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar: notes, per-epoch validation lines, "
                                                            "errors and the checkpoint written"),
) -> None:
    """Train a method: augmented crops, per-epoch validation, atomic checkpoints; --resume continues a run."""
    from harmbench.distributed import Ranks, torchrun_ranks
    from harmbench.train import flag_overrides, train

    console = make_console(stderr=True)
    with user_errors():
        overrides = flag_overrides(method, parse_overrides(config),
                                   base_weights=str(base_weights) if base_weights else None,
                                   finetune_base=True if finetune_base else None, loss=loss.value if loss else None,
                                   recipe=recipe.value if recipe else None,
                                   vgg_weights=str(vgg_weights) if vgg_weights else None)
        checkpoint = train(method, size, data=data, subset=subset, epochs=epochs, batch_size=batch_size, lr=lr,
                           resume=resume, out=out, device=device, amp=amp, seed=seed, limit=limit,
                           val_limit=val_limit, tiny=tiny, workers=workers, sync_bn=sync_bn, overrides=overrides,
                           progress=not quiet, console=console)
    if (torchrun_ranks() or Ranks()).main:
        console.print(f"checkpoint: {checkpoint}", highlight=False)
