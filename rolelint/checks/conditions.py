"""Conditions that can never be met by the requests they guard (RL611).

A service condition key the request does not carry is simply absent, and a positive operator
(StringEquals, ArnLike ...) on an absent key is false: the statement never applies.  An Allow
written that way grants nothing; a Deny written that way denies nothing, which is worse, because
the protection the author meant is not there.  The AWS action catalog says which keys each action
carries; rolelint judges only what the catalog makes certain.

So with the keys of a federated request: IAM fills ``<issuer>:<claim>`` keys only from a token
of that issuer, and ``saml:`` keys only from a SAML assertion.  A trust statement whose every
principal is an identity provider rolelint knows (no one else may call) and that tests a key
none of them presents never applies either: the keys of another EKS cluster copied under a
cluster's provider, a SAML key under an OIDC provider.  Nor does one that tests the keys of two
issuers (or an issuer's and SAML's), each presented by one of its principals: a request
presents one token or assertion, which never carries both (``Federated: [GitHub, GitLab]``
under the claims of both, written as if either would do).  So too for ``Principal "*"``
allowed only the calls that present a token or an assertion (AssumeRoleWithWebIdentity,
AssumeRoleWithSAML): whoever calls, one token never carries the keys of both, and a call
presenting a token never carries a ``saml:`` key (nor one presenting an assertion a claim).
So too for a Federated principal rolelint cannot resolve: whichever provider it names, its
requests present one token or assertion each, though of which issuer is not known.  And a
trust statement whose every principal is an AWS service never carries a federated key at all:
a service assumes a role with its own credentials, presenting no token and no assertion.

A key every request carries may never hold the values a condition admits: ``aws:PrincipalArn``
holds the role's ARN in the requests of a role's session, never the session's, so a test whose
every value is a session's ARN is false for every request, in any policy.  Nor does
``aws:PrincipalServiceName`` ever hold an empty name: a service's request carries its name;
nor ``aws:PrincipalOrgID``, ``aws:PrincipalAccount``, ``aws:SourceAccount``, ``aws:PrincipalArn``,
``aws:SourceArn``, ``sts:ExternalId``, ``aws:userid`` (the keys of
``trust_conditions.NEVER_EMPTY_KEYS``) an empty id, account, ARN or ExternalId.  And a
single-valued key holds one value (``aws:PrincipalServiceName`` the calling service's name,
``aws:PrincipalAccount`` the caller's account ...): two tests of it no one value passes
(``StringEquals lambda.amazonaws.com`` beside ``StringLike ecs-tasks.amazonaws.com``) are never
both true.  Nor does any test of an empty list of values (``"aws:SourceArn": []``)
ever hold: no request's value is among none.

Any such condition makes its statement never apply (:func:`never_applies`): the trust rules,
the assume-role graph and the inventory ask that one judgement before saying who a trust
statement admits.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rolelint import placeholders
from rolelint.checks.account_limits import (
    ARN_OPERATORS,
    PRINCIPAL_ARN,
    names_no_arn,
    never_a_principal_arn,
)
from rolelint.checks.base import Hit, check, on_text_of, policy_subject, some_of
from rolelint.checks.iam_match import has_wildcard
from rolelint.checks.oidc_providers import may_be_one_issuer, token_issuer
from rolelint.checks.principals import TypedPrincipal, Who, is_everyone, typed
from rolelint.checks.single_valued import ONE_VALUE, values_apart
from rolelint.checks.trust_common import ASSUME_SAML, ASSUME_WEB_IDENTITY
from rolelint.checks.trust_conditions import NEVER_EMPTY_KEYS
from rolelint.checks.validity import invalid_operator
from rolelint.condition_operators import NEGATED_FAMILIES
from rolelint.findings import Severity
from rolelint.model import (
    UNRESOLVED_KEY,
    Condition,
    Inventory,
    PolicyDocument,
    PolicyKind,
    PrincipalKind,
    Role,
    Statement,
)

if TYPE_CHECKING:
    from rolelint.iam_actions import Action


def false_without_key(condition: Condition) -> bool:
    """An operator that is false when the key is absent (not IfExists, not negated, not Null).

    Not ForAllValues either: it asks whether every value of the request is among the
    condition's, and a request without the key has no value to fail it; the IAM User Guide
    (multivalued context keys) says it "also returns true if there are no context keys in the
    request".  ForAnyValue, by contrast, is false without the key."""
    base = condition.base_operator.lower()
    if condition.operator.lower().startswith("forallvalues:"):
        return False
    return not condition.if_exists and base != "null" and not base.startswith(NEGATED_FAMILIES)


