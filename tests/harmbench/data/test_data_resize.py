"""prepare/to_tensors: the squash protocol against independent bilinear references (the compiled cv2-exact kernel
bit for bit against a whole-array torch version of the same arithmetic), shapes, types and ranges."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from harmbench.data import RESIZE_PROTOCOLS, Prepared, Sample, prepare, to_tensors
from harmbench.data.resize import _fixed_point_taps, _resize_float, _resize_uint8_like_cv2

SHAPES = [(45, 67, 32), (30, 41, 100), (64, 64, 64), (7, 200, 50), (1, 9, 4)]


def reference_bilinear(array: np.ndarray, size: int) -> np.ndarray:
    """Textbook bilinear at half-pixel centres, coordinates clamped to the image, float64, no antialiasing."""
    def taps(n_in):
        position = np.clip((np.arange(size) + 0.5) * n_in / size - 0.5, 0, n_in - 1)
        low = np.floor(position).astype(int)
        return low, np.minimum(low + 1, n_in - 1), position - low

    y0, y1, fy = taps(array.shape[0])
    x0, x1, fx = taps(array.shape[1])
    a = array.astype(np.float64)
    fx = fx[None, :, None] if a.ndim == 3 else fx[None, :]
    fy = fy[:, None, None] if a.ndim == 3 else fy[:, None]
    rows = a[y0] * (1 - fy) + a[y1] * fy
    return rows[:, x0] * (1 - fx) + rows[:, x1] * fx


def whole_array_cv2_linear(image: np.ndarray, size: int) -> np.ndarray:
    """cv2's INTER_LINEAR fixed-point arithmetic on whole arrays (torch int32): the horizontal pass of every source
    row used, >> 4, then per output row the two rows times their weights, each >> 16, summed, (+2) >> 2, clamped.
    The shipped implementation before the compiled kernel; kept here as its independent reference."""
    height, width, channels = image.shape
    x0, x1, wx0, wx1 = _fixed_point_taps(width, size, zero_weight_at_border=True)
    y0, y1, wy0, wy1 = _fixed_point_taps(height, size, zero_weight_at_border=False)
    rows, row_of = np.unique(np.concatenate([y0, y1]), return_inverse=True)
    source = image.reshape(height, width * channels)[rows]
    channel = np.arange(channels)
    left = np.take(source, (x0[:, None] * channels + channel).reshape(-1), axis=1)
    right = np.take(source, (x1[:, None] * channels + channel).reshape(-1), axis=1)
    horizontal = torch.from_numpy(left).to(torch.int32).mul_(torch.from_numpy(np.repeat(wx0, channels)))
    horizontal.add_(torch.from_numpy(right).to(torch.int32).mul_(torch.from_numpy(np.repeat(wx1, channels))))
    horizontal.bitwise_right_shift_(4)
    top = horizontal[torch.from_numpy(row_of[:size])].mul_(torch.from_numpy(wy0)[:, None]).bitwise_right_shift_(16)
    bottom = horizontal[torch.from_numpy(row_of[size:])].mul_(torch.from_numpy(wy1)[:, None]).bitwise_right_shift_(16)
    result = top.add_(bottom).add_(2).bitwise_right_shift_(2).clamp_(0, 255)
    return result.to(torch.uint8).reshape(size, size, channels).numpy()


def content(kind: str, height: int, width: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "random":
        return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    if kind == "grey":  # equal channels, smooth ramp plus noise
        ramp = np.add.outer(np.arange(height), np.arange(width)) * 255 // max(1, height + width - 2)
        grey = np.clip(ramp + rng.integers(-3, 4, ramp.shape), 0, 255).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2)
    if kind == "checker":  # 0/255 at every other pixel: the largest sums the fixed-point passes meet
        return np.broadcast_to(((np.add.outer(np.arange(height), np.arange(width)) % 2) * 255).astype(np.uint8)[
            ..., None], (height, width, 3)).copy()
    return np.full((height, width, 3), {"black": 0, "white": 255, "flat": 137}[kind], np.uint8)


# (height, width, size): downsampling from large originals (as 12 MP to 1024/2048, at test-friendly sizes),
# upsampling, equal size, odd shapes, one-pixel rows and columns, size 1.
RESIZES = [(1536, 2048, 1024), (1024, 2048, 2048), (2000, 1500, 640), (601, 799, 256), (283, 425, 256),
           (45, 67, 32), (30, 41, 100), (120, 80, 333), (64, 64, 64), (7, 200, 50), (200, 7, 50), (1, 9, 4),
           (9, 1, 4), (1, 50, 17), (50, 1, 17), (1, 1, 1), (1, 1, 5), (5, 5, 1), (333, 517, 1), (2, 3, 1025)]


@pytest.mark.parametrize("kind, height, width, size", [
    (kind, *shape) for kind in ("random", "grey", "checker", "black", "white", "flat") for shape in RESIZES
    if kind == "random" or shape[0] * shape[1] < 1_000_000])  # large originals: random content only (fast suite)
def test_compiled_resize_is_bit_identical_to_the_whole_array_arithmetic(kind, height, width, size):
    image = content(kind, height, width, seed=height * 31 + width)
    ours = _resize_uint8_like_cv2(image, size)
    assert ours.dtype == np.uint8 and ours.shape == (size, size, 3)
    np.testing.assert_array_equal(ours, whole_array_cv2_linear(image, size))


def test_compiled_resize_reads_read_only_and_strided_images():
    image = content("random", 90, 130, seed=3)
    expected = whole_array_cv2_linear(image, 70)
    image.flags.writeable = False  # the loader shares its arrays read-only
    np.testing.assert_array_equal(_resize_uint8_like_cv2(image, 70), expected)
    wide = np.zeros((90, 260, 3), np.uint8)
    wide[:, ::2] = image
    np.testing.assert_array_equal(_resize_uint8_like_cv2(wide[:, ::2], 70), expected)


def test_mask_resize_is_torch_interpolate_clipped_and_leaves_the_shared_mask_alone():
    mask = np.random.default_rng(5).random((70, 90)).astype(np.float32) * 1.2 - 0.1
    expected = F.interpolate(torch.from_numpy(mask.copy())[None, None], size=(64, 64), mode="bilinear",
                             align_corners=False, antialias=False)[0, 0].clamp(0, 1).numpy()
    before = mask.copy()
    mask.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "not writable" warning from torch either
        resized = _resize_float(mask, 64)
    assert resized.dtype == np.float32 and resized.flags.writeable
    np.testing.assert_array_equal(resized, expected)
    np.testing.assert_array_equal(mask, before)


def sample_of(height, width, seed=0, with_target=True):
    rng = np.random.default_rng(seed)
    composite = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    target = rng.integers(0, 256, (height, width, 3), dtype=np.uint8) if with_target else None
    mask = (rng.random((height, width)) > 0.6).astype(np.float32)
    return Sample(name="x", subset="s", composite=composite, mask=mask, target=target)


@pytest.mark.parametrize("height, width, size", SHAPES)
def test_squash_matches_a_textbook_bilinear_resize(height, width, size):
    sample = sample_of(height, width)
    prepared = prepare(sample, size)
    for ours, source in ((prepared.composite, sample.composite), (prepared.target, sample.target)):
        reference = reference_bilinear(source, size)
        # Images: cv2's fixed-point arithmetic, so within one level of the exact value, on average much closer.
        assert np.abs(ours - reference).max() <= 1.0
        assert np.abs(ours - reference).mean() < 0.5
    # Mask: float arithmetic, as cv2 does for the float mask in the reference pipeline.
    np.testing.assert_allclose(prepared.mask, reference_bilinear(sample.mask, size), atol=1e-5)


def test_squash_upsampling_agrees_with_pil_bilinear():
    sample = sample_of(30, 41)
    ours = prepare(sample, 120).composite
    pil = np.asarray(Image.fromarray(sample.composite).resize((120, 120), Image.Resampling.BILINEAR))
    assert np.abs(ours.astype(np.int16) - pil).max() <= 1


def test_squash_is_bit_exact_with_cv2():
    cv2 = pytest.importorskip("cv2", reason="opencv is optional; the squash protocol reproduces its arithmetic")
    rng = np.random.default_rng(7)
    for height, width, size in [*SHAPES, (283, 425, 256), (120, 80, 333)]:
        image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        mask = rng.random((height, width)).astype(np.float32)
        prepared = prepare(Sample("x", "s", image, mask, None), size)
        np.testing.assert_array_equal(prepared.composite, cv2.resize(image, (size, size),
                                                                     interpolation=cv2.INTER_LINEAR))
        np.testing.assert_allclose(prepared.mask, cv2.resize(mask, (size, size), interpolation=cv2.INTER_LINEAR),
                                   atol=1e-5)


# sha256 of cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR) from opencv-python-headless 5.0.0 (the
# first three; 5.1.0 gives the same) and 5.1.0 (the large ones), for images drawn in this order from default_rng(11):
# frozen so that the check runs without opencv installed.
CV2_GOLDEN = [
    ((45, 67, 32), "ed562f83179659162dded0acdccb6bd7accd39f3323631b206a2bb5a8b1a9524"),
    ((30, 41, 100), "3ae06d1ff07b9267397ad8a30e62a4c545d005deb1164eab79d84334ea57d90a"),
    ((283, 425, 256), "573d64f05a745892042f4217f5b040ca6ee0263ebfcb4cec54ad1a66674c11e8"),
    ((1536, 2048, 1024), "04ebcd28c7e46532be57be1eb057a1eba1b39fcb5770bda5188fc1a19745451f"),
    ((1024, 2048, 2048), "e43c8d5a939440217b4bf94f758f629c812465a332dab0ba1d112f030da17d34"),
    ((601, 799, 256), "8998570ea4c9642a0e69dbebb2ed7a19f67c6d92747d036bb19195d67eeb470d"),
]


def test_squash_reproduces_frozen_cv2_outputs():
    rng = np.random.default_rng(11)
    for (height, width, size), digest in CV2_GOLDEN:
        image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        ours = prepare(Sample("x", "s", image, np.ones((height, width), np.float32), None), size).composite
        assert hashlib.sha256(ours.tobytes()).hexdigest() == digest, (height, width, size)


def test_squash_shapes_types_and_ranges():
    prepared = prepare(sample_of(50, 70), 40)
    assert prepared.composite.shape == prepared.target.shape == (40, 40, 3)
    assert prepared.mask.shape == (40, 40)
    assert prepared.composite.dtype == prepared.target.dtype == np.uint8  # as cv2 returns them
    assert prepared.mask.dtype == np.float32
    assert prepared.mask.min() >= 0 and prepared.mask.max() <= 1
    assert ((prepared.mask > 0) & (prepared.mask < 1)).any()  # soft after resizing, not re-binarised
    flat = Sample("x", "s", np.full((33, 47, 3), 201, np.uint8), np.ones((33, 47), np.float32), None)
    assert np.all(prepare(flat, 64).composite == 201)
    assert prepare(sample_of(10, 12, with_target=False), 16).target is None


@pytest.mark.parametrize("protocol", RESIZE_PROTOCOLS)
def test_prepared_arrays_are_new_and_writable_even_from_a_shared_read_only_sample(protocol):
    sample = sample_of(21, 34)
    for array in (sample.composite, sample.target, sample.mask):
        array.flags.writeable = False
    prepared = prepare(sample, 16, protocol)
    for ours, theirs in ((prepared.composite, sample.composite), (prepared.target, sample.target),
                         (prepared.mask, sample.mask)):
        assert ours.flags.writeable and ours.flags.c_contiguous and not np.shares_memory(ours, theirs)


@pytest.mark.parametrize("protocol", RESIZE_PROTOCOLS)
def test_arrays_shared_with_the_previous_sample_are_resized_once(protocol):
    first = sample_of(30, 40, seed=1)
    second = Sample("y", "s", sample_of(30, 40, seed=2).composite, first.mask, first.target)  # the loader's sharing
    previous = (first, prepare(first, 24, protocol))
    prepared = prepare(second, 24, protocol, previous=previous)
    assert prepared.target is previous[1].target and prepared.mask is previous[1].mask
    fresh = prepare(second, 24, protocol)
    for ours, expected in ((prepared.composite, fresh.composite), (prepared.target, fresh.target),
                           (prepared.mask, fresh.mask)):
        np.testing.assert_array_equal(ours, expected)
    # Equal values in other arrays, or another size: resized again.
    copies = Sample("z", "s", second.composite, first.mask.copy(), first.target.copy())
    again = prepare(copies, 24, protocol, previous=previous)
    assert again.target is not previous[1].target and again.mask is not previous[1].mask
    if protocol == "squash":
        other_size = prepare(second, 20, protocol, previous=previous)
        assert other_size.target.shape == (20, 20, 3) and other_size.mask.shape == (20, 20)


def test_none_protocol_keeps_native_size():
    sample = sample_of(21, 34)
    prepared = prepare(sample, 1024, "none")
    assert prepared.composite.shape == (21, 34, 3) and prepared.composite.dtype == np.uint8
    assert np.array_equal(prepared.composite, sample.composite)
    assert np.array_equal(prepared.mask, sample.mask)


def test_bad_protocol_or_size():
    assert RESIZE_PROTOCOLS == ("squash", "none")
    with pytest.raises(ValueError, match=r"unknown resize protocol 'lanczos'; valid: squash, none"):
        prepare(sample_of(4, 4), 8, "lanczos")
    with pytest.raises(ValueError, match=r"needs a positive size"):
        prepare(sample_of(4, 4), None)


def test_to_tensors():
    prepared = Prepared(composite=np.full((5, 6, 3), 255, np.uint8), target=None,
                        mask=np.full((5, 6), 0.25, np.float32))
    prepared.composite[0, 0] = [0, 51, 102]
    composite, mask = to_tensors(prepared)
    assert composite.shape == (1, 3, 5, 6) and mask.shape == (1, 1, 5, 6)
    assert composite.dtype == mask.dtype == torch.float32
    assert composite.is_contiguous() and mask.is_contiguous()
    assert torch.allclose(composite[0, :, 0, 0], torch.tensor([0.0, 0.2, 0.4]))
    assert composite.max() == 1.0 and float(mask.mean()) == 0.25


def test_resize_kernel_compiles_without_a_writable_cache_folder(monkeypatch):
    import numba

    import harmbench.data.resize as resize

    real_njit = numba.njit

    def njit_without_cache_folder(*args, cache=False, **options):
        if cache:  # what numba raises when neither the package's nor the user's cache folder is writable
            raise RuntimeError("cannot cache function '_resize_rows': no locator available for file 'resize.py'")
        return real_njit(*args, **options)

    monkeypatch.setattr(numba, "njit", njit_without_cache_folder)
    monkeypatch.setattr(resize, "_compiled_kernel", None)
    with pytest.warns(UserWarning, match="the resize kernel is compiled again in each process"):
        resize.load_resize_kernel()
    image = content("random", 33, 47, seed=9)
    np.testing.assert_array_equal(_resize_uint8_like_cv2(image, 20), whole_array_cv2_linear(image, 20))
