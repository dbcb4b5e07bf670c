"""``aws iam get-account-authorization-details`` output: a real account's roles, users, groups
and policies, read offline so an account snapshot can be audited and mixed with code."""

from __future__ import annotations

from typing import Any

from rolelint.model import Inventory
from rolelint.parsers.tree import LoadedDocument


def looks_like_account_authorization(root: Any) -> bool:
    """Whether a loaded JSON document is that command's output (not written yet)."""
    return False


def parse_account_authorization(loaded: LoadedDocument) -> Inventory:
    return Inventory()
