"""The ``harmbench study`` commands end to end: create -> simulate -> score -> export -> import."""

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
                    "--size", 64, "--repeats", 2, "--out", db)
    assert result.exit_code == 0, result.output
    pristine = tmp_path / "pristine.sqlite"
    shutil.copy(db, pristine)
    shutil.copytree(tmp_path / "study_files", tmp_path / "pristine_files")

    result = invoke("simulate", "--db", db, "--strengths", "composite=-2,reinhard=0,histmatch=2", "--raters", 30,
                    "--votes-per-rater", 8, "--seed", 1)
    assert result.exit_code == 0, result.output
    assert StudyDB(db).vote_count() == 240

    result = invoke("score", "--db", db, "--format", "json", "--bootstrap", 100, "--alpha", 0.02)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert [r["method"] for r in scores["ranking"]] == ["histmatch", "reinhard", "composite"]
    assert scores["alpha"] == 0.02 and scores["raters"] == 30 and scores["simulated_raters"] == 30
    assert all(r["ci_low"] < r["bt_score"] < r["ci_high"] for r in scores["ranking"])
    for fmt, marker in (("md", "| 1 | histmatch"), ("latex", r"\toprule"), ("csv", "rank,method,bt_score")):
        result = invoke("score", "--db", db, "--format", fmt, "--bootstrap", 10)
        assert result.exit_code == 0 and marker in result.stdout, result.output
    result = invoke("score", "--db", db, "--bootstrap", 10)
    assert result.exit_code == 0 and "Bradley" in result.output and "alpha = 0.01" in result.output
    result = invoke("score", "--db", db, "--human-only", "--format", "json", "--bootstrap", 0)
    assert json.loads(result.stdout)["votes"] == 0

    for suffix in ("csv", "jsonl"):
        exported = tmp_path / f"votes.{suffix}"
        result = invoke("export", "--db", db, "--out", exported)
        assert result.exit_code == 0 and "240 votes" in result.output, result.output
    with open(tmp_path / "votes.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 240 and all(r["winner"] in (r["left"], r["right"]) for r in rows)

    result = invoke("import", "--db", db, "--file", tmp_path / "votes.jsonl")
    assert result.exit_code == 0 and "0 votes imported, 240 already present" in result.output, result.output
    result = invoke("import", "--db", pristine, "--file", tmp_path / "votes.csv")
    assert result.exit_code == 0 and "240 votes imported" in result.output, result.output
    assert StudyDB(pristine).votes() == StudyDB(db).votes()


def test_import_refuses_votes_of_another_study(tmp_path):
    one = make_study(tmp_path / "one.sqlite", seed=0)
    other = make_study(tmp_path / "other.sqlite", methods=("a", "b", "c", "d"), seed=1)
    rater = one.get_or_create_rater("ann")
    one.record_vote(rater.id, 0, "left")
    assert invoke("export", "--db", one.path, "--out", tmp_path / "v.csv").exit_code == 0
    result = invoke("import", "--db", other.path, "--file", tmp_path / "v.csv")
    assert result.exit_code == 2 and "line 2" in result.output and "exported from" in result.output
    assert other.vote_count() == 0


@pytest.mark.parametrize("args,message", [
    (("score", "--db", "nope.sqlite"), "no such study file"),
    (("score", "--db", "{study}", "--alpha", "0"), "alpha must be > 0"),
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
