"""The role inventory's rows (rolelint.audit): what each column says of the roles of
fixtures/audit, the risk score's monotonicity, and the bit-set reach against a plain walk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolelint.graph.crowds as crowds
import rolelint.graph.hops as hops
from rolelint.api import Audit, audit_paths, lint_paths
from rolelint.audit.access import Access
from rolelint.audit.reach import Reach
from rolelint.audit.risk import ACCESS_POINTS, EXPOSURE_POINTS, FINDING_POINTS, risk_of
from rolelint.audit.rows import FindingsByHolder, RoleRow, inventory_rows
from rolelint.audit.select import ordered
from rolelint.checks.policy_limits import ScannedPolicies
from rolelint.findings import Finding, Severity
from rolelint.graph.build import build_graph
from rolelint.graph.hops import AdminGrant
from rolelint.graph.model import AssumeGraph, NodeKind
from rolelint.model import AccountContext, Inventory, Role
from rolelint.names import short_name
from rolelint.source import SourceRef
from tests import shared_ids
from tests.conftest import FIXTURES
from tests.rules.test_chain_crowds import inventories

PROJECT = FIXTURES / "audit"


@pytest.fixture(scope="module")
def audit() -> Audit:
    return audit_paths([str(PROJECT)])


@pytest.fixture(scope="module")
def rows(audit: Audit) -> dict[str, RoleRow]:
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    return {row.name: row for row in found}


def test_every_role_and_the_user_that_assumes_one_get_a_row(rows: dict[str, RoleRow]) -> None:
    assert {name: row.kind for name, row in rows.items()} == {
        "AdminRole": "role",
        "VendorAuditRole": "role",
        "PublicReaderRole": "role",
        "FunctionRole": "role",
        "aws_iam_role.ci": "role",
        "aws_iam_role.deploy": "role",
        "legacy-ops": "role",  # from the account export, named without its file
        "alice": "user",  # assumes legacy-ops through her group; the group itself assumes none
    }
    assert rows["PublicReaderRole"].ref.line == 44
    assert rows["aws_iam_role.deploy"].ref.line == 43
    assert rows["legacy-ops"].ref.file.endswith("exports/account.json")


def test_who_can_assume_each_role_with_the_condition_grade(rows: dict[str, RoleRow]) -> None:
    def assumers(name: str) -> list[tuple[str, str, str, bool]]:
        return [(a.kind, a.name, a.condition, a.external) for a in rows[name].assumed_by]

    assert assumers("PublicReaderRole") == [
        ("anyone", "anyone (*)", "open", True),
        ("role", "AdminRole", "open", False),  # admin may assume any role open to the account
    ]
    assert assumers("VendorAuditRole") == [("account", "account 444455556666", "scoped", True)]
    assert assumers("aws_iam_role.ci") == [
        (
            "federated",
            "GitHub Actions token.actions.githubusercontent.com",
            "scoped",  # the sub claim is pinned to one branch of one repository
            True,
        )
    ]
    assert assumers("FunctionRole") == [("service", "lambda.amazonaws.com", "scoped", False)]
    assert assumers("legacy-ops") == [
        ("account", "account 111122223333", "open", False),  # the exported account is ours
        ("account", "account 999988887777", "open", True),
        ("user", "alice", "open", False),
    ]
    assert rows["alice"].assumed_by == ()


def test_access_levels(rows: dict[str, RoleRow]) -> None:
    levels = {name: row.access.level for name, row in rows.items()}
    assert levels == {
        "AdminRole": Access.ADMIN,  # AdministratorAccess
        "aws_iam_role.deploy": Access.ESCALATE,  # iam:PassRole on * with Lambda
        "legacy-ops": Access.WRITE_ALL,  # ec2:StopInstances on *
        "aws_iam_role.ci": Access.SCOPED,  # sts:AssumeRole on one role
        "FunctionRole": Access.SCOPED,  # dynamodb:PutItem on one table
        "alice": Access.SCOPED,
        "VendorAuditRole": Access.READ_ONLY,  # config:Describe*, config:Get*
        "PublicReaderRole": Access.READ_ONLY,
    }
    assert "AdministratorAccess" in rows["AdminRole"].access.why


def test_sessions_reach_and_findings(rows: dict[str, RoleRow]) -> None:
    assert (rows["FunctionRole"].max_session, rows["FunctionRole"].session_written) == (7200, True)
    assert (rows["AdminRole"].max_session, rows["AdminRole"].session_written) == (3600, False)
    assert rows["aws_iam_role.deploy"].max_session is None  # a variable without a default
    # An account export holds no MaxSessionDuration: not known, not the one-hour default.
    legacy = rows["legacy-ops"]
    assert (legacy.max_session, legacy.session_unresolved) == (
        None,
        "an account export does not hold MaxSessionDuration; get-role and list-roles answers do",
    )
    ci = rows["aws_iam_role.ci"]
    assert ci.reaches == ("AdminRole", "aws_iam_role.deploy", "PublicReaderRole")
    assert (ci.reaches_count, ci.reaches_admin) == (3, True)
    assert rows["alice"].reaches == ("legacy-ops",)
    assert not rows["PublicReaderRole"].reaches
    assert [f.rule_id for f in rows["PublicReaderRole"].findings] == ["RL101"]
    assert sorted(f.rule_id for f in rows["aws_iam_role.deploy"].findings) == ["RL203", "RL206"]
    assert not rows["VendorAuditRole"].findings


def test_the_risk_is_the_sum_of_its_documented_terms(rows: dict[str, RoleRow]) -> None:
    public = rows["PublicReaderRole"]
    assert public.exposure == "anyone, open"
    assert public.risk.score == (
        EXPOSURE_POINTS["anyone, open"]
        + ACCESS_POINTS[Access.READ_ONLY]
        + FINDING_POINTS[Severity.CRITICAL]
    )
    ci = rows["aws_iam_role.ci"]
    assert (ci.exposure, ci.risk.reach) == ("outside, conditioned", 10)
    order = [row.name for row in ordered(rows.values())]
    assert order[:2] == ["AdminRole", "PublicReaderRole"]
    assert order[-1] == "alice"
    scores = [rows[name].risk.score for name in order]
    assert scores == sorted(scores, reverse=True)


def test_filters_and_sorts(rows: dict[str, RoleRow]) -> None:
    def names(*filters: str, sort: str = "name") -> list[str]:
        return [row.name for row in ordered(rows.values(), sort, filters)]

    assert names("outside") == [
        "aws_iam_role.ci",
        "legacy-ops",
        "PublicReaderRole",
        "VendorAuditRole",
    ]
    assert names("admin") == ["AdminRole", "aws_iam_role.deploy"]
    assert names("federated") == ["aws_iam_role.ci"]
    assert names("outside", "admin") == []
    assert names("chaining", "roles") == ["AdminRole", "aws_iam_role.ci", "aws_iam_role.deploy"]
    # An unresolved duration may be the longest: it sorts first, then 12 hours.
    assert names(sort="session")[:2] == ["aws_iam_role.deploy", "legacy-ops"]
    assert names(sort="access")[:2] == ["AdminRole", "aws_iam_role.deploy"]


# --- the risk never drops when a finding is added ---------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_adding_a_finding_never_lowers_a_risk(audit: Audit, data: st.DataObject) -> None:
    """Any subset of the project's real findings, then one more: no row's score drops (the
    finding is evidence of access too, which only ever raises the access term)."""
    every = audit.every_finding
    chosen = data.draw(st.lists(st.sampled_from(every), unique_by=lambda f: f.fingerprint))
    extra = data.draw(st.sampled_from(every))
    before = _scores(audit, chosen)
    after = _scores(audit, [*chosen, extra])
    assert all(after[name] >= before[name] for name in before), extra.rule_id


def _scores(audit: Audit, findings: list[Finding]) -> dict[str, int]:
    rows = inventory_rows(audit.inventory, audit.graph, findings, findings)
    return {row.node_id: row.risk.score for row in rows}


@given(
    severities=st.lists(st.sampled_from(list(Severity))),
    extra=st.sampled_from(list(Severity)),
    access=st.sampled_from(list(Access)),
    exposure=st.sampled_from(list(EXPOSURE_POINTS)),
)
def test_risk_of_is_monotonic_in_findings(
    severities: list[Severity], extra: Severity, access: Access, exposure: str
) -> None:
    def finding(severity: Severity) -> Finding:
        ref = SourceRef("a.yaml")
        return Finding("RL101", "r", "c", severity, "m", ref, "R", "R", "f")

    base = risk_of(exposure, access, False, [finding(s) for s in severities])
    more = risk_of(exposure, access, False, [finding(s) for s in [*severities, extra]])
    assert more.score >= base.score
    assert more.score - base.score == FINDING_POINTS[extra]


# --- reach: one fold over the components equals a walk from every node ------------------------


def _walked(graph: AssumeGraph, node_id: str) -> set[str]:
    return {
        other
        for other in graph.reachable(node_id)
        if other != node_id
        and graph.nodes[other].kind is NodeKind.ROLE
        and graph.nodes[other].ref is not None
    }


def _check_reach(graph: AssumeGraph) -> None:
    reach = Reach(graph)
    for node_id, node in graph.nodes.items():
        walked = _walked(graph, node_id)
        assert reach.count(node_id) == len(walked), node_id
        labels = sorted(
            {short_name(graph.nodes[o].label, graph.nodes[o].ref.file) for o in walked},  # type: ignore[union-attr]
            key=lambda n: (n.casefold(), n),
        )
        assert reach.names(node_id, len(labels) + 1) == labels
        assert reach.names(node_id, 2) == labels[:2]
        admin = any(graph.nodes[o].privileged for o in walked)
        assert reach.reaches_admin(node_id) is admin, node.id


def test_reach_of_the_fixture_project(audit: Audit) -> None:
    _check_reach(audit.graph)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=inventories(), crowded=st.booleans())
def test_reach_equals_a_walk(roles: list[Role], crowded: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crowds, "CROWD_MIN_PAIRS", 0 if crowded else 10**12)
        graph = build_graph(Inventory(roles=roles))
    _check_reach(graph)


def test_reach_through_long_chains_and_circles() -> None:
    """Hundreds of hops and circles: no recursion limit, every node right."""
    from tests.rules.test_chaining import arn, role

    rng = random.Random(7)
    names = [f"r{i}" for i in range(400)]
    roles = [
        role(
            name,
            assumes=tuple(arn(rng.choice(names)) for _ in range(rng.choice((0, 1, 1, 2)))),
            trusts=("*",),
            admin=rng.random() < 0.05,
            line=index + 1,
        )
        for index, name in enumerate(names)
    ]
    _check_reach(build_graph(Inventory(roles=roles)))


def test_the_documented_points_are_the_ones_used() -> None:
    """docs/audit.md's risk table states every access and finding weight the code uses."""
    docs = (FIXTURES.parent / "docs" / "audit.md").read_text()
    for level, points in ACCESS_POINTS.items():
        assert f"{level.value} **{points}**" in docs, level
    for severity, points in FINDING_POINTS.items():
        assert f"{severity.value} **{points}**" in docs, severity
    for exposure, points in EXPOSURE_POINTS.items():
        assert f"**{points}**" in docs, exposure


def test_every_role_of_the_real_corpus_gets_a_row_and_a_card(corpus: Path) -> None:
    """The shared real-world corpus: no crash, one row per role, every card complete."""
    from rolelint.audit.card import role_card
    from rolelint.graph.build import node_ids_of
    from rolelint.reporters.card import render_cards
    from rolelint.reporters.roles import render_rows

    audit = audit_paths([str(corpus)])
    rows = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    by_id = {row.node_id: row for row in rows}
    assert len([row for row in rows if row.kind == "role"]) == len(audit.inventory.roles) > 100
    for name in ("text", "json", "csv", "markdown"):
        assert render_rows(name, ordered(rows), [], [], "x")
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    ids = node_ids_of(audit.inventory)
    for role in audit.inventory.roles:
        card = role_card(role, by_id[ids.role(role)], audit.inventory, audit.graph, findings)
        assert len(card.sections) == 9
        assert render_cards("text", [card], "x").count("\n") > 20


def test_each_caller_is_graded_by_the_statement_that_names_it(tmp_path: Path) -> None:
    """Edges find their trust statement by the principal's position: a role trusting thousands
    of accounts in statements of different conditions grades each by its own statement, and a
    principal named in two statements is listed once, with the weaker grade."""
    statements = {
        "open": ("", range(0, 1500)),
        "weak": ("Condition: {IpAddress: {'aws:SourceIp': 10.0.0.0/8}}", range(1500, 3000)),
        "scoped": ("Condition: {StringEquals: {'sts:ExternalId': 7f1c2e9a}}", range(3000, 4500)),
    }
    lines = [
        "Resources:",
        "  Wide:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        "        Statement:",
    ]
    for condition, accounts in statements.values():
        lines += ["          - Effect: Allow", "            Action: sts:AssumeRole"]
        lines.append(
            "            Principal: {AWS: ["
            + ", ".join(f"'{100000000000 + n}'" for n in accounts)
            + ", '999999999999']}"
        )  # also in every statement: the worst of them wins
        if condition:
            lines.append(f"            {condition}")
    template = tmp_path / "wide.yaml"
    template.write_text("\n".join(lines) + "\n")
    audit = audit_paths([str(template)])
    (row,) = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    graded = {a.name: a.condition for a in row.assumed_by}
    assert len(graded) == 4501
    for grade, (_, numbers) in statements.items():
        assert {graded[f"account {100000000000 + n}"] for n in numbers} == {grade}
    assert graded["account 999999999999"] == "open"


def _rows_of(*paths: Path) -> tuple[Audit, list[RoleRow]]:
    audit = audit_paths([str(path) for path in paths])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    return audit, found


