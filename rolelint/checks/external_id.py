"""Cross-account trust and its ExternalId: missing (RL102), weak (RL105), reused (RL106).

A third party that assumes roles in many customers' accounts (a SaaS vendor, a monitoring
service) is a deputy: any of its customers can hand it someone else's role ARN.  The ExternalId
it generated for one customer relation is what tells its calls apart, so a trust to another
account must require that value, exactly, and only for that relation.

The three rules judge the same statements: Allow trust statements granting ``sts:AssumeRole`` to
an IAM principal (account, root, role, user, session) of a literal account *outside* what the
user declared as theirs.  The template's own account, ``--account`` ids, statements limited to a
declared ``--org-id`` (``aws:PrincipalOrgID``/``aws:PrincipalOrgPaths``, or a Deny of everyone
else), services, federated providers, wildcards (RL101) and unresolved principals are not
judged.  Then:

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

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rolelint.checks.base import Hit, check
from rolelint.checks.iam_match import (
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    is_account_id,
    statement_grants,
)
from rolelint.checks.principals import Who, typed
from rolelint.checks.trust_common import (
    ASSUME_ROLE,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.checks.trust_conditions import Grade, scope_of
from rolelint.findings import Severity
from rolelint.model import (
    UNRESOLVED_KEY,
    AccountContext,
    Condition,
    Inventory,
    PolicyDocument,
    Principal,
    Role,
    Statement,
    Value,
)
from rolelint.source import SourceRef

EXTERNAL_ID = "sts:ExternalId"

# IAM principals that belong to one account: the ones an ExternalId protects a trust to.
ACCOUNT_PRINCIPALS = frozenset(
    {Who.ACCOUNT, Who.ROLE, Who.USER, Who.ASSUMED_ROLE, Who.FEDERATED_USER}
)
# Conditions that limit a statement to an organization (lower-case: keys compare so).
ORGANIZATION_PRINCIPAL_KEYS = ("aws:principalorgid", "aws:principalorgpaths")

# Shorter than this, a value is not one a third party generated for a single customer relation:
# vendors hand out UUIDs or long random strings, and a short value is easy to guess or to
# collide with another customer's.  (STS itself refuses ExternalIds under 2 characters.)
MIN_LENGTH = 8
# What STS accepts in an ExternalId (AssumeRole API: [\w+=,.@:/-]*, 2 to 1224 characters).  A
# value with any other character can never be sent, so no caller ever matches it.
_STS_CHARACTERS = re.compile(r"^[\w+=,.@:/-]*$", re.ASCII)
# Words that templates, tutorials and vendor guides put where the real value belongs.  A value
# made only of these words, counting sequences ("1234", "abc") and runs of one character ("xxx")
# is a placeholder: "changeme", "your-external-id", "external_id_here", "TEST", "abc123".  One
# real token ("acme", "7f3c9a2e") is enough to make a value not a placeholder.
_PLACEHOLDER_WORDS = frozenset(
    {
        "bar",
        "baz",
        "change",
        "changeme",
        "default",
        "demo",
        "dummy",
        "example",
        "external",
        "externalid",
        "extid",
        "fixme",
        "foo",
        "here",
        "id",
        "insert",
        "me",
        "my",
        "password",
        "placeholder",
        "replace",
        "replaceme",
        "sample",
        "secret",
        "string",
        "tbd",
        "test",
        "the",
        "todo",
        "unique",
        "value",
        "your",
        "yours",
    }
)
# Counting sequences ("1234", "abc123", "987654"): a token of three or more that reads along one.
_SEQUENCES = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz")
_TOKENS = re.compile(r"[a-z]+|[0-9]+")


# --- who needs an ExternalId ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outside:
    """An IAM principal of an account outside the user's: one an ExternalId must protect."""

    principal: Principal
    account: str
    third_party: bool  # declared with --trusted-account

    @property
    def party(self) -> str:
        """How messages name the account."""
        kind = "trusted third party" if self.third_party else "account"
        return f"{kind} {self.account}"


def outside_principals(statement: Statement, accounts: AccountContext) -> list[Outside]:
    """The statement's principals of literal accounts the user did not declare as theirs."""
    found: list[Outside] = []
    for principal in statement.principals:
        kind = typed(principal)
        account = kind.account
        if (
            kind.who not in ACCOUNT_PRINCIPALS
            or account is None
            or not is_account_id(account)
            or kind.has_wildcard
            or accounts.is_own(account)
        ):
            continue
        found.append(Outside(principal, account, accounts.is_trusted_third_party(account)))
    return found


