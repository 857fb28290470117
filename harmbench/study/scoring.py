"""Bradley–Terry scores from the study's votes, with rater-bootstrap intervals and consistency checks.

Model: P(i preferred to j) = sigmoid(theta_i - theta_j); methods are the items, votes are pooled over composites
(one global fit). ``theta`` is the centred log-strength returned by ``choix.ilsr_pairwise`` (sum 0): a difference
of 1 means odds of e = 2.72 : 1. ``alpha`` > 0 regularises the fit (``choix`` adds ``alpha`` to every transition
rate of its Markov chain); without it a method that never loses has no finite maximum-likelihood score and choix
fails, so alpha is always set and reported.

Only votes on pair items enter the fit, so every method pair is weighted equally; votes on repeated items serve
the consistency check (does a rater pick the same method when a pair comes back with the sides swapped?) and
catch trials the attention check. Intervals: percentile bootstrap over raters (resample raters with replacement,
refit), which keeps each rater's votes together, the unit that is independent.

Rater screening (:class:`Screening`, defaults documented in ``docs/study.md``): per rater, votes, catch-trial
accuracy, repeat consistency, left share and median time per vote; a rater is *flagged* when catch accuracy is
below 80 % with at least 2 catch trials missed, the median time below 500 ms, or the left share outside 20–80 %
(over at least 10 votes); a repeat-consistency threshold is available but off by default (see :class:`Screening`).
``exclude`` ("flagged" or rater ids) removes raters before the fit, and the report says how many votes each
exclusion removed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

import choix
import numpy as np

from harmbench.study.db import StudyDB, StudyError
from harmbench.study.schedule import CATCH, PAIR, REPEAT

DEFAULT_ALPHA = 0.01
FEW_RATERS = 5  # below this many raters a bootstrap over raters has too few distinct resamples to be stable


@dataclass(frozen=True)
class Screening:
    """Thresholds below which a rater is flagged (each applies only once the rater has enough screens of its kind)."""

    min_catch_accuracy: float = 0.8
    min_catch_misses: int = 2  # one slip never flags (Prolific: two failed checks before a rejection)
    min_median_ms: float = 500.0
    max_side_share: float = 0.8  # left share above this, or below 1 - this, is a position habit
    min_side_votes: int = 10
    # Off by default: on a close pair an honest rater repeats the answer only p² + (1-p)² ≈ 50 % of the time, as
    # often as a random clicker, so a handful of repeats cannot tell them apart.
    min_consistency: float = 0.0
    min_repeats: int = 4


@dataclass
class RaterReport:
    """One rater's screening numbers."""

    rater: str
    simulated: bool
    votes: int
    catch_correct: int
    catch_trials: int
    repeats_agree: int
    repeats: int
    left_share: float | None
    median_ms: float | None
    flags: list[str]
    excluded: bool = False

    @property
    def catch_accuracy(self) -> float | None:
        return self.catch_correct / self.catch_trials if self.catch_trials else None

    @property
    def consistency(self) -> float | None:
        return self.repeats_agree / self.repeats if self.repeats else None


def screen_rater(report: RaterReport, rules: Screening) -> list[str]:
    """The rules ``report`` breaks, in words."""
    flags = []
    misses = report.catch_trials - report.catch_correct
    if misses >= rules.min_catch_misses and report.catch_accuracy < rules.min_catch_accuracy:
        flags.append(f"catch accuracy {report.catch_accuracy:.0%} < {rules.min_catch_accuracy:.0%}")
    if report.median_ms is not None and report.median_ms < rules.min_median_ms:
        flags.append(f"median time {report.median_ms:.0f} ms < {rules.min_median_ms:.0f} ms")
    if report.votes - report.catch_trials >= rules.min_side_votes and report.left_share is not None \
            and max(report.left_share, 1 - report.left_share) > rules.max_side_share:
        flags.append(f"left chosen {report.left_share:.0%}")
    if report.repeats >= rules.min_repeats and report.consistency < rules.min_consistency:
        flags.append(f"repeat consistency {report.consistency:.0%} < {rules.min_consistency:.0%}")
    return flags


