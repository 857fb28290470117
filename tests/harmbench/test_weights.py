"""Weights of learned methods: found (``--weights``, weights folder, ``harmbench train``'s folder), or the run refuses;
``--random-init`` runs and is labelled untrained; ``harmbench list`` / ``harmbench weights`` show what is on disk."""

import re
import shutil
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from harmbench.cli import app
from harmbench.data import make_synthetic
from harmbench.factory import create_method
from harmbench.figures import RunImages
from harmbench.registry import file_sha256, get_method
from harmbench.results import load_run
from harmbench.tables import quality_table, render
from harmbench.weights import (
    FROM_FLAG,
    FROM_TRAIN_FOLDER,
    FROM_WEIGHTS_DIR,
    UNTRAINED,
    WEIGHTS_DIR_ENV,
    WeightsNotFoundError,
    official_files,
    resolve_weights,
)

OFFICIAL_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cdtnet_official_format_seed1.pt"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty current folder (no ./weights, no ./checkpoints) and no $HARMBENCH_WEIGHTS."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(WEIGHTS_DIR_ENV, raising=False)
    return tmp_path


@pytest.fixture
def data(tmp_path):
    return make_synthetic(tmp_path / "synthetic", size=48, n_train=4, n_test=2)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})  # wide: table cells unwrapped


def one_line(text: str) -> str:
    """The terminal wraps long lines: join them back for matching."""
    return re.sub(r"\s*\n\s*", " ", text)


def test_official_file_names_come_from_the_registry_metadata():
    assert official_files(get_method("cdtnet-512")) == ["HAdobe5k_2048.pth"]
    assert official_files(get_method("s2am")) == ["model_best.pth.tar"]  # free text after the name is not a file
    assert official_files(get_method("dovenet")) == ["latest_net_G.pth"]
    assert official_files(get_method("pix2pixhd")) == []


def test_learned_method_without_weights_refuses_with_one_message(workdir, data):
    result = invoke("run", "--method", "cdtnet-512", "--size", "2048", "--data", data)
    assert result.exit_code == 2
    message = one_line(result.output)
    info = get_method("cdtnet-512")
    for expected in ("weights/HAdobe5k_2048.pth", "checkpoints/cdtnet-512-2048/best.pt",
                     "checkpoints/cdtnet-512-2048/last.pt", info.release,
                     "harmbench train --method cdtnet-512 --size 2048", "--random-init"):
        assert expected in message
    assert "Traceback" not in result.output
    assert not (workdir / "results").exists()  # refused before any work


def test_method_without_a_release_says_so(workdir):
    with pytest.raises(WeightsNotFoundError, match="no public release"):
        resolve_weights("pix2pixhd", 512)


def test_training_free_method_needs_no_weights(workdir):
    assert resolve_weights("reinhard", 1024) is None


def test_random_init_runs_and_is_labelled_untrained(workdir, data):
    out = workdir / "untrained"
    result = invoke("run", "--method", "iss2am", "--size", 32, "--data", data, "--config", "depth=3",
                    "--config", "ch=8", "--config", "attend_from=1", "--random-init", "--workers", 0, "--out", out,
                    "--save-images")
    assert result.exit_code == 0, result.output
    run = load_run(out)
    assert run.summary["weights"] == UNTRAINED
    assert "iss2am (untrained)" in render(quality_table([run]))
    assert RunImages.open(out).label == "iss2am (untrained)"  # figure columns and study contestants
    # Beside the paper's figures an untrained run is left out.
    assert "iss2am" not in render(quality_table([run], paper_rows=True))


def test_checkpoint_of_harmbench_train_is_found_by_the_same_run_command(workdir, data):
    trained = invoke("train", "--method", "iss2am", "--size", 32, "--data", data, "--tiny", "--epochs", 1,
                     "--batch-size", 2, "--val-limit", 1, "--workers", 0, "--device", "cpu")
    assert trained.exit_code == 0, trained.output
    best = Path("checkpoints") / "iss2am-32" / "best.pt"
    assert best.is_file()

    result = invoke("run", "--method", "iss2am", "--size", 32, "--data", data, "--workers", 0, "--out", "r")
    assert result.exit_code == 0, result.output
    assert f"weights: {best} (sha256 {file_sha256(best)[:12]}" in one_line(result.output)
    weights = load_run(workdir / "r").summary["weights"]
    assert weights == {"path": str(best), "sha256": file_sha256(best), "origin": FROM_TRAIN_FOLDER,
                       "kind": "checkpoint"}
    assert "(untrained)" not in render(quality_table([load_run(workdir / "r")]))
    quiet = invoke("run", "--method", "iss2am", "--size", 32, "--data", data, "--workers", 0, "--out", "q", "-q")
    assert quiet.exit_code == 0 and "weights:" not in quiet.output  # --quiet: problems and the summary only


