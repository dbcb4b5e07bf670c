"""The Markdown summary: read back through a CommonMark parser with GFM tables.

markdown-it-py (installed with rich) renders the comment as GitHub would parse it, so the tests
check what a reviewer sees: how many rows each table has, what each cell says, and that nothing
from a scanned file turns into a link, an image, emphasis or HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from rolelint.catalog import load_catalog
from rolelint.findings import InputError, Report
from rolelint.reporters import RenderOptions, render
from rolelint.reporters.common import RULES_DOC_URL, rule_doc_url
from rolelint.reporters.markdown import code, text
from rolelint.source import Span
from tests.conftest import REPO
from tests.reporters.samples import ci_sample_report, finding, sample_report, sample_rules

markdown_it = pytest.importorskip("markdown_it")

OPTIONS = RenderOptions(version="9.9.9")
Table = list[list[str]]


class _Page(HTMLParser):
    """Tables (rows of cell texts), link targets and the tags used in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _markdown(report: Report) -> str:
    return render("markdown", report, sample_rules(), OPTIONS)


def _page(markdown: str) -> tuple[_Page, str]:
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    page = _Page()
    page.feed(html)
    return page, html


def test_sample_tables_rows_and_cells() -> None:
    report = ci_sample_report()
    page, _ = _page(_markdown(report))
    findings, suppressed = page.tables
    assert findings[0] == ["severity", "rule", "location", "resource", "message"]
    assert len(findings) - 1 == len(report.active_findings) == 4
    assert len(suppressed) - 1 == len(report.suppressed_findings) == 2
    assert all(len(row) == 5 for row in findings)
    assert all(len(row) == 6 for row in suppressed)
    # Worst first: critical, high, medium, info.
    assert [row[0] for row in findings[1:]] == ["critical", "high", "medium", "info"]
    assert findings[1] == [
        "critical",
        "RL101",
        "templates/app.yaml:12",
        "AppRole",
        "The trust policy allows any AWS principal ('*') to assume the role",
    ]
    assert suppressed[2][1:] == [
        "RL207",
        "templates/app.yaml:64",
        "DeployRole",
        "The policy allows sts:AssumeRole on any role ('*')",
        "the deploy role assumes a role in every account; approved in SEC-42 (in source)",
    ]
    assert suppressed[1][-1] == "in the baseline (external, expires 2027-01-31)"


def test_raw_rows_one_line_each() -> None:
    markdown = _markdown(ci_sample_report())
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(rows) == (1 + 1 + 4) + (1 + 1 + 2)  # header, delimiter, rows; twice


def test_summary_counts_active_findings_by_severity() -> None:
    markdown = _markdown(ci_sample_report())
    assert markdown.startswith("## rolelint\n\n")
    assert "**4 findings** in 2 files: 1 critical, 1 high, 1 medium, 0 low, 1 info.\n" in markdown


def test_suppressed_findings_are_collapsed() -> None:
    markdown = _markdown(ci_sample_report())
    details = markdown[markdown.index("<details>") : markdown.index("</details>")]
    assert "<summary>2 suppressed findings</summary>" in details
    assert "SEC-42" in details
    assert "SEC-42" not in markdown.replace(details, "")


def test_input_errors_and_notices_are_listed() -> None:
    markdown = _markdown(ci_sample_report())
    assert (
        "### 2 input errors\n\nThese files could not be analyzed:\n\n"
        "- `binary.json` binary file, not a template or policy\n"
        "- `broken.yaml:3:7` mapping values are not allowed here\n"
    ) in markdown
    assert "### Notes\n\n- `main.tf:9:1` module vpc is not a local module\n" in markdown


@pytest.mark.usefixtures("posix_paths")
def test_a_backslash_in_a_file_name_stays_where_it_separates_nothing() -> None:
    """On Linux ``a\\b.yaml`` is one file: ``a/b.yaml`` would name a file that is not there."""
    report = Report(findings=[finding(file="r_bs/a\\b.yaml", span=Span(11, 20, 11, 23))])
    markdown = _markdown(report)
    assert "| `r_bs/a\\b.yaml:11` | `AppRole` |" in markdown


