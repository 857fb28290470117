"""Reader for the iHarmony4 layout (HCOCO, HAdobe5k, HFlickr, Hday2night, and our synthetic set).

Each subset folder holds ``composite_images/``, ``masks/``, ``real_images/`` and split files ``<Subset>_train.txt``
/ ``<Subset>_test.txt`` listing bare composite file names. Naming (iSSAM/CDTNet ``hdataset.py``): composite
``a0001_1_2.jpg`` -> mask ``masks/a0001_1.png`` (all but the last ``_`` field) -> real ``real_images/a0001.jpg``
(the first ``_`` field). Extensions are matched loosely (a ``.png`` real image where ``.jpg`` is expected is
accepted), because converted copies of the data and our synthetic set use PNG.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from harmbench.data.dataset import Dataset, file_stamps, image_files_by_stem
from harmbench.data.sample import DataError, SampleRef

COMPOSITES, MASKS, REALS = "composite_images", "masks", "real_images"
COMBINED_PREFIX = "IHD_"  # the root's IHD_train.txt / IHD_test.txt repeat the per-subset lists


def is_subset_folder(folder: Path) -> bool:
    """A folder in the iHarmony4 subset layout: composite_images/ plus real_images/ or a split file."""
    if not (folder / COMPOSITES).is_dir():
        return False
    return (folder / REALS).is_dir() or any(folder.glob("*_train.txt")) or any(folder.glob("*_test.txt"))


def is_ihd_root(folder: Path) -> bool:
    """A subset folder, or a folder holding subset folders."""
    folder = Path(folder)
    if is_subset_folder(folder):
        return True
    return folder.is_dir() and any(is_subset_folder(child) for child in folder.iterdir() if child.is_dir())


def _subset_split_file(folder: Path, name: str, split: str, root: Path) -> Path:
    for candidate in (folder / f"{name}_{split}.txt", root / f"{name}_{split}.txt"):
        if candidate.is_file():
            return candidate
    raise DataError(f"{folder / f'{name}_{split}.txt'}: missing (split file of subset {name})")


def _single_subset(root: Path, split: str) -> tuple[str, Path]:
    """The subset name and split file of a subset folder given directly as the root."""
    own = root / f"{root.name}_{split}.txt"
    if own.is_file():
        return root.name, own
    candidates = sorted(p for p in root.glob(f"*_{split}.txt") if not p.name.startswith(COMBINED_PREFIX))
    if len(candidates) == 1:
        return candidates[0].name[: -len(f"_{split}.txt")], candidates[0]
    if not candidates:
        raise DataError(f"{own}: missing (split file; expected <Subset>_{split}.txt next to {COMPOSITES}/)")
    raise DataError(f"{root}: several split files for '{split}' ({', '.join(p.name for p in candidates)}); "
                    "keep one per subset folder")


def _pick(listing: dict[str, list[str]], stem: str, preferred: str) -> str | None:
    """File name for ``stem``: ``preferred`` when present, else the first other image extension."""
    names = listing.get(stem)
    if not names:
        return None
    return preferred if preferred in names else names[0]


def _split_lines(split_file: Path, data: bytes) -> list[str]:
    """The lines of a split file (UTF-8, a byte-order mark allowed); anything else is a DataError naming the file."""
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(f"{split_file}: not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); save the split "
                        "file as UTF-8") from None


def _read_subset(name: str, folder: Path, split_file: Path, lines: list[str], refs: list[SampleRef],
                 problems: list[str], seen: set[str]) -> int:
    """Append the usable composites of one subset (``lines`` of its split file) to ``refs``; return how many lines
    the split file listed."""
    composites = image_files_by_stem(folder / COMPOSITES)
    masks = image_files_by_stem(folder / MASKS)
    reals = image_files_by_stem(folder / REALS)
    listed = 0
    for line in lines:
        entry = line.strip().replace("\\", "/").rsplit("/", 1)[-1]
        if not entry:
            continue
        listed += 1
        stem = Path(entry).stem
        composite_path = folder / COMPOSITES / entry
        if stem in seen:
            problems.append(f"{composite_path}: listed twice (in {split_file.name}); evaluated once")
            continue
        seen.add(stem)
        fields = stem.split("_")
        if len(fields) < 2:
            problems.append(f"{composite_path}: name does not follow <real>_<mask>_<n> (listed in {split_file.name})")
            continue
        composite_name = _pick(composites, stem, entry)
        if composite_name is None:
            problems.append(f"{composite_path}: missing (listed in {split_file.name})")
            continue
        mask_stem, real_stem = "_".join(fields[:-1]), fields[0]
        mask_name = _pick(masks, mask_stem, mask_stem + ".png")
        if mask_name is None:
            problems.append(f"{folder / MASKS / (mask_stem + '.png')}: missing (mask of {stem}, "
                            f"listed in {split_file.name})")
            continue
        real_name = _pick(reals, real_stem, real_stem + ".jpg")
        if real_name is None:
            problems.append(f"{folder / REALS / (real_stem + '.jpg')}: missing (real image of {stem}, "
                            f"listed in {split_file.name})")
            continue
        refs.append(SampleRef(name=stem, subset=name, composite_path=folder / COMPOSITES / composite_name,
                              mask_path=folder / MASKS / mask_name, target_path=folder / REALS / real_name))
    return listed


def read_ihd(root, split: str = "test", subset: str | None = None) -> Dataset:
    """List ``split`` of an iHarmony4 root (subset folders inside) or of a single subset folder.

    ``subset`` keeps one subset. Listed files that are absent become ``problems`` lines; a missing root, split file
    or subset is a DataError.
    """
    root = Path(root)
    if not root.exists():
        raise DataError(f"{root}: missing")
    if not root.is_dir():
        raise DataError(f"{root}: not a folder")
    if is_subset_folder(root):
        name, split_file = _single_subset(root, split)
        if subset is not None and subset != name:
            raise DataError(f"{root}: holds subset {name}, not {subset}")
        subsets = [(name, root, split_file)]
    else:
        folders = sorted(child for child in root.iterdir() if child.is_dir() and is_subset_folder(child))
        if not folders:
            raise DataError(f"{root}: not an iHarmony4 folder (no {COMPOSITES}/ with {REALS}/ or split files, "
                            "in it or in its subfolders)")
        if subset is not None:
            folders = [f for f in folders if f.name == subset]
            if not folders:
                available = ", ".join(child.name for child in root.iterdir() if is_subset_folder(child))
                raise DataError(f"{root}: no subset {subset} (found: {available})")
        subsets = [(f.name, f, _subset_split_file(f, f.name, split, root)) for f in folders]

    refs: list[SampleRef] = []
    problems: list[str] = []
    seen: set[str] = set()
    digest = hashlib.sha256()
    listed = 0
    for name, folder, split_file in subsets:
        data = split_file.read_bytes()
        digest.update(f"{name}/{split_file.name}\n".encode())
        digest.update(data)
        listed += _read_subset(name, folder, split_file, _split_lines(split_file, data), refs, problems, seen)
    if not refs:
        files = ", ".join(str(s[2]) for s in subsets)
        if not listed:
            raise DataError(f"{files}: lists no composites")
        raise DataError(f"{files}: none of the {listed} listed composites is usable (first: {problems[0]})")
    # Composites of one real image next to each other: the loader then decodes each real image once.
    refs.sort(key=lambda ref: (ref.subset, ref.target_path.stem, ref.mask_path.stem, ref.name))
    stamps, modified = file_stamps(root, refs)
    for stamp in stamps:
        digest.update(f"{stamp}\n".encode())
    dataset_name = subsets[0][0] if len(subsets) == 1 else "iHarmony4"
    return Dataset(name=dataset_name, root=root, kind="ihd", split=split, refs=refs, problems=problems,
                   fingerprint=digest.hexdigest(), modified=modified)
