"""The compiled CPU metric kernels (numba, threads over bands of rows): the SSIM behind
:func:`harmbench.metrics.device.ssim_separable` (per image, the sum of the SSIM map in one fused pass over the two
images, with no full-size intermediates), and the squared error and per-image sums behind the error metrics.

Imported by ``device`` only when that path is first taken, so numba (~0.3 s to import, plus the first call's
compile, ~10 s, or its load from numba's on-disk cache, ~0.5 s) costs nothing to runs that never take it.

Same arithmetic as the torch path (the reference's method): both images are centred on the target's rounded mean,
the four maps [x, y, x² + y², x·y] are filtered in float32, first along each row into a ring buffer holding the
last ``size`` filtered rows, then down the columns of that buffer; the SSIM formula runs in float64 on the filtered
values and the map is summed in float64 (per output column, so the sum vectorises). float32 and float64 inputs
are compiled separately; the centring subtracts in the input dtype and rounds once to float32, as torch does.
One task is one (image, channel, band of :data:`BAND_ROWS` output rows): its buffers (≤ 11 x 4 filtered rows,
~360 KB at 2048 columns) stay in the L2 cache, and each band filters its ``size − 1`` rows of overlap again (~8 %
more row filtering at 128 rows, against whole-image passes through memory). Measured at 2048² on one thread, CPU time
of ``compute_batch(..., keys=("ssim",))`` in one process, best of 7: 40 ms (cdtnet: 7 taps, zero padding), 48-50 ms
(harmbench, pctnet: 11 taps, valid) against 127, 157 and 204 ms with the torch path.

numba's thread pool is its own (OpenMP or TBB where available, else workqueue): a process forked after a call
must not call the kernel itself (numba stops it with a message), and the workqueue layer takes calls from one
thread at a time. harmbench computes metrics in the main process, from its main loop only; its data workers
(threads or forked processes) only decode and resize. The kernels release the GIL (``nogil``), so worker threads
keep decoding while they run.
"""

from __future__ import annotations

import numba
import numpy as np

from harmbench.layers.compiled import jit

BAND_ROWS = 128  # output rows per task: few enough tasks to balance 2-16 threads at 2048², little overlap


