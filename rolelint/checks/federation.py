"""Federated trust: who may exchange an identity provider's token for the role.

An OIDC provider signs tokens for many parties: GitHub for every workflow of every repository,
HCP Terraform for every run of every organization, an EKS cluster for every service account of
every namespace.  Trusting the provider is only safe with conditions on the claims that say whose
token it is, and which claims those are depends on the provider.  Each provider rolelint knows
has a :class:`Profile`: the claim that must be pinned, how to judge a pattern on it, and the
audience it expects.

- RL103: the claim that says who is not pinned, or pinned to a pattern that admits other owners
  (critical) or every repository, project or service account of one owner (medium); Cognito
  identity pools that admit guests (medium).  Low when the statement also requires a claim no
  rule judges (GitHub's ``repository_id``): that may be the limit, so it is never "anyone".
- RL104: a SAML provider without ``SAML:aud``.
- RL107: a federated principal allowed ``sts:AssumeRole`` (or the other kind of provider's
  action) but not the action its identities call.
- RL108: the audience claim is not pinned where the provider defines one.

``Principal "*"`` (or ``{"AWS": "*"}``) pinned to one issuer's tokens by their claim that says
who is a trust of that issuer: RL101 leaves it to RL103 and RL108, which judge it as they judge
the issuer's Federated principal (:func:`_issuers_everyone_is_bound_to`).  So is a Federated
principal rolelint cannot resolve under a mandatory test of one issuer's claim
(:func:`_issuers_an_unresolved_provider_is_bound_to`): the written keys name the issuer, not the
unresolved value, and the message says so.

A condition pins a claim only as a mandatory positive test: IfExists, negations, ``Null``,
``ForAllValues`` (which passes a token without the claim) and empty values do not, nor a test
one of whose values matches every token (its values are alternatives).  Except on
``sub`` and ``aud`` of an OIDC token, and ``amr`` of a Cognito one, which every token carries:
IfExists and ForAllValues then test them as the plain operator does.  A value that
cannot be resolved may be the right one, and a condition key that cannot be resolved may be the
missing condition: neither ever produces a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from rolelint.checks.base import Hit, check, holder_keys, some_of
from rolelint.checks.conditions import never_applies
from rolelint.checks.iam_match import (
    action_grants,
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    is_all_wildcards,
    overlaps,
    statement_grants,
)
from rolelint.checks.oidc_providers import (
    Breadth,
    Profile,
    Verdict,
    may_be_one_issuer,
    profile_of,
    token_claim,
    token_issuer,
    unjudged_claim,
    who_claim,
)
from rolelint.checks.principals import (
    Provider,
    TypedPrincipal,
    Who,
    is_everyone,
    provider_of,
    typed,
)
from rolelint.checks.trust_common import (
    ASSUME_ROLE,
    ASSUME_SAML,
    ASSUME_WEB_IDENTITY,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.checks.trust_conditions import (
    Grade,
    mirror_of,
    mirrored_tests,
    operator_problem,
    scope_of,
    unjudged_claim_limit,
    unresolved_pin,
)
from rolelint.condition_operators import is_negated
from rolelint.findings import Severity
from rolelint.graph.hops import account_of, certainly_refused
from rolelint.model import (
    THIS_ACCOUNT,
    Condition,
    Inventory,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Value,
)

COGNITO_HOST = "cognito-identity.amazonaws.com"
GUEST = "unauthenticated"

# --- what pins a claim ----------------------------------------------------------------------------


def _not_a_pin(condition: Condition) -> str | None:
    """Why ``condition`` cannot pin its claim whatever its values; None when it can."""
    problem = operator_problem(condition)
    if problem is not None and not _tests_a_claim_every_token_has(condition):
        return problem
    if not condition.values or all(
        v.text is not None and not v.text.strip() for v in condition.values
    ):
        return "it lists no value"
    return None


# Claims of every OIDC token STS accepts: it refuses a token without "aud" ("Missing a required
# claim: aud"), and OpenID Connect requires "sub" in every ID token.
_CLAIMS_EVERY_TOKEN_HAS = frozenset({"sub", "aud"})
# Cognito sets amr on every token it issues: ["unauthenticated"] for a guest, "authenticated"
# and the providers used for a signed-in identity (Cognito developer guide, role trust and
# permissions).
COGNITO_AMR = f"{COGNITO_HOST}:amr"


def _tests_a_claim_every_token_has(condition: Condition) -> bool:
    """A positive test of an OIDC token's ``sub`` or ``aud``, or of a Cognito token's ``amr``,
    under IfExists or ForAllValues.

    Both forms pass a request that lacks the key, but no token lacks these claims:
    ``StringLikeIfExists`` then tests the claim exactly as ``StringLike`` does, and so does
    ``ForAllValues:StringLike`` of a claim with one value (GitHub's ``sub``, for one).  Of
    Cognito's ``amr``, which may hold several, ForAllValues requires each to match a value
    listed: a guest's one value, ``unauthenticated``, must then be admitted by one (the guest
    rule asks so).  SAML keys and any other key that names no issuer are not claims of a token
    (:func:`~rolelint.checks.oidc_providers.token_claim`)."""
    claim = token_claim(condition.key)
    base = condition.base_operator.lower()
    return (
        (claim in _CLAIMS_EVERY_TOKEN_HAS or condition.key.lower() == COGNITO_AMR)
        and base != "null"
        and not is_negated(base)
    )


def _one_valued_claim(key: str) -> bool:
    """Whether ``key`` is an OIDC token's ``sub``, which every token has (OpenID Connect
    requires it) as one string: ForAnyValue tests it as the plain operator does
    (:func:`~rolelint.checks.trust_conditions.mirror_of`).  Said only of the tokens of the
    provider whose claim it is.  Not ``aud``, which OpenID Connect lets be a list, nor Cognito's
    ``amr``, which holds several values; SAML keys and any other key that names no issuer are
    not claims of a token (:func:`~rolelint.checks.oidc_providers.token_claim`)."""
    return token_claim(key) == "sub"


def _is_like(condition: Condition) -> bool:
    """Whether ``*`` and ``?`` in the values are patterns (StringLike) rather than literals."""
    return condition.matches_patterns


def _pins(condition: Condition) -> bool:
    """A mandatory positive test with a value that is not blank (or that rolelint cannot read,
    which may be exactly the pin), none of whose values matches every token.

    The values of one test are alternatives: a token matching any of them passes (IAM User
    Guide, multiple values of a context key are evaluated with a logical OR).  So under
    StringLike ``["*", "sts.amazonaws.com"]`` admits every audience, as ``"*"`` alone does:
    the test pins only when every value does, as :func:`_narrows` judges a subject.  A blank
    value admits no token and a value rolelint cannot resolve may be narrow: neither decides
    beside the others.  Before, one pinning value made the whole test a pin."""
    if _not_a_pin(condition) is not None:
        return False
    return not any(_matches_every_token(condition, value) for value in condition.values)


def _matches_every_token(condition: Condition, value: Value) -> bool:
    """Whether ``value`` of ``condition`` matches every value of the claim: a pattern of
    wildcards alone (``*``) under a pattern operator."""
    return value.text is not None and _is_like(condition) and is_all_wildcards(value.text)


def _mirrored_denies(
    document: PolicyDocument,
    allow: Statement,
    action: str,
    federated: str,
    provider: str | None = None,
    one_value: Callable[[str], bool] | None = None,
) -> list[Condition]:
    """The Denies of the trust policy that refuse, for ``action``, every token (or assertion)
    of provider ``federated`` whose claim fails a test, written as the positive test they
    amount to (trust_conditions.mirrored_tests), whatever key they test: the caller keeps those
    on its claims.  Only a Deny with that single condition counts: with more, it refuses only
    tokens failing all of them; and only one deployed wherever ``allow`` is (not in another
    branch of an Fn::If).  ``provider``: see :func:`_applies_to`; ``one_value``: as
    :func:`~rolelint.checks.trust_conditions.mirror_of` takes it.
    """

    def applies(deny: Statement) -> bool:
        return (
            deny.always_beside(allow)
            and not deny.not_principals
            and _applies_to(deny, federated, provider)
        )

    return mirrored_tests(document.statements, action, applies, one_value)


def _applies_to(deny: Statement, federated: str, provider: str | None = None) -> bool:
    """Whether a Deny names everyone or the federated principal itself.  With ``provider``,
    how the ARN of the provider a Federated principal rolelint cannot resolve is judged as
    ends (``:<the role's account>:oidc-provider/<issuer>``, :attr:`Federated.judged_provider`):
    a Deny naming that provider applies too, as an account has one provider per issuer URL,
    the only one whose tokens pass the Allow; another account's provider is not the role's."""
    own = provider.lower() if provider else None
    for principal in deny.principals:
        text = (principal.value.text or "").lower()
        if is_everyone(principal):
            return True
        if principal.kind is not PrincipalKind.FEDERATED:
            continue
        if text == federated.lower() or (own is not None and text.endswith(own)):
            return True
    return False


# --- the statements -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Federated:
    """A web-identity principal of an Allow trust statement, with what rolelint knows of it."""

    document: PolicyDocument
    role: Role | None
    statement: Statement
    principal: TypedPrincipal
    host: str
    profile: Profile
    unresolved: bool = False  # the principal is a Federated one rolelint cannot resolve

    @property
    def named(self) -> str:
        """How a fingerprint names the principal: as written, or by the issuer it is judged as
        when rolelint cannot resolve it (two such statements may trust different issuers)."""
        return self.principal.text if not self.unresolved else f"<unresolved>:{self.host}"

    @property
    def note(self) -> str:
        """What a message adds about how the principal was judged: nothing, or that it could
        not be resolved and is judged by the issuer its claim keys name."""
        if not self.unresolved:
            return ""
        return (
            " Its Federated principal could not be resolved: it is judged as a trust of "
            f"'{self.host}', whose tokens alone carry the claims its condition keys name."
        )

    def keys(self, *claims: str) -> list[str]:
        return [f"{self.host}:{claim}" for claim in claims]

    def claim_of(self, condition: Condition) -> str | None:
        """The claim, lower-case, of the principal's tokens that ``condition`` tests, None when
        it tests none: its key names the issuer as the principal does (``<host>:<claim>``, in
        any case), or, as a mandatory positive test, an issuer written otherwise that may be
        the principal's once deployed (:func:`~rolelint.checks.oidc_providers.may_be_one_issuer`:
        ``oidc.eks.eu-west-1.amazonaws.com/id/X:sub`` under the provider
        ``oidc.eks.${AWS::Region}.amazonaws.com/id/X``).  Deployed where the two are one, that
        test is of the principal's claim; anywhere else no token of the principal carries the
        key, the test is false and the statement admits no one: either way it limits who gets
        in as a test of the claim does.  Not so a test that passes a request without the key
        (IfExists, a negation, ``ForAllValues``): where the issuers differ it limits nothing."""
        key = condition.key.lower()
        prefix = f"{self.host.lower()}:"
        if key.startswith(prefix):
            return key[len(prefix) :]
        issuer = token_issuer(condition.key)
        if (
            issuer is None
            or operator_problem(condition) is not None
            or not may_be_one_issuer(issuer, self.host)
        ):
            return None
        return token_claim(condition.key)

    def own_conditions(self, *claims: str) -> list[Condition]:
        """The statement's own conditions on the claims (:meth:`claim_of`)."""
        wanted = {claim.lower() for claim in claims}
        return [c for c in self.statement.conditions if self.claim_of(c) in wanted]

    def conditions(self, *claims: str) -> list[Condition]:
        """The statement's conditions on the claims (:meth:`own_conditions`), and the Denies
        that pin them, their keys compared with the issuer as the statement's are
        (:meth:`claim_of`).  A Deny's negated test on a key of an issuer written otherwise that
        may be the principal's once deployed (``StringNotEquals`` on
        ``oidc.eks.eu-west-1.amazonaws.com/id/X:sub`` under the provider
        ``oidc.eks.${AWS::Region}.amazonaws.com/id/X``) refuses, where the two are one, every
        token whose claim fails it, and anywhere else every token, which carries no such key
        (a negated test is true without it): it limits who gets in as the positive test of the
        claim does."""
        wanted = {claim.lower() for claim in claims}
        mirrored = _mirrored_denies(
            self.document,
            self.statement,
            ASSUME_WEB_IDENTITY,
            self.principal.text,
            self.judged_provider,
            self.one_valued,
        )
        return self.own_conditions(*claims) + [c for c in mirrored if self.claim_of(c) in wanted]

    def one_valued(self, key: str) -> bool:
        """Whether ``key`` is the principal's own ``sub``, as the principal names the issuer
        (:func:`_one_valued_claim`): ForAnyValue tests it as the plain operator does.  Not so a
        key of an issuer written otherwise: where it is another issuer, no token carries it, a
        ``ForAnyValue`` test of it is false and a Deny with it refuses no one."""
        return _one_valued_claim(key) and key.lower().startswith(f"{self.host.lower()}:")

    @property
    def judged_provider(self) -> str | None:
        """How the ARN of the provider a principal rolelint cannot resolve is judged as ends:
        ``:<the role's account>:oidc-provider/<issuer>`` (this account's stand-in when the role
        is not known); None for any other principal."""
        if not self.unresolved:
            return None
        account = account_of(self.role.arn.text) if self.role is not None else None
        return f":{account or THIS_ACCOUNT}:oidc-provider/{self.host}"

    def weak(self, *claims: str) -> str:
        """``; <operator> <key> at line N <why>`` for each condition on the claims that does not
        pin them, for messages."""
        notes = []
        for condition in self.own_conditions(*claims):
            reason = _not_a_pin(condition) or _wildcards_only(condition)
            if reason is not None:
                notes.append(
                    f"{condition.operator} {condition.key} at line {condition.ref.line}: {reason}"
                )
        return f" ({'; '.join(notes)})" if notes else ""


