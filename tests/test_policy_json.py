"""Raw policy files and get-role output become the model, with exact positions."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from rolelint.api import lint_paths
from rolelint.model import PolicyKind, PrincipalKind
from rolelint.parsers import parse_source

TRUST = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"], "Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": ["abc", "def"]}}
    }
  ]
}
"""

PERMISSIONS = """{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
}
"""

GET_ROLE = """{
  "Role": {
    "Path": "/",
    "RoleName": "deploy",
    "Arn": "arn:aws:iam::111122223333:role/deploy",
    "MaxSessionDuration": 7200,
    "AssumeRolePolicyDocument": {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]
    }
  }
}
"""


def test_trust_policy_principals_and_conditions_are_positioned() -> None:
    outcome = parse_source("trust.json", TRUST)
    assert outcome.format == "policy"
    [document] = outcome.inventory.standalone_policies
    assert document.kind is PolicyKind.TRUST
    [statement] = document.statements
    kinds = [(p.kind, p.value.text) for p in statement.principals]
    assert kinds == [
        (PrincipalKind.AWS, "arn:aws:iam::111122223333:root"),
        (PrincipalKind.AWS, "*"),
        (PrincipalKind.SERVICE, "ec2.amazonaws.com"),
    ]
    star = statement.principals[1].value.ref
    assert (star.line, star.column) == (6, 63)
    [condition] = statement.conditions
    assert (condition.operator, condition.key) == ("StringEquals", "sts:ExternalId")
    assert [v.text for v in condition.values] == ["abc", "def"]
    assert condition.ref.line == 8


def test_permission_policy_with_a_single_statement_object() -> None:
    outcome = parse_source("perm.json", PERMISSIONS)
    [document] = outcome.inventory.standalone_policies
    assert document.kind is PolicyKind.PERMISSIONS
    [statement] = document.statements
    assert statement.is_allow
    assert [a.text for a in statement.actions] == ["s3:GetObject"]
    assert statement.resources[0].ref.line == 3


def test_get_role_output_is_a_role() -> None:
    outcome = parse_source("role.json", GET_ROLE)
    assert outcome.format == "get-role"
    [role] = outcome.inventory.roles
    assert role.arn.text == "arn:aws:iam::111122223333:role/deploy"
    assert [v.text for v in role.max_session_duration] == ["7200"]
    assert role.max_session_duration[0].ref.line == 6
    assert role.trust_policy is not None
    assert role.trust_policy.statements[0].principals[0].kind is PrincipalKind.SERVICE


def test_duplicate_keys_become_problems_at_the_second_occurrence() -> None:
    text = '{"Version": "2012-10-17",\n "Statement": [],\n "Statement": []}'
    outcome = parse_source("dup.json", text)
    [problem] = outcome.inventory.problems
    assert problem.kind == "duplicate-key"
    assert problem.ref.line == 3


def test_not_a_policy_is_skipped() -> None:
    assert parse_source("package.json", '{"name": "x"}').format is None
    assert parse_source("events.json", "[1, 2]").format is None


def _get_role_with_trust(text: str) -> str:
    import json

    role = {"RoleName": "deploy", "Arn": "arn:aws:iam::111122223333:role/deploy"}
    return json.dumps({"Role": {**role, "AssumeRolePolicyDocument": text}}, indent=2)


def test_get_role_with_an_unreadable_trust_policy_is_an_input_error() -> None:
    """The trust policy was dropped without a word: the role looked assumable by nobody."""
    outcome = parse_source("role.json", _get_role_with_trust("not a policy at all"))
    assert outcome.format == "get-role"
    [error] = outcome.errors
    assert (error.file, error.line) == ("role.json", 5)  # the string that holds it
    assert "neither JSON nor URL-encoded JSON" in error.message


