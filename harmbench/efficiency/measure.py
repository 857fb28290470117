"""Measured cost of one forward: time (median and IQR) and peak memory, batch 1, inference mode.

- CUDA: ``cudnn.benchmark``, warm-up calls, then the peak-memory counter is reset and ``repeats`` forwards are timed
  with CUDA events, synchronised; the peak is ``max_memory_allocated`` over those forwards (weights, inputs and
  activations: everything the caching allocator handed out).
- CPU: time by ``torch.utils.benchmark`` (``blocked_autorange`` with a fixed thread count, after a warm-up call);
  peak memory as the growth of the peak resident set size during the first forward in a fresh subprocess, i.e.
  activations and workspace above the loaded weights and inputs (Linux: the kernel's peak mark is reset just
  before the forward; elsewhere ``ru_maxrss``, which earlier transients can mask).

The device calls sit behind :class:`Backend` (``sync``, ``reset_peak``, ``peak_bytes``, ``timer``), so the order
of warm-up, reset, timing and synchronisation is tested on a CPU machine with a fake backend.
Variants (``amp``, ``channels_last``, ``compile``) change how the model runs, never how it is measured.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from typing import Protocol

import torch

from harmbench.efficiency.estimate import example_inputs
from harmbench.factory import create_method
from harmbench.registry import MethodError


class MeasureError(RuntimeError):
    """A measurement that could not be taken (e.g. the memory subprocess failed); the message says why."""


@dataclass(frozen=True)
class Variant:
    """How the model is run; each combination is a separately labelled result."""

    amp: bool = False
    channels_last: bool = False
    compile: bool = False

    @property
    def suffix(self) -> str:
        """``-amp``, ``-cl``, ``-compile`` in that order, for result folder names."""
        return "".join(s for s, on in (("-amp", self.amp), ("-cl", self.channels_last),
                                       ("-compile", self.compile)) if on)


@dataclass
class TimeStats:
    median: float  # ms
    iqr: float  # ms, 75th - 25th percentile
    n: int  # timed forwards (or blocks of forwards) the statistics are taken over

    @classmethod
    def from_ms(cls, times: list[float]) -> TimeStats:
        if not times:
            raise MeasureError("no timed forwards")
        if len(times) == 1:
            return cls(times[0], 0.0, 1)
        q1, _, q3 = statistics.quantiles(times, n=4, method="inclusive")
        return cls(statistics.median(times), q3 - q1, len(times))

    def as_dict(self) -> dict:
        return asdict(self)


class Timer(Protocol):
    def start(self) -> None: ...

    def stop(self) -> float:
        """Milliseconds since :meth:`start`, once the device has finished the work."""


class Backend(Protocol):
    """The device calls a measurement needs."""

    def sync(self) -> None: ...

    def reset_peak(self) -> None: ...

    def peak_bytes(self) -> int: ...

    def timer(self) -> Timer: ...


class _CudaEventTimer:
    def start(self) -> None:
        self._start = torch.cuda.Event(enable_timing=True)
        self._end = torch.cuda.Event(enable_timing=True)
        self._start.record()

    def stop(self) -> float:
        self._end.record()
        self._end.synchronize()  # elapsed_time needs the end event to have happened on the device
        return self._start.elapsed_time(self._end)


class CudaBackend:
    """The real CUDA calls for one device."""

    def __init__(self, device: str | torch.device = "cuda"):
        self.device = torch.device(device)

    def sync(self) -> None:
        torch.cuda.synchronize(self.device)

    def reset_peak(self) -> None:
        torch.cuda.reset_peak_memory_stats(self.device)

    def peak_bytes(self) -> int:
        return torch.cuda.max_memory_allocated(self.device)

    def timer(self) -> Timer:
        return _CudaEventTimer()


def measure_with_backend(run: Callable[[], None], backend: Backend, *, warmup: int,
                         repeats: int) -> tuple[TimeStats, int]:
    """Warm up (lazy init, autotuning, compilation), reset the peak, time ``repeats`` synchronised forwards; return
    the time statistics and the peak bytes allocated during the timed forwards."""
    if repeats < 1:
        raise MeasureError(f"repeats must be >= 1, got {repeats}")
    for _ in range(warmup):
        run()
    backend.sync()
    backend.reset_peak()  # after warm-up: autotuners may try algorithms with large workspaces
    times = []
    for _ in range(repeats):
        timer = backend.timer()
        timer.start()
        run()
        times.append(timer.stop())
    backend.sync()
    return TimeStats.from_ms(times), backend.peak_bytes()


def time_cpu(run: Callable[[], None], *, warmup: int, repeats: int, threads: int) -> TimeStats:
    """``torch.utils.benchmark`` on ``threads`` threads: about ``repeats`` timed forwards after ``warmup`` calls (fast
    models are timed in blocks of several calls, so ``n`` counts blocks)."""
    from torch.utils import benchmark

    if repeats < 1:
        raise MeasureError(f"repeats must be >= 1, got {repeats}")
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        one = 0.0
        for _ in range(max(warmup, 1)):  # at least one call, to size the measurement
            start = time.perf_counter()
            run()
            one = time.perf_counter() - start
    finally:
        torch.set_num_threads(previous)
    timer = benchmark.Timer(stmt="run()", globals={"run": run}, num_threads=threads)
    # blocked_autorange keeps timing until min_run_time has passed: aim at `repeats` forwards (at least 0.1 s)
    measurement = timer.blocked_autorange(min_run_time=max(0.1, (repeats - 0.5) * one))
    return TimeStats.from_ms([t * 1e3 for t in measurement.times])


# ------------------------------------------------------------------------------------------------ building the forward

def prepare_forward(name: str, size: int, device: str, variant: Variant, *, tiny: bool = False,
                    overrides: dict | None = None) -> Callable[[], None]:
    """A no-argument callable running one batch-1 forward of method ``name`` at ``size``² on ``device`` under
    ``torch.inference_mode()`` with ``variant`` applied; its output is dropped (not kept alive between calls)."""
    device = torch.device(device)
    model = create_method(name, device=str(device), tiny=tiny, **(overrides or {}))
    composite, mask = example_inputs(size, device)
    if variant.channels_last:
        model = model.to(memory_format=torch.channels_last)
        composite = composite.contiguous(memory_format=torch.channels_last)
        mask = mask.contiguous(memory_format=torch.channels_last)
    if variant.compile:
        model = torch.compile(model)
    amp_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16

    def run() -> None:
        autocast = torch.autocast(device.type, dtype=amp_dtype) if variant.amp else nullcontext()
        with torch.inference_mode(), autocast:
            model(composite, mask)

    return run


# ------------------------------------------------------------------------------------------ CPU peak RSS (subprocess)

def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"/proc/self/status has no {field}")


def _reset_peak_rss() -> int | None:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux: ``/proc/self/clear_refs`` 5) and return the
    current RSS in bytes; None where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return _status_kib("VmRSS") * 1024
    except OSError:
        return None


def _peak_rss_bytes() -> int:
    """Peak resident set size: since the last reset on Linux (VmHWM), else since process start (ru_maxrss, which
    macOS reports in bytes and Linux in KiB)."""
    try:
        return _status_kib("VmHWM") * 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _rss_child() -> None:
    """Subprocess entry: read a spec from stdin, build the forward, report the peak RSS growth of the first call."""
    spec = json.loads(sys.stdin.read())
    torch.set_num_threads(spec["threads"])
    run = prepare_forward(spec["name"], spec["size"], "cpu", Variant(**spec["variant"]), tiny=spec["tiny"],
                          overrides=spec["overrides"])
    gc.collect()
    # weights and inputs are resident; the peak is reset so earlier transients (imports, building) cannot hide
    # the forward's growth; without a reset, the growth above the high-water mark so far is the best available
    before = _reset_peak_rss() or _peak_rss_bytes()
    run()
    print(json.dumps({"peak_growth_bytes": max(0, _peak_rss_bytes() - before)}))


def cpu_peak_memory(name: str, size: int, variant: Variant, *, threads: int, tiny: bool = False,
                    overrides: dict | None = None, timeout: float = 3600) -> int:
    """Bytes the peak RSS grows by during one forward, measured in a fresh Python process (so earlier work in this
    process, and allocator caches, cannot hide or inflate it)."""
    spec = {"name": name, "size": size, "variant": asdict(variant), "threads": threads, "tiny": tiny,
            "overrides": overrides or {}}
    command = [sys.executable, "-c", "from harmbench.efficiency.measure import _rss_child; _rss_child()"]
    try:
        proc = subprocess.run(command, input=json.dumps(spec), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MeasureError(f"{name} @ {size}: memory subprocess exceeded {timeout:.0f} s") from None
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"]
        raise MeasureError(f"{name} @ {size}: memory subprocess failed: {lines[-1]}")
    return int(json.loads(proc.stdout.strip().splitlines()[-1])["peak_growth_bytes"])


# --------------------------------------------------------------------------------------------------- one measurement

@dataclass
class Measured:
    time_ms: TimeStats
    peak_memory_mb: float | None
    threads: int
    settings: dict  # how it was measured: warm-up, repeats, backend flags, what the peak memory covers


def measure(name: str, size: int, device: str = "cpu", variant: Variant = Variant(), *, repeats: int | None = None,
            warmup: int | None = None, threads: int | None = None, tiny: bool = False,
            overrides: dict | None = None, backend: Backend | None = None) -> Measured:
    """Time and peak memory of method ``name`` at ``size``² on ``device`` (defaults: CUDA 10 warm-up + 50 timed
    forwards; CPU 1 + 5)."""
    device_type = torch.device(device).type
    threads = threads or torch.get_num_threads()
    if device_type == "cuda":
        if backend is None and not torch.cuda.is_available():
            raise MeasureError("--device cuda: CUDA is not available on this machine")
        warmup, repeats = 10 if warmup is None else warmup, 50 if repeats is None else repeats
        torch.backends.cudnn.benchmark = True  # fixed shapes: let cuDNN pick the fastest algorithms in warm-up
        # fp32 means fp32: no TensorFloat-32 convolutions or matmuls (the paper's GTX 1080 Ti had none)
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
        run = prepare_forward(name, size, device, variant, tiny=tiny, overrides=overrides)
        stats, peak = measure_with_backend(run, backend or CudaBackend(device), warmup=warmup, repeats=repeats)
        return Measured(stats, peak / 2 ** 20, threads, {
            "warmup": warmup, "repeats": repeats, "timer": "cuda events", "cudnn_benchmark": True, "tf32": False,
            "peak_memory": "max_memory_allocated over the timed forwards (weights + inputs + activations)"})
    if device_type != "cpu":
        raise MethodError(f"unsupported device '{device}'; use cpu or cuda")
    warmup, repeats = 1 if warmup is None else warmup, 5 if repeats is None else repeats
    run = prepare_forward(name, size, device, variant, tiny=tiny, overrides=overrides)
    stats = time_cpu(run, warmup=warmup, repeats=repeats, threads=threads)
    del run
    settings = {"warmup": warmup, "repeats": repeats, "timer": "torch.utils.benchmark blocked_autorange"}
    if variant.compile:  # the first call compiles: its RSS peak is the compiler's, not the model's
        return Measured(stats, None, threads, {**settings, "peak_memory": "not measured for compiled models on CPU"})
    peak = cpu_peak_memory(name, size, variant, threads=threads, tiny=tiny, overrides=overrides)
    return Measured(stats, peak / 2 ** 20, threads, {**settings, "peak_memory": "peak RSS growth during the first "
                    "forward in a fresh process (activations + workspace; weights and inputs excluded)"})
