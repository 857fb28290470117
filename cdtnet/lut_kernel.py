"""The compiled CPU lookup behind :func:`cdtnet.lut.apply_lut` for inference: clamp, cell, 8-corner trilinear,
optional clip and mask blend fused in one pass over the pixels (numba, threads over blocks of pixels).

Imported by ``cdtnet.lut`` only when that path is first taken, so numba (~0.3 s to import, plus the first call's
compile, ~2 s, or its load from numba's on-disk cache) costs nothing to runs that never take it.

Arithmetic is float64 inside and rounded once to float32 on output, so the result is the float64 trilinear value to
float32 rounding. The LUT comes interleaved, ``[b, g, r, c]`` with c padded to 4: a corner's three channels share
16 bytes, so a pixel reads 8 such groups instead of 24 scattered floats. Each block is done in chunks of
:data:`CHUNK` pixels: first the lookups into a stack buffer (LLVM can tell that buffer aliases none of the arrays,
so that loop is vectorised with gathers: ~1.7x the scalar loop), then the clip and the blend into the output.

numba's thread pool is its own (OpenMP where available): a process forked after a call must not call the kernel
itself (numba stops it with a message); harmbench's forked data workers only decode and resize.
"""

from __future__ import annotations

import warnings

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

BLOCK = 16384  # pixels per parallel task: enough to amortise scheduling, few enough to balance the threads
CHUNK = 256  # pixels per stack buffer


@intrinsic
def _stack_buffer(typingctx, dtype):
    """A pointer to 3 * CHUNK elements of ``dtype`` on the stack (an alloca in the function's entry block)."""
    element = dtype.dtype

    def codegen(context, builder, signature, args):
        return cgutils.alloca_once(builder, context.get_value_type(element),
                                   size=ir.Constant(ir.IntType(64), 3 * CHUNK))

    return types.CPointer(element)(dtype), codegen


@numba.njit(inline="always")
def _blend(x, value, weight, clamp):
    """x + weight * (value - x) in float64, ``value`` first clipped to [0, 1] if ``clamp``; rounded to float32."""
    if clamp:
        value = (value if value < 1.0 else 1.0) if value > 0.0 else 0.0
    x = np.float64(x)
    return np.float32(x + weight * (value - x))


def _lookup_blend(luts, size, image, mask, has_mask, clamp, out):
    """luts (L, size**3 * 4) interleaved ``[b, g, r, c]`` with L == 1 (shared) or B; image, out (B, 3, N) float32;
    mask (B, N) when ``has_mask``. out = x + m * (LUT(x) - x), m = 1 without a mask; where m == 0, out = x exactly.

    x is clamped to [0, 1] (NaN reads as 0, so every index stays inside the LUT) and the cell index to size - 2,
    so 1 lands on the last cell's far corner.
    """
    batch, _, pixels = image.shape
    blocks = (pixels + BLOCK - 1) // BLOCK
    top = np.float64(size - 1)
    last_cell = size - 2
    row = size * 4
    plane = size * row
    for task in numba.prange(batch * blocks):
        b = task // blocks
        lut = luts[0 if luts.shape[0] == 1 else b]
        red_in, green_in, blue_in = image[b, 0], image[b, 1], image[b, 2]
        red_out, green_out, blue_out = out[b, 0], out[b, 1], out[b, 2]
        weights = mask[b if has_mask else 0]
        looked_up = numba.carray(_stack_buffer(np.float64), (3, CHUNK))
        block_start = (task % blocks) * BLOCK
        block_stop = min(block_start + BLOCK, pixels)
        for start in range(block_start, block_stop, CHUNK):
            count = min(CHUNK, block_stop - start)
            if has_mask and not weights[start:start + count].any():  # background chunk: nothing to look up
                red_out[start:start + count] = red_in[start:start + count]
                green_out[start:start + count] = green_in[start:start + count]
                blue_out[start:start + count] = blue_in[start:start + count]
                continue
            for j in range(count):  # branch-free apart from selects: vectorised
                red = np.float64(red_in[start + j])
                green = np.float64(green_in[start + j])
                blue = np.float64(blue_in[start + j])
                pr = ((red if red < 1.0 else 1.0) if red > 0.0 else 0.0) * top
                pg = ((green if green < 1.0 else 1.0) if green > 0.0 else 0.0) * top
                pb = ((blue if blue < 1.0 else 1.0) if blue > 0.0 else 0.0) * top
                ir_ = min(np.int64(pr), last_cell)
                ig = min(np.int64(pg), last_cell)
                ib = min(np.int64(pb), last_cell)
                fr, fg, fb = pr - ir_, pg - ig, pb - ib
                corner = ib * plane + ig * row + ir_ * 4  # then + 4 (r + 1), + row (g + 1), + plane (b + 1)
                for c in range(3):
                    v00 = np.float64(lut[corner + c])
                    v00 += fr * (np.float64(lut[corner + 4 + c]) - v00)
                    v01 = np.float64(lut[corner + row + c])
                    v01 += fr * (np.float64(lut[corner + row + 4 + c]) - v01)
                    v10 = np.float64(lut[corner + plane + c])
                    v10 += fr * (np.float64(lut[corner + plane + 4 + c]) - v10)
                    v11 = np.float64(lut[corner + plane + row + c])
                    v11 += fr * (np.float64(lut[corner + plane + row + 4 + c]) - v11)
                    v0 = v00 + fg * (v01 - v00)
                    looked_up[c, j] = v0 + fb * (v10 + fg * (v11 - v10) - v0)
            for j in range(count):
                i = start + j
                weight = np.float64(weights[i]) if has_mask else 1.0
                if weight != 0.0:
                    red_out[i] = _blend(red_in[i], looked_up[0, j], weight, clamp)
                    green_out[i] = _blend(green_in[i], looked_up[1, j], weight, clamp)
                    blue_out[i] = _blend(blue_in[i], looked_up[2, j], weight, clamp)
                else:
                    red_out[i], green_out[i], blue_out[i] = red_in[i], green_in[i], blue_in[i]


def _compile(cache: bool):
    return numba.njit(parallel=True, fastmath=False, cache=cache)(_lookup_blend)


try:
    lookup_blend = _compile(cache=True)
except RuntimeError as error:  # numba found no writable cache folder (read-only install and home)
    warnings.warn(f"cdtnet.lut_kernel: {error}; the LUT kernel is compiled again in each process", stacklevel=2)
    lookup_blend = _compile(cache=False)


def set_threads(count: int) -> None:
    """Use ``count`` threads (at most numba's pool size) for the next calls from this thread."""
    numba.set_num_threads(max(1, min(count, numba.config.NUMBA_NUM_THREADS)))
