"""Training under torchrun (CPU, gloo, 2 processes): the ranks end identical, match one process on the same global
batch, resume exactly, and a frozen-base CDTNet and a GAN (DoveNet, with its gradient penalty) train too.

This file is also the torchrun worker: ``torchrun --nproc-per-node 2 test_train_ddp.py WORK`` trains the cases in
``CASES`` with the rank's share of each batch and saves the parameters each rank ended with as
``WORK/<case>-rank<r>.pt``. (BatchNorm running statistics stay per rank without --sync-bn; checkpoints hold rank 0's.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
from test_train import SIZE, Toy, ToyConfig, read_log, write_dataset

import harmbench.train
from harmbench import registry
from harmbench.distributed import Ranks
from harmbench.registry import MethodInfo
from harmbench.train import rank_order, train

WORLD = 2
# case -> (method, crop size, train() keyword arguments); "toy-resumed" continues "toy-half" under torchrun.
CASES = {
    "toy": ("toy-exact", SIZE, dict(epochs=2, batch_size=4)),
    "toy-half": ("toy-exact", SIZE, dict(epochs=1, batch_size=4)),
    "toy-resumed": ("toy-exact", SIZE, dict(epochs=2, batch_size=4, resume=True)),
    "cdtnet": ("cdtnet-256", SIZE, dict(epochs=1, batch_size=4, tiny=True)),
    "dovenet": ("dovenet", 256, dict(epochs=1, batch_size=2, limit=2, tiny=True)),
    "pix2pixhd": ("pix2pixhd", 64, dict(epochs=1, batch_size=2, tiny=True)),  # resumed by the CLI test
}
OUT_OF = {"toy-resumed": "toy-half"}  # cases that continue another case's folder


def register_exact_toy() -> None:
    """'toy-exact': the toy method without dropout, so one process and the ranks draw no random numbers."""
    registry.list_methods()
    registry._REGISTRY["toy-exact"] = MethodInfo(name="toy-exact", config=ToyConfig, build=Toy,
                                                 defaults={"dropout": 0.0}, family="toy")


def run_cases(work: Path) -> None:
    """The torchrun worker: one process group for all cases; each rank saves its generator's and discriminator's
    parameters."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    register_exact_toy()
    runs = []

    class Recorded(harmbench.train.Optimisation):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            runs.append(self)

    harmbench.train.Optimisation = Recorded
    for case, (method, size, kwargs) in CASES.items():
        train(method, size, data=work / "data", out=work / OUT_OF.get(case, case), device="cpu", val_limit=0,
              progress=False, **kwargs)
        parts = {"model": runs[-1].model}
        if runs[-1].discriminator is not None:
            parts["discriminator"] = runs[-1].discriminator
        torch.save({name: {key: value.detach() for key, value in part.named_parameters()}
                    for name, part in parts.items()}, work / f"{case}-rank{rank}.pt")
    dist.destroy_process_group()


