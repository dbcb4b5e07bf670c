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
(:attr:`~rolelint.model.Inventory.exports`), of each ``Fn::ImportValue`` that is a whole
value, the name it reads (:attr:`~rolelint.model.Value.imported`), and of each text that
imports alone leave unknown (a piece of an ``Fn::Join``, such as the CDK's
``Fn::Join: ["", ["arn:", {Ref: AWS::Partition}, ":iam::", ..., {Fn::ImportValue: X}]]``,
a variable of an ``Fn::Sub``), the text around the names they read
(:attr:`~rolelint.model.Value.imported_text`).  Once every file is parsed,
before the managed policies are linked and any check runs, the import becomes the exported
value, at the import's position, in the places where an ARN links roles and policies across
files: a holder's managed policy attachments, its permissions boundary, and the statements of
every policy: their principals (a trust or resource policy's), their ``Resource`` and
``NotResource`` (``sts:AssumeRole`` on another stack's role draws an edge of the assume-role
graph, ``iam:PassRole`` of it is judged by what that role holds) and their ``Condition``
values (the policy an ``iam:PolicyARN`` test admits).  It then links exactly as the ARN
written out would; a text is written out, where it is, with each export's value in its
import's place.  A whole import of an export that is a whole reference to a role (``Value:
!GetAtt Role.Arn``) names that role only, as the reference does
(:attr:`~rolelint.model.Value.declared_in`), not a role of the same ARN in a per-environment
copy of the template.  A document or statement several holders share stays one object, as the
checks report one document once.

Three more places take an import.  The name or path of a role (``RoleName``, ``Path``), a
user or group (``UserName``, ``GroupName``) or a managed policy (``ManagedPolicyName``) by
import: the parser wrote its ARN, and every ``Fn::GetAtt Arn`` or ``Ref`` of it in its
template, with a stand-in (an unresolved name, an unresolved path); the stand-in is the
exported text wherever it is, so a trust or ``iam:PassRole`` naming the role's ARN, a trust
naming the user's, a grant on the group's or an attachment of the policy's, written out in
another file, names it.  Not when a condition names it (the ARN is then one of several), nor
when the text is no name or path IAM takes.  An IAM Identity Center permission set's managed
policies and permissions boundary: the exported ARN, read as when written out (an AWS managed
policy rolelint ships becomes the set's policy, bounded by the set's boundary).  And an export
itself: a stack passing on another's export (``Value: !ImportValue Network:CiRoleArn``, or a
text around one) exports that value, followed through any number of stacks; exports reading
each other in a cycle are never known, as CloudFormation can deploy none of them first.

