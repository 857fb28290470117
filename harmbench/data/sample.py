"""The two records an image travels in: a reference to files, and the decoded sample."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


class DataError(ValueError):
    """Bad input data; the message names the file and the problem in one line."""


@dataclass(frozen=True)
class SampleRef:
    """Where one composite's files are; nothing decoded yet.

    ``name`` is the composite's file stem (e.g. ``a0001_1_2``); unique within a dataset and used as the result key.
    ``target_path`` is None for real composites (no ground truth).
    """

    name: str
    subset: str
    composite_path: Path
    mask_path: Path
    target_path: Path | None = None


@dataclass
class Sample:
    """One decoded composite at its original resolution.

    composite/target: H x W x 3 uint8 RGB; mask: H x W float32 in [0, 1] (first channel / 255, not binarised).
    ``input_hash``: digest of the bytes of the composite, mask and real image files (see ``data.io.input_hash``).
    """

    name: str
    subset: str
    composite: np.ndarray
    mask: np.ndarray
    target: np.ndarray | None
    input_hash: str | None = None

    @property
    def original_size(self) -> tuple[int, int]:
        """(height, width) of the original files."""
        return self.composite.shape[0], self.composite.shape[1]
