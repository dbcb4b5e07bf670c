"""Instance metadata rules: where role credentials are exposed to SSRF through IMDSv1 (RL501)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check, once_per_inventory, role_ids, role_names
from rolelint.model import TOKENS_UNSET_BY_CONDITION, ComputeResource, Inventory, Role

REQUIRED = "required"


# A resource runs with a role's credentials when it names an instance profile of the role
# defined in the same template or module: both are looked up by (namespace, profile name), once
# per inventory, rather than every role compared with every instance.
ProfileKey = tuple[str, str]


def _profile_key(resource: ComputeResource) -> ProfileKey | None:
    profile = resource.instance_profile
    if profile is None or profile.text is None:
        return None
    return resource.namespace, profile.text


@once_per_inventory
def _roles_by_profile(inventory: Inventory) -> dict[ProfileKey, list[Role]]:
    found: dict[ProfileKey, list[Role]] = {}
    for role in inventory.roles:
        for name in dict.fromkeys(role.instance_profiles):
            found.setdefault((role.namespace, name), []).append(role)
    return found


@once_per_inventory
def _compute_by_profile(inventory: Inventory) -> dict[ProfileKey, list[int]]:
    """Where in ``inventory.compute`` each profile is named."""
    found: dict[ProfileKey, list[int]] = {}
    for position, resource in enumerate(inventory.compute):
        key = _profile_key(resource)
        if key is not None:
            found.setdefault(key, []).append(position)
    return found


def _profile_roles(inventory: Inventory, resource: ComputeResource) -> list[Role]:
    """The roles of the instance profile ``resource`` names, in inventory order."""
    key = _profile_key(resource)
    return [] if key is None else _roles_by_profile(inventory).get(key, [])


def served(role: Role, inventory: Inventory) -> list[ComputeResource]:
    """The instances and launch templates that run with ``role``'s credentials, in inventory
    order."""
    index = _compute_by_profile(inventory)
    positions = {
        position
        for name in role.instance_profiles
        for position in index.get((role.namespace, name), [])
    }
    return [inventory.compute[position] for position in sorted(positions)]


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
        elif tokens.unresolved_reason == TOKENS_UNSET_BY_CONDITION:
            at = tokens.ref
            setting = (
                "HTTP tokens are not required in some deployments (a condition leaves them "
                "unset there: AWS defaults to optional)"
            )
        elif tokens.text is None or tokens.text.lower() == REQUIRED:
            continue
        else:
            at, setting = tokens.ref, f"HTTP tokens are '{tokens.text}'"
        holders = list(_profile_roles(inventory, resource))
        role = role_names(holders)
        holder = f" (role {role})" if role else ""
        name = f"instance profile '{profile.text}'" if profile.text else "an instance profile"
        yield Hit(
            "RL501",
            f"{resource.kind} {resource.id} exposes {name}{holder} through IMDSv1: {setting}; "
            "require them (HttpTokens / http_tokens = 'required')",
            at,
            resource.id,
            f"HttpTokens|{tokens.text if tokens is not None and tokens.text else '<absent>'}",
            role=role,
            roles=role_ids(holders),
        )
