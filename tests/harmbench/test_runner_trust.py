"""Runs that always finish and results that never mix: huge images, per-image failures, non-finite metrics,
merge checks, resume by shard, and one process per result folder (issue 11)."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from harmbench import metrics
from harmbench.cli import app
from harmbench.data import DataError, SampleLoader, SampleRef, read_image
from harmbench.results import ResultError, load_run
from harmbench.runner import evaluate, merge
from harmbench.tables import quality_table
from tests.harmbench.test_runner import make_layout


@pytest.fixture
def toy(tmp_path):
    make_layout(tmp_path / "toy")
    return tmp_path / "toy"


def declare_size(path, width, height):
    """Rewrite a PNG's header to declare ``width`` x ``height`` (the pixel data stays tiny): a decompression bomb."""
    data = bytearray(path.read_bytes())
    start = 8 + 8  # signature, then IHDR's length and type
    data[start:start + 8] = struct.pack(">II", width, height)
    data[start + 13:start + 17] = struct.pack(">I", zlib.crc32(bytes(data[start - 4:start + 13])))
    path.write_bytes(bytes(data))
    return path


# ---- 1. very large images


def test_an_image_over_the_pixel_limit_is_a_data_error_naming_it(tmp_path):
    path = tmp_path / "huge.png"
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(path)
    declare_size(path, 20000, 10000)  # 200 MP: Pillow's DecompressionBombError
    with pytest.raises(DataError, match=r"huge\.png: 20000x10000 = 200000000 pixels"):
        read_image(path)
    small = tmp_path / "small.png"
    Image.fromarray(np.zeros((4, 5, 3), np.uint8)).save(small)
    with pytest.raises(DataError, match="more than the limit of 19"):
        read_image(small, max_pixels=19)
    assert read_image(small, max_pixels=20).shape == (4, 5, 3)
    assert read_image(small, max_pixels=0).shape == (4, 5, 3)
    with pytest.raises(DataError, match="more than the limit"):
        SampleLoader(max_pixels=19).load(SampleRef("small", "real", str(small), str(small), None))


