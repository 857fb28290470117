"""``harmbench figure``: a Figure-3-style comparison grid from saved run outputs."""

from __future__ import annotations

from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import make_console, user_errors


@app.command("figure")
def figure_command(
    runs: list[Path] = typer.Argument(..., help="run folders written by `harmbench run --save-images`"),
    out: Path = typer.Option(..., help="image file to write (.png, .jpg)"),
    images: int = typer.Option(4, help="number of rows (images saved by every run, spread over the list)"),
    names: str | None = typer.Option(None, help="exact images to show, comma-separated (overrides --images)"),
    zoom: bool = typer.Option(False, "--zoom", help="add an enlarged crop of the foreground to each tile"),
    cell: int = typer.Option(256, help="long side of one tile in pixels"),
) -> None:
    """Rows = images; columns = composite, ground truth (when present), each run's output; foreground outlined."""
    from harmbench.figures import FigureError, save_figure

    chosen = [n.strip() for n in (names or "").split(",") if n.strip()] or None
    with user_errors():
        if images < 1 or cell < 32:
            raise FigureError("--images must be >= 1 and --cell >= 32")
        path = save_figure(runs, out, n_images=images, names=chosen, zoom=zoom, cell=cell)
    make_console(stderr=True).print(f"figure -> {path}", highlight=False)
