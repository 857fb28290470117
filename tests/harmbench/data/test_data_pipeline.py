"""The data pipeline's items: what the workers hand over, and what composites of one real image share."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data._utils.pin_memory import pin_memory

from harmbench.data import SampleLoader, open_dataset, prepare
from harmbench.data.pipeline import PreparedGroup, PreparedGroups, PreparedItem, prepared_items


@pytest.fixture
def shared(tmp_path):
    """iHarmony4 layout: 2 reals, one mask each, 3 composites per mask (as HAdobe5k lists them: next to each other)."""
    root = tmp_path / "shared"
    for folder in ("composite_images", "masks", "real_images"):
        (root / folder).mkdir(parents=True)
    rng = np.random.default_rng(0)
    names = []
    for r in range(2):
        real = rng.integers(0, 256, (30, 44, 3), dtype=np.uint8)
        mask = np.zeros((30, 44), np.uint8)
        mask[5:20, 8:30] = 255
        Image.fromarray(real).save(root / "real_images" / f"s{r:04d}.png")
        Image.fromarray(mask).save(root / "masks" / f"s{r:04d}_1.png")
        for c in range(3):
            name = f"s{r:04d}_1_{c + 1}.png"
            Image.fromarray(rng.integers(0, 256, (30, 44, 3), dtype=np.uint8)).save(root / "composite_images" / name)
            names.append(name)
    (root / "shared_test.txt").write_text("\n".join(names) + "\n")
    return root


WORKERS = [(0, False), (2, False), (2, True)]  # (workers, threads): in this process, 2 processes, 2 threads


@pytest.mark.parametrize(("workers", "threads"), WORKERS)
@pytest.mark.parametrize("protocol", ["squash", "none"])
def test_items_equal_prepare_and_share_the_real_image_and_mask_of_their_group(shared, workers, threads, protocol):
    refs = open_dataset(shared).refs
    items = list(prepared_items(refs, 24, protocol, workers=workers, threads=threads))
    loader = SampleLoader()
    for item, ref in zip(items, refs, strict=True):
        expected = prepare(loader.load(ref), 24, protocol)  # each image on its own
        assert item.error is None and item.ref.name == ref.name
        assert item.composite.dtype == item.target.dtype == torch.uint8 and item.mask.dtype == torch.float32
        for tensor, array in ((item.composite, expected.composite), (item.target, expected.target),
                              (item.mask, expected.mask)):
            np.testing.assert_array_equal(tensor.numpy(), array)
    for group in (items[:3], items[3:]):  # resized once per real image and mask: one tensor, pickled once
        assert all(item.target is group[0].target and item.mask is group[0].mask for item in group)
        assert group[0].composite is not group[1].composite
    assert items[0].target is not items[3].target


def test_pinning_a_group_keeps_its_shared_tensors_shared(shared, monkeypatch):
    """Under the DataLoader's pin_memory (CUDA runs) a group is pinned with each distinct tensor copied once, so the
    real image and mask its composites share stay one tensor each (the runner then sends them to the GPU once).
    Pinning needs CUDA; a clone stands in for it here."""
    pinned = []
    monkeypatch.setattr(torch.Tensor, "pin_memory", lambda tensor: pinned.append(tensor) or tensor.clone())
    group = PreparedGroups(open_dataset(shared).refs, 24, "squash")[0]
    group.append(PreparedItem(ref=group[0].ref, error="broken"))  # an unusable image passes through as it is
    result = pin_memory(group)  # what the DataLoader's pinning thread calls
    assert isinstance(result, PreparedGroup) and len(result) == 4 and result[3] is group[3]
    assert len(pinned) == 3 + 1 + 1  # three composites, one real image, one mask
    assert all(item.target is result[0].target and item.mask is result[0].mask for item in result[:3])
    for before, after in zip(group[:3], result[:3], strict=True):
        assert after.composite is not before.composite and torch.equal(after.composite, before.composite)
        assert after.target is not before.target and torch.equal(after.target, before.target)


def test_a_consumer_that_stops_early_stops_the_worker_threads(shared):
    refs = open_dataset(shared).refs * 20  # 40 groups: far more than the threads prefetch
    items = prepared_items(refs, 24, "squash", workers=2, threads=True)
    assert next(items).error is None
    items.close()
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("harmbench-data")]
