"""Helpers shared by command modules: the one place consoles are built, expected errors as one red line and exit
code 2, printing tables and JSON."""

from __future__ import annotations

import contextlib
import json
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

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
    """Print a rich ``table`` fitted to the console width; its first ``names`` columns identify the rows (method name,
    run label) and are never wrapped or cut, whatever the width: the other columns give way."""
    for column in table.columns[:names]:
        column.no_wrap = True
        column.overflow = "ignore"
        # the width the longest cell needs survives rich's last resort (shrinking every column evenly)
        column.min_width = max((_cell_width(cell) for cell in column.cells), default=None)
    # soft_wrap off for this print only: the title, caption and cells wrap to the width instead of running past it
    (console or make_console()).print(table, soft_wrap=False)


def _cell_width(cell) -> int:
    from rich.text import Text

    text = Text.from_markup(cell) if isinstance(cell, str) else cell
    return text.cell_len if isinstance(text, Text) else 0


def show_table(table, fmt: str, out: Path | None) -> None:
    """A ``harmbench.tables.TableData`` in the terminal (``fmt`` "rich" without ``out``) or rendered as ``fmt``
    (md, latex, csv) by :func:`write_output`."""
    from harmbench import tables

    if fmt == "rich" and out is None:
        print_table(tables.to_rich(table))
    else:
        write_output(tables.render(table, fmt), out)
