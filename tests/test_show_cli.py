"""`rolelint show ROLE`: the role card, on fixtures/audit and the bundled examples, run as
users run it.  Each section says what the analysis found, each line where it comes from.

After an intended output change, regenerate the snapshots with ``ROLELINT_UPDATE_SNAPSHOTS=1
pytest tests/test_show_cli.py`` and review the diff of ``tests/snapshots/show/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import REPO, run_rolelint

PROJECT = "fixtures/audit"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "show"
SECTIONS = [
    "Role",
    "Who can assume it",
    "Permission policies",
    "Effective permissions",
    "Boundary and Denies",
    "Privilege escalation",
    "Chaining",
    "Instance profiles and IMDS",
    "Findings",
]


def show(*args: str) -> str:
    result = run_rolelint("show", *args)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("role", "snapshot"),
    [
        ("aws_iam_role.deploy", "deploy.txt"),
        ("VendorAuditRole", "vendor-audit.txt"),
        ("legacy-ops", "legacy-ops.txt"),
    ],
)
def test_cards_match_their_reviewed_snapshots(role: str, snapshot: str) -> None:
    actual = show(role, PROJECT)
    path = SNAPSHOTS / snapshot
    if os.environ.get("ROLELINT_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{snapshot} changed: review it"


def test_the_card_has_every_section_with_positions() -> None:
    document = json.loads(show("deploy", PROJECT, "--format", "json"))
    [card] = document["roles"]
    assert card["role"]["name"] == "aws_iam_role.deploy"
    assert [section["title"] for section in card["sections"]] == SECTIONS
    lines = {s["title"]: s["lines"] for s in card["sections"]}
    trust = [(line["text"], line["line"]) for line in lines["Who can assume it"]]
    assert ("AWS: arn:aws:iam::${AWS::AccountId}:role/ci", 50) in trust
    effective = [line["text"] for line in lines["Effective permissions"]]
    assert effective == [
        "iam Write: 1 action(s) (PassRole) on *",
        "lambda Write: 2 action(s) (CreateFunction, InvokeFunction) on *",
        "sts Write: 1 action(s) (AssumeRole) on arn:aws:iam::${AWS::AccountId}:role/admin",
    ]
    escalation = [(line["text"], line["line"]) for line in lines["Privilege escalation"]]
    assert escalation == [("RL206 privilege-escalation", 64)]
    chaining = [line["text"] for line in lines["Chaining"]]
    assert any(
        text.startswith("AdminRole: inline policy aws_iam_role_policy.deploy") for text in chaining
    )
    assert chaining[-1] == (
        "reaches 2 role(s) in all: AdminRole, PublicReaderRole; one of them is admin-level"
    )
    positioned = [line for section in card["sections"] for line in section["lines"] if line["file"]]
    assert all(line["file"] == "fixtures/audit/ci/main.tf" for line in positioned)


def test_conditions_are_graded_on_the_card() -> None:
    card = show("VendorAuditRole", PROJECT)
    assert (
        "    StringEquals sts:ExternalId = 7f3c9a52-1d4e-4b8f-9c61-2e5d8a0b4f17 (limits who)"
        "  (fixtures/audit/platform.yaml:33)"
    ) in card.splitlines()
    assert "    account 444455556666 (scoped), outside your accounts" in card.splitlines()


def test_boundary_limits_the_effective_permissions() -> None:
    card = show("Capped", "fixtures/parsers/boundaries/capped.yaml")
    effective = card.split("Effective permissions\n")[1].split("\n\n")[0].splitlines()
    assert (
        effective[0]
        == "  s3 Read: 1 action(s) (GetObject) on *  (fixtures/parsers/boundaries/capped.yaml:20)"
    )
    assert "    Allow s3:GetObject on *  (fixtures/parsers/boundaries/capped.yaml:8)" in card


def test_instance_profiles_show_the_imds_state() -> None:
    card = show("AppRole", "fixtures/examples/app-server.yaml")
    assert (
        "    AWS::EC2::Instance AppServer: IMDSv1 allowed (HttpTokens optional)"
        "  (fixtures/examples/app-server.yaml:45)"
    ) in card.splitlines()


def test_names_match_by_role_name_and_without_case() -> None:
    assert show("admin", PROJECT).startswith("AdminRole  (risk ")  # the RoleName
    assert show("ADMINROLE", PROJECT).startswith("AdminRole  (risk ")
    assert show("deploy", PROJECT).startswith("aws_iam_role.deploy  (risk ")


def test_no_match_lists_the_closest_names() -> None:
    result = run_rolelint("show", "deplo", PROJECT)
    assert result.returncode == 2
    assert (
        result.stderr
        == "error: no role named 'deplo'. Did you mean: deploy, aws_iam_role.deploy?\n"
    )
    nothing = run_rolelint("show", "zzzz", PROJECT)
    assert (nothing.returncode, nothing.stderr) == (2, "error: no role named 'zzzz'.\n")


def test_the_same_name_in_two_files_shows_both_cards(tmp_path: Path) -> None:
    template = (REPO / PROJECT / "platform.yaml").read_text()
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(template)
    output = show("FunctionRole", str(tmp_path))
    assert output.count("FunctionRole  (risk ") == 2
    assert f"({tmp_path / 'a.yaml'}:61)" in output and f"({tmp_path / 'b.yaml'}:61)" in output


def test_too_many_matches_ask_for_a_precise_name(tmp_path: Path) -> None:
    template = (REPO / PROJECT / "platform.yaml").read_text()
    for number in range(6):
        (tmp_path / f"t{number}.yaml").write_text(template)
    result = run_rolelint("show", "FunctionRole", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: 6 roles are named 'FunctionRole' (")
    precise = run_rolelint("show", "FunctionRole", str(tmp_path / "t3.yaml"))
    assert precise.returncode == 0
    by_file = run_rolelint("show", f"{tmp_path / 't4.yaml'}#FunctionRole", str(tmp_path))
    assert by_file.returncode == 0
    assert by_file.stdout.count("FunctionRole  (risk ") == 1
    assert f"({tmp_path / 't4.yaml'}:61)" in by_file.stdout
