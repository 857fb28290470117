"""The shared training loop: loss goes down, exact resume, GAN alternation, clear errors, the CLI, and CDTNet."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn
from typer.testing import CliRunner

from harmbench import registry
from harmbench.contract import HarmonizationMethod, TrainRecipe
from harmbench.data import DataError
from harmbench.factory import create_method
from harmbench.registry import MethodError, MethodInfo
from harmbench.train import AugmentedPairs, flag_overrides, random_resized_crop, train

HEIGHT, WIDTH = 48, 64
SIZE = 32


# ---------------------------------------------------------------------------------------------------------------
# A toy trainable method and a tiny iHarmony4-layout dataset.


@dataclass
class ToyConfig:
    hidden: int = 8
    dropout: float = 0.1


class Toy(HarmonizationMethod):
    """Predicts a foreground correction from (composite, mask); enough capacity to undo a colour shift. Dropout
    makes training draw random numbers, so exact resumption needs the saved RNG state."""

    def __init__(self, config: ToyConfig):
        super().__init__(config)
        self.net = nn.Sequential(nn.Conv2d(4, config.hidden, 3, padding=1), nn.ReLU(), nn.Dropout(config.dropout),
                                 nn.Conv2d(config.hidden, 3, 3, padding=1))

    def forward(self, composite, mask):
        return {"images": composite + mask * self.net(torch.cat([composite, mask], dim=1))}

    def training_losses(self, batch, out, discriminator=None):
        return {"mse": ((out["images"] - batch["target"]) ** 2).mean()}

    def train_recipe(self):
        return TrainRecipe(lr=1e-2, epochs=2, milestones=(1,), gamma=0.5, batch_size=2)

    def training_notes(self):
        return [f"toy note: hidden {self.config.hidden}"]


class ToyGan(Toy):
    """Toy with a discriminator; asserts the loop's promises about detaching and frozen D during the G step."""

    def make_discriminator(self):
        return nn.Sequential(nn.Conv2d(3, 4, 3, stride=2), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 3))

    def discriminator_losses(self, discriminator, batch, out):
        assert not out["images"].requires_grad, "the D step must receive detached generator output"
        real, fake = discriminator(batch["target"]), discriminator(out["images"])
        return {"hinge": torch.relu(1 - real).mean() + torch.relu(1 + fake).mean()}

    def training_losses(self, batch, out, discriminator=None):
        assert discriminator is not None
        assert not any(p.requires_grad for p in discriminator.parameters()), "D must be frozen in the G step"
        losses = super().training_losses(batch, out)
        losses["adv"] = -0.01 * discriminator(out["images"]).mean()
        return losses

    def train_recipe(self):
        return TrainRecipe(lr=1e-2, betas=(0.5, 0.999), epochs=2, batch_size=2, schedule="linear", decay_epochs=1,
                           discriminator_lr=4e-3)


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny tensors: a second intra-op thread only adds spin-waiting on a busy machine (measured 30x slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def toy_methods(monkeypatch):
    """Register 'toy' and 'toy-gan' for one test only (the registry is process-wide)."""
    registry.list_methods()  # load the built-in methods first
    for name, cls in (("toy", Toy), ("toy-gan", ToyGan)):
        info = MethodInfo(name=name, config=ToyConfig, build=cls, tiny={"hidden": 4}, family=name)
        monkeypatch.setitem(registry._REGISTRY, name, info)


def write_dataset(root: Path, n_train: int = 4, n_test: int = 2, seed: int = 0) -> Path:
    """iHarmony4 layout (PNG files): composite = real image with the foreground rectangle colour-shifted."""
    rng = np.random.default_rng(seed)
    for folder in ("composite_images", "masks", "real_images"):
        (root / folder).mkdir(parents=True)
    names = []
    for index in range(n_train + n_test):
        stem = f"a{index:04d}"
        yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
        base = rng.uniform(40, 215, size=3)
        real = np.clip(base + 30 * np.sin(xx[..., None] / 7 + yy[..., None] / 11 + rng.uniform(0, 6, 3)), 0, 255)
        mask = np.zeros((HEIGHT, WIDTH), np.uint8)
        top, left = rng.integers(4, 16), rng.integers(4, 24)
        mask[top:top + 24, left:left + 32] = 255
        composite = real.copy()
        composite[mask > 0] = np.clip(composite[mask > 0] * 0.7 + 40, 0, 255)
        Image.fromarray(real.astype(np.uint8)).save(root / "real_images" / f"{stem}.png")
        Image.fromarray(mask).save(root / "masks" / f"{stem}_1.png")
        Image.fromarray(composite.astype(np.uint8)).save(root / "composite_images" / f"{stem}_1_1.png")
        names.append(f"{stem}_1_1.jpg")  # listed as in iHarmony4; the reader accepts the PNG files
    (root / "Toy_train.txt").write_text("\n".join(names[:n_train]) + "\n")
    (root / "Toy_test.txt").write_text("\n".join(names[n_train:]) + "\n")
    return root


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "Toy")


