"""Output for scripts and logs: one problem = one line in a file or pipe, colours only on a terminal (and never with
NO_COLOR), ``--quiet`` without progress bars, exit codes 0 / 2 / 1 as ``harmbench --help`` documents them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from harmbench.cli import app, list_cmd
from harmbench.data import make_synthetic
from tests.harmbench.test_runner import make_layout

RED = "\x1b[1;31m"
REPOSITORY = Path(__file__).resolve().parents[3]  # this checkout, imported by the subprocess


def test_a_skip_message_longer_than_the_width_is_one_line_in_a_log_file(tmp_path):
    data = tmp_path / "a-folder-name-long-enough-that-every-message-about-it-passes-80-columns" / "toy"
    make_layout(data)
    (data / "composite_images" / "t0000_1_1.png").write_bytes(b"not an image")
    out = data.parent / "results-of-the-run"
    log = tmp_path / "run.log"
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(REPOSITORY), "OMP_NUM_THREADS": "1"}
    with open(log, "w") as stderr:
        done = subprocess.run([sys.executable, "-m", "harmbench", "run", "--method", "composite", "--size", "32",
                               "--data", str(data), "--out", str(out), "--workers", "0"],
                              stdout=subprocess.DEVNULL, stderr=stderr, env=env, timeout=120)
    text = log.read_text()
    assert done.returncode == 0, text
    [line] = [line for line in text.splitlines() if line.startswith("skipped ")]
    assert len(line) > 80 and "t0000_1_1.png: corrupt" in line and line.endswith("(cannot identify image file)")
    assert f"1 skipped (listed in {out}/summary.json)" in text.splitlines()  # the summary's lines too
    assert f"results: {out}" in text.splitlines()
    assert "\x1b[" not in text  # no colour codes in a file


def test_colours_only_on_a_terminal_and_never_with_no_color():
    terminal = CliRunner().invoke(app, ["info", "no-such-method"], env={"TTY_COMPATIBLE": "1"})
    assert terminal.exit_code == 2 and RED in terminal.output  # rich takes TTY_COMPATIBLE=1 for a terminal
    plain = CliRunner().invoke(app, ["info", "no-such-method"], env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert plain.exit_code == 2 and "unknown method 'no-such-method'" in plain.output
    assert RED not in plain.output and "31m" not in plain.output  # bold stays: NO_COLOR is about colour
    piped = CliRunner().invoke(app, ["info", "no-such-method"])
    assert "\x1b[" not in piped.output and len(piped.output.strip().splitlines()) == 1


def test_quiet_run_has_no_progress_bar(tmp_path):
    data = tmp_path / "toy"
    make_layout(data)
    args = ["run", "--method", "composite", "--size", "32", "--data", str(data), "--workers", "0"]
    loud = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "loud")], env={"COLUMNS": "120"})
    quiet = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "quiet"), "--quiet"], env={"COLUMNS": "120"})
    assert loud.exit_code == 0 and quiet.exit_code == 0, loud.output + quiet.output
    assert "img/s" in loud.output and "img/s" not in quiet.output
    assert "Table 1" in quiet.output and f"results: {tmp_path / 'quiet'}" in quiet.output  # the final summary


def test_quiet_train_has_no_progress_bar(tmp_path):
    data = make_synthetic(tmp_path / "synthetic", size=48, n_train=4, n_test=2)
    args = ["train", "--method", "iss2am", "--tiny", "--size", "32", "--data", str(data), "--epochs", "1",
            "--batch-size", "2", "--val-limit", "0", "--workers", "0"]
    loud = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "loud")])
    quiet = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "quiet"), "-q"])
    assert loud.exit_code == 0 and quiet.exit_code == 0, loud.output + quiet.output
    assert "epoch 1/1" in loud.output and "epoch 1/1" not in quiet.output  # the progress bar's description
    assert f"checkpoint: {tmp_path / 'quiet' / 'last.pt'}" in quiet.output


def test_exit_codes_are_documented_and_kept(monkeypatch):
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "Exit codes: 0 ok; 2 user error" in " ".join(shown.output.split())
    assert CliRunner().invoke(app, ["list", "--format", "yaml"]).exit_code == 2  # a bad option
    assert CliRunner().invoke(app, ["info", "no-such-method"]).exit_code == 2  # a bad name: one line

    def broken(pattern):
        raise RuntimeError("a bug")

    monkeypatch.setattr(list_cmd, "list_methods", broken)
    crashed = CliRunner().invoke(app, ["list"])
    assert crashed.exit_code == 1 and isinstance(crashed.exception, RuntimeError)
