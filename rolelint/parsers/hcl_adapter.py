"""The one place that knows python-hcl2's internals: its Lark grammar and raw parse tree.

Why the raw tree: python-hcl2's dict output (``hcl2.loads``) keeps no positions, returns
``jsonencode(...)`` as source text and mis-escapes trimmed heredocs; the Lark tree it parses with
(``propagate_positions=True``) has line and column on every node.  This module turns that tree
into :mod:`rolelint.parsers.hcl_ast`, so a grammar change in a python-hcl2 release breaks here and
in this module's tests, nowhere else.  The version is pinned in pyproject.toml for that reason.

The parser itself is built, and kept between runs, by :mod:`rolelint.parsers.hcl_grammar`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rolelint.parsers.hcl_ast import (
    Attribute,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    GetIndex,
    HeredocText,
    Literal,
    ObjectExpr,
    ObjectItem,
    Operation,
    Rejected,
    Splat,
    Step,
    Template,
    Traversal,
    TupleExpr,
    Unsupported,
    bare_name,
)
from rolelint.parsers.hcl_grammar import LINE_BREAK
from rolelint.parsers.hcl_grammar import parser as _parser

# This module is itself imported only when HCL is read: lark at its top costs nothing more, and
# the tree walk checks node types a hundred thousand times on a large module.
from rolelint.parsers.lark_loader import Token, Tree
from rolelint.parsers.tree import LoadError
from rolelint.source import UNIVERSAL_BREAKS, LinesSoFar, Span

# Expressions nested deeper than this (about 100 brackets: a bracket and its contents are two)
# are hostile input: reported as an error at the one that crosses it, never a RecursionError.
# Real Terraform nests a few levels; references are followed 100 levels deep (tf_eval).
MAX_DEPTH = 200
TOO_DEEP = "HCL nesting too deep to analyze"
# The grammar reads a chain of operators (``1 + 1 + ... + 1``) as operations nested in one
# another, one level each: 200 terms on one line crossed the limit, and "nesting" did not say
# what to look for.  Every walk over expressions (evaluation, references, the cache's pickles)
# recurses on that nesting, so the limit stays; the message says what counts.
EXPRESSION_TOO_DEEP = (
    f"HCL expression too long or too deeply nested to analyze (over {MAX_DEPTH} levels: each "
    "bracket counts two, each operator of a chain such as 1 + 2 + 3 one)"
)
_INTERPOLATION_PREFIX = "__rolelint__ = "


# --- the parser -----------------------------------------------------------------------------------


def load_grammar() -> None:
    """Load python-hcl2's grammar now (about 0.1 s): worker processes forked afterwards share
    it instead of each loading it again."""
    _parser()


# Files longer than this are parsed a piece at a time (rolelint.parsers.hcl_split), pieces of
# about this size: python-hcl2's tree of a 256 KB piece takes about 30 MB.
PIECE_SIZE = 256 * 1024


# Heredoc bodies and block comments longer than this are blanked before python-hcl2 lexes them
# (see _parse_tree).
BLANK_OVER = 64 * 1024


def parse_hcl(text: str, piece_size: int = PIECE_SIZE, blank_over: int = BLANK_OVER) -> Body:
    """The positioned body of one ``.tf`` file; :class:`LoadError` with a position when invalid.

    A file longer than ``piece_size`` is parsed in pieces of about that size, cut between
    top-level blocks, so that only one piece's parse tree is alive at a time.  When any piece
    fails to parse, the whole file is parsed as one: its result, or its error, is then exactly
    what it would have been without pieces.
    """
    if len(text) > piece_size:
        from rolelint.parsers.hcl_split import pieces

        cut = pieces(text, piece_size)
        if len(cut) > 1:
            body = _parse_pieces(cut, blank_over)
            if body is not None:
                return body
    return _parse_whole(text, blank_over)


def _parse_pieces(cut: list[tuple[int, str]], blank_over: int) -> Body | None:
    """The pieces' bodies as one, or None when one of them does not parse on its own."""
    from lark.exceptions import LarkError

    body = Body()
    for lines_before, piece in cut:
        try:
            tree, originals = _parse_tree(piece, blank_over)
            converter = _Converter(line_shift=lines_before, originals=originals)
            converter.body(tree.children[0], into=body)
        except (LarkError, RecursionError, LoadError):
            return None  # the whole file's parse gives the error (a later piece's may come first)
    return body


def _parse_whole(text: str, blank_over: int) -> Body:
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree, originals = _parse_tree(text, blank_over)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    except LarkError as error:
        raise LoadError(f"invalid HCL: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise LoadError("invalid HCL: nesting too deep", *_deepest(text)) from None
    try:
        return _Converter(originals=originals).body(tree.children[0])
    except _TooDeep as deep:
        where = (deep.span.line, deep.span.column) if deep.span else _deepest(text)
        raise LoadError(EXPRESSION_TOO_DEEP, *where) from None
    except RecursionError:  # blocks nested hundreds deep: Python's own limit
        raise LoadError(TOO_DEEP, *_deepest(text)) from None


class _TooDeep(RecursionError):
    """An expression nested deeper than :data:`MAX_DEPTH`, and where it starts.  A
    RecursionError still: what reads an interpolation alone takes it for one it cannot read."""

    def __init__(self, span: Span | None) -> None:
        super().__init__(EXPRESSION_TOO_DEEP)
        self.span = span


# What a scan for brackets skips: strings (with their escapes) and comments; and the brackets.
_BRACKET_SCAN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|//[^\n]*|/\*.*?(?:\*/|\Z)|[{\[(]|[}\])]', re.DOTALL
)


def _deepest(text: str) -> tuple[int | None, int | None]:
    """Where the brackets of ``text`` first reach their greatest depth (line, column), for an
    error the parser gives without a position.  A cheap scan: a heredoc's or a template's
    brackets count too, which may only move the position shown."""
    at = _deepest_offset(text)
    if at is None:
        return None, None
    line_start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - line_start + 1


def _deepest_offset(text: str) -> int | None:
    """The offset where the brackets of ``text`` first reach their greatest depth."""
    depth, deepest, at = 0, 0, None
    for match in _BRACKET_SCAN.finditer(text):
        token = match.group()
        if token in "{[(":
            depth += 1
            if depth > deepest:
                deepest, at = depth, match.start()
        elif token in "}])":
            depth = max(depth - 1, 0)
    return at


_LONG_TOKENS = ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM")


def _parse_tree(text: str, blank_over: int) -> tuple[Any, dict[int, str]]:
    """python-hcl2's tree of ``text``, and the text of each token that was read with its
    inside blanked, by the token's offset.

    python-hcl2 matches heredocs and block comments with ``(?:.|\n)*?``, which keeps a
    backtracking frame for each character: 229 MB for a 1 MB heredoc, whatever the pieces.  The
    whole lines inside such a token (a heredoc's body, a comment's lines but its first and last),
    when over ``blank_over`` characters, are therefore given to it as their line breaks alone:
    the token ends at the same place and every line keeps its number and its columns.  The
    converter reads a heredoc from the text; comments it never reads.  The parse must read a
    token of exactly the blanked text where each one is (a heredoc in the tree, a comment
    among those the lexer ignored), and a syntax error is found again on the text itself (its
    message may quote a token); otherwise the text is parsed as it is.
    """
    from lark.exceptions import LarkError

    from rolelint.parsers.hcl_grammar import block_comments_read

    blanked, expected = _blank_long_tokens(text, blank_over)
    if expected:
        try:
            with block_comments_read() as comments:
                tree = _parser().parse(_terminated(blanked))
        except LarkError:
            pass
        else:
            found = tree.scan_values(lambda v: isinstance(v, Token) and v.type in _LONG_TOKENS)
            read = {**comments, **{token.start_pos: str(token) for token in found}}
            if all(read.get(at) == blank for at, (blank, _) in expected.items()):
                return tree, {at: original for at, (_, original) in expected.items()}
    return _parser().parse(_terminated(text)), {}


def _terminated(text: str) -> str:
    """``text`` with the final line break the grammar needs; after a carriage return, a blank
    first, so that a file ending with one alone keeps it alone (HCL rejects it, but in a
    comment), where a line feed would make it a CR LF."""
    return text + (" \n" if text.endswith("\r") else "\n")


def _blank_long_tokens(text: str, blank_over: int) -> tuple[str, dict[int, tuple[str, str]]]:
    """``text`` with the lines inside long heredocs and block comments reduced to their line
    breaks, and for each token by its offset in that text: the token as python-hcl2 will read
    it, and as written."""
    if len(text) <= blank_over:
        return text, {}
    from rolelint.parsers.hcl_split import long_tokens

    parts: list[str] = []
    expected: dict[int, tuple[str, str]] = {}
    kept = removed = 0
    for start, inner_start, inner_end, end in long_tokens(text):
        if inner_end - inner_start <= blank_over:
            continue
        blank = "\n" * text.count("\n", inner_start, inner_end)
        parts += [text[kept:inner_start], blank]
        at = start - removed
        expected[at] = (text[start:inner_start] + blank + text[inner_end:end], text[start:end])
        removed += inner_end - inner_start - len(blank)
        kept = inner_end
    if not expected:
        return text, {}
    parts.append(text[kept:])
    return "".join(parts), expected


