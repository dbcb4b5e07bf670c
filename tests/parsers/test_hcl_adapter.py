"""The python-hcl2 adapter: positions, heredocs, escapes, interpolations and syntax errors."""

from __future__ import annotations

import pytest

from rolelint.parsers.hcl_adapter import (
    BARE_CARRIAGE_RETURN,
    EXPRESSION_TOO_DEEP,
    MULTI_LINE_STRING,
    closing_brace,
    parse_expression,
    parse_hcl,
    unescape,
)
from rolelint.parsers.hcl_ast import (
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    GetIndex,
    Literal,
    ObjectExpr,
    Operation,
    Rejected,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    Unsupported,
)
from rolelint.parsers.tree import LoadError
from rolelint.source import Span
from tests.conftest import run_python


def test_blocks_attributes_and_spans() -> None:
    body = parse_hcl(
        'resource "aws_iam_role" "app" {\n  name = "app"\n  max_session_duration = 7200\n}\n'
    )
    [block] = body.blocks
    assert (block.type, block.labels) == ("resource", ("aws_iam_role", "app"))
    assert block.span is not None and block.span.line == 1
    name = block.body.attributes["name"]
    assert name.value == Literal(Span(2, 10, 2, 15), "app")
    assert name.name_span == Span(2, 3, 2, 7)
    duration = block.body.get("max_session_duration")
    assert isinstance(duration, Literal) and duration.value == 7200
    assert duration.span == Span(3, 26, 3, 30)


def test_object_keys_are_names_and_values_keep_columns() -> None:
    body = parse_hcl('p = jsonencode({\n  Version = "2012-10-17"\n  "Action" = ["s3:*"]\n})\n')
    call = body.get("p")
    assert isinstance(call, Call) and call.name == "jsonencode"
    [document] = call.args
    assert isinstance(document, ObjectExpr)
    keys = [item.key for item in document.items]
    assert [k.value for k in keys if isinstance(k, Literal)] == ["Version", "Action"]
    action = document.items[1].value
    assert isinstance(action, TupleExpr)
    assert action.items[0] == Literal(Span(3, 15, 3, 21), "s3:*")


def test_a_parenthesised_object_key_is_an_expression() -> None:
    """HCL reads a key in parentheses as an expression (``(k)`` is the value of ``k``), a
    bare name as the key itself; ``(k)`` was read as the text "k"."""
    text = 'a = { (k) = 1, ((k)) = 2, k = 3, ("k") = 4, (var.k) = 5 }\n'
    document = parse_hcl(text).get("a")
    assert isinstance(document, ObjectExpr)
    keys = [item.key for item in document.items]
    assert keys[0] == Traversal(Span(1, 8, 1, 9), "k", ())
    assert keys[1] == Traversal(Span(1, 18, 1, 19), "k", ())
    assert keys[2] == Literal(Span(1, 27, 1, 28), "k")
    assert isinstance(keys[3], Literal) and keys[3].value == "k"
    assert isinstance(keys[4], Traversal) and keys[4].root == "var"


def test_interpolation_and_traversals() -> None:
    body = parse_hcl(
        'a = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root"\n'
        "b = aws_iam_role.x[0].arn\nc = var.list[*].name\n"
    )
    template = body.get("a")
    assert isinstance(template, Template)
    assert template.parts[0] == "arn:aws:iam::" and template.parts[2] == ":root"
    reference = template.parts[1]
    assert isinstance(reference, Traversal) and reference.root == "data"
    assert reference.steps == tuple(GetAttr(n) for n in ("aws_caller_identity", "me", "account_id"))
    assert reference.span == Span(1, 21, 1, 59)
    indexed = body.get("b")
    assert isinstance(indexed, Traversal) and indexed.root == "aws_iam_role"
    assert isinstance(indexed.steps[1], GetIndex) and indexed.steps[2] == GetAttr("arn")
    splat = body.get("c")
    assert isinstance(splat, Traversal) and Splat() in splat.steps


