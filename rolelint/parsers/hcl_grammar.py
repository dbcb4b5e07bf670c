"""python-hcl2's Lark parser, built once and then loaded from rolelint's cache folder.

Why our own parser instance: python-hcl2 caches its compiled grammar next to its own code, which
costs about 1.5 s on every run when site-packages is read-only.  We build the same parser
(python-hcl2's grammar file and post-lexer, read without importing the package) and keep its
compiled tables in rolelint's cache folder (``ROLELINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/rolelint``, else ``~/.cache/rolelint``).

Why not lark's own cache (``Lark(cache=...)``): it is an unsigned pickle, and loading a pickle
runs code named in it.  Anyone who can write the cache folder (a shared ``ROLELINT_CACHE_DIR``,
or the temporary folder lark falls back to) could have run code as you.  We keep the serialized
tables lark's standalone parsers embed (``memo_serialize``, loaded by ``Lark._load_from_dict``)
as marshal data, which holds plain values only.  Loading is as fast as lark's cache (about
0.045 s; most of it is lark building its parse table and lexers from the tables).

The file is signed like a parse-cache entry (rolelint.parse_cache): only you can have written it.
One that is missing, corrupt or signed with another key is rebuilt, never trusted; the file's
name changes with the grammar, lark and Python.  When the cache folder cannot be written, a
folder of your own in the temporary folder is used; when neither can, the grammar is compiled
on every run (slow, still correct).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

_PREFIX = "hcl2-grammar-"
# Raised when what is kept, or the options the parser is built with, change.
_FORMAT = 4

# python-hcl2 reads strip markers in template directives (``%{~ if x ~}``) but not in
# interpolations: ``"${~ var.name ~}"``, which HCL allows in every template, made the whole file
# an input error.  The interpolation rule is given the optional markers the directives have (the
# adapter strips the whitespace beside them).
_INTERPOLATION = "interpolation: INTERP_START expression RBRACE"
_INTERPOLATION_WITH_STRIP_MARKERS = (
    "interpolation: INTERP_START STRIP_MARKER? expression STRIP_MARKER? RBRACE"
)

# HCL's spec: "An inline comment is considered equivalent to a whitespace sequence", whatever its
# length.  python-hcl2 reads every ``/* ... */`` as a line break (NL_OR_COMMENT), which its rules
# do not take after ``=`` or between a name and ``=``: ``name = /* c */ "r"``, or the same
# comment over several lines, valid Terraform, made the whole file an input error.  A block
# comment is therefore ignored as whitespace is, wherever it is (positions after it are
# unchanged: lark counts ignored text).  An attribute still ends at the line break after a
# comment (``a = 1 /* c\n */\nb = 2``); ``a = 1 /* c\n */ b = 2`` is an error at ``b``, as in HCL,
# whose peeker skips the comment with its line breaks (:data:`_BODY_HCL`).  Inside a quoted string,
# STRING_CHARS (priority 1) wins over the comment, as over ignored whitespace:
# ``"${x}/*/logs/*/"`` keeps its text.  Line comments (``#``, ``//``) end with their line break
# and stay NL_OR_COMMENT.
_BLOCK_COMMENT_ALTERNATIVE = r" | /\/\*(.|\n)*?(\*\/)/"
BLOCK_COMMENT = "BLOCK_COMMENT"
_IGNORED_BLOCK_COMMENT = rf"{BLOCK_COMMENT}: /\/\*[\s\S]*?\*\//"

# HCL's object constructor (hclsyntax parseObjectCons) takes a comma or a line break after each
# item's value but the last, and a comma only there: ``{x = 1 y = 2}`` is "Missing attribute
# separator", and a comma that starts the next line stands where a key must ("Invalid
# expression").  python-hcl2's rule read two items with nothing between them, and a comma after
# a line break.  The object's children are the same trees and tokens as before.
_OBJECT = (
    "object : LBRACE new_line_or_comment? ((object_elem | (object_elem new_line_or_comment?"
    " COMMA)) new_line_or_comment?)* RBRACE"
)
_OBJECT_HCL = (
    "object : LBRACE new_line_or_comment? (object_elem (COMMA new_line_or_comment?"
    " | new_line_or_comment))* object_elem? RBRACE"
)

# HCL's body (hclsyntax ParseBody, finishParsingBodyAttribute, finishParsingBodyBlock) ends each
# argument and each block with a line break, or the end of the file: ``a = 1 b = 2``, or a block
# after an argument or another block on its line, is "Missing newline after argument" ("... after
# block definition"), at the item that follows.  A block's ``{`` is on its header's line ("Invalid
# block definition" at the line break), and its body is one of three: empty (``b {}``), lines
# (a line break after the ``{``, then each item with its own), or one argument alone on the
# header's line (``b { a = 1 }``, "Invalid single-argument block definition" otherwise; a block
# there is "Argument definition required").  python-hcl2's rules took items with nothing between
# them and a line break before the ``{``.  The body's and the block's children are the same
# trees and tokens as before, but for that line break.
_BODY = "body : (new_line_or_comment? (attribute | block))* new_line_or_comment?"
_BODY_HCL = (
    "body : new_line_or_comment? (_body_item new_line_or_comment)* _body_item?\n"
    "_body_item : attribute | block\n"
    "block_body : new_line_or_comment (_body_item new_line_or_comment)* -> body\n"
    "    | attribute -> body\n"
    "    | -> body"
)
_BLOCK = (
    "block : _attribute_name (_attribute_name | string)* new_line_or_comment? LBRACE body RBRACE"
)
_BLOCK_HCL = "block : _attribute_name (_attribute_name | string)* LBRACE block_body RBRACE"

# HCL reads an operator's right operand, and a conditional's results, with the line breaks of
# where the expression is (hclsyntax parseBinaryOps, parseTernaryConditional): outside
# parentheses, brackets and interpolations a line break is a token, and one right after a binary
# operator, ``?`` or ``:``, or before the ``:``, stands where an expression must ("Invalid
# expression", "Missing false expression in conditional"); Terraform rejects the file.
# python-hcl2's rules took a line break (or a line comment) there, and after a binary
# operation, and read ``a = 1 +<LF>2`` as one value.  Where HCL skips line breaks the
# post-lexer drops them before the grammar sees them (:data:`LINE_BREAK`), so these rules take
# none.
_LINE_BREAK_AFTER_OPERATOR = re.compile(
    r"(?P<rule>\w+_binary_(?:term|operator)) new_line_or_comment\? "
)
_CONDITIONAL = (
    "?expression : or_expr QMARK new_line_or_comment? expression new_line_or_comment? COLON"
    " new_line_or_comment? expression -> conditional"
)
_CONDITIONAL_HCL = "?expression : or_expr QMARK expression COLON expression -> conditional"

# HCL breaks lines at a line feed (``\r?\n``) only, and its scanner has no rule for a carriage
# return alone outside a comment: between tokens it is an invalid character, in a quoted string
# a line break it may not hold, in a heredoc's text no token at all; Terraform rejects the file.
# python-hcl2 ignores every ``\r`` as a blank (for CR LF line ends), and read ``a = 1\rb = 2``
# as two attributes on one line.  Only a carriage return a line feed follows is ignored here; one
# alone is then a character no token starts with (the adapter reports it as HCL does), and one
# in a token's text (a quoted string's, a heredoc's) is the adapter's to find.  Two patterns,
# the blanks' no longer than before: lark tries a terminal with a longer pattern first, and EQ
# (``[ \t]*=``) and COLON must still take the blanks before them, as they did.
_IGNORED_BLANKS = "%ignore /[ \\t\\r]+/"
_IGNORED_BLANKS_HCL = "%ignore /[ \\t]+/\n%ignore /\\r(?=\\n)/"

# HCL's parser skips line breaks (and the comments that end with one) between the tokens of an
# interpolation or a template directive, wherever they are but directly inside an object's braces,
# where they separate its items (hclsyntax: the template parser reads ``${...}`` and ``%{...}``
# with newlines excluded, the object constructor includes them again).  python-hcl2's grammar
# takes none in a quoted string's ``${...}`` but where a rule writes one (in a call's arguments,
# a tuple, around a binary operator): ``"${var.a<LF>}"``, which Terraform takes, made the whole
# file an input error.  The lexer is told to read a line break (NL_OR_COMMENT) in every state, and
# the post-lexer drops those the parser would skip; the others reach the grammar as before (one
# it does not take there is the error it was).  Dropped tokens keep every position: the lexer
# counts their lines.  HCL skips them the same way inside parentheses and brackets (a call's, a
# tuple's, an index's) and in a for expression (``{for ...}``) wherever these are: python-hcl2
# took one there only before a binary operator, and ``a = (1<LF>- 2)`` or ``(var<LF>.a)`` was
# an input error.
LINE_BREAK = "NL_OR_COMMENT"
_SKIPS_LINE_BREAKS = {"INTERP_START": True, "DIRECTIVE_START": True, "LBRACE": False}
_BRACKETS = frozenset(("LPAR", "LSQB"))
_CLOSERS = frozenset(("RBRACE", "RPAR", "RSQB"))

# The block comments a parse reads, by offset (see :func:`block_comments_read`).
_comments_read: ContextVar[dict[int, str] | None] = ContextVar("hcl_comments_read", default=None)


def _block_comment_read(token: Any) -> Any:
    """lark's callback for each block comment it reads (ignored tokens included)."""
    seen = _comments_read.get()
    if seen is not None:
        seen[token.start_pos] = str(token)
    return token


