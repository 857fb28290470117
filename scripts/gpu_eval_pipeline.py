"""Pipelined evaluation on a GPU: ``cdtnet-256`` at 2048 on the synthetic set (its 100-image train split by default),
reporting images/s and the share of the wall time the GPU was busy (goal >= 80 %).

    python scripts/gpu_eval_pipeline.py                      # cuda, default workers, batch 4
    python scripts/gpu_eval_pipeline.py --batch 8 --workers 12

A short warm-up run (``--warmup`` images, its own folder) absorbs CUDA/cuDNN start-up first. Then the measured run
writes ``<out>/run`` and this script prints, from its ``summary.json`` ``timing`` block: images/s; the model share
(model time from CUDA events / wall time, a lower bound of the busy share); the device busy share ((model + metrics)
/ wall; the metrics run on the GPU and their time includes reading the values back, so an upper bound); the same
share after the start (the wait for the first prepared image left out: starting the worker processes and decoding
the first group, which a run of thousands of images spreads thin but 100 images do not); and whether the goal is
met, judged on the share after the start. It writes the same figures to ``<out>/gpu_eval_pipeline.json``. Exit
status 1 when that share is below the goal. Works on the CPU too (``--device cpu``), which is how it is tested.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from harmbench.data.pipeline import default_workers
from harmbench.results import load_run
from harmbench.runner import evaluate

GOAL_BUSY_SHARE = 0.8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--method", default="cdtnet-256")
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--data", default=None, help="dataset folder (default: the synthetic set)")
    parser.add_argument("--split", default="train", help="split to evaluate (the synthetic set: 100 train, 24 test)")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=4, help="images of the warm-up run (0: none)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N images of the measured run")
    parser.add_argument("--out", type=Path, default=Path("results/gpu_eval_pipeline"))
    args = parser.parse_args(argv)

    # Throughput does not depend on the weights: found ones are used, otherwise the network runs untrained.
    common = {"data": args.data, "split": args.split, "device": args.device, "workers": args.workers,
              "batch": args.batch, "progress": False, "random_init": True}
    for folder in ("warmup", "run"):  # fresh folders: a resumed run would measure nothing
        shutil.rmtree(args.out / folder, ignore_errors=True)
    if args.warmup:
        evaluate(args.method, args.size, limit=args.warmup, out=args.out / "warmup", **common)
    run = load_run(evaluate(args.method, args.size, limit=args.limit, out=args.out / "run", **common))
    timing = run.summary["timing"]
    wall = timing["wall_s"]
    report = {"method": args.method, "size": args.size, "device": run.summary["env"].get("device_name",
                                                                                       args.device),
              "workers": args.workers, "batch": args.batch, "images": timing["images"],
              "images_per_s": timing["images_per_s"], "model_share": round(timing["model_s"] / wall, 3),
              "device_busy_share": timing["device_busy_share"],
              "device_busy_share_after_start": timing["device_busy_share_after_start"],
              "goal_busy_share": GOAL_BUSY_SHARE,
              "goal_met": timing["device_busy_share_after_start"] >= GOAL_BUSY_SHARE, "timing": timing}
    (args.out / "gpu_eval_pipeline.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{args.method} @ {args.size} on {report['device']}: {timing['images']} images, "
          f"{timing['images_per_s']} img/s; GPU busy {100 * report['device_busy_share']:.0f} % of the wall time "
          f"(model alone {100 * report['model_share']:.0f} %), "
          f"{100 * report['device_busy_share_after_start']:.0f} % after the start ({timing['first_input_s']} s); "
          f"goal >= {100 * GOAL_BUSY_SHARE:.0f} % after the start: {'met' if report['goal_met'] else 'NOT met'}")
    print(f"stages (s): load+prepare {timing['load_prepare_s']} (in {args.workers} workers), waiting for input "
          f"{timing['input_wait_s']}, model {timing['model_s']}, metrics {timing['metrics_s']}, "
          f"write {timing['write_s']}, wall {wall}")
    return 0 if report["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