def _positive(number: Any) -> int | None:
    return number if isinstance(number, int) and number > 0 else None


@dataclass(frozen=True)
class _LineBreakRefused:
    """A syntax error at a line break the parser does not take where it is (see
    :func:`_refused_line_break`): what :func:`_syntax_error` reads of an error."""

    token: Any
    line: int
    column: int


def _refused_line_break(error: Any) -> _LineBreakRefused | None:
    """The line break an error was found after, when the parser does not take one where it
    stopped; None otherwise.

    The lexer reads a line break everywhere, so that the post-lexer can drop those HCL skips
    in an interpolation (rolelint.parsers.hcl_grammar); a post-lexer that holds a line break
    back until it sees the next token (python-hcl2's, no longer run) has the lexer read that
    token as if the line break were not there.  Where no line break may be (``name = <LF>}``),
    the error was the token after it ("unexpected '}'", a line late); it is the line break, as
    HCL and the lexer that did not read one there said."""
    history = getattr(error, "token_history", None) or ()
    state = getattr(error, "state", None)
    if not history or state is None:
        return None
    before = history[-1]
    if getattr(before, "type", None) != LINE_BREAK:
        return None
    try:
        taken = state.parse_conf.parse_table.states[state.position]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    if LINE_BREAK in taken or before.line is None or before.column is None:
        return None
    return _LineBreakRefused(before, before.line, before.column)


def _syntax_error(error: Any, text: str) -> LoadError:
    """The error python-hcl2 found in ``text``, at its place; a block comment never closed at
    its ``/*`` (the lexer may take the ``/`` for a division and stop at the ``*``)."""
    error = _refused_line_break(error) or error
    line, column = (
        _positive(getattr(error, "line", None)),
        _positive(getattr(error, "column", None)),
    )
    token = getattr(error, "token", None)
    start = getattr(token, "start_pos", None)
    if isinstance(start, int) and column is not None:
        opened = _unclosed_comment_at(text, start)
        if opened is not None:
            return LoadError(
                "invalid HCL: unterminated block comment", line, column - start + opened
            )
    at = start if isinstance(start, int) else getattr(error, "pos_in_stream", None)
    if isinstance(at, int) and _BARE_CR.match(text, at) is not None:
        # No token starts with a carriage return alone: HCL's "Invalid character".
        return LoadError(BARE_CARRIAGE_RETURN, line, column)
    message = _syntax_message(error, text)
    if isinstance(start, int):
        unclosed = _unclosed_heredoc_at(text, start)
        if unclosed is not None:
            message = (
                f"invalid HCL: heredoc <<{unclosed} is not closed (no line {unclosed} after it)"
            )
    after_a_return = isinstance(at, int) and 0 < at <= len(text) and text[at - 1] == "\r"
    ends_a_line = message.endswith("unexpected end of line")
    if ends_a_line and after_a_return and column is not None and column > 1:
        # The lexer skips a CRLF's \r as a blank and stops at the \n, a column past the end
        # of the line, which no editor shows: the line ends where the \r is.
        column -= 1
    return LoadError(message, line, column)


def _syntax_message(error: Any, text: str) -> str:
    """What a syntax error in ``text`` says: what the file holds where parsing stopped."""
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "invalid HCL: unexpected end of file"
    if token is not None:
        start = getattr(token, "start_pos", None)
        written = str(token)
        expected = getattr(error, "expected", None) or ()
        if getattr(token, "type", "") == _STRING_TEXT and _STRING_TEXT not in expected:
            written = _leading_token(written)
        return f"invalid HCL: {_unexpected(written, start, text)}"
    char = getattr(error, "char", None)
    if char is not None:
        start = getattr(error, "pos_in_stream", None)
        if isinstance(start, int) and (start >= len(text) or char in "\r\n"):
            return f"invalid HCL: {_unexpected(char, start, text)}"
        return f"invalid HCL: unexpected character {char!r}"
    return "invalid HCL"


# A quoted string's literal text, as the grammar's terminal names it.  Where the parser takes
# no token that starts there, lark's lexer reads the longest terminal of any state, which is
# often this one: the rest of the line (``? 1 : 2`` after a line break that ended the value,
# ``b = 2`` after the value of ``a = 1`` on its line).
_STRING_TEXT = "STRING_CHARS"
# HCL's operators, the ``?`` and ``:`` of a conditional, and a name (an identifier, a keyword).
_OPERATOR_OR_NAME = re.compile(r"==|!=|<=|>=|&&|\|\||[-+*/%<>!?:]|[A-Za-z_][A-Za-z0-9_-]*")


def _leading_token(text: str) -> str:
    """The operator or name ``text`` starts with, which the lexer read with the rest of its
    line as a quoted string's text where no string is: the error is that token
    (``unexpected '?'``, ``unexpected 'b'``), not the line.  Other text as it is."""
    found = _OPERATOR_OR_NAME.match(text)
    return found.group() if found is not None else text


def _unexpected(token: str, start: int | None, text: str) -> str:
    """The unexpected token as ``text`` writes it.  The parse reads ``text`` with a line break
    appended (see _parse_tree), and the lexer's token at an error can run over line breaks to
    the end of the file: quoted, ``name = `` at the end of a file was "unexpected '\\n\\n'", a
    line break the file does not hold.  So the quote is clipped to the file and to the token's
    first line; a token that starts with a line break is the end of the line."""
    if start is not None:
        token = token[: max(0, len(text) - start)]
    if not token:
        return "unexpected end of file"
    first_line = token.splitlines()[0] if token.strip("\r\n") else ""
    if not first_line:
        return "unexpected end of line"
    return f"unexpected {first_line[:40]!r}"


# A heredoc's opener (``<<EOF``, ``<<-EOT``) and the marker that must close it.
_HEREDOC_OPENER = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?$", re.MULTILINE)


def _unclosed_heredoc_at(text: str, start: int) -> str | None:
    """The marker of the heredoc opened at ``start`` when no later line closes it (the lexer
    then stops at the opener, which was reported as "unexpected '<<EOF'" though it is valid);
    None when there is no opener there, or it is closed (the error is something else)."""
    opener = _HEREDOC_OPENER.match(text, start)
    if opener is None:
        return None
    marker = opener.group(1)
    rest = text[opener.end() :].splitlines()[1:]
    return None if any(line.strip() == marker for line in rest) else marker


def _unclosed_comment_at(text: str, start: int) -> int | None:
    """The offset of the ``/*`` never closed that the token at ``start`` is, or follows the
    ``/`` of; None when there is none."""
    opened = text.find("/*", max(0, start - 1), start + 2)
    return opened if opened >= 0 and "*/" not in text[opened + 2 :] else None


# --- conversion -----------------------------------------------------------------------------------


def _span_of(node: Any) -> Span | None:
    """The span of a Lark tree or token (Lark counts like we do: 1-based, end column exclusive)."""
    if isinstance(node, Token):
        if node.line is None or node.column is None:
            return None
        return Span(node.line, node.column, node.end_line or node.line, node.end_column or 0)
    meta = node.meta
    if getattr(meta, "empty", True):
        return None
    end = _end_before_line_breaks(node)
    if end is not None:
        return Span(meta.line, meta.column, *end)
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _is_line_break(node: Any) -> bool:
    return isinstance(node, Tree) and node.data == "new_line_or_comment"


def _end_before_line_breaks(node: Any) -> tuple[int, int] | None:
    """Where ``node`` ends without the line breaks and comments at its end; None when it has
    none there (its own end is right).

    python-hcl2's binary operations took the line breaks and comments after them (until
    rolelint.parsers.hcl_grammar gave them HCL's line breaks), so ``a = 6 * 0`` ran on over the
    blank lines below it, and the same attribute had another end when a large file was parsed
    in pieces (rolelint.parsers.hcl_split); a rule may still end with some.  Walks the last
    parts down to the last token that is not one.
    """
    trimmed = False
    while isinstance(node, Tree) and node.children:
        children = node.children
        last = children[-1]
        if _is_line_break(last):
            trimmed = True
            last = next((child for child in reversed(children) if not _is_line_break(child)), None)
            if last is None:
                return None
        if isinstance(last, Token):
            if not trimmed or last.end_line is None or last.end_column is None:
                return None
            return last.end_line, last.end_column
        node = last
    if not trimmed or getattr(node.meta, "empty", True):
        return None
    return node.meta.end_line, node.meta.end_column


def _is_tree(node: Any, name: str | None = None) -> bool:
    return isinstance(node, Tree) and (name is None or node.data == name)


