"""Accepted risks written next to the code, and what they do to the findings of a run.

Two forms, both needing a reason (an accepted risk nobody can explain is not accepted):

- CloudFormation ``Metadata: {rolelint: {ignore: [{id: RL101, reason: "...", expires: ...}]}}``
  on a resource (YAML and JSON templates; ``expires`` is an optional YYYY-MM-DD): every finding
  of those rules on that resource (or on the role it is) is suppressed.
- A comment ``# rolelint:ignore RL101[,RL102] [expires=2027-01-31] reason`` (``//`` works in
  Terraform too) on the line of an element, or alone on the line above it: every finding of those
  rules on that element and everything nested in it (a whole ``resource`` block, a whole
  template resource, one statement) is suppressed.

A suppression past its expiry date stops suppressing and says so; one that suppresses nothing
(of a rule that ran) is reported as unused; one without a reason, with an unknown rule id or a
date that is not one is an error naming its file and line.  Suppressed findings stay in the
report with their reason (see rolelint.findings.Suppression).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rolelint.findings import IN_SOURCE, Finding, InputError, Suppression
from rolelint.model import SuppressionDirective
from rolelint.source import SourceRef, Span

MARKER = "rolelint:ignore"
_COMMENT = re.compile(
    r"(?P<lead>#|//)\s*rolelint:ignore\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_IDS = re.compile(r"\s*(?P<ids>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")
_EXPIRES = re.compile(r"\s*expires=(?P<date>\S+)", re.IGNORECASE)


# --- reading comments ----------------------------------------------------------------------------


def comments_of(file: str, text: str) -> list[SuppressionDirective]:
    """:func:`comment_directives`, cheaply: most files hold no directive at all."""
    return comment_directives(file, text) if MARKER in text.lower() else []


def comment_directives(file: str, text: str) -> list[SuppressionDirective]:
    """Every ``rolelint:ignore`` comment of a YAML or Terraform file, with the lines it covers."""
    if MARKER not in text.lower():
        return []
    lines = text.splitlines()
    found: list[SuppressionDirective] = []
    for index, line in enumerate(lines):
        match = _comment_in(line)
        if match is None:
            continue
        before = line[: match.start()]
        target = index if before.strip() else _next_code_line(lines, index + 1)
        covered = (target + 1, _block_end(lines, target) + 1) if target is not None else None
        ids, expires, reason = _parse_rest(match.group("rest"))
        found.append(
            SuppressionDirective(
                file, index + 1, ids, reason, expires, resource=None, lines=covered
            )
        )
    return found


def _comment_in(line: str) -> re.Match[str] | None:
    """The directive of a line, outside quoted strings (``"# rolelint:ignore"`` in a value is
    text, not a comment)."""
    quote: str | None = None
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char == "#" or line.startswith("//", position):
            match = _COMMENT.match(line, position)
            return match if match else None
    return None


def _parse_rest(rest: str) -> tuple[tuple[str, ...], str | None, str | None]:
    ids_match = _IDS.match(rest)
    if ids_match is None:
        return (), None, None
    ids = tuple(part.strip() for part in ids_match.group("ids").split(","))
    rest = rest[ids_match.end() :]
    expires = None
    expires_match = _EXPIRES.match(rest)
    if expires_match is not None:
        expires = expires_match.group("date")
        rest = rest[expires_match.end() :]
    reason = rest.strip().lstrip(":-").strip()
    return ids, expires, reason or None


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", "//"))


def _next_code_line(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if _is_code(lines[i])), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], target: int) -> int:
    """The last line of the element starting at ``target``: a Terraform block to its closing
    brace, a YAML key or list item through the lines nested deeper (and, for a key, the list
    items written at its own indentation)."""
    line = lines[target]
    code = line.split("#", 1)[0].rstrip()
    if code.endswith(("{", "[")) and not code.lstrip().startswith("-"):
        depth = 0
        for index in range(target, len(lines)):
            text = lines[index].split("#", 1)[0]
            depth += text.count("{") + text.count("[") - text.count("}") - text.count("]")
            if depth <= 0:
                return index
        return len(lines) - 1
    own = _indent(line)
    is_key = code.endswith(":")
    last = target
    for index in range(target + 1, len(lines)):
        following = lines[index]
        if not _is_code(following):
            continue
        deeper = _indent(following) > own
        item_of_key = is_key and _indent(following) == own and following.lstrip().startswith("- ")
        if not (deeper or item_of_key):
            break
        last = index
    return last


# --- applying -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The findings with suppressions applied, and what the run must say about them."""

    findings: list[Finding]
    errors: list[InputError] = field(default_factory=list)
    notices: list[InputError] = field(default_factory=list)