@pytest.mark.parametrize("trust", [None, 5, ["x"]], ids=["null", "number", "list"])
def test_get_role_with_a_trust_policy_that_is_no_object_is_an_input_error(trust: object) -> None:
    """A null, number or list trust policy was accepted in silence (0 errors, exit 0)."""
    import json

    text = json.dumps({"Role": {"RoleName": "deploy", "AssumeRolePolicyDocument": trust}}, indent=2)
    outcome = parse_source("role.json", text)
    assert outcome.format == "get-role"
    [error] = outcome.errors
    assert (error.file, error.line) == ("role.json", 4)
    assert error.message == (
        "the trust policy of role role.json#deploy is not a policy document object;"
        " who may assume the role is not analyzed"
    )


def test_get_role_names_and_arns_that_are_no_strings_are_input_errors() -> None:
    """``"RoleName": 5`` became a role named "5", an ARN given as a list was read in silence."""
    import json

    role = {"RoleName": 5, "Arn": ["x"], "AssumeRolePolicyDocument": json.loads(TRUST)}
    outcome = parse_source("role.json", json.dumps({"Role": role}, indent=2))
    assert [(e.line, e.message) for e in outcome.errors] == [
        (3, "the role of this get-role output has an invalid RoleName (not a string)"),
        (4, "the role of this get-role output has an invalid Arn (not a string)"),
    ]
    [parsed] = outcome.inventory.roles
    assert parsed.name is None and parsed.id == "role.json"


def test_get_role_with_a_trust_policy_nested_too_deep_says_so() -> None:
    """JSON text nested past the reader's limit is JSON: "neither JSON nor URL-encoded JSON"
    hid the reason."""
    deep = '{"Version":"2012-10-17","Statement":' + "[" * 300 + "]" * 300 + "}"
    outcome = parse_source("role.json", _get_role_with_trust(deep))
    [error] = outcome.errors
    assert (error.line, error.message) == (
        5,
        "the trust policy of role role.json#deploy cannot be read (too deeply nested: more"
        " than 200 levels); who may assume the role is not analyzed",
    )


def test_a_form_encoded_trust_policy_is_read() -> None:
    """quote_plus writes spaces as '+': such a document was unreadable, and then silently so."""
    from urllib.parse import quote_plus

    outcome = parse_source("role.json", _get_role_with_trust(quote_plus(TRUST)))
    assert outcome.errors == []
    [role] = outcome.inventory.roles
    assert role.trust_policy is not None
    assert [p.value.text for p in role.trust_policy.statements[0].principals][:2] == [
        "arn:aws:iam::111122223333:root",
        "*",
    ]


def test_the_account_of_a_get_role_answer_is_the_own_account(tmp_path: Path) -> None:
    """The role trusting its own account's root was reported as trusting a third party without
    an external id (RL102 high), where the export of the same role is silent: both show a role
    as it exists in the account it was read from."""
    import json

    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {
                    "AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
                },
            }
        ],
    }
    role = {"RoleName": "app", "Arn": "arn:aws:iam::111122223333:role/app"}
    text = json.dumps({"Role": {**role, "AssumeRolePolicyDocument": trust}}, indent=2)
    path = tmp_path / "role.json"
    path.write_text(text)
    report = lint_paths([str(path)])
    assert parse_source(str(path), text).own_accounts == {"111122223333"}
    lines = text.splitlines()
    other = next(n for n, line in enumerate(lines, 1) if "444455556666" in line)
    assert {(f.rule_id, f.location.line) for f in report.findings} == {("RL102", other)}


VPC_ENDPOINT_POLICY = """{
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
"""


def test_a_resource_based_policy_file_is_no_trust_policy(tmp_path: Path) -> None:
    """AWS's default VPC endpoint policy was read as a trust policy (its Principal was looked
    at before its Resource): a critical RL101 "anyone may assume the role" for a file that is no
    role's.  IAM refuses a trust policy with a Resource and an identity policy with a Principal:
    a document naming both is a resource-based policy, whose grammar alone is checked."""
    path = tmp_path / "vpce-policy.json"
    path.write_text(VPC_ENDPOINT_POLICY)
    report = lint_paths([str(path)])
    # The missing Version is the one finding (RL602, at the document); no RL101, no RL201.
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL602", 1)]
    [document] = parse_source(str(path), VPC_ENDPOINT_POLICY).inventory.standalone_policies
    assert document.kind is PolicyKind.RESOURCE