def _wildcards_only(condition: Condition, what: str = "token") -> str | None:
    """Why a pattern condition pins nothing: a value of it matches every ``what`` the provider
    issues (an OIDC provider's token, a SAML provider's assertion), and its values are
    alternatives; None when it pins."""
    every = next((v for v in condition.values if _matches_every_token(condition, v)), None)
    if every is None:
        return None
    if len(condition.values) == 1:
        return f"its values match every {what}"
    return f"its value '{every.text}' matches every {what}, whatever the others name"


def _web_identity_principals(inventory: Inventory) -> Iterator[Federated]:
    """Every OIDC principal of an Allow statement that grants AssumeRoleWithWebIdentity and whose
    conditions rolelint can read, and every issuer an Allow for everyone trusts as such a
    principal would (:func:`_issuers_everyone_is_bound_to`), but those a Deny of the trust
    policy certainly refuses (the graph leaves them out too), and those of a statement RL611
    finds never applies (:func:`~rolelint.checks.conditions.never_applies`: it admits no
    one, whatever its conditions on the claims say)."""
    for document, role, statement in trust_statements(inventory):
        if never_applies(document, statement):
            continue
        found = [
            *_federated_in(document, role, statement),
            *_issuers_everyone_is_bound_to(document, role, statement),
        ]
        # An issuer everyone beside the unresolved principal is bound to is judged once, so
        # (however its keys write it: see _judged_as_issuers).
        judged = [federated.host for federated in found]
        found += [
            federated
            for federated in _issuers_an_unresolved_provider_is_bound_to(document, role, statement)
            if not any(may_be_one_issuer(federated.host, host) for host in judged)
        ]
        for federated in found:
            if not certainly_refused(
                document.statements, statement, federated.principal, ASSUME_WEB_IDENTITY
            ) and not _refused_as_its_issuer(document, federated):
                yield federated


