"""Principals IAM cannot read (RL111): an AWS principal that is neither "*", an account id nor
an IAM or STS principal ARN, a Federated principal that names no identity provider, a Service
principal with no name.

Such a policy is refused at deployment ("Invalid principal in policy") or, worse, accepted with
a principal that never matches, so the author's intent silently does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rolelint.checks.base import Hit, check, holder_keys
from rolelint.checks.iam_match import has_wildcard, is_account_id, parse_arn
from rolelint.checks.principals import OIDC_MARKER, SAML_MARKER, Who, typed, url_scheme
from rolelint.checks.trust_common import (
    INVALID_PRINCIPAL,
    naming_holders,
    role_id,
    trust_key,
    written_principals,
)
from rolelint.findings import Severity
from rolelint.model import (
    THIS_ACCOUNT,
    THIS_REGION,
    Inventory,
    Principal,
    PrincipalKind,
    Value,
    stand_ins_in_words,
)
from rolelint.service_principals import canonical

_PARTITION = re.compile(r"^aws(?:-[a-z]+)*$")
_PRINCIPAL_KINDS = {"iam": ("root", "role", "user"), "sts": ("assumed-role", "federated-user")}


def aws_problem(principal: Principal) -> tuple[str, Severity | None] | None:
    """Why IAM cannot use a resolved AWS principal, and the severity when not the default."""
    text = principal.value.text
    if text is None or text == THIS_ACCOUNT or not _judgeable_principal(text):
        return None  # the template's own account id, bare, is a principal like any account id
    probe = typed(principal)
    if probe.who is Who.UNIQUE_ID:
        return (
            "it is a unique id, which is what IAM shows in place of a principal that was "
            "deleted: it matches no one, not even a principal created again with the same name; "
            "name the principal by its ARN, or remove it",
            Severity.INFO,
        )
    if probe.who is Who.MALFORMED:
        return f"{_as_read(principal.value, _malformed_aws(text))}; {_REJECTED}", None
    if probe.who in _NAMED and has_wildcard(probe.name or ""):
        return f"{_PARTIAL_WILDCARD}; {_REJECTED}", None
    account = probe.account
    if (
        probe.who in _ACCOUNT_HOLDERS
        and account is not None
        and account != THIS_ACCOUNT
        and not has_wildcard(account)
        and not is_account_id(account)
    ):
        return f"{_as_read(principal.value, _bad_account(account))}; {_REJECTED}", None
    arn = parse_arn(text)
    partition = arn.partition if arn is not None else "aws"
    if not _PARTITION.fullmatch(partition) and not has_wildcard(partition):
        return f"'{partition}' is not an AWS partition (aws, aws-cn, ...); {_REJECTED}", None
    return None


def _judgeable_principal(text: str) -> bool:
    """Resolved but for the template's own account and Region, which make no ARN malformed."""
    return "${" not in text.replace(THIS_ACCOUNT, "").replace(THIS_REGION, "")


_NAMED = (Who.ROLE, Who.USER, Who.ASSUMED_ROLE, Who.FEDERATED_USER)
_ACCOUNT_HOLDERS = (Who.ACCOUNT, *_NAMED)
_PARTIAL_WILDCARD = (
    "a wildcard cannot match part of a principal name or ARN (only a whole '*' means everyone; "
    "to match names, use a condition on aws:PrincipalArn)"
)
_REJECTED = f"IAM rejects the policy ({INVALID_PRINCIPAL}) or the statement matches no one"


_OCTAL = re.compile(r"0[0-7_]+")


def _as_read(value: Value, why: str) -> str:
    """``why``, and how the value came to be what is judged when it is not what the file says
    (an unquoted 012345670123, which YAML 1.1 reads as an octal number): otherwise the user
    checks the digits they wrote, finds nothing wrong, and has nothing to fix."""
    written, text = value.written, value.text
    if written is None or text is None:
        return why
    octal = _OCTAL.fullmatch(written) is not None and int(written.replace("_", ""), 8) == int(text)
    number = "the octal number" if octal else "the number"
    return f'written unquoted, it is read as {number} {text}, and {why}; quote it ("{written}")'


def _bad_account(account: str) -> str:
    if account.isdigit():
        return f"the account id '{account}' has {len(account)} digits instead of 12"
    return f"'{account}' is not a 12-digit account id"


