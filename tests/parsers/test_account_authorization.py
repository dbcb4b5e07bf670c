"""``aws iam get-account-authorization-details`` exports become the model, with exact positions,
and are checked like any other input, alone or together with templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.engine import run_checks
from rolelint.findings import Report
from rolelint.model import (
    AccountContext,
    Identity,
    IdentityKind,
    Inventory,
    PolicyDocument,
    PolicyKind,
    PrincipalKind,
    Role,
)
from rolelint.parsers import parse_source
from rolelint.parsers.account_authorization import (
    AccountSnapshot,
    looks_like_account_authorization,
    read_account_authorization,
)
from rolelint.parsers.json_loader import load_json
from tests.conftest import FIXTURES, REPO, run_rolelint

EXPORTS = FIXTURES / "parsers" / "account-authorization"
ACCOUNT = EXPORTS / "account.json"
ACCOUNT_PATH = "fixtures/parsers/account-authorization/account.json"  # as the CLI names it
OWN_ACCOUNT = AccountContext(own_accounts=frozenset({"111122223333"}))


def parse(path: Path) -> Inventory:
    outcome = parse_source(str(path), path.read_text())
    assert outcome.format == "account-authorization"
    return outcome.inventory


def snapshot(path: Path, text: str | None = None) -> AccountSnapshot:
    return read_account_authorization(load_json(str(path), text or path.read_text()))


def role(inventory: Inventory, name: str) -> Role:
    [found] = [r for r in inventory.roles if r.id.endswith(f"#{name}")]
    return found


def identity(inventory: Inventory, name: str) -> Identity:
    [found] = [i for i in inventory.identities if i.id.endswith(f"#{name}")]
    return found


def policy(holder: Role | Identity, origin_start: str) -> PolicyDocument:
    [found] = [d for d in holder.policies if d.origin.startswith(origin_start)]
    return found


def at(ref: Any) -> tuple[int, int]:
    return ref.line, ref.column


# --- detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"RoleDetailList": []}',
        '{"UserDetailList": [], "Policies": []}',
        '{"GroupDetailList": [{"GroupName": "ops"}], "IsTruncated": false}',
    ],
)
def test_any_detail_list_marks_an_export(text: str) -> None:
    assert looks_like_account_authorization(load_json("x.json", text).root)
    assert parse_source("x.json", text).format == "account-authorization"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"Version": "2012-10-17", "Statement": [], "RoleDetailList": []}', "policy"),
        ('{"Policies": [], "Marker": "x"}', None),  # no detail list: another tool's file
        # Policies whose entries are not an export's, or beside a key no export has.
        ('{"Policies": [{"PolicyName": "p", "Arn": "a"}]}', None),
        ('{"Policies": [{"PolicyName": "p", "Arn": "a", "PolicyVersionList": []}], "x": 1}', None),
        ('{"RoleDetailList": "none", "UserDetailList": {}}', None),
        ('[{"RoleDetailList": []}]', None),
        ('{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {}}}', "get-role"),
        (
            '{"Resources": {"R": {"Type": "AWS::IAM::Role"}}, "RoleDetailList": []}',
            "cloudformation",
        ),
    ],
)
def test_other_files_are_never_taken_for_an_export(text: str, expected: str | None) -> None:
    assert parse_source("x.json", text).format == expected


POLICIES_ONLY = """{
 "Policies": [
  {
   "PolicyName": "wide",
   "Arn": "arn:aws:iam::111122223333:policy/wide",
   "DefaultVersionId": "v1",
   "PolicyVersionList": [
    {
     "Document": {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
     },
     "VersionId": "v1",
     "IsDefaultVersion": true
    }
   ]
  }
 ]
}
"""


def test_an_export_of_policies_alone_is_an_export(tmp_path: Path) -> None:
    """``--filter LocalManagedPolicy`` exports only ``Policies`` (AWS includes only the entity
    types asked for): such a file was skipped as "not a CloudFormation template or IAM policy",
    while the same policies beside empty detail lists gave RL201."""
    path = tmp_path / "policies.json"
    path.write_text(POLICIES_ONLY)
    report = lint_paths([str(path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 11)]
    assert (report.files_skipped, report.files_analyzed) == (0, 1)
    assert parse_source(str(path), POLICIES_ONLY).format == "account-authorization"


# --- the model -----------------------------------------------------------------------------------


def test_roles_are_named_by_file_and_role_name() -> None:
    inventory = parse(ACCOUNT)
    prefix = f"{ACCOUNT}#"
    assert [r.id for r in inventory.roles] == [
        prefix + name for name in ("ci-deploy", "app-server", "ops-admin", "report-builder")
    ]
    # The role copies inside InstanceProfileList are the same roles, not read twice.
    ci = role(inventory, "ci-deploy")
    assert ci.arn.text == "arn:aws:iam::111122223333:role/ci/ci-deploy"
    assert ci.arn.ref.line == 100
    assert ci.name is not None and ci.name.text == "ci-deploy"
    assert ci.path is not None and ci.path.text == "/ci/"
    assert ci.ref.line == 98  # the RoleName line
    app_server = role(inventory, "app-server")
    assert app_server.instance_profiles == ("app-server-profile",)
    assert [v.text for v in app_server.instance_profile_arns] == [
        "arn:aws:iam::111122223333:instance-profile/app-server-profile"
    ]
    assert ci.instance_profiles == ()


def test_the_export_holds_no_session_duration_so_it_is_not_known(tmp_path: Path) -> None:
    """RoleDetail, what the export gives for a role, has no MaxSessionDuration: the length is
    not known, not AWS's one-hour default, and ``roles`` and ``show`` say why."""
    ci = role(parse(ACCOUNT), "ci-deploy")
    [value] = ci.max_session_duration
    assert value.text is None
    assert value.unresolved_reason is not None
    assert "account export does not hold MaxSessionDuration" in value.unresolved_reason
    listed = run_rolelint("roles", ACCOUNT_PATH, "--no-cache", "-f", "json")
    rows = {row["name"]: row for row in json.loads(listed.stdout)["roles"]}
    assert rows["ci-deploy"]["max_session_duration"] is None
    assert "account export does not hold" in rows["ci-deploy"]["max_session_duration_unresolved"]
    table = run_rolelint("roles", ACCOUNT_PATH, "--no-cache").stdout
    assert "(default)" not in table
    card = run_rolelint("show", "ci-deploy", ACCOUNT_PATH, "--no-cache").stdout
    assert "Max session duration: unresolved (an account export does not hold" in card
    assert "AWS's default" not in card
    # An export entry that does write one (another tool's merge of get-role) is read.
    entry = {
        "RoleName": "long",
        "Arn": "arn:aws:iam::111122223333:role/long",
        "MaxSessionDuration": 43200,
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"RoleDetailList": [entry]}), encoding="utf-8")
    [long] = parse(path).roles
    assert [v.text for v in long.max_session_duration] == ["43200"]


def test_trust_principals_keep_their_lines() -> None:
    ci = role(parse(ACCOUNT), "ci-deploy")
    assert ci.trust_policy is not None
    assert ci.trust_policy.kind is PolicyKind.TRUST
    [statement] = ci.trust_policy.statements
    [principal] = statement.principals
    assert (principal.kind, principal.value.text) == (PrincipalKind.AWS, "*")
    assert at(principal.value.ref) == (108, 36)
    assert statement.actions[0].ref.line == 110