def _refused_as_its_issuer(document: PolicyDocument, federated: Federated) -> bool:
    """Whether a Deny without a condition, deployed wherever the Allow is, refuses web identity
    to the provider of the issuer an unresolved Federated principal is judged as: the one
    provider whose tokens pass the Allow (see :func:`_applies_to`), so the statement admits
    no one, as it would with the provider's literal ARN."""
    provider = federated.judged_provider
    return provider is not None and any(
        deny.is_deny
        and not deny.conditions
        and not deny.not_principals
        and deny.always_beside(federated.statement)
        and statement_grants(deny, ASSUME_WEB_IDENTITY)
        and _applies_to(deny, federated.principal.text, provider)
        for deny in document.statements
    )


def _federated_in(
    document: PolicyDocument, role: Role | None, statement: Statement
) -> Iterator[Federated]:
    """The OIDC principals of one Allow trust statement that the federation rules judge: the
    statement grants AssumeRoleWithWebIdentity, rolelint can read its conditions, and it
    requires no key the principal's tokens never carry: a claim of another issuer (another
    principal's, or one only its condition keys name) or a SAML key."""
    if not statement_grants(statement, ASSUME_WEB_IDENTITY):
        return
    if has_unresolved_condition(statement):
        return  # the condition rolelint cannot read may be the pin
    federated = [typed(p) for p in statement.principals if p.kind is PrincipalKind.FEDERATED]
    # A provider named with its URL's scheme is none (Who.MALFORMED, RL111): no token is its.
    oidc = [p for p in federated if p.who is Who.OIDC and p.name and not has_wildcard(p.name)]
    saml = any(p.who is Who.SAML for p in federated)
    named = _issuers_named(statement)
    for principal in oidc:
        host = principal.name or ""
        others = [p.name or "" for p in oidc if (p.name or "").lower() != host.lower()]
        others += [issuer for issuer in named if not may_be_one_issuer(issuer, host)]
        prefixes = [f"{other}:" for other in others] + (["saml:"] if saml else [])
        judged = _issuer_judged(document, role, statement, principal, prefixes)
        if judged is not None:
            yield judged


def _issuers_named(statement: Statement) -> list[str]:
    """The OIDC issuers whose claims the statement's condition keys name
    (``<issuer>:<claim>``), as written, each once.  Only a token of that issuer carries such a
    key: a mandatory positive test of one means no other issuer's token ever passes
    (:func:`_bound_to_another_provider`), whether or not a principal of the statement names
    the issuer (the keys of another EKS cluster under a cluster's provider, as copied from
    another role, admit no one)."""
    issuers = (token_issuer(condition.key) for condition in statement.conditions)
    return list(dict.fromkeys(issuer for issuer in issuers if issuer is not None))


