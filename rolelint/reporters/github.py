"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

A step that runs ``rolelint check --format github`` needs no upload and no token: the runner
reads ``::error ...::message`` lines from standard output and pins each one to its file and line.
Values are escaped as GitHub's toolkit (``@actions/core``) escapes them and the runner unescapes
them, so a message or path holding ``%``, ``:``, ``,`` or a newline arrives intact and cannot end
the command early or start another one.  Notices (what was read but not judged, or left out on
purpose) are ``::notice`` annotations, after everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rolelint.findings import Finding, InputError, Report, Severity
from rolelint.reporters.common import last_line, repo_path
from rolelint.reporters.json_report import sorted_errors, sorted_findings, sorted_notices
from rolelint.reporters.text import visible

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.reporters import RenderOptions

COMMANDS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "notice",
}
INPUT_ERROR_TITLE = "rolelint input error"
NOTICE_TITLE = "rolelint note"
_BREAKS = "\r\n"


def escape_data(text: str) -> str:
    """The command's message: ``%`` first, so that the escapes added next stay unambiguous."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also ``:`` and ``,``, which would end the value or the property list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    """One workflow command line, ``::name key=value,...::message`` (no trailing newline)."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    head = f"{name} {props}" if props else name
    # Line breaks are the runner's to unescape; other control characters (an escape sequence
    # recolouring the log) and invisible ones (a right-to-left override) are shown as text.
    return f"::{head}::{escape_data(visible(message, keep=_BREAKS))}"


def _finding_command(finding: Finding) -> str:
    end_line, end_column = last_line(finding)
    location = finding.location
    properties = [("file", repo_path(finding.file)), ("line", str(location.line))]
    # GitHub accepts columns only for a region on one line; a longer one is marked by lines
    # (``endLine`` is the last line marked, not the one after it).
    if end_line == location.line and end_column is not None:
        properties.append(("col", str(location.column)))
        properties.append(("endLine", str(end_line)))
        properties.append(("endColumn", str(end_column)))
    else:
        properties.append(("endLine", str(end_line)))
    properties.append(("title", f"{finding.rule_id} {finding.rule}"))
    return command(COMMANDS[finding.severity], properties, finding.message)


def _input_command(name: str, title: str, entry: InputError) -> str:
    """An input error or a notice, at its file and, when it has one, its line and column."""
    properties = [("file", repo_path(entry.file))]
    if entry.line is not None:
        properties.append(("line", str(entry.line)))
        if entry.column is not None:
            properties.append(("col", str(entry.column)))
    properties.append(("title", title))
    return command(name, properties, entry.message)


def render_github(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> str:
    """One annotation per input error, then one per active finding, worst first, then one
    ``notice`` per notice.

    GitHub shows at most 10 annotations of each kind per step (50 per job) and drops the rest
    in the order they come, so the order decides what survives: input errors first (there are
    few, and one that kept a file from being read hides every role in it), then findings from
    the most severe, in report order within a severity, and notices last: they ask for no
    change, and info findings share their kind.  Suppressed findings are left out: an
    annotation asks for a change, and they were accepted.
    """
    active = [finding for finding in sorted_findings(report) if finding.suppression is None]
    active.sort(key=lambda finding: -finding.severity.rank)  # stable: report order kept
    lines = [_input_command("error", INPUT_ERROR_TITLE, error) for error in sorted_errors(report)]
    lines += [_finding_command(finding) for finding in active]
    lines += [_input_command("notice", NOTICE_TITLE, notice) for notice in sorted_notices(report)]
    return "".join(line + "\n" for line in lines)
