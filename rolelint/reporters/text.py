"""The terminal report: one block per finding, the offending source line underlined.

The layout is built once as styled segments; plain output joins them (rich is never imported),
colour output hands them to rich as ``Text`` objects, so nothing from a user's file is ever
parsed as rich markup.  Control characters from a user's file are shown escaped (``\\x1b``),
so a hostile template cannot send escape sequences to the terminal.

The report is often printed in a CI job's log, where GitHub Actions reads a line as a workflow
command when it starts, after blank space, with ``::`` (``::error``, ``::add-mask::``,
``::stop-commands::``), and, in the older form, wherever it holds ``##[``.  A file name, message
or source line must not be able to annotate, mask or mute the log: a printed name that would
start a line with ``::`` (or blank space) is written ``./::...``, which names the same file; the
second ``#`` of ``##[`` and a source line's leading ``:`` of ``::`` are escaped like control
characters (``#\\x23[``, ``\\x3a:``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from rolelint.findings import Finding, InputError, Report, Severity
from rolelint.reporters import counted
from rolelint.reporters.json_report import sorted_errors, sorted_findings, sorted_notices

if TYPE_CHECKING:
    from rolelint.reporters import RenderOptions

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]

INDENT = "    "
# Longer source lines (a one-line Terraform plan, minified JSON) are shown as a window around the
# finding: the whole line would flood the terminal, and could print values such as passwords.
MAX_SNIPPET = 160
CONTEXT = 40
ELLIPSIS = "…"

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "blue",
}


# Escaped when printed: the control characters (Unicode category Cc: C0, DEL and C1) but tab;
# lone surrogates (Cs: a byte of a file name that is not UTF-8), which the output would print
# escaped anyway (``\udce9``); and invisible format characters and line separators (Cf, Zl,
# Zp: a right-to-left override or a zero-width space in a role name makes the printed text
# read as something else, as the graph drawings already escape them).  Escaped here, they are
# measured as printed, so columns stay aligned.
_ESCAPED_CATEGORIES = frozenset(("Cc", "Cs", "Cf", "Zl", "Zp"))
# The characters that may be one of them: all but printable ASCII and tab.  Looked for with one
# regular expression, and only those asked their category: a report of 80,000 findings spent
# 8 s asking each character of its messages.
_CONTROL = re.compile("[^\t\x20-\x7e]")
_NOT_TAB = re.compile("[^\t]")


def _visible(char: str) -> str:
    """One character as printed: those of :data:`_ESCAPED_CATEGORIES` (but tab) escaped, the
    rest unchanged."""
    if char != "\t" and unicodedata.category(char) in _ESCAPED_CATEGORIES:
        code = ord(char)
        if code < 0x100:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char


# The second "#" of "##[", the older form of a workflow command, matched anywhere in a line.
_LEGACY_COMMAND = re.compile(r"(?<=#)#(?=\[)")


def _escaped(char: str) -> str:
    """A character written as an escape, as control characters are (``\\x23``)."""
    return f"\\x{ord(char):02x}"


def visible(text: str, keep: str = "\t") -> str:
    """``text`` with the characters of :data:`_ESCAPED_CATEGORIES` escaped, but those of
    ``keep`` (a format that escapes line breaks its own way keeps them)."""
    return _CONTROL.sub(
        lambda found: found.group() if found.group() in keep else _visible(found.group()), text
    )


def clean(text: str) -> str:
    """User content made safe to print on a terminal and in a CI log: control characters but
    tabs escaped, and ``##[`` written ``#\\x23[`` (see the module's docstring)."""
    text = visible(text)
    if "##[" in text:  # escaping control characters never makes one: no "#" or "[" is added
        text = _LEGACY_COMMAND.sub(lambda sharp: _escaped(sharp.group()), text)
    return text


def _is_blank(char: str) -> bool:
    """Blank space as printed: what a log reader skips before looking for ``::`` (an escaped
    control character is printed as text, not as space)."""
    return char == "\t" or (char.isspace() and _visible(char) == char)


