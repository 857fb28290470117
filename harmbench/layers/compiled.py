"""Compiled CPU kernels (numba): when one may stand in for torch's operators, how it is compiled, and its threads.
Shared by the LUT lookup (``cdtnet.lut_kernel``), the SSIM (``harmbench.metrics.cpu_kernel``) and the cv2-exact
resize (``harmbench.data.resize``).

numba is imported only by :func:`jit` and :func:`set_threads` (it takes ~0.3 s), so importing this module costs
nothing to runs that never compile a kernel.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch
from torch.utils._python_dispatch import _get_current_dispatch_mode


def eager_cpu_inference(*tensors: torch.Tensor, dtypes: tuple[torch.dtype, ...]) -> bool:
    """Whether a compiled kernel may compute from ``tensors`` instead of torch's operators: plain CPU tensors
    (no subclass) with dtypes in ``dtypes``, no gradient to record, and no dispatch mode, JIT trace or
    ``torch.compile`` watching the operators (the MAC counter of ``harmbench.efficiency`` must see them)."""
    if any(type(t) is not torch.Tensor or t.device.type != "cpu" or t.dtype not in dtypes for t in tensors):
        return False
    if torch.is_grad_enabled() and any(t.requires_grad for t in tensors):
        return False
    return not (_get_current_dispatch_mode() is not None or torch.jit.is_tracing() or torch.compiler.is_compiling())


def jit(function: Callable, name: str, *signatures, **options) -> Callable:
    """``numba.njit(*signatures, **options)(function)`` with numba's on-disk cache, or, where numba finds no writable
    cache folder (read-only install and home), without it and with a warning: the ``name`` kernel is then compiled
    again in each process."""
    import numba

    try:
        return numba.njit(*signatures, cache=True, **options)(function)
    except RuntimeError as error:
        warnings.warn(f"{function.__module__}: {error}; the {name} kernel is compiled again in each process",
                      stacklevel=2)
        return numba.njit(*signatures, cache=False, **options)(function)


def set_threads(count: int) -> None:
    """Use ``count`` threads (at most numba's pool size) for the next parallel kernel calls from this thread."""
    import numba

    numba.set_num_threads(max(1, min(count, numba.config.NUMBA_NUM_THREADS)))
