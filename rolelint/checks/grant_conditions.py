"""What the conditions of an Allow statement leave it granting.

A mandatory positive test of a key only some requests carry (iam:PassedToService,
iam:PolicyARN, iam:PermissionsBoundary, an S3 request key) leaves the statement those actions
alone (:func:`may_grant`); a test of what is acted on (its tags, say) makes it no grant on
every resource (:func:`limited`, :func:`tagged_only`).  Every permission rule, the role graph
and the audit judge conditions here, so that they agree.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from rolelint.checks.iam_match import find_conditions, has_unresolved_condition, has_wildcard
from rolelint.checks.trust_conditions import operator_problem
from rolelint.condition_operators import comparison, is_negated, is_null_test, null_value
from rolelint.model import Condition, Statement

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


# Condition keys that only iam:PassRole requests carry (AWS's service authorization reference
# lists them for no other action).
_PASS_ROLE_ONLY_KEYS = frozenset({"iam:passedtoservice", "iam:associatedresourcearn"})
# The service a role is passed to, by its service principal's name: every iam:PassRole
# request carries it.
PASSED_TO_SERVICE = "iam:PassedToService"


def grants_only_pass_role(statement: Statement) -> bool:
    """Whether a mandatory positive test of a key only iam:PassRole requests carry
    (``StringEquals iam:PassedToService``) makes the statement grant nothing else: a request
    for iam:AttachRolePolicy lacks the key, and the test is false without it.  IfExists, Null,
    a negation or ForAllValues passes a request without the key (see operator_problem).  A
    test that compares no text (``Bool iam:PassedToService``) is one too, and leaves the
    statement not even iam:PassRole (:func:`passes_no_role`, which :func:`may_grant` asks).

    A condition whose key or operator is not known (``aws:ResourceTag/${var.k}``) may be such
    a test: it counts as one, so nothing is concluded from what the statement may not grant."""
    return has_unresolved_condition(statement) or any(
        condition.key.lower() in _PASS_ROLE_ONLY_KEYS and operator_problem(condition) is None
        for condition in statement.conditions
    )


def passes_no_role(statement: Statement) -> bool:
    """Whether a mandatory test of ``iam:PassedToService`` fails every iam:PassRole request:
    one whose operator compares no text (:func:`compares_no_text`: ``Bool``,
    ``NumericEquals``), of which no service's name is a value.  So the statement passes no
    role to any service, as ``rolelint.checks.escalation`` reads such a test of what a launch
    passes, and grants nothing else (:func:`grants_only_pass_role`).

    Only a mandatory one (see operator_problem): ``BoolIfExists`` fails every iam:PassRole
    request too (each carries the key), but leaves the statement every other action, and
    RL203 judges those by :func:`limited`, which asks no action of such a test."""
    return any(
        compares_no_text(condition) and operator_problem(condition) is None
        for condition in find_conditions(statement, (PASSED_TO_SERVICE,))
    )


def compares_no_text(condition: Condition) -> bool:
    """Whether ``condition`` is a positive test whose operator compares no text
    (:func:`~rolelint.condition_operators.comparison` is None: ``Bool``, ``Numeric...``,
    ``Date...``, ``IpAddress``): on a key whose value is text (a service's name, an ARN) the
    types differ, and IAM fails the test whatever its values.  Not a negation, whose reading
    of such a mismatch rolelint does not judge, nor a ``Null`` test, which tests only whether
    the key is there."""
    base = condition.base_operator
    return base.lower() != "null" and not is_negated(base) and comparison(base) is None


# The managed policy a request attaches or detaches (escalation_methods.ATTACH_METHODS).
POLICY_ARN = "iam:PolicyARN"
# The permissions boundary of the role or user a request acts on (the one it sets, for
# CreateRole, CreateUser and Put...PermissionsBoundary): AWS's way of delegating IAM safely
# (IAM User Guide, "Permissions boundaries for IAM entities").  Only the requests the AWS
# action catalog lists it for carry it.
PERMISSIONS_BOUNDARY = "iam:PermissionsBoundary"


def positive_tests(statement: Statement, key: str) -> Iterator[Condition]:
    """The statement's mandatory positive tests of ``key`` with values: each admits only what
    it names (IfExists, Null, a negation or ForAllValues admit more, see operator_problem).
    :func:`_limit_of` judges what they admit; :func:`_tests_key` asks only whether there is
    one, without judging it."""
    return (
        condition
        for condition in find_conditions(statement, (key,))
        if operator_problem(condition) is None and condition.values
    )


def grants_only_attachments(statement: Statement) -> bool:
    """Whether a mandatory positive ``iam:PolicyARN`` test makes the statement grant nothing
    but the six actions whose requests carry the key (iam:Attach/DetachUserPolicy,
    ...GroupPolicy, ...RolePolicy, by the AWS action catalog): for any other action the key is
    absent and the test false, so ``iam:*`` under it is no administrator."""
    return _tests_key(statement, POLICY_ARN)


def _tests_key(statement: Statement, key: str) -> bool:
    """Whether the statement has a mandatory positive test of ``key`` with values: what
    :func:`policy_limit` and :func:`boundary_limit` judge, asked without judging it."""
    return next(positive_tests(statement, key), None) is not None


def grants_few_actions(statement: Statement) -> bool:
    """Whether a mandatory positive test of a key only a few actions carry makes the statement
    grant those alone, whatever its actions say: iam:PassRole (grants_only_pass_role), the
    policy attachments (grants_only_attachments) or the IAM actions on a role or user with a
    given permissions boundary (:func:`boundary_limit`).  RL206 judges what is left."""
    return (
        grants_only_pass_role(statement)
        or grants_only_attachments(statement)
        or _tests_key(statement, PERMISSIONS_BOUNDARY)
    )


def may_grant(statement: Statement, action: str) -> bool:
    """Whether ``action`` is one the statement's mandatory tests of keys only some actions
    carry leave it: those of keys only a few actions carry (grants_few_actions) and of S3
    request keys (:func:`_request_keys`).  An action whose requests carry every such key, by
    the AWS action catalog (``ec2:RunInstances`` under ``StringEquals iam:PassedToService`` is
    not: its requests lack the key, and the test is false; nor is iam:PassRole under
    ``s3:TlsVersion``).  A pattern is left only when every action it names is (``iam:*``:
    every IAM action, :data:`ALL_OF_IAM`).  Nor is iam:PassRole under a test of
    iam:PassedToService that compares no text (:func:`passes_no_role`).  True without such a
    test; False under a condition whose key or operator is not known, which may be one."""
    if not statement.conditions:
        return True
    if has_unresolved_condition(statement):
        return False
    if any(not carries(action, key) for key in _request_keys(statement)):
        return False
    if grants_only_pass_role(statement) and not carries(action, *_PASS_ROLE_ONLY_KEYS):
        return False
    if passes_no_role(statement) and carries(action, PASSED_TO_SERVICE):
        return False
    if _tests_key(statement, PERMISSIONS_BOUNDARY) and not carries(action, PERMISSIONS_BOUNDARY):
        return False
    return not grants_only_attachments(statement) or carries(action, POLICY_ARN)


@functools.lru_cache(maxsize=4096)
def carries(action: str, *keys: str) -> bool:
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
    requests of some actions carry (:func:`carries`; no IAM request does), so that what it
    limits depends on the action asked about (:func:`may_grant`, :func:`limited`)."""
    return condition.key.lower() in _REQUEST_KEYS


def tests_request_key(statement: Statement) -> bool:
    """Whether a condition of the statement tests an S3 request key (:data:`_REQUEST_KEYS`):
    whether it limits a write then depends on the write (:func:`limited` with the actions)."""
    return any(_on_request_key(condition) for condition in statement.conditions)


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
        if _on_request_key(condition) and actions and all(carries(a, key) for a in actions):
            continue
        if _requires_key(condition):
            return True
    return False


def _requires_key(condition: Condition) -> bool:
    """Whether ``condition`` is a mandatory test with values, none empty: a positive operator,
    or a Null test requiring the key (:func:`_null_requires_key`).  IfExists, a negation,
    ForAllValues or a Null ``"true"`` pass a request without the key.  A value not known (a
    parameter, a variable) is whatever the deployment gives: it may be exactly the limit, so
    it counts as one (no finding on a value not known).  A Null test is ``Null`` itself, as
    the graph and the escalation methods take it
    (:func:`~rolelint.condition_operators.is_null_test`): ``NullIfExists``, which IAM
    rejects, and a set operator before ``Null`` are read as no Null test, which
    :func:`~rolelint.checks.trust_conditions.operator_problem` calls no mandatory test."""
    if is_null_test(condition.operator):
        if not _null_requires_key(condition):
            return False
    elif operator_problem(condition) is not None:
        return False
    return bool(condition.values) and all(v.text != "" for v in condition.values)


def _null_requires_key(condition: Condition) -> bool:
    """A Null test whose every value is ``"false"`` (the key must be present), in any case; a
    value not known may be that (no finding on a value not known).  With ``"true"`` among the
    values, a request without the key passes (:func:`~rolelint.condition_operators.null_value`
    reads each)."""
    return all(v.text is None or null_value(v.text) is False for v in condition.values)


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
