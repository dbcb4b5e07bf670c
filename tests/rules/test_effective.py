"""The remainder of a grant after Denies and permissions boundaries (rolelint.checks.effective)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from rolelint.checks.effective import (
    Effect,
    Piece,
    effect_of,
    grants_all_of_iam,
    grants_everything,
)
from rolelint.model import PolicyDocument, PolicyKind, Role, Statement, Value
from rolelint.parsers.json_loader import load_json
from rolelint.parsers.policy_json import parse_policy_file
from rolelint.source import SourceRef, Span
from tests.conftest import count_calls
from tests.test_placeholders import reading

STAR = [Value("*", SourceRef("test", Span.point(1, 1)))]


def document(
    *statements: dict[str, Any], kind: PolicyKind = PolicyKind.PERMISSIONS
) -> PolicyDocument:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)
    [parsed] = parse_policy_file(load_json("policy.json", text)).standalone_policies
    return replace(parsed, kind=kind, origin=f"{kind.value} policy")


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def role(*documents: PolicyDocument) -> Role:
    at = SourceRef("test", Span.point(1, 1))
    return Role(id="App", ref=at, arn=Value(None, at), policies=tuple(documents))


def effect(action: str, grant: PolicyDocument, *others: PolicyDocument) -> Effect:
    return effect_of(action, STAR, grant, [role(grant, *others)])


def test_nothing_limits_a_lone_grant() -> None:
    result = effect("*", document(allow("*")))
    assert result.pieces == (Piece("*"),) and result.whole and result.note() == ""
    assert grants_everything(result) and grants_all_of_iam(result)


def test_a_deny_of_a_service_leaves_everything_else() -> None:
    result = effect("*", document(allow("*"), deny("iam:*")))
    assert result.pieces == (Piece("*", ("iam:*",)),)
    assert not grants_all_of_iam(result) and not grants_everything(result)
    assert result.grants("s3:GetObject") and not result.grants("iam:PassRole")
    assert "removes iam:*" in result.note()


def test_a_deny_of_more_than_the_grant_removes_it() -> None:
    assert effect("iam:Pass*", document(allow("iam:Pass*"), deny("iam:*"))).removed


@pytest.mark.parametrize(
    ("denied", "removed"),
    [("*", True), ("arn:*", True), ("arn:aws:s3:::logs/*", False)],
)
def test_a_deny_of_every_resource_covers_one_not_known(denied: str, removed: bool) -> None:
    """A resource not known (a parameter) is one of every resource: a Deny of '*' covers it,
    a Deny of named ones may not (it said 'covers fewer resources' for '*' too)."""
    grant = document(allow("s3:*"), deny("s3:*", denied))
    unknown = [Value(None, SourceRef("test", Span.point(1, 1)), "a parameter")]
    assert effect_of("s3:*", unknown, grant, [role(grant)]).removed is removed


@pytest.mark.parametrize(
    ("denial", "why"),
    [
        (deny("*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}), "condition"),
        (deny("*", "arn:aws:s3:::logs/*"), "fewer resources"),
    ],
)
def test_a_conditional_or_narrower_deny_is_named_but_removes_nothing(
    denial: dict[str, Any], why: str
) -> None:
    result = effect("*", document(allow("*"), denial))
    assert result.pieces == (Piece("*"),)
    assert why in result.note()


@pytest.mark.parametrize(
    ("resource", "said"),
    [
        # IAM rejects a statement without Resource ("Policy statement must contain
        # resources"); an empty list is outside its grammar, which IAM Access Analyzer files
        # as a suggestion, so no rejection is said of it.
        ([], "names no resource (its Resource is an empty list)"),
        (None, "names no resource, which IAM rejects"),
    ],
)
def test_a_deny_without_resource_is_not_said_to_cover_fewer_resources(
    resource: Any, said: str
) -> None:
    """A Deny naming no resource (an empty list, or no Resource key) was described as one
    that "covers fewer resources": it names none (RL613)."""
    denial = deny("*", resource)
    if resource is None:
        del denial["Resource"]
    result = effect("*", document(allow("*"), denial))
    assert result.pieces == (Piece("*"),)
    assert "fewer resources" not in result.note()
    assert result.note() == f" (the Deny at line 9 {said})"


def _deny_but(actions: Any, *spared: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": actions, "NotResource": list(spared)}


GENERATED_ROLE = "arn:aws:iam::111122223333:role/<generated:prod/t.yaml#AdminRole>"
UNKNOWN_PATH_ROLE = "arn:aws:iam::111122223333:role/<unresolved path:prod/t.yaml#Admin>admin"


@pytest.mark.parametrize(
    ("target", "statement", "removed"),
    [
        # A Deny on names the role may have or not: whether it applies is not known.
        (GENERATED_ROLE, deny("sts:AssumeRole", "arn:aws:iam::*:role/*prod*"), False),
        (GENERATED_ROLE, deny("sts:AssumeRole", "arn:aws:iam::*:role/*Admin*"), False),
        (UNKNOWN_PATH_ROLE, deny("sts:AssumeRole", "arn:aws:iam::*:role/*prod*"), False),
        # One naming every name it may have applies.
        (GENERATED_ROLE, deny("sts:AssumeRole", "arn:aws:iam::*:role/*"), True),
        (UNKNOWN_PATH_ROLE, deny("sts:AssumeRole", "arn:aws:iam::*:role/*admin"), True),
        # A Deny of all but some names: it may spare the role, unless they can never be its.
        (GENERATED_ROLE, _deny_but("sts:AssumeRole", "arn:aws:iam::*:role/ci"), False),
        (GENERATED_ROLE, _deny_but("sts:AssumeRole", "arn:aws:iam::*:role/*prod*"), False),
        (GENERATED_ROLE, _deny_but("sts:AssumeRole", "arn:aws:iam::*:role/break-glass/*"), True),
        (UNKNOWN_PATH_ROLE, _deny_but("sts:AssumeRole", "arn:aws:iam::*:role/ci"), True),
    ],
)
def test_a_deny_judges_a_role_of_unknown_name_by_every_name_it_may_have(
    target: str, statement: dict[str, Any], removed: bool
) -> None:
    """A role whose name is generated (or whose path is not known) is written with a
    stand-in holding its file and logical id.  A Deny's Resource was matched against that
    text, so ``role/*prod*`` took away the hop to a generated admin role of a template in a
    prod folder, and not in a dev one."""
    grant = document(allow("sts:AssumeRole"), statement)
    arn = [Value(target, SourceRef("test", Span.point(1, 1)))]
    assert effect_of("sts:AssumeRole", arn, grant, [role(grant)]).removed is removed


def test_a_deny_of_every_resource_but_a_few_leaves_the_grant_on_those_few() -> None:
    """Deny s3:* on everything but one bucket: s3:* is granted on that bucket only, no longer
    on every resource (RL203 and RL208 said 'on every resource')."""
    bucket = ("arn:aws:s3:::mybucket", "arn:aws:s3:::mybucket/*")
    result = effect("s3:*", document(allow("s3:*"), _deny_but("s3:*", *bucket)))
    assert result.removed
    assert "leaves s3:* only on 'arn:aws:s3:::mybucket', 'arn:aws:s3:::mybucket/*'" in (
        result.note()
    )
    everything = effect("*", document(allow("*"), _deny_but("s3:*", *bucket)))
    assert everything.pieces == (Piece("*", ("s3:*",)),)  # the rest is still everywhere


@pytest.mark.parametrize(
    "spared",
    [["*"], [None], []],
    ids=["every resource", "not known", "none"],
)
def test_a_deny_sparing_every_or_unknown_resources_removes_nothing(spared: list[Any]) -> None:
    statement = _deny_but("s3:*", *spared)
    if spared == [None]:
        statement["NotResource"] = [{"Ref": "Bucket"}]  # read as an unresolved value
    result = effect("s3:*", document(allow("s3:*"), statement))
    assert result.pieces == (Piece("s3:*"),)


@pytest.mark.parametrize(
    "spared",
    [
        ["arn:*"],
        ["arn:aws:*:*:111122223333:*", "arn:aws:iam::111122223333:*", "arn:aws:s3:::*"],
    ],
    ids=["every ARN", "every resource of the account"],
)
def test_a_deny_sparing_every_resource_of_the_account_removes_nothing(spared: list[str]) -> None:
    """Such a Deny was taken to narrow Allow * to the spared resources, so the policy lost its
    RL201: it still administers the account."""
    result = effect("*", document(allow("*"), _deny_but("*", *spared)))
    assert result.pieces == (Piece("*"),)
    assert "spares every resource)" in result.note()


def test_a_deny_sparing_a_whole_service_leaves_that_service_everywhere() -> None:
    every_role = effect(
        "iam:PassRole",
        document(allow("iam:PassRole"), _deny_but("*", "arn:aws:iam::111122223333:role/*")),
    )
    assert every_role.pieces == (Piece("iam:PassRole"),)  # every role of the account
    assert (
        "spares 'arn:aws:iam::111122223333:role/*', every iam resource of the kind it names"
    ) in every_role.note()
    buckets = effect("*", document(allow("*"), _deny_but("*", "arn:aws:s3:::*")))
    assert buckets.pieces == (Piece("s3:*"),)  # the rest only on S3, so not on every resource
    assert "leaves * only on 'arn:aws:s3:::*'" in buckets.note()
    one_role = effect(
        "iam:PassRole",
        document(allow("iam:PassRole"), _deny_but("*", "arn:aws:iam::111122223333:role/app-*")),
    )
    assert one_role.removed


def test_a_deny_of_every_resource_some_actions_act_on_removes_those() -> None:
    """s3:* on every bucket and object: the actions that may act on access points too
    (s3:PutObject) and those allowed only on '*' are left, as literal actions."""
    result = effect("s3:*", document(allow("s3:*"), deny("s3:*", "arn:aws:s3:::*")))
    assert not result.grants("s3:DeleteBucket") and not result.grants("s3:*")
    assert result.grants("s3:PutObject") and result.grants("s3:ListAllMyBuckets")
    assert result.limits == (
        "the Deny at line 9 removes those of s3:* whose every resource it names",
    )


@pytest.mark.parametrize("every", ["arn:*", "arn:aws:*:*:*:*", "arn:aws:*"])
def test_a_deny_of_every_arn_leaves_only_the_actions_without_resources(every: str) -> None:
    """A Deny on every ARN takes every action that acts on a resource, whatever its service
    (``*`` names none, and ``arn:*`` was no ARN to compare); those allowed only on '*' stay."""
    result = effect("*", document(allow("*"), deny("*", every)))
    assert not grants_all_of_iam(result) and not result.removed
    assert result.grants("iam:ListRoles") and result.grants("ec2:DescribeInstances")
    assert not result.grants("sts:AssumeRole") and not result.grants("s3:GetObject")
    assert result.limits == ("the Deny at line 9 removes those of * whose every resource it names",)
    result = effect("iam:PassRole", document(allow("iam:PassRole"), deny("iam:Pass*", every)))
    assert result.removed
    assert result.limits == ("the Deny at line 9 removes iam:Pass* on every resource they act on",)


def test_a_deny_in_another_policy_of_the_role_counts() -> None:
    guard = document(deny("iam:*"))
    result = effect("*", document(allow("*")), guard)
    assert result.pieces == (Piece("*", ("iam:*",)),)
    assert "the Deny in permissions policy" in result.note()


@pytest.mark.parametrize(
    ("boundary", "pieces"),
    [
        (allow("s3:*"), (Piece("s3:*"),)),
        (
            allow(["s3:GetObject", "sqs:SendMessage"]),
            (Piece("s3:GetObject"), Piece("sqs:SendMessage")),
        ),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, (Piece("*", ("iam:*",)),)),
        (allow("*"), (Piece("*"),)),
        (allow("s3:*", "arn:aws:s3:::only-this/*"), ()),  # nothing left on every resource
    ],
)
def test_a_boundary_intersects(boundary: dict[str, Any], pieces: tuple[Piece, ...]) -> None:
    result = effect("*", document(allow("*")), document(boundary, kind=PolicyKind.BOUNDARY))
    assert result.pieces == pieces


def test_a_boundary_meets_a_pattern_it_only_overlaps_through_the_catalog() -> None:
    # iam:*Policy and iam:Put* share PutRolePolicy, PutUserPolicy and PutGroupPolicy.
    result = effect(
        "iam:*Policy",
        document(allow("iam:*Policy")),
        document(allow("iam:Put*"), kind=PolicyKind.BOUNDARY),
    )
    names = {piece.pattern for piece in result.pieces}
    assert {"iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy"} <= names
    assert all(name.startswith("iam:Put") and name.endswith("Policy") for name in names)


def test_a_boundary_deny_caps_too() -> None:
    boundary = document(allow("*"), deny("iam:*"), kind=PolicyKind.BOUNDARY)
    result = effect("*", document(allow("*")), boundary)
    assert result.pieces == (Piece("*", ("iam:*",)),)
    assert not grants_all_of_iam(result)


def test_an_unresolved_boundary_caps_nothing() -> None:
    boundary = document(allow("s3:*"), kind=PolicyKind.BOUNDARY)
    unknown = replace(
        boundary,
        statements=(replace(boundary.statements[0], actions=(Value(None, STAR[0].ref),)),),
    )
    result = effect("*", document(allow("*")), unknown)
    assert result.pieces == (Piece("*"),)
    assert "allows it" in result.note()


def test_a_policy_of_several_roles_keeps_the_broadest_remainder() -> None:
    grant = document(allow("*"))
    capped = role(grant, document(allow("s3:*"), kind=PolicyKind.BOUNDARY))
    free = replace(role(grant), id="Free")
    assert effect_of("*", STAR, grant, [capped, free]).pieces == (Piece("*"),)
    assert effect_of("*", STAR, grant, [capped]).pieces == (Piece("s3:*"),)


def test_not_action_grants_start_from_everything_but_the_exclusions() -> None:
    grant = document({"Effect": "Allow", "NotAction": ["s3:*"], "Resource": "*"})
    result = effect_of("*", STAR, grant, [role(grant)], excluded=("s3:*",))
    assert grants_all_of_iam(result) and not grants_everything(result)


def test_each_question_reads_only_the_documents_that_can_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A card asks once per granted action: walking all of a role's documents each time made
    a role with 5,000 inline policies take 44 s.  Its documents are sorted once."""
    from rolelint.checks import effective

    grants = [document(allow(f"s3:Get{n}")) for n in range(300)]
    guard = document(deny("s3:Get7"))
    holder = role(*grants, guard)
    looked_up = count_calls(monkeypatch, effective, "_denies")
    results = [effect_of(f"s3:Get{n}", STAR, grants[n], [holder]) for n in range(300)]

    assert [n for n, result in enumerate(results) if result.removed] == [7]
    assert "the Deny in permissions policy" in results[7].note()
    assert looked_up.count < 4 * 300  # about 3 per question; 90,000 when each walks every document


def test_a_not_resource_of_many_unclosed_variables_is_compared_reading_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Deny's NotResource and the resource granted are compared with each ``${...}`` as any
    value: a ``${`` that no ``}`` closes was read to the end of the text once for each."""
    text = "arn:aws:s3:::b/" + "${" * 20_000
    granting = document(allow("s3:GetObject", text))
    guard = document({"Effect": "Deny", "Action": "s3:GetObject", "NotResource": text + "x"})
    resource = [Value(text, SourceRef("test", Span.point(1, 1)))]
    read = reading(monkeypatch)
    result = effect_of("s3:GetObject", resource, granting, [role(granting, guard)])
    assert result.removed  # the Deny spares only what ends in "x"
    assert 0 < read[0] <= 3 * (2 * len(text))  # the pattern and the resource, once each


def test_the_same_document_twice_is_weighed_once_and_equal_documents_each() -> None:
    guard = document(deny("iam:*"))
    twin = document(deny("iam:*"))  # equal, but another policy: both are named
    result = effect_of("*", STAR, document(allow("*")), [role(guard, guard, twin)])
    assert len(result.limits) == 2  # guard once, twin once
    assert result.note().count("removes iam:*") == 1  # the same words are said once


# --- only the Denies that may overlap are applied: the same remainder as applying them all -------

_ACTIONS = [
    "*",
    "iam:*",
    "iam:Put*",
    "iam:PutRole*",
    "iam:PutRolePolicy",
    "IAM:pass?ole",
    "iam:*Policy",
    "s3:Get*",
    "s3:GetObject",
    "s3:*",
    "*:Get*",
    "ec2:Run*",
    "${x}",
]


def _statement(rng: Any) -> dict[str, Any]:
    key = "NotAction" if rng.random() < 0.2 else "Action"
    chosen = rng.sample(_ACTIONS, rng.randint(1, 3))
    entry: dict[str, Any] = {
        "Effect": rng.choice(["Allow", "Deny", "Deny"]),
        key: chosen,
        "Resource": rng.choice(["*", "*", "arn:aws:s3:::b/*"]),
    }
    if rng.random() < 0.15:
        entry["Condition"] = {"Bool": {"aws:SecureTransport": "false"}}
    return entry


def _every_deny_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    import rolelint.checks.effective as effective

    class Everything(effective._DenyIndex):
        def candidates(self, patterns: Any) -> list[int]:
            return list(range(len(self.statements)))

    monkeypatch.setattr(effective, "_deny_index", Everything)


@pytest.mark.parametrize("seed", range(150))
def test_indexed_denies_leave_what_every_deny_leaves(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    rng = random.Random(seed)
    documents = [
        document(*(_statement(rng) for _ in range(rng.randint(1, 6))))
        for _ in range(rng.randint(1, 3))
    ]
    holder = role(*documents)
    questions = [(action, d) for d in documents for action in rng.sample(_ACTIONS[:-1], 4)]
    indexed = [effect_of(a, STAR, d, [holder]) for a, d in questions]
    with monkeypatch.context() as patch:
        _every_deny_applied(patch)
        every = [effect_of(a, STAR, d, [holder]) for a, d in questions]
    assert indexed == every


def test_denies_that_start_otherwise_are_not_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,500 Allows and 2,500 Denies made 6,250,000 Deny applications (86 s)."""
    import rolelint.checks.effective as effective

    statements = [deny(f"iam:Put{i}Role*") for i in range(200)]
    grant = document(allow("iam:Put7*"), *statements)
    applied: list[int] = []
    real = effective._apply_deny

    def counted(pieces: Any, statement: Any, *rest: Any) -> Any:
        applied.append(statement.ref.line)
        return real(pieces, statement, *rest)

    monkeypatch.setattr(effective, "_apply_deny", counted)
    result = effect("iam:Put7*", grant)
    # iam:Put7Role*, iam:Put70Role* ... iam:Put79Role*: the Denies that may overlap.
    assert len(applied) == 11
    assert "iam:Put7Role*" in result.pieces[0].excluded


def test_a_long_literal_start_is_looked_up_by_the_lengths_of_the_deny_starts() -> None:
    """Finding the Denies that start like a pattern sliced every prefix of its literal start:
    a 3 MB action took minutes.  Only prefixes as long as some Deny's start are looked up."""
    import rolelint.checks.effective as effective

    index = effective._DenyIndex(
        document(
            deny("iam:*"),
            deny("iam:xx*"),
            deny("s3:*"),
            deny("iam:xxxx" + "y" * 50 + "*"),
        )
    )

    class Counted(dict[str, list[int]]):
        asked = 0

        def get(self, key: str, default: Any = None) -> Any:
            Counted.asked += 1
            return super().get(key, default)

    index._by_head = Counted(index._by_head)
    long = "iam:" + "x" * 200_000 + "*"
    assert index.candidates([long]) == [0, 1]  # iam:* and iam:xx* start it; the others do not
    assert Counted.asked <= 4  # one per length of a Deny start (200,005 before)


def test_two_patterns_longer_than_any_policy_are_not_compared() -> None:
    """Above 10,240 characters on both sides (no policy IAM accepts holds one) the answer is
    "no" at once; a long pattern against a short one is still compared exactly."""
    from rolelint.checks.iam_match import covers, overlaps
    from rolelint.wildcards import LONGEST_COMPARED

    long = "iam:" + "x" * LONGEST_COMPARED + "*"
    assert not overlaps(long, long + "y", case_sensitive=True)
    assert not covers(long, long + "y", case_sensitive=True)
    assert covers("iam:*", long, case_sensitive=True)
    assert covers("iam:x*", long, case_sensitive=True)
    assert not covers(long, "iam:x*", case_sensitive=True)
    assert overlaps(long, "iam:?x*y", case_sensitive=True)


def test_gates_are_judged_in_one_place_a_group_passing_by_one_of_its_statements() -> None:
    # Effect.passes_gates and Effect.through_gates: every rule judges the conditions of the
    # boundary's Allows and a Deny's negated test there, as it judges the grant's own.
    ref = SourceRef("test", Span.point(1, 1))
    a, b, c = (Statement(ref, Value("Allow", ref), sid=sid) for sid in "abc")
    effect = Effect((Piece("*"),), gates=((a, b), (c,)))
    assert effect.passes_gates(lambda s: s.sid in ("b", "c"))
    assert not effect.passes_gates(lambda s: s.sid in ("a", "b"))  # group (c,) refuses it
    # Each test on its own: a group passes one by a statement, the other by another one.
    assert effect.passes_gates(lambda s: s.sid != "b", lambda s: s.sid != "a")
    assert Effect((Piece("*"),)).passes_gates(lambda s: False)  # no gate: nothing to pass
    lefts = {"a": frozenset({"x"}), "b": frozenset({"y"}), "c": None}
    assert effect.through_gates(lambda s: lefts[s.sid or ""]) == frozenset({"x", "y"})
    assert effect.through_gates(lambda s: lefts[s.sid or ""], frozenset({"y", "z"})) == frozenset(
        {"y"}
    )
    lefts["c"] = frozenset()
    assert effect.through_gates(lambda s: lefts[s.sid or ""]) == frozenset()


def test_the_resources_of_a_statement_are_hashed_once_for_all_its_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A card and the inventory ask what is left of each action of a statement, on the same
    resources each time: each question hashed every resource again to look its answer up (206
    actions on 300 resources in each of 300 roles: most of a 3 MB report's 30 s)."""
    from rolelint.checks.effective import remainders

    actions = [f"s3:GetObject{n}" for n in range(50)]
    buckets = [f"arn:aws:s3:::b{n}/*" for n in range(100)]
    grant = document(allow(actions, buckets), deny("s3:GetObject7", buckets[3]))
    holder = role(grant)
    [statement, _] = grant.statements
    resources = list(statement.resources)
    hashed = count_calls(monkeypatch, Value, "__hash__")
    found = [remainders(a, resources, grant, holder, allow=statement) for a in actions]
    again = [remainders(a, resources, grant, holder, allow=statement) for a in actions]
    assert found == again
    assert [n for n, each in enumerate(found) if "the Deny" in each[0][1].note()] == [7]
    assert hashed.count <= 2 * len(buckets)  # 10,000 when hashed for each question
