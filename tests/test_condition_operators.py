"""The one table of the IAM condition operators rolelint compares: each positive test, its
negation and how it compares, read by the model, the checks, the graph and the policy grammar."""

from __future__ import annotations

import pytest

from rolelint.checks.validity import OPERATOR_NAMES, invalid_operator
from rolelint.condition_operators import (
    NEGATED_FAMILIES,
    NEGATED_TEST_FAMILIES,
    Comparison,
    comparison,
    is_negated,
    is_null_test,
    matches_patterns,
    null_test,
    null_value,
    positive_form,
    positive_of,
)

COMPARED = {
    "StringEquals": Comparison.EXACT,
    "StringEqualsIgnoreCase": Comparison.IGNORE_CASE,
    "StringLike": Comparison.PATTERN,
    "ArnEquals": Comparison.PATTERN,  # IAM compares ARNs field by field, with wildcards
    "ArnLike": Comparison.PATTERN,
}


def test_only_the_string_and_arn_tests_are_compared_and_each_as_iam_does() -> None:
    """Numeric, Date, Bool, Binary, IpAddress and Null tests and every negation are no
    comparison of rolelint's; the five it compares are, in any case."""
    assert {name: comparison(name) for name in OPERATOR_NAMES if comparison(name)} == COMPARED
    assert all(comparison(name.upper()) is how for name, how in COMPARED.items())
    assert [name for name in OPERATOR_NAMES if matches_patterns(name)] == [
        "StringLike",
        "ArnEquals",
        "ArnLike",
    ]


@pytest.mark.parametrize("negated", [n for n in OPERATOR_NAMES if "Not" in n])
def test_each_negation_iam_has_is_one_by_every_reading(negated: str) -> None:
    """The readers that ask whether the name holds "not" and those that ask how it begins
    agree on every operator IAM has (they differ only on names IAM rejects)."""
    assert is_negated(negated)
    assert negated.lower().startswith(NEGATED_FAMILIES)
    assert invalid_operator(positive_form(negated)) is None  # its positive form is IAM's
    tested = negated.lower().startswith(NEGATED_TEST_FAMILIES)
    assert (positive_of(negated) is not None) is tested
    if tested:
        assert positive_of(negated) == positive_form(negated) in COMPARED


@pytest.mark.parametrize("positive", [n for n in OPERATOR_NAMES if "Not" not in n])
def test_no_positive_operator_reads_as_a_negation(positive: str) -> None:
    assert not is_negated(positive)
    assert not positive.lower().startswith(NEGATED_FAMILIES)
    assert positive_of(positive) is None
    # Neither a set prefix nor IfExists holds "not".
    assert not is_negated(f"ForAllValues:{positive}IfExists")
    assert not is_negated(f"ForAnyValue:{positive}")


def test_positive_forms_as_iam_spells_them_or_as_written() -> None:
    """A message quotes the positive test a Deny's negation amounts to: in IAM's spelling, as
    written when IAM has none.  ``positive_of`` takes an operator as it stands, so a set prefix
    or IfExists has none."""
    assert positive_of("stringnotequalsignorecase") == "StringEqualsIgnoreCase"
    assert positive_of("ARNNOTLIKE") == "ArnLike"
    assert positive_of("StringNotLikeIfExists") is None
    assert positive_of("ForAnyValue:StringNotLike") is None
    assert positive_form("STRINGNOTLIKE") == "StringLike"
    assert positive_form("NumericNotEquals") == "NumericEquals"
    assert positive_form("StringNotEqual") == "StringEqual"
    assert positive_form("StringEquals") == "StringEquals"


@pytest.mark.parametrize(
    ("texts", "required"),
    [
        (("true",), True),
        (("True",), True),
        (("TRUE", "true"), True),
        (("false",), False),
        (("False",), False),
        (("FALSE", "false"), False),
        (("true", "false"), None),  # either holds
        ((None,), None),  # not known: it may say either
        (("false", None), None),
        (("yes",), None),
        ((), None),
    ],
)
def test_a_null_test_says_absent_or_present_in_any_case(
    texts: tuple[str | None, ...], required: bool | None
) -> None:
    """One reading of a Null test's values, which the graph's tests of a caller, its session
    values and the permission rules take: the graph's session values read ``"False"`` as
    requiring nothing, the others as requiring the key."""
    assert null_test("Null", texts) is required
    assert null_test("StringEquals", texts) is None
    if len(set(texts)) == 1:
        assert null_value(texts[0]) is required


@pytest.mark.parametrize(
    ("operator", "null"),
    [
        ("Null", True),
        ("null", True),  # IAM's spelling is validity's question (RL607)
        ("NullIfExists", False),  # IAM rejects it: "Null with if exists"
        ("ForAnyValue:Null", False),
        ("ForAllValues:Null", False),
        ("StringEquals", False),
    ],
)
def test_a_null_test_is_null_itself(operator: str, null: bool) -> None:
    """The graph took only ``Null`` for a Null test, the permission rules and the escalation
    methods any operator whose base was Null: they ask this one answer now, and so does
    :func:`null_test`."""
    assert is_null_test(operator) is null
    assert (null_test(operator, ("false",)) is False) is null
