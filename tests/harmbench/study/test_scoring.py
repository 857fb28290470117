"""Bradley–Terry scoring: recovers the true order from simulated votes, agrees with choix's own estimators,
handles a method that never loses, warns on a disconnected graph, and measures rater consistency."""

import csv
import io
import json

import choix
import numpy as np
import pytest
from study_helpers import make_study

from harmbench.study import scoring
from harmbench.study.scoring import components, fit_bradley_terry, score_study
from harmbench.study.simulate import parse_strengths, simulate_votes


@pytest.fixture
def study(tmp_path):
    return make_study(tmp_path / "study.sqlite")


TRUE = {"composite": -1.2, "reinhard": -0.2, "histmatch": 0.3, "oracle": 1.1}


def test_recovers_true_order_and_scale_from_simulated_votes(tmp_path):
    study = make_study(tmp_path / "s.sqlite", n_composites=6, repeats=6)
    truth = parse_strengths(",".join(f"{k}={v}" for k, v in TRUE.items()), study.methods)
    added = simulate_votes(study, truth, raters=40, votes_per_rater=len(study.items), seed=1)
    assert added == 40 * len(study.items)
    scores = score_study(study, alpha=0.01, bootstrap=200, seed=0)
    assert [study.methods[i] for i in scores.ranking] == ["oracle", "histmatch", "reinhard", "composite"]
    centred = truth - truth.mean()
    assert np.abs(scores.theta - centred).max() < 0.25  # 1440 base votes: standard error ~0.1
    low, high = scores.interval[:, 0], scores.interval[:, 1]
    assert np.all(low < scores.theta) and np.all(scores.theta < high)
    assert np.sum((low <= centred) & (centred <= high)) >= 3  # 95 % intervals cover the truth (allow one miss)
    assert scores.n_votes == 40 * (len(study.items) - 6) and scores.n_repeat_votes == 40 * 6
    assert scores.simulated_raters == 40 and any("simulated" in w for w in scores.warnings)
    assert 0.4 < scores.left_share < 0.6


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
    rater = study.get_or_create_rater("ann")
    for item in study.items:
        pair = {study.methods[item.left], study.methods[item.right]}
        if pair in ({"composite", "reinhard"}, {"histmatch", "oracle"}) and item.repeat_of is None:
            study.record_vote(rater.id, item.index, "left")
    scores = score_study(study, bootstrap=0)
    assert any("disconnected" in w and "composite, reinhard" in w for w in scores.warnings)


def test_consistency_counts_repeated_pairs(study):
    """A rater answering every repeat the same way as its original scores 100 %; one flipping them, 0 %."""
    steady, fickle = study.get_or_create_rater("steady"), study.get_or_create_rater("fickle")
    for item in study.items:
        if item.repeat_of is None:
            study.record_vote(steady.id, item.index, "left")
            study.record_vote(fickle.id, item.index, "left")
    for item in study.items:
        if item.repeat_of is not None:
            original = study.items[item.repeat_of]
            # the repeat shows the original's left method on the right
            study.record_vote(steady.id, item.index, "right")
            study.record_vote(fickle.id, item.index, "left")
            assert study.methods[item.right] == study.methods[original.left]
    scores = score_study(study, bootstrap=50)
    assert scores.consistency == {"steady": (4, 4), "fickle": (0, 4)}
    assert scores.agreement == (4, 8)
    assert scores.interval is not None


def test_no_votes_and_single_rater(study):
    scores = score_study(study, bootstrap=10)
    assert np.all(scores.theta == 0) and "no votes yet" in scores.warnings[0] and scores.interval is None
    rater = study.get_or_create_rater("solo")
    study.record_vote(rater.id, 0, "left")
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
    data = json.loads(scoring.render_json(scores))
    assert data["alpha"] == 0.05 and data["votes"] == scores.n_votes and len(data["ranking"]) == 4
    assert set(data["win_rate"]["oracle"]) == {"composite", "reinhard", "histmatch"}


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
