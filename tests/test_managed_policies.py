"""AWS managed policies attached by ARN are evaluated from their documents, in every format."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolelint.api import audit_paths, lint_paths
from rolelint.managed_policies import DATA, arn_of, document_for, known_policies, policy_name
from rolelint.model import ManagedPolicyRef, PolicyDocument, Value
from rolelint.source import SourceRef, Span
from tests.conftest import run_rolelint

CFN = """\
Resources:
  Ops:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/POLICY
"""
TERRAFORM = """\
resource "aws_iam_role" "ops" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy_attachment" "ops" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/POLICY"
}
"""


def findings(tmp_path: Path, form: str, policy: str) -> set[tuple[str, int]]:
    if form == "cloudformation":
        path = tmp_path / "template.yaml"
        path.write_text(CFN.replace("POLICY", policy))
    else:
        path = tmp_path / "main.tf"
        path.write_text(TERRAFORM.replace("POLICY", policy))
    report = lint_paths([str(path)])
    assert report.errors == []
    return {(f.rule_id, f.location.line) for f in report.findings}


@pytest.mark.parametrize(
    ("policy", "rules"),
    [
        ("AdministratorAccess", {"RL201"}),
        ("IAMFullAccess", {"RL201"}),
        ("PowerUserAccess", {"RL204", "RL203", "RL206", "RL207"}),
        ("IAMReadOnlyAccess", set()),
        ("AmazonSSMFullAccess", {"RL202", "RL203", "RL206", "RL208"}),
        ("AWSLambdaBasicExecutionRole", set()),
        ("AmazonS3FullAccess", {"RL202", "RL203", "RL208"}),
        # Service-role policies: AWS's minimum for the service, so no RL203 for their writes on
        # "*"; the secret reads of the instance core policy are still reported.
        ("AmazonEKSClusterPolicy", set()),
        ("AmazonEKS_CNI_Policy", set()),
        ("AmazonSSMManagedInstanceCore", {"RL208"}),
        ("ReadOnlyAccess", set()),  # not shipped: stays an unresolved reference
        # EMR's policies are on AWS's deprecation path, narrower ones recommended: not marked.
        ("service-role/AmazonElasticMapReduceforEC2Role", {"RL202", "RL203", "RL208"}),
        ("service-role/AmazonElasticMapReduceRole", {"RL203", "RL206", "RL208"}),
        # glue:* grants glue:UpdateDevEndpoint: an escalation even in a service-role policy.
        ("service-role/AWSGlueServiceRole", {"RL202", "RL206"}),
    ],
)
def test_the_same_findings_at_the_attaching_line_in_every_format(
    tmp_path: Path, policy: str, rules: set[str]
) -> None:
    cloudformation = findings(tmp_path, "cloudformation", policy)
    terraform = findings(tmp_path, "terraform", policy)
    assert {rule for rule, _ in cloudformation} == rules
    assert {rule for rule, _ in terraform} == rules
    assert {line for _, line in cloudformation} <= {10}  # the ARN in ManagedPolicyArns
    assert {line for _, line in terraform} <= {10}  # policy_arn of the attachment


def test_service_role_policies_are_marked_and_broad_ones_are_not() -> None:
    policies = known_policies()
    assert policies["AmazonEKSClusterPolicy"].get("service_role") is True
    assert "service_role" not in policies["AmazonS3FullAccess"]
    assert "service_role" not in policies["AdministratorAccess"]


# Attached to the roles of data pipelines and containers: their text was not shipped, so each
# stayed an unread reference, judged by no rule (an EMR instance role allowing s3:* on "*": 0
# findings, exit 0).
COMMON_SERVICE_ROLE_POLICIES = {
    "AmazonElasticMapReduceforEC2Role": False,
    "AmazonElasticMapReduceRole": False,
    "AmazonECSTaskExecutionRolePolicy": True,
    "AWSGlueServiceRole": True,
    "AWSLambdaSQSQueueExecutionRole": True,
    "AWSLambdaBasicExecutionRole": True,
    "AWSLambdaVPCAccessExecutionRole": True,
    "AmazonSSMManagedInstanceCore": True,
}


@pytest.mark.parametrize(("name", "service_role"), sorted(COMMON_SERVICE_ROLE_POLICIES.items()))
def test_common_service_role_policies_are_read(
    tmp_path: Path, name: str, service_role: bool
) -> None:
    arn = arn_of(name, "aws")
    assert arn is not None, name
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("!Sub arn:${AWS::Partition}:iam::aws:policy/POLICY", arn))
    [role] = audit_paths([str(path)]).inventory.roles
    assert role.managed_policy_arns == ()
    [document] = role.policies
    assert document.aws_managed and document.service_role_policy is service_role
    assert document.origin.startswith(f"AWS managed policy {name} (v")


def test_the_emr_instance_role_policy_is_judged_at_its_arn(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("POLICY", "service-role/AmazonElasticMapReduceforEC2Role"))
    report = lint_paths([str(path)])
    assert report.errors == []
    assert {(f.location.line, f.location.column) for f in report.findings} == {(10, 11)}
    wildcards = sorted(f.message.rsplit("(", 1)[1] for f in report.findings if f.rule_id == "RL202")
    assert wildcards == [
        f"'{service}:*')" for service in ("cloudwatch", "dynamodb", "s3", "sdb", "sns", "sqs")
    ]
    [writes] = [f for f in report.findings if f.rule_id == "RL203"]
    assert writes.message.startswith(
        "AWS managed policy AmazonElasticMapReduceforEC2Role (v3, edited 2017-08-11) attached to"
        " role Ops allows write actions 'cloudwatch:*', 'dynamodb:*'"
    )
    [reads] = [f for f in report.findings if f.rule_id == "RL208"]
    assert "'s3:*' (includes s3:GetObject) on every resource" in reads.message


def test_the_finding_names_the_policy_version_and_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("POLICY", "AdministratorAccess"))
    [finding] = lint_paths([str(path)]).findings
    assert finding.message.startswith(
        "AWS managed policy AdministratorAccess (v1, edited 2015-02-06) attached to role Ops"
    )


def test_policy_names_from_arns() -> None:
    at = SourceRef("t.yaml")
    assert policy_name(Value("arn:aws-cn:iam::aws:policy/IAMFullAccess", at)) == "IAMFullAccess"
    assert policy_name(Value("arn:aws:iam::aws:policy/service-role/X", at)) == "X"
    assert policy_name(Value("arn:aws:iam::123456789012:policy/Mine", at)) is None
    assert policy_name(Value(None, at, "parameter")) is None


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ("arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ("arn:${AWS::Partition}:iam::aws:policy/IAMFullAccess", "IAMFullAccess"),
        (
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "AWSLambdaBasicExecutionRole",
        ),
        (
            "arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
            "AmazonEC2ContainerServiceforEC2Role",
        ),
        # A known name under a path where AWS has no policy of that name: the ARN names nothing.
        ("arn:aws:iam::aws:policy/service-role/AdministratorAccess", None),
        ("arn:aws:iam::aws:policy/job-function/IAMFullAccess", None),
        ("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", None),
        ("arn:aws:iam::aws:policy/other/AWSLambdaBasicExecutionRole", None),
    ],
)
def test_a_shipped_policy_is_resolved_at_its_own_path_only(arn: str, name: str | None) -> None:
    """Matched by its last segment alone, ``service-role/AdministratorAccess`` (an ARN that
    does not exist, whose attachment fails) was judged as AdministratorAccess: critical RL201."""
    document = document_for(ManagedPolicyRef(Value(arn, ARN_AT)), "Ops")
    if name is None:
        assert document is None
    else:
        assert document is not None and document.origin.startswith(f"AWS managed policy {name} ")


WRONG_PATHS = """\
Resources:
  Ops:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AdministratorAccess
        - !Sub arn:${AWS::Partition}:iam::aws:policy/job-function/IAMFullAccess
