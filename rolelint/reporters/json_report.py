"""The stable JSON report: scripts and CI depend on its exact shape (see CONTRACT.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rolelint.catalog import RULE_CLASSES
from rolelint.findings import Finding, InputError, Report
from rolelint.json_text import Lazy, chunks_indented

if TYPE_CHECKING:
    from rolelint.reporters import RenderOptions


def sorted_findings(report: Report) -> list[Finding]:
    """Findings in report order: file, line, column, rule id, message (fingerprint breaks ties)."""
    return sorted(report.findings, key=lambda finding: (finding.sort_key(), finding.fingerprint))


def sorted_errors(report: Report) -> list[InputError]:
    return sorted(report.errors, key=InputError.sort_key)


def sorted_notices(report: Report) -> list[InputError]:
    """The notices (what was read but not judged, or left out on purpose) as errors sort."""
    return sorted(report.notices, key=InputError.sort_key)


def end_of(finding: Finding) -> tuple[int, int]:
    """Where the finding's span ends; a finding without a span ends where it starts."""
    span = finding.location.span
    if span is None:
        return finding.location.line, finding.location.column
    return span.end_line, span.end_column


def finding_dict(finding: Finding) -> dict[str, Any]:
    end_line, end_column = end_of(finding)
    entry: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule": finding.rule,
        "class": finding.rule_class,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.file,
        "line": finding.location.line,
        "column": finding.location.column,
        "end_line": end_line,
        "end_column": end_column,
        "resource": finding.resource,
        "role": finding.role,
        "fingerprint": finding.fingerprint,
    }
    if finding.roots:  # an instance of a module several Terraform roots call: which roots'
        entry["roots"] = list(finding.roots)
    if finding.path:
        entry["path"] = [
            {"node": hop.node, "file": hop.file, "line": hop.line} for hop in finding.path
        ]
    if finding.suppression is not None:
        suppressed: dict[str, Any] = {
            "kind": finding.suppression.kind,  # SARIF's words: "inSource" or "external"
            "reason": finding.suppression.reason,
        }
        if finding.suppression.expires:
            suppressed["expires"] = finding.suppression.expires
        entry["suppressed"] = suppressed
    return entry


def error_dict(error: InputError) -> dict[str, Any]:
    return {
        "file": error.file,
        "line": error.line,
        "column": error.column,
        "message": error.message,
    }


def summary_dict(report: Report) -> dict[str, Any]:
    classes = Counter(finding.rule_class for finding in report.active_findings)
    return {
        "files_analyzed": report.files_analyzed,
        "files_skipped": report.files_skipped,
        "skipped_by_reason": dict(sorted(report.skipped_by_reason.items())),
        "files_failed": report.files_failed,
        "roles": report.roles,
        "findings": len(report.active_findings),
        "suppressed": len(report.suppressed_findings),
        "by_severity": report.counts_by_severity(),
        # Every class, zeros included: a script can read any class without a KeyError.
        "by_class": {name: classes[name] for name in sorted(RULE_CLASSES)},
    }


def render_json(report: Report, options: RenderOptions) -> str:
    return "".join(json_chunks(report, options))


def json_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render_json`'s text in pieces, each finding's entry made as it is written: the
    whole text of a large report, and the entries it is made from, are never held at once."""
    document = {
        "version": options.version,
        "data_versions": dict(sorted(options.data_versions.items())),
        "findings": Lazy(sorted_findings(report), finding_dict),
        "errors": [error_dict(error) for error in sorted_errors(report)],
        "notices": [error_dict(notice) for notice in sorted_notices(report)],
        "summary": summary_dict(report),
    }
    yield from chunks_indented(document, end="\n")
