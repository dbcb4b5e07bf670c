"""A Markdown summary to post as a pull- or merge-request comment.

Reviewers read it on GitHub or GitLab, so it leads with the verdict: counts by severity, then
one table row per active finding, worst first, each rule linked to its documentation.  Input
errors get their own list (those files were not checked at all), notes another; suppressed
findings stay out of the way in a collapsed block, each with its reason, so that accepting a
risk remains visible.

Everything taken from scanned files (paths, resource names, messages quoting policy values) is
escaped: it can neither break the table nor be rendered as links, images or HTML (a word GFM
would link by itself, ``https://...``, becomes a code span), and its control characters are
shown as text (``\x1b``): the comment is often printed on a terminal first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rolelint.findings import Finding, InputError, Report, Severity, Suppression
from rolelint.reporters import counted
from rolelint.reporters.common import repo_path, rule_doc_url
from rolelint.reporters.json_report import sorted_errors, sorted_findings, sorted_notices
from rolelint.reporters.text import clean
from rolelint.source import UNIVERSAL_BREAKS

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.reporters import RenderOptions

HEADING = "## rolelint"
KINDS = {"inSource": "in source", "external": "external"}

# What would start inline Markdown or HTML, or end a table cell: `code`, *emphasis*, [links],
# <html>, &entities;, ~strike~ and |.  Backslash escapes are CommonMark's, kept by GFM tables.
# And $, which GitHub takes for math ($...$ is rendered as LaTeX, and ${aws:username} is common
# in policies): a backslash does not stop it there, so it is written as a character reference.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|$])")
_DOLLAR = "&#36;"


# What GFM (and GitHub's own pass over the rendered text) would turn into a link without any
# Markdown syntax: "www.", a scheme's "://" and an e-mail address or "@mention".  Backslash
# escapes and character references do not stop them: GitHub links the text they stand for.
_LINKABLE = re.compile(r"www\.|://|@", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_PUNCTUATION = ".,;:!?"


def text(value: str, *, in_table: bool = True) -> str:
    """Plain text in a table cell or list item: Markdown escaped, line breaks as ``<br>``, and
    each word that could become a link (``https://...``, ``www.``, ``a@b.c``) a code span,
    which no autolink enters: it is shown, and copied, exactly as written."""
    return "<br>".join(_line(clean(line), in_table) for line in UNIVERSAL_BREAKS.split(value))


def _escape(text: str) -> str:
    """Markdown's special characters written as text."""
    return _SPECIAL.sub(_escaped, text)


def _escaped(special: re.Match[str]) -> str:
    character = special.group()
    return _DOLLAR if character == "$" else "\\" + character


def _trimmed(word: str) -> str:
    """``word`` without a sentence's full stop or comma, or a closing parenthesis it does not
    open: kept outside the code span, where alone they link nothing."""
    while True:
        word = word.rstrip(_PUNCTUATION)
        if not (word.endswith(")") and word.count(")") > word.count("(")):
            return word
        word = word[:-1]


def _line(line: str, in_table: bool) -> str:
    if _LINKABLE.search(line) is None:
        return _escape(line)
    parts = []
    last = 0
    for word in _WORD.finditer(line):
        linkable, start = _trimmed(word.group()), word.start()
        if linkable.startswith("("):
            linkable, start = linkable[1:], start + 1
        if _LINKABLE.search(linkable) is not None:
            parts.append(_escape(line[last:start]))
            parts.append(code(linkable, in_table=in_table))
            last = start + len(linkable)
    parts.append(_escape(line[last:]))
    return "".join(parts)


def code(value: str, *, in_table: bool = True) -> str:
    """A code span: shown verbatim, whatever backticks the value holds.

    Its fence is one backtick longer than the longest run inside; a space pads a value that
    starts or ends with a backtick or a space (CommonMark strips exactly one from each side).
    In a table, ``|`` ends the cell even inside a code span unless it is escaped; elsewhere the
    escape would be shown.
    """
    value = clean(UNIVERSAL_BREAKS.sub(" ", value))
    if in_table:
        value = value.replace("|", "\\|")
    if not value:
        return ""
    runs = re.findall(r"`+", value)
    fence = "`" * (max((len(run) for run in runs), default=0) + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _rule_link(finding: Finding) -> str:
    return f'[{text(finding.rule_id)}]({rule_doc_url(finding.rule_id)} "{finding.rule}")'


def _cells(finding: Finding) -> list[str]:
    return [
        finding.severity.value,
        _rule_link(finding),
        code(f"{repo_path(finding.file)}:{finding.location.line}"),
        code(finding.resource),
        text(finding.message),
    ]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(cells) for cells in rows)]


def _reason(suppression: Suppression) -> str:
    detail = KINDS.get(suppression.kind, suppression.kind)
    if suppression.expires:
        detail += f", expires {suppression.expires}"
    return f"{text(suppression.reason)} ({text(detail)})"


def _where(item: InputError) -> str:
    where = repo_path(item.file)
    if item.line is not None:
        where += f":{item.line}"
        if item.column is not None:
            where += f":{item.column}"
    return code(where, in_table=False)


def _error_list(heading: str, errors: list[InputError]) -> list[str]:
    """The lines of one list of input errors under ``heading`` (none when there are none)."""
    if not errors:
        return []
    items = [f"- {_where(error)} {text(error.message, in_table=False)}" for error in errors]
    return ["", heading, "", *items]


def _summary(report: Report, active: list[Finding]) -> str:
    files = counted(report.files_analyzed, "file")
    if not active:
        return f"**No findings** in {files}."
    counts = report.counts_by_severity()
    by_severity = ", ".join(f"{counts[severity.value]} {severity.value}" for severity in Severity)
    return f"**{counted(len(active), 'finding')}** in {files}: {by_severity}."


def render_markdown(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> str:
    """The comment, ending with a newline; readable as plain text too."""
    findings = sorted_findings(report)
    # Worst first; within a severity, report order (file, line, column, rule).
    active = sorted((f for f in findings if f.suppression is None), key=lambda f: -f.severity.rank)
    suppressed = [finding for finding in findings if finding.suppression is not None]
    lines = [HEADING, "", _summary(report, active)]
    if active:
        header = ["severity", "rule", "location", "resource", "message"]
        lines += ["", *_table(header, [_cells(finding) for finding in active])]
    errors = sorted_errors(report)
    if errors:
        lines += ["", f"### {counted(len(errors), 'input error')}"]
        # A file that could not be read or parsed was not analyzed; an invalid suppression is
        # an error in a file that was (its findings are in the table).
        unread = report.unread_files()
        lines += _error_list(
            "These files could not be analyzed:", [e for e in errors if e.file in unread]
        )
        lines += _error_list(
            "In files that were analyzed:", [e for e in errors if e.file not in unread]
        )
    notices = sorted_notices(report)
    if notices:
        # Not only what was deliberately not read: also expired or unused suppressions and
        # baseline entries that no longer occur (the text format's "note:" lines).
        lines += ["", "### Notes", ""]
        lines += [
            f"- {_where(notice)} {text(notice.message, in_table=False)}" for notice in notices
        ]
    if suppressed:
        header = ["severity", "rule", "location", "resource", "message", "reason"]
        rows = [
            [*_cells(finding), _reason(finding.suppression)]
            for finding in suppressed
            if finding.suppression is not None
        ]
        summary = f"<summary>{counted(len(suppressed), 'suppressed finding')}</summary>"
        lines += ["", "<details>", summary, "", *_table(header, rows), "", "</details>"]
    if options.version:
        lines += ["", f"<sub>rolelint {text(options.version)}</sub>"]
    return "\n".join(lines) + "\n"
