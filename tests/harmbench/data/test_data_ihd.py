"""read_ihd on tiny iHarmony4 layouts, and open_dataset's choice of reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import harmbench.data.synth as synth
from harmbench.data import DataError, open_dataset, read_ihd


def write_image(path: Path, value: int = 128, size=(6, 8)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((*size, 3), value, np.uint8)).save(path)


def make_subset(folder: Path, prefix: str, reals: int = 2, masks: int = 1, per_mask: int = 5,
                real_ext: str = ".jpg", split: str = "test") -> list[str]:
    """An iHarmony4 subset folder; returns the composite file names written to <Subset>_<split>.txt."""
    names = []
    for r in range(1, reals + 1):
        real = f"{prefix}{r:04d}"
        write_image(folder / "real_images" / f"{real}{real_ext}")
        for m in range(1, masks + 1):
            write_image(folder / "masks" / f"{real}_{m}.png", 255)
            for n in range(1, per_mask + 1):
                names.append(f"{real}_{m}_{n}.jpg")
                write_image(folder / "composite_images" / names[-1], 100 + n)
    (folder / f"{folder.name}_{split}.txt").write_text("\n".join(reversed(names)) + "\n")
    return names


def test_single_subset_folder(tmp_path):
    root = tmp_path / "HAdobe5k"
    names = make_subset(root, "a", reals=2, masks=2, per_mask=5)
    dataset = read_ihd(root)
    assert (dataset.name, dataset.kind, dataset.split, dataset.root) == ("HAdobe5k", "ihd", "test", root)
    assert len(dataset.refs) == len(names) == 20 and dataset.problems == []
    ref = next(r for r in dataset.refs if r.name == "a0002_1_3")
    assert ref.subset == "HAdobe5k"
    assert ref.composite_path == root / "composite_images" / "a0002_1_3.jpg"
    assert ref.mask_path == root / "masks" / "a0002_1.png"
    assert ref.target_path == root / "real_images" / "a0002.jpg"
    # The split file is listed backwards; composites of one real image must still come out adjacent.
    reals = [r.target_path.stem for r in dataset.refs]
    assert reals == sorted(reals)
    assert [r.mask_path.stem for r in dataset.refs[:5]] == ["a0001_1"] * 5
    assert len(dataset.fingerprint) == 64


def test_real_images_may_be_png(tmp_path):
    root = tmp_path / "synthetic"
    make_subset(root, "s", reals=1, per_mask=2, real_ext=".png")
    dataset = read_ihd(root)
    assert [r.target_path.name for r in dataset.refs] == ["s0001.png", "s0001.png"]


def test_root_with_several_subsets_and_subset_filter(tmp_path):
    make_subset(tmp_path / "HAdobe5k", "a", reals=2, per_mask=5)
    make_subset(tmp_path / "HCOCO", "c", reals=3, per_mask=1)
    (tmp_path / "IHD_test.txt").write_text("HAdobe5k/composite_images/a0001_1_1.jpg\n")  # combined list: ignored
    everything = read_ihd(tmp_path)
    assert everything.name == "iHarmony4"
    assert len(everything.refs) == 13
    assert {r.subset for r in everything.refs} == {"HAdobe5k", "HCOCO"}
    adobe = read_ihd(tmp_path, subset="HAdobe5k")
    assert adobe.name == "HAdobe5k" and len(adobe.refs) == 10
    assert adobe.fingerprint != everything.fingerprint
    with pytest.raises(DataError, match=r"no subset HFlickr \(found: .*HAdobe5k"):
        read_ihd(tmp_path, subset="HFlickr")


def test_listed_but_absent_files_become_problem_lines(tmp_path):
    root = tmp_path / "HAdobe5k"
    make_subset(root, "a", reals=3, per_mask=2)
    (root / "composite_images" / "a0001_1_2.jpg").unlink()
    (root / "masks" / "a0002_1.png").unlink()
    (root / "real_images" / "a0003.jpg").unlink()
    with (root / "HAdobe5k_test.txt").open("a") as split_file:
        split_file.write("a0001_1_1.jpg\n\nnounderscore.jpg\n")
    dataset = read_ihd(root)
    assert [r.name for r in dataset.refs] == ["a0001_1_1"]
    problems = "\n".join(dataset.problems)
    assert len(dataset.problems) == 7
    assert f"{root / 'composite_images' / 'a0001_1_2.jpg'}: missing (listed in HAdobe5k_test.txt)" in problems
    assert f"{root / 'masks' / 'a0002_1.png'}: missing (mask of a0002_1_1" in problems
    assert f"{root / 'masks' / 'a0002_1.png'}: missing (mask of a0002_1_2" in problems
    assert f"{root / 'real_images' / 'a0003.jpg'}: missing (real image of a0003_1_1" in problems
    assert "a0001_1_1.jpg: listed twice" in problems
    assert "nounderscore.jpg: name does not follow" in problems


def test_missing_root_split_file_or_everything_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"nowhere: missing"):
        read_ihd(tmp_path / "nowhere")
    root = tmp_path / "HAdobe5k"
    make_subset(root, "a", reals=1, per_mask=1)
    with pytest.raises(DataError, match=r"HAdobe5k_train\.txt: missing \(split file"):
        read_ihd(root, split="train")
    with pytest.raises(DataError, match=r"holds subset HAdobe5k, not HCOCO"):
        read_ihd(root, subset="HCOCO")
    (root / "composite_images" / "a0001_1_1.jpg").unlink()
    with pytest.raises(DataError, match=r"none of the 1 listed composites is usable \(first: .*a0001_1_1\.jpg: mis"):
        read_ihd(root)
    (root / "HAdobe5k_test.txt").write_text("\n")
    with pytest.raises(DataError, match=r"HAdobe5k_test\.txt: lists no composites"):
        read_ihd(root)
    with pytest.raises(DataError, match=r"not an iHarmony4 folder"):
        read_ihd(tmp_path / "HAdobe5k" / "masks")


def test_train_split_and_fingerprint_follow_the_split_file(tmp_path):
    root = tmp_path / "HAdobe5k"
    make_subset(root, "a", reals=2, per_mask=2)
    make_subset(root, "a", reals=1, per_mask=3, split="train")
    assert len(read_ihd(root, split="train").refs) == 3
    before = read_ihd(root).fingerprint
    assert read_ihd(root).fingerprint == before
    (root / "HAdobe5k_test.txt").write_text("a0001_1_1.jpg\n")
    assert read_ihd(root).fingerprint != before


def test_open_dataset_picks_the_reader(tmp_path):
    make_subset(tmp_path / "iHarmony4" / "HAdobe5k", "a", reals=1, per_mask=2)
    assert open_dataset(tmp_path / "iHarmony4").kind == "ihd"
    assert open_dataset(tmp_path / "iHarmony4" / "HAdobe5k", subset="HAdobe5k").name == "HAdobe5k"
    real = tmp_path / "mine"
    write_image(real / "x.jpg")
    write_image(real / "x_mask.png", 255)
    dataset = open_dataset(real, split="test")
    assert (dataset.kind, dataset.name, dataset.split) == ("real", "real:mine", None)
    with pytest.raises(DataError, match=r"subset 'HAdobe5k' given, but this is a folder of real composites"):
        open_dataset(real, subset="HAdobe5k")
    with pytest.raises(DataError, match=r"absent: missing"):
        open_dataset(tmp_path / "absent")
    with pytest.raises(DataError, match=r"x\.jpg: not a folder"):
        open_dataset(real / "x.jpg")


def test_open_dataset_default_is_the_cached_synthetic_set(tmp_path, monkeypatch):
    monkeypatch.setenv("HARMBENCH_DATA", str(tmp_path))
    made = []

    def small_synthetic(out, **_):  # the real default (1024 px) takes tens of seconds
        made.append(out)
        return synth_make(out, size=24, n_train=4, n_test=4)

    synth_make = synth.make_synthetic
    monkeypatch.setattr(synth, "make_synthetic", small_synthetic)
    first = open_dataset()
    assert (first.name, first.kind, first.split, len(first.refs)) == ("synthetic", "ihd", "test", 4)
    assert first.root == tmp_path / "synthetic"
    assert len(open_dataset(split="train").refs) == 4
    assert made == [tmp_path / "synthetic"]  # made once, then reused


def test_a_split_file_that_is_not_utf8_is_one_line_naming_it(tmp_path):
    root = tmp_path / "HAdobe5k"
    names = make_subset(root, "a", reals=1, per_mask=2)
    split = root / "HAdobe5k_test.txt"
    split.write_bytes("\n".join(names).encode("utf-16"))
    with pytest.raises(DataError, match=r"HAdobe5k_test\.txt: not UTF-8 text \(byte 0 is 0xff\)"):
        read_ihd(root)
    split.write_bytes(b"\xef\xbb\xbf" + "\n".join(names).encode())  # UTF-8 with a byte-order mark is fine
    assert len(read_ihd(root).refs) == 2