def test_escapes_in_quoted_strings() -> None:
    body = parse_hcl('a = "say \\"hi\\"\\n$${literal}"\n')
    assert body.get("a") == Literal(Span(1, 5, 1, 30), 'say "hi"\n${literal}')
    assert unescape("\\u00e9\\t") == "é\t"
    assert unescape("\\u and \\U1") == "\\u and \\U1"  # no hex digits: kept as written


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ('a = "x\\ud807"\n', 7),  # a lone UTF-16 surrogate
        ('a = "${x}\\uDFFF"\n', 10),
        ('a = "\\U00110000"\n', 6),  # past the last code point
    ],
)
def test_an_escape_that_is_no_character_is_an_error(text: str, column: int) -> None:
    """Found by fuzzing: a surrogate became part of a policy, and the finding quoting it could
    not be encoded (UnicodeEncodeError, the whole run lost).  Terraform refuses the file."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert raised.value.message.startswith("invalid HCL: invalid escape sequence")
    assert (raised.value.line, raised.value.column) == (1, column)


def test_trimmed_heredoc_keeps_body_positions() -> None:
    text = 'p = <<-EOT\n    {\n      "Resource": "${var.arn}"\n    }\n  EOT\n'
    heredoc = parse_hcl(text).get("p")
    assert isinstance(heredoc, Template) and heredoc.heredoc is not None
    assert heredoc.heredoc.first_line == 2
    assert heredoc.heredoc.indent == 4
    assert heredoc.heredoc.text == '{\n  "Resource": "${var.arn}"\n}\n'
    variable = heredoc.parts[1]
    # Line 3 reads `      "Resource": "${var.arn}"`: the reference starts at column 22.
    assert isinstance(variable, Traversal) and variable.span == Span(3, 22, 3, 29)


def test_every_interpolation_of_a_heredoc_keeps_its_line_and_column() -> None:
    """Lines are counted on from one interpolation to the next; escapes and directives between
    them are literal text or markers, and the same expression twice is two positioned parts."""
    text = (
        "p = <<EOT\na ${var.x}\n$${not.this} %%{nor} %{ if true }%{ endif }\n\n"
        "  b ${var.x} ${local.y}\nEOT\n"
    )
    heredoc = parse_hcl(text).get("p")
    assert isinstance(heredoc, Template)
    spans = [part.span for part in heredoc.parts if isinstance(part, Traversal)]
    assert spans == [Span(2, 5, 2, 10), Span(5, 7, 5, 12), Span(5, 16, 5, 23)]
    literals = [part for part in heredoc.parts if isinstance(part, str)]
    assert "${not.this} %{nor} " in "".join(literals)
    assert heredoc.directive


def test_plain_heredoc_is_not_trimmed() -> None:
    heredoc = parse_hcl("p = <<EOF\n  {}\nEOF\n").get("p")
    assert isinstance(heredoc, Template) and heredoc.heredoc is not None
    assert heredoc.heredoc.text == "  {}\n" and heredoc.heredoc.indent == 0


def test_conditionals_operators_and_for_expressions() -> None:
    body = parse_hcl(
        'a = var.on ? "x" : "y"\nb = !var.off && 1 == 2\n'
        'c = [for k, v in var.m : upper(v) if k != ""]\nd = {for s in var.l : s => s...}\n'
    )
    assert isinstance(body.get("a"), Conditional)
    operation = body.get("b")
    assert isinstance(operation, Operation) and operation.operator == "&&"
    tuple_for = body.get("c")
    assert isinstance(tuple_for, ForExpr)
    assert (tuple_for.key_name, tuple_for.value_name, tuple_for.key) == ("k", "v", None)
    assert tuple_for.condition is not None
    object_for = body.get("d")
    assert isinstance(object_for, ForExpr) and object_for.key is not None and object_for.grouping


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ('"${~ var.name ~}"', ("name",)),
        ('"  a  ${~ var.name }  b  "', ("  a", "name", "  b  ")),
        ('"a \\n ${var.name ~}\\t b"', ("a \n ", "name", "b")),
        ('"x ${~ var.name ~} ${~ var.name} y"', ("x", "name", "name", " y")),
        ('"a $${~ literal ~} b"', "a ${~ literal ~} b"),  # escaped: text, nothing stripped
    ],
)
def test_strip_markers_in_a_quoted_string_strip_the_whitespace_beside_them(
    written: str, parts: tuple[str, ...] | str
) -> None:
    """``"${~ var.name ~}"`` made the whole file an input error: python-hcl2 reads strip markers
    in directives only.  HCL allows them in every template; ``${~`` removes the whitespace
    (newlines included) of the text before it, ``~}`` of the text after it."""
    value = parse_hcl(f"a = {written}\n").get("a")
    if isinstance(parts, str):
        assert isinstance(value, Literal) and value.value == parts
        return
    assert isinstance(value, Template) and not value.directive
    shown = tuple(
        step.name if isinstance(p, Traversal) and isinstance(step := p.steps[0], GetAttr) else p
        for p in value.parts
    )
    assert shown == parts
    [first, *_] = [p for p in value.parts if isinstance(p, Traversal)]
    column = written.index("var.name") + 5
    assert first.span == Span(1, column, 1, column + 8)


def test_strip_markers_in_a_heredoc_strip_the_whitespace_beside_them() -> None:
    """A heredoc's interpolation with strip markers was "an interpolation rolelint cannot
    parse", its value unknown.  HCL scans a heredoc's text one line at a time, its line feed
    included, and a marker strips the one token beside it: ``${~`` the indentation before it
    on its line, ``~}`` the rest of its line; the lines around keep their line feed and
    indentation (they were stripped too, to "name:" and "!")."""
    text = "p = <<EOT\nname:\n  ${~ var.name ~}\n  !\nEOT\n"
    heredoc = parse_hcl(text).get("p")
    assert isinstance(heredoc, Template)
    assert heredoc.parts[0] == "name:\n" and heredoc.parts[2] == "  !\n"
    variable = heredoc.parts[1]
    assert isinstance(variable, Traversal) and variable.span == Span(3, 7, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        'a = /* c */ "r"\n',
        'a /* c */ = "r"\n',
        'a /* c */ = /* d */ "r" /* e */\n',
        'a = { k = /* c */ "r" }\n',
        'a = { k /* c */ = "r" }\n',
        '/* c */ a /**/ = /*** c ***/ "r"\n',
    ],
)
def test_an_inline_comment_is_whitespace(text: str) -> None:
    """HCL's spec: an inline comment is equivalent to whitespace.  python-hcl2 reads it as a
    line break, which it does not allow after ``=`` or before it: the whole file was an input
    error.  The value keeps the place it is written at."""
    value = parse_hcl(text).get("a")
    if isinstance(value, ObjectExpr):
        [item] = value.items
        value = item.value
    assert isinstance(value, Literal) and value.value == "r"
    before = text[: text.index('"r"')]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    assert value.span == Span(line, column, line, column + 3)


@pytest.mark.parametrize(
    "text",
    [
        'a = /* the name,\n       see ticket */ "r"\n',
        'a /* c\n */ = "r"\n',
        'a = { k = /* c\n\n d */ "r" }\n',
        'a = { k /* c\n */ = "r" }\n',
        '/* c\n */ a /* \n */ = /** c\n * d\n **/ "r" /* e\n */\n',
        'resource "x" "y" {\n  a = /* c\n d */ "r"\n}\n',
    ],
)
def test_a_block_comment_over_several_lines_is_whitespace(text: str) -> None:
    """``name = /* a\n b */ "r"`` passes ``terraform validate``, but only a comment on one
    line was whitespace: the whole file was an input error.  Later values keep their place."""
    body = parse_hcl(text)
    if "resource" in text:
        body = body.blocks[0].body
    value = body.get("a")
    if isinstance(value, ObjectExpr):
        [item] = value.items
        value = item.value
    assert isinstance(value, Literal) and value.value == "r"
    before = text[: text.index('"r"')]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    assert value.span == Span(line, column, line, column + 3)


@pytest.mark.parametrize(
    "text",
    [
        'a = "x" /* c\n d */\nb = "r"\n',
        'a = "x" /* c\n d */\n/* e\n f */\n\nb = "r"\n',
        'a = "x" # c /* d\nb = "r" // */\n',
    ],
)
def test_an_attribute_still_ends_before_a_block_comment_over_lines(text: str) -> None:
    """Two attributes, as when the comment was read as a line break, each where it is."""
    body = parse_hcl(text)
    assert list(body.attributes) == ["a", "b"]
    first, second = body.get("a"), body.get("b")
    assert isinstance(first, Literal) and first.value == "x" and first.span == Span(1, 5, 1, 8)
    before = text[: text.index('"r"')]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    assert isinstance(second, Literal) and second.span == Span(line, column, line, column + 3)


def test_comment_marks_inside_strings_and_comments_over_lines_are_kept() -> None:
    """``/*`` inside a string is text (an S3 key pattern after an interpolation), and an
    attribute before a comment over several lines still ends at the line break after it."""
    body = parse_hcl('a = "${x}/*/logs/*/"\nb = "s3:::b/*" /* one\ntwo */\nc = 1\n')
    template = body.get("a")
    assert isinstance(template, Template) and template.parts[1] == "/*/logs/*/"
    plain = body.get("b")
    assert isinstance(plain, Literal) and plain.value == "s3:::b/*"
    assert isinstance(body.get("c"), Literal)


