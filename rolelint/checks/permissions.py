"""Permission-policy rules: what a role may do once assumed (RL201-RL207).

Overlap policy: a statement that grants full admin access (RL201) is reported once, by RL201;
RL203 leaves the actions that RL206 or RL207 report to them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rolelint.arns import PARTITIONS
from rolelint.checks.base import (
    Hit,
    check,
    once_per_inventory,
    policy_subject,
    role_ids,
    role_names,
    some_of,
)
from rolelint.checks.effective import (
    Effect,
    Piece,
    alike,
    effect_of,
    effects_on,
    every_resource_but,
    excludes_all_of,
    grants_all_of_iam,
    grants_everything,
    names_every_iam_resource,
    once_each,
    resources_named,
)
from rolelint.checks.iam_match import (
    Arn,
    action_grants,
    covers,
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    is_all_actions,
    is_all_wildcards,
    is_any_resource,
    is_service_wide,
    names_actions,
    overlaps,
    parse_arn,
    split_action,
    statement_grants,
    whole_fields,
)
from rolelint.checks.stand_ins import arn_matches
from rolelint.checks.trust_conditions import operator_problem
from rolelint.findings import Severity
from rolelint.model import (
    GENERATED_NAME,
    UNRESOLVED_PATH,
    Condition,
    IdentityKind,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
    generated_in_words,
    identity_holder,
)
from rolelint.source import SourceRef

if TYPE_CHECKING:
    from rolelint.graph.hops import AdminGrant, RolesByArn
    from rolelint.iam_actions import Action

# Telemetry and agent self-reporting writes that workloads are routinely granted on "*": AWS's own
# basic execution and instance-core policies grant them so, some support no resource scoping at
# all, and none of them reads or changes anything but the caller's own reports.  Only these exact
# actions, never wildcards.
TELEMETRY_ACTIONS = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "cloudwatch:putmetricdata",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        # The Systems Manager agent reporting on its own instance (AmazonSSMManagedInstanceCore).
        "ssm:updateinstanceinformation",
        "ssm:putinventory",
        "ssm:putcomplianceitems",
        "ssm:putconfigurepackageresult",
        "ssm:updateassociationstatus",
        "ssm:updateinstanceassociationstatus",
    }
)
# Condition keys about the request's context (origin, time, MFA), not what it acts on: the
# IAM global condition keys reference lists the network ones (the VPC endpoint a request
# goes through, its account and organization) and those of the instance an EC2 role's
# credentials were delivered to among the properties of the network and of the session.
_CONTEXT_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SecureTransport",
        "aws:RequestedRegion",
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:MultiFactorAuthPresent",
        "aws:MultiFactorAuthAge",
        "aws:SourceIp",
        "aws:SourceVpc",
        "aws:SourceVpcArn",
        "aws:SourceVpce",
        "aws:VpceAccount",
        "aws:VpceOrgID",
        "aws:VpceOrgPaths",
        "aws:VpcSourceIp",
        "aws:Ec2InstanceSourceVpc",
        "aws:Ec2InstanceSourcePrivateIPv4",
        "aws:ViaAWSService",
        "aws:UserAgent",
        "aws:TokenIssueTime",
    )
)

# Condition keys that never narrow which resources a statement acts on: who calls (the holder
# itself, in its own policy: its account for kms:CallerAccount, the identity provider it was
# federated by, the source identity of its session, the instance its credentials were issued
# to) and the services a request passes through.
_NOT_ON_RESOURCES = (
    "aws:principal",
    "aws:userid",
    "aws:username",
    "aws:calledvia",
    "aws:federatedprovider",
    "aws:sourceidentity",
    "kms:calleraccount",
    "ec2:sourceinstancearn",
)

# Condition keys of S3 requests that say how a request is made (its TLS and signature version,
# how it is authenticated, the checksum of its body, how the object written is encrypted), not
# which bucket or object it acts on: every request made that way passes them, whatever it acts
# on.  Only the actions whose requests carry one (by the AWS action catalog) pass a mandatory
# positive test of it: a request without the key fails it.
_REQUEST_KEYS = frozenset(
    key.lower()
    for key in (
        "s3:TlsVersion",
        "s3:signatureversion",
        "s3:signatureAge",
        "s3:authType",
        "s3:x-amz-content-sha256",
        "s3:x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:x-amz-server-side-encryption-customer-algorithm",
    )
)

# Privilege escalation methods (RL206): action -> (IAM resource type it acts on, method).
ESCALATIONS: dict[str, tuple[str, str]] = {
    "iam:PassRole": ("role", "pass any role to a service and act with its permissions"),
    "iam:CreatePolicyVersion": ("policy", "rewrite a managed policy it holds"),
    "iam:SetDefaultPolicyVersion": ("policy", "switch a policy to a more permissive version"),
    "iam:CreateAccessKey": ("user", "create access keys for any user"),
    "iam:CreateLoginProfile": ("user", "set a console password for any user"),
    "iam:UpdateLoginProfile": ("user", "reset any user's console password"),
    "iam:AttachUserPolicy": ("user", "attach any managed policy to a user"),
    "iam:AttachGroupPolicy": ("group", "attach any managed policy to a group"),
    "iam:AttachRolePolicy": ("role", "attach any managed policy to a role"),
    "iam:PutUserPolicy": ("user", "write an inline policy on a user"),
    "iam:PutGroupPolicy": ("group", "write an inline policy on a group"),
    "iam:PutRolePolicy": ("role", "write an inline policy on a role"),
    "iam:UpdateAssumeRolePolicy": ("role", "rewrite who may assume a role"),
    "iam:AddUserToGroup": ("group", "join any group"),
    # A permissions boundary caps a holder only while it stays: one allowed to remove or
    # replace its own is capped by nothing (the API reference of DeleteRolePermissionsBoundary:
    # "might allow anyone who assumes the role to perform all the actions granted in its
    # permissions policies").
    "iam:DeleteRolePermissionsBoundary": (
        "role",
        "remove the permissions boundary of any role, its own included, and act with all "
        "that role's policies allow",
    ),
    "iam:PutRolePermissionsBoundary": (
        "role",
        "replace the permissions boundary of any role, its own included, with one that allows more",
    ),
    "iam:DeleteUserPermissionsBoundary": (
        "user",
        "remove the permissions boundary of any user, its own included, and act with all "
        "that user's policies allow",
    ),
    "iam:PutUserPermissionsBoundary": (
        "user",
        "replace the permissions boundary of any user, its own included, with one that allows more",
    ),
}
_ESCALATION_METHODS = tuple(ESCALATIONS)
ASSUME_ROLE = "sts:AssumeRole"
# Every IAM action, as :func:`may_grant` is asked it for administrator access (RL201).
ALL_OF_IAM = "iam:*"
PASS_ROLE = "iam:PassRole"
SEND_COMMAND = "ssm:SendCommand"

# Escalation outside IAM: one action on every resource of its kind takes over whatever role the
# resource runs with (the published lists: Rhino Security Labs, iam-vulnerable).
SERVICE_ESCALATIONS: dict[str, str] = {
    "lambda:UpdateFunctionCode": "replace the code of any Lambda function and run as its role",
    "glue:UpdateDevEndpoint": "add an SSH key to any Glue development endpoint and use its role",
    "sagemaker:CreatePresignedNotebookInstanceUrl": (
        "open any SageMaker notebook instance and use its role"
    ),
    "ssm:SendCommand": "run commands on any managed instance and use its instance role",
    "ssm:StartSession": "open a shell on any managed instance and use its instance role",
    "ec2-instance-connect:SendSSHPublicKey": (
        "log in to any EC2 instance and use its instance role"
    ),
}
_SERVICE_ESCALATION_METHODS = tuple(SERVICE_ESCALATIONS)
# iam:PassRole combined with service actions that run code with the passed role: the published
# escalation methods, by name, with the service the role is passed to (what
# ``iam:PassedToService`` must admit) and the actions each needs besides iam:PassRole.
_PASS_ROLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "a new EC2 instance (ec2:RunInstances)": ("ec2.amazonaws.com", ("ec2:RunInstances",)),
    "a new Lambda function invoked directly": (
        "lambda.amazonaws.com",
        ("lambda:CreateFunction", "lambda:InvokeFunction"),
    ),
    "a new Lambda function triggered by an event source": (
        "lambda.amazonaws.com",
        ("lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
    ),
    "a CloudFormation stack (cloudformation:CreateStack)": (
        "cloudformation.amazonaws.com",
        ("cloudformation:CreateStack",),
    ),
    "a Glue development endpoint (glue:CreateDevEndpoint)": (
        "glue.amazonaws.com",
        ("glue:CreateDevEndpoint",),
    ),
    "a Data Pipeline": (
        "datapipeline.amazonaws.com",
        ("datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"),
    ),
    "a SageMaker notebook instance": (
        "sagemaker.amazonaws.com",
        ("sagemaker:CreateNotebookInstance",),
    ),
    "a SageMaker training job": ("sagemaker.amazonaws.com", ("sagemaker:CreateTrainingJob",)),
    "a SageMaker processing job": ("sagemaker.amazonaws.com", ("sagemaker:CreateProcessingJob",)),
    "a CodeStar project (a service AWS retired in 2024)": (
        "codestar.amazonaws.com",
        ("codestar:CreateProject",),
    ),
    "an ECS task": ("ecs-tasks.amazonaws.com", ("ecs:RegisterTaskDefinition", "ecs:RunTask")),
    "a CodeBuild project": (
        "codebuild.amazonaws.com",
        ("codebuild:CreateProject", "codebuild:StartBuild"),
    ),
    "a Spot instance (ec2:RequestSpotInstances)": (
        "ec2.amazonaws.com",
        ("ec2:RequestSpotInstances",),
    ),
    "an Auto Scaling group with a new launch configuration": (
        "ec2.amazonaws.com",
        ("autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"),
    ),
    "an Auto Scaling group with a new launch template": (
        "ec2.amazonaws.com",
        ("ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"),
    ),
    "a Glue job": ("glue.amazonaws.com", ("glue:CreateJob", "glue:StartJobRun")),
    "a Step Functions state machine": (
        "states.amazonaws.com",
        ("states:CreateStateMachine", "states:StartExecution"),
    ),
    "an App Runner service (apprunner:CreateService)": (
        "tasks.apprunner.amazonaws.com",
        ("apprunner:CreateService",),
    ),
    "an existing CloudFormation stack (cloudformation:UpdateStack)": (
        "cloudformation.amazonaws.com",
        ("cloudformation:UpdateStack",),
    ),
    "a CloudFormation change set": (
        "cloudformation.amazonaws.com",
        ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"),
    ),
    "an ECS service": (
        "ecs-tasks.amazonaws.com",
        ("ecs:RegisterTaskDefinition", "ecs:CreateService"),
    ),
    "an ECS task started on a chosen instance": (
        "ecs-tasks.amazonaws.com",
        ("ecs:RegisterTaskDefinition", "ecs:StartTask"),
    ),
}
PASS_ROLE_METHODS = {method: needed for method, (_, needed) in _PASS_ROLE.items()}
PASS_ROLE_SERVICE = {method: service for method, (service, _) in _PASS_ROLE.items()}


@dataclass(slots=True)
class _Grant:
    """One Allow statement of a permission policy, with who holds it."""

    document: PolicyDocument
    statement: Statement
    roles: tuple[Role, ...]
    # Users and groups holding it, each as the role-shaped holder of its own (and, for a user,
    # its groups') policies: their Denies and boundaries limit the grant as a role's do.
    identities: tuple[Role, ...] = ()
    # What of it is administrator access (_admin_grants), once worked out: five checks ask.
    admin: list[_Admin] | None = field(default=None, repr=False, compare=False)
    # Its holders in groups the same Denies and boundaries limit it for (effective.alike),
    # once worked out: the permission checks judge it for each group (_attributed).
    grouped: list[tuple[Role, ...]] | None = field(default=None, repr=False, compare=False)
    # Whether the statement, judged with no holder's Denies or boundary, is found by no
    # permission check (_quiet), once worked out.
    silent: bool | None = field(default=None, repr=False, compare=False)
    # Whether the checks word their findings in full: judged only for which holders have
    # them (_attributed), they leave out what reads every policy of the holders.
    worded: bool = field(default=True, repr=False, compare=False)
    # The customer managed policies of the scan, for what a condition naming one admits.
    scanned: ScannedPolicies | None = field(default=None, repr=False, compare=False)
    # The roles of the scan, for iam:PassRole on roles it names (RL206).
    passable: PassableRoles | None = field(default=None, repr=False, compare=False)
    # Of a group's policy: each user certainly in a group holding it, as (that group's holder,
    # the user's).  The user holds the policy too (model.identity_holder), but only what a
    # holder may do to itself is judged for it (RL206: a member allowed to write its own
    # user's policy or its group's); every other check judges a group's policy for the group.
    members: tuple[tuple[Role, Role], ...] = ()

    @property
    def holders(self) -> tuple[Role, ...]:
        return (*self.roles, *self.identities)

    @property
    def acting(self) -> tuple[Role, ...]:
        """Its holders and the users holding it through a group, each once: whom a method on
        the holder itself (:func:`_on_itself`) is judged for."""
        everyone = (*self.holders, *(user for _, user in self.members))
        return once_each(everyone)

    @property
    def groups(self) -> list[tuple[Role, ...]]:
        """Its holders in groups the same Denies and boundaries limit it for."""
        if self.grouped is None:
            self.grouped = alike(self.holders, self.statement)
        return self.grouped

    @property
    def subject(self) -> str:
        return policy_subject(self.document)

    @property
    def role(self) -> str | None:
        return role_names(self.roles)

    @property
    def each_role(self) -> tuple[str, ...]:
        return role_ids(self.roles)

    def key(self, *parts: str) -> str:
        return "|".join((self.document.origin, *parts))

    def held_by(self, holders: Sequence[Role], *, worded: bool = True) -> _Grant:
        """The same grant, as if ``holders`` (some of its own, or of its groups' members) held
        it alone, with the members of the groups among them."""
        users = {id(identity) for identity in self.identities}
        users.update(id(user) for _, user in self.members)
        kept = {id(holder) for holder in holders}
        return _Grant(
            self.document,
            self.statement,
            tuple(h for h in holders if id(h) not in users),
            tuple(h for h in holders if id(h) in users),
            worded=worded,
            scanned=self.scanned,
            passable=self.passable,
            members=tuple(pair for pair in self.members if id(pair[0]) in kept),
        )

    def effect(
        self, action: str, resources: Sequence[Value], excluded: tuple[str, ...] = ()
    ) -> Effect:
        """What ``action`` on ``resources`` is worth for the holders, after every Deny of their
        policies and their permissions boundaries."""
        return effect_of(
            action, resources, self.document, self.holders, excluded=excluded, allow=self.statement
        )

    def denied(self, action: str, resources: Sequence[Value]) -> bool:
        """Whether ``action`` on ``resources`` is taken away entirely, for every holder."""
        return self.effect(action, resources).removed

    def standing(
        self,
        action: str,
        resources: Sequence[Value],
        on: Callable[[Value], bool],
        *,
        passes: Sequence[Callable[[Statement], bool]],
        test: Callable[[Effect], bool] = lambda effect: True,
        excluded: tuple[str, ...] = (),
    ) -> Effect | None:
        """What of ``action`` on ``resources`` (each one ``on`` accepts) stands for a holder,
        gets through the gates of its Denies and boundaries by each of ``passes`` and passes
        ``test``; None when nothing does.

        ``passes`` are the rule's tests of one statement's conditions: a Deny's or a
        boundary's condition a request must pass besides the grant's own is judged as the
        grant's own would be (:meth:`Effect.passes_gates`).  They are not asked of the grant's
        own statement here: each rule judges that before (cheaply, before any effect), and
        some keep what the gates may not (RL206 reports iam:PassRole limited by the resource's
        tags for what else the statement grants).  Every call names them, so that no rule
        forgets the gates; ``()`` only where the gates are judged otherwise: RL203 asks which
        writes get through (:func:`_open_left`), RL202 judges those of the first effect with
        something left (:func:`_wherever`), RL207 asks again only for each resource's note.

        Its effect on ``resources``, or else on a narrower resource a Deny of every resource
        but a few or a permissions boundary on fewer resources leaves it on, when that is
        still one ``on`` accepts: the grant is judged as if written there (IAM allows what
        the policy and the boundary both allow).  iam:PassRole on ``"*"`` under a boundary
        allowing it on ``role/*`` still passes every role; on ``role/deploy`` it does not.
        """
        found = effects_on(
            action, resources, self.document, self.holders, excluded=excluded, allow=self.statement
        )
        for where, effect in found:
            if (
                all(on(r) for r in where)
                and not effect.removed
                and effect.passes_gates(*passes)
                and test(effect)
            ):
                return effect
        return None


@once_per_inventory
def _grants(inventory: Inventory) -> tuple[_Grant, ...]:
    """The Allow statements of permission policies, with their holders.  Not one without
    Resource or NotResource: IAM rejects the policy (RL613 says so), so it grants nothing, and
    no rule here reads it as granting its actions somewhere."""
    identities, members = _identity_holders(inventory)
    scanned = scanned_policies(inventory)
    passable = PassableRoles(inventory.roles, scanned)
    return tuple(
        _Grant(
            document,
            statement,
            roles,
            identities.get(id(document), ()),
            scanned=scanned,
            passable=passable,
            members=members.get(id(document), ()),
        )
        for document, roles in inventory.permission_policies()
        # Permissions boundaries limit, they never grant.
        if document.kind is PolicyKind.PERMISSIONS
        and not service_linked_only(document, roles, identities.get(id(document), ()))
        for statement in document.statements
        if statement.is_allow and not statement.names_no_resource
    )


def service_linked_only(
    document: PolicyDocument, roles: tuple[Role, ...], identities: tuple[Role, ...]
) -> bool:
    """Whether ``document`` is a service-linked role's own permissions: held by such roles
    alone, and not a customer managed policy.

    AWS writes them and IAM refuses every change to them (UnmodifiableEntity): only the
    service can, so a finding about them could not be acted upon, as with their trust
    policies (trust_common.editable_trust_policies).  A customer managed policy is the
    account's own text wherever it is attached, and a policy also held by another role or
    a user is judged for them.  The audit's access summary asks it too (rolelint.audit.access),
    so that a role's row and card leave out what the rules leave out.
    """
    customer_managed = document.managed and not document.aws_managed
    return (
        bool(roles)
        and not identities
        and not customer_managed
        and all(role.service_linked for role in roles)
    )


def _each_grant(inventory: Inventory, hits_of: Callable[[_Grant], Iterable[Hit]]) -> Iterator[Hit]:
    """What ``hits_of`` finds in each grant of the inventory, each finding naming the roles
    it holds for (_attributed)."""
    for grant in _grants(inventory):
        yield from _attributed(grant, hits_of)


def _attributed(grant: _Grant, hits_of: Callable[[_Grant], Iterable[Hit]]) -> list[Hit]:
    """What ``hits_of`` finds in ``grant``, holder by holder: what it finds when the policy
    has that holder alone, one finding for each thing found naming every holder it holds for.

    A policy attached to two roles, one of which denies what it grants (or whose permissions
    boundary does not allow it), is a risk for the other only: the finding named both, and
    the inventory called the protected role an administrator.  Judged for that role alone,
    what is left of the grant may be another finding (``*`` under a Deny of ``iam:*`` is no
    administrator access but still a privilege escalation): it is found, and names that role.

    Holders that the same Denies and boundaries limit come to the same findings, so each
    such group is judged once, for what it finds only; a finding is then worded for the
    holders it names (its note speaks of their Denies, not of another's).  With a single
    group, or when the grant judged for no holder is found by no rule (what holders add only
    takes away), the grant is judged once for all, as before.
    """
    found = list(hits_of(grant))
    if len(grant.holders) < 2 or (not found and _quiet(grant)) or len(grant.groups) < 2:
        return found
    holding: dict[str, list[Role]] = {}
    for group in grant.groups:
        for hit in hits_of(grant.held_by(group, worded=False)):
            holding.setdefault(hit.key, []).extend(_held_for(grant, group, hit))
    everyone = len(grant.holders)
    worded: dict[tuple[int, ...], dict[str, Hit]] = {}

    def worded_for(holders: Sequence[Role]) -> dict[str, Hit]:
        key = tuple(map(id, holders))
        if key not in worded:
            worded[key] = {hit.key: hit for hit in hits_of(grant.held_by(holders))}
        return worded[key]

    result: list[Hit] = []
    for key in dict.fromkeys([*(hit.key for hit in found), *holding]):
        holders = holding.get(key)
        for_all = [hit for hit in found if hit.key == key]
        if holders is None or (for_all and len(holders) == everyone):
            result.extend(for_all)  # as judged for all of them
            continue
        first = next(group for group in grant.groups if any(h is holders[0] for h in group))
        # Worded for the holders together, or, should they together word it otherwise
        # (the broadest of their remainders is not the one it holds for), for the first.
        hit = worded_for(holders).get(key) or worded_for(first)[key]
        result.append(_naming(grant, hit, holders))
    return result


def _held_for(grant: _Grant, group: Sequence[Role], hit: Hit) -> list[Role]:
    """The holders of ``group`` that ``hit``, found judging the group alone, holds for: the
    roles it names, with the users and groups (which no finding names).  Most findings name
    every role of the group; one on what a holder may do to itself (RL206 on its own ARN)
    names only the holders it is about, not another one the same Denies limit."""
    users = {id(identity) for identity in grant.identities}
    return [h for h in group if id(h) in users or h.id in hit.roles]


def _quiet(grant: _Grant) -> bool:
    """Whether no permission check finds anything in the grant judged for no holder (its
    document's own Denies alone).  A holder's Denies and boundary only take away, and taking
    away makes a finding appear only where another one stood (``*`` under a Deny of ``iam:*``
    is a privilege escalation no longer reported as administrator access): then no holder
    has a finding either, and the groups need no judging one by one (1,000 roles with a Deny
    of their own sharing a policy of 200 statements on named buckets)."""
    if grant.silent is None:
        alone = grant.held_by((), worded=False)
        grant.silent = not _assume_any_role(alone)[1] and not any(
            True for hits_of in _JUDGING_ALONE for _ in hits_of(alone)
        )
    return grant.silent


def _naming(grant: _Grant, hit: Hit, holders: list[Role] | None) -> Hit:
    """``hit`` naming the roles among ``holders`` (as it was when none is known: a finding
    only some holders together make, which names them all, as before)."""
    if holders is None:
        return hit
    kept = {id(holder) for holder in holders}
    roles = [role for role in grant.roles if id(role) in kept]
    return replace(hit, role=role_names(roles), roles=role_ids(roles))


def _identity_holders(
    inventory: Inventory,
) -> tuple[dict[int, tuple[Role, ...]], dict[int, tuple[tuple[Role, Role], ...]]]:
    """By document id: the users and groups that hold it, as holders (model.identity_holder:
    a user with its policies and its groups'); and, of a group's document, the users certainly
    in that group, each with the group (:attr:`_Grant.members`).  A group only some
    deployments add a user to makes it no member here: what the group's policy lets it do to
    itself is not certain."""
    groups = {i.id: i for i in inventory.identities if i.kind is IdentityKind.GROUP}
    holder_of = {id(i): identity_holder(i, groups) for i in inventory.identities}
    found: dict[int, list[Role]] = {}
    members: dict[int, list[tuple[Role, Role]]] = {}
    for identity in inventory.identities:
        holder = holder_of[id(identity)]
        for document in identity.policies:
            found.setdefault(id(document), []).append(holder)
        for name in identity.groups:
            group = groups.get(name)
            if group is not None:
                for document in group.policies:
                    pair = (holder_of[id(group)], holder)
                    members.setdefault(id(document), []).append(pair)
    return (
        {key: tuple(holders) for key, holders in found.items()},
        {key: tuple(pairs) for key, pairs in members.items()},
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    """What grants an action in an Allow statement: one Action value, or its whole NotAction
    (every action but the listed ones), so escalation rules judge both the same way."""

    value: Value  # the Action value; for NotAction, the first excluded value
    statement: Statement | None = None  # set for NotAction

    @property
    def ref(self) -> SourceRef:
        if self.statement is not None and self.statement.not_action_ref is not None:
            return self.statement.not_action_ref
        return self.value.ref

    @property
    def quoted(self) -> str:
        """How a message names it: ``'iam:Pass*'`` or ``every action except 'iam:*'``."""
        if self.statement is None:
            return f"'{self.value.text}'"
        excluded = some_of([f"'{v.display()}'" for v in self.statement.not_actions])
        return f"every action except {excluded or 'nothing'}"

    @property
    def key(self) -> str:
        if self.statement is None:
            return self.value.display()
        return "NotAction:" + ",".join(
            sorted(v.display().lower() for v in self.statement.not_actions)
        )

    def is_exactly(self, action: str) -> bool:
        return self.statement is None and (self.value.text or "").lower() == action.lower()

    def grants(self, action: str) -> bool:
        if self.statement is not None:
            return statement_grants(self.statement, action)
        return action_grants(self.value, action)

    def granted_among(self, actions: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``actions`` the entry grants, in their order."""
        if self.statement is not None:
            return tuple(action for action in actions if statement_grants(self.statement, action))
        text = self.value.text
        return () if text is None else _granted_among(text, actions)


@functools.lru_cache(maxsize=8192)
def _granted_among(text: str, actions: tuple[str, ...]) -> tuple[str, ...]:
    """Each Action value is asked about every escalation method, by five checks: the same
    few hundred values, asked once each."""
    return tuple(action for action in actions if overlaps(text, action, case_sensitive=False))


def _entries(statement: Statement) -> list[_Entry]:
    """The Action values of an Allow statement that name actions (``*Role`` names none: IAM
    refuses it, RL605), or its NotAction as one entry."""
    entries = [
        _Entry(value)
        for value in statement.actions
        if value.text is None or names_actions(value.text)
    ]
    if statement.has_not_action and statement.not_actions:
        entries.append(_Entry(statement.not_actions[0], statement))
    return entries


def _any_resources(statement: Statement) -> list[Value]:
    return [r for r in statement.resources if _every_resource(r)]


def _every_resource(resource: Value) -> bool:
    """``"*"`` or a pattern of every ARN (``arn:aws:*:*:*:*``)."""
    return resource.text is not None and is_any_resource(resource.text)


@dataclass(frozen=True, slots=True)
class _Admin:
    """A grant of every IAM action on every resource that survives Denies and boundaries."""

    at: SourceRef
    what: str
    key: str
    resource: Value
    effect: Effect


def _admin_grants(grant: _Grant) -> list[_Admin]:
    if grant.admin is None:
        grant.admin = _find_admin_grants(grant)
    return grant.admin


def admin_resources(statement: Statement) -> list[Value]:
    """The resources of an Allow on which every IAM action is administrator access: ``"*"``
    (or every ARN); else those naming every IAM resource of an account or of all
    (``arn:aws:iam::111122223333:*``: IAM actions act on nothing else, so the holder can grant
    itself anything there too); else, for NotResource, every resource but a few when no whole
    type of IAM resource is among them.  RL201 and the role graph's admin level both ask."""
    wide = _any_resources(statement) or [r for r in statement.resources if _every_iam_resource(r)]
    every_but = every_resource_but(statement)
    if not wide and every_but is not None and not excludes_all_of(statement, "iam"):
        wide = [every_but]  # every resource but a few, no whole type of IAM among them
    return wide


def _every_iam_resource(resource: Value) -> bool:
    return resource.text is not None and names_every_iam_resource(resource.text)


def _find_admin_grants(grant: _Grant) -> list[_Admin]:
    if not may_grant(grant.statement, ALL_OF_IAM):
        # grants iam:PassRole or attachments alone, whatever its actions say (RL206), or,
        # under an S3 request key, the S3 actions whose requests carry it (RL203)
        return []
    wide = admin_resources(grant.statement)
    if not wide:
        return []
    found = []
    statement = grant.statement
    excluded = tuple(v.text for v in statement.not_actions if v.text is not None)
    if statement.has_not_action and statement.not_action_ref is not None:
        effect = grant.standing(
            "*",
            wide,
            _every_iam_resource,
            passes=(_grants_all_of_iam,),
            test=grants_all_of_iam,
            excluded=excluded,
        )
        if len(excluded) == len(statement.not_actions) and effect is not None:
            listed = some_of([f"'{e}'" for e in excluded]) or "nothing"
            what = f"every action except {listed} (NotAction), every IAM action among them,"
            found.append(_Admin(statement.not_action_ref, what, "NotAction", wide[0], effect))
    for action in statement.actions:
        text = action.text
        if text is None or not names_all_of_iam(text):
            continue
        effect = grant.standing(
            text, wide, _every_iam_resource, passes=(_grants_all_of_iam,), test=grants_all_of_iam
        )
        if effect is None:
            continue
        everything = is_all_actions(text) and grants_everything(effect)
        what = f"{'every action' if everything else 'every IAM action'} ('{text}')"
        found.append(_Admin(action.ref, what, action.display(), wide[0], effect))
    return found


def all_of_iam_stands(effect: Effect) -> bool:
    """Every IAM action stands, and not only under a permissions boundary's or a Deny's
    condition that leaves the grant fewer actions (:func:`may_grant`: iam:PassRole or the
    attachments alone, or the S3 actions carrying a request key).  RL201 asks it through
    :meth:`_Grant.standing`, the role graph's admin level here: both judge the effect and its
    gates the same way, so that they agree."""
    return grants_all_of_iam(effect) and effect.passes_gates(_grants_all_of_iam)


def _grants_all_of_iam(statement: Statement) -> bool:
    """The gate test of RL201 and the graph's admin level: the statement's conditions leave
    every IAM action (:func:`may_grant`)."""
    return may_grant(statement, ALL_OF_IAM)


def names_all_of_iam(text: str) -> bool:
    """An Action value that names every IAM action: ``*``, ``*:*``, ``iam:*``, ``i*:*``.  Not
    ``iam*`` nor ``*iam*``: a value without a service prefix names no action (IAM refuses it,
    RL605), though as a pattern it would match every IAM action."""
    if not names_actions(text):
        return False
    return is_all_actions(text) or covers(text, "iam:*", case_sensitive=False)


def _is_admin(grant: _Grant) -> bool:
    return bool(_admin_grants(grant))


def _notes(effects: Iterable[Effect]) -> str:
    """The explanations of several effects, as one parenthesis."""
    parts = [part for effect in effects for part in (*effect.limits, *effect.non_limits)]
    return Effect((), tuple(parts)).note()


# --- RL201 ----------------------------------------------------------------------------------------


@check("RL201")
def full_admin_access(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _full_admin_access)


def _full_admin_access(grant: _Grant) -> Iterator[Hit]:
    for admin in _admin_grants(grant):
        yield Hit(
            "RL201",
            f"{grant.subject} allows {admin.what} on "
            f"{resources_named(grant.statement, admin.resource)}: full "
            f"administrator access{admin.effect.note()}",
            admin.at,
            grant.document.resource,
            grant.key(admin.key),
            role=grant.role,
            roles=grant.each_role,
        )


# --- RL202 ----------------------------------------------------------------------------------------


def _wide_piece(piece: Piece) -> str | None:
    """How a message names a piece that spans a whole service or all of them, else None.

    ``lamda:*`` spans no service: its prefix is none of AWS's, so it grants nothing (RL605
    says so), and ``${Svc}:*`` is a placeholder rolelint could not resolve, never judged."""
    if is_all_actions(piece.pattern):
        what = "every action of every service"
    elif is_service_wide(piece.pattern) and _is_service(piece.pattern.partition(":")[0]):
        what = f"every {piece.pattern.partition(':')[0].lower()} action"  # prefixes: any case
    else:
        matched = _services_matching(piece.pattern)
        if not matched:
            return None
        if len(matched) == 1:
            what = f"every {matched[0]} action"
        else:
            prefix = piece.pattern.partition(":")[0].lower()
            what = (
                f"every action of the {len(matched)} services matching '{prefix}' "
                f"({some_of(matched, 4)})"
            )
    return f"{what} except {', '.join(piece.excluded)}" if piece.excluded else what


def _services_matching(pattern: str) -> list[str]:
    """The services of the catalog every action of which a pattern with a wildcard prefix
    grants (``s*:*``: s3, sqs, sns ...; ``*3:*``: s3), in order; none for any other pattern.
    Each such service is granted whole, as ``s3:*`` grants S3."""
    service, _, name = whole_fields(pattern).partition(":")
    if name != "*" or not has_wildcard(service) or "$" in service or "<" in service:
        return []
    from rolelint.iam_actions import services

    return sorted(s for s in services() if covers(service, s, case_sensitive=False))


def _is_service(prefix: str) -> bool:
    """Whether ``prefix`` is an AWS service prefix of the action catalog."""
    from rolelint.iam_actions import is_known_service

    return "$" not in prefix and "<" not in prefix and is_known_service(prefix)


# Services that decide who may do what (identity, organization, keys, secrets, audit): a
# wildcard prefix there grants permission changes nobody reviewed one by one.
SENSITIVE_SERVICES = frozenset(
    {
        "iam",
        "sts",
        "organizations",
        "account",
        "sso",
        "identitystore",
        "kms",
        "secretsmanager",
        "cloudtrail",
    }
)


def _broad_prefix(grant: _Grant, action: Value, resources: Sequence[Value]) -> str | None:
    """How a message names a wildcard prefix (``iam:Put*``) on a sensitive service that grants
    permissions-management actions left after Denies and boundaries, else None.

    ``kms:GenerateDataKey*`` grants only cryptographic operations and stays silent; prefixes
    that RL206 reports as privilege escalation are left to it.
    """
    text = action.text or ""
    parts = split_action(text)
    if parts is None or not has_wildcard(parts[1]) or is_service_wide(text):
        return None
    if has_wildcard(parts[0]) or parts[0].lower() not in SENSITIVE_SERVICES:
        return None
    from rolelint.iam_actions import PERMISSIONS_MANAGEMENT, expand

    effect = _wherever(grant, text, resources)
    if effect is None:
        return None  # as under the statement's own iam:PassedToService or iam:PolicyARN
    granted = [a for a in expand(text) if effect.grants(a.full_name)]
    managing = [a.full_name for a in granted if PERMISSIONS_MANAGEMENT in a.access_levels]
    entry = _Entry(action)
    if not managing or _escalations(grant, entry) or _service_escalations(grant, entry):
        return None
    service = parts[0].lower()
    if len(granted) == 1:  # "1 organizations action, permissions management (...)"
        counted = f"1 {service} action, permissions management"
    else:
        counted = f"{len(granted)} {service} actions, {len(managing)} of them"
        counted += " permissions management"
    return f"'{text}': {counted} ({some_of(managing, 4)}){effect.note()}"


def _wherever(grant: _Grant, action: str, resources: Sequence[Value]) -> Effect | None:
    """What of ``action`` stands on ``resources`` (the grant as written when they are not
    known), or on a narrower resource a boundary or Deny leaves it on: what the action
    pattern still grants matters here, not on what.  None when it stands only under a Deny's
    or the boundary's condition that leaves iam:PassRole or the policy attachments alone
    (grants_few_actions), which RL202 judges as it judges the statement's own: a boundary
    allowing ``"*"`` only where iam:PassedToService is named grants nothing else."""
    if not resources:
        return Effect((Piece(action),))
    # The first effect with something left, gated or not: its gates are judged below.
    standing = grant.standing(action, resources, lambda _: True, passes=())
    effect = standing if standing is not None else grant.effect(action, resources)
    return effect if effect.passes_gates(_grants_more_than_few) else None


def _grants_more_than_few(statement: Statement) -> bool:
    """RL202's gate test: the statement's conditions leave more than the few actions of
    :func:`grants_few_actions`."""
    return not grants_few_actions(statement)


def _judged_on(statement: Statement) -> list[Value]:
    """The resources RL202 judges a grant on, after Denies: its resolved Resource values; when
    none is resolved, those not known (a Deny of "*" covers whatever they turn out to be); for
    NotResource, a "*" standing for every resource but the listed ones, or one not known when
    the list is not known."""
    resolved = [r for r in statement.resources if r.text is not None]
    if resolved or statement.resources:
        return resolved or list(statement.resources)
    every_but = every_resource_but(statement)
    if every_but is not None:
        return [every_but]
    if statement.has_not_resource:
        ref = statement.not_resource_ref or statement.ref
        return [Value(None, ref, "a NotResource list not known")]
    return []


@check("RL202")
def service_wide_wildcard_action(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _service_wide_wildcard_action)


def _service_wide_wildcard_action(grant: _Grant) -> Iterator[Hit]:
    if _is_admin(grant) or grants_few_actions(grant.statement):
        return  # under iam:PassedToService no wildcard grants more than iam:PassRole
    resources = _judged_on(grant.statement)
    for action in grant.statement.actions:
        text = action.text
        if text is None:
            continue
        if _wide_piece(Piece(text)) is None:
            prefix = _broad_prefix(grant, action, resources)
            if prefix is not None:
                yield Hit(
                    "RL202",
                    f"{grant.subject} allows a broad prefix on a sensitive service, {prefix}",
                    action.ref,
                    grant.document.resource,
                    grant.key(action.display()),
                    role=grant.role,
                    roles=grant.each_role,
                )
            continue
        effect = _wherever(grant, text, resources)
        if effect is None:
            continue
        described = [w for w in map(_wide_piece, effect.pieces) if w is not None]
        if not described:
            continue
        yield Hit(
            "RL202",
            f"{grant.subject} allows {'; '.join(described)} ('{text}'){effect.note()}"
            if effect.whole
            else f"{grant.subject} allows '{text}', which still grants "
            f"{'; '.join(described)}{effect.note()}",
            action.ref,
            grant.document.resource,
            grant.key(action.display()),
            role=grant.role,
            roles=grant.each_role,
        )


# --- RL206 ----------------------------------------------------------------------------------------


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


def _unscoped(statement: Statement, unscoped: Callable[[Value], bool]) -> list[Value]:
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


# Condition keys that only iam:PassRole requests carry (AWS's service authorization reference
# lists them for no other action).
_PASS_ROLE_ONLY_KEYS = frozenset({"iam:passedtoservice", "iam:associatedresourcearn"})


def grants_only_pass_role(statement: Statement) -> bool:
    """Whether a mandatory positive test of a key only iam:PassRole requests carry
    (``StringEquals iam:PassedToService``) makes the statement grant nothing else: a request
    for iam:AttachRolePolicy lacks the key, and the test is false without it.  IfExists, Null,
    a negation or ForAllValues passes a request without the key (see operator_problem).

    A condition whose key or operator is not known (``aws:ResourceTag/${var.k}``) may be such
    a test: it counts as one, so nothing is concluded from what the statement may not grant."""
    return has_unresolved_condition(statement) or any(
        condition.key.lower() in _PASS_ROLE_ONLY_KEYS and operator_problem(condition) is None
        for condition in statement.conditions
    )


# The escalation methods whose requests carry iam:PolicyARN, the managed policy attached (AWS's
# service authorization reference lists the key for these and the Detach actions alone).
ATTACH_METHODS = ("iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy")
_POLICY_ARN = "iam:PolicyARN"
# The permissions boundary of the role or user a request acts on (the one it sets, for
# CreateRole, CreateUser and Put...PermissionsBoundary): AWS's way of delegating IAM safely
# (IAM User Guide, "Permissions boundaries for IAM entities").  Only the requests the AWS
# action catalog lists it for carry it.
_PERMISSIONS_BOUNDARY = "iam:PermissionsBoundary"
# The escalation methods that set the boundary the key names, rather than act on a holder
# that has it; and those that remove it, which lift whatever boundary it names.
_SETS_BOUNDARY = ("iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")
_REMOVES_BOUNDARY = ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")


@dataclass(frozen=True, slots=True)
class PolicyLimit:
    """What a mandatory positive ``iam:PolicyARN`` test lets a statement attach: ``values``, of
    which ``admin`` name AWS managed policies with administrator-level access and ``open``
    are not known or patterns over policy names (either may be any policy)."""

    values: tuple[Value, ...]
    admin: tuple[str, ...]
    open: tuple[Value, ...]
    key: str = _POLICY_ARN  # or iam:PermissionsBoundary: the boundaries a test admits

    @property
    def harmless(self) -> bool:
        """Every policy it admits is known by name and none is known to be administrator-level
        (a customer managed policy's document is not known: it counts as no escalation)."""
        return not self.admin and not self.open

    def describe(self) -> str:
        """``the managed policies its iam:PolicyARN condition admits ('arn:...')``; for
        iam:PermissionsBoundary, ``its iam:PermissionsBoundary condition admits (...)``."""
        # A policy whose name CloudFormation generates, named by reference: its ARN holds a
        # stand-in no user can find, said in words.
        listed = some_of(
            [f"'{GENERATED_NAME.sub(generated_in_words, v.display())}'" for v in self.values]
        )
        what = f"its {self.key} condition admits ({listed}"
        if self.key == _POLICY_ARN:
            what = "the managed policies " + what
        if self.admin:
            what += f"; {some_of(list(self.admin))} with administrator-level access"
        return what + ")"


def policy_limit(
    statement: Statement, scanned: ScannedPolicies | None = None
) -> PolicyLimit | None:
    """What the statement's mandatory positive ``iam:PolicyARN`` tests let it attach: the one
    that admits only harmless policies if any does (each test must hold); None without one.
    IfExists, Null, a negation or ForAllValues pass other policies (see operator_problem)."""
    return _limit_of(statement, _POLICY_ARN, scanned)


def boundary_limit(
    statement: Statement, scanned: ScannedPolicies | None = None
) -> PolicyLimit | None:
    """What the statement's mandatory positive ``iam:PermissionsBoundary`` tests admit as the
    permissions boundary of the role or user a request acts on (or sets), judged as
    :func:`policy_limit` judges the policies a test of iam:PolicyARN admits; None without
    one."""
    return _limit_of(statement, _PERMISSIONS_BOUNDARY, scanned)


def _limit_of(
    statement: Statement, key: str, scanned: ScannedPolicies | None
) -> PolicyLimit | None:
    """What the statement's mandatory positive tests of ``key`` (a policy ARN) admit: the one
    that admits only harmless policies if any does (each test must hold); None without one."""
    limits = [
        replace(_policy_limit(condition.values, scanned), key=key)
        for condition in _positive_tests(statement, key)
    ]
    return next((limit for limit in limits if limit.harmless), limits[0] if limits else None)


def _positive_tests(statement: Statement, key: str) -> Iterator[Condition]:
    """The statement's mandatory positive tests of ``key`` with values: each admits only what
    it names (IfExists, Null, a negation or ForAllValues admit more, see operator_problem).
    :func:`_limit_of` judges what they admit; :func:`_tests_key` asks only whether there is
    one, without judging it."""
    return (
        condition
        for condition in find_conditions(statement, (key,))
        if operator_problem(condition) is None and condition.values
    )


def _policy_limit(values: tuple[Value, ...], scanned: ScannedPolicies | None) -> PolicyLimit:
    """What ``values`` admit: AWS managed policies by the shipped catalog, customer managed
    ones by their documents when the scan holds them (``scanned``)."""
    from rolelint.managed_policies import shipped_name

    admin: list[str] = []
    open_: list[Value] = []
    for value in values:
        arn = parse_arn(value.text) if value.text is not None else None
        if arn is None or has_wildcard(arn.resource):
            open_.append(value)  # not known, or a pattern over names: any policy, perhaps
            continue
        if covers(arn.account, "aws", case_sensitive=True):
            name = shipped_name(arn.resource)  # at the policy's own path only
            if name is not None and _managed_admin_level(name):
                admin.append(name)
        if scanned is not None:
            admin.extend(scanned.admin_level(arn))
    return PolicyLimit(values, tuple(dict.fromkeys(admin)), tuple(open_))


@dataclass(slots=True)
class ScannedPolicies:
    """The customer managed policies of the scan whose ARN is known, by the resource of that
    ARN (``policy/path/name``): a condition naming one (iam:PolicyARN, iam:PermissionsBoundary)
    admits a document rolelint can judge, as it judges AWS managed ones; any other customer
    managed policy's is not known."""

    by_resource: dict[str, list[tuple[Arn, PolicyDocument]]]
    judged: dict[int, bool] = field(default_factory=dict)

    def admin_level(self, named: Arn) -> list[str]:
        """The origins of the policies ``named`` names (its resource written out; in any
        partition, and in each account an account pattern such as ``*`` admits) that grant
        what RL201 or RL206 report.  A policy of another account, or of one not known to be
        the same, is not named."""
        return [
            document.origin
            for arn, document in self.by_resource.get(named.resource, ())
            if covers(named.account, arn.account, case_sensitive=True) and self._judge(document)
        ]

    def _judge(self, document: PolicyDocument) -> bool:
        if id(document) not in self.judged:
            self.judged[id(document)] = _admin_level(document)
        return self.judged[id(document)]


@once_per_inventory
def scanned_policies(inventory: Inventory) -> ScannedPolicies:
    """The :class:`ScannedPolicies` of ``inventory``."""
    by_resource: dict[str, list[tuple[Arn, PolicyDocument]]] = {}
    for document, _ in inventory.permission_policies():
        arn = parse_arn(document.arn) if document.arn is not None else None
        if arn is not None and not document.aws_managed:
            by_resource.setdefault(arn.resource, []).append((arn, document))
    return ScannedPolicies(by_resource)


@functools.cache
def _managed_admin_level(name: str) -> bool:
    """Whether the AWS managed policy ``name`` (from the shipped catalog) grants what RL201 or
    RL206 report: every IAM action, or a privilege escalation, on every resource.  A policy the
    catalog does not hold is not known: False."""
    from rolelint.managed_policies import arn_of, document_for
    from rolelint.model import ManagedPolicyRef
    from rolelint.source import Span

    at = SourceRef("<AWS managed policy catalog>", Span.point(1, 1))
    arn = Value(arn_of(name, "aws") or "", at)
    document = document_for(ManagedPolicyRef(arn), name, "policy")
    return document is not None and _admin_level(document)


def _admin_level(document: PolicyDocument) -> bool:
    """Whether ``document``, held by no one, grants every IAM action or a privilege
    escalation on every resource.  What a condition in it names is judged without the scan's
    policies (no policy's judgment waits on another's)."""
    grants = [_Grant(document, s, ()) for s in document.statements if s.is_allow]
    return any(
        _is_admin(grant)
        or any(_escalations(grant, e) or _service_escalations(grant, e) for e in _entries(s))
        for grant, s in ((g, g.statement) for g in grants)
    )


def grants_only_attachments(statement: Statement) -> bool:
    """Whether a mandatory positive ``iam:PolicyARN`` test makes the statement grant nothing
    but the six actions whose requests carry the key (iam:Attach/DetachUserPolicy,
    ...GroupPolicy, ...RolePolicy, by the AWS action catalog): for any other action the key is
    absent and the test false, so ``iam:*`` under it is no administrator."""
    return _tests_key(statement, _POLICY_ARN)


def _tests_key(statement: Statement, key: str) -> bool:
    """Whether the statement has a mandatory positive test of ``key`` with values: what
    :func:`policy_limit` and :func:`boundary_limit` judge, asked without judging it."""
    return next(_positive_tests(statement, key), None) is not None


def grants_few_actions(statement: Statement) -> bool:
    """Whether a mandatory positive test of a key only a few actions carry makes the statement
    grant those alone, whatever its actions say: iam:PassRole (grants_only_pass_role), the
    policy attachments (grants_only_attachments) or the IAM actions on a role or user with a
    given permissions boundary (:func:`boundary_limit`).  RL206 judges what is left."""
    return (
        grants_only_pass_role(statement)
        or grants_only_attachments(statement)
        or _tests_key(statement, _PERMISSIONS_BOUNDARY)
    )


def may_grant(statement: Statement, action: str) -> bool:
    """Whether ``action`` is one the statement's mandatory tests of keys only some actions
    carry leave it: those of keys only a few actions carry (grants_few_actions) and of S3
    request keys (:func:`_request_keys`).  An action whose requests carry every such key, by
    the AWS action catalog (``ec2:RunInstances`` under ``StringEquals iam:PassedToService`` is
    not: its requests lack the key, and the test is false; nor is iam:PassRole under
    ``s3:TlsVersion``).  A pattern is left only when every action it names is (``iam:*``:
    every IAM action, :data:`ALL_OF_IAM`).  True without such a test; False under a condition
    whose key or operator is not known, which may be one."""
    if not statement.conditions:
        return True
    if has_unresolved_condition(statement):
        return False
    if any(not _carries(action, key) for key in _request_keys(statement)):
        return False
    if grants_only_pass_role(statement) and not _carries(action, *_PASS_ROLE_ONLY_KEYS):
        return False
    if _tests_key(statement, _PERMISSIONS_BOUNDARY) and not _carries(action, _PERMISSIONS_BOUNDARY):
        return False
    return not grants_only_attachments(statement) or _carries(action, _POLICY_ARN)


@functools.lru_cache(maxsize=4096)
def _carries(action: str, *keys: str) -> bool:
    """Whether requests for ``action`` carry one of ``keys``, by the AWS action catalog; for a
    pattern, those of every action it names (none for a pattern the catalog does not know).
    Cached: the checks ask it of the same few actions for every statement with a condition."""
    from rolelint.iam_actions import expand, lookup

    wanted = {key.lower() for key in keys}
    found = expand(action) if has_wildcard(action) else (lookup(action),)
    return bool(found) and all(
        a is not None and not wanted.isdisjoint(a.condition_keys) for a in found
    )


def _request_keys(statement: Statement) -> tuple[str, ...]:
    """The S3 request keys (:func:`_on_request_key`) a request must carry to pass the
    statement's conditions, as :func:`limited` judges them: those its conditions require
    (:func:`_requires_key`)."""
    return tuple(
        dict.fromkeys(
            condition.key.lower()
            for condition in statement.conditions
            if _on_request_key(condition) and _requires_key(condition)
        )
    )


def _on_request_key(condition: Condition) -> bool:
    """Whether ``condition`` tests an S3 request key (:data:`_REQUEST_KEYS`): one only the
    requests of some actions carry (:func:`_carries`; no IAM request does), so that what it
    limits depends on the action asked about (:func:`may_grant`, :func:`limited`)."""
    return condition.key.lower() in _REQUEST_KEYS


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
    if not _carries(method, _PERMISSIONS_BOUNDARY):
        return True
    return limit.harmless and method not in _REMOVES_BOUNDARY


def _described(grant: _Grant, method: str, *, itself: bool = False) -> str:
    """What ``method`` lets the holder do, for a message: to any role, user, group or policy
    (``"pass any role to a service ..."``), or to itself (:data:`_ON_ITSELF`); under the
    statement's iam:PolicyARN test, an attach method attaches the policies it admits, and under
    its iam:PermissionsBoundary test, an IAM method acts where the boundaries it admits are
    (:func:`_bounded`).  RL206 words both kinds of finding with it."""
    if itself:
        described = _ON_ITSELF[method]
    elif method in ESCALATIONS:
        described = ESCALATIONS[method][1]
    else:
        described = SERVICE_ESCALATIONS[method]
    limit = policy_limit(grant.statement, grant.scanned)
    if limit is not None and method in ATTACH_METHODS:  # the policies iam:PolicyARN admits
        if itself:
            described = f"attach itself {limit.describe()}"
        else:
            described = f"attach {limit.describe()} to a {ESCALATIONS[method][0]}"
    bounded = boundary_limit(grant.statement, grant.scanned)
    if bounded is not None and method in ESCALATIONS:  # roles and users with those boundaries
        described = _bounded(method, described, bounded, itself=itself)
    return described


def _bounded(method: str, described: str, limit: PolicyLimit, *, itself: bool) -> str:
    """How a message says what ``method`` does under an iam:PermissionsBoundary test, to any
    role or user or (``itself``) to the holder itself."""
    kind = ESCALATIONS[method][0]
    if method in _SETS_BOUNDARY:
        if itself:
            return f"replace its own permissions boundary with one {limit.describe()}"
        return (
            f"set as the permissions boundary of any {kind}, its own included, one "
            f"{limit.describe()}"
        )
    if method in _REMOVES_BOUNDARY:
        if itself:
            return f"{described}, when its permissions boundary is one {limit.describe()}"
        return (
            f"remove the permissions boundary of any {kind} whose boundary {limit.describe()}, "
            f"its own included, and act with all that {kind}'s policies allow"
        )
    if itself:
        return f"{described} while its permissions boundary is one {limit.describe()}"
    # "attach any managed policy to a role", "rewrite who may assume a role" ...
    return f"{described} whose permissions boundary {limit.describe()}"


def _granting(
    entry: _Entry, places: Sequence[tuple[str, Sequence[tuple[str, str]]]], who: str
) -> str:
    """What ``entry`` grants, as an RL206 message says it: each place (as a message names it)
    with the methods it grants there, each with what it lets ``who`` do (:func:`_described`,
    and for a holder writing itself a policy under its boundary :func:`_capped`, which may
    differ by place for the same method).  ``M on WHERE, which lets WHO ...`` for an entry
    that is exactly the one method; else ``ENTRY on WHERE, which grants M1 (...) and M2
    (...)``, or with several places ``ENTRY, which grants M1 (...) on WHERE1; and M2 (...) on
    WHERE2``."""
    methods = [method for _, granted in places for method in granted]
    if len(methods) == 1 and entry.is_exactly(methods[0][0]):
        method, said = methods[0]
        return f"{method} on {places[0][0]}, which lets {who} {said}"
    listed = [
        (where, " and ".join(f"{m} ({said})" for m, said in granted)) for where, granted in places
    ]
    if len(listed) == 1:
        where, each = listed[0]
        return f"{entry.quoted} on {where}, which grants {each}"
    each = "; and ".join(f"{granted} on {where}" for where, granted in listed)
    return f"{entry.quoted}, which grants {each}"


def _escalation_message(grant: _Grant, what: str, effects: Iterable[Effect]) -> str:
    """An RL206 message: ``SUBJECT allows WHAT: privilege escalation``, with the notes of what
    the holders' Denies and boundaries did to it."""
    return f"{grant.subject} allows {what}: privilege escalation{_notes(effects)}"


def _escalations(grant: _Grant, entry: _Entry) -> list[tuple[str, Value, Effect]]:
    """The escalation actions ``entry`` grants on an unscoped resource no Deny removes, each
    with that resource and what is left of it (on the unscoped part a boundary or Deny
    leaves, if that is all)."""
    found = []
    for method in entry.granted_among(_ESCALATION_METHODS):
        if not _escalates(grant.statement, method, grant.scanned):
            continue  # under iam:PassedToService iam:PassRole alone, under s3:TlsVersion none ...
        unscoped = functools.partial(unscoped_for, kind=ESCALATIONS[method][0])
        resources = _unscoped(grant.statement, unscoped)
        escalates = functools.partial(_escalates_under, method=method, scanned=grant.scanned)
        effect = (
            grant.standing(method, resources, unscoped, passes=(escalates,)) if resources else None
        )
        if effect is not None:
            found.append((method, resources[0], effect))
    return found


def _escalates(statement: Statement, method: str, scanned: ScannedPolicies | None = None) -> bool:
    """Whether ``method`` is still an escalation under the statement's conditions: a statement
    under iam:PassedToService grants iam:PassRole alone, one under iam:PolicyARN attaches the
    policies it names alone, one under iam:PermissionsBoundary acts only on roles and users
    that boundary caps (a boundary allowing iam:AttachRolePolicy only for AWS managed
    policies that are no administrator's attaches nothing worse).  The policies a condition
    names are judged with the scan's (``scanned``): a customer managed admin policy of the
    scan is no harmless one.  RL206 asks it of the grant's own statement
    (:func:`_escalations`) and, with one difference, of its gates (:func:`_escalates_under`)."""
    return may_grant(statement, method) and not (
        attaches_nothing_admin(statement, method, scanned)
        or bounds_nothing_admin(statement, method, scanned)
    )


def _escalates_under(
    statement: Statement, method: str, scanned: ScannedPolicies | None = None
) -> bool:
    """RL206's gate test: :func:`_escalates`, and iam:PassRole under a mandatory positive test
    of the resource's tags passes only the roles so tagged, so no escalation.  The grant's own
    statement is not asked the second: its tagged iam:PassRole is still reported beside what
    else it grants (:func:`_privilege_escalation`), while a gate lets only those roles
    through."""
    if method == PASS_ROLE and tagged_only(statement):
        return False
    return _escalates(statement, method, scanned)


# What each method lets a holder do to itself when its resource names the holder's own ARN (for
# the policy-version methods, the ARN of a customer managed policy the holder holds): the same
# escalation as on every role, user or policy, on the one that matters; for the group methods,
# the ARN of a group the holder (a user) is certainly in, whose policies it holds.
# iam:CreateAccessKey and iam:CreateLoginProfile on itself give the holder nothing it has not;
# iam:UpdateAssumeRolePolicy on itself changes who may assume it, not what it may do.
_ON_ITSELF: dict[str, str] = {
    "iam:CreatePolicyVersion": "rewrite that policy to allow it anything",
    "iam:SetDefaultPolicyVersion": "switch that policy to a more permissive version",
    "iam:AttachUserPolicy": "attach itself any managed policy",
    "iam:AttachGroupPolicy": "attach itself any managed policy",
    "iam:AttachRolePolicy": "attach itself any managed policy",
    "iam:PutUserPolicy": "write itself any policy",
    "iam:PutGroupPolicy": "write itself any policy",
    "iam:PutRolePolicy": "write itself any policy",
    "iam:DeleteRolePermissionsBoundary": (
        "remove its own permissions boundary and act with all its policies allow"
    ),
    "iam:PutRolePermissionsBoundary": (
        "replace its own permissions boundary with one that allows more"
    ),
    "iam:DeleteUserPermissionsBoundary": (
        "remove its own permissions boundary and act with all its policies allow"
    ),
    "iam:PutUserPermissionsBoundary": (
        "replace its own permissions boundary with one that allows more"
    ),
}
_ON_ITSELF_METHODS = tuple(method for method in ESCALATIONS if method in _ON_ITSELF)


@dataclass(frozen=True, slots=True)
class _OnItself:
    """An escalation method an Allow grants on its holders themselves (:data:`_ON_ITSELF`)."""

    method: str
    resource: Value  # the statement's resource that names them
    owns: tuple[str, ...]  # the holders' own ARNs (or their policies') that it names
    holders: tuple[Role, ...]  # the holders it names so
    effect: Effect
    # For writing itself a policy under a permissions boundary every deployment has: what
    # that boundary lets it write, in words (:func:`_gains_by_itself`); empty without one.
    capped: str = ""
    # Every one of them holds the policy only through a group it is in (_Grant.members).
    members: bool = False


def _own_arns(holder: Role, kind: str) -> list[str]:
    """The resolved ARNs of ``holder`` itself when it is a ``kind`` (role or user: its ARN in
    every deployment); for ``group``, those of the groups it is certainly in (Role.group_arns);
    for ``policy``, those of the customer managed policies it holds: the documents it holds by
    a known ARN and those attached by ARN whose text the scan does not hold (AWS managed
    policies, in account ``aws``, no one can rewrite)."""
    if kind == "group":
        arns = [group.text for group in holder.group_arns]
    elif kind == "policy":
        arns = [
            document.arn
            for document in holder.policies
            if document.kind is PolicyKind.PERMISSIONS
            and document.managed
            and not document.aws_managed
        ]
        arns += [ref.arn.text for ref in holder.managed_policy_arns if not ref.inline]
    else:
        arns = [holder.arn.text, *(other.text for other in holder.other_arns)]
    found: list[str] = []
    for text in arns:
        arn = parse_arn(text) if text is not None else None
        if (
            text is not None
            and arn is not None
            and arn.service == "iam"
            and arn.account != "aws"
            and arn.resource.startswith(f"{kind}/")
        ):
            found.append(text)
    return list(dict.fromkeys(found))


def _on_itself(grant: _Grant, entry: _Entry) -> list[_OnItself]:
    """The escalation methods ``entry`` grants on the holders themselves (their own ARN, a
    pattern naming it, a customer managed policy they hold) that no Deny or boundary of theirs
    takes away, each with the first resource that names each holder (as a grant of
    sts:AssumeRole names the role it chains to: stand_ins.arn_matches; a user reads
    ``${aws:username}`` as its own name, :func:`_as_requested_by`).  A NotResource grant is
    judged as every resource but the listed ones (:func:`_escalations`): what it leaves out of
    every role, user or policy it leaves out of the holder's too.  A resource or holder ARN not
    known names nothing.  A group's policy is judged for the users certainly in the group too
    (:attr:`_Grant.members`): a group makes no request, its members do."""
    statement = grant.statement
    acting = grant.acting
    if statement.has_not_resource or not acting:
        return []
    direct = {id(holder) for holder in grant.holders}
    found: list[_OnItself] = []
    owned: dict[str, list[tuple[Role, str]]] = {}  # by kind: each holder's own ARNs, once
    # What each holder gains by each method, once: under a boundary it is a judgement of the
    # whole boundary (_boundary_gives), the same for every resource and ARN that names it.
    gains: dict[tuple[int, str], str | None] = {}
    for method in entry.granted_among(_ON_ITSELF_METHODS):
        if not _escalates(statement, method, grant.scanned):
            continue
        kind = ESCALATIONS[method][0]
        if kind not in owned:
            owned[kind] = [(h, own) for h in acting for own in _own_arns(h, kind)]
        escalates = functools.partial(_escalates_under, method=method, scanned=grant.scanned)
        covered: set[int] = set()  # the holders a resource already names for the method
        for resource in statement.resources:
            text = resource.text
            if text is None:
                continue
            # The holders it names, by what they gain and by the text each reads (a user its
            # own name for ${aws:username}): each reading is judged as written so.
            named: dict[tuple[str, str], list[tuple[Role, str]]] = {}
            for holder, own in owned[kind]:
                read = _as_requested_by(text, own)
                if id(holder) in covered or not arn_matches(read, own):
                    continue
                if (id(holder), method) not in gains:
                    gains[id(holder), method] = _gains_by_itself(grant, holder, method)
                capped = gains[id(holder), method]
                if capped is not None:
                    named.setdefault((capped, read), []).append((holder, own))
            standing: dict[str, list[tuple[list[tuple[Role, str]], Effect]]] = {}
            for (capped, read), those in named.items():
                on = resource if read == text else replace(resource, text=read)
                effect = _standing_on_itself(grant, method, on, those, escalates)
                if effect is not None:
                    standing.setdefault(capped, []).append((those, effect))
            for capped, kept in standing.items():
                pairs = [pair for those, _ in kept for pair in those]
                holders = once_each(holder for holder, _ in pairs)
                owns = tuple(dict.fromkeys(own for _, own in pairs))
                members = not any(id(holder) in direct for holder in holders)
                found.append(
                    _OnItself(method, resource, owns, holders, kept[0][1], capped, members=members)
                )
                covered.update(id(holder) for holder in holders)
    return found


def _standing_on_itself(
    grant: _Grant,
    method: str,
    resource: Value,
    named: list[tuple[Role, str]],
    escalates: Callable[[Statement], bool],
) -> Effect | None:
    """What of ``method`` on ``resource`` stands for the holders it names (each with its own
    ARN that it names), judged as if they held the grant alone."""
    holders = once_each(holder for holder, _ in named)
    owns = tuple(dict.fromkeys(own for _, own in named))

    def still_names(where: Value) -> bool:
        return where.text is not None and any(
            arn_matches(_as_requested_by(where.text, own), own) for own in owns
        )

    return grant.held_by(holders, worded=grant.worded).standing(
        method, [resource], still_names, passes=(escalates,)
    )


# ${aws:username}, the policy variable IAM replaces by the friendly name of the IAM user making
# the request (IAM User Guide, "IAM policy elements: Variables and tags"); a role's session,
# a federated user or the root user has no such key, and the variable then names nothing.
_USERNAME_VARIABLE = re.compile(r"\$\{aws:username\}", re.IGNORECASE)


def _as_requested_by(pattern: str, own: str) -> str:
    """``pattern`` as IAM reads it in a request of the holder whose own ARN is ``own``: for a
    user (``...:user/path/name``), ``${aws:username}`` is its name, so that
    ``user/${aws:username}``, AWS's pattern for "manage your own user" in a policy every user
    holds, names each user holding it.  Other variables (``${aws:userid}``, a unique id;
    ``${aws:PrincipalTag/...}``) hold values the files do not say: they stay as written and
    name no holder."""
    arn = parse_arn(own)
    if arn is None or not arn.resource.startswith("user/") or "${" not in pattern:
        return pattern
    return _USERNAME_VARIABLE.sub(lambda _: _user_name(own), pattern)


def _user_name(own: str) -> str:
    """The name of the user whose ARN is ``own``: what follows its path, or the stand-in of a
    name AWS generates (which may hold a ``/`` of its file's)."""
    rest = UNRESOLVED_PATH.sub("", own)
    generated = GENERATED_NAME.search(rest)
    if generated is not None and generated.end() == len(rest):
        return generated.group()
    return rest.rsplit("/", 1)[-1]


def _gains_by_itself(grant: _Grant, holder: Role, method: str) -> str | None:
    """Whether ``method`` on ``holder`` itself can give it more than it has; None when not.

    Removing or replacing its permissions boundary only when it has one (with none, nothing
    is lifted, and a new one only takes away).  Writing itself a policy (or a version of one
    it holds) gives it whatever its permissions boundary allows: everything without one (a
    boundary some deployments leave out, or one rolelint cannot read, which the finding says
    may limit it); with one every deployment has, only when what that boundary allows is more
    than a cap (:func:`_boundary_gives`), said in words for the finding; and nothing when the
    document judged is that boundary itself (what the holder writes is then no more than it).
    Empty when nothing is to be said."""
    if method in _SETS_BOUNDARY or method in _REMOVES_BOUNDARY:
        return "" if holder.permissions_boundary is not None else None
    if grant.document.kind is PolicyKind.BOUNDARY:
        return None
    said = []
    for boundary in holder.policies:
        if boundary.kind is not PolicyKind.BOUNDARY or boundary.optional:
            continue
        gives = _boundary_gives(grant, holder, boundary)
        if gives is None:
            return None  # it caps whatever the holder writes itself
        said.append(f"{boundary.origin} allows ({gives})")
    return "; ".join(said)


def _boundary_gives(grant: _Grant, holder: Role, boundary: PolicyDocument) -> str | None:
    """What ``holder`` gets by writing itself any policy under its permissions boundary
    ``boundary``: what the boundary allows, judged as RL201 and this rule judge a policy the
    holder held (the boundary's own Denies and the holder's apply), in words:
    ``administrator access``, ``every action except ...``, or the first escalation method it
    allows (``iam:DeleteRolePermissionsBoundary, which lifts it``).  None when it allows
    neither (``s3:*`` and ``logs:*``): the boundary caps what the holder writes itself."""
    alone = grant.held_by((holder,), worded=False)
    for statement in boundary.statements:
        if not statement.is_allow or statement.names_no_resource:
            continue
        judged = replace(alone, document=boundary, statement=statement)
        if _is_admin(judged):
            return "administrator access"
        tagged = tagged_only(statement)  # such roles, functions or instances only
        found: list[tuple[_Entry, str]] = []
        for entry in _entries(statement):
            granted = _escalations(judged, entry) + _service_escalations(judged, entry)
            found += [
                (entry, method)
                for method, _, _ in granted
                if not (tagged and (method == PASS_ROLE or method in SERVICE_ESCALATIONS))
            ]
            found += [(entry, item.method) for item in _on_itself(judged, entry)]
        if found:
            return _boundary_given(judged, found)
    return None


def _boundary_given(judged: _Grant, found: list[tuple[_Entry, str]]) -> str:
    """How a finding says what a boundary statement lets its holder write itself, of the
    escalation methods its entries grant (``found``): every action but those taken away (a
    NotAction, or ``*`` under a Deny of a few), else removing or replacing a boundary (its own
    among them), which lifts it, else the first method."""
    for entry, _ in found:
        text = entry.value.text
        if entry.statement is not None:
            return entry.quoted
        if text is not None and is_all_actions(text):
            effect = judged.effect(text, judged.statement.resources)
            removed = sorted({gone for piece in effect.pieces for gone in piece.excluded})
            if removed:
                return f"every action except {some_of(removed)}"
    methods = [method for _, method in found]
    lifting = [m for m in methods if m in _REMOVES_BOUNDARY + _SETS_BOUNDARY]
    if lifting:
        verb = "lifts" if lifting[0] in _REMOVES_BOUNDARY else "replaces"
        return f"{lifting[0]}, which {verb} it"
    return methods[0]


def _itself_named(item: _OnItself) -> str:
    """How a message names what a method acts on: ``its own role 'arn:...'``, ``its group
    'arn:...'`` (one its holder is in), ``its member's own user 'arn:...'`` (of a group's
    policy), or the pattern with the holder's own ARN among what it names."""
    kind = ESCALATIONS[item.method][0]
    several = len(item.owns) > 1
    if kind == "policy":
        what = "the managed policies it holds" if several else "the managed policy it holds"
    elif kind == "group":
        what = "its groups" if several else "its group"
    elif item.members:
        what = f"its members' own {kind}s" if several else f"its member's own {kind}"
    else:
        what = f"its holders' own {kind}s" if several else f"its own {kind}"
    listed = some_of([f"'{GENERATED_NAME.sub(generated_in_words, own)}'" for own in item.owns])
    if not several and item.resource.text == item.owns[0]:
        return f"{what} {listed}"
    return f"'{item.resource.display()}' ({what} {listed} among them)"


def _capped(item: _OnItself, described: str) -> str:
    """``described`` (what the method lets the holder do to itself), saying what its
    permissions boundary lets it write itself when it has one (:attr:`_OnItself.capped`):
    ``write itself any policy that permissions boundary B of role R allows (administrator
    access)``."""
    if not item.capped:
        return described
    if described == _ON_ITSELF[item.method] and item.method in _WRITES_ANY:
        return f"{described} that {item.capped}"
    return f"{described}, up to what {item.capped}"


# The methods on itself whose words end with what it writes (:data:`_ON_ITSELF`), which what
# its boundary allows qualifies: "write itself any policy that ... allows".
_WRITES_ANY = (
    "iam:CreatePolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
)


def _itself_hit(grant: _Grant, entry: _Entry, found: list[_OnItself]) -> Hit:
    """RL206 on what ``entry`` lets its holders do to themselves, naming those holders only:
    another holder of the policy may change their permissions, not its own."""
    holders = once_each(h for item in found for h in item.holders)
    # The methods by what they act on, in order: a resource naming the role, one naming a
    # policy it holds ...
    acting: dict[tuple[int, tuple[str, ...]], list[_OnItself]] = {}
    for item in found:
        acting.setdefault((id(item.resource), item.owns), []).append(item)
    places = [
        (
            _itself_named(items[0]),
            [(i.method, _capped(i, _described(grant, i.method, itself=True))) for i in items],
        )
        for items in acting.values()
    ]
    what = _granting(entry, places, "it")
    named = grant.held_by(holders)
    what += _own_boundary_lifted(named, [item.method for item in found])
    return Hit(
        "RL206",
        _escalation_message(grant, what, (item.effect for item in found)),
        entry.ref,
        grant.document.resource,
        grant.key(entry.key, "itself"),
        role=named.role,
        roles=named.each_role,
    )


def _gate_services(found: Sequence[tuple[str, Value, Effect]]) -> list[Value]:
    """The services iam:PassRole is limited to by the conditions of a permissions boundary it
    passes through alone, as by its own iam:PassedToService (:func:`_passed_to_services`): of
    the first group every statement of which names some, all they name; empty when none."""
    for method, _, effect in found:
        if method != PASS_ROLE:
            continue
        for group in effect.gates:
            named = [_passed_to_services(statement) for statement in group]
            if all(named):
                unique = {v.text: v for services in named for v in services}
                return sorted(unique.values(), key=lambda v: (v.text is None, v.text or ""))
    return []


@dataclass(frozen=True, slots=True)
class IamEscalation:
    """A privilege escalation through IAM that an Allow statement grants, as RL206 finds it."""

    action: str | None  # the Action value granting it; None for a NotAction
    method: str  # the escalation action (iam:PassRole ...)
    # The resource naming every role, user or group it acts on, or the holder itself (its own
    # ARN, a managed policy it holds).
    resource: Value


def iam_escalation(
    document: PolicyDocument,
    statement: Statement,
    holders: tuple[Role, ...],
    scanned: ScannedPolicies | None = None,
) -> IamEscalation | None:
    """The first IAM privilege escalation the Allow ``statement`` of ``document`` grants
    ``holders``, judged as RL206 judges it; None when there is none.

    The role graph calls such a holder administrator-level, so it must agree with RL206 on
    what is one: every role of the account (``role/*``) is enough, and so is what a
    permissions boundary or a Deny of all but a few resources leaves standing, and so is a
    method on the holder itself (:func:`_on_itself`: iam:PutRolePolicy on its own ARN).
    iam:PassRole limited to roles with given tags passes only those, and is none.
    """
    grant = _Grant(document, statement, holders, scanned=scanned)
    tagged = tagged_only(statement)
    for entry in _entries(statement):
        action = None if entry.statement is not None else entry.value.text
        for method, resource, _ in _escalations(grant, entry):
            if tagged and method == PASS_ROLE:
                continue
            return IamEscalation(action, method, resource)
        for item in _on_itself(grant, entry):
            return IamEscalation(action, item.method, item.resource)
    return None


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


def _runs_any_command(grant: _Grant) -> bool:
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
        for holder, documents in _holder_documents(grant)
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
                grant = _Grant(document, statement, roles)
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


def _service_escalations(grant: _Grant, entry: _Entry) -> list[tuple[str, Value, Effect]]:
    found = []
    for method in entry.granted_among(_SERVICE_ESCALATION_METHODS):
        if not may_grant(grant.statement, method):
            continue  # under iam:PassedToService or s3:TlsVersion its requests fail the test
        every_of_kind = functools.partial(_every_of_kind, action=method)
        resources = _unscoped(grant.statement, every_of_kind)
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


def _holder_documents(grant: _Grant) -> list[tuple[tuple[Role, ...], list[PolicyDocument]]]:
    """Each holder of the grant with its permission documents (no holder and the document
    alone when it has none): a holder's Allow is judged against that holder's Denies only."""
    if not grant.holders:
        return [((), [grant.document])]
    return [
        ((h,), [d for d in h.policies if d.kind is PolicyKind.PERMISSIONS]) for h in grant.holders
    ]


def _applies_to(resource: Value, action: str) -> bool:
    """A resolved resource the action can act on: every resource, or one of its own service
    (NotAction on an S3 bucket grants ec2:RunInstances on nothing)."""
    text = resource.text
    if text is None:
        return False
    if is_any_resource(text):
        return True
    arn = parse_arn(text)
    return arn is not None and covers(arn.service, action.partition(":")[0], case_sensitive=False)


def _allowed_somewhere(
    documents: list[PolicyDocument], action: str, roles: tuple[Role, ...]
) -> str | None:
    """Where ``action`` is allowed on a resolved resource, not denied: "origin (line N)".
    Not where a Deny's or the boundary's condition (:attr:`Effect.gates`) lets through only
    actions it is not among, as the statement's own would (:func:`may_grant`): a Deny of
    everything unless iam:PassedToService is ec2.amazonaws.com refuses every ec2:RunInstances
    request, whose requests lack the key."""
    for document in documents:
        for statement in document.statements:
            if (
                not statement.is_allow
                or not statement_grants(statement, action)
                or not may_grant(statement, action)  # iam:PassedToService: iam:PassRole alone
            ):
                continue
            resources = [r for r in statement.resources if _applies_to(r, action)]
            if not resources:
                continue
            effect = _Grant(document, statement, roles).effect(action, resources)
            if effect.removed or not effect.passes_gates(
                functools.partial(may_grant, action=action)
            ):
                continue
            where = next(
                (a.ref for a in statement.actions if action_grants(a, action)),
                statement.not_action_ref or statement.ref,  # NotAction: what lets it through
            )
            return f"{action} in {document.origin} (line {where.line})"
    return None


def _pass_role_methods(grant: _Grant, services: Sequence[str]) -> list[tuple[str, str]]:
    """The named PassRole methods every holder of the grant can complete, across its policies,
    each with where the first holder is allowed its other actions.

    ``services`` is what ``iam:PassedToService`` admits (empty: any service); a method passing the
    role to another service cannot be completed with this grant.
    """
    enabled: list[tuple[str, str]] = []
    for method, needed in PASS_ROLE_METHODS.items():
        if services and not any(
            covers(s, PASS_ROLE_SERVICE[method], case_sensitive=False) for s in services
        ):
            continue
        per_holder = []
        for holder, documents in _holder_documents(grant):
            found = [_allowed_somewhere(documents, action, holder) for action in needed]
            if any(where is None for where in found):
                break
            per_holder.append(", ".join(w for w in found if w))
        else:
            enabled.append((method, per_holder[0]))
    return enabled


@check("RL206")
def privilege_escalation(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _privilege_escalation)


def _privilege_escalation(grant: _Grant) -> Iterator[Hit]:
    if _is_admin(grant):
        return
    for entry in _entries(grant.statement):
        found = _escalations(grant, entry)
        outside = _service_escalations(grant, entry)
        if not any(method == PASS_ROLE for method, _, _ in found):
            yield from _passing_named_roles(grant, entry)
        if not found and not outside:
            itself = _on_itself(grant, entry)
            if itself:
                yield _itself_hit(grant, entry, itself)
            continue
        if tagged_only(grant.statement) and all(
            method == PASS_ROLE or method in SERVICE_ESCALATIONS for method, _, _ in found + outside
        ):
            continue  # passing, or acting as, only roles and resources with those tags
        found = found + outside
        where = resources_named(grant.statement, found[0][1])
        places = [(where, [(method, _described(grant, method)) for method, _, _ in found])]
        what = _granting(entry, places, "the holder")
        what += _own_boundary_lifted(grant, [m for m, _, _ in found])
        passed_to = _passed_to_services(grant.statement) or _gate_services(found)
        passes = any(m == PASS_ROLE for m, _, _ in found)
        methods = _pass_role_methods(grant, _named(passed_to)) if passes and grant.worded else []
        if methods:
            what += "; with its other permissions it can pass a role to " + "; ".join(
                f"{method}: {where}" for method, where in methods
            )
        severity = None
        if passed_to and all(m == PASS_ROLE for m, _, _ in found):
            # Only to the named services: any role, but fewer ways to use it.
            named = ", ".join(v.display() for v in passed_to)
            what += f"; only to {named} (iam:PassedToService)"
            severity = Severity.MEDIUM
        yield Hit(
            "RL206",
            _escalation_message(grant, what, (effect for _, _, effect in found)),
            entry.ref,
            grant.document.resource,
            grant.key(entry.key),
            role=grant.role,
            roles=grant.each_role,
            severity=severity,
        )


@dataclass(slots=True)
class PassableRoles:
    """The scanned roles, as iam:PassRole on the roles a resource names judges them (RL206),
    each judged once: which ones a resource names (rolelint.graph.hops.RolesByArn, as a grant
    of sts:AssumeRole names the role it chains to; built on first use, as most scans pass no
    named role), whether each is administrator-level as the role graph marks it
    (hops.admin_grant: every IAM action as RL201 judges it, or a privilege escalation through
    IAM as this rule finds it), and the services its trust lets work as it
    (hops.trusted_services)."""

    roles: Sequence[Role]
    scanned: ScannedPolicies | None = None
    index: RolesByArn | None = field(default=None, repr=False)
    admin: dict[int, AdminGrant | None] = field(default_factory=dict, repr=False)
    services: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    def named_by(self, pattern: str) -> list[tuple[Role, str]]:
        """The roles ``pattern`` certainly names, each with the ARN of it that it names."""
        from rolelint.graph.hops import RolesByArn

        if self.index is None:
            self.index = RolesByArn(self.roles)
        return self.index.named_by(pattern)

    def admin_level(self, role: Role) -> AdminGrant | None:
        from rolelint.graph.hops import admin_grant

        if id(role) not in self.admin:
            self.admin[id(role)] = admin_grant(role, self.scanned)
        return self.admin[id(role)]

    def trusted_services(self, role: Role) -> frozenset[str]:
        from rolelint.graph.hops import trusted_services

        if id(role) not in self.services:
            self.services[id(role)] = trusted_services(role)
        return self.services[id(role)]


def _passing_named_roles(grant: _Grant, entry: _Entry) -> Iterator[Hit]:
    """RL206 on iam:PassRole on roles the scan holds, named by ARN or by a pattern that names
    some but not every role (on every role it is reported whichever role it passes): a role
    with administrator-level access whose trust admits a service the holder can hand it to
    (a method of :data:`PASS_ROLE_METHODS` whose other actions every holder has, as for
    iam:PassRole on any role, and that iam:PassedToService admits) makes the holder as good
    as that role.  A role that is a holder itself gives it nothing; a resource or role ARN
    not known names no role; under a mandatory test of the resource's tags only roles so
    tagged are passed, and rolelint does not know them.  One finding for each role named, at
    the resource that names it."""
    statement = grant.statement
    passable = grant.passable
    if (
        passable is None
        or statement.has_not_resource
        or not entry.granted_among((PASS_ROLE,))
        or tagged_only(statement)
        or not _escalates(statement, PASS_ROLE, grant.scanned)
    ):
        return
    holders = {id(holder) for holder in grant.acting}
    escalates = functools.partial(_escalates_under, method=PASS_ROLE, scanned=grant.scanned)
    methods: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # by the services admitted
    for resource in statement.resources:
        if resource.text is None or unscoped_for(resource, "role"):
            continue
        for role, arn in passable.named_by(resource.text):
            if id(role) in holders:
                continue
            services = passable.trusted_services(role)
            admin = passable.admin_level(role) if services else None
            if admin is None:
                continue
            on = replace(resource, text=arn)
            effect = grant.standing(
                PASS_ROLE, [on], functools.partial(_names_arn, arn=arn), passes=(escalates,)
            )
            if effect is None:
                continue
            passed_to = _passed_to_services(statement) or _gate_services([(PASS_ROLE, on, effect)])
            admitted = tuple(_named(passed_to))
            if admitted not in methods:
                methods[admitted] = _pass_role_methods(grant, admitted)
            usable = [
                (method, where)
                for method, where in methods[admitted]
                if PASS_ROLE_SERVICE[method] in services
            ]
            if usable:
                yield _passing_hit(grant, entry, resource, role, admin, usable, effect)


def _names_arn(where: Value, arn: str) -> bool:
    """Whether a resource a Deny or boundary leaves the grant on still names the role ``arn``."""
    return where.text is not None and arn_matches(where.text, arn)


def _passing_hit(
    grant: _Grant,
    entry: _Entry,
    resource: Value,
    role: Role,
    admin: AdminGrant,
    usable: list[tuple[str, str]],
    effect: Effect,
) -> Hit:
    """RL206 on iam:PassRole on ``resource``, which names the administrator-level ``role``
    that the holder can hand to a service by each of ``usable`` (method, where its other
    actions are allowed)."""
    level = "a privilege escalation of its own" if admin.escalation else "administrator access"
    ways = " or ".join(method for method, _ in usable)
    allowed = "; ".join(dict.fromkeys(where for _, where in usable))
    said = (
        f"pass role {role.id} ({level}) to {ways} and act with its permissions ({allowed}; "
        f"{role.id} has {admin.reason})"
    )
    what = _granting(entry, [(f"'{resource.display()}'", [(PASS_ROLE, said)])], "the holder")
    return Hit(
        "RL206",
        _escalation_message(grant, what, (effect,)),
        resource.ref,
        grant.document.resource,
        grant.key(entry.key, PASS_ROLE, resource.display(), role.ref.file, role.id),
        role=grant.role,
        roles=grant.each_role,
    )


# The escalation methods that remove or replace a permissions boundary, by the kind of holder
# whose boundary they act on.
_LIFTS_BOUNDARY = {method: ESCALATIONS[method][0] for method in _REMOVES_BOUNDARY + _SETS_BOUNDARY}


def _own_boundary_lifted(grant: _Grant, methods: list[str]) -> str:
    """``; so permissions boundary B of role R does not cap it``: a holder's boundary that
    lets through the removal or replacement of itself caps nothing, and the finding says which
    one, since its other findings say the boundary "limits" the holder.  A role's boundary for
    the role methods, a user's for the user ones (a group has none)."""
    kinds = {_LIFTS_BOUNDARY[m] for m in methods if m in _LIFTS_BOUNDARY}
    holders = [
        *(grant.roles if "role" in kinds else ()),
        *(grant.identities if "user" in kinds else ()),
    ]
    lifted = [
        document.origin
        for holder in holders
        for document in holder.policies
        if document.kind is PolicyKind.BOUNDARY
    ]
    if not lifted:
        return ""
    return f"; so {some_of(list(dict.fromkeys(lifted)))} does not cap it"


def _passed_to_services(statement: Statement) -> list[Value]:
    """The services a mandatory ``iam:PassedToService`` condition limits iam:PassRole to, by
    name (sorted, those not known last); empty when none does.

    A value not known (a parameter without default) is the one service a deployment names, not
    a wildcard: it limits as a written name does.  A pattern (``*``) or an empty value limits
    nothing, nor does a test that is no mandatory positive one (IfExists, a negation,
    ForAllValues, or Null, whose ``"false"`` only requires the key to be present: any service;
    see operator_problem)."""
    for condition in find_conditions(statement, ("iam:PassedToService",)):
        if operator_problem(condition) is not None:
            continue
        values = condition.values
        if values and all(v.text is None or _one_service(v.text) for v in values):
            return sorted(values, key=lambda v: (v.text is None, v.text or ""))
    return []


def _named(services: list[Value]) -> list[str]:
    """The services the PassRole methods are judged for: those named, or every one (empty)
    when one is not known, as it may be any of them."""
    if any(v.text is None for v in services):
        return []
    return [v.text for v in services if v.text is not None]


def _one_service(text: str) -> bool:
    return text.strip() != "" and not has_wildcard(text)


# --- RL207 ----------------------------------------------------------------------------------------


def _any_role(resource: Value) -> bool:
    """A resource covering every role of every account."""
    text = resource.text
    if text is None:
        return False
    arn = parse_arn(text)
    if is_any_resource(text):
        return True
    return arn is not None and covers(
        # Every account id has twelve digits and every name a character: "????????????" and
        # "role/?*" name every one as "*" does.
        text,
        f"arn:{arn.partition}:iam::????????????:role/?*",
        case_sensitive=True,
    )


def _assume_any_role(grant: _Grant) -> tuple[_Entry | None, list[tuple[Value, Effect]]]:
    """What grants sts:AssumeRole and the resources that cover any role with it, each with
    what is left of it there (nothing under a condition no sts:AssumeRole request can meet,
    see may_grant)."""
    if not may_grant(grant.statement, ASSUME_ROLE):
        return None, []
    action = next((e for e in _entries(grant.statement) if e.grants(ASSUME_ROLE)), None)
    if action is None:
        return None, []
    resources = _unscoped(grant.statement, _any_role)
    grants = functools.partial(may_grant, action=ASSUME_ROLE)
    whole = (
        grant.standing(ASSUME_ROLE, resources, _any_role, passes=(grants,)) if resources else None
    )
    if whole is None:
        return None, []
    if len(resources) == 1:
        return action, [(resources[0], whole)]
    # Whether it stands, gates included, was judged above: what is left on each resource
    # is asked for its note alone.
    return action, [
        (
            r,
            grant.standing(ASSUME_ROLE, [r], _any_role, passes=())
            or grant.effect(ASSUME_ROLE, [r]),
        )
        for r in resources
    ]


@check("RL207", reads_graph=True)
def assume_any_role(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, functools.partial(_assume_any_role_hits, inventory))


def _assume_any_role_hits(inventory: Inventory, grant: _Grant) -> Iterator[Hit]:
    if _is_admin(grant) or tagged_only(grant.statement):
        return
    action, found = _assume_any_role(grant)
    if action is None:
        return
    exact = action.is_exactly(ASSUME_ROLE)
    via = "" if exact else f" ({action.quoted})"
    # What grants it is part of the risk, as the message says: `NotAction: iam:*` and
    # `Action: sts:AssumeRole` on '*' in one policy are two findings, with two fingerprints.
    # The plain action adds nothing, which keeps the fingerprints recorded before.
    granted_by = () if exact else (action.key,)
    reached = _scanned_roles_reached(inventory, grant) if grant.worded else ""
    for resource, effect in found:
        note = effect.note()
        yield Hit(
            "RL207",
            f"{grant.subject} allows sts:AssumeRole{via} on "
            f"{resources_named(grant.statement, resource)}: the holder "
            f"can assume every role that trusts its account{note}{reached}",
            resource.ref,
            grant.document.resource,
            grant.key(ASSUME_ROLE, resource.display(), *granted_by),
            role=grant.role,
            roles=grant.each_role,
        )


_SHOWN_ROLES = 5


def _scanned_roles_reached(inventory: Inventory, grant: _Grant) -> str:
    """``; among the scanned roles: A, B and 3 more``: what the grant reaches in this scan
    (through a crowd: each of its roles, see rolelint.graph.crowds, without walking them all
    for every grant)."""
    from heapq import merge
    from itertools import islice

    from rolelint.graph.build import graph_of, node_ids_of

    graph = graph_of(inventory)
    ids = node_ids_of(inventory)
    holders = {ids.role(role) for role in grant.roles}
    single: set[str] = set()
    crowds: set[str] = set()
    for holder in holders:
        for edge in graph.out_edges(holder):
            if edge.grant is None:
                continue  # reached by direct trust, not with this permission
            (crowds if graph.is_crowd(edge.target) else single).add(edge.target)
    if len(crowds) > 1:  # rare: holders in several accounts; count the union plainly
        single.update(e.target for crowd in crowds for e in graph.out_edges(crowd))
        crowds.clear()
    crowd = next(iter(crowds), None)
    members = graph.crowd_members_by_label(crowd) if crowd is not None else []
    in_crowd = graph.crowd_member_ids(crowd) if crowd is not None else set()
    single = {node for node in single if node not in in_crowd}  # not "-=": that walks in_crowd
    count = len(single | holders) - len(holders) + len(members) - len(holders & in_crowd)
    if count <= 0:
        return ""
    ordered = merge(sorted((graph.nodes[n].label, n) for n in single - holders), members)
    labels = (label for label, node in ordered if node not in holders)
    shown = ", ".join(islice(labels, _SHOWN_ROLES))
    more = f" and {count - _SHOWN_ROLES} more" if count > _SHOWN_ROLES else ""
    return f"; among the scanned roles it reaches {shown}{more}"


# --- RL203 ----------------------------------------------------------------------------------------


def _written(piece: Piece) -> Iterator[Action]:
    """The Write, Permissions management and Tagging actions an action piece grants that could
    be scoped to resources (actions AWS supports only on "*" cannot be blamed).

    Judged by the AWS action catalog; a pattern the catalog does not know grants nothing to
    judge here (RL605 reports it).
    """
    from rolelint.iam_actions import expand

    return (
        action
        for action in expand(piece.pattern)
        if action.modifies
        and action.supports_resources
        and action.full_name.lower() not in TELEMETRY_ACTIONS
        and action.full_name not in SENSITIVE_READS  # kms:Decrypt is a "Write": RL208's
        and (not piece.excluded or piece.grants(action.full_name))
    )


def may_write(piece: Piece, statement: Statement | None = None) -> bool:
    """Whether a piece grants a write RL203 would report on every resource (see _written),
    one the conditions of ``statement``, when given, leave there as RL203 judges them
    (:func:`_writes_left`: a test of what is acted on leaves none, one of an S3 request key
    those whose requests carry it): the audit's "write on *" asks the same of every resource
    but a few, with the statement that grants it."""
    left = None if statement is None else _writes_left(statement, piece.pattern)
    if left is None:
        return next(_written(piece), None) is not None
    return any(piece.grants(name) for name in left)


def _writes(effect: Effect) -> bool:
    return any(may_write(piece) for piece in effect.pieces)


def _writes_left(statement: Statement, pattern: str) -> frozenset[str] | None:
    """The writes ``pattern`` grants (:func:`_written`) that the statement's conditions leave
    on every resource (:func:`limited`): None for every one, empty for none.  A test of an S3
    request key (:data:`_REQUEST_KEYS`) is judged for each write: ``s3:Put*`` under
    ``s3:x-amz-server-side-encryption`` still writes objects everywhere (s3:PutObject carries
    the key), and only the writes whose requests lack it are granted nowhere."""
    if not tests_request_key(statement):
        return frozenset() if limited(statement) else None
    return frozenset(
        action.full_name
        for action in _written(Piece(pattern))
        if not limited(statement, (action.full_name,))
    )


def tests_request_key(statement: Statement) -> bool:
    """Whether a condition of the statement tests an S3 request key (:data:`_REQUEST_KEYS`):
    whether it limits a write then depends on the write (:func:`limited` with the actions)."""
    return any(_on_request_key(condition) for condition in statement.conditions)


def _open_left(effect: Effect, pattern: str, left: frozenset[str] | None) -> frozenset[str] | None:
    """Of the writes ``left`` (None: all), those a Deny's or the boundary's condition
    (:meth:`Effect.through_gates`) leaves as the statement's own would (:func:`_writes_left`).
    RL203 judges its gates here, not by :meth:`_Grant.standing`'s yes-or-no tests: which
    writes get through is asked again for the message (:func:`_write_examples`)."""
    return effect.through_gates(functools.partial(_writes_left, pattern=pattern), left)


def _open_writes(effect: Effect, pattern: str, left: frozenset[str] | None = None) -> bool:
    """RL203's test of what stands of ``pattern``: writes among ``left`` (None: any), not
    under a Deny's or the boundary's condition that limits them as the statement's own would
    (:func:`_open_left`)."""
    open_ = _open_left(effect, pattern, left)
    if open_ is None:
        return _writes(effect)
    return any(effect.grants(name) for name in open_)


# How many of the write actions a pattern grants RL203 names.
_WRITE_EXAMPLES = 3


def _write_examples(
    pattern: str, effect: Effect, left: frozenset[str] | None = None, *, shared: bool = False
) -> str:
    """Which write actions a pattern grants, for the message: some patterns read as harmless
    ('*:Get*' grants sts:GetFederationToken and redshift:GetClusterCredentials, which the
    catalog classes as Write).  Permissions management first: those are the worst.  Nothing
    for a literal action, nor for ``s3:*``, which plainly holds the service's writes, unless
    the conditions leave only some of them (``left``: an S3 request key) or some are left to
    RL206 or RL207 (``shared``: ``'*'`` limited to ``s3:*`` and ``lambda:*`` is reported
    here for the S3 writes alone, which the message names)."""
    from rolelint.iam_actions import PERMISSIONS_MANAGEMENT

    left = _open_left(effect, pattern, left)
    wide = is_service_wide(pattern) or is_all_actions(pattern)
    if not has_wildcard(pattern) or (wide and left is None and not shared):
        return ""
    actions = {
        action.full_name: action
        for piece in effect.pieces
        for action in _written(piece)
        if left is None or action.full_name in left
    }
    ranked = sorted(
        actions.values(),
        key=lambda action: (PERMISSIONS_MANAGEMENT not in action.access_levels, action.full_name),
    )
    names = [action.full_name for action in ranked]
    if len(names) <= _WRITE_EXAMPLES:
        return f" ({len(names)} write action{'' if len(names) == 1 else 's'}: {', '.join(names)})"
    return f" ({len(names)} write actions, among them {', '.join(names[:_WRITE_EXAMPLES])})"


def limited(statement: Statement, actions: Sequence[str] | None = None) -> bool:
    """A mandatory positive condition with concrete values on what is acted on: the grant of
    ``actions`` (literal action names; None: of whatever the statement grants) is not one on
    every resource (RL203, RL208, and the audit's "write on *" ask).

    Conditions on where a request comes from or when (network, MFA, time, region) do not make
    "every resource" any narrower, nor do those on who calls (aws:PrincipalAccount,
    aws:PrincipalTag/...): in the holder's own policy the caller is the holder, so they hold for
    all of its requests or for none.  Nor do those on how it is made (S3's TLS or signature
    version, :data:`_REQUEST_KEYS`), for ``actions`` whose every request carries the key, by
    the AWS action catalog: for any other the test is false, and the statement grants it
    nowhere (s3:TlsVersion on secretsmanager:GetSecretValue), which counts as a limit, as it
    does when ``actions`` are not given or not known.  Nor does a test that passes a request
    without the key or admits every value but the listed ones (IfExists, a negation,
    ForAllValues: see operator_problem), such as StringNotEquals on aws:ResourceTag/team.  A
    Null test counts only when it requires the key to be present (``"false"``, in any case):
    that is how AWS's own policies keep a controller to the resources it tagged (the Load
    Balancer Controller's ``Null aws:ResourceTag/elbv2...``).  ``"true"`` requires the key to
    be absent, and every resource without the tag (usually almost all of them) is no narrower
    than every one.
    """
    if has_unresolved_condition(statement):
        return True  # what it tests is not known: it may be exactly the limit
    for condition in statement.conditions:
        key = condition.key.lower()
        if key in _CONTEXT_KEYS or key.startswith(_NOT_ON_RESOURCES):
            continue
        if _on_request_key(condition) and actions and all(_carries(a, key) for a in actions):
            continue
        if _requires_key(condition):
            return True
    return False


def _requires_key(condition: Condition) -> bool:
    """Whether ``condition`` is a mandatory test with values, none empty: a positive operator,
    or a Null test requiring the key (:func:`_null_requires_key`).  IfExists, a negation,
    ForAllValues or a Null ``"true"`` pass a request without the key.  A value not known (a
    parameter, a variable) is whatever the deployment gives: it may be exactly the limit, so
    it counts as one (no finding on a value not known)."""
    if condition.base_operator.lower() == "null":
        if not _null_requires_key(condition):
            return False
    elif operator_problem(condition) is not None:
        return False
    return bool(condition.values) and all(v.text != "" for v in condition.values)


def _null_requires_key(condition: Condition) -> bool:
    """A Null test whose every value is ``"false"`` (the key must be present), in any case; a
    value not known may be that (no finding on a value not known).  With ``"true"`` among the
    values, a request without the key passes."""
    return all(v.text is None or v.text.lower() == "false" for v in condition.values)


def tagged_only(statement: Statement) -> bool:
    """A mandatory positive condition on the tags of the resource acted on
    (``aws:ResourceTag/team``, ``iam:ResourceTag/team``): only resources so tagged, not every
    resource (roles and functions carry these keys).  A condition whose key or operator is
    not known (``aws:ResourceTag/${var.k}``) may be one: it counts as one (no finding on a
    value not known)."""
    if has_unresolved_condition(statement):
        return True
    for condition in statement.conditions:
        if "resourcetag/" not in condition.key.lower() or operator_problem(condition) is not None:
            continue  # IfExists, Null, a negation, ForAllValues: not a mandatory positive test
        if condition.values and all(v.text != "" for v in condition.values):
            return True
    return False


def _besides(effect: Effect, actions: tuple[str, ...]) -> Effect:
    """``effect`` without the pieces that grant one of ``actions``, the escalations RL206
    reports and the sts:AssumeRole RL207 reports of the same Action value: those pieces are
    theirs, the rest RL203's.  ``*`` under a boundary allowing ``s3:*`` and ``lambda:*``
    leaves ``lambda:*`` (lambda:UpdateFunctionCode) to RL206, and the writes of ``s3:*`` on
    every bucket to RL203."""
    if not actions:
        return effect
    kept = tuple(p for p in effect.pieces if not any(p.grants(a) for a in actions))
    return replace(effect, pieces=kept)


@dataclass(slots=True)
class _WritesBesides:
    """RL203's test of an effect of ``pattern`` (:func:`_open_writes`, of the writes ``left``),
    judged on what :func:`_besides` leaves of it once ``actions`` are taken out, keeping that
    remainder: the finding reports the remainder of the effect the test passed
    (:meth:`kept`), worked out once."""

    actions: tuple[str, ...]  # what RL206 and RL207 report of the same Action value
    pattern: str
    left: frozenset[str] | None
    # The last effect judged, with what _besides left of it.
    judged: tuple[Effect, Effect] | None = None

    def __call__(self, effect: Effect) -> bool:
        kept = _besides(effect, self.actions)
        self.judged = (effect, kept)
        return _open_writes(kept, self.pattern, self.left)

    def kept(self, effect: Effect) -> Effect:
        """What :func:`_besides` leaves of ``effect``: the one the test passed last, as
        _Grant.standing returns it, is not worked out again."""
        if self.judged is not None and self.judged[0] is effect:
            return self.judged[1]
        return _besides(effect, self.actions)


@check("RL203")
def write_access_on_all_resources(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _write_access_on_all_resources)


def _write_access_on_all_resources(grant: _Grant) -> Iterator[Hit]:
    wide = _any_resources(grant.statement)
    if not wide or grant.document.service_role_policy or _is_admin(grant):
        return  # (AWS's policy for a service's role: what the service needs; none narrower)
    # Asked only of a statement granting sts:AssumeRole: a limited one is judged no further.
    reported_elsewhere = functools.cache(lambda: bool(_assume_any_role(grant)[1]))
    writes: list[str] = []
    effects: list[Effect] = []
    examples: list[str] = []
    for action in grant.statement.actions:
        # Judged for the writes it grants: an S3 request key limits none whose requests carry it.
        left = _writes_left(grant.statement, action.text) if action.text is not None else None
        if action.text is None or left == frozenset():
            continue
        entry = _Entry(action)
        reported = [
            m for m, _, _ in (*_escalations(grant, entry), *_service_escalations(grant, entry))
        ]
        if action_grants(action, ASSUME_ROLE) and reported_elsewhere():
            reported.append(ASSUME_ROLE)
        test = _WritesBesides(tuple(reported), action.text, left)
        # The gates are judged in the test: it asks which writes get through (_open_left).
        effect = grant.standing(action.text, wide, _every_resource, passes=(), test=test)
        if effect is not None:
            kept = test.kept(effect)
            writes.append(action.text)
            effects.append(kept)
            shared = len(kept.pieces) < len(effect.pieces)
            examples.append(_write_examples(action.text, kept, left, shared=shared))
    if not writes:
        return
    listed = some_of([f"'{w}'{e}" for w, e in zip(writes, examples, strict=True)])
    yield Hit(
        "RL203",
        f"{grant.subject} allows write actions {listed} on every resource "
        f"('{wide[0].text}'){_notes(effects)}",
        wide[0].ref,
        grant.document.resource,
        grant.key("write", *sorted(w.lower() for w in writes)),
        role=grant.role,
        roles=grant.each_role,
    )


# --- RL208 ----------------------------------------------------------------------------------------

# Reads that return secrets or data rather than metadata: on "*" they expose every secret,
# parameter, key-protected value or object of the account.
SENSITIVE_READS = (
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "s3:GetObject",
)
# What the reads of each service expose, for the message: only what the grant reaches is named.
_READ_EXPOSES = {
    "secretsmanager": "every secret",
    "ssm": "every SSM parameter",
    "kms": "every value encrypted with a key it may use",
    "s3": "every object of every bucket that does not deny it",
}


def _reads_written(statement: Statement, reads: Sequence[str]) -> str:
    """The statement's actions that grant ``reads``, as written, each with the reads a pattern
    includes (``'s3:Get*' (includes s3:GetObject)``): a message quoting only the read named
    an action the policy may not contain."""
    written: list[str] = []
    for action in statement.actions:
        granted = [read for read in reads if action_grants(action, read)]
        if not granted or action.text is None:
            continue
        literal = len(granted) == 1 and action.text.lower() == granted[0].lower()
        written.append(
            f"'{action.text}'" + ("" if literal else f" (includes {', '.join(granted)})")
        )
    return some_of(list(dict.fromkeys(written)))


def _unlimited(read: str) -> Callable[[Statement], bool]:
    """RL208's gate test for ``read``: the statement's conditions leave it on every resource,
    as the grant's own must (:func:`limited`)."""

    def passes(statement: Statement) -> bool:
        return not limited(statement, (read,))

    return passes


@check("RL208")
def sensitive_read_on_all_resources(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _sensitive_read_on_all_resources)


def _sensitive_read_on_all_resources(grant: _Grant) -> Iterator[Hit]:
    wide = _any_resources(grant.statement)
    if (
        not wide
        or grant.statement.has_not_action  # RL204 reports NotAction statements
        or _is_admin(grant)
    ):
        return
    effects = {
        read: grant.standing(read, wide, _every_resource, passes=(_unlimited(read),))
        for read in SENSITIVE_READS
        if statement_grants(grant.statement, read) and not limited(grant.statement, (read,))
    }
    reads = [read for read, effect in effects.items() if effect is not None]
    if not reads:
        return
    exposed = list(dict.fromkeys(_READ_EXPOSES[read.split(":")[0]] for read in reads))
    readable = ", ".join(exposed[:-1]) + " and " + exposed[-1] if len(exposed) > 1 else exposed[0]
    yield Hit(
        "RL208",
        f"{grant.subject} allows {_reads_written(grant.statement, reads)} on every resource "
        f"('{wide[0].text}'): it can read {readable}"
        f"{_notes(e for e in effects.values() if e is not None)}",
        wide[0].ref,
        grant.document.resource,
        grant.key("sensitive-read", *reads),
        role=grant.role,
        roles=grant.each_role,
    )


# --- RL204 / RL205 --------------------------------------------------------------------------------


@check("RL204")
def allow_with_not_action(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _allow_with_not_action)


def _allow_with_not_action(grant: _Grant) -> Iterator[Hit]:
    statement = grant.statement
    if not statement.has_not_action or statement.not_action_ref is None:
        return
    excluded = some_of([f"'{v.display()}'" for v in statement.not_actions]) or "nothing"
    yield Hit(
        "RL204",
        f"{grant.subject} allows every action except {excluded} "
        "(Allow with NotAction), including actions AWS adds later",
        statement.not_action_ref,
        grant.document.resource,
        grant.key("NotAction", *sorted(v.display().lower() for v in statement.not_actions)),
        role=grant.role,
        roles=grant.each_role,
    )


@check("RL205")
def allow_with_not_resource(inventory: Inventory) -> Iterator[Hit]:
    return _each_grant(inventory, _allow_with_not_resource)


def _allow_with_not_resource(grant: _Grant) -> Iterator[Hit]:
    statement = grant.statement
    if not statement.has_not_resource or statement.not_resource_ref is None:
        return
    excluded = some_of([f"'{v.display()}'" for v in statement.not_resources]) or "nothing"
    yield Hit(
        "RL205",
        f"{grant.subject} allows its actions on every resource except "
        f"{excluded} (Allow with NotResource)",
        statement.not_resource_ref,
        grant.document.resource,
        grant.key("NotResource", *sorted(v.display() for v in statement.not_resources)),
        role=grant.role,
        roles=grant.each_role,
    )


# What each permission check finds in one grant (RL207 by what it finds, without the role
# graph: _quiet judges a grant wherever it runs).
_JUDGING_ALONE: tuple[Callable[[_Grant], Iterable[Hit]], ...] = (
    _full_admin_access,
    _service_wide_wildcard_action,
    _privilege_escalation,
    _write_access_on_all_resources,
    _sensitive_read_on_all_resources,
    _allow_with_not_action,
    _allow_with_not_resource,
)
