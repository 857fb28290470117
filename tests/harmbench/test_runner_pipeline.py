"""The pipelined evaluation loop: worker processes and batches give the same rows as the plain loop, the timing
block, the CUDA-event clock (with a fake event), device resolution, and torchrun ranks merged into one folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from test_runner import make_layout

from harmbench import runner
from harmbench.data.pipeline import PreparedItem, group_refs, prepared_items
from harmbench.data.sample import SampleRef
from harmbench.results import load_run
from harmbench.runner import BatchBuffers, CudaEventClock, _device_batch, evaluate, merged_timing

MEASURED = ("time_ms",)  # differs between any two runs


def comparable(rows):
    return [{k: v for k, v in row.items() if k not in MEASURED} for row in rows]


def assert_rows_close(rows, expected, rel=1e-5):
    """Same names, fields and sizes; float values within ``rel``: batched kernels may round differently from
    single-image ones (on some CPUs even the colour transforms of reinhard), as the runner documents."""
    assert [row["name"] for row in rows] == [row["name"] for row in expected]
    for row, want in zip(comparable(rows), comparable(expected), strict=True):
        assert row.keys() == want.keys()
        for key, value in row.items():
            if isinstance(value, float):
                assert value == pytest.approx(want[key], rel=rel), (row["name"], key)
            else:
                assert value == want[key], (row["name"], key)


@pytest.fixture
def toy(tmp_path):
    make_layout(tmp_path / "toy", n_real=4, per_real=3)
    return tmp_path / "toy"


@pytest.mark.parametrize("threads", [True, False], ids=["worker threads", "worker processes"])
def test_workers_and_batches_give_the_rows_of_the_plain_loop(toy, tmp_path, monkeypatch, threads):
    monkeypatch.setattr(runner, "loads_in_threads", lambda device: threads)  # CPU runs use threads, CUDA processes
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(toy / "masks" / "t0001_1.png")  # wrong size: 3 skipped
    (toy / "composite_images" / "t0002_1_2.png").write_bytes(b"not an image")
    plain = load_run(evaluate("reinhard", 48, data=toy, out=tmp_path / "plain", workers=0, batch=1,
                              save_images=True, progress=False))
    piped = load_run(evaluate("reinhard", 48, data=toy, out=tmp_path / "piped", workers=2, batch=3,
                              save_images=True, progress=False))
    assert len(plain.rows) == 8
    assert comparable(piped.rows) == comparable(plain.rows)  # same order, same values
    assert piped.summary["skipped"] == plain.summary["skipped"] and len(plain.summary["skipped"]) == 4
    for row in plain.rows:
        name = row["name"]
        assert np.array_equal(np.asarray(Image.open(tmp_path / "plain" / "images" / f"{name}.png")),
                              np.asarray(Image.open(tmp_path / "piped" / "images" / f"{name}.png")))


def test_device_batches_reuse_their_tensors_and_convert_a_shared_target_once(monkeypatch):
    rng = np.random.default_rng(0)

    def image(height: int) -> torch.Tensor:
        return torch.from_numpy(rng.integers(0, 256, (height, 6, 3), dtype=np.uint8))

    shared = image(4)  # the real image of a group: one tensor for its composites
    batches = [[PreparedItem(ref=None, composite=image(4), target=target, mask=torch.ones(4, 6))]
               for target in (image(4), shared, shared, image(4))]
    batches.append([PreparedItem(ref=None, composite=image(5), target=image(5), mask=torch.ones(5, 6))])
    buffers = BatchBuffers()
    outputs = []
    for pending in batches:
        outputs.append(_device_batch(pending, torch.device("cpu"), buffers))
        composite, _, target = outputs[-1]  # the values of this batch, whatever was reused
        assert torch.equal(composite[0], pending[0].composite.permute(2, 0, 1).float() / 255)
        assert torch.equal(target[0], pending[0].target.permute(2, 0, 1).float())
    assert all(out[0] is outputs[0][0] and out[2] is outputs[0][2] for out in outputs[:4])  # written over
    assert outputs[4][0].shape == (1, 3, 5, 6)

    copies = []
    monkeypatch.setattr(torch.Tensor, "copy_", lambda self, source: copies.append(1) or self.zero_().add_(source))
    buffers = BatchBuffers()
    for pending in batches[1:3]:  # composite, target, composite: the second target is the first one's tensor
        _device_batch(pending, torch.device("cpu"), buffers)
    assert len(copies) == 3


def test_native_size_batches_only_group_equal_shapes(tmp_path):
    data = tmp_path / "mixed"
    make_layout(data, n_real=2, per_real=2, shape=(40, 56), seed=1)
    other = make_layout(tmp_path / "other", n_real=2, per_real=2, shape=(36, 30), seed=2)
    for path in (tmp_path / "other").rglob("t*.png"):  # the second shape's files as u*, listed after the t* ones
        path.rename(data / path.parent.name / ("u" + path.name[1:]))
    with open(data / "toy_test.txt", "a") as split:
        split.write("\n".join("u" + name[1:] for name in other) + "\n")
    one = load_run(evaluate("reinhard", 1, data=data, resize="none", out=tmp_path / "one", workers=0, batch=1,
                            progress=False))
    many = load_run(evaluate("reinhard", 1, data=data, resize="none", out=tmp_path / "many", workers=1, batch=3,
                             progress=False))
    assert_rows_close(many.rows, one.rows)
    assert [tuple(row["eval_size"]) for row in many.rows] == [(40, 56)] * 4 + [(36, 30)] * 4


@pytest.mark.parametrize("threads", [False, True])
def test_items_keep_the_listing_order_and_errors_do_not_stop_the_loader(toy, threads):
    from harmbench.data import open_dataset

    (toy / "composite_images" / "t0000_1_2.png").write_bytes(b"broken")
    refs = open_dataset(toy).refs
    items = list(prepared_items(refs, 32, "squash", workers=2, threads=threads))
    assert [item.ref.name for item in items] == [ref.name for ref in refs]
    [broken] = [item for item in items if item.error]
    assert broken.ref.name == "t0000_1_2" and "t0000_1_2.png" in broken.error
    good = items[0]
    assert good.composite.dtype == torch.uint8 and good.composite.shape == (32, 32, 3)
    assert good.mask.dtype == torch.float32 and good.shape == (32, 32)


def test_groups_are_runs_that_share_a_real_image():
    def ref(name, target, mask):
        return SampleRef(name, "s", f"{name}.png", mask, target)

    refs = [ref("a1", "a.jpg", "am"), ref("a2", "a.jpg", "am2"), ref("b1", "b.jpg", "bm"), ref("x1", None, "xm"),
            ref("x2", None, "xm"), ref("y1", None, "ym")]
    assert [[r.name for r in group] for group in group_refs(refs)] == [["a1", "a2"], ["b1"], ["x1", "x2"], ["y1"]]


def test_summary_has_a_timing_block(toy, tmp_path):
    out = evaluate("composite", 32, data=toy, out=tmp_path / "run", workers=1, batch=2, progress=False)
    timing = load_run(out).summary["timing"]
    assert timing["images"] == 12 and timing["workers"] == 1 and timing["batch"] == 2
    assert timing["worker_kind"] == "threads"  # a CPU run
    for key in ("wall_s", "load_prepare_s", "input_wait_s", "model_s", "metrics_s", "write_s"):
        assert timing[key] >= 0
    assert timing["load_prepare_s"] > 0
    # images_per_s comes from the unrounded wall time; wall_s is rounded to the millisecond
    assert 12 / timing["images_per_s"] == pytest.approx(timing["wall_s"], abs=6e-4)
    assert timing["device_bound"] == (timing["device_busy_share"] >= 0.8)
    assert 0 < timing["first_input_s"] <= timing["input_wait_s"]
    # the share comes from the unrounded seconds; each figure here is rounded to the millisecond (±0.5 ms), which
    # over a run of a few tens of milliseconds is several percent, so the check is the interval those roundings allow
    busy = timing["model_s"] + timing["metrics_s"]
    running = timing["wall_s"] - timing["first_input_s"]
    low, high = (busy - 1e-3) / (running + 1e-3), (busy + 1e-3) / (running - 1e-3)
    assert low - 5e-4 <= timing["device_busy_share_after_start"] <= high + 5e-4
    assert timing["device_busy_share_after_start"] >= timing["device_busy_share"]


def test_merged_timing_adds_stages_and_keeps_the_longest_wall_time():
    block = {"images": 3, "wall_s": 2.0, "load_prepare_s": 1.0, "input_wait_s": 0.1, "model_s": 1.2,
             "metrics_s": 0.5, "write_s": 0.1, "workers": 1, "worker_kind": "threads", "batch": 1}
    merged = merged_timing([block, {**block, "wall_s": 4.0, "images": 5, "first_input_s": 0.6}])
    assert merged["images"] == 8 and merged["wall_s"] == 4.0 and merged["images_per_s"] == 2.0
    assert merged["workers"] == 1 and merged["worker_kind"] == "threads"
    assert merged["model_s"] == 2.4 and merged["device_busy_share"] == pytest.approx(3.4 / 6, abs=1e-3)
    # a block written before first_input_s existed counts as no start-up
    assert merged["first_input_s"] == 0.6 and merged["device_busy_share_after_start"] == pytest.approx(3.4 / 5.4,
                                                                                                       abs=1e-3)


class FakeEvent:
    """Records on a fake clock; elapsed_time is in milliseconds, as torch.cuda.Event's."""

    now_ms = 0.0
    synchronized = 0

    def __init__(self, enable_timing):
        assert enable_timing

    def record(self):
        self.at = FakeEvent.now_ms

    def synchronize(self):
        FakeEvent.synchronized += 1

    def elapsed_time(self, end):
        return end.at - self.at


