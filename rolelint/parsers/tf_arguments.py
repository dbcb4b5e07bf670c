"""What a reference to an argument of a Terraform resource reads before apply.

``aws_iam_role.many.assume_role_policy = aws_iam_role.legacy.assume_role_policy`` copies a
trust policy the configuration writes: Terraform plans an argument a block sets as the block
sets it, so the reference is known at plan, and calling it "known only after apply" left the
copy unanalyzed.  That holds for the IAM resources rolelint models, whose schemas (in the AWS
provider) keep what is written: the policies are only normalized as JSON, which changes no
statement.  It is not true of every resource: a provider may plan another value than the one
written (``aws_instance``'s ``user_data`` is planned as its hash), so the arguments of the
other kinds stay unknown, and say why.

An argument the block does not set (or sets to null) is what the schema makes of it: its
default (a path is "/"), null where the schema has none and computes none (a permissions
boundary), and known only after apply where the provider computes it (a ``name_prefix``,
``managed_policy_arns``): those are absent from :data:`UNSET`.
"""

from __future__ import annotations

# The arguments an IAM resource's block does not set that Terraform plans without the provider
# computing them: the schema's default, or None (null) where it has none.  A kind listed here
# is one whose set arguments rolelint reads as written; an argument of it not listed is
# computed by the provider when unset.
UNSET: dict[str, dict[str, str | int | bool | None]] = {
    "aws_iam_role": {
        "description": None,
        "force_detach_policies": False,
        "max_session_duration": 3600,
        "path": "/",
        "permissions_boundary": None,
        "tags": None,
    },
    "aws_iam_policy": {"description": None, "path": "/", "tags": None},
    "aws_iam_user": {
        "force_destroy": False,
        "path": "/",
        "permissions_boundary": None,
        "tags": None,
    },
    "aws_iam_group": {"path": "/"},
    "aws_iam_instance_profile": {"path": "/", "role": None, "tags": None},
    "aws_iam_role_policy": {},
    "aws_iam_user_policy": {},
    "aws_iam_group_policy": {},
    "aws_iam_role_policy_attachment": {},
    "aws_iam_user_policy_attachment": {},
    "aws_iam_group_policy_attachment": {},
}

# What a resource block sets that is not an argument of the resource: Terraform's own.
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})


def reads_arguments(kind: str) -> bool:
    """Whether rolelint reads what a block of ``kind`` sets as the value Terraform plans."""
    return kind in UNSET