def test_a_hop_found_in_the_target_s_file_is_on_the_caller_s_row(tmp_path: Path) -> None:
    """AdminRole's trust names CiRole (of another file) by ARN: RL401 points at that trust, in
    admin.yaml, and was on no row, since a finding counted only in its holder's files."""
    (tmp_path / "ci.yaml").write_text(
        "Resources:\n  CiRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      RoleName: ci\n      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
    )
    (tmp_path / "admin.yaml").write_text(
        "Resources:\n  AdminRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n"
        '            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/ci"}\n'
        "            Action: sts:AssumeRole\n"
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n"
    )
    _, found = _rows_of(tmp_path)
    rows = {row.name: row for row in found}
    on_ci = [(f.rule_id, Path(f.file).name, f.location.line) for f in rows["CiRole"].findings]
    # Neither trust policy has a Version (RL602): each counts for the role whose trust it is.
    assert sorted(on_ci) == [
        ("RL401", "admin.yaml", 8),
        ("RL405", "ci.yaml", 8),
        ("RL602", "ci.yaml", 7),
    ]
    assert sorted(f.rule_id for f in rows["AdminRole"].findings) == ["RL201", "RL602"]


@pytest.mark.parametrize("project", ["chains", "audit"])
def test_every_active_finding_with_a_role_is_on_one_of_its_rows(project: str) -> None:
    """docs/audit.md: the findings a row counts are the ones check would report."""
    audit, found = _rows_of(FIXTURES / project)
    on_rows = [finding for row in found for finding in row.findings]
    for finding in audit.report.active_findings:
        if finding.role is None:
            continue
        assert finding in on_rows, (finding.rule_id, finding.file, finding.location.line)


def test_a_role_caller_is_graded_by_the_trust_statement_that_admits_it(tmp_path: Path) -> None:
    """OpsRole admits its account root only in the organization; CiRole, allowed to assume it,
    was listed as 'CiRole (open)' since the hop named no trust statement."""
    trust = (
        "{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'},"
        " Action: sts:AssumeRole, Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123defg}}}"
    )
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  CiRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: assume\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt OpsRole.Arn}\n"
        "  OpsRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        f"      AssumeRolePolicyDocument:\n        Statement:\n          - {trust}\n"
    )
    _, found = _rows_of(tmp_path)
    ops = next(row for row in found if row.name == "OpsRole")
    assert [a.display() for a in ops.assumed_by] == ["this account (scoped)", "CiRole (scoped)"]


_VENDOR_ID = "8f2b7c1e-5d3a-4e9b-a1c6-0f7d2e4b9a35"
_ANCHORED_TRUST = f"""\
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: &vendor
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
            Condition: {{StringEquals: {{sts:ExternalId: {_VENDOR_ID}}}}}
          - Effect: Allow
            Principal: *vendor
            Action: sts:AssumeRole
"""
_DYNAMIC_TRUST = f"""\
variable "vendors" {{
  default = [
    {{ account = "444455556666", external_id = "{_VENDOR_ID}" }},
    {{ account = "444455556666", external_id = "" }},
  ]
}}

data "aws_iam_policy_document" "trust" {{
  dynamic "statement" {{
    for_each = var.vendors
    content {{
      actions = ["sts:AssumeRole"]
      principals {{
        type        = "AWS"
        identifiers = ["arn:aws:iam::${{statement.value.account}}:root"]
      }}
      dynamic "condition" {{
        for_each = statement.value.external_id == "" ? [] : [statement.value.external_id]
        content {{
          test     = "StringEquals"
          variable = "sts:ExternalId"
          values   = [condition.value]
        }}
      }}
    }}
  }}
}}

resource "aws_iam_role" "vendor" {{
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}
"""


@pytest.mark.parametrize(
    ("name", "text", "line"), [("t.yaml", _ANCHORED_TRUST, 9), ("main.tf", _DYNAMIC_TRUST, 15)]
)
def test_statements_that_share_a_principal_s_position_are_graded_apart(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    """A YAML anchor (or a Terraform dynamic block) writes the vendor's principal once for two
    statements, one with an ExternalId and one without: the edge of the open one was graded by
    the first statement at that position, and the vendor listed as 'scoped' while RL102 fired."""
    (tmp_path / name).write_text(text)
    audit, (row,) = _rows_of(tmp_path / name)
    assert [a.display() for a in row.assumed_by] == ["account 444455556666 (open)"]
    rl102 = [(f.rule_id, f.location.line) for f in audit.report.active_findings]
    assert ("RL102", line) in rl102


def test_anyone_of_a_declared_organization_is_not_outside(tmp_path: Path) -> None:
    """Principal "*" limited by StringEquals aws:PrincipalOrgID to the organization declared
    with --org-id: 'roles --filter outside' kept Front, listed as 'anyone (*)'."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Front:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole,"
        " Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123def4}}}\n"
    )
    own = AccountContext(org_ids=frozenset({"o-abc123def4"}))
    for accounts, shown, outside in (
        (own, "your organization o-abc123def4 (scoped)", False),
        (AccountContext(), "anyone (*) (scoped)", True),  # an organization nobody declared
    ):
        audit = audit_paths([str(tmp_path / "t.yaml")], accounts=accounts)
        (row,) = inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
        assert ([a.display() for a in row.assumed_by], row.outside) == ([shown], outside)


def test_an_account_the_principal_account_condition_names_is_open(tmp_path: Path) -> None:
    """Principal "*" under StringEquals aws:PrincipalAccount [own, 444455556666] admits the
    principals of 444455556666 as ``AWS: "444455556666"`` does: that account was listed
    'scoped' (exposure 10, the condition naming it counted as its limit) where the written
    principal is 'open' (30).  Another condition beside it still limits it."""
    trust = (
        "Resources:\n  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {{AWS: '*'}}\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals:\n"
        "                aws:PrincipalAccount: ['111122223333', '444455556666']\n"
    )
    (tmp_path / "open.yaml").write_text(trust.format(name="Open"))
    (tmp_path / "pinned.yaml").write_text(
        trust.format(name="Pinned") + "                sts:ExternalId: 7f3c9a2e-acme-monitoring\n"
    )
    (tmp_path / "written.yaml").write_text(
        "Resources:\n  Written:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {AWS: ['111122223333', '444455556666']},"
        " Action: sts:AssumeRole}\n"
    )
    own = AccountContext(own_accounts=frozenset({"111122223333"}))
    audit = audit_paths([str(tmp_path)], accounts=own)
    rows = {
        row.name: row
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    for name, grade, exposure in (
        ("Written", "open", ("outside, open", 30)),
        ("Open", "open", ("outside, open", 30)),
        ("Pinned", "scoped", ("outside, conditioned", 10)),
    ):
        assert [a.display() for a in rows[name].assumed_by] == [
            f"account 111122223333 ({grade})",
            f"account 444455556666 ({grade})",
        ], name
        assert (rows[name].exposure, rows[name].risk.exposure) == exposure, name
    rl102 = sorted((f.role, f.location.line) for f in audit.report.findings if f.rule_id == "RL102")
    assert rl102 == [("Open", 12), ("Written", 7)]


def test_anyone_pinned_by_principal_arn_is_the_account_it_names(tmp_path: Path) -> None:
    """Principal "*" under ``ArnEquals aws:PrincipalArn`` naming a vendor's role admits that
    role of that account, as the role written as the principal does: it was listed
    ``anyone (*) (scoped)``, and an own account's role so named was an outsider too.  It is now
    the account the ARN names (outside or not as declared), still scoped by the ARN, which
    admits one role of the account and not its other principals."""
    trust = (
        "Resources:\n  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {{AWS: '*'}}\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              {operator}: {{aws:PrincipalArn: '{arn}'}}\n"
    )
    vendor = "arn:aws:iam::444455556666:role/vendor-reader"
    (tmp_path / "vendor.yaml").write_text(
        trust.format(name="Vendor", operator="ArnEquals", arn=vendor)
    )
    (tmp_path / "own.yaml").write_text(
        trust.format(name="Own", operator="ArnLike", arn="arn:aws:iam::111122223333:role/ci-*")
    )
    own = AccountContext(own_accounts=frozenset({"111122223333"}))
    audit = audit_paths([str(tmp_path)], accounts=own)
    rows = {
        row.name: row
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    said = {
        name: ([a.display() for a in row.assumed_by], row.outside) for name, row in rows.items()
    }
    assert said == {
        "Vendor": (["account 444455556666 (scoped)"], True),
        "Own": (["account 111122223333 (scoped)"], False),
    }
    assert (rows["Vendor"].exposure, rows["Vendor"].risk.exposure) == ("outside, conditioned", 10)
    [edge] = [e for e in audit.graph.edges if e.source == "account:444455556666"]
    assert edge.conditional
    assert edge.how == (
        "the trust policy admits anyone (*) of account 444455556666 (aws:PrincipalArn)"
    )
    rl102 = [(f.role, f.location.line) for f in audit.report.findings if f.rule_id == "RL102"]
    assert rl102 == [("Vendor", 11)]


def test_anyone_pinned_to_a_session_s_arn_is_nobody(tmp_path: Path) -> None:
    """aws:PrincipalArn holds a role's ARN in its sessions' requests, never a session's: "*"
    under a test of a session's ARN alone admits no one (RL611), but was listed as the account
    the ARN names, "account 444455556666 (scoped)", exposure 10.  A federated user's ARN, which
    the key does hold, still names its account."""
    trust = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {{AWS: '*'}}\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals: {{aws:PrincipalArn: '{arn}'}}\n"
    )
    session = "arn:aws:sts::444455556666:assumed-role/vendor/sess"
    federated = "arn:aws:sts::444455556666:federated-user/alice"
    path = tmp_path / "sessions.yaml"
    path.write_text(
        "Resources:\n"
        + trust.format(name="Session", arn=session)
        + trust.format(name="Federated", arn=federated)
    )
    audit, found = _rows_of(path)
    said = {row.name: ([a.display() for a in row.assumed_by], row.exposure) for row in found}
    assert said == {
        "Session": ([], "nobody"),
        "Federated": (["account 444455556666 (scoped)"], "outside, conditioned"),
    }
    assert {edge.target.rsplit("#", 1)[1] for edge in audit.graph.edges} == {"Federated"}


def test_an_empty_service_name_is_no_name_of_the_services_a_test_admits(tmp_path: Path) -> None:
    """An empty value of an ``aws:PrincipalServiceName`` test names no service (no service's
    request carries an empty name), yet the service pin kept it as one: under two tests naming
    states and Lambda, each beside ``""``, the name both share was ``""``, a pin to no service,
    so the role was assumed by ``nobody``; without the empty values the same tests leave the
    ``"*"`` anyone, scoped (which services they admit together is not known).  An empty value
    now changes nothing, beside one test or two."""
    trust = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: '*'\n"
        "            Action: sts:AssumeRole\n            Condition:\n{tests}"
    )
    one = "              StringEquals:\n                aws:PrincipalServiceName: [{names}]\n"
    two = one + (
        "              ForAnyValue:StringEquals:\n"
        "                aws:PrincipalServiceNamesList: [{others}]\n"
    )
    roles = {
        "Two": two.format(names="states.amazonaws.com", others="lambda.amazonaws.com"),
        "TwoEmpty": two.format(names="'', states.amazonaws.com", others="'', lambda.amazonaws.com"),
        "One": one.format(names="states.amazonaws.com"),
        "OneEmpty": one.format(names="'', ' ', states.amazonaws.com"),
    }
    text = "".join(trust.format(name=name, tests=tests) for name, tests in roles.items())
    (tmp_path / "t.yaml").write_text("Resources:\n" + text)
    audit = audit_paths([str(tmp_path)])
    rows = {
        row.name: ([a.display() for a in row.assumed_by], row.exposure)
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    assert rows["TwoEmpty"] == rows["Two"] == (["anyone (*) (scoped)"], "anyone, conditioned")
    assert rows["OneEmpty"] == rows["One"] == (["states.amazonaws.com (open)"], "service")
    rl110 = [f.role for f in audit.report.findings if f.rule_id == "RL110"]
    assert sorted(role or "" for role in rl110) == ["One", "OneEmpty"]


def test_service_name_tests_no_name_passes_together_admit_nobody(tmp_path: Path) -> None:
    """``aws:PrincipalServiceName`` holds the calling service's one name and every test of a
    statement holds: ``StringEquals lambda.amazonaws.com`` beside ``StringLike
    ecs-tasks.amazonaws.com`` admits no one.  The service pin found no name the two share and
    the inventory listed ``anyone (*) (scoped)``, the graph an edge from anyone; the statement
    never applies (RL611), so nobody, and no edge.  Tests sharing a name admit that service."""
    trust = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: '*'\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals: {{aws:PrincipalServiceName: [lambda.amazonaws.com, {one}]}}\n"
        "              StringLike: {{aws:PrincipalServiceName: {other}}}\n"
    )
    roles = {
        "Apart": trust.format(name="Apart", one="states.amazonaws.com", other="ecs-*"),
        "Shared": trust.format(
            name="Shared", one="states.amazonaws.com", other="states.amazonaws.com"
        ),
    }
    (tmp_path / "t.yaml").write_text("Resources:\n" + "".join(roles.values()))
    audit = audit_paths([str(tmp_path)])
    rows = {
        row.name: ([a.display() for a in row.assumed_by], row.exposure)
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    assert rows["Apart"] == ([], "nobody")
    assert rows["Shared"] == (["states.amazonaws.com (open)"], "service")
    assert {edge.target.rsplit("#", 1)[1] for edge in audit.graph.edges} == {"Shared"}
    rl611 = [f.role for f in audit.report.findings if f.rule_id == "RL611"]
    assert rl611 == ["Apart"]


def test_account_tests_no_account_passes_together_admit_nobody(tmp_path: Path) -> None:
    """``aws:PrincipalAccount`` holds the caller's one account, as ``aws:PrincipalOrgID`` its
    one organization: ``StringEquals 111122223333`` beside ``StringLike 4444*`` admits no one.
    The inventory listed account 111122223333 (and RL102 reported it without an ExternalId),
    two organizations ``anyone (*) (scoped)``; the statement never applies (RL611), so nobody,
    and no edge.  Tests sharing an account admit that account."""
    trust = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {{AWS: '*'}}\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals: {{{key}: '{one}'}}\n"
        "              StringLike: {{{key}: '{other}'}}\n"
    )
    account = "aws:PrincipalAccount"
    roles = {
        "Apart": trust.format(name="Apart", key=account, one="111122223333", other="4444*"),
        "Orgs": trust.format(
            name="Orgs", key="aws:PrincipalOrgID", one="o-aaaaaaaaaa", other="o-b*"
        ),
        "Shared": trust.format(name="Shared", key=account, one="111122223333", other="1111*"),
    }
    (tmp_path / "t.yaml").write_text("Resources:\n" + "".join(roles.values()))
    audit = audit_paths([str(tmp_path)])
    rows = {
        row.name: ([a.display() for a in row.assumed_by], row.exposure)
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    assert rows["Apart"] == ([], "nobody")
    assert rows["Orgs"] == ([], "nobody")
    assert rows["Shared"][0] != []
    assert {edge.target.rsplit("#", 1)[1] for edge in audit.graph.edges} == {"Shared"}
    by_rule = sorted((f.rule_id, f.role) for f in audit.report.findings)
    assert ("RL611", "Apart") in by_rule and ("RL611", "Orgs") in by_rule
    assert [rule for rule, role in by_rule if role != "Shared" and rule != "RL611"] == []


def test_an_if_exists_test_of_a_required_key_apart_from_it_admits_nobody(tmp_path: Path) -> None:
    """``StringEquals aws:PrincipalAccount 111122223333`` requires the key, so
    ``StringEqualsIfExists 444455556666`` beside it tests it too: no account is both.  The
    inventory listed account 111122223333; the statement never applies, so nobody."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {AWS: '*'}\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals: {aws:PrincipalAccount: '111122223333'}\n"
        "              StringEqualsIfExists: {aws:PrincipalAccount: '444455556666'}\n"
    )
    audit = audit_paths([str(tmp_path)])
    (row,) = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    assert ([a.display() for a in row.assumed_by], row.exposure) == ([], "nobody")
    assert audit.graph.edges == []
    assert [f.rule_id for f in audit.report.findings] == ["RL611"]