def _issuers_everyone_is_bound_to(
    document: PolicyDocument, role: Role | None, statement: Statement
) -> Iterator[Federated]:
    """The OIDC issuers that an Allow for everyone (``Principal "*"``, ``{"AWS": "*"}``) of
    AssumeRoleWithWebIdentity trusts as a Federated principal of theirs would: those whose claim
    that says who (GitHub's ``sub``, Cognito's ``aud``) limits who can use the statement, as
    RL101 judges it (:func:`~rolelint.checks.trust_conditions.scope_of`), or would but for
    values rolelint cannot resolve, which may be the pin (``Scope.undecided_claims``), so that
    RL101 leaves the statement to these rules.  Only a token of the issuer a condition key
    names carries its claims (``token.actions.githubusercontent.com:sub``), so only that
    issuer's tokens pass such a test: the statement admits what ``{"Federated": <issuer>}``
    with the same conditions admits, and is judged the same, at its principal.  An issuer a
    Federated principal of the statement names is judged as that principal; a statement that
    also requires another issuer's (or SAML's) key admits no token, as :func:`_federated_in`
    takes it."""
    if not statement_grants(statement, ASSUME_WEB_IDENTITY) or has_unresolved_condition(statement):
        return
    everyone = next((p for p in statement.principals if is_everyone(p)), None)
    if everyone is None:
        return
    scope = scope_of(statement, document.statements, ASSUME_WEB_IDENTITY)
    limits = [g.condition for g in (*scope.graded, *scope.denies) if g.grade is Grade.EFFECTIVE]
    # A claim whose value rolelint cannot resolve may be the pin: RL101 leaves it here too.
    limits += [g.condition for g in scope.undecided_claims()]
    bound = {claim[0].lower(): claim[0] for c in limits if (claim := who_claim(c.key)) is not None}
    yield from _judged_as_issuers(document, role, statement, everyone, bound)


def _issuers_an_unresolved_provider_is_bound_to(
    document: PolicyDocument, role: Role | None, statement: Statement
) -> Iterator[Federated]:
    """The OIDC issuers that an Allow of AssumeRoleWithWebIdentity to a Federated principal
    rolelint cannot resolve (``!ImportValue``, a parameter or variable without a default, a
    data source it cannot read) trusts: those whose claim (``<issuer>:aud``, ``<issuer>:sub``)
    the statement requires by a mandatory positive test.  IAM fills ``<issuer>:<claim>`` keys
    only from a token of that issuer, so whatever provider the principal turns out to be, only
    that issuer's tokens pass (if the provider is another issuer's, none do): the statement
    admits what ``{"Federated": <issuer>}`` with the same conditions admits, and is judged the
    same, at the principal, the message saying how (:attr:`Federated.note`).  So it is not the
    unresolved value that is judged, but the issuer the written keys name.  Without such a test
    (no issuer key, or one under IfExists or a negation, which a token without the key passes)
    the statement may admit any issuer's tokens and is not judged: unresolved never yields a
    finding.  An issuer a resolved Federated principal of the statement names is judged as
    that principal."""
    if not statement_grants(statement, ASSUME_WEB_IDENTITY) or has_unresolved_condition(statement):
        return
    unresolved = next(
        (
            p
            for p in statement.principals
            if p.kind is PrincipalKind.FEDERATED and p.value.text is None
        ),
        None,
    )
    if unresolved is None:
        return
    required = {
        issuer.lower(): issuer
        for c in statement.conditions
        if operator_problem(c) is None and (issuer := token_issuer(c.key)) is not None
    }
    yield from _judged_as_issuers(document, role, statement, unresolved, required, unresolved=True)


def issuers_judged_for_unresolved(
    document: PolicyDocument, statement: Statement
) -> list[TypedPrincipal]:
    """The OIDC issuers, as the Federated principals naming them, that a Federated principal
    of ``statement`` rolelint cannot resolve is judged as by the federation rules
    (:func:`_issuers_an_unresolved_provider_is_bound_to`): those whose claims the statement
    requires.  Empty when it has no such principal or requires no issuer's claim, and for a
    Deny.  The audit views name the party by it, as the messages do (:attr:`Federated.note`)."""
    if not statement.is_allow:
        return []
    found = _issuers_an_unresolved_provider_is_bound_to(document, None, statement)
    return [federated.principal for federated in found]


def _judged_as_issuers(
    document: PolicyDocument,
    role: Role | None,
    statement: Statement,
    stand_in: Principal,
    issuers: dict[str, str],
    *,
    unresolved: bool = False,
) -> Iterator[Federated]:
    """Each of ``issuers`` (lower-case issuer -> as written) that the statement trusts through
    ``stand_in``, a principal that says nothing of the issuer itself (everyone, a Federated one
    rolelint cannot resolve), judged as a Federated principal naming it: not one a resolved
    Federated principal of the statement names (judged as that principal), nor one when the
    statement also requires another issuer's (or SAML's) key, which its tokens never carry.

    Issuers are compared as :func:`_federated_in` compares a provider with the keys
    (:func:`~rolelint.checks.oidc_providers.may_be_one_issuer`): keys writing one issuer two
    ways (``oidc.eks.${AWS::Region}...:sub`` and ``oidc.eks.eu-west-1...:aud``) name one
    issuer that is judged once, as the first of them, with the keys of both
    (:meth:`Federated.claim_of`); neither is another issuer that excludes the other."""
    named = [issuer for c in statement.conditions if (issuer := token_issuer(c.key)) is not None]
    federated = [
        kind.name
        for kind in map(typed, statement.principals)
        if kind.principal.kind is PrincipalKind.FEDERATED
        and kind.who is Who.OIDC
        and kind.name
        and not has_wildcard(kind.name)
    ]
    seen: list[str] = []
    for issuer in issuers.values():
        if any(may_be_one_issuer(issuer, other) for other in seen):
            continue  # judged as the first way the keys write it
        seen.append(issuer)
        if any(may_be_one_issuer(issuer, name) for name in federated):
            continue  # judged as the Federated principal that names it
        others = [other for other in named if not may_be_one_issuer(other, issuer)]
        prefixes = [f"{other}:" for other in others] + ["saml:"]
        principal = TypedPrincipal(stand_in, Who.OIDC, name=issuer, provider=provider_of(issuer))
        judged = _issuer_judged(document, role, statement, principal, prefixes)
        if judged is not None:
            yield replace(judged, unresolved=unresolved)


