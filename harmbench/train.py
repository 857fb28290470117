"""One training loop for every learned method.

Contract for a trainable method's ``nn.Module`` (duck-typed; see ``harmbench train --help``):

- ``training_losses(batch, out, discriminator=None) -> dict[str, Tensor]``: named, already weighted scalar
  generator losses; the loop minimises their sum. ``batch`` holds ``composite`` (B,3,H,W) and ``target``
  (B,3,H,W) in [0,1] and ``mask`` (B,1,H,W) in [0,1]; ``out`` is ``model(composite, mask)``.
- optional ``train_recipe() -> TrainRecipe``: the official optimiser/schedule defaults (else ``TrainRecipe()``).
- optional ``trainable_parameters() -> Iterable[Parameter]`` (e.g. CDTNet freezes its base generator).
- GANs: optional ``make_discriminator() -> nn.Module`` and ``discriminator_losses(discriminator, batch, out)
  -> dict[str, Tensor]``; the loop then alternates a discriminator step with the generator step.
  ``discriminator_losses`` receives ``out`` detached (so the discriminator step never reaches the generator);
  during the generator step the discriminator's parameters do not collect gradients.

Each epoch (see :func:`train`): augmented crops of the training split (RandomResizedCrop + horizontal flip on the
original images, as in the CDTNet code), a validation pass on the test split with the cdtnet metric profile,
``last.pt`` (+ ``best.pt`` by validation fMSE) written atomically, and one line appended to ``log.jsonl``.
Randomness is derived from (seed, epoch, image index), so a run is deterministic for any number of loader
workers and ``resume=True`` continues exactly where ``last.pt`` stopped.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import math
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from torch import nn
from torch.utils.data import DataLoader

from harmbench import metrics
from harmbench.checkpoints import read_checkpoint, save_checkpoint
from harmbench.contract import TrainRecipe
from harmbench.data import DataError, SampleLoader, SampleRef, open_dataset, prepare, to_tensors
from harmbench.registry import MethodError, create_method, get_method

SCHEDULES = ("multistep", "linear")
CHECKPOINT, BEST, LOG = "last.pt", "best.pt", "log.jsonl"
VAL_METRICS = ("fmse", "mse", "psnr")  # keys as in harmbench.metrics
# Settings that must match for ``resume`` to continue the same run (epochs, device, workers, validation may change).
RESUME_KEYS = ("method", "size", "config", "data", "batch_size", "lr", "seed", "limit", "amp", "tiny")


def lr_factor(recipe: TrainRecipe, epochs: int) -> Callable[[int], float]:
    """The learning-rate multiplier for each (0-based) epoch of an ``epochs``-long run."""
    if recipe.schedule == "multistep":
        milestones = sorted(recipe.milestones)
        return lambda epoch: recipe.gamma ** bisect.bisect_right(milestones, epoch)
    decay = min(recipe.decay_epochs, epochs)
    # pix2pix's "linear" policy: 1 - max(0, epoch + 1 - n_constant) / (n_decay + 1)
    return lambda epoch: 1.0 - max(0, epoch + 1 - (epochs - decay)) / (decay + 1)


def random_resized_crop(rng: np.random.Generator, height: int, width: int, scale: tuple[float, float],
                        ratio: tuple[float, float]) -> tuple[int, int, int, int]:
    """(top, left, h, w) of a crop covering ``scale`` of the area with aspect in ``ratio`` (torchvision's rule)."""
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target_area = area * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(*log_ratio))
        w = round(math.sqrt(target_area * aspect))
        h = round(math.sqrt(target_area / aspect))
        if 0 < w <= width and 0 < h <= height:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    # Fallback: the largest centred crop whose aspect lies in ``ratio``.
    aspect = width / height
    if aspect < ratio[0]:
        w, h = width, round(width / ratio[0])
    elif aspect > ratio[1]:
        h, w = height, round(height * ratio[1])
    else:
        h, w = height, width
    return (height - h) // 2, (width - w) // 2, h, w


