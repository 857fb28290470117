"""The report's HTML: plain markup with a little inline CSS and no script, so it opens from disk anywhere.

Tables are rendered from :class:`harmbench.tables.TableData` with the same best-value marking as the other
renderers; a mean with statistics carries its CI half-width (the interval itself in the tooltip) and the marks of
:meth:`harmbench.tables.TableStatistics.marks`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from harmbench import tables
from harmbench.report.gallery import Gallery
from harmbench.report.runs import ReportRun, context_record

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 1.5em 3em; color: #222; }
h1 { margin-bottom: .2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
nav a { margin-right: 1em; }
.warning { background: #fff4ce; border: 1px solid #e0b000; padding: .6em 1em; border-radius: 4px; }
table.data { border-collapse: collapse; margin: 1em 0 .3em; font-variant-numeric: tabular-nums; }
table.data caption { text-align: left; font-weight: 600; padding-bottom: .3em; }
table.data th, table.data td { padding: .25em .7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
table.data th:first-child, table.data td:first-child { text-align: left; }
table.data tr.section th { text-align: left; font-style: italic; background: #f3f6fa; font-weight: normal; }
table.data tr.paper td { color: #777; }
.ci { color: #666; font-size: 85%; } .mark { color: #b05000; }
p.note { color: #555; font-size: 90%; margin: .2em 0; }
img.plot { max-width: 100%; height: auto; border: 1px solid #eee; }
.row { display: flex; gap: .6em; overflow-x: auto; margin: .8em 0 1.4em; }  /* one image per row, side by side */
.row figure { margin: 0; flex: none; } .row img { display: block; border: 1px solid #ddd; }
.row figcaption { font-size: 85%; max-width: 240px; } .row figcaption b { display: block; }
details { margin: .4em 0; } details summary { cursor: pointer; font-weight: 600; }
dl.context { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; }
dl.context dt { color: #555; } dl.context dd { margin: 0; word-break: break-all; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; }
"""


@dataclass
class Plot:
    title: str
    src: str  # relative to the report folder
    caption: str


@dataclass
class Page:
    title: str
    generated: str
    runs: list[ReportRun]
    warnings: list[str] = field(default_factory=list)
    tables: list[tables.TableData] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    gallery: Gallery = field(default_factory=Gallery)


def table_html(table: tables.TableData) -> str:
    """``table`` as an HTML ``<table>`` (sections as header rows, best values in bold, paper rows greyed) followed
    by its notes."""
    best = tables.best_cells(table)
    stats = table.statistics
    width = len(table.columns)
    lines = [f'<table class="data"><caption>{escape(table.title)}</caption>', "<thead><tr>"
             + "".join(f"<th>{escape(col.label)}</th>" for col in table.columns) + "</tr></thead><tbody>"]
    group = object()
    for i, row in enumerate(table.rows):
        if row.get("_group") != group:
            group = row.get("_group")
            if group is not None:
                lines.append(f'<tr class="section"><th colspan="{width}">{escape(str(group))}</th></tr>')
        is_paper = row.get("_source") == "paper"
        cells = []
        for col in table.columns:
            text = escape(tables.format_cell(col, row.get(col.key)))
            if col is table.columns[0] and is_paper:
                text += " (paper)"
            if (i, col.key) in best:
                text = f"<strong>{text}</strong>"
            if stats is not None:
                interval = stats.intervals.get((i, col.key))
                if interval is not None:
                    low, high, half = (col.fmt.format(v) for v in (interval.low, interval.high, interval.half_width))
                    text += (f' <span class="ci" title="{stats.settings.confidence:.0%} CI [{low}, {high}]">'
                             f"±{escape(half)}</span>")
                marks = stats.marks((i, col.key))
                if marks:
                    text += f' <span class="mark">{escape(marks)}</span>'
            cells.append(f"<td>{text}</td>")
        lines.append(f'<tr{" class=paper" if is_paper else ""}>' + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    notes = table.notes + (["(paper): figures reported in the CDTNet paper, not measured here."]
                           if any(r.get("_source") == "paper" for r in table.rows) else [])
    lines += [f'<p class="note">{escape(note)}</p>' for note in notes]
    return "\n".join(lines)


def _context_html(r: ReportRun) -> str:
    record = context_record(r)
    config = record.pop("config")
    items = "".join(f"<dt>{escape(key)}</dt><dd>{escape(json.dumps(value) if isinstance(value, dict) else str(value))}"
                    "</dd>" for key, value in record.items())
    return (f"<details><summary>{escape(r.label)}</summary><dl class=\"context\">{items}</dl>"
            f"<pre>{escape(json.dumps(config, indent=2, default=str))}</pre></details>")


def _gallery_html(gallery: Gallery) -> str:
    parts = [f'<p class="note">{escape(note)}</p>' for note in gallery.notes]
    if gallery.selections:
        parts.append('<p class="note">Click a picture for the full-resolution file. The composite shows the '
                     "foreground outlined in red.</p>")
    for selection in gallery.selections:
        parts.append(f"<h3>{escape(selection.title)}</h3>")
        if not selection.names:
            parts.append('<p class="note">No such image.</p>')
        for name in selection.names:
            figures = []
            for tile in gallery.tiles[name]:
                caption = f"<b>{escape(tile.label)}</b>" + "".join(f"{escape(line)}<br>" for line in tile.caption)
                figures.append(f'<figure><a href="{escape(tile.full)}"><img src="{escape(tile.thumb)}" '
                               f'width="{tile.width}" height="{tile.height}" alt="{escape(tile.label)}: '
                               f'{escape(name)}"></a><figcaption>{caption}</figcaption></figure>')
            parts.append(f'<div class="row" data-image="{escape(name)}">' + "".join(figures) + "</div>")
    return "\n".join(parts)


def render_page(page: Page) -> str:
    """The whole ``index.html``."""
    sections = [("tables", "Tables"), ("plots", "Plots"), ("gallery", "Gallery"), ("runs", "Runs")]
    body = [f"<h1>{escape(page.title)}</h1>",
            f'<p class="note">{len(page.runs)} run(s); generated {escape(page.generated)} by harmbench report.</p>',
            "<nav>" + "".join(f'<a href="#{key}">{title}</a>' for key, title in sections) + "</nav>"]
    if page.warnings:
        body.append('<div class="warning" role="alert"><strong>Read before comparing:</strong><ul>'
                    + "".join(f"<li>{escape(line)}</li>" for line in page.warnings) + "</ul></div>")
    body.append('<h2 id="tables">Tables</h2>')
    body += [table_html(table) for table in page.tables]
    body.append('<h2 id="plots">Plots</h2>')
    for plot in page.plots:
        body.append(f"<h3>{escape(plot.title)}</h3><p class=\"note\">{escape(plot.caption)}</p>"
                    f'<img class="plot" src="{escape(plot.src)}" alt="{escape(plot.title)}">')
    body.append('<h2 id="gallery">Gallery</h2>')
    body.append(_gallery_html(page.gallery))
    body.append('<h2 id="runs">Runs</h2>')
    body += [_context_html(r) for r in page.runs]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(page.title)}</title><style>{STYLE}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")
