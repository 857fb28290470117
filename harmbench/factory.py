"""``create_method``: a registered name (+ weights, config overrides) -> a ready model.

The registry (:mod:`harmbench.registry`) is a table of names; this factory sits beside it and uses the checkpoints
module to load weights. Neither the registry nor the checkpoints module imports this one.
"""

from __future__ import annotations

from pathlib import Path

from harmbench.checkpoints import load_state, read_checkpoint, trained_overrides
from harmbench.contract import HarmonizationMethod
from harmbench.registry import MethodError, get_method


def create_method(name: str, weights: str | Path | None = None, device: str = "cpu", tiny: bool = False,
                  **overrides) -> HarmonizationMethod:
    """Build method ``name`` with config ``overrides``, optionally load ``weights``, move to ``device``, eval mode.

    ``weights`` may be a harmbench checkpoint (written by ``harmbench train``; its family must match, and the config
    fields it was trained with carry over unless overridden) or an official raw state_dict (converted with the
    method's ``convert_official`` when it has one). The model's ``config`` is the config it was built from.
    """
    info = get_method(name)
    checkpoint = None
    if weights is not None:
        checkpoint = read_checkpoint(weights)
        overrides = {**trained_overrides(checkpoint, info), **overrides}
    config = info.make_config(tiny=tiny, **overrides)
    model = info.build(config)
    if not isinstance(model, HarmonizationMethod):
        raise MethodError(f"method '{name}': build() returned {type(model).__name__}, not a HarmonizationMethod "
                          "(see harmbench.contract)")
    if model.config is not config:
        raise MethodError(f"method '{name}': the built model's .config is not the config it was built from; "
                          "call super().__init__(config) with the config given to build()")
    if checkpoint is not None:
        load_state(model, info, checkpoint, weights)
    return model.to(device).eval()

