"""Instance metadata rules: where role credentials are exposed to SSRF through IMDSv1 (RL501)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check, role_names
from rolelint.model import ComputeResource, Inventory, Role

REQUIRED = "required"


def serves(resource: ComputeResource, role: Role) -> bool:
    """``resource`` runs with ``role``'s credentials: it names an instance profile of the role
    defined in the same template or module."""
    profile = resource.instance_profile
    return (
        profile is not None
        and profile.text is not None
        and role.namespace == resource.namespace
        and profile.text in role.instance_profiles
    )


def _profile_roles(inventory: Inventory, resource: ComputeResource) -> list[Role]:
    """The roles of the instance profile ``resource`` names."""
    return [role for role in inventory.roles if serves(resource, role)]


@check("RL501")
def instance_profile_without_imdsv2(inventory: Inventory) -> Iterator[Hit]:
    for resource in inventory.compute:
        profile = resource.instance_profile
        if profile is None:
            continue
        tokens = resource.http_tokens
        if tokens is None:
            at = profile.ref
            setting = "HTTP tokens are not required (not set: AWS defaults to optional)"
        elif tokens.text is None or tokens.text.lower() == REQUIRED:
            continue
        else:
            at, setting = tokens.ref, f"HTTP tokens are '{tokens.text}'"
        role = role_names(_profile_roles(inventory, resource))
        holder = f" (role {role})" if role else ""
        name = f"instance profile '{profile.text}'" if profile.text else "an instance profile"
        yield Hit(
            "RL501",
            f"{resource.kind} {resource.id} exposes {name}{holder} through IMDSv1: {setting}; "
            "require them (HttpTokens / http_tokens = 'required')",
            at,
            resource.id,
            f"HttpTokens|{tokens.text if tokens is not None else '<absent>'}",
            role=role,
        )
