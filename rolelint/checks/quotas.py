"""IAM quotas a template can break before it is ever deployed (RL609, RL610).

Sizes are counted as IAM counts them, in characters without white space, on the document rebuilt
from the model.  A value rolelint cannot resolve counts as empty, and a statement that is one of
alternatives (not ``Statement.certain``) is left out, so the size is a lower bound: a finding means
the policy is certainly too large, never that it might be.

A role read from what AWS holds (``Role.deployed``: an account export, a Terraform state) has
been deployed: its trust policy and its managed policies fit the account's quotas, raised or
not, so what the defaults say of it is no failure to come.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from rolelint.checks.base import Hit, check, holder_keys, on_text_of, policy_subject
from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    THIS_REGION,
    UNRESOLVED_KEY,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    certain_alternatives,
)

# Default quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
MANAGED_POLICY_SIZE = 6_144
ROLE_INLINE_POLICIES_SIZE = 10_240
ROLE_TRUST_POLICY_SIZE = 2_048  # adjustable up to 4,096
MANAGED_POLICIES_PER_ROLE = 10  # adjustable up to 20
_WHITE_SPACE = re.compile(r"\s")
# A JSON boolean or number: a condition value JSON may write without quotes.
_JSON_LITERAL = re.compile(r"true|false|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# What the parsers' stand-ins become when deployed, at their shortest: an account id has 12
# digits, and no region code is shorter than 9 characters ("us-east-1", "eu-west-1": two
# letters, a direction, a number).  A name AWS generates, or one rolelint cannot resolve, is
# counted as empty.
_ACCOUNT_ID_LENGTH = 12
_SHORTEST_REGION_LENGTH = 9


def policy_size(document: PolicyDocument) -> int:
    """Characters without white space of the document as JSON (unresolved values count 0)."""
    body: dict[str, Any] = {}
    if document.version is not None and document.version.text is not None:
        body["Version"] = document.version.text
    # A statement that may not be deployed (one branch of a condition) is left out, and of
    # the alternatives one written statement became, one of which every deployment holds
    # (Statement.paired), the smallest is counted: the size stays a lower bound.
    statements = [
        _smallest(alternatives) for alternatives in certain_alternatives(document.statements)
    ]
    # One statement written as an object has no brackets around it.
    single = document.single_statement and len(statements) == 1
    body["Statement"] = statements[0] if single else statements
    return _characters_of(body, statements)


def _smallest(alternatives: tuple[Statement, ...]) -> dict[str, Any]:
    """The statement of ``alternatives`` (one of which is deployed) with the fewest
    characters, as :func:`_statement` writes it."""
    entries = [_statement(s) for s in alternatives]
    if len(entries) == 1:
        return entries[0]
    return min(entries, key=lambda entry: _characters_of(entry, [entry]))


def _characters_of(value: Any, statements: list[dict[str, Any]]) -> int:
    """Characters without white space of ``value`` as JSON, which holds ``statements``."""
    # Characters as written, not as \\u escapes: a policy document may hold U+0020 to U+00FF
    # literally (IAM quotas, "IAM name requirements"), one character each, and a character
    # above them counts at least one however it is written.
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return len(_WHITE_SPACE.sub("", text)) - 2 * _bare_literals(statements)


def _bare_literals(statements: list[dict[str, Any]]) -> int:
    """How many condition values JSON may write without quotes (``"aws:SecureTransport":
    false``, ``"s3:max-keys": 10``): the model keeps their text, not whether the author quoted
    it, so they count as written bare, their two quotes dropped, and the size stays a lower
    bound."""
    count = 0
    for statement in statements:
        for keys in statement.get("Condition", {}).values():
            for values in keys.values():
                texts = [values] if isinstance(values, str) else values
                count += sum(1 for text in texts if _JSON_LITERAL.fullmatch(text))
    return count


def _deployed_text(text: str | None) -> str:
    """The text at its shortest once deployed: an unresolved value is empty, and the stand-ins
    for this account (``${AWS::AccountId}``, 17 characters), this region and names' stand-ins
    (generated or unresolved) are as short as what replaces them can be, so the size stays a
    lower bound."""
    if text is None or text.startswith(UNRESOLVED_KEY):
        return ""
    if "${" in text:
        text = text.replace(THIS_ACCOUNT, "0" * _ACCOUNT_ID_LENGTH)
        text = text.replace(THIS_REGION, "x" * _SHORTEST_REGION_LENGTH)
    if "<" in text:
        text = NAME_STAND_IN.sub("", text)
    return text


def _texts(values: Any) -> list[str] | str:
    """The values as JSON would write them most compactly: one value is a plain string, so the
    size stays a lower bound whichever way the author wrote it."""
    texts = [_deployed_text(value.text) for value in values]
    return texts[0] if len(texts) == 1 else texts


def _principals(principals: tuple[Principal, ...]) -> dict[str, list[str] | str] | str:
    """The principals by type; ``"*"`` written bare (``"Principal": "*"``) stays the bare
    string, not an object of a type it has none of.  Beside typed principals (alternatives of
    a condition) it is left out, so the size stays a lower bound."""
    if all(principal.kind is PrincipalKind.ANYONE for principal in principals):
        return "*"
    grouped: dict[str, list[str]] = {}
    for principal in principals:
        if principal.kind is PrincipalKind.ANYONE:
            continue
        grouped.setdefault(principal.kind.value, []).append(_deployed_text(principal.value.text))
    return {kind: texts[0] if len(texts) == 1 else texts for kind, texts in grouped.items()}


def _statement(statement: Statement) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if statement.sid:
        entry["Sid"] = statement.sid
    if statement.effect is not None:
        entry["Effect"] = statement.effect.text or ""
    for key, values in (
        ("Action", statement.actions),
        ("NotAction", statement.not_actions),
        ("Resource", statement.resources),
        ("NotResource", statement.not_resources),
    ):
        if values:
            entry[key] = _texts(values)
    if statement.principals:
        entry["Principal"] = _principals(statement.principals)
    if statement.not_principals:
        entry["NotPrincipal"] = _principals(statement.not_principals)
    if statement.conditions:
        conditions: dict[str, dict[str, list[str] | str]] = {}
        for condition in statement.conditions:
            operator = _deployed_text(condition.operator)
            key = _deployed_text(condition.key)
            conditions.setdefault(operator, {})[key] = _texts(condition.values)
        entry["Condition"] = conditions
    return entry


def _inline(role: Role) -> list[PolicyDocument]:
    return [d for d in role.policies if d.kind is PolicyKind.PERMISSIONS and not d.managed]


@check("RL609")
def policy_too_large(inventory: Inventory) -> Iterator[Hit]:
    # By id, each kept: permission_texts makes a document for a text several hold, and one
    # freed could give its id to the next, which was then taken as judged already.
    seen: dict[int, PolicyDocument] = {}
    for document, holders in inventory.permission_texts():
        if not document.managed or document.aws_managed or id(document) in seen:
            continue
        seen[id(document)] = document
        size = policy_size(document)
        if size > MANAGED_POLICY_SIZE:
            hit = _hit(
                document,
                f"{_characters(size, document.truncated)}, over the {MANAGED_POLICY_SIZE:,} "
                "IAM allows a managed policy",
            )
            yield on_text_of(hit, holders, document)
    for document in inventory.standalone_policies:
        yield from _standalone_too_large(document)
    # An AWS::IAM::Policy names its roles: one document is an inline policy of each, and a
    # template of 200 such policies on 2,000 roles sized each 2,000 times (400,000 sizes).
    sizes: dict[int, int] = {}
    for role in inventory.roles:
        if role.deployed:
            continue
        if role.trust_policy is not None:
            for hit in _trust_too_large(role.trust_policy):
                yield on_text_of(hit, (role,))
        inline = _inline(role)
        for document in inline:
            if id(document) not in sizes:
                sizes[id(document)] = policy_size(document)
        total = sum(sizes[id(document)] for document in inline)
        if total > ROLE_INLINE_POLICIES_SIZE:
            largest = max(inline, key=lambda document: sizes[id(document)])
            truncated = any(document.truncated for document in inline)
            yield _hit(
                largest,
                f"with the role's other inline policies {_characters(total, truncated)}, over the "
                f"{ROLE_INLINE_POLICIES_SIZE:,} IAM allows all inline policies of a role together",
                role=role,
            )


def _trust_too_large(document: PolicyDocument) -> Iterator[Hit]:
    size = policy_size(document)
    if size > ROLE_TRUST_POLICY_SIZE:
        yield _hit(
            document,
            f"{_characters(size, document.truncated)}, over the {ROLE_TRUST_POLICY_SIZE:,} "
            "IAM allows a trust policy by default (the quota can be raised to 4,096)",
        )


def _standalone_too_large(document: PolicyDocument) -> Iterator[Hit]:
    """A policy file of its own, whose use is unknown: too large only when it fits nowhere.

    A resource-based policy is not measured: its quota is its service's (a bucket policy
    20 KB, a key policy 32 KB), not IAM's."""
    if document.kind is PolicyKind.RESOURCE:
        return
    if document.kind is PolicyKind.TRUST:
        yield from _trust_too_large(document)
        return
    if document.managed:
        return  # judged above as a managed policy
    size = policy_size(document)
    if size > ROLE_INLINE_POLICIES_SIZE:
        yield _hit(
            document,
            f"{_characters(size, document.truncated)}, over the {MANAGED_POLICY_SIZE:,} IAM "
            f"allows a managed policy and the {ROLE_INLINE_POLICIES_SIZE:,} it allows all inline "
            "policies of a role together",
        )


