"""``harmbench report RUN_DIRS... --out DIR``: one static page (tables, plots, gallery, run context) to open from
disk."""

from __future__ import annotations

from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import err_console, user_errors


@app.command("report")
def report_command(
    runs: list[Path] = typer.Argument(..., help="result folders (searched recursively)"),
    out: Path = typer.Option(..., help="folder to write index.html and its assets into"),
    pair: list[str] = typer.Option(None, "--pair", help="A,B: scatter of A vs B per image and the gallery's "
                                   "gains/losses of A over B (run label, method or folder); repeatable"),
    gallery: int = typer.Option(6, help="images per gallery selection (0: no gallery)"),
    metric: str = typer.Option("fmse", help="metric that ranks the gallery's selections"),
    seed: int = typer.Option(0, help="seed of the gallery's random sample and of the bootstrap"),
    resamples: int = typer.Option(999, help="bootstrap resamples (table intervals, plot error bars)"),
    efficiency: list[Path] = typer.Option(None, "--efficiency", help="`harmbench profile` result folders for the "
                                          "efficiency table; repeatable"),
) -> None:
    """Write a self-contained report folder: quality tables with intervals, plots, an image gallery (runs made with
    --save-images) and each run's context; open OUT/index.html in a browser, no server needed."""
    from harmbench.report import build_report

    with user_errors():
        index = build_report(runs, out, pairs=pair or [], gallery=gallery, seed=seed, efficiency=efficiency or [],
                             metric=metric, resamples=resamples)
    weight = sum(f.stat().st_size for f in index.parent.rglob("*") if f.is_file()) / 1e6
    err_console.print(f"report -> {index} ({weight:.1f} MB)", highlight=False)
