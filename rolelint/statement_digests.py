"""The text of the policy statement each finding is in, as a short digest: what tells apart the
findings that share a fingerprint.

A fingerprint leaves out the line on purpose (rolelint.engine.fingerprint), so the same risk
written twice in one resource (``sqs:*`` on one queue, and again on another) is one fingerprint
twice, and a baseline that recorded one of them must say which.  The line cannot: a statement
inserted above the recorded one moves it down to where the new one now is, and one inserted below
leaves the same two lines, so the lines alone never tell which of the two is new.  What is
written in the statement does (the other queue), and it stays the same when lines move: so a
baseline entry keeps the digest of its statement's text (rolelint.baseline).

A statement's text is what its span covers and what each of its elements' spans covers: a
CloudFormation or JSON statement's span holds all of it, but a Terraform ``statement`` block's
is its first line, and an element may be written elsewhere (a local).  Whitespace is left out,
so that indenting a template again keeps the digest.  Only statements of the scanned files count
(``Inventory.written_policies``); a finding in none (a session duration, a chain) has no digest,
and its fingerprint alone is matched, as before.

Once the statement is edited (one more action), its digest matches no statement any more, and
nothing said which of the findings of its fingerprint it became: the first in the file was
taken, a new statement inserted above it (``sqs:*`` on another queue).  So each of its elements
(an action, a resource, a condition's value: every part but the statement's own span) has a
digest of its own too, and the edited statement is the one that still has most of them: the
new one has another queue, the edited one the same queue and one more action.  The line would
not tell (the statement inserted above takes the recorded one's).  A statement's elements are
its text's as its digest is, so they are found once per statement, not once per finding in it
(a statement of 6,000 resources has a finding on each), and a baseline records them once per
statement, by its digest.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from rolelint.model import Inventory, Statement, Value
from rolelint.source import SourceRef, Span, first_containing

DIGEST_LENGTH = 16  # hexadecimal digits: 64 bits, for the statements of one resource
# Hexadecimal digits of an element's digest: 32 bits, to compare the elements of the few
# statements of one fingerprint; a baseline records each statement's once.
ELEMENT_DIGEST_LENGTH = 8

# A statement as the places its text is written at, its own span first.
Parts = tuple[Span, ...]


def statement_parts(inventory: Inventory, files: set[str]) -> dict[str, list[Parts]]:
    """The statements written in ``files``, by file, each as its parts, each once: a statement
    read twice (each branch of an ``Fn::If``, each instance of a Terraform module) is one text."""
    found: dict[str, set[Parts]] = {}
    for document in inventory.written_policies():
        for statement in document.statements:
            ref = statement.ref
            if ref.span is not None and ref.file in files:
                found.setdefault(ref.file, set()).add(_parts(statement, ref.file, ref.span))
    return {file: sorted(parts) for file, parts in found.items()}


def _parts(statement: Statement, file: str, span: Span) -> Parts:
    """The statement's span, then those of its elements written in its file, in file order.

    Gathered in the order the statement holds them, each once: each element's values come in
    file order, so they are sorted run by run rather than one by one (a statement split per
    branch of its conditions lists hundreds of values, and is sorted once per branch)."""
    elements = dict.fromkeys(
        ref.span
        for ref in _element_refs(statement)
        if ref is not None and ref.span is not None and ref.file == file and ref.span != span
    )
    return (span, *sorted(elements))


def _element_refs(statement: Statement) -> Iterator[SourceRef | None]:
    """Where each element of the statement is written: its values, keys and conditions."""
    values: list[Value | None] = [statement.effect]
    values += [*statement.actions, *statement.not_actions]
    values += [*statement.resources, *statement.not_resources]
    values += [principal.value for principal in statement.principals]
    values += [principal.value for principal in statement.not_principals]
    for condition in statement.conditions:
        values += condition.values
        yield condition.ref
        yield condition.operator_ref
    for value in values:
        yield None if value is None else value.ref
    yield statement.sid_ref
    yield statement.not_action_ref
    yield statement.not_resource_ref
    yield statement.not_principal_ref
    for key in statement.unknown_keys:
        yield key.ref
    if statement.empty_resource is not None:
        yield statement.empty_resource.ref
    if statement.empty_action is not None:
        yield statement.empty_action.ref


class StatementText(NamedTuple):
    """What a baseline keeps of the statement a finding is in: the digest of its text, and
    the digests of its elements' texts (sorted, each once), to find it again once edited.
    The findings of one statement share one: its elements are as many as its text's."""

    digest: str
    elements: tuple[str, ...]