def _parts(node: Any) -> list[Any]:
    """The meaningful children of a tree: trees other than comments and new lines."""
    return [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]


def _is_strip_marker(node: Any) -> bool:
    return isinstance(node, Token) and node.type == "STRIP_MARKER"


# The keywords of a template directive, as the grammar's tokens name them.
_DIRECTIVE_KEYWORDS = frozenset(("IF", "ELSE", "ENDIF", "FOR", "ENDFOR"))


def _is_keyword(node: Any) -> bool:
    return isinstance(node, Token) and node.type in _DIRECTIVE_KEYWORDS


def _tokens(node: Any) -> list[Any]:
    return [child for child in node.children if isinstance(child, Token)]


class _Converter:
    """Walks the Lark tree once; ``line_shift``/``column_shift`` re-position interpolations,
    ``moved`` those written over several lines (:class:`_SourceLines`)."""

    def __init__(
        self,
        line_shift: int = 0,
        column_shift: int = 0,
        originals: dict[int, str] | None = None,
        moved: Callable[[Span], Span] | None = None,
    ) -> None:
        self.line_shift = line_shift
        self.column_shift = column_shift
        self.originals = originals or {}  # heredocs parsed blanked, as written (_parse_tree)
        self.moved = moved
        self.depth = 0

    def span(self, node: Any) -> Span | None:
        span = _span_of(node)
        if span is not None and self.moved is not None:
            return self.moved(span)
        if span is None or (self.line_shift == 0 and self.column_shift == 0):
            return span
        # Used for expressions parsed out of a heredoc: first-line columns move with the prefix.
        column = span.column + self.column_shift if span.line == 1 else span.column
        end_column = span.end_column + self.column_shift if span.end_line == 1 else span.end_column
        return Span(
            span.line + self.line_shift, column, span.end_line + self.line_shift, end_column
        )

    # --- structure -------------------------------------------------------------------------------

    def body(self, node: Any, into: Body | None = None) -> Body:
        """The body ``node`` holds, its attributes and blocks added to ``into`` if given."""
        body = Body() if into is None else into
        for child in _parts(node):
            if child.data == "attribute":
                body.add_attribute(self.attribute(child))
            elif child.data == "block":
                body.blocks.append(self.block(child))
        return body

    def attribute(self, node: Any) -> Attribute:
        name_node, value_node = _parts(node)[0], _parts(node)[-1]
        return Attribute(
            name=self.name(name_node),
            value=self.expr(value_node),
            span=self.span(node),
            name_span=self.span(name_node),
        )

    def block(self, node: Any) -> Block:
        parts = _parts(node)
        header, body = parts[:-1], parts[-1]
        labels = tuple(self.label(part) for part in header[1:])
        whole = self.span(node)
        first = self.span(header[0])
        span = whole
        if whole is not None and first is not None:
            span = Span(whole.line, whole.column, first.end_line, first.end_column)
        end_line = whole.end_line if whole is not None else 0
        return Block(self.name(header[0]), labels, self.body(body), span, end_line=end_line)

    def name(self, node: Any) -> str:
        """An identifier, keyword or literal used as a name."""
        return "".join(str(token) for token in _leaf_tokens(node))

    def label(self, node: Any) -> str:
        if node.data == "string":
            return "".join(
                part if isinstance(part, str) else "" for part in self.template_parts(node)
            )
        return self.name(node)

    # --- expressions -----------------------------------------------------------------------------

    def expr(self, node: Any) -> Expr:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.span(node))
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: Any) -> Expr:
        kind = node.data
        span = self.span(node)
        if kind == "expr_term":
            inner = _parts(node)
            if len(inner) == 1:
                return self.expr(inner[0])
            return Unsupported(span, "empty expression")
        handler = getattr(self, f"_{kind}", None)
        if handler is None:
            return Unsupported(span, f"{kind} is not evaluated")
        result: Expr = handler(node, span)
        return result

    def _string(self, node: Any, span: Span | None) -> Expr:
        parts = self.template_parts(node)
        if any(not isinstance(part, (str, Expr)) for part in parts):
            # Directives (rolelint.parsers.hcl_directives.Directive): nested as HCL nests
            # them, or the one Unsupported that says why they cannot be rendered.
            from rolelint.parsers.hcl_directives import nested, not_rendered

            built = tuple(nested(parts))
            unread = not_rendered(built)
            if isinstance(unread, Rejected):  # directives that do not nest: Terraform rejects
                raise rejected_error(unread)
            directive = unread is not None
            return Template(span, built if directive else _merge_text(built), directive=directive)
        if all(isinstance(part, str) for part in parts):
            return Literal(span, "".join(parts))
        return Template(span, _merge_text(tuple(parts)))

    def template_parts(self, node: Any) -> list[Any]:
        parts: list[Any] = []
        for child in _parts(node):
            if child.data != "string_part":
                continue
            inner = child.children[0]
            if _is_tree(inner, "interpolation"):
                # INTERP_START, a strip marker, the expression, a strip marker, RBRACE
                children = inner.children
                at = next(i for i, child in enumerate(children) if _is_tree(child))
                if any(_is_strip_marker(child) for child in children[:at]):
                    parts.append(_STRIP_BEFORE)
                parts.append(self.expr(children[at]))
                if any(_is_strip_marker(child) for child in children[at + 1 :]):
                    parts.append(_STRIP_AFTER)
            elif _is_tree(inner):
                parts.extend(self.directive(inner))  # %{ if } / %{ for } and friends
            elif (broken := _LINE_BREAK.search(str(inner))) is not None:
                raise self.line_break(inner, str(inner), broken)
            elif inner.type == "ESCAPED_INTERPOLATION":
                parts.append(str(inner)[1:])  # "$${x}" is the literal text "${x}"
            elif inner.type == "ESCAPED_DIRECTIVE":
                parts.append(str(inner)[1:])
            else:
                try:
                    parts.append(unescape(str(inner)))
                except InvalidEscape as problem:
                    raise LoadError(
                        f"invalid HCL: invalid escape sequence {problem.escape}: "
                        f"U+{problem.code:04X} is not a character",
                        inner.line,
                        inner.column + problem.offset if inner.column else None,
                    ) from None
        return _stripped(parts)

    def line_break(self, token: Any, text: str, found: re.Match[str]) -> LoadError:
        """The error of a line break in the literal text of a quoted string (``token``'s):
        HCL's scanner ends the string there and Terraform rejects the file ("Invalid
        multi-line string"), where the grammar kept a line feed, a CR LF or a carriage return
        alone as the string's text.  A carriage return alone is one of those line breaks: in a
        quoted string HCL's scanner reads ``\r`` and ``\n`` alike (hclsyntax's stringTemplate,
        a TokenQuotedNewline), so its message is the same, not the invalid character it is
        between tokens."""
        return self.error_at(token, text, found.start(), MULTI_LINE_STRING)

    def carriage_return(self, token: Any, text: str, offset: int) -> LoadError:
        """The error of a carriage return not followed by a line feed at ``offset`` of the
        text of ``token``: a line break a quoted string may not hold, to HCL, and nothing its
        scanner reads in a heredoc's text.  The grammar kept it as text."""
        return self.error_at(token, text, offset, BARE_CARRIAGE_RETURN)

    def error_at(self, token: Any, text: str, offset: int, message: str) -> LoadError:
        """The error ``message`` at ``offset`` of the text of ``token``, which may span lines
        (HCL counts them at line feeds only)."""
        before = text.count("\n", 0, offset)
        column = offset - text.rfind("\n", 0, offset)  # 1-based on a later line
        if before == 0:
            column = (token.column or 1) + offset
        return LoadError(message, (token.line or 1) + before + self.line_shift, column)

    def directive(self, node: Any) -> list[Any]:
        """A ``%{ ... }`` of a quoted string, as rolelint.parsers.hcl_directives nests it: its
        keyword and what it holds, with the strip markers beside it (``%{~ if x ~}``)."""
        from rolelint.parsers.hcl_directives import Directive

        children = node.children
        at = next(i for i, child in enumerate(children) if _is_keyword(child))
        keyword = str(children[at])
        trees = _parts(node)
        span = self.span(node)
        if keyword == "if":
            directive = Directive(keyword, span, self.expr(trees[-1]))
        elif keyword == "for":
            names = [self.name(tree) for tree in trees[:-1]]
            key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
            directive = Directive(keyword, span, self.expr(trees[-1]), key_name, value_name)
        else:
            directive = Directive(keyword, span)
        before = [_STRIP_BEFORE] if any(map(_is_strip_marker, children[:at])) else []
        after = [_STRIP_AFTER] if any(map(_is_strip_marker, children[at + 1 :])) else []
        return [*before, directive, *after]

    def _template_string(self, node: Any, span: Span | None) -> Expr:
        return Unsupported(span, "escaped string inside a template directive")

    def _int_lit(self, node: Any, span: Span | None) -> Expr:
        return Literal(span, _integer(str(_tokens(node)[0]), span))

    def _float_lit(self, node: Any, span: Span | None) -> Expr:
        return Literal(span, float(str(_tokens(node)[0])))

    def _literal_value(self, node: Any, span: Span | None) -> Expr:
        text = str(_tokens(node)[0])
        return Literal(span, {"true": True, "false": False}.get(text))

    def _identifier(self, node: Any, span: Span | None) -> Expr:
        return Traversal(span, self.name(node), ())

    def _keyword(self, node: Any, span: Span | None) -> Expr:
        return Literal(span, self.name(node))

    def _tuple(self, node: Any, span: Span | None) -> Expr:
        return TupleExpr(span, tuple(self.expr(item) for item in _parts(node)))

    def _object(self, node: Any, span: Span | None) -> Expr:
        items = []
        for element in _parts(node):
            key_node, value_node = _parts(element)[0], _parts(element)[-1]
            key_parts = _parts(key_node)
            key_expr = self.expr(key_parts[0]) if key_parts else Unsupported(None, "no key")
            bare = bare_name(key_expr)
            if bare is not None and not _parenthesised(key_parts[0]):
                # ``Version = ...``: a bare name is the key itself; ``(foo) = ...`` refers to
                # ``foo``, as HCL forces a key in parentheses to be read as an expression.
                key_expr = Literal(key_expr.span, bare)
            items.append(ObjectItem(key_expr, self.expr(value_node), self.span(key_node)))
        return ObjectExpr(span, tuple(items))

    def _function_call(self, node: Any, span: Span | None) -> Expr:
        parts = _parts(node)
        names = [self.name(part) for part in parts if part.data == "identifier"]
        arguments = next((part for part in parts if part.data == "arguments"), None)
        args: tuple[Expr, ...] = ()
        expand = False
        if arguments is not None:
            args = tuple(self.expr(argument) for argument in _parts(arguments))
            expand = any(token.type == "ELLIPSIS" for token in _tokens(arguments))
        return Call(span, "::".join(names), args, expand)

    def _traverse(self, base: Any, steps: list[Step], span: Span | None) -> Expr:
        inner = self.expr(base)
        if isinstance(inner, Traversal):
            return Traversal(span, inner.root, inner.steps + tuple(steps), inner.source)
        return Traversal(span, None, tuple(steps), inner)

    def _get_attr_expr_term(self, node: Any, span: Span | None) -> Expr:
        base, attr = _parts(node)
        return self._traverse(base, [GetAttr(self.name(_parts(attr)[0]))], span)

    def _index_expr_term(self, node: Any, span: Span | None) -> Expr:
        base, index = _parts(node)
        return self._traverse(base, [self.index(index)], span)

    def index(self, node: Any) -> GetIndex:
        if node.data == "short_index":
            token = next(t for t in _tokens(node) if t.type == "INT_LITERAL")
            return GetIndex(Literal(self.span(token), _integer(str(token), self.span(token))))
        return GetIndex(self.expr(_parts(node)[0]))

    def _attr_splat_expr_term(self, node: Any, span: Span | None) -> Expr:
        base, splat = _parts(node)
        return self._traverse(base, [Splat(), *self.splat_steps(splat)], span)

    _full_splat_expr_term = _attr_splat_expr_term

    def splat_steps(self, node: Any) -> list[Step]:
        steps: list[Step] = []
        for part in _parts(node):
            if part.data == "get_attr":
                steps.append(GetAttr(self.name(_parts(part)[0])))
            else:
                steps.append(self.index(part))
        return steps

    def _conditional(self, node: Any, span: Span | None) -> Expr:
        condition, then, otherwise = _parts(node)
        return Conditional(span, self.expr(condition), self.expr(then), self.expr(otherwise))

    def _binary_op(self, node: Any, span: Span | None) -> Expr:
        left, term = _parts(node)
        operator_node, right = _parts(term)
        operator = "".join(str(token) for token in _leaf_tokens(operator_node))
        return Operation(span, operator.strip(), self.expr(left), self.expr(right))

    def _unary_op(self, node: Any, span: Span | None) -> Expr:
        operator = str(_tokens(node)[0])
        return Operation(span, operator, self.expr(_parts(node)[0]))

    def _for_tuple_expr(self, node: Any, span: Span | None) -> Expr:
        return self.for_expr(node, span, is_object=False)

    def _for_object_expr(self, node: Any, span: Span | None) -> Expr:
        return self.for_expr(node, span, is_object=True)

    def for_expr(self, node: Any, span: Span | None, *, is_object: bool) -> Expr:
        parts = _parts(node)
        intro, rest = parts[0], parts[1:]
        intro_parts = _parts(intro)
        names = [self.name(p) for p in intro_parts if p.data == "identifier"]
        collection = self.expr(intro_parts[-1])
        condition = None
        if rest and rest[-1].data == "for_cond":
            condition = self.expr(_parts(rest[-1])[0])
            rest = rest[:-1]
        key = self.expr(rest[0]) if is_object else None
        value = self.expr(rest[-1])
        grouping = any(token.type == "ELLIPSIS" for token in _tokens(node))
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return ForExpr(span, key_name, value_name, collection, key, value, condition, grouping)

    def _heredoc_template(self, node: Any, span: Span | None) -> Expr:
        return self.heredoc(_tokens(node)[0], span, trim=False)

    def _heredoc_template_trim(self, node: Any, span: Span | None) -> Expr:
        return self.heredoc(_tokens(node)[0], span, trim=True)

    def heredoc(self, token: Any, span: Span | None, *, trim: bool) -> Expr:
        written = self.originals.get(token.start_pos, str(token))
        bare = text_carriage_return(written)
        if bare is not None:
            raise self.carriage_return(token, written, bare)
        lines = written.replace("\r\n", "\n").split("\n")
        body_lines = lines[1:-2]  # after the opening marker, before the closing one
        indent = 0
        kept: dict[int, int] = {}
        if trim:
            body_lines, indent, kept = flushed_lines(body_lines)
        text = "\n".join(body_lines) + ("\n" if body_lines else "")
        first_line = (token.line or 1) + 1 + self.line_shift
        columns = tuple((first_line + index, count + 1) for index, count in kept.items())
        heredoc = HeredocText(text, first_line, indent, columns)
        parts = self.heredoc_parts(heredoc)
        # As the same interpolation, or directive, is in a quoted string; or directives that
        # do not nest, which Terraform rejects wherever they are.
        if "%{" in text:
            rejected = rejected_in(text, first_line, indent + 1, heredoc.line_columns())
        else:
            rejected = first_rejected(parts)
        if rejected is not None:
            raise rejected_error(rejected)
        directive = any(part is _DIRECTIVE for part in parts)
        clean = tuple(part for part in parts if part is not _DIRECTIVE)
        return Template(span, _merge_text(clean), directive=directive, heredoc=heredoc)

    def heredoc_parts(self, heredoc: HeredocText) -> list[Any]:
        """Heredoc bodies are not parsed by the grammar: find and parse ``${...}`` here."""
        return interpolation_parts(
            heredoc.text,
            heredoc.first_line,
            heredoc.indent + 1,
            line_columns=heredoc.line_columns(),
        )


