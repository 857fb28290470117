"""The synthetic set: layout, determinism, foreground spread, retouch on the foreground only; the data CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.data import DataError, SampleLoader, make_synthetic, read_ihd


def files_of(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    return make_synthetic(tmp_path_factory.mktemp("synth") / "synthetic", size=64, n_train=24, n_test=6, seed=3)


def test_layout_and_counts(small_set):
    train, test = read_ihd(small_set, split="train"), read_ihd(small_set, split="test")
    assert (train.name, len(train.refs), len(test.refs)) == ("synthetic", 24, 6)
    assert train.problems == test.problems == []
    assert {p.name for p in small_set.iterdir()} == {"composite_images", "masks", "real_images", "README.md",
                                                     "synthetic.json", "synthetic_train.txt", "synthetic_test.txt"}
    first = train.refs[0]
    assert (first.name, first.mask_path.name, first.target_path.name) == ("s0001_1_1", "s0001_1.png", "s0001.png")
    assert test.refs[0].name == "s0007_1_1"  # 24 train composites = 6 reals, 4 each; test continues the numbering
    readme = (small_set / "README.md").read_text()
    assert "| seed | 3 |" in readme and "64 x 64" in readme and "upsampled" in readme


def test_composites_differ_from_the_real_image_only_in_the_foreground(small_set):
    loader = SampleLoader()
    for ref in read_ihd(small_set, split="train").refs:
        sample = loader.load(ref)
        assert set(np.unique(sample.mask)) <= {0.0, 1.0}
        background = sample.mask == 0
        assert np.array_equal(sample.composite[background], sample.target[background])
        changed = np.abs(sample.composite.astype(int) - sample.target).max(axis=2)[~background]
        assert (changed > 0).mean() > 0.5, ref.name  # the retouch visibly changes most foreground pixels


def test_foreground_ratios_spread_and_masks_follow_the_design(small_set):
    manifest = json.loads((small_set / "synthetic.json").read_text())
    records = manifest["composites"]["train"] + manifest["composites"]["test"]
    ratios = np.array([r["fg_ratio"] for r in records])
    assert ratios.min() > 0 and ratios.min() < 0.06 and ratios.max() > 0.3
    assert {r["kind"] for r in records} == {"superpixels", "blob"}
    assert len({r["photo"] for r in records}) == 6


def test_same_seed_same_bytes_other_seed_other_images(tmp_path):
    first = files_of(make_synthetic(tmp_path / "a", size=32, n_train=4, n_test=4, seed=5))
    again = files_of(make_synthetic(tmp_path / "b", size=32, n_train=4, n_test=4, seed=5))
    assert first == again
    other = files_of(make_synthetic(tmp_path / "c", size=32, n_train=4, n_test=4, seed=6))
    assert first.keys() == other.keys()
    assert first["composite_images/s0001_1_1.png"] != other["composite_images/s0001_1_1.png"]


def test_test_images_do_not_depend_on_the_training_count(tmp_path):
    few = make_synthetic(tmp_path / "few", size=32, n_train=4, n_test=4, seed=0)
    many = make_synthetic(tmp_path / "many", size=32, n_train=8, n_test=4, seed=0)
    assert (few / "composite_images" / "s0002_2_2.png").read_bytes() == \
        (many / "composite_images" / "s0003_2_2.png").read_bytes()


def test_refuses_to_overwrite_other_data_but_replaces_a_synthetic_set(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "photo.jpg").write_bytes(b"precious")
    with pytest.raises(DataError, match=r"mine: exists and is not a synthetic set"):
        make_synthetic(tmp_path / "mine", size=32, n_train=4, n_test=0)
    out = make_synthetic(tmp_path / "set", size=32, n_train=8, n_test=4)
    make_synthetic(out, size=32, n_train=4, n_test=4)
    assert len(read_ihd(out, split="train").refs) == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind
    with pytest.raises(ValueError, match="positive number of composites"):
        make_synthetic(tmp_path / "none", size=32, n_train=0, n_test=0)


def test_cli_synth_and_check(tmp_path):
    runner = CliRunner()
    out = tmp_path / "synthetic"
    result = runner.invoke(app, ["data", "synth", "--out", str(out), "--size", "32", "--n-train", "4",
                                 "--n-test", "4", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert len(read_ihd(out).refs) == 4
    assert json.loads((out / "synthetic.json").read_text())["seed"] == 2
    result = runner.invoke(app, ["data", "check", str(out), "--split", "train", "--decode"])
    assert result.exit_code == 0, result.output
    assert "ok: 4 composites decoded" in result.output
    (out / "masks" / "s0001_1.png").unlink()
    result = runner.invoke(app, ["data", "check", str(out), "--split", "train"])
    assert result.exit_code == 1
    assert "s0001_1.png: missing (mask of s0001_1_1" in result.output
    result = runner.invoke(app, ["data", "check", str(tmp_path / "absent")])
    assert result.exit_code == 2
