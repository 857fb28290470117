"""Training-free references: the unharmonized composite, Reinhard colour transfer, histogram matching.

Each adjusts only the foreground and blends with the (soft) mask, so pixels where mask == 0 keep the input value
exactly. Statistics are taken over the hard regions mask > 0.5 (foreground) and mask <= 0.5 (background); an
image with an empty foreground or background is returned unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from harmbench.contract import HarmonizationMethod
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.registry import register_method


@dataclass
class CompositeConfig:
    pass


class Composite(HarmonizationMethod):
    """Identity: Table 1's "Composite images" row."""

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("composite", composite, mask)
        return {"images": composite}


# sRGB (D65) <-> CIELAB, vectorised over (B,3,H,W).
_RGB_TO_XYZ = torch.tensor([[0.412453, 0.357580, 0.180423],
                            [0.212671, 0.715160, 0.072169],
                            [0.019334, 0.119193, 0.950227]])
_WHITE = torch.tensor([0.950456, 1.0, 1.088754])
_EPS, _KAPPA = 216 / 24389, 24389 / 27


def rgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """sRGB in [0,1] -> CIELAB (L in [0,100]), channel dim 1."""
    rgb = rgb.clamp(0, 1)
    linear = torch.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = torch.einsum("ij,bjhw->bihw", _RGB_TO_XYZ.to(rgb), linear) / _WHITE.to(rgb).view(1, 3, 1, 1)
    f = torch.where(xyz > _EPS, xyz.clamp_min(1e-12) ** (1 / 3), (_KAPPA * xyz + 16) / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], dim=1)


def lab_to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """CIELAB -> sRGB in [0,1] (clamped), inverse of :func:`rgb_to_lab`."""
    fy = (lab[:, 0] + 16) / 116
    f = torch.stack([fy + lab[:, 1] / 500, fy, fy - lab[:, 2] / 200], dim=1)
    xyz = torch.where(f ** 3 > _EPS, f ** 3, (116 * f - 16) / _KAPPA) * _WHITE.to(lab).view(1, 3, 1, 1)
    linear = torch.einsum("ij,bjhw->bihw", torch.linalg.inv(_RGB_TO_XYZ).to(lab), xyz).clamp(0, 1)
    return torch.where(linear > 0.0031308, 1.055 * linear.clamp_min(1e-12) ** (1 / 2.4) - 0.055, 12.92 * linear)


@dataclass
class ReinhardConfig:
    min_pixels: int = 16  # fewer foreground or background pixels than this: leave the image unchanged


class Reinhard(HarmonizationMethod):
    """Reinhard et al. 2001 colour transfer in CIELAB: foreground mean/std per channel set to the background's."""

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("reinhard", composite, mask)
        lab = rgb_to_lab(composite)
        fg = (mask > 0.5).to(lab)
        bg = 1 - fg
        n_fg, n_bg = fg.sum((2, 3), keepdim=True), bg.sum((2, 3), keepdim=True)

        def moments(weight, count):
            mean = (lab * weight).sum((2, 3), keepdim=True) / count.clamp_min(1)
            var = ((lab - mean) ** 2 * weight).sum((2, 3), keepdim=True) / count.clamp_min(1)
            return mean, var.sqrt()

        (mu_f, sd_f), (mu_b, sd_b) = moments(fg, n_fg), moments(bg, n_bg)
        moved = lab_to_rgb((lab - mu_f) * (sd_b / sd_f.clamp_min(1e-6)) + mu_b)
        usable = ((n_fg >= self.config.min_pixels) & (n_bg >= self.config.min_pixels)).to(lab)
        harmonized = usable * moved + (1 - usable) * composite
        return {"images": composite_with_background(harmonized, composite, mask)}


@dataclass
class HistMatchConfig:
    min_pixels: int = 16


class HistMatch(HarmonizationMethod):
    """Per-channel RGB histogram matching of the foreground to the background (CDF matching)."""

    @staticmethod
    def _match(source: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
        """Map each distinct source value to the reference value at the same cumulative frequency.

        Equal inputs get equal outputs; quantiles between the reference's distinct values are interpolated
        linearly (the classic CDF-matching rule, as scikit-image's ``match_histograms``).
        """
        values, inverse, counts = torch.unique(source, return_inverse=True, return_counts=True)
        source_cdf = counts.cumsum(0).to(source) / source.numel()
        ref_values, ref_counts = torch.unique(reference, return_counts=True)
        ref_cdf = ref_counts.cumsum(0).to(reference) / reference.numel()
        right = torch.searchsorted(ref_cdf, source_cdf).clamp(1, ref_cdf.numel() - 1)
        left = right - 1
        span = (ref_cdf[right] - ref_cdf[left]).clamp_min(1e-12)
        frac = ((source_cdf - ref_cdf[left]) / span).clamp(0, 1)
        mapped = ref_values[left] + frac * (ref_values[right] - ref_values[left])
        if ref_values.numel() == 1:
            mapped = ref_values.expand_as(values)
        return mapped[inverse]

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        check_inputs("histmatch", composite, mask)
        harmonized = composite.clone()
        hard = mask[:, 0] > 0.5
        for b in range(composite.shape[0]):  # per image and channel: sorting, not per-pixel work
            fg = hard[b]
            n_fg = int(fg.sum())
            if n_fg < self.config.min_pixels or fg.numel() - n_fg < self.config.min_pixels:
                continue
            for c in range(3):
                channel = composite[b, c]
                harmonized[b, c][fg] = self._match(channel[fg], channel[~fg])
        return {"images": composite_with_background(harmonized, composite, mask)}


_COMMON = dict(family="classical", trainable=False, blends=True)
register_method("composite", config=CompositeConfig, build=Composite, paper="(input composite, no harmonization)",
                description="identity: Table 1's 'Composite images' row", **_COMMON)
register_method("reinhard", config=ReinhardConfig, build=Reinhard, paper="Reinhard et al., Color Transfer between "
                "Images, IEEE CG&A 2001", description="foreground CIELAB mean/std matched to the background", **_COMMON)
register_method("histmatch", config=HistMatchConfig, build=HistMatch, paper="per-channel histogram matching",
                description="foreground RGB histograms matched to the background's", **_COMMON)