def test_url_encoded_documents_are_decoded_and_point_at_their_string() -> None:
    inventory = parse(ACCOUNT)
    admin = role(inventory, "ops-admin")
    assert admin.trust_policy is not None
    [statement] = admin.trust_policy.statements
    [principal] = statement.principals
    assert principal.value.text == "arn:aws:iam::111122223333:root"
    [condition] = statement.conditions
    assert (condition.operator, condition.key) == ("Bool", "aws:MultiFactorAuthPresent")
    # Every value of the decoded document is at the string that holds it.
    string = (232, 41)
    assert at(admin.trust_policy.ref) == string
    assert at(principal.value.ref) == at(condition.ref) == at(statement.actions[0].ref) == string
    assert admin.trust_policy.version is not None
    assert admin.trust_policy.version.text == "2012-10-17"

    reports = role(inventory, "report-builder")
    inline = policy(reports, "inline policy 'query-reports'")
    assert [a.text for a in inline.statements[0].actions] == ["dynamodb:Query", "dynamodb:GetItem"]
    assert {at(a.ref) for a in inline.statements[0].actions} == {(255, 39)}


def test_only_the_default_version_of_a_managed_policy_counts() -> None:
    inventory = parse(ACCOUNT)
    ci = role(inventory, "ci-deploy")
    tools = policy(ci, "managed policy deploy-tools")
    assert tools.origin == "managed policy deploy-tools (default version v2)"
    assert tools.managed and not tools.aws_managed
    assert tools.resource == f"{ACCOUNT}#deploy-tools"
    actions = [a.text for s in tools.statements for a in s.actions]
    assert actions == [
        "cloudformation:CreateChangeSet",
        "cloudformation:DescribeStacks",
        "cloudformation:ExecuteChangeSet",
    ]
    assert tools.statements[0].actions[0].ref.line == 288
    # v1 ("*" on "*") and developer-tools v2 ("iam:*") are history: nothing holds them.
    everything = [
        *(d for r in inventory.roles for d in r.policies),
        *(d for i in inventory.identities for d in i.policies),
        *inventory.standalone_policies,
    ]
    lines = {a.ref.line for d in everything for s in d.statements for a in s.actions}
    assert 306 not in lines
    assert 372 not in lines

    developers = identity(inventory, "developers")
    dev_tools = policy(developers, "managed policy developer-tools")
    assert dev_tools.origin == "managed policy developer-tools (default version v3)"
    assert [a.text for a in dev_tools.statements[0].actions] == [
        "logs:FilterLogEvents",
        "logs:GetLogEvents",
    ]
    assert dev_tools.statements[0].ref.line == 366  # the URL-encoded Document string