@contextlib.contextmanager
def block_comments_read() -> Iterator[dict[int, str]]:
    """The block comments the parses inside the ``with`` read, by offset, as their text: they
    are ignored, so the tree does not hold them (rolelint.parsers.hcl_adapter checks that a
    long comment it blanked was read as one comment)."""
    seen: dict[int, str] = {}
    token = _comments_read.set(seen)
    try:
        yield seen
    finally:
        _comments_read.reset(token)


def grammar_text() -> str:
    """python-hcl2's grammar as rolelint parses with it: its interpolations take strip markers
    (``${~ x ~}``), a block comment is whitespace, a carriage return is a blank only before a
    line feed, an object's items need a separator (:data:`_OBJECT_HCL`), a body's items a line
    break each and a block's ``{`` its header's line (:data:`_BODY_HCL`), an operator's operand
    starts on its line (:data:`_LINE_BREAK_AFTER_OPERATOR`), and the line breaks of an
    interpolation are skipped (:data:`LINE_BREAK`), as in HCL."""
    grammar = (_hcl2_folder() / "hcl2.lark").read_text(encoding="utf-8")
    grammar = grammar.replace(_INTERPOLATION, _INTERPOLATION_WITH_STRIP_MARKERS)
    grammar = grammar.replace(_IGNORED_BLANKS, _IGNORED_BLANKS_HCL)
    grammar = grammar.replace(_OBJECT, _OBJECT_HCL)
    grammar = grammar.replace(_BODY, _BODY_HCL)
    grammar = grammar.replace(_BLOCK, _BLOCK_HCL)
    grammar = _LINE_BREAK_AFTER_OPERATOR.sub(r"\g<rule> ", grammar)
    grammar = grammar.replace(_CONDITIONAL, _CONDITIONAL_HCL)
    if _BLOCK_COMMENT_ALTERNATIVE in grammar:
        grammar = grammar.replace(_BLOCK_COMMENT_ALTERNATIVE, "")
        grammar += f"\n{_IGNORED_BLOCK_COMMENT}\n%ignore {BLOCK_COMMENT}\n"
    return grammar


