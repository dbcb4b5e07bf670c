"""RL206 on iam:PassRole on a named admin role: which instance profile an ``ec2:InstanceProfile``
test names, and what a negated or Null test of what a launch passes (``cloudformation:RoleArn``,
``ec2:InstanceProfile``), or a Deny under one, lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.model import (
    generated_name,
    stand_ins_in_words,
    unresolved_name,
    unresolved_path,
)
from tests.rules.harness import line_of
from tests.rules.test_escalation import _launch_under, escalations, passing

_PROFILE = """\
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:{name}{path}
      Roles: [!Ref DeployRole]
"""


def _in_profile(launch_condition: str, name: str = "admin-profile", path: str = "") -> str:
    """:func:`passing` with an EC2 deploy role held by instance profile ``Profile`` (named
    ``name``, none: generated; at ``path``) and ec2:RunInstances under ``launch_condition``."""
    named = f"\n      InstanceProfileName: {name}" if name else ""
    at = f"\n      Path: {path}" if path else ""
    return passing(
        "!GetAtt DeployRole.Arn",
        launch="ec2:RunInstances",
        service="ec2.amazonaws.com",
        launch_condition=launch_condition,
        extra=_PROFILE.format(name=named, path=at),
    )


def _profile_test(value: str, operator: str = "ArnEquals") -> str:
    return _launch_under(operator, "ec2:InstanceProfile", value)


_PROFILE_ARN = "!Sub arn:aws:iam::${AWS::AccountId}:instance-profile/"


@pytest.mark.parametrize(
    ("name", "path", "value", "reported"),
    [
        # The profile's InstanceProfileName is what IAM names it by, not its logical id.
        ("admin-profile", "", f"{_PROFILE_ARN}admin-profile", True),
        ("admin-profile", "", f"{_PROFILE_ARN}Profile", False),
        ("admin-profile", "", "!GetAtt Profile.Arn", True),
        # A profile at a path is named with it.
        ("admin-profile", "/app/", f"{_PROFILE_ARN}app/admin-profile", True),
        ("admin-profile", "/app/", f"{_PROFILE_ARN}admin-profile", False),
        ("admin-profile", "/app/", "!GetAtt Profile.Arn", True),
        ("admin-profile", "/app/", f"{_PROFILE_ARN}app/*", True),
        # A name CloudFormation generates is none a literal holds; a reference names it.
        ("", "", f"{_PROFILE_ARN}Profile", False),
        ("", "", "!GetAtt Profile.Arn", True),
        ("", "", f"{_PROFILE_ARN}*", True),
    ],
)
def test_an_instance_profile_is_named_by_its_real_name_and_path(
    tmp_path: Path, name: str, path: str, value: str, reported: bool
) -> None:
    """ec2:RunInstances under ``ec2:InstanceProfile`` passes the role of the profile the test
    names, compared as IAM compares the profile's ARN: its path and InstanceProfileName.  The
    logical id was taken for its name at path ``/``: the real ARN named nothing (no finding),
    and ``instance-profile/Profile`` named it (a finding)."""
    code = _in_profile(_profile_test(value), name, path)
    found = escalations(tmp_path, code)
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert "pass role DeployRole (administrator access) to a new EC2 instance" in message


_BY_REF = _PROFILE_ARN + "${Profile}"
_JOINED = '!Join ["", ["arn:aws:iam::", !Ref AWS::AccountId, ":instance-profile/", !Ref Profile]]'


@pytest.mark.parametrize(
    ("name", "path", "value", "reported"),
    [
        # Its Ref is its InstanceProfileName ...
        ("admin-profile", "", _BY_REF, True),
        ("admin-profile", "", _JOINED, True),
        # ... or the name CloudFormation generates, or the one whoever deploys passes.
        ("", "", _BY_REF, True),
        ("", "", _JOINED, True),
        ("!Ref ProfileName", "", _BY_REF, True),
        # The name alone, without the profile's path: another ARN.
        ("admin-profile", "/app/", _BY_REF, False),
        ("admin-profile", "/app/", _PROFILE_ARN + "app/${Profile}", True),
    ],
)
def test_an_instance_profile_is_named_by_its_ref(
    tmp_path: Path, name: str, path: str, value: str, reported: bool
) -> None:
    """``Ref`` of an AWS::IAM::InstanceProfile returns its name, so ``!Sub
    ...:instance-profile/${Profile}`` is the profile's ARN (at path ``/``), as ``!GetAtt
    Profile.Arn`` is: it was not resolved, so the test named nothing and no role was passed."""
    code = "Parameters:\n  ProfileName: {Type: String}\n" + _in_profile(
        _profile_test(value), name, path
    )
    found = escalations(tmp_path, code)
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert "pass role DeployRole (administrator access) to a new EC2 instance" in message


_WEB_PROFILE = """\
  WebProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [web]
