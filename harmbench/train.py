"""One training loop for every learned method; it knows no method by name.

A method takes part through the hooks of :class:`harmbench.contract.HarmonizationMethod` (documented there):
``trainable``, ``train_recipe()``, ``trainable_parameters()``, ``training_notes()``, ``training_losses()`` and, for
GANs, ``make_discriminator()`` + ``discriminator_losses()``. Method-specific flags (``--base-weights``,
``--finetune-base``, ``--loss``) are config fields of the same name (:func:`flag_overrides`).

Each epoch (see :func:`train`): augmented crops of the training split (RandomResizedCrop + horizontal flip on the
original images, as in the CDTNet code), a validation pass on the test split with the cdtnet metric profile,
``last.pt`` (+ ``best.pt`` by validation fMSE) written atomically, and one line appended to ``log.jsonl``.
Randomness is derived from (seed, epoch, image index), so a run is deterministic for any number of loader
workers and ``resume=True`` continues exactly where ``last.pt`` stopped. Checkpoints hold no wall-clock time and no
path of the data (those go to ``log.jsonl`` and ``run.json``): the same data, method, config, seed, epochs and
device give byte-identical checkpoints, whose file sha256 then identifies the weights in result contexts.

Distributed (``torchrun --nproc-per-node N -m harmbench train ...``, one node or a shared filesystem): the batch
size is the GLOBAL batch B and must be a multiple of the world size W. Global batch s of an epoch is
``order[s*B:(s+1)*B]`` of that epoch's seeded permutation, exactly as in one process; rank r trains on its r-th
slice of B/W items, and DistributedDataParallel averages the gradients, so W ranks take the step one process takes
on batch B (for losses that are means over the batch; BatchNorm sees per-rank statistics unless ``sync_bn``).
Rank 0 alone validates, logs and writes checkpoints while the others wait at a barrier; ``resume`` loads
``last.pt`` on every rank. The loop trains exactly ``trainable_parameters()``: the model's other parameters are set
to ``requires_grad=False`` for the run, so DistributedDataParallel averages only the trained ones, each of which must
get a gradient every step. Under DDP, ``discriminator_losses`` receives the wrapped discriminator: call it, do not
reach into its attributes; ``training_losses`` receives the unwrapped one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from rich.console import Console
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader

from harmbench import metrics
from harmbench.checkpoints import read_checkpoint, save_checkpoint
from harmbench.contract import SCHEDULES, HarmonizationMethod, TrainRecipe, harmonize, schedule_factor
from harmbench.data import DataError, SampleLoader, SampleRef, open_dataset, prepare, to_tensors
from harmbench.devices import resolve_device
from harmbench.distributed import Ranks, process_group, rank_device, torchrun_ranks
from harmbench.factory import create_method
from harmbench.progress import loss_status, progress_bar
from harmbench.registry import MethodError, get_method
from harmbench.weights import train_folder

CHECKPOINT, BEST, LOG = "last.pt", "best.pt", "log.jsonl"
# Facts about where and when a run happened, kept out of the checkpoints so that identical trainings write
# byte-identical weight files (same sha256): the data folder's location and the start time of each (resumed) run.
RUN_INFO = "run.json"
# Settings that must match for ``resume`` to continue the same run (epochs, device, workers, validation may change).
RESUME_KEYS = ("method", "size", "config", "data", "batch_size", "lr", "seed", "limit", "amp", "tiny")
# Rank 0 validates and writes checkpoints while the other ranks wait at a barrier: allow long validations.
BARRIER_TIMEOUT = timedelta(hours=1)


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
    if device.type == "cuda":  # the training device only: touching every GPU would open a context on each
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def _set_rng_state(state: dict, device: torch.device) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if device.type == "cuda" and "cuda" in state:
        cuda = state["cuda"]
        if isinstance(cuda, (list, tuple)):  # checkpoints before per-device states held one state per GPU
            cuda = cuda[device.index or 0]
        torch.cuda.set_rng_state(cuda, device)


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
    """Means over ``refs`` (squashed to ``size`` x ``size``) of the cdtnet profile's validation metrics (fMSE, MSE,
    PSNR on the 0-255 scale; the first picks ``best.pt``), computed on ``device``; SSIM, the slow one at 1024 px,
    is not needed to pick the best epoch."""
    loader = SampleLoader()
    profile = metrics.get_profile("cdtnet")
    totals = dict.fromkeys(profile.validation_keys, 0.0)
    model.eval()
    try:
        for ref in refs:
            prepared = prepare(loader.load(ref), size, "squash")
            composite, mask = (t.to(device) for t in to_tensors(prepared))
            with _autocast(device, amp):
                pred = harmonize(model, composite, mask)
            target = torch.from_numpy(prepared.target).permute(2, 0, 1)[None].to(device, torch.float32)
            values = metrics.compute_batch(pred, target, mask, profile, keys=profile.validation_keys)[0]
            for key in totals:
                totals[key] += values[key]
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


def flag_overrides(method: str, overrides: dict, **flags: Any) -> dict:
    """``overrides`` plus the flag-given config fields (``base_weights=...`` from ``--base-weights`` etc.; None =
    flag not given). A flag whose field the method's config lacks, or that contradicts ``--config``, is an error."""
    fields = {f.name for f in dataclasses.fields(get_method(method).config)}
    merged = dict(overrides)
    for field_name, value in flags.items():
        if value is None:
            continue
        flag = "--" + field_name.replace("_", "-")
        if field_name not in fields:
            raise MethodError(f"{flag}: method '{method}' has no config field '{field_name}'")
        if field_name in merged and merged[field_name] != value:
            raise ValueError(f"{flag} {value} contradicts --config {field_name}={merged[field_name]}")
        merged[field_name] = value
    return merged


