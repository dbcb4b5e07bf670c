"""Rule logic, grouped by theme.  Each module registers its checks by rule id on import."""

from __future__ import annotations

import importlib

from rolelint.checks.base import REGISTRY, CheckFunction

_MODULES = (
    "trust",
    "external_id",
    "federation",
    "admin_access",
    "escalation",
    "assume_any_role",
    "broad_access",
    "session",
    "chaining",
    "imds",
    "validity",
    "quotas",
    "conditions",
    "resources",
    "service_principals",
    "malformed_principals",
)


def load_checks() -> dict[str, CheckFunction]:
    """Import every check module once and return the registry (rule id -> check)."""
    for name in _MODULES:
        importlib.import_module(f"rolelint.checks.{name}")
    return REGISTRY
