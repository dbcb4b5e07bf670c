"""AWS CLI/SDK config files (``~/.aws/config`` style): role profiles and the session duration
each one requests, read when such a file is passed explicitly."""

from __future__ import annotations

from rolelint.model import Inventory


def looks_like_aws_config(path: str, text: str) -> bool:
    """Whether ``text`` is an AWS config file (not written yet)."""
    return False


def parse_aws_config(path: str, text: str) -> Inventory:
    return Inventory()
