"""RL501 IMDSv2: required tokens, optional tokens, no setting, no instance profile."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.engine import Selection, run_checks
from rolelint.findings import Finding, Severity
from rolelint.model import ComputeResource, Inventory, Role, Value
from rolelint.source import SourceRef, Span
from tests.rules.harness import line_of

FILE = "servers.yaml"
PROFILE_LINE = 7
TOKENS_LINE = 9


def at(line: int) -> SourceRef:
    return SourceRef(FILE, Span(line, 21, line, 30))


ABSENT = "<absent>"  # leave the setting out of the resource


def setting(text: str | None, line: int) -> Value | None:
    if text == ABSENT:
        return None
    return Value(text, at(line), None if text is not None else "a parameter")


def server(tokens: str | None = ABSENT, profile: str | None = "app-profile") -> ComputeResource:
    """``None`` makes a setting unresolved, ``ABSENT`` leaves it out."""
    return ComputeResource(
        id="AppServer",
        ref=SourceRef(FILE, Span(2, 3, 2, 12)),
        kind="AWS::EC2::Instance",
        instance_profile=setting(profile, PROFILE_LINE),
        http_tokens=setting(tokens, TOKENS_LINE),
    )


def imds_findings(resource: ComputeResource) -> list[Finding]:
    return run_checks(Inventory(compute=[resource]), Selection(select=["RL501"]))


def lines(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.line) for f in findings]


@pytest.mark.parametrize("tokens", ["required", "Required"])
def test_required_tokens_are_fine(tokens: str) -> None:
    assert imds_findings(server(tokens)) == []


def test_optional_tokens_fire_at_the_value() -> None:
    [finding] = imds_findings(server("optional"))
    assert lines([finding]) == [("RL501", TOKENS_LINE)]
    assert finding.severity is Severity.MEDIUM
    assert "'optional'" in finding.message and "AppServer" in finding.message


def test_missing_tokens_fire_at_the_instance_profile() -> None:
    [finding] = imds_findings(server())
    assert lines([finding]) == [("RL501", PROFILE_LINE)]
    assert "not set" in finding.message


def test_unresolved_instance_profile_still_counts() -> None:
    assert lines(imds_findings(server(profile=None))) == [("RL501", PROFILE_LINE)]


def test_unresolved_tokens_are_silent() -> None:
    assert imds_findings(server(None)) == []


def test_no_instance_profile_no_finding() -> None:
    assert imds_findings(server("optional", profile=ABSENT)) == []
    assert imds_findings(server(profile=ABSENT)) == []


def test_fingerprint_differs_between_optional_and_missing() -> None:
    [optional] = imds_findings(server("optional"))
    [missing] = imds_findings(server())
    assert optional.fingerprint != missing.fingerprint


def test_finding_names_the_role_behind_a_profile_of_the_same_file() -> None:
    role = Role(
        id="AppRole",
        ref=SourceRef(FILE, Span(20, 3, 20, 10)),
        arn=Value("arn:aws:iam::${AWS::AccountId}:role/app", SourceRef(FILE)),
        instance_profiles=("app-profile",),
    )
    elsewhere = replace(role, id="OtherRole", ref=SourceRef("other.yaml", Span(2, 3, 2, 12)))
    inventory = Inventory(roles=[role, elsewhere], compute=[server("optional")])
    [finding] = run_checks(inventory, Selection(select=["RL501"]))
    assert finding.role == "AppRole"
    assert "(role AppRole)" in finding.message


def test_each_instance_names_the_roles_of_its_own_profile_and_each_role_its_instances() -> None:
    """Roles and instances meet by template and profile name, in inventory order (an index per
    inventory, not every role compared with every instance)."""
    from rolelint.checks.imds import served

    def role(name: str, *profiles: str) -> Role:
        arn = Value(f"arn:aws:iam::${{AWS::AccountId}}:role/{name}", SourceRef(FILE))
        return Role(name, SourceRef(FILE, Span(20, 3, 20, 10)), arn, instance_profiles=profiles)

    web, both, other = role("Web", "web"), role("Both", "db", "web"), role("Other", "other")
    db_server = replace(server("optional", "db"), id="DbServer")
    web_server = server("optional", "web")
    elsewhere = replace(
        server("optional", "web"), id="Far", ref=SourceRef("b.yaml", Span(2, 3, 2, 5))
    )
    inventory = Inventory(roles=[web, both, other], compute=[web_server, db_server, elsewhere])
    findings = run_checks(inventory, Selection(select=["RL501"]))
    assert {f.resource: f.role for f in findings} == {
        "AppServer": "Both, Web",
        "DbServer": "Both",
        "Far": None,
    }
    assert [c.id for c in served(both, inventory)] == ["AppServer", "DbServer"]
    assert [c.id for c in served(web, inventory)] == ["AppServer"]
    assert served(other, inventory) == []


IMDS_TERRAFORM = """\
resource "aws_iam_role" "r" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_instance_profile" "p" {
  name = "app-profile"
  role = aws_iam_role.r.name
}
variable "template_id" {}
resource "aws_instance" "from_template" {
  ami                  = "ami-12345678"
  iam_instance_profile = aws_iam_instance_profile.p.name
  launch_template {
    id = var.template_id
  }
}
resource "aws_instance" "no_metadata_service" {
  ami                  = "ami-12345678"
  iam_instance_profile = aws_iam_instance_profile.p.name
  metadata_options {
    http_endpoint = "disabled"
  }
}
resource "aws_instance" "default" {
  ami                  = "ami-12345678"
  iam_instance_profile = aws_iam_instance_profile.p.name
}
"""

IMDS_CLOUDFORMATION = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Disabled:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile: {Name: !Ref Profile}
        MetadataOptions: {HttpEndpoint: disabled}
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      LaunchTemplate: {LaunchTemplateName: shared, Version: "1"}
  Default:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
"""


def test_a_launch_template_or_a_disabled_metadata_service_is_not_imdsv1(tmp_path: Path) -> None:
    """An instance takes its metadata options from its launch template, and with the metadata
    service disabled there is no IMDS to reach: both were reported as IMDSv1 ("not set")."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(IMDS_TERRAFORM)
    (tmp_path / "template.yaml").write_text(IMDS_CLOUDFORMATION)
    report = lint_paths([str(tmp_path)])
    assert sorted(f.resource for f in report.findings if f.rule_id == "RL501") == [
        "Default",
        "aws_instance.default",
    ]


LAUNCH_CONFIGURATION_AND_SPOT = """\
resource "aws_launch_configuration" "workers" {
  image_id             = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "workers"
}

resource "aws_spot_instance_request" "batch" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "batch"
  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_spot_instance_request" "safe" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "batch"
  metadata_options {
    http_tokens = "required"
  }
}
"""


def test_terraform_launch_configurations_and_spot_requests_are_checked(tmp_path: Path) -> None:
    """Neither was read from HCL (CloudFormation launch configurations were), so their IMDSv1
    went unreported without a word."""
    (tmp_path / "main.tf").write_text(LAUNCH_CONFIGURATION_AND_SPOT)
    report = lint_paths([str(tmp_path)])
    assert sorted((f.resource, f.location.line) for f in report.findings) == [
        ("aws_launch_configuration.workers", 4),
        ("aws_spot_instance_request.batch", 12),
    ]


PROFILE_BY_ARN = """\
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "p" {
  name = "p"
  path = "/ec2/"
  role = aws_iam_role.r.name
}
resource "aws_launch_template" "lt" {
  iam_instance_profile {
    arn = aws_iam_instance_profile.p.arn
  }
}
resource "aws_launch_configuration" "lc" {
  image_id             = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.p.arn
}
"""


def test_a_profile_named_by_its_arn_is_that_profile_with_its_role(tmp_path: Path) -> None:
    """A launch template naming its profile by ``arn`` was not linked to the profile's role,
    and the message quoted the ARN with a CloudFormation placeholder for the account.  Auto
    Scaling takes a launch configuration's profile by name or ARN too."""
    (tmp_path / "main.tf").write_text(PROFILE_BY_ARN)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("aws_launch_template.lt", 12, "aws_iam_role.r"),
        ("aws_launch_configuration.lc", 18, "aws_iam_role.r"),
    ]
    for finding in findings:
        assert "exposes instance profile 'p' (role aws_iam_role.r) through IMDSv1" in (
            finding.message
        )


PROFILE_BY_NAME = """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Web:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      InstanceProfileName: web-profile
      Path: /ec2/
      Roles: [!Ref Web]
  ProdProfile:
    Type: AWS::IAM::InstanceProfile
    Condition: IsProd
    Properties:
      InstanceProfileName: prod-profile
      Roles: [!Ref Web]
  ByName:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile: {Name: web-profile}  # template name
  ByArn:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Arn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:instance-profile/ec2/web-profile
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      IamInstanceProfile: web-profile  # instance name
  Group:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
      IamInstanceProfile: !Sub "arn:aws:iam::${AWS::AccountId}:instance-profile/web-profile"
  Prod:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      IamInstanceProfile: prod-profile  # conditional
  Elsewhere:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      IamInstanceProfile: other-profile  # another stack's
"""


def test_a_profile_named_by_its_instance_profile_name_is_that_profile_with_its_role(
    tmp_path: Path,
) -> None:
    """Hunt: ``IamInstanceProfile: web-profile`` (or a launch template's ``{Name:
    web-profile}``, or an ARN where one is taken) was not linked to the template's profile of
    that InstanceProfileName, only a Ref or Fn::GetAtt was: RL501 named no role, and the role
    card said no instance used the profile.  As a launch template by its name, a name links
    only to the one profile that always exists with it: one under a Condition may be another
    stack's, and a name no profile here has is another stack's."""
    code = PROFILE_BY_NAME
    (tmp_path / "template.yaml").write_text(code)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("ByName", line_of(code, "# template name"), "Web"),
        ("ByArn", line_of(code, "Arn: !Sub"), "Web"),
        ("Server", line_of(code, "# instance name"), "Web"),
        ("Group", line_of(code, 'instance-profile/web-profile"'), "Web"),
        ("Prod", line_of(code, "# conditional"), None),
        ("Elsewhere", line_of(code, "# another stack's"), None),
    ]
    for finding in findings[:4]:
        assert "exposes instance profile 'Profile' (role Web) through IMDSv1" in finding.message
    assert "exposes instance profile 'prod-profile' through IMDSv1" in findings[4].message


