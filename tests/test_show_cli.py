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

from tests import shared_ids
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
    # Its findings are few: all listed, none left out.
    assert card["role"]["findings"] and card["role"]["findings_not_listed"] == 0
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


def test_http_tokens_a_condition_leaves_unset_show_as_imdsv1_in_some_deployments(
    tmp_path: Path,
) -> None:
    """The card said "HttpTokens not set" of ``!If [C, required, !Ref AWS::NoValue]``,
    which sets them in the deployments where C holds."""
    from tests.rules.test_imds import IMDS_BRANCHES

    (tmp_path / "t.yaml").write_text(IMDS_BRANCHES)
    lines = show("Role", str(tmp_path / "t.yaml")).splitlines()
    some = ": IMDSv1 allowed in some deployments (a condition leaves HttpTokens unset)"
    assert [line.split("  (")[0] for line in lines if some in line] == [
        f"    AWS::EC2::Instance {name}{some}" for name in ("Web", "Worker", "Batch")
    ]


def test_an_amazon_linux_2023_ami_and_a_node_group_show_as_rl501_judges_them(
    tmp_path: Path,
) -> None:
    """The card said "IMDSv1 allowed (HttpTokens not set: optional by default)" of an instance
    whose Amazon Linux 2023 AMI requires tokens, which RL501 no longer reports; and a role that
    only EKS node groups use (a node role needs no instance profile) had "no instance
    profile" and no line for its node groups."""
    from tests.rules.test_imds import AMI_DEFAULTS, NODE_GROUPS

    (tmp_path / "ami.yaml").write_text(AMI_DEFAULTS)
    lines = [line.split("  (")[0] for line in show("Role", str(tmp_path / "ami.yaml")).splitlines()]
    required = ": IMDSv2 required (HttpTokens not set: its AMI requires tokens by default)"
    assert f"    AWS::EC2::Instance ByParameter{required}" in lines
    assert f"    AWS::EKS::Nodegroup Nodes{required}" in lines
    assert (
        "    AWS::EC2::Instance Al2: IMDSv1 allowed (HttpTokens not set: optional by default)"
        in lines
    )
    (tmp_path / "nodes.yaml").write_text(NODE_GROUPS)
    card = show("NodeRole", str(tmp_path / "nodes.yaml")).splitlines()
    section = card[card.index("Instance profiles and IMDS") + 1 :]
    section = section[: next(i for i, line in enumerate(section) if not line.startswith("  "))]
    assert section[0] == "  no instance profile; EKS node groups run with it as their node role"
    assert any(
        line.startswith("    AWS::EKS::Nodegroup ")
        and "IMDSv1 allowed (HttpTokens optional)" in line
        for line in section
    ), section


def test_a_profile_of_another_module_instance_lists_its_instances(tmp_path: Path) -> None:
    """A role whose profiles modules create (given the role's name by their caller), or whose
    profile a module's launch template is given by name, said "no instance or launch template
    in the scanned files uses them"."""
    from tests.rules.test_imds import write_profiles_across_modules

    card = show("aws_iam_role.app", str(write_profiles_across_modules(tmp_path))).splitlines()
    section = card[card.index("Instance profiles and IMDS") + 1 :]
    section = section[: next(i for i, line in enumerate(section) if not line.startswith("  "))]
    assert [line.split("  (")[0] for line in section] == [
        "  instance profile(s): worker, app-profile",
        "    aws_instance module.app.aws_instance.this: IMDSv1 allowed (HttpTokens optional)",
        "    aws_launch_template module.worker.aws_launch_template.this: IMDSv1 allowed"
        " (HttpTokens not set: optional by default)",
    ]


def test_a_launch_template_naming_a_profile_by_its_arn_is_listed_on_the_card(
    tmp_path: Path,
) -> None:
    """The exported role's card said "no instance or launch template in the scanned files uses
    them" of a profile a template's launch template names by its exact ARN."""
    from tests.rules.test_imds import write_profile_by_arn

    template, account = write_profile_by_arn(tmp_path)
    card = show("app-ec2", str(template), str(account)).splitlines()
    section = card[card.index("Instance profiles and IMDS") + 1 :]
    section = section[: next(i for i, line in enumerate(section) if not line.startswith("  "))]
    assert [line.split("  (")[0] for line in section] == [
        "  instance profile(s): app-ec2",
        "    AWS::EC2::LaunchTemplate ByArn: IMDSv1 allowed (HttpTokens not set: optional by"
        " default)",
    ]


def test_a_generated_instance_profile_name_is_worded_on_the_card(tmp_path: Path) -> None:
    """Hunt tfmodern 2: the card listed a profile without ``name`` (or with ``name_prefix``)
    as rolelint's internal ``<generated:FOLDER#ADDRESS>`` stand-in, scan folder included."""
    from tests.rules.test_imds import GENERATED_PROFILES_TERRAFORM

    (tmp_path / "main.tf").write_text(GENERATED_PROFILES_TERRAFORM)
    card = show("aws_iam_role.node", str(tmp_path)).splitlines()
    assert (
        "  instance profile(s): <a name Terraform generates>, node-<a suffix Terraform generates>"
        in card
    )
    assert not [line for line in card if "<generated:" in line]


def test_an_instance_profile_named_by_a_variable_is_not_said_to_be_generated(
    tmp_path: Path,
) -> None:
    """A profile named ``var.profile_name`` (no default) was listed as "<a name Terraform
    generates>": whoever applies the module chooses that name."""
    from tests.rules.test_imds import CHOSEN_NAMES_TERRAFORM

    (tmp_path / "main.tf").write_text(CHOSEN_NAMES_TERRAFORM)
    card = show("aws_iam_role.app", str(tmp_path)).splitlines()
    assert "  instance profile(s): <unresolved name>" in card
    assert not [line for line in card if "generate" in line]


_PROFILES = """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Named:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: web-profile, Roles: [!Ref Role]}
  AtPath:
    Type: AWS::IAM::InstanceProfile
    Properties: {InstanceProfileName: batch-profile, Path: /app/, Roles: [!Ref Role]}
  Chosen:
    Type: AWS::IAM::InstanceProfile
    Properties:
      InstanceProfileName: !If [IsProd, prod-profile, dev-profile]
      Roles: [!Ref Role]
  Generated:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
  AlsoGenerated:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
"""


def _profiles_line(card: str) -> str:
    lines = card.splitlines()
    return lines[lines.index("Instance profiles and IMDS") + 1]


def test_instance_profiles_are_listed_by_the_names_iam_gives_them(tmp_path: Path) -> None:
    """The card listed a CloudFormation role's profiles by their logical ids (Named, AtPath
    ...), names no reviewer finds in IAM: it lists their InstanceProfileName (with the path
    when it is not "/", every name an Fn::If may give one), and says that CloudFormation
    generates the name of one without it (of each: two such profiles are two)."""
    (tmp_path / "t.yaml").write_text(_PROFILES)
    generated = "<a name CloudFormation generates>"
    assert _profiles_line(show("Role", str(tmp_path / "t.yaml"))) == (
        "  instance profile(s): web-profile, batch-profile (path /app/), prod-profile,"
        f" dev-profile, {generated}, {generated}"
    )


_TF_PROFILE_AT_PATH = """\
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_instance_profile" "deploy" {
  name = "admin-profile"
  path = "/app/"
  role = aws_iam_role.deploy.name
}
"""


def test_a_terraform_instance_profile_is_listed_with_its_path(tmp_path: Path) -> None:
    """A Terraform profile was listed by its ``name`` alone, whatever its ``path``."""
    (tmp_path / "main.tf").write_text(_TF_PROFILE_AT_PATH)
    card = show("aws_iam_role.deploy", str(tmp_path))
    assert _profiles_line(card) == "  instance profile(s): admin-profile (path /app/)"


def test_a_plan_s_instance_profile_is_listed_by_its_name() -> None:
    """A plan's profile was listed by its address (aws_iam_instance_profile.app)."""
    result = run_rolelint("show", "aws_iam_role.app", "fixtures/parsers/terraform-plan/plan.json")
    assert result.returncode == 0, result.stderr
    assert _profiles_line(result.stdout) == "  instance profile(s): app-profile"


def test_names_match_by_role_name_and_without_case() -> None:
    assert show("admin", PROJECT).startswith("AdminRole  (risk ")  # the RoleName
    assert show("ADMINROLE", PROJECT).startswith("AdminRole  (risk ")
    assert show("deploy", PROJECT).startswith("aws_iam_role.deploy  (risk ")


def test_a_terraform_address_without_its_key_names_every_instance(tmp_path: Path) -> None:
    """Terraform names every instance of a count or for_each resource by its address; here it
    named none ("no role named")."""
    trust = '{"Version":"2012-10-17","Statement":[]}'
    roles = ",".join(
        json.dumps(
            {
                "address": f'aws_iam_role.app["{key}"]',
                "mode": "managed",
                "type": "aws_iam_role",
                "name": "app",
                "index": key,
                "values": {"name": f"app-{key}", "assume_role_policy": trust},
            }
        )
        for key in ("api", "web")
    )
    plan = '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [%s]}}}'
    (tmp_path / "plan.json").write_text(plan % roles)
    output = show("aws_iam_role.app", str(tmp_path / "plan.json"))
    assert 'aws_iam_role.app["api"]  (risk ' in output
    assert 'aws_iam_role.app["web"]  (risk ' in output


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


