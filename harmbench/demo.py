"""The demo job (``harmbench demo``): the README's main job on the built-in synthetic set, sized for 2 CPU cores.

1. makes (or reuses) the synthetic set; 2. evaluates the training-free references at ``plan.size``; 3. trains
iSSAM briefly at the low resolution, then CDTNet-256 on top of it (base frozen, the original recipe's losses, a few
epochs at a small training size); 4. evaluates ``cdtnet-256-sim`` and ``cdtnet-256`` with those weights; 5. draws a
figure (composite, ground truth, each method) from the saved outputs; 6. writes the static report (tables, plots,
gallery) of all its runs.

The demo owns its two folders (``results/demo`` and ``checkpoints/demo`` by default). A trained checkpoint is reused
when the plan that made it (and, for CDTNet, the base checkpoint's sha256) is unchanged and is retrained otherwise;
an interrupted training resumes. A result folder is resumed when it was made with the same weights and data, and
replaced otherwise, so deleting the checkpoints and running again re-trains (to the same bytes) and goes on without
an error. ``fresh=True`` deletes both folders first.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

# The jobs (and torch with them) are imported inside the functions: `harmbench demo --help` reads DemoPlan only.

REFERENCES = ("composite", "reinhard", "histmatch")
LEARNED = ("cdtnet-256-sim", "cdtnet-256")
RESULTS, CHECKPOINTS = Path("results/demo"), Path("checkpoints/demo")
FIGURE, REPORT = "demo.png", "report"
PLAN_FILE, DONE_FILE = "demo.json", "done"


@dataclass(frozen=True)
class DemoPlan:
    """What the demo runs. The defaults are tuned for a first run of a few minutes on 2 CPU cores that still ends
    with the learned methods ahead of the composite on fMSE; tests shrink every number.

    ``size``: evaluation size; ``test_images``: test composites evaluated (None: all); ``train``: also train and
    evaluate CDTNet; ``lr_size``: the low-resolution generator's side (iSSAM trains at it); ``train_size``: CDTNet's
    training crops; ``train_images``: training composites used (None: all); ``val_images``: validation composites
    per epoch (0: none); ``figure_images``: rows of the figure; ``report_images``: images per gallery selection of
    the report."""

    size: int = 1024
    test_images: int | None = None
    train: bool = True
    base_epochs: int = 6
    cdtnet_epochs: int = 6
    lr_size: int = 64
    train_size: int = 128
    train_images: int | None = None
    val_images: int = 4
    batch_size: int = 4  # CDTNet-256's recipe batch (iSSAM's is 16): more optimiser steps per CPU minute
    workers: int = 2
    figure_images: int = 4
    report_images: int = 4


@dataclass
class DemoOutcome:
    runs: list[Path]  # result folders, references first
    figure: Path
    report: Path  # the report's index.html


def run_demo(plan: DemoPlan = DemoPlan(), data: str | Path | None = None, out: Path = RESULTS,
             checkpoints: Path = CHECKPOINTS, fresh: bool = False, progress: bool = True,
             console: Console | None = None) -> DemoOutcome:
    """Run the demo (see the module docstring) on ``data`` (default: the built-in synthetic set, made on first
    use); results under ``out``, trained weights under ``checkpoints``."""
    from harmbench.data import open_dataset
    from harmbench.data.synth import default_dataset
    from harmbench.figures import save_figure
    from harmbench.report import build_report
    from harmbench.runner import evaluate
    from harmbench.weights import resolve_weights

    console = console or Console(stderr=True, soft_wrap=True)
    if fresh:
        for folder in (out, checkpoints):
            if folder.exists():
                console.print(f"[yellow]--fresh: deleting {folder}[/]")
                shutil.rmtree(folder)
    data = Path(data) if data is not None else default_dataset()
    console.print(f"[bold]data[/]: {data}")
    fingerprint = open_dataset(data, split="test").fingerprint

    def run(name: str, weights: Path | None = None) -> Path:
        folder = out / f"{name}-{plan.size}"
        expected = resolve_weights(name, plan.size, weights)
        _drop_if_stale(folder, None if expected is None else expected.context(), fingerprint, console)
        return evaluate(name, plan.size, data=data, limit=plan.test_images, out=folder, weights=weights,
                        save_images=True, workers=plan.workers, progress=progress, console=console)

    runs = [run(name) for name in REFERENCES]
    if plan.train:
        cdtnet = _train_models(plan, data, checkpoints, progress, console)
        runs += [run(name, cdtnet) for name in LEARNED]
    # The composite's output is the input, already the figure's first column.
    shown = [folder for folder in runs if folder.name != f"composite-{plan.size}"]
    figure = save_figure(shown, out / FIGURE, n_images=plan.figure_images)
    best = LEARNED[0] if plan.train else REFERENCES[1]
    report = build_report(runs, out / REPORT, pairs=[f"{best},composite"], gallery=plan.report_images)
    return DemoOutcome(runs, figure, report)


def _train_models(plan: DemoPlan, data: Path, checkpoints: Path, progress: bool, console: Console) -> Path:
    """iSSAM at ``lr_size``, then CDTNet-256 on top of it (lr generator shrunk to ``lr_size``, base frozen); returns
    CDTNet's checkpoint. The method names keep the architecture: cdtnet-256 = the 256 variant's config with lr_size
    overridden, which the checkpoint carries to the sim variant too."""
    from harmbench.data import open_dataset
    from harmbench.registry import file_sha256
    from harmbench.train import train

    shared = {**_training_fields(plan), "data": open_dataset(data, split="train").fingerprint}
    common = dict(data=data, batch_size=plan.batch_size, workers=plan.workers, val_limit=plan.val_images,
                  limit=plan.train_images, progress=progress, console=console)
    base_plan = {"method": "iss2am", "size": plan.lr_size, "epochs": plan.base_epochs, **shared}
    base = _trained(checkpoints / "iss2am", base_plan, lambda folder, resume: train(
        "iss2am", plan.lr_size, epochs=plan.base_epochs, out=folder, resume=resume, **common), console)
    cdtnet_plan = {"method": "cdtnet-256", "size": plan.train_size, "epochs": plan.cdtnet_epochs,
                   "lr_size": plan.lr_size, "base_sha256": file_sha256(base), **shared}
    return _trained(checkpoints / "cdtnet-256", cdtnet_plan, lambda folder, resume: train(
        "cdtnet-256", plan.train_size, epochs=plan.cdtnet_epochs, out=folder, resume=resume,
        overrides={"lr_size": plan.lr_size, "base_weights": str(base)}, **common), console)


def _training_fields(plan: DemoPlan) -> dict:
    fields = ("batch_size", "train_images", "val_images")
    return {name: value for name, value in dataclasses.asdict(plan).items() if name in fields}


def _trained(folder: Path, wanted: dict, make: Callable[[Path, bool], Path], console: Console) -> Path:
    """``folder``'s checkpoint when a finished training of the ``wanted`` plan is there; an unfinished one of the
    same plan resumes; anything else is deleted and trained afresh."""
    from harmbench.train import CHECKPOINT

    plan_file, checkpoint = folder / PLAN_FILE, folder / CHECKPOINT
    same = plan_file.is_file() and json.loads(plan_file.read_text()) == wanted
    if same and (folder / DONE_FILE).exists() and checkpoint.exists():
        console.print(f"[cyan]reusing {checkpoint}[/]")
        return checkpoint
    if folder.exists() and not same:
        console.print(f"[yellow]{folder}: trained with another demo plan; training again[/]")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(wanted, indent=1) + "\n")
    path = make(folder, checkpoint.exists())
    (folder / DONE_FILE).write_text("finished\n")
    return path


def _drop_if_stale(folder: Path, weights: dict | None, fingerprint: str, console: Console) -> None:
    """Delete the demo's result ``folder`` when it was made with other weights or other data (or cannot be read),
    so that the evaluation starts it again instead of refusing to mix runs."""
    from harmbench.results import ResultError, load_run

    if not folder.exists():
        return
    try:
        summary = load_run(folder).summary
        reason = ("other weights" if summary.get("weights") != weights
                  else "other data" if (summary.get("data") or {}).get("fingerprint") != fingerprint else None)
    except ResultError:
        reason = "an unreadable result"
    if reason:
        console.print(f"[yellow]{folder}: holds {reason}; evaluating again[/]")
        shutil.rmtree(folder)
