"""Conditions with the parameters' defaults, and the Fn::If branch they rule out for them
(rolelint.parsers.cfn_conditions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import strategies as st

from rolelint.parsers.cfn_conditions import holds, implied, parameters_read
from rolelint.parsers.tree import PMap
from rolelint.parsers.yaml_loader import load_yaml
from tests.conftest import run_rolelint
from tests.parsers.cfn_helpers import parse_text, role
from tests.rules.harness import findings_of, line_of, lint_text

DEFAULTS = {"Env": "dev", "Empty": ""}


def _conditions(text: str) -> dict[str, Any]:
    root = load_yaml("t.yaml", text).root
    assert isinstance(root, PMap)
    return dict(root["Conditions"])


def _operand(node: Any) -> str | None:
    if isinstance(node, dict):
        return DEFAULTS.get(node.get("Ref", ""))
    return node if isinstance(node, str) else None


CONDITIONS = _conditions(
    "Conditions:\n"
    "  IsDev: !Equals [!Ref Env, dev]\n"
    "  IsProd: !Not [!Condition IsDev]\n"
    "  HasName: !Not [!Equals [!Ref Empty, '']]\n"
    "  Either: !Or [!Condition IsProd, !Equals [!Ref Unknown, x]]\n"
    "  Both: !And [!Condition IsDev, !Equals [!Ref Unknown, x]]\n"
    "  DevOrUnknown: !Or [!Condition IsDev, !Equals [!Ref Unknown, x]]\n"
    "  Loop: !Not [!Condition Loop]\n"
    "  Odd: !Select [0, [a]]\n"
)


@pytest.mark.parametrize(
    ("name", "truth"),
    [
        ("IsDev", True),
        ("IsProd", False),
        ("HasName", False),
        ("Either", None),  # false or unknown: unknown
        ("Both", None),  # true and unknown: unknown
        ("DevOrUnknown", True),  # true or anything: true
        ("Loop", None),
        ("Odd", None),
        ("Missing", None),
    ],
)
def test_conditions_are_decided_only_when_certain(name: str, truth: bool | None) -> None:
    assert holds(name, CONDITIONS, _operand) is truth


def test_the_parameters_a_condition_reads_through_the_conditions_it_names() -> None:
    parameters: dict[str, Any] = {"Env": {}, "Empty": {}}
    assert parameters_read({"Condition": "Either"}, CONDITIONS, parameters) == {"Env"}
    assert parameters_read({"Condition": "Loop"}, CONDITIONS, parameters) == set()


OIDC_SAMPLE = """\
Parameters:
  OIDCProviderArn:
    Type: String
    Default: ""
  Repo:
    Type: String
    Default: octo-org/octo-repo
Conditions:
  CreateOIDCProvider: !Equals [!Ref OIDCProviderArn, ""]
Resources:
  GithubOidc:
    Type: AWS::IAM::OIDCProvider
    Condition: CreateOIDCProvider
    Properties:
      Url: https://token.actions.githubusercontent.com
      ClientIdList: [sts.amazonaws.com]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: !If [CreateOIDCProvider, !Ref GithubOidc, !Ref OIDCProviderArn]
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: !Sub repo:${Repo}:*
"""


def test_a_branch_the_defaults_rule_out_does_not_take_them(tmp_path: Path) -> None:
    """The configure-aws-credentials sample: the provider ARN parameter is used only when it is
    not empty, yet it was read as its default '' there, and RL111 called the principal
    malformed."""
    assert [f.rule_id for f in findings_of(OIDC_SAMPLE, "yaml", tmp_path)] == []
    trust = role(parse_text(OIDC_SAMPLE), "Role").trust_policy
    assert trust is not None
    [statement] = trust.statements
    texts = [p.value.text for p in statement.principals]
    assert texts[0] is not None and "GithubOidc" not in texts[0]  # the provider's own ARN
    assert texts[1] is None  # the parameter, not its default, where the condition is false
    assert "OIDCProviderArn is not its default where condition CreateOIDCProvider is false" in (
        statement.principals[1].value.unresolved_reason or ""
    )


def test_the_branch_the_defaults_pick_still_takes_them(tmp_path: Path) -> None:
    template = (
        "Parameters:\n  Trusted: {Type: String, Default: ''}\n"
        "Conditions:\n  Open: !Equals [!Ref Trusted, '']\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
        "        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n"
        "            Principal: {AWS: !If [Open, '*', !Ref Trusted]}\n"
    )
    assert [(f.rule_id, f.location.line) for f in findings_of(template, "yaml", tmp_path)] == [
        ("RL101", 14)
    ]


def _role_trusting(principal: str, conditions: str, parameters: str = "") -> str:
    return (
        f"Parameters:\n  P: {{Type: String, Default: x}}\n{parameters}"
        f"Conditions:\n{conditions}"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
        "        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n"
        f"            Principal: {{AWS: {principal}}}\n"
    )


def test_a_condition_reading_an_fn_if_on_itself_is_undecided(tmp_path: Path) -> None:
    """Resolving its operand asked for the condition again, without end (RecursionError: the
    file was lost)."""
    template = _role_trusting("!If [A, '*', '111122223333']", "  A: !Equals [!If [A, x, y], x]\n")
    assert [f.rule_id for f in findings_of(template, "yaml", tmp_path)] == ["RL101", "RL102"]


def test_conditions_naming_each_other_are_each_decided_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each condition read the next twice through Fn::If operands: 22 of them took 96 s.  Each
    is decided once with the defaults and once as written (whether no deployment decides it)."""
    from rolelint.parsers import cfn_conditions

    chain = "".join(
        f"  C{n}: !Equals [!If [C{n + 1}, x, y], !If [C{n + 1}, x, y]]\n" for n in range(30)
    )
    chain += "  C30: !Equals [!Ref P, x]\n"
    calls = []
    real = cfn_conditions.holds

    def counting(name: str, conditions: Any, operand: Any, *others: Any) -> bool | None:
        calls.append((name, operand))
        return real(name, conditions, operand, *others)

    monkeypatch.setattr(cfn_conditions, "holds", counting)
    template = _role_trusting("!If [C0, '*', '111122223333']", chain)
    findings_of(template, "yaml", tmp_path)
    assert len(calls) <= 2 * 31 and len(set(calls)) == len(calls)


