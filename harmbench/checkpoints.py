"""Reading and writing model weights with clear errors. Imports only the registry (never the factory or a job).

Two formats are accepted: harmbench checkpoints (``{"harmbench": 1, "method": name, "family": ..., "config": {...},
"state_dict": {...}}``, written by ``harmbench train``) and raw state_dicts as the original authors' code writes them,
converted by the method's ``convert_official`` (which passes keys already in harmbench's names through). A raw
state_dict may be wrapped in ``{"state_dict": ...}``, ``{"model": ...}``, ``{"netG": ...}`` or ``{"net": ...}`` (with
other entries such as the epoch or the optimiser beside it) and its keys may carry the ``module.`` prefix of
``DataParallel`` / ``DistributedDataParallel``. BatchNorm counters (``num_batches_tracked``) that checkpoints of
PyTorch < 0.4.1 lack are not required: the model keeps its own, as PyTorch does for its own old checkpoints.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from harmbench.registry import MethodError, MethodInfo, get_method


def read_checkpoint(path: str | Path) -> dict:
    """``torch.load`` with ``weights_only=True``, turning every failure into one line that names the file."""
    path = Path(path)
    if not path.is_file():
        raise MethodError(f"{path}: weights file not found")
    try:
        with warnings.catch_warnings():  # e.g. "Detected pickle protocol 4": noise before the refusal below
            warnings.simplefilter("ignore", UserWarning)
            obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for corrupt or foreign files
        raise MethodError(f"{path}: not a readable PyTorch checkpoint of tensors ({_load_failure(exc)})") from None
    if not isinstance(obj, dict):
        raise MethodError(f"{path}: expected a dict of tensors, found {type(obj).__name__}")
    return obj


def _load_failure(exc: Exception) -> str:
    """One line on why ``torch.load`` failed. A weights_only refusal (random bytes, or a pickle holding code) names
    its reason after "WeightsUnpickler error:"; torch's surrounding advice to disable weights_only never applies."""
    text = str(exc)
    if "WeightsUnpickler error:" in text:
        after = text.split("WeightsUnpickler error:", 1)[1]
        reason = next((line.strip() for line in after.splitlines() if line.strip()), "")
        return f"refused by the safe loader: {reason}; harmbench never unpickles code"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"{type(exc).__name__}: {first[:200]}"


RAW_WRAPPERS = ("state_dict", "model", "netG", "net")  # where training scripts nest a raw state_dict


def _without_parallel_prefix(key: str) -> str:
    """``module.`` prefixes added by (nested) DataParallel / DistributedDataParallel removed."""
    while key.startswith("module."):
        key = key.removeprefix("module.")
    return key


