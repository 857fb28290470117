"""Tables are rendered from result rows only: means, best-value marking, paper rows, every output format."""

import csv
import io
from pathlib import Path

import pytest

from harmbench import tables
from harmbench.results import Run


def make_run(method, rows, size=1024, subset_rows=None):
    summary = {"method": method, "size": size, "resize": "squash",
               "data": {"name": "synthetic", "split": "test", "subset": None},
               "profile": {"name": "cdtnet", "version": "1"}}
    return Run(Path(method), summary, rows)


def rows(mse_values, subset="synthetic", fg=0.1):
    return [{"name": f"i{i}", "subset": subset, "fg_ratio": fg, "mse": m, "psnr": 40 - m / 10, "fmse": 4 * m,
             "ssim": 0.99 - m / 1000} for i, m in enumerate(mse_values)]


@pytest.fixture
def runs():
    return [make_run("composite", rows([300.0, 500.0])), make_run("cdtnet-256", rows([10.0, 30.0]))]


def test_quality_table_means_and_best(runs):
    table = tables.quality_table(runs)
    by_method = {r["method"]: r for r in table.rows}
    assert by_method["composite"]["mse"] == pytest.approx(400.0)
    assert by_method["cdtnet-256"]["psnr"] == pytest.approx(38.0)
    best = tables._best(table)
    assert (1, "mse") in best and (1, "psnr") in best and (0, "mse") not in best


def test_paper_rows_are_added_and_never_ranked(runs):
    table = tables.quality_table(runs, paper_rows=True)
    paper = [r for r in table.rows if r.get("_source") == "paper"]
    assert {"composite", "cdtnet-256", "iss2am"} <= {r["method"] for r in paper}
    assert next(r for r in paper if r["method"] == "cdtnet-256")["fmse"] == 152.13
    assert all(table.rows[i].get("_source", "ours") == "ours" for i, _ in tables._best(table))


@pytest.mark.parametrize("fmt", ["md", "latex", "csv", "rich"])
def test_every_format_renders(runs, fmt):
    text = tables.render(tables.quality_table(runs, paper_rows=True), fmt)
    assert "cdtnet-256" in text
    if fmt == "md":
        assert "**20.00**" in text  # best MSE in bold
    if fmt == "latex":
        assert r"\textbf{20.00}" in text and r"\toprule" in text
    if fmt == "csv":
        parsed = list(csv.reader(io.StringIO(text)))
        assert parsed[0][:3] == ["group", "source", "Method"]
        assert any(row[1] == "paper" for row in parsed[1:])


def test_subset_table_all_is_image_weighted():
    run = make_run("m", rows([10.0, 10.0, 10.0], subset="HCOCO") + rows([100.0], subset="HAdobe5k"), size=256)
    row = tables.subset_table([run]).rows[0]
    assert row["HCOCO/mse"] == 10.0 and row["HAdobe5k/mse"] == 100.0
    assert row["All/mse"] == pytest.approx(32.5)  # (3*10 + 100) / 4, not (10 + 100) / 2


def test_fg_ratio_buckets():
    run = make_run("m", rows([1.0], fg=0.01) + rows([2.0], fg=0.10) + rows([3.0, 5.0], fg=0.5))
    row = tables.fg_ratio_table([run]).rows[0]
    assert (row["0–5%/n"], row["5–15%/n"], row["15–100%/n"]) == (1, 1, 2)
    assert row["15–100%/mse"] == 4.0


def test_unknown_format():
    with pytest.raises(ValueError, match="valid: rich, md, latex, csv"):
        tables.render(tables.TableData("t", [tables.Column("a", "A")]), "html")