"""


@pytest.mark.parametrize(
    ("condition", "reported"),
    [
        pytest.param(_profile_test(_BY_REF, "ArnNotEquals"), False, id="not its own"),
        pytest.param(
            _profile_test(_PROFILE_ARN + "${WebProfile}", "ArnNotEquals"), True, id="not web"
        ),
        pytest.param(_profile_test(_PROFILE_ARN + "${WebProfile}"), False, id="web"),
    ],
)
def test_another_instance_profile_named_by_its_ref_is_not_the_admin_role_s(
    tmp_path: Path, condition: str, reported: bool
) -> None:
    """ec2:RunInstances with any profile but WebProfile (named by its Ref) may launch the
    admin role's: the Ref was not known, a value that may name any profile, and RL206 was
    silent."""
    found = escalations(tmp_path, _in_profile(condition) + _WEB_PROFILE)
    assert len(found) == int(reported)


_TF_PROFILE = """\
variable "account" {}
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_instance_profile" "deploy" {
  name = "admin-profile"
  path = "/app/"
  role = aws_iam_role.deploy.name
}
data "aws_caller_identity" "me" {}
resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "ci" {
  role   = aws_iam_role.ci.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole",
      Resource = aws_iam_role.deploy.arn },
    { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*",
      Condition = { ArnEquals = { "ec2:InstanceProfile" = PROFILE } } },
  ] })
}
"""
_TF_ARN = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:instance-profile/"


@pytest.mark.parametrize(
    ("profile", "reported"),
    [
        ("aws_iam_instance_profile.deploy.arn", True),
        (f'"{_TF_ARN}app/admin-profile"', True),
        (f'"{_TF_ARN}admin-profile"', False),
    ],
)
def test_a_terraform_instance_profile_is_named_with_its_path(
    tmp_path: Path, profile: str, reported: bool
) -> None:
    """A profile with ``path = "/app/"`` is ``instance-profile/app/admin-profile``: its
    ``.arn`` and that ARN passed nothing, and ``instance-profile/admin-profile`` passed it."""
    code = _TF_PROFILE.replace("PROFILE", profile)
    found = escalations(tmp_path, code, "tf")
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, "Resource = aws_iam_role.deploy.arn")
    assert "pass role aws_iam_role.deploy (administrator access) to a new EC2 instance" in message


_DEPLOY = "!GetAtt DeployRole.Arn"
_OTHER_ROLE = "!Sub arn:aws:iam::${AWS::AccountId}:role/deployer"


def _deny_launch_unless(operator: str, value: str, key: str = "cloudformation:RoleArn") -> str:
    """A Deny of the launch on every resource under one test, beside :func:`passing`'s."""
    return (
        "              - Effect: Deny\n"
        "                Action: cloudformation:CreateStack\n"
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  {operator}:\n"
        f"                    {key}: {value}\n"
    )


