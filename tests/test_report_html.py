"""`rolelint report`: one self-contained HTML page, checked as text (nothing loaded from
outside, everything escaped) and in a real headless Chromium (no console error, the table
sorts, a role card opens, the graph is drawn), with a screenshot."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests import shared_ids
from tests.browser_harness import open_page
from tests.conftest import REPO, run_rolelint

PROJECT = "fixtures/audit"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "audit.html"
    result = run_rolelint("report", PROJECT, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {target}: 8 principals, 7 role cards\n"
    return target


class _References(HTMLParser):
    """Every URL the page could load or link to, and every script element."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("src", "href", "action", "xlink:href", "data") and value is not None:
                self.urls.append(value)


def test_the_page_loads_nothing_from_anywhere(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    parser = _References()
    parser.feed(text)
    assert parser.urls and all(url.startswith("#") for url in parser.urls), parser.urls
    assert parser.scripts == 1  # the page's own inline script, nothing with src
    assert "default-src 'none'" in text  # and the browser is told to refuse any request


def test_hostile_names_are_text(tmp_path: Path) -> None:
    export = json.loads((REPO / PROJECT / "exports" / "account.json").read_text())
    role = export["RoleDetailList"][0]
    role["RoleName"] = "x<script>alert(1)</script>&\"'"
    (tmp_path / "account.json").write_text(json.dumps(export))
    target = tmp_path / "page.html"
    result = run_rolelint("report", str(tmp_path), "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert "<script>alert(1)" not in text
    assert "x&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#x27;" in text
    with open_page(target) as probe:
        dialogs: list[str] = []
        probe.page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        probe.page.click("#roles tbody tr[data-card]")
        probe.settle()
        assert dialogs == []
        probe.assert_clean()


def test_in_a_real_browser(report: Path, tmp_path: Path) -> None:
    with open_page(report) as probe:
        page = probe.page
        probe.assert_clean()

        def names() -> list[str]:
            texts: list[str] = page.eval_on_selector_all(
                "#roles tbody tr", "rows => rows.map(row => row.cells[2].textContent)"
            )
            return texts

        assert names()[:2] == ["AdminRole", "PublicReaderRole"]  # most dangerous first
        assert len(names()) == 8

        page.click("#roles thead th:nth-child(3) button")  # Name, ascending
        assert names()[:3] == ["AdminRole", "alice", "aws_iam_role.ci"]
        page.click("#roles thead th:nth-child(3) button")  # Name, descending
        assert names()[0] == "VendorAuditRole"
        assert page.get_attribute("#roles thead th:nth-child(3)", "aria-sort") == "descending"

        # Findings sort by severity, the most severe first: a critical finding above two high
        # ones, one low finding below them (by their number, 1L tied with 1C under 1H 1M).
        page.click("#roles thead th:nth-child(9) button")  # Findings, ascending
        page.click("#roles thead th:nth-child(9) button")  # Findings, descending
        assert names() == [
            "AdminRole",  # 1C
            "PublicReaderRole",  # 1C
            "aws_iam_role.ci",  # 2H
            "legacy-ops",  # 1H 1M
            "aws_iam_role.deploy",  # 1H 1M
            "alice",  # 1L
            "VendorAuditRole",  # -
            "FunctionRole",  # -
        ]

        assert page.locator(".card:visible").count() == 0
        page.click("#roles tbody tr:has(td:text-is('aws_iam_role.deploy'))")
        card = page.locator(".card:visible")
        assert card.count() == 1
        assert card.locator("h3").inner_text().startswith("aws_iam_role.deploy")
        assert "Effective permissions" in card.inner_text()
        assert "fixtures/audit/ci/main.tf:64" in card.inner_text()

        graph = page.locator("#graph svg")
        assert graph.is_visible()
        box = graph.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        node_ids = page.eval_on_selector_all(
            "#graph svg .node", "nodes => nodes.map(node => node.getAttribute('data-id'))"
        )
        assert "role:fixtures/audit/platform.yaml#AdminRole" in node_ids
        page.click("#graph svg .node[data-id='role:fixtures/audit/platform.yaml#AdminRole']")
        assert page.locator(".card:visible h3").inner_text().startswith("AdminRole")

        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        probe.settle()
        probe.assert_clean()
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert shot.stat().st_size > 20_000


def test_input_errors_are_listed_and_the_exit_code_is_2(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((REPO / PROJECT / "platform.yaml").read_text())
    (tmp_path / "broken.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role: [unclosed\n'
    )
    target = tmp_path / "page.html"
    result = run_rolelint("report", str(tmp_path), "-o", str(target))
    assert result.returncode == 2
    assert f"{tmp_path / 'broken.yaml'}:3:18: error: invalid YAML" in result.stderr
    text = target.read_text()
    assert "Input errors (1)" in text and "broken.yaml:3" in text
    assert text.count('<tr data-node="role:') == 4


def test_notes_are_listed_after_the_input_errors(tmp_path: Path) -> None:
    """The page left out the notices 'check' gives: a plan's trust policy known only after
    apply was said nowhere.  A Notes section (and its link) follows the input errors."""
    target = tmp_path / "page.html"
    plan = "fixtures/rules/RL101/bad_plan.json"
    result = run_rolelint("report", plan, "--isolated", "--no-cache", "-o", str(target))
    assert result.returncode == 0, result.stderr
    notice = "the trust policy of role aws_iam_role.vendor is not analyzed: known only after apply"
    assert f"{plan}:27:22: note: {notice}" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert '<a href="#errors">Input errors</a> <a href="#notes">Notes</a></nav>' in text
    errors, notes = text.index('<section id="errors">'), text.index('<section id="notes">')
    assert errors < notes
    # The plan also attaches an AWS managed policy rolelint ships no document of.
    unjudged = (
        "AWS managed policy AWSBillingReadOnlyAccess is not in rolelint&#x27;s policy data: what"
        " it grants is not judged (1 role holds it)"
    )
    assert "<h2>Notes (2)</h2>" in text
    listed = f"<ul><li>{plan}:27: {notice}</li><li>{plan}:52: {unjudged}</li></ul></section>"
    assert listed in text[notes:]
    # A project without notices says so.
    empty = tmp_path / "empty.html"
    assert run_rolelint("report", PROJECT, "-o", str(empty)).returncode == 0
    assert '<section id="notes"><h2>Notes</h2><p>None.</p></section>' in empty.read_text()


def test_output_is_required_and_dash_writes_to_stdout() -> None:
    missing = run_rolelint("report", PROJECT)
    assert missing.returncode == 2
    assert "Missing option '--output'" in missing.stderr
    piped = run_rolelint("report", PROJECT, "-o", "-")
    assert piped.returncode == 0
    assert piped.stdout.startswith("<!doctype html>")
    assert piped.stderr == ""


@pytest.mark.parametrize("command", ["report", "roles", "show"])
def test_the_page_is_not_written_over_a_scanned_file(tmp_path: Path, command: str) -> None:
    """``report -o app.yaml`` replaced the template with the page (exit 0): as for the
    baseline, a file the run scans is refused before anything is written; so for the other
    audit views' --output."""
    template = (REPO / PROJECT / "platform.yaml").read_text()
    (tmp_path / "app.yaml").write_text(template)
    role = ("AdminRole",) if command == "show" else ()
    result = run_rolelint(
        command, *role, "app.yaml", "--no-cache", "-o", "./app.yaml", cwd=tmp_path
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        "error: --output: ./app.yaml is a file this run scans; write the report elsewhere"
        in result.stderr
    )
    assert (tmp_path / "app.yaml").read_text() == template


def test_the_page_matches_its_reviewed_snapshot(report: Path) -> None:
    """The whole page of fixtures/audit, byte for byte but for the versions (regenerate with
    ROLELINT_UPDATE_SNAPSHOTS=1 and review the diff of tests/snapshots/report/)."""
    import os

    from rolelint import __version__
    from rolelint.iam_actions import data_version

    text = report.read_text(encoding="utf-8")
    text = text.replace(f"rolelint {__version__};", "rolelint <version>;")
    text = text.replace(f"IAM action data {data_version()}.", "IAM action data <version>.")
    path = Path(__file__).resolve().parent / "snapshots" / "report" / "audit.html"
    if os.environ.get("ROLELINT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), "the report page changed: review it"


def test_a_long_inventory_shows_its_first_rows_and_the_rest_on_demand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond SHOWN_ROWS rows, each sort shows the first ones (a browser needs seconds to lay
    out tens of thousands of rows); one click shows them all."""
    import rolelint.reporters.html_report as html_report
    from rolelint.api import audit_paths
    from rolelint.audit.rows import inventory_rows
    from rolelint.audit.select import ordered

    monkeypatch.setattr(html_report, "SHOWN_ROWS", 3)
    audit = audit_paths([str(REPO / PROJECT)])
    rows = ordered(
        inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    )
    facts = html_report.PageFacts("0", "0", (PROJECT,))
    page_file = tmp_path / "page.html"
    page_file.write_text(html_report.render_html(rows, [], [], [], [], "<svg></svg>", facts))
    with open_page(page_file) as probe:
        page = probe.page

        def shown() -> list[str]:
            texts: list[str] = page.eval_on_selector_all(
                "#roles tbody tr:not([hidden])", "rows => rows.map(row => row.cells[2].textContent)"
            )
            return texts

        assert shown() == ["AdminRole", "PublicReaderRole", "legacy-ops"]
        page.click("#roles thead th:nth-child(3) button")
        assert shown() == ["AdminRole", "alice", "aws_iam_role.ci"]
        page.click("#show-all")
        assert len(shown()) == 8
        assert not page.is_visible("#show-all")
        probe.assert_clean()


def _dense_template(count: int) -> str:
    """``count`` roles, each trusting its account root and allowed to assume every other."""
    lines = ["Resources:"]
    for number in range(count):
        lines += [
            f"  Role{number}:",
            "    Type: AWS::IAM::Role",
            "    Properties:",
            f"      RoleName: role-{number}",
            "      AssumeRolePolicyDocument:",
            "        Statement:",
            "          - Effect: Allow",
            '            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}',
            "            Action: sts:AssumeRole",
            "      Policies:",
            "        - PolicyName: p",
            "          PolicyDocument:",
            "            Statement:",
            "              - Effect: Allow",
            "                Action: sts:AssumeRole",
            '                Resource: !Sub "arn:aws:iam::${AWS::AccountId}:role/role-*"',
        ]
    return "\n".join(lines) + "\n"


def test_a_dense_estate_keeps_its_cards_and_cells_to_their_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Roles that may each assume all others: every card lists hundreds of hops and every
    "Assumed by" cell every role, so 250 roles made a 70 MB page.  Cards stop at
    MAX_CARD_TEXT characters (the page says so) and a cell lists SHOWN_ASSUMERS parties."""
    import rolelint.reporters.html_report as html_report
    from rolelint.api import audit_paths
    from rolelint.audit.card import role_card
    from rolelint.audit.rows import FindingsByHolder, inventory_rows
    from rolelint.audit.select import ordered
    from rolelint.graph.build import node_ids_of

    (tmp_path / "t.yaml").write_text(_dense_template(30))
    audit = audit_paths([str(tmp_path)])
    rows = ordered(
        inventory_rows(audit.inventory, audit.graph, audit.every_finding, audit.report.findings)
    )
    ids = node_ids_of(audit.inventory)
    roles = {ids.role(role): role for role in audit.inventory.roles}
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    cards = [role_card(roles[r.node_id], r, audit.inventory, audit.graph, findings) for r in rows]
    one = len(html_report._card(cards[0], "card-1"))
    monkeypatch.setattr(html_report, "MAX_CARD_TEXT", one * 5 + one // 2)
    kept = html_report.fitting(cards)
    assert len(kept) == 5
    facts = html_report.PageFacts("0", "0", ("t.yaml",))
    page = html_report.render_html(rows, cards, [], [], [], "<svg></svg>", facts)
    assert page.count('<article class="card"') == 5
    assert page.count("data-card=") == 5
    assert (
        '<p id="cards-cut">Cards are written for the 5 most dangerous of the 30 roles, to keep'
        " the page small: 'rolelint show ROLE' prints any card.</p>"
    ) in page
    # 29 roles and this account assume each role: 20 are listed, then how many more.
    assert page.count(" and 10 more</td>") == 30


def test_a_role_with_an_unread_inline_policy_is_not_shown_as_harmless(tmp_path: Path) -> None:
    """An inline policy whose text is a variable without a default: the Access cell and the
    card say it is unread ('none' alone read as "grants nothing")."""
    from tests.test_show_cli import _UNREAD_INLINE

    (tmp_path / "main.tf").write_text(_UNREAD_INLINE)
    target = tmp_path / "page.html"
    result = run_rolelint("report", str(tmp_path), "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert '<td data-value="0">none (+1 unread policy)</td>' in text
    assert (
        "inline policy aws_iam_role_policy.app: not readable here (its text is unresolved:"
        " variable policy_json has no default)"
    ) in text


def test_a_baselined_finding_is_accepted_not_listed_as_a_finding(tmp_path: Path) -> None:
    """--baseline (or the configuration's baseline) applies as for check: the page counted the
    recorded RL101 among its findings."""
    (tmp_path / "role.yaml").write_text(
        "Resources:\n  DemoRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        '          - {Effect: Allow, Principal: "*", Action: sts:AssumeRole}\n'
    )
    run_rolelint("check", "role.yaml", "--write-baseline", "base.json", cwd=tmp_path)
    result = run_rolelint(
        "report", "role.yaml", "--baseline", "base.json", "-o", "r.html", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<title>rolelint report: 1 principals, 0 findings</title>" in page
    assert "[accepted: in the baseline base.json]" in page


def test_the_status_line_counts_one_principal_in_the_singular(tmp_path: Path) -> None:
    template = tmp_path / "one.yaml"
    template.write_text(
        "Resources:\n  Only:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Principal: {AWS: '*'}\n            Action: sts:AssumeRole\n"
    )
    target = tmp_path / "one.html"
    result = run_rolelint("report", str(template), "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {target}: 1 principal, 1 role card\n"


def _cards_by_node(page: str) -> dict[str, str]:
    """Each card of ``page`` by its graph node, as one text."""
    starts = [match.start() for match in re.finditer('<article class="card"', page)]
    cards = [page[start : page.index("</article>", start)] for start in starts]
    return {html.unescape(re.search('data-node="([^"]*)"', c)[1]): c for c in cards}  # type: ignore[index]


def test_holders_that_share_an_id_have_their_own_access_on_the_page(tmp_path: Path) -> None:
    """The instances of a module prod and staging call, only prod's attaching
    AdministratorAccess, and two templates' AppRole, only prod's attaching ops-admin: each
    card, and each row, said admin with prod's RL201."""
    terraform = shared_ids.module_of_two_roots(tmp_path / "tf")
    templates = shared_ids.templates_of_two_stages(tmp_path / "cfn")
    roots = [str(terraform / "prod"), str(terraform / "staging")]
    cases = (
        (roots, [f"role:{root}#{shared_ids.ADDRESS}" for root in roots], "none"),
        (
            [str(templates)],
            [f"role:{templates / stage / 'app.yaml'}#AppRole" for stage in ("prod", "staging")],
            "read-only",
        ),
    )
    for paths, (prod, staging), access in cases:
        target = tmp_path / "page.html"
        result = run_rolelint("report", *paths, "-o", str(target))
        assert result.returncode == 0, result.stderr
        cards = _cards_by_node(target.read_text(encoding="utf-8"))
        assert sorted(cards) == sorted([prod, staging])
        assert ", admin</small>" in cards[prod] and "RL201" in cards[prod]
        assert f", {access}</small>" in cards[staging] and "RL201" not in cards[staging]
    # The table's Where cell says which root's instance each row is.
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "(root " not in page  # the templates' roles: their files tell them apart
    run_rolelint("report", *roots, "-o", str(tmp_path / "page.html"))
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    place = f"{terraform / 'mod' / 'main.tf'}:6"
    assert all(f">{html.escape(place)} (root {html.escape(root)})</td>" in page for root in roots)


def test_each_instance_of_a_module_one_root_calls_twice_has_their_merged_finding(
    tmp_path: Path,
) -> None:
    """module.a and module.b of one root both attach AdministratorAccess: one finding for both
    ("also as module.b..."), which module.b's card and row left out."""
    app = shared_ids.module_called_twice(tmp_path)
    target = tmp_path / "page.html"
    result = run_rolelint("report", str(app), "-o", str(target))
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    cards = _cards_by_node(page)
    nodes = [f"role:{tmp_path / 'mod' / 'main.tf'}#{name}" for name in shared_ids.TWICE]
    assert sorted(cards) == nodes
    said = {re.findall("<small>(risk [0-9]+, admin)</small>", card)[0] for card in cards.values()}
    assert len(said) == 1 and all("RL201" in card for card in cards.values())
    for node in nodes:  # the table's row of each: its FINDINGS cell
        row = page[page.index(f'<tr data-node="{html.escape(node)}"') :]
        assert row[: row.index("</tr>")].endswith(">1C</td>")


def _findings_table_roles(page: str) -> list[str]:
    """The Role cell of each row of the page's findings table."""
    section = page[page.index('<section id="findings">') :]
    section = section[: section.index("</section>")]
    rows = re.findall("<tr><td>.*?</tr>", section)
    return [html.unescape(re.findall("<td>(.*?)</td>", row)[3]) for row in rows]


def test_the_findings_table_names_every_instance_a_merged_finding_is_on(tmp_path: Path) -> None:
    """module.a and module.b of one root both attach AdministratorAccess: one RL201 for both
    ("also as module.b..."), which the findings table said was module.a's alone, though each
    instance's row and card count it (as 'rolelint roles' does)."""
    app = shared_ids.module_called_twice(tmp_path)
    target = tmp_path / "page.html"
    result = run_rolelint("report", str(app), "-o", str(target))
    assert result.returncode == 0, result.stderr
    named = _findings_table_roles(target.read_text(encoding="utf-8"))
    assert named == [", ".join(shared_ids.TWICE)]
    # A finding on one role names that role, as before.
    shared_ids.module_of_two_roots(tmp_path / "tf")
    roots = [str(tmp_path / "tf" / root) for root in ("prod", "staging")]
    result = run_rolelint("report", *roots, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert _findings_table_roles(target.read_text(encoding="utf-8")) == [shared_ids.ADDRESS]