def test_an_instance_takes_the_metadata_options_of_its_launch_template_here(
    tmp_path: Path,
) -> None:
    """An instance naming a launch template of the same template or module took its metadata
    options as unknown: optional tokens there went unreported."""
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(
        IMDS_TERRAFORM.split('variable "template_id"')[0]
        + 'resource "aws_launch_template" "weak" {\n'
        + '  metadata_options {\n    http_tokens = "optional"\n  }\n}\n'
        + 'resource "aws_instance" "via_template" {\n'
        + "  iam_instance_profile = aws_iam_instance_profile.p.name\n"
        + "  launch_template {\n    id = aws_launch_template.weak.id\n  }\n}\n"
    )
    (tmp_path / "template.yaml").write_text(
        IMDS_CLOUDFORMATION.split("  Disabled:")[0]
        + "  Weak:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n"
        + "      LaunchTemplateData: {MetadataOptions: {HttpTokens: optional}}\n"
        + "  ViaTemplate:\n    Type: AWS::EC2::Instance\n    Properties:\n"
        + "      IamInstanceProfile: !Ref Profile\n"
        + "      LaunchTemplate: {LaunchTemplateId: !Ref Weak, Version: '1'}\n"
    )
    report = lint_paths([str(tmp_path)])
    located = sorted(
        (f.resource, Path(f.file).name, f.location.line)
        for f in report.findings
        if f.rule_id == "RL501"
    )
    # Each at the launch template's "optional", where it is fixed.
    assert located == [
        ("ViaTemplate", "template.yaml", 15),
        ("aws_instance.via_template", "main.tf", 12),
    ]


def test_an_instance_without_tokens_of_its_own_takes_its_launch_templates(tmp_path: Path) -> None:
    """Review of 10460c7: MetadataOptions that set only the hop limit made the instance's
    tokens 'not set', though its launch template requires them."""
    (tmp_path / "template.yaml").write_text(
        IMDS_CLOUDFORMATION.split("  Disabled:")[0]
        + "  Strict:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n"
        + "      LaunchTemplateData: {MetadataOptions: {HttpTokens: required}}\n"
        + "  HopOnly:\n    Type: AWS::EC2::Instance\n    Properties:\n"
        + "      IamInstanceProfile: !Ref Profile\n"
        + "      MetadataOptions: {HttpPutResponseHopLimit: 2}\n"
        + "      LaunchTemplate: {LaunchTemplateId: !Ref Strict, Version: '1'}\n"
    )
    assert "RL501" not in {f.rule_id for f in lint_paths([str(tmp_path)]).findings}


FOR_EACH_INSTANCES = """\
variable "servers" {
  default = {
    web    = { tokens = "required" }
    legacy = { tokens = "optional" }
  }
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}
resource "aws_instance" "server" {
  for_each             = var.servers
  iam_instance_profile = aws_iam_instance_profile.app.name
  metadata_options {
    http_tokens = each.value.tokens
  }
}
"""


def test_each_instance_of_a_for_each_is_checked_with_its_own_options(tmp_path: Path) -> None:
    """The instances of a for_each were one, its tokens unknown (each.value): the one with
    optional tokens went unreported."""
    (tmp_path / "main.tf").write_text(FOR_EACH_INSTANCES)
    report = lint_paths([str(tmp_path)])
    assert [(f.resource, f.location.line) for f in report.findings if f.rule_id == "RL501"] == [
        ('aws_instance.server["legacy"]', 19)
    ]


def _by_name(template_name: str, instance_name: str, extra: str = "") -> str:
    """A launch template ``Weak`` (optional tokens, line 15) and an instance naming a launch
    template by ``LaunchTemplateName``."""
    return (
        "Parameters:\n  Name: {Type: String, Default: web-lt}\n"
        + "  Other: {Type: String, Default: web-lt}\n"
        + IMDS_CLOUDFORMATION.split("  Disabled:")[0]
        + "  Weak:\n    Type: AWS::EC2::LaunchTemplate\n"
        + extra
        + "    Properties:\n"
        + f"      LaunchTemplateName: {template_name}\n"
        + "      LaunchTemplateData: {MetadataOptions: {HttpTokens: optional}}\n"
        + "  ByName:\n    Type: AWS::EC2::Instance\n    Properties:\n"
        + "      IamInstanceProfile: !Ref Profile\n"
        + f"      LaunchTemplate: {{LaunchTemplateName: {instance_name}, Version: '1'}}\n"
    )


@pytest.mark.parametrize(
    ("template_name", "instance_name", "extra", "expected"),
    [
        ("web-lt", "web-lt", "", [("RL501", 19)]),
        ("!Ref Name", "!Ref Name", "", [("RL501", 19)]),
        # Another name, or a name the deployment may change on one side only: another template.
        ("web-lt", "other-lt", "", []),
        ("!Ref Name", "web-lt", "", []),
        ("!Ref Name", "!Ref Other", "", []),
        # A template that exists only where a condition holds may not be the one named.
        ("web-lt", "web-lt", "    Condition: Never\n", []),
    ],
)
def test_an_instance_takes_the_metadata_options_of_the_launch_template_it_names(
    tmp_path: Path,
    template_name: str,
    instance_name: str,
    extra: str,
    expected: list[tuple[str, int]],
) -> None:
    """An instance naming this template's launch template by LaunchTemplateName took its
    metadata options as unknown (only LaunchTemplateId was followed): optional tokens there
    went unreported."""
    text = _by_name(template_name, instance_name, extra)
    if extra:
        text = "Conditions:\n  Never: !Equals [a, b]\n" + text
    (tmp_path / "template.yaml").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    found = [(f.rule_id, f.location.line) for f in report.findings if f.rule_id == "RL501"]
    if extra:
        found = [(rule, line - 2) for rule, line in found]
    assert found == expected


IMDS_BRANCHES = """\
Conditions:
  Prod: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Web:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions:
        HttpTokens: !If [Prod, required, !Ref AWS::NoValue]
  Worker:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions: !If [Prod, {HttpTokens: required}, !Ref AWS::NoValue]
  Batch:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions: !If [Prod, {HttpEndpoint: disabled}, {HttpPutResponseHopLimit: 2}]
  Control:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions:
        HttpTokens: !If [Prod, required, optional]
  Off:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions:
        HttpEndpoint: !If [Prod, disabled, !Ref AWS::NoValue]
  Strict:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      MetadataOptions: !If [Prod, {HttpEndpoint: disabled}, {HttpTokens: required}]
"""


def test_a_branch_that_leaves_http_tokens_unset_is_imdsv1(tmp_path: Path) -> None:
    """An Fn::If branch that leaves HttpTokens out (AWS::NoValue, options without it, or the
    endpoint enabled there) runs with IMDSv1 in the deployments that take it, as ``!If [Prod,
    required, optional]`` does: only that form was reported, the weakest option taken being
    ``required`` (or the service disabled) for the others."""
    (tmp_path / "t.yaml").write_text(IMDS_BRANCHES)
    report = lint_paths([str(tmp_path / "t.yaml")])
    imdsv1 = [f for f in report.findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line) for f in imdsv1] == [
        ("Web", 19),  # unset in some deployments: where the condition decides
        ("Worker", 24),
        ("Batch", 29),
        ("Control", 35),  # 'optional': where it is written
        ("Off", 39),  # not set in any deployment: at the instance profile
    ]
    some = "HTTP tokens are not required in some deployments (a condition leaves them unset"
    assert [some in f.message for f in imdsv1] == [True, True, True, False, False]
    assert "(not set: AWS defaults to optional)" in imdsv1[-1].message


def test_a_terraform_conditional_leaving_http_tokens_null_is_imdsv1_somewhere(
    tmp_path: Path,
) -> None:
    """``http_tokens = var.strict ? "required" : null`` leaves AWS's default, optional tokens,
    where ``strict`` is false, as CloudFormation's ``!If [C, required, !Ref AWS::NoValue]``
    does: it was silent, the null branch dropped.  Now RL501 says "in some deployments", at
    the conditional; a conditional of two required values stays silent."""
    (tmp_path / "main.tf").write_text(
        """variable "strict" { type = bool }
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({Statement = [{Effect = "Allow",
    Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_instance_profile" "p" { role = aws_iam_role.r.name }
resource "aws_instance" "some" {
  ami                  = "ami-1"
  iam_instance_profile = aws_iam_instance_profile.p.name
  metadata_options {
    http_tokens = var.strict ? "required" : null
  }
}
resource "aws_instance" "always" {
  ami                  = "ami-1"
  iam_instance_profile = aws_iam_instance_profile.p.name
  metadata_options {
    http_tokens = var.strict ? "required" : "required"
  }
}
"""
    )
    report = lint_paths([str(tmp_path)])
    imdsv1 = [f for f in report.findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line) for f in imdsv1] == [("aws_instance.some", 11)]
    assert "not required in some deployments" in imdsv1[0].message


EMPTY_PROFILES = """\
variable "iam_instance_profile" {
  type    = string
  default = ""
}
variable "use_profile" { type = bool }
resource "aws_instance" "by_variable" {
  ami                  = "ami-12345678"
  iam_instance_profile = var.iam_instance_profile
}
resource "aws_instance" "literal" {
  ami                  = "ami-12345678"
  iam_instance_profile = ""
}
resource "aws_launch_configuration" "workers" {
  image_id             = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = ""
}
resource "aws_launch_template" "by_name" {
  iam_instance_profile {
    name = var.iam_instance_profile
  }
}
resource "aws_launch_template" "empty_name_then_arn" {
  iam_instance_profile {
    name = ""
    arn  = ""
  }
}
resource "aws_instance" "chosen" {
  ami                  = "ami-12345678"
  iam_instance_profile = var.use_profile ? "app" : ""
}
resource "aws_iam_instance_profile" "p" { name = "p" }
resource "aws_launch_template" "empty_name_beside_arn" {
  iam_instance_profile {
    name = ""
    arn  = aws_iam_instance_profile.p.arn
  }
}
"""


