"""Terraform plan and state JSON (``terraform show -json``): detection, the role model, findings.

The fixtures are pretty-printed as ``terraform show -json plan.out | jq .`` prints them; the
positions asserted here are lines and columns of that text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Report
from rolelint.model import (
    THIS_ACCOUNT,
    IdentityKind,
    Inventory,
    PolicyDocument,
    PolicyKind,
    PrincipalKind,
    Value,
)
from rolelint.parsers import SKIP_NOT_IAC, SKIP_RAW_STATE, parse_source
from rolelint.parsers.terraform_plan import UNKNOWN, looks_like_plan
from rolelint.parsers.tree import PMap
from tests.conftest import FIXTURES, run_rolelint
from tests.parsers.cfn_helpers import at, identity, role
from tests.rules.harness import finding_set, line_of

PLANS = FIXTURES / "parsers" / "terraform-plan"
PLAN = PLANS / "plan.json"
STATE = PLANS / "state.json"
PLAN_FORMAT = "terraform-plan"


def parse_file(path: Path) -> Inventory:
    outcome = parse_source(str(path), path.read_text(encoding="utf-8"))
    assert outcome.format == PLAN_FORMAT
    assert outcome.errors == []
    return outcome.inventory


def parse_plan_text(text: str, name: str = "plan.json") -> Inventory:
    outcome = parse_source(name, text)
    assert outcome.format == PLAN_FORMAT, outcome.errors
    return outcome.inventory


def actions(document: PolicyDocument) -> list[str | None]:
    return [action.text for statement in document.statements for action in statement.actions]


def policy_text(*statements: dict[str, Any]) -> str:
    """A policy as ``jsonencode`` renders it into a plan: compact, keys sorted."""
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


ASSUME_BY_ANYONE = policy_text(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}
)


def resource(kind: str, name: str, values: dict[str, Any], module: str = "") -> dict[str, Any]:
    prefix = f"{module}." if module else ""
    return {
        "address": f"{prefix}{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }


def change(address: str, after_unknown: Any) -> dict[str, Any]:
    return {"address": address, "change": {"actions": ["create"], "after_unknown": after_unknown}}


def plan_text(
    resources: list[dict[str, Any]],
    changes: list[dict[str, Any]] | None = None,
    configuration: dict[str, Any] | None = None,
    child_modules: list[dict[str, Any]] | None = None,
) -> str:
    root_module: dict[str, Any] = {"resources": resources}
    if child_modules:
        root_module["child_modules"] = child_modules
    document: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": "1.6.6",
        "planned_values": {"root_module": root_module},
        "resource_changes": changes or [],
    }
    if configuration is not None:
        document["configuration"] = {"root_module": configuration}
    return json.dumps(document, indent=2)


def configured(kind: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    """A resource of the plan's ``configuration`` section."""
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "expressions": expressions,
    }


def lint_text(tmp_path: Path, text: str, name: str = "plan.json") -> set[tuple[str, int]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    assert report.files_analyzed == 1
    return finding_set(report.findings)


# --- detection ------------------------------------------------------------------------------------


def test_plans_and_states_are_recognized_by_their_top_level_keys() -> None:
    def mapping(*keys: str) -> PMap:
        node = PMap()
        for key in keys:
            node.set(key, {}, None, None)
        return node

    assert looks_like_plan(mapping("format_version", "planned_values"))
    assert looks_like_plan(mapping("format_version", "values"))
    assert not looks_like_plan(mapping("format_version"))
    assert not looks_like_plan(mapping("planned_values"))
    assert not looks_like_plan(mapping("Version", "Statement"))
    assert not looks_like_plan([mapping("format_version", "planned_values")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PLAN.read_text(encoding="utf-8"), PLAN_FORMAT),
        (STATE.read_text(encoding="utf-8"), PLAN_FORMAT),
        (policy_text({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}), "policy"),
        (
            json.dumps(
                {
                    "AWSTemplateFormatVersion": "2010-09-09",
                    "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
                }
            ),
            "cloudformation",
        ),
        (json.dumps({"format_version": "1.0", "terraform_version": "1.6.6"}), None),
    ],
    ids=["plan", "state", "policy", "cloudformation", "empty-state"],
)
def test_parse_source_tells_plans_from_policies_and_templates(
    text: str, expected: str | None
) -> None:
    outcome = parse_source("input.json", text)
    assert outcome.errors == []
    assert outcome.format == expected


def test_a_truncated_plan_is_an_input_error_not_a_silent_skip() -> None:
    text = PLAN.read_text(encoding="utf-8")[:5000]
    outcome = parse_source("plan.json", text)
    assert outcome.format is None
    assert [error.message.startswith("invalid JSON") for error in outcome.errors] == [True]


def test_a_truncated_state_is_an_input_error_not_a_silent_skip() -> None:
    """A state has no "planned_values" and its policies are escaped JSON strings: cut short, it
    was skipped as not IaC (exit 0), where a broken file meant for AWS is an error."""
    text = STATE.read_text(encoding="utf-8")[:400]
    outcome = parse_source("state.json", text)
    assert outcome.format is None
    line = text.count("\n") + 1
    column = text.rfind('"') - text.rfind("\n")  # the quote that opens the cut string
    assert [(error.line, error.column, error.message) for error in outcome.errors] == [
        (
            line,
            column,
            f"invalid JSON: unterminated string starting at line {line} column {column}",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{"format_version": "1.0", "provider_schemas": {',  # terraform providers schema -json
        '{"values": {"replicas": 2,',  # a values file
    ],
)
def test_broken_json_of_other_tools_is_still_skipped(text: str) -> None:
    outcome = parse_source("other.json", text)
    assert (outcome.format, outcome.errors, outcome.skip_reason) == (None, [], SKIP_NOT_IAC)


def test_a_raw_state_is_skipped_with_a_reason_that_says_what_to_read(tmp_path: Path) -> None:
    """A ``terraform.tfstate`` was skipped as "not a CloudFormation template or IAM policy",
    which did not say that its ``terraform show -json`` output is read."""
    trust = ASSUME_BY_ANYONE
    raw = {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "x",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": "aws_iam_role",
                "name": "r",
                "instances": [{"attributes": {"name": "r", "assume_role_policy": trust}}],
            }
        ],
    }
    outcome = parse_source("terraform.tfstate", json.dumps(raw))
    assert (outcome.format, outcome.errors, outcome.skip_reason) == (None, [], SKIP_RAW_STATE)
    assert "terraform show -json" in SKIP_RAW_STATE


# --- roles ----------------------------------------------------------------------------------------


def test_role_attributes_are_read_with_their_positions() -> None:
    deploy = role(parse_file(PLAN), "aws_iam_role.deploy")
    assert deploy.ref.span is not None
    assert (deploy.ref.line, deploy.ref.column) == (114, 22)
    assert deploy.name is not None and deploy.name.text == "deploy"
    assert deploy.path is not None and deploy.path.text == "/ci/"
    # The ARN is known only after apply: the symbolic one, as for a CloudFormation role.
    assert deploy.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/ci/deploy"
    assert [(v.text, at(v)) for v in deploy.max_session_duration] == [("7200", (130, 37))]
    assert deploy.permissions_boundary is not None
    assert deploy.permissions_boundary.text == "arn:aws:iam::111122223333:policy/ci-boundary"
    assert at(deploy.permissions_boundary) == (133, 37)


def test_trust_policy_elements_point_at_the_policy_string() -> None:
    deploy = role(parse_file(PLAN), "aws_iam_role.deploy")
    trust = deploy.trust_policy
    assert trust is not None
    assert trust.kind is PolicyKind.TRUST
    assert trust.origin == "trust policy of role aws_iam_role.deploy"
    (statement,) = trust.statements
    assert statement.sid == "CiRunner"
    assert [(p.kind, p.value.text, at(p.value)) for p in statement.principals] == [
        (PrincipalKind.AWS, "arn:aws:iam::111122223333:role/ci/ci-runner", (121, 35))
    ]
    assert [(a.text, at(a)) for a in statement.actions] == [("sts:AssumeRole", (121, 35))]
    assert trust.version is not None and trust.version.text == "2012-10-17"


def test_inline_role_policies_and_attached_policies_reach_the_role() -> None:
    deploy = role(parse_file(PLAN), "aws_iam_role.deploy")
    documents = [(d.origin, d.resource, d.ref.line, actions(d)) for d in deploy.policies]
    assert documents == [
        (
            "inline policy 'read-artifacts' of role aws_iam_role.deploy",
            "aws_iam_role.deploy",
            127,
            ["s3:GetObject", "s3:ListBucket"],
        ),
        (
            "inline policy aws_iam_role_policy.deploy_logs",
            "aws_iam_role_policy.deploy_logs",
            216,
            ["logs:CreateLogStream", "logs:PutLogEvents"],
        ),
        # policy_arn is known only after apply: linked through the configuration's references.
        (
            "policy aws_iam_policy.deploy",
            "aws_iam_policy.deploy",
            89,
            ["cloudformation:CreateStack", "cloudformation:UpdateStack", "iam:PassRole"],
        ),
    ]
    assert [(m.arn.text, at(m.arn)) for m in deploy.managed_policy_arns] == [
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", (254, 27))
    ]


def test_child_module_resources_keep_their_module_address() -> None:
    inventory = parse_file(PLAN)
    runner = role(inventory, "module.ci.aws_iam_role.this")
    assert runner.ref.line == 440
    assert runner.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/ci/ci-runner"
    assert runner.trust_policy is not None
    (principal,) = runner.trust_policy.statements[0].principals
    assert principal.kind is PrincipalKind.FEDERATED
    assert at(principal.value) == (447, 39)
    conditions = runner.trust_policy.statements[0].conditions
    assert [(c.operator, c.key, c.ref.line) for c in conditions] == [
        ("StringEquals", "token.actions.githubusercontent.com:aud", 447),
        ("StringLike", "token.actions.githubusercontent.com:sub", 447),
    ]
    # Linked by the module-relative reference aws_iam_policy.assume.arn.
    assert [(d.resource, actions(d)) for d in runner.policies] == [
        ("module.ci.aws_iam_policy.assume", ["sts:AssumeRole"])
    ]


def test_for_each_instances_are_roles_of_their_own() -> None:
    inventory = parse_file(PLAN)
    ids = [r.id for r in inventory.roles]
    assert ids == [
        "aws_iam_role.app",
        "aws_iam_role.deploy",
        "aws_iam_role.github",
        'aws_iam_role.team["analytics"]',
        'aws_iam_role.team["platform"]',
        "module.ci.aws_iam_role.this",
    ]
    analytics = role(inventory, 'aws_iam_role.team["analytics"]')
    assert analytics.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/teams/team-analytics"
    # team_readonly["analytics"] attaches to aws_iam_role.team[each.key], its own key: the
    # plan knows neither role by name, so the key alone tells which instance is meant.
    readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert [m.arn.text for m in analytics.managed_policy_arns] == [readonly]
    platform = role(inventory, 'aws_iam_role.team["platform"]')
    assert platform.managed_policy_arns == ()


def test_instance_profile_links_a_role_known_only_by_reference() -> None:
    inventory = parse_file(PLAN)
    app = role(inventory, "aws_iam_role.app")
    assert app.instance_profiles == ("aws_iam_instance_profile.app",)
    # As IAM names it, which an ec2:InstanceProfile test compares: by its name, not address.
    assert [v.text for v in app.instance_profile_arns] == [
        f"arn:aws:iam::{THIS_ACCOUNT}:instance-profile/app-profile"
    ]
    assert role(inventory, "aws_iam_role.deploy").instance_profiles == ()


def test_users_and_groups_hold_their_policies() -> None:
    inventory = parse_file(PLAN)
    bot = identity(inventory, "aws_iam_user.ci_bot")
    assert bot.kind is IdentityKind.USER
    assert bot.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:user/bots/ci-bot"
    assert [(d.origin, d.ref.line, actions(d)) for d in bot.policies] == [
        ("inline policy aws_iam_user_policy.ci_bot", 297, ["sts:AssumeRole"])
    ]
    ops = identity(inventory, "aws_iam_group.ops")
    assert ops.kind is IdentityKind.GROUP
    assert [(d.ref.line, actions(d)) for d in ops.policies] == [(41, ["ec2:Describe*"])]


def test_compute_resources_carry_profile_and_http_tokens() -> None:
    compute = {c.id: c for c in parse_file(PLAN).compute}
    assert sorted(compute) == [
        "aws_instance.app",
        "aws_instance.bastion",
        "aws_instance.builder",
        "aws_launch_template.worker",
    ]
    app = compute["aws_instance.app"]
    assert app.kind == "aws_instance"
    assert app.instance_profile is not None
    assert (app.instance_profile.text, at(app.instance_profile)) == (
        "aws_iam_instance_profile.app",
        (311, 37),
    )
    assert app.http_tokens is not None
    assert (app.http_tokens.text, at(app.http_tokens)) == ("required", (317, 32))
    # Not configured: the provider fills metadata_options at apply, AWS defaults apply.
    assert compute["aws_instance.bastion"].http_tokens is None
    # No iam_instance_profile in the configuration: no profile, not an unknown one.
    assert compute["aws_instance.builder"].instance_profile is None
    worker = compute["aws_launch_template.worker"]
    assert worker.instance_profile is not None
    assert worker.instance_profile.text == "aws_iam_instance_profile.app"
    assert worker.http_tokens is not None
    assert (worker.http_tokens.text, at(worker.http_tokens)) == ("optional", (391, 32))


EC2_TRUST = policy_text(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
)
PROFILE_ARN = "arn:aws:iam::111122223333:instance-profile/ec2/app-ec2"


def profile_by_arn_plan() -> str:
    """A plan creating role app and its instance profile app-ec2 (path /ec2/, ARN known only
    after apply), and a launch template, a launch configuration and an instance naming that
    profile by the literal ARN it will have in account 111122223333."""
    imdsv1 = {"metadata_options": [{"http_endpoint": "enabled", "http_tokens": "optional"}]}
    ami = "ami-0123456789abcdef0"
    resources = [
        resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": EC2_TRUST}),
        resource(
            "aws_iam_instance_profile", "app", {"name": "app-ec2", "path": "/ec2/", "role": "app"}
        ),
        resource(
            "aws_launch_template",
            "by_arn",
            {"iam_instance_profile": [{"arn": PROFILE_ARN}], **imdsv1},
        ),
        resource(
            "aws_launch_configuration",
            "by_arn",
            {"image_id": ami, "iam_instance_profile": PROFILE_ARN, **imdsv1},
        ),
        resource(
            "aws_instance", "own", {"ami": ami, "iam_instance_profile": PROFILE_ARN, **imdsv1}
        ),
    ]
    changes = [change("aws_iam_instance_profile.app", {"arn": True, "id": True})]
    return plan_text(resources, changes)