def test_a_service_name_pattern_beside_a_list_keeps_the_names_it_matches(tmp_path: Path) -> None:
    """``StringEquals [lambda.amazonaws.com, states.amazonaws.com]`` beside ``StringLike
    states.*`` admits Step Functions alone (the key holds one name, which must pass both): the
    inventory listed ``anyone (*) (scoped)``; it lists states, as the written service."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: '*'\n"
        "            Action: sts:AssumeRole\n            Condition:\n"
        "              StringEquals: {aws:PrincipalServiceName: [lambda.amazonaws.com, "
        "states.amazonaws.com]}\n"
        "              StringLike: {aws:PrincipalServiceName: 'states.*'}\n"
    )
    audit = audit_paths([str(tmp_path)])
    (row,) = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    assert ([a.display() for a in row.assumed_by], row.exposure) == (
        ["states.amazonaws.com (open)"],
        "service",
    )


def test_anyone_limited_by_a_service_name_is_that_service(tmp_path: Path) -> None:
    """Principal "*" under ``StringEquals aws:PrincipalServiceName: states.amazonaws.com``
    admits that service principal only, as ``Principal: {Service: states.amazonaws.com}``
    does: it was listed ``anyone (*) (scoped)`` (risk 15 where the written one has 3).  It is
    now the service, graded as the written one is: the condition that names it is no limit on
    it, a source account beside it is.  ``aws:PrincipalIsAWSService`` admits every AWS service,
    as RL110 says: it was ``anyone (*) (scoped)``, and is ``every AWS service``, graded as a
    written service is (the test is what names it).  So is ``ForAnyValue:StringEquals`` of
    ``aws:PrincipalServiceNamesList`` the service it names (it was ``anyone (*) (scoped)``)."""
    trust = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {principal}\n"
        "            Action: sts:AssumeRole\n{condition}"
    )
    names = "            Condition:\n              StringEquals:\n"
    names += (
        "                aws:PrincipalServiceName: [states.amazonaws.com, events.amazonaws.com]\n"
    )
    sourced = names + "                aws:SourceAccount: !Ref AWS::AccountId\n"
    every = "            Condition:\n              Bool: {aws:PrincipalIsAWSService: 'true'}\n"
    pattern = "            Condition:\n              StringLike: {aws:PrincipalServiceName: '*'}\n"
    listed = "            Condition:\n              ForAnyValue:StringEquals:\n"
    listed += "                aws:PrincipalServiceNamesList: states.amazonaws.com\n"
    written = "{Service: states.amazonaws.com}"
    roles = [
        trust.format(name="Named", principal="'*'", condition=names),
        trust.format(name="Sourced", principal="'*'", condition=sourced),
        trust.format(name="Written", principal=written, condition=""),
        trust.format(name="Every", principal="'*'", condition=every),
        trust.format(name="EveryName", principal="'*'", condition=pattern),
        trust.format(name="Listed", principal="'*'", condition=listed),
    ]
    (tmp_path / "t.yaml").write_text("Resources:\n" + "".join(roles))
    audit = audit_paths([str(tmp_path)])
    rows = {
        row.name: row
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
        )
    }
    said = {name: [a.display() for a in row.assumed_by] for name, row in rows.items()}
    assert said == {
        "Named": ["events.amazonaws.com (open)", "states.amazonaws.com (open)"],
        "Sourced": ["events.amazonaws.com (scoped)", "states.amazonaws.com (scoped)"],
        "Written": ["states.amazonaws.com (open)"],
        "Every": ["every AWS service (open)"],
        "EveryName": ["every AWS service (open)"],
        "Listed": ["states.amazonaws.com (open)"],
    }
    assert rows["Named"].risk.exposure == rows["Written"].risk.exposure
    assert rows["Listed"].risk.exposure == rows["Written"].risk.exposure
    assert rows["Every"].risk.exposure == rows["Written"].risk.exposure
    rl110 = {f.role for f in audit.report.findings if f.rule_id == "RL110"}
    assert {"Every", "EveryName", "Listed"} <= rl110
    assert "anyone" not in {e.source for e in audit.graph.edges if "Named" in e.target}
    [edge] = [
        e
        for e in audit.graph.edges
        if e.source == "service:states.amazonaws.com" and e.target.endswith("#Sourced")
    ]
    assert edge.conditional
    assert edge.how == (
        "the trust policy admits states.amazonaws.com ('*' limited by aws:PrincipalServiceName)"
    )


def test_a_chain_through_a_role_of_the_same_name_counts_for_its_start_only(
    tmp_path: Path,
) -> None:
    """Ci (a.yaml) -> Ci (b.yaml) -> Admin: the paths of Ci (a.yaml)'s RL405 and RL401 also
    place a Ci at b.yaml, and Ci (b.yaml) took them as its own, in roles and show."""
    service = (
        "{Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}"
    )
    root = (
        "{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'},"
        " Action: sts:AssumeRole}"
    )
    by_arn = "{Effect: Allow, Principal: {AWS: !GetAtt Ci.Arn}, Action: sts:AssumeRole}"

    def ci(name: str, trust: str, target: str) -> str:
        return (
            f"  Ci:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: {name}\n"
            f"      AssumeRolePolicyDocument:\n        Statement:\n          - {trust}\n"
            "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
            "            Statement:\n              - {Effect: Allow, Action: sts:AssumeRole,"
            f" Resource: !Sub 'arn:aws:iam::${{AWS::AccountId}}:role/{target}'}}\n"
        )

    (tmp_path / "a.yaml").write_text("Resources:\n" + ci("ci-a", service, "ci-b"))
    (tmp_path / "b.yaml").write_text(
        "Resources:\n" + ci("ci-b", root, "admin") + "  Admin:\n    Type: AWS::IAM::Role\n"
        "    Properties:\n      RoleName: admin\n      AssumeRolePolicyDocument:\n"
        f"        Statement:\n          - {by_arn}\n"
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n"
    )
    _, found = _rows_of(tmp_path)
    on = {
        (Path(row.ref.file).name, row.name): sorted(
            (f.rule_id, Path(f.file).name, f.location.line) for f in row.findings
        )
        for row in found
    }
    # The policies have no Version (RL602): those of a Ci count for that Ci only, by file.
    assert on[("a.yaml", "Ci")] == [
        ("RL401", "a.yaml", 13),  # to Ci (b.yaml), and through it to Admin
        ("RL401", "a.yaml", 13),
        ("RL405", "a.yaml", 8),  # codebuild -> Ci (a.yaml) -> Ci (b.yaml) -> Admin
        ("RL602", "a.yaml", 7),  # its trust policy
        ("RL602", "a.yaml", 12),  # its inline policy
    ]
    assert on[("b.yaml", "Ci")] == [
        ("RL401", "b.yaml", 13),
        ("RL602", "b.yaml", 7),
        ("RL602", "b.yaml", 12),
    ]


_SPLIT_ROLE = """\
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = var.trusted }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"""
_SPLIT_VARIABLES = """\
variable "trusted" {
  type    = list(string)
  default = ["arn:aws:iam::999988887777:root"]
}
variable "actions" {
  type    = list(string)
  default = ["%s"]
}
"""


def _split_module(directory: Path, action: str) -> Path:
    directory.mkdir()
    (directory / "main.tf").write_text(_SPLIT_ROLE)
    (directory / "variables.tf").write_text(_SPLIT_VARIABLES % action)
    return directory


def _findings_by_row(found: list[RoleRow]) -> dict[tuple[str, str], list[tuple[str, str, int]]]:
    return {
        (Path(row.ref.file).parent.name, row.name): sorted(
            (f.rule_id, Path(f.file).name, f.location.line) for f in row.findings
        )
        for row in found
    }


def test_a_terraform_value_written_in_another_file_counts_for_its_role(tmp_path: Path) -> None:
    """The trusted account and the actions are defaults in variables.tf: check reports RL102
    and RL201 there, and the role's row counted neither (a finding counted only in the role's
    files), so roles showed no findings and a risk of 70 instead of 105."""
    _, found = _rows_of(_split_module(tmp_path / "app", "*"))
    (row,) = found
    assert _findings_by_row(found)[("app", "aws_iam_role.r")] == [
        ("RL102", "variables.tf", 3),
        ("RL201", "variables.tf", 7),
    ]
    assert row.risk.score == 105


def test_same_named_terraform_roles_of_two_roots_keep_their_own_findings(
    tmp_path: Path,
) -> None:
    """Two roots define aws_iam_role.r, each with its own variables.tf: each row counts the
    findings on the values of its own root, not those of the other."""
    _split_module(tmp_path / "dev", "s3:GetObject")
    _split_module(tmp_path / "prod", "*")
    _, found = _rows_of(tmp_path)
    assert _findings_by_row(found) == {
        ("dev", "aws_iam_role.r"): [("RL102", "variables.tf", 3), ("RL208", "main.tf", 12)],
        ("prod", "aws_iam_role.r"): [("RL102", "variables.tf", 3), ("RL201", "variables.tf", 7)],
    }


def test_a_github_trust_is_scoped_only_when_its_subject_is_pinned(tmp_path: Path) -> None:
    """docs/audit.md: scoped is a pinned OIDC sub claim.  A pinned aud alone, or a sub of '*'
    (RL103 critical), was graded scoped: exposure 10 instead of 30."""
    github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    aud = "token.actions.githubusercontent.com:aud: sts.amazonaws.com"
    sub = "token.actions.githubusercontent.com:sub"
    conditions = {
        "AudOnly": f"StringEquals: {{{aud}}}",
        "SubStar": f"StringEquals: {{{aud}}}, StringLike: {{{sub}: '*'}}",
        "SubPinned": f"StringEquals: {{{aud}, {sub}: 'repo:my-org/app:ref:refs/heads/main'}}",
    }
    template = "Resources:\n"
    for name, condition in conditions.items():
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Statement:\n"
            f"          - {{Effect: Allow, Principal: {{Federated: {github}}},"
            f" Action: sts:AssumeRoleWithWebIdentity, Condition: {{{condition}}}}}\n"
        )
    (tmp_path / "t.yaml").write_text(template)
    audit, found = _rows_of(tmp_path)
    graded = {
        row.name: ([a.condition for a in row.assumed_by], row.exposure, row.risk.exposure)
        for row in found
    }
    assert graded == {
        "AudOnly": (["weak"], "outside, open", 30),
        "SubStar": (["weak"], "outside, open", 30),
        "SubPinned": (["scoped"], "outside, conditioned", 10),
    }
    rl103 = sorted((f.role, f.location.line) for f in audit.report.findings if f.rule_id == "RL103")
    assert rl103 == [("AudOnly", 7), ("SubStar", 13)]


_PLAN_UNKNOWN_TRUST = {
    "format_version": "1.2",
    "terraform_version": "1.9.0",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_iam_role.r",
                    "mode": "managed",
                    "type": "aws_iam_role",
                    "name": "r",
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "schema_version": 0,
                    "values": {"name": "r", "path": "/"},
                    "sensitive_values": {},
                }
            ]
        }
    },
    "resource_changes": [
        {
            "address": "aws_iam_role.r",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "r",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {},
                "after_unknown": {"assume_role_policy": True},
                "before_sensitive": False,
                "after_sensitive": {},
            },
        }
    ],
}


def test_a_trust_policy_known_only_after_apply_is_unresolved_not_nobody(tmp_path: Path) -> None:
    """docs/audit.md: what rolelint cannot resolve is listed as unresolved.  A plan that knows
    the trust only after apply gave 'ASSUMED BY nobody' and 'exposure 0 (nobody)'."""
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_PLAN_UNKNOWN_TRUST, indent=2))
    _, found = _rows_of(plan)
    (row,) = found
    assert [(a.kind, a.display()) for a in row.assumed_by] == [
        ("unresolved", "<unresolved: trust policy not known> (unknown)")
    ]
    assert (row.exposure, row.risk.exposure, row.outside) == ("unresolved", 0, False)


def test_a_provider_named_with_its_urls_scheme_assumes_nothing(tmp_path: Path) -> None:
    """A Federated principal naming a provider with its URL's scheme is malformed (RL111), as
    one naming no provider is: nobody assumes the role through it.  The row said 'OIDC
    provider https://token.ac... (scoped)', exposure 10, outside the accounts."""
    written = "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com"
    template = (
        "Resources:\n  Deployer:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Federated: '{}'},"
        " Action: sts:AssumeRoleWithWebIdentity,"
        " Condition: {StringLike: {token.actions.githubusercontent.com:sub: 'repo:acme/*'}}}\n"
    )
    (tmp_path / "t.yaml").write_text(template.replace("{}", written))
    _, (row,) = _rows_of(tmp_path)
    assert (list(row.assumed_by), row.exposure, row.risk.exposure, row.outside) == (
        [],
        "nobody",
        0,
        False,
    )
    (tmp_path / "t.yaml").write_text(template.replace("{}", written.replace("https://", "")))
    _, (row,) = _rows_of(tmp_path)
    assert [a.display() for a in row.assumed_by] == [
        "GitHub Actions token.actions.githubusercontent.com (scoped)"
    ]


