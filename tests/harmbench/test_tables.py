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
    best = tables.best_cells(table)
    assert (1, "mse") in best and (1, "psnr") in best and (0, "mse") not in best


def test_paper_rows_are_added_and_never_ranked(runs):
    table = tables.quality_table(runs, paper_rows=True)
    paper = [r for r in table.rows if r.get("_source") == "paper"]
    assert {"composite", "cdtnet-256", "iss2am"} <= {r["method"] for r in paper}
    assert next(r for r in paper if r["method"] == "cdtnet-256")["fmse"] == 152.13
    assert all(table.rows[i].get("_source", "ours") == "ours" for i, _ in tables.best_cells(table))


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


# ----------------------------------------------------------------------------- rows grouped by their full context

def context_run(method, mse_values, path=None, weights=None, config=None, **summary):
    """A run whose summary carries the full context; ``summary`` overrides (e.g. limit, complete, size, data)."""
    run = make_run(method, rows(mse_values), size=summary.pop("size", 1024))
    data = {**run.summary["data"], "fingerprint": "f" * 64, **summary.pop("data", {})}
    run.summary.update({"weights": weights, "config": config or {}, "complete": True, "n_listed": len(mse_values),
                        "limit": None, "shard": None, "data": data, **summary})
    run.path = Path(path or method)
    return run


def labels(table):
    return [r["method"] for r in table.rows if r.get("_source", "ours") == "ours"]


def test_runs_of_one_method_are_told_apart_by_what_differs():
    runs = [context_run("cdtnet-256", [10.0, 20.0], "a", weights={"sha256": "3fa2" + "0" * 60}),
            context_run("cdtnet-256", [30.0, 40.0], "b", weights={"sha256": "77b1" + "0" * 60}),
            context_run("reinhard", [50.0, 60.0], "c", config={"strength": 1.0}),
            context_run("reinhard", [50.0, 61.0], "d", config={"strength": 0.5}),
            context_run("composite", [300.0, 500.0], "e"), context_run("composite", [300.0, 500.0], "f")]
    assert labels(tables.quality_table(runs)) == [
        "cdtnet-256 [weights 3fa20000…]", "cdtnet-256 [weights 77b10000…]", "reinhard [strength=1.0]",
        "reinhard [strength=0.5]", "composite [run e]", "composite [run f]"]
    assert len({r["_group"] for r in tables.quality_table(runs).rows}) == 1  # comparable: one section, ranked


def test_a_limited_run_is_never_ranked_beside_a_full_run():
    table = tables.add_statistics(tables.quality_table([context_run("composite", [300.0, 500.0, 100.0]),
                                                        context_run("reinhard", [10.0, 20.0], limit=2)]))
    groups = [r["_group"] for r in table.rows]
    assert groups[0] != groups[1] and groups[1].endswith("· limit 2")
    assert tables.best_cells(table) == set() and not table.statistics.versus_best
    assert "**" not in tables.render(table, "md").split("\n", 1)[1]  # nothing bold below the title


def test_incomplete_runs_are_marked_and_not_ranked():
    table = tables.add_statistics(tables.quality_table(
        [context_run("composite", [300.0, 500.0]), context_run("iss2am", [40.0, 50.0]),
         context_run("cdtnet-256", [10.0], complete=False, n_listed=2)]))
    assert labels(table)[2] == "cdtnet-256 (incomplete 1/2)"
    best = tables.best_cells(table)
    assert {(1, "mse"), (1, "psnr")} <= best and not any(i == 2 for i, _ in best)
    assert (2, "mse") in table.statistics.intervals and (2, "mse") not in table.statistics.versus_best
    assert all(v.best_row == 1 for v in table.statistics.versus_best.values())
    assert any("(incomplete n/N)" in note for note in table.notes)
    partial_merge = context_run("reinhard", [20.0], complete=False, missing_shards=["1/2"])
    assert labels(tables.quality_table([partial_merge])) == ["reinhard (incomplete: shards 1/2 missing)"]


def test_shards_of_a_merge_are_not_extra_rows(tmp_path):
    out = tmp_path / "results" / "composite__toy"
    shards = [context_run("composite", [300.0], out.with_name(f"{out.name}__shard{i}of2"), shard=f"{i}/2")
              for i in range(2)]
    merged = context_run("composite", [300.0, 500.0], out, merged_from=[str(s.path) for s in shards])
    assert labels(tables.quality_table([merged, *shards])) == ["composite"]
    lone = tables.quality_table([shards[0]])  # without its merge, a shard is a run of its own, labelled so
    assert lone.rows[0]["_group"].endswith("· shard 0/2")


