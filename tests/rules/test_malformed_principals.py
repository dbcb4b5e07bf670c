"""RL111 (a principal IAM cannot use) and the template's own account."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import audit_paths, lint_paths
from rolelint.audit.rows import inventory_rows
from tests.rules.forms import lint_trust, write_trust

OWN_ACCOUNT_CFN = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: sts:AssumeRole}
          - {Effect: Allow, Principal: {AWS: "arn:aws:iam::12345:root"}, Action: sts:AssumeRole}
"""

OWN_ACCOUNT_TF = """\
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_caller_identity.current.account_id]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


def test_the_own_account_id_alone_is_a_principal_like_any_account_id(tmp_path: Path) -> None:
    """!Ref AWS::AccountId (or aws_caller_identity's account_id) as a principal is a bare
    12-digit account id once deployed: it was judged as the text '${AWS::AccountId}'."""
    (tmp_path / "t.yaml").write_text(OWN_ACCOUNT_CFN)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(OWN_ACCOUNT_TF)
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    assert [hit for hit in found if hit[0] == "RL111"] == [("RL111", 9)]  # only the 5 digits


OCTAL_ACCOUNT = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: %s
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: 7f3c9a2e-acme-monitoring
"""


def test_an_account_id_read_as_an_octal_number_is_named_as_written(tmp_path: Path) -> None:
    """An unquoted 012345670123 is the octal number 1402433619 to YAML 1.1, as CloudFormation
    reads it: the finding is right, but it named only '1402433619', a number the user never
    wrote, under a caret on the 12 digits they did.  It says what is written and to quote it."""
    path = tmp_path / "t.yaml"
    path.write_text(OCTAL_ACCOUNT % "012345670123")
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL111"]
    assert (finding.location.line, finding.location.column) == (11, 20)
    assert finding.message.startswith(
        "Trust policy of role VendorRole names AWS principal 012345670123, which IAM cannot use:"
        " written unquoted, it is read as the octal number 1402433619, and the account id"
        " '1402433619' has 10 digits instead of 12; quote it (\"012345670123\"); IAM rejects"
    )
    # Quoted, it is the account id as written: no finding.
    path.write_text(OCTAL_ACCOUNT % "'012345670123'")
    assert [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL111"] == []
    # A number read as written is named as before.
    path.write_text(OCTAL_ACCOUNT % "12345")
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL111"]
    assert "names AWS principal '12345', which IAM cannot use: the account id '12345' has 5" in (
        finding.message
    )


def test_a_group_named_by_getatt_is_no_principal(tmp_path: Path) -> None:
    """``!GetAtt Group.Arn`` as a principal was left unresolved, so nothing said IAM refuses
    it; the group's name, which CloudFormation generates here, is worded, not the stand-in."""
    path = tmp_path / "template.yaml"
    path.write_text(
        """\
Resources:
  Team:
    Type: AWS::IAM::Group
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Team.Arn}, Action: sts:AssumeRole}
"""
    )
    [finding] = lint_paths([str(path)]).findings
    assert (finding.rule_id, finding.location.line, finding.location.column) == ("RL111", 10, 46)
    assert finding.message.startswith(
        "Trust policy of role R names AWS principal 'arn:aws:iam::${AWS::AccountId}:group/"
        "<a name CloudFormation generates>', which IAM cannot use: an IAM group cannot be a"
        " principal"
    )


def test_a_group_named_by_a_parameter_or_variable_is_not_said_to_be_generated(
    tmp_path: Path,
) -> None:
    """The same group, its name a parameter (a variable) without a default: RL111 called it
    "a name CloudFormation (Terraform) generates", though whoever deploys chooses it."""
    (tmp_path / "cfn").mkdir()
    (tmp_path / "cfn" / "template.yaml").write_text(
        """\
Parameters:
  TeamName: {Type: String}
Resources:
  Team:
    Type: AWS::IAM::Group
    Properties:
      GroupName: !Ref TeamName
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Team.Arn}, Action: sts:AssumeRole}
"""
    )
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(
        """\
variable "team_name" {}
resource "aws_iam_group" "team" {
  name = var.team_name
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { AWS = aws_iam_group.team.arn }, Action = "sts:AssumeRole"
    }]
  })
}
"""
    )
    for file, role in (("cfn/template.yaml", "R"), ("tf/main.tf", "aws_iam_role.r")):
        lines = (tmp_path / file).read_text().splitlines()
        line = next(n for n, text in enumerate(lines, 1) if "Principal" in text)
        [finding] = lint_paths([str((tmp_path / file).parent)]).findings
        assert (finding.rule_id, finding.location.line) == ("RL111", line)
        assert finding.message.startswith(
            f"Trust policy of role {role} names AWS principal 'arn:aws:iam::${{AWS::AccountId}}:"
            "group/<unresolved name>', which IAM cannot use: an IAM group cannot be a principal"
        )


GITHUB_WITH_SCHEME_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: %s
            Action: sts:AssumeRoleWithWebIdentity
"""

EKS_ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"

# The issuer URL EKS reports (cluster.identity.oidc.issuer), pasted into the provider's ARN
# whole, while the condition keys drop its scheme as they should.
EKS_WITH_SCHEME_TF = """\
variable "oidc_issuer" {
  default = "https://ISSUER"
}
data "aws_caller_identity" "current" {}
locals {
  account = data.aws_caller_identity.current.account_id
}
data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${local.account}:oidc-provider/${var.oidc_issuer}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(var.oidc_issuer, "https://", "")}:sub"
      values   = ["system:serviceaccount:kube-system:aws-node"]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(var.oidc_issuer, "https://", "")}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.t.json
}
""".replace("ISSUER", EKS_ISSUER)


def _findings(path: Path) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.location.line, f.message) for f in lint_paths([str(path)]).findings]


def test_an_oidc_provider_named_with_its_urls_scheme_is_no_provider(tmp_path: Path) -> None:
    """CreateOpenIDConnectProvider takes the issuer URL with its https://, but the provider's
    ARN (oidc-provider/<host and path>) and its condition keys (<host and path>:sub) leave the
    scheme out: no provider is named oidc-provider/https://..., so the statement admits no one.
    RL111 said nothing, and RL103 called the role open to anyone, asking to pin
    'https://token.actions.githubusercontent.com:sub', a key no token carries."""
    path = tmp_path / "t.yaml"
    written = "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com"
    path.write_text(GITHUB_WITH_SCHEME_CFN % written)
    [(rule, line, message)] = _findings(path)
    assert (rule, line) == ("RL111", 11)
    assert message == (
        f"Trust policy of role Deployer names Federated principal '{written}', which IAM cannot "
        "use: the provider is named with the scheme of its URL ('https://'), which an OIDC "
        "provider's name leaves out (write 'oidc-provider/token.actions.githubusercontent.com'); "
        'IAM rejects the policy (MalformedPolicyDocument "Invalid principal in policy") or the '
        "statement matches no one"
    )
    # A web identity provider named by its host, with the scheme: the same.
    path.write_text(GITHUB_WITH_SCHEME_CFN % "https://accounts.google.com")
    [(rule, line, message)] = _findings(path)
    assert (rule, line) == ("RL111", 11)
    assert "which an OIDC provider's name leaves out (write 'accounts.google.com')" in message
    # Without the scheme, the provider is judged as usual: nothing pins the subject or the
    # audience (RL103, RL108), and the principal is a provider (no RL111).
    path.write_text(GITHUB_WITH_SCHEME_CFN % written.replace("https://", ""))
    assert sorted(rule for rule, _, _ in _findings(path)) == ["RL103", "RL108"]


def test_a_provider_named_with_its_urls_scheme_is_rl111s_not_rl107s(tmp_path: Path) -> None:
    """A provider named with its URL's scheme is no provider (RL111), whatever it is allowed:
    RL107 still called it "OIDC provider 'https://...'" whose identities never call
    sts:AssumeRole, judging a party that does not exist.  Without the scheme, RL107 as
    usual."""
    path = tmp_path / "t.yaml"
    written = "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com"
    allowed = GITHUB_WITH_SCHEME_CFN.replace("sts:AssumeRoleWithWebIdentity", "sts:AssumeRole")
    path.write_text(allowed % written)
    assert [(rule, line) for rule, line, _ in _findings(path)] == [("RL111", 11)]
    path.write_text(allowed % "https://accounts.google.com")
    assert [(rule, line) for rule, line, _ in _findings(path)] == [("RL111", 11)]
    path.write_text(allowed % written.replace("https://", ""))
    assert [(rule, line) for rule, line, _ in _findings(path)] == [("RL107", 12)]


@pytest.mark.parametrize(
    ("nameless", "action"),
    [
        ("arn:aws:iam::111122223333:oidc-provider/", "sts:AssumeRole"),
        ("arn:aws:iam::111122223333:oidc-provider/", "sts:AssumeRoleWithWebIdentity"),
        ("arn:aws:iam::111122223333:saml-provider/", "sts:AssumeRole"),
        ("arn:aws:iam::111122223333:saml-provider/", "sts:AssumeRoleWithSAML"),
    ],
)
def test_a_provider_arn_without_a_name_is_rl111s_alone(
    tmp_path: Path, nameless: str, action: str
) -> None:
    """A provider ARN with no name after its ``oidc-provider/`` or ``saml-provider/`` is no
    provider (RL111), as one named with its URL's scheme is: RL107 still called it "OIDC
    provider 'arn:.../'" whose identities never call sts:AssumeRole, and RL104 said "accepts
    SAML assertions from ''", judging a party that does not exist."""
    path = tmp_path / "t.yaml"
    template = GITHUB_WITH_SCHEME_CFN.replace("sts:AssumeRoleWithWebIdentity", action)
    path.write_text(template % nameless)
    [(rule, line, message)] = _findings(path)
    assert (rule, line) == ("RL111", 11)
    marker = nameless.rsplit(":", 1)[1]
    assert f"the provider name after '{marker}' is missing" in message