def test_an_empty_terraform_instance_profile_attaches_none(tmp_path: Path) -> None:
    """``iam_instance_profile = ""`` (often a module variable's default meaning "none", or a
    launch template's ``iam_instance_profile { name = "" }``) attaches no profile: the plan
    reader already reads "" as not set, and the provider sends no profile for it.  HCL
    reported RL501 "exposes an instance profile" there.  Only a branch that names a profile
    still counts, and an empty name no longer hides the profile's ARN beside it."""
    (tmp_path / "main.tf").write_text(EMPTY_PROFILES)
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line) for f in findings] == [
        ("aws_instance.chosen", 32),
        ("aws_launch_template.empty_name_beside_arn", 38),
    ]
    assert "exposes instance profile 'app' through IMDSv1" in findings[0].message
    assert "exposes instance profile 'p' through IMDSv1" in findings[1].message


NODE_GROUPS = """\
Parameters:
  SharedTemplate: {Type: String}
  ImportedRole: {Type: String}
Resources:
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Weak:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: weak-nodes
      LaunchTemplateData:
        MetadataOptions:
          HttpPutResponseHopLimit: 2
          HttpTokens: optional  # weak
  HopOnly:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpPutResponseHopLimit: 2}
  Strict:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required}
  Optional:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate: {Id: !Ref Weak}
  ByName:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn  # by name
      LaunchTemplate: {Name: weak-nodes, Version: "1"}
  Unset:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn  # unset
      LaunchTemplate: {Id: !Ref HopOnly}
  Imported:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !Ref ImportedRole
      LaunchTemplate: {Id: !Ref Weak}
  Required:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate: {Id: !Ref Strict}
  OtherStacks:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate: {Id: !Ref SharedTemplate}
  EksDefault:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
"""

NODE_GROUPS_TERRAFORM = """\
resource "aws_iam_role" "node" {
  name               = "node"
  assume_role_policy = "{}"
}
resource "aws_launch_template" "weak" {
  metadata_options {
    http_put_response_hop_limit = 2
    http_tokens                 = "optional" # weak
  }
}
resource "aws_launch_template" "strict" {
  metadata_options {
    http_tokens = "required"
  }
}
variable "template_id" { type = string }
resource "aws_eks_node_group" "optional" {
  cluster_name  = "c"
  node_role_arn = aws_iam_role.node.arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = aws_launch_template.weak.id
    version = "1"
  }
}
resource "aws_eks_node_group" "required" {
  cluster_name  = "c"
  node_role_arn = aws_iam_role.node.arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    name    = aws_launch_template.strict.name
    version = "1"
  }
}
resource "aws_eks_node_group" "other_module" {
  cluster_name  = "c"
  node_role_arn = aws_iam_role.node.arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = var.template_id
    version = "1"
  }
}
resource "aws_eks_node_group" "eks_default" {
  cluster_name  = "c"
  node_role_arn = aws_iam_role.node.arn
  subnet_ids    = ["subnet-1"]
}
"""


def test_an_eks_node_group_exposes_its_node_role_through_its_launch_template(
    tmp_path: Path,
) -> None:
    """Corpus (EKS/template.yaml): a managed node group whose launch template sets
    ``HttpTokens: optional`` was silent, only launch templates naming an instance profile
    counted.  EKS hands the nodes their NodeRole in an instance profile it makes (the launch
    template may not name one), and the nodes take the launch template's metadata options.
    A launch template rolelint cannot see (another stack's, or the one EKS creates when none
    is named) is not judged."""
    code = NODE_GROUPS
    (tmp_path / "template.yaml").write_text(code)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(NODE_GROUPS_TERRAFORM)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"),
        key=lambda f: (Path(f.file).name, f.resource),
    )
    weak = line_of(code, "# weak")
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        (
            "aws_eks_node_group.optional",
            line_of(NODE_GROUPS_TERRAFORM, "# weak"),
            "aws_iam_role.node",
        ),
        ("ByName", weak, "NodeRole"),
        ("Imported", weak, None),
        ("Optional", weak, "NodeRole"),
        ("Unset", line_of(code, "# unset"), "NodeRole"),
    ]
    messages = {f.resource: f.message for f in findings}
    assert messages["Optional"].startswith(
        "AWS::EKS::Nodegroup Optional exposes its node role NodeRole (in the instance profile "
        "EKS gives its nodes) through IMDSv1: HTTP tokens are 'optional'"
    )
    assert "exposes its node role through IMDSv1" not in messages["Imported"]
    assert "exposes its node role (in the instance profile" in messages["Imported"]
    assert "(not set: AWS defaults to optional)" in messages["Unset"]


NODE_ROLES_TERRAFORM = """\
variable "gpu" {
  type = bool
}

locals {
  ec2_trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "pool" {
  for_each = toset(["a", "b"])
  name     = "pool-${each.key}"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role" "gpu" {
  name_prefix = "gpu-"
  assume_role_policy = local.ec2_trust
}

resource "aws_launch_template" "nodes" {
  name = "nodes"
  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_eks_node_group" "pool" {
  for_each      = aws_iam_role.pool
  cluster_name  = "c"
  node_role_arn = each.value.arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "1"
  }
}

resource "aws_eks_node_group" "either" {
  cluster_name  = "c"
  node_role_arn = var.gpu ? aws_iam_role.gpu.arn : aws_iam_role.pool["a"].arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "1"
  }
}
"""


def test_a_terraform_node_role_not_written_as_the_roles_arn_is_still_linked(
    tmp_path: Path,
) -> None:
    """``node_role_arn = each.value.arn`` over ``for_each = aws_iam_role.pool`` was linked to
    no role (the finding named the raw ARN, the role's card listed nothing); a conditional
    named its first branch as a raw ARN holding the ``<generated:...>`` stand-in of a
    ``name_prefix`` role.  Each node group of the pool now runs with its own role; the
    conditional's node group runs with each role a branch names, as CloudFormation's Fn::If
    does (it had been linked to neither, and neither role's card listed it)."""
    from rolelint.api import read_text
    from rolelint.checks.imds import served
    from rolelint.parsers.terraform import parse_terraform_directory

    (tmp_path / "main.tf").write_text(NODE_ROLES_TERRAFORM)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(report.findings, key=lambda f: (f.resource, f.roles))
    assert [(f.rule_id, f.resource, f.roles) for f in findings] == [
        ("RL501", "aws_eks_node_group.either", ("aws_iam_role.gpu",)),
        ("RL501", "aws_eks_node_group.either", ('aws_iam_role.pool["a"]',)),
        ("RL501", 'aws_eks_node_group.pool["a"]', ('aws_iam_role.pool["a"]',)),
        ("RL501", 'aws_eks_node_group.pool["b"]', ('aws_iam_role.pool["b"]',)),
    ]
    assert all("<generated:" not in f.message and "${" not in f.message for f in findings)
    inventory = parse_terraform_directory(str(tmp_path), read_text).inventory
    served_by = {role.id: [c.id for c in served(role, inventory)] for role in inventory.roles}
    assert served_by == {
        'aws_iam_role.pool["a"]': ['aws_eks_node_group.pool["a"]', "aws_eks_node_group.either"],
        'aws_iam_role.pool["b"]': ['aws_eks_node_group.pool["b"]'],
        "aws_iam_role.gpu": ["aws_eks_node_group.either"],
    }


def test_a_node_role_is_served_to_its_node_groups() -> None:
    """The role card lists what runs with a role: a node group runs with its node role."""
    from rolelint.checks.imds import served
    from tests.parsers.cfn_helpers import parse_text

    inventory = parse_text(NODE_GROUPS)
    [role] = inventory.roles
    assert [c.id for c in served(role, inventory)] == [
        "Optional",
        "ByName",
        "Unset",
        "Required",
        "OtherStacks",
        "EksDefault",
    ]


AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
AMI_DEFAULTS = f"""\
Parameters:
  LatestAMI:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: {AL2023}
  Al2AMI:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2
  PathAsText:
    Type: String
    Default: {AL2023}
Conditions:
  Prod: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  ByParameter:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAMI
      IamInstanceProfile: !Ref Profile
  ByDynamicReference:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: "{{{{resolve:ssm:{AL2023}}}}}"
      IamInstanceProfile: !Ref Profile
  ByVersion:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: "{{{{resolve:ssm:{AL2023}:12}}}}"
      IamInstanceProfile: !Ref Profile
  UnsetSomewhere:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAMI
      IamInstanceProfile: !Ref Profile
      MetadataOptions:
        HttpTokens: !If [Prod, required, !Ref AWS::NoValue]
  Al2023Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref LatestAMI
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      LaunchTemplate: {{LaunchTemplateId: !Ref Al2023Template, Version: "1"}}
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt Role.Arn
      LaunchTemplate: {{Id: !Ref Al2023Template}}
  ExplicitlyOptional:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAMI
      IamInstanceProfile: !Ref Profile
      MetadataOptions:
        HttpTokens: optional  # optional
  Al2:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Al2AMI
      IamInstanceProfile: !Ref Profile  # al2
  Literal:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      IamInstanceProfile: !Ref Profile  # literal
  NotAnSsmParameter:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref PathAsText
      IamInstanceProfile: !Ref Profile  # text
  OwnAmiOverTemplate:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      IamInstanceProfile: !Ref Profile  # own ami
      LaunchTemplate: {{LaunchTemplateId: !Ref Al2023Template, Version: "1"}}
"""


def test_an_amazon_linux_2023_ami_requires_tokens_where_the_options_set_none(
    tmp_path: Path,
) -> None:
    """Corpus (GitLab, Gitea, VSCode, CloudWatch agent solutions): an instance whose AMI is
    the public Amazon Linux 2023 parameter and whose HttpTokens is unset was reported "not
    set: AWS defaults to optional".  AWS registers AL2023 AMIs with ImdsSupport v2.0, so
    tokens are required there unless the account default says otherwise.  An explicit
    'optional', another AMI, or a path that is not read from SSM is reported as before."""
    code = AMI_DEFAULTS
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = [f for f in report.findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line) for f in findings] == [
        ("ExplicitlyOptional", line_of(code, "# optional")),
        ("Al2", line_of(code, "# al2")),
        ("Literal", line_of(code, "# literal")),
        ("NotAnSsmParameter", line_of(code, "# text")),
        ("OwnAmiOverTemplate", line_of(code, "# own ami")),
    ]
    assert "(not set: AWS defaults to optional)" in findings[1].message