def test_attached_policies_aws_managed_and_unknown_stay_references() -> None:
    inventory = parse(ACCOUNT)
    ci = role(inventory, "ci-deploy")
    # deploy-tools is in Policies: a document; cost-explorer-reader is not: a reference.
    assert [(m.arn.text, m.arn.ref.line) for m in ci.managed_policy_arns] == [
        ("arn:aws:iam::111122223333:policy/cost-explorer-reader", 141)
    ]
    admin = role(inventory, "ops-admin")
    assert [(m.arn.text, at(m.arn.ref)) for m in admin.managed_policy_arns] == [
        ("arn:aws:iam::aws:policy/AdministratorAccess", (238, 34))
    ]
    assert admin.policies == ()
    reports = role(inventory, "report-builder")
    assert [m.arn.text for m in reports.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    # The copy of AdministratorAccess in Policies is AWS's text: not read as the account's.
    assert all(
        not d.resource.endswith("#AdministratorAccess") for d in inventory.standalone_policies
    )


def test_permissions_boundary_is_an_arn_and_the_export_s_document() -> None:
    inventory = parse(ACCOUNT)
    app = role(inventory, "app-server")
    assert app.permissions_boundary is not None
    assert app.permissions_boundary.text == "arn:aws:iam::111122223333:policy/app-boundary"
    assert at(app.permissions_boundary.ref) == (221, 43)
    boundary = policy(app, "permissions boundary app-boundary")
    assert boundary.kind is PolicyKind.BOUNDARY
    assert boundary.origin == f"permissions boundary app-boundary of role {ACCOUNT}#app-server"
    assert boundary.statements[0].actions[0].ref.line == 336
    inline = policy(app, "inline policy 'read-config'")
    assert inline.kind is PolicyKind.PERMISSIONS
    # Used only as a boundary: it limits, it grants nothing, so it is not checked on its own.
    assert all("app-boundary" not in d.resource for d in inventory.standalone_policies)
    # An AWS managed boundary of a user is known by ARN only.
    bob = identity(inventory, "bob")
    assert bob.permissions_boundary is not None
    assert bob.permissions_boundary.text == "arn:aws:iam::aws:policy/PowerUserAccess"
    assert bob.permissions_boundary.ref.line == 46
    assert all(d.kind is PolicyKind.PERMISSIONS for d in bob.policies)


def test_users_groups_and_membership() -> None:
    inventory = parse(ACCOUNT)
    kinds = [(i.kind, i.id.rsplit("#", 1)[1]) for i in inventory.identities]
    assert kinds == [
        (IdentityKind.USER, "alice"),
        (IdentityKind.USER, "bob"),
        (IdentityKind.GROUP, "admins"),
        (IdentityKind.GROUP, "developers"),
    ]
    alice, bob = identity(inventory, "alice"), identity(inventory, "bob")
    # A user's groups are named as the group identities of the same export are.
    assert alice.groups == (f"{ACCOUNT}#admins",)
    assert bob.groups == (f"{ACCOUNT}#developers",)
    group_ids = {i.id for i in inventory.identities if i.kind is IdentityKind.GROUP}
    assert set(alice.groups + bob.groups) <= group_ids
    assert bob.arn.text == "arn:aws:iam::111122223333:user/engineering/bob"
    assert bob.ref.line == 18
    [self_service] = bob.policies
    assert self_service.origin == f"inline policy 'self-service' of user {ACCOUNT}#bob"
    admins = identity(inventory, "admins")
    assert [m.arn.text for m in admins.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    developers = identity(inventory, "developers")
    assume = policy(developers, "inline policy 'assume-ci-deploy'")
    assert assume.statements[0].resources[0].ref.line == 81


def test_a_customer_policy_nothing_attaches_is_checked_on_its_own() -> None:
    inventory = parse(ACCOUNT)
    [legacy] = inventory.standalone_policies
    assert legacy.resource == f"{ACCOUNT}#legacy-break-glass"
    assert legacy.kind is PolicyKind.PERMISSIONS
    assert legacy.managed
    assert legacy.statements[0].actions[0].ref.line == 397


def test_one_customer_policy_is_one_document_for_every_holder() -> None:
    text = ACCOUNT.read_text().replace(
        '"PolicyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"',
        '"PolicyArn": "arn:aws:iam::111122223333:policy/deploy-tools"',
    )
    inventory = snapshot(ACCOUNT, text).inventory
    ci_tools = policy(role(inventory, "ci-deploy"), "managed policy deploy-tools")
    app_tools = policy(role(inventory, "app-server"), "managed policy deploy-tools")
    assert ci_tools is app_tools
    [(_, holders)] = [(d, r) for d, r in inventory.permission_policies() if d is ci_tools]
    assert {r.id.rsplit("#", 1)[1] for r in holders} == {"ci-deploy", "app-server"}


def test_default_version_id_decides_when_no_version_is_flagged() -> None:
    def version(version_id: str, action: str) -> dict[str, Any]:
        statement = {"Effect": "Allow", "Action": action, "Resource": "*"}
        document = {"Version": "2012-10-17", "Statement": [statement]}
        return {"VersionId": version_id, "Document": document}

    export = {
        "RoleDetailList": [],
        "Policies": [
            {
                "PolicyName": "p",
                "Arn": "arn:aws:iam::111122223333:policy/p",
                "DefaultVersionId": "v2",
                "PolicyVersionList": [version("v1", "*"), version("v2", "s3:ListBucket")],
            }
        ],
    }
    result = snapshot(Path("flagless.json"), json.dumps(export, indent=2))
    assert result.errors == []
    [document] = result.inventory.standalone_policies
    assert document.origin == "managed policy p (default version v2)"
    assert [a.text for a in document.statements[0].actions] == ["s3:ListBucket"]


def test_policy_in_a_plain_json_string_and_duplicate_keys_inside_it() -> None:
    document = json.dumps(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny", '
        '"Action": "s3:GetObject", "Resource": "*"}]}'
    )
    text = (
        '{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",\n'
        '  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},\n'
        f'  "RolePolicyList": [{{"PolicyName": "p", "PolicyDocument": {document}}}]}}]}}\n'
    )
    result = snapshot(Path("plain.json"), text)
    assert result.errors == []
    [inline] = role(result.inventory, "r").policies
    assert [a.text for a in inline.statements[0].actions] == ["s3:GetObject"]
    [duplicate] = result.inventory.problems
    assert duplicate.kind == "duplicate-key"
    assert at(duplicate.ref) == (3, 60)  # the string
    assert duplicate.resource == "plain.json#r"


def test_a_duplicate_key_of_a_version_that_is_not_the_default_is_not_reported() -> None:
    """Only the default version counts: a duplicate "Action" in an older version (history that
    grants nothing) was reported as RL601.  One in the default version still is, and so is one
    of an entry the export reads (a role's Path), or of a policy string the default version
    holds."""
    old = (
        '{"Sid": "Old", "Effect": "Allow", "Resource": "arn:aws:s3:::app/*",'
        ' "Action": "s3:GetObject", "Action": "s3:*"}'
    )
    current = old.replace('"Old"', '"Current"')
    text = f"""{{
  "RoleDetailList": [{{"RoleName": "r", "Path": "/", "Path": "/x/",
    "Arn": "arn:aws:iam::111122223333:role/r",
    "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": []}}}}],
  "Policies": [
    {{"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v3",
      "PolicyVersionList": [
        {{"VersionId": "v3", "IsDefaultVersion": true,
          "Document": {{"Version": "2012-10-17", "Statement": [{current}]}}}},
        {{"VersionId": "v2", "IsDefaultVersion": false,
          "Document": {{"Version": "2012-10-17", "Statement": [{old}]}}}}
      ]}}
  ]
}}
"""
    lines = text.splitlines()
    path_line, current_line = (
        next(n for n, line in enumerate(lines, 1) if needle in line)
        for needle in ('"Path": "/x/"', '"Current"')
    )
    result = snapshot(Path("versions.json"), text)
    assert result.errors == []
    duplicates = sorted((p.ref.line, p.resource) for p in result.inventory.problems)
    assert duplicates == [(path_line, "versions.json#r"), (current_line, "versions.json#p")]
    only_old = text.replace(current, current.replace(', "Action": "s3:*"', ""))
    inventory = snapshot(Path("versions.json"), only_old).inventory
    assert [p.ref.line for p in inventory.problems] == [path_line]
    findings = run_checks(inventory)
    assert [f.location.line for f in findings if f.rule_id == "RL601"] == [path_line]


def test_get_role_url_encoded_trust_points_at_its_string() -> None:
    """The helper shared with get-role output: its decoded trust policy is at the string too."""
    encoded = (
        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow"
        "%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22%2A%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole"
        "%22%7D%5D%7D"
    )
    text = (
        '{\n  "Role": {\n    "RoleName": "x",\n    "Arn": "arn:aws:iam::111122223333:role/x",\n'
        f'    "AssumeRolePolicyDocument": "{encoded}"\n  }}\n}}\n'
    )
    outcome = parse_source("role.json", text)
    assert outcome.format == "get-role"
    [x] = outcome.inventory.roles
    assert x.trust_policy is not None
    [principal] = x.trust_policy.statements[0].principals
    assert principal.value.text == "*"
    assert at(principal.value.ref) == (5, 33)


# --- end to end ----------------------------------------------------------------------------------


def located(report_findings: list[dict[str, Any]]) -> set[tuple[str, int]]:
    return {(f["rule_id"], f["line"]) for f in report_findings}


def test_rolelint_check_reports_the_export_at_its_lines() -> None:
    result = run_rolelint("check", ACCOUNT_PATH, "--account", "111122223333", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert report["summary"]["files_analyzed"] == 1
    assert located(report["findings"]) == {
        ("RL201", 62),  # AdministratorAccess attached to group admins
        ("RL401", 81),  # bob, through group developers, may assume ci-deploy (low: a map)
        ("RL101", 108),  # ci-deploy trusts "*"
        # AmazonSSMManagedInstanceCore's ssm:GetParameter on *, which the boundary allows
        ("RL208", 216),
        ("RL201", 238),  # AdministratorAccess attached to role ops-admin
        ("RL201", 397),  # legacy-break-glass, attached to nothing, still the account's policy
    }
    by_line = {f["line"]: f for f in report["findings"]}
    assert by_line[108]["column"] == 36
    assert by_line[108]["role"] == f"{ACCOUNT_PATH}#ci-deploy"
    assert "permissions boundary app-boundary" in by_line[216]["message"]
    assert by_line[397]["resource"] == f"{ACCOUNT_PATH}#legacy-break-glass"


def test_the_exported_account_counts_as_one_s_own() -> None:
    """ops-admin trusts 111122223333, the exported account itself: not a cross-account trust,
    with or without --account."""
    report = lint_paths([str(ACCOUNT)])
    assert "RL102" not in {f.rule_id for f in report.findings}
    declared = lint_paths([str(ACCOUNT)], accounts=OWN_ACCOUNT)
    assert "RL102" not in {f.rule_id for f in declared.findings}
    # The export itself tells which account it is.
    from rolelint.model import AccountContext

    inventory, _ = read_inventory([str(ACCOUNT)], accounts=AccountContext())
    assert inventory.accounts.is_own("111122223333")
    assert inventory.accounts.own_accounts == frozenset()  # learned, not declared


def test_an_export_of_policies_alone_makes_its_account_one_s_own(tmp_path: Path) -> None:
    """An export filtered to ``Policies`` (``--filter LocalManagedPolicy``) names its account
    only in its customer managed policy ARNs: the account was not one's own, and a template
    role trusting a role of it got RL102, which a full export of that account does not give.
    AWS managed ARNs (account ``aws``) name no account."""
    export = tmp_path / "policies-export.json"
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
        ],
    }
    versions = [{"Document": document, "VersionId": "v1", "IsDefaultVersion": True}]
    export.write_text(
        json.dumps(
            {
                "Policies": [
                    {
                        "PolicyName": "p",
                        "Arn": "arn:aws:iam::111122223333:policy/p",
                        "PolicyVersionList": versions,
                    },
                    {
                        "PolicyName": "ReadOnlyAccess",
                        "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        "PolicyVersionList": versions,
                    },
                ],
                "IsTruncated": False,
            }
        )
    )
    assert read_account_authorization(load_json(str(export), export.read_text())).accounts == {
        "111122223333"
    }
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Deployer:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: 'arn:aws:iam::111122223333:role/ci'}\n"
        "            Action: sts:AssumeRole\n"
    )
    alone = lint_paths([str(template)])
    assert [(f.rule_id, f.location.line) for f in alone.findings] == [("RL102", 9)]
    report = lint_paths([str(template), str(export)])
    assert report.errors == []
    assert "RL102" not in {f.rule_id for f in report.findings}


