"""NumPy reference definitions of the per-image metrics: the exact definitions every faster path is tested against.

Inputs everywhere: ``pred`` and ``target`` are H x W x 3 arrays on the 0–255 scale (float or integer dtypes; not
clamped or rounded here), ``mask`` is H x W in [0, 1] (1 = foreground). Which function serves which metric of
which profile is declared in :mod:`harmbench.metrics.profiles`.

SSIM uses separable Gaussian filtering: two 1-D depthwise torch convolutions on a channels-last float32 stack,
in bands of rows so intermediates stay in cache. Measured on 2 CPU threads at 2048², the filtering alone is ~10x
faster than ``scipy.ndimage.correlate1d`` (float32 or float64) and ~20x faster than torch in float64; banding makes
the whole SSIM ~3x faster than whole-image passes (0.18 s vs 0.56 s). float32 is made accurate by centring both
images on the target's mean before forming the squares: the variance and covariance terms are invariant to a
common shift, and the small centred values keep float32 rounding of E[x²] − E[x]² far below 1e-6 on the mean SSIM
(raw float32 on 0–255 values errs by up to ~5e-4 on bright, low-contrast images).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

IHARM_EPS = 1e-6  # the epsilon iharm-derived evaluators (iS²AM, CDTNet, PCT-Net) add in fMSE and PSNR
MIN_ERROR = 1e-10  # harmbench profile: PSNR clamps the error here, so identical images give a finite 148.13 dB
HARD_MASK_THRESHOLD = 0.5  # harmbench profile: foreground = mask > 0.5
SSIM_K1, SSIM_K2 = 0.01, 0.03  # Wang et al.'s stabilising constants, used by every profile
SSIM_BAND_ROWS = 32  # output rows filtered per step; 16-64 measured fastest at 2048² on 2 cores


# ---------------------------------------------------------------------------------------------------------------
# Error functions: (squared_error H x W x 3, mask H x W) -> float. The squared error is computed once per image.


def squared_error(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per-pixel, per-channel squared error ``(pred - target)²`` in float64, H x W x 3."""
    diff = np.subtract(pred, target, dtype=np.float64)
    return np.square(diff, out=diff)


def mse(squared_err: np.ndarray, mask: np.ndarray | None = None) -> float:
    """MSE = mean over all H·W·3 values of (pred − target)². ``mask`` is ignored (shared signature)."""
    return float(squared_err.mean())


def _weighted_sum(squared_err: np.ndarray, weights: np.ndarray) -> float:
    """Σ_hwc weights[h, w]·squared_err[h, w, c], as one BLAS matrix-vector product."""
    return float((weights.reshape(-1) @ squared_err.reshape(-1, squared_err.shape[-1])).sum())


def masked_mse(squared_err: np.ndarray, mask: np.ndarray) -> float:
    """PCT-Net's MSE = Σ m·(pred − target)² / (3·H·W): background pixels count as zero error."""
    return _weighted_sum(squared_err, mask) / squared_err.size


def fmse_soft(squared_err: np.ndarray, mask: np.ndarray) -> float:
    """fMSE with the soft mask (iS²AM / CDTNet / PCT-Net) = Σ m·(pred − target)² / (3·Σ m + 1e-6).

    An empty mask gives 0.
    """
    return _weighted_sum(squared_err, mask) / (squared_err.shape[-1] * float(mask.sum()) + IHARM_EPS)


def fmse_hard(squared_err: np.ndarray, mask: np.ndarray) -> float:
    """fMSE with the mask binarised at 0.5 = Σ_{m > 0.5} (pred − target)² / (3·N_fg), N_fg = #{m > 0.5}.

    An image without foreground pixels has no fMSE: the result is NaN.
    """
    foreground = (mask > HARD_MASK_THRESHOLD).astype(np.float64)
    count = float(foreground.sum())
    if count == 0:
        return math.nan
    return _weighted_sum(squared_err, foreground) / (squared_err.shape[-1] * count)