def test_a_large_resource_based_policy_is_not_measured_as_a_trust_policy(tmp_path: Path) -> None:
    """A bucket policy over 2,048 characters was reported (RL609) as a trust policy too large
    for IAM: a resource policy's quota is its service's, not IAM's."""
    import json

    accounts = [f"arn:aws:iam::{100000000000 + n}:root" for n in range(80)]
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": accounts},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::shared-bucket/*",
    }
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    path = tmp_path / "bucket-policy.json"
    path.write_text(text)
    assert [(f.rule_id, f.location.line) for f in lint_paths([str(path)]).findings] == []


def test_a_trust_policy_file_with_principals_and_no_resource_stays_a_trust_policy(
    tmp_path: Path,
) -> None:
    text = VPC_ENDPOINT_POLICY.replace('"*",\n      "Resource": "*"', '"sts:AssumeRole"')
    path = tmp_path / "trust.json"
    path.write_text(text)
    [document] = parse_source(str(path), text).inventory.standalone_policies
    assert document.kind is PolicyKind.TRUST
    report = lint_paths([str(path)])
    assert ("RL101", 5) in {(f.rule_id, f.location.line) for f in report.findings}


ECR_REPOSITORY_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowPullFromProd",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    },
    {
      "Sid": "DenyPushExceptCi",
      "Effect": "Deny",
      "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:role/ci"},
      "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload"]
    }
  ]
}
"""


def test_a_resource_policy_without_resource_is_no_trust_policy(tmp_path: Path) -> None:
    """An ECR repository policy names principals and, like AWS's examples, no Resource: it
    was read as a trust policy, and its NotPrincipal reported (RL613) as one IAM rejects in a
    role's trust.  Naming principals makes a trust policy only with role assumption's actions."""
    path = tmp_path / "ecr-repository-policy.json"
    path.write_text(ECR_REPOSITORY_POLICY)
    [document] = parse_source(str(path), ECR_REPOSITORY_POLICY).inventory.standalone_policies
    assert document.kind is PolicyKind.RESOURCE
    assert lint_paths([str(path)]).findings == []


@pytest.mark.parametrize(
    "actions",
    [
        ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"],
        ["sts:*"],
        ["*"],
        ["sts:Assume*"],
        ["STS:ASSUMEROLE"],
    ],
)
def test_principals_with_role_assumption_actions_make_a_trust_policy(
    tmp_path: Path, actions: list[str]
) -> None:
    """The actions of a role's trust policy, and the wildcards that take them in (IAM accepts
    ``sts:*`` and ``*`` there; no other service's policy names sts actions): the trust rules
    still read the file."""
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": actions}
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    path = tmp_path / "trust.json"
    path.write_text(text)
    [document] = parse_source(str(path), text).inventory.standalone_policies
    assert document.kind is PolicyKind.TRUST
    assert "RL101" in {f.rule_id for f in lint_paths([str(path)]).findings}


def test_principals_with_an_action_left_to_a_template_make_a_trust_policy() -> None:
    """An action rolelint cannot read (a ``templatefile`` placeholder) is no evidence either
    way: the file stays a trust policy, as before."""
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "${action}"}
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    [document] = parse_source("trust.json", text).inventory.standalone_policies
    assert document.kind is PolicyKind.TRUST


def test_a_statement_with_action_and_not_action_grants_nothing() -> None:
    """IAM rejects a statement with Action and NotAction: it was read as an Allow with
    NotAction.  Its actions and resources are left out, and the element written second kept."""
    text = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:PutObject",
    "NotAction": "s3:DeleteObject",
    "Resource": "*",
    "Resources": "*"
  }]
}
"""
    [document] = parse_source("p.json", text).inventory.standalone_policies
    [statement] = document.statements
    assert statement.actions == statement.not_actions == statement.resources == ()
    assert statement.has_action and not statement.has_not_action
    assert statement.not_action_ref is None and statement.names_resources
    [second] = statement.conflicting
    assert (second.name, second.ref.line, second.ref.column) == ("NotAction", 6, 5)
    assert [(key.name, key.ref.line) for key in statement.unknown_keys] == [("Resources", 8)]


