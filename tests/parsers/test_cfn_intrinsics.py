"""Intrinsic functions: every short-form tag loads; values resolve or stay honestly unknown."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.model import THIS_ACCOUNT, THIS_REGION, PolicyDocument, Value
from rolelint.parsers import parse_source
from rolelint.parsers.cfn_dynamic_references import DYNAMIC_REFERENCE
from rolelint.parsers.cfn_intrinsics import (
    MAX_ALTERNATIVES,
    MAX_DEPTH,
    TOO_DEEP,
    TOP_LEVEL,
    Resolver,
    Scope,
    TemplateContext,
)
from rolelint.parsers.tree import Choice
from rolelint.parsers.yaml_loader import load_yaml
from rolelint.source import SourceRef
from tests.conftest import run_rolelint
from tests.parsers.cfn_helpers import at, parse_fixture, parse_text, role
from tests.rules.harness import findings_of, line_of
from tests.test_placeholders import reading


def test_trust_principals_from_every_kind_of_intrinsic() -> None:
    tag_role = role(parse_fixture("intrinsics.yaml"), "TagRole")
    assert tag_role.trust_policy is not None
    principals = [
        (p.value.text, p.value.unresolved_reason, at(p.value))
        for p in tag_role.trust_policy.statements[0].principals
    ]
    assert principals == [
        # !Select into a CommaDelimitedList default (items are stripped)
        ("222222222222", None, (37, 19)),
        # !Join of a !FindInMap whose key is a !Ref to a parameter default
        ("arn:aws:iam::333333333333:root", None, (38, 19)),
        (None, "Fn::ImportValue is not resolved statically", (39, 19)),
        (None, "parameter Secret has no default", (40, 19)),
        # !Sub with variables, a pseudo parameter and an escaped ${!Literal}
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/${{Literal}}", None, (41, 19)),
        # !If with AWS::NoValue: the value branch stays, positioned at the branch itself
        ("arn:aws:iam::444444444444:root", None, (44, 32)),
    ]


def test_unresolved_and_pseudo_values_in_resources() -> None:
    tag_role = role(parse_fixture("intrinsics.yaml"), "TagRole")
    statement = tag_role.policies[0].statements[0]
    # !FindInMap returning a list
    assert [(a.text, at(a)) for a in statement.actions] == [
        ("s3:GetObject", (51, 25)),
        ("s3:PutObject", (51, 25)),
    ]
    resources = [(r.text, r.unresolved_reason, at(r)[0]) for r in statement.resources]
    assert resources == [
        (None, "AWS::StackName", 53),
        ("a", None, 54),  # !Select [0, !Split [",", "a,b"]]
        (None, "Fn::Select from Fn::GetAZs is not resolved statically", 55),
        (None, "Fn::Base64 is not resolved statically", 56),
        (None, "Fn::Select from Fn::Cidr is not resolved statically", 57),
        (None, "attribute Arn of resource Custom", 58),
        ('{"a":"b"}', None, 59),  # the JSON text of an object
        (None, "Fn::Length is not resolved statically", 60),
        ("logs", None, 61),  # List<String> default split
        ("data", None, 61),
        ("amazonaws.com", None, 62),
        (THIS_REGION, None, 63),
        (None, "unknown reference Nowhere", 64),
    ]


FIND_IN_MAP_DEFAULT = """\
Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, Default: dev}
  Chosen: {Type: String}
Mappings:
  Accounts:
    prod: {Principal: "arn:aws:iam::111111111111:root"}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal:
              AWS:
                - !FindInMap [Accounts, !Ref Env, Principal, {DefaultValue: "*"}]
                - !FindInMap [Accounts, prod, Principal, {DefaultValue: "*"}]
                - !FindInMap [Accounts, !Ref Chosen, Principal, {DefaultValue: "*"}]
                - !FindInMap [Accounts, !Ref Env, Principal]
                - !FindInMap [Accounts, !Ref "AWS::Region", Principal, {DefaultValue: "*"}]
                - !FindInMap [Missing, !Ref "AWS::Region", Principal, {DefaultValue: "*"}]
"""


def test_find_in_map_default_value_stands_in_for_a_missing_key() -> None:
    """AWS::LanguageExtensions: CloudFormation returns the DefaultValue when the keys are not in
    the map (here the default "dev").  A key not known (a parameter without default) may be
    any key of the map, or one it does not name (the default), as the region may."""
    trust = role(parse_text(FIND_IN_MAP_DEFAULT), "R").trust_policy
    assert trust is not None
    principals = [(p.value.text, at(p.value)) for p in trust.statements[0].principals]
    assert principals == [
        ("*", (18, 19)),
        ("arn:aws:iam::111111111111:root", (19, 19)),
        ("arn:aws:iam::111111111111:root", (20, 19)),
        ("*", (20, 19)),
        (None, (21, 19)),
        # The region is known at deployment: any of the map's keys, or none (the default).
        ("arn:aws:iam::111111111111:root", (22, 19)),
        ("*", (22, 19)),
        # ... but no map Missing has any key: the default, whatever the region.
        ("*", (23, 19)),
    ]


CONDITIONAL_CONDITIONS = """\
Parameters:
  ExternalId: {Type: String, Default: ""}
Conditions:
  HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]
Resources:
  Anyone:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: !If
              - HasExternalId
              - StringEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}
              - !Ref AWS::NoValue
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::999988887777:root"}
            Action: sts:AssumeRole
            Condition:
              Bool: {aws:SecureTransport: "true"}
              StringEquals: !If
                - HasExternalId
                - {sts:ExternalId: !Ref ExternalId}
                - !Ref AWS::NoValue
"""


def test_a_condition_chosen_by_fn_if_is_a_statement_per_branch(tmp_path: Path) -> None:
    """``Condition: !If [C, {...}, !Ref AWS::NoValue]`` deploys the statement with that test
    or with none: both branches' tests were read as one Condition, so the branch without
    one (here the default) was never judged."""
    inventory = parse_text(CONDITIONAL_CONDITIONS)
    anyone = role(inventory, "Anyone").trust_policy
    vendor = role(inventory, "Vendor").trust_policy
    assert anyone is not None and vendor is not None
    assert [[c.key for c in s.conditions] for s in anyone.statements] == [
        ["aws:PrincipalOrgID"],
        [],
    ]
    assert [[c.key for c in s.conditions] for s in vendor.statements] == [
        ["aws:SecureTransport", "sts:ExternalId"],
        ["aws:SecureTransport"],
    ]
    assert all(s.optional for s in anyone.statements + vendor.statements)
    (tmp_path / "t.yaml").write_text(CONDITIONAL_CONDITIONS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert {(f.rule_id, f.location.line) for f in report.findings} == {
        ("RL101", 13),
        ("RL102", 26),
    }


def test_conditional_policy_keeps_both_branches() -> None:
    """The policy an ``Fn::If`` on Both gives is kept (optional).  Inside it, Both holds, so
    IsProd (one of its And) does: the ``!If [IsProd, "ec2:*", "ec2:Describe*"]`` there is
    ``ec2:*`` in every deployment that has the policy."""
    tag_role = role(parse_fixture("intrinsics.yaml"), "TagRole")
    assert [d.origin for d in tag_role.policies] == [
        "inline policy 'tags' of role TagRole",
        "inline policy 'conditional' of role TagRole",
    ]
    assert tag_role.policies[1].optional
    actions = tag_role.policies[1].statements[0].actions
    assert [(a.text, at(a)) for a in actions] == [("ec2:*", (71, 40))]


TEMPLATE = """\
Parameters:
  Name: {Type: String, Default: from-param}
  Other: {Type: String}
Resources:
  A:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${Name}-a"
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "${B.Arn}"}
            Action: sts:AssumeRole
  B:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Join ["-", [!Ref Other, b]]
      AssumeRolePolicyDocument: {Statement: []}
  C:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${D.Arn}"
      AssumeRolePolicyDocument: {Statement: []}
  D:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !GetAtt C.Arn
      AssumeRolePolicyDocument: {Statement: []}
