"""The synthetic set: HAdobe5k-like triplets made offline from the colour photos bundled with scikit-image.

Each real image is a random crop (and maybe a horizontal flip) of one bundled photo, resized to ``size`` x ``size``
(the photos are 300-741 px, so 1024 and 2048 are upsampled). Each real gets ``MASKS_PER_REAL`` foreground masks and
each mask ``RETOUCHES_PER_MASK`` composites (4 per real; HAdobe5k has 5 per real):

* masks follow image structure: SLIC superpixels, grown from a random seed superpixel by repeatedly adding the
  neighbour closest in colour (Lab) to the region, until a target area; a minority (``BLOB_SHARE``) are smooth
  random blobs. Target foreground ratios are log-uniform over 1-60 % (median 7.7 %; HAdobe5k's test median is 8.6 %).
* composite = the photo with a random global retouch applied to the foreground only: exposure and white balance in
  linear light, an S-shaped tone curve, saturation (the kind of expert edit HAdobe5k's composites come from).
  target = the original photo. Everything is PNG, so the composite's background is bit-identical to the target.

Same seed, same parameters (and library versions) -> identical bytes. Written in the iHarmony4 layout (subset
"synthetic"), with a README.md and ``synthetic.json`` (parameters and per-composite details) in the output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from harmbench.data.sample import DataError

SUBSET = "synthetic"
MANIFEST = "synthetic.json"
FORMAT_VERSION = 2  # bump when generation changes: default_dataset() then remakes its cached set
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "motorcycle_right")
MASKS_PER_REAL = 2
RETOUCHES_PER_MASK = 2
BLOB_SHARE = 0.25
FG_RATIO_RANGE = (0.01, 0.60)
CROP_SIDE_RANGE = (0.55, 1.0)  # crop side as a share of the photo's short side
WORK_SIZE = 512  # masks are designed at most at this size, then upsampled smoothly
SUPERPIXELS = 150
DEFAULT_SIZE, DEFAULT_N_TRAIN, DEFAULT_N_TEST = 1024, 100, 24
PNG_LEVEL = 1  # fast zlib level; sizes are within ~15 % of the default level
SPLIT_CODES = {"train": 0, "test": 1}


def default_dataset_root() -> Path:
    """``$HARMBENCH_DATA`` if set, else ``./datasets`` (relative to the working directory)."""
    env = os.environ.get("HARMBENCH_DATA")
    return Path(env) if env else Path.cwd() / "datasets"


def default_dataset() -> Path:
    """``<default root>/synthetic``, made with the defaults on first use (about 25 s of CPU) and reused afterwards.

    A set there made by ``harmbench data synth`` with other options is used as it is; one made by an older version
    of this generator is remade.
    """
    out = default_dataset_root() / SUBSET
    if _format_of(out) != FORMAT_VERSION:
        make_synthetic(out)
    return out


def _format_of(folder: Path) -> int | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        return None


def _load_photos() -> dict[str, np.ndarray]:
    from skimage import data  # only the photos shipped inside the wheel: nothing is downloaded

    left, right, _ = data.stereo_motorcycle()
    return {"astronaut": data.astronaut(), "coffee": data.coffee(), "chelsea": data.chelsea(),
            "rocket": data.rocket(), "motorcycle_left": left, "motorcycle_right": right}


def _random_view(photo: np.ndarray, size: int, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    height, width = photo.shape[:2]
    side = int(round(rng.uniform(*CROP_SIDE_RANGE) * min(height, width)))
    top, left = int(rng.integers(0, height - side + 1)), int(rng.integers(0, width - side + 1))
    flip = bool(rng.random() < 0.5)
    crop = photo[top:top + side, left:left + side]
    if flip:
        crop = crop[:, ::-1]
    image = np.asarray(Image.fromarray(np.ascontiguousarray(crop)).resize((size, size), Image.Resampling.BICUBIC))
    return image, {"crop": [left, top, side, side], "flip": flip}


class _Superpixels:
    """SLIC superpixels of one image with their areas, mean Lab colours and adjacency (computed once per real)."""

    def __init__(self, image: np.ndarray) -> None:
        from skimage.color import rgb2lab
        from skimage.segmentation import slic

        self.labels = slic(image, n_segments=SUPERPIXELS, compactness=10, start_label=0, channel_axis=-1)
        count = int(self.labels.max()) + 1
        flat = self.labels.ravel()
        self.area = np.bincount(flat, minlength=count).astype(np.float64)
        lab = rgb2lab(image).reshape(-1, 3)
        self.colour = np.stack([np.bincount(flat, weights=lab[:, c], minlength=count) for c in range(3)], 1)
        self.colour /= np.maximum(self.area, 1)[:, None]
        self.adjacent = np.zeros((count, count), dtype=bool)
        for first, second in ((self.labels[:, :-1], self.labels[:, 1:]), (self.labels[:-1], self.labels[1:])):
            differ = first != second
            self.adjacent[first[differ], second[differ]] = True
        self.adjacent |= self.adjacent.T

    def grow_region(self, ratio: float, rng: np.random.Generator) -> np.ndarray:
        """A connected union of superpixels grown from a random seed, by colour similarity, to ``ratio`` area."""
        inside = np.zeros(len(self.area), dtype=bool)
        seed = int(rng.integers(len(self.area)))
        inside[seed] = True
        frontier = self.adjacent[seed] & ~inside
        grown, colour_sum, target = self.area[seed], self.colour[seed] * self.area[seed], ratio * self.labels.size
        while grown < target and frontier.any():  # at most one step per superpixel
            candidates = np.flatnonzero(frontier)
            distance = np.linalg.norm(self.colour[candidates] - colour_sum / grown, axis=1)
            pick = int(candidates[np.argmin(distance + rng.normal(0, 6.0, len(candidates)))])
            inside[pick] = True
            frontier = (frontier | self.adjacent[pick]) & ~inside
            grown += self.area[pick]
            colour_sum = colour_sum + self.colour[pick] * self.area[pick]
        return inside[self.labels]


def _blob(shape: tuple[int, int], ratio: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth random blob: an elliptical bump plus low-frequency noise, thresholded to ``ratio``, one component."""
    from skimage.measure import label

    height, width = shape
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    y, x = y / height - rng.uniform(0.25, 0.75), x / width - rng.uniform(0.25, 0.75)
    angle = rng.uniform(0, np.pi)
    u, v = x * np.cos(angle) + y * np.sin(angle), -x * np.sin(angle) + y * np.cos(angle)
    field = -(u / rng.uniform(0.15, 0.4)) ** 2 - (v / rng.uniform(0.15, 0.4)) ** 2
    noise = torch.from_numpy(rng.standard_normal((1, 1, 6, 6)).astype(np.float32))
    field += 0.8 * F.interpolate(noise, size=shape, mode="bicubic", align_corners=True)[0, 0].numpy()
    region = field > np.quantile(field, 1 - ratio)
    components = label(region, connectivity=1)
    return components == components.flat[np.argmax(np.where(region, field, -np.inf))]