def test_an_export_and_a_template_are_checked_together() -> None:
    mixed = EXPORTS / "mixed"
    report = lint_paths([str(mixed)], accounts=OWN_ACCOUNT)
    assert report.errors == []
    assert report.files_analyzed == 2
    found = {(Path(f.file).name, f.rule_id, f.location.line) for f in report.findings}
    # The export's build runner may assume any release-* role; the template's release-admin
    # trusts it by ARN and is an administrator: a chain across the two files.
    assert {("snapshot.json", "RL401", 38), ("template.yaml", "RL201", 18)} <= found
    [chain] = [f for f in report.findings if f.rule_id == "RL401"]
    assert [(Path(h.file).name, h.line) for h in chain.path] == [
        ("snapshot.json", 7),
        ("template.yaml", 6),
    ]


# --- robustness ----------------------------------------------------------------------------------


def test_malformed_entries_are_skipped_with_their_line_and_the_rest_is_read() -> None:
    path = EXPORTS / "malformed.json"
    result = snapshot(path)
    errors = {(e.line, e.message) for e in result.errors}
    assert all(e.file == str(path) for e in result.errors)
    assert {
        (14, "GroupDetailList is not a list; it is ignored"),
        (16, "an entry of RoleDetailList is not an object; it is skipped"),
        (17, "a role without a valid RoleName is skipped"),
        (
            28,
            "the trust policy of role half-broken is a string that is neither JSON nor "
            "URL-encoded JSON",
        ),
        (30, "the inline policy 'no-document' of role half-broken has no PolicyDocument"),
        (40, "an attached policy of role half-broken has no PolicyArn"),
        (43, "the permissions boundary of role half-broken is not an object; it is ignored"),
        (44, "an instance profile of role half-broken has no InstanceProfileName"),
        (56, "role anyone is listed twice; the second is skipped"),
        (63, "a managed policy without a valid Arn is skipped"),
        (6, "user carol: a group name is not a string; it is skipped"),
        (7, "user carol: UserPolicyList is not a list; it is ignored"),
        (10, "a user without a valid UserName is skipped"),
    } == {(line, message) for line, message in errors if "default version" not in message}
    assert any(line == 68 and "unversioned has no default version" in m for line, m in errors)
    inventory = result.inventory
    assert [r.id.rsplit("#", 1)[1] for r in inventory.roles] == ["half-broken", "anyone"]
    broken = role(inventory, "half-broken")
    assert broken.trust_policy is None
    assert [d.origin.split(" of ")[0] for d in broken.policies] == ["inline policy 'open-bucket'"]
    # A policy without a default version: its attachment stays a reference.
    assert [m.arn.text for m in broken.managed_policy_arns] == [
        "arn:aws:iam::111122223333:policy/unversioned"
    ]
    assert identity(inventory, "carol").groups == (f"{path}#developers",)
    [duplicate] = inventory.problems
    assert (duplicate.kind, duplicate.ref.line) == ("duplicate-key", 50)
    assert duplicate.resource == f"{path}#anyone"


def test_a_malformed_export_is_still_checked() -> None:
    path = EXPORTS / "malformed.json"
    report = lint_paths([str(path)])
    assert report.files_analyzed == 1
    found = {(f.rule_id, f.location.line) for f in report.findings}
    assert ("RL101", 53) in found  # the role trusting "*" after all the broken entries
    assert ("RL601", 50) in found  # its duplicate Path


def test_a_truncated_export_says_it_is_incomplete() -> None:
    path = EXPORTS / "truncated.json"
    result = snapshot(path)
    assert result.errors == []
    [notice] = result.notices
    assert (notice.file, notice.line) == (str(path), 33)
    assert "incomplete" in notice.message and "Marker" in notice.message
    [loader] = result.inventory.roles
    assert [m.arn.text for m in loader.managed_policy_arns] == [
        "arn:aws:iam::111122223333:policy/data-loader-access"
    ]
    # The CLI's own pagination (--max-items) leaves a NextToken instead.
    text = '{"RoleDetailList": [],\n "NextToken": "eyJNYXJrZXIiOiBudWxsfQ=="}'
    [notice] = snapshot(path, text).notices
    assert notice.line == 2 and "NextToken" in notice.message
    assert snapshot(path, '{"RoleDetailList": [], "IsTruncated": false}').notices == []


@pytest.mark.parametrize(
    "text",
    [
        '{"RoleDetailList": [{"RoleName": "enc", "Arn": "arn:aws:iam::111122223333:role/en',
        '{"UserDetailList": [{"UserName": "ci", "UserPolicyList": [{"PolicyDocument": "%7B',
        '{"GroupDetailList": [], "UserDetailList": [{"UserName": "ci"',
        '{"Policies": [{"PolicyVersionList": [{"Document": "%7B%22Version%22%3A',
        '{"Role": {"RoleName": "app", "AssumeRolePolicyDocument": "%7B%22Version',  # get-role
    ],
    ids=["roles", "users", "groups", "policies", "get-role"],
)
def test_an_export_cut_short_is_an_input_error_not_a_silent_skip(text: str) -> None:
    """Documents of an export are URL-encoded: cut before a readable "Statement", the file was
    skipped as not IaC (exit 0), where a broken file meant for AWS is an error (exit 2)."""
    outcome = parse_source("export.json", text)
    assert outcome.format is None
    assert [(e.line, e.message.startswith("invalid JSON")) for e in outcome.errors] == [(1, True)]


def test_the_report_names_skipped_entries_and_truncation() -> None:
    report: Report = lint_paths([str(EXPORTS / "malformed.json"), str(EXPORTS / "truncated.json")])
    assert report.files_analyzed == 2
    assert {e.line for e in report.errors if e.file.endswith("malformed.json")} >= {16, 17, 56}
    assert [(n.file.rsplit("/", 1)[1], n.line) for n in report.notices] == [("truncated.json", 33)]


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def _replace_values(node: Any, key: str, value: Any) -> Any:
    if isinstance(node, dict):
        return {k: value if k == key else _replace_values(v, key, value) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_values(v, key, value) for v in node]
    return node


