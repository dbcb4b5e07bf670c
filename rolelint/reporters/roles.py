"""The role inventory (``rolelint roles``) as a terminal table, JSON, CSV or Markdown.

The terminal table keeps one line per role, so a reviewer can scan a hundred roles down the
risk column; long cells are shortened with "…" and the full data is in the other formats.
JSON is for scripts (fields listed in docs/audit.md), CSV for spreadsheets, Markdown for a
review page.  Rows arrive already sorted and filtered.  Input errors and notices are printed on
standard error for every format (by the command); JSON also lists them, under ``errors`` and
``notices``, while text, CSV and Markdown stay the table alone (CSV a pure table a spreadsheet
reads).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from rolelint.audit.choices import SORT_WORDS
from rolelint.audit.rows import OPEN, SCOPED, UNKNOWN, WEAK, RoleRow
from rolelint.findings import InputError, Severity
from rolelint.json_text import dumps_indented
from rolelint.reporters.json_report import error_dict

_SEVERITY_LETTERS = {
    Severity.CRITICAL: "C",
    Severity.HIGH: "H",
    Severity.MEDIUM: "M",
    Severity.LOW: "L",
    Severity.INFO: "I",
}
_PARTIES = "; "  # between the parties of an ASSUMED BY cell (assumers_cell)
_KEPT_SUFFIX = " (admin)"  # marks a REACHES cell with an admin-level role; a cut keeps it
# What a cut keeps at a cell's end: " (admin)", the grade of the one party of an ASSUMED BY
# cell (Assumer.display) and what an ACCESS cell says of policies it does not judge, each
# "+N ..." (AccessSummary.display).  Cut off, the cell said a role was assumed by "GitHub
# Actions token.actions.githubuser…", and not on what terms.
_GRADES = "|".join(map(re.escape, (OPEN, WEAK, UNKNOWN, SCOPED, _KEPT_SUFFIX[2:-1])))
_KEPT_MARKER = re.compile(rf" \((?:{_GRADES}|\+\d+ [^()]*)\)$")


def render_rows(
    format_name: str,
    rows: Sequence[RoleRow],
    errors: Sequence[InputError],
    notices: Sequence[InputError],
    version: str,
    width: int | None = None,
    sort: str = "risk",
    filtered: bool = False,
) -> str:
    """The inventory in ``format_name``; ``width`` is the terminal's, for the text table
    (None: columns at their full width, as when the output is a file or a pipe); ``sort`` the
    name of the order the rows are in, which the text table says; ``filtered`` whether filters
    chose the rows (an empty table then says none matched, else that none was found)."""
    if format_name == "json":
        return _json(rows, errors, notices, version)
    if format_name == "csv":
        return _csv(rows)
    if format_name == "markdown":
        return _markdown(rows, filtered)
    return _text(rows, width, SORT_WORDS[sort], filtered)


# --- cells shared by every format ---------------------------------------------------------------


def duration(row: RoleRow) -> str:
    """``12h``, ``1h (default)``, ``90m``, ``unresolved``, ``invalid`` (every value is one AWS
    rejects: RL301); ``-`` for users and groups."""
    if row.kind != "role":
        return "-"
    if row.session_invalid:
        return "invalid"
    if row.max_session is None:
        return "unresolved"
    seconds = row.max_session
    hours, rest = divmod(seconds, 3600)
    if rest == 0:
        text = f"{hours}h"
    elif rest % 60 == 0:
        text = f"{hours}h{rest // 60}m" if hours else f"{rest // 60}m"
    else:
        text = f"{seconds}s"
    return text if row.session_written else f"{text} (default)"


def severity_counts(row: RoleRow) -> tuple[int, ...]:
    """How many active findings the row has of each severity, the most severe first: compared
    as they are, one critical finding outranks any number of high ones."""
    counts = dict.fromkeys(Severity, 0)
    for finding in row.findings:
        counts[finding.severity] += 1
    return tuple(counts.values())


def findings_cell(row: RoleRow) -> str:
    """``1C 2H 3M`` (active findings by severity), ``+2 accepted`` for suppressed ones."""
    counts = severity_counts(row)
    parts = [f"{n}{_SEVERITY_LETTERS[s]}" for s, n in zip(Severity, counts, strict=True) if n]
    if row.suppressed:
        parts.append(f"+{row.suppressed} accepted")
    return " ".join(parts) or "-"


def reaches_cell(row: RoleRow) -> str:
    if not row.reaches:
        return "-"
    text = row.reaches[0] if row.reaches_count == 1 else f"{row.reaches_count} roles"
    return text + (_KEPT_SUFFIX if row.reaches_admin else "")


def reaches_list(row: RoleRow) -> str:
    """Every name listed, how many more roles there are, and whether one is admin-level, as
    the terminal cell says: a spreadsheet or review page must still show which rows lead to an
    administrator.  After a list, " (admin)" would seem to mark only its last name."""
    if not row.reaches_count:
        return "-"
    return reaches_cell(row) if row.reaches_count == 1 else row.reaches_named()


def assumers_cell(row: RoleRow, separator: str = _PARTIES) -> str:
    if row.kind != "role":
        return "-"
    return separator.join(a.display() for a in row.assumed_by) or "nobody"


def where(row: RoleRow) -> str:
    """``file:line``; ``file:line (root envs/prod)`` for an instance of a module several
    scanned Terraform roots call, whose rows the file and line alone do not tell apart."""
    place = f"{row.ref.file}:{row.ref.line}"
    return f"{place} (root {row.root})" if row.root is not None else place


# --- text -------------------------------------------------------------------------------------

_COLUMNS = (
    ("RISK", 4, "right"),
    ("KIND", 5, "left"),
    ("NAME", 32, "left"),
    ("WHERE", 40, "path"),
    ("ASSUMED BY", 40, "left"),
    ("ACCESS", 36, "left"),  # "can escalate (+12 unread policies)" whole
    ("SESSION", 12, "left"),
    ("REACHES", 32, "left"),
    ("FINDINGS", 16, "left"),
)
# The columns that give way, in this order and down to these widths, when the table is wider
# than the terminal: REACHES and ACCESS first to what they need for most cells, then ASSUMED BY,
# WHERE and NAME, then REACHES and ACCESS again.
_NARROWEST = 16
_SHRINKING = (
    (7, 20),
    (5, 24),
    (4, _NARROWEST),
    (3, _NARROWEST),
    (2, _NARROWEST),
    (7, _NARROWEST),
    (5, _NARROWEST),
)
_KEPT_TEXT = 6  # the columns of text a cut keeps before a marker, else it keeps no marker


def _text(rows: Sequence[RoleRow], width: int | None, order: str, filtered: bool) -> str:
    from rolelint.reporters.text import clean

    if not rows:
        return "No role matches.\n" if filtered else "No role found.\n"
    table = [
        [
            str(row.risk.score),
            row.kind,
            row.name,
            where(row),
            assumers_cell(row),
            row.access.display(),
            duration(row),
            reaches_cell(row),
            findings_cell(row),
        ]
        for row in rows
    ]
    columns = list(range(len(_COLUMNS)))
    if all(row.kind == "role" for row in rows):
        columns.remove(1)  # every row is a role: the kind says nothing
    # Cells are cut to twice their column before they are made printable (clean can lengthen
    # them): a role listing thousands of names costs no more than a short one.
    for cells in table:
        for i in columns:
            limit = 2 * _COLUMNS[i][1]
            if len(cells[i]) > limit:
                cells[i] = _shortened(cells[i], limit, path=_COLUMNS[i][2] == "path")
            cells[i] = clean(cells[i])
    widths = {
        i: min(_COLUMNS[i][1], max(len(_COLUMNS[i][0]), *(_cells(c[i]) for c in table)))
        for i in columns
    }
    if width:
        _fit(widths, width)
    lines = [_line({i: _COLUMNS[i][0] for i in columns}, widths)]
    lines += [_line({i: cells[i] for i in columns}, widths) for cells in table]
    roles = sum(1 for row in rows if row.kind == "role")
    others = len(rows) - roles
    tail = f"{roles} role{'s' * (roles != 1)}"
    if others:
        tail += f", {others} user{'s' * (others != 1)} or group{'s' * (others != 1)}"
    lines.append("")
    lines.append(f"{tail}, {order} (risk: see 'rolelint roles --help').")
    return "\n".join(lines) + "\n"


def _fit(widths: dict[int, int], width: int) -> None:
    """Narrow the wide columns until the table fits ``width`` characters (or cannot shrink),
    each down to its floor in turn (:data:`_SHRINKING`); a column already narrower than its
    floor stays as it is."""
    for index, floor in _SHRINKING:
        excess = sum(widths.values()) + 2 * (len(widths) - 1) - width
        if excess <= 0:
            return
        if index in widths:
            widths[index] = max(min(floor, widths[index]), widths[index] - excess)


def _line(cells: dict[int, str], widths: dict[int, int]) -> str:
    out = []
    for index, cell in cells.items():
        limit = widths[index]
        align = _COLUMNS[index][2]
        if _cells(cell) > limit:
            cell = _shortened(cell, limit - 1, path=align == "path")
        pad = " " * (limit - _cells(cell))
        out.append(pad + cell if align == "right" else cell + pad)
    return "  ".join(out).rstrip()


def _shortened(cell: str, columns: int, *, path: bool) -> str:
    """``cell`` cut to ``columns`` columns plus an ellipsis: a path loses its start, anything
    else its end, but never its closing marker (:data:`_KEPT_MARKER`: " (admin)" after a
    reached role's name, which may be long when it carries its file, a party's grade, the
    unread policies) while a few columns of the text before it are left to show."""
    marker = None if path else _KEPT_MARKER.search(cell)
    # A list's mark is its last item's: kept after the first item's name, it told another's.
    single = marker is not None and _PARTIES not in cell[: marker.start()]
    suffix = (
        marker.group() if marker and single and columns - len(marker.group()) >= _KEPT_TEXT else ""
    )
    body = _cut(cell[: len(cell) - len(suffix)], columns - len(suffix), from_end=path)
    return ("…" + body if path else body + "…") + suffix


def _cells(text: str) -> int:
    """How many terminal columns ``text`` takes: a wide character (an emoji, a CJK letter) two,
    a combining mark none.  Counting characters shifted every later column of its row."""
    import unicodedata

    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )


def _cut(text: str, columns: int, *, from_end: bool) -> str:
    """The longest start (or end) of ``text`` that takes at most ``columns`` columns."""
    kept: list[str] = []
    used = 0
    for char in reversed(text) if from_end else text:
        used += _cells(char)
        if used > columns:
            break
        kept.append(char)
    return "".join(reversed(kept)) if from_end else "".join(kept)


# --- json -------------------------------------------------------------------------------------


def row_dict(row: RoleRow, listed: int | None = None) -> dict[str, Any]:
    """The row as data.  ``listed``: how many of its findings to list, then how many are left
    out (``findings_not_listed``, after ``findings``), as a role card does; None lists every
    one, with no such field, as the inventory does."""
    findings = row.findings if listed is None else row.findings[:listed]
    left_out = {} if listed is None else {"findings_not_listed": len(row.findings) - len(findings)}
    return {
        "kind": row.kind,
        "name": row.name,
        "id": row.node_id,
        "file": row.ref.file,
        "line": row.ref.line,
        "column": row.ref.column,
        "assumed_by": [
            {"kind": a.kind, "name": a.name, "external": a.external, "condition": a.condition}
            for a in row.assumed_by
        ],
        "access": row.access.level.value,
        "access_reason": row.access.why,
        "unread_policies": row.access.unresolved_policies,
        "aws_written_policies": row.access.aws_written_policies,
        "max_session_duration": row.max_session if row.kind == "role" else None,
        "max_session_duration_written": row.session_written,
        "max_session_duration_invalid": row.session_invalid,
        "max_session_duration_unresolved": row.session_unresolved,
        "reaches": list(row.reaches),
        "reaches_count": row.reaches_count,
        "reaches_admin": row.reaches_admin,
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity.value,
                "file": f.file,
                "line": f.location.line,
                "message": f.message,
            }
            for f in findings
        ],
        **left_out,
        "suppressed_findings": row.suppressed,
        "risk": row.risk.score,
        "risk_terms": {
            "exposure": row.risk.exposure,
            "access": row.risk.access,
            "reach": row.risk.reach,
            "findings": row.risk.findings,
        },
        "exposure": row.exposure,
        "root": row.root,
    }


def _json(
    rows: Sequence[RoleRow],
    errors: Sequence[InputError],
    notices: Sequence[InputError],
    version: str,
) -> str:
    """The inventory, then the input errors and notices with the fields of 'check' JSON's."""
    document = {
        "version": version,
        "roles": [row_dict(row) for row in rows],
        "errors": [error_dict(e) for e in sorted(errors, key=InputError.sort_key)],
        "notices": [error_dict(n) for n in sorted(notices, key=InputError.sort_key)],
    }
    return dumps_indented(document) + "\n"


