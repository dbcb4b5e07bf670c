"""Trust open to anyone (RL101), judged by who can really satisfy the statement.

``"Principal": "*"`` under an effective ``aws:PrincipalOrgID`` condition admits only the
organization's accounts and is not reported; under ``aws:SecureTransport`` it admits anyone with
TLS, which is everyone, and is reported as critical with the condition named as irrelevant.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rolelint.checks.base import Hit, check, holder_keys, some_of
from rolelint.checks.conditions import never_applies
from rolelint.checks.principals import TypedPrincipal, Who, typed
from rolelint.checks.trust_common import (
    assume_actions,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.checks.trust_conditions import Grade, Scope, deployer_decides, scope_of
from rolelint.findings import Severity
from rolelint.graph.hops import certainly_refused
from rolelint.model import Inventory, Principal, Statement


def _open_principals(statement: Statement) -> Iterator[tuple[Principal, str]]:
    """Principals that admit anyone, with how the message describes them.  Not an Allow's
    NotPrincipal: IAM rejects NotPrincipal in a role trust policy, so such a role is never
    deployed and nobody assumes it (RL613 says so); it admits no one, as the graph and the
    inventory read it too."""
    for principal in statement.principals:
        kind = typed(principal)
        if kind.who is not Who.EVERYONE:
            continue
        if kind.text == "*" and principal.kind.value == "*":
            yield principal, "anyone (Principal '*')"
        elif kind.text == "*":
            yield principal, "any AWS principal ('*')"
        else:
            yield principal, f"any AWS principal ('{kind.text}': any account)"


_SHOWN_TESTS = 3  # tests of claims no rule judges named in one message


def _verdict(scope: Scope) -> tuple[str, Severity | None] | None:
    """What the message says about the conditions, and the severity; None when scoped, or
    when a token's claim that says whose it is limits it but for values rolelint cannot
    resolve, which may be exactly the pin: a trust of that claim's issuer, left to RL103 and
    RL108 (:meth:`Scope.undecided_claims`)."""
    if scope.scoped or scope.undecided_claims():
        return None
    if scope.unknown:
        # A condition rolelint cannot read may be the one that limits it: never a guess.  Nor a
        # test of a claim no rule judges, which it reads but cannot judge: named as such, as
        # the role card names it, not as a value to resolve.
        unread = scope.unread()
        if all(graded.unjudged for graded in unread):
            tests = [
                ("the Deny's " if graded in scope.undecided else "")
                + f"{graded.head} ({graded.why})"
                for graded in unread[:_SHOWN_TESTS]
            ]
            named = some_of(tests, _SHOWN_TESTS, count=len(unread), separator=" and ")
            return f"; only {named} may limit who can use it", Severity.INFO
        return "; only a condition rolelint cannot resolve may limit who can use it", Severity.INFO
    weak = scope.of(Grade.WEAK)
    if scope.undecided or (weak and all(deployer_decides(g) for g in weak)):
        # The template leaves the limit to whoever deploys it: worth knowing, not a verdict.
        # Not so when the operator admits callers whatever the value (IfExists, a negation):
        # that is weak with the value passed too.  A Deny refusing everyone who fails a test
        # on such a value is the same limit, written the other way round.
        return f"; {scope.explain()}", Severity.LOW
    return f"; {scope.explain()}", None


def _open_actions(
    statement: Statement, policy: Sequence[Statement]
) -> tuple[list[str], tuple[str, Severity | None]] | None:
    """The assume actions of ``statement`` that nothing scopes, and the verdict on them; None
    when every action is scoped.  A Deny may refuse outsiders for sts:AssumeRole alone and
    leave sts:AssumeRoleWithWebIdentity open, so each action is judged.  The verdict depends
    on the Allow's own conditions only (the Denies decide whether it is scoped at all), so
    every open action has the same one."""
    granted = assume_actions(statement)
    judged = [(action, _verdict(scope_of(statement, policy, action))) for action in granted]
    open_ = [(action, verdict) for action, verdict in judged if verdict is not None]
    if not open_:
        return None
    return [action for action, _ in open_], open_[0][1]


@check("RL101")
def trust_policy_allows_anyone(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
        found = list(_open_principals(statement))
        if not found or never_applies(document, statement):
            continue  # RL611 reports a statement that never applies: it admits no one
        judged = _open_actions(statement, document.statements)
        if judged is None:
            continue
        actions, (tail, severity) = judged
        # An unconditional Deny of everyone refuses what the Allow admits (the graph draws no
        # arrow then): only the actions left are open.  Whoever "*" is written as, it is
        # everyone, so one of the principals asks for all.
        everyone = TypedPrincipal(found[0][0], Who.EVERYONE)
        left = [
            action
            for action in actions
            if not certainly_refused(document.statements, statement, everyone, action)
        ]
        if not left:
            continue
        # Name the open actions only when a Deny closes some others: "to assume the role" alone
        # would then say more than is true.
        closed = len(left) < len(assume_actions(statement))
        how = f" with {' or '.join(left)}" if closed else ""
        for principal, who in found:
            yield Hit(
                "RL101",
                f"{policy_words(role)} allows {who} to assume the role{how}{tail}",
                principal.value.ref,
                document.resource,
                trust_key(document, principal.kind.value, principal.value.display()),
                role=role_id(role),
                holders=holder_keys((role,)),
                severity=severity,
            )
