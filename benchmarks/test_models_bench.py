"""End-to-end CPU speed of the paper's Table 3 models at 2048x2048 (batch 1, fp32, inference mode, 2 threads,
random weights: speed does not depend on them).

Run: ``.venv/bin/pytest benchmarks/test_models_bench.py --benchmark-only`` (a few minutes: one iS²AM forward at
2048² is ~1 TMAC). Targets: ``cdtnet-256-sim`` median <= 0.5 s; ``cdtnet-256`` / ``iss2am`` median time ratio
<= 0.35, the two timed alternately in one test so that machine load affects both alike.
"""

from __future__ import annotations

import statistics
import time

import pytest
import torch

import harmbench
from harmbench.efficiency.estimate import example_inputs

SIZE = 2048
SIM_GOAL_S = 0.5
RATIO_GOAL = 0.35


@pytest.fixture(scope="module")
def inputs():
    """The profile's input: a random composite and a centred square mask covering a quarter of the image."""
    return example_inputs(SIZE)


def forward_of(name: str, inputs):
    model = harmbench.create_method(name)

    def run():
        with torch.inference_mode():
            model(*inputs)

    return run


def test_cdtnet_256_sim_2048(benchmark, inputs):
    run = forward_of("cdtnet-256-sim", inputs)
    benchmark.pedantic(run, rounds=7, warmup_rounds=1)
    benchmark.extra_info.update(goal_s=SIM_GOAL_S, threads=torch.get_num_threads())


def test_cdtnet_256_to_iss2am_ratio_2048(benchmark, inputs):
    """cdtnet-256 is the benchmarked target; one iss2am forward is timed right before each of its rounds (in the
    untimed set-up), so both see the same conditions; the ratio of medians goes into extra_info."""
    cdtnet, iss2am = forward_of("cdtnet-256", inputs), forward_of("iss2am", inputs)
    iss2am_times = []

    def time_iss2am():
        start = time.perf_counter()
        iss2am()
        iss2am_times.append(time.perf_counter() - start)

    benchmark.pedantic(cdtnet, setup=time_iss2am, rounds=3, warmup_rounds=1)
    if benchmark.disabled:  # --benchmark-disable (CI's smoke run): ran once, untimed
        return
    iss2am_times = iss2am_times[1:]  # the set-up before the warm-up round was iss2am's warm-up
    ratio = benchmark.stats.stats.median / statistics.median(iss2am_times)
    benchmark.extra_info.update(iss2am_median_s=statistics.median(iss2am_times), ratio=ratio, goal_ratio=RATIO_GOAL,
                                threads=torch.get_num_threads())
