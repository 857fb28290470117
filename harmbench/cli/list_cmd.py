"""``harmbench list``: the registered methods, one short line each, and the weights found for each on this machine
(``harmbench info NAME`` shows everything about one)."""

from pathlib import Path

import typer
from rich import box
from rich.table import Table

from harmbench.cli.app import app
from harmbench.cli.common import Format, print_table, write_json
from harmbench.registry import get_method, list_methods
from harmbench.weights import find_local, official_files

WEIGHTS_DIR_OPTION = typer.Option(None, "--weights-dir", show_default="$HARMBENCH_WEIGHTS, else ./weights",
                                  help="folder searched for official release files and checkpoints")


@app.command("list")
def list_command(
    pattern: str = typer.Argument("*", help="fnmatch pattern, e.g. 'cdtnet*'"),
    weights_dir: Path | None = WEIGHTS_DIR_OPTION,
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich (terminal) or json (every field)"),
) -> None:
    """List registered methods (built-in and from the harmbench.methods entry points); details: harmbench info NAME."""
    names = list_methods(pattern)
    if fmt is Format.json:
        write_json([method_record(name, weights_dir) for name in names])
        return
    table = Table(title="harmbench methods", box=box.SIMPLE_HEAD, show_edge=False,
                  caption="size: the network's own input size; paper: first author, venue and year. "
                          "Everything about one method: harmbench info NAME")
    for column in ("name", "size", "weights here", "paper"):
        table.add_column(column)
    for name in names:
        info = get_method(name)
        table.add_row(name, str(info.native_size or "-"), _local(info, weights_dir),
                      info.citation or "-")
    print_table(table)


def method_record(name: str, weights_dir: Path | None) -> dict:
    """What the registry knows about ``name`` and the weights found here, for JSON output."""
    info = get_method(name)
    return {"name": name, "family": info.family, "native_size": info.native_size, "trainable": info.trainable,
            "blends": info.blends, "paper": info.paper, "citation": info.citation, "description": info.description,
            "official_weights": info.official_weights, "official_files": official_files(info),
            "release": info.release,
            "local_weights": [str(path) for path in find_local(info, weights_dir)] if info.trainable else []}


def _local(info, weights_dir: Path | None) -> str:
    """'not needed' (training-free), 'none found', or the files found (see ``harmbench weights``)."""
    if not info.trainable:
        return "not needed"
    found = find_local(info, weights_dir)
    return "\n".join(str(path) for path in found) if found else "none found"
