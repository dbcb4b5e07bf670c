"""``aws iam get-account-authorization-details`` output: a real account's roles, users, groups
and policies, read offline so an account snapshot can be audited and mixed with code.

What the export holds becomes the same model as a template:

- ``RoleDetailList``: roles ``<file>#<RoleName>`` (as ``get-role`` output names them) with their
  trust policy, inline policies (``RolePolicyList``), attached managed policies, permissions
  boundary and instance profiles.  The roles repeated inside ``InstanceProfileList`` entries are
  the same roles and are not read again.
- ``UserDetailList`` and ``GroupDetailList``: users and groups ``<file>#<Name>``; a user's
  ``GroupList`` becomes the ids of its groups in this file.
- ``Policies``: customer managed policies.  Only the default version counts (the entry of
  ``PolicyVersionList`` with ``IsDefaultVersion``); other versions are history that grants
  nothing, and are not read (a duplicate key in one is not reported).  A policy is one
  document, held by every role, user and group that attaches it, and a role's (or user's)
  permissions boundary when it names one.  A policy that nothing in the
  export attaches is checked on its own, as a raw policy file is: it is the account's text and
  may be attached at any time.  One used only as a boundary limits and grants nothing, so it is
  not (as in templates): one a role or user of the export has as its boundary, and one IAM
  counts as attached to nothing and the boundary of some (``AttachmentCount`` 0,
  ``PermissionsBoundaryUsageCount`` above 0) when the export does not list them (an export of
  policies alone), which stands alone as that boundary: its grammar is judged, not its grants.
- AWS managed policies (``arn:aws:iam::aws:policy/...``) stay references by ARN, resolved from the
  shipped documents like anywhere else (:mod:`rolelint.managed_policies`), at the line that
  attaches them; their copies in ``Policies`` are not read.  A customer managed ARN whose policy
  is not in ``Policies`` (an export filtered with ``--filter``) stays a reference by ARN: once
  every file of the run is parsed, :mod:`rolelint.policy_links` links it to the policy another
  file defines under that ARN, if any.

Documents are JSON objects in the CLI's output and URL-encoded JSON strings in the raw API's;
both are read.  Every value keeps its line and column in the file, except in a document given as
a string, whose characters have no position of their own: there every value points at the string.

A malformed entry (no name, a list where an object belongs) never stops the reading: it is
skipped with an input error naming its line, and the rest of the file is read.  An export that
says it is truncated (``IsTruncated``, or the CLI's ``NextToken`` under ``--max-items``) gives a
notice: roles and policies of the later pages are missing, so a policy may look unattached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from rolelint.findings import InputError
from rolelint.managed_policies import shipped_arn_name
from rolelint.model import (
    Identity,
    IdentityKind,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Role,
    SourceProblem,
    Value,
    literal_accounts,
)
from rolelint.parsers.holder import Holder
from rolelint.parsers.paging import truncation_notice
from rolelint.parsers.policy_builder import PolicyBuilder, duplicate_key_problems
from rolelint.parsers.policy_json import decode_embedded_policy
from rolelint.parsers.tree import LoadedDocument, LoadError, PMap, PSeq
from rolelint.source import SourceRef, Span, first_containing

FORMAT = "account-authorization"
ROLES = "RoleDetailList"
USERS = "UserDetailList"
GROUPS = "GroupDetailList"
POLICIES = "Policies"
DETAIL_LISTS = (ROLES, USERS, GROUPS)
# Every key at the top of an export: its lists and the markers of a page.
# ``ResponseMetadata``: boto3 adds it to every answer, so a dumped boto3 response has it.
EXPORT_KEYS = frozenset(
    {*DETAIL_LISTS, POLICIES, "IsTruncated", "Marker", "NextToken", "ResponseMetadata"}
)
_POLICY_ENTRY_KEYS = ("PolicyName", "Arn", "PolicyVersionList")

_AWS_MANAGED = re.compile(r"^arn:[a-z][a-z0-9-]*:iam::aws:policy/")
_SERVICE_ROLE_PATHS = ("service-role", "aws-service-role")
_NO_SESSION_DURATION = (
    "an account export does not hold MaxSessionDuration; get-role and list-roles answers do"
)


@dataclass(slots=True)
class AccountSnapshot:
    """What one export gave: its inventory, the entries skipped, and whether it is complete."""

    inventory: Inventory
    errors: list[InputError] = field(default_factory=list)  # malformed entries, skipped
    notices: list[InputError] = field(default_factory=list)  # the export is incomplete
    # The ARNs of ``Policies``: an export filtered to them names its account nowhere else.
    policy_arns: list[str] = field(default_factory=list)

    @property
    def accounts(self) -> frozenset[str]:
        """The account exported: the literal accounts of its roles, users and groups, and of
        its customer managed policies (an AWS managed one's is ``aws``, no account)."""
        return self.inventory.arn_accounts() | literal_accounts(self.policy_arns)


def looks_like_account_authorization(root: Any) -> bool:
    """A JSON object with a ``RoleDetailList``, ``UserDetailList`` or ``GroupDetailList`` list,
    or an export of policies alone (:func:`_policies_alone`).

    No template, plan or policy has any of these keys at its top, and a policy document (a
    ``Statement``) is never taken for an export.
    """
    if not isinstance(root, PMap) or "Statement" in root:
        return False
    return any(isinstance(root.get(key), PSeq) for key in DETAIL_LISTS) or _policies_alone(root)


def _policies_alone(root: PMap) -> bool:
    """An export filtered to managed policies (``--filter LocalManagedPolicy``): AWS includes
    only the entity types asked for, so it has ``Policies`` and no detail list.

    ``Policies`` is a common enough key that it alone proves nothing: the object must hold no
    key an export does not have, and an entry of ``Policies`` must have the keys of an export's
    policy entry (``PolicyName``, ``Arn``, ``PolicyVersionList``).
    """
    policies = root.get(POLICIES)
    if not isinstance(policies, PSeq) or any(key not in EXPORT_KEYS for key in root):
        return False
    return any(
        isinstance(entry, PMap) and all(key in entry for key in _POLICY_ENTRY_KEYS)
        for entry in policies
    )


def parse_account_authorization(loaded: LoadedDocument) -> Inventory:
    """The inventory of an export (see :func:`read_account_authorization` for its errors)."""
    return read_account_authorization(loaded).inventory


def read_account_authorization(loaded: LoadedDocument) -> AccountSnapshot:
    """The roles, users, groups and customer managed policies of an export, with the entries
    that had to be skipped and a notice when the export is truncated.  Never raises."""
    return _Export(loaded).read()


@dataclass(frozen=True, slots=True)
class _ManagedPolicy:
    """A managed policy of ``Policies``: its default version's document, if readable."""

    name: str
    document: PolicyDocument | None
    aws_managed: bool = False  # AWS's, not the account's: never checked as standing alone
    # Its AttachmentCount is not 0 (or not given): attached to roles, users or groups, perhaps
    # ones an export of fewer entities (--filter LocalManagedPolicy) does not list.
    attached: bool = True
    # Attached to none (AttachmentCount 0) and the permissions boundary of some
    # (PermissionsBoundaryUsageCount above 0), as IAM counts them: a boundary only, whether or
    # not the export lists whom it caps.
    boundary_only: bool = False


@dataclass(slots=True, kw_only=True)
class _Holder(Holder):
    id: str
    label: str  # "role deploy": how error messages name it (the file is named already)
    ref: SourceRef
    span: Span | None  # the whole entry, to name the owner of a duplicate key


class _Export:
    def __init__(self, loaded: LoadedDocument) -> None:
        self.loaded = loaded
        self.file = loaded.path
        self.root: PMap = loaded.root if isinstance(loaded.root, PMap) else PMap()
        self.builder = PolicyBuilder(loaded.path)
        self.snapshot = AccountSnapshot(Inventory())
        self.policies: dict[str, _ManagedPolicy] = {}  # customer managed policies by ARN
        self.policy_spans: list[tuple[Span | None, str]] = []  # (entry, resource)
        self.used: set[str] = set()  # ARNs attached as permissions or boundary
        self.holders: list[_Holder] = []
        # What the export holds but rolelint does not read (a policy version other than the
        # default, the copy of an AWS managed policy rolelint ships): no duplicate key there
        # takes effect anywhere.
        self.unread: list[Span | None] = []

    # --- helpers ---------------------------------------------------------------------------------

    @property
    def inventory(self) -> Inventory:
        return self.snapshot.inventory

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def error(self, message: str, span: Span | None) -> None:
        self.snapshot.errors.append(InputError(self.file, message, *_position(span)))

    def entries(
        self, container: PMap, key: str, what: str | None = None
    ) -> Iterator[tuple[PMap, Span | None]]:
        """The objects of a list-valued key; anything else is reported and skipped.

        ``what`` names the owner in messages ("role deploy"); None for the export's own lists.
        """
        if key not in container or container[key] is None:
            return
        items = container[key]
        prefix = f"{what}: " if what else ""
        if not isinstance(items, PSeq):
            self.error(f"{prefix}{key} is not a list; it is ignored", container.span_of(key))
            return
        for index, item in enumerate(items):
            if isinstance(item, PMap):
                yield item, items.span_at(index)
            else:
                self.error(
                    f"{prefix}an entry of {key} is not an object; it is skipped",
                    items.span_at(index),
                )

    def text(self, container: PMap, key: str, what: str, *, required: bool = True) -> Value | None:
        """A string value with its position; None (reported when required) otherwise."""
        node = container.get(key)
        if isinstance(node, str) and node:
            return Value(node, self.ref(container.span_of(key)))
        if required or key in container:
            problem = "has no" if key not in container else "has an invalid"
            self.error(f"{what} {problem} {key}", container.span_of(key))
        return None

    def document(
        self, container: PMap, key: str, *, kind: PolicyKind, resource: str, origin: str, what: str
    ) -> PolicyDocument | None:
        """A policy document given as an object, or as URL-encoded (or plain) JSON text.

        ``what`` names it in error messages ("the trust policy of role deploy").
        """
        if key not in container:
            self.error(f"{what} has no {key}", container.span)
            return None
        node = container[key]
        span = container.span_of(key)
        if isinstance(node, str):
            try:
                embedded = decode_embedded_policy(node, self.file, span)
            except LoadError as error:
                self.error(f"{what} cannot be read ({error.message})", span)
                return None
            if embedded is None:
                self.error(f"{what} is a string that is neither JSON nor URL-encoded JSON", span)
                return None
            self.inventory.problems.extend(duplicate_key_problems(embedded, resource))
            node = embedded.root
        document = (
            self.builder.document(node, span, kind=kind, resource=resource, origin=origin)
            if isinstance(node, PMap)
            else None
        )
        if document is None:
            self.error(f"{what} is not a policy document object", span)
        return document

    # --- the export ------------------------------------------------------------------------------

    def read(self) -> AccountSnapshot:
        self.truncation()
        for key in (*DETAIL_LISTS, POLICIES):
            if key in self.root and not isinstance(self.root[key], PSeq):
                self.error(f"{key} is not a list; it is ignored", self.root.span_of(key))
        self.index_policies()
        seen: set[str] = set()
        roles = [r for r in (self.role(e, s, seen) for e, s in self.top(ROLES)) if r is not None]
        users = [self.identity(e, s, IdentityKind.USER, seen) for e, s in self.top(USERS)]
        groups = [self.identity(e, s, IdentityKind.GROUP, seen) for e, s in self.top(GROUPS)]
        self.inventory.roles.extend(roles)
        self.inventory.identities.extend(i for i in (*users, *groups) if i is not None)
        for arn, managed in self.policies.items():
            if managed.document is not None and arn not in self.used and not managed.aws_managed:
                self.inventory.standalone_policies.append(
                    _standing_alone(managed, managed.document)
                )
        self.inventory.problems.extend(self.builder.problems)
        self.inventory.problems.extend(self.duplicates())
        return self.snapshot

    def top(self, key: str) -> Iterator[tuple[PMap, Span | None]]:
        if isinstance(self.root.get(key), PSeq):
            yield from self.entries(self.root, key)

    def truncation(self) -> None:
        notice = truncation_notice(
            self.file,
            self.root,
            "account export",
            "entities",
            "roles, policies and attachments may be absent or look unattached",
            "export",
        )
        if notice is not None:
            self.snapshot.notices.append(notice)

    # --- customer managed policies ---------------------------------------------------------------

    def index_policies(self) -> None:
        for entry, span in self.top(POLICIES):
            arn = entry.get("Arn")
            if not isinstance(arn, str) or not arn:
                self.error("a managed policy without a valid Arn is skipped", span)
                continue
            self.snapshot.policy_arns.append(arn)
            aws_managed = _AWS_MANAGED.match(arn) is not None
            if aws_managed and shipped_arn_name(arn) is not None:
                self.unread.append(span)
                continue  # resolved by ARN from the shipped documents, with their version
            if arn in self.policies:
                self.error(f"managed policy {arn} is listed twice; the second is skipped", span)
                self.unread.append(span)
                continue
            name_value = self.text(entry, "PolicyName", f"managed policy {arn}", required=False)
            name = name_value.text if name_value and name_value.text else arn.rsplit("/")[-1]
            resource = f"{self.file}#{name}"
            self.policy_spans.append((span, resource))
            document = self.default_version(entry, name, resource)
            if aws_managed and document is not None:
                # One rolelint does not ship (ReadOnlyAccess, a job function): the export
                # holds the text the account has, AWS's own, so its grammar is not judged.
                # Under service-role/ or aws-service-role/ it is what a service needs for its
                # own role (a service-linked role's cannot even be changed), as the shipped
                # service-role policies are.
                origin = f"AWS {document.origin} as exported"
                service_role = any(f":policy/{p}/" in arn for p in _SERVICE_ROLE_PATHS)
                document = replace(
                    document, aws_managed=True, origin=origin, service_role_policy=service_role
                )
            elif document is not None:
                document = replace(document, arn=arn)
            unattached = _count(entry, "AttachmentCount") == 0
            boundary_only = unattached and (_count(entry, "PermissionsBoundaryUsageCount") or 0) > 0
            self.policies[arn] = _ManagedPolicy(
                name, document, aws_managed, not unattached, boundary_only
            )

    def default_version(self, entry: PMap, name: str, resource: str) -> PolicyDocument | None:
        """The document of the version marked default; the others grant nothing."""
        what = f"managed policy {name}"
        versions = list(self.entries(entry, "PolicyVersionList", what))
        listed = entry.get("PolicyVersionList")
        if listed is not None and not isinstance(listed, PSeq):
            return None  # not a list: said by entries, and no version can be chosen
        chosen = [(v, s) for v, s in versions if v.get("IsDefaultVersion") is True]
        if not chosen:
            # Some tools drop the flag but keep DefaultVersionId.
            default_id = entry.get("DefaultVersionId")
            chosen = [
                (v, s) for v, s in versions if default_id and v.get("VersionId") == default_id
            ]
        if not chosen:
            self.error(
                f"{what} has no default version in PolicyVersionList; "
                "where it is attached it stays an unresolved reference",
                entry.key_span_of("PolicyVersionList"),
            )
            self.unread.extend(span for _, span in versions)
            return None
        version, _ = chosen[0]
        self.unread.extend(span for other, span in versions if other is not version)
        version_id = version.get("VersionId")
        label = f" (default version {version_id})" if isinstance(version_id, str) else ""
        document = self.document(
            version,
            "Document",
            kind=PolicyKind.PERMISSIONS,
            resource=resource,
            origin=f"managed policy {name}{label}",
            what=f"the default version of {what}",
        )
        return replace(document, managed=True) if document is not None else None

    # --- roles, users, groups --------------------------------------------------------------------

    def holder(
        self, entry: PMap, span: Span | None, name_key: str, noun: str, seen: set[str]
    ) -> _Holder | None:
        name = entry.get(name_key)
        if not isinstance(name, str) or not name:
            self.error(f"a {noun} without a valid {name_key} is skipped", span)
            return None
        holder_id = f"{self.file}#{name}"
        if f"{noun}:{holder_id}" in seen:
            self.error(f"{noun} {name} is listed twice; the second is skipped", span)
            return None
        seen.add(f"{noun}:{holder_id}")
        holder = _Holder(
            id=holder_id,
            label=f"{noun} {name}",
            ref=self.ref(entry.key_span_of(name_key)),
            span=span,
        )
        self.holders.append(holder)
        return holder

    def role(self, entry: PMap, span: Span | None, seen: set[str]) -> Role | None:
        holder = self.holder(entry, span, "RoleName", "role", seen)
        if holder is None:
            return None
        role_id = holder.id
        trust = self.document(
            entry,
            "AssumeRolePolicyDocument",
            kind=PolicyKind.TRUST,
            resource=role_id,
            origin=f"trust policy of role {role_id}",
            what=f"the trust policy of {holder.label}",
        )
        self.inline(entry, "RolePolicyList", holder, "role")
        self.attached(entry, holder, "role")
        boundary = self.boundary(entry, holder, "role")
        for profile, _ in self.entries(entry, "InstanceProfileList", holder.label):
            name = self.text(
                profile, "InstanceProfileName", f"an instance profile of {holder.label}"
            )
            if name is not None and name.text is not None:
                holder.profiles.append(name.text)
            arn = profile.get("Arn")  # with its path, as IAM names it (Role.instance_profile_arns)
            if isinstance(arn, str) and arn:
                holder.profile_arns.append(Value(arn, self.ref(profile.span_of("Arn"))))
        arn = self.text(entry, "Arn", holder.label)
        return Role(
            id=role_id,
            ref=holder.ref,
            arn=arn or Value(None, holder.ref, "no Arn in the export"),
            name=Value(str(entry["RoleName"]), self.ref(entry.span_of("RoleName"))),
            path=self.text(entry, "Path", holder.label, required=False),
            trust_policy=trust,
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            permissions_boundary=boundary,
            max_session_duration=self.session_duration(entry, holder),
            instance_profiles=tuple(holder.profiles),
            deployed=True,
            instance_profile_arns=tuple(holder.profile_arns),
        )

    def session_duration(self, entry: PMap, holder: _Holder) -> tuple[Value, ...]:
        """The role's MaxSessionDuration, which the export does not hold: RoleDetail has no such
        field (get-role's Role has).  Its absence says nothing of the role, which may allow 12
        hours, so the length is unresolved, not AWS's one-hour default of a template that sets
        none.  A value written anyway (a tool merging get-role answers in) is read."""
        if "MaxSessionDuration" in entry:
            return tuple(self.builder.field(entry, "MaxSessionDuration"))
        return (Value(None, holder.ref, _NO_SESSION_DURATION),)

    def identity(
        self, entry: PMap, span: Span | None, kind: IdentityKind, seen: set[str]
    ) -> Identity | None:
        is_user = kind is IdentityKind.USER
        noun = kind.value
        holder = self.holder(entry, span, "UserName" if is_user else "GroupName", noun, seen)
        if holder is None:
            return None
        self.inline(entry, "UserPolicyList" if is_user else "GroupPolicyList", holder, noun)
        self.attached(entry, holder, noun)
        boundary = self.boundary(entry, holder, noun) if is_user else None
        groups: list[str] = []
        if is_user and entry.get("GroupList") is not None:
            names = entry["GroupList"]
            if isinstance(names, PSeq):
                for index, group in enumerate(names):
                    if isinstance(group, str) and group:
                        groups.append(f"{self.file}#{group}")
                    else:
                        self.error(
                            f"{holder.label}: a group name is not a string; it is skipped",
                            names.span_at(index),
                        )
            else:
                self.error(
                    f"{holder.label}: GroupList is not a list; it is ignored",
                    entry.span_of("GroupList"),
                )
        arn = self.text(entry, "Arn", holder.label)
        return Identity(
            kind=kind,
            id=holder.id,
            ref=holder.ref,
            arn=arn or Value(None, holder.ref, "no Arn in the export"),
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            groups=tuple(groups),
            permissions_boundary=boundary,
        )

    def inline(self, entry: PMap, key: str, holder: _Holder, noun: str) -> None:
        for item, _ in self.entries(entry, key, holder.label):
            name = item.get("PolicyName")
            label = name if isinstance(name, str) else "?"
            document = self.document(
                item,
                "PolicyDocument",
                kind=PolicyKind.PERMISSIONS,
                resource=holder.id,
                origin=f"inline policy '{label}' of {noun} {holder.id}",
                what=f"the inline policy '{label}' of {holder.label}",
            )
            if document is not None:
                holder.attach(document)

    def attached(self, entry: PMap, holder: _Holder, noun: str) -> None:
        """``AttachedManagedPolicies``: this export's customer policies become documents of the
        holder; AWS managed ones, and policies the export lacks, stay references by ARN."""
        for item, _ in self.entries(entry, "AttachedManagedPolicies", holder.label):
            arn = self.text(item, "PolicyArn", f"an attached policy of {holder.label}")
            if arn is None or arn.text is None:
                continue
            managed = self.policies.get(arn.text)
            if managed is not None and managed.document is not None:
                holder.attach(managed.document)
                self.used.add(arn.text)
            else:
                holder.add_managed(ManagedPolicyRef(arn))

    def boundary(self, entry: PMap, holder: _Holder, noun: str) -> Value | None:
        """The boundary's ARN; a customer policy of the export is also held as its document."""
        node = entry.get("PermissionsBoundary")
        if node is None:
            return None
        what = f"the permissions boundary of {holder.label}"
        if not isinstance(node, PMap):
            self.error(
                f"{what} is not an object; it is ignored", entry.span_of("PermissionsBoundary")
            )
            return None
        arn = self.text(node, "PermissionsBoundaryArn", what)
        managed = self.policies.get(arn.text or "") if arn is not None else None
        if arn is not None and managed is not None and managed.document is not None:
            name = f"AWS managed policy {managed.name}" if managed.aws_managed else managed.name
            origin = f"permissions boundary {name} of {noun} {holder.id}"
            holder.attach(managed.document.as_boundary(origin))
            self.used.add(arn.text or "")
        return arn

    # --- source problems -------------------------------------------------------------------------

    def duplicates(self) -> list[SourceProblem]:
        """Duplicate keys, each named after the role, user, group or policy that holds it; none
        of what the export holds unread (:attr:`unread`): only the default version of a policy
        counts, and a duplicate key in an older one changes nothing IAM grants."""
        named = [(h.id, h.span) for h in self.holders] + [(o, s) for s, o in self.policy_spans]
        problems = duplicate_key_problems(self.loaded, self.file)
        unread = first_containing(
            [("unread", span) for span in self.unread], [p.ref.span for p in problems]
        )
        problems = [problem for problem, skip in zip(problems, unread, strict=True) if not skip]
        owners = first_containing(named, [problem.ref.span for problem in problems])
        return [
            replace(problem, resource=owner or self.file)
            for problem, owner in zip(problems, owners, strict=True)
        ]


def _standing_alone(managed: _ManagedPolicy, document: PolicyDocument) -> PolicyDocument:
    """The policy no entity of the export holds, judged on its own: a boundary when IAM counts
    it only as one (it grants nothing: the permission rules leave it out, its grammar is
    judged), else a grant, which an attachment the export does not list makes certain
    (rolelint.boundary_links never takes it for a boundary)."""
    if managed.boundary_only:
        return document.as_boundary(document.origin)
    return replace(document, attached_elsewhere=managed.attached)


def _count(entry: PMap, key: str) -> int | None:
    """The number an entry's ``key`` gives (``AttachmentCount``); None when it gives none (a
    boolean is no count)."""
    count = entry.get(key)
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _position(span: Span | None) -> tuple[int | None, int | None]:
    return (span.line, span.column) if span is not None else (None, None)
