"""Figure-3-style qualitative grids from saved run outputs, drawn with PIL and numpy only.

Rows are images; columns are the composite, the ground truth (when the data has it) and each run's output. The
foreground is outlined (mask contour) on every tile, and ``zoom`` adds an enlarged crop of the foreground in the
tile corner farthest from it, with the cropped region framed. Composite, target and mask are re-read from the run's
data root and prepared exactly as the run prepared them (``summary["size"]`` with ``summary["resize"]``), so the
columns line up pixel for pixel with the saved outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from harmbench.weights import is_untrained

OUTLINE_COLOR = (255, 48, 48)
ZOOM_COLOR = (255, 214, 0)


class FigureError(ValueError):
    """A run folder that cannot be drawn (no saved images, missing names, mismatched data)."""


def outline(image: np.ndarray, mask: np.ndarray, color=OUTLINE_COLOR, width: int | None = None) -> np.ndarray:
    """``image`` (H,W,3 uint8) with the boundary of ``mask > 0.5`` painted in ``color``, about ``width`` px thick.

    The band is dilation minus erosion of the binary mask (PIL rank filters), so it straddles the contour.
    """
    height, width_px = mask.shape
    width = width or max(1, round(max(height, width_px) / 300))
    binary = Image.fromarray(((mask > 0.5) * 255).astype(np.uint8))
    kernel = 2 * ((width + 1) // 2) + 1  # odd rank-filter size covering `width`
    dilated = np.asarray(binary.filter(ImageFilter.MaxFilter(kernel)))
    band = dilated != np.asarray(binary.filter(ImageFilter.MinFilter(kernel)))
    out = image.copy()
    out[band] = color
    return out


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Float image on the 0-255 scale (or uint8) -> uint8, rounded and clipped."""
    if image.dtype == np.uint8:
        return image
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def resize(image: np.ndarray, size: tuple[int, int], resample=Image.Resampling.LANCZOS) -> np.ndarray:
    """Resize an (H,W,3) uint8 or (H,W) float image to ``size`` = (width, height)."""
    if image.ndim == 2:
        return np.asarray(Image.fromarray(image.astype(np.float32), mode="F").resize(size, Image.Resampling.BILINEAR))
    if (image.shape[1], image.shape[0]) == size:
        return image
    return np.asarray(Image.fromarray(image).resize(size, resample))


