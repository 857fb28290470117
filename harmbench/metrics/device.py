"""Torch implementations of the reference metrics for a batch, on whatever device the tensors live on.

Inputs everywhere: ``pred`` and ``target`` are B x 3 x H x W float tensors on the 0–255 scale, ``mask`` is
B x 1 x H x W in [0, 1], all on one device. Every function returns a float64 tensor of B per-image values and
mirrors the function of the same name in :mod:`harmbench.metrics.reference` (same formula, same edge cases:
NaN fMSE without foreground, −inf PSNR for an all-black target under the max(target) peak, no guard for a
constant prediction in CDTNet's SSIM).

Precision: differences and squares stay in the input dtype (float32: ≤ ~3 float32 roundings per value, ~2e-7
relative) and every sum is accumulated in float64. SSIM filters a float32 stack centred on the target's mean on
CPU (the reference's method, see there) and a float64 stack on CUDA, where cuDNN could otherwise pick TF32
convolutions.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from harmbench.metrics.reference import (
    HARD_MASK_THRESHOLD,
    IHARM_EPS,
    MIN_ERROR,
    SSIM_BAND_ROWS,
    SSIM_K1,
    SSIM_K2,
    gaussian_window,
)

IMAGE_DIMS = (1, 2, 3)  # the per-image reduction dimensions of a B x C x H x W tensor

# ---------------------------------------------------------------------------------------------------------------
# Error functions: (squared_error B x 3 x H x W, mask B x 1 x H x W) -> B values.


def squared_error(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Per-pixel, per-channel squared error ``(pred - target)²`` in the input dtype, B x 3 x H x W."""
    return (pred - target).square_()


