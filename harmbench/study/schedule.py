"""The study schedule: every pair of methods on every composite once, sides balanced, plus repeated pairs.

A *schedule item* is one screen: a composite and two methods, one on the left and one on the right. The base
schedule holds each unordered method pair on each composite exactly once. Sides are balanced per method pair: over
the composites, each method of a pair is on the left half the time (one more when the count is odd), in random
order. ``repeats`` extra items show a randomly chosen base item again with the sides swapped; a rater who answers
both gives one consistency check (does the same method win twice?).

Every rater sees every item, each in an own random order drawn from (study seed, rater key), so raters who stop early
still cover the schedule evenly as a group; a repeat is always placed after the item it repeats.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ScheduleItem:
    """One screen; ``index`` is its position in the schedule (the database id minus one)."""

    index: int
    composite: int  # composite index
    left: int  # method index shown on the left
    right: int  # method index shown on the right
    repeat_of: int | None = None  # index of the base item this one repeats (sides swapped)


def build_schedule(n_composites: int, n_methods: int, repeats: int = 0, seed: int = 0) -> list[ScheduleItem]:
    """Base items (composite-major, pair order) followed by ``repeats`` repeated items."""
    if n_methods < 2:
        raise ValueError(f"a pairwise study needs at least 2 methods, got {n_methods}")
    if n_composites < 1:
        raise ValueError("a study needs at least one composite")
    rng = np.random.default_rng(seed)
    pairs = list(itertools.combinations(range(n_methods), 2))
    # first_on_left[p][c]: is the lower-index method of pair p on the left on composite c?
    first_on_left = []
    for _ in pairs:
        sides = np.arange(n_composites) % 2 == 0  # alternating -> counts differ by at most one
        if n_composites % 2 and rng.random() < 0.5:
            sides = ~sides  # the odd extra goes to either side
        first_on_left.append(rng.permutation(sides))
    items = []
    for composite in range(n_composites):
        for p, (a, b) in enumerate(pairs):
            left, right = (a, b) if first_on_left[p][composite] else (b, a)
            items.append(ScheduleItem(len(items), composite, left, right))
    n_base = len(items)
    if not 0 <= repeats <= n_base:
        raise ValueError(f"--repeats must be between 0 and the number of base pairs ({n_base}), got {repeats}")
    for base in sorted(rng.choice(n_base, size=repeats, replace=False).tolist()):
        original = items[base]
        items.append(ScheduleItem(len(items), original.composite, original.right, original.left, repeat_of=base))
    return items


def rater_order(items: list[ScheduleItem], seed: int, rater_key: int) -> list[int]:
    """Item indices in the order the rater with ``rater_key`` sees them; deterministic, repeats after originals."""
    order = np.random.default_rng([seed, rater_key]).permutation(len(items))
    position = np.empty(len(items), dtype=np.int64)
    position[order] = np.arange(len(items))
    for item in items:
        if item.repeat_of is not None and position[item.index] < position[item.repeat_of]:
            i, j = position[item.index], position[item.repeat_of]
            order[i], order[j] = order[j], order[i]
            position[item.index], position[item.repeat_of] = j, i
    return order.tolist()
