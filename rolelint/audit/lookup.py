"""Finding the role a user names on the command line (``rolelint show ROLE``).

People name a role as they know it: the CloudFormation logical id, the Terraform address (with
or without its module prefix), the RoleName, or the graph id.  An exact name wins, then the
same name in any case; when nothing matches, the error lists the closest names, because a typo
should cost one more try, not a search through the files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rolelint.graph.build import NodeIds
from rolelint.model import Role
from rolelint.names import address_forms, closest, short_name


def names_of(role: Role, ids: NodeIds) -> list[str]:
    """Every name ``role`` answers to; ``ids`` name the graph's nodes (see
    :func:`rolelint.graph.build.node_ids_of`)."""
    node_id = ids.role(role)
    # The graph id, also without its "role:" prefix: FILE#NAME, how 'show' asks to name one of
    # several roles of the same name.
    names = [role.id, short_name(role.id, role.ref.file), node_id, node_id.removeprefix("role:")]
    if role.name is not None and role.name.text:
        names.append(role.name.text)
    return names + address_forms(names[1], *names)


def find_roles(roles: Sequence[Role], query: str, ids: NodeIds) -> list[Role]:
    """The roles ``query`` names exactly, else ignoring case; in file order."""
    found = [role for role in roles if query in names_of(role, ids)]
    if not found:
        folded = query.casefold()
        found = [r for r in roles if any(folded == n.casefold() for n in names_of(r, ids))]
    return sorted(found, key=lambda role: (role.ref.file, role.ref.line, role.id))


def close_role_names(roles: Iterable[Role], query: str, count: int = 5) -> list[str]:
    """The names most like ``query``, for the error when none matches; names with a file
    (graph ids, FILE#NAME) are left out, too long to read as a suggestion."""
    names = (name for role in roles for name in names_of(role, NodeIds()) if "#" not in name)
    return closest(query, names, count)
