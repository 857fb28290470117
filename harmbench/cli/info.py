"""``harmbench info NAME``: everything about one method: metadata in full, config fields with this name's defaults,
official and local weights, parameter count."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from harmbench.cli.app import app
from harmbench.cli.common import Format, make_console, print_table, user_errors, write_json
from harmbench.cli.list_cmd import WEIGHTS_DIR_OPTION, method_record


@app.command("info")
def info_command(
    name: str = typer.Argument(..., help="registered method name (see `harmbench list`)"),
    weights_dir: Path | None = WEIGHTS_DIR_OPTION,
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich (terminal) or json"),
) -> None:
    """One method in full: paper, config fields and defaults, weights, parameter count.

    Metadata (paper title, native size, blending), official weight files, their release and the files found here,
    every config field with its default for this name, and the parameters of the default config."""
    from harmbench.efficiency.estimate import count_params, meta_model
    from harmbench.registry import get_method

    with user_errors():
        info = get_method(name)
        record = {**method_record(name, weights_dir), "params": count_params(meta_model(name)),
                  "config": {key: _json_value(value) for key, value in dataclasses.asdict(info.make_config()).items()},
                  "config_set_by_name": sorted(info.defaults)}
    if fmt is Format.json:
        write_json(record)
        return
    console = make_console()
    about = Table(title=name, title_justify="left", box=box.SIMPLE, show_header=False)
    about.add_column("field", style="bold")
    about.add_column("value", overflow="fold")  # release URLs stay whole, folded at the width
    for key, value in (("description", record["description"] or "-"), ("paper", record["paper"] or "-"),
                       ("family", record["family"] or "-"), ("native size", str(record["native_size"] or "-")),
                       ("trainable", "yes" if record["trainable"] else "no (training-free)"),
                       ("blends", "yes: background kept exactly" if record["blends"] else "no"),
                       ("parameters", f"{record['params']:,}"),
                       ("official weights", record["official_weights"] or "none released"),
                       ("release", record["release"] or "-"),
                       ("weights here", _found(record))):
        about.add_row(key, value)
    print_table(about, console)
    config = Table(title="config fields", title_justify="left", box=box.SIMPLE)
    config.add_column("field")
    config.add_column("default", overflow="fold")
    for key, value in record["config"].items():
        mark = " (set by this name)" if key in info.defaults else ""
        config.add_row(key, json.dumps(value) + mark)
    print_table(config, console)
    console.print("change a field with --config FIELD=VALUE (run, train, profile)")


def _found(record: dict) -> str:
    if not record["trainable"]:
        return "not needed"
    return "\n".join(record["local_weights"]) or "none found"


def _json_value(value):
    """A config value as JSON holds it (tuples as lists, anything else JSON cannot hold as its text)."""
    try:
        return json.loads(json.dumps(value))
    except TypeError:
        return str(value)
