"""Tables rendered only from result files: Table 1 (by size), Table 2 (by subset), foreground-ratio breakdown,
Table 4 (ablations); one rendering core for rich / Markdown / LaTeX / CSV / JSON.

Runs are placed by :func:`place_runs`: a section per full evaluation context (data fingerprint, size, resize,
profile, limit, shard), so only runs that measured the same images the same way share one; runs of one method in a
section are labelled by what differs (weights, config); incomplete runs are marked and not ranked; shards of a merge
are left out.

A :class:`TableData` is plain data: columns with a direction (higher or lower is better, or neither), rows as dicts
keyed by column, an optional section (``_group``) and origin (``_source``: "ours" or "paper"), and for our rows the
per-image values behind each mean (``_images``: column key -> {image name: value}), the run's context
(``_context``) and ``_unranked`` for incomplete runs. The best value of each directed column within a section is
marked among our ranked rows; paper rows are shown in sections of their own (Table 4: beside their ablation) but
never compared.

:func:`add_statistics` (``harmbench table --ci bootstrap``, the default) adds to every mean of ours its bootstrap
confidence interval over images and marks the values whose difference from the best of their column and section is
not significant under the paired tests of :mod:`harmbench.stats` (Holm-corrected across the column's comparisons).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from harmbench import paper
from harmbench.metrics import METRICS
from harmbench.results import Run, is_finite
from harmbench.stats import Bootstrap, Interval, PairedComparison, holm, mean_interval, paired_comparison, shared_values
from harmbench.weights import UNTRAINED, is_untrained

FG_BUCKETS = ((0.0, 0.05, "0–5%"), (0.05, 0.15, "5–15%"), (0.15, 1.0001, "15–100%"))
TABLE1_METRICS = tuple(key for key, info in METRICS.items() if info.quality_table)  # Table 1 columns, profile order
PAPER_TABLE1_METRICS = ("mse", "psnr", "fmse", "ssim")  # the order of the values in paper.TABLE1
PAPER_TABLE2_SIZE = 256  # paper.TABLE2: iHarmony4 test at 256 x 256
PAPER_TABLE4_SIZE, PAPER_TABLE4_DATA = 1024, "HAdobe5k"  # paper.TABLE4: HAdobe5k test at 1024 x 1024


@dataclass
class Column:
    key: str
    label: str
    higher_is_better: bool | None = None  # None: not ranked
    fmt: str = "{:.2f}"
    # a text column that section labels may name (the device of an efficiency section): the terminal table leaves it
    # out when every row's value is written in its section's label; exports always keep it
    named_by_section: bool = False


@dataclass
class VersusBest:
    """A cell's paired comparison with the best of its column and section, with Holm-adjusted p-values."""

    best_row: int
    comparison: PairedComparison
    p_bootstrap_holm: float
    p_wilcoxon_holm: float


@dataclass
class TableStatistics:
    """What :func:`add_statistics` found, keyed by (row index, column key)."""

    settings: Bootstrap
    intervals: dict[tuple[int, str], Interval] = field(default_factory=dict)
    versus_best: dict[tuple[int, str], VersusBest] = field(default_factory=dict)

    def marks(self, cell: tuple[int, str]) -> str:
        """"≈" when the difference from the best is not significant under the paired bootstrap (Holm), "†" when
        the Wilcoxon test (Holm) reaches the other verdict."""
        versus = self.versus_best.get(cell)
        if versus is None:
            return ""
        tied = versus.p_bootstrap_holm >= self.settings.alpha
        disagree = (versus.p_wilcoxon_holm >= self.settings.alpha) != tied
        return ("≈" if tied else "") + ("†" if disagree else "")


@dataclass
class TableData:
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    statistics: TableStatistics | None = None  # set by add_statistics


def _metric_column(metric: str, key: str | None = None, label: str | None = None) -> Column:
    info = METRICS[metric]
    arrow = "↑" if info.higher_is_better else "↓"
    return Column(key or metric, f"{label or info.label}{arrow}", info.higher_is_better, info.fmt)


