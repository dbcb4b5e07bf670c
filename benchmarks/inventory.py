"""What rolelint understood of a folder: roles, policies, and every unresolved value by reason.

Run from the repository root with the development virtualenv:
    .venv/bin/python benchmarks/inventory.py ../shared/corpus/terraform-aws-iam
Unresolved values are what rolelint deliberately does not judge (a variable without a default, a
value known only after apply); this script shows how many there are and why, so improvements to
the parsers can be measured.  Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Iterator
from unittest import mock

from rolelint.model import Inventory, PolicyDocument, Value


def document_values(document: PolicyDocument) -> Iterator[Value]:
    for statement in document.statements:
        yield from statement.actions
        yield from statement.not_actions
        yield from statement.resources
        yield from statement.not_resources
        for principal in (*statement.principals, *statement.not_principals):
            yield principal.value
        for condition in statement.conditions:
            yield from condition.values


def inventory_values(inventory: Inventory) -> Iterator[Value]:
    documents = [document for document, _ in inventory.permission_policies()]
    documents += [document for document, _ in inventory.trust_policies()]
    for document in documents:
        yield from document_values(document)
    for role in inventory.roles:
        yield role.arn
        yield from role.max_session_duration
        if role.permissions_boundary is not None:
            yield role.permissions_boundary


def reason_kind(reason: str) -> str:
    """Group reasons that differ only in names: 'variable x has no default' -> 'variable _ ...'."""
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "_", reason)
    names = r"\b(variable|local|module|resource|function|parameter|data\.)\s*[\w.\[\]\"-]+"
    return re.sub(names, r"\1 _", reason)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    arguments = parser.parse_args()

    from rolelint import api
    from rolelint.engine import run_checks

    # rolelint.api calls the run_checks it imported: spy on it there, for this run.  ``wraps``
    # forwards every argument, whatever run_checks takes (a stand-in with its own parameter
    # list broke when run_checks gained one, and mypy cannot see through mock.patch).
    with mock.patch.object(api, "run_checks", wraps=run_checks) as spy:
        start = time.perf_counter()
        report = api.lint_paths(arguments.paths)
        elapsed = time.perf_counter() - start
    inventory = spy.call_args.args[0]
    assert isinstance(inventory, Inventory)
    values = list(inventory_values(inventory))
    unresolved = Counter(
        reason_kind(value.unresolved_reason or "unknown") for value in values if value.text is None
    )
    permission = sum(1 for _ in inventory.permission_policies())
    trust = sum(1 for _ in inventory.trust_policies())
    print(
        f"files analyzed {report.files_analyzed}, skipped {report.files_skipped}, "
        f"failed {report.files_failed}, notices {len(report.notices)}"
    )
    print(
        f"roles {len(inventory.roles)}, users and groups {len(inventory.identities)}, "
        f"permission policies {permission}, trust policies {trust}"
    )
    print(f"values {len(values)}, unresolved {sum(unresolved.values())}")
    for reason, count in unresolved.most_common():
        print(f"  {count:5d}  {reason}")
    print(f"findings {len(report.findings)} in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