def rank_order(order: list[int], batch_size: int, ranks: Ranks) -> list[int]:
    """This rank's items of an epoch's ``order``: global batch s is ``order[s*B:(s+1)*B]`` (B = ``batch_size``,
    the incomplete last one dropped) and rank r takes items ``r*B/W`` to ``(r+1)*B/W - 1`` of each."""
    share = batch_size // ranks.world_size
    first = ranks.rank * share
    return [index for start in range(0, len(order) - batch_size + 1, batch_size)
            for index in order[start + first:start + first + share]]


class Distribution:
    """How modules train across processes: as they are in one process, or wrapped in DistributedDataParallel
    (after an optional BatchNorm -> SyncBatchNorm conversion) under torchrun."""

    def __init__(self, ranks: Ranks | None, dev: torch.device, sync_bn: bool):
        self.ranks, self.dev, self.sync_bn = ranks or Ranks(), dev, sync_bn
        self.distributed = ranks is not None

    def wrap(self, module: nn.Module) -> tuple[nn.Module, nn.Module]:
        """(module to keep and save, module to call in the training forward). Parameters that do not require a
        gradient are left out of DistributedDataParallel's gradient averaging."""
        if not self.distributed:
            return module, module
        if self.sync_bn:
            module = nn.SyncBatchNorm.convert_sync_batchnorm(module)  # same parameters, same state_dict keys
        device_ids = [self.dev.index] if self.dev.type == "cuda" else None
        return module, DistributedDataParallel(module, device_ids=device_ids)

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    def mean(self, values: dict[str, float]) -> dict[str, float]:
        """The mean of each value over the ranks (every rank has the same keys): per-rank means of equal batch
        shares average to the mean over the global batch."""
        if not self.distributed or not values:
            return values
        stacked = torch.tensor(list(values.values()), dtype=torch.float64, device=self.dev)
        dist.all_reduce(stacked)
        return dict(zip(values, (stacked / self.ranks.world_size).tolist(), strict=True))


