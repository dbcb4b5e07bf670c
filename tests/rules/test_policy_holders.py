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
