"""Bootstrap intervals and paired tests on constructed per-image values (harmbench.stats)."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from harmbench import stats


def per_image(seed=0, n=200):
    """Skewed per-image errors, like MSE: lognormal, spanning orders of magnitude."""
    return np.random.default_rng(seed).lognormal(4.0, 1.2, n)


def test_identical_runs_differ_by_nothing():
    values = per_image()
    result = stats.paired_comparison(values, values.copy(), higher_is_better=False)
    assert result.difference == 0 and result.low <= 0 <= result.high
    assert result.p_bootstrap == pytest.approx(1) and result.p_wilcoxon == pytest.approx(1)
    assert result.share_a_better == 0


@pytest.mark.parametrize("higher_is_better", [False, True])
def test_constant_shift_is_significant_in_its_direction(higher_is_better):
    base = per_image()
    shifted = stats.paired_comparison(base + 1, base, higher_is_better)
    assert shifted.difference == pytest.approx(1) and shifted.low > 0
    assert shifted.p_bootstrap < 0.01 and shifted.p_wilcoxon < 0.01
    assert shifted.share_a_better == (1.0 if higher_is_better else 0.0)  # +1 is better only where higher is better
    reverse = stats.paired_comparison(base, base + 1, higher_is_better)
    assert reverse.difference == pytest.approx(-1) and reverse.high < 0


def test_noisy_shift_on_five_percent_of_images_is_not_significant():
    rng = np.random.default_rng(1)
    base = per_image(n=400)
    changed = base.copy()
    few = rng.choice(base.size, size=base.size // 20, replace=False)
    changed[few] += 5 + rng.normal(0, 200, few.size)
    result = stats.paired_comparison(changed, base, higher_is_better=False)
    assert result.low <= 0 <= result.high
    assert result.p_bootstrap > 0.05 and result.p_wilcoxon > 0.05


def test_a_shift_with_mild_noise_on_every_image_is_found():
    rng = np.random.default_rng(2)
    base = per_image()
    result = stats.paired_comparison(base - 3 + rng.normal(0, 2, base.size), base, higher_is_better=False)
    assert result.high < 0 and result.p_bootstrap < 0.01 and result.p_wilcoxon < 0.01
    assert result.share_a_better > 0.8


def test_ci_of_the_mean_covers_the_true_mean():
    """200 seeded simulations of n = 40 exponential values (true mean 10): nominal 95 %, at least 90 % covered."""
    rng = np.random.default_rng(3)
    covered = 0
    for k in range(200):
        interval = stats.mean_interval(rng.exponential(10.0, 40), stats.Bootstrap(n_resamples=999, seed=k))
        covered += interval.low <= 10.0 <= interval.high
    assert covered / 200 >= 0.90


def test_intervals_are_seeded():
    values = per_image()
    first, again = stats.mean_interval(values), stats.mean_interval(values)
    other = stats.mean_interval(values, stats.Bootstrap(seed=1))
    assert first == again and first != other
    assert first.mean == pytest.approx(values.mean()) and first.n == values.size
    assert first.low < first.mean < first.high


def test_mean_interval_edge_cases():
    assert stats.mean_interval([]) is None
    assert stats.mean_interval([np.nan, 3.0]) == stats.Interval(3.0, 3.0, 3.0, 1)  # non-finite values dropped
    assert stats.mean_interval([2.0, 2.0, 2.0]) == stats.Interval(2.0, 2.0, 2.0, 3)


def test_paired_comparison_needs_aligned_values():
    assert stats.paired_comparison([1.0], [2.0], True) is None
    with pytest.raises(ValueError, match="same images"):
        stats.paired_comparison([1.0, 2.0], [1.0, 2.0, 3.0], True)


def test_wilcoxon_is_scipys():
    rng = np.random.default_rng(4)
    a, b = per_image(5, 50), per_image(6, 50) + rng.normal(0, 1, 50)
    assert stats.paired_comparison(a, b, False).p_wilcoxon == pytest.approx(scipy_stats.wilcoxon(a - b).pvalue)


def test_holm_against_its_definition():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    # sorted: 0.01·4 = 0.04, 0.03·3 = 0.09, 0.04·2 = 0.08 -> 0.09 (monotone), 0.5·1 = 0.5
    assert stats.holm(p) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert stats.holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert stats.holm([]).size == 0


def test_shared_values_pair_images_by_name():
    a, b = stats.shared_values({"x": 1.0, "y": 2.0, "z": float("nan")}, {"z": 0.0, "y": 5.0, "w": 7.0})
    assert a.tolist() == [2.0] and b.tolist() == [5.0]


def summary(**changes):
    base = {"size": 256, "resize": "squash", "data": {"fingerprint": "abc"},
            "profile": {"name": "cdtnet", "version": 1}}
    return {**base, **changes}


@pytest.mark.parametrize(("change", "field"), [
    ({"data": {"fingerprint": "other"}}, "data fingerprint"),
    ({"size": 512}, "size"),
    ({"resize": "pad"}, "resize protocol"),
    ({"profile": {"name": "harmbench", "version": 1}}, "metric profile"),
    ({"profile": {"name": "cdtnet", "version": 2}}, "metric profile"),
])
def test_incomparable_runs_are_refused(change, field):
    stats.check_comparable("a", summary(), "b", summary(method="other"))  # the method may differ
    with pytest.raises(ValueError, match=f"a and b are not comparable: different {field} ") as error:
        stats.check_comparable("a", summary(), "b", summary(**change))
    assert "\n" not in str(error.value)


def test_compare_rows_per_scope():
    rows_a = [{"name": f"i{k}", "subset": "s", "fg_ratio": k / 10, "mse": 10.0 + k} for k in range(10)]
    rows_b = [{**row, "mse": row["mse"] + 2} for row in rows_a[1:]]  # B lacks i0: only shared images count
    records = stats.compare_rows(rows_a, rows_b, {"mse": False},
                                 {"all": lambda r: True, "large": lambda r: r["fg_ratio"] >= 0.5})
    by_scope = {r["scope"]: r for r in records}
    assert by_scope["all"]["n"] == 9 and by_scope["large"]["n"] == 5
    assert by_scope["all"]["difference"] == pytest.approx(-2) and by_scope["all"]["share_a_better"] == 1