@pytest.mark.parametrize(
    ("nameless", "action"),
    [
        ("arn:aws:iam::111122223333:oidc-provider/", "sts:AssumeRoleWithWebIdentity"),
        ("arn:aws:iam::111122223333:saml-provider/", "sts:AssumeRoleWithSAML"),
    ],
)
def test_a_provider_arn_without_a_name_assumes_nothing(
    tmp_path: Path, nameless: str, action: str
) -> None:
    """A provider ARN with no name after its slash names no provider (RL111): nobody assumes
    the role through it.  The row said 'OIDC provider  (open)' or 'SAML  (open)', outside the
    accounts."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Federated:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        f"          - {{Effect: Allow, Principal: {{Federated: '{nameless}'}}, Action: {action}}}\n"
    )
    _, (row,) = _rows_of(tmp_path)
    assert (list(row.assumed_by), row.exposure, row.risk.exposure, row.outside) == (
        [],
        "nobody",
        0,
        False,
    )


def test_anyone_of_an_organization_read_from_aws_is_scoped(tmp_path: Path) -> None:
    """Principal "*" limited by StringEquals aws:PrincipalOrgID to the organization Terraform
    reads (data.aws_organizations_organization): the statement is scoped to it, as RL101 says
    by staying silent.  It was 'anyone (*) (weak)', risk 41, as if whoever deploys chose it."""
    (tmp_path / "main.tf").write_text(
        'data "aws_organizations_organization" "org" {}\n'
        'resource "aws_iam_role" "reader" {\n'
        '  name = "reader"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" }\n'
        "      Condition = { StringEquals = {\n"
        '        "aws:PrincipalOrgID" = data.aws_organizations_organization.org.id\n'
        "      } }\n"
        "    }]\n"
        "  })\n"
        "}\n"
    )
    audit, (row,) = _rows_of(tmp_path)
    assert [a.display() for a in row.assumed_by] == ["anyone (*) (scoped)"]
    assert audit.report.findings == []


_SHARED_ROLE_MODULE = """\
variable "name" { type = string }
variable "trusted" { type = string }
variable "target" { type = string }
resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = var.trusted }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "this" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = var.target }]
  })
}
"""
_ROOT_WITH_ADMIN = """\
data "aws_caller_identity" "me" {}
module "ci" {
  source  = "../../modules/role"
  name    = "ci-a"
  trusted = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/ops"
  target  = aws_iam_role.admin.arn
}
resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
_ROOT_TRUSTING_AN_ACCOUNT = """\
module "ci" {
  source  = "../../modules/role"
  name    = "ci-b"
  trusted = "arn:aws:iam::999988887777:root"
  target  = "arn:aws:iam::999988887777:role/nothing"
}
"""


def test_one_module_called_by_two_roots_is_two_roles_with_their_own_rows(
    tmp_path: Path,
) -> None:
    """envs/a and envs/b call modules/role: one block, one file and address, two roles.  They
    were one graph node holding both instances' edges, so RL405 said account 999988887777 (which
    trusts ci-b) reaches admin (which only ci-a may assume), and each row listed the other's
    callers, reach and findings."""
    (tmp_path / "modules" / "role").mkdir(parents=True)
    (tmp_path / "modules" / "role" / "main.tf").write_text(_SHARED_ROLE_MODULE)
    for stage, text in (("a", _ROOT_WITH_ADMIN), ("b", _ROOT_TRUSTING_AN_ACCOUNT)):
        (tmp_path / "envs" / stage).mkdir(parents=True)
        (tmp_path / "envs" / stage / "main.tf").write_text(text)
    audit, found = _rows_of(tmp_path / "envs")
    assert not audit.report.errors
    assert [
        (f.rule_id, Path(f.file).parent.name, f.location.line)
        for f in audit.report.findings
        if f.rule_class == "chaining"
    ] == [("RL401", "a", 6)]
    envs = str(tmp_path / "envs")
    rows = {row.node_id: row for row in found if row.name == "module.ci.aws_iam_role.this"}
    a, b = (f"role:{envs}/{stage}#module.ci.aws_iam_role.this" for stage in ("a", "b"))
    assert sorted(rows) == [a, b]
    assert [x.name for x in rows[a].assumed_by] == ["arn:aws:iam::${AWS::AccountId}:role/ops"]
    assert (rows[a].reaches, rows[a].outside) == (("aws_iam_role.admin",), False)
    assert [f.rule_id for f in rows[a].findings] == ["RL401"]
    assert [x.name for x in rows[b].assumed_by] == ["account 999988887777"]
    assert (rows[b].reaches, rows[b].reaches_admin) == ((), False)
    assert [f.rule_id for f in rows[b].findings] == ["RL102"]
    # A role of a root's own is named as it always was.
    assert f"role:{envs}/a/main.tf#aws_iam_role.admin" in audit.graph.nodes


_LEFT_TO_THE_DEPLOYER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ExternalIdParam: {Type: String, NoEcho: true}
  OrgId: {Type: String}
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::999988887777:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalIdParam}}
  OrgRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref OrgId}}
"""


def test_a_who_condition_whose_value_the_deployer_decides_is_unknown_not_weak(
    tmp_path: Path,
) -> None:
    """An ExternalId in a NoEcho parameter (the usual vendor role) and an organization id in a
    parameter: 'check' gives them the benefit of the doubt (no RL102; RL101 only low), and
    docs/audit.md grades an unresolved condition 'unknown', conditioned.  They were 'weak',
    exposure "outside, open" 30 and "anyone, open" 40, and drawn as unconditional hops."""
    template = tmp_path / "vendor.yaml"
    template.write_text(_LEFT_TO_THE_DEPLOYER)
    audit, found = _rows_of(template)
    rows = {row.name: row for row in found}
    assert [a.display() for a in rows["VendorRole"].assumed_by] == [
        "account 999988887777 (unknown)"
    ]
    assert (rows["VendorRole"].exposure, rows["VendorRole"].risk.exposure) == (
        "outside, conditioned",
        10,
    )
    assert [a.display() for a in rows["OrgRole"].assumed_by] == ["anyone (*) (unknown)"]
    assert (rows["OrgRole"].exposure, rows["OrgRole"].risk.exposure) == (
        "anyone, conditioned",
        15,
    )
    # What check concludes of the same statements: RL101 at low for the organization, nothing
    # for the ExternalId.
    assert [(f.rule_id, f.severity, f.location.line) for f in audit.report.findings] == [
        ("RL101", Severity.LOW, 23)
    ]
    assert {(e.source, e.conditional) for e in audit.graph.edges} == {
        ("account:999988887777", True),
        ("anyone", True),
    }


def test_a_terraform_external_id_from_a_variable_is_unknown_not_weak(tmp_path: Path) -> None:
    """The same in Terraform: 'values = [var.external_id]' of a sensitive variable."""
    (tmp_path / "main.tf").write_text(
        'variable "external_id" {\n  type      = string\n  sensitive = true\n}\n'
        'data "aws_iam_policy_document" "trust" {\n'
        "  statement {\n"
        '    actions = ["sts:AssumeRole"]\n'
        "    principals {\n"
        '      type        = "AWS"\n'
        '      identifiers = ["arn:aws:iam::999988887777:root"]\n'
        "    }\n"
        "    condition {\n"
        '      test     = "StringEquals"\n'
        '      variable = "sts:ExternalId"\n'
        "      values   = [var.external_id]\n"
        "    }\n"
        "  }\n"
        "}\n"
        'resource "aws_iam_role" "vendor" {\n'
        '  name               = "vendor"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
        "}\n"
    )
    audit, (row,) = _rows_of(tmp_path)
    assert [a.display() for a in row.assumed_by] == ["account 999988887777 (unknown)"]
    assert (row.exposure, row.risk.exposure) == ("outside, conditioned", 10)
    assert audit.report.findings == []


_SUBJECT_LEFT_TO_THE_DEPLOYER = """\
Parameters:
  SubjectPattern: {Type: String}
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: !Ref SubjectPattern
  AnyoneRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: [!Ref SubjectPattern, ""]
  DenyRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringNotLike:
                token.actions.githubusercontent.com:sub: !Ref SubjectPattern
  WrittenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: [!Ref SubjectPattern, "repo:acme/app:*"]
"""


def test_an_oidc_subject_whose_value_the_deployer_decides_is_unknown_not_scoped(
    tmp_path: Path,
) -> None:
    """GitHub's sub from a parameter without a default (alone, beside a blank value, or in a
    Deny refusing every other subject) was graded "scoped" and drawn as a hop "under a
    condition that limits who": the unresolved values were left out and no value was judged,
    so none was too broad.  An ExternalId or organization id from a parameter is "unknown";
    so is this, as docs/audit.md defines it.  'check' stays silent on it, as before: RL103
    takes the value as maybe the pin, and RL101 leaves "*" bound to GitHub's tokens to it.  A
    written subject beside the unresolved one is judged, and pins: still scoped."""
    template = tmp_path / "ci.yaml"
    template.write_text(_SUBJECT_LEFT_TO_THE_DEPLOYER)
    audit, found = _rows_of(template)
    rows = {row.name: row for row in found}
    github = "GitHub Actions token.actions.githubusercontent.com"
    assert {name: [a.display() for a in row.assumed_by] for name, row in rows.items()} == {
        "CiRole": [f"{github} (unknown)"],
        "AnyoneRole": ["anyone (*) (unknown)"],
        "DenyRole": [f"{github} (unknown)"],
        "WrittenRole": [f"{github} (scoped)"],
    }
    assert (rows["CiRole"].exposure, rows["CiRole"].risk.exposure) == ("outside, conditioned", 10)
    assert audit.report.findings == []
    unresolved = "under a condition rolelint cannot resolve, which may limit who"
    hows = {
        edge.target.rsplit("#", 1)[1]: (edge.conditional, edge.how) for edge in audit.graph.edges
    }
    for name in ("CiRole", "AnyoneRole", "DenyRole"):
        assert hows[name][0]
        assert hows[name][1].endswith(unresolved)
    assert hows["WrittenRole"][1].endswith("under a condition that limits who")


def test_a_terraform_oidc_subject_from_a_variable_is_unknown_not_scoped(tmp_path: Path) -> None:
    """The same in Terraform: 'values = var.subjects' of a variable without a default."""
    (tmp_path / "main.tf").write_text(
        'variable "subjects" { type = list(string) }\n'
        'data "aws_iam_policy_document" "trust" {\n'
        "  statement {\n"
        '    actions = ["sts:AssumeRoleWithWebIdentity"]\n'
        "    principals {\n"
        '      type        = "Federated"\n'
        "      identifiers = [\n"
        '        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"\n'
        "      ]\n"
        "    }\n"
        "    condition {\n"
        '      test     = "StringLike"\n'
        '      variable = "token.actions.githubusercontent.com:sub"\n'
        "      values   = var.subjects\n"
        "    }\n"
        "    condition {\n"
        '      test     = "StringEquals"\n'
        '      variable = "token.actions.githubusercontent.com:aud"\n'
        '      values   = ["sts.amazonaws.com"]\n'
        "    }\n"
        "  }\n"
        "}\n"
        'resource "aws_iam_role" "ci" {\n'
        '  name               = "ci"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
        "}\n"
    )
    audit, (row,) = _rows_of(tmp_path)
    assert [a.display() for a in row.assumed_by] == [
        "GitHub Actions token.actions.githubusercontent.com (unknown)"
    ]
    assert (row.exposure, row.risk.exposure) == ("outside, conditioned", 10)
    assert audit.report.findings == []


_AUDIENCE_LEFT_TO_THE_DEPLOYER = """\
Parameters:
  Audience: {Type: String}
Resources:
  Unresolved:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: "arn:aws:iam::111122223333:saml-provider/Okta"}
            Action: sts:AssumeRoleWithSAML
            Condition: {StringEquals: {SAML:aud: !Ref Audience}}
  Denied:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: "arn:aws:iam::111122223333:saml-provider/Okta"}
            Action: sts:AssumeRoleWithSAML
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRoleWithSAML
            Condition: {StringNotEquals: {SAML:aud: !Ref Audience}}
  Written:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: "arn:aws:iam::111122223333:saml-provider/Okta"}
            Action: sts:AssumeRoleWithSAML
            Condition:
              StringEquals:
                SAML:aud: [!Ref Audience, "https://signin.aws.amazon.com/saml"]
