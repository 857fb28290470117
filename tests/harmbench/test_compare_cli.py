"""``harmbench compare`` and ``harmbench table --ci`` on result folders written in tmp_path."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.results import ROWS_FILE, SUMMARY_FILE, RowWriter, write_json_atomic

runner = CliRunner()


def write_run(folder, method, mse, size=256, fingerprint="abc", subsets=("HCOCO", "HAdobe5k")):
    """A quality result folder: one row per value of ``mse`` (alternating subsets, fg ratios 0.01 … 0.5)."""
    write_json_atomic(folder / SUMMARY_FILE, {
        "kind": "quality", "method": method, "size": size, "resize": "squash",
        "data": {"name": "synthetic", "split": "test", "subset": None, "fingerprint": fingerprint},
        "profile": {"name": "cdtnet", "version": "1"}})
    with RowWriter(folder / ROWS_FILE) as writer:
        for k, value in enumerate(mse):
            writer.append({"name": f"img{k}", "subset": subsets[k % len(subsets)],
                           "fg_ratio": 0.01 + 0.49 * k / len(mse), "mse": float(value),
                           "psnr": float(40 - value / 10), "fmse": float(4 * value), "ssim": float(0.99 - value / 1e4)})
    return folder


@pytest.fixture
def two_runs(tmp_path):
    base = np.random.default_rng(0).lognormal(4, 1, 40)
    return (write_run(tmp_path / "results" / "better", "better", base),
            write_run(tmp_path / "results" / "worse", "worse", base + 20))


def test_compare_reports_paired_differences(two_runs):
    better, worse = two_runs
    result = runner.invoke(app, ["compare", str(better), str(worse), "--format", "json", "--seed", "3"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["statistics"]["seed"] == 3 and report["statistics"]["n_resamples"] == 999
    records = {(r["scope"], r["metric"]): r for r in report["comparisons"]}
    overall = records[("all", "mse")]
    assert overall["n"] == 40 and overall["difference"] == pytest.approx(-20) and overall["share_a_better"] == 1
    assert overall["high"] < 0 and overall["p_bootstrap"] < 0.01
    assert records[("all", "psnr")]["difference"] == pytest.approx(2)  # higher is better: A better as well
    assert records[("all", "psnr")]["share_a_better"] == 1
    assert {"fg 0–5%", "fg 5–15%", "fg 15–100%", "subset HCOCO", "subset HAdobe5k"} <= {s for s, _ in records}
    assert records[("subset HCOCO", "mse")]["n"] == 20


def test_compare_resolves_method_names(two_runs, tmp_path):
    result = runner.invoke(app, ["compare", "better", "worse", "--results", str(tmp_path / "results"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "A − B" in result.output.splitlines()[0]
    missing = runner.invoke(app, ["compare", "better", "nosuch", "--results", str(tmp_path / "results")])
    assert missing.exit_code == 2 and "nosuch: neither a result folder nor a method" in missing.output


def test_compare_refuses_ambiguous_names(two_runs, tmp_path):
    write_run(tmp_path / "results" / "better-512", "better", [1.0, 2.0], size=512)
    result = runner.invoke(app, ["compare", "better", "worse", "--results", str(tmp_path / "results")])
    assert result.exit_code == 2 and "better: 2 runs under" in result.output


@pytest.mark.parametrize(("change", "field"), [({"size": 512}, "size"), ({"fingerprint": "other"}, "data fingerprint")])
def test_compare_refuses_incomparable_runs(two_runs, tmp_path, change, field):
    other = write_run(tmp_path / "other", "other", [1.0, 2.0, 3.0], **change)
    result = runner.invoke(app, ["compare", str(two_runs[0]), str(other)])
    assert result.exit_code == 2
    assert f"not comparable: different {field}" in result.output


def test_table_shows_intervals_by_default(two_runs, tmp_path):
    shown = runner.invoke(app, ["table", str(tmp_path / "results"), "-f", "md"])
    assert shown.exit_code == 0, shown.output
    assert "±" in shown.output and "Holm" in shown.output
    plain = runner.invoke(app, ["table", str(tmp_path / "results"), "-f", "md", "--ci", "none"])
    assert "±" not in plain.output and "**" in plain.output
    csv_text = runner.invoke(app, ["table", str(tmp_path / "results"), "-f", "csv", "--seed", "7"]).output
    assert "MSE↓ 95% CI low" in csv_text.splitlines()[0] and "seed 7" in csv_text
