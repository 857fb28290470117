"""Decoding images and masks, and turning a :class:`SampleRef` into a validated :class:`Sample`.

Images are decoded with Pillow the way the reference code's ``cv2.imread`` sees them: EXIF orientation applied
(to masks too), alpha dropped, grey expanded to RGB. Masks are the first channel / 255 as float32 (iSSAM/CDTNet
``hdataset.py``), not binarised.

Mask checks (each a :class:`DataError` naming the file):

* size differs from the composite's; the real (target) image's size differs from the composite's;
* empty: no pixel above 0.5;
* not binary: lossy-compressed (JPEG) or feathered masks. Soft pixels (strictly between 0 and 1) are fine on the
  mask's edge: anti-aliased, bilinear-, bicubic- or Lanczos-resized masks (e.g. PCT-Net's pre-resized sets) keep
  them within a few pixels of the 0.5 contour. JPEG ringing fills the 8x8 blocks the contour crosses, and a feather
  spreads further. So a soft pixel counts as noise when no 0.5 crossing lies within ``EDGE_RADIUS`` (4) pixels
  (a 9x9 window), and the mask is rejected when there are more than ``max(16, 0.1 x contour length)`` such pixels.
  Measured on random smooth blobs of 1-30 % area at 256-2508 px: every resampled mask had none; JPEG at quality
  50-95 had 0.4-0.5 per contour pixel, JPEG quality 100 about 0.05 (accepted: errors of 1-2 levels). A plain
  "more than 1 % soft pixels" rule fails both ways: a JPEG mask of a small object at high resolution has only
  0.3-0.6 % soft pixels, while a legitimately resized mask at 256 px can have 5 %. A mask more than half of whose
  pixels are soft is rejected too: in noise, or a wrong file read as a mask, 0.5 crossings are everywhere, so the
  edge rule finds no "far" soft pixel.

Image size: a file declaring more than ``max_pixels`` pixels (width x height from its header, checked before any
decoding, so a small file declaring a huge image costs nothing) is a :class:`DataError`. The default is Pillow's
``Image.MAX_IMAGE_PIXELS`` (its decompression-bomb limit, about 89 MP); 0 means no limit. Pillow's own check and
warning are replaced by this one.

Input hash: each file is read into memory once and decoded from those bytes; :class:`SampleLoader` also hashes them
(BLAKE2b) and gives every :class:`Sample` ``input_hash``, a short digest of its composite, mask and real image
files together, which the runner records in the image's result row.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import warnings
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from harmbench.data.sample import DataError, Sample, SampleRef

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
EDGE_RADIUS = 4
NOISE_PER_CONTOUR_PIXEL = 0.1
NOISE_MIN_PIXELS = 16
SOFT_SHARE_LIMIT = 0.5  # a mask with more soft pixels than this is no mask (noise, a grey photo), edges or not
FILE_DIGEST_BYTES = 16  # BLAKE2b digest of one input file
INPUT_HASH_BYTES = 8  # a row's input_hash: 16 hex digits over the files' digests


_PILLOW_LIMIT_LOCK = threading.Lock()


def default_max_pixels() -> int:
    """Pillow's decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``; 0 when it is switched off)."""
    return Image.MAX_IMAGE_PIXELS or 0


@contextlib.contextmanager
def _pillow_check_off():
    """Pillow's own pixel check switched off (ours replaces it). ``MAX_IMAGE_PIXELS`` is a module global, so it is
    changed under a lock and restored at once; ``Image.open`` only reads the header here."""
    with _PILLOW_LIMIT_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _open(path: Path, max_pixels: int | None = None) -> tuple[Image.Image, bytes]:
    """Open and fully decode ``path`` (lazy decoding would hide truncated files until later), EXIF-oriented, and the
    file's bytes (read once: decoded from memory; :class:`SampleLoader` hashes them).

    ``max_pixels``: refuse larger images before decoding them (None: :func:`default_max_pixels`; 0: no limit)."""
    if not path.is_file():
        raise DataError(f"{path}: missing")
    limit = default_max_pixels() if max_pixels is None else max_pixels
    try:
        data = path.read_bytes()
        with _pillow_check_off():
            image = Image.open(io.BytesIO(data))
        pixels = image.width * image.height
        if limit and pixels > limit:
            raise DataError(f"{path}: {image.width}x{image.height} = {pixels} pixels, more than the limit of "
                            f"{limit} (raise it with --max-pixels, 0 for none)")
        image.load()
    except DataError:
        raise
    except UnidentifiedImageError:  # its message names the in-memory buffer, not the file
        raise DataError(f"{path}: corrupt or not an image (cannot identify image file)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise DataError(f"{path}: corrupt or not an image ({exc})") from None
    with contextlib.suppress(OSError, SyntaxError, ValueError):  # a broken EXIF block only loses the orientation
        if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:  # (exif_transpose copies an upright image)
            image = ImageOps.exif_transpose(image)
    return image, data


def _image_array(image: Image.Image) -> np.ndarray:
    if image.mode.startswith("I;16"):  # 16-bit grey: keep the high byte
        image = Image.fromarray((np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8))
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))  # convert would copy an RGB image


def _mask_array(image: Image.Image) -> np.ndarray:
    if image.mode.startswith("I;16") or image.mode == "I":
        mask = np.asarray(image, dtype=np.float32) / np.float32(65535)
        return np.clip(mask, 0, 1, out=mask)
    if image.mode not in ("L", "RGB", "RGBA", "LA"):
        image = image.convert("L")  # "1" (bilevel) -> 0/255; palette -> its grey levels
    array = np.asarray(image)
    mask = (array if array.ndim == 2 else array[..., 0]).astype(np.float32)
    mask /= np.float32(255)
    return mask