AMI_AT_LAUNCH = f"""\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  ByName:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: resolve:ssm:{AL2023}
        IamInstanceProfile: {{Arn: !GetAtt Profile.Arn}}
  ByVersion:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: resolve:ssm:{AL2023}:3
      IamInstanceProfile: !Ref Profile
  ByLabel:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: resolve:ssm:{AL2023}:golden
      IamInstanceProfile: !Ref Profile
  ByArn:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: resolve:ssm:arn:aws:ssm:us-east-1::parameter{AL2023}
      IamInstanceProfile: !Ref Profile
  Al2:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: resolve:ssm:/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2
      IamInstanceProfile: !Ref Profile  # al2
"""


def test_an_amazon_linux_2023_ami_read_from_ssm_at_launch_requires_tokens(tmp_path: Path) -> None:
    """Hunt r7compute D5: EC2 itself reads an ImageId written ``resolve:ssm:NAME`` (with a
    version, a label, or the parameter's ARN) from SSM when it launches; only CloudFormation's
    ``{{resolve:ssm:NAME}}`` counted, so the same AL2023 AMI was reported "not set: AWS
    defaults to optional".  Another AMI read that way is reported as before."""
    code = AMI_AT_LAUNCH
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = [f for f in report.findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line) for f in findings] == [("Al2", line_of(code, "# al2"))]
    assert "(not set: AWS defaults to optional)" in findings[0].message


PROFILE_FROM_TEMPLATE = f"""\
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
  AppProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref AppRole]
  Al2023Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: "{{{{resolve:ssm:{AL2023}}}}}"
        IamInstanceProfile: {{Arn: !GetAtt AppProfile.Arn}}
  OtherTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        IamInstanceProfile: {{Name: !Ref AppProfile}}  # other template
  OwnAmi:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      LaunchTemplate:  # own ami
        LaunchTemplateId: !Ref Al2023Template
        Version: !GetAtt Al2023Template.LatestVersionNumber
  OwnTokens:
    Type: AWS::EC2::Instance
    Properties:
      MetadataOptions: {{HttpTokens: optional}}  # own tokens
      LaunchTemplate: {{LaunchTemplateId: !Ref Al2023Template, Version: "1"}}
  TemplateAmi:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {{LaunchTemplateId: !Ref Al2023Template, Version: "1"}}
  AsTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {{LaunchTemplateId: !Ref OtherTemplate, Version: "1"}}
"""


def test_an_instance_overriding_its_templates_ami_or_tokens_runs_with_the_templates_profile(
    tmp_path: Path,
) -> None:
    """Hunt r7compute D1 (regression of the AL2023 change): an instance with an AMI of its
    own takes its instance profile from its launch template.  The template's AL2023 AMI
    silenced the template, and the instance, read without a profile, was silent too: nothing
    reported the IMDSv1 exposure of AppRole.  An instance that sets neither its AMI nor its
    tokens launches what the template does, and the template's finding stays the one."""
    code = PROFILE_FROM_TEMPLATE
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = [f for f in report.findings if f.rule_id == "RL501"]
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("OtherTemplate", line_of(code, "# other template"), "AppRole"),
        ("OwnAmi", line_of(code, "# own ami"), "AppRole"),
        ("OwnTokens", line_of(code, "# own tokens"), "AppRole"),
    ]
    assert findings[1].message.startswith(
        "AWS::EC2::Instance OwnAmi exposes instance profile 'AppProfile' (role AppRole) through "
        "IMDSv1: HTTP tokens are not required (not set: AWS defaults to optional)"
    )


PROFILE_FROM_TEMPLATE_TERRAFORM = f"""\
locals {{
  ec2_trust = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect = "Allow", Principal = {{ Service = "ec2.amazonaws.com" }}, Action = "sts:AssumeRole"
    }}]
  }})
}}
variable "template_id" {{
  type = string
}}
resource "aws_iam_role" "node" {{
  name               = "node"
  assume_role_policy = local.ec2_trust
}}
resource "aws_iam_instance_profile" "node" {{
  name = "node"
  role = aws_iam_role.node.name
}}
resource "aws_iam_role" "other" {{
  name               = "other"
  assume_role_policy = local.ec2_trust
}}
resource "aws_iam_instance_profile" "other" {{
  name = "other"
  role = aws_iam_role.other.name
}}
resource "aws_launch_template" "secure" {{
  name = "secure"
  iam_instance_profile {{
    name = aws_iam_instance_profile.node.name
  }}
  metadata_options {{
    http_tokens = "required"
  }}
}}
resource "aws_launch_template" "al2023" {{
  name     = "al2023"
  image_id = "resolve:ssm:{AL2023}"
  iam_instance_profile {{
    arn = aws_iam_instance_profile.node.arn
  }}
}}
resource "aws_instance" "own_tokens" {{
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  launch_template {{
    id      = aws_launch_template.secure.id
    version = "$Latest"
  }}
  metadata_options {{
    http_tokens = "optional" # own tokens
  }}
}}
resource "aws_instance" "own_ami" {{
  ami = "ami-0123456789abcdef0"
  launch_template {{ # own ami
    id = aws_launch_template.al2023.id
  }}
}}
resource "aws_instance" "as_template" {{
  launch_template {{
    id = aws_launch_template.al2023.id
  }}
}}
resource "aws_instance" "own_profile" {{
  iam_instance_profile = aws_iam_instance_profile.other.name
  launch_template {{
    name = aws_launch_template.secure.name
  }}
  metadata_options {{
    http_tokens = "optional" # own profile
  }}
}}
resource "aws_instance" "unseen_template" {{
  launch_template {{
    id = var.template_id
  }}
  metadata_options {{
    http_tokens = "optional"
  }}
}}
"""


def test_a_terraform_instance_without_a_profile_runs_with_its_launch_templates(
    tmp_path: Path,
) -> None:
    """Hunt tfmodern 1: an ``aws_instance`` naming no ``iam_instance_profile`` launches with
    its launch template's, while its own ``metadata_options`` (and AMI) override the
    template's.  Terraform read it without a profile, so an instance turning IMDSv1 back on
    under a template that requires tokens was silent, and the role's card did not list it.
    As in CloudFormation, such an instance is reported at its own tokens, or at its
    ``launch_template`` when it sets only an AMI; one that sets neither launches what the
    template does, and the template's finding is the one.  A profile of its own wins, and a
    template rolelint cannot see lends none."""
    code = PROFILE_FROM_TEMPLATE_TERRAFORM
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"), key=lambda f: f.location.line
    )
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("aws_instance.own_tokens", line_of(code, "# own tokens"), "aws_iam_role.node"),
        ("aws_instance.own_ami", line_of(code, "# own ami"), "aws_iam_role.node"),
        ("aws_instance.own_profile", line_of(code, "# own profile"), "aws_iam_role.other"),
    ]
    assert findings[0].message == (
        "aws_instance aws_instance.own_tokens exposes instance profile 'node' (role "
        "aws_iam_role.node) through IMDSv1: HTTP tokens are 'optional'; require them "
        "(HttpTokens / http_tokens = 'required')"
    )
    assert "HTTP tokens are not required (not set: AWS defaults to optional)" in (
        findings[1].message
    )


CHOSEN_TEMPLATES = f"""\
Parameters:
  Gpu: {{Type: String, Default: "false"}}
  Shared: {{Type: String}}
Conditions:
  UseGpu: !Equals [!Ref Gpu, "true"]
Resources:
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, Action: sts:AssumeRole}}
  CpuTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: !Sub "${{AWS::StackName}}-cpu"
      LaunchTemplateData: {{MetadataOptions: {{HttpTokens: optional}}}}  # cpu
  GpuTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {{MetadataOptions: {{HttpTokens: optional}}}}  # gpu
  StrictTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {{MetadataOptions: {{HttpTokens: required}}}}
  UnsetTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {{ImageId: ami-0123456789abcdef0}}
  Al2023Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {{ImageId: "{{{{resolve:ssm:{AL2023}}}}}"}}
  EitherWeak:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate:
        Id: !If [UseGpu, !Ref GpuTemplate, !Ref CpuTemplate]
  StrictOrUnset:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate:  # strict or unset
        Id: !If [UseGpu, !Ref StrictTemplate, !Ref UnsetTemplate]
  StrictOrAl2023:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate: !If [UseGpu, {{Id: !Ref StrictTemplate}}, {{Id: !Ref Al2023Template}}]
  StrictOrShared:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate:
        Id: !If [UseGpu, !Ref StrictTemplate, !Ref Shared]
  BySubName:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !GetAtt NodeRole.Arn
      LaunchTemplate:
        Name: !Sub "${{AWS::StackName}}-cpu"
  Server:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: server-profile
      LaunchTemplate:
        LaunchTemplateId: !If [UseGpu, !Ref GpuTemplate, !Ref StrictTemplate]
        Version: "1"
"""


def test_a_node_group_is_judged_on_each_launch_template_a_condition_may_choose(
    tmp_path: Path,
) -> None:
    """Hunt r7compute D4: a node group whose LaunchTemplate Id is chosen by Fn::If was read
    as using a launch template rolelint cannot see, and was silent even when every branch's
    template leaves IMDSv1 on.  Each branch is now judged, as everywhere else; a template
    leaving tokens unset in only some deployments is reported at the LaunchTemplate with "in
    some deployments".  A template named by ``!Sub "${AWS::StackName}-cpu"``, written the same
    way as its LaunchTemplateName, is that template."""
    code = CHOSEN_TEMPLATES
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"),
        key=lambda f: (f.resource, f.location.line),
    )
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("BySubName", line_of(code, "# cpu"), "NodeRole"),
        ("EitherWeak", line_of(code, "# cpu"), "NodeRole"),
        ("EitherWeak", line_of(code, "# gpu"), "NodeRole"),
        ("Server", line_of(code, "# gpu"), None),
        ("StrictOrUnset", line_of(code, "# strict or unset"), "NodeRole"),
    ]
    assert "HTTP tokens are 'optional'" in findings[1].message
    assert "HTTP tokens are not required in some deployments" in findings[4].message