def test_same_named_data_with_other_files_is_another_section():
    table = tables.quality_table([context_run("composite", [300.0]),
                                  context_run("reinhard", [30.0], data={"fingerprint": "0123abcd" + "0" * 56})])
    groups = [r["_group"] for r in table.rows]
    assert groups[0] != groups[1] and {g.rsplit("· ", 1)[1] for g in groups} == {"data ffffffff…", "data 0123abcd…"}
    assert tables.best_cells(table) == set()


def test_subset_table_paper_rows_once_in_their_own_section_after_ours_in_order():
    small = {"size": 256}
    runs = [context_run("iss2am", [10.0, 20.0], "a", **small), context_run("composite", [300.0, 500.0], "b"),
            context_run("cdtnet-256", [15.0, 25.0], "c", **small)]
    table = tables.subset_table(runs, paper_rows=True)
    sections = [r["_group"] for r in table.rows]
    assert sections == sorted(sections, key=sections.index)  # each section in one block: never repeated
    paper = [r for r in table.rows if r.get("_source") == "paper"]
    assert [r["method"] for r in paper] == ["iss2am", "cdtnet-256"]
    assert {r["_group"] for r in paper} == {"256 × 256 · CDTNet paper, iHarmony4 test (Table 2)"}
    assert not {r["_group"] for r in paper} & {r["_group"] for r in table.rows if r.get("_source") != "paper"}
    assert table.rows[-1]["_source"] == "paper"
    assert tables.best_cells(table) == {(0, "synthetic/mse"), (0, "synthetic/psnr"), (0, "All/mse"), (0, "All/psnr")}
    assert sum(line.startswith("| *") for line in tables.render(table, "md").splitlines()) == 3


def test_table4_paper_rows_only_at_the_papers_size_and_data():
    hadobe = {"data": {"name": "HAdobe5k"}}
    runs = [context_run("cdtnet-256-ablate-rgb-only", [30.0], "a", size=256),
            context_run("cdtnet-256", [10.0], "b", **hadobe), context_run("cdtnet-256", [12.0], "c", **hadobe),
            context_run("cdtnet-256-ablate-rgb-only", [20.0], "d", **hadobe)]
    table = tables.ablation_table(runs, paper_rows=True)
    paper = [(r["_group"], r["method"]) for r in table.rows if r.get("_source") == "paper"]
    section = next(r["_group"] for r in table.rows if r["method"].startswith("cdtnet-256 ["))
    assert paper == [(section, "cdtnet-256-ablate-rgb-only"), (section, "cdtnet-256")] and "HAdobe5k" in section
    assert any("1024 × 1024, HAdobe5k test" in note and "256 × 256 · synthetic" in note for note in table.notes)
    assert [r["method"] for r in table.rows[:2]] == ["cdtnet-256-ablate-rgb-only"] * 2  # the 256 section first


def test_json_output_carries_the_numbers_of_the_csv():
    import json

    table = tables.add_statistics(tables.quality_table(shifted_runs()[:2] + [
        context_run("partial", [5.0], complete=False, n_listed=60)]))
    data = json.loads(tables.render(table, "json"))
    parsed = list(csv.DictReader(io.StringIO(tables.render(table, "csv"))))
    assert len(data["rows"]) == len(parsed) == 3
    for row, line in zip(data["rows"], parsed, strict=True):
        assert row["group"] == line["group"] and row["values"]["method"] == line["Method"]
        for key in tables.TABLE1_METRICS:
            label = next(c["label"] for c in data["columns"] if c["key"] == key)
            assert row["values"][key] == float(line[label])
            assert row["intervals"][key]["low"] == float(line[f"{label} 95% CI low"])
        assert row["n_images"]["mse"] == row["values"]["n"] == int(line["N"])
    assert data["rows"][2]["values"]["method"] == "partial (incomplete 1/60)" and not data["rows"][2]["ranked"]
    assert data["rows"][2]["context"]["complete"] is False and data["rows"][2]["context"]["n_listed"] == 60
    assert data["rows"][0]["best"] or data["rows"][1]["best"]
    assert data["statistics"] == table.statistics.settings.describe()
