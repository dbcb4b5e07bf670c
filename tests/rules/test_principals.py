"""Typed principals: what a trust-policy principal admits (rolelint.checks.principals)."""

from __future__ import annotations

import pytest

from rolelint.checks.principals import Provider, Who, provider_of, typed
from rolelint.model import THIS_ACCOUNT, Principal, PrincipalKind, Value
from rolelint.source import SourceRef

AT = SourceRef("trust.json")


def principal(kind: PrincipalKind, text: str | None) -> Principal:
    return Principal(kind, Value(text, AT, None if text is not None else "parameter"))


@pytest.mark.parametrize(
    ("kind", "text", "who", "account", "name"),
    [
        (PrincipalKind.ANYONE, "*", Who.EVERYONE, None, None),
        (PrincipalKind.AWS, "*", Who.EVERYONE, None, None),
        (PrincipalKind.AWS, "arn:aws:iam::*:root", Who.EVERYONE, "*", None),
        (PrincipalKind.AWS, "arn:aws:iam::1111222233?3:role/x", Who.EVERYONE, "1111222233?3", None),
        (PrincipalKind.AWS, "111122223333", Who.ACCOUNT, "111122223333", None),
        (PrincipalKind.AWS, "arn:aws:iam::111122223333:root", Who.ACCOUNT, "111122223333", None),
        (PrincipalKind.AWS, THIS_ACCOUNT, Who.ACCOUNT, THIS_ACCOUNT, None),  # !Ref AWS::AccountId
        (
            PrincipalKind.AWS,
            f"arn:aws:iam::{THIS_ACCOUNT}:root",
            Who.ACCOUNT,
            THIS_ACCOUNT,
            None,
        ),
        (
            PrincipalKind.AWS,
            "arn:aws:iam::111122223333:role/ci/deploy",
            Who.ROLE,
            "111122223333",
            "ci/deploy",
        ),
        (PrincipalKind.AWS, "arn:aws:iam::111122223333:user/ana", Who.USER, "111122223333", "ana"),
        (
            PrincipalKind.AWS,
            "arn:aws:sts::111122223333:assumed-role/ci/run-1",
            Who.ASSUMED_ROLE,
            "111122223333",
            "ci/run-1",
        ),
        (PrincipalKind.AWS, "AROA1234567890EXAMPLE", Who.UNIQUE_ID, None, "AROA1234567890EXAMPLE"),
        (PrincipalKind.AWS, "arn:aws:s3:::bucket", Who.MALFORMED, "", None),
        (PrincipalKind.AWS, "not-an-arn", Who.MALFORMED, None, None),
        (PrincipalKind.SERVICE, "lambda.amazonaws.com", Who.SERVICE, None, "lambda.amazonaws.com"),
        (PrincipalKind.CANONICAL_USER, "79a59df9", Who.CANONICAL_USER, None, "79a59df9"),
        (PrincipalKind.AWS, None, Who.UNRESOLVED, None, None),
    ],
)
def test_aws_service_and_other_principals(
    kind: PrincipalKind, text: str | None, who: Who, account: str | None, name: str | None
) -> None:
    result = typed(principal(kind, text))
    assert (result.who, result.account, result.name) == (who, account, name)


@pytest.mark.parametrize(
    ("text", "who", "provider"),
    [
        (
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
            Who.OIDC,
            Provider.GITHUB,
        ),
        (
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
            Who.OIDC,
            Provider.EKS,
        ),
        ("arn:aws:iam::111122223333:oidc-provider/gitlab.com", Who.OIDC, Provider.GITLAB),
        ("arn:aws:iam::111122223333:oidc-provider/gitlab.example.org", Who.OIDC, Provider.GITLAB),
        ("arn:aws:iam::111122223333:oidc-provider/app.terraform.io", Who.OIDC, Provider.TERRAFORM),
        (
            "arn:aws:iam::111122223333:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/"
            "pipelines-config/identity/oidc",
            Who.OIDC,
            Provider.BITBUCKET,
        ),
        (
            "arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/1a2b-3c",
            Who.OIDC,
            Provider.CIRCLECI,
        ),
        (
            "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com",
            Who.OIDC,
            Provider.BUILDKITE,
        ),
        ("accounts.google.com", Who.OIDC, Provider.GOOGLE),
        ("cognito-identity.amazonaws.com", Who.OIDC, Provider.COGNITO),
        ("arn:aws:iam::111122223333:oidc-provider/idp.example.com", Who.OIDC, Provider.GENERIC),
        ("arn:aws:iam::111122223333:saml-provider/Okta", Who.SAML, None),
        # Named with its URL's scheme: no provider's name (RL111), no party of the graph.
        (
            "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com",
            Who.MALFORMED,
            None,
        ),
        ("https://accounts.google.com", Who.MALFORMED, None),
        # A provider ARN with no name after the slash: no provider either.
        ("arn:aws:iam::111122223333:oidc-provider/", Who.MALFORMED, None),
        ("arn:aws:iam::111122223333:saml-provider/", Who.MALFORMED, None),
    ],
)
def test_federated_principals_name_their_provider(
    text: str, who: Who, provider: Provider | None
) -> None:
    result = typed(principal(PrincipalKind.FEDERATED, text))
    assert (result.who, result.provider) == (who, provider)


def test_provider_hosts_compare_case_insensitively() -> None:
    assert provider_of("Token.Actions.GitHubUserContent.com") is Provider.GITHUB
    assert provider_of("token.actions.githubusercontent.com/acme-enterprise") is Provider.GITHUB


def test_a_host_with_a_trailing_line_break_is_no_known_provider() -> None:
    """``$`` also matches before a final line break: an EKS issuer written with one was judged
    as EKS's, though IAM refuses the name."""
    assert provider_of("oidc.eks.eu-west-1.amazonaws.com/id/ABC123") is Provider.EKS
    assert provider_of("oidc.eks.eu-west-1.amazonaws.com/id/ABC123\n") is Provider.GENERIC
    assert provider_of("oidc.circleci.com/org/1a2b\n") is Provider.GENERIC


def test_an_eks_issuer_of_the_deployments_region_is_eks() -> None:
    """The Region of an EKS issuer may be the stand-in of the deployment's
    (``!Sub ...oidc.eks.${AWS::Region}...``, Terraform's ``aws_region``): still EKS's, which
    was judged as an issuer rolelint knows nothing of.  Another stand-in is no Region."""
    assert provider_of("oidc.eks.${AWS::Region}.amazonaws.com/id/ABC123") is Provider.EKS
    assert provider_of("oidc.eks.${AWS::Region}.amazonaws.com.cn/id/ABC123") is Provider.EKS
    assert provider_of("oidc.eks.${AWS::AccountId}.amazonaws.com/id/ABC123") is Provider.GENERIC


@pytest.mark.parametrize("org", ["<CIRCLECI_ORG_UUID>", "${CIRCLECI_ORG}", "my.org", "1a2b"])
def test_circleci_is_known_by_its_host_and_path_whatever_the_org(org: str) -> None:
    """A placeholder org id (the corpus's ``<CIRCLECI_ORG_UUID>``) made the issuer generic."""
    assert provider_of(f"oidc.circleci.com/org/{org}") is Provider.CIRCLECI
    assert provider_of(f"oidc.circleci.com/org/{org}/x") is Provider.GENERIC
