"""The privilege escalations an Allow grants, after its conditions and its
holders' Denies and boundaries: an IAM method on every role, user, group or policy
(:func:`escalations`), or a service action on every resource whose role it takes over
(:func:`service_escalations`), both with which of them give more than tagged resources
(:func:`escalations_given`, which RL206, the graph's admin level and what a holder gains
under its boundary all read).  RL206 reports them; RL201's admin level, RL202 and RL203
leave them to it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rolelint.arns import PARTITIONS
from rolelint.checks.effective import Effect, every_resource_but
from rolelint.checks.escalation_methods import (
    ATTACH_METHODS,
    ESCALATIONS,
    PASS_ROLE,
    REMOVES_BOUNDARY,
    SERVICE_ESCALATIONS,
)
from rolelint.checks.grant_conditions import PERMISSIONS_BOUNDARY, carries, may_grant, tagged_only
from rolelint.checks.grants import Entry, Grant, entries_granting, holder_documents
from rolelint.checks.iam_match import (
    Arn,
    covers,
    has_unresolved_condition,
    has_wildcard,
    is_all_wildcards,
    is_any_resource,
    overlaps,
    parse_arn,
    statement_grants,
)
from rolelint.checks.policy_limits import ScannedPolicies, boundary_limit, policy_limit
from rolelint.model import PolicyDocument, Role, Statement, Value

_ESCALATION_METHODS = tuple(ESCALATIONS)
SEND_COMMAND = "ssm:SendCommand"
_SERVICE_ESCALATION_METHODS = tuple(SERVICE_ESCALATIONS)
_EVERY_METHOD = _ESCALATION_METHODS + _SERVICE_ESCALATION_METHODS


def escalating_entries(statement: Statement, *, services: bool = True) -> list[Entry]:
    """The entries of the statement that grant an escalation method (an IAM one, or with
    ``services`` a service one): in any other, :func:`escalations_given` and
    :func:`rolelint.checks.self_escalation.on_itself` find nothing, and asking them costs
    the statement's holders and resources, for every Action value (grants.entries_granting)."""
    return entries_granting(statement, _EVERY_METHOD if services else _ESCALATION_METHODS)


def unscoped_for(resource: Value, kind: str) -> bool:
    """A resource that names every IAM ``kind`` (role, user ...) of an account or of all."""
    text = resource.text
    if text is None:
        return False
    if is_any_resource(text):
        return True
    arn = parse_arn(text)
    return (
        arn is not None
        and covers(arn.service, "iam", case_sensitive=True)
        # "?*": every name, and names are never empty, so "role/?*" names every role too.
        and covers(arn.resource, f"{kind}/?*", case_sensitive=True)
    )


def unscoped_resources(statement: Statement, unscoped: Callable[[Value], bool]) -> list[Value]:
    """The statement's resources ``unscoped`` accepts; for NotResource, every resource but the
    listed ones unless one of those is itself such a resource (every role, say)."""
    every_but = every_resource_but(statement)
    if every_but is not None:
        left_out = any(unscoped(v) and _every_region(v) for v in statement.not_resources)
        return [] if left_out else [every_but]
    return [r for r in statement.resources if unscoped(r)]


def _every_region(resource: Value) -> bool:
    """A resource pattern naming its kind in every region: leaving out the functions of one
    region leaves those of every other granted."""
    arn = parse_arn(resource.text) if resource.text is not None else None
    return arn is None or arn.region == "" or is_all_wildcards(arn.region)


def attaches_nothing_admin(
    statement: Statement, method: str, scanned: ScannedPolicies | None = None
) -> bool:
    """Whether ``method`` under the statement's mandatory iam:PolicyARN test is no escalation:
    an attach action limited to harmless policies (:class:`PolicyLimit`), or any other action,
    whose requests lack the key, so the test is false for them.  A condition whose key or
    operator is not known may be such a test: no escalation is concluded under it."""
    if has_unresolved_condition(statement):
        return True
    limit = policy_limit(statement, scanned)
    if limit is None:
        return False
    return limit.harmless or method not in ATTACH_METHODS


def bounds_nothing_admin(
    statement: Statement, method: str, scanned: ScannedPolicies | None = None
) -> bool:
    """Whether ``method`` under the statement's mandatory iam:PermissionsBoundary test is no
    escalation: one whose requests lack the key (the test is false for it), or one that acts
    on a role or user only when its boundary (for Put...PermissionsBoundary, the one it sets)
    is among harmless policies the test names exactly (:class:`PolicyLimit`): what the holder
    gives that role or user, or itself, stays capped by that boundary.  Removing a boundary
    lifts whichever it is: that stays an escalation."""
    limit = boundary_limit(statement, scanned)
    if limit is None:
        return False
    if not carries(method, PERMISSIONS_BOUNDARY):
        return True
    return limit.harmless and method not in REMOVES_BOUNDARY