"""


def test_sub_getatt_role_arn_and_unresolved_names_and_cycles() -> None:
    inventory = parse_text(TEMPLATE, "t.yaml")
    a, b, c, d = (role(inventory, x) for x in "ABCD")
    assert a.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/from-param-a"
    # An unresolved name: the ARN holds a stand-in no real IAM pattern but * matches, that of
    # an unresolved name (whoever deploys chooses it), not of a generated one.
    assert b.name is not None and b.name.unresolved_reason == "parameter Other has no default"
    assert b.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/<unresolved name:t.yaml#B>"
    assert a.trust_policy is not None
    assert a.trust_policy.statements[0].principals[0].value.text == b.arn.text
    # Role names that refer to each other end in such an ARN, not in a recursion error.
    assert c.arn.text is not None and "<unresolved name:" in c.arn.text
    assert d.arn.text is not None and "<unresolved name:" in d.arn.text


PROVIDER_CYCLES = """\
Resources:
  Oidc:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: !Sub "https://${Oidc}"
      ClientIdList: [sts.amazonaws.com]
  Saml:
    Type: AWS::IAM::SAMLProvider
    Properties:
      Name: !Ref Saml
      SamlMetadataDocument: x
  Web:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: !GetAtt Oidc.Arn}
            Action: sts:AssumeRoleWithWebIdentity
  Sso:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: !Ref Saml}
            Action: sts:AssumeRoleWithSAML
            Condition: {StringEquals: {"SAML:aud": https://signin.aws.amazon.com/saml}}
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}  # open
"""


def test_a_provider_whose_url_or_name_refers_to_itself_is_unresolved_not_an_error(
    tmp_path: Path,
) -> None:
    """Hunt: an OIDC provider with ``Url: !Sub "https://${Oidc}"`` (or a SAML provider with
    ``Name: !Ref Saml``) recursed until RecursionError: an internal error, and every role of
    the file went unanalyzed.  The cycle (which CloudFormation refuses) is cut as for a role's
    name: the OIDC provider's ARN is not known, nor is the SAML provider's name (written, so no
    generated one), and the other roles are judged."""
    outcome = parse_source("t.yaml", PROVIDER_CYCLES)
    assert outcome.errors == []
    web, sso = role(outcome.inventory, "Web"), role(outcome.inventory, "Sso")
    assert web.trust_policy is not None and sso.trust_policy is not None
    (oidc,) = web.trust_policy.statements[0].principals
    assert oidc.value.text is None
    assert oidc.value.unresolved_reason == "attribute Arn of resource Oidc"
    (saml,) = sso.trust_policy.statements[0].principals
    assert saml.value.text == f"arn:aws:iam::{THIS_ACCOUNT}:saml-provider/<unresolved name:Saml>"
    findings = findings_of(PROVIDER_CYCLES, "yaml", tmp_path)
    assert {(f.rule_id, f.location.line) for f in findings} == {
        ("RL101", line_of(PROVIDER_CYCLES, "# open"))
    }


def test_deep_nesting_stays_unresolved() -> None:
    nested: object = "x"
    for _ in range(40):
        nested = {"Fn::Join": ["", ["a", nested]]}
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": nested}}
    properties = {"AssumeRolePolicyDocument": {"Statement": [statement]}}
    template = {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": properties}}}
    outcome = parse_source("deep.json", json.dumps(template, indent=1))
    (deep,) = outcome.inventory.roles
    assert deep.trust_policy is not None
    (principal,) = deep.trust_policy.statements[0].principals
    assert principal.value.text is None
    assert principal.value.unresolved_reason == "nesting too deep"
    # Not in silence: one notice, where the resolver stopped (inside the principal's value).
    (notice,) = outcome.notices
    assert notice.message == TOO_DEEP and notice.file == "deep.json"
    assert notice.line is not None and notice.line > at(principal.value)[0]


def _resolver() -> Resolver:
    context = TemplateContext(
        parameters={}, mappings={}, resources=frozenset(), role_arn=lambda _: None
    )
    return Resolver("t.yaml", context)


def _loaded(text: str) -> Any:
    return load_yaml("t.yaml", text).root


def test_every_scope_the_resolver_enters_is_left_even_when_resolving_fails() -> None:
    """An Fn::If branch, a text Fn::Split cuts and a Mappings key are each resolved in a scope
    of their own (Scope: the branch's masked parameters and assumed conditions, the cutting):
    one not left would carry its masks or its cutting into whatever is resolved next."""
    root = _loaded(
        "conditions:\n  C: !Equals [!Ref P, a]\n"
        "value: !Split [',', !If [C, !GetAtt R.Arn, 'x,y']]\n"
    )
    seen: list[Scope] = []

    def role_arn(_: str) -> Value | None:
        seen.append(resolver.scope)
        raise RuntimeError("a callback that fails")

    context = TemplateContext(
        parameters={"P": {"Type": "String"}},
        mappings={},
        resources=frozenset({"R"}),
        role_arn=role_arn,
        conditions=root["conditions"],
    )
    resolver = Resolver("t.yaml", context)
    with pytest.raises(RuntimeError):
        resolver.resolve(root["value"], None)
    assert seen == [Scope(assumed={"C": True}, cutting=True)]
    assert resolver.scope == TOP_LEVEL


def test_a_ref_takes_the_name_a_function_gives() -> None:
    """AWS::LanguageExtensions: ``{Ref: !Sub Name}`` is the Ref of that name; a pseudo
    parameter named so is as uncertain in a condition as one written out, and a name not known
    (or no name at all) is an unresolved value, never an internal error."""
    root = _loaded(
        "a: {Ref: !Sub 'AWS::AccountId'}\n"
        "b: {Ref: !Sub 'AWS::Partition'}\n"
        "c: {Ref: [Env]}\n"
        "d: {Ref: !ImportValue name}\n"
    )
    resolver = _resolver()
    assert resolver.resolve(root["a"], None).text == THIS_ACCOUNT
    assert resolver.condition_operand(root["b"]) is None
    for key in "cd":
        value = resolver.resolve(root[key], None)
        assert value.text is None and value.unresolved_reason == (
            "Ref to a name not known before deployment"
        )
        assert resolver.condition_operand(root[key]) is None


def test_a_text_imports_alone_leave_unknown_keeps_their_names() -> None:
    """An import as a piece of an Fn::Join, or a variable of an Fn::Sub, was a text with
    nothing kept of it: no other template's export could ever make it known.  It keeps, in
    order, the known text and the names of the exports it reads (Value.imported_text), for
    rolelint.stack_exports; a text with anything else unknown keeps none."""
    root = _loaded(
        "join: !Join ['', ['arn:', !Ref AWS::Partition, ':iam::', !Ref AWS::AccountId,"
        " ':role/', !ImportValue Shared-Name]]\n"
        "sub: !Sub ['arn:aws:iam::${AWS::AccountId}:role/${Path}${Name}',"
        " {Path: !ImportValue Shared-Path, Name: !ImportValue Shared-Name}]\n"
        "nested: !Join [':', [a, !Sub ['${X}-b', {X: !ImportValue X}], !ImportValue Y]]\n"
        "chosen: !Join ['', [!If [C, !ImportValue A, !ImportValue B], -x]]\n"
        "whole: !ImportValue Shared-Name\n"
        "unknown: !Join ['', [!ImportValue Shared-Name, !Ref AWS::StackName]]\n"
        "unnamed: !Join ['', [!ImportValue {'Fn::Sub': '${AWS::StackName}-x'}, -x]]\n"
        "conditions:\n  C: !Equals [!Ref AWS::Region, us-east-1]\n"
    )
    context = TemplateContext(
        parameters={},
        mappings={},
        resources=frozenset(),
        role_arn=lambda _: None,
        conditions=root["conditions"],
    )
    resolver = Resolver("t.yaml", context)

    def parts(key: str) -> list[tuple[str, ...] | None]:
        values = resolver.values(resolver.resolve(root[key], None), None)
        return [value.imported_text for value in values if value.text is None]

    assert parts("join") == [(f"arn:aws:iam::{THIS_ACCOUNT}:role/", "Shared-Name", "")]
    assert parts("sub") == [
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/", "Shared-Path", "", "Shared-Name", "")
    ]
    assert parts("nested") == [("a:", "X", "-b:", "Y", "")]
    assert sorted(parts("chosen"), key=str) == [("", "A", "-x"), ("", "B", "-x")]
    # A whole value keeps its name as it did (Value.imported); import_parts reads both.
    whole = resolver.resolve(root["whole"], None)
    assert (whole.imported, whole.imported_text) == ("Shared-Name", None)
    assert whole.import_parts == ("", "Shared-Name", "")
    assert parts("unknown") == [None]
    assert parts("unnamed") == [None]


def test_fn_sub_with_many_unclosed_variables_reads_its_template_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hunt: an Fn::Sub of 100,000 ``${`` that no ``}`` closes (200 KB) took 99 s, each
    ``${`` searched to the end of the template before the next was tried.  The first one
    without a ``}`` after it ends the search; the template is the text, as it was."""
    text = "arn:aws:s3:::" + "${" * 20_000 + "/*"
    root = _loaded(f"v: !Sub '{text}'\nw: !Sub '${{!A}}${{AWS::Region}}${{{text}'\n")
    read = reading(monkeypatch)
    assert _resolver().resolve(root["v"], None).text == text
    assert 0 < read[0] <= 3 * len(text)  # about len(text) ** 2 / 4 when searched again
    assert _resolver().resolve(root["w"], None).text == "${A}" + THIS_REGION + "${" + text


def test_a_tree_without_intrinsics_is_returned_as_it_is() -> None:
    tree = _loaded("a: 1\nb: [x, {c: d}]\ne: {f: [1, 2]}\n")
    assert _resolver().resolve(tree, None) is tree


def test_only_the_branches_that_change_are_copied() -> None:
    tree = _loaded("keep: {x: [1, 2]}\ngone: !Ref AWS::NoValue\nafter: [a, !Ref AWS::Region]\n")
    resolved = _resolver().resolve(tree, None)
    assert resolved is not tree
    assert list(resolved) == ["keep", "after"]  # NoValue removed, order kept
    assert resolved["keep"] is tree["keep"]  # unchanged branch shared
    assert resolved.key_spans == {k: tree.key_spans[k] for k in ("keep", "after")}
    assert resolved.value_spans == {k: tree.value_spans[k] for k in ("keep", "after")}
    after = resolved["after"]
    assert after is not tree["after"] and after[0] == "a"
    assert isinstance(after[1], Value) and after[1].text == THIS_REGION
    assert [after.span_at(i) for i in (0, 1)] == [tree["after"].span_at(i) for i in (0, 1)]
    assert tree["gone"] == {"Ref": "AWS::NoValue"}  # the loaded tree is never modified


def test_a_sequence_loses_a_no_value_item_but_keeps_the_others_in_place() -> None:
    tree = _loaded("- a\n- b\n- !Ref AWS::NoValue\n- c\n")
    resolved = _resolver().resolve(tree, None)
    assert list(resolved) == ["a", "b", "c"]
    assert [resolved.span_at(i) for i in range(3)] == [tree.span_at(i) for i in (0, 1, 3)]


def test_a_plain_scalar_too_deep_is_unresolved_as_before() -> None:
    tree: Any = "leaf"
    for _ in range(MAX_DEPTH + 1):
        tree = [tree]
    positioned = _loaded(json.dumps(tree))
    leaf = positioned
    for _ in range(MAX_DEPTH):
        leaf = leaf[0]
    resolved = _resolver().resolve(positioned, None)
    for _ in range(MAX_DEPTH):
        resolved = resolved[0]
    assert leaf[0] == "leaf"
    assert isinstance(resolved[0], Value) and resolved[0].unresolved_reason == "nesting too deep"


SSM_AND_DYNAMIC = """\
Parameters:
  CiAccount:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/ci-account-id
  MaxDur:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/max-session
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !Ref MaxDur
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${CiAccount}:role/ci"}
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: {AWS: "{{resolve:ssm:/org/other-account}}"}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: "{{resolve:ssm:/org/bucket}}"}
"""


def test_ssm_parameters_and_dynamic_references_are_read_at_deploy_time(tmp_path: Path) -> None:
    """An SSM-typed parameter's default is the name of the SSM parameter, and {{resolve:...}}
    is replaced when the stack deploys: both were read as the values themselves, giving RL301
    ("MaxSessionDuration is '/org/max-session'"), RL111 and RL608 on names."""
    (tmp_path / "t.yaml").write_text(SSM_AND_DYNAMIC)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert (report.findings, report.errors) == ([], [])
    [role] = parse_text(SSM_AND_DYNAMIC).roles
    [duration] = role.max_session_duration
    assert duration.text is None
    assert duration.unresolved_reason == "parameter MaxDur is the SSM parameter /org/max-session"
    assert role.trust_policy is not None
    dynamic = role.trust_policy.statements[1].principals[0].value
    assert (dynamic.text, dynamic.unresolved_reason) == (None, DYNAMIC_REFERENCE)


def test_split_of_a_known_text_is_a_list_select_picks_from() -> None:
    """Fn::Split was never resolved: the account of a partner role ARN parameter, picked with
    !Select [4, !Split [":", ...]], stayed unknown and its trust unjudged (RL102)."""
    inventory = parse_text(
        "Parameters:\n"
        "  PartnerRoleArn: {Type: String, Default: 'arn:aws:iam::444455556666:role/partner'}\n"
        "  Policies:\n"
        "    {Type: String, Default: 'arn:aws:iam::aws:policy/A,arn:aws:iam::aws:policy/B'}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      ManagedPolicyArns: !Split [',', !Ref Policies]\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: sts:AssumeRole\n"
        "            Principal: {AWS: !Select [4, !Split [':', !Ref PartnerRoleArn]]}\n"
        "          - Effect: Allow\n"
        "            Action: sts:AssumeRole\n"
        "            Principal: {AWS: !Select [0, !Split [':', !Ref AWS::StackName]]}\n"
    )
    r = role(inventory, "R")
    assert [m.arn.text for m in r.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/A",
        "arn:aws:iam::aws:policy/B",
    ]
    assert r.trust_policy is not None
    known, unknown = (s.principals[0].value for s in r.trust_policy.statements)
    assert (known.text, at(known)) == ("444455556666", (14, 30))  # at the Fn::Select
    assert unknown.text is None and "Fn::Split of AWS::StackName" in (
        unknown.unresolved_reason or ""
    )


def test_split_keeps_the_placeholders_of_the_account_and_region_whole() -> None:
    """A role's ARN holds ``${AWS::AccountId}``, and Fn::Split cut it at its own colons:
    ``!Sub ["arn:aws:iam::${Acct}:root", {Acct: !Select [4, !Split [":", !GetAtt Base.Arn]]}]``
    was ``arn:aws:iam::${AWS:root``, and index 5 was "" instead of the role's name."""
    inventory = parse_text(
        "Resources:\n"
        "  Base:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties: {RoleName: base}\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: sts:AssumeRole\n"
        "            Principal:\n"
        "              AWS: !Sub\n"
        "                - 'arn:aws:iam::${Acct}:${Name}'\n"
        "                - Acct: !Select [4, !Split [':', !GetAtt Base.Arn]]\n"
        "                  Name: !Select [5, !Split [':', !GetAtt Base.Arn]]\n"
    )
    trust = role(inventory, "R").trust_policy
    assert trust is not None
    [principal] = trust.statements[0].principals
    assert principal.value.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/base"


@pytest.mark.parametrize(
    ("index", "delimiter", "text", "expected"),
    [
        (3, ":", f"arn:aws:sqs:{THIS_REGION}:{THIS_ACCOUNT}:jobs", THIS_REGION),
        (5, ":", f"arn:aws:sqs:{THIS_REGION}:{THIS_ACCOUNT}:jobs", "jobs"),
        (1, "/", f"a/{THIS_ACCOUNT}-{THIS_REGION}/b", f"{THIS_ACCOUNT}-{THIS_REGION}"),
        (0, "-", f"{THIS_ACCOUNT}-x", THIS_ACCOUNT),  # an account id has no "-"
        # What the placeholder stands for may hold the delimiter (us-east-1, 111122223333).
        (1, "-", f"app-{THIS_REGION}-x", None),
        (0, "1", f"{THIS_ACCOUNT}", None),
    ],
)
def test_split_cuts_around_the_placeholders_or_leaves_the_parts_unknown(
    index: int, delimiter: str, text: str, expected: str | None
) -> None:
    root = _loaded(f"v: !Select [{index}, !Split ['{delimiter}', !Sub '{text}']]\n")
    value = _resolver().resolve(root["v"], None)
    assert isinstance(value, Value) and value.text == expected
    if expected is None:
        # Where the cuts fall is the deployment's, not the deployer's choice.
        assert value.constrained and "account id or region" in (value.unresolved_reason or "")


def test_split_with_a_delimiter_that_is_not_a_literal_says_so() -> None:
    inventory = parse_text(
        "Parameters:\n  Sep: {Type: String, Default: ':'}\n"
        "  Arn: {Type: String, Default: 'arn:aws:iam::444455556666:role/p'}\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Action: sts:AssumeRole\n"
        "            Principal: {AWS: !Select [4, !Split [!Ref Sep, !Ref Arn]]}\n"
    )
    trust = role(inventory, "R").trust_policy
    assert trust is not None
    [principal] = trust.statements[0].principals
    assert "a delimiter that is not a literal" in (principal.value.unresolved_reason or "")


DENY_BY_BRANCH = """\
          - Effect: Deny
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: !If
              - HasExternalId
              - StringEquals: {aws:PrincipalAccount: "111122223333"}
              - !Ref AWS::NoValue
"""


def test_a_deny_keeps_its_branches_tests_together(tmp_path: Path) -> None:
    """A Deny with no test in one branch would refuse everyone in every deployment, and hide
    that the other branch refuses only account 111122223333: the trust stays open to others."""
    allow_end = CONDITIONAL_CONDITIONS.index("  Vendor:")
    text = CONDITIONAL_CONDITIONS[:allow_end] + DENY_BY_BRANCH + CONDITIONAL_CONDITIONS[allow_end:]
    [trust] = [r.trust_policy for r in parse_text(text).roles if r.id == "Anyone"]
    assert trust is not None
    assert [(s.effect.text if s.effect else None, s.optional) for s in trust.statements] == [
        ("Allow", True),
        ("Allow", True),
        ("Deny", False),
    ]
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert ("RL101", 13) in {(f.rule_id, f.location.line) for f in report.findings}


def test_a_policy_written_as_fn_to_json_string_is_read_where_it_is_written(
    tmp_path: Path,
) -> None:
    """AWS::LanguageExtensions: ``PolicyDocument: {Fn::ToJsonString: {...}}`` is the policy
    as JSON text, which CloudFormation reads back; it was unresolved and silently unjudged."""
    text = (
        "Transform: AWS::LanguageExtensions\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Fn::ToJsonString:\n"
        "          Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}]\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Fn::ToJsonString:\n"
        "              Version: '2012-10-17'\n"
        "              Statement:\n"
        "                - {Effect: Allow, Action: '*', Resource: '*'}\n"
    )
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert {(f.rule_id, f.location.line, f.location.column) for f in report.findings} == {
        ("RL602", 8, 11),  # the trust policy has no Version
        ("RL201", 15, 43),
    }


JSON_TEXT_VALUES = """\
Transform: AWS::LanguageExtensions
Resources:
  R1:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS:
                Fn::ToJsonString: ["*"]
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  Fn::ToJsonString: ["*"]
                Resource: "*"
                Condition:
                  StringEquals:
                    aws:PrincipalTag/team: !ToJsonString {team: !Ref AWS::Region, n: 1}
"""


def test_fn_to_json_string_in_a_value_is_its_json_text(tmp_path: Path) -> None:
    """``Fn::ToJsonString`` gives the JSON *text* of its list or object: as a principal or an
    action, ``["*"]`` is the text ``["*"]``, not the wildcard.  Read as the list itself, it
    made RL101 and RL201 criticals of a value IAM would not even take."""
    inventory = parse_text(JSON_TEXT_VALUES)
    [r1] = inventory.roles
    assert r1.trust_policy is not None
    [principal] = r1.trust_policy.statements[0].principals
    assert principal.value.text == '["*"]'
    [statement] = r1.policies[0].statements
    assert [a.text for a in statement.actions] == ['["*"]']
    [condition] = statement.conditions
    assert [v.text for v in condition.values] == ['{"team":"${AWS::Region}","n":1}']
    (tmp_path / "t.yaml").write_text(JSON_TEXT_VALUES)
    report = lint_paths([str(tmp_path / "t.yaml")])
    # No RL101 or RL201 critical: a principal and an action IAM does not take.
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL111", 12),
        ("RL605", 21),
    ]


def test_a_policy_of_fn_to_json_string_with_a_value_not_known_is_still_read(
    tmp_path: Path,
) -> None:
    """Its text is not known, but CloudFormation reads it back as the object, which is
    judged with that one value unresolved (in an Fn::If branch too)."""
    text = (
        "Transform: AWS::LanguageExtensions\n"
        "Parameters:\n"
        "  Bucket: {Type: String}\n"
        "Conditions:\n"
        "  C: !Equals [!Ref Bucket, x]\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Fn::ToJsonString:\n"
        "          Version: '2012-10-17'\n"
        "          Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole}]\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument: !If\n"
        "            - C\n"
        "            - Fn::ToJsonString:\n"
        "                Version: '2012-10-17'\n"
        "                Statement:\n"
        "                  - {Effect: Allow, Action: '*', Resource: '*'}\n"
        "                  - {Effect: Allow, Action: s3:*, Resource: !Ref Bucket}\n"
        "            - !Ref AWS::NoValue\n"
    )
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL101", 13, 56),
        ("RL201", 21, 45),
        ("RL202", 22, 45),
    ]
    assert not report.notices