def test_errors_in_analyzed_files_are_not_called_not_analyzed() -> None:
    """An invalid suppression is an error in a file whose findings are in the table above: it
    is listed apart from the files that could not be read or parsed."""
    report = Report(
        findings=[finding(file="s.yaml", span=Span(19, 25, 19, 29))],
        errors=[
            InputError("s.yaml", "the suppression of RL202 needs a reason", 19),
            InputError("broken.yaml", "invalid YAML: ...", 4, 1),
        ],
        files_analyzed=1,
        analyzed_files={"s.yaml"},
    )
    markdown = _markdown(report)
    assert "| `s.yaml:19` | `AppRole` |" in markdown
    assert (
        "### 2 input errors\n\nThese files could not be analyzed:\n\n"
        "- `broken.yaml:4:1` invalid YAML: ...\n\n"
        "In files that were analyzed:\n\n"
        "- `s.yaml:19` the suppression of RL202 needs a reason\n"
    ) in markdown


def test_notes_that_are_not_about_unread_files_are_not_called_not_analyzed() -> None:
    """An expired suppression or a baseline entry that no longer occurs is a note: the file
    was analyzed."""
    report = Report(
        notices=[
            InputError("app.yaml", "suppression of RL202 expired on 2020-01-01", 19, 25),
            InputError("base.json", "1 finding of the baseline no longer occurs"),
        ]
    )
    markdown = _markdown(report)
    assert "Not analyzed" not in markdown
    assert (
        "### Notes\n\n- `app.yaml:19:25` suppression of RL202 expired on 2020-01-01\n"
        "- `base.json` 1 finding of the baseline no longer occurs\n"
    ) in markdown


def test_rule_links_point_at_the_rule_sections() -> None:
    page, _ = _page(_markdown(ci_sample_report()))
    assert page.links == [
        f"{RULES_DOC_URL}#rl101",
        f"{RULES_DOC_URL}#rl401",
        f"{RULES_DOC_URL}#rl202",
        f"{RULES_DOC_URL}#rl101",
        f"{RULES_DOC_URL}#rl101",
        f"{RULES_DOC_URL}#rl207",
    ]


def test_every_rule_has_the_section_its_link_names() -> None:
    """docs/rules.md has "## RLxxx" per rule; GitHub turns it into the anchor "#rlxxx"."""
    headings = re.findall(r"^## (RL\d+)$", (REPO / "docs" / "rules.md").read_text("utf-8"), re.M)
    rules = sorted(load_catalog())
    assert sorted(headings) == rules
    assert all(rule_doc_url(rule).endswith("/docs/rules.md#" + rule.lower()) for rule in rules)


def test_no_findings_is_said_plainly() -> None:
    report = sample_report()
    report.findings = []
    report.errors = []
    markdown = _markdown(report)
    assert markdown == "## rolelint\n\n**No findings** in 2 files.\n\n<sub>rolelint 9.9.9</sub>\n"
    assert "|" not in render("markdown", Report(), sample_rules(), RenderOptions())


def test_only_suppressed_findings() -> None:
    report = ci_sample_report()
    report.findings = report.suppressed_findings
    page, _ = _page(_markdown(report))
    (suppressed,) = page.tables
    assert len(suppressed) == 3
    assert "**No findings** in 2 files." in _markdown(report)


def test_content_from_scanned_files_is_only_text() -> None:
    message = "a | b\nc *d* _e_ <script>alert(1)</script> [x](https://e.example) ![i](j) `t` "
    message += "&amp; ~~s~~ \\| end"
    report = Report(
        findings=[finding(message=message, resource="x|y`z ", file="dir|x/a`b.yaml")],
        errors=[InputError("e|f.yaml", "bad <b>bold</b> | [l](m)")],
    )
    page, html = _page(_markdown(report))
    ((header, row),) = page.tables
    assert len(row) == len(header) == 5
    assert row[2:] == ["dir|x/a`b.yaml:1", "x|y`z ", message]
    assert page.links == [rule_doc_url("RL101")]
    assert page.tags.isdisjoint({"script", "em", "img", "del", "b"})
    assert html.count("<strong>") == 1  # the summary's own
    assert "<li><code>e|f.yaml</code> bad &lt;b&gt;bold&lt;/b&gt; | [l](m)</li>" in html


