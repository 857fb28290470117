"""Helpers shared by command modules: the one place consoles are built, expected errors as one red line and exit
code 2, printing tables and JSON."""

from __future__ import annotations

import contextlib
import json
from enum import Enum
from pathlib import Path

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from harmbench.data import DataError
from harmbench.registry import MethodError
from harmbench.results import ResultError

EXPECTED_ERRORS = (DataError, MethodError, ResultError, ValueError, FileNotFoundError)


class Format(str, Enum):
    """Output of commands that print one table or record: a rich table on the terminal, or JSON for scripts."""

    rich = "rich"
    json = "json"


def make_console(stderr: bool = False) -> Console:
    """Every console of the command line. ``soft_wrap``: text lines are never wrapped or cut at the console width, so
    a message written to a file or a pipe stays one greppable line (the terminal folds long lines itself; tables still
    fit the width). Rich adds colours only on a terminal and honours ``NO_COLOR`` (and ``COLUMNS``), read here, when
    the command runs."""
    return Console(stderr=stderr, soft_wrap=True)


# Built at import for modules that print through a shared console; commands build theirs with make_console().
err_console = make_console(stderr=True)


@contextlib.contextmanager
def user_errors():
    """Report bad input as one line (the message names the file and the problem), not a traceback."""
    try:
        yield
    except EXPECTED_ERRORS as exc:
        make_console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None


