"""A budget for expanding action patterns against the IAM action catalog, per run.

Rules judge a pattern such as ``s3:Get*`` by the catalog actions it matches.  A pattern naming
every service with common letters in it (``*:*a*e*``) matches thousands of the catalog's 22,000
actions, and expanding it, then judging each action, costs about 20 ms.  Patterns come with the
files being checked: a 13 KB policy of 1,000 distinct such patterns took 20 s, and a 10 MiB one
would take hours.  Real policies name few such patterns and repeat them: the 225 distinct
patterns of the shared corpus are compared with 13,935 catalog names in all.

So the patterns of the policies written in the scanned files are charged, in the order the
inventory holds them, what expanding them costs (:func:`rolelint.iam_actions.expansion_cost`),
each distinct pattern once, until :data:`BUDGET` is spent.  A pattern that does not fit becomes
an unresolved value, as a parameter with no default would be: no rule concludes anything from
it, and one notice says how many there were and where the first is.  The order, and so the
result, does not depend on caching or on the number of jobs.  AWS's own managed policies are
not charged: their text is known and bounded.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from rolelint.findings import InputError
from rolelint.model import Inventory, PolicyDocument, Statement, Value

# Catalog names compared in one run: about 4 s of expanding and judging at the most, and 290
# times what the shared corpus needs.
BUDGET = 4_000_000

REASON = "an action pattern past rolelint's expansion limit"


class _Charges:
    """The budget as patterns are met: what each document becomes, and what was refused."""

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.expanded: set[str] = set()
        self.refused: set[str] = set()
        self.first_refused: Value | None = None
        self._replaced: dict[int, PolicyDocument] = {}

    def document(self, document: PolicyDocument) -> PolicyDocument:
        """``document`` with the patterns past the budget unresolved (itself when none are)."""
        if document.aws_managed:
            return document
        known = self._replaced.get(id(document))
        if known is not None:
            return known
        statements = _same_or_new(
            document.statements, tuple(self._statement(s) for s in document.statements)
        )
        unchanged = statements is document.statements
        result = document if unchanged else replace(document, statements=statements)
        self._replaced[id(document)] = result
        return result

    def documents(self, documents: tuple[PolicyDocument, ...]) -> tuple[PolicyDocument, ...]:
        """:meth:`document` of each, the same tuple when none changed."""
        return _same_or_new(documents, tuple(self.document(d) for d in documents))

    def _statement(self, statement: Statement) -> Statement:
        actions = self._values(statement.actions)
        not_actions = self._values(statement.not_actions)
        if actions is statement.actions and not_actions is statement.not_actions:
            return statement
        return replace(statement, actions=actions, not_actions=not_actions)

    def _values(self, values: tuple[Value, ...]) -> tuple[Value, ...]:
        # Only a pattern is charged: where no value holds a wildcard (most statements, and each
        # copy of a statement split per branch of its conditions), none is asked one by one.
        written = "".join([value.text or "" for value in values])
        if "*" not in written and "?" not in written:
            return values
        return _same_or_new(
            values,
            tuple(value if self._fits(value) else self._unresolved(value) for value in values),
        )

    def _fits(self, value: Value) -> bool:
        from rolelint import iam_actions

        text = value.text
        if text is None or not _is_pattern(text):
            return True
        key = text.lower()
        if key in self.expanded:
            return True
        if key in self.refused:
            return False
        # Once a pattern has been refused, working out what each new pattern naming every
        # service would cost is itself too dear (a substring search in each of 450 services):
        # they are refused outright.
        service = key.partition(":")[0]
        if not (self.refused and any(char in service for char in "*?")):
            cost = iam_actions.expansion_cost(key)
            if cost <= self.left:
                self.left -= cost
                self.expanded.add(key)
                return True
        self.refused.add(key)
        return False

    def _unresolved(self, value: Value) -> Value:
        if self.first_refused is None:
            self.first_refused = value
        return Value(text=None, ref=value.ref, unresolved_reason=f"{REASON} ('{value.text}')")


T = TypeVar("T")


def _is_pattern(text: str | None) -> bool:
    return text is not None and ("*" in text or "?" in text)


def _same_or_new(old: tuple[T, ...], new: tuple[T, ...]) -> tuple[T, ...]:
    """``old`` itself when ``new`` holds the very same objects: nothing is copied needlessly."""
    return old if all(a is b for a, b in zip(old, new, strict=True)) else new


def limit_patterns(inventory: Inventory, budget: int = BUDGET) -> InputError | None:
    """Make the patterns past ``budget`` unresolved in ``inventory`` (in place); the notice that
    says so, None when every pattern fits."""
    charges = _Charges(budget)
    roles = []
    for role in inventory.roles:
        trust = role.trust_policy and charges.document(role.trust_policy)
        policies = charges.documents(role.policies)
        unchanged = trust is role.trust_policy and policies is role.policies
        roles.append(role if unchanged else replace(role, trust_policy=trust, policies=policies))
    inventory.roles = roles
    identities = []
    for identity in inventory.identities:
        policies = charges.documents(identity.policies)
        unchanged = policies is identity.policies
        identities.append(identity if unchanged else replace(identity, policies=policies))
    inventory.identities = identities
    inventory.standalone_policies = list(charges.documents(tuple(inventory.standalone_policies)))
    first = charges.first_refused
    if first is None:
        return None
    count = len(charges.refused)
    patterns = "action pattern was" if count == 1 else "action patterns were"
    return InputError(
        file=first.ref.file,
        line=first.ref.line,
        column=first.ref.column,
        message=(
            f"{count:,} {patterns} not analyzed, this one first: expanding them against the "
            f"IAM action catalog would compare more than {budget:,} action names in one run. "
            "They count as unresolved values, so no rule reports on them."
        ),
    )
