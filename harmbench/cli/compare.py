"""``harmbench compare RUN_A RUN_B``: are two runs' differences real? Paired statistics on the images both share."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import show_table, user_errors, write_output


class Format(str, Enum):
    rich = "rich"
    md = "md"
    csv = "csv"
    json = "json"


def resolve_run(spec: str, results: Path):
    """A result folder, or the single quality run of the method named ``spec`` under ``results``."""
    from harmbench.results import find_runs, load_run

    if Path(spec).is_dir():
        return load_run(spec)
    matches = [run for run in find_runs([results]) if run.summary.get("kind", "quality") == "quality"
               and run.summary.get("method") == spec] if results.exists() else []
    if not matches:
        raise ValueError(f"{spec}: neither a result folder nor a method with a quality run under {results}")
    if len(matches) > 1:
        raise ValueError(f"{spec}: {len(matches)} runs under {results} ({', '.join(str(r.path) for r in matches)}); "
                         "pass the result folder")
    return matches[0]


@app.command("compare")
def compare_command(
    run_a: str = typer.Argument(..., help="result folder, or a method name resolved under --results"),
    run_b: str = typer.Argument(..., help="result folder, or a method name resolved under --results"),
    results: Path = typer.Option(Path("results"), help="where method names are looked up"),
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich (terminal), md, csv or json"),
    resamples: int = typer.Option(999, help="bootstrap resamples"),
    seed: int = typer.Option(0, help="bootstrap seed"),
    out: Path | None = typer.Option(None, help="write to this file instead of the terminal"),
) -> None:
    """Are two runs' differences real? Paired statistics on the images both share.

    Paired mean difference (A − B) with its bootstrap CI, bootstrap and Wilcoxon p-values and the share of images
    where A is better, per metric, over all shared images, per foreground-ratio range and per subset."""
    from harmbench import stats, tables
    from harmbench.metrics import METRICS

    with user_errors():
        if resamples < 1:
            raise ValueError(f"--resamples must be 1 or more, got {resamples}")
        a, b = resolve_run(run_a, results), resolve_run(run_b, results)
        stats.check_comparable(str(a.path), a.summary, str(b.path), b.summary)
        settings = stats.Bootstrap(n_resamples=resamples, seed=seed)
        present = {key for row in a.rows for key in row} & {key for row in b.rows for key in row}
        metrics = {key: info.higher_is_better for key, info in METRICS.items() if key in present}
        scopes = {"all": lambda row: True}
        scopes |= {f"fg {label}": (lambda row, lo=lo, hi=hi: lo <= row["fg_ratio"] < hi)
                   for lo, hi, label in tables.FG_BUCKETS}
        subsets = sorted({row["subset"] for row in a.rows})
        scopes |= {f"subset {name}": (lambda row, name=name: row["subset"] == name) for name in subsets}
        records = stats.compare_rows(a.rows, b.rows, metrics, scopes, settings)
    if fmt is Format.json:
        write_output(json.dumps({"a": str(a.path), "b": str(b.path), "context": stats.comparable_context(a.summary),
                                 "statistics": settings.record(), "comparisons": records}, indent=2) + "\n", out)
    else:
        show_table(tables.comparison_table(records, str(a.path), str(b.path), settings), fmt.value, out)
