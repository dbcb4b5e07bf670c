"""The positioned loaders: spans, duplicate keys, dates, short-form tags, clear errors, and
bounds on hostile input (depth, alias expansion)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.parsers.json_loader import _load_with_positions, load_json
from rolelint.parsers.tree import MAX_DEPTH, LoadError, PMap, PSeq, written_as
from rolelint.parsers.yaml_loader import MAX_ALIAS_NODES, SeveralDocuments, load_yaml
from rolelint.source import LinesSoFar, Span
from tests.conftest import REPO

SHORT_FORM_TAGS = (
    "Ref",
    "Sub",
    "GetAtt",
    "Join",
    "If",
    "Select",
    "Split",
    "FindInMap",
    "ImportValue",
    "Base64",
    "Cidr",
    "GetAZs",
    "Equals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Transform",
    "ToJsonString",
    "Length",
    "ForEach",
)


def test_yaml_keeps_positions_of_keys_values_and_items() -> None:
    loaded = load_yaml("t.yaml", "A:\n  B: value\n  C:\n    - one\n    - two\n")
    inner = loaded.root["A"]
    assert isinstance(inner, PMap)
    assert inner.span_of("B") == Span(2, 6, 2, 11)
    assert inner.key_span_of("C") == Span(3, 3, 3, 4)
    items = inner["C"]
    assert isinstance(items, PSeq)
    assert [span.line for span in items.item_spans if span] == [4, 5]
    assert items.span_at(1) == Span(5, 7, 5, 10)


def test_yaml_a_block_ends_where_its_last_value_ends() -> None:
    """PyYAML ends a block mapping or sequence where the next token starts: a statement
    followed by another ended on the next one's line (annotations marked a line too many),
    and a policy followed by comments ended at the next resource."""
    text = (
        "Statement:\n"
        "  - Effect: Allow\n"
        "    Action: [s3:GetObject]\n"
        "  - Effect: Deny\n"
        "    Action:\n"
        "      - iam:*\n"
        "# a comment\n"
        "\n"
        "Other: 1\n"
    )
    root = load_yaml("t.yaml", text).root
    statements = root["Statement"]
    assert isinstance(statements, PSeq)
    assert statements.span_at(0) == Span(2, 5, 3, 27)
    assert statements.span_at(1) == Span(4, 5, 6, 14)
    assert root.span_of("Statement") == Span(2, 3, 6, 14)
    # An alias as the last value has its anchor's marks: the block keeps PyYAML's end.
    aliased = load_yaml("t.yaml", "A: &a [x]\nB:\n  - 1\n  - *a\nC: 2\n").root
    assert aliased.span_of("B") == Span(3, 3, 5, 1)


def test_yaml_dates_stay_strings() -> None:
    loaded = load_yaml("t.yaml", "Version: 2012-10-17\nWhen: 2001-12-14t21:59:43.10-05:00\n")
    assert loaded.root["Version"] == "2012-10-17"
    assert loaded.root["When"] == "2001-12-14t21:59:43.10-05:00"


def test_yaml_an_integer_read_otherwise_than_written_keeps_its_text() -> None:
    """YAML 1.1 reads an unquoted 012345670123 as the octal number 1402433619: the number is
    what CloudFormation deploys, the text what a message must name (RL111 named only the
    number).  An integer read as written stays a plain int."""
    root = load_yaml("t.yaml", "Octal: 012345670123\nPlain: 123456789012\nHex: 0x1F\n").root
    octal = root["Octal"]
    assert (octal, written_as(octal)) == (1402433619, "012345670123")
    assert (root["Hex"], written_as(root["Hex"])) == (31, "0x1F")
    assert type(root["Plain"]) is int and written_as(root["Plain"]) is None
    copy = pickle.loads(pickle.dumps(octal))  # the parse cache stores trees
    assert (copy, written_as(copy)) == (1402433619, "012345670123")


def test_yaml_keys_are_text_as_in_json_templates() -> None:
    # An unquoted Null condition operator, a boolean-looking key and an account id key.
    text = "Null: {aws:TokenIssueTime: 'true'}\nyes: 1\n123456789012: prod\n"
    root = load_yaml("t.yaml", text).root
    assert isinstance(root, PMap)
    assert list(root) == ["Null", "yes", "123456789012"]
    assert root["Null"]["aws:TokenIssueTime"] == "true"


def test_yaml_duplicate_keys_are_recorded_with_both_positions() -> None:
    loaded = load_yaml("t.yaml", "Effect: Allow\nAction: a\nEffect: Deny\n")
    [duplicate] = loaded.duplicates
    assert duplicate.key == "Effect"
    assert duplicate.first is not None and duplicate.first.line == 1
    assert duplicate.second is not None and duplicate.second.line == 3


@pytest.mark.parametrize("tag", SHORT_FORM_TAGS)
def test_yaml_every_short_form_tag_loads_as_its_long_form(tag: str) -> None:
    loaded = load_yaml("t.yaml", f"Value: !{tag} something\n")
    value = loaded.root["Value"]
    expected = {"Ref": "Ref", "Condition": "Condition"}.get(tag, f"Fn::{tag}")
    assert list(value) == [expected]


def test_yaml_short_forms_nest_and_getatt_splits() -> None:
    loaded = load_yaml("t.yaml", "V: !Join ['', [!GetAtt Role.Arn, !Ref X]]\n")
    join = loaded.root["V"]["Fn::Join"]
    assert join[1][0] == {"Fn::GetAtt": ["Role", "Arn"]}
    assert join[1][1] == {"Ref": "X"}


def test_yaml_error_names_line_and_column() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", "a: 1\nb: [unclosed\n")
    assert caught.value.line is not None and caught.value.line >= 2
    assert caught.value.message.startswith("invalid YAML")


def test_yaml_several_documents_are_told_apart_from_broken_yaml() -> None:
    """PyYAML refuses a second document as it refuses broken YAML: a caller could not tell a
    well-formed stream of Kubernetes manifests from a broken file.  The rest of the stream is
    read, so broken YAML in a later document is still invalid YAML, at its place."""
    with pytest.raises(SeveralDocuments) as several:
        load_yaml("k.yaml", "kind: A\n---\nkind: B\n---\nkind: C\n")
    assert (several.value.line, several.value.column) == (2, 1)
    with pytest.raises(LoadError) as broken:
        load_yaml("k.yaml", "kind: A\n---\nkind: B\n---\nkind: [C\n")
    assert not isinstance(broken.value, SeveralDocuments)
    assert broken.value.message.startswith("invalid YAML") and broken.value.line == 6
    assert load_yaml("k.yaml", "---\nkind: A\n...\n").root == {"kind": "A"}


@pytest.mark.parametrize(
    "text",
    [
        "---\nVersion: '2012-10-17'\nStatement: []\n---\n",  # a trailing separator
        "---\n---\nVersion: '2012-10-17'\nStatement: []\n",  # an empty first document
        "Version: '2012-10-17'\nStatement: []\n---\n...\n---\n",
    ],
)
def test_yaml_empty_documents_beside_the_one_with_content_are_no_second_document(
    text: str,
) -> None:
    """A stray ``---`` opens an empty document: with one policy and a trailing separator, the
    file was skipped as "not a CloudFormation template or IAM policy" (exit 0) although its one
    document is a policy."""
    loaded = load_yaml("p.yaml", text)
    assert loaded.root == {"Version": "2012-10-17", "Statement": []}
    assert loaded.root.span_of("Statement").line == text.splitlines().index("Statement: []") + 1


def test_yaml_several_documents_carry_their_values() -> None:
    """The caller judges by what each document is whether the stream is one of its formats."""
    with pytest.raises(SeveralDocuments) as several:
        load_yaml("k.yaml", "---\n---\nkind: A\n---\nkind: B\n")
    assert several.value.roots == ({"kind": "A"}, {"kind": "B"})
    assert (several.value.line, several.value.column) == (5, 1)
    with pytest.raises(SeveralDocuments) as several:
        load_yaml("k.yaml", "kind: A\n---\n---\nkind: B\n")  # an empty one between
    assert (several.value.line, several.value.column) == (4, 1)


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ('AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\nx: "\x7f\x01"\n', 3, 5, "007F"),
        # libyaml counts the offset in UTF-8 bytes: characters of two bytes before it, and
        # line breaks of every kind YAML knows, still give the character's own column.
        ('Description: "é ü"\r\nb: "\x7f"\n', 2, 5, "007F"),
        ("a: x\x85  b\x08", 2, 4, "0008"),
        ("a: \ufffe", 1, 4, "FFFE"),
    ],
)
def test_yaml_a_forbidden_character_is_an_error_at_its_line_and_column(
    text: str, line: int, column: int, code: str
) -> None:
    """PyYAML's reader error has no mark: it was reported without a position, in two lines
    naming "<unicode string>" and a byte offset."""
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", text)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert error.message.startswith("invalid YAML: ") and error.message.endswith(f"(U+{code})")
    assert "\n" not in error.message and "<unicode string>" not in error.message


def test_json_positions_and_duplicates() -> None:
    text = '{\n  "Statement": [\n    {"Effect": "Allow", "Effect": "Deny"}\n  ]\n}\n'
    loaded = load_json("p.json", text)
    statement = loaded.root["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert statement.span_of("Effect") == Span(3, 35, 3, 41)
    [duplicate] = loaded.duplicates
    assert (duplicate.key, duplicate.second.line if duplicate.second else 0) == ("Effect", 3)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('{"a": }', 1, 7), ('{\n "a": 1\n', 3, 1), ("[1, 2,]", 1, 7), ('{"a": 1} trailing', 1, 10)],
)
def test_json_errors_name_the_position(text: str, line: int, column: int) -> None:
    with pytest.raises(LoadError) as caught:
        load_json("p.json", text)
    assert (caught.value.line, caught.value.column) == (line, column)


# --- hostile input: bounded depth and alias expansion --------------------------------------------


def _nested(depth: int) -> str:
    """A flow list whose innermost value is ``depth`` lists deep (the outer list is level 0)."""
    return "[" * depth + "x" + "]" * depth


@pytest.mark.parametrize("load", [load_yaml, load_json])
def test_nesting_up_to_the_limit_loads_and_one_more_level_is_refused(load: Any) -> None:
    text = _nested(MAX_DEPTH).replace("x", '"x"')
    inner = load("t", text).root
    for _ in range(MAX_DEPTH):
        inner = inner[0]
    assert inner == "x"
    with pytest.raises(LoadError) as caught:
        load("t", _nested(MAX_DEPTH + 1).replace("x", '"x"'))
    # The 201st list, at column 201, holds the value that is one level too deep.
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        f"too deeply nested: more than {MAX_DEPTH} levels",
        1,
        MAX_DEPTH + 1,
    )


def test_yaml_an_empty_collection_at_the_limit_loads() -> None:
    assert load_yaml("t", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).root is not None


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # Billion laughs: a4 (line 5) is the first to stand for more than the limit.
        (
            "a0: &a0 [l, l, l, l, l, l, l, l, l, l]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)),
            5,
            5,
        ),
        # Merge keys copy what they merge: doubling at each level adds up as fast.
        (
            "m0: &m0 {k: v}\n"
            + "".join(
                f"m{i}: &m{i} {{<<: *m{i - 1}, x: *m{i - 1}, y: *m{i - 1}}}\n" for i in range(1, 20)
            ),
            10,  # m9's second alias, at its key x
            19,
        ),
        # A long string repeated is as costly downstream as a collection.
        ("s: &s " + "x" * 1_000_000 + "\nl: [" + ", ".join(["*s"] * 20) + "]\n", 2, 4),
    ],
)
def test_yaml_alias_bombs_are_refused_where_they_cross_the_limit(
    text: str, line: int, column: int
) -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", text)
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        f"too many aliases: they expand the document by more than {MAX_ALIAS_NODES:,} nodes",
        line,
        column,
    )


def test_yaml_an_alias_may_not_nest_a_deep_node_deeper_than_the_limit() -> None:
    half = MAX_DEPTH // 2 + 1
    text = f"a: &a {_nested(half)}\nb: {_nested(half).replace('x', '*a')}\n"
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", text)
    assert caught.value.message == f"too deeply nested: more than {MAX_DEPTH} levels"
    assert caught.value.line == 2


def test_yaml_an_alias_inside_its_own_anchor_is_an_error() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", "a: &a [*a]\n")
    assert caught.value.message == "invalid YAML: found unconstructable recursive node"
    assert caught.value.line == 1


def test_yaml_ordinary_anchors_and_merges_still_load() -> None:
    text = (
        "base: &base {Effect: Allow, Action: [s3:GetObject]}\n"
        "one: {<<: *base, Resource: a}\n"
        "two:\n  <<: *base\n  Resource: b\n"
        "url: 'https://example.com/?a=1&b=2'\n"
        "run: echo done 2>&1\n"
    )
    root = load_yaml("t.yaml", text).root
    assert root["one"] == {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "a"}
    assert root["two"]["Resource"] == "b" and root["two"]["Effect"] == "Allow"


def test_yaml_a_key_beside_a_merge_overrides_it_and_is_no_duplicate() -> None:
    """``<<: *read`` then ``Resource: b`` is how YAML overrides a merged key (RL601 said
    "only one of its values takes effect"); a key written twice beside it still is one."""
    text = (
        "base: &base {Effect: Allow, Resource: a}\n"
        "over:\n  <<: *base\n  Resource: b\n"
        "sources: {<<: [*base, {Resource: c}]}\n"  # two sources: no duplicate either
        "twice:\n  <<: *base\n  Resource: d\n  Resource: e\n"
    )
    loaded = load_yaml("t.yaml", text)
    root = loaded.root
    assert root["over"]["Resource"] == "b"
    assert [(d.key, d.second.line if d.second else None) for d in loaded.duplicates] == [
        ("Resource", 9)
    ]


@pytest.mark.parametrize("load", [load_yaml, load_json])
def test_crlf_line_ends_keep_lines_and_columns(load: Any) -> None:
    text = '{\r\n  "a": [\r\n    "b"\r\n  ]\r\n}\r\n'
    root = load("t", text).root
    assert root["a"].span_at(0) == Span(3, 5, 3, 8)
    assert root.key_span_of("a") == Span(2, 3, 2, 6)


@pytest.mark.parametrize("load", [load_yaml, load_json, _load_with_positions])
def test_cr_only_line_ends_keep_lines_and_columns(load: Any) -> None:
    """A file saved with old Mac line ends (a lone CR) was one line to the JSON loader, so a
    finding was at 1:81 where the same policy in YAML was at 4:13 (YAML counts a lone CR)."""
    text = '{\r  "a": [\r    "b"\r  ],\r\n  "c": 1\n}\r'
    root = load("t", text).root
    assert root["a"].span_at(0) == Span(3, 5, 3, 8)
    assert root.key_span_of("a") == Span(2, 3, 2, 6)
    assert root.key_span_of("c") == Span(5, 3, 5, 6)  # CRLF and LF still one break each


def test_an_error_in_a_cr_only_json_file_names_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_json("t.json", '{\r  "a": 1,\r  "b": "x\ty"\r}')  # a raw tab inside a string
    assert (caught.value.line, caught.value.column) == (3, 10)


def test_lines_so_far_counts_crlf_cr_and_lf_as_one_break_each() -> None:
    text = "a\r\nb\rc\nd"
    lines = LinesSoFar(text)
    # Offsets in order, one of them between the CR and the LF of the CRLF.
    assert [lines.at(offset) for offset in (0, 2, 3, 5, 7)] == [
        (1, 1),
        (2, 1),
        (2, 1),
        (3, 1),
        (4, 1),
    ]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("load", [load_json, _load_with_positions])
def test_nan_and_infinity_are_invalid_json_at_their_place(load: Any, constant: str) -> None:
    """Python's json reads NaN and the infinities; JSON has no such value and AWS refuses a
    document holding one, but rolelint read it (RL301 called a duration 'nan')."""
    with pytest.raises(LoadError) as caught:
        load("t.json", '{\n  "a": [1,\n    ' + constant + "]\n}")
    error = caught.value
    assert (error.message, error.line, error.column) == (
        f"invalid JSON: {constant} is not a JSON value",
        3,
        5,
    )


def test_a_json_number_keeps_the_text_it_is_written_as() -> None:
    from rolelint.parsers.tree import scalar_text

    root = load_json("t.json", '{"a": 4.32e4, "b": 1e400, "c": 3600.50, "d": 7}').root
    assert [scalar_text(root[key]) for key in "abcd"] == ["4.32e4", "1e400", "3600.50", "7"]
    assert root["a"] == 43200 and root["b"] == float("inf")


def test_empty_documents() -> None:
    assert load_yaml("t.yaml", "").root is None
    assert load_yaml("t.yaml", "  \n# a comment\n").root is None
    with pytest.raises(LoadError) as caught:
        load_json("t.json", " \n")
    assert caught.value.message == "invalid JSON: expecting a value"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            '{\n  "a": "cut',
            "invalid JSON: unterminated string starting at line 2 column 8",
            (2, 8),
        ),
        ('{"a": "x\ty"}', "invalid JSON: invalid control character at line 1 column 9", (1, 9)),
        ('{"a": "\\q"}', "invalid JSON: invalid \\escape", (1, 8)),
    ],
    ids=["unterminated", "control-character", "escape"],
)
def test_string_errors_read_as_whole_sentences(
    text: str, message: str, position: tuple[int, int]
) -> None:
    """Python's "Unterminated string starting at" waits for the position its str() appends:
    the error of a truncated plan or template read "invalid JSON: Unterminated string
    starting at" and stopped there."""
    with pytest.raises(LoadError) as caught:
        load_json("t.json", text)
    assert (caught.value.message, caught.value.line, caught.value.column) == (message, *position)


