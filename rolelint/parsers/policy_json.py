"""Raw IAM policy files: trust policies, permission policies and ``aws iam get-role`` output."""

from __future__ import annotations

from typing import Any

from rolelint.findings import InputError
from rolelint.model import Inventory, PolicyDocument, PolicyKind, Role, SourceProblem, Value
from rolelint.parsers.policy_builder import PolicyBuilder, duplicate_key_problems
from rolelint.parsers.tree import DuplicateKey, LoadedDocument, LoadError, PMap, PSeq, pinned
from rolelint.source import SourceRef, Span

_ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml")
# A CloudFormation stack policy's grammar: its actions are Update:Modify, Update:Replace,
# Update:Delete and Update:*, its resources "*" or LogicalResourceId/<id> (a wildcard allowed).
_STACK_ACTION = "update:"
_STACK_RESOURCE = "LogicalResourceId/"


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


def _kind_of(document: PolicyDocument) -> PolicyKind:
    """What a policy file is, from what its statements name.

    IAM refuses a trust policy with a Resource ("Has prohibited field Resource") and an identity
    policy with a Principal, so a document naming both is a resource-based policy (a bucket,
    key, queue or endpoint policy), which grants no role anything.  A document naming
    principals only is a trust policy; one naming neither is a trust policy when it allows only
    role assumption (one whose Principal is missing), else a permission policy.
    """
    statements = document.statements
    names_resources = any(s.names_resources for s in statements)
    names_principals = any(s.principals or s.not_principals for s in statements)
    if names_principals:
        return PolicyKind.RESOURCE if names_resources else PolicyKind.TRUST
    if names_resources:
        return PolicyKind.PERMISSIONS
    actions = [a.text.lower() for s in statements for a in s.actions if a.text]
    if actions and all(action.startswith(_ASSUME_ACTIONS) for action in actions):
        return PolicyKind.TRUST
    return PolicyKind.PERMISSIONS


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
    role_node: PMap = loaded.root["Role"]
    valid = _valid_strings(loaded.path, role_node, ("RoleName", "Arn", "Path"), errors)
    name_values = builder.field(role_node, "RoleName") if "RoleName" in valid else []
    name = name_values[0] if name_values else None
    role_id = f"{loaded.path}#{name.text}" if name and name.text else loaded.path
    trust_node = role_node["AssumeRolePolicyDocument"]
    embedded_duplicates: list[SourceProblem] = []
    undecoded = False  # a string that is no JSON: said so already
    if isinstance(trust_node, str):
        reason = "is a string that is neither JSON nor URL-encoded JSON"
        try:
            embedded = decode_embedded_policy(
                trust_node, loaded.path, role_node.span_of("AssumeRolePolicyDocument")
            )
        except LoadError as error:
            embedded, reason = None, f"cannot be read ({error.message})"
        trust_node = embedded.root if embedded is not None else None
        if embedded is not None:
            embedded_duplicates = duplicate_key_problems(embedded, role_id)
        else:
            undecoded = True
            at = SourceRef(loaded.path, role_node.span_of("AssumeRolePolicyDocument"))
            message = (
                f"the trust policy of role {role_id} {reason};"
                " who may assume the role is not analyzed"
            )
            errors.append(InputError(loaded.path, message, at.line, at.column))
    trust = builder.document(
        trust_node,
        role_node.span_of("AssumeRolePolicyDocument"),
        kind=PolicyKind.TRUST,
        resource=role_id,
        origin=f"trust policy of role {role_id}",
    )
    if trust is None and not undecoded:
        at = SourceRef(loaded.path, role_node.span_of("AssumeRolePolicyDocument"))
        message = (
            f"the trust policy of role {role_id} is not a policy document object;"
            " who may assume the role is not analyzed"
        )
        errors.append(InputError(loaded.path, message, at.line, at.column))
    arn_values = builder.field(role_node, "Arn") if "Arn" in valid else []
    role = Role(
        id=role_id,
        ref=SourceRef(loaded.path, role_node.span),
        arn=arn_values[0] if arn_values else Value(None, SourceRef(loaded.path), "no Arn"),
        name=name,
        path=next(iter(builder.field(role_node, "Path")), None) if "Path" in valid else None,
        trust_policy=trust,
        permissions_boundary=_boundary_arn(builder, role_node),
        max_session_duration=tuple(builder.field(role_node, "MaxSessionDuration")),
        deployed=True,
    )
    inventory = Inventory(roles=[role])
    inventory.problems.extend(builder.problems)
    inventory.problems.extend(duplicate_key_problems(loaded, role_id))
    inventory.problems.extend(embedded_duplicates)
    return inventory, errors


def _valid_strings(
    path: str, role_node: PMap, keys: tuple[str, ...], errors: list[InputError]
) -> set[str]:
    """The keys of ``keys`` the role gives as strings; an input error for each it gives as
    something else (the IAM API returns them as strings: a number or a list is not a name
    or an ARN, and would otherwise be read as one in silence)."""
    valid: set[str] = set()
    for key in keys:
        if key not in role_node:
            continue
        if isinstance(role_node[key], str):
            valid.add(key)
            continue
        at = SourceRef(path, role_node.span_of(key))
        message = f"the role of this get-role output has an invalid {key} (not a string)"
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
        return LoadedDocument(path, pinned(decoded.root, span), candidate, duplicates)
    if beyond is not None:
        raise beyond
    return None


def _with_kind(document: PolicyDocument, kind: PolicyKind) -> PolicyDocument:
    from dataclasses import replace

    return replace(document, kind=kind)
