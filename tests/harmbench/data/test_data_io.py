"""Decoding (read_image, read_mask), the mask rule, and SampleLoader's checks and reuse of shared files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps
from scipy import ndimage

import harmbench.data.io as data_io
from harmbench.data import DataError, SampleLoader, SampleRef, read_image, read_mask
from harmbench.data.io import mask_problem


def random_rgb(height, width, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def save(array, path, **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, **options)
    return path


def blob_mask(height, width, fg_ratio, seed=0):
    """Binary uint8 0/255 mask: a smooth random blob covering ``fg_ratio`` of the image."""
    field = ndimage.zoom(np.random.default_rng(seed).standard_normal((8, 8)), (height / 8, width / 8), order=3)
    field = field[:height, :width]
    return ((field > np.quantile(field, 1 - fg_ratio)) * 255).astype(np.uint8)


def jpeg_roundtrip(array, quality):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return np.asarray(Image.open(buffer))


# ---- read_image / read_mask


def test_read_image_rgb_grey_and_alpha(tmp_path):
    rgb = random_rgb(5, 7)
    assert np.array_equal(read_image(save(rgb, tmp_path / "a.png")), rgb)
    grey = read_image(save(rgb[..., 0], tmp_path / "g.png"))
    assert grey.shape == (5, 7, 3) and grey.dtype == np.uint8
    assert np.array_equal(grey[..., 2], rgb[..., 0])
    rgba = np.dstack([rgb, np.zeros((5, 7), np.uint8)])
    assert np.array_equal(read_image(save(rgba, tmp_path / "t.png")), rgb)


def test_read_image_applies_exif_orientation(tmp_path):
    # cv2.imread (the reference loader) rotates by the EXIF orientation; a 90-degree tag swaps the sides.
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.jpg"
    Image.fromarray(random_rgb(10, 30)).save(path, exif=exif)
    assert read_image(path).shape == (30, 10, 3)


@pytest.mark.parametrize("orientation", [None, 1, 2, 3, 4, 5, 6, 7, 8, 9])
@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P", "1", "I;16"])
def test_decoding_equals_pillows_transpose_and_conversions(tmp_path, mode, orientation):
    """read_image / read_mask skip Pillow's copies of upright RGB images; the arrays are still exactly
    exif_transpose -> convert("RGB") (images), first channel / 255 or 16-bit / 65535 (masks)."""
    rgb = random_rgb(6, 11, seed=orientation or 0)
    image = Image.fromarray(rgb).convert(mode) if mode != "I;16" else Image.fromarray(
        rgb[..., 0].astype(np.uint16) * 257 + 3)
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif
    path = tmp_path / "image.png"
    image.save(path, **options)
    upright = ImageOps.exif_transpose(Image.open(path))
    assert read_image(path).shape[:2] == upright.size[::-1]
    if mode != "I;16":
        np.testing.assert_array_equal(read_image(path), np.asarray(upright.convert("RGB")))
    if mode == "I;16":
        expected = (np.asarray(upright, dtype=np.float32) / 65535.0).clip(0, 1)
    else:
        decoded = np.asarray(upright if mode in ("L", "RGB", "RGBA") else upright.convert("L"))
        expected = (decoded if decoded.ndim == 2 else decoded[..., 0]).astype(np.float32) / 255.0
    mask = read_mask(path)
    assert mask.dtype == np.float32 and mask.flags.writeable
    np.testing.assert_array_equal(mask, expected)


def test_read_errors_name_the_file(tmp_path):
    with pytest.raises(DataError, match=r"nothere\.png: missing$"):
        read_image(tmp_path / "nothere.png")
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"this is not an image")
    with pytest.raises(DataError, match=r"junk\.jpg: corrupt or not an image"):
        read_image(junk)
    full = save(random_rgb(64, 64), tmp_path / "full.jpg").read_bytes()
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(full[: len(full) // 2])
    with pytest.raises(DataError, match=r"truncated\.jpg: corrupt or not an image"):
        read_image(truncated)
    with pytest.raises(DataError, match=r"junk\.jpg: corrupt"):
        read_mask(junk)


def test_read_mask_is_first_channel_over_255_not_binarised(tmp_path):
    grey = np.array([[0, 128, 255]], np.uint8)
    mask = read_mask(save(grey, tmp_path / "m.png"))
    assert mask.dtype == np.float32
    np.testing.assert_allclose(mask, [[0, 128 / 255, 1]], rtol=0, atol=1e-7)
    rgb = np.zeros((1, 3, 3), np.uint8)
    rgb[0, :, 0] = [255, 0, 255]
    rgb[0, :, 1] = [0, 255, 0]
    np.testing.assert_array_equal(read_mask(save(rgb, tmp_path / "rgb.png")), [[1, 0, 1]])
    wide = Image.fromarray(np.array([[0, 65535, 32768]], np.uint16))
    wide.save(tmp_path / "m16.png")
    np.testing.assert_allclose(read_mask(tmp_path / "m16.png"), [[0, 1, 32768 / 65535]], atol=1e-6)


# ---- the non-binary mask rule


def test_binary_and_resampled_masks_pass():
    hard = blob_mask(256, 384, 0.2)
    assert mask_problem(hard / 255.0) is None
    detailed = blob_mask(1024, 1536, 0.2)
    for method in (Image.Resampling.BOX, Image.Resampling.BILINEAR, Image.Resampling.LANCZOS):
        resized = np.asarray(Image.fromarray(detailed).resize((384, 256), method)) / 255.0
        assert ((resized > 0) & (resized < 1)).any()
        assert mask_problem(resized) is None, method


def test_jpeg_masks_are_rejected_even_when_few_pixels_are_soft():
    small = jpeg_roundtrip(blob_mask(256, 256, 0.1), quality=90) / 255.0
    assert "not binary" in mask_problem(small)
    # High resolution, small object: under 1 % soft pixels, so a plain "> 1 %" rule would let it through.
    large = jpeg_roundtrip(blob_mask(1500, 2000, 0.02, seed=3), quality=95) / 255.0
    assert ((large > 0) & (large < 1)).mean() < 0.01
    assert "not binary" in mask_problem(large)


def test_feathered_noisy_and_empty_masks_are_rejected():
    feathered = ndimage.gaussian_filter(blob_mask(256, 256, 0.3).astype(float), 6) / 255.0
    assert "not binary" in mask_problem(feathered)
    noise = np.random.default_rng(0).integers(0, 256, (64, 80)).astype(np.float32) / 255  # 0.5 crossings everywhere
    assert "99% of its pixels are neither 0 nor 1" in mask_problem(noise)
    assert "empty" in mask_problem(np.full((8, 8), 0.5, np.float32))
    assert "empty" in mask_problem(np.zeros((8, 8), np.float32))


# ---- SampleLoader


def triplet(tmp_path, name="a0001_1_1", size=(24, 32), mask=None, target_size=None):
    height, width = size
    composite = save(random_rgb(height, width, 1), tmp_path / "c" / f"{name}.png")
    if mask is None:
        mask = np.zeros((height, width), np.uint8)
        mask[4:12, 6:20] = 255
    mask_path = save(mask, tmp_path / "m" / ("_".join(name.split("_")[:-1]) + ".png"))
    target = save(random_rgb(*(target_size or size), 2), tmp_path / "r" / (name.split("_")[0] + ".png"))
    return SampleRef(name=name, subset="HAdobe5k", composite_path=composite, mask_path=mask_path, target_path=target)


def test_loader_decodes_a_valid_triplet(tmp_path):
    ref = triplet(tmp_path)
    sample = SampleLoader().load(ref)
    assert sample.name == "a0001_1_1" and sample.subset == "HAdobe5k"
    assert sample.composite.shape == sample.target.shape == (24, 32, 3)
    assert sample.mask.shape == (24, 32) and sample.mask.dtype == np.float32
    assert sample.original_size == (24, 32)
    assert sample.mask.sum() == 8 * 14


def test_loader_without_ground_truth(tmp_path):
    ref = triplet(tmp_path)
    sample = SampleLoader().load(SampleRef(ref.name, "real", ref.composite_path, ref.mask_path, None))
    assert sample.target is None


@pytest.mark.parametrize("case, message", [
    ("mask_size", r"m/a0001_1\.png: mask is 30x24 but composite .*c/a0001_1_1\.png is 32x24"),
    ("target_size", r"r/a0001\.png: real image is 32x20 but composite .*a0001_1_1\.png is 32x24"),
    ("empty", r"m/a0001_1\.png: empty mask"),
    ("jpeg_mask", r"m/a0001_1\.png: mask is not binary"),
    ("missing_mask", r"m/a0001_1\.png: missing"),
    ("missing_target", r"r/a0001\.png: missing"),
    ("corrupt_composite", r"c/a0001_1_1\.png: corrupt or not an image"),
])
def test_loader_errors_name_the_file(tmp_path, case, message):
    if case == "mask_size":
        ref = triplet(tmp_path, mask=blob_mask(24, 30, 0.2))
    elif case == "target_size":
        ref = triplet(tmp_path, target_size=(20, 32))
    elif case == "empty":
        ref = triplet(tmp_path, mask=np.zeros((24, 32), np.uint8))
    elif case == "jpeg_mask":
        # Large enough that JPEG ringing reaches pixels more than 4 px from the mask edge.
        ref = triplet(tmp_path, size=(96, 128), mask=jpeg_roundtrip(blob_mask(96, 128, 0.3), quality=75))
    else:
        ref = triplet(tmp_path)
        if case == "missing_mask":
            ref.mask_path.unlink()
        elif case == "missing_target":
            ref.target_path.unlink()
        else:
            ref.composite_path.write_bytes(b"\x89PNG broken")
    with pytest.raises(DataError, match=message):
        SampleLoader().load(ref)


def test_shared_real_image_and_mask_are_decoded_once(tmp_path, monkeypatch):
    height, width = 16, 20
    mask = np.zeros((height, width), np.uint8)
    mask[2:9, 3:12] = 255
    refs = []
    for real in ("a0001", "a0002"):
        target = save(random_rgb(height, width, 5), tmp_path / "r" / f"{real}.jpg")
        mask_path = save(mask, tmp_path / "m" / f"{real}_1.png")
        for n in range(1, 6):  # 5 composites per real, as HAdobe5k
            composite = save(random_rgb(height, width, n), tmp_path / "c" / f"{real}_1_{n}.jpg")
            refs.append(SampleRef(f"{real}_1_{n}", "HAdobe5k", composite, mask_path, target))
    decoded = []

    def counting(function):
        def wrapper(path, *args):
            decoded.append(path.parent.name)
            return function(path, *args)
        return wrapper

    monkeypatch.setattr(data_io, "_open", counting(data_io._open))  # every file is read and decoded here
    loader = SampleLoader()
    samples = [loader.load(ref) for ref in refs]
    assert decoded.count("c") == 10
    assert decoded.count("r") == 2
    assert decoded.count("m") == 2
    assert samples[0].target is samples[4].target
    assert samples[5].target is not samples[4].target
    with pytest.raises(ValueError):  # shared arrays are read-only, so no caller can corrupt the cache
        samples[0].target[0, 0, 0] = 1
    with pytest.raises(ValueError):
        samples[0].mask[0, 0] = 1