def flushed_lines(lines: list[str]) -> tuple[list[str], int, dict[int, int]]:
    """The lines of a ``<<-`` heredoc's body with its indentation removed as HCL removes it,
    how much it removes, and, by its index, how much it removes from each line that is not
    blank and loses less (none, or what it has): what is on such a line is placed by it
    (HeredocText.kept).

    HCL applies the strip markers first, then the flush (hclsyntax parseTemplateInner:
    parseTemplateParts, then flushHeredocTemplateParts), on the template's tokens, a literal
    one ending after each line feed.  A line starts where the literal token before it ended
    with a line feed: its first token, a literal, has its leading whitespace counted (none
    when it is an interpolation or a directive; a whitespace line with its line feed is not
    counted), and the smallest count is removed from each line so counted.  So a line after
    one whose line feed a ``~}`` took keeps its indentation (hashicorp/terraform#23710), and
    indentation a ``${~`` takes whole counts as none, so no line loses any.  rolelint
    removed the smallest indentation of every line first and stripped after, which took the
    indentation of those lines and reached back over the line feed before a ``${~``.  A
    sequence no ``}`` closes (an error of the file) leaves every line's counted, as before."""
    text = "".join(line + "\n" for line in lines)
    tokens = _line_tokens(text)
    if tokens is None:
        counted = [line for line in lines if line.strip()]
        widths = [len(line) - len(line.lstrip(" \t")) for line in counted]
        indent = min(widths, default=0)
        return [line[indent:] for line in lines], indent, {}
    smallest: int | None = None
    adjusted: list[int] = []
    inside: list[int] = []  # lines that start inside a ``${...}`` or ``%{...}``
    new_line = True
    for kind, value, line, last in tokens:
        inside.extend(range(line + 1, last + 1))
        if new_line:
            new_line = False
            if kind is not str:
                smallest = 0
            elif value.strip(_HCL_SPACE) or not value.endswith("\n"):
                spaces = len(value) - len(value.lstrip(_HCL_SPACE))
                smallest = spaces if smallest is None else min(smallest, spaces)
                adjusted.append(line)
        if kind is str and value.endswith("\n"):
            new_line = True
    indent = smallest or 0
    removed = [0] * len(lines)
    for line in adjusted:
        removed[line] = indent
    for line in inside:
        # Whitespace between an expression's tokens: removed as far as the rest is, so that
        # what is on the line keeps the columns HeredocText.indent says where it can.
        text_of = lines[line]
        removed[line] = min(indent, len(text_of) - len(text_of.lstrip(" \t")))
    result = [line[count:] for line, count in zip(lines, removed, strict=True)]
    kept = {
        index: count
        for index, count in enumerate(removed)
        if count != indent and lines[index].strip()
    }
    return result, indent, kept


