"""prepare/to_tensors: the squash protocol against independent bilinear references, shapes and ranges."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch
from PIL import Image

from harmbench.data import RESIZE_PROTOCOLS, Prepared, Sample, prepare, to_tensors

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
    assert np.abs(ours - pil).max() <= 1.0


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


# sha256 of cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR) from opencv-python-headless 5.0.0, for
# images drawn in this order from default_rng(11): frozen so that the check runs without opencv installed.
CV2_GOLDEN = [
    ((45, 67, 32), "ed562f83179659162dded0acdccb6bd7accd39f3323631b206a2bb5a8b1a9524"),
    ((30, 41, 100), "3ae06d1ff07b9267397ad8a30e62a4c545d005deb1164eab79d84334ea57d90a"),
    ((283, 425, 256), "573d64f05a745892042f4217f5b040ca6ee0263ebfcb4cec54ad1a66674c11e8"),
]


def test_squash_reproduces_frozen_cv2_outputs():
    rng = np.random.default_rng(11)
    for (height, width, size), digest in CV2_GOLDEN:
        image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        ours = prepare(Sample("x", "s", image, np.ones((height, width), np.float32), None), size).composite
        assert hashlib.sha256(ours.astype(np.uint8).tobytes()).hexdigest() == digest, (height, width, size)


def test_squash_shapes_types_and_ranges():
    prepared = prepare(sample_of(50, 70), 40)
    assert prepared.composite.shape == prepared.target.shape == (40, 40, 3)
    assert prepared.mask.shape == (40, 40)
    assert prepared.composite.dtype == prepared.target.dtype == prepared.mask.dtype == np.float32
    assert np.array_equal(prepared.composite, np.round(prepared.composite))  # uint8 values, as cv2 returns
    assert prepared.composite.min() >= 0 and prepared.composite.max() <= 255
    assert prepared.mask.min() >= 0 and prepared.mask.max() <= 1
    assert ((prepared.mask > 0) & (prepared.mask < 1)).any()  # soft after resizing, not re-binarised
    flat = Sample("x", "s", np.full((33, 47, 3), 201, np.uint8), np.ones((33, 47), np.float32), None)
    assert np.all(prepare(flat, 64).composite == 201)
    assert prepare(sample_of(10, 12, with_target=False), 16).target is None


def test_none_protocol_keeps_native_size():
    sample = sample_of(21, 34)
    prepared = prepare(sample, 1024, "none")
    assert prepared.composite.shape == (21, 34, 3)
    assert np.array_equal(prepared.composite, sample.composite.astype(np.float32))
    assert np.array_equal(prepared.mask, sample.mask)


def test_bad_protocol_or_size():
    assert RESIZE_PROTOCOLS == ("squash", "none")
    with pytest.raises(ValueError, match=r"unknown resize protocol 'lanczos'; valid: squash, none"):
        prepare(sample_of(4, 4), 8, "lanczos")
    with pytest.raises(ValueError, match=r"needs a positive size"):
        prepare(sample_of(4, 4), None)


def test_to_tensors():
    prepared = Prepared(composite=np.full((5, 6, 3), 255, np.float32), target=None,
                        mask=np.full((5, 6), 0.25, np.float32))
    prepared.composite[0, 0] = [0, 51, 102]
    composite, mask = to_tensors(prepared)
    assert composite.shape == (1, 3, 5, 6) and mask.shape == (1, 1, 5, 6)
    assert composite.dtype == mask.dtype == torch.float32
    assert composite.is_contiguous() and mask.is_contiguous()
    assert torch.allclose(composite[0, :, 0, 0], torch.tensor([0.0, 0.2, 0.4]))
    assert composite.max() == 1.0 and float(mask.mean()) == 0.25