def statement_digests(
    lines: Sequence[str], statements: Sequence[Parts], places: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], StatementText]:
    """For each place (line, column) in a statement of ``statements``, the digest of that
    statement's text in ``lines`` (the file's lines, numbered as its parser numbered them), and
    those of its elements.

    The place is in the statement whose part holding it is the smallest: ``sqs:*`` is in its
    own statement, whichever statement's span holds that one.  A part several statements share
    (a local two statements read) is in all of them, and its digest is that of theirs together,
    so that it never depends on the order they were read in; its elements are all of theirs.

    The places in the same statements share their answer, made once: each place made its own
    (the union of the statements' elements, sorted), and 6,000 findings in a statement of
    6,000 resources, each at a resource of its own, sorted 36 million digests."""
    owners: dict[Span, set[int]] = defaultdict(set)  # no set made for a part met before
    for index, parts in enumerate(statements):
        for part in parts:
            owners[part].add(index)
    smallest = sorted(owners, key=lambda span: (span.end_line - span.line, _width(span), span))
    named = [(str(index), span) for index, span in enumerate(smallest)]
    points = sorted(set(places))
    holders = first_containing(named, [Span.point(line, column) for line, column in points])
    texts: dict[int, str] = {}
    elements: dict[int, set[str]] = {}
    of_owners: dict[frozenset[int], StatementText] = {}  # by the statements a place is in
    digests: dict[tuple[int, int], StatementText] = {}
    for point, holder in zip(points, holders, strict=True):
        if holder is None:
            continue
        owned = frozenset(owners[smallest[int(holder)]])
        if owned not in of_owners:
            for index in owned:
                if index not in texts:
                    texts[index] = digest(_text(lines, statements[index]))
                    elements[index] = _element_digests(lines, statements[index])
            of_owners[owned] = _statement_text(owned, texts, elements)
        digests[point] = of_owners[owned]
    return digests


def _statement_text(
    owned: frozenset[int], texts: dict[int, str], elements: dict[int, set[str]]
) -> StatementText:
    """What the statements ``owned`` (indexes into ``texts`` and ``elements``) are together:
    one statement's digest, or that of the sorted digests of several; all of their elements."""
    mine = sorted({texts[index] for index in owned})
    text = mine[0] if len(mine) == 1 else digest("\0".join(mine))
    shared = sorted({element for index in owned for element in elements[index]})
    return StatementText(text, tuple(shared))


def _element_digests(lines: Sequence[str], parts: Parts) -> set[str]:
    """The digests of the texts of a statement's elements (its parts but its own span), each
    without whitespace; an element of none (a value with no text of its own) has none."""
    found: set[str] = set()
    for part in parts[1:]:
        text = span_text(lines, part)
        if text.strip():
            found.add(digest(text)[:ELEMENT_DIGEST_LENGTH])
    return found


def _width(span: Span) -> int:
    """How far a span reaches along its lines: what orders two spans of as many lines."""
    return span.end_column - span.column


def _text(lines: Sequence[str], parts: Parts) -> str:
    """The texts of a statement's parts, apart (NUL is no whitespace, which ``digest`` drops)."""
    return "\0".join(span_text(lines, part) for part in parts)


def span_text(lines: Sequence[str], span: Span) -> str:
    """The text a span covers (its end column excluded), within the lines there are."""
    first, last = span.line - 1, span.end_line - 1
    if not 0 <= first < len(lines):
        return ""
    if last == first:
        return lines[first][span.column - 1 : max(span.end_column, span.column) - 1]
    covered = [lines[first][span.column - 1 :], *lines[first + 1 : min(last, len(lines))]]
    if last < len(lines):
        covered.append(lines[last][: span.end_column - 1])
    return "\n".join(covered)


def digest(text: str) -> str:
    """A short digest of ``text`` without its whitespace: the same statement indented or wrapped
    otherwise has the same one.  (surrogatepass: a lone surrogate of a JSON escape is text too.)"""
    material = "".join(text.split()).encode("utf-8", "surrogatepass")
    return hashlib.sha256(material).hexdigest()[:DIGEST_LENGTH]