def test_a_node_groups_unseen_launch_template_is_the_node_groups_on_its_card() -> None:
    """Hunt r7compute D4: the card called a node group's launch template "the instance's";
    a node group judged once per template its condition chooses is listed once per state."""
    from rolelint.audit.card import _imds, _instances
    from tests.parsers.cfn_helpers import parse_text

    inventory = parse_text(CHOSEN_TEMPLATES)
    [shared] = [
        c
        for c in inventory.compute
        if c.id == "StrictOrShared" and c.http_tokens is not None and not c.http_tokens.resolved
    ]
    assert _imds(shared) == "HttpTokens <unresolved: set by the node group's launch template>"
    [role] = inventory.roles
    listed = [line.text for line in _instances(role, inventory)]
    assert listed.count("AWS::EKS::Nodegroup EitherWeak: IMDSv1 allowed (HttpTokens optional)") == 1


NODE_ROLE_CHOICES = """\
Parameters:
  UseA: {Type: String, Default: "yes"}
Conditions:
  IsA: !Equals [!Ref UseA, "yes"]
Resources:
  RoleA:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  RoleB:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  TeamRole:
    Type: AWS::IAM::Role
    Properties:
      Path: /team/
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  LT:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: optional  # weak
  Either:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !If [IsA, !GetAtt RoleA.Arn, !GetAtt RoleB.Arn]
      LaunchTemplate: {Id: !Ref LT}
  BySub:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleB}"
      LaunchTemplate: {Id: !Ref LT}
  WithoutPath:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${TeamRole}"
      LaunchTemplate: {Id: !Ref LT}
"""


def test_a_node_role_chosen_by_a_condition_or_written_as_an_arn_is_each_role(
    tmp_path: Path,
) -> None:
    """Hunt r7compute D6: a NodeRole chosen by Fn::If named only its first branch, as the ARN
    with the internal ``<generated:...>`` stand-in and no role; an ARN written with !Sub was
    not linked to its role either, so the roles' cards listed no node group.  Each branch's
    role is now named, a written ARN is the role of this template that has it, and an ARN
    that is no role's (here without the role's path) names the generated part in words."""
    from rolelint.checks.imds import served
    from tests.parsers.cfn_helpers import parse_text

    code = NODE_ROLE_CHOICES
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"), key=lambda f: (f.resource, f.role)
    )
    weak = line_of(code, "# weak")
    assert [(f.resource, f.location.line, f.role) for f in findings] == [
        ("BySub", weak, "RoleB"),
        ("Either", weak, "RoleA"),
        ("Either", weak, "RoleB"),
        ("WithoutPath", weak, None),
    ]
    assert "exposes its node role RoleA (in the instance profile" in findings[1].message
    assert "exposes its node role RoleB (in the instance profile" in findings[2].message
    assert all("<generated:" not in f.message for f in findings)
    assert (
        "its node role 'arn:aws:iam::${AWS::AccountId}:role/<a name CloudFormation generates>'"
        in findings[3].message
    )
    inventory = parse_text(code)
    served_by = {role.id: [c.id for c in served(role, inventory)] for role in inventory.roles}
    assert served_by == {"RoleA": ["Either"], "RoleB": ["Either", "BySub"], "TeamRole": []}


AMI_DEFAULTS_TERRAFORM = f"""\
data "aws_ssm_parameter" "al2023" {{
  name = "{AL2023}"
}}

data "aws_ssm_parameter" "al2" {{
  name = "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"
}}

resource "aws_iam_role" "app" {{
  name = "app"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "ec2.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_iam_instance_profile" "app" {{
  name = "app"
  role = aws_iam_role.app.name
}}

resource "aws_instance" "by_data" {{
  ami                  = data.aws_ssm_parameter.al2023.value
  iam_instance_profile = aws_iam_instance_profile.app.name
}}

resource "aws_instance" "by_insecure_value" {{
  ami                  = data.aws_ssm_parameter.al2023.insecure_value
  iam_instance_profile = aws_iam_instance_profile.app.name
}}

resource "aws_instance" "al2" {{
  ami                  = data.aws_ssm_parameter.al2.value
  iam_instance_profile = aws_iam_instance_profile.app.name # al2
}}

resource "aws_launch_template" "resolved" {{
  name     = "resolved"
  image_id = "resolve:ssm:{AL2023}"
  iam_instance_profile {{
    name = aws_iam_instance_profile.app.name
  }}
}}

resource "aws_launch_template" "versioned" {{
  name     = "versioned"
  image_id = "resolve:ssm:{AL2023}:12"
  iam_instance_profile {{
    name = aws_iam_instance_profile.app.name
  }}
}}

resource "aws_instance" "from_template" {{
  iam_instance_profile = aws_iam_instance_profile.app.name
  launch_template {{
    id = aws_launch_template.resolved.id
  }}
}}

resource "aws_instance" "own_ami" {{
  ami                  = "ami-0abcdef1234567890"
  iam_instance_profile = aws_iam_instance_profile.app.name # own ami
  launch_template {{
    id = aws_launch_template.resolved.id
  }}
}}

resource "aws_eks_node_group" "nodes" {{
  cluster_name  = "c"
  node_role_arn = aws_iam_role.app.arn
  subnet_ids    = ["subnet-1"]
  launch_template {{
    id      = aws_launch_template.resolved.id
    version = "1"
  }}
}}

resource "aws_launch_template" "explicitly_optional" {{
  name     = "optional"
  image_id = "resolve:ssm:{AL2023}"
  iam_instance_profile {{
    name = aws_iam_instance_profile.app.name
  }}
  metadata_options {{
    http_tokens = "optional" # optional
  }}
}}
"""


def test_a_terraform_amazon_linux_2023_ami_requires_tokens_where_the_options_set_none(
    tmp_path: Path,
) -> None:
    """Terraform never told which SSM parameter an AMI is read from, so every AL2023 instance
    of a configuration got the false "not set: AWS defaults to optional" that CloudFormation's
    no longer gets: ``data.aws_ssm_parameter.X.value`` (``insecure_value``) of a public AL2023
    parameter, and EC2's ``resolve:ssm:NAME[:VERSION]``, on an instance, a launch template
    (and the instances and node groups taking its AMI) now count as requiring tokens."""
    code = AMI_DEFAULTS_TERRAFORM
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f.resource, f.location.line) for f in report.findings if f.rule_id == "RL501"
    )
    assert findings == [
        ("aws_instance.al2", line_of(code, "# al2")),
        ("aws_instance.own_ami", line_of(code, "# own ami")),
        ("aws_launch_template.explicitly_optional", line_of(code, "# optional")),
    ]


def test_a_node_role_a_condition_chooses_among_roles_of_no_module_names_none(
    tmp_path: Path,
) -> None:
    """Regression hunt r8misc: a conditional between two ARNs that are no role of the module
    gave one compute resource per branch, both with one fingerprint, so the engine kept the
    first branch's finding, naming 'node-a' as the role exposed while a deployment may expose
    'node-b'.  Branches naming no role of the module are one role a condition chooses."""
    (tmp_path / "main.tf").write_text(
        'variable "gpu" {\n  type = bool\n}\n\n'
        'resource "aws_launch_template" "lt" {\n  name = "lt"\n'
        '  metadata_options {\n    http_tokens = "optional"\n  }\n}\n\n'
        'resource "aws_eks_node_group" "ng" {\n  cluster_name  = "c"\n'
        '  node_role_arn = var.gpu ? "arn:aws:iam::111111111111:role/node-a"'
        ' : "arn:aws:iam::111111111111:role/node-b"\n'
        '  subnet_ids    = ["subnet-1"]\n  launch_template {\n'
        '    id      = aws_launch_template.lt.id\n    version = "1"\n  }\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    [finding] = report.findings
    assert (finding.rule_id, finding.resource, finding.roles) == (
        "RL501",
        "aws_eks_node_group.ng",
        (),
    )
    assert "exposes its node role (in the instance profile EKS gives its nodes)" in (
        finding.message
    )
    assert "node-a" not in finding.message and "node-b" not in finding.message


def test_a_node_role_fn_if_chooses_among_arns_of_no_role_of_the_template_names_none(
    tmp_path: Path,
) -> None:
    """As in Terraform (regression hunt r8misc): ``NodeRole: !If [IsA, arn-a, arn-b]`` with
    ARNs of no role of the template gave one compute resource per branch with one fingerprint,
    and the finding kept named node-a only.  Unlinked branches are one role the condition
    chooses; a branch that is a role of the template is still named."""
    code = NODE_ROLE_CHOICES.replace(
        "NodeRole: !If [IsA, !GetAtt RoleA.Arn, !GetAtt RoleB.Arn]",
        'NodeRole: !If [IsA, "arn:aws:iam::111111111111:role/node-a",'
        ' "arn:aws:iam::111111111111:role/node-b"]',
    ).replace(
        'NodeRole: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleB}"',
        'NodeRole: !If [IsA, !GetAtt RoleA.Arn, "arn:aws:iam::111111111111:role/node-b"]',
    )
    (tmp_path / "template.yaml").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501" and f.resource != "WithoutPath"),
        key=lambda f: (f.resource, f.role or ""),
    )
    assert [(f.resource, f.role) for f in findings] == [
        ("BySub", None),
        ("BySub", "RoleA"),
        ("Either", None),
    ]
    assert all("node-a" not in f.message and "node-b" not in f.message for f in findings)
    assert "exposes its node role (in the instance profile" in findings[2].message


