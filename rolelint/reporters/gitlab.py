"""GitLab Code Quality report: findings in the merge-request widget and the changes view.

GitLab reads a JSON array of issues, a subset of the Code Climate engine specification
(``description``, ``check_name``, ``fingerprint``, ``severity``, ``location.path`` and
``location.lines.begin`` are the fields it requires).  It tells new issues from fixed ones by
``fingerprint`` and shows issues that share one as a single entry, so every issue here has its
own: the finding's fingerprint (stable while lines move), extended only when two findings of the
report share it.

Notices (what was read but not judged, or left out on purpose) are left out: the format has no
place for anything but issues, and every entry counts as one in the merge-request widget.  The
text, JSON, SARIF, GitHub, JUnit or Markdown report written beside it shows them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rolelint.findings import Finding, InputError, Report, Severity
from rolelint.json_text import dumps_indented
from rolelint.reporters.common import UniqueFingerprints, last_line, repo_path
from rolelint.reporters.json_report import sorted_errors, sorted_findings
from rolelint.source import UNIVERSAL_BREAKS

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.reporters import RenderOptions

ENGINE_NAME = "rolelint"
SEVERITIES = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
    Severity.INFO: "info",
}
# An input error makes the run exit with 2; one that kept a file from being read or parsed hides
# every role in it.
INPUT_ERROR_CHECK = "rolelint/input-error"
INPUT_ERROR_SEVERITY = "blocker"


def _one_line(text: str) -> str:
    """Code Climate descriptions are a single line of text."""
    return UNIVERSAL_BREAKS.sub(" ", text)


def _issue(finding: Finding, rules: Mapping[str, Rule], fingerprint: str) -> dict[str, Any]:
    end_line, _ = last_line(finding)  # lines.end is the last line of the issue
    issue: dict[str, Any] = {
        "type": "issue",
        "engine_name": ENGINE_NAME,
        "check_name": f"{finding.rule_id} {finding.rule}",
        "description": _one_line(finding.message),
        "categories": ["Security"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": repo_path(finding.file),
            "lines": {"begin": finding.location.line, "end": max(end_line, finding.location.line)},
        },
    }
    rule = rules.get(finding.rule_id)
    if rule is not None:
        issue["content"] = {"body": rule.summary}
    return issue


def _error_issue(error: InputError, fingerprint: str) -> dict[str, Any]:
    line = error.line or 1
    return {
        "type": "issue",
        "engine_name": ENGINE_NAME,
        "check_name": INPUT_ERROR_CHECK,
        "description": _one_line(error.message),
        "categories": ["Bug Risk"],
        "severity": INPUT_ERROR_SEVERITY,
        "fingerprint": fingerprint,
        "location": {"path": repo_path(error.file), "lines": {"begin": line, "end": line}},
    }


def gitlab_issues(report: Report, rules: Mapping[str, Rule]) -> list[dict[str, Any]]:
    """Active findings in report order, then input errors; suppressed findings are left out."""
    fingerprints = UniqueFingerprints()
    issues = [
        _issue(finding, rules, fingerprints.unique(finding.fingerprint))
        for finding in sorted_findings(report)
        if finding.suppression is None
    ]
    for error in sorted_errors(report):
        material = "\x1f".join(("input-error", repo_path(error.file), error.message))
        # surrogatepass: a file name that is not UTF-8 holds a lone surrogate (caf\udce9.json).
        base = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        issues.append(_error_issue(error, fingerprints.unique(base)))
    return issues


def render_gitlab(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> str:
    return dumps_indented(gitlab_issues(report, rules)) + "\n"
