"""One registry, one namespace of method names.

A method file registers itself with :func:`register_method`: a config dataclass, a ``build(config)`` that returns
the model (a :class:`harmbench.contract.HarmonizationMethod`), optional per-name field defaults (variants of one
architecture), a tiny config for tests, and metadata (paper, native size, weights). Built-in method modules are
listed in ``BUILTIN_MODULES`` (adding a method = one file + one line there); third-party packages register through
the ``harmbench.methods`` entry-point group, whose targets are imported (and so register) on first use.

The registry is a table of names only: it imports no job, no checkpoint code and no factory. What a model must
do is :mod:`harmbench.contract`; building one by name is :func:`harmbench.factory.create_method`.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import hashlib
import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

BUILTIN_MODULES = (
    "baselines.classical",
    "baselines.iss2am",
    "cdtnet.model",
    "cdtnet.ablations",
    "baselines.dovenet",
    "baselines.s2am",
    "baselines.rainnet",
    "baselines.pix2pixhd",
    "baselines.hidt",
    "baselines.crn",
    "baselines.guo",
)

ENTRY_POINT_GROUP = "harmbench.methods"

# "Authors, Title, [IEEE ]VENUE YEAR": the form of ``paper`` the citation key is derived from
_CITATION = re.compile(r"(?P<author>[^\s,]+)[^,]*,.+,\s*(?:IEEE\s+)?(?P<venue>[\w&]+)\s+\d\d(?P<year>\d\d)")


class MethodError(ValueError):
    """A method name, config field or checkpoint that does not fit; the message says what does."""


@dataclass(frozen=True)
class MethodInfo:
    """Everything the registry knows about one method name."""

    name: str
    config: type  # the config dataclass
    build: Callable[[Any], Any]  # build(config) -> HarmonizationMethod whose .config is config
    defaults: dict[str, Any] = field(default_factory=dict)  # config fields this name sets (variants)
    tiny: dict[str, Any] = field(default_factory=dict)  # extra fields for a fast test-sized model
    family: str = ""  # e.g. "cdtnet", "baseline", "classical"
    paper: str = ""
    native_size: int | None = None  # resolution the network itself runs at (low-res size for CDTNet)
    trainable: bool = True
    blends: bool = False  # output background equals the input background exactly
    official_weights: str = ""  # released checkpoint file names, "" when none exist
    release: str = ""  # where the official weights can be downloaded; "" = no public release
    # Converts a raw state_dict written by the method's original code (its key names) into this module's, passing
    # keys already in this module's names through; None = the original code's keys are this module's (CDTNet,
    # iS²AM, DoveNet, RainNet) or there is no PyTorch original (CRN, TensorFlow).
    convert_official: Callable[[dict], dict] | None = None
    description: str = ""

    def make_config(self, tiny: bool = False, **overrides):
        """The config for this name: class defaults, then the name's defaults, then tiny, then overrides."""
        valid = [f.name for f in dataclasses.fields(self.config)]
        unknown = [k for k in overrides if k not in valid]
        if unknown:
            hints = {k: difflib.get_close_matches(k, valid, n=1) for k in unknown}
            said = ", ".join(f"'{k}'" + (f" (did you mean '{hints[k][0]}'?)" if hints[k] else "") for k in unknown)
            raise MethodError(f"{self.name}: unknown config field {said}; valid fields: {', '.join(valid)}")
        defaults = {**_field_defaults(self.config), **self.defaults}
        for key, value in overrides.items():
            _check_type(self.name, key, value, defaults.get(key))
        values = {**self.defaults, **(self.tiny if tiny else {}), **overrides}
        return self.config(**values)

    @property
    def citation(self) -> str:
        """A short key of ``paper`` for tables: first author's name, venue, year ("Cong CVPR'22"); "" when ``paper`` is
        not "Authors, Title, VENUE YEAR" (the training-free references describe themselves instead)."""
        match = _CITATION.fullmatch(self.paper)
        return f"{match['author']} {match['venue']}'{match['year']}" if match else ""


def _field_defaults(config: type) -> dict[str, Any]:
    """The default value of every config field that has one."""
    return {f.name: f.default for f in dataclasses.fields(config) if f.default is not dataclasses.MISSING}


def _check_type(method: str, key: str, value: Any, default: Any) -> None:
    """An override must have its field's kind (judged by the default, so ``--config lr_size=abc`` is one clear line
    instead of a TypeError inside the model); ints pass for floats, and fields whose default is None or a tuple
    (parsed by the config itself, e.g. ``refine_inputs=base,lut``) accept anything."""
    if isinstance(default, bool):
        ok, kind = isinstance(value, bool), "True or False"
    elif isinstance(default, int):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif isinstance(default, float):
        ok, kind = isinstance(value, int | float) and not isinstance(value, bool), "a number"
    elif isinstance(default, str):
        ok, kind = isinstance(value, str | os.PathLike), "text"
    else:
        return
    if not ok:
        raise MethodError(f"{method}: config field {key}={value!r} must be {kind} (default {default!r})")


_REGISTRY: dict[str, MethodInfo] = {}
_loaded = False


def register_method(name: str, *, config: type, build: Callable, **meta) -> MethodInfo:
    """Register ``name``; a second registration of the same name is an error (two files claiming it)."""
    if name in _REGISTRY:
        raise MethodError(f"method '{name}' is registered twice")
    if not dataclasses.is_dataclass(config):
        raise MethodError(f"method '{name}': config must be a dataclass, got {config!r}")
    info = MethodInfo(name=name, config=config, build=build, **meta)
    info.make_config()  # fail at import time, not at first use, if the defaults do not fit the config
    _REGISTRY[name] = info
    return info


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()  # importing the target registers its methods


def list_methods(pattern: str = "*") -> list[str]:
    """Registered method names matching an fnmatch ``pattern``, sorted."""
    _load_all()
    return sorted(n for n in _REGISTRY if fnmatch.fnmatchcase(n, pattern))


def get_method(name: str) -> MethodInfo:
    """The :class:`MethodInfo` of ``name``; an unknown name lists the close ones and all valid ones."""
    _load_all()
    if name not in _REGISTRY:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise MethodError(f"unknown method '{name}'.{hint} Valid methods: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name]


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file (weights and split files are identified by content in result files)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
