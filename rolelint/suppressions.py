"""Accepted risks written next to the code, and what they do to the findings of a run.

Two forms, both needing a reason (an accepted risk nobody can explain is not accepted):

- CloudFormation ``Metadata: {rolelint: {ignore: [{id: RL101, reason: "...", expires: ...}]}}``
  on a resource (YAML and JSON templates; ``expires`` is an optional YYYY-MM-DD): every finding
  of those rules on that resource (or on the role it is, or on the role SAM generates for a
  function or state machine) is suppressed.
- A comment ``# rolelint:ignore RL101[,RL102] [expires=2027-01-31] reason`` (``//`` and
  ``/* */`` work in Terraform too) on the line of an element, or alone on the line above it:
  every finding of those rules on that element and everything nested in it (a whole
  ``resource`` block, a whole template resource, one statement) is suppressed, and the findings
  of values a reference there brings from elsewhere (``Action = local.admin``: the finding is
  where the local's ``"*"`` is written; see ``SourceRef.used_at``), or a ``file()`` or
  ``templatefile()`` there reads; on a role, user or group,
  also the findings of that resource written outside its lines (a policy read by ``file()``, a
  local).

A suppression past its expiry date stops suppressing and says so; one that suppresses nothing
is reported as unused when the run judged every rule it names (they ran, and a chaining rule
only in a run of whole folders: see rolelint.scope) and read its Terraform module with the
inputs a caller gives; one without a reason, with an unknown rule
id or a date that is not one, or a comment whose reason holds an expiry it does not read
(``reason expires=2027-01-31``, ``expire=...``, ``expires: ...``) is an error naming its file
and line.  Suppressed findings stay in the
report with their reason (see rolelint.findings.Suppression).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from rolelint.catalog import Rule
from rolelint.findings import IN_SOURCE, Finding, InputError, Suppression
from rolelint.model import METADATA_SUPPRESSION_KEYS, Inventory, SuppressionDirective
from rolelint.scope import RunScope
from rolelint.source import SourceRef, Span, line_starts, split_lines

MARKER = "rolelint:ignore"
_COMMENT = re.compile(
    r"(?P<lead>#|//|/\*)\s*rolelint:ignore\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_IDS = re.compile(r"\s*(?P<ids>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")
_EXPIRES = re.compile(r"\s*expires=(?P<date>\S+)", re.IGNORECASE)
# An expiry the comment form does not read (after the reason, misspelt, ``expires: DATE``):
# taken as part of the reason, it suppressed for ever.  A key and a date: prose that speaks
# of an expiry ("the contract expires in 2027") is a reason like any other.
_STRAY_EXPIRY = re.compile(r"\bexpir[a-z]*\s*[=:]\s*\d{4}(?:[-/.]|\d)\S*", re.IGNORECASE)
# YAML node properties (a tag such as ``!Sub``, an anchor) written before a scalar.
_PROPERTIES = re.compile(r"(?:^|(?<=[\s\[{,]))(?:[!&]\S*\s+)+$")
# The indicators a YAML quoted scalar may follow (besides the start of the line).
_BEFORE_SCALAR = ":-?[{,"


# --- reading comments ----------------------------------------------------------------------------


def comments_of(file: str, text: str) -> list[SuppressionDirective]:
    """:func:`comment_directives`, cheaply: most files hold no directive at all.  JSON has no
    comments: ``# rolelint:ignore`` in a JSON file is text (a tag of a plan, a Sid), never a
    suppression; JSON templates use their resources' Metadata."""
    if MARKER not in text.lower() or file.lower().endswith(".json"):
        return []
    return comment_directives(file, text)