def _issuer_judged(
    document: PolicyDocument,
    role: Role | None,
    statement: Statement,
    principal: TypedPrincipal,
    prefixes: Sequence[str],
) -> Federated | None:
    """What the federation rules judge of ``principal`` (an OIDC issuer) in ``statement``: None
    when the statement also requires a key of another provider (``prefixes``), which this
    issuer's tokens never carry, so it never matches, or when no profile knows the issuer."""
    if _bound_to_another_provider(statement, prefixes):
        return None
    profile = profile_of(principal)
    if profile is None:
        return None
    return Federated(document, role, statement, principal, principal.name or "", profile)


def _bound_to_another_provider(statement: Statement, prefixes: Sequence[str]) -> bool:
    """Whether the statement requires a key that only another provider's requests carry
    (``<host>:`` for another OIDC provider, ``saml:`` for a SAML one), so that this provider's
    requests never satisfy it.

    Only a mandatory positive test binds: a condition on a key missing from the request is false
    (IAM User Guide, condition operators), whatever its values, but IfExists and ForAllValues
    pass such a request and a negation or Null admits it.  ``_pins`` will not do here: it takes
    IfExists and ForAllValues on ``sub`` and ``aud`` as pins, which holds only for the tokens of
    the provider the claims belong to."""
    wanted = tuple(prefix.lower() for prefix in prefixes)
    return bool(wanted) and any(
        condition.key.lower().startswith(wanted) and operator_problem(condition) is None
        for condition in statement.conditions
    )


# --- RL103 ----------------------------------------------------------------------------------------


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _severity(breadth: Breadth) -> Severity | None:
    return None if breadth is Breadth.OPEN else Severity.MEDIUM


def _judged(federated: Federated, condition: Condition) -> list[tuple[Value, Verdict]]:
    """Each value of a pinning condition with how broad it is among the issuer's tokens
    (:meth:`Profile.judged`; unresolved values are left out: they may be exactly right)."""
    return federated.profile.judged(condition, federated.host)


@check("RL103")
def oidc_trust_without_subject(inventory: Inventory) -> Iterator[Hit]:
    for federated in _web_identity_principals(inventory):
        yield from _noted(federated, _subject_hits(federated))
        if federated.principal.provider is Provider.COGNITO:
            yield from _noted(federated, _guest_hits(federated))


def _noted(federated: Federated, hits: Iterator[Hit]) -> Iterator[Hit]:
    """``hits`` with what their messages must add about how the principal was judged."""
    note = federated.note
    for hit in hits:
        yield replace(hit, message=hit.message + note) if note else hit


def _subject_pins(federated: Federated) -> list[Condition]:
    """The conditions that test the claim that says who as they should (the statement's, and
    the Denies that mirror them); a value of wildcards alone is judged with the others."""
    return [c for c in federated.conditions(*federated.profile.claims) if _not_a_pin(c) is None]


def _narrowest(federated: Federated, pins: list[Condition]) -> list[tuple[Value, Verdict]]:
    """The values of the narrowest of ``pins``, judged: the conditions all hold, so the
    narrowest decides who gets in."""
    judged = [_judged(federated, condition) for condition in pins]
    return min(
        judged, key=lambda values: max((v.breadth for _, v in values), default=Breadth.NARROW)
    )


@dataclass(frozen=True, slots=True)
class SubjectPin:
    """Whether a trust statement pins who among an OIDC provider's tokens may assume the role,
    or which of a SAML provider's assertions (their audience, :func:`audience_pin`).

    ``pinned``: some mandatory condition (of the statement, or a Deny that mirrors one) limits
    the claim that says who to one owner at most (a repository, an organization, a namespace);
    ``conditions``: those of the statement's own conditions that do so; ``denies``: the
    conditions of the Denies that do so, as written (``StringNotLike``); ``what``: what they
    pin, as the role card says it.  ``undecided``: when none does, the conditions (the
    statement's, then the Denies' as written) that would but that have no written value to
    judge, only values rolelint cannot resolve, each with why it cannot tell what it pins
    (:func:`~rolelint.checks.trust_conditions.unresolved_pin`, of the test a Deny amounts to):
    such a value may be exactly the pin, so the rule stays silent, and the views grade the
    trust as one they cannot read (``unknown``), never as pinned.
    """

    pinned: bool
    conditions: tuple[Condition, ...]
    denies: tuple[Condition, ...] = ()
    what: str = "the subject of the provider's tokens"
    undecided: tuple[tuple[Condition, str], ...] = ()


def subject_pin(
    document: PolicyDocument, statement: Statement, principal: TypedPrincipal
) -> SubjectPin | None:
    """How ``statement`` pins the subject of OIDC ``principal``'s tokens, as RL103 judges it;
    None when RL103 does not judge it (the statement does not grant AssumeRoleWithWebIdentity,
    a condition rolelint cannot read may be the pin, or it never applies,
    :func:`~rolelint.checks.conditions.never_applies`).

    The one place that decides whether a subject is pinned: the audit views grade a trust by
    it, so that they never call scoped what RL103 calls open.  A pattern that admits every
    owner pins nothing, even of an issuer that signs one customer's tokens only (RL103 then
    says medium: the issuer limits who, not the condition).
    """
    if never_applies(document, statement):
        return None
    for federated in _federated_in(document, None, statement):
        if federated.principal.text != principal.text:
            continue
        tests = _subject_pins(federated)
        pins = [c for c in tests if _narrows(federated, c)]
        mirrors = [
            mirror_of(s, ASSUME_WEB_IDENTITY, _one_valued_claim)
            for s in document.statements
            if s.is_deny
        ]
        own, denies = _as_written(statement, mirrors, pins)
        # With no written value to judge, _narrows cannot say it pins: unresolved alone.
        unjudged = [c for c in tests if not _judged(federated, c)] if not pins else []
        undecided = _undecided_pins(statement, mirrors, unjudged, "whose tokens")
        return SubjectPin(bool(pins), own, denies, _what_pins(federated, pins), undecided)
    return None