@dataclass(frozen=True, slots=True)
class NeverMet:
    """A condition no request a statement guards meets, with ``why``: its key is in none of
    them (``absent``, the usual case), or the key is there but never holds a value it admits
    (a principal ARN test of a role session's ARN)."""

    condition: Condition
    why: str
    absent: bool = True
    together: bool = False  # false only beside other conditions: ``why`` says all

    @property
    def words(self) -> str:
        """What a message says of it: why, and that its operator is false so."""
        operator = self.condition.operator
        if self.together:
            return self.why
        if self.absent:
            return f"{self.why}, and {operator} is false without it"
        return f"{self.why}: {operator} is false for every request"


def _single_service(statement: Statement) -> tuple[str, list[Action]] | None:
    """The one service of a statement and the catalog actions it names; None when its actions
    are unresolved, unknown, or of several (or wildcard) services.  A wildcard action
    (``s3:Get*``) stands for every action of the catalog it matches."""
    from rolelint import iam_actions

    services: set[str] = set()
    actions: list[Action] = []
    for value in statement.actions:
        text = value.text
        if text is None or ":" not in text:
            return None
        service = text.split(":", 1)[0].lower()
        if any(c in service for c in "*?"):
            return None
        if any(c in text for c in "*?"):
            matched = list(iam_actions.expand(text))
        else:
            action = iam_actions.lookup(text)
            matched = [action] if action is not None else []
        if not matched:
            return None  # unknown: RL605's
        services.add(service)
        actions.extend(matched)
    return (services.pop(), actions) if len(services) == 1 else None


def _problem(condition: Condition, service: str, actions: list[Action]) -> str | None:
    from rolelint import iam_actions

    key = condition.key.lower()
    prefix = key.split(":", 1)[0]
    if prefix != service or "/" in key or "$" in key or "<" in key:
        return None  # global keys, tag templates and other services' keys are not judged
    defined = iam_actions.service_condition_keys(service)
    if not defined:
        return None
    if not any(_names(pattern, key) for pattern in defined):
        names = [k for k in defined if "/" not in k and "${" not in k]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.8)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"'{condition.key}' is not a condition key of {service}{hint}"
    if any(_names(pattern, key) for action in actions for pattern in action.condition_keys):
        return None
    names = list(dict.fromkeys(a.full_name for a in actions))
    return f"'{condition.key}' is never present in requests for {some_of(names, 6)}"


def _names(pattern: str, key: str) -> bool:
    """Whether a key of the catalog names ``key``: itself, or a templated key whose ``${...}``
    parts stand for any text (``kms:encryptioncontext:${encryptioncontextkey}`` names
    ``kms:encryptioncontext:aws:s3:arn``)."""
    if "${" not in pattern:
        return pattern == key
    return _template(pattern).fullmatch(key) is not None


@functools.lru_cache(maxsize=256)
def _template(pattern: str) -> re.Pattern[str]:
    pieces = placeholders.split(pattern)
    return re.compile(".+".join(re.escape(piece) for piece in pieces), re.DOTALL)


def _providers(statement: Statement) -> list[TypedPrincipal] | None:
    """The identity providers that are every principal of a trust statement: OIDC issuers
    named outright (no wildcard) and SAML providers.  None when another principal may call
    (everyone, an AWS principal, a service, one rolelint cannot resolve or that names no
    provider), whose request may carry any key, or the statement has a NotPrincipal."""
    if statement.not_principals or not statement.principals:
        return None
    kinds = [typed(principal) for principal in statement.principals]
    return kinds if all(_is_known_provider(kind) for kind in kinds) else None


def _is_known_provider(kind: TypedPrincipal) -> bool:
    """Whether ``kind`` is a Federated principal naming an OIDC issuer outright (no wildcard)
    or a SAML provider: whose requests carry that provider's keys alone."""
    if kind.principal.kind is not PrincipalKind.FEDERATED:
        return False
    oidc = kind.who is Who.OIDC and bool(kind.name) and not has_wildcard(kind.name or "")
    return oidc or kind.who is Who.SAML


