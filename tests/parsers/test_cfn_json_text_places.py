"""A policy CloudFormation takes as JSON text: each finding is where the text writes the element,
as in a Terraform heredoc, wherever the file says exactly where that is (a literal block, a
scalar on one line, a JSON string through its escapes, the template of an ``Fn::Sub``); where
it does not (a folded block, a YAML double-quoted string with escapes, a quoted string folded
over lines), at the whole text, never at a wrong line.  Every finding was at the string's first
line, its caret under ``!Sub |``, however far into the text the element was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from rolelint.parsers.text_places import written_places
from rolelint.source import Span
from tests.rules.harness import findings_of


def place(code: str, marker: str, occurrence: int = 1) -> tuple[int, int]:
    """The (line, column) where the ``occurrence``-th ``marker`` of ``code`` starts."""
    at = -1
    for _ in range(occurrence):
        at = code.index(marker, at + 1)
    line = code.count("\n", 0, at) + 1
    return line, at - (code.rfind("\n", 0, at) + 1) + 1


def end_of(code: str, marker: str, occurrence: int = 1) -> tuple[int, int]:
    """The (line, column) where that marker ends (the column after its last character)."""
    line, column = place(code, marker, occurrence)
    return line, column + len(marker)


def where(findings: list[Finding], rule_id: str, role: str | None = None) -> list[tuple[int, int]]:
    """Where each finding of ``rule_id`` (on ``role``) starts."""
    return sorted(
        (f.location.line, f.location.column)
        for f in findings
        if f.rule_id == rule_id and (role is None or f.role == role)
    )


IRSA = """\
Parameters:
  Issuer:
    Type: String
    Default: oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF
Resources:
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::${AWS::AccountId}:oidc-provider/${Issuer}"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringLike": {"${Issuer}:aud": "sts.amazonaws.com",
            "${Issuer}:sub": "system:serviceaccount:*:aws-node"}}}]}
"""


def test_an_irsa_trust_in_a_sub_block_is_judged_at_its_subject(tmp_path: Path) -> None:
    """RL103 was at ``!Sub |`` (line 7), its SARIF region the whole string; it is at the
    subject's value, after three ``${Issuer}`` substituted with a longer text."""
    findings = findings_of(IRSA, "yaml", tmp_path)
    (subject,) = [f for f in findings if f.rule_id == "RL103"]
    value = '"system:serviceaccount:*:aws-node"'
    assert subject.location.span == Span(*place(IRSA, value), *end_of(IRSA, value))


# The trust of each role admits anyone: RL101 at its "*", written in each form of block.
BLOCKS = {
    "literal": """\
      AssumeRolePolicyDocument: |
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                        "Action": "sts:AssumeRole"}]}
""",
    "strip": """\
      AssumeRolePolicyDocument: |-
        {"Version": "2012-10-17",

         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
""",
    "keep, with an indentation indicator and a comment": """\
      AssumeRolePolicyDocument: |+2 # the JSON text, indented further
            {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                              "Action": "sts:AssumeRole"}]}

""",
    "Fn::Sub, long form": """\
      AssumeRolePolicyDocument:
        Fn::Sub: |
          {"Version": "2012-10-17", "Statement": [{"Sid": "${AWS::Region}",
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
""",
    "Fn::Sub with variables": """\
      AssumeRolePolicyDocument: !Sub
        - |
          {"Version": "2012-10-17", "Statement": [{"Sid": "${Long}", "Effect": "Allow", \
"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
        - Long: AVeryMuchLongerTextThanTheVariableNameItReplaces
""",
    "Fn::Sub with a value shorter than its ${...}": """\
      AssumeRolePolicyDocument: !Sub
        - |
          {"Version": "2012-10-17", "Statement": [{"Sid": "${ShortenedToOneLetter}", \
"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
        - ShortenedToOneLetter: A
""",
    "single-quoted, one line, with a quote written twice": """\
      AssumeRolePolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Sid": "it''s", \
"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
""",
    "!Sub single-quoted, one line": """\
      AssumeRolePolicyDocument: !Sub '{"Version": "2012-10-17", "Statement": [{"Sid": \
"${AWS::AccountId}", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
""",
    "an Fn::If branch": """\
      AssumeRolePolicyDocument: !If
        - Always
        - |
          {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                          "Action": "sts:AssumeRole"}]}
        - !Ref AWS::NoValue
""",
}


def _role(document: str) -> str:
    return (
        "Conditions:\n"
        "  Always: !Equals [a, a]\n"
        "Resources:\n"
        "  Open:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n" + document
    )


@pytest.mark.parametrize("form", list(BLOCKS))
def test_anyone_in_a_json_text_is_found_at_its_principal(tmp_path: Path, form: str) -> None:
    code = _role(BLOCKS[form])
    findings = findings_of(code, "yaml", tmp_path)
    assert where(findings, "RL101") == [place(code, '"*"')]
    assert not [f for f in findings if f.rule_id == "RL602"]  # each writes its Version


def test_admin_access_in_a_literal_block_is_found_at_its_action(tmp_path: Path) -> None:
    code = """\
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "*", "Resource": "*"}
          ]
        }
"""
    findings = findings_of(code, "yaml", tmp_path)
    assert where(findings, "RL201") == [place(code, '"*"')]


