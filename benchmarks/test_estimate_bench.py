"""Speed of ``estimate(name, 2048)`` (parameters, GMACs and the paper's FLOPs/memory: what ``harmbench profile
--no-measure`` computes) against building the same model on ``meta``, the least any count from the architecture
must do.

Run: ``.venv/bin/pytest benchmarks/test_estimate_bench.py --benchmark-only`` (seconds). Target: the median
estimate takes <= 20x the median meta build, both timed alternately in one test so that machine load affects both
alike (the count propagates shapes, so it no longer scales with the pixels: a real iS²AM forward at 2048² is
~1 TMAC, minutes on 2 threads).
"""

from __future__ import annotations

import importlib
import statistics
import time

import pytest
import torch

estimate_module = importlib.import_module("harmbench.efficiency.estimate")  # the package re-exports estimate()

SIZE = 2048
RATIO_GOAL = 20


@pytest.mark.parametrize("method", ["iss2am", "cdtnet-512"])
def test_estimate_to_meta_build_ratio_2048(benchmark, method):
    """The estimate is the benchmarked target; one meta build is timed right before each of its rounds (in the
    untimed set-up); the ratio of medians goes into extra_info."""
    build_times = []

    def time_build():
        start = time.perf_counter()
        estimate_module.meta_model(method)
        build_times.append(time.perf_counter() - start)
        return (method, SIZE), {}

    benchmark.pedantic(estimate_module.estimate, setup=time_build, rounds=5, warmup_rounds=1)
    if benchmark.disabled:  # --benchmark-disable (CI's smoke run): ran once, untimed
        return
    build_times = build_times[1:]  # the set-up before the warm-up round was the build's warm-up
    ratio = benchmark.stats.stats.median / statistics.median(build_times)
    benchmark.extra_info.update(meta_build_median_s=statistics.median(build_times), ratio=ratio,
                                goal_ratio=RATIO_GOAL, threads=torch.get_num_threads())
