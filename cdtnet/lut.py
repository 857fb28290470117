"""CDTNet's colour mapping module: N basis 3D LUTs mixed by per-image weights predicted from the encoder bottleneck.

LUT layout is the original one, ``LUT[c_out, b, g, r]`` (red varies fastest; LUT0 starts as the identity, the
others as zeros). The original trilinear CUDA kernel reads its input as if it were laid out (3, B, H, W), so it is
only right for batch 1; here the lookup is ``grid_sample`` (5-D "bilinear" = trilinear, ``align_corners=True`` puts
-1/+1 on the corner nodes, border padding), correct for any batch. Because the weights are per-image scalars and
trilinear interpolation is linear in the LUT entries, ``sum_n w_n LUT_n(x) = (sum_n w_n LUT_n)(x)``: the weighted
LUTs are fused first and looked up once.

Two paths, the same values: the compiled one within ~3e-7 of the float64 definition (float32 arithmetic), the
general one within ~1e-5 of it (its float32 grid coordinates cost ~1e-6 of position).

- **compiled** (``cdtnet.lut_kernel``, numba): CPU float32 inference, i.e. no tensor needs a gradient while autograd
  is on, with numba installed. One fused, threaded pass (clamp, trilinear, clip, blend) over the pixels that skips
  background runs. At 2048² on 2 threads it took 0.119-0.122x the time of one plain ``grid_sample`` lookup in four
  runs of benchmarks/test_lut_bench.py on 2026-12-02 (medians 21-28 ms against 179-234 ms), measured on this
  project's 2-core machine while two other busy processes shared it (load average 3.1-3.6), so that the kernel's
  two threads got about one core between them (1.2-1.3x for the general path, measured earlier on an idle
  machine): the 3-D grid sampler runs one thread for a batch of one, and ``grid_sample`` followed by the blend
  writes the image three times. Single-threaded a 2048² call takes ~24 ms of CPU time: ~14 ms in the kernel (~6.5
  ms of it the memory traffic alone: read image and mask, write the output) and ~7 ms more for the first touches
  of the fresh output's pages. That output is allocated by numpy, which asks the kernel for huge pages for large
  arrays (filling a fresh 48 MB array costs ~4 ms instead of ~20 ms). It uses ``torch.get_num_threads()`` threads.
  The first call in a process compiles the kernel (3-5 s) or loads it from numba's on-disk cache (~0.5 s with
  numba's import).
- **general** (``grid_sample``): everything else, so gradients, CUDA, float64, ``meta`` tensors, and whatever runs
  under a dispatch mode (the MAC counter of ``harmbench.efficiency`` must see the ``grid_sample`` it counts), a JIT
  trace or ``torch.compile``. PyTorch's CPU 3-D grid sampler parallelises over the batch only, so on CPU the pixels
  are cut into one chunk per thread, each a batch item sharing the (expanded, not copied) LUT. Pixels with
  mask == 0 keep the input, so when the foreground is small only its pixels are looked up.
"""

from __future__ import annotations

import functools
from types import ModuleType

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from harmbench.layers.compiled import eager_cpu_inference, set_threads


def identity_lut(size: int) -> torch.Tensor:
    """(3, D, D, D) identity in the ``[c, b, g, r]`` layout: LUT[0] = r, LUT[1] = g, LUT[2] = b, on [0, 1]."""
    ramp = torch.linspace(0, 1, size)
    b, g, r = torch.meshgrid(ramp, ramp, ramp, indexing="ij")
    return torch.stack([r, g, b])


def _chunk_count(points: int, device: torch.device) -> int:
    """Chunks for the CPU grid sampler: one per thread, reduced to a divisor of the point count (views, no padding)."""
    if device.type != "cpu":
        return 1
    chunks = max(1, min(torch.get_num_threads(), points))
    while points % chunks:
        chunks -= 1
    return chunks


def _trilinear(luts: torch.Tensor, colours: torch.Tensor) -> torch.Tensor:
    """luts (B, 3, D, D, D); colours (B, 3, n) -> looked-up colours as a (B, 3, chunks, n / chunks) view.

    The LUT is padded to 2D - 1 nodes per axis, its lower half replicating the 0 faces, so that with
    ``align_corners=True`` a colour v in [0, 1] used directly as the grid coordinate lands on node v * (D - 1) of
    the original LUT: no ``2v - 1`` grid has to be written (the grid is a view of the colours), and values outside
    [0, 1] still clamp to the faces as with border padding. Costs ~1e-6 of coordinate precision (float32).
    """
    batch, _, points = colours.shape
    chunks = _chunk_count(points, colours.device)
    per_chunk = points // chunks
    size = luts.shape[-1]
    padded = F.pad(luts, (size - 1, 0) * 3, mode="replicate")
    padded = padded.unsqueeze(1).expand(batch, chunks, *padded.shape[1:]).reshape(batch * chunks, *padded.shape[1:])
    # grid (x, y, z) = (r, g, b) indexes the LUT's (W, H, D) = (r, g, b)
    grid = colours.view(batch, 3, chunks, per_chunk).permute(0, 2, 3, 1).reshape(batch * chunks, 1, 1, per_chunk, 3)
    looked_up = F.grid_sample(padded, grid, mode="bilinear", padding_mode="border", align_corners=True)
    return looked_up.view(batch, chunks, 3, per_chunk).transpose(1, 2)


