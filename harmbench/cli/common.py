"""Helpers shared by command modules: turning expected errors into one red line and exit code 2."""

from __future__ import annotations

import contextlib

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