def _as_written(
    statement: Statement,
    mirrors: Sequence[tuple[Condition, Condition] | None],
    found: Sequence[Condition],
) -> tuple[tuple[Condition, ...], tuple[Condition, ...]]:
    """Of ``found``, conditions of ``statement`` and the positive tests Denies amount to
    (``mirrors``, :func:`~rolelint.checks.trust_conditions.mirror_of`), the statement's own,
    and the Denies' conditions as written (``StringNotLike``)."""
    own = tuple(condition for condition in found if condition in statement.conditions)
    denies = tuple(m[0] for m in mirrors if m is not None and m[1] in found)
    return own, denies


def _undecided_pins(
    statement: Statement,
    mirrors: Sequence[tuple[Condition, Condition] | None],
    found: Sequence[Condition],
    whose: str,
) -> tuple[tuple[Condition, str], ...]:
    """``found`` (as :func:`_as_written` takes them), tests that would pin a provider's tokens
    or assertions (``whose``) but by values rolelint cannot resolve alone, each as written
    with why it cannot tell what it pins, said of the test (a Deny's, of the positive test
    it amounts to, as the grades say it)."""
    own = [(condition, condition) for condition in found if condition in statement.conditions]
    denies = [(m[0], m[1]) for m in mirrors if m is not None and m[1] in found]
    return tuple((written, unresolved_pin(test, whose)) for written, test in own + denies)


# How the card names a claim that pins a provider's tokens; any other by its name.
_CLAIM_WORDS = {"sub": "subject", "aud": "audience", "app_id": "application id"}


def _what_pins(federated: Federated, pins: Sequence[Condition]) -> str:
    """What ``pins`` pin, by the claims they test: "the subject of the provider's tokens", or
    "the audience ..." where that is the claim (Cognito, Google, a generic issuer's aud)."""
    claims = dict.fromkeys(claim for c in pins if (claim := federated.claim_of(c)) is not None)
    words = [_CLAIM_WORDS.get(claim, f"'{claim}' claim") for claim in claims] or ["subject"]
    return f"the {' and '.join(words)} of the provider's tokens"


def provider_pin(
    document: PolicyDocument, statement: Statement, principal: TypedPrincipal
) -> SubjectPin | None:
    """How ``statement`` pins the tokens or assertions of federated ``principal`` that may
    assume the role, as the rule for its kind of provider judges it: the subject of an OIDC
    provider's tokens (RL103, :func:`subject_pin`), the audience of a SAML provider's
    assertions (RL104, :func:`audience_pin`).  None for any other principal, or when the rule
    does not judge the statement.  The audit views grade a federated trust by it."""
    if principal.who is Who.OIDC:
        return subject_pin(document, statement, principal)
    if principal.who is Who.SAML:
        return audience_pin(document, statement, principal)
    return None


def _narrows(federated: Federated, condition: Condition) -> bool:
    """Whether ``condition`` admits the tokens of one owner at most: some written value, and
    each pinning one owner (a value rolelint cannot resolve beside them may be exactly the
    pin).  With none to judge, its values unresolved (or blank), it pins nothing rolelint can
    vouch for: the views grade it as a condition they cannot read, as
    :func:`~rolelint.checks.trust_conditions.grade` does, and RL103 stays silent on it.
    Before, ``all`` of no verdict called such a condition pinned."""
    judged = _judged(federated, condition)
    return bool(judged) and all(verdict.pins_owner for _, verdict in judged)


def _unjudged_limits(federated: Federated) -> list[Condition]:
    """The tests that limit whose tokens pass in a way rolelint cannot judge: mandatory
    positive tests of claims no rule judges (trust_conditions.unjudged_claim_limit: GitHub's
    ``repository_id``, a generic issuer's ``email``), the statement's own and those the Denies
    amount to (:meth:`Federated.conditions`).  A token without the claim fails such a test, so
    the statement never admits every token.  The claims are gathered from every statement of
    the trust policy: a Deny may test one the Allow does not name."""
    claims = dict.fromkeys(
        claim
        for statement in federated.document.statements
        for condition in statement.conditions
        if federated.claim_of(condition) is not None
        and (claim := unjudged_claim(condition.key)) is not None
    )
    if not claims:
        return []
    found = federated.conditions(*claims)
    return [condition for condition in found if unjudged_claim_limit(condition) is not None]


def _named(conditions: Sequence[Condition]) -> str:
    """``'<key>' (StringEquals at line 10)`` for each condition, for messages."""
    shown = [f"'{c.key}' ({c.operator} at line {c.ref.line})" for c in conditions[:_SHOWN_LIMITS]]
    return some_of(shown, _SHOWN_LIMITS, count=len(conditions), separator=" and ")


_SHOWN_LIMITS = 3


def _subject_hits(federated: Federated) -> Iterator[Hit]:
    profile = federated.profile
    document, role, text = federated.document, federated.role, federated.named
    claim = profile.claims[0]
    pins = _subject_pins(federated)
    # A test rolelint cannot judge may be the limit: never "anyone", at most low.
    limits = _unjudged_limits(federated)
    if not pins:
        keys = " or ".join(f"'{key}'" for key in federated.keys(*profile.claims))
        if limits:
            yield Hit(
                "RL103",
                f"{policy_words(role)} does not pin {keys}{federated.weak(*profile.claims)} "
                f"but requires {_named(limits)}, a claim rolelint does not judge: it cannot "
                "tell whose tokens that admits. Check that the condition admits only your own "
                f"{_plural(profile.unit)}, or pin {keys} as well.",
                federated.principal.principal.value.ref,
                document.resource,
                trust_key(document, text, claim),
                role=role_id(role),
                holders=holder_keys((role,)),
                severity=Severity.LOW,
            )
            return
        missing = Breadth.WIDE if profile.own_issuer else Breadth.OPEN
        yield Hit(
            "RL103",
            f"{policy_words(role)} lets {profile.everyone} assume the role: no mandatory "
            f"condition pins {keys}{federated.weak(*profile.claims)}.",
            federated.principal.principal.value.ref,
            document.resource,
            trust_key(document, text, claim),
            role=role_id(role),
            holders=holder_keys((role,)),
            severity=_severity(missing),
        )
        return
    also = (
        f" (the statement also requires {_named(limits)}, a claim rolelint does not judge, "
        "which may narrow it)"
        if limits
        else ""
    )
    # Within the narrowest condition, every too-broad value is one way in.
    for value, verdict in _narrowest(federated, pins):
        if verdict.breadth is Breadth.NARROW:
            continue
        key = next(c.key for c in pins if value in c.values)
        advice = (
            f"name the {_plural(profile.unit)} that need the role instead"
            if verdict.breadth is Breadth.WIDE
            else f"pin it to the {profile.unit} that should have the role"
        )
        yield Hit(
            "RL103",
            f"{policy_words(role)} accepts '{key}' value '{value.text}', which "
            f"{verdict.why}{also}; {advice}.",
            value.ref,  # the offending value, not the condition key
            document.resource,
            trust_key(document, text, claim, value.text or ""),
            role=role_id(role),
            holders=holder_keys((role,)),
            severity=Severity.LOW if limits else _severity(verdict.breadth),
        )


