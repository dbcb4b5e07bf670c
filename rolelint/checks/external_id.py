"""Cross-account trust and its ExternalId: missing (RL102), weak (RL105), reused (RL106).

A third party that assumes roles in many customers' accounts (a SaaS vendor, a monitoring
service) is a deputy: any of its customers can hand it someone else's role ARN.  The ExternalId
it generated for one customer relation is what tells its calls apart, so a trust to another
account must require that value, exactly, and only for that relation.

The three rules judge the same statements: Allow trust statements granting ``sts:AssumeRole`` to
an IAM principal (account, root, role, user, session) of a literal account *outside* what the
user declared as theirs.  The template's own account, ``--account`` ids, statements limited to a
declared ``--org-id`` (``aws:PrincipalOrgID``/``aws:PrincipalOrgPaths``, or a Deny of everyone
else), services, federated providers, wildcards (RL101), unresolved principals and principals
a Deny of the trust policy certainly refuses are not judged.  Then:

- no ``sts:ExternalId`` condition at all: RL102;
- ExternalId conditions, none of them sound: RL105, one finding per problem, at the value (or at
  the condition key when the operator is the problem);
- a sound ExternalId whose value is also required, elsewhere in the scan, for an account that
  shares no account with this statement: RL106.

What cannot be known stays silent: a condition whose key or operator is unresolved, a value that
is unresolved (a parameter without default, a computed attribute) or symbolic (``${...}``,
``{{resolve:...}}``) may be exactly the sound ExternalId, so neither RL102 nor RL105 fires for
its statement.  A problem of the *operator* (IfExists, Null, a negation, ForAllValues) is
reported whatever the value, because it lets callers through without any ExternalId.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rolelint.checks.account_limits import Naming, account_parties
from rolelint.checks.base import Hit, check, holder_keys
from rolelint.checks.conditions import never_applies
from rolelint.checks.external_id_values import Judged, admitting_values, judge
from rolelint.checks.iam_match import (
    find_conditions,
    has_unresolved_condition,
    is_account_id,
    statement_grants,
)
from rolelint.checks.principals import TypedPrincipal, Who, typed
from rolelint.checks.trust_common import (
    ASSUME_ROLE,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.checks.trust_conditions import (
    Grade,
    Scope,
    mirrored_tests,
    refuses_callers_of,
    scope_of,
)
from rolelint.graph.hops import certainly_refused
from rolelint.model import (
    AccountContext,
    Inventory,
    PolicyDocument,
    Principal,
    Role,
    Statement,
    Value,
)

EXTERNAL_ID = "sts:ExternalId"

# IAM principals that belong to one account: the ones an ExternalId protects a trust to.
ACCOUNT_PRINCIPALS = frozenset(
    {Who.ACCOUNT, Who.ROLE, Who.USER, Who.ASSUMED_ROLE, Who.FEDERATED_USER}
)
# Conditions that limit a statement to an organization (lower-case: keys compare so).
ORGANIZATION_PRINCIPAL_KEYS = ("aws:principalorgid", "aws:principalorgpaths")


# --- who needs an ExternalId ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outside:
    """An IAM principal of an account outside the user's: one an ExternalId must protect.
    ``named_at``: for ``"*"`` limited by ``StringEquals aws:PrincipalAccount`` or pinned by an
    ``aws:PrincipalArn`` test, where the condition names the account (findings point at its
    value, as at a written account); None when the principal names it."""

    principal: Principal
    account: str
    third_party: bool  # declared with --trusted-account
    named_at: Naming | None = None

    @property
    def party(self) -> str:
        """How messages name the account."""
        kind = "trusted third party" if self.third_party else "account"
        return f"{kind} {self.account}"

    @property
    def value(self) -> Value:
        """Where the account is written: the principal, or the condition value naming it."""
        return self.named_at.value if self.named_at is not None else self.principal.value

    @property
    def through(self) -> str:
        """How the statement admits the account, when not by writing it alone: ``('...')``."""
        if self.named_at is not None:
            return f" ('{self.principal.value.text}' limited by {self.named_at.words()})"
        text = self.principal.value.text or ""
        return "" if text == self.account else f" ('{text}')"


def outside_principals(
    statement: Statement, document: PolicyDocument, accounts: AccountContext
) -> list[Outside]:
    """The statement's principals of literal accounts the user did not declare as theirs, but
    for those a Deny of the trust policy certainly refuses sts:AssumeRole (the graph leaves
    them out too: :func:`rolelint.graph.hops.certainly_refused`).  ``"*"`` under a mandatory
    ``StringEquals aws:PrincipalAccount``, or an ``aws:PrincipalArn`` test naming the accounts
    of its ARNs, admits the principals of the accounts it names, as those accounts (or ARNs)
    written as principals would (:mod:`rolelint.checks.account_limits`)."""
    found: list[Outside] = []
    for principal in statement.principals:
        kind = typed(principal)
        parties: Sequence[tuple[TypedPrincipal, Naming | None]]
        if kind.who is Who.EVERYONE:
            parties = account_parties(principal, statement) or ()
        elif kind.who in ACCOUNT_PRINCIPALS and not kind.has_wildcard:
            parties = ((kind, None),)
        else:
            continue
        for party, named_at in parties:
            account = party.account
            if (
                account is None
                or not is_account_id(account)
                or accounts.is_own(account)
                or certainly_refused(document.statements, statement, party, ASSUME_ROLE)
            ):
                continue
            third_party = accounts.is_trusted_third_party(account)
            found.append(Outside(principal, account, third_party, named_at=named_at))
    return found


@dataclass(frozen=True, slots=True)
class OrganizationLimit:
    """The organizations an effective organization condition (or a Deny of everyone failing
    one) limits a statement's callers to, sorted, once the user declared theirs (``--org-id``).
    ``declared``: they are all the user's (named as declared): trust inside the organization
    is trust between the user's own accounts, which RL101 and RL102 do not report, and the role
    graph draws such a "*" as the organization, one of the user's own parties.  Otherwise they
    are those of the first condition that names another one and no value rolelint cannot
    resolve (whoever deploys would name it, perhaps the user's own): the graph draws such a
    "*" as each organization, not as anyone."""

    organizations: tuple[str, ...]
    declared: bool


def organization_limit(
    statement: Statement,
    document: PolicyDocument,
    accounts: AccountContext,
    scope: Scope | None = None,
) -> OrganizationLimit | None:
    """The :class:`OrganizationLimit` of ``statement``; None when no condition limits it to an
    organization rolelint can name, or when the user declared no organization: one nobody
    declared may be the user's own.  The organization conditions are read once for both
    answers; ``scope`` is the statement's :func:`scope_of` for sts:AssumeRole when the caller
    has graded it already."""
    if not accounts.org_ids:
        return None
    limits = [limit for limit in _organization_limits(statement, document, scope) if limit[0]]
    # StringEqualsIgnoreCase "O-ABC..." admits the organization o-abc...: named as declared.
    declared = {organization.lower(): organization for organization in accounts.org_ids}
    for organizations, ignore_case in limits:
        if ignore_case and organizations <= declared.keys():
            return OrganizationLimit(tuple(sorted(declared[o] for o in organizations)), True)
        if not ignore_case and organizations <= accounts.org_ids:
            return OrganizationLimit(tuple(sorted(organizations)), True)
    for organizations, _ in limits:
        if "" not in organizations:
            return OrganizationLimit(tuple(sorted(organizations)), False)
    return None


def _organization_limits(
    statement: Statement, document: PolicyDocument, scope: Scope | None
) -> Iterator[tuple[frozenset[str], bool]]:
    """The organizations each effective organization condition of the statement (or of a Deny
    refusing every caller failing it) names, "" for a value rolelint cannot resolve, lower-cased
    when the operator ignores case; and whether it does.  PrincipalOrgPaths values are
    "o-xxx/r-xxx/ou-xxx/": the organization comes first."""
    if scope is None:
        scope = scope_of(statement, document.statements, ASSUME_ROLE)
    for graded in (*scope.of(Grade.EFFECTIVE), *scope.denies):
        condition = graded.condition
        if condition.key.lower() not in ORGANIZATION_PRINCIPAL_KEYS:
            continue
        organizations = frozenset((value.text or "").split("/", 1)[0] for value in condition.values)
        if "ignorecase" in condition.base_operator.lower():
            yield frozenset(organization.lower() for organization in organizations), True
        else:
            yield organizations, False


# --- the statements that need an ExternalId -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """An Allow trust statement that lets outside accounts assume a role."""

    document: PolicyDocument
    role: Role | None
    statement: Statement
    outside: tuple[Outside, ...]
    judged: tuple[Judged, ...]  # one per sts:ExternalId condition

    @property
    def protected(self) -> bool:
        """Conditions are ANDed: one sound ExternalId condition protects the statement."""
        return any(j.sound for j in self.judged)

    @property
    def unknown(self) -> bool:
        """A condition rolelint cannot read might be the sound ExternalId."""
        return any(j.unknown for j in self.judged) or has_unresolved_condition(self.statement)

    @property
    def parties(self) -> str:
        return parties(self.outside)


def cases(inventory: Inventory) -> Iterator[Case]:
    """Every statement the ExternalId rules judge, with its ExternalId conditions judged."""
    accounts = inventory.accounts
    for document, role, statement in trust_statements(inventory):
        if not statement_grants(statement, ASSUME_ROLE) or never_applies(document, statement):
            continue  # RL611 reports a statement that never applies: it admits no account
        outside = outside_principals(statement, document, accounts)
        if not outside:
            continue
        organizations = organization_limit(statement, document, accounts)
        if organizations is not None and organizations.declared:
            continue
        own = find_conditions(statement, (EXTERNAL_ID,))
        # A Deny for everyone lacking the id requires it as the Allow's condition would.
        denied = [
            condition
            for condition in mirrored_tests(
                document.statements, ASSUME_ROLE, refuses_callers_of(statement)
            )
            if condition.key.lower() == EXTERNAL_ID.lower()
        ]
        judged = tuple(judge(c) for c in (*own, *denied))
        yield Case(document, role, statement, tuple(outside), judged)


def parties(outside: Iterable[Outside]) -> str:
    """``account 1``, ``trusted third party 1 and account 2``: each account once, in order."""
    seen: dict[str, Outside] = {}
    for item in outside:
        seen.setdefault(item.account, item)
    names = [item.party for item in seen.values()]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- RL102 ----------------------------------------------------------------------------------------


@check("RL102")
def cross_account_trust_without_external_id(inventory: Inventory) -> Iterator[Hit]:
    # Declared by the user, not learned from a snapshot scanned beside: the hint says how
    # to declare them, and a role's message must not depend on the files next to it.
    declared = bool(inventory.accounts.own_accounts)
    for case in cases(inventory):
        if case.judged or has_unresolved_condition(case.statement):
            continue  # an ExternalId is there (RL105 judges it), or might be
        for item in case.outside:
            hint = "" if declared or item.third_party else _own_account_hint(item.account)
            # A written principal keeps its key; an account a condition names is keyed by both.
            key = [item.principal.value.display()]
            if item.named_at is not None:
                key.append(item.account)
            yield Hit(
                "RL102",
                f"{policy_words(case.role)} lets {item.party}{item.through} assume the role "
                "without an sts:ExternalId condition: a third party's service running there can "
                "be tricked by any of its other customers, who need only this role's ARN, into "
                f"using the role for them (the confused deputy problem).{hint}",
                item.value.ref,
                case.document.resource,
                trust_key(case.document, *key),
                role=role_id(case.role),
                holders=holder_keys((case.role,)),
            )


def _own_account_hint(account: str) -> str:
    return (
        f" If {account} is one of your own accounts, say so (accounts in .rolelint.yaml, or "
        f"--account {account}): trust between your own accounts needs no ExternalId."
    )


# --- RL105 ----------------------------------------------------------------------------------------


@check("RL105")
def weak_external_id(inventory: Inventory) -> Iterator[Hit]:
    for case in cases(inventory):
        if not case.judged or case.protected or case.unknown:
            continue
        for judged in case.judged:
            condition = judged.condition
            for weakness in judged.weaknesses:
                if weakness.value is None:
                    opening = (
                        f"{policy_words(case.role)} checks the sts:ExternalId of {case.parties} "
                        f"with {condition.operator}"
                    )
                    content = condition.operator
                else:
                    opening = (
                        f"{policy_words(case.role)} requires the sts:ExternalId "
                        f"'{weakness.value.text}'{_origin(weakness.value)} from {case.parties}"
                    )
                    content = weakness.value.text or ""
                yield Hit(
                    "RL105",
                    f"{opening}, but {weakness.why}.",
                    weakness.at,
                    case.document.resource,
                    trust_key(case.document, EXTERNAL_ID, condition.operator, content),
                    role=role_id(case.role),
                    holders=holder_keys((case.role,)),
                    severity=weakness.severity,
                )


def _origin(value: Value) -> str:
    """Where a resolved value was taken from when it is not written where it is used: a
    placeholder default is every deployment's value unless overridden, so the message says so."""
    return f" (taken from {value.origin})" if value.origin else ""


# --- RL106 ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Use:
    """One statement that requires a given ExternalId value."""

    case: Case
    value: Value
    accounts: frozenset[str]

    @property
    def place(self) -> str:
        where = f"{self.value.ref.file}:{self.value.ref.line}"
        return f"{where} (role {self.case.role.id})" if self.case.role is not None else where


@check("RL106")
def external_id_reused(inventory: Inventory) -> Iterator[Hit]:
    """Every use of a value that another, unrelated use shares is reported.

    Uses are related when they share an account (directly or through other uses): the same
    vendor's accounts in several roles are one relation.  Which of two unrelated uses is the
    copy cannot be known, and reporting all of them keeps findings independent of the order
    files are scanned in.
    """
    by_value: dict[str, list[Use]] = {}
    for case in cases(inventory):
        if not case.protected:
            continue  # RL102 or RL105 reports it, or it cannot be judged
        accounts = frozenset(item.account for item in case.outside)
        for judged in case.judged:
            if not judged.sound:
                continue
            for value in admitting_values(judged.condition):
                uses = by_value.setdefault(value.text or "", [])
                if not any(use.case is case and use.value.text == value.text for use in uses):
                    uses.append(Use(case, value, accounts))
    for text, uses in by_value.items():
        groups = _relations(uses)
        if len(groups) < 2:
            continue
        for index, group in enumerate(groups):
            others = [
                use for other, members in enumerate(groups) if other != index for use in members
            ]
            for use in group:
                yield _reuse_hit(text, use, others)


def _relations(uses: Sequence[Use]) -> list[list[Use]]:
    """The uses grouped by shared accounts (connected components), in the order found."""
    groups: list[tuple[set[str], list[Use]]] = []
    for use in uses:
        joined = [group for group in groups if group[0] & use.accounts]
        accounts, members = set(use.accounts), [use]
        for group in joined:
            accounts |= group[0]
            members = group[1] + members
            groups.remove(group)
        groups.append((accounts, members))
    order = {id(use): position for position, use in enumerate(uses)}
    ordered = [sorted(members, key=lambda use: order[id(use)]) for _, members in groups]
    return sorted(ordered, key=lambda members: order[id(members[0])])


_SHOWN_PLACES = 3


def _reuse_hit(text: str, use: Use, others: Sequence[Use]) -> Hit:
    shown = "; ".join(
        f"from {other.case.parties} at {other.place}" for other in others[:_SHOWN_PLACES]
    )
    more = len(others) - _SHOWN_PLACES
    if more > 0:
        shown += f"; and {more} more place{'s' if more > 1 else ''}"
    case = use.case
    return Hit(
        "RL106",
        f"{policy_words(case.role)} requires the sts:ExternalId '{text}' from {case.parties}, "
        f"and the same value is required {shown}. An ExternalId must be unique to one "
        "third-party relation: a value two parties accept was chosen by hand rather than "
        "generated for you, and each party that knows it (or anyone it shares it with) can "
        "configure the other's service with it and this role's ARN, the confused deputy attack "
        "the ExternalId is there to stop.",
        use.value.ref,
        case.document.resource,
        trust_key(case.document, EXTERNAL_ID, text, ",".join(sorted(use.accounts))),
        role=role_id(case.role),
        holders=holder_keys((case.role,)),
    )
