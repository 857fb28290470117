"""``harmbench list``: the registered methods with their metadata and the weights found for each on this machine."""

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from harmbench.cli.app import app
from harmbench.registry import get_method, list_methods
from harmbench.weights import find_local


@app.command("list")
def list_command(
    pattern: str = typer.Argument("*", help="fnmatch pattern, e.g. 'cdtnet*'"),
    weights_dir: Path | None = typer.Option(None, "--weights-dir", show_default="$HARMBENCH_WEIGHTS, else ./weights",
                                            help="folder searched for official release files and checkpoints"),
) -> None:
    """List registered methods (built-in and from the harmbench.methods entry points)."""
    table = Table(title="harmbench methods")
    for column in ("name", "family", "native size", "trainable", "blends", "official weights", "local weights",
                   "paper"):
        table.add_column(column)
    for name in list_methods(pattern):
        info = get_method(name)
        table.add_row(name, info.family, str(info.native_size or "-"), "yes" if info.trainable else "no",
                      "yes" if info.blends else "no", info.official_weights or "-",
                      _local(info, weights_dir), info.paper)
    Console().print(table)


def _local(info, weights_dir: Path | None) -> str:
    """'not needed' (training-free), 'none found', or the files found (see ``harmbench weights``)."""
    if not info.trainable:
        return "not needed"
    found = find_local(info, weights_dir)
    return "\n".join(str(path) for path in found) if found else "none found"
