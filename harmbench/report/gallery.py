"""The report's image gallery: which images to show (selections), and their files.

Each shown image gets the composite with the foreground outlined, the ground truth (when the data has one) and every
run's output as JPEG thumbnails (long side :data:`THUMB_SIDE`) that link to full-resolution PNGs in the report folder
(``full/``; runs' outputs hard-linked, copied across filesystems), so the folder stands alone. Composite, mask and
target are re-read from the runs' data root and prepared exactly as the runs prepared them, so they line up pixel
for pixel with the saved outputs.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from harmbench.figures import outline, resize
from harmbench.metrics import METRICS
from harmbench.report.runs import ReportRun

THUMB_SIDE = 240  # display size (long side, px): composite, ground truth and three outputs fit in 1280 px
JPEG_QUALITY = 85
FULL_DIR, THUMBS_DIR = "full", "thumbs"


@dataclass
class Selection:
    """A titled list of image names, in display order."""

    title: str
    names: list[str]


@dataclass
class Tile:
    """One picture of a gallery row: paths relative to the report folder, thumbnail size, caption lines."""

    label: str
    thumb: str
    full: str
    width: int
    height: int
    caption: list[str] = field(default_factory=list)


@dataclass
class Gallery:
    selections: list[Selection] = field(default_factory=list)
    tiles: dict[str, list[Tile]] = field(default_factory=dict)  # image name -> its row of tiles
    notes: list[str] = field(default_factory=list)


def _saved(r: ReportRun) -> set[str]:
    return {path.stem for path in r.run.images_dir.glob("*.png")} if r.run.images_dir.is_dir() else set()


def _better_by(metric: str, a: float, b: float) -> float:
    """How much ``a`` beats ``b`` in ``metric``'s direction (positive: a is better)."""
    return a - b if METRICS[metric].higher_is_better else b - a


def select(runs: list[ReportRun], pairs: list[tuple[ReportRun, ReportRun]], metric: str, count: int,
           seed: int) -> list[Selection]:
    """The gallery's selections among the images every run in ``runs`` saved: per pair, the ``count`` largest
    gains of A over B and the largest losses (images where A is strictly better, or strictly worse, in ``metric``);
    the worst overall (mean of ``metric`` over the runs, worst first); a seeded random sample. The ranked
    selections need a finite ``metric`` from every run (data without ground truth has none: only the sample)."""
    saved = sorted(set.intersection(*(_saved(r) & set(r.run.rows_by_name()) for r in runs)))
    if not saved:
        return []
    values = {r.slot: r.values(metric) for r in runs}
    names = [n for n in saved if all(n in values[r.slot] for r in runs)]
    label = METRICS[metric].label
    selections = []
    if names:
        for a, b in pairs:
            margin = {n: _better_by(metric, values[a.slot][n], values[b.slot][n]) for n in names}
            gains = sorted((n for n in names if margin[n] > 0), key=lambda n: -margin[n])
            losses = sorted((n for n in names if margin[n] < 0), key=lambda n: margin[n])
            selections += [Selection(f"Largest gains of {a.label} over {b.label} ({label})", gains[:count]),
                           Selection(f"Largest losses of {a.label} against {b.label} ({label})", losses[:count])]
        mean = {n: float(np.mean([values[r.slot][n] for r in runs])) for n in names}
        worst = sorted(names, key=lambda n: mean[n] if METRICS[metric].higher_is_better else -mean[n])
        selections.append(Selection(f"Worst overall ({label}, mean over the runs)", worst[:count]))
    picked = np.random.default_rng(seed).choice(len(saved), size=min(count, len(saved)), replace=False)
    selections.append(Selection(f"Random sample (seed {seed})", [saved[i] for i in sorted(picked)]))
    return selections


def _thumb_size(height: int, width: int) -> tuple[int, int]:
    """(width, height) with the long side at most :data:`THUMB_SIDE` (never enlarged)."""
    scale = min(1.0, THUMB_SIDE / max(height, width))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _write_pair(image: np.ndarray, out: Path, folder: str, stem: str, outline_mask: np.ndarray | None = None,
                full_source: Path | None = None) -> tuple[str, str, int, int]:
    """Write the full-resolution PNG of ``image`` (or a hard link to, else a copy of, ``full_source``) and its JPEG
    thumbnail, both with the contour of ``outline_mask`` drawn at their own resolution when given; returns their
    paths relative to ``out`` and the thumbnail size."""
    full = f"{FULL_DIR}/{folder}/{stem}.png"
    thumb = f"{THUMBS_DIR}/{folder}/{stem}.jpg"
    for relative in (full, thumb):
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
    if full_source is not None:
        # a hard link costs no disk and keeps the folder self-contained; a copy across filesystems
        (out / full).unlink(missing_ok=True)
        try:
            os.link(full_source, out / full)
        except OSError:
            shutil.copyfile(full_source, out / full)
    else:
        shown = image if outline_mask is None else outline(image, outline_mask)
        Image.fromarray(shown).save(out / full, compress_level=6)
    size = _thumb_size(*image.shape[:2])
    small = resize(image, size)
    if outline_mask is not None:
        small = outline(small, resize(outline_mask, size))
    Image.fromarray(small).save(out / thumb, quality=JPEG_QUALITY, optimize=True)
    return full, thumb, size[0], size[1]


