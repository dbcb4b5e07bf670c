"""The text reporter: readable blocks, carets under the right columns, colour only on request."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.findings import InputError, Report
from rolelint.reporters import RenderOptions, render
from rolelint.reporters.text import _cells, clean
from rolelint.source import Span
from tests.reporters.samples import (
    APP,
    TRUST_LINE,
    chain_finding,
    ci_sample_report,
    finding,
    outside_chain_finding,
    sample_report,
    sample_rules,
    suppressed_finding,
    trust_finding,
)

PLAIN = RenderOptions()
COLOR = RenderOptions(color=True)


def _text(report: Report, options: RenderOptions = PLAIN) -> str:
    return render("text", report, sample_rules(), options)


def _lines_after(text: str, header_start: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    return lines[start : start + 4]


def test_finding_block() -> None:
    text = _text(Report(findings=[trust_finding()], snippets={(APP, 12): TRUST_LINE}))
    assert _lines_after(text, APP) == [
        f"{APP}:12:18  CRITICAL  RL101 trust-policy-allows-anyone"
        "  The trust policy allows any AWS principal ('*') to assume the role",
        "    " + TRUST_LINE,
        "    " + " " * 17 + "^~~",
        "    resource: AppRole  role: AppRole",
    ]


def test_caret_sits_under_the_span() -> None:
    text = _text(Report(findings=[trust_finding()], snippets={(APP, 12): TRUST_LINE}))
    source, marker = text.splitlines()[1:3]
    start = marker.index("^")
    assert source[start : start + len(marker.strip())] == "'*'"


def test_caret_keeps_tabs_and_clips_to_the_line() -> None:
    report = Report(
        findings=[finding(span=Span(3, 3, 3, 40))], snippets={(APP, 3): "\t\tAction: '*'"}
    )
    marker = _text(report).splitlines()[2]
    assert marker == "    \t\t^" + "~" * 10  # clipped to "Action: '*'"


def test_multi_line_span_or_no_span_gets_one_caret() -> None:
    multi = Report(findings=[finding(span=Span(5, 3, 7, 1))], snippets={(APP, 5): "  Policy:"})
    assert _text(multi).splitlines()[2] == "      ^"
    point = Report(findings=[finding(span=Span.point(5, 3))], snippets={(APP, 5): "  Policy:"})
    assert _text(point).splitlines()[2] == "      ^"


def test_without_snippet_no_source_lines() -> None:
    lines = _text(Report(findings=[trust_finding()])).splitlines()
    assert lines[1] == "    resource: AppRole  role: AppRole"


def test_no_role_shows_only_the_resource() -> None:
    lines = _text(Report(findings=[finding(role=None, resource="policy.json")])).splitlines()
    assert lines[1] == "    resource: policy.json"


def test_chaining_path() -> None:
    lines = _text(Report(findings=[chain_finding()])).splitlines()
    assert lines[2] == f"    path: CiRole ({APP}:30) -> AdminRole ({APP}:41)"


def test_a_hop_defined_nowhere_has_no_place() -> None:
    """It printed "codebuild.amazonaws.com (:0)"."""
    lines = _text(Report(findings=[outside_chain_finding()])).splitlines()
    assert (
        lines[2]
        == f"    path: codebuild.amazonaws.com -> CiRole ({APP}:30) -> AdminRole ({APP}:41)"
    )


def test_grouped_by_file_in_order() -> None:
    pattern = re.compile(r"^(.+?):\d+:\d+  [A-Z]+  RL\d+ ")
    matches = [pattern.match(line) for line in _text(sample_report()).splitlines()]
    files = [match.group(1) for match in matches if match]
    assert files == ["policies/admin policy.json", APP, APP, APP]


def test_errors() -> None:
    lines = _text(sample_report()).splitlines()
    assert "binary.json: error: binary file, not a template or policy" in lines
    assert "broken.yaml:3:7: error: mapping values are not allowed here" in lines
    assert lines.index("binary.json: error: binary file, not a template or policy") < lines.index(
        "broken.yaml:3:7: error: mapping values are not allowed here"
    )


def test_summary_line() -> None:
    assert _text(sample_report()).splitlines()[-1] == (
        "4 findings (1 critical, 1 high, 1 medium, 0 low, 1 info) in 2 files; 1 skipped"
        " (1 not a CloudFormation template or IAM policy); 2 errors"
    )


def test_summary_without_findings() -> None:
    report = Report(files_analyzed=1, files_skipped=4)
    assert _text(report) == "0 findings in 1 file; 4 skipped; 0 errors\n"
    one = Report(findings=[finding()], errors=[InputError("x.yaml", "bad")], files_analyzed=2)
    assert _text(one).splitlines()[-1] == (
        "1 finding (1 critical, 0 high, 0 medium, 0 low, 0 info) in 2 files; 0 skipped; 1 error"
    )


def test_the_summary_names_the_formats_that_give_the_reasons_of_suppressed_findings() -> None:
    """It read "1 suppressed (reasons: --format json, sarif or markdown)", as if the formats were
    the reasons.  Each of the three lists every suppressed finding with its reason."""
    one = Report(findings=[suppressed_finding()], files_analyzed=1)
    assert _text(one).splitlines()[-1] == (
        "0 findings, 1 suppressed (--format json, sarif or markdown lists it with its reason)"
        " in 1 file; 0 skipped; 0 errors"
    )
    two = ci_sample_report()
    summary = _text(two).splitlines()[-1]
    assert ", 2 suppressed (--format json, sarif or markdown lists them with their reasons) in" in (
        summary
    )
    for name in ("json", "sarif", "markdown"):
        shown = render(name, two, sample_rules(), PLAIN)
        for each in two.suppressed_findings:
            assert each.suppression is not None and each.suppression.reason in shown, name


def test_quiet_has_no_summary() -> None:
    text = _text(sample_report(), RenderOptions(quiet=True))
    assert "findings (" not in text and "skipped" not in text
    assert f"{APP}:12:18  CRITICAL" in text
    assert "broken.yaml:3:7: error:" in text


def test_quiet_and_clean_prints_nothing() -> None:
    assert _text(Report(files_analyzed=3), RenderOptions(quiet=True)) == ""


def test_plain_has_no_escape_codes() -> None:
    assert "\x1b" not in _text(sample_report())


def test_color_has_escape_codes_and_the_same_words() -> None:
    colored = _text(sample_report(), COLOR)
    assert "\x1b[" in colored
    stripped = _strip_ansi(colored)
    assert stripped == _text(sample_report())


def test_color_does_not_interpret_markup_in_user_content() -> None:
    user_text = finding(message="[bold]not markup[/bold] :smile:", resource="[red]X")
    report = Report(findings=[user_text])
    stripped = _strip_ansi(_text(report, COLOR))
    assert "[bold]not markup[/bold] :smile:" in stripped
    assert "resource: [red]X" in stripped


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_quiet_with_only_errors_prints_the_errors() -> None:
    report = Report(errors=[InputError("broken.yaml", "mapping values are not allowed here", 3, 7)])
    text = _text(report, RenderOptions(quiet=True))
    assert text == "broken.yaml:3:7: error: mapping values are not allowed here\n"


def test_control_characters_from_user_files_are_escaped() -> None:
    hostile = finding(
        message="evil \x1b[2J message",
        resource="Res\x07",
        span=Span(4, 6, 4, 9),
    )
    report = Report(
        findings=[hostile],
        errors=[InputError("bad\x1b.yaml", "oops \x1b]0;title\x07")],
        snippets={(APP, 4): "  \x1b: '*'"},
    )
    for options in (PLAIN, COLOR):
        text = _strip_ansi(_text(report, options))
        assert "\x1b" not in text and "\x07" not in text
        assert "evil \\x1b[2J message" in text
        assert "resource: Res\\x07" in text
        assert "bad\\x1b.yaml: error: oops \\x1b]0;title\\x07" in text
    # The escaped control character is four cells wide: the caret still sits under "'*'".
    source, marker = _text(report).splitlines()[1:3]
    assert source == "      \\x1b: '*'"
    start = marker.index("^")
    assert source[start : start + len(marker.strip())] == "'*'"


def test_invisible_and_reordering_characters_are_escaped() -> None:
    """A right-to-left override (U+202E) or a zero-width space (U+200B) in a role name made the
    printed text read as something else ("R<RLO>oot" showed as "Rtoo"); line separators
    (U+2028) broke a line where the reader sees none.  Printed escaped, as control characters
    are and as the graph drawings print them; other non-ASCII text is unchanged."""
    hostile = finding(
        message="role R\u202eoot trusts \u2028'arn:aws:iam::111122223333:root\u200b' \U000e0041",
        resource="Ré",
        span=Span(4, 6, 4, 9),
    )
    report = Report(findings=[hostile], snippets={(APP, 4): "  \u200b: '*'"})
    for options in (PLAIN, COLOR):
        text = _strip_ansi(_text(report, options))
        assert not {"\u202e", "\u200b", "\u2028", "\U000e0041"} & set(text)
        assert (
            "role R\\u202eoot trusts \\u2028'arn:aws:iam::111122223333:root\\u200b' \\U000e0041"
        ) in text
        assert "resource: Ré" in text
    # Six cells wide as printed: the caret still sits under "'*'".
    source, marker = _text(report).splitlines()[1:3]
    assert source == "      \\u200b: '*'"
    start = marker.index("^")
    assert source[start : start + len(marker.strip())] == "'*'"


def _read_as_workflow_command(line: str) -> bool:
    """What GitHub Actions' runner takes for a command in a job's log: a line starting with "::"
    after blank space, or holding "##[" anywhere (the older form)."""
    return line.lstrip().startswith("::") or "##[" in line


INJECTED = "::warning file=README.md,line=1::looks good.yaml"


def test_nothing_from_a_user_file_reads_as_a_workflow_command_in_a_ci_log() -> None:
    """A file name, message, resource or source line could otherwise annotate, mask
    (::add-mask::) or mute (::stop-commands::) the job's log."""
    hostile = finding(
        file=INJECTED,
        message="allows ##[error]injected",
        resource="##[set-output name=x;]y",
        role="###[warning]z",
        span=Span(2, 5, 2, 7),
    )
    report = Report(
        findings=[hostile],
        errors=[InputError(" ::error::x.yaml", "bad ##[error]x", 1, 1)],
        notices=[InputError("::stop-commands::tok", "skipped")],
        snippets={(INJECTED, 2): "\t ::add-mask::'*'"},
    )
    for options in (PLAIN, COLOR):
        lines = _strip_ansi(_text(report, options)).splitlines()
        assert not [line for line in lines if _read_as_workflow_command(line)]
    lines = _text(report).splitlines()
    assert lines[0].startswith(f"./{INJECTED}:2:5  CRITICAL  RL101")
    assert lines[0].endswith("allows #\\x23[error]injected")
    assert lines[3] == "    resource: #\\x23[set-output name=x;]y  role: ##\\x23[warning]z"
    assert lines[5:8] == [
        "./ ::error::x.yaml:1:1: error: bad #\\x23[error]x",
        "",
        "./::stop-commands::tok: note: skipped",
    ]


