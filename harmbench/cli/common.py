"""Helpers shared by command modules: expected errors as one red line and exit code 2; printing tables."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer
from rich.console import Console

from harmbench.data import DataError
from harmbench.registry import MethodError
from harmbench.results import ResultError

EXPECTED_ERRORS = (DataError, MethodError, ResultError, ValueError, FileNotFoundError)
err_console = Console(stderr=True)


@contextlib.contextmanager
def user_errors():
    """Report bad input as one line (the message names the file and the problem), not a traceback."""
    try:
        yield
    except EXPECTED_ERRORS as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
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


def show_table(table, fmt: str, out: Path | None) -> None:
    """A ``harmbench.tables.TableData`` in the terminal (``fmt`` "rich" without ``out``) or rendered as ``fmt``
    (md, latex, csv) by :func:`write_output`."""
    from harmbench import tables

    if fmt == "rich" and out is None:
        Console().print(tables.to_rich(table))
    else:
        write_output(tables.render(table, fmt), out)
