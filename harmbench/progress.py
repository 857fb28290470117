"""The progress bar of long jobs (evaluation, training), one layout for both: the task's name, the bar, done/total,
a status text (images per second, running losses), then elapsed and remaining time.

Sized to the console: below ``WIDE`` columns the elapsed time is left out and a long name is cut to a third of the
width, so that at 80 columns the count, the status and the ETA are shown whole instead of every column cut to "15…"
and "0:0…" (what an 80-column terminal, and a log file, got before).
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Column

WIDE = 100  # columns from which the elapsed time is shown too


def progress_bar(console: Console, status: str, disable: bool = False) -> Progress:
    """A ``Progress`` on ``console``; ``status`` is a template over the task's fields (``"{task.fields[rate]} img/s"``,
    each field set in ``add_task`` and ``update``)."""
    wide = console.width >= WIDE

    def whole() -> Column:  # the bar gives way first, then the name: never the count, status or times
        return Column(no_wrap=True)  # one each: a rich table numbers the Column objects it is given

    name = Column(no_wrap=True, overflow="ellipsis", max_width=None if wide else console.width // 3)
    columns = [TextColumn("[bold]{task.description}", table_column=name),
               BarColumn(bar_width=None, table_column=Column(ratio=1)), MofNCompleteColumn(table_column=whole()),
               TextColumn(status, table_column=whole())]
    if wide:
        columns.append(TimeElapsedColumn(table_column=whole()))
    columns += [TextColumn("ETA", table_column=whole()), TimeRemainingColumn(table_column=whole())]
    return Progress(*columns, console=console, disable=disable, expand=not wide)


def loss_status(mean_losses: dict[str, float]) -> str:
    """Running losses for the bar, short: ``pixel 0.01424 lut 0.02138`` (a "_loss" suffix says nothing there)."""
    return " ".join(f"{name.removesuffix('_loss')} {value:.4g}" for name, value in mean_losses.items())
