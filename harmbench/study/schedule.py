"""The study design: which screens exist, and which of them each rater sees, in what order and with what sides.

*Items* are the screens that exist (fixed at ``study create``):

- ``pair``: every unordered method pair on every composite, once (stored sides are a balanced random default);
- ``repeat``: one per pair item, the same pair with the sides swapped (a consistency check when a rater sees both);
- ``catch``: a known-answer pair (the intact picture vs a strongly degraded copy), a pool large enough for the
  longest session.

A rater's *session* (:func:`session_plan`) is drawn from (study seed, rater slot, rater key):

- **Quota** (``per_rater``): rater number ``slot`` takes ``per_rater`` consecutive pair items of one study-wide
  random permutation, starting at ``slot * per_rater`` (cyclically). After R raters every pair item has been
  assigned floor or ceil(R * per_rater / n_pairs) times: a balanced incomplete design, within ±1 vote per pair
  when raters finish. Without a quota every rater sees every pair item.
- **Sides** are re-drawn per rater and balanced within the rater: among the rater's items of one method pair, each
  method is on the left half the time (±1).
- **Repeats**: ``repeat_share`` of the rater's pair items come back with the sides swapped, with at least
  ``repeat_gap`` other screens in between (inserting later screens never shortens a gap).
- **Catch trials**: ``catch_share`` of all the rater's screens, one in each of equal segments of the session, at a
  jittered place in the middle half of its segment (so two catch trials are never adjacent), good image on the left
  for half of them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

PAIR, REPEAT, CATCH = "pair", "repeat", "catch"


@dataclass(frozen=True)
class ScheduleItem:
    """One possible screen; ``index`` is its position in the schedule (the database id minus one)."""

    index: int
    composite: int  # composite index
    left: int | None  # method shown on the left unless the rater's plan flips it (None for catch items)
    right: int | None
    repeat_of: int | None = None  # repeat items: the pair item they repeat (sides swapped)
    kind: str = PAIR
    good_image: int | None = None  # catch items: the intact picture (image id) ...
    bad_image: int | None = None  # ... and its degraded copy


@dataclass(frozen=True)
class Design:
    """How sessions are drawn from the items (stored in the study's ``meta``)."""

    per_rater: int | None = None  # pair items per rater; None: all
    repeat_share: float = 0.1
    repeat_gap: int = 5
    catch_share: float = 0.1

    def check(self) -> None:
        if self.per_rater is not None and self.per_rater < 1:
            raise ValueError(f"--per-rater must be at least 1, got {self.per_rater}")
        if not 0 <= self.repeat_share <= 1:
            raise ValueError(f"--repeat-share must be between 0 and 1, got {self.repeat_share}")
        if not 0 <= self.catch_share < 0.5:
            raise ValueError(f"--catch-share must be at least 0 and below 0.5, got {self.catch_share}")
        if self.repeat_gap < 0:
            raise ValueError(f"--repeat-gap must be at least 0, got {self.repeat_gap}")

    def to_dict(self) -> dict:
        return {"per_rater": self.per_rater, "repeat_share": self.repeat_share, "repeat_gap": self.repeat_gap,
                "catch_share": self.catch_share}


@dataclass(frozen=True)
class Screen:
    """One screen of a rater's session: an item and whether its stored sides are swapped for this rater (for a
    catch item: whether the intact picture is on the right)."""

    item: int
    flipped: bool


def build_schedule(n_composites: int, n_methods: int, seed: int = 0) -> list[ScheduleItem]:
    """Pair items (composite-major) followed by one swapped repeat item per pair item; catch items are appended by
    :func:`add_catch_items` once their images exist."""
    if n_methods < 2:
        raise ValueError(f"a pairwise study needs at least 2 methods, got {n_methods}")
    if n_composites < 1:
        raise ValueError("a study needs at least one composite")
    rng = np.random.default_rng(seed)
    items = []
    for composite in range(n_composites):
        for a, b in itertools.combinations(range(n_methods), 2):
            left, right = (a, b) if rng.random() < 0.5 else (b, a)
            items.append(ScheduleItem(len(items), composite, left, right))
    n_pairs = len(items)
    for base in range(n_pairs):
        original = items[base]
        items.append(ScheduleItem(n_pairs + base, original.composite, original.right, original.left,
                                  repeat_of=base, kind=REPEAT))
    return items


def add_catch_items(items: list[ScheduleItem], catches: list[tuple[int, int, int]]) -> list[ScheduleItem]:
    """``items`` plus catch items from (composite, intact image id, degraded image id)."""
    start = len(items)
    return items + [ScheduleItem(start + k, composite, None, None, kind=CATCH, good_image=good, bad_image=bad)
                    for k, (composite, good, bad) in enumerate(catches)]


def catch_count(regular: int, share: float) -> int:
    """Catch trials for a session of ``regular`` other screens, so that they are ``share`` of all screens."""
    return round(share * regular / (1 - share)) if share > 0 else 0


def session_length_bound(n_pairs: int, design: Design) -> tuple[int, int]:
    """(most repeat screens, most catch screens) a session can hold: the size of the catch pool to create."""
    block = n_pairs if design.per_rater is None else min(design.per_rater, n_pairs)
    repeats = round(design.repeat_share * block)
    return repeats, catch_count(block + repeats, design.catch_share)


def quota_block(n_pairs: int, per_rater: int | None, slot: int, seed: int) -> np.ndarray:
    """The pair items assigned to rater ``slot`` (see the module docstring)."""
    if per_rater is None or per_rater >= n_pairs:
        return np.arange(n_pairs)
    permutation = np.random.default_rng([seed, 0x5107]).permutation(n_pairs)
    return permutation[(slot * per_rater + np.arange(per_rater)) % n_pairs]


def _balanced_flips(rng: np.random.Generator, count: int) -> np.ndarray:
    flips = np.arange(count) % 2 == 0
    if count % 2 and rng.random() < 0.5:
        flips = ~flips
    return rng.permutation(flips)


def session_plan(items: list[ScheduleItem], design: Design, seed: int, slot: int, rater_key: int) -> list[Screen]:
    """The screens of one rater, in order; deterministic in its arguments."""
    pair_items = [i for i in items if i.kind == PAIR]
    repeat_of = {i.repeat_of: i.index for i in items if i.kind == REPEAT}
    pool = [i.index for i in items if i.kind == CATCH]
    rng = np.random.default_rng([seed, rater_key])
    order = rng.permutation(quota_block(len(pair_items), design.per_rater, slot, seed)).tolist()

    flipped: dict[int, bool] = {}
    by_pair: dict[tuple[int, int], list[int]] = {}
    for index in order:
        item = items[index]
        by_pair.setdefault((min(item.left, item.right), max(item.left, item.right)), []).append(index)
    for (first, _), group in by_pair.items():
        # the lower-index method goes left on half of the group; flip the stored sides where they disagree
        first_left = _balanced_flips(rng, len(group)).tolist()
        flipped.update((index, (items[index].left == first) != wanted)
                       for index, wanted in zip(group, first_left, strict=True))
    screens = [Screen(index, flipped[index]) for index in order]

    n_repeats = round(design.repeat_share * len(order))
    eligible = [p for p in range(len(order)) if p + design.repeat_gap < len(order)]
    for original in sorted(rng.choice(eligible, size=min(n_repeats, len(eligible)), replace=False).tolist()):
        base = order[original]
        position = next(p for p, s in enumerate(screens) if s.item == base)
        at = int(rng.integers(position + design.repeat_gap + 1, len(screens) + 1))
        screens.insert(at, Screen(repeat_of[base], flipped[base]))  # the repeat item is stored swapped already

    n_catch = min(catch_count(len(screens), design.catch_share), len(pool))
    if n_catch:
        total = len(screens) + n_catch
        segment = total / n_catch
        places = [int((k + 0.25 + 0.5 * rng.random()) * segment) for k in range(n_catch)]
        chosen = rng.choice(pool, size=n_catch, replace=False).tolist()
        catch_flips = _balanced_flips(rng, n_catch).tolist()
        for place, index, flip in zip(places, chosen, catch_flips, strict=True):
            screens.insert(place, Screen(index, flip))
    return screens
