"""The Typer application every command module attaches to."""

import inspect

import click
import typer
from typer.core import TyperGroup

EXIT_CODES = ("Exit codes: 0 ok; 2 user error: a bad option, file or dataset, reported in one line that names it "
              "and the problem; 1 internal error (a bug, reported with a traceback), and for `harmbench data check` "
              "also: problems found. Output: colours only on a terminal (NO_COLOR turns them off); messages are "
              "never wrapped when written to a file or pipe; --format json on list, info, profile, compare, table.")


class CommandGroup(TyperGroup):
    """Typer's command group, listing each command with the first paragraph of its help on one line: in rich mode
    Typer keeps the docstring's line breaks there, so a summary broke mid-sentence wherever its source line ended."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None and command.short_help is None and command.help:
            command.short_help = " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())
        return command


app = typer.Typer(
    cls=CommandGroup,
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
