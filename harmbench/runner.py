"""The evaluation loop: dataset -> resize protocol -> method -> metric profile -> one result row per image.

Runs resume: rows already in ``per_image.jsonl`` are skipped, so the same command after an interruption (even
SIGKILL) finishes the rest and every image appears exactly once. A result folder only resumes a run with the same
context (method, config, weights, data, size, resize, profile); anything else is an error rather than a mixed file.
``--shard i/N`` evaluates the deterministic slice ``refs[i::N]``; ``harmbench merge`` joins the shards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from harmbench import metrics
from harmbench.data import DataError, open_dataset
from harmbench.data.io import SampleLoader
from harmbench.data.resize import RESIZE_PROTOCOLS, prepare, to_tensors
from harmbench.factory import create_method
from harmbench.registry import file_sha256, get_method
from harmbench.results import (
    ROWS_FILE,
    SCHEMA_VERSION,
    SUMMARY_FILE,
    ResultError,
    RowWriter,
    environment,
    load_run,
    read_rows,
    write_json_atomic,
)

# Keys that must agree for a result folder to be resumed or merged.
CONTEXT_KEYS = ("method", "config", "weights", "data", "size", "resize", "profile")


def parse_shard(shard: str | None) -> tuple[int, int] | None:
    """'i/N' -> (i, N) with 0 <= i < N."""
    if shard is None:
        return None
    try:
        index, count = (int(part) for part in shard.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like i/N (e.g. 0/4), got '{shard}'") from None
    if not 0 <= index < count:
        raise ValueError(f"--shard {shard}: need 0 <= i < N")
    return index, count


def default_out(method: str, data_name: str, split: str | None, size: int, resize: str, profile: str,
                shard: tuple[int, int] | None) -> Path:
    name = f"{method}__{data_name.replace(':', '-')}-{split or 'all'}__{size}-{resize}__{profile}"
    if shard:
        name += f"__shard{shard[0]}of{shard[1]}"
    return Path("results") / name


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)


def _save_png(path: Path, image: np.ndarray) -> None:
    """8-bit RGB PNG, written atomically (a killed run never leaves a truncated image)."""
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(image).save(tmp)
    tmp.replace(path)


def _means(rows: list[dict]) -> dict[str, float]:
    """Mean over images of every metric and of the time (the iHarmony4 convention: per-image mean)."""
    return {key: float(np.mean([r[key] for r in rows if key in r]))
            for key in (*metrics.METRICS, "time_ms") if any(key in r for r in rows)}


def evaluate(method: str, size: int, data: str | Path | None = None, split: str = "test", subset: str | None = None,
             profile: str = "cdtnet", resize: str = "squash", limit: int | None = None, shard: str | None = None,
             out: str | Path | None = None, save_images: bool = False, device: str = "cpu",
             weights: str | Path | None = None, overrides: dict | None = None, progress: bool = True,
             console: Console | None = None) -> Path:
    """Evaluate ``method`` at ``size`` and return the result folder. See ``harmbench run --help``."""
    console = console or Console(stderr=True)
    if resize not in RESIZE_PROTOCOLS:
        raise ValueError(f"unknown resize protocol '{resize}'; valid: {', '.join(RESIZE_PROTOCOLS)}")
    metric_profile = metrics.get_profile(profile)
    shard_spec = parse_shard(shard)
    info = get_method(method)
    dataset = open_dataset(data, split=split, subset=subset)
    refs = dataset.refs[:limit] if limit else dataset.refs
    if shard_spec:
        refs = refs[shard_spec[0]::shard_spec[1]]
    model = create_method(method, weights=weights, device=device, **(overrides or {}))

    context = {
        "method": method,
        "config": dataclasses.asdict(model.config),
        "weights": None if weights is None else {"path": str(weights), "sha256": file_sha256(weights)},
        "data": {"name": dataset.name, "root": str(dataset.root), "kind": dataset.kind, "split": dataset.split,
                 "subset": subset, "fingerprint": dataset.fingerprint},
        "size": size,
        "resize": resize,
        "profile": {"name": metric_profile.name, "version": metric_profile.version},
    }
    out = Path(out) if out else default_out(method, dataset.name, dataset.split, size, resize, profile, shard_spec)
    if (out / SUMMARY_FILE).exists():
        previous = load_run(out).summary
        differing = [k for k in CONTEXT_KEYS if previous.get(k) != context[k]]
        if differing:
            raise ResultError(f"{out}: holds a run with a different {', '.join(differing)}; "
                              "pass another --out or delete the folder")
    done = {row["name"] for row in read_rows(out / ROWS_FILE)}
    todo = [ref for ref in refs if ref.name not in done]
    skipped = list(dataset.problems)  # one line each, naming the file and the problem
    summary = {"schema": SCHEMA_VERSION, "kind": "quality", **context, "shard": shard,
               "method_info": {"family": info.family, "paper": info.paper, "native_size": info.native_size},
               "env": environment(device), "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "n_listed": len(refs), "complete": False, "save_images": save_images}
    write_json_atomic(out / SUMMARY_FILE, {**summary, "n_images": len(done), "skipped": skipped})
    if done:
        console.print(f"[cyan]resuming {out}: {len(done)} images done, {len(todo)} to go[/]")
    if save_images:
        (out / "images").mkdir(parents=True, exist_ok=True)

    loader = SampleLoader()
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} img/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    started = time.perf_counter()
    with RowWriter(out / ROWS_FILE) as writer, Progress(*columns, console=console, disable=not progress) as bar:
        task = bar.add_task(f"{method} @ {size}", total=len(todo), rate="–")
        for count, ref in enumerate(todo, 1):
            try:
                sample = loader.load(ref)
            except DataError as exc:
                console.print(f"[yellow]skipped[/] {exc}")
                skipped.append(str(exc))
                bar.advance(task)
                continue
            prepared = prepare(sample, size, resize)
            composite, mask = (t.to(device) for t in to_tensors(prepared))
            with torch.inference_mode():
                _sync(device)
                tic = time.perf_counter()
                images = model(composite, mask)["images"]
                _sync(device)
                elapsed_ms = (time.perf_counter() - tic) * 1000
            pred = (images[0].clamp(0, 1) * 255).permute(1, 2, 0).float().cpu().numpy()
            row = {"name": ref.name, "subset": ref.subset, "original_size": list(sample.original_size),
                   "eval_size": list(prepared.mask.shape), "fg_ratio": float(prepared.mask.mean()),
                   "time_ms": round(elapsed_ms, 3)}
            if prepared.target is not None:
                row.update(metrics.compute(pred, prepared.target, prepared.mask, profile=profile))
            if save_images:
                _save_png(out / "images" / f"{ref.name}.png", np.round(pred).astype(np.uint8))
            writer.append(row)
            bar.update(task, advance=1, rate=f"{count / (time.perf_counter() - started):.2f}")

    rows = read_rows(out / ROWS_FILE)
    write_json_atomic(out / SUMMARY_FILE, {**summary, "n_images": len(rows), "skipped": skipped, "means": _means(rows),
                                           "complete": len(rows) + len(skipped) >= len(refs),
                                           "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    return out


def merge(shard_dirs, out: str | Path) -> Path:
    """Join shard result folders of one run into ``out`` (rows united, each image once; contexts must agree)."""
    runs = [load_run(d) for d in shard_dirs]
    if not runs:
        raise ResultError("merge: no shard folders given")
    first = runs[0].summary
    for run in runs[1:]:
        differing = [k for k in CONTEXT_KEYS if run.summary.get(k) != first.get(k)]
        if differing:
            raise ResultError(f"{run.path}: differs from {runs[0].path} in {', '.join(differing)}; cannot merge")
    out = Path(out)
    rows = {}
    for run in runs:
        for row in run.rows:
            rows.setdefault(row["name"], row)
    write_rows = sorted(rows.values(), key=lambda r: r["name"])
    if (out / ROWS_FILE).exists():
        (out / ROWS_FILE).unlink()
    with RowWriter(out / ROWS_FILE) as writer:
        for row in write_rows:
            writer.append(row)
    skipped = [s for run in runs for s in run.summary.get("skipped", [])]
    listed = sum(run.summary.get("n_listed", 0) for run in runs)
    write_json_atomic(out / SUMMARY_FILE, {**first, "shard": None, "merged_from": [str(r.path) for r in runs],
                                           "n_listed": listed, "n_images": len(write_rows), "skipped": skipped,
                                           "means": _means(write_rows),
                                           "complete": all(r.summary.get("complete") for r in runs)})
    return out
