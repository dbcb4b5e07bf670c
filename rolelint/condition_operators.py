"""The IAM condition operators that test a key against the values listed, and how each compares.

A positive test admits a request whose value of the key equals a value listed
(``StringEquals``), equals it in any case (``StringEqualsIgnoreCase``), or matches it as a
pattern whose ``*`` and ``?`` are wildcards (``StringLike``, ``ArnLike``; ``ArnEquals`` too:
IAM compares ARNs field by field with wildcards under both ARN operators, so ``ArnEquals
arn:aws:iam::*:role/x`` admits that role of every account).  Each has a negation
(``StringNotEquals`` ...) that admits exactly the requests it fails, a request without the key
among them: a Deny under the one refuses whoever fails the other, as an Allow under the other
would.

The model, the checks and the assume-role graph each kept a table of these (the escalation
methods' test of a passed role, the trust policy's Denies read as Allow conditions, what a Deny
leaves of an Allow, the graph's tests of a scanned caller), and the policy grammar's reading
its own test of a negation; they read this one.  Where they differ on purpose, for operators IAM
has not, this module names each reading.  It knows nothing of checks or file formats.

Operators are compared in any case, as every reader of them did; whether IAM accepts the
spelling is :mod:`rolelint.checks.validity`'s question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum


class Comparison(Enum):
    """How a positive test compares the request's value with each value listed."""

    EXACT = "exact"
    IGNORE_CASE = "ignore case"
    PATTERN = "pattern"  # ``*`` and ``?`` are wildcards


# Each positive test rolelint compares, its negation, as IAM spells them, and how it compares.
_TESTS = (
    ("StringEquals", "StringNotEquals", Comparison.EXACT),
    ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", Comparison.IGNORE_CASE),
    ("StringLike", "StringNotLike", Comparison.PATTERN),
    ("ArnEquals", "ArnNotEquals", Comparison.PATTERN),
    ("ArnLike", "ArnNotLike", Comparison.PATTERN),
)
_COMPARISON = {positive.lower(): how for positive, _, how in _TESTS}
_SPELLING = {positive.lower(): positive for positive, _, _ in _TESTS}
_POSITIVE_OF = {negated.lower(): positive for positive, negated, _ in _TESTS}

# The negations of the tests above, by how their names begin: what a reader that takes every
# operator of their families, one IAM has not included (``StringNotEqual``), asks.
NEGATED_TEST_FAMILIES = ("stringnot", "arnnot")
# Every negated operator IAM has, by how its name begins.
NEGATED_FAMILIES = (*NEGATED_TEST_FAMILIES, "numericnot", "datenot", "notipaddress")

_NOT = re.compile("not", re.IGNORECASE)


def comparison(operator: str) -> Comparison | None:
    """How the positive test ``operator`` compares (given without a set prefix or
    ``IfExists``: ``Condition.base_operator``); None for any other operator: a negation, a
    Numeric, Date, Bool, IpAddress or Null test, or one IAM has not."""
    return _COMPARISON.get(operator.lower())


def matches_patterns(operator: str) -> bool:
    """Whether ``*`` and ``?`` in the values of ``operator`` (as :func:`comparison` takes it)
    are wildcards rather than literal text."""
    return comparison(operator) is Comparison.PATTERN


def is_negated(operator: str) -> bool:
    """Whether ``operator`` is a negation (``StringNotEquals``, ``NotIpAddress`` ...): its name
    holds ``Not``, in any case.  Every negated operator IAM has does and no other does, nor does
    a set prefix or ``IfExists``, so ``operator`` may be given with them."""
    return "not" in operator.lower()


def positive_of(operator: str) -> str | None:
    """The positive test the negated one ``operator`` amounts to, as IAM spells it
    (``stringnotlike`` -> ``StringLike``); None when ``operator`` is no negation of a test
    above as it stands, with a set prefix or ``IfExists`` included."""
    return _POSITIVE_OF.get(operator.lower())


def positive_form(operator: str) -> str:
    """``operator`` without its first ``Not`` (in any case), as IAM spells the test that is left
    when it is one above, as written otherwise: ``StringNotEqualsIgnoreCase`` ->
    ``StringEqualsIgnoreCase``, ``NumericNotEquals`` -> ``NumericEquals``.  For the readers that
    take any operator whose name holds ``Not`` (:func:`is_negated`), or any of
    :data:`NEGATED_TEST_FAMILIES`, not only the negations IAM has."""
    positive = _NOT.sub("", operator, count=1)
    return _SPELLING.get(positive.lower(), positive)


# What a value of a Null test says of its key, lower-cased: "true" that it is absent (null),
# "false" that it is there.
_NULL_VALUES = {"true": True, "false": False}


def null_value(text: str | None) -> bool | None:
    """What one value of a ``Null`` test requires of its key: True that it be absent
    (``"true"``), False that it be present (``"false"``), in any case; None for a value
    rolelint cannot resolve, or any other text.

    The IAM User Guide writes the two in lower case and says nothing of another spelling;
    policy simulators read them in any case.  So read, ``"False"`` requires the key whichever
    way IAM reads it: a value IAM took for neither would fail every request, so a request
    without the key fails it either way.  The graph and the checks each read these values, and
    did not agree on ``"False"``: they read them here."""
    return _NULL_VALUES.get(text.lower()) if text is not None else None


def is_null_test(operator: str) -> bool:
    """Whether ``operator``, as written (set prefix and ``IfExists`` included), is a ``Null``
    test: ``Null`` itself, in any case.  Not ``NullIfExists``, which IAM rejects (IAM Access
    Analyzer, "Null with if exists": "The Null condition operator cannot be used with the
    IfExists suffix"; RL607 reports it), nor ``ForAnyValue:Null`` or ``ForAllValues:Null``,
    which the IAM User Guide describes nowhere: rolelint reads neither as a Null test.

    The one question every reader of a Null test asks first: the graph matched the operator
    exactly, the permission rules and the escalation methods any operator whose base was
    ``Null``, so that ``NullIfExists "false"`` limited a grant to tagged resources there and
    nowhere else."""
    return operator.lower() == "null"


def null_test(operator: str, texts: Iterable[str | None]) -> bool | None:
    """What a condition of ``operator`` (as written, set prefix and ``IfExists`` included)
    with the values ``texts`` requires of its key when it is a ``Null`` test, each value read
    by :func:`null_value`: True that the key be absent, False that it be present.  None for
    another operator, no value, values that disagree (either holds) or one rolelint cannot
    read (it may say either).  The one reading the graph and the checks take of such a
    test."""
    if not is_null_test(operator):
        return None
    said = {null_value(text) for text in texts}
    return said.pop() if len(said) == 1 else None
