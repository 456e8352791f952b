"""``python -m tanji``: the ``tanji`` command."""

from tanji.cli import main

main()
