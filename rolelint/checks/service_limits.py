"""The services the conditions of a statement limit ``"*"`` to.

``aws:PrincipalServiceName`` holds the name of the service principal that makes the request
and is present only when a service principal calls, and ``aws:PrincipalIsAWSService`` is true
exactly then (IAM User Guide, AWS global condition context keys,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).  A
service assumes the role it was given as its service principal (the form ``Principal: {Service:
...}`` admits), so ``"*"`` under ``StringEquals aws:PrincipalServiceName`` admits what the named
services written as principals admit, and under ``Bool aws:PrincipalIsAWSService`` every
service, acting for whoever configured it.  One reading of the conditions, here, serves every
rule and view that judges such a ``"*"``: RL110 judges each named service as the service written
as a principal, and the assume-role graph draws it as that service's party, which the
inventory grades as the written one (the condition that names the service is no limit on it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from rolelint.checks.iam_match import covers, has_wildcard
from rolelint.checks.principals import is_everyone
from rolelint.checks.trust_conditions import Grade, grade
from rolelint.model import Condition, Principal, PrincipalKind, Statement, Value
from rolelint.service_principals import catalog
from rolelint.source import SourceRef

# The keys that limit a "*" to service principals (lower-case: keys compare so), and how AWS
# spells them, for messages.
SERVICE_NAME = "aws:principalservicename"
NAMES_LIST = "aws:principalservicenameslist"
IS_SERVICE = "aws:principalisawsservice"
# As AWS spells each key a message names (lower-case keys compare so).
SPELLED = {
    SERVICE_NAME: "aws:PrincipalServiceName",
    NAMES_LIST: "aws:PrincipalServiceNamesList",
    IS_SERVICE: "aws:PrincipalIsAWSService",
}


@dataclass(frozen=True, slots=True)
class ServicePin:
    """How a mandatory condition limits the ``"*"`` of a statement to service principals:
    ``condition``, and the services it names, each as the principal that names it written as a
    Service (at the value); none when it admits every service (``aws:PrincipalIsAWSService``,
    or a service name ``pattern`` every service's name matches)."""

    anyone: Principal
    condition: Condition
    services: tuple[Principal, ...]
    pattern: Value | None = None

    @property
    def key(self) -> str:
        """The key of ``condition`` as AWS spells it: the one written, which messages name and
        RL110's fingerprint holds (a names list's test is not a name's)."""
        return SPELLED.get(self.condition.key.lower(), self.condition.key)

    @property
    def through(self) -> str:
        """How a message says what limits ``"*"`` to the services."""
        pattern = f" '{self.pattern.text}'" if self.pattern is not None else ""
        return (
            f" ('{self.anyone.value.text}' limited by {self.condition.operator} "
            f"{self.key}{pattern})"
        )

    @property
    def ref(self) -> SourceRef:
        """Where a finding about every service points: the pattern, else the condition."""
        return self.pattern.ref if self.pattern is not None else self.condition.ref


def service_pin(statement: Statement) -> ServicePin | None:
    """The :class:`ServicePin` of a statement that admits ``"*"``: the services its mandatory
    ``aws:PrincipalServiceName`` tests all name (a test whose pattern every service's name
    matches narrows nothing; with only such tests, every service; one whose pattern only some
    match, ``StringLike states.*``, keeps those of the names another test lists that it
    matches), or, without one, every service under an effective ``Bool
    aws:PrincipalIsAWSService "true"``.  None otherwise, and when a service name cannot be
    read as one service (a value rolelint cannot resolve, such a pattern with no list of names
    beside it, a negation: RL101 judges the ``"*"`` a negation leaves open): the services it
    admits are not known.  None too when the tests share no name, a names list's among them
    (two names of one service may each pass one); tests of the one name no name passes
    together (:func:`~rolelint.checks.single_valued.values_apart`) admit no one: every caller
    asks :func:`~rolelint.checks.conditions.never_applies` first, which says so, and reads no
    party there."""
    anyone = next((p for p in statement.principals if is_everyone(p)), None)
    if anyone is None:
        return None
    named = [c for c in statement.conditions if _names_services(c)]
    if named:
        readings = [_named_services(condition) for condition in named]
        # A pattern only some services match (states.*) is judged beside a list of names,
        # of which it keeps those it matches; alone it admits services rolelint cannot list.
        patterns = [_some_services(c) for c, r in zip(named, readings, strict=True) if r is None]
        if any(pattern is None for pattern in patterns):
            return None
        lists = [(c, r) for c, r in zip(named, readings, strict=True) if isinstance(r, tuple)]
        if not lists:
            if patterns:
                return None
            pattern = readings[0]  # every test admits every service
            return ServicePin(anyone, named[0], (), pattern if isinstance(pattern, Value) else None)
        every = [{p.value.text for p in services} for _, services in lists]
        condition, first = lists[0]
        kept = tuple(
            p
            for p in first
            if all(p.value.text in texts for texts in every)
            and all(_matched(p.value.text, texts) for texts in patterns if texts is not None)
        )
        return ServicePin(anyone, condition, kept) if kept else None
    for condition in statement.conditions:
        if _is_service_test(condition):
            return ServicePin(anyone, condition, ())
    return None


def _is_service_test(condition: Condition) -> bool:
    """An effective ``Bool aws:PrincipalIsAWSService "true"``: only services pass it."""
    return condition.key.lower() == IS_SERVICE and grade(condition).grade is Grade.EFFECTIVE


def _names_services(condition: Condition) -> bool:
    """Whether ``condition`` tests the name of the calling service: ``aws:PrincipalServiceName``,
    or ``ForAnyValue:`` of ``aws:PrincipalServiceNamesList``, the names of the calling service
    (a request passes when one of them is a value)."""
    key = condition.key.lower()
    if key == SERVICE_NAME:
        return True
    return key == NAMES_LIST and condition.operator.lower().startswith(_ANY_VALUE)


_ANY_VALUE = "foranyvalue:"


def _named_services(condition: Condition) -> tuple[Principal, ...] | Value | None:
    """The services a mandatory ``StringEquals`` (or ``StringLike`` without a wildcard) of a
    service's name (:func:`_names_services`; ``ForAnyValue:`` of it too) names, each as a Service
    principal at its value; under ``StringLike``, the value whose pattern every service's name
    matches (:func:`matches_every_service`), which admits every service whatever the others
    name (the values of a test are alternatives).  None when its values are not all names
    rolelint can read.  An empty (or blank) value names no service: no service's request
    carries an empty name, so it admits none and is no name another test may share (a test of
    such values alone admits no one: RL611's)."""
    operator = condition.operator.lower().removeprefix(_ANY_VALUE)
    if operator not in ("stringequals", "stringlike"):
        return None
    if grade(condition).grade is not Grade.EFFECTIVE:
        return None
    texts = [value.text for value in condition.values]
    if any(text is None for text in texts):
        return None
    if condition.matches_patterns:
        for value in condition.values:
            if value.text is not None and matches_every_service(value.text):
                return value
        if any(text is not None and has_wildcard(text) for text in texts):
            return None
    return tuple(
        Principal(PrincipalKind.SERVICE, value)
        for value in condition.values
        if value.text is not None and value.text.strip()
    )


def _some_services(condition: Condition) -> tuple[str, ...] | None:
    """The values of a mandatory ``StringLike`` test of a service's name (``ForAnyValue:`` of
    it too) that :func:`_named_services` cannot read as names because a value is a pattern only
    some services' names match (``states.*``): the services it admits are those whose name one
    of them matches, which rolelint cannot list, but can keep of a list another test names.
    None for any other test it cannot read (a value not known, a negation, IfExists ...).
    Blank values are left out: they name no service."""
    operator = condition.operator.lower().removeprefix(_ANY_VALUE)
    if operator != "stringlike" or grade(condition).grade is not Grade.EFFECTIVE:
        return None
    texts = [value.text for value in condition.values]
    if any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text is not None and text.strip())