IF_JSON_TEXT = """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument: !If
            - IsDev
            - '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",\
"Resource":"*"}]}'
            - '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket",\
"Resource":"arn:aws:s3:::b"}]}'
        - PolicyName: q
          PolicyDocument: !If
            - IsDev
            - !Sub '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",\
"Resource":"*"}]}'
            - !Ref AWS::NoValue
        - PolicyName: r
          PolicyDocument: !If [IsDev, 'not json', {Version: "2012-10-17", Statement: []}]
"""


def test_a_policy_chosen_by_fn_if_between_json_texts_is_read_branch_by_branch(
    tmp_path: Path,
) -> None:
    """``PolicyDocument: !If [C, '{json}', '{json}']``: each branch is the policy CloudFormation
    reads back from that text.  Only an object branch was read, so a text branch granting
    everything went by without a finding, a note or a problem."""
    (tmp_path / "t.yaml").write_text(IF_JSON_TEXT)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert not report.errors
    assert {(f.rule_id, f.location.line, f.location.column) for f in report.findings} == {
        # each branch's elements are where the branch's text writes them
        ("RL201", 17, 80),  # "Action":"*"
        ("RL202", 22, 85),  # "Action":"s3:*", in the text of an Fn::Sub
        ("RL203", 22, 103),  # "Resource":"*"
        ("RL208", 22, 103),
        ("RL604", 25, 39),  # a branch's text that is no JSON object is no policy
    }
    inline = role(parse_text(IF_JSON_TEXT), "R").policies
    assert [[a.text for s in d.statements for a in s.actions] for d in inline] == [
        ["*", "s3:ListBucket"],
        ["s3:*"],
        [],
    ]
    assert [s.branch for s in inline[0].statements] == [0, 1]  # either, never both


def test_a_whole_policy_not_known_is_a_note(tmp_path: Path) -> None:
    """A document that is an import or a parameter without default is not judged, as any
    value not known; it went by without a word, as if it had been checked."""
    text = (
        "Parameters:\n"
        "  Doc: {Type: String}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument: !ImportValue shared-trust\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument: !Ref Doc\n"
        "        - PolicyName: q\n"
        "          PolicyDocument: !If [C, !Ref Doc, !ImportValue other]\n"
        "Conditions:\n"
        "  C: !Equals [!Ref 'AWS::Region', us-east-1]\n"
    )
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            7,
            33,
            "the trust policy of role R is not analyzed: Fn::ImportValue is not resolved"
            " statically",
        ),
        (10, 27, "the inline policy 'p' of role R is not analyzed: parameter Doc has no default"),
        (
            12,
            27,
            "the inline policy 'q' of role R is not analyzed: Fn::ImportValue is not resolved"
            " statically; parameter Doc has no default",
        ),
    ]


