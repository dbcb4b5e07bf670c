"""Allows `python -m rolelint`."""

from rolelint.cli import main

main()