def comment_directives(file: str, text: str) -> list[SuppressionDirective]:
    """Every ``rolelint:ignore`` comment of a YAML or Terraform file, with the lines it covers."""
    from rolelint.parsers import HCL_SUFFIXES, line_breaks

    if MARKER not in text.lower():
        return []
    # Lines as the file's parser counts them: its findings' lines are those.
    breaks = line_breaks(file, text)
    hcl = file.lower().endswith(HCL_SUFFIXES)
    layout = _hcl_layout(text, breaks) if hcl else _yaml_layout(text, breaks)
    lines = layout.lines
    found: list[SuppressionDirective] = []
    # Comments stacked above one element share its lines: each line's next code line, and
    # each element's last line, are worked out once.  (Per comment, 20,000 comments above
    # a template's Resources took minutes.)
    next_code: list[int | None] | None = None
    ends: dict[int, int] = {}
    for comment in layout.comments:
        match = _COMMENT.match(lines[comment.line], comment.column)
        if match is None:
            continue
        if lines[comment.line][: comment.column].strip():
            target: int | None = comment.line
        else:  # the next code line; the comment's own when code follows a ``/* */`` there
            if next_code is None:
                next_code = _next_code_lines(layout.code)
            target = next_code[comment.line]
        covered = None
        if target is not None:
            if target not in ends:
                ends[target] = _block_end(lines, target, layout)
            covered = (target + 1, ends[target] + 1)
        rest = match.group("rest")
        if match.group("lead") == "/*":
            rest = rest.split("*/", 1)[0]  # the reason is on the comment's first line
        ids, expires, reason = _parse_rest(rest)
        found.append(
            SuppressionDirective(
                file,
                comment.line + 1,
                ids,
                reason,
                expires,
                resource=None,
                lines=covered,
                column=comment.column + 1,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class _Comment:
    """Where a comment of a file starts: ``column`` of ``line`` (a 0-based line index)."""

    line: int
    column: int


@dataclass
class _Layout:
    """What reading a file in its own language tells of its lines: where its comments are, which
    lines hold code, and the depth of open brackets at each line's start and end.

    A text scan that does not know the language takes text for structure: a ``#`` in a
    Terraform string (``Slack = "#alerts"``) cut the line, and the ``}`` after it went uncounted,
    so a comment above one resource covered every resource after it.  ``settled`` says a line
    ends outside a heredoc and a ``/* */`` comment: only there can an element end.  ``blocks``:
    every element ends where the depth falls back (Terraform); else only one whose line opens a
    flow collection, the others by indentation (YAML).
    """

    lines: list[str]
    comments: list[_Comment]
    code: list[bool]
    opened: list[int]
    closed: list[int]
    settled: list[bool]
    blocks: bool
    _columns: dict[int, int] | None = None

    def comment_column(self, index: int) -> int | None:
        """Where the comment starting on line ``index`` starts; None when none does."""
        if self._columns is None:
            self._columns = {}
            for comment in reversed(self.comments):
                self._columns[comment.line] = comment.column
        return self._columns.get(index)


# --- Terraform ---------------------------------------------------------------------------------

# In code: a string, a comment, a heredoc, a bracket.  In a string: an escape, its end, a
# template sequence (``${`` or ``%{``; ``$${`` and ``%%{`` are literal).
_HCL_CODE = re.compile(r'"|#|//|/\*|<<|[{}\[\]()]')
_HCL_STRING = re.compile(r'\\.|"|\$\$\{|%%\{|\$\{|%\{')
_HEREDOC = re.compile(r"<<-?(?P<marker>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*$")
_STRING = '"'
_TEMPLATE = "T"


def _hcl_layout(text: str, breaks: re.Pattern[str]) -> _Layout:
    """A Terraform file read as HCL: quoted strings with their escapes and ``${ }`` / ``%{ }``
    templates (which hold code, strings included), heredocs to their end marker, and ``#``,
    ``//`` and ``/* */`` comments.  Only brackets of code count; a heredoc's body is code (the
    value of its attribute) whatever it holds.  ``breaks`` are the file's line breaks."""
    lines = split_lines(text, breaks)
    layout = _Layout(lines, [], [], [], [], [], blocks=True)
    stack: list[str] = []  # open brackets, strings and templates, innermost last
    heredoc: str | None = None
    in_comment = False  # a /* */ comment is open at the line's end
    for index, line in enumerate(lines):
        layout.opened.append(len(stack))
        has_code = False
        if heredoc is not None:
            has_code = True
            if line.strip() == heredoc:
                heredoc = None
        else:
            position = 0
            if in_comment:
                close = line.find("*/")
                if close >= 0:
                    in_comment = False
                    position = close + 2
                else:
                    position = len(line)
            while position < len(line):
                if stack and stack[-1] == _STRING:
                    position = _hcl_string(line, position, stack)
                    continue
                found = _HCL_CODE.search(line, position)
                if found is None:
                    has_code = has_code or bool(line[position:].strip())
                    break
                has_code = has_code or bool(line[position : found.start()].strip())
                token, position = found.group(), found.end()
                if token in ("#", "//", "/*"):
                    layout.comments.append(_Comment(index, found.start()))
                    if token == "/*":
                        close = line.find("*/", position)
                        if close < 0:
                            in_comment = True
                            break
                        position = close + 2
                        continue
                    break
                has_code = True
                if token == "<<":
                    marker = _HEREDOC.match(line, found.start())
                    if marker is not None:
                        heredoc = marker.group("marker")
                        break
                elif token in "{[(" or token == _STRING:
                    stack.append(token)
                elif stack:  # a closing bracket; a template's ``}`` resumes its string
                    stack.pop()
            while stack and stack[-1] == _STRING:
                stack.pop()  # a string ends with its line (HCL allows no line break in one)
        layout.code.append(has_code)
        layout.closed.append(len(stack))
        layout.settled.append(heredoc is None and not in_comment)
    return layout


def _hcl_string(line: str, position: int, stack: list[str]) -> int:
    """Past the next escape, template sequence or end of the string open at ``position``."""
    found = _HCL_STRING.search(line, position)
    if found is None:
        return len(line)
    token = found.group()
    if token == _STRING:
        stack.pop()
    elif token in ("${", "%{"):
        stack.append(_TEMPLATE)
    return found.end()


# --- YAML ----------------------------------------------------------------------------------------


def _yaml_layout(text: str, breaks: re.Pattern[str]) -> _Layout:
    """A YAML file read by the YAML scanner (libyaml when present), which knows where each
    token starts and ends: a ``#`` outside every token starts a comment, one inside a block
    scalar (``Description: |``, ``ZipFile: |`` code), a quoted or a multi-line scalar is text,
    and so is its ``{`` or ``]``: only flow collections' own brackets give the depths.  A text
    the scanner refuses (not YAML: an AWS config file, a broken template) is read line by line
    instead (:func:`_plain_yaml_layout`).  ``breaks`` are the file's line breaks."""
    import yaml

    lines = split_lines(text, breaks)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        tokens = sorted(
            (token.start_mark.index, token.end_mark.index, _flow_step(token), _is_block(token))
            for token in yaml.scan(text, Loader=loader)
        )
    except yaml.YAMLError:
        return _plain_yaml_layout(lines)
    starts = line_starts(text, breaks)
    layout = _Layout(lines, [], [_is_code(line) for line in lines], [], [], [], blocks=False)
    steps = [0] * len(lines)
    reached = 0  # where the tokens read so far end
    for start, end, step, block in tokens:
        _gap_comments(text, reached, start, starts, layout.comments)
        if block:
            _header_comment(text, start, starts, layout.comments)
        reached = max(reached, end)
        if step:
            steps[_line_of(starts, start)] += step
    _gap_comments(text, reached, len(text), starts, layout.comments)
    depth = 0
    for step in steps:
        layout.opened.append(depth)
        depth += step
        layout.closed.append(depth)
        layout.settled.append(True)
    return layout


def _flow_step(token: object) -> int:
    """How a token changes the depth of flow collections."""
    import yaml

    if isinstance(token, (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
        return 1
    if isinstance(token, (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
        return -1
    return 0


def _is_block(token: object) -> bool:
    """Whether a token is a block scalar (``|`` or ``>``), whose header may end in a comment."""
    import yaml

    return isinstance(token, yaml.ScalarToken) and token.style in ("|", ">")


def _header_comment(text: str, start: int, starts: list[int], found: list[_Comment]) -> None:
    """The comment ending the header of the block scalar starting at ``start``
    (``AssumeRolePolicyDocument: !Sub |  # rolelint:ignore ...``): a real comment on the line
    of the key, which the scanner reads as part of the scalar's token.  After the indicators
    (``|``, ``>``, a chomping sign, an indentation digit) YAML allows only blanks and a comment
    there, so the header's first ``#`` starts it; the lines after it are the scalar's text."""
    line = _line_of(starts, start)
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    position = text.find("#", start, end)
    if position >= 0:
        found.append(_Comment(line, position - starts[line]))


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _gap_comments(
    text: str, start: int, end: int, starts: list[int], found: list[_Comment]
) -> None:
    """The comments between two tokens: only blanks and comments lie there, so each first
    ``#`` of a line starts one."""
    position = text.find("#", start, end)
    while position >= 0:
        line = _line_of(starts, position)
        found.append(_Comment(line, position - starts[line]))
        after = starts[line + 1] if line + 1 < len(starts) else end
        position = text.find("#", after, end)


def _plain_yaml_layout(lines: list[str]) -> _Layout:
    """A text the YAML scanner refuses, line by line: comments by :func:`_comment_start`,
    depths by counting the brackets before each line's ``#``."""
    layout = _Layout(lines, [], [_is_code(line) for line in lines], [], [], [], blocks=False)
    depth = 0
    for index, line in enumerate(lines):
        start = _comment_start(line)
        if start is not None:
            layout.comments.append(_Comment(index, start))
        code = line.split("#", 1)[0]
        layout.opened.append(depth)
        depth += code.count("{") + code.count("[") - code.count("}") - code.count("]")
        layout.closed.append(depth)
        layout.settled.append(True)
    return layout


def _comment_start(line: str) -> int | None:
    """Where the comment of a YAML line read alone starts, outside quoted strings
    (``"# rolelint:ignore"`` in a value is text, not a comment).

    A quote opens a string only where a scalar starts (``key: 'v'``, ``- "v"``, ``[a, 'b']``,
    after a tag ``!Sub "..."``): the apostrophe of ``Sid: it's-public`` is text, and taking it
    for one hid the comment after it.  A comment starts at a ``#`` after a space.
    """
    quote: str | None = None
    escaped = False
    closed = -1  # where the last quoted string ended: a comment may follow it directly
    for position, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == "'" == quote and line.startswith("''", position):
                escaped = True  # YAML writes a quote in a single-quoted string twice
            elif char == quote:
                quote = None
                closed = position
        elif char in "\"'":
            if _starts_scalar(line, position):
                quote = char
        elif char == "#" and _may_start_comment(line, position, closed):
            return position
    return None


def _may_start_comment(line: str, position: int, closed: int) -> bool:
    """A YAML ``#`` starts a comment at the line's start, after a blank, or right after a
    quoted string or a flow collection (``AWS: "*"# rolelint:ignore ...``, ``{AWS: "*"}#...``,
    which YAML loaders read as comments)."""
    if position == 0 or line[position - 1].isspace() or position - 1 == closed:
        return True
    return line[position - 1] in "]}"


def _starts_scalar(line: str, position: int) -> bool:
    """Whether a YAML scalar starts at ``position`` (so a quote there opens a string)."""
    if position and not (line[position - 1].isspace() or line[position - 1] in "[{,:"):
        return False  # ``it's``: a quote inside a plain word; ``"a":"b"`` (JSON style) opens
    before = _PROPERTIES.sub("", line[:position]).rstrip()
    return not before or before[-1] in _BEFORE_SCALAR


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


def _next_code_lines(code: list[bool]) -> list[int | None]:
    """For each line index, and one past the last, the first code line at or after it."""
    found: list[int | None] = [None] * (len(code) + 1)
    for index in range(len(code) - 1, -1, -1):
        found[index] = index if code[index] else found[index + 1]
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], target: int, layout: _Layout | None = None) -> int:
    """The last line of the element starting at ``target``: a Terraform element (a block, an
    attribute, a heredoc) through the line where its brackets close, a YAML flow collection
    likewise, a YAML key or list item through the lines nested deeper (and, for a key, the list
    items written at its own indentation).  ``layout`` is the file read in its language; the
    lines read as YAML alone without it."""
    if layout is None:
        layout = _plain_yaml_layout(lines)
    line = lines[target]
    code = line[: layout.comment_column(target)].rstrip()
    if layout.blocks or (code.endswith(("{", "[")) and not code.lstrip().startswith("-")):
        for index in range(target, len(lines)):
            if layout.settled[index] and layout.closed[index] <= layout.opened[target]:
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
    catalog: Mapping[str, Rule],
    scope: RunScope,
    today: datetime.date,
    definitions: Mapping[str, Iterable[tuple[str, int]]] | None = None,
    unmarked: Iterable[SourceRef] = (),
) -> Outcome:
    """Suppress what valid, unexpired directives cover; report invalid, expired and unused
    ones.  ``catalog`` is the rule catalog by id; ``scope`` says which rules this run judged;
    ``definitions`` where each resource is defined (:func:`definitions`), for the findings of
    a commented resource written outside its lines; ``unmarked`` the references whose values
    were not marked with where they are used (``Inventory.unmarked_uses``): a comment covering
    one that matched nothing is said to be out of reach, not unused.

    A directive is unused only when every rule it names was judged: one of RL101,RL102 in a
    run of RL101 alone may be there for RL102, and one of a chaining rule in a pre-commit run
    of one file may be there for a chain through a file the hook did not pass.  Nor is one in
    a Terraform module the run read without its caller's inputs (``scope.inputs_known``): the
    finding it means may need what the caller passes.
    """
    outcome = Outcome([])
    valid: list[SuppressionDirective] = []
    expired: list[SuppressionDirective] = []
    for directive in directives:
        problem = _problem(directive, catalog)
        if problem is not None:
            outcome.errors.append(_about(directive, problem))
        elif directive.expires and _date(directive.expires) < today:
            expired.append(directive)
        else:
            valid.append(directive)
    listed = list(findings)
    unmarked_lines = _Unmarked(unmarked)
    partial: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
    first, used = _covering(listed, valid, definitions, partial)
    for finding, number in zip(listed, first, strict=True):
        if number is not None and finding.suppression is None:
            finding = replace(finding, suppression=_suppression(valid[number]))
        outcome.findings.append(finding)
    for directive in expired:
        rules = ", ".join(directive.rule_ids)
        outcome.notices.append(
            _about(
                directive,
                f"the suppression of {rules} expired on {directive.expires}: its findings "
                "count again (renew it with a new date and reason, or fix them)",
            )
        )
    for number, covered in sorted(partial.items()):
        # Only of findings still reported: another directive (a comment) may suppress them.
        left = [
            (listed[i], roles) for i, roles in covered if outcome.findings[i].suppression is None
        ]
        if left:
            outcome.notices.append(_partial_notice(valid[number], left))
    for number, directive in enumerate(valid):
        if number in used or not all(scope.judges(rule) for rule in directive.rule_ids):
            continue
        if not scope.whole(directive.file):
            continue  # its module lost a file: the finding may be gone only with it
        if not scope.inputs_known(directive.file):
            continue  # a module without its caller's inputs: the finding may need them
        missed = unmarked_lines.first_in(directive)
        if missed is not None:
            outcome.notices.append(_out_of_reach(directive, missed))
            continue
        outcome.notices.append(
            _about(
                directive,
                f"unused suppression of {', '.join(directive.rule_ids)}: no such finding "
                f"{_where(directive)}; remove it",
            )
        )
    return outcome


class _Unmarked:
    """The lines of references whose values went unmarked, by file, to find the first one a
    comment covers."""

    def __init__(self, references: Iterable[SourceRef]) -> None:
        self.lines: dict[str, list[int]] = {}
        for reference in references:
            self.lines.setdefault(reference.file, []).append(reference.line)
        for lines in self.lines.values():
            lines.sort()

    def first_in(self, directive: SuppressionDirective) -> int | None:
        """The first such line ``directive`` (a comment) covers; None when it covers none."""
        import bisect

        lines = self.lines.get(directive.file)
        if not lines or directive.lines is None:
            return None
        start, end = directive.lines
        at = bisect.bisect_left(lines, start)
        return lines[at] if at < len(lines) and lines[at] <= end else None


def _out_of_reach(directive: SuppressionDirective, line: int) -> InputError:
    """What to say of a comment that matched nothing while it covers a reference whose value
    was not marked: the finding it means may be there, reported where the value is written."""
    return _about(
        directive,
        f"suppression of {', '.join(directive.rule_ids)} {_where(directive)} matched no finding, "
        f"and may not reach the one it means: the value the reference on line {line} brings is "
        "used at too many places to follow each use (see the limits in docs/fuzzing.md), so "
        "its findings are reported where it is written, and a comment there suppresses them",
    )


def _about(directive: SuppressionDirective, message: str) -> InputError:
    """An error or a note about ``directive``, at its line and column (when it has a line)."""
    line = directive.line or None
    return InputError(directive.file, message, line, directive.column if line else None)


def _problem(directive: SuppressionDirective, catalog: Mapping[str, Rule]) -> str | None:
    if directive.unknown_keys:
        keys = ", ".join(repr(key) for key in directive.unknown_keys)
        plural = "s" * (len(directive.unknown_keys) != 1)
        known_keys = ", ".join(METADATA_SUPPRESSION_KEYS)
        return f"the suppression has unknown key{plural} {keys} (known: {known_keys})"
    if not directive.rule_ids:
        return (
            "a rolelint suppression must name rule ids "
            "(Metadata: {rolelint: {ignore: [{id: RL101, reason: ...}]}} or "
            "'# rolelint:ignore RL101 reason')"
        )
    unknown = [rule for rule in directive.rule_ids if rule.upper() not in catalog]
    if unknown:
        return _unknown_rules(unknown, catalog, json_text=directive.in_json)
    if not directive.reason or not directive.reason.strip():
        return f"the suppression of {', '.join(directive.rule_ids)} needs a reason"
    stray = _STRAY_EXPIRY.search(directive.reason) if directive.resource is None else None
    if stray is not None:
        return (
            f"the suppression of {', '.join(directive.rule_ids)} has an expiry its comment does "
            f"not read ('{stray.group()}' is taken as part of the reason): write it as "
            "expires=YYYY-MM-DD right after the rule ids "
            "('# rolelint:ignore RL101 expires=2027-01-31 reason')"
        )
    if directive.expires is not None:
        try:
            _date(directive.expires)
        except ValueError:
            return f"the suppression's expiry '{directive.expires}' is not a date (YYYY-MM-DD)"
    if directive.resource is None and directive.lines is None:
        return "the suppression comment is followed by nothing it could apply to"
    return None


def _unknown_rules(unknown: list[str], catalog: Mapping[str, Rule], json_text: bool) -> str:
    """What to say of rule ids a suppression names that are not ids.  A rule's name, an id
    prefix or a class names rules everywhere else (the configuration, ``--select``), so it is
    what a user writes here too; "unknown rule" then denied a rule the finding just above
    names.  A suppression stays exact (it names the rules whose risk was accepted, and none
    added later), so the message gives the ids to write instead.

    Metadata's ``id: RL101, RL102`` is one string (the comment form reads the same text as two
    ids): "unknown rule RL101, RL102" named two real rules, so the message gives the list to
    write, as the template's language writes it (``json_text``).  Each text is quoted: one
    holding a comma is one id, not several."""
    from rolelint.engine import Selection

    hints: list[str] = []
    lists: list[str] = []
    unnamed: list[str] = []
    for text in unknown:
        pieces = [piece.strip() for piece in text.split(",")]
        if len(pieces) > 1 and all(piece.upper() in catalog for piece in pieces):
            written = (
                f'"id": [{", ".join(json.dumps(piece) for piece in pieces)}]'
                if json_text
                else f"id: [{', '.join(pieces)}]"
            )
            lists.append(
                f"the suppression's id '{text}' names several rules in one string: write {written}"
            )
            continue
        selection = Selection([text])
        ids = [rule.id for rule in catalog.values() if selection.enabled(rule)]
        if len(ids) == 1:
            hints.append(f"write {ids[0]} for {text}")
        elif ids:
            hints.append(f"{text} is {', '.join(ids)}: write those whose risk is accepted")
        else:
            unnamed.append(f"'{text}'")
    said = []
    if hints:
        said.append(f"suppressions name rules by exact id: {'; '.join(hints)}")
    said.extend(lists)
    if unnamed:
        said.append(
            f"the suppression names unknown rule {', '.join(unnamed)} (see 'rolelint rules')"
        )
    return "; ".join(said)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(text: str) -> datetime.date:
    """An expiry as the documentation gives it, YYYY-MM-DD; ValueError for anything else.
    ``date.fromisoformat`` alone (Python 3.11+) also reads week dates and compact dates:
    ``2099-W01`` suppressed, and ``20200101`` "expired on 20200101"."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return datetime.date.fromisoformat(text)


def definitions(inventory: Inventory) -> dict[str, set[tuple[str, int]]]:
    """Where each role, user, group and policy resource is defined (file, line of its
    resource): a comment there covers the findings of that resource wherever its policy text is
    written."""
    found: dict[str, set[tuple[str, int]]] = {}
    holders = [(role.id, role.ref) for role in inventory.roles]
    holders += [(identity.id, identity.ref) for identity in inventory.identities]
    documents = [d for role in inventory.roles for d in role.policies]
    documents += [d for identity in inventory.identities for d in identity.policies]
    documents += inventory.standalone_policies
    holders += [(d.resource, d.defined_at) for d in documents if d.defined_at is not None]
    for resource, ref in holders:
        found.setdefault(resource, set()).add((ref.file, ref.line))
    return found


def _home(file: str, places: Iterable[tuple[str, int]]) -> tuple[str, int] | None:
    """Which of a resource's definitions a finding in ``file`` is of: its only one, else the
    only one in that file, else in that folder; None when that does not tell.  A finding names
    a resource by its address alone, and two root modules (``envs/dev``, ``envs/prod``) may
    both define ``aws_iam_role.app``."""
    import os.path

    listed = list(places)
    if len(listed) == 1:
        return listed[0]
    for near in (
        [place for place in listed if place[0] == file],
        [place for place in listed if os.path.dirname(place[0]) == os.path.dirname(file)],
    ):
        if len(near) == 1:
            return near[0]
    return None


def _partial_notice(
    directive: SuppressionDirective, covered: list[tuple[Finding, tuple[str, ...]]]
) -> InputError:
    """What to say of a suppression on a role whose findings also concern other roles (a
    managed policy attached to both): it is used, but does not suppress them."""
    from rolelint.checks.base import some_of

    finding, others = covered[0]
    more = f" (and {len(covered) - 1} more)" if len(covered) > 1 else ""
    return _about(
        directive,
        f"partial suppression of {', '.join(directive.rule_ids)} {_where(directive)}: the "
        f"finding at {finding.file}:{finding.location.line}{more} also concerns role "
        f"{some_of(others)}, which does not suppress it, so it is still reported",
    )


def _roles(finding: Finding) -> tuple[str, ...]:
    """The roles a finding concerns, one by one, other than its own resource."""
    return tuple(role for role in finding.roles if role != finding.resource)


def _by_role(
    finding: Finding, rule: str, by_resource: Mapping[tuple[str, str, str], list[int]]
) -> dict[str, list[int]]:
    """The entries on each role of ``finding`` (other than its resource) that name its rule."""
    found = {role: by_resource.get((finding.file, rule, role)) for role in _roles(finding)}
    return {role: numbers for role, numbers in found.items() if numbers}


def _covering(
    findings: list[Finding],
    directives: list[SuppressionDirective],
    definitions: Mapping[str, Iterable[tuple[str, int]]] | None = None,
    partial: dict[int, list[tuple[int, tuple[str, ...]]]] | None = None,
) -> tuple[list[int | None], set[int]]:
    """For each finding, the first directive (by its number in ``directives``) that covers it,
    None when none does; and the numbers of the directives that cover some finding.

    Asking every directive about every finding cost their product: a template of 3,000 roles
    with ten comments each took 51 s.  Directives are found by file and rule instead: Metadata
    entries by their resource, comments by their lines (a finding's own, and the one where a
    reference uses its value), swept in line order, and by where
    their lines start: a comment on a resource's definition (``definitions``) covers that
    resource's findings written outside its lines.  A Terraform role's trust policy read by
    ``file()``, or kept in a local or a data source, is written outside the role's block, and
    its findings are still that role's.  When it cannot be told which of several definitions
    of an address a finding is of, no comment suppresses it and none is called unused for it.

    An entry on a role covers a finding of another resource (a managed policy) that concerns
    that role only when every role it concerns has one: a policy attached to RoleA and RoleB is
    a risk RoleB did not accept.  The entries of the roles that did are used all the same, not
    "unused ... remove it"; ``partial`` collects them (by number, with the finding and the
    roles left: finding indexes, with the roles that did not suppress it).
    """
    first: list[int | None] = [None] * len(findings)
    used: set[int] = set()
    by_resource: dict[tuple[str, str, str], list[int]] = {}
    by_lines: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    by_start: dict[tuple[str, int, str], list[int]] = {}  # comments by (file, line, rule)
    for number, directive in enumerate(directives):
        for rule in {rule_id.upper() for rule_id in directive.rule_ids}:
            if directive.resource is not None:
                for resource in (directive.resource, *directive.also):
                    key = (directive.file, rule, resource)
                    by_resource.setdefault(key, []).append(number)
            else:
                assert directive.lines is not None
                start, end = directive.lines
                by_lines.setdefault((directive.file, rule), []).append((start, end, number))
                by_start.setdefault((directive.file, start, rule), []).append(number)
    hit: set[tuple[str, str, str]] = set()
    to_sweep: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (line, finding index)
    for index, finding in enumerate(findings):
        rule = finding.rule_id.upper()
        key = (finding.file, rule, finding.resource)
        own = by_resource.get(key)
        if own:  # in order: the first is the lowest
            first[index] = _lower(first[index], own[0])
            hit.add(key)
        held = _by_role(finding, rule, by_resource)
        hit.update((finding.file, rule, role) for role in held)
        left = tuple(role for role in _roles(finding) if role not in held)
        if held and not left:
            first[index] = _lower(first[index], min(entries[0] for entries in held.values()))
        elif held and not own and partial is not None:
            for entries in held.values():
                partial.setdefault(entries[0], []).append((index, left))
        places = (definitions or {}).get(finding.resource) if by_start else None
        if places:
            home = _home(finding.file, places)
            for place in places if home is None else (home,):
                numbers = by_start.get((*place, rule))
                if numbers:
                    used.update(numbers)
                    if home is not None:
                        first[index] = _lower(first[index], numbers[0])
        for at in (finding.location, finding.location.used_at):
            if at is not None and (at.file, rule) in by_lines:
                to_sweep.setdefault((at.file, rule), []).append((at.line, index))
    for key in hit:  # every entry on a resource with a finding of its rule is used
        used.update(by_resource[key])
    for (file, rule), placed in to_sweep.items():
        _sweep(placed, by_lines[file, rule], first, used)
    return first, used


def _sweep(
    placed: list[tuple[int, int]],
    spans: list[tuple[int, int, int]],
    first: list[int | None],
    used: set[int],
) -> None:
    """The comments of one file and rule (``spans``: first line, last line, number) against
    the findings on its lines (``placed``: line, finding index; a finding is on the line where
    it is written, and on the line where a reference uses it: ``SourceRef.used_at``): the
    lowest-numbered comment covering each, and every comment covering one."""
    import bisect
    import heapq

    placed = sorted(placed)
    indexes = [index for _, index in placed]
    lines = [line for line, _ in placed]
    for start, end, number in spans:
        at = bisect.bisect_left(lines, start)
        if at < len(lines) and lines[at] <= end:
            used.add(number)
    spans = sorted(spans)
    open_spans: list[tuple[int, int]] = []  # (number, last line): the lowest number on top
    taken = 0
    for index, line in zip(indexes, lines, strict=True):
        while taken < len(spans) and spans[taken][0] <= line:
            heapq.heappush(open_spans, (spans[taken][2], spans[taken][1]))
            taken += 1
        while open_spans and open_spans[0][1] < line:  # ended above this line and all later
            heapq.heappop(open_spans)
        if open_spans:
            first[index] = _lower(first[index], open_spans[0][0])


def _lower(current: int | None, number: int) -> int:
    return number if current is None else min(current, number)


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
