"""VGG19 features for perceptual losses: the network in torchvision's layout, a frozen lazily-read copy that stays
out of a model's state_dict, and pix2pixHD's VGG loss (also HiDT's)."""

from __future__ import annotations

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


def vgg_loss_note(vgg_weights: str | None, substitute: str) -> str:
    """The training-log line saying whether a method's VGG loss is on (``vgg_weights`` given) or what stands in for
    it (``substitute``)."""
    if vgg_weights:
        return f"VGG loss: on ({vgg_weights})"
    return f"VGG loss: off (no vgg_weights given; {substitute})"