@pytest.mark.parametrize(
    ("account", "linked"),
    [
        (None, True),  # the plan's account is not known: the name finds the profile
        ("111122223333", True),  # the ARN's account is the plan's
        ("444455556666", False),  # another account's profile of that name
    ],
)
def test_a_profile_named_by_arn_is_the_plans_profile_of_that_name(
    tmp_path: Path, account: str | None, linked: bool
) -> None:
    """A launch template's ``iam_instance_profile { arn = "arn:...:instance-profile/ec2/app-ec2" }``
    and a launch configuration's ARN, the profile the plan creates (its ARN known only after
    apply): the HCL reader finds the profile by the ARN's name (instance_profiles.profile_name),
    the plan reader looked the ARN up among names and known ARNs only, so RL501 named no role.
    An instance's own ``iam_instance_profile`` is a name to EC2: an ARN there fails the
    apply, so it names no profile (a note says so, as in HCL)."""
    text = profile_by_arn_plan()
    if account is not None:
        text = with_caller(text, account)
    compute = {c.id: c for c in parse_plan_text(text).compute}
    profile = "aws_iam_instance_profile.app" if linked else PROFILE_ARN
    said = {
        kind: (compute[kind].instance_profile or Value(None, compute[kind].ref)).text
        for kind in ("aws_launch_template.by_arn", "aws_launch_configuration.by_arn")
    }
    assert said == dict.fromkeys(said, profile)
    assert compute["aws_instance.own"].instance_profile is None
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    found = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL501"]
    roles = {f.resource: f.role for f in found}
    role_of_profile = "aws_iam_role.app" if linked else None
    assert roles == {
        "aws_launch_template.by_arn": role_of_profile,
        "aws_launch_configuration.by_arn": role_of_profile,
    }


# --- unknown values -------------------------------------------------------------------------------


def test_values_known_only_after_apply_stay_unresolved() -> None:
    inventory = parse_file(PLAN)
    app = role(inventory, "aws_iam_role.app")
    assert app.name is not None
    assert (app.name.text, app.name.unresolved_reason) == (None, UNKNOWN)
    # A generated name: a placeholder no literal ARN pattern can match by accident.
    assert app.arn.text == (
        f"arn:aws:iam::{THIS_ACCOUNT}:role/app-<generated:{app.ref.file}#aws_iam_role.app>"
    )
    github = role(inventory, "aws_iam_role.github")
    assert github.trust_policy is None  # rendered from a data source read at apply
    assert github.policies == ()  # its aws_iam_role_policy text is unknown too
    assert all(d.resource != "aws_iam_role_policy.github" for d in inventory.standalone_policies)


def test_the_plan_fixture_reports_only_what_is_known() -> None:
    report = lint_paths([str(PLAN)])
    assert report.errors == []
    assert finding_set(report.findings) == {
        ("RL102", 121),  # deploy trusts a role of account 111122223333 without an external id
        ("RL304", 130),  # deploy's 7200 s sessions: only that role assumes it, so chained (1 h)
        ("RL501", 342),  # the bastion's instance profile, no metadata_options configured
        ("RL501", 391),  # the worker template's http_tokens = "optional"
    }
    assert report.roles == 6


def test_unknown_trust_policy_and_session_duration_give_no_finding(tmp_path: Path) -> None:
    values = {"name": "vendor", "path": "/"}
    text = plan_text(
        [resource("aws_iam_role", "vendor", values)],
        [change("aws_iam_role.vendor", {"assume_role_policy": True, "max_session_duration": True})],
    )
    (vendor,) = parse_plan_text(text).roles
    assert vendor.trust_policy is None
    assert [(v.text, v.unresolved_reason) for v in vendor.max_session_duration] == [(None, UNKNOWN)]
    assert lint_text(tmp_path, text) == set()


