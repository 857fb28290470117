"""VGG19 features for perceptual losses: the network in torchvision's layout, a frozen lazily-read copy that stays
out of a model's state_dict, where its ImageNet weights come from (:class:`PerceptualVGG19`), and pix2pixHD's VGG
loss (also HiDT's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.checkpoints import read_checkpoint
from harmbench.registry import MethodError

# VGG19 "features" layout; module indices equal torchvision's so its state_dict loads unchanged.
_VGG19_LAYOUT = (64, 64, "pool", 128, 128, "pool", 256, 256, 256, 256, "pool",
                 512, 512, 512, 512, "pool", 512, 512, 512, 512, "pool")


class VGG19Features(nn.Module):
    """VGG19 convolutional stack returning the activations at chosen ``features`` indices (``pool``: "max" as
    torchvision, or "avg")."""

    def __init__(self, pool: str = "max"):
        super().__init__()
        layers, channels = [], 3
        for item in _VGG19_LAYOUT:
            if item == "pool":
                layers.append(nn.MaxPool2d(2, 2) if pool == "max" else nn.AvgPool2d(2, 2))
            else:
                layers += [nn.Conv2d(channels, item, 3, padding=1), nn.ReLU()]
                channels = item
        self.features = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, taps: tuple[int, ...]) -> list[torch.Tensor]:
        outputs = []
        for index, layer in enumerate(self.features[: max(taps) + 1]):
            x = layer(x)
            if index in taps:
                outputs.append(x)
        return outputs


class FrozenVGG19:
    """A VGG19 read from a local file on first use, kept outside the model's module tree.

    A plain object (not an ``nn.Module`` attribute) so that the weights stay out of the model's state_dict,
    parameters and checkpoints; read lazily so that evaluating a checkpoint trained with a VGG loss never needs
    the VGG file; it follows the input's device on each call.
    """

    def __init__(self, path: str, pool: str = "max"):
        self.path, self.pool = path, pool
        self._net: VGG19Features | None = None

    @property
    def net(self) -> VGG19Features:
        if self._net is None:
            state = read_checkpoint(self.path)
            for key in ("state_dict", "model"):
                if isinstance(state.get(key), dict):
                    state = state[key]
            if not any(k.startswith("features.") for k in state):
                state = {f"features.{k}": v for k, v in state.items()}
            state = {k: v.float() for k, v in state.items() if k.startswith("features.")}
            net = VGG19Features(self.pool)
            own = net.state_dict()
            missing = sorted(set(own) - set(state))
            wrong = sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
            if missing or wrong:
                raise MethodError(f"{self.path}: not a VGG19 state_dict (torchvision layout 'features.N.weight'); "
                                  f"missing {missing[:4]}, wrong shape {wrong[:4]}")
            net.load_state_dict({k: state[k] for k in own})
            self._net = net.requires_grad_(False).eval()
        return self._net

    def __call__(self, x: torch.Tensor, taps: tuple[int, ...]) -> list[torch.Tensor]:
        return self.net.to(x.device)(x, taps)


# pix2pixHD's VGG loss: relu1_1, relu2_1, relu3_1, relu4_1, relu5_1 weighted 1/32 .. 1.
_PIX2PIXHD_VGG_TAPS = (1, 6, 11, 20, 29)
_PIX2PIXHD_VGG_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)


def pix2pixhd_vgg_loss(vgg: FrozenVGG19, fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """pix2pixHD's VGGLoss on images in [-1, 1], fed without ImageNet normalisation exactly as the official code."""
    fake_feats, real_feats = vgg(fake, _PIX2PIXHD_VGG_TAPS), vgg(real, _PIX2PIXHD_VGG_TAPS)
    return sum(w * F.l1_loss(f, r.detach()) for w, f, r in zip(_PIX2PIXHD_VGG_WEIGHTS, fake_feats, real_feats,
                                                                 strict=True))


