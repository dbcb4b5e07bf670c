"""Tests of a single-valued condition key that no one value passes together.

A single-valued key holds one value in a request (IAM User Guide, AWS global condition context
keys, "Single-valued vs. multivalued context keys"): the calling service's name, the caller's
account, organization, ARN or unique id, the account, organization or ARN of the resource a
service calls for, the ExternalId passed.  IAM ANDs every operator and key of a statement, so
``StringEquals aws:PrincipalAccount 111122223333`` beside ``StringLike aws:PrincipalAccount
4444*`` asks one account to be both, which none is: the statement never applies (RL611 says so,
and the trust rules, the graph and the inventory, which ask
:func:`~rolelint.checks.conditions.never_applies` first, admit no one through it).  Only where
certain, and never for a multivalued key (``aws:PrincipalServiceNamesList``,
``aws:PrincipalOrgPaths``), whose tests may each hold of another of its values.

An ``...IfExists`` test passes a request without the key, but a statement whose other test of
the key requires it (any test false without the key, or ``Null`` ``"false"``) guards only
requests that carry it: there the IfExists test tests the key as its plain operator does, so
``StringEquals aws:PrincipalAccount 111122223333`` beside ``StringEqualsIfExists
aws:PrincipalAccount 444455556666`` admits no one either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rolelint.checks.account_limits import names_no_arn
from rolelint.checks.iam_match import covers, has_wildcard, overlaps
from rolelint.checks.stand_ins import holds_unknown
from rolelint.checks.trust_conditions import operator_problem
from rolelint.checks.validity import invalid_operator
from rolelint.condition_operators import null_test
from rolelint.model import Condition, Statement

# The single-valued keys rolelint reads (lower-case: keys compare so), each with what it holds
# as a message says it: what one value of it is, and whose.  No example value: one the tests
# admit read as the caller's, though none passes them all.  Every key that names who
# (trust_conditions.WHO_KEYS) but the multivalued ones.
ONE_VALUE = {
    "aws:principalservicename": ("name", "the calling service's"),
    "aws:principalaccount": ("account", "the caller's"),
    "aws:sourceaccount": (
        "account",
        "that of the resource a service calls for",
    ),
    "aws:principalorgid": (
        "organization ID",
        "that of the caller's organization",
    ),
    "aws:sourceorgid": (
        "organization ID",
        "that of the organization of the resource a service calls for",
    ),
    "aws:principalarn": ("ARN", "the caller's"),
    "aws:sourcearn": (
        "ARN",
        "that of the resource a service calls for",
    ),
    "sts:externalid": ("ExternalId", "the one the caller passes"),
    "aws:userid": ("unique id", "the caller's"),
}
# The keys that hold an ARN, which the ARN operators test too.
_ARN_KEYS = frozenset({"aws:principalarn", "aws:sourcearn"})
_STRING_OPERATORS = frozenset({"stringequals", "stringlike"})
_ARN_OPERATORS = frozenset({"arnequals", "arnlike"})
# A test's values as :func:`_apart_test` reads them: each text, with whether it is a pattern.
_Values = tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class ValuesApart:
    """Tests of one single-valued key no value passes together: ``last``, the first (in
    written order) that no value passes with those before it, and ``earlier``, those
    (:func:`values_apart`)."""

    last: Condition
    earlier: tuple[Condition, ...]


def values_apart(statement: Statement) -> list[ValuesApart]:
    """For each single-valued key (:data:`ONE_VALUE`) whose mandatory tests in ``statement``
    no value passes together, which tests say so, in written order; empty when some value may
    pass the tests of every key.

    Only where certain: tests read as :func:`_apart_test` reads them, a finite list of values
    (a test without a wildcard) deciding exactly, patterns alone only when two of them share
    no value (whole texts compared: an ARN operator, which matches six fields one by one,
    admits no more than that)."""
    required = _required_keys(statement)
    tests: dict[str, list[tuple[Condition, _Values]]] = {}
    found: list[ValuesApart] = []
    for condition in statement.conditions:
        key = condition.key.lower()
        read = _apart_test(condition, required=key in required)
        if read is None or any(apart.last.key.lower() == key for apart in found):
            continue
        same = tests.setdefault(key, [])
        same.append((condition, read))
        if _none_passes_all([values for _, values in same]):
            found.append(ValuesApart(condition, tuple(c for c, _ in same[:-1])))
    return found


def _required_keys(statement: Statement) -> frozenset[str]:
    """The single-valued keys (:data:`ONE_VALUE`) a request must carry to pass the statement's
    conditions: those of a test false without its key (a positive operator, not IfExists,
    ForAllValues or a negation: ``operator_problem``) or of a ``Null`` test whose values say
    ``"false"``, by an operator IAM accepts (one it rejects fails the whole policy)."""
    return frozenset(
        condition.key.lower()
        for condition in statement.conditions
        if condition.key.lower() in ONE_VALUE
        and invalid_operator(condition.operator) is None
        and (
            operator_problem(condition) is None
            or null_test(condition.operator, (v.text for v in condition.values)) is False
        )
    )


def _mandatory(condition: Condition, *, required: bool) -> bool:
    """Whether ``condition`` holds only of a request carrying its key, one of whose values it
    admits: a positive test without IfExists, or (``required``: another test of the statement
    requires the key) one with IfExists, which then tests the key as its plain operator does.
    Not a negation, ForAllValues or Null (see operator_problem)."""
    if operator_problem(condition) is None:
        return True
    if not (required and condition.if_exists):
        return False
    plain = replace(condition, operator=condition.operator.removesuffix("IfExists"))
    return operator_problem(plain) is None


def _apart_test(condition: Condition, *, required: bool = False) -> _Values | None:
    """The values of a mandatory ``StringEquals`` or ``StringLike`` test of a single-valued
    key (:data:`ONE_VALUE`; ``ArnEquals`` or ``ArnLike`` of an ARN key, both of which match
    patterns; ``ForAnyValue:`` of each too: the key holds one value, which it tests as the
    plain operator does; ``...IfExists`` of each when another test ``required`` the key:
    :func:`_mandatory`), each with whether it is a pattern.  None for any other condition,
    and where rolelint cannot tell what it admits: a value it cannot resolve, or that holds a
    symbol only deployment fills in (``${AWS::AccountId}``, a policy variable) or a name it
    cannot know; a ``StringEquals`` value holding ``*`` or ``?`` (literal text there, which
    no such key holds, but the test is left aside); an ARN test naming no ARN its key holds,
    which RL611 reports alone (``account_limits.names_no_arn``).  IgnoreCase, IfExists of a key
    the statement does not require, a negation, Null or ForAllValues: left aside.  Blank values
    are left out: none of these keys is ever empty (a test of them alone admits no one, RL611
    says so already; it is left aside too)."""
    key = condition.key.lower()
    if key not in ONE_VALUE:
        return None
    operator = condition.base_operator.lower()  # ForAllValues: not _mandatory
    arn = operator in _ARN_OPERATORS and key in _ARN_KEYS
    if operator not in _STRING_OPERATORS and not arn:
        return None
    if not _mandatory(condition, required=required):
        return None  # a negation, ForAllValues, IfExists alone: a request without the key passes
    if key in _ARN_KEYS and names_no_arn(condition):
        return None
    like = condition.matches_patterns
    read: list[tuple[str, bool]] = []
    for value in condition.values:
        text = value.text
        if text is None or "${" in text or holds_unknown(text):
            return None
        if not text.strip():
            continue
        wild = has_wildcard(text)
        if wild and not like:
            return None
        read.append((text, wild))
    return tuple(read) or None


def _none_passes_all(tests: list[_Values]) -> bool:
    """Whether no value passes every one of ``tests`` (:func:`_apart_test`'s values): exactly,
    when one lists values alone (a value passing all must be one of them); otherwise when two
    share no value, which is enough (three patterns may share none while each two do: then
    rolelint does not say so)."""
    finite = next((values for values in tests if not any(wild for _, wild in values)), None)
    if finite is not None:
        return not any(all(_admits(values, text) for values in tests) for text, _ in finite)
    return any(
        not any(
            overlaps(first, second, case_sensitive=True)
            for first, _ in tests[i]
            for second, _ in tests[j]
        )
        for i in range(len(tests))
        for j in range(i + 1, len(tests))
    )


def _admits(values: _Values, text: str) -> bool:
    """Whether a test of ``values`` (:func:`_apart_test`) may pass the value ``text``."""
    return any(
        covers(pattern, text, case_sensitive=True) if wild else pattern == text
        for pattern, wild in values
    )