def test_a_prefixed_generated_node_role_name_is_a_suffix_in_the_message(tmp_path: Path) -> None:
    """Review of the change: RL501 worded a generated name with its own copy of the role
    card's wording, which called the part after a ``name_prefix`` "a name Terraform
    generates"; it is a suffix, as the card says.  (The ARN here lacks the role's path, so it
    names no role of the module and is quoted.)"""
    code = NODE_ROLES_TERRAFORM.replace(
        'name_prefix = "gpu-"', 'name_prefix = "gpu-"\n  path        = "/team/"'
    ).replace(
        'node_role_arn = var.gpu ? aws_iam_role.gpu.arn : aws_iam_role.pool["a"].arn',
        'node_role_arn = "arn:aws:iam::111122223333:role/${aws_iam_role.gpu.name}"',
    )
    assert 'path        = "/team/"' in code and "role/${aws_iam_role.gpu.name}" in code
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    [finding] = [f for f in report.findings if f.resource == "aws_eks_node_group.either"]
    assert finding.roles == ()
    assert (
        "its node role 'arn:aws:iam::111122223333:role/gpu-<a suffix Terraform generates>'"
        in finding.message
    )


GENERATED_PROFILES_TERRAFORM = """\
resource "aws_iam_role" "node" {
  name = "node"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_instance_profile" "bare" {
  role = aws_iam_role.node.name
}
resource "aws_iam_instance_profile" "prefixed" {
  name_prefix = "node-"
  role        = aws_iam_role.node.name
}
resource "aws_launch_template" "web" {
  name_prefix = "web-"
  iam_instance_profile {
    name = aws_iam_instance_profile.bare.name # bare
  }
}
resource "aws_instance" "web" {
  iam_instance_profile = aws_iam_instance_profile.prefixed.id # prefixed
}
"""


def test_a_generated_instance_profile_name_is_worded_in_the_message(tmp_path: Path) -> None:
    """Hunt tfmodern 2: RL501 quoted a profile without ``name`` (or with ``name_prefix``) as
    rolelint's internal ``<generated:FOLDER#ADDRESS>`` stand-in, scan folder included, into
    every report; it is worded as node roles and the role's card word generated names."""
    code = GENERATED_PROFILES_TERRAFORM
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"), key=lambda f: f.location.line
    )
    assert [(f.resource, f.location.line) for f in findings] == [
        ("aws_launch_template.web", line_of(code, "# bare")),
        ("aws_instance.web", line_of(code, "# prefixed")),
    ]
    assert [f.message.split(" through ")[0] for f in findings] == [
        "aws_launch_template aws_launch_template.web exposes instance profile "
        "'<a name Terraform generates>' (role aws_iam_role.node)",
        "aws_instance aws_instance.web exposes instance profile "
        "'node-<a suffix Terraform generates>' (role aws_iam_role.node)",
    ]


CHOSEN_NAMES_TERRAFORM = """\
variable "profile_name" {}
variable "node_role_name" {}

locals {
  ec2_trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = local.ec2_trust
}
resource "aws_iam_instance_profile" "app" {
  name = var.profile_name
  role = aws_iam_role.app.name
}
resource "aws_instance" "web" {
  iam_instance_profile = aws_iam_instance_profile.app.name # profile
}

resource "aws_iam_role" "node" {
  name               = var.node_role_name
  assume_role_policy = local.ec2_trust
}
resource "aws_launch_template" "nodes" {
  name = "nodes"
  metadata_options {
    http_tokens = "optional"
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name  = "c"
  node_role_arn = "arn:aws:iam::111122223333:role/${aws_iam_role.node.name}"
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "1"
  }
}
"""


def test_a_name_from_a_variable_without_a_default_is_not_said_to_be_generated(
    tmp_path: Path,
) -> None:
    """An instance profile (a node role) named ``var.profile_name``, a variable without a
    default, had the stand-in of a generated name, and RL501 called it "a name Terraform
    generates": whoever applies the module chooses it.  It is an unresolved name; the profile
    still links to its role, and the findings are where they were."""
    code = CHOSEN_NAMES_TERRAFORM
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    findings = sorted(
        (f for f in report.findings if f.rule_id == "RL501"), key=lambda f: f.location.line
    )
    assert [(f.resource, f.role, f.location.line) for f in findings] == [
        ("aws_instance.web", "aws_iam_role.app", line_of(code, "# profile")),
        ("aws_eks_node_group.ng", None, line_of(code, 'http_tokens = "optional"')),
    ]
    assert [f.message.split(" through ")[0] for f in findings] == [
        "aws_instance aws_instance.web exposes instance profile '<unresolved name>' "
        "(role aws_iam_role.app)",
        "aws_eks_node_group aws_eks_node_group.ng exposes its node role "
        "'arn:aws:iam::111122223333:role/<unresolved name>' (in the instance profile EKS gives"
        " its nodes)",
    ]
    assert not [f for f in findings if "generate" in f.message]


NODE_ROLE_FROM_CALLER = """\
variable "gpu" {
  type = bool
}

locals {
  ec2_trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "node" {
  name               = "eks-node"
  assume_role_policy = local.ec2_trust
}

resource "aws_iam_role" "gpu" {
  name               = "eks-gpu"
  path               = "/eks/"
  assume_role_policy = local.ec2_trust
}

module "nodes" {
  source        = "./modules/ng"
  node_role_arn = aws_iam_role.node.arn
}

module "either" {
  source        = "./modules/ng"
  node_role_arn = var.gpu ? aws_iam_role.gpu.arn : aws_iam_role.node.arn
}

module "elsewhere" {
  source        = "./modules/ng"
  node_role_arn = "arn:aws:iam::111111111111:role/eks-node"
}
"""

NODE_GROUP_MODULE = """\
variable "node_role_arn" {
  type = string
}

resource "aws_launch_template" "lt" {
  name = "lt"
  metadata_options {
    http_tokens = "optional" # weak
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name  = "c"
  node_role_arn = var.node_role_arn
  subnet_ids    = ["subnet-1"]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}
"""


def test_a_node_role_a_caller_passes_into_a_module_by_arn_is_the_callers_role(
    tmp_path: Path,
) -> None:
    """Hunt r8misc: a node group module given its node role's ARN by its caller
    (``node_role_arn = var.node_role_arn``, as terraform-aws-eks's node group submodule takes
    ``iam_role_arn``) was linked to no role: the ARN was looked for among the module
    instance's own roles only.  RL501 named no role, and the role's card, its row and its
    suppressions missed the node group.  It is now the role of the tree with that ARN, in each
    branch of a conditional; an ARN that is no role's of the tree (another account's) still
    names none."""
    from rolelint.api import read_text
    from rolelint.checks.imds import served
    from rolelint.parsers.terraform import parse_terraform_directory

    (tmp_path / "main.tf").write_text(NODE_ROLE_FROM_CALLER)
    (tmp_path / "modules" / "ng").mkdir(parents=True)
    (tmp_path / "modules" / "ng" / "main.tf").write_text(NODE_GROUP_MODULE)
    report = lint_paths([str(tmp_path / "main.tf")])
    assert report.errors == []
    weak = line_of(NODE_GROUP_MODULE, "# weak")
    findings = sorted(report.findings, key=lambda f: (f.resource, f.roles))
    # One block, one role: the node groups of module.nodes and of module.either's second
    # branch are one finding, as any two instances of a module's block are.
    assert [(f.rule_id, f.resource, f.location.line, f.roles) for f in findings] == [
        ("RL501", "module.either.aws_eks_node_group.ng", weak, ("aws_iam_role.gpu",)),
        ("RL501", "module.elsewhere.aws_eks_node_group.ng", weak, ()),
        ("RL501", "module.nodes.aws_eks_node_group.ng", weak, ("aws_iam_role.node",)),
    ]
    assert "exposes its node role aws_iam_role.gpu (in the instance profile" in (
        findings[0].message
    )
    assert "its node role 'arn:aws:iam::111111111111:role/eks-node'" in findings[1].message
    assert "exposes its node role aws_iam_role.node (in the instance profile" in (
        findings[2].message
    )
    assert "(also as module.either.aws_eks_node_group.ng)" in findings[2].message
    inventory = parse_terraform_directory(str(tmp_path), read_text).inventory
    served_by = {role.id: sorted(c.id for c in served(role, inventory)) for role in inventory.roles}
    assert served_by == {
        "aws_iam_role.node": [
            "module.either.aws_eks_node_group.ng",
            "module.nodes.aws_eks_node_group.ng",
        ],
        "aws_iam_role.gpu": ["module.either.aws_eks_node_group.ng"],
    }


PROFILES_ACROSS_MODULES = """\
variable "role_name" {
  type = string
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_instance_profile" "worker" {
  name = "worker"
  role = aws_iam_role.app.name
}

module "app" {
  source    = "./modules/app"
  role_name = aws_iam_role.app.name
}

module "unknown" {
  source    = "./modules/app"
  role_name = var.role_name
}

module "stranger" {
  source    = "./modules/app"
  role_name = "not-in-the-tree"
}

module "worker" {
  source       = "./modules/worker"
  profile_name = aws_iam_instance_profile.worker.name # worker
}
"""

PROFILE_MODULE = """\
variable "role_name" {
  type = string
}

resource "aws_iam_instance_profile" "this" {
  name = "app-profile"
  role = var.role_name
}

resource "aws_instance" "this" {
  ami                  = "ami-12345678"
  iam_instance_profile = aws_iam_instance_profile.this.name
  metadata_options {
    http_tokens = "optional" # app
  }
}
"""

WORKER_MODULE = """\
variable "profile_name" {
  type = string
}

resource "aws_launch_template" "this" {
  name = "worker"
  iam_instance_profile {
    name = var.profile_name
  }
}
"""


def write_profiles_across_modules(directory: Path) -> Path:
    """The project of PROFILES_ACROSS_MODULES, with its modules; its root module file."""
    (directory / "main.tf").write_text(PROFILES_ACROSS_MODULES)
    for module, text in (("app", PROFILE_MODULE), ("worker", WORKER_MODULE)):
        (directory / "modules" / module).mkdir(parents=True)
        (directory / "modules" / module / "main.tf").write_text(text)
    return directory / "main.tf"