def _pipeline(operator: str = "", value: str = "", deny: str = "") -> str:
    """:func:`passing` with the launch under ``operator`` on ``cloudformation:RoleArn`` (none
    when empty), and ``deny`` after it in the same policy."""
    launch = _launch_under(operator, "cloudformation:RoleArn", value) if operator else ""
    code = passing(_DEPLOY, launch_condition=launch)
    return code.rstrip("\n") + "\n" + deny if deny else code


_DEP_STAR = "!Sub arn:aws:iam::${AWS::AccountId}:role/dep*"


@pytest.mark.parametrize(
    ("code", "reported"),
    [
        # The launch is allowed only when the request passes any role but the deploy role.
        pytest.param(_pipeline("ArnNotEquals", _DEPLOY), False, id="ArnNotEquals deploy"),
        pytest.param(_pipeline("StringNotLike", _DEPLOY), False, id="StringNotLike deploy"),
        pytest.param(_pipeline("ArnNotLike", _DEP_STAR), False, id="ArnNotLike dep*"),
        # ... or passing any role but another one: the deploy role too.
        pytest.param(_pipeline("ArnNotEquals", _OTHER_ROLE), True, id="ArnNotEquals other"),
        # A value not known may be the deploy role.
        pytest.param(_pipeline("ArnNotEquals", "!Ref Other"), False, id="ArnNotEquals unknown"),
        # Only requests that pass no role: the stack runs with the caller's own credentials.
        pytest.param(_pipeline('"Null"', '"true"'), False, id="Null true"),
        pytest.param(_pipeline('"Null"', '"false"'), True, id="Null false"),
        pytest.param(_pipeline('"Null"', "!Ref Other"), False, id="Null unknown"),
        # IAM rejects NullIfExists (RL607): no Null test, and the launch grants nothing.
        pytest.param(_pipeline('"NullIfExists"', '"false"'), False, id="NullIfExists false"),
        # A Deny of every request but those passing another role, or the deploy role.
        pytest.param(
            _pipeline(deny=_deny_launch_unless("ArnNotEquals", _OTHER_ROLE)),
            False,
            id="Deny unless other",
        ),
        pytest.param(
            _pipeline(deny=_deny_launch_unless("ArnNotEquals", _DEPLOY)),
            True,
            id="Deny unless deploy",
        ),
    ],
)
def test_a_negated_or_null_test_of_what_a_launch_passes_is_judged(
    tmp_path: Path, code: str, reported: bool
) -> None:
    """A launch allowed only where ``cloudformation:RoleArn`` is not the deploy role, only
    where the request passes no role (``Null: true``), or beside a Deny of every request but
    those passing another role, cannot pass the deploy role: each was a HIGH RL206."""
    code = "Parameters:\n  Other: {Type: String}\n" + code
    found = escalations(tmp_path, code)
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, f"Resource: {_DEPLOY}")
    assert "pass role DeployRole (administrator access) to a CloudFormation stack" in message


@pytest.mark.parametrize(
    ("condition", "reported"),
    [
        pytest.param(
            _profile_test("!GetAtt Profile.Arn", "ArnNotEquals"), False, id="ArnNotEquals its own"
        ),
        pytest.param(_profile_test(f"{_PROFILE_ARN}web", "ArnNotEquals"), True, id="another"),
        pytest.param(_launch_under('"Null"', "ec2:InstanceProfile", '"true"'), False, id="Null"),
    ],
)
def test_a_negated_or_null_test_of_the_instance_profile_is_judged(
    tmp_path: Path, condition: str, reported: bool
) -> None:
    """ec2:RunInstances allowed only with any profile but the admin role's, or with none at
    all, cannot pass that role: each was a HIGH RL206."""
    found = escalations(tmp_path, _in_profile(condition))
    assert len(found) == int(reported)


_DEPLOY_UPPER = "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/DEPLOY"
_PROFILE_UPPER = f"{_PROFILE_ARN}ADMIN-PROFILE"