def _mask(real: np.ndarray, size: int, rng: np.random.Generator, superpixels: dict) -> tuple[np.ndarray, dict]:
    """Binary size x size mask, designed at <= WORK_SIZE and upsampled with smooth (not blocky) edges.

    ``superpixels`` caches the real image's segmentation between its masks.
    """
    ratio = float(np.exp(rng.uniform(*np.log(FG_RATIO_RANGE))))
    work = min(size, WORK_SIZE)
    kind = "blob" if rng.random() < BLOB_SHARE else "superpixels"
    if kind == "blob":
        region = _blob((work, work), ratio, rng)
    else:
        if "value" not in superpixels:
            small = real if work == size else np.asarray(Image.fromarray(real).resize((work, work),
                                                                                       Image.Resampling.BOX))
            superpixels["value"] = _Superpixels(small)
        region = superpixels["value"].grow_region(ratio, rng)
    if work != size:
        smooth = F.interpolate(torch.from_numpy(region.astype(np.float32))[None, None], size=(size, size),
                               mode="bilinear", align_corners=False)[0, 0].numpy()
        region = smooth > 0.5
    return region, {"kind": kind, "target_fg_ratio": round(ratio, 4), "fg_ratio": round(float(region.mean()), 4)}


def _retouch_params(rng: np.random.Generator) -> dict:
    """Random edit strengths.

    On the bundled photos they give a foreground MSE of about 1400 on average (median 1250, 0-255 scale); HAdobe5k's
    composites average about 2150 at full resolution, with a long tail.
    """
    sign = rng.choice([-1.0, 1.0], size=2)
    return {"exposure_ev": round(float(sign[0] * rng.uniform(0.3, 1.5)), 4),
            "temperature": round(float(sign[1] * rng.uniform(0.05, 0.35)), 4),
            "tint": round(float(rng.uniform(-0.1, 0.1)), 4),
            "contrast": round(float(rng.uniform(-0.6, 0.6)), 4),
            "saturation": round(float(rng.uniform(0.5, 1.6)), 4)}