def _guest_hits(federated: Federated) -> Iterator[Hit]:
    """Cognito identity pools hand out credentials to guests (``amr`` ``unauthenticated``) when
    the pool allows them: a role meant for signed-in users must require ``authenticated``.

    Every Cognito token has ``amr``, so a test of it under IfExists is the plain test, and a
    positive ForAllValues test admits guests only when a value matches ``unauthenticated``
    (:func:`_tests_a_claim_every_token_has`), as :func:`_guests_denied` takes them in a Deny."""
    if not any(_pins(c) for c in federated.conditions("aud")):
        return  # the missing pool id is the finding; the guests come after
    if _guests_denied(federated):
        return
    role, document, text = federated.role, federated.document, federated.named
    amr = federated.own_conditions("amr")
    excluded = False
    guests: list[Value] = []
    positive = 0
    for condition in amr:
        values = condition.values
        if any(v.text is None for v in values):
            return  # it may name exactly the users the role is for
        base = condition.base_operator.lower()
        if is_negated(base):  # IfExists changes nothing: every token has amr
            excluded |= any(_admits(condition, v.text or "", GUEST) for v in values)
            continue
        if _not_a_pin(condition) is not None:
            continue
        positive += 1
        admitting = [v for v in values if _admits(condition, v.text or "", GUEST)]
        if not admitting:
            excluded = True
        guests = guests or admitting
    if excluded:
        return
    pool = COGNITO_HOST
    if positive and guests:
        value = guests[0]
        yield Hit(
            "RL103",
            f"{policy_words(role)} accepts '{pool}:amr' value '{value.text}', which admits "
            "unauthenticated (guest) identities of the identity pool: anyone who can reach the "
            "pool gets these credentials without signing in. That is right for the pool's guest "
            "role if its permissions are meant to be public; otherwise require 'authenticated'.",
            value.ref,
            document.resource,
            trust_key(document, text, "amr", value.text or ""),
            role=role_id(role),
            holders=holder_keys((role,)),
            severity=Severity.MEDIUM,
        )
        return
    yield Hit(
        "RL103",
        f"{policy_words(role)} accepts identities of the Cognito identity pool whether or not "
        f"they signed in: no mandatory condition on '{pool}:amr' requires 'authenticated'"
        f"{federated.weak('amr')}, so if the pool allows guest access, guests get these "
        "credentials too. That is intended only for the pool's guest role; otherwise require "
        "'authenticated'.",
        federated.principal.principal.value.ref,
        document.resource,
        trust_key(document, text, "amr"),
        role=role_id(role),
        holders=holder_keys((role,)),
        severity=Severity.MEDIUM,
    )


def _guests_denied(federated: Federated) -> bool:
    """Whether a Deny of the trust policy refuses every guest identity of the pool.

    Cognito sets ``amr`` on every token it issues: ``["unauthenticated"]`` for a guest, and
    ``authenticated`` with the providers used for a signed-in identity (Cognito developer guide,
    role trust and permissions).  So a Deny whose only condition is on ``amr`` refuses every
    guest when it is ``ForAnyValue:StringEquals``/``StringLike`` with a value that matches
    ``unauthenticated``, or ``ForAllValues:StringNotEquals``/``StringNotLike`` with every value
    known and none matching it (the guest's one value then matches none).  IfExists changes
    nothing: the key is always there.  Only a Deny for everyone or for the pool's principal,
    deployed wherever the Allow is, counts; other shapes are left to the Allow's conditions.
    """
    wanted = COGNITO_AMR
    for deny in federated.document.statements:
        if not (
            deny.is_deny
            and deny.always_beside(federated.statement)
            and not deny.not_principals
            and _applies_to(deny, federated.principal.text, federated.judged_provider)
            and statement_grants(deny, ASSUME_WEB_IDENTITY)
            and len(deny.conditions) == 1
            and deny.conditions[0].key.lower() == wanted
        ):
            continue
        if _refuses_guests(deny.conditions[0]):
            return True
    return False


def _refuses_guests(condition: Condition) -> bool:
    """Whether a Deny condition on ``amr`` holds for every guest token (see _guests_denied)."""
    operator = condition.operator.lower()
    base = condition.base_operator.lower()
    values = condition.values
    if operator.startswith("foranyvalue:") and base in {"stringequals", "stringlike"}:
        return any(v.text is not None and _admits(condition, v.text, GUEST) for v in values)
    if operator.startswith("forallvalues:") and base in {"stringnotequals", "stringnotlike"}:
        return bool(values) and all(
            v.text is not None and not _admits(condition, v.text, GUEST) for v in values
        )
    return False


def _admits(condition: Condition, pattern: str, literal: str) -> bool:
    if _is_like(condition) or condition.base_operator.lower() == "stringnotlike":
        return overlaps(pattern, literal, case_sensitive=True)
    return pattern == literal


# --- RL104 ----------------------------------------------------------------------------------------

SAML_AUDIENCE = "SAML:aud"