def _role_with_statements(count: int, deny: bool = False) -> dict[str, object]:
    statements: list[dict[str, object]] = [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{n}/*"}
        for n in range(count)
    ]
    if deny:
        statements.append({"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"})
    trust = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
    }
    return {
        "Resources": {
            "Big": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust,
                    "Policies": [
                        {"PolicyName": "many", "PolicyDocument": {"Statement": statements}}
                    ],
                },
            }
        }
    }


def test_a_card_lists_a_hundred_statements_of_a_document_then_says_how_many_more(
    tmp_path: Path,
) -> None:
    """A generated 20,000-statement policy on 500 roles made a 73 MB HTML report."""
    (tmp_path / "big.json").write_text(json.dumps(_role_with_statements(250), indent=1))
    document = json.loads(show("Big", str(tmp_path), "--format", "json"))
    [card] = document["roles"]
    [policies] = [s for s in card["sections"] if s["title"] == "Permission policies"]
    lines = policies["lines"]
    assert len(lines) == 1 + 100 + 1  # the document, 100 statements, the rest in one line
    assert lines[-1]["text"] == "and 150 more statements"
    assert lines[-1]["line"] == lines[0]["line"]  # where the document is
    assert lines[100]["text"].endswith("arn:aws:s3:::b99/*")


def test_a_card_lists_a_hundred_deny_statements_then_says_how_many_more(tmp_path: Path) -> None:
    template = _role_with_statements(0)
    [policy] = template["Resources"]["Big"]["Properties"]["Policies"]  # type: ignore[index]
    policy["PolicyDocument"]["Statement"] = [
        {"Effect": "Deny", "Action": f"s3:Get{n}", "Resource": "*"} for n in range(130)
    ]
    (tmp_path / "big.json").write_text(json.dumps(template, indent=1))
    document = json.loads(show("Big", str(tmp_path), "--format", "json"))
    [card] = document["roles"]
    [limits] = [s for s in card["sections"] if s["title"] == "Boundary and Denies"]
    texts = [line["text"] for line in limits["lines"]]
    assert len(texts) == 1 + 100 + 1  # no boundary, 100 Denies, the rest in one line
    assert texts[-1] == "and 30 more Deny statements"
    assert "s3:Get99 " in texts[-2]


def test_effective_permissions_read_each_documents_denies_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each granted action is weighed against every Deny: finding the Denies by reading every
    statement for each made a card quadratic in the statements of its policies."""
    from rolelint.audit.card import _effective
    from rolelint.model import Statement
    from rolelint.parsers import parse_source

    text = json.dumps(_role_with_statements(400, deny=True))
    [role] = parse_source(str(tmp_path / "big.json"), text).inventory.roles
    reads = 0
    plain_is_deny = Statement.is_deny

    def counted(statement: Statement) -> bool:
        nonlocal reads
        reads += 1
        return plain_is_deny.fget(statement)  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(Statement, "is_deny", property(counted))
    lines = list(_effective(role))
    assert lines and reads < 2_000  # linear: 160,000 with a read per action granted


def test_a_suggested_role_name_never_sends_control_characters_to_the_terminal(
    tmp_path: Path,
) -> None:
    """'Did you mean' quoted the role's name as written: an escape sequence in a hostile
    template's RoleName reached the terminal (clearing it, setting its title)."""
    template = _role_with_statements(1)
    properties = template["Resources"]["Big"]["Properties"]  # type: ignore[index]
    properties["RoleName"] = "evil\x1b[2J\x1b]0;pwned\x07"
    (tmp_path / "t.json").write_text(json.dumps(template))
    result = run_rolelint("show", "evil", str(tmp_path))
    assert result.returncode == 2
    assert "Did you mean: evil\\x1b[2J\\x1b]0;pwned\\x07?" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_generated_role_cannot_make_its_card_huge(tmp_path: Path) -> None:
    """Every list of a card stops at a cap with "and N more": a statement of 206 actions on
    300 resources listed the resources again for each action it could not judge, and 300 such
    roles made a 386 MB HTML report.  The caps are above what a policy IAM accepts can hold."""
    accounts = [str(100000000000 + n) for n in range(350)]
    unknown = [f"s3:Nope{n}" for n in range(1_100)]
    buckets = [f"arn:aws:s3:::b{n}/*" for n in range(1_050)]
    policies = [
        {
            "PolicyName": "wide",
            "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": unknown, "Resource": buckets}]
            },
        }
    ] + [
        {
            "PolicyName": f"p{n}",
            "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": f"s3:Other{n}", "Resource": "*"}]
            },
        }
        for n in range(104)
    ]
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": accounts}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": "999999999999"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"sts:ExternalId": [f"x{n:08}" for n in range(1_200)]}
                },
            },
        ]
    }
    template = {
        "Resources": {
            "Huge": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": trust, "Policies": policies},
            }
        }
    }
    (tmp_path / "huge.json").write_text(json.dumps(template, indent=1))
    output = show("Huge", str(tmp_path), "--format", "json")
    # 25 MB before the caps.  The row the card opens with listed every active finding of the
    # role, as 'rolelint roles' does: 1,662 here (RL605 on each line of the 1,100 unknown
    # actions among them), 580 kB of a 1.5 MB card.  It lists the first 100, as the card's
    # Findings section does, and how many more there are.
    assert len(output) < 1_000_000
    [card] = json.loads(output)["roles"]
    row = card["role"]
    assert (len(row["findings"]), row["findings_not_listed"]) == (100, 1_562)
    # The inventory lists every one, and has no such field.
    inventory = run_rolelint("roles", str(tmp_path), "--format", "json").stdout
    [inventory_row] = json.loads(inventory)["roles"]
    assert len(inventory_row["findings"]) == 1_662 and "findings_not_listed" not in inventory_row
    assert row["findings"] == inventory_row["findings"][:100]
    assert {key: row[key] for key in inventory_row} == {
        **inventory_row,
        "findings": inventory_row["findings"][:100],
    }
    sections = {s["title"]: [line["text"] for line in s["lines"]] for s in card["sections"]}

    trust_lines = sections["Who can assume it"]
    principals = [t for t in trust_lines if t.startswith("AWS: ")]
    assert principals[0] == "AWS: 100000000000"
    assert len(principals) == 300 + 1  # and the second statement's one
    assert "and 50 more principals" in trust_lines
    [condition] = [t for t in trust_lines if t.startswith("StringEquals sts:ExternalId = ")]
    assert "x00000999 and 200 more (" in condition and "x00001000" not in condition
    assert trust_lines[-1] == "and 51 more callers"  # of 351, under "In short:"

    policy_lines = sections["Permission policies"]
    assert policy_lines[0] == "inline policy 'wide' of role Huge"
    assert "s3:Nope999 and 100 more on " in policy_lines[1]
    assert policy_lines[1].endswith("arn:aws:s3:::b999/* and 50 more")
    assert policy_lines[-1] == "and 5 more policies"
    assert policy_lines.count("inline policy 'p0' of role Huge") == 1

    effective = sections["Effective permissions"]
    head = effective.index("not in the action catalog, or unresolved (not judged):")
    unjudged = effective[head + 1 :]
    assert len(unjudged) == 100 + 1  # one line per statement, not one per action
    assert unjudged[0].startswith("s3:Nope0, s3:Nope1, ")
    assert "s3:Nope999 and 100 more on arn:aws:s3:::b0/*" in unjudged[0]
    assert unjudged[-1] == "and 5 more statements with such actions"

    chaining = sections["Chaining"]
    assert chaining[0] == "into it (351):"
    assert "and 251 more edges into it" in chaining

    # In the order of the file: the trust policy's own (no Version, too large), then one for
    # each account trusted without an ExternalId; RL605 for each line of the unknown actions.
    findings = sections["Findings"]
    assert len(findings) == 100 + 1
    assert [line.split()[1] for line in findings[:3]] == ["RL602", "RL609", "RL102"]
    assert sum(" RL102 " in line for line in findings) == 98
    assert findings[-1] == "and 1,562 more findings ('rolelint check' lists every one)"


def test_no_line_of_a_card_reads_as_a_workflow_command(tmp_path: Path) -> None:
    """A card printed in a CI log (GitHub Actions) must not let a value start a line with "::"
    or hold "##[": the runner would read the line as a workflow command."""
    (tmp_path / "card.yaml").write_text(
        "Resources:\n"
        "  MyRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: '##[error]x'\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: '::stop-commands::t'},"
        " Action: sts:AssumeRole}\n"
    )
    lines = run_rolelint("show", "MyRole", str(tmp_path / "card.yaml")).stdout.splitlines()
    assert "    RoleName: #\\x23[error]x  (" + str(tmp_path / "card.yaml") + ":5)" in lines
    assert "    \\x3a:stop-commands::t (open)" in lines
    assert not [line for line in lines if line.lstrip().startswith("::") or "##[" in line]


def test_the_generated_name_of_a_role_whose_id_holds_a_bracket_is_said_whole(
    tmp_path: Path,
) -> None:
    """The ARN of a role without RoleName ends with the parser's "<generated:FILE#ID>": a ">"
    in the logical id ended the placeholder early and left its tail in the card."""
    (tmp_path / "gt.yaml").write_text(
        "Resources:\n"
        "  'Odd>Role':\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
    )
    card = run_rolelint("show", "Odd>Role", "gt.yaml", cwd=tmp_path).stdout.splitlines()
    assert (
        "    ARN: arn:aws:iam::${AWS::AccountId}:role/<a name CloudFormation generates>"
        "  (gt.yaml:2)"
    ) in card


def test_the_generated_name_of_a_terraform_role_is_terraforms(tmp_path: Path) -> None:
    """Every card said a generated role name was "a name CloudFormation generates", for
    Terraform roles too; and where the plan keeps a ``name_prefix`` the name does not stand
    alone: Terraform adds a unique suffix to ``ci-``."""
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "x"}}
            ],
        }
    )
    (tmp_path / "main.tf").write_text(
        f'resource "aws_iam_role" "bare" {{\n  assume_role_policy = {json.dumps(trust)}\n}}\n'
    )
    resource = {
        "address": "aws_iam_role.ci",
        "mode": "managed",
        "type": "aws_iam_role",
        "name": "ci",
        "values": {"name_prefix": "ci-", "assume_role_policy": trust},
    }
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [resource]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    arns = [
        line.strip().split("  (")[0]
        for name, path in (("aws_iam_role.bare", "main.tf"), ("aws_iam_role.ci", "plan.json"))
        for line in show(name, str(tmp_path / path)).splitlines()
        if line.strip().startswith("ARN: ")
    ]
    assert arns == [
        "ARN: arn:aws:iam::${AWS::AccountId}:role/<a name Terraform generates>",
        "ARN: arn:aws:iam::${AWS::AccountId}:role/ci-<a suffix Terraform generates>",
    ]


def test_a_name_whoever_deploys_chooses_is_not_said_to_be_generated(tmp_path: Path) -> None:
    """A RoleName (a Terraform ``name``) set from a parameter (variable) without a default is
    chosen by whoever deploys, not generated by CloudFormation (Terraform): the card said
    "<a name CloudFormation generates>" of it."""
    (tmp_path / "t.yaml").write_text(
        "Parameters:\n"
        "  AdminName: {Type: String}\n"
        "Resources:\n"
        "  AdminRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: !Ref AdminName\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
    )
    (tmp_path / "main.tf").write_text(
        'variable "n" {}\n'
        'resource "aws_iam_role" "admin" {\n'
        "  name = var.n\n"
        '  assume_role_policy = "{}"\n'
        "}\n"
    )
    lines = [
        line.strip().split("  (")[0]
        for name, path in (("AdminRole", "t.yaml"), ("aws_iam_role.admin", "main.tf"))
        for line in show(name, str(tmp_path / path)).splitlines()
        if line.strip().startswith(("ARN: ", "RoleName: "))
    ]
    assert lines == [
        "ARN: arn:aws:iam::${AWS::AccountId}:role/<unresolved name>",
        "RoleName: <unresolved: parameter AdminName has no default>",
        "ARN: arn:aws:iam::${AWS::AccountId}:role/<unresolved name>",
        "RoleName: <unresolved: variable n has no default>",
    ]


_DENY_ALL_BUT = """\
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: "*"}
              - Effect: Deny
                Action: sts:AssumeRole
                NotResource: !Sub arn:aws:iam::${AWS::AccountId}:role/deploy-only
"""


def test_a_deny_of_all_but_one_role_leaves_the_grant_on_that_role(tmp_path: Path) -> None:
    """Allow sts:AssumeRole on * under 'Deny ... NotResource: role/deploy-only' leaves the role
    able to assume deploy-only: the card said "nothing (no Allow in a policy rolelint can
    read)" and the role's access was none."""
    (tmp_path / "ci.yaml").write_text(_DENY_ALL_BUT)
    result = run_rolelint("show", "CiRole", ".", "--format", "json", cwd=tmp_path)
    [card] = json.loads(result.stdout)["roles"]
    lines = {s["title"]: s["lines"] for s in card["sections"]}
    effective = [(line["text"], line["line"]) for line in lines["Effective permissions"]]
    assert effective == [
        (
            "sts Write: 1 action(s) (AssumeRole) on"
            " arn:aws:iam::${AWS::AccountId}:role/deploy-only",
            12,
        ),
        (
            "note: the Deny at line 13 leaves sts:AssumeRole only on"
            " 'arn:aws:iam::${AWS::AccountId}:role/deploy-only'",
            None,
        ),
    ]
    assert ("Access: scoped", None) in [(line["text"], line["line"]) for line in lines["Role"]]


def test_a_card_names_the_callers_behind_a_crowd(tmp_path: Path) -> None:
    """75 roles allowed sts:AssumeRole on "*" and 75 roles trusting the account root make a
    crowd (rolelint.graph.crowds): a member's card said only "every role open to this
    account", and the row counts the callers, so nothing named them."""
    statement = "          - {Effect: Allow, Principal: %s, Action: sts:AssumeRole}\n"
    lines = ["Resources:\n"]
    for kind, principal, extra in (
        ("Caller", "{Service: ec2.amazonaws.com}", True),
        ("Target", "{AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}", False),
    ):
        for n in range(75):
            lines.append(
                f"  {kind}{n:02}:\n    Type: AWS::IAM::Role\n    Properties:\n"
                "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
                "        Statement:\n" + statement % principal
            )
            if extra:
                lines.append(
                    "      Policies:\n        - PolicyName: hop\n          PolicyDocument:\n"
                    "            Version: '2012-10-17'\n            Statement:\n"
                    "              - {Effect: Allow, Action: sts:AssumeRole, Resource: '*'}\n"
                )
    (tmp_path / "t.yaml").write_text("".join(lines))
    output = show("Target07", str(tmp_path / "t.yaml"))
    assert "every role open to this account: the trust policy of Target07" in output
    assert (
        "      its callers: Caller00, Caller01, Caller02, Caller03, Caller04, Caller05, "
        "Caller06, Caller07, Caller08, Caller09 and 65 more\n"
    ) in output


def test_a_github_trust_s_conditions_are_graded_as_rl103_judges_them(tmp_path: Path) -> None:
    """The pinned sub was marked 'does not say who'; an aud alone was 'does not say who' and
    then, in short, scoped.  The sub decides, as for RL103."""
    github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    aud = "token.actions.githubusercontent.com:aud: sts.amazonaws.com"
    sub = "token.actions.githubusercontent.com:sub: 'repo:my-org/app:ref:refs/heads/main'"
    template = "Resources:\n"
    for name, condition in {"Pinned": f"{aud}, {sub}", "AudOnly": aud}.items():
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: {github}}}\n"
            "            Action: sts:AssumeRoleWithWebIdentity\n"
            f"            Condition: {{StringEquals: {{{condition}}}}}\n"
        )
    path = tmp_path / "t.yaml"
    path.write_text(template)
    pinned, aud_only = show("Pinned", str(path)), show("AudOnly", str(path))
    said = " (does not say who: it does not name who may call)"
    assert (
        "    StringEquals token.actions.githubusercontent.com:sub ="
        " repo:my-org/app:ref:refs/heads/main"
        f" (limits who: it pins the subject of the provider's tokens)  ({path}:10)"
    ) in pinned.splitlines()
    assert (
        f"    StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com{said}"
        f"  ({path}:10)"
    ) in pinned.splitlines()
    github_actions = "    GitHub Actions token.actions.githubusercontent.com"
    assert f"{github_actions} (scoped), outside your accounts" in pinned.splitlines()
    assert f"{github_actions} (weak), outside your accounts" in aud_only.splitlines()


def test_an_oidc_pin_is_named_by_the_claim_it_tests(tmp_path: Path) -> None:
    """A generic issuer's aud condition "pins the subject"; it pins the audience.  A CircleCI
    issuer whose org is a placeholder (the corpus's ``<CIRCLECI_ORG_UUID>``) was generic, so its
    aud, the organization id the issuer already fixes, scoped the trust."""
    template = "Resources:\n"
    for name, host in {
        "Generic": "login.example.net",
        "Circle": "oidc.circleci.com/org/<CIRCLECI_ORG_UUID>",
    }.items():
        provider = f"arn:aws:iam::111122223333:oidc-provider/{host}"
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: '{provider}'}}\n"
            "            Action: sts:AssumeRoleWithWebIdentity\n"
            f"            Condition: {{StringEquals: {{'{host}:aud': deploy-client}}}}\n"
        )
    path = tmp_path / "t.yaml"
    path.write_text(template)
    generic, circle = show("Generic", str(path)), show("Circle", str(path))
    assert (
        "    StringEquals login.example.net:aud = deploy-client"
        f" (limits who: it pins the audience of the provider's tokens)  ({path}:10)"
    ) in generic.splitlines()
    assert "    OIDC provider login.example.net (scoped), outside your accounts" in generic
    assert "it pins" not in circle
    assert (
        "    CircleCI oidc.circleci.com/org/<CIRCLECI_ORG_UUID> (weak), outside your accounts"
    ) in circle.splitlines()


def test_a_github_trust_pinned_by_a_claim_rolelint_does_not_judge(tmp_path: Path) -> None:
    """repository_id was "does not say who" and the trust "(weak)", exposure 30 (outside,
    open), as with no condition; it limits whose tokens pass in a way rolelint cannot judge."""
    github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    template = (
        "Resources:\n  Deploy:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        f"          - Effect: Allow\n            Principal: {{Federated: {github}}}\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
        "            Condition: {StringEquals: {token.actions.githubusercontent.com:aud:"
        " sts.amazonaws.com, token.actions.githubusercontent.com:repository_id: '123456789'}}\n"
    )
    path = tmp_path / "t.yaml"
    path.write_text(template)
    lines = show("Deploy", str(path)).splitlines()
    assert (
        "    StringEquals token.actions.githubusercontent.com:repository_id = 123456789 (may"
        " limit who: a mandatory test of the 'repository_id' claim of the provider's tokens,"
        f" which rolelint does not judge)  ({path}:10)"
    ) in lines
    assert (
        "    GitHub Actions token.actions.githubusercontent.com (unknown), outside your accounts"
    ) in lines
    assert any("exposure 10 (outside, conditioned)" in line for line in lines)


def test_a_saml_trust_s_audience_is_graded_as_rl104_judges_it(tmp_path: Path) -> None:
    """The SAML:aud condition RL104 requires was "does not say who: it does not name who may
    call" and, in short, "SAML Okta (weak)", exposure 30 as with no condition; RL104 calls it
    the limit, as RL103 does a pinned subject."""
    okta = "arn:aws:iam::111122223333:saml-provider/Okta"
    template = "Resources:\n"
    for name, extra in {
        "Pinned": "            Condition: {StringEquals: {SAML:aud: https://signin.aws.amazon.com/saml}}\n",
        "Denied": (
            f"          - Effect: Deny\n            Principal: {{Federated: {okta}}}\n"
            "            Action: sts:AssumeRoleWithSAML\n"
            "            Condition: {StringNotEquals: {SAML:aud: https://signin.aws.amazon.com/saml}}\n"
        ),
    }.items():
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
            "        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: {okta}}}\n"
            f"            Action: sts:AssumeRoleWithSAML\n{extra}"
        )
    path = tmp_path / "t.yaml"
    path.write_text(template)
    pinned, denied = show("Pinned", str(path)).splitlines(), show("Denied", str(path)).splitlines()
    assert (
        "    StringEquals SAML:aud = https://signin.aws.amazon.com/saml (limits who: it pins the"
        f" audience of the provider's assertions, as RL104 requires)  ({path}:11)"
    ) in pinned
    assert (
        "    StringNotEquals SAML:aud = https://signin.aws.amazon.com/saml (limits who: the Deny"
        f" pins the audience of the provider's assertions, as RL104 requires)  ({path}:24)"
    ) in denied
    for lines in (pinned, denied):
        assert "    SAML Okta (scoped), outside your accounts" in lines
        assert (
            "    Risk 10 = exposure 10 (outside, conditioned) + access 0 + reach 0 + findings 0"
        ) in lines


def test_a_boundary_that_leaves_a_narrower_resource_is_said_once_and_rightly(
    tmp_path: Path,
) -> None:
    """Allow * on * under a boundary allowing * on one bucket's objects: the card showed the
    grant on the bucket, then noted that the boundary limits it to nothing (its effect on *)."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Boundary:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: '*', Resource: 'arn:aws:s3:::bkt/*'}\n"
        "  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      PermissionsBoundary: !Ref Boundary\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: '*', Resource: '*'}\n"
    )
    card = show("R", str(path))
    effective = card.split("Effective permissions\n")[1].split("\n\n")[0].splitlines()
    assert effective == [
        f"  every action of every service on arn:aws:s3:::bkt/*  ({path}:19)",
        "  note: permissions boundary Boundary of role R allows it only on 'arn:aws:s3:::bkt/*'",
    ]


def _effective_lines(card: str) -> list[str]:
    return card.split("Effective permissions\n")[1].split("\n\n")[0].splitlines()


def test_an_allow_whose_not_resource_a_condition_chooses_shows_each_branch(
    tmp_path: Path,
) -> None:
    """``NotResource: !If [Skip, "*", <ARN>]``: the card said "the only Allow grants nothing:
    NotResource "*"", where the deployments without Skip delete every object but the ARN's.
    The branch excluding every resource is still said to grant nothing, the other is listed."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Conditions:\n"
        '  Skip: !Equals [!Ref "AWS::Region", us-east-1]\n'
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: s3:DeleteObject\n"
        '                NotResource: !If [Skip, "*", "arn:aws:s3:::audit-logs/*"]\n'
    )
    effective = _effective_lines(show("R", str(path)))
    assert effective == [
        "  s3 Write: 1 action(s) (DeleteObject) on everything but arn:aws:s3:::audit-logs/*"
        f"  ({path}:12)",
    ]


def test_a_not_action_shows_what_the_boundary_leaves_of_it(tmp_path: Path) -> None:
    """Hunt: PowerUserAccess under a boundary allowing s3:GetObject and s3:PutObject on one
    bucket's objects showed "every action but iam:*, organizations:*, account:* on *", noted
    as limited "to nothing": IAM allows those two actions there, which the card now lists."""
    path = tmp_path / "account.json"
    boundary = "arn:aws:iam::181818181818:policy/dev-boundary"
    allowed = {
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::dev-sandbox/*",
    }
    document = {"Version": "2012-10-17", "Statement": [allowed]}
    version = {"VersionId": "v1", "IsDefaultVersion": True, "Document": document}
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}
    export = {
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "dev",
                "Arn": "arn:aws:iam::181818181818:role/dev",
                "AssumeRolePolicyDocument": {"Statement": [{**trust, "Action": "sts:AssumeRole"}]},
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "PowerUserAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess",
                    }
                ],
                "PermissionsBoundary": {"PermissionsBoundaryArn": boundary},
            }
        ],
        "Policies": [
            {"PolicyName": "dev-boundary", "Arn": boundary, "PolicyVersionList": [version]}
        ],
    }
    path.write_text(json.dumps(export, indent=2))
    effective = _effective_lines(show("dev", str(path)))
    at = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if "PolicyArn" in line)
    assert effective[:2] == [
        f"  s3 Write: 1 action(s) (PutObject) on arn:aws:s3:::dev-sandbox/*  ({path}:{at})",
        f"  s3 Read: 1 action(s) (GetObject) on arn:aws:s3:::dev-sandbox/*  ({path}:{at})",
    ]
    assert not any("every action" in line for line in effective)
    assert (
        "  note: permissions boundary dev-boundary of role account.json#dev allows it only on"
        " 'arn:aws:s3:::dev-sandbox/*'"
    ) in [line.replace(f"{tmp_path}/", "") for line in effective]


def test_a_deny_of_everything_leaves_nothing_of_a_not_action_or_not_resource(
    tmp_path: Path,
) -> None:
    """Hunt: "Allow NotAction iam:* on *" and "Allow s3:DeleteObject on all but keep/*" beside
    "Deny * on *" showed both grants, noting that the Deny "covers fewer resources" (the grant
    on every resource but a few was judged on no resource at all)."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, NotAction: 'iam:*', Resource: '*'}\n"
        "              - {Effect: Allow, Action: s3:DeleteObject,"
        " NotResource: 'arn:aws:s3:::keep/*'}\n"
        "              - {Effect: Deny, Action: '*', Resource: '*'}\n"
    )
    effective = _effective_lines(show("R", str(path)))
    # (It said "nothing (no Allow in a policy rolelint can read)" of these two Allows.)
    assert effective == [
        "  note: the Deny at line 14 removes *",
        "  nothing: the Denies leave nothing of what the Allows grant",
    ]
    # Without the Deny, both are shown as granted.
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")
    effective = _effective_lines(show("R", str(path)))
    assert effective == [
        f"  every action of every service except iam:* on *  ({path}:12)",
        "  s3 Write: 1 action(s) (DeleteObject) on everything but arn:aws:s3:::keep/*"
        f"  ({path}:13)",
    ]


NOTHING_GRANTED = (
    "Resources:\n"
    "  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
    "      AssumeRolePolicyDocument:\n        Statement:\n"
    "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
    " Action: sts:AssumeRole}\n"
    "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
    "            Statement:\n"
)


@pytest.mark.parametrize(
    ("allow", "why"),
    [
        ("{Effect: Allow, Action: 's3:*', NotResource: '*'}", 'NotResource "*"'),
        (
            "{Effect: Allow, Action: 's3:*', NotResource: ['arn:aws:s3:::b/*', 'arn:aws:*:*:*:*']}",
            'NotResource "arn:aws:*:*:*:*"',
        ),
        ("{Effect: Allow, NotAction: [], Resource: '*'}", "NotAction []"),
        ("{Effect: Allow, NotAction: '*', Resource: '*'}", 'NotAction "*"'),
        ("{Effect: Allow, Action: 's3:*', Resource: null}", "Resource null"),
    ],
)
def test_an_allow_granting_nothing_is_not_listed_and_the_card_says_why(
    tmp_path: Path, allow: str, why: str
) -> None:
    """Hunt: an Allow with NotResource "*" (every resource but all of them: none) was listed
    among the effective permissions ("s3 Write: 96 action(s) ... on everything but *"), and
    where the only Allow granted nothing the card said "no Allow".  It is not listed, and the
    card says which element makes it grant nothing."""
    path = tmp_path / "t.yaml"
    path.write_text(f"{NOTHING_GRANTED}              - {allow}\n")
    assert _effective_lines(show("R", str(path))) == [
        f"  nothing: the only Allow grants nothing: {why}  ({path}:12)"
    ]
    # Beside an Allow that grants something, it is not listed either.
    read = "{Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}"
    path.write_text(f"{NOTHING_GRANTED}              - {allow}\n              - {read}\n")
    assert _effective_lines(show("R", str(path))) == [
        f"  s3 Read: 1 action(s) (GetObject) on arn:aws:s3:::b/*  ({path}:13)"
    ]


def test_a_boundary_that_leaves_nothing_is_said_in_the_singular(tmp_path: Path) -> None:
    """Regression hunt: the card said "the permissions boundary leave nothing"."""
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n"
        "  Bnd:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n"
        "  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      PermissionsBoundary: !Ref Bnd\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        "              - {Effect: Allow, Action: s3:GetObject, Resource: '*'}\n"
    )
    effective = _effective_lines(show("R", str(path)))
    assert effective[-1] == (
        "  nothing: the permissions boundary leaves nothing of what the Allows grant"
    )


def test_every_allow_granting_nothing_is_named_with_why(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        f"{NOTHING_GRANTED}"
        "              - {Effect: Allow, Action: 's3:*', NotResource: '*'}\n"
        "              - {Effect: Allow, Action: s3:GetObject}\n"
    )
    assert _effective_lines(show("R", str(path))) == [
        "  nothing: no Allow grants anything",
        f'    Allow s3:* on everything but * grants nothing: NotResource "*"  ({path}:12)',
        "    Allow s3:GetObject on <no Resource> grants nothing: no Resource or NotResource"
        f"  ({path}:13)",
    ]


@pytest.mark.parametrize("listed", ["'*'", "[s3:*, '*:*']"])
def test_a_not_action_of_every_action_is_no_effective_permission(
    tmp_path: Path, listed: str
) -> None:
    """Hunt: "Allow NotAction '*' on *" showed "every action of every service except * on *"
    among the effective permissions: every action but all of them is none, and nothing of it
    is listed, beside what another Allow grants or alone."""
    path = tmp_path / "t.yaml"
    head = (
        "Resources:\n"
        "  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        f"              - {{Effect: Allow, NotAction: {listed}, Resource: '*'}}\n"
    )
    read = "{Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}"
    path.write_text(f"{head}              - {read}\n")
    assert _effective_lines(show("R", str(path))) == [
        f"  s3 Read: 1 action(s) (GetObject) on arn:aws:s3:::b/*  ({path}:13)"
    ]
    path.write_text(head)
    effective = _effective_lines(show("R", str(path)))
    assert not any("every action" in line for line in effective)


def test_a_deny_s_condition_is_graded_as_the_test_it_refuses_callers_by(tmp_path: Path) -> None:
    """A Deny refuses whoever meets its condition: 'StringNotEquals aws:PrincipalOrgID' refuses
    every caller outside the organization, and 'StringNotLike <host>:sub' every token of
    another repository.  The card graded them as an Allow's ("weak: StringNotEquals excludes
    the values listed", "does not say who") under "In short: ... (scoped)"."""
    github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    host = "token.actions.githubusercontent.com"
    trusts = {
        "Org": (
            "{Effect: Allow, Principal: '*', Action: sts:AssumeRole}",
            "{Effect: Deny, Principal: '*', Action: sts:AssumeRole,"
            " Condition: {StringNotEquals: {aws:PrincipalOrgID: o-abc123def4}}}",
        ),
        "Github": (
            f"{{Effect: Allow, Principal: {{Federated: '{github}'}},"
            " Action: sts:AssumeRoleWithWebIdentity,"
            f" Condition: {{StringEquals: {{{host}:aud: sts.amazonaws.com}}}}}}",
            "{Effect: Deny, Principal: '*', Action: sts:AssumeRoleWithWebIdentity,"
            f" Condition: {{StringNotLike: {{{host}:sub: 'repo:acme/app:*'}}}}}}",
        ),
        "Pattern": (
            "{Effect: Allow, Principal: '*', Action: sts:AssumeRole}",
            "{Effect: Deny, Principal: '*', Action: sts:AssumeRole,"
            " Condition: {StringNotLike: {aws:PrincipalOrgID: 'o-*'}}}",
        ),
        "Tls": (
            "{Effect: Allow, Principal: '*', Action: sts:AssumeRole}",
            "{Effect: Deny, Principal: '*', Action: sts:AssumeRole,"
            " Condition: {Bool: {aws:SecureTransport: 'false'}}}",
        ),
    }
    template = "Resources:\n"
    for name, (allow, deny) in trusts.items():
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n        Statement:\n"
            f"          - {allow}\n          - {deny}\n"
        )
    path = tmp_path / "t.yaml"
    path.write_text(template)

    def line(name: str) -> str:
        index = list(trusts).index(name)
        return f"  ({path}:{8 + 7 * index})"

    assert (
        "    StringNotEquals aws:PrincipalOrgID = o-abc123def4 (limits who: the Deny refuses"
        f" every caller that StringEquals would not admit){line('Org')}"
    ) in show("Org", str(path)).splitlines()
    assert (
        f"    StringNotLike {host}:sub = repo:acme/app:* (limits who: the Deny pins the"
        f" subject of the provider's tokens){line('Github')}"
    ) in show("Github", str(path)).splitlines()
    # A Deny whose test admits any organization is weak for that, not for its operator.
    assert (
        "    StringNotLike aws:PrincipalOrgID = o-* (weak: 'o-*' matches more than one account"
        f" or organization){line('Pattern')}"
    ) in show("Pattern", str(path)).splitlines()
    # A Deny that is no such mirror refuses the callers that meet it, nothing more.
    assert (
        "    Bool aws:SecureTransport = false (the Deny refuses only the callers that meet it)"
        f"{line('Tls')}"
    ) in show("Tls", str(path)).splitlines()


def test_a_condition_whose_value_the_deployer_decides_is_unresolved_on_the_card(
    tmp_path: Path,
) -> None:
    """An ExternalId in a parameter without default: 'check' stays silent (the value passed
    may be the agreed secret), so the card cannot call it weak.  It said "(weak: its value is
    unresolved ...)" and, in short, "account 999988887777 (weak)"."""
    path = tmp_path / "vendor.yaml"
    path.write_text(
        "Parameters:\n  ExternalIdParam: {Type: String, NoEcho: true}\n"
        "Resources:\n  VendorRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: 'arn:aws:iam::999988887777:root'}\n"
        "            Action: sts:AssumeRole\n"
        "            Condition: {StringEquals: {sts:ExternalId: !Ref ExternalIdParam}}\n"
        '        Version: "2012-10-17"\n'
    )
    lines = show("VendorRole", str(path)).splitlines()
    assert (
        "    StringEquals sts:ExternalId = <unresolved: parameter ExternalIdParam has no default>"
        " (unresolved: its value is unresolved: parameter ExternalIdParam has no default;"
        f" nothing constrains it, so whoever deploys decides it)  ({path}:12)"
    ) in lines
    assert "    account 999988887777 (unknown), outside your accounts" in lines
    assert (
        "    Risk 10 = exposure 10 (outside, conditioned) + access 0 + reach 0 + findings 0"
        in lines
    )
    assert (
        "    account 999988887777: the trust policy admits account 999988887777 under a condition"
        f" rolelint cannot resolve, which may limit who  ({path}:10)"
    ) in lines


def test_an_oidc_subject_whose_value_the_deployer_decides_is_unresolved_on_the_card(
    tmp_path: Path,
) -> None:
    """GitHub's sub from a parameter without a default was "(limits who: it pins the subject of
    the provider's tokens)" and, in short, "(scoped)"; in a Deny refusing every other subject,
    "(limits who: the Deny pins the subject ...)".  rolelint cannot tell what it pins: the card
    says so, as it says of an ExternalId from such a parameter."""
    host = "token.actions.githubusercontent.com"
    provider = f'!Sub "arn:aws:iam::${{AWS::AccountId}}:oidc-provider/{host}"'
    path = tmp_path / "ci.yaml"
    path.write_text(
        "Parameters:\n  SubjectPattern: {Type: String}\nResources:\n"
        "  CiRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{Federated: {provider}}}\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
        "            Condition:\n"
        f"              StringEquals: {{{host}:aud: sts.amazonaws.com}}\n"
        f"              StringLike: {{{host}:sub: !Ref SubjectPattern}}\n"
        "  DenyRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{Federated: {provider}}}\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
        f"            Condition: {{StringEquals: {{{host}:aud: sts.amazonaws.com}}}}\n"
        "          - Effect: Deny\n"
        "            Principal: '*'\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
        f"            Condition: {{StringNotLike: {{{host}:sub: !Ref SubjectPattern}}}}\n"
    )
    unresolved = (
        "= <unresolved: parameter SubjectPattern has no default> (unresolved: its value is"
        " unresolved: parameter SubjectPattern has no default; nothing constrains it, so"
        " whoever deploys decides it, and may make it a pattern that admits anyone)"
    )
    in_short = f"    GitHub Actions {host} (unknown), outside your accounts"
    lines = show("CiRole", str(path)).splitlines()
    assert f"    StringLike {host}:sub {unresolved}  ({path}:15)" in lines
    assert in_short in lines
    assert (
        f"    GitHub Actions {host}: the trust policy admits GitHub Actions {host} under a"
        f" condition rolelint cannot resolve, which may limit who  ({path}:11)"
    ) in lines
    lines = show("DenyRole", str(path)).splitlines()
    assert f"    StringNotLike {host}:sub {unresolved}  ({path}:28)" in lines
    assert in_short in lines


def test_a_saml_audience_whose_value_the_deployer_decides_is_unresolved_on_the_card(
    tmp_path: Path,
) -> None:
    """SAML:aud from a parameter without a default was "(limits who: it pins the audience of
    the provider's assertions, as RL104 requires)", and "(limits who: the Deny pins ...)" in
    a Deny refusing every other audience; in short "(scoped)"."""
    provider = "arn:aws:iam::111122223333:saml-provider/Okta"
    path = tmp_path / "saml.yaml"
    path.write_text(
        "Parameters:\n  Audience: {Type: String}\nResources:\n"
        "  Unresolved:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{Federated: '{provider}'}}\n"
        "            Action: sts:AssumeRoleWithSAML\n"
        "            Condition: {StringEquals: {SAML:aud: !Ref Audience}}\n"
        "  Denied:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{Federated: '{provider}'}}\n"
        "            Action: sts:AssumeRoleWithSAML\n"
        "          - Effect: Deny\n"
        "            Principal: '*'\n"
        "            Action: sts:AssumeRoleWithSAML\n"
        "            Condition: {StringNotEquals: {SAML:aud: !Ref Audience}}\n"
    )
    unresolved = (
        "SAML:aud = <unresolved: parameter Audience has no default> (unresolved: its value is"
        " unresolved: parameter Audience has no default; nothing constrains it, so whoever"
        " deploys decides it)"
    )
    lines = show("Unresolved", str(path)).splitlines()
    assert f"    StringEquals {unresolved}  ({path}:13)" in lines
    assert "    SAML Okta (unknown), outside your accounts" in lines
    lines = show("Denied", str(path)).splitlines()
    assert f"    StringNotEquals {unresolved}  ({path}:26)" in lines
    assert "    SAML Okta (unknown), outside your accounts" in lines


_UNRESOLVED_CONDITIONS = """\
variable "issuer" {
  type = string
}
variable "test" {
  type = string
}
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${var.issuer}"]
    }
    condition {
      test     = "StringLike"
      variable = "${var.issuer}:sub"
      values   = ["system:serviceaccount:*:*"]
    }
    condition {
      test     = "StringLike"
      variable = "${var.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = var.test
      variable = "aws:PrincipalTag/team"
      values   = ["a"]
    }
  }
}
resource "aws_iam_role" "irsa" {
  name               = "irsa"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"""


def test_a_condition_key_rolelint_cannot_resolve_is_named_readably_on_the_card(
    tmp_path: Path,
) -> None:
    """An unresolved Terraform condition key (or operator) was shown with the internal mark
    that keeps two of them apart: ``StringLike <unresolved condition key> Span(line=12,
    column=5, ...)``, in the text card, its JSON and the HTML report.  The card names the
    stand-in; the line's position says where.  Both keys are still listed, apart."""
    (tmp_path / "main.tf").write_text(_UNRESOLVED_CONDITIONS)
    why = "(unresolved: its key or operator cannot be resolved)"
    text = show("aws_iam_role.irsa", str(tmp_path), "--no-cache")
    path = tmp_path / "main.tf"
    lines = text.splitlines()
    assert (
        f"    StringLike <unresolved condition key> = system:serviceaccount:*:* {why}  ({path}:16)"
    ) in lines
    assert (
        f"    StringLike <unresolved condition key> = sts.amazonaws.com {why}  ({path}:21)"
    ) in lines
    assert (
        f"    <unresolved condition operator> aws:PrincipalTag/team = a {why}  ({path}:26)"
    ) in lines
    card = show("aws_iam_role.irsa", str(tmp_path), "--no-cache", "--format", "json")
    assert "Span(" not in text + card
    assert "StringLike <unresolved condition key> = sts.amazonaws.com" in card


_UNREAD_INLINE = """\
variable "policy_json" {
  type = string
}
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "app" {
  role   = aws_iam_role.app.id
  policy = var.policy_json
}
"""


def test_an_inline_policy_whose_text_is_unresolved_is_listed_as_unread(tmp_path: Path) -> None:
    """The card said "Permission policies: none" and "Access: none" for a role whose inline
    policy is a variable without a default: it names the policy, why it cannot be read, and
    where, and the access is a lower bound."""
    (tmp_path / "main.tf").write_text(_UNREAD_INLINE)
    result = run_rolelint("show", "aws_iam_role.app", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "    Access: none (+1 unread policy)" in lines
    policies = lines[lines.index("Permission policies") + 1]
    assert policies == (
        "  inline policy aws_iam_role_policy.app: not readable here (its text is unresolved:"
        f" variable policy_json has no default)  ({tmp_path / 'main.tf'}:15)"
    )


def test_a_managed_policy_whose_text_is_unresolved_is_named_with_why(tmp_path: Path) -> None:
    """A Terraform ``aws_iam_policy`` whose text is a variable was listed as "managed policy
    arn:aws:iam::${AWS::AccountId}:policy/<generated...>: its text is not in the scanned
    files", although it is; a CloudFormation ManagedPolicy so written was not listed at all
    ("none").  Both now name the policy and why its text cannot be read, once each."""
    (tmp_path / "main.tf").write_text(
        _UNREAD_INLINE.replace("aws_iam_role_policy", "aws_iam_policy").replace(
            "  role   = aws_iam_role.app.id\n", ""
        )
        + 'resource "aws_iam_role_policy_attachment" "app" {\n'
        "  role       = aws_iam_role.app.name\n"
        "  policy_arn = aws_iam_policy.app.arn\n"
        "}\n"
    )
    result = run_rolelint("show", "aws_iam_role.app", str(tmp_path))
    assert result.returncode == 0 and "note: the policy aws_iam_policy.app" in result.stderr
    lines = result.stdout.splitlines()
    assert "    Access: none (+1 unread policy)" in lines
    assert lines[lines.index("Permission policies") + 1] == (
        "  policy aws_iam_policy.app: not readable here (its text is unresolved: variable"
        f" policy_json has no default)  ({tmp_path / 'main.tf'}:14)"
    )
    (tmp_path / "main.tf").unlink()
    (tmp_path / "t.yaml").write_text(
        "Parameters:\n  Doc: {Type: String}\n"
        "Resources:\n"
        "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      ManagedPolicyArns: [!Ref Managed]\n"
        "  Managed:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      Roles: [!Ref Role]\n      PolicyDocument: !Ref Doc\n"
    )
    result = run_rolelint("show", "Role", str(tmp_path / "t.yaml"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "    Access: none (+1 unread policy)" in lines
    start = lines.index("Permission policies") + 1
    assert lines[start : lines.index("Effective permissions") - 1] == [
        "  AWS::IAM::ManagedPolicy Managed: not readable here (its text is unresolved:"
        f" parameter Doc has no default)  ({tmp_path / 't.yaml'}:16)"
    ]


_SHARED_UNDER_A_BOUNDARY = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Bounded, !Ref Free]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument: &trust
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Free:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
"""


def test_a_card_does_not_call_a_role_admin_for_a_shared_policy_its_boundary_caps(
    tmp_path: Path,
) -> None:
    """Hunt: the card of Bounded said 'Access: admin / RL201 full-admin-access' (the finding on
    the policy it shares with Free named both) above its own effective permissions,
    s3:GetObject alone."""
    (tmp_path / "a.yaml").write_text(_SHARED_UNDER_A_BOUNDARY)
    result = run_rolelint("show", "Bounded", ".", "--format", "json", cwd=tmp_path)
    [card] = json.loads(result.stdout)["roles"]
    lines = {s["title"]: [line["text"] for line in s["lines"]] for s in card["sections"]}
    assert "Access: read-only" in lines["Role"]
    assert not any("RL201" in text for section in lines.values() for text in section)
    free = show("Free", str(tmp_path / "a.yaml"))
    assert "    Access: admin\n" in free and "RL201 full-admin-access" in free


def test_a_baselined_finding_is_marked_accepted_on_the_card(tmp_path: Path) -> None:
    """The card listed a finding the configuration's baseline records as an active one."""
    (tmp_path / "role.yaml").write_text(
        "Resources:\n  DemoRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        '          - {Effect: Allow, Principal: "*", Action: sts:AssumeRole}\n'
    )
    run_rolelint("check", "role.yaml", "--write-baseline", "base.json", cwd=tmp_path)
    (tmp_path / ".rolelint.yaml").write_text("baseline: base.json\n")
    result = run_rolelint("show", "DemoRole", "role.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "DemoRole  (risk 40, none)" in result.stdout
    assert "RL101 trust-policy-allows-anyone" in result.stdout
    assert "[accepted: in the baseline base.json]" in result.stdout


def test_a_path_rolelint_cannot_resolve_is_said_in_the_arn(tmp_path: Path) -> None:
    """A Path rolelint cannot resolve was taken as "/": the card showed ``role/admin`` right
    above ``Path: <unresolved: ...>``.  The ARN now says where the path is not known, and a
    generated name after it is still the whole name."""
    (tmp_path / "p.yaml").write_text(
        "Parameters:\n"
        "  TeamPath: {Type: String}\n"
        "Resources:\n"
        "  Named:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: admin\n"
        "      Path: !Ref TeamPath\n"
        "  Bare:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      Path: !Ref TeamPath\n"
    )
    arns = [
        line.strip()
        for name in ("Named", "Bare")
        for line in run_rolelint("show", name, "p.yaml", cwd=tmp_path).stdout.splitlines()
        if line.strip().startswith("ARN: ")
    ]
    assert arns == [
        "ARN: arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/admin  (p.yaml:4)",
        "ARN: arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        "<a name CloudFormation generates>  (p.yaml:9)",
    ]


def test_an_accepted_escalation_is_listed_under_privilege_escalation(tmp_path: Path) -> None:
    """Hunt: with RL206 suppressed, the card said "Access: can escalate" and, a few lines
    below, "no escalation method found".  Accepting the risk leaves the method in place: the
    section lists it, marked accepted."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  Esc:\n"
        "    Type: AWS::IAM::Role\n"
        "    Metadata:\n"
        "      rolelint:\n"
        "        ignore:\n"
        "          - {id: RL206, reason: reviewed in SEC-1}\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: iam:AttachRolePolicy\n"
        '                Resource: "*"\n'
    )
    result = run_rolelint("show", "Esc", "t.yaml", "--format", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    [card] = json.loads(result.stdout)["roles"]
    lines = {s["title"]: s["lines"] for s in card["sections"]}
    assert "Access: can escalate" in [line["text"] for line in lines["Role"]]
    escalation = [(line["text"], line["line"]) for line in lines["Privilege escalation"]]
    assert escalation == [("RL206 privilege-escalation [accepted]", 17)]
    text = show("Esc", str(tmp_path / "t.yaml"))
    assert "no escalation method found" not in text
    assert "[accepted: reviewed in SEC-1]" in text


def test_the_card_s_session_is_the_longest_aws_accepts(tmp_path: Path) -> None:
    """Hunt: the card said "Max session duration: 99999 s" of ``!If [C, 99999, 7200]``
    (only 7200 deploys) and of a plain 99999, which no deployment can have (RL301)."""
    from tests.test_roles_cli import _SESSIONS

    (tmp_path / "t.yaml").write_text(_SESSIONS)

    def session(role: str) -> str:
        lines = show(role, str(tmp_path / "t.yaml")).splitlines()
        [line] = [line.strip() for line in lines if "Max session duration" in line]
        return line.replace(str(tmp_path / "t.yaml"), "t.yaml")

    assert session("Cond") == "Max session duration: 7200 s  (t.yaml:11)"
    assert session("Big") == (
        "Max session duration: invalid (99999: AWS accepts 3600 to 43200 seconds, so the "
        "deployment fails)  (t.yaml:7)"
    )


_IAM_ROLE = {
    "Path": "/",
    "RoleName": "deploy",
    "Arn": "arn:aws:iam::111122223333:role/deploy",
    "MaxSessionDuration": 3600,
    "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    },
}


def _section(lines: list[str], title: str) -> list[str]:
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if lines[i] in SECTIONS), len(lines))
    return [line for line in lines[start:end] if line]


@pytest.mark.parametrize(
    ("answer", "wrapped"),
    [("get-role", {"Role": _IAM_ROLE}), ("list-roles", {"Roles": [_IAM_ROLE]})],
)
def test_a_role_of_an_iam_answer_without_its_policies_has_unknown_permissions(
    tmp_path: Path, answer: str, wrapped: dict[str, object]
) -> None:
    """A get-role or list-roles answer holds no permission policy of the role (IAM returns
    them through list-role-policies and list-attached-role-policies): the card said "Access:
    none", "Permission policies: none" and "Effective permissions: nothing", so an admin role
    looked harmless.  list-roles does not return PermissionsBoundary either, and the card said
    "no permissions boundary".  It still said "no escalation method found", and listed no hop
    out of it as if it had none."""
    path = tmp_path / f"{answer}.json"
    path.write_text(json.dumps(wrapped))
    lines = show("deploy", str(path)).splitlines()
    assert lines[0] == "deploy  (risk 10, unknown)"
    why = (
        f"a {answer} answer holds none of the role's permission policies"
        " (list-role-policies and list-attached-role-policies return them)"
    )
    summary = _section(lines, "Role")
    assert summary[summary.index("    Access: unknown") + 1] == f"      {why}"
    assert "Risk 10 = exposure 5 (own account) + access 5 + reach 0 + findings 0" in summary[-1]
    assert _section(lines, "Permission policies") == [f"  unknown: {why}"]
    assert _section(lines, "Effective permissions") == [f"  unknown: {why}"]
    limits = _section(lines, "Boundary and Denies")
    if answer == "get-role":  # get-role returns PermissionsBoundary when there is one
        assert limits == [
            "  no permissions boundary",
            "  Deny statements unknown (in the policies not in the input)",
        ]
    else:
        assert limits[0] == (
            "  permissions boundary <unresolved: a list-roles answer does not return"
            " PermissionsBoundary (get-role does)>: not readable here"
            " (it may limit what the policies grant)"
            f"  ({path}:1)"
        )
        assert limits[1:] == ["  Deny statements unknown (in the policies not in the input)"]
    # No escalation method, no hop out of it by its own permissions: neither is known.
    assert _section(lines, "Privilege escalation") == [f"  unknown: {why}"]
    assert _section(lines, "Chaining")[-2:] == [
        "  out of it (0):",
        f"    by its own permissions: unknown: {why}",
    ]


def test_a_service_linked_role_s_aws_written_permissions_are_not_judged_on_its_card(
    tmp_path: Path,
) -> None:
    """The rules do not judge a service-linked role's own permissions (AWS writes them and
    nobody can change them), but the access summary did: the card said "Access: can escalate"
    for iam:PassRole on * in AWS's policy, and "Privilege escalation: no escalation method
    found" below it, and the role outranked the account's own roles.  Both now leave them out
    alike, and the access says why."""
    slr_path = "/aws-service-role/elasticloadbalancing.amazonaws.com/"
    slr_name = "AWSServiceRoleForElasticLoadBalancing"
    policy_arn = "arn:aws:iam::aws:policy/aws-service-role/AWSElasticLoadBalancingServiceRolePolicy"

    def trust(service: str) -> dict[str, object]:
        return {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
            ],
        }

    export = {
        "RoleDetailList": [
            {
                "Path": slr_path,
                "RoleName": slr_name,
                "Arn": f"arn:aws:iam::111122223333:role{slr_path}{slr_name}",
                "AssumeRolePolicyDocument": trust("elasticloadbalancing.amazonaws.com"),
                "RolePolicyList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "AWSElasticLoadBalancingServiceRolePolicy",
                        "PolicyArn": policy_arn,
                    }
                ],
                "InstanceProfileList": [],
            },
            {
                "Path": "/",
                "RoleName": "app",
                "Arn": "arn:aws:iam::111122223333:role/app",
                "AssumeRolePolicyDocument": trust("ec2.amazonaws.com"),
                "RolePolicyList": [
                    {
                        "PolicyName": "s3",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:PutObject",
                                    "Resource": "arn:aws:s3:::bucket/*",
                                }
                            ],
                        },
                    }
                ],
                "AttachedManagedPolicies": [],
                "InstanceProfileList": [],
            },
        ],
        "Policies": [
            {
                "PolicyName": "AWSElasticLoadBalancingServiceRolePolicy",
                "Arn": policy_arn,
                "DefaultVersionId": "v9",
                "PolicyVersionList": [
                    {
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["ec2:DescribeAddresses", "iam:PassRole"],
                                    "Resource": "*",
                                }
                            ],
                        },
                        "VersionId": "v9",
                        "IsDefaultVersion": True,
                    }
                ],
            }
        ],
    }
    path = tmp_path / "slr.json"
    path.write_text(json.dumps(export, indent=2))
    assert run_rolelint("check", str(path)).returncode == 0  # the rules judge none of it
    lines = show(slr_name, str(path)).splitlines()
    access = "none (+1 AWS-written policy, not judged)"
    assert lines[0] == f"{slr_name}  (risk 2, {access})"
    summary = _section(lines, "Role")
    at = summary.index(f"    Access: {access}")
    assert summary[at + 1] == (
        "      AWS writes the permissions of a service-linked role and nobody can change them:"
        " the rules do not judge them, nor does the access level"
    )
    assert "Risk 2 = exposure 2 (service) + access 0 + reach 0 + findings 0" in summary[-1]
    assert _section(lines, "Privilege escalation") == ["  no escalation method found"]
    assert "can escalate" not in "\n".join(lines)
    rows = json.loads(run_rolelint("roles", str(path), "-f", "json").stdout)["roles"]
    assert [(row["name"], row["access"], row["risk"]) for row in rows] == [
        ("app", "scoped", 7),
        (slr_name, "none", 2),
    ]


def test_the_card_lists_an_escalation_on_the_role_itself(tmp_path: Path) -> None:
    """Hunt (realistic3, defect 1): a role allowed iam:PutRolePolicy on its own ARN showed
    "Access: scoped" and "no escalation method found"."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n"
        "  SelfRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: self-editor\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n"
        "        - PolicyName: self\n"
        "          PolicyDocument:\n"
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: iam:PutRolePolicy\n"
        "                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/self-editor\n"
    )
    result = run_rolelint("show", "SelfRole", "t.yaml", "--format", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    [card] = json.loads(result.stdout)["roles"]
    lines = {s["title"]: s["lines"] for s in card["sections"]}
    assert "Access: can escalate" in [line["text"] for line in lines["Role"]]
    escalation = [(line["text"], line["line"]) for line in lines["Privilege escalation"]]
    assert escalation == [("RL206 privilege-escalation", 14)]


def test_an_unresolved_provider_is_shown_with_the_issuer_it_is_judged_as(tmp_path: Path) -> None:
    """``Federated: !ImportValue OidcProviderArn`` with a condition on GitHub's ``sub``: RL103
    judges it as a trust of GitHub's issuer, and the card said only "<unresolved: ...>" at the
    principal and in short, in text and JSON alike."""
    from tests.test_audit_rows import _UNRESOLVED_PROVIDER

    (tmp_path / "a.yaml").write_text(_UNRESOLVED_PROVIDER)
    judged = (
        "unresolved provider judged as GitHub Actions token.actions.githubusercontent.com by its"
        " condition keys"
    )
    reason = "<unresolved: Fn::ImportValue is not resolved statically>"
    card = show("Judged", str(tmp_path / "a.yaml"), "--no-cache").splitlines()
    who = card[card.index("Who can assume it") + 1 : card.index("Permission policies")]
    assert [line.split("  (")[0] for line in who] == [
        "  Allow sts:AssumeRoleWithWebIdentity",
        f"    Federated: {reason} ({judged})",
        "    StringLike token.actions.githubusercontent.com:sub = repo:acme/* (limits who)",
        "  In short:",
        f"    {judged}: {reason} (scoped)",
        "",
    ]
    assert who[1].endswith(f"  ({tmp_path / 'a.yaml'}:9)")
    shown = json.loads(show("Judged", str(tmp_path / "a.yaml"), "--no-cache", "--format", "json"))
    [assumer] = shown["roles"][0]["role"]["assumed_by"]
    assert assumer == {
        "kind": "unresolved",
        "name": f"{judged}: {reason}",
        "external": False,
        "condition": "scoped",
    }
    # Nothing is judged without an issuer's key: the reason alone, as before.
    card = show("NoIssuer", str(tmp_path / "a.yaml"), "--no-cache").splitlines()
    assert f"    Federated: {reason}" in [line.split("  (")[0] for line in card]


def test_a_holder_that_shares_its_id_shows_only_its_own_access_and_findings(
    tmp_path: Path,
) -> None:
    """staging's instance of a module prod calls too (only prod's attaches
    AdministratorAccess), and staging's AppRole of two templates (only prod's attaches
    ops-admin): each card said 'Access: admin', with prod's RL201, over 'Permission
    policies: none' or read-config alone."""
    terraform = shared_ids.module_of_two_roots(tmp_path / "tf")
    templates = shared_ids.templates_of_two_stages(tmp_path / "cfn")
    roots = [str(terraform / "prod"), str(terraform / "staging")]
    cases = (
        (roots, f"{roots[1]}#{shared_ids.ADDRESS}", f"{roots[0]}#{shared_ids.ADDRESS}", "none"),
        (
            [str(templates)],
            f"{templates / 'staging' / 'app.yaml'}#AppRole",
            f"{templates / 'prod' / 'app.yaml'}#AppRole",
            "read-only",
        ),
    )
    for paths, staging, prod, access in cases:
        card = show(staging, *paths)
        assert f"    Access: {access}\n" in card
        assert "RL201" not in card
        card = show(prod, *paths)
        assert "    Access: admin\n" in card
        assert "CRITICAL RL201 full-admin-access" in card
    # Both instances by their address: each card says which root's it is, and only the card of
    # an instance says a root.
    cards = show(shared_ids.ADDRESS, *roots).split(f"{shared_ids.ADDRESS}  (risk ")[1:]
    said = [
        f"    Root module: {root} (this role is the instance its call makes)\n" for root in roots
    ]
    assert [said[0] in cards[0], said[1] in cards[1]] == [True, True]
    assert "Root module:" not in show(cases[1][1], *cases[1][0])


def test_the_second_instance_of_a_module_one_root_calls_twice_shows_their_merged_finding(
    tmp_path: Path,
) -> None:
    """module.a and module.b of one root both attach AdministratorAccess, one finding for both
    ("also as module.b..."): module.b's card said 'Access: admin' and named no finding, and
    its risk left the finding out."""
    app = str(shared_ids.module_called_twice(tmp_path))
    first, second = (show(name, app) for name in shared_ids.TWICE)
    for card in (first, second):
        assert "    Access: admin\n" in card
        assert "CRITICAL RL201 full-admin-access" in card
    assert first.splitlines()[0].replace("module.a", "module.b") == second.splitlines()[0]


def test_a_chain_of_one_root_s_instance_of_a_module_is_on_its_card_with_the_root(
    tmp_path: Path,
) -> None:
    """prod and staging call one module whose role may assume any role named admin, which
    only prod defines, trusting prod's instance alone: prod's card lists the chaining findings,
    each saying it is prod's (they said no root), and staging's card none."""
    shared_ids.module_chaining_in_roots(tmp_path)
    roots = [str(tmp_path / "prod"), str(tmp_path / "staging")]
    prod, staging = (show(f"{root}#{shared_ids.ADDRESS}", *roots) for root in roots)
    findings = prod.split("\nFindings\n")[1].splitlines()
    chains = [line for line in findings if " RL401 " in line or " RL405 " in line]
    assert len(chains) == 2
    for line in chains:
        assert line.split("  (")[-2].endswith(f"(root {roots[0]})"), line
    assert staging.split("\nFindings\n")[1].splitlines() == ["  no finding"]


def test_a_chain_merged_for_a_module_one_root_calls_twice_is_on_both_cards(
    tmp_path: Path,
) -> None:
    """module.a and module.b of one root both reach admin: one RL401 for both ("also as
    module.b..."), which module.b's card did not list."""
    app = str(shared_ids.module_chaining_twice(tmp_path))
    for name in shared_ids.TWICE:
        card = show(name, app)
        assert "HIGH RL401 role-chain-to-more-privileged-role: Role module.a." in card


_PARTLY_KNOWN = """\
Parameters:
  BucketParam: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  R:
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
                Action: s3:DeleteObject
                Resource: !Sub "arn:aws:s3:::${BucketParam}/*"
              - Effect: Allow
                Action: s3:DeleteBucket
                Resource: !Sub "arn:aws:s3:::${BucketParam}"
              - Effect: Allow
                Action: s3:PutObject
                Resource: {"Fn::Join": ["", [{"Fn::GetAtt": [Bucket, Arn]}, "/*"]]}
              - {Effect: Allow, Action: s3:PutBucketTagging, Resource: !GetAtt Bucket.Arn}
"""

_PARTLY_KNOWN_TF = """\
variable "bucket" {}
resource "aws_iam_role" "r" {
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({Statement = [
    {Effect = "Allow", Action = "s3:DeleteObject", Resource = "arn:aws:s3:::${var.bucket}/*"},
    {Effect = "Allow", Action = "s3:DeleteBucket", Resource = "arn:aws:s3:::${var.bucket}"},
  ]})
}
"""


def test_a_resource_partly_known_is_shown_with_what_is_known_of_it(tmp_path: Path) -> None:
    """An object ARN and a bucket ARN whose bucket is not known (``!Sub
    "arn:aws:s3:::${BucketParam}/*"`` and ``!Sub "arn:aws:s3:::${BucketParam}"``; CDK's
    ``Fn::Join`` of ``Bucket.Arn`` and "/*"; a Terraform template) were both said
    "<unresolved: parameter BucketParam has no default>", and merged into one resource in the
    effective permissions: the card now says the known text around the unknown piece, as it
    says a role's ARN whose path is not known."""
    (tmp_path / "t.yaml").write_text(_PARTLY_KNOWN)
    (tmp_path / "main.tf").write_text(_PARTLY_KNOWN_TF)
    param = "<unresolved: parameter BucketParam has no default>"
    arn = "<unresolved: attribute Arn of resource Bucket>"
    variable = "<unresolved: variable bucket has no default>"
    cards = {}
    for role, path in (("R", "t.yaml"), ("aws_iam_role.r", "main.tf")):
        result = run_rolelint("show", role, path, "--format", "json", cwd=tmp_path)
        [card] = json.loads(result.stdout)["roles"]
        cards[path] = {s["title"]: [line["text"] for line in s["lines"]] for s in card["sections"]}
    assert cards["t.yaml"]["Permission policies"][1:] == [
        f"Allow s3:DeleteObject on arn:aws:s3:::{param}/*",
        f"Allow s3:DeleteBucket on arn:aws:s3:::{param}",
        f"Allow s3:PutObject on {arn}/*",
        f"Allow s3:PutBucketTagging on {arn}",
    ]
    assert cards["t.yaml"]["Effective permissions"] == [
        "s3 Write: 4 action(s) (DeleteBucket, DeleteObject, PutBucketTagging, PutObject) on "
        f"{arn}; {arn}/*; arn:aws:s3:::{param}; arn:aws:s3:::{param}/*",
        f"s3 Tagging: 1 action(s) (PutBucketTagging) on {arn}",
    ]
    assert cards["main.tf"]["Permission policies"][1:] == [
        f"Allow s3:DeleteObject on arn:aws:s3:::{variable}/*",
        f"Allow s3:DeleteBucket on arn:aws:s3:::{variable}",
    ]
    assert cards["main.tf"]["Effective permissions"] == [
        "s3 Write: 2 action(s) (DeleteBucket, DeleteObject) on "
        f"arn:aws:s3:::{variable}; arn:aws:s3:::{variable}/*",
    ]


def test_a_sam_policies_name_and_its_arn_are_one_policy_on_the_card(tmp_path: Path) -> None:
    """SAM finds a Policies name's ARN by the name: ``CloudWatchFullAccess`` (rolelint ships no
    text of it, nor knows its path) beside its ARN is one policy.  The card listed it twice,
    once with a path not known, and said "+2 unread policies"."""
    (tmp_path / "t.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: a.h\n      Policies:\n        - CloudWatchFullAccess\n"
        "        - arn:aws:iam::aws:policy/CloudWatchFullAccess\n"
    )
    result = run_rolelint("show", "FnRole", str(tmp_path))
    assert result.returncode == 0, result.stderr
    card = result.stdout
    listed = [line.strip() for line in card.splitlines() if "CloudWatchFullAccess" in line]
    assert listed == [
        "managed policy arn:aws:iam::aws:policy/CloudWatchFullAccess: not readable here (an AWS"
        " managed policy whose text rolelint does not ship: what it grants is not judged)"
        f"  ({tmp_path / 't.yaml'}:8)"
    ]
    assert "(+1 unread policy)" in card


def test_a_statement_that_never_applies_is_said_so_not_graded() -> None:
    """DeployRole trusts GitHub's provider under ``SAML:sub``, which no GitHub token carries:
    RL611 says the statement never applies and the exposure is nobody, but the card graded its
    conditions (the owner-wide ``sub`` "limits who", the audience "does not say who") as if it
    admitted someone.  It now says the statement never applies, why (RL611's words, at the
    condition), and lists the conditions ungraded."""
    fixture = "fixtures/rules/RL611/bad_federated.yaml"
    card = show("DeployRole", fixture)
    trust = card.split("Who can assume it\n")[1].split("\n\n")[0].splitlines()
    [rl611] = [line for line in card.splitlines() if "RL611 condition-never-met" in line]
    why = rl611.split("cannot be met: ", 1)[1].split(", so this statement never applies")[0]
    line = f"{fixture}:{_line_of(fixture, 'SAML:sub')}"
    assert f"    this statement never applies: {why}  ({line})" in trust
    assert f"    StringEquals SAML:sub = release-manager  ({line})" in trust
    assert not any("limits who" in t or "does not say who" in t for t in trust), trust
    assert "Risk 4 = exposure 0 (nobody)" in card


def _line_of(fixture: str, marker: str) -> int:
    """The line of the DeployRole resource's first line holding ``marker``."""
    lines = (REPO / fixture).read_text().splitlines()
    start = next(n for n, text in enumerate(lines) if text.strip() == "DeployRole:")
    return next(n for n, text in enumerate(lines[start:], start + 1) if marker in text)


_NAMING_NO_PRINCIPAL = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Five:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              {operator}:
                aws:PrincipalArn: "{value}"
"""


@pytest.mark.parametrize(
    ("operator", "value"),
    [("ArnLike", "arn:aws:iam::*"), ("StringEquals", "deploy-role")],
    ids=["arn-like-five-fields", "no-arn"],
)
def test_anyone_limited_by_a_principal_arn_test_naming_no_principal_is_nobody(
    tmp_path: Path, operator: str, value: str
) -> None:
    """``"*"`` under ``ArnLike aws:PrincipalArn "arn:aws:iam::*"`` (fewer than six fields: no
    ARN matches field by field) or ``StringEquals`` of a text that is no ARN: RL101 grades the
    test a limit and reports nothing, for it names no principal; yet the card said "anyone (*)
    (scoped), outside your accounts" (exposure 15) and the graph drew an edge from anyone.  It
    now admits no one: exposure nobody, no caller, and the card says why, as RL611 does."""
    (tmp_path / "t.yaml").write_text(_NAMING_NO_PRINCIPAL.format(operator=operator, value=value))
    card = show("Five", str(tmp_path))
    trust = card.split("Who can assume it\n")[1].split("\n\n")[0]
    assert "anyone (*)" not in card and "outside your accounts" not in card, trust
    assert "exposure 0 (nobody)" in card
    assert "this statement never applies: 'aws:PrincipalArn' holds the ARN of the caller" in trust
    assert f"'{value}' is no such ARN as {operator} reads it" in trust
    graph = json.loads(run_rolelint("graph", str(tmp_path), "--format", "json").stdout)
    assert graph["edges"] == []


_NAMING_NO_RESOURCE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Five:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              {operator}:
                {key}: "{value}"
{more}"""


@pytest.mark.parametrize(
    ("operator", "value"),
    [("ArnLike", "arn:aws:sns:us-east-1:444455556666"), ("StringEquals", "alerts-topic")],
    ids=["arn-like-five-fields", "no-arn"],
)
def test_anyone_limited_by_a_source_arn_test_naming_no_resource_is_nobody(
    tmp_path: Path, operator: str, value: str
) -> None:
    """``"*"`` under ``ArnLike aws:SourceArn "arn:aws:sns:us-east-1:444455556666"`` (five
    fields: ArnLike matches six, field by field) or ``StringEquals`` of a text that is no ARN:
    RL101 grades the test a limit and reports nothing, for it names no resource; yet the card
    said "anyone (*) (scoped), outside your accounts" (exposure 15), ``roles`` "anyone (*)
    (scoped)" and the graph drew an edge from anyone, as of an ``aws:PrincipalArn`` test naming
    no principal before.  It now admits no one there too, and the card says why, as RL611
    does (alone: no rule calls the statement open)."""
    text = _NAMING_NO_RESOURCE.format(key="aws:SourceArn", operator=operator, value=value, more="")
    (tmp_path / "t.yaml").write_text(text)
    card = show("Five", str(tmp_path))
    trust = card.split("Who can assume it\n")[1].split("\n\n")[0]
    assert "anyone (*)" not in card and "outside your accounts" not in card, trust
    assert "exposure 0 (nobody)" in card
    assert "this statement never applies: 'aws:SourceArn' holds the ARN of the resource" in trust
    assert f"'{value}' is no such ARN as {operator} reads it" in trust
    graph = json.loads(run_rolelint("graph", str(tmp_path), "--format", "json").stdout)
    assert graph["edges"] == []
    check = run_rolelint("check", str(tmp_path), "--format", "json")
    assert [f["rule_id"] for f in json.loads(check.stdout)["findings"]] == ["RL611"]


_ACCOUNT_BESIDE = (
    '              StringEquals:\n                aws:PrincipalAccount: "444455556666"\n'
)
_ORG_BESIDE = '              StringEquals:\n                aws:PrincipalOrgID: "o-a1b2c3d4e5"\n'


@pytest.mark.parametrize(
    ("key", "value", "beside"),
    [
        ("aws:SourceArn", "arn:aws:sns:us-east-1:444455556666", _ACCOUNT_BESIDE),
        ("aws:SourceArn", "arn:aws:sns:us-east-1:444455556666", _ORG_BESIDE),
        ("aws:PrincipalArn", "arn:aws:iam::*", _ORG_BESIDE),
    ],
    ids=["source-arn-account", "source-arn-declared-organization", "principal-arn-organization"],
)
def test_an_arn_test_naming_no_arn_admits_no_one_whatever_else_limits_it(
    tmp_path: Path, key: str, value: str, beside: str
) -> None:
    """Beside ``StringEquals aws:PrincipalAccount`` the account was the party of ``"*"`` under
    an ``aws:SourceArn`` test naming no resource (RL102 high, ``roles`` "account 444455556666
    (scoped)"); beside the organization declared with ``--org-id`` the organization was ("your
    organization ... (scoped)"), under an ``aws:PrincipalArn`` test naming no principal too,
    though an ARN test no request passes admits no one: nobody now, and no RL102 (RL611 says
    the statement never applies)."""
    text = _NAMING_NO_RESOURCE.format(key=key, operator="ArnLike", value=value, more=beside)
    (tmp_path / "t.yaml").write_text(text)
    org = ("--org-id", "o-a1b2c3d4e5")
    check = run_rolelint("check", str(tmp_path), "--format", "json", *org)
    assert [f["rule_id"] for f in json.loads(check.stdout)["findings"]] == ["RL611"]
    roles = json.loads(run_rolelint("roles", str(tmp_path), "--format", "json", *org).stdout)
    [row] = roles["roles"] if isinstance(roles, dict) else roles
    assert row["exposure"] == "nobody", row
    graph = json.loads(run_rolelint("graph", str(tmp_path), "--format", "json", *org).stdout)
    assert graph["edges"] == []


_WRITTEN_UNDER_NO_ARN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
  Five:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              {principal}
            Action: sts:AssumeRole
            Condition:
              ArnLike:
                {key}: "{value}"
"""


@pytest.mark.parametrize(
    ("principal", "key", "value"),
    [
        ('AWS: "444455556666"', "aws:PrincipalArn", "arn:aws:iam::*"),
        ('AWS: "444455556666"', "aws:SourceArn", "arn:aws:sns:us-east-1:444455556666"),
        ("Service: sns.amazonaws.com", "aws:SourceArn", "arn:aws:sns:us-east-1:444455556666"),
        ("Service: sns.amazonaws.com", "aws:PrincipalArn", "arn:aws:iam::*"),
        ("AWS: !GetAtt Caller.Arn", "aws:PrincipalArn", "arn:aws:iam::*"),
        ("AWS: arn:aws:iam::444455556666:role/ci", "aws:SourceArn", "arn:aws:sns:us-east-1:1"),
    ],
    ids=[
        "account-principal-arn",
        "account-source-arn",
        "service-source-arn",
        "service-principal-arn",
        "scanned-role",
        "role-arn-source-arn",
    ],
)
def test_a_written_principal_under_an_arn_test_naming_no_arn_admits_no_one(
    tmp_path: Path, principal: str, key: str, value: str
) -> None:
    """An account, a service or a role written as the principal, under an ARN test none of
    whose values is an ARN its key holds (``ArnLike aws:PrincipalArn "arn:aws:iam::*"``, an
    ``aws:SourceArn`` of five fields): ``roles`` said "account 444455556666 (scoped)" or
    "sns.amazonaws.com (scoped)", the graph drew its edge, the card's "In short" named it and
    RL102 reported the account, though the card's own verdict said the test admits no one, as
    of ``"*"``.  The statement admits no one now, whoever its principals: RL611 alone reports
    it, and the card says it never applies."""
    text = _WRITTEN_UNDER_NO_ARN.format(principal=principal, key=key, value=value)
    (tmp_path / "t.yaml").write_text(text)
    roles = json.loads(run_rolelint("roles", str(tmp_path), "--format", "json").stdout)
    rows = roles["roles"] if isinstance(roles, dict) else roles
    [row] = [row for row in rows if row["name"] == "Five"]
    assert row["exposure"] == "nobody", row
    graph = json.loads(run_rolelint("graph", str(tmp_path), "--format", "json").stdout)
    assert [e for e in graph["edges"] if e["target"].endswith("#Five")] == []
    card = show("Five", str(tmp_path))
    trust = card.split("Who can assume it\n")[1].split("\n\n")[0]
    assert "In short" not in trust, trust
    assert "this statement never applies: " in trust, trust
    check = json.loads(run_rolelint("check", str(tmp_path), "--format", "json").stdout)
    assert [f["rule_id"] for f in check["findings"] if f["resource"] == "Five"] == ["RL611"]