# A statement rolelint cannot resolve (a parameter without default, an import) was skipped by
# the policy builder without a word: ``Statement: !Ref P`` gave no finding and no note, as if the
# policy allowed nothing, and ``[!Ref P, {...}]`` judged the known statement alone, silently.
UNKNOWN_STATEMENTS = """\
Parameters:
  P: {Type: String}
Conditions:
  C: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - !ImportValue trust
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - !Ref P
              - !If [C, !ImportValue x, !Ref 'AWS::NoValue']
              - {Effect: Allow, Action: "*", Resource: "*"}
        - PolicyName: q
          PolicyDocument:
            Version: "2012-10-17"
            Statement: !Ref P
"""


def test_a_statement_not_known_is_a_note_at_it(tmp_path: Path) -> None:
    """One note at each statement (or whole Statement) not known, where it is written, with
    why, in the words Terraform's note has; the known statement judged (RL201), never a finding
    of the one not known."""
    (tmp_path / "t.yaml").write_text(UNKNOWN_STATEMENTS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    text = UNKNOWN_STATEMENTS

    def place(needle: str, on: str | None = None) -> tuple[int, int]:
        line = line_of(text, on or needle)
        return line, text.splitlines()[line - 1].index(needle) + 1

    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL201", line_of(text, 'Action: "*"'))
    ]
    imported = "Fn::ImportValue is not resolved statically"
    inline = "inline policy 'p' of role R"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            *place("!ImportValue trust"),
            f"a statement of the trust policy of role R is not analyzed: {imported}",
        ),
        (
            *place("!Ref P"),
            f"a statement of the {inline} is not analyzed: parameter P has no default",
        ),
        (*place("!ImportValue x"), f"a statement of the {inline} is not analyzed: {imported}"),
        (
            *place("!Ref P", on="Statement: !Ref P"),
            "the statements of the inline policy 'q' of role R are not analyzed: parameter P"
            " has no default",
        ),
    ]


DOCUMENT_BY_BRANCH = """\
Parameters:
  Strict: {Type: String, Default: "false"}
Conditions:
  IsStrict: !Equals [!Ref Strict, "true"]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !If
        - IsStrict
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
            - Effect: Deny
              Principal: {AWS: "*"}
              Action: sts:AssumeRole
              Condition: {StringNotEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}}
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
"""


def test_a_deny_of_one_branch_document_does_not_protect_the_other(tmp_path: Path) -> None:
    """``!If [Strict, {Allow *, Deny outside the org}, {Allow *}]``: the default deployment
    is open to anyone; the Deny of the other branch hid it.  The finding points at the Allow of
    the branch without the Deny; a Deny written in every branch still counts, and a branch's
    own Deny still protects its own Allow."""
    (tmp_path / "t.yaml").write_text(DOCUMENT_BY_BRANCH)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL101", 20)]
    deny = "            - Effect: Deny\n"
    start = DOCUMENT_BY_BRANCH.index(deny)
    end = DOCUMENT_BY_BRANCH.index("        - Version", start)
    everywhere = DOCUMENT_BY_BRANCH + DOCUMENT_BY_BRANCH[start:end]
    (tmp_path / "t.yaml").write_text(everywhere)
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []
    # The other branch trusts a service: the open Allow is only in the branch with the Deny.
    service_only = DOCUMENT_BY_BRANCH[: DOCUMENT_BY_BRANCH.rindex("            - {Effect")] + (
        "            - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
    )
    assert "Service: ec2" in service_only
    (tmp_path / "t.yaml").write_text(service_only)
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []


CHAIN_BY_BRANCH = """\
Parameters:
  Locked: {Type: String, Default: "false"}
Conditions:
  IsLocked: !Equals [!Ref Locked, "true"]
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Admin.Arn}
  Admin:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      AssumeRolePolicyDocument: !If
        - IsLocked
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
            - {Effect: Deny, Principal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
"""


def test_a_deny_of_one_branch_document_does_not_block_a_hop_of_the_other(tmp_path: Path) -> None:
    """The Deny is deployed only where IsLocked holds; by default Caller reaches Admin."""
    (tmp_path / "t.yaml").write_text(CHAIN_BY_BRANCH)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.resource) for f in report.findings if f.rule_id == "RL401"] == [
        ("RL401", "Caller")
    ]


def test_a_statement_open_in_both_condition_branches_is_one_finding(tmp_path: Path) -> None:
    """Judged once per branch, a statement open whichever condition is deployed gave two RL101
    with one fingerprint: a baseline recorded before counted one of them as new."""
    text = (
        "Conditions:\n  East: !Equals [!Ref 'AWS::Region', us-east-1]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {AWS: '*'}\n"
        "            Action: sts:AssumeRole\n            Condition: !If\n              - East\n"
        "              - StringEquals: {aws:SourceVpc: vpc-1}\n"
        "              - StringEquals: {aws:SourceVpc: vpc-2}\n"
    )
    (tmp_path / "t.yaml").write_text(text)
    findings = lint_paths([str(tmp_path / "t.yaml")]).findings
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL101", 11)]


PERMISSIONS_BY_BRANCH = """\
Parameters:
  Strict: {Type: String, Default: "false"}
Conditions:
  IsStrict: !Equals [!Ref Strict, "true"]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument: !If
            - IsStrict
            - Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
                - {Effect: Deny, Action: "*", Resource: "*"}
            - Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: "*", Resource: "*"}
"""


def test_a_deny_of_one_branch_document_leaves_the_other_branch_permissions(
    tmp_path: Path,
) -> None:
    """Review 2: the Deny of the strict branch took the default branch's '*' away (no RL201)."""
    (tmp_path / "t.yaml").write_text(PERMISSIONS_BY_BRANCH)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 23)]


def _open_trust(parameter: str, condition: str) -> str:
    """A role anyone may assume under ``condition``, and one parameter."""
    return (
        f"Parameters:\n{parameter}"
        "Conditions:\n  HasId: !Not [!Equals [!Ref ExternalId, none]]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: '*'}\n"
        "            Action: sts:AssumeRole\n"
        f"            Condition:\n{condition}"
    )


ACCOUNT = "  Account: {Type: String, AllowedPattern: '^[0-9]{12}$'}\n  ExternalId: {Type: String}\n"
ORG = "  Org: {Type: String, AllowedPattern: '^o-[a-z0-9]{10,32}$'}\n  ExternalId: {Type: String}\n"


@pytest.mark.parametrize(
    ("parameter", "condition", "reported"),
    [
        (ORG, "              StringEquals: {aws:PrincipalOrgID: !Sub '${Org}'}\n", False),
        (
            ACCOUNT,
            "              ArnEquals:\n"
            "                aws:PrincipalArn: !Sub 'arn:aws:iam::${Account}:role/deployer'\n",
            False,
        ),
        (
            ACCOUNT,
            "              ArnEquals:\n"
            "                aws:PrincipalArn:\n"
            "                  !Join ['', ['arn:aws:iam::', !Ref Account, ':root']]\n",
            False,
        ),
        # Written text with a wildcard before the first "/": a pattern of who whatever the
        # parameter is.
        (
            ACCOUNT,
            "              StringLike:\n"
            "                aws:PrincipalArn: !Sub 'arn:aws:*:*:${Account}:role/x'\n",
            True,
        ),
        # After it, the account is the one passed: any role of it, as the literal says.
        (
            ACCOUNT,
            "              ArnLike:\n"
            "                aws:PrincipalArn: !Sub 'arn:aws:iam::${Account}:role/*'\n",
            False,
        ),
        # A part nothing constrains (the stack's name) spoils the whole.
        (
            ACCOUNT,
            "              ArnEquals:\n                aws:PrincipalArn:"
            " !Sub 'arn:aws:iam::${Account}:role/${AWS::StackName}'\n",
            True,
        ),
        (
            "  Org: {Type: String}\n  ExternalId: {Type: String}\n",
            "              StringEquals: {aws:PrincipalOrgID: !Sub '${Org}'}\n",
            True,
        ),
    ],
    ids=[
        "sub-alone",
        "sub-in-arn",
        "join-in-arn",
        "wildcard",
        "wildcard-after-slash",
        "unconstrained-part",
        "no-pattern",
    ],
)
def test_a_constrained_parameter_stays_constrained_in_fn_sub_and_fn_join(
    tmp_path: Path, parameter: str, condition: str, reported: bool
) -> None:
    """A parameter whose AllowedPattern keeps out "" and "*" is constrained through ``!Ref``,
    but through ``!Sub "${OrgId}"`` or inside a fixed ARN it lost that: RL101 said nothing
    constrains the value.  Written text around it with a wildcard before the first "/", or
    another part nobody constrains, still leaves it to whoever deploys."""
    text = _open_trust(parameter, condition)
    expected = [("RL101", line_of(text, "{AWS: '*'}"))] if reported else []
    assert [(f.rule_id, f.location.line) for f in findings_of(text, "yaml", tmp_path)] == expected


ACCOUNTS = (
    "  Accounts: {Type: CommaDelimitedList, AllowedValues: ['111122223333', '444455556666']}\n"
)


@pytest.mark.parametrize(
    ("parameter", "reported"),
    [
        (ACCOUNTS, False),
        ("  Accounts: {Type: CommaDelimitedList}\n", True),
        # A list default: the item is known, and not a wildcard.
        ("  Accounts: {Type: CommaDelimitedList, Default: '111122223333,444455556666'}\n", False),
    ],
    ids=["allowed-values", "unconstrained", "default"],
)
def test_an_item_selected_from_a_constrained_list_parameter_stays_constrained(
    tmp_path: Path, parameter: str, reported: bool
) -> None:
    """``!Select [0, !Ref Accounts]`` of a list whose AllowedValues are account ids is one of
    them, as ``!Ref Accounts`` is: RL101 said nothing constrains it (low).  (The default's
    account is one RL102 judges: not this test's concern.)"""
    condition = "              StringEquals: {aws:PrincipalAccount: !Select [0, !Ref Accounts]}\n"
    text = _open_trust(parameter + "  ExternalId: {Type: String}\n", condition)
    expected = [("RL101", line_of(text, "{AWS: '*'}"))] if reported else []
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in found if f.rule_id == "RL101"] == expected


