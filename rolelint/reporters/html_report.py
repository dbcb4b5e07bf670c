"""The audit as one self-contained HTML page (``rolelint report``).

An audit is shared as a file: mailed, attached to a ticket, opened years later on a machine
with no network.  So the page carries everything inline (style, script, the graph as SVG),
loads nothing, and says so to the browser with a Content-Security-Policy that forbids any
request.  Everything taken from scanned files is escaped: a role named ``<script>`` is text.

The page has the inventory table (sortable by any column), a card for each role (opened from
its row or its node in the graph), the assume-role graph, the findings, the input errors and the
notes (what was read but not judged, or left out on purpose).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rolelint.audit.card import RoleCard
from rolelint.audit.rows import RoleRow
from rolelint.findings import Finding, InputError, Severity
from rolelint.reporters.roles import (
    assumers_cell,
    duration,
    findings_cell,
    reaches_list,
    severity_counts,
    where,
)

# Control characters but tab and line feed: shown as \x.. rather than passed to the page.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_CARDS = 500  # cards written, most dangerous first: a page must still open
# And at most this many characters of them: a card lists up to 200 hops, so 500 cards of roles
# that may each assume hundreds of others came to tens of megabytes.
MAX_CARD_TEXT = 10_000_000
MAX_FINDINGS = 5000
# Rows of the inventory shown at once (the first after each sort); the rest are one click away.
# Laying out tens of thousands of table rows takes a browser several seconds per sort.
SHOWN_ROWS = 1000
# Parties listed in a row's "Assumed by" cell: roles that 1,000 others may assume made the
# table alone 32 MB.  The card lists them all (up to its own cap).
SHOWN_ASSUMERS = 20


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the page says about the run itself."""

    version: str
    data_version: str
    paths: tuple[str, ...]


def render_html(
    rows: Sequence[RoleRow],
    cards: Sequence[RoleCard],
    findings: Sequence[Finding],
    errors: Sequence[InputError],
    notices: Sequence[InputError],
    graph_svg: str,
    facts: PageFacts,
) -> str:
    """The page; ``rows`` in the order the table starts with, ``cards`` for some of them (by
    ``node_id``), ``notices`` the report's, ``graph_svg`` an inline ``<svg>`` element."""
    written, card_ids = _cards(cards)
    active = [f for f in findings if not f.suppressed]
    parts = [
        _HEAD.format(title=_e(f"rolelint report: {len(rows)} principals, {len(active)} findings")),
        _header(rows, active, facts),
        _inventory(rows, card_ids),
        '<section id="cards" aria-label="Role cards">',
        *_cards_left_out(rows, len(written)),
        *written,
        "</section>",
        _graph(graph_svg),
        _findings(active),
        _errors(errors),
        _notes(notices),
        f"<script>{_SCRIPT}</script>",
        "</body></html>\n",
    ]
    return "\n".join(parts)


def fitting(cards: Sequence[RoleCard]) -> list[RoleCard]:
    """The first of ``cards`` the page writes: as many as fit :data:`MAX_CARD_TEXT`."""
    return list(cards[: len(_cards(cards)[0])])


def _cards(cards: Sequence[RoleCard]) -> tuple[list[str], dict[str, str]]:
    """The cards' HTML, in order, as many as fit :data:`MAX_CARD_TEXT` (the first always),
    and the id of each written card by node id."""
    written: list[str] = []
    ids: dict[str, str] = {}
    size = 0
    for number, card in enumerate(cards, 1):
        card_id = f"card-{number}"
        text = _card(card, card_id)
        size += len(text)
        if written and size > MAX_CARD_TEXT:
            break
        written.append(text)
        ids[card.row.node_id] = card_id
    return written, ids


def _cards_left_out(rows: Sequence[RoleRow], written: int) -> list[str]:
    """What the page says when some roles have no card (nothing when each has one)."""
    roles = sum(1 for row in rows if row.kind == "role")
    if written >= roles:
        return []
    return [
        f'<p id="cards-cut">Cards are written for the {written} most dangerous of the {roles}'
        " roles, to keep the page small: 'rolelint show ROLE' prints any card.</p>"
    ]