def audience_pin(
    document: PolicyDocument, statement: Statement, principal: TypedPrincipal
) -> SubjectPin | None:
    """How ``statement`` pins the audience of SAML ``principal``'s assertions, as RL104 judges
    it; None when RL104 does not judge it (the statement does not grant AssumeRoleWithSAML,
    requires a claim only an OIDC provider's tokens carry, has a condition rolelint cannot
    read, which may be the pin, or never applies:
    :func:`~rolelint.checks.conditions.never_applies`).

    The one place that decides it: RL104 reports a trust it finds unpinned, and the audit views
    grade one it finds pinned as limited, as an OIDC trust whose subject RL103 finds pinned: the
    assertions are then those the provider issued for AWS, and the provider (the organization's
    own identity provider) decides who gets them.  An audience only a value rolelint cannot
    resolve pins (``SAML:aud: !Ref Audience``) may be exactly the pin: RL104 stays silent on
    it, and the views grade it unknown (:attr:`SubjectPin.undecided`), never pinned.
    """
    if principal.who is not Who.SAML or principal.principal.kind is not PrincipalKind.FEDERATED:
        return None
    if not statement_grants(statement, ASSUME_SAML) or has_unresolved_condition(statement):
        return None
    if never_applies(document, statement):
        return None  # RL611's: the statement admits no one (it never applies)
    oidc_keys = [
        f"{kind.name}:"
        for kind in map(typed, statement.principals)
        if kind.principal.kind is PrincipalKind.FEDERATED and kind.who is Who.OIDC and kind.name
    ] + [f"{issuer}:" for issuer in _issuers_named(statement)]
    if _bound_to_another_provider(statement, oidc_keys):
        return None  # a SAML assertion never carries an OIDC issuer's claims: it never matches
    keys = (SAML_AUDIENCE,)
    tests = [c for c in find_conditions(statement, keys) if _pins(c)] + [
        c
        for c in _mirrored_denies(document, statement, ASSUME_SAML, principal.text)
        if c.key.lower() == SAML_AUDIENCE.lower() and _pins(c)
    ]
    pins = [c for c in tests if _pins_as_written(c)]
    mirrors = [mirror_of(s, ASSUME_SAML) for s in document.statements if s.is_deny]
    own, denies = _as_written(statement, mirrors, pins)
    undecided = _undecided_pins(statement, mirrors, [] if pins else tests, "which assertions")
    what = "the audience of the provider's assertions, as RL104 requires"
    return SubjectPin(bool(pins), own, denies, what, undecided)


def _pins_as_written(condition: Condition) -> bool:
    """Whether ``condition`` pins its claim by the values rolelint can read
    (:func:`_pins`): not by one it cannot resolve alone, which may be exactly the pin, so that
    the rule stays silent, but of which the views cannot say that it pins."""
    written = tuple(value for value in condition.values if value.text is not None)
    return bool(written) and _pins(replace(condition, values=written))


@check("RL104")
def saml_trust_without_audience(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
        for kind in map(typed, statement.principals):
            pin = audience_pin(document, statement, kind)
            if pin is None or pin.pinned or pin.undecided:
                continue  # an audience rolelint cannot resolve may be exactly the pin
            if certainly_refused(document.statements, statement, kind, ASSUME_SAML):
                continue  # a Deny refuses the provider's assertions: nobody gets in that way
            notes = [
                f"{c.operator} SAML:aud at line {c.ref.line}: "
                f"{_not_a_pin(c) or _wildcards_only(c, 'assertion')}"
                for c in find_conditions(statement, (SAML_AUDIENCE,))
            ]
            tail = f" ({'; '.join(notes)})" if notes else ""
            yield Hit(
                "RL104",
                f"{policy_words(role)} accepts SAML assertions from '{kind.said_name}' without "
                f"a mandatory SAML:aud condition{tail}: an assertion the identity provider issued "
                "for another service could be used to assume the role.",
                kind.principal.value.ref,
                document.resource,
                trust_key(document, kind.text),
                role=role_id(role),
                holders=holder_keys((role,)),
            )


# --- RL107 ----------------------------------------------------------------------------------------


@check("RL107")
def federated_principal_with_assume_role(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
        if statement.not_actions or any(a.text is None for a in statement.actions):
            continue  # an action rolelint cannot read may be the right one
        if never_applies(document, statement):
            continue  # RL611's: it admits no one, whichever action it allows
        for principal in statement.principals:
            kind = typed(principal)
            if principal.kind is not PrincipalKind.FEDERATED:
                continue
            # An ARN ending in "provider/" names no provider: it is malformed (RL111's).
            name = kind.said_name
            if kind.who is Who.OIDC:
                right, wrong = ASSUME_WEB_IDENTITY, (ASSUME_ROLE, ASSUME_SAML)
                what, who = "web identity tokens", f"OIDC provider '{name}'"
            elif kind.who is Who.SAML:
                right, wrong = ASSUME_SAML, (ASSUME_ROLE, ASSUME_WEB_IDENTITY)
                what, who = "SAML assertions", f"SAML provider '{name}'"
            else:
                continue
            if statement_grants(statement, right):
                continue
            for action in statement.actions:
                granted = [w for w in wrong if action_grants(action, w)]
                if not granted:
                    continue
                yield Hit(
                    "RL107",
                    f"{policy_words(role)} allows {granted[0]} to {who}, whose identities "
                    f"exchange {what} through {right} and never call {granted[0]}: the trust "
                    f"does not work as intended. Allow {right} instead.",
                    action.ref,
                    document.resource,
                    trust_key(document, kind.text, action.text or ""),
                    role=role_id(role),
                    holders=holder_keys((role,)),
                )


# --- RL108 ----------------------------------------------------------------------------------------


@check("RL108")
def oidc_trust_without_audience(inventory: Inventory) -> Iterator[Hit]:
    for federated in _web_identity_principals(inventory):
        profile = federated.profile
        if profile.audience is None or "aud" in profile.claims:
            continue
        if any(_pins(c) for c in federated.conditions("aud")):
            continue
        [key] = federated.keys("aud")
        yield Hit(
            "RL108",
            f"{policy_words(federated.role)} trusts {profile.name} provider '{federated.host}' "
            f"without pinning the token audience: no mandatory condition on '{key}'"
            f"{federated.weak('aud')}. Require the audience issued for AWS ({profile.audience}) "
            f"so that a token minted for another service cannot be used here.{federated.note}",
            federated.principal.principal.value.ref,
            federated.document.resource,
            trust_key(federated.document, federated.named, "aud"),
            role=role_id(federated.role),
            holders=holder_keys((federated.role,)),
        )