def _retouch(pixels: np.ndarray, params: dict) -> np.ndarray:
    """Global edit of N x 3 uint8 pixels (the caller passes only the foreground)."""
    # Every step before saturation acts on one channel, so it is a 256-entry table per channel.
    levels = (np.arange(256, dtype=np.float64) / 255.0) ** 2.2
    gains = np.array([1 + params["temperature"], 1 + params["tint"], 1 - params["temperature"]])
    encoded = np.clip(levels[:, None] * gains * 2.0 ** params["exposure_ev"], 0, 1) ** (1 / 2.2)
    # S-shaped tone curve: fixes 0, 0.5 and 1; slope 1 + contrast at mid-grey, 1 - contrast at the ends.
    table = (encoded - params["contrast"] * np.sin(2 * np.pi * encoded) / (2 * np.pi)).astype(np.float32)
    toned = np.stack([table[pixels[:, c], c] for c in range(3)], axis=1)
    luminance = toned @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    saturated = luminance[:, None] + np.float32(params["saturation"]) * (toned - luminance[:, None])
    return np.clip(np.rint(saturated * 255), 0, 255).astype(np.uint8)


def _write_real(root: Path, real_name: str, photo_name: str, photo: np.ndarray, size: int, count: int,
                rng: np.random.Generator, writer: ThreadPoolExecutor) -> list[dict]:
    """One real image, its masks and ``count`` composites; returns one manifest record per composite."""
    pending = []

    def save_png(image: np.ndarray, path: Path) -> None:
        # zlib releases the GIL: encoding on worker threads overlaps with generating the next image.
        pending.append(writer.submit(Image.fromarray(image).save, path, format="PNG", compress_level=PNG_LEVEL))

    real, view = _random_view(photo, size, rng)
    save_png(real, root / "real_images" / f"{real_name}.png")
    records = []
    superpixels: dict = {}
    for mask_index in range(1, MASKS_PER_REAL + 1):
        if len(records) == count:
            break
        mask, mask_info = _mask(real, size, rng, superpixels)
        save_png((mask * 255).astype(np.uint8), root / "masks" / f"{real_name}_{mask_index}.png")
        for retouch_index in range(1, RETOUCHES_PER_MASK + 1):
            if len(records) == count:
                break
            params = _retouch_params(rng)
            composite = real.copy()
            composite[mask] = _retouch(real[mask], params)
            name = f"{real_name}_{mask_index}_{retouch_index}"
            save_png(composite, root / "composite_images" / f"{name}.png")
            records.append({"name": name, "photo": photo_name, **view, **mask_info, "retouch": params})
    for job in pending:
        job.result()  # re-raises a failed write
    return records


