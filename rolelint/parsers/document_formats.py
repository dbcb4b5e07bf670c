"""The document formats rolelint tells apart once a file has loaded, in the order it tries them.

One table, so that reading a file (:func:`rolelint.parsers.parse_source`) and judging a stream
of several documents (is any of them something rolelint reads?) can never disagree on what a
format is.  The order matters: a stack policy and a list-roles answer also look like a policy.
The keys each format may have at its top tell, from a file's first bytes, that a file too big
to be read whole is none of them (:func:`clearly_not_analyzed`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rolelint.parsers import (
    CLOUDFORMATION_FORMAT,
    NOT_YET_SUPPORTED_SUFFIXES,
    POLICY_FORMAT,
    SKIP_CONFIG_ITEMS,
    SKIP_RAW_STATE,
    SKIP_STACK_POLICY,
    ParseOutcome,
    is_cloudformation,
    is_json,
    is_rendered_template,
    is_terraform,
)
from rolelint.parsers.tree import LoadedDocument


@dataclass(frozen=True, slots=True)
class DocumentFormat:
    """One kind of document: how it is recognised, and what reading it gives."""

    detects: Callable[[Any], bool]
    read: Callable[[LoadedDocument], ParseOutcome]
    # Every key a document of this kind may have at its top (whatever writes it, in any order).
    top_keys: frozenset[str]
    # False for a kind recognised only to be skipped with its own reason (a stack policy).
    analyzed: bool = True


def outcome_of(loaded: LoadedDocument) -> ParseOutcome:
    """What the first format that recognises ``loaded`` makes of it; skipped if none does."""
    for document_format in _formats():
        if document_format.detects(loaded.root):
            return document_format.read(loaded)
    return ParseOutcome(holds_policies=_holds_policies(loaded.root))


def _holds_policies(root: Any) -> bool:
    """Whether an object below ``root`` (not ``root`` itself: that is no policy, or a format
    would have read it) has a ``Statement`` key, looked for without recursion.  Not in a
    document every top key of which some format has (a template without its types, an IAM
    answer without its role): that is one of those, cut short, and no module's policy file."""
    if not isinstance(root, (dict, list)):
        return False
    if isinstance(root, dict) and root and all(key in _top_keys() for key in root):
        return False
    pending: list[Any] = list(root.values()) if isinstance(root, dict) else list(root)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "Statement" in node:
                return True
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


def is_analyzed(root: Any) -> bool:
    """Whether rolelint reads a document whose value is ``root`` (rather than skipping it)."""
    for document_format in _formats():
        if document_format.detects(root):
            return document_format.analyzed
    return False


@cache
def _formats() -> tuple[DocumentFormat, ...]:
    # Imported here, not at the top: the readers pull in the IAM catalog, which
    # `rolelint --version` and a scan of Terraform alone never need.  The plan reader is
    # imported only once a document is no template (:func:`_looks_like_plan`).
    from rolelint.parsers import account_authorization, policy_json

    def skip(
        detects: Callable[[Any], bool], top_keys: frozenset[str], reason: str
    ) -> DocumentFormat:
        return DocumentFormat(
            detects, lambda _: ParseOutcome(skip_reason=reason), top_keys, analyzed=False
        )

    return (
        DocumentFormat(is_cloudformation, _read_template, _TEMPLATE_KEYS),
        DocumentFormat(_looks_like_plan, _read_plan, _PLAN_KEYS),
        DocumentFormat(
            account_authorization.looks_like_account_authorization,
            _read_account_authorization,
            account_authorization.EXPORT_KEYS,
        ),
        DocumentFormat(policy_json.looks_like_get_role, _read_get_role, _answer("Role")),
        DocumentFormat(
            policy_json.looks_like_list_roles,
            _read_list_roles,
            _answer("Roles", "IsTruncated", "Marker"),
        ),
        DocumentFormat(
            policy_json.looks_like_inline_policy_answer,
            _read_inline_policy_answer,
            _answer("RoleName", "UserName", "GroupName", "PolicyName", "PolicyDocument"),
        ),
        DocumentFormat(
            policy_json.looks_like_policy_version, _read_policy_version, _answer("PolicyVersion")
        ),
        skip(policy_json.looks_like_stack_policy, _POLICY_KEYS, SKIP_STACK_POLICY),
        DocumentFormat(policy_json.looks_like_policy, _read_policy, _POLICY_KEYS),
        skip(_looks_like_raw_state, _RAW_STATE_KEYS, SKIP_RAW_STATE),
        skip(policy_json.looks_like_config_items, _CONFIG_KEYS, SKIP_CONFIG_ITEMS),
    )