class AugmentedPairs(torch.utils.data.Dataset):
    """Training crops: each item decodes one composite/target/mask at original resolution, then applies one
    RandomResizedCrop to ``size`` x ``size`` and a horizontal flip jointly to all three (images bilinear in uint8
    as cv2 does, the mask bilinear in float, so soft). Set ``epoch`` before each pass; an item depends only on
    (seed, epoch, index)."""

    def __init__(self, refs: list[SampleRef], size: int, recipe: TrainRecipe, seed: int):
        self.refs, self.size, self.recipe, self.seed = refs, size, recipe, seed
        self.loader = SampleLoader()
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.refs)

    def _crop(self, sample, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        height, width = sample.original_size
        top, left, h, w = random_resized_crop(rng, height, width, self.recipe.crop_scale, self.recipe.crop_ratio)
        flip = self.recipe.flip and rng.random() < 0.5
        window = (slice(top, top + h), slice(left, left + w))
        images = torch.from_numpy(np.stack([sample.composite[window], sample.target[window]])).permute(0, 3, 1, 2)
        images = F.interpolate(images.contiguous(), size=(self.size, self.size), mode="bilinear", align_corners=False)
        mask = torch.from_numpy(np.array(sample.mask[window]))[None, None]
        mask = F.interpolate(mask, size=(self.size, self.size), mode="bilinear", align_corners=False)[0]
        images = images.float() / 255
        if flip:
            images, mask = images.flip(-1), mask.flip(-1)
        return {"composite": images[0], "target": images[1], "mask": mask.clamp(0, 1)}

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        sample = self.loader.load(self.refs[index])
        rng = np.random.default_rng((self.seed, self.epoch, index))
        # As in the iHarmony code: re-draw a crop that lost the foreground (mask sum <= 1), except with
        # probability keep_background_prob; capped so an empty mask cannot loop forever.
        for _ in range(10):
            crop = self._crop(sample, rng)
            if crop["mask"].sum() > 1 or rng.random() < self.recipe.keep_background_prob:
                break
        return crop


def _single_thread_worker(_worker_id: int) -> None:
    torch.set_num_threads(1)  # each loader worker decodes one image; threads would oversubscribe the CPUs


def _loader_error(exc: Exception) -> DataError:
    """A DataError raised inside a loader worker comes back wrapped in a traceback text; keep its one line."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    last = lines[-1] if lines else str(exc)
    return DataError(last.split("DataError: ", 1)[-1])


def _autocast(device: torch.device, amp: bool):
    dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
    return torch.autocast(device_type=device.type, dtype=dtype, enabled=amp)


def _rng_state(device: torch.device) -> dict:
    state = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict, device: torch.device) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if device.type == "cuda" and "cuda" in state:
        torch.cuda.set_rng_state_all(state["cuda"])


def _sum_losses(losses: dict[str, torch.Tensor], who: str, epoch: int, step: int, amp: bool) -> torch.Tensor:
    if not losses:
        raise MethodError(f"{who} returned no losses")
    total = sum(losses.values())
    if not torch.isfinite(total):
        values = ", ".join(f"{k}={v.item():.4g}" for k, v in losses.items())
        hint = " (try without --amp)" if amp else " (try a lower --lr)"
        raise ValueError(f"{who}: non-finite loss at epoch {epoch + 1}, step {step + 1}: {values}{hint}")
    return total


def validate(model: nn.Module, refs: list[SampleRef], size: int, device: torch.device, amp: bool) -> dict:
    """Mean fMSE, MSE and PSNR (cdtnet profile, 0-255 scale) over ``refs`` squashed to ``size`` x ``size``."""
    loader = SampleLoader()
    profile = metrics.get_profile("cdtnet")
    totals = dict.fromkeys(VAL_METRICS, 0.0)
    model.eval()
    try:
        with torch.inference_mode(), _autocast(device, amp):
            for ref in refs:
                prepared = prepare(loader.load(ref), size, "squash")
                composite, mask = (t.to(device) for t in to_tensors(prepared))
                images = model(composite, mask)["images"]
                pred = (images[0].float().clamp(0, 1) * 255).permute(1, 2, 0).cpu().numpy()
                # metrics.compute without SSIM, the slow one at 1024 px and not needed to pick the best epoch
                squared_err = metrics.squared_error(pred, prepared.target)
                mse = profile.mse(squared_err, prepared.mask)
                totals["mse"] += mse
                totals["psnr"] += profile.psnr(mse, prepared.target)
                totals["fmse"] += profile.fmse(squared_err, prepared.mask)
    finally:
        model.train()
    return {key: value / len(refs) for key, value in totals.items()}


def _logged_epoch(line: str) -> float:
    try:
        return json.loads(line)["epoch"]
    except (ValueError, KeyError, TypeError):
        return math.inf  # a line cut short by a kill


def _trim_log(path: Path, epoch: int) -> None:
    """Drop log lines of epochs after ``epoch`` (written just before a kill that beat the checkpoint)."""
    if not path.exists():
        return
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    kept = [line for line in lines if _logged_epoch(line) <= epoch]
    if len(kept) != len(lines):
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(line + "\n" for line in kept))
        tmp.replace(path)


def _resolve_overrides(fields: list[str], method: str, overrides: dict, flags: dict) -> dict:
    """Merge flag-given config fields (e.g. --loss) into ``overrides``; a flag for a missing field is an error."""
    merged = dict(overrides)
    for field_name, (flag, value) in flags.items():
        if value is None:
            continue
        if field_name not in fields:
            raise MethodError(f"{flag} needs a '{field_name}' config field, which method '{method}' does not have "
                              f"(it applies to CDTNet methods)")
        if field_name in merged and merged[field_name] != value:
            raise ValueError(f"{flag} {value} contradicts --config {field_name}={merged[field_name]}")
        merged[field_name] = value
    return merged


class Optimisation:
    """Everything a training step changes besides the model: optimisers, schedules, AMP scaler, discriminator."""

    def __init__(self, model: nn.Module, recipe: TrainRecipe, dev: torch.device, amp: bool):
        params = list(model.trainable_parameters()) if hasattr(model, "trainable_parameters") else [
            p for p in model.parameters() if p.requires_grad]
        if not params:
            raise MethodError(f"method '{model.method_name}' has no trainable parameters with this config")
        factor = lr_factor(recipe, recipe.epochs)
        self.dev, self.amp = dev, amp
        self.optimizer = torch.optim.Adam(params, lr=recipe.lr, betas=recipe.betas, eps=recipe.eps,
                                          weight_decay=recipe.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, factor)
        self.discriminator = self.d_optimizer = self.d_scheduler = None
        discriminator = model.make_discriminator() if hasattr(model, "make_discriminator") else None
        if discriminator is not None:  # harmbench.contract.HarmonizationMethod's default is None
            self.discriminator = discriminator.to(dev).train()
            self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(),
                                                lr=recipe.discriminator_lr or recipe.lr, betas=recipe.betas,
                                                eps=recipe.eps, weight_decay=recipe.weight_decay)
            self.d_scheduler = torch.optim.lr_scheduler.LambdaLR(self.d_optimizer, factor)
        self.scaler = torch.amp.GradScaler("cuda", enabled=amp and dev.type == "cuda")  # fp16 only

    def _parts(self) -> dict:
        parts = {"optimizer": self.optimizer, "scheduler": self.scheduler, "scaler": self.scaler}
        if self.discriminator is not None:
            parts.update(discriminator=self.discriminator, d_optimizer=self.d_optimizer, d_scheduler=self.d_scheduler)
        return parts

    def state_dict(self) -> dict:
        return {name: part.state_dict() for name, part in self._parts().items()} | {"rng": _rng_state(self.dev)}

    def load_state_dict(self, state: dict) -> None:
        for name, part in self._parts().items():
            part.load_state_dict(state[name])
        _set_rng_state(state["rng"], self.dev)

    def end_epoch(self) -> None:
        self.scheduler.step()
        if self.d_scheduler is not None:
            self.d_scheduler.step()

    def step(self, model: nn.Module, batch: dict, epoch: int, step: int) -> dict[str, float]:
        """One batch: (GANs) a discriminator step on the detached output, then the generator step. Returns the
        losses as floats, discriminator ones prefixed "D."."""
        logged = {}
        with _autocast(self.dev, self.amp):
            out = model(batch["composite"], batch["mask"])
        discriminator = self.discriminator
        if discriminator is not None:
            detached = {k: v.detach() if isinstance(v, torch.Tensor) else v for k, v in out.items()}
            with _autocast(self.dev, self.amp):
                d_losses = model.discriminator_losses(discriminator, batch, detached)
            d_total = _sum_losses(d_losses, "discriminator_losses", epoch, step, self.amp)
            self.d_optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(d_total).backward()
            self.scaler.step(self.d_optimizer)
            logged.update({f"D.{k}": v.item() for k, v in d_losses.items()})
            discriminator.requires_grad_(False)  # the generator step must not accumulate gradients in D
        try:
            with _autocast(self.dev, self.amp):
                losses = model.training_losses(batch, out, discriminator=discriminator)
            total = _sum_losses(losses, "training_losses", epoch, step, self.amp)
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(total).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        finally:
            if discriminator is not None:
                discriminator.requires_grad_(True)
        logged.update({k: v.item() for k, v in losses.items()})
        return logged


def _build_model(method: str, info, device: str, tiny: bool, overrides: dict, base_weights, seed: int) -> nn.Module:
    torch.manual_seed(seed)  # initial weights depend on the seed only
    model = create_method(method, device=device, tiny=tiny, **overrides)
    if not hasattr(model, "training_losses"):
        raise MethodError(f"method '{method}' has no training_losses(); it cannot be trained by harmbench")
    if base_weights is not None:
        if info.family != "cdtnet":
            raise MethodError(f"--base-weights loads a low-resolution generator into a CDTNet method; "
                              f"'{method}' is family '{info.family}'")
        from cdtnet.model import load_base_weights

        load_base_weights(model, base_weights)
    return model


def _resume(out: Path, method: str, settings: dict, model: nn.Module, optimisation: Optimisation) -> tuple[int, float]:
    """Restore ``out``/last.pt into ``model`` and ``optimisation``; returns (epochs done, best validation fMSE)."""
    path = out / CHECKPOINT
    if not path.exists():
        raise ValueError(f"{path}: nothing to resume (no checkpoint there); drop --resume")
    state = read_checkpoint(path)
    if state.get("method") != method or "settings" not in state:
        raise MethodError(f"{path}: not a `harmbench train` checkpoint of method '{method}'")
    differing = [k for k in RESUME_KEYS if state["settings"].get(k) != settings[k]]
    if differing:
        said = "; ".join(f"{k}: {state['settings'].get(k)} there, {settings[k]} now" for k in differing)
        raise ValueError(f"{path}: --resume needs the same settings ({said}); use the original flags or another --out")
    model.load_state_dict(state["state_dict"])
    optimisation.load_state_dict(state)
    _trim_log(out / LOG, state["epoch"])
    return state["epoch"], state["best_fmse"]


def train(method: str, size: int, data: str | Path | None = None, *, subset: str | None = None,
          epochs: int | None = None, batch_size: int | None = None, lr: float | None = None, resume: bool = False,
          out: str | Path | None = None, device: str = "cpu", amp: bool = False, seed: int = 0,
          limit: int | None = None, val_limit: int = 100, base_weights: str | Path | None = None,
          finetune_base: bool | None = None, loss: str | None = None, tiny: bool = False, workers: int = 0,
          overrides: dict | None = None, progress: bool = True, console: Console | None = None) -> Path:
    """Train ``method`` on ``size`` x ``size`` crops of ``data`` (default: the built-in synthetic set).

    Unset optimiser settings come from the method's ``train_recipe()``. ``limit`` keeps the first N training
    images, ``val_limit`` the first N test images for per-epoch validation (0: no validation, no best.pt).
    ``base_weights`` loads a pretrained low-resolution generator (iSSAM ``issam256.pth``) into a CDTNet method;
    ``finetune_base`` and ``loss`` set those config fields. Writes ``last.pt``, ``best.pt`` and ``log.jsonl``
    under ``out`` (default ``checkpoints/<method>-<size>``) and returns the path of ``last.pt``. Seeds torch's
    global RNG with ``seed``.
    """
    console = console or Console(stderr=True)
    info = get_method(method)
    if not info.trainable:
        raise MethodError(f"method '{method}' is training-free; nothing to train")
    if size < 1 or val_limit < 0 or (limit is not None and limit < 1):
        raise ValueError("--size and --limit must be >= 1 and --val-limit >= 0")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"--device {device}: CUDA is not available on this machine")
    fields = [f.name for f in dataclasses.fields(info.config)]
    overrides = _resolve_overrides(fields, method, overrides or {},
                                   {"finetune_base": ("--finetune-base", finetune_base), "loss": ("--loss", loss)})
    model = _build_model(method, info, device, tiny, overrides, base_weights, seed)
    recipe = model.train_recipe() if hasattr(model, "train_recipe") else TrainRecipe()
    recipe = dataclasses.replace(recipe, **{k: v for k, v in {"lr": lr, "batch_size": batch_size,
                                                               "epochs": epochs}.items() if v is not None})
    if recipe.schedule not in SCHEDULES:
        raise MethodError(f"{method}: train_recipe() schedule '{recipe.schedule}' is not one of {SCHEDULES}")
    if recipe.epochs < 1 or recipe.batch_size < 1 or recipe.lr <= 0:
        raise ValueError("--epochs and --batch-size must be >= 1 and --lr > 0")

    dataset = open_dataset(data, split="train", subset=subset)
    refs = dataset.refs[:limit] if limit else dataset.refs
    if any(ref.target_path is None for ref in refs):
        raise DataError(f"{dataset.root}: composites without real (ground-truth) images; training needs the "
                        "iHarmony4 layout with real_images/")
    if len(refs) < recipe.batch_size:
        raise DataError(f"{dataset.root}: {len(refs)} training images, fewer than one batch of {recipe.batch_size};"
                        " lower --batch-size")
    val_refs: list[SampleRef] = []
    if val_limit:
        val_refs = [r for r in open_dataset(data, split="test", subset=subset).refs if r.target_path][:val_limit]
        if not val_refs:
            raise DataError(f"{dataset.root}: no test images with ground truth for validation; pass --val-limit 0")

    model.train()
    optimisation = Optimisation(model, recipe, dev, amp)
    settings = {"method": method, "size": size, "config": dataclasses.asdict(model.config),
                "data": {"name": dataset.name, "root": str(dataset.root), "subset": subset,
                         "fingerprint": dataset.fingerprint},
                "batch_size": recipe.batch_size, "lr": recipe.lr, "seed": seed, "limit": limit, "amp": amp,
                "tiny": tiny, "epochs": recipe.epochs, "base_weights": str(base_weights) if base_weights else None,
                "recipe": dataclasses.asdict(recipe)}
    out = Path(out) if out else Path("checkpoints") / f"{method}-{size}"
    start_epoch, best_fmse = 0, math.inf
    if resume:
        start_epoch, best_fmse = _resume(out, method, settings, model, optimisation)
        if start_epoch >= recipe.epochs:
            console.print(f"[yellow]{out / CHECKPOINT} already has {start_epoch} epochs; pass --epochs N > "
                          f"{start_epoch} to train further[/]")
            return out / CHECKPOINT
        console.print(f"[cyan]resuming {out}: epoch {start_epoch + 1} of {recipe.epochs}[/]")
    elif (out / CHECKPOINT).exists():
        raise ValueError(f"{out / CHECKPOINT} exists; pass --resume to continue it or another --out")
    out.mkdir(parents=True, exist_ok=True)

    crops = AugmentedPairs(refs, size, recipe, seed)
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[losses]}"), TimeElapsedColumn(), TimeRemainingColumn()]
    for epoch in range(start_epoch, recipe.epochs):
        crops.epoch = epoch
        order = torch.randperm(len(refs), generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch))
        batches = DataLoader(crops, batch_size=recipe.batch_size, sampler=order.tolist(), num_workers=workers,
                             drop_last=True, pin_memory=dev.type == "cuda", worker_init_fn=_single_thread_worker)
        sums: dict[str, float] = {}
        started = time.perf_counter()
        with Progress(*columns, console=console, disable=not progress) as bar:
            task = bar.add_task(f"{method} epoch {epoch + 1}/{recipe.epochs}", total=len(batches), losses="")
            try:
                for step, batch in enumerate(batches):
                    batch = {k: v.to(dev, non_blocking=True) for k, v in batch.items()}
                    for name, value in optimisation.step(model, batch, epoch, step).items():
                        sums[name] = sums.get(name, 0.0) + value
                    bar.update(task, advance=1, losses="  ".join(f"{k} {v / (step + 1):.4g}" for k, v in sums.items()))
            except DataError as exc:
                raise _loader_error(exc) from None
        record = {"epoch": epoch + 1, "lr": optimisation.optimizer.param_groups[0]["lr"],
                  "train": {k: v / len(batches) for k, v in sums.items()},
                  "train_s": round(time.perf_counter() - started, 2)}
        optimisation.end_epoch()
        if val_refs:
            record["val"] = validate(model, val_refs, size, dev, amp)
            console.print(f"epoch {epoch + 1}: " + "  ".join(f"{k} {v:.2f}" for k, v in record["val"].items()))
        with open(out / LOG, "a") as log:  # before the checkpoint: a resume trims lines of unsaved epochs
            log.write(json.dumps(record) + "\n")
        improved = bool(val_refs) and record["val"]["fmse"] < best_fmse
        best_fmse = record["val"]["fmse"] if improved else best_fmse
        extra = {"epoch": epoch + 1, "settings": settings, "val": record.get("val"), "best_fmse": best_fmse,
                 **optimisation.state_dict()}
        save_checkpoint(out / CHECKPOINT, model, info, **extra)
        if improved:
            save_checkpoint(out / BEST, model, info, **extra)
    return out / CHECKPOINT
