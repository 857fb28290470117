"""read_real: the naming variants of real-composite folders, the one-line report of unmatched files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from harmbench.data import DataError, SampleLoader, read_real


def write_image(path: Path, value: int = 128) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((6, 8, 3), value, np.uint8)).save(path)
    return path


def write_mask(path: Path) -> Path:
    mask = np.zeros((6, 8), np.uint8)
    mask[1:4, 2:6] = 255
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask).save(path)
    return path


def pairs(dataset) -> dict[str, tuple[str, str]]:
    root = dataset.root
    return {r.name: (str(r.composite_path.relative_to(root)), str(r.mask_path.relative_to(root))) for r in dataset.refs}


def test_side_by_side_mask_suffix(tmp_path):
    write_image(tmp_path / "x.jpg")
    write_mask(tmp_path / "x_mask.png")
    write_image(tmp_path / "y.png")
    write_mask(tmp_path / "y-Mask.png")
    dataset = read_real(tmp_path)
    assert pairs(dataset) == {"x": ("x.jpg", "x_mask.png"), "y": ("y.png", "y-Mask.png")}
    assert (dataset.name, dataset.kind, dataset.split, dataset.problems) == (f"real:{tmp_path.name}", "real", None, [])
    assert all(r.target_path is None for r in dataset.refs)


@pytest.mark.parametrize("composites, masks", [("composite", "mask"), ("composites", "masks"),
                                                 ("composite", "composite_mask"), ("image", "mask")])
def test_subfolders_with_equal_stems(tmp_path, composites, masks):
    for stem in ("1", "2"):
        write_image(tmp_path / composites / f"{stem}.jpg")
        write_mask(tmp_path / masks / f"{stem}.png")
    assert pairs(read_real(tmp_path)) == {stem: (f"{composites}/{stem}.jpg", f"{masks}/{stem}.png")
                                          for stem in ("1", "2")}


def test_cdtnet_predict_for_dir_naming(tmp_path):
    # predict_for_dir derives the mask as the composite stem without its last two characters: x_1.jpg -> x.png.
    write_image(tmp_path / "side" / "beach_1.jpg")
    write_image(tmp_path / "side" / "beach_2.jpg")
    write_mask(tmp_path / "side" / "beach.png")
    assert pairs(read_real(tmp_path / "side")) == {"beach_1": ("beach_1.jpg", "beach.png"),
                                                   "beach_2": ("beach_2.jpg", "beach.png")}
    write_image(tmp_path / "split" / "images" / "dog_1.jpg")
    write_mask(tmp_path / "split" / "masks" / "dog.png")
    assert pairs(read_real(tmp_path / "split")) == {"dog_1": ("images/dog_1.jpg", "masks/dog.png")}


def test_composites_in_root_masks_in_subfolder(tmp_path):
    write_image(tmp_path / "x.jpg")
    write_mask(tmp_path / "masks" / "x.png")
    assert pairs(read_real(tmp_path)) == {"x": ("x.jpg", "masks/x.png")}


def test_unmatched_files_are_one_problem_line(tmp_path):
    write_image(tmp_path / "x.jpg")
    write_mask(tmp_path / "x_mask.png")
    write_image(tmp_path / "lonely.jpg")
    write_mask(tmp_path / "orphan_mask.png")
    (tmp_path / "notes.txt").write_text("not an image, ignored")
    dataset = read_real(tmp_path)
    assert [r.name for r in dataset.refs] == ["x"]
    assert len(dataset.problems) == 1
    assert dataset.problems[0].startswith(f"{tmp_path}: 2 files fit no composite/mask pair")
    assert "lonely.jpg" in dataset.problems[0] and "orphan_mask.png" in dataset.problems[0]


def test_no_pair_at_all_is_an_error(tmp_path):
    write_image(tmp_path / "a.jpg")
    write_image(tmp_path / "b.jpg")
    with pytest.raises(DataError, match=r"no composite/mask pairs found among 2 image files"):
        read_real(tmp_path)
    with pytest.raises(DataError, match=r"gone: missing"):
        read_real(tmp_path / "gone")


def test_fingerprint_tracks_the_listing_and_loader_reads_pairs(tmp_path):
    write_image(tmp_path / "x.jpg")
    write_mask(tmp_path / "x_mask.png")
    before = read_real(tmp_path).fingerprint
    assert read_real(tmp_path).fingerprint == before
    write_image(tmp_path / "y.jpg")
    write_mask(tmp_path / "y_mask.png")
    dataset = read_real(tmp_path)
    assert dataset.fingerprint != before
    sample = SampleLoader().load(dataset.refs[1])
    assert sample.name == "y" and sample.target is None and sample.mask.sum() == 12
