"""What the configuration changes about the findings of a run: per-rule severity overrides and
per-path ignores (suppressions of kind ``external``, visible in every output with their reason).

The checks stay unaware of configuration; this runs after them, on findings alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from rolelint.catalog import Rule
from rolelint.engine import Selection
from rolelint.findings import EXTERNAL, Finding, Severity, Suppression
from rolelint.globs import PathPatterns


def override_severities(
    findings: Iterable[Finding], severity: Mapping[str, Severity]
) -> list[Finding]:
    """Each finding of a rule named in ``severity`` at the severity the team chose."""
    return [
        replace(f, severity=severity[f.rule_id]) if f.rule_id in severity else f for f in findings
    ]


def ignore_per_path(
    findings: Iterable[Finding],
    ignores: Mapping[str, tuple[str, ...]],
    folder: str,
    config_file: str,
    rules: Mapping[str, Rule],
) -> list[Finding]:
    """Findings in files matching a ``per-path-ignores`` glob, for the rules it names, marked
    suppressed (unless already suppressed in the source, which says more).  The first glob, in
    the order written, that matches the file and names the rule gives the reason.

    A glob naming no rule (``"main.tf": []``) ignores nothing, as ``ignore: []`` does: an empty
    ``Selection`` means "every rule", which silently suppressed every finding of the file."""
    naming = {glob: selectors for glob, selectors in ignores.items() if selectors}
    patterns = PathPatterns(naming, folder)
    selections = {glob: Selection(select=selectors) for glob, selectors in naming.items()}
    by_file: dict[str, list[str]] = {}  # the globs matching each file: asked once per file
    result: list[Finding] = []
    for finding in findings:
        rule = rules.get(finding.rule_id)
        if finding.suppression is None and rule is not None:
            if finding.file not in by_file:
                by_file[finding.file] = patterns.matching(finding.file)
            for glob in by_file[finding.file]:
                if selections[glob].enabled(rule):
                    reason = f"per-path-ignores '{glob}' in {config_file}"
                    finding = replace(finding, suppression=Suppression(EXTERNAL, reason))
                    break
        result.append(finding)
    return result
