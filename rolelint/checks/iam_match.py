"""IAM wildcard matching and ARN/account parsing, shared by every check that compares values.

IAM patterns use ``*`` (any run of characters, including none) and ``?`` (exactly one character).
Actions compare case-insensitively, resources case-sensitively.  Both sides of a comparison may be
patterns: a policy that allows ``iam:Pass*`` grants ``iam:PassRole``, and a Deny of ``iam:*``
covers an Allow of ``iam:Pass*``.  A :class:`Value` that is not resolved never matches, never
covers and is never a wildcard: checks stay silent on what they cannot know.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rolelint.arns import PARTITIONS
from rolelint.model import UNRESOLVED_KEY, Condition, Statement, Value
from rolelint.wildcards import action_pattern, arn_fields, arn_pattern_fields
from rolelint.wildcards import covers as pattern_covers
from rolelint.wildcards import has_wildcard as has_wildcard  # the checks import it from here
from rolelint.wildcards import literal_start as literal_start  # the checks import it from here
from rolelint.wildcards import overlaps as pattern_overlaps
from rolelint.wildcards import whole_fields as whole_fields  # the checks import it from here

WILDCARDS = frozenset("*?")

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


# --- pattern algebra ------------------------------------------------------------------------------


def is_all_wildcards(text: str) -> bool:
    """A non-empty value made of ``*`` and ``?`` only: it matches every value of its length."""
    return bool(text) and set(text) <= WILDCARDS


def value_has_wildcard(value: Value) -> bool:
    """A resolved value containing ``*`` or ``?``; unresolved values never count."""
    return value.text is not None and has_wildcard(value.text)


def overlaps(first: str, second: str, *, case_sensitive: bool) -> bool:
    """Whether some string matches both patterns (a pattern against a literal: plain matching):
    :func:`rolelint.wildcards.overlaps`, actions (compared ignoring case) in
    :func:`rolelint.wildcards.action_pattern`'s form."""
    if case_sensitive:
        return pattern_overlaps(first, second)
    return _overlaps_ignoring_case(first, second)


@functools.lru_cache(maxsize=65536)
def _overlaps_ignoring_case(first: str, second: str) -> bool:
    """Actions: the escalation checks ask each policy action about the same few dozen actions,
    tens of thousands of times in a repository; the answer is looked up after the first."""
    return pattern_overlaps(action_pattern(first), action_pattern(second))


def covers(general: str, specific: str, *, case_sensitive: bool) -> bool:
    """Whether every string ``specific`` matches is also matched by ``general``
    (:func:`rolelint.wildcards.covers`, which the policy builder asks too).

    Exact for a literal ``specific``; for patterns the answer may be a conservative "no" in
    contrived cases (``*?`` against ``?*``), never a wrong "yes".  Actions (compared ignoring
    case) are compared field by field as what they grant: ``iam:?*`` covers ``iam:*``, since
    no action name is empty (:func:`rolelint.wildcards.action_pattern`, the form the policy
    builder compares them in too).  A ``*`` spans colons here, as ``StringLike`` and a
    Resource's trailing ``*`` do; ``ArnLike`` matches an ARN field by field.
    """
    if not case_sensitive:
        general, specific = action_pattern(general), action_pattern(specific)
    return pattern_covers(general, specific)


# --- actions --------------------------------------------------------------------------------------


def names_actions(text: str) -> bool:
    """Whether a policy's action text names any action: ``service:action`` (patterns too) or
    ``*``.  IAM refuses any other (``*Role``: "Actions/Conditions must be prefaced by a
    vendor"), so it grants and denies nothing, as RL605 says; it must not be read as a pattern
    over every service's actions."""
    return ":" in text or (bool(text) and set(text) <= {"*"})


def action_grants(policy_action: Value, action: str) -> bool:
    """Whether the policy's action (pattern) grants ``action`` (literal or pattern) in part."""
    text = policy_action.text
    return text is not None and names_actions(text) and overlaps(text, action, case_sensitive=False)


def action_covers(policy_action: Value, action: str) -> bool:
    """Whether the policy's action grants everything ``action`` names."""
    text = policy_action.text
    return text is not None and names_actions(text) and covers(text, action, case_sensitive=False)


def is_all_actions(text: str) -> bool:
    """``*``, ``*:*``, ``*:?*`` and the like: every action of every service."""
    return covers(text, "*:*", case_sensitive=False)


def split_action(text: str) -> tuple[str, str] | None:
    """``("s3", "GetObject")`` for ``s3:GetObject``; None without a service prefix."""
    service, sep, name = text.partition(":")
    return (service, name) if sep else None


def is_service_wide(text: str) -> bool:
    """``s3:*`` (``s3:?*``): every action of one named service."""
    parts = split_action(whole_fields(text))
    if parts is None:
        return False
    service, name = parts
    return bool(service) and not has_wildcard(service) and name != "" and set(name) == {"*"}


