"""IAM Identity Center permission sets as Terraform declares them: what the HCL reader and the
plan reader both take from them, so the two give the same findings for the same configuration.

A permission set's policies become the permissions of a role in every account the set is
assigned to; that role's trust is Identity Center's, not the configuration's, so its policies
stand alone, each marked with the set's key (PolicyDocument.permission_set), and the rules
judge a set's policies together, as that role's (rolelint.model.permission_set_holders), under
the boundary an ``aws_ssoadmin_permissions_boundary_attachment`` gives the set
(:mod:`rolelint.parsers.permission_set_boundaries`).

How a reader finds the set a resource names (an HCL reference, a plan's ARN or configuration
references) is its own business; this module only says what to make of it.
"""

from __future__ import annotations

from rolelint.model import ManagedPolicyRef, PolicyDocument, Value

PERMISSION_SET = "aws_ssoadmin_permission_set"
INLINE_POLICY = "aws_ssoadmin_permission_set_inline_policy"
MANAGED_POLICY_ATTACHMENT = "aws_ssoadmin_managed_policy_attachment"
# A customer managed policy of each account the set is assigned to, named by name and path:
# recorded (rolelint.model.PermissionSetCustomerPolicy), held by the set's role by its ARN there,
# never read.
CUSTOMER_POLICY_ATTACHMENT = "aws_ssoadmin_customer_managed_policy_attachment"
BOUNDARY_ATTACHMENT = "aws_ssoadmin_permissions_boundary_attachment"


def inline_policy_origin(address: str) -> str:
    """How findings name the policy of an ``aws_ssoadmin_permission_set_inline_policy``."""
    return f"inline policy {address} of a permission set"


def managed_policy(arn: Value, permission_set: str) -> PolicyDocument | None:
    """The document of the AWS managed policy an ``aws_ssoadmin_managed_policy_attachment``
    attaches, held by ``permission_set`` (its address, or the attachment's when the set is not
    known); None when the ARN is unknown or names no AWS managed policy rolelint knows."""
    from rolelint.managed_policies import document_for

    return document_for(ManagedPolicyRef(arn), permission_set, "permission set")