def _malformed_aws(text: str) -> str:
    """Why ``text`` is not an AWS principal (typed() found it malformed)."""
    if text.strip() != text:
        line_break = any(c in "\r\n" for c in text.replace(text.strip(), ""))
        return f"it has {'a line break' if line_break else 'spaces'} around it"
    if text.isdigit():
        return _bad_account(text)
    if canonical(text) is not None:
        return "it is a service principal: write it under Service, not AWS"
    if has_wildcard(text):
        return _PARTIAL_WILDCARD
    if not text.startswith("arn:"):
        # A name rolelint does not know (a role's, by !Ref) in words, as in the ARN it means.
        return (
            "it is neither '*', a 12-digit account id nor an ARN; a role or user is named by its "
            f"ARN (arn:aws:iam::<account>:role/{stand_ins_in_words(text)})"
        )
    arn = parse_arn(text)
    if arn is None:
        return "it is not a complete ARN (arn:partition:service:region:account:resource)"
    service = arn.service
    kind, _, name = arn.resource.partition("/")
    if kind in _PRINCIPAL_KINDS.get(service, ()) and not name:
        return f"the {kind} name after '{kind}/' is missing"
    if service == "iam" and kind == "group":
        return "an IAM group cannot be a principal: name its users, or use a role"
    if service in _PRINCIPAL_KINDS:
        return (
            f"an {service.upper()} '{kind}' is not a principal: a principal is an account "
            "(arn:aws:iam::<account>:root), a role, a user, or an STS assumed-role or "
            "federated-user session"
        )
    return f"it is an ARN of {service or 'no service'}, not of an IAM or STS principal"


def federated_problem(principal: Principal) -> str | None:
    """Why IAM cannot use a resolved Federated principal; None when it names a provider."""
    text = principal.value.text
    if text is None or not _judgeable_principal(text):
        return None
    kind = typed(principal)
    if kind.who is Who.MALFORMED and kind.name == "":
        # 'arn:aws:iam::111122223333:oidc-provider/': the shape of a provider ARN, no provider.
        marker = "saml-provider/" if SAML_MARKER in text else "oidc-provider/"
        return f"the provider name after '{marker}' is missing; {_REJECTED}"
    scheme = url_scheme(kind.name or "") if kind.who is Who.MALFORMED else None
    if scheme is not None:
        return _named_with_scheme(kind.name or "", scheme, OIDC_MARKER in text)
    if kind.who is not Who.MALFORMED:
        return None
    if text.startswith("arn:"):
        why = (
            "it is not an identity provider ARN (arn:aws:iam::<account>:oidc-provider/<host> or "
            "arn:aws:iam::<account>:saml-provider/<name>)"
        )
    else:
        why = (
            "it is neither an identity provider ARN nor a provider host such as "
            "accounts.google.com or cognito-identity.amazonaws.com"
        )
    return f"{why}; {_REJECTED}"


def service_problem(principal: Principal) -> str | None:
    """Why IAM cannot use a resolved Service principal: an empty name (or spaces only), which
    names no service; None for any other name (RL109 judges whether it is a service's)."""
    if typed(principal).who is not Who.MALFORMED:
        return None
    return (
        "the service's name is empty, where a service principal names an AWS service "
        f"(lambda.amazonaws.com); {_REJECTED}"
    )


def _named_with_scheme(name: str, scheme: str, by_arn: bool) -> str:
    """Why an OIDC provider named ``name``, which begins with ``scheme``, is none, and what to
    write instead: the issuer URL was pasted whole (EKS reports it with ``https://``), where
    the provider's ARN and the principal naming a provider by host leave the scheme out."""
    bare = name[len(scheme) :]
    written = f"{OIDC_MARKER.lstrip(':')}{bare}" if by_arn else bare
    return (
        f"the provider is named with the scheme of its URL ('{scheme}'), which an OIDC "
        f"provider's name leaves out (write '{written}'); {_REJECTED}"
    )


@check("RL111")
def malformed_principal(inventory: Inventory) -> Iterator[Hit]:
    for document, role, subject, _, principal, holders in written_principals(inventory):
        text = principal.value.text
        if text is None:
            continue
        severity: Severity | None = None
        if principal.kind is PrincipalKind.AWS:
            found = aws_problem(principal)
            if found is None:
                continue
            problem, severity = found
        elif principal.kind is PrincipalKind.FEDERATED:
            federated = federated_problem(principal)
            if federated is None:
                continue
            problem = federated
        elif principal.kind is PrincipalKind.SERVICE:
            service = service_problem(principal)
            if service is None:
                continue
            problem = service
        else:
            continue
        # As the file says it: "1402433619" is what an unquoted 012345670123 is read as.
        # A name CloudFormation generates or one not resolved (a group's, by Fn::GetAtt) as the
        # other rules word it.
        named = principal.value.written or f"'{stand_ins_in_words(text)}'"
        hit = Hit(
            "RL111",
            f"{subject} names {principal.kind.value} principal {named}, which IAM cannot use: "
            f"{problem}",
            principal.value.ref,
            document.resource,
            trust_key(document, principal.kind.value, text),
            role=role_id(role),
            holders=holder_keys((role,)),
            severity=severity,
        )
        yield naming_holders(hit, holders, document)