"""


def test_a_known_name_under_another_path_stays_an_unresolved_reference(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(WRONG_PATHS)
    audit = audit_paths([str(path)])
    assert audit.report.errors == []
    assert audit.report.findings == []
    [role] = audit.inventory.roles
    assert [ref.arn.text for ref in role.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AdministratorAccess",
        "arn:aws:iam::aws:policy/job-function/IAMFullAccess",
    ]
    assert role.policies == ()


def test_a_partition_from_terraform_data_resolves_at_the_policy_path(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        TERRAFORM.replace(
            '"arn:aws:iam::aws:policy/POLICY"',
            '"arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess"',
        )
        + 'data "aws_partition" "p" {}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert {(f.rule_id, f.location.line) for f in report.findings} == {("RL201", 10)}


def test_every_shipped_policy_records_its_version_and_date() -> None:
    retrieved = datetime.date.fromisoformat(yaml.safe_load(DATA.read_text())["retrieved"])
    for name, entry in known_policies().items():
        assert re.fullmatch(r"v[1-9][0-9]*", entry["policy_version"]), name
        assert datetime.date.fromisoformat(entry["edited"]) <= retrieved, name
        assert entry["statements"], name


ARN_AT = SourceRef("template.yaml", Span(10, 11, 10, 73))
STATEMENT_KEYS = {"effect", "actions", "not_actions", "resources", "not_resources", "conditions"}


def resolved(name: str) -> PolicyDocument:
    arn = Value(arn_of(name, "aws") or "", ARN_AT)
    document = document_for(ManagedPolicyRef(arn), "Ops")
    assert document is not None, name
    return document


def all_strings(raw: Any) -> bool:
    """Every key and leaf of a statement is text: YAML did not turn "true" or "Null" into others."""
    if isinstance(raw, dict):
        return all(isinstance(key, str) and all_strings(value) for key, value in raw.items())
    if isinstance(raw, list):
        return all(all_strings(item) for item in raw)
    return isinstance(raw, str)


@pytest.mark.parametrize("name", sorted(known_policies()))
def test_every_shipped_policy_loads_whole_at_the_attaching_arn(name: str) -> None:
    entries = known_policies()[name]["statements"]
    document = resolved(name)
    assert document.aws_managed and document.ref == ARN_AT
    assert len(document.statements) == len(entries)
    for raw, statement in zip(entries, document.statements, strict=True):
        assert set(raw) <= STATEMENT_KEYS, name
        assert all_strings(raw), name
        assert statement.effect is not None and statement.effect.text in ("Allow", "Deny")
        assert bool(statement.actions) != bool(statement.not_actions), name
        assert bool(statement.resources) != bool(statement.not_resources), name
        assert len(statement.conditions) == sum(map(len, raw.get("conditions", {}).values()))
        values = [*statement.actions, *statement.not_actions, *statement.resources]
        values += [*statement.not_resources, *(v for c in statement.conditions for v in c.values)]
        assert all(value.ref == ARN_AT and value.text for value in values), name


def test_conditions_are_carried_like_those_of_a_written_policy() -> None:
    statements = resolved("AWSLambda_FullAccess").statements
    [pass_role] = [s for s in statements if [a.text for a in s.actions] == ["iam:PassRole"]]
    [condition] = pass_role.conditions
    assert (condition.operator, condition.key) == ("StringEquals", "iam:PassedToService")
    assert [v.text for v in condition.values] == ["lambda.amazonaws.com"]
    assert condition.ref == condition.operator_ref == ARN_AT
    # Two operators on one statement give two conditions, each with its own values.
    [glue_ec2] = [
        s for s in resolved("AWSGlueConsoleFullAccess").statements if len(s.conditions) > 1
    ]
    assert {(c.operator, c.key, tuple(v.text for v in c.values)) for c in glue_ec2.conditions} == {
        (
            "StringLike",
            "ec2:ResourceTag/aws:cloudformation:stack-id",
            ("arn:aws:cloudformation:*:*:stack/aws-glue-*/*",),
        ),
        ("StringEquals", "ec2:ResourceTag/aws:cloudformation:logical-id", ("ZeppelinInstance",)),
    }


def test_not_resource_is_carried() -> None:
    first = resolved("AmazonSageMakerFullAccess").statements[0]
    assert first.has_not_resource and first.not_resource_ref == ARN_AT and not first.resources
    assert "arn:aws:sagemaker:*:*:domain/*" in [r.text for r in first.not_resources]


def test_ssm_full_access_is_privilege_escalation_at_the_arn(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("POLICY", "AmazonSSMFullAccess"))
    report = lint_paths([str(path)])
    assert report.errors == []
    assert {(f.location.line, f.location.column) for f in report.findings} == {(10, 11)}
    [escalation] = [f for f in report.findings if f.rule_id == "RL206"]
    assert escalation.message.startswith(
        "AWS managed policy AmazonSSMFullAccess (v4, edited 2019-11-20) attached to role Ops"
    )
    assert "'ssm:*' on '*'" in escalation.message
    assert "ssm:SendCommand" in escalation.message


def test_a_condition_of_the_managed_policy_reaches_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("POLICY", "AWSLambda_FullAccess"))
    [pass_role] = [
        f
        for f in lint_paths([str(path)]).findings
        if f.rule_id == "RL206" and "PassRole" in f.message
    ]
    assert pass_role.location.line == 10
    assert "only to lambda.amazonaws.com (iam:PassedToService)" in pass_role.message


UNSHIPPED = """\
Parameters:
  Extra: {Type: String}
