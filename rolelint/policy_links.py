"""Customer managed policies attached by ARN in one file and defined in another of the same run.

A parser links what its own file holds: an account export attaches the policies of its own
``Policies``, a template its own ``AWS::IAM::ManagedPolicy``.  What another file defines stays a
reference by ARN (a :class:`~rolelint.model.ManagedPolicyRef`), as if its text were unknown:
an account exported in two calls (``--filter Role`` and ``--filter LocalManagedPolicy``), or a
template attaching a policy an export of the account holds.  Once every file is parsed, before
any check runs, each such reference becomes the document of the policy whose ARN
(:attr:`~rolelint.model.PolicyDocument.arn`, set by each parser) is that very text, as the
file that defines it would have linked it.

Only an exact ARN links: a literal customer managed policy ARN of one account, on both sides.
An ARN rolelint cannot resolve (a parameter, ``${AWS::AccountId}``) or a pattern names no one
policy, and two different texts for one ARN (two snapshots of the policy) leave it unknown
which one the account has: neither links, and the reference stays unread.

Nothing here knows a file format: it reads and rewrites the model only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from rolelint.model import (
    Identity,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Role,
)

# A customer managed policy named exactly: a literal partition, a 12-digit account, and a path
# and name of the characters IAM allows (no wildcard, no ``${...}``).
_CUSTOMER_POLICY_ARN = re.compile(r"arn:[a-z][a-z0-9-]*:iam::\d{12}:policy/[\w+=,.@/-]+")

_Holder = TypeVar("_Holder", Role, Identity)


def link_managed_policies(inventory: Inventory) -> None:
    """Replace, in place, every attachment and boundary naming a policy another file of the run
    defines by that policy's document; a policy so attached no longer stands alone."""
    defined = _defined_by_arn(inventory)
    if not defined:
        return
    linked: set[int] = set()
    inventory.roles = [_link(role, defined, linked) for role in inventory.roles]
    inventory.identities = [_link(i, defined, linked) for i in inventory.identities]
    if linked:
        inventory.standalone_policies = [
            document for document in inventory.standalone_policies if id(document) not in linked
        ]


def _is_exact(arn: str | None) -> bool:
    return arn is not None and _CUSTOMER_POLICY_ARN.fullmatch(arn) is not None


def _defined_by_arn(inventory: Inventory) -> dict[str, PolicyDocument]:
    """Every permission policy of the run with an exact ARN, by that ARN; an ARN defined by two
    different documents is left out (which text the account has is not known)."""
    found: dict[str, dict[int, PolicyDocument]] = {}
    holders: Iterable[Role | Identity] = (*inventory.roles, *inventory.identities)
    documents = [d for holder in holders for d in holder.policies]
    for document in (*documents, *inventory.standalone_policies):
        if document.kind is PolicyKind.PERMISSIONS and _is_exact(document.arn):
            found.setdefault(document.arn or "", {})[id(document)] = document
    return {arn: next(iter(each.values())) for arn, each in found.items() if len(each) == 1}


def _link(holder: _Holder, defined: dict[str, PolicyDocument], linked: set[int]) -> _Holder:
    documents: list[PolicyDocument] = []
    remaining: list[ManagedPolicyRef] = []
    for reference in holder.managed_policy_arns:
        text = reference.arn.text
        document = defined.get(text or "") if not reference.inline else None
        if document is None:
            remaining.append(reference)
            continue
        linked.add(id(document))
        if any(held is document for held in (*holder.policies, *documents)):
            continue
        documents.append(replace(document, optional=True) if reference.optional else document)
    boundary = _boundary(holder, defined, linked)
    if boundary is not None:
        documents.append(boundary)
    if not documents:
        return holder
    return replace(
        holder, policies=(*holder.policies, *documents), managed_policy_arns=tuple(remaining)
    )


def _boundary(
    holder: Role | Identity, defined: dict[str, PolicyDocument], linked: set[int]
) -> PolicyDocument | None:
    """The boundary's document, when another file defines it and the holder has none yet."""
    arn = holder.permissions_boundary.text if holder.permissions_boundary is not None else None
    document = defined.get(arn or "")
    if document is None or any(d.kind is PolicyKind.BOUNDARY for d in holder.policies):
        return None
    linked.add(id(document))
    noun = "role" if isinstance(holder, Role) else holder.kind.value
    name = (arn or "").rsplit("/", 1)[-1]
    origin = f"permissions boundary {name} of {noun} {holder.id}"
    return replace(document, kind=PolicyKind.BOUNDARY, origin=origin)