def torchrun(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(WORLD),
               "--standalone", *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return done


@pytest.fixture(scope="module")
def ranked(tmp_path_factory) -> Path:
    """The worker's results for every case (one torchrun launch for all, to keep the test fast)."""
    work = tmp_path_factory.mktemp("ddp")
    write_dataset(work / "data", n_train=8, n_test=1)
    torchrun(__file__, str(work), cwd=work)
    return work


def rank_states(work: Path, case: str) -> list[dict]:
    return [torch.load(work / f"{case}-rank{rank}.pt", weights_only=True) for rank in range(WORLD)]


def assert_ranks_identical(work: Path, case: str) -> None:
    first, *others = rank_states(work, case)
    for other in others:
        for part, state in first.items():
            assert all(torch.equal(value, other[part][key]) for key, value in state.items()), f"{case}: {part}"


def test_rank_order_splits_each_global_batch():
    order = [7, 3, 5, 0, 1, 6, 2, 4, 8]  # 9 items, batch 4: two global batches, the 9th dropped
    shares = [rank_order(order, 4, Ranks(rank, 2, rank)) for rank in range(2)]
    assert shares == [[7, 3, 1, 6], [5, 0, 2, 4]]
    assert rank_order(order, 4, Ranks()) == order[:8]


def test_ranks_identical_and_equal_to_one_process_on_the_global_batch(ranked, tmp_path):
    assert_ranks_identical(ranked, "toy")
    register_exact_toy()
    try:
        single = train("toy-exact", SIZE, data=ranked / "data", out=tmp_path / "single", device="cpu", epochs=2,
                       batch_size=4, val_limit=0, progress=False)
    finally:
        del registry._REGISTRY["toy-exact"]
    expected = torch.load(single, weights_only=True)
    distributed = torch.load(ranked / "toy" / "last.pt", weights_only=True)
    for key, value in expected["state_dict"].items():
        assert torch.allclose(distributed["state_dict"][key], value, rtol=0, atol=1e-5), key
        assert torch.equal(distributed["state_dict"][key], rank_states(ranked, "toy")[0]["model"][key])
    assert distributed["state_dict"]["net.0.weight"].ne(Toy(ToyConfig()).net[0].weight).any()
    # The logged training loss is the mean over the global batch, as in one process.
    for ddp_line, one_line in zip(read_log(ranked / "toy"), read_log(tmp_path / "single"), strict=True):
        assert ddp_line["train"]["mse"] == pytest.approx(one_line["train"]["mse"], rel=1e-5)
    assert distributed["settings"]["world_size"] == WORLD and distributed["settings"]["batch_size"] == 4


def test_resume_under_torchrun_continues_exactly(ranked):
    straight, resumed = (torch.load(ranked / case / "last.pt", weights_only=True) for case in ("toy", "toy-half"))
    assert resumed["epoch"] == 2
    assert all(torch.equal(value, resumed["state_dict"][key]) for key, value in straight["state_dict"].items())
    assert_ranks_identical(ranked, "toy-resumed")
    assert [line["epoch"] for line in read_log(ranked / "toy-half")] == [1, 2]


def test_frozen_base_cdtnet_trains_under_ddp(ranked):
    assert_ranks_identical(ranked, "cdtnet")
    torch.manual_seed(0)  # the worker's seed: the initial weights
    fresh = harmbench.create_method("cdtnet-256", tiny=True).state_dict()
    trained = torch.load(ranked / "cdtnet" / "last.pt", weights_only=True)["state_dict"]
    # The frozen low-resolution generator is unchanged (BatchNorm statistics included); the LUT branch trained.
    assert all(torch.equal(fresh[k], v) for k, v in trained.items() if k.startswith(("encoder.", "decoder.")))
    assert any(not torch.equal(fresh[k], v) for k, v in trained.items() if k.startswith("lut."))


def test_gan_takes_discriminator_and_generator_steps_under_ddp(ranked):
    assert_ranks_identical(ranked, "dovenet")
    checkpoint = torch.load(ranked / "dovenet" / "last.pt", weights_only=True)
    assert all(s["step"].item() == 1 for s in checkpoint["optimizer"]["state"].values())
    assert all(s["step"].item() == 1 for s in checkpoint["d_optimizer"]["state"].values())
    assert {"D.d_global", "D.d_gradient_penalty"} <= set(read_log(ranked / "dovenet")[0]["train"])


def test_cli_under_torchrun_resumes_a_gan(ranked):
    """``torchrun -m harmbench train --resume`` continues the worker's first pix2pixHD epoch (same settings)."""
    assert_ranks_identical(ranked, "pix2pixhd")
    done = torchrun("-m", "harmbench", "train", "--method", "pix2pixhd", "--tiny", "--size", "64", "--data",
                    str(ranked / "data"), "--batch-size", "2", "--epochs", "2", "--resume", "--val-limit", "1",
                    "--workers", "0", "--device", "auto", "--out", str(ranked / "pix2pixhd"), cwd=ranked)
    assert done.stderr.count("checkpoint:") == 1 and done.stderr.count("resuming") == 1  # rank 0 alone reports
    log = read_log(ranked / "pix2pixhd")
    assert [line["epoch"] for line in log] == [1, 2] and "val" in log[1]
    checkpoint = torch.load(ranked / "pix2pixhd" / "last.pt", weights_only=True)
    # 8 images, global batch 2: 4 steps an epoch for the generator and the discriminator.
    assert all(s["step"].item() == 8 for s in checkpoint["optimizer"]["state"].values())
    assert all(s["step"].item() == 8 for s in checkpoint["d_optimizer"]["state"].values())


def test_global_batch_must_split_evenly_over_the_ranks(monkeypatch, tmp_path):
    monkeypatch.setattr(harmbench.train, "torchrun_ranks", lambda: Ranks(0, 3, 0))
    monkeypatch.setattr(dist, "is_initialized", lambda: True)  # no process group is needed to fail early
    data = write_dataset(tmp_path / "data", n_train=4, n_test=1)
    with pytest.raises(ValueError, match="--batch-size 4 is the global batch; it must be a multiple of the 3 "):
        train("iss2am", SIZE, data=data, out=tmp_path / "run", tiny=True, batch_size=4, device="cpu", val_limit=0)


def test_sync_bn_needs_torchrun_on_cuda(tmp_path):
    with pytest.raises(ValueError, match="--sync-bn synchronises BatchNorm over torchrun processes on CUDA"):
        train("iss2am", SIZE, out=tmp_path / "run", tiny=True, device="cpu", sync_bn=True)



def test_torchrun_on_cuda_trains_on_the_local_rank_device_with_nccl(monkeypatch):
    """The CUDA wiring, with fakes for the GPU calls: device cuda:LOCAL_RANK, an nccl group made and destroyed."""
    calls = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    monkeypatch.setattr(torch.cuda, "set_device", lambda device: calls.append(("set_device", device)))
    monkeypatch.setattr(harmbench.train, "torchrun_ranks", lambda: Ranks(3, 4, 1))
    monkeypatch.setattr(dist, "is_initialized", lambda: False)
    monkeypatch.setattr(dist, "init_process_group", lambda backend, **kw: calls.append(("init", backend)))
    monkeypatch.setattr(dist, "destroy_process_group", lambda: calls.append(("destroy",)))

    def fake_train(*args, dev, distribution, **kwargs):
        calls.append(("train", dev, distribution.ranks, distribution.sync_bn))
        return Path("last.pt")

    monkeypatch.setattr(harmbench.train, "_train", fake_train)
    assert train("toy", SIZE, device="auto", sync_bn=True) == Path("last.pt")
    cuda1 = torch.device("cuda", 1)
    assert calls == [("set_device", cuda1), ("init", "nccl"), ("train", cuda1, Ranks(3, 4, 1), True), ("destroy",)]


def test_cuda_rng_state_is_the_training_device_s(monkeypatch):
    """Only the training GPU's generator is saved and restored (old checkpoints kept one state per GPU)."""
    states = {0: torch.tensor([0], dtype=torch.uint8), 1: torch.tensor([1], dtype=torch.uint8)}
    monkeypatch.setattr(torch.cuda, "get_rng_state", lambda device: states[device.index])
    monkeypatch.setattr(torch.cuda, "set_rng_state", lambda state, device: states.__setitem__(device.index, state))
    cuda1 = torch.device("cuda", 1)
    saved = harmbench.train._rng_state(cuda1)
    assert torch.equal(saved["cuda"], states[1])
    states[1] = torch.tensor([9], dtype=torch.uint8)
    harmbench.train._set_rng_state(saved, cuda1)
    assert states[1].item() == 1 and states[0].item() == 0
    harmbench.train._set_rng_state({**saved, "cuda": [torch.tensor([5]), torch.tensor([7])]}, cuda1)
    assert states[1].item() == 7 and states[0].item() == 0


if __name__ == "__main__":
    run_cases(Path(sys.argv[1]))