"""


def test_a_saml_audience_whose_value_the_deployer_decides_is_unknown_not_scoped(
    tmp_path: Path,
) -> None:
    """SAML:aud from a parameter without a default, on the Allow or in a Deny refusing every
    other audience, was graded "scoped" and drawn "under a condition that limits who":
    audience_pin took a value rolelint cannot resolve as the pin (which keeps RL104 silent,
    rightly) and the views took that for a pin they could vouch for.  It is "unknown", as an
    OIDC subject or an ExternalId from such a parameter is; a written audience beside it pins.
    'check' is unchanged: no RL104."""
    template = tmp_path / "saml.yaml"
    template.write_text(_AUDIENCE_LEFT_TO_THE_DEPLOYER)
    audit, found = _rows_of(template)
    rows = {row.name: [a.display() for a in row.assumed_by] for row in found}
    assert rows == {
        "Unresolved": ["SAML Okta (unknown)"],
        "Denied": ["SAML Okta (unknown)"],
        "Written": ["SAML Okta (scoped)"],
    }
    assert audit.report.findings == []
    hows = {
        edge.target.rsplit("#", 1)[1]: (edge.conditional, edge.how.rsplit(" under ", 1)[1])
        for edge in audit.graph.edges
    }
    unresolved = "a condition rolelint cannot resolve, which may limit who"
    assert hows == {
        "Unresolved": (True, unresolved),
        "Denied": (True, unresolved),
        "Written": (True, "a condition that limits who"),
    }


def test_a_weak_operator_on_an_unresolved_value_stays_weak(tmp_path: Path) -> None:
    """IfExists admits a caller that sends no ExternalId whatever the value passed: weak, as
    RL105 reports it."""
    template = tmp_path / "vendor.yaml"
    template.write_text(
        _LEFT_TO_THE_DEPLOYER.replace(
            "StringEquals: {sts:ExternalId", "StringEqualsIfExists: {sts:ExternalId"
        )
    )
    audit, found = _rows_of(template)
    rows = {row.name: row for row in found}
    assert [a.display() for a in rows["VendorRole"].assumed_by] == ["account 999988887777 (weak)"]
    assert rows["VendorRole"].exposure == "outside, open"
    assert "RL105" in {f.rule_id for f in audit.report.findings if f.role == "VendorRole"}


def test_an_inline_policy_whose_text_is_unresolved_is_unread_not_none(tmp_path: Path) -> None:
    """An inline policy whose text is a variable or parameter without a default may grant
    anything: its role's access is a lower bound ('+1 unread policy'), as for a managed policy
    defined elsewhere.  It was ACCESS 'none', the level for "no policy grants anything"."""
    terraform = tmp_path / "tf"
    terraform.mkdir()
    (terraform / "main.tf").write_text(
        'variable "policy_json" { type = string }\n'
        'resource "aws_iam_role" "app" {\n'
        '  name = "app"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" },'
        ' Action = "sts:AssumeRole" }]\n'
        "  })\n"
        "  inline_policy {\n"
        '    name   = "block"\n'
        "    policy = var.policy_json\n"
        "  }\n"
        "}\n"
        'resource "aws_iam_role_policy" "app" {\n'
        "  role   = aws_iam_role.app.id\n"
        "  policy = var.policy_json\n"
        "}\n"
    )
    (tmp_path / "a.yaml").write_text(
        "Parameters:\n  PolicyJson: {Type: String}\n"
        "Resources:\n"
        "  Fn:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n"
        "        - PolicyName: from-param\n"
        "          PolicyDocument: !Ref PolicyJson\n"
        "  Attached:\n    Type: AWS::IAM::Policy\n    Properties:\n"
        "      PolicyName: attached\n      PolicyDocument: !Ref PolicyJson\n"
        "      Roles: [!Ref Fn]\n"
    )
    audit, found = _rows_of(tmp_path)
    rows = {row.name: row for row in found}
    assert rows["aws_iam_role.app"].access.display() == "none (+2 unread policies)"
    assert rows["Fn"].access.display() == "none (+2 unread policies)"
    fn = next(role for role in audit.inventory.roles if role.id == "Fn")
    assert [
        (r.origin, r.arn.ref.line, r.arn.unresolved_reason) for r in fn.managed_policy_arns
    ] == [
        ("inline policy 'from-param' of role Fn", 13, "parameter PolicyJson has no default"),
        ("AWS::IAM::Policy Attached", 18, "parameter PolicyJson has no default"),
    ]
    # Held as an inline policy: no managed-policy attachment that a quota counts, no finding.
    assert audit.report.findings == []


def test_a_trust_whose_action_or_effect_is_unresolved_is_unresolved_not_nobody(
    tmp_path: Path,
) -> None:
    """Resolved principals in a trust statement whose Action or Effect is a parameter without
    default: the graph draws no edge for it, and ASSUMED BY said 'nobody', exposure 0
    (nobody), though the trust may admit the whole world.  docs/audit.md: what rolelint
    cannot read is listed as unresolved, never counted as exposure."""
    template = tmp_path / "a.yaml"
    template.write_text(
        "Parameters:\n  Act: {Type: String}\n  Eff: {Type: String}\n"
        "Resources:\n"
        "  ByAction:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: '*', Action: !Ref Act}\n"
        "  ByEffect:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: !Ref Eff\n"
        "            Principal: {AWS: 'arn:aws:iam::999988887777:root'}\n"
        "            Action: sts:AssumeRole\n"
        "            Condition: {StringEquals: {sts:ExternalId: 7f3c9a52-1d4e-4b8f}}\n"
        "  Denied:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Deny, Principal: '*', Action: !Ref Act}\n"
    )
    audit, found = _rows_of(template)
    rows = {row.name: row for row in found}
    assert [(a.kind, a.display()) for a in rows["ByAction"].assumed_by] == [
        ("unresolved", "* if Action <unresolved: parameter Act has no default> (open)")
    ]
    assert [(a.kind, a.display()) for a in rows["ByEffect"].assumed_by] == [
        (
            "unresolved",
            "arn:aws:iam::999988887777:root if Effect <unresolved: parameter Eff has no default>"
            " (scoped)",
        )
    ]
    for name in ("ByAction", "ByEffect"):
        assert (rows[name].exposure, rows[name].risk.exposure, rows[name].outside) == (
            "unresolved",
            0,
            False,
        )
    # A Deny admits nobody, whatever it denies.
    assert (rows["Denied"].assumed_by, rows["Denied"].exposure) == ((), "nobody")
    assert audit.report.findings == []  # check gives both the benefit of the doubt


_ANYONE_OF_ACCOUNTS = """\
Parameters:
  PartnerAccount: {Type: String}
  Accounts: {Type: CommaDelimitedList}
Resources:
  Mixed:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalAccount: [!Ref PartnerAccount, "444455556666"]
  Chosen:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalAccount: !Ref Accounts}}
"""


def test_anyone_of_accounts_one_of_which_is_unresolved_is_never_nobody(tmp_path: Path) -> None:
    """ "*" limited by a StringEquals aws:PrincipalAccount with a value the deployer chooses:
    'roles' and 'show' said "nobody" (exposure 0), even with a literal outside account beside
    it that can assume the role in every deployment, while 'check' reports RL101.  The literal
    account is a party; the chosen one is unresolved (docs/audit.md), in both formats.  The
    condition that names the literal account does not limit it: open, and RL102 reports it
    (it was 'unknown', graded by the chosen value beside it, and RL102 left "*" to RL101)."""
    template = tmp_path / "a.yaml"
    template.write_text(_ANYONE_OF_ACCOUNTS)
    terraform = tmp_path / "tf"
    terraform.mkdir()
    (terraform / "main.tf").write_text(
        'variable "partner_account" { type = string }\n'
        'resource "aws_iam_role" "r" {\n'
        '  name = "r"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        '      Principal = { AWS = "*" }\n'
        '      Action    = "sts:AssumeRole"\n'
        '      Condition = { StringEquals = { "aws:PrincipalAccount" = '
        '[var.partner_account, "444455556666"] } }\n'
        "    }]\n"
        "  })\n"
        "}\n"
    )
    audit, found = _rows_of(template, terraform)
    rows = {row.name: row for row in found}

    def said(name: str) -> list[tuple[str, str, bool]]:
        return [(a.kind, a.display(), a.external) for a in rows[name].assumed_by]

    assert said("Mixed") == [
        ("account", "account 444455556666 (open)", True),
        (
            "unresolved",
            "account <unresolved: parameter PartnerAccount has no default> (unknown)",
            False,
        ),
    ]
    assert said("aws_iam_role.r") == [
        ("account", "account 444455556666 (open)", True),
        (
            "unresolved",
            "account <unresolved: variable partner_account has no default> (unknown)",
            False,
        ),
    ]
    for name in ("Mixed", "aws_iam_role.r"):
        assert (rows[name].exposure, rows[name].risk.exposure) == ("outside, open", 30)
    assert said("Chosen") == [
        ("unresolved", "account <unresolved: parameter Accounts has no default> (unknown)", False)
    ]
    assert (rows["Chosen"].exposure, rows["Chosen"].risk.exposure) == ("unresolved", 0)
    # The account is drawn; the chosen one is no node, as an unresolved principal is none.
    assert sorted(e.source for e in audit.graph.edges) == ["account:444455556666"] * 2
    # What check says of the same statements: RL101 at low, whoever deploys decides; RL102 at
    # the literal account, which no ExternalId protects.
    assert sorted((f.rule_id, f.severity, f.location.line) for f in audit.report.findings) == [
        ("RL101", Severity.LOW, 8),
        ("RL101", Severity.LOW, 12),
        ("RL101", Severity.LOW, 24),
        ("RL102", Severity.HIGH, 10),
        ("RL102", Severity.HIGH, 16),
    ]


# sts:ExternalId of an outside account, by operator and value: what RL105 says (None: silent)
# and the audit's grade of the account.  RL105 judges a loose operator (not StringEquals) only
# of values it can read, at low severity: a value whoever deploys chooses leaves it silent.
_EXTERNAL_ID_FORMS = [
    ("StringEquals", "'7f3c9a2e-acme-monitoring'", None, "scoped"),
    ("StringEquals", "!Ref Ext", None, "unknown"),
    ("StringLike", "'7f3c9a2e-acme-monitoring'", Severity.LOW, "weak"),
    ("StringLike", "'acme-*'", Severity.HIGH, "weak"),
    ("StringLike", "!Ref Ext", None, "unknown"),
    ("StringLike", "[!Ref Ext, 'acme-*']", Severity.HIGH, "weak"),
    ("StringLike", "[!Ref Ext, '7f3c9a2e-acme-monitoring']", None, "unknown"),
    ("StringEqualsIgnoreCase", "!Ref Ext", None, "unknown"),
    ("ForAnyValue:StringEquals", "'7f3c9a2e-acme-monitoring'", Severity.LOW, "weak"),
    ("ForAnyValue:StringEquals", "!Ref Ext", None, "unknown"),
    ("ForAnyValue:StringLike", "'7f3c9a2e-acme-monitoring'", Severity.LOW, "weak"),
    ("ForAnyValue:StringLike", "'acme-*'", Severity.HIGH, "weak"),
    ("ForAnyValue:StringLike", "!Ref Ext", None, "unknown"),
    ("ForAllValues:StringEquals", "!Ref Ext", Severity.HIGH, "weak"),
    ("StringEqualsIfExists", "!Ref Ext", Severity.HIGH, "weak"),
]


def test_the_audit_grades_an_external_id_as_rl105_judges_it(tmp_path: Path) -> None:
    """StringLike sts:ExternalId of a parameter without default: check was silent (the value
    passed may be the agreed id, compared exactly when it holds no wildcard) and the audit said
    "weak", exposure "outside, open" 30, as if there were no ExternalId at all.  Each form now
    agrees: silent is never weak, and what lets a caller through without the id (high) is."""
    template = "Parameters:\n  Ext: {Type: String}\nResources:\n"
    for index, (operator, value, _, _) in enumerate(_EXTERNAL_ID_FORMS):
        template += (
            f"  R{index}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
            "        Statement:\n"
            "          - Effect: Allow\n"
            "            Principal: {AWS: 'arn:aws:iam::444455556666:root'}\n"
            "            Action: sts:AssumeRole\n"
            f"            Condition: {{{operator}: {{sts:ExternalId: {value}}}}}\n"
        )
    path = tmp_path / "vendor.yaml"
    path.write_text(template)
    audit, found = _rows_of(path)
    rows = {row.name: row for row in found}
    said = {(f.role, f.rule_id): f.severity for f in audit.report.findings}
    for index, (operator, value, severity, condition) in enumerate(_EXTERNAL_ID_FORMS):
        row = rows[f"R{index}"]
        assert (said.get((f"R{index}", "RL105")), [a.display() for a in row.assumed_by]) == (
            severity,
            [f"account 444455556666 ({condition})"],
        ), (operator, value)
        outside = "outside, open" if condition == "weak" else "outside, conditioned"
        assert row.exposure == outside, (operator, value)
    assert {rule for _, rule in said} == {"RL105"}


# The principal of an Allow, the key a Deny of everyone beside it tests against a parameter
# without a default, the grade, the exposure and what check says (rule and severity).
_DENY_FORMS = [
    ('"*"', "aws:PrincipalOrgID", "anyone (*) (unknown)", "anyone, conditioned", "RL101 low"),
    ('"*"', "aws:PrincipalAccount", "anyone (*) (unknown)", "anyone, conditioned", "RL101 low"),
    (
        "{AWS: 'arn:aws:iam::999988887777:root'}",
        "sts:ExternalId",
        "account 999988887777 (unknown)",
        "outside, conditioned",
        None,
    ),
]


def test_a_deny_on_a_value_whoever_deploys_decides_grades_the_trust_unknown(
    tmp_path: Path,
) -> None:
    """The same limit written as a Deny ("refused unless aws:PrincipalOrgID is !Ref Org") and
    on the Allow is graded alike: unknown, conditioned.  The Deny form was 'open': exposure
    "anyone, open" and RL101 critical (risk 65, first in the table), or "outside, open"."""
    template = "Parameters:\n  Value: {Type: String}\nResources:\n"
    for index, (principal, key, _, _, _) in enumerate(_DENY_FORMS):
        template += (
            f"  R{index}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
            "        Statement:\n"
            f"          - {{Effect: Allow, Principal: {principal}, Action: sts:AssumeRole}}\n"
            "          - Effect: Deny\n            Principal: '*'\n"
            "            Action: sts:AssumeRole\n"
            f"            Condition: {{StringNotEquals: {{{key}: !Ref Value}}}}\n"
        )
    path = tmp_path / "denies.yaml"
    path.write_text(template)
    audit, found = _rows_of(path)
    rows = {row.name: row for row in found}
    said = {f.role: f"{f.rule_id} {f.severity.value}" for f in audit.report.findings}
    for index, (_, key, assumed_by, exposure, finding) in enumerate(_DENY_FORMS):
        row = rows[f"R{index}"]
        assert (
            [a.display() for a in row.assumed_by],
            row.exposure,
            row.risk.exposure,
            said.get(f"R{index}"),
        ) == ([assumed_by], exposure, EXPOSURE_POINTS[exposure], finding), key
    # The graph draws each as a dashed arrow, as for the limit on the Allow.
    assert sorted((edge.source, edge.conditional) for edge in audit.graph.edges) == [
        ("account:999988887777", True),
        ("anyone", True),
        ("anyone", True),
    ]


_SAML = "arn:aws:iam::111122223333:saml-provider/Okta"
_SIGN_IN = "https://signin.aws.amazon.com/saml"
# A SAML trust by its conditions, a Deny beside it (or None), what RL104 says and the grade.
_SAML_FORMS = [
    (None, None, True, "open"),
    (f"{{StringEquals: {{SAML:aud: {_SIGN_IN}}}}}", None, False, "scoped"),
    (f"{{StringEquals: {{saml:aud: {_SIGN_IN}}}}}", None, False, "scoped"),
    # May be the pin (no RL104), but rolelint cannot tell: unknown, as an OIDC subject so.
    ("{StringEquals: {SAML:aud: !Ref Audience}}", None, False, "unknown"),
    ("{StringLike: {SAML:aud: '*'}}", None, True, "weak"),
    ("{StringEquals: {SAML:sub: alice}}", None, True, "weak"),
    (None, f"{{StringNotEquals: {{SAML:aud: {_SIGN_IN}}}}}", False, "scoped"),
]


def test_a_saml_trust_pinned_as_rl104_requires_is_scoped(tmp_path: Path) -> None:
    """A SAML trust with the SAML:aud condition RL104 requires was 'weak' (the condition "does
    not say who"), exposure "outside, open" as with no condition at all: now 'scoped', as an
    OIDC trust whose subject RL103 finds pinned; what RL104 reports stays weak or open."""
    template = "Parameters:\n  Audience: {Type: String}\nResources:\n"
    for index, (condition, deny, _, _) in enumerate(_SAML_FORMS):
        template += (
            f"  R{index}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
            "        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: '{_SAML}'}}\n"
            "            Action: sts:AssumeRoleWithSAML\n"
            + (f"            Condition: {condition}\n" if condition else "")
            + (
                f"          - Effect: Deny\n            Principal: {{Federated: '{_SAML}'}}\n"
                f"            Action: sts:AssumeRoleWithSAML\n            Condition: {deny}\n"
                if deny
                else ""
            )
        )
    path = tmp_path / "saml.yaml"
    path.write_text(template)
    audit, found = _rows_of(path)
    rows = {row.name: row for row in found}
    reported = {f.role for f in audit.report.findings if f.rule_id == "RL104"}
    for index, (condition, deny, rl104, grade) in enumerate(_SAML_FORMS):
        row = rows[f"R{index}"]
        assert (f"R{index}" in reported, [a.display() for a in row.assumed_by]) == (
            rl104,
            [f"SAML Okta ({grade})"],
        ), (condition, deny)
        exposure = "outside, conditioned" if grade in ("scoped", "unknown") else "outside, open"
        assert (row.exposure, row.risk.exposure) == (
            exposure,
            EXPOSURE_POINTS[exposure],
        ), (condition, deny)
    assert {f.rule_id for f in audit.report.findings} == {"RL104"}


# Trust statements RL611 finds never apply (the regression hunt's: another cluster's audience
# beside the provider's own sub, "*" under two issuers' audiences, a SAML key under GitHub's
# provider, the audience and subject of two Regions of an EKS provider of the deployment's
# Region, a provider rolelint cannot resolve under a key no web identity call carries), and
# one that applies.
_NEVER_APPLYING = (
    """\
Parameters:
  Provider: {Type: String}
Resources:
  Copied:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: PROVIDER/EKS/AAAA}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {EKS/BBBB:aud: sts.amazonaws.com}
              StringLike: {EKS/AAAA:sub: "system:serviceaccount:*:*"}
  Anyone:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {GITHUB:aud: sts.amazonaws.com, gitlab.com:aud: https://gitlab.com}
  SamlKey:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: PROVIDER/GITHUB}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {GITHUB:aud: sts.amazonaws.com, SAML:sub: alice}
              StringLike: {GITHUB:sub: "repo:acme/*"}
  Regions:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {"Statement": [{"Effect": "Allow",
          "Principal": {"Federated":
            "arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/C"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/C:aud": "sts.amazonaws.com"},
            "StringLike": {
              "oidc.eks.eu-west-1.amazonaws.com/id/C:sub": "system:serviceaccount:*:*"}}}]}
  Unresolved:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: !Ref Provider}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {sts:ExternalId: x-71c9}
  Applies:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: PROVIDER/GITHUB}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {GITHUB:aud: sts.amazonaws.com}
              StringLike: {GITHUB:sub: "repo:acme/*"}
