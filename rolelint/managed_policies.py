"""AWS managed policies attached by ARN, replaced by their documents so rules evaluate them.

A role with ``arn:aws:iam::aws:policy/AdministratorAccess`` gets the document of that policy (from
``rolelint/data/aws_managed_policies.yaml``, versioned with its source and date), positioned at the
ARN in the user's file: every rule then judges it like an inline policy, and a finding points at
the line that attaches it.  Managed policies not in the data stay references, unresolved; of an
AWS managed one, a notice says once that what it grants is not judged (:func:`unshipped_notices`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rolelint.findings import InputError
from rolelint.model import (
    Condition,
    Identity,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
)
from rolelint.source import SourceRef

DATA = Path(__file__).resolve().parent / "data" / "aws_managed_policies.yaml"
# The partition may be any literal one or the template's own (${AWS::Partition}); the path a
# written one, or the stand-in of a path not known (a SAM Policies name rolelint knows no path
# of: rolelint.model.unresolved_path), which stands for the one path the policy has.
_PATH_STAND_IN = "<unresolved path:"
_AWS_MANAGED_ARN = re.compile(
    r"^arn:(?:[a-z][a-z0-9-]*|\$\{AWS::Partition\}):iam::aws:"
    r"(?P<resource>policy/(?:[\w+=,.@/-]*/|(?P<unknown><unresolved path:[^>]*>))?"
    r"(?P<name>[\w+=,.@-]+))$"
)


@functools.cache
def _data() -> dict[str, Any]:
    from rolelint.data_files import load_yaml

    loaded: dict[str, Any] = load_yaml(DATA)
    return loaded


def data_version() -> str:
    """What reports say about the shipped documents: "33 policies, retrieved 2026-11-23"."""
    return f"{len(known_policies())} policies, retrieved {_data()['retrieved']}"


def known_policies() -> dict[str, Any]:
    policies: dict[str, Any] = _data()["policies"]
    return policies


def arn_of(name: str, partition: str) -> str | None:
    """The ARN of the AWS managed policy of that name rolelint ships the document of, in
    ``partition`` and with the policy's path (``service-role/AWSLambdaBasicExecutionRole``);
    None for any other name, which may as well be a customer managed policy's."""
    entry = known_policies().get(name)
    if entry is None:
        return None
    return f"arn:{partition}:iam::aws:policy/{entry.get('path', '')}{name}"


def policy_name(arn: Value) -> str | None:
    """The name of the AWS managed policy an ARN names (``AdministratorAccess``), else None."""
    match = _AWS_MANAGED_ARN.match(arn.text or "")
    return match.group("name") if match else None


def shipped_name(resource: str) -> str | None:
    """The name of the shipped policy that the resource part of an AWS managed policy's ARN
    (``policy/service-role/AWSLambdaBasicExecutionRole``) names, at the policy's own path
    only; None for any other.  ``policy/service-role/AdministratorAccess`` is no policy AWS
    has (AdministratorAccess is at the root): attaching it fails and grants nothing, so it is
    not judged as AdministratorAccess."""
    path, _, name = resource.removeprefix("policy/").rpartition("/")
    entry = known_policies().get(name)
    if not resource.startswith("policy/") or entry is None:
        return None
    return name if entry.get("path", "") == (f"{path}/" if path else "") else None


def shipped_arn_name(arn: str | None) -> str | None:
    """The name of the shipped policy an ARN names (any partition, ``${AWS::Partition}``), at
    its own path (see :func:`shipped_name`); None for any other ARN."""
    match = _AWS_MANAGED_ARN.match(arn or "")
    return shipped_name(match.group("resource")) if match else None


def paths_found(texts: Iterable[str]) -> dict[str, str]:
    """Of ``texts`` (ARNs one holder attaches), each AWS managed policy's ARN whose path is
    the stand-in of a path not known (a SAM ``Policies`` name rolelint knows no path of), with
    the ARN among ``texts`` that names the policy of that name with its path, where exactly
    one policy of the name is named so: the same policy, since AWS managed policies' names are
    unique and SAM finds the ARN by the name (as :func:`unshipped_notices` joins them).  A
    name whose path no text names, or two policies of the name do, is left out."""
    texts = list(texts)
    if not any(_PATH_STAND_IN in text for text in texts):
        return {}  # most holders: no regular expression run over their ARNs
    with_path: dict[str, dict[str, str]] = {}  # name -> resource -> the first ARN naming it
    unknown: dict[str, str] = {}  # ARN with the stand-in -> name
    for text in texts:
        match = _AWS_MANAGED_ARN.match(text)
        if match is None:
            continue
        name = match.group("name")
        if match.group("unknown"):
            unknown[text] = name
        else:
            with_path.setdefault(name, {}).setdefault(match.group("resource"), text)
    found: dict[str, str] = {}
    for text, name in unknown.items():
        named = with_path.get(name, {})
        if len(named) == 1:
            found[text] = next(iter(named.values()))
    return found