def test_a_trust_or_managed_policy_known_only_after_apply_is_named_in_a_note(
    tmp_path: Path,
) -> None:
    """A trust policy and an aws_iam_policy rendered from resources the plan creates were
    dropped without a word (0 findings, no note) where the HCL reader notes both, and where an
    aws_iam_role_policy in the same plan got its note: a clean result read as "nothing to
    report" instead of a lower bound.  Now each gets the same note, once, at its resource;
    a text a hand-written plan simply leaves out (no mark, no configuration) gets none."""
    text = plan_text(
        [
            resource("aws_iam_role", "r", {"name": "r", "path": "/"}),
            resource("aws_iam_policy", "p", {"name": "p", "path": "/"}),
            resource("aws_iam_role", "bare", {"name": "bare"}),
        ],
        [
            change("aws_iam_role.r", {"assume_role_policy": True, "arn": True}),
            change("aws_iam_policy.p", {"policy": True, "arn": True}),
        ],
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert (report.findings, report.errors) == ([], [])
    assert sorted((n.line, n.message) for n in report.notices) == [
        (
            line_of(text, '"address": "aws_iam_role.r"'),
            "the trust policy of role aws_iam_role.r is not analyzed: known only after apply",
        ),
        (
            line_of(text, '"address": "aws_iam_policy.p"'),
            "the policy aws_iam_policy.p is not analyzed: known only after apply",
        ),
    ]


def test_every_policy_text_known_only_after_apply_gets_one_note(tmp_path: Path) -> None:
    """Each caller of the plan's document reader added the note itself, and the permission
    set's inline policy did not: a policy text known only after apply there gave neither a
    note nor a finding.  The reader now notes it for every caller, and once: a role's
    inline_policy entry, a role policy resource and a permission set's policy each get one."""
    inline = {"name": "own", "policy": None}
    text = plan_text(
        [
            resource("aws_iam_role", "r", {"name": "r", "inline_policy": [inline]}),
            resource("aws_iam_role_policy", "rp", {"name": "rp", "role": "r"}),
            resource(
                "aws_ssoadmin_permission_set_inline_policy",
                "ps",
                {"permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-1"},
            ),
        ],
        [
            change("aws_iam_role.r", {"inline_policy": [{"policy": True}]}),
            change("aws_iam_role_policy.rp", {"policy": True}),
            change("aws_ssoadmin_permission_set_inline_policy.ps", {"inline_policy": True}),
        ],
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert (report.findings, report.errors) == ([], [])
    assert sorted(n.message for n in report.notices) == [
        "the inline policy 'own' of role aws_iam_role.r is not analyzed: known only after apply",
        "the inline policy aws_iam_role_policy.rp is not analyzed: known only after apply",
        "the inline policy aws_ssoadmin_permission_set_inline_policy.ps of a permission set is"
        " not analyzed: known only after apply",
    ]


def test_an_attached_policy_known_only_after_apply_is_not_called_missing(tmp_path: Path) -> None:
    """An aws_iam_policy of the plan whose text is known only after apply, attached to a role,
    was held as a bare ARN: the role's card said "its text is not in the scanned files" of a
    policy in the same plan.  The role now holds the unread policy that stands for it, with
    the reason, and the card says its text is known only after apply."""
    arn = "arn:aws:iam::111122223333:policy/p"
    text = plan_text(
        [
            resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": EC2_TRUST}),
            resource("aws_iam_policy", "p", {"name": "p", "arn": arn}),
            resource("aws_iam_role_policy_attachment", "a", {"role": "app", "policy_arn": arn}),
        ],
        [change("aws_iam_policy.p", {"policy": True})],
    )
    (role,) = parse_plan_text(text).roles
    (held,) = role.managed_policy_arns
    assert (held.origin, held.inline, held.arn.unresolved_reason) == (
        "policy aws_iam_policy.p",
        False,
        UNKNOWN,
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    card = run_rolelint("show", "aws_iam_role.app", str(path), "--no-cache").stdout
    assert "policy aws_iam_policy.p: not readable here (its text is unresolved: known only" in card
    assert "not in the scanned files" not in card


def test_an_unknown_attachment_without_configuration_attaches_nothing(tmp_path: Path) -> None:
    text = plan_text(
        [
            resource("aws_iam_role", "ci", {"name": "ci", "assume_role_policy": ASSUME_BY_ANYONE}),
            resource("aws_iam_role_policy_attachment", "admin", {"role": "ci"}),
        ],
        [change("aws_iam_role_policy_attachment.admin", {"policy_arn": True})],
    )
    (ci,) = parse_plan_text(text).roles
    assert [(m.arn.text, m.arn.unresolved_reason) for m in ci.managed_policy_arns] == [
        (None, UNKNOWN)
    ]
    assert lint_text(tmp_path, text) == {("RL101", line_of(text, "assume_role_policy"))}


@pytest.mark.parametrize(
    ("kind", "role_key", "policy_key"),
    [
        ("aws_iam_role_policy_attachment", "role", "policy_arn"),
        ("aws_iam_role_policy_attachments_exclusive", "role_name", "policy_arns"),
    ],
)
def test_an_attachment_without_values_is_linked_by_its_references(
    tmp_path: Path, kind: str, role_key: str, policy_key: str
) -> None:
    """Terraform writes no ``values`` for a resource whose every attribute is known only after
    apply (``role = aws_iam_role.admin.id``, ``policy_arn = aws_iam_policy.admin.arn``): the
    attachment was dropped, so the admin role held nothing and no path to it was found."""
    admin_trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        }
    )
    hop = policy_text({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    entry: dict[str, Any] = {"name": "entry", "assume_role_policy": SERVICE_TRUST}
    entry["inline_policy"] = [{"name": "hop", "policy": hop}]
    attachment = resource(kind, "admin", {})
    del attachment["values"]
    policy_reference = ["aws_iam_policy.admin.arn", "aws_iam_policy.admin"]
    text = with_caller(
        plan_text(
            [
                resource("aws_iam_policy", "admin", {"name_prefix": "a", "policy": EVERYTHING}),
                resource(
                    "aws_iam_role", "admin", {"name": "admin", "assume_role_policy": admin_trust}
                ),
                resource("aws_iam_role", "entry", entry),
                attachment,
            ],
            [change(f"{kind}.admin", {"id": True, role_key: True, policy_key: True})],
            configuration={
                "resources": [
                    configured(
                        kind,
                        "admin",
                        {
                            role_key: {
                                "references": ["aws_iam_role.admin.id", "aws_iam_role.admin"]
                            },
                            policy_key: {"references": policy_reference},
                        },
                    )
                ]
            },
        )
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    findings = lint_paths([str(path)]).findings
    found = {(f.rule_id, f.location.line, f.severity.value) for f in findings}
    hop_line = line_of(text, 'sts:AssumeRole\\",\\"Effect\\":\\"Allow\\",\\"Resource')
    assert found == {
        ("RL201", line_of(text, '\\"Action\\":\\"*\\"'), "critical"),
        ("RL405", line_of(text, '"assume_role_policy"', 2), "high"),
        ("RL207", hop_line, "high"),
        ("RL401", hop_line, "high"),
    }
    (admin,) = [f for f in findings if f.rule_id == "RL201"]
    assert admin.role == "aws_iam_role.admin"


SET_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-1"
SET_REFERENCE = {
    "permission_set_arn": {
        "references": ["aws_ssoadmin_permission_set.ps.arn", "aws_ssoadmin_permission_set.ps"]
    }
}


def permission_set_plan(*, bounded: bool) -> str:
    """A permission set with an inline policy given by ARN, and AdministratorAccess attached by
    reference to the set (its ARN known only after apply), as tf plans of HCL write them."""
    resources = [
        resource("aws_ssoadmin_permission_set", "ps", {"name": "admins"}),
        resource(
            "aws_ssoadmin_permission_set_inline_policy",
            "ps",
            {"inline_policy": EVERYTHING, "permission_set_arn": SET_ARN},
        ),
        resource("aws_ssoadmin_managed_policy_attachment", "ps", {"managed_policy_arn": ADMIN}),
    ]
    changes = [
        change("aws_ssoadmin_permission_set.ps", {"arn": True}),
        change("aws_ssoadmin_managed_policy_attachment.ps", {"permission_set_arn": True}),
    ]
    configurations = [configured("aws_ssoadmin_managed_policy_attachment", "ps", SET_REFERENCE)]
    if bounded:
        customer = {"customer_managed_policy_reference": [{"name": "dev-boundary", "path": "/"}]}
        resources += [
            resource(
                "aws_ssoadmin_permissions_boundary_attachment",
                "ps",
                {"instance_arn": "x", "permissions_boundary": [{"managed_policy_arn": ADMIN}]},
            ),
            resource(
                "aws_ssoadmin_permissions_boundary_attachment",
                "inline",
                {"permission_set_arn": SET_ARN, "permissions_boundary": [customer]},
            ),
        ]
        changes.append(
            change("aws_ssoadmin_permissions_boundary_attachment.ps", {"permission_set_arn": True})
        )
        configurations.append(
            configured("aws_ssoadmin_permissions_boundary_attachment", "ps", SET_REFERENCE)
        )
    return plan_text(resources, changes, configuration={"resources": configurations})


def test_permission_set_policies_of_a_plan_give_the_findings_hcl_gives(tmp_path: Path) -> None:
    """The plan reader read no permission set: an administrator inline policy and
    AdministratorAccess attached to a set gave no finding, where HCL gives two RL201."""
    text = permission_set_plan(bounded=False)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    findings = lint_paths([str(path)]).findings
    assert {(f.rule_id, f.location.line, f.resource) for f in findings} == {
        ("RL201", line_of(text, '"inline_policy"'), "aws_ssoadmin_permission_set_inline_policy.ps"),
        ("RL201", line_of(text, '"managed_policy_arn"'), "aws_ssoadmin_permission_set.ps"),
    }


def test_a_permission_set_s_customer_managed_policies_are_recorded_as_in_hcl() -> None:
    """As in HCL: ``aws_ssoadmin_customer_managed_policy_attachment`` is recorded by name and
    path, under the set's address; a name known only after apply as not known."""
    reference = [{"name": "workload-boundary", "path": "/team/"}]
    attachments = [
        resource(
            "aws_ssoadmin_customer_managed_policy_attachment",
            "team",
            {"permission_set_arn": SET_ARN, "customer_managed_policy_reference": reference},
        ),
        resource(
            "aws_ssoadmin_customer_managed_policy_attachment",
            "later",
            {"permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-2"},
        ),
    ]
    ps = resource("aws_ssoadmin_permission_set", "ps", {"name": "admins", "arn": SET_ARN})
    changes = [
        change(
            "aws_ssoadmin_customer_managed_policy_attachment.later",
            {"customer_managed_policy_reference": True},
        )
    ]
    inventory = parse_plan_text(plan_text([ps, *attachments], changes))
    found = {
        (r.name.text, r.path.text if r.path is not None else None, r.permission_set)
        for r in inventory.permission_set_customer_policies
    }
    assert found == {
        ("workload-boundary", "/team/", "aws_ssoadmin_permission_set.ps"),
        (None, None, "aws_ssoadmin_customer_managed_policy_attachment.later"),
    }


def test_attachments_to_holders_outside_the_plan_are_recorded_with_their_arns() -> None:
    """As in HCL: an attachment to a role the plan does not hold records the ARN it attaches;
    one to a role of the plan does not."""
    trust = policy_text(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    resources = [
        resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": trust}),
        resource(
            "aws_iam_role_policy_attachment",
            "app",
            {"role": "app", "policy_arn": "arn:aws:iam::111122223333:policy/app"},
        ),
        resource(
            "aws_iam_role_policy_attachment",
            "legacy",
            {"role": "legacy-role", "policy_arn": "arn:aws:iam::111122223333:policy/legacy"},
        ),
    ]
    inventory = parse_plan_text(plan_text(resources))
    assert [r.arn.text for r in inventory.outside_attachments] == [
        "arn:aws:iam::111122223333:policy/legacy"
    ]


def test_a_permission_set_s_boundary_limits_its_policies_as_in_hcl(tmp_path: Path) -> None:
    """As in HCL: a set's boundary limits its policies as a role's limits the role's (they were
    left out with notices, and AdministratorAccess as boundary hid an administrator set); one
    boundary names the set by reference, the other by ARN."""
    text = permission_set_plan(bounded=True)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.notices == []
    said = {(f.rule_id, f.location.line): f.message for f in report.findings}
    assert said[("RL201", line_of(text, '"managed_policy_arn"'))].endswith(
        "(AWS managed policy AdministratorAccess as permissions boundary of permission set"
        " aws_ssoadmin_permission_set.ps allows it)"
    )
    assert said[("RL201", line_of(text, '"inline_policy"'))].endswith(
        "(its permissions boundary dev-boundary is not in the scanned files and may limit this)"
    )
    assert len(said) == 2


# --- state ----------------------------------------------------------------------------------------


def test_a_state_is_read_from_values_with_known_arns() -> None:
    inventory = parse_file(STATE)
    admin = role(inventory, "aws_iam_role.legacy_admin")
    assert (admin.arn.text, at(admin.arn)) == (
        "arn:aws:iam::111122223333:role/legacy-admin",
        (70, 20),
    )
    assert [(v.text, at(v)) for v in admin.max_session_duration] == [("43200", (86, 37))]
    assert admin.permissions_boundary is None  # "" in a state: not set


def test_a_state_lists_each_attached_policy_once() -> None:
    """A state repeats a role's policies on the role: the policy resources win."""
    inventory = parse_file(STATE)
    admin = role(inventory, "aws_iam_role.legacy_admin")
    assert [(d.resource, d.ref.line) for d in admin.policies] == [
        ("aws_iam_role_policy.legacy_operate", 140),
        ("aws_iam_policy.audit", 29),  # matched by its ARN
    ]
    assert [(m.arn.text, m.arn.ref.line) for m in admin.managed_policy_arns] == [
        ("arn:aws:iam::aws:policy/AdministratorAccess", 157)
    ]
    auditor = identity(inventory, "aws_iam_user.auditor")
    assert [d.resource for d in auditor.policies] == ["aws_iam_policy.audit"]
    assert admin.policies[1] is auditor.policies[0]
    assert inventory.standalone_policies == []
    # The provider's empty inline_policy block of a role without one is no policy.
    assert role(inventory, "aws_iam_role.reader").policies == ()
    assert inventory.problems == []


# --- findings end to end --------------------------------------------------------------------------


def test_lint_paths_reports_a_bad_plan_at_its_lines() -> None:
    path = FIXTURES / "rules" / "RL201" / "bad_plan.json"
    report = lint_paths([str(path)])
    assert report.errors == []
    assert report.files_analyzed == 1
    text = path.read_text(encoding="utf-8")
    assert finding_set(report.findings) == {
        ("RL201", line_of(text, '\\"Action\\":\\"*\\"')),
        ("RL201", line_of(text, '"policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"')),
    }
    by_line = {f.location.line: f for f in report.findings}
    assert by_line[18].role == "aws_iam_role.break_glass"
    assert by_line[81].role == "aws_iam_role.ci"
    assert by_line[81].location.column == 27


def test_a_one_line_plan_points_at_columns(tmp_path: Path) -> None:
    """Terraform writes the plan on one line: findings differ by column."""
    compact = json.dumps(json.loads(PLAN.read_text(encoding="utf-8")), separators=(",", ":"))
    path = tmp_path / "plan.json"
    path.write_text(compact, encoding="utf-8")
    report = lint_paths([str(path)])
    columns = sorted((f.rule_id, f.location.line, f.location.column) for f in report.findings)
    assert [(rule, line) for rule, line, _ in columns] == [
        ("RL102", 1),
        ("RL304", 1),
        ("RL501", 1),
        ("RL501", 1),
    ]
    key = '"assume_role_policy":'
    deploy_trust = compact.rfind(key, 0, compact.index("role/ci/ci-runner"))
    assert columns[0][2] == deploy_trust + len(key) + 1  # 1-based, at the string's quote


# --- malformed input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned_values", "message", "needle", "shift"),
    [
        (None, "planned_values is not an object; it is ignored", '"planned_values"', 0),
        ([], "planned_values is not an object; it is ignored", '"planned_values"', 0),
        (
            {"root_module": "module"},
            "planned_values.root_module is not an object; it is ignored",
            '"root_module"',
            0,
        ),
        (
            {"root_module": {"resources": {"a": 1}, "child_modules": {"b": 2}}},
            "planned_values.root_module.resources is not a list; it is ignored",
            '"resources"',
            0,
        ),
        (
            {"root_module": {"resources": [5, None, {"type": "aws_iam_role"}]}},
            "planned_values.root_module.resources[0] is not an object; it is skipped",
            "5,",
            0,
        ),
        (
            {"root_module": {"resources": [{"type": "aws_iam_role"}]}},
            "planned_values.root_module.resources[0] has no type or name; it is skipped",
            '"type": "aws_iam_role"',
            -1,  # at the entry's "{"
        ),
        (
            {"root_module": {"resources": [{"type": "aws_iam_role", "name": "x", "values": []}]}},
            "planned_values.root_module.resources[0].values is not an object; the resource is"
            " skipped",
            '"values": []',
            0,
        ),
        (
            {"root_module": {"child_modules": [7, {"resources": [[]]}]}},
            "planned_values.root_module.child_modules[0] is not an object; it is ignored",
            "7,",
            0,
        ),
    ],
    ids=["null", "list", "module-string", "maps", "entries", "no-type", "values-list", "children"],
)
def test_a_malformed_plan_shape_is_one_input_error_at_its_line(
    tmp_path: Path, planned_values: Any, message: str, needle: str, shift: int
) -> None:
    """A plan whose planned_values is null, or whose resources are an object, was read as a
    plan of nothing: "0 findings, 0 errors", as clean as a safe plan.  Terraform never writes
    such types, so the first of them is an input error (exit 2) at its line; the rest of the
    plan is still read."""
    text = json.dumps(
        {
            "format_version": "1.2",
            "planned_values": planned_values,
            "resource_changes": [],
            "configuration": {},
        },
        indent=2,
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert (report.findings, report.files_analyzed) == ([], 1)
    assert [(e.file, e.line, e.message) for e in report.errors] == [
        (str(path), line_of(text, needle) + shift, message)
    ]


@pytest.mark.parametrize(
    ("section", "value", "message", "needle"),
    [
        (
            "resource_changes",
            {"aws_iam_role_policy_attachment.admin": {}},
            "resource_changes is not a list; it is ignored",
            '"resource_changes"',
        ),
        (
            "resource_changes",
            ["a change"],
            "resource_changes[0] is not an object; it is skipped",
            '"a change"',
        ),
        (
            "resource_changes",
            [{"address": "aws_iam_role.app", "change": []}],
            "resource_changes[0].change is not an object; it is skipped",
            '"change"',
        ),
        (
            "resource_changes",
            [{"address": "aws_iam_role.app", "change": {"after_unknown": [1]}}],
            "resource_changes[0].change.after_unknown is not an object; it is ignored",
            '"after_unknown"',
        ),
        ("configuration", [], "configuration is not an object; it is ignored", '"configuration"'),
        (
            "configuration",
            {"root_module": {"resources": {"aws_iam_role.app": {}}}},
            "configuration.root_module.resources is not a list; it is ignored",
            '"resources": {',
        ),
        (
            "configuration",
            {"root_module": {"resources": [{"address": "aws_iam_role.app", "expressions": []}]}},
            "configuration.root_module.resources[0].expressions is not an object; it is ignored",
            '"expressions"',
        ),
        (
            "configuration",
            {"root_module": {"module_calls": {"app": {"module": []}}}},
            "configuration.root_module.module_calls.app.module is not an object; it is ignored",
            '"module": []',
        ),
        ("prior_state", [], "prior_state is not an object; it is ignored", '"prior_state"'),
    ],
    ids=[
        "changes-object",
        "change-entry",
        "change-list",
        "unknown-list",
        "configuration-list",
        "configuration-resources",
        "expressions-list",
        "module-call",
        "prior-state",
    ],
)
def test_a_malformed_section_the_plan_is_read_with_is_an_input_error(
    tmp_path: Path, section: str, value: Any, message: str, needle: str
) -> None:
    """``resource_changes`` written as an object keyed by address was ignored without a word:
    the delete of the attachment that gives the role AdministratorAccess was lost, so the role
    was read as it is before apply (RL201, exit 1 and no error).  The sections a plan is read
    with (its changes, its configuration, its prior state) are held to the shapes Terraform
    writes, as planned_values is: the first other type is an input error at its line."""
    values = {"name": "app", "assume_role_policy": SERVICE_TRUST, "managed_policy_arns": [ADMIN]}
    plan = json.loads(plan_text([resource("aws_iam_role", "app", values)]))
    plan[section] = value
    text = json.dumps(plan, indent=2)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert [(e.line, e.message) for e in report.errors] == [(line_of(text, needle), message)]
    assert run_rolelint("check", str(path), "--no-cache").returncode == 2


ERRORED = (
    "the plan is errored: planning failed, so Terraform cannot apply it and it lists only what"
    " was planned before the failure; what it lists is analyzed, the rest is not"
)
INCOMPLETE = (
    "the plan is not complete (a -target plan, or changes deferred until values are known):"
    " resources it leaves out are not analyzed, so a clean result is a lower bound"
)


@pytest.mark.parametrize(
    ("flags", "exit_code", "error", "notice"),
    [
        ({"applyable": False, "complete": False, "errored": True}, 2, ERRORED, None),
        ({"applyable": True, "complete": False, "errored": False}, 1, None, INCOMPLETE),
        ({"applyable": True, "complete": True, "errored": False}, 1, None, None),
    ],
    ids=["errored", "targeted", "complete"],
)
def test_an_errored_or_incomplete_plan_does_not_pass_for_a_whole_one(
    tmp_path: Path,
    flags: dict[str, bool],
    exit_code: int,
    error: str | None,
    notice: str | None,
) -> None:
    """Terraform (1.5 and later) saves the plan of a failed run, marked ``errored``: it lists
    only what was planned before the failure, and a -target plan is ``complete: false``.
    Both read as whole plans: "0 findings, 0 errors", exit 0, while a role policy the failed
    run never planned was left out.  An errored plan, which Terraform cannot apply, is an input
    error at the flag (exit 2); an incomplete one gets a note.  What either lists is still
    analyzed."""
    trust = policy_text({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}})
    plan = json.loads(
        plan_text([resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": trust})])
    )
    plan.update(flags)
    text = json.dumps(plan, indent=2)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert [f.rule_id for f in report.findings] == ["RL101"]
    assert [(e.line, e.message) for e in report.errors] == (
        [(line_of(text, '"errored"'), error)] if error else []
    )
    assert [(n.line, n.message) for n in report.notices] == (
        [(line_of(text, '"complete"'), notice)] if notice else []
    )
    assert run_rolelint("check", str(path), "--no-cache").returncode == exit_code


def test_a_reference_that_is_no_string_is_an_input_error_not_an_internal_one(
    tmp_path: Path,
) -> None:
    """A configuration whose references list holds a list crashed the reader ("internal error
    while parsing (TypeError: unhashable type: 'PSeq')", no line) and dropped the whole plan.
    It is an input error at the reference; the attachment, its role not known, is checked
    on its own as for any reference that does not say which role it is."""
    attachment = resource("aws_iam_role_policy_attachment", "a", {"policy_arn": ADMIN})
    expressions = {"role": {"references": [["aws_iam_role.r"]]}}
    text = plan_text(
        [attachment],
        [change("aws_iam_role_policy_attachment.a", {"role": True})],
        configuration={
            "resources": [configured("aws_iam_role_policy_attachment", "a", expressions)]
        },
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert [(e.line, e.message) for e in report.errors] == [
        (
            line_of(text, '"aws_iam_role.r"') - 1,  # at the entry's "["
            "the configuration of aws_iam_role_policy_attachment.a: references[0] of role is"
            " not a string; it is ignored",
        )
    ]
    assert finding_set(report.findings) == {("RL201", line_of(text, f'"{ADMIN}"'))}


def test_odd_attribute_types_never_raise() -> None:
    values = {
        "name": ["not", "a", "string"],
        "assume_role_policy": 5,
        "inline_policy": {"name": "x"},
        "managed_policy_arns": "arn:aws:iam::aws:policy/AdministratorAccess",
        "max_session_duration": {"seconds": 3600},
        "path": None,
    }
    text = plan_text(
        [resource("aws_iam_role", "odd", values)],
        [change("aws_iam_role.odd", ["not", "a", "mapping"])],
        configuration={"resources": "none", "module_calls": []},
    )
    inventory = parse_plan_text(text)
    (odd,) = inventory.roles
    assert odd.name is not None and odd.name.text is None
    assert odd.policies == () and odd.managed_policy_arns == ()
    assert [v.text for v in odd.max_session_duration] == [None]
    # A number is no policy document: the invalid-policy rule reports it.
    assert [(p.kind, p.resource) for p in inventory.problems] == [
        ("invalid-statement", "aws_iam_role.odd")
    ]


def test_a_policy_string_that_is_no_policy_object_is_reported(tmp_path: Path) -> None:
    text = plan_text(
        [
            resource("aws_iam_role", "broken", {"name": "broken", "assume_role_policy": "{oops"}),
            resource("aws_iam_policy", "list", {"name": "list", "policy": "[]"}),
        ]
    )
    inventory = parse_plan_text(text)
    problems = sorted((p.kind, p.resource, p.ref.line, p.message) for p in inventory.problems)
    assert problems == [
        (
            "invalid-statement",
            "aws_iam_policy.list",
            line_of(text, '"policy": "[]"'),
            "the policy aws_iam_policy.list is not a policy document object",
        ),
        (
            "invalid-statement",
            "aws_iam_role.broken",
            line_of(text, "{oops"),
            "the trust policy of role aws_iam_role.broken is not a policy document object",
        ),
    ]
    assert lint_text(tmp_path, text) == {
        ("RL604", line_of(text, "{oops")),
        ("RL604", line_of(text, '"policy": "[]"')),
    }


def test_a_duplicate_key_inside_a_policy_string_points_at_the_string(tmp_path: Path) -> None:
    heredoc = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
        ' "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"}]}'
    )
    text = plan_text(
        [
            resource("aws_iam_role", "app", {"name": "app"}),
            resource(
                "aws_iam_role_policy", "app", {"name": "s3", "role": "app", "policy": heredoc}
            ),
        ]
    )
    line = line_of(text, "s3:PutObject")
    assert lint_text(tmp_path, text) == {("RL601", line)}
    (app,) = parse_plan_text(text).roles
    (document,) = app.policies
    assert [(a.text, a.ref.line) for a in document.statements[0].actions] == [
        ("s3:PutObject", line)
    ]


def test_values_of_a_resource_outside_any_change_are_taken_as_known() -> None:
    values = {"name": "plain", "path": "/", "max_session_duration": 3600}
    values["permissions_boundary"] = None
    (plain,) = parse_plan_text(plan_text([resource("aws_iam_role", "plain", values)])).roles
    assert plain.permissions_boundary is None  # null and not marked unknown: not set
    assert [v.text for v in plain.max_session_duration] == ["3600"]
    assert plain.trust_policy is None  # absent: Terraform leaves out what is unknown
    assert plain.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/plain"


def test_attributes_left_out_of_planned_values_are_unknown() -> None:
    """Terraform omits unknown attributes from ``planned_values``, marked or not."""
    text = plan_text([resource("aws_iam_role", "generated", {"path": "/"})])
    (generated,) = parse_plan_text(text).roles
    assert generated.name is not None
    assert (generated.name.text, generated.name.unresolved_reason) == (None, UNKNOWN)
    assert [(v.text, v.unresolved_reason) for v in generated.max_session_duration] == [
        (None, UNKNOWN)
    ]


def team_roles(*keys: str) -> list[dict[str, Any]]:
    """``aws_iam_role.team`` with ``for_each`` over ``keys``."""
    roles = []
    for key in keys:
        entry = resource("aws_iam_role", "team", {"name": f"team-{key}"})
        entry.update(address=f'aws_iam_role.team["{key}"]', index=key)
        roles.append(entry)
    return roles


def attached_arns(text: str) -> dict[str, list[str | None]]:
    inventory = parse_plan_text(text)
    return {r.id: [m.arn.text for m in r.managed_policy_arns] for r in inventory.roles}


ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


PLAIN = ["aws_iam_role.solo.name", "aws_iam_role.solo"]
# aws_iam_role.team[each.key]: which instance is unknown, and each.key may choose the list.
CHOSEN = ["aws_iam_role.team", "each.key", *PLAIN]


@pytest.mark.parametrize(
    ("roles", "marks", "references", "linked"),
    [
        (None, True, PLAIN, True),
        ([None], [True], PLAIN, True),
        (["solo", None], [False, True], PLAIN, True),  # solo by name; nothing else remains
        (None, True, CHOSEN, False),
        ([None], [True], CHOSEN, False),
        (["solo", None], [False, True], CHOSEN, True),  # by its known name
    ],
    ids=[
        "whole-list",
        "element",
        "known-and-unknown",
        "whole-list-chosen",
        "element-chosen",
        "known-and-unknown-chosen",
    ],
)
def test_a_list_of_roles_links_only_the_instances_its_references_single_out(
    roles: Any, marks: Any, references: list[str], linked: bool
) -> None:
    values: dict[str, Any] = {"policy_arn": ADMIN, "users": []}
    if roles is not None:
        values["roles"] = roles
    other = {
        "address": "module.other",
        "resources": [resource("aws_iam_role", "solo", {"name": "other-solo"}, "module.other")],
    }
    text = plan_text(
        [
            *team_roles("a", "b"),
            resource("aws_iam_role", "solo", {"name": "solo"}),
            resource("aws_iam_policy_attachment", "admins", values),
        ],
        [change("aws_iam_policy_attachment.admins", {"roles": marks})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_policy_attachment", "admins", {"roles": {"references": references}}
                )
            ]
        },
        child_modules=[other],
    )
    assert attached_arns(text) == {
        'aws_iam_role.team["a"]': [],
        'aws_iam_role.team["b"]': [],
        "aws_iam_role.solo": [ADMIN] if linked else [],
        "module.other.aws_iam_role.solo": [],  # references are relative to their module
    }


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        (['aws_iam_role.team["b"].name', 'aws_iam_role.team["b"]', "aws_iam_role.team"], ["b"]),
        (["var.blue", "aws_iam_role.team", "aws_iam_role.solo.name", "aws_iam_role.solo"], []),
        (["aws_iam_role.solo.name", "aws_iam_role.solo"], ["solo"]),
        (["var.role_name"], []),
    ],
    ids=["instance-key", "either-of-two", "single", "variable"],
)
def test_a_single_role_is_linked_only_when_its_reference_is_unambiguous(
    references: list[str], expected: list[str]
) -> None:
    text = plan_text(
        [
            *team_roles("a", "b"),
            resource("aws_iam_role", "solo", {"name": "solo"}),
            resource("aws_iam_role_policy_attachment", "admin", {"policy_arn": ADMIN}),
        ],
        [change("aws_iam_role_policy_attachment.admin", {"role": True})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role_policy_attachment", "admin", {"role": {"references": references}}
                )
            ]
        },
    )
    holders = [role_id for role_id, arns in attached_arns(text).items() if arns == [ADMIN]]
    names = {'aws_iam_role.team["b"]': "b", "aws_iam_role.solo": "solo"}
    assert [names[role_id] for role_id in holders] == expected