@dataclass(frozen=True, slots=True)
class Carrier:
    """What a request must present to carry a federated key: a token of OIDC ``issuer`` (host
    and path, as the key writes it), or a SAML assertion (``issuer`` None)."""

    issuer: str | None

    @property
    def words(self) -> str:
        return f"a token of '{self.issuer}'" if self.issuer is not None else "a SAML assertion"

    def may_carry_with(self, other: Carrier) -> bool:
        """Whether one token or assertion may carry the keys of both: the same issuer
        (:func:`~rolelint.checks.oidc_providers.may_be_one_issuer`), or both SAML's."""
        if self.issuer is None or other.issuer is None:
            return self.issuer is None and other.issuer is None
        return may_be_one_issuer(self.issuer, other.issuer)

    def presented_by(self, principal: TypedPrincipal) -> bool:
        """Whether identity provider ``principal``'s tokens (or assertions) carry such keys."""
        if self.issuer is None:
            return principal.who is Who.SAML
        return principal.who is Who.OIDC and may_be_one_issuer(principal.name or "", self.issuer)

    @classmethod
    def presented_by_provider(cls, principal: TypedPrincipal) -> Carrier | None:
        """What every request of ``principal`` presents when it is an identity provider
        rolelint knows (:func:`_is_known_provider`): a token of its issuer, or a SAML
        assertion; None for any other principal, whose requests may carry any key."""
        if not _is_known_provider(principal):
            return None
        return cls(principal.name) if principal.who is Who.OIDC else cls(None)

    def lacks(self, key: str) -> bool:
        """Whether a request presenting this token or assertion certainly lacks ``key``: a
        claim of an issuer that cannot be this one, or (with a token) a ``saml:`` key, or
        (with an assertion) any issuer's claim."""
        other = carrier_of(key)
        return other is not None and not self.may_carry_with(other)


def carrier_of(key: str) -> Carrier | None:
    """What carries condition key ``key``: a claim of an OIDC issuer (``<issuer>:<claim>``,
    :func:`~rolelint.checks.oidc_providers.token_issuer`) or a ``saml:`` key; None for any
    other key."""
    issuer = token_issuer(key)
    if issuer is not None:
        return Carrier(issuer)
    if key.lower().startswith("saml:"):
        return Carrier(None)
    return None


def _presented_by_none(condition: Condition, providers: list[TypedPrincipal]) -> str | None:
    """Why no request of ``providers`` carries the key of ``condition``: it is a claim of an
    issuer none of them is (:func:`~rolelint.checks.oidc_providers.may_be_one_issuer`), or a
    SAML key and none is a SAML provider; None when one may carry it, or it is neither."""
    key = condition.key
    carrier = carrier_of(key)
    if carrier is None or any(carrier.presented_by(p) for p in providers):
        return None
    named = [
        f"OIDC provider '{p.name}'" if p.who is Who.OIDC else f"SAML provider '{p.said_name}'"
        for p in providers
    ]
    return (
        f"'{key}' is only in requests with {carrier.words}, which no principal of the statement "
        f"presents (it names {some_of(named, 3)})"
    )


def _never_together(conditions: list[Condition]) -> Iterator[tuple[Condition, str]]:
    """Each of ``conditions`` (mandatory tests of keys some caller presents) on a key that no
    token or assertion carries with the key of an earlier one, with why.

    A request presents one web identity token (AssumeRoleWithWebIdentity takes one) or one SAML
    assertion, and IAM fills ``<issuer>:<claim>`` keys only from a token of that issuer: no
    request carries the claims of two issuers that cannot be one, nor an issuer's and a SAML
    key.  So with each caller's request some key is missing, its test false, and the statement
    never applies.  The keys of the issuer the statement tests first are taken for the meant
    ones: each key that cannot be with the first earlier one it conflicts with is reported
    (pairs decide: ``oidc.eks.${AWS::Region}...`` may be either of two Regions written out, but
    those two are never one)."""
    seen: list[tuple[Condition, Carrier]] = []
    for condition in conditions:
        carrier = carrier_of(condition.key)
        if carrier is None:
            continue
        apart = next((pair for pair in seen if not pair[1].may_carry_with(carrier)), None)
        seen.append((condition, carrier))
        if apart is None:
            continue
        other, held = apart
        why = (
            f"'{condition.key}' is only in requests with {carrier.words}, and the statement also "
            f"requires '{other.key}' ({other.operator} at line {other.ref.line}), which only "
            f"{held.words} carries: a request presents one token or assertion"
        )
        yield condition, why


