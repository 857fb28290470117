"""Assemble a report folder: read the result folders, build tables, plots and gallery, write ``index.html``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from harmbench import tables
from harmbench.efficiency import efficiency_table
from harmbench.metrics import METRICS
from harmbench.report.gallery import FULL_DIR, THUMBS_DIR, build_gallery
from harmbench.report.page import Page, Plot, render_page
from harmbench.report.plots import FG_BIN_EDGES, distributions, pair_scatter, versus_fg_ratio
from harmbench.report.runs import label_runs, parse_pairs, warnings
from harmbench.results import find_runs
from harmbench.stats import Bootstrap, check_comparable

INDEX = "index.html"
PLOTS_DIR = "plots"
OWN_DIRS = (PLOTS_DIR, FULL_DIR, THUMBS_DIR)  # replaced on every build


def _prepare_out(out: Path) -> None:
    """``out`` ready to hold a fresh report: a new or empty folder, or an earlier report (its assets are removed);
    any other non-empty folder is refused rather than mixed with."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / INDEX).is_file():
        raise ValueError(f"{out}: not empty and not a harmbench report (no {INDEX}); choose another --out")
    for name in OWN_DIRS:
        shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def build_report(run_dirs, out: str | Path, pairs: list[str] = (), gallery: int = 6, seed: int = 0,
                 efficiency=(), metric: str = "fmse", resamples: int = 999) -> Path:
    """Write the report of the quality runs at or below ``run_dirs`` to ``out`` and return ``out/index.html``.

    ``pairs``: "A,B" strings naming runs (label, method or folder) for a scatter plot each and the gallery's gain
    and loss selections; ``gallery``: images per selection (0: no gallery); ``seed``: the random sample and the
    bootstrap; ``efficiency``: folders holding ``harmbench profile`` records (profiles among ``run_dirs`` count
    too); ``metric``: what ranks the gallery's selections."""
    if metric not in METRICS:
        raise ValueError(f"--metric: unknown metric '{metric}'; valid: {', '.join(METRICS)}")
    if gallery < 0:
        raise ValueError(f"--gallery must be 0 (no gallery) or more, got {gallery}")
    if resamples < 1:
        raise ValueError(f"--resamples must be 1 or more, got {resamples}")
    found = find_runs(run_dirs)
    quality = [run for run in found if run.summary.get("kind", "quality") == "quality"]
    if not quality:
        raise ValueError(f"no quality result folders under {', '.join(map(str, run_dirs))}")
    profiles = [run.summary for run in found + (find_runs(efficiency) if efficiency else [])
                if run.summary.get("kind") == "profile"]
    runs = label_runs(quality)
    chosen_pairs = parse_pairs(list(pairs), runs)
    for a, b in chosen_pairs:
        check_comparable(a.label, a.summary, b.label, b.summary)
    out = Path(out)
    _prepare_out(out)
    settings = Bootstrap(n_resamples=resamples, seed=seed)

    page = Page("harmbench report", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), runs,
                warnings(runs))
    page.tables.append(tables.add_statistics(tables.quality_table(quality), settings))
    if len({row.get("subset") for run in quality for row in run.rows}) > 1:
        page.tables.append(tables.add_statistics(tables.subset_table(quality), settings))
    page.tables.append(tables.add_statistics(tables.fg_ratio_table(quality), settings))
    if profiles:
        page.tables.append(efficiency_table(profiles))

    metrics = [m for m in tables.TABLE1_METRICS if any(r.values(m) for r in runs)]
    if metrics:
        plots = out / PLOTS_DIR
        distributions(runs, metrics, plots / "distributions.png")
        page.plots.append(Plot("Per-image distributions", f"{PLOTS_DIR}/distributions.png",
                               "Box: quartiles; whiskers: 1.5 × IQR; circles: images beyond; triangle: mean. "
                               "MSE and fMSE on a log axis (linear below 1)."))
        versus_fg_ratio(runs, metrics, plots / "fg_ratio.png", settings)
        edges = ", ".join(f"{edge:.0%}" for edge in FG_BIN_EDGES[1:-1])
        page.plots.append(Plot("Metric vs foreground ratio", f"{PLOTS_DIR}/fg_ratio.png",
                               f"Mean over the images of each foreground-ratio bin (edges {edges}), at the bin's "
                               f"mean ratio; bars: {settings.describe()} (none for a bin of one image)."))
        for index, (a, b) in enumerate(chosen_pairs):
            name = f"pair{index}.png"
            pair_scatter(a, b, metrics, plots / name)
            page.plots.append(Plot(f"{a.label} (A) vs {b.label} (B), per image", f"{PLOTS_DIR}/{name}",
                                   "One point per image both runs scored; dashed: equal values."))
    if gallery:
        page.gallery = build_gallery(runs, chosen_pairs, metric, metrics, gallery, seed, out)
    else:
        page.gallery.notes.append("No gallery (--gallery 0).")
    index = out / INDEX
    index.write_text(render_page(page), encoding="utf-8")
    return index