@pytest.mark.parametrize(
    ("tokens_expression", "findings"),
    [
        (None, {("RL501", "iam_instance_profile")}),  # not configured: AWS defaults to optional
        ({"references": ["var.http_tokens"]}, set()),  # configured, known only after apply
    ],
    ids=["not-configured", "unknown"],
)
def test_http_tokens_known_only_after_apply(
    tmp_path: Path, tokens_expression: dict[str, Any] | None, findings: set[tuple[str, str]]
) -> None:
    options: dict[str, Any] = {"http_endpoint": {"constant_value": "enabled"}}
    if tokens_expression is not None:
        options["http_tokens"] = tokens_expression
    instance = resource(
        "aws_instance",
        "web",
        {"iam_instance_profile": "web", "metadata_options": [{"http_endpoint": "enabled"}]},
    )
    text = plan_text(
        [instance],
        [change("aws_instance.web", {"metadata_options": [{"http_tokens": True}]})],
        configuration={
            "resources": [
                configured(
                    "aws_instance",
                    "web",
                    {
                        "iam_instance_profile": {"constant_value": "web"},
                        "metadata_options": [options],
                    },
                )
            ]
        },
    )
    expected = {(rule, line_of(text, needle)) for rule, needle in findings}
    assert lint_text(tmp_path, text) == expected


def test_tokens_of_a_dynamic_metadata_options_block_stay_unknown(tmp_path: Path) -> None:
    """``dynamic "metadata_options"`` setting ``http_tokens`` from a value known only after
    apply: Terraform leaves dynamic blocks out of the configuration, so the block looked
    unconfigured and RL501 said "not set: AWS defaults to optional"."""
    instance = resource(
        "aws_instance",
        "web",
        {"iam_instance_profile": "web", "metadata_options": [{"http_endpoint": "enabled"}]},
    )
    text = plan_text(
        [instance],
        [change("aws_instance.web", {"metadata_options": [{"http_tokens": True}]})],
        configuration={
            "resources": [
                configured(
                    "aws_instance", "web", {"iam_instance_profile": {"constant_value": "web"}}
                )
            ]
        },
    )
    assert lint_text(tmp_path, text) == set()
    (web,) = parse_plan_text(text).compute
    assert web.http_tokens is not None and web.http_tokens.unresolved_reason == UNKNOWN


def test_an_instance_with_the_metadata_service_disabled_exposes_nothing(tmp_path: Path) -> None:
    """``http_endpoint = "disabled"`` leaves no credentials to read; the plan shows
    ``http_tokens`` unknown and unconfigured, which was read as AWS's optional default."""
    values = {"iam_instance_profile": "web", "metadata_options": [{"http_endpoint": "disabled"}]}
    options = [{"http_endpoint": {"constant_value": "disabled"}}]
    text = plan_text(
        [resource("aws_instance", "web", values)],
        [change("aws_instance.web", {"metadata_options": [{"http_tokens": True}]})],
        configuration={
            "resources": [configured("aws_instance", "web", {"metadata_options": options})]
        },
    )
    assert lint_text(tmp_path, text) == set()


@pytest.mark.parametrize(
    ("tokens", "template_reference", "expected"),
    [
        ("required", ["aws_launch_template.lt.id", "aws_launch_template.lt"], set()),
        (
            "optional",
            ["aws_launch_template.lt.id", "aws_launch_template.lt"],
            {"aws_instance.web", "aws_launch_template.lt"},
        ),
        ("optional", ["var.template_id"], {"aws_launch_template.lt"}),
    ],
    ids=["template-requires", "template-optional", "template-not-seen"],
)
def test_an_instance_takes_its_tokens_from_its_launch_template(
    tmp_path: Path, tokens: str, template_reference: list[str], expected: set[str]
) -> None:
    """An instance that sets no metadata options takes its launch template's: one requiring
    tokens was reported as AWS's optional default."""
    template = resource(
        "aws_launch_template",
        "lt",
        {
            "name": "lt",
            "iam_instance_profile": [{"name": "web"}],
            "metadata_options": [{"http_endpoint": "enabled", "http_tokens": tokens}],
        },
    )
    instance_values = {"iam_instance_profile": "web", "launch_template": [{"version": "$Latest"}]}
    text = plan_text(
        [template, resource("aws_instance", "web", instance_values)],
        [
            change(
                "aws_instance.web",
                {"metadata_options": True, "launch_template": [{"id": True, "name": True}]},
            )
        ],
        configuration={
            "resources": [
                configured(
                    "aws_instance",
                    "web",
                    {"launch_template": [{"id": {"references": template_reference}}]},
                )
            ]
        },
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    found = {(f.rule_id, f.location.line, f.resource) for f in lint_paths([str(path)]).findings}
    line = line_of(text, '"http_tokens"')
    assert found == {("RL501", line, address) for address in expected}


@pytest.mark.parametrize(
    ("own", "expected"),
    [
        ({"metadata_options": [{"http_tokens": "optional"}]}, "own-tokens"),
        ({"ami": "ami-0123456789abcdef0"}, "own-ami"),
        ({}, None),
    ],
    ids=["own-tokens", "own-ami", "neither"],
)
def test_an_instance_without_a_profile_runs_with_its_launch_templates(
    tmp_path: Path, own: dict[str, Any], expected: str | None
) -> None:
    """Hunt tfmodern 1, in plans: an instance whose configuration names no instance profile
    (the plan computes it) launches with its launch template's.  Read without one, an instance
    turning IMDSv1 back on under a template requiring tokens, or launching another AMI than
    the template's AL2023 one, was silent.  As from HCL and CloudFormation, it is reported at
    its own tokens or at its ``launch_template``; one that sets neither launches what the
    template does, and the template's finding is the one."""
    template = resource(
        "aws_launch_template",
        "lt",
        {
            "name": "lt",
            "image_id": "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1",
            "iam_instance_profile": [{"name": "web"}],
            "metadata_options": [],
        },
    )
    values: dict[str, Any] = {"launch_template": [{"version": "$Latest"}], **own}
    unknown: dict[str, Any] = {
        "iam_instance_profile": True,
        "launch_template": [{"id": True, "name": True}],
    }
    if "metadata_options" not in own:
        unknown["metadata_options"] = True
    if "ami" not in own:
        unknown["ami"] = True
    expressions: dict[str, Any] = {
        "launch_template": [{"id": {"references": ["aws_launch_template.lt.id"]}}],
        **{key: {"constant_value": value} for key, value in own.items()},
    }
    text = plan_text(
        [template, resource("aws_instance", "web", values)],
        [change("aws_instance.web", unknown)],
        configuration={"resources": [configured("aws_instance", "web", expressions)]},
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    found = [(f.resource, f.location.line) for f in report.findings if f.rule_id == "RL501"]
    if expected is None:
        assert found == []
        return
    # At the instance's own tokens, else at its launch_template block (the block's element).
    needle = '"http_tokens": "optional"' if expected == "own-tokens" else '"version": "$Latest"'
    assert found == [("aws_instance.web", line_of(text, needle) - (expected == "own-ami"))]
    assert "exposes instance profile 'web' through IMDSv1" in report.findings[0].message


def test_unknown_elements_of_managed_policy_arns_are_found_by_reference() -> None:
    audit = resource("aws_iam_policy", "audit", {"name": "audit", "policy": ASSUME_BY_ANYONE})
    values = {"name": "app", "managed_policy_arns": [ADMIN, None]}
    text = plan_text(
        [audit, resource("aws_iam_role", "app", values)],
        [change("aws_iam_role.app", {"managed_policy_arns": [False, True]})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role",
                    "app",
                    {"managed_policy_arns": {"references": ["aws_iam_policy.audit.arn"]}},
                )
            ]
        },
    )
    (app,) = parse_plan_text(text).roles
    assert [m.arn.text for m in app.managed_policy_arns] == [ADMIN]
    assert [d.resource for d in app.policies] == ["aws_iam_policy.audit"]


SMALL = policy_text({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
SMALL_REFERENCES = ["aws_iam_policy.small.arn", "aws_iam_policy.small"]


def unknown_list_plan(kind: str, attribute: str, references: list[str]) -> str:
    """A role (or an exclusive attachment to it) whose list of policy ARNs is known only after
    apply, as the AWS provider marks a set: unknown as a whole, left out of planned_values,
    and only its references in the configuration."""
    name = "app"
    address = f"{kind}.{name}"
    values = {"role_name": "app"} if kind != "aws_iam_role" else {}
    resources = [
        resource("aws_iam_policy", "small", {"name": "small", "policy": SMALL}),
        resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": SERVICE_TRUST}),
    ]
    if kind != "aws_iam_role":
        resources.append(resource(kind, name, values))
    return plan_text(
        resources,
        [change(address, {attribute: True})],
        configuration={
            "resources": [configured(kind, name, {attribute: {"references": references}})]
        },
    )


@pytest.mark.parametrize(
    ("kind", "attribute", "references", "held", "message"),
    [
        (
            "aws_iam_role",
            "managed_policy_arns",
            [*SMALL_REFERENCES, "var.extra_policy_arns"],
            [],
            "aws_iam_role.app: managed_policy_arns is known only after apply and the plan's"
            " references do not say which policies it lists (it may list aws_iam_policy.small),"
            " so they are not analyzed",
        ),
        (
            "aws_iam_role",
            "managed_policy_arns",
            SMALL_REFERENCES,
            ["aws_iam_policy.small"],
            "aws_iam_role.app: managed_policy_arns is known only after apply; the plan's"
            " references say it holds aws_iam_policy.small but not what else it lists, which"
            " is not analyzed",
        ),
        (
            "aws_iam_role_policy_attachments_exclusive",
            "policy_arns",
            [*SMALL_REFERENCES, "local.extra"],
            [],
            "aws_iam_role_policy_attachments_exclusive.app: policy_arns is known only after"
            " apply and the plan's references do not say which policies it lists (it may list"
            " aws_iam_policy.small), so they are not analyzed",
        ),
    ],
    ids=["variable-beside", "literal-beside", "exclusive"],
)
def test_a_policy_list_known_only_after_apply_holds_an_unread_policy_not_nothing(
    tmp_path: Path,
    kind: str,
    attribute: str,
    references: list[str],
    held: list[str],
    message: str,
) -> None:
    """``managed_policy_arns = concat([aws_iam_policy.small.arn], var.extra_policy_arns)``
    with the policy created by the same plan: the set is unknown as a whole and the
    configuration records only references.  They name a variable, so the list was dropped:
    the role read as access "none", with no note, while the variable held
    AdministratorAccess.  ``[aws_iam_policy.small.arn, "arn:...AdministratorAccess"]`` looks
    the same but for the variable, and held only ``small``.  What the references do not
    account for is now an unread policy (a lower bound, as HCL has it: "none (+1 unread
    policy)"), with a note at the resource."""
    text = unknown_list_plan(kind, attribute, references)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    line = line_of(text, f'"address": "{kind}.app"')
    assert [(n.line, n.message) for n in report.notices] == [(line, message)]
    assert report.findings == [] and report.errors == []
    app = role(parse_plan_text(text), "aws_iam_role.app")
    assert [d.resource for d in app.policies] == held
    [unread] = app.managed_policy_arns
    assert (unread.arn.text, unread.arn.unresolved_reason, unread.arn.ref.line) == (
        None,
        UNKNOWN,
        line,
    )
    assert unread.optional  # it may stand for nothing: no quota counts it


def test_unknown_elements_the_references_do_not_name_are_unread_policies() -> None:
    """Elements the plan marks one by one are policies for certain: each is held as an unread
    policy when the references do not say which policy of the plan it is."""
    values = {"name": "app", "managed_policy_arns": [ADMIN, None]}
    references = ["aws_iam_policy.small.arn", "var.admin"]
    text = plan_text(
        [
            resource("aws_iam_policy", "small", {"name": "small", "policy": SMALL}),
            resource("aws_iam_role", "app", values),
        ],
        [change("aws_iam_role.app", {"managed_policy_arns": [False, True]})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role", "app", {"managed_policy_arns": {"references": references}}
                )
            ]
        },
    )
    app = role(parse_plan_text(text), "aws_iam_role.app")
    assert app.policies == ()
    held = [(m.arn.text, m.arn.ref.line, m.optional) for m in app.managed_policy_arns]
    assert held == [
        (ADMIN, line_of(text, f'"{ADMIN}"'), False),
        (None, line_of(text, "null"), False),
    ]