@pytest.mark.parametrize(
    ("code", "reported"),
    [
        # The request passes role 'deploy', which 'role/DEPLOY' names in any case.
        pytest.param(_pipeline("StringEqualsIgnoreCase", _DEPLOY_UPPER), True, id="IgnoreCase"),
        pytest.param(
            _pipeline("StringEqualsIgnoreCaseIfExists", _DEPLOY_UPPER), True, id="IfExists"
        ),
        pytest.param(
            _pipeline("ForAnyValue:StringEqualsIgnoreCase", _DEPLOY_UPPER), True, id="ForAnyValue"
        ),
        # ... and which the negation excludes.
        pytest.param(_pipeline("StringNotEqualsIgnoreCase", _DEPLOY_UPPER), False, id="Not"),
        pytest.param(
            _pipeline("StringNotEqualsIgnoreCaseIfExists", _DEPLOY_UPPER), False, id="NotIfExists"
        ),
        # A Deny of every request but those passing 'DEPLOY', in any case, lets the deploy
        # role through.
        pytest.param(
            _pipeline(deny=_deny_launch_unless("StringNotEqualsIgnoreCase", _DEPLOY_UPPER)),
            True,
            id="Deny unless",
        ),
        # StringEquals compares exactly: 'role/DEPLOY' is another role.
        pytest.param(_pipeline("StringEquals", _DEPLOY_UPPER), False, id="StringEquals"),
        pytest.param(_pipeline("StringNotEquals", _DEPLOY_UPPER), True, id="StringNotEquals"),
        # Under IgnoreCase a '*' is a character, as under StringEquals.
        pytest.param(_pipeline("StringEqualsIgnoreCase", _DEP_STAR), False, id="literal star"),
        # A test that compares no text fails: the role's ARN is no value of a Bool or Numeric
        # test (each was a HIGH RL206).
        pytest.param(_pipeline("Bool", _DEPLOY), False, id="Bool"),
        pytest.param(_pipeline("NumericEquals", _DEPLOY), False, id="NumericEquals"),
        pytest.param(_pipeline("BoolIfExists", _DEPLOY), False, id="BoolIfExists"),
    ],
)
def test_a_test_of_what_a_launch_passes_compares_as_its_operator_does(
    tmp_path: Path, code: str, reported: bool
) -> None:
    """``StringEqualsIgnoreCase cloudformation:RoleArn`` naming the deploy role in other case
    admits the request passing it: the escalation was missed, since the ARNs were compared
    case-sensitively; and ``StringNotEqualsIgnoreCase`` of it excludes that request, which
    was a HIGH RL206.  A Bool or Numeric test of it admits no request passing a role."""
    found = escalations(tmp_path, code)
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, f"Resource: {_DEPLOY}")
    assert "pass role DeployRole (administrator access) to a CloudFormation stack" in message


@pytest.mark.parametrize(
    ("operator", "reported"),
    [
        ("StringEqualsIgnoreCase", True),
        ("StringNotEqualsIgnoreCase", False),
        ("StringEquals", False),
    ],
)
def test_an_ignore_case_test_of_the_instance_profile_compares_in_any_case(
    tmp_path: Path, operator: str, reported: bool
) -> None:
    """ec2:RunInstances under ``ec2:InstanceProfile`` naming the admin role's profile in
    upper case: IgnoreCase passes that role, its negation does not, nor StringEquals."""
    found = escalations(tmp_path, _in_profile(_profile_test(_PROFILE_UPPER, operator)))
    assert len(found) == int(reported)


def test_a_deny_unless_another_instance_profile_passes_no_role_of_the_scan(
    tmp_path: Path,
) -> None:
    """A Deny of ec2:RunInstances unless ``ec2:InstanceProfile`` is profile 'web' is judged as
    that test on the grant: the admin role's profile is not 'web'."""
    code = _in_profile("")
    assert len(escalations(tmp_path, code)) == 1
    deny = (
        "              - Effect: Deny\n"
        "                Action: ec2:RunInstances\n"
        '                Resource: "*"\n'
        "                Condition:\n"
        "                  ArnNotEquals:\n"
        f"                    ec2:InstanceProfile: {_PROFILE_ARN}web\n"
    )
    assert escalations(tmp_path, code.replace("  Profile:\n", deny + "  Profile:\n")) == []