def _external_id_if(operand: str) -> str:
    """A role whose trust requires ExternalId (default '') only where ``operand`` is not ''."""
    return _role_trusting(
        "arn:aws:iam::444455556666:root",
        f"  HasExternalId: !Not [!Equals [{operand}, '']]\n",
        "  ExternalId: {Type: String, Default: ''}\n",
    ).replace(
        "            Principal:",
        "            Condition: !If\n              - HasExternalId\n"
        "              - StringEquals: {sts:ExternalId: !Ref ExternalId}\n"
        "              - !Ref AWS::NoValue\n            Principal:",
    )


@pytest.mark.parametrize(
    "operand",
    [
        "!Ref ExternalId",
        "!Join ['', [!Select [0, !Split [',', !Join [',', [!Ref ExternalId]]]]]]",
    ],
    ids=["ref", "nested"],
)
def test_an_operand_nested_a_few_functions_deep_decides_its_condition(
    tmp_path: Path, operand: str
) -> None:
    """Operands were resolved from 2 levels short of the limit of 40: one 4 functions deep
    was 'nested more than 40 levels deep' (a notice in Conditions), the condition undecided,
    and the default '' judged where HasExternalId rules it out (RL105, medium)."""
    template = _external_id_if(operand)
    report = lint_text(template, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL102", line_of(template, "Principal:"))
    ]
    assert report.notices == [] and report.errors == []


def test_an_operand_nested_past_the_limit_leaves_its_condition_undecided(tmp_path: Path) -> None:
    """Both branches are read, as for any condition not decided; no notice points into
    Conditions, since nothing goes unanalyzed."""
    operand = "!Ref ExternalId"
    for _ in range(25):
        operand = f"!Join ['', [{operand}]]"
    template = _external_id_if(operand)
    report = lint_text(template, "yaml", tmp_path)
    # The empty default never matches (RL611); the other branch is an account without one.
    assert [f.rule_id for f in report.findings] == ["RL611", "RL102"]
    assert report.notices == []


def test_a_condition_reading_several_parameters_masks_none(tmp_path: Path) -> None:
    """Enable and Trusted is false with the defaults, but true with Enable set and Trusted at its
    default '*': masking every parameter the condition read hid that open trust."""
    parameters = (
        "  Trusted: {Type: String, Default: '*'}\n  Enable: {Type: String, Default: 'no'}\n"
    )
    conditions = "  Open: !And [!Equals [!Ref Enable, 'yes'], !Equals [!Ref Trusted, '*']]\n"
    template = _role_trusting("!If [Open, !Ref Trusted, '111122223333']", conditions, parameters)
    assert "RL101" in {f.rule_id for f in findings_of(template, "yaml", tmp_path)}


def test_an_and_made_true_forces_each_operand_the_defaults_make_false(tmp_path: Path) -> None:
    """CrossAccount = HasAccount and IsProd: true only with the account set, though the
    condition reads two parameters, so '' is impossible there (RL111 on 'arn:aws:iam:::root')."""
    parameters = "  Account: {Type: String, Default: ''}\n  Stage: {Type: String, Default: dev}\n"
    conditions = (
        "  HasAccount: !Not [!Equals [!Ref Account, '']]\n"
        "  IsProd: !Equals [!Ref Stage, prod]\n"
        "  CrossAccount: !And [!Condition HasAccount, !Condition IsProd]\n"
    )
    principal = "!If [CrossAccount, !Sub 'arn:aws:iam::${Account}:root', !Ref AWS::AccountId]"
    template = _role_trusting(principal, conditions, parameters)
    assert findings_of(template, "yaml", tmp_path) == []


def test_a_ref_whose_name_a_function_computes_is_read_as_that_parameter(tmp_path: Path) -> None:
    """AWS::LanguageExtensions lets Ref take a function giving the name (``{Ref: !Sub
    ParamA}``, as AWS's Fn::ForEach examples do): the file was lost to an internal error
    (unhashable PMap).  The Ref reads the parameter, so the condition is decided with its
    default, and the branch it rules out does not take that default."""
    parameters = "  Trusted: {Type: String, Default: ''}\n"
    conditions = "  Open: !Equals [{Ref: !Sub 'Trust${Suffix}'}, '']\n"
    template = "Transform: AWS::LanguageExtensions\n" + _role_trusting(
        "!If [Open, '*', {Ref: !Sub 'Trust${Suffix}'}]",
        conditions,
        parameters + "  Suffix: {Type: String, Default: ed}\n",
    )
    found = findings_of(template, "yaml", tmp_path)
    # '*' where Open holds; never the '' default where it does not (RL111 on a malformed
    # principal).
    assert [(f.rule_id, f.location.line) for f in found] == [("RL101", 17)]
    trust = role(parse_text(template), "R").trust_policy
    assert trust is not None
    texts = [p.value.text for p in trust.statements[0].principals]
    assert texts == ["*", None]


CONDITIONAL_VENDOR = """\
Parameters:
  ExternalId: {Type: String, Default: ""}
  Vendor: {Type: String, Default: ""}
Conditions:
  HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Condition: HasExternalId
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${Vendor}:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalId}}
  Always:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::999988887777:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalId}}
"""