def test_a_resource_policy_with_resource_and_not_resource_stays_a_resource_policy() -> None:
    """What a statement IAM rejects would grant is left out, but not what kind of policy
    names it: a bucket policy is not read as a trust policy."""
    text = VPC_ENDPOINT_POLICY.replace('"Resource": "*"', '"Resource": "*", "NotResource": "*"')
    assert text != VPC_ENDPOINT_POLICY
    [document] = parse_source("bucket.json", text).inventory.standalone_policies
    assert document.kind is PolicyKind.RESOURCE


# AWS's example stack policy ("Prevent updates to stack resources", CloudFormation User Guide),
# one key per line as the hunt's file has it.
STACK_POLICY = """{
  "Statement" : [
    {
      "Effect" : "Allow",
      "Action" : "Update:*",
      "Principal": "*",
      "Resource" : "*"
    },
    {
      "Effect" : "Deny",
      "Action" : ["Update:Replace", "Update:Delete"],
      "Principal": "*",
      "Resource" : "LogicalResourceId/ProductionDatabase"
    },
    {
      "Effect" : "Deny",
      "NotAction" : "Update:Modify",
      "Principal": "*",
      "NotResource" : "LogicalResourceId/Critical*",
      "Condition" : {
        "StringEquals" : {"ResourceType" : ["AWS::EC2::Instance", "AWS::RDS::DBInstance"]}
      }
    }
  ]
}
"""


def test_a_cloudformation_stack_policy_is_skipped_as_no_iam_policy(tmp_path: Path) -> None:
    """A stack policy was read as an IAM policy: 7 findings (RL602 no Version, RL605 'Update'
    is no service, RL608 'LogicalResourceId/...' is no ARN) and exit 1 for a file IAM never
    sees.  CloudFormation says a stack policy "doesn't provide access controls like an IAM
    policy" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
    protect-stack-resources.html): its actions are ``Update:...`` and its resources
    ``LogicalResourceId/...``, so it is skipped, as other files that are not IAM's are."""
    from rolelint.parsers import SKIP_STACK_POLICY

    outcome = parse_source("stack-policy.json", STACK_POLICY)
    assert (outcome.format, outcome.errors, outcome.skip_reason) == (
        None,
        [],
        SKIP_STACK_POLICY,
    )
    assert "stack policy" in SKIP_STACK_POLICY and "not an IAM policy" in SKIP_STACK_POLICY
    path = tmp_path / "stack-policy.json"
    path.write_text(STACK_POLICY)
    report = lint_paths([str(path)])
    assert (report.findings, report.errors, report.files_analyzed) == ([], [], 0)
    assert report.skipped_by_reason == {SKIP_STACK_POLICY: 1}


# A role as AWS Config records it (``aws configservice get-resource-config-history``, or a
# configuration snapshot or history file): documents URL-encoded, as AWS Config stores them.
_OPEN_TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",' + (
    ' "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
)
CONFIG_ROLE = json.dumps(
    {
        "version": "1.3",
        "accountId": "111122223333",
        "configurationItemStatus": "OK",
        "resourceType": "AWS::IAM::Role",
        "resourceName": "open",
        "ARN": "arn:aws:iam::111122223333:role/open",
        "awsRegion": "global",
        "configuration": {
            "path": "/",
            "roleName": "open",
            "arn": "arn:aws:iam::111122223333:role/open",
            "assumeRolePolicyDocument": quote(_OPEN_TRUST),
            "rolePolicyList": [],
            "attachedManagedPolicies": [],
        },
    },
    indent=2,
)