def shown_path(path: str) -> str:
    """A file name as printed at the start of a line: :func:`clean`, and ``./`` before a name
    that starts with ``:`` or blank space, which a CI log could read as a workflow command
    (``./`` names the same file)."""
    shown = clean(path)
    first = shown[:1]
    if first == ":" or (first and (_is_blank(first) or unicodedata.category(first) == "Cf")):
        return "./" + shown
    return shown


def _cells(text: str) -> str:
    """Blank space as wide as ``text`` on a terminal: tabs kept, wide characters doubled."""
    if _CONTROL.search(text.replace(ELLIPSIS, "")) is None:
        return _NOT_TAB.sub(" ", text)  # one cell per character (the ellipsis is narrow)
    blank = []
    for char in text:
        if char == "\t":
            blank.append(char)
        elif unicodedata.combining(char):
            continue
        else:
            shown = _visible(char)
            wide = len(shown) == 1 and unicodedata.east_asian_width(char) in ("W", "F")
            blank.append(" " * (2 if wide else len(shown)))
    return "".join(blank)


def _columns(source: str, finding: Finding) -> tuple[int, int]:
    """The finding's characters on its line, as [start, end) indexes into ``source``."""
    column = finding.location.column
    span = finding.location.span
    start = min(column - 1, len(source))
    end = start + 1
    if span is not None and span.end_line == span.line and span.end_column > span.column:
        end = max(end, min(span.end_column - 1, len(source)))
    return start, end


def _command_marks(line: str) -> list[int]:
    """The indexes of the characters of a source line to escape so that, printed, it cannot
    read as a workflow command: the second ``#`` of each ``##[``, and a ``:`` that starts the
    line's text (after blank space) and is followed by another.  In order."""
    marks = [sharp.start() for sharp in _LEGACY_COMMAND.finditer(line)] if "##[" in line else []
    first = 0
    while first < len(line) and _is_blank(line[first]):
        first += 1
    if line.startswith("::", first):
        marks.insert(0, first)  # before any "##[", which cannot start with ":"
    return marks


def _shown_part(line: str, marks: list[int], start: int, end: int, *, blank: bool) -> str:
    """``line[start:end]`` as printed (``blank=False``), or the blank space as wide
    (``blank=True``): each marked character escaped, four cells wide."""
    parts = []
    last = start
    for mark in marks:
        if start <= mark < end:
            parts.append(_cells(line[last:mark]) if blank else clean(line[last:mark]))
            parts.append(" " * 4 if blank else _escaped(line[mark]))
            last = mark + 1
    parts.append(_cells(line[last:end]) if blank else clean(line[last:end]))
    return "".join(parts)


def shown_line(line: str) -> str:
    """A whole line of user content as printed: :func:`clean`, and a leading ``::`` (after
    blank space) written ``\\x3a:``, so that a CI log cannot read it as a workflow command."""
    return _shown_part(line, _command_marks(line), 0, len(line), blank=False)


def _marker(source: str, marks: list[int], start: int, end: int) -> tuple[str, str]:
    """Blank space up to the span and ``^~~~`` under its columns (columns count characters)."""
    width = max(1, len(_shown_part(source, marks, start, end, blank=True)))
    return _shown_part(source, marks, 0, start, blank=True), "^" + "~" * (width - 1)


def _window(source: str, finding: Finding) -> tuple[str, int, int]:
    """The part of ``source`` to show, and where the finding is in it.

    Lines longer than ``MAX_SNIPPET`` are cut around the finding, with an ellipsis where cut.
    """
    start, end = _columns(source, finding)
    if len(source) <= MAX_SNIPPET:
        return source, start, end
    first = max(0, start - CONTEXT)
    last = min(len(source), max(end, start + 1) + CONTEXT, first + MAX_SNIPPET)
    head = ELLIPSIS if first > 0 else ""
    tail = ELLIPSIS if last < len(source) else ""
    shift = len(head) - first
    return head + source[first:last] + tail, start + shift, min(end, last) + shift


