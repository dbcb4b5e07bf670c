"""Invalid-policy rules RL601-RL605 through the real pipeline on raw policy files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from rolelint import iam_actions
from rolelint.api import lint_paths
from rolelint.engine import Selection
from rolelint.findings import Finding, Severity
from tests.conftest import count_calls
from tests.rules.harness import findings_of, line_of, policy

READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def document(version: Any = "2012-10-17", *statements: Any) -> str:
    body: dict[str, Any] = {} if version is None else {"Version": version}
    body["Statement"] = list(statements) or [READ]
    return json.dumps(body, indent=2)


# --- RL601 ----------------------------------------------------------------------------------------


def test_rl601_duplicate_key_points_at_the_second_occurrence(tmp_path: Path) -> None:
    code = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Deny",\n'
        '    "Action": "s3:DeleteObject",\n    "Resource": "arn:aws:s3:::reports/*",\n'
        '    "Effect": "Allow"\n  }]\n}\n'
    )
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL601", 7)}
    assert "'Effect'" in findings[0].message
    assert findings[0].severity is Severity.MEDIUM


def test_rl601_duplicate_keys_in_yaml(tmp_path: Path) -> None:
    code = (
        'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n'
        "    Resource: arn:aws:s3:::reports/*\n    Action: s3:PutObject\n"
    )
    assert pairs(findings_of(code, "yaml", tmp_path)) == {("RL601", 6)}


EMBEDDED_DUPLICATES = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
            "Action": "iam:*", "Resource": "*"}]}'
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub '{"Statement": {"Effect": "Deny", "Effect": "Allow",
        "Action": "s3:*", "Resource": "arn:aws:s3:::${AWS::AccountId}-logs/*"}}'
"""


def test_rl601_duplicate_keys_of_a_policy_written_as_json_text(tmp_path: Path) -> None:
    """CloudFormation takes a policy as JSON text too: its duplicate keys were dropped unseen
    (a second Action widened the statement to iam:*).  Each is reported once, at the text."""
    findings = findings_of(EMBEDDED_DUPLICATES, "yaml", tmp_path)
    duplicates = sorted(
        (f.resource, f.location.line, f.message) for f in findings if f.rule_id == "RL601"
    )
    assert [(resource, line) for resource, line, _ in duplicates] == [("Policy", 15), ("Role", 10)]
    assert "'Effect'" in duplicates[0][2] and "'Action'" in duplicates[1][2]


# --- RL602 ----------------------------------------------------------------------------------------


def test_rl602_current_version_is_fine(tmp_path: Path) -> None:
    assert findings_of(document(), "json", tmp_path) == []


def test_rl602_missing_version_points_at_the_document(tmp_path: Path) -> None:
    code = document(None)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", 1)}
    assert findings[0].severity is Severity.LOW
    assert "no Version" in findings[0].message


def test_rl602_legacy_version_says_why(tmp_path: Path) -> None:
    code = document("2008-10-17")
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", line_of(code, '"Version"'))}
    assert "policy variables" in findings[0].message


@pytest.mark.parametrize("version", ["2010-09-09", "2012-10-18", "2012-10-17 "])
def test_rl602_other_versions_fire_at_the_value(tmp_path: Path, version: str) -> None:
    code = document(version)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", line_of(code, '"Version"'))}
    assert "rejects" in findings[0].message


def test_rl602_trust_policies_count_too(tmp_path: Path) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    code = document("2008-10-17", trust)
    assert pairs(findings_of(code, "json", tmp_path)) == {("RL602", 2)}


# --- RL603 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("effect", ["allow", "ALLOW", "deny", "Denied", "Allow ", ""])
def test_rl603_effect_is_case_sensitive(tmp_path: Path, effect: str) -> None:
    code = policy({**READ, "Effect": effect})
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL603", line_of(code, '"Effect"'))}
    assert findings[0].severity is Severity.HIGH


def test_rl603_missing_effect_points_at_the_statement(tmp_path: Path) -> None:
    statement = {key: value for key, value in READ.items() if key != "Effect"}
    code = policy(READ, statement)
    findings = findings_of(code, "json", tmp_path)
    # The second statement opens on the line after the first one closes.
    assert pairs(findings) == {("RL603", line_of(code, "},") + 1)}
    assert "without Effect" in findings[0].message


def test_rl603_allow_and_deny_are_fine(tmp_path: Path) -> None:
    code = policy(READ, {**READ, "Effect": "Deny", "Resource": "arn:aws:s3:::reports/secret/*"})
    assert findings_of(code, "json", tmp_path) == []


# --- RL604 ----------------------------------------------------------------------------------------


