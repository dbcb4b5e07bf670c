"""Large HCL files parsed a piece at a time: the same body, spans and errors as in one go.

Broken files are held to the same by every mutant of the property tests and the fuzz harness
(``tests.fuzz.mutations.check_pieces``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.parsers import hcl_adapter, hcl_split
from rolelint.parsers.hcl_adapter import MULTI_LINE_STRING, parse_hcl
from rolelint.parsers.hcl_ast import Body, Literal, Template
from rolelint.parsers.hcl_grammar import parser
from rolelint.parsers.hcl_split import _heredoc_end, long_tokens, pieces, top_level_line_starts
from rolelint.parsers.tree import LoadError
from rolelint.source import Span
from tests.conftest import CORPUS, FIXTURES
from tests.test_placeholders import reading

WHOLE = 10**12  # a piece size no file reaches: parsed in one go


def _parse(
    text: str, piece_size: int, blank_over: int = WHOLE
) -> Body | tuple[str, int | None, int | None]:
    try:
        return parse_hcl(text, piece_size, blank_over)
    except LoadError as error:
        return (str(error), error.line, error.column)


def _hcl_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".tf", ".tfvars") and p.is_file())


def _line_of(text: str, offset: int) -> str:
    return text[offset : text.find("\n", offset) + 1 or None]


TRICKY = """\
# a comment with { an opening brace
resource "aws_iam_role" "a" {
  name = "a-${var.env}-${jsonencode({ x = "}" })}"
  assume_role_policy = <<EOF
{
  "Statement": [{"Principal": {"AWS": "${var.account}"}}]
}
resource "not" "a block" {
EOF
}
/* a block comment
resource "inside" "comment" { */
locals {
  escaped = "$${not.an.interpolation} %%{not a directive}"
  multi   = "a string that goes
on to the next line {"
  directive = "%{ if var.x == \\"}\\" }yes%{ endif }"
}
variable "v" {
  default = [
    1,
  ]
}
top = 1
"""


def test_cuts_only_where_nothing_is_open() -> None:
    cuts = list(top_level_line_starts(TRICKY))
    starts = [_line_of(TRICKY, cut) for cut in cuts]
    assert [line for line in starts if line.strip()] == [
        'resource "aws_iam_role" "a" {\n',
        "/* a block comment\n",
        "locals {\n",
        'variable "v" {\n',
        "top = 1\n",
    ]


def test_pieces_are_at_least_the_size_asked_for_and_cover_the_text() -> None:
    cut = pieces(TRICKY, 40)
    assert "".join(piece for _, piece in cut) == TRICKY
    assert all(len(piece) >= 40 for _, piece in cut[:-1])
    assert [lines for lines, _ in cut] == [
        sum(piece.count("\n") for _, piece in cut[:index]) for index in range(len(cut))
    ]


def test_a_small_file_is_one_piece() -> None:
    assert pieces(TRICKY, len(TRICKY)) == [(0, TRICKY)]


@pytest.mark.parametrize(
    "text",
    [
        'a = "unterminated\nb = 1\n',
        "a = {\nb = 1\n",
        "a = 1\n}\nb = 2\n",
        "a = (1]\nb = 2\n",
        "/* unterminated\nb = 1\n",
    ],
)
def test_nothing_is_proposed_past_what_does_not_read_as_hcl(text: str) -> None:
    assert all(cut <= text.index("b") for cut in top_level_line_starts(text))


def test_the_tricky_file_parses_the_same_in_pieces() -> None:
    """Its multi-line string is cut around, not through, and Terraform rejects it: the same
    error whole or in pieces; written on one line, the file parses the same both ways."""
    assert len(pieces(TRICKY, 1)) > 4
    errors = []
    for size in (WHOLE, 1):
        with pytest.raises(LoadError) as raised:
            parse_hcl(TRICKY, size)
        errors.append((str(raised.value), raised.value.line, raised.value.column))
    assert errors[0] == errors[1] == (MULTI_LINE_STRING, 15, 32)
    one_line = TRICKY.replace("goes\non", "goes on")
    assert parse_hcl(one_line, 1) == parse_hcl(one_line, WHOLE)
    assert len(pieces(one_line, 1)) > 4


def test_a_heredoc_interpolation_in_a_later_piece_keeps_its_line() -> None:
    text = "a = 1\n\nb = 2\n\nc = <<EOT\nx\n${var.y}\nEOT\n"
    body = parse_hcl(text, 1)
    assert body == parse_hcl(text, WHOLE)
    value = body.attributes["c"].value
    assert isinstance(value, Template)
    [_, interpolation, *_] = value.parts
    assert interpolation.span.line == 7  # type: ignore[union-attr]


def test_duplicate_attributes_across_pieces_are_listed_in_order() -> None:
    text = "a = 1\nb = 2\na = 3\nb = 4\na = 5\n"
    body = parse_hcl(text, 1)
    assert body == parse_hcl(text, WHOLE)
    assert [(d.name, d.span.line) for d in body.duplicates] == [  # type: ignore[union-attr]
        ("a", 3),
        ("b", 4),
        ("a", 5),
    ]


def test_a_syntax_error_in_a_later_piece_is_the_whole_files_error() -> None:
    text = 'a = 1\n\nresource "x" "y" {\n  b = \n}\n\nc = 3\n'
    with pytest.raises(LoadError) as whole:
        parse_hcl(text, WHOLE)
    with pytest.raises(LoadError) as in_pieces:
        parse_hcl(text, 1)
    assert (str(in_pieces.value), in_pieces.value.line) == (str(whole.value), whole.value.line)
    assert whole.value.line == 4


def test_a_wrong_cut_falls_back_to_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'resource "x" "y" {\n  a = 1\n  b = 2\n}\n'
    wrong = [(0, 'resource "x" "y" {\n  a = 1\n'), (2, "  b = 2\n}\n")]
    monkeypatch.setattr("rolelint.parsers.hcl_split.pieces", lambda _text, _size: wrong)
    assert parse_hcl(text, 1) == parse_hcl(text, WHOLE)
    assert hcl_adapter._parse_pieces(wrong, WHOLE) is None


def _every_file_the_same_in_pieces(files: list[Path]) -> tuple[int, int]:
    """Asserts it for each file, and the same with every heredoc body blanked; returns how many
    were read in pieces, and how many had more than one piece proposed and fell back to being
    read whole."""
    in_pieces = fell_back = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
        whole = _parse(text, WHOLE)
        assert _parse(text, 1) == whole, path
        assert _parse(text, WHOLE, blank_over=0) == whole, path
        cut = pieces(text, 1)
        if len(cut) > 1:
            if hcl_adapter._parse_pieces(cut, WHOLE) is None:
                fell_back += 1
            else:
                in_pieces += 1
    return in_pieces, fell_back


def test_every_fixture_parses_the_same_in_pieces() -> None:
    files = _hcl_files(FIXTURES)
    in_pieces, fell_back = _every_file_the_same_in_pieces(files)
    assert in_pieces > 100
    # Only the broken ones fall back (one piece or more fails, so the whole file is read).
    assert fell_back < 10


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_every_corpus_file_parses_the_same_in_pieces() -> None:
    """Real files written by others: each with two top-level blocks or more is read in pieces."""
    in_pieces, fell_back = _every_file_the_same_in_pieces(_hcl_files(CORPUS))
    assert in_pieces >= 40
    assert fell_back == 0


def test_a_number_too_long_before_a_syntax_error_gives_the_whole_files_error() -> None:
    """Converting a piece can fail too (a number too long to read): the error is still the one
    the whole file gives, here the syntax error that stops the whole parse first."""
    text = "a = 1" + "0" * 5000 + "\n\nb = \n"
    assert _parse(text, 1) == _parse(text, WHOLE)
    assert _parse(text, WHOLE)[1] == 3  # type: ignore[index]


_GRAMMARS_HEREDOC = re.compile(
    r"<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc)\r?\n"
)


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["EOF", "EO", "X", " ", "\t", "\n", "\r\n", "\u00a0"])))
def test_a_heredoc_ends_where_the_grammars_terminal_ends_it(parts: list[str]) -> None:
    """The end is searched for instead of matched lazily (a frame per character); the same
    place, whatever whitespace, near-markers and line breaks the body holds."""
    text = "<<EOF\n" + "".join(parts)
    expected = _GRAMMARS_HEREDOC.match(text)
    assert _heredoc_end(text, 0) == (expected.end() if expected else None)


def test_an_operation_before_blank_lines_parses_the_same_in_pieces() -> None:
    """Found by the fuzz harness: the operation's span took the blank lines after it, which a
    cut between them shortened."""
    text = "s=6*0\n\n"
    assert len(pieces(text, 1)) == 2
    assert parse_hcl(text, 1) == parse_hcl(text, WHOLE)


def test_a_long_heredoc_is_lexed_as_its_line_breaks_and_read_as_written() -> None:
    """python-hcl2 keeps a backtracking frame per heredoc character (229 MB for 1 MB)."""
    body = "".join(f'  "line {n}": "${{var.x}}",\n' for n in range(200))
    text = f"a = 1\np = <<-EOT\n{body}  EOT\nb = <<EOF\nshort\nEOF\n"
    blanked, expected = hcl_adapter._blank_long_tokens(text, 100)
    assert len(expected) == 1  # the short one is left as it is
    assert blanked.count("\n") == text.count("\n") and "line 7" not in blanked
    assert parse_hcl(text, WHOLE, blank_over=100) == parse_hcl(text, WHOLE)


def test_a_heredoc_blanked_where_python_hcl2_reads_none_is_read_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tree must hold a heredoc token where each blanked one is; else the text is parsed
    as it is."""
    text = "a = /*<<EOF\nnot a heredoc\nEOF\n*/ 1\n"
    wrong = [(6, 12, 26, 30)]  # as if the comment's content were a heredoc
    monkeypatch.setattr("rolelint.parsers.hcl_split.long_tokens", lambda _text: wrong)
    body = parse_hcl(text, WHOLE, blank_over=0)
    assert body == parse_hcl(text, WHOLE, blank_over=WHOLE)
    assert body.get("a") == Literal(Span(4, 4, 4, 5), 1)