def test_cuda_event_clock_times_between_events_and_waits_for_the_end():
    def run():
        FakeEvent.now_ms += 12.5
        return "out"

    result, ms = CudaEventClock(event_factory=FakeEvent).time(run)
    assert result == "out" and ms == 12.5 and FakeEvent.synchronized == 1


def test_torchrun_two_ranks_merge_to_the_single_process_run(toy, tmp_path):
    single = load_run(evaluate("reinhard", 48, data=toy, out=tmp_path / "single", progress=False))
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
               "-m", "harmbench", "run", "--method", "reinhard", "--size", "48", "--data", str(toy),
               "--out", str(out), "--device", "cpu", "--workers", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ})
    assert result.returncode == 0, result.stderr[-3000:]
    merged = load_run(out)
    assert comparable(merged.rows) == comparable(sorted(single.rows, key=lambda row: row["name"]))
    assert merged.summary["n_images"] == 12 and merged.summary["complete"]
    assert merged.summary["means"]["mse"] == pytest.approx(single.summary["means"]["mse"], rel=1e-12)
    shards = [load_run(tmp_path / f"dist__shard{rank}of2") for rank in range(2)]
    assert [s.summary["shard"] for s in shards] == ["0/2", "1/2"]
    assert json.loads((out / "summary.json").read_text())["timing"]["shards"] == 2