@pytest.mark.parametrize(
    ("split", "reported"),
    [
        ("!GetAtt Queue.Arn", False),
        ("!ImportValue Accounts", False),
        ("!Ref Queue", False),
        ("'{{resolve:ssm:/org/accounts}}'", False),
        # The pattern keeps "" and "*" out of the whole text, not out of its parts ("*,*").
        ("!Ref Pair", True),
        ("!Ref Free", True),
    ],
    ids=["getatt", "import", "resource-ref", "dynamic-reference", "pattern-of-whole", "free"],
)
def test_a_part_fn_split_cuts_from_what_aws_supplies_stays_constrained(
    tmp_path: Path, split: str, reported: bool
) -> None:
    """``!Select [4, !Split [":", !GetAtt Queue.Arn]]`` (the own account) or a part of an
    export is no more the deployer's choice than the whole: Fn::Split dropped that, and RL101
    said whoever deploys decides it (low).  A parameter's AllowedPattern bounds only the whole
    text, so its parts stay the deployer's."""
    parameters = (
        "  Pair: {Type: String, AllowedPattern: '^.+,.+$'}\n  Free: {Type: String}\n"
        "  ExternalId: {Type: String}\n"
    )
    condition = (
        "              StringEquals:\n"
        f"                aws:PrincipalAccount: !Select [0, !Split [',', {split}]]\n"
    )
    text = _open_trust(parameters, condition) + "  Queue:\n    Type: AWS::SQS::Queue\n"
    expected = [("RL101", line_of(text, "{AWS: '*'}"))] if reported else []
    assert [(f.rule_id, f.location.line) for f in findings_of(text, "yaml", tmp_path)] == expected


EXTERNAL_ID = (
    "  ExternalId: {Type: String, Default: none, AllowedPattern: '^none$|^[A-Za-z0-9-]{16,}$'}\n"
)


@pytest.mark.parametrize("constrained", [True, False])
def test_a_parameter_not_its_default_under_a_condition_keeps_its_constraints(
    tmp_path: Path, constrained: bool
) -> None:
    """In a resource with ``Condition: HasId``, or the true branch of ``!If [HasId, ...]``,
    ExternalId is not its default "none", but still a value its AllowedPattern allows (never
    "" or "*"): RL101 said nothing constrains it.  Without the pattern it does say so."""
    parameter = EXTERNAL_ID if constrained else "  ExternalId: {Type: String, Default: none}\n"
    external_id = "              StringEquals: {sts:ExternalId: !Ref ExternalId}\n"
    in_resource = _open_trust(parameter, external_id).replace(
        "    Type: AWS::IAM::Role\n", "    Type: AWS::IAM::Role\n    Condition: HasId\n"
    )
    in_branch = _open_trust(
        parameter,
        "              !If\n                - HasId\n"
        "                - StringEquals: {sts:ExternalId: !Ref ExternalId}\n"
        "                - StringEquals: {aws:PrincipalOrgID: o-abcdefghij}\n",
    ).replace("Condition:\n              !If", "Condition: !If")
    for text in (in_resource, in_branch):
        found = [(f.rule_id, f.location.line) for f in findings_of(text, "yaml", tmp_path)]
        assert found == ([] if constrained else [("RL101", line_of(text, "{AWS: '*'}"))])


def test_a_getatt_of_a_name_not_known_is_aws_value_not_the_deployers() -> None:
    """A GetAtt whose logical id no static reading gives is still an attribute AWS supplies:
    it was unconstrained, so a condition pinned to it read as 'whoever deploys decides it'."""
    root = _loaded(
        "a: {Fn::GetAtt: [!Sub 'Ci${Unknown}', Arn]}\n"
        "b: {Fn::GetAtt: [Role, !Ref Attribute]}\n"
        "c: {Fn::GetAtt: [Role, Arn, Extra]}\n"
    )
    resolver = _resolver()
    for key in "ab":
        value = resolver.resolve(root[key], None)
        assert value.text is None and value.constrained
        assert value.unresolved_reason == "Fn::GetAtt with a computed name"
    malformed = resolver.resolve(root["c"], None)
    assert malformed.unresolved_reason == "malformed Fn::GetAtt" and not malformed.constrained


def _regional_trust(mappings: str, principal: str, condition: str = "") -> str:
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        f"Mappings:\n  RegionMap:\n{mappings}"
        "Resources:\n"
        "  R1:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{AWS: {principal}}}\n"
        "            Action: sts:AssumeRole\n"
        f"{condition}"
    )


BY_REGION = "!FindInMap [RegionMap, !Ref AWS::Region, Trusted]"


def test_find_in_map_keyed_by_the_region_is_each_entry_of_the_map(tmp_path: Path) -> None:
    """``!FindInMap [RegionMap, !Ref AWS::Region, Trusted]`` is one of the entries the map
    writes, as an Fn::If's branches are: the "*" of eu-west-1 was silent (no finding, no
    note), while the same written as ``!If`` on the region is RL101 and RL102."""
    text = _regional_trust(
        '    us-east-1: {Trusted: "arn:aws:iam::111122223333:root"}\n'
        '    eu-west-1: {Trusted: "*"}\n',
        BY_REGION,
    )
    findings = findings_of(text, "yaml", tmp_path)
    line = line_of(text, "Principal:")
    assert sorted((f.rule_id, f.severity.value, f.location.line) for f in findings) == [
        ("RL101", "critical", line),
        ("RL102", "high", line),
    ]


def test_find_in_map_keyed_by_the_region_that_every_entry_pins_is_effective(
    tmp_path: Path,
) -> None:
    """Every region maps to the same organization id: no deployment chooses anything, yet
    RL101 (low) said 'nothing constrains it, so whoever deploys decides it'."""
    text = _regional_trust(
        "    us-east-1: {Org: o-abc123def4}\n    eu-west-1: {Org: o-abc123def4}\n",
        '"*"',
        "            Condition:\n"
        "              StringEquals:\n"
        "                aws:PrincipalOrgID: !FindInMap [RegionMap, !Ref AWS::Region, Org]\n",
    )
    assert findings_of(text, "yaml", tmp_path) == []


def test_find_in_map_keys_of_the_region_match_what_is_written_around_it() -> None:
    """A key built around the region (``!Sub "prod-${AWS::Region}"``) picks the entries it can
    be, at any level; past the alternatives one value may hold, the value is unresolved, and
    constrained unless an entry admits anyone."""
    names = ", ".join(f"r{i}: role-{i}" for i in range(MAX_ALTERNATIVES + 1))
    mappings = _loaded(
        "M:\n"
        "  Accounts: {prod-us-east-1: '111111111111', prod-eu-west-1: '222222222222',"
        " dev-us-east-1: '*'}\n"
        f"Many:\n  Names: {{{names}}}\n  Open: {{{names}, r99: role-*}}\n"
    )
    context = TemplateContext(
        parameters={}, mappings=mappings, resources=frozenset(), role_arn=lambda _: None
    )
    resolver = Resolver("t.yaml", context)
    root = _loaded(
        "a: !FindInMap [M, Accounts, !Sub 'prod-${AWS::Region}']\n"
        "b: !FindInMap [Many, Names, !Ref AWS::Region]\n"
        "c: !FindInMap [Many, Open, !Ref AWS::Region]\n"
    )
    chosen = resolver.resolve(root["a"], None)
    assert isinstance(chosen, Choice)
    assert [option.text for option in chosen.options] == ["111111111111", "222222222222"]
    many = resolver.resolve(root["b"], None)
    assert many.text is None and many.constrained
    assert many.unresolved_reason == (
        f"Fn::FindInMap Many/Names/{THIS_REGION} is one of {MAX_ALTERNATIVES + 1}"
        " values of Mappings"
    )
    assert resolver.resolve(root["c"], None).constrained is False


MAP_KEYED_BY_DEPLOYMENT = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Mappings:
  EnvMap:
    dev: {OrgId: o-abc123def4, Actions: "*"}
    prod: {OrgId: o-abc123def4, Actions: s3:GetObject}
Resources:
  R1:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalOrgID: !FindInMap [EnvMap, !Ref Env, OrgId]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !FindInMap [EnvMap, KEY, Actions]
                Resource: "*"
"""


@pytest.mark.parametrize(
    "key", ["!Ref Env", "!If [IsProd, prod, dev]", "!ImportValue Env", "!If [IsProd, !Ref Env, x]"]
)
def test_find_in_map_keyed_by_what_only_the_deployment_knows_is_each_entry(
    tmp_path: Path, key: str
) -> None:
    """A key that is not one known text (a parameter without a default, an Fn::If, an
    import) made the lookup unresolved: the "*" of the dev entry was silent, and an org id
    every entry pins was 'whoever deploys decides it' (RL101 low).  CloudFormation fails a
    deployment whose key is not in the map, so the value is one of the entries."""
    text = MAP_KEYED_BY_DEPLOYMENT.replace("KEY", key)
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line, f.location.column) for f in found] == [
        ("RL201", line_of(text, "Action: !FindInMap"), 25)
    ]
    assert "allows every action ('*') on '*'" in found[0].message
    trust = role(parse_text(text), "R1").trust_policy
    assert trust is not None
    [org] = trust.statements[0].conditions[0].values
    assert (org.text, at(org)) == ("o-abc123def4", (line_of(text, "PrincipalOrgID"), 37))


def test_find_in_map_with_keys_of_no_entry_is_not_in_mappings() -> None:
    """Each text an Fn::If key may be is looked up; none in the map, nor a DefaultValue, is
    no value at all (the deployment fails), never a guess."""
    mappings = _loaded("M:\n  a: {x: '111111111111'}\n  b: {x: '222222222222'}\n")
    context = TemplateContext(
        parameters={}, mappings=mappings, resources=frozenset(), role_arn=lambda _: None
    )
    resolver = Resolver("t.yaml", context)
    root = _loaded(
        "p: !FindInMap [M, !If [C, a, c], x]\n"
        "q: !FindInMap [M, !If [C, c, d], x]\n"
        "r: !FindInMap [M, !Ref Nothing, x]\n"
    )
    picked = resolver.resolve(root["p"], None)
    assert not isinstance(picked, Choice) and picked.text == "111111111111"
    missing = resolver.resolve(root["q"], None)
    assert missing.text is None
    assert missing.unresolved_reason == "Fn::FindInMap M/c|d/x is not in Mappings"
    unknown = resolver.resolve(root["r"], None)
    assert isinstance(unknown, Choice)
    assert [option.text for option in unknown.options] == ["111111111111", "222222222222"]


BY_PARTITION = """\
Mappings:
  ByPartition:
    aws: {Actions: s3:GetObject}
    aws-cn: {Actions: "*"}
    amazonaws.com: {Actions: s3:GetObject}
    amazonaws.com.cn: {Actions: "*"}
Resources:
  R1:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !FindInMap [ByPartition, KEY, Actions]
                Resource: "*"