def _stack(resource: str, exec_id: str = "Exec", pipeline_id: str = "Pipeline") -> str:
    """A per-environment stack: the admin stack role ``exec_id`` (RoleName stack-exec) and a
    pipeline role allowed iam:PassRole on ``resource`` and cloudformation:CreateStack."""
    return f"""\
Resources:
  {exec_id}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: stack-exec
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: cloudformation.amazonaws.com}},
              Action: sts:AssumeRole}}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  {pipeline_id}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: codepipeline.amazonaws.com}},
              Action: sts:AssumeRole}}
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: {resource.replace("EXEC", exec_id)}
              - {{Effect: Allow, Action: cloudformation:CreateStack, Resource: "*"}}
"""


def _rl206(paths: list[Path]) -> list[tuple[str, str, str]]:
    """(file name's folder, fingerprint, message) of each RL206 finding of a run of ``paths``."""
    report = lint_paths([str(path) for path in paths])
    assert report.errors == []
    return [
        (Path(f.location.file).parent.name, f.fingerprint, f.message)
        for f in report.findings
        if f.rule_id == "RL206"
    ]


def test_a_reference_names_the_role_of_its_own_template(tmp_path: Path) -> None:
    """dev/ and prod/ hold one stack each, whose stack roles share a RoleName: ``!GetAtt
    ExecDev.Arn`` names dev's role, not prod's.  Each pipeline was reported twice, once
    naming the other file's role."""
    for env, exec_id in (("dev", "ExecDev"), ("prod", "ExecProd")):
        (tmp_path / env).mkdir()
        (tmp_path / env / "stack.yaml").write_text(_stack("!GetAtt EXEC.Arn", exec_id))
    found = sorted(
        (env, message.split("pass role ")[1].split(" ")[0])
        for env, _, message in _rl206([tmp_path])
    )
    assert found == [("dev", "ExecDev"), ("prod", "ExecProd")]


def test_an_arn_written_out_names_a_role_of_another_template(tmp_path: Path) -> None:
    """What a text names is unchanged: the ARN of a role another template of the run declares
    (all files of a run are one account)."""
    stack = _stack("!Sub arn:aws:iam::${AWS::AccountId}:role/stack-exec")
    exec_role, pipeline = stack.split("  Pipeline:\n")
    (tmp_path / "pipeline.yaml").write_text("Resources:\n  Pipeline:\n" + pipeline)
    (tmp_path / "exec.yaml").write_text(exec_role)
    [(_, _, message)] = _rl206([tmp_path / "pipeline.yaml", tmp_path / "exec.yaml"])
    assert "pass role Exec (administrator access)" in message


@pytest.mark.parametrize(
    "resource",
    [
        "!GetAtt EXEC.Arn",
        "!Sub arn:aws:iam::${AWS::AccountId}:role/stack-exec",
        "!Sub arn:aws:iam::${AWS::AccountId}:role/stack-*",
    ],
)
def test_a_copy_of_a_stack_has_the_fingerprint_it_has_alone(tmp_path: Path, resource: str) -> None:
    """The pre-commit hook runs the changed files alone against a baseline recorded from the
    whole project: prod/stack.yaml, a copy of dev/stack.yaml, had another fingerprint run alone
    (the finding kept named dev's stack role), so it was new there, and its entry gone."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "stack.yaml").write_text(_stack(resource))
    whole = {(env, fingerprint) for env, fingerprint, _ in _rl206([tmp_path])}
    alone = {
        (env, fingerprint) for env, fingerprint, _ in _rl206([tmp_path / "prod" / "stack.yaml"])
    }
    assert len(alone) == 1
    assert alone <= whole


_TF_STACK = """\
resource "aws_iam_role" "EXEC" {
  name = "stack-exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "cloudformation.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "EXEC" {
  role       = aws_iam_role.EXEC.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role" "pipeline" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codepipeline.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "pipeline" {
  role   = aws_iam_role.pipeline.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.EXEC.arn },
    { Effect = "Allow", Action = "cloudformation:CreateStack", Resource = "*" },
  ] })
}
"""


def test_a_terraform_reference_names_the_role_of_its_own_module(tmp_path: Path) -> None:
    """Two root modules whose stack roles share a name: ``aws_iam_role.exec_dev.arn`` names
    the dev root's role only."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text(_TF_STACK.replace("EXEC", f"exec_{env}"))
    found = sorted(
        (env, message.split("pass role ")[1].split(" ")[0])
        for env, _, message in _rl206([tmp_path])
    )
    assert found == [("dev", "aws_iam_role.exec_dev"), ("prod", "aws_iam_role.exec_prod")]


