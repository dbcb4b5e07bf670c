"""IAM wildcard semantics: the comparisons every check relies on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.checks.iam_match import (
    action_covers,
    action_grants,
    concrete_values,
    covers,
    is_all_actions,
    is_any_resource,
    is_service_wide,
    is_wildcard_principal,
    literal_account,
    overlaps,
    parse_arn,
    principal_account,
    resource_covers,
    statement_grants,
    value_has_wildcard,
)
from rolelint.model import THIS_ACCOUNT, Condition, PolicyDocument, PolicyKind, Statement, Value
from rolelint.source import SourceRef
from rolelint.wildcards import _split_fields

REF = SourceRef("policy.json")


def v(text: str | None) -> Value:
    return Value(text, REF, None if text is not None else "parameter without default")


UNRESOLVED = v(None)


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("iam:Pass*", "iam:PassRole", True),
        ("IAM:passrole", "iam:PassRole", True),
        ("iam:*Policy*", "iam:PutRolePolicy", True),
        ("iam:*Policy*", "iam:PassRole", False),
        ("iam:?assRole", "iam:PassRole", True),
        ("iam:?assRole", "iam:PassRoles", False),
        ("iam:Pass?", "iam:PassRole", False),
        ("*", "sts:AssumeRole", True),
        ("sts:Assume*", "sts:AssumeRoleWithSAML", True),
        ("s3:Get*", "s3:PutObject", False),
        # Both sides patterns: s3:*Object and s3:Put* share s3:PutObject.
        ("s3:*Object", "s3:Put*", True),
        ("s3:Get*", "s3:Put*", False),
    ],
)
def test_action_overlap(pattern: str, action: str, expected: bool) -> None:
    assert overlaps(pattern, action, case_sensitive=False) is expected
    assert action_grants(v(pattern), action) is expected


@pytest.mark.parametrize(
    ("general", "specific", "expected"),
    [
        ("iam:*", "iam:Pass*", True),
        ("iam:Pass*", "iam:*", False),
        ("*", "*:*", True),
        ("*:*", "*", False),  # "*" also names strings without a colon
        ("iam:PassRole", "IAM:PASSROLE", True),
        ("iam:?assRole", "iam:PassRole", True),
        ("iam:PassRole", "iam:?assRole", False),
        ("s:a*b*c", "s:a*bxb*c", True),
    ],
)
def test_action_covers(general: str, specific: str, expected: bool) -> None:
    assert covers(general, specific, case_sensitive=False) is expected
    assert action_covers(v(general), specific) is expected


def test_an_action_without_a_service_prefix_names_no_action() -> None:
    """IAM refuses "*Role" (actions are prefaced by a service): as a pattern it would cover
    iam:PassRole, but it grants and denies nothing (RL605)."""
    assert covers("*Role", "iam:PassRole", case_sensitive=False)
    assert not action_covers(v("*Role"), "iam:PassRole")
    assert not action_grants(v("*Assume*"), "sts:AssumeRole")
    assert action_grants(v("*"), "sts:AssumeRole") and action_grants(v("**"), "iam:PassRole")


def test_resources_compare_case_sensitively() -> None:
    assert resource_covers(v("arn:aws:s3:::Bucket/*"), "arn:aws:s3:::Bucket/key")
    assert not resource_covers(v("arn:aws:s3:::bucket/*"), "arn:aws:s3:::Bucket/key")
    assert not overlaps("arn:aws:s3:::bucket", "arn:aws:s3:::BUCKET", case_sensitive=True)


def test_unresolved_values_never_match_and_are_never_wildcards() -> None:
    assert not action_grants(UNRESOLVED, "iam:PassRole")
    assert not action_covers(UNRESOLVED, "iam:PassRole")
    assert not resource_covers(UNRESOLVED, "arn:aws:s3:::bucket")
    assert not value_has_wildcard(UNRESOLVED)
    assert value_has_wildcard(v("s3:Get*"))
    assert literal_account(UNRESOLVED) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("*", True), ("*:*", True), ("**", True), ("iam:*", False), ("s3:Get*", False)],
)
def test_is_all_actions(text: str, expected: bool) -> None:
    assert is_all_actions(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("s3:*", True), ("S3:**", True), ("s3:Get*", False), ("*", False), ("*:*", False)],
)
def test_is_service_wide(text: str, expected: bool) -> None:
    assert is_service_wide(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", True),
        ("arn:*", True),
        ("arn:aws:*:*:*:*", True),
        ("arn:aws-us-gov:*", True),
        # Every partition AWS has, not the five the checks once knew.
        ("arn:aws-iso-e:*:*:*:*", True),
        ("arn:aws-iso-f:*", True),
        ("arn:aws-eusc:*:*:*:*", True),
        ("arn:aws-typo:*:*:*:*", False),
        ("arn:aws:s3:::*", False),
        ("arn:aws:iam::*:role/*", False),
    ],
)
def test_is_any_resource(text: str, expected: bool) -> None:
    assert is_any_resource(text) is expected


def _fields_by_characters(text: str, limit: int) -> list[str]:
    """The meaning of ARN field splitting, one character at a time: a colon separates unless a
    ``${`` before it is still open; at most ``limit`` fields."""
    fields: list[str] = []
    start = depth = index = 0
    while index < len(text) and len(fields) < limit - 1:
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}" and depth:
            depth -= 1
        elif text[index] == ":" and not depth:
            fields.append(text[start:index])
            start = index + 1
        index += 1
    return [*fields, text[start:]]


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(["$", "{", "}", ":", "a", "${", "${AWS::AccountId}", "arn"])).map(
        "".join
    ),
    st.integers(min_value=1, max_value=7),
)
def test_arn_fields_split_as_the_character_walk_does(text: str, limit: int) -> None:
    assert _split_fields(text, limit) == _fields_by_characters(text, limit)


def test_arn_and_account_parsing() -> None:
    arn = parse_arn("arn:aws:iam::111122223333:role/path/app")
    assert arn is not None
    assert (arn.partition, arn.service, arn.account, arn.resource) == (
        "aws",
        "iam",
        "111122223333",
        "role/path/app",
    )
    assert parse_arn("111122223333") is None
    # Colons inside ${...} do not separate fields; plain ARNs split as str.split would.
    symbolic = parse_arn("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/a:b")
    assert symbolic is not None
    assert (symbolic.partition, symbolic.account, symbolic.resource) == (
        "${AWS::Partition}",
        "${AWS::AccountId}",
        "role/a:b",
    )
    plain = parse_arn("arn:aws:sqs:eu-west-1:111122223333:queue:extra")
    assert plain is not None and plain.resource == "queue:extra"
    assert principal_account("111122223333") == "111122223333"
    assert principal_account("arn:aws:iam::*:root") == "*"
    assert principal_account(f"arn:aws:iam::{THIS_ACCOUNT}:root") == THIS_ACCOUNT
    assert literal_account(v(f"arn:aws:iam::{THIS_ACCOUNT}:root")) is None
    assert literal_account(v("arn:aws-cn:iam::111122223333:root")) == "111122223333"
    assert literal_account(v("11112222333")) is None  # eleven digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", True),
        ("arn:aws:iam::*:root", True),
        ("arn:aws:iam::*:role/deployer", True),
        ("arn:aws:iam::1111222233?3:root", True),
        ("arn:aws:iam::111122223333:root", False),
        (f"arn:aws:iam::{THIS_ACCOUNT}:root", False),
        ("111122223333", False),
    ],
)
def test_is_wildcard_principal(text: str, expected: bool) -> None:
    assert is_wildcard_principal(text) is expected


def _condition(*values: str | None) -> Condition:
    return Condition("StringEquals", "sts:ExternalId", tuple(v(t) for t in values), REF)


def test_concrete_condition_values() -> None:
    assert concrete_values(_condition("abc"))
    assert not concrete_values(_condition())
    assert not concrete_values(_condition(""))
    assert not concrete_values(_condition("ab*"))
    assert not concrete_values(_condition("abc", None))


def test_statement_grants_with_not_action() -> None:
    allow_all_but_iam = Statement(REF, v("Allow"), not_actions=(v("iam:*"),))
    assert statement_grants(allow_all_but_iam, "sts:AssumeRole")
    assert not statement_grants(allow_all_but_iam, "iam:PassRole")
    unknown = Statement(REF, v("Allow"), not_actions=(UNRESOLVED,))
    assert not statement_grants(unknown, "sts:AssumeRole")


def _document(*statements: Statement) -> PolicyDocument:
    return PolicyDocument(PolicyKind.PERMISSIONS, REF, "policy.json", "policy", statements)


# --- the pattern walks: as the recursive walks were, without recursion or kept memory -------------


def _recursive_overlap(first: str, second: str) -> bool:
    """The walk as it was written before (recursive, a cache per call): the oracle."""
    import functools

    @functools.cache
    def walk(i: int, j: int) -> bool:
        if i == len(first) and j == len(second):
            return True
        if i < len(first) and first[i] == "*":
            return walk(i + 1, j) or (j < len(second) and walk(i, j + 1))
        if j < len(second) and second[j] == "*":
            return walk(i, j + 1) or (i < len(first) and walk(i + 1, j))
        if i == len(first) or j == len(second):
            return False
        a, b = first[i], second[j]
        return (a == b or a == "?" or b == "?") and walk(i + 1, j + 1)

    return walk(0, 0)


def _recursive_covers(general: str, specific: str) -> bool:
    import functools

    if "*" not in specific and "?" not in specific:
        import re

        pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in general)
        return re.fullmatch(pattern, specific, re.DOTALL) is not None
    if general == specific or general == "*":
        return True

    @functools.cache
    def walk(i: int, j: int) -> bool:
        if i == len(general):
            return j == len(specific)
        token = general[i]
        if token == "*":
            return walk(i + 1, j) or (j < len(specific) and walk(i, j + 1))
        if j == len(specific) or specific[j] == "*":
            return False
        if token == "?":
            return walk(i + 1, j + 1)
        return specific[j] == token and walk(i + 1, j + 1)

    return walk(0, 0)


_PATTERNS = st.text(alphabet="abc*?", max_size=12).map(lambda t: t.replace("**", "*"))


@settings(max_examples=5000, derandomize=True, database=None)
@given(first=_PATTERNS, second=_PATTERNS)
def test_pattern_walks_answer_as_the_recursive_walks(first: str, second: str) -> None:
    squash = (first.replace("**", "*"), second.replace("**", "*"))
    assert overlaps(first, second, case_sensitive=True) == _recursive_overlap(*squash)
    assert covers(first, second, case_sensitive=True) == _recursive_covers(*squash)


def test_patterns_of_thousands_of_characters_are_compared() -> None:
    """The recursive walks ran out of stack (RecursionError) at a few thousand characters."""
    long = "a" + "b" * 5000
    assert overlaps("a*" + "b" * 5000, long + "*", case_sensitive=True)
    assert not covers("a*" + "b" * 5000, long + "*", case_sensitive=True)
    assert covers(long + "*", long + "?*", case_sensitive=True)


def test_long_patterns_are_compared_a_row_at_a_time() -> None:
    """Two patterns of 3,000 characters visited 4,500,000 pairs of positions one by one, in a
    set of 680 MB; a row of positions is one integer now."""
    import tracemalloc

    long = "iam:a*" + "b" * 3000 + "*"
    tracemalloc.start()
    try:
        assert not covers(long + "c", long, case_sensitive=False)
        assert covers(long, long + "c", case_sensitive=False)
        assert overlaps(long, long[:-1] + "?*c", case_sensitive=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_comparisons_leave_nothing_for_the_collector() -> None:
    """Checks run with the collector paused: a comparison that left a reference cycle kept
    its memory for the rest of the run (850 MB for one policy of 400 Allows and Denies)."""
    import gc

    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for index in range(300):
            overlaps(f"x:put{index}*", f"x:put{index + 7}role*", case_sensitive=True)
            covers(f"x:put{index}*", f"x:put{index + 7}role*", case_sensitive=True)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
