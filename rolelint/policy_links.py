"""Customer managed policies attached by ARN in one file and defined in another of the same run.

A parser links what its own file holds: an account export attaches the policies of its own
``Policies``, a template its own ``AWS::IAM::ManagedPolicy``.  What another file defines stays a
reference by ARN (a :class:`~rolelint.model.ManagedPolicyRef`), as if its text were unknown:
an account exported in two calls (``--filter Role`` and ``--filter LocalManagedPolicy``), or a
template attaching a policy an export of the account holds.  Once every file is parsed, before
any check runs, each such reference becomes the document of the policy whose ARN
(:attr:`~rolelint.model.PolicyDocument.arn`, set by each parser) is that very text, as the
file that defines it would have linked it.

Only an exact ARN links, the same text on both sides: a customer managed policy's ARN with a
literal partition, path and name, in a literal account or in the account stand-in
(:data:`~rolelint.model.THIS_ACCOUNT`).  The stand-in is what ``${AWS::AccountId}`` and
Terraform's ``aws_caller_identity`` give, and what the parsers write in the ARN of a policy a
template or module creates: a role one template caps with ``!Sub
arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/DevBoundary`` is capped by the
``DevBoundary`` another template (or an ``aws_iam_policy``) of the run creates.  The stand-in is
taken as one account across the files of a run, as the assume-role graph takes it
(:mod:`rolelint.graph` links a role to one of another file by its ``${AWS::AccountId}`` ARN);
it matches only the stand-in, never a literal account.  No partition stand-in reaches the
model (the parsers write ``aws`` for ``AWS::Partition`` and ``aws_partition``).  A policy
whose name CloudFormation generates is named by the stand-in its template writes, which a
template of the CDK imports from the exporting one (:mod:`rolelint.stack_exports` puts the
exported ARN in the import's place first).  An ARN rolelint cannot resolve (a parameter), an
unknown path, or a pattern names no one policy, and two different texts for one ARN (two
snapshots of the policy, two templates creating one name) leave it unknown which one the
account has: neither links, and the reference stays unread.  Two files holding the same text
for one ARN (two saved exports of the account) define it once: the first links.

Nothing here knows a file format: it reads and rewrites the model only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    Identity,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Role,
)
from rolelint.source import SourceRef

# A customer managed policy named exactly: a literal partition, a 12-digit account or the account
# stand-in, and a path and name of the characters IAM allows (no wildcard, no ``${...}``, no
# unknown path stand-in), or a name's stand-in (generated or unresolved), which is unique to the
# policy's file and logical id or address: another file holds it only through an import of an
# export of the policy's ARN (rolelint.stack_exports), the CDK's way of sharing a policy it
# leaves unnamed.
_CUSTOMER_POLICY_ARN = re.compile(
    rf"arn:[a-z][a-z0-9-]*:iam::(?:\d{{12}}|{re.escape(THIS_ACCOUNT)}):policy/"
    rf"(?:[\w+=,.@/-]+|[\w+=,.@/-]*(?:{NAME_STAND_IN.pattern}))"
)

_Holder = TypeVar("_Holder", Role, Identity)


def link_managed_policies(inventory: Inventory) -> None:
    """Replace, in place, every attachment and boundary naming a policy another file of the run
    defines by that policy's document; a policy so attached no longer stands alone."""
    defined = _defined_by_arn(inventory)
    if not defined:
        return
    linked: set[int] = set()
    # One optional copy per document, shared by every holder attaching it under a condition:
    # the engine merges the findings of one document into one finding naming all its roles.
    optional: dict[int, PolicyDocument] = {}
    inventory.roles = [_link(role, defined, linked, optional) for role in inventory.roles]
    inventory.identities = [_link(i, defined, linked, optional) for i in inventory.identities]
    if linked:
        # A boundary copy standing alone (a policy its export counts only as a boundary) is
        # the policy linked: held, it no longer stands alone either.
        inventory.standalone_policies = [
            document
            for document in inventory.standalone_policies
            if id(document) not in linked
            and (document.permissions is None or id(document.permissions) not in linked)
        ]


def linkable_arns(inventory: Inventory) -> set[str]:
    """The ARNs of the customer managed policies ``inventory`` defines that another file may
    attach, or cap a holder with, by that very text: what to look for in the files that may
    (rolelint.template_readers)."""
    return set(_defined_by_arn(inventory))