def test_a_resource_created_only_where_its_condition_holds_does_not_take_ruled_out_defaults(
    tmp_path: Path,
) -> None:
    """``Condition: HasExternalId`` creates the role only when ExternalId is not empty: RL105
    said it requires the empty default.  A parameter the condition does not read (Vendor) and
    a resource without the condition still take their defaults.  (An empty ExternalId is no
    weak one but one no request holds: RL611, where it was RL105.)"""
    located = {(f.rule_id, f.resource) for f in findings_of(CONDITIONAL_VENDOR, "yaml", tmp_path)}
    assert not {("RL105", "VendorRole"), ("RL611", "VendorRole")} & located
    assert ("RL611", "Always") in located  # '' is the ExternalId it requires
    assert ("RL111", "VendorRole") in located  # arn:aws:iam:::root, from the Vendor default
    trust = role(parse_text(CONDITIONAL_VENDOR), "VendorRole").trust_policy
    assert trust is not None
    [external_id] = trust.statements[0].conditions[0].values
    assert external_id.text is None
    assert external_id.unresolved_reason == (
        "parameter ExternalId is not its default where resource VendorRole exists"
        " (condition HasExternalId is true)"
    )


def test_a_value_an_alias_shares_with_an_unconditional_resource_keeps_its_default(
    tmp_path: Path,
) -> None:
    """A YAML alias copies the conditional role's trust into one deployed always; the copy
    keeps the anchor's place, so the mask of the conditional role hid Always's RL105 (RL611
    now: an empty ExternalId is one no request holds)."""
    trust = (
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        '            Principal: {AWS: "arn:aws:iam::999988887777:root"}\n'
        "            Action: sts:AssumeRole\n"
        "            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalId}}\n"
    )
    text = (
        'Parameters:\n  ExternalId: {Type: String, Default: ""}\n'
        'Conditions:\n  HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]\n'
        "Resources:\n  Vendor:\n    Type: AWS::IAM::Role\n    Condition: HasExternalId\n"
        f"    Properties:\n      AssumeRolePolicyDocument: &trust\n{trust}"
        "  Always:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument: *trust\n"
    )
    located = {(f.rule_id, f.resource) for f in findings_of(text, "yaml", tmp_path)}
    assert ("RL611", "Always") in located


def test_a_value_an_alias_shares_between_resources_of_one_condition_is_masked(
    tmp_path: Path,
) -> None:
    """Review 2: two roles created only where HasExternalId holds share their trust through
    an alias; the alias took the mask away from both, and RL105 named the empty default."""
    trust = (
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        '            Principal: {AWS: "arn:aws:iam::999988887777:root"}\n'
        "            Action: sts:AssumeRole\n"
        "            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalId}}\n"
    )
    text = (
        'Parameters:\n  ExternalId: {Type: String, Default: ""}\n'
        'Conditions:\n  HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]\n'
        "Resources:\n  Vendor:\n    Type: AWS::IAM::Role\n    Condition: HasExternalId\n"
        f"    Properties:\n      AssumeRolePolicyDocument: &trust\n{trust}"
        "  Vendor2:\n    Type: AWS::IAM::Role\n    Condition: HasExternalId\n"
        "    Properties:\n      AssumeRolePolicyDocument: *trust\n"
    )
    assert [f.rule_id for f in findings_of(text, "yaml", tmp_path)] == []


GLOBALS_TRUST = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  TrustAccount: {Type: String, Default: ""}
Conditions:
  HasTrust: !Not [!Equals [!Ref TrustAccount, ""]]
