"""``harmbench demo``: the README's main job on the built-in synthetic set, CPU-sized (see :mod:`harmbench.demo`).

It owns ``results/demo`` and ``checkpoints/demo``: cached results made with other weights are evaluated again,
and ``--fresh`` deletes both folders first.
"""

from __future__ import annotations

import typer

from harmbench.cli.app import app
from harmbench.cli.common import err_console, make_console, print_table, user_errors
from harmbench.demo import DemoPlan, run_demo


@app.command("demo")
def demo_command(
    fresh: bool = typer.Option(False, "--fresh", help="delete results/demo and checkpoints/demo first (start over)"),
    train: bool = typer.Option(True, help="also train iSSAM + CDTNet briefly (CPU minutes) and evaluate them"),
    size: int = typer.Option(DemoPlan.size, help="evaluation size"),
    base_epochs: int = typer.Option(DemoPlan.base_epochs, help="iSSAM epochs"),
    cdtnet_epochs: int = typer.Option(DemoPlan.cdtnet_epochs, help="CDTNet epochs (base frozen)"),
    train_size: int = typer.Option(DemoPlan.train_size, help="CDTNet training crop size"),
    lr_size: int = typer.Option(DemoPlan.lr_size, help="low-resolution generator size (iSSAM trains at it)"),
) -> None:
    """Make the synthetic set, evaluate references and a briefly trained CDTNet, print Table 1, draw a figure, write
    the report."""
    from harmbench.results import load_run
    from harmbench.tables import add_statistics, quality_table, to_rich

    plan = DemoPlan(size=size, train=train, base_epochs=base_epochs, cdtnet_epochs=cdtnet_epochs,
                    train_size=train_size, lr_size=lr_size)
    with user_errors():
        outcome = run_demo(plan, fresh=fresh)
    print_table(to_rich(add_statistics(quality_table([load_run(folder) for folder in outcome.runs]))), make_console())
    err_console.print(f"figure -> {outcome.figure}")
    err_console.print(f"report -> {outcome.report} (open it in a browser)")
