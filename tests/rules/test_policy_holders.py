"""A finding on the text of a role's policy names the role: the policy-grammar rules (RL601 to
RL614), the principals of a permission policy (RL109, RL111) and the sizes (RL609) as the
permission rules do.  ``rolelint roles`` and ``rolelint show`` count a role's findings by the
roles a finding names, so one naming none was missing from both, a high one included.

Naming the role changes no fingerprint: the key names the policy already, and a baseline
recorded when these findings named no role must still know them.
"""

from __future__ import annotations

import json
from pathlib import Path

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import run_rolelint
from tests.rules.harness import findings_of

# Role R whose trust policy and inline policy break every rule of policy grammar, each
# statement one of them.
EVERY_GRAMMAR_RULE = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Sid: Read, Effect: allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
              - {Sid: Read, Effect: Allow, Resource: "arn:aws:s3:::b/*"}
              - {Effect: Allow, Action: s3:GetObjekt, Resource: "arn:aws:s3:::b/*"}
              - Effect: Allow
                Action: s3:GetObject
                Resource: "arn:aws:s3:::b/*"
                Condition: {StringEqual: {aws:PrincipalOrgID: o-a1b2c3d4e5}}
              - {Effect: Allow, Action: s3:GetObject, Resource: "not-an-arn"}
              - {Effect: Allow, Action: s3:GetObject}
              - {Sid: read-it, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
              - Effect: Allow
                Action: s3:GetObject
                Resource: "arn:aws:s3:::b/*"
                Condition: {StringEquals: {s3:x-amz-acl: private}}
              - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b"}
              - Effect: Allow
                Principal: {AWS: not an arn, Service: ec2.amazonaw.com}
                Action: s3:ListBucket
                Resource: "arn:aws:s3:::b"
              - Effect: Allow
                Action: s3:ListBucket
                Resource: "arn:aws:s3:::b"
                Resource: "arn:aws:s3:::c"
"""


def _named(findings: list[Finding]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    return {f.rule_id: (f.role, f.roles) for f in findings}


def test_every_finding_on_the_policies_of_a_role_names_the_role(tmp_path: Path) -> None:
    named = _named(findings_of(EVERY_GRAMMAR_RULE, "yaml", tmp_path))
    rules = {"RL109", "RL111", *(f"RL6{n:02}" for n in range(1, 15) if n not in (9, 10))}
    assert set(named) == rules
    assert {rule: who for rule, who in named.items() if who != ("R", ("R",))} == {}


SHARED_AND_BOUNDARY = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: allow, Action: "s3:*", Resource: "*"}
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: ROLES
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "s3:GetObjekt", Resource: "arn:aws:s3:::b/*"}
  A:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  B:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
"""


def test_a_managed_policy_names_every_role_it_is_attached_to_and_a_boundary_its_role(
    tmp_path: Path,
) -> None:
    code = SHARED_AND_BOUNDARY.replace("ROLES", "[!Ref A, !Ref B]")
    findings = findings_of(code, "yaml", tmp_path)
    named = {(f.rule_id, f.resource): (f.role, f.roles) for f in findings}
    assert named == {
        ("RL603", "Boundary"): ("A", ("A",)),
        ("RL605", "Shared"): ("A, B", ("A", "B")),
    }


def test_the_fingerprint_of_a_finding_on_a_policy_does_not_depend_on_who_holds_it(
    tmp_path: Path,
) -> None:
    """Attaching the policy to one more role changes the roles its finding names, not the
    finding: a baseline or a code-scanning alert keeps knowing it."""
    path = tmp_path / "template.yaml"
    found = {}
    for roles in ("[!Ref A]", "[!Ref A, !Ref B]"):
        path.write_text(SHARED_AND_BOUNDARY.replace("ROLES", roles), encoding="utf-8")
        [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL605"]
        found[roles] = (finding.role, finding.fingerprint)
    (alone, first), (both, second) = found.values()
    assert (alone, both) == ("A", "A, B")
    assert first == second


def test_a_policy_file_of_its_own_names_no_role(tmp_path: Path) -> None:
    code = json.dumps(
        {"Statement": [{"Effect": "allow", "Action": "s3:GetObjekt", "Resource": "*"}]}
    )
    findings = findings_of(code, "json", tmp_path)
    assert {f.rule_id for f in findings} >= {"RL602", "RL603", "RL605"}
    assert {(f.role, f.roles) for f in findings} == {(None, ())}


DUPLICATES = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Description: one
      Description: two
  P:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [!Ref R]
      PolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}'
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: one
      TopicName: two
"""


def test_a_duplicate_key_names_the_role_of_the_resource_it_is_written_in(
    tmp_path: Path,
) -> None:
    """In the role itself, in a policy of the role written elsewhere, and in a resource that
    is no role's (none)."""
    findings = findings_of(DUPLICATES, "yaml", tmp_path)
    named = {f.resource: f.role for f in findings if f.rule_id == "RL601"}
    assert named == {"R": "R", "P": "R", "Topic": None}


def test_the_sizes_of_a_trust_policy_and_of_a_managed_policy_name_their_roles(
    tmp_path: Path,
) -> None:
    services = ", ".join(f"s{n:03}.amazonaws.com" for n in range(120))
    buckets = ", ".join(f'"arn:aws:s3:::bucket-{n:04}/*"' for n in range(250))
    code = f"""\
Resources:
  Big:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref R]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Action: s3:GetObject, Resource: [{buckets}]}}
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: [{services}]}}, Action: sts:AssumeRole}}
"""
    findings = findings_of(code, "yaml", tmp_path)
    sizes = {(f.resource, f.role) for f in findings if f.rule_id == "RL609"}
    assert sizes == {("Big", "R"), ("R", "R")}


ONE_ROLE = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}
              - {Effect: Allow, Action: "s3:GetObjekt", Resource: "arn:aws:s3:::b/*"}