def _organization_scoped(
    statement: Statement, document: PolicyDocument, accounts: AccountContext
) -> bool:
    """Whether an effective organization condition (or a Deny of everyone failing one) limits
    the statement to organizations the user declared: trust inside the organization is trust
    between the user's own accounts."""
    if not accounts.org_ids:
        return False
    scope = scope_of(statement, document.statements, ASSUME_ROLE)
    for graded in (*scope.of(Grade.EFFECTIVE), *scope.denies):
        condition = graded.condition
        if condition.key.lower() not in ORGANIZATION_PRINCIPAL_KEYS:
            continue
        # PrincipalOrgPaths values are "o-xxx/r-xxx/ou-xxx/": the organization comes first.
        organizations = {(value.text or "").split("/", 1)[0] for value in condition.values}
        if organizations and organizations <= accounts.org_ids:
            return True
    return False


# --- judging one ExternalId condition -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Weakness:
    """One reason an ExternalId condition does not tie the role to one relation."""

    at: SourceRef  # the value at fault, or the condition key when the operator is
    why: str  # the end of the message: "but ..."
    value: Value | None = None  # None when the operator is the problem
    severity: Severity | None = None  # None: the rule's (high)


@dataclass(frozen=True, slots=True)
class Judged:
    """An ExternalId condition with what is wrong with it.

    Sound: no weakness and every value known.  Unknown: no weakness found, but a value rolelint
    cannot read might be anything.  A condition with a weakness is weak whatever its unknown
    values are: its values are alternatives, and one weak value is enough to pass.
    """

    condition: Condition
    weaknesses: tuple[Weakness, ...] = ()
    unknown: bool = False

    @property
    def sound(self) -> bool:
        return not self.weaknesses and not self.unknown


def judge(condition: Condition) -> Judged:
    """What is wrong, if anything, with one condition on ``sts:ExternalId``."""
    if condition.operator.startswith(UNRESOLVED_KEY):
        return Judged(condition, unknown=True)
    bypass = _bypass(condition)
    if bypass is not None:
        return Judged(condition, (Weakness(condition.ref, bypass),))
    if not condition.values:
        why = "it lists no value, so no caller can match it: a placeholder nobody filled in"
        return Judged(condition, (Weakness(condition.ref, why, severity=Severity.MEDIUM),))
    weaknesses: list[Weakness] = []
    unknown = False
    like = condition.base_operator.lower() in ("stringlike", "arnlike")
    for value in condition.values:
        text = value.text
        if text is None or _symbolic(text):
            unknown = True
            continue
        problem = _value_problem(text, like=like)
        if problem is not None:
            why, severity = problem
            weaknesses.append(Weakness(value.ref, why, value, severity))
    if not weaknesses and not unknown:
        loose = _loose_operator(condition)
        if loose is not None:
            weaknesses.append(Weakness(condition.ref, loose, severity=Severity.LOW))
    return Judged(condition, tuple(weaknesses), unknown=unknown and not weaknesses)


def _bypass(condition: Condition) -> str | None:
    """Why the operator lets a caller through without the agreed value, whatever the value."""
    operator = condition.operator
    base = condition.base_operator.lower()
    if condition.if_exists:
        return f"{operator} lets a caller that sends no ExternalId at all pass the condition"
    if base == "null":
        return f"{operator} only tests whether an ExternalId is sent, never its value"
    if "not" in base:
        return (
            f"{operator} admits every caller whose ExternalId differs from the values listed, "
            "including one that sends none"
        )
    if operator.lower().startswith("forallvalues:"):
        return (
            f"{operator} is met by a caller that sends no ExternalId (an empty set of values "
            "satisfies ForAllValues)"
        )
    return None


def _loose_operator(condition: Condition) -> str | None:
    """Why a positive operator other than StringEquals is still not the right one; None for
    StringEquals.  Only said when the values themselves are sound (low severity)."""
    operator = condition.operator
    if operator.lower() == "stringequals":
        return None
    base = condition.base_operator.lower()
    if operator.lower().startswith("foranyvalue:"):
        why = "a set operator, and sts:ExternalId is a single value"
    elif base == "stringlike":
        why = (
            "a pattern match: the value has no wildcard today, yet one '*' or '?' added later "
            "makes many values pass"
        )
    elif base == "stringequalsignorecase":
        why = "case-insensitive, so it also accepts values the third party never generated"
    else:
        why = "not an exact string comparison"
    return f"{operator} is {why}; an ExternalId must be compared with StringEquals"


