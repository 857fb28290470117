"""The Typer application every command module attaches to."""

import typer

app = typer.Typer(
    name="harmbench",
    help="Benchmark and evaluation suite for high-resolution image harmonization.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Benchmark and evaluation suite for high-resolution image harmonization."""