def _line_tokens(text: str) -> list[tuple[type | None, str, int, int]] | None:
    """The tokens of template ``text`` as HCL's scanner makes them of a heredoc, its strip
    markers applied: literal text (``str``, its value; a token ends after each line feed) or
    a sequence (None), each with the lines it starts and ends on.  None when a ``${`` or
    ``%{`` is not closed."""
    tokens: list[tuple[type | None, str, int, int]] = []
    line = 0
    strip_next = False

    def literal(piece: str) -> None:
        nonlocal line, strip_next
        at = 0
        while at < len(piece):
            feed = piece.find("\n", at)
            end = len(piece) if feed < 0 else feed + 1
            chunk = piece[at:end]
            if strip_next:  # a ``~}`` strips the one token after it
                chunk, strip_next = chunk.lstrip(_HCL_SPACE), False
            tokens.append((str, chunk, line, line))
            line += feed >= 0
            at = end

    start = 0
    for mark in template_marks(text):
        if mark.escape:
            continue
        end = mark.last
        if end is None:
            return None
        literal(text[start : mark.start])
        source = text[mark.start + 2 : end]
        if source.startswith("~") and tokens and tokens[-1][0] is str:
            kind, value, at, _ = tokens[-1]
            tokens[-1] = (kind, value.rstrip(_HCL_SPACE), at, at)
        last = line + text.count("\n", mark.start, end)
        tokens.append((None, "", line, last))
        strip_next = source.endswith("~") and len(source) > 1
        line = last
        start = end + 1
    literal(text[start:])
    return tokens


_DIRECTIVE = object()
# Strip markers of an interpolation (``${~`` and ``~}``), among template parts until
# :func:`_stripped` applies them.
_STRIP_BEFORE = object()
_STRIP_AFTER = object()
# What a strip marker strips: Go's unicode.IsSpace, which HCL trims with (Python's str.strip
# would take the separators U+001C to U+001F too).
_HCL_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def _stripped(parts: list[Any], *, by_line: bool = False) -> list[Any]:
    """Template parts with their strip markers applied, as HCL does: ``${~`` removes the
    whitespace (newlines included) at the end of the literal text before it, ``~}`` at the start
    of the text after it; an interpolation or a directive beside it stops the stripping.

    HCL strips the one literal token beside the marker.  A quoted string's literal text is one
    token between its sequences (its escapes decoded: ``\\n`` is stripped as the line break it
    is), but the text of a heredoc, of a template file and of a string of Terraform's JSON syntax
    is scanned one line at a time, its line feed included: there (``by_line``) a marker strips
    to the end of its line only (:func:`strip_after`, :func:`strip_before`)."""
    if _STRIP_BEFORE not in parts and _STRIP_AFTER not in parts:
        return parts
    result: list[Any] = []
    strip_next = False
    for part in parts:
        if part is _STRIP_BEFORE:
            if by_line:
                _strip_line_before(result)
                continue
            while result and isinstance(result[-1], str):
                kept = result[-1].rstrip(_HCL_SPACE)
                if kept:
                    result[-1] = kept
                    break
                result.pop()
        elif part is _STRIP_AFTER:
            strip_next = True
        elif isinstance(part, str) and strip_next:
            if by_line:
                result.append(part[strip_after(part, 0) :])
                strip_next = False
                continue
            part = part.lstrip(_HCL_SPACE)
            if part:
                result.append(part)
                strip_next = False
        else:
            result.append(part)
            strip_next = False
    return result


def _strip_line_before(result: list[Any]) -> None:
    """The literal text at the end of ``result`` (its last string parts, one text) stripped
    as an opening strip marker after it strips it in a text scanned line by line."""
    text = ""
    while result and isinstance(result[-1], str):
        text = result.pop() + text
    if text:
        result.append(text[: strip_before(text, len(text))])


def strip_after(text: str, start: int) -> int:
    """The offset past the whitespace of ``text`` that a closing strip marker (``~}``) right
    before ``start`` strips, where HCL scans literal text line by line (a heredoc, a template
    file): its scanner ends a literal token after each line feed, and the marker strips the one
    token after it (hclsyntax, scan_tokens.rl and parseTemplateParts), so the stripping stops
    after the first line feed: the next line's indentation stays."""
    index, end = start, len(text)
    while index < end and text[index] in _HCL_SPACE:
        index += 1
        if text[index - 1] == "\n":
            break
    return index


def strip_before(text: str, end: int) -> int:
    """Where the whitespace of ``text`` starts that an opening strip marker (``${~``, ``%{~``)
    at ``end`` strips, where HCL scans literal text line by line: the one token before the
    marker is the text since the last line feed, or, the marker starting a line, the previous
    line with its line feed, whose trailing whitespace goes; no earlier line is touched."""
    index = end
    if index and text[index - 1] == "\n":
        index -= 1
    while index and text[index - 1] != "\n" and text[index - 1] in _HCL_SPACE:
        index -= 1
    return index


@dataclass(frozen=True, slots=True)
class DirectiveText:
    """A ``%{ ... }`` of a template as written, for :mod:`rolelint.parsers.hcl_directives` to
    read: ``source`` is what is between ``%{`` and ``}`` (strip markers included; None when the
    ``}`` is missing), its first character at ``line``/``column`` of the file and each of its
    later lines starting at ``later_column``, or at the column ``line_columns`` gives for its
    file line (a ``<<-`` heredoc's line that keeps more indentation, HeredocText.kept)."""

    source: str | None
    line: int
    column: int
    later_column: int
    line_columns: Mapping[int, int] | None = field(default=None, compare=False)


def interpolation_parts(
    text: str,
    first_line: int,
    first_column: int,
    later_column: int | None = None,
    *,
    directives: bool = False,
    line_columns: Mapping[int, int] | None = None,
) -> list[Any]:
    """``text`` split into literal parts and parsed ``${...}`` expressions (positioned in the file).

    ``first_column`` is the file column of the text's first character; ``later_column`` that of
    the first character of each of its later lines, when it is not ``first_column`` (heredoc
    lines all start at the same column after trimming, but a JSON string of a heredoc starts
    after its quote, and its later lines, inside a ``${...}`` written over several lines, at the
    heredoc's column).  ``%{`` directives yield a marker, or with ``directives`` their text
    (:class:`DirectiveText`), which ends at its own ``}`` as an interpolation does.  Strip
    markers (``${~ x ~}``, ``%{~ if x ~}``) strip the whitespace beside the sequence.
    ``line_columns``: the file column of the first character of the lines (by file line) that
    start elsewhere (HeredocText.line_columns).
    """
    if later_column is None:
        later_column = first_column
    parts: list[Any] = []
    literal_start = 0
    lines = LinesSoFar(text, first_line)
    for mark in template_marks(text, directives=directives):
        index = mark.start
        if mark.escape:
            parts.append(text[literal_start:index] + text[index + 1 : index + 3])
            literal_start = index + 3
            continue
        directive = mark.opener == "%{"
        if directive and not directives:
            parts.append(_DIRECTIVE)
            continue
        end = mark.last
        parts.append(text[literal_start:index])
        line, column = lines.at(index)
        line_column = first_column if line == first_line else later_column
        if line_columns:
            line_column = line_columns.get(line, line_column)
        at = line_column + column + 1  # the file column of what follows ``${`` or ``%{``
        if end is None:
            # Terraform rejects a sequence without its end (hcl: "Unclosed template
            # interpolation sequence"): its text is never read as literal.
            if directive:
                parts.append(DirectiveText(None, line, at, later_column, line_columns))
            else:
                opened = Span.point(line, at - 2)
                parts.append(Rejected(opened, UNPARSED_INTERPOLATION, UNCLOSED, opened))
            literal_start = len(text)
            break
        source = text[index + 2 : end]
        if source.startswith("~"):
            parts.append(_STRIP_BEFORE)
        if directive:
            parts.append(DirectiveText(source, line, at, later_column, line_columns))
        else:
            parts.append(parse_expression(source, line, at, later_column, line_columns))
        if source.endswith("~") and len(source) > 1:
            parts.append(_STRIP_AFTER)
        literal_start = end + 1
    parts.append(text[literal_start:])
    return [part for part in _stripped(parts, by_line=True) if part != ""]