# The sections of a CloudFormation template (SAM's ``Globals`` among them).
_TEMPLATE_KEYS = frozenset(
    {
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Rules",
        "Mappings",
        "Conditions",
        "Transform",
        "Globals",
        "Resources",
        "Outputs",
        "Hooks",
    }
)
_POLICY_KEYS = frozenset({"Version", "Id", "Statement"})
# ``terraform show -json`` of a plan or a state, whose keys a tool may have sorted
# (``applyable`` first).
_PLAN_KEYS = frozenset(
    {
        "format_version",
        "terraform_version",
        "variables",
        "planned_values",
        "values",
        "resource_drift",
        "resource_changes",
        "deferred_changes",
        "deferred_action_invocations",
        "output_changes",
        "action_invocations",
        "prior_state",
        "configuration",
        "relevant_attributes",
        "checks",
        "timestamp",
        "applyable",
        "complete",
        "errored",
    }
)
_RAW_STATE_KEYS = frozenset(
    {"version", "terraform_version", "serial", "lineage", "outputs", "resources", "check_results"}
)
# AWS Config: the lists of items (an answer, a snapshot or history file) and one item alone.
_CONFIG_KEYS = frozenset(
    {
        "configurationItems",
        "baseConfigurationItems",
        "unprocessedResourceKeys",
        "nextToken",
        "fileVersion",
        "configSnapshotId",
        "version",
        "accountId",
        "arn",
        "awsRegion",
        "availabilityZone",
        "resourceType",
        "resourceId",
        "resourceName",
        "resourceCreationTime",
        "configuration",
        "configurationItemCaptureTime",
        "configurationItemStatus",
        "configurationItemVersion",
        "configurationItemMD5Hash",
        "configurationStateId",
        "configurationStateMd5Hash",
        "supplementaryConfiguration",
        "relatedEvents",
        "relationships",
        "tags",
    }
)


def _answer(*keys: str) -> frozenset[str]:
    """The keys of an IAM answer, with the ``ResponseMetadata`` a dumped boto3 answer has."""
    return frozenset({*keys, "ResponseMetadata"})


@cache
def _top_keys() -> frozenset[str]:
    """Every key any format rolelint recognises may have at its top."""
    return frozenset().union(*(document_format.top_keys for document_format in _formats()))


# Files that are never IaC, whatever their size: the lock files of package managers, and the
# cloud assembly files a CDK app writes beside its templates (``tree.json`` repeats every
# construct's properties and reaches hundreds of MiB in a large app).  A lock file's start does
# not always tell: pnpm's, conda-lock's and yarn's are YAML (or near it), the others TOML or
# text of their own; npm's, NuGet's and Composer's are JSON.  A folder scan reads those with a
# suffix it reads (``.json``, ``.yaml``, ``.yml``), and skips them as not IaC; a hook passes
# them, and a command line may name the others.  Over the size limit, refused, such a file
# failed the whole run (exit 2), and the search for a named template's links spent its budget
# on a big one (rolelint.module_readers.ModuleSearch.text).
_NOT_IAC_NAMES = frozenset(
    {
        # JavaScript: npm, pnpm, Yarn, Bun, Deno
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "yarn.lock",
        "bun.lock",
        "deno.lock",
        # Python: pipenv, Poetry, PDM, uv, conda-lock
        "Pipfile.lock",
        "poetry.lock",
        "pdm.lock",
        "uv.lock",
        "conda-lock.yml",
        # Ruby, PHP, Rust, .NET, Dart, CocoaPods, Elixir, Nix
        "Gemfile.lock",
        "composer.lock",
        "Cargo.lock",
        "packages.lock.json",
        "pubspec.lock",
        "Podfile.lock",
        "mix.lock",
        "flake.lock",
    }
)
_CLOUD_ASSEMBLY = "cdk.out"
_CLOUD_ASSEMBLY_NAMES = frozenset({"tree.json", "manifest.json"})
_ASSET_MANIFEST_SUFFIX = ".assets.json"


def clearly_not_analyzed(path: str, head: str) -> bool:
    """Whether a file too big to be read whole, of which ``head`` is the start, is clearly none
    of the documents rolelint reads, so that it is skipped as not IaC rather than refused for its
    size (the limit bounds the time spent parsing inputs; such a file needs no parsing).

    It is so by its name (:data:`_NOT_IAC_NAMES`: a package manager's lock file; a cloud
    assembly's ``tree.json``, ``manifest.json`` and ``*.assets.json``), or, read as JSON, by its
    top: a list (every format is an object), or an object one of whose first keys (those before
    the first value that is an object or a list, or that ``head`` cuts short) no format has at
    its top: ``"name"`` of a
    package-lock.json, ``"tree"`` after a CDK tree.json's ``"version"``.  A file that may be one
    (a plan starting ``"format_version"``) stays refused: whether it is can only be told by
    parsing it.
    """
    if _read_by_suffix(path):
        return False
    if _named_not_analyzed(path):
        return True
    if not is_json(path, head):
        return False
    text = head.lstrip()
    if text.startswith("["):
        return True
    keys = _first_keys(text)
    return any(key not in _top_keys() for key in keys)