def apply_suppressions(
    findings: Iterable[Finding],
    directives: Iterable[SuppressionDirective],
    known_rules: Iterable[str],
    ran: Iterable[str],
    today: datetime.date,
) -> Outcome:
    """Suppress what valid, unexpired directives cover; report invalid, expired and unused
    ones.  ``known_rules`` are the catalog's ids, ``ran`` those this run checked."""
    known = {rule.upper() for rule in known_rules}
    checked = {rule.upper() for rule in ran}
    outcome = Outcome([])
    valid: list[SuppressionDirective] = []
    expired: list[SuppressionDirective] = []
    for directive in directives:
        problem = _problem(directive, known)
        if problem is not None:
            outcome.errors.append(InputError(directive.file, problem, directive.line or None))
        elif directive.expires and _date(directive.expires) < today:
            expired.append(directive)
        else:
            valid.append(directive)
    used: set[int] = set()
    for finding in findings:
        for number, directive in enumerate(valid):
            if _covers(directive, finding):
                used.add(number)
                if finding.suppression is None:
                    finding = replace(finding, suppression=_suppression(directive))
        outcome.findings.append(finding)
    for directive in expired:
        rules = ", ".join(directive.rule_ids)
        outcome.notices.append(
            InputError(
                directive.file,
                f"the suppression of {rules} expired on {directive.expires}: its findings "
                "count again (renew it with a new date and reason, or fix them)",
                directive.line or None,
            )
        )
    for number, directive in enumerate(valid):
        if number in used or not {rule.upper() for rule in directive.rule_ids} & checked:
            continue
        outcome.notices.append(
            InputError(
                directive.file,
                f"unused suppression of {', '.join(directive.rule_ids)}: no such finding "
                f"{_where(directive)}; remove it",
                directive.line or None,
            )
        )
    return outcome


def _problem(directive: SuppressionDirective, known: set[str]) -> str | None:
    if not directive.rule_ids:
        return (
            "a rolelint suppression must name rule ids "
            "(Metadata: {rolelint: {ignore: [{id: RL101, reason: ...}]}} or "
            "'# rolelint:ignore RL101 reason')"
        )
    unknown = [rule for rule in directive.rule_ids if rule.upper() not in known]
    if unknown:
        return f"the suppression names unknown rule {', '.join(unknown)} (see 'rolelint rules')"
    if not directive.reason or not directive.reason.strip():
        return f"the suppression of {', '.join(directive.rule_ids)} needs a reason"
    if directive.expires is not None:
        try:
            _date(directive.expires)
        except ValueError:
            return f"the suppression's expiry '{directive.expires}' is not a date (YYYY-MM-DD)"
    if directive.resource is None and directive.lines is None:
        return "the suppression comment is followed by nothing it could apply to"
    return None


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.strip())


def _covers(directive: SuppressionDirective, finding: Finding) -> bool:
    if finding.file != directive.file:
        return False
    if finding.rule_id.upper() not in {rule.upper() for rule in directive.rule_ids}:
        return False
    if directive.resource is not None:
        return directive.resource in (finding.resource, finding.role)
    assert directive.lines is not None
    first, last = directive.lines
    return first <= finding.location.line <= last


def _suppression(directive: SuppressionDirective) -> Suppression:
    where = SourceRef(directive.file, Span.point(directive.line, 1)) if directive.line else None
    return Suppression(IN_SOURCE, directive.reason or "", directive.expires, where)


def _where(directive: SuppressionDirective) -> str:
    if directive.resource is not None:
        return f"on resource {directive.resource}"
    if directive.lines is not None:
        first, last = directive.lines
        return f"on line {first}" if first == last else f"on lines {first}-{last}"
    return "here"
