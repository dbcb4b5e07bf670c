"""Raw IAM policy files (trust policies, permission policies) and the IAM CLI's answers that hold
roles or policies: ``aws iam get-role``, ``list-roles``, ``get-role-policy`` (``get-user-policy``,
``get-group-policy``) and ``get-policy-version``.

The answers are read as an account export's entries are (:mod:`rolelint.parsers.
account_authorization`): roles named ``<file>#<RoleName>``, documents given as JSON objects (the
CLI's output) or URL-encoded JSON text (the raw API's), every value at its line and column, or
at the string that holds an encoded document.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rolelint.findings import InputError
from rolelint.model import Inventory, PolicyDocument, PolicyKind, Role, SourceProblem, Value
from rolelint.parsers.paging import truncation_notice
from rolelint.parsers.policy_builder import PolicyBuilder, duplicate_key_problems
from rolelint.parsers.tree import DuplicateKey, LoadedDocument, LoadError, PMap, PSeq, pinned
from rolelint.source import SourceRef, Span, first_containing
from rolelint.wildcards import matcher

_ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml")
# What a role's trust policy allows: assuming the role, and what a caller passes with it.
_TRUST_ACTIONS = (*_ASSUME_ACTIONS, "sts:tagsession", "sts:setsourceidentity", "sts:setcontext")
# A CloudFormation stack policy's grammar: its actions are Update:Modify, Update:Replace,
# Update:Delete and Update:*, its resources "*" or LogicalResourceId/<id> (a wildcard allowed).
_STACK_ACTION = "update:"
_STACK_RESOURCE = "LogicalResourceId/"


def looks_like_config_items(root: Any) -> bool:
    """AWS Config configuration items: a list of them (``configurationItems`` of
    ``aws configservice get-resource-config-history`` and of the snapshot and history files
    AWS Config delivers, ``baseConfigurationItems`` of ``batch-get-resource-config``), or a
    single item (a ``resourceType`` such as ``AWS::IAM::Role`` with its ``configuration``, or
    the status or capture time of an item without one: a deleted resource's).

    rolelint does not read the format, so such a file is skipped with a reason that says
    so: the items of IAM resources do hold policies, and "not an IAM policy" would be false.
    """
    if not isinstance(root, PMap):
        return False
    for key in ("configurationItems", "baseConfigurationItems"):
        items = root.get(key)
        if isinstance(items, PSeq) and items and all(_config_item(item) for item in items):
            return True
    return _config_item(root)


# The keys that make a mapping with an AWS ``resourceType`` a Config item.  ``configuration``
# is optional (AWS Config API Reference, ConfigurationItem): the item that ends the history of
# a deleted resource (``configurationItemStatus`` ResourceDeleted) has none.
_CONFIG_ITEM_KEYS = ("configuration", "configurationItemStatus", "configurationItemCaptureTime")


def _config_item(node: Any) -> bool:
    kind = node.get("resourceType") if isinstance(node, PMap) else None
    return (
        isinstance(kind, str)
        and kind.startswith("AWS::")
        and any(key in node for key in _CONFIG_ITEM_KEYS)
    )


def looks_like_policy(root: Any) -> bool:
    """An IAM policy document: a mapping with a Statement (list or object)."""
    return isinstance(root, PMap) and "Statement" in root


def looks_like_stack_policy(root: Any) -> bool:
    """A CloudFormation stack policy (``aws cloudformation set-stack-policy``): a Statement
    whose every action is ``Update:...`` and every resource ``*`` or ``LogicalResourceId/...``.

    It looks like an IAM policy but is none: CloudFormation reads it during stack updates only,
    and it "doesn't provide access controls like an IAM policy".  No AWS service has the prefix
    ``Update``, so read as IAM it grants nothing and every line of it is "rejected".  Only a
    document written wholly in that grammar is one: a single IAM action, an ARN or a value that
    is no string (an intrinsic function) keeps it an IAM policy, judged as such.
    """
    if not looks_like_policy(root):
        return False
    statements = root["Statement"]
    statements = statements if isinstance(statements, PSeq) else [statements]
    actions: list[str] = []
    for statement in statements:
        if not isinstance(statement, PMap):
            return False
        statement_actions = _strings(statement, ("Action", "NotAction"))
        resources = _strings(statement, ("Resource", "NotResource"))
        if statement_actions is None or resources is None:
            return False
        if not all(a.lower().startswith(_STACK_ACTION) for a in statement_actions):
            return False
        if not all(r == "*" or r.startswith(_STACK_RESOURCE) for r in resources):
            return False
        actions.extend(statement_actions)
    return bool(actions)


def _strings(statement: PMap, keys: tuple[str, ...]) -> list[str] | None:
    """The values of ``keys`` in ``statement`` (a string or a list of strings each); None when
    one is anything else."""
    values: list[str] = []
    for key in keys:
        if key not in statement:
            continue
        node = statement[key]
        items = node if isinstance(node, PSeq) else [node]
        if not all(isinstance(item, str) for item in items):
            return None
        values.extend(items)
    return values


def looks_like_get_role(root: Any) -> bool:
    """``aws iam get-role`` output: ``{"Role": {"AssumeRolePolicyDocument": ..., ...}}``."""
    role = root.get("Role") if isinstance(root, PMap) else None
    return isinstance(role, PMap) and "AssumeRolePolicyDocument" in role


def looks_like_list_roles(root: Any) -> bool:
    """``aws iam list-roles`` output: ``{"Roles": [{"AssumeRolePolicyDocument": ...}, ...]}``.

    ``Roles`` alone is a common key; a role of the IAM API always has its trust policy.
    """
    roles = root.get("Roles") if isinstance(root, PMap) and "Statement" not in root else None
    return isinstance(roles, PSeq) and any(
        isinstance(role, PMap) and "AssumeRolePolicyDocument" in role for role in roles
    )


# The holders of an inline policy, as get-role-policy, get-user-policy and get-group-policy
# name them.
_INLINE_HOLDERS = (("RoleName", "role"), ("UserName", "user"), ("GroupName", "group"))


def looks_like_inline_policy_answer(root: Any) -> bool:
    """``aws iam get-role-policy`` output (or get-user-policy's, get-group-policy's):
    ``{"RoleName": ..., "PolicyName": ..., "PolicyDocument": ...}``."""
    return (
        isinstance(root, PMap)
        and "PolicyDocument" in root
        and "PolicyName" in root
        and any(key in root for key, _ in _INLINE_HOLDERS)
    )


def looks_like_policy_version(root: Any) -> bool:
    """``aws iam get-policy-version`` output: ``{"PolicyVersion": {"Document": ...}}``."""
    version = root.get("PolicyVersion") if isinstance(root, PMap) else None
    return isinstance(version, PMap) and "Document" in version


def _kind_of(document: PolicyDocument) -> PolicyKind:
    """What a policy file is, from what its statements name.

    IAM refuses a trust policy with a Resource ("Has prohibited field Resource") and an identity
    policy with a Principal, so a document naming both is a resource-based policy (a bucket,
    key, queue or endpoint policy), which grants no role anything.  A document naming
    principals only is a trust policy when its actions may all be a trust policy's (see
    _trust_action), else a resource-based policy whose service needs no Resource (an ECR
    repository policy); one naming neither is a trust policy when it allows only role
    assumption (one whose Principal is missing), else a permission policy.
    """
    statements = document.statements
    names_resources = any(s.names_resources for s in statements)
    names_principals = any(s.principals or s.not_principals for s in statements)
    actions = [a.text.lower() for s in statements for a in s.actions if a.text]
    if names_principals:
        if names_resources or not all(_trust_action(action) for action in actions):
            return PolicyKind.RESOURCE
        return PolicyKind.TRUST
    if names_resources:
        return PolicyKind.PERMISSIONS
    if actions and all(action.startswith(_ASSUME_ACTIONS) for action in actions):
        return PolicyKind.TRUST
    return PolicyKind.PERMISSIONS


def _trust_action(action: str) -> bool:
    """Whether ``action`` (lower case) may be one of a role's trust policy: an AssumeRole of
    any suffix (a misspelt one too, which the action rules report), sts:TagSession,
    sts:SetSourceIdentity or sts:SetContext, or a wildcard matching one (``sts:*``, ``*``: IAM
    takes them in a trust policy, and no other service's policy grants sts actions, so they
    keep the trust rules reading the file).  A placeholder left to a template
    (``${action}``) may be anything: it is no evidence against."""
    if action.startswith(_ASSUME_ACTIONS) or "${" in action:
        return True
    matches = matcher(action)
    return any(matches(trust) for trust in _TRUST_ACTIONS)


def parse_policy_file(loaded: LoadedDocument) -> Inventory:
    """A standalone policy document; its kind (trust or permissions) is inferred from content."""
    builder = PolicyBuilder(loaded.path)
    inventory = Inventory()
    document = builder.document(
        loaded.root,
        loaded.root.span,
        kind=PolicyKind.PERMISSIONS,
        resource=loaded.path,
        origin=f"policy file {loaded.path}",
    )
    if document is not None:
        kind = _kind_of(document)
        if kind is not document.kind:
            document = _with_kind(document, kind)
        inventory.standalone_policies.append(document)
    inventory.problems.extend(builder.problems)
    inventory.problems.extend(duplicate_key_problems(loaded, loaded.path))
    return inventory


def parse_get_role(loaded: LoadedDocument) -> tuple[Inventory, list[InputError]]:
    """A role exported with ``aws iam get-role``: its trust policy and session settings, and
    the error of a trust policy that cannot be read (the role is still analyzed)."""
    builder = PolicyBuilder(loaded.path)
    errors: list[InputError] = []
    embedded: list[SourceProblem] = []
    role = _read_role(loaded, builder, loaded.root["Role"], "get-role", errors, embedded)
    inventory = Inventory(roles=[role])
    inventory.problems.extend(builder.problems)
    inventory.problems.extend(duplicate_key_problems(loaded, role.id))
    inventory.problems.extend(embedded)
    return inventory, errors


def parse_list_roles(
    loaded: LoadedDocument,
) -> tuple[Inventory, list[InputError], list[InputError]]:
    """The roles of ``aws iam list-roles``, each read as a get-role answer's (the same keys,
    named ``<file>#<RoleName>``); an entry that is no role, or has no name, is skipped with an
    input error, and the rest of the file is read.  Third: the notice of an answer cut short
    by paging, whose missing roles would otherwise pass unseen."""
    builder = PolicyBuilder(loaded.path)
    errors: list[InputError] = []
    embedded: list[SourceProblem] = []
    roles: list[Role] = []
    entries: PSeq = loaded.root["Roles"]
    for index, entry in enumerate(entries):
        at = SourceRef(loaded.path, entries.span_at(index))
        if not isinstance(entry, PMap) or "AssumeRolePolicyDocument" not in entry:
            message = "an entry of Roles is not a role with an AssumeRolePolicyDocument; skipped"
            errors.append(InputError(loaded.path, message, at.line, at.column))
            continue
        name = entry.get("RoleName")
        if not isinstance(name, str) or not name:
            message = "a role of Roles without a valid RoleName is skipped"
            errors.append(InputError(loaded.path, message, at.line, at.column))
            continue
        if any(role.name is not None and role.name.text == name for role in roles):
            message = f"role {name} is listed twice in Roles; the second is skipped"
            errors.append(InputError(loaded.path, message, at.line, at.column))
            continue
        roles.append(_read_role(loaded, builder, entry, "list-roles", errors, embedded))
    inventory = Inventory(roles=roles)
    inventory.problems.extend(builder.problems)
    duplicates = duplicate_key_problems(loaded, loaded.path)
    owners = first_containing(
        [(role.id, role.ref.span) for role in roles], [problem.ref.span for problem in duplicates]
    )
    inventory.problems.extend(
        replace(problem, resource=owner or loaded.path)
        for problem, owner in zip(duplicates, owners, strict=True)
    )
    inventory.problems.extend(embedded)
    notice = truncation_notice(
        loaded.path, loaded.root, "list-roles answer", "roles", "they are not analyzed", "list"
    )
    return inventory, errors, [notice] if notice is not None else []


def _read_role(
    loaded: LoadedDocument,
    builder: PolicyBuilder,
    role_node: PMap,
    command: str,
    errors: list[InputError],
    embedded: list[SourceProblem],
) -> Role:
    """One role as the IAM API returns it (``get-role``'s ``Role``, an entry of ``list-roles``),
    with the errors of what cannot be read; ``command`` (``get-role``, ``list-roles``) names
    the answer in them.

    Neither answer holds the role's permission policies (list-role-policies and
    list-attached-role-policies return them): what the role can do is unknown, not nothing.
    ListRoles does not return PermissionsBoundary ("does not return the following attributes,
    even though they are an attribute of the returned object"): its roles' boundary is unknown,
    not absent."""
    answer = f"{command} output"
    valid = _valid_strings(
        loaded.path, role_node, ("RoleName", "Arn", "Path"), f"the role of this {answer}", errors
    )
    name_values = builder.field(role_node, "RoleName") if "RoleName" in valid else []
    name = name_values[0] if name_values else None
    role_id = f"{loaded.path}#{name.text}" if name and name.text else loaded.path
    trust = _read_document(
        loaded,
        builder,
        role_node,
        "AssumeRolePolicyDocument",
        kind=PolicyKind.TRUST,
        resource=role_id,
        origin=f"trust policy of role {role_id}",
        what=f"the trust policy of role {role_id}",
        unread="who may assume the role is not analyzed",
        errors=errors,
        embedded=embedded,
    )
    arn_values = builder.field(role_node, "Arn") if "Arn" in valid else []
    ref = SourceRef(loaded.path, role_node.span)
    boundary = _boundary_arn(builder, role_node)
    if boundary is None and command == "list-roles" and "PermissionsBoundary" not in role_node:
        not_returned = "a list-roles answer does not return PermissionsBoundary (get-role does)"
        boundary = Value(None, ref, not_returned)
    return Role(
        id=role_id,
        ref=ref,
        arn=arn_values[0] if arn_values else Value(None, SourceRef(loaded.path), "no Arn"),
        name=name,
        path=next(iter(builder.field(role_node, "Path")), None) if "Path" in valid else None,
        trust_policy=trust,
        permissions_boundary=boundary,
        max_session_duration=tuple(builder.field(role_node, "MaxSessionDuration")),
        deployed=True,
        unread_permissions=(
            f"a {command} answer holds none of the role's permission policies"
            " (list-role-policies and list-attached-role-policies return them)"
        ),
    )


def parse_inline_policy_answer(loaded: LoadedDocument) -> tuple[Inventory, list[InputError]]:
    """The inline policy of ``aws iam get-role-policy`` (``get-user-policy``,
    ``get-group-policy``): a permission policy named as an account export names it ("inline
    policy 'admin' of role <file>#app-role").  The answer holds no role, so the document is
    checked on its own, as a policy the account export does not attach is."""
    root: PMap = loaded.root
    builder = PolicyBuilder(loaded.path)
    errors: list[InputError] = []
    embedded: list[SourceProblem] = []
    key, noun = next((k, n) for k, n in _INLINE_HOLDERS if k in root)
    answer = f"this get-{noun}-policy output"
    valid = _valid_strings(loaded.path, root, (key, "PolicyName"), answer, errors)
    holder = f"{loaded.path}#{root[key]}" if key in valid and root[key] else loaded.path
    name = root["PolicyName"] if "PolicyName" in valid else "?"
    document = _read_document(
        loaded,
        builder,
        root,
        "PolicyDocument",
        kind=PolicyKind.PERMISSIONS,
        resource=holder,
        origin=f"inline policy '{name}' of {noun} {holder}",
        what=f"the inline policy '{name}' of {noun} {holder}",
        unread="what it allows is not analyzed",
        errors=errors,
        embedded=embedded,
    )
    return _standalone(loaded, builder, document, holder, embedded), errors


def parse_policy_version(loaded: LoadedDocument) -> tuple[Inventory, list[InputError]]:
    """The document of ``aws iam get-policy-version``: a managed policy, checked on its own as
    a raw policy file is (the answer names neither the policy nor who attaches it)."""
    version: PMap = loaded.root["PolicyVersion"]
    builder = PolicyBuilder(loaded.path)
    errors: list[InputError] = []
    embedded: list[SourceProblem] = []
    version_id = version.get("VersionId")
    label = f"version {version_id}" if isinstance(version_id, str) and version_id else "version"
    document = _read_document(
        loaded,
        builder,
        version,
        "Document",
        kind=PolicyKind.PERMISSIONS,
        resource=loaded.path,
        origin=f"managed policy {label} in {loaded.path}",
        what=f"the managed policy {label}",
        unread="what it allows is not analyzed",
        errors=errors,
        embedded=embedded,
    )
    if document is not None:
        document = replace(document, managed=True)
    return _standalone(loaded, builder, document, loaded.path, embedded), errors


def _standalone(
    loaded: LoadedDocument,
    builder: PolicyBuilder,
    document: PolicyDocument | None,
    resource: str,
    embedded: list[SourceProblem],
) -> Inventory:
    """The inventory of an answer holding one policy document."""
    inventory = Inventory()
    if document is not None:
        inventory.standalone_policies.append(document)
    inventory.problems.extend(builder.problems)
    inventory.problems.extend(duplicate_key_problems(loaded, resource))
    inventory.problems.extend(embedded)
    return inventory


def _read_document(
    loaded: LoadedDocument,
    builder: PolicyBuilder,
    container: PMap,
    key: str,
    *,
    kind: PolicyKind,
    resource: str,
    origin: str,
    what: str,
    unread: str,
    errors: list[InputError],
    embedded: list[SourceProblem],
) -> PolicyDocument | None:
    """The policy document under ``key``, given as an object or as (URL-encoded) JSON text, as
    the IAM API returns it; an input error "``what`` <why>; ``unread``" when it cannot be read.
    The duplicate keys of a document given as text go to ``embedded``."""
    node = container[key]
    span = container.span_of(key)
    at = SourceRef(loaded.path, span)
    if isinstance(node, str):
        reason = "is a string that is neither JSON nor URL-encoded JSON"
        try:
            decoded = decode_embedded_policy(node, loaded.path, span)
        except LoadError as error:
            decoded, reason = None, f"cannot be read ({error.message})"
        if decoded is None:
            errors.append(InputError(loaded.path, f"{what} {reason}; {unread}", at.line, at.column))
            return None
        embedded.extend(duplicate_key_problems(decoded, resource))
        node = decoded.root
    document = builder.document(node, span, kind=kind, resource=resource, origin=origin)
    if document is None:
        message = f"{what} is not a policy document object; {unread}"
        errors.append(InputError(loaded.path, message, at.line, at.column))
    return document


def _valid_strings(
    path: str, node: PMap, keys: tuple[str, ...], subject: str, errors: list[InputError]
) -> set[str]:
    """The keys of ``keys`` the answer gives as strings; an input error for each it gives as
    something else (the IAM API returns them as strings: a number or a list is not a name
    or an ARN, and would otherwise be read as one in silence).  ``subject`` opens the message
    ("the role of this get-role output")."""
    valid: set[str] = set()
    for key in keys:
        if key not in node:
            continue
        if isinstance(node[key], str):
            valid.add(key)
            continue
        at = SourceRef(path, node.span_of(key))
        message = f"{subject} has an invalid {key} (not a string)"
        errors.append(InputError(path, message, at.line, at.column))
    return valid


def _boundary_arn(builder: PolicyBuilder, role_node: PMap) -> Value | None:
    boundary = role_node.get("PermissionsBoundary")
    if isinstance(boundary, PMap):
        return next(iter(builder.field(boundary, "PermissionsBoundaryArn")), None)
    return None


def decode_embedded_policy(text: str, path: str, span: Span | None) -> LoadedDocument | None:
    """A policy document given as text inside a JSON string; None when it is not JSON.

    Raises the :class:`LoadError` of a decoding that is JSON past rolelint's limits (nested too
    deep, a number too long): that, not "not JSON", is why the policy is not read.

    The IAM API returns documents URL-encoded (``%7B%22Version%22...``); the CLI decodes them, but
    exports made otherwise keep the encoded string, and some tools write plain JSON text.  The
    decoded characters have no position in the file, so every position of the tree (and of its
    duplicate keys) is the string's ``span``: findings point at the string that holds the policy.
    """
    from urllib.parse import unquote, unquote_plus

    from rolelint.parsers.json_loader import load_json

    stripped = text.strip()
    # Plain JSON text first: unquoting it would corrupt a literal "%" inside a value.
    candidates = [stripped] if stripped.startswith("{") else []
    candidates.append(unquote(stripped))
    # Form encoding writes a space as "+" (Python's quote_plus); tried last, since a "+" of
    # the other encoding is a plus.
    candidates.append(unquote_plus(stripped))
    beyond: LoadError | None = None
    for candidate in candidates:
        try:
            decoded = load_json(path, candidate)
        except LoadError as error:
            beyond = beyond or (error if error.beyond_limits else None)
            continue
        duplicates = [DuplicateKey(d.key, span, span) for d in decoded.duplicates]
        return LoadedDocument(path, pinned(decoded.root, span), candidate, duplicates, in_json=True)
    if beyond is not None:
        raise beyond
    return None


def _with_kind(document: PolicyDocument, kind: PolicyKind) -> PolicyDocument:
    return replace(document, kind=kind)
