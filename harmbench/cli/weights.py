"""``harmbench weights``: per learned method, the official files it accepts, where they are released, and what this
machine holds (the files a run would find, with their sha256)."""

from pathlib import Path

import typer
from rich.table import Table

from harmbench.cli.app import app
from harmbench.cli.common import make_console, print_table
from harmbench.cli.list_cmd import WEIGHTS_DIR_OPTION
from harmbench.registry import file_sha256, get_method, list_methods
from harmbench.weights import find_local, official_files

# No release publishes checksums, and harmbench has not yet verified a release file it could vouch for.
EXPECTED_SHA256_NOTE = ("expected sha256: none published by the releases, none recorded by harmbench; the sha256 "
                        "shown is of the file found here (it goes into every result context)")


@app.command("weights")
def weights_command(
    pattern: str = typer.Argument("*", help="fnmatch pattern, e.g. 'cdtnet*'"),
    weights_dir: Path | None = WEIGHTS_DIR_OPTION,
) -> None:
    """Official weight files of each learned method, where to download them, and what was found on disk."""
    console = make_console()
    # One block per method rather than one wide table: file names, URLs and 64-digit hashes are copied from here, so
    # they are shown whole (folded at the width, never cut) and the method name heads its block.
    for name in list_methods(pattern):
        info = get_method(name)
        if not info.trainable:
            continue
        console.print(f"[bold]{name}[/]", highlight=False)
        block = Table.grid(padding=(0, 2))
        block.add_column("field")
        block.add_column("value", overflow="fold")
        block.add_row("  official", ", ".join(official_files(info)) or "-")
        block.add_row("  release", info.release or "no public release")
        found = find_local(info, weights_dir)
        for path in found:
            block.add_row("  found", str(path))
            block.add_row("  sha256", file_sha256(path))
        if not found:
            block.add_row("  found", "none")
        print_table(block, console)
    console.print(EXPECTED_SHA256_NOTE, highlight=False, soft_wrap=False)  # prose: wrapped to the width