""".replace("PROVIDER/", "arn:aws:iam::111122223333:oidc-provider/")
    .replace("EKS/", "oidc.eks.eu-west-1.amazonaws.com/id/")
    .replace("GITHUB", "token.actions.githubusercontent.com")
)


def test_a_trust_statement_rl611_finds_never_applies_is_no_way_in(tmp_path: Path) -> None:
    """A statement RL611 reports never applies admits no one, but the graph drew it as a way in
    and the inventory listed its party: "EKS ... (weak)", risk 34, for the copied cluster key;
    "anyone (*) (weak)", risk 69, for "*" under two issuers' audiences; the rest "scoped" or
    "unresolved".  Now nobody, as RL611 says; a statement that applies is listed as before."""
    path = tmp_path / "never.yaml"
    path.write_text(_NEVER_APPLYING)
    audit, found = _rows_of(path)
    rows = {row.name: row for row in found}
    never = ["Copied", "Anyone", "SamlKey", "Regions", "Unresolved"]
    said = {
        name: ([a.display() for a in row.assumed_by], row.exposure) for name, row in rows.items()
    }
    assert said == {
        **{name: ([], "nobody") for name in never},
        "Applies": (
            ["GitHub Actions token.actions.githubusercontent.com (scoped)"],
            "outside, conditioned",
        ),
    }
    assert all(rows[name].risk.exposure == 0 for name in never)
    into = {edge.target.rsplit("#", 1)[1] for edge in audit.graph.edges}
    assert into == {"Applies"}
    rl611 = {f.role for f in audit.report.findings if f.rule_id == "RL611"}
    assert rl611 == set(never)


# A managed policy allowing * on * attached to three roles: one bounded to s3:GetObject, one
# under its own Deny of iam:*, one free (the audit hunt's r1 and t18 in one template).
_SHARED_ADMIN = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Bounded, !Ref Locked, !Ref Free]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument: &trust
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Locked:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
      Policies:
        - PolicyName: deny-iam
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: "iam:*", Resource: "*"}
  Free:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
"""


def test_a_shared_policy_s_admin_access_is_not_a_holder_s_its_limits_take_it_from(
    tmp_path: Path,
) -> None:
    """Hunt: RL201 on the shared policy named all three roles, so the inventory called
    Bounded (whose effective permissions are s3:GetObject) and Locked admin, risk 67 each,
    contradicting the card's effective permissions and the graph."""
    (tmp_path / "t.yaml").write_text(_SHARED_ADMIN)
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    rows = {row.name: row for row in found}
    access = {name: row.access.level for name, row in rows.items()}
    assert access == {
        "Free": Access.ADMIN,
        "Locked": Access.ESCALATE,  # every action but IAM's: Lambda, SSM ... (RL206)
        "Bounded": Access.READ_ONLY,  # s3:GetObject
    }
    findings = {name: sorted(f.rule_id for f in row.findings) for name, row in rows.items()}
    assert findings == {
        "Free": ["RL201"],
        "Locked": ["RL202", "RL206", "RL207", "RL208"],
        "Bounded": ["RL208"],
    }
    assert rows["Bounded"].risk.access == ACCESS_POINTS[Access.READ_ONLY]


# '*' on '*' behind a gate that lets through iam:PassRole or the attachments alone: a Deny of
# every request but those attaching ReadOnlyAccess, and a boundary allowing '*' only where
# iam:PassedToService names EC2 (the regression hunt's deny_ro.yaml and bnd_pass.yaml).
_GATED_ADMIN = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
            Condition: {StringEquals: {iam:PassedToService: ec2.amazonaws.com}}
  Denied:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: &trust
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: guarded
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
              - Effect: Deny
                Action: "*"
                Resource: "*"
                Condition:
                  ArnNotEquals: {iam:PolicyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess"}
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
      PermissionsBoundary: !Ref Boundary
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


def test_admin_behind_a_gate_of_a_few_actions_is_no_admin_for_the_row_and_graph(
    tmp_path: Path,
) -> None:
    """Regression hunt: RL201 judges '*' under a Deny or boundary condition that leaves
    iam:PassRole or the attachments alone as no administrator access (nothing, or medium RL206
    "only to ec2.amazonaws.com"), but the inventory, the card and the graph's "privileged"
    mark still said admin (risk 42 and 46): they judged every IAM action without the gate."""
    (tmp_path / "t.yaml").write_text(_GATED_ADMIN)
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "Denied": Access.SCOPED,  # attaching ReadOnlyAccess alone
        "Bounded": Access.ESCALATE,  # passing a role to EC2 (RL206, medium)
    }
    permissions = [f for f in audit.report.active_findings if f.rule_id.startswith("RL2")]
    assert [(f.rule_id, f.severity) for f in permissions] == [("RL206", Severity.MEDIUM)]
    assert audit.graph.nodes[rows["Denied"].node_id].privileged is None
    privileged = audit.graph.nodes[rows["Bounded"].node_id].privileged
    assert privileged is not None and privileged.endswith("a privilege escalation")


_NOT_RESOURCE = """\
Parameters:
  Spared: {Type: String}
Resources:
  Cleaner:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:DeleteObject, s3:DeleteBucket, dynamodb:DeleteTable]
                NotResource: arn:aws:s3:::audit-logs/*
  Reader:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:GetObject, NotResource: "arn:aws:s3:::audit-logs/*"}
  Unknown:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:DeleteBucket, NotResource: !Ref Spared}
  Tagged:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:DeleteBucket
                NotResource: arn:aws:s3:::audit-logs
                Condition: {StringEquals: {aws:ResourceTag/team: blue}}
  Denied:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:DeleteBucket, NotResource: "arn:aws:s3:::audit-logs"}
              - {Effect: Deny, Action: "s3:*", Resource: "*"}
  Logger:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: logs:PutLogEvents
                NotResource: "arn:aws:logs:us-east-1:111122223333:log-group:audit:*"
"""


def test_a_write_on_every_resource_but_a_few_is_write_on_everything(tmp_path: Path) -> None:
    """Hunt: ACCESS said "scoped" (writes, but only to named resources) for deletes on every
    bucket and table but one object prefix (Allow with NotResource), risk 11 against 26 for
    the same grant on "*": only RL203, which does not judge NotResource, proved "write on *".
    What a NotResource rolelint cannot resolve leaves, or a condition on what is acted on, is
    not every resource; nor is what a Deny takes away."""
    (tmp_path / "t.yaml").write_text(_NOT_RESOURCE)
    _, found = _rows_of(tmp_path / "t.yaml")
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "Cleaner": Access.WRITE_ALL,
        "Reader": Access.READ_ONLY,
        "Unknown": Access.SCOPED,
        "Tagged": Access.SCOPED,
        "Denied": Access.NONE,
        # Telemetry RL203 leaves alone on "*" (scoped there) is no write on * here either.
        "Logger": Access.SCOPED,
    }
    assert rows["Cleaner"].access.why == (
        "'s3:DeleteObject' on every resource except 'arn:aws:s3:::audit-logs/*' (NotResource) "
        "in inline policy 'p' of role Cleaner"
    )
    assert rows["Cleaner"].risk.access == ACCESS_POINTS[Access.WRITE_ALL]


_GRANTING_NOTHING = """\
Resources:
{roles}
"""
_ROLE_OF = """\
  {name}:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {statement}
"""


@pytest.mark.parametrize(
    "statement",
    [
        '{Effect: Allow, Action: "s3:*", NotResource: "*"}',
        '{Effect: Allow, NotAction: "*", Resource: "*"}',
        '{Effect: Allow, NotAction: [], Resource: "*"}',
        '{Effect: Allow, Action: [], Resource: "*"}',
    ],
)
def test_an_allow_that_grants_nothing_is_no_access(tmp_path: Path, statement: str) -> None:
    """The card left out an Allow of NotResource "*" (every resource but all of them: none)
    and said the role has no effective permission, while its row called the role "scoped"
    (writes to named resources) and counted 5 risk points for it.  A role beside it with a
    real grant keeps its level: only the Allow granting nothing is left out."""
    roles = [
        _ROLE_OF.format(name="Idle", statement=statement),
        _ROLE_OF.format(
            name="Writer",
            statement='{Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*"}',
        ),
    ]
    (tmp_path / "t.yaml").write_text(_GRANTING_NOTHING.format(roles="".join(roles)))
    _, found = _rows_of(tmp_path / "t.yaml")
    rows = {row.name: row for row in found}
    assert rows["Idle"].access.level is Access.NONE
    assert rows["Idle"].risk.access == ACCESS_POINTS[Access.NONE]
    assert rows["Writer"].access.level is Access.SCOPED


_CONDITIONAL_NOT_RESOURCE = """\
Conditions:
  Skip: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
{roles}
"""


def test_an_allow_whose_not_resource_a_condition_chooses_is_judged_per_branch(
    tmp_path: Path,
) -> None:
    """``NotResource: !If [Skip, "*", <ARN>]``: read with both options listed together, the
    Allow excluded every resource, and the row said "none" where the deployments without Skip
    delete every object but the ARN's, as the same statement without the condition does.
    Every resource in every branch is still no access."""
    roles = [
        _ROLE_OF.format(
            name="Cleaner",
            statement="{Effect: Allow, Action: s3:DeleteObject, "
            'NotResource: !If [Skip, "*", "arn:aws:s3:::audit-logs/*"]}',
        ),
        _ROLE_OF.format(
            name="Plain",
            statement="{Effect: Allow, Action: s3:DeleteObject, "
            'NotResource: "arn:aws:s3:::audit-logs/*"}',
        ),
        _ROLE_OF.format(
            name="Idle",
            statement="{Effect: Allow, Action: s3:DeleteObject, "
            'NotResource: !If [Skip, "*", ["arn:aws:*:*:*:*"]]}',
        ),
    ]
    (tmp_path / "t.yaml").write_text(_CONDITIONAL_NOT_RESOURCE.format(roles="".join(roles)))
    _, found = _rows_of(tmp_path / "t.yaml")
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "Cleaner": Access.WRITE_ALL,
        "Plain": Access.WRITE_ALL,
        "Idle": Access.NONE,
    }
    assert rows["Cleaner"].access.why == rows["Plain"].access.why.replace("Plain", "Cleaner")


