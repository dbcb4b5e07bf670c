"""How findings name the policies of Terraform resources, in the HCL reader and the plan reader.

One wording for both: the same finding reads the same whether it comes from a code scan or from
a pull request's plan scan, and a suppression or baseline written against one matches the
other.  A policy resource is named by its address, which both readers always know; its IAM
name (a plan may know it, HCL may not) and its holder are not part of the name: the finding's
``role`` says who holds it.
"""

from __future__ import annotations


def managed_policy_origin(address: str) -> str:
    """An ``aws_iam_policy``: "policy aws_iam_policy.deploy"."""
    return f"policy {address}"


def inline_policy_origin(address: str) -> str:
    """An ``aws_iam_role_policy``, ``aws_iam_user_policy`` or ``aws_iam_group_policy``."""
    return f"inline policy {address}"


def role_inline_block_origin(label: str, role: str) -> str:
    """An ``inline_policy`` block of a role, which has no address of its own: by its name
    (``label``, "?" when not known) and the role's address."""
    return f"inline policy '{label}' of role {role}"


def trust_policy_origin(role: str) -> str:
    """A role's ``assume_role_policy``."""
    return f"trust policy of role {role}"
