"""SARIF 2.1.0, the format code-scanning services (GitHub, GitLab, Azure DevOps) ingest."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rolelint.findings import Finding, InputError, PathHop, Report, Severity, Suppression
from rolelint.json_text import dumps_indented
from rolelint.reporters.common import PROJECT_URL, UniqueFingerprints, last_line, repo_path
from rolelint.reporters.json_report import sorted_errors, sorted_findings, sorted_notices
from rolelint.source import Span

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.reporters import RenderOptions

# The id of the official OASIS schema (errata 01), the one vendored in tests/data.
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
INFORMATION_URI = PROJECT_URL
FINGERPRINT_KEY = "rolelint/v1"
# Relative paths are relative to the folder rolelint ran in, which CI runs from the checkout.
SRCROOT = "%SRCROOT%"
SRCROOT_DESCRIPTION = (
    "The folder rolelint was run from; relative paths are given as scanned from there."
)
# Code scanning reads the id as "category/run": one category for rolelint, no run id (the output
# stays the same on every run). An upload action's category input does not replace it.
AUTOMATION_ID = "rolelint/"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

# GitHub code scanning ranks security alerts by this number (critical > 9.0, high 7.0-8.9,
# medium 4.0-6.9, low 0.1-3.9); it must be a string.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


# What GitHub code scanning takes of an uploaded SARIF file ("SARIF support for code scanning",
# limits on SARIF data): a run of more results is rejected whole, with the file, and of a run
# it takes it shows only the 5,000 most severe results.  (At most 20 runs per file: one here.)
GITHUB_MAX_RESULTS = 25_000
GITHUB_SHOWN_RESULTS = 5_000

_DRIVE = re.compile(r"^[A-Za-z]:/")


# Cached: every finding in a file asks again (tens of thousands of times in a large report).
@functools.lru_cache(maxsize=4096)
def artifact_uri(path: str) -> str:
    """The path as scanned, with forward slashes, percent-encoded where a URI needs it.

    A relative path stays relative (code scanning resolves it against the checkout); an absolute
    one becomes a ``file:`` URI, so that a Windows drive letter is never read as a URI scheme.
    """
    posix = repo_path(path)
    if _DRIVE.match(posix):
        return "file:///" + posix[:2] + _quoted(posix[2:])
    if posix.startswith("/"):
        return "file://" + _quoted(posix)
    return _quoted(posix)


def _quoted(path: str) -> str:
    """Percent-encoded UTF-8, and a byte of a name that is not UTF-8 as itself: Python reads such
    a byte as a lone surrogate (``caf\\udce9.json``), which UTF-8 cannot encode, and gives it
    back with ``surrogateescape`` (``caf%E9.json``, the name on disk).  Any other lone surrogate
    (a Windows name may hold one) is encoded as it stands."""
    try:
        return quote(path, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", errors="surrogatepass")


def artifact_location(path: str) -> dict[str, str]:
    """A relative URI names its base, ``%SRCROOT%``, as SARIF requires; ``file:`` URIs need none."""
    uri = artifact_uri(path)
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def _help_text(rule: Rule) -> str:
    parts = [rule.summary, f"Why it matters:\n{rule.rationale}", f"How to fix:\n{rule.remediation}"]
    if rule.references:
        parts.append("References:\n" + "\n".join(f"- {ref}" for ref in rule.references))
    return "\n\n".join(parts)


def _help_markdown(rule: Rule) -> str:
    parts = [
        rule.summary,
        f"**Why it matters**\n\n{rule.rationale}",
        f"**How to fix**\n\n{rule.remediation}",
    ]
    if rule.references:
        parts.append("**References**\n\n" + "\n".join(f"- <{ref}>" for ref in rule.references))
    return "\n\n".join(parts)


def rule_descriptor(
    rule: Rule, severity: Severity | None = None, descriptor_id: str | None = None
) -> dict[str, Any]:
    """The rule as code scanning shows it, at ``severity`` (the catalog's by default) and under
    ``descriptor_id`` (the rule id by default; see :func:`descriptor_keys`)."""
    severity = severity or rule.severity
    descriptor: dict[str, Any] = {
        "id": descriptor_id or rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
    }
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    descriptor["defaultConfiguration"] = {"level": LEVELS[severity]}
    descriptor["properties"] = {
        "security-severity": SECURITY_SEVERITY[severity],
        "tags": ["security", rule.rule_class],
        "precision": "high",
    }
    return descriptor


def severity_variant_id(rule_id: str, severity: Severity) -> str:
    """The descriptor id of ``rule_id`` reported at a severity other than its default:
    ``RL101/low``, a SARIF hierarchical id whose first component is the rule."""
    return f"{rule_id}/{severity.value}"


def descriptor_keys(
    rules: Mapping[str, Rule],
    findings: Iterable[Finding],
    overrides: Mapping[str, Severity],
) -> list[tuple[Rule, Severity, str]]:
    """(rule, severity, descriptor id) for every rule descriptor of the run, in output order.

    Code scanning reads ``security-severity`` from the rule descriptor only, never from a
    result: a finding reported below (or above) its rule's severity must point at a descriptor
    of its own severity, or it is shown, and gates builds, at the rule's.  So every rule has
    its descriptor under its plain id, at its default severity (the configuration's override,
    when there is one, as every finding of the rule then has it), and each other severity the
    rule's findings have in this report gets one more, ``RL101/low``, right after it.  The
    alerts of findings at the default severity keep their rule id whatever else is reported.
    """
    used = {(finding.rule_id, finding.severity) for finding in findings}
    keys: list[tuple[Rule, Severity, str]] = []
    for rule_id in sorted(rules):
        rule = rules[rule_id]
        default = overrides.get(rule_id, rule.severity)
        keys.append((rule, default, rule_id))
        keys += [
            (rule, severity, severity_variant_id(rule_id, severity))
            for severity in Severity  # worst first
            if severity is not default and (rule_id, severity) in used
        ]
    return keys


def _logical_locations(finding: Finding) -> list[dict[str, str]]:
    """The resource, then the affected role when it is a different resource (both IAM names)."""
    locations = [{"name": finding.resource, "kind": "resource"}]
    if finding.role is not None and finding.role != finding.resource:
        locations.append({"name": finding.role, "kind": "resource"})
    return locations


def _hop_location(hop: PathHop) -> dict[str, Any]:
    """A hop of a chain as a SARIF location; a party outside the code (defined nowhere) has its
    name only: a physical location with an empty URI would point viewers at no file."""
    if not hop.placed:
        return {"message": {"text": hop.node}}
    physical: dict[str, Any] = {"artifactLocation": artifact_location(hop.file)}
    if hop.line >= 1:
        physical["region"] = {"startLine": hop.line}
    return {"physicalLocation": physical, "message": {"text": hop.node}}


def _written_at(span: Span) -> dict[str, int]:
    """Where a suppression is written.  A comment is known by its line alone (an empty span at
    its column 1): ``startLine`` alone is that whole line, where an empty region would be an
    insertion point before its first character."""
    if (span.line, span.column) == (span.end_line, span.end_column):
        return {"startLine": span.line}
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _suppression(suppression: Suppression) -> dict[str, Any]:
    """An accepted finding: viewers show it as suppressed, with who accepted it where and why."""
    entry: dict[str, Any] = {
        "kind": suppression.kind,
        "status": "accepted",
        "justification": suppression.reason,
    }
    if suppression.where is not None:
        where = suppression.where
        physical: dict[str, Any] = {"artifactLocation": artifact_location(where.file)}
        if where.span is not None:
            physical["region"] = _written_at(where.span)
        entry["location"] = {"physicalLocation": physical}
    if suppression.expires is not None:
        entry["properties"] = {"expires": suppression.expires}
    return entry


def _region(finding: Finding) -> dict[str, int]:
    """The finding's text region.  SARIF's ``endLine`` is the line of the region's last
    character: a span that ends at column 1 of the next line (a YAML block, possibly the last
    lines of the file) ends on the line before, and without ``endColumn`` the region runs to
    the end of that line."""
    end_line, end_column = last_line(finding)
    region = {
        "startLine": finding.location.line,
        "startColumn": finding.location.column,
        "endLine": end_line,
    }
    if end_column is not None:
        region["endColumn"] = end_column
    return region


def _result(
    finding: Finding,
    reported_as: Mapping[tuple[str, Severity], tuple[str, int]],
    fingerprint: str,
) -> dict[str, Any]:
    """``reported_as`` gives, by rule id and severity, the descriptor id and index to cite (a
    finding of a rule that is not in the catalog cites its rule id alone); ``fingerprint`` is
    the result's own (see :class:`UniqueFingerprints`)."""
    descriptor = reported_as.get((finding.rule_id, finding.severity))
    result: dict[str, Any] = {"ruleId": finding.rule_id if descriptor is None else descriptor[0]}
    if descriptor is not None:
        result["ruleIndex"] = descriptor[1]
    result["level"] = LEVELS[finding.severity]
    result["message"] = {"text": finding.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact_location(finding.file),
                "region": _region(finding),
            },
            "logicalLocations": _logical_locations(finding),
        }
    ]
    if finding.path:
        result["relatedLocations"] = [
            {"id": number, **_hop_location(hop)} for number, hop in enumerate(finding.path, start=1)
        ]
        # The same hops as a code flow: viewers step through the chain in order.
        result["codeFlows"] = [
            {
                "message": {"text": " -> ".join(hop.node for hop in finding.path)},
                "threadFlows": [
                    {"locations": [{"location": _hop_location(hop)} for hop in finding.path]}
                ],
            }
        ]
    if finding.suppression is not None:
        result["suppressions"] = [_suppression(finding.suppression)]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    properties: dict[str, Any] = {
        "severity": finding.severity.value,
        "class": finding.rule_class,
        "resource": finding.resource,
    }
    if finding.role is not None:
        properties["role"] = finding.role
    result["properties"] = properties
    return result


