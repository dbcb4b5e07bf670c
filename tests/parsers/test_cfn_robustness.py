"""Malformed templates never raise; broken policies become problems; the real corpus parses."""

from __future__ import annotations

import pytest

from rolelint.parsers import parse_source, position_in
from rolelint.source import HCL_BREAKS, UNIVERSAL_BREAKS, YAML_BREAKS
from tests.conftest import CORPUS
from tests.parsers.cfn_helpers import parse_text

CFN_CORPUS = CORPUS / "aws-cloudformation-templates"

MALFORMED = [
    "AWSTemplateFormatVersion: '2010-09-09'\nResources: [a, b]\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources: 3\nParameters: [x]\nMappings: 1\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: {Type: AWS::IAM::Role}\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
    "  R: {Type: AWS::IAM::Role, Properties: []}\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: plain\n  S: {Type: 5}\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nParameters: {P: 1}\nMappings: {M: [1]}\n"
    "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
    "      RoleName: !FindInMap [M, !Ref P, x]\n      Policies: 7\n"
    "      ManagedPolicyArns: {a: b}\n      MaxSessionDuration: [1, 2]\n"
    "      AssumeRolePolicyDocument: {Statement: !If [C]}\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
    "  F:\n    Type: AWS::Serverless::Function\n"
    "    Properties: {Policies: [{}, {a: 1, b: 2}, 3, [x]]}\n"
    "  I: {Type: AWS::EC2::Instance, Properties: {MetadataOptions: 3, IamInstanceProfile: [1]}}\n"
    "  L: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateData: 4}}\n"
    "  P: {Type: AWS::IAM::InstanceProfile, Properties: {Roles: 5}}\n",
    # "1²" is a digit to str.isdigit but not to int(): an internal error.
    "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
    "      RoleName: !Select ['1²', [a, b]]\n",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_templates_do_not_raise(text: str) -> None:
    outcome = parse_source("broken.yaml", text)
    assert outcome.format == "cloudformation"
    assert not outcome.errors


def test_policy_without_document_is_a_problem() -> None:
    inventory = parse_text(
        "Resources:\n"
        "  Bare:\n"
        "    Type: AWS::IAM::Policy\n"
        "  Wrong:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument: 42\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument: {Statement: []}\n"
        "      Policies:\n"
        "        - PolicyName: no-document\n"
    )
    found = [(p.kind, p.resource, p.ref.line) for p in inventory.problems]
    assert found == [
        ("invalid-statement", "R", 13),
        ("invalid-statement", "Bare", 2),
        ("invalid-statement", "Wrong", 7),
    ]
    assert inventory.standalone_policies == []


def test_duplicate_keys_name_their_resource() -> None:
    inventory = parse_text(
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Effect: Deny\n"
        "Outputs: {}\n"
        "Outputs: {}\n"
    )
    found = [(p.kind, p.resource, p.ref.line, p.ref.column) for p in inventory.problems]
    assert found == [
        ("duplicate-key", "R", 8, 13),
        ("duplicate-key", "template.yaml", 10, 1),
    ]


def test_end_of_a_truncated_yaml_file_is_inside_the_file() -> None:
    """Found by fuzzing: libyaml puts the end of a file without a final line break on the line
    after the last, so the error said line 4 of a 3-line file.  Now: the end of the last line."""
    [error] = parse_source("template.yaml", "AWSTemplateFormatVersion:\n    e:\n    D").errors
    assert (error.line, error.column) == (3, 6)


def test_position_in_moves_only_positions_past_the_end() -> None:
    assert position_in("a\nb", 2, 1, YAML_BREAKS) == (2, 1)
    assert position_in("a\nb", 3, 1, YAML_BREAKS) == (2, 2)
    assert position_in("a\rb\rc", 3, 1, YAML_BREAKS) == (3, 1)  # YAML breaks at a lone CR
    assert position_in("a", None, None, YAML_BREAKS) == (None, None)


def test_the_end_of_a_file_after_its_final_break_is_the_end_of_its_last_line() -> None:
    """The loaders' end of input after a final line break is line N+1 of an N-line file, which
    no editor or CI view has: it was kept there.  It is the end of line N, as for a file
    without a final break; the lines are counted as the file's reader counts them."""
    assert position_in("a\nb\n", 3, 1, YAML_BREAKS) == (2, 2)
    assert position_in("a\nbc\r\n", 3, 1, HCL_BREAKS) == (2, 3)
    # JSON does not break at U+2028: the file has one line, and its end is that line's.
    assert position_in('["\u2028"]\n', 2, 1, UNIVERSAL_BREAKS) == (1, 6)
    assert position_in("a\n\n", 3, 1, YAML_BREAKS) == (2, 1)  # an empty last line is a line
    assert position_in("", 1, 1, UNIVERSAL_BREAKS) == (1, 1)
    [error] = parse_source("p.json", '{"Version": "2012-10-17",\n "Statement": [\n').errors
    assert (error.line, error.column, error.message) == (2, 16, "invalid JSON: expecting a value")


def test_every_corpus_template_parses_without_exception() -> None:
    if not CFN_CORPUS.is_dir():
        pytest.skip("the shared real-world corpus is not beside this checkout")
    templates = roles = 0
    errors: list[str] = []
    for path in sorted(CFN_CORPUS.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        outcome = parse_source(str(path), text)
        if outcome.format == "cloudformation":
            templates += 1
            roles += len(outcome.inventory.roles)
        errors.extend(f"{path}: {error.message}" for error in outcome.errors)
    print(f"corpus: {templates} templates, {roles} roles, {len(errors)} parse errors")
    assert templates >= 250
    assert roles >= 115
    assert errors == []
