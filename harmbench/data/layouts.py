"""Dataset layouts, registered like methods: a name, a detector (does this folder look like the layout?) and a
reader (folder, split, subset -> :class:`~harmbench.data.dataset.Dataset`).

:func:`open_dataset` tries the layouts in registration order and uses the first whose detector accepts the folder;
layouts registered with ``fallback=True`` (they accept any folder) are tried only after all others. Adding a layout
is one reader plus one :func:`register_layout` line in :mod:`harmbench.data` (where the built-in ones register, in
this order: ``ihd``, then the fallback ``real``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harmbench.data.dataset import Dataset
from harmbench.data.sample import DataError


@dataclass(frozen=True)
class Layout:
    """One registered dataset layout."""

    name: str
    detect: Callable[[Path], bool]
    read: Callable[[Path, str, str | None], Dataset]
    fallback: bool = False


_LAYOUTS: dict[str, Layout] = {}


def register_layout(name: str, detect: Callable[[Path], bool], read: Callable[[Path, str, str | None], Dataset],
                    fallback: bool = False) -> Layout:
    """Add a layout; ``read(folder, split, subset)`` raises DataError for what it cannot use."""
    if name in _LAYOUTS:
        raise ValueError(f"dataset layout '{name}' is already registered")
    layout = Layout(name, detect, read, fallback)
    _LAYOUTS[name] = layout
    return layout


def registered_layouts() -> list[Layout]:
    """The registered layouts in the order :func:`open_dataset` tries them."""
    return sorted(_LAYOUTS.values(), key=lambda layout: layout.fallback)  # stable: registration order otherwise


def open_layout(path: Path, split: str, subset: str | None) -> Dataset:
    """Read the folder ``path`` with the first layout that accepts it."""
    if not path.exists():
        raise DataError(f"{path}: missing")
    if not path.is_dir():
        raise DataError(f"{path}: not a folder (give an iHarmony4/HAdobe5k folder or a folder of composites and masks)")
    for layout in registered_layouts():
        if layout.detect(path):
            return layout.read(path, split, subset)
    raise DataError(f"{path}: no dataset layout fits this folder (known: {', '.join(_LAYOUTS)})")
