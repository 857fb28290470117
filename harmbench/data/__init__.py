"""Datasets: readers (iHarmony4 layout, real-composite folders, the synthetic set), decoding, evaluation resize."""

from __future__ import annotations

from pathlib import Path

from harmbench.data.dataset import Dataset
from harmbench.data.ihd import is_ihd_root, read_ihd
from harmbench.data.io import SampleLoader, read_image, read_mask
from harmbench.data.layouts import Layout, open_layout, register_layout, registered_layouts
from harmbench.data.real import read_real, read_real_layout
from harmbench.data.resize import RESIZE_PROTOCOLS, Prepared, prepare, to_tensors
from harmbench.data.sample import DataError, Sample, SampleRef
from harmbench.data.synth import default_dataset, default_dataset_root, make_synthetic

register_layout("ihd", is_ihd_root, read_ihd)
register_layout("real", Path.is_dir, read_real_layout, fallback=True)


def open_dataset(path=None, split: str = "test", subset: str | None = None) -> Dataset:
    """Open ``path`` with the first registered layout that accepts it (:mod:`harmbench.data.layouts`).

    None -> the default synthetic set (made on first use, iHarmony4 layout); a folder in the iHarmony4 layout
    (``composite_images/`` with ``real_images/`` or split files, itself or in subfolders) -> :func:`read_ihd`; any
    other folder -> :func:`read_real` (composite + mask pairs; ``split`` does not apply, ``subset`` is an error).
    """
    return open_layout(default_dataset() if path is None else Path(path), split, subset)


__all__ = [
    "RESIZE_PROTOCOLS",
    "DataError",
    "Dataset",
    "Layout",
    "Prepared",
    "Sample",
    "SampleLoader",
    "SampleRef",
    "default_dataset",
    "default_dataset_root",
    "make_synthetic",
    "open_dataset",
    "prepare",
    "read_ihd",
    "read_image",
    "read_mask",
    "read_real",
    "register_layout",
    "registered_layouts",
    "to_tensors",
]