def escalations(grant: Grant, entry: Entry) -> list[tuple[str, Value, Effect]]:
    """The escalation actions ``entry`` grants on an unscoped resource no Deny removes, each
    with that resource and what is left of it (on the unscoped part a boundary or Deny
    leaves, if that is all)."""
    found = []
    for method in entry.granted_among(_ESCALATION_METHODS):
        if not still_escalates(grant.statement, method, grant.scanned):
            continue  # under iam:PassedToService iam:PassRole alone, under s3:TlsVersion none ...
        unscoped = functools.partial(unscoped_for, kind=ESCALATIONS[method][0])
        resources = unscoped_resources(grant.statement, unscoped)
        escalates = functools.partial(escalates_under, method=method, scanned=grant.scanned)
        effect = (
            grant.standing(method, resources, unscoped, passes=(escalates,)) if resources else None
        )
        if effect is not None:
            found.append((method, resources[0], effect))
    return found


def escalation_methods(grant: Grant, entry: Entry) -> list[str]:
    """The escalation methods ``entry`` gives (:func:`escalations`, then
    :func:`service_escalations`), by name: what RL202 and RL203 leave to RL206 of an Action
    value, or of a piece of what is left of a NotAction that grants one of them."""
    return [
        method for method, _, _ in (*escalations(grant, entry), *service_escalations(grant, entry))
    ]


@dataclass(frozen=True, slots=True)
class Given:
    """The privilege escalations one entry of an Allow gives, each as (method, the resource
    it acts on, what is left of it): ``iam``, the IAM methods on every role, user, group or
    policy (:func:`escalations`); ``services``, the service methods on every resource whose
    role they take over (:func:`service_escalations`), when asked for; ``untagged``, those of
    both, in that order, that give more than the resources with given tags (:func:`_tagged`).
    RL206 reports an entry when it gives any of ``untagged``; the role graph's admin level
    takes the first IAM one, and a holder writing itself a policy under its boundary gains
    what they are."""

    iam: list[tuple[str, Value, Effect]]
    services: list[tuple[str, Value, Effect]]
    untagged: list[tuple[str, Value, Effect]]


def escalations_given(grant: Grant, entry: Entry, *, services: bool = True) -> Given:
    """The :class:`Given` of ``entry`` in ``grant`` (with ``services=False``, the IAM methods
    alone: the service ones are not judged)."""
    found = escalations(grant, entry)
    outside = service_escalations(grant, entry) if services else []
    both = found + outside
    tagged = bool(both) and tagged_only(grant.statement)
    untagged = [item for item in both if not (tagged and _tagged(item[0]))]
    return Given(found, outside, untagged)


def _tagged(method: str) -> bool:
    """Whether ``method`` under a mandatory positive test of the resource's tags (the grant's
    own, :func:`tagged_only`) acts on the resources so tagged alone, which rolelint does not
    know: iam:PassRole passes only the roles so tagged, a service method takes over only the
    functions or instances so tagged.  Every other IAM method acts on the holder's own
    permissions or any role's, whatever the tags of one."""
    return method == PASS_ROLE or method in SERVICE_ESCALATIONS


def still_escalates(
    statement: Statement, method: str, scanned: ScannedPolicies | None = None
) -> bool:
    """Whether ``method`` is still an escalation under the statement's conditions: a statement
    under iam:PassedToService grants iam:PassRole alone, one under iam:PolicyARN attaches the
    policies it names alone, one under iam:PermissionsBoundary acts only on roles and users
    that boundary caps (a boundary allowing iam:AttachRolePolicy only for AWS managed
    policies that are no administrator's attaches nothing worse).  The policies a condition
    names are judged with the scan's (``scanned``): a customer managed admin policy of the
    scan is no harmless one.  RL206 asks it of the grant's own statement
    (:func:`escalations`) and, with one difference, of its gates (:func:`escalates_under`)."""
    return may_grant(statement, method) and not (
        attaches_nothing_admin(statement, method, scanned)
        or bounds_nothing_admin(statement, method, scanned)
    )


def escalates_under(
    statement: Statement, method: str, scanned: ScannedPolicies | None = None
) -> bool:
    """RL206's gate test: :func:`still_escalates`, and iam:PassRole under a mandatory positive test
    of the resource's tags passes only the roles so tagged, so no escalation.  The grant's own
    statement is not asked the second: its tagged iam:PassRole is still reported beside what
    else it grants (:func:`privilege_escalation_hits`), while a gate lets only those roles
    through."""
    if method == PASS_ROLE and tagged_only(statement):
        return False
    return still_escalates(statement, method, scanned)


# What each service escalation takes over, as (service, resource) patterns of ARNs in any
# partition, region and account: Session Manager and Run Command act on EC2 instances (and
# on-premises managed instances), whatever the action's own prefix.
_TAKEN_OVER: dict[str, tuple[tuple[str, str], ...]] = {
    "lambda:UpdateFunctionCode": (("lambda", "function:?*"),),
    "glue:UpdateDevEndpoint": (("glue", "devEndpoint/?*"),),
    "sagemaker:CreatePresignedNotebookInstanceUrl": (("sagemaker", "notebook-instance/?*"),),
    "ssm:SendCommand": (("ec2", "instance/?*"), ("ssm", "managed-instance/?*")),
    "ssm:StartSession": (("ec2", "instance/?*"), ("ssm", "managed-instance/?*")),
    "ec2-instance-connect:SendSSHPublicKey": (("ec2", "instance/?*"),),
}
# Run Command documents that run whatever they are given: the instance's shell, a script
# fetched from S3 or GitHub, or another document (one of these among them).
_SHELL_DOCUMENTS = (
    "AWS-RunShellScript",
    "AWS-RunPowerShellScript",
    "AWS-RunRemoteScript",
    "AWS-RunDocument",
)


