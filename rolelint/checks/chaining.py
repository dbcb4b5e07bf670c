"""Role chaining (RL401): which role can assume which, across every file of one run.

A hop A -> B exists when a permission policy of A allows ``sts:AssumeRole`` on a Resource that
matches B's ARN and B's trust policy admits A (by its ARN, a wildcard ARN, A's account root or
``*``).  Roles are matched over the whole inventory, so a CI role in one template and an admin role
in another are joined.  Unresolved ARNs, resources and principals never match.  Conditions are not
evaluated: a hop that exists only under a condition is still a hop (the finding says "can").
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rolelint.checks.base import Hit, check
from rolelint.checks.effective import effect_of, grants_all_of_iam
from rolelint.checks.iam_match import (
    PARTITIONS,
    action_grants,
    covers,
    has_wildcard,
    is_account_id,
    is_all_actions,
    is_any_resource,
    parse_arn,
    statement_grants,
)
from rolelint.checks.permissions import ESCALATIONS
from rolelint.findings import PathHop, Severity
from rolelint.model import (
    THIS_ACCOUNT,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Value,
)

ASSUME_ROLE = "sts:AssumeRole"
# The longest chain reported, in hops (A -> B -> C -> D is three).
MAX_HOPS = 3
SYMBOLIC_PARTITION = "${AWS::Partition}"


# --- matching -------------------------------------------------------------------------------------


# ARNs repeat across every pair of roles compared: parse each text once.
_parse = functools.lru_cache(maxsize=16384)(parse_arn)


def _align_partition(pattern: str, arn: str) -> str:
    """``pattern`` with its partition replaced by ``arn``'s when one of them is symbolic.

    A template that writes ``arn:${AWS::Partition}:...`` and one that writes ``arn:aws:...`` name
    the same role once deployed in the ``aws`` partition.
    """
    if SYMBOLIC_PARTITION not in pattern and SYMBOLIC_PARTITION not in arn:
        return pattern
    pattern_arn, target = _parse(pattern), _parse(arn)
    if pattern_arn is None or target is None or pattern_arn.partition == target.partition:
        return pattern
    known = (*PARTITIONS, SYMBOLIC_PARTITION)
    if SYMBOLIC_PARTITION not in (pattern_arn.partition, target.partition) or not (
        pattern_arn.partition in known and target.partition in known
    ):
        return pattern
    return ":".join(
        (
            "arn",
            target.partition,
            pattern_arn.service,
            pattern_arn.region,
            pattern_arn.account,
            pattern_arn.resource,
        )
    )


def arn_matches(pattern: str, arn: str) -> bool:
    """Whether an IAM resource or principal pattern names the role ARN ``arn`` (case-sensitive)."""
    if pattern == arn or pattern == "*":
        return True
    if not has_wildcard(pattern) and SYMBOLIC_PARTITION not in pattern + arn:
        return False
    return covers(_align_partition(pattern, arn), arn, case_sensitive=True)


def without_partition(text: str) -> str:
    """An ARN without its ``arn:<partition>:`` prefix: the key roles are looked up by."""
    if not text.startswith("arn:"):
        return text
    rest = text[len("arn:") :]
    if rest.startswith(SYMBOLIC_PARTITION + ":"):
        return rest[len(SYMBOLIC_PARTITION) + 1 :]
    return rest.partition(":")[2]


def _account_of(arn: str) -> str | None:
    parsed = _parse(arn)
    return parsed.account if parsed is not None and parsed.account else None


def principal_admits(text: str, role_arn: str) -> str | None:
    """How an AWS principal admits the role with ARN ``role_arn``, None when it does not.

    The answer is a phrase for the finding: "anyone", "its account root", "its ARN" ...
    """
    if text == "*":
        return "anyone ('*')"
    account = _account_of(role_arn)
    if is_account_id(text) or text == THIS_ACCOUNT:
        return f"its account ('{text}')" if text == account else None
    principal = _parse(_align_partition(text, role_arn))
    if principal is None:
        return None
    if principal.service == "iam" and principal.resource == "root":
        target = _parse(role_arn)
        if (
            account is not None
            and target is not None
            and covers(principal.partition, target.partition, case_sensitive=True)
            and covers(principal.account, account, case_sensitive=True)
        ):
            return f"its account root ('{text}')"
        return None
    if arn_matches(text, role_arn):
        return "its ARN" if text == role_arn else f"the pattern '{text}'"
    return None


def _aws_principals(statement: Statement) -> Iterator[Principal]:
    for principal in statement.principals:
        if principal.value.text is None:
            continue
        if principal.kind in (PrincipalKind.AWS, PrincipalKind.ANYONE):
            yield principal


def _trust_admits(trustee: Role, role: Role) -> str | None:
    """How ``trustee``'s trust policy lets ``role`` call sts:AssumeRole on it; None if it doesn't.

    An unconditional Deny naming the role (or everyone) wins over any Allow.
    """
    arn = role.arn.text
    document = trustee.trust_policy
    if arn is None or document is None:
        return None
    admitted: str | None = None
    for statement in document.statements:
        if not statement_grants(statement, ASSUME_ROLE):
            continue
        for principal in _aws_principals(statement):
            how = principal_admits(principal.value.text or "", arn)
            if how is None:
                continue
            if statement.is_deny and not statement.conditions and not statement.has_not_action:
                return None
            if statement.is_allow and admitted is None:
                admitted = how
    return admitted


# --- privilege ------------------------------------------------------------------------------------


def _permission_documents(role: Role) -> list[PolicyDocument]:
    return [d for d in role.policies if d.kind is PolicyKind.PERMISSIONS]


def admin_reason(role: Role) -> str | None:
    """Why ``role`` has administrator-level access, in words; None when it does not.

    Admin-level: every IAM action on every resource left after the role's Denies and permissions
    boundary (AWS managed policies such as AdministratorAccess are documents by now, see
    rolelint.managed_policies), or a privilege-escalation action on every resource (the holder
    can grant itself the rest).  Judged by rolelint.checks.effective, as the permission rules do.
    """
    for document in _permission_documents(role):
        for statement in document.statements:
            if not statement.is_allow:
                continue
            wide = [r for r in statement.resources if r.text and is_any_resource(r.text)]
            if not wide:
                continue
            if statement.has_not_action and all(v.text for v in statement.not_actions):
                excluded = tuple(v.text for v in statement.not_actions if v.text)
                effect = effect_of("*", wide, document, [role], excluded=excluded)
                if grants_all_of_iam(effect):
                    return f"NotAction on '{wide[0].text}' in {document.origin}"
            for action in statement.actions:
                text = action.text
                if text is None:
                    continue
                broad = is_all_actions(text) or covers(text, "iam:*", case_sensitive=False)
                if broad and grants_all_of_iam(effect_of(text, wide, document, [role])):
                    return f"'{text}' on '{wide[0].text}' in {document.origin}"
                for method in ESCALATIONS:
                    if (
                        action_grants(action, method)
                        and not effect_of(method, wide, document, [role]).removed
                    ):
                        return (
                            f"'{text}' on '{wide[0].text}' in {document.origin}, a privilege"
                            " escalation"
                        )
    return None


# --- the graph ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """A hop: ``source`` may assume ``target`` through ``resource`` of ``document``."""

    source: int  # index into the inventory's roles
    target: int
    resource: Value
    document: PolicyDocument
    admitted: str  # how the target's trust policy admits the source


def _boundaries_allow(role: Role, target_arn: Value) -> bool:
    """Every permissions boundary of ``role`` (if any) allows sts:AssumeRole on the target."""
    text = target_arn.text or ""
    for boundary in role.policies:
        if boundary.kind is not PolicyKind.BOUNDARY:
            continue
        if not any(
            statement.is_allow
            and statement_grants(statement, ASSUME_ROLE)
            and any(r.text is not None and arn_matches(r.text, text) for r in statement.resources)
            for statement in boundary.statements
        ):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A Resource value of an Allow statement that grants sts:AssumeRole."""

    resource: Value
    document: PolicyDocument
    explicit: bool  # granted by Action (not by what a NotAction leaves out)