def test_the_directives_of_a_quoted_string_are_nested() -> None:
    """They were a mark that left the whole string unknown (``directive``)."""
    text = 'a = "x%{~ if var.x }yes %{ else ~} no%{ endif }%{ for k, v in var.m }${v}%{ endfor }"\n'
    template = parse_hcl(text).get("a")
    assert isinstance(template, Template) and not template.directive
    first, chosen, each = template.parts
    assert first == "x"
    assert isinstance(chosen, TemplateIf) and isinstance(chosen.condition, Traversal)
    assert (chosen.then, chosen.otherwise) == (("yes ",), ("no",))
    assert isinstance(each, TemplateFor) and (each.key_name, each.value_name) == ("k", "v")
    assert isinstance(each.collection, Traversal) and each.collection.span == Span(1, 63, 1, 68)
    [value] = each.body
    assert isinstance(value, Traversal) and value.span == Span(1, 72, 1, 73)


def test_directives_that_do_not_nest_are_an_error_of_the_file() -> None:
    """Terraform rejects the file ("Unexpected end of template ... missing its corresponding
    endif directive"); the string was unknown, with a note."""
    with pytest.raises(LoadError) as raised:
        parse_hcl('a = "%{ if var.x }yes"\n')
    error = raised.value
    assert (error.message, error.line, error.column) == (
        "invalid HCL: %{ if } without its %{ endif }",
        1,
        6,
    )


def test_directives_nested_deeper_than_rolelint_reads_mark_their_string() -> None:
    """Terraform takes them; rolelint does not read them: the string is unknown, with a
    note (no error)."""
    template = parse_hcl('a = "' + "%{ if true }" * 51 + "x" + "%{ endif }" * 51 + '"\n').get("a")
    assert isinstance(template, Template) and template.directive
    [unread] = template.parts
    assert isinstance(unread, Unsupported) and "nested more than 50 deep" in unread.reason


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('resource "x" "y" {\n  a = jsonencode({\n  }\n}\n', 4),
        ('a = "unterminated\n', 1),
        ("a = [1, 2\nb = 3\n", 2),
    ],
)
def test_syntax_errors_carry_a_position(text: str, line: int) -> None:
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert raised.value.message.startswith("invalid HCL")
    assert raised.value.line == line


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('resource "aws_iam_role" "b" {\n  name = \n', "unexpected end of line", 2, 10),
        ("x = \n", "unexpected end of line", 1, 5),
        # CRLF: the line ends at its \r, not at the \n a column further.
        ('resource "aws_iam_role" "b" {\r\n  name = \r\n}\r\n', "unexpected end of line", 2, 10),
        ("x = \r\n", "unexpected end of line", 1, 5),
        ("x = ", "unexpected end of file", 1, 5),
        ("x = @foo\n", "unexpected '@foo'", 1, 5),
        ('a = "x"\n/* unterminated\n\nlocals {}\n', "unterminated block comment", 2, 1),
        ("x = 1 /* open", "unterminated block comment", 1, 7),
        ('locals {\n  a = "x" */\n}\n', "unexpected '/'", 2, 12),
        # A heredoc never closed: its opener is valid, and was called unexpected.
        (
            'r "a" "b" {\n  p = <<EOF\n{"Version": 1}\n',
            "heredoc <<EOF is not closed (no line EOF after it)",
            2,
            7,
        ),
        (
            'r "a" "b" {\n  p = <<-EOT\n  {}\n  EOF\n}\n',
            "heredoc <<EOT is not closed (no line EOT after it)",
            2,
            7,
        ),
        ("p = <<EOF\r\n{}\r\n", "heredoc <<EOF is not closed (no line EOF after it)", 1, 5),
    ],
)
def test_a_syntax_error_quotes_only_what_the_file_holds(
    text: str, message: str, line: int, column: int
) -> None:
    """The parse reads the text with a line break appended, and the token at an error ran on
    to the end of the file: ``name = `` on the last line was "unexpected '\\n\\n'", a line
    break the file does not hold, and an open comment was quoted with the rest of the file."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    error = raised.value
    assert (error.message, error.line, error.column) == (f"invalid HCL: {message}", line, column)


# Interpolations the parse of a file rejects in a quoted string (Terraform rejects them too).
REJECTED = ["var.x +", "var.on ? ", "jsonencode(", "a b", "", '"a""b"', "0x10", "a::b(1)"]


@pytest.mark.parametrize("source", REJECTED)
def test_an_interpolation_a_file_rejects_is_the_error_its_quoted_string_gives(source: str) -> None:
    """Read alone (a heredoc's or a template's ``${...}``), it was "an interpolation rolelint
    cannot parse", and its string was unknown with a note; the same text in a quoted string is
    an error.  It is now that error, at the same place."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(f'x = "${{{source}}}"\n')
    start = len('x = "${') + 1
    expr = parse_expression(source, 1, start)
    assert isinstance(expr, Rejected)
    error = raised.value
    assert (expr.error, expr.error_at.line, expr.error_at.column) == (
        error.message,
        error.line,
        error.column,
    )
    # Read as a value, it is what it was: unknown, over its text.
    assert expr.reason == "an interpolation rolelint cannot parse"
    assert expr.span == Span(1, start, 1, start + len(source))