def fit_bradley_terry(n_methods: int, pairs: list[tuple[int, int]], alpha: float = DEFAULT_ALPHA) -> np.ndarray:
    """Centred log-strengths from (winner, loser) pairs via ``choix.ilsr_pairwise``."""
    _check_alpha(alpha)
    try:
        return choix.ilsr_pairwise(n_methods, pairs, alpha=alpha, max_iter=1000)
    except RuntimeError as exc:
        raise StudyError(f"Bradley–Terry fit did not converge ({exc}); try a larger --alpha") from None


def _check_alpha(alpha: float) -> None:
    if not alpha > 0:
        raise ValueError(f"--alpha must be > 0 (choix has no finite solution when a method never loses), got {alpha}")


def _fit_dense(wins: np.ndarray, alpha: float) -> np.ndarray:
    """The same estimator on a win-count matrix (wins[i, j] = times i beat j); fast enough for the bootstrap."""
    return choix.ilsr_pairwise_dense(wins.astype(np.float64), alpha=alpha, max_iter=1000)


def components(wins: np.ndarray) -> list[list[int]]:
    """Connected components of the comparison graph (an edge wherever two methods were compared at least once)."""
    compared = (wins + wins.T) > 0
    unseen, groups = set(range(len(wins))), []
    while unseen:
        stack, group = [min(unseen)], set()
        while stack:
            node = stack.pop()
            if node in group:
                continue
            group.add(node)
            stack.extend(int(j) for j in np.flatnonzero(compared[node]) if j not in group)
        unseen -= group
        groups.append(sorted(group))
    return groups