def _characters(size: int, truncated: bool) -> str:
    """The size in words: of a document whose statements past the parsers' limit were not read
    (``PolicyDocument.truncated``), only the statements read were counted, a fraction of it."""
    return f"at least {size:,} characters" if truncated else f"{size:,} characters"


def _hit(document: PolicyDocument, size: str, role: Role | None = None) -> Hit:
    subject = policy_subject(document)
    return Hit(
        "RL609",
        f"{subject} is {size}; IAM rejects it (count without white space, values rolelint "
        "cannot resolve counted as empty)",
        document.ref,
        document.resource,
        f"size|{document.origin}",
        role=role.id if role is not None else None,
        holders=holder_keys((role,)),
    )


@check("RL610")
def too_many_managed_policies(inventory: Inventory) -> Iterator[Hit]:
    for role in inventory.roles:
        if role.deployed:
            continue  # it exists: the account's quota was raised
        count = _least_managed_count(role)
        if count <= MANAGED_POLICIES_PER_ROLE:
            continue
        yield Hit(
            "RL610",
            f"Role {role.id} has {count} managed policies attached; IAM allows "
            f"{MANAGED_POLICIES_PER_ROLE} by default (the quota can be raised to 20), so the "
            "deployment fails unless it was raised",
            role.ref,
            role.id,
            f"managed-count|{role.id}",
            role=role.id,
            holders=holder_keys((role,)),
        )


