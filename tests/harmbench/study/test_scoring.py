"""Bradley–Terry scoring: recovers the true order from simulated votes, agrees with choix's own estimators,
handles a method that never loses, warns on a disconnected graph, measures rater consistency, screens raters
(a careless rater is flagged, and excluding it moves the scores back to the truth), draws the results figure."""

import csv
import io
import json

import choix
import numpy as np
import pytest
from PIL import Image
from study_helpers import make_study

from harmbench.study import scoring
from harmbench.study.db import StudyError
from harmbench.study.plot import plot_scores
from harmbench.study.schedule import Design
from harmbench.study.scoring import Screening, components, fit_bradley_terry, score_study
from harmbench.study.simulate import parse_strengths, simulate_votes


@pytest.fixture
def study(tmp_path):
    return make_study(tmp_path / "study.sqlite")


TRUE = {"composite": -1.2, "reinhard": -0.2, "histmatch": 0.3, "oracle": 1.1}


def test_recovers_true_order_and_scale_from_simulated_votes(tmp_path):
    study = make_study(tmp_path / "s.sqlite", n_composites=6)
    truth = parse_strengths(",".join(f"{k}={v}" for k, v in TRUE.items()), study.methods)
    session = len(study.plan(study.add_rater(key="probe")))
    added = simulate_votes(study, truth, raters=40, votes_per_rater=10_000, seed=1)
    assert added == sum(len(study.plan(r)) for r in study.raters() if r.simulated)
    scores = score_study(study, alpha=0.01, bootstrap=200, seed=0)
    assert [study.methods[i] for i in scores.ranking] == ["oracle", "histmatch", "reinhard", "composite"]
    centred = truth - truth.mean()
    assert np.abs(scores.theta - centred).max() < 0.25  # 1440 pair votes: standard error ~0.1
    low, high = scores.interval[:, 0], scores.interval[:, 1]
    assert np.all(low < scores.theta) and np.all(scores.theta < high)
    assert np.sum((low <= centred) & (centred <= high)) >= 3  # 95 % intervals cover the truth (allow one miss)
    assert scores.n_votes == 40 * 36 and scores.n_repeat_votes == 40 * 4 and session == 36 + 4 + 4
    assert scores.simulated_raters == 40 and any("simulated" in w for w in scores.warnings)
    assert 0.4 < scores.left_share < 0.6
    # 95 %-accurate raters miss 2 of 4 catch trials with probability 1.4 %: rarely flagged, never for time or side
    flagged = [r for r in scores.rater_reports if r.flags]
    assert len(flagged) <= 2 and all(f.startswith("catch") for r in flagged for f in r.flags)


def test_careless_rater_is_flagged_and_excluding_it_restores_the_truth(tmp_path):
    """An always-left, 250-ms rater with a large quota drags the scores towards whatever sits on the left; the
    screening flags it, and --exclude flagged gives back the attentive raters' scores."""
    study = make_study(tmp_path / "s.sqlite", n_composites=6, design=Design(per_rater=18))
    truth = parse_strengths(",".join(f"{k}={v}" for k, v in TRUE.items()), study.methods)
    simulate_votes(study, truth, raters=6, votes_per_rater=10_000, seed=2)
    clean = score_study(study, bootstrap=0)
    simulate_votes(study, truth, raters=0, careless=6, votes_per_rater=10_000, seed=3)
    polluted = score_study(study, bootstrap=0)
    careless = [r for r in polluted.rater_reports if "careless" in r.rater]
    assert len(careless) == 6
    for report in careless:
        assert report.left_share == 1.0 and report.median_ms < 500 and report.catch_trials >= 2
        assert any("median time" in f for f in report.flags) and any("left chosen 100%" in f for f in report.flags)
    assert not any(r.flags for r in polluted.rater_reports if "careless" not in r.rater)
    assert any("6 flagged raters are in the fit" in w for w in polluted.warnings)
    screened = score_study(study, bootstrap=0, exclude="flagged")
    centred = truth - truth.mean()
    error = lambda s: np.abs(s.theta - centred).max()  # noqa: E731
    assert error(polluted) > error(screened) + 0.1
    np.testing.assert_allclose(screened.theta, clean.theta)  # exactly the attentive raters' fit
    assert screened.excluded == {r.rater: r.votes for r in careless}
    assert all(r.excluded for r in screened.rater_reports if "careless" in r.rater)
    named = score_study(study, bootstrap=0, exclude=[careless[0].rater])
    assert list(named.excluded) == [careless[0].rater]
    with pytest.raises(StudyError, match="no rater 'nobody'"):
        score_study(study, bootstrap=0, exclude=["nobody"])