def test_a_policy_list_the_configuration_does_not_set_holds_no_unread_policy(
    tmp_path: Path,
) -> None:
    """A role the plan creates without ``managed_policy_arns`` has the set marked unknown (the
    provider computes it): it only mirrors the attachments, which the plan reads, so no unread
    policy and no note."""
    text = plan_text(
        [resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": SERVICE_TRUST})],
        [change("aws_iam_role.app", {"managed_policy_arns": True})],
        configuration={"resources": [configured("aws_iam_role", "app", {})]},
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    assert lint_paths([str(path)]).notices == []
    assert role(parse_plan_text(text), "aws_iam_role.app").managed_policy_arns == ()


def test_policies_for_roles_outside_the_plan_are_still_checked(tmp_path: Path) -> None:
    everything = policy_text({"Effect": "Allow", "Action": "*", "Resource": "*"})
    values = {"name": "all", "role": "made-elsewhere", "policy": everything}
    text = plan_text([resource("aws_iam_role_policy", "elsewhere", values)])
    (document,) = parse_plan_text(text).standalone_policies
    assert document.origin == "inline policy aws_iam_role_policy.elsewhere"
    assert lint_text(tmp_path, text) == {("RL201", line_of(text, '"policy"'))}


def test_a_launch_template_profile_block_known_only_after_apply() -> None:
    template = resource("aws_launch_template", "lt", {"name": "lt", "metadata_options": []})
    unset = plan_text(
        [template], [change("aws_launch_template.lt", {"iam_instance_profile": True})]
    )
    config = {"resources": [configured("aws_launch_template", "lt", {})]}
    not_configured = plan_text(
        [template], [change("aws_launch_template.lt", {"iam_instance_profile": True})], config
    )
    config = {
        "resources": [
            configured(
                "aws_launch_template",
                "lt",
                {"iam_instance_profile": [{"name": {"references": []}}]},
            )
        ]
    }
    dynamic = plan_text(
        [template], [change("aws_launch_template.lt", {"iam_instance_profile": True})], config
    )
    # Without configuration nothing tells whether a profile is set: unknown, not absent.
    profiles = [parse_plan_text(text).compute[0].instance_profile for text in (unset, dynamic)]
    assert [(p.text, p.unresolved_reason) if p else None for p in profiles] == [
        (None, UNKNOWN),
        (None, UNKNOWN),
    ]
    assert parse_plan_text(not_configured).compute[0].instance_profile is None


@pytest.mark.parametrize("block", [[], None], ids=["empty-list", "null"])
@pytest.mark.parametrize("deployed", [True, False], ids=["state", "plan-without-configuration"])
def test_a_launch_template_without_a_profile_block_exposes_none(
    tmp_path: Path, block: Any, deployed: bool
) -> None:
    """A state (and a plan whose configuration lacks the template) writes an unset
    ``iam_instance_profile`` block as ``[]``: its missing first element was read as a profile
    known only after apply, and RL501 said the template "exposes an instance profile"."""
    values = {
        "id": "lt-0abc",
        "name": "web",
        "image_id": "ami-0123456789abcdef0",
        "iam_instance_profile": block,
        "metadata_options": [],
    }
    text = plan_text([resource("aws_launch_template", "web", values)])
    if deployed:
        document = json.loads(text)
        document["values"] = document.pop("planned_values")
        del document["resource_changes"]
        text = json.dumps(document, indent=2)
    (template,) = parse_plan_text(text).compute
    assert template.instance_profile is None
    assert lint_text(tmp_path, text) == set()


EC2_TRUST = policy_text(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
)
NODE_ARN = "arn:aws:iam::111122223333:role/eks-node"


def node_group_plan(*, known: bool, launch_template: bool = True) -> str:
    """A node group whose launch template leaves IMDSv1 on: deployed (a state-like plan with
    every id and ARN known), or created by the plan (ids and ARNs known only after apply,
    linked by the configuration's references)."""
    role = resource("aws_iam_role", "node", {"name": "eks-node", "assume_role_policy": EC2_TRUST})
    template_values: dict[str, Any] = {
        "name": "nodes",
        "iam_instance_profile": [],
        "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "optional"}],
    }
    group_values: dict[str, Any] = {"cluster_name": "c", "node_group_name": "ng"}
    changes: list[dict[str, Any]] = []
    if known:
        role["values"]["arn"] = NODE_ARN
        template_values["id"] = "lt-0abc"
        group_values["node_role_arn"] = NODE_ARN
        block = {"id": "lt-0abc", "name": "nodes", "version": "1"}
    else:
        block = {"version": "1"}
        changes.append(
            change(
                "aws_eks_node_group.ng",
                {"node_role_arn": True, "launch_template": [{"id": True, "name": True}]},
            )
        )
    expressions: dict[str, Any] = {
        "node_role_arn": {"references": ["aws_iam_role.node.arn", "aws_iam_role.node"]}
    }
    if launch_template:
        group_values["launch_template"] = [block]
        references = ["aws_launch_template.nodes.id", "aws_launch_template.nodes"]
        expressions["launch_template"] = [{"id": {"references": references}}]
    else:
        group_values["launch_template"] = []
    group = resource("aws_eks_node_group", "ng", group_values)
    config = {"resources": [configured("aws_eks_node_group", "ng", expressions)]}
    template = resource("aws_launch_template", "nodes", template_values)
    return plan_text([role, template, group], changes, config if not known else None)


@pytest.mark.parametrize("known", [True, False], ids=["deployed", "created"])
def test_an_eks_node_group_exposes_its_node_role_as_in_hcl(tmp_path: Path, known: bool) -> None:
    """Plans and states never read ``aws_eks_node_group``: a node group whose launch template
    leaves IMDSv1 on was reported from HCL and silent from its plan."""
    text = node_group_plan(known=known)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    assert [(f.rule_id, f.location.line, f.resource, f.role) for f in report.findings] == [
        ("RL501", line_of(text, '"http_tokens"'), "aws_eks_node_group.ng", "aws_iam_role.node")
    ]
    assert "exposes its node role aws_iam_role.node" in report.findings[0].message


def test_a_node_group_without_a_launch_template_is_not_judged(tmp_path: Path) -> None:
    """EKS gives such a node group a launch template of its own, which rolelint cannot see."""
    text = node_group_plan(known=True, launch_template=False)
    (group,) = [c for c in parse_plan_text(text).compute if c.kind == "aws_eks_node_group"]
    assert group.node_role is not None and group.node_role.text == "aws_iam_role.node"
    assert group.http_tokens is not None and group.http_tokens.text is None
    assert lint_text(tmp_path, text) == set()


def test_a_node_group_of_a_for_each_over_roles_is_linked_to_its_own_role(tmp_path: Path) -> None:
    """``node_role_arn = each.value.arn`` with ``for_each = aws_iam_role.pool``: each node group
    runs with the role of its own key."""
    roles = [resource("aws_iam_role", f'pool["{key}"]', {"name": f"pool-{key}"}) for key in "ab"]
    for pool_role, key in zip(roles, "ab", strict=True):
        pool_role["name"], pool_role["index"] = "pool", key
        pool_role["values"]["assume_role_policy"] = EC2_TRUST
    template = resource(
        "aws_launch_template",
        "nodes",
        {
            "name": "nodes",
            "iam_instance_profile": [],
            "metadata_options": [{"http_tokens": "optional"}],
        },
    )
    groups = []
    for key in "ab":
        group = resource("aws_eks_node_group", f'pool["{key}"]', {"launch_template": [{}]})
        group["name"], group["index"] = "pool", key
        groups.append(group)
    changes = [
        change(
            f'aws_eks_node_group.pool["{key}"]',
            {"node_role_arn": True, "launch_template": [{"id": True, "name": True}]},
        )
        for key in "ab"
    ]
    group_config = configured(
        "aws_eks_node_group",
        "pool",
        {
            "node_role_arn": {"references": ["each.value.arn", "each.value"]},
            "launch_template": [{"id": {"references": ["aws_launch_template.nodes.id"]}}],
        },
    )
    group_config["for_each_expression"] = {"references": ["aws_iam_role.pool"]}
    text = plan_text([*roles, template, *groups], changes, {"resources": [group_config]})
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    found = sorted((f.resource, f.role) for f in lint_paths([str(path)]).findings)
    assert found == [
        ('aws_eks_node_group.pool["a"]', 'aws_iam_role.pool["a"]'),
        ('aws_eks_node_group.pool["b"]', 'aws_iam_role.pool["b"]'),
    ]


def test_a_node_role_a_conditional_chooses_among_roles_the_plan_creates_is_each_role(
    tmp_path: Path,
) -> None:
    """Hunt r8misc: ``node_role_arn = var.gpu ? aws_iam_role.a.arn : aws_iam_role.b.arn``
    with both roles created by the plan (the ARN known only after apply) was linked to
    neither: the references name two roles, and a single one was asked for.  RL501 named no
    role and neither role's card listed the node group, while the HCL of the same
    configuration names each.  Each referenced role now runs it, as each branch's does in HCL."""
    from rolelint.checks.imds import served

    roles = [
        resource("aws_iam_role", key, {"name": f"node-{key}", "assume_role_policy": EC2_TRUST})
        for key in "ab"
    ]
    template = resource(
        "aws_launch_template",
        "nodes",
        {
            "name": "nodes",
            "iam_instance_profile": [],
            "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "optional"}],
        },
    )
    group = resource(
        "aws_eks_node_group",
        "ng",
        {"cluster_name": "c", "node_group_name": "ng", "launch_template": [{"version": "1"}]},
    )
    changes = [
        change(
            "aws_eks_node_group.ng",
            {"node_role_arn": True, "launch_template": [{"id": True, "name": True}]},
        )
    ]
    references = ["var.gpu", "aws_iam_role.a.arn", "aws_iam_role.a"]
    references += ["aws_iam_role.b.arn", "aws_iam_role.b"]
    expressions = {
        "node_role_arn": {"references": references},
        "launch_template": [
            {"id": {"references": ["aws_launch_template.nodes.id", "aws_launch_template.nodes"]}}
        ],
    }
    config = {
        "resources": [configured("aws_eks_node_group", "ng", expressions)],
        "variables": {"gpu": {}},
    }
    text = plan_text([*roles, template, group], changes, config)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    findings = sorted(report.findings, key=lambda f: f.roles)
    assert [(f.rule_id, f.location.line, f.resource, f.roles) for f in findings] == [
        ("RL501", line_of(text, '"http_tokens"'), "aws_eks_node_group.ng", ("aws_iam_role.a",)),
        ("RL501", line_of(text, '"http_tokens"'), "aws_eks_node_group.ng", ("aws_iam_role.b",)),
    ]
    assert "exposes its node role aws_iam_role.a (in the instance profile" in findings[0].message
    assert "exposes its node role aws_iam_role.b (in the instance profile" in findings[1].message
    inventory = parse_plan_text(text)
    served_by = {role.id: [c.id for c in served(role, inventory)] for role in inventory.roles}
    assert served_by == {
        "aws_iam_role.a": ["aws_eks_node_group.ng"],
        "aws_iam_role.b": ["aws_eks_node_group.ng"],
    }


AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def test_an_amazon_linux_2023_ami_read_from_ssm_requires_tokens_as_in_hcl(tmp_path: Path) -> None:
    """The plan reader set no AMI parameter: an instance whose ``ami`` is the value of a
    ``data "aws_ssm_parameter"`` of AL2023, or a launch template whose ``image_id`` is
    ``resolve:ssm:...``, was reported "not set: AWS defaults to optional"; AWS registers those
    AMIs as requiring tokens.  An instance launching its template's AMI takes it too."""
    profile = resource("aws_iam_instance_profile", "app", {"name": "app", "role": "app"})
    role = resource("aws_iam_role", "app", {"name": "app", "assume_role_policy": EC2_TRUST})
    by_data = resource(
        "aws_instance",
        "by_data",
        {"ami": "ami-0aaa", "iam_instance_profile": "app", "metadata_options": []},
    )
    other = resource(
        "aws_instance",
        "other",
        {"ami": "ami-0bbb", "iam_instance_profile": "app", "metadata_options": []},
    )
    template = resource(
        "aws_launch_template",
        "lt",
        {
            "id": "lt-0abc",
            "name": "lt",
            "image_id": f"resolve:ssm:{AL2023}:3",
            "iam_instance_profile": [{"name": "app"}],
            "metadata_options": [],
        },
    )
    from_template = resource(
        "aws_instance",
        "from_template",
        {
            "iam_instance_profile": "app",
            "metadata_options": [],
            "launch_template": [{"id": "lt-0abc"}],
        },
    )
    changes = [change("aws_instance.from_template", {"ami": True})]
    data_source = {
        "address": "data.aws_ssm_parameter.al2023",
        "mode": "data",
        "type": "aws_ssm_parameter",
        "name": "al2023",
        "expressions": {"name": {"constant_value": AL2023}},
    }
    reads = ["data.aws_ssm_parameter.al2023.value", "data.aws_ssm_parameter.al2023"]
    config = {
        "resources": [
            data_source,
            configured("aws_instance", "by_data", {"ami": {"references": reads}}),
            configured("aws_instance", "other", {"ami": {"constant_value": "ami-0bbb"}}),
            configured("aws_instance", "from_template", {"launch_template": [{}]}),
            configured("aws_launch_template", "lt", {}),
        ]
    }
    text = plan_text([profile, role, by_data, other, template, from_template], changes, config)
    amis = {
        c.id: c.ami_parameter.text if c.ami_parameter else None
        for c in parse_plan_text(text).compute
    }
    assert amis == {
        "aws_instance.by_data": AL2023,
        "aws_instance.other": None,
        "aws_instance.from_template": AL2023,
        "aws_launch_template.lt": AL2023,
    }
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    assert [f.resource for f in lint_paths([str(path)]).findings] == ["aws_instance.other"]


def test_a_null_marked_unknown_is_unknown_not_unset() -> None:
    values = {"name": "app", "permissions_boundary": None, "path": None}
    text = plan_text(
        [resource("aws_iam_role", "app", values)],
        [change("aws_iam_role.app", {"permissions_boundary": True})],
    )
    (app,) = parse_plan_text(text).roles
    assert app.path is None
    assert app.permissions_boundary is not None
    assert (app.permissions_boundary.text, app.permissions_boundary.unresolved_reason) == (
        None,
        UNKNOWN,
    )


def test_exclusive_attachments_reach_their_holder_as_in_hcl() -> None:
    """The HCL reader took them; the plan reader left them out, so an administrator policy
    attached this way gave no finding."""
    policy = resource("aws_iam_policy", "mine", {"arn": "arn:aws:iam::111122223333:policy/mine"})
    policy["values"]["policy"] = policy_text({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    text = plan_text(
        [
            resource("aws_iam_role", "r", {"name": "r"}),
            resource("aws_iam_role", "other", {"name": "other"}),
            policy,
            resource(
                "aws_iam_role_policy_attachments_exclusive",
                "x",
                {"role_name": "r", "policy_arns": [ADMIN, "arn:aws:iam::111122223333:policy/mine"]},
            ),
        ]
    )
    inventory = parse_plan_text(text)
    held = {
        r.id: ([m.arn.text for m in r.managed_policy_arns], len(r.policies))
        for r in inventory.roles
    }
    assert held == {"aws_iam_role.r": ([ADMIN], 1), "aws_iam_role.other": ([], 0)}


def test_the_account_the_caller_identity_read_is_the_own_account(tmp_path: Path) -> None:
    """HCL reads data.aws_caller_identity as the own account; a plan has the account id written
    into the trust policy, where it was an outside account without an external id (RL102)."""
    trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        }
    )
    role_values = {"name": "ops", "assume_role_policy": trust}
    plan = json.loads(plan_text([resource("aws_iam_role", "ops", role_values)]))
    assert {rule for rule, _ in lint_text(tmp_path, json.dumps(plan, indent=2))} == {"RL102"}
    identity_values = {"account_id": "444455556666", "id": "444455556666"}
    caller = {**resource("aws_caller_identity", "current", identity_values), "mode": "data"}
    plan["prior_state"] = {"values": {"root_module": {"resources": [caller]}}}
    assert lint_text(tmp_path, json.dumps(plan, indent=2)) == set()


@pytest.mark.parametrize(
    "membership", ["aws_iam_group_membership", "aws_iam_user_group_membership"]
)
def test_users_hold_the_policies_of_their_groups(tmp_path: Path, membership: str) -> None:
    """Plans read no group membership: a user whose group may assume an admin role could not
    (RL401 missed), where HCL of the same code reports it."""
    admin_trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        }
    )
    assume = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::111122223333:role/admin",
        }
    )
    members = (
        {"name": "m", "group": "deployers", "users": ["ci"]}
        if membership == "aws_iam_group_membership"
        else {"user": "ci", "groups": ["deployers"]}
    )
    resources = [
        resource(
            "aws_iam_role",
            "admin",
            {
                "name": "admin",
                "arn": "arn:aws:iam::111122223333:role/admin",
                "assume_role_policy": admin_trust,
                "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
            },
        ),
        resource("aws_iam_group", "deployers", {"name": "deployers"}),
        resource("aws_iam_group_policy", "assume", {"group": "deployers", "policy": assume}),
        resource("aws_iam_user", "ci", {"name": "ci", "arn": "arn:aws:iam::111122223333:user/ci"}),
        resource(membership, "m", members),
    ]
    found = lint_text(tmp_path, plan_text(resources), name="plan.json")
    assert "RL401" in {rule for rule, _ in found}


