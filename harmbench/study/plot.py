"""``study score --plot FILE.png``: the results figure as papers print it, drawn with PIL (no plotting dependency).

Left: one row per method, best first, its Bradley–Terry score as a dot with the 95 % rater-bootstrap interval as a
bar, on a shared axis with ticks. Right: the pairwise win-rate matrix (share of row-vs-column votes won by the row),
cells shaded from blue (0) through white (0.5) to red (1), with the value printed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from harmbench.study.scoring import StudyScores

ROW = 44
LABEL = 170
PANEL = 420
MARGIN = 30


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one bitmap size only
        return ImageFont.load_default()


def _shade(rate: float) -> tuple[int, int, int]:
    """Blue (0) -> white (0.5) -> red (1)."""
    t = abs(rate - 0.5) * 2
    strong = (200, 60, 50) if rate >= 0.5 else (50, 90, 200)
    return tuple(int(round(255 * (1 - t) + c * t)) for c in strong)


def _ticks(low: float, high: float) -> list[float]:
    step = max(0.1, float(10 ** np.floor(np.log10(max(high - low, 1e-9)))) / 2)
    if (high - low) / step > 8:
        step *= 2
    return list(np.arange(np.ceil(low / step) * step, high + 1e-9, step))


def plot_scores(scores: StudyScores, out: str | Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise ValueError(f"{out}: --plot writes a .png file")
    order = scores.ranking
    n = len(order)
    low = scores.interval[:, 0] if scores.interval is not None else scores.theta
    high = scores.interval[:, 1] if scores.interval is not None else scores.theta
    lo, hi = float(min(low.min(), scores.theta.min())), float(max(high.max(), scores.theta.max()))
    pad = max(0.1, 0.08 * (hi - lo))
    lo, hi = lo - pad, hi + pad
    cell = min(ROW + 16, PANEL // max(n, 1))
    width = MARGIN + LABEL + PANEL + 2 * MARGIN + LABEL + cell * n + MARGIN
    height = MARGIN * 2 + 40 + max(ROW * n + 50, cell * n + 60)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title, text, small = _font(18), _font(15), _font(12)

    # left panel: scores with intervals
    x0, y0 = MARGIN + LABEL, MARGIN + 40
    # ASCII hyphen: Pillow's default font has no en dash
    draw.text((MARGIN, MARGIN), "Bradley-Terry score (95 % CI over raters)", fill="black", font=title)

    def x_of(value: float) -> float:
        return x0 + (value - lo) / (hi - lo) * PANEL

    axis_y = y0 + ROW * n + 6
    draw.line([(x0, axis_y), (x0 + PANEL, axis_y)], fill="black")
    for tick in _ticks(lo, hi):
        x = x_of(tick)
        draw.line([(x, y0 - 4), (x, axis_y)], fill=(225, 225, 225))
        draw.line([(x, axis_y), (x, axis_y + 5)], fill="black")
        draw.text((x, axis_y + 8), f"{tick:.1f}", fill="black", font=small, anchor="mt")
    for row, i in enumerate(order):
        y = y0 + ROW * row + ROW // 2
        draw.text((x0 - 10, y), scores.methods[i], fill="black", font=text, anchor="rm")
        draw.line([(x_of(low[i]), y), (x_of(high[i]), y)], fill=(60, 60, 60), width=3)
        for edge in (low[i], high[i]):
            draw.line([(x_of(edge), y - 7), (x_of(edge), y + 7)], fill=(60, 60, 60), width=2)
        cx = x_of(scores.theta[i])
        draw.ellipse([(cx - 6, y - 6), (cx + 6, y + 6)], fill=(200, 60, 50))

    # right panel: win-rate matrix
    mx, my = x0 + PANEL + 2 * MARGIN + LABEL, y0
    draw.text((mx - LABEL, MARGIN), "win rate of row over column", fill="black", font=title)
    rates = scores.win_rate()
    for r, i in enumerate(order):
        draw.text((mx - 8, my + cell * r + cell // 2), scores.methods[i], fill="black", font=text, anchor="rm")
        for c, j in enumerate(order):
            box = [(mx + cell * c, my + cell * r), (mx + cell * (c + 1) - 1, my + cell * (r + 1) - 1)]
            rate = rates[i, j]
            if i == j or np.isnan(rate):
                draw.rectangle(box, fill=(235, 235, 235))
                continue
            draw.rectangle(box, fill=_shade(float(rate)))
            draw.text((mx + cell * c + cell // 2, my + cell * r + cell // 2), f"{rate:.2f}", fill="black",
                      font=small, anchor="mm")
    for c, j in enumerate(order):
        draw.text((mx + cell * c + cell // 2, my + cell * n + 6), scores.methods[j][:10], fill="black", font=small,
                  anchor="mt")
    draw.text((MARGIN, height - MARGIN), f"{scores.n_votes} votes, {scores.raters} raters, alpha = {scores.alpha:g}",
              fill=(90, 90, 90), font=small, anchor="lb")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out)
    return out
