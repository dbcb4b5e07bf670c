"""The accounts the conditions of a statement pin ``"*"`` to: a mandatory ``StringEquals
aws:PrincipalAccount``, or a mandatory positive ``aws:PrincipalArn`` test whose ARNs name their
accounts.

``"AWS": "*"`` under ``StringEquals {"aws:PrincipalAccount": ["111122223333", "444455556666"]}``
admits the principals of those two accounts, whose own policies allow the call: exactly whom
``"AWS": ["111122223333", "444455556666"]`` admits.  Under ``ArnEquals {"aws:PrincipalArn":
"arn:aws:iam::444455556666:role/vendor-reader"}`` it admits that role, as the role written as the
principal does (the usual way to trust a role that may not exist yet: IAM refuses a principal
ARN naming no role, not a condition).  So the ExternalId rules judge each such account as a
written account principal, the assume-role graph draws it as the account's party, and the
inventory does not count the ``aws:PrincipalAccount`` condition that names an account as a
limit on that same account (an ``aws:PrincipalArn`` test still limits who of the account may
call: the account's party is scoped by it).  One reading of the conditions, here, serves them
all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rolelint.checks.iam_match import (
    Arn,
    has_wildcard,
    is_account_id,
    parse_arn,
    parse_arn_pattern,
)
from rolelint.checks.principals import TypedPrincipal, Who
from rolelint.checks.trust_conditions import Grade, grade
from rolelint.model import THIS_ACCOUNT, Condition, Principal, Statement, Value

PRINCIPAL_ACCOUNT = "aws:principalaccount"  # lower-case: keys compare so
PRINCIPAL_ARN = "aws:principalarn"
SOURCE_ARN = "aws:sourcearn"
# The operators of a principal ARN test that admit only the ARNs its values match: exactly, or
# as patterns (ArnLike compares field by field; StringLike is judged by grade(), which calls a
# '*' that may run into the account field weak).  Not IfExists, a negation or a set operator.
ARN_OPERATORS = frozenset({"arnequals", "arnlike", "stringequals", "stringlike"})


def never_a_principal_arn(text: str | None) -> bool:
    """Whether ``text``, a value of an ``aws:PrincipalArn`` test, names a role session
    (``arn:aws:sts::444455556666:assumed-role/vendor/sess``), which the key never holds.

    For a role's session the key holds the role's ARN (``arn:aws:iam::...:role/<path><name>``),
    not the session's: the IAM User Guide (global condition keys) says "Do not specify the
    assumed role session ARN as a value for this condition key".  The only ``sts`` ARN it holds
    is a federated user's (``federated-user/<name>``, a name without ``:`` or ``/``), so a value
    of service ``sts`` whose resource starts with ``assumed-role/`` matches no request's ARN,
    as text or as a pattern.  Only when its partition, service and region hold no wildcard,
    which might let a pattern reach some other ARN; an unresolved value may be any ARN."""
    arn = parse_arn(text) if text is not None else None
    if arn is None or arn.service != "sts" or not arn.resource.startswith("assumed-role/"):
        return False
    return not any(has_wildcard(field) for field in (arn.partition, arn.region))


@dataclass(frozen=True, slots=True)
class Naming:
    """Where a condition names an account: ``value`` (the account id, or a principal ARN whose
    account field is the account) of ``condition``."""

    account: str
    value: Value
    condition: Condition

    @property
    def by_arn(self) -> bool:
        """Named by an ``aws:PrincipalArn`` test (else by ``aws:PrincipalAccount``)."""
        return self.condition.key.lower() == PRINCIPAL_ARN

    @property
    def key(self) -> str:
        """The condition key as AWS spells it, for messages."""
        return "aws:PrincipalArn" if self.by_arn else "aws:PrincipalAccount"

    def words(self) -> str:
        """How a message says what limits ``"*"`` to the account: ``StringEquals
        aws:PrincipalAccount``, or ``ArnEquals aws:PrincipalArn 'arn:...'`` (the ARN says
        which principals of the account)."""
        if not self.by_arn:
            return "StringEquals aws:PrincipalAccount"
        return f"{self.condition.operator} {self.key} '{self.value.text}'"


@dataclass(frozen=True, slots=True)
class AccountLimit:
    """The accounts the limiting conditions of a statement admit (:func:`account_limit`): those
    every condition lists (or may list: an ``aws:PrincipalAccount`` with a value whoever deploys
    chooses), and the chosen values when every condition has one (otherwise the chosen account
    must be one of the written ones, already named).  ``written``: where each named account is
    first written, as a finding about it points there."""

    named: frozenset[str]
    chosen: tuple[Value, ...]
    written: tuple[Naming, ...]


def limit_conditions(statement: Statement) -> tuple[Condition, ...]:
    """The statement's mandatory ``StringEquals aws:PrincipalAccount`` conditions."""
    return tuple(
        condition
        for condition in statement.conditions
        if condition.key.lower() == PRINCIPAL_ACCOUNT
        and condition.operator.lower() == "stringequals"
    )


