"""Measurement logic: the CUDA call order checked with a fake backend and faked torch.cuda, CPU figures sane."""

from __future__ import annotations

import pytest
import torch

from harmbench.efficiency import estimate
from harmbench.efficiency import measure as measure_module
from harmbench.efficiency.measure import (
    CudaBackend,
    MeasureError,
    TimeStats,
    Variant,
    measure,
    measure_with_backend,
)


class FakeBackend:
    """Records the calls; each timer reports the next scripted duration; the peak is what the forwards 'allocated'."""

    def __init__(self, durations):
        self.calls = []
        self.durations = list(durations)
        self.allocated = 0
        self.peak = 0

    def sync(self):
        self.calls.append("sync")

    def reset_peak(self):
        self.calls.append("reset_peak")
        self.peak = self.allocated

    def peak_bytes(self):
        self.calls.append("peak_bytes")
        return self.peak

    def timer(self):
        backend = self

        class Timer:
            def start(self):
                backend.calls.append("start")

            def stop(self):
                backend.calls.append("stop")
                return backend.durations.pop(0)

        return Timer()


def test_order_warmup_then_reset_then_timed_then_sync_then_peak():
    backend = FakeBackend([5.0, 1.0, 3.0, 2.0, 4.0])
    forwards = []

    def run():
        forwards.append(len(backend.calls))
        backend.calls.append("run")
        # warm-up forwards allocate a big autotuning workspace, timed ones 100 bytes
        backend.peak = max(backend.peak, 10_000 if "reset_peak" not in backend.calls else 100)

    stats, peak = measure_with_backend(run, backend, warmup=2, repeats=5)
    assert backend.calls == (["run", "run", "sync", "reset_peak"] + ["start", "run", "stop"] * 5
                             + ["sync", "peak_bytes"])
    assert peak == 100  # the warm-up's workspace is not reported
    assert stats == TimeStats(median=3.0, iqr=2.0, n=5)


def test_time_stats():
    assert TimeStats.from_ms([7.0]) == TimeStats(7.0, 0.0, 1)
    assert TimeStats.from_ms([1.0, 2.0, 3.0, 4.0]).median == 2.5
    with pytest.raises(MeasureError):
        TimeStats.from_ms([])
    with pytest.raises(MeasureError):
        measure_with_backend(lambda: None, FakeBackend([]), warmup=0, repeats=0)


def test_cuda_backend_calls_the_cuda_api_in_order(monkeypatch):
    """The real CudaBackend with torch.cuda replaced by recorders: events bracket the forward, the end event is
    waited for before elapsed_time, the peak is reset after warm-up and read after the final synchronise."""
    log = []

    class Event:
        count = 0

        def __init__(self, enable_timing=False):
            assert enable_timing
            Event.count += 1
            self.id = Event.count

        def record(self):
            log.append(f"record{self.id}")

        def synchronize(self):
            log.append(f"wait{self.id}")

        def elapsed_time(self, end):
            log.append("elapsed")
            return 2.0 * (end.id - self.id)

    monkeypatch.setattr(torch.cuda, "Event", Event)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: log.append("sync"))
    monkeypatch.setattr(torch.cuda, "reset_peak_memory_stats", lambda device=None: log.append("reset"))
    monkeypatch.setattr(torch.cuda, "max_memory_allocated", lambda device=None: log.append("peak") or 3 * 2 ** 20)

    stats, peak = measure_with_backend(lambda: log.append("run"), CudaBackend("cuda:0"), warmup=1, repeats=2)
    assert log == ["run", "sync", "reset",
                   "record1", "run", "record2", "wait2", "elapsed",
                   "record3", "run", "record4", "wait4", "elapsed",
                   "sync", "peak"]
    assert stats.median == 2.0 and peak == 3 * 2 ** 20


def test_measure_on_cuda_uses_the_backend_seam(monkeypatch):
    """measure(device='cuda') with a fake backend: cudnn autotuning on, TF32 off, 10 warm-up + 50 timed, MiB."""
    backend = FakeBackend([1.0] * 50)
    runs = []
    monkeypatch.setattr(measure_module, "prepare_forward", lambda *a, **k: lambda: runs.append(1))
    monkeypatch.setattr(torch.backends.cudnn, "benchmark", False)  # restored after the test
    monkeypatch.setattr(torch.backends.cudnn, "allow_tf32", True)
    matmul_tf32 = torch.backends.cuda.matmul.allow_tf32  # a property-like flag monkeypatch cannot wrap
    torch.backends.cuda.matmul.allow_tf32 = True
    try:
        result = measure("iss2am", 64, "cuda", backend=backend)
        assert not torch.backends.cudnn.allow_tf32 and not torch.backends.cuda.matmul.allow_tf32  # fp32 is fp32
    finally:
        torch.backends.cuda.matmul.allow_tf32 = matmul_tf32
    assert len(runs) == 60 and torch.backends.cudnn.benchmark
    assert result.settings["warmup"] == 10 and result.settings["repeats"] == 50
    assert result.time_ms == TimeStats(1.0, 0.0, 50) and result.peak_memory_mb == 0.0


def test_cuda_without_cuda_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(MeasureError, match="CUDA is not available"):
        measure("iss2am", 64, "cuda")


def test_cpu_measure_is_sane_on_a_tiny_config():
    result = measure("iss2am", 256, "cpu", repeats=3, threads=1, tiny=True)
    assert result.threads == 1
    assert 0 < result.time_ms.median < 5_000 and result.time_ms.iqr >= 0 and result.time_ms.n >= 1
    # the first forward's growth: activations plus one-time workspace; the same order as the paper-rule estimate,
    # which adds up every leaf output as if nothing were freed (74.5 MB here)
    paper_mb = estimate("iss2am", 256, tiny=True, macs=False)["paper_memory_mb"]
    assert 0 < result.peak_memory_mb < 2 * paper_mb


def test_variant_suffixes():
    assert Variant().suffix == ""
    assert Variant(amp=True, channels_last=True, compile=True).suffix == "-amp-cl-compile"