def test_dollar_signs_from_scanned_files_cannot_start_math() -> None:
    """GitHub renders ``$...$`` as LaTeX math, and a backslash does not stop it there: a policy
    named ``cost$\\sqrt{x}$center``, or two ``${aws:username}`` in a message, had the text
    between them rendered as math.  Each ``$`` is a character reference, shown as ``$``."""
    message = "Inline policy 'cost$\\sqrt{x}$center' allows s3:* on ${aws:username}/${aws:userid}"
    assert text("a $x$ b ${aws:username}") == "a &#36;x&#36; b &#36;{aws:username}"
    markdown = _markdown(Report(findings=[finding(message=message)]))
    assert "$" not in markdown
    page, _ = _page(markdown)
    ((_, row),) = page.tables
    assert row[-1] == message  # shown as written
    assert code("a$b$c") == "`a$b$c`"  # a code span shows it as it is


class _LooseText(HTMLParser):
    """The text of rendered HTML outside code spans and links: where GFM's autolinks (and
    GitHub's own pass over the page) would find ``www.``, ``https://`` or ``a@b.c``."""

    def __init__(self) -> None:
        super().__init__()
        self.loose: list[str] = []
        self._inside = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside += tag in ("code", "a")

    def handle_endtag(self, tag: str) -> None:
        self._inside -= tag in ("code", "a")

    def handle_data(self, data: str) -> None:
        if not self._inside:
            self.loose.append(data)


def test_a_value_that_gfm_would_link_by_itself_is_a_code_span() -> None:
    """GFM links ``https://...``, ``www.`` and e-mail addresses with no Markdown syntax, and a
    backslash escape does not stop it on GitHub: such a word is shown as code, verbatim."""
    message = (
        "Inline policy 'see https://evil.example.com/p?x=1 and www.evil.com' of role R; "
        "user/alice@example.com may assume 'WWW.x.org/a:aud' (see https://d.example/x)."
    )
    report = Report(
        findings=[finding(message=message)],
        notices=[InputError("a.yaml", "ftp://x.example.org|y")],
    )
    markdown = _markdown(report)
    assert (
        "Inline policy 'see `https://evil.example.com/p?x=1` and `www.evil.com'` of role R; "
        "`user/alice@example.com` may assume `'WWW.x.org/a:aud'` (see `https://d.example/x`). |"
    ) in markdown
    assert "- `a.yaml` `ftp://x.example.org|y`\n" in markdown  # a list item: | as it is
    page, html = _page(markdown)
    assert page.tables[0][1][4] == message  # copied as written
    loose = _LooseText()
    loose.feed(html)
    assert not [text for text in loose.loose if re.search(r"www\.|://|@", text, re.I)]
    assert page.links == [rule_doc_url("RL101")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``x", "``` ``x ```"),
        (" padded ", "`  padded  `"),
        ("a|b", "`a\\|b`"),
        ("two\nlines", "`two lines`"),
        ("", ""),
    ],
)
def test_code_spans(value: str, expected: str) -> None:
    assert code(value) == expected


def test_pipes_are_escaped_in_code_spans_only_inside_tables() -> None:
    assert code("a|b", in_table=False) == "`a|b`"


def test_text_escapes() -> None:
    assert text("a|b*c_d\\e`f<g>h&i~j[k]l\r\nm") == (
        "a\\|b\\*c\\_d\\\\e\\`f\\<g\\>h\\&i\\~j\\[k\\]l<br>m"
    )


def test_deterministic() -> None:
    first = _markdown(ci_sample_report())
    shuffled = ci_sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    shuffled.notices.reverse()
    assert _markdown(shuffled) == first


def test_control_characters_from_scanned_files_are_shown_as_text() -> None:
    """A file or role named with an escape sequence reached the terminal the comment was
    printed on."""
    assert text("evil\x1b]0;title\x07") == "evil\\\\x1b\\]0;title\\\\x07"
    assert code("a\x1b[2Jb") == "`a\\x1b[2Jb`"
