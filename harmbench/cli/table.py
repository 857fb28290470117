"""``harmbench table``: render the paper's tables from result folders only."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from harmbench.cli.app import app
from harmbench.cli.common import err_console, show_table, user_errors


class Format(str, Enum):
    rich = "rich"
    md = "md"
    latex = "latex"
    csv = "csv"
    json = "json"


class Intervals(str, Enum):
    none = "none"
    bootstrap = "bootstrap"


class By(str, Enum):
    size = "size"
    subset = "subset"
    fg_ratio = "fg-ratio"
    ablation = "ablation"


@app.command("table")
def table_command(
    runs: list[Path] = typer.Argument(None, help="result folders (searched recursively); default: results/"),
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="rich (terminal), md, latex, csv or json "
                            "(the same numbers, with CIs, image counts and each row's context)"),
    by: By = typer.Option(By.size, help="size: Table 1; subset: Table 2; fg-ratio; ablation: Table 4"),
    paper: bool = typer.Option(False, "--paper", help="add the paper's reported figures beside ours"),
    efficiency: bool = typer.Option(False, "--efficiency", help="Table 3 from `harmbench profile` results"),
    reference: str = typer.Option("iss2am", help="reference method for the efficiency reductions"),
    ci: Intervals = typer.Option(Intervals.bootstrap, "--ci", help="bootstrap: 95 % CI of each mean and marks for "
                                 "differences from the best that are not significant (paired tests); none: means only"),
    resamples: int = typer.Option(999, help="bootstrap resamples (--ci bootstrap)"),
    seed: int = typer.Option(0, help="bootstrap seed (--ci bootstrap)"),
    out: Path | None = typer.Option(None, help="write to this file instead of the terminal"),
) -> None:
    """Render Table 1/2/4, the fg-ratio breakdown or Table 3 from result files (nothing is recomputed)."""
    from harmbench import tables
    from harmbench.results import find_runs
    from harmbench.stats import Bootstrap

    with user_errors():
        found = find_runs(runs or [Path("results")])
        if efficiency:
            from harmbench.efficiency import efficiency_table

            table = efficiency_table([r.summary for r in found if r.summary.get("kind") == "profile"],
                                     reference=reference, paper=paper)
        else:
            quality = [r for r in found if r.summary.get("kind", "quality") == "quality"]
            if not quality:
                raise ValueError(f"no quality result folders under {', '.join(map(str, runs or ['results']))}")
            build = {By.size: tables.quality_table, By.subset: tables.subset_table,
                     By.ablation: tables.ablation_table}.get(by)
            if paper and build is None:
                err_console.print("--paper: the paper reports no foreground-ratio breakdown; showing ours only",
                                  highlight=False)
            table = build(quality, paper_rows=paper) if build else tables.fg_ratio_table(quality)
            if ci is Intervals.bootstrap:
                if resamples < 1:
                    raise ValueError(f"--resamples must be 1 or more, got {resamples}")
                tables.add_statistics(table, Bootstrap(n_resamples=resamples, seed=seed))
    show_table(table, fmt.value, out)