def _assume_resources(role: Role) -> list[_Candidate]:
    """The resolved Resource values of ``role``'s Allow statements that grant sts:AssumeRole."""
    return [
        _Candidate(resource, document, not statement.has_not_action)
        for document in _permission_documents(role)
        for statement in document.statements
        if statement.is_allow and statement_grants(statement, ASSUME_ROLE)
        for resource in statement.resources
        if resource.text is not None
    ]


def _grant(role: Role, found: list[_Candidate], target: Role) -> _Candidate | None:
    """Of the Resource values of ``role`` that match ``target``, the one that grants the hop.

    The finding points at an exact ARN rather than a pattern, and at an Action rather than a
    NotAction statement.  A Deny in any of the role's policies, or a permissions boundary that
    does not allow it, removes the hop.
    """
    if effect_of(ASSUME_ROLE, [target.arn], found[0].document, [role]).removed:
        return None
    if not _boundaries_allow(role, target.arn):
        return None
    return min(found, key=lambda c: (c.resource.text != target.arn.text, not c.explicit))


def _targets(
    candidates: list[_Candidate], roles: Sequence[Role], by_arn: dict[str, list[int]]
) -> dict[int, list[_Candidate]]:
    """Which roles each candidate Resource names, by role index, in inventory order."""
    matched: dict[int, list[_Candidate]] = {}
    for candidate in candidates:
        pattern = candidate.resource.text or ""
        if has_wildcard(pattern):
            indexes: Sequence[int] = range(len(roles))
        else:
            indexes = by_arn.get(without_partition(pattern), [])
        for index in indexes:
            arn = roles[index].arn.text
            if arn is not None and arn_matches(pattern, arn):
                matched.setdefault(index, []).append(candidate)
    return dict(sorted(matched.items()))