@dataclass
class StudyScores:
    """Everything ``study score`` reports. Method order is the study's; ``ranking`` sorts by score."""

    methods: list[str]
    theta: np.ndarray  # centred log-strengths
    interval: np.ndarray | None  # (n, 2) bootstrap 95 % percentile interval, None without bootstrap
    wins: np.ndarray  # wins[i, j]: base-item votes where method i beat method j
    alpha: float
    bootstrap: int
    n_votes: int  # votes in the fit (base items)
    n_repeat_votes: int
    raters: int
    simulated_raters: int
    left_share: float  # fraction of votes for the left image (position bias check; 0.5 = none)
    consistency: dict[str, tuple[int, int]]  # rater id -> (agreeing repeats, repeats answered twice)
    warnings: list[str] = field(default_factory=list)
    rater_reports: list[RaterReport] = field(default_factory=list)
    screening: Screening = field(default_factory=Screening)
    excluded: dict[str, int] = field(default_factory=dict)  # excluded rater -> votes removed

    @property
    def ranking(self) -> list[int]:
        return sorted(range(len(self.methods)), key=lambda i: -self.theta[i])

    @property
    def comparisons(self) -> np.ndarray:
        return self.wins + self.wins.T

    def win_rate(self) -> np.ndarray:
        """win_rate[i, j] = share of i-vs-j votes won by i (nan where never compared or i == j)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.comparisons > 0, self.wins / self.comparisons, np.nan)

    @property
    def agreement(self) -> tuple[int, int]:
        agree = sum(a for a, _ in self.consistency.values())
        return agree, sum(n for _, n in self.consistency.values())

    def rows(self) -> list[dict]:
        """One dict per method, best first."""
        out = []
        for rank, i in enumerate(self.ranking, 1):
            total = int(self.comparisons[i].sum())
            out.append({
                "rank": rank, "method": self.methods[i], "bt_score": float(self.theta[i]),
                "ci_low": None if self.interval is None else float(self.interval[i, 0]),
                "ci_high": None if self.interval is None else float(self.interval[i, 1]),
                "wins": int(self.wins[i].sum()), "comparisons": total,
                "win_rate": float(self.wins[i].sum() / total) if total else None,
            })
        return out

    def to_dict(self) -> dict:
        agree, checks = self.agreement
        win_rate = self.win_rate()
        per_rater = {name: {"agree": a, "checks": n} for name, (a, n) in self.consistency.items()}
        return {
            "model": "Bradley-Terry, choix.ilsr_pairwise, votes pooled over composites",
            "alpha": self.alpha, "bootstrap": self.bootstrap, "interval": "95% percentile, raters resampled",
            "votes": self.n_votes, "repeat_votes": self.n_repeat_votes, "raters": self.raters,
            "simulated_raters": self.simulated_raters, "left_share": self.left_share,
            "ranking": self.rows(),
            "wins": {a: {b: int(self.wins[i, j]) for j, b in enumerate(self.methods) if i != j}
                     for i, a in enumerate(self.methods)},
            "win_rate": {a: {b: (None if np.isnan(win_rate[i, j]) else float(win_rate[i, j]))
                             for j, b in enumerate(self.methods) if i != j} for i, a in enumerate(self.methods)},
            "consistency": {"agree": agree, "checks": checks, "rate": agree / checks if checks else None,
                            "per_rater": per_rater},
            "screening": {"thresholds": asdict(self.screening),
                          "raters": [{**asdict(r), "catch_accuracy": r.catch_accuracy,
                                      "consistency": r.consistency} for r in self.rater_reports],
                          "excluded": self.excluded, "votes_removed": sum(self.excluded.values())},
            "warnings": self.warnings,
        }


def rater_reports(study: StudyDB, records: list, rules: Screening) -> list[RaterReport]:
    """Screening numbers of every rater with at least one vote in ``records``."""
    by_rater: dict[int, list] = {}
    for record in records:
        by_rater.setdefault(record.rater, []).append(record)
    reports = []
    for votes in by_rater.values():
        answers = {v.item: v.winner for v in votes}
        catch = [v.correct for v in votes if study.items[v.item].kind == CATCH]
        checks = [(answers[study.items[v.item].repeat_of], v.winner) for v in votes
                  if study.items[v.item].kind == REPEAT and study.items[v.item].repeat_of in answers]
        sides = [v.side == "left" for v in votes if study.items[v.item].kind != CATCH]
        times = [v.elapsed_ms for v in votes if v.elapsed_ms is not None]
        report = RaterReport(votes[0].rater_key, votes[0].simulated, len(votes), sum(catch), len(catch),
                             sum(a == b for a, b in checks), len(checks),
                             float(np.mean(sides)) if sides else None,
                             float(np.median(times)) if times else None, [])
        report.flags = screen_rater(report, rules)
        reports.append(report)
    return reports


def score_study(study: StudyDB, alpha: float = DEFAULT_ALPHA, bootstrap: int = 1000, seed: int = 0,
                include_simulated: bool = True, screening: Screening | None = None,
                exclude: str | list[str] | None = None) -> StudyScores:
    """Screen raters, fit, bootstrap and check the study's votes; see the module docstring. ``exclude``:
    ``"flagged"`` or a list of rater ids to leave out of everything but the screening table."""
    _check_alpha(alpha)
    rules = screening or Screening()
    n = len(study.methods)
    records = [r for r in study.vote_records() if include_simulated or not r.simulated]
    reports = rater_reports(study, records, rules)
    if exclude == "flagged":
        leave_out = {r.rater for r in reports if r.flags}
    else:
        leave_out = set(exclude or [])
        unknown = sorted(leave_out - {r.rater for r in reports})
        if unknown:
            raise StudyError(f"--exclude: no rater '{unknown[0]}' has votes in {study.path}")
    for report in reports:
        report.excluded = report.rater in leave_out
    excluded = {r.rater: r.votes for r in reports if r.excluded}
    records = [r for r in records if r.rater_key not in leave_out]

    per_rater_wins: dict[int, np.ndarray] = {}
    pairs, repeat_votes, left_votes, side_votes = [], 0, 0, 0
    for record in records:
        item = study.items[record.item]
        if item.kind == CATCH:
            continue
        side_votes += 1
        left_votes += record.side == "left"
        if item.kind != PAIR:
            repeat_votes += 1
            continue
        loser = item.right if record.winner == item.left else item.left
        pairs.append((record.winner, loser))
        per_rater_wins.setdefault(record.rater, np.zeros((n, n)))[record.winner, loser] += 1

    kept = [r for r in reports if not r.excluded]
    consistency = {r.rater: (r.repeats_agree, r.repeats) for r in kept if r.repeats}
    wins = sum(per_rater_wins.values(), np.zeros((n, n)))
    warnings = []
    if not pairs:
        warnings.append("no votes yet: all scores are 0")
    groups = components(wins)
    if pairs and len(groups) > 1:
        listed = "; ".join(", ".join(study.methods[i] for i in g) for g in groups)
        warnings.append(f"the comparison graph is disconnected ({listed}): scores of methods in different groups "
                        "are not comparable")
    theta = fit_bradley_terry(n, pairs, alpha) if pairs else np.zeros(n)

    interval = None
    if bootstrap > 0 and len(per_rater_wins) >= 2:
        rng = np.random.default_rng(seed)
        stack = np.stack([per_rater_wins[r] for r in sorted(per_rater_wins)])
        draws = np.empty((bootstrap, n))
        for b in range(bootstrap):
            counts = rng.multinomial(len(stack), np.full(len(stack), 1 / len(stack)))
            draws[b] = _fit_dense(np.tensordot(counts, stack, axes=1), alpha)
        interval = np.percentile(draws, [2.5, 97.5], axis=0).T
        if len(per_rater_wins) < FEW_RATERS:
            warnings.append(f"only {len(per_rater_wins)} raters: intervals from a bootstrap over so few raters are "
                            f"unstable; aim for at least {FEW_RATERS}")
    elif bootstrap > 0 and pairs:
        warnings.append("fewer than 2 raters: no bootstrap interval")
    flagged = [r for r in kept if r.flags]
    if flagged:
        warnings.append(f"{len(flagged)} flagged raters are in the fit ({', '.join(r.rater for r in flagged)}); "
                        "see the screening table, --exclude flagged leaves them out")
    n_simulated = sum(r.simulated for r in kept)
    if n_simulated:
        warnings.append(f"{n_simulated} of {len(kept)} raters are simulated (`study simulate`)")
    return StudyScores(list(study.methods), np.asarray(theta, dtype=float), interval, wins, alpha, bootstrap,
                       len(pairs), repeat_votes, len(kept), n_simulated,
                       left_votes / side_votes if side_votes else float("nan"), consistency, warnings,
                       reports, rules, excluded)


# -- rendering ----------------------------------------------------------------------------------------------------

def _fmt(value, digits: int = 3) -> str:
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.{digits}f}"


def _ci(row: dict) -> str:
    return "–" if row["ci_low"] is None else f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}]"


def _footer(scores: StudyScores) -> list[str]:
    agree, checks = scores.agreement
    lines = [f"Bradley–Terry log-strengths (centred), alpha = {scores.alpha:g}; 95 % interval from "
             f"{scores.bootstrap} bootstrap resamples of raters",
             f"{scores.n_votes} votes from {scores.raters} raters ({scores.n_repeat_votes} repeat votes kept out of "
             f"the fit); left image chosen {_fmt(scores.left_share * 100, 1)} % of the time",
             f"consistency: {agree}/{checks} repeated pairs answered the same way"
             + (f" ({agree / checks:.0%})" if checks else "")]
    for rater, removed in scores.excluded.items():
        lines.append(f"excluded {rater}: {removed} votes removed")
    return lines + [f"warning: {w}" for w in scores.warnings]


SCREENING_COLUMNS = ("rater", "votes", "catch", "repeats", "left", "median ms", "flags")


def _screening_rows(scores: StudyScores) -> list[tuple[str, ...]]:
    def share(value):
        return "–" if value is None else f"{value:.0%}"

    return [(r.rater + (" (excluded)" if r.excluded else ""), str(r.votes),
             f"{r.catch_correct}/{r.catch_trials}" if r.catch_trials else "–",
             f"{r.repeats_agree}/{r.repeats}" if r.repeats else "–", share(r.left_share),
             "–" if r.median_ms is None else f"{r.median_ms:.0f}", "; ".join(r.flags) or "ok")
            for r in scores.rater_reports]


def render_rich(scores: StudyScores, console) -> None:
    from rich.table import Table

    table = Table(title="User study: Bradley–Terry scores")
    for column, justify in (("#", "right"), ("method", "left"), ("B–T score", "right"), ("95 % CI", "right"),
                            ("wins / comparisons", "right"), ("win rate", "right")):
        table.add_column(column, justify=justify)
    for row in scores.rows():
        table.add_row(str(row["rank"]), row["method"], _fmt(row["bt_score"]), _ci(row),
                      f"{row['wins']} / {row['comparisons']}", _fmt(row["win_rate"]))
    console.print(table)
    matrix = Table(title="win rate of row over column")
    matrix.add_column("")
    order = scores.ranking
    for j in order:
        matrix.add_column(scores.methods[j], justify="right")
    rates = scores.win_rate()
    for i in order:
        matrix.add_row(scores.methods[i], *(_fmt(rates[i, j], 2) if i != j else "" for j in order))
    console.print(matrix)
    if scores.rater_reports:
        raters = Table(title="rater screening (catch = correct / catch trials, repeats = same answer / repeats)")
        for column in SCREENING_COLUMNS:
            raters.add_column(column, justify="left" if column in ("rater", "flags") else "right")
        for row in _screening_rows(scores):
            raters.add_row(*row, style="yellow" if row[-1] != "ok" else None)
        console.print(raters)
    for line in _footer(scores):
        console.print(line, style="yellow" if line.startswith("warning") else None, highlight=False)


def render_markdown(scores: StudyScores) -> str:
    lines = ["| # | method | B–T score | 95 % CI | wins / comparisons | win rate |", "|---:|---|---:|---:|---:|---:|"]
    lines += [f"| {r['rank']} | {r['method']} | {_fmt(r['bt_score'])} | {_ci(r)} | {r['wins']} / {r['comparisons']} "
              f"| {_fmt(r['win_rate'])} |" for r in scores.rows()]
    order, rates = scores.ranking, scores.win_rate()
    lines += ["", "Win rate of row over column:", "",
              "| | " + " | ".join(scores.methods[j] for j in order) + " |", "|---|" + "---:|" * len(order)]
    lines += [f"| {scores.methods[i]} | " + " | ".join(_fmt(rates[i, j], 2) if i != j else "" for j in order) + " |"
              for i in order]
    if scores.rater_reports:
        lines += ["", "Rater screening:", "", "| " + " | ".join(SCREENING_COLUMNS) + " |",
                  "|---|" + "---:|" * (len(SCREENING_COLUMNS) - 2) + "---|"]
        lines += ["| " + " | ".join(row) + " |" for row in _screening_rows(scores)]
    return "\n".join(lines + [""] + [f"{line}  " for line in _footer(scores)]) + "\n"


def _latex_escape(text: str) -> str:
    for char, replacement in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                              ("_", r"\_"), ("{", r"\{"), ("}", r"\}")):
        text = text.replace(char, replacement)
    return text


def render_latex(scores: StudyScores) -> str:
    lines = [r"\begin{tabular}{rlrrr}", r"\toprule",
             r"\# & Method & B--T score & 95\% CI & Win rate \\", r"\midrule"]
    for r in scores.rows():
        ci = "--" if r["ci_low"] is None else f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
        lines.append(f"{r['rank']} & {_latex_escape(r['method'])} & {r['bt_score']:.3f} & {ci} & "
                     f"{_fmt(r['win_rate'], 3)} \\\\")
    lines += [r"\bottomrule", r"\end{tabular}",
              f"% alpha = {scores.alpha:g}, {scores.n_votes} votes, {scores.raters} raters, "
              f"{scores.bootstrap} rater-bootstrap resamples"]
    return "\n".join(lines) + "\n"


def render_csv(scores: StudyScores) -> str:
    buffer = io.StringIO()
    rows = scores.rows()
    writer = csv.DictWriter(buffer, fieldnames=[*rows[0].keys(), "alpha", "votes", "raters"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "alpha": scores.alpha, "votes": scores.n_votes, "raters": scores.raters})
    return buffer.getvalue()


def render_json(scores: StudyScores) -> str:
    return json.dumps(scores.to_dict(), indent=2) + "\n"
