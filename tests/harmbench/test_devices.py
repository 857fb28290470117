"""--device values: auto picks CUDA when present; a device the machine lacks is one clear line."""

import pytest
import torch

from harmbench.devices import resolve_device


@pytest.fixture
def two_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)


def test_auto_is_cpu_without_cuda(no_gpu):
    assert resolve_device("auto") == torch.device("cpu")
    assert resolve_device("CPU") == resolve_device(torch.device("cpu")) == torch.device("cpu")


def test_auto_and_cuda_indices_with_cuda(two_gpus):
    assert resolve_device("auto") == torch.device("cuda")
    assert resolve_device("cuda") == torch.device("cuda")
    assert resolve_device("cuda:1") == torch.device("cuda", 1)


@pytest.mark.parametrize(("spec", "message"), [
    ("cuda", "--device cuda: CUDA is not available on this machine"),
    ("cuda:7", "--device cuda:7: CUDA is not available on this machine"),
    ("tpu", "--device tpu: unknown device; expected auto, cpu, cuda or cuda:N"),
    ("cuda:x", "--device cuda:x: unknown device"),
    ("", "--device : unknown device"),
])
def test_missing_or_unknown_devices_without_cuda(no_gpu, spec, message):
    with pytest.raises(ValueError, match=f"^{message}") as caught:
        resolve_device(spec)
    assert "\n" not in str(caught.value)


def test_an_index_beyond_the_visible_devices(two_gpus):
    with pytest.raises(ValueError, match=r"--device cuda:7: this machine has 2 CUDA device\(s\), cuda:0 to cuda:1"):
        resolve_device("cuda:7")


@pytest.mark.parametrize("command", [["train", "--method", "iss2am", "--size", "32"], ["profile", "-m", "reinhard"]])
def test_commands_report_a_missing_device_in_one_line(no_gpu, tmp_path, command):
    from typer.testing import CliRunner

    from harmbench.cli import app

    result = CliRunner().invoke(app, [*command, "--device", "cuda:7", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--device cuda:7: CUDA is not available" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
