"""``harmbench list``: the registered methods with their metadata."""

import typer
from rich.console import Console
from rich.table import Table

from harmbench.cli.app import app
from harmbench.registry import get_method, list_methods


@app.command("list")
def list_command(pattern: str = typer.Argument("*", help="fnmatch pattern, e.g. 'cdtnet*'")) -> None:
    """List registered methods (built-in and from the harmbench.methods entry points)."""
    table = Table(title="harmbench methods")
    for column in ("name", "family", "native size", "trainable", "blends", "official weights", "paper"):
        table.add_column(column)
    for name in list_methods(pattern):
        info = get_method(name)
        table.add_row(name, info.family, str(info.native_size or "-"), "yes" if info.trainable else "no",
                      "yes" if info.blends else "no", info.official_weights or "-", info.paper)
    Console().print(table)
