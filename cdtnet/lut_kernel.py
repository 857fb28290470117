"""The compiled CPU lookup behind :func:`cdtnet.lut.apply_lut` for inference: clamp, cell, 8-corner trilinear,
optional clip and mask blend fused in one pass over the pixels (numba, threads over blocks of pixels).

Imported by ``cdtnet.lut`` only when that path is first taken, so numba (~0.3 s to import, plus the first call's
compile, 3-5 s, or its load from numba's on-disk cache) costs nothing to runs that never take it.

Arithmetic is float32 with fused multiply-adds (each lerp ``a + f * (b - a)`` rounds twice): within ~3e-7 of the
float64 definition for colours and LUT values of order 1. The LUT comes interleaved, ``[b, g, r, c]`` with c padded
to 4, so the two corners of a cell along r (r and r + 1, all channels) are 8 consecutive floats: a pixel's 8
corners are 4 vector loads, interpolated along g and b on 8 lanes, then along r on 4 (:func:`_trilinear_cell`,
written in LLVM IR because numba has no vector types; LLVM's own vectoriser turns the lookup into 24 gathers per
pixel, which took ~1.7x the time in a same-process comparison). Each block is done in chunks of :data:`CHUNK`
pixels: first the cells and fractions of the chunk into stack buffers (a loop LLVM vectorises: half the time of
computing them pixel by pixel), then the lookups and the blend, pixel by pixel. Single-threaded at 2048² the kernel
takes ~14 ms of CPU time, of which ~6.5 ms is the memory traffic alone (a pass that only reads and writes); the
float64, gather-based kernel this one replaced took 57-60 ms (float32 alone made that 47 ms).

Threads: numba hands each thread one run of consecutive tasks, so the tasks visit the blocks in a scattered order
(:func:`_scattering_stride`). numba's thread pool is its own (OpenMP where available, as here: TBB is not installed;
the workqueue layer would stop the process if two Python threads called the kernel at once): a process forked
after a call must not call the kernel itself (numba stops it with a message); harmbench's forked data workers only
decode and resize.
"""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from harmbench.layers.compiled import jit

BLOCK = 16384  # pixels per parallel task: enough to amortise scheduling, few enough to balance the threads
CHUNK = 128  # pixels per stack buffer (measured ~5 % faster than 64 or 256)


@intrinsic
def _stack_buffer(typingctx, dtype):
    """A pointer to 3 * CHUNK elements of ``dtype`` on the stack (an alloca in the function's entry block)."""
    element = dtype.dtype

    def codegen(context, builder, signature, args):
        return cgutils.alloca_once(builder, context.get_value_type(element),
                                   size=ir.Constant(ir.IntType(64), 3 * CHUNK))

    return types.CPointer(element)(dtype), codegen