def read_log(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]


def fit(method, data, out, **kwargs):
    kwargs = {"val_limit": 0, "progress": False, **kwargs}
    return train(method, SIZE, data=data, out=out, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Pieces.


def test_random_resized_crop_stays_inside_with_scale_and_ratio():
    rng = np.random.default_rng(0)
    for _ in range(200):
        top, left, h, w = random_resized_crop(rng, 300, 500, (0.5, 1.0), (3 / 4, 4 / 3))
        assert top >= 0 and top + h <= 300 and left >= 0 and left + w <= 500
        assert 0.5 * 150000 * 0.97 <= h * w <= 150000
        assert 3 / 4 * 0.97 <= w / h <= 4 / 3 * 1.03
    # An image too elongated for the ratio range falls back to the largest centred crop of an allowed aspect.
    top, left, h, w = random_resized_crop(np.random.default_rng(0), 10, 1000, (0.99, 1.0), (3 / 4, 4 / 3))
    assert (h, w) == (10, 13) and left == (1000 - 13) // 2


def test_augmented_pairs_joint_deterministic_and_soft_mask(toy_methods, dataset):
    from harmbench.data import open_dataset

    refs = open_dataset(dataset, split="train").refs
    crops = AugmentedPairs(refs, SIZE, TrainRecipe(), seed=3)
    first = crops[1]
    assert first["composite"].shape == first["target"].shape == (3, SIZE, SIZE)
    assert first["mask"].shape == (1, SIZE, SIZE)
    assert first["composite"].min() >= 0 and first["composite"].max() <= 1 and first["mask"].max() <= 1
    # Crop and flip are joint: outside the (soft) foreground the composite equals the target.
    background = (first["mask"] == 0).expand(3, -1, -1)
    assert background.any()
    assert torch.equal(first["composite"][background], first["target"][background])
    assert ((first["mask"] > 0) & (first["mask"] < 1)).any(), "bilinear resizing makes the mask edges soft"
    again = crops[1]
    assert all(torch.equal(first[k], again[k]) for k in first)
    crops.epoch = 1
    assert not torch.equal(first["composite"], crops[1]["composite"])


# ---------------------------------------------------------------------------------------------------------------
# The loop.


def test_loss_decreases_and_checkpoint_loads_for_evaluation(toy_methods, dataset, tmp_path):
    out = tmp_path / "run"
    checkpoint = fit("toy", dataset, out, epochs=8, val_limit=2)
    log = read_log(out)
    assert [r["epoch"] for r in log] == list(range(1, 9))
    assert log[-1]["train"]["mse"] < 0.5 * log[0]["train"]["mse"]
    assert log[-1]["val"]["fmse"] < log[0]["val"]["fmse"]
    assert set(log[0]["val"]) == {"fmse", "mse", "psnr"}
    assert checkpoint == out / "last.pt" and (out / "best.pt").exists()
    loaded = create_method("toy", weights=checkpoint)
    state = torch.load(checkpoint, weights_only=True)
    assert state["epoch"] == 8
    assert state["best_fmse"] == min(r["val"]["fmse"] for r in log)
    assert all(torch.equal(v, state["state_dict"][k]) for k, v in loaded.state_dict().items())


def test_resume_continues_exactly(toy_methods, dataset, tmp_path):
    straight = fit("toy", dataset, tmp_path / "straight", epochs=2)
    fit("toy", dataset, tmp_path / "split", epochs=1)
    resumed = fit("toy", dataset, tmp_path / "split", epochs=2, resume=True, workers=2)
    a, b = (torch.load(p, weights_only=True) for p in (straight, resumed))
    assert b["epoch"] == 2
    assert all(torch.equal(a["state_dict"][k], b["state_dict"][k]) for k in a["state_dict"])
    for key in ("exp_avg", "exp_avg_sq", "step"):
        assert all(torch.equal(a["optimizer"]["state"][i][key], b["optimizer"]["state"][i][key])
                   for i in a["optimizer"]["state"])
    assert a["scheduler"] == b["scheduler"]
    assert [r["lr"] for r in read_log(tmp_path / "split")] == pytest.approx([1e-2, 5e-3])
    assert [r["train"] for r in read_log(tmp_path / "split")] == [r["train"] for r in read_log(tmp_path / "straight")]


def test_resume_drops_log_lines_of_unsaved_epochs_and_stops_when_done(toy_methods, dataset, tmp_path):
    out = tmp_path / "run"
    fit("toy", dataset, out, epochs=1)
    with open(out / "log.jsonl", "a") as log:  # a kill after the log line of epoch 2, before its checkpoint
        log.write(json.dumps({"epoch": 2, "train": {"mse": 1.0}}) + "\n" + '{"epoch": 3, "tr')  # and a cut line
    fit("toy", dataset, out, epochs=2, resume=True)
    log = read_log(out)
    assert [r["epoch"] for r in log] == [1, 2] and log[1]["train"]["mse"] != 1.0
    before = (out / "last.pt").read_bytes()
    assert fit("toy", dataset, out, epochs=2, resume=True) == out / "last.pt"
    assert (out / "last.pt").read_bytes() == before


def test_identical_trainings_write_byte_identical_checkpoints(toy_methods, dataset, tmp_path):
    """Same data (here copied to another folder), method, config, seed and epochs: the same checkpoint bytes, so a
    result made with the first checkpoint still matches the second. Where and when stay outside (run.json, log)."""
    out = tmp_path / "run"
    fit("toy", dataset, out, epochs=2, val_limit=1)
    first = {name: (out / name).read_bytes() for name in ("last.pt", "best.pt")}
    assert json.loads((out / "run.json").read_text())["data_root"] == str(dataset.resolve())
    shutil.rmtree(out)
    moved = shutil.copytree(dataset, tmp_path / "elsewhere" / "Toy")
    random.random()  # another process would start with another Python RNG state
    fit("toy", moved, out, epochs=2, val_limit=1)
    assert {name: (out / name).read_bytes() for name in first} == first
    assert json.loads((out / "run.json").read_text())["data_root"] == str(moved.resolve())


def test_one_progress_bar_with_eta_for_the_whole_run(toy_methods, dataset, tmp_path):
    from io import StringIO

    from rich.console import Console

    console = Console(file=StringIO(), width=200, force_terminal=True)
    fit("toy", dataset, tmp_path / "run", epochs=2, progress=True, console=console)  # 4 images, batch 2
    shown = console.file.getvalue()
    assert "toy epoch 2/2" in shown and "4/4" in shown and "ETA" in shown  # steps of both epochs on one bar


def test_amp_bf16_on_cpu(toy_methods, dataset, tmp_path):
    checkpoint = fit("toy", dataset, tmp_path / "amp", epochs=1, amp=True, val_limit=1)
    log = read_log(tmp_path / "amp")
    assert np.isfinite(log[0]["train"]["mse"]) and np.isfinite(log[0]["val"]["fmse"])
    assert torch.load(checkpoint, weights_only=True)["state_dict"]["net.0.weight"].dtype == torch.float32


@pytest.mark.parametrize("workers", [0, 2])
def test_corrupt_training_image_is_one_line_naming_the_file(toy_methods, dataset, tmp_path, workers):
    broken = dataset / "composite_images" / "a0002_1_1.png"
    broken.write_bytes(b"not a png")
    with pytest.raises(DataError) as caught:
        fit("toy", dataset, tmp_path / "run", epochs=1, workers=workers)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(broken)) and "corrupt" in message