def _exported(name: str, statements: list[dict[str, object]], **role: object) -> dict[str, object]:
    """One role of an account export with one inline policy of ``statements``."""
    return {
        "Path": "/",
        "RoleName": name,
        "Arn": f"arn:aws:iam::111122223333:role/{name}",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "RolePolicyList": [
            {
                "PolicyName": "p",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }
        ],
        "AttachedManagedPolicies": [],
        **role,
    }


_BOUNDARY_ARN = "arn:aws:iam::111122223333:policy/reader-boundary"


def test_a_not_action_is_judged_after_denies_and_the_boundary(tmp_path: Path) -> None:
    """Hunt: ACCESS said "scoped" for every Allow with NotAction, unjudged: PowerUserAccess under
    a boundary allowing s3:GetObject on one bucket (read-only), and every action but IAM's
    beside a Deny of every action (none).  Every action but those that escalate or assume a
    role, on "*", was "scoped" too: it writes on every resource."""
    quiet = ["iam:*", "sts:*", "ssm:*", "lambda:*", "glue:*", "sagemaker:*"]
    export = {
        "RoleDetailList": [
            {
                **_exported("bounded", []),
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "PowerUserAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess",
                    }
                ],
                "PermissionsBoundary": {
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": _BOUNDARY_ARN,
                },
            },
            _exported(
                "locked",
                [
                    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                    {
                        "Effect": "Allow",
                        "Action": "s3:DeleteObject",
                        "NotResource": "arn:aws:s3:::keep/*",
                    },
                    {"Effect": "Deny", "Action": "*", "Resource": "*"},
                ],
            ),
            _exported(
                "wide",
                [
                    {
                        "Effect": "Allow",
                        "NotAction": [*quiet, "ec2-instance-connect:*"],
                        "Resource": "*",
                    }
                ],
            ),
            _exported(
                "named",
                [{"Effect": "Allow", "NotAction": quiet, "Resource": "arn:aws:s3:::app/*"}],
            ),
        ],
        "Policies": [
            {
                "PolicyName": "reader-boundary",
                "Arn": _BOUNDARY_ARN,
                "DefaultVersionId": "v1",
                "PolicyVersionList": [
                    {
                        "VersionId": "v1",
                        "IsDefaultVersion": True,
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:GetObject",
                                    "Resource": "arn:aws:s3:::reports/*",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    (tmp_path / "account.json").write_text(json.dumps(export, indent=2))
    _, found = _rows_of(tmp_path / "account.json")
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "bounded": Access.READ_ONLY,  # s3:GetObject on reports/*
        "locked": Access.NONE,
        "wide": Access.WRITE_ALL,
        "named": Access.SCOPED,  # every action but a few, on one bucket's objects
    }
    assert rows["wide"].access.why == (
        f"every action except {', '.join(repr(a) for a in [*quiet, 'ec2-instance-connect:*'])}"
        f" on '*' in inline policy 'p' of role {tmp_path / 'account.json'}#wide"
    )
    assert [f.rule_id for f in rows["bounded"].findings] == []
    assert [f.rule_id for f in rows["locked"].findings] == []


@pytest.mark.parametrize("listed", ["*", ["s3:*", "*:*"]])
def test_a_not_action_of_every_action_grants_no_access(tmp_path: Path, listed: object) -> None:
    """Hunt: ACCESS said "scoped" ("every action except '*'") of a role whose one Allow is
    NotAction "*" on "*": every action but all of them is none, so it grants nothing.  Beside
    a read, the role reads only."""
    not_all: dict[str, object] = {"Effect": "Allow", "NotAction": listed, "Resource": "*"}
    read: dict[str, object] = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
    }
    export = {"RoleDetailList": [_exported("none", [not_all]), _exported("reads", [not_all, read])]}
    (tmp_path / "account.json").write_text(json.dumps(export, indent=2))
    _, found = _rows_of(tmp_path / "account.json")
    assert {row.name: row.access.level for row in found} == {
        "none": Access.NONE,
        "reads": Access.READ_ONLY,
    }


def test_assuming_any_role_is_a_write_on_every_resource(tmp_path: Path) -> None:
    """Hunt: sts:AssumeRole on "*" (RL207) was "scoped" ("writes, but only to named
    resources"), ranked below sqs:SendMessage on "*" (RL203, "write on *"); the card itself
    says "sts Write: AssumeRole on *".  Spelt STS:assumerole in an export, the same."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  AssumeAny:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: sts:AssumeRole, Resource: '*'}\n"
        "  SendAny:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: sqs:SendMessage, Resource: '*'}\n"
    )
    export = {
        "RoleDetailList": [
            _exported("mixed", [{"Effect": "Allow", "Action": "STS:assumerole", "Resource": "*"}])
        ]
    }
    (tmp_path / "account.json").write_text(json.dumps(export, indent=2))
    _, found = _rows_of(tmp_path)
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "AssumeAny": Access.WRITE_ALL,
        "SendAny": Access.WRITE_ALL,
        "mixed": Access.WRITE_ALL,
    }
    assert rows["AssumeAny"].access.why.startswith("RL207 assume-any-role at ")
    assert rows["AssumeAny"].risk.score > rows["SendAny"].risk.score


_SERVICE_LINKED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Slr:
    Type: AWS::IAM::Role
    Properties:
      RoleName: AWSServiceRoleForFoo
      Path: /aws-service-role/foo.amazonaws.com/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: foo.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
"""


def test_the_graph_and_the_row_judge_a_service_linked_role_s_own_policies_alike(
    tmp_path: Path,
) -> None:
    """A service-linked role's own policies are AWS's text, which no rule judges: its row said
    access "none (+1 AWS-written policy, not judged)", but the graph marked the same role
    admin-level ("'*' on '*' in inline policy 'p'"), which every chaining rule reads.  Both now
    read the one list of judged permission policies."""
    template = tmp_path / "t.yaml"
    template.write_text(_SERVICE_LINKED)
    audit, found = _rows_of(template)
    [row] = found
    assert row.access.display() == "none (+1 AWS-written policy, not judged)"
    assert audit.graph.nodes[row.node_id].privileged is None


def test_the_policies_sam_connectors_generate_are_unread_on_the_row_and_card(
    tmp_path: Path,
) -> None:
    """SAM attaches a managed policy it generates for each connector to the function's role;
    the row said '+9 unread policies' for nine Policies names and the card listed none of the
    connectors, as if the role held nothing more.  Both count and list them now."""
    (tmp_path / "t.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Queue:\n    Type: AWS::SQS::Queue\n"
        "  Table:\n    Type: AWS::DynamoDB::Table\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: a.h\n      Policies: [AmazonS3ReadOnlyAccess]\n"
        "    Connectors:\n"
        "      ToTable:\n        Properties: {Destination: {Id: Table}, Permissions: [Read]}\n"
        "  FnToQueue:\n    Type: AWS::Serverless::Connector\n"
        "    Properties: {Source: {Id: Fn}, Destination: {Id: Queue}, Permissions: [Write]}\n"
    )
    from rolelint.audit.card import role_card

    audit, found = _rows_of(tmp_path / "t.yaml")
    [row] = found
    assert row.access.display().endswith("(+3 unread policies)")
    [fn_role] = audit.inventory.roles
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    card = role_card(fn_role, row, audit.inventory, audit.graph, findings)
    [policies] = [s for s in card.sections if s.title == "Permission policies"]
    assert [line.text for line in policies.lines if "connector" in line.text] == [
        "managed policy <unresolved: SAM connector FnToTable (managed policy FnToTablePolicy)>:"
        " not readable here (its text is not in the scanned files)",
        "managed policy <unresolved: SAM connector FnToQueue (managed policy FnToQueuePolicy)>:"
        " not readable here (its text is not in the scanned files)",
    ]


_SELF_EDITORS = """\
Resources:
  Pol:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: app-policy
      Roles: [!Ref Rewriter]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:CreatePolicyVersion
            Resource: !Sub arn:aws:iam::${AWS::AccountId}:policy/app-policy
  Rewriter:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: &trust
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci-deployer
      AssumeRolePolicyDocument: *trust
      Policies:
        - PolicyName: manage-ci-roles
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:AttachRolePolicy
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/ci-*
  Other:
    Type: AWS::IAM::Role
    Properties:
      RoleName: other
      AssumeRolePolicyDocument: *trust
      Policies:
        - PolicyName: edits-ci
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PutRolePolicy
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/ci-deployer
"""


def test_a_role_that_can_change_its_own_permissions_can_escalate(tmp_path: Path) -> None:
    """Hunt (realistic3, defect 1): a role allowed to attach itself policies (``role/ci-*``
    for ci-deployer) or to rewrite a managed policy it holds was "scoped", risk 7; the access
    level and the graph's privileged mark follow RL206.  Changing another role's policies is
    not an escalation of one's own."""
    (tmp_path / "t.yaml").write_text(_SELF_EDITORS)
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "Rewriter": Access.ESCALATE,
        "CiRole": Access.ESCALATE,
        "Other": Access.SCOPED,
    }
    assert {name: [f.rule_id for f in row.findings] for name, row in rows.items()} == {
        "Rewriter": ["RL206"],
        "CiRole": ["RL206"],
        "Other": [],
    }
    privileged = audit.graph.nodes[rows["CiRole"].node_id].privileged
    assert privileged is not None and privileged.endswith("a privilege escalation")
    assert audit.graph.nodes[rows["Other"].node_id].privileged is None


_UNRESOLVED_PROVIDER = """\
Resources:
  Judged:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Federated: !ImportValue OidcProviderArn}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringLike: {token.actions.githubusercontent.com:sub: "repo:acme/*"}
  NoIssuer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Federated: !ImportValue OidcProviderArn}
            Action: sts:AssumeRoleWithWebIdentity
            Condition: {IpAddress: {aws:SourceIp: 203.0.113.0/24}}
"""


def test_an_unresolved_provider_is_shown_with_the_issuer_its_condition_keys_name(
    tmp_path: Path,
) -> None:
    """A Federated principal rolelint cannot resolve, in a statement requiring a claim of
    GitHub's tokens, is judged by the checks as a trust of GitHub's issuer (RL103 says so), but
    'roles' and 'show' said only "<unresolved: Fn::ImportValue is not resolved statically>": the
    party is an unresolved provider, shown with why and with the issuer it is judged as.  Without
    an issuer key nothing is judged, and it stays unresolved alone; never exposure."""
    template = tmp_path / "a.yaml"
    template.write_text(_UNRESOLVED_PROVIDER)
    terraform = tmp_path / "tf"
    terraform.mkdir()
    (terraform / "main.tf").write_text(
        'variable "provider_arn" { type = string }\n'
        'resource "aws_iam_role" "r" {\n'
        '  name = "r"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        "      Principal = { Federated = var.provider_arn }\n"
        '      Action    = "sts:AssumeRoleWithWebIdentity"\n'
        '      Condition = { StringEquals = { "gitlab.com:sub" = '
        '"project_path:acme/app:ref_type:branch:ref:main" } }\n'
        "    }]\n"
        "  })\n"
        "}\n"
    )
    audit, found = _rows_of(template, terraform)
    rows = {row.name: row for row in found}

    def said(name: str) -> list[tuple[str, str]]:
        return [(a.kind, a.display()) for a in rows[name].assumed_by]

    assert said("Judged") == [
        (
            "unresolved",
            "unresolved provider judged as GitHub Actions token.actions.githubusercontent.com"
            " by its condition keys: <unresolved: Fn::ImportValue is not resolved statically>"
            " (scoped)",
        )
    ]
    assert said("aws_iam_role.r") == [
        (
            "unresolved",
            "unresolved provider judged as GitLab gitlab.com by its condition keys:"
            " <unresolved: variable provider_arn has no default> (scoped)",
        )
    ]
    assert said("NoIssuer") == [
        ("unresolved", "<unresolved: Fn::ImportValue is not resolved statically> (weak)")
    ]
    for row in rows.values():
        assert (row.exposure, row.risk.exposure) == ("unresolved", 0)
    assert {(f.rule_id, f.role) for f in audit.report.findings} >= {("RL103", "Judged")}


_BOUNDED_SELF_EDITORS = """\
Resources:
  Narrow:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: ["s3:*", "logs:*"], Resource: "*"}
          - Effect: Allow
            Action: iam:PutRolePolicy
            Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/capped
  Capped:
    Type: AWS::IAM::Role
    Properties:
      RoleName: capped
      PermissionsBoundary: !Ref Narrow
      AssumeRolePolicyDocument: &trust
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: self
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PutRolePolicy
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/capped
  Uncapped:
    Type: AWS::IAM::Role
    Properties:
      RoleName: uncapped
      PermissionsBoundary: arn:aws:iam::aws:policy/AdministratorAccess
      AssumeRolePolicyDocument: *trust
      Policies:
        - PolicyName: self
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PutRolePolicy
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/uncapped
"""


def test_a_role_writing_itself_what_its_boundary_allows_follows_that_boundary(
    tmp_path: Path,
) -> None:
    """Regression hunt (regr4, 1): under AdministratorAccess as boundary a role allowed to
    write its own policy was 'scoped', not admin-level in the graph; one whose boundary allows
    s3:* and logs:* is capped by it."""
    (tmp_path / "t.yaml").write_text(_BOUNDED_SELF_EDITORS)
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    rows = {row.name: row for row in found}
    assert {name: row.access.level for name, row in rows.items()} == {
        "Capped": Access.SCOPED,
        "Uncapped": Access.ESCALATE,
    }
    privileged = audit.graph.nodes[rows["Uncapped"].node_id].privileged
    assert privileged is not None and privileged.endswith("a privilege escalation")
    assert audit.graph.nodes[rows["Capped"].node_id].privileged is None


_GROUP_EDITOR = """\
Conditions:
  Yes: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Devs:
    Type: AWS::IAM::Group
    Properties:
      GroupName: devs
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Groups: GROUPS
      Policies:
        - PolicyName: own
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Target.Arn}
              - Effect: Allow
                Action: iam:PutGroupPolicy
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:group/devs
  Target:
    Type: AWS::IAM::Role
    Properties:
      RoleName: target
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Dev.Arn}, Action: sts:AssumeRole}
"""


@pytest.mark.parametrize(
    ("groups", "level"),
    [
        ("[!Ref Devs]", Access.ESCALATE),
        # Added to the group only where a condition holds: not certainly its group.
        ("[!If [Yes, !Ref Devs, !Ref AWS::NoValue]]", Access.SCOPED),
    ],
)
def test_a_user_that_can_write_its_group_s_policy_can_escalate(
    tmp_path: Path, groups: str, level: Access
) -> None:
    """A user allowed iam:PutGroupPolicy on a group it is in writes itself any policy: its row
    and the graph's privileged mark follow RL206, as for a role's own ARN."""
    (tmp_path / "t.yaml").write_text(_GROUP_EDITOR.replace("GROUPS", groups))
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    row = next(row for row in found if row.name == "Dev")
    assert row.access.level is level
    privileged = audit.graph.nodes[row.node_id].privileged
    assert (privileged is not None) is (level is Access.ESCALATE)
    assert [f.rule_id for f in audit.every_finding if f.rule_id == "RL206"] == (
        ["RL206"] if level is Access.ESCALATE else []
    )


_PASSED_ADMIN = """\
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deployer
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Dev.Arn}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Admin.Arn}
              - Effect: Allow
                Action: [lambda:CreateFunction, lambda:InvokeFunction]
                Resource: "*"
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Policies:
        - PolicyName: own
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Deployer.Arn}
"""


def test_each_holder_is_judged_admin_level_once_for_the_rules_graph_and_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a role or user is administrator-level is read by RL206 (a role iam:PassRole
    names), by the graph's privileged mark and by the row's access level: judged once for all
    three (hops.admin_levels), not once by each."""
    judged: list[str] = []
    admin_grant = hops.admin_grant

    def counted(holder: Role, scanned: ScannedPolicies | None = None) -> AdminGrant | None:
        judged.append(holder.id)
        return admin_grant(holder, scanned)

    monkeypatch.setattr(hops, "admin_grant", counted)
    (tmp_path / "t.yaml").write_text(_PASSED_ADMIN)
    audit = audit_paths([str(tmp_path)])
    found = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    rows = {row.name: row for row in found}
    passing = [f for f in audit.every_finding if f.rule_id == "RL206"]
    assert [f.role for f in passing] == ["Deployer"]  # passes Admin: RL206 asked about it
    assert audit.graph.nodes[rows["Admin"].node_id].privileged is not None
    assert rows["Admin"].access.level is Access.ADMIN
    assert sorted(judged) == ["Admin", "Deployer", "Dev"]


def test_an_instance_of_a_module_two_roots_call_has_only_its_own_findings(
    tmp_path: Path,
) -> None:
    """prod and staging call one module, which attaches AdministratorAccess only where
    ``admin = true`` (prod).  check reports one RL201, prod's; the rows gave it to both
    instances (a finding counted for every holder of its id written in its file, the shared
    module's), so staging's row said admin, risk 67, 1C."""
    shared_ids.module_of_two_roots(tmp_path)
    audit, found = _rows_of(tmp_path / "prod", tmp_path / "staging")
    assert [(f.rule_id, f.role) for f in audit.report.findings] == [("RL201", shared_ids.ADDRESS)]
    rows = {row.node_id: row for row in found}
    prod, staging = (f"role:{tmp_path / root}#{shared_ids.ADDRESS}" for root in ("prod", "staging"))
    assert sorted(rows) == [prod, staging]
    assert (rows[prod].access.level, [f.rule_id for f in rows[prod].findings]) == (
        Access.ADMIN,
        ["RL201"],
    )
    assert (rows[staging].access.level, rows[staging].findings) == (Access.NONE, ())
    assert rows[staging].risk.score < rows[prod].risk.score
    # The root tells the two rows apart where the file and address do not.
    assert (rows[prod].root, rows[staging].root) == (
        str(tmp_path / "prod"),
        str(tmp_path / "staging"),
    )


def test_instances_of_a_module_that_both_attach_admin_share_its_one_finding(
    tmp_path: Path,
) -> None:
    """Both roots pass ``admin = true``: the two hits say the same at one place and are one
    finding, which is on both instances."""
    shared_ids.module_of_two_roots(tmp_path, staging_admin=True)
    audit, found = _rows_of(tmp_path / "prod", tmp_path / "staging")
    assert [f.rule_id for f in audit.report.findings] == ["RL201"]
    assert [(row.access.level, [f.rule_id for f in row.findings]) for row in found] == [
        (Access.ADMIN, ["RL201"]),
        (Access.ADMIN, ["RL201"]),
    ]


def test_one_logical_id_in_two_templates_has_only_the_findings_on_its_own_policies(
    tmp_path: Path,
) -> None:
    """prod's AppRole attaches ops-admin (iam:*), staging's read-config, both defined in
    shared/policies.yaml.  RL201 on ops-admin names AppRole, and both rows took it (each role
    holds a policy of that file), so staging's AppRole was called admin."""
    shared_ids.templates_of_two_stages(tmp_path)
    audit, found = _rows_of(tmp_path)
    assert [(f.rule_id, f.role) for f in audit.report.findings] == [("RL201", "AppRole")]
    rows = {Path(row.ref.file).parent.name: row for row in found}
    assert (rows["prod"].access.level, [f.rule_id for f in rows["prod"].findings]) == (
        Access.ADMIN,
        ["RL201"],
    )
    assert (rows["staging"].access.level, rows["staging"].findings) == (Access.READ_ONLY, ())
    # The file tells them apart: no root is said.
    assert (rows["prod"].root, rows["staging"].root) == (None, None)


def test_every_finding_naming_a_role_says_which_holder_it_is_on() -> None:
    """Every rule's findings on a role carry the holders the rule judged, the chaining rules'
    too (those of their path's start): what tells holders sharing an id apart
    (FindingsByHolder) and names the root of a module's instance (the engine), not the file
    the finding points into."""
    report = lint_paths([str(FIXTURES / "rules")])
    named = [finding for finding in report.findings if finding.roles]
    assert len({finding.rule_id for finding in named}) > 25
    assert {"RL401", "RL402", "RL403", "RL405"} <= {finding.rule_id for finding in named}
    for finding in named:
        assert finding.holders, (finding.rule_id, finding.file, finding.location.line)
        assert {holder.id for holder in finding.holders} <= set(finding.roles)
        start = next((hop for hop in finding.path if hop.placed), None)
        if start is not None and finding.rule_class == "chaining":
            assert start.node in {holder.id for holder in finding.holders}


def test_each_instance_of_a_module_one_root_calls_twice_has_their_merged_finding(
    tmp_path: Path,
) -> None:
    """One root calls a module as module.a and module.b, both attaching AdministratorAccess:
    check merges the two RL201 into one naming module.a ("also as module.b..."), which carries
    both holders.  The rows counted it on module.a's only: module.b was admin with no finding,
    and a lower risk."""
    app = shared_ids.module_called_twice(tmp_path)
    audit, found = _rows_of(app)
    [finding] = audit.report.findings
    assert (finding.rule_id, finding.roles) == ("RL201", shared_ids.TWICE[:1])
    assert f"(also as {shared_ids.TWICE[1]})" in finding.message
    rows = {row.name: row for row in found}
    assert sorted(rows) == list(shared_ids.TWICE)
    for name in shared_ids.TWICE:
        assert (rows[name].access.level, rows[name].findings) == (Access.ADMIN, (finding,))
    assert rows[shared_ids.TWICE[0]].risk == rows[shared_ids.TWICE[1]].risk


def test_a_chain_of_one_root_s_instance_of_a_module_is_on_that_instance_and_says_its_root(
    tmp_path: Path,
) -> None:
    """prod and staging call one module, whose role may assume any role named admin; only
    prod defines admin, trusting prod's instance alone.  The chaining findings carried no
    holders (the rows told the instances apart by the path's first hop), so the engine could
    not say whose instance they were on: their message named no root, where every other
    finding on such an instance does."""
    shared_ids.module_chaining_in_roots(tmp_path)
    audit, found = _rows_of(tmp_path / "prod", tmp_path / "staging")
    prod, staging = (str(tmp_path / root) for root in ("prod", "staging"))
    chains = [f for f in audit.report.findings if f.rule_class == "chaining"]
    assert sorted(f.rule_id for f in chains) == ["RL401", "RL405"]
    for finding in chains:
        assert finding.roots == (prod,)
        assert finding.message.endswith(f"(root {prod})")
        assert [(key.id, key.root) for key in finding.holders] == [(shared_ids.ADDRESS, prod)]
    rows = {row.node_id: row for row in found if row.name == shared_ids.ADDRESS}
    on = {node: sorted(f.rule_id for f in row.findings) for node, row in rows.items()}
    assert on == {
        f"role:{prod}#{shared_ids.ADDRESS}": ["RL401", "RL405"],
        f"role:{staging}#{shared_ids.ADDRESS}": [],
    }


def test_a_chain_both_roots_instances_of_a_module_make_is_on_both(tmp_path: Path) -> None:
    """prod's admin trusts the account, so both instances of the module reach it: the two
    RL401 say the same at one place and are one finding, which named no root and counted on
    the row of the instance whose path it kept (prod's) only: staging's row reached admin
    with no finding, and a lower risk.  RL405 then reported the chain of the first instance
    by id alone (prod's), so staging's row lacked it: each instance's chain is now found, and
    the two are one finding on both, as the RL401 are."""
    shared_ids.module_chaining_in_roots(tmp_path, both=True)
    audit, found = _rows_of(tmp_path / "prod", tmp_path / "staging")
    prod, staging = (str(tmp_path / root) for root in ("prod", "staging"))
    [hop] = [f for f in audit.report.findings if f.rule_id == "RL401"]
    assert hop.roots == (prod, staging)
    assert hop.message.endswith(f"(roots {prod}, {staging})")
    rows = {row.root: row for row in found if row.name == shared_ids.ADDRESS}
    for root in (prod, staging):
        assert rows[root].reaches_admin
        assert hop in rows[root].findings
    [entry] = [f for f in audit.report.findings if f.rule_id == "RL405"]
    assert entry.roots == (prod, staging)
    assert entry.message.endswith(f"(roots {prod}, {staging})")
    assert [(key.id, key.root) for key in sorted(entry.holders)] == [
        (shared_ids.ADDRESS, prod),
        (shared_ids.ADDRESS, staging),
    ]
    assert [entry in rows[root].findings for root in (prod, staging)] == [True, True]
    # It keeps the fingerprint of prod's chain, the finding there was: the one found when
    # admin trusts prod's instance alone.
    main = tmp_path / "prod" / "main.tf"
    main.write_text(main.read_text().replace(":root", ":role/prod-ci"))
    [prods] = [
        f
        for f in _rows_of(tmp_path / "prod", tmp_path / "staging")[0].report.findings
        if f.rule_id == "RL405"
    ]
    assert prods.roots == (prod,)
    assert prods.fingerprint == entry.fingerprint


def test_a_chain_merged_for_a_module_one_root_calls_twice_is_on_each_instance(
    tmp_path: Path,
) -> None:
    """module.a and module.b of one root both reach admin: check merges the two RL401 into
    one naming module.a ("also as module.b..."), which carried no holders, so module.b's row
    reached admin with no finding."""
    audit, found = _rows_of(shared_ids.module_chaining_twice(tmp_path))
    [hop] = [f for f in audit.report.findings if f.rule_id == "RL401"]
    assert hop.roles == shared_ids.TWICE[:1]
    assert "(also as module.b." in hop.message
    assert sorted(key.id for key in hop.holders) == list(shared_ids.TWICE)
    rows = {row.name: row for row in found}
    for name in shared_ids.TWICE:
        assert rows[name].reaches_admin
        assert hop in rows[name].findings


_DENIED_BY_ANOTHER_ISSUERS_KEY = """\
Resources:
  OtherClusterDeny:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: PROVIDER/EKS/AAAA}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {EKS/AAAA:aud: sts.amazonaws.com}
          - Effect: Deny
            Principal: {Federated: PROVIDER/EKS/AAAA}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringNotEquals: {EKS/BBBB:sub: "system:serviceaccount:a:b"}
  OwnClusterDeny:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: PROVIDER/EKS/AAAA}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {EKS/AAAA:aud: sts.amazonaws.com}
          - Effect: Deny
            Principal: {Federated: PROVIDER/EKS/AAAA}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringNotEquals: {EKS/AAAA:sub: "system:serviceaccount:a:b"}
""".replace("PROVIDER/", "arn:aws:iam::111122223333:oidc-provider/").replace(
    "EKS/", "oidc.eks.eu-west-1.amazonaws.com/id/"
)


def test_a_deny_on_another_issuers_key_leaves_the_provider_no_way_in(tmp_path: Path) -> None:
    """A Deny of the provider unless another cluster's ``sub`` is some value refuses every
    token of the provider (none carries that key): the inventory listed it "scoped", exposure
    counted, and the graph drew its edge, while RL103 said critical.  Now nobody; the Deny on
    the cluster's own ``sub`` still lets that service account in."""
    path = tmp_path / "denied.yaml"
    path.write_text(_DENIED_BY_ANOTHER_ISSUERS_KEY)
    audit, found = _rows_of(path)
    said = {row.name: ([a.display() for a in row.assumed_by], row.exposure) for row in found}
    assert said["OtherClusterDeny"] == ([], "nobody")
    assert said["OwnClusterDeny"][0] == [
        "EKS (IAM roles for service accounts) oidc.eks.eu-west-1.amazonaws.com/id/AAAA (scoped)"
    ]
    into = {edge.target.rsplit("#", 1)[1] for edge in audit.graph.edges}
    assert into == {"OwnClusterDeny"}
    assert audit.report.findings == []
