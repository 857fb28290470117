"""Per-image harmonization metrics (MSE, PSNR, fMSE, fPSNR, SSIM) under named, versioned profiles.

No single definition of these metrics is shared by the harmonization literature: code bases differ in the PSNR
peak, in whether fMSE uses the soft or the binarised mask, in the SSIM window, border rule and data range, and in
whether MSE covers the background. A *profile* pins one complete set of definitions; results record its name and
version. Profiles:

* ``cdtnet`` (default): CDTNet / iS²AM's evaluator (``iharm/inference/metrics.py`` and ``pytorch_ssim.py`` of
  bcmi/CDTNet-High-Resolution-Image-Harmonization). Reproduces the paper's numbers.
* ``harmbench``: clean, canonical definitions (mask binarised at 0.5, PSNR peak 255, SSIM of Wang et al. equal to
  scikit-image's ``structural_similarity`` with the Gaussian settings).
* ``pctnet``: PCT-Net's evaluator (background-excluded MSE, 255 peak, pytorch_msssim SSIM of the blended prediction).

Modules: :mod:`~harmbench.metrics.reference` holds the NumPy reference definitions (one image),
:mod:`~harmbench.metrics.device` their torch batch versions (any device; SSIM on CPU by the compiled kernel of
:mod:`~harmbench.metrics.cpu_kernel`, numba, imported on first use), :mod:`~harmbench.metrics.profiles` the
profiles as open mappings key -> definition (how to add a metric is shown there) and the entry points: ``compute``
(one NumPy image), ``compute_batch`` (a batch of tensors), both running the torch definitions, and
``compute_reference`` (one image, NumPy definitions). All metrics are per image; datasets report the mean over
images.
"""

from harmbench.metrics.profiles import (
    DEFAULT_PROFILE,
    METRICS,
    PROFILES,
    MetricDefinition,
    MetricInfo,
    MetricProfile,
    compute,
    compute_batch,
    compute_reference,
    get_profile,
)
from harmbench.metrics.reference import (
    fmse_hard,
    fmse_soft,
    gaussian_window,
    masked_mse,
    mse,
    psnr_255,
    psnr_255_eps,
    psnr_target_peak,
    squared_error,
    ssim_cdtnet,
    ssim_pctnet,
    ssim_separable,
    ssim_wang,
)

__all__ = [
    "DEFAULT_PROFILE", "METRICS", "PROFILES", "MetricDefinition", "MetricInfo", "MetricProfile", "compute",
    "compute_batch", "compute_reference", "fmse_hard", "fmse_soft", "gaussian_window", "get_profile", "masked_mse",
    "mse", "psnr_255", "psnr_255_eps", "psnr_target_peak", "squared_error", "ssim_cdtnet", "ssim_pctnet",
    "ssim_separable", "ssim_wang",
]