def test_official_file_in_the_weights_folder_is_found_under_its_release_name(workdir, data, monkeypatch):
    folder = workdir / "release"
    folder.mkdir()
    shutil.copy(OFFICIAL_FIXTURE, folder / "iHarmony4_256.pth")
    monkeypatch.setenv(WEIGHTS_DIR_ENV, str(folder))
    result = invoke("run", "--method", "cdtnet-256", "--size", 64, "--data", data, "--config", "lr_size=64",
                    "--workers", 0, "--out", "r")
    assert result.exit_code == 0, result.output
    assert "official release file" in result.output
    weights = load_run(workdir / "r").summary["weights"]
    assert weights["sha256"] == file_sha256(OFFICIAL_FIXTURE)
    assert (weights["origin"], weights["kind"]) == (FROM_WEIGHTS_DIR, "official release")


def test_search_order_flag_then_folder_then_train_folder_best_before_last(workdir):
    def save(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"x": torch.zeros(1)}, path)
        return path

    last = save(Path("checkpoints/iss2am-256/last.pt"))
    assert resolve_weights("iss2am", 256).path == last
    best = save(Path("checkpoints/iss2am-256/best.pt"))
    assert resolve_weights("iss2am", 256).path == best
    assert resolve_weights("iss2am", 512, random_init=True) is None  # another size: its own train folder
    named = save(Path("weights/iss2am-256.pt"))
    assert resolve_weights("iss2am", 256).path == named
    official = save(Path("weights/issam256.pth"))
    found = resolve_weights("iss2am", 256)
    assert (found.path, found.origin, found.official) == (official, FROM_WEIGHTS_DIR, True)
    explicit = resolve_weights("iss2am", 256, weights=last, weights_dir="elsewhere")
    assert (explicit.path, explicit.origin, explicit.sha256) == (last, FROM_FLAG, file_sha256(last))
    with pytest.raises(WeightsNotFoundError, match="elsewhere/issam256.pth"):
        resolve_weights("iss2am", 128, weights_dir="elsewhere")


def test_list_and_weights_commands_show_what_is_on_disk(workdir):
    folder = workdir / "weights"
    folder.mkdir()
    shutil.copy(OFFICIAL_FIXTURE, folder / "iHarmony4_256.pth")
    listed = invoke("list", "cdtnet-256")
    assert listed.exit_code == 0, listed.output
    assert "iHarmony4_256.pth" in listed.output and "weights" in listed.output
    assert "none found" not in listed.output
    assert "none found" in invoke("list", "cdtnet-512").output
    assert "not needed" in invoke("list", "reinhard").output

    shown = invoke("weights", "cdtnet-25*")
    assert shown.exit_code == 0, shown.output
    assert file_sha256(folder / "iHarmony4_256.pth") in shown.output.replace("\n", "")
    assert "CDTNet_sim_base256.pth" in shown.output and "none published" in one_line(shown.output)


def test_study_finds_weights_like_run_or_refuses(workdir, data):
    from harmbench.study.create import create_study

    with pytest.raises(WeightsNotFoundError, match="iss2am"):
        create_study(workdir / "a.sqlite", data, ["iss2am", "reinhard"], size=32, device="cpu")
    study = create_study(workdir / "b.sqlite", data, ["iss2am", "reinhard"], size=32, device="cpu", random_init=True)
    assert study.meta["methods"]["iss2am"] == {"source": "method", "weights": None, "untrained": True}
    assert study.meta["methods"]["reinhard"] == {"source": "method", "weights": None}
    checkpoint = Path("checkpoints/iss2am-32/last.pt")
    checkpoint.parent.mkdir(parents=True)
    torch.save(create_method("iss2am").state_dict(), checkpoint)  # an official-format (raw) state_dict
    found = create_study(workdir / "c.sqlite", data, ["iss2am", "reinhard"], size=32, device="cpu")
    assert found.meta["methods"]["iss2am"] == {"source": "method", "weights": str(checkpoint)}