@pytest.mark.parametrize(
    ("suffix", "words"),
    [("yaml", "CloudFormation"), ("tf", "Terraform")],
)
def test_a_role_without_a_name_is_said_in_words(tmp_path: Path, suffix: str, words: str) -> None:
    """The passed role's ARN holds the stand-in for the name AWS or Terraform generates, which
    the message printed as it is (``role/<generated:FILE#ID>``), a name no user can find."""
    if suffix == "yaml":
        code = passing("!GetAtt DeployRole.Arn").replace("      RoleName: deploy\n", "")
    else:
        code = _TF_STACK.replace("EXEC", "exec").replace('  name = "stack-exec"\n', "")
    [(_, message)] = escalations(tmp_path, code, suffix)
    assert "<generated:" not in message
    assert (
        f"iam:PassRole on 'arn:aws:iam::${{AWS::AccountId}}:role/<a name {words} generates>'"
        in (message)
    )


_NO_PROFILE = "!Sub arn:aws:iam::${AWS::AccountId}:instance-profile/"


@pytest.mark.parametrize(
    ("operator", "value", "reported"),
    [
        # Any profile, or any but one the role is not known to be in: the role's own too,
        # wherever that profile is declared.
        pytest.param('"Null"', '"false"', True, id="Null false"),
        pytest.param("ArnNotEquals", f"{_NO_PROFILE}unrelated", True, id="ArnNotEquals other"),
        pytest.param("ArnLike", f"{_NO_PROFILE}*", True, id="ArnLike every profile"),
        # Controls: none, not every profile, or a profile the deployer chooses.
        pytest.param('"Null"', '"true"', False, id="Null true"),
        pytest.param("ArnNotLike", f"{_NO_PROFILE}*", False, id="ArnNotLike every profile"),
        pytest.param("ArnNotEquals", "!Ref Other", False, id="ArnNotEquals unknown"),
        pytest.param("ArnEquals", f"{_NO_PROFILE}web", False, id="ArnEquals web"),
    ],
)
def test_a_test_admitting_a_profile_the_scan_does_not_know_passes_the_role(
    tmp_path: Path, operator: str, value: str, reported: bool
) -> None:
    """The EC2 role is in no instance profile of the scan (its profile may be another
    stack's): ec2:RunInstances allowed with any profile (``Null: false``) or any but an
    unrelated one lets the holder pass it, as without the condition.  Each was silent: the
    test was asked of the profiles the scan knows holding the role, and there were none."""
    code = "Parameters:\n  Other: {Type: String}\n" + passing(
        _DEPLOY,
        launch="ec2:RunInstances",
        service="ec2.amazonaws.com",
        launch_condition=_launch_under(operator, "ec2:InstanceProfile", value),
    )
    found = escalations(tmp_path, code)
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, f"Resource: {_DEPLOY}")
    assert "pass role DeployRole (administrator access) to a new EC2 instance" in message


