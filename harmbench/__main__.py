"""``python -m harmbench``: the command line (what ``torchrun -m harmbench`` starts on every rank)."""

from harmbench.cli import main

main()