def build_edges(roles: Sequence[Role]) -> dict[int, list[Edge]]:
    """Every hop between ``roles``, by source index, in inventory order."""
    by_arn: dict[str, list[int]] = {}
    for index, role in enumerate(roles):
        if role.arn.text is not None and role.trust_policy is not None:
            by_arn.setdefault(without_partition(role.arn.text), []).append(index)
    edges: dict[int, list[Edge]] = {}
    for i, source in enumerate(roles):
        candidates = _assume_resources(source)
        if source.arn.text is None or not candidates:
            continue
        for j, found in _targets(candidates, roles, by_arn).items():
            target = roles[j]
            if i == j or target.trust_policy is None:
                continue
            grant = _grant(source, found, target)
            if grant is None:
                continue
            admitted = _trust_admits(target, source)
            if admitted is not None:
                edge = Edge(i, j, grant.resource, grant.document, admitted)
                edges.setdefault(i, []).append(edge)
    return edges


def escalation_paths(
    edges: dict[int, list[Edge]], start: int, privileged: set[int], max_hops: int = MAX_HOPS
) -> Iterator[list[Edge]]:
    """The shortest multi-hop path from ``start`` to each privileged role it reaches.

    Breadth first, each role visited once (so cycles end); a path stops at the first privileged
    role; direct hops are not repeated here.
    """
    seen = {start}
    queue: deque[list[Edge]] = deque([edge] for edge in edges.get(start, ()))
    seen.update(edge.target for edge in edges.get(start, ()))
    while queue:
        path = queue.popleft()
        last = path[-1].target
        if last in privileged:
            if len(path) > 1:
                yield path
            continue
        if len(path) >= max_hops:
            continue
        for edge in edges.get(last, ()):
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append([*path, edge])


# --- RL401 ----------------------------------------------------------------------------------------


def _hop(role: Role) -> PathHop:
    return PathHop(role.id, role.ref.file, role.ref.line)


def _node_key(role: Role) -> str:
    return f"{role.ref.file}#{role.id}"


def _grant_words(edge: Edge, roles: Sequence[Role]) -> str:
    source, target = roles[edge.source], roles[edge.target]
    return (
        f"{edge.document.origin} allows sts:AssumeRole on '{edge.resource.text}' and the trust "
        f"policy of {target.id} admits {source.id} by {edge.admitted}"
    )


@check("RL401")
def role_chain_to_more_privileged_role(inventory: Inventory) -> Iterator[Hit]:
    roles = inventory.roles
    edges = build_edges(roles)
    if not edges:
        return
    reasons = {index: admin_reason(role) for index, role in enumerate(roles)}
    privileged = {index for index, reason in reasons.items() if reason is not None}
    for start in sorted(edges):
        source = roles[start]
        if start in privileged:
            continue  # an administrator gains nothing by assuming another role
        for edge in edges[start]:
            target = roles[edge.target]
            escalates = edge.target in privileged and start not in privileged
            tail = (
                f"; {target.id} has administrator-level access ({reasons[edge.target]}) "
                f"that {source.id} lacks"
                if escalates
                else ""
            )
            yield Hit(
                "RL401",
                f"Role {source.id} can assume role {target.id} ({_grant_words(edge, roles)}){tail}",
                edge.resource.ref,
                edge.document.resource,
                f"assume|{source.id}|{_node_key(target)}|{edge.resource.display()}",
                role=source.id,
                severity=None if escalates else Severity.LOW,
                path=(_hop(source), _hop(target)),
            )
        for path in escalation_paths(edges, start, privileged):
            chain = [source, *(roles[edge.target] for edge in path)]
            final = chain[-1]
            through = ", ".join(role.id for role in chain[1:-1])
            yield Hit(
                "RL401",
                f"Role {source.id} can assume role {final.id} through {through} "
                f"({' -> '.join(role.id for role in chain)}); {final.id} has "
                f"administrator-level access ({reasons[path[-1].target]}) that {source.id} lacks",
                path[0].resource.ref,
                path[0].document.resource,
                "chain|" + "|".join(_node_key(role) for role in chain),
                role=source.id,
                path=tuple(_hop(role) for role in chain),
            )