def arn_namings(condition: Condition) -> tuple[Naming, ...] | None:
    """The accounts a principal ARN test pins the caller to, each where its value names it;
    None when the condition is no such limit: not a mandatory positive ``aws:PrincipalArn``
    test that limits who (:func:`~rolelint.checks.trust_conditions.grade`), a value rolelint
    cannot resolve (whoever deploys chooses it), or an ARN whose account field is no account
    id (a wildcard, a policy variable).  A value that is no ARN (``arn:aws:iam::*``, fewer
    than six fields, which ArnLike matches field by field), or a role session's ARN
    (:func:`never_a_principal_arn`), matches no caller's ARN, so it names no account; a
    condition naming none at all names no account, empty: ``"*"`` under it admits no one, as
    :func:`~rolelint.checks.trust_conditions.grade` calls it a limit (RL611 reports it: the
    statement never applies, :func:`names_no_arn`)."""
    if condition.key.lower() != PRINCIPAL_ARN:
        return None
    if condition.operator.lower() not in ARN_OPERATORS:
        return None
    if grade(condition).grade is not Grade.EFFECTIVE:
        return None
    found: list[Naming] = []
    read = _arn_reader(condition)
    for value in condition.values:
        if value.text is None:
            return None
        arn = read(value.text)
        if arn is None or never_a_principal_arn(value.text):
            continue
        if not (is_account_id(arn.account) or arn.account == THIS_ACCOUNT):
            return None
        found.append(Naming(arn.account, value, condition))
    return tuple(found)


def names_no_arn(condition: Condition) -> bool:
    """Whether ``condition`` is a mandatory positive ``aws:PrincipalArn`` or ``aws:SourceArn``
    test that :func:`~rolelint.checks.trust_conditions.grade` calls a limit, none of whose
    values is an ARN the key may hold: ``"*"`` under it admits no one.  For a principal's ARN,
    :func:`arn_namings` naming no account; for a resource's, every value resolved and no ARN
    as the operator reads it (``arn:aws:sns:us-east-1:111122223333``, five fields, under
    ArnLike, which matches six field by field; ``my-topic`` under StringEquals).  A value
    rolelint cannot resolve may be any ARN."""
    key = condition.key.lower()
    if key == PRINCIPAL_ARN:
        return arn_namings(condition) == ()
    if key != SOURCE_ARN or condition.operator.lower() not in ARN_OPERATORS:
        return False
    if grade(condition).grade is not Grade.EFFECTIVE:
        return False
    read = _arn_reader(condition)
    return all(value.text is not None and read(value.text) is None for value in condition.values)


def _arn_reader(condition: Condition) -> Callable[[str], Arn | None]:
    """How ``condition``'s operator reads an ARN value: ArnLike and ArnEquals match each of
    the six fields on their own, a first field that is a pattern of "arn" too
    (:func:`~rolelint.checks.iam_match.parse_arn_pattern`); a string test reads the text."""
    return parse_arn_pattern if condition.base_operator.lower().startswith("arn") else parse_arn


def _namings(statement: Statement) -> list[tuple[tuple[Naming, ...], list[Value]]]:
    """Each limiting condition of the statement, in the order written: the accounts it names,
    and its values whoever deploys chooses (only an ``aws:PrincipalAccount`` has them)."""
    accounts = limit_conditions(statement)
    found: list[tuple[tuple[Naming, ...], list[Value]]] = []
    for condition in statement.conditions:
        if condition in accounts:
            named = tuple(
                Naming(value.text, value, condition)
                for value in condition.values
                if value.text is not None
            )
            found.append((named, [value for value in condition.values if value.text is None]))
            continue
        by_arn = arn_namings(condition)
        if by_arn is not None:
            found.append((by_arn, []))
    return found


def account_limit(statement: Statement) -> AccountLimit | None:
    """The :class:`AccountLimit` of ``statement``; None when no such condition limits it.  Of
    a statement that admits no one, an ARN test naming no ARN its key holds among them
    (:func:`names_no_arn`), no caller asks: each asks
    :func:`~rolelint.checks.conditions.never_applies` first, and reads no party there."""
    conditions = _namings(statement)
    if not conditions:
        return None
    written = [{naming.account for naming in named} for named, _ in conditions]
    chosen = [values for _, values in conditions]
    named = frozenset(
        account
        for account in {text for texts in written for text in texts}
        if all(account in texts or values for texts, values in zip(written, chosen, strict=True))
    )
    every = all(chosen)
    first: dict[str, Naming] = {}
    for namings, _ in conditions:
        for naming in namings:
            if naming.account in named:
                first.setdefault(naming.account, naming)
    return AccountLimit(
        named,
        tuple(v for values in chosen for v in values) if every else (),
        tuple(first.values()),
    )


def account_parties(
    principal: Principal, statement: Statement
) -> tuple[tuple[TypedPrincipal, Naming], ...] | None:
    """Whom ``principal`` (``"*"``) admits under the statement's :class:`AccountLimit`: the
    principals of each account it names, as that account written as a principal would (its
    party), each with where it is first named, in the order written.  A value that is no
    account id (a typo, a pattern StringEquals takes literally) matches no caller's account;
    the template's own ``${AWS::AccountId}`` does.  None when no such condition limits the
    statement.  The ExternalId rules and the assume-role graph both take the accounts from
    here, so they never disagree about which ones a condition names."""
    limit = account_limit(statement)
    if limit is None:
        return None
    return tuple(
        (TypedPrincipal(principal, Who.ACCOUNT, account=naming.account), naming)
        for naming in limit.written
        if naming.account == THIS_ACCOUNT or is_account_id(naming.account)
    )


def without_account_limit(statement: Statement) -> Statement:
    """``statement`` without the ``aws:PrincipalAccount`` conditions :func:`account_limit`
    reads: how it limits the principals of an account those conditions name.  For them the
    condition is no limit: it is what names them, as a written account principal names its
    account.  An ``aws:PrincipalArn`` test stays: it names the account and, within it, the
    principals that may call (a role, the roles of a path), as a written role ARN does."""
    limits = limit_conditions(statement)
    if not limits:
        return statement
    kept = tuple(condition for condition in statement.conditions if condition not in limits)
    return replace(statement, conditions=kept)
