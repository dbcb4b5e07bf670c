"""Cross-stack references: an ``Fn::ImportValue`` of one template read as the value another
template of the same run exports under that name.

CloudFormation links stacks by name: one template's ``Outputs`` entry exports a value
(``Export: {Name: Shared:RoleArn}``), and ``Fn::ImportValue: Shared:RoleArn`` in another stack
of the account and region reads it when that stack deploys.  The CDK writes every reference
from one of its stacks to another that way, and its roles and managed policies mostly have
generated names: the import is then the only link between the two files.  Export names are
unique in an account and region, and the files of a run are taken as one account (as for the
assume-role graph and :mod:`rolelint.policy_links`), so when the run holds the exporting
template the import's value is known.

Files are parsed on their own (in worker processes, from the parse cache), so a parse cannot
read another file: the CloudFormation parser keeps, of each template, its exports
(:attr:`~rolelint.model.Inventory.exports`) and, of each ``Fn::ImportValue`` that is a whole
value, the name it reads (:attr:`~rolelint.model.Value.imported`).  Once every file is parsed,
before the managed policies are linked and any check runs, the import becomes the exported
value, at the import's position, in the places where an ARN links roles and policies across
files: a holder's managed policy attachments, its permissions boundary and the principals of
a role's trust policy.  It then links exactly as the ARN written out would.

An import stays unresolved, as before, when its name does not resolve statically
(``${AWS::StackName}``, a parameter without a default), when no template of the run exports
that name, or when several do with different values or with one rolelint does not know (an
``Fn::If``, a parameter: even a default is what whoever deploys the exporting stack may
replace).  An import inside a text (a piece of ``Fn::Join``) and an import anywhere else (a
permission policy's ``Resource`` or ``Condition``) stays unresolved too.

Nothing here knows a file format: it reads and rewrites the model only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from rolelint.model import (
    Identity,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    Principal,
    Role,
    StackExport,
    Statement,
    Value,
)

_Holder = TypeVar("_Holder", Role, Identity)


def link_imports(inventory: Inventory) -> None:
    """Replace, in place, every import of a holder's attachments, boundary and trust
    principals by the value the one template of the run exporting its name gives."""
    exported = _exported(inventory.exports)
    if not exported:
        return
    inventory.roles = [_link(role, exported) for role in inventory.roles]
    inventory.identities = [_link(identity, exported) for identity in inventory.identities]


def _exported(exports: Iterable[StackExport]) -> dict[str, str]:
    """Each export name of the run with the one text every export of it gives.  A name
    exported with different values, or with one its template does not know (unresolved, or a
    parameter's default, which another deployment may replace), is left out."""
    texts: dict[str, set[str | None]] = {}
    for export in exports:
        value = export.value
        texts.setdefault(export.name, set()).add(value.text if value.origin is None else None)
    return {
        name: text
        for name, each in texts.items()
        if len(each) == 1 and (text := next(iter(each))) is not None
    }


def _read(value: Value, exported: dict[str, str]) -> Value:
    """The exported value an unresolved import reads, where the import is; any other value as
    it is."""
    if value.text is not None or value.imported is None:
        return value
    text = exported.get(value.imported)
    return value if text is None else Value(text, value.ref)


def _link(holder: _Holder, exported: dict[str, str]) -> _Holder:
    references = tuple(_reference(r, exported) for r in holder.managed_policy_arns)
    boundary = holder.permissions_boundary
    if boundary is not None:
        boundary = _read(boundary, exported)
    changes: dict[str, object] = {}
    if any(a is not b for a, b in zip(references, holder.managed_policy_arns, strict=True)):
        changes["managed_policy_arns"] = references
    if boundary is not holder.permissions_boundary:
        changes["permissions_boundary"] = boundary
    if isinstance(holder, Role) and holder.trust_policy is not None:
        trust = _trust(holder.trust_policy, exported)
        if trust is not holder.trust_policy:
            changes["trust_policy"] = trust
    return replace(holder, **changes) if changes else holder  # type: ignore[arg-type]


def _reference(reference: ManagedPolicyRef, exported: dict[str, str]) -> ManagedPolicyRef:
    """A managed policy attached by import, by the exported ARN.  An inline policy whose text
    is an import is no ARN: it stays unread."""
    if reference.inline:
        return reference
    arn = _read(reference.arn, exported)
    return reference if arn is reference.arn else replace(reference, arn=arn)


def _trust(document: PolicyDocument, exported: dict[str, str]) -> PolicyDocument:
    statements = tuple(_statement(s, exported) for s in document.statements)
    if all(a is b for a, b in zip(statements, document.statements, strict=True)):
        return document
    return replace(document, statements=statements)


def _statement(statement: Statement, exported: dict[str, str]) -> Statement:
    principals = _principals(statement.principals, exported)
    not_principals = _principals(statement.not_principals, exported)
    if principals is statement.principals and not_principals is statement.not_principals:
        return statement
    return replace(statement, principals=principals, not_principals=not_principals)


def _principals(
    principals: tuple[Principal, ...], exported: dict[str, str]
) -> tuple[Principal, ...]:
    read = tuple(
        p if (value := _read(p.value, exported)) is p.value else replace(p, value=value)
        for p in principals
    )
    return principals if all(a is b for a, b in zip(read, principals, strict=True)) else read
