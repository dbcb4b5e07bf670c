"""Fn::ForEach loops of a template's Resources written out (rolelint.parsers.cfn_foreach)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rolelint.api import lint_paths
from rolelint.parsers.cfn_foreach import (
    MAX_COPIED,
    NOT_A_LOOP,
    TOO_MANY,
    UNKNOWN_COLLECTION,
    ExpandedResources,
    expand_resources,
)
from rolelint.parsers.cloudformation import NOT_EXPANDED
from rolelint.parsers.tree import PMap
from rolelint.parsers.yaml_loader import load_yaml


def expanded(text: str) -> ExpandedResources:
    root = load_yaml("t.yaml", text).root
    assert isinstance(root, PMap)
    return expand_resources(root["Resources"], root.get("Parameters"))


def plain(node: Any) -> Any:
    """The tree as plain Python values, to compare whole."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def test_references_and_sub_text_take_each_element_at_the_loops_places() -> None:
    result = expanded(
        "Resources:\n"
        "  Fn::ForEach::Teams:\n"
        "    - Team\n"
        "    - [team-a, b]\n"
        "    - '&{Team}Role':\n"
        "        Type: AWS::IAM::Role\n"
        "        Properties:\n"
        "          RoleName: !Ref Team\n"
        "          Path: !Sub ['/${Team}/${Kind}/', {Kind: !Ref Team}]\n"
        "          Description: ${Team} stays as written outside Fn::Sub\n"
    )
    assert list(result.resources) == ["teamaRole", "bRole"]
    assert result.kept == []
    assert plain(result.resources["teamaRole"]["Properties"]) == {
        "RoleName": "team-a",
        "Path": {"Fn::Sub": ["/team-a/${Kind}/", {"Kind": "team-a"}]},
        "Description": "${Team} stays as written outside Fn::Sub",
    }
    properties = result.resources["bRole"]["Properties"]
    assert properties.span_of("RoleName").line == 8  # where the loop writes it, for each copy


def test_nested_loops_and_a_list_parameters_default() -> None:
    result = expanded(
        "Parameters:\n"
        "  Envs:\n"
        "    Type: CommaDelimitedList\n"
        "    Default: 'dev, prod'\n"
        "Resources:\n"
        "  Fn::ForEach::Envs:\n"
        "    - Env\n"
        "    - !Ref Envs\n"
        "    - Fn::ForEach::Teams:\n"
        "        - Team\n"
        "        - [a, b]\n"
        "        - ${Env}${Team}Role:\n"
        "            Type: AWS::IAM::Role\n"
        "            Properties: {RoleName: !Sub '${Env}-${Team}'}\n"
    )
    assert [
        (key, plain(value["Properties"]["RoleName"])) for key, value in result.resources.items()
    ] == [
        ("devaRole", {"Fn::Sub": "dev-a"}),
        ("devbRole", {"Fn::Sub": "dev-b"}),
        ("prodaRole", {"Fn::Sub": "prod-a"}),
        ("prodbRole", {"Fn::Sub": "prod-b"}),
    ]