def _e(text: object) -> str:
    """Escaped for HTML text and quoted attributes; control characters made visible."""
    cleaned = _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", str(text))
    return html.escape(cleaned, quote=True)


def _header(rows: Sequence[RoleRow], active: Sequence[Finding], facts: PageFacts) -> str:
    by_severity: dict[Severity, int] = {}
    for finding in active:
        by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
    ordered = sorted(by_severity.items(), key=lambda item: -item[0].rank)  # worst first
    counts = ", ".join(f"{count} {severity.value}" for severity, count in ordered) or "none"
    roles = sum(1 for row in rows if row.kind == "role")
    return (
        "<header><h1>rolelint report</h1>"
        f"<p>rolelint {_e(facts.version)}; IAM action data {_e(facts.data_version)}. "
        f"Scanned: {_e(', '.join(facts.paths))}.</p>"
        f'<p id="totals">{roles} roles, {len(rows) - roles} users or groups that assume roles; '
        f"{len(active)} findings ({_e(counts)}).</p>"
        '<nav><a href="#inventory">Roles</a> <a href="#graph">Graph</a> '
        '<a href="#findings">Findings</a> <a href="#errors">Input errors</a> '
        '<a href="#notes">Notes</a></nav></header>'
    )


_COLUMNS = (
    ("Risk", "number"),
    ("Kind", "text"),
    ("Name", "text"),
    ("Where", "text"),
    ("Assumed by", "text"),
    ("Access", "number"),
    ("Session", "number"),
    ("Reaches", "number"),
    ("Findings", "text"),  # by severity: see _severity_key
)


# Fixed column widths: the browser lays the table out from its first row, not by measuring
# every cell, which takes seconds once a scan lists tens of thousands of principals.
_COLGROUP = (
    "<colgroup>"
    + "".join(f'<col style="width:{width}%">' for width in (4, 4, 13, 17, 20, 9, 8, 13, 12))
    + "</colgroup>"
)


def _inventory(rows: Sequence[RoleRow], card_ids: dict[str, str]) -> str:
    heads = "".join(
        f'<th scope="col" data-type="{kind}"><button type="button">{_e(title)}</button></th>'
        for title, kind in _COLUMNS
    )
    most = max((n for row in rows for n in severity_counts(row)), default=0)
    digits = len(str(most))
    body = [
        _table_row(row, card_ids.get(row.node_id), position, digits)
        for position, row in enumerate(rows)
    ]
    return (
        '<section id="inventory"><h2>Roles</h2>'
        "<p>Most dangerous first. Click a column to sort by it; click a role to open its card."
        " The risk score is documented in rolelint's docs/audit.md.</p>"
        f'<table id="roles">{_COLGROUP}<thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody>"
        f"</table>{_show_all(len(rows))}</section>"
    )


def _show_all(count: int) -> str:
    if count <= SHOWN_ROWS:
        return ""
    return (
        f'<p><button type="button" id="show-all" data-limit="{SHOWN_ROWS}">Show all {count} rows'
        f"</button> (the first {SHOWN_ROWS} are shown, in the current order)</p>"
    )


def _severity_key(row: RoleRow, digits: int) -> str:
    """The Findings column's sort key: the counts of critical, high, medium, low and info
    findings, each written with ``digits`` digits, so that the page's text comparison orders
    rows by their most severe findings first (``1C`` above ``3H``, ``1C 1L`` above ``1C``).
    Their number alone put one low finding level with one critical, and below two medium
    ones."""
    return ".".join(f"{count:0{digits}d}" for count in severity_counts(row))


def _table_row(row: RoleRow, card_id: str | None, position: int, digits: int) -> str:
    assumers = _assumers(row)
    cells = (
        (row.risk.score, str(row.risk.score)),
        (row.kind, row.kind),
        (row.name.casefold(), row.name),
        (where(row), where(row)),
        (assumers, assumers),
        (row.access.level.rank, row.access.display()),
        (row.session_order if row.kind == "role" else -1, duration(row)),
        (row.reaches_count, reaches_list(row)),
        (_severity_key(row, digits), findings_cell(row)),
    )
    tds = "".join(f'<td data-value="{_e(value)}">{_e(text)}</td>' for value, text in cells)
    opens = f' data-card="{card_id}" tabindex="0"' if card_id else ""
    hidden = " hidden" if position >= SHOWN_ROWS else ""
    return f'<tr data-node="{_e(row.node_id)}" data-position="{position}"{opens}{hidden}>{tds}</tr>'