def best_cells(table: TableData) -> set[tuple[int, str]]:
    """(row index, column key) of the best of our values per directed column within each section."""
    marked = set()
    groups = defaultdict(list)
    for i, row in enumerate(table.rows):
        if row.get("_source", "ours") == "ours" and not row.get("_unranked"):
            groups[row.get("_group")].append(i)
    for indices in groups.values():
        for col in table.columns:
            if col.higher_is_better is None:
                continue
            values = [(table.rows[i].get(col.key), i) for i in indices]
            values = [(v, i) for v, i in values if isinstance(v, int | float) and np.isfinite(v)]
            if len(values) < 2:
                continue
            best = max(v for v, _ in values) if col.higher_is_better else min(v for v, _ in values)
            marked |= {(i, col.key) for v, i in values if col.fmt.format(v) == col.fmt.format(best)}
    return marked


def format_cell(col: Column, value) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return col.fmt.format(value)
    return str(value)


def _after_mean(table: TableData, i: int, col: Column, with_interval: bool = True) -> str:
    """What follows a mean of ours when the table has statistics: " ±half-width" of its CI, then the marks."""
    if table.statistics is None:
        return ""
    interval = table.statistics.intervals.get((i, col.key))
    text = f" ±{col.fmt.format(interval.half_width)}" if with_interval and interval else ""
    marks = table.statistics.marks((i, col.key))
    return text + (f" {marks}" if marks else "")


def _csv_statistics(table: TableData, i: int, col: Column) -> list:
    """CSV cells beside a directed column: CI low, CI high, Holm-adjusted p-values against the best."""
    interval = table.statistics.intervals.get((i, col.key))
    versus = table.statistics.versus_best.get((i, col.key))
    return ([interval.low, interval.high] if interval else ["", ""]) + (
        [versus.p_bootstrap_holm, versus.p_wilcoxon_holm] if versus else ["", ""])


def _json_number(value):
    """A cell for JSON: non-finite numbers (which JSON lacks) become None."""
    return None if isinstance(value, float) and not np.isfinite(value) else value


def as_json(table: TableData) -> dict:
    """``table`` as plain data (``harmbench table --format json``): per row its section (``group``), ``source``,
    raw ``values`` by column key, the run's ``context``, the images behind each mean (``n_images``) and those left out
    for a non-finite value (``excluded``), whether it is ``ranked``, the columns where it is ``best``, and with
    statistics its CI (``intervals``) and comparison with the best (``versus_best``)."""
    best = best_cells(table)
    stats = table.statistics
    rows = []
    for i, row in enumerate(table.rows):
        ours = row.get("_source", "ours") == "ours"
        entry = {"group": row.get("_group"), "source": row.get("_source", "ours"),
                 "values": {col.key: _json_number(row.get(col.key)) for col in table.columns},
                 "ranked": ours and not row.get("_unranked"),
                 "best": [col.key for col in table.columns if (i, col.key) in best]}
        if "_context" in row:
            entry["context"] = row["_context"]
        if "_images" in row:
            entry["n_images"] = {key: len(values) for key, values in row["_images"].items()}
            entry["excluded"] = dict(row.get("_excluded", {}))
        if stats and ours:
            entry["intervals"] = {key: {"low": interval.low, "high": interval.high,
                                        "half_width": interval.half_width, "n": interval.n}
                                  for (index, key), interval in stats.intervals.items() if index == i}
            entry["versus_best"] = {key: {"best_row": versus.best_row, "difference": versus.comparison.difference,
                                          "p_bootstrap_holm": versus.p_bootstrap_holm,
                                          "p_wilcoxon_holm": versus.p_wilcoxon_holm, "marks": stats.marks((i, key))}
                                    for (index, key), versus in stats.versus_best.items() if index == i}
        rows.append(entry)
    return {"title": table.title,
            "columns": [{"key": c.key, "label": c.label, "higher_is_better": c.higher_is_better}
                        for c in table.columns],
            "rows": rows, "notes": _notes(table),
            "statistics": stats.settings.describe() if stats else None}


def _notes(table: TableData) -> list[str]:
    paper_note = any(r.get("_source") == "paper" for r in table.rows)
    return table.notes + (["(paper): figures reported in the CDTNet paper, not measured here."] if paper_note else [])


