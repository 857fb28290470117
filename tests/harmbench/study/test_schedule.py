"""The design: every pair on every composite once, a swapped repeat per pair; per-rater sessions with quotas balanced
within ±1 vote per pair, sides balanced within a rater, repeats spaced, catch trials at the configured rate."""

from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from harmbench.study.schedule import (
    CATCH,
    PAIR,
    REPEAT,
    Design,
    add_catch_items,
    build_schedule,
    quota_block,
    session_length_bound,
    session_plan,
)


def with_catches(items, design, n_composites):
    n_pairs = sum(i.kind == PAIR for i in items)
    _, catches = session_length_bound(n_pairs, design)
    return add_catch_items(items, [(k % n_composites, 1000 + 2 * k, 1001 + 2 * k) for k in range(catches)])


@pytest.mark.parametrize("n_composites,n_methods", [(1, 2), (5, 4), (7, 3), (10, 6)])
def test_every_pair_on_every_composite_exactly_once(n_composites, n_methods):
    items = build_schedule(n_composites, n_methods, seed=3)
    pairs = [i for i in items if i.kind == PAIR]
    seen = Counter((i.composite, min(i.left, i.right), max(i.left, i.right)) for i in pairs)
    expected = {(c, a, b) for c in range(n_composites) for a, b in combinations(range(n_methods), 2)}
    assert set(seen) == expected and all(count == 1 for count in seen.values())
    assert [i.index for i in items] == list(range(len(items)))
    repeats = [i for i in items if i.kind == REPEAT]
    assert len(repeats) == len(pairs)
    for r in repeats:
        original = items[r.repeat_of]
        assert (r.composite, r.left, r.right) == (original.composite, original.right, original.left)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 methods"):
        build_schedule(3, 1)
    for bad in (Design(per_rater=0), Design(catch_share=0.6), Design(repeat_share=1.5), Design(repeat_gap=-1)):
        with pytest.raises(ValueError):
            bad.check()


def test_quota_blocks_balance_votes_per_pair_within_one():
    """Raters 0..R-1 with a quota: every pair item assigned floor or ceil(R * N / pairs) times, for any R."""
    n_pairs, per_rater = 60, 17
    counts = np.zeros(n_pairs, int)
    for slot in range(40):
        block = quota_block(n_pairs, per_rater, slot, seed=4)
        assert len(set(block.tolist())) == per_rater  # no pair twice for one rater
        counts[block] += 1
        assert counts.max() - counts.min() <= 1, slot
    assert quota_block(n_pairs, None, 3, seed=4).tolist() == list(range(n_pairs))


def test_sessions_with_quota_give_every_pair_about_the_same_votes():
    items = build_schedule(10, 4, seed=1)  # 60 pair items
    design = Design(per_rater=25)
    items = with_catches(items, design, 10)
    votes = Counter()
    for slot in range(12):
        plan = session_plan(items, design, seed=1, slot=slot, rater_key=1000 + slot)
        votes.update(items[s.item].index for s in plan if items[s.item].kind == PAIR)
    counts = [votes[i.index] for i in items if i.kind == PAIR]
    assert max(counts) - min(counts) <= 1 and sum(counts) == 12 * 25


@pytest.mark.parametrize("per_rater", [None, 30])
def test_sides_balanced_within_each_rater(per_rater):
    items = build_schedule(12, 4, seed=2)
    design = Design(per_rater=per_rater)
    items = with_catches(items, design, 12)
    patterns = set()
    for key in range(8):
        plan = session_plan(items, design, seed=2, slot=key, rater_key=key)
        on_left = Counter()
        shown = Counter()
        for screen in plan:
            item = items[screen.item]
            if item.kind != PAIR:
                continue
            left = item.right if screen.flipped else item.left
            pair = (min(item.left, item.right), max(item.left, item.right))
            on_left[(pair, left)] += 1
            shown[pair] += 1
        for a, b in shown:
            assert abs(on_left[((a, b), a)] - on_left[((a, b), b)]) <= 1
        catches = [s.flipped for s in plan if items[s.item].kind == CATCH]
        assert abs(2 * sum(catches) - len(catches)) <= 1  # intact picture on each side half the time
        patterns.add(tuple(s.flipped for s in plan if items[s.item].kind == PAIR))
    assert len(patterns) == 8  # left/right differ between raters


@pytest.mark.parametrize("share,gap", [(0.1, 5), (0.2, 3), (0.05, 10)])
def test_catch_trials_at_the_configured_rate_and_spaced(share, gap):
    items = build_schedule(10, 4, seed=0)
    design = Design(catch_share=share, repeat_gap=gap)
    items = with_catches(items, design, 10)
    for key in range(6):
        plan = session_plan(items, design, seed=0, slot=key, rater_key=key)
        kinds = [items[s.item].kind for s in plan]
        assert len({s.item for s in plan}) == len(plan)  # no screen twice
        n_catch = kinds.count(CATCH)
        assert abs(n_catch / len(plan) - share) <= 1 / len(plan)
        positions = [p for p, k in enumerate(kinds) if k == CATCH]
        assert min(np.diff(positions)) >= int(0.5 / share) - 1  # never bunched together
        segment = len(plan) / n_catch
        assert all(int(k * segment) <= p < int((k + 1) * segment) + 1 for k, p in enumerate(positions))
        where = {s.item: p for p, s in enumerate(plan)}
        repeats = [s for s in plan if items[s.item].kind == REPEAT]
        assert len(repeats) == round(0.1 * 60)
        for screen in repeats:
            original = items[screen.item].repeat_of
            assert where[screen.item] - where[original] > gap  # at least `gap` other screens in between


def test_plans_are_deterministic_and_differ_between_raters():
    items = with_catches(build_schedule(6, 3, seed=5), Design(), 6)
    one = session_plan(items, Design(), seed=5, slot=0, rater_key=7)
    assert one == session_plan(items, Design(), seed=5, slot=0, rater_key=7)
    assert one != session_plan(items, Design(), seed=5, slot=0, rater_key=8)


def test_partial_raters_cover_the_pairs_evenly():
    """Raters who stop after 10 % of their session still cover the pair items nearly uniformly as a group."""
    items = build_schedule(10, 4, seed=0)
    design = Design(catch_share=0, repeat_share=0)
    counts = Counter(s.item for r in range(300) for s in session_plan(items, design, 0, r, r)[:6])
    assert len(counts) == 60 and max(counts.values()) < 3 * min(counts.values())  # expected 30 each