S3_ONLY = policy_text({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
SERVICE_TRUST = policy_text(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
)


@pytest.mark.parametrize("known", [True, False], ids=["state-arn", "plan-reference"])
@pytest.mark.parametrize("kind", ["aws_iam_role", "aws_iam_user"])
def test_a_boundary_policy_of_the_plan_limits_its_holder(
    tmp_path: Path, known: bool, kind: str
) -> None:
    """The boundary was kept as an ARN only: its holder's AdministratorAccess gave RL201 and the
    boundary policy was checked as a policy of its own (RL202/RL203/RL208), where HCL of the same
    code limits the holder to the boundary and checks nothing standalone."""
    arn = "arn:aws:iam::111122223333:policy/boundary"
    boundary = resource("aws_iam_policy", "boundary", {"name": "boundary", "policy": S3_ONLY})
    values: dict[str, Any] = {"name": "app"}
    resources = [boundary, resource(kind, "app", values)]
    if kind == "aws_iam_role":
        values.update(assume_role_policy=SERVICE_TRUST, managed_policy_arns=[ADMIN])
    else:
        attach = {"user": "app", "policy_arn": ADMIN}
        resources.append(resource("aws_iam_user_policy_attachment", "admin", attach))
    if known:
        boundary["values"]["arn"] = arn
        values["permissions_boundary"] = arn
    changes = [] if known else [change(f"{kind}.app", {"permissions_boundary": True})]
    references = ["aws_iam_policy.boundary.arn", "aws_iam_policy.boundary"]
    expressions: dict[str, Any] = {"permissions_boundary": {"references": references}}
    if kind == "aws_iam_role":  # set by the role itself, not mirrored from an attachment
        expressions["managed_policy_arns"] = {"constant_value": [ADMIN]}
    config = {"resources": [configured(kind, "app", expressions)]}
    text = plan_text(resources, changes, config)
    inventory = parse_plan_text(text)
    holders = inventory.roles if kind == "aws_iam_role" else inventory.identities
    assert [[(d.kind, d.resource) for d in h.policies] for h in holders] == [
        [(PolicyKind.BOUNDARY, "aws_iam_policy.boundary")]
    ]
    assert inventory.standalone_policies == []
    line = line_of(text, ADMIN)
    assert lint_text(tmp_path, text) == {("RL202", line), ("RL203", line), ("RL208", line)}


EVERYTHING = policy_text({"Effect": "Allow", "Action": "*", "Resource": "*"})
READ_ARN = "arn:aws:iam::111122223333:policy/read"


@pytest.mark.parametrize(
    ("planned", "marks", "references", "held"),
    [
        # var.admin ? [aws_iam_policy.admin.arn] : [aws_iam_policy.read.arn]
        ([None], [True], ["var.admin", "admin", "read"], []),
        (None, True, ["var.admin", "admin", "read"], []),
        # aws_iam_policy.read.path == "/" ? [...admin.arn] : [...read.arn]: two for one element
        ([None], [True], ["admin", "read"], []),
        # [aws_iam_policy.admin.arn, aws_iam_policy.read.arn]
        ([None, None], [True, True], ["admin", "read"], ["admin", "read"]),
        (None, True, ["admin", "read"], ["admin", "read"]),
        # the same, aws_iam_policy.read already exists: its ARN is known
        ([READ_ARN, None], [False, True], ["admin", "read"], ["read", "admin"]),
    ],
    ids=[
        "conditional",
        "conditional-whole-set",
        "more-references-than-elements",
        "plain-list",
        "plain-list-whole-set",
        "known-and-unknown",
    ],
)
def test_unknown_policy_arns_follow_their_references_only_when_the_list_is_plain(
    planned: list[str | None] | None,
    marks: Any,
    references: list[str],
    held: list[str],
) -> None:
    """Terraform lists the references of every branch of a conditional: the role held the
    administrator policy the configuration chose against (RL201 on it through the role,
    RL401/RL405 for whoever may assume it)."""
    admin = resource("aws_iam_policy", "admin", {"name": "admin", "policy": EVERYTHING})
    read = resource("aws_iam_policy", "read", {"name": "read", "policy": S3_ONLY})
    if planned is not None and READ_ARN in planned:
        read["values"]["arn"] = READ_ARN
    values: dict[str, Any] = {"name": "app", "assume_role_policy": SERVICE_TRUST}
    if planned is not None:
        values["managed_policy_arns"] = planned
    expression = [
        text if text.startswith("var.") else f"aws_iam_policy.{text}{suffix}"
        for text in references
        for suffix in ((".arn", "") if not text.startswith("var.") else ("",))
    ]
    text = plan_text(
        [admin, read, resource("aws_iam_role", "app", values)],
        [change("aws_iam_role.app", {"managed_policy_arns": marks})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role", "app", {"managed_policy_arns": {"references": expression}}
                )
            ]
        },
    )
    inventory = parse_plan_text(text)
    (app,) = inventory.roles
    assert [d.resource.removeprefix("aws_iam_policy.") for d in app.policies] == held
    standalone = {d.resource for d in inventory.standalone_policies}
    assert standalone == {f"aws_iam_policy.{name}" for name in ("admin", "read")} - {
        f"aws_iam_policy.{name}" for name in held
    }


def test_a_role_the_configuration_does_not_make_admin_is_no_chaining_target(tmp_path: Path) -> None:
    """``var.admin ? [admin.arn] : [read.arn]`` planned with admin false: the role held both
    policies, so the role that may assume it was reported as reaching administrator access."""
    ci_arn, app_arn = "arn:aws:iam::111122223333:role/ci", "arn:aws:iam::111122223333:role/app"
    trust = policy_text(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ci_arn}}
    )
    hop = policy_text({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": app_arn})
    app = {"name": "app", "arn": app_arn, "assume_role_policy": trust}
    ci: dict[str, Any] = {"name": "ci", "arn": ci_arn, "assume_role_policy": SERVICE_TRUST}
    ci["inline_policy"] = [{"name": "hop", "policy": hop}]
    references = [
        "var.admin",
        "aws_iam_policy.admin.arn",
        "aws_iam_policy.admin",
        "aws_iam_policy.read.arn",
        "aws_iam_policy.read",
    ]
    text = plan_text(
        [
            resource("aws_iam_policy", "admin", {"name": "admin", "policy": EVERYTHING}),
            resource("aws_iam_role", "app", app),
            resource("aws_iam_role", "ci", ci),
        ],
        [change("aws_iam_role.app", {"managed_policy_arns": True})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role", "app", {"managed_policy_arns": {"references": references}}
                )
            ]
        },
    )
    caller = {
        **resource("aws_caller_identity", "current", {"account_id": "111122223333"}),
        "mode": "data",
    }
    plan = json.loads(text)
    plan["prior_state"] = {"values": {"root_module": {"resources": [caller]}}}
    text = json.dumps(plan, indent=2)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    found = {
        (f.rule_id, f.location.line, f.severity.value) for f in lint_paths([str(path)]).findings
    }
    # The administrator policy is checked on its own, where it is written; ci reaches a role
    # that is not admin: a hop of the map, not a path to administrator access.
    assert found == {
        ("RL201", line_of(text, '"policy": "{\\"Statement'), "critical"),
        ("RL401", line_of(text, '"policy": "{\\"Statement', 2), "low"),
    }


def with_caller(text: str, account: str = "111122223333", providers: int = 0) -> str:
    """The plan with ``data.aws_caller_identity`` in its prior state, and ``providers`` AWS
    provider configurations (the second an alias)."""
    caller = {
        **resource("aws_caller_identity", "current", {"account_id": account}),
        "mode": "data",
    }
    plan = json.loads(text)
    plan["prior_state"] = {"values": {"root_module": {"resources": [caller]}}}
    if providers:
        configs = {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}}
        if providers > 1:
            configs["aws.other"] = {**configs["aws"], "alias": "other"}
        plan.setdefault("configuration", {"root_module": {}})["provider_config"] = configs
    return json.dumps(plan, indent=2)


def test_new_roles_are_in_the_account_the_caller_identity_read(tmp_path: Path) -> None:
    """A new role's ARN was written in the symbolic account while the plan's policies have the
    caller's account rendered in: ci allowed to assume arn:aws:iam::111122223333:role/admin
    never reached the new role admin (no RL401/RL405, where HCL of the same code has both)."""
    hop = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::111122223333:role/admin",
        }
    )
    trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
        }
    )
    ci: dict[str, Any] = {"name": "ci", "assume_role_policy": SERVICE_TRUST}
    ci["inline_policy"] = [{"name": "hop", "policy": hop}]
    admin = {"name": "admin", "assume_role_policy": trust, "managed_policy_arns": [ADMIN]}
    text = with_caller(
        plan_text(
            [resource("aws_iam_role", "ci", ci), resource("aws_iam_role", "admin", admin)],
            [change(f"aws_iam_role.{name}", {"arn": True}) for name in ("ci", "admin")],
        ),
        providers=1,
    )
    assert lint_text(tmp_path, text) == {
        ("RL201", line_of(text, ADMIN)),
        ("RL401", line_of(text, "role/admin")),
        ("RL405", line_of(text, "ec2.amazonaws.com")),
    }


@pytest.mark.parametrize(
    ("caller", "providers", "account"),
    [
        (None, 1, THIS_ACCOUNT),
        ("111122223333", 1, "111122223333"),
        ("111122223333", 2, THIS_ACCOUNT),  # an aliased provider may be another account
    ],
    ids=["no-caller", "one-caller", "two-providers"],
)
def test_a_new_role_takes_the_caller_account_only_when_it_is_certain(
    caller: str | None, providers: int, account: str
) -> None:
    text = plan_text([resource("aws_iam_role", "new", {"name": "new"})])
    text = with_caller(text, caller, providers=providers) if caller else text
    (new,) = parse_plan_text(text).roles
    assert new.arn.text == f"arn:aws:iam::{account}:role/new"


def test_the_accounts_of_roles_a_state_holds_are_own_accounts(tmp_path: Path) -> None:
    """A state role trusting its own account's root was taken for cross-account trust without
    an external id (RL102 high), where the export of the same role is silent."""
    trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        },
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        },
    )
    values = {"name": "app", "arn": "arn:aws:iam::111122223333:role/app"}
    values["assume_role_policy"] = trust
    state = json.loads(plan_text([resource("aws_iam_role", "app", values)]))
    state["values"] = state.pop("planned_values")
    text = json.dumps(state, indent=2)
    assert parse_source("state.json", text).own_accounts == {"111122223333"}
    found = lint_text(tmp_path, text, name="state.json")
    # One finding at the trust policy's string: the other account, not the own one.
    assert found == {("RL102", line_of(text, '"assume_role_policy"'))}
    path = tmp_path / "state.json"
    [finding] = lint_paths([str(path)]).findings
    assert "444455556666" in finding.message


# --- one IAM name, several resources -------------------------------------------------------------

SERVICE_TRUST_EC2 = policy_text(
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}
)
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def deploy_module(key: str, policy_arn: str) -> dict[str, Any]:
    """``module.<key>``: a role named "deploy" and an attachment naming it, as one module
    called twice (two environments, two accounts) plans them."""
    module = f"module.{key}"
    role_values = {"name": "deploy", "assume_role_policy": SERVICE_TRUST_EC2}
    attachment = {"role": "deploy", "policy_arn": policy_arn}
    return {
        "address": module,
        "resources": [
            resource("aws_iam_role", "this", role_values, module),
            resource("aws_iam_role_policy_attachment", "this", attachment, module),
        ],
    }


@pytest.mark.parametrize("references", [True, False], ids=["references", "names-only"])
def test_a_module_attachment_links_the_role_of_its_own_module_instance(
    tmp_path: Path, references: bool
) -> None:
    """Two module instances each create a role "deploy": the first one of that name in the
    plan took both attachments, so the dev role was reported administrator and prod silent."""
    attachment_role = {"references": ["aws_iam_role.this.name", "aws_iam_role.this"]}
    module_config = {
        "resources": [
            configured("aws_iam_role", "this", {"name": {"constant_value": "deploy"}}),
            configured(
                "aws_iam_role_policy_attachment",
                "this",
                {"role": attachment_role} if references else {},
            ),
        ]
    }
    text = plan_text(
        [],
        configuration={
            "module_calls": {
                key: {"source": "./baseline", "module": module_config} for key in ("dev", "prod")
            }
        },
        child_modules=[deploy_module("dev", READ_ONLY), deploy_module("prod", ADMIN)],
    )
    assert attached_arns(text) == {
        "module.dev.aws_iam_role.this": [READ_ONLY],
        "module.prod.aws_iam_role.this": [ADMIN],
    }
    assert lint_text(tmp_path, text) == {("RL201", line_of(text, f'"policy_arn": "{ADMIN}"'))}