@functools.cache
def parser() -> Any:
    """The Lark parser python-hcl2 parses with (LALR, positions on every node), of
    :func:`grammar_text`."""
    import lark

    grammar = grammar_text()
    options = {
        "propagate_positions": True,
        "postlex": PostLexer(),
        "lexer_callbacks": {BLOCK_COMMENT: _block_comment_read},
    }
    cached = _cache_file(grammar)
    if cached is not None:
        path, key = cached
        loaded = _load(path, key, options)
        if loaded is not None:
            return loaded
    built = lark.Lark(grammar, parser="lalr", **options)
    if cached is not None:
        _store(built, *cached)
    return built


def _cache_file(grammar: str) -> tuple[Path, bytes] | None:
    """Where the compiled tables are kept and the key that signs them; None when no folder of
    yours can be written."""
    import lark

    from rolelint.parse_cache import default_directory, signing_key

    digest = hashlib.sha256()
    # What the tables depend on: the grammar, lark, the marshal format and what this module
    # keeps (the post-lexer's always-accepted terminals are compiled in: _FORMAT says them).
    for part in (
        grammar.encode("utf-8"),
        f"lark {lark.__version__} marshal {marshal.version} python {sys.version_info[:2]}".encode(),
        f"format {_FORMAT}".encode(),
    ):
        digest.update(part)
        digest.update(b"\0")
    name = f"{_PREFIX}{digest.hexdigest()[:32]}.marshal"
    for place in (default_directory(), _private_temporary_folder()):
        if place is None:
            continue
        key = signing_key(place)
        if key is not None:
            return place / name, key
    return None