def _every_of_kind(resource: Value, action: str) -> bool:
    """A resource naming every resource ``action`` takes over (``*``, ``...:function:*``,
    ``arn:aws:ec2:*:*:instance/*`` for Session Manager)."""
    text = resource.text
    if text is None:
        return False
    if is_any_resource(text):
        return True
    arn = parse_arn(text)
    return arn is not None and any(
        covers(arn.service, service, case_sensitive=False)
        and covers(arn.resource, kind, case_sensitive=True)
        for service, kind in _TAKEN_OVER[action]
    )


def _runs_any_command(grant: Grant) -> bool:
    """Whether a holder of the grant may send a Run Command document that runs whatever it is
    given: ssm:SendCommand on every instance, limited to documents of fixed steps, is not a
    shell on them.

    A request is authorized for the instance and for the document, each by any Allow of the
    holder's policies that names it (AWS's own managed policies allow the instances in one
    statement and the documents in another), and a Deny of the document refuses it.  So the
    documents are those ssm:SendCommand is allowed on anywhere among the holder's policies,
    less those denied.  A document not known is not known to be a shell; when no statement
    names a document at all, one the scan does not see may be allowed: any, perhaps.
    """
    return any(
        _shell_allowed(documents, holder) is not False
        for holder, documents in holder_documents(grant)
    )


def _shell_allowed(documents: list[PolicyDocument], roles: tuple[Role, ...]) -> bool | None:
    """Whether a shell document (:data:`_SHELL_DOCUMENTS`) is allowed to ``roles`` by
    ``documents`` and not denied; None when no statement names any document."""
    named = False
    for document in documents:
        for statement in document.statements:
            if (
                not statement.is_allow
                or not may_grant(statement, SEND_COMMAND)
                or not statement_grants(statement, SEND_COMMAND)
            ):
                continue
            every_but = every_resource_but(statement)
            resources = [every_but] if every_but is not None else statement.resources
            for resource in resources:
                shells = _shell_documents(resource)
                if shells is None:
                    continue
                named = True
                grant = Grant(document, statement, roles)
                if any(
                    not any(grant.denied(SEND_COMMAND, [spelled]) for spelled in spellings)
                    for spellings in shells
                ):
                    return True
    return None if not named else False


def _shell_documents(resource: Value) -> list[list[Value]] | None:
    """The shell documents an Allow's resource names, each as its ARN in the partitions the
    resource may be in (a Deny naming it in one of them refuses it: a policy and its Deny are
    deployed in one partition); None when the resource names no document, and no shell for
    one not known (it may be a document, but is not known to be a shell)."""
    text = resource.text
    if text is None:
        return []
    if is_any_resource(text):
        arn = Arn("*", "ssm", "*", "", "*")
    else:
        parsed = parse_arn(text)
        if (
            parsed is None
            or not covers(parsed.service, "ssm", case_sensitive=False)
            or not overlaps(parsed.resource, "document/?*", case_sensitive=True)
        ):
            return None
        arn = parsed
    partitions = PARTITIONS if has_wildcard(arn.partition) else (arn.partition,)
    return [
        [
            Value(f"arn:{partition}:ssm:{arn.region}:{arn.account}:document/{shell}", resource.ref)
            for partition in partitions
            if covers(arn.partition, partition, case_sensitive=True)
        ]
        for shell in _SHELL_DOCUMENTS
        if covers(arn.resource, f"document/{shell}", case_sensitive=True)
    ]


def service_escalations(grant: Grant, entry: Entry) -> list[tuple[str, Value, Effect]]:
    found = []
    for method in entry.granted_among(_SERVICE_ESCALATION_METHODS):
        if not may_grant(grant.statement, method):
            continue  # under iam:PassedToService or s3:TlsVersion its requests fail the test
        every_of_kind = functools.partial(_every_of_kind, action=method)
        resources = unscoped_resources(grant.statement, every_of_kind)
        if method == SEND_COMMAND and resources and not _runs_any_command(grant):
            continue
        # It takes over every resource of its kind: the gates leave the action (may_grant),
        # and not only under a mandatory positive test of the resource's tags, which, as the
        # grant's own (tagged_only), leaves only the functions or instances so tagged.  Each
        # is judged on its own (Effect.passes_gates).
        grants = functools.partial(may_grant, action=method)
        effect = (
            grant.standing(method, resources, every_of_kind, passes=(grants, _untagged))
            if resources
            else None
        )
        if effect is not None:
            found.append((method, resources[0], effect))
    return found


def _untagged(statement: Statement) -> bool:
    """A gate test: the statement's conditions do not limit it to resources with given tags
    (:func:`tagged_only`)."""
    return not tagged_only(statement)