@pytest.mark.parametrize(
    "text",
    [
        '{"configurationItems": [' + CONFIG_ROLE + "]}",
        '{"fileVersion": "1.0", "configSnapshotId": "x", "configurationItems": ['
        + CONFIG_ROLE
        + "]}",
        '{"baseConfigurationItems": [' + CONFIG_ROLE + '], "unprocessedResourceKeys": []}',
        CONFIG_ROLE,
    ],
    ids=["history", "snapshot-file", "batch-get", "single-item"],
)
def test_aws_config_configuration_items_are_skipped_as_not_read(tmp_path: Path, text: str) -> None:
    """AWS Config items of an IAM role were skipped as "not a CloudFormation template or IAM
    policy", although the file holds the role's policies: nothing said that rolelint does not
    read the format, and a role open to anyone went by with exit 0."""
    from rolelint.parsers import SKIP_CONFIG_ITEMS

    outcome = parse_source("config.json", text)
    assert (outcome.format, outcome.errors, outcome.skip_reason) == (None, [], SKIP_CONFIG_ITEMS)
    assert "AWS Config" in SKIP_CONFIG_ITEMS and "not read" in SKIP_CONFIG_ITEMS
    path = tmp_path / "config.json"
    path.write_text(text)
    report = lint_paths([str(path)])
    assert (report.findings, report.errors, report.files_analyzed) == ([], [], 0)
    assert report.skipped_by_reason == {SKIP_CONFIG_ITEMS: 1}


def test_a_config_history_with_a_deleted_resource_item_is_skipped_as_config(
    tmp_path: Path,
) -> None:
    """The history of a deleted role ends with an item that has no ``configuration`` (it is
    optional: a ResourceDeleted item has none).  The file was skipped as "not a CloudFormation
    template or IAM policy", not under the Config reason the README promises."""
    from rolelint.parsers import SKIP_CONFIG_ITEMS

    deleted = {
        "version": "1.3",
        "accountId": "111122223333",
        "configurationItemStatus": "ResourceDeleted",
        "configurationItemCaptureTime": "2024-05-01T10:00:00.000Z",
        "resourceType": "AWS::IAM::Role",
        "resourceId": "AROAEXAMPLE",
        "resourceName": "open",
    }
    text = '{"configurationItems": [' + json.dumps(deleted) + ", " + CONFIG_ROLE + "]}"
    assert parse_source("config.json", text).skip_reason == SKIP_CONFIG_ITEMS
    alone = json.dumps({"configurationItems": [deleted]})
    assert parse_source("config.json", alone).skip_reason == SKIP_CONFIG_ITEMS
    path = tmp_path / "config-history.json"
    path.write_text(text)
    report = lint_paths([str(path)])
    assert (report.findings, report.errors, report.files_analyzed) == ([], [], 0)
    assert report.skipped_by_reason == {SKIP_CONFIG_ITEMS: 1}


def test_a_mapping_with_a_resource_type_alone_is_no_aws_config_item() -> None:
    from rolelint.parsers import SKIP_NOT_IAC

    outcome = parse_source("x.json", '{"resourceType": "AWS::IAM::Role", "name": "x"}')
    assert outcome.skip_reason == SKIP_NOT_IAC


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"Update:Replace", "Update:Delete"', '"Update:Replace", "s3:DeleteObject"'),
        ('"LogicalResourceId/ProductionDatabase"', '"arn:aws:s3:::bucket/*"'),
        ('"Update:*"', '{"Ref": "Actions"}'),
    ],
    ids=["an-iam-action", "an-arn", "not-a-string"],
)
def test_a_policy_with_anything_but_stack_policy_grammar_stays_an_iam_policy(
    old: str, new: str
) -> None:
    """Only a document written wholly in a stack policy's grammar is skipped: one IAM action,
    one ARN or a value that is no string, and it is read (and judged) as before."""
    text = STACK_POLICY.replace(old, new, 1)
    assert text != STACK_POLICY
    assert parse_source("policy.json", text).format == "policy"


ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
ANYONE_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