def _private_temporary_folder() -> Path | None:
    """``rolelint-<uid>`` in the temporary folder, when it is a folder only you can write.

    The temporary folder is shared: anyone could create the folder first and leave tables in
    it.  A signature does not help there, as they could leave the signing key too.
    """
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    folder = Path(tempfile.gettempdir()) / f"rolelint-{getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.lstat()
    except OSError:
        return None
    if (
        not stat.S_ISDIR(status.st_mode)
        or status.st_uid != getuid()
        or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        return None
    return folder


def _load(path: Path, key: bytes, options: dict[str, Any]) -> Any | None:
    from lark import Lark

    from rolelint.parse_cache import read_signed

    payload = read_signed(path, key)
    if payload is None:
        return None
    try:
        data, memo = marshal.loads(payload)
        return Lark._load_from_dict(data, memo, **options)  # type: ignore[no-untyped-call]
    except Exception:  # signed, but not tables this lark can read: built again
        return None


def _store(built: Any, path: Path, key: bytes) -> None:
    from lark.grammar import Rule
    from lark.lark import _LOAD_ALLOWED_OPTIONS
    from lark.lexer import TerminalDef

    from rolelint.parse_cache import staging_folder, write_signed

    try:
        data, memo = built.memo_serialize([TerminalDef, Rule])
        # As Lark.save does: the options given again on loading (the post-lexer object among
        # them) are not kept.
        data["options"] = {
            name: value
            for name, value in data["options"].items()
            if name not in _LOAD_ALLOWED_OPTIONS
        }
        payload = marshal.dumps((data, memo))
    except Exception:  # a lark whose tables are not plain data: compiled on every run
        return
    write_signed(path, key, payload, staging_folder(path.parent))
    _remove_lark_caches(path.parent)


def _remove_lark_caches(folder: Path) -> None:
    """lark's own cache files, written there by earlier rolelint versions: unsigned pickles this
    version no longer reads.  (Tables for another lark or grammar are left: another rolelint
    installation may share the folder.)"""
    for path in folder.glob(f"{_PREFIX}*.cache"):
        with contextlib.suppress(OSError):
            path.unlink()


def _hcl2_folder() -> Path:
    """python-hcl2's package folder, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec("hcl2")
    if spec is None or spec.origin is None:
        raise ImportError("python-hcl2 is not installed")
    return Path(spec.origin).resolve().parent


class PostLexer:
    """The post-lexer the parser runs: a heredoc's last line break is a token of its own
    (:func:`heredoc_line_breaks`), the line breaks HCL skips in an interpolation, a directive,
    brackets or parentheses are dropped (:func:`interpolation_line_breaks_skipped`), and the
    lexer reads a line break in every state to let it (:data:`LINE_BREAK`).  It takes
    the place of python-hcl2's own, which merges a line break into the binary operator or ``?``
    after it: HCL continues an expression over a line break only where it skips line breaks;
    anywhere else the line break ends the attribute (``a = var.c<LF>? 1 : 2`` is an error at the
    ``?``, as in Terraform)."""

    always_accept = (LINE_BREAK,)

    def process(self, stream: Iterator[Any]) -> Iterator[Any]:
        yield from interpolation_line_breaks_skipped(heredoc_line_breaks(stream))


# A heredoc, as the grammar's terminals name it: the token runs to the line break after its
# closing marker, and holds it.
_HEREDOCS = frozenset(("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"))


def heredoc_line_breaks(stream: Iterator[Any]) -> Iterator[Any]:
    """The tokens of ``stream``, each heredoc followed by the line break that ends its closing
    marker's line, as a token of its own.  HCL's scanner gives that line break apart from the
    marker ("avoids issues with the closing marker consuming a newline that would normally be
    used to mark the end of an attribute definition"); python-hcl2's heredoc terminal holds it,
    so the argument after ``a = <<EOF ... EOF`` started with no line break before it.  The line
    break is where the file writes it, the heredoc's last character, and ends as the lexer
    ends one (at the first column of the next line)."""
    from lark import Token

    for token in stream:
        yield token
        if token.type not in _HEREDOCS:
            continue
        text = str(token)
        line_start = text.rfind("\n", 0, len(text) - 1) + 1
        at = token.end_pos - 1
        line = token.end_line - 1
        column = len(text) - line_start
        yield Token(LINE_BREAK, "\n", at, line, column, line + 1, 1, at + 1)


def interpolation_line_breaks_skipped(stream: Iterator[Any]) -> Iterator[Any]:
    """The tokens of ``stream`` but the line breaks HCL's parser skips: those directly inside a
    ``${...}`` or ``%{...}``, brackets, parentheses or a ``{for ...}``.  What is open is a stack
    of whether line breaks are skipped there: an object's braces (a block's too) take them, as
    item separators.  A quoted string's text is one token, and a heredoc is: neither opens
    anything."""
    skipping: list[bool] = []
    before = None
    for token in stream:
        kind = token.type
        if kind == LINE_BREAK and skipping and skipping[-1]:
            continue
        if kind in _SKIPS_LINE_BREAKS:
            skipping.append(_SKIPS_LINE_BREAKS[kind])
        elif kind in _BRACKETS:
            skipping.append(True)
        elif kind in _CLOSERS and skipping:
            skipping.pop()
        elif kind == "FOR" and before == "LBRACE" and skipping:
            skipping[-1] = True  # ``{for ...}``: a for expression, not an object
        if kind != LINE_BREAK:
            before = kind
        yield token
