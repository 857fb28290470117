"""The report's plots (matplotlib's Agg renderer, PNG): per-metric distributions, metric vs foreground ratio, and
per-image scatter of one run against another.

Squared-error metrics (MSE, fMSE) have a few huge values, so their axes are logarithmic; ``symlog`` (linear below
1, i.e. below one grey level squared) keeps the zeros of a perfect image on the axis instead of dropping them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, SymmetricalLogLocator

from harmbench.metrics import METRICS
from harmbench.report.runs import ReportRun
from harmbench.results import is_finite
from harmbench.stats import Bootstrap, mean_interval

FG_BIN_EDGES = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.60, 1.0001)  # foreground ratio bins of the ratio plot
PANEL_SIZE = (4.2, 3.2)  # inches per subplot
DPI = 100


def log_scaled(metric: str) -> bool:
    """Squared errors (MSE, fMSE and their kin) are shown on a log axis."""
    return metric.endswith("mse")


def _set_scale(ax, metric: str, axis: str = "y") -> None:
    """Log axis for squared errors, labelled at 1, 2 and 5 of each decade (plain numbers), so even a range within
    one decade has labels."""
    if log_scaled(metric):
        (ax.set_yscale if axis == "y" else ax.set_xscale)("symlog", linthresh=1.0)
        target = ax.yaxis if axis == "y" else ax.xaxis
        target.set_major_locator(SymmetricalLogLocator(base=10, linthresh=1.0, subs=(1, 2, 5)))
        target.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))


def _axis_label(metric: str) -> str:
    info = METRICS[metric]
    return f"{info.label} ({'higher' if info.higher_is_better else 'lower'} is better)"


def _panels(count: int) -> tuple[Figure, list]:
    """A figure with ``count`` subplots, two per row; unused cells are hidden."""
    columns = min(count, 2)
    rows = -(-count // columns)
    figure = Figure(figsize=(PANEL_SIZE[0] * columns, PANEL_SIZE[1] * rows), dpi=DPI, layout="constrained")
    axes = list(figure.subplots(rows, columns, squeeze=False).ravel())
    for ax in axes[count:]:
        ax.set_visible(False)
    return figure, axes[:count]


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path


def distributions(runs: list[ReportRun], metrics: list[str], path: Path) -> Path:
    """One box plot per metric: each run's per-image values (box = quartiles, whiskers 1.5 IQR, mean as a
    triangle)."""
    figure, axes = _panels(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        shown = [(r.label, list(r.values(metric).values())) for r in runs]
        shown = [(label, values) for label, values in shown if values]
        if shown:
            ax.boxplot([values for _, values in shown], tick_labels=[label for label, _ in shown], showmeans=True)
        ax.set_title(_axis_label(metric), fontsize=10)
        _set_scale(ax, metric)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        ax.grid(axis="y", alpha=0.3)
    return _save(figure, path)


def fg_ratio_bins(ratios: np.ndarray) -> list[tuple[float, float, np.ndarray]]:
    """(low, high, indices) of each foreground-ratio bin of :data:`FG_BIN_EDGES` that holds an image."""
    bins = []
    for low, high in zip(FG_BIN_EDGES[:-1], FG_BIN_EDGES[1:], strict=True):
        inside = np.flatnonzero((ratios >= low) & (ratios < high))
        if inside.size:
            bins.append((low, high, inside))
    return bins


def versus_fg_ratio(runs: list[ReportRun], metrics: list[str], path: Path, settings: Bootstrap) -> Path:
    """Per metric: each run's mean over the images of each foreground-ratio bin, at the bin's mean ratio, with the
    bootstrap CI of that mean as an error bar (runs nudged sideways so the bars do not hide each other)."""
    figure, axes = _panels(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        for k, r in enumerate(runs):
            rows = [row for row in r.run.rows if is_finite(row.get(metric))]
            if not rows:
                continue
            ratios = np.array([row["fg_ratio"] for row in rows])
            values = np.array([row[metric] for row in rows])
            points = []
            for _, _, inside in fg_ratio_bins(ratios):
                interval = mean_interval(values[inside], settings)
                points.append((ratios[inside].mean(), interval.mean, interval.low, interval.high))
            x, mean, low, high = map(np.array, zip(*points, strict=True))
            nudge = 1 + 0.02 * (k - (len(runs) - 1) / 2)
            ax.errorbar(100 * x * nudge, mean, yerr=[mean - low, high - mean], marker="o", markersize=4, capsize=3,
                        label=r.label)
        ax.set_title(_axis_label(metric), fontsize=10)
        ax.set_xlabel("foreground ratio (%)")
        _set_scale(ax, metric)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    return _save(figure, path)


def pair_scatter(a: ReportRun, b: ReportRun, metrics: list[str], path: Path) -> Path:
    """Per metric: one point per image both runs scored, A's value against B's, with the diagonal; the share of
    images where A is better is in the title."""
    figure, axes = _panels(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        values_a, values_b = a.values(metric), b.values(metric)
        names = [name for name in values_a if name in values_b]
        x = np.array([values_b[n] for n in names])
        y = np.array([values_a[n] for n in names])
        if names:
            ax.scatter(x, y, s=12, alpha=0.7)
            low, high = min(x.min(), y.min()), max(x.max(), y.max())
            ax.plot([low, high], [low, high], color="grey", linewidth=1, linestyle="--")
            better = (y > x) if METRICS[metric].higher_is_better else (y < x)
            ax.set_title(f"{METRICS[metric].label}: A better on {better.mean():.0%} of {len(names)}", fontsize=10)
        ax.set_xlabel(f"B = {b.label}")
        ax.set_ylabel(f"A = {a.label}")
        _set_scale(ax, metric, "x")
        _set_scale(ax, metric, "y")
        ax.grid(alpha=0.3)
    return _save(figure, path)
