"""The ``harmbench study`` commands end to end: create -> simulate -> score (screening, --exclude, --plot) ->
export -> import (a copy accepts, another study refuses)."""

import csv
import json
import shutil

import pytest
from study_helpers import make_real_folder, make_study
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.study.db import StudyDB

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["study", *map(str, args)])


def test_create_simulate_score_export_import(tmp_path):
    folder = make_real_folder(tmp_path / "real")
    db = tmp_path / "study.sqlite"
    result = invoke("create", "--composites", folder, "--methods", "reinhard,histmatch", "--include-composite",
                    "--size", 64, "--per-rater", 4, "--catch-share", 0.2, "--repeat-share", 0.25, "--repeat-gap", 1,
                    "--out", db)
    assert result.exit_code == 0, result.output
    assert StudyDB(db).design.per_rater == 4 and StudyDB(db).design.catch_share == 0.2
    pristine = tmp_path / "pristine.sqlite"
    shutil.copy(db, pristine)
    shutil.copytree(tmp_path / "study_files", tmp_path / "pristine_files")

    result = invoke("simulate", "--db", db, "--strengths", "composite=-2,reinhard=0,histmatch=2", "--raters", 30,
                    "--careless", 2, "--votes-per-rater", 100, "--seed", 1)
    assert result.exit_code == 0, result.output
    total = StudyDB(db).vote_count()
    assert total == 32 * 6  # 4 pairs + 1 repeat + 1 catch trial each

    result = invoke("score", "--db", db, "--format", "json", "--bootstrap", 100, "--alpha", 0.02)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["alpha"] == 0.02 and scores["raters"] == 32 and scores["simulated_raters"] == 32
    flagged = sorted(r["rater"] for r in scores["screening"]["raters"] if r["flags"])
    assert flagged == ["sim-1-careless-001", "sim-1-careless-002"]
    result = invoke("score", "--db", db, "--format", "json", "--bootstrap", 100, "--exclude", "flagged",
                    "--plot", tmp_path / "scores.png")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["screening"]["excluded"] == {"sim-1-careless-001": 6, "sim-1-careless-002": 6}
    assert scores["screening"]["votes_removed"] == 12 and scores["raters"] == 30
    assert [r["method"] for r in scores["ranking"]] == ["histmatch", "reinhard", "composite"]
    assert all(r["ci_low"] < r["bt_score"] < r["ci_high"] for r in scores["ranking"])
    assert (tmp_path / "scores.png").stat().st_size > 1000
    for fmt, marker in (("md", "| 1 | histmatch"), ("latex", r"\toprule"), ("csv", "rank,method,bt_score")):
        result = invoke("score", "--db", db, "--format", fmt, "--bootstrap", 10, "--exclude", "flagged")
        assert result.exit_code == 0 and marker in result.stdout, result.output
    result = invoke("score", "--db", db, "--bootstrap", 10, "--exclude", "sim-1-careless-001")
    assert result.exit_code == 0 and "excluded sim-1-careless-001: 6 votes removed" in result.output, result.output
    assert "rater screening" in result.output and "alpha = 0.01" in result.output
    result = invoke("score", "--db", db, "--human-only", "--format", "json", "--bootstrap", 0)
    assert json.loads(result.stdout)["votes"] == 0

    for suffix in ("csv", "jsonl"):
        exported = tmp_path / f"votes.{suffix}"
        result = invoke("export", "--db", db, "--out", exported)
        assert result.exit_code == 0 and f"{total} votes" in result.output, result.output
    with open(tmp_path / "votes.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == total and all(r["winner"] in (r["left"], r["right"]) for r in rows)
    assert {r["study"] for r in rows} == {StudyDB(db).study_id} and {r["kind"] for r in rows} == {
        "pair", "repeat", "catch"}

    result = invoke("import", "--db", db, "--file", tmp_path / "votes.jsonl")
    assert result.exit_code == 0 and f"0 votes imported, {total} already present" in result.output, result.output
    result = invoke("import", "--db", pristine, "--file", tmp_path / "votes.csv")
    assert result.exit_code == 0 and f"{total} votes imported" in result.output, result.output
    assert StudyDB(pristine).votes() == StudyDB(db).votes()


def test_import_refuses_votes_of_another_study(tmp_path):
    """Even a study with the same names, composites and schedule is another study: its votes are refused."""
    one = make_study(tmp_path / "one.sqlite", seed=0)
    twin = make_study(tmp_path / "twin.sqlite", seed=0)  # identical content, another study id
    rater = one.add_rater(key="ann")
    screen = one.plan(rater)[0]
    one.record_vote(rater.id, screen.item, "left", screen.flipped)
    assert invoke("export", "--db", one.path, "--out", tmp_path / "v.csv").exit_code == 0
    result = invoke("import", "--db", twin.path, "--file", tmp_path / "v.csv")
    assert result.exit_code == 2 and "line 2" in result.output and f"study {one.study_id}" in result.output
    assert twin.vote_count() == 0
    other = make_study(tmp_path / "other.sqlite", methods=("a", "b", "c", "d"), study_id=one.study_id)
    result = invoke("import", "--db", other.path, "--file", tmp_path / "v.csv")  # a forged id: content differs
    assert result.exit_code == 2 and "the file says" in result.output and other.vote_count() == 0


@pytest.mark.parametrize("args,message", [
    (("score", "--db", "nope.sqlite"), "no such study file"),
    (("score", "--db", "{study}", "--alpha", "0"), "alpha must be > 0"),
    (("score", "--db", "{study}", "--exclude", "nobody"), "no rater 'nobody'"),
    (("score", "--db", "{study}", "--plot", "scores.jpg"), "writes a .png, .pdf, .svg"),
    (("serve", "--db", "{study}", "--consent", "missing.html"), "no such consent file"),
    (("create", "--out", "x.sqlite", "--methods", "reinhard,histmatch", "--catch-share", "0.7"), "catch-share"),
    (("simulate", "--db", "{study}", "--strengths", "composite=1"), "no strength for"),
    (("export", "--db", "{study}", "--out", "votes.txt"), "use a .csv or .jsonl"),
    (("import", "--db", "{study}", "--file", "missing.csv"), "no such file"),
    (("serve", "--db", "{study}", "--port", "70000"), "less than or equal to 65535"),
])
def test_errors_are_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    make_study(tmp_path / "s.sqlite")
    result = invoke(*(a.replace("{study}", "s.sqlite") for a in args))
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output, result.output
