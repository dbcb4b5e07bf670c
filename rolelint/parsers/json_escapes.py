"""Where each character of a JSON string token's value is written in the token.

A JSON string writes some characters with escapes (``\\"`` is two characters of the file and one
of the value, ``\\u00e9`` six, a surrogate pair twelve), so a column counted in the value is
left of where its text is.  Two readers place what they read inside such a string: the
CloudFormation policy written as JSON text (rolelint.parsers.text_places) and Terraform's JSON
syntax (rolelint.parsers.hcl_json).  The walk is here, in a module importing nothing, since
hcl_json pulls in the HCL parser, which the CloudFormation reader has no use for.
"""

from __future__ import annotations


def written_offsets(token: str) -> list[int] | None:
    """For each character of a JSON string token's value, and its end, the offset in the token
    where it is written (the opening quote is at 0); None if it is not one token.  The token is
    not checked to be valid JSON: the callers compare the count with the value they read."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        return None
    offsets: list[int] = []
    index, end = 1, len(token) - 1
    while index < end:
        offsets.append(index)
        index += _escape_width(token, index)
    offsets.append(end)
    return offsets


def _escape_width(token: str, index: int) -> int:
    """How many characters of the token write the one string character at ``index``: 1, 2 for
    ``\\n``, 6 for ``\\u00e9``, 12 for a surrogate pair, which JSON reads as one character."""
    if token[index] != "\\":
        return 1
    if token[index + 1 : index + 2] != "u":
        return 2
    high = _code(token[index + 2 : index + 6])
    low = _code(token[index + 8 : index + 12]) if token[index + 6 : index + 8] == "\\u" else -1
    return 12 if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF else 6


def _code(digits: str) -> int:
    try:
        return int(digits, 16) if len(digits) == 4 else -1
    except ValueError:
        return -1