Resources:
  Batch:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/service-role/AdministratorAccess
        - arn:aws:iam::123456789012:policy/Mine
        - !Ref Extra
  Auditor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  Person:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
"""


def test_an_unshipped_aws_managed_policy_gets_one_notice_at_its_first_attachment(
    tmp_path: Path,
) -> None:
    """An attached AWS managed policy rolelint has no document of was judged by no rule, and
    ``check`` said nothing (0 findings, no notice, exit 0): only ``roles`` showed "+1 unread
    policy".  One notice per policy now says so, however many hold it; an unresolved ARN, a
    customer managed one, a shipped one and a shipped name at a path AWS has no policy at get
    none."""
    path = tmp_path / "template.yaml"
    path.write_text(UNSHIPPED)
    report = lint_paths([str(path)])
    assert report.errors == [] and report.findings == []
    notes = [(n.file, n.line, n.column, n.message) for n in report.notices]
    assert notes == [
        (
            str(path),
            12,
            11,
            "AWS managed policy ReadOnlyAccess is not in rolelint's policy data: what it grants"
            " is not judged (2 roles and 1 user hold it; attached here first)",
        ),
        (
            str(path),
            13,
            11,
            "AWS managed policy AWSBatchServiceRole is not in rolelint's policy data: what it"
            " grants is not judged (1 role holds it)",
        ),
    ]


def test_the_notice_is_printed_by_check_and_leaves_the_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(UNSHIPPED)
    text = run_rolelint("check", str(path), "--no-cache")
    assert text.returncode == 0, text.stderr
    assert text.stdout.count("not in rolelint's policy data") == 2
    assert f"{path}:13:11: note: AWS managed policy AWSBatchServiceRole is not" in text.stdout
    result = run_rolelint("check", str(path), "--no-cache", "--format", "json")
    assert result.returncode == 0, result.stderr
    notices = json.loads(result.stdout)["notices"]
    assert [sorted(notice) for notice in notices] == [["column", "file", "line", "message"]] * 2


def test_the_card_says_rolelint_does_not_ship_the_policy_s_text(tmp_path: Path) -> None:
    """The card said "its text is not in the scanned files": no scan ever holds the text of an
    AWS managed policy, so that was never the reason."""
    from rolelint.audit.card import role_card
    from rolelint.audit.rows import FindingsByHolder, inventory_rows

    path = tmp_path / "template.yaml"
    path.write_text(UNSHIPPED)
    audit = audit_paths([str(path)])
    rows = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    [batch] = [role for role in audit.inventory.roles if role.id == "Batch"]
    [row] = [row for row in rows if row.name == "Batch"]
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    card = role_card(batch, row, audit.inventory, audit.graph, findings)
    [policies] = [s for s in card.sections if s.title == "Permission policies"]
    unread = [line.text for line in policies.lines if "not readable here" in line.text]
    ships = (
        "(an AWS managed policy whose text rolelint does not ship: what it grants is not judged)"
    )
    assert unread == [
        f"managed policy arn:aws:iam::aws:policy/ReadOnlyAccess: not readable here {ships}",
        "managed policy arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole: not readable"
        f" here {ships}",
        "managed policy arn:aws:iam::aws:policy/service-role/AdministratorAccess: not readable"
        " here (its text is not in the scanned files)",
        "managed policy arn:aws:iam::123456789012:policy/Mine: not readable here (its text is"
        " not in the scanned files)",
        "managed policy <unresolved: parameter Extra has no default>: not readable here (its"
        " text is not in the scanned files)",
    ]


PERMISSION_SET_TEMPLATE = """\
Resources:
  ReadOnly:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
      Name: ReadOnly
      ManagedPolicies:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole
  Auditor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