def test_catch_accuracy_and_thresholds(study):
    """A rater who picks the degraded picture on catch trials is flagged by catch accuracy; thresholds apply."""
    rater = study.add_rater(key="odd")
    for screen in study.plan(rater):
        item = study.items[screen.item]
        wrong = screen.flipped if item.kind == "catch" else False  # the degraded side; otherwise alternate
        side = ("left" if wrong else "right") if item.kind == "catch" else ("left" if screen.item % 2 else "right")
        study.record_vote(rater.id, screen.item, side, screen.flipped, elapsed_ms=3000)
    (report,) = score_study(study, bootstrap=0).rater_reports
    assert report.catch_trials >= 2 and report.catch_correct == 0
    assert any(f.startswith("catch accuracy 0%") for f in report.flags)
    (lenient,) = score_study(study, bootstrap=0, screening=Screening(min_catch_misses=99)).rater_reports
    assert not any("catch" in f for f in lenient.flags)
    (strict,) = score_study(study, bootstrap=0, screening=Screening(min_consistency=1.01, min_repeats=1)).rater_reports
    assert any("repeat consistency" in f for f in strict.flags) and not any("repeat" in f for f in report.flags)


def test_fit_matches_choix_estimators():
    rng = np.random.default_rng(0)
    theta = np.array([0.8, 0.1, -0.3, -0.6])
    pairs = []
    for _ in range(400):
        i, j = rng.choice(4, 2, replace=False)
        pairs.append((i, j) if rng.random() < 1 / (1 + np.exp(theta[j] - theta[i])) else (j, i))
    ours = fit_bradley_terry(4, pairs, alpha=0.01)
    wins = np.zeros((4, 4))
    for winner, loser in pairs:
        wins[winner, loser] += 1
    np.testing.assert_allclose(ours, choix.ilsr_pairwise_dense(wins, alpha=0.01), atol=1e-6)
    np.testing.assert_allclose(ours, choix.mm_pairwise(4, pairs, alpha=0.01), atol=1e-3)
    assert abs(ours.sum()) < 1e-9  # centred


def test_method_that_never_loses_gets_a_finite_top_score():
    pairs = [(0, 1)] * 10 + [(0, 2)] * 10 + [(1, 2)] * 6 + [(2, 1)] * 4
    with pytest.raises(ValueError):
        choix.ilsr_pairwise(3, pairs, alpha=0.0)  # why alpha must be set
    theta = fit_bradley_terry(3, pairs, alpha=0.01)
    assert np.all(np.isfinite(theta)) and theta.argmax() == 0
    with pytest.raises(ValueError, match="alpha must be > 0"):
        fit_bradley_terry(3, pairs, alpha=0.0)


def test_components():
    wins = np.zeros((4, 4))
    wins[0, 1] = wins[3, 2] = 1
    assert components(wins) == [[0, 1], [2, 3]]
    wins[1, 2] = 1
    assert components(wins) == [[0, 1, 2, 3]]


def test_disconnected_graph_warns(study):
    rater = study.add_rater(key="ann")
    for item in study.items:
        if item.kind != "pair":
            continue
        pair = {study.methods[item.left], study.methods[item.right]}
        if pair in ({"composite", "reinhard"}, {"histmatch", "oracle"}):
            study.record_vote(rater.id, item.index, "left", False)
    scores = score_study(study, bootstrap=0)
    assert any("disconnected" in w and "composite, reinhard" in w for w in scores.warnings)