def _lookup_and_blend(luts: torch.Tensor, colours: torch.Tensor, weights: torch.Tensor, clamp: bool) -> torch.Tensor:
    """(B, 3, n) colours, (B, 1, n) mask values -> weights * LUT(colours) + (1 - weights) * colours, (B, 3, n)."""
    looked_up = _trilinear(luts, colours)
    if clamp:
        looked_up = looked_up.clamp(0, 1)
    shape = looked_up.shape
    blended = torch.lerp(colours.view(shape), looked_up, weights.view(shape[0], 1, *shape[2:]))
    return blended.reshape(colours.shape)


@functools.cache
def _compiled_kernel() -> ModuleType | None:
    """``cdtnet.lut_kernel``, or None without numba (imported on first use: numba takes ~0.3 s to import)."""
    try:
        from cdtnet import lut_kernel
    except ImportError:
        return None
    return lut_kernel


def _shapes_fit_the_kernel(luts: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None) -> bool:
    """The shapes the kernel indexes without checks; anything else goes to the general path (and its errors)."""
    size = luts.shape[-1]
    return (luts.ndim == 5 and luts.shape[1:] == (3, size, size, size) and size >= 2 and image.ndim == 4
            and image.shape[1] == 3 and luts.shape[0] in (1, image.shape[0])
            and (mask is None or mask.shape == (image.shape[0], 1, *image.shape[2:])))


def _compiled_path_applies(luts: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None) -> bool:
    """Shapes the kernel can take, plain float32 CPU tensors, no gradient to record, and no dispatch mode, trace or
    compile watching torch's operators."""
    tensors = [t for t in (luts, image, mask) if t is not None]
    return (_shapes_fit_the_kernel(luts, image, mask) and eager_cpu_inference(*tensors, dtypes=(torch.float32,))
            and _compiled_kernel() is not None)


def _apply_compiled(luts: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None, clamp: bool) -> torch.Tensor:
    """The compiled path of :func:`apply_lut` (same arguments; ``luts`` with a batch of 1 or B).

    Only numpy touches the data before the kernel: torch and numba each have their own OpenMP thread pool (two
    copies of libgomp) whose threads spin-wait for a while after each parallel region, so a torch operator between
    kernel calls and the kernel slowed each other down (measured: +10-18 ms per 2048² call, 2 threads, shared machine).
    """
    kernel = _compiled_kernel()
    batch, _, height, width = image.shape
    size = luts.shape[-1]
    # [c, b, g, r] -> [b, g, r, c] with c padded to 4: a cell's corners r and r + 1 are 8 consecutive floats
    interleaved = np.zeros((luts.shape[0], size, size, size, 4), dtype=np.float32)
    interleaved[..., :3] = luts.detach().numpy().transpose(0, 2, 3, 4, 1)
    colours = np.ascontiguousarray(image.detach().numpy()).reshape(batch, 3, height * width)
    weights = (np.ascontiguousarray(mask.detach().numpy()).reshape(batch, height * width) if mask is not None
               else np.ones((1, 1), dtype=np.float32))  # unread placeholder
    out = np.empty((batch, 3, height * width), dtype=np.float32)  # numpy: huge pages for large arrays
    set_threads(torch.get_num_threads())
    kernel.lookup_blend(interleaved.reshape(luts.shape[0], -1), size, colours, weights, mask is not None, clamp, out)
    return torch.from_numpy(out).view(batch, 3, height, width)


SPARSE_FRACTION = 0.25  # on CPU, below this foreground fraction only foreground pixels are looked up