def test_an_interpolation_that_fails_is_parsed_once_however_often_it_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each instance of a resource, and each scan of its template, asks again of the same
    ``${...}``: one that parses was parsed once, one that fails twice each time it was asked
    (as an expression, then as a quoted string's for its error).  Its error is at its place
    each time."""
    from rolelint.parsers import hcl_adapter
    from rolelint.parsers.hcl_grammar import parser

    parsed: list[str] = []

    class Counting:
        def parse(self, text: str) -> object:
            parsed.append(text)
            return parser().parse(text)

    monkeypatch.setattr(hcl_adapter, "_parser", Counting)
    source = "var.asked_again +"
    first, second = parse_expression(source, 1, 8), parse_expression(source, 5, 3)
    assert isinstance(first, Rejected) and isinstance(second, Rejected)
    assert first.error == second.error == "invalid HCL: unexpected '}'"
    assert (first.error_at.line, second.error_at.line) == (1, 5)
    assert first.error_at.column - 8 == second.error_at.column - 3 == len(source)
    assert len(parsed) == 2


def test_an_interpolation_over_lines_is_rejected_where_its_error_is() -> None:
    """A heredoc's ``${...}`` written over several lines: the error at the ``}`` its
    conditional lacks a branch before, on the line and column it is written, and the file
    is rejected as one with the same quoted string is."""
    text = 'x = <<-EOT\n  {"a": "${var.on\n  ? "*"\n  }"}\n  EOT\n'
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.message, raised.value.line, raised.value.column) == (
        "invalid HCL: unexpected '}'",
        4,
        3,
    )


def test_an_interpolation_nested_too_deep_is_the_error_a_file_gives() -> None:
    """It was "an interpolation rolelint cannot parse", a note; in a quoted string (and
    anywhere else in a file) it is the error of an expression too deep."""
    source = "[" * 150 + "1" + "]" * 150
    with pytest.raises(LoadError) as raised:
        parse_hcl(f'x = "${{{source}}}"\n')
    assert raised.value.message == EXPRESSION_TOO_DEEP
    expr = parse_expression(source, 3, 10)
    assert isinstance(expr, Rejected) and expr.error == EXPRESSION_TOO_DEEP
    # Where the expression crosses the limit: a bracket and its contents count two.
    assert (expr.error_at.line, expr.error_at.column) == (3, 10 + 100)
    with pytest.raises(LoadError) as in_heredoc:
        parse_hcl(f'x = <<EOT\n{{"a": "${{{source}}}"}}\nEOT\n')
    assert in_heredoc.value.message == EXPRESSION_TOO_DEEP
    assert (in_heredoc.value.line, in_heredoc.value.column) == (2, 10 + 100)


def test_hostile_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(LoadError):
        parse_hcl("a = " + "[" * 3000 + "]" * 3000 + "\n")


@pytest.mark.parametrize(
    ("opening", "closing", "column"),
    [("[", "]", 7 + 100), ("max(", ")", 7 + 4 * 100), ("{a = ", "}", 7 + 5 * 99 + 1)],
)
def test_nesting_too_deep_is_an_error_where_it_crosses_the_limit(
    opening: str, closing: str, column: int
) -> None:
    """The error had no position: in a module of many files, nothing said where to look."""
    parse_hcl(f"locals {{\n  x = {opening * 99}1{closing * 99}\n}}\n")  # deep, but analyzed
    with pytest.raises(LoadError) as raised:
        parse_hcl(f"locals {{\n  x = {opening * 300}1{closing * 300}\n}}\n")
    assert raised.value.message == EXPRESSION_TOO_DEEP
    assert (raised.value.line, raised.value.column) == (2, column)


def test_a_long_chain_of_operators_is_said_to_be_too_long_not_nested() -> None:
    """``1 + 1 + ... + 1`` on one line nests an operation per term: 250 terms crossed the
    limit, and the error said "nesting" where nothing was nested."""
    parse_hcl("locals {\n  x = " + " + ".join(["1"] * 150) + "\n}\n")  # long, but analyzed
    with pytest.raises(LoadError) as raised:
        parse_hcl("locals {\n  x = " + " + ".join(["1"] * 250) + "\n}\n")
    assert raised.value.message == EXPRESSION_TOO_DEEP
    assert "each operator of a chain such as 1 + 2 + 3 one" in EXPRESSION_TOO_DEEP
    assert (raised.value.line, raised.value.column) == (2, 7)


def test_blocks_nested_too_deep_for_python_are_an_error_at_the_deepest_bracket() -> None:
    text = 'resource "a" "b" {\n' + "x {\n" * 600 + "y = 1\n" + "}\n" * 601
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert raised.value.message == "HCL nesting too deep to analyze"
    assert (raised.value.line, raised.value.column) == (601, 3)


def test_reading_hcl_imports_neither_python_hcl2_nor_package_metadata() -> None:
    """Only its grammar and post-lexer are used: the package's __init__ imports all of it."""
    script = (
        "import sys; from rolelint.parsers.hcl_adapter import parse_hcl; "
        "body = parse_hcl('a = (1 +\\n  2)\\n'); "
        "print(type(body.attributes['a'].value).__name__, "
        "'hcl2' in sys.modules, 'importlib.metadata' in sys.modules)"
    )
    result = run_python(script)
    assert result.stdout.split() == ["Operation", "False", "False"], result.stderr


def test_an_operation_ends_where_its_last_operand_ends() -> None:
    """python-hcl2's binary operations take the line breaks and comments after them: the
    attribute's span ran on over the comment and the blank lines below it."""
    body = parse_hcl("a = var.hours * 3600  # expect: RL301\n\n\nb = 1 || 2\n")
    assert body.attributes["a"].span == Span(1, 1, 1, 21)
    assert body.attributes["a"].value.span == Span(1, 5, 1, 21)
    assert body.attributes["b"].span == Span(4, 1, 4, 11)


def test_an_interpolation_over_several_lines_places_each_part_on_its_own_line() -> None:
    """The expression was read as one line: the ``"*"`` on the interpolation's second line was
    placed on its first, past that line's end.  Each line after the first starts at the
    heredoc's column (its indent, here 4), not at the column of the ``${``."""
    text = 'p = <<-EOT\n    a ${var.public ?\n        "*" : "y"} ${\n      local.z}\n  EOT\n'
    heredoc = parse_hcl(text).get("p")
    assert isinstance(heredoc, Template)
    conditional, traversal = (part for part in heredoc.parts if not isinstance(part, str))
    assert isinstance(conditional, Conditional)
    assert conditional.condition.span == Span(2, 9, 2, 19)
    assert conditional.then.span == Span(3, 9, 3, 12)  # `        "*" : "y"} ${`
    assert conditional.otherwise.span == Span(3, 15, 3, 18)
    assert conditional.span == Span(2, 9, 3, 18)
    # A ${ on the second line, its expression on the third after a line break.
    assert isinstance(traversal, Traversal) and traversal.span == Span(4, 7, 4, 14)


def test_an_interpolation_over_several_lines_in_a_quoted_string_keeps_its_lines() -> None:
    """What python-hcl2 parses itself (a quoted string's interpolation) was right: pinned."""
    text = 'p = ["${var.public ?\n  "*" : "y"}"]\n'
    value = parse_hcl(text).get("p")
    assert isinstance(value, TupleExpr)
    [template] = value.items
    assert isinstance(template, Template)
    [conditional] = template.parts
    assert isinstance(conditional, Conditional)
    assert conditional.then.span == Span(2, 3, 2, 6)


# An interpolation whose argument is a quoted string holding a template of its own: each
# string's ``${...}`` holds quoted text in which ``//``, ``#``, ``{`` or ``}`` is text.
NESTED = {
    "slashes": '${format("%s-${trimsuffix(var.x, "//")}", var.y)}',
    "hash": '${format("%s-${replace(var.x, "#", "")}", var.y)}',
    "open-brace": '${format("%s-${var.x == "{" ? "a" : "b"}", var.y)}',
    "close-brace": '${format("%s-${var.x == "}" ? "a" : "b"}", var.y)}',
    "directive": '${format("%s-%{ if var.x == "}" }a%{ endif }", var.y)}',
    "deeper": '${format("%s-${lower("${var.x == "}" ? "a" : "b"}")}", var.y)}',
    "escapes": '${format("\\"%s-$${x}-${var.x == "}" ? "a" : "b"}\\"", var.y)}',
    "quotes-that-pair": '${format("%s-${var.x}", var.y)}',
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_closing_brace_reads_the_templates_of_strings_inside_an_interpolation(text: str) -> None:
    """A quoted string inside an interpolation is a template: its own ``${...}`` holds
    expressions, and their quoted strings text.  The quote that opened such a string was read
    as ending the outer one, so the text of the inner string was read as expression: a
    ``//`` or ``#`` in it a comment to the end of the line, a brace a brace (the interpolation
    ended at the ``}`` of ``"}"``, or never).  "deeper" and "quotes-that-pair", whose quotes
    happen to pair up, were right by chance."""
    assert closing_brace(text + ' "}" }', 2) == len(text) - 1


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_an_interpolation_inside_a_string_inside_one_is_parsed(text: str) -> None:
    """Comments are blanked before parsing: the ``#`` or ``//`` of the inner string was
    blanked as one, and the expression could not be parsed."""
    call = parse_expression(text[2:-1], 1, 3)
    assert isinstance(call, Call) and call.name == "format"


CARRIAGE_RETURNS = {
    # between tokens: python-hcl2 skipped it as a blank, two attributes read on one line
    "between-tokens": ("a = 1\rb = 2\n", (1, 6)),
    "in-a-list": ("a = [1,\r 2]\n", (1, 8)),
    "in-a-block-header": ('r "x" "y" {\r  a = 1\r\n}\n', (1, 12)),
    "at-the-end": ("a = 1\r", (1, 6)),
    # text python-hcl2 kept: a heredoc's (a quoted string's is a line break: LINE_FEEDS)
    "in-a-heredoc": ("a = 1\nb = <<EOF\nxx\ryy\nEOF\n", (3, 3)),
    "in-an-indented-heredoc": ("b = <<-EOF\n    x\r\n    y\rz\n    EOF\n", (3, 6)),
    "after-an-interpolation": ('a = <<EOF\n${"}"} x\ry\nEOF\n', (2, 9)),
}


@pytest.mark.parametrize(("text", "where"), CARRIAGE_RETURNS.values(), ids=CARRIAGE_RETURNS.keys())
def test_a_carriage_return_without_a_line_feed_is_an_error(
    text: str, where: tuple[int, int]
) -> None:
    """HCL breaks lines at a line feed (or CR LF) only, and its scanner has no token for a
    carriage return alone but in a comment: between tokens it is an invalid character, in a
    quoted string a line break the string may not hold, in a heredoc's text nothing it reads.
    Terraform rejects the file; rolelint read it (the grammar ignored every carriage return,
    and kept those of a string's text)."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    error = raised.value
    assert (error.line, error.column) == where
    assert str(error) == BARE_CARRIAGE_RETURN


LINE_FEEDS = {
    # the grammar kept the line feed as the string's text, a multi-line string
    "in-a-quoted-string": ('a = "x\ny"\n', (1, 7)),
    # a carriage return alone is a line break to a quoted string: HCL's scanner reads "\r" and
    # "\n" alike there (a quoted newline), and Terraform says "Invalid multi-line string"
    "carriage-return-in-a-quoted-string": ('a = "x\ry"\n', (1, 7)),
    "after-a-carriage-return": ('b = 1\na = "x\r\ny"\n', (2, 7)),
    "in-a-block-label": ('r "x\ny" {\n}\n', (1, 5)),
    "in-an-object-key": ('a = {"k\nq" = 1}\n', (1, 8)),
    "in-an-escaped-interpolation": ('a = "$${a\nb}"\n', (1, 10)),
    "in-a-string-in-an-interpolation": ('a = "${lower("a\nb")}"\n', (1, 16)),
    "in-a-directive-s-text": ('a = "%{ if var.a }x\ny%{ endif }"\n', (1, 20)),
}


@pytest.mark.parametrize(("text", "where"), LINE_FEEDS.values(), ids=LINE_FEEDS.keys())
def test_a_line_feed_in_a_quoted_string_is_an_error(text: str, where: tuple[int, int]) -> None:
    """HCL's scanner ends a quoted string's text at a line break (a line feed, or a carriage
    return alone) and Terraform rejects the file ("Invalid multi-line string"); the grammar
    read the line feed as the string's text, and a carriage return alone was said to be an
    invalid character."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    error = raised.value
    assert (error.line, error.column) == where
    assert str(error) == MULTI_LINE_STRING


def test_a_written_line_feed_escape_is_no_error() -> None:
    """Guard: ``\\n`` in a quoted string is the escape Terraform asks for, and a heredoc holds
    line feeds."""
    body = parse_hcl('a = "x\\ny"\nb = <<EOF\nx\ny\nEOF\n')
    a, b = body.get("a"), body.get("b")
    assert a is not None and isinstance(a, Literal) and a.value == "x\ny"
    assert b is not None and isinstance(b, Template) and b.parts == ("x\ny\n",)


@pytest.mark.parametrize(
    "text",
    [
        "a = {\r\n  c = 1\r\n}\r\n\r\nb = 2\r\n",
        "a = 1 # a comment\r and more\nb = 2\n",
        "a = 1 // a comment\r and more\nb = 2\n",
        "a = 1 /* a comment\r */\nb = 2\n",
        "b = 2\na = 1 # a last comment\r",
        "b = 2\na = <<EOF\r\nx\r\nEOF\r\n",
    ],
    ids=["crlf", "hash-comment", "slash-comment", "block-comment", "last-comment", "heredoc"],
)
def test_a_carriage_return_before_a_line_feed_or_in_a_comment_is_no_error(text: str) -> None:
    """Guard: a CR LF is one line break, and a comment holds any character but a line feed."""
    body = parse_hcl(text)
    assert body.get("b") is not None and body.get("a") is not None


# Line breaks HCL's parser skips: between any two tokens of an interpolation or a directive,
# inside its brackets and parentheses too (all an input error before), and (a guard) those the
# grammar already took: in a call's arguments, inside an object's braces, where they separate
# its items.
INTERPOLATION_LINE_BREAKS = {
    "before-the-closing-brace": ('"${var.a\n}"', "var.a"),
    "after-the-opening": ('"${\n  var.a}"', "var.a"),
    "before-a-dot": ('"${var\n  .a}"', "var.a"),
    "before-an-index": ('"${var.l\n  [0]}"', "var.l[0]"),
    "around-a-conditional": ('"${var.c\n  ? 1\n  : 2}"', "var.c ? 1 : 2"),
    "before-a-minus": ('"${var.n\n  - 1}"', "var.n - 1"),
    "after-a-not": ('"${!\n  var.a}"', "!var.a"),
    "in-parentheses": ('"${(var.n\n  - 1)}"', "(var.n - 1)"),
    "after-a-hash-comment": ('"${var.a # why\n}"', "var.a"),
    "after-a-slash-comment": ('"${var.a // why\n}"', "var.a"),
    "with-strip-markers": ('"${~\n  var.a\n  ~}"', "var.a"),
    "after-a-cr-lf": ('"${var.a\r\n}"', "var.a"),
    "in-a-string-in-one": ('"${lower("${var.a\n}")}"', 'lower("${var.a}")'),
    "in-a-directive": ('"%{ if var.a\n}x%{ endif }"', '"%{ if var.a }x%{ endif }"'),
    "in-a-call": ('"${join(",",\n  var.l)}"', 'join(",", var.l)'),
    "in-an-object": ('"${ {\n  x = var.a\n  y = 2\n}.x }"', "{ x = var.a, y = 2 }.x"),
}


@pytest.mark.parametrize(
    ("written", "one_line"),
    INTERPOLATION_LINE_BREAKS.values(),
    ids=INTERPOLATION_LINE_BREAKS.keys(),
)
def test_a_line_break_between_the_tokens_of_an_interpolation_is_skipped(
    written: str, one_line: str
) -> None:
    """HCL reads ``${...}`` and ``%{...}`` with line breaks excluded but inside an object's
    braces, and Terraform takes ``"${var.a<LF>}"``; the grammar took none where no rule
    writes one, and the whole file was an input error ("unexpected end of line").  Read as
    HCL reads it, the value is the one the same expression on one line gives."""
    one_line_text = one_line if one_line.startswith('"') else '"${' + one_line + '}"'
    value = parse_hcl(f"a = {written}\n").get("a")
    same = parse_hcl(f"a = {one_line_text}\n").get("a")
    assert value is not None and same is not None
    assert _without_spans(value) == _without_spans(same)


def _without_spans(node: object) -> object:
    """A parsed expression with its places left out, to compare what two texts say."""
    import dataclasses

    if isinstance(node, tuple):
        return tuple(_without_spans(item) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            tuple(
                (field.name, _without_spans(getattr(node, field.name)))
                for field in dataclasses.fields(node)
                if "span" not in field.name
            ),
        )
    return node


def test_a_skipped_line_break_keeps_the_places_after_it() -> None:
    """The skipped line break still counts: what follows it is on its own line."""
    body = parse_hcl('a = "${var.c\n  ? var.x\n  : 2}"\nb = var.y\n')
    template = body.get("a")
    assert isinstance(template, Template)
    [conditional] = template.parts
    assert isinstance(conditional, Conditional)
    assert conditional.then.span == Span(2, 5, 2, 10)
    b = body.get("b")
    assert b is not None and b.span == Span(4, 5, 4, 10)


INTERPOLATION_LINE_BREAKS_REJECTED = {
    # a quoted string's text still ends at a line break, inside an interpolation too
    "in-a-string-inside": ('a = "${lower("a\nb")}"\n', (1, 16), MULTI_LINE_STRING),
    # a line comment runs to the end of its line, over the "}" and the quote: HCL then finds
    # "Extra characters after interpolation expression" at the b
    "a-comment-over-the-brace": (
        'a = "${var.a # c}"\nb = 1\n',
        (2, 1),
        "invalid HCL: unexpected 'b'",
    ),
    # after the interpolation, the string's own text
    "after-the-interpolation": ('a = "${var.a}\n"\n', (1, 14), MULTI_LINE_STRING),
}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    INTERPOLATION_LINE_BREAKS_REJECTED.values(),
    ids=INTERPOLATION_LINE_BREAKS_REJECTED.keys(),
)
def test_a_line_break_hcl_does_not_skip_in_an_interpolation_is_still_an_error(
    text: str, where: tuple[int, int], message: str
) -> None:
    """Guard: Terraform rejects these, and they stay input errors."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == message


# Line breaks HCL skips in an attribute's value outside any interpolation: inside parentheses,
# a tuple's or an index's brackets, a call's parentheses and a for expression (hclsyntax
# PushIncludeNewlines(false) there).  python-hcl2 merged a line break into a following binary
# operator but not a minus, a dot or an index, and the file was an input error ("unexpected
# '-'").  The conditional, ``&&``, ``==`` and ``+`` ones are guards (read before).
BRACKETED_LINE_BREAKS = {
    "minus-in-parentheses": ("(1\n  - 2)", "(1 - 2)"),
    "minus-in-a-tuple": ("[1\n  - 2]", "[1 - 2]"),
    "minus-in-a-call": ("max(1\n  - 2, 3)", "max(1 - 2, 3)"),
    "minus-in-an-index": ("var.l[var.n\n  - 1]", "var.l[var.n - 1]"),
    "dot-in-parentheses": ("(var\n  .a)", "(var.a)"),
    "index-in-parentheses": ("(var.l\n  [0])", "(var.l[0])"),
    "in-an-object-in-parentheses": ("({\n  a = (1\n  - 2)\n})", "({ a = (1 - 2) })"),
    "minus-in-a-for-object": (
        "{for k, v in var.m : k => v\n  - 1}",
        "{for k, v in var.m : k => v - 1}",
    ),
    "conditional-in-parentheses": ("(var.c\n  ? 1\n  : 2)", "(var.c ? 1 : 2)"),
    "and-in-parentheses": ("(var.a\n  && var.b)", "(var.a && var.b)"),
    "equals-in-parentheses": ("(var.a\n  == 1)", "(var.a == 1)"),
    "plus-in-parentheses": ("(1\n  + 2)", "(1 + 2)"),
}


@pytest.mark.parametrize(
    ("written", "one_line"), BRACKETED_LINE_BREAKS.values(), ids=BRACKETED_LINE_BREAKS.keys()
)
def test_a_line_break_inside_brackets_or_parentheses_is_skipped(
    written: str, one_line: str
) -> None:
    """HCL ignores line breaks inside parentheses and brackets, whatever token follows; read
    as HCL reads it, the value is the one the same expression on one line gives."""
    value = parse_hcl(f"a = {written}\nb = 1\n").get("a")
    same = parse_hcl(f"a = {one_line}\n").get("a")
    assert value is not None and same is not None
    assert _without_spans(value) == _without_spans(same)


# HCL ends an attribute (or an object's item) at a line break outside parentheses, brackets and
# interpolations, whatever follows it; python-hcl2 merged a line break into a following binary
# operator or ``?`` and read the next line as the rest of the value.
ENDED_BY_A_LINE_BREAK = {
    "conditional": ("a = var.c\n? 1 : 2\n", (2, 1), "invalid HCL: unexpected '?'"),
    "multiplication": ("a = 1\n  * 2\n", (2, 3), "invalid HCL: unexpected '*'"),
    "in-an-object": ("a = {\n  b = 1\n  + 2\n}\n", (3, 3), "invalid HCL: unexpected '+'"),
}


@pytest.mark.parametrize(
    ("text", "where", "message"), ENDED_BY_A_LINE_BREAK.values(), ids=ENDED_BY_A_LINE_BREAK.keys()
)
def test_an_operator_after_a_line_break_outside_brackets_is_an_error(
    text: str, where: tuple[int, int], message: str
) -> None:
    """Terraform rejects these ("Argument or block definition required" at the operator)."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == message


# HCL's object constructor (hclsyntax parseObjectCons) takes a comma or a line break after each
# item's value but the last ("Missing attribute separator"), and a comma only there: one that
# starts the next line is where an item's key must be ("Invalid expression").  python-hcl2's
# rule read two items with nothing between them, and a comma after a line break.
MISSING_OBJECT_SEPARATORS = {
    "two-items-on-a-line": ("o = {x = 1 y = 2}\n", (1, 12), "invalid HCL: unexpected 'y'"),
    "quoted-keys": ('o = {"x" = 1 "y" = 2}\n', (1, 14), "invalid HCL: unexpected '\"'"),
    "after-an-object": ("o = {x = {} y = 2}\n", (1, 13), "invalid HCL: unexpected 'y'"),
    "in-a-policy": (
        'p = jsonencode({Effect = "Allow" Action = "*"})\n',
        (1, 34),
        "invalid HCL: unexpected 'Action'",
    ),
    "comma-after-a-line-break": (
        "o = {\n  x = 1\n  , y = 2\n}\n",
        (3, 3),
        "invalid HCL: unexpected ','",
    ),
}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    MISSING_OBJECT_SEPARATORS.values(),
    ids=MISSING_OBJECT_SEPARATORS.keys(),
)
def test_object_items_without_a_separator_are_an_error(
    text: str, where: tuple[int, int], message: str
) -> None:
    """Terraform rejects these; the error is at the token after the item's value."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == message


# The separators HCL takes: a comma (a line break may follow it), a line break or a line
# comment (which ends with one), a trailing comma, none after the last item.
SEPARATED_OBJECTS = {
    "commas": "{x = 1, y = 2}",
    "comma-and-line-break": "{x = 1,\n  y = 2}",
    "line-breaks": "{\n  x = 1\n\n  y = 2\n}",
    "trailing-comma": "{x = 1, y = 2,}",
    "trailing-comma-line-break": "{\n  x = 1,\n  y = 2,\n}",
    "line-comment": "{x = 1 # c\n  y = 2}",
    "comma-then-comment": "{x = 1, // c\n  y = 2}",
}


@pytest.mark.parametrize("written", SEPARATED_OBJECTS.values(), ids=SEPARATED_OBJECTS.keys())
def test_object_items_with_a_separator_are_read(written: str) -> None:
    """Guard: each is the object ``{x = 1, y = 2}``."""
    value = parse_hcl(f"o = {written}\nb = 1\n").get("o")
    same = parse_hcl("o = {x = 1, y = 2}\n").get("o")
    assert value is not None and same is not None
    assert _without_spans(value) == _without_spans(same)


# HCL reads an operator's right operand, and a conditional's results, with the line breaks of
# where the expression is: outside parentheses, brackets and interpolations a line break is a
# token, and one right after a binary operator, ``?`` or ``:``, or before the ``:``, stands
# where an expression must ("Invalid expression", "Missing false expression in conditional":
# hclsyntax parseBinaryOps, parseTernaryConditional).  python-hcl2's rules took a line break
# there and read the next line as the rest of the value.
OPERAND_ON_THE_NEXT_LINE = {
    "plus": ("a = 1 +\n  2\n", (1, 8)),
    "and": ("a = var.a &&\n  var.b\n", (1, 13)),
    "equals": ("a = var.a ==\n  1\n", (1, 13)),
    "in-an-object": ("a = {\n  b = 1 *\n    2\n}\n", (2, 10)),
    "after-the-question-mark": ("a = var.c ?\n  1 : 2\n", (1, 12)),
    "before-the-colon": ("a = var.c ? 1\n  : 2\n", (1, 14)),
    "after-the-colon": ("a = var.c ? 1 :\n  2\n", (1, 16)),
}


@pytest.mark.parametrize(
    ("text", "where"), OPERAND_ON_THE_NEXT_LINE.values(), ids=OPERAND_ON_THE_NEXT_LINE.keys()
)
def test_a_line_break_after_an_operator_outside_brackets_is_an_error(
    text: str, where: tuple[int, int]
) -> None:
    """Terraform rejects these; the error is at the line break."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == "invalid HCL: unexpected end of line"