def _trust_statement_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each condition of a trust statement on a key none of its callers presents
    (:func:`_absence_reader`), or that no request carries with another key the statement
    requires (:func:`_never_together`), with why."""
    reader = _absence_reader(statement)
    if reader is None:
        return
    why_absent, note = reader
    presented = []
    for condition in statement.conditions:
        if not _judged_operator(condition):
            continue
        problem = why_absent(condition)
        if problem is not None:
            yield condition, problem + note
        else:
            presented.append(condition)
    for condition, why in _never_together(presented):
        yield condition, why + note


# Why no request of a statement's callers carries the key of a condition (None when one may),
# and what every such reason says after it.
AbsenceReader = tuple[Callable[[Condition], str | None], str]


def _absence_reader(statement: Statement) -> AbsenceReader | None:
    """How the callers of a trust statement are judged for the keys of its conditions: of
    identity providers alone, a key none of them presents (:func:`_presented_by_none`); of
    services alone, a federated key (:func:`_presented_by_no_service`); of a statement whose
    every request presents one token or assertion, though rolelint does not know whose (for
    everyone, :func:`_everyone_presenting_one_token`, or a Federated principal it cannot
    resolve, :func:`_unresolved_providers`, said after each reason), a key the one call it
    allows never presents (:func:`_absent_from_the_call`).  None for any other statement,
    whose requests may carry any key.  A key no service presents is federated, so no two of
    those a service's request may carry are kept apart by :func:`_never_together`."""
    providers = _providers(statement)
    if providers is not None:
        return functools.partial(_presented_by_none, providers=providers), ""
    if _services_alone(statement):
        return _presented_by_no_service, ""
    everyone = _everyone_presenting_one_token(statement)
    if everyone or _unresolved_providers(statement):
        # Said of a provider rolelint cannot resolve: the reason holds whichever it names.
        note = "" if everyone else _WHICHEVER_PROVIDER
        return functools.partial(_absent_from_the_call, call=_one_call(statement)), note
    return None


def _services_alone(statement: Statement) -> bool:
    """Whether every principal of ``statement`` is an AWS service (``{"Service": ...}``, its
    name resolved or not; an empty one is RL111's).  A service assumes a role with its own
    credentials (sts:AssumeRole), never presenting a web identity token or a SAML assertion, so
    its request carries no key of a federated one (:func:`_presented_by_no_service`)."""
    if statement.not_principals or not statement.principals:
        return False
    return all(
        p.kind is PrincipalKind.SERVICE and typed(p).who is not Who.MALFORMED
        for p in statement.principals
    )


def _presented_by_no_service(condition: Condition) -> str | None:
    """Why no service's request carries the key of ``condition``: it is an OIDC issuer's claim
    or a ``saml:`` key (:func:`carrier_of`), which only a token or an assertion carries; None
    for any other key."""
    carrier = carrier_of(condition.key)
    if carrier is None:
        return None
    return (
        f"'{condition.key}' is only in requests with {carrier.words}, which a service's request "
        "never presents (every principal of the statement is an AWS service, which assumes a "
        "role with its own credentials)"
    )


_WHICHEVER_PROVIDER = (
    " (the statement's Federated principal could not be resolved; this holds whichever "
    "provider it names)"
)


def _unresolved_providers(statement: Statement) -> bool:
    """Whether every principal of ``statement`` is a Federated one, some rolelint cannot
    resolve (``{"Federated": !Ref Provider}``) and the others identity providers it knows.
    Whatever provider such a principal turns out to name, each of its requests presents one
    web identity token or one SAML assertion (the only calls a Federated principal makes), so
    no request carries the keys of two issuers (:func:`_never_together`); which issuer's keys
    it carries is not known, so no key alone is judged (:func:`_presented_by_none`)."""
    if statement.not_principals or not statement.principals:
        return False
    if any(p.kind is not PrincipalKind.FEDERATED for p in statement.principals):
        return False
    unresolved = [p for p in statement.principals if p.value.text is None]
    return bool(unresolved) and all(
        p.value.text is None or _is_known_provider(typed(p)) for p in statement.principals
    )


