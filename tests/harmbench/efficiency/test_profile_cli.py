"""``harmbench profile`` end to end on tiny configs: JSON on stdout, summary.json on disk, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.efficiency.measure import Variant
from harmbench.efficiency.record import default_out

runner = CliRunner()

SCHEMA = {"kind", "method", "size", "device", "device_name", "variant", "params", "gmacs", "paper_gflops",
          "paper_memory_mb", "time_ms", "peak_memory_mb", "threads", "env", "date"}


def test_no_measure_json_prints_and_writes_the_same_record(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["profile", "--method", "cdtnet-256-sim", "--tiny", "--size", "32", "--no-measure",
                                 "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) >= SCHEMA
    assert record["kind"] == "profile" and record["method"] == "cdtnet-256-sim" and record["size"] == 32
    assert record["device"] == "cpu" and record["tiny"] is True
    assert record["variant"] == {"amp": False, "channels_last": False, "compile": False}
    assert record["time_ms"] is None and record["peak_memory_mb"] is None
    assert record["gmacs"] > 0 and record["paper_gflops"] > 0 and record["params"] > 0
    assert set(record["env"]) >= {"harmbench", "torch", "cuda", "git"}
    assert json.loads((out / "summary.json").read_text()) == record


def test_measured_run_with_a_config_override(tmp_path):
    result = runner.invoke(app, ["profile", "-m", "iss2am", "--tiny", "-s", "64", "--repeats", "2", "--threads",
                                 "1", "--config", "ch=4", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["overrides"] == {"ch": 4} and record["threads"] == 1
    assert record["time_ms"]["median"] > 0 and record["peak_memory_mb"] >= 0


@pytest.mark.parametrize(("args", "message"), [
    (["--method", "no-such-method"], "unknown method 'no-such-method'"),
    (["--method", "iss2am", "--tiny", "--config", "chh=3"], "unknown config field 'chh'"),
    (["--method", "iss2am", "--size", "0"], "size must be a positive"),
])
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, args, message):
    result = runner.invoke(app, ["profile", *args, "--no-measure", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_default_folder_names_the_variant():
    assert str(default_out("cdtnet-256", 2048, "cuda:0", Variant(amp=True, compile=True))) == \
        "results/profile/cdtnet-256-2048-cuda-amp-compile"
    assert str(default_out("iss2am", 1024, "cpu", Variant())) == "results/profile/iss2am-1024-cpu"