# ---------------------------------------------------------------------------------------------------------------
# PSNR functions: (error, target) -> dB, where error is an MSE or an fMSE (the latter gives fPSNR).


def _psnr(error: float, peak: float, denominator: float) -> float:
    if math.isnan(error):
        return math.nan
    if peak == 0:
        return -math.inf  # all-black target: the peak rule gives log10(0)
    return 10.0 * math.log10(peak**2 / denominator)


def psnr_target_peak(error: float, target: np.ndarray) -> float:
    """iS²AM / CDTNet PSNR = 10·log10(max(target)² / (error + 1e-6)); the peak is the target's maximum value.

    With error = fMSE this is CDTNet's fPSNR (same peak, same epsilon).
    """
    return _psnr(error, float(target.max()), error + IHARM_EPS)


def psnr_255_eps(error: float, target: np.ndarray) -> float:
    """PCT-Net PSNR = 10·log10(255² / (error + 1e-6)). ``target`` is unused (shared signature)."""
    return _psnr(error, 255.0, error + IHARM_EPS)


def psnr_255(error: float, target: np.ndarray) -> float:
    """Canonical PSNR = 10·log10(255² / max(error, 1e-10)); equals skimage's with data_range=255 when error > 1e-10.

    ``target`` is unused (shared signature). NaN error (no foreground) gives NaN.
    """
    return _psnr(error, 255.0, max(error, MIN_ERROR))


# ---------------------------------------------------------------------------------------------------------------
# SSIM


def gaussian_window(size: int, sigma: float = 1.5) -> np.ndarray:
    """Normalised 1-D Gaussian g[i] = exp(−(i − size//2)² / (2σ²)) / Σ_j exp(−(j − size//2)² / (2σ²)), i < size.

    Size 7 is CDTNet's window; size 11 (= scipy/skimage radius int(3.5·1.5 + 0.5) = 5) is Wang's / pytorch_msssim's.
    """
    offsets = np.arange(size, dtype=np.float64) - size // 2
    weights = np.exp(-(offsets**2) / (2.0 * sigma**2))
    return weights / weights.sum()