# torchvision's VGG19_Weights.IMAGENET1K_V1 (the legacy ``pretrained=True`` file); keys ``features.N.*``.
TORCHVISION_VGG19_URL = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"
VGG19_OFF = "none"  # ``vgg_weights`` value that turns the VGG loss off on purpose (the stand-in, without a warning)


def hub_vgg19_path() -> Path:
    """Where torchvision (and :func:`torch.hub.load_state_dict_from_url`) caches the VGG-19 ImageNet weights."""
    return Path(torch.hub.get_dir()) / "checkpoints" / Path(TORCHVISION_VGG19_URL).name


@dataclass(frozen=True)
class VGGSource:
    """The outcome of :func:`resolve_vgg19_weights`: the weights file (None: the stand-in loss) and the line that
    says so in the training log, the checkpoint and the results' context."""

    path: str | None
    note: str


def resolve_vgg19_weights(requested: str | None, substitute: str) -> VGGSource:
    """Which VGG-19 ImageNet weights a perceptual loss uses.

    ``requested``: a path (must exist: a MethodError names it otherwise); :data:`VGG19_OFF` for the stand-in on
    purpose; None for the default, tried in this order: the torch hub cache file (:func:`hub_vgg19_path`), then a
    download of it with :func:`torch.hub.load_state_dict_from_url` (which leaves it in that cache), then the
    stand-in ``substitute`` with a warning, since the method then does not train with its original loss.
    """
    if requested == VGG19_OFF:
        return VGGSource(None, f"VGG loss: off (vgg_weights={VGG19_OFF!r}; {substitute})")
    if requested:
        if not Path(requested).is_file():
            raise MethodError(f"{requested}: VGG19 weights file not found (vgg_weights)")
        return VGGSource(str(requested), vgg_loss_note(str(requested), substitute))
    cached = hub_vgg19_path()
    if not cached.is_file():
        try:
            torch.hub.load_state_dict_from_url(TORCHVISION_VGG19_URL, progress=False)
        except Exception as exc:  # offline, proxy, disk full, bad hash: all mean "no weights here"
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
            return VGGSource(None, f"VGG loss: WARNING stand-in, not the original loss: no VGG-19 weights (not in "
                                   f"{cached}, download failed: {reason}); {substitute}. Pass vgg_weights=PATH "
                                   "(torchvision's vgg19-dcbb9e9d.pth) to train with the original loss")
    return VGGSource(str(cached), vgg_loss_note(str(cached), substitute))


class PerceptualVGG19:
    """A method's VGG-19 for its perceptual loss, resolved once at the first training use by
    :func:`resolve_vgg19_weights` from ``config.vgg_weights`` (never at build time, so evaluating a checkpoint never
    looks for VGG weights or goes online). The resolved note is written to ``config.loss_setup``, which checkpoints
    and result files record with the rest of the config. A plain object: the VGG stays out of the state_dict.
    """

    def __init__(self, config: Any, substitute: str, pool: str = "max"):
        self.config, self.substitute, self.pool = config, substitute, pool
        self._source: VGGSource | None = None
        self._vgg: FrozenVGG19 | None = None

    def resolve(self) -> VGGSource:
        if self._source is None:
            self._source = resolve_vgg19_weights(self.config.vgg_weights, self.substitute)
            self._vgg = FrozenVGG19(self._source.path, self.pool) if self._source.path else None
            self.config.loss_setup = self._source.note
        return self._source

    @property
    def frozen(self) -> FrozenVGG19 | None:
        """The frozen VGG-19 (weights read on first call), or None when the stand-in loss is used."""
        self.resolve()
        return self._vgg


def vgg_loss_note(vgg_weights: str | None, substitute: str) -> str:
    """The training-log line saying whether a method's VGG loss is on (``vgg_weights`` given) or what stands in for
    it (``substitute``)."""
    if vgg_weights:
        return f"VGG loss: on ({vgg_weights})"
    return f"VGG loss: off (no vgg_weights given; {substitute})"
