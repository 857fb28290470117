"""``harmbench`` command line: one small module per command."""

# Each import attaches its commands to the app.
from harmbench.cli import (  # noqa: F401
    compare,
    data,
    demo,
    figure,
    info,
    list_cmd,
    merge,
    profile,
    report,
    run,
    study,
    table,
    train,
    weights,
)
from harmbench.cli.app import app


def main() -> None:
    app()
