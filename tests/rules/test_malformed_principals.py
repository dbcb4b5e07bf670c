"""RL111 (a principal IAM cannot use) and the template's own account."""

from __future__ import annotations

from pathlib import Path

from rolelint.api import lint_paths

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