def _lint(tmp_path: Path, name: str, answer: object) -> tuple[str, list[tuple[str, int, str]]]:
    """The answer written as the CLI writes it (indented JSON), and its findings."""
    import json

    text = json.dumps(answer, indent=2)
    path = tmp_path / name
    path.write_text(text)
    report = lint_paths([str(path)])
    assert report.errors == [] and report.skipped_by_reason == {}
    return text, [(f.rule_id, f.location.line, f.message) for f in report.findings]


def _line(text: str, fragment: str, nth: int = 1) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][nth - 1]


def test_list_roles_output_is_read_as_its_roles(tmp_path: Path) -> None:
    """``aws iam list-roles`` was skipped as "not a CloudFormation template or IAM policy",
    although each of its roles is a get-role answer's ``Role``: the wildcard trust went
    unreported.  A trust policy given URL-encoded (the raw API's) is read too, at its string."""
    import json
    from urllib.parse import quote

    roles = [
        {
            "RoleName": "app-role",
            "Arn": "arn:aws:iam::111122223333:role/app-role",
            "AssumeRolePolicyDocument": ANYONE_TRUST,
            "MaxSessionDuration": 50000,
        },
        {
            "RoleName": "raw-role",
            "Arn": "arn:aws:iam::111122223333:role/raw-role",
            "AssumeRolePolicyDocument": quote(json.dumps(ANYONE_TRUST)),
        },
    ]
    text, findings = _lint(tmp_path, "roles.json", {"Roles": roles, "IsTruncated": False})
    path = str(tmp_path / "roles.json")
    assert [(rule, line) for rule, line, _ in findings] == [
        ("RL101", _line(text, '"AWS": "*"')),
        ("RL301", _line(text, '"MaxSessionDuration"')),
        ("RL101", _line(text, '"AssumeRolePolicyDocument": "%7B')),
    ]
    assert findings[0][2].startswith(f"Trust policy of role {path}#app-role allows any")
    assert findings[2][2].startswith(f"Trust policy of role {path}#raw-role allows any")
    outcome = parse_source(path, text)
    assert outcome.format == "list-roles"
    assert outcome.own_accounts == {"111122223333"}


def test_list_roles_entries_that_are_no_named_roles_are_input_errors() -> None:
    """A malformed entry is skipped with an error at its line; the other roles are read."""
    import json

    roles = [
        "app-role",
        {"AssumeRolePolicyDocument": ANYONE_TRUST},
        {"RoleName": "ok", "AssumeRolePolicyDocument": ANYONE_TRUST},
        {"RoleName": "ok", "AssumeRolePolicyDocument": ANYONE_TRUST},
    ]
    text = json.dumps({"Roles": roles}, indent=2)
    outcome = parse_source("roles.json", text)
    assert [(e.line, e.message) for e in outcome.errors] == [
        (3, "an entry of Roles is not a role with an AssumeRolePolicyDocument; skipped"),
        (4, "a role of Roles without a valid RoleName is skipped"),
        (
            _line(text, '"RoleName": "ok"', 2) - 1,
            "role ok is listed twice in Roles; the second is skipped",
        ),
    ]
    assert [role.id for role in outcome.inventory.roles] == ["roles.json#ok"]


@pytest.mark.parametrize(
    ("paging", "key", "after"),
    [
        ({"IsTruncated": True, "Marker": "abc"}, "IsTruncated", "Marker"),
        ({"NextToken": "eyJ9"}, "NextToken", "NextToken"),
    ],
)
def test_a_list_roles_answer_cut_short_says_its_roles_are_missing(
    paging: dict[str, object], key: str, after: str
) -> None:
    """A list-roles answer of one page under --max-items read like the whole account: the
    roles of the later pages were silently never analyzed.  Now a notice at the paging key
    says so, as the account export's does; a complete answer has none."""
    import json

    roles = [{"RoleName": "ok", "AssumeRolePolicyDocument": ANYONE_TRUST}]
    text = json.dumps({"Roles": roles, **paging}, indent=2)
    outcome = parse_source("roles.json", text)
    assert [(n.line, n.message) for n in outcome.notices] == [
        (
            _line(text, f'"{key}"'),
            f"the list-roles answer is incomplete ({key}): the roles of the pages after "
            f"{after} are missing, so they are not analyzed; list again without --max-items "
            "or --no-paginate",
        )
    ]
    assert [role.id for role in outcome.inventory.roles] == ["roles.json#ok"]
    complete = json.dumps({"Roles": roles, "IsTruncated": False}, indent=2)
    assert parse_source("roles.json", complete).notices == []