def _matched(name: str | None, patterns: tuple[str, ...]) -> bool:
    """Whether the service name ``name`` matches one of ``patterns`` (a ``StringLike`` test's
    values: :func:`_some_services`), case-sensitively, as IAM compares them."""
    return name is not None and any(covers(p, name, case_sensitive=True) for p in patterns)


@functools.cache
def matches_every_service(pattern: str) -> bool:
    """Whether the ``StringLike`` ``pattern`` matches the name of every service principal of
    one partition's domain that rolelint knows (``*``, ``*.amazonaws.com``): it admits every
    AWS service there, as ``aws:PrincipalIsAWSService`` does, new ones included.  A pattern
    only some match (``states.*``, a service's regional names) names services rolelint
    cannot list."""
    if not has_wildcard(pattern):
        return False
    data = catalog()
    return any(
        all(covers(pattern, f"{part}.{domain}", case_sensitive=True) for part in data.parts)
        for domain in data.suffixes
    )


def without_service_limit(statement: Statement) -> Statement:
    """``statement`` without the tests that limit ``"*"`` to services (:func:`service_pin`): a
    service's name, and an effective ``aws:PrincipalIsAWSService``.  For the services they
    admit (:attr:`ServicePin.services`, or every service) they are no limit: they are what
    names them, as a written Service principal names its service (a source account beside it
    still is)."""
    named = [c for c in statement.conditions if _names_services(c) or _is_service_test(c)]
    if not named:
        return statement
    kept = tuple(condition for condition in statement.conditions if condition not in named)
    return replace(statement, conditions=kept)