# --- csv and markdown ---------------------------------------------------------------------------

_HEADINGS = (
    "risk",
    "kind",
    "name",
    "file",
    "line",
    "assumed_by",
    "access",
    "max_session",
    "reaches",
    "findings",
    "root",  # last: a column added after the others, which scripts read by position
)


def _flat(row: RoleRow) -> list[str]:
    return [
        str(row.risk.score),
        row.kind,
        row.name,
        row.ref.file,
        str(row.ref.line),
        assumers_cell(row),
        row.access.display(),
        duration(row),
        reaches_list(row),
        findings_cell(row),
        row.root or "",
    ]


def _not_a_formula(cell: str) -> str:
    """A cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return first; names come from the scanned files) quoted as text.  A lone ``-``
    (no chained role) is no formula."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and len(cell) > 1):
        return "'" + cell
    return cell


def _csv(rows: Sequence[RoleRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_HEADINGS)
    for row in rows:
        writer.writerow([_not_a_formula(cell) for cell in _flat(row)])
    return buffer.getvalue()


def _markdown(rows: Sequence[RoleRow], filtered: bool) -> str:
    from rolelint.reporters.markdown import code, text

    lines = [
        "| Risk | Kind | Name | Where | Assumed by | Access | Session | Reaches | Findings |",
        "|---:|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [
            str(row.risk.score),
            row.kind,
            code(row.name),
            code(where(row)),
            text(assumers_cell(row)),
            text(row.access.display()),
            text(duration(row)),
            text(reaches_list(row)),
            text(findings_cell(row)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if not rows:
        empty = "No role matches." if filtered else "No role found."
        lines.append(f"| | | {empty} | | | | | | |")
    return "\n".join(lines) + "\n"
