"""The runs a report shows: their labels, the pairs the user names, and what makes runs incomparable or incomplete."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from harmbench.results import Run, is_finite
from harmbench.stats import COMPARABLE_FIELDS, comparable_context
from harmbench.weights import is_untrained


@dataclass
class ReportRun:
    """A quality run with the label the page gives it and a short slot name for its files (``r0``, ``r1``...)."""

    run: Run
    label: str
    slot: str

    @property
    def summary(self) -> dict:
        return self.run.summary

    def values(self, metric: str) -> dict[str, float]:
        """Finite per-image values of ``metric`` by image name."""
        return {row["name"]: row[metric] for row in self.run.rows if is_finite(row.get(metric))}


def label_runs(runs: list[Run]) -> list[ReportRun]:
    """Label each run by its method (" (untrained)" for a ``--random-init`` run); a method shown by several runs
    gets its size and, if that is not enough, its folder name, so every label is unique."""
    def method(run: Run) -> str:
        return str(run.summary.get("method", run.path.name)) + (" (untrained)" if is_untrained(run.summary) else "")

    labels = [method(run) for run in runs]
    counts = Counter(labels)
    labels = [f"{label} @{run.summary.get('size')}" if counts[label] > 1 else label
              for label, run in zip(labels, runs, strict=True)]
    counts = Counter(labels)
    labels = [f"{label} ({run.path.name})" if counts[label] > 1 else label
              for label, run in zip(labels, runs, strict=True)]
    return [ReportRun(run, label, f"r{index}") for index, (run, label) in enumerate(zip(runs, labels, strict=True))]


def find_run(runs: list[ReportRun], spec: str) -> ReportRun:
    """The run named ``spec`` (its label, method, folder name or path); ValueError when none or several match."""
    matches = [r for r in runs if spec in (r.label, r.summary.get("method"), r.run.path.name, str(r.run.path))]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(r.label for r in runs)
    if not matches:
        raise ValueError(f"--pair: no run named '{spec}' (runs: {known})")
    raise ValueError(f"--pair: '{spec}' names {len(matches)} runs ({', '.join(str(r.run.path) for r in matches)}); "
                     "use a label or folder name")


def parse_pairs(specs: list[str], runs: list[ReportRun]) -> list[tuple[ReportRun, ReportRun]]:
    """``["A,B", ...]`` -> pairs of runs."""
    pairs = []
    for spec in specs:
        parts = [part.strip() for part in spec.split(",")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"--pair expects two run names separated by a comma (A,B), got '{spec}'")
        a, b = find_run(runs, parts[0]), find_run(runs, parts[1])
        if a is b:
            raise ValueError(f"--pair {spec}: both names are the same run")
        pairs.append((a, b))
    return pairs


def expected_rows(summary: dict) -> int | None:
    """Images a finished run should hold rows for: those listed minus those skipped as unusable."""
    listed = summary.get("n_listed")
    return None if listed is None else listed - len(summary.get("skipped", []))


def warnings(runs: list[ReportRun]) -> list[str]:
    """One line per problem the reader must know before comparing the runs' numbers."""
    lines = []
    for field in COMPARABLE_FIELDS:
        values = [comparable_context(r.summary)[field] for r in runs]
        if len({str(value) for value in values}) > 1:
            listing = "; ".join(f"{r.label}: {value}" for r, value in zip(runs, values, strict=True))
            lines.append(f"Runs differ in {field} ({listing}): their numbers are not comparable image by image; "
                         "the tables keep them in separate sections.")
    for r in runs:
        expected = expected_rows(r.summary)
        if r.summary.get("complete") is False:
            lines.append(f"{r.label} ({r.run.path}): incomplete run (summary says complete: false); "
                         f"{len(r.run.rows)} of {expected if expected is not None else '?'} images.")
        elif expected is not None and len(r.run.rows) < expected:
            lines.append(f"{r.label} ({r.run.path}): {len(r.run.rows)} rows, fewer than the {expected} images "
                         "the run lists.")
    return lines


def context_record(r: ReportRun) -> dict:
    """What the page shows about one run, in reading order."""
    summary = r.summary
    data = summary.get("data") or {}
    profile = summary.get("profile") or {}
    env = summary.get("env") or {}
    return {
        "folder": str(r.run.path),
        "method": summary.get("method"),
        "family": (summary.get("method_info") or {}).get("family"),
        "weights": summary.get("weights"),
        "data": f"{data.get('name')} ({data.get('kind')}) split {data.get('split')}"
                + (f" subset {data['subset']}" if data.get("subset") else "") + f" at {data.get('root')}",
        "data fingerprint": data.get("fingerprint"),
        "size": summary.get("size"),
        "resize": summary.get("resize"),
        "metric profile": f"{profile.get('name')} v{profile.get('version')}",
        "images": f"{len(r.run.rows)} rows of {expected_rows(summary)} expected; "
                  f"{len(summary.get('skipped', []))} skipped; complete: {summary.get('complete')}",
        "device": env.get("device_name") or env.get("device"),
        "versions": ", ".join(f"{key} {env[key]}" for key in ("harmbench", "git", "torch", "cuda", "python")
                              if env.get(key)),
        "started": summary.get("started"),
        "finished": summary.get("finished"),
        "config": summary.get("config"),
    }