def test_consistency_counts_repeated_pairs(study):
    """A rater answering every repeat the same way as its original scores 100 %; one flipping them, 0 %."""
    steady, fickle = study.add_rater(key="steady"), study.add_rater(key="fickle")
    repeats = 0
    for rater in (steady, fickle):
        for screen in study.plan(rater):
            item = study.items[screen.item]
            # the repeat shows the original's left method on the right: same method = the other side
            side = "right" if item.kind == "repeat" and rater is steady else "left"
            study.record_vote(rater.id, screen.item, side, screen.flipped)
            repeats += item.kind == "repeat"
    n = repeats // 2
    scores = score_study(study, bootstrap=50)
    assert n >= 1 and scores.consistency == {"steady": (n, n), "fickle": (0, n)}
    assert scores.agreement == (n, 2 * n)
    assert scores.interval is not None and any("only 2 raters" in w for w in scores.warnings)


def test_no_votes_and_single_rater(study):
    scores = score_study(study, bootstrap=10)
    assert np.all(scores.theta == 0) and "no votes yet" in scores.warnings[0] and scores.interval is None
    rater = study.add_rater(key="solo")
    study.record_vote(rater.id, 0, "left", False)
    scores = score_study(study, bootstrap=10)
    assert scores.interval is None and any("fewer than 2 raters" in w for w in scores.warnings)


def test_renderers(study):
    truth = parse_strengths("composite=-1,reinhard=0,histmatch=0.5,oracle=1", study.methods)
    simulate_votes(study, truth, raters=3, votes_per_rater=10, seed=0)
    scores = score_study(study, alpha=0.05, bootstrap=20)
    md = scoring.render_markdown(scores)
    assert "| 1 |" in md and "alpha = 0.05" in md and "Win rate of row over column" in md
    latex = scoring.render_latex(scores)
    assert r"\begin{tabular}" in latex and "alpha = 0.05" in latex
    rows = list(csv.DictReader(io.StringIO(scoring.render_csv(scores))))
    assert [r["method"] for r in rows] == [study.methods[i] for i in scores.ranking]
    assert all(float(r["alpha"]) == 0.05 for r in rows)
    assert "Rater screening:" in md and "| sim-0-001 |" in md
    data = json.loads(scoring.render_json(scores))
    assert data["alpha"] == 0.05 and data["votes"] == scores.n_votes and len(data["ranking"]) == 4
    assert set(data["win_rate"]["oracle"]) == {"composite", "reinhard", "histmatch"}
    screening = data["screening"]
    assert screening["thresholds"]["min_catch_accuracy"] == 0.8 and screening["thresholds"]["min_median_ms"] == 500
    assert {r["rater"] for r in screening["raters"]} == {"sim-0-001", "sim-0-002", "sim-0-003"}
    assert all({"votes", "catch_accuracy", "consistency", "left_share", "median_ms", "flags"} <= set(r)
               for r in screening["raters"])


def test_plot(study, tmp_path):
    truth = parse_strengths("composite=-1,reinhard=0,histmatch=0.5,oracle=1", study.methods)
    simulate_votes(study, truth, raters=4, votes_per_rater=20, seed=0)
    scores = score_study(study, bootstrap=20)
    out = plot_scores(scores, tmp_path / "fig" / "scores.png")
    with Image.open(out) as image:
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert image.size[0] > 600 and image.size[1] > 150
    dots = np.abs(pixels - (200, 60, 50)).sum(-1) < 30  # the score markers
    assert dots.sum() > 4 * 20
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # shaded matrix cells and text, not a blank canvas
    svg = plot_scores(scores, tmp_path / "scores.svg").read_text()
    assert all(name in svg for name in study.methods)  # the labels (kept as text comments by the SVG writer)
    assert plot_scores(scores, tmp_path / "scores.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match=".png, .pdf, .svg"):
        plot_scores(scores, tmp_path / "scores.jpg")


def test_parse_strengths_errors(study):
    with pytest.raises(ValueError, match="no strength for"):
        parse_strengths("composite=1", study.methods)
    with pytest.raises(ValueError, match="not a method"):
        parse_strengths("composite=1,reinhard=0,histmatch=0,oracle=0,bogus=1", study.methods)
    with pytest.raises(ValueError, match="method=number"):
        parse_strengths("composite=high", study.methods)


def test_simulation_is_idempotent(study):
    truth = np.zeros(4)
    first = simulate_votes(study, truth, raters=2, votes_per_rater=5, seed=4)
    again = simulate_votes(study, truth, raters=2, votes_per_rater=5, seed=4)
    assert (first, again) == (10, 0) and study.vote_count() == 10
