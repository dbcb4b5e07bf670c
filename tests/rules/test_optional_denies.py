"""A Deny some deployments leave out protects nothing in those deployments.

``Statement: [Allow *, !If [Strict, Deny ..., !Ref AWS::NoValue]]`` grants everything wherever
Strict is false; so does a guard policy chosen by ``Fn::If``, created under a resource
``Condition``, or written with a Terraform ``count`` not known before apply.  Each was taken as
always deployed, hiding the Allow it does not always limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths

HEAD = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  Strict: !Equals [!Ref Env, prod]
Resources:
"""

OPEN_TRUST = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: "*"}}
            Action: sts:AssumeRole
          - !If
            - Strict
            - Effect: Deny
              Principal: {{AWS: "*"}}
              Action: sts:AssumeRole
              Condition: {{StringNotEquals: {{aws:PrincipalOrgID: o-a1b2c3d4e5}}}}
            - !Ref AWS::NoValue
"""

SERVICE_TRUST = """\
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
"""

ADMIN_GUARDED_BY_STATEMENT = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: "*", Resource: "*"}}
              - !If [Strict, {{Effect: Deny, Action: "*", Resource: "*"}}, !Ref AWS::NoValue]
"""

ADMIN = """\
        - PolicyName: admin
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
"""

GUARD = """\
            PolicyName: guard
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - {Effect: Deny, Action: "*", Resource: "*"}
"""


# A role with a service trust and an inline policy allowing everything: what a guard limits.
ADMIN_ROLE = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      Policies:
{ADMIN}\
"""


def _line(text: str, needle: str, nth: int = 1) -> int:
    """The line of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def _findings(tmp_path: Path, text: str, name: str = "t.yaml") -> list[tuple[str, int]]:
    (tmp_path / name).write_text(text)
    report = lint_paths([str(tmp_path / name)])
    assert report.errors == []
    return [(f.rule_id, f.location.line) for f in report.findings]


def test_an_optional_trust_deny_does_not_protect_the_open_allow(tmp_path: Path) -> None:
    assert _findings(tmp_path, OPEN_TRUST) == [("RL101", _line(OPEN_TRUST, "Principal"))]
    # The same Deny in every deployment limits callers to the organization.
    always = OPEN_TRUST.replace(
        "          - !If\n            - Strict\n            - Effect: Deny",
        "          - Effect: Deny",
    )
    always = always.replace("            - !Ref AWS::NoValue\n", "").replace(
        "\n              ", "\n            "
    )
    assert "!If" not in always and '            Principal: {AWS: "*"}\n            Action' in always
    assert _findings(tmp_path, always) == []


def test_a_deny_of_one_branch_of_the_statement_list_protects_only_that_branch(
    tmp_path: Path,
) -> None:
    """``Statement: !If [Strict, [Allow *, Deny], [Allow *]]``: the second list is open."""
    text = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: !If
          - Strict
          - - {{Effect: Allow, Principal: {{AWS: "*"}}, Action: sts:AssumeRole}}
            - Effect: Deny
              Principal: {{AWS: "*"}}
              Action: sts:AssumeRole
              Condition: {{StringNotEquals: {{aws:PrincipalOrgID: o-a1b2c3d4e5}}}}
          - - {{Effect: Allow, Principal: {{AWS: "*"}}, Action: sts:AssumeRole}}
"""
    assert _findings(tmp_path, text) == [("RL101", _line(text, "- - {Effect: Allow", 2))]


def test_an_optional_permission_deny_does_not_take_away_the_grant(tmp_path: Path) -> None:
    expected = _line(ADMIN_GUARDED_BY_STATEMENT, "{Effect: Allow, Action")
    assert _findings(tmp_path, ADMIN_GUARDED_BY_STATEMENT) == [("RL201", expected)]
    always = ADMIN_GUARDED_BY_STATEMENT.replace(
        '!If [Strict, {Effect: Deny, Action: "*", Resource: "*"}, !Ref AWS::NoValue]',
        '{Effect: Deny, Action: "*", Resource: "*"}',
    )
    assert "!If" not in always
    assert _findings(tmp_path, always) == []


def test_a_guard_policy_chosen_by_fn_if_does_not_limit_the_others(tmp_path: Path) -> None:
    text = f"""\
{ADMIN_ROLE}\
        - !If
          - Strict
          - {GUARD.lstrip()}\
          - !Ref AWS::NoValue
