"""Trust conditions that a scanned caller can never satisfy: they block a hop of the graph.

A trust statement may admit a role's account root and then narrow who, within the account, may
assume it: ``aws:PrincipalArn`` names the callers, ``aws:PrincipalAccount`` the account,
``aws:PrincipalType`` the kind of caller, ``aws:PrincipalIsAWSService`` asks for a service.  For a
caller whose ARN the scan knows, these keys have known values (a role's session is of type
``AssumedRole`` and its ``aws:PrincipalArn`` is the role's ARN; a user's is ``User``), so
the graph can tell that the condition refuses it.

Only mandatory positive tests decide (no ``IfExists``, no negated operator, no
``ForAllValues``), and only when every value is resolved: a condition rolelint cannot read never
blocks a hop.  Keys whose value the scan cannot know (tags, source IP, MFA, ExternalId) never
block one either.
"""

from __future__ import annotations

from dataclasses import dataclass

from rolelint.checks.iam_match import covers, has_wildcard, parse_arn
from rolelint.checks.trust_conditions import operator_problem
from rolelint.model import UNRESOLVED_KEY, Condition, Statement


@dataclass(frozen=True, slots=True)
class Caller:
    """What the request context says about a scanned principal calling sts:AssumeRole."""

    arn: str
    account: str | None
    principal_type: str | None  # "AssumedRole" for a role's session, "User" for a user

    @classmethod
    def of(cls, arn: str) -> Caller:
        parsed = parse_arn(arn)
        if parsed is None:
            return cls(arn, None, None)
        kind = parsed.resource.partition("/")[0]
        principal_type = {"role": "AssumedRole", "user": "User"}.get(kind)
        return cls(arn, parsed.account or None, principal_type)


_EQUALS = {"stringequals"}
_LIKE = {"stringlike", "arnlike", "arnequals"}  # ARN operators both take wildcards
_IGNORE_CASE = {"stringequalsignorecase"}


def refusal(statement: Statement, caller: Caller) -> Condition | None:
    """The first condition of ``statement`` that ``caller`` cannot satisfy; None when every
    condition may hold (or cannot be judged)."""
    for condition in statement.conditions:
        if _refuses(condition, caller):
            return condition
    return None


def _refuses(condition: Condition, caller: Caller) -> bool:
    if condition.key.startswith(UNRESOLVED_KEY) or operator_problem(condition) is not None:
        return False
    texts = [value.text for value in condition.values]
    if not texts or any(text is None for text in texts):
        return False
    values = [text for text in texts if text is not None]
    key = condition.key.lower()
    operator = condition.base_operator.lower()
    if key == "aws:principalarn":
        # One scan is one partition: "arn:aws:" and "arn:${AWS::Partition}:" name the same.
        bare = [_without_partition(value) for value in values]
        return not _any_matches(operator, bare, _without_partition(caller.arn))
    if key == "aws:principalaccount" and caller.account is not None:
        return not _any_matches(operator, values, caller.account)
    if key == "aws:principaltype" and caller.principal_type is not None:
        return not _any_matches(operator, values, caller.principal_type)
    if key == "aws:principalisawsservice" and operator == "bool":
        return [text.lower() for text in values] == ["true"]  # a scanned principal is no service
    return False


def _without_partition(arn: str) -> str:
    parsed = parse_arn(arn)
    if parsed is None:
        return arn
    return ":".join((parsed.service, parsed.region, parsed.account, parsed.resource))


def _any_matches(operator: str, values: list[str], actual: str) -> bool:
    """Whether some value matches ``actual`` under ``operator``; True for operators this module
    does not evaluate, so that they never block."""
    if operator in _EQUALS:
        return actual in values
    if operator in _IGNORE_CASE:
        return actual.lower() in {value.lower() for value in values}
    if operator in _LIKE:
        return any(
            covers(value, actual, case_sensitive=True) if has_wildcard(value) else value == actual
            for value in values
        )
    return True
