"""Datasets: readers (iHarmony4 layout, real-composite folders, the synthetic set), decoding, evaluation resize."""

from __future__ import annotations

from pathlib import Path

from harmbench.data.dataset import Dataset
from harmbench.data.ihd import is_ihd_root, read_ihd
from harmbench.data.io import SampleLoader, read_image, read_mask
from harmbench.data.real import read_real
from harmbench.data.resize import RESIZE_PROTOCOLS, Prepared, prepare, to_tensors
from harmbench.data.sample import DataError, Sample, SampleRef
from harmbench.data.synth import default_dataset, default_dataset_root, make_synthetic


def open_dataset(path=None, split: str = "test", subset: str | None = None) -> Dataset:
    """Open ``path`` as the right kind of dataset.

    None -> the default synthetic set (made on first use); a folder in the iHarmony4 layout (``composite_images/``
    with ``real_images/`` or split files, itself or in subfolders) -> :func:`read_ihd`; any other folder ->
    :func:`read_real` (composite + mask pairs; ``split`` does not apply).
    """
    if path is None:
        return read_ihd(default_dataset(), split=split, subset=subset)
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: missing")
    if not path.is_dir():
        raise DataError(f"{path}: not a folder (give an iHarmony4/HAdobe5k folder or a folder of composites and masks)")
    if is_ihd_root(path):
        return read_ihd(path, split=split, subset=subset)
    if subset is not None:
        raise DataError(f"{path}: subset '{subset}' given, but this is a folder of real composites, not iHarmony4")
    return read_real(path)


__all__ = [
    "RESIZE_PROTOCOLS",
    "DataError",
    "Dataset",
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
    "to_tensors",
]
