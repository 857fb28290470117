"""``harmbench demo``: the README's main job on the built-in synthetic set, CPU-sized.

1. makes (or reuses) the synthetic set; 2. evaluates the training-free references at ``--size``; 3. trains
iSSAM briefly at the low resolution, then CDTNet-256 on top of it (base frozen, the original recipe's losses, a few
epochs at a small training size); 4. evaluates ``cdtnet-256-sim`` and ``cdtnet-256`` with those weights; 5. prints
Table 1 for everything. Trained checkpoints are cached under ``checkpoints/demo`` (reused on the next call), result
folders under ``results/demo`` (each run resumes), so a second call only prints.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from harmbench.cli.app import app
from harmbench.cli.common import user_errors

REFERENCES = ("composite", "reinhard", "histmatch")


def run_demo(size: int = 1024, train: bool = True, base_epochs: int = 15, cdtnet_epochs: int = 15,
             train_size: int = 128, lr_size: int = 64, out: Path = Path("results/demo"),
             checkpoints: Path = Path("checkpoints/demo"), console: Console | None = None) -> list[Path]:
    """Run the demo and return the result folders."""
    from harmbench.data.synth import default_dataset
    from harmbench.runner import evaluate

    console = console or Console(stderr=True)
    data = default_dataset()
    console.print(f"[bold]data[/]: built-in synthetic set at {data}")
    runs = [evaluate(name, size, data=data, out=out / f"{name}-{size}") for name in REFERENCES]
    if train:
        from harmbench.train import train as train_method

        # The demo shrinks the low-resolution generator to lr_size so that CPU training takes minutes; the
        # method names keep the architecture (cdtnet-256 = the 256 variant's config with lr_size overridden).
        # Batch 8 (not the recipes' 16 / 4) gives more optimiser steps per CPU minute at these small sizes.
        common = dict(data=data, batch_size=8, workers=2, val_limit=8, progress=True, console=console)
        base = _cached(checkpoints / "iss2am", lambda path, resume: train_method(
            "iss2am", lr_size, epochs=base_epochs, out=path, resume=resume, **common))
        cdtnet = _cached(checkpoints / "cdtnet-256", lambda path, resume: train_method(
            "cdtnet-256", train_size, epochs=cdtnet_epochs, out=path, resume=resume,
            overrides={"lr_size": lr_size, "base_weights": str(base)}, **common))
        for name in ("cdtnet-256-sim", "cdtnet-256"):
            # lr_size comes with the checkpoint (trained config fields carry over to the sim variant too)
            runs.append(evaluate(name, size, data=data, weights=cdtnet, out=out / f"{name}-{size}"))
    return runs


def _cached(folder: Path, make) -> Path:
    """A finished training run's checkpoint, or train it (an interrupted run resumes)."""
    done = folder / "done"
    last = folder / "last.pt"
    if done.exists() and last.exists():
        return last
    path = make(folder, last.exists())
    done.write_text("finished\n")
    return path


@app.command("demo")
def demo_command(
    size: int = typer.Option(1024, help="evaluation size"),
    train: bool = typer.Option(True, help="also train iSSAM + CDTNet briefly (CPU minutes) and evaluate them"),
    base_epochs: int = typer.Option(15, help="iSSAM epochs"),
    cdtnet_epochs: int = typer.Option(15, help="CDTNet epochs (base frozen)"),
    train_size: int = typer.Option(128, help="CDTNet training crop size"),
    lr_size: int = typer.Option(64, help="low-resolution generator size used by the demo's CDTNet"),
    out: Path = typer.Option(Path("results/demo"), help="result folders"),
) -> None:
    """Make the synthetic set, evaluate references (and a briefly trained CDTNet), print Table 1."""
    from harmbench.results import load_run
    from harmbench.tables import add_statistics, quality_table, to_rich

    with user_errors():
        folders = run_demo(size, train, base_epochs, cdtnet_epochs, train_size, lr_size, out)
    Console().print(to_rich(add_statistics(quality_table([load_run(f) for f in folders]))))
