"""Result files: ``per_image.jsonl`` (one JSON object per finished image, appended as it finishes) and
``summary.json`` (the run's context and means), both written so that a crash at any instant loses no finished work.

Appends are single ``write`` calls of one complete line followed by ``fsync``; a line cut short by a crash is the
only possible damage, and :func:`read_rows` drops it (and :class:`RowWriter` truncates it before appending again).
``summary.json`` is replaced atomically (temp file + ``os.replace``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROWS_FILE = "per_image.jsonl"
SUMMARY_FILE = "summary.json"
IMAGES_DIR = "images"  # ``--save-images`` outputs: <name>.png
LOCK_FILE = ".lock"  # held (flock) by the process writing the folder
SCHEMA_VERSION = 1


class ResultError(ValueError):
    """A result folder that cannot be read or does not fit the requested run."""


def is_finite(value) -> bool:
    """True for a number that is neither None, infinite nor NaN: a value that can enter a mean."""
    return value is not None and math.isfinite(value)


def finite_metrics(values: dict) -> dict:
    """``values`` (metric -> number) ready for a row: each non-finite value (inf, -inf, NaN; e.g. the PSNR and SSIM
    of an all-black target) becomes None, and ``"nonfinite"`` maps those metrics to ``"inf"``, ``"-inf"`` or
    ``"nan"`` (JSON has no such numbers). Unchanged when every value is finite."""
    nonfinite = {key: str(float(value)) for key, value in values.items() if not is_finite(value)}
    if not nonfinite:
        return values
    return {**{key: None if key in nonfinite else value for key, value in values.items()}, "nonfinite": nonfinite}


@contextlib.contextmanager
def folder_lock(folder: Path):
    """Hold an exclusive lock on result folder ``folder`` (created if needed) for the duration, so one process
    writes it at a time; another process gets a ResultError at once.

    The lock is a POSIX record lock (``fcntl.lockf``) on ``folder/.lock``. The operating system releases it when the
    process ends, even by ``kill -9``, so a stale lock file is harmless. Unlike ``flock``, it belongs to the process
    and is not shared with forked children: the DataLoader's worker processes, which can outlive a killed parent for
    a few seconds, never keep a rerun out."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ResultError(f"{folder}: another harmbench process is writing this result folder; wait for it to "
                              "finish or pass another --out") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_json_atomic(path: Path, obj) -> None:
    """Write ``obj`` as indented JSON to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(obj, handle, indent=2, sort_keys=False, default=str)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _complete_prefix_length(data: bytes) -> int:
    """Length of the part of ``data`` made of whole, parseable JSON lines."""
    end = data.rfind(b"\n") + 1
    return end


def read_rows(path: Path) -> list[dict]:
    """Rows of a ``per_image.jsonl``; a partial last line (crash mid-write) is ignored; duplicates keep the first."""
    if not path.exists():
        return []
    data = path.read_bytes()
    rows, seen = [], set()
    for number, line in enumerate(data[:_complete_prefix_length(data)].splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ResultError(f"{path}: line {number} is not valid JSON ({exc})") from None
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise ResultError(f"{path}: line {number} is not a result row (a JSON object with a \"name\")")
        if row["name"] not in seen:
            seen.add(row["name"])
            rows.append(row)
    return rows


class RowWriter:
    """Appends rows to ``per_image.jsonl``, one durable line per finished image."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # cut a partial last line left by a crash, so the next append starts a fresh line
            data = path.read_bytes()
            keep = _complete_prefix_length(data)
            if keep != len(data):
                with open(path, "r+b") as handle:
                    handle.truncate(keep)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, row: dict) -> None:
        os.write(self._fd, (json.dumps(row, default=float) + "\n").encode())
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class Run:
    """A result folder as read back: its summary and per-image rows (the one reader every job uses)."""

    path: Path
    summary: dict
    rows: list[dict]

    @property
    def images_dir(self) -> Path:
        """Where ``--save-images`` wrote the outputs (``<name>.png``); may not exist."""
        return self.path / IMAGES_DIR

    def rows_by_name(self) -> dict[str, dict]:
        return {row["name"]: row for row in self.rows}


def load_run(path: str | Path) -> Run:
    """Read a result folder (quality run or profile)."""
    path = Path(path)
    summary_path = path / SUMMARY_FILE
    if not summary_path.exists():
        raise ResultError(f"{path}: no {SUMMARY_FILE} (not a harmbench result folder)")
    try:
        summary = json.loads(summary_path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultError(f"{summary_path}: not valid JSON ({exc})") from None
    if not isinstance(summary, dict):
        raise ResultError(f"{summary_path}: not a run summary (expected a JSON object, found {type(summary).__name__})")
    return Run(path, summary, read_rows(path / ROWS_FILE))


def find_runs(paths) -> list[Run]:
    """Every result folder at or below the given paths (a folder holding summary.json), sorted by path."""
    found = []
    for path in map(Path, paths):
        if not path.exists():
            raise ResultError(f"{path}: no such result folder")
        found += [p.parent for p in ([path / SUMMARY_FILE] if (path / SUMMARY_FILE).exists()
                                     else sorted(path.rglob(SUMMARY_FILE)))]
    return [load_run(p) for p in sorted(set(found))]


def git_revision() -> str | None:
    """The harmbench checkout's commit (with ``-dirty`` when it has local changes), or None outside git."""
    root = Path(__file__).resolve().parents[1]
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return rev.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def environment(device: str = "cpu") -> dict:
    """The one record of the versions and hardware a result depends on (quality runs and efficiency profiles):
    harmbench version and git revision, torch, CUDA (None on a CPU-only build), Python, the device and torch's CPU
    thread count, the CPU; on a CUDA device also its name."""
    import platform

    import torch

    import harmbench

    env = {"harmbench": harmbench.__version__, "git": git_revision(), "torch": torch.__version__,
           "cuda": torch.version.cuda, "python": platform.python_version(), "device": str(device),
           "threads": torch.get_num_threads(), "cpu": platform.processor() or platform.machine()}
    if torch.device(device).type == "cuda" and torch.cuda.is_available():
        env["device_name"] = torch.cuda.get_device_name(torch.device(device))
    return env