def test_any_key_with_any_wrong_value_never_raises() -> None:
    """Every key of the export, given each kind of wrong value, is read and checked."""
    original = json.loads(ACCOUNT.read_text())
    for key in sorted(_keys(original)):
        for wrong in (None, 42, "%7B", [1, "x"], {"x": [None]}):
            text = json.dumps(_replace_values(original, key, wrong), indent=4)
            outcome = parse_source("mutated.json", text)
            assert outcome.format in {"account-authorization", None}, (key, wrong)
            run_checks(outcome.inventory)


def test_the_fixture_is_read_without_errors() -> None:
    for name in ("account.json", "mixed/snapshot.json"):
        result = snapshot(EXPORTS / name)
        assert (result.errors, result.notices) == ([], []), name
    assert (REPO / ACCOUNT_PATH).is_file()


def _export_bounded_by(boundary: str, policies: list[dict[str, Any]]) -> dict[str, Any]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    return {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [
            {
                "RoleName": "bounded",
                "Arn": "arn:aws:iam::111122223333:role/bounded",
                "AssumeRolePolicyDocument": trust,
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "AdministratorAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
                    }
                ],
                "PermissionsBoundary": {"PermissionsBoundaryArn": boundary},
            }
        ],
        "Policies": policies,
    }


def test_an_aws_managed_policy_rolelint_does_not_ship_is_read_from_the_export(
    tmp_path: Path,
) -> None:
    """ReadOnlyAccess as the boundary of an administrator: the export holds its text, but AWS
    managed copies were never read, so the boundary limited nothing (RL201, critical)."""
    read_only = {
        "PolicyName": "ReadOnlyAccess",
        "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "DefaultVersionId": "v120",
        "PolicyVersionList": [
            {
                "VersionId": "v120",
                "IsDefaultVersion": True,
                "Document": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}],
                },
            }
        ],
    }
    export = _export_bounded_by("arn:aws:iam::aws:policy/ReadOnlyAccess", [read_only])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, indent=2))
    report = lint_paths([str(path)])
    assert report.errors == []
    assert {f.rule_id for f in report.findings} == set()  # ec2:Describe* only: nothing to say
    inventory = parse(path)
    [boundary] = [d for d in role(inventory, "bounded").policies if d.kind is PolicyKind.BOUNDARY]
    assert boundary.aws_managed
    assert boundary.origin.startswith("permissions boundary AWS managed policy ReadOnlyAccess")
    assert inventory.standalone_policies == []


def test_an_exported_service_role_policy_is_a_service_role_policy(tmp_path: Path) -> None:
    """A service-linked role's policy from the export was judged as the account's choice:
    RL203 on AmazonECSServiceRolePolicy, which nobody can edit."""
    ecs = {
        "PolicyName": "AmazonECSServiceRolePolicy",
        "Arn": "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
        "PolicyVersionList": [
            {
                "VersionId": "v9",
                "IsDefaultVersion": True,
                "Document": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "ec2:AttachNetworkInterface", "Resource": "*"}
                    ],
                },
            }
        ],
    }
    export = _export_bounded_by("arn:aws:iam::aws:policy/ReadOnlyAccess", [ecs])
    role_entry = export["RoleDetailList"][0]
    del role_entry["PermissionsBoundary"]
    role_entry["AttachedManagedPolicies"] = [
        {"PolicyName": ecs["PolicyName"], "PolicyArn": ecs["Arn"]}
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, indent=2))
    [document] = role(parse(path), "bounded").policies
    assert document.aws_managed and document.service_role_policy
    assert "RL203" not in {f.rule_id for f in lint_paths([str(path)]).findings}


DEEP_POLICY = '{"Version":"2012-10-17","Statement":' + "[" * 300 + "]" * 300 + "}"
HUGE_NUMBER_POLICY = '{"Version":"2012-10-17","Statement":[],"Id":' + "9" * 5000 + "}"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (DEEP_POLICY, "too deeply nested: more than 200 levels"),
        (HUGE_NUMBER_POLICY, "invalid JSON: number too long to read"),
    ],
    ids=["too-deep", "huge-number"],
)
def test_an_embedded_policy_past_the_limits_says_why_it_is_not_read(
    document: str, reason: str
) -> None:
    """URL-encoded JSON nested 300 deep (or with a 5,000-digit number) was called "a string
    that is neither JSON nor URL-encoded JSON", where the same raw file says why."""
    from urllib.parse import quote

    role_entry = {"RoleName": "r1", "Arn": "arn:aws:iam::111122223333:role/r1"}
    role_entry["AssumeRolePolicyDocument"] = quote(document)
    text = json.dumps({"RoleDetailList": [role_entry]}, indent=2)
    outcome = parse_source("export.json", text)
    assert outcome.format == "account-authorization"
    [line] = [n for n, t in enumerate(text.splitlines(), 1) if "AssumeRolePolicyDocument" in t]
    assert [(e.line, e.message) for e in outcome.errors] == [
        (line, f"the trust policy of role r1 cannot be read ({reason})")
    ]


def test_a_boto3_dump_of_policies_alone_is_an_export(tmp_path: Path) -> None:
    """boto3 adds ResponseMetadata to the answer: the dumped policies-only export was skipped
    as "not a CloudFormation template or IAM policy"."""
    answer = json.loads(POLICIES_ONLY)
    answer["IsTruncated"] = False
    answer["ResponseMetadata"] = {"RequestId": "1b2c", "HTTPStatusCode": 200}
    text = json.dumps(answer, indent=1)
    path = tmp_path / "policies.json"
    path.write_text(text)
    report = lint_paths([str(path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL201", next(n for n, t in enumerate(text.splitlines(), 1) if '"Action": "*"' in t))
    ]
    assert (report.files_skipped, report.files_analyzed, report.errors) == (0, 1, [])


def test_is_truncated_given_as_text_still_says_the_export_is_incomplete() -> None:
    """``"IsTruncated": "true"`` with a Marker gave no notice: the export looked complete."""
    text = '{"RoleDetailList": [],\n "IsTruncated": "true", "Marker": "abc"}'
    [notice] = snapshot(EXPORTS / "truncated.json", text).notices
    assert notice.line == 2 and "incomplete (IsTruncated)" in notice.message
    assert snapshot(EXPORTS / "truncated.json", text.replace('"true"', '"false"')).notices == []


def test_a_version_list_that_is_no_list_is_one_error() -> None:
    """It gave two: "is not a list" and a spurious "has no default version"."""
    text = json.dumps(
        {
            "RoleDetailList": [],
            "Policies": [
                {
                    "PolicyName": "x",
                    "Arn": "arn:aws:iam::111122223333:policy/x",
                    "PolicyVersionList": {"a": 1},
                }
            ],
        },
        indent=1,
    )
    errors = snapshot(EXPORTS / "truncated.json", text).errors
    assert [(e.line, e.message) for e in errors] == [
        (7, "managed policy x: PolicyVersionList is not a list; it is ignored")
    ]


# --- customer managed policies of other files of the run ----------------------------------------


def _break_glass_run(folder: Path) -> None:
    """An account exported in two calls, ``--filter Role`` and ``--filter LocalManagedPolicy``:
    the role attaches by ARN a policy only the other file defines."""
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
    roles = {
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "ci",
                "Arn": "arn:aws:iam::111122223333:role/ci",
                "AssumeRolePolicyDocument": trust,
                "RolePolicyList": [],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "break-glass",
                        "PolicyArn": "arn:aws:iam::111122223333:policy/break-glass",
                    }
                ],
            }
        ]
    }
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    policies = {
        "Policies": [
            {
                "PolicyName": "break-glass",
                "Arn": "arn:aws:iam::111122223333:policy/break-glass",
                "Path": "/",
                "DefaultVersionId": "v1",
                "PolicyVersionList": [
                    {"Document": document, "VersionId": "v1", "IsDefaultVersion": True}
                ],
            }
        ]
    }
    folder.mkdir(exist_ok=True)
    (folder / "roles.json").write_text(json.dumps(roles, indent=2), encoding="utf-8")
    (folder / "policies.json").write_text(json.dumps(policies, indent=2), encoding="utf-8")