def render(table: TableData, fmt: str = "md") -> str:
    """``table`` as text: ``md`` (GitHub Markdown, best in bold), ``latex`` (booktabs, best in \\textbf),
    ``csv`` (raw values, with group and source columns), ``json`` (:func:`as_json`) or ``rich`` (terminal box
    drawing, best in bold)."""
    if fmt == "json":
        return json.dumps(as_json(table), indent=2, ensure_ascii=False) + "\n"
    best = best_cells(table)
    stats = table.statistics
    directed = [c for c in table.columns if c.higher_is_better is not None] if stats else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        header = ["group", "source"]
        for c in table.columns:
            header += [c.label] + ([f"{c.label} {stats.settings.confidence:.0%} CI low",
                                    f"{c.label} {stats.settings.confidence:.0%} CI high",
                                    f"{c.label} p bootstrap vs best (Holm)", f"{c.label} p Wilcoxon vs best (Holm)"]
                                   if c in directed else [])
        writer.writerow(header + (["statistics"] if stats else []))
        for i, row in enumerate(table.rows):
            values = [row.get("_group", ""), row.get("_source", "ours")]
            for c in table.columns:
                values += ["" if row.get(c.key) is None else row.get(c.key)]
                values += _csv_statistics(table, i, c) if c in directed else []
            writer.writerow(values + ([stats.settings.describe()] if stats else []))
        return buffer.getvalue()

    def cells(i, row, bold, interval_column=False):
        texts = []
        for col in table.columns:
            text = format_cell(col, row.get(col.key))
            if col is table.columns[0] and row.get("_source") == "paper":
                text += " (paper)"
            texts.append((bold(text) if (i, col.key) in best else text)
                         + _after_mean(table, i, col, with_interval=not interval_column))
            if interval_column and col in directed:
                interval = stats.intervals.get((i, col.key))
                texts.append(f"[{col.fmt.format(interval.low)}, {col.fmt.format(interval.high)}]" if interval else "")
        return texts

    notes = _notes(table)
    if fmt == "md":
        lines = [f"**{table.title}**", "", "| " + " | ".join(c.label for c in table.columns) + " |",
                 "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.columns))) + "|"]
        group = object()
        for i, row in enumerate(table.rows):
            if row.get("_group") != group:
                group = row.get("_group")
                if group is not None:
                    lines.append(f"| *{group}* |" + " |" * (len(table.columns) - 1))
            lines.append("| " + " | ".join(cells(i, row, lambda t: f"**{t}**")) + " |")
        return "\n".join(lines + [""] + [f"_{n}_" for n in notes]) + "\n"
    if fmt == "latex":
        def esc(text: str) -> str:
            return (text.replace("%", r"\%").replace("_", r"\_").replace("&", r"\&").replace("–", "--")
                    .replace("≈", r"$\approx$").replace("†", r"$^\dagger$").replace("±", r"$\pm$"))

        labels = []
        for c in table.columns:
            labels += [c.label] + ([f"{stats.settings.confidence:.0%} CI"] if c in directed else [])
        lines = [r"\begin{table}[t]", r"\centering", f"\\caption{{{esc(table.title)}}}",
                 r"\begin{tabular}{l" + "r" * (len(labels) - 1) + "}", r"\toprule",
                 " & ".join(esc(label).replace("↑", r"$\uparrow$").replace("↓", r"$\downarrow$")
                            for label in labels) + r" \\", r"\midrule"]
        group = object()
        for i, row in enumerate(table.rows):
            if row.get("_group") != group:
                if group is not object() and i > 0:
                    lines.append(r"\midrule")
                group = row.get("_group")
                if group is not None:
                    lines.append(f"\\multicolumn{{{len(labels)}}}{{l}}{{\\emph{{{esc(group)}}}}} \\\\")
            lines.append(" & ".join(esc(t) for t in cells(i, row, lambda t: f"\\textbf{{{t}}}", interval_column=True))
                         + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"] + [f"% {n}" for n in notes] + [r"\end{table}"]
        return "\n".join(lines) + "\n"
    if fmt == "rich":
        from rich.console import Console

        console = Console(file=io.StringIO(), record=True, width=200)
        console.print(to_rich(table))
        return console.export_text()
    raise ValueError(f"unknown table format '{fmt}'; valid: rich, md, latex, csv, json")


def _shown_columns(table: TableData) -> list[Column]:
    """The columns of the terminal table: all but a ``named_by_section`` one whose every value is written in its
    row's section label."""
    def named(col: Column) -> bool:
        return bool(table.rows) and all(isinstance(row.get(col.key), str) and row[col.key] in (row.get("_group") or "")
                                        for row in table.rows)

    return [col for col in table.columns if not (col.named_by_section and named(col))]


def to_rich(table: TableData):
    """A rich Table (bold best values, dim paper rows, section rows; a ``named_by_section`` column left out where
    every section label names its rows' value)."""
    from rich.table import Table

    best = best_cells(table)
    out = Table(title=table.title, caption="\n".join(table.notes) or None)
    columns = _shown_columns(table)
    for i, col in enumerate(columns):
        out.add_column(col.label, justify="left" if i == 0 else "right")
    group = object()
    for i, row in enumerate(table.rows):
        if row.get("_group") != group:
            group = row.get("_group")
            if group is not None:
                out.add_section()
                out.add_row(f"[italic cyan]{group}[/]")
        is_paper = row.get("_source") == "paper"
        texts = []
        for col in columns:
            text = format_cell(col, row.get(col.key))
            if col is columns[0] and is_paper:
                text += " (paper)"
            if (i, col.key) in best:
                text = f"[bold green]{text}[/]"
            text += _after_mean(table, i, col)
            texts.append(f"[dim]{text}[/]" if is_paper else text)
        out.add_row(*texts)
    return out


# ----------------------------------------------------------------------------- quality tables from runs

def _context_label(summary: dict) -> str:
    """What a section's runs share: size, data, resize, profile, and the limit or shard of partial evaluations."""
    data = summary.get("data", {})
    dataset = data.get("name", "?") + (f"/{data['subset']}" if data.get("subset") else "")
    label = (f"{summary['size']} × {summary['size']} · {dataset} {data.get('split') or ''} · "
             f"{summary.get('resize')} · profile {summary['profile']['name']} v{summary['profile']['version']}")
    if summary.get("limit"):
        label += f" · limit {summary['limit']}"
    if summary.get("shard"):
        label += f" · shard {summary['shard']}"
    return label


def _section_key(summary: dict) -> tuple:
    """Runs with equal keys measured the same images the same way, so their means can be ranked against each
    other: data (identity and fingerprint of the files), size, resize, metric profile, limit and shard."""
    data = summary.get("data", {})
    profile = summary.get("profile", {})
    return (summary.get("size"), data.get("name"), data.get("subset"), data.get("split"), data.get("fingerprint"),
            summary.get("resize"), profile.get("name"), profile.get("version"), summary.get("limit"),
            summary.get("shard"))


def _method_label(summary: dict) -> str:
    """The method column: the name, plus " (untrained)" for a ``--random-init`` run of a learned method."""
    return summary["method"] + (" (untrained)" if is_untrained(summary) else "")


def _paper_comparable(runs, paper_rows: bool) -> list:
    """The runs to show; beside the paper's figures, untrained runs are left out (they measure no trained model)."""
    return [run for run in runs if not (paper_rows and is_untrained(run.summary))]


def _merged_shards(runs) -> list:
    """``runs`` without the shard folders that a merge among them was made from (the merge stands for them)."""
    merged_from = set()
    for run in runs:
        for source in run.summary.get("merged_from") or []:
            merged_from |= {Path(source).resolve(), (Path(source).name, run.path.resolve().parent)}
    return [run for run in runs if not (run.summary.get("shard") and (
        run.path.resolve() in merged_from or (run.path.name, run.path.resolve().parent) in merged_from))]


def _weights_text(weights) -> str:
    if isinstance(weights, dict) and weights.get("sha256"):
        return f"weights {weights['sha256'][:8]}…"
    return "untrained" if weights == UNTRAINED else "no weights"


def _distinguishing_labels(runs) -> list[str]:
    """For runs of one method in one section: what tells each apart (its weights, the config fields that differ,
    or, when nothing does, its folder)."""
    configs = [run.summary.get("config") or {} for run in runs]
    keys = sorted({key for config in configs for key in config})
    differing = [key for key in keys if len({repr(config.get(key)) for config in configs}) > 1]
    weights = [_weights_text(run.summary.get("weights")) for run in runs]
    labels = []
    for run, config, weight in zip(runs, configs, weights, strict=True):
        parts = ([weight] if len(set(weights)) > 1 else []) + [f"{key}={config.get(key)}" for key in differing]
        labels.append("; ".join(parts) or f"run {run.path.name}")
    return labels


@dataclass
class Placed:
    """A run as a table shows it: its section (runs that can be ranked together), its row label, and whether it is
    ranked (incomplete runs are shown, marked, and not ranked: their means cover other images)."""

    run: Run
    section: str
    label: str
    ranked: bool


def place_runs(runs, paper_rows: bool = False) -> list[Placed]:
    """Sections by full context, in a stable order (size, then label); rows labelled by method plus, where runs of
    one method share a section, the fields that differ (weights, config); incomplete runs marked ``(incomplete n/N)``.
    Shards of a merge among ``runs`` are left out; with ``paper_rows`` untrained runs are too. Two sections that would
    read the same (same dataset name, different files) get the data fingerprint in their label."""
    runs = _merged_shards(_paper_comparable(runs, paper_rows))
    sections = defaultdict(list)
    for run in runs:
        sections[_section_key(run.summary)].append(run)
    label_count = defaultdict(int)
    for members in sections.values():
        label_count[_context_label(members[0].summary)] += 1
    placed = []
    for members in sections.values():
        section = _context_label(members[0].summary)
        if label_count[section] > 1:
            section += f" · data {str(members[0].summary.get('data', {}).get('fingerprint'))[:8]}…"
        by_method = defaultdict(list)
        for run in members:
            by_method[_method_label(run.summary)].append(run)
        for method, group in by_method.items():
            extras = _distinguishing_labels(group) if len(group) > 1 else [""]
            for run, extra in zip(group, extras, strict=True):
                label = method + (f" [{extra}]" if extra else "")
                complete = run.summary.get("complete", True)
                if run.summary.get("missing_shards"):
                    label += f" (incomplete: shards {', '.join(run.summary['missing_shards'])} missing)"
                elif not complete:
                    label += f" (incomplete {len(run.rows)}/{run.summary.get('n_listed', '?')})"
                placed.append(Placed(run, section, label, complete))
    return sorted(placed, key=lambda p: (p.run.summary.get("size", 0), p.section))  # stable within a section


def _our_row(entry: Placed, label_key: str = "method") -> dict:
    """A table row for ``entry``: section, label, ranking, and the context the JSON output carries."""
    summary = entry.run.summary
    data = summary.get("data", {})
    weights = summary.get("weights")
    context = {"path": str(entry.run.path), "method": summary.get("method"), "size": summary.get("size"),
               "resize": summary.get("resize"), "profile": summary.get("profile"),
               "data": {key: data.get(key) for key in ("name", "subset", "split", "fingerprint")},
               "limit": summary.get("limit"), "shard": summary.get("shard"),
               "weights_sha256": weights.get("sha256") if isinstance(weights, dict) else None,
               "config": summary.get("config"), "complete": summary.get("complete", True),
               "n_listed": summary.get("n_listed"), "n_images": len(entry.run.rows)}
    row = {"_group": entry.section, label_key: entry.label, "_context": context}
    if not entry.ranked:
        row["_unranked"] = True
    return row


def _note_incomplete(table: TableData) -> None:
    if any(row.get("_unranked") for row in table.rows):
        table.notes.append("(incomplete n/N): the run has n of its N listed images; its means cover only those and "
                           "are not ranked.")


def _nonfinite_count(rows: list[dict], metric: str) -> int:
    """Rows whose ``metric`` is not finite: null with a ``nonfinite`` reason, or inf/NaN in files of older runs."""
    return sum(1 for r in rows if metric in r.get("nonfinite", {}) or (r.get(metric) is not None
                                                                         and not is_finite(r[metric])))


def _measure(row: dict, rows: list[dict], metrics: dict[str, str]) -> None:
    """Set ``row[key]`` to the mean of ``metric`` over ``rows`` for each key -> metric, over the images whose value
    is finite, and keep the per-image values behind it in ``row["_images"][key]`` for the statistics. Images left
    out for a non-finite value are counted in ``row["_excluded"][key]`` (see :func:`_note_exclusions`)."""
    images = row.setdefault("_images", {})
    for key, metric in metrics.items():
        finite = [r for r in rows if is_finite(r.get(metric))]
        row[key] = float(np.mean([r[metric] for r in finite])) if finite else None
        images[key] = {r["name"]: r[metric] for r in finite}
        excluded = _nonfinite_count(rows, metric)
        if excluded:
            row.setdefault("_excluded", {})[key] = excluded


def _note_exclusions(table: TableData) -> TableData:
    """A note under ``table`` for every mean that leaves out images with a non-finite value."""
    labels = {col.key: col.label for col in table.columns}
    for row in table.rows:
        for key, count in row.get("_excluded", {}).items():
            table.notes.append(f"{row.get('method', '?')} ({row.get('_group') or 'all'}): {labels[key]} is the mean "
                               f"of the finite values; {count} image(s) with an infinite or NaN value left out.")
    return table


def quality_table(runs, paper_rows: bool = False) -> TableData:
    """Table 1: one row per run, sections per evaluation context (:func:`place_runs`)."""
    columns = [Column("method", "Method"), *[_metric_column(m) for m in TABLE1_METRICS],
               Column("n", "N", None, "{:d}")]
    table = TableData("Table 1 · harmonization quality (mean over images)", columns)
    placed = place_runs(runs, paper_rows)
    for index, entry in enumerate(placed):
        row = {**_our_row(entry), "n": len(entry.run.rows)}
        _measure(row, entry.run.rows, {m: m for m in TABLE1_METRICS})
        table.rows.append(row)
        size = entry.run.summary["size"]
        last_of_size = index + 1 == len(placed) or placed[index + 1].run.summary["size"] != size
        if paper_rows and last_of_size and size in paper.TABLE1:
            for method, values in paper.TABLE1[size].items():
                table.rows.append({"_group": f"{size} × {size} · CDTNet paper, HAdobe5k test (2160 images)",
                                   "_source": "paper", "method": method,
                                   **dict(zip(PAPER_TABLE1_METRICS, values, strict=True))})
    _note_incomplete(table)
    return _note_exclusions(table)


def subset_table(runs, paper_rows: bool = False) -> TableData:
    """Table 2: MSE and PSNR per iHarmony4 subset plus the image-weighted "All" (mean over all images). With
    ``paper_rows``, the paper's figures follow once, in a section of their own, when a run is at the paper's size."""
    placed = place_runs(runs, paper_rows)
    subsets = sorted({r["subset"] for entry in placed for r in entry.run.rows})
    columns = [Column("method", "Method")]
    for name in [*subsets, "All"]:
        columns += [_metric_column("mse", f"{name}/mse", f"{name} MSE"),
                    _metric_column("psnr", f"{name}/psnr", f"{name} PSNR")]
    table = TableData("Table 2 · per subset (All = mean over all images, not of subset means)", columns)
    for entry in placed:
        row = _our_row(entry)
        for name in [*subsets, "All"]:
            rows = entry.run.rows if name == "All" else [r for r in entry.run.rows if r["subset"] == name]
            _measure(row, rows, {f"{name}/mse": "mse", f"{name}/psnr": "psnr"})
        table.rows.append(row)
    if paper_rows and any(entry.run.summary["size"] == PAPER_TABLE2_SIZE for entry in placed):
        keys = {c.key for c in columns}
        for method, values in paper.TABLE2.items():
            prow = {"_group": f"{PAPER_TABLE2_SIZE} × {PAPER_TABLE2_SIZE} · CDTNet paper, iHarmony4 test (Table 2)",
                    "_source": "paper", "method": method}
            for name, (mse, psnr) in values.items():
                if f"{name}/mse" in keys:
                    prow[f"{name}/mse"], prow[f"{name}/psnr"] = mse, psnr
            table.rows.append(prow)
    elif paper_rows:
        table.notes.append(f"--paper: the paper's Table 2 is at {PAPER_TABLE2_SIZE} × {PAPER_TABLE2_SIZE}; no run "
                           "here is, so no paper rows are shown.")
    _note_incomplete(table)
    return _note_exclusions(table)


def fg_ratio_table(runs) -> TableData:
    """MSE and fMSE per foreground-ratio range (0–5 %, 5–15 %, 15–100 %), as iS²AM's fg-ratio evaluation."""
    columns = [Column("method", "Method")]
    for _, _, label in FG_BUCKETS:
        columns += [Column(f"{label}/n", f"{label} N", None, "{:d}"), _metric_column("mse", f"{label}/mse",
                    f"{label} MSE"), _metric_column("fmse", f"{label}/fmse", f"{label} fMSE")]
    table = TableData("Foreground-ratio breakdown (ratio = mean of the eval-size mask)", columns)
    for entry in place_runs(runs):
        row = _our_row(entry)
        for lo, hi, label in FG_BUCKETS:
            rows = [r for r in entry.run.rows if lo <= r["fg_ratio"] < hi]
            row[f"{label}/n"] = len(rows)
            _measure(row, rows, {f"{label}/mse": "mse", f"{label}/fmse": "fmse"})
        table.rows.append(row)
    _note_incomplete(table)
    return _note_exclusions(table)


def _table4_setting(summary: dict) -> bool:
    """A run at the paper's Table 4 setting: 1024 × 1024 on the HAdobe5k test set."""
    data = summary.get("data", {})
    return (summary.get("size") == PAPER_TABLE4_SIZE and PAPER_TABLE4_DATA in (data.get("name"), data.get("subset"))
            and data.get("split") == "test")


def ablation_table(runs, paper_rows: bool = False) -> TableData:
    """Table 4: PSNR and fMSE of the CDTNet ablations, in the paper's row order. With ``paper_rows``, each
    ablation's paper figures follow its runs only in sections at the paper's setting (:func:`_table4_setting`);
    other sections get a note saying why they have none."""
    order = {name: row for row, (name, _, _) in paper.TABLE4.items()}
    columns = [Column("row", "Row", None, "{:d}"), Column("method", "Method"), _metric_column("psnr"),
               _metric_column("fmse")]
    table = TableData("Table 4 · ablations", columns)
    chosen = sorted((e for e in place_runs(runs, paper_rows) if e.run.summary["method"] in order),
                    key=lambda e: (e.run.summary.get("size", 0), e.section, order[e.run.summary["method"]]))
    without_paper = []
    for index, entry in enumerate(chosen):
        name = entry.run.summary["method"]
        row = {**_our_row(entry), "row": order[name]}
        _measure(row, entry.run.rows, {"psnr": "psnr", "fmse": "fmse"})
        table.rows.append(row)
        following = chosen[index + 1] if index + 1 < len(chosen) else None
        if not paper_rows or (following and (following.section, following.run.summary["method"]) == (entry.section,
                                                                                                      name)):
            continue  # the paper row follows the last run of this ablation in the section
        if _table4_setting(entry.run.summary):
            _, psnr, fmse = paper.TABLE4[order[name]]
            table.rows.append({"_group": entry.section, "_source": "paper", "row": order[name], "method": name,
                               "psnr": psnr, "fmse": fmse})
        elif entry.section not in without_paper:
            without_paper.append(entry.section)
    if without_paper:
        table.notes.append(f"(paper) rows are shown only beside runs at the paper's Table 4 setting ("
                           f"{PAPER_TABLE4_SIZE} × {PAPER_TABLE4_SIZE}, {PAPER_TABLE4_DATA} test); none beside: "
                           + "; ".join(without_paper) + ".")
    _note_incomplete(table)
    return _note_exclusions(table)


# ----------------------------------------------------------------------------- intervals and significance

def add_statistics(table: TableData, settings: Bootstrap = Bootstrap()) -> TableData:
    """Give every mean of ours (a directed column with per-image values) its bootstrap CI, and compare each of our
    rows with the best of its column and section on the images both share (paired bootstrap + Wilcoxon, Holm across
    the column's comparisons in that section); the marks are explained in the table's notes. Returns ``table``."""
    stats = table.statistics = TableStatistics(settings)
    directed = [c for c in table.columns if c.higher_is_better is not None]
    sections = defaultdict(list)
    for i, row in enumerate(table.rows):
        if row.get("_source", "ours") != "ours" or "_images" not in row:
            continue
        if not row.get("_unranked"):
            sections[row.get("_group")].append(i)
        for col in directed:
            interval = mean_interval(list(row["_images"].get(col.key, {}).values()), settings)
            if interval is not None:
                stats.intervals[(i, col.key)] = interval
    for indices in sections.values():
        for col in directed:
            ranked = [i for i in indices if (i, col.key) in stats.intervals and np.isfinite(table.rows[i][col.key])]
            if len(ranked) < 2:
                continue
            pick = max if col.higher_is_better else min
            best = pick(ranked, key=lambda i: table.rows[i][col.key])
            compared = {}
            for i in ranked:
                if i != best:
                    pair = shared_values(table.rows[i]["_images"][col.key], table.rows[best]["_images"][col.key])
                    comparison = paired_comparison(*pair, col.higher_is_better, settings)
                    if comparison is not None:
                        compared[i] = comparison
            p_bootstrap = holm([c.p_bootstrap for c in compared.values()])
            p_wilcoxon = holm([c.p_wilcoxon for c in compared.values()])
            for k, (i, comparison) in enumerate(compared.items()):
                stats.versus_best[(i, col.key)] = VersusBest(best, comparison, float(p_bootstrap[k]),
                                                             float(p_wilcoxon[k]))
    if stats.intervals:
        table.notes.append(f"±: half-width of the {settings.confidence:.0%} CI of the mean ({settings.describe()}).")
    if stats.versus_best:
        table.notes.append(
            "≈: not significantly different from the best of its column and section (paired bootstrap of the mean "
            "difference on the images both runs share, Holm-corrected across the column's comparisons, "
            f"α = {settings.alpha:g}); †: the Wilcoxon signed-rank test (Holm) reaches the other verdict.")
    return table


def comparison_table(records: list[dict], name_a: str, name_b: str, settings: Bootstrap) -> TableData:
    """``harmbench compare``: one row per (scope, metric) record of :func:`harmbench.stats.compare_rows`, one section
    per scope; values keep full precision (CSV) and show five significant digits."""
    level = f"{settings.confidence:.0%}"
    columns = [Column("metric", "Metric"), Column("n", "N", None, "{:d}"), Column("mean_a", "A", None, "{:.5g}"),
               Column("mean_b", "B", None, "{:.5g}"), Column("difference", "A − B", None, "{:.5g}"),
               Column("low", f"{level} CI low", None, "{:.5g}"), Column("high", f"{level} CI high", None, "{:.5g}"),
               Column("p_bootstrap", "p bootstrap", None, "{:.3g}"), Column("p_wilcoxon", "p Wilcoxon", None, "{:.3g}"),
               Column("share_a_better", "A better", None, "{:.0%}")]
    table = TableData(f"A = {name_a} vs B = {name_b} (paired, on the images both share)", columns)
    for record in records:
        info = METRICS[record["metric"]]
        table.rows.append({**record, "_group": f"images: {record['scope']}",
                           "metric": f"{info.label}{'↑' if info.higher_is_better else '↓'}"})
    table.notes.append(f"A − B: paired mean difference; CI: its interval ({settings.describe()}); p: two-sided, "
                       "paired bootstrap (centred differences) and Wilcoxon signed-rank, not corrected for the number "
                       "of rows; A better: share of images where A beats B in the metric's direction.")
    return table
