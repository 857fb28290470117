"""``harmbench merge``: join the shards of one run."""

from __future__ import annotations

from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import err_console, user_errors


@app.command("merge")
def merge_command(
    shards: list[Path] = typer.Argument(..., help="shard result folders of one run"),
    out: Path = typer.Option(..., help="folder for the merged run"),
) -> None:
    """Merge `harmbench run --shard i/N` folders of one N into one result folder (contexts must agree; complete only
    with every shard)."""
    from harmbench.runner import merge

    with user_errors():
        path = merge(shards, out)
    err_console.print(f"merged {len(shards)} shards into {path}")
    from harmbench.results import load_run

    missing = load_run(path).summary["missing_shards"]
    if missing:
        err_console.print(f"[yellow]incomplete:[/] shards {', '.join(missing)} not given; merge again with them",
                          highlight=False)
