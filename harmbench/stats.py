"""Which differences are real: bootstrap confidence intervals of means over images and paired tests between runs.

Every quantity here is over *images*: a run's per-image values are the sample, and resampling draws images with
replacement. Definitions (``x`` the per-image values of one run, ``a`` and ``b`` the values of two runs on the images
both share, ``d = a − b`` per image):

* **CI of a mean**: the percentile bootstrap interval of ``mean(x)`` (``scipy.stats.bootstrap``, ``method=
  "percentile"``, vectorised, seeded).
* **Paired difference**: ``mean(d)`` with the percentile bootstrap interval of ``mean(d)`` (resampling images, so
  both runs' values of an image stay together).
* **Bootstrap p-value** (two-sided, H0: ``E[d] = 0``): the bootstrap distribution of the mean of the centred
  differences ``d − mean(d)`` (the null made true), ``p = (1 + #{|mean*| ≥ |mean(d)|}) / (1 + n_resamples)``;
  identical runs give ``p = 1``.
* **Wilcoxon p-value**: ``scipy.stats.wilcoxon(d)`` (signed-rank, two-sided, zero differences dropped), the second
  opinion, robust to the few huge per-image values of MSE and fMSE; ``1`` when every difference is zero.
* **Holm**: step-down adjustment of the p-values of the comparisons in one table column (family-wise error ≤ α).
* **Share of images where A is better**: ``#{a better than b} / n`` in the metric's direction (ties count for
  neither).

Settings (confidence, resamples, seed) are a :class:`Bootstrap`; the same settings give the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats as scipy_stats

COMPARABLE_FIELDS = ("data fingerprint", "size", "resize protocol", "metric profile")


@dataclass(frozen=True)
class Bootstrap:
    """Settings of every resampling: confidence level of the intervals, number of resamples, random seed, and the
    significance level of the paired tests."""

    confidence: float = 0.95
    n_resamples: int = 999
    seed: int = 0
    alpha: float = 0.05

    def record(self) -> dict:
        """The settings as written into JSON outputs, with the interval method."""
        return {**asdict(self), "interval": "percentile"}

    def describe(self) -> str:
        return (f"{self.confidence:.0%} percentile bootstrap over images, {self.n_resamples} resamples, "
                f"seed {self.seed}")


@dataclass(frozen=True)
class Interval:
    """Mean of the per-image values and its confidence interval [low, high]; n images."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class PairedComparison:
    """A against B on the n images both share (see the module docstring for each definition)."""

    n: int
    mean_a: float
    mean_b: float
    difference: float  # mean(a − b)
    low: float
    high: float
    p_bootstrap: float
    p_wilcoxon: float
    share_a_better: float

    def as_dict(self) -> dict:
        return asdict(self)


