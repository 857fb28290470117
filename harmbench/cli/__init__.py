"""``harmbench`` command line: one small module per command."""

from harmbench.cli import list_cmd  # noqa: F401  (each import attaches its commands to the app)
from harmbench.cli.app import app


def main() -> None:
    app()
