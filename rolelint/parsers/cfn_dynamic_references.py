"""CloudFormation dynamic references (``{{resolve:ssm:/org/account}}``,
``{{resolve:secretsmanager:...}}``): read when the stack deploys, so the text is a name, not
the value.

A module of its own because the policy builder asks too, for Terraform files as well (it turns
plain strings into values): a check of one edited ``.tf`` file need not import the whole
CloudFormation intrinsic resolver to learn that.
"""

from __future__ import annotations

import re

from rolelint.model import Value
from rolelint.parsers.tree import JoinedPiece, joined_unknown
from rolelint.source import SourceRef

DYNAMIC_REFERENCE = "a dynamic reference ({{resolve:...}}), read when the stack is deployed"

_DYNAMIC_REFERENCES = re.compile(r"\{\{resolve:.*?\}\}", re.DOTALL)


def is_dynamic_reference(text: str | None) -> bool:
    return text is not None and "{{resolve:" in text


def deploy_time(text: str, ref: SourceRef) -> Value:
    """The value of a text holding a dynamic reference: unresolved, and constrained, since
    CloudFormation reads it when the stack deploys and nobody passes it in.  Not so when the
    text written around the reference holds an IAM wildcard that makes a pattern whatever is
    read (tree.joined_constrained: one before the first "/")."""
    pieces: list[JoinedPiece] = []
    position = 0
    for match in _DYNAMIC_REFERENCES.finditer(text):
        pieces += [[text[position : match.start()]], [True]]
        position = match.end()
    pieces.append([text[position:]])
    # Every unknown piece, a dynamic reference, is constrained: none is left to weigh.
    constrained, wildcard = joined_unknown(pieces, ())
    return Value(None, ref, DYNAMIC_REFERENCE, constrained=constrained, wildcard_written=wildcard)