"""


def test_roles_and_show_count_the_invalid_policy_findings_of_a_role(tmp_path: Path) -> None:
    """RL602 (low), RL603 (high) and RL605 (medium) on R: its row said no finding (risk 7),
    its card "no finding"."""
    path = tmp_path / "t.yaml"
    path.write_text(ONE_ROLE, encoding="utf-8")
    [row] = json.loads(run_rolelint("roles", str(path), "-f", "json").stdout)["roles"]
    assert sorted(f["rule_id"] for f in row["findings"]) == ["RL602", "RL603", "RL605"]
    assert row["risk_terms"]["findings"] == 10 + 4 + 1  # docs/audit.md: high, medium, low
    table = run_rolelint("roles", str(path)).stdout.splitlines()
    assert table[1].split()[0] == str(row["risk"])
    assert table[1].split()[-3:] == ["1H", "1M", "1L"]
    card = run_rolelint("show", "R", str(path)).stdout
    findings = card[card.index("\nFindings\n") :].splitlines()[2:]
    assert [line.split()[:2] for line in findings] == [
        ["LOW", "RL602"],
        ["HIGH", "RL603"],
        ["MEDIUM", "RL605"],
    ]


SUPPRESSED_ON_THE_ROLE = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref A]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "s3:GetObjekt", Resource: "arn:aws:s3:::b/*"}
  A:
    Type: AWS::IAM::Role
    Metadata:
      rolelint:
        ignore:
          - {id: RL605, reason: accepted}
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
"""


def test_a_suppression_on_a_role_covers_a_finding_on_the_managed_policy_it_alone_holds(
    tmp_path: Path,
) -> None:
    """As for the permission rules: the finding is the role's.  It was said to be an unused
    suppression ("no such finding on resource A")."""
    path = tmp_path / "template.yaml"
    path.write_text(SUPPRESSED_ON_THE_ROLE, encoding="utf-8")
    report = lint_paths([str(path)])
    [finding] = report.findings
    assert (finding.rule_id, finding.role) == ("RL605", "A")
    assert finding.suppression is not None and finding.suppression.reason == "accepted"
    assert report.notices == []


SHARED_BOUNDARY = """\
Resources:
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Sid: AllowS3, Effect: Allow, Action: ["s3:*", "s3:GetObjekt"], Resource: "*"}
""" + "".join(
    f"""\
  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      PermissionsBoundary: !Ref Bnd
"""
    for name in ("One", "Two", "Three")
)


def _boundary_held_by(names: tuple[str, ...]) -> str:
    """SHARED_BOUNDARY with only the roles ``names`` (each has Bnd as its boundary)."""
    kept = SHARED_BOUNDARY
    for name in {"One", "Two", "Three"} - set(names):
        start = kept.index(f"  {name}:\n")
        end = kept.index("PermissionsBoundary: !Ref Bnd\n", start) + len(
            "PermissionsBoundary: !Ref Bnd\n"
        )
        kept = kept[:start] + kept[end:]
    return kept


def test_a_boundary_several_roles_hold_is_one_finding_naming_them_all(tmp_path: Path) -> None:
    """Each role held its own copy of the boundary, and the grammar rules judged each copy: one
    RL605 per role at the same line, with a fingerprint of its own, where a managed policy
    attached to the same roles is one finding naming them all (README)."""
    findings = findings_of(_boundary_held_by(("One", "Two")), "yaml", tmp_path)
    [finding] = [f for f in findings if f.rule_id == "RL605"]
    assert (finding.role, finding.roles) == ("One, Two", ("One", "Two"))
    assert {holder.id for holder in finding.holders} == {"One", "Two"}
    assert finding.message.startswith("AWS::IAM::ManagedPolicy Bnd as permissions boundary ")


