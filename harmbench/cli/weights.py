"""``harmbench weights``: per learned method, the official files it accepts, where they are released, and what this
machine holds (the files a run would find, with their sha256)."""

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from harmbench.cli.app import app
from harmbench.registry import file_sha256, get_method, list_methods
from harmbench.weights import find_local, official_files

# No release publishes checksums, and harmbench has not yet verified a release file it could vouch for.
EXPECTED_SHA256_NOTE = ("expected sha256: none published by the releases, none recorded by harmbench; the sha256 "
                        "shown is of the file found here (it goes into every result context)")


@app.command("weights")
def weights_command(
    pattern: str = typer.Argument("*", help="fnmatch pattern, e.g. 'cdtnet*'"),
    weights_dir: Path | None = typer.Option(None, "--weights-dir", show_default="$HARMBENCH_WEIGHTS, else ./weights",
                                            help="folder searched for official release files and checkpoints"),
) -> None:
    """Official weight files of each learned method, where to download them, and what was found on disk."""
    table = Table(title="weights of learned methods", caption=EXPECTED_SHA256_NOTE)
    for column in ("method", "official files", "release", "found here", "sha256"):
        table.add_column(column)
    for name in list_methods(pattern):
        info = get_method(name)
        if not info.trainable:
            continue
        found = find_local(info, weights_dir)
        table.add_row(name, "\n".join(official_files(info)) or "-", info.release or "no public release",
                      "\n".join(str(path) for path in found) or "none",
                      "\n".join(file_sha256(path) for path in found) or "-")
    Console().print(table)