Globals:
  Function:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub "arn:aws:iam::${TrustAccount}:root"}
          Action: sts:AssumeRole
          Condition: {StringEquals: {sts:ExternalId: 9f8e7d6c5b4a3921}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Condition: HasTrust
    Properties:
      Handler: i.h
"""
UNCONDITIONAL_FUNCTION = """\
  Always:
    Type: AWS::Serverless::Function
    Properties:
      Handler: i.h
"""


def test_a_globals_value_read_only_by_conditional_functions_is_masked(tmp_path: Path) -> None:
    """A function created only where HasTrust holds takes its trust from Globals: the value
    lies in Globals, outside the function, so the function's mask did not cover it and RL111
    named ``arn:aws:iam:::root`` from the empty default (an AWS::IAM::Role with the same trust
    and Condition was silent).  A function deployed always reads the same value with the
    default, so there it stays (and is reported)."""
    assert findings_of(GLOBALS_TRUST, "yaml", tmp_path) == []
    both = findings_of(GLOBALS_TRUST + UNCONDITIONAL_FUNCTION, "yaml", tmp_path)
    at = line_of(GLOBALS_TRUST, "${TrustAccount}:root")
    assert {(f.rule_id, f.location.line, f.role) for f in both} >= {("RL111", at, "AlwaysRole")}


def test_a_resource_whose_condition_no_parameter_can_make_true_is_not_judged(
    tmp_path: Path,
) -> None:
    """'Condition: Never' (!Equals [true, false], or an And with it) switches a resource off
    in every deployment: its open trust was reported critical.  It is left out with a note;
    a condition reading a parameter is undecided, and its resource judged as before."""
    from rolelint.api import lint_paths

    statement = '          - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}\n'

    def resource(name: str, condition: str) -> str:
        return (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Condition: {condition}\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
            "        Statement:\n" + statement
        )

    template = tmp_path / "template.yaml"
    template.write_text(
        "Parameters:\n  Env: {Type: String, Default: dev}\n"
        "Conditions:\n  Never: !Equals [true, false]\n"
        "  NeverEither: !And [!Condition Never, !Equals [!Ref Env, prod]]\n"
        "  Prod: !Equals [!Ref Env, prod]\n"
        "Resources:\n"
        + resource("Off", "Never")
        + resource("AlsoOff", "NeverEither")
        + resource("ProdOnly", "Prod")
    )
    report = lint_paths([str(template)])
    assert [(f.rule_id, f.role, f.location.line) for f in report.findings] == [
        ("RL101", "ProdOnly", 31)
    ]
    assert [(n.line, n.message) for n in report.notices] == [
        (
            10,
            "Off: not analyzed: its Condition 'Never' is false whatever the parameters, "
            "so no deployment creates it",
        ),
        (
            18,
            "AlsoOff: not analyzed: its Condition 'NeverEither' is false whatever the "
            "parameters, so no deployment creates it",
        ),
    ]


def test_the_branch_of_an_fn_if_no_parameter_can_choose_is_not_read(tmp_path: Path) -> None:
    """'!If [Never, "*", ...]' with Never false whatever the parameters: the "*" branch is
    never deployed, yet it was analyzed as every branch is (RL101 critical, RL301)."""
    from rolelint.api import lint_paths

    template = tmp_path / "template.yaml"
    text = (
        "Parameters:\n  Env: {Type: String, Default: dev}\n"
        "Conditions:\n  Never: !Equals [true, false]\n  Prod: !Equals [!Ref Env, prod]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal:\n"
        "              AWS: !If [Never, '*', !Sub 'arn:aws:iam::${AWS::AccountId}:root']\n"
        "            Action: sts:AssumeRole\n"
        "      MaxSessionDuration: !If [Never, 99999, 3600]\n"
    )
    template.write_text(text)
    assert lint_paths([str(template)]).findings == []
    # A condition a deployment decides keeps both branches.
    template.write_text(text.replace("[Never,", "[Prod,"))
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(template)]).findings]
    assert found == [("RL101", 15), ("RL301", 17)]


IF_ON_OWN_CONDITION = """\
Parameters:
  Env: {Type: String, Default: dev}
  Tier: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsTierProd: !Equals [!Ref Tier, prod]
Resources:
  ProdRole:
    Type: AWS::IAM::Role
    Condition: IsProd
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !If
          - IsProd
          - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly
          - arn:aws:iam::aws:policy/AdministratorAccess
"""


def test_an_fn_if_on_the_resources_own_condition_takes_its_first_branch(tmp_path: Path) -> None:
    """A resource with ``Condition: IsProd`` exists only where IsProd holds, so ``!If [IsProd,
    a, b]`` inside it is always a: the b branch (AdministratorAccess) was reported critical
    (RL201) though no deployment creates the role with it.  An Fn::If on another condition
    keeps both branches."""
    assert findings_of(IF_ON_OWN_CONDITION, "yaml", tmp_path) == []
    other = IF_ON_OWN_CONDITION.replace("- IsProd\n", "- IsTierProd\n")
    found = findings_of(other, "yaml", tmp_path)
    at = line_of(other, "policy/AdministratorAccess")
    assert [(f.rule_id, f.location.line, f.role) for f in found] == [("RL201", at, "ProdRole")]


IMPLIED = """\
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Other: !Equals [!Ref Env, dev]
  NotProd: !Not [!Condition Prod]
  ProdAndOther: !And [!Condition Prod, !Condition Other]
  NeitherNor: !Not [!Or [!Condition Prod, !Condition Other]]
"""


@pytest.mark.parametrize(
    ("name", "given", "truth"),
    [
        ("Prod", "Prod", True),
        ("Prod", "NotProd", False),
        ("Prod", "ProdAndOther", True),
        ("Other", "ProdAndOther", True),
        ("Prod", "NeitherNor", False),
        ("Other", "NeitherNor", False),
        ("Other", "Prod", None),
        ("Prod", "Missing", None),
    ],
)
def test_what_holding_one_condition_says_of_another(
    name: str, given: str, truth: bool | None
) -> None:
    """Inside a resource created only where ``given`` holds, an Fn::If on ``name`` takes the
    branch ``given`` decides (a role SAM creates where the Role is AWS::NoValue, under
    ``Not [Condition UseExisting]``, reads an Fn::If on UseExisting as its second branch)."""
    assert implied(name, given, _conditions(IMPLIED)) is truth


PROD_ONLY = """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  EnvMap:
    dev: {Actions: s3:GetObject}
    prod: {Actions: "*"}
Resources:
  BreakGlass:
    Type: AWS::IAM::Role
    Condition: IsProd
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
  Other:
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
                Action: !If [IsProd, !FindInMap [EnvMap, !Ref Env, Actions], s3:ListBucket]
                Resource: "*"
"""


def test_a_condition_that_must_hold_gives_the_parameter_the_text_it_tests(
    tmp_path: Path,
) -> None:
    """Where ``IsProd: !Equals [!Ref Env, prod]`` holds (a resource with ``Condition: IsProd``,
    the first branch of ``!If [IsProd, ...]``), Env is 'prod': the Mappings entry it keys is
    read, and its "*" is full admin access.  Env was only 'not its default' there, so the
    lookup was unresolved and both roles were silent."""
    found = findings_of(PROD_ONLY, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line, f.location.column, f.role) for f in found] == [
        ("RL201", line_of(PROD_ONLY, "!FindInMap [EnvMap"), 25, "BreakGlass"),
        ("RL201", line_of(PROD_ONLY, "!If [IsProd"), 38, "Other"),
    ]
    assert all("allows every action ('*') on '*'" in f.message for f in found)
    [action] = role(parse_text(PROD_ONLY), "BreakGlass").policies[0].statements[0].actions
    assert (action.text, action.origin) == ("*", None)
    # Ruled out only (the condition must be false): the parameter stays unknown there.
    negated = (
        PROD_ONLY.replace("IsProd: !Equals", "IsProd: !Not [!Equals")
        .replace("Env, prod]\n", "Env, dev]]\n")
        .replace("!FindInMap [EnvMap, !Ref Env, Actions]", "!Ref Env")
    )
    [masked] = role(parse_text(negated), "BreakGlass").policies[0].statements[0].actions
    assert masked.text is None
    assert "parameter Env is not its default where resource BreakGlass exists" in str(
        masked.unresolved_reason
    )


def test_a_bound_parameter_names_the_condition_it_is_taken_from(tmp_path: Path) -> None:
    """The text a condition leaves a parameter is no default whoever deploys may replace:
    RL105 says where it comes from."""
    text = (
        "Parameters:\n  ExternalId: {Type: String, Default: vendor-a1b2c3d4e5f6}\n"
        "Conditions:\n  Legacy: !Equals [!Ref ExternalId, x]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Condition: Legacy\n"
        "    Properties:\n      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
        '            Principal: {AWS: "arn:aws:iam::999988887777:root"}\n'
        "            Action: sts:AssumeRole\n"
        "            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalId}}\n"
    )
    [finding] = [f for f in findings_of(text, "yaml", tmp_path) if f.rule_id == "RL105"]
    assert finding.location.line == line_of(text, "sts:ExternalId")
    assert (
        "'x' (taken from parameter ExternalId where resource R exists (condition Legacy is"
        " true))" in finding.message
    )


@pytest.mark.parametrize(
    ("condition", "forced"),
    [
        ("!Equals [!Ref Env, prod]", {"Env": "prod"}),
        ("!Equals [prod, !Ref Env]", {"Env": "prod"}),
        ("!Not [!Equals [!Ref Env, dev]]", {"Env": None}),
        ("!Equals [!Ref Env, !Ref Empty]", {}),  # two parameters: neither is forced
        ("!Equals [!Join ['', [!Ref Env]], prod]", {"Env": None}),
        ("!And [!Equals [!Ref Env, prod], !Not [!Equals [!Ref Env, dev]]]", {"Env": "prod"}),
        ("!And [!Equals [!Ref Env, prod], !Equals [!Ref Env, test]]", {"Env": None}),
    ],
)
def test_what_a_condition_that_must_hold_leaves_each_parameter(
    condition: str, forced: dict[str, str | None]
) -> None:
    from rolelint.parsers.cfn_conditions import forced_parameters

    conditions = _conditions(f"Conditions:\n  C: {condition}\n")
    parameters: dict[str, Any] = {"Env": {}, "Empty": {}}

    def operand(node: Any) -> str | None:
        if isinstance(node, dict) and "Fn::Join" in node:
            return "dev"
        return _operand(node)

    assert forced_parameters("C", conditions, parameters, operand, True) == forced


RETIRED_STAGE = """\
Parameters:
  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsLegacy: !Equals [!Ref Stage, legacy]
Mappings:
  StagePolicies:
    dev: {Policy: arn:aws:iam::aws:policy/ReadOnlyAccess}
    prod: {Policy: arn:aws:iam::aws:policy/ReadOnlyAccess}
    legacy: {Policy: arn:aws:iam::aws:policy/AdministratorAccess}
Resources:
  LegacyRole:
    Type: AWS::IAM::Role
    Condition: IsLegacy
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !FindInMap [StagePolicies, !Ref Stage, Policy]
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !If [IsLegacy, !FindInMap [StagePolicies, !Ref Stage, Policy], !Ref AWS::NoValue]
"""


@pytest.mark.parametrize(
    "constraint", ["AllowedValues: [dev, prod]", "AllowedPattern: '^(dev|prod)$'"]
)
def test_a_condition_testing_a_text_the_parameter_may_never_be_never_holds(
    tmp_path: Path, constraint: str
) -> None:
    """``IsLegacy: !Equals [!Ref Stage, legacy]`` where Stage's AllowedValues no longer allow
    legacy: the condition holds in no deployment CloudFormation accepts, yet Stage was taken
    for 'legacy' where it must hold, and the legacy entry (AdministratorAccess) of a role
    never created was a critical RL201.  The resource is left out with a note, and the
    branch of an Fn::If on the condition is not read."""
    text = RETIRED_STAGE.replace("AllowedValues: [dev, prod]", constraint)
    report = lint_text(text, "yaml", tmp_path)
    assert report.findings == []
    assert [(n.line, n.message) for n in report.notices] == [
        (
            line_of(text, "Condition: IsLegacy"),
            "LegacyRole: not analyzed: its Condition 'IsLegacy' is false whatever the"
            " parameters, so no deployment creates it",
        )
    ]
    inventory = parse_text(text)
    assert [r.id for r in inventory.roles] == ["AppRole"]
    assert role(inventory, "AppRole").managed_policy_arns == ()
    # Allowed again, the condition is the deployment's, and what it keys is read.
    allowed = text.replace("[dev, prod]", "[dev, prod, legacy]").replace("dev|prod", "dev|legacy")
    found = findings_of(allowed, "yaml", tmp_path)
    assert [(f.rule_id, f.role) for f in found] == [("RL201", "LegacyRole"), ("RL201", "AppRole")]


@pytest.mark.parametrize(
    ("condition", "truth"),
    [
        ("!Equals [!Ref Stage, legacy]", False),
        ("!Equals [legacy, !Ref Stage]", False),
        ("!Not [!Equals [!Ref Stage, legacy]]", True),
        ("!Equals [!Ref Stage, dev]", None),  # allowed: the deployment decides
        ("!Equals [!Ref Open, legacy]", None),  # no constraint
        ("!Equals [!Ref Listed, legacy]", None),  # a list's constraints hold for each item
        ("!Equals [!Ref Stage, !Ref Open]", None),
        ("!Or [!Equals [!Ref Stage, legacy], !Equals [!Ref Open, x]]", None),
        ("!And [!Equals [!Ref Stage, legacy], !Equals [!Ref Open, x]]", False),
    ],
)
def test_what_a_parameters_constraints_decide_of_a_condition(
    condition: str, truth: bool | None
) -> None:
    from rolelint.parsers.cfn_conditions import written_operand
    from rolelint.parsers.cfn_parameters import operand_may_be

    parameters = {
        "Stage": {"Type": "String", "AllowedValues": ["dev", "prod"]},
        "Open": {"Type": "String"},
        "Listed": {"Type": "CommaDelimitedList", "AllowedValues": ["dev", "prod"]},
    }
    conditions = _conditions(f"Conditions:\n  C: {condition}\n")
    assert holds("C", conditions, written_operand, operand_may_be(parameters)) is truth
    assert holds("C", conditions, written_operand) is None  # without them, never decided


NESTED_IF = """\
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
  Tier: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsProduction: !Equals [prod, !Ref Env]
  IsTierProd: !Equals [!Ref Tier, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [IsProd, !If [INNER, !Ref AWS::AccountId, "*"], !Ref AWS::AccountId]
            Action: sts:AssumeRole
      Policies:
        - PolicyName: reads
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !If [IsProd, "arn:aws:s3:::r/*", !If [INNER, "*", "arn:aws:s3:::r/*"]]
"""


@pytest.mark.parametrize("inner", ["IsProd", "IsProduction"])
def test_an_fn_if_nested_in_a_branch_of_its_own_condition_takes_that_branch(
    tmp_path: Path, inner: str
) -> None:
    """Inside the first branch of ``!If [IsProd, ...]`` IsProd holds, so an ``!If [IsProd,
    a, "*"]`` there is always a (and inside the second, always its second branch): the "*"
    no deployment reaches was read, a critical RL101 on the trust and an RL208 on the
    policy.  So too for a condition written as the same Fn::Equals (operands either way);
    one on another condition keeps both branches."""
    text = NESTED_IF.replace("INNER", inner)
    assert findings_of(text, "yaml", tmp_path) == []
    other = NESTED_IF.replace("INNER", "IsTierProd")
    found = findings_of(other, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL101", line_of(other, "AWS: !If")),
        ("RL208", line_of(other, "Resource: !If")),
    ]


def test_a_reference_nested_in_a_branch_of_its_own_condition_is_read_as_that_branch(
    tmp_path: Path,
) -> None:
    """``!If [IsProd, !If [IsProd, !Ref Safe, !Ref Admin], !Ref Safe]``: the Admin policy is
    attached in no deployment, yet its RL201 was charged to the role."""
    text = (
        "Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n"
        "  Safe:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}\n"
        "  Admin:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Action: '*', Resource: '*'}\n"
        "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {Service: ec2.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        "      ManagedPolicyArns:\n"
        "        - !If [IsProd, !If [IsProd, !Ref Safe, !Ref Admin], !Ref Safe]\n"
    )
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.resource, f.role) for f in found] == [("RL201", "Admin", None)]
    assert [p.origin for p in role(parse_text(text), "Role").policies] == [
        "AWS::IAM::ManagedPolicy Safe"
    ]


def test_a_no_value_role_nested_in_a_branch_of_its_own_condition_is_never_left_out(
    tmp_path: Path,
) -> None:
    """A function whose ``Role`` is ``!If [IsProd, !If [IsProd, arn, NoValue], arn]`` always
    has its role: SAM generates none, yet one was modelled with the function's Policies
    (a critical RL201 on a role no deployment creates)."""
    text = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: index.handler\n      CodeUri: .\n"
        "      Role: !If\n        - IsProd\n"
        "        - !If [IsProd, 'arn:aws:iam::111122223333:role/x', !Ref AWS::NoValue]\n"
        "        - 'arn:aws:iam::111122223333:role/x'\n"
        "      Policies: [AdministratorAccess]\n"
    )
    assert findings_of(text, "yaml", tmp_path) == []
    assert not parse_text(text).roles
    # Nested in the other branch, the NoValue is chosen where IsProd does not hold.
    other = text.replace("- !If [IsProd, 'arn", "- 'arn").replace(
        "role/x', !Ref AWS::NoValue]\n        - 'arn:aws:iam::111122223333:role/x'",
        "role/x'\n        - !If [IsProd, 'arn:aws:iam::111122223333:role/x', !Ref AWS::NoValue]",
    )
    assert [(f.rule_id, f.role) for f in findings_of(other, "yaml", tmp_path)] == [
        ("RL201", "FnRole")
    ]


@pytest.mark.parametrize(
    ("name", "given", "given_holds", "truth"),
    [
        ("Prod", "Prod", False, False),
        ("Prod", "NotProd", False, True),
        ("Prod", "NeitherNor", False, None),  # Prod or Other: either
        ("Prod", "ProdAgain", True, True),  # the same test written again
        ("Prod", "ProdAgain", False, False),
        ("Other", "ProdAgain", True, None),
    ],
)
def test_what_one_condition_holding_or_not_says_of_another(
    name: str, given: str, given_holds: bool, truth: bool | None
) -> None:
    conditions = _conditions(IMPLIED + "  ProdAgain: !Equals [prod, !Ref Env]\n")
    assert implied(name, given, conditions, given_holds) is truth


# A role whose name an Fn::If chooses, first named (by its ARN) inside a branch of an Fn::If
# on that condition: by Target's trust policy, before the role itself is read.
CACHED_ROLE_NAME = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Target:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [IsProd, "arn:aws:iam::111122223333:root", !GetAtt Ci.Arn]
            Action: sts:AssumeRole
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]
  Ci:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [IsProd, prod-ci, dev-ci]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
  Runner:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/prod-ci"
            Action: sts:AssumeRole
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]
"""

# A managed policy whose name an Fn::If chooses, first named (by its Ref) inside a branch of
# an Fn::If on that condition; Worker attaches it by its other name, written out.
CACHED_POLICY_NAME = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Attacher:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: attach
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:AttachRolePolicy
                Resource: "*"
                Condition:
                  ArnEquals:
                    iam:PolicyARN:
                      !If [IsProd, !Ref AdminPolicy, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
  AdminPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !If [IsProd, prod-admin, dev-admin]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/dev-admin"
"""


def _moved_last(text: str, resource: str) -> str:
    """``text`` with the resource ``resource`` (written under ``Resources:``, two spaces in)
    moved to the end of the template."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"  {resource}:\n")
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines)
    )
    return "".join(lines[:start] + lines[end:] + lines[start:end])


def _described(found: list[Any]) -> set[tuple[str, str | None, str | None, str]]:
    return {(f.rule_id, f.resource, f.role, f.message) for f in found}


def test_a_role_name_first_read_inside_an_fn_if_branch_keeps_its_other_names(
    tmp_path: Path,
) -> None:
    """A role's ARNs are worked out once, when something first names the role: where that
    was inside a branch of ``!If [IsProd, ...]`` (Target's trust policy), the role's own
    ``RoleName: !If [IsProd, prod-ci, dev-ci]`` was read in that branch only, and Ci had no
    ARN with prod-ci: Runner's trust of prod-ci was not linked to Ci (its RL401 and
    CodeBuild's RL405 were lost), though it was with Target written after Ci."""
    found = findings_of(CACHED_ROLE_NAME, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line, f.role) for f in found] == [
        ("RL102", line_of(CACHED_ROLE_NAME, "AWS: !If"), "Target"),
        ("RL401", line_of(CACHED_ROLE_NAME, "AWS: !If"), "Ci"),
        ("RL201", line_of(CACHED_ROLE_NAME, "ManagedPolicyArns"), "Target"),
        ("RL405", line_of(CACHED_ROLE_NAME, "codebuild.amazonaws.com"), "Ci"),
        ("RL405", line_of(CACHED_ROLE_NAME, "codebuild.amazonaws.com"), "Ci"),
        ("RL401", line_of(CACHED_ROLE_NAME, "role/prod-ci"), "Ci"),
        ("RL201", line_of(CACHED_ROLE_NAME, "ManagedPolicyArns", 2), "Runner"),
    ]
    assert "Ci can assume role Runner" in found[5].message
    reordered = _moved_last(CACHED_ROLE_NAME, "Target")
    assert _described(findings_of(reordered, "yaml", tmp_path)) == _described(found)
    for text in (CACHED_ROLE_NAME, reordered):  # shown with its first branch's name
        arn = role(parse_text(text), "Ci").arn.text
        assert arn is not None and arn.endswith(":role/prod-ci")


