"""Who a trust-policy principal is: everyone, an account, a role, a service, a federated provider.

A ``Principal`` of the model is the key and text as written.  Trust rules need more: the account
a role ARN belongs to, whether ``"arn:aws:iam::*:root"`` admits any account, which OIDC provider a
federated ARN names (GitHub and EKS sign very different tokens).  :func:`typed` answers that once,
so each rule judges meaning instead of re-parsing strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rolelint.checks.iam_match import has_wildcard, is_account_id, is_all_wildcards, parse_arn
from rolelint.model import THIS_ACCOUNT, THIS_REGION, Principal, PrincipalKind, stand_ins_in_words

OIDC_MARKER = ":oidc-provider/"
SAML_MARKER = ":saml-provider/"


class Who(str, Enum):
    """The kinds of principal a trust policy can name."""

    EVERYONE = "everyone"  # "*", or an AWS principal whose account is a wildcard
    ACCOUNT = "account"  # an account id or its root ARN: any principal of that account
    ROLE = "role"
    USER = "user"
    ASSUMED_ROLE = "assumed-role"  # an sts assumed-role session
    FEDERATED_USER = "federated-user"  # an sts federated-user session
    UNIQUE_ID = "unique-id"  # AROA.../AIDA...: what IAM shows once the named principal is deleted
    SERVICE = "service"
    OIDC = "oidc"
    SAML = "saml"
    CANONICAL_USER = "canonical-user"
    UNRESOLVED = "unresolved"  # a value rolelint cannot resolve: never judged
    MALFORMED = "malformed"  # resolved, but not a principal IAM accepts for its key


class Provider(str, Enum):
    """Identity providers whose tokens rolelint knows the claims of."""

    GITHUB = "GitHub Actions"
    EKS = "EKS (IAM roles for service accounts)"
    GITLAB = "GitLab"
    TERRAFORM = "Terraform Cloud / HCP Terraform"
    BITBUCKET = "Bitbucket Pipelines"
    CIRCLECI = "CircleCI"
    BUILDKITE = "Buildkite"
    GOOGLE = "Google"
    COGNITO = "Amazon Cognito"
    FACEBOOK = "Facebook"
    AMAZON = "Login with Amazon"
    GENERIC = "OIDC provider"


# Exact hosts, then host patterns; anything else is a generic OIDC provider.
_PROVIDER_HOSTS = {
    "token.actions.githubusercontent.com": Provider.GITHUB,
    "gitlab.com": Provider.GITLAB,
    "app.terraform.io": Provider.TERRAFORM,
    "agent.buildkite.com": Provider.BUILDKITE,
    "accounts.google.com": Provider.GOOGLE,
    "cognito-identity.amazonaws.com": Provider.COGNITO,
    "graph.facebook.com": Provider.FACEBOOK,
    "www.amazon.com": Provider.AMAZON,
}
_PROVIDER_PATTERNS = (
    # GitHub Enterprise Server's cloud-hosted issuer adds the enterprise slug.
    (re.compile(r"^token\.actions\.githubusercontent\.com/[\w.-]+$"), Provider.GITHUB),
    # An EKS cluster's issuer; its Region may be the stand-in of the one a deployment is in
    # (``oidc.eks.${AWS::Region}.amazonaws.com/id/...``, from ``!Sub`` or ``aws_region``).
    (
        re.compile(
            rf"^oidc\.eks\.(?:[a-z0-9-]+|{re.escape(THIS_REGION.lower())})\.amazonaws\.com(\.cn)?/id/\w+$"
        ),
        Provider.EKS,
    ),
    (
        re.compile(r"^api\.bitbucket\.org/2\.0/workspaces/[^/]+/pipelines-config/identity/oidc$"),
        Provider.BITBUCKET,
    ),
    # CircleCI by its host and path, whatever the org segment: a placeholder left in
    # (``<CIRCLECI_ORG_UUID>``) is still CircleCI's shape, whose aud pins nothing.
    (re.compile(r"^oidc\.circleci\.com/org/[^/\r\n]+$"), Provider.CIRCLECI),
)


@dataclass(frozen=True, slots=True)
class TypedPrincipal:
    """A principal with its meaning.

    ``account`` is the account id (or symbolic ``${AWS::AccountId}``) for IAM principals;
    ``name`` the role or user path and name, the service principal, or the identity provider's
    host (also of a Federated principal naming a provider with its URL's scheme, which is
    malformed: :func:`url_scheme`; empty for a provider ARN with no name after its
    ``oidc-provider/`` or ``saml-provider/``, malformed too); ``provider`` the OIDC provider
    it is, for OIDC principals.
    """

    principal: Principal
    who: Who
    account: str | None = None
    name: str | None = None
    provider: Provider | None = None

    @property
    def text(self) -> str:
        return self.principal.value.text or ""

    @property
    def has_wildcard(self) -> bool:
        return has_wildcard(self.text)

    @property
    def said_name(self) -> str | None:
        """``name`` as a message or label says it: a SAML provider's name CloudFormation
        generates (its ARN holds a stand-in, ``<generated:ID>``) in words."""
        return stand_ins_in_words(self.name) if self.name else self.name


def provider_label(principal: TypedPrincipal) -> str:
    """How the audit views and the graph name an OIDC or SAML provider: the provider and the
    issuer (``GitHub Actions token.actions.githubusercontent.com``), or ``SAML`` and its name:
    one CloudFormation generates in words (the provider's ARN holds a stand-in for it)."""
    return f"{principal.provider.value if principal.provider else 'SAML'} {principal.said_name}"


def provider_of(host: str) -> Provider:
    """The identity provider an OIDC issuer host (and path) belongs to."""
    lowered = host.lower().rstrip("/")
    if lowered in _PROVIDER_HOSTS:
        return _PROVIDER_HOSTS[lowered]
    for pattern, provider in _PROVIDER_PATTERNS:
        if pattern.fullmatch(lowered):  # not match: its '$' passes a final line break
            return provider
    if lowered.split("/", 1)[0].startswith("gitlab."):  # self-managed GitLab
        return Provider.GITLAB
    return Provider.GENERIC


# A URL's scheme (RFC 3986: a letter, then letters, digits, "+", "-" or "."), and its "://".
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def url_scheme(name: str) -> str | None:
    """The scheme, with its ``://``, that an OIDC provider's name begins with (``https://``);
    None when it begins with none.

    IAM is given an issuer's URL with its scheme (CreateOpenIDConnectProvider: the URL "must
    begin with https://") but names the provider without it, in its ARN
    (``oidc-provider/token.actions.githubusercontent.com``), as a web identity principal
    (``accounts.google.com``) and in the condition keys of its tokens' claims: a name with a
    scheme is no provider's, and a trust naming it admits no one."""
    found = _URL_SCHEME.match(name)
    return found.group() if found is not None else None


def is_everyone(principal: Principal) -> bool:
    """``Principal "*"`` or ``{"AWS": "*"}``: every caller, whoever it is."""
    return principal.kind is PrincipalKind.ANYONE or (
        principal.kind is PrincipalKind.AWS and principal.value.text == "*"
    )


def typed(principal: Principal) -> TypedPrincipal:
    """What ``principal`` admits."""
    text = principal.value.text
    if text is None:
        return TypedPrincipal(principal, Who.UNRESOLVED)
    if principal.kind is PrincipalKind.ANYONE:
        return TypedPrincipal(principal, Who.EVERYONE)
    if principal.kind is PrincipalKind.AWS:
        return _aws(principal, text)
    if principal.kind is PrincipalKind.SERVICE:
        if not text.strip():  # no service's name: IAM refuses it (RL111)
            return TypedPrincipal(principal, Who.MALFORMED, name=text)
        return TypedPrincipal(principal, Who.SERVICE, name=text)
    if principal.kind is PrincipalKind.FEDERATED:
        return _federated(principal, text)
    if principal.kind is PrincipalKind.CANONICAL_USER:
        return TypedPrincipal(principal, Who.CANONICAL_USER, name=text)
    return TypedPrincipal(principal, Who.MALFORMED)


def _aws(principal: Principal, text: str) -> TypedPrincipal:
    if is_all_wildcards(text) and "*" in text:
        return TypedPrincipal(principal, Who.EVERYONE)
    if is_account_id(text) or text == THIS_ACCOUNT:
        # A bare account id means that account's root; the template's own account id
        # (!Ref AWS::AccountId, aws_caller_identity) is one like any other.
        return TypedPrincipal(principal, Who.ACCOUNT, account=text)
    if re.fullmatch(r"A(RO|ID|GP|IP|NP|NV|SC|KI)A[A-Z0-9]{12,}", text):
        return TypedPrincipal(principal, Who.UNIQUE_ID, name=text)
    arn = parse_arn(text)
    if arn is None:
        return TypedPrincipal(principal, Who.MALFORMED)
    if has_wildcard(arn.account):
        return TypedPrincipal(principal, Who.EVERYONE, account=arn.account)
    resource = arn.resource
    if arn.service == "iam" and resource == "root":
        return TypedPrincipal(principal, Who.ACCOUNT, account=arn.account)
    kinds = {
        ("iam", "role"): Who.ROLE,
        ("iam", "user"): Who.USER,
        ("sts", "assumed-role"): Who.ASSUMED_ROLE,
        ("sts", "federated-user"): Who.FEDERATED_USER,
    }
    kind, _, name = resource.partition("/")
    who = kinds.get((arn.service, kind))
    if who is None or not name:
        return TypedPrincipal(principal, Who.MALFORMED, account=arn.account)
    return TypedPrincipal(principal, who, account=arn.account, name=name)


def _federated(principal: Principal, text: str) -> TypedPrincipal:
    if SAML_MARKER in text:
        arn = parse_arn(text)
        account = arn.account if arn is not None else None
        name = text.split(SAML_MARKER, 1)[1]
        if not name:  # 'saml-provider/' and no name: no provider (RL111)
            return TypedPrincipal(principal, Who.MALFORMED, account, name)
        return TypedPrincipal(principal, Who.SAML, account, name)
    if OIDC_MARKER in text:
        arn = parse_arn(text)
        host = text.split(OIDC_MARKER, 1)[1]
        account = arn.account if arn is not None else None
        # No provider's name, none at all or one with a scheme: RL111 says what to write.
        if not host or url_scheme(host) is not None:
            return TypedPrincipal(principal, Who.MALFORMED, account, host)
        return TypedPrincipal(principal, Who.OIDC, account, host, provider_of(host))
    if not text.startswith("arn:") and "." in text:  # a web identity provider by host name
        if url_scheme(text) is not None:
            return TypedPrincipal(principal, Who.MALFORMED, name=text)
        return TypedPrincipal(principal, Who.OIDC, name=text, provider=provider_of(text))
    return TypedPrincipal(principal, Who.MALFORMED)
