"""``study create``: harmonize each composite with each method (or take saved run outputs) and write the study file.

Every contestant goes through the same pipeline: the composite is prepared at ``size`` with the squash protocol
(bilinear to size x size, as in the evaluation), harmonized, and the result is resized back to the composite's own
aspect ratio with its long side = ``size`` (raters should not judge squashed pictures). Saved outputs of
``harmbench run --save-images`` are resized the same way.

Every picture is stored twice in the folder next to the database: a lossless PNG (the zoom view) and a JPEG at
display size (the voting page). The hint shown above each pair is the foreground outline on a grey silhouette.

Identity: the study gets a random id, every composite a content fingerprint (pixels of composite and mask), every
image a sha256. Saved outputs must belong to the study's composites: a run that read the same files (same data
fingerprint) is taken; otherwise each output's background is compared with the composite's and a mismatch is
refused. Runs made at another ``--size`` are refused unless ``--allow-mixed-sizes``. A composite that cannot be
read (corrupt image, bad mask) is skipped with one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from rich.console import Console

from harmbench.contract import harmonize
from harmbench.devices import resolve_device
from harmbench.figures import RunImages, outline, resize, to_uint8
from harmbench.study.db import StoredImage, StudyDB, StudyError, files_dir_for, write_study
from harmbench.study.schedule import PAIR, Design, add_catch_items, build_schedule, session_length_bound

COMPOSITE = "composite"  # the registered identity method: the unharmonized input as a contestant
DISPLAY_SIZE = 1280  # long side of the JPEGs on the voting page (about the width of half a 2560-px screen)
JPEG_QUALITY = 92
MISMATCH_LEVELS = 6.0  # median background difference above which a saved output belongs to another picture


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


def fingerprint(*arrays: np.ndarray) -> str:
    """sha256 over the shapes and pixel bytes of ``arrays`` (the content, whatever the file format or name)."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(str(array.shape).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def background_mismatch(output: np.ndarray, composite: np.ndarray, mask: np.ndarray) -> float:
    """Median absolute difference (0-255 levels) between ``output`` and ``composite`` over the background, both
    reduced to 16 x 16 so that detail a method or a resampler may change (noise, sharpening) does not count. An
    output of this composite scores a few levels at most; an output of a different picture scores tens."""
    def small(picture):
        return np.asarray(Image.fromarray(picture).resize((16, 16), Image.Resampling.BOX), dtype=np.float32)

    background = resize(np.asarray(mask, dtype=np.float32), (16, 16)) < 0.05
    if not background.any():
        return 0.0
    return float(np.median(np.abs(small(output) - small(composite))[background]))


def hint_picture(mask: np.ndarray) -> np.ndarray:
    """The mask hint: the foreground's outline on a neutral grey silhouette. It shows where the pasted object is
    without showing any contestant's pixels (an outlined composite would equal the composite contestant)."""
    inside = mask > 0.5
    grey = np.where(inside, 165, 105).astype(np.uint8)
    return outline(np.repeat(grey[..., None], 3, axis=2), mask)


# Strong foreground casts for catch trials, one per variant: (gain R, gain G, gain B), cycled.
CATCH_CASTS = ((1.9, 0.55, 0.55), (0.5, 1.6, 0.5), (0.55, 0.6, 1.9), (0.35, 0.35, 0.35), (1.8, 1.7, 0.35))


def degrade(picture: np.ndarray, mask: np.ndarray, variant: int) -> np.ndarray:
    """``picture`` with a strong colour cast on the foreground only (soft mask), the known-worse side of a catch."""
    gain = np.asarray(CATCH_CASTS[variant % len(CATCH_CASTS)], dtype=np.float32)
    weight = np.asarray(mask, dtype=np.float32)[..., None]
    cast = picture.astype(np.float32) * gain
    return to_uint8(picture * (1 - weight) + cast * weight)