def test_gpu_eval_script_runs_on_the_cpu(toy, tmp_path):
    script = Path(__file__).resolve().parents[2] / "scripts" / "gpu_eval_pipeline.py"
    command = [sys.executable, str(script), "--method", "composite", "--size", "32", "--data", str(toy),
               "--split", "test", "--device", "cpu", "--workers", "1", "--batch", "2", "--warmup", "1",
               "--out", str(tmp_path / "g")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: goal not met, which a CPU run may be
    report = json.loads((tmp_path / "g" / "gpu_eval_pipeline.json").read_text())
    assert report["images"] == 12 and report["batch"] == 2 and (result.returncode == 0) == report["goal_met"]
    assert report["goal_met"] == (report["device_busy_share_after_start"] >= report["goal_busy_share"])
    assert "img/s" in result.stdout and load_run(tmp_path / "g" / "warmup").summary["n_images"] == 1


def test_a_network_gives_the_same_rows_with_workers_and_close_ones_in_batches(toy, tmp_path):
    def run(name, workers, batch):
        torch.manual_seed(0)  # the same untrained weights each time
        return load_run(evaluate("cdtnet-256-sim", 32, data=toy, out=tmp_path / name, limit=4, workers=workers,
                                 batch=batch, progress=False, random_init=True)).rows

    plain = run("plain", 0, 1)
    assert comparable(run("workers", 2, 1)) == comparable(plain)
    for batched, row in zip(run("batched", 1, 4), plain, strict=True):
        for key in ("mse", "fmse", "psnr", "ssim"):
            assert batched[key] == pytest.approx(row[key], rel=1e-4)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_cuda_run_gives_the_rows_of_the_cpu_run(toy, tmp_path):
    """On CUDA: worker processes with pinned batches, model timed by CUDA events, metrics on the GPU."""
    def run(name, device, workers, batch):
        torch.manual_seed(0)  # the same untrained weights each time
        return load_run(evaluate("cdtnet-256-sim", 32, data=toy, out=tmp_path / name, workers=workers, batch=batch,
                                 device=device, progress=False, random_init=True))

    cpu, gpu = run("cpu", "cpu", 0, 1), run("gpu", "cuda", 2, 3)
    assert_rows_close(gpu.rows, cpu.rows, rel=1e-4)
    timing = gpu.summary["timing"]
    assert timing["worker_kind"] == "processes" and timing["images"] == len(cpu.rows) and timing["model_s"] > 0