def _one_call(statement: Statement) -> str | None:
    """The one token call ``statement`` allows: AssumeRoleWithWebIdentity or
    AssumeRoleWithSAML, when its every action, resolved, is that one; None otherwise."""
    if statement.not_actions or not statement.actions:
        return None
    texts = {(action.text or "").lower() for action in statement.actions}
    if len(texts) != 1:
        return None
    [text] = texts
    return next((call for call in (ASSUME_WEB_IDENTITY, ASSUME_SAML) if call.lower() == text), None)


def _absent_from_the_call(condition: Condition, call: str | None) -> str | None:
    """Why no request of ``call`` carries the key of ``condition``: a ``saml:`` key, and the
    call presents a web identity token; an OIDC issuer's claim, and it presents a SAML
    assertion.  None when it may, or ``call`` is None."""
    carrier = carrier_of(condition.key)
    if carrier is None or call is None:
        return None
    if (carrier.issuer is None) == (call == ASSUME_SAML):
        return None
    presents = "a SAML assertion" if call == ASSUME_SAML else "a web identity token"
    return (
        f"'{condition.key}' is only in requests with {carrier.words}, and the statement allows "
        f"only {call}, whose requests present {presents}"
    )


# The calls that present one web identity token or one SAML assertion, which IAM fills the
# federated keys of the request from.
_TOKEN_CALLS = frozenset({ASSUME_WEB_IDENTITY.lower(), ASSUME_SAML.lower()})


def _everyone_presenting_one_token(statement: Statement) -> bool:
    """Whether ``statement`` admits everyone (``Principal "*"``, ``{"AWS": "*"}``, beside
    Federated principals, identity providers rolelint knows or not: one it cannot resolve, or
    names with a wildcard), but only to calls that present a token or an assertion: its
    actions, all resolved, are AssumeRoleWithWebIdentity and AssumeRoleWithSAML alone.  Each
    request it admits then presents one web identity token or one SAML assertion, whoever sends
    it, and carries the keys of one issuer at most (:func:`_never_together`).  Any other action
    (``sts:AssumeRole``, ``sts:TagSession``, a wildcard) is sent by callers whose requests
    rolelint does not judge here."""
    if statement.not_principals or statement.not_actions or not statement.actions:
        return False
    if not any(is_everyone(principal) for principal in statement.principals):
        return False
    if not all(is_everyone(p) or p.kind is PrincipalKind.FEDERATED for p in statement.principals):
        return False
    return all(
        action.text is not None and action.text.lower() in _TOKEN_CALLS
        for action in statement.actions
    )


def _service_statement_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each condition of ``statement`` on a service key its actions never carry
    (:func:`_problem`), with why."""
    if not statement.actions or statement.not_actions:
        return
    named = _single_service(statement)
    if named is None:
        return
    service, actions = named
    for condition in statement.conditions:
        if not _judged_operator(condition):
            continue
        problem = _problem(condition, service, actions)
        if problem is not None:
            yield condition, problem


def _principal_arn_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each mandatory positive test of ``aws:PrincipalArn`` every value of which is a role
    session's ARN (``arn:aws:sts::444455556666:assumed-role/vendor/sess``), with why.  The key
    holds the role's ARN in the requests of its sessions, never the session's
    (:func:`~rolelint.checks.account_limits.never_a_principal_arn`): no request passes it.  Only
    the operators that admit the ARNs their values match (not a negation, IfExists, which an
    anonymous request passes, or one ignoring case); a value rolelint cannot resolve may be
    any ARN."""
    for condition in statement.conditions:
        if condition.key.lower() != PRINCIPAL_ARN or not _judged_operator(condition):
            continue
        if condition.base_operator.lower() not in ARN_OPERATORS:
            continue
        values = condition.values
        if not values or not all(never_a_principal_arn(value.text) for value in values):
            continue
        named = _values_said(condition)
        which = f"which {named} each is" if len(values) > 1 else f"which {named} is"
        yield (
            condition,
            (
                f"'{condition.key}' holds the role's ARN (arn:aws:iam::<account>:role/<name>) in "
                f"the requests of a role's session, never a session's ARN, {which}"
            ),
        )