def read_image(path, max_pixels: int | None = None) -> np.ndarray:
    """H x W x 3 uint8 RGB. ``max_pixels``: see :func:`_open`."""
    return _image_array(_open(Path(path), max_pixels)[0])


def read_mask(path, max_pixels: int | None = None) -> np.ndarray:
    """H x W float32 in [0, 1]: the first channel / 255 (16-bit files: / 65535). Not binarised.
    ``max_pixels``: see :func:`_open`."""
    return _mask_array(_open(Path(path), max_pixels)[0])


def _file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=FILE_DIGEST_BYTES).digest()


def input_hash(digests: list[bytes]) -> str:
    """A row's ``input_hash``: hex BLAKE2b over the digests of an image's input files (composite, mask, real)."""
    return hashlib.blake2b(b"".join(digests), digest_size=INPUT_HASH_BYTES).hexdigest()


def _window_extremes(binary: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Max and min of a bool image over (2r+1)^2 windows (edge-replicated), as separable shifted reductions."""
    high = binary.copy()
    low = binary.copy()
    for axis in (0, 1):
        padded_high = np.pad(high, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
        padded_low = np.pad(low, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
        length = binary.shape[axis]
        for offset in range(2 * radius + 1):
            window = slice(offset, offset + length)
            index = (window, slice(None)) if axis == 0 else (slice(None), window)
            high |= padded_high[index]
            low &= padded_low[index]
    return high, low


def mask_problem(mask: np.ndarray) -> str | None:
    """Why ``mask`` (float in [0, 1]) is unusable, or None. See the module docstring for the rule."""
    inside = mask > 0.5
    if not inside.any():
        return "empty mask (no pixel above 0.5)"
    soft = (mask > 0) & (mask < 1)
    soft_count = int(soft.sum())
    if soft_count <= NOISE_MIN_PIXELS:
        return None
    if soft_count > SOFT_SHARE_LIMIT * mask.size:  # everything is "edge" in noise, so the rule below cannot see it
        return (f"mask is not binary ({soft_count / mask.size:.0%} of its pixels are neither 0 nor 1: noise or a grey "
                "image? save masks as lossless 0/255 PNG)")
    contour = int(np.count_nonzero(inside[1:] != inside[:-1]) + np.count_nonzero(inside[:, 1:] != inside[:, :-1]))
    high, low = _window_extremes(inside, EDGE_RADIUS)
    noise = int(np.count_nonzero(soft & (high == low)))
    if noise > max(NOISE_MIN_PIXELS, NOISE_PER_CONTOUR_PIXEL * contour):
        return (f"mask is not binary ({noise} soft pixels farther than {EDGE_RADIUS} px from the mask edge; "
                "JPEG-compressed or feathered? save masks as lossless 0/255 PNG)")
    return None


def _size_text(array: np.ndarray) -> str:
    return f"{array.shape[1]}x{array.shape[0]}"


class SampleLoader:
    """Decodes SampleRefs into Samples, checking sizes and masks.

    Composites that share a real image (5 per real in HAdobe5k) or a mask are listed next to each other, so the last
    decoded real image and the last decoded (and checked) mask are kept and reused instead of decoded again. The
    arrays of a Sample are therefore read-only; copy them before editing in place.

    ``max_pixels``: larger images are a :class:`DataError` (None: Pillow's limit; 0: none; see the module docstring).
    """

    def __init__(self, max_pixels: int | None = None) -> None:
        self.max_pixels = max_pixels
        self._target: tuple[Path, np.ndarray, bytes] | None = None
        self._mask: tuple[Path, np.ndarray, str | None, bytes] | None = None

    def _load_target(self, path: Path) -> tuple[np.ndarray, bytes]:
        if self._target is None or self._target[0] != path:
            self._target = None  # drop the old one before decoding the next (these can be 24 MP)
            image, data = _open(path, self.max_pixels)
            self._target = (path, _image_array(image), _file_digest(data))
        return self._target[1], self._target[2]

    def _load_mask(self, path: Path) -> tuple[np.ndarray, str | None, bytes]:
        if self._mask is None or self._mask[0] != path:
            self._mask = None
            image, data = _open(path, self.max_pixels)
            mask = _mask_array(image)
            mask.flags.writeable = False  # shared by every composite of this mask
            self._mask = (path, mask, mask_problem(mask), _file_digest(data))
        return self._mask[1], self._mask[2], self._mask[3]

    def load(self, ref: SampleRef) -> Sample:
        image, data = _open(Path(ref.composite_path), self.max_pixels)
        composite, composite_digest = _image_array(image), _file_digest(data)
        mask, problem, mask_digest = self._load_mask(Path(ref.mask_path))
        if mask.shape != composite.shape[:2]:
            raise DataError(f"{ref.mask_path}: mask is {_size_text(mask)} but composite {ref.composite_path} "
                            f"is {_size_text(composite)}")
        if problem:
            raise DataError(f"{ref.mask_path}: {problem}")
        target, digests = None, [composite_digest, mask_digest]
        if ref.target_path is not None:
            target, target_digest = self._load_target(Path(ref.target_path))
            digests.append(target_digest)
            if target.shape != composite.shape:
                raise DataError(f"{ref.target_path}: real image is {_size_text(target)} but composite "
                                f"{ref.composite_path} is {_size_text(composite)}")
        return Sample(name=ref.name, subset=ref.subset, composite=composite, mask=mask, target=target,
                      input_hash=input_hash(digests))