def unshipped_name(arn: str | None) -> str | None:
    """The name of the AWS managed policy an ARN names when rolelint ships no document of it
    (``ReadOnlyAccess``, ``AWSBatchServiceRole``); None for any other ARN: a customer managed
    one, a shipped policy, and a shipped name under a path where AWS has no policy of that name
    (see :func:`shipped_name`), which is no AWS managed policy at all."""
    match = _unshipped(arn)
    return match.group("name") if match else None


def _unshipped(arn: str | None) -> re.Match[str] | None:
    match = _AWS_MANAGED_ARN.match(arn or "")
    return None if match is None or match.group("name") in known_policies() else match


def unshipped_notices(inventory: Inventory) -> list[InputError]:
    """One notice for each AWS managed policy that roles, users, groups or Identity Center
    permission sets hold and rolelint
    ships no document of, at its first attachment (by file, line and column, whatever order
    the files were read in), with how many hold it.

    No scanned file ever holds the text of an AWS managed policy, so without its document no
    rule judges what it grants: ``check`` would say nothing of it.  Said once per policy (the
    partitions its ARNs name are one policy), not once per holder: a hundred roles attaching
    ReadOnlyAccess need one line.  An attachment whose path rolelint does not know (a SAM
    Policies name) is of the policy of that name another attachment names with its path, when
    one does (AWS managed policies' names are unique: SAM finds the ARN by the name); else
    the notice says the path is not known."""
    # policy/<path><name>, or the name alone where the path is not known ->
    # (name, where it is attached, holders by noun)
    attached: dict[str, _Attached] = {}
    references: list[tuple[ManagedPolicyRef, str, tuple[str, str]]] = []
    holders: list[Role | Identity] = [*inventory.roles, *inventory.identities]
    for holder in holders:
        noun = "role" if isinstance(holder, Role) else holder.kind.value
        key = (holder.ref.file, holder.id)
        references += [(reference, noun, key) for reference in holder.managed_policy_arns]
    for attachment in inventory.permission_set_policies:
        reference = attachment.reference
        key = (reference.arn.ref.file, attachment.permission_set)
        references.append((reference, "permission set", key))
    for reference, noun, key in references:
        match = None if reference.origin is not None else _unshipped(reference.arn.text)
        if match is None:
            continue
        name = match.group("name")
        policy = name if match.group("unknown") else match.group("resource")
        _, places, by_noun = attached.setdefault(policy, (name, [], {}))
        places.append(reference.arn.ref)
        by_noun.setdefault(noun, set()).add(key)
    notices = []
    for name, places, by_noun, path_known in _with_paths(attached):
        first = min(places, key=lambda ref: (ref.file, ref.line, ref.column))
        kinds = sorted(by_noun, key=lambda noun: (noun != "role", noun))
        held = " and ".join(_count(len(by_noun[noun]), noun) for noun in kinds)
        total = sum(len(ids) for ids in by_noun.values())
        verb = "holds" if total == 1 else "hold"
        where = "" if total == 1 else "; attached here first"
        notices.append(
            InputError(
                file=first.file,
                line=first.line,
                column=first.column,
                message=(
                    f"AWS managed policy {name} is not in rolelint's policy data: what it grants"
                    f" is not judged{'' if path_known else _PATH_NOT_KNOWN} ({held} {verb}"
                    f" it{where})"
                ),
            )
        )
    return sorted(notices, key=InputError.sort_key)


_Attached = tuple[str, list[SourceRef], dict[str, set[tuple[str, str]]]]
_PATH_NOT_KNOWN = ", and the path in its ARN, which SAM looks up by the name, is not known"