def test_an_instance_profile_and_its_role_are_linked_across_module_instances(
    tmp_path: Path,
) -> None:
    """An instance profile a module creates for the role its caller creates (``role =
    var.role_name``) was held by the role, but was looked for among the profiles of the role's
    own module instance only: RL501 at the module's instance named no role, and the role's
    card said no instance uses its profiles.  So too for an instance of a module given a
    profile of its caller (``iam_instance_profile = var.profile_name``).  Both are now linked
    through the instance that creates the profile; a role name that is unresolved or names no
    role of the tree links nothing.  The root named alone reads the modules it calls on their
    own too, as a scan of its folder does: modules/worker read alone is given no profile."""
    from rolelint.api import read_text
    from rolelint.checks.imds import served
    from rolelint.parsers.terraform import parse_terraform_directory

    report = lint_paths([str(write_profiles_across_modules(tmp_path))])
    assert (report.errors, report.notices) == ([], [])
    findings = sorted(report.findings, key=lambda f: f.resource)
    app, worker = line_of(PROFILE_MODULE, "# app"), line_of(PROFILES_ACROSS_MODULES, "# worker")
    alone = line_of(WORKER_MODULE, "name = var.profile_name")
    assert [(f.rule_id, f.resource, f.location.line, f.roles) for f in findings] == [
        ("RL501", "aws_launch_template.this", alone, ()),
        ("RL501", "module.app.aws_instance.this", app, ("aws_iam_role.app",)),
        ("RL501", "module.unknown.aws_instance.this", app, ()),
        ("RL501", "module.worker.aws_launch_template.this", worker, ("aws_iam_role.app",)),
    ]
    assert "instance profile 'app-profile' (role aws_iam_role.app)" in findings[1].message
    assert "(also as module.stranger.aws_instance.this)" in findings[2].message
    assert "instance profile 'worker' (role aws_iam_role.app)" in findings[3].message
    assert [f.role for f in findings] == [None, "aws_iam_role.app", None, "aws_iam_role.app"]
    inventory = parse_terraform_directory(str(tmp_path), read_text).inventory
    [role] = inventory.roles
    assert [c.id for c in served(role, inventory)] == [
        "module.app.aws_instance.this",
        "module.worker.aws_launch_template.this",
    ]
    assert [name for _, name in role.instance_profile_keys] == ["worker", "app-profile"]


AMBIGUOUS_PROFILE = """\
provider "aws" {
  alias = "a"
}

provider "aws" {
  alias = "b"
}

module "in_a" {
  source    = "./modules/profile"
  providers = { aws = aws.a }
}

module "in_b" {
  source    = "./modules/profile"
  providers = { aws = aws.b }
}

module "in_a_too" {
  source       = "./modules/instance"
  profile_name = "shared"
  providers    = { aws = aws.a }
}

module "either" {
  source       = "./modules/instance"
  profile_name = "shared"
}
"""

SHARED_PROFILE_MODULE = """\
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_instance_profile" "this" {
  name = "shared"
  role = aws_iam_role.app.name
}
"""

INSTANCE_MODULE = """\
variable "profile_name" {
  type = string
}

resource "aws_instance" "this" {
  ami                  = "ami-12345678"
  iam_instance_profile = var.profile_name
  metadata_options {
    http_tokens = "optional" # weak
  }
}
"""


def test_a_profile_name_of_several_module_instances_is_the_one_in_the_accounts(
    tmp_path: Path,
) -> None:
    """A profile name passed into a module is the profile of that name in the module's account
    (its provider), as attachments find a role their caller creates; when the providers do not
    tell which of several it is, none is linked and a notice says so."""
    (tmp_path / "main.tf").write_text(AMBIGUOUS_PROFILE)
    for module, text in (("profile", SHARED_PROFILE_MODULE), ("instance", INSTANCE_MODULE)):
        (tmp_path / "modules" / module).mkdir(parents=True)
        (tmp_path / "modules" / module / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path / "main.tf")])
    assert report.errors == []
    weak = line_of(INSTANCE_MODULE, "# weak")
    findings = sorted(report.findings, key=lambda f: f.resource)
    assert [(f.rule_id, f.resource, f.location.line, f.roles) for f in findings] == [
        ("RL501", "module.either.aws_instance.this", weak, ()),
        ("RL501", "module.in_a_too.aws_instance.this", weak, ("module.in_a.aws_iam_role.app",)),
    ]
    [notice] = report.notices
    assert notice.file.endswith(os.path.join("modules", "instance", "main.tf"))
    assert notice.line == line_of(INSTANCE_MODULE, 'resource "aws_instance"')
    assert notice.message == (
        "the instance profile name 'shared' is given to several instance profiles"
        " (module.in_a.aws_iam_instance_profile.this, module.in_b.aws_iam_instance_profile.this),"
        " created through providers that do not tell which one this resource means: none is"
        " linked"
    )


PROFILE_BY_ARN_TEMPLATE = """\
Resources:
  ByArn:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Arn: arn:aws:iam::111122223333:instance-profile/app-ec2
        ImageId: ami-0123456789abcdef0
  OtherAccount:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Arn: arn:aws:iam::444455556666:instance-profile/app-ec2
        ImageId: ami-0123456789abcdef0
  ByName:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Name: app-ec2
        ImageId: ami-0123456789abcdef0
"""


def write_profile_by_arn(directory: Path) -> tuple[Path, Path]:
    """A template whose launch templates name, by its exact ARN, by another account's ARN and
    by its name, the instance profile of role app-ec2 of an account export."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    profile = {
        "Path": "/",
        "InstanceProfileName": "app-ec2",
        "Arn": "arn:aws:iam::111122223333:instance-profile/app-ec2",
    }
    export = {
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "app-ec2",
                "Arn": "arn:aws:iam::111122223333:role/app-ec2",
                "AssumeRolePolicyDocument": trust,
                "InstanceProfileList": [profile],
                "RolePolicyList": [],
                "AttachedManagedPolicies": [],
            }
        ]
    }
    template = directory / "lt.yaml"
    template.write_text(PROFILE_BY_ARN_TEMPLATE, encoding="utf-8")
    account = directory / "account.json"
    account.write_text(json.dumps(export, indent=2), encoding="utf-8")
    return template, account


def test_a_profile_named_by_its_exact_arn_names_the_role_of_an_export(tmp_path: Path) -> None:
    """A launch template naming an exported role's instance profile by its ARN: RL501 named no
    role, though its rationale says the finding names the role the profile holds.  Another
    account's profile of the same name is not that one, and a name alone names a profile of
    the template only (README)."""
    template, account = write_profile_by_arn(tmp_path)
    findings = lint_paths([str(template), str(account)]).findings
    named = {f.resource: (f.role, f.roles) for f in findings if f.rule_id == "RL501"}
    role = f"{account}#app-ec2"
    assert named == {"ByArn": (role, (role,)), "OtherAccount": (None, ()), "ByName": (None, ())}
    [by_arn] = [f for f in findings if f.rule_id == "RL501" and f.resource == "ByArn"]
    assert f"(role {role})" in by_arn.message


PROFILE_BY_EXACT_ARN_TERRAFORM = """\
resource "aws_launch_template" "by_arn" {
  iam_instance_profile {
    arn = "arn:aws:iam::111122223333:instance-profile/app-ec2"
  }
}
resource "aws_launch_template" "other_account" {
  iam_instance_profile {
    arn = "arn:aws:iam::444455556666:instance-profile/app-ec2"
  }
}
resource "aws_launch_template" "by_name" {
  iam_instance_profile {
    name = "app-ec2"
  }
}
resource "aws_launch_configuration" "by_arn" {
  image_id             = "ami-0123456789abcdef0"
  iam_instance_profile = "arn:aws:iam::111122223333:instance-profile/app-ec2"
}
resource "aws_instance" "via_template" {
  ami = "ami-0123456789abcdef0"
  launch_template { # via template
    id = aws_launch_template.by_arn.id
  }
}
resource "aws_autoscaling_group" "workers" {
  min_size = 1
  max_size = 2
  launch_template {
    id = aws_launch_template.by_arn.id
  }
}
"""


def test_a_terraform_profile_named_by_its_exact_arn_names_the_role_of_an_export(
    tmp_path: Path,
) -> None:
    """A Terraform launch template (or launch configuration, or an instance through its
    launch template, as an Auto Scaling group launches it) naming an exported role's instance
    profile by its ARN: the ARN was cut to its name, which names a profile of the module tree
    only, so RL501 named no role, as it does for a CloudFormation template (above).  Another
    account's profile of that name is not that one, and a name alone is the module's."""
    _, account = write_profile_by_arn(tmp_path)
    (tmp_path / "lt.yaml").unlink()
    (tmp_path / "main.tf").write_text(PROFILE_BY_EXACT_ARN_TERRAFORM, encoding="utf-8")
    findings = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL501"]
    role = f"{account}#app-ec2"
    named = {f.resource: (f.location.line, f.role, f.roles) for f in findings}
    code = PROFILE_BY_EXACT_ARN_TERRAFORM
    assert named == {
        "aws_launch_template.by_arn": (3, role, (role,)),
        "aws_launch_template.other_account": (8, None, ()),
        "aws_launch_template.by_name": (13, None, ()),
        "aws_launch_configuration.by_arn": (18, role, (role,)),
        "aws_instance.via_template": (line_of(code, "# via template"), role, (role,)),
    }
    for finding in findings:
        if finding.role is not None:
            assert (
                "exposes instance profile 'arn:aws:iam::111122223333:instance-profile/app-ec2'"
                f" (role {role}) through IMDSv1"
            ) in finding.message


INSTANCE_BY_ARN_TERRAFORM = """\
variable "exported" { type = bool }
resource "aws_instance" "exact" {
  ami                  = "ami-0123456789abcdef0"
  iam_instance_profile = "arn:aws:iam::111122223333:instance-profile/app-ec2"
}
resource "aws_spot_instance_request" "spot" {
  ami                  = "ami-0123456789abcdef0"
  iam_instance_profile = "arn:aws:iam::111122223333:role/app-ec2"
}
resource "aws_instance" "either" {
  ami                  = "ami-0123456789abcdef0"
  iam_instance_profile = var.exported ? "arn:aws:iam::111122223333:instance-profile/app-ec2" : "own"
}
"""


def _instance_by_arn_plan() -> str:
    """The plan of INSTANCE_BY_ARN_TERRAFORM's first two instances, as Terraform writes their
    literal values."""
    from tests.parsers.test_tf_plan import plan_text, resource

    ami = "ami-0123456789abcdef0"
    return plan_text(
        [
            resource(
                "aws_instance",
                "exact",
                {
                    "ami": ami,
                    "iam_instance_profile": "arn:aws:iam::111122223333:instance-profile/app-ec2",
                },
            ),
            resource(
                "aws_spot_instance_request",
                "spot",
                {"ami": ami, "iam_instance_profile": "arn:aws:iam::111122223333:role/app-ec2"},
            ),
        ]
    )


@pytest.mark.parametrize("form", ["hcl", "plan"])
def test_an_instance_s_own_profile_given_by_arn_is_a_note_and_links_no_profile(
    tmp_path: Path, form: str
) -> None:
    """EC2 takes an ``aws_instance``'s (or a spot request's) ``iam_instance_profile`` as the
    profile's name (the provider sends it as IamInstanceProfileSpecification.Name), so an ARN
    there fails the apply.  It was linked by that exact ARN to an exported role's profile:
    RL501 said the instance exposed app-ec2's credentials.  Both Terraform readers now say
    it fails, at the value, and link no profile; a condition's other branch, a name, is
    still read."""
    write_profile_by_arn(tmp_path)  # the export holding app-ec2's profile
    (tmp_path / "lt.yaml").unlink()
    if form == "hcl":
        code = INSTANCE_BY_ARN_TERRAFORM
        (tmp_path / "main.tf").write_text(code, encoding="utf-8")
    else:
        code = _instance_by_arn_plan()
        (tmp_path / "plan.json").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    notes = sorted(
        (n.line, n.message.partition(": ")[0])
        for n in report.notices
        if "where EC2 takes" in n.message
    )
    expected = [
        (line_of(code, "instance-profile/app-ec2"), "iam_instance_profile of aws_instance.exact"),
        (line_of(code, ":role/app-ec2"), "iam_instance_profile of aws_spot_instance_request.spot"),
    ]
    if form == "hcl":
        expected.append(
            (line_of(code, "var.exported ?"), "iam_instance_profile of aws_instance.either")
        )
    assert notes == sorted(expected)
    said = {n.message.partition(": ")[2] for n in report.notices if "where EC2 takes" in n.message}
    assert said == {
        "the ARN of instance profile 'app-ec2', where EC2 takes its name: a deployment with it"
        " fails, and no instance profile is linked for it",
        "'arn:aws:iam::111122223333:role/app-ec2' is an ARN, where EC2 takes an instance"
        " profile's name: a deployment with it fails, and no instance profile is linked for it",
    }
    found = [f for f in report.findings if f.rule_id == "RL501"]
    if form == "plan":
        assert found == []
    else:  # the branch that names a profile by name launches with it
        [either] = found
        assert (either.resource, either.role) == ("aws_instance.either", None)
        assert "exposes instance profile 'own' through IMDSv1" in either.message


INSTANCE_BY_ARN_TEMPLATE = """\
Parameters:
  Exported:
    Type: String
