"""``harmbench profile`` as a function: estimate + measure one (method, size, device, variant), as a result record.

The record is written to ``<out>/summary.json`` (atomically) with ``"kind": "profile"``; the efficiency table reads
these records back. Default folder: ``results/profile/<method>-<size>-<device>[-amp][-cl][-compile]/``.
"""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from pathlib import Path

import torch

from harmbench.efficiency.estimate import MASK_FRACTION, estimate
from harmbench.efficiency.measure import Variant, measure
from harmbench.registry import MethodError
from harmbench.results import SUMMARY_FILE, environment, write_json_atomic


def device_name(device: str) -> str:
    """The GPU's name, or the CPU's model name."""
    if torch.device(device).type == "cuda" and torch.cuda.is_available():
        return torch.cuda.get_device_name(torch.device(device))
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def default_out(method: str, size: int, device: str, variant: Variant) -> Path:
    return Path("results") / "profile" / f"{method}-{size}-{torch.device(device).type}{variant.suffix}"


def profile(method: str, size: int, device: str = "cpu", variant: Variant = Variant(), *, measured: bool = True,
            repeats: int | None = None, warmup: int | None = None, threads: int | None = None, tiny: bool = False,
            overrides: dict | None = None) -> dict:
    """The profile record of ``method`` at ``size``² (see the module docstring); ``measured=False`` skips time and
    memory measurement (``time_ms`` and ``peak_memory_mb`` are then None)."""
    if size < 1:
        raise MethodError(f"size must be a positive number of pixels, got {size}")
    if threads:
        torch.set_num_threads(threads)
    overrides = overrides or {}
    figures = estimate(method, size, tiny=tiny, device=device, **overrides)
    result = measure(method, size, device, variant, repeats=repeats, warmup=warmup, threads=threads, tiny=tiny,
                     overrides=overrides) if measured else None
    return {
        "kind": "profile",
        "method": method,
        "size": size,
        "device": torch.device(device).type,
        "device_name": device_name(device),
        "variant": {"amp": variant.amp, "channels_last": variant.channels_last, "compile": variant.compile},
        "params": figures["params"],
        "gmacs": figures["gmacs"],
        "paper_gflops": figures["paper_gflops"],
        "paper_memory_mb": figures["paper_memory_mb"],
        "time_ms": result.time_ms.as_dict() if result else None,
        "peak_memory_mb": result.peak_memory_mb if result else None,
        "threads": torch.get_num_threads() if result is None else result.threads,
        "env": environment(device),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        # details: what the totals are made of and how they were taken
        "input": {"composite": "uniform random", "mask_fraction": MASK_FRACTION},
        "tiny": tiny,
        "overrides": overrides,
        "measure_settings": result.settings if result else None,
        "gmacs_by_operator": figures["gmacs_by_operator"],
        "gmacs_forward": figures["gmacs_forward"],  # "shapes" (no real forward) or "real" (a value was needed)
        "paper_flops_by_module_type": figures["paper_flops_by_module_type"],
        "paper_zero_flop_modules": figures["paper_zero_flop_modules"],
    }


def write_profile(record: dict, out: str | Path) -> Path:
    """Write ``record`` as ``<out>/summary.json`` atomically; returns the file's path."""
    path = Path(out) / SUMMARY_FILE
    write_json_atomic(path, record)
    return path