def test_a_terraform_null_test_passes_a_role_in_no_profile_of_the_scan(tmp_path: Path) -> None:
    """The Terraform form: ``Null = { "ec2:InstanceProfile" = "false" }``, no profile."""
    profile = _TF_PROFILE.index('resource "aws_iam_instance_profile"')
    code = _TF_PROFILE[:profile] + _TF_PROFILE[_TF_PROFILE.index("data ", profile) :]
    code = code.replace("ArnEquals", "Null").replace("PROFILE", '"false"')
    assert "aws_iam_instance_profile" not in code
    [(line, message)] = escalations(tmp_path, code, "tf")
    assert line == line_of(code, "Resource = aws_iam_role.deploy.arn")
    assert "pass role aws_iam_role.deploy (administrator access) to a new EC2 instance" in message


_TWO_PROFILES = """\
  ProfileOne:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: one, Roles: [!Ref DeployRole]}
  ProfileTwo:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: two, Roles: [!Ref DeployRole]}
"""


_ONE = "ArnEquals: {ec2:InstanceProfile: !GetAtt ProfileOne.Arn}"
_NOT_TWO = "ArnNotEquals: {ec2:InstanceProfile: !GetAtt ProfileTwo.Arn}"


@pytest.mark.parametrize(
    ("allowed", "denied_unless", "reported"),
    [
        # A request names one profile: 'one' for the Allow, 'two' for the Deny.
        pytest.param(_ONE, "ProfileTwo", False, id="one, Deny unless two"),
        pytest.param(_NOT_TWO, "ProfileTwo", False, id="not two, Deny unless two"),
        # Controls: the Allow and the Deny admit the same profile.
        pytest.param(_ONE, "ProfileOne", True, id="one, Deny unless one"),
        pytest.param('"Null": {ec2:InstanceProfile: "false"}', "ProfileTwo", True, id="any"),
    ],
)
def test_the_allow_and_a_deny_are_judged_for_one_profile(
    tmp_path: Path, allowed: str, denied_unless: str, reported: bool
) -> None:
    """The admin role is in profiles 'one' and 'two'; ec2:RunInstances is allowed for one
    profile and denied unless the request names the other.  Each test was judged on its own,
    each picking its own profile, so the role was passed (HIGH): no request names both."""
    code = passing(
        _DEPLOY,
        launch="ec2:RunInstances",
        service="ec2.amazonaws.com",
        launch_condition=f"\n                Condition: {{{allowed}}}",
    ).rstrip("\n") + (
        "\n              - Effect: Deny\n"
        "                Action: ec2:RunInstances\n"
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  ArnNotEquals: {{ec2:InstanceProfile: !GetAtt {denied_unless}.Arn}}\n"
        + _TWO_PROFILES
    )
    found = escalations(tmp_path, code)
    assert len(found) == int(reported)


@pytest.mark.parametrize(
    "resource",
    [
        '!Sub "${EXEC.Arn}"',
        '!Sub ["${EXEC.Arn}", {}]',
        '!Sub ["${Target}", {Target: !GetAtt EXEC.Arn}]',
    ],
)
def test_a_sub_of_a_role_s_arn_alone_names_the_role_of_its_own_template(
    tmp_path: Path, resource: str
) -> None:
    """CloudFormation reads ``${ExecDev.Arn}`` in an Fn::Sub as Fn::GetAtt: a Sub that is that
    alone is the reference, and names dev's role only.  It was a text written out, and each
    pipeline was reported twice, once naming the other copy's role."""
    for env, exec_id in (("dev", "ExecDev"), ("prod", "ExecProd")):
        (tmp_path / env).mkdir()
        (tmp_path / env / "stack.yaml").write_text(_stack(resource, exec_id))
    found = sorted(
        (env, message.split("pass role ")[1].split(" ")[0])
        for env, _, message in _rl206([tmp_path])
    )
    assert found == [("dev", "ExecDev"), ("prod", "ExecProd")]