def test_a_source_line_read_as_a_workflow_command_keeps_its_caret() -> None:
    report = Report(
        findings=[finding(span=Span(2, 5, 2, 8)), finding(span=Span(3, 5, 3, 8))],
        snippets={(APP, 2): "\t ::'*'", (APP, 3): "a ##[*]"},
    )
    lines = _text(report).splitlines()
    assert lines[1:3] == ["    \t \\x3a:'*'", "    \t    " + " " * 2 + "^~~"]
    # The escaped "#" is right before the span: the caret still sits under "[*]".
    assert lines[6] == "    a #\\x23[*]"
    start = lines[7].index("^")
    assert lines[6][start : start + len(lines[7].strip())] == "[*]"


def test_a_name_is_only_changed_where_a_log_would_misread_it() -> None:
    report = Report(
        findings=[finding(file="a::b.yaml", message="ok :: ## [ #[")],
        snippets={(APP, 12): "x::y"},
    )
    assert _text(report).splitlines()[0].startswith("a::b.yaml:1:1  CRITICAL")
    assert _text(report).splitlines()[0].endswith("ok :: ## [ #[")


def test_a_lone_surrogate_is_escaped_and_measured_as_printed() -> None:
    """A byte of a name that is not UTF-8 (``caf\\udce9``) is printed escaped, six cells wide:
    counted as one, it shifted the caret."""
    report = Report(
        findings=[finding(file="caf\udce9.yaml", span=Span(2, 5, 2, 8))],
        snippets={("caf\udce9.yaml", 2): "\udce9x: '*'"},
    )
    lines = _text(report).splitlines()
    assert lines[0].startswith("caf\\udce9.yaml:2:5  CRITICAL")
    assert lines[1:3] == ["    \\udce9x: '*'", "    " + " " * 9 + "^~~"]


