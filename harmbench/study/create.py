"""``study create``: harmonize each composite with each method (or take saved run outputs) and write the study file.

Every contestant goes through the same pipeline: the composite is prepared at ``size`` with the squash protocol
(bilinear to size x size, as in the evaluation), harmonized, and the result is resized back to the composite's own
aspect ratio with its long side = ``size`` (raters should not judge squashed pictures). Saved outputs of
``harmbench run --save-images`` are resized the same way. The reference image shown above each pair is the
composite through that same pipeline with the foreground outlined. Images are stored as PNG (lossless) in the
folder next to the database.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from rich.console import Console

from harmbench.contract import harmonize
from harmbench.devices import resolve_device
from harmbench.figures import RunImages, outline, resize, to_uint8
from harmbench.study.db import StudyDB, StudyError, files_dir_for, write_study
from harmbench.study.schedule import build_schedule

COMPOSITE = "composite"  # the registered identity method: the unharmonized input as a contestant


@dataclass
class Contestant:
    """One column of the study: a method run here, or the saved outputs of a run folder."""

    name: str
    source: str  # "method" or "run"
    weights: Path | None = None
    run: RunImages | None = None
    model: torch.nn.Module | None = None
    untrained: bool = False  # a learned method run on its random initial weights (--random-init)

    def describe(self) -> dict:
        if self.run is not None:
            return {"source": "run", "run": str(self.run.path), "size": self.run.summary.get("size")}
        described = {"source": "method", "weights": None if self.weights is None else str(self.weights)}
        return {**described, "untrained": True} if self.untrained else described


def parse_assignments(text: str | None, option: str) -> dict[str, str]:
    """``a=x,b=y`` -> {"a": "x", "b": "y"}."""
    out = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{option} expects name=value pairs separated by commas, got '{part}'")
        out[key.strip()] = value.strip()
    return out


def default_repeats(n_base: int) -> int:
    """About 10 % of the base pairs (at least one) are shown twice as consistency checks."""
    return min(n_base, max(1, math.ceil(0.1 * n_base)))


def _contestants(methods: list[str], from_runs: list[str], include_composite: bool,
                 weights: dict[str, str]) -> list[Contestant]:
    from harmbench.registry import get_method

    contestants: list[Contestant] = []
    names = list(dict.fromkeys(methods + ([COMPOSITE] if include_composite else [])))
    for name in names:
        get_method(name)  # unknown names fail here with the registry's "did you mean"
        contestants.append(Contestant(name, "method", Path(weights[name]) if name in weights else None))
    stray = sorted(set(weights) - set(names))
    if stray:
        raise ValueError(f"--weights names '{stray[0]}', which is not among --methods ({', '.join(names)})")
    for entry in from_runs:
        label, sep, path = entry.partition("=")
        run = RunImages.open(path if sep else entry)
        contestants.append(Contestant(label if sep else run.label, "run", run=run))
    seen = set()
    for contestant in contestants:
        if contestant.name in seen:
            raise ValueError(f"two contestants are both called '{contestant.name}'; name a run with "
                             "--from-runs LABEL=RUN_DIR")
        seen.add(contestant.name)
    if len(contestants) < 2:
        raise ValueError(f"a pairwise study needs at least 2 methods, got {len(contestants)}")
    return contestants


def display_size(height: int, width: int, size: int) -> tuple[int, int]:
    """(width, height) with the composite's aspect ratio and long side ``size``."""
    scale = size / max(height, width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def create_study(out: str | Path, composites: str | Path | None, methods: list[str] | None = None, *, size: int = 1024,
                 include_composite: bool = False, weights: dict[str, str] | None = None,
                 from_runs: list[str] | None = None, repeats: int | None = None, seed: int = 0,
                 device: str = "auto", console: Console | None = None, random_init: bool = False) -> StudyDB:
    """Write ``out`` (SQLite) and its image folder; see the module docstring and ``harmbench study create --help``.

    ``composites``: a real-composite folder, an iHarmony4-layout dataset (its test split; ground truth unused), or
    None for the built-in synthetic set. ``device``: ``auto`` (CUDA when present), ``cpu`` or ``cuda[:i]``.
    A learned method without an entry in ``weights`` takes the weights ``harmbench run`` would find at ``size``
    (:func:`harmbench.weights.resolve_weights`); none found is an error unless ``random_init``."""
    from harmbench import __version__
    from harmbench.data import DataError, open_dataset
    from harmbench.data.io import SampleLoader
    from harmbench.data.resize import prepare, to_tensors
    from harmbench.factory import create_method
    from harmbench.registry import get_method
    from harmbench.weights import resolve_weights

    console = console or Console(stderr=True)
    device = resolve_device(device)
    out = Path(out)
    if out.exists():
        raise StudyError(f"{out} already exists; choose another --out or delete it")
    files_dir = files_dir_for(out)
    if files_dir.exists() and any(files_dir.iterdir()):
        raise StudyError(f"{files_dir} already exists and is not empty; delete it or choose another --out")
    if size < 16:
        raise ValueError(f"--size must be at least 16, got {size}")
    contestants = _contestants(list(methods or []), list(from_runs or []), include_composite, dict(weights or {}))

    dataset = open_dataset(composites, split="test")
    if not dataset.refs:
        raise DataError(f"{composites}: no composites found")
    for contestant in contestants:
        if contestant.run is not None:
            saved = contestant.run.images_dir
            missing = [ref.name for ref in dataset.refs if not (saved / f"{ref.name}.png").is_file()]
            if missing:
                raise StudyError(f"{contestant.run.images_dir}: no saved output for '{missing[0]}' "
                                 f"({len(missing)} of {len(dataset.refs)} composites missing)")
        else:
            source = resolve_weights(contestant.name, size, contestant.weights, random_init=random_init)
            contestant.weights = None if source is None else source.path
            contestant.untrained = source is None and get_method(contestant.name).trainable
            contestant.model = create_method(contestant.name, weights=contestant.weights, device=device)

    n_base = len(dataset.refs) * len(contestants) * (len(contestants) - 1) // 2
    repeats = default_repeats(n_base) if repeats is None else repeats
    items = build_schedule(len(dataset.refs), len(contestants), repeats=repeats, seed=seed)  # fails before work

    files_dir.mkdir(parents=True, exist_ok=True)
    images: list[tuple[str, int, int]] = []
    composite_rows: list[tuple[str, int]] = []
    outputs: dict[tuple[int, int], int] = {}

    def store(picture: np.ndarray) -> int:
        image_id = len(images) + 1
        file = f"{image_id:06d}.png"
        Image.fromarray(picture).save(files_dir / file, compress_level=3)
        images.append((file, picture.shape[1], picture.shape[0]))
        return image_id

    try:
        loader = SampleLoader()
        console.print(f"study: {len(dataset.refs)} composites x {len(contestants)} methods at {size} px")
        for c, ref in enumerate(dataset.refs):
            sample = loader.load(ref)
            dims = display_size(*sample.composite.shape[:2], size)
            prepared = prepare(sample, size, "squash")
            mask = resize(np.asarray(prepared.mask, dtype=np.float32).reshape(prepared.mask.shape[:2]), dims)
            reference = outline(resize(to_uint8(prepared.composite), dims), mask)
            composite_rows.append((ref.name, store(reference)))
            composite_t, mask_t = to_tensors(prepared)
            for m, contestant in enumerate(contestants):
                if contestant.run is not None:
                    picture = contestant.run.output(ref.name)
                else:
                    result = harmonize(contestant.model, composite_t.to(device), mask_t.to(device))
                    picture = to_uint8(result[0].permute(1, 2, 0).cpu().numpy())
                outputs[(c, m)] = store(resize(picture, dims))
            console.print(f"  [{c + 1}/{len(dataset.refs)}] {ref.name}", highlight=False)

        meta = {
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "harmbench_version": __version__,
            "composites": {"path": str(dataset.root), "name": dataset.name, "kind": dataset.kind,
                           "fingerprint": getattr(dataset, "fingerprint", None)},
            "size": size,
            "resize": "squash",
            "display": "method output resized back to the composite's aspect ratio, long side = size (Lanczos)",
            "seed": seed,
            "repeats": repeats,
            "methods": {c.name: c.describe() for c in contestants},
        }
        write_study(out, meta=meta, methods=[c.name for c in contestants], images=images, composites=composite_rows,
                    outputs=outputs, items=items)
    except BaseException:
        # Leave no half-filled image folder behind: remove what this call wrote, then re-raise.
        for file, _, _ in images:
            (files_dir / file).unlink(missing_ok=True)
        if not any(files_dir.iterdir()):
            files_dir.rmdir()
        raise
    console.print(f"{len(items)} pairs ({repeats} repeated) -> {out} (images in {files_dir})")
    return StudyDB(out)