def test_a_long_block_comment_after_equals_is_read_blanked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A block comment is whitespace, so not in the tree: the lexer's record of the comments
    it ignored shows it was read as one comment where it was blanked (no second parse of the
    text as written)."""
    inside = "".join(f"line {n}\n" for n in range(100))
    text = f'a = /* from here\n{inside}to here */ "r"\nb = 2\n'
    parses: list[int] = []

    class Counting:
        def parse(self, read: str) -> Any:
            parses.append(len(read))
            return parser().parse(read)

    monkeypatch.setattr("rolelint.parsers.hcl_adapter._parser", Counting)
    blanked = parse_hcl(text, WHOLE, blank_over=100)
    assert len(parses) == 1 and parses[0] < len(text)
    assert blanked == parse_hcl(text, WHOLE)
    assert blanked.attributes["a"].value.span == Span(102, 12, 102, 15)


def test_a_long_block_comment_is_lexed_as_its_line_breaks() -> None:
    """Its first and last lines are kept, so what follows it on its last line keeps its column;
    python-hcl2 matches block comments with the same pattern as heredocs."""
    inside = "".join(f'resource "x" "r{n}" {{\n}}\n' for n in range(100))
    text = f"/* from here\n{inside}to here */ b = 2\nc = {{ d = 3 }}\n"
    blanked, expected = hcl_adapter._blank_long_tokens(text, 100)
    assert len(expected) == 1 and "r7" not in blanked
    assert blanked.splitlines()[-2] == "to here */ b = 2"
    assert parse_hcl(text, WHOLE, blank_over=100) == parse_hcl(text, WHOLE)
    assert parse_hcl(text, WHOLE).attributes["b"].span == Span(202, 12, 202, 17)


# The expression strings were read with, which skipped a $${ or %%{ with all up to its "}".
_STRING_AS_IT_WAS = re.compile(r'\\.|\$\$\{[^}]*\}|%%\{[^}]*\}|[$%]\{|"', re.DOTALL)


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(['"', "$${", "%%{", "${", "%{", "$", "{", "}", "\\", "\n", "x", "#", "<<"]),
        max_size=16,
    ).map("".join)
)
def test_a_string_is_read_as_the_expression_read_it(text: str) -> None:
    """``$${`` and ``%%{`` are skipped up to their ``}`` by a search that does not read the
    text again once no ``}`` is left; where the text is cut, and the long tokens, are the same
    as with the expression (with which the rest of the scan reads as it did)."""
    text = 'locals {\n  a = "' + text + "\n}\nb = 1\n"
    found = (list(top_level_line_starts(text)), long_tokens(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hcl_split, "_STRING", _STRING_AS_IT_WAS)
        assert found == (list(top_level_line_starts(text)), long_tokens(text))


def test_a_string_of_many_unclosed_escapes_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hunt: a 576 KB file ending in a string of 80,000 ``$${"`` took 42 s before its
    (correct) parse error: each ``$${`` was read to the end of the text, looking for its
    ``}``.  The first without one is the last looked for."""
    text = 'locals {\n  a = "$${x}"\n}\nlocals {\n  z = "' + '$${"' * 20_000 + "\n"
    read = reading(monkeypatch, hcl_split)
    assert list(top_level_line_starts(text)) == [text.index("locals {", 1)]
    assert 0 < read[0] <= 2 * len(text)  # about len(text) ** 2 / 8 when read once for each
