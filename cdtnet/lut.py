"""CDTNet's colour mapping module: N basis 3D LUTs mixed by per-image weights predicted from the encoder bottleneck.

LUT layout is the original one, ``LUT[c_out, b, g, r]`` (red varies fastest; LUT0 starts as the identity, the
others as zeros). The original trilinear CUDA kernel reads its input as if it were laid out (3, B, H, W), so it is
only right for batch 1; the lookups here are correct for any batch. Because the weights are per-image scalars and
trilinear interpolation is linear in the LUT entries, ``sum_n w_n LUT_n(x) = (sum_n w_n LUT_n)(x)``: the weighted
LUTs are fused first and looked up once.

Two implementations of the same trilinear lookup (colours clamped to [0, 1], node k of D at k / (D - 1)):

- a gather path, used on CPU for float32 when nothing records autograd (inference): cell index and fractions per
  channel, 12 gathers of (r, r + 1) float32 pairs packed as int64 from a flat copy of the LUT, then three lerps
  (g, b, r) and the mask blend, over small chunks of pixels spread over worker threads. Exact gather arithmetic;
  on 2 threads about half the time of one plain ``grid_sample`` call (whose CPU 3-D sampler is scalar code on one
  thread per batch item), see benchmarks/test_lut_bench.py.
- ``grid_sample`` (5-D "bilinear" = trilinear, ``align_corners=True`` puts -1/+1 on the corner nodes, border
  padding) otherwise: on GPUs, whenever autograd records (training: differentiable without storing per-pixel
  corner values) and under ``torch.jit.trace``. On CPU the pixels are cut into one chunk per thread, each a batch
  item sharing the (expanded, not copied) LUT.

Pixels with mask == 0 keep the input, so when the foreground is small only its pixels are looked up.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import torch
import torch.nn.functional as F
from torch import nn


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


def _grid_sample_trilinear(luts: torch.Tensor, colours: torch.Tensor) -> torch.Tensor:
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


def _grid_sample_lookup_and_blend(luts: torch.Tensor, colours: torch.Tensor, weights: torch.Tensor | None,
                                  clamp: bool) -> torch.Tensor:
    """The differentiable lookup: (B, 3, n) colours, (B, 1, n) mask values or None -> (B, 3, n)."""
    looked_up = _grid_sample_trilinear(luts, colours)
    if clamp:
        looked_up = looked_up.clamp(0, 1)
    if weights is None:
        return looked_up.reshape(colours.shape)
    shape = looked_up.shape
    blended = torch.lerp(colours.view(shape), looked_up, weights.view(shape[0], 1, *shape[2:]))
    return blended.reshape(colours.shape)


# Gather path: pixels per chunk. Every torch call on a chunk handles at most 6 * 5456 = 32736 elements, under
# torch's intra-op grain (32768), so it runs serially on the worker thread that issued it: the chunks are spread
# over torch.get_num_threads() Python threads (torch releases the GIL inside its kernels) instead of OpenMP regions,
# ~20 per chunk, whose barriers stall for a whole scheduler slice whenever a busy machine deschedules a thread.
CHUNK_PIXELS = 5456


def _pair_table(lut: torch.Tensor) -> torch.Tensor:
    """(3, D, D, D) float32 LUT -> flat int64 table, entry ``((c * D + b) * D + g) * (D - 1) + r`` holding the
    float32 pair (LUT[c, b, g, r], LUT[c, b, g, r + 1]) bit for bit, so one 8-byte gather fetches both r corners."""
    return torch.stack([lut[..., :-1], lut[..., 1:]], dim=-1).contiguous().view(torch.int64).view(-1)


def _corner_offsets(size: int) -> torch.Tensor:
    """(2, 6, 1) int32: the pair-table offset of corner (db, dg) of channel c, at [db, dg * 3 + c], from a cell's
    (db, dg) = (0, 0) pair of channel 0."""
    cells = size - 1
    offsets = [[db * size * cells + dg * cells + c * size * size * cells] for db in (0, 1) for dg in (0, 1)
               for c in range(3)]
    return torch.tensor(offsets, dtype=torch.int32).view(2, 6, 1)


class _Workspace:
    """Flat buffers for the chunks of one worker thread, reused by each of its chunks."""

    def __init__(self, pixels: int):
        self.position = torch.empty(3 * pixels)
        self.cell = torch.empty(3 * pixels)
        self.base_float = torch.empty(pixels)
        self.base = torch.empty(pixels, dtype=torch.int32)
        self.index = torch.empty(12 * pixels, dtype=torch.int32)
        self.corners = torch.empty(12 * pixels, dtype=torch.int64)
        self.fraction_pairs = torch.empty(4 * pixels)
        self.along_g = torch.empty(12 * pixels)
        self.along_b = torch.empty(6 * pixels)
        self.looked_up = torch.empty(3 * pixels)

    @staticmethod
    def view(buffer: torch.Tensor, *shape: int) -> torch.Tensor:
        """The first prod(shape) elements of a flat buffer, as a contiguous tensor of that shape."""
        return buffer[:math.prod(shape)].view(shape)


def _gather_chunk(table: torch.Tensor, offsets: torch.Tensor, size: int, colours: torch.Tensor,
                  weights: torch.Tensor | None, clamp: bool, out: torch.Tensor, work: _Workspace) -> None:
    """Trilinear lookup of m pixels: colours (3, m), weights (1, m) or None; writes (3, m) into ``out``.

    Cell index i = min(floor(p), D - 2) and fraction f = p - i of p = clamp(v, 0, 1) * (D - 1) per channel, so
    v == 1 is the last cell's far corner. Interpolation order g, b, r: the gathered pairs are interleaved
    (r, r + 1), so the g and b lerps run on contiguous data with their fractions written twice, and only the last,
    smallest lerp (along r) reads strided pairs.
    """
    cells = size - 1
    pixels = colours.shape[1]
    g_stride, b_stride = cells, size * cells
    position = torch.clamp(colours, 0, 1, out=work.view(work.position, 3, pixels)).mul_(cells)
    cell = torch.floor(position, out=work.view(work.cell, 3, pixels)).clamp_(max=cells - 1)
    fraction = position.sub_(cell)
    r, g, b = cell
    base_float = torch.add(r, g, alpha=g_stride, out=work.view(work.base_float, pixels)).add_(b, alpha=b_stride)
    base = work.view(work.base, pixels).copy_(base_float)
    base.clamp_(0, (cells - 1) * (1 + g_stride + b_stride))  # NaN colours: a valid index, NaN fraction
    index = work.view(work.index, 2, 6, pixels)
    corners = work.view(work.corners, 2, 6 * pixels)
    for db in (0, 1):  # halves of 6 m elements, under the grain
        torch.add(base, offsets[db], out=index[db])
        torch.index_select(table, 0, index[db].view(-1), out=corners[db])
    corners = corners.view(torch.float32).view(2, 2, 3, 2 * pixels)  # (db, dg, c, per pixel the (r, r + 1) pair)
    fraction_pairs = work.view(work.fraction_pairs, 2, pixels, 2)
    fraction_pairs[..., 0] = fraction[1:]
    fraction_pairs[..., 1] = fraction[1:]
    fraction_g, fraction_b = fraction_pairs.view(2, 2 * pixels)
    along_g = work.view(work.along_g, 2, 3, 2 * pixels)
    for db in (0, 1):
        torch.lerp(corners[db, 0], corners[db, 1], fraction_g, out=along_g[db])
    pairs = torch.lerp(along_g[0], along_g[1], fraction_b, out=work.view(work.along_b, 3, 2 * pixels))
    pairs = pairs.view(3, pixels, 2)
    looked_up = out if weights is None else work.view(work.looked_up, 3, pixels)
    torch.lerp(pairs[..., 0], pairs[..., 1], fraction[0], out=looked_up)
    if clamp:
        looked_up.clamp_(0, 1)
    if weights is not None:
        torch.lerp(colours, looked_up, weights, out=out)


def _gather_lookup_and_blend(luts: torch.Tensor, colours: torch.Tensor, weights: torch.Tensor | None,
                             clamp: bool) -> torch.Tensor:
    """The inference lookup: (B, 3, n) colours, (B, 1, n) mask values or None -> (B, 3, n); the values of
    ``_grid_sample_lookup_and_blend`` up to float32 rounding (exact gather arithmetic), no autograd. Each worker
    thread takes a contiguous share of the chunks."""
    batch, _, points = colours.shape
    size = luts.shape[-1]
    out = torch.empty_like(colours)
    tables = [_pair_table(lut) for lut in luts]
    offsets = _corner_offsets(size)
    chunks = [(item, start) for item in range(batch) for start in range(0, points, CHUNK_PIXELS)]
    inference = torch.is_inference_mode_enabled()  # thread-local, like grad mode: handed to the workers

    def run(share: list[tuple[int, int]]) -> None:
        work = _Workspace(min(points, CHUNK_PIXELS))
        with torch.inference_mode(inference), torch.no_grad():
            for item, start in share:
                span = slice(start, start + CHUNK_PIXELS)
                _gather_chunk(tables[item], offsets, size, colours[item, :, span],
                              None if weights is None else weights[item, :, span], clamp, out[item, :, span], work)

    workers = min(torch.get_num_threads(), len(chunks))
    if workers <= 1:  # no chunk at all for an empty foreground
        run(chunks)
        return out
    with ThreadPoolExecutor(workers) as pool:
        shares = [chunks[k * len(chunks) // workers:(k + 1) * len(chunks) // workers] for k in range(workers)]
        for future in [pool.submit(run, share) for share in shares]:
            future.result()
    return out


def _lookup_and_blend(luts: torch.Tensor, colours: torch.Tensor, weights: torch.Tensor | None,
                      clamp: bool) -> torch.Tensor:
    """(B, 3, n) colours, (B, 1, n) mask values or None -> weights * LUT(colours) + (1 - weights) * colours, or
    LUT(colours) without weights, (B, 3, n). The gather path on CPU float32 without autograd, else grid_sample;
    grid_sample also under ``torch.jit.trace`` (the MAC counter of ``harmbench.efficiency``, whose rule for the
    lookup is grid_sample's 8 MACs per looked-up value; the gather path's dtype views do not trace)."""
    inputs = (luts, colours) if weights is None else (luts, colours, weights)
    recording = torch.is_grad_enabled() and any(tensor.requires_grad for tensor in inputs)
    cpu_float32 = colours.device.type == "cpu" and all(tensor.dtype == torch.float32 for tensor in inputs)
    if cpu_float32 and not recording and not torch.jit.is_tracing():
        return _gather_lookup_and_blend(luts, colours, weights, clamp)
    return _grid_sample_lookup_and_blend(luts, colours, weights, clamp)


SPARSE_FRACTION = 0.25  # on CPU, below this foreground fraction only foreground pixels are looked up


def apply_lut(luts: torch.Tensor, image: torch.Tensor, mask: torch.Tensor | None = None,
              clamp: bool = False) -> torch.Tensor:
    """Trilinear lookup of per-image LUTs.

    luts: (B, 3, D, D, D) in the ``[c, b, g, r]`` layout (or (1, ...) shared by the batch); image: (B, 3, H, W) RGB
    in [0, 1] (values outside are clamped to the LUT's border). With ``mask`` (B, 1, H, W) the result is composited
    as ``mask * LUT(image) + (1 - mask) * image``, so mask == 0 keeps the input exactly; when the foreground is small
    only its pixels are looked up (same values, less work). ``clamp`` clips the looked-up colours to [0, 1] before
    compositing.
    """
    batch, _, height, width = image.shape
    luts = luts.expand(batch, *luts.shape[1:])
    colours = image.reshape(batch, 3, height * width)
    if mask is None:
        return _lookup_and_blend(luts, colours, None, clamp).reshape(batch, 3, height, width)
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
