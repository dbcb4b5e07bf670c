"""Allows `python -m rolelint`."""

from rolelint.cli import run

run()