# --- the fast JSON path gives what the positioned reader gives ---------------------------------


def _same_tree(fast: Any, slow: Any, where: str = "$") -> None:
    """Equal values and equal spans for every key, value, item and container."""
    assert type(fast) is type(slow), where
    if isinstance(slow, PMap):
        assert list(fast) == list(slow), where
        assert (fast.span, fast.key_spans, fast.value_spans) == (
            slow.span,
            slow.key_spans,
            slow.value_spans,
        ), where
        for key in slow:
            _same_tree(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(slow, PSeq):
        assert (len(fast), fast.span, fast.item_spans) == (len(slow), slow.span, slow.item_spans)
        for index, (left, right) in enumerate(zip(fast, slow, strict=True)):
            _same_tree(left, right, f"{where}[{index}]")
    else:
        assert fast == slow or (fast != fast and slow != slow), where  # NaN is NaN


def _assert_json_paths_agree(text: str) -> None:
    try:
        slow = _load_with_positions("t.json", text)
    except LoadError as refused:
        with pytest.raises(LoadError) as caught:
            load_json("t.json", text)
        assert (caught.value.message, caught.value.line, caught.value.column) == (
            refused.message,
            refused.line,
            refused.column,
        )
        return
    fast = load_json("t.json", text)
    _same_tree(fast.root, slow.root)
    assert fast.duplicates == slow.duplicates


def test_json_fast_path_matches_the_positioned_reader_on_real_files(corpus: Path) -> None:
    """Every JSON file of the corpus and the fixtures: same values, spans and duplicates."""
    files = [*corpus.rglob("*.json"), *(REPO / "fixtures").rglob("*.json")]
    assert len(files) > 200
    for path in files:
        _assert_json_paths_agree(path.read_text(encoding="utf-8", errors="replace"))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(
    value=_json_values,
    indent=st.sampled_from([None, 0, 1, 2, "\t", "\r\n  ", "\r  "]),
    duplicate=st.booleans(),
    cut=st.integers(min_value=0, max_value=400),
)
def test_json_fast_path_matches_the_positioned_reader(
    value: Any, indent: Any, duplicate: bool, cut: int
) -> None:
    """Any document, however laid out, with duplicate keys, or cut short anywhere."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    if duplicate and text.startswith("{") and len(text) > 2:
        text = '{"d": 1, "d": [2],' + text[1:]
    _assert_json_paths_agree(text)
    _assert_json_paths_agree(text[:cut])


def test_numbers_too_long_to_read_are_an_error_not_a_crash() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", "a: 1\nb: " + "9" * 5000)
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        "invalid YAML: number too long to read",
        2,
        4,
    )
    with pytest.raises(LoadError) as caught:
        load_json("t.json", '{"a": ' + "9" * 5000 + "}")
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        "invalid JSON: number too long to read",
        1,
        7,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!map x", "invalid YAML: expected a mapping node, but found scalar"),
        ("a: !!seq {b: 1}", "invalid YAML: expected a sequence node, but found mapping"),
    ],
)
def test_yaml_a_collection_tag_on_the_wrong_node_is_a_yaml_error(text: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml("t.yaml", text)
    assert (caught.value.message, caught.value.line) == (message, 1)