def test_gan_alternates_discriminator_and_generator_steps(toy_methods, dataset, tmp_path):
    torch.manual_seed(0)
    checkpoint = fit("toy-gan", dataset, tmp_path / "gan", epochs=2)
    state = torch.load(checkpoint, weights_only=True)
    # 4 images, batch 2, 2 epochs: both optimisers stepped 4 times, D with its own learning rate.
    assert all(s["step"].item() == 4 for s in state["optimizer"]["state"].values())
    assert all(s["step"].item() == 4 for s in state["d_optimizer"]["state"].values())
    # linear schedule, 1 decay epoch of 2: epoch 2 at 1 - 1/2 of the base rate.
    assert state["optimizer"]["param_groups"][0]["initial_lr"] == 1e-2
    assert state["d_optimizer"]["param_groups"][0]["initial_lr"] == 4e-3
    assert state["d_optimizer"]["param_groups"][0]["betas"] == (0.5, 0.999)
    log = read_log(tmp_path / "gan")
    assert set(log[0]["train"]) == {"D.hinge", "mse", "adv"}
    assert [r["lr"] for r in log] == pytest.approx([1e-2, 5e-3])
    fresh = ToyGan(ToyConfig()).make_discriminator()
    assert any(not torch.equal(fresh.state_dict()[k], v) for k, v in state["discriminator"].items())


