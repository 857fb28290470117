"""Votes in and out of a study file as CSV or JSON Lines (format chosen by the file suffix).

One row per vote: study (the study id), rater (anonymous id or participant id; never a typed name), simulated,
item (1-based schedule id), kind (pair, repeat, catch), composite, left, right (as the rater saw them; ``intact`` /
``degraded`` on catch screens), winner, side, repeat_of, elapsed_ms, created. Import refuses rows of another study
id, checks each row against the schedule (the item must exist and show the same composite and methods), creates
raters by id, and is idempotent: a vote already stored for (rater, item) is kept, so the same file can be
imported twice, or votes from copies of one study merged.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

from harmbench.study.db import CATCH_LABELS, StudyDB, StudyError, Vote
from harmbench.study.schedule import CATCH

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
        missing = [k for k in ("study", "rater", "item", "composite", "left", "right", "winner") if not row.get(k)]
        if missing:
            raise StudyError(f"{where}: missing {', '.join(missing)}")
        if row["study"] != study.study_id:
            raise StudyError(f"{where}: the vote belongs to study {row['study']}, this is study {study.study_id}; "
                             "votes can only be imported into the study they were exported from (or a copy)")
        try:
            index = int(row["item"]) - 1
        except ValueError:
            raise StudyError(f"{where}: item must be a number, got {row['item']!r}") from None
        if not 0 <= index < len(study.items):
            raise StudyError(f"{where}: no pair {row['item']} in this study (it has {len(study.items)})")
        item = study.items[index]
        shown = CATCH_LABELS if item.kind == CATCH else (study.methods[item.left], study.methods[item.right])
        if row["composite"] != study.composites[item.composite] or {row["left"], row["right"]} != set(shown):
            raise StudyError(f"{where}: pair {row['item']} is {shown[0]} vs {shown[1]} on "
                             f"{study.composites[item.composite]} in this study, the file says {row['left']} vs "
                             f"{row['right']} on {row['composite']}")
        if row["winner"] not in (row["left"], row["right"]):
            raise StudyError(f"{where}: winner {row['winner']!r} is neither {row['left']!r} nor {row['right']!r}")
        side = "left" if row["winner"] == row["left"] else "right"
        flipped = (side == "left") != (row["winner"] == shown[0])
        elapsed = row.get("elapsed_ms")
        checked.append((row["rater"], _truthy(row.get("simulated", False)), index, side, flipped,
                        int(elapsed) if elapsed not in (None, "") else None, row.get("created") or None))
    raters = {}
    new = 0
    with study.transaction() as conn:
        for key, simulated, index, side, flipped, elapsed, created in checked:
            if key not in raters:
                raters[key] = study.add_rater(key=key, simulated=simulated, conn=conn)
            new += study.record_vote(raters[key].id, index, side, flipped, elapsed, conn=conn, created=created)
    return new, len(checked) - new