def state_dict_of(obj: dict, info: MethodInfo, path: str | Path) -> dict[str, torch.Tensor]:
    """The state_dict inside a loaded checkpoint, in this module's key names."""
    if "harmbench" in obj:
        if obj.get("family") != info.family:
            raise MethodError(f"{path}: checkpoint is for method '{obj.get('method')}' (family '{obj.get('family')}'),"
                              f" not for '{info.name}' (family '{info.family}')")
        return {_without_parallel_prefix(k): v for k, v in obj["state_dict"].items()}
    for key in RAW_WRAPPERS:
        if isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    state = {_without_parallel_prefix(k): v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    return info.convert_official(state) if info.convert_official else state


Rename = tuple[str, str | Callable[[re.Match], str]]


def rename_keys(state: dict[str, torch.Tensor], rules: Sequence[Rename],
                drop: str | None = None) -> dict[str, torch.Tensor]:
    """Every key of ``state`` rewritten by ``re.sub`` with each ``(pattern, replacement)`` rule in turn; keys that
    match the ``drop`` pattern (before renaming) are left out. The building block of ``convert_official``."""
    compiled = [(re.compile(pattern), replacement) for pattern, replacement in rules]
    dropped = re.compile(drop) if drop else None
    renamed = {}
    for key, value in state.items():
        if dropped is not None and dropped.search(key):
            continue
        for pattern, replacement in compiled:
            key = pattern.sub(replacement, key)
        renamed[key] = value
    return renamed


def trained_overrides(obj: dict, info: MethodInfo) -> dict:
    """Config fields a harmbench checkpoint was trained with that differ from its method's registered defaults
    (``--config`` overrides, ``--tiny``), limited to fields of ``info``'s config; {} for official checkpoints.

    Loading ``cdtnet-256`` weights trained with ``lr_size=128`` into ``cdtnet-256-sim`` thus keeps lr 128 while the
    name's own defaults (the sim mode) still apply.
    """
    if "harmbench" not in obj or not isinstance(obj.get("config"), dict):
        return {}
    try:
        trained = get_method(obj["method"])
        trained_defaults = dataclasses.asdict(trained.make_config())
        # a preset field (CDTNet's recipe) sets other fields' defaults: compare those with the defaults under it
        presets = {f.name: obj["config"][f.name] for f in dataclasses.fields(trained.config)
                   if f.metadata.get("preset") and f.name in obj["config"]}
        trained_defaults = {**dataclasses.asdict(trained.make_config(**presets)),
                            **{k: trained_defaults[k] for k in presets}}
    except MethodError:  # the training method is no longer registered: trust the saved config as a whole
        trained_defaults = {}
    fields = {f.name for f in dataclasses.fields(info.config)}
    return {k: v for k, v in obj["config"].items() if k in fields and trained_defaults.get(k, object()) != v}


def load_state(model: torch.nn.Module, info: MethodInfo, obj: dict, path: str | Path) -> None:
    """Load a checkpoint already read from ``path`` into ``model`` strictly; missing, unexpected or mis-shaped keys
    are listed in the error."""
    state = state_dict_of(obj, info, path)
    own = model.state_dict()
    # checkpoints of PyTorch < 0.4.1 have no BatchNorm counters; load_state_dict keeps the model's own then
    missing = sorted(k for k in set(own) - set(state) if not k.endswith(".num_batches_tracked"))
    unexpected = sorted(set(state) - set(own))
    mis_shaped = sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
    if missing or unexpected or mis_shaped:
        def show(keys):
            return ", ".join(keys[:8]) + (f" … ({len(keys)} in all)" if len(keys) > 8 else "")

        parts = [f"missing keys: {show(missing)}" if missing else "",
                 f"unexpected keys: {show(unexpected)}" if unexpected else "",
                 "shape mismatch: " + show([f"{k} {tuple(state[k].shape)} vs {tuple(own[k].shape)}"
                                            for k in mis_shaped]) if mis_shaped else ""]
        raise MethodError(f"{path}: does not fit method '{info.name}' ("
                          + "; ".join(p for p in parts if p) + "). Is it a checkpoint of another method or config?")
    counters = {k: own[k] for k in own if k.endswith(".num_batches_tracked") and k not in state}
    model.load_state_dict({**state, **counters}, strict=True)


def load_weights(model: torch.nn.Module, info: MethodInfo, path: str | Path) -> None:
    """Read ``path`` and load it into ``model`` (see :func:`load_state`)."""
    load_state(model, info, read_checkpoint(path), path)


def save_checkpoint(path: str | Path, model: torch.nn.Module, info: MethodInfo, **extra) -> None:
    """Write a harmbench checkpoint atomically (temp file in the same folder, then rename).

    The bytes depend only on the payload: ``torch.save`` given a file name uses its stem as the archive's folder
    name (a random temp name here, or ``best`` vs ``last``), given an open file always "archive"; the zip entries
    carry no timestamps. So the same payload always gives the same file and the same sha256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"harmbench": 1, "method": info.name, "family": info.family,
               "config": dataclasses.asdict(model.config), "state_dict": model.state_dict(), **extra}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            torch.save(payload, handle)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