Conditions:
  UseExported: !Equals [!Ref Exported, "yes"]
Resources:
  Exact:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: arn:aws:iam::111122223333:instance-profile/app-ec2
  RoleArn:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-ec2
  Either:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: !If
        - UseExported
        - arn:aws:iam::111122223333:instance-profile/app-ec2  # the exported one
        - own
  OverTemplate:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: arn:aws:iam::111122223333:instance-profile/app-ec2  # over template
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: !GetAtt Template.LatestVersionNumber
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Name: template-profile
  Scaling:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      IamInstanceProfile: arn:aws:iam::111122223333:instance-profile/app-ec2  # by ARN
"""


def test_a_cloudformation_instance_s_own_profile_given_by_arn_is_a_note_and_links_none(
    tmp_path: Path,
) -> None:
    """An AWS::EC2::Instance's IamInstanceProfile is "The name of an IAM instance profile"
    (CloudFormation's reference), so an ARN there fails the deployment.  It was linked by that
    exact ARN to an exported role's profile: RL501 said the instance exposed app-ec2's
    credentials.  Each ARN is now a note at the value, as the Terraform readers say it, and
    links no profile; a condition's other branch, a name, is still the instance's profile, and
    an instance whose every value is refused does not take its launch template's (it launches
    nothing).  A launch configuration takes an ARN: still linked."""
    write_profile_by_arn(tmp_path)  # the export holding app-ec2's profile
    (tmp_path / "lt.yaml").unlink()
    code = INSTANCE_BY_ARN_TEMPLATE
    (tmp_path / "servers.yaml").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    notes = sorted(
        (n.line, n.message.partition(": ")[0])
        for n in report.notices
        if "where EC2 takes" in n.message
    )
    assert notes == [
        (line_of(code, "instance-profile/app-ec2"), "IamInstanceProfile of Exact"),
        (line_of(code, ":role/app-ec2"), "IamInstanceProfile of RoleArn"),
        (line_of(code, "# the exported one"), "IamInstanceProfile of Either"),
        (line_of(code, "# over template"), "IamInstanceProfile of OverTemplate"),
    ]
    said = {n.message.partition(": ")[2] for n in report.notices if "where EC2 takes" in n.message}
    assert said == {
        "the ARN of instance profile 'app-ec2', where EC2 takes its name: a deployment with it"
        " fails, and no instance profile is linked for it",
        "'arn:aws:iam::${AWS::AccountId}:role/app-ec2' is an ARN, where EC2 takes an instance"
        " profile's name: a deployment with it fails, and no instance profile is linked for it",
    }
    found = {f.resource: (f.location.line, f.role) for f in report.findings if f.rule_id == "RL501"}
    role = f"{tmp_path / 'account.json'}#app-ec2"
    assert found == {
        "Either": (line_of(code, "- own"), None),
        "Template": (line_of(code, "Name: template-profile"), None),
        "Scaling": (line_of(code, "# by ARN"), role),
    }


PROFILE_ARN_BY_GETATT = """\
Conditions:
  Named: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  ByArn:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: !GetAtt Profile.Arn
  ByArnList:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: {"Fn::GetAtt": [Profile, Arn]}
  Either:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: !If [Named, !GetAtt Profile.Arn, own]
  ByName:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      IamInstanceProfile: !Ref Profile
"""


def test_a_cloudformation_instance_s_profile_given_by_get_att_arn_is_a_note_and_links_none(
    tmp_path: Path,
) -> None:
    """``IamInstanceProfile: !GetAtt Profile.Arn`` gives the profile's ARN, which EC2 refuses
    there as it refuses a written one (it takes a name: ``!Ref Profile``).  The GetAtt was
    taken for the profile itself, so RL501 said the instance exposed Role's credentials; it is
    now the same note as a written ARN, and names the profile by its logical id (a branch of
    a condition, by what its generated name is)."""
    code = PROFILE_ARN_BY_GETATT
    (tmp_path / "servers.yaml").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    notes = sorted((n.line, n.message) for n in report.notices if "where EC2 takes" in n.message)
    refused = (
        "where EC2 takes its name: a deployment with it fails, and no instance profile is"
        " linked for it"
    )
    assert notes == [
        (
            line_of(code, "IamInstanceProfile: !GetAtt Profile.Arn"),
            "IamInstanceProfile of ByArn: the ARN of instance profile Profile"
            f" (Fn::GetAtt Profile.Arn), {refused}",
        ),
        (
            line_of(code, "[Profile, Arn]"),
            "IamInstanceProfile of ByArnList: the ARN of instance profile Profile"
            f" (Fn::GetAtt Profile.Arn), {refused}",
        ),
        (
            line_of(code, "!If [Named"),
            "IamInstanceProfile of Either: the ARN of instance profile"
            f" '<a name CloudFormation generates>', {refused}",
        ),
    ]
    found = {f.resource: f.role for f in report.findings if f.rule_id == "RL501"}
    assert found == {"ByName": "Role", "Either": None}


PROFILE_ARN_FROM_CALLER = """\
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
resource "aws_iam_instance_profile" "app" {
  name = "app-ec2"
  path = "/ec2/"
  role = aws_iam_role.app.name
}
module "workers" {
  source      = "./modules/workers"
  profile_arn = aws_iam_instance_profile.app.arn
}
"""

WORKERS_MODULE = """\
variable "profile_arn" {
  type = string
}
resource "aws_launch_template" "this" {
  iam_instance_profile {
    arn = var.profile_arn
  }
}
resource "aws_launch_configuration" "this" {
  image_id             = "ami-0123456789abcdef0"
  iam_instance_profile = var.profile_arn
}
"""


def test_a_terraform_profile_named_by_its_arn_attribute_is_the_trees_profile(
    tmp_path: Path,
) -> None:
    """``aws_iam_instance_profile.app.arn`` passed to a module: the profile of the caller,
    whose name the message quotes, not the ARN with a placeholder for the account; an export
    holding a profile of that name in some account is another one."""
    _, account = write_profile_by_arn(tmp_path)
    (tmp_path / "main.tf").write_text(PROFILE_ARN_FROM_CALLER, encoding="utf-8")
    (tmp_path / "modules" / "workers").mkdir(parents=True)
    (tmp_path / "modules" / "workers" / "main.tf").write_text(WORKERS_MODULE, encoding="utf-8")
    report = lint_paths([str(tmp_path / "main.tf"), str(account)])
    # The caller's findings (outside a project the module is also read alone, as a scan of
    # the folder reads it: its own findings, at its own lines, name no role).
    caller = str(tmp_path / "main.tf")
    findings = [f for f in report.findings if f.rule_id == "RL501" and f.file == caller]
    # Each where the caller writes the ARN.
    at = line_of(PROFILE_ARN_FROM_CALLER, "profile_arn =")
    assert sorted((f.resource, Path(f.file).name, f.location.line, f.role) for f in findings) == [
        ("module.workers.aws_launch_configuration.this", "main.tf", at, "aws_iam_role.app"),
        ("module.workers.aws_launch_template.this", "main.tf", at, "aws_iam_role.app"),
    ]
    for finding in findings:
        assert "exposes instance profile 'app-ec2' (role aws_iam_role.app)" in finding.message