def test_a_policy_another_export_defines_is_the_role_s(tmp_path: Path) -> None:
    _break_glass_run(tmp_path)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    [admin] = [f for f in report.findings if f.rule_id == "RL201"]
    assert (admin.file, admin.location.line) == (str(tmp_path / "policies.json"), 15)
    assert admin.role == f"{tmp_path / 'roles.json'}#ci"
    inventory, _ = read_inventory([str(tmp_path)])
    ci = role(inventory, "ci")
    assert ci.managed_policy_arns == ()
    assert [d.arn for d in ci.policies] == ["arn:aws:iam::111122223333:policy/break-glass"]
    assert inventory.standalone_policies == []  # attached, so not judged as standing alone


def test_a_linked_policy_gives_the_same_output_with_any_number_of_jobs(tmp_path: Path) -> None:
    _break_glass_run(tmp_path / "run")
    outputs = []
    for jobs in ("1", "2"):
        checked = run_rolelint("check", "run", "--no-cache", "-j", jobs, "-f", "json", cwd=tmp_path)
        listed = run_rolelint("roles", "run", "--no-cache", "-j", jobs, "-f", "json", cwd=tmp_path)
        outputs.append((checked.stdout, listed.stdout))
    assert outputs[0] == outputs[1]
    [ci] = json.loads(outputs[0][1])["roles"]
    assert (ci["access"], ci["unread_policies"]) == ("admin", 0)


def test_a_template_role_attaching_an_exported_policy_by_arn_holds_it(tmp_path: Path) -> None:
    _break_glass_run(tmp_path)
    (tmp_path / "roles.json").unlink()
    (tmp_path / "app.yaml").write_text(
        "Parameters:\n"
        "  Name: {Type: String}\n"
        "Resources:\n"
        "  AppRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {Service: ec2.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        "      ManagedPolicyArns:\n"
        "        - arn:aws:iam::111122223333:policy/break-glass\n"
        "  OtherRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {Service: ec2.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        "      ManagedPolicyArns:\n"
        "        - !Sub arn:aws:iam::111122223333:policy/${Name}\n"
        "        - arn:aws:iam::111122223333:policy/break-*\n",
        encoding="utf-8",
    )
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    app = next(r for r in inventory.roles if r.id == "AppRole")
    assert app.managed_policy_arns == ()
    assert [d.arn for d in app.policies] == ["arn:aws:iam::111122223333:policy/break-glass"]
    # An unresolved ARN or a pattern names no policy: it stays an unread reference.
    other = next(r for r in inventory.roles if r.id == "OtherRole")
    assert other.policies == ()
    assert len(other.managed_policy_arns) == 2


_POLICY_OPS = {
    "Policies": [
        {
            "PolicyName": "ops",
            "Arn": "arn:aws:iam::111122223333:policy/ops",
            "Path": "/",
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
                                "Action": ["s3:PutObject", "iam:PassRole"],
                                "Resource": "*",
                            }
                        ],
                    },
                }
            ],
        }
    ]
}

_OPTIONAL_OPS_ROLE = """\
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !If [IsProd, "arn:aws:iam::111122223333:policy/ops", !Ref AWS::NoValue]
"""


def test_a_policy_another_file_defines_attached_under_fn_if_is_one_finding(
    tmp_path: Path,
) -> None:
    """Two roles attaching it under one condition share one optional copy: its findings are
    one each, naming both roles, as for a policy attached unconditionally."""
    (tmp_path / "policies.json").write_text(json.dumps(_POLICY_OPS, indent=1), encoding="utf-8")
    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        "Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        f"Resources:\n  A:\n{_OPTIONAL_OPS_ROLE}  B:\n{_OPTIONAL_OPS_ROLE}"
    )
    (tmp_path / "t.yaml").write_text(template, encoding="utf-8")
    findings = lint_paths([str(tmp_path)]).findings
    assert sorted((f.rule_id, f.role) for f in findings) == [("RL203", "A, B"), ("RL206", "A, B")]


def test_a_policy_two_files_define_with_the_same_text_links(tmp_path: Path) -> None:
    """Two saved exports of the same policy define it once: the role attaching it holds it,
    and neither copy is judged as standing alone."""
    for name in ("policies.json", "policies-2025-06.json"):
        (tmp_path / name).write_text(json.dumps(_POLICY_OPS, indent=1), encoding="utf-8")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = {
        "RoleName": "app",
        "Path": "/",
        "Arn": "arn:aws:iam::111122223333:role/app",
        "AssumeRolePolicyDocument": trust,
        "AttachedManagedPolicies": [
            {"PolicyName": "ops", "PolicyArn": "arn:aws:iam::111122223333:policy/ops"}
        ],
    }
    roles = tmp_path / "roles.json"
    roles.write_text(json.dumps({"RoleDetailList": [role]}), encoding="utf-8")
    findings = lint_paths([str(tmp_path)]).findings
    assert sorted((f.rule_id, f.role) for f in findings) == [
        ("RL203", f"{roles}#app"),
        ("RL206", f"{roles}#app"),
    ]
    # Different texts for one ARN: which one the account has is not known, nothing links.
    changed = json.loads(json.dumps(_POLICY_OPS))
    changed["Policies"][0]["PolicyVersionList"][0]["Document"]["Statement"][0]["Resource"] = (
        "arn:aws:s3:::bucket/*"
    )
    (tmp_path / "policies-2025-06.json").write_text(json.dumps(changed), encoding="utf-8")
    findings = lint_paths([str(tmp_path)]).findings
    assert all(f.role is None for f in findings), [(f.rule_id, f.role) for f in findings]


