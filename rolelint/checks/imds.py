"""Instance metadata rules: where role credentials are exposed to SSRF through IMDSv1 (RL501)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from rolelint.checks.base import (
    Hit,
    check,
    holder_keys,
    once_per_inventory,
    role_ids,
    role_names,
)
from rolelint.model import (
    TOKENS_UNSET_BY_CONDITION,
    ComputeResource,
    Inventory,
    Role,
    Value,
    literal_accounts,
    literal_parts,
    stand_ins_in_words,
)

REQUIRED = "required"
# The public SSM parameters of AMIs AWS registers with ImdsSupport v2.0: an instance launched
# from one requires tokens where its own options set none, unless the account-level default
# says otherwise ("By default, any instances launched with the AL2023 AMI require IMDSv2-only",
# Amazon Linux 2023 User Guide; the EC2 API's HttpTokens default).
IMDSV2_AMI_PARAMETERS = ("/aws/service/ami-amazon-linux-latest/al2023-",)


# A resource runs with a role's credentials when it names an instance profile of the role: both
# are looked up by (namespace, profile name), the namespace being the profile's (the template,
# or the module instance that creates it: Role.instance_profile_keys,
# ComputeResource.profile_key), once per inventory, rather than every role compared with every
# instance.  An EKS node group names its role itself (``node_role``): looked up by (namespace,
# role id), the role's namespace being the node group's unless another module instance creates
# it (``node_role_scope``).
ProfileKey = tuple[str, str]
RoleKey = tuple[str, str]
# A profile's name is unique in its namespace only, but its ARN written out in full (an account
# id, no stand-in) names one profile wherever it is written: a launch template naming an
# exported role's profile by ARN runs with that role (Role.instance_profile_arns).
_PROFILE_ARN = ":instance-profile/"


@once_per_inventory
def _roles_by_profile(inventory: Inventory) -> dict[ProfileKey, list[Role]]:
    found: dict[ProfileKey, list[Role]] = {}
    for role in inventory.roles:
        for key in dict.fromkeys(role.instance_profile_keys):
            found.setdefault(key, []).append(role)
    return found


@once_per_inventory
def _compute_by_profile(inventory: Inventory) -> dict[ProfileKey, list[int]]:
    """Where in ``inventory.compute`` each profile is named."""
    found: dict[ProfileKey, list[int]] = {}
    for position, resource in enumerate(inventory.compute):
        key = resource.profile_key
        if key is not None:
            found.setdefault(key, []).append(position)
    return found


def _full_profile_arn(value: Value | None) -> str | None:
    """``value``'s text when it is an instance profile's ARN written out in full: a literal
    account, and no stand-in (a parameter, a generated name, a path not known) or wildcard,
    which another deployment or account may fill otherwise."""
    text = value.text if value is not None else None
    if text is None or _PROFILE_ARN not in text or any(char in text for char in "*?<"):
        return None
    if len(literal_parts(text)) != 1 or not literal_accounts([text]):
        return None
    return text


@once_per_inventory
def _roles_by_profile_arn(inventory: Inventory) -> dict[str, list[Role]]:
    found: dict[str, list[Role]] = {}
    for role in inventory.roles:
        arns = dict.fromkeys(map(_full_profile_arn, role.instance_profile_arns))
        for arn in arns:
            if arn is not None:
                found.setdefault(arn, []).append(role)
    return found


@once_per_inventory
def _compute_by_profile_arn(inventory: Inventory) -> dict[str, list[int]]:
    """Where in ``inventory.compute`` each profile is named by its full ARN."""
    found: dict[str, list[int]] = {}
    for position, resource in enumerate(inventory.compute):
        arn = _full_profile_arn(resource.instance_profile)
        if arn is not None:
            found.setdefault(arn, []).append(position)
    return found


def _node_role_key(resource: ComputeResource) -> RoleKey | None:
    role = resource.node_role
    if role is None or role.text is None:
        return None
    return resource.node_role_scope or resource.namespace, role.text


@once_per_inventory
def _roles_by_id(inventory: Inventory) -> dict[RoleKey, Role]:
    return {(role.namespace, role.id): role for role in inventory.roles}


@once_per_inventory
def _compute_by_node_role(inventory: Inventory) -> dict[RoleKey, list[int]]:
    """Where in ``inventory.compute`` each role is named as a node role."""
    found: dict[RoleKey, list[int]] = {}
    for position, resource in enumerate(inventory.compute):
        key = _node_role_key(resource)
        if key is not None:
            found.setdefault(key, []).append(position)
    return found


def _profile_roles(inventory: Inventory, resource: ComputeResource) -> list[Role]:
    """The roles of the instance profile ``resource`` names, by its name in its namespace or
    by its full ARN in any file, in inventory order."""
    key = resource.profile_key
    by_name = [] if key is None else _roles_by_profile(inventory).get(key, [])
    arn = _full_profile_arn(resource.instance_profile)
    by_arn = [] if arn is None else _roles_by_profile_arn(inventory).get(arn, [])
    if not by_arn:
        return by_name
    found = {id(role) for role in (*by_name, *by_arn)}
    return [role for role in inventory.roles if id(role) in found]


def _node_roles(inventory: Inventory, resource: ComputeResource) -> list[Role]:
    """The role of the same template or module ``resource`` names as its node role."""
    key = _node_role_key(resource)
    role = None if key is None else _roles_by_id(inventory).get(key)
    return [] if role is None else [role]


def served(role: Role, inventory: Inventory) -> list[ComputeResource]:
    """The instances, launch templates and node groups that run with ``role``'s credentials,
    in inventory order."""
    index = _compute_by_profile(inventory)
    positions = {position for key in role.instance_profile_keys for position in index.get(key, [])}
    by_arn = _compute_by_profile_arn(inventory)
    for arn in map(_full_profile_arn, role.instance_profile_arns):
        positions.update(by_arn.get(arn, []) if arn is not None else [])
    positions.update(_compute_by_node_role(inventory).get((role.namespace, role.id), []))
    return [inventory.compute[position] for position in sorted(positions)]


def _credentials(
    inventory: Inventory, resource: ComputeResource
) -> tuple[Value, str, list[Role]] | None:
    """What hands ``resource``'s instances a role's credentials, None when nothing does: where
    it is named, how a message calls it (with its roles), and the roles of the template or
    module it is."""
    profile = resource.instance_profile
    if profile is not None:
        holders = _profile_roles(inventory, resource)
        role = role_names(holders)
        # A name Terraform or AWS generates, or one not resolved (and the path of a profile
        # named by its ARN), is quoted as the role's card words it.
        words = stand_ins_in_words(profile.text or "")
        name = f"instance profile '{words}'" if words else "an instance profile"
        return profile, name + (f" (role {role})" if role else ""), holders
    node_role = resource.node_role
    if node_role is not None:
        holders = _node_roles(inventory, resource)
        role = role_names(holders)
        if role is None and node_role.text is not None:
            role = f"'{stand_ins_in_words(node_role.text)}'"
        named = f"its node role {role}" if role else "its node role"
        return node_role, f"{named} (in the instance profile EKS gives its nodes)", holders
    return None


def ami_requires_tokens(resource: ComputeResource) -> bool:
    """Whether the AMI ``resource`` launches requires tokens when its options set none."""
    ami = resource.ami_parameter
    return ami is not None and ami.text is not None and ami.text.startswith(IMDSV2_AMI_PARAMETERS)


class Tokens(Enum):
    """What a resource's metadata options give its instances, as RL501 and the role card say it."""

    REQUIRED = "required"  # set so
    AMI_REQUIRED = "required by the AMI"  # unset (everywhere or somewhere): the AMI requires them
    UNSET = "unset"  # AWS defaults to optional
    UNSET_SOMEWHERE = "unset in some deployments"  # a condition leaves them unset there
    UNRESOLVED = "unresolved"
    OTHER = "other"  # set to something else ('optional')


