"""The schedule: every pair on every composite once, sides balanced, repeats swapped and after their originals."""

from collections import Counter
from itertools import combinations

import pytest

from harmbench.study.schedule import build_schedule, rater_order


@pytest.mark.parametrize("n_composites,n_methods", [(1, 2), (5, 4), (7, 3), (10, 6)])
def test_every_pair_on_every_composite_exactly_once(n_composites, n_methods):
    items = build_schedule(n_composites, n_methods, repeats=0, seed=3)
    seen = Counter((i.composite, min(i.left, i.right), max(i.left, i.right)) for i in items)
    expected = {(c, a, b) for c in range(n_composites) for a, b in combinations(range(n_methods), 2)}
    assert set(seen) == expected
    assert all(count == 1 for count in seen.values())
    assert all(i.left != i.right for i in items)
    assert [i.index for i in items] == list(range(len(items)))


@pytest.mark.parametrize("n_composites", [1, 4, 9, 20])
def test_sides_balanced_per_pair(n_composites):
    items = build_schedule(n_composites, 5, seed=11)
    for a, b in combinations(range(5), 2):
        on_left = sum(i.left == a for i in items if {i.left, i.right} == {a, b})
        assert abs(on_left - (n_composites - on_left)) <= 1


def test_sides_are_randomised_not_fixed():
    items = build_schedule(30, 3, seed=0)
    patterns = {tuple(i.left < i.right for i in items if {i.left, i.right} == {a, b})
                for a, b in combinations(range(3), 2)}
    assert len(patterns) > 1  # not the same alternation for every pair


def test_repeats_swap_sides_of_a_base_item():
    items = build_schedule(6, 4, repeats=5, seed=2)
    base = [i for i in items if i.repeat_of is None]
    repeats = [i for i in items if i.repeat_of is not None]
    assert len(base) == 6 * 6 and len(repeats) == 5
    assert len({r.repeat_of for r in repeats}) == 5  # five different originals
    for r in repeats:
        original = items[r.repeat_of]
        assert original.repeat_of is None
        assert (r.composite, r.left, r.right) == (original.composite, original.right, original.left)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 methods"):
        build_schedule(3, 1)
    with pytest.raises(ValueError, match="repeats"):
        build_schedule(1, 3, repeats=4)  # only 3 base pairs


def test_deterministic_given_seed():
    assert build_schedule(5, 4, repeats=3, seed=9) == build_schedule(5, 4, repeats=3, seed=9)
    assert build_schedule(5, 4, repeats=3, seed=9) != build_schedule(5, 4, repeats=3, seed=10)


def test_rater_order_is_a_permutation_with_repeats_after_originals():
    items = build_schedule(8, 4, repeats=10, seed=1)
    orders = [rater_order(items, seed=1, rater_key=r) for r in range(1, 30)]
    for order in orders:
        assert sorted(order) == list(range(len(items)))
        position = {index: p for p, index in enumerate(order)}
        assert all(position[i.index] > position[i.repeat_of] for i in items if i.repeat_of is not None)
    assert rater_order(items, 1, 5) == rater_order(items, 1, 5)
    assert len({tuple(o) for o in orders}) == len(orders)  # raters get different orders


def test_partial_raters_cover_the_schedule_evenly():
    """Raters who stop after 10 % of the pairs still cover the base items nearly uniformly as a group."""
    items = build_schedule(10, 4, repeats=0, seed=0)  # 60 items
    counts = Counter(index for r in range(1, 301) for index in rater_order(items, 0, r)[:6])
    assert len(counts) == len(items)
    assert max(counts.values()) < 3 * min(counts.values())  # expected 30 each