def _metric_lines(row: dict, metrics: list[str]) -> list[str]:
    shown = [f"{METRICS[m].label} {METRICS[m].format(row[m])}" for m in metrics if isinstance(row.get(m), int | float)]
    return [" · ".join(shown)] if shown else []


def write_tiles(runs: list[ReportRun], names: list[str], metrics: list[str], out: Path) -> dict[str, list[Tile]]:
    """Thumbnails and full-resolution files of ``names`` for ``runs`` (which share data, size and resize) under
    ``out``; the row of tiles of each name, in the order of ``harmbench figure``: composite (outlined), ground
    truth, each run's output."""
    from harmbench.data import open_dataset
    from harmbench.data.io import SampleLoader
    from harmbench.data.resize import prepare

    summary = runs[0].summary
    data = summary["data"]
    dataset = open_dataset(data.get("root"), split=data.get("split") or "test", subset=data.get("subset"))
    refs = {ref.name: ref for ref in dataset.refs}
    missing = [n for n in names if n not in refs]
    if missing:
        raise ValueError(f"{data.get('root')}: image '{missing[0]}' of {runs[0].run.path} is no longer in the data "
                         f"(split {data.get('split')}); the gallery needs the data the runs were made on")
    loader = SampleLoader()
    rows = {r.slot: r.run.rows_by_name() for r in runs}
    tiles = {}
    for index, name in enumerate(names):
        prepared = prepare(loader.load(refs[name]), int(summary["size"]), summary["resize"])
        folder = f"img{index:03d}"
        composite = prepared.composite
        full, thumb, width, height = _write_pair(composite, out, folder, "composite", outline_mask=prepared.mask)
        first_row = rows[runs[0].slot][name]
        row_tiles = [Tile("input composite", thumb, full, width, height,
                          [name, f"{first_row.get('subset')} · foreground {first_row['fg_ratio']:.1%}"])]
        if prepared.target is not None:
            full, thumb, width, height = _write_pair(prepared.target, out, folder, "target")
            row_tiles.append(Tile("ground truth", thumb, full, width, height))
        for r in runs:
            source = r.run.images_dir / f"{name}.png"
            with Image.open(source) as saved:
                output = np.asarray(saved.convert("RGB"))
            if output.shape[:2] != composite.shape[:2]:
                raise ValueError(f"{source}: {output.shape[1]}×{output.shape[0]} px, but the run's data prepares "
                                 f"'{name}' at {composite.shape[1]}×{composite.shape[0]}")
            full, thumb, width, height = _write_pair(output, out, folder, r.slot, full_source=source)
            row_tiles.append(Tile(r.label, thumb, full, width, height, _metric_lines(rows[r.slot][name], metrics)))
        tiles[name] = row_tiles
    return tiles


def build_gallery(runs: list[ReportRun], pairs: list[tuple[ReportRun, ReportRun]], metric: str, metrics: list[str],
                  count: int, seed: int, out: Path) -> Gallery:
    """Selections and files of the gallery; runs without saved images, or on other data, size or resize protocol
    than the first run with saved images, are left out with a note."""
    gallery = Gallery()
    saving = [r for r in runs if _saved(r)]
    if not saving:
        gallery.notes.append("No gallery: none of the runs saved its outputs (run `harmbench run` with "
                             "--save-images).")
        return gallery

    def setting(r: ReportRun) -> tuple:
        return (r.summary.get("data", {}).get("fingerprint"), r.summary.get("size"), r.summary.get("resize"))

    shown = [r for r in saving if setting(r) == setting(saving[0])]
    left_out = [r for r in runs if r not in shown]
    if left_out:
        gallery.notes.append("Not in the gallery (no saved outputs, or other data, size or resize protocol than "
                             f"{saving[0].label}): {', '.join(r.label for r in left_out)}.")
    shown_pairs = [(a, b) for a, b in pairs if a in shown and b in shown]
    gallery.notes += [f"No gain/loss selection for {a.label} vs {b.label}: not both in the gallery."
                      for a, b in pairs if (a, b) not in shown_pairs]
    gallery.selections = select(shown, shown_pairs, metric, count, seed)
    if not gallery.selections:
        gallery.notes.append("No gallery: the runs share no saved image.")
        return gallery
    if len(gallery.selections) == 1:
        gallery.notes.append(f"Only a random sample: no image has a {METRICS[metric].label} from every run (data "
                             "without ground truth?).")
    names = list(dict.fromkeys(n for s in gallery.selections for n in s.names))
    gallery.tiles = write_tiles(shown, names, metrics, out)
    return gallery