def _finding_lines(finding: Finding, report: Report) -> list[Line]:
    location = finding.location
    lines: list[Line] = [
        [
            (f"{shown_path(finding.file)}:{location.line}:{location.column}", "bold"),
            ("  ", ""),
            (finding.severity.value.upper(), SEVERITY_STYLES[finding.severity]),
            ("  ", ""),
            (finding.rule_id, "bold"),
            (" ", ""),
            (finding.rule, "dim"),
            ("  ", ""),
            (clean(finding.message), ""),
        ]
    ]
    source = report.snippets.get((finding.file, location.line))
    if source is not None:
        shown, start, end = _window(source.rstrip("\r\n"), finding)
        marks = _command_marks(shown)
        lines.append([(INDENT + _shown_part(shown, marks, 0, len(shown), blank=False), "")])
        prefix, caret = _marker(shown, marks, start, end)
        lines.append([(INDENT + prefix, ""), (caret, "bold green")])
    where = [(INDENT + "resource: ", "dim"), (clean(finding.resource), "")]
    if finding.role is not None:
        where += [("  role: ", "dim"), (clean(finding.role), "")]
    lines.append(where)
    if finding.path:
        path: Line = [(INDENT + "path: ", "dim")]
        for number, hop in enumerate(finding.path):
            if number:
                path.append((" -> ", "dim"))
            path.append((clean(hop.node), ""))
            if hop.placed:  # a party outside the code is defined nowhere
                path.append((f" ({clean(hop.where())})", "dim"))
        lines.append(path)
    return lines


def _error_line(error: InputError, label: str = "error:", style: str = "bold red") -> Line:
    where = shown_path(error.file)
    if error.line is not None:
        where += f":{error.line}"
        if error.column is not None:
            where += f":{error.column}"
    return [
        (f"{where}:", "bold"),
        (" ", ""),
        (label, style),
        (f" {clean(error.message)}", ""),
    ]


def _summary(report: Report) -> Line:
    counts = report.counts_by_severity()
    total = len(report.active_findings)
    text = counted(total, "finding")
    if total:
        text += " (" + ", ".join(f"{counts[s.value]} {s.value}" for s in Severity) + ")"
    suppressed = len(report.suppressed_findings)
    if suppressed:
        # Not shown here; the formats that list each with its reason are named, not the reasons.
        which = "it with its reason" if suppressed == 1 else "them with their reasons"
        text += f", {suppressed} suppressed (--format json, sarif or markdown lists {which})"
    text += f" in {counted(report.files_analyzed, 'file')}; {report.files_skipped} skipped"
    if report.skipped_by_reason:
        reasons = sorted(report.skipped_by_reason.items())
        text += " (" + "; ".join(f"{count} {reason}" for reason, count in reasons) + ")"
    text += f"; {counted(len(report.errors), 'error')}"
    return [(text, "bold")]


def layout(report: Report, options: RenderOptions) -> list[Line]:
    """Every output line, as styled segments; an empty list means print nothing."""
    lines: list[Line] = []
    for finding in sorted_findings(report):  # sorted by file first: grouped by file
        if finding.suppression is not None:
            continue  # accepted with a reason: counted in the summary, not shown again
        if lines:
            lines.append([])
        lines.extend(_finding_lines(finding, report))
    errors = sorted_errors(report)
    if errors:
        if lines:
            lines.append([])
        lines.extend(_error_line(error) for error in errors)
    notices = sorted_notices(report)
    if notices and not options.quiet:
        if lines:
            lines.append([])
        lines.extend(_error_line(notice, "note:", "bold blue") for notice in notices)
    if not options.quiet:
        if lines:
            lines.append([])
        lines.append(_summary(report))
    return lines


def _plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def _colored(lines: list[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=10000,
        highlight=False,
        soft_wrap=True,
    )
    for line in lines:
        text = Text()
        for segment, style in line:
            text.append(segment, style=style or None)
        console.print(text)
    return buffer.getvalue()


def render_text(report: Report, options: RenderOptions) -> str:
    lines = layout(report, options)
    if not lines:
        return ""
    return _colored(lines) if options.color else _plain(lines)