def _band_sum(pred_image, target_image, mask_image, blend, shift, c1, c2, taps, radius, first_out, stop_out):
    """Σ of the SSIM map of one channel (H x W arrays; ``mask_image`` read only when ``blend``) over output rows
    [first_out, stop_out); arguments as ``_ssim_band_sums``, per image.

    A function of its own, called from the parallel loop: inside a ``prange`` body numba's parallel lowering kept
    these loops from vectorising as well (measured 2x slower row filtering)."""
    height, width = pred_image.shape
    size = taps.shape[0]
    middle = size // 2
    padded_width = width + 2 * radius
    out_cols = padded_width - size + 1
    shift = np.float32(shift)
    stack = np.empty((4, padded_width), dtype=np.float32)
    x, y, squares, products = stack[0], stack[1], stack[2], stack[3]
    x[:] = -shift  # the zero border, centred: only rows inside the image overwrite their middle
    y[:] = -shift
    ring = np.empty((size, 4, out_cols), dtype=np.float32)
    columns = np.empty((4, out_cols), dtype=np.float32)
    sums = np.zeros(out_cols, dtype=np.float64)  # per output column: the running sum vectorises, a scalar not
    # padded input rows [first_out, stop_out + size − 1): padded row p is image row p − radius
    for padded_row in range(first_out, stop_out + size - 1):
        row = padded_row - radius
        if 0 <= row < height:
            pred_row, target_row, mask_row = pred_image[row], target_image[row], mask_image[row]
            x_inner, y_inner = x[radius : radius + width], y[radius : radius + width]
            if blend:
                for j in range(width):
                    x_inner[j] = target_row[j] + mask_row[j] * (pred_row[j] - target_row[j]) - shift
            else:
                for j in range(width):
                    x_inner[j] = pred_row[j] - shift
            for j in range(width):
                y_inner[j] = target_row[j] - shift
        else:
            x[:] = -shift
            y[:] = -shift
        for j in range(padded_width):
            squares[j] = x[j] * x[j] + y[j] * y[j]
            products[j] = x[j] * y[j]
        # along the row, pairing the symmetric taps: w_k·(column k + column size − 1 − k)
        for m in range(4):
            filtered, source = ring[padded_row % size, m], stack[m]
            weight = taps[middle]
            for j in range(out_cols):
                filtered[j] = weight * source[j + middle]
            for k in range(middle):
                weight = taps[k]
                near, far = source[k : k + out_cols], source[size - 1 - k : size - 1 - k + out_cols]
                for j in range(out_cols):
                    filtered[j] += weight * (near[j] + far[j])
        output_row = padded_row - (size - 1)
        if output_row < first_out:
            continue
        # down the columns, pairing the symmetric taps: ring slot (output_row + k) % size holds padded row
        # output_row + k
        for m in range(4):
            filtered, source = columns[m], ring[(output_row + middle) % size, m]
            weight = taps[middle]
            for j in range(out_cols):
                filtered[j] = weight * source[j]
            for k in range(middle):
                weight = taps[k]
                near, far = ring[(output_row + k) % size, m], ring[(output_row + size - 1 - k) % size, m]
                for j in range(out_cols):
                    filtered[j] += weight * (near[j] + far[j])
        mean_x, mean_y, square_sums, product_sums = columns[0], columns[1], columns[2], columns[3]
        for j in range(out_cols):
            mu_x, mu_y = np.float64(mean_x[j]), np.float64(mean_y[j])
            # luminance (2μxμy + C1)/(μx² + μy² + C1) as 1 − (μx − μy)²/(μx² + μy² + C1), on the uncentred means
            luminance_den = (mu_x + shift) ** 2 + (mu_y + shift) ** 2 + c1
            luminance = 1.0 - (mu_x - mu_y) ** 2 / luminance_den
            covariance_term = 2.0 * (np.float64(product_sums[j]) - mu_x * mu_y) + c2
            variance_term = np.float64(square_sums[j]) - mu_x * mu_x - mu_y * mu_y + c2
            sums[j] += luminance * covariance_term / variance_term
    return sums.sum()


def _ssim_band_sums(pred, target, mask, blend, shifts, c1s, c2s, taps, radius, band_rows, out):
    """out[b, c, band] = Σ of the SSIM map of image b, channel c over output rows [band·band_rows, ...).

    pred, target: (B, C, H, W) float arrays; mask (B, 1, H, W), read only when ``blend``: then x is the blend
    target + m·(pred − target) (PCT-Net), formed in the input dtype. shifts, c1s, c2s: per image (float64);
    taps: the 1-D window (float32); radius: zero padding on every side (0 = valid positions only).
    """
    batch, channels, height, _ = pred.shape
    out_rows = height + 2 * radius - taps.shape[0] + 1
    bands = out.shape[2]
    for task in numba.prange(batch * channels * bands):
        b, c, band = task // (channels * bands), (task // bands) % channels, task % bands
        first_out = band * band_rows
        out[b, c, band] = band_sum(pred[b, c], target[b, c], mask[b, 0], blend, shifts[b], c1s[b], c2s[b], taps,
                                   radius, first_out, min(first_out + band_rows, out_rows))


# error_model="numpy": a division by zero gives inf/NaN as in torch, and without Python's check per division the
# loops vectorise (measured ~8x on the SSIM formula)
band_sum = jit(_band_sum, "SSIM", error_model="numpy")
# nogil: the data worker threads of a CPU run decode and resize while SSIM runs
ssim_band_sums = jit(_ssim_band_sums, "SSIM", error_model="numpy", parallel=True, nogil=True)