def _assumers(row: RoleRow) -> str:
    """The "Assumed by" cell: the first :data:`SHOWN_ASSUMERS` parties, and how many more."""
    more = len(row.assumed_by) - SHOWN_ASSUMERS
    if row.kind != "role" or more <= 0:
        return assumers_cell(row)
    shown = "; ".join(a.display() for a in row.assumed_by[:SHOWN_ASSUMERS])
    return f"{shown} and {more} more"


def _card(card: RoleCard, card_id: str) -> str:
    row = card.row
    sections = []
    for section in card.sections:
        lines = "".join(
            f'<li style="margin-left:{line.depth * 1.5}em">{_e(line.text)}'
            + (
                f' <span class="where">{_e(line.ref.file)}:{line.ref.line}</span>'
                if line.ref is not None
                else ""
            )
            + "</li>"
            for line in section.lines
        )
        sections.append(f"<h4>{_e(section.title)}</h4><ul>{lines}</ul>")
    return (
        f'<article class="card" id="{card_id}" data-node="{_e(row.node_id)}" hidden>'
        f"<h3>{_e(row.name)} <small>risk {row.risk.score}, {_e(row.access.display())}</small>"
        '</h3><button type="button" class="close">Close</button>'
        f"{''.join(sections)}</article>"
    )


def _graph(svg: str) -> str:
    return (
        '<section id="graph"><h2>Who can assume which role</h2>'
        "<p>An arrow A → B means A can obtain B's credentials. Click a role to open its card.</p>"
        f'<div class="graph">{svg}</div></section>'
    )


def _findings(active: Sequence[Finding]) -> str:
    shown = active[:MAX_FINDINGS]
    rows = "".join(
        "<tr>"
        f"<td>{_e(f.severity.value)}</td><td>{_e(f.rule_id)} {_e(f.rule)}</td>"
        f"<td>{_e(f.file)}:{f.location.line}</td><td>{_e(_roles_cell(f))}</td>"
        f"<td>{_e(f.message)}</td></tr>"
        for f in shown
    )
    more = (
        f"<p>{len(active) - len(shown)} more findings are not shown: run rolelint check.</p>"
        if len(active) > len(shown)
        else ""
    )
    return (
        f'<section id="findings"><h2>Findings ({len(active)})</h2>'
        '<table><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
        '<th scope="col">Where</th><th scope="col">Role</th><th scope="col">Message</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>{more}</section>"
    )


def _roles_cell(finding: Finding) -> str:
    """The roles a finding is on (its resource when it names none): those it names, then the
    other instances it stands for, whose rows and cards count it too (a finding merged for
    ``module.a`` and ``module.b`` of one root names module.a, "also as module.b...")."""
    if finding.role is None:
        return finding.resource
    others = [name for name in finding.every_role if name not in finding.roles]
    return ", ".join([finding.role, *others])


def _errors(errors: Sequence[InputError]) -> str:
    if not errors:
        return (
            '<section id="errors"><h2>Input errors</h2><p>None: every file was read.</p></section>'
        )
    return (
        f'<section id="errors"><h2>Input errors ({len(errors)})</h2>'
        "<p>A file that could not be read or parsed was not analyzed; other errors (an invalid"
        f" suppression) are mistakes in files that were.</p>{_entries(errors)}</section>"
    )


def _notes(notices: Sequence[InputError]) -> str:
    if not notices:
        return '<section id="notes"><h2>Notes</h2><p>None.</p></section>'
    return (
        f'<section id="notes"><h2>Notes ({len(notices)})</h2>'
        "<p>What rolelint read but could not judge, or left out on purpose (a value known only"
        " after apply, a module it does not read, a transform it does not expand); they are not"
        f" errors.</p>{_entries(notices)}</section>"
    )


