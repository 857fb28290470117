"""ImageNet mean/std normalisation, as used by iSSAM/CDTNet inputs and torchvision VGG features."""

from __future__ import annotations

import torch
from torch import nn

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageNetNormalization(nn.Module):
    """``(x - mean) / std`` per RGB channel and its inverse; mean and std are non-persistent buffers, so they follow
    ``.to(device)`` but are not in the state_dict."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def normalize(self, image: torch.Tensor) -> torch.Tensor:
        return (image - self.mean) / self.std

    def denormalize(self, image: torch.Tensor) -> torch.Tensor:
        return image * self.std + self.mean
