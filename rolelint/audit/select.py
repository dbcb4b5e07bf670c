"""Orders and filters of the role inventory, by the names the command line uses.

Every order ends with the file, line and name, so rows that tie keep one fixed order and two runs
print the same table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rolelint.audit.choices import FILTERS
from rolelint.audit.choices import SORTS as SORT_NAMES
from rolelint.audit.rows import RoleRow


def _place(row: RoleRow) -> tuple[str, int, int, str]:
    return (row.ref.file, row.ref.line, row.ref.column, row.name)


def _session_key(row: RoleRow) -> tuple[int, tuple[str, int, int, str]]:
    # Longest first (unresolved ones with the longest, invalid ones after every length).
    return (-row.session_order if row.kind == "role" else 1, _place(row))


SORTS: dict[str, Callable[[RoleRow], tuple[object, ...]]] = {
    "risk": lambda row: (-row.risk.score, *_place(row)),
    "name": lambda row: (row.name.casefold(), *_place(row)),
    "file": _place,
    "access": lambda row: (-row.access.level.rank, -row.risk.score, *_place(row)),
    "session": _session_key,
}

_TESTS: dict[str, Callable[[RoleRow], bool]] = {
    "outside": lambda row: row.outside,
    "admin": lambda row: row.admin_capable,
    "federated": lambda row: row.federated,
    "findings": lambda row: bool(row.findings),
    "chaining": lambda row: bool(row.reaches),
    "roles": lambda row: row.kind == "role",
}
assert set(_TESTS) == set(FILTERS) and set(SORTS) == set(SORT_NAMES)


def ordered(
    rows: Iterable[RoleRow], sort: str = "risk", filters: Iterable[str] = ()
) -> list[RoleRow]:
    """``rows`` kept by every filter named (all must hold), in the order named."""
    tests = [_TESTS[name] for name in filters]
    kept = [row for row in rows if all(test(row) for test in tests)]
    return sorted(kept, key=SORTS[sort])