def clearly_not_analyzed_by_name(path: str) -> bool:
    """Whether the name of ``path`` alone says it is none of the documents rolelint reads
    (:func:`clearly_not_analyzed`'s names: a package manager's lock file, a cloud assembly's
    ``tree.json``), whatever its size and text: skipped as not IaC without being parsed.  Under
    the size limit such a file was parsed whole before it was found to be no template, and a
    pnpm-lock.yaml of a few MiB takes seconds to load as YAML with positions."""
    return not _read_by_suffix(path) and _named_not_analyzed(path)


def _read_by_suffix(path: str) -> bool:
    """Whether ``path`` is read (or skipped) by its suffix, or with its Terraform module."""
    return (
        path.lower().endswith(NOT_YET_SUPPORTED_SUFFIXES)
        or is_terraform(path)
        or is_rendered_template(path)
    )


def _named_not_analyzed(path: str) -> bool:
    """Whether ``path`` is named as a file that is never IaC (:data:`_NOT_IAC_NAMES`, the
    cloud assembly's files)."""
    folder, name = os.path.split(path)
    if name in _NOT_IAC_NAMES:
        return True
    return os.path.basename(folder) == _CLOUD_ASSEMBLY and (
        name in _CLOUD_ASSEMBLY_NAMES or name.endswith(_ASSET_MANIFEST_SUFFIX)
    )


_DECODER = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


def _after_blank(text: str, index: int) -> int:
    """Where the JSON white space at ``index`` ends."""
    blank = _BLANK.match(text, index)
    return blank.end() if blank else index


def _first_keys(text: str) -> list[str]:
    """The first keys of the JSON object ``text`` starts (cut anywhere): up to and with the
    first whose value is an object or a list, or is cut short; none when ``text`` starts no
    object."""
    keys: list[str] = []
    if not text.startswith("{"):
        return keys
    index = 1
    while True:
        index = _after_blank(text, index)
        if not text.startswith('"', index):
            return keys
        try:
            key, index = _DECODER.raw_decode(text, index)
        except ValueError:
            return keys
        index = _after_blank(text, index)
        if not text.startswith(":", index):
            return keys
        index = _after_blank(text, index + 1)
        keys.append(key)
        if text.startswith(("{", "["), index):
            return keys
        try:
            _, index = _DECODER.raw_decode(text, index)
        except ValueError:
            return keys
        index = _after_blank(text, index)
        if not text.startswith(",", index):
            return keys
        index += 1


def _looks_like_plan(root: Any) -> bool:
    """Whether ``root`` is ``terraform show -json`` output; the plan reader (and the Terraform
    evaluators it uses) is imported only when a document is asked, so a run over templates
    alone loads none of them."""
    from rolelint.parsers import terraform_plan

    return terraform_plan.looks_like_plan(root)


def _looks_like_raw_state(root: Any) -> bool:
    from rolelint.parsers import terraform_plan

    return terraform_plan.looks_like_raw_state(root)


def _read_template(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers.cloudformation import parse_template

    inventory, notices = parse_template(loaded)
    return ParseOutcome(inventory, CLOUDFORMATION_FORMAT, notices=notices)


def _read_plan(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import terraform_plan

    # The accounts of the roles a state (or plan) already holds are the user's, as an
    # export's are: the role trusting its own account is no cross-account trust.
    inventory, notices, errors = terraform_plan.parse_plan(loaded)
    return ParseOutcome(
        inventory,
        "terraform-plan",
        errors,
        notices=notices,
        own_accounts=terraform_plan.caller_accounts(loaded.root) | inventory.arn_accounts(),
    )


def _read_account_authorization(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import account_authorization

    snapshot = account_authorization.read_account_authorization(loaded)
    return ParseOutcome(
        snapshot.inventory,
        "account-authorization",
        snapshot.errors,
        notices=snapshot.notices,
        own_accounts=snapshot.accounts,
    )


def _read_get_role(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import policy_json

    inventory, errors = policy_json.parse_get_role(loaded)
    return ParseOutcome(inventory, "get-role", errors, own_accounts=inventory.arn_accounts())


def _read_list_roles(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import policy_json

    inventory, errors, notices = policy_json.parse_list_roles(loaded)
    return ParseOutcome(
        inventory, "list-roles", errors, notices=notices, own_accounts=inventory.arn_accounts()
    )


def _read_inline_policy_answer(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import policy_json

    inventory, errors = policy_json.parse_inline_policy_answer(loaded)
    return ParseOutcome(inventory, "get-role-policy", errors)


def _read_policy_version(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import policy_json

    inventory, errors = policy_json.parse_policy_version(loaded)
    return ParseOutcome(inventory, "get-policy-version", errors)


def _read_policy(loaded: LoadedDocument) -> ParseOutcome:
    from rolelint.parsers import policy_json

    return ParseOutcome(policy_json.parse_policy_file(loaded), POLICY_FORMAT)