def _splat(builder: ir.IRBuilder, value: ir.Value, lanes: int) -> ir.Value:
    """A float vector of ``lanes`` copies of ``value``."""
    vector = ir.VectorType(ir.FloatType(), lanes)
    single = builder.insert_element(ir.Constant(vector, None), value, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(single, ir.Constant(vector, None),
                                  ir.Constant(ir.VectorType(ir.IntType(32), lanes), [0] * lanes))


def _lerp(builder: ir.IRBuilder, low: ir.Value, high: ir.Value, fraction: ir.Value) -> ir.Value:
    """low + fraction * (high - low) on float vectors, the multiply-add fused."""
    vector = low.type
    fma = cgutils.get_or_insert_function(builder.module, ir.FunctionType(vector, [vector] * 3),
                                         f"llvm.fma.v{vector.count}f32")
    return builder.call(fma, [fraction, builder.fsub(high, low), low])


@intrinsic
def _trilinear_cell(typingctx, lut, corner, row, plane, fr, fg, fb):
    """The 3 trilinear channels in the cell whose (r, g, b) low corner starts at float ``corner`` of the interleaved
    1-D ``lut`` (``row``, ``plane``: the float strides of g and b); ``fr, fg, fb`` the fractions inside it."""
    def codegen(context, builder, signature, args):
        lut_value, corner, row, plane, fr, fg, fb = args
        data = context.make_array(signature.args[0])(context, builder, lut_value).data
        pair_pointer = ir.VectorType(ir.FloatType(), 8).as_pointer()

        def pair(offset):  # corners r and r + 1, 4 channels each
            return builder.load(builder.bitcast(builder.gep(data, [offset]), pair_pointer), align=4)

        fg8, fb8 = _splat(builder, fg, 8), _splat(builder, fb, 8)
        upper = builder.add(corner, plane)
        low_b = _lerp(builder, pair(corner), pair(builder.add(corner, row)), fg8)
        high_b = _lerp(builder, pair(upper), pair(builder.add(upper, row)), fg8)
        along_r = _lerp(builder, low_b, high_b, fb8)  # still two corners: r (lanes 0-3) and r + 1 (lanes 4-7)
        quarter = ir.VectorType(ir.IntType(32), 4)
        value = _lerp(builder, builder.shuffle_vector(along_r, along_r, ir.Constant(quarter, [0, 1, 2, 3])),
                      builder.shuffle_vector(along_r, along_r, ir.Constant(quarter, [4, 5, 6, 7])),
                      _splat(builder, fr, 4))
        result = cgutils.get_null_value(context.get_value_type(signature.return_type))
        for c in range(3):
            result = builder.insert_value(result, builder.extract_element(value, ir.Constant(ir.IntType(32), c)), c)
        return result

    return types.UniTuple(types.float32, 3)(lut, corner, row, plane, fr, fg, fb), codegen


@numba.njit(inline="always")
def _scattering_stride(count):
    """A stride coprime to ``count`` near count / golden ratio: ``task * stride % count`` visits every block once,
    and any run of consecutive tasks visits blocks spread evenly over the images."""
    stride = max(1, int(count * 0.6180339887))
    while np.gcd(stride, count) != 1:
        stride += 1
    return stride


@numba.njit(inline="always")
def _clip(value):
    """value clipped to [0, 1], NaN to 0."""
    return (value if value < np.float32(1.0) else np.float32(1.0)) if value > np.float32(0.0) else np.float32(0.0)


@numba.njit(inline="always")
def _blend(x, value, weight, clamp):
    """x + weight * (value - x), ``value`` first clipped to [0, 1] if ``clamp``."""
    return x + weight * ((_clip(value) if clamp else value) - x)


def _lookup_blend(luts, size, image, mask, has_mask, clamp, out):
    """luts (L, size**3 * 4) interleaved ``[b, g, r, c]`` with L == 1 (shared) or B; image, out (B, 3, N) float32;
    mask (B, N) when ``has_mask``. out = x + m * (LUT(x) - x), m = 1 without a mask; where m == 0, out = x exactly.

    x is clamped to [0, 1] (NaN reads as 0, so every index stays inside the LUT) and the cell index to size - 2,
    so 1 lands on the last cell's far corner.
    """
    batch, _, pixels = image.shape
    blocks = (pixels + BLOCK - 1) // BLOCK
    top = np.float32(size - 1)
    last_cell = np.int32(size - 2)
    row = np.int32(size * 4)
    plane = np.int32(size) * row
    # numba hands each thread one run of consecutive tasks (the OpenMP layer ignores numba's chunk size): scattered
    # blocks keep a foreground in one part of an image from leaving one thread the lookups and the others the copies
    stride = _scattering_stride(batch * blocks)
    for task in numba.prange(batch * blocks):
        block = task * stride % (batch * blocks)
        b = block // blocks
        lut = luts[0 if luts.shape[0] == 1 else b]
        red_in, green_in, blue_in = image[b, 0], image[b, 1], image[b, 2]
        red_out, green_out, blue_out = out[b, 0], out[b, 1], out[b, 2]
        weights = mask[b if has_mask else 0]
        fractions = numba.carray(_stack_buffer(np.float32), (3, CHUNK))
        corners = numba.carray(_stack_buffer(np.int32), (3, CHUNK))[0]
        block_start = (block % blocks) * BLOCK
        block_stop = min(block_start + BLOCK, pixels)
        for start in range(block_start, block_stop, CHUNK):
            count = min(CHUNK, block_stop - start)
            if has_mask and not weights[start:start + count].any():  # background chunk: nothing to look up
                red_out[start:start + count] = red_in[start:start + count]
                green_out[start:start + count] = green_in[start:start + count]
                blue_out[start:start + count] = blue_in[start:start + count]
                continue
            # unsigned indices: numba then skips its negative-index wraparound, whose selects keep LLVM from
            # vectorising the first loop (it used gathers instead) and cost both loops ~35 % of the kernel's time
            first = np.uint64(start)
            for j in range(np.uint64(count)):  # branch-free apart from selects: vectorised
                i = first + j
                pr = _clip(red_in[i]) * top
                pg = _clip(green_in[i]) * top
                pb = _clip(blue_in[i]) * top
                ir_ = min(np.int32(pr), last_cell)
                ig = min(np.int32(pg), last_cell)
                ib = min(np.int32(pb), last_cell)
                fractions[0, j] = pr - np.float32(ir_)
                fractions[1, j] = pg - np.float32(ig)
                fractions[2, j] = pb - np.float32(ib)
                corners[j] = ib * plane + ig * row + ir_ * np.int32(4)
            for j in range(np.uint64(count)):
                i = first + j
                weight = weights[i] if has_mask else np.float32(1.0)
                if weight == np.float32(0.0):
                    red_out[i], green_out[i], blue_out[i] = red_in[i], green_in[i], blue_in[i]
                    continue
                red, green, blue = _trilinear_cell(lut, np.int64(corners[j]), np.int64(row), np.int64(plane),
                                                   fractions[0, j], fractions[1, j], fractions[2, j])
                red_out[i] = _blend(red_in[i], red, weight, clamp)
                green_out[i] = _blend(green_in[i], green, weight, clamp)
                blue_out[i] = _blend(blue_in[i], blue, weight, clamp)


# contract: lets LLVM fuse the blend's multiply-add (one rounding fewer; nothing else is relaxed)
# nogil: harmbench's data worker threads decode and resize while the lookup runs
lookup_blend = jit(_lookup_blend, "LUT", parallel=True, fastmath={"contract"}, nogil=True)