def test_a_managed_policy_name_first_read_inside_an_fn_if_branch_keeps_its_other_names(
    tmp_path: Path,
) -> None:
    """The names of a template's managed policies are indexed once, when something first
    asks: where that was a ``!Ref AdminPolicy`` inside a branch of ``!If [IsProd, ...]``,
    only prod-admin was indexed, so Worker's attachment of dev-admin was not linked (Worker
    showed no access at all, "+1 unread policy") and the Ref passed for one certain ARN."""
    found = findings_of(CACHED_POLICY_NAME, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL206", line_of(CACHED_POLICY_NAME, "Action: iam:AttachRolePolicy")),
        ("RL201", line_of(CACHED_POLICY_NAME, 'Action: "*"')),
    ]
    assert [p.origin for p in role(parse_text(CACHED_POLICY_NAME), "Worker").policies] == [
        "AWS::IAM::ManagedPolicy AdminPolicy"
    ]
    reordered = _moved_last(CACHED_POLICY_NAME, "Attacher")
    assert _described(findings_of(reordered, "yaml", tmp_path)) == _described(found)
    path = tmp_path / "template.yaml"
    path.write_text(CACHED_POLICY_NAME, encoding="utf-8")
    result = run_rolelint("roles", str(path), "--format", "json", "--no-cache")
    access = {row["name"]: row["access"] for row in json.loads(result.stdout)["roles"]}
    assert access == {"Attacher": "can escalate", "Worker": "admin"}