"""


@pytest.mark.parametrize(
    "key",
    [
        "!Ref AWS::Partition",
        "!Ref AWS::URLSuffix",
        "{Ref: !Sub 'AWS::Partition'}",
        '!Sub "${AWS::Partition}"',
        '!Sub ["${P}", {P: !Ref AWS::Partition}]',
        '{"Fn::Sub": "${AWS::URLSuffix}"}',
    ],
)
def test_find_in_map_keyed_by_the_partition_is_each_entry_of_the_map(
    tmp_path: Path, key: str
) -> None:
    """The partition and URL suffix stand in as 'aws' and 'amazonaws.com', which a template
    meant for several partitions cannot count on: the lookup read only that entry, and the
    "*" of aws-cn was silent, while ``!If`` on the partition keeps both branches.  Written in
    an Fn::Sub (alone, or through its variable map), the key read only the 'aws' entry still."""
    text = BY_PARTITION.replace("KEY", key)
    if "!Sub" in key:
        text = "Transform: AWS::LanguageExtensions\n" + text
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line, f.location.column) for f in found] == [
        ("RL201", line_of(text, "Action: !FindInMap"), 25)
    ]
    [statement] = role(parse_text(text), "R1").policies[0].statements
    assert [action.text for action in statement.actions] == ["s3:GetObject", "*"]


def test_find_in_map_keyed_by_text_around_the_partition_is_each_entry_it_fits(
    tmp_path: Path,
) -> None:
    """``!Sub "${AWS::Partition}-admins"`` may be aws-cn-admins: the entries whose key is the
    written text after any partition are read, and the others not."""
    text = (
        BY_PARTITION.replace("KEY", '!Sub "${AWS::Partition}-admins"')
        .replace("    aws: {", "    aws-admins: {")
        .replace("    aws-cn: {", "    aws-cn-admins: {")
        .replace("amazonaws.com: {Actions: s3:GetObject}", "aws-viewers: {Actions: s3:ListBucket}")
    )
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL201", line_of(text, "Action: !FindInMap"))
    ]
    [statement] = role(parse_text(text), "R1").policies[0].statements
    assert [action.text for action in statement.actions] == ["s3:GetObject", "*"]


ORGS_BY_PARTITION = """\
AWSTemplateFormatVersion: "2010-09-09"
Mappings:
  Orgs:
ENTRIES
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringLike:
                aws:PrincipalOrgID: !FindInMap [Orgs, KEY, Id]
"""


def _shared_trust(text: str) -> PolicyDocument:
    trust = role(parse_text(text), "Shared").trust_policy
    assert trust is not None
    return trust


PARTITION_KEYS = ['!Sub "${AWS::Partition}"', "!Ref AWS::Partition"]


@pytest.mark.parametrize("key", PARTITION_KEYS)
def test_find_in_map_keyed_by_the_partition_reads_no_entry_no_partition_has(
    tmp_path: Path, key: str
) -> None:
    """A key that is the partition alone may be any partition AWS has, never ``default`` or
    ``prod``: the "*" of a ``default`` entry no deployment reads was a critical RL101 on a
    trust whose every partition's entry is an organization id; one of a partition's entry
    still is one."""
    entries = (
        "    aws: {Id: o-abcdefghij}\n"
        "    aws-us-gov: {Id: o-abcdefghil}\n"
        "    aws-iso-f: {Id: o-abcdefghim}\n"
        '    default: {Id: "*"}\n'
        '    prod: {Id: "*"}\n'
    )
    text = ORGS_BY_PARTITION.replace("ENTRIES\n", entries).replace("KEY", key)
    assert findings_of(text, "yaml", tmp_path) == []
    [statement] = _shared_trust(text).statements
    [test] = statement.conditions
    assert sorted(value.text or "" for value in test.values) == [
        "o-abcdefghij",
        "o-abcdefghil",
        "o-abcdefghim",
    ]
    open_in_china = text.replace("    prod: {", "    aws-cn: {")
    found = findings_of(open_in_china, "yaml", tmp_path)
    assert [(f.rule_id, f.severity.value, f.location.line) for f in found] == [
        ("RL101", "critical", line_of(open_in_china, 'Principal: "*"'))
    ]
    assert "('*' matches every value)" in found[0].message


@pytest.mark.parametrize("key", PARTITION_KEYS)
def test_find_in_map_keyed_by_the_partition_with_no_partitions_entry_is_unresolved(
    tmp_path: Path, key: str
) -> None:
    """Where no entry's key is a partition, every deployment of the template fails: the value
    is unresolved, and constrained (no deployer passes it), so nothing is reported."""
    entries = '    default: {Id: "*"}\n    prod: {Id: "*"}\n'
    text = ORGS_BY_PARTITION.replace("ENTRIES\n", entries).replace("KEY", key)
    assert findings_of(text, "yaml", tmp_path) == []
    [statement] = _shared_trust(text).statements
    [value] = statement.conditions[0].values
    assert value.text is None and value.constrained
    assert value.unresolved_reason is not None
    assert value.unresolved_reason.endswith("/Id is not in Mappings")


def test_find_in_map_keyed_by_text_around_the_partition_reads_only_a_partitions_entries(
    tmp_path: Path,
) -> None:
    """``!Sub "${AWS::Partition}-admins"`` reads the entries named a partition followed by
    ``-admins``, not ``default-admins``."""
    entries = (
        "    aws-admins: {Id: o-abcdefghij}\n"
        "    aws-iso-b-admins: {Id: o-abcdefghil}\n"
        '    default-admins: {Id: "*"}\n'
        '    aws-viewers: {Id: "*"}\n'
    )
    key = '!Sub "${AWS::Partition}-admins"'
    text = ORGS_BY_PARTITION.replace("ENTRIES\n", entries).replace("KEY", key)
    assert findings_of(text, "yaml", tmp_path) == []
    [statement] = _shared_trust(text).statements
    [test] = statement.conditions
    assert sorted(value.text or "" for value in test.values) == ["o-abcdefghij", "o-abcdefghil"]


@pytest.mark.parametrize(
    "operand",
    ['!Sub "${AWS::Partition}"', '!Sub ["${P}", {P: !Ref AWS::Partition}]', "!Ref AWS::URLSuffix"],
)
def test_a_condition_on_the_partition_in_an_fn_sub_is_the_deployments(operand: str) -> None:
    """``!Equals [!Sub "${AWS::Partition}", aws]`` was taken to hold (the partition stands in
    as 'aws'), so the other branch of an Fn::If on it was taken for the defaults' only; as
    with ``!Ref AWS::Partition``, its truth is the deployment's."""
    root = _loaded(f"a: {operand}\n")
    assert _resolver().condition_operand(root["a"]) is None
    # Outside a condition or key, it still stands in as its commonest value.
    assert _resolver().resolve(root["a"], None).text in ("aws", "amazonaws.com")


MAP_KEYED_BY_A_CONSTRAINED_PARAMETER = """\
Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, CONSTRAINT}
Mappings:
  EnvMap:
    dev: {Actions: s3:GetObject}
    test: {Actions: s3:ListBucket}
    breakglass: {Actions: "*"}
Resources:
  R1:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !FindInMap [EnvMap, !Ref Env, Actions, {DefaultValue: s3:PutObject}]
                Resource: "*"
"""


ALL_THREE = ["s3:GetObject", "s3:ListBucket", "*"]