def _symbolic(text: str) -> bool:
    """A value that only deployment resolves (``${AWS::AccountId}``, ``{{resolve:ssm:x}}``)."""
    return "${" in text or text.startswith("{{resolve:")


def _value_problem(text: str, *, like: bool) -> tuple[str, Severity | None] | None:
    """Why one resolved ExternalId value does not identify one relation, with the severity of
    the finding (None: the rule's high)."""
    shown = f"'{text}'"
    stripped = text.strip()
    if stripped == "":
        return (
            "the value is empty: STS accepts no ExternalId shorter than 2 characters, so no "
            "caller can match it, and the condition is a placeholder nobody filled in",
            Severity.MEDIUM,
        )
    if like and has_wildcard(text):
        if set(text) <= {"*", "?"}:
            return (
                f"{shown} matches every ExternalId, so any caller of that account passes as if "
                "there were no condition",
                None,
            )
        return (
            f"{shown} is a pattern that many ExternalIds match, and a value shared by many "
            "callers no longer tells one customer relation from another",
            None,
        )
    if has_wildcard(text):
        return (
            f"StringEquals compares {shown} literally and STS accepts no '*' or '?' in an "
            "ExternalId, so no caller can match it: the value was meant as a pattern",
            Severity.MEDIUM,
        )
    if _bracketed(stripped):
        return (
            f"{shown} is a template placeholder that was never replaced with the value the "
            "third party gave you",
            Severity.MEDIUM,
        )
    if not _STS_CHARACTERS.match(text):
        return (
            f"{shown} contains characters STS does not accept in an ExternalId (only letters, "
            "digits and _+=,.@:/- are), so no caller can ever send it",
            Severity.MEDIUM,
        )
    if len(text) > 1 and len(set(text)) == 1:
        return (
            f"{shown} is one character repeated, a placeholder rather than a value generated "
            "for this relation",
            Severity.MEDIUM,
        )
    if is_placeholder(text):
        return (
            f"{shown} is a placeholder value from examples and templates, known to everyone, "
            "not the value a third party generated for this relation",
            Severity.MEDIUM,
        )
    if len(text) < MIN_LENGTH:
        return (
            f"{shown} is only {len(text)} character{'s' if len(text) > 1 else ''} long, short "
            "enough to guess; third parties generate long unique values (a UUID, for instance)",
            Severity.MEDIUM,
        )
    return None


def _bracketed(text: str) -> bool:
    return len(text) > 2 and (
        (text[0], text[-1]) in {("<", ">"), ("[", "]")}
        or (text.startswith("{{") and text.endswith("}}"))
    )


def is_placeholder(text: str) -> bool:
    """A value made only of placeholder words, counting digits (``1234``, ``0123456789``) and
    runs of one character (``xxxx``): what examples put where the real value belongs."""
    tokens = _TOKENS.findall(text.lower())
    return bool(tokens) and all(_placeholder_token(token) for token in tokens)


def _placeholder_token(token: str) -> bool:
    if token in _PLACEHOLDER_WORDS:
        return True
    if len(token) < 3:
        return False
    return len(set(token)) == 1 or any(token in sequence for sequence in _SEQUENCES)


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
        if not statement_grants(statement, ASSUME_ROLE):
            continue
        outside = outside_principals(statement, accounts)
        if not outside or _organization_scoped(statement, document, accounts):
            continue
        judged = tuple(judge(c) for c in find_conditions(statement, (EXTERNAL_ID,)))
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
    declared = bool(inventory.accounts.own_accounts)
    for case in cases(inventory):
        if case.judged or has_unresolved_condition(case.statement):
            continue  # an ExternalId is there (RL105 judges it), or might be
        for item in case.outside:
            text = item.principal.value.text or ""
            through = "" if text == item.account else f" ('{text}')"
            hint = "" if declared or item.third_party else _own_account_hint(item.account)
            yield Hit(
                "RL102",
                f"{policy_words(case.role)} lets {item.party}{through} assume the role without "
                "an sts:ExternalId condition: a third party's service running there can be "
                "tricked by any of its other customers, who need only this role's ARN, into "
                f"using the role for them (the confused deputy problem).{hint}",
                item.principal.value.ref,
                case.document.resource,
                trust_key(case.document, item.principal.value.display()),
                role=role_id(case.role),
            )


def _own_account_hint(account: str) -> str:
    return (
        f" If {account} is one of your own accounts, say so with --account {account}: trust "
        "between your own accounts needs no ExternalId."
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
            for value in judged.condition.values:
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
    )
