"""The Dataset record every reader returns, and helpers the readers share."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from harmbench.data.io import IMAGE_EXTENSIONS
from harmbench.data.sample import SampleRef


@dataclass
class Dataset:
    """A listed dataset: references to its files, nothing decoded.

    ``refs`` are sorted so that composites sharing a real image are adjacent (the loader decodes that image once).
    ``problems`` has one line per listed-but-unusable file, ``"<path>: <problem>"``. ``fingerprint`` is a sha256 over
    the split file(s) (iHarmony4 layout) and the path (relative to the root) and size of every listed file: it
    identifies the data a result was computed on, and is the same on a copy of the data (another node's disk).
    ``modified`` is a sha256 over the listed files' modification times: a resume compares it too, so data
    regenerated or edited in place (even to the same sizes) is never mixed with rows of the old data. Both come from
    :func:`file_stamps`, a ``stat`` per file; nothing is read.
    """

    name: str
    root: Path
    kind: str
    split: str | None
    refs: list[SampleRef]
    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""
    modified: str = ""

    def __len__(self) -> int:
        return len(self.refs)

    def summary(self) -> str:
        """One line: name, kind, split, count, problems."""
        split = f" {self.split}" if self.split else ""
        text = f"{self.name}{split} ({self.kind}): {len(self.refs)} composites at {self.root}"
        return text + (f"; {len(self.problems)} unusable" if self.problems else "")


def image_files_by_stem(folder: Path) -> dict[str, list[str]]:
    """stem -> file names with an image extension in ``folder`` (one directory listing, no per-file stat)."""
    found: dict[str, list[str]] = {}
    if not folder.is_dir():
        return found
    with os.scandir(folder) as entries:
        for entry in entries:
            stem, ext = os.path.splitext(entry.name)
            if ext.lower() in IMAGE_EXTENSIONS and not entry.name.startswith(".") and entry.is_file():
                found.setdefault(stem, []).append(entry.name)
    for names in found.values():
        names.sort(key=_extension_rank)
    return found


def _extension_rank(name: str) -> tuple[int, str]:
    ext = os.path.splitext(name)[1].lower()
    return IMAGE_EXTENSIONS.index(ext), name


def file_stamps(root: Path, refs: list[SampleRef]) -> tuple[list[str], str]:
    """``"<path relative to root>\t<size>"`` of each file the refs use (sorted, each once) for the fingerprint, and a
    sha256 over the same files' modification times (``Dataset.modified``)."""
    paths = {path for ref in refs for path in (ref.composite_path, ref.mask_path, ref.target_path) if path is not None}
    stamps, times = [], []
    for path in paths:
        stat = os.stat(path)
        relative = Path(path).relative_to(root)
        stamps.append(f"{relative}\t{stat.st_size}")
        times.append(f"{relative}\t{stat.st_mtime_ns}")
    return sorted(stamps), sha256_text(sorted(times))


def sha256_text(parts: list[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\n")
    return digest.hexdigest()