"""

PERMISSION_SET_HCL = """\
resource "aws_ssoadmin_permission_set" "audit" {
  name         = "Audit"
  instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
}

resource "aws_ssoadmin_managed_policy_attachment" "audit" {
  instance_arn       = aws_ssoadmin_permission_set.audit.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.audit.arn
  managed_policy_arn = "arn:aws:iam::aws:policy/SecurityAudit"
}
"""


def test_an_unshipped_aws_managed_policy_of_a_permission_set_gets_the_notice(
    tmp_path: Path,
) -> None:
    """A permission set's AWS managed policy rolelint ships no text of was left out in silence
    (a role's got the notice): the set is no role of the inventory.  It is counted with the
    roles that hold the same policy."""
    path = tmp_path / "template.yaml"
    path.write_text(PERMISSION_SET_TEMPLATE)
    report = lint_paths([str(path)])
    assert report.errors == [] and report.findings == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            8,
            11,
            "AWS managed policy ReadOnlyAccess is not in rolelint's policy data: what it grants"
            " is not judged (1 role and 1 permission set hold it; attached here first)",
        )
    ]


def test_terraform_permission_sets_get_the_notice_from_hcl_and_from_a_plan(
    tmp_path: Path,
) -> None:
    hcl = tmp_path / "hcl" / "main.tf"
    hcl.parent.mkdir()
    hcl.write_text(PERMISSION_SET_HCL)
    plan = tmp_path / "plan.json"
    attachment = {
        "address": "aws_ssoadmin_managed_policy_attachment.audit",
        "mode": "managed",
        "type": "aws_ssoadmin_managed_policy_attachment",
        "name": "audit",
        "values": {"managed_policy_arn": "arn:aws:iam::aws:policy/SecurityAudit"},
    }
    plan.write_text(
        json.dumps(
            {
                "format_version": "1.2",
                "terraform_version": "1.6.6",
                "planned_values": {"root_module": {"resources": [attachment]}},
            },
            indent=2,
        )
    )
    expected = (
        "AWS managed policy SecurityAudit is not in rolelint's policy data: what it grants is"
        " not judged (1 permission set holds it)"
    )
    from_hcl = lint_paths([str(hcl)])
    assert [(n.line, n.message) for n in from_hcl.notices] == [(9, expected)]
    from_plan = lint_paths([str(plan)])
    [line] = [
        number
        for number, text in enumerate(plan.read_text().splitlines(), 1)
        if '"managed_policy_arn"' in text
    ]
    assert [(n.line, n.message) for n in from_plan.notices] == [(line, expected)]


def test_a_boundary_rolelint_ships_no_text_of_is_not_said_to_be_missing_from_the_scan(
    tmp_path: Path,
) -> None:
    """Findings said "its permissions boundary arn:aws:iam::aws:policy/ReadOnlyAccess is not in
    the scanned files": no scan ever holds an AWS managed policy, so adding files could never
    help; what is missing is rolelint's data."""
    path = tmp_path / "template.yaml"
    path.write_text(
        UNSHIPPED.split("  Auditor:")[0].replace(
            "      ManagedPolicyArns:\n",
            "      PermissionsBoundary: arn:aws:iam::aws:policy/ReadOnlyAccess\n"
            "      Policies:\n"
            "        - PolicyName: all\n"
            "          PolicyDocument:\n"
            '            Statement: [{Effect: Allow, Action: "*", Resource: "*"}]\n'
            "      ManagedPolicyArns:\n",
        )
    )
    [admin] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL201"]
    assert admin.message.endswith(
        "(its permissions boundary, AWS managed policy ReadOnlyAccess, is not in rolelint's"
        " policy data and may limit this)"
    )


def test_resolving_managed_policies_keeps_every_other_field_of_the_inventory() -> None:
    """The inventory rebuilt with the holders' AWS managed policies as documents named its
    fields one by one and left out ``permission_set_policies``, ``exports`` and
    ``outside_attachments``: a check reading them would have found them empty.  Each field
    holds a value of its own here, and every one but the holders is kept as it is."""
    from dataclasses import fields

    from rolelint.managed_policies import resolve_managed_policies
    from rolelint.model import Inventory, Role

    at = SourceRef("t.yaml")
    admin = ManagedPolicyRef(Value("arn:aws:iam::aws:policy/AdministratorAccess", at))
    role = Role(
        "R", at, Value("arn:aws:iam::111122223333:role/R", at), managed_policy_arns=(admin,)
    )
    holders = {"roles", "identities"}
    inventory = Inventory(roles=[role])
    for field in fields(Inventory):
        if field.name not in holders:
            # A value of its own, which no default equals (nothing here reads it).
            mine = object()
            container = isinstance(getattr(inventory, field.name), (list, set))
            setattr(
                inventory,
                field.name,
                type(getattr(inventory, field.name))([mine]) if container else mine,
            )
    resolved = resolve_managed_policies(inventory)
    assert resolved is not inventory and resolved.roles[0].managed_policy_arns == ()
    for field in fields(Inventory):
        if field.name not in holders:
            assert getattr(resolved, field.name) == getattr(inventory, field.name), field.name
