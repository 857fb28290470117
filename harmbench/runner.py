"""The evaluation loop: dataset -> resize protocol -> method -> metric profile -> one result row per image.

Pipelined: decoding, mask checks and the resize protocol run in ``workers`` background processes
(:mod:`harmbench.data.pipeline`) that prepare images ahead of the model; the method runs on ``device`` with up to
``batch`` same-shape images at a time (all images share a shape under ``--resize squash``); the metrics run on the
same device (``metrics.compute_batch``); PNGs and rows are written by one background thread in this process. With
``workers=0`` and ``batch=1`` the steps run one after another. Any number of workers gives the same rows (except
``time_ms``, a measurement); batches of more than one image give the same rows for training-free methods, while a
network's batched kernels may round differently (relative differences around 1e-5).

Runs resume: rows already in ``per_image.jsonl`` are skipped, so the same command after an interruption (even
SIGKILL) finishes the rest and every image appears exactly once. A result folder only resumes a run with the same
context (method, config, weights, data, size, resize, profile) and shard; anything else is an error rather than a
mixed file.
``--shard i/N`` evaluates the deterministic slice ``refs[i::N]``; ``harmbench merge`` joins the shards. Under
``torchrun`` each rank evaluates the slice ``rank/world`` and rank 0 merges (see :func:`evaluate`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from PIL import Image
from rich.console import Console

from harmbench import metrics
from harmbench.contract import harmonize
from harmbench.data import open_dataset
from harmbench.data.pipeline import PreparedItem, prepared_items
from harmbench.data.resize import RESIZE_PROTOCOLS
from harmbench.devices import resolve_device
from harmbench.distributed import process_group, rank_device, torchrun_ranks
from harmbench.factory import create_method
from harmbench.progress import progress_bar
from harmbench.registry import get_method
from harmbench.results import (
    IMAGES_DIR,
    ROWS_FILE,
    SCHEMA_VERSION,
    SUMMARY_FILE,
    ResultError,
    RowWriter,
    environment,
    finite_metrics,
    folder_lock,
    is_finite,
    load_run,
    read_rows,
    write_json_atomic,
)
from harmbench.weights import UNTRAINED, resolve_weights

# Keys that must agree for a result folder to be resumed or merged; resuming also needs the same shard.
CONTEXT_KEYS = ("method", "config", "weights", "data", "size", "resize", "profile")
RESUME_KEYS = (*CONTEXT_KEYS, "shard")
DEVICE_BOUND_SHARE = 0.8  # timing: the device counts as the bottleneck when computing this share of the wall time
DISTRIBUTED_TIMEOUT = dt.timedelta(hours=12)  # torchrun: how long a finished rank waits for the slowest one


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


class ModelClock:
    """Wall time of one model call on the CPU (``time.perf_counter``)."""

    def time(self, run: Callable[[], torch.Tensor]) -> tuple[torch.Tensor, float]:
        """``run()`` and its duration in milliseconds."""
        tic = time.perf_counter()
        result = run()
        return result, (time.perf_counter() - tic) * 1000


class CudaEventClock(ModelClock):
    """Device time of one model call on a GPU: CUDA events recorded around it on the current stream, so the copies
    of the next batch and the host work queued before it do not count. ``event_factory`` is ``torch.cuda.Event``
    (a seam: tests pass a fake)."""

    def __init__(self, event_factory=None):
        self._event_factory = event_factory or torch.cuda.Event

    def time(self, run):
        start, end = self._event_factory(enable_timing=True), self._event_factory(enable_timing=True)
        start.record()
        result = run()
        end.record()
        end.synchronize()
        return result, start.elapsed_time(end)


def model_clock(device: torch.device) -> ModelClock:
    return CudaEventClock() if device.type == "cuda" else ModelClock()


def _save_png(path: Path, image: np.ndarray) -> None:
    """8-bit RGB PNG, written atomically (a killed run never leaves a truncated image)."""
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(image).save(tmp, compress_level=1)  # 4x faster than the default level 6, files ~15 % larger
    tmp.replace(path)


class BackgroundWriter:
    """One thread that writes each finished image's PNG (when saving images) and then appends its row, in the order
    they were handed over. A row is durable only once its image is on disk, as before; the queue is bounded so a
    slow disk holds the loop back instead of filling memory. An error in the thread is raised by the next
    :meth:`put` or by :meth:`close`."""

    def __init__(self, rows_file: Path, images_dir: Path | None, queue_size: int):
        self._rows = RowWriter(rows_file)
        self._images_dir = images_dir
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._work, name="harmbench-writer", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain, so put() never blocks after a failure
            row, image = job
            tic = time.perf_counter()
            try:
                if image is not None:
                    _save_png(self._images_dir / f"{row['name']}.png", image)
                self._rows.append(row)
            except BaseException as exc:  # handed to the main thread
                self._error = exc
            self.seconds += time.perf_counter() - tic

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, row: dict, image: np.ndarray | None) -> None:
        self._raise_error()
        self._queue.put((row, image))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._rows.close()
        self._raise_error()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class StageTimes:
    """Seconds per stage of one invocation (see :func:`timing_block`)."""

    load_prepare: float = 0.0
    input_wait: float = 0.0
    first_input: float = 0.0  # the wait for the first prepared image (part of input_wait)
    model: float = 0.0
    metrics: float = 0.0
    write: float = 0.0
    images: int = 0


def loads_in_threads(device: torch.device) -> bool:
    """Whether a run's data workers are threads (CPU runs: no hand-over of the images) or DataLoader processes
    (CUDA runs: pinned batches, decoding that scales with the workers); see :mod:`harmbench.data.pipeline`."""
    return device.type != "cuda"


def _share(busy_s: float, seconds: float) -> float:
    """``busy_s`` as a share of ``seconds`` (0 for no time)."""
    return busy_s / seconds if seconds > 0 else 0.0


def timing_block(stages: StageTimes, wall: float, workers: int, batch: int, worker_kind: str) -> dict:
    """The ``timing`` entry of summary.json, for the images evaluated by this invocation.

    ``load_prepare_s``: decode + checks + resize, summed over images (worker time; it overlaps the rest when
    workers > 0); ``input_wait_s``: time the main loop waited for the next prepared image (with workers = 0 the
    preparation itself); ``model_s``: model time
    (CUDA events on GPU); ``metrics_s``: metric computation; ``write_s``: PNG and row writing (background thread);
    ``images_per_s``: images / ``wall_s``; ``worker_kind``: "threads" or "processes" (how ``workers`` ran), "none"
    for workers = 0. ``device_busy_share`` = (model_s + metrics_s) / wall_s, the share of the
    wall time the method's device was computing; ``device_bound`` is true when that share is at least
    :data:`DEVICE_BOUND_SHARE`, i.e. loading and writing kept up with the device. ``first_input_s``: the wait for
    the first prepared image (starting the workers and preparing the first group; part of ``input_wait_s``), and
    ``device_busy_share_after_start`` the busy share of the rest of the run: what a run of thousands of images
    approaches, where a short one is dominated by the start.
    """
    busy = _share(stages.model + stages.metrics, wall)
    return {"images": stages.images, "wall_s": round(wall, 3), "load_prepare_s": round(stages.load_prepare, 3),
            "input_wait_s": round(stages.input_wait, 3), "first_input_s": round(stages.first_input, 3),
            "model_s": round(stages.model, 3), "metrics_s": round(stages.metrics, 3), "write_s": round(stages.write, 3),
            "images_per_s": round(stages.images / wall, 3) if wall > 0 else None, "workers": workers,
            "worker_kind": worker_kind, "batch": batch, "device_busy_share": round(busy, 3),
            "device_busy_share_after_start": round(_share(stages.model + stages.metrics, wall - stages.first_input), 3),
            "device_bound": busy >= DEVICE_BOUND_SHARE}


@dataclass
class BatchBuffers:
    """The batch tensors of a run, written over by the next batch of their shape (the loop is done with a batch
    before it builds the next): on CPU a fresh 2048² float32 batch costs as much in page faults as the conversion
    written into it. ``target_sources``: the uint8 tensors the target batch holds (kept alive, so identity cannot
    be a recycled object's)."""

    composite: torch.Tensor | None = None
    target: torch.Tensor | None = None
    target_sources: list[torch.Tensor] = field(default_factory=list)


def _device_batch(items: list[PreparedItem], device: torch.device, buffers: BatchBuffers):
    """Model inputs (composite in [0, 1], mask) and the metric target (0–255, or None) of same-shape items.

    Each item is copied to the device as it comes (page-locked from the loader on CUDA, so the copies are
    asynchronous) and converted there, uint8 H x W x 3 to float32 3 x H x W, in one pass into the batch tensor of
    ``buffers``: no host-side stack (a pageable copy) and no float32 intermediate in the wrong layout. A target batch
    of the same tensors as the last one (composites of one real image, one at a time) is not converted again:
    nothing writes into a target batch."""
    non_blocking = device.type == "cuda"

    def on_device(tensor: torch.Tensor) -> torch.Tensor:
        return tensor.to(device, non_blocking=non_blocking)

    def planar(images: list[torch.Tensor], batch: torch.Tensor | None) -> torch.Tensor:
        shape = (len(images), images[0].shape[2], *images[0].shape[:2])
        if batch is None or batch.shape != shape:
            batch = torch.empty(shape, dtype=torch.float32, device=device)
        for index, image in enumerate(images):
            batch[index].copy_(on_device(image).permute(2, 0, 1))
        return batch

    buffers.composite = planar([item.composite for item in items], buffers.composite).div_(255.0)
    masks = [on_device(item.mask) for item in items]
    mask = (masks[0][None] if len(masks) == 1 else torch.stack(masks))[:, None]  # one image: a view, no copy
    targets = [item.target for item in items]
    if targets[0] is None:
        return buffers.composite, mask, None
    last = buffers.target_sources
    same = len(last) == len(targets) and all(old is new for old, new in zip(last, targets, strict=True))
    if buffers.target is None or not same:
        buffers.target_sources = targets
        buffers.target = planar(targets, buffers.target)
    return buffers.composite, mask, buffers.target


def _means(rows: list[dict]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Mean over images of every metric and of the time (the iHarmony4 convention: per-image mean), and per metric
    the number of images left out of it because their value is not finite (stored as null, see
    :func:`harmbench.results.finite_metrics`); a metric with no finite value has the mean None."""
    means, excluded = {}, {}
    for key in (*metrics.METRICS, "time_ms"):
        present = [r[key] for r in rows if key in r]
        if not present:
            continue
        finite = [value for value in present if is_finite(value)]
        means[key] = float(np.mean(finite)) if finite else None
        if len(finite) < len(present):
            excluded[key] = len(present) - len(finite)
    return means, excluded


def rank_folder(out: Path, rank: int, world: int) -> Path:
    """Where rank ``rank`` of a torchrun evaluation writes: ``<out>__shard<rank>of<world>``, next to ``out``, the
    folder ``--shard rank/world`` would get; ``out`` receives the merge."""
    return out.with_name(f"{out.name}__shard{rank}of{world}")


def evaluate(method: str, size: int, data: str | Path | None = None, split: str = "test", subset: str | None = None,
             profile: str = "cdtnet", resize: str = "squash", limit: int | None = None, shard: str | None = None,
             out: str | Path | None = None, save_images: bool = False, device: str = "cpu",
             weights: str | Path | None = None, overrides: dict | None = None, progress: bool = True,
             console: Console | None = None, workers: int = 0, batch: int = 1,
             weights_dir: str | Path | None = None, random_init: bool = False,
             max_pixels: int | None = None) -> Path:
    """Evaluate ``method`` at ``size`` and return the result folder. See ``harmbench run --help``.

    Weights of a learned method are resolved by :func:`harmbench.weights.resolve_weights` (``weights``, then
    ``weights_dir``, then ``harmbench train``'s default folder); none found is an error unless ``random_init``, whose
    result context records the run as untrained. The file used is kept in the context and printed first with the
    other information lines (resuming) when ``progress`` is on (off: ``--quiet``, torchrun ranks other than 0);
    problems (skipped images) always print.

    ``workers`` processes prepare images ahead of the model (0: this process); ``batch`` same-shape images go through
    the model together, and each row's ``time_ms`` is then the batch's model time / its size (CUDA events on GPU).
    ``max_pixels``: larger images are skipped (None: Pillow's limit; 0: none).

    Under ``torchrun`` (WORLD_SIZE > 1) every rank evaluates the slice ``rank/world`` (as ``--shard``) into
    :func:`rank_folder`, waits for the others, and rank 0 merges them into ``out``; every rank returns ``out``.
    """
    ranks = torchrun_ranks()
    if ranks is None or ranks.world_size == 1:
        return _evaluate(method, size, data, split, subset, profile, resize, limit, shard, out, save_images,
                         resolve_device(device), weights, overrides, progress, console, workers, batch, weights_dir,
                         random_init, max_pixels)
    if shard is not None:
        raise ValueError("--shard cannot be combined with torchrun: each rank already evaluates its own shard")
    rank, world = ranks.rank, ranks.world_size
    resolved = rank_device(resolve_device(device), ranks)
    barrier_args = {"device_ids": [ranks.local_rank]} if resolved.type == "cuda" else {}
    with process_group(resolved, DISTRIBUTED_TIMEOUT):
        if out is None:
            dataset = open_dataset(data, split=split, subset=subset)
            out = default_out(method, dataset.name, dataset.split, size, resize, profile, None)
        out = Path(out)
        _evaluate(method, size, data, split, subset, profile, resize, limit, f"{rank}/{world}",
                  rank_folder(out, rank, world), save_images, resolved, weights, overrides, progress and ranks.main,
                  console, workers, batch, weights_dir, random_init, max_pixels)
        dist.barrier(**barrier_args)
        if ranks.main:
            merge([rank_folder(out, r, world) for r in range(world)], out)
        dist.barrier(**barrier_args)  # nobody returns before the merged folder exists
    return out


def _evaluate(method: str, size: int, data, split: str, subset: str | None, profile: str, resize: str,
              limit: int | None, shard: str | None, out, save_images: bool, device: torch.device, weights,
              overrides: dict | None, progress: bool, console: Console | None, workers: int, batch: int,
              weights_dir, random_init: bool, max_pixels: int | None = None) -> Path:
    console = console or Console(stderr=True, soft_wrap=True)  # messages stay one line in a log
    if resize not in RESIZE_PROTOCOLS:
        raise ValueError(f"unknown resize protocol '{resize}'; valid: {', '.join(RESIZE_PROTOCOLS)}")
    if size < 1:
        raise ValueError(f"--size must be a positive number of pixels, got {size}")
    if batch < 1:
        raise ValueError(f"--batch must be 1 or more, got {batch}")
    if limit is not None and limit < 1:  # 0 would read as "no limit" below
        raise ValueError(f"--limit must be 1 or more, got {limit}")
    if max_pixels is not None and max_pixels < 0:
        raise ValueError(f"--max-pixels must be 0 (no limit) or more, got {max_pixels}")
    metric_profile = metrics.get_profile(profile)
    shard_spec = parse_shard(shard)
    info = get_method(method)
    source = resolve_weights(method, size, weights, weights_dir, random_init)  # refuses before any work
    if progress:  # quiet runs and torchrun ranks other than 0 print problems only
        if source is not None:
            console.print(f"weights: {source.line()}", highlight=False)
        elif info.trainable:
            console.print("[yellow]weights: none (--random-init): an untrained network; results are labelled "
                          "untrained[/]")
    dataset = open_dataset(data, split=split, subset=subset)
    refs = dataset.refs[:limit] if limit else dataset.refs
    if shard_spec:
        refs = refs[shard_spec[0]::shard_spec[1]]
    model = create_method(method, weights=None if source is None else source.path, device=device, **(overrides or {}))

    context = {
        "method": method,
        "config": dataclasses.asdict(model.config),
        "weights": source.context() if source is not None else UNTRAINED if info.trainable else None,
        # resolved: the same folder given by a relative path, an absolute one or a symlink is the same data
        "data": {"name": dataset.name, "root": str(dataset.root.resolve()), "kind": dataset.kind,
                 "split": dataset.split, "subset": subset, "fingerprint": dataset.fingerprint,
                 "modified": dataset.modified},
        "size": size,
        "resize": resize,
        "profile": {"name": metric_profile.name, "version": metric_profile.version},
    }
    out = Path(out) if out else default_out(method, dataset.name, dataset.split, size, resize, profile, shard_spec)
    with folder_lock(out):
        if (out / SUMMARY_FILE).exists():
            previous = load_run(out).summary
            current = json.loads(json.dumps({**context, "shard": shard}))  # as stored: tuples become lists
            differing = [k for k in RESUME_KEYS if previous.get(k) != current[k]]
            if differing == ["data"] and _same_listing(previous["data"], current["data"]):
                raise ResultError(f"{out}: the data in {dataset.root} changed since this run started (files "
                                  "regenerated or edited: sizes or modification times differ); pass another --out or "
                                  "delete the folder to evaluate the new data")
            if differing:
                raise ResultError(f"{out}: holds a run with a different {', '.join(differing)}; "
                                  "pass another --out or delete the folder")
        done = {row["name"] for row in read_rows(out / ROWS_FILE)}
        todo = [ref for ref in refs if ref.name not in done]
        skipped = list(dataset.problems)  # one line each, naming the file and the problem
        summary = {"schema": SCHEMA_VERSION, "kind": "quality", **context, "shard": shard,
                   "method_info": {"family": info.family, "paper": info.paper, "native_size": info.native_size},
                   "env": environment(str(device)),
                   "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                   "limit": limit, "n_listed": len(refs), "complete": False, "save_images": save_images}
        write_json_atomic(out / SUMMARY_FILE, {**summary, "n_images": len(done), "skipped": skipped})
        if done and progress:
            console.print(f"[cyan]resuming {out}: {len(done)} images done, {len(todo)} to go[/]")
        images_dir = out / IMAGES_DIR if save_images else None
        if images_dir:
            images_dir.mkdir(parents=True, exist_ok=True)

        clock = model_clock(device)
        stages = StageTimes()
        batch_buffers = BatchBuffers()
        threads = loads_in_threads(device)
        worker_kind = "none" if not workers else "threads" if threads else "processes"
        items = prepared_items(todo, size, resize, workers, threads=threads, pin_memory=device.type == "cuda",
                               max_pixels=max_pixels)
        started = time.perf_counter()
        with BackgroundWriter(out / ROWS_FILE, images_dir, queue_size=2 * batch + 2) as writer, \
                progress_bar(console, "{task.fields[rate]} img/s", disable=not progress) as bar:
            task = bar.add_task(f"{method} @ {size}", total=len(todo), rate="–")

            def skip(reason: str) -> None:
                console.print(f"[yellow]skipped[/] {reason}", highlight=False, soft_wrap=True)
                skipped.append(reason)

            def run_batch(pending: list[PreparedItem]) -> None:
                """Model, metrics and rows of ``pending``. A failure skips the image it belongs to: a batch that
                fails is run again one image at a time, so only the failing image is skipped (named by its composite
                file)."""
                try:
                    composite, mask, target = _device_batch(pending, device, batch_buffers)
                    pred, batch_ms = clock.time(lambda: harmonize(model, composite, mask))
                    tic = time.perf_counter()
                    values = ([{}] * len(pending) if target is None
                              else metrics.compute_batch(pred, target, mask, profile=profile))
                    metric_seconds = time.perf_counter() - tic
                    outputs = pred.round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy() if save_images else None
                except Exception as exc:  # any per-image failure skips that image, never the run
                    if len(pending) > 1:
                        for item in pending:
                            run_batch([item])
                        return
                    skip(f"{pending[0].ref.composite_path}: {type(exc).__name__}: {exc}")
                    bar.advance(task)
                    return
                stages.model += batch_ms / 1000
                stages.metrics += metric_seconds
                for index, (item, metric_values) in enumerate(zip(pending, values, strict=True)):
                    row = {"name": item.ref.name, "subset": item.ref.subset, "input_hash": item.input_hash,
                           "original_size": list(item.original_size),
                           "eval_size": list(item.shape), "fg_ratio": float(item.mask.numpy().mean()),
                           "time_ms": round(batch_ms / len(pending), 3), **finite_metrics(metric_values)}
                    writer.put(row, None if outputs is None else outputs[index])
                stages.images += len(pending)
                bar.update(task, advance=len(pending),
                           rate=f"{stages.images / (time.perf_counter() - started):.2f}")

            pending: list[PreparedItem] = []
            wait_started = time.perf_counter()
            for index, item in enumerate(items):
                waited = time.perf_counter() - wait_started
                stages.input_wait += waited
                if index == 0:
                    stages.first_input = waited
                stages.load_prepare += item.seconds
                if item.error is not None:
                    skip(item.error)
                    bar.advance(task)
                else:
                    if pending and item.shape != pending[0].shape:  # only same-shape images share a batch
                        run_batch(pending)
                        pending = []
                    pending.append(item)
                    if len(pending) == batch:
                        run_batch(pending)
                        pending = []
                wait_started = time.perf_counter()
            if pending:
                run_batch(pending)
        stages.write = writer.seconds
        wall = time.perf_counter() - started

        rows = read_rows(out / ROWS_FILE)
        means, means_excluded = _means(rows)
        finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        write_json_atomic(out / SUMMARY_FILE, {**summary, "n_images": len(rows), "skipped": skipped, "means": means,
                                               "means_excluded": means_excluded,
                                               "complete": len(rows) + len(skipped) >= len(refs),
                                               "timing": timing_block(stages, wall, workers, batch, worker_kind),
                                               "finished": finished})
        return out


def _same_listing(previous: dict, current: dict) -> bool:
    """True when two data contexts name the same dataset folder and differ only in the file sizes or times."""
    unstamped = {"fingerprint": None, "modified": None}
    return isinstance(previous, dict) and {**previous, **unstamped} == {**current, **unstamped}


def _merge_context(summary: dict, key: str):
    """A shard's context entry as merge compares it: the data without its modification times, because the shards of
    one torchrun job may read separate copies of the same files (one per node)."""
    value = summary.get(key)
    return {**value, "modified": None} if key == "data" and isinstance(value, dict) else value


def _shard_coverage(runs) -> tuple[int, list[str]]:
    """The shard count N of ``runs`` and the shards ``i/N`` none of them holds. Each run must be a ``--shard i/N``
    run of one N, and no shard may appear twice (a ResultError otherwise)."""
    specs = []
    for run in runs:
        shard = run.summary.get("shard")
        if shard is None:
            raise ResultError(f"{run.path}: not a shard (run without --shard); cannot merge")
        specs.append((run.path, *parse_shard(shard)))
    counts = {count for _, _, count in specs}
    if len(counts) > 1:
        raise ResultError("merge: shards of different counts (" + ", ".join(
            f"{path}: {index}/{count}" for path, index, count in specs) + "); merge the shards of one N")
    [count] = counts
    seen = {}
    for path, index, _ in specs:
        if index in seen:
            raise ResultError(f"{path}: shard {index}/{count} given twice (also {seen[index]}); cannot merge")
        seen[index] = path
    return count, [f"{index}/{count}" for index in range(count) if index not in seen]


def _check_merge_target(out: Path, runs, first: dict) -> None:
    """Refuse an ``out`` that is one of the shards or holds another run: only an earlier merge of the same context
    may be replaced."""
    if any(out.resolve() == run.path.resolve() for run in runs):
        raise ResultError(f"{out}: is one of the shards; pass another --out")
    if not (out / SUMMARY_FILE).exists() and not (out / ROWS_FILE).exists():
        return
    if not (out / SUMMARY_FILE).exists():
        raise ResultError(f"{out}: holds result rows of an unknown run; pass another --out or delete the folder")
    previous = load_run(out).summary
    differing = [k for k in CONTEXT_KEYS if _merge_context(previous, k) != _merge_context(first, k)]
    if differing or "merged_from" not in previous:
        reason = f"a run with a different {', '.join(differing)}" if differing else "a run that is not a merge"
        raise ResultError(f"{out}: holds {reason}; pass another --out or delete the folder")


def _carry_images(runs, rows: dict[str, dict], sources: dict[str, Path], out: Path) -> bool:
    """Put each merged row's PNG into ``out/images`` (a hard link, a copy across filesystems); True when every row
    has its image, False (nothing carried) when a shard did not save images or lacks one."""
    if not all(run.summary.get("save_images") for run in runs):
        return False
    images = {name: sources[name] / IMAGES_DIR / f"{name}.png" for name in rows}
    if not all(path.is_file() for path in images.values()):
        return False
    (out / IMAGES_DIR).mkdir(parents=True, exist_ok=True)
    for name, path in images.items():
        target = out / IMAGES_DIR / f"{name}.png"
        target.unlink(missing_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    return True


def merge(shard_dirs, out: str | Path) -> Path:
    """Join the shard result folders of one run (``--shard i/N``, one N, contexts equal) into ``out``: rows united,
    each image once, images carried over when every shard saved them (``save_images`` says whether they were).

    The merge is ``complete`` only when every shard ``0/N`` .. ``N-1/N`` is given and complete; shards not given are
    listed under ``missing_shards``. A shard given twice, shards of different N, or an ``out`` that holds another
    run (anything but an earlier merge of the same context) is a ResultError."""
    runs = [load_run(d) for d in shard_dirs]
    if not runs:
        raise ResultError("merge: no shard folders given")
    first = runs[0].summary
    for run in runs[1:]:
        differing = [k for k in CONTEXT_KEYS if _merge_context(run.summary, k) != _merge_context(first, k)]
        if differing:
            raise ResultError(f"{run.path}: differs from {runs[0].path} in {', '.join(differing)}; cannot merge")
    _, missing = _shard_coverage(runs)
    out = Path(out)
    with folder_lock(out):
        _check_merge_target(out, runs, first)
        rows, sources = {}, {}
        for run in runs:
            for row in run.rows:
                if row["name"] not in rows:
                    rows[row["name"]], sources[row["name"]] = row, run.path
        write_rows = sorted(rows.values(), key=lambda r: r["name"])
        if (out / ROWS_FILE).exists():
            (out / ROWS_FILE).unlink()
        with RowWriter(out / ROWS_FILE) as writer:
            for row in write_rows:
                writer.append(row)
        skipped = [s for run in runs for s in run.summary.get("skipped", [])]
        listed = sum(run.summary.get("n_listed", 0) for run in runs)
        means, means_excluded = _means(write_rows)
        merged = {**first, "shard": None, "merged_from": [str(r.path) for r in runs], "n_listed": listed,
                  "n_images": len(write_rows), "skipped": skipped, "means": means, "means_excluded": means_excluded,
                  "complete": not missing and all(r.summary.get("complete") for r in runs), "missing_shards": missing,
                  "save_images": _carry_images(runs, rows, sources, out)}
        merged.pop("timing", None)
        if all("timing" in run.summary for run in runs):
            merged["timing"] = merged_timing([run.summary["timing"] for run in runs])
        write_json_atomic(out / SUMMARY_FILE, merged)
        return out


def merged_timing(blocks: list[dict]) -> dict:
    """The timing of shards that ran side by side: stage seconds and images summed, ``wall_s`` the longest shard's,
    ``images_per_s`` = all images / that wall time, the device share and bottleneck flag recomputed from the sums
    over the sum of wall times (the shards' devices together), the share after the start over that sum less each
    shard's ``first_input_s`` (reported: the longest)."""
    wall = max(block["wall_s"] for block in blocks)
    images = sum(block["images"] for block in blocks)
    sums = {key: round(sum(block[key] for block in blocks), 3)
            for key in ("load_prepare_s", "input_wait_s", "model_s", "metrics_s", "write_s")}
    total_wall = sum(block["wall_s"] for block in blocks)
    busy_s = sums["model_s"] + sums["metrics_s"]
    busy = _share(busy_s, total_wall)
    running = total_wall - sum(block.get("first_input_s", 0.0) for block in blocks)  # older blocks lack it
    return {"images": images, "wall_s": wall, **sums, "images_per_s": round(images / wall, 3) if wall > 0 else None,
            "first_input_s": max(block.get("first_input_s", 0.0) for block in blocks),
            "workers": blocks[0]["workers"], "worker_kind": blocks[0].get("worker_kind"), "batch": blocks[0]["batch"],
            "shards": len(blocks), "device_busy_share": round(busy, 3),
            "device_busy_share_after_start": round(_share(busy_s, running), 3),
            "device_bound": busy >= DEVICE_BOUND_SHARE}