def ssim_sums(pred: np.ndarray, target: np.ndarray, mask: np.ndarray, blend: bool, shifts: np.ndarray,
              c1s: np.ndarray, c2s: np.ndarray, taps: np.ndarray, radius: int) -> np.ndarray:
    """Σ of the SSIM map per image (B float64), over all output positions and channels; arguments as
    ``_ssim_band_sums``."""
    batch, channels, height, _ = pred.shape
    out_rows = height + 2 * radius - len(taps) + 1
    bands = -(-out_rows // BAND_ROWS)
    out = np.zeros((batch, channels, bands), dtype=np.float64)
    ssim_band_sums(pred, target, mask, blend, shifts, c1s, c2s, taps, radius, BAND_ROWS, out)
    return out.sum(axis=(1, 2))


# ---------------------------------------------------------------------------------------------------------------
# Error reductions. Each task is one (image, channel, band of REDUCTION_ROWS rows); sums run in float64.

REDUCTION_ROWS = 64  # rows per task: 2048 columns x 64 rows x 4 bytes = 512 KB per plane and task


def _squared_error(pred, target, out, band_rows):
    """out = (pred − target)², each difference and square rounded to the input dtype, as torch's sub and square."""
    batch, channels, height, width = pred.shape
    bands = -(-height // band_rows)
    for task in numba.prange(batch * channels * bands):
        b, c, band = task // (channels * bands), (task // bands) % channels, task % bands
        for row in range(band * band_rows, min(band * band_rows + band_rows, height)):
            p, t, o = pred[b, c, row], target[b, c, row], out[b, c, row]
            for j in range(width):
                difference = p[j] - t[j]
                o[j] = difference * difference


def _row_band_sums(values, band_rows, out):
    """out[b, c, band] = Σ of values[b, c] over the rows of the band, in float64."""
    batch, channels, height, width = values.shape
    bands = out.shape[2]
    for task in numba.prange(batch * channels * bands):
        b, c, band = task // (channels * bands), (task // bands) % channels, task % bands
        total = 0.0
        for row in range(band * band_rows, min(band * band_rows + band_rows, height)):
            line = values[b, c, row]
            for j in range(width):
                total += np.float64(line[j])
        out[b, c, band] = total


def _weighted_band_sums(values, weights, band_rows, out):
    """out[b, band] = Σ weights[b, 0, h, w]·Σ_c values[b, c, h, w] over the rows of the band: the channel sum in the
    input dtype (as torch's sum over channels), the product and the sum in float64."""
    batch, channels, height, width = values.shape
    bands = out.shape[1]
    for task in numba.prange(batch * bands):
        b, band = task // bands, task % bands
        total = 0.0
        for row in range(band * band_rows, min(band * band_rows + band_rows, height)):
            weight = weights[b, 0, row]
            for j in range(width):
                channel_sum = values[b, 0, row, j]
                for c in range(1, channels):
                    channel_sum += values[b, c, row, j]
                total += np.float64(weight[j]) * np.float64(channel_sum)
        out[b, band] = total


# reassoc: the float64 sums may be reordered, so they vectorise (a single running sum waits on each addition)
squared_error_kernel = jit(_squared_error, "squared error", parallel=True, nogil=True)
row_band_sums = jit(_row_band_sums, "image sums", parallel=True, nogil=True, fastmath={"reassoc"})
weighted_band_sums = jit(_weighted_band_sums, "weighted sums", parallel=True, nogil=True, fastmath={"reassoc"})


def squared_error_into(pred: np.ndarray, target: np.ndarray, out: np.ndarray) -> np.ndarray:
    """(pred − target)² of two B x C x H x W arrays of one dtype, written into ``out``."""
    squared_error_kernel(pred, target, out, REDUCTION_ROWS)
    return out


def image_sums(values: np.ndarray) -> np.ndarray:
    """Σ over C, H, W of a B x C x H x W array: B float64 values."""
    batch, channels, height, _ = values.shape
    out = np.empty((batch, channels, -(-height // REDUCTION_ROWS)), dtype=np.float64)
    row_band_sums(values, REDUCTION_ROWS, out)
    return out.sum(axis=(1, 2))


def weighted_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ_hw weights[b, 0]·Σ_c values[b, c] per image of a B x C x H x W array and B x 1 x H x W weights (one dtype):
    B float64 values."""
    batch, _, height, _ = values.shape
    out = np.empty((batch, -(-height // REDUCTION_ROWS)), dtype=np.float64)
    weighted_band_sums(values, weights, REDUCTION_ROWS, out)
    return out.sum(axis=1)