@pytest.mark.parametrize(
    ("constraint", "actions"),
    [
        # Every value it allows is in the map: the DefaultValue is never read.
        ("AllowedValues: [dev, test]", ["s3:GetObject", "s3:ListBucket"]),
        ("AllowedValues: [dev, test, qa]", ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
        ("AllowedPattern: '^(dev|test)$'", ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
        ("AllowedPattern: '[a-z]{3,4}'", ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
        # One that matches the empty text too: only whole texts are matched.
        ("AllowedPattern: '(dev|test)?'", ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
        ("AllowedValues: [dev, test], AllowedPattern: '^d.*'", ["s3:GetObject"]),
        # Java's own syntax, which Python may read otherwise: any key.
        ("AllowedPattern: '\\p{Lower}{3,4}'", [*ALL_THREE, "s3:PutObject"]),
        ("AllowedPattern: '[a-z\\s]{3,4}'", [*ALL_THREE, "s3:PutObject"]),
        # What AllowedValues mean for types other than String is not documented: any key.
        (
            "AllowedValues: [dev, test], Type: AWS::EC2::KeyPair::KeyName",
            [*ALL_THREE, "s3:PutObject"],
        ),
    ],
)
def test_find_in_map_keyed_by_a_parameter_without_default_reads_only_what_it_allows(
    tmp_path: Path, constraint: str, actions: list[str]
) -> None:
    """A parameter without a default keyed every entry of the map, even those its
    AllowedValues or AllowedPattern rule out: a ``breakglass: "*"`` entry no deployment can
    read was a critical RL201.  CloudFormation refuses a String parameter outside them (a
    pattern must match the whole value), so only the entries they allow are read, and the
    DefaultValue only where an allowed value may not be in the map."""
    text = MAP_KEYED_BY_A_CONSTRAINED_PARAMETER.replace("CONSTRAINT", constraint)
    if "Type:" in constraint:
        text = text.replace("{Type: String, ", "{")
    [statement] = role(parse_text(text), "R1").policies[0].statements
    assert [action.text for action in statement.actions] == actions
    found = findings_of(text, "yaml", tmp_path)
    admin = [(f.location.line, f.location.column) for f in found if f.rule_id == "RL201"]
    assert admin == ([(line_of(text, "!FindInMap"), 25)] if "*" in actions else [])


MAP_KEYED_WHERE_NOT_THE_DEFAULT = """\
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, staging, dev]}
Conditions:
  NotProd: !Not [!Equals [!Ref Env, prod]]
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  EnvMap:
    prod: {Actions: "*"}
    staging: {Actions: s3:GetObject}
    dev: {Actions: s3:ListBucket}
Resources:
  Sandbox:
    Type: AWS::IAM::Role
    Condition: NotProd
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !FindInMap [EnvMap, !Ref Env, Actions]
                Resource: "*"
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !If [IsProd, s3:PutObject, !FindInMap [EnvMap, !Ref Env, Actions]]
                Resource: "*"
"""


@pytest.mark.parametrize(
    ("allowed", "actions"),
    [
        ("[prod, staging, dev]", ["s3:GetObject", "s3:ListBucket"]),
        ("[prod, dev]", ["s3:ListBucket"]),
        (None, ["s3:GetObject", "s3:ListBucket"]),
    ],
)
def test_find_in_map_keyed_where_a_condition_rules_the_default_out_skips_its_entry(
    tmp_path: Path, allowed: str | None, actions: list[str]
) -> None:
    """A role that exists only where ``NotProd`` holds, and the else branch of ``!If [IsProd,
    ...]``, read the map with Env only "not its default", so every entry, the ``prod`` one
    too: its "*" was a critical RL201 though Env is never prod there.  Now the key is what
    Env's AllowedValues allow but its default (any key of the map but the default when it
    has none)."""
    text = MAP_KEYED_WHERE_NOT_THE_DEFAULT
    if allowed is None:
        text = text.replace(", AllowedValues: [prod, staging, dev]", "")
    else:
        text = text.replace("[prod, staging, dev]}", f"{allowed}}}")
    found = findings_of(text, "yaml", tmp_path)
    assert [f.rule_id for f in found if f.rule_id == "RL201"] == []
    [sandbox] = role(parse_text(text), "Sandbox").policies[0].statements
    assert [action.text for action in sandbox.actions] == actions
    [app] = role(parse_text(text), "App").policies[0].statements
    assert [action.text for action in app.actions] == ["s3:PutObject", *actions]
    # Where the condition must hold, Env is 'prod' (the text it tests), and its "*" is read.
    prod_only = text.replace("Condition: NotProd", "Condition: IsProd").replace(
        "Default: prod", "Default: dev"
    )
    [admin] = [f for f in findings_of(prod_only, "yaml", tmp_path) if f.rule_id == "RL201"]
    assert (admin.role, admin.location.line) == ("Sandbox", line_of(prod_only, "!FindInMap"))


@pytest.mark.parametrize("pattern", ["^o-[a-z0-9&&[^x]]{10,32}$", "^o-[[a-z]0-9]{10,32}$"])
def test_a_java_pattern_python_would_warn_about_prints_nothing_and_still_restricts(
    tmp_path: Path, pattern: str
) -> None:
    """Regression hunt r8cfn (left over): a Java class intersection (``&&``) or a nested set in
    an AllowedPattern reached Python's ``re``, which printed a FutureWarning on the user's
    terminal.  Such a pattern is taken to restrict, as one Python cannot read is: no RL101."""
    from tests.conftest import run_rolelint

    template = tmp_path / "t.yaml"
    template.write_text(
        "Parameters:\n  Org:\n    Type: String\n"
        f"    AllowedPattern: {json.dumps(pattern)}\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        '            Principal: {AWS: "*"}\n            Action: sts:AssumeRole\n'
        "            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref Org}}\n"
    )
    result = run_rolelint("check", str(template), "--isolated", "--no-cache", "-f", "json")
    assert result.stderr == ""
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["findings"] == []


def test_an_allowed_pattern_is_read_alike_for_a_condition_and_a_mappings_key(
    tmp_path: Path,
) -> None:
    """``^.*\\z`` (Java's end of input) lets a deployer pass anything.  The Mappings key read it
    so (cfn_parameters, every entry), but whether it keeps "" and "*" out was asked of Python's
    ``re``, which refuses ``\\z``: the pattern was taken to restrict, and a trust open to any
    organization id was silent.  Both now read it one way: RL101."""
    text = (
        "Parameters:\n  Org:\n    Type: String\n    AllowedPattern: '^.*\\z'\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        '            Principal: {AWS: "*"}\n            Action: sts:AssumeRole\n'
        "            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref Org}}\n"
    )
    [finding] = findings_of(text, "yaml", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL101", line_of(text, "Principal:"))
    assert "parameter Org has no default; nothing constrains it" in finding.message
    # One the reading cannot be sure of (a flag) is taken to restrict, as a Java-only one is.
    flagged = text.replace("'^.*\\z'", "'(?i)^o-[a-z0-9]{10,32}$'")
    assert findings_of(flagged, "yaml", tmp_path) == []


OPEN_TO_A_PATTERNED_ORG = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  OrgId:
    Type: String
    AllowedPattern: 'PATTERN'
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringLike:
                aws:PrincipalOrgID: !Ref OrgId
"""


@pytest.mark.parametrize(
    "pattern",
    [
        "^[a-z0-9*-]*$",
        "^([a-z0-9*-]+,?)*$",  # a repeated group: outside the subset Fn::FindInMap keys read
        "(?i)^[a-z0-9*-]*$",  # an inline flag: the same
        "^(?:o-[a-z0-9]{10,32}|[*])$",  # lets "*" through, not ""
        "^([a-z0-9*~~]+)*$",  # Python warns of "~~" in a set (it may read it otherwise one day)
    ],
)
def test_an_allowed_pattern_that_lets_a_wildcard_through_is_no_constraint(
    tmp_path: Path, pattern: str
) -> None:
    """Whether a pattern keeps "" and "*" out was asked only of the subset of Java patterns
    Python provably reads alike on any text (cfn_parameters.pattern_reading): a repeated group
    or an inline flag outside it counted as restricting, and the low RL101 on a trust a
    deployer may open to every organization was lost.  For these one-character texts Python's
    ``re`` reads such a pattern as Java does, without a word on the terminal."""
    text = OPEN_TO_A_PATTERNED_ORG.replace("PATTERN", pattern)
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_rolelint("check", str(path), "--format", "json", "--no-cache")
    assert (result.returncode, result.stderr) == (1, "")
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["severity"], finding["line"]) == (
        "RL101",
        "low",
        line_of(text, 'Principal: "*"'),
    )
    assert "parameter OrgId has no default; nothing constrains it" in finding["message"]


@pytest.mark.parametrize(
    "pattern",
    ["^([a-z0-9-]+,?)+$", "(?i)^o-[a-z0-9]{10,32}$", "^(o-[a-z0-9]{10,32})$", "^[a-z&&[^x]]*$"],
)
def test_an_allowed_pattern_that_keeps_wildcards_out_still_restricts(
    tmp_path: Path, pattern: str
) -> None:
    """The same patterns without "*" (or one only Java reads: ``&&`` intersects classes)
    keep a deployer from opening the trust: no finding."""
    text = OPEN_TO_A_PATTERNED_ORG.replace("PATTERN", pattern)
    assert findings_of(text, "yaml", tmp_path) == []


def test_a_parameters_pattern_outside_the_subset_still_reads_no_mappings_entry_for_certain() -> (
    None
):
    """Fn::FindInMap keys keep the subset: a pattern outside it (a repeated group) admits
    every entry of the map, since an entry's key may be any length."""
    from rolelint.parsers.cfn_parameters import Allowed, pattern_reading, probe_reading

    assert pattern_reading("^([a-z]+,?)*$", "*") is None
    assert probe_reading("^([a-z]+,?)*$", "*") is False
    assert probe_reading("^([a-z*]+,?)*$", "*") is True
    assert probe_reading("^[a-z&&[^x]]*$", "") is None  # Java only
    assert probe_reading("^\\p{Alpha}*$", "*") is None  # Python's re refuses it
    assert Allowed(pattern="^([a-z]+,?)*$").admits("breakglass!")


def test_a_parameters_constraints_are_read_once_for_every_condition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``operand_may_be`` read a parameter's constraints (AllowedValues, AllowedPattern) again
    for each Fn::Equals that tests it, and the parser and the resolver each built their own."""
    from rolelint.parsers import cfn_intrinsics, cfn_parameters, cloudformation

    class Counting(dict[str, Any]):
        reads = 0

        def get(self, key: Any, default: Any = None) -> Any:
            Counting.reads += 1
            return super().get(key, default)

    parameters = Counting(Stage={"Type": "String", "AllowedValues": ["dev", "prod"]})
    may_be = cfn_parameters.operand_may_be(parameters)
    answers = [may_be({"Ref": "Stage"}, text) for text in ("dev", "legacy", "prod")]
    assert (answers, Counting.reads) == ([True, False, True], 1)

    built: list[Any] = []

    def counted(parameters: Any) -> Any:
        built.append(parameters)
        return cfn_parameters.operand_may_be(parameters)

    monkeypatch.setattr(cloudformation, "operand_may_be", counted)
    monkeypatch.setattr(cfn_intrinsics, "operand_may_be", counted)
    parse_text(
        "Parameters:\n  Stage: {Type: String, AllowedValues: [dev, prod]}\n"
        "Conditions:\n  Legacy: !Equals [!Ref Stage, legacy]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        "            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n"
        "      MaxSessionDuration: !If [Legacy, 99999, 3600]\n"
    )
    assert len(built) == 1


SPLIT_OF_A_MAP_KEYED_BY_A_PARAMETER = """\
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev]
Mappings:
  Principals:
    dev:
      Arns: "arn:aws:iam::111111111111:root,arn:aws:iam::222222222222:root"
    breakglass:
      Arns: "*,*"
Resources:
  SplitRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal:
              AWS: !Split [",", !FindInMap [Principals, !Ref Stage, Arns]]
"""


def test_a_map_key_inside_fn_split_keeps_what_its_parameter_allows() -> None:
    """Review of the change: Fn::Split set aside every parameter's AllowedValues within it,
    also those of an Fn::FindInMap key, which then read every entry ('*,*' too) and left the
    cut text a conditional one, unresolved.  Only the cut text's own constraints are set aside."""
    from tests.parsers.cfn_helpers import parse_text

    [role] = parse_text(SPLIT_OF_A_MAP_KEYED_BY_A_PARAMETER).roles
    assert role.trust_policy is not None
    principals = [p.value.text for s in role.trust_policy.statements for p in s.principals]
    assert principals == ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]


def test_a_managed_policy_whose_name_fn_if_chooses_has_no_arn_in_any_order() -> None:
    """Review of the change: managed_policy_arn asked which names an Fn::If chooses before the
    index that records them was built, so such a policy got its last branch's ARN (matched by
    iam:PolicyARN conditions), or None when another resource had built the index first."""
    from tests.parsers.cfn_helpers import parse_text

    policy = """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Pol:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !If [IsProd, prod-admin, dev-admin]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
"""
    other = """\
  User:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/unrelated"]
"""
    for template in (policy, policy + other):
        [document] = [d for d in parse_text(template).standalone_policies if d.resource == "Pol"]
        assert document.arn is None


def test_wildcard_written_is_derived_once_for_every_joined_text() -> None:
    """Value.wildcard_written (not constrained for a wildcard written around constrained
    pieces alone) was derived in three copies (Fn::Sub/Fn::Join, dynamic references, Terraform
    templates), and Sub/Join padded each of their pieces with ``False, False``.
    tree.joined_unknown derives it for all of them; a Piece says only what it knows."""
    from rolelint.parsers.cfn_dynamic_references import deploy_time
    from rolelint.parsers.cfn_intrinsics import Piece
    from rolelint.parsers.tree import joined_unknown
    from rolelint.source import SourceRef

    assert Piece("o-") == ("o-", None, False, False, None, False, None)
    known = Value(None, SourceRef("t.yaml"), "an export", constrained=True)
    assert Piece.of(known) == (None, "an export", True, False, None, False, None)
    # Constrained, or not for a written wildcard alone, every unknown piece: the wildcard.
    assert joined_unknown([["o-"], [True], ["*"]], [(True, False)]) == (False, True)
    assert joined_unknown([[False], ["*"]], [(False, True)]) == (False, True)
    assert joined_unknown([["o-"], [False], ["*"]], [(False, False)]) == (False, False)
    assert joined_unknown([["arn:aws:iam::"], [True], [":root"]], [(True, False)]) == (True, False)

    context = TemplateContext(
        parameters={}, mappings={}, resources=frozenset({"R"}), role_arn=lambda _: None
    )
    resolver = Resolver("t.yaml", context)
    root = _loaded(
        "a: !Sub 'o-${R.Id}*'\n"
        "b: !Sub 'arn:aws:iam::${R.Account}:role/*'\n"
        "c: !Sub '${AWS::StackName}*'\n"
        "d: !Join ['', [!Sub '${R.Id}*', '-x']]\n"
    )
    flags = {
        key: (value.text, value.constrained, value.wildcard_written)
        for key in "abcd"
        for value in [resolver.resolve(root[key], None)]
    }
    assert flags == {
        "a": (None, False, True),
        "b": (None, True, False),
        "c": (None, False, False),
        "d": (None, False, True),
    }
    dynamic = [
        deploy_time(text, SourceRef("t.yaml"))
        for text in ("{{resolve:ssm:/org}}*", "arn:aws:iam::{{resolve:ssm:/a}}:root")
    ]
    assert [(v.constrained, v.wildcard_written) for v in dynamic] == [(False, True), (True, False)]


def test_a_text_made_of_a_parameter_default_says_so_whatever_made_it() -> None:
    """Value.from_default: a default read through any function (Fn::Sub, Fn::Join, Fn::Select,
    Fn::Split, Fn::If, Fn::FindInMap, Fn::ToJsonString) is still a default, which another
    deployment may replace (``origin`` said so of a bare Ref only, and an export built with
    Fn::Sub of a default was read as a fact of its template).  A resource's Ref or GetAtt,
    the pseudo parameters and literals are not defaults."""
    root = _loaded(
        "parameters:\n"
        "  Name: {Type: String, Default: ops}\n"
        "  Names: {Type: CommaDelimitedList, Default: 'a,b'}\n"
        "  Index: {Type: String, Default: '1'}\n"
        "mappings: {M: {ops: {Arn: 'arn:aws:iam::aws:policy/X'}}}\n"
        "conditions: {Always: !Equals [a, a]}\n"
        "defaults:\n"
        "  - !Ref Name\n"
        "  - !Sub 'policy/${Name}'\n"
        "  - !Sub '${Name}'\n"
        "  - !Sub ['${X}', {X: !Ref Name}]\n"
        "  - !Join ['', [policy/, !Ref Name]]\n"
        "  - !Select [!Ref Index, [a, b]]\n"
        "  - !Select [0, !Ref Names]\n"
        "  - !Select [1, !Split ['-', !Sub 'x-${Name}']]\n"
        "  - !If [Always, !Sub '${Name}', x]\n"
        "  - !FindInMap [M, !Ref Name, Arn]\n"
        "  - !Join ['', [!FindInMap [M, !Ref Name, Arn]]]\n"
        "  - !Join ['', [!If [Always, !Ref Name, ops]]]\n"
        "facts:\n"
        "  - !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/ops'\n"
        "  - !Ref R\n"
        "  - !Sub '${R}'\n"
        "  - !GetAtt R.Arn\n"
        "  - !Select [1, [a, b]]\n"
        "  - !FindInMap [M, ops, Arn]\n"
    )
    arn = Value("arn:aws:iam::${AWS::AccountId}:role/ops", SourceRef("t.yaml"))
    name = Value("ops", SourceRef("t.yaml"), origin="the default of parameter Name")
    context = TemplateContext(
        parameters=root["parameters"],
        mappings=root["mappings"],
        resources=frozenset({"R"}),
        role_arn=lambda logical_id: arn if logical_id == "R" else None,
        ref_name=lambda logical_id: replace(name, from_default=True) if logical_id == "R" else None,
        conditions=root["conditions"],
    )
    resolver = Resolver("t.yaml", context)

    def values(key: str) -> list[Value]:
        return [
            value
            for item in root[key]
            for value in resolver.values(resolver.resolve(item, None), None)
        ]

    defaults = values("defaults")
    assert [v.text for v in defaults] == [
        "ops",
        "policy/ops",
        "ops",
        "ops",
        "policy/ops",
        "b",
        "a",
        "ops",
        "ops",
        "arn:aws:iam::aws:policy/X",
        "arn:aws:iam::aws:policy/X",
        "ops",
    ]
    assert all(v.from_default for v in defaults)
    facts = values("facts")
    assert all(v.text is not None and not v.from_default for v in facts)


def test_a_value_a_default_picks_says_which_default_picks_it() -> None:
    """``!FindInMap [Durations, !Ref Env, Max]`` with Env's default ``prod``: the entry is the
    default's choice, as a bare ``!Ref`` is (Value.origin, which messages name), but only
    ``from_default`` said so, and RL301 printed 86400 as a fact of the template.  The same of
    an Fn::Select whose index is a default.  A value of its own origin keeps it; a literal
    key or index picks a fact."""
    root = _loaded(
        "parameters:\n"
        "  Env: {Type: String, Default: prod}\n"
        "  Tier: {Type: String, Default: web}\n"
        "  Index: {Type: String, Default: '1'}\n"
        "  Names: {Type: CommaDelimitedList, Default: 'a,b'}\n"
        "mappings:\n"
        "  Durations: {prod: {Max: 86400}, dev: {Max: 7200}}\n"
        "  Tiers: {prod: {web: 3600}}\n"
        "picked:\n"
        "  - !FindInMap [Durations, !Ref Env, Max]\n"
        "  - !FindInMap [Tiers, !Ref Env, !Ref Tier]\n"
        "  - !Select [!Ref Index, [a, b]]\n"
        "  - !Select [!Ref Index, !Ref Names]\n"
        "facts:\n"
        "  - !FindInMap [Durations, dev, Max]\n"
        "  - !Select [1, [a, b]]\n"
    )
    context = TemplateContext(
        parameters=root["parameters"],
        mappings=root["mappings"],
        resources=frozenset(),
        role_arn=lambda _: None,
    )
    resolver = Resolver("t.yaml", context)

    def values(key: str) -> list[tuple[str | None, str | None]]:
        return [
            (value.text, value.origin)
            for item in root[key]
            for value in resolver.values(resolver.resolve(item, None), None)
        ]

    assert values("picked") == [
        ("86400", "the entry of Mappings Durations picked by the default of parameter Env"),
        (
            "3600",
            "the entry of Mappings Tiers picked by the default of parameter Env and the "
            "default of parameter Tier",
        ),
        ("b", "the item picked by the default of parameter Index"),
        ("b", "the default of parameter Names"),
    ]
    assert values("facts") == [("7200", None), ("b", None)]


def test_rl301_names_the_default_a_mapping_entry_is_picked_by(tmp_path: Path) -> None:
    code = """\
Parameters:
  Env: {Type: String, Default: prod}
Mappings:
  Durations:
    dev: {Max: 7200}
    prod: {Max: 86400}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !FindInMap [Durations, !Ref Env, Max]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
"""
    [finding] = findings_of(code, ".yaml", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL301", line_of(code, "FindInMap"))
    assert finding.message.startswith(
        "MaxSessionDuration of role R is '86400' (the entry of Mappings Durations picked by "
        "the default of parameter Env); AWS accepts"
    ), finding.message


def test_a_sub_of_a_role_s_arn_alone_is_a_reference_to_that_role() -> None:
    """CloudFormation reads ``${R.Arn}`` in an Fn::Sub as Fn::GetAtt: a Sub that is that
    alone (or ``${X}`` alone, X given as ``!GetAtt R.Arn``) names the template's role as
    ``!GetAtt R.Arn`` does (Value.declared_in); it was a text written out.  Text around it,
    a role's Ref (its name) or another resource's Arn is no reference to a role."""
    root = _loaded(
        "references:\n"
        "  - !GetAtt R.Arn\n"
        "  - !Sub '${R.Arn}'\n"
        "  - !Sub '${ R.Arn }'\n"
        "  - !Sub ['${R.Arn}', {}]\n"
        "  - !Sub ['${X}', {X: !GetAtt R.Arn}]\n"
        "  - !Sub ['${X}', {X: !GetAtt [R, Arn]}]\n"
        "texts:\n"
        "  - !Sub '${R.Arn}*'\n"
        "  - !Sub 'x${R.Arn}'\n"
        "  - !Sub '${R}'\n"
        "  - !Sub '${!R.Arn}'\n"
        "  - !Sub '${Q.Arn}'\n"
        "  - !Sub ['${X}', {X: !Sub '${R.Arn}-x'}]\n"
        "  - !Sub ['${R.Arn}', {R.Arn: other}]\n"
    )
    arn = Value("arn:aws:iam::${AWS::AccountId}:role/ops", SourceRef("t.yaml"))
    queue = Value("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:q", SourceRef("t.yaml"))
    context = TemplateContext(
        parameters={},
        mappings={},
        resources=frozenset({"R", "Q"}),
        role_arn=lambda logical_id: arn if logical_id == "R" else None,
        ref_name=lambda logical_id: (
            Value("ops", SourceRef("t.yaml")) if logical_id == "R" else None
        ),
        provider_arn=lambda logical_id: queue if logical_id == "Q" else None,
    )
    resolver = Resolver("t.yaml", context)
    references = [resolver.resolve(item, None) for item in root["references"]]
    assert [(v.text, v.declared_in) for v in references] == [(arn.text, "t.yaml")] * 6
    texts = [resolver.resolve(item, None) for item in root["texts"]]
    assert [v.declared_in for v in texts] == [None] * 7
    assert [v.text for v in texts] == [
        f"{arn.text}*",
        f"x{arn.text}",
        "ops",
        "${R.Arn}",
        queue.text,
        f"{arn.text}-x",
        "other",
    ]


def test_a_text_partly_known_keeps_what_is_known_around_each_unknown_piece() -> None:
    """Value.partly_known: an Fn::Sub or Fn::Join with an unknown piece kept only the first
    reason, so a card said an object's ARN and its bucket's alike (``<unresolved: parameter B
    has no default>``).  The known text is kept around each unknown piece (a nested one's own
    spliced in, a Join's delimiter written); a value made of alternatives whose known text
    differs, or with nothing known around it, is said by its reason alone, as before."""
    root = _loaded(
        "conditions:\n  C: !Equals [!Ref P, a]\n"
        "a: !Sub 'arn:aws:s3:::${B}/*'\n"
        "b: !Join [':', [!Sub 'x-${B}', !GetAtt R.Arn, 'end']]\n"
        "c: !Sub ['${B}${S}', {S: !If [C, '/*', '/logs']}]\n"
        "d: !Sub '${B}'\n"
        "e: !Join ['', [!GetAtt R.Arn, '/*']]\n"
    )
    context = TemplateContext(
        parameters={"P": {"Type": "String"}, "B": {"Type": "String"}},
        mappings={},
        resources=frozenset({"R"}),
        role_arn=lambda _: None,
        conditions=root["conditions"],
    )
    resolver = Resolver("t.yaml", context)
    said = {key: resolver.resolve(root[key], None) for key in "abcde"}
    no_default = "parameter B has no default"
    arn = "attribute Arn of resource R"
    assert {key: value.partly_known for key, value in said.items()} == {
        "a": ("arn:aws:s3:::", no_default, "/*"),
        "b": ("x-", no_default, ":", arn, ":end"),
        "c": None,
        "d": None,
        "e": ("", arn, "/*"),
    }
    assert said["b"].said() == f"x-<unresolved: {no_default}>:<unresolved: {arn}>:end"
    assert said["c"].said() == said["c"].display() == f"<unresolved: {no_default}>"