def test_a_line_comment_after_an_operator_is_an_error() -> None:
    """A line comment ends with its line break, which HCL reads there (the peeker makes the
    comment a line break where line breaks count)."""
    with pytest.raises(LoadError) as raised:
        parse_hcl("a = 1 + # c\n  2\n")
    assert (raised.value.line, raised.value.column) == (1, 9)


# Guards: the same operands inside parentheses, brackets, a call or an interpolation, where HCL
# skips line breaks, and after a block comment, which is whitespace.
OPERAND_ON_THE_NEXT_LINE_READ = {
    "in-parentheses": ("(1 +\n  2)", "(1 + 2)"),
    "in-a-tuple": ("[1 +\n  2]", "[1 + 2]"),
    "in-a-call": ("max(1 +\n  2, 3)", "max(1 + 2, 3)"),
    "in-an-interpolation": ('"${1 +\n  2}"', '"${1 + 2}"'),
    "conditional-in-parentheses": ("(var.c ?\n  1 :\n  2)", "(var.c ? 1 : 2)"),
    "block-comment": ("1 + /* c\n */ 2", "1 + 2"),
}


@pytest.mark.parametrize(
    ("written", "one_line"),
    OPERAND_ON_THE_NEXT_LINE_READ.values(),
    ids=OPERAND_ON_THE_NEXT_LINE_READ.keys(),
)
def test_an_operand_on_the_next_line_inside_brackets_is_read(written: str, one_line: str) -> None:
    value = parse_hcl(f"a = {written}\nb = 1\n").get("a")
    same = parse_hcl(f"a = {one_line}\n").get("a")
    assert value is not None and same is not None
    assert _without_spans(value) == _without_spans(same)