def test_loops_that_cannot_be_written_out_are_kept_with_the_reason() -> None:
    many = ", ".join(str(n) for n in range(MAX_COPIED // 2))
    result = expanded(
        "Parameters:\n"
        "  Teams: {Type: CommaDelimitedList}\n"
        "Resources:\n"
        "  Fn::ForEach::Unknown: [Team, !Ref Teams, {'${Team}Role': {Type: AWS::IAM::Role}}]\n"
        "  Fn::ForEach::Odd: [Team, [a]]\n"
        f"  Fn::ForEach::Many: [N, [{many}], {{'R${{N}}': {{Type: AWS::IAM::Role}}}}]\n"
        "  Plain: {Type: AWS::IAM::Role}\n"
        # A Ref to no name (a list): an internal error (unhashable PSeq) lost the file.
        "  Fn::ForEach::Listed: [Team, !Ref [Teams], {'${Team}Role': {Type: AWS::IAM::Role}}]\n"
    )
    assert [(key, span.line if span else None, why) for key, span, why in result.kept] == [
        ("Fn::ForEach::Unknown", 4, UNKNOWN_COLLECTION),
        ("Fn::ForEach::Odd", 5, NOT_A_LOOP),
        ("Fn::ForEach::Many", 6, TOO_MANY),
        ("Fn::ForEach::Listed", 8, UNKNOWN_COLLECTION),
    ]
    assert list(result.resources) == [
        "Fn::ForEach::Unknown",
        "Fn::ForEach::Odd",
        "Fn::ForEach::Many",
        "Plain",
        "Fn::ForEach::Listed",
    ]


def test_a_loop_over_an_ssm_parameters_list_is_kept(tmp_path: Path) -> None:
    """The default of an ``AWS::SSM::Parameter::Value<List<String>>`` parameter names the SSM
    parameter; the list is read when the stack is deployed.  The loop took the name for its
    one element: a role 'PartnerRoleorgpartneraccounts' trusting account
    '/org/partner-accounts' (RL111)."""
    text = (
        "Transform: AWS::LanguageExtensions\n"
        "Parameters:\n"
        "  Accounts:\n"
        "    Type: AWS::SSM::Parameter::Value<List<String>>\n"
        "    Default: /org/partner-accounts\n"
        "Resources:\n"
        "  Fn::ForEach::Partners:\n"
        "    - Acct\n"
        "    - !Ref Accounts\n"
        "    - PartnerRole&{Acct}:\n"
        "        Type: AWS::IAM::Role\n"
        "        Properties:\n"
        "          AssumeRolePolicyDocument:\n"
        "            Version: '2012-10-17'\n"
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Principal: {AWS: !Sub 'arn:aws:iam::${Acct}:root'}\n"
        "                Action: sts:AssumeRole\n"
    )
    result = expanded(text)
    assert [(key, span.line if span else None, why) for key, span, why in result.kept] == [
        ("Fn::ForEach::Partners", 7, UNKNOWN_COLLECTION)
    ]
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    assert [(n.line, n.message) for n in report.notices] == [
        (7, f"Fn::ForEach::Partners: {NOT_EXPANDED}: {UNKNOWN_COLLECTION}")
    ]


def test_a_template_without_loops_is_returned_as_it_is() -> None:
    root = load_yaml("t.yaml", "Resources:\n  R: {Type: AWS::IAM::Role}\n").root
    assert isinstance(root, PMap)
    assert expand_resources(root["Resources"], None).resources is root["Resources"]


def test_a_template_of_loops_alone_is_read_as_cloudformation() -> None:
    """Without AWSTemplateFormatVersion, a template was known by a resource's AWS:: type; the
    types of a loop's resources sit inside the loop."""
    from rolelint.parsers import parse_source

    text = (
        "Transform: AWS::LanguageExtensions\nResources:\n"
        "  Fn::ForEach::Roles:\n    - T\n    - [a, b]\n"
        "    - ${T}Role:\n        Type: AWS::IAM::Role\n"
    )
    outcome = parse_source("t.yaml", text)
    assert outcome.format == "cloudformation"
    assert sorted(role.id for role in outcome.inventory.roles) == ["aRole", "bRole"]


def inside(text: str) -> ExpandedResources:
    root = load_yaml("t.yaml", text).root
    assert isinstance(root, PMap)
    return expand_resources(root["Resources"], root.get("Parameters"), inside=True)


def test_loops_in_properties_write_keys_of_their_mapping() -> None:
    result = inside(
        "Resources:\n"
        "  Fn::ForEach::Teams:\n"
        "    - Team\n"
        "    - [a]\n"
        "    - ${Team}Role:\n"
        "        Type: AWS::IAM::Role\n"
        "        Properties:\n"
        "          Fn::ForEach::Settings:\n"
        "            - Key\n"
        "            - [Path, Description]\n"
        "            - ${Key}: !Sub '/${Team}/'\n"
        "  Plain:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties: {Fn::ForEach::Tags: [K, [MaxSessionDuration], {'${K}': 90000}]}\n"
    )
    assert plain(result.resources["aRole"]["Properties"]) == {
        "Path": {"Fn::Sub": "/a/"},  # the inner loop, after the outer one named the team
        "Description": {"Fn::Sub": "/a/"},
    }
    properties = result.resources["Plain"]["Properties"]
    assert plain(properties) == {"MaxSessionDuration": 90000}
    assert properties.span_of("MaxSessionDuration").line == 14
    assert result.kept == [] and result.kept_inside == []


def test_loops_in_properties_that_cannot_be_written_out_are_kept_by_resource() -> None:
    result = inside(
        "Parameters:\n"
        "  Keys: {Type: CommaDelimitedList}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      Fn::ForEach::Unknown: [K, !Ref Keys, {'${K}': 1}]\n"
    )
    assert [(r, k, s.line if s else None, why) for r, k, s, why in result.kept_inside] == [
        ("R", "Fn::ForEach::Unknown", 7, UNKNOWN_COLLECTION)
    ]
    assert "Fn::ForEach::Unknown" in result.resources["R"]["Properties"]


def test_resources_without_loops_inside_are_returned_as_they_are() -> None:
    root = load_yaml("t.yaml", "Resources:\n  R: {Type: AWS::IAM::Role, Properties: {}}\n").root
    assert isinstance(root, PMap)
    assert expand_resources(root["Resources"], None, inside=True).resources is root["Resources"]


def test_three_loops_deep_every_identifier_is_replaced_in_the_keys() -> None:
    result = inside(
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      Tags:\n"
        "        Fn::ForEach::A:\n"
        "          - A\n"
        "          - [a1, a2]\n"
        "          - Fn::ForEach::B:\n"
        "              - B\n"
        "              - [b]\n"
        "              - Fn::ForEach::C:\n"
        "                  - C\n"
        "                  - [c]\n"
        "                  - 'k${A}${B}${C}': x\n"
    )
    assert list(result.resources["R"]["Properties"]["Tags"]) == ["ka1bc", "ka2bc"]


def test_a_loop_kept_in_properties_is_left_as_written() -> None:
    """The inner loops of a kept loop were written out with the outer identifier unreplaced
    (keys such as 'k${A}v0'), contradicting the note that said they are not analyzed."""
    result = inside(
        "Parameters:\n  Ids: {Type: CommaDelimitedList}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      Tags:\n"
        "        Fn::ForEach::A:\n"
        "          - A\n"
        "          - !Ref Ids\n"
        "          - Fn::ForEach::B: [B, [v0], {'k${A}${B}': x}]\n"
    )
    tags = result.resources["R"]["Properties"]["Tags"]
    assert list(tags) == ["Fn::ForEach::A"]
    assert list(tags["Fn::ForEach::A"][2]) == ["Fn::ForEach::B"]  # its template, untouched
    assert [(key, why) for _, key, _, why in result.kept_inside] == [
        ("Fn::ForEach::A", UNKNOWN_COLLECTION)
    ]


GET_ATT_IN_A_LOOP = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Teams:
    - Team
    - [alpha, beta]
    - Admin${Team}:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {AWS: !GetAtt [!Sub "Ci${Team}", Arn]}
                Action: sts:AssumeRole
              - Effect: Allow
                Principal: {AWS: "*"}
                Action: sts:AssumeRole
                Condition:
                  ArnEquals: {aws:PrincipalArn: !GetAtt [!Sub "Ci${Team}", Arn]}
          ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      Ci${Team}:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
          Policies:
            - PolicyName: assume
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: sts:AssumeRole
                    Resource: !GetAtt [!Sub "Admin${Team}", Arn]
"""


def test_a_getatt_whose_logical_id_is_a_sub_names_the_looped_resource(tmp_path: Path) -> None:
    """The form AWS documents for Fn::ForEach, ``!GetAtt [!Sub "Ci${Team}", Arn]``, was left
    unresolved and taken as the deployer's choice: ``aws:PrincipalArn`` pinned to role Cialpha
    was a weak condition (RL101), and the chains Cialpha -> Adminalpha (RL401, RL405) were
    silent.  It names the resource as a Ref computed so does."""
    (tmp_path / "t.yaml").write_text(GET_ATT_IN_A_LOOP)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.errors == [] and report.notices == []
    found = sorted((f.rule_id, f.location.line, f.role) for f in report.findings)
    assert found == [
        ("RL201", 20, "Adminalpha"),
        ("RL201", 20, "Adminbeta"),
        ("RL401", 35, "Cialpha"),
        ("RL401", 35, "Cibeta"),
        ("RL405", 27, "Cialpha"),  # ec2.amazonaws.com, at the trust of the first hop
        ("RL405", 27, "Cibeta"),
    ]
    chain = next(f for f in report.findings if f.rule_id == "RL405" and f.role == "Cialpha")
    assert "ec2.amazonaws.com -> Cialpha -> Adminalpha" in chain.message