# ---------------------------------------------------------------------------------------------------------------
# Errors.


def test_existing_checkpoint_needs_resume_and_same_settings(toy_methods, dataset, tmp_path):
    out = tmp_path / "run"
    with pytest.raises(ValueError, match="nothing to resume"):
        fit("toy", dataset, out, epochs=1, resume=True)
    fit("toy", dataset, out, epochs=1)
    with pytest.raises(ValueError, match="exists; pass --resume"):
        fit("toy", dataset, out, epochs=1)
    with pytest.raises(ValueError, match=r"same settings \(batch_size: 2 there, 4 now"):
        fit("toy", dataset, out, epochs=2, batch_size=4, resume=True)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"batch_size": 5}, DataError, "4 training images, fewer than one batch of 5"),
    ({"overrides": {"hiden": 3}}, MethodError, "did you mean 'hidden'"),
    ({"device": "cuda"} if not torch.cuda.is_available() else {"lr": -1}, ValueError, "CUDA is not available|--lr"),
])
def test_wrong_flags_give_clear_errors(toy_methods, dataset, tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        fit("toy", dataset, tmp_path / "run", epochs=1, **kwargs)
    assert not (tmp_path / "run").exists()


@dataclass
class FlaggedConfig(ToyConfig):
    base_weights: str | None = None
    finetune_base: bool = False
    loss: str = "mse"


def test_method_flags_are_config_fields_of_the_same_name(toy_methods, monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "flagged", MethodInfo(name="flagged", config=FlaggedConfig, build=Toy))
    given = flag_overrides("flagged", {"hidden": 3}, base_weights="issam256.pth", finetune_base=True, loss=None)
    assert given == {"hidden": 3, "base_weights": "issam256.pth", "finetune_base": True}
    assert flag_overrides("toy", {"hidden": 3}, base_weights=None, finetune_base=None, loss=None) == {"hidden": 3}
    for flag, field_name, value in (("--base-weights", "base_weights", "issam256.pth"),
                                    ("--finetune-base", "finetune_base", True), ("--loss", "loss", "l1")):
        with pytest.raises(MethodError, match=f"^{flag}: method 'toy' has no config field '{field_name}'$"):
            flag_overrides("toy", {}, **{field_name: value})
    with pytest.raises(ValueError, match="--loss l1 contradicts --config loss=mse"):
        flag_overrides("flagged", {"loss": "mse"}, loss="l1")


def test_training_notes_are_printed_and_kept_with_the_settings(toy_methods, dataset, tmp_path):
    from io import StringIO

    from rich.console import Console

    console = Console(file=StringIO(), width=200)
    checkpoint = fit("toy", dataset, tmp_path / "run", epochs=1, console=console)
    assert "toy note: hidden 8" in console.file.getvalue()
    assert torch.load(checkpoint, weights_only=True)["settings"]["notes"] == ["toy note: hidden 8"]


def test_real_composites_without_ground_truth_cannot_train(toy_methods, dataset, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    for name in ("a0000_1_1", "a0001_1_1"):
        (real / f"{name}.png").write_bytes((dataset / "composite_images" / f"{name}.png").read_bytes())
        (real / f"{name}_mask.png").write_bytes((dataset / "masks" / f"{name[:-2]}.png").read_bytes())
    with pytest.raises(DataError, match="without real .ground-truth. images"):
        fit("toy", real, tmp_path / "run")


def test_untrainable_and_unknown_methods(toy_methods, dataset, tmp_path):
    with pytest.raises(MethodError, match="training-free"):
        fit("composite", dataset, tmp_path / "run")
    with pytest.raises(MethodError, match="unknown method 'toyy'.*Did you mean 'toy'"):
        fit("toyy", dataset, tmp_path / "run")


# ---------------------------------------------------------------------------------------------------------------
# CLI and CDTNet.


def test_cli_trains_then_refuses_to_overwrite(toy_methods, dataset, tmp_path):
    from harmbench.cli import app

    def args(epochs=1, *more):
        return ["train", "--method", "toy", "--size", str(SIZE), "--data", str(dataset), "--epochs", str(epochs),
                "--val-limit", "1", "--workers", "0", "--tiny", "--out", str(tmp_path / "cli"), *more]

    result = CliRunner().invoke(app, args())
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli" / "last.pt").exists() and "checkpoint:" in result.output
    assert torch.load(tmp_path / "cli" / "last.pt", weights_only=True)["config"] == {"hidden": 4, "dropout": 0.1}
    again = CliRunner().invoke(app, args())
    assert again.exit_code == 2 and "pass --resume" in again.output and "Traceback" not in again.output
    resumed = CliRunner().invoke(app, args(2, "--resume"))
    assert resumed.exit_code == 0, resumed.output
    assert [r["epoch"] for r in read_log(tmp_path / "cli")] == [1, 2]
    bad = CliRunner().invoke(app, args(1, "--loss", "l1"))
    assert bad.exit_code == 2 and "--loss: method 'toy' has no config field 'loss'" in bad.output


def test_cdtnet_tiny_loss_decreases(dataset, tmp_path):
    out = tmp_path / "cdtnet"
    fit("cdtnet-256", dataset, out, tiny=True, epochs=6, lr=1e-2, batch_size=2)
    log = read_log(out)
    # The frozen base's loss gets no gradient, so it is not logged as a loss; the two trained outputs improve.
    assert set(log[0]["train"]) == {"pixel_loss", "lut_loss"}
    first, last = ({k: r["train"][k] for k in ("pixel_loss", "lut_loss")} for r in (log[0], log[-1]))
    assert last["pixel_loss"] < 0.7 * first["pixel_loss"] and last["lut_loss"] < 0.7 * first["lut_loss"]
    state = torch.load(out / "last.pt", weights_only=True)
    torch.manual_seed(0)  # train() seeds the initial weights with its seed (0)
    fresh = create_method("cdtnet-256", tiny=True).state_dict()
    # The frozen low-resolution generator is unchanged (BatchNorm statistics included); the rest trained.
    assert all(torch.equal(fresh[k], v) for k, v in state["state_dict"].items() if k.startswith(("encoder.",
                                                                                                  "decoder.")))
    assert any(not torch.equal(fresh[k], v) for k, v in state["state_dict"].items() if k.startswith("refine."))
