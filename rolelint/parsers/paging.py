"""Whether an answer of the IAM API says more pages follow.

A listing cut short (``IsTruncated``, or the CLI's ``NextToken`` under ``--max-items``) reads
exactly like a complete one: the missing roles simply are not there.  Saying so is the only way
a user learns that a clean result covers part of the account, so every reader of a paged answer
(the account export, ``list-roles``) gives the same notice.
"""

from __future__ import annotations

from typing import Any

from rolelint.findings import InputError
from rolelint.parsers.tree import PMap


def is_true(flag: Any) -> bool:
    """``IsTruncated`` as the API writes it (``true``) or as text (``"true"``): tools that
    re-serialize the answer, or write every value as a string, keep the meaning."""
    return flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")


def truncation_notice(
    file: str, root: PMap, answer: str, missing: str, consequence: str, again: str
) -> InputError | None:
    """The notice for a paged ``answer`` whose later pages are missing, at the key that says
    so: ``missing`` names what those pages would have held, ``consequence`` what that does to
    the result and ``again`` the command's verb.  None for a complete answer."""
    truncated = is_true(root.get("IsTruncated"))
    if not truncated and not isinstance(root.get("NextToken"), str):
        return None
    key = "IsTruncated" if truncated else "NextToken"
    more = "Marker" if truncated else "NextToken"
    span = root.key_span_of(key)
    return InputError(
        file,
        f"the {answer} is incomplete ({key}): the {missing} of the pages after {more} are "
        f"missing, so {consequence}; {again} again without --max-items or --no-paginate",
        span.line if span is not None else None,
        span.column if span is not None else None,
    )