# Where a template sequence starts: escaped ones first, as ``$${`` also holds ``${``.
_TEMPLATE_MARK = re.compile(r"\$\$\{|%%\{|%\{|\$\{")


@dataclass(frozen=True, slots=True)
class TemplateMark:
    """A ``${`` or ``%{`` sequence of a template's text, or an escape (``$${``, ``%%{``): its
    ``opener`` as written, where it starts, and ``last``, the offset of its last character:
    the ``}`` that closes a sequence (:func:`closing_brace`; None when none does), the ``{``
    of an escape, or of a ``%{`` a reading takes as a mark alone."""

    opener: str
    start: int
    last: int | None

    @property
    def escape(self) -> bool:
        return self.opener in ("$${", "%%{")


def template_marks(text: str, *, directives: bool = True) -> Iterator[TemplateMark]:
    """Each sequence and escape of a template's ``text``, in order, what is between them its
    literal text: the one scan of a heredoc's (its parts, the tokens its ``<<-`` flush
    counts, a bare carriage return in its text) and of a string's of Terraform's JSON
    syntax.  A sequence no ``}`` closes is the last (Terraform rejects it: its text is never
    literal).  Without ``directives``, a ``%{`` is a mark alone, the text after it scanned
    on, as the parts of a heredoc whose directives are rendered elsewhere read it
    (:func:`interpolation_parts`)."""
    index = 0
    while (mark := _TEMPLATE_MARK.search(text, index)) is not None:
        opener = mark.group()
        if opener in ("$${", "%%{") or (opener == "%{" and not directives):
            yield TemplateMark(opener, mark.start(), mark.end() - 1)
            index = mark.end()
            continue
        last = closing_brace(text, mark.end())
        yield TemplateMark(opener, mark.start(), last)
        if last is None:
            return
        index = last + 1


# What changes what is open in an expression (a quote, a brace, what may start a comment),
# and in a quoted string (its end, an escape, a literal ``$${`` or ``%%{``, a template
# sequence; escaped sequences first, as ``$${`` also holds ``${``).
_EXPRESSION_MARK = re.compile(r'["{}#/]')
_QUOTED_MARK = re.compile(r'["\\]|\$\$\{|%%\{|\$\{|%\{')


def closing_brace(text: str, start: int) -> int | None:
    """The offset of the ``}`` that ends the ``${`` or ``%{`` whose text starts at ``start``
    (None when it is not closed).  Braces inside quoted strings and comments are none: HCL
    reads an interpolation or a directive as expressions, where ``#`` and ``//`` start a
    comment to the end of the line and ``/*`` one to its ``*/`` (``${x # a } brace\n}``), and
    a quoted string is a template of its own, whose ``${...}`` and ``%{...}`` hold expressions
    again (``${format("%s-${replace(var.x, "//", "/")}", var.y)}``: the ``//`` is text)."""
    return _closer(text, start, [0])


def _closer(
    text: str, index: int, nesting: list[int | None], quoted: re.Pattern[str] = _QUOTED_MARK
) -> int | None:
    """The offset of the character that closes the outermost of ``nesting``, what is open at
    ``index`` from the outside in: an ``int``, an interpolation or directive with that many
    braces open in it; None, a quoted string.  None when the text ends first.  A stack, not
    recursion: hostile nesting is as deep as the text is long.  With ``quoted`` matching a
    line break (:func:`string_line_break`), the offset of one in a quoted string's literal text
    where it comes first."""
    while True:
        braces = nesting[-1]
        mark = (quoted if braces is None else _EXPRESSION_MARK).search(text, index)
        if mark is None:
            return None
        token, index = mark.group(), mark.end()
        if braces is None:
            if token in ("\r", "\n"):
                return mark.start()
            if token == "\\":
                index += 1  # the escaped character
            elif token == '"':
                nesting.pop()
            elif token in ("${", "%{"):
                nesting.append(0)
            # "$${" and "%%{" are literal text
        elif token == '"':
            nesting.append(None)
        elif token == "{":
            nesting[-1] = braces + 1
        elif token == "}":
            if braces:
                nesting[-1] = braces - 1
            else:
                nesting.pop()
        elif (comment_end := _comment_end(text, mark.start())) is not None:
            index = comment_end
        if not nesting:
            return mark.start()