class Optimisation:
    """Everything a training step changes besides the model: optimisers, schedules, AMP scaler, discriminator."""

    def __init__(self, method: str, model: HarmonizationMethod, recipe: TrainRecipe, dev: torch.device, amp: bool,
                 distribution: Distribution):
        trained = list(model.trainable_parameters())
        if not trained:
            raise MethodError(f"method '{method}' has no trainable parameters with this config")
        # The loop trains exactly these: the others get no gradient (so DDP averages only the trained ones).
        trained_ids = {id(p) for p in trained}
        for parameter in model.parameters():
            if id(parameter) not in trained_ids:
                parameter.requires_grad_(False)
        self.model, self.generator = distribution.wrap(model)
        factor = schedule_factor(recipe, recipe.epochs)
        self.dev, self.amp = dev, amp
        self.optimizer = torch.optim.Adam(trained, lr=recipe.lr, betas=recipe.betas, eps=recipe.eps,
                                          weight_decay=recipe.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, factor)
        self.discriminator = self.critic = self.d_optimizer = self.d_scheduler = None
        discriminator = model.make_discriminator()
        if discriminator is not None:
            self.discriminator, self.critic = distribution.wrap(discriminator.to(dev).train())
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

    def step(self, batch: dict, epoch: int, step: int) -> dict[str, float]:
        """One batch: (GANs) a discriminator step on the detached output, then the generator step. Returns the
        losses as floats, discriminator ones prefixed "D."."""
        logged = {}
        with _autocast(self.dev, self.amp):
            out = self.generator(batch["composite"], batch["mask"])
        discriminator = self.discriminator
        if discriminator is not None:
            detached = {k: v.detach() if isinstance(v, torch.Tensor) else v for k, v in out.items()}
            with _autocast(self.dev, self.amp):
                d_losses = self.model.discriminator_losses(self.critic, batch, detached)
            d_total = _sum_losses(d_losses, "discriminator_losses", epoch, step, self.amp)
            self.d_optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(d_total).backward()
            self.scaler.step(self.d_optimizer)
            logged.update({f"D.{k}": v.item() for k, v in d_losses.items()})
            discriminator.requires_grad_(False)  # the generator step must not accumulate gradients in D
        try:
            with _autocast(self.dev, self.amp):
                # the unwrapped discriminator: with frozen parameters it takes no part in gradient averaging
                losses = self.model.training_losses(batch, out, discriminator=discriminator)
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


def _resume(out: Path, method: str, settings: dict, model: nn.Module, optimisation: Optimisation,
            main: bool) -> tuple[int, float]:
    """Restore ``out``/last.pt into ``model`` and ``optimisation``; returns (epochs done, best validation fMSE).
    Only the ``main`` process trims the log."""
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
    if main:
        _trim_log(out / LOG, state["epoch"])
    return state["epoch"], state["best_fmse"]


def train(method: str, size: int, data: str | Path | None = None, *, subset: str | None = None,
          epochs: int | None = None, batch_size: int | None = None, lr: float | None = None, resume: bool = False,
          out: str | Path | None = None, device: str = "auto", amp: bool = False, seed: int = 0,
          limit: int | None = None, val_limit: int = 100, tiny: bool = False, workers: int = 0,
          sync_bn: bool = False, overrides: dict | None = None, progress: bool = True,
          console: Console | None = None) -> Path:
    """Train ``method`` on ``size`` x ``size`` crops of ``data`` (default: the built-in synthetic set).

    Unset optimiser settings come from the method's ``train_recipe()``; ``batch_size`` is the global batch (see the
    module docstring for torchrun). ``limit`` keeps the first N training images, ``val_limit`` the first N test
    images for per-epoch validation (0: no validation, no best.pt). ``overrides`` are config fields (see
    :func:`flag_overrides` for the method-specific flags). ``device``: see :func:`harmbench.devices.resolve_device`;
    under torchrun a CUDA device becomes ``cuda:LOCAL_RANK``. ``sync_bn`` (torchrun on CUDA only) synchronises
    BatchNorm statistics over the ranks. Writes ``last.pt``, ``best.pt`` and ``log.jsonl`` under ``out`` (default
    ``checkpoints/<method>-<size>``) and returns the path of ``last.pt``, plus ``run.json`` (data folder, start
    time). Seeds torch's and Python's global RNGs with ``seed``.
    Under torchrun the process group is created here (gloo on CPU, nccl on CUDA) unless one already exists.
    """
    if size < 1 or val_limit < 0 or (limit is not None and limit < 1):
        raise ValueError("--size and --limit must be >= 1 and --val-limit >= 0")
    ranks = torchrun_ranks()
    dev = resolve_device(device)
    if sync_bn and (ranks is None or dev.type != "cuda"):
        raise ValueError("--sync-bn synchronises BatchNorm over torchrun processes on CUDA devices "
                         "(PyTorch's SyncBatchNorm has no CPU kernel); drop it here")
    if ranks is not None:
        dev = rank_device(dev, ranks)
    with process_group(dev, BARRIER_TIMEOUT) if ranks is not None else contextlib.nullcontext():
        return _train(method, size, data, subset=subset, epochs=epochs, batch_size=batch_size, lr=lr, resume=resume,
                      out=out, dev=dev, amp=amp, seed=seed, limit=limit, val_limit=val_limit, tiny=tiny,
                      workers=workers, overrides=overrides or {}, distribution=Distribution(ranks, dev, sync_bn),
                      progress=progress, console=console or Console(stderr=True, soft_wrap=True))