def test_rl604_statement_without_action(tmp_path: Path) -> None:
    statement = {"Effect": "Allow", "Actions": ["s3:GetObject"], "Resource": "arn:aws:s3:::r/*"}
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL604", line_of(code, "{", 2))}
    assert findings[0].severity is Severity.MEDIUM


def test_rl604_not_action_counts_as_an_action(tmp_path: Path) -> None:
    code = policy({"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"})
    assert findings_of(code, "json", tmp_path) == []


@pytest.mark.parametrize(
    ("statement", "does"),
    [
        ({"Effect": "Allow", "NotAction": [], "Resource": "*"}, "grants nothing"),
        ({"Effect": "Deny", "NotAction": [], "Resource": "*"}, "denies nothing"),
        ({"Effect": "Allow", "Action": [], "Resource": "*"}, "grants nothing"),
    ],
)
def test_rl604_an_empty_action_list_names_no_action(
    tmp_path: Path, statement: dict[str, Any], does: str
) -> None:
    """Hunt: ``"NotAction": []`` was read as every action but none (RL201 and RL204 on an
    Allow; a Deny of everything).  IAM's grammar takes one or more values and IAM Access
    Analyzer says such a statement "includes no actions and does not affect the policy": it
    names no action, as ``"Resource": []`` names no resource (RL613)."""
    code = policy(statement)
    [key] = [k for k in statement if k.endswith("Action")]
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL604", line_of(code, f'"{key}"'))
    assert finding.message == (
        f"The policy has a statement whose {key} is an empty list, which names no action: the "
        f"statement {does} (IAM's policy grammar takes one or more values)"
    )


def test_rl604_an_empty_not_action_in_yaml_and_terraform(tmp_path: Path) -> None:
    """The same in a template and in Terraform's jsonencode: the list is read where it is
    written, in every format."""
    template = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                NotAction: []
                Resource: "*"
"""
    found = findings_of(template, "yaml", tmp_path)
    assert pairs(found) == {("RL604", line_of(template, "NotAction"))}
    terraform = """\
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "p"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", NotAction = [], Resource = "*" }]
    })
  }
}
"""
    other = tmp_path / "tf"
    other.mkdir()
    found = findings_of(terraform, "tf", other)
    assert {f.rule_id for f in found} == {"RL604"}


def test_rl604_statement_that_is_not_an_object(tmp_path: Path) -> None:
    code = document("2012-10-17", READ, ["s3:GetObject"], 42)
    findings = findings_of(code, "json", tmp_path)
    lines = {line for rule, line in pairs(findings) if rule == "RL604"}
    assert pairs(findings) == {("RL604", line) for line in lines}
    assert lines == {line_of(code, "    ["), line_of(code, "    42")}


def test_rl604_several_statements_without_action_are_told_apart(tmp_path: Path) -> None:
    first = {"Sid": "Reports", "Effect": "Allow", "Resource": "arn:aws:s3:::r/*"}
    second = {"Sid": "Archive", "Effect": "Allow", "Resource": "arn:aws:s3:::a/*"}
    findings = findings_of(policy(first, second), "json", tmp_path)
    assert [f.rule_id for f in findings] == ["RL604", "RL604"]
    assert len({f.fingerprint for f in findings}) == 2
    assert "'Reports'" in findings[0].message


def test_rl604_a_document_without_statement_names_the_near_miss(tmp_path: Path) -> None:
    """The role looked as if no one could assume it: a misspelled key left no statement and
    no finding, while IAM rejects the policy."""
    code = (
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
        "        Statements:\n          - Effect: Allow\n            Principal: {AWS: '*'}\n"
        "            Action: sts:AssumeRole\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n"
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert sorted((f.rule_id, f.location.line, f.message) for f in findings) == [
        (
            "RL604",
            7,
            "Trust policy of role R has no Statement (it has 'Statements'); IAM rejects the policy",
        ),
        ("RL604", 14, "Inline policy 'p' of role R has no Statement; IAM rejects the policy"),
    ]


def test_rl604_a_document_without_statement_is_named_as_its_siblings_name_it(
    tmp_path: Path,
) -> None:
    """RL604 said "The policy has no Statement" without saying which policy, where RL602 on the
    same document says "Inline policy 'p' of role R": it now opens as RL602 does, and keeps its
    fingerprint (the key is the parser's words, which are unchanged)."""
    code = (
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument: {Sid: x}\n"
        "  M:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Roles: [!Ref R]\n"
        "      PolicyDocument: {Version: '2012-10-17'}\n"
    )
    findings = findings_of(code, "yaml", tmp_path)
    subjects = {
        f.rule_id: {x.message.split(" has ")[0] for x in findings if x.rule_id == f.rule_id}
        for f in findings
    }
    assert subjects == {
        "RL602": {"Inline policy 'p' of role R"},
        "RL604": {"Inline policy 'p' of role R", "AWS::IAM::ManagedPolicy M"},
    }


def test_rl604_a_condition_that_is_not_an_object(tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::r/*",
        "Condition": [{"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}],
    }
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.message) for f in findings] == [
        ("RL604", "A Condition must be an object of condition operators; IAM rejects the policy")
    ]
    assert findings[0].location.line == line_of(code, '"Condition": [')


def test_rl604_a_condition_operator_without_keys(tmp_path: Path) -> None:
    """{"StringEquals": "oops"} was dropped without a word: the statement looked unconditional
    and nothing said IAM rejects the policy."""
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::r/*",
        "Condition": {"StringEquals": "o-abc"},
    }
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL604", line_of(code, '"o-abc"'))]
    assert findings[0].message == (
        "Condition operator StringEquals must hold an object of condition keys and values; IAM"
        " rejects the policy"
    )


def test_rl604_a_principal_list(tmp_path: Path) -> None:
    """``"Principal": ["*"]`` is not a principal IAM reads: the trust was silently taken as
    naming nobody known."""
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["AWS", "*"]}
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL604", line_of(code, '"Principal": ['))
    ]
    assert findings[0].message == (
        'Principal must be "*" or an object of principal types (AWS, Service, Federated,'
        " CanonicalUser), not a list; IAM rejects the policy"
    )


# The line that opens each element's outer list, and the one that closes it: the list inside
# it is on line 6, at column 7.
NESTED_LISTS = {
    "Action": ('"Resource": "*", "Action": [', "]"),
    "AWS": ('"Action": "sts:AssumeRole", "Principal": {"AWS": [', "]}"),
    "aws:PrincipalOrgID": (
        '"Action": "sts:AssumeRole", "Principal": "*", '
        '"Condition": {"StringEquals": {"aws:PrincipalOrgID": [',
        "]}}",
    ),
}


@pytest.mark.parametrize(
    ("element", "inner"), [("Action", '["*"]'), ("AWS", '["*"]'), ("aws:PrincipalOrgID", '["o-a"]')]
)
def test_rl604_a_list_inside_a_list(tmp_path: Path, element: str, inner: str) -> None:
    """``"Action": [["*"]]`` was flattened without a word and read as ``"*"`` (full admin,
    critical), ``{"AWS": [["*"]]}`` as anyone, and ``"aws:PrincipalOrgID": [["o-a"]]`` as a
    condition that limits callers to the organization: IAM's grammar takes a string or a flat
    list of strings, and rejects all three.  The value is now unresolved: it grants, admits
    and limits nothing."""
    opening, closing = NESTED_LISTS[element]
    code = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
        f"    {opening}\n      {inner}\n    {closing}\n  }}]\n}}\n"
    )
    findings = findings_of(code, "json", tmp_path)
    invalid = [
        (f.location.line, f.location.column, f.message) for f in findings if f.rule_id == "RL604"
    ]
    assert invalid == [
        (
            6,
            7,
            f"A list inside the list of {element}: IAM takes a string or a list of strings; IAM "
            "rejects the policy",
        )
    ]
    # Read as no value: not full admin (RL201), not anyone (RL101 critical).
    assert [f.rule_id for f in findings if f.severity is not Severity.LOW] == ["RL604"]
    if element == "aws:PrincipalOrgID":  # anyone, no longer limited to the organization
        [weak] = [f for f in findings if f.rule_id == "RL101"]
        assert "unresolved: not a plain value (a list inside a list)" in weak.message


def test_rl604_a_list_an_expression_gives_inside_a_list_is_read_as_its_items(
    tmp_path: Path,
) -> None:
    """A list-valued function inside a list is read as its items, as before: only a list
    written inside a list is reported."""
    code = (
        "Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Resource: '*'\n"
        '            Action: [!Split [",", "iam:PassRole,s3:GetObject"]]\n'
    )
    rules = {f.rule_id for f in findings_of(code, "yaml", tmp_path)}
    assert "RL604" not in rules and "RL206" in rules  # iam:PassRole on any role was read


def test_rl604_a_principal_string_other_than_star(tmp_path: Path) -> None:
    """IAM takes a string Principal only for "*": the trust was silently taken as naming
    nobody known."""
    root = "arn:aws:iam::444455556666:root"
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": root}
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL604", line_of(code, root))]
    assert findings[0].message == (
        'Principal must be "*" or an object of principal types (AWS, Service, Federated,'
        f" CanonicalUser), not the string '{root}'; IAM rejects the policy"
    )


def test_rl604_an_unknown_principal_type(tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"Services": "lambda.amazonaws.com"},
    }
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL604", line_of(code, '"Services"'))
    ]
    assert findings[0].message.startswith("'Services' is not a principal type")
    # A type spelled in another case may be one IAM reads: not said.
    other = tmp_path / "case"
    other.mkdir()
    statement["Principal"] = {"service": "lambda.amazonaws.com"}
    assert findings_of(policy(statement), "json", other) == []


# --- RL605 ----------------------------------------------------------------------------------------


def statement(action: Any, effect: str = "Allow", key: str = "Action") -> dict[str, Any]:
    return {"Effect": effect, key: action, "Resource": "arn:aws:s3:::reports/*"}


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ("s3:GetObjects", "'GetObjects' is not an action of s3 (did you mean 's3:GetObject'?)"),
        ("ec3:DescribeInstances", "(did you mean 'ec2:DescribeInstances'?)"),
        ("dynamo:GetItem", "'dynamo' is not an AWS service prefix"),
        ("s3GetObject", "is not of the form service:action"),
        # An unknown service is a typo in a pattern too: it was low, without a suggestion.
        (
            "dynamo:List*",
            "'dynamo' is not an AWS service prefix (did you mean 'dynamodb:List*'?)",
        ),
        ("ec3:DescribeInst*", "(did you mean 'ec2:DescribeInst*'?)"),
    ],
)
def test_rl605_unknown_actions_are_named_with_a_suggestion(
    tmp_path: Path, action: str, reason: str
) -> None:
    code = document("2012-10-17", statement(["s3:PutObject", action]))
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL605", line_of(code, f'"{action}"'))}
    assert reason in findings[0].message
    assert findings[0].severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        # A service only alike in spelling that has Put*, Describe* or Connect* actions was
        # suggested ('kinesisvideo:Put*', 'cloudwatch:Put*', 'cloudsearch:Describe*',
        # 'elasticache:Connect*'): following the advice grants another service.
        ("codestar:Describe*", "'codestar' is not an AWS service prefix;"),
        ("elastic-inference:Connect*", "'elastic-inference' is not an AWS service prefix;"),
        # The service's name, as AWS writes it, for a prefix that is not its name.
        ("kinesis-firehose:Put*", "(did you mean 'firehose:Put*'?)"),
        ("cloudwatchlogs:Put*", "(did you mean 'logs:Put*'?)"),
        # A literal was suggested with an action that does not exist ('cloudwatch:PutLogEvents').
        ("cloudwatchlogs:PutLogEvents", "(did you mean 'logs:PutLogEvents'?)"),
        ("ec3:DescribeInstance", "(did you mean 'ec2:DescribeInstances'?)"),
    ],
)
def test_rl605_suggests_only_the_service_meant(tmp_path: Path, action: str, reason: str) -> None:
    code = document("2012-10-17", statement([action]))
    [finding] = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL605"]
    assert reason in finding.message
    assert finding.message.count("did you mean") == reason.count("did you mean")
    assert finding.severity is Severity.MEDIUM  # an unknown service is a typo, suggested or not


def test_rl605_judges_each_entry_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo given a "did you mean" went through the whole judgement twice (expanding the
    entry again) and then through a third test of whether it was a typo: each entry is now
    expanded once, and the suggestion asked for once."""
    expanded: list[str] = []
    suggested: list[str] = []
    expand, suggestion = iam_actions.expand, iam_actions.suggestion

    def counting_expand(pattern: str) -> tuple[iam_actions.Action, ...]:
        # RL605's own expansions: other rules (RL203 judging the writes a pattern grants) expand
        # the same entries for their own questions.
        if sys._getframe(1).f_globals.get("__name__") == "rolelint.checks.validity":
            expanded.append(pattern)
        return expand(pattern)

    def counting_suggestion(action: str) -> str | None:
        suggested.append(action)
        return suggestion(action)

    monkeypatch.setattr(iam_actions, "expand", counting_expand)
    monkeypatch.setattr(iam_actions, "suggestion", counting_suggestion)
    code = document("2012-10-17", statement(["s3:GetObjects", "s3:Gett*"]))
    typo, dead = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL605"]
    assert "(did you mean 's3:GetObject'?)" in typo.message
    assert "'s3:Gett*' matches no s3 action;" in dead.message
    assert expanded.count("s3:GetObjects") == 1
    assert expanded.count("s3:Gett*") == 1
    assert suggested == ["s3:GetObjects"]


def test_rl605_suggestions_stop_after_the_first_200(tmp_path: Path) -> None:
    """A "did you mean" costs a millisecond: 300,000 made-up actions took minutes.  Every
    unknown action is still reported, at its own line."""
    from rolelint.checks.validity import _SUGGESTIONS

    count = _SUGGESTIONS + 50
    code = policy({"Effect": "Allow", "Action": ["s3:GetObjects"] * count, "Resource": "*"})
    findings = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL605"]
    assert len(findings) == count
    suggested = [f for f in findings if "did you mean 's3:GetObject'" in f.message]
    assert len(suggested) == _SUGGESTIONS
    assert suggested == findings[:_SUGGESTIONS]  # the first ones, in the order of the file


def test_rl605_a_deny_with_a_typo_is_reported_too(tmp_path: Path) -> None:
    code = document("2012-10-17", statement("s3:DeleteObjects", "Deny"), READ)
    assert pairs(findings_of(code, "json", tmp_path)) == {("RL605", line_of(code, "DeleteObjects"))}


def test_rl605_a_pattern_that_matches_nothing_is_low(tmp_path: Path) -> None:
    code = document("2012-10-17", statement("s3:Gett*"))
    [finding] = findings_of(code, "json", tmp_path)
    assert finding.rule_id == "RL605" and finding.severity is Severity.LOW
    assert "'s3:Gett*' matches no s3 action" in finding.message


@pytest.mark.parametrize(
    "action",
    ["S3:getobject", "s3:Get*", "s3:Get?bject", "*", "s3:*", "*:Describe*", "iam:Pass*"],
)
def test_rl605_real_actions_in_any_case_and_with_wildcards_pass(
    tmp_path: Path, action: str
) -> None:
    findings = findings_of(document("2012-10-17", statement(action)), "json", tmp_path)
    assert [f for f in findings if f.rule_id == "RL605"] == []


def test_rl605_checks_not_action_as_well(tmp_path: Path) -> None:
    code = document("2012-10-17", statement(["s3:GetObject", "s3:PutObjekt"], "Deny", "NotAction"))
    findings = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL605"]
    assert pairs(findings) == {("RL605", line_of(code, "PutObjekt"))}


def test_rl605_an_unknown_action_grants_and_denies_nothing(tmp_path: Path) -> None:
    code = document("2012-10-17", statement("s3:GetObjekt"))
    [finding] = findings_of(code, "json", tmp_path)
    assert finding.message.endswith("; it grants and denies nothing")


@pytest.mark.parametrize(
    ("entry", "effect", "consequence", "severity"),
    [
        # In an Allow, even a pattern that matches nothing widens access: not dead weight.
        ("acount:*", "Allow", "so the Allow grants what it was meant to withhold", Severity.MEDIUM),
        (
            "iam:GetRolee",
            "Allow",
            "so the Allow grants what it was meant to withhold",
            Severity.MEDIUM,
        ),
        ("iam:GetRolee", "Deny", "so the Deny denies what it was meant to spare", Severity.MEDIUM),
        # A service misspelled is a typo, pattern or not; a pattern of a real one, dead weight.
        ("acount:*", "Deny", "so the Deny denies what it was meant to spare", Severity.MEDIUM),
        ("iam:Gett*", "Deny", "so the Deny denies what it was meant to spare", Severity.LOW),
    ],
)
def test_rl605_an_unknown_not_action_entry_excludes_nothing(
    tmp_path: Path, entry: str, effect: str, consequence: str, severity: Severity
) -> None:
    """An unknown NotAction entry was said to grant and deny nothing, and a pattern in an
    Allow's NotAction was low: it excludes nothing, so the statement applies to it."""
    code = document("2012-10-17", statement(["iam:*", entry], effect, "NotAction"))
    [finding] = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL605"]
    assert finding.location.line == line_of(code, entry)
    assert finding.message.endswith(f"; in NotAction it excludes nothing, {consequence}")
    assert finding.severity is severity


READ_ONLY_SERVICES = """\
locals {
  services = ["acm", "athena", "backup", "cloudtrail", "dynamo", "s3"]
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = [for s in local.services : "${s}:BatchGet*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
"""


def test_rl605_a_misspelled_service_among_patterns_is_said_first(tmp_path: Path) -> None:
    """The read-only module's typo, ``dynamo`` in its list of services: among the patterns of
    real services that match nothing at the same place, the misspelled service is what makes
    the finding medium, so it is named first, with what was meant, not left in "and N more".
    A pattern is suggested only with a service it matches actions of."""
    (tmp_path / "main.tf").write_text(READ_ONLY_SERVICES)
    [finding] = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL605"]
    assert (finding.location.line, finding.severity) == (6, Severity.MEDIUM)
    assert finding.message.startswith(
        "Policy aws_iam_policy.p names actions that do not exist: 'dynamo' is not an AWS service"
        " prefix (did you mean 'dynamodb:BatchGet*'?); 'acm:BatchGet*' matches no acm action;"
    )
    code = document("2012-10-17", statement("dynamo:Lst*"))
    [finding] = findings_of(code, "json", tmp_path)
    assert "'dynamo' is not an AWS service prefix; it grants" in finding.message


def test_rl605_never_judges_unresolved_actions(tmp_path: Path) -> None:
    template = (
        "Parameters:\n  Extra:\n    Type: String\nResources:\n  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        "            Action: !Ref Extra\n            Resource: '*'\n"
    )
    findings = findings_of(template, "yaml", tmp_path)
    assert [f for f in findings if f.rule_id == "RL605"] == []


# --- RL606 / RL607 --------------------------------------------------------------------------------


def test_rl606_names_the_first_statement(tmp_path: Path) -> None:
    first = {**READ, "Sid": "Read"}
    second = {**READ, "Sid": "Read", "Action": "s3:ListBucket"}
    code = document("2012-10-17", first, second, {**READ, "Sid": "Other"})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL606", line_of(code, '"Read"', 2))
    first_line = line_of(code, '"Read"')
    assert f"first at line {first_line}" in finding.message


@pytest.mark.parametrize(
    "operator",
    [
        "StringEquals",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEqualsIgnoreCaseIfExists",
        "ArnNotLikeIfExists",
        "Null",
    ],
)
def test_rl607_valid_operators(tmp_path: Path, operator: str) -> None:
    code = document("2012-10-17", {**READ, "Condition": {operator: {"aws:PrincipalOrgID": "o-1"}}})
    assert findings_of(code, "json", tmp_path) == []


@pytest.mark.parametrize(
    ("operator", "reason"),
    [
        ("StringEqual", "(did you mean 'StringEquals'?)"),
        ("ForAllValue:StringLike", "is not an IAM condition operator"),
        ("ForAllValues:ForAnyValue:StringEquals", "is not an IAM condition operator"),
        ("ForAnyValue:ForAllValues:StringEquals", "is not an IAM condition operator"),
        # IAM: "MalformedPolicyDocument: Invalid Condition type : stringEquals"
        ("stringEquals", "operator names are case-sensitive, write 'StringEquals'"),
        ("StringLikeIfexists", "case-sensitive, write 'StringLikeIfExists'"),
        ("forallvalues:StringLike", "case-sensitive, write 'ForAllValues:StringLike'"),
        ("NullIfExists", "NullIfExists is not valid"),
    ],
)
def test_rl607_invalid_operators(tmp_path: Path, operator: str, reason: str) -> None:
    code = document("2012-10-17", {**READ, "Condition": {operator: {"aws:PrincipalOrgID": "o-1"}}})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL607", line_of(code, f'"{operator}"'))
    assert reason in finding.message


# --- RL608 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        ("reports/*", "it is not an ARN"),
        ("arn:aws:s3:reports", "it is not an ARN of six parts"),
        (" arn:aws:s3:::reports/*", "it has spaces around it"),
    ],
)
def test_rl608_invalid_resources(tmp_path: Path, resource: str, reason: str) -> None:
    code = document("2012-10-17", {**READ, "Resource": ["arn:aws:s3:::ok/*", resource]})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL608", line_of(code, f'"{resource}"'))
    assert reason in finding.message


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:aws:s3:::reports/*", "arn:aws:kms:*", "arn:aws-cn:iam::123456789012:role/x"],
)
def test_rl608_valid_resources(tmp_path: Path, resource: str) -> None:
    code = document("2012-10-17", {**READ, "Resource": resource})
    assert [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL608"] == []


@pytest.mark.parametrize(
    ("resource", "said"),
    [
        (
            "arn:aws:s4:::reports/*",
            "whose service 's4' is no AWS service (did you mean 's3'?): it names no resource",
        ),
        (
            "arn:aws:dynamo:eu-west-1:111122223333:table/orders",
            "whose service 'dynamo' is no AWS service (did you mean 'dynamodb'?)",
        ),
        # Amazon Managed Service for Prometheus workspaces are ``arn:aws:aps:...``.
        (
            "arn:aws:prometheus:eu-west-1:111122223333:workspace/ws-1",
            "whose service 'prometheus' is no AWS service (did you mean 'aps'?)",
        ),
        # A placeholder after the service leaves the service known.
        ("arn:aws:s4:::${aws:username}/*", "whose service 's4' is no AWS service"),
    ],
)
def test_rl608_an_arn_of_a_service_aws_does_not_have(
    tmp_path: Path, resource: str, said: str
) -> None:
    """Hunt: ``arn:aws:s4:::bucket`` passed RL608: any six parts were an ARN.  An ARN whose
    service AWS does not have (by the action catalog: its service prefixes and its resource
    types' ARN formats) names no resource: the statement grants nothing there."""
    code = document("2012-10-17", {**READ, "Resource": ["arn:aws:s3:::ok/*", resource]})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL608", line_of(code, f'"{resource}"'))
    assert said in finding.message
    assert finding.message.endswith("so the statement grants nothing on it")
    assert "rejects" not in finding.message


@pytest.mark.parametrize(
    ("effect", "consequence"),
    [
        ("Allow", "so the Allow grants what it was meant to withhold"),
        ("Deny", "so the Deny denies what it was meant to spare"),
    ],
)
def test_rl608_an_unknown_service_in_not_resource_excludes_nothing(
    tmp_path: Path, effect: str, consequence: str
) -> None:
    statement = {"Effect": effect, "Action": "s3:*", "NotResource": "arn:aws:s4:::keep/*"}
    code = document("2012-10-17", READ, statement)
    found = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL608"]
    assert [f.location.line for f in found] == [line_of(code, "arn:aws:s4")]
    assert found[0].message == (
        "The policy names NotResource 'arn:aws:s4:::keep/*', whose service 's4' is no AWS "
        "service (did you mean 's3'?): it names no resource; in NotResource it excludes "
        f"nothing, {consequence}"
    )


@pytest.mark.parametrize(
    ("resource", "meant"),
    [
        # One edit from a two-letter service: difflib's likeness (0.5) missed it.
        ("arn:aws:s4:::reports/*", "s3"),
        # Amazon Managed Service for Prometheus: its ARNs are arn:aws:aps:... (the shared
        # corpus's terraform-aws-iam IRSA example writes arn:aws:prometheus:...).
        ("arn:aws:prometheus:eu-west-1:111122223333:workspace/ws-1", "aps"),
        # ec2, ecr and ecs are one edit from ec3: the resource type tells which was meant.
        ("arn:aws:ec3:eu-west-1:111122223333:instance/i-1", "ec2"),
        ("arn:aws:ec3:eu-west-1:111122223333:repository/app", "ecr"),
        ("arn:aws:ec3:eu-west-1:111122223333:cluster/main", "ecs"),
        # Equally close services and nothing to tell them apart, or none close: no guess.
        ("arn:aws:ec3:eu-west-1:111122223333:*", None),
        ("arn:aws:ec3:eu-west-1:111122223333:instance/*", None),
        ("arn:aws:e3:eu-west-1:111122223333:thing", None),  # es and s3
        ("arn:aws:s:eu-west-1:111122223333:x/y", None),  # ds, es, q, s3, ts: none has x/y
        # Of those five, only S3 has ARNs without Region and account: a bucket's.
        ("arn:aws:s:::reports", "s3"),
        ("arn:aws:codestarx:eu-west-1:111122223333:project/p", None),
        # Services of ARNs alone (no action prefix), from the catalog's ARN formats: they
        # were no candidate, so nothing was named, or another service, which no ARN has.
        ("arn:aws:catlog:us-east-1:111122223333:portfolio/port-1", "catalog"),
        (
            "arn:aws:elastic-inferense:us-east-1:111122223333:elastic-inference-accelerator/x",
            "elastic-inference",
        ),
        (
            "arn:aws:route53-recovery-contol::111122223333:controlpanel/x",
            "route53-recovery-control",
        ),  # not route53-recovery-cluster
        ("arn:aws:catalgo:us-east-1:111122223333:portfolio/port-1", None),  # two edits off
    ],
)
def test_rl608_names_the_service_meant_only_when_one_clearly_is(
    tmp_path: Path, resource: str, meant: str | None
) -> None:
    """Hunt: ``arn:aws:s4:::b`` and ``arn:aws:prometheus:...`` got no "did you mean" (difflib
    missed the two-letter s3; the product's name is not its prefix), and of services equally
    close the first in alphabetical order was named (``ec3`` with a repository's ARN: "did you
    mean 'ec2'?")."""
    code = document("2012-10-17", {**READ, "Resource": resource})
    [finding] = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL608"]
    hint = "did you mean"
    if meant is None:
        assert hint not in finding.message
    else:
        assert f"({hint} '{meant}'?)" in finding.message


@pytest.mark.parametrize(
    "resource",
    [
        # ARN services that are no action prefix, from the catalog's ARN formats.
        "arn:aws:catalog:us-east-1:111122223333:portfolio/port-1",
        "arn:aws:elastic-inference:us-east-1:111122223333:elastic-inference-accelerator/x",
        "arn:aws:route53-recovery-control::111122223333:controlpanel/x",
        "arn:aws:aps:eu-west-1:111122223333:workspace/ws-1",
        "arn:aws:execute-api:eu-west-1:111122223333:abc/*",
        # A service in another case (IAM's own check, not this one), a wildcard, or a
        # placeholder in or before it: not judged.
        "arn:aws:S3:::reports/*",
        "arn:aws:s*:::reports/*",
        "arn:aws:${Service}:::reports/*",
        "arn:${Partition}:s4:::reports/*",
        "arn:aws::::reports",
    ],
)
def test_rl608_a_service_the_catalog_knows_or_does_not_tell_is_not_judged(
    tmp_path: Path, resource: str
) -> None:
    code = document("2012-10-17", {**READ, "Resource": resource})
    found = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL608"]
    assert [f.message for f in found if "no AWS service" in f.message] == []


INVOKE = {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke"}


@pytest.mark.parametrize(
    "resource",
    ["execute-api:/*", "execute-api:/stage-name/GET/pets", "execute-api:/*/POST/orders/*"],
)
def test_rl608_api_gateway_shorthand_in_a_resource_policy_is_valid(
    tmp_path: Path, resource: str
) -> None:
    """An API Gateway resource policy naming ``execute-api:/*`` was "IAM rejects: it is not an
    ARN" (RL608, exit 1).  API Gateway documents the abbreviated syntax
    ``execute-api:/stage/method/path`` and expands it to the API's full ARN when the policy is
    saved: "You can use execute-api:/* to represent all stages, methods, and paths in the
    current API" (https://docs.aws.amazon.com/apigateway/latest/developerguide/
    apigateway-resource-policies-examples.html; the ``x-amazon-apigateway-policy`` example of
    openapi-extensions-policy.html uses it too)."""
    outside = {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}}
    deny = {**INVOKE, "Effect": "Deny", "Resource": resource, "Condition": outside}
    code = document("2012-10-17", {**INVOKE, "Resource": resource}, deny)
    assert [f.rule_id for f in findings_of(code, "json", tmp_path)] == []


def test_rl608_api_gateway_shorthand_outside_a_resource_policy_is_still_no_arn(
    tmp_path: Path,
) -> None:
    """Only API Gateway expands the shorthand: in an identity policy (no Principal) IAM gets
    it as written and rejects it."""
    code = document("2012-10-17", {**READ, "Resource": "execute-api:/*"})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL608", line_of(code, '"execute-api'))
    assert "it is not an ARN" in finding.message
    assert "which IAM rejects" in finding.message


def test_grammar_errors_of_a_resource_policy_say_aws_rejects_them_not_iam(tmp_path: Path) -> None:
    """A bucket or API policy is refused by the service that holds it, which IAM never sees:
    the findings said "IAM rejects" of them all the same."""
    code = document("2012-10-17", {**INVOKE, "Resource": "my-api"}, {**INVOKE, "Effect": "allow"})
    found = sorted((f.rule_id, f.message) for f in findings_of(code, "json", tmp_path))
    assert [rule for rule, _ in found] == ["RL603", "RL608"]
    assert '; AWS accepts exactly "Allow" or "Deny"' in found[0][1]
    assert "names Resource 'my-api', which AWS rejects: it is not an ARN" in found[1][1]
    assert not any("IAM" in message for _, message in found)


def test_rl608_keys_a_wide_statement_in_steps_proportional_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each RL608 finding of a statement without a Sid is keyed by the statement's content,
    all its values sorted: that content was made again for every finding, so one statement of
    6,000 resources that are no ARNs displayed 36 million values (the largest cost of a plain
    check of it).  It is made once per statement; the keys, and so the fingerprints, are the
    same."""
    from rolelint.model import Value

    wide = 400
    names = [f"b{n}" for n in range(wide)]
    path = tmp_path / "p.json"
    path.write_text(
        document("2012-10-17", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": names})
    )
    shown = count_calls(monkeypatch, Value, "display")
    findings = lint_paths([str(path)], Selection(select=("RL608",))).findings
    assert sorted(f.message.split("'")[1] for f in findings) == sorted(names)
    assert len({f.fingerprint for f in findings}) == wide
    assert shown.count <= 2 * (wide + 1)  # the statement's values once, not once a finding


# --- RL613 ----------------------------------------------------------------------------------------


def test_rl613_a_statement_without_resource_names_the_near_miss(tmp_path: Path) -> None:
    """A misspelled ``Resources`` left the statement without Resource, which IAM rejects:
    nothing was said."""
    code = policy(READ, {"Effect": "Allow", "Action": "s3:GetObject", "Resources": "*"})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL613", line_of(code, '"Resources"'))
    assert finding.message == (
        "The policy has a statement without Resource or NotResource (it has 'Resources'); IAM "
        "rejects a permissions policy whose statements do not name their resources"
    )


def test_rl613_a_statement_without_resource_or_near_miss_is_pointed_at(tmp_path: Path) -> None:
    code = policy({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject"})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL613", line_of(code, "{", 2))
    assert "statement 'Read' without Resource or NotResource;" in finding.message


@pytest.mark.parametrize(
    ("effect", "does"), [("Allow", "grants nothing"), ("Deny", "denies nothing")]
)
@pytest.mark.parametrize("key", ["Resource", "NotResource"])
def test_rl613_an_empty_resource_list_is_no_resource(
    tmp_path: Path, key: str, effect: str, does: str
) -> None:
    """IAM's grammar takes one or more values in a list: ``"Resource": []`` names nothing.
    Whether IAM refuses the policy for it is not established (IAM Access Analyzer files "Empty
    array resource" as a suggestion: the statement "includes no resources and does not affect
    the policy"), and RL613 said "IAM rejects" of it; it now says what the statement does, as
    RL604 does of ``"Action": []``."""
    code = policy({"Effect": effect, "Action": "s3:GetObject", key: []})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL613", line_of(code, f'"{key}"'))
    assert finding.message == (
        f"The policy has a statement whose {key} is an empty list, which names no resource: "
        f"the statement {does} (IAM's policy grammar takes one or more values)"
    )


@pytest.mark.parametrize(
    ("effect", "does"), [("Allow", "grants nothing"), ("Deny", "denies nothing")]
)
@pytest.mark.parametrize(
    ("key", "rule", "names"),
    [
        ("Resource", "RL613", "no resource"),
        ("NotResource", "RL613", "no resource"),
        ("Action", "RL604", "no action"),
        ("NotAction", "RL604", "no action"),
    ],
)
def test_a_null_element_names_nothing(
    tmp_path: Path, key: str, rule: str, names: str, effect: str, does: str
) -> None:
    """``"Resource": null`` is no value IAM's grammar takes (a string or a list of strings);
    CloudFormation refuses a template holding null, and Terraform's jsonencode() writes
    ``Resource = null`` as ``"Resource":null``.  It was read as an element naming nothing said
    of it: the statement's actions judged as if it were sound (RL202 of ``s3:*``), a null
    NotAction as every action but none.  It names nothing, as an empty list does."""
    sound = {"Effect": effect, "Action": "s3:*", "Resource": "*"}
    statement: dict[str, str | None] = {k: v for k, v in sound.items() if not key.endswith(k)}
    code = policy(statement | {key: None})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == (rule, line_of(code, f'"{key}"'))
    assert finding.message == (
        f"The policy has a statement whose {key} is null, which names {names}: the statement "
        f"{does} (IAM's policy grammar takes a string or a list of strings)"
    )


NULL_RESOURCE_TEMPLATE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:*
                Resource: RESOURCE
"""
NULL_RESOURCE_TERRAFORM = """\
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = POLICY
}
"""
NULL_RESOURCES = {
    "cloudformation-null": ("yaml", NULL_RESOURCE_TEMPLATE.replace("RESOURCE", "null")),
    "terraform-jsonencode": (
        "tf",
        NULL_RESOURCE_TERRAFORM.replace(
            "POLICY",
            'jsonencode({\n    Version = "2012-10-17"\n'
            '    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = null }]\n  })',
        ),
    ),
    "terraform-heredoc": (
        "tf",
        NULL_RESOURCE_TERRAFORM.replace(
            "POLICY",
            '<<EOT\n{"Version": "2012-10-17", "Statement": [\n'
            '  {"Effect": "Allow", "Action": "s3:*", "Resource": null}]}\nEOT',
        ),
    ),
}


@pytest.mark.parametrize(("suffix", "code"), NULL_RESOURCES.values(), ids=NULL_RESOURCES.keys())
def test_a_null_resource_is_read_alike_in_every_format(
    tmp_path: Path, suffix: str, code: str
) -> None:
    """As ``!Ref AWS::NoValue`` leaves the statement without Resource (RL613, no grant), a null
    Resource names none: RL613 at it, and ``s3:*`` is not judged (RL202 was)."""
    found = findings_of(code, suffix, tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL613", line_of(code, "null" if suffix == "yaml" else "Resource"))
    ]
    assert "whose Resource is null" in found[0].message


def test_a_resource_left_out_by_no_value_is_as_before(tmp_path: Path) -> None:
    """Guard: ``!Ref AWS::NoValue`` leaves the element out (RL613 "without Resource")."""
    code = NULL_RESOURCE_TEMPLATE.replace("RESOURCE", "!Ref AWS::NoValue")
    [finding] = findings_of(code, "yaml", tmp_path)
    assert finding.rule_id == "RL613" and "without Resource or NotResource" in finding.message


# A null one branch of a condition gives is that branch's value, not the element left out:
# Terraform's jsonencode() writes ``cond ? [...] : null`` as ``"NotAction":null`` there, and a
# CloudFormation null (which it refuses anywhere) is written too.  Only ``AWS::NoValue``, and an
# aws_iam_policy_document argument set to null (the provider leaves it out), leave it out.
BRANCH_POLICY = """\
variable "c" {
  type = bool
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", STATEMENT }]
  })
}
"""
NULL_BRANCHES = {
    "NotAction": ('NotAction = var.c ? ["iam:*"] : null, Resource = "*"', "RL604", "no action"),
    "NotResource": (
        'Action = "*", NotResource = var.c ? ["arn:aws:s3:::b/*"] : null',
        "RL613",
        "no resource",
    ),
}


@pytest.mark.parametrize(
    ("statement", "rule", "names"), NULL_BRANCHES.values(), ids=NULL_BRANCHES.keys()
)
def test_a_null_branch_is_that_branch_s_value(
    tmp_path: Path, statement: str, rule: str, names: str
) -> None:
    """The branch judged alone (an Allow's NotAction or NotResource is split per branch) was
    "a statement with neither Action nor NotAction" (or "without Resource or NotResource"),
    at the statement: the element read as left out.  It is the null jsonencode() writes, which
    names nothing, reported at the key as ``[]`` in that branch is."""
    code = BRANCH_POLICY.replace("STATEMENT", statement)
    key = statement.split(" = var.c")[0].split(", ")[-1]
    found = [f for f in findings_of(code, "tf", tmp_path) if f.rule_id == rule]
    assert [(f.location.line, f.location.column) for f in found] == [
        (line_of(code, key), code.splitlines()[line_of(code, key) - 1].index(key) + 1)
    ]
    assert f"whose {key} is null, which names {names}" in found[0].message


PAIRS = {
    "terraform-jsonencode": (
        "tf",
        BRANCH_POLICY.replace(
            "STATEMENT",
            'Action = var.c ? ["s3:*"] : null, NotAction = var.c ? null : ["iam:*"],'
            ' Resource = "*"',
        ),
        "NotAction",
    ),
    "cloudformation-null": (
        "yaml",
        NULL_RESOURCE_TEMPLATE.replace(
            "Action: s3:*\n",
            "Action: !If [C, [s3:*], null]\n                NotAction: !If [C, null, [iam:*]]\n",
        )
        .replace("RESOURCE", '"*"')
        .replace(
            "Resources:\n", "Conditions:\n  C: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n"
        ),
        "NotAction",
    ),
}


@pytest.mark.parametrize(("suffix", "code", "second"), PAIRS.values(), ids=PAIRS.keys())
def test_a_pair_written_with_a_null_in_each_branch_is_a_pair_in_each(
    tmp_path: Path, suffix: str, code: str, second: str
) -> None:
    """``Action = c ? [...] : null`` beside ``NotAction = c ? null : [...]``: jsonencode()
    writes both keys in every deployment, one of them null; read as alternatives (the null
    left out), each branch's grant was judged (RL202 of ``s3:*``, RL204 of the NotAction).
    Both are written: IAM takes one or the other (RL613), and the statement grants nothing."""
    found = findings_of(code, suffix, tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [("RL613", line_of(code, second))]
    assert "both Action and NotAction" in found[0].message


PAIR_LEFT_OUT = {
    "cloudformation-no-value": (
        "yaml",
        PAIRS["cloudformation-null"][1]
        .replace("[s3:*], null]", "[s3:*], !Ref AWS::NoValue]")
        .replace("[C, null,", "[C, !Ref AWS::NoValue,"),
    ),
    "terraform-policy-document": (
        "tf",
        BRANCH_POLICY.split('resource "aws_iam_role_policy"')[0]
        + 'data "aws_iam_policy_document" "d" {\n  statement {\n'
        '    actions     = var.c ? ["s3:*"] : null\n'
        '    not_actions = var.c ? null : ["iam:*"]\n    resources   = ["*"]\n  }\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        "  policy = data.aws_iam_policy_document.d.json\n}\n",
    ),
}


@pytest.mark.parametrize(("suffix", "code"), PAIR_LEFT_OUT.values(), ids=PAIR_LEFT_OUT.keys())
def test_a_pair_whose_elements_a_condition_leaves_out_is_judged_per_branch(
    tmp_path: Path, suffix: str, code: str
) -> None:
    """Guard: ``AWS::NoValue``, and an aws_iam_policy_document argument set to null, leave the
    element out: each branch's grant is judged, no pair reported."""
    rules = {f.rule_id for f in findings_of(code, suffix, tmp_path)}
    assert {"RL202", "RL204"} <= rules and "RL613" not in rules


TRUST = """\
variable "c" {
  type = bool
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = PRINCIPAL, Action = "sts:AssumeRole" }]
  })
}
"""
NULL_TRUST_TEMPLATE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: null
            Action: sts:AssumeRole
"""
NULL_PRINCIPALS = {
    "terraform": ("tf", TRUST.replace("PRINCIPAL", "null"), []),
    "cloudformation": ("yaml", NULL_TRUST_TEMPLATE, []),
    "terraform-branch": (
        "tf",
        TRUST.replace("PRINCIPAL", 'var.c ? { AWS = "*" } : null'),
        ["RL101"],
    ),
}


@pytest.mark.parametrize(
    ("suffix", "code", "others"), NULL_PRINCIPALS.values(), ids=NULL_PRINCIPALS.keys()
)
def test_a_null_principal_names_no_one(
    tmp_path: Path, suffix: str, code: str, others: list[str]
) -> None:
    """``"Principal": null`` (jsonencode() writes ``Principal = null``, and the null branch of
    a conditional, so) was read as no principal without a word.  IAM takes ``"*"`` or an object
    of principal types, and rejects a trust statement that names no principal: RL604 at it, as
    for a list; it admits no one (the other branch's ``AWS = "*"`` is still RL101)."""
    found = findings_of(code, suffix, tmp_path)
    assert sorted(f.rule_id for f in found) == sorted(["RL604", *others])
    [invalid] = [f for f in found if f.rule_id == "RL604"]
    assert invalid.location.line == line_of(code, "Principal")
    assert invalid.message.startswith('Principal must be "*" or an object of principal types')
    assert ", not null; IAM rejects the policy" in invalid.message


NULL_CONDITIONS = {
    "terraform": (
        "tf",
        BRANCH_POLICY.replace("STATEMENT", 'Action = "*", Resource = "*", Condition = null'),
    ),
    "terraform-branch": (
        "tf",
        BRANCH_POLICY.replace(
            "STATEMENT",
            'Action = "*", Resource = "*",'
            ' Condition = var.c ? { Bool = { "aws:MultiFactorAuthPresent" = "true" } } : null',
        ),
    ),
    "cloudformation": (
        "yaml",
        NULL_RESOURCE_TEMPLATE.replace("Action: s3:*", 'Action: "*"').replace(
            "RESOURCE", '"*"\n                Condition: null'
        ),
    ),
}


@pytest.mark.parametrize(("suffix", "code"), NULL_CONDITIONS.values(), ids=NULL_CONDITIONS.keys())
def test_a_null_condition_is_no_condition(tmp_path: Path, suffix: str, code: str) -> None:
    """Guard of a decision: a null Condition names no test, as a null Resource names no
    resource, and the statement is read unconditioned there (as under ``{}``): what it grants
    if IAM takes it; that IAM refuses it is not claimed (no RL604)."""
    assert [f.rule_id for f in findings_of(code, suffix, tmp_path)] == ["RL201"]


def test_rl613_a_resource_key_in_another_case_is_not_judged(tmp_path: Path) -> None:
    code = policy({"Effect": "Allow", "Action": "s3:GetObject", "resource": "*"})
    assert [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL613"] == []


def test_rl613_a_trust_policy_needs_no_resource(tmp_path: Path) -> None:
    template = """\
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""
    assert findings_of(template, "yaml", tmp_path) == []
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}
    )
    other = tmp_path / "raw"
    other.mkdir()
    assert [f for f in findings_of(trust, "json", other) if f.rule_id == "RL613"] == []


@pytest.mark.parametrize(
    ("statement", "second", "pair"),
    [
        (
            {"Effect": "Allow", "Action": "s3:PutObject", "NotAction": "s3:DeleteObject"},
            '"NotAction"',
            "both Action and NotAction",
        ),
        (
            {"Effect": "Allow", "NotAction": "iam:*", "Action": "s3:*"},
            '"Action"',
            "both NotAction and Action",
        ),
        (
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "NotResource": "arn:aws:s3:::b/private/*",
            },
            '"NotResource"',
            "both Resource and NotResource",
        ),
        (  # its NotAction is not read, nor taken for a missing Action (RL604)
            {
                "Effect": "Allow",
                "NotAction": "iam:*",
                "Resource": "*",
                "NotResource": "arn:aws:s3:::b/private/*",
            },
            '"NotResource"',
            "both Resource and NotResource",
        ),
    ],
)
def test_rl613_exclusive_elements_point_at_the_second(
    tmp_path: Path, statement: dict[str, Any], second: str, pair: str
) -> None:
    statement.setdefault("Resource", "arn:aws:s3:::b/*")
    code = policy(statement)
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL613", line_of(code, second))
    assert f"a statement with {pair}; IAM takes one or the other and rejects" in finding.message


def test_rl613_principal_and_not_principal_in_a_trust_policy(tmp_path: Path) -> None:
    """A trust policy IAM rejects trusts nobody: no trust rule reads ``"Principal": "*"``."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "sts:AssumeRole",
    }
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL613", line_of(code, '"NotPrincipal"'))}
    assert "both Principal and NotPrincipal" in findings[0].message


NOT_PRINCIPAL_TRUST = """\
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::111122223333:root}
            Action: sts:AssumeRole
          - Effect: Deny
            NotPrincipal: {AWS: arn:aws:iam::111122223333:role/ci}
            Action: sts:AssumeRole
"""

NOT_PRINCIPAL_TRUST_TERRAFORM = """\
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
  statement {
    effect  = "Deny"
    actions = ["sts:AssumeRole"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/ci"]
    }
  }
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


def test_rl613_not_principal_in_a_trust_policy(tmp_path: Path) -> None:
    """IAM refuses NotPrincipal in a role trust policy, with Deny as with Allow ("You cannot
    use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust
    policy", IAM User Guide): the Deny meant to let only the CI role in was silent, and the
    role was never deployed."""
    findings = [
        f for f in findings_of(NOT_PRINCIPAL_TRUST, "yaml", tmp_path) if f.rule_id.startswith("RL6")
    ]
    assert pairs(findings) == {("RL613", line_of(NOT_PRINCIPAL_TRUST, "NotPrincipal:"))}
    [finding] = findings
    assert finding.location.column == 13
    assert finding.message.startswith(
        "Trust policy of role AppRole has a statement with NotPrincipal; IAM rejects "
        "NotPrincipal in a role trust policy"
    )
    assert "aws:PrincipalArn" in finding.message and "aws:PrincipalAccount" in finding.message
    # Why it matters; the Deny is no Allow, which alone is read as admitting no one.
    assert "so the role cannot be created or updated with this policy:" in finding.message
    assert "admitting no one" not in finding.message
    assert finding.severity is Severity.MEDIUM


def test_rl613_not_principals_in_a_terraform_trust_policy(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(NOT_PRINCIPAL_TRUST_TERRAFORM)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id.startswith("RL6")]
    code = NOT_PRINCIPAL_TRUST_TERRAFORM
    assert pairs(findings) == {("RL613", line_of(code, "not_principals {"))}


def test_rl613_not_principal_outside_a_trust_policy_is_not_this(tmp_path: Path) -> None:
    """A resource policy's service takes NotPrincipal with Deny (a bucket policy)."""
    deny = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::audit-logs/*",
    }
    assert findings_of(policy(deny), "json", tmp_path) == []


def test_rl613_not_principal_in_a_resource_policy_without_resource(tmp_path: Path) -> None:
    """An ECR repository policy names no Resource (nor do AWS's examples): it was read as a
    trust policy, and its NotPrincipal reported as one "IAM rejects ... in a role trust
    policy".  Its actions are no role assumption: it is a resource policy, whose service takes
    NotPrincipal."""
    allow = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    }
    deny = {
        "Sid": "DenyPushExceptCi",
        "Effect": "Deny",
        "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:role/ci"},
        "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload"],
    }
    assert findings_of(policy(allow, deny), "json", tmp_path) == []


GRAMMAR = """\
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resources: arn:aws:s3:::reports/*
              - Effect: Allow
                Action: s3:PutObject
                NotAction: s3:DeleteObject
                Resource: arn:aws:s3:::uploads/*
              - Effect: Allow
                Action: "*"
                Resource: "*"
                NotResource: arn:aws:s3:::uploads/private/*
"""


def test_rl613_a_statement_iam_rejects_is_no_grant(tmp_path: Path) -> None:
    """Action beside NotAction was read as an Allow with NotAction (RL204 high, and RL201
    critical beside Resource "*"), and Resource beside NotResource as an Allow of every
    resource but one (RL201, RL205), for a policy IAM never deploys: only RL613 is said."""
    findings = findings_of(GRAMMAR, "yaml", tmp_path)
    assert pairs(findings) == {
        ("RL613", line_of(GRAMMAR, "Resources:", 2)),
        ("RL613", line_of(GRAMMAR, "NotAction:")),
        ("RL613", line_of(GRAMMAR, "NotResource:")),
    }
    assert {f.severity for f in findings} == {Severity.MEDIUM}


def test_rl613_a_deny_iam_rejects_protects_nothing(tmp_path: Path) -> None:
    """What a rejected statement would deny is not known: it limits no Allow."""
    allow_all = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    deny = {"Effect": "Deny", "Action": "iam:*", "NotAction": "iam:Get*", "Resource": "*"}
    code = policy(allow_all, deny)
    findings = findings_of(code, "json", tmp_path)
    assert ("RL613", line_of(code, '"NotAction"')) in pairs(findings)
    assert ("RL201", line_of(code, '"Action": "*"')) in pairs(findings)


EXCLUSIVE_BY_CONDITION = """\
Parameters:
  Narrow: {{Type: String, AllowedValues: ["true", "false"], Default: "false"}}
Conditions:
  IsNarrow: !Equals [!Ref Narrow, "true"]
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
{statement}
"""


def test_rl613_a_pair_split_across_fn_if_with_no_value_is_no_conflict(tmp_path: Path) -> None:
    """``Action: !If [C, [...], !Ref AWS::NoValue]`` beside ``NotAction: !If [C, !Ref
    AWS::NoValue, [...]]``: each deployment has one of the two.  It was reported as both
    (RL613) and the statement dropped, hiding the default deployment's full admin access."""
    code = EXCLUSIVE_BY_CONDITION.format(
        statement="""\
                Action: !If [IsNarrow, ["s3:GetObject"], !Ref "AWS::NoValue"]
                NotAction: !If [IsNarrow, !Ref "AWS::NoValue", ["s3:*"]]
                Resource: "*\""""
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert pairs(findings) == {
        ("RL201", line_of(code, "NotAction:")),
        ("RL204", line_of(code, "NotAction:")),
        ("RL208", line_of(code, "Resource:")),
    }
    [admin] = [f for f in findings if f.rule_id == "RL201"]
    assert "every action except 's3:*' (NotAction)" in admin.message


def test_rl613_resource_and_not_resource_split_across_fn_if(tmp_path: Path) -> None:
    code = EXCLUSIVE_BY_CONDITION.format(
        statement="""\
                Action: "*"
                Resource: !If [IsNarrow, "arn:aws:s3:::b/*", !Ref "AWS::NoValue"]
                NotResource: !If [IsNarrow, !Ref "AWS::NoValue", "arn:aws:s3:::b/*"]"""
    )
    found = {rule for rule, _ in pairs(findings_of(code, "yaml", tmp_path))}
    assert "RL613" not in found
    assert {"RL201", "RL205"} <= found


def test_rl613_a_pair_one_branch_holds_both_of_is_still_reported(tmp_path: Path) -> None:
    """Where NotAction is always there and Action only where IsNarrow holds, that branch's
    statement is rejected (RL613); the other branch is an Allow with NotAction."""
    code = EXCLUSIVE_BY_CONDITION.format(
        statement="""\
                Action: !If [IsNarrow, ["s3:GetObject"], !Ref "AWS::NoValue"]
                NotAction: ["s3:*"]
                Resource: "*\""""
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert pairs(findings) == {
        ("RL613", line_of(code, "NotAction:")),
        ("RL201", line_of(code, "NotAction:")),
        ("RL204", line_of(code, "NotAction:")),
    }


EXCLUSIVE_BY_CONDITION_TERRAFORM = """\
variable "narrow" {
  type = bool
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
data "aws_iam_policy_document" "app" {
  statement {
    actions     = var.narrow ? ["s3:GetObject"] : null
    not_actions = var.narrow ? null : ["s3:*"]
    resources   = ["*"]
  }
}
resource "aws_iam_role_policy" "app" {
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}
"""


def test_rl613_a_terraform_pair_split_across_null_branches_is_no_conflict(
    tmp_path: Path,
) -> None:
    """The provider leaves a null argument out: each deployment has one of the two."""
    (tmp_path / "main.tf").write_text(EXCLUSIVE_BY_CONDITION_TERRAFORM)
    findings = lint_paths([str(tmp_path)]).findings
    code = EXCLUSIVE_BY_CONDITION_TERRAFORM
    assert pairs(findings) == {
        ("RL201", line_of(code, "not_actions =")),
        ("RL204", line_of(code, "not_actions =")),
        ("RL208", line_of(code, "resources   =")),
    }


# --- RL614 ----------------------------------------------------------------------------------------


def test_rl614_a_sid_with_hyphens_in_a_policy_file(tmp_path: Path) -> None:
    """IAM refuses it: "Statement IDs (SID) must be alpha-numeric": nothing was said."""
    code = policy({"Sid": "allow-read-reports", **READ})
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL614", line_of(code, '"Sid"'))
    assert finding.severity is Severity.MEDIUM
    assert finding.message == (
        "The policy has Sid 'allow-read-reports', which IAM rejects: a Sid of an identity "
        "policy takes only the letters A-Z and a-z and the digits 0-9 (write "
        "'AllowReadReports')"
    )


SIDS = """\
Parameters:
  Suffix: {Type: String}
  Named: {Type: String, Default: read_reports}
Resources:
  Reports:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Allow read of reports
            Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
          - Sid: !Ref Named
            Effect: Allow
            Action: s3:ListBucket
            Resource: arn:aws:s3:::reports
          - Sid: !Sub "Read-${Suffix}"
            Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::archive/*
          - Sid: ""
            Effect: Allow
            Action: s3:ListBucket
            Resource: arn:aws:s3:::archive
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Boundary.Reports
            Effect: Allow
            Action: s3:*
            Resource: "*"
  Worker:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      ManagedPolicyArns: [!Ref Reports]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: trust-lambda
            Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


def test_rl614_cloudformation_permissions_and_boundary_sids(tmp_path: Path) -> None:
    """At each Sid value (a parameter's default too); a Sid rolelint cannot resolve is never
    judged, nor an empty one (IAM's expression is ``[0-9A-Za-z]*``), nor a trust policy's."""
    findings = [f for f in findings_of(SIDS, "yaml", tmp_path) if f.rule_id == "RL614"]
    assert [(f.location.line, f.location.column) for f in findings] == [
        (line_of(SIDS, "Sid: Allow read of reports"), 18),
        (line_of(SIDS, "Sid: !Ref Named"), 18),
        (line_of(SIDS, "Sid: Boundary.Reports"), 18),
    ]
    assert findings[0].message.startswith(
        "AWS::IAM::ManagedPolicy Reports has Sid 'Allow read of reports'"
    )
    assert "(write 'AllowReadOfReports')" in findings[0].message
    assert "Sid 'read_reports'" in findings[1].message
    assert "Sid 'Boundary.Reports'" in findings[2].message


def test_rl614_terraform_policy_document_sid(tmp_path: Path) -> None:
    code = """\
variable "env" { type = string }
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "read-reports"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
  statement {
    sid       = "Read${var.env}"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::reports"]
  }
}
resource "aws_iam_policy" "read" {
  name   = "read"
  policy = data.aws_iam_policy_document.read.json
}
"""
    (tmp_path / "main.tf").write_text(code)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL614"]
    assert [(f.location.line, f.location.column) for f in findings] == [(4, 17)]
    assert "Sid 'read-reports'" in findings[0].message


SIDS_OF_THIS_ACCOUNT = """\
Resources:
  Reports:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: !Sub "ReadIn${AWS::AccountId}"
            Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
          - Sid: !Sub "Read-In${AWS::AccountId}"
            Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::archive/*
"""


def test_rl614_judges_only_what_is_written_around_the_account_id(tmp_path: Path) -> None:
    """The account id is digits, so ``ReadIn${AWS::AccountId}`` deploys as a valid Sid: it was
    reported, rolelint's stand-in judged as the Sid, with the hint 'ReadInAWSAccountId'.  A
    hyphen written beside it is still reported, with no hint made of the stand-in."""
    findings = [
        f for f in findings_of(SIDS_OF_THIS_ACCOUNT, "yaml", tmp_path) if f.rule_id == "RL614"
    ]
    assert [f.location.line for f in findings] == [line_of(SIDS_OF_THIS_ACCOUNT, "Read-In")]
    assert "Sid 'Read-In${AWS::AccountId}', which IAM rejects" in findings[0].message
    assert "(write" not in findings[0].message


def test_rl614_terraform_sids_of_the_account_and_region(tmp_path: Path) -> None:
    """``aws_caller_identity`` gives digits and ``replace(region, "-", "")`` leaves letters and
    digits: both Sids are valid, and were reported with the stand-ins' text.  A Region kept
    whole (its hyphens may or may not be taken out) is not judged either."""
    code = """\
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "ReadIn${data.aws_caller_identity.current.account_id}"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
  statement {
    sid       = "Read${replace(data.aws_region.current.name, "-", "")}"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports3/*"]
  }
  statement {
    sid       = "read_${data.aws_caller_identity.current.account_id}"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::archive/*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
"""
    (tmp_path / "main.tf").write_text(code)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL614"]
    assert [(f.location.line, f.location.column) for f in findings] == [(15, 17)]
    assert "Sid 'read_${AWS::AccountId}'" in findings[0].message
    assert "(write" not in findings[0].message


def test_rl614_a_resource_policy_may_have_spaces(tmp_path: Path) -> None:
    """S3 and KMS take spaces in a Sid (their own documentation's examples have them)."""
    bucket = {
        "Sid": "Allow read of reports",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::reports/*",
    }
    assert [f for f in findings_of(policy(bucket), "json", tmp_path) if f.rule_id == "RL614"] == []


@pytest.mark.parametrize("sid", ["ReadReports", "1", "READ2026", ""])
def test_rl614_alphanumeric_sids_are_fine(tmp_path: Path, sid: str) -> None:
    assert findings_of(policy({"Sid": sid, **READ}), "json", tmp_path) == []
