"""The progress bar of run and train: at 80 columns the count, the status and the ETA are shown whole (the bar and
then the name give way); from ``WIDE`` columns the elapsed time too."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from harmbench.progress import WIDE, loss_status, progress_bar

LONG_NAME = "cdtnet-256-ablate-no-feature-input @ 2048"


def final_line(width: int, description: str, total: int, status: str, **fields) -> str:
    """The bar's last frame as a non-terminal console of ``width`` columns writes it (a log file)."""
    out = io.StringIO()
    console = Console(file=out, width=width, soft_wrap=True)
    with progress_bar(console, status) as bar:
        task = bar.add_task(description, total=total, **{name: "" for name in fields})
        bar.update(task, completed=total, **fields)
    return out.getvalue().rstrip("\n")


@pytest.mark.parametrize("description", ["cdtnet-256 epoch 6/6", LONG_NAME])
def test_eighty_columns_keep_count_status_and_eta_whole(description):
    losses = loss_status({"pixel_loss": 0.014237, "lut_loss": 0.0213812})
    line = final_line(80, description, 2160, "{task.fields[losses]}", losses=losses)
    assert len(line) <= 80
    assert "2160/2160 pixel 0.01424 lut 0.02138 ETA 0:00:00" in line
    assert line.startswith(description[:20])
    assert len(re.findall(r"\d:\d\d:\d\d", line)) == 1  # no elapsed time at this width


def test_wide_consoles_show_the_elapsed_time_too():
    line = final_line(WIDE, LONG_NAME, 24, "{task.fields[rate]} img/s", rate="12.34")
    assert re.search(rf"^{re.escape(LONG_NAME)} ━+ 24/24 12\.34 img/s \d:\d\d:\d\d ETA 0:00:00$", line)


def test_loss_status_is_short_and_ordered():
    assert loss_status({"pixel_loss": 0.5, "D.real": 0.25, "l1": 1 / 3}) == "pixel 0.5 D.real 0.25 l1 0.3333"