# The string and ARN tests that admit only the values they match: an empty value matches only
# an empty one (ArnEquals and ArnLike compare six fields, which an empty value has not).
_NAME_MATCHING = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)

# What each key never empty (trust_conditions.NEVER_EMPTY_KEYS) holds, and in which requests, as
# a message says it.
_NEVER_EMPTY_HOLDS = {
    "aws:principalservicename": (
        "the name of the AWS service that calls (lambda.amazonaws.com), only in a service's request"
    ),
    "aws:principalservicenameslist": (
        "the name of the AWS service that calls (lambda.amazonaws.com), only in a service's request"
    ),
    "aws:principalorgid": (
        "the ID of the caller's organization (o-a1b2c3d4e5), only in the request of a principal "
        "of an organization"
    ),
    "aws:principalorgpaths": (
        "the paths of the caller's account in its organization (o-a1b2c3d4e5/r-ab12/ou-ab12-"
        "11111111/), only in the request of a principal of an organization"
    ),
    "aws:principalaccount": (
        "the account of the caller (111122223333), in the request of every principal"
    ),
    "aws:sourceaccount": (
        "the account of the resource a service calls for (111122223333), only in a service's "
        "request made for a resource"
    ),
    "aws:sourceorgid": (
        "the ID of the organization of the resource a service calls for (o-a1b2c3d4e5), only "
        "in a service's request made for a resource of an organization"
    ),
    "aws:sourceorgpaths": (
        "the paths of the account of the resource a service calls for in its organization "
        "(o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/), only in a service's request made for a "
        "resource of an organization"
    ),
    "aws:principalarn": (
        "the ARN of the caller (arn:aws:iam::111122223333:role/name), in the request of every "
        "principal"
    ),
    "aws:sourcearn": (
        "the ARN of the resource a service calls for (arn:aws:sns:us-east-1:111122223333:topic), "
        "only in a service's request made for a resource"
    ),
    "sts:externalid": (
        "the ExternalId the caller passes (STS takes 2 to 1224 characters), only in a request "
        "that passes one"
    ),
    "aws:userid": (
        "the unique id of the caller (AROAEXAMPLEID:session), in the request of every principal"
    ),
}


def _empty_value_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each mandatory positive string or ARN test of a key never empty (a service's name, an
    organization's id or paths, an account, an ARN, an ExternalId, a unique id:
    :data:`_NEVER_EMPTY_HOLDS`) whose every value is empty, with why.  A request carries such a
    key, when it does, with a name, an id, an account or an ARN, never an empty one: the test
    admits no request.  A value rolelint cannot resolve may be any."""
    for condition in statement.conditions:
        key = condition.key.lower()
        if key not in NEVER_EMPTY_KEYS or not _judged_operator(condition):
            continue
        if condition.base_operator.lower() not in _NAME_MATCHING:
            continue
        values = condition.values
        if not values or not all(v.text is not None and not v.text.strip() for v in values):
            continue
        named = _values_said(condition)
        yield (
            condition,
            f"'{condition.key}' holds {_NEVER_EMPTY_HOLDS[key]} and never empty, which {named} is",
        )


def _no_value_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each test of ``statement`` false without its key (:func:`_judged_operator`) that lists
    no value at all (``"aws:SourceArn": []``), with why.  Its values are alternatives, and no
    value is none a request's value can match: IAM Access Analyzer says of such a condition
    "There are no values for the condition key and it does not affect the policy", the
    statement "provides no permissions" (Empty array condition), and that with ``ForAnyValue``
    it "never matches the request context" (IAM User Guide, IAM policy validation check
    reference).  Not ``IfExists`` nor ``ForAllValues``, which match a request without the key
    (Access Analyzer says so of them too), nor a negation or ``Null``, of which it says
    nothing.  Whatever the key: no request holds a value among none.  Not a condition whose key
    or operator rolelint cannot read, which keeps no value of its own: what it lists is not
    known."""
    for condition in statement.conditions:
        if condition.values or not _judged_operator(condition) or _unread(condition):
            continue
        yield (
            condition,
            f"'{condition.key}' is tested against an empty list of values, which no value of "
            "a request matches",
        )


