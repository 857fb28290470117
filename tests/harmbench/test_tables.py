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


# ----------------------------------------------------------------------------- intervals and significance marks

def shifted_runs():
    """best: lowest MSE; close: best + noise that averages out (a tie); far: best + 50 on every image."""
    import numpy as np

    rng = np.random.default_rng(0)
    base = rng.lognormal(4, 1, 60)
    noise = rng.normal(0, 5, 60)
    return [make_run("far", rows(base + 50)), make_run("close", rows(base + noise - noise.mean() + 0.01)),
            make_run("best", rows(base))]


def test_statistics_leave_the_means_alone(runs):
    plain = tables.quality_table(runs)
    with_ci = tables.add_statistics(tables.quality_table(runs))
    keys = [c.key for c in plain.columns]
    assert [[r[k] for k in keys] for r in plain.rows] == [[r[k] for k in keys] for r in with_ci.rows]


def test_each_mean_gets_its_interval():
    table = tables.add_statistics(tables.quality_table(shifted_runs()))
    for i, row in enumerate(table.rows):
        for key in tables.TABLE1_METRICS:
            interval = table.statistics.intervals[(i, key)]
            assert interval.low < row[key] < interval.high and interval.n == 60
    assert (0, "n") not in table.statistics.intervals  # undirected columns have none


def test_ties_with_the_best_are_marked_and_real_differences_are_not():
    table = tables.add_statistics(tables.quality_table(shifted_runs()))
    index = {r["method"]: i for i, r in enumerate(table.rows)}
    marks = table.statistics.marks
    assert marks((index["close"], "mse")).startswith("≈")
    assert "≈" not in marks((index["far"], "mse"))
    assert (index["best"], "mse") not in table.statistics.versus_best  # the best is the reference
    versus = table.statistics.versus_best[(index["far"], "mse")]
    assert versus.best_row == index["best"] and versus.comparison.difference == pytest.approx(50)
    assert versus.p_bootstrap_holm >= versus.comparison.p_bootstrap  # Holm only raises p-values


def test_paper_rows_get_no_statistics(runs):
    table = tables.add_statistics(tables.quality_table(runs, paper_rows=True))
    paper_rows = {i for i, r in enumerate(table.rows) if r.get("_source") == "paper"}
    assert paper_rows and not {i for i, _ in table.statistics.intervals} & paper_rows


@pytest.mark.parametrize("build", [tables.subset_table, tables.fg_ratio_table, tables.ablation_table])
def test_every_quality_table_takes_statistics(build):
    runs = shifted_runs()
    runs[0].summary["method"], runs[2].summary["method"] = "cdtnet-256-ablate-pixel-only", "cdtnet-256"  # Table 4
    table = tables.add_statistics(build(runs))
    assert table.statistics.intervals and table.statistics.versus_best


def test_rendered_intervals_and_marks():
    table = tables.add_statistics(tables.quality_table(shifted_runs()))
    interval = table.statistics.intervals[(1, "mse")]
    md = tables.render(table, "md")
    assert f"{table.rows[1]['mse']:.2f} ±{interval.half_width:.2f} ≈" in md
    assert "Holm" in md and "999 resamples, seed 0" in md
    latex = tables.render(table, "latex")
    assert f"[{interval.low:.2f}, {interval.high:.2f}]" in latex and r"$\approx$" in latex and "95\\% CI" in latex
    parsed = list(csv.DictReader(io.StringIO(tables.render(table, "csv"))))
    assert float(parsed[1]["MSE↓ 95% CI low"]) == interval.low and float(parsed[1]["MSE↓ 95% CI high"]) == interval.high
    assert parsed[2]["MSE↓ p bootstrap vs best (Holm)"] == ""  # the best row
    assert "seed 0" in parsed[0]["statistics"]
    assert "±" in tables.render(table, "rich")
    assert "±" not in tables.render(tables.quality_table(shifted_runs()), "md")  # --ci none


def test_comparison_table_renders_records():
    from harmbench.stats import Bootstrap, compare_rows

    a, b = shifted_runs()[2], shifted_runs()[0]
    records = compare_rows(a.rows, b.rows, {"mse": False}, {"all": lambda r: True})
    table = tables.comparison_table(records, "best", "far", Bootstrap())
    parsed = list(csv.DictReader(io.StringIO(tables.render(table, "csv"))))
    assert parsed[0]["Metric"] == "MSE↓" and float(parsed[0]["A − B"]) == pytest.approx(-50)
    assert float(parsed[0]["A better"]) == 1