def test_a_huge_image_is_skipped_by_run_and_data_check(toy, tmp_path):
    declare_size(toy / "composite_images" / "t0000_1_1.png", 20000, 10000)
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", progress=False)
    run = load_run(out)
    assert len(run.rows) == 5 and run.summary["complete"]
    [line] = run.summary["skipped"]
    assert "t0000_1_1.png" in line and "pixels" in line
    result = CliRunner().invoke(app, ["data", "check", str(toy), "--decode"])
    assert result.exit_code == 1 and "t0000_1_1.png: 20000x10000" in result.output
    result = CliRunner().invoke(app, ["run", "--method", "composite", "--size", "64", "--data", str(toy),
                                      "--out", str(tmp_path / "small"), "--max-pixels", "100", "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert len(load_run(tmp_path / "small").summary["skipped"]) == 6


# ---- 2. per-image failures after decoding


def test_a_metric_error_skips_that_image_naming_it(tmp_path):
    make_layout(tmp_path / "toy", n_real=2, per_real=1, shape=(40, 56))
    make_layout(tmp_path / "tiny", n_real=1, per_real=1, shape=(6, 6))  # smaller than the 11x11 SSIM window
    tiny = tmp_path / "tiny" / "composite_images" / "t0000_1_1.png"
    tiny.rename(tmp_path / "toy" / "composite_images" / "t0001_1_1.png")
    (tmp_path / "tiny" / "real_images" / "t0000.png").replace(tmp_path / "toy" / "real_images" / "t0001.png")
    (tmp_path / "tiny" / "masks" / "t0000_1.png").replace(tmp_path / "toy" / "masks" / "t0001_1.png")
    for batch in (1, 2):
        out = evaluate("composite", 64, data=tmp_path / "toy", out=tmp_path / f"run{batch}", resize="none",
                       profile="harmbench", batch=batch, progress=False)
        run = load_run(out)
        assert [row["name"] for row in run.rows] == ["t0000_1_1"]
        [line] = run.summary["skipped"]
        assert "t0001_1_1.png" in line and "SSIM" in line
        assert run.summary["complete"]


# ---- 3. non-finite metric values


def test_nonfinite_metrics_are_null_with_a_reason_and_left_out_of_means(toy, tmp_path):
    real = toy / "real_images" / "t0000.png"
    Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(real)  # all black: PSNR -inf, SSIM NaN (cdtnet)
    for name in ("t0000_1_1.png", "t0000_1_2.png"):
        Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(toy / "composite_images" / name)
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", progress=False)
    text = (out / "per_image.jsonl").read_text() + (out / "summary.json").read_text()
    assert "Infinity" not in text and "NaN" not in text
    run = load_run(out)
    black = run.rows_by_name()["t0000_1_1"]
    assert black["psnr"] is None and black["nonfinite"]["psnr"] == "-inf"
    finite = [row["psnr"] for row in run.rows if row["psnr"] is not None]
    assert len(finite) == 4
    assert run.summary["means"]["psnr"] == pytest.approx(np.mean(finite))
    assert run.summary["means_excluded"]["psnr"] == 2
    assert all(np.isfinite(value) for value in run.summary["means"].values() if value is not None)
    table = quality_table([run])
    [row] = table.rows
    assert row["psnr"] == pytest.approx(np.mean(finite))
    assert any("2 image(s)" in note and "PSNR" in note for note in table.notes)


# ---- 4. merge


def shard_runs(toy, tmp_path, count, **options):
    return [evaluate("composite", 64, data=toy, shard=f"{i}/{count}", out=tmp_path / f"s{i}of{count}",
                     progress=False, **options) for i in range(count)]


def test_merge_refuses_an_out_that_holds_another_run(toy, tmp_path):
    shards = shard_runs(toy, tmp_path, 2)
    other = evaluate("reinhard", 64, data=toy, out=tmp_path / "other", limit=2, progress=False)
    before = (other / "per_image.jsonl").read_bytes()
    with pytest.raises(ResultError, match="different method"):
        merge(shards, other)
    assert (other / "per_image.jsonl").read_bytes() == before
    full = evaluate("composite", 64, data=toy, out=tmp_path / "full", progress=False)
    with pytest.raises(ResultError, match="not a merge"):
        merge(shards, full)
    with pytest.raises(ResultError, match="one of the shards"):
        merge(shards, shards[0])
    merge(shards, tmp_path / "merged")
    assert load_run(merge(shards, tmp_path / "merged")).summary["complete"]  # an earlier merge may be replaced


def test_merge_needs_every_shard_of_one_count_exactly_once(toy, tmp_path):
    halves, thirds = shard_runs(toy, tmp_path, 2), shard_runs(toy, tmp_path, 3)
    partial = load_run(merge(halves[:1], tmp_path / "partial")).summary
    assert not partial["complete"] and partial["missing_shards"] == ["1/2"]
    with pytest.raises(ResultError, match="given twice"):
        merge([halves[0], halves[0]], tmp_path / "twice")
    with pytest.raises(ResultError, match="different counts"):
        merge([halves[0], thirds[1]], tmp_path / "mixed")
    full = evaluate("composite", 64, data=toy, out=tmp_path / "full", progress=False)
    with pytest.raises(ResultError, match="not a shard"):
        merge([halves[0], full], tmp_path / "with-full")
    result = CliRunner().invoke(app, ["merge", str(thirds[0]), str(thirds[2]), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0 and "shards 1/3 not given" in result.output


def test_merged_folders_carry_the_images_or_say_they_have_none(toy, tmp_path):
    with_images = shard_runs(toy, tmp_path / "images", 2, save_images=True)
    merged = load_run(merge(with_images, tmp_path / "merged"))
    assert merged.summary["save_images"]
    assert {p.stem for p in (merged.path / "images").glob("*.png")} == {r["name"] for r in merged.rows}
    without = shard_runs(toy, tmp_path / "plain", 2)
    assert not load_run(merge(without, tmp_path / "plain-merged")).summary["save_images"]
    mixed = [with_images[0], without[1]]
    assert not load_run(merge(mixed, tmp_path / "mixed")).summary["save_images"]


# ---- 5. resume by shard


def test_a_folder_of_another_shard_is_refused(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, shard="0/2", out=tmp_path / "run", progress=False)
    with pytest.raises(ResultError, match="different shard"):
        evaluate("composite", 64, data=toy, shard="1/2", out=out, progress=False)
    with pytest.raises(ResultError, match="different shard"):
        evaluate("composite", 64, data=toy, out=out, progress=False)
    assert len(load_run(evaluate("composite", 64, data=toy, shard="0/2", out=out, progress=False)).rows) == 3


# ---- 6. one process per result folder


def test_a_second_process_on_the_same_folder_gets_one_line(toy, tmp_path):
    out = tmp_path / "run"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from harmbench.results import folder_lock\n"
                               f"with folder_lock(Path({str(out)!r})):\n print('locked', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        command = ["run", "--method", "composite", "--size", "64", "--data", str(toy), "--out", str(out),
                   "--workers", "0"]
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "another harmbench process is writing" in result.output and "Traceback" not in result.output
        assert not (out / "per_image.jsonl").exists()
        holder.send_signal(signal.SIGKILL)  # the lock goes with the process
        holder.wait()
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
        assert len(load_run(out).rows) == 6
    finally:
        holder.kill()
        holder.wait()


def test_a_failing_batch_is_rerun_image_by_image_so_only_the_bad_image_is_skipped(toy, tmp_path, monkeypatch):
    Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(toy / "real_images" / "t0001.png")
    for name in ("t0001_1_1.png", "t0001_1_2.png"):
        Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(toy / "composite_images" / name)
    compute_batch = metrics.compute_batch

    def failing_on_black(pred, target, mask, profile):
        if bool((target.flatten(1).amax(1) == 0).any()):
            raise RuntimeError("black target")
        return compute_batch(pred, target, mask, profile=profile)

    monkeypatch.setattr(metrics, "compute_batch", failing_on_black)
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", batch=3, progress=False)
    run = load_run(out)
    assert sorted(row["name"] for row in run.rows) == ["t0000_1_1", "t0000_1_2", "t0002_1_1", "t0002_1_2"]
    assert sorted(line.split(": ")[0].rsplit("/", 1)[1] for line in run.summary["skipped"]) == [
        "t0001_1_1.png", "t0001_1_2.png"]
    assert all("RuntimeError: black target" in line for line in run.summary["skipped"])


# ---- one clear line instead of a silent full run


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_a_limit_below_one_is_refused(toy, tmp_path, limit):
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "--method", "composite", "--size", "64", "--data", str(toy),
                                      "--out", str(out), "--limit", limit, "--workers", "0"])
    assert result.exit_code == 2 and f"--limit must be 1 or more, got {limit}" in result.output
    assert not out.exists()


# ---- 7. data fingerprinted by file sizes and times; rows carry a hash of their input files


def test_data_regenerated_in_place_is_refused_on_resume(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", limit=2, progress=False)
    composite = toy / "composite_images" / "t0002_1_1.png"
    Image.fromarray(np.full((40, 56, 3), 7, np.uint8)).save(composite)  # same names, new content
    result = CliRunner().invoke(app, ["run", "--method", "composite", "--size", "64", "--data", str(toy),
                                      "--out", str(out), "--workers", "0"])
    assert result.exit_code == 2, result.output
    assert f"the data in {toy} changed" in result.output and "Traceback" not in result.output
    assert len(load_run(out).rows) == 2


def test_a_touched_file_changes_the_modification_stamp_not_the_fingerprint(toy):
    from harmbench.data import open_dataset

    before = open_dataset(toy)
    mask = toy / "masks" / "t0001_1.png"
    stat = mask.stat()
    os.utime(mask, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = open_dataset(toy)
    assert after.modified != before.modified and after.fingerprint == before.fingerprint
    Image.fromarray(np.zeros((40, 56), np.uint8)).save(mask)  # another size: another fingerprint
    assert open_dataset(toy).fingerprint != before.fingerprint


def test_data_touched_in_place_with_the_same_bytes_is_refused_on_resume(toy, tmp_path):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", limit=2, progress=False)
    composite = toy / "composite_images" / "t0002_1_1.png"
    stat = composite.stat()
    os.utime(composite, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ResultError, match="changed since this run started"):
        evaluate("composite", 64, data=toy, out=out, progress=False)


def test_shards_read_from_copies_of_the_data_merge(toy, tmp_path):
    """Two nodes of one torchrun job read their own copies of the files at the same path: the same names and sizes,
    other modification times. Played here by touching a file between the two shards."""
    first = evaluate("composite", 64, data=toy, shard="0/2", out=tmp_path / "shard0", progress=False)
    mask = toy / "masks" / "t0001_1.png"
    os.utime(mask, ns=(0, mask.stat().st_mtime_ns + 1_000_000_000))
    second = evaluate("composite", 64, data=toy, shard="1/2", out=tmp_path / "shard1", progress=False)
    assert load_run(first).summary["data"]["modified"] != load_run(second).summary["data"]["modified"]
    merged = load_run(merge([first, second], tmp_path / "merged"))
    assert merged.summary["complete"] and len(merged.rows) == 6


def test_rows_carry_a_hash_of_the_input_files_read_once(toy, tmp_path, monkeypatch):
    import hashlib

    from harmbench.data import io as data_io

    reads = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or read_bytes(self))
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", progress=False)
    images = [name for name in reads if name.endswith(".png")]
    assert len(images) == len(set(images)) == 6 + 3 + 3  # each composite, mask and real image read once
    row = load_run(out).rows_by_name()["t0001_1_2"]
    digests = [hashlib.blake2b((toy / folder / name).read_bytes(), digest_size=16).digest()
               for folder, name in (("composite_images", "t0001_1_2.png"), ("masks", "t0001_1.png"),
                                    ("real_images", "t0001.png"))]
    assert row["input_hash"] == data_io.input_hash(digests) and len(row["input_hash"]) == 16
    assert len({row["input_hash"] for row in load_run(out).rows}) == 6


def test_the_same_data_by_relative_absolute_or_linked_path_resumes(toy, tmp_path, monkeypatch):
    out = evaluate("composite", 64, data=toy, out=tmp_path / "run", limit=2, progress=False)
    monkeypatch.chdir(tmp_path)
    assert len(load_run(evaluate("composite", 64, data="toy", out=out, limit=4, progress=False)).rows) == 4
    (tmp_path / "link").symlink_to(toy)
    assert len(load_run(evaluate("composite", 64, data=tmp_path / "link", out=out, progress=False)).rows) == 6


# ---- 8. harmbench table on real result folders


def test_table_shows_a_merge_not_its_shards_and_json_matches_csv(toy, tmp_path):
    import csv
    import io
    import json

    results = tmp_path / "results"
    shards = [evaluate("composite", 64, data=toy, shard=f"{i}/2", out=results / f"composite__shard{i}of2",
                      progress=False) for i in range(2)]
    merge(shards, results / "composite")
    evaluate("reinhard", 64, data=toy, out=results / "reinhard", progress=False)
    evaluate("reinhard", 64, data=toy, out=results / "reinhard-first2", limit=2, progress=False)
    runner = CliRunner()
    parsed = {}
    for fmt in ("csv", "json"):
        result = runner.invoke(app, ["table", str(results), "--format", fmt, "--ci", "none"])
        assert result.exit_code == 0, result.output
        parsed[fmt] = result.stdout
    lines = list(csv.DictReader(io.StringIO(parsed["csv"])))
    data = json.loads(parsed["json"])
    assert [line["Method"] for line in lines] == [row["values"]["method"] for row in data["rows"]] == [
        "composite", "reinhard", "reinhard"]
    assert data["rows"][2]["group"].endswith("limit 2") and data["rows"][0]["group"] == data["rows"][1]["group"]
    assert [float(line["MSE↓"]) for line in lines] == [row["values"]["mse"] for row in data["rows"]]
    assert data["rows"][0]["context"]["n_images"] == 6 and data["rows"][2]["context"]["limit"] == 2
    result = runner.invoke(app, ["table", str(results), "--by", "fg-ratio", "--paper", "--ci", "none"])
    assert result.exit_code == 0 and "--paper: the paper reports no foreground-ratio breakdown" in result.stderr