def apply_lut(luts: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None = None,
              clamp: bool = False) -> torch.Tensor:
    """Trilinear lookup of per-image LUTs.

    luts: (B, 3, D, D, D) in the ``[c, b, g, r]`` layout (or (1, ...) shared by the batch); image: (B, 3, H, W) RGB
    in [0, 1] (values outside are clamped to the LUT's border). With ``mask`` (B, 1, H, W) the result is composited
    as ``mask * LUT(image) + (1 - mask) * image``, so mask == 0 keeps the input exactly; when the foreground is small
    only its pixels are looked up (same values, less work). ``clamp`` clips the looked-up colours to [0, 1] before
    compositing. CPU float32 inference takes the compiled path (module docstring).
    """
    if _compiled_path_applies(luts, image, mask):
        return _apply_compiled(luts, image, mask, clamp)
    batch, _, height, width = image.shape
    luts = luts.expand(batch, *luts.shape[1:])
    colours = image.reshape(batch, 3, height * width)
    if mask is None:
        looked_up = _trilinear(luts, colours)
        return (looked_up.clamp(0, 1) if clamp else looked_up).reshape(batch, 3, height, width)
    weights = mask.reshape(batch, 1, height * width)
    # on GPUs the dense lookup is cheap and counting would synchronise
    if image.device.type != "cpu" or torch.count_nonzero(weights) > SPARSE_FRACTION * weights.numel():
        return _lookup_and_blend(luts, colours, weights, clamp).reshape(batch, 3, height, width)
    result = colours.clone()
    for b in range(batch):  # foreground sizes differ between images
        foreground = weights[b, 0].nonzero().squeeze(1)
        blended = _lookup_and_blend(luts[b:b + 1], colours[b:b + 1, :, foreground],
                                    weights[b:b + 1, :, foreground], clamp)
        result[b].index_copy_(1, foreground, blended[0])
    return result.view(batch, 3, height, width)


class BasisLUT(nn.Module):
    """One basis LUT, a parameter under the official name ``LUT``."""

    def __init__(self, size: int, identity: bool):
        super().__init__()
        self.LUT = nn.Parameter(identity_lut(size) if identity else torch.zeros(3, size, size, size))


class WeightPredictor(nn.Module):
    """Per-image LUT weights from the bottleneck feature: 1x1 conv, pooling, 1x1 conv ``fc`` (no softmax).

    ``pooling="fg-bg"`` (the paper's): the full-resolution mask is resized (bilinear) to the feature size and the
    foreground and background are average-pooled over *all* positions (not divided by their areas), concatenated
    [fg, bg]. ``pooling="global"`` (Table 4 row 4): plain global average pooling.
    """

    def __init__(self, in_channels: int, n_lut: int, pooling: str):
        super().__init__()
        self.pooling = pooling
        self.conv = nn.Conv2d(in_channels, in_channels, kernel_size=1)
        self.fc = nn.Conv2d(in_channels * (2 if pooling == "fg-bg" else 1), n_lut, kernel_size=1)
        nn.init.xavier_normal_(self.conv.weight)
        nn.init.xavier_normal_(self.fc.weight)
        nn.init.constant_(self.fc.bias, 1.0)

    def forward(self, features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.conv(features)
        if self.pooling == "fg-bg":
            small_mask = F.interpolate(mask, size=x.shape[-2:], mode="bilinear", align_corners=False)
            pooled = torch.cat([(x * small_mask).mean(dim=(2, 3), keepdim=True),
                                (x * (1 - small_mask)).mean(dim=(2, 3), keepdim=True)], dim=1)
        else:
            pooled = x.mean(dim=(2, 3), keepdim=True)
        return self.fc(pooled).flatten(1)


class ColorMapping(nn.Module):
    """The ``lut`` module: basis LUTs ``LUT0..LUT{N-1}`` and the weight predictor ``classifier``.

    ``encoder``: None when the weight predictor reads the low-resolution generator's bottleneck (the paper's shared
    encoder), else a separate encoder of the same architecture (Table 4 row 3), run by the caller.
    """

    def __init__(self, feature_channels: int, n_lut: int, lut_size: int, pooling: str, clamp: bool,
                 encoder: nn.Module | None = None):
        super().__init__()
        self.n_lut = n_lut
        self.clamp = clamp
        for k in range(n_lut):
            setattr(self, f"LUT{k}", BasisLUT(lut_size, identity=k == 0))
        self.classifier = WeightPredictor(feature_channels, n_lut, pooling)
        self.encoder = encoder

    def basis(self) -> torch.Tensor:
        """(N, 3, D, D, D) stack of the basis LUTs."""
        return torch.stack([getattr(self, f"LUT{k}").LUT for k in range(self.n_lut)])

    def forward(self, features: torch.Tensor, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """features: bottleneck (B, L, h, w); image: (B, 3, H, W) in [0, 1] (not normalised); mask (B, 1, H, W)."""
        weights = self.classifier(features, mask)
        fused = torch.einsum("bn,ncdhw->bcdhw", weights, self.basis())
        return apply_lut(fused, image, mask, clamp=self.clamp)