def _least_managed_count(role: Role) -> int:
    """How many managed policies every deployment of the role certainly attaches.

    A policy some deployments leave out (a resource with a condition, a count not known) counts
    nothing.  An ARN chosen by a condition counts through its condition: a deployment takes one
    branch, so the condition adds at least what its smallest branch attaches beyond what is
    counted already (``[!If [Prod, A, B]]`` is one policy, ``[!If [Prod, A, !Ref
    AWS::NoValue]]`` none), and a finding means the deployment certainly fails.

    An ARN counts once however often it is attached.  A SAM ``Policies`` name whose path is not
    known is held as the ARN of its policy where the role names that ARN with its path
    (rolelint.parsers.holder.joined_paths), so it is that one policy here too.
    """
    # A SAM policy template becomes an inline policy of the role: no managed attachment.
    references = [r for r in role.managed_policy_arns if not r.inline]
    count = 0
    for document in role.policies:
        if document.kind is not PolicyKind.PERMISSIONS or not document.managed:
            continue
        if document.attached_by is not None:
            references.append(document.attached_by)
        elif not document.optional:
            count += 1
    certain = {r.arn.text for r in references if not r.optional and r.arn.text is not None}
    count += len(certain) + sum(1 for r in references if not r.optional and r.arn.text is None)
    counted = set(certain)
    chosen = [r.alternatives for r in references if r.alternatives is not None]
    for alternatives in dict.fromkeys(chosen):
        # Beyond what is counted: ARNs of earlier conditions may be the ones this one picks.
        count += min((len(set(branch) - counted) for branch in alternatives), default=0)
        counted.update(*alternatives)
    return count