def test_what_a_condition_may_meet_holds_whatever_decides_another() -> None:
    """reach lets the naming of conditions skip pairs of which neither meets the other:
    wherever implied says something of one given the other (either way round, either truth),
    the given condition's reach says it may."""
    from rolelint.parsers.cfn_conditions import reach

    conditions = _conditions(
        IMPLIED
        + "  ProdAgain: !Equals [prod, !Ref Env]\n"
        + "  Deep: !Not [!And [!Condition NotProd, !Equals [!Ref Region, eu]]]\n"
        + "  Unrelated: !Equals [!Ref Region, us]\n"
    )
    decided = 0
    for name in conditions:
        for given in conditions:
            for holding in (True, False):
                if implied(name, given, conditions, holding) is not None:
                    decided += 1
                    assert reach(given, conditions).may_decide(reach(name, conditions), name)
    assert decided > len(conditions) * 2  # more than each condition of itself
    assert not reach("Unrelated", conditions).may_decide(reach("Prod", conditions), "Prod")
    assert not reach("Prod", conditions).may_decide(reach("Unrelated", conditions), "Unrelated")


class _ReadForOne:
    """:func:`implied` as it was read before each condition was read once for every question:
    from ``given`` for one ``name``, stopping at the first meeting of it or of its test.  The
    reference :class:`rolelint.parsers.cfn_conditions.Implications` is held to."""

    def __init__(self, name: str, conditions: dict[str, Any]) -> None:
        from rolelint.parsers.cfn_conditions import _equals_operands

        self.name = name
        self.conditions = conditions
        self.followed: set[str] = set()
        written = conditions.get(name)
        self.equals = _equals_operands(written) if isinstance(written, dict) else None

    def decided(self, node: Any, holding: bool) -> bool | None:
        from rolelint.parsers import cfn_conditions

        if not isinstance(node, dict) or len(node) != 1:
            return None
        if self.equals is not None and cfn_conditions._equals_operands(node) == self.equals:
            return holding
        function, argument = next(iter(node.items()))
        if function == "Condition" and isinstance(argument, str):
            if argument == self.name:
                return holding
            if argument in self.followed or len(self.followed) >= cfn_conditions.MAX_CONDITIONS:
                return None
            self.followed.add(argument)
            return self.decided(self.conditions.get(argument), holding)
        if not isinstance(argument, list):
            return None
        if function == "Fn::Not" and len(argument) == 1:
            return self.decided(argument[0], not holding)
        if (function, holding) in (("Fn::And", True), ("Fn::Or", False)):
            return next(
                (t for item in argument if (t := self.decided(item, holding)) is not None), None
            )
        return None


