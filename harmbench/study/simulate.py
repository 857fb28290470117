"""Synthetic raters: vote by Bradley–Terry probabilities from given log-strengths.

Each simulated rater ``sim-<seed>-<k>`` answers the first ``votes_per_rater`` items of the order the server would
show them, choosing the left image with probability sigmoid(theta_left - theta_right). Used by the tests (the fit
must recover the true order) and for planning: simulate R raters on a *copy* of a study and see how wide the
intervals of ``study score`` are. Simulated raters are flagged in the database and counted by ``study score``.
"""

from __future__ import annotations

import numpy as np

from harmbench.study.db import StudyDB, StudyError
from harmbench.study.schedule import rater_order


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


def simulate_votes(study: StudyDB, strengths: np.ndarray, raters: int, votes_per_rater: int, seed: int = 0) -> int:
    """Add simulated votes; returns the number of new votes (rerunning with the same seed adds none)."""
    if raters < 1 or votes_per_rater < 1:
        raise ValueError("--raters and --votes-per-rater must be at least 1")
    if votes_per_rater > len(study.items):
        raise ValueError(f"--votes-per-rater {votes_per_rater} exceeds the study's {len(study.items)} pairs")
    if len(strengths) != len(study.methods):
        raise StudyError(f"need {len(study.methods)} strengths, got {len(strengths)}")
    new = 0
    for k in range(raters):
        rater = study.get_or_create_rater(f"sim-{seed}-{k + 1:03d}", simulated=True)
        if not rater.simulated:
            raise StudyError(f"a human rater is already called '{rater.name}'; use another --seed")
        rng = np.random.default_rng([seed, k])
        order = rater_order(study.items, study.seed, rater.order_key)[:votes_per_rater]
        with study.transaction() as conn:
            for index in order:
                item = study.items[index]
                p_left = 1.0 / (1.0 + np.exp(strengths[item.right] - strengths[item.left]))
                side = "left" if rng.random() < p_left else "right"
                new += study.record_vote(rater.id, index, side, conn=conn)
    return new
