"""Where a learned method's weights come from: resolution, the refusal message, and the record kept in results.

A learned method (registry ``trainable=True``) never runs on random weights by accident. :func:`resolve_weights`
looks, in this order, at

1. an explicit path (``--weights PATH``);
2. the weights folder (``--weights-dir``; default ``$HARMBENCH_WEIGHTS``, else ``./weights``), which may hold the
   official release files named in the registry metadata (``official_weights``, e.g. ``HAdobe5k_2048.pth``) or
   harmbench checkpoints named by method, ``<method>-<size>.pt`` then ``<method>.pt``;
3. the folder ``harmbench train`` writes by default for that method and size, ``checkpoints/<method>-<size>/``:
   ``best.pt``, else ``last.pt``.

Nothing found is a :class:`WeightsNotFoundError` whose one message says where it looked, the official file name, where
the release can be downloaded (``MethodInfo.release``) and the ``harmbench train`` command that would make a
checkpoint. ``random_init=True`` runs anyway; the result context then records :data:`UNTRAINED`, which tables label
"untrained" and keep out of comparisons with the paper. Training-free methods need no weights.

Weights are identified in result contexts by the sha256 of the file, not by a hash of the tensors: anyone can check
it with ``sha256sum`` against a release's published checksum, it needs no rule for key renaming, dtypes or tensor
order, and it stays cheap for large release files. It identifies trained weights reliably because
``harmbench train`` writes byte-identical checkpoints for identical trainings (no times or data paths inside,
a fixed archive name; see :func:`harmbench.checkpoints.save_checkpoint`). The price: the same tensors in another
container (a release re-saved as a harmbench checkpoint, a checkpoint with other training extras) count as other
weights, so such a result is evaluated again rather than silently taken as the same.

Floor 1: imports only the registry.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

from harmbench.registry import MethodError, MethodInfo, file_sha256, get_method

WEIGHTS_DIR_ENV = "HARMBENCH_WEIGHTS"
TRAIN_ROOT = Path("checkpoints")  # harmbench train's default: checkpoints/<method>-<size>
TRAIN_FILES = ("best.pt", "last.pt")  # best by validation first; last.pt when training ran without validation
UNTRAINED = {"untrained": True}  # the result context's "weights" of a --random-init run of a learned method

# Origins, in the order they are searched.
FROM_FLAG, FROM_WEIGHTS_DIR, FROM_TRAIN_FOLDER = "--weights", "weights folder", "harmbench train folder"

# A release file name inside the free-text ``official_weights`` metadata ("latest_net_G.pth (released model uses ...)").
_RELEASE_FILE = re.compile(r"[\w.-]+\.(?:pth\.tar|pth|pt|ckpt)\b")


class WeightsNotFoundError(MethodError):
    """A learned method with no weights anywhere harmbench looks; the message lists the places and the remedies."""


@dataclass(frozen=True)
class WeightsSource:
    """One weights file chosen for a run: ``path``; ``origin`` (one of the three places above); ``official``: the
    file carries an official release name of the method; ``sha256`` of its bytes; ``written``: the file's
    modification date (UTC, ISO), i.e. when ``harmbench train`` saved it."""

    path: Path
    origin: str
    official: bool
    sha256: str
    written: str

    @classmethod
    def of(cls, path: Path, origin: str, info: MethodInfo) -> WeightsSource:
        path = Path(path)
        if not path.is_file():
            raise MethodError(f"{path}: weights file not found")
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
        return cls(path, origin, path.name in official_files(info), file_sha256(path),
                   modified.date().isoformat())

    def context(self) -> dict:
        """The result context's ``weights`` entry (compared on resume and merge)."""
        return {"path": str(self.path), "sha256": self.sha256, "origin": self.origin,
                "kind": "official release" if self.official else "checkpoint"}

    def line(self) -> str:
        """'PATH (sha256 abcdef012345…, trained DATE; from the ORIGIN)'; 'official release file' in place of the
        date for a file under a release name (its date on disk says nothing about its training)."""
        when = "official release file" if self.official else f"trained {self.written}"
        return f"{self.path} (sha256 {self.sha256[:12]}…, {when}; from the {self.origin})"