def _unread(condition: Condition) -> bool:
    """Whether rolelint could not read the key or the operator of ``condition``: it stands for
    a condition whose values are not known either."""
    return condition.key.startswith(UNRESOLVED_KEY) or condition.operator.startswith(UNRESOLVED_KEY)


def _no_arn_problems(statement: Statement) -> Iterator[tuple[Condition, str]]:
    """Each ARN test of ``statement`` none of whose values is an ARN its key holds, as its
    operator reads them (:func:`~rolelint.checks.account_limits.names_no_arn`: ``StringEquals
    aws:PrincipalArn "my-role"``, ``ArnLike aws:PrincipalArn "arn:aws:iam::*"``, an
    ``aws:SourceArn`` of five fields under ArnLike, which compares six one by one), with why.
    Every request that carries the key holds an ARN there (the caller's, a role's for its
    sessions, or the resource's a service calls for), so no request passes the test.  RL101
    grades such a test a limit, to no one, and the graph and the inventory draw no way in
    through it: the statement never applies, and this says so where it is written."""
    for condition in statement.conditions:
        if not names_no_arn(condition):
            continue
        key = condition.key.lower()
        values = condition.values
        named = _values_said(condition)
        which = f"{named} each is" if len(values) > 1 else f"{named} is"
        sessions = any(never_a_principal_arn(value.text) for value in values)
        session = ", nor a role session's, which it never holds" if sessions else ""
        yield (
            condition,
            f"'{condition.key}' holds {_NEVER_EMPTY_HOLDS[key]}, and {which} no such ARN as "
            f"{condition.operator} reads it (six fields, arn:partition:service:region:account:"
            f"resource{session})",
        )


def _single_value_problems(statement: Statement) -> Iterator[NeverMet]:
    """Each test of a single-valued key (the calling service's name, the caller's account, an
    ExternalId ...: :data:`~rolelint.checks.single_valued.ONE_VALUE`) that no value passes
    with the tests of that key before it
    (:func:`~rolelint.checks.single_valued.values_apart`), with why: the key holds one value,
    and the tests all hold of it (an IfExists test too, where another requires the key)."""
    for apart in values_apart(statement):
        tests = (apart.last, *apart.earlier)
        if any(invalid_operator(c.operator) is not None for c in tests):
            continue  # an operator IAM rejects (RL607's) fails the policy, met or not
        condition = apart.last
        noun, holds = ONE_VALUE[condition.key.lower()]
        earlier = some_of(
            [f"{c.operator} at line {c.ref.line} ({_values_said(c)})" for c in apart.earlier],
            3,
            separator=" and ",
        )
        why = (
            f"'{condition.key}' holds one {noun}, {holds}, and no {noun} passes "
            f"{condition.operator} ({_values_said(condition)}) as well as {earlier}, which the "
            "statement requires too: together they are false for every request"
        )
        if any(c.if_exists for c in tests):
            why += (
                f" (the statement requires the key, so {_if_exists_said(tests)} tests it as "
                "its operator without IfExists does)"
            )
        yield NeverMet(condition, why, absent=False, together=True)


def _if_exists_said(tests: tuple[Condition, ...]) -> str:
    """``StringEqualsIfExists``, or ``StringEqualsIfExists and StringLikeIfExists``: the
    IfExists operators among ``tests``, each once."""
    operators = list(dict.fromkeys(c.operator for c in tests if c.if_exists))
    return some_of(operators, 3, separator=" and ")


def _values_said(condition: Condition) -> str:
    """``'a', 'b'``: the values of ``condition`` as a message quotes them."""
    return some_of([f"'{value.text}'" for value in condition.values], 3)


