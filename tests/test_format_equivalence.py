"""The same policy gives the same findings whatever format it is written in.

One permission policy with several problems is written as a raw JSON policy, inside a
CloudFormation template (YAML and JSON), and in Terraform (jsonencode, a heredoc and a policy
document).  Every format must report the same rules with the same verdicts; only the words that
name the policy's place differ.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rolelint.api import lint_paths

STATEMENTS = [
    {"Sid": "Objects", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Sid": "Stop", "Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*"},
    {"Sid": "Hop", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
    {"Sid": "Typo", "Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Loose", "Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"},
]
POLICY = {"Version": "2012-10-17", "Statement": STATEMENTS}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def raw_json(directory: Path) -> Path:
    path = directory / "policy.json"
    path.write_text(json.dumps(POLICY, indent=2))
    return path


def cloudformation_json(directory: Path) -> Path:
    template = {
        "Resources": {
            "App": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": TRUST,
                    "Policies": [{"PolicyName": "app", "PolicyDocument": POLICY}],
                },
            }
        }
    }
    path = directory / "template.json"
    path.write_text(json.dumps(template, indent=2))
    return path


def cloudformation_yaml(directory: Path) -> Path:
    import yaml

    text = cloudformation_json(directory).read_text()
    path = directory / "template.yaml"
    path.write_text(yaml.safe_dump(json.loads(text), sort_keys=False))
    (directory / "template.json").unlink()
    return path


def terraform_jsonencode(directory: Path) -> Path:
    path = directory / "main.tf"
    path.write_text(
        'resource "aws_iam_role" "app" {\n'
        f"  assume_role_policy = jsonencode({json.dumps(TRUST)})\n"
        "}\n"
        'resource "aws_iam_role_policy" "app" {\n'
        "  role   = aws_iam_role.app.name\n"
        f"  policy = jsonencode({json.dumps(POLICY, indent=2)})\n"
        "}\n"
    )
    return path


def terraform_heredoc(directory: Path) -> Path:
    path = directory / "main.tf"
    path.write_text(
        'resource "aws_iam_role" "app" {\n'
        f"  assume_role_policy = jsonencode({json.dumps(TRUST)})\n"
        "}\n"
        'resource "aws_iam_role_policy" "app" {\n'
        "  role   = aws_iam_role.app.name\n"
        f"  policy = <<-EOF\n{json.dumps(POLICY, indent=2)}\n  EOF\n"
        "}\n"
    )
    return path


def terraform_policy_document(directory: Path) -> Path:
    blocks = []
    for statement in STATEMENTS:
        key = "actions" if "Action" in statement else "not_actions"
        action = statement.get("Action", statement.get("NotAction"))
        blocks.append(
            "  statement {\n"
            f'    sid       = "{statement["Sid"]}"\n'
            f'    {key} = ["{action}"]\n'
            f'    resources = ["{statement["Resource"]}"]\n'
            "  }\n"
        )
    path = directory / "main.tf"
    path.write_text(
        'data "aws_iam_policy_document" "app" {\n' + "".join(blocks) + "}\n"
        'resource "aws_iam_role" "app" {\n'
        f"  assume_role_policy = jsonencode({json.dumps(TRUST)})\n"
        "}\n"
        'resource "aws_iam_role_policy" "app" {\n'
        "  role   = aws_iam_role.app.name\n"
        "  policy = data.aws_iam_policy_document.app.json\n"
        "}\n"
    )
    return path


FORMATS = {
    "raw JSON": raw_json,
    "CloudFormation JSON": cloudformation_json,
    "CloudFormation YAML": cloudformation_yaml,
    "Terraform jsonencode": terraform_jsonencode,
    "Terraform heredoc": terraform_heredoc,
    "Terraform policy document": terraform_policy_document,
}


def verdicts(path: Path) -> list[tuple[str, str, str]]:
    """(rule id, severity, what the message says after the policy's name) of every finding."""
    report = lint_paths([str(path)])
    assert report.errors == []
    found = []
    for finding in report.findings:
        words = finding.message
        for verb in (" allows ", " names "):
            if verb in words:
                words = words.split(verb, 1)[1]
                break
        # Where an enabling statement is ("in inline policy 'app' of role App (line 54)") is
        # the place, which differs by format; the verdict is the rest.
        words = re.sub(r" in [^;]*? \(line \d+\)", "", words)
        found.append((finding.rule_id, finding.severity.value, words))
    return sorted(found)


@pytest.mark.parametrize("form", sorted(FORMATS))
def test_every_format_gives_the_same_verdicts(tmp_path: Path, form: str) -> None:
    reference_directory = tmp_path / "reference"
    reference_directory.mkdir()
    reference = verdicts(raw_json(reference_directory))
    assert {rule for rule, _, _ in reference} == {
        "RL202",  # s3:*
        "RL203",  # ec2:TerminateInstances on *
        "RL204",  # Allow NotAction
        "RL206",  # iam:PassRole on *
        "RL207",  # sts:AssumeRole on *
        "RL208",  # s3:* on * reads every object
        "RL605",  # s3:GetObjects
    }
    form_directory = tmp_path / "form"
    form_directory.mkdir()
    assert verdicts(FORMATS[form](form_directory)) == reference


TERRAFORM_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "parsers" / "terraform-plan"


def test_a_terraform_plan_names_each_policy_as_its_configuration_does() -> None:
    """``names/plan.json`` is ``terraform show -json`` of ``names/main.tf``: every policy
    resource kind once (a role's inline_policy block, aws_iam_role_policy with a name, with
    ``name_prefix`` and for a role made elsewhere, aws_iam_user_policy, aws_iam_group_policy,
    aws_iam_policy attached and not).  The plan read "Inline policy 'named' of role
    aws_iam_role.app" and "Managed policy aws_iam_policy.attached" where HCL reads "Inline
    policy aws_iam_role_policy.named" and "Policy aws_iam_policy.attached": the same finding
    read differently in a pull request's plan scan and in a code scan."""

    def said(path: Path) -> list[tuple[str, str, str, str | None]]:
        report = lint_paths([str(path)])
        assert report.errors == []
        return sorted((f.rule_id, f.message, f.resource, f.role) for f in report.findings)

    plan = said(TERRAFORM_PLAN / "names" / "plan.json")
    assert plan == said(TERRAFORM_PLAN / "names" / "main.tf")
    assert len(plan) == 8
