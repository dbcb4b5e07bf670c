"""Customer managed policies the scan names only as permissions boundaries.

A policy no role, user or group of the scan holds is judged standing alone, as a grant: it may
be attached where the scan does not see.  AWS's way of delegating IAM (the IAM User Guide's
CreateOrChangeOnlyWithBoundary) names such a policy as the permissions boundary every role the
delegate creates or changes must carry, ``StringEquals: {iam:PermissionsBoundary: !Ref
WorkloadBoundary}``: the policy is a boundary, which grants nothing, and judging its ``s3:*``
as a grant reported what nobody is given.  A parser already turns a policy of its own file
named as a role's or user's ``PermissionsBoundary`` into that boundary, and
:mod:`rolelint.policy_links` one of another file; the condition is a fact of the whole run (a
policy one template defines, a delegating role another holds), so it is read here, once every
file is parsed and linked, before any check runs.

Such a policy becomes a boundary (:attr:`~rolelint.model.PolicyKind.BOUNDARY`, under its own
name) when each of these holds; otherwise it is judged as before:

- a test of ``iam:PermissionsBoundary`` that requires it of a request names it by its exact
  ARN, in a statement of any permission policy or boundary of the run: a positive test
  (``StringEquals``, ``ArnLike`` ..., with or without ``IfExists`` or a set prefix; not
  ``Null``) in an Allow, or a negated one in a Deny, the equally common form of the pattern
  (``Effect: Deny`` of ``iam:CreateRole``, ``iam:PutRolePermissionsBoundary`` ... under
  ``StringNotEquals`` or ``ArnNotEquals``: whatever sets another boundary is refused); not a
  negation in an Allow, which admits any boundary but it, nor a positive test in a Deny,
  which refuses it as a boundary (a guard that the administrator policy is never one): both
  forbid it, no evidence that it is one.  Its exact ARN
  (:func:`rolelint.policy_links.is_exact_arn`) is the very text its parser gives it: the
  ``!Ref``, ``!Sub ...:policy/NAME`` or ``aws_iam_policy.x.arn`` of its own template or
  module, or its ARN in an account export.  A value rolelint cannot resolve, a pattern and an
  ARN of another account name nothing for certain;
- no holder of the run holds it, and its own file attaches it to no holder outside the model
  (:attr:`~rolelint.model.PolicyDocument.attached_elsewhere`: a role of another stack or
  state, a name not known, an export counting attachments it does not list);
- no attachment the run could not link may be it: a managed policy ARN a role, user, group or
  permission set attaches, or that any file attaches to a holder outside the model
  (:attr:`~rolelint.model.Inventory.outside_attachments`: a Terraform attachment in another
  folder to ``legacy-role`` of another state), unresolved, or naming a policy of its path
  and name (in any case: IAM tells no two policy names apart by case alone, though only the
  very text links) in an account that may be its own (a literal account beside the account
  stand-in), or one whose name is generated or not known;
- no IAM Identity Center permission set may attach it by name
  (:class:`~rolelint.model.PermissionSetCustomerPolicy`: CloudFormation's
  ``CustomerManagedPolicyReferences``, Terraform's
  ``aws_ssoadmin_customer_managed_policy_attachment``): the set's role in each account it is
  assigned to holds the policy of that name and path there, whichever account that is, so a
  reference of its path and name (compared regardless of case, as IAM tells names apart),
  or not known, keeps it a grant.

As a boundary it keeps what rules say of a boundary itself: its grammar (RL6xx), its size, and
what an ``iam:PermissionsBoundary`` or ``iam:PolicyARN`` test admitting it is worth (RL206
reads its document, whether it is administrator-level); only the permission rules, which judge
grants, leave it out.  Nothing here knows a file format: it reads and rewrites the model only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rolelint.condition_operators import comparison, is_negated, positive_of
from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    UNRESOLVED_PATH,
    Condition,
    Identity,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
)
from rolelint.policy_links import is_exact_arn

PERMISSIONS_BOUNDARY = "iam:permissionsboundary"  # condition keys compare in any case

# A managed policy's ARN: its account (the stand-in of the deployment's own, a literal one, or
# anything else as written) and what follows ``policy/``, its path and name.
_POLICY_ARN = re.compile(rf"arn:[^:]*:iam::({re.escape(THIS_ACCOUNT)}|[^:]*):policy/(.*)", re.S)
_ACCOUNT_ID = re.compile(r"\d{12}")
# A customer managed policy a permission set names: its name and path, None where not known.
_NameAndPath = tuple[str | None, str | None]


def mark_boundaries(inventory: Inventory) -> None:
    """Turn, in place, every policy standing alone that the run names only as a permissions
    boundary (see the module's docstring) into that boundary."""
    named = set(_named_boundaries(inventory))
    if not named:
        return
    unlinked = _unlinked_attachments(inventory)
    by_name = _attached_by_name(inventory)
    inventory.standalone_policies = [
        _as_boundary(document) if _boundary_only(document, named, unlinked, by_name) else document
        for document in inventory.standalone_policies
    ]


def required_boundaries(inventory: Inventory) -> set[str]:
    """The exact ARNs ``inventory``'s ``iam:PermissionsBoundary`` tests require of a request
    (see the module's docstring), a generated name's left out (only its own file knows it):
    the policies another file may define, to be judged as boundaries only with this one,
    which rolelint.template_readers looks for, as for policy_links.attached_arns."""
    return {
        arn
        for arn in _named_boundaries(inventory)
        if is_exact_arn(arn) and NAME_STAND_IN.search(arn) is None
    }


def _as_boundary(document: PolicyDocument) -> PolicyDocument:
    """The policy as a boundary no holder of the scan has: named as its file names it."""
    return document.as_boundary(document.origin)


def _boundary_only(
    document: PolicyDocument,
    named: set[str],
    unlinked: list[str | None],
    by_name: list[_NameAndPath],
) -> bool:
    arn = document.arn or ""
    return (
        document.kind is PolicyKind.PERMISSIONS
        and document.managed
        and not document.aws_managed
        and not document.attached_elsewhere
        and is_exact_arn(document.arn)
        and arn in named
        and not any(_may_name(text, arn) for text in unlinked)
        and not any(_may_be_named(name, path, arn) for name, path in by_name)
    )


def _named_boundaries(inventory: Inventory) -> Iterator[str]:
    """The texts the run's ``iam:PermissionsBoundary`` tests name as the boundary a request
    must set: a positive test's in an Allow, and a negated one's in a Deny."""
    for document, _ in inventory.permission_policies():
        for statement in document.statements:
            for condition in statement.conditions:
                if _requires_boundary(condition, deny=statement.is_deny):
                    yield from (v.text for v in condition.values if v.text is not None)


def _requires_boundary(condition: Condition, *, deny: bool) -> bool:
    """A test that the request's boundary is one of the values listed: a positive one in an
    Allow, or in a Deny (``deny``) a negated one, which refuses every request whose boundary is
    none of them (AWS's ``Deny ... StringNotEquals iam:PermissionsBoundary``).  Not a negation
    in an Allow, which admits any boundary but those, nor a positive test in a Deny, which
    refuses those very boundaries (a guard that the administrator policy is never one): both
    forbid the values as boundaries, no evidence that they are any.  Nor one of whether there
    is a boundary at all (``Null``)."""
    if condition.key.lower() != PERMISSIONS_BOUNDARY:
        return False
    base = condition.base_operator
    if is_negated(base):
        return deny and positive_of(base) is not None
    return not deny and comparison(base) is not None


def _unlinked_attachments(inventory: Inventory) -> list[str | None]:
    """The ARNs (None: not known) of the managed policies the run's roles, users, groups and
    permission sets attach and no file of the run defines, or not for certain, and of those
    any file attaches to a holder outside the model (Inventory.outside_attachments)."""
    holders: list[Role | Identity] = [*inventory.roles, *inventory.identities]
    references = [reference for holder in holders for reference in holder.managed_policy_arns]
    references += [policy.reference for policy in inventory.permission_set_policies]
    references += inventory.outside_attachments
    return [reference.arn.text for reference in references if not reference.inline]


def _may_name(text: str | None, arn: str) -> bool:
    """Whether the attachment ``text`` may be the customer managed policy of exact ARN ``arn``:
    unless it is known to name another policy (an AWS managed one, another account's, another
    path or name), it may.  The path and name compare regardless of case, as for a permission
    set's reference (_may_be_named): IAM refuses two policies whose names differ only in case,
    so such an ARN names no other policy of the account.  rolelint.policy_links links only the
    very text (what IAM does with an ARN in another case is not documented), so this one stays
    unlinked, and may still be the policy."""
    if text is None:
        return True
    written, own = _POLICY_ARN.fullmatch(text), _POLICY_ARN.fullmatch(arn)
    if written is None or own is None:
        return True  # not read as a policy's ARN: it may be any
    (account, resource), (own_account, own_resource) = written.groups(), own.groups()
    if account == "aws" or (
        _ACCOUNT_ID.fullmatch(account)
        and _ACCOUNT_ID.fullmatch(own_account)
        and account != own_account
    ):
        return False
    return resource.casefold() == own_resource.casefold() or any(
        _not_literal(r) for r in (resource, own_resource)
    )


def _attached_by_name(inventory: Inventory) -> list[_NameAndPath]:
    """The name and path (None: not known; a path not given is IAM's default, ``/``) of each
    customer managed policy the run's permission sets attach by name."""
    return [
        (reference.name.text, "/" if reference.path is None else reference.path.text)
        for reference in inventory.permission_set_customer_policies
    ]


def _may_be_named(name: str | None, path: str | None, arn: str) -> bool:
    """Whether a permission set's reference to the customer managed policy ``name`` at ``path``
    (None: not known) may be the policy of exact ARN ``arn``, in whichever account the set is
    assigned to.  IAM refuses two policies whose names differ only in case, so such a
    reference may be it too."""
    own = _POLICY_ARN.fullmatch(arn)
    if name is None or path is None or own is None:
        return True
    prefix = path.strip("/")
    resource = f"{prefix}/{name}" if prefix else name
    own_resource = own.group(2)
    return resource.casefold() == own_resource.casefold() or any(
        _not_literal(r) for r in (resource, own_resource)
    )


def _not_literal(resource: str) -> bool:
    """Whether a path and name may stand for another one: a pattern, a name's or path's
    stand-in, an interpolation left unresolved."""
    return (
        "*" in resource
        or "?" in resource
        or "${" in resource
        or NAME_STAND_IN.search(resource) is not None
        or UNRESOLVED_PATH.search(resource) is not None
    )
