"""The Typer application every command module attaches to."""

import typer

EXIT_CODES = ("Exit codes: 0 ok; 2 user error: a bad option, file or dataset, reported in one line that names it "
              "and the problem; 1 internal error (a bug, reported with a traceback), and for `harmbench data check` "
              "also: problems found. Output: colours only on a terminal (NO_COLOR turns them off); messages are "
              "never wrapped when written to a file or pipe; --format json on list, info, profile, compare, table.")

app = typer.Typer(
    name="harmbench",
    help="Benchmark and evaluation suite for high-resolution image harmonization.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Benchmark and evaluation suite for high-resolution image harmonization."""