def test_a_policy_its_export_uses_only_as_a_boundary_links_from_another(tmp_path: Path) -> None:
    """The export that defines ``ops`` uses it only as a boundary; a role of another export
    attaching it holds it (RL206/RL203 are its), and one capped by it is limited by it (an
    escalation and a write on every resource, as for the role holding it, not full admin: no
    RL201), as when one file holds them all."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    ops = "arn:aws:iam::111122223333:policy/ops"
    boundary = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": ops}

    def role(name: str) -> dict[str, object]:
        arn = f"arn:aws:iam::111122223333:role/{name}"
        return {"RoleName": name, "Path": "/", "Arn": arn, "AssumeRolePolicyDocument": trust}

    bounded = {**role("bounded"), "PermissionsBoundary": boundary}
    defining = {"RoleDetailList": [bounded], **_POLICY_OPS}
    (tmp_path / "a.json").write_text(json.dumps(defining, indent=1), encoding="utf-8")
    everything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    uses = {
        **role("uses-ops"),
        "AttachedManagedPolicies": [{"PolicyName": "ops", "PolicyArn": ops}],
    }
    capped = {
        **role("capped"),
        "RolePolicyList": [{"PolicyName": "all", "PolicyDocument": everything}],
        "PermissionsBoundary": boundary,
    }
    other = tmp_path / "b.json"
    other.write_text(json.dumps({"RoleDetailList": [uses, capped]}, indent=1), encoding="utf-8")
    findings = lint_paths([str(tmp_path)]).findings
    assert sorted((f.rule_id, f.role) for f in findings) == [
        ("RL203", f"{other}#capped"),
        ("RL203", f"{other}#uses-ops"),
        ("RL206", f"{other}#capped"),
        ("RL206", f"{other}#uses-ops"),
    ]
    # What the boundary leaves of '*' that RL206 reports (iam:PassRole) is RL206's; the rest
    # (s3:PutObject on every bucket) is RL203's.
    [writes] = [f for f in findings if f.rule_id == "RL203" and f.role == f"{other}#capped"]
    assert "allows write actions '*' (1 write action: s3:PutObject)" in writes.message


# --- policies linked across files by the account stand-in ----------------------------------------

_DEV_BOUNDARY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DevBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: DevBoundary
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["s3:*", "lambda:*"]
            Resource: "*"
  Unused:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: Unused
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "lambda:*", Resource: "*"}
"""

_TEAM_OPS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ops:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: Ops
      Path: /team/
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["s3:PutObject", "iam:PassRole"]
            Resource: "*"
"""


def _app_role(properties: str) -> str:
    """A template whose AppRole (AdministratorAccess at line 14) has ``properties`` too."""
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        "Resources:\n"
        "  AppRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {Service: lambda.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        f"{properties}"
        "      ManagedPolicyArns:\n"
        "        - arn:aws:iam::aws:policy/AdministratorAccess\n"
    )


def _found(tmp_path: Path) -> list[tuple[str, str, int, str | None]]:
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    return sorted(
        (str(Path(f.file).relative_to(tmp_path)), f.rule_id, f.location.line, f.role)
        for f in report.findings
    )


@pytest.mark.parametrize(
    "arn",
    [
        "!Sub arn:aws:iam::${AWS::AccountId}:policy/DevBoundary",
        "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/DevBoundary",
    ],
)
def test_a_boundary_another_template_creates_caps_the_role(tmp_path: Path, arn: str) -> None:
    """A role capped by ``${AWS::AccountId}:policy/DevBoundary`` that another template creates
    was left unlinked: AdministratorAccess gave RL201 (critical, full admin) though the boundary
    allows s3 and lambda only, and the boundary was judged as a grant of its own (RL206, RL202,
    RL203, RL208).  The role is now capped by it, as when one template holds both; a policy of
    that template nothing names still stands alone."""
    (tmp_path / "boundary.yaml").write_text(_DEV_BOUNDARY, encoding="utf-8")
    (tmp_path / "role.yaml").write_text(
        _app_role(f"      PermissionsBoundary: {arn}\n"), encoding="utf-8"
    )
    assert _found(tmp_path) == [
        ("boundary.yaml", "RL202", 20, None),  # Unused, used nowhere: still standalone
        ("boundary.yaml", "RL206", 20, None),
        ("role.yaml", "RL202", 14, "AppRole"),
        ("role.yaml", "RL203", 14, "AppRole"),  # s3:*; lambda:* is RL206's
        ("role.yaml", "RL206", 14, "AppRole"),
        ("role.yaml", "RL208", 14, "AppRole"),
    ]
    findings = lint_paths([str(tmp_path)]).findings
    [escalation] = [f for f in findings if f.rule_id == "RL206" and f.role == "AppRole"]
    assert "(permissions boundary DevBoundary of role AppRole allows it)" in escalation.message
    inventory, _ = read_inventory([str(tmp_path)])
    [app] = inventory.roles
    [boundary] = [d for d in app.policies if d.kind is PolicyKind.BOUNDARY]
    assert boundary.arn == "arn:aws:iam::${AWS::AccountId}:policy/DevBoundary"
    assert [d.resource for d in inventory.standalone_policies] == ["Unused"]


def test_a_policy_another_template_creates_is_attached_by_its_account_stand_in(
    tmp_path: Path,
) -> None:
    """``ManagedPolicyArns`` naming ``${AWS::AccountId}:policy/team/Ops`` of another template:
    the role holds it (its findings name the role), and it no longer stands alone."""
    (tmp_path / "ops.yaml").write_text(_TEAM_OPS, encoding="utf-8")
    attach = "        - !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team/Ops\n"
    role = _app_role("").replace("AdministratorAccess\n", f"AdministratorAccess\n{attach}")
    (tmp_path / "role.yaml").write_text(role, encoding="utf-8")
    inventory, _ = read_inventory([str(tmp_path)])
    [app] = inventory.roles
    assert [d.arn for d in app.policies] == ["arn:aws:iam::${AWS::AccountId}:policy/team/Ops"]
    assert [r.arn.text for r in app.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    assert inventory.standalone_policies == []
    # The ops findings are the role's; AdministratorAccess (no boundary) is full admin.
    assert _found(tmp_path) == [
        ("ops.yaml", "RL203", 13, "AppRole"),
        ("ops.yaml", "RL206", 12, "AppRole"),
        ("role.yaml", "RL201", 13, "AppRole"),
    ]


_TF_ROLE = """\
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  prefix  = "arn:${data.aws_partition.current.partition}:iam::${local.account}:policy"
}