def tokens_of(resource: ComputeResource) -> Tokens:
    tokens = resource.http_tokens
    unset = tokens is None or tokens.unresolved_reason == TOKENS_UNSET_BY_CONDITION
    if unset and ami_requires_tokens(resource):
        return Tokens.AMI_REQUIRED
    if tokens is None:
        return Tokens.UNSET
    if tokens.unresolved_reason == TOKENS_UNSET_BY_CONDITION:
        return Tokens.UNSET_SOMEWHERE
    if tokens.text is None:
        return Tokens.UNRESOLVED
    return Tokens.REQUIRED if tokens.text.lower() == REQUIRED else Tokens.OTHER


@check("RL501")
def instance_profile_without_imdsv2(inventory: Inventory) -> Iterator[Hit]:
    for resource in inventory.compute:
        credentials = _credentials(inventory, resource)
        if credentials is None:
            continue
        carrier, exposed, holders = credentials
        tokens = resource.http_tokens
        state = tokens_of(resource)
        if state in (Tokens.REQUIRED, Tokens.AMI_REQUIRED, Tokens.UNRESOLVED):
            continue
        if state is Tokens.UNSET or tokens is None:
            at = carrier.ref
            setting = "HTTP tokens are not required (not set: AWS defaults to optional)"
        elif state is Tokens.UNSET_SOMEWHERE:
            at = tokens.ref
            setting = (
                "HTTP tokens are not required in some deployments (a condition leaves them "
                "unset there: AWS defaults to optional)"
            )
        else:
            at, setting = tokens.ref, f"HTTP tokens are '{tokens.text}'"
        yield Hit(
            "RL501",
            f"{resource.kind} {resource.id} exposes {exposed} through IMDSv1: {setting}; "
            "require them (HttpTokens / http_tokens = 'required')",
            at,
            resource.id,
            f"HttpTokens|{tokens.text if tokens is not None and tokens.text else '<absent>'}",
            role=role_names(holders),
            roles=role_ids(holders),
            holders=holder_keys(holders),
        )