def _notification(error: InputError, level: str = "error") -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(error.file)}
    if error.line is not None:
        region: dict[str, int] = {"startLine": error.line}
        if error.column is not None:
            region["startColumn"] = error.column
        physical["region"] = region
    return {
        "level": level,
        "message": {"text": error.message},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_log(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> dict[str, Any]:
    """The SARIF log as plain data (the tests validate it against the official schema)."""
    findings = sorted_findings(report)
    keys = descriptor_keys(rules, findings, options.severity_overrides)
    reported_as = {
        (rule.id, severity): (descriptor_id, index)
        for index, (rule, severity, descriptor_id) in enumerate(keys)
    }
    driver: dict[str, Any] = {"name": "rolelint"}
    if options.version:
        driver["version"] = options.version
    driver["informationUri"] = INFORMATION_URI
    if options.data_versions:
        driver["properties"] = {"dataVersions": dict(sorted(options.data_versions.items()))}
    driver["rules"] = [rule_descriptor(*key) for key in keys]
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    notifications = [_notification(error) for error in sorted_errors(report)]
    notifications += [_notification(notice, "note") for notice in sorted_notices(report)]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    # partialFingerprints are "the stable, unique identity of the result" (the schema): two of one
    # fingerprint, the same risk twice in one resource, must not be matched as one.  Suppressed
    # results count too, being results of their own.
    fingerprints = UniqueFingerprints()
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": AUTOMATION_ID},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": SRCROOT_DESCRIPTION}}},
        "invocations": [invocation],
        # Columns count characters (code points), not UTF-16 units, the SARIF default.
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, reported_as, fingerprint)
            for finding, fingerprint in zip(
                findings, fingerprints.for_findings(findings), strict=True
            )
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def upload_warning(report: Report) -> str | None:
    """What to tell whoever uploads the log when GitHub code scanning would reject it (None:
    nothing to tell).

    Every finding is a result, suppressed ones included (they stay, marked suppressed).  The
    log itself stays whole: dropping results to fit would hide findings without a trace, and
    other SARIF consumers have no such limit.
    """
    count = len(report.findings)
    if count <= GITHUB_MAX_RESULTS:
        return None
    return (
        f"the SARIF report has {count:,} results; GitHub code scanning rejects a SARIF run of "
        f"more than {GITHUB_MAX_RESULTS:,} results (and shows at most the "
        f"{GITHUB_SHOWN_RESULTS:,} most severe): report fewer rules with --select or --ignore, "
        "or scan parts of the repository separately, each uploaded under its own category "
        "(see docs/formats.md, sarif)"
    )


def render_sarif(report: Report, rules: Mapping[str, Rule], options: RenderOptions) -> str:
    return dumps_indented(sarif_log(report, rules, options)) + "\n"
