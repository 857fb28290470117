"""Figure-3-style grids: layout (rows x columns), outline on the mask contour, zoom inset, clear errors."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.figures import OUTLINE_COLOR, ZOOM_COLOR, FigureError, add_zoom_inset, make_figure, outline, zoom_box

REAL_COMPOSITE = Path(__file__).resolve().parents[1] / "fixtures" / "real_composite"  # tests/fixtures/README.md


def make_real_folder(root: Path, count: int = 3, shape=(60, 80)) -> Path:
    root.mkdir(parents=True)
    rng = np.random.default_rng(1)
    for k in range(1, count + 1):
        h, w = shape
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(root / f"{k}.png")
        mask = np.zeros((h, w), np.uint8)
        mask[10:30, 20:50] = 255
        Image.fromarray(mask).save(root / f"{k}_mask.png")
    return root


def make_run(root: Path, method: str, data_root: Path, names, size: int = 64, colour=(0, 128, 255)) -> Path:
    (root / "images").mkdir(parents=True)
    for name in names:
        Image.new("RGB", (size, size), colour).save(root / "images" / f"{name}.png")
    summary = {"method": method, "size": size, "resize": "squash",
               "data": {"name": "real", "root": str(data_root), "kind": "real", "split": None, "subset": None}}
    (root / "summary.json").write_text(json.dumps(summary))
    (root / "per_image.jsonl").write_text("".join(json.dumps({"name": n, "psnr": 30.0 + i, "fmse": 100.0}) + "\n"
                                                  for i, n in enumerate(names)))
    return root


def test_outline_follows_the_mask_contour():
    image = np.zeros((40, 40, 3), np.uint8)
    mask = np.zeros((40, 40), np.float32)
    mask[10:30, 10:30] = 1
    out = outline(image, mask, width=1)
    painted = np.all(out == OUTLINE_COLOR, axis=-1)
    assert painted[10, 15] and painted[9, 15] and painted[20, 29] and painted[20, 30]  # both sides of the edge
    assert not painted[20, 20] and not painted[2, 2] and not painted[5, 15]  # not deep inside or far outside
    assert painted.sum() == 22 ** 2 - 18 ** 2  # dilation minus erosion of the 20 x 20 square (3x3 filters)
    assert np.array_equal(image, np.zeros_like(image))  # input untouched


def test_zoom_box_and_inset():
    mask = np.zeros((100, 200), np.float32)
    mask[70:90, 150:170] = 1
    left, top, right, bottom = zoom_box(mask)
    assert 0 <= left < 150 / 200 and right >= 170 / 200 and top < 0.7 and bottom >= 0.9
    assert (right - left) * 200 == pytest.approx((bottom - top) * 100, abs=1)  # square in pixels
    assert zoom_box(np.zeros((10, 10))) is None
    tile = np.zeros((100, 200, 3), np.uint8)
    source = np.full((400, 800, 3), 200, np.uint8)
    out = add_zoom_inset(tile, source, (left, top, right, bottom))
    assert np.all(out[5, 5] == 200)  # inset pasted top-left, opposite the bottom-right foreground
    assert np.all(out[0, 0] == ZOOM_COLOR)  # framed
    assert np.all(out[50, 100] == 0)  # centre untouched


def test_figure_layout_and_cli(tmp_path):
    data = make_real_folder(tmp_path / "real")
    names = ["1", "2", "3"]
    runs = [make_run(tmp_path / "a", "reinhard", data, names, colour=(0, 128, 255)),
            make_run(tmp_path / "b", "histmatch", data, names, colour=(255, 128, 0))]
    figure = make_figure(runs, n_images=2, cell=64)
    # no ground truth for real composites: columns = composite + 2 runs
    assert figure.width == 3 * 64 + 4 * 4
    assert figure.height > 2 * 48
    pixels = np.asarray(figure)
    assert np.any(np.all(pixels == (0, 128, 255), axis=-1)) and np.any(np.all(pixels == (255, 128, 0), axis=-1))
    assert np.any(np.all(pixels == OUTLINE_COLOR, axis=-1))
    zoomed = np.asarray(make_figure(runs, names=["2"], zoom=True, cell=64))
    assert np.any(np.all(zoomed == ZOOM_COLOR, axis=-1))

    out = tmp_path / "fig.png"
    result = CliRunner().invoke(app, ["figure", str(runs[0]), str(runs[1]), "--images", "3", "--out", str(out),
                                      "--zoom", "--cell", "64"])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.width == figure.width and image.height > figure.height  # three rows now


def test_figure_errors(tmp_path):
    data = make_real_folder(tmp_path / "real")
    good = make_run(tmp_path / "good", "reinhard", data, ["1", "2"])
    no_images = tmp_path / "no_images"
    no_images.mkdir()
    (no_images / "summary.json").write_text((good / "summary.json").read_text())
    with pytest.raises(FigureError, match="no saved images"):
        make_figure([good, no_images])
    with pytest.raises(FigureError, match="not a run folder"):
        make_figure([tmp_path])
    with pytest.raises(FigureError, match="no saved output for '7'"):
        make_figure([good], names=["7"])
    other = make_run(tmp_path / "other", "histmatch", tmp_path / "elsewhere", ["1"])
    with pytest.raises(FigureError, match="one dataset"):
        make_figure([good, other])
    result = CliRunner().invoke(app, ["figure", str(no_images), "--out", str(tmp_path / "f.png")])
    assert result.exit_code == 2 and "--save-images" in result.output and "Traceback" not in result.output


def test_figure_from_real_runs_with_ground_truth(tmp_path):
    """Two real `harmbench run --save-images` runs on a tiny synthetic set: the ground-truth column appears."""
    from harmbench.data import make_synthetic
    from harmbench.runner import evaluate

    data = make_synthetic(tmp_path / "synthetic", size=64, n_train=0, n_test=3)
    runs = [evaluate(method, 64, data=data, split="test", save_images=True, out=tmp_path / method, progress=False)
            for method in ("composite", "reinhard")]
    figure = make_figure(runs, n_images=2, cell=64, zoom=True)
    assert figure.width == 4 * 64 + 5 * 4  # composite, ground truth, two runs


def test_figure_on_the_real_high_resolution_composite(tmp_path):
    run = make_run(tmp_path / "run", "reinhard", REAL_COMPOSITE, ["1"], size=256)
    figure = make_figure([run], names=["1"], zoom=True, cell=128)
    assert figure.width == 2 * 128 + 3 * 4
    pixels = np.asarray(figure)
    assert np.any(np.all(pixels == OUTLINE_COLOR, axis=-1)) and np.any(np.all(pixels == ZOOM_COLOR, axis=-1))