def mse(squared_err: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """MSE = mean over all 3·H·W values of (pred − target)², per image. ``mask`` is ignored."""
    return squared_err.sum(dim=IMAGE_DIMS, dtype=torch.float64) / squared_err[0].numel()


def _weighted_sum(squared_err: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Σ_chw weights[b, 0, h, w]·squared_err[b, c, h, w] per image, accumulated in float64."""
    return (squared_err * weights).sum(dim=IMAGE_DIMS, dtype=torch.float64)


def masked_mse(squared_err: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """PCT-Net's MSE = Σ m·(pred − target)² / (3·H·W)."""
    return _weighted_sum(squared_err, mask) / squared_err[0].numel()


def fmse_soft(squared_err: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Soft-mask fMSE = Σ m·(pred − target)² / (3·Σ m + 1e-6); an empty mask gives 0."""
    channels = squared_err.shape[1]
    return _weighted_sum(squared_err, mask) / (channels * mask.sum(dim=IMAGE_DIMS, dtype=torch.float64) + IHARM_EPS)


def fmse_hard(squared_err: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """fMSE on the mask binarised at 0.5 = Σ_{m > 0.5} (pred − target)² / (3·N_fg); NaN where N_fg = 0."""
    foreground = (mask > HARD_MASK_THRESHOLD).to(squared_err.dtype)
    channels = squared_err.shape[1]
    return _weighted_sum(squared_err, foreground) / (channels * foreground.sum(dim=IMAGE_DIMS, dtype=torch.float64))


# ---------------------------------------------------------------------------------------------------------------
# PSNR functions: (error B values, target) -> B values in dB. NaN error gives NaN; a zero peak gives −inf.


def psnr_target_peak(error: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """iS²AM / CDTNet PSNR = 10·log10(max(target)² / (error + 1e-6)), the peak being each target's maximum."""
    peak = target.amax(dim=IMAGE_DIMS).to(torch.float64)
    return 10.0 * torch.log10(peak.square() / (error + IHARM_EPS))


def psnr_255_eps(error: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """PCT-Net PSNR = 10·log10(255² / (error + 1e-6)). ``target`` is unused."""
    return 10.0 * torch.log10(255.0**2 / (error + IHARM_EPS))


def psnr_255(error: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Canonical PSNR = 10·log10(255² / max(error, 1e-10)). ``target`` is unused."""
    return 10.0 * torch.log10(255.0**2 / error.clamp(min=MIN_ERROR))


# ---------------------------------------------------------------------------------------------------------------
# SSIM


def ssim_separable(pred: torch.Tensor, target: torch.Tensor, size: int, zero_pad: bool,
                   data_range: torch.Tensor) -> torch.Tensor:
    """Mean SSIM map per image with a ``size``-tap Gaussian (σ = 1.5); the definition of
    :func:`harmbench.metrics.reference.ssim_separable`, with ``data_range`` one value per image.

    Rows are filtered in bands of ``SSIM_BAND_ROWS`` output rows on CPU (intermediates stay in cache) and all at
    once elsewhere. Both images are centred on the target's rounded mean (per image) before the squares are formed.
    """
    batch, channels, height, width = pred.shape
    if min(height, width) < size and not zero_pad:
        raise ValueError(f"SSIM: image {height}x{width} is smaller than the {size}x{size} window")
    work_dtype = torch.float32 if pred.device.type == "cpu" else torch.float64
    radius = size // 2 if zero_pad else 0
    out_rows, out_cols = height + 2 * radius - size + 1, width + 2 * radius - size + 1
    shift = target.mean(dim=IMAGE_DIMS, dtype=torch.float64).round().to(work_dtype).view(batch, 1, 1, 1)
    data_range = data_range.to(torch.float64).view(batch, 1, 1, 1)
    c1, c2 = ((SSIM_K1 * data_range) ** 2).to(work_dtype), ((SSIM_K2 * data_range) ** 2).to(work_dtype)
    maps = 4 * channels  # [x | y | x² + y² | x·y], as in the reference
    taps = torch.from_numpy(gaussian_window(size)).to(pred.device, work_dtype).expand(maps, size).contiguous()
    band_rows = SSIM_BAND_ROWS if pred.device.type == "cpu" else out_rows

    def padded_rows(image: torch.Tensor, first: int, stop: int) -> torch.Tensor:
        """Rows [first, stop) of the centred image after zero padding (padded row p = image row p − radius)."""
        rows = image[:, :, max(first - radius, 0) : min(stop - radius, height)].to(work_dtype)
        if zero_pad:
            top, bottom = max(radius - first, 0), max(stop - radius - height, 0)  # padding rows inside this band
            rows = F.pad(rows, (radius, radius, top, bottom))
        return rows - shift

    total = torch.zeros(batch, dtype=torch.float64, device=pred.device)
    with torch.inference_mode():
        for band_start in range(0, out_rows, band_rows):
            band_stop = min(band_start + band_rows, out_rows)
            x = padded_rows(pred, band_start, band_stop + size - 1)
            y = padded_rows(target, band_start, band_stop + size - 1)
            stack = torch.cat([x, y, torch.addcmul(x * x, y, y), x * y], dim=1)
            filtered = F.conv2d(stack, taps.view(maps, 1, size, 1), groups=maps)
            filtered = F.conv2d(filtered, taps.view(maps, 1, 1, size), groups=maps)
            mu_x, mu_y, squares, products = filtered.split(channels, dim=1)
            # luminance as 1 − (μx − μy)²/(μx² + μy² + C1) and contrast-structure from centred statistics (reference)
            luminance_den = (mu_x + shift).square().add_((mu_y + shift).square()).add_(c1)
            luminance = (mu_x - mu_y).square_().div_(luminance_den).neg_().add_(1)
            covariance_term = (products - mu_x * mu_y).mul_(2).add_(c2)
            variance_term = (squares - mu_x.square()).sub_(mu_y.square()).add_(c2)
            total += luminance.mul_(covariance_term).div_(variance_term).sum(dim=IMAGE_DIMS, dtype=torch.float64)
    return total / (channels * out_rows * out_cols)


def ssim_cdtnet(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """CDTNet's SSIM: 7-tap Gaussian, zero padding 3, R = max(pred) − min(pred) per image. ``mask`` is ignored."""
    data_range = pred.amax(dim=IMAGE_DIMS).double() - pred.amin(dim=IMAGE_DIMS).double()
    return ssim_separable(pred, target, 7, zero_pad=True, data_range=data_range)


def ssim_wang(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Wang et al.'s SSIM: 11-tap Gaussian, R = 255, valid positions only. ``mask`` is ignored."""
    data_range = torch.full((pred.shape[0],), 255.0, dtype=torch.float64, device=pred.device)
    return ssim_separable(pred, target, 11, zero_pad=False, data_range=data_range)


def ssim_pctnet(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """PCT-Net's SSIM: ``ssim_wang`` of the blend target + m·(pred − target) against the target.

    The blend is formed in float64, as the reference does: it is then centred and rounded to float32 once.
    """
    blended = torch.addcmul(target.double(), mask.double(), pred.double() - target.double())
    return ssim_wang(blended, target)