def test_an_element_a_substituted_value_writes_is_at_its_placeholder(tmp_path: Path) -> None:
    """The principal is the text of ``${Principal}``: nothing in the file writes its ``"*"``,
    so the finding is at the ``${Principal}`` that brings it."""
    code = """\
Parameters:
  Principal: {Type: String, Default: '{"AWS": "*"}'}
Resources:
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": ${Principal}, "Action": "sts:AssumeRole"}]}
"""
    findings = findings_of(code, "yaml", tmp_path)
    (anyone,) = [f for f in findings if f.rule_id == "RL101"]
    marker = "${Principal}"
    assert anyone.location.span == Span(*place(code, marker), *end_of(code, marker))


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "\u00e9", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    ],
}
ADMIN = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "${AWS::Region}", "Effect": "Allow", "Action": "*", "Resource": "arn:${X}:s3:::b"},
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
    ],
}
# Each policy a JSON-encoded string on one line of the template: written with \" and, with
# indent, \n, and é as \u00e9; the admin policy the template of an Fn::Sub.
JSON_TEMPLATE = json.dumps(
    {
        "Parameters": {"X": {"Type": "String", "Default": "aws"}},
        "Resources": {
            "Open": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": json.dumps(TRUST, indent=1, ensure_ascii=False),
                    "Policies": [
                        {"PolicyName": "admin", "PolicyDocument": {"Fn::Sub": json.dumps(ADMIN)}}
                    ],
                },
            }
        },
    },
    indent=2,
)


def test_a_json_template_places_a_json_string_through_its_escapes(tmp_path: Path) -> None:
    """In a JSON template the policy is a JSON-encoded string: each ``\\"`` is two characters
    of the file and one of the text, a ``\\n`` starts a line of the text, not of the file."""
    findings = findings_of(JSON_TEMPLATE, "json", tmp_path)
    assert where(findings, "RL101") == [place(JSON_TEMPLATE, '\\"*\\"')]
    assert where(findings, "RL201") == [place(JSON_TEMPLATE, '\\"*\\", \\"Resource\\": \\"*')]


# Where the file does not say exactly where each character is, the finding stays at the text.
AT_THE_TEXT = {
    "folded": """\
      AssumeRolePolicyDocument: >
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                        "Action": "sts:AssumeRole"}]}
""",
    "double-quoted with escapes": """\
      AssumeRolePolicyDocument: "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \
{\\"AWS\\": \\"*\\"}, \\"Action\\": \\"sts:AssumeRole\\"}]}"
""",
    "single-quoted over two lines": """\
      AssumeRolePolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
""",
}


@pytest.mark.parametrize("form", list(AT_THE_TEXT))
def test_a_text_whose_places_are_not_exact_keeps_the_finding_at_the_text(
    tmp_path: Path, form: str
) -> None:
    code = _role(AT_THE_TEXT[form])
    findings = findings_of(code, "yaml", tmp_path)
    line, column = place(code, "AssumeRolePolicyDocument: ")
    assert where(findings, "RL101") == [(line, column + len("AssumeRolePolicyDocument: "))]


def test_a_duplicate_key_of_a_literal_block_is_at_the_key(tmp_path: Path) -> None:
    """RL601 names the key written again, where it is written again."""
    code = """\
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}
"""
    findings = findings_of(code, "yaml", tmp_path)
    assert where(findings, "RL601") == [place(code, '"Action"', 2)]


def test_a_sub_text_not_known_says_which_values_it_waits_for(tmp_path: Path) -> None:
    """The trust of an IRSA role made by ``Fn::Sub`` with ``${Oidc}``, a provider whose URL
    the cluster gives: the note said ``not analyzed: resource Oidc``, which did not say why
    (CloudFormation reads the JSON only once each ``${...}`` is substituted)."""
    code = """\
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/eks
      ResourcesVpcConfig: {SubnetIds: [subnet-1, subnet-2]}
  Oidc:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: !GetAtt Cluster.OpenIdConnectIssuerUrl
      ClientIdList: [sts.amazonaws.com]
  IrsaRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub
        - |
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": "${Oidc}"}, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"${Issuer}:sub": "system:serviceaccount:a:b",
              "${Issuer}:aud": "sts.amazonaws.com"}}}]}
        - Issuer: !Select [1, !Split ["//", !GetAtt Cluster.OpenIdConnectIssuerUrl]]
"""
    path = tmp_path / "t.yaml"
    path.write_text(code, encoding="utf-8")
    report = lint_paths([str(path)])
    (note,) = [n for n in report.notices if "IrsaRole" in n.message]
    assert note.message == (
        "the trust policy of role IrsaRole is not analyzed: its JSON text is made by Fn::Sub"
        " with values not known before deployment: ${Oidc} (resource Oidc), ${Issuer}"
        " (Fn::Select from Fn::Split of attribute OpenIdConnectIssuerUrl of resource Cluster)"
    )


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Doc: !Ref Trust", '{"a": 1}'),  # the text of a reference is written elsewhere
        ('Doc: |\n  {"a": 1}\n', '{"a": 2}\n'),  # not the value the file holds
        ('Doc: >\n  {"a":\n  1}\n', '{"a": 1}\n'),  # folded
    ],
)
def test_a_text_the_file_does_not_hold_there_is_not_placed(written: str, value: str) -> None:
    lines = written.splitlines()
    start = len("Doc: ") + 1
    end_line = len(lines) + (1 if written.endswith("\n") else 0)
    span = Span(1, start, end_line, 1 if written.endswith("\n") else len(lines[-1]) + 1)
    assert written_places(lines, span, value, in_json=False) is None