def aliased_plan(attachment_role: dict[str, Any], providers: bool) -> str:
    """Roles "deploy" of two provider aliases (two accounts) and an administrator attachment
    created through ``aws.prod``."""
    trust = {"name": "deploy", "assume_role_policy": SERVICE_TRUST_EC2}
    attachment = {"role": "deploy", "policy_arn": ADMIN}
    resources = [
        configured("aws_iam_role", "dev", {"name": {"constant_value": "deploy"}}),
        configured("aws_iam_role", "prod", {"name": {"constant_value": "deploy"}}),
        configured("aws_iam_role_policy_attachment", "admin", {"role": attachment_role}),
    ]
    if providers:
        for entry, key in zip(resources, ("aws.dev", "aws.prod", "aws.prod"), strict=True):
            entry["provider_config_key"] = key
    return plan_text(
        [
            resource("aws_iam_role", "dev", trust),
            resource("aws_iam_role", "prod", trust),
            resource("aws_iam_role_policy_attachment", "admin", attachment),
        ],
        configuration={"resources": resources},
    )


@pytest.mark.parametrize(
    ("attachment_role", "providers"),
    [
        ({"references": ["aws_iam_role.prod.name", "aws_iam_role.prod"]}, False),
        ({"constant_value": "deploy"}, True),
    ],
    ids=["reference", "own-provider"],
)
def test_an_attachment_links_the_role_its_configuration_or_provider_names(
    tmp_path: Path, attachment_role: dict[str, Any], providers: bool
) -> None:
    """``role = aws_iam_role.prod.name`` (or ``"deploy"`` through ``aws.prod``) beside an
    ``aws_iam_role.dev`` of the same name: the first role of that name got the policy."""
    text = aliased_plan(attachment_role, providers)
    assert attached_arns(text) == {"aws_iam_role.dev": [], "aws_iam_role.prod": [ADMIN]}
    assert lint_text(tmp_path, text) == {("RL201", line_of(text, f'"policy_arn": "{ADMIN}"'))}


def test_a_name_several_roles_have_links_none_with_a_note(tmp_path: Path) -> None:
    """Neither a reference nor a provider tells the two roles "deploy" apart: no guess."""
    text = aliased_plan({"constant_value": "deploy"}, providers=False)
    assert attached_arns(text) == {"aws_iam_role.dev": [], "aws_iam_role.prod": []}
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.findings == []
    [notice] = report.notices
    assert notice.line == line_of(text, '"address": "aws_iam_role_policy_attachment.admin"')
    assert "the role name 'deploy' is given to 2 roles of this plan" in notice.message


@pytest.mark.parametrize("configured_lists", [False, True], ids=["mirrored", "configured"])
def test_policies_the_plan_removes_are_not_the_roles(
    tmp_path: Path, configured_lists: bool
) -> None:
    """The plan deletes the role's attachment and role policy: the provider still plans the
    role's unconfigured managed_policy_arns and inline_policy with what the role has before
    apply, which gave RL201 twice for policies the plan removes.  Lists the role's own
    configuration sets are the role's policies."""
    destroyed = [
        {
            "address": f"{kind}.admin",
            "type": kind,
            "change": {"actions": ["delete"], "before": before, "after": None},
        }
        for kind, before in (
            ("aws_iam_role_policy", {"role": "app", "name": "admin", "policy": EVERYTHING}),
            ("aws_iam_role_policy_attachment", {"role": "app", "policy_arn": ADMIN}),
        )
    ]
    values = {
        "name": "app",
        "arn": "arn:aws:iam::111122223333:role/app",
        "assume_role_policy": SERVICE_TRUST_EC2,
        "managed_policy_arns": [ADMIN],
        "inline_policy": [{"name": "admin", "policy": EVERYTHING}],
    }
    expressions: dict[str, Any] = {"name": {"constant_value": "app"}}
    if configured_lists:
        expressions["managed_policy_arns"] = {"constant_value": [ADMIN]}
        expressions["inline_policy"] = [{"name": {"constant_value": "admin"}}]
    text = plan_text(
        [resource("aws_iam_role", "app", values)],
        destroyed,
        configuration={"resources": [configured("aws_iam_role", "app", expressions)]},
    )
    expected = {
        ("RL201", line_of(text, f'"{ADMIN}"')),
        ("RL201", line_of(text, '"policy": "{')),
    }
    assert lint_text(tmp_path, text) == (expected if configured_lists else set())


DEPLOY_ARN = "arn:aws:iam::111122223333:policy/deploy"


@pytest.mark.parametrize("exclusive", [False, True], ids=["attachments", "exclusive"])
def test_managed_policies_attached_outside_the_configuration_stay_on_the_role(
    tmp_path: Path, exclusive: bool
) -> None:
    """A "no changes" plan of a role to which AdministratorAccess was attached outside this
    configuration, which does not set managed_policy_arns: the provider leaves such attachments
    alone, so the role keeps it after apply, and the state of the same role gave RL201 where
    the plan gave nothing.  The list still goes without what the plan detaches (an
    aws_iam_policy_attachment whose roles no longer name the role), and all of it when an
    exclusive attachment resource of the plan sets the role's whole list."""
    values = {
        "name": "app",
        "arn": "arn:aws:iam::111122223333:role/app",
        "assume_role_policy": SERVICE_TRUST_EC2,
        "managed_policy_arns": [ADMIN, DEPLOY_ARN],
    }
    shared = {"name": "shared", "policy_arn": DEPLOY_ARN}
    resources = [
        resource("aws_iam_role", "app", values),
        resource("aws_iam_policy_attachment", "shared", {**shared, "roles": ["other"]}),
    ]
    changes: list[dict[str, Any]] = [
        {"address": "aws_iam_role.app", "change": {"actions": ["no-op"], "after_unknown": {}}},
        {
            "address": "aws_iam_policy_attachment.shared",
            "type": "aws_iam_policy_attachment",
            "change": {
                "actions": ["update"],
                "before": {**shared, "roles": ["app", "other"]},
                "after": {**shared, "roles": ["other"]},
                "after_unknown": {},
            },
        },
    ]
    if exclusive:
        only = {"role_name": "app", "policy_arns": []}
        resources.append(resource("aws_iam_role_policy_attachments_exclusive", "app", only))
    expressions = {"name": {"constant_value": "app"}}
    text = plan_text(
        resources,
        changes,
        configuration={"resources": [configured("aws_iam_role", "app", expressions)]},
    )
    app = role(parse_plan_text(text), "aws_iam_role.app")
    held = [m.arn.text for m in app.managed_policy_arns]
    assert held == ([] if exclusive else [ADMIN])
    expected = set() if exclusive else {("RL201", line_of(text, f'"{ADMIN}"'))}
    assert lint_text(tmp_path, text) == expected


def exclusive_inline_plan(policy_names: Any, *, block_configured: bool = False) -> str:
    """A role whose planned inline_policy lists ``legacy`` (every action, added outside
    Terraform) and ``read``, the role policy resource ``read``, and an
    aws_iam_role_policies_exclusive of the role keeping ``policy_names``."""
    read = policy_text(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    )
    values = {
        "name": "app",
        "arn": "arn:aws:iam::111122223333:role/app",
        "assume_role_policy": SERVICE_TRUST_EC2,
        "inline_policy": [
            {"name": "legacy", "policy": EVERYTHING},
            {"name": "read", "policy": read},
        ],
    }
    exclusive: dict[str, Any] = {"role_name": "app"}
    marks: dict[str, Any] = {}
    if policy_names is None:
        marks["policy_names"] = True
    else:
        exclusive["policy_names"] = policy_names
    role_expressions: dict[str, Any] = {"name": {"constant_value": "app"}}
    if block_configured:
        role_expressions["inline_policy"] = [{"name": {"constant_value": "legacy"}}]
    text = plan_text(
        [
            resource("aws_iam_role", "app", values),
            resource(
                "aws_iam_role_policy", "read", {"name": "read", "role": "app", "policy": read}
            ),
            resource("aws_iam_role_policies_exclusive", "app", exclusive),
        ],
        [change("aws_iam_role_policies_exclusive.app", marks)],
        configuration={
            "resources": [
                configured("aws_iam_role", "app", role_expressions),
                configured(
                    "aws_iam_role_policies_exclusive",
                    "app",
                    {"role_name": {"references": ["aws_iam_role.app.name", "aws_iam_role.app"]}},
                ),
            ]
        },
    )
    return text


def test_an_exclusive_inline_policy_resource_removes_the_policies_it_does_not_name(
    tmp_path: Path,
) -> None:
    """aws_iam_role_policies_exclusive deletes every inline policy of the role it does not
    list; the plan still lists them on the role (the provider plans it as it is before apply),
    so one added outside Terraform that the apply deletes gave a critical RL201.  It is now
    left out, as HCL never sees it; the role policy resource stays."""
    text = exclusive_inline_plan(["read"])
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert (report.findings, report.notices, report.errors) == ([], [], [])
    app = role(parse_plan_text(text), "aws_iam_role.app")
    assert [d.origin for d in app.policies] == ["inline policy aws_iam_role_policy.read"]


def test_an_exclusive_inline_policy_resource_whose_names_are_unknown_removes_nothing(
    tmp_path: Path,
) -> None:
    """Names known only after apply say nothing of what is removed: every policy of the role
    is analyzed, with a note at the resource."""
    text = exclusive_inline_plan(None)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert {(f.rule_id, f.location.line) for f in report.findings} == {
        ("RL201", line_of(text, '"name": "legacy"') + 1)
    }
    line = line_of(text, '"address": "aws_iam_role_policies_exclusive.app"')
    assert [(n.line, n.message) for n in report.notices] == [
        (
            line,
            "aws_iam_role_policies_exclusive.app: policy_names is known only after apply, so"
            " which inline policies it removes from role aws_iam_role.app is not known; all of"
            " them are analyzed",
        )
    ]


def test_an_inline_policy_block_the_configuration_sets_stays_as_in_hcl(tmp_path: Path) -> None:
    """The HCL reader keeps an ``inline_policy`` block whatever an exclusive resource lists;
    so does the plan reader when the configuration sets the block."""
    text = exclusive_inline_plan(["read"], block_configured=True)
    assert {rule for rule, _ in lint_text(tmp_path, text)} == {"RL201"}


def test_a_deposed_object_of_a_state_is_left_out_with_a_note(tmp_path: Path) -> None:
    """``terraform show -json`` of a state whose create_before_destroy replacement failed to
    destroy the old role: both objects have the address aws_iam_role.app, and were merged into
    one role, trusted by account 444455556666 and admin (RL102 for a trust the current role
    does not have).  The deposed object, which the next apply destroys, is left out with a
    note; the current role is read alone."""
    current = {
        "name": "app-v2",
        "arn": "arn:aws:iam::111122223333:role/app-v2",
        "assume_role_policy": SERVICE_TRUST_EC2,
        "managed_policy_arns": [ADMIN],
    }
    account_trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        }
    )
    old = {
        "name": "app-v1",
        "arn": "arn:aws:iam::111122223333:role/app-v1",
        "assume_role_policy": account_trust,
        "managed_policy_arns": [],
    }
    deposed = {**resource("aws_iam_role", "app", old), "deposed_key": "abcd1234"}
    state = {
        "format_version": "1.0",
        "values": {
            "root_module": {"resources": [resource("aws_iam_role", "app", current), deposed]}
        },
    }
    text = json.dumps(state, indent=2)
    (app,) = parse_plan_text(text, "state.json").roles
    assert app.name is not None and app.name.text == "app-v2"
    assert app.ref.line == line_of(text, '"address": "aws_iam_role.app"')
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert finding_set(report.findings) == {("RL201", line_of(text, f'"{ADMIN}"'))}
    assert [(n.line, n.message) for n in report.notices] == [
        (
            line_of(text, '"address": "aws_iam_role.app"', 2),
            "aws_iam_role.app (deposed object abcd1234) is not analyzed: a replaced object"
            " whose destroy failed, which the next apply destroys; until then it still exists"
            " in AWS",
        )
    ]