def ssim_separable(pred: np.ndarray, target: np.ndarray, window: np.ndarray, zero_pad: bool,
                   data_range: float) -> float:
    """Mean SSIM map over all positions and the 3 channels, with Gaussian window w = window ⊗ window:

        μx = w * x, σx² = w * x² − μx², σxy = w * (x·y) − μx·μy   (per channel, * = 2-D correlation)
        SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),  C1 = (0.01·R)², C2 = (0.03·R)²

    with R = ``data_range`` and population statistics. ``zero_pad``: pad by len(window)//2 zeros so the map keeps
    the image size (CDTNet); otherwise only positions where the window fits ("valid", pytorch_msssim; also equal to
    skimage, whose border crop removes exactly the positions its reflect padding touches).
    """
    height, width, channels = pred.shape
    size = len(window)
    if min(height, width) < size and not zero_pad:
        raise ValueError(f"SSIM: image {height}x{width} is smaller than the {size}x{size} window")
    radius = size // 2 if zero_pad else 0
    padded_width = width + 2 * radius
    out_rows, out_cols = height + 2 * radius - size + 1, padded_width - size + 1
    # centring on an integer keeps float32 squares small (module docstring) and is exact for 0–255 integers
    shift = float(round(float(np.mean(target))))
    c1, c2 = (SSIM_K1 * data_range) ** 2, (SSIM_K2 * data_range) ** 2
    maps = 4 * channels  # [x | y | x² + y² | x·y]; σx² + σy² only appears as a sum, so one map serves both
    taps = torch.from_numpy(window).float().expand(maps, size).contiguous()

    def padded_rows(image: np.ndarray, first: int, stop: int) -> torch.Tensor:
        """Rows [first, stop) of the centred image after zero padding (padded row p = image row p − radius)."""
        if not zero_pad:
            return torch.from_numpy(np.subtract(image[first:stop], shift, dtype=np.float32))
        rows = torch.full((stop - first, padded_width, channels), -shift)  # the zero border, centred
        top, bottom = max(first - radius, 0), min(stop - radius, height)
        inner = torch.from_numpy(np.subtract(image[top:bottom], shift, dtype=np.float32))
        rows[top + radius - first : bottom + radius - first, radius : radius + width] = inner
        return rows

    total = torch.zeros((), dtype=torch.float64)
    with torch.inference_mode():
        # bands of output rows: every intermediate stays cache-sized (measured ~3x faster than whole-image passes)
        for band_start in range(0, out_rows, SSIM_BAND_ROWS):
            band_stop = min(band_start + SSIM_BAND_ROWS, out_rows)
            x = padded_rows(pred, band_start, band_stop + size - 1)
            y = padded_rows(target, band_start, band_stop + size - 1)
            # rows x cols x 4C, viewed as a channels-last 4C-map batch: torch's fast depthwise path
            stack = torch.cat([x, y, torch.addcmul(x * x, y, y), x * y], dim=-1).unsqueeze(0).permute(0, 3, 1, 2)
            filtered = F.conv2d(stack, taps.view(maps, 1, size, 1), groups=maps)
            filtered = F.conv2d(filtered, taps.view(maps, 1, 1, size), groups=maps)
            # planar copy: elementwise ops on channel-strided views are several times slower
            mu_x, mu_y, squares, products = filtered[0].contiguous().split(channels)
            # luminance (2μxμy + C1)/(μx² + μy² + C1) as 1 − (μx − μy)²/(μx² + μy² + C1): same value, less rounding
            luminance_den = (mu_x + shift).square_().add_((mu_y + shift).square_()).add_(c1)
            luminance = (mu_x - mu_y).square_().div_(luminance_den).neg_().add_(1)
            # contrast-structure term from the shift-invariant centred statistics
            covariance_term = products.sub_(mu_x * mu_y).mul_(2).add_(c2)
            variance_term = squares.sub_(mu_x.square_()).sub_(mu_y.square_()).add_(c2)
            total += luminance.mul_(covariance_term).div_(variance_term).sum(dtype=torch.float64)
    return float(total) / (channels * out_rows * out_cols)


def ssim_cdtnet(pred: np.ndarray, target: np.ndarray, mask: np.ndarray | None = None) -> float:
    """CDTNet's SSIM: ``ssim_separable`` with a 7-tap Gaussian (σ = 1.5), zero padding 3, mean over the full map,
    R = max(pred) − min(pred) over the whole image (all channels). ``mask`` is ignored.

    As in the original there is no guard for a constant prediction (R = 0, so C1 = C2 = 0).
    """
    data_range = float(np.max(pred) - np.min(pred))
    return ssim_separable(pred, target, gaussian_window(7), zero_pad=True, data_range=data_range)


def ssim_wang(pred: np.ndarray, target: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Wang et al.'s SSIM: ``ssim_separable`` with an 11-tap Gaussian (σ = 1.5), R = 255, valid positions only.

    Equals skimage ``structural_similarity(pred, target, gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=255, channel_axis=-1)``. ``mask`` is ignored.
    """
    return ssim_separable(pred, target, gaussian_window(11), zero_pad=False, data_range=255.0)


def ssim_pctnet(pred: np.ndarray, target: np.ndarray, mask: np.ndarray) -> float:
    """PCT-Net's SSIM: pytorch_msssim ``ssim`` defaults (11-tap Gaussian σ = 1.5, R = 255, valid convolution) of the
    blended prediction pred·m + target·(1 − m) against the target; that is ``ssim_wang`` of the blend."""
    blended = np.subtract(pred, target, dtype=np.float64)  # computed as target + m·(pred − target): fewer passes
    blended *= mask[..., None]
    blended += target
    return ssim_wang(blended, target)