def statement_grants(statement: Statement, action: str) -> bool:
    """Whether the statement's Action (or NotAction) lets ``action`` through in part."""
    if statement.not_actions:
        resolved = [value for value in statement.not_actions if value.text is not None]
        if len(resolved) != len(statement.not_actions):
            return False  # an unresolved exclusion might exclude it: unknown
        return not any(action_covers(value, action) for value in resolved)
    # Each text once: a statement an Fn::If on a shared condition splits lists the same few
    # actions hundreds of times, once per branch, and every permission rule asks.
    return any(_text_grants(text, action) for text in {value.text for value in statement.actions})


def _text_grants(text: str | None, action: str) -> bool:
    """:func:`action_grants` of a value of ``text``."""
    return text is not None and names_actions(text) and overlaps(text, action, case_sensitive=False)


# --- resources ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def is_any_resource(text: str) -> bool:
    """``*`` or a pattern that matches every ARN (``arn:*``, ``arn:aws:*:*:*:*``)."""
    if "*" not in text:
        return False  # only a star matches more than one text
    if text.startswith("arn:"):
        # Past the partition, a pattern matching every service, region, account and resource
        # can hold nothing but stars and colons: a cheap test before the full comparison.
        after_partition = text[len("arn:") :].partition(":")[2]
        if not set(after_partition) <= {"*", ":"}:
            return False
    elif not is_all_wildcards(text):
        return False
    if covers(text, "*", case_sensitive=True):
        return True
    return any(covers(text, f"arn:{p}:*:*:*:*", case_sensitive=True) for p in PARTITIONS)


def resource_covers(policy_resource: Value, resource: str) -> bool:
    return policy_resource.text is not None and covers(
        policy_resource.text, resource, case_sensitive=True
    )


# --- ARNs and accounts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str


@functools.lru_cache(maxsize=65536)
def parse_arn(text: str) -> Arn | None:
    """The six fields of an ARN; None when ``text`` is not shaped like one.

    Colons inside ``${...}`` (symbolic values such as ``${AWS::AccountId}``) do not separate
    (:func:`rolelint.wildcards.arn_fields`).
    """
    parts = arn_fields(text)
    return None if parts is None else Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def parse_arn_pattern(text: str) -> Arn | None:
    """:func:`parse_arn` of an ``ArnLike`` value, whose first field may be a pattern too
    (``*:*:*:*:*:*``, ``a?n:aws:iam::*:role/x``): ArnLike matches each of the six fields on its
    own, so such a value names the ARNs its other five fields match when its first matches
    ``arn``, and none when it does not (nor when it has fewer than six fields):
    :func:`rolelint.wildcards.arn_pattern_fields`, which the graph and the policy builder read
    such a value with too (:func:`rolelint.wildcards.arn_like_fields`)."""
    parts = arn_pattern_fields(text)
    return None if parts is None else Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def is_account_id(text: str) -> bool:
    return bool(_ACCOUNT_ID.fullmatch(text))


def principal_account(text: str) -> str | None:
    """The account part of an AWS principal: a bare account id or the account field of an ARN.

    May be a wildcard or a symbolic account (``${AWS::AccountId}``); None when there is none.
    """
    if is_account_id(text):
        return text
    arn = parse_arn(text)
    return arn.account if arn is not None else None


def literal_account(value: Value) -> str | None:
    """The 12-digit account a resolved AWS principal names literally; None otherwise.

    Symbolic accounts (``THIS_ACCOUNT``), wildcards and unresolved values name no literal account.
    """
    if value.text is None:
        return None
    account = principal_account(value.text)
    return account if account is not None and is_account_id(account) else None


def is_wildcard_principal(text: str) -> bool:
    """An AWS principal that admits anyone: ``*`` or an ARN with a wildcard in its account."""
    if is_all_wildcards(text) and "*" in text:
        return True
    account = principal_account(text)
    return account is not None and has_wildcard(account)


# --- conditions -----------------------------------------------------------------------------------


def concrete_values(condition: Condition) -> bool:
    """Every value resolved, non-empty and free of wildcards (and at least one value)."""
    return bool(condition.values) and all(
        value.text is not None and value.text.strip() != "" and not has_wildcard(value.text)
        for value in condition.values
    )


def has_unresolved_condition(statement: Statement) -> bool:
    """A condition whose key or operator is unknown: it might be exactly the one looked for."""
    return any(
        condition.key.startswith(UNRESOLVED_KEY) or condition.operator.startswith(UNRESOLVED_KEY)
        for condition in statement.conditions
    )


def find_conditions(statement: Statement, keys: Iterable[str]) -> list[Condition]:
    """The statement's conditions on any of ``keys`` (condition keys compare case-insensitively)."""
    wanted = {key.lower() for key in keys}
    return [condition for condition in statement.conditions if condition.key.lower() in wanted]