def _with_paths(
    attached: dict[str, _Attached],
) -> list[tuple[str, list[SourceRef], dict[str, set[tuple[str, str]]], bool]]:
    """Each policy of :func:`unshipped_notices` once, with whether its path is known: the
    attachments of a name whose path is not known (keyed by the name alone) joined to the
    one policy of that name attached with its path, if there is one."""
    with_path: dict[str, list[str]] = {}
    for policy, (name, _, _) in attached.items():
        if policy != name:
            with_path.setdefault(name, []).append(policy)
    policies = []
    for policy, (name, places, by_noun) in attached.items():
        joined = len(with_path.get(name, ())) == 1  # the one policy of the name with a path
        if policy == name and joined:
            continue  # its attachments are that policy's
        if policy != name and joined and name in attached:
            _, more_places, more_holders = attached[name]
            places = [*places, *more_places]
            by_noun = {
                noun: by_noun.get(noun, set()) | more_holders.get(noun, set())
                for noun in {*by_noun, *more_holders}
            }
        policies.append((name, places, by_noun, policy != name))
    return policies


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def document_for(
    reference: ManagedPolicyRef, holder: str, noun: str = "role"
) -> PolicyDocument | None:
    """The document of a known AWS managed policy, every element at the ARN that attaches it;
    None for any other ARN, and for a known name under another path (see :func:`shipped_name`),
    which stays an unresolved reference like any policy rolelint has no document of."""
    name = shipped_arn_name(reference.arn.text)
    entry = known_policies().get(name or "")
    if name is None or entry is None:
        return None
    at = reference.arn.ref
    statements = tuple(_statement(raw, at) for raw in entry["statements"])
    version = f"{entry['policy_version']}, edited {entry['edited']}"
    return PolicyDocument(
        kind=PolicyKind.PERMISSIONS,
        ref=at,
        resource=holder,
        origin=f"AWS managed policy {name} ({version}) attached to {noun} {holder}",
        statements=statements,
        version=Value("2012-10-17", at),
        managed=True,
        aws_managed=True,
        service_role_policy=bool(entry.get("service_role", False)),
        optional=reference.optional,
        attached_by=reference,
        deployed_under=reference.when if reference.optional else None,
    )


def boundary_for(arn: Value, holder: str, noun: str = "role") -> PolicyDocument | None:
    """The document of a known AWS managed policy as the permissions boundary of ``holder``
    (a ``noun``: a role, a user, a permission set); None for any other ARN (see
    :func:`document_for`)."""
    boundary = document_for(ManagedPolicyRef(arn), holder)
    if boundary is None:
        return None
    origin = f"AWS managed policy {policy_name(arn)} as permissions boundary of {noun} {holder}"
    return boundary.as_boundary(origin)


def _values(texts: Any, at: SourceRef) -> tuple[Value, ...]:
    """A string-or-list element (as IAM JSON allows) as values, all at the attaching ARN."""
    return tuple(Value(str(text), at) for text in ([texts] if isinstance(texts, str) else texts))


def _statement(raw: dict[str, Any], at: SourceRef) -> Statement:
    def values(key: str) -> tuple[Value, ...]:
        return _values(raw.get(key, ()), at)

    conditions = tuple(
        Condition(str(operator), str(key), _values(texts, at), at, at)
        for operator, entries in raw.get("conditions", {}).items()
        for key, texts in entries.items()
    )
    return Statement(
        ref=at,
        effect=Value(str(raw["effect"]), at),
        actions=values("actions"),
        not_actions=values("not_actions"),
        resources=values("resources"),
        not_resources=values("not_resources"),
        conditions=conditions,
        has_action="actions" in raw,
        has_not_action="not_actions" in raw,
        has_not_resource="not_resources" in raw,
        not_action_ref=at if "not_actions" in raw else None,
        not_resource_ref=at if "not_resources" in raw else None,
        names_resources="resources" in raw or "not_resources" in raw,
    )


def resolve_managed_policies(inventory: Inventory) -> Inventory:
    """The inventory with every known AWS managed policy turned into a document of its holder.

    The same inventory when no holder changes, so what was computed for it (the assume-role
    graph) stays valid.
    """
    identities = [_resolve(identity) for identity in inventory.identities]
    roles = [_resolve(role) for role in inventory.roles]
    unchanged = all(a is b for a, b in zip(identities, inventory.identities, strict=True)) and all(
        a is b for a, b in zip(roles, inventory.roles, strict=True)
    )
    if unchanged:
        return inventory
    # Every other field as it is, shared as the unchanged inventory above shares them all:
    # naming them one by one left out each field added since (permission_set_policies,
    # exports, outside_attachments), which a check reading them would have found empty.
    return replace(inventory, identities=identities, roles=roles)


def _resolve(holder: Any) -> Any:
    assert isinstance(holder, (Role, Identity))
    documents: list[PolicyDocument] = []
    remaining: list[ManagedPolicyRef] = []
    noun = "role" if isinstance(holder, Role) else holder.kind.value
    for reference in holder.managed_policy_arns:
        document = document_for(reference, holder.id, noun)
        if document is None:
            remaining.append(reference)
        else:
            documents.append(document)
    if holder.permissions_boundary is not None:
        boundary = boundary_for(holder.permissions_boundary, holder.id, noun)
        if boundary is not None:
            documents.append(boundary)
    if not documents:
        return holder
    return replace(
        holder,
        policies=(*holder.policies, *documents),
        managed_policy_arns=tuple(remaining),
    )
