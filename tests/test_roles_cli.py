"""`rolelint roles` end to end on fixtures/audit (CloudFormation, Terraform, an account export
and a raw policy in one project), run as users run it: the exact output of every format
(snapshots), filters, input errors and exit codes.

After an intended output change, regenerate with ``ROLELINT_UPDATE_SNAPSHOTS=1 pytest
tests/test_roles_cli.py`` and review the diff of ``tests/snapshots/roles/`` before committing.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tests import shared_ids
from tests.conftest import run_rolelint

PROJECT = "fixtures/audit"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "roles"


def _matches_snapshot(actual: str, name: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("ROLELINT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed: review and regenerate"


@pytest.mark.parametrize(
    ("format_name", "snapshot"),
    [("text", "roles.txt"), ("csv", "roles.csv"), ("markdown", "roles.md"), ("json", "roles.json")],
)
def test_each_format_matches_its_reviewed_snapshot(format_name: str, snapshot: str) -> None:
    result = run_rolelint("roles", PROJECT, "--format", format_name)
    assert (result.returncode, result.stderr) == (0, "")
    output = result.stdout
    if format_name == "json":  # the version changes with every release
        document = json.loads(output)
        document["version"] = "<version>"
        output = json.dumps(document, indent=2) + "\n"
    _matches_snapshot(output, snapshot)


def test_the_text_table_leads_with_the_most_dangerous_role() -> None:
    lines = run_rolelint("roles", PROJECT).stdout.splitlines()
    assert lines[0].split()[:4] == ["RISK", "KIND", "NAME", "WHERE"]
    first = lines[1].split()
    assert first[:4] == ["70", "role", "AdminRole", "fixtures/audit/platform.yaml:8"]
    assert lines[-1].startswith("7 roles, 1 user or group, most dangerous first")


def test_json_rows_carry_the_risk_terms_and_positions() -> None:
    document = json.loads(run_rolelint("roles", PROJECT, "-f", "json").stdout)
    rows = {row["name"]: row for row in document["roles"]}
    public = rows["PublicReaderRole"]
    assert (public["file"], public["line"], public["column"]) == (
        "fixtures/audit/platform.yaml",
        44,
        3,
    )
    assert public["risk"] == sum(public["risk_terms"].values())
    assert public["assumed_by"][0] == {
        "kind": "anyone",
        "name": "anyone (*)",
        "external": True,
        "condition": "open",
    }
    assert [(f["rule_id"], f["line"]) for f in public["findings"]] == [("RL101", 51)]
    deploy = rows["aws_iam_role.deploy"]
    assert (deploy["max_session_duration"], deploy["access"]) == (None, "can escalate")
    assert [row["risk"] for row in document["roles"]] == sorted(
        (row["risk"] for row in document["roles"]), reverse=True
    )


def test_a_row_counts_the_findings_of_instances_using_a_profile_of_another_module(
    tmp_path: Path,
) -> None:
    """RL501 at instances of modules using the role's profile across module instances named
    no role, so the role's row had none of them (nor their risk)."""
    from tests.rules.test_imds import write_profiles_across_modules

    result = run_rolelint("roles", str(write_profiles_across_modules(tmp_path)), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    [row] = json.loads(result.stdout)["roles"]
    assert row["name"] == "aws_iam_role.app"
    assert sorted((f["rule_id"], f["message"].split(" exposes")[0]) for f in row["findings"]) == [
        ("RL501", "aws_instance module.app.aws_instance.this"),
        ("RL501", "aws_launch_template module.worker.aws_launch_template.this"),
    ]
    assert row["risk_terms"]["findings"] > 0


def test_csv_is_one_row_per_principal_with_a_header() -> None:
    table = list(csv.reader(io.StringIO(run_rolelint("roles", PROJECT, "-f", "csv").stdout)))
    assert table[0][:3] == ["risk", "kind", "name"]
    assert len(table) == 1 + 8
    assert {row[2] for row in table[1:]} >= {"legacy-ops", "alice", "aws_iam_role.ci"}


def test_filters_combine_and_sort_changes_the_order() -> None:
    def names(*args: str) -> list[str]:
        rows = json.loads(run_rolelint("roles", PROJECT, "-f", "json", *args).stdout)["roles"]
        return [row["name"] for row in rows]

    assert names("--filter", "admin") == ["AdminRole", "aws_iam_role.deploy"]
    assert names("--filter", "outside", "--sort", "name") == [
        "aws_iam_role.ci",
        "legacy-ops",
        "PublicReaderRole",
        "VendorAuditRole",
    ]
    assert names("--filter", "outside", "--filter", "admin") == []
    empty = run_rolelint("roles", PROJECT, "--filter", "outside", "--filter", "admin")
    assert (empty.returncode, empty.stdout) == (0, "No role matches.\n")


@pytest.mark.parametrize(
    ("sort", "order", "first"),
    [
        ("risk", "most dangerous first", "AdminRole"),
        ("name", "by name", "AdminRole"),
        ("file", "by file and line", "aws_iam_role.ci"),
        ("access", "most powerful access first", "AdminRole"),
        ("session", "longest session first", "aws_iam_role.deploy"),
    ],
)
def test_the_footer_says_the_order_the_rows_are_in(sort: str, order: str, first: str) -> None:
    """The footer said "most dangerous first" whatever --sort chose: under '--sort name'
    alice (risk 6) followed AdminRole (70) below a line that said otherwise."""
    lines = run_rolelint("roles", PROJECT, "--sort", sort).stdout.splitlines()
    assert lines[1].split()[2] == first
    assert lines[-1] == f"7 roles, 1 user or group, {order} (risk: see 'rolelint roles --help')."


def test_an_unknown_filter_is_a_usage_error_listing_the_choices() -> None:
    result = run_rolelint("roles", PROJECT, "--filter", "admn")
    assert result.returncode == 2
    assert "'admn' is not one of 'outside', 'admin'" in result.stderr


def test_a_broken_file_is_an_error_and_every_other_role_is_still_listed(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(
        (Path(__file__).resolve().parents[1] / PROJECT / "platform.yaml").read_text()
    )
    (tmp_path / "broken.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role: [unclosed\n'
    )
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    assert result.returncode == 2
    assert f"{tmp_path / 'broken.yaml'}:3:18: error: invalid YAML" in result.stderr
    document = json.loads(result.stdout)
    assert len(document["roles"]) == 4
    assert [error["file"] for error in document["errors"]] == [str(tmp_path / "broken.yaml")]


def test_notices_are_on_standard_error_and_in_the_json_beside_the_errors() -> None:
    """The JSON listed input errors but not notices: a plan's trust policy known only after
    apply was said on standard error alone.  It is now under "notices" too (the fields of
    "errors"); text, CSV and Markdown stay the table, the note on standard error."""
    plan = "fixtures/rules/RL101/bad_plan.json"
    message = "the trust policy of role aws_iam_role.vendor is not analyzed: known only after apply"
    # The plan also attaches an AWS managed policy rolelint ships no document of.
    unjudged = (
        "AWS managed policy AWSBillingReadOnlyAccess is not in rolelint's policy data: what it"
        " grants is not judged (1 role holds it)"
    )
    note = f"{plan}:27:22: note: {message}\n{plan}:52:27: note: {unjudged}\n"
    result = run_rolelint("roles", plan, "--isolated", "--no-cache", "-f", "json")
    assert (result.returncode, result.stderr) == (0, note)
    document = json.loads(result.stdout)
    assert list(document) == ["version", "roles", "errors", "notices"]
    assert document["errors"] == []
    assert document["notices"] == [
        {"file": plan, "line": 27, "column": 22, "message": message},
        {"file": plan, "line": 52, "column": 27, "message": unjudged},
    ]
    tables = {}
    for format_name in ("text", "csv", "markdown"):
        table = run_rolelint("roles", plan, "--isolated", "--no-cache", "-f", format_name)
        assert (table.returncode, table.stderr) == (0, note)
        assert "known only after apply" not in table.stdout
        tables[format_name] = table.stdout
    rows = list(csv.reader(io.StringIO(tables["csv"])))
    assert len(rows) == 1 + len(document["roles"])  # the header and one row per role, no more


def test_an_input_error_on_standard_error_cannot_read_as_a_workflow_command(
    tmp_path: Path,
) -> None:
    """A CI log (GitHub Actions) reads a line starting with "::" as a command: a file name
    must not start the line with it."""
    (tmp_path / "::error::x.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role: [unclosed\n'
    )
    result = run_rolelint("roles", ".", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("./::error::x.yaml:3:18: error: invalid YAML")


def test_output_file_and_no_roles(tmp_path: Path) -> None:
    target = tmp_path / "roles.md"
    result = run_rolelint("roles", PROJECT, "-f", "markdown", "-o", str(target))
    assert (result.returncode, result.stdout) == (0, "")
    assert target.read_text().startswith("| Risk | Kind | Name |")
    (tmp_path / "empty").mkdir()
    none = run_rolelint("roles", str(tmp_path / "empty"))
    assert (none.returncode, none.stdout) == (0, "No role found.\n")


@pytest.mark.parametrize(
    "command",
    [
        ("roles", PROJECT, "-f", "json"),
        ("graph", PROJECT, "-f", "json"),
        ("show", "VendorAuditRole", PROJECT, "-f", "json"),
    ],
    ids=["roles", "graph", "show"],
)
def test_output_dash_is_standard_output_as_for_check(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    project = str(Path(__file__).resolve().parents[1] / PROJECT)
    args = [project if arg == PROJECT else arg for arg in command]
    to_dash = run_rolelint(*args, "-o", "-", cwd=tmp_path)
    plain = run_rolelint(*args, cwd=tmp_path)
    assert (to_dash.returncode, to_dash.stderr) == (0, "")
    assert to_dash.stdout == plain.stdout and json.loads(to_dash.stdout)
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_a_spreadsheet_formula_in_a_name_is_quoted_as_text(tmp_path: Path) -> None:
    export = json.loads(
        (Path(__file__).resolve().parents[1] / PROJECT / "exports/account.json").read_text()
    )
    export["RoleDetailList"][0]["RoleName"] = "=1+1"
    export["RoleDetailList"][0]["Arn"] = "arn:aws:iam::111122223333:role/=1+1"
    (tmp_path / "account.json").write_text(json.dumps(export))
    table = list(csv.reader(io.StringIO(run_rolelint("roles", str(tmp_path), "-f", "csv").stdout)))
    assert "'=1+1" in [row[2] for row in table[1:]]


@pytest.mark.parametrize(
    ("name", "cell"), [("-2+3", "'-2+3"), ("@SUM(1)", "'@SUM(1)"), ("\tx", "'\tx"), ("-", "-")]
)
def test_every_spreadsheet_formula_start_is_quoted(name: str, cell: str) -> None:
    from rolelint.reporters.roles import _not_a_formula

    assert _not_a_formula(name) == cell


def test_the_documented_example_is_the_real_output() -> None:
    """docs/audit.md shows the table of fixtures/audit as the command prints it today."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text()
    table = run_rolelint("roles", PROJECT).stdout
    assert "```\n" + table + "```\n" in docs


def test_help_explains_the_columns_and_the_score() -> None:
    result = run_rolelint("roles", "--help")
    assert result.returncode == 0
    for words in ("ASSUMED BY", "anyone, open 40", "Adding a finding never lowers the score"):
        assert words in result.stdout


def test_help_names_every_access_level_and_its_points() -> None:
    """The 'unknown' level (an IAM answer holding none of the role's policies) was added
    without --help naming it or its points."""
    from rolelint.audit.access import Access
    from rolelint.audit.risk import ACCESS_POINTS

    text = " ".join(run_rolelint("roles", "--help").stdout.split())
    columns = text[text.index("ACCESS ") : text.index("SESSION ")]
    points = text[text.index("access admin") : text.index("reach 10")]
    for level in Access:
        assert level.value in columns, level
        if ACCESS_POINTS[level]:
            assert f"{level.value} {ACCESS_POINTS[level]}" in points, level


CHAINED_PAIR = """\
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: "*"}
"""


def test_roles_of_one_name_in_two_files_are_told_apart(tmp_path: Path) -> None:
    """Both rows said 'reaches DeployRole': which one, or itself, could not be told."""
    for env in ("dev", "prod"):
        (tmp_path / f"{env}.yaml").write_text(CHAINED_PAIR)
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    rows = {Path(r["file"]).stem: r for r in json.loads(result.stdout)["roles"]}
    assert rows["dev"]["reaches"] == [f"DeployRole ({tmp_path / 'prod.yaml'}:2)"]
    assert rows["prod"]["reaches"] == [f"DeployRole ({tmp_path / 'dev.yaml'}:2)"]


def test_a_wide_character_in_a_name_keeps_the_columns_aligned(tmp_path: Path) -> None:
    """An emoji takes two terminal columns but was counted as one: the rest of its row slid left
    of the header."""
    import unicodedata

    role = (
        "  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: [{{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}},"
        " Action: sts:AssumeRole}}]\n"
    )
    (tmp_path / "t.yaml").write_text(
        "Resources:\n" + role.format(name="Plain") + role.format(name="Ünïcødé😀Role")
    )
    lines = run_rolelint("roles", "t.yaml", cwd=tmp_path).stdout.splitlines()

    def column_of(line: str, text: str) -> int:
        prefix = line[: line.index(text)]
        return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in prefix)

    assert {column_of(line, "t.yaml:") for line in lines[1:3]} == {column_of(lines[0], "WHERE")}


def test_exported_roles_of_one_name_in_two_exports_are_told_apart(tmp_path: Path) -> None:
    """An export's labels carry their file, so two exports' 'app' never looked shared: each
    'admin' row said 'assumed by app', which app could not be told."""
    for env, account in (("a", "111122223333"), ("b", "444455556666")):
        app = f"arn:aws:iam::{account}:role/app"
        trust = {"Effect": "Allow", "Principal": {"AWS": app}, "Action": "sts:AssumeRole"}
        roles = [
            {
                "RoleName": "admin",
                "Arn": f"arn:aws:iam::{account}:role/admin",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            },
            {
                "RoleName": "app",
                "Arn": app,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
            },
        ]
        (tmp_path / env).mkdir()
        export = {"RoleDetailList": roles, "UserDetailList": [], "GroupDetailList": []}
        (tmp_path / env / "export.json").write_text(json.dumps(export, indent=2))
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    admins = [r for r in json.loads(result.stdout)["roles"] if r["name"] == "admin"]
    assumers = sorted(a["name"] for row in admins for a in row["assumed_by"])
    assert assumers == [
        f"app ({tmp_path / 'a' / 'export.json'}:20)",
        f"app ({tmp_path / 'b' / 'export.json'}:20)",
    ]


def test_a_cut_reaches_cell_still_says_admin(tmp_path: Path) -> None:
    """A reached role's name carries its file when another role shares it, so the REACHES
    cell was cut before " (admin)": that the reached role is admin-level was lost."""
    trust = "{Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: sts:AssumeRole}"
    template = (
        "Resources:\n"
        "  App:\n    Type: AWS::IAM::Role\n    Properties:\n"
        f"      AssumeRolePolicyDocument: {{Statement: [{trust}]}}\n"
        "      Policies:\n        - PolicyName: hop\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Admin.Arn}\n"
        "  Admin:\n    Type: AWS::IAM::Role\n    Properties:\n"
        f"      AssumeRolePolicyDocument: {{Statement: [{trust}]}}\n"
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/IAMFullAccess]\n"
    )
    for env in ("a-rather-long-environment-name", "b-rather-long-environment-name"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "template.yaml").write_text(template)
    lines = run_rolelint("roles", ".", cwd=tmp_path).stdout.splitlines()
    reaching = [line for line in lines if line.split()[1:2] == ["App"]]
    assert len(reaching) == 2
    assert all("… (admin)" in line or ") (admin)" in line for line in reaching)


def test_a_name_with_a_lone_surrogate_keeps_the_columns_aligned(tmp_path: Path) -> None:
    """A lone surrogate (a JSON escape, or a name that is not UTF-8) is printed escaped,
    "\\ud800", six columns: measured as one, it shifted every later column of its row."""
    (tmp_path / "sur.json").write_text(
        '{"Resources": {"R\\ud800x": {"Type": "AWS::IAM::Role", "Properties": '
        '{"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", '
        '"Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}}}'
    )
    result = run_rolelint("roles", "sur.json", cwd=tmp_path)
    header, row = result.stdout.splitlines()[:2]
    assert "R\\ud800x" in row
    assert row.index("sur.json:1") == header.index("WHERE")


_CALLER_AND_ADMIN = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !GetAtt Admin.Arn  # rolelint:ignore RL401 reviewed hop
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


@pytest.mark.parametrize(
    ("config", "accepted"),
    [("", ["RL401"]), ("ignore: [RL405]\n", ["RL401"]), ("select: [RL2]\n", [])],
)
def test_only_suppressed_findings_of_selected_rules_count_as_accepted(
    tmp_path: Path, config: str, accepted: list[str]
) -> None:
    """A rule the configuration turns off never ran for check: its findings counted as
    "+1 accepted" on the row (RL405 ignored; RL401 and RL405 with select: [RL2])."""
    (tmp_path / "a.yaml").write_text(_CALLER_AND_ADMIN)
    (tmp_path / ".rolelint.yaml").write_text(config)
    rows = json.loads(run_rolelint("roles", ".", "-f", "json", cwd=tmp_path).stdout)["roles"]
    caller = next(row for row in rows if row["name"] == "Caller")
    assert caller["suppressed_findings"] == len(accepted)
    check = json.loads(run_rolelint("check", ".", "-f", "json", cwd=tmp_path).stdout)
    suppressed = [f["rule_id"] for f in check["findings"] if f.get("suppressed")]
    assert suppressed == accepted


_OPEN_ROLE = """\
Resources:
  DemoRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: "*", Action: sts:AssumeRole}
"""


def _baselined_project(tmp_path: Path, configured: bool) -> list[str]:
    """A role whose one finding (RL101) is recorded in a baseline, named by the configuration
    or by --baseline: the options that name it."""
    (tmp_path / "role.yaml").write_text(_OPEN_ROLE)
    recorded = run_rolelint("check", "role.yaml", "--write-baseline", "base.json", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    if configured:
        (tmp_path / ".rolelint.yaml").write_text("baseline: base.json\n")
        return []
    return ["--baseline", "base.json"]


@pytest.mark.parametrize("configured", [True, False], ids=["configuration", "option"])
def test_a_baselined_finding_counts_as_accepted_as_check_reports_it(
    tmp_path: Path, configured: bool
) -> None:
    """docs/audit.md: a row counts what check reports with the same configuration.  The
    baseline was not applied: RL101 counted as active (risk 65, findings term 25)."""
    options = _baselined_project(tmp_path, configured)
    check = run_rolelint("check", "role.yaml", "-f", "json", *options, cwd=tmp_path)
    assert check.returncode == 0
    assert json.loads(check.stdout)["findings"][0]["suppressed"]["kind"] == "external"
    result = run_rolelint("roles", "role.yaml", "-f", "json", *options, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    (row,) = json.loads(result.stdout)["roles"]
    assert (row["findings"], row["suppressed_findings"]) == ([], 1)
    assert (row["risk"], row["risk_terms"]["findings"]) == (40, 0)
    table = run_rolelint("roles", "role.yaml", *options, cwd=tmp_path).stdout
    assert table.splitlines()[1].endswith("+1 accepted")


def test_the_inventory_is_not_written_over_the_baseline(tmp_path: Path) -> None:
    _baselined_project(tmp_path, configured=True)
    before = (tmp_path / "base.json").read_text()
    result = run_rolelint("roles", "role.yaml", "-o", "base.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "--output: base.json is the baseline file" in result.stderr
    assert (tmp_path / "base.json").read_text() == before


def test_a_trust_policy_without_its_role_is_said_to_be_left_out() -> None:
    """The bundled vendor trust policy was left out without a word: "No role matches." though
    no filter was given, while check reports RL102 on it."""
    vendor = "fixtures/examples/vendor-trust-policy.json"
    check = json.loads(run_rolelint("check", vendor, "--isolated", "-f", "json").stdout)
    assert [f["rule_id"] for f in check["findings"]] == ["RL102"]
    note = (
        f"{vendor}:1: note: a trust policy without its role: no role to draw or list here "
        "('rolelint check' judges it)\n"
    )
    result = run_rolelint("roles", vendor, "--isolated")
    assert (result.returncode, result.stdout, result.stderr) == (0, "No role found.\n", note)
    filtered = run_rolelint("roles", vendor, "--isolated", "--filter", "admin")
    assert filtered.stdout == "No role matches.\n"
    listed = run_rolelint("roles", "fixtures/examples", "--isolated")
    unjudged = (
        "fixtures/examples/public-bucket-reader-role.yaml:35:11: note: AWS managed policy"
        " ReadOnlyAccess is not in rolelint's policy data: what it grants is not judged (1 role"
        " holds it)\n"
    )
    assert (listed.returncode, listed.stderr) == (0, unjudged + note)


_SESSIONS = """\
Conditions:
  C: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Big:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 99999
  Cond:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !If [C, 99999, 7200]
  Word:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: an hour
  Long:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: "43200"
  Unset:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !If [C, 99999, !Ref "AWS::NoValue"]
"""


def test_a_session_aws_rejects_is_never_a_role_s_length(tmp_path: Path) -> None:
    """Hunt: SESSION took the largest of every value, so ``!If [C, 99999, 7200]`` read 99999s
    and sorted above real 12-hour roles, while RL304 and the graph take the longest value AWS
    accepts.  The one deployment that succeeds has 7200; a role whose every value AWS rejects
    (RL301) has no session at all, and says so."""
    (tmp_path / "t.yaml").write_text(_SESSIONS)
    result = run_rolelint("roles", "t.yaml", "--sort", "session", "-f", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    rows = [
        (row["name"], row["max_session_duration"], row["max_session_duration_invalid"])
        for row in json.loads(result.stdout)["roles"]
    ]
    assert rows == [
        ("Long", 43200, False),
        ("Cond", 7200, False),
        # Left out where C is false: AWS's default hour, the one deployment that succeeds.
        ("Unset", 3600, False),
        ("Big", None, True),
        ("Word", None, True),
    ]
    table = run_rolelint("roles", "t.yaml", "-f", "csv", cwd=tmp_path).stdout
    cells = {row["name"]: row["max_session"] for row in csv.DictReader(io.StringIO(table))}
    assert cells == {
        "Long": "12h",
        "Cond": "2h",
        "Unset": "1h",
        "Big": "invalid",
        "Word": "invalid",
    }


def test_a_role_whose_policies_are_not_in_its_answer_is_not_ranked_harmless(
    tmp_path: Path,
) -> None:
    """A list-roles answer holds no permission policy: its roles were ACCESS "none" (risk as a
    role nothing is granted to) and ranked below every role that may read a bucket.  They are
    "unknown", counted as a role whose actions rolelint does not know (5, as scoped)."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = {"RoleName": "deploy", "Arn": "arn:aws:iam::111122223333:role/deploy", "Path": "/"}
    (tmp_path / "list-roles.json").write_text(
        json.dumps({"Roles": [{**role, "AssumeRolePolicyDocument": trust}]})
    )
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  Reader:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {AWS: !Ref AWS::AccountId},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: read\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n            Statement:\n"
        "              - {Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}\n"
    )
    for sort in ("risk", "access"):
        result = run_rolelint("roles", str(tmp_path), "-f", "json", "--sort", sort)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)["roles"]
        assert [(row["name"], row["access"], row["risk"]) for row in rows] == [
            ("deploy", "unknown", 10),
            ("Reader", "read-only", 7),
        ], sort
        assert rows[0]["access_reason"].startswith("a list-roles answer holds none of the role's")
        assert rows[0]["unread_policies"] == 0
    table = run_rolelint("roles", str(tmp_path / "list-roles.json")).stdout.splitlines()
    cells = table[1].split()
    assert cells[:2] == ["10", "deploy"] and cells[3:7] == [
        "account",
        "111122223333",
        "(open)",
        "unknown",
    ]


def test_json_rows_count_the_aws_written_policies_the_level_leaves_out(tmp_path: Path) -> None:
    """A service-linked role's own policies are left out of its access level, and the text,
    CSV and Markdown cells say so (``+1 AWS-written policy, not judged``); the JSON row had no
    field for it, so beside a customer managed policy that sets the level nothing told a
    script that a policy was left out."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  Reads:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}\n"
        "  Slr:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      RoleName: AWSServiceRoleForFoo\n"
        "      Path: /aws-service-role/foo.amazonaws.com/\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: foo.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      ManagedPolicyArns: [!Ref Reads]\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n            Statement:\n"
        "              - {Effect: Allow, Action: 'iam:PassRole', Resource: '*'}\n"
    )
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["roles"]
    assert (row["access"], row["unread_policies"], row["aws_written_policies"]) == (
        "read-only",
        0,
        1,
    )
    [cells] = list(
        csv.DictReader(io.StringIO(run_rolelint("roles", str(tmp_path), "-f", "csv").stdout))
    )
    assert "read-only (+1 AWS-written policy, not judged)" in cells.values()


SAM_NAME_AND_ARN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Policies:
        - CloudWatchFullAccess
        - arn:aws:iam::aws:policy/CloudWatchFullAccess
"""


def test_a_sam_policies_name_and_its_arn_are_one_unread_policy(tmp_path: Path) -> None:
    """SAM finds a Policies name's ARN by the name: ``CloudWatchFullAccess`` (rolelint ships no
    text of it, nor knows its path) beside its ARN is one policy, which RL610 and the note
    counted once and the row "2 unread policies"."""
    (tmp_path / "t.yaml").write_text(SAM_NAME_AND_ARN)
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["roles"]
    assert (row["name"], row["unread_policies"]) == ("FnRole", 1)


_UNREASONED_SUPPRESSION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::IAM::Role
    Metadata:
      rolelint:
        ignore:
          - id: RL101
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


@pytest.mark.parametrize(
    "command",
    [("roles",), ("show", "Worker"), ("report", "--output", "{folder}/audit.html")],
    ids=["roles", "show", "report"],
)
def test_an_invalid_suppression_is_printed_but_an_audit_exits_0(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The audit commands are views, not gates: only a file that could not be read or parsed
    makes them exit 2 (docs/audit.md); ``check`` fails on the suppression."""
    template = tmp_path / "worker.yaml"
    template.write_text(_UNREASONED_SUPPRESSION)
    args = [part.format(folder=tmp_path) for part in command]
    audit = run_rolelint(*args, str(template))
    assert audit.returncode == 0, audit.stderr
    assert f"{template}:8:13: error: the suppression of RL101 needs a reason" in audit.stderr
    assert run_rolelint("check", str(template)).returncode == 2
    (tmp_path / "broken.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role: [unclosed\n'
    )
    assert run_rolelint(*args, str(template), str(tmp_path / "broken.yaml")).returncode == 2


def _role_with(name: str, statement: str) -> str:
    """A CloudFormation role of a Lambda function whose one inline policy holds ``statement``."""
    return (
        f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n            Statement:\n"
        f"              - {statement}\n"
    )


def test_json_rows_judge_an_s3_request_key_for_each_action_as_the_rules_do(
    tmp_path: Path,
) -> None:
    """Hunt: the access level asked whether a statement's conditions limit it without its
    actions, so any S3 request key was a limit: 's3:*' on every resource but one bucket under
    s3:TlsVersion was "scoped" though its S3 writes carry the key.  Asked with the actions, as
    RL203 asks: the S3 writes stand on every resource but the bucket; no IAM request carries
    the key, so 'iam:*' under it is neither "write on *" nor admin."""
    tls = "Condition: {NumericGreaterThanEquals: {'s3:TlsVersion': '1.2'}}"
    tagged = "Condition: {StringEquals: {'aws:ResourceTag/team': a}}"
    but_bucket = "NotResource: 'arn:aws:s3:::b'"
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        + _role_with("S3Writer", f"{{Effect: Allow, Action: 's3:*', {but_bucket}, {tls}}}")
        + _role_with("IamAll", f"{{Effect: Allow, Action: 'iam:*', Resource: '*', {tls}}}")
        + _role_with("IamButOne", f"{{Effect: Allow, Action: 'iam:*', {but_bucket}, {tls}}}")
        + _role_with("Tagged", f"{{Effect: Allow, Action: 's3:*', {but_bucket}, {tagged}}}")
    )
    result = run_rolelint("roles", str(tmp_path), "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)["roles"]}
    assert {name: row["access"] for name, row in rows.items()} == {
        "S3Writer": "write on *",
        "IamAll": "scoped",
        "IamButOne": "scoped",
        "Tagged": "scoped",
    }
    assert rows["S3Writer"]["access_reason"] == (
        "'s3:*' on every resource except 'arn:aws:s3:::b' (NotResource) in inline policy 'p'"
        " of role S3Writer"
    )


@pytest.mark.parametrize(
    ("cell", "ending"),
    [
        ("GitHub Actions token.actions.githubusercontent.com (scoped)", "… (scoped)"),
        ("arn:aws:iam::222233334444:role/backup-service-reader (open)", "… (open)"),
        ("aws_iam_role.application_data_processing (admin)", "… (admin)"),
        ("scoped (+9 unread policies; +1 AWS-written policy, not judged)", "…"),
    ],
)
def test_a_cut_cell_keeps_its_closing_mark(cell: str, ending: str) -> None:
    """In a file or a pipe ASSUMED BY was cut to 'GitHub Actions token.actions.githubuser…':
    the grade, what an auditor reads the column for, was lost, as were the unread policies of
    an ACCESS cell.  A mark longer than the cut leaves room for is not kept."""
    from rolelint.reporters.roles import _shortened

    cut = _shortened(cell, 39, path=False)
    assert cut.endswith(ending)
    assert len(cut) <= 40


def test_an_access_cell_with_unread_policies_is_whole() -> None:
    from rolelint.reporters.roles import _COLUMNS

    widths = {name: width for name, width, _ in _COLUMNS}
    assert len("can escalate (+12 unread policies)") <= widths["ACCESS"]


def test_a_cut_list_of_parties_keeps_no_mark_of_its_last_party() -> None:
    """The mark kept after a cut list was its last party's: 'GitHub Actions token.actions.git…
    (open)' where GitHub is scoped and a hidden party is open."""
    from rolelint.reporters.roles import _shortened

    cell = (
        "GitHub Actions token.actions.githubusercontent.com (scoped); account 999988887777 (open)"
    )
    cut = _shortened(cell, 39, path=False)
    assert cut.endswith("…")
    assert "(open)" not in cut


def test_the_wide_columns_give_way_to_fit_a_terminal() -> None:
    """ACCESS and REACHES, widened to keep their marks, never gave way, and a column narrower
    than the narrowest width was widened to it: an account export's table took 141 columns
    on terminals of 130 and 140."""
    from rolelint.reporters.roles import _fit

    widths = {0: 4, 2: 32, 3: 40, 4: 40, 5: 36, 6: 12, 7: 32, 8: 16}
    _fit(widths, 130)
    assert sum(widths.values()) + 2 * (len(widths) - 1) <= 130
    narrow = {0: 4, 2: 32, 3: 9, 4: 40, 5: 36, 6: 12, 7: 32, 8: 16}
    _fit(narrow, 100)
    assert narrow[3] == 9


def test_holders_that_share_an_id_each_show_their_own_access_and_findings(
    tmp_path: Path,
) -> None:
    """prod and staging call one module that attaches AdministratorAccess only for prod; two
    templates define AppRole, prod's attaching ops-admin (iam:*), staging's read-config, from
    one shared file.  check reports one RL201 each; roles called both holders admin, 1C."""
    terraform = shared_ids.module_of_two_roots(tmp_path / "tf")
    templates = shared_ids.templates_of_two_stages(tmp_path / "cfn")
    roots = [str(terraform / "prod"), str(terraform / "staging")]
    for paths, admin, other in (
        (roots, f"role:{roots[0]}#{shared_ids.ADDRESS}", "none"),
        ([str(templates)], f"role:{templates / 'prod' / 'app.yaml'}#AppRole", "read-only"),
    ):
        document = json.loads(run_rolelint("roles", *paths, "-f", "json").stdout)
        found = {
            row["id"]: (row["access"], [f["rule_id"] for f in row["findings"]])
            for row in document["roles"]
        }
        assert found.pop(admin) == ("admin", ["RL201"])
        assert list(found.values()) == [(other, [])]
        header, *table = run_rolelint("roles", *paths).stdout.splitlines()
        access = slice(header.index("ACCESS"), header.index("SESSION"))
        assert [line[access].strip() for line in table[:2]] == ["admin", other]
        assert [line[header.index("FINDINGS") :].strip() for line in table[:2]] == ["1C", "-"]


def test_the_instances_of_a_module_two_roots_call_are_told_apart_by_their_root(
    tmp_path: Path,
) -> None:
    """Their rows had the same name, file and line in every format (only JSON's id differed):
    the root now follows the place, in a column of its own in CSV and JSON.  Roles whose file
    tells them apart (the same logical id in two templates) say no root."""
    shared_ids.module_of_two_roots(tmp_path / "tf")
    roots = ["tf/prod", "tf/staging"]  # short: a pipe gets WHERE cut to 40 columns

    def roles(*options: str) -> str:
        return run_rolelint("roles", *roots, *options, cwd=tmp_path).stdout

    table = roles().splitlines()[1:3]
    said = [f"tf/mod/main.tf:6 (root {root})" for root in roots]
    assert [said[0] in table[0], said[1] in table[1]] == [True, True]
    assert all(f"| `{where}` |" in roles("-f", "markdown") for where in said)
    rows = list(csv.DictReader(io.StringIO(roles("-f", "csv"))))
    assert [(row["file"], row["root"], row["access"]) for row in rows] == [
        ("tf/mod/main.tf", "tf/prod", "admin"),
        ("tf/mod/main.tf", "tf/staging", "none"),
    ]
    document = json.loads(roles("-f", "json"))
    assert [(row["root"], row["access"]) for row in document["roles"]] == [
        ("tf/prod", "admin"),
        ("tf/staging", "none"),
    ]
    templates = shared_ids.templates_of_two_stages(tmp_path / "cfn")
    document = json.loads(run_rolelint("roles", str(templates), "-f", "json").stdout)
    assert [row["root"] for row in document["roles"]] == [None, None]
    assert "(root " not in run_rolelint("roles", str(templates)).stdout


def test_each_instance_of_a_module_one_root_calls_twice_counts_their_merged_finding(
    tmp_path: Path,
) -> None:
    """module.a and module.b of one root both attach AdministratorAccess: check says it once,
    "(also as module.b...)", and roles counted it on module.a's row only (module.b: admin,
    FINDINGS '-', risk 42 to module.a's 67)."""
    app = str(shared_ids.module_called_twice(tmp_path))
    document = json.loads(run_rolelint("roles", app, "-f", "json").stdout)
    found = {
        row["name"]: (row["access"], row["risk"], [f["rule_id"] for f in row["findings"]])
        for row in document["roles"]
    }
    assert sorted(found) == list(shared_ids.TWICE)
    assert found[shared_ids.TWICE[0]] == found[shared_ids.TWICE[1]]
    assert found[shared_ids.TWICE[1]][::2] == ("admin", ["RL201"])
    header, *table = run_rolelint("roles", app).stdout.splitlines()
    risk, findings = slice(0, header.index("NAME")), slice(header.index("FINDINGS"), None)
    assert [(line[risk].strip(), line[findings].strip()) for line in table[:2]] == [
        (str(found[shared_ids.TWICE[0]][1]), "1C")
    ] * 2