# HCL's scanner gives the line break after a heredoc's closing marker as a token of its own,
# the one that ends the item the heredoc is the value of.  python-hcl2's heredoc terminal holds
# it, and an object's next item (which needs a line break or a comma before it) was an error.
HEREDOC_THEN_ITEM = {
    "object": "o = {\n  x = <<EOF\nhi\nEOF\n  y = 2\n}\n",
    "trimmed": "o = {\n  x = <<-EOF\n    hi\n    EOF\n  y = 2\n}\n",
    "crlf": "o = {\r\n  x = <<EOF\r\nhi\r\nEOF\r\n  y = 2\r\n}\r\n",
    "blank-line": "o = {\n  x = <<EOF\nhi\nEOF\n\n  y = 2\n}\n",
}


@pytest.mark.parametrize("text", HEREDOC_THEN_ITEM.values(), ids=HEREDOC_THEN_ITEM.keys())
def test_an_object_item_after_a_heredoc_is_read(text: str) -> None:
    """Terraform takes these: the object's two items, ``y`` where it is written."""
    value = parse_hcl(text).get("o")
    assert isinstance(value, ObjectExpr)
    first, second = value.items
    assert isinstance(first.value, Template) and first.value.heredoc is not None
    assert first.value.heredoc.text == "hi\n"
    line = text[: text.index("y = 2")].count("\n") + 1
    assert isinstance(second.value, Literal) and second.value.span == Span(line, 7, line, 8)