def _train(method: str, size: int, data, *, subset, epochs, batch_size, lr, resume, out, dev: torch.device, amp,
           seed, limit, val_limit, tiny, workers, overrides: dict, distribution: Distribution, progress: bool,
           console: Console) -> Path:
    ranks = distribution.ranks
    torch.manual_seed(seed)  # initial weights depend on the seed only
    random.seed(seed)  # Python's generator state is saved in checkpoints: it must not depend on the process
    model = create_method(method, device=dev, tiny=tiny, **overrides)
    if not model.trainable:
        raise MethodError(f"method '{method}' is training-free; nothing to train")
    recipe = dataclasses.replace(model.train_recipe(), **{k: v for k, v in {
        "lr": lr, "batch_size": batch_size, "epochs": epochs}.items() if v is not None})
    if recipe.schedule not in SCHEDULES:
        raise MethodError(f"{method}: train_recipe() schedule '{recipe.schedule}' is not one of {SCHEDULES}")
    if recipe.epochs < 1 or recipe.batch_size < 1 or recipe.lr <= 0:
        raise ValueError("--epochs and --batch-size must be >= 1 and --lr > 0")
    if recipe.batch_size % ranks.world_size:
        raise ValueError(f"--batch-size {recipe.batch_size} is the global batch; it must be a multiple of the "
                         f"{ranks.world_size} torchrun processes")

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
    notes = model.training_notes()
    optimisation = Optimisation(method, model, recipe, dev, amp, distribution)
    settings = {"method": method, "size": size, "config": dataclasses.asdict(model.config),
                # the data by content, not by location (the root goes to run.json)
                "data": {"name": dataset.name, "subset": subset, "fingerprint": dataset.fingerprint},
                "batch_size": recipe.batch_size, "lr": recipe.lr, "seed": seed, "limit": limit, "amp": amp,
                "tiny": tiny, "epochs": recipe.epochs, "world_size": ranks.world_size,
                "sync_bn": distribution.sync_bn, "notes": notes, "recipe": dataclasses.asdict(recipe)}
    out = Path(out) if out else train_folder(method, size)  # where `harmbench run` looks for its weights
    say = console.print if ranks.main else _silent
    start_epoch, best_fmse = 0, math.inf
    if resume:
        start_epoch, best_fmse = _resume(out, method, settings, optimisation.model, optimisation, ranks.main)
        if start_epoch >= recipe.epochs:
            say(f"[yellow]{out / CHECKPOINT} already has {start_epoch} epochs; pass --epochs N > "
                f"{start_epoch} to train further[/]")
            return out / CHECKPOINT
        say(f"[cyan]resuming {out}: epoch {start_epoch + 1} of {recipe.epochs}[/]")
    elif (out / CHECKPOINT).exists():
        raise ValueError(f"{out / CHECKPOINT} exists; pass --resume to continue it or another --out")
    if ranks.main:
        out.mkdir(parents=True, exist_ok=True)
        run_info = {"data_root": str(dataset.root.resolve()), "from_epoch": start_epoch,
                    "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        (out / RUN_INFO).write_text(json.dumps(run_info, indent=1) + "\n")
    for line in notes:
        say(f"[yellow]note:[/] {line}")

    crops = AugmentedPairs(refs, size, recipe, seed)
    per_rank_batch = recipe.batch_size // ranks.world_size
    steps_per_epoch = len(refs) // recipe.batch_size  # the incomplete last batch is dropped
    # One bar for the whole run, so its ETA is the training's, not the epoch's.
    with progress_bar(console, "{task.fields[losses]}", disable=not (progress and ranks.main)) as bar:
        task = bar.add_task(method, total=(recipe.epochs - start_epoch) * steps_per_epoch, losses="")
        for epoch in range(start_epoch, recipe.epochs):
            crops.epoch = epoch
            order = torch.randperm(len(refs), generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch))
            batches = DataLoader(crops, batch_size=per_rank_batch, num_workers=workers, drop_last=True,
                                 sampler=rank_order(order.tolist(), recipe.batch_size, ranks),
                                 pin_memory=dev.type == "cuda", worker_init_fn=_single_thread_worker)
            sums: dict[str, float] = {}
            started = time.perf_counter()
            bar.update(task, description=f"{method} epoch {epoch + 1}/{recipe.epochs}")
            try:
                for step, batch in enumerate(batches):
                    batch = {k: v.to(dev, non_blocking=True) for k, v in batch.items()}
                    for name, value in optimisation.step(batch, epoch, step).items():
                        sums[name] = sums.get(name, 0.0) + value
                    bar.update(task, advance=1, losses=loss_status({k: v / (step + 1) for k, v in sums.items()}))
            except DataError as exc:
                raise _loader_error(exc) from None
            sums = distribution.mean(sums)
            record = {"epoch": epoch + 1, "lr": optimisation.optimizer.param_groups[0]["lr"],
                      "train": {k: v / len(batches) for k, v in sums.items()},
                      "train_s": round(time.perf_counter() - started, 2)}
            optimisation.end_epoch()
            if ranks.main:
                best_fmse = _finish_epoch(out, record, optimisation, val_refs, size, dev, amp, best_fmse, settings,
                                          console)
            distribution.barrier()
    return out / CHECKPOINT


