"""Every table the command line prints is readable at 80 columns (and at 200): method names and run labels never cut
or broken, long text shortened to a key with the full text in ``harmbench info``; JSON carries the table's numbers."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.cli.common import print_table
from harmbench.factory import create_method
from harmbench.registry import get_method, list_methods
from harmbench.results import load_run
from harmbench.tables import add_statistics, quality_table, to_rich
from harmbench.weights import WEIGHTS_DIR_ENV
from tests.harmbench.test_compare_cli import write_run

LONGEST = max(list_methods(), key=len)  # cdtnet-256-ablate-no-feature-input: 34 characters


def invoke(*args, columns=80):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


def shows_whole(name: str, text: str) -> bool:
    """``name`` appears with neither a letter, digit nor hyphen glued on either side (not cut, not broken)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def widest_line(text: str) -> int:
    return max(map(len, text.splitlines()))


@pytest.fixture
def no_weights(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(WEIGHTS_DIR_ENV, raising=False)


@pytest.mark.parametrize("columns", [80, 200])
def test_list_shows_every_name_whole_with_a_short_paper_key(no_weights, columns):
    result = invoke("list", columns=columns)
    assert result.exit_code == 0, result.output
    assert all(shows_whole(name, result.output) for name in list_methods())
    assert widest_line(result.output) <= columns
    row = next(line for line in result.output.splitlines() if shows_whole("cdtnet-256", line))
    assert "Cong CVPR'22" in row and "Collaborative" not in result.output  # the full title is in `info`


@pytest.mark.parametrize("columns", [80, 200])
def test_weights_shows_every_learned_method_whole(no_weights, columns):
    result = invoke("weights", columns=columns)
    assert result.exit_code == 0, result.output
    learned = [name for name in list_methods() if get_method(name).trainable]
    assert all(shows_whole(name, result.output) for name in learned)
    assert "https://github.com/bcmi/CDTNet-High-Resolution-Image-Harmonization" in result.output.replace("\n", "")
    assert widest_line(result.output) <= columns


def test_list_json_carries_the_table_figures(no_weights):
    records = json.loads(invoke("list", "--format", "json").stdout)
    assert [record["name"] for record in records] == list_methods()
    table = invoke("list", columns=200).output.splitlines()
    for record in records:
        line = next(line for line in table if line.split()[:1] == [record["name"]])
        assert line.split()[1] == str(record["native_size"] or "-")
        assert line.rstrip().endswith(f"  {record['citation'] or '-'}")
    assert next(r for r in records if r["name"] == "reinhard")["local_weights"] == []


def test_info_shows_one_method_in_full(no_weights):
    result = invoke("info", "iss2am")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Foreground-aware Semantic Representations for Image Harmonization, WACV 2021" in text
    assert "issam256.pth" in text and "none found" in text
    params = sum(p.numel() for p in create_method("iss2am").parameters())
    assert f"{params:,}" in text
    assert all(shows_whole(field, result.output) for field in ("depth", "attend_from", "attention_mid_k"))
    record = json.loads(invoke("info", "iss2am", "--format", "json").stdout)
    assert record["params"] == params and record["config"]["depth"] == 4 and record["citation"] == "Sofiiuk WACV'21"


def test_info_of_a_variant_marks_the_fields_its_name_sets(no_weights):
    result = invoke("info", LONGEST, columns=200)
    assert result.exit_code == 0, result.output
    assert re.search(r"refine_inputs\s+\[\"base\", \"lut\", \"mask\"\] \(set by this name\)", result.output)
    unknown = invoke("info", "cdtnet-25")
    assert unknown.exit_code == 2 and "unknown method 'cdtnet-25'" in unknown.output


def test_citation_key_is_first_author_venue_and_year():
    assert get_method("cdtnet-512").citation == "Cong CVPR'22"
    assert get_method("dovenet").citation == "Cong CVPR'20"
    assert get_method("s2am").citation == "Cun TIP'20"  # "IEEE TIP 2020"
    assert get_method("composite").citation == ""  # not a citation: the references describe themselves


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_quality_table_keeps_long_run_labels_whole(tmp_path, columns):
    runs = [load_run(write_run(tmp_path / name, name, [100.0 + k, 250.0, 900.0 + 3 * k]))
            for k, name in enumerate(("composite", LONGEST, "cdtnet-256-ablate-separate-encoder"))]
    console = Console(width=columns, record=True, file=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    print_table(to_rich(add_statistics(quality_table(runs))), console)
    text = console.export_text()
    assert all(shows_whole(run.summary["method"], text) for run in runs)
    assert widest_line(text) <= columns and "…" not in text  # nothing cut: only wrapped at spaces
    for value in ("416.67", "418.00", "419.33", "±400.00"):  # the MSE means and a CI half-width, whole
        assert value in text


@pytest.mark.parametrize("columns", [80, 200])
def test_compare_table_fits(tmp_path, columns):
    a = write_run(tmp_path / LONGEST, LONGEST, [1.0, 4.0, 9.0, 16.0])
    b = write_run(tmp_path / "composite", "composite", [2.0, 5.0, 7.0, 20.0])
    result = invoke("compare", a, b, "--resamples", "9", columns=columns)
    assert result.exit_code == 0, result.output
    title, *table = result.output.splitlines()
    assert f"A = {a} vs B = {b}" in title  # run folders whole: a title too wide is one line, the terminal folds it
    assert widest_line("\n".join(table)) <= columns and "…" not in result.output
    assert "0.98925" in result.output and "bootstrap" in result.output  # SSIM mean of A, a header: whole


def test_profile_json_and_table_show_the_same_figures(tmp_path):
    args = ["profile", "-m", LONGEST, "--tiny", "--size", "32", "--no-measure", "--out", tmp_path]
    record = json.loads(invoke(*args, "--format", "json").stdout)
    table = invoke(*args)
    assert table.exit_code == 0, table.output
    shown, written = table.output.rsplit("written: ", 1)  # the path line is a message: one line, never wrapped
    assert shows_whole(LONGEST, shown) and widest_line(shown) <= 80 and written.strip().endswith("summary.json")
    assert f"{record['params']:,}" in table.output and f"{record['gmacs']:.2f}" in table.output
    assert f"{record['paper_gflops']:.2f}" in table.output


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("group", [[], ["data"], ["study"]])
def test_command_summaries_wrap_only_at_the_panel_edge(group, columns):
    """Each command's summary in a group's help is its help's first paragraph, broken only where the next word would
    not fit (Typer's rich mode kept the docstring's own line breaks, which cut sentences mid-line)."""
    shown = invoke(*group, "--help", columns=columns)
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "─ Commands ─" in line)
    panel = list(itertools.takewhile(lambda line: not line.startswith("╰"), lines[start + 1:]))
    text_column = panel[0].index(panel[0].split()[2])  # "│ name  summary": where the summaries start
    text_width = len(panel[0].rstrip()) - 2 - text_column  # up to the border less one space
    rows: list[list[str]] = []
    for line in panel:
        if line[2] != " ":  # a new command's first line
            rows.append([])
        rows[-1].append(line[text_column:-1].rstrip())
    assert len(rows) >= 2
    for row in rows:
        for line, following in itertools.pairwise(row):
            assert len(line) + 1 + len(following.split()[0]) > text_width, (line, following)


@pytest.mark.parametrize("columns", [80, 200])
def test_section_labels_stay_on_one_line(tmp_path, columns):
    """At 80 columns a section label too wide for the method column is a line of its own above its rows (the rows
    of every section keep the same column positions); at 200 it is a row of the table, as wide tables always had."""
    runs = [load_run(write_run(tmp_path / f"{name}{size}", name, [100.0 + k, 250.0, 900.0], size=size))
            for size in (256, 1024) for k, name in enumerate(("composite", "cdtnet-256-sim"))]
    console = Console(width=columns, record=True, file=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    print_table(to_rich(add_statistics(quality_table(runs))), console)
    lines = console.export_text().splitlines()
    for size in (256, 1024):
        label = f"{size} × {size} · synthetic test · squash · profile cdtnet v1"
        assert sum(label in line for line in lines) == 1, "\n".join(lines)
    assert widest_line("\n".join(lines)) <= columns and "…" not in "\n".join(lines)
    rows = [line for line in lines if line.lstrip("│ ").startswith(("composite", "cdtnet-256-sim"))]
    assert len(rows) == 4
    assert len({line.rindex(" 3") for line in rows}) == 1  # the N column (3 images) at one position in every section
