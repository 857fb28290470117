"""Small synthetic batches shared by the baseline tests."""

import torch

from harmbench.layers.vgg import VGG19Features


def random_batch(height: int, width: int, batch: int = 2, seed: int = 0) -> dict[str, torch.Tensor]:
    """Independent random composite and target, a centred rectangular foreground."""
    generator = torch.Generator().manual_seed(seed)
    mask = torch.zeros(batch, 1, height, width)
    mask[:, :, height // 4:3 * height // 4, width // 3:2 * width // 3] = 1
    return {"composite": torch.rand(batch, 3, height, width, generator=generator),
            "target": torch.rand(batch, 3, height, width, generator=generator), "mask": mask}


def colour_cast_batch(height: int, width: int, batch: int = 1, seed: int = 0) -> dict[str, torch.Tensor]:
    """A random composite whose target differs by a foreground colour cast to undo."""
    generator = torch.Generator().manual_seed(seed)
    composite = torch.rand(batch, 3, height, width, generator=generator)
    mask = torch.zeros(batch, 1, height, width)
    mask[:, :, height // 4: 3 * height // 4, width // 4: 3 * width // 4] = 1
    target = torch.where(mask > 0, composite * 0.7 + 0.2, composite)
    return {"composite": composite, "target": target, "mask": mask}


def learnable_batch(size: int = 256) -> dict[str, torch.Tensor]:
    """A smooth target and a composite whose foreground is a colour-shifted copy of it: a fit the net can make."""
    y, x = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(0, 1, size), indexing="ij")
    target = torch.stack([x, y, (x + y) / 2])[None]
    mask = torch.zeros(1, 1, size, size)
    mask[..., size // 4:3 * size // 4, size // 3:2 * size // 3] = 1
    return {"composite": target * (1 - mask) + (0.5 * target + 0.4) * mask, "target": target, "mask": mask}


def adam_loss_history(model: torch.nn.Module, batch: dict[str, torch.Tensor], steps: int, lr: float) -> list[float]:
    """Total generator loss before each of ``steps`` Adam steps; every loss term must be a finite scalar."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        losses = model.training_losses(batch, model(batch["composite"], batch["mask"]))
        assert all(v.dim() == 0 and torch.isfinite(v) for v in losses.values())
        optimizer.zero_grad()
        sum(losses.values()).backward()
        optimizer.step()
        history.append(sum(losses.values()).item())
    return history


def save_vgg19(path) -> None:
    """Random VGG-19 feature weights in torchvision's layout (fp16, as a converted file might be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({f"features.{k}": v.half() for k, v in VGG19Features().features.state_dict().items()}, path)