"""
    assert _findings(tmp_path, text) == [("RL201", _line(text, "{Effect: Allow, Action"))]
    guard_always = "        - " + GUARD.lstrip().replace("\n            ", "\n          ")
    always = text[: text.index("        - !If")] + guard_always
    assert "!If" not in always
    assert _findings(tmp_path, always) == []


def test_a_guard_policy_under_a_resource_condition_does_not_limit_the_role(
    tmp_path: Path,
) -> None:
    guard = GUARD.replace("            ", "      ")
    text = f"""\
{ADMIN_ROLE}\
  Guard:
    Type: AWS::IAM::RolePolicy
    Condition: Strict
    Properties:
      RoleName: !Ref R
{guard}\
"""
    assert _findings(tmp_path, text) == [("RL201", _line(text, "{Effect: Allow, Action"))]
    assert _findings(tmp_path, text.replace("    Condition: Strict\n", "")) == []


TERRAFORM_GUARD = """\
variable "strict" {
  type = bool
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "admin" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "guard" {
  count = var.strict ? 1 : 0
  role  = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}
"""


def test_a_terraform_guard_whose_count_is_not_known_does_not_limit_the_role(
    tmp_path: Path,
) -> None:
    expected = _line(TERRAFORM_GUARD, 'Effect = "Allow", Action')
    assert _findings(tmp_path, TERRAFORM_GUARD, "main.tf") == [("RL201", expected)]
    known = TERRAFORM_GUARD.replace("count = var.strict ? 1 : 0", "count = 1")
    assert _findings(tmp_path, known, "main.tf") == []


def test_an_optional_deny_naming_the_caller_does_not_block_the_hop(tmp_path: Path) -> None:
    text = f"""\
{HEAD}\
  Caller:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Admin.Arn}}
  Admin:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{AWS: !GetAtt Caller.Arn}}, Action: sts:AssumeRole}}
          - !If
            - Strict
            - {{Effect: Deny, Principal: {{AWS: !GetAtt Caller.Arn}}, Action: sts:AssumeRole}}
            - !Ref AWS::NoValue
"""
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [f.resource for f in report.findings if f.rule_id == "RL401"] == ["Caller"]
    always = text.replace(
        "          - !If\n            - Strict\n            - {Effect: Deny",
        "          - {Effect: Deny",
    ).replace("            - !Ref AWS::NoValue\n", "")
    assert "!If" not in always
    (tmp_path / "t.yaml").write_text(always)
    assert [
        f for f in lint_paths([str(tmp_path / "t.yaml")]).findings if f.rule_id == "RL401"
    ] == []


GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"


def test_a_deny_pinning_the_subject_in_another_branch_leaves_rl103(tmp_path: Path) -> None:
    """Hunt: the Deny refusing other repositories is written in the other branch of the
    Fn::If that chooses the trust policy, so the first branch trusts every repository."""
    text = f"""\
