"""The document formats rolelint tells apart once a file has loaded, in the order it tries them.

One table, so that reading a file (:func:`rolelint.parsers.parse_source`) and judging a stream
of several documents (is any of them something rolelint reads?) can never disagree on what a
format is.  The order matters: a stack policy and a list-roles answer also look like a policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rolelint.parsers import (
    POLICY_FORMAT,
    SKIP_CONFIG_ITEMS,
    SKIP_RAW_STATE,
    SKIP_STACK_POLICY,
    ParseOutcome,
    is_cloudformation,
)
from rolelint.parsers.tree import LoadedDocument


@dataclass(frozen=True, slots=True)
class DocumentFormat:
    """One kind of document: how it is recognised, and what reading it gives."""

    detects: Callable[[Any], bool]
    read: Callable[[LoadedDocument], ParseOutcome]
    # False for a kind recognised only to be skipped with its own reason (a stack policy).
    analyzed: bool = True


def outcome_of(loaded: LoadedDocument) -> ParseOutcome:
    """What the first format that recognises ``loaded`` makes of it; skipped if none does."""
    for document_format in _formats():
        if document_format.detects(loaded.root):
            return document_format.read(loaded)
    return ParseOutcome()


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

    def skip(detects: Callable[[Any], bool], reason: str) -> DocumentFormat:
        return DocumentFormat(detects, lambda _: ParseOutcome(skip_reason=reason), analyzed=False)

    return (
        DocumentFormat(is_cloudformation, _read_template),
        DocumentFormat(_looks_like_plan, _read_plan),
        DocumentFormat(
            account_authorization.looks_like_account_authorization, _read_account_authorization
        ),
        DocumentFormat(policy_json.looks_like_get_role, _read_get_role),
        DocumentFormat(policy_json.looks_like_list_roles, _read_list_roles),
        DocumentFormat(policy_json.looks_like_inline_policy_answer, _read_inline_policy_answer),
        DocumentFormat(policy_json.looks_like_policy_version, _read_policy_version),
        skip(policy_json.looks_like_stack_policy, SKIP_STACK_POLICY),
        DocumentFormat(policy_json.looks_like_policy, _read_policy),
        skip(_looks_like_raw_state, SKIP_RAW_STATE),
        skip(policy_json.looks_like_config_items, SKIP_CONFIG_ITEMS),
    )


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
    return ParseOutcome(inventory, "cloudformation", notices=notices)


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
