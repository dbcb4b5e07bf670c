"""What a condition naming managed policies admits: the policies a mandatory
``iam:PolicyARN`` test lets a statement attach, and the permissions boundaries an
``iam:PermissionsBoundary`` test admits (:class:`PolicyLimit`), judged by the shipped catalog
of AWS managed policies and by the scan's own customer managed policies
(:class:`ScannedPolicies`).

Whether such a policy is administrator-level is what RL201 and RL206 find in it
(admin_access.admin_level), imported where it is asked: those rules read these limits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from rolelint.checks.base import once_per_inventory, some_of
from rolelint.checks.grant_conditions import PERMISSIONS_BOUNDARY, POLICY_ARN, positive_tests
from rolelint.checks.iam_match import Arn, covers, has_wildcard, parse_arn
from rolelint.condition_operators import Comparison, comparison
from rolelint.model import (
    Inventory,
    PolicyDocument,
    Statement,
    Value,
)
from rolelint.source import SourceRef


@dataclass(frozen=True, slots=True)
class PolicyLimit:
    """What a mandatory positive ``iam:PolicyARN`` test lets a statement attach: ``values``, of
    which ``admin`` name AWS managed policies with administrator-level access and ``open``
    are not known or patterns over policy names (either may be any policy)."""

    values: tuple[Value, ...]
    admin: tuple[str, ...]
    open: tuple[Value, ...]
    key: str = POLICY_ARN  # or iam:PermissionsBoundary: the boundaries a test admits

    @property
    def harmless(self) -> bool:
        """Every policy it admits is known by name and none is known to be administrator-level
        (a customer managed policy's document is not known: it counts as no escalation)."""
        return not self.admin and not self.open

    def describe(self) -> str:
        """``the managed policies its iam:PolicyARN condition admits ('arn:...')``; for
        iam:PermissionsBoundary, ``its iam:PermissionsBoundary condition admits (...)``."""
        # A policy whose name (or path) is generated or not resolved, named by reference: its
        # ARN holds stand-ins no user can find, said in words.
        listed = some_of([f"'{v.said()}'" for v in self.values])
        what = f"its {self.key} condition admits ({listed}"
        if self.key == POLICY_ARN:
            what = "the managed policies " + what
        if self.admin:
            what += f"; {some_of(list(self.admin))} with administrator-level access"
        return what + ")"


def policy_limit(
    statement: Statement, scanned: ScannedPolicies | None = None
) -> PolicyLimit | None:
    """What the statement's mandatory positive ``iam:PolicyARN`` tests let it attach: the one
    that admits only harmless policies if any does (each test must hold); None without one.
    IfExists, Null, a negation or ForAllValues pass other policies (see operator_problem)."""
    return _limit_of(statement, POLICY_ARN, scanned)


def boundary_limit(
    statement: Statement, scanned: ScannedPolicies | None = None
) -> PolicyLimit | None:
    """What the statement's mandatory positive ``iam:PermissionsBoundary`` tests admit as the
    permissions boundary of the role or user a request acts on (or sets), judged as
    :func:`policy_limit` judges the policies a test of iam:PolicyARN admits; None without
    one."""
    return _limit_of(statement, PERMISSIONS_BOUNDARY, scanned)


def _limit_of(
    statement: Statement, key: str, scanned: ScannedPolicies | None
) -> PolicyLimit | None:
    """What the statement's mandatory positive tests of ``key`` (a policy ARN) admit: the one
    that admits only harmless policies if any does (each test must hold); None without one."""
    limits = [
        replace(
            _policy_limit(condition.values, scanned, comparison(condition.base_operator)),
            key=key,
        )
        for condition in positive_tests(statement, key)
    ]
    return next((limit for limit in limits if limit.harmless), limits[0] if limits else None)


def _policy_limit(
    values: tuple[Value, ...], scanned: ScannedPolicies | None, how: Comparison | None
) -> PolicyLimit:
    """What ``values`` admit, compared as the test's operator compares (``how``,
    :func:`~rolelint.condition_operators.comparison`): AWS managed policies by the shipped
    catalog, customer managed ones by their documents when the scan holds them (``scanned``).

    Under StringEquals or StringEqualsIgnoreCase a ``*`` is a character, which no policy's ARN
    holds: such a value names no policy, as a value of an operator that compares no text
    (Bool, Numeric ...) names none (the ARN is no such value).  Under IgnoreCase a value
    names the policies whose ARN it spells in any case: ``policy/ADMINISTRATORACCESS`` is
    AdministratorAccess."""
    from rolelint.managed_policies import shipped_name

    if how is None:
        return PolicyLimit(values, (), ())  # a Bool or Numeric test names no policy
    admin: list[str] = []
    open_: list[Value] = []
    case_sensitive = how is not Comparison.IGNORE_CASE
    for value in values:
        if value.text is not None and has_wildcard(value.text) and how is not Comparison.PATTERN:
            continue  # a '*' of StringEquals: it names no policy
        arn = parse_arn(value.text) if value.text is not None else None
        if arn is None or has_wildcard(arn.resource):
            open_.append(value)  # not known, or a pattern over names: any policy, perhaps
            continue
        if covers(arn.account, "aws", case_sensitive=case_sensitive):
            names = [shipped_name(arn.resource)] if case_sensitive else _spelled(arn.resource)
            admin.extend(n for n in names if n is not None and _managed_admin_level(n))
        if scanned is not None:
            admin.extend(scanned.admin_level(arn, case_sensitive=case_sensitive))
    return PolicyLimit(values, tuple(dict.fromkeys(admin)), tuple(open_))


def _spelled(resource: str) -> list[str]:
    """The shipped AWS managed policies whose ARN's resource (``policy/`` and the policy's own
    path and name) is ``resource`` in any case."""
    from rolelint.managed_policies import known_policies

    wanted = resource.lower()
    return [
        name
        for name, entry in known_policies().items()
        if f"policy/{entry.get('path', '')}{name}".lower() == wanted
    ]


@dataclass(slots=True)
class ScannedPolicies:
    """The customer managed policies of the scan whose ARN is known, by the resource of that
    ARN (``policy/path/name``): a condition naming one (iam:PolicyARN, iam:PermissionsBoundary)
    admits a document rolelint can judge, as it judges AWS managed ones; any other customer
    managed policy's is not known."""

    by_resource: dict[str, list[tuple[Arn, PolicyDocument]]]
    judged: dict[int, bool] = field(default_factory=dict)

    def admin_level(self, named: Arn, *, case_sensitive: bool = True) -> list[str]:
        """The origins of the policies ``named`` names (its resource written out, in any case
        unless ``case_sensitive``; in any partition, and in each account an account pattern
        such as ``*`` admits) that grant what RL201 or RL206 report.  A policy of another
        account, or of one not known to be the same, is not named."""
        if case_sensitive:
            found = self.by_resource.get(named.resource, [])
        else:
            wanted = named.resource.lower()
            found = [
                each
                for resource, policies in self.by_resource.items()
                if resource.lower() == wanted
                for each in policies
            ]
        return [
            document.origin
            for arn, document in found
            if covers(named.account, arn.account, case_sensitive=case_sensitive)
            and self._judge(document)
        ]

    def _judge(self, document: PolicyDocument) -> bool:
        from rolelint.checks.admin_access import admin_level  # it builds on this module

        if id(document) not in self.judged:
            self.judged[id(document)] = admin_level(document)
        return self.judged[id(document)]


@once_per_inventory
def scanned_policies(inventory: Inventory) -> ScannedPolicies:
    """The :class:`ScannedPolicies` of ``inventory``."""
    by_resource: dict[str, list[tuple[Arn, PolicyDocument]]] = {}
    for document, _ in inventory.permission_policies():
        arn = parse_arn(document.arn) if document.arn is not None else None
        if arn is not None and not document.aws_managed:
            by_resource.setdefault(arn.resource, []).append((arn, document))
    return ScannedPolicies(by_resource)


@functools.cache
def _managed_admin_level(name: str) -> bool:
    """Whether the AWS managed policy ``name`` (from the shipped catalog) grants what RL201 or
    RL206 report: every IAM action, or a privilege escalation, on every resource.  A policy the
    catalog does not hold is not known: False."""
    from rolelint.checks.admin_access import admin_level  # it builds on this module
    from rolelint.managed_policies import arn_of, document_for
    from rolelint.model import ManagedPolicyRef
    from rolelint.source import Span

    at = SourceRef("<AWS managed policy catalog>", Span.point(1, 1))
    arn = Value(arn_of(name, "aws") or "", at)
    document = document_for(ManagedPolicyRef(arn), name, "policy")
    return document is not None and admin_level(document)