Conditions:
  Prod: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !If
        - Prod
        - Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{Federated: "{GITHUB}"}}
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals: {{"token.actions.githubusercontent.com:aud": sts.amazonaws.com}}
        - Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{Federated: "{GITHUB}"}}
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals: {{"token.actions.githubusercontent.com:aud": sts.amazonaws.com}}
            - Effect: Deny
              Principal: "*"
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringNotLike: {{"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}
"""
    assert _findings(tmp_path, text) == [("RL103", _line(text, "Federated"))]
    # With the Deny in both branches, both are pinned to one repository.
    deny = text[text.index("            - Effect: Deny") :]
    second = text.index("        - Version", text.index("        - Version") + 1)
    both = text[:second] + deny + text[second:]
    assert both.count("Effect: Deny") == 2
    assert _findings(tmp_path, both) == []


# The guard's document, as an Fn::If branch beside AWS::NoValue.
GUARD_DOCUMENT_IF = """\
!If
  - Strict
  - Version: "2012-10-17"
    Statement:
      - {Effect: Deny, Action: "*", Resource: "*"}
  - !Ref AWS::NoValue
"""

GUARD_DOCUMENT = """\
Version: "2012-10-17"
Statement:
  - {Effect: Deny, Action: "*", Resource: "*"}
"""


def _indented(text: str, spaces: int) -> str:
    """``text`` after a key, its other lines indented by ``spaces``."""
    return text.rstrip("\n").replace("\n", "\n" + " " * spaces) + "\n"


@pytest.mark.parametrize(
    ("kind", "trust"),
    [("AWS::IAM::Role", SERVICE_TRUST), ("AWS::IAM::User", ""), ("AWS::IAM::Group", "")],
)
def test_a_guard_document_an_fn_if_branch_leaves_out_does_not_limit_the_others(
    tmp_path: Path, kind: str, trust: str
) -> None:
    """``PolicyDocument: !If [Strict, {Deny *}, !Ref AWS::NoValue]``: the builder reads the
    one branch that writes a document, but the deployments without Strict have none of it,
    so the Deny limits nothing the role, user or group is given beside it."""
    text = f"""\
{HEAD}\
  R:
    Type: {kind}
    Properties:
{trust}\
      Policies:
{ADMIN}\
        - PolicyName: guard
          PolicyDocument: {_indented(GUARD_DOCUMENT_IF, 12)}\
"""
    assert _findings(tmp_path, text) == [("RL201", _line(text, "{Effect: Allow, Action"))]
    always = text.replace(
        _indented(GUARD_DOCUMENT_IF, 12), "\n            " + _indented(GUARD_DOCUMENT, 12)
    )
    assert "!If" not in always
    assert _findings(tmp_path, always) == []


@pytest.mark.parametrize(
    ("kind", "attaches"),
    [
        ("AWS::IAM::Policy", "PolicyName: guard\n      Roles: [!Ref R]"),
        ("AWS::IAM::ManagedPolicy", "Roles: [!Ref R]"),
        ("AWS::IAM::RolePolicy", "PolicyName: guard\n      RoleName: !Ref R"),
    ],
)
def test_a_policy_resource_whose_document_an_fn_if_branch_leaves_out_does_not_limit_the_role(
    tmp_path: Path, kind: str, attaches: str
) -> None:
    text = f"""\
{ADMIN_ROLE}\
  Guard:
    Type: {kind}
    Properties:
      {attaches}
      PolicyDocument: {_indented(GUARD_DOCUMENT_IF, 8)}\
"""
    assert _findings(tmp_path, text) == [("RL201", _line(text, "{Effect: Allow, Action"))]
    always = text.replace(
        _indented(GUARD_DOCUMENT_IF, 8), "\n        " + _indented(GUARD_DOCUMENT, 8)
    )
    assert "!If" not in always
    assert _findings(tmp_path, always) == []


TERRAFORM_CHOSEN_GUARD = """\
variable "strict" {
  type = bool
}

resource "aws_iam_policy" "guard" {
  name = "guard"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  ATTACHED
}

resource "aws_iam_role_policy" "admin" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"""

OTHER_POLICY = "arn:aws:iam::111122223333:policy/other"

CHOSEN_ATTACHMENT = """\
}

resource "aws_iam_role_policy_attachment" "guard" {
  role       = aws_iam_role.app.name
  policy_arn = ARN"""


@pytest.mark.parametrize(
    ("chosen", "always"),
    [
        (
            "managed_policy_arns = var.strict ? [aws_iam_policy.guard.arn] : []",
            "managed_policy_arns = [aws_iam_policy.guard.arn]",
        ),
        (
            CHOSEN_ATTACHMENT.replace(
                "ARN", f'var.strict ? aws_iam_policy.guard.arn : "{OTHER_POLICY}"'
            ),
            CHOSEN_ATTACHMENT.replace("ARN", "aws_iam_policy.guard.arn"),
        ),
    ],
)
def test_a_terraform_guard_a_conditional_arn_chooses_does_not_limit_the_role(
    tmp_path: Path, chosen: str, always: str
) -> None:
    """``var.strict ? [guard] : []``: the module's own policy so chosen was held as attached
    in every deployment, its Deny taking away what the role's other policies allow."""
    text = TERRAFORM_CHOSEN_GUARD.replace("ATTACHED", chosen)
    expected = _line(text, 'Effect = "Allow", Action')
    assert _findings(tmp_path, text, "main.tf") == [("RL201", expected)]
    known = TERRAFORM_CHOSEN_GUARD.replace("ATTACHED", always)
    assert _findings(tmp_path, known, "main.tf") == []


# A guard chosen by the same condition, and branch, as the grant it limits: every deployment
# with the grant has the guard.
TF_ROLE_OF = """\
variable "prod" {
  type = bool
}

variable "other" {
  type = bool
}

resource "aws_iam_policy" "guard" {
  name   = "guard"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "guard2" {
  name   = "guard2"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ARNS
}
"""

ADMIN_ARN = '"arn:aws:iam::aws:policy/AdministratorAccess"'


def _rules(tmp_path: Path, text: str, name: str) -> list[str]:
    return sorted(rule for rule, _ in _findings(tmp_path, text, name))


@pytest.mark.parametrize(
    ("arns", "attachment"),
    [
        # The hunter's input: both in the one branch of one conditional.
        (f"var.prod ? [{ADMIN_ARN}, aws_iam_policy.guard.arn] : []", ""),
        # Two conditionals on the same condition take the same branch.
        (
            f"concat(var.prod ? [{ADMIN_ARN}] : [], var.prod ? [aws_iam_policy.guard.arn] : [])",
            "",
        ),
        # Either guard, each denying iam:*, beside a grant every deployment has.
        (
            f"[{ADMIN_ARN}]",
            'resource "aws_iam_role_policy_attachment" "g" {\n'
            "  role       = aws_iam_role.r.name\n"
            "  policy_arn = var.prod ? aws_iam_policy.guard.arn : aws_iam_policy.guard2.arn\n"
            "}\n",
        ),
    ],
)
def test_a_terraform_guard_deployed_wherever_the_grant_is_limits_it(
    tmp_path: Path, arns: str, attachment: str
) -> None:
    """Each deployment with AdministratorAccess has a Deny of iam:* too: what is left is every
    action but IAM's (RL202 and its kin), as with both always attached, not RL201."""
    text = TF_ROLE_OF.replace("ARNS", arns) + attachment
    always = TF_ROLE_OF.replace("ARNS", f"[{ADMIN_ARN}, aws_iam_policy.guard.arn]")
    found = _rules(tmp_path, text, "main.tf")
    assert "RL201" not in found
    assert found == _rules(tmp_path, always, "main.tf")


@pytest.mark.parametrize(
    "arns",
    [
        # The guard in the other branch, or under another condition: some deployment has
        # AdministratorAccess alone.
        f"var.prod ? [{ADMIN_ARN}] : [aws_iam_policy.guard.arn]",
        f"var.prod ? [{ADMIN_ARN}] : [aws_iam_policy.guard.arn, {ADMIN_ARN}]",
        f"concat(var.prod ? [{ADMIN_ARN}] : [], var.other ? [aws_iam_policy.guard.arn] : [])",
        f"var.prod ? (var.other ? [{ADMIN_ARN}, aws_iam_policy.guard.arn] : [{ADMIN_ARN}]) : []",
        f"concat([{ADMIN_ARN}], var.prod ? [aws_iam_policy.guard.arn] : [])",
    ],
)
def test_a_terraform_guard_some_deployments_of_the_grant_lack_does_not_limit_it(
    tmp_path: Path, arns: str
) -> None:
    text = TF_ROLE_OF.replace("ARNS", arns)
    assert [rule for rule, _ in _findings(tmp_path, text, "main.tf")] == ["RL201"]


CFN_SAME_CONDITION = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      ManagedPolicyArns:
        !If [Strict, [arn:aws:iam::aws:policy/AdministratorAccess], !Ref AWS::NoValue]
      Policies:
        - PolicyName: g
          PolicyDocument: !If
            - GUARDED
            - Version: "2012-10-17"
              Statement:
                - {{Effect: Deny, Action: "iam:*", Resource: "*"}}
            - !Ref AWS::NoValue
"""


def test_a_cfn_guard_document_on_the_grant_s_condition_limits_it(tmp_path: Path) -> None:
    """``ManagedPolicyArns: !If [Strict, [AdministratorAccess], NoValue]`` beside a guard whose
    ``PolicyDocument: !If [Strict, {Deny iam:*}, NoValue]``: wherever the role has
    AdministratorAccess it has the guard.  Under the negation of Strict it does not."""
    text = CFN_SAME_CONDITION.replace("GUARDED", "Strict")
    found = _rules(tmp_path, text, "t.yaml")
    assert "RL201" not in found
    assert "RL202" in found
    lax = CFN_SAME_CONDITION.replace(
        "Strict: !Equals", "Lax: !Not [!Condition Strict]\n  Strict: !Equals"
    )
    lax = lax.replace("GUARDED", "Lax")
    assert [rule for rule, _ in _findings(tmp_path, lax, "t.yaml")] == ["RL201"]


CFN_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _if(condition: str, value: str) -> str:
    """``value`` where ``condition`` holds, nothing elsewhere."""
    return f"!If [{condition}, {value}, !Ref AWS::NoValue]"


GUARD_POLICY = """\
  Guard:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: guard
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Deny, Action: "iam:*", Resource: "*"}
"""

CFN_ROLE = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      ManagedPolicyArns: ARNS
{GUARD_POLICY}"""


GUARD_ARN = '!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/guard"'


@pytest.mark.parametrize(
    ("arns", "limited"),
    [
        # Both in the one branch: every deployment with AdministratorAccess has the guard.
        (f"!If [Strict, [{CFN_ADMIN}, !Ref Guard], !Ref AWS::NoValue]", True),
        (f"[{_if('Strict', CFN_ADMIN)}, {_if('Strict', '!Ref Guard')}]", True),
        # Named by its ARN rather than referred to.
        (f"!If [Strict, [{CFN_ADMIN}, {GUARD_ARN}], !Ref AWS::NoValue]", True),
        # The guard in the other branch, under the negation, or with the grant unconditional.
        (f"!If [Strict, [{CFN_ADMIN}], [!Ref Guard]]", False),
        (f"[{_if('Strict', CFN_ADMIN)}, {_if('Lax', '!Ref Guard')}]", False),
        (f"[{CFN_ADMIN}, {_if('Strict', '!Ref Guard')}]", False),
    ],
)
def test_a_cfn_managed_guard_a_branch_attaches_limits_the_grant_of_that_branch(
    tmp_path: Path, arns: str, limited: bool
) -> None:
    """The template's own guard (Deny iam:*) chosen by ``Fn::If`` in ManagedPolicyArns limits
    AdministratorAccess where the same branch attaches both (RL202 "except iam:*", as with both
    always attached), and nowhere a deployment has AdministratorAccess without it."""
    text = CFN_ROLE.replace("ARNS", arns).replace(
        "Strict: !Equals", "Lax: !Not [!Condition Strict]\n  Strict: !Equals"
    )
    always = CFN_ROLE.replace("ARNS", f"[{CFN_ADMIN}, !Ref Guard]")
    found = _rules(tmp_path, text, "t.yaml")
    if limited:
        assert "RL201" not in found
        assert found == _rules(tmp_path, always, "t.yaml")
    else:
        assert found == ["RL201"]


CFN_INLINE_GUARD = f"""\
{HEAD}\
  R:
    Type: AWS::IAM::Role
    Properties:
{SERVICE_TRUST}\
      ManagedPolicyArns: ADMIN
      Policies: POLICIES
"""

INLINE_GUARD = (
    '{PolicyName: g, PolicyDocument: {Version: "2012-10-17",'
    ' Statement: [{Effect: Deny, Action: "iam:*", Resource: "*"}]}}'
)
CHOSEN_ADMIN = _if("Strict", f"[{CFN_ADMIN}]")


@pytest.mark.parametrize(
    ("admin", "policies", "limited"),
    [
        # The whole Policies list, or an entry of it, chosen by the grant's branch.
        (CHOSEN_ADMIN, _if("Strict", f"[{INLINE_GUARD}]"), True),
        (CHOSEN_ADMIN, f"[{_if('Strict', INLINE_GUARD)}]", True),
        # The guard under the negation, under another condition, or the grant unconditional.
        (CHOSEN_ADMIN, _if("Lax", f"[{INLINE_GUARD}]"), False),
        (CHOSEN_ADMIN, f"[{_if('Other', INLINE_GUARD)}]", False),
        (f"[{CFN_ADMIN}]", _if("Strict", f"[{INLINE_GUARD}]"), False),
    ],
)
def test_a_cfn_inline_guard_a_branch_holds_limits_the_grant_of_that_branch(
    tmp_path: Path, admin: str, policies: str, limited: bool
) -> None:
    """An inline guard (Deny iam:*) a ``Policies`` list or entry holds only where the grant's
    branch holds limits AdministratorAccess there; under another branch or condition, or
    beside an unconditional grant, it limits nothing."""
    head = HEAD.replace(
        "Strict: !Equals",
        "Lax: !Not [!Condition Strict]\n  Other: !Equals [!Ref Env, dev]\n  Strict: !Equals",
    )
    role = CFN_INLINE_GUARD.replace(HEAD, head)
    text = role.replace("ADMIN", admin).replace("POLICIES", policies)
    always = role.replace("ADMIN", f"[{CFN_ADMIN}]").replace("POLICIES", f"[{INLINE_GUARD}]")
    found = _rules(tmp_path, text, "t.yaml")
    if limited:
        assert "RL201" not in found
        assert found == _rules(tmp_path, always, "t.yaml")
    else:
        assert found == ["RL201"]