def test_caret_under_wide_characters() -> None:
    # Columns count characters; each CJK character takes two cells on a terminal.
    report = Report(
        findings=[finding(span=Span(2, 9, 2, 12))],
        snippets={(APP, 2): "  ロール名: '*'"},
    )
    marker = _text(report).splitlines()[2]
    assert marker == "    " + " " * 12 + "^~~"


def test_caret_past_the_end_of_the_line() -> None:
    report = Report(findings=[finding(span=Span(2, 30, 2, 35))], snippets={(APP, 2): "  short"})
    assert _text(report).splitlines()[2] == "    " + " " * 7 + "^"


def test_long_lines_are_cut_around_the_finding() -> None:
    """A one-line Terraform plan must not be printed whole under every finding."""
    line = '{"a":"' + "x" * 500 + '","Action":"*","b":"' + "y" * 500 + '"}'
    column = line.index('"*"') + 1
    report = Report(
        findings=[finding(file="plan.json", span=Span(1, column, 1, column + 3))],
        snippets={("plan.json", 1): line},
    )
    shown, marker = _lines_after(_text(report), "plan.json")[1:3]
    assert len(shown) < 200
    assert shown.startswith("    …") and shown.endswith("…")
    assert marker.index("^") == shown.index('"*"') and marker.endswith("^~~")


