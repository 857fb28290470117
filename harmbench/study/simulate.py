"""Synthetic raters: vote by Bradley–Terry probabilities from given log-strengths.

Each simulated rater ``sim-<seed>-<k>`` answers the first ``votes_per_rater`` screens of the session the server
would show them, choosing the left image with probability sigmoid(theta_left - theta_right), picking the intact
picture of a catch trial 95 % of the time and taking about 2.5 s per screen. ``careless`` more raters
(``sim-<seed>-careless-<k>``) always click left within about 250 ms: what rater screening must catch. Used by the
tests (the fit must recover the true order) and for planning: simulate R raters on a *copy* of a study and see how
wide the intervals of ``study score`` are. Simulated raters are flagged in the database and counted by
``study score``.
"""

from __future__ import annotations

import numpy as np

from harmbench.study.db import StudyDB, StudyError
from harmbench.study.schedule import CATCH


def parse_strengths(text: str, methods: list[str]) -> np.ndarray:
    """``a=1.0,b=0.5`` -> log-strengths in the study's method order; every method needs one."""
    values = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        try:
            values[name.strip()] = float(value) if sep else None
        except ValueError:
            values[name.strip()] = None
        if values[name.strip()] is None:
            raise ValueError(f"--strengths expects method=number pairs, got '{part}'")
    unknown = sorted(set(values) - set(methods))
    missing = [m for m in methods if m not in values]
    if unknown:
        raise ValueError(f"--strengths: '{unknown[0]}' is not a method of this study ({', '.join(methods)})")
    if missing:
        raise ValueError(f"--strengths: no strength for {', '.join(missing)}")
    return np.array([values[m] for m in methods])


ATTENTIVE_CATCH_ACCURACY = 0.95


def simulate_votes(study: StudyDB, strengths: np.ndarray, raters: int, votes_per_rater: int, seed: int = 0,
                   careless: int = 0) -> int:
    """Add simulated votes; returns the number of new votes (rerunning with the same seed adds none)."""
    if raters < 0 or careless < 0 or raters + careless < 1 or votes_per_rater < 1:
        raise ValueError("--raters (+ --careless) and --votes-per-rater must be at least 1")
    if len(strengths) != len(study.methods):
        raise StudyError(f"need {len(study.methods)} strengths, got {len(strengths)}")
    names = [f"sim-{seed}-{k + 1:03d}" for k in range(raters)]
    names += [f"sim-{seed}-careless-{k + 1:03d}" for k in range(careless)]
    new = 0
    for k, name in enumerate(names):
        rater = study.add_rater(key=name, simulated=True)
        if not rater.simulated:
            raise StudyError(f"a human rater is already called '{rater.key}'; use another --seed")
        is_careless = k >= raters
        rng = np.random.default_rng([seed, k])
        with study.transaction() as conn:
            for screen in study.plan(rater)[:votes_per_rater]:
                item = study.items[screen.item]
                if is_careless:
                    side, elapsed = "left", int(rng.integers(150, 350))
                else:
                    if item.kind == CATCH:
                        first = rng.random() < ATTENTIVE_CATCH_ACCURACY
                    else:
                        first = rng.random() < 1.0 / (1.0 + np.exp(strengths[item.right] - strengths[item.left]))
                    side = "left" if first != screen.flipped else "right"
                    elapsed = int(rng.lognormal(np.log(2500), 0.4))
                new += study.record_vote(rater.id, screen.item, side, screen.flipped, elapsed, conn=conn)
    return new
