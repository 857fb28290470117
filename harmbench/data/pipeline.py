"""Decoding, validation and the resize protocol, run ahead of the model by background workers: threads of this
process, or the worker processes of a torch ``DataLoader``.

Threads hand their images over for free; processes hand them over through shared memory (a 2048² composite, its
target and mask are ~30 MB: written there by the worker, page-faulted in by the main process), which on a 2-core
machine measured as costly as decoding them (2048x1024 JPEGs squashed to 2048, composite at 2048: 95-106 ms per
image with one worker process, 64-70 ms with one worker thread, 87-96 ms without workers). The work itself releases
the GIL (Pillow's decoders, the compiled resize, NumPy's checks), so threads overlap it with the model as processes
do. Processes stay for CUDA runs: the DataLoader pins their batches for asynchronous copies, and many workers feeding
a fast device never contend for the interpreter.

The unit of work is a *group*: a run of consecutive refs that share a real image (or, for real composites, a mask);
the readers list such composites next to each other. A group is handled by one worker with one
:class:`~harmbench.data.io.SampleLoader`, so each real image and mask is still decoded once (and resized once: the
group's items share those tensors), and the DataLoader keeps the groups in listing order, so the items come out in
the order of the refs whatever the number of workers.

A :class:`~harmbench.data.sample.DataError`, or any error of the resize protocol on one image, does not stop the
loader: the item carries a one-line message naming the file in ``error`` and the caller reports it as a skipped
image.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch.utils.data import DataLoader
from torch.utils.data import Dataset as TorchDataset

from harmbench.data.io import SampleLoader
from harmbench.data.resize import Prepared, load_resize_kernel, prepare
from harmbench.data.sample import DataError, Sample, SampleRef

MAX_DEFAULT_WORKERS = 8
PREFETCH_GROUPS = 2  # groups each worker keeps ready ahead of the model


def default_workers() -> int:
    """Half the CPUs this process may use (the rest run the model and metrics), at least 1, at most 8."""
    return max(1, min(MAX_DEFAULT_WORKERS, len(os.sched_getaffinity(0)) // 2))


@dataclass
class PreparedItem:
    """One composite at evaluation resolution, as the loader hands it over, or the reason it cannot be used.

    composite/target: (H, W, 3) uint8 tensors (what the resize protocols produce); mask: (H, W) float32 in [0, 1].
    Composites of one group that share their real image or mask share that tensor too (read it, do not edit it).
    ``seconds``: wall time the worker spent decoding, checking and resizing it; ``input_hash``: the sample's digest
    of its input files.
    """

    ref: SampleRef
    original_size: tuple[int, int] | None = None
    composite: torch.Tensor | None = None
    target: torch.Tensor | None = None
    mask: torch.Tensor | None = None
    seconds: float = 0.0
    error: str | None = None
    input_hash: str | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.mask.shape)


class PreparedGroup(list):
    """The :class:`PreparedItem` of one group, as a worker hands them over."""

    def pin_memory(self) -> PreparedGroup:
        """Page-locked copies, for asynchronous host-to-GPU copies (the DataLoader calls this under pin_memory).
        Each distinct tensor is pinned once: a real image (5 composites share one in HAdobe5k) or mask shared in
        the group stays shared, so it is copied once here, and the runner sends it to the GPU once."""
        pinned: dict[int, torch.Tensor] = {}

        def pin(tensor: torch.Tensor | None) -> torch.Tensor | None:
            if tensor is not None and id(tensor) not in pinned:
                pinned[id(tensor)] = tensor.pin_memory()
            return None if tensor is None else pinned[id(tensor)]

        return PreparedGroup(item if item.error is not None else
                             replace(item, composite=pin(item.composite), mask=pin(item.mask), target=pin(item.target))
                             for item in self)


def group_refs(refs: list[SampleRef]) -> list[list[SampleRef]]:
    """Consecutive runs of refs that share a real image (refs with one: a mask), in order."""
    groups: list[list[SampleRef]] = []
    previous_key = None
    for ref in refs:
        key = ref.target_path if ref.target_path is not None else ref.mask_path
        if groups and key == previous_key:
            groups[-1].append(ref)
        else:
            groups.append([ref])
        previous_key = key
    return groups


class PreparedGroups(TorchDataset):
    """Map-style dataset over :func:`group_refs`: item ``i`` is the :class:`PreparedGroup` of group ``i``."""

    def __init__(self, refs: list[SampleRef], size: int, protocol: str, max_pixels: int | None = None):
        self.groups = group_refs(refs)
        self.size = size
        self.protocol = protocol
        self._loader = SampleLoader(max_pixels)  # each worker process works on its own copy
        self._previous: tuple[Sample, Prepared, PreparedItem] | None = None  # the group's last image

    def __len__(self) -> int:
        return len(self.groups)

    def _tensor(self, array: np.ndarray | None, field: str) -> torch.Tensor | None:
        """``array`` as a tensor sharing its memory; the previous item's tensor where prepare reused that item's
        array, so a real image or mask resized once for the group is one tensor (pickled once out of a worker)."""
        if array is None:
            return None
        if self._previous is not None and array is getattr(self._previous[1], field):
            return getattr(self._previous[2], field)
        return torch.from_numpy(array)

    def _prepare(self, ref: SampleRef) -> PreparedItem:
        tic = time.perf_counter()
        try:
            sample = self._loader.load(ref)
        except DataError as exc:
            return PreparedItem(ref=ref, error=str(exc), seconds=time.perf_counter() - tic)
        try:
            prepared = prepare(sample, self.size, self.protocol,
                               previous=None if self._previous is None else self._previous[:2])
        except Exception as exc:  # a failure on one image skips it, never the run
            return PreparedItem(ref=ref, error=f"{ref.composite_path}: {type(exc).__name__}: {exc}",
                                seconds=time.perf_counter() - tic)
        item = PreparedItem(ref=ref, original_size=sample.original_size, composite=torch.from_numpy(prepared.composite),
                            target=self._tensor(prepared.target, "target"), mask=self._tensor(prepared.mask, "mask"),
                            seconds=time.perf_counter() - tic, input_hash=sample.input_hash)
        self._previous = (sample, prepared, item)
        return item

    def __getitem__(self, index: int) -> PreparedGroup:
        self._previous = None
        try:
            return PreparedGroup(self._prepare(ref) for ref in self.groups[index])
        finally:
            self._previous = None  # the next group shares nothing with this one; free the arrays


def _as_is(group: PreparedGroup) -> PreparedGroup:
    return group


def _thread_prefetched(refs: list[SampleRef], size: int, protocol: str, max_pixels: int | None,
                       workers: int) -> Iterator[PreparedGroup]:
    """The groups of ``refs``, prepared in order by ``workers`` threads, each at most PREFETCH_GROUPS ahead."""
    own = threading.local()  # each thread its own PreparedGroups: the loader keeps the last real image and mask

    def prepare(index: int) -> PreparedGroup:
        if not hasattr(own, "groups"):
            own.groups = PreparedGroups(refs, size, protocol, max_pixels)
        return own.groups[index]

    count = len(group_refs(refs))
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="harmbench-data") as pool:
        try:
            for index in range(count):
                pending.append(pool.submit(prepare, index))
                if len(pending) >= workers * PREFETCH_GROUPS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:  # the consumer stopped early (an error, a closed generator): drop what is not started
            pool.shutdown(wait=True, cancel_futures=True)


def prepared_items(refs: list[SampleRef], size: int, protocol: str, workers: int, threads: bool = False,
                   pin_memory: bool = False, max_pixels: int | None = None) -> Iterator[PreparedItem]:
    """The refs decoded, checked and brought to evaluation resolution, in order, by ``workers`` background threads
    (``threads``) or DataLoader processes (else); 0: in this process, when the next item is asked for.
    ``pin_memory``: page-locked tensors (processes only); ``max_pixels``: see :class:`SampleLoader`."""
    if workers < 0:
        raise ValueError(f"--workers must be 0 or more, got {workers}")
    if workers and protocol == "squash":
        load_resize_kernel()  # once here: forked workers inherit it, threads share it
    if workers and threads:
        groups = _thread_prefetched(refs, size, protocol, max_pixels, workers)
    else:
        groups = DataLoader(PreparedGroups(refs, size, protocol, max_pixels), batch_size=None, shuffle=False,
                            num_workers=workers, collate_fn=_as_is, pin_memory=pin_memory,
                            prefetch_factor=PREFETCH_GROUPS if workers else None)
    for group in groups:
        yield from group