def _finite(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[np.isfinite(values)]


def _bootstrap_means(values: np.ndarray, settings: Bootstrap, seed_offset: int = 0):
    """scipy's bootstrap result for the mean of ``values`` (percentile interval, vectorised)."""
    return scipy_stats.bootstrap((values,), np.mean, n_resamples=settings.n_resamples,
                                 confidence_level=settings.confidence, method="percentile", vectorized=True,
                                 random_state=np.random.default_rng(settings.seed + seed_offset))


def mean_interval(values, settings: Bootstrap = Bootstrap()) -> Interval | None:
    """Mean and bootstrap CI of the finite ``values``; None without any; a single value is its own interval."""
    values = _finite(values)
    if values.size == 0:
        return None
    mean = float(np.mean(values))
    if values.size < 2 or np.ptp(values) == 0:
        return Interval(mean, mean, mean, int(values.size))
    ci = _bootstrap_means(values, settings).confidence_interval
    return Interval(mean, float(ci.low), float(ci.high), int(values.size))


def shared_values(a: dict[str, float], b: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Values of the images (by name) present and finite in both mappings, in A's order."""
    names = [name for name, value in a.items()
             if name in b and value is not None and b[name] is not None
             and math.isfinite(value) and math.isfinite(b[name])]
    return (np.array([a[n] for n in names], dtype=np.float64), np.array([b[n] for n in names], dtype=np.float64))


def paired_comparison(a, b, higher_is_better: bool, settings: Bootstrap = Bootstrap()) -> PairedComparison | None:
    """Paired bootstrap and Wilcoxon comparison of aligned per-image values ``a`` and ``b`` (same images, same
    order); None with fewer than two images."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired values need the same images: {a.size} vs {b.size} values")
    if a.size < 2:
        return None
    d = a - b
    difference = float(np.mean(d))
    better = d > 0 if higher_is_better else d < 0
    if np.ptp(d) == 0:  # no spread: the interval is the point; a shift gets the smallest p resampling can give
        low = high = difference
        p_bootstrap = 1.0 if difference == 0 else 1 / (settings.n_resamples + 1)
    else:
        ci = _bootstrap_means(d, settings).confidence_interval
        low, high = float(ci.low), float(ci.high)
        null = _bootstrap_means(d - difference, settings, seed_offset=1).bootstrap_distribution
        p_bootstrap = float((1 + np.count_nonzero(np.abs(null) >= abs(difference))) / (settings.n_resamples + 1))
    p_wilcoxon = float(scipy_stats.wilcoxon(d).pvalue) if np.any(d != 0) else 1.0
    return PairedComparison(int(a.size), float(np.mean(a)), float(np.mean(b)), difference, low, high,
                            p_bootstrap, p_wilcoxon, float(np.mean(better)))


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values (same order as given): the k-th smallest of m is multiplied by
    m − k + 1, made non-decreasing along the sorted order, and capped at 1."""
    p = np.asarray(p_values, dtype=np.float64)
    if p.size == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, np.maximum.accumulate(p[order] * (p.size - np.arange(p.size))))
    adjusted = np.empty_like(p)
    adjusted[order] = scaled
    return adjusted


def comparable_context(summary: dict) -> dict:
    """The fields two runs must share to be compared image by image, as named in error messages."""
    data = summary.get("data") or {}
    profile = summary.get("profile") or {}
    return {"data fingerprint": data.get("fingerprint"), "size": summary.get("size"),
            "resize protocol": summary.get("resize"),
            "metric profile": f"{profile.get('name')} v{profile.get('version')}"}


def check_comparable(name_a: str, summary_a: dict, name_b: str, summary_b: dict) -> None:
    """Raise ValueError (one line naming the first differing field) unless the runs share data, size, resize
    protocol and metric profile."""
    context_a, context_b = comparable_context(summary_a), comparable_context(summary_b)
    for field in COMPARABLE_FIELDS:
        if context_a[field] != context_b[field]:
            raise ValueError(f"{name_a} and {name_b} are not comparable: different {field} "
                             f"({context_a[field]} vs {context_b[field]})")


def compare_rows(rows_a: list[dict], rows_b: list[dict], metrics: dict[str, bool], scopes: dict,
                 settings: Bootstrap = Bootstrap()) -> list[dict]:
    """Paired comparison of two runs' per-image rows for each scope (name -> predicate on a row: which images it
    covers) and metric (key -> higher is better), on the images both runs share within the scope. One record per
    (scope, metric) with at least two shared images: ``scope``, ``metric`` and the :class:`PairedComparison` fields."""
    records = []
    for scope, covers in scopes.items():
        in_a, in_b = [r for r in rows_a if covers(r)], [r for r in rows_b if covers(r)]
        for metric, higher_is_better in metrics.items():
            pair = shared_values({r["name"]: r.get(metric) for r in in_a}, {r["name"]: r.get(metric) for r in in_b})
            comparison = paired_comparison(*pair, higher_is_better, settings)
            if comparison is not None:
                records.append({"scope": scope, "metric": metric, **comparison.as_dict()})
    return records
