"""The accounts a mandatory ``StringEquals aws:PrincipalAccount`` limits a statement to.

``"AWS": "*"`` under ``StringEquals {"aws:PrincipalAccount": ["111122223333", "444455556666"]}``
admits the principals of those two accounts, whose own policies allow the call: exactly whom
``"AWS": ["111122223333", "444455556666"]`` admits.  So the ExternalId rules judge each such
account as a written account principal, the assume-role graph draws it as the account's party,
and the inventory does not count the condition that names an account as a limit on that same
account.  One reading of the condition, here, serves them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rolelint.checks.iam_match import is_account_id
from rolelint.checks.principals import TypedPrincipal, Who
from rolelint.model import THIS_ACCOUNT, Condition, Principal, Statement, Value

PRINCIPAL_ACCOUNT = "aws:principalaccount"  # lower-case: keys compare so


@dataclass(frozen=True, slots=True)
class AccountLimit:
    """The accounts the mandatory ``StringEquals aws:PrincipalAccount`` conditions of a
    statement admit: the written ones each condition lists (or may list: it has a value whoever
    deploys chooses), and the chosen values when every condition has one (otherwise the chosen
    account must be one of the written ones, already named).  ``written``: where each named
    account is first written, as a finding about it points there."""

    named: frozenset[str]
    chosen: tuple[Value, ...]
    written: tuple[Value, ...]


def limit_conditions(statement: Statement) -> tuple[Condition, ...]:
    """The statement's mandatory ``StringEquals aws:PrincipalAccount`` conditions."""
    return tuple(
        condition
        for condition in statement.conditions
        if condition.key.lower() == PRINCIPAL_ACCOUNT
        and condition.operator.lower() == "stringequals"
    )


def account_limit(statement: Statement) -> AccountLimit | None:
    """The :class:`AccountLimit` of ``statement``; None when no such condition limits it."""
    conditions = limit_conditions(statement)
    if not conditions:
        return None
    written = [{v.text for v in c.values if v.text is not None} for c in conditions]
    chosen = [[v for v in c.values if v.text is None] for c in conditions]
    named = frozenset(
        account
        for account in {text for texts in written for text in texts}
        if all(account in texts or values for texts, values in zip(written, chosen, strict=True))
    )
    every = all(chosen)
    first: dict[str, Value] = {}
    for condition in conditions:
        for value in condition.values:
            if value.text in named:
                first.setdefault(value.text, value)
    return AccountLimit(
        named,
        tuple(v for values in chosen for v in values) if every else (),
        tuple(first.values()),
    )


def account_parties(
    principal: Principal, statement: Statement
) -> tuple[tuple[TypedPrincipal, Value], ...] | None:
    """Whom ``principal`` (``"*"``) admits under the statement's :class:`AccountLimit`: the
    principals of each account it names, as that account written as a principal would (its
    party), each with the value that first names it, in the order written.  A value that is no
    account id (a typo, a pattern StringEquals takes literally) matches no caller's account;
    the template's own ``${AWS::AccountId}`` does.  None when no such condition limits the
    statement.  The ExternalId rules and the assume-role graph both take the accounts from
    here, so they never disagree about which ones a condition names."""
    limit = account_limit(statement)
    if limit is None:
        return None
    return tuple(
        (TypedPrincipal(principal, Who.ACCOUNT, account=value.text), value)
        for value in limit.written
        if value.text is not None and (value.text == THIS_ACCOUNT or is_account_id(value.text))
    )


def without_account_limit(statement: Statement) -> Statement:
    """``statement`` without the conditions :func:`account_limit` reads: how it limits the
    principals of an account those conditions name.  For them the condition is no limit: it is
    what names them, as a written account principal names its account."""
    limits = limit_conditions(statement)
    if not limits:
        return statement
    kept = tuple(condition for condition in statement.conditions if condition not in limits)
    return replace(statement, conditions=kept)