def official_files(info: MethodInfo) -> list[str]:
    """The release file names in ``info.official_weights`` (free text: names ending .pth, .pth.tar, .pt, .ckpt)."""
    return _RELEASE_FILE.findall(info.official_weights)


def default_weights_dir() -> Path:
    """``$HARMBENCH_WEIGHTS`` when set, else ``./weights``."""
    return Path(os.environ.get(WEIGHTS_DIR_ENV) or "weights")


def train_folder(method: str, size: int) -> Path:
    """The folder ``harmbench train --method METHOD --size SIZE`` writes when no ``--out`` is given."""
    return TRAIN_ROOT / f"{method}-{size}"


def candidates(info: MethodInfo, size: int, weights_dir: Path) -> list[tuple[Path, str]]:
    """Every (path, origin) searched for ``info`` at ``size``, in order (existing or not)."""
    in_folder = [weights_dir / name for name in official_files(info)]
    in_folder += [weights_dir / f"{info.name}-{size}.pt", weights_dir / f"{info.name}.pt"]
    trained = [train_folder(info.name, size) / name for name in TRAIN_FILES]
    return [(p, FROM_WEIGHTS_DIR) for p in in_folder] + [(p, FROM_TRAIN_FOLDER) for p in trained]


def resolve_weights(method: str, size: int, weights: str | Path | None = None, weights_dir: str | Path | None = None,
                    random_init: bool = False) -> WeightsSource | None:
    """The weights a run of ``method`` at ``size`` uses (see the module docstring); None means the model keeps its
    initial weights: a training-free method without ``weights``, or ``random_init`` for a learned one."""
    info = get_method(method)
    if weights is not None:
        return WeightsSource.of(Path(weights), FROM_FLAG, info)
    if not info.trainable or random_init:
        return None
    folder = Path(weights_dir) if weights_dir is not None else default_weights_dir()
    for path, origin in candidates(info, size, folder):
        if path.is_file():
            return WeightsSource.of(path, origin, info)
    raise WeightsNotFoundError(not_found_message(info, size, folder))


def not_found_message(info: MethodInfo, size: int, weights_dir: Path) -> str:
    """The refusal: places searched, the official file and where to get it, the train command, --random-init."""
    looked = ", ".join(str(path) for path, _ in candidates(info, size, weights_dir))
    files = official_files(info)
    if files:
        official = f"official weights: {' or '.join(files)} from {info.release or 'an unknown place'}"
        official += f"; put it in {weights_dir}/ or pass --weights PATH"
    else:
        official = "no public release of official weights"
    train = f"harmbench train --method {info.name} --size {size} --data IHARMONY4_ROOT"
    return (f"no weights for learned method '{info.name}' at size {size}; looked for {looked}. {official}. "
            f"Train one with `{train}`, or pass --random-init to score an untrained network (labelled untrained).")


def find_local(info: MethodInfo, weights_dir: Path | None = None) -> list[Path]:
    """Weights on disk for ``info`` at any size: the weights folder's files for it and every
    ``checkpoints/<method>-<size>/{best,last}.pt`` (what ``harmbench list`` and ``harmbench weights`` show)."""
    folder = weights_dir if weights_dir is not None else default_weights_dir()
    found = [folder / name for name in official_files(info) if (folder / name).is_file()]
    found += sorted(path for path in folder.glob(f"{glob.escape(info.name)}*.pt")
                    if re.fullmatch(rf"{re.escape(info.name)}(-\d+)?\.pt", path.name))
    for run in sorted(TRAIN_ROOT.glob(f"{glob.escape(info.name)}-*")):
        if re.fullmatch(rf"{re.escape(info.name)}-\d+", run.name):
            found += [path for path in (run / name for name in TRAIN_FILES) if path.is_file()][:1]
    return found


def is_untrained(summary: dict) -> bool:
    """True for a result of a learned method run with ``--random-init``."""
    return summary.get("weights") == UNTRAINED