_NAMES = [f"C{n}" for n in range(4)]


def _condition_nodes() -> st.SearchStrategy[Any]:
    """Condition bodies: the functions implied reads, nested, and a few it does not."""
    named = st.builds(lambda name: {"Condition": name}, st.sampled_from([*_NAMES, "Missing"]))
    tested = st.builds(
        lambda text, flipped: {
            "Fn::Equals": [text, {"Ref": "Env"}] if flipped else [{"Ref": "Env"}, text]
        },
        st.sampled_from(["dev", "prod"]),
        st.booleans(),
    )
    odd = st.sampled_from([{}, {"Condition": ["C0"]}, {"Fn::Equals": [{"Ref": "Env"}]}, "text"])
    leaves = st.one_of(named, tested, odd)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda item: {"Fn::Not": [item]}, inner),
            st.builds(lambda items: {"Fn::And": items}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda items: {"Fn::Or": items}, st.lists(inner, min_size=1, max_size=3)),
        ),
        max_leaves=6,
    )


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    conditions=st.fixed_dictionaries({name: _condition_nodes() for name in _NAMES}),
    budget=st.sampled_from([1, 2, 3, 50]),
)
def test_one_reading_of_a_condition_answers_as_a_reading_for_each_name(
    conditions: dict[str, Any], budget: int
) -> None:
    """Implications reads each given condition once for every name asked of it; what it says
    of each name, for each truth of the given one, is what reading for that name alone says
    (the reading before), within any budget of conditions followed."""
    from rolelint.parsers import cfn_conditions

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cfn_conditions, "MAX_CONDITIONS", budget)
        implications = cfn_conditions.Implications(conditions)
        for name in [*_NAMES, "Missing"]:
            for other in [*_NAMES, "Missing"]:
                for holding in (True, False):
                    expected = _ReadForOne(name, conditions).decided({"Condition": other}, holding)
                    assert implications.implied(name, other, holding) is expected
                    assert implied(name, other, conditions, holding) is expected