def _entries(entries: Sequence[InputError]) -> str:
    """Input errors or notes as a list, each ``file:line: message``, in report order."""
    items = "".join(
        f"<li>{_e(e.file)}{f':{e.line}' if e.line else ''}: {_e(e.message)}</li>"
        for e in sorted(entries, key=InputError.sort_key)
    )
    return f"<ul>{items}</ul>"


_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; }}
table {{ border-collapse: collapse; width: 100%; margin: .5em 0 1.5em; }}
#roles {{ table-layout: fixed; }}
#roles td {{ overflow-wrap: anywhere; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left;
  vertical-align: top; }}
th button {{ font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer;
  padding: 0; }}
th[aria-sort="ascending"] button::after {{ content: " ▲"; }}
th[aria-sort="descending"] button::after {{ content: " ▼"; }}
#roles tbody tr[data-card] {{ cursor: pointer; }}
#roles tbody tr[data-card]:hover, #roles tbody tr.open {{ background: #f0f4ff; }}
.card {{ border: 1px solid #99a; border-radius: 6px; padding: .5em 1em; margin: 1em 0;
  background: #fcfcff; }}
.card ul {{ list-style: none; padding-left: .5em; margin: .2em 0; }}
.where {{ color: #666; font-family: ui-monospace, monospace; font-size: 90%; }}
.graph {{ overflow: auto; border: 1px solid #ddd; max-height: 80vh; }}
nav a {{ margin-right: 1em; }}
</style></head><body>"""

_SCRIPT = r"""
(function () {
  "use strict";
  var table = document.getElementById("roles");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function value(row, index, type) {
    var text = row.cells[index].getAttribute("data-value");
    return type === "number" ? Number(text) : text;
  }
  function sortBy(index) {
    var head = heads[index];
    var type = head.getAttribute("data-type");
    var ascending = head.getAttribute("aria-sort") !== "ascending";
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    // Keys read once and the rows moved in one fragment: one layout per sort, not one per row.
    var keyed = Array.prototype.map.call(body.rows, function (row) {
      return {row: row, key: value(row, index, type),
              position: Number(row.getAttribute("data-position"))};
    });
    keyed.sort(function (a, b) {
      var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      if (!ascending) { order = -order; }
      return order || a.position - b.position;
    });
    var moved = document.createDocumentFragment();
    keyed.forEach(function (item, place) {
      item.row.hidden = limit > 0 && place >= limit;
      moved.appendChild(item.row);
    });
    body.appendChild(moved);
  }
  var showAll = document.getElementById("show-all");
  var limit = showAll ? Number(showAll.getAttribute("data-limit")) : 0;
  if (showAll) {
    showAll.addEventListener("click", function () {
      limit = 0;
      Array.prototype.forEach.call(body.rows, function (row) { row.hidden = false; });
      showAll.parentNode.hidden = true;
    });
  }
  Array.prototype.forEach.call(heads, function (head, index) {
    head.querySelector("button").addEventListener("click", function () { sortBy(index); });
  });
  function openCard(id) {
    var card = document.getElementById(id);
    if (!card) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".card"), function (other) {
      other.hidden = other !== card;
    });
    Array.prototype.forEach.call(body.rows, function (row) {
      row.classList.toggle("open", row.getAttribute("data-card") === id);
    });
    card.scrollIntoView({block: "nearest"});
  }
  body.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-card]");
    if (row) { openCard(row.getAttribute("data-card")); }
  });
  body.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr[data-card]");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openCard(row.getAttribute("data-card"));
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll(".card .close"), function (button) {
    button.addEventListener("click", function () { button.parentNode.hidden = true; });
  });
  var byNode = {};
  Array.prototype.forEach.call(document.querySelectorAll(".card"), function (card) {
    byNode[card.getAttribute("data-node")] = card.id;
  });
  Array.prototype.forEach.call(document.querySelectorAll("svg .node"), function (node) {
    var id = byNode[node.getAttribute("data-id")];
    if (id) {
      node.style.cursor = "pointer";
      node.addEventListener("click", function () { openCard(id); });
    }
  });
  if (location.hash && location.hash.indexOf("#card-") === 0) {
    openCard(location.hash.slice(1));
  }
})();
"""