def _silent(*_args, **_kwargs) -> None:
    """``console.print`` of the ranks other than 0."""


def _finish_epoch(out: Path, record: dict, optimisation: Optimisation, val_refs: list[SampleRef], size: int,
                  dev: torch.device, amp: bool, best_fmse: float, settings: dict, console: Console) -> float:
    """Rank 0's end of an epoch: validation, the log line, ``last.pt`` (and ``best.pt`` when validation fMSE
    improved). Returns the best validation fMSE so far."""
    model = optimisation.model
    if val_refs:
        record["val"] = validate(model, val_refs, size, dev, amp)
        console.print(f"epoch {record['epoch']}: " + "  ".join(f"{k} {v:.2f}" for k, v in record["val"].items()))
    with open(out / LOG, "a") as log:  # before the checkpoint: a resume trims lines of unsaved epochs
        log.write(json.dumps(record) + "\n")
    improved = bool(val_refs) and record["val"]["fmse"] < best_fmse
    best_fmse = record["val"]["fmse"] if improved else best_fmse
    extra = {"epoch": record["epoch"], "settings": settings, "val": record.get("val"), "best_fmse": best_fmse,
             **optimisation.state_dict()}
    info = get_method(settings["method"])
    save_checkpoint(out / CHECKPOINT, model, info, **extra)
    if improved:
        save_checkpoint(out / BEST, model, info, **extra)
    return best_fmse
