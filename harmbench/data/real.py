"""Reader for folders of real composites: composite + mask pairs without ground truth.

The public sets (CDTNet's 100 high-resolution composites, the 99 of DoveNet's user study, Tsai et al.'s subset)
come with undocumented naming, so these layouts are all accepted:

* side by side: ``x.jpg`` + ``x_mask.png`` (or ``x-mask.png``);
* subfolders with equal stems: ``composite(s)/x.jpg`` (also ``image(s)/``, ``comp/``) + ``mask(s)/x.png``
  (also ``composite_mask/``, as libcom's test data);
* CDTNet's ``predict_for_dir`` rule: composite ``x_1.jpg`` -> mask ``x.png`` (the composite stem without its last
  ``_<n>``), side by side or in a mask subfolder;
* ``x.jpg`` + ``masks/x.png``.

Files that fit none of these are reported together in one ``problems`` line.
"""

from __future__ import annotations

import re
from pathlib import Path

from harmbench.data.dataset import Dataset, file_stamps, image_files_by_stem, sha256_text
from harmbench.data.sample import DataError, SampleRef

COMPOSITE_FOLDERS = ("composite", "composites", "composite_images", "comp", "comps", "image", "images")
MASK_FOLDERS = ("mask", "masks", "composite_mask", "composite_masks", "foreground_mask", "foreground_masks")
MASK_SUFFIXES = ("_mask", "-mask")
NUMBERED = re.compile(r"^(.+)_\d+$")  # CDTNet predict_for_dir: x_1 -> x
LAYOUTS = ("x.jpg + x_mask.png; composite/ + mask/ with equal names; x_1.jpg + x.png (CDTNet); "
           "x.jpg + masks/x.png")
LISTED_NAMES = 10


def _subfolder(folder: Path, names: tuple[str, ...]) -> Path | None:
    children = {child.name.lower(): child for child in folder.iterdir() if child.is_dir()}
    return next((children[name] for name in names if name in children), None)


def read_real_layout(folder: Path, split: str, subset: str | None) -> Dataset:
    """The registered reader: :func:`read_real`; ``split`` does not apply, and a ``subset`` is an error."""
    if subset is not None:
        raise DataError(f"{folder}: subset '{subset}' given, but this is a folder of real composites, not iHarmony4")
    return read_real(folder)


def read_real(folder) -> Dataset:
    """Pair composites with masks in ``folder`` (layouts in the module docstring)."""
    folder = Path(folder)
    if not folder.exists():
        raise DataError(f"{folder}: missing")
    if not folder.is_dir():
        raise DataError(f"{folder}: not a folder")
    composite_dir = _subfolder(folder, COMPOSITE_FOLDERS) or folder
    mask_dir = _subfolder(folder, MASK_FOLDERS) or folder
    side_by_side = composite_dir == mask_dir
    composites = image_files_by_stem(composite_dir)
    masks = composites if side_by_side else image_files_by_stem(mask_dir)

    if side_by_side:
        # A file is a mask if its name says so, or if it is the "x" of some composite "x_<n>" (CDTNet).
        mask_stems = {stem for stem in masks if stem.lower().endswith(MASK_SUFFIXES)}
        mask_stems |= {m.group(1) for m in map(NUMBERED.match, masks) if m and m.group(1) in masks}
        composite_stems = [stem for stem in composites if stem not in mask_stems]
    else:
        mask_stems = set(masks)
        composite_stems = list(composites)
    mask_by_lower = {stem.lower(): stem for stem in mask_stems}

    refs: list[SampleRef] = []
    problems: list[str] = []
    unmatched: list[str] = []
    used_masks: set[str] = set()
    subset = folder.resolve().name
    for stem in sorted(composite_stems):
        names = composites[stem]
        if len(names) > 1:
            problems.append(f"{composite_dir / names[1]}: same name as {names[0]}; composite names must be unique")
        candidates = [stem + suffix for suffix in MASK_SUFFIXES]
        if not side_by_side:
            candidates.append(stem)
        numbered = NUMBERED.match(stem)
        if numbered:
            candidates.append(numbered.group(1))
        mask_stem = next((mask_by_lower[c.lower()] for c in candidates if c.lower() in mask_by_lower), None)
        if mask_stem is None:
            unmatched.append(str((composite_dir / names[0]).relative_to(folder)))
            continue
        used_masks.add(mask_stem)
        refs.append(SampleRef(name=stem, subset=subset, composite_path=composite_dir / names[0],
                              mask_path=mask_dir / masks[mask_stem][0], target_path=None))
    unmatched += [str((mask_dir / masks[stem][0]).relative_to(folder)) for stem in sorted(mask_stems - used_masks)]

    if not refs:
        raise DataError(f"{folder}: no composite/mask pairs found among {sum(map(len, composites.values()))} "
                        f"image files (layouts understood: {LAYOUTS})")
    if unmatched:
        shown = ", ".join(unmatched[:LISTED_NAMES]) + (f", ... ({len(unmatched) - LISTED_NAMES} more)"
                                                       if len(unmatched) > LISTED_NAMES else "")
        problems.append(f"{folder}: {len(unmatched)} files fit no composite/mask pair ({LAYOUTS}): {shown}")
    stamps, modified = file_stamps(folder, refs)
    return Dataset(name=f"real:{subset}", root=folder, kind="real", split=None, refs=refs,
                   problems=problems, fingerprint=sha256_text(stamps), modified=modified)