def test_a_terraform_provider_arn_built_from_the_issuer_url_is_no_provider(
    tmp_path: Path,
) -> None:
    """The Terraform form: the issuer URL in a variable, its scheme replaced away in the keys
    only.  RL103 said critical, "no mandatory condition pins 'https://oidc.eks...:sub'"."""
    (tmp_path / "main.tf").write_text(EKS_WITH_SCHEME_TF)
    line = next(
        n for n, text in enumerate(EKS_WITH_SCHEME_TF.splitlines(), 1) if "identifiers" in text
    )
    [(rule, at, message)] = _findings(tmp_path)
    assert (rule, at) == ("RL111", line)
    assert f"leaves out (write 'oidc-provider/{EKS_ISSUER}')" in message
    assert "'arn:aws:iam::${AWS::AccountId}:oidc-provider/https://oidc.eks." in message


@pytest.mark.parametrize("form", ["cloudformation", "terraform", "json"])
@pytest.mark.parametrize("service", ["", [""], " "], ids=["empty", "empty-in-a-list", "a-space"])
def test_an_empty_service_name_is_a_malformed_principal(
    tmp_path: Path, form: str, service: object
) -> None:
    """``{"Service": ""}`` names no service: IAM refuses it as it refuses an empty AWS
    principal.  RL109 said it was not in rolelint's list of services (info), and the inventory
    listed a "service (open)" party; RL111 reports it now, and nobody assumes the role."""
    trust = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    _, findings = lint_trust(form, tmp_path, trust)
    assert [f.rule_id for f in findings] == ["RL111"]
    [finding] = findings
    assert "names Service principal '" in finding.message
    assert "the service's name is empty" in finding.message
    if form != "json":  # a raw policy file has no role: no row
        (tmp_path / "roles").mkdir()
        path, _ = write_trust(form, [trust], tmp_path / "roles")
        audit = audit_paths([str(path)])
        rows = inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
        assert [(tuple(row.assumed_by), row.exposure) for row in rows] == [((), "nobody")]
