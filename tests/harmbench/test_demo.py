"""The demo job on a tiny plan: re-runnable after its checkpoints are deleted, replaces results made with other
weights, --fresh starts over within its own folders, and it ends with a figure and the report."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
import torch
from PIL import Image
from rich.console import Console

from harmbench.data.synth import make_synthetic
from harmbench.demo import LEARNED, REFERENCES, DemoPlan, run_demo
from harmbench.registry import file_sha256

TINY = DemoPlan(size=48, base_epochs=1, cdtnet_epochs=1, lr_size=16, train_size=32, val_images=1, batch_size=2,
                workers=0, figure_images=2)


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_synthetic(tmp_path_factory.mktemp("demo") / "synthetic", size=48, n_train=4, n_test=2)


def demo(tmp_path: Path, data: Path, plan: DemoPlan = TINY, **kwargs):
    console = Console(file=StringIO(), width=200)
    outcome = run_demo(plan, data=data, out=tmp_path / "results", checkpoints=tmp_path / "checkpoints",
                       progress=False, console=console, **kwargs)
    return outcome, console.file.getvalue()


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text())


def test_runs_again_after_its_checkpoints_are_deleted(tmp_path, data):
    first, _ = demo(tmp_path, data)
    assert [folder.name for folder in first.runs] == [f"{name}-48" for name in (*REFERENCES, *LEARNED)]
    checkpoint = tmp_path / "checkpoints" / "cdtnet-256" / "last.pt"
    sha = file_sha256(checkpoint)
    assert summary(first.runs[-1])["weights"]["sha256"] == sha

    shutil.rmtree(tmp_path / "checkpoints")
    again, said = demo(tmp_path, data)  # retrains to the same bytes: every cached result still fits
    assert again.runs == first.runs and file_sha256(checkpoint) == sha
    assert "evaluating again" not in said

    with Image.open(again.figure) as figure:
        # columns: composite, ground truth, reinhard, histmatch and the two CDTNet variants; two rows of images
        assert figure.format == "PNG" and figure.width > 6 * 48 and figure.height > 2 * 48
    page = again.report.read_text()  # the static report of every run, with the learned-vs-composite gallery
    assert again.report.name == "index.html" and all(f"{name}" in page for name in (*REFERENCES, *LEARNED))
    assert "cdtnet-256-sim" in page.split("gallery", 1)[-1]


def test_results_made_with_other_weights_are_evaluated_again(tmp_path, data):
    first, _ = demo(tmp_path, data)
    other, said = demo(tmp_path, data, replace(TINY, cdtnet_epochs=2))
    checkpoint = tmp_path / "checkpoints" / "cdtnet-256" / "last.pt"
    assert torch.load(checkpoint, weights_only=True)["epoch"] == 2
    assert "reusing" in said and "trained with another demo plan" in said  # iSSAM kept, CDTNet retrained
    for folder in other.runs[-2:]:
        assert f"{folder}: holds other weights; evaluating again" in said
        assert summary(folder)["weights"]["sha256"] == file_sha256(checkpoint) and summary(folder)["complete"]


def test_fresh_deletes_only_its_own_folders(tmp_path, data):
    demo(tmp_path, data, replace(TINY, train=False))
    mine = tmp_path / "results" / "reinhard-48" / "summary.json"
    before = summary(mine.parent)["started"]
    (tmp_path / "results" / "stray.txt").write_text("left by a previous demo")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("not the demo's")
    outcome, said = demo(tmp_path, data, replace(TINY, train=False), fresh=True)
    assert "--fresh: deleting" in said
    assert not (tmp_path / "results" / "stray.txt").exists() and (tmp_path / "elsewhere" / "keep.txt").exists()
    assert mine.exists() and summary(mine.parent)["started"] >= before
    assert len(outcome.runs) == len(REFERENCES) and outcome.figure.is_file()