def parse_overrides(pairs: list[str] | None) -> dict:
    """``key=value`` strings -> dict, values parsed as Python literals when possible (``lr_size=512`` -> 512)."""
    import ast

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--config expects key=value, got '{pair}'")
        try:
            out[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            out[key] = value
    return out


def write_output(text: str, out: Path | None) -> None:
    """``text`` into the file ``out``, or on standard output as it is (never wrapped) when ``out`` is None."""
    if out:
        out.write_text(text)
    else:
        typer.echo(text, nl=False)


def write_json(record, out: Path | None = None) -> None:
    """``record`` as indented JSON (one document, newline-terminated) by :func:`write_output`."""
    write_output(json.dumps(record, indent=2) + "\n", out)


def print_table(table, console: Console | None = None, names: int = 1) -> None:
    """Print a rich ``table`` fitted to the console width. Its first ``names`` columns identify the rows (method name,
    run label): a name is never cut or broken, whatever the width. A table too wide for the console loses its
    borders and padding, then its columns wrap at spaces, the names last (a label's words after the name, such as
    "(untrained)", may go to the next line); no word is cut while the words fit side by side. Section labels wider
    than the first column then stand on lines of their own (:func:`_print_by_section`)."""
    console = console or make_console()
    if table.title and _plain(table.title) and cell_len(_plain(table.title)[0]) > console.width:
        # a title naming runs by their folders: one line (the terminal folds it), never broken inside a path
        console.print(table.title, highlight=False)
        table.title = None
    if Measurement.get(console, console.options.update_width(10_000), table).maximum > console.width:
        table.box, table.show_edge, table.pad_edge, table.collapse_padding = box.SIMPLE_HEAD, False, False, True
        _fix_widths(table, console.width, names)
        names_column = list(table.columns[0].cells)
        if any(cell_len(line) > table.columns[0].width for row in _section_rows(table)
               for line in _plain(names_column[row])):
            _print_by_section(table, console)
            return
    # soft_wrap off for this print only: the title, caption and cells wrap to the width instead of running past it
    console.print(table, soft_wrap=False)


def _section_rows(table) -> list[int]:
    """The rows that label a section: text in the first column only."""
    cells = [list(column.cells) for column in table.columns]
    return [row for row in range(table.row_count) if all(column[row] == "" for column in cells[1:])]


def _print_by_section(table, console: Console) -> None:
    """A fitted borderless ``table`` whose section labels are wider than its first column, printed as one table per
    section under its label on a line of its own (at 80 columns "1024 × 1024 · synthetic test · squash · profile
    cdtnet v1" otherwise stood one or two words a line down the method column). The pieces keep the fitted column
    widths, so their columns line up; the title and header go with the first piece, the caption with the last."""
    cells = [list(column.cells) for column in table.columns]
    labels = set(_section_rows(table))
    pieces: list[tuple[str | None, list[int]]] = [(None, [])]  # (label, rows); the first: the rows before any label
    for row in range(table.row_count):
        if row in labels:
            pieces.append((cells[0][row], []))
        else:
            pieces[-1][1].append(row)
    for index, (label, rows) in enumerate(pieces):
        if label is not None:
            console.print(label, highlight=False, soft_wrap=False)
        if index == 0 or rows:  # the first piece carries the title and header even without rows
            console.print(_table_piece(table, cells, rows, head=index == 0, tail=index == len(pieces) - 1),
                          soft_wrap=False)


def _table_piece(table, cells: list[list], rows: list[int], head: bool, tail: bool) -> Table:
    """``rows`` of ``table`` as a table of their own with the same columns and widths; ``head``: with its title and
    header, ``tail``: with its caption."""
    piece = Table(title=table.title if head else None, caption=table.caption if tail else None,
                  show_header=table.show_header and head, box=table.box, show_edge=False, pad_edge=False,
                  collapse_padding=True, padding=table.padding, title_style=table.title_style,
                  caption_style=table.caption_style, title_justify=table.title_justify,
                  caption_justify=table.caption_justify)
    for column in table.columns:
        piece.add_column(column.header, justify=column.justify, width=column.width, no_wrap=column.no_wrap,
                         overflow=column.overflow, style=column.style, header_style=column.header_style,
                         vertical=column.vertical)
    for row in rows:
        piece.add_row(*(column[row] for column in cells))
    return piece


def _fix_widths(table, width: int, names: int) -> None:
    """Column widths of a borderless ``table`` within ``width``, in this order of need: every column its longest word
    (a name is never broken); the names whole; the other columns whole, sharing what is left in proportion to what
    they lack; then room for the labels of sections. Columns are two characters apart, one when that is what makes
    the words fit; a column other than the names is cut below its longest word only when even the words do not fit.
    (Rich's own shrinking cuts words, names included: its last resort shrinks every column evenly.)"""
    cells = [list(column.cells) for column in table.columns]
    # rows with a value beside the first column; the others label a section: their words must fit, not their length
    data = {row for row in range(table.row_count) if len(cells) == 1 or any(c[row] != "" for c in cells[1:])}
    natural, shortest, labels = [], [], []
    for column, column_cells in zip(table.columns, cells, strict=True):
        lines = [(row, line) for row, cell in enumerate([column.header, *column_cells], start=-1)
                 for line in _plain(cell)]
        shortest.append(max((cell_len(word) for _, line in lines for word in line.split()), default=1))
        natural.append(max([shortest[-1], *(cell_len(line) for row, line in lines if row == -1 or row in data)]))
        labels.append(max([natural[-1], *(cell_len(line) for _, line in lines)]))
    gap = 2 if sum(shortest) <= width - 2 * (len(cells) - 1) else 1
    if gap == 1:
        table.padding = (0, 0)  # the divider alone separates the columns
    available = width - gap * (len(cells) - 1)
    if sum(natural[:names]) + sum(shortest[names:]) <= available:
        shortest[:names] = natural[:names]
    elif sum(shortest) > available:  # too narrow even for the words: the names stay whole, the other columns are cut
        room = max(len(shortest) - names, available - sum(shortest[:names]))
        shortest[names:] = [max(1, least * room // sum(shortest[names:])) for least in shortest[names:]]
        natural = shortest
    lacking = [n - s for n, s in zip(natural, shortest, strict=True)]
    share = min(1.0, max(0, available - sum(shortest)) / max(1, sum(lacking)))
    widths = [least + int(lack * share) for least, lack in zip(shortest, lacking, strict=True)]
    for index in range(names):  # what is still free widens the names towards their section labels
        widths[index] = max(widths[index], min(labels[index], widths[index] + available - sum(widths)))
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width


def _plain(cell) -> list[str]:
    """The lines of a cell as shown (markup removed); none for a renderable that is not text."""
    text = Text.from_markup(cell) if isinstance(cell, str) else cell
    return text.plain.splitlines() if isinstance(text, Text) else []


def show_table(table, fmt: str, out: Path | None) -> None:
    """A ``harmbench.tables.TableData`` in the terminal (``fmt`` "rich" without ``out``) or rendered as ``fmt``
    (md, latex, csv) by :func:`write_output`."""
    from harmbench import tables

    if fmt == "rich" and out is None:
        print_table(tables.to_rich(table))
    else:
        write_output(tables.render(table, fmt), out)