def create_study(out: str | Path, composites: str | Path | None, methods: list[str] | None = None, *, size: int = 1024,
                 include_composite: bool = False, weights: dict[str, str] | None = None,
                 from_runs: list[str] | None = None, design: Design | None = None, seed: int = 0,
                 device: str = "auto", console: Console | None = None, random_init: bool = False,
                 display: int = DISPLAY_SIZE, allow_mixed_sizes: bool = False) -> StudyDB:
    """Write ``out`` (SQLite) and its image folder; see the module docstring and ``harmbench study create --help``.

    ``composites``: a real-composite folder, an iHarmony4-layout dataset (its test split; ground truth used only
    for catch trials), or None for the built-in synthetic set. ``device``: ``auto`` (CUDA when present), ``cpu`` or
    ``cuda[:i]``. A learned method without an entry in ``weights`` takes the weights ``harmbench run`` would find at
    ``size`` (:func:`harmbench.weights.resolve_weights`); none found is an error unless ``random_init``.
    ``display``: long side of the display-size JPEGs (full-resolution PNGs are kept for the zoom view)."""
    from harmbench import __version__
    from harmbench.data import DataError, open_dataset
    from harmbench.data.io import SampleLoader
    from harmbench.data.resize import prepare, to_tensors
    from harmbench.factory import create_method
    from harmbench.registry import get_method
    from harmbench.weights import resolve_weights

    console = console or Console(stderr=True, soft_wrap=True)  # one skip = one line in a log
    design = design or Design()
    design.check()
    device = resolve_device(device)
    out = Path(out)
    if out.exists():
        raise StudyError(f"{out} already exists; choose another --out or delete it")
    files_dir = files_dir_for(out)
    if files_dir.exists() and any(files_dir.iterdir()):
        raise StudyError(f"{files_dir} already exists and is not empty; delete it or choose another --out")
    if size < 16:
        raise ValueError(f"--size must be at least 16, got {size}")
    if display < 16:
        raise ValueError(f"--display-size must be at least 16, got {display}")
    contestants = _contestants(list(methods or []), list(from_runs or []), include_composite, dict(weights or {}))

    dataset = open_dataset(composites, split="test")
    if not dataset.refs:
        raise DataError(f"{composites}: no composites found")
    for problem in dataset.problems:  # listed files that make no composite (e.g. a composite without its mask)
        console.print(f"  skipped: {problem}", highlight=False, soft_wrap=True)
    for contestant in contestants:
        if contestant.run is not None:
            run_size = contestant.run.summary.get("size")
            if run_size != size and not allow_mixed_sizes:
                raise StudyError(f"{contestant.run.path}: run made at size {run_size}, the study shows {size}; "
                                 "rerun at the study's size, or pass --allow-mixed-sizes to resize it anyway")
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

    files_dir.mkdir(parents=True, exist_ok=True)
    images: list[StoredImage] = []
    composite_rows: list[tuple[str, int, str]] = []
    outputs: dict[tuple[int, int], int] = {}
    pool: list[tuple[int, int, int]] = []  # catch trials: (composite, intact image, degraded image)
    skipped: list[str] = []
    n_refs = len(dataset.refs)
    # catch pool sized for the longest session if every composite is readable (made as we go: no picture is kept)
    pool_size = session_length_bound(n_refs * len(contestants) * (len(contestants) - 1) // 2, design)[1]

    def store(picture: np.ndarray) -> int:
        image_id = len(images) + 1
        full, shown = f"{image_id:06d}.png", f"{image_id:06d}.jpg"
        Image.fromarray(picture).save(files_dir / full, compress_level=3)
        preview = Image.fromarray(resize(picture, display_size(*picture.shape[:2], display))
                                  if max(picture.shape[:2]) > display else picture)
        preview.save(files_dir / shown, quality=JPEG_QUALITY, subsampling=0)  # 4:4:4: no chroma smearing of colour
        images.append(StoredImage(shown, full, picture.shape[1], picture.shape[0], fingerprint(picture)))
        return image_id

    try:
        loader = SampleLoader()
        console.print(f"study: {len(dataset.refs)} composites x {len(contestants)} methods at {size} px")
        for ref in dataset.refs:
            try:
                sample = loader.load(ref)
            except (DataError, OSError, ValueError) as exc:
                skipped.append(ref.name)
                console.print(f"  skipped {ref.name}: {exc}", highlight=False, soft_wrap=True)
                continue
            c = len(composite_rows)
            dims = display_size(*sample.composite.shape[:2], size)
            prepared = prepare(sample, size, "squash")
            mask = resize(np.asarray(prepared.mask, dtype=np.float32).reshape(prepared.mask.shape[:2]), dims)
            composite_rows.append((ref.name, store(hint_picture(mask)),
                                   fingerprint(sample.composite, to_uint8(sample.mask * 255))))
            # through the contestants' own pipeline (squash to size, back to the aspect), so that sharpness does
            # not tell a catch screen apart
            intact = resize(prepared.target if prepared.target is not None else prepared.composite, dims)
            variants = len(range(c, pool_size, n_refs))  # catch k is composite k % n, colour cast k // n
            intact_id = store(intact) if variants else None
            pool += [(c, intact_id, store(degrade(intact, mask, variant))) for variant in range(variants)]
            composite_t, mask_t = to_tensors(prepared)
            for m, contestant in enumerate(contestants):
                if contestant.run is not None:
                    picture = contestant.run.output(ref.name)
                    _check_run_output(contestant, ref.name, picture, sample, dataset.fingerprint)
                else:
                    result = harmonize(contestant.model, composite_t.to(device), mask_t.to(device))
                    picture = to_uint8(result[0].permute(1, 2, 0).cpu().numpy())
                outputs[(c, m)] = store(resize(picture, dims))
            console.print(f"  [{c + 1}/{len(dataset.refs)}] {ref.name}", highlight=False)
        if not composite_rows:
            raise DataError(f"{dataset.root}: none of the {len(dataset.refs)} composites could be read")

        items = build_schedule(len(composite_rows), len(contestants), seed=seed)
        n_pairs = sum(i.kind == PAIR for i in items)
        repeats, catches = session_length_bound(n_pairs, design)
        items = add_catch_items(items, pool)

        meta = {
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "harmbench_version": __version__,
            "composites": {"path": str(dataset.root), "name": dataset.name, "kind": dataset.kind,
                           "fingerprint": getattr(dataset, "fingerprint", None), "skipped": skipped,
                           "problems": list(dataset.problems)},
            "size": size,
            "display_size": display,
            "resize": "squash",
            "display": "method output resized back to the composite's aspect ratio, long side = size (Lanczos); "
                       f"shown as JPEG (quality {JPEG_QUALITY}, 4:4:4) with long side <= display_size, full PNG in "
                       "the zoom view",
            "allow_mixed_sizes": allow_mixed_sizes,
            "seed": seed,
            "design": design.to_dict(),
            "catch_trials": "intact picture (ground truth where the data has it, else the composite) vs the same "
                            "picture with a strong colour cast on the foreground",
            "completion_code": secrets.token_hex(4).upper(),
            "methods": {c.name: c.describe() for c in contestants},
        }
        write_study(out, meta=meta, methods=[c.name for c in contestants], images=images, composites=composite_rows,
                    outputs=outputs, items=items)
    except BaseException:
        # Leave no half-filled image folder behind: remove what this call wrote, then re-raise.
        for image in images:
            (files_dir / image.full_file).unlink(missing_ok=True)
            (files_dir / image.display_file).unlink(missing_ok=True)
        if not any(files_dir.iterdir()):
            files_dir.rmdir()
        raise
    console.print(f"{n_pairs} pairs on {len(composite_rows)} composites (+ {n_pairs} swapped repeats, "
                  f"{len(pool)} catch trials; a session holds up to {repeats} repeats and {catches} catch trials) "
                  f"-> {out} (images in {files_dir})")
    if skipped:
        console.print(f"{len(skipped)} composites skipped: {', '.join(skipped)}", highlight=False)
    return StudyDB(out)


def _check_run_output(contestant: Contestant, name: str, picture: np.ndarray, sample, data_fingerprint: str) -> None:
    """Refuse a saved output that was not made from this composite (same file name, another picture)."""
    from harmbench.data.resize import prepare

    run = contestant.run
    if run.summary.get("data", {}).get("fingerprint") == data_fingerprint and data_fingerprint:
        return  # the run read these very files (names and sizes match the study's composite folder)
    composite = prepare(sample, picture.shape[0], "squash").composite
    if picture.shape[:2] != composite.shape[:2]:
        composite = resize(composite, (picture.shape[1], picture.shape[0]))
    mask = resize(np.asarray(sample.mask, dtype=np.float32), (picture.shape[1], picture.shape[0]))
    difference = background_mismatch(picture, composite, mask)
    if difference > MISMATCH_LEVELS:
        raise StudyError(f"{run.images_dir / (name + '.png')}: its background differs from the study's composite "
                         f"'{name}' by {difference:.0f} levels (median); this run was made on other images with the "
                         "same names")