class _CountingConditions(dict[str, Any]):
    """A template's Conditions that count how many times a condition is looked up."""

    looked_up = 0

    def get(self, key: Any, default: Any = None) -> Any:
        self.looked_up += 1
        return super().get(key, default)


def test_naming_a_chain_of_conditions_reads_each_condition_a_few_times() -> None:
    """Each condition an Fn::If names is compared with up to 50 earlier ones, four questions a
    pair, and each question read the given condition anew: 500 conditions each naming the one
    before (``Ki: !Or [!Condition K(i-1), ...]``) read 5 million nodes (6.8 s).  Each is now
    read once for each truth."""
    from rolelint.parsers import cfn_conditions
    from rolelint.parsers.cfn_intrinsics import Resolver, TemplateContext

    count = 120
    written: dict[str, Any] = {"K0": {"Fn::Equals": [{"Ref": "Env"}, "x"]}}
    for n in range(1, count):
        written[f"K{n}"] = {
            "Fn::Or": [{"Condition": f"K{n - 1}"}, {"Fn::Equals": [{"Ref": "Env"}, f"x{n}"]}]
        }
    written["NotK7"] = {"Fn::Not": [{"Condition": "K7"}]}
    written["K0Again"] = {"Fn::Equals": ["x", {"Ref": "Env"}]}
    conditions = _CountingConditions(written)
    context = TemplateContext({}, {}, frozenset(), lambda _: None, conditions=conditions)
    resolver = Resolver("t.json", context)
    keys = {name: resolver.condition_key(name) for name in written}
    assert keys["NotK7"] == (("t.json", "K7"), False)
    assert keys["K0Again"] == (("t.json", "K0"), True)
    assert keys["K9"] == (("t.json", "K9"), True)
    # Each condition read at most twice as the given one and once for what it may meet
    # (cfn_conditions.reach), each reading following MAX_CONDITIONS conditions at most.
    assert conditions.looked_up <= 3 * len(written) * (cfn_conditions.MAX_CONDITIONS + 2)