def _escape(c: str) -> str:
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _visible_each(text: str) -> str:
    """What clean means, one character at a time: control characters but tabs, lone
    surrogates, invisible format characters and line separators escaped, and the second "#"
    of "##[" (a workflow command of GitHub Actions' older form)."""
    escaped = ("Cc", "Cs", "Cf", "Zl", "Zp")
    return "".join(
        _escape(c)
        if (c != "\t" and unicodedata.category(c) in escaped) or text[i - 1 : i + 2] == "##["
        else c
        for i, c in enumerate(text)
    )


def _cells_each(text: str) -> str:
    """What _cells means, one character at a time (its slow path)."""
    blank = []
    for char in text:
        if char == "\t":
            blank.append(char)
        elif not unicodedata.combining(char):
            shown = _visible_each(char)
            wide = len(shown) == 1 and unicodedata.east_asian_width(char) in ("W", "F")
            blank.append(" " * (2 if wide else len(shown)))
    return "".join(blank)


@settings(max_examples=2000, derandomize=True, database=None)
@given(
    st.text(
        st.one_of(
            st.characters(max_codepoint=0xA0),  # ASCII, tabs, C0, DEL and C1 controls
            st.sampled_from(
                [
                    *("…", "é", "\u0301", "漢", "\uff21", "\u2028", "\ufeff", "#", "[", "\udce9"),
                    *("\u202e", "\u200b", "\U000e0041", "\u3000", "\U0001f600"),
                ]
            ),
            st.characters(),
        ),
        max_size=40,
    )
)
def test_escaping_and_widths_agree_with_asking_each_character(text: str) -> None:
    """clean and _cells look for control characters with one expression and take a fast path
    for ASCII: they must say what asking each character's category and width says."""
    assert clean(text) == _visible_each(text)
    assert _cells(text) == _cells_each(text)
