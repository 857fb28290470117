"""``harmbench run``: evaluate one method on a dataset at one size."""

from __future__ import annotations

from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import make_console, parse_overrides, print_table, user_errors


@app.command("run")
def run_command(
    method: str = typer.Option(..., "--method", "-m", help="registered method name (see `harmbench list`)"),
    size: int = typer.Option(1024, min=1, help="evaluation size in pixels (square under --resize squash; CDTNet "
                                               "evaluates at 1024 and 2048)"),
    data: Path | None = typer.Option(None, help="iHarmony4/HAdobe5k root or real-composite folder; "
                                                "default: the built-in synthetic set"),
    split: str = typer.Option("test", help="split file to read (<Subset>_<split>.txt)"),
    subset: str | None = typer.Option(None, help="only this iHarmony4 subset, e.g. HAdobe5k"),
    profile: str = typer.Option("cdtnet", help="metric profile: cdtnet (the paper's), harmbench, pctnet"),
    resize: str = typer.Option("squash", help="squash: bilinear to size x size (CDTNet); none: native size"),
    limit: int | None = typer.Option(None, help="only the first N images"),
    shard: str | None = typer.Option(None, help="i/N: evaluate the deterministic slice i of N"),
    out: Path | None = typer.Option(None, help="result folder (default results/<method>__<data>__<size>__...)"),
    save_images: bool = typer.Option(False, "--save-images", help="also write outputs as PNG under <out>/images"),
    device: str = typer.Option("auto", help="auto (CUDA when present), cpu or cuda[:i]"),
    workers: int | None = typer.Option(None, min=0, show_default="half the CPUs, 1-8",
                                help="background workers that decode and resize ahead of the model (threads on "
                                     "CPU, processes on CUDA); 0: in the main process"),
    batch: int = typer.Option(1, min=1, help="images per model call (same-shape images only; all of them under "
                                             "--resize squash)"),
    weights: Path | None = typer.Option(None, help="checkpoint: official release or `harmbench train` output; "
                                                   "default: found in --weights-dir, else checkpoints/<method>-<size>"),
    weights_dir: Path | None = typer.Option(None, "--weights-dir", show_default="$HARMBENCH_WEIGHTS, else ./weights",
                                            help="folder of official release files and <method>[-<size>].pt "
                                                 "checkpoints"),
    random_init: bool = typer.Option(False, "--random-init", help="learned methods: run untrained (random initial "
                                                                  "weights) when none are found; labelled untrained"),
    max_pixels: int | None = typer.Option(None, "--max-pixels", min=0, show_default="Pillow's limit, about 89 MP",
                                          help="skip images with more pixels than this (0: no limit)"),
    config: list[str] | None = typer.Option(None, "--config", help="config override key=value (repeatable)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar: problems (skipped images, errors) "
                                                            "and the final summary only"),
) -> None:
    """Evaluate a method; per-image rows are appended as they finish, and the same command resumes."""
    from harmbench.data.pipeline import default_workers
    from harmbench.distributed import torchrun_ranks
    from harmbench.runner import evaluate

    console = make_console(stderr=True)
    with user_errors():
        out_dir = evaluate(method, size, data=data, split=split, subset=subset, profile=profile,
                           resize=resize, limit=limit, shard=shard, out=out, save_images=save_images, device=device,
                           weights=weights, weights_dir=weights_dir, random_init=random_init,
                           overrides=parse_overrides(config), max_pixels=max_pixels,
                           workers=default_workers() if workers is None else workers, batch=batch,
                           progress=not quiet, console=console)
    ranks = torchrun_ranks()
    if ranks is not None and not ranks.main:
        return  # rank 0 reports the merged run
    from harmbench.results import load_run
    from harmbench.tables import add_statistics, quality_table, to_rich

    run = load_run(out_dir)
    print_table(to_rich(add_statistics(quality_table([run]))), console)
    if run.summary.get("skipped"):
        console.print(f"[yellow]{len(run.summary['skipped'])} skipped[/] (listed in {out_dir}/summary.json)",
                      highlight=False)
    console.print(f"results: {out_dir}", highlight=False)