# Where HCL takes no line break, none is taken after a heredoc's closing marker either: the
# item has ended there, and what follows on the next line is an error.
HEREDOC_THEN_CONTINUATION = {
    "conditional": ("a = var.c ? <<EOF\nx\nEOF\n  : 2\n", (3, 4), "unexpected end of line"),
    "operator": ('a = <<EOF\nx\nEOF\n  + "y"\n', (4, 3), "unexpected '+'"),
    "comma-in-object": ("o = {\n  x = <<EOF\nx\nEOF\n  , y = 2\n}\n", (5, 3), "unexpected ','"),
}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    HEREDOC_THEN_CONTINUATION.values(),
    ids=HEREDOC_THEN_CONTINUATION.keys(),
)
def test_an_expression_continued_after_a_heredoc_s_line_is_an_error(
    text: str, where: tuple[int, int], message: str
) -> None:
    """Terraform rejects these ("Missing false expression in conditional", "Argument or
    block definition required", "Invalid expression")."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == f"invalid HCL: {message}"


@pytest.mark.parametrize(
    "text",
    [
        "a = [<<EOF\nx\nEOF\n, 1]\n",
        "a = f(<<EOF\nx\nEOF\n)\n",
        "a = <<EOF\nx\nEOF\nb = 2\n",
        "b {\n  a = <<EOF\nx\nEOF\n}\n",
        "a = <<EOF\nx\nEOF",
    ],
    ids=["tuple", "call", "attribute", "block", "end-of-file"],
)
def test_what_follows_a_heredoc_where_hcl_takes_a_line_break_is_read(text: str) -> None:
    """Guard: in brackets the line break is skipped, in a body it ends the item."""
    body = parse_hcl(text)
    assert body.attributes or body.blocks


# HCL's body (hclsyntax ParseBody, finishParsingBodyAttribute, finishParsingBodyBlock) ends each
# argument and block with a line break or the end of the file ("Missing newline after
# argument", "... after block definition"); a block's "{" is on its header's line ("Invalid
# block definition"); a body on that line is one argument closed there ("Invalid
# single-argument block definition", "Argument definition required").  python-hcl2's rules
# read all of these.
MISSING_BODY_LINE_BREAKS = {
    "two-arguments": ("a = 1 b = 2\n", (1, 7), "unexpected 'b'"),
    "block-after-argument": ('a = 1 resource "x" "y" {}\n', (1, 7), "unexpected 'resource'"),
    "argument-after-block": ("b {} a = 1\n", (1, 6), "unexpected 'a'"),
    "two-blocks": ("b {} c {}\n", (1, 6), "unexpected 'c'"),
    "in-a-block": ('resource "x" "y" {\n  a = 1 b = 2\n}\n', (2, 9), "unexpected 'b'"),
    "after-a-comment-over-lines": ("a = 1 /* c\n */ b = 2\n", (2, 5), "unexpected 'b'"),
    "brace-on-the-next-line": ('resource "x" "y"\n{\n}\n', (1, 17), "unexpected end of line"),
    "brace-after-a-comment": ('resource "x" "y" # c\n{\n}\n', (1, 18), "unexpected '# c'"),
    "unlabelled-brace-on-the-next-line": ("b\n{\n}\n", (1, 2), "unexpected end of line"),
    "two-arguments-on-the-header-line": ("b { a = 1 c = 2 }\n", (1, 11), "unexpected 'c'"),
    "block-on-the-header-line": ("b { c {} }\n", (1, 7), "unexpected '{'"),
    "header-line-argument-closed-below": ("b { a = 1\n}\n", (1, 10), "unexpected end of line"),
    "heredoc-on-the-header-line": ("b { a = <<EOF\nx\nEOF\n}\n", (3, 4), "unexpected end of line"),
    "closed-on-the-argument-s-line": ("b {\n  a = 1 }\n", (2, 9), "unexpected '}'"),
    "closed-on-the-block-s-line": ("b {\n  c {\n  } }\n", (3, 5), "unexpected '}'"),
}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    MISSING_BODY_LINE_BREAKS.values(),
    ids=MISSING_BODY_LINE_BREAKS.keys(),
)
def test_body_items_without_their_line_break_are_an_error(
    text: str, where: tuple[int, int], message: str
) -> None:
    """Terraform rejects these; the error is at the token HCL names (the item that follows, the
    line break before the ``{``, the ``}`` of a body closed on an item's line)."""
    with pytest.raises(LoadError) as raised:
        parse_hcl(text)
    assert (raised.value.line, raised.value.column) == where
    assert str(raised.value) == f"invalid HCL: {message}"


# What HCL takes: items on lines of their own (a line comment ends its line), the last one at
# the end of the file, an empty block, one argument on the header's line (a comment beside it),
# a body of lines after a comment on the header's line.
BODIES_WITH_THEIR_LINE_BREAKS = {
    "lines": ("a = 1\nb = 2\n", ["a", "b"], []),
    "line-comment": ("a = 1 # c\nb = 2 // d\n", ["a", "b"], []),
    "comment-over-lines-then-line-break": ("a = 1 /* c\n */\nb = 2\n", ["a", "b"], []),
    "end-of-file": ("a = 1\nb {}", ["a"], ["b"]),
    "empty-block": ("b {}\nc {\n}\n", [], ["b", "c"]),
    "one-argument": ('b "x" { a = 1 }\n', [], ["b"]),
    "one-argument-and-comment": ("b { a = 1 /* c */ }\n", [], ["b"]),
    "comment-on-the-header-line": ("b { # c\n  a = 1\n}\n", [], ["b"]),
    "nested": ("b {\n  c {\n    a = 1\n  }\n\n  d { a = 2 }\n}\n", [], ["b"]),
}


@pytest.mark.parametrize(
    ("text", "attributes", "blocks"),
    BODIES_WITH_THEIR_LINE_BREAKS.values(),
    ids=BODIES_WITH_THEIR_LINE_BREAKS.keys(),
)
def test_body_items_with_their_line_break_are_read(
    text: str, attributes: list[str], blocks: list[str]
) -> None:
    """Guard: the body's arguments and blocks, as written."""
    body = parse_hcl(text)
    assert list(body.attributes) == attributes
    assert [block.type for block in body.blocks] == blocks