def _readme(params: dict, records: dict[str, list[dict]]) -> str:
    ratios = np.array([r["fg_ratio"] for split in records.values() for r in split])
    kinds = [r["kind"] for split in records.values() for r in split]
    per_real = MASKS_PER_REAL * RETOUCHES_PER_MASK
    return f"""# Synthetic harmonization set (generated)

Made by `harmbench data synth` (harmbench.data.synth, format {FORMAT_VERSION}). Not real data:
use it to exercise the pipeline (runs, training smoke tests, CI), never to rank methods.

| parameter | value |
|---|---|
| seed | {params["seed"]} |
| size | {params["size"]} x {params["size"]} px (square) |
| composites | train {len(records["train"])}, test {len(records["test"])} |
| per real image | {MASKS_PER_REAL} masks x {RETOUCHES_PER_MASK} retouches = {per_real} composites |
| source photos | scikit-image bundled photos: {", ".join(PHOTOS)} |
| crops | square, side {CROP_SIDE_RANGE[0]:.0%}-{CROP_SIDE_RANGE[1]:.0%} of the photo's short side, random \
position, horizontal flip with p = 0.5 |
| resampling | bicubic to {params["size"]} px; the photos are 300-741 px, so sizes above that are **upsampled** \
(soft detail) |
| masks | SLIC ({SUPERPIXELS} superpixels) regions grown by colour similarity; {BLOB_SHARE:.0%} smooth blobs; \
designed at <= {WORK_SIZE} px, upsampled bilinearly and thresholded at 0.5; binary 0/255 PNG |
| target fg ratio | log-uniform {FG_RATIO_RANGE[0]:.0%}-{FG_RATIO_RANGE[1]:.0%} |
| retouch (foreground only) | exposure +-0.3-1.5 EV and white balance (temperature +-0.05-0.35, tint +-0.1) in \
linear light; S-curve contrast +-0.6; saturation x0.5-1.6 |
| files | PNG throughout (composite background bit-identical to the real image) |

Measured foreground ratios: min {ratios.min():.1%}, median {np.median(ratios):.1%}, max {ratios.max():.1%};
{kinds.count("blob")} blob masks of {len(kinds)} composites.

Layout (iHarmony4): `composite_images/s0001_1_2.png` -> `masks/s0001_1.png` -> `real_images/s0001.png`;
split files `synthetic_train.txt`, `synthetic_test.txt`. Train and test real images are different random crops of
the same six photos. Per-composite details (photo, crop, mask kind, fg ratio, retouch parameters) are in
`{MANIFEST}`.

Photo licences (scikit-image documentation): astronaut (NASA) and rocket (SpaceX) public domain; coffee and
chelsea CC0; motorcycle from the Middlebury 2014 stereo dataset.
"""


def make_synthetic(out, size: int = DEFAULT_SIZE, n_train: int = DEFAULT_N_TRAIN, n_test: int = DEFAULT_N_TEST,
                   seed: int = 0) -> Path:
    """Write the synthetic set to ``out`` (replacing an earlier synthetic set there) and return ``out``.

    ``n_train``/``n_test`` count composites. The folder is built next to ``out`` and moved into place at the end,
    so an interrupted run never leaves a half-written set that looks complete.
    """
    out = Path(out)
    if size < 16:
        raise ValueError(f"synthetic size must be at least 16 px, got {size}")
    if n_train < 0 or n_test < 0 or n_train + n_test == 0:
        raise ValueError(f"need a positive number of composites, got n_train={n_train}, n_test={n_test}")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())):
        raise DataError(f"{out}: exists and is not a synthetic set; choose another output folder")
    photos = _load_photos()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the finished set is an ordinary folder
    try:
        for folder in ("composite_images", "masks", "real_images"):
            (staging / folder).mkdir()
        per_real = MASKS_PER_REAL * RETOUCHES_PER_MASK
        records: dict[str, list[dict]] = {}
        real_number = 0
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as writer:
            for split, wanted in (("train", n_train), ("test", n_test)):
                records[split] = []
                for index in range(-(-wanted // per_real)):
                    real_number += 1
                    # One generator per (seed, split, index): test images stay the same when n_train changes
                    # (only their numbers move).
                    rng = np.random.default_rng([seed, SPLIT_CODES[split], index])
                    photo_name = PHOTOS[(index + 3 * SPLIT_CODES[split]) % len(PHOTOS)]
                    count = min(per_real, wanted - len(records[split]))
                    records[split] += _write_real(staging, f"s{real_number:04d}", photo_name, photos[photo_name],
                                                  size, count, rng, writer)
                names = "".join(f"{r['name']}.png\n" for r in records[split])
                (staging / f"{SUBSET}_{split}.txt").write_text(names, encoding="utf-8")
        params = {"format": FORMAT_VERSION, "seed": seed, "size": size, "n_train": n_train, "n_test": n_test}
        (staging / "README.md").write_text(_readme(params, records), encoding="utf-8")
        manifest = {**params, "photos": list(PHOTOS), "masks_per_real": MASKS_PER_REAL,
                    "retouches_per_mask": RETOUCHES_PER_MASK, "composites": records}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