def test_a_boundary_one_role_holds_is_named_as_one_several_hold(tmp_path: Path) -> None:
    """Said as the role's boundary ("Permissions boundary Bnd of role One"), the finding had a
    fingerprint of that role's and changed when a second role took the boundary (and back):
    a baseline's entry came back as new.  The fingerprint this finding had is kept as an
    earlier one, for the baselines recorded then (tests/test_baseline.py)."""
    findings = findings_of(_boundary_held_by(("One",)), "yaml", tmp_path)
    [finding] = [f for f in findings if f.rule_id == "RL605"]
    assert (finding.role, finding.roles) == ("One", ("One",))
    assert finding.message.startswith("AWS::IAM::ManagedPolicy Bnd as permissions boundary ")
    assert len(finding.earlier_fingerprints) == 1
    assert finding.fingerprint not in finding.earlier_fingerprints


def test_the_fingerprint_of_a_shared_boundary_finding_does_not_depend_on_who_holds_it(
    tmp_path: Path,
) -> None:
    """As for a managed policy attached to several roles: one more role holding the boundary
    changes the roles the finding names, not the finding; down to one role too."""
    path = tmp_path / "template.yaml"
    found = {}
    for names in (("One", "Two"), ("One", "Two", "Three"), ("Two", "Three"), ("Two",)):
        path.write_text(_boundary_held_by(names), encoding="utf-8")
        [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL605"]
        found[names] = (finding.role, finding.fingerprint)
    assert [role for role, _ in found.values()] == [
        "One, Two",
        "One, Three, Two",
        "Three, Two",
        "Two",
    ]
    assert len({fingerprint for _, fingerprint in found.values()}) == 1


def test_a_policy_attached_to_one_role_and_the_boundary_of_another_is_one_finding(
    tmp_path: Path,
) -> None:
    """The text is the managed policy's, said as the policy attached to several roles is."""
    code = SHARED_AND_BOUNDARY.replace("ROLES", "[!Ref B]").replace(
        "PermissionsBoundary: !Ref Boundary", "PermissionsBoundary: !Ref Shared"
    )
    findings = findings_of(code, "yaml", tmp_path)
    [finding] = [f for f in findings if f.rule_id == "RL605"]
    assert (finding.resource, finding.role) == ("Shared", "A, B")
    assert finding.message.startswith("AWS::IAM::ManagedPolicy Shared names an action")


def test_a_boundary_an_export_gives_several_roles_is_one_finding(tmp_path: Path) -> None:
    """An account export: each role's PermissionsBoundary made a copy of the policy's default
    version, and RL614 was reported once per role at the same Sid."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    boundary_arn = "arn:aws:iam::171717171717:policy/bnd"
    export = {
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": name,
                "Arn": f"arn:aws:iam::171717171717:role/{name}",
                "AssumeRolePolicyDocument": trust,
                "RolePolicyList": [],
                "AttachedManagedPolicies": [],
                "PermissionsBoundary": {
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": boundary_arn,
                },
            }
            for name in ("one", "two")
        ],
        "Policies": [
            {
                "PolicyName": "bnd",
                "Arn": boundary_arn,
                "DefaultVersionId": "v1",
                "AttachmentCount": 0,
                "PermissionsBoundaryUsageCount": 2,
                "PolicyVersionList": [
                    {
                        "VersionId": "v1",
                        "IsDefaultVersion": True,
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "allow-all-s3",
                                    "Effect": "Allow",
                                    "Action": "s3:*",
                                    "Resource": "*",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    findings = findings_of(json.dumps(export, indent=2), "json", tmp_path)
    [finding] = [f for f in findings if f.rule_id == "RL614"]
    assert [role.rsplit("#", 1)[1] for role in finding.roles] == ["one", "two"]
    assert finding.message.startswith("Managed policy bnd (default version v1) as permissions")


SHARED_BOUNDARY_TERRAFORM = """\
resource "aws_iam_policy" "bnd" {
  name = "bnd"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "s3:GetObjekt"], Resource = "*" }]
  })
}
""" + "".join(
    f"""
resource "aws_iam_role" "{name}" {{
  name                 = "{name}"
  permissions_boundary = aws_iam_policy.bnd.arn
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "lambda.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}
"""
    for name in ("one", "two")
)


def test_a_terraform_boundary_several_roles_hold_is_one_finding(tmp_path: Path) -> None:
    findings = findings_of(SHARED_BOUNDARY_TERRAFORM, "tf", tmp_path)
    [finding] = [f for f in findings if f.rule_id == "RL605"]
    assert finding.roles == ("aws_iam_role.one", "aws_iam_role.two")
    assert finding.message.startswith("Policy aws_iam_policy.bnd as permissions boundary ")


def test_the_size_of_a_boundary_several_roles_hold_is_one_finding(tmp_path: Path) -> None:
    """RL609 sized each role's copy of the boundary: one finding per role at the same line."""
    buckets = ", ".join(f'"arn:aws:s3:::bucket-{n:04}/*"' for n in range(250))
    code = _boundary_held_by(("One", "Two")).replace(
        'Action: ["s3:*", "s3:GetObjekt"], Resource: "*"',
        f"Action: s3:GetObject, Resource: [{buckets}]",
    )
    findings = findings_of(code, "yaml", tmp_path)
    [size] = [f for f in findings if f.rule_id == "RL609"]
    assert (size.resource, size.role) == ("Bnd", "One, Two")
