"""JUnit XML: the test-report format GitLab, Jenkins, Azure Pipelines and others display.

CI services that know nothing of security scanners all read test reports, so findings become
failed tests: one test case per rule and resource (``classname`` the rule, ``name`` the file and
resource), which keeps a case's identity stable while lines move, so services can tell a new
failure from an old one.  Several findings of one rule on one resource are one failure that lists
them all.  A file with input errors (it could not be read or parsed, or holds an invalid
suppression) is a test case in error; a case whose findings are all suppressed is skipped, with
the reasons.

Only rules that reported something appear: the report does not say which rules ran, so passing
cases cannot be listed without guessing.  Notices (what was read but not judged, or left out on
purpose) are no test results: they are the suite's ``<system-out>``, one per line, where a
reader that shows a suite's output shows them, and they change no count.  The layout keeps to
the attributes the strictest common schema (Jenkins xUnit's ``junit-10.xsd``) accepts; there
are no timestamps or durations, so the output is the same on every run.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rolelint.findings import Finding, InputError, PathHop, Report
from rolelint.reporters.common import repo_path
from rolelint.reporters.json_report import sorted_errors, sorted_findings, sorted_notices

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.reporters import RenderOptions

SUITE_NAME = "rolelint"
INPUT_ERROR_CLASS = "input error"
INPUT_ERROR_TYPE = "input-error"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _visible(text: str, keep: str) -> str:
    """``text`` with control characters (but ``keep``), lone surrogates and U+FFFE/U+FFFF shown
    as ``\\xNN``/``\\uNNNN``.

    XML 1.0 cannot carry most of them at all (ElementTree would write a file no parser accepts),
    and those it can carry in attributes are normalized to spaces by parsers.
    """
    shown = []
    for char in text:
        code = ord(char)
        if char in keep:
            shown.append(char)
        elif unicodedata.category(char) in ("Cc", "Cs") or code in (0xFFFE, 0xFFFF):
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            shown.append(char)
    return "".join(shown)


def attribute(text: str) -> str:
    """An attribute value: one line, nothing a parser would change."""
    return _visible(text, keep="")


def content(text: str) -> str:
    """Element text: lines and tabs kept, everything else XML cannot hold made visible."""
    return _visible(text, keep="\n\t")


def _where(file: str, line: int | None, column: int | None) -> str:
    where = repo_path(file)
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


def _finding_text(finding: Finding) -> str:
    location = finding.location
    text = f"{_where(finding.file, location.line, location.column)}: "
    text += f"{finding.severity.value}: {finding.message}"
    if finding.suppression is not None:
        text += f" (suppressed: {finding.suppression.reason})"
    if finding.path:
        hops = " -> ".join(_hop_text(hop) for hop in finding.path)
        text += f"\n    path: {hops}"
    return text


def _hop_text(hop: PathHop) -> str:
    """``node (file:line)``; a party outside the code, defined nowhere, without a place."""
    if not hop.placed:
        return hop.node
    return f"{hop.node} ({repo_path(hop.file)}{f':{hop.line}' if hop.line >= 1 else ''})"


def _case_name(finding: Finding) -> str:
    path = repo_path(finding.file)
    resource = finding.resource
    return path if repo_path(resource) == path else f"{path}: {resource}"


def _finding_case(findings: list[Finding]) -> ET.Element:
    first = findings[0]
    case = ET.Element(
        "testcase",
        {
            "classname": attribute(f"{first.rule_id} {first.rule}"),
            "name": attribute(_case_name(first)),
        },
    )
    active = [finding for finding in findings if finding.suppression is None]
    if not active:
        reasons = dict.fromkeys(f.suppression.reason for f in findings if f.suppression is not None)
        ET.SubElement(case, "skipped", {"message": attribute("suppressed: " + "; ".join(reasons))})
        return case
    worst = max(active, key=lambda finding: finding.severity.rank)
    if len(active) == 1:
        message = active[0].message
    else:
        message = f"{len(active)} findings of {first.rule_id} on {first.resource}"
    failure = ET.SubElement(
        case, "failure", {"message": attribute(message), "type": worst.severity.value}
    )
    failure.text = content("\n".join(_finding_text(finding) for finding in findings))
    return case


def _entry_text(entry: InputError) -> str:
    """An input error or a notice as ``file:line:col: message``, on one line: they are listed
    one per line, and a line break in a message (a module source holding ``\n``) would start
    a line that reads as another entry."""
    return _visible(f"{_where(entry.file, entry.line, entry.column)}: {entry.message}", "\t")


def _error_case(errors: list[InputError]) -> ET.Element:
    case = ET.Element(
        "testcase",
        {"classname": INPUT_ERROR_CLASS, "name": attribute(repo_path(errors[0].file))},
    )
    message = errors[0].message if len(errors) == 1 else f"{len(errors)} errors"
    error = ET.SubElement(case, "error", {"message": attribute(message), "type": INPUT_ERROR_TYPE})
    error.text = content("\n".join(_entry_text(e) for e in errors))
    return case


def junit_tree(report: Report, options: RenderOptions) -> ET.Element:
    """The ``<testsuites>`` element: cases by rule id, file and resource, then input errors;
    the notices, if any, in the suite's ``<system-out>`` (after the cases, as schemas order it)."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in sorted_findings(report):
        key = (finding.rule_id, repo_path(finding.file), finding.resource)
        groups.setdefault(key, []).append(finding)
    cases = [_finding_case(groups[key]) for key in sorted(groups)]
    by_file: dict[str, list[InputError]] = {}
    for error in sorted_errors(report):
        by_file.setdefault(repo_path(error.file), []).append(error)
    cases += [_error_case(by_file[path]) for path in sorted(by_file)]

    counts = {
        "tests": len(cases),
        "failures": sum(case.find("failure") is not None for case in cases),
        "errors": sum(case.find("error") is not None for case in cases),
        "skipped": sum(case.find("skipped") is not None for case in cases),
    }
    root = ET.Element(
        "testsuites",
        {"name": SUITE_NAME, **{key: str(counts[key]) for key in ("tests", "failures", "errors")}},
    )
    suite = ET.SubElement(
        root, "testsuite", {"name": SUITE_NAME, **{key: str(n) for key, n in counts.items()}}
    )
    versions = {"rolelint.version": options.version} if options.version else {}
    versions.update({f"rolelint.data.{k}": v for k, v in sorted(options.data_versions.items())})
    if versions:
        properties = ET.SubElement(suite, "properties")
        for name, value in versions.items():
            ET.SubElement(properties, "property", {"name": name, "value": attribute(value)})
    suite.extend(cases)
    notices = sorted_notices(report)
    if notices:
        system_out = ET.SubElement(suite, "system-out")
        system_out.text = content("\n".join(_entry_text(notice) for notice in notices))
    return root


def render_junit(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> str:
    root = junit_tree(report, options)
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