@pytest.mark.parametrize(
    "holder", [("RoleName", "role"), ("UserName", "user"), ("GroupName", "group")]
)
def test_get_role_policy_output_is_an_inline_policy(
    tmp_path: Path, holder: tuple[str, str]
) -> None:
    """``aws iam get-role-policy`` (and get-user-policy, get-group-policy) was skipped: an
    inline policy granting full administrator access went unreported.  It is named as the
    account export names an inline policy."""
    key, noun = holder
    answer = {key: "app-role", "PolicyName": "admin", "PolicyDocument": ADMIN}
    text, findings = _lint(tmp_path, "inline.json", answer)
    path = str(tmp_path / "inline.json")
    [(rule, line, message)] = findings
    assert (rule, line) == ("RL201", _line(text, '"Action": "*"'))
    assert message.startswith(f"Inline policy 'admin' of {noun} {path}#app-role allows every")
    assert parse_source(path, text).format == "get-role-policy"


def test_get_role_policy_output_with_an_encoded_document_points_at_the_string() -> None:
    """The raw API returns the document URL-encoded; an unreadable one is an input error."""
    import json
    from urllib.parse import quote

    answer = {
        "RoleName": "app-role",
        "PolicyName": "admin",
        "PolicyDocument": quote(json.dumps(ADMIN)),
    }
    outcome = parse_source("inline.json", json.dumps(answer, indent=2))
    [document] = outcome.inventory.standalone_policies
    assert (document.kind, document.resource, document.ref.line) == (
        PolicyKind.PERMISSIONS,
        "inline.json#app-role",
        4,
    )
    assert document.statements[0].actions[0].ref.line == 4
    answer["PolicyDocument"] = "not a policy"
    [error] = parse_source("inline.json", json.dumps(answer, indent=2)).errors
    assert (error.line, error.message) == (
        4,
        "the inline policy 'admin' of role inline.json#app-role is a string that is neither "
        "JSON nor URL-encoded JSON; what it allows is not analyzed",
    )


def test_get_policy_version_output_is_a_managed_policy(tmp_path: Path) -> None:
    """``aws iam get-policy-version`` was skipped: its document is a managed policy's."""
    answer = {"PolicyVersion": {"Document": ADMIN, "VersionId": "v3", "IsDefaultVersion": True}}
    text, findings = _lint(tmp_path, "version.json", answer)
    assert [(rule, line) for rule, line, _ in findings] == [("RL201", _line(text, '"Action"'))]
    assert findings[0][2].startswith("The policy allows every action ('*') on '*'")
    outcome = parse_source(str(tmp_path / "version.json"), text)
    assert outcome.format == "get-policy-version"
    [document] = outcome.inventory.standalone_policies
    assert document.managed and document.kind is PolicyKind.PERMISSIONS
    assert "version v3" in document.origin


def test_a_policy_answer_cut_short_is_an_input_error() -> None:
    """An encoded document holds no "Statement": the answer's own keys mark it as AWS's."""
    for text in (
        '{"PolicyVersion": {"Document": "%7B%22Vers',
        '{"RoleName": "app", "PolicyName": "admin", "PolicyDocument": "%7B%22Vers',
    ):
        outcome = parse_source("answer.json", text)
        assert outcome.format is None
        assert [(e.line, e.message.startswith("invalid JSON")) for e in outcome.errors] == [
            (1, True)
        ]