An import stays unresolved, as before, when its name does not resolve statically
(``${AWS::StackName}``, a parameter without a default), when no template of the run exports
that name, or when several do with different values or with one rolelint does not know (an
``Fn::If``, a parameter: even a default is what whoever deploys the exporting stack may
replace, so neither is a text made of one through any function, ``!Sub
"policy/${PolicyName}"``, :attr:`~rolelint.model.Value.from_default`; a resource's ``Ref``
or ``Fn::GetAtt`` is the resource's, even when a default names it, and the account, region
and partition are the deploying account's).  A text stays unresolved when any import of it
does, when anything else in it is unknown (a parameter without a default,
``${AWS::StackName}``), and when it would be longer than the parsers build one
(:data:`~rolelint.parsers.tree.MAX_TEXT`).

Nothing here knows a file format: it reads and rewrites the model only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

from rolelint.model import (
    Condition,
    Identity,
    IdentityKind,
    Inventory,
    ManagedPolicyRef,
    PermissionSetPolicy,
    PolicyDocument,
    Principal,
    Role,
    StackExport,
    Statement,
    Value,
    unresolved_name,
    unresolved_path,
)
from rolelint.parsers import permission_set_boundaries
from rolelint.parsers.holder import held_once
from rolelint.parsers.tree import MAX_TEXT

_Holder = TypeVar("_Holder", Role, Identity)
_Shared = TypeVar("_Shared", PolicyDocument, Statement)
# What has a name and path an import may give: a role, a user or group, a managed policy.
_Named = Role | Identity | PolicyDocument

# What IAM takes as the name and path of a role, user, group or managed policy (CreateRole,
# CreateUser, CreateGroup, CreatePolicy): an exported text that is neither is no name or path
# a deployment could give it, and is not read as one.  A role's or user's name is at most 64
# characters long, a group's or policy's 128.  A path holding a wildcard or a stand-in
# (``${AWS::Region}``, ``<generated:...>``) would make its ARN a pattern, or name what
# rolelint does not know, and is not read either.
_IAM_NAME = re.compile(r"[\w+=,.@-]+", re.ASCII)
_SHORT_NAMES = 64
_LONG_NAMES = 128
_PATH = re.compile(r"/(?:[\x21-\x7E]{1,510}/)?")
_NOT_IN_PATH = frozenset("*?<>${}")


def link_imports(inventory: Inventory) -> None:
    """Replace, in place, every import (whole, or in a text) of a holder's attachments and
    boundary, of the name and path of a role, user, group or managed policy, of the
    statements of every policy and of a permission set's managed policies and boundary by the
    value the one template of the run exporting its name gives."""
    exported = _exported(inventory.exports)
    if not exported:
        return
    renamed = _renamed(_named(inventory), exported)
    written = {
        name: replace(export, text=_written(export.text, renamed))
        for name, export in exported.items()
    }
    linked = _link_all(inventory, _Linker(written, renamed))
    inventory.roles, inventory.identities = linked.roles, linked.identities
    inventory.standalone_policies = linked.standalone_policies
    inventory.permission_set_policies = linked.permission_set_policies


@dataclass(frozen=True, slots=True)
class _Export:
    """What the run knows an export name gives: its text, and the namespace of the template
    declaring the role it is a whole reference to (``Value: !GetAtt Role.Arn``:
    Value.declared_in), which an import of it names alone, as the reference does."""

    text: str
    declared_in: str | None = None


@dataclass(frozen=True, slots=True)
class _Linked:
    """What :func:`_link_all` makes of an inventory's holders and policies."""

    roles: list[Role]
    identities: list[Identity]
    standalone_policies: list[PolicyDocument]
    permission_set_policies: list[PermissionSetPolicy]


def _link_all(inventory: Inventory, linker: _Linker) -> _Linked:
    """Every value of ``inventory`` an import may stand in, through ``linker``; the inventory
    is left as it is (:func:`imported_names` walks it only to read it)."""
    standalone = [linker.document(document) for document in inventory.standalone_policies]
    permission_set_policies: list[PermissionSetPolicy] = []
    for attachment in inventory.permission_set_policies:
        linked, document = linker.permission_set_policy(attachment)
        permission_set_policies.append(linked)
        if document is not None:
            standalone.append(document)
    return _Linked(
        [linker.holder(role) for role in inventory.roles],
        [linker.holder(identity) for identity in inventory.identities],
        standalone,
        permission_set_policies,
    )


def imported_names(inventory: Inventory) -> set[str]:
    """The export names :func:`link_imports` would look up for ``inventory`` (an import, whole
    or in a text, wherever it links one): what to look for in the templates that may export
    them (rolelint.template_readers).  Found by the very walk that links them, so the two
    cannot disagree on where an import is read."""
    recorder = _ImportRecorder()
    _link_all(inventory, recorder)
    # And what its exports read: a relay's export is known once the export it passes on is.
    return recorder.names | _reads(export.value for export in inventory.exports)


def _exported(exports: Iterable[StackExport]) -> dict[str, _Export]:
    """Each export name of the run with the one text every export of it gives.  A name
    exported with different values, or with one its template does not know (unresolved, or
    made of a parameter's default, which another deployment may replace), is left out.  The
    role a whole reference names is kept when every export of the name names the one role
    (two copies of a template exporting under one name are in two accounts, and which of them
    an importing stack's account holds is not in the code: the text then names every role of
    that ARN, as written out).

    An export may itself be a text of imports (a stack passing on what another exports,
    ``Value: !ImportValue Network:VpcRoleArn``, or a text around one): it is known once every
    export it reads is, and written out as an import is.  Each name is decided once, after
    those it reads (in the order of a topological sort, however long the relay); exports
    reading each other in a cycle never are: CloudFormation could deploy none of them first."""
    values: dict[str, list[Value]] = {}
    for export in exports:
        values.setdefault(export.name, []).append(export.value)
    # What each name waits for, and who waits for each: the exports its values read.
    reads = {name: _reads(each) & values.keys() for name, each in values.items()}
    readers: dict[str, list[str]] = {}
    for name, names in reads.items():
        for read in names:
            readers.setdefault(read, []).append(name)
    left = {name: len(names) for name, names in reads.items()}
    ready = [name for name, count in left.items() if not count]
    known: dict[str, _Export] = {}
    while ready:
        name = ready.pop()
        given = [_export_value(value, known) for value in values[name]]
        texts = {value.text if value is not None else None for value in given}
        if len(texts) == 1 and isinstance(text := texts.pop(), str):
            declared = {value.declared_in for value in given if value is not None}
            known[name] = _Export(text, declared.pop() if len(declared) == 1 else None)
        for reader in readers.get(name, ()):
            left[reader] -= 1
            if not left[reader]:
                ready.append(reader)
    return known


def _reads(values: Iterable[Value]) -> set[str]:
    """The export names ``values`` read, as texts of imports."""
    return {name for value in values for name in value.imported_names}


def _export_value(value: Value, known: dict[str, _Export]) -> Value | None:
    """An exported ``value`` once the exports it reads are decided (``known``, or not); None
    when its text is not known."""
    if value.from_default:
        return None
    read = _read(value, known)
    return read if read.text is not None else None


def _read(value: Value, exported: dict[str, _Export]) -> Value:
    """The value an unresolved import, or a text imports alone leave unknown, has once the
    exports it reads are known, where it is written; any other value as it is, and so is a
    text one of whose exports is not known, or that would be longer than the parsers build
    one.  A whole import of a whole reference to a role names that role, as the reference
    does (:attr:`_Export.declared_in`); a text around one is a text written out, which names
    every role of its ARN."""
    if value.text is not None:
        return value
    parts = value.import_parts
    if parts is None:
        return value
    exports = [exported.get(name) for name in parts[1::2]]
    known = [export.text for export in exports if export is not None]
    if len(known) != len(exports):
        return value
    if sum(map(len, parts[::2])) + sum(map(len, known)) > MAX_TEXT:
        return value
    pieces = [parts[0]]
    for text, after in zip(known, parts[2::2], strict=True):
        pieces += (text, after)
    whole = exports[0] if value.imported_text is None and exports else None
    return Value(
        "".join(pieces),
        value.ref,
        from_default=value.from_default,
        declared_in=whole.declared_in if whole is not None else None,
    )


def _named(inventory: Inventory) -> Iterator[tuple[_Named, str, int]]:
    """Each role, user, group and managed policy of ``inventory`` with one ARN (not one a
    condition chooses among several, which one stand-in stands for together), with that ARN
    and the longest name IAM gives it.  A managed policy is wherever a holder or the
    inventory keeps its document (a boundary's view of it too), each once."""
    for role in inventory.roles:
        if role.arn.text is not None and not role.other_arns:
            yield role, role.arn.text, _SHORT_NAMES
    for identity in inventory.identities:
        if identity.arn.text is not None and not identity.other_arns:
            longest = _SHORT_NAMES if identity.kind is IdentityKind.USER else _LONG_NAMES
            yield identity, identity.arn.text, longest
    holders: Iterable[Role | Identity] = (*inventory.roles, *inventory.identities)
    documents = [d for holder in holders for d in holder.policies]
    seen: set[int] = set()
    for document in (*documents, *inventory.standalone_policies):
        for each in (document, document.permissions):
            if each is None or id(each) in seen:
                continue
            seen.add(id(each))
            if each.managed and each.arn is not None:
                yield each, each.arn, _LONG_NAMES


def _renamed(
    named: Iterable[tuple[_Named, str, int]], exported: dict[str, _Export]
) -> dict[str, str]:
    """The stand-ins of the roles, users, groups and managed policies whose name or path is
    an import the run knows, each with the text that takes its place
    (``<unresolved name:App.json#DeployRole>`` -> ``deploy-admin``), wherever a value holds
    it: in the ARN, and in every ``Fn::GetAtt Arn`` or ``Ref`` of it, which the parser wrote
    with that stand-in.  Not when the text is no name or path IAM takes."""
    renamed: dict[str, str] = {}
    for each, arn, longest in named:
        where, key = _place(each)
        name = _read(each.name, exported) if each.name is not None else None
        if name is not None and name is not each.name and name.text is not None:
            stand_in = unresolved_name(where, key)
            if stand_in in arn and _is_name(name.text, longest):
                renamed[stand_in] = name.text
        path = _read(each.path, exported) if each.path is not None else None
        if path is not None and path is not each.path and path.text is not None:
            stand_in = unresolved_path(where, key)
            if stand_in in arn and _is_path(path.text):
                renamed[stand_in] = path.text
    return renamed


def _place(named: _Named) -> tuple[str, str]:
    """The file and logical id a stand-in of ``named``'s name or path is made of."""
    if isinstance(named, PolicyDocument):
        return named.ref.file, named.resource
    return named.ref.file, named.id


def _is_name(text: str, longest: int) -> bool:
    return len(text) <= longest and _IAM_NAME.fullmatch(text) is not None


def _is_path(text: str) -> bool:
    return _PATH.fullmatch(text) is not None and _NOT_IN_PATH.isdisjoint(text)


def _written(text: str, renamed: dict[str, str]) -> str:
    """``text`` with the stand-in of each role :func:`_renamed` gives in its place."""
    if "<" not in text:
        return text
    for stand_in, name in renamed.items():
        text = text.replace(stand_in, name)
    return text


class _Linker:
    """The rewriting of one run's model with the exports it knows.  A document or statement
    several holders share (a managed policy attached to three roles, a boundary's view of a
    policy) is rewritten once and stays shared: checks report one document once, naming
    every holder."""

    def __init__(self, exported: dict[str, _Export], renamed: dict[str, str]) -> None:
        self.exported = exported
        self.renamed = renamed
        # By the id of the original (kept, so that the id is not another object's).
        self._documents: dict[int, tuple[PolicyDocument, PolicyDocument]] = {}
        self._statements: dict[int, tuple[Statement, Statement]] = {}

    def read(self, value: Value) -> Value:
        read = _read(value, self.exported)
        if not self.renamed or read.text is None:
            return read
        text = _written(read.text, self.renamed)
        return read if text == read.text else replace(read, text=text)

    def holder(self, holder: _Holder) -> _Holder:
        changes = self.own_names(holder)
        # An import may give an ARN the holder attaches written out too, or the ARN of the
        # policy a SAM Policies name of the holder names without a path known: each is then
        # one policy, held once (held_once, as the parser holds them).
        references = held_once(self.reference(r) for r in holder.managed_policy_arns)
        boundary = holder.permissions_boundary
        if boundary is not None:
            boundary = self.read(boundary)
        policies = tuple(self.document(document) for document in holder.policies)
        if len(references) != len(holder.managed_policy_arns) or _changed(
            references, holder.managed_policy_arns
        ):
            changes["managed_policy_arns"] = references
        if boundary is not holder.permissions_boundary:
            changes["permissions_boundary"] = boundary
        if _changed(policies, holder.policies):
            changes["policies"] = policies
        if isinstance(holder, Role) and holder.trust_policy is not None:
            trust = self.document(holder.trust_policy)
            if trust is not holder.trust_policy:
                changes["trust_policy"] = trust
        return replace(holder, **changes) if changes else holder  # type: ignore[arg-type]

    def own_names(self, named: _Named) -> dict[str, object]:
        """The name, path and ARN of a role, user, group or managed policy named by import
        (see :func:`_renamed`), as the export gives them: the name and path where the import
        is written."""
        if not self.renamed:
            return {}
        changes: dict[str, object] = {}
        where, key = _place(named)
        stand_ins = (
            ("name", named.name, unresolved_name(where, key)),
            ("path", named.path, unresolved_path(where, key)),
        )
        for field, value, stand_in in stand_ins:
            if value is not None and stand_in in self.renamed:
                changes[field] = self.read(value)
        if changes:
            changes["arn"] = self.arn(named.arn)
        return changes

    def arn(self, arn: Value | str | None) -> Value | str | None:
        """An ARN as the exports write it: a holder's (a value, where it is written), or a
        managed policy's (PolicyDocument.arn, a text)."""
        if isinstance(arn, Value):
            return self.read(arn)
        return None if arn is None else _written(arn, self.renamed)

    def permission_set_policy(
        self, attachment: PermissionSetPolicy
    ) -> tuple[PermissionSetPolicy, PolicyDocument | None]:
        """A permission set's managed policy attached by import, by the exported ARN, and the
        document it then is (an AWS managed policy rolelint ships), bounded by the set's
        boundary and held with the set's other policies, as the parser reads one written out;
        None when no new document."""
        from rolelint.managed_policies import document_for  # its data is read only when needed

        reference = self.reference(attachment.reference)
        boundary = attachment.boundary
        if boundary is not None:  # read first: _ImportRecorder notes what it imports
            boundary = self.read(boundary)
        if reference is attachment.reference:
            return attachment, None
        linked = replace(attachment, reference=reference, boundary=boundary)
        document = document_for(
            reference, attachment.permission_set, permission_set_boundaries.NOUN
        )
        if document is None:
            return linked, None
        bounded = permission_set_boundaries.bounded(document, boundary, attachment.permission_set)
        return linked, replace(bounded, permission_set=attachment.key)

    def reference(self, reference: ManagedPolicyRef) -> ManagedPolicyRef:
        """A managed policy attached by import, by the exported ARN.  An inline policy whose
        text is an import is no ARN: it stays unread."""
        if reference.inline:
            return reference
        arn = self.read(reference.arn)
        return reference if arn is reference.arn else replace(reference, arn=arn)

    def document(self, document: PolicyDocument) -> PolicyDocument:
        return _once(self._documents, document, self._document)

    def _document(self, document: PolicyDocument) -> PolicyDocument:
        changes = self.own_names(document) if document.managed else {}
        statements = tuple(self.statement(s) for s in document.statements)
        permissions = document.permissions
        if permissions is not None:
            permissions = self.document(permissions)
        boundaries = tuple(self.document(d) for d in document.holder_boundaries)
        if _changed(statements, document.statements):
            changes["statements"] = statements
        if permissions is not document.permissions:
            changes["permissions"] = permissions
        if _changed(boundaries, document.holder_boundaries):
            changes["holder_boundaries"] = boundaries
        rewritten = replace(document, **changes) if changes else document  # type: ignore[arg-type]
        holder_boundary = document.holder_boundary
        if holder_boundary is None or holder_boundary.text is not None:
            return rewritten
        boundary = self.read(holder_boundary)
        if boundary is holder_boundary:
            return rewritten
        # A permission set's boundary named by import: read as the parser reads one written out.
        return permission_set_boundaries.bounded(rewritten, boundary, document.resource)

    def statement(self, statement: Statement) -> Statement:
        return _once(self._statements, statement, self._statement)

    def _statement(self, statement: Statement) -> Statement:
        changes: dict[str, object] = {}
        for name in ("principals", "not_principals"):
            principals: tuple[Principal, ...] = getattr(statement, name)
            read = tuple(self.principal(p) for p in principals)
            if _changed(read, principals):
                changes[name] = read
        for name in ("resources", "not_resources"):
            values: tuple[Value, ...] = getattr(statement, name)
            resources = tuple(self.read(v) for v in values)
            if _changed(resources, values):
                changes[name] = resources
        conditions = tuple(self.condition(c) for c in statement.conditions)
        if _changed(conditions, statement.conditions):
            changes["conditions"] = conditions
        return replace(statement, **changes) if changes else statement  # type: ignore[arg-type]

    def principal(self, principal: Principal) -> Principal:
        value = self.read(principal.value)
        return principal if value is principal.value else replace(principal, value=value)

    def condition(self, condition: Condition) -> Condition:
        values = tuple(self.read(v) for v in condition.values)
        if not _changed(values, condition.values):
            return condition
        return replace(condition, values=values)


class _ImportRecorder(_Linker):
    """The walk of :class:`_Linker` that links nothing but notes the export names it would
    look up."""

    def __init__(self) -> None:
        super().__init__({}, {})
        self.names: set[str] = set()

    def read(self, value: Value) -> Value:
        self.names.update(value.imported_names)
        return value

    def own_names(self, named: _Named) -> dict[str, object]:
        for value in (named.name, named.path):  # named by import (see _renamed)
            if value is not None:
                self.read(value)
        return {}


def _once(
    done: dict[int, tuple[_Shared, _Shared]],
    original: _Shared,
    rewrite: Callable[[_Shared], _Shared],
) -> _Shared:
    """``rewrite(original)``, worked out once for each object however many hold it."""
    found = done.get(id(original))
    if found is not None and found[0] is original:
        return found[1]
    rewritten = rewrite(original)
    done[id(original)] = (original, rewritten)
    return rewritten


def _changed(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    return any(a is not b for a, b in zip(new, old, strict=True))