def attached_arns(inventory: Inventory) -> set[str]:
    """The exact ARNs of the customer managed policies ``inventory``'s holders attach, or are
    capped by, that no file linked yet, and of those its templates export (another template
    attaches them by import): what to look for in the files that may define them
    (rolelint.template_readers).  A generated name is left out: only its own file knows it."""
    found: set[str] = set()
    holders: Iterable[Role | Identity] = (*inventory.roles, *inventory.identities)
    for holder in holders:
        found.update(r.arn.text or "" for r in holder.managed_policy_arns if not r.inline)
        if holder.permissions_boundary is not None and not any(
            document.kind is PolicyKind.BOUNDARY for document in holder.policies
        ):
            found.add(holder.permissions_boundary.text or "")
    found.update(export.value.text or "" for export in inventory.exports)
    exact = {arn for arn in found if is_exact_arn(arn) and NAME_STAND_IN.search(arn) is None}
    return exact - set(_defined_by_arn(inventory))


def is_exact_arn(arn: str | None) -> bool:
    """Whether ``arn`` names one customer managed policy exactly (see the module's docstring):
    only such a text links, here and in rolelint.boundary_links."""
    return arn is not None and _CUSTOMER_POLICY_ARN.fullmatch(arn) is not None


def _defined_by_arn(inventory: Inventory) -> dict[str, list[PolicyDocument]]:
    """Every permission policy of the run with an exact ARN, by that ARN: the documents that
    hold it (the first links; each so linked no longer stands alone).  An ARN two documents
    define with different texts is left out (which text the account has is not known), one
    defined twice with the same text is not."""
    found: dict[str, list[PolicyDocument]] = {}
    holders: Iterable[Role | Identity] = (*inventory.roles, *inventory.identities)
    documents = [d for holder in holders for d in holder.policies]
    for document in (*documents, *inventory.standalone_policies):
        # A boundary copy stands for the policy it is a view of (one its file may use only as
        # a boundary: then no permission copy of it is anywhere in the run).
        if document.kind is PolicyKind.BOUNDARY and document.permissions is not None:
            document = document.permissions
        if document.kind is PolicyKind.PERMISSIONS and is_exact_arn(document.arn):
            found.setdefault(document.arn or "", []).append(document)
    return {arn: each for arn, each in found.items() if _same_text(each)}


def _same_text(documents: list[PolicyDocument]) -> bool:
    """Whether the documents hold one policy text: the same statements and version, wherever
    each was read (positions aside)."""
    first = _text_of(documents[0])
    return all(d is documents[0] or _text_of(d) == first for d in documents[1:])


def _text_of(document: PolicyDocument) -> object:
    return _without_positions((document.version, document.statements))


def _without_positions(value: object) -> object:
    """``value`` (a model value, statement, tuple of them) with every source position left
    out, as a comparable tree: what the policy says, not where."""
    if isinstance(value, SourceRef):
        return None
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(_without_positions(getattr(value, f.name)) for f in fields(value)),
        )
    if isinstance(value, (tuple, list)):
        return tuple(_without_positions(item) for item in value)
    return value


def _link(
    holder: _Holder,
    defined: dict[str, list[PolicyDocument]],
    linked: set[int],
    optional: dict[int, PolicyDocument],
) -> _Holder:
    documents: list[PolicyDocument] = []
    remaining: list[ManagedPolicyRef] = []
    for reference in holder.managed_policy_arns:
        text = reference.arn.text
        copies = defined.get(text or "") if not reference.inline else None
        if copies is None:
            remaining.append(reference)
            continue
        linked.update(id(copy) for copy in copies)
        document = copies[0]
        if reference.optional:
            document = optional.setdefault(id(document), replace(document, optional=True))
        if any(held is document for held in (*holder.policies, *documents)):
            continue
        documents.append(document)
    boundary = _boundary(holder, defined, linked)
    if boundary is not None:
        documents.append(boundary)
    if not documents:
        return holder
    return replace(
        holder, policies=(*holder.policies, *documents), managed_policy_arns=tuple(remaining)
    )


def _boundary(
    holder: Role | Identity, defined: dict[str, list[PolicyDocument]], linked: set[int]
) -> PolicyDocument | None:
    """The boundary's document, when another file defines it and the holder has none yet."""
    arn = holder.permissions_boundary.text if holder.permissions_boundary is not None else None
    copies = defined.get(arn or "")
    if copies is None or any(d.kind is PolicyKind.BOUNDARY for d in holder.policies):
        return None
    linked.update(id(copy) for copy in copies)
    document = copies[0]
    noun = "role" if isinstance(holder, Role) else holder.kind.value
    # Named as the file defining it names it (a logical id, an address), as a boundary of the
    # holder's own file is: the ARN's last part may be a generated name's stand-in.
    origin = f"permissions boundary {document.resource} of {noun} {holder.id}"
    return document.as_boundary(origin)