def zoom_box(mask: np.ndarray) -> tuple[float, float, float, float] | None:
    """A square crop around the foreground as fractions (left, top, right, bottom) of the image, its side between
    1/6 and 2/5 of the shorter image side; None for an empty mask."""
    rows, cols = np.nonzero(mask > 0.5)
    if rows.size == 0:
        return None
    height, width = mask.shape
    side = max(rows.max() - rows.min(), cols.max() - cols.min()) * 1.15
    side = int(np.clip(side, min(height, width) / 6, min(height, width) * 0.4))
    cy, cx = (rows.min() + rows.max()) // 2, (cols.min() + cols.max()) // 2
    top = int(np.clip(cy - side // 2, 0, height - side))
    left = int(np.clip(cx - side // 2, 0, width - side))
    return left / width, top / height, (left + side) / width, (top + side) / height


def add_zoom_inset(tile: np.ndarray, source: np.ndarray, box: tuple[float, float, float, float],
                   fraction: float = 0.42) -> np.ndarray:
    """Frame ``box`` (fractions) on ``tile`` and paste that region of ``source`` (the same picture at full
    resolution, so the inset shows real detail) enlarged into the tile corner farthest from the box."""
    height, width = tile.shape[:2]
    line = max(1, round(max(height, width) / 250))
    inset = int(min(height, width) * fraction)
    src_h, src_w = source.shape[:2]
    crop_box = (round(box[0] * src_w), round(box[1] * src_h), round(box[2] * src_w), round(box[3] * src_h))
    crop = Image.fromarray(source).crop(crop_box).resize((inset, inset), Image.Resampling.LANCZOS)
    frame = (round(box[0] * width), round(box[1] * height), round(box[2] * width) - 1, round(box[3] * height) - 1)
    canvas = Image.fromarray(tile)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle(frame, outline=ZOOM_COLOR, width=line)
    x = 0 if (box[0] + box[2]) / 2 > 0.5 else width - inset
    y = 0 if (box[1] + box[3]) / 2 > 0.5 else height - inset
    canvas.paste(crop, (x, y))
    draw.rectangle((x, y, x + inset - 1, y + inset - 1), outline=ZOOM_COLOR, width=line)
    return np.asarray(canvas)


@dataclass
class RunImages:
    """One run folder (read by :func:`harmbench.results.load_run`): its summary, per-image metrics by name and saved
    output directory."""

    path: Path
    summary: dict
    rows: dict[str, dict]
    images_dir: Path

    @property
    def label(self) -> str:
        """The method's name; " (untrained)" marks a ``--random-init`` run of a learned method."""
        name = str(self.summary.get("method", self.path.name))
        return f"{name} (untrained)" if is_untrained(self.summary) else name

    @classmethod
    def open(cls, path: str | Path) -> RunImages:
        from harmbench.results import SUMMARY_FILE, ResultError, load_run

        path = Path(path)
        if not (path / SUMMARY_FILE).is_file():
            raise FigureError(f"{path}: not a run folder (no {SUMMARY_FILE})")
        try:
            run = load_run(path)
        except ResultError as exc:
            raise FigureError(str(exc)) from None
        for key in ("size", "resize", "data"):
            if key not in run.summary:
                raise FigureError(f"{path / SUMMARY_FILE}: no '{key}' entry")
        if not run.images_dir.is_dir() or not any(run.images_dir.glob("*.png")):
            raise FigureError(f"{path}: no saved images (images/ is missing or empty); "
                              "rerun `harmbench run` with --save-images")
        return cls(path, run.summary, run.rows_by_name(), run.images_dir)

    def output(self, name: str) -> np.ndarray:
        file = self.images_dir / f"{name}.png"
        if not file.is_file():
            raise FigureError(f"{file}: no saved output for '{name}' in this run")
        with Image.open(file) as image:
            return np.asarray(image.convert("RGB"))

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.images_dir.glob("*.png"))


def _font(size: int):
    return ImageFont.load_default(size=size)


def _pick_names(runs: list[RunImages], count: int) -> list[str]:
    """``count`` names saved by every run, spread evenly over the sorted list (so all subsets tend to appear)."""
    common = sorted(set.intersection(*(set(run.names()) for run in runs)))
    if not common:
        raise FigureError("the runs have no saved image name in common")
    if count >= len(common):
        return common
    return [common[i] for i in np.linspace(0, len(common) - 1, count).round().astype(int)]


def _caption(row: dict | None) -> str:
    if not row or "psnr" not in row:
        return ""
    return f"PSNR {row['psnr']:.2f}" + (f"  fMSE {row['fmse']:.1f}" if "fmse" in row else "")


def make_figure(run_dirs: list[str | Path], n_images: int = 4, names: list[str] | None = None, zoom: bool = False,
                cell: int = 256) -> Image.Image:
    """The comparison grid as a PIL image; see the module docstring. ``cell`` is the long side of one tile."""
    from harmbench.data import open_dataset
    from harmbench.data.io import SampleLoader
    from harmbench.data.resize import prepare

    if not run_dirs:
        raise FigureError("give at least one run folder")
    runs = [RunImages.open(path) for path in run_dirs]
    data = runs[0].summary["data"]
    for run in runs[1:]:
        other = run.summary["data"]
        if (other.get("root"), other.get("split"), other.get("name")) != (data.get("root"), data.get("split"),
                                                                           data.get("name")):
            raise FigureError(f"{run.path}: evaluated on {other.get('name')} ({other.get('root')}), but "
                              f"{runs[0].path} on {data.get('name')} ({data.get('root')}); figure runs on one dataset")
    if names:
        missing = [(run.path, n) for run in runs for n in names if not (run.images_dir / f"{n}.png").is_file()]
        if missing:
            raise FigureError(f"{missing[0][0]}: no saved output for '{missing[0][1]}'")
    else:
        names = _pick_names(runs, n_images)

    dataset = open_dataset(data.get("root"), split=data.get("split") or "test", subset=data.get("subset"))
    refs = {ref.name: ref for ref in dataset.refs}
    unknown = [n for n in names if n not in refs]
    if unknown:
        raise FigureError(f"'{unknown[0]}' is not in the dataset {data.get('root')} (split {data.get('split')})")
    loader = SampleLoader()
    size, mode = int(runs[0].summary["size"]), runs[0].summary["resize"]

    grid_rows = []
    for name in names:
        prepared = prepare(loader.load(refs[name]), size, mode)
        mask = prepared.mask
        tiles = [("composite", prepared.composite, name)]
        if prepared.target is not None:
            tiles.append(("ground truth", prepared.target, ""))
        tiles += [(run.label, run.output(name), _caption(run.rows.get(name))) for run in runs]
        grid_rows.append((mask, tiles))

    # Each tile fits a cell x cell slot (long side = cell); rows may differ in aspect when runs kept native sizes.
    tile_sizes = [_fit(mask.shape, cell) for mask, _ in grid_rows]
    gap, header, caption = max(4, cell // 40), max(18, cell // 9), max(16, cell // 12)
    n_cols = len(grid_rows[0][1])
    total_h = header + sum(h + caption + gap for _, h in tile_sizes) + gap
    canvas = Image.new("RGB", (n_cols * cell + (n_cols + 1) * gap, total_h), "white")
    draw = ImageDraw.Draw(canvas)
    header_font, caption_font = _font(max(11, header * 3 // 5)), _font(max(10, caption * 3 // 5))
    for col, (label, _, _) in enumerate(grid_rows[0][1]):
        draw.text((gap + col * (cell + gap) + cell // 2, header // 2 + gap // 2), label, fill="black",
                  font=header_font, anchor="mm")
    y = header
    for (mask, tiles), (tile_w, tile_h) in zip(grid_rows, tile_sizes, strict=True):
        tile_mask = resize(mask, (tile_w, tile_h))
        box = zoom_box(mask) if zoom else None
        for col, (_, image, text) in enumerate(tiles):
            tile = outline(resize(image, (tile_w, tile_h)), tile_mask)
            if box is not None:
                tile = add_zoom_inset(tile, image, box)
            x = gap + col * (cell + gap) + (cell - tile_w) // 2
            canvas.paste(Image.fromarray(tile), (x, y))
            if text:
                draw.text((x + tile_w // 2, y + tile_h + caption // 2), text, fill="black", font=caption_font,
                          anchor="mm")
        y += tile_h + caption + gap
    return canvas


def _fit(shape: tuple[int, int], cell: int) -> tuple[int, int]:
    """(width, height) of an image of ``shape`` = (H, W) scaled so its long side is ``cell``."""
    height, width = shape
    scale = cell / max(height, width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def save_figure(run_dirs: list[str | Path], out: str | Path, **options) -> Path:
    """:func:`make_figure` written to ``out`` (format from the suffix, e.g. .png or .jpg)."""
    out = Path(out)
    figure = make_figure(run_dirs, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.save(out)
    return out