def test_the_delete_of_a_deposed_object_keeps_the_current_objects_marks(tmp_path: Path) -> None:
    """A plan lists the delete of a deposed object under the current object's address, after
    its change: its empty after_unknown replaced the current role's marks, so the trust policy
    known only after apply was taken for one not set, without its note."""
    delete = {"actions": ["delete"], "before": {"name": "app"}, "after": None, "after_unknown": {}}
    deposed_delete = {"address": "aws_iam_role.app", "deposed": "abcd1234", "change": delete}
    text = plan_text(
        [resource("aws_iam_role", "app", {"name": "app"})],
        [change("aws_iam_role.app", {"assume_role_policy": True}), deposed_delete],
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    assert [n.message for n in lint_paths([str(path)]).notices] == [
        "the trust policy of role aws_iam_role.app is not analyzed: known only after apply"
    ]


def test_a_policy_string_past_the_limits_is_an_input_error_not_rl604(tmp_path: Path) -> None:
    """A policy nested 300 deep is JSON rolelint does not read, not "not a policy document
    object" (RL604, IAM rejects it): the reason is given as an input error."""
    deep = '{"Version":"2012-10-17","Statement":' + "[" * 300 + "]" * 300 + "}"
    text = plan_text([resource("aws_iam_policy", "p", {"name": "p", "policy": deep})])
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.findings == []
    assert [(e.line, e.message) for e in report.errors] == [
        (
            line_of(text, '"policy": "{'),
            "the policy aws_iam_policy.p cannot be read (too deeply nested: more than"
            " 200 levels); it is not analyzed",
        )
    ]


@pytest.mark.parametrize("unknown", [True, False], ids=["known-after-apply", "not-set"])
def test_an_inline_policy_without_a_known_name_is_named_by_its_address_as_in_hcl(
    tmp_path: Path, unknown: bool
) -> None:
    """The finding read "Inline policy '<unresolved: known only after apply>' of role ...",
    where HCL of the same code says "Inline policy aws_iam_role_policy.p"."""
    policy = resource("aws_iam_role_policy", "p", {"role": "r", "policy": EVERYTHING})
    text = plan_text(
        [resource("aws_iam_role", "r", {"name": "r", "assume_role_policy": SERVICE_TRUST}), policy],
        [change("aws_iam_role_policy.p", {"name": True} if unknown else {})],
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    [finding] = lint_paths([str(path)]).findings
    assert (finding.rule_id, finding.location.line) == ("RL201", line_of(text, '"policy": "{'))
    assert finding.message.startswith("Inline policy aws_iam_role_policy.p allows every action")


INSTANCE_KEYS = PLANS / "instance-keys"


def test_attachments_known_by_instance_key_reach_the_roles_hcl_names() -> None:
    """A real plan (``instance-keys/main.tf``): ``aws_iam_role.team[each.key]``,
    ``aws_iam_role.worker[count.index]``, ``for_each = aws_iam_role.team`` with
    ``each.value.id`` and ``[for r in aws_iam_role.team : r.id]`` are written to the plan as
    the resource without instance key (plus ``each.key``, ``count.index``, ``each.value``),
    with the role known only after apply.  Every such attachment was dropped without a word:
    the plan gave none of the findings the same configuration gives as HCL."""
    plan = lint_paths([str(INSTANCE_KEYS / "plan.json")])
    hcl = lint_paths([str(INSTANCE_KEYS / "main.tf")])
    assert plan.errors == hcl.errors == []
    assert plan.notices == []

    def verdicts(report: Report) -> list[tuple[str, str, str | None]]:
        return sorted((f.rule_id, f.severity.value, f.role) for f in report.findings)

    assert verdicts(plan) == verdicts(hcl)
    team = [f'aws_iam_role.team["{key}"]' for key in ("app", "ops")]
    workers = [f"aws_iam_role.worker[{index}]" for index in (0, 1)]
    admin = [
        (f.role, f.message.split(" allows ")[0]) for f in plan.findings if f.rule_id == "RL201"
    ]
    assert sorted(admin) == sorted(
        [
            *(
                (
                    f'aws_iam_role.team["{key}"]',
                    f'Inline policy aws_iam_role_policy.by_value["{key}"]',
                )
                for key in ("app", "ops")
            ),
            *(
                (role, f"AWS managed policy {name} ({version}) attached to role {role}")
                for name, version in (
                    ("AdministratorAccess", "v1, edited 2015-02-06"),
                    ("IAMFullAccess", "v2, edited 2019-06-21"),
                )
                for role in team
            ),
        ]
    )
    assert sorted(f.role or "" for f in plan.findings if f.rule_id == "RL206") == workers


def keyed(kind: str, name: str, key: str, values: dict[str, Any]) -> dict[str, Any]:
    """One ``for_each`` instance of a resource of ``planned_values``."""
    entry = resource(kind, name, values)
    entry.update(address=f'{kind}.{name}["{key}"]', index=key)
    return entry


@pytest.mark.parametrize(
    ("references", "iterates", "linked"),
    [
        (["aws_iam_role.team", "each.key"], None, "b"),
        (["each.value.id", "each.value"], ["aws_iam_role.team"], "b"),
        # aws_iam_role.team[local.pick[each.key]]: the key is computed, which role is not known
        (["aws_iam_role.team", "local.pick", "each.key"], None, None),
        # for_each over something else than the roles: each.value is not one of them
        (["each.value.id", "each.value"], ["var.roles"], None),
    ],
    ids=["each-key", "each-value", "computed-key", "each-value-of-a-variable"],
)
def test_an_attachment_named_by_its_own_key_links_that_instance_else_says_so(
    tmp_path: Path, references: list[str], iterates: list[str] | None, linked: str | None
) -> None:
    """The instance ``["b"]`` of an attachment means ``aws_iam_role.team["b"]``.  When the plan
    does not say which role it is, it was dropped silently: now a notice names it, and the
    AWS managed policy it attaches is checked on its own (RL201, no role)."""
    attachment = configured(
        "aws_iam_role_policy_attachment", "admin", {"role": {"references": references}}
    )
    if iterates is not None:
        attachment["for_each_expression"] = {"references": iterates}
    address = 'aws_iam_role_policy_attachment.admin["b"]'
    text = plan_text(
        [
            *team_roles("a", "b"),
            keyed("aws_iam_role_policy_attachment", "admin", "b", {"policy_arn": ADMIN}),
        ],
        [change(address, {"id": True, "role": True})],
        configuration={"resources": [attachment]},
    )
    assert attached_arns(text) == {
        'aws_iam_role.team["a"]': [],
        'aws_iam_role.team["b"]': [ADMIN] if linked else [],
    }
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    [finding] = report.findings
    assert (finding.rule_id, finding.location.line) == ("RL201", line_of(text, ADMIN))
    if linked:
        assert report.notices == []
        assert finding.role == 'aws_iam_role.team["b"]'
        return
    assert (finding.role, finding.resource) == (None, address)
    assert f"AdministratorAccess (v1, edited 2015-02-06) attached to a role by {address}" in (
        finding.message
    )
    [notice] = report.notices
    assert notice.line == line_of(
        text, f'"address": "{address.replace(chr(34), chr(92) + chr(34))}"'
    )
    assert notice.message == (
        f"{address}: the role it attaches to is known only after apply and the plan's"
        " references do not say which role of this plan it is, so none is linked; the policy"
        " is checked on its own"
    )


def test_a_role_policy_whose_role_is_not_known_stands_alone_with_a_notice(
    tmp_path: Path,
) -> None:
    """An ``aws_iam_role_policy`` whose role the plan does not tell was checked standalone
    without a word: now a notice says it was linked to no role."""
    text = plan_text(
        [
            *team_roles("a", "b"),
            resource("aws_iam_role_policy", "admin", {"name": "admin", "policy": EVERYTHING}),
        ],
        [change("aws_iam_role_policy.admin", {"id": True, "role": True})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role_policy",
                    "admin",
                    {"role": {"references": ["aws_iam_role.team", "var.which"]}},
                )
            ]
        },
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    [finding] = report.findings
    assert (finding.rule_id, finding.role) == ("RL201", None)
    [notice] = report.notices
    assert notice.line == line_of(text, '"address": "aws_iam_role_policy.admin"')
    assert notice.message.startswith("aws_iam_role_policy.admin: the role it attaches to is")


def test_a_whole_resource_list_of_roles_links_every_instance() -> None:
    """``roles = [for r in aws_iam_role.team : r.id]`` refers to ``aws_iam_role.team`` without
    key: every instance of it holds the policy."""
    text = plan_text(
        [
            *team_roles("a", "b"),
            resource("aws_iam_policy_attachment", "all", {"policy_arn": ADMIN, "users": None}),
        ],
        [change("aws_iam_policy_attachment.all", {"id": True, "roles": True})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_policy_attachment",
                    "all",
                    {"roles": {"references": ["aws_iam_role.team"]}},
                )
            ]
        },
    )
    assert attached_arns(text) == {
        'aws_iam_role.team["a"]': [ADMIN],
        'aws_iam_role.team["b"]': [ADMIN],
    }


@pytest.mark.parametrize("read_at_plan", [True, False], ids=["read", "deferred"])
def test_a_policy_data_source_looked_up_by_name_is_what_the_plan_read(
    tmp_path: Path, read_at_plan: bool
) -> None:
    """``policy_arn = data.aws_iam_policy.admin.arn`` with ``name = "AdministratorAccess"``:
    Terraform reads the data source while planning, so the plan has its ARN (RL201 as in HCL).
    A read deferred to apply leaves it unknown, the reference naming no policy of the plan:
    unresolved, no finding and no guess."""
    role_values = {"name": "app", "assume_role_policy": SERVICE_TRUST_EC2}
    attachment: dict[str, Any] = {"role": "app"}
    if read_at_plan:
        attachment["policy_arn"] = ADMIN
    reference = ["data.aws_iam_policy.admin.arn", "data.aws_iam_policy.admin"]
    text = plan_text(
        [
            resource("aws_iam_role", "app", role_values),
            resource("aws_iam_role_policy_attachment", "admin", attachment),
        ],
        [change("aws_iam_role_policy_attachment.admin", {"policy_arn": not read_at_plan})],
        configuration={
            "resources": [
                configured(
                    "aws_iam_role_policy_attachment",
                    "admin",
                    {
                        "role": {"constant_value": "app"},
                        "policy_arn": {"references": reference},
                    },
                )
            ]
        },
    )
    assert attached_arns(text) == {"aws_iam_role.app": [ADMIN if read_at_plan else None]}
    expected = {("RL201", line_of(text, f'"policy_arn": "{ADMIN}"'))} if read_at_plan else set()
    assert lint_text(tmp_path, text) == expected


DYNAMIC_INLINE = PLANS / "dynamic-inline"


def test_a_roles_inline_policies_the_configuration_does_not_show_are_still_read() -> None:
    """A real plan (``dynamic-inline/main.tf`` over ``prior.tfstate``).  Terraform leaves
    ``dynamic`` blocks out of the plan's configuration, so "inline_policy not configured" was
    taken for "the provider mirrors role policies" and the planned policies were dropped:
    ``dynamic "inline_policy"`` granting ``*`` gave nothing where its HCL gives RL201.  Now the
    planned inline policies are the role's unless a role policy of the plan accounts for them
    by role and name: ``kept`` is aws_iam_role_policy.kept (one finding, at the resource),
    ``old`` is a role policy the plan destroys (none), and ``console``, added outside
    Terraform, stays on the role (RL206)."""
    path = DYNAMIC_INLINE / "plan.json"
    text = path.read_text(encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    assert report.notices == []
    found = sorted(
        (f.rule_id, f.location.line, f.role, f.message.split(" allows ")[0])
        for f in report.findings
        if f.location.file == str(path)
    )
    # The first policies of the file are the planned values: the role app's, then legacy's
    # (console, kept, old), then aws_iam_role_policy.kept's.
    assert found == sorted(
        [
            (
                "RL201",
                line_of(text, '\\"Action\\":\\"*\\"'),
                "aws_iam_role.app",
                "Inline policy 'admin' of role aws_iam_role.app",
            ),
            (
                "RL206",
                line_of(text, "iam:PassRole"),
                "aws_iam_role.legacy",
                "Inline policy 'console' of role aws_iam_role.legacy",
            ),
            (
                "RL201",
                line_of(text, "iam:*", 2),
                "aws_iam_role.legacy",
                "Inline policy aws_iam_role_policy.kept",
            ),
        ]
    )


UNKNOWN_ROLE_POLICY = PLANS / "unknown-role-policy"


def test_a_role_policy_whose_new_text_is_known_only_after_apply_replaces_the_old_entry() -> None:
    """A real plan (``unknown-role-policy/main.tf`` over ``prior.tfstate``): it narrows
    ``aws_iam_role_policy.kept`` from ``iam:*`` to a bucket the plan creates, so the new text
    is known only after apply, while the role's planned ``inline_policy`` still lists the old
    ``iam:*`` text under that name.  The entry stayed on the role and gave a critical RL201
    for what the plan removes; now the resource takes its place as an unread policy, with
    the note HCL gives for a text it cannot read, and nothing is reported."""
    path = UNKNOWN_ROLE_POLICY / "plan.json"
    text = path.read_text(encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    assert report.findings == []
    [notice] = report.notices
    assert notice.message == (
        "the inline policy aws_iam_role_policy.kept is not analyzed: known only after apply"
    )
    assert notice.line == line_of(text, '"address": "aws_iam_role_policy.kept"')
    legacy = role(parse_plan_text(text, str(path)), "aws_iam_role.legacy")
    assert legacy.policies == ()
    [unread] = legacy.managed_policy_arns
    assert (unread.inline, unread.origin) == (True, "inline policy aws_iam_role_policy.kept")
    assert (unread.arn.text, unread.arn.unresolved_reason) == (None, UNKNOWN)


def test_a_role_inline_block_whose_text_is_known_only_after_apply_is_unread_not_nothing(
    tmp_path: Path,
) -> None:
    """A role's own ``inline_policy`` whose text names a resource the plan creates is absent
    from the planned values (``after_unknown``): the entry was dropped without a word and the
    role's access read "none".  It is held as an unread policy, with a note at the entry, unless
    a role policy resource of that name takes its place."""
    values: dict[str, Any] = {"name": "app", "assume_role_policy": ASSUME_BY_ANYONE}
    values["inline_policy"] = [{"name": "reports"}]
    unknown = {"inline_policy": [{"policy": True}]}
    text = plan_text(
        [resource("aws_iam_role", "app", values)], [change("aws_iam_role.app", unknown)]
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert [n.message for n in report.notices] == [
        "the inline policy 'reports' of role aws_iam_role.app is not analyzed: known only after"
        " apply"
    ]
    app = role(parse_plan_text(text, str(path)), "aws_iam_role.app")
    [unread] = app.managed_policy_arns
    assert (unread.inline, unread.arn.text) == (True, None)
    kept = resource("aws_iam_role_policy", "reports", {"name": "reports", "role": "app"})
    kept["values"]["policy"] = policy_text(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    )
    replaced = plan_text(
        [resource("aws_iam_role", "app", values), kept], [change("aws_iam_role.app", unknown)]
    )
    app = role(parse_plan_text(replaced, str(path)), "aws_iam_role.app")
    assert app.managed_policy_arns == () and len(app.policies) == 1


def test_a_node_groups_unseen_launch_template_is_the_node_groups() -> None:
    """A launch template the plan does not hold left the node group's tokens "set by the
    instance's launch template", as HCL no longer does."""
    plan = json.loads(node_group_plan(known=True))
    module = plan["planned_values"]["root_module"]
    module["resources"] = [r for r in module["resources"] if r["type"] != "aws_launch_template"]
    [group] = parse_plan_text(json.dumps(plan, indent=2)).compute
    assert group.http_tokens is not None
    assert group.http_tokens.unresolved_reason == "set by the node group's launch template"


def test_a_policy_the_plan_uses_only_as_a_boundary_links_from_another_file(
    tmp_path: Path,
) -> None:
    """As for an account export: a policy the plan creates and uses only as a role's boundary is
    still the policy a role of another file attaches by its ARN (rolelint.policy_links)."""
    ops = "arn:aws:iam::111122223333:policy/ops"
    wide = policy_text(
        {"Effect": "Allow", "Action": ["s3:PutObject", "iam:PassRole"], "Resource": "*"}
    )
    trust = policy_text(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": "ec2.amazonaws.com"},
        }
    )
    plan = plan_text(
        [
            resource(
                "aws_iam_policy", "ops", {"name": "ops", "path": "/", "arn": ops, "policy": wide}
            ),
            resource(
                "aws_iam_role",
                "bounded",
                {
                    "name": "bounded",
                    "arn": "arn:aws:iam::111122223333:role/bounded",
                    "assume_role_policy": trust,
                    "permissions_boundary": ops,
                },
            ),
        ]
    )
    (tmp_path / "plan.json").write_text(plan, encoding="utf-8")
    uses = {
        "RoleName": "uses-ops",
        "Path": "/",
        "Arn": "arn:aws:iam::111122223333:role/uses-ops",
        "AssumeRolePolicyDocument": json.loads(trust),
        "AttachedManagedPolicies": [{"PolicyName": "ops", "PolicyArn": ops}],
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"RoleDetailList": [uses]}), encoding="utf-8")
    findings = lint_paths([str(tmp_path)]).findings
    held = {(f.rule_id, f.role) for f in findings if f.role and f.role.endswith("uses-ops")}
    assert ("RL206", f"{export}#uses-ops") in held, sorted((f.rule_id, f.role) for f in findings)


def test_a_trust_policy_copied_by_reference_is_read_from_the_plan(tmp_path: Path) -> None:
    """The plan of ``assume_role_policy = aws_iam_role.legacy.assume_role_policy`` (a count
    of roles copying another role's argument): Terraform writes the copied text into every
    instance's planned values, known, so each role is judged from it and none is noted as
    known only after apply (the HCL reader reads the same configuration the same way)."""
    trust = ASSUME_BY_ANYONE + "\n"  # a heredoc's text, its last newline kept
    copies = [
        {
            **resource("aws_iam_role", "many", {"name": f"many-{i}", "assume_role_policy": trust}),
            "address": f"aws_iam_role.many[{i}]",
            "index": i,
        }
        for i in range(2)
    ]
    legacy = resource(
        "aws_iam_role", "legacy", {"name": "legacy-role", "assume_role_policy": trust}
    )
    text = plan_text(
        [legacy, *copies],
        [change(resource["address"], {"arn": True}) for resource in copies],
        {
            "resources": [
                configured(
                    "aws_iam_role",
                    "legacy",
                    {
                        "name": {"constant_value": "legacy-role"},
                        "assume_role_policy": {"constant_value": trust},
                    },
                ),
                {
                    **configured(
                        "aws_iam_role",
                        "many",
                        {
                            "assume_role_policy": {
                                "references": [
                                    "aws_iam_role.legacy.assume_role_policy",
                                    "aws_iam_role.legacy",
                                ]
                            },
                        },
                    ),
                    "count_expression": {"constant_value": 2},
                },
            ]
        },
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([str(path)])
    assert sorted((f.rule_id, f.role) for f in report.findings) == [
        ("RL101", "aws_iam_role.legacy"),
        ("RL101", "aws_iam_role.many[0]"),
        ("RL101", "aws_iam_role.many[1]"),
    ]
    assert (report.errors, report.notices) == ([], [])
