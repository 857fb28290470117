"""Votes in and out of a study file as CSV or JSON Lines (format chosen by the file suffix).

One row per vote: rater, simulated, item (1-based schedule id), composite, left, right, winner, side, repeat_of,
elapsed_ms, created. Import checks each row against the study's schedule (the item must exist and show the same
composite and methods), creates raters by name, and is idempotent: a vote already stored for (rater, item) is
kept, so the same file can be imported twice, or votes from copies of one study merged.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

from harmbench.study.db import StudyDB, StudyError, Vote

FIELDS = [f.name for f in dataclasses.fields(Vote)]


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ValueError(f"{path}: use a .csv or .jsonl file")


def export_votes(study: StudyDB, out: str | Path) -> int:
    """Write every vote to ``out``; returns the count."""
    out = Path(out)
    kind = _format(out)
    votes = study.votes()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as handle:
        if kind == "csv":
            writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(dataclasses.asdict(v) for v in votes)
        else:
            handle.writelines(json.dumps(dataclasses.asdict(v)) + "\n" for v in votes)
    return len(votes)


def _read_rows(path: Path) -> list[dict]:
    kind = _format(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    with open(path, newline="") as handle:
        if kind == "csv":
            return list(csv.DictReader(handle))
        rows = []
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise StudyError(f"{path}: line {number} is not valid JSON ({exc})") from None
        return rows


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def import_votes(study: StudyDB, path: str | Path) -> tuple[int, int]:
    """Add the votes of ``path``; returns (new votes, votes already present). All rows are checked before any
    is stored, so a bad file changes nothing."""
    path = Path(path)
    rows = _read_rows(path)
    checked = []
    line_offset = 2 if _format(path) == "csv" else 1  # report file line numbers (CSV has a header line)
    for number, row in enumerate(rows, line_offset):
        where = f"{path}: line {number}"
        missing = [k for k in ("rater", "item", "composite", "left", "right", "winner") if not row.get(k)]
        if missing:
            raise StudyError(f"{where}: missing {', '.join(missing)}")
        try:
            index = int(row["item"]) - 1
        except ValueError:
            raise StudyError(f"{where}: item must be a number, got {row['item']!r}") from None
        if not 0 <= index < len(study.items):
            raise StudyError(f"{where}: no pair {row['item']} in this study (it has {len(study.items)})")
        item = study.items[index]
        expected = (study.composites[item.composite], study.methods[item.left], study.methods[item.right])
        if (row["composite"], row["left"], row["right"]) != expected:
            raise StudyError(f"{where}: pair {row['item']} is {expected[1]} vs {expected[2]} on {expected[0]} in this "
                             f"study, the file says {row['left']} vs {row['right']} on {row['composite']}; "
                             "votes can only be imported into the study they were exported from")
        if row["winner"] not in (row["left"], row["right"]):
            raise StudyError(f"{where}: winner {row['winner']!r} is neither {row['left']!r} nor {row['right']!r}")
        elapsed = row.get("elapsed_ms")
        checked.append((row["rater"], _truthy(row.get("simulated", False)), index,
                        "left" if row["winner"] == row["left"] else "right",
                        int(elapsed) if elapsed not in (None, "") else None, row.get("created") or None))
    raters = {}
    new = 0
    with study.transaction() as conn:
        for name, simulated, index, side, elapsed, created in checked:
            if name not in raters:
                raters[name] = study.get_or_create_rater(name, simulated=simulated, conn=conn)
            new += study.record_vote(raters[name].id, index, side, elapsed, conn=conn, created=created)
    return new, len(checked) - new