resource "aws_iam_role" "app" {
  name                 = "app"
  permissions_boundary = "${local.prefix}/DevBoundary"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""

_TF_OPS = """\
resource "aws_iam_policy" "ops" {
  name = "Ops"
  path = "/team/"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "iam:PassRole"], Resource = "*" }]
  })
}
"""


def test_terraform_and_cloudformation_link_by_the_account_stand_in(tmp_path: Path) -> None:
    """A Terraform role capped by ``.../${account_id}:policy/DevBoundary`` a template creates,
    and a template role attaching the ``aws_iam_policy`` Ops a Terraform root creates: both
    parsers write the policy's ARN with the account stand-in, so each links as within one
    file."""
    (tmp_path / "boundary.yaml").write_text(_DEV_BOUNDARY, encoding="utf-8")
    (tmp_path / "tf-role").mkdir()
    (tmp_path / "tf-role" / "main.tf").write_text(_TF_ROLE, encoding="utf-8")
    (tmp_path / "tf-ops").mkdir()
    (tmp_path / "tf-ops" / "main.tf").write_text(_TF_OPS, encoding="utf-8")
    attach = "        - !Sub arn:aws:iam::${AWS::AccountId}:policy/team/Ops\n"
    role = _app_role("").replace("AdministratorAccess\n", f"AdministratorAccess\n{attach}")
    (tmp_path / "role.yaml").write_text(role, encoding="utf-8")
    assert _found(tmp_path) == [
        ("boundary.yaml", "RL202", 20, None),
        ("boundary.yaml", "RL206", 20, None),
        ("role.yaml", "RL201", 13, "AppRole"),
        ("tf-ops/main.tf", "RL203", 6, "AppRole"),
        ("tf-ops/main.tf", "RL206", 6, "AppRole"),
        ("tf-role/main.tf", "RL202", 24, "aws_iam_role.app"),
        ("tf-role/main.tf", "RL203", 24, "aws_iam_role.app"),
        ("tf-role/main.tf", "RL206", 24, "aws_iam_role.app"),
        ("tf-role/main.tf", "RL208", 24, "aws_iam_role.app"),
    ]


def test_the_account_stand_in_links_only_one_text_of_the_stand_in(tmp_path: Path) -> None:
    """``${AWS::AccountId}`` is not a literal account: a policy an export defines in
    111122223333 is not the one a template caps a role with by the stand-in.  Two templates
    creating DevBoundary with different texts leave it unknown which the account has: neither
    links, and both stand alone; with the same text the first links and neither stands alone."""
    role = _app_role(
        "      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/DevBoundary\n"
    )
    (tmp_path / "role.yaml").write_text(role, encoding="utf-8")
    exported = json.loads(json.dumps(_POLICY_OPS))
    exported["Policies"][0].update(
        PolicyName="DevBoundary", Arn="arn:aws:iam::111122223333:policy/DevBoundary"
    )
    (tmp_path / "policies.json").write_text(json.dumps(exported, indent=1), encoding="utf-8")

    def held() -> tuple[list[str], list[str]]:
        inventory, report = read_inventory([str(tmp_path)])
        assert report.errors == []
        [app] = inventory.roles
        standalone = sorted(
            d.resource.removeprefix(f"{tmp_path}/") for d in inventory.standalone_policies
        )
        return [d.origin for d in app.policies], standalone

    assert held() == ([], ["policies.json#DevBoundary"])
    (tmp_path / "policies.json").unlink()
    (tmp_path / "a.yaml").write_text(_DEV_BOUNDARY, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(_DEV_BOUNDARY.replace('"s3:*", ', ""), encoding="utf-8")
    assert held() == ([], ["DevBoundary", "DevBoundary", "Unused", "Unused"])
    (tmp_path / "b.yaml").write_text(_DEV_BOUNDARY, encoding="utf-8")
    assert held() == (["permissions boundary DevBoundary of role AppRole"], ["Unused", "Unused"])


_WORKLOAD_BOUNDARY = "arn:aws:iam::111122223333:policy/workload-boundary"
_AS_A_GRANT = ["RL202", "RL202", "RL203", "RL208"]  # s3:* and sqs:* on every resource


def _policies_export(attachments: object, boundary_uses: object) -> dict[str, Any]:
    """An export of policies alone (``--filter LocalManagedPolicy``), of one customer managed
    policy with the counts given (None: not in the entry), granting ``s3:*`` and ``sqs:*``
    with an action IAM has not (``s3:GetObjekt``: RL605, a finding of the text whatever the
    policy is)."""
    entry: dict[str, Any] = {
        "PolicyName": "workload-boundary",
        "Arn": _WORKLOAD_BOUNDARY,
        "Path": "/",
        "DefaultVersionId": "v1",
    }
    for key, count in (
        ("AttachmentCount", attachments),
        ("PermissionsBoundaryUsageCount", boundary_uses),
    ):
        if count is not None:
            entry[key] = count
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "sqs:*", "s3:GetObjekt"], "Resource": "*"}
        ],
    }
    entry["PolicyVersionList"] = [
        {"VersionId": "v1", "IsDefaultVersion": True, "Document": document}
    ]
    return {"Policies": [entry]}


@pytest.mark.parametrize(
    ("attachments", "boundary_uses", "expected"),
    [
        pytest.param(0, 1, [], id="used-only-as-a-boundary"),
        pytest.param(0, 3, [], id="the-boundary-of-three"),
        pytest.param(0, 0, _AS_A_GRANT, id="used-nowhere"),
        pytest.param(1, 1, _AS_A_GRANT, id="attached-too"),
        pytest.param(0, None, _AS_A_GRANT, id="boundary-uses-not-counted"),
        pytest.param(None, 1, _AS_A_GRANT, id="attachments-not-counted"),
        pytest.param(0, True, _AS_A_GRANT, id="a-count-that-is-no-number"),
        pytest.param(0, "1", _AS_A_GRANT, id="a-count-that-is-text"),
    ],
)
def test_a_policy_iam_counts_only_as_a_boundary_is_a_boundary(
    tmp_path: Path, attachments: object, boundary_uses: object, expected: list[str]
) -> None:
    """IAM says it of each policy: ``AttachmentCount: 0`` and ``PermissionsBoundaryUsageCount``
    above 0 is a policy attached to no role, user or group, and the permissions boundary of
    some.  An export that does not list those (``--filter LocalManagedPolicy``, or a role
    filter) judged it standing alone, as a grant: 4 findings on a boundary's ``s3:*``, which
    it gives nobody.  It is now that boundary: the permission rules leave it out, its grammar
    is still judged (RL605 as before).  Any other count (attached too, not counted, not a
    number) is judged as before."""
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(_policies_export(attachments, boundary_uses), indent=1))
    report = lint_paths([str(path)])
    assert report.errors == []
    judged = [f.rule_id for f in report.findings if f.resource.endswith("#workload-boundary")]
    assert sorted(judged) == sorted([*expected, "RL605"])
    [document] = parse(path).standalone_policies
    assert document.kind is (PolicyKind.BOUNDARY if not expected else PolicyKind.PERMISSIONS)
    assert document.arn == _WORKLOAD_BOUNDARY


def test_a_policy_iam_counts_only_as_a_boundary_another_file_attaches_is_its_grant(
    tmp_path: Path,
) -> None:
    """The export's boundary-only policy attached by ARN by a role of a template of the run is
    that role's (its grants judged for it, as when the export counts no use), and its text is
    judged once: its grammar finding is not repeated for the boundary it also is."""
    (tmp_path / "policies.json").write_text(json.dumps(_policies_export(0, 1), indent=1))
    (tmp_path / "app.yaml").write_text(
        "Resources:\n"
        "  AppRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {Service: ec2.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        f"      ManagedPolicyArns: [{_WORKLOAD_BOUNDARY}]\n"
    )
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    assert inventory.standalone_policies == []  # held, so its boundary copy is gone too
    [held] = next(r for r in inventory.roles if r.id == "AppRole").policies
    assert held.kind is PolicyKind.PERMISSIONS
    report = lint_paths([str(tmp_path)])
    judged = sorted((f.rule_id, f.role) for f in report.findings)
    grants = [(rule, "AppRole") for rule in _AS_A_GRANT]
    # A finding on the policy's text names the role that holds it, as every grant does.
    assert judged == sorted([*grants, ("RL605", "AppRole")])