def _comment_end(text: str, index: int) -> int | None:
    """The offset past the comment that starts at ``index`` (a line comment ends before its
    line break; one never closed ends the text), or None when none starts there."""
    if text.startswith("/*", index):
        end = text.find("*/", index + 2)
        return len(text) if end < 0 else end + 2
    if text[index] == "#" or text.startswith("//", index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    return None


class Closings:
    """What :func:`closing_brace` says for each offset of one text that a reading asks about,
    the text read about once however many are asked.  A reading of a template's JSON asks for
    every ``${`` of a string, and closing_brace reads one that nothing closes to the end of the
    text: 20,000 of them (44 KB) took 25 s, and with a comment, a quote or a ``/`` between each
    two, ``"${/**/" * 20,000`` (120 KB), 243 s.

    A match is in the same state wherever it reads on from the same offset with the same thing
    open (an interpolation or directive with no brace open in it, or a quoted string), so it
    ends where a match started there ends: past a comment (whose end is looked up, not searched
    for again), and past a nested level, a ``{`` (or ``"``, or a string's ``${``) whose own
    match ends where the outer one reads on (one level deeper, it makes the same moves until the
    nested one closes).  Each such offset's answer is kept, and each is found with a stack of
    what waits on it, not recursion: hostile nesting is as deep as the text is long.
    tests/parsers/test_tf_template_json.py holds the answers to closing_brace's."""

    __slots__ = ("_known", "_marks", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Each answer found, from an offset read as an expression (the text of a ``${``) and
        # from one read as a quoted string's text.
        self._known: dict[bool, dict[int, int | None]] = {True: {}, False: {}}
        self._marks: dict[str, list[int]] = {}  # where "*/" and line breaks are, once asked

    def at(self, start: int) -> int | None:
        """The offset of the ``}`` ending the ``${`` or ``%{`` whose text starts at ``start``,
        as :func:`closing_brace` finds it."""
        # What waits on the answer found next: its answer is that one (None) or, once the
        # nested level it opens is closed, a match's from after it, in an expression (True) or
        # a string (False).
        waiting: list[tuple[bool, int, bool | None]] = []
        expression, offset = True, start
        while True:
            known = self._known[expression]
            if offset in known:
                found = known[offset]
            else:
                step = self._step(expression, offset)
                if isinstance(step, tuple):
                    waiting.append((expression, offset, step[2]))
                    expression, offset = step[0], step[1]
                    continue
                found = known[offset] = step
            while waiting:
                outer_expression, outer, then = waiting.pop()
                if then is not None and found is not None:
                    waiting.append((outer_expression, outer, None))
                    expression, offset = then, found + 1
                    break
                self._known[outer_expression][outer] = found
            else:
                return found

    def _step(self, expression: bool, offset: int) -> int | tuple[bool, int, bool | None] | None:
        """What a match from ``offset`` (in an expression, else in a quoted string) reads up to
        where it ends, or reaches an offset in the same state as one from there: the end (None
        when the text ends first), or where a match ``(expression, offset, then)`` starts:
        then None when this one ends where that one does, else that one is a nested level's,
        after whose closing this one reads on (in an expression or a string, ``then``)."""
        text = self._text
        if expression:
            mark = _EXPRESSION_TOKEN.search(text, offset)
            if mark is None:
                return None
            token = mark.group()
            if token == "}":
                return mark.start()
            if token in ("{", '"'):
                return (token == "{", mark.end(), True)
            return (True, self._comment_end(mark.start()), None)
        index = offset
        while (mark := _QUOTED_MARK.search(text, index)) is not None:
            token = mark.group()
            if token == '"':
                return mark.start()
            if token in ("${", "%{"):
                return (True, mark.end(), False)
            # the escaped character is skipped; "$${" and "%%{" are literal text
            index = mark.end() + 1 if token == "\\" else mark.end()
        return None

    def _comment_end(self, index: int) -> int:
        """Where the comment starting at ``index`` ends, as :func:`_comment_end` says: its
        end is looked up among the text's, which many comments share (``${/*`` x 20,000)."""
        block = self._text.startswith("/*", index)
        needle = "*/" if block else "\n"
        marks = self._marks.get(needle)
        if marks is None:
            marks = self._marks[needle] = _occurrences(self._text, needle)
        at = bisect.bisect_left(marks, index + 2 if block else index)
        if at == len(marks):
            return len(self._text)
        return marks[at] + 2 if block else marks[at]


# What changes what is open in an expression, as _EXPRESSION_MARK, with only a "/" that starts
# a comment.
_EXPRESSION_TOKEN = re.compile(r'["{}#]|/[/*]')


def _occurrences(text: str, needle: str) -> list[int]:
    """Where ``needle`` (one that never overlaps itself, as ``*/`` and a line break) is in
    ``text``, in order."""
    return [mark.start() for mark in re.finditer(re.escape(needle), text)]


_COMMENT_OR_QUOTE = re.compile(r'"|#|//|/\*')
_NOT_A_BREAK = re.compile(r"[^\r\n]")


def without_comments(source: str) -> str:
    """An expression's text with each comment blanked (its line breaks kept): HCL reads a
    comment as whitespace, and the grammar, given the expression as one line, read everything
    after a ``#`` as the comment (``var.on # x\n ? "*" : "b"`` was ``var.on``).  The text keeps
    its width, so what follows keeps its place.  Quoted strings are not searched."""
    if "#" not in source and "/" not in source:
        return source
    pieces: list[str] = []
    start = 0
    for begin, end in _comments(source):
        pieces.append(source[start:begin])
        pieces.append(_NOT_A_BREAK.sub(" ", source[begin:end]))
        start = end
    pieces.append(source[start:])
    return "".join(pieces)


def _comments(source: str) -> Iterator[tuple[int, int]]:
    """Where each comment of an expression's text starts and ends, in order; quoted strings
    (and the ``${...}`` in them) are not searched.  The one walk of :func:`without_comments`
    and :func:`bare_carriage_return`."""
    index = 0
    while (mark := _COMMENT_OR_QUOTE.search(source, index)) is not None:
        if mark.group() == '"':
            index = _quoted_end(source, mark.end())
            continue
        end = _comment_end(source, mark.start())
        assert end is not None  # the pattern finds only what starts a comment
        yield mark.start(), end
        index = end


def _quoted_end(text: str, index: int) -> int:
    """The offset past the quoted string whose content starts at ``index`` (a backslash
    escapes the next character, and its ``${...}`` are expressions, quoted strings and all:
    :func:`closing_brace`), or the text's end when it is not closed."""
    end = _closer(text, index, [None])
    return len(text) if end is None else end + 1


def parse_expression(
    source: str,
    line: int,
    column: int,
    later_column: int | None = None,
    line_columns: Mapping[int, int] | None = None,
) -> Expr:
    """One expression written at ``line``/``column`` of a file (inside a heredoc or JSON string).

    ``source`` written over several lines is parsed as one (its line breaks read as spaces,
    which the grammar takes between any two tokens), and what is on a later line is placed
    there: each later line starts at file column ``later_column`` (a heredoc's first column,
    else 1), or the one ``line_columns`` gives for its file line.  The strip markers of an
    interpolation (``${~ x ~}``: ``source`` is ``~ x ~``) are not part of the expression; what
    they strip is the caller's (:func:`interpolation_parts`).

    An interpolation that does not parse is :class:`Unsupported`; one that the parse of a file
    rejects in a quoted string's ``${...}`` as well (a syntax error, nesting too deep) is
    :class:`Rejected`, with that error and where it is: Terraform rejects a heredoc or a
    template as it rejects the string.  Where it is read as a value, both are what they were:
    unknown, "an interpolation rolelint cannot parse", over its text.  So is one holding a
    carriage return not followed by a line feed (:func:`bare_carriage_return`), which the
    grammar would skip as a blank (:func:`invalid_carriage_return`), and one whose quoted
    string holds a line break, a carriage return alone included (:func:`string_line_break`),
    which the line made one would read as a space."""
    if source.startswith("~"):
        source = " " + source[1:]
    if source.endswith("~"):
        source = source[:-1] + " "
    bare = invalid_carriage_return(source)
    source = without_comments(source)
    # One line: what carriage returns are left end a line or are in a comment, blanks to HCL.
    text = _INTERPOLATION_PREFIX + _ONE_LINE.sub(" ", source.strip())
    leading = len(source) - len(source.lstrip())
    # Column c of the parsed text holds the character of ``source`` at offset c - 1 + shift.
    shift = leading - len(_INTERPOLATION_PREFIX)
    lines = None
    if "\n" in source or "\r" in source:
        later = 1 if later_column is None else later_column
        lines = _SourceLines(source, line, column, later, line_columns)

    def at(offset: int) -> Span:
        """The file's place of the character of ``source`` at ``offset``."""
        if lines is None:
            return Span.point(line, column + offset)
        return lines.span(offset, offset)

    def whole() -> Span:
        """The file's place of all of ``source``."""
        if lines is None:
            return Span(line, column, line, column + len(source))
        return lines.span(0, len(source))

    if bare is not None:
        return Rejected(whole(), UNPARSED_INTERPOLATION, BARE_CARRIAGE_RETURN, at(bare))
    broken = string_line_break(source)
    if broken is not None:
        return Rejected(whole(), UNPARSED_INTERPOLATION, MULTI_LINE_STRING, at(broken))
    try:
        tree = _interpolation_tree(text)
    except RecursionError:
        deepest = at(_deepest_offset(source) or 0)
        return Rejected(whole(), UNPARSED_INTERPOLATION, "invalid HCL: nesting too deep", deepest)
    if tree is None:
        error = _error_as_quoted(source, at)
        if error is None:
            return Unsupported(whole(), UNPARSED_INTERPOLATION)
        return Rejected(whole(), UNPARSED_INTERPOLATION, *error)
    try:
        attribute = _parts(tree.children[0])[0]
        if lines is None:
            converter = _Converter(line - 1, column + shift - 1)
        else:
            converter = _Converter(moved=lambda span: lines.parsed(span, shift))
        return converter.expr(_parts(attribute)[-1])
    except _TooDeep as deep:
        where = deep.span or at(_deepest_offset(source) or 0)
        return Rejected(whole(), UNPARSED_INTERPOLATION, EXPRESSION_TOO_DEEP, where)
    except RecursionError:  # Python's own limit, as for a file
        deepest = at(_deepest_offset(source) or 0)
        return Rejected(whole(), UNPARSED_INTERPOLATION, TOO_DEEP, deepest)
    except IndexError:
        return Unsupported(whole(), UNPARSED_INTERPOLATION)


UNPARSED_INTERPOLATION = "an interpolation rolelint cannot parse"
UNCLOSED = "invalid HCL: unclosed template interpolation sequence: no } ends this ${"
BARE_CARRIAGE_RETURN = (
    "invalid HCL: invalid character: a carriage return not followed by a line feed"
)
_BARE_CR = re.compile(r"\r(?!\n)")
# A line break in a quoted string's text, where HCL's scanner ends the string: a carriage
# return alone, or a line feed (after a carriage return, a CR LF, whose error is at its CR).
_LINE_BREAK = re.compile(r"\r?\n|\r")


def bare_carriage_return(source: str) -> int | None:
    """The offset of the first carriage return of an expression's text (an interpolation's,
    a directive's) that no line feed follows, but in a comment; None when there is none.
    HCL breaks lines at a line feed (or CR LF) only: its scanner reads such a carriage return
    as an invalid character in an expression, or a line break a quoted string may not hold,
    and Terraform rejects the file; in a comment it is text (a ``#`` comment runs to the line
    feed).  python-hcl2's grammar skips it as a blank, and read the expression on."""
    if "\r" not in source:
        return None
    start = 0
    for begin, end in _comments(source):
        found = _BARE_CR.search(source, start, begin)
        if found is not None:
            return found.start()
        start = end
    found = _BARE_CR.search(source, start)
    return None if found is None else found.start()


def invalid_carriage_return(source: str) -> int | None:
    """The offset of the first carriage return of an expression's text that no line feed
    follows and that HCL's scanner reads as an invalid character: outside comments and outside
    the literal text of a quoted string, where it is a line break the string may not hold
    (:func:`string_line_break`, "Invalid multi-line string").  None when there is none before
    such a string's line break, which is then the expression's error."""
    bare = bare_carriage_return(source)
    if bare is None:
        return None
    broken = string_line_break(source)
    return bare if broken is None or bare < broken else None


def text_carriage_return(template: str) -> int | None:
    """The offset of the first carriage return no line feed follows in a template's text (a
    heredoc's), outside its ``${...}`` and ``%{...}`` (:func:`bare_carriage_return` judges
    those: in a comment there it is text); None when there is none.  HCL's scanner reads no
    token from it there, and Terraform rejects the file."""
    if "\r" not in template:
        return None
    index = 0
    for mark in template_marks(template):
        bare = _BARE_CR.search(template, index, mark.start)
        if bare is not None:
            return bare.start()
        if mark.last is None:
            return None  # an unclosed ${: its own error
        index = mark.last + 1
    bare = _BARE_CR.search(template, index)
    return None if bare is None else bare.start()


MULTI_LINE_STRING = (
    "invalid HCL: invalid multi-line string: a quoted string may not be split over several"
    " lines (write \\n)"
)
# What changes what is open in an expression's quoted string, a line break included.
_QUOTED_OR_BREAK = re.compile(r'["\\\r\n]|\$\$\{|%%\{|\$\{|%\{')


def string_line_break(source: str) -> int | None:
    """The offset of the first line break of an expression's text (an interpolation's, a
    directive's) that is in the literal text of a quoted string, not in a comment nor in an
    interpolation nested in the string (where HCL skips line breaks as it does between any
    two tokens); None when there is none.  A line feed, a CR LF (at its carriage return) or a
    carriage return alone: HCL's scanner reads ``\r`` and ``\n`` alike there, as a quoted
    string's line break ("Invalid multi-line string"), and Terraform rejects the template; the
    expression parsed as one line read it as a space (``"${lower("A<line feed>B")}"`` was
    "a b"), and a carriage return alone was said to be an invalid character."""
    if "\n" not in source and "\r" not in source:
        return None
    found = _closer(source, 0, [0], _QUOTED_OR_BREAK)
    return found if found is not None and source[found] in "\r\n" else None


# The prefix of an interpolation (or a directive) parsed as a quoted string's, as a file
# writes it, but for its ``${`` (or ``%{``).
_QUOTED_PREFIX = _INTERPOLATION_PREFIX + '"'
_ONE_LINE = re.compile(r"[\r\n]")


def _error_as_quoted(
    source: str, at: Callable[[int], Span], opener: str = "${"
) -> tuple[str, Span] | None:
    """The error the parse of a file gives for ``source`` as the interpolation of a quoted
    string (``"${source}"``, its line breaks spaces), or with ``opener`` ``%{`` as its
    directive (``"%{source}"``), and where it is written (``at`` places an offset of
    ``source``; its length is the ``}`` after it).  None when that parses: then only
    rolelint's reading of it fails.  Asked only of what failed, so that every interpolation
    that parses costs what it did."""
    try:
        found = _quoted_error(source, opener)
    except RecursionError:
        return "invalid HCL: nesting too deep", at(_deepest_offset(source) or 0)
    if found is None:
        return None
    message, offset = found
    return message, at(offset)


@functools.lru_cache(maxsize=1024)
def _quoted_error(source: str, opener: str) -> tuple[str, int] | None:
    """:func:`_error_as_quoted`'s error and the offset of ``source`` it is at, kept: the same
    failing interpolation is asked of again by each instance, and each scan, of its template,
    and its parse fails at the same place each time.  (Python's recursion limit is not kept:
    how deep the stack already is when it is asked decides it.)"""
    from lark.exceptions import LarkError, UnexpectedInput

    prefix = _QUOTED_PREFIX + opener
    text = prefix + _ONE_LINE.sub(" ", source) + '}"'
    try:
        _parser().parse(text + "\n")
    except UnexpectedInput as error:
        problem = _syntax_error(error, text)
        offset = (problem.column or 1) - 1 - len(prefix) if problem.line == 1 else 0
        return problem.message, min(max(offset, 0), len(source))
    except LarkError as error:
        return f"invalid HCL: {str(error).splitlines()[0]}", 0
    return None


def first_rejected(parts: list[Any]) -> Rejected | None:
    """The first interpolation of a template's parts (:func:`interpolation_parts`) that the
    parse of a file rejects, if any."""
    return next((part for part in parts if isinstance(part, Rejected)), None)


def rejected_in(
    text: str,
    first_line: int,
    first_column: int,
    line_columns: Mapping[int, int] | None = None,
) -> Rejected | None:
    """What Terraform rejects first in the template ``text`` (a heredoc's body, a template
    file's text) whose first character is at ``first_line``/``first_column`` of its file and
    whose lines start at that column, or at the one ``line_columns`` gives for their file line
    (HeredocText.line_columns): an interpolation that the parse of a file rejects, a template
    directive it rejects, or directives that do not nest (rolelint.parsers.hcl_directives);
    None when it takes the template."""
    if "%{" in text:
        from rolelint.parsers.hcl_directives import rejected_template

        return rejected_template(text, first_line, first_column, line_columns)
    parts = interpolation_parts(
        text, first_line, first_column, directives=True, line_columns=line_columns
    )
    return first_rejected(parts)


@functools.lru_cache(maxsize=16)
def rejected_in_template(text: str) -> Rejected | None:
    """What Terraform rejects first in a template file's ``text`` (:func:`rejected_in`, placed
    from line 1, column 1), if anything.  Kept for the last few texts: each instance of a
    resource or module calling ``templatefile()`` asks again of the same text."""
    return rejected_in(text, 1, 1)


def rejected_error(rejected: Rejected) -> LoadError:
    """The input error of a :class:`Rejected` interpolation or directive, at its place."""
    return LoadError(rejected.error, rejected.error_at.line, rejected.error_at.column)


def directive_error(source: str, at: Callable[[int], Span]) -> tuple[str, Span] | None:
    """The error the parse of a file gives for ``source`` as a quoted string's template
    directive (``"%{source}"``), at its place (``at`` places an offset of ``source``); None
    when the parse takes it."""
    return _error_as_quoted(source, at, "%{")


class _SourceLines:
    """The file's lines and columns of the offsets of an expression written over several
    lines, whose first character is at ``line``/``column`` of the file and each later line of
    which starts at ``later_column``, or at the column ``line_columns`` gives for its file
    line.  Lines break as :class:`LinesSoFar` breaks them, which placed the ``${``."""

    __slots__ = ("column", "later_column", "line", "line_columns", "starts")

    def __init__(
        self,
        source: str,
        line: int,
        column: int,
        later_column: int,
        line_columns: Mapping[int, int] | None = None,
    ) -> None:
        self.line, self.column, self.later_column = line, column, later_column
        self.line_columns = line_columns or {}  # later lines that start elsewhere
        self.starts = [0] + [match.end() for match in UNIVERSAL_BREAKS.finditer(source)]

    def at(self, offset: int) -> tuple[int, int]:
        later = bisect.bisect_right(self.starts, offset) - 1
        if later == 0:
            return self.line, self.column + offset
        line = self.line + later
        return line, self.line_columns.get(line, self.later_column) + offset - self.starts[later]

    def span(self, start: int, end: int) -> Span:
        return Span(*self.at(start), *self.at(end))

    def parsed(self, span: Span, shift: int) -> Span:
        """The place of a span of the parsed text, which is one line: its column c holds the
        character of the source at offset c - 1 + ``shift``."""
        return self.span(span.column - 1 + shift, span.end_column - 1 + shift)


@functools.lru_cache(maxsize=4096)
def _interpolation_tree(text: str) -> Any:
    """The parse tree of ``__rolelint__ = <expression>``: the same few expressions (``var.x``)
    recur thousands of times in a generated policy, and converting the tree never changes it.
    None when the grammar rejects it, kept as well: a failing expression recurs as often, and
    its parse costs as much.  (Python's recursion limit propagates, not kept: how deep the
    stack already is decides it.)"""
    from lark.exceptions import LarkError

    try:
        return _parser().parse(text + "\n")
    except LarkError:
        return None


def _leaf_tokens(node: Any) -> list[Any]:
    if not _is_tree(node):
        return [node]
    tokens: list[Any] = []
    for child in node.children:
        tokens.extend(_leaf_tokens(child))
    return tokens


def _parenthesised(node: Any) -> bool:
    """Whether an expression is written in parentheses (``(foo)``)."""
    return _is_tree(node, "expr_term") and any(str(token) == "(" for token in _tokens(node))


def _merge_text(parts: tuple[Any, ...]) -> tuple[str | Expr, ...]:
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _integer(text: str, span: Span | None) -> int:
    """A decimal literal as an int; over the 4,300 digits Python converts, an error at its place."""
    try:
        return int(text)
    except ValueError:
        line, column = (span.line, span.column) if span else (None, None)
        raise LoadError("invalid HCL: number too long to read", line, column) from None


class InvalidEscape(ValueError):
    """A ``\\u``/``\\U`` escape naming no character: a UTF-16 surrogate or a number past
    U+10FFFF.  Terraform refuses the file ("Invalid escape sequence"); kept, a surrogate is a
    string that cannot be written out as UTF-8, and broke the scan where a finding quoted it."""

    def __init__(self, escape: str, code: int, offset: int) -> None:
        super().__init__(escape)
        self.escape = escape
        self.code = code
        self.offset = offset  # where the escape starts in the string as written


def unescape(text: str) -> str:
    """HCL string escapes: ``\\n``, ``\\"``, ``\\uXXXX`` ... (unknown escapes stay as written);
    :class:`InvalidEscape` for a code point that is not a character."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(0)[1:]
        if escape[0] in "uU" and len(escape) > 1:  # a bare "\\u" stays as written
            code = int(escape[1:], 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise InvalidEscape(match.group(0), code, match.start())
            return chr(code)
        return _SIMPLE_ESCAPES.get(escape, match.group(0))

    return _ESCAPE.sub(replace, text) if "\\" in text else text
