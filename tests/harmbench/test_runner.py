"""The evaluation loop end to end on a tiny iHarmony4-layout dataset: rows, context, resume, shards, bad input,
and a run killed with SIGKILL that ends, after a rerun, with every image exactly once."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from harmbench import metrics
from harmbench.cli import app
from harmbench.results import ResultError, load_run
from harmbench.runner import evaluate, merge


def make_layout(root, n_real=3, per_real=2, shape=(40, 56), seed=0, subset="toy"):
    """A tiny iHarmony4 layout: reals, one mask per real, ``per_real`` retouched composites per mask."""
    rng = np.random.default_rng(seed)
    for folder in ("composite_images", "masks", "real_images"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    names = []
    for r in range(n_real):
        real = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
        mask = np.zeros(shape, np.uint8)
        top, left = rng.integers(2, shape[0] // 2), rng.integers(2, shape[1] // 2)
        mask[top:top + shape[0] // 3, left:left + shape[1] // 3] = 255
        Image.fromarray(real).save(root / "real_images" / f"t{r:04d}.png")
        Image.fromarray(mask).save(root / "masks" / f"t{r:04d}_1.png")
        for c in range(per_real):
            composite = real.astype(np.float32)
            composite[mask > 0] *= rng.uniform(0.5, 1.5, 3)
            name = f"t{r:04d}_1_{c + 1}.png"
            Image.fromarray(np.clip(composite, 0, 255).astype(np.uint8)).save(root / "composite_images" / name)
            names.append(name)
    (root / f"{subset}_test.txt").write_text("\n".join(names) + "\n")
    return names


@pytest.fixture
def toy(tmp_path):
    make_layout(tmp_path / "toy")
    return tmp_path / "toy"


def test_rows_summary_and_metric_values(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", progress=False)
    run = load_run(out)
    assert len(run.rows) == 6 and run.summary["n_images"] == 6 and run.summary["complete"]
    assert run.summary["kind"] == "quality"
    assert run.summary["profile"] == {"name": "cdtnet", "version": metrics.get_profile("cdtnet").version}
    for key in ("method", "config", "data", "size", "resize", "env", "means", "skipped"):
        assert key in run.summary
    row = run.rows[0]
    assert row["eval_size"] == [64, 64] and row["original_size"] == [40, 56]
    assert 0 < row["fg_ratio"] < 0.5
    assert row["mse"] > 0 and row["fmse"] > row["mse"]  # the composite differs only inside the mask
    assert run.summary["means"]["mse"] == pytest.approx(np.mean([r["mse"] for r in run.rows]))


def test_resume_finishes_the_rest_without_duplicates(toy, tmp_path):
    out = tmp_path / "run"
    evaluate("reinhard", 64, data=toy, out=out, limit=2, progress=False)
    first = load_run(out).rows
    evaluate("reinhard", 64, data=toy, out=out, progress=False)
    rows = load_run(out).rows
    assert len(rows) == 6 and rows[:2] == first
    assert len((out / "per_image.jsonl").read_text().splitlines()) == 6


def test_a_folder_with_another_context_is_refused(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", limit=1, progress=False)
    with pytest.raises(ResultError, match="different method"):
        evaluate("reinhard", 64, data=toy, out=out, progress=False)
    with pytest.raises(ResultError, match="different size"):
        evaluate("composite", 128, data=toy, out=out, progress=False)


def test_bad_files_are_skipped_and_counted(toy, tmp_path):
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(toy / "masks" / "t0001_1.png")  # wrong size, two composites
    (toy / "composite_images" / "t0002_1_1.png").write_bytes(b"not an image")
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", progress=False)
    run = load_run(out)
    assert len(run.rows) == 3
    assert len(run.summary["skipped"]) == 3
    assert any("t0001_1.png" in line for line in run.summary["skipped"])
    assert any("t0002_1_1.png" in line for line in run.summary["skipped"])


def test_shards_merge_to_the_full_run(toy, tmp_path):
    full = load_run(evaluate("composite", 64, data=toy, out=tmp_path / "full", progress=False))
    shards = [evaluate("composite", 64, data=toy, shard=f"{i}/2", out=tmp_path / f"s{i}", progress=False)
              for i in range(2)]
    assert {len(load_run(s).rows) for s in shards} == {3}
    merged = load_run(merge(shards, tmp_path / "merged"))
    assert sorted(r["name"] for r in merged.rows) == sorted(r["name"] for r in full.rows)
    assert merged.summary["means"]["mse"] == pytest.approx(full.summary["means"]["mse"])
    with pytest.raises(ValueError, match="i/N"):
        evaluate("composite", 64, data=toy, shard="2", out=tmp_path / "x", progress=False)


def test_saved_images_are_png_outputs(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", limit=1, save_images=True, progress=False)
    [png] = (out / "images").iterdir()
    assert png.suffix == ".png" and np.asarray(Image.open(png)).shape == (64, 64, 3)


@pytest.mark.parametrize("pipeline", [["--workers", "0"], ["--workers", "2", "--batch", "2", "--save-images"]],
                         ids=["plain", "pipelined"])
def test_sigkill_then_rerun_gives_every_image_exactly_once(tmp_path, pipeline):
    root = tmp_path / "many"
    names = make_layout(root, n_real=15, per_real=2, shape=(96, 128))
    out = tmp_path / "run"
    command = [sys.executable, "-c", "from harmbench.cli import main; main()", "run", "--method", "histmatch",
               "--size", "256", "--data", str(root), "--out", str(out), "--device", "cpu", *pipeline]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows_file = out / "per_image.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if rows_file.exists() and rows_file.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed; make the dataset larger"
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = rows_file.read_bytes().count(b"\n")
    assert 3 <= killed_at < len(names)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    lines = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert sorted(row["name"] for row in lines) == sorted(n.rsplit(".", 1)[0] for n in names)
    if "--save-images" in pipeline:  # every row's image was written before the row
        assert {p.stem for p in (out / "images").glob("*.png")} >= {row["name"] for row in lines}


def test_cli_run_prints_a_table_and_errors_are_one_line(toy, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["run", "--method", "composite", "--size", "256", "--data", str(toy),
                                 "--out", str(tmp_path / "run"), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "composite" in result.output
    result = runner.invoke(app, ["run", "--method", "cdtnet-1024", "--data", str(toy)])
    assert result.exit_code == 2
    assert "unknown method 'cdtnet-1024'" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["table", str(tmp_path / "run"), "--format", "md"])
    assert result.exit_code == 0 and "| composite |" in result.output