def statement_problems(document: PolicyDocument, statement: Statement) -> Iterator[NeverMet]:
    """Each condition of ``statement`` (of ``document``) that no request it guards meets, with
    why: on a service key its actions never carry (:func:`_service_statement_problems`); of a
    trust statement, on a key of a federated request no caller presents, or presents with
    another key the statement requires (:func:`_trust_statement_problems`); a principal ARN
    test of role sessions' ARNs alone, which the key never holds
    (:func:`_principal_arn_problems`); a test of a key never empty whose values are all empty
    (:func:`_empty_value_problems`); a test of no value at all (:func:`_no_value_problems`);
    any other ARN test naming no ARN its key holds
    (:func:`_no_arn_problems`); or tests of a single-valued key (the calling service's name,
    the caller's account ...) no one value passes together (:func:`_single_value_problems`).
    Any one makes the statement never apply, its conditions all holding or it not applying:
    what RL611 reports, and :func:`never_applies` says.  A condition is said once, with the
    first reason found."""
    if not statement.conditions:
        return
    for condition, why in _service_statement_problems(statement):
        yield NeverMet(condition, why)
    if document.kind is PolicyKind.TRUST:
        for condition, why in _trust_statement_problems(statement):
            yield NeverMet(condition, why)
    said: set[int] = set()
    for condition, why in (
        *_principal_arn_problems(statement),
        *_empty_value_problems(statement),
        *_no_value_problems(statement),
    ):
        said.add(id(condition))
        yield NeverMet(condition, why, absent=False)
    for condition, why in _no_arn_problems(statement):
        if id(condition) not in said:
            said.add(id(condition))
            yield NeverMet(condition, why, absent=False)
    for problem in _single_value_problems(statement):
        if id(problem.condition) not in said:
            yield problem


def never_applies(document: PolicyDocument, statement: Statement) -> bool:
    """Whether ``statement`` of ``document`` admits no one, whatever its principals: RL611
    finds it never applies (:func:`statement_problems`; an ARN test naming no ARN its key holds
    among them, ``ArnLike aws:PrincipalArn "arn:aws:iam::*"``).  The one judgement every rule
    that says who a trust admits (RL101, RL102, RL103, RL104, RL108), the assume-role graph and
    the inventory ask, so that none of them calls open, or draws as a way in, a statement that
    admits no one: an account, a service or a role written as the principal no more than
    ``"*"``.

    Each of them asks it of every statement it reads, seven or eight times a statement in a
    run, and each answer reads every condition again (a quarter of a check of 3,000 roles with
    conditioned trusts): the answer is kept, by the statement and the kind of its policy, the
    only things it depends on."""
    if not statement.conditions:
        return False
    key = (id(statement), document.kind)
    known = _NEVER_APPLIES.get(key)
    if known is not None and known[0] is statement:
        return known[1]
    found = next(statement_problems(document, statement), None) is not None
    if len(_NEVER_APPLIES) >= _NEVER_APPLIES_KEPT:
        del _NEVER_APPLIES[next(iter(_NEVER_APPLIES))]  # the oldest
    _NEVER_APPLIES[key] = (statement, found)
    return found


# The answers of never_applies, by the identity of the statement and the kind of its policy.
# Each holds its statement, so that no other takes its id while it is kept; the oldest goes
# past a bound, as one process may check many inventories (the tests), which keeps at most that
# many statements alive after its run.  Statements are frozen: an answer never goes stale.
_NEVER_APPLIES: dict[tuple[int, PolicyKind], tuple[Statement, bool]] = {}
_NEVER_APPLIES_KEPT = 1 << 15


def _judged_operator(condition: Condition) -> bool:
    """Whether ``condition`` is false when its key is absent, with an operator IAM accepts.  An
    operator IAM rejects (RL607's) fails the whole policy: nothing to say of whether its
    condition is met, and its IfExists may not even read as one."""
    return invalid_operator(condition.operator) is None and false_without_key(condition)


@check("RL611")
def condition_never_met(inventory: Inventory) -> Iterator[Hit]:
    for document, roles in inventory.written_policies_with_roles():
        for statement in document.statements:
            for problem in statement_problems(document, statement):
                yield _hit(document, roles, statement, problem)


def _hit(
    document: PolicyDocument, roles: tuple[Role, ...], statement: Statement, problem: NeverMet
) -> Hit:
    deny = statement.is_deny
    effect = "this Deny never applies" if deny else "this statement never applies"
    subject = policy_subject(document)
    condition = problem.condition
    hit = Hit(
        "RL611",
        f"{subject} has a condition that cannot be met: {problem.words}, so {effect}",
        condition.ref,
        document.resource,
        f"condition-never-met|{document.origin}|{condition.operator}|{condition.key}",
        severity=Severity.HIGH if deny else None,
    )
    return on_text_of(hit, roles, document)
