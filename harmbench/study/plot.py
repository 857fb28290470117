"""``study score --plot FILE``: the results figure as papers print it (matplotlib, PNG, PDF or SVG).

Left: one row per method, best at the top, its Bradley–Terry score as a dot with the 95 % rater-bootstrap interval
as an error bar. Right: the pairwise win-rate matrix (share of row-vs-column votes won by the row), cells shaded
from blue (0) through white (0.5) to red (1), with the value printed; the diagonal and pairs without votes are blank.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from harmbench.study.scoring import StudyScores

FORMATS = (".png", ".pdf", ".svg")
SCORE_COLOUR = "#c83c32"


def plot_scores(scores: StudyScores, out: str | Path) -> Path:
    """Draw ``scores`` into ``out`` (the format from its suffix, one of :data:`FORMATS`); returns ``out``."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise ValueError(f"{out}: --plot writes a {', '.join(FORMATS)} file")
    order = scores.ranking
    names = [scores.methods[i] for i in order]
    n = len(order)
    figure = Figure(figsize=(4.0 + 0.55 * n + 3.5, 1.2 + 0.45 * n), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(3.5, 0.55 * n + 0.5))

    theta = scores.theta[order]
    rows = np.arange(n)
    if scores.interval is not None:
        interval = scores.interval[order]
        left.errorbar(theta, rows, xerr=np.abs(interval.T - theta), fmt="none", ecolor="0.3", capsize=4, lw=1.5)
    left.plot(theta, rows, "o", color=SCORE_COLOUR, ms=7, zorder=3)
    left.set_yticks(rows, names)
    left.invert_yaxis()
    left.grid(axis="x", color="0.9")
    left.set_xlabel("Bradley–Terry score (log-strength, centred)")
    left.set_title("scores, 95 % CI over raters" if scores.interval is not None else "scores", fontsize=10)

    rates = scores.win_rate()[np.ix_(order, order)]
    shown = np.where(np.eye(n, dtype=bool), np.nan, rates)
    right.imshow(np.ma.masked_invalid(shown), cmap="coolwarm", vmin=0, vmax=1)
    for r in range(n):
        for c in range(n):
            if not np.isnan(shown[r, c]):
                right.text(c, r, f"{shown[r, c]:.2f}", ha="center", va="center", fontsize=8)
    right.set_xticks(rows, names, rotation=45, ha="right")
    right.set_yticks(rows, names)
    right.set_title("win rate of row over column", fontsize=10)
    figure.suptitle(f"{scores.n_votes} votes, {scores.raters} raters, alpha = {scores.alpha:g}", fontsize=9)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=150)
    return out
