"""``harmbench data``: make the synthetic set; check that a dataset folder is laid out and decodes correctly."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from harmbench.cli.app import CommandGroup, app
from harmbench.cli.common import make_console, user_errors

data_app = typer.Typer(cls=CommandGroup, help="Datasets: make the synthetic set, check a dataset folder.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("synth")
def synth_command(
    out: Path | None = typer.Option(None, help="output folder (default: <$HARMBENCH_DATA or ./datasets>/synthetic)"),
    size: int = typer.Option(1024, help="image side in pixels (square)"),
    n_train: int = typer.Option(100, "--n-train", help="training composites"),
    n_test: int = typer.Option(24, "--n-test", help="test composites"),
    seed: int = typer.Option(0, help="random seed (same seed and options: identical files)"),
) -> None:
    """Write the synthetic HAdobe5k-like set (iHarmony4 layout) made from scikit-image's bundled photos."""
    from harmbench.data.synth import SUBSET, default_dataset_root, make_synthetic

    target = out or default_dataset_root() / SUBSET
    started = time.perf_counter()
    with user_errors():
        made = make_synthetic(target, size=size, n_train=n_train, n_test=n_test, seed=seed)
    make_console(stderr=True).print(f"wrote {n_train} train + {n_test} test composites at {size}x{size} to {made} "
                                    f"in {time.perf_counter() - started:.1f} s", highlight=False)


@data_app.command("check")
def check_command(
    path: Path | None = typer.Argument(None, help="dataset folder (default: the synthetic set)"),
    split: str = typer.Option("test", help="split to read for iHarmony4 folders"),
    subset: str | None = typer.Option(None, help="only this iHarmony4 subset"),
    decode: bool = typer.Option(False, "--decode", help="also decode every sample and check sizes and masks"),
    max_pixels: int | None = typer.Option(None, "--max-pixels", min=0, show_default="Pillow's limit, about 89 MP",
                                          help="with --decode: images with more pixels are a problem (0: no limit)"),
) -> None:
    """List a dataset, report unusable files, and optionally decode every sample. Exit 1 if anything is wrong."""
    from harmbench.data import DataError, SampleLoader, open_dataset

    console = make_console()
    with user_errors():
        dataset = open_dataset(path, split=split, subset=subset)
    console.print(dataset.summary())
    problems = list(dataset.problems)
    if decode:
        loader = SampleLoader(max_pixels)
        for ref in dataset.refs:
            try:
                loader.load(ref)
            except DataError as exc:
                problems.append(str(exc))
    for line in problems:
        console.print(f"[yellow]problem[/] {line}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"ok: {len(dataset.refs)} composites" + (" decoded" if decode else " listed"))