@pytest.mark.parametrize(
    ("resource", "named"),
    [
        # Text around the role's ARN: a text written out, which names every role of that ARN.
        ('!Sub "${EXEC.Arn}*"', 2),
        # A role's Ref is its name, no ARN: it names no role.
        ('!Sub "${EXEC}"', 0),
    ],
)
def test_a_sub_with_more_than_a_role_s_arn_is_no_reference(
    tmp_path: Path, resource: str, named: int
) -> None:
    for env, exec_id in (("dev", "ExecDev"), ("prod", "ExecProd")):
        (tmp_path / env).mkdir()
        (tmp_path / env / "stack.yaml").write_text(_stack(resource, exec_id))
    assert len([env for env, _, _ in _rl206([tmp_path]) if env == "dev"]) == named


def test_a_terraform_interpolation_of_a_role_s_arn_alone_names_its_own_module_s_role(
    tmp_path: Path,
) -> None:
    """``"${aws_iam_role.exec_dev.arn}"``, an interpolation with nothing around it, is the
    reference itself in Terraform: it names the dev root's role only (so it did already)."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        code = _TF_STACK.replace("EXEC", f"exec_{env}").replace(
            f"Resource = aws_iam_role.exec_{env}.arn",
            f'Resource = "${{aws_iam_role.exec_{env}.arn}}"',
        )
        assert "${aws_iam_role" in code
        (tmp_path / env / "main.tf").write_text(code)
    found = sorted(
        (env, message.split("pass role ")[1].split(" ")[0])
        for env, _, message in _rl206([tmp_path])
    )
    assert found == [("dev", "aws_iam_role.exec_dev"), ("prod", "aws_iam_role.exec_prod")]


def test_a_role_at_a_path_not_known_is_said_in_words(tmp_path: Path) -> None:
    """``Path: !Ref P`` (no default) puts a stand-in for the path in the role's ARN, which the
    message printed as it is (``role/<unresolved path:FILE#ID>``); it says it as the role card
    does."""
    code = "Parameters:\n  P: {Type: String}\n" + passing(_DEPLOY).replace(
        "      RoleName: deploy\n", "      Path: !Ref P\n"
    )
    [(_, message)] = escalations(tmp_path, code)
    assert "<unresolved path:" not in message
    assert (
        "iam:PassRole on 'arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        "<a name CloudFormation generates>'" in message
    )


def test_a_role_acting_on_itself_at_a_path_not_known_is_said_in_words(tmp_path: Path) -> None:
    """The same stand-in in a method on the holder itself (iam:PutRolePolicy on its own
    ARN)."""
    code = """\
Parameters:
  P: {Type: String}
Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties:
      Path: !Ref P
      RoleName: exec
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: iam:PutRolePolicy, Resource: !GetAtt Exec.Arn}
"""
    [(_, message)] = escalations(tmp_path, code)
    assert (
        "iam:PutRolePolicy on its own role "
        "'arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/exec'" in message
    )


@pytest.mark.parametrize(
    ("text", "unresolved", "words"),
    [
        ("arn:aws:iam::1:role/admin", False, "arn:aws:iam::1:role/admin"),
        (f"role{unresolved_path('s.yaml', 'R')}admin", False, "role/<unresolved path>/admin"),
        (
            f"role{unresolved_path('s.yaml', 'R')}{generated_name('s.yaml', 'R')}",
            False,
            "role/<unresolved path>/<a name CloudFormation generates>",
        ),
        (
            f"role/ci-{generated_name('m', 'aws_iam_role.r')}",
            False,
            "role/ci-<a suffix Terraform generates>",
        ),
        (f"role/{generated_name('s.yaml', 'R')}", True, "role/<unresolved name>"),
        (f"role/{unresolved_name('s.yaml', 'R')}", False, "role/<unresolved name>"),
    ],
)
def test_every_stand_in_of_a_text_is_said_in_words(text: str, unresolved: bool, words: str) -> None:
    """model.stand_ins_in_words: the name's stand-in as name_in_words says it, and the path's
    as the role card says it."""
    assert stand_ins_in_words(text, unresolved=unresolved) == words
