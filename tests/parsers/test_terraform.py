"""Terraform modules read into the role model, one fixture folder per way of writing a role.

Each test runs the real pipeline over ``fixtures/parsers/terraform/<form>/`` and asserts the
roles, their links and the exact findings with their lines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory, read_text
from rolelint.findings import Report
from rolelint.model import THIS_ACCOUNT, Inventory, PolicyKind, Role
from rolelint.parsers import (
    SKIP_TERRAFORM_CASE,
    SKIP_TERRAFORM_IGNORED,
    SKIP_UNLOADED_TFVARS,
    module_files,
)
from rolelint.parsers.terraform import (
    MAX_MODULE_DEPTH,
    MODULE_CYCLE,
    MODULE_TOO_DEEP,
    parse_terraform_directory,
    parse_terraform_file,
)
from rolelint.parsers.tf_eval import not_a_string
from rolelint.parsers.tf_module import TerraformModule, read_module
from tests.conftest import FIXTURES, run_rolelint
from tests.rules.harness import line_of

FORMS = FIXTURES / "parsers" / "terraform"


def inventory_of(form: str) -> Inventory:
    outcome = parse_terraform_directory(str(FORMS / form), read_text)
    assert outcome.errors == []
    return outcome.inventory


def role(inventory: Inventory, address: str) -> Role:
    return next(r for r in inventory.roles if r.id == address)


def findings(form: str) -> set[tuple[str, str, int]]:
    report = lint_paths([str(FORMS / form)])
    return {(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings}


def check(form: str) -> Report:
    return lint_paths([str(FORMS / form)])


def test_jsonencode_role_with_inline_and_managed_policies() -> None:
    app = role(inventory_of("jsonencode"), "aws_iam_role.app")
    assert app.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/apps/app-runtime"
    assert app.trust_policy is not None
    principals = [p.value.text for s in app.trust_policy.statements for p in s.principals]
    assert principals == ["ec2.amazonaws.com", "arn:aws:iam::210987654321:root"]
    assert app.trust_policy.statements[1].principals[0].value.ref.line == 16
    [inline] = app.policies
    assert inline.origin == "inline policy 'read-config' of role aws_iam_role.app"
    assert [a.text for a in inline.statements[0].actions] == [
        "ssm:GetParameter",
        "ssm:GetParameters",
    ]
    assert [m.arn.text for m in app.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ]
    [duration] = app.max_session_duration
    assert (duration.text, duration.ref.line, duration.ref.column) == ("7200", 22, 26)
    assert findings("jsonencode") == {("RL102", "main.tf", 16)}


def test_heredocs_plain_and_trimmed_point_inside_the_text() -> None:
    inventory = inventory_of("heredoc")
    builder = role(inventory, "aws_iam_role.builder")
    assert builder.trust_policy is not None
    [principal] = builder.trust_policy.statements[0].principals
    # The interpolated account is this account: no cross-account finding.
    assert principal.value.text == f"arn:aws:iam::{THIS_ACCOUNT}:root"
    assert (principal.value.ref.line, principal.value.ref.column) == (15, 28)
    [policy] = builder.policies
    first, second = policy.statements
    assert [r.text for r in first.resources] == [
        "arn:aws:s3:::ci-artifacts-123456789012",
        "arn:aws:s3:::ci-artifacts-123456789012/*",
    ]
    # An unknown variable inside the heredoc stays unknown: no privilege-escalation guess.
    [passable] = second.resources
    assert passable.text is None and "passable_role_arn" in (passable.unresolved_reason or "")
    assert (first.actions[0].ref.line, first.actions[0].ref.column) == (33, 21)
    assert findings("heredoc") == {("RL202", "main.tf", 33)}


def test_policy_document_merges_sources_overrides_and_dynamic_blocks() -> None:
    reporting = role(inventory_of("policy-document"), "aws_iam_role.reporting")
    [policy] = reporting.policies
    by_sid = {s.sid: s for s in policy.statements}
    # The document's own ReadLogs replaced the source's; the override replaced WriteMetrics.
    assert [a.text for a in by_sid["ReadLogs"].actions] == [
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
    ]
    assert [a.text for a in by_sid["WriteMetrics"].actions] == ["cloudwatch:*"]
    unnamed = [s for s in policy.statements if s.sid is None]
    bucket_resources = [r.text for s in unnamed for r in s.resources]
    assert (
        "arn:aws:s3:::reports/*" in bucket_resources
        and "arn:aws:s3:::exports/*" in bucket_resources
    )
    # The dynamic block over an unknown variable is analyzed once, its actions unknown.
    unknown_actions = [a for s in unnamed for a in s.actions if a.text is None]
    assert len(unknown_actions) == 1
    assert [s.sid for s in policy.statements if s.sid] == ["ReadLogs", "WriteMetrics"]
    assert reporting.trust_policy is not None
    [federated] = reporting.trust_policy.statements[0].principals
    assert federated.value.text == (
        f"arn:aws:iam::{THIS_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    )
    assert findings("policy-document") == {("RL202", "main.tf", 18), ("RL203", "main.tf", 19)}


DUPLICATE_SIDS = """\
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Trust"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
  statement {
    sid     = "Trust"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


def test_a_documents_own_statements_with_one_sid_are_all_analyzed(tmp_path: Path) -> None:
    """The second statement replaced the first, as a source's would be: the open trust was
    gone without a word.  The provider refuses such a document; both are analyzed, and RL606
    says why it fails."""
    (tmp_path / "main.tf").write_text(DUPLICATE_SIDS)
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.location.line) for f in report.findings) == [
        ("RL101", 7),
        ("RL606", 11),
    ]


MERGED_IN = """\
data "aws_iam_policy_document" "this" {
  source_policy_documents = [data.aws_iam_policy_document.part.json, local.encoded]
}
resource "aws_iam_policy" "this" {
  name   = "p"
  policy = data.aws_iam_policy_document.this.json
  tags = {
    team = "a"
  }
}
"""

MERGED_FROM = """\
variable "actions" {
  default = []
}
data "aws_iam_policy_document" "part" {
  statement {
    sid     = "Objects"
    actions = ["s3:GetObject"]
  }
  # rolelint:ignore RL604 accepted: filled in by the caller
  statement {
    sid       = "Empty"
    actions   = var.actions
    resources = ["arn:aws:s3:::b/*"]
  }
}
locals {
  encoded = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Encoded", Effect = "Allow", Action = "s3:PutObject" }]
  })
}
"""


def test_a_statement_merged_from_another_file_is_pointed_at_in_its_own_file(
    tmp_path: Path,
) -> None:
    """A statement of a ``source_policy_documents`` document written in another file was
    reported in the file of the document merging it, at its own line: the caret sat under
    unrelated text (or past the end of the file), and a ``rolelint:ignore`` above the
    statement was not applied.  It is pointed at in the file it is written in."""
    (tmp_path / "main.tf").write_text(MERGED_IN)
    (tmp_path / "policies.tf").write_text(MERGED_FROM)
    report = lint_paths([str(tmp_path)])
    found = sorted(
        (f.rule_id, Path(f.file).name, f.location.line, f.suppressed) for f in report.findings
    )
    assert found == [
        ("RL604", "policies.tf", 10, True),
        ("RL613", "policies.tf", 5, False),
        ("RL613", "policies.tf", 19, False),
    ]


MERGED_SOURCES = """\
variable "extra" {}
variable "admin" { type = bool }
data "aws_iam_policy_document" "dynamic" {
  statement {
    sid       = "Fixed"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions   = ["*"]
      resources = ["*"]
    }
  }
}
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "Main"
    actions   = ["*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "ro" {
  statement {
    sid       = "Main"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "via_dynamic" {
  source_policy_documents = [data.aws_iam_policy_document.dynamic.json]
}
data "aws_iam_policy_document" "via_choice" {
  source_policy_documents = [
    var.admin ? data.aws_iam_policy_document.admin.json : data.aws_iam_policy_document.ro.json
  ]
}
data "aws_iam_policy_document" "overridden" {
  source_policy_documents   = [data.aws_iam_policy_document.ro.json]
  override_policy_documents = [var.admin ? data.aws_iam_policy_document.admin.json : null]
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
resource "aws_iam_role_policy" "via_dynamic" {
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.via_dynamic.json
}
resource "aws_iam_role_policy" "via_choice" {
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.via_choice.json
}
resource "aws_iam_role_policy" "overridden" {
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.overridden.json
}
"""


def test_merged_documents_keep_the_statements_only_some_deployments_hold(
    tmp_path: Path,
) -> None:
    """A source's statement of a dynamic block over unknown elements, and the statements of a
    source or override document a condition chooses, were dropped from the merge without a
    word: the full-admin statement attached through ``source_policy_documents`` went unseen
    while the same document attached directly was reported.  They are kept, as optional, and
    one of them with a Sid replaces nothing for certain (both alternatives of "Main" stay)."""
    (tmp_path / "main.tf").write_text(MERGED_SOURCES)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [r] = outcome.inventory.roles
    by_name = {p.resource: p for p in r.policies}
    statements = {
        name: [
            ([a.text for a in s.actions], s.sid, s.optional)
            for s in by_name[f"aws_iam_role_policy.{name}"].statements
        ]
        for name in ("via_dynamic", "via_choice", "overridden")
    }
    assert statements == {
        "via_dynamic": [(["s3:GetObject"], "Fixed", False), (["*"], None, True)],
        "via_choice": [(["*"], "Main", True), (["s3:GetObject"], "Main", True)],
        "overridden": [(["s3:GetObject"], "Main", True), (["*"], "Main", True)],
    }
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.resource, f.location.line) for f in report.findings) == [
        ("RL201", "aws_iam_role_policy.overridden", 20),
        ("RL201", "aws_iam_role_policy.via_choice", 20),
        ("RL201", "aws_iam_role_policy.via_dynamic", 12),
    ]
    assert report.notices == []


CONDITIONAL_LISTS = """\
variable "x" { type = bool }
variable "docs" { type = list(string) }
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "Main"
    actions   = ["*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "safe" {
  statement {
    sid       = "Main"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "switched" {
  source_policy_documents = var.x ? [data.aws_iam_policy_document.admin.json] : []
}
data "aws_iam_policy_document" "concat" {
  source_policy_documents = concat(
    [data.aws_iam_policy_document.admin.json],
    var.x ? [data.aws_iam_policy_document.logs.json] : [],
  )
}
data "aws_iam_policy_document" "both" {
  source_policy_documents = (var.x
    ? [data.aws_iam_policy_document.logs.json]
    : [data.aws_iam_policy_document.logs.json, data.aws_iam_policy_document.admin.json])
}
data "aws_iam_policy_document" "overridden" {
  override_policy_documents = var.x ? [data.aws_iam_policy_document.safe.json] : []
  statement {
    sid       = "Main"
    actions   = ["*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "unknown" {
  source_policy_documents = var.docs
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "switched" {
  policy = data.aws_iam_policy_document.switched.json
}
resource "aws_iam_policy" "concat" {
  policy = data.aws_iam_policy_document.concat.json
}
resource "aws_iam_policy" "both" {
  policy = data.aws_iam_policy_document.both.json
}
resource "aws_iam_policy" "overridden" {
  policy = data.aws_iam_policy_document.overridden.json
}
resource "aws_iam_policy" "unknown" {
  policy = data.aws_iam_policy_document.unknown.json
}
"""


def test_a_conditional_list_of_documents_keeps_each_document_as_an_alternative(
    tmp_path: Path,
) -> None:
    """``cond ? [doc] : []`` and ``concat([doc], cond ? [other] : [])`` were read as documents
    that are not JSON and dropped without a word, the admin one in every branch included; as
    overrides they left the whole policy unanalyzed ("holds a document not known").  A
    document in every branch is certain, one in some branches optional; only a list that is
    itself unknown is not read, and a note says so for sources as it does for overrides."""
    (tmp_path / "main.tf").write_text(CONDITIONAL_LISTS)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    by_name = {p.resource: p for p in outcome.inventory.standalone_policies}
    statements = {
        name: [
            ([a.text for a in s.actions], s.optional)
            for s in by_name[f"aws_iam_policy.{name}"].statements
        ]
        for name in ("switched", "concat", "both", "overridden", "unknown")
    }
    assert statements == {
        "switched": [(["*"], True)],
        "concat": [(["*"], False), (["logs:PutLogEvents"], True)],
        "both": [(["logs:PutLogEvents"], False), (["*"], True)],
        "overridden": [(["*"], True), (["s3:GetObject"], True)],
        "unknown": [(["*"], False)],
    }
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.resource, f.location.line) for f in report.findings) == [
        ("RL201", "aws_iam_policy.both", 6),
        ("RL201", "aws_iam_policy.concat", 6),
        ("RL201", "aws_iam_policy.overridden", 41),
        ("RL201", "aws_iam_policy.switched", 6),
        ("RL201", "aws_iam_policy.unknown", 48),
    ]
    assert [(n.line, n.message) for n in report.notices] == [
        (
            46,
            "source_policy_documents holds a document not known before apply;"
            " its statements are not analyzed",
        )
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_module_called_from_the_folder_walked_has_the_walks_name(
    tmp_path: Path, jobs: str
) -> None:
    """Called from ".", the module was named "./modules/r/main.tf" while the walk names it
    "modules/r/main.tf": which name a finding got depended on which read came first."""
    (tmp_path / "modules" / "r").mkdir(parents=True)
    (tmp_path / "modules" / "r" / "main.tf").write_text(
        DUPLICATE_SIDS.split("resource")[0] + 'resource "aws_iam_role" "this" {\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    (tmp_path / "main.tf").write_text('module "a" {\n  source = "./modules/r"\n}\n')
    result = run_rolelint("check", ".", "main.tf", "-j", jobs, "-f", "json", cwd=tmp_path)
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {os.path.join("modules", "r", "main.tf")}


OPEN_ROLE_MODULE = """\
variable "principal" { type = string }
resource "aws_iam_role" "this" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { AWS = var.principal }, Action = "sts:AssumeRole"
    }]
  })
}
"""


def test_a_value_a_caller_passes_is_reported_where_the_call_sets_it(tmp_path: Path) -> None:
    """Two calls passing "*" were one finding inside the shared module ("also as" the other),
    on a line neither change touched; a list passed the same way pointed at the caller."""
    (tmp_path / "modules" / "role").mkdir(parents=True)
    (tmp_path / "modules" / "role" / "main.tf").write_text(OPEN_ROLE_MODULE)
    calls = "".join(
        f'module "{name}" {{\n  source    = "./modules/role"\n  principal = "*"\n}}\n'
        for name in ("a", "b")
    )
    (tmp_path / "main.tf").write_text(calls)
    report = lint_paths([str(tmp_path / "main.tf")])
    assert sorted(
        (f.rule_id, Path(f.file).name, f.location.line, f.role) for f in report.findings
    ) == [
        ("RL101", "main.tf", 3, "module.a.aws_iam_role.this"),
        ("RL101", "main.tf", 7, "module.b.aws_iam_role.this"),
    ]


ATTACHMENT_INSTANCES = """\
variable "extra" {
  type    = list(string)
  default = ["arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/PowerUserAccess"]
}
variable "unknown" { type = set(string) }

resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "by_set" {
  for_each = toset([
    "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess",
  ])
  role       = aws_iam_role.r.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "by_map" {
  for_each   = { iam = var.extra[0] }
  role       = aws_iam_role.r.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "by_count" {
  count      = length(var.extra)
  role       = aws_iam_role.r.name
  policy_arn = var.extra[count.index]
}

resource "aws_iam_role_policy_attachment" "by_unknown" {
  for_each   = var.unknown
  role       = aws_iam_role.r.name
  policy_arn = each.value
}
"""


def test_attachments_of_for_each_and_count_are_read_one_by_one(tmp_path: Path) -> None:
    """each.value and count.index were always unknown, so AdministratorAccess attached through
    for_each = toset([...]) went unreported without a word."""
    (tmp_path / "main.tf").write_text(ATTACHMENT_INSTANCES)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [r] = outcome.inventory.roles
    attached = [m.arn.text for m in r.managed_policy_arns]
    assert attached.count("arn:aws:iam::aws:policy/AdministratorAccess") == 1
    assert "arn:aws:iam::aws:policy/ReadOnlyAccess" in attached
    assert "arn:aws:iam::aws:policy/IAMFullAccess" in attached  # by map and by count (held once)
    assert "arn:aws:iam::aws:policy/PowerUserAccess" in attached  # count.index 1
    assert None in attached  # the unknown set: one attachment of a policy not known


ROLE_ONLY = ATTACHMENT_INSTANCES.split('resource "aws_iam_role_policy_attachment"')[0]


def test_a_policy_data_source_given_its_arn_is_that_policy(tmp_path: Path) -> None:
    """data.aws_iam_policy.admin.arn was unknown, so AdministratorAccess looked up by its ARN
    and attached was never judged."""
    (tmp_path / "main.tf").write_text(
        ROLE_ONLY
        + 'data "aws_iam_policy" "admin" {\n'
        + '  arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
        + 'resource "aws_iam_role_policy_attachment" "a" {\n'
        + "  role       = aws_iam_role.r.name\n"
        + "  policy_arn = data.aws_iam_policy.admin.arn\n}\n"
    )
    [r] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert [m.arn.text for m in r.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]


@pytest.mark.parametrize(
    ("lookup", "arn"),
    [
        ('name = "AdministratorAccess"', "arn:aws:iam::aws:policy/AdministratorAccess"),
        (  # the policy's path is part of its ARN
            'name = "AWSLambdaBasicExecutionRole"',
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ),
        ('name = "ReadOnlyAccess"', None),  # no document shipped: whose it is, is not known
        ('name = "deploy-admin"', None),  # the account's own policy
        ('name = "AdministratorAccess"\n  path_prefix = "/team/"', None),  # not AWS's path
        ("name = var.policy", None),  # a name rolelint does not know
    ],
    ids=["admin", "service-role-path", "not-shipped", "own", "path-prefix", "unknown-name"],
)
def test_a_policy_data_source_given_an_aws_managed_name_has_that_policys_arn(
    tmp_path: Path, lookup: str, arn: str | None
) -> None:
    """``data "aws_iam_policy" { name = "AdministratorAccess" }`` attached by ``.arn`` was
    silent.  The data source fails unless exactly one policy has the name, so when it names an
    AWS managed policy rolelint ships (and no path_prefix narrows it) that policy is the one;
    any other name stays unknown."""
    code = (
        ROLE_ONLY
        + 'variable "policy" { type = string }\n'
        + f'data "aws_iam_policy" "p" {{\n  {lookup}\n}}\n'
        + 'resource "aws_iam_role_policy_attachment" "a" {\n'
        + "  role       = aws_iam_role.r.name\n"
        + "  policy_arn = data.aws_iam_policy.p.arn\n}\n"
    )
    (tmp_path / "main.tf").write_text(code)
    [r] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert [m.arn.text for m in r.managed_policy_arns] == [arn]
    report = lint_paths([str(tmp_path)])
    found = {(f.rule_id, f.location.line, f.role) for f in report.findings}
    admin = ("RL201", line_of(code, "policy_arn = data"), "aws_iam_role.r")
    assert (admin in found) == (arn is not None and arn.endswith("/AdministratorAccess"))


GITHUB_ISSUER = "token.actions.githubusercontent.com"
GITHUB_PROVIDER_ARN = f"arn:aws:iam::{THIS_ACCOUNT}:oidc-provider/{GITHUB_ISSUER}"


@pytest.mark.parametrize(
    ("lookup", "arn", "url"),
    [
        (f'url = "https://{GITHUB_ISSUER}"', GITHUB_PROVIDER_ARN, GITHUB_ISSUER),
        (
            'arn = "arn:aws:iam::111122223333:oidc-provider/gitlab.com"',
            "arn:aws:iam::111122223333:oidc-provider/gitlab.com",
            "gitlab.com",
        ),
        ("url = var.issuer_url", None, None),
    ],
    ids=["by-url", "by-arn", "unknown-url"],
)
def test_an_oidc_provider_data_source_has_the_arn_its_lookup_determines(
    tmp_path: Path, lookup: str, arn: str | None, url: str | None
) -> None:
    """``data "aws_iam_openid_connect_provider" { url = "https://token.actions..." }`` left
    its ``.arn`` unknown, so the GitHub trust that names it was not judged as GitHub's.  An OIDC
    provider's ARN is ``arn:<partition>:iam::<account>:oidc-provider/<url without https://>``
    (no path), and the lookup is of this account's providers: the same ARN rolelint gives an
    ``aws_iam_openid_connect_provider`` resource with that url; ``.url`` is that ARN's suffix,
    as IAM returns it.  Looked up by ``arn``, ``.arn`` is that ARN (and ``.url`` its suffix).
    A url rolelint cannot read leaves both unknown: nothing is judged."""
    code = (
        'variable "issuer_url" { type = string }\n'
        f'data "aws_iam_openid_connect_provider" "github" {{\n  {lookup}\n}}\n'
        'resource "aws_iam_role" "gha" {\n'
        '  name = "gha-deploy"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        '      Action    = "sts:AssumeRoleWithWebIdentity"\n'
        "      Principal = { Federated = data.aws_iam_openid_connect_provider.github.arn }\n"
        "      Condition = {\n"
        "        StringEquals = {\n"
        '          "${data.aws_iam_openid_connect_provider.github.url}:aud" = "sts.amazonaws.com"\n'
        "        }\n"
        "      }\n"
        "    }]\n"
        "  })\n"
        "}\n"
    )
    (tmp_path / "main.tf").write_text(code)
    [r] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert r.trust_policy is not None
    [statement] = r.trust_policy.statements
    assert [p.value.text for p in statement.principals] == [arn]
    if url is not None:
        assert [c.key for c in statement.conditions] == [f"{url}:aud"]
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    found = [(f.rule_id, f.location.line, f.severity.value) for f in report.findings]
    # GitHub's or GitLab's provider with no subject pinned; an unknown one is not judged.
    assert found == ([("RL103", line_of(code, "Federated ="), "critical")] if url else [])
    if url is not None:
        assert "Federated principal could not be resolved" not in report.findings[0].message


_ISSUER_URL = f'"https://{GITHUB_ISSUER}"'


@pytest.mark.parametrize(
    ("url", "counted", "sub", "expected"),
    [
        (_ISSUER_URL, False, "repo:*", "critical"),
        (_ISSUER_URL, False, "repo:acme/app:ref:refs/heads/main", None),
        (_ISSUER_URL, False, "repo:acme/*", "medium"),
        (_ISSUER_URL, True, "repo:*", "critical"),
        ("var.issuer_url", False, "repo:*", None),
    ],
    ids=["any-owner", "one-repository", "one-owner", "count-instance", "unknown-url"],
)
def test_an_oidc_provider_resources_url_is_its_issuer_as_iam_returns_it(
    tmp_path: Path, url: str, counted: bool, sub: str, expected: str | None
) -> None:
    """``"${aws_iam_openid_connect_provider.github.url}:sub"``, the key GitHub and IRSA
    modules write, left the condition unresolved, so the trust was not judged even for
    ``repo:*``.  After apply the attribute holds what IAM's GetOpenIDConnectProvider answers,
    the URL without ``https://`` (the AWS provider reads it back after create and at every
    refresh; the argument must begin with ``https://``): the provider's own key.  A url
    rolelint cannot read leaves the key unresolved: nothing is judged."""
    address = "aws_iam_openid_connect_provider.github" + ("[0]" if counted else "")
    code = (
        'variable "issuer_url" { type = string }\n'
        'resource "aws_iam_openid_connect_provider" "github" {\n'
        + ("  count = 1\n" if counted else "")
        + f"  url             = {url}\n"
        '  client_id_list  = ["sts.amazonaws.com"]\n'
        "}\n"
        'resource "aws_iam_role" "gha" {\n'
        '  name = "gha-deploy"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        '      Action    = "sts:AssumeRoleWithWebIdentity"\n'
        f"      Principal = {{ Federated = {address}.arn }}\n"
        "      Condition = {\n"
        "        StringEquals = {\n"
        f'          "${{{address}.url}}:aud" = "sts.amazonaws.com"\n'
        "        }\n"
        "        StringLike = {\n"
        f'          "${{{address}.url}}:sub" = "{sub}"\n'
        "        }\n"
        "      }\n"
        "    }]\n"
        "  })\n"
        "}\n"
    )
    (tmp_path / "main.tf").write_text(code)
    [r] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert r.trust_policy is not None
    [statement] = r.trust_policy.statements
    keys = [c.key for c in statement.conditions]
    assert (keys == [f"{GITHUB_ISSUER}:aud", f"{GITHUB_ISSUER}:sub"]) is (url == _ISSUER_URL)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    found = [(f.rule_id, f.location.line, f.severity.value) for f in report.findings]
    assert found == ([("RL103", line_of(code, f'= "{sub}"'), expected)] if expected else [])


def test_strip_markers_in_a_quoted_string_are_read_as_terraform_reads_them(
    tmp_path: Path,
) -> None:
    """``name = "${~ var.name ~}"`` made main.tf an input error, and the open trust policy of
    the same file was never reported."""
    (tmp_path / "main.tf").write_text(
        'variable "name" { default = "deploy" }\n'
        'resource "aws_iam_role" "r" {\n  name = "  ${~ var.name ~}\\n"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }] })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL101", 4)]
    [r] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert r.name is not None and r.name.text == "deploy"


def test_an_inline_comment_after_an_equals_sign_is_read_as_terraform_reads_it(
    tmp_path: Path,
) -> None:
    """``assume_role_policy = /* inline */ jsonencode(...)`` made main.tf an input error (exit
    2), and the open trust policy in it was never reported; the positions after the comment are
    those of the same file without it."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name /* n */ = /* n */ "r"\n'
        "  assume_role_policy = /* inline */ jsonencode({\n"
        '    Version = /* v */ "2012-10-17"\n    Statement = [{\n'
        '      Effect = "Allow", Action = "sts:AssumeRole"\n'
        '      Principal = { AWS = ["arn:aws:iam::123456789012:root", /* x */ "*"] }\n'
        "    }]\n  })\n}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL102", 7, 28),
        ("RL101", 7, 70),
    ]
    assert run_rolelint("check", str(tmp_path), "--no-cache").returncode == 1


def test_group_memberships_give_users_their_groups_policies() -> None:
    """Memberships were not read: a group allowed to assume the admin role, and its members
    could not (RL401 missed for both)."""
    inventory = inventory_of("group-membership")
    groups = {i.id: i.groups for i in inventory.identities}
    assert groups["aws_iam_user.ci"] == ("aws_iam_group.deployers",)
    assert groups["aws_iam_user.bob"] == ("aws_iam_group.deployers",)
    assert findings("group-membership") == {
        ("RL201", "main.tf", 15),
        ("RL401", "main.tf", 30),
    }


def test_a_user_joins_a_group_another_module_instance_creates(tmp_path: Path) -> None:
    """A users module given the name of a group a groups module creates: the membership found
    no group in its own instance, so the user held none of the group's grants (RL401 missed)."""
    for folder, text in {
        "": 'module "admins" {\n  source = "./group"\n  name   = "admins"\n}\n'
        'module "alice" {\n  source = "./user"\n  groups = ["admins"]\n}\n',
        "group": 'variable "name" {}\nresource "aws_iam_group" "this" {\n  name = var.name\n}\n'
        'resource "aws_iam_group_policy" "hop" {\n  group  = aws_iam_group.this.name\n'
        '  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",'
        ' Action = "sts:AssumeRole", Resource = "*"}]})\n}\n',
        "user": 'variable "groups" {}\nresource "aws_iam_user" "this" {\n  name = "alice"\n}\n'
        'resource "aws_iam_user_group_membership" "this" {\n'
        "  user   = aws_iam_user.this.name\n  groups = var.groups\n}\n",
    }.items():
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "main.tf").write_text(text)
    inventory = parse_terraform_directory(str(tmp_path), read_text).inventory
    groups = {i.id: i.groups for i in inventory.identities}
    assert groups["module.alice.aws_iam_user.this"] == ("module.admins.aws_iam_group.this",)


def test_a_users_permissions_boundary_limits_it(tmp_path: Path) -> None:
    """aws_iam_user's permissions_boundary was not read: a user bounded to read-only IAM with
    AdministratorAccess attached was RL201 (critical)."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_user" "u" {\n'
        '  permissions_boundary = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"\n}\n'
        'resource "aws_iam_user_policy_attachment" "a" {\n'
        "  user       = aws_iam_user.u.name\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
    )
    [user] = parse_terraform_directory(str(tmp_path), read_text).inventory.identities
    assert user.permissions_boundary is not None
    assert user.permissions_boundary.text == "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    assert [f.rule_id for f in lint_paths([str(tmp_path)]).findings] == []


def test_a_holders_permissions_boundary_is_evaluated_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role's or user's permissions_boundary was evaluated twice: once to attach the policy
    it names as the boundary, once again for the model's permissions_boundary.  One evaluation
    serves both: the boundary held and the ARN the model gives stay as they were."""
    evaluated: list[str] = []
    evaluate = TerraformModule.evaluate_attribute

    def counted(self: TerraformModule, located: object, name: str, *args: object) -> object:
        if name == "permissions_boundary":
            evaluated.append(located.block.labels[0])  # type: ignore[attr-defined]
        return evaluate(self, located, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TerraformModule, "evaluate_attribute", counted)
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "b" {\n'
        '  name   = "b"\n'
        '  policy = jsonencode({ Version = "2012-10-17",\n'
        '    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })\n}\n'
        'resource "aws_iam_role" "r" {\n'
        '  name                 = "r"\n'
        "  permissions_boundary = aws_iam_policy.b.arn\n"
        '  assume_role_policy   = jsonencode({ Version = "2012-10-17", Statement = [{\n'
        '    Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" },\n'
        '    Action = "sts:AssumeRole" }] })\n}\n'
        'resource "aws_iam_user" "u" {\n'
        "  permissions_boundary = aws_iam_policy.b.arn\n}\n"
        'resource "aws_iam_group" "g" {}\n'
    )
    inventory = parse_terraform_directory(str(tmp_path), read_text).inventory
    assert sorted(evaluated) == ["aws_iam_role", "aws_iam_user"]
    [role] = inventory.roles
    user, group = sorted(inventory.identities, key=lambda i: i.id, reverse=True)
    arn = f"arn:aws:iam::{THIS_ACCOUNT}:policy/b"
    for holder in (role, user):
        assert holder.permissions_boundary is not None
        assert holder.permissions_boundary.text == arn
        [boundary] = [d for d in holder.policies if d.kind is PolicyKind.BOUNDARY]
        assert not boundary.optional
    assert group.id == "aws_iam_group.g" and group.permissions_boundary is None


@pytest.mark.parametrize(
    ("boundary", "shown"),
    [
        ("var.bounded ? aws_iam_policy.b.arn : null", "policy/b or none"),
        ("var.bounded ? aws_iam_policy.b.arn : aws_iam_policy.c.arn", "policy/b or "),
    ],
)
def test_a_boundary_a_conditional_chooses_caps_nothing_for_certain(
    tmp_path: Path, boundary: str, shown: str
) -> None:
    """Regression hunt (regr4, 2): ``cond ? aws_iam_policy.b.arn : null`` was read as a
    boundary every deployment has, so it capped the role where it has none; as
    CloudFormation's ``Fn::If`` with ``AWS::NoValue``, each policy it may name is optional and
    the role's boundary unresolved."""
    policy = """\
resource "aws_iam_policy" "%s" {
  name   = "%s"
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
"""
    (tmp_path / "main.tf").write_text(
        'variable "bounded" { type = bool }\n'
        + policy % ("b", "b")
        + policy % ("c", "c")
        + 'resource "aws_iam_role" "r" {\n'
        '  name                 = "r"\n'
        f"  permissions_boundary = {boundary}\n"
        '  assume_role_policy   = jsonencode({ Version = "2012-10-17", Statement = [{\n'
        '    Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" },\n'
        '    Action = "sts:AssumeRole" }] })\n}\n'
    )
    [role] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    boundaries = [d for d in role.policies if d.kind is PolicyKind.BOUNDARY]
    assert boundaries and all(d.optional for d in boundaries)
    assert all(d.origin.endswith("(chosen by a condition: no limit assumed)") for d in boundaries)
    assert role.permissions_boundary is not None
    assert role.permissions_boundary.text is None
    assert shown in (role.permissions_boundary.unresolved_reason or "")


PERMISSION_SET = """\
resource "aws_ssoadmin_permission_set" "admin" {
  name         = "Admin"
  instance_arn = "arn:aws:sso:::instance/ssoins-1"
}
resource "aws_ssoadmin_permission_set_inline_policy" "admin" {
  permission_set_arn = aws_ssoadmin_permission_set.admin.arn
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  inline_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
  })
}
resource "aws_ssoadmin_managed_policy_attachment" "admin" {
  permission_set_arn = aws_ssoadmin_permission_set.admin.arn
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  managed_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


def test_a_permission_set_s_inline_and_managed_policies_are_judged_as_its_role_s(
    tmp_path: Path,
) -> None:
    """Its inline policy and the AWS managed policy an attachment gives it are read, each
    marked with the set (so that the rules judge them together, as the one role Identity
    Center makes of them), and each grant of administrator access is reported where it is."""
    (tmp_path / "main.tf").write_text(PERMISSION_SET)
    inventory, _ = read_inventory([str(tmp_path)])
    sets = {document.permission_set for document in inventory.standalone_policies}
    assert len(inventory.standalone_policies) == 2 and len(sets) == 1 and None not in sets
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.location.line) for f in report.findings) == [
        ("RL201", 10),
        ("RL201", 16),
    ]


@pytest.mark.parametrize(
    ("boundary", "said"),
    [
        (
            'managed_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"',
            "(AWS managed policy AdministratorAccess as permissions boundary of permission set"
            " aws_ssoadmin_permission_set.admin allows it)",
        ),
        (
            "customer_managed_policy_reference {\n"
            '      name = "dev-boundary"\n      path = "/team/"\n    }',
            "(its permissions boundary /team/dev-boundary is not in the scanned files and may"
            " limit this)",
        ),
        ("", "(its permissions boundary is unresolved (a permissions_boundary rolelint cannot"),
    ],
    ids=["aws-managed", "customer-managed", "unreadable"],
)
def test_a_permission_set_s_boundary_limits_its_policies(
    tmp_path: Path, boundary: str, said: str
) -> None:
    """A set with an aws_ssoadmin_permissions_boundary_attachment was left out with a note:
    AdministratorAccess as boundary hid an administrator set.  The boundary limits the set's
    policies as a role's limits the role's: applied when rolelint reads it, said to may limit
    them otherwise."""
    (tmp_path / "main.tf").write_text(PERMISSION_SET)

    def attach(boundary: str) -> None:
        (tmp_path / "boundary.tf").write_text(
            'resource "aws_ssoadmin_permissions_boundary_attachment" "admin" {\n'
            "  permission_set_arn = aws_ssoadmin_permission_set.admin.arn\n"
            f"  permissions_boundary {{\n    {boundary}\n  }}\n}}\n"
        )

    attach(boundary)
    bounded = lint_paths([str(tmp_path)])
    assert bounded.notices == []
    assert sorted((f.rule_id, f.location.line) for f in bounded.findings) == [
        ("RL201", 10),
        ("RL201", 16),
    ]
    assert all(said in f.message for f in bounded.findings)
    attach('managed_policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"')
    capped = lint_paths([str(tmp_path)]).findings
    assert "RL201" not in {f.rule_id for f in capped}


def test_a_permission_set_s_customer_managed_policies_are_recorded_by_name_and_path(
    tmp_path: Path,
) -> None:
    """``aws_ssoadmin_customer_managed_policy_attachment`` names a policy of each account the
    set is assigned to: recorded with its name and path, under the set's address; a name not
    known as such."""
    (tmp_path / "main.tf").write_text(
        PERMISSION_SET
        + """
variable "name" {
  type = string
}
resource "aws_ssoadmin_customer_managed_policy_attachment" "team" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  permission_set_arn = aws_ssoadmin_permission_set.admin.arn
  customer_managed_policy_reference {
    name = "workload-boundary"
    path = "/team/"
  }
}
resource "aws_ssoadmin_customer_managed_policy_attachment" "unknown" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  permission_set_arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1"
  customer_managed_policy_reference {
    name = var.name
  }
}
"""
    )
    inventory, _ = read_inventory([str(tmp_path)])
    found = {
        (r.name.text, r.path.text if r.path is not None else None, r.permission_set)
        for r in inventory.permission_set_customer_policies
    }
    assert found == {
        ("workload-boundary", "/team/", "aws_ssoadmin_permission_set.admin"),
        (None, None, "aws_ssoadmin_customer_managed_policy_attachment.unknown"),
    }


def test_attachments_to_holders_outside_the_model_are_recorded_with_their_arns(
    tmp_path: Path,
) -> None:
    """An attachment to a role or user no file of the run defines records the ARN it
    attaches, whichever module defines the policy (so that a policy of another folder so
    attached is never taken for a boundary alone); one to a holder of the run does not."""
    (tmp_path / "main.tf").write_text(
        """\
resource "aws_iam_role_policy_attachment" "legacy" {
  role       = "legacy-role"
  policy_arn = "arn:aws:iam::111122223333:policy/workload-boundary"
}
resource "aws_iam_policy_attachment" "bob" {
  name       = "bob"
  users      = ["bob"]
  policy_arn = "arn:aws:iam::111122223333:policy/other"
}
resource "aws_iam_user" "alice" {
  name = "alice"
}
resource "aws_iam_user_policy_attachment" "alice" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::111122223333:policy/alice"
}
"""
    )
    inventory, _ = read_inventory([str(tmp_path)])
    assert sorted(r.arn.text or "" for r in inventory.outside_attachments) == [
        "arn:aws:iam::111122223333:policy/other",
        "arn:aws:iam::111122223333:policy/workload-boundary",
    ]


def test_a_broken_policy_file_a_module_reads_is_reported_once(tmp_path: Path) -> None:
    """Read through file(), a policy that is not JSON was an input error of its own (exit 2) and
    RL604 of the role that reads it: one mistake, said twice."""
    (tmp_path / "trust.json").write_text('{"Version": "2012-10-17",, "Statement": []}\n')
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  assume_role_policy = file("trust.json")\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, Path(f.file).name, f.resource) for f in report.findings] == [
        ("RL604", "trust.json", "aws_iam_role.r")
    ]
    (tmp_path / "other.json").write_text('{"Statement": [,]}\n')  # read by nothing
    assert [Path(e.file).name for e in lint_paths([str(tmp_path)]).errors] == ["other.json"]


TEMPLATE_TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {"AWS": ${jsonencode(principals)}}
    }
  ]
}
"""


@pytest.mark.parametrize("template", ["trust.json", "trust.json.tmpl"])
def test_a_template_a_module_renders_is_not_an_error_of_its_own(
    tmp_path: Path, template: str
) -> None:
    """A template read by templatefile() is not JSON until Terraform renders it: its own
    parse was an error ("invalid JSON: expecting a value", exit 2) beside the module's correct
    findings, in a folder scan and when pre-commit names the template alone."""
    (tmp_path / template).write_text(TEMPLATE_TRUST)
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = templatefile('
        f'"${{path.module}}/{template}", {{ principals = ["arn:aws:iam::123456789012:root"] }})\n'
        "}\n"
    )
    for named in (tmp_path, tmp_path / template):
        report = lint_paths([str(named)])
        assert report.errors == []
        assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
            ("RL102", "main.tf", 3)
        ]


def test_a_template_sees_only_its_map_and_a_spliced_file_is_unknown(tmp_path: Path) -> None:
    """Review of 53d01c0: a template read var.* and local.* from the module (Terraform refuses
    them: "vars map does not contain key"), and ${file(...)} spliced in place of a JSON value
    was read as a non-object (RL604) and its conditions as missing (RL102)."""
    (tmp_path / "trust.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"AWS": "${var.trusted}"}, "Condition": ${file("cond.json")}}]}'
    )
    (tmp_path / "cond.json").write_text('{"StringEquals": {"sts:ExternalId": "a8f3c1d9e2b7"}}')
    (tmp_path / "main.tf").write_text(
        'variable "trusted" {\n  default = "*"\n}\n'
        'resource "aws_iam_role" "r" {\n'
        '  assume_role_policy = templatefile("trust.json.tpl", {})\n}\n'
    )
    assert lint_paths([str(tmp_path)]).findings == []


def test_permission_set_attachments_with_for_each(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        PERMISSION_SET.split('resource "aws_ssoadmin_managed_policy_attachment"')[0]
        + 'resource "aws_ssoadmin_managed_policy_attachment" "many" {\n'
        + '  for_each = toset(["arn:aws:iam::aws:policy/AdministratorAccess"])\n'
        + "  permission_set_arn = aws_ssoadmin_permission_set.admin.arn\n"
        + "  managed_policy_arn = each.value\n}\n"
    )
    rules = [f.rule_id for f in lint_paths([str(tmp_path)]).findings]
    assert rules.count("RL201") == 2  # the inline policy's, and the attachment's


def test_file_and_templatefile_point_into_the_policy_files() -> None:
    report = check("file-functions")
    located = {(f.rule_id, Path(f.file).name, f.location.line, f.role) for f in report.findings}
    assert located == {
        ("RL101", "lambda-trust.json", 6, "aws_iam_role.lambda"),
        ("RL201", "bucket-access.json.tftpl", 11, "aws_iam_role.lambda"),
    }
    # The trust file is analyzed as the role's trust policy, not a second time on its own.
    assert len(report.findings) == 2
    [notice] = report.notices
    assert "does-not-exist.json" in notice.message and notice.line == 15


def test_templatefile_variables_take_the_values_it_is_given(tmp_path: Path) -> None:
    """Template variables were all unknown, so `templatefile(..., { principal = "*" })` hid an
    open trust; and JSON with "${jsonencode(x)}" in place of a value did not parse, so the
    whole policy was dropped without a word."""
    lambda_role = role(inventory_of("file-functions"), "aws_iam_role.lambda")
    [policy] = lambda_role.policies
    [resource] = policy.statements[0].resources
    assert (resource.text, resource.ref.line) == ("arn:aws:s3:::thumbnails/*", 7)
    (tmp_path / "trust.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"AWS": "${principal}"}, "Condition": ${jsonencode(condition)}}]}'
    )
    (tmp_path / "main.tf").write_text(
        'variable "unknown" {}\n'
        'resource "aws_iam_role" "open" {\n'
        '  assume_role_policy = templatefile("trust.json.tpl", {\n'
        '    principal = "*", condition = {}\n  })\n}\n'
        'resource "aws_iam_role" "unknown" {\n'
        '  assume_role_policy = templatefile("trust.json.tpl", var.unknown)\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.role) for f in report.findings] == [("RL101", "aws_iam_role.open")]


def test_variables_tfvars_auto_tfvars_and_locals() -> None:
    deployer = role(inventory_of("variables"), "aws_iam_role.deployer")
    # terraform.tfvars beats the default; *.auto.tfvars beats terraform.tfvars.
    assert deployer.trust_policy is not None
    [principal] = deployer.trust_policy.statements[0].principals
    assert principal.value.text == "arn:aws:iam::222222222222:root"
    assert [v.text for v in deployer.max_session_duration] == ["86400"]
    # var.environment has no default: the name is unknown, the role still analyzed.
    assert deployer.name is not None and deployer.name.text is None
    # A string reached through local.trusted_root points where it is used, as !Ref does.
    assert findings("variables") == {
        ("RL102", "main.tf", 14),
        ("RL301", "main.tf", 19),
        ("RL202", "variables.tf", 17),
    }


def test_local_module_is_followed_with_its_inputs_and_remote_ones_are_noticed() -> None:
    outcome = parse_terraform_directory(str(FORMS / "local-module"), read_text)
    # module.unused_input passes no trusted_account, whose default is null: Terraform refuses
    # "arn:aws:iam::${var.trusted_account}:root" ("The expression result is null") if the
    # value is as rolelint reads it.  A note at the interpolation, no error of the run.
    child = FORMS / "local-module" / "modules" / "deploy-role" / "main.tf"
    written = '"arn:aws:iam::${var.trusted_account}:root"'
    line = line_of(child.read_text(), written)
    column = child.read_text().splitlines()[line - 1].index(written) + len('"arn:aws:iam::${') + 1
    assert outcome.errors == []
    assert (str(child), line, column) in {(n.file, n.line, n.column) for n in outcome.notices}
    inventory = outcome.inventory
    ci = role(inventory, "module.ci.aws_iam_role.this")
    assert ci.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/ci-deployer"
    [policy] = ci.policies
    assert policy.resource == "module.ci.aws_iam_role_policy.this"
    unused = role(inventory, "module.unused_input.aws_iam_role.this")
    assert unused.trust_policy is not None
    [principal] = unused.trust_policy.statements[0].principals
    assert principal.value.text is None  # trusted_account defaults to null: unknown account
    report = check("local-module")
    assert {(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings} == {
        ("RL206", "main.tf", 6),
        ("RL102", "main.tf", 21),
    }
    remote, refused = report.notices
    assert "terraform-aws-modules/vpc/aws" in remote.message and remote.line == 9
    assert refused.message == f"the ${{...}} {not_a_string('null')}"
    assert (refused.file, refused.line, refused.column) == (str(child), line, column)


ROLE_OF_VAR = (
    'variable "account" {}\n'
    'resource "aws_iam_role" "r" {\n'
    '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect ='
    ' "Allow", Action = "sts:AssumeRole", Principal = {AWS = var.account}}]})\n'
    "}\n"
)


def _calling(source: str, name: str = "next") -> str:
    return f'module "{name}" {{\n  source  = "{source}"\n  account = "*"\n}}\n'


def test_modules_calling_each_other_are_followed_once_round_with_a_notice(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.tf").write_text(_calling("../b") + 'variable "account" {}\n')
    (tmp_path / "b" / "main.tf").write_text(_calling("../a") + ROLE_OF_VAR)
    outcome = parse_terraform_directory(str(tmp_path / "a"), read_text)
    assert [r.id for r in outcome.inventory.roles] == ["module.next.aws_iam_role.r"]
    [notice] = outcome.notices
    assert (Path(notice.file), notice.line, notice.column) == (tmp_path / "b" / "main.tf", 1, 1)
    assert notice.message == f"module next (../a) {MODULE_CYCLE}"
    assert MODULE_CYCLE.startswith("is not followed: its folder is already being read")


def test_a_module_calling_itself_is_a_notice(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_calling("./", "me") + ROLE_OF_VAR)
    report = lint_paths([str(tmp_path)])
    assert [(n.line, n.message) for n in report.notices] == [(1, f"module me (./) {MODULE_CYCLE}")]
    assert [f.rule_id for f in report.findings] == []  # var.account unknown at the root


def test_a_module_call_past_the_depth_limit_is_a_notice_said_once(tmp_path: Path) -> None:
    """The root calls the chain twice, so the call past the limit is met along two paths."""
    depth = MAX_MODULE_DEPTH + 2
    for level in range(depth):
        folder = tmp_path / f"l{level}"
        folder.mkdir()
        calls = _calling(f"../l{level + 1}", "one")
        if level == 0:
            calls += _calling("../l1", "two")
        (folder / "main.tf").write_text(calls + 'variable "account" {}\n')
    (tmp_path / f"l{depth}").mkdir()
    (tmp_path / f"l{depth}" / "main.tf").write_text(ROLE_OF_VAR)
    outcome = parse_terraform_directory(str(tmp_path / "l0"), read_text)
    [notice] = outcome.notices
    assert (notice.file, notice.line) == (str(tmp_path / f"l{MAX_MODULE_DEPTH}" / "main.tf"), 1)
    assert notice.message == f"module one (../l{MAX_MODULE_DEPTH + 1}) {MODULE_TOO_DEEP}"
    assert MODULE_TOO_DEEP.startswith(f"is not followed: it is nested more than {MAX_MODULE_DEPTH}")
    assert outcome.inventory.roles == []  # the role is past the limit
    followed = parse_terraform_directory(str(tmp_path / "l2"), read_text)
    assert followed.notices == [] and len(followed.inventory.roles) == 1


def test_count_and_for_each_resources_are_analyzed_instance_by_instance() -> None:
    inventory = inventory_of("count-for-each")
    assert sorted(r.id for r in inventory.roles) == [
        "aws_iam_role.optional",  # count = 1: the resource as written, no key
        'aws_iam_role.service["api"]',
        'aws_iam_role.service["worker"]',
    ]
    optional = role(inventory, "aws_iam_role.optional")
    assert len(optional.policies) == 1  # linked through aws_iam_role.optional[0].id
    assert optional.name is not None and optional.name.text == "optional-0"  # count.index
    api = role(inventory, 'aws_iam_role.service["api"]')
    assert api.trust_policy is not None
    [principal] = api.trust_policy.statements[0].principals
    assert principal.value.text == "ecs-tasks.amazonaws.com"  # each.value of its own instance
    assert api.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/service-api"
    assert findings("count-for-each") == {
        ("RL101", "main.tf", 18),
        ("RL301", "main.tf", 35),
        ("RL207", "main.tf", 43),
    }
    durations = [f.resource for f in check("count-for-each").findings if f.rule_id == "RL301"]
    assert durations == ['aws_iam_role.service["api"]', 'aws_iam_role.service["worker"]']


def test_each_instance_has_its_own_trust_policies_and_links() -> None:
    """A map of roles under ``for_each`` is a role per element: one element's ``*`` trust or bad
    duration is that instance's finding, and references by key reach that instance alone."""
    inventory = inventory_of("for-each-instances")
    assert sorted(r.id for r in inventory.roles) == [
        "aws_iam_role.extra",
        'aws_iam_role.team["audit"]',
        'aws_iam_role.team["ci"]',
        "aws_iam_role.worker[0]",
        "aws_iam_role.worker[1]",
    ]
    audit = role(inventory, 'aws_iam_role.team["audit"]')
    ci = role(inventory, 'aws_iam_role.team["ci"]')
    for instance, principal in ((audit, "arn:aws:iam::123456789012:root"), (ci, "*")):
        assert instance.trust_policy is not None  # data.aws_iam_policy_document.trust[each.key]
        [found] = instance.trust_policy.statements[0].principals
        assert (found.value.text, found.value.ref.line) == (principal, 26)
    # aws_iam_role_policy.team has for_each = aws_iam_role.team: one policy per role.
    assert [p.resource for p in audit.policies] == ['aws_iam_role_policy.team["audit"]']
    assert [p.resource for p in ci.policies] == ['aws_iam_role_policy.team["ci"]']
    assert [r.text for r in ci.policies[0].statements[0].resources] == ["arn:aws:s3:::team-ci/*"]
    # aws_iam_role.team["audit"].name: the attachment is audit's alone.
    assert [m.arn.text for m in audit.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    assert ci.managed_policy_arns == ()
    workers = [role(inventory, f"aws_iam_role.worker[{index}]") for index in (0, 1)]
    assert [w.instance_profiles for w in workers] == [("worker-0",), ("worker-1",)]
    assert [len(w.policies) for w in workers] == [0, 1]  # aws_iam_role.worker[1].id
    [statement] = workers[1].policies[0].statements
    assert [r.text for r in statement.resources] == [f"arn:aws:iam::{THIS_ACCOUNT}:role/team-ci"]
    extra = role(inventory, "aws_iam_role.extra")  # for_each not known: one, each unknown
    assert extra.trust_policy is not None
    [unknown_principal] = extra.trust_policy.statements[0].principals
    assert unknown_principal.value.text is None
    located = {
        (f.rule_id, f.location.line, f.resource) for f in check("for-each-instances").findings
    }
    assert located == {
        ("RL301", 16, 'aws_iam_role.team["audit"]'),
        ("RL101", 26, 'aws_iam_role.team["ci"]'),
        ("RL102", 26, 'aws_iam_role.team["audit"]'),
        ("RL201", 42, 'aws_iam_role.team["audit"]'),
        ("RL401", 65, "aws_iam_role_policy.worker"),
    }


def test_tf_json_reads_like_hcl() -> None:
    assert findings("tf-json") == {
        ("RL101", "main.tf.json", 9),
        ("RL301", "main.tf.json", 21),
        ("RL201", "main.tf.json", 27),
    }


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_an_expression_in_a_tf_json_string_with_escapes_is_placed_where_it_is_written(
    tmp_path: Path, line_end: str
) -> None:
    """Columns were counted in the decoded string: each escape before ``var.who`` (``\\"``,
    ``\\u00e9``, ``\\n``) put the finding one or more columns left of where it is written.
    With old Mac line ends (a lone CR) the written line was looked up among lines split at LF
    only, and the finding was put four columns left again."""
    policy = (
        '"${jsonencode({\\nVersion = \\"2012-10-17\\", Statement = [{Sid = \\"caf\\u00e9\\",'
        ' Effect = \\"Allow\\", Action = \\"sts:AssumeRole\\", Principal = {AWS = var.who}}]})}"'
    )
    line = f'        "assume_role_policy": {policy}'
    text = (
        '{\n  "variable": {"who": {"default": "*"}},\n  "resource": {"aws_iam_role": {"r": {\n'
        f"{line}\n  }}}}}}\n}}\n"
    )
    (tmp_path / "main.tf.json").write_bytes(text.replace("\n", line_end).encode())
    [finding] = lint_paths([str(tmp_path)]).findings
    assert (finding.rule_id, finding.location.line) == ("RL101", 4)
    assert finding.location.column == line.index("var.who") + 1


def test_a_broken_file_is_an_error_and_the_rest_of_the_module_is_analyzed() -> None:
    report = check("broken")
    [error] = report.errors
    assert error.file.endswith("broken.tf") and (error.line, error.column) == (6, 1)
    assert "invalid HCL" in error.message
    assert {(f.rule_id, Path(f.file).name) for f in report.findings} == {("RL101", "valid.tf")}


def test_an_explicit_file_brings_its_whole_module() -> None:
    report = lint_paths([str(FORMS / "variables" / "main.tf")])
    assert report.files_analyzed == 4  # main.tf, variables.tf and both tfvars files
    assert ("RL202", "variables.tf") in {(f.rule_id, Path(f.file).name) for f in report.findings}


def _module_with_a_variable_file(folder: Path, name: str, text: str) -> Path:
    (folder / "main.tf").write_text(
        'variable "trusted" { default = "arn:aws:iam::111122223333:root" }\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Action = "sts:AssumeRole", Principal = { AWS = var.trusted }, Condition ='
        ' { StringEquals = { "sts:ExternalId" = "a1b2c3d4e5f6g7h8" } } }] })\n}\n'
    )
    (folder / name).write_text(text)
    return folder / name


@pytest.mark.parametrize(
    ("name", "text"), [("prod.tfvars", 'trusted = "*"\n'), ("prod.tfvars.json", '{"trusted": "*"}')]
)
def test_a_variable_file_terraform_does_not_load_is_counted_as_skipped(
    tmp_path: Path, name: str, text: str
) -> None:
    """``rolelint check prod.tfvars`` (pre-commit passes changed .tfvars files) read the module
    and said nothing of the file, whose values are not used: "0 skipped".  Named or found in a
    folder, it is now counted as skipped, saying why."""
    tfvars = _module_with_a_variable_file(tmp_path, name, text)
    for paths in ([str(tfvars)], [str(tmp_path)]):
        report = lint_paths(paths)
        assert report.findings == [] and report.errors == [], paths
        assert report.files_analyzed == 1  # main.tf
        assert report.skipped_by_reason == {SKIP_UNLOADED_TFVARS: 1}, paths
    result = run_rolelint("check", str(tfvars), "--no-color")
    assert result.returncode == 0, result.stderr
    assert f"1 skipped (1 {SKIP_UNLOADED_TFVARS})" in result.stdout


# A variable file's strings as Terraform reads them: with no evaluation context, HCL's JSON
# syntax returns a string as written (hcl/json structure.go: "passing a nil context is how the
# caller specifies that interpolations are not allowed and that the string should just be
# returned verbatim"), and Terraform reads tfvars values that way ("nil because no function
# calls or variable references are allowed here").
VERBATIM = [
    "arn:aws:s3:::reports/${aws:username}/*",  # an IAM policy variable
    "${var.everything}",
    "arn:aws:s3:::$${bucket}/*",
    "%{ if true }*%{ endif }",
]


def test_a_json_variable_files_strings_are_the_text_written(tmp_path: Path) -> None:
    """They were read as templates: ``${aws:username}`` made the Resource unknown, and
    ``${var.everything}`` was the other variable's ``*`` (RL203 on a policy whose Resource is
    that text), ``$${`` one dollar, a directive unknown."""
    (tmp_path / "main.tf").write_text(
        'variable "arns" {\n  type = list(string)\n}\n'
        'variable "everything" {\n  default = "*"\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:PutObject", Resource = var.arns }] })\n}\n'
    )
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"arns": VERBATIM}))
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == [] and report.notices == []
    [policy] = inventory.standalone_policies
    assert [value.text for value in policy.statements[0].resources] == VERBATIM
    assert "RL203" not in {f.rule_id for f in lint_paths([str(tmp_path)]).findings}


def test_a_parenthesised_object_key_is_the_value_it_names(tmp_path: Path) -> None:
    """``(element) = "*"`` in a ``for`` over ``["Resource"]`` sets the statement's Resource
    (RL203): the key in parentheses is an expression, as in HCL.  It was the text "element",
    a statement with no Resource at all."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [for element in'
        ' ["Resource"] : { Effect = "Allow", Action = "s3:PutObject", (element) = "*" }] })\n}\n'
    )
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == [] and report.notices == []
    [policy] = inventory.standalone_policies
    assert [value.text for value in policy.statements[0].resources] == ["*"]
    assert "RL203" in {f.rule_id for f in lint_paths([str(tmp_path)]).findings}


def test_a_json_variable_default_is_the_text_written(tmp_path: Path) -> None:
    """Terraform's JSON syntax takes a variable's ``default`` literally ("Strings within this
    value are taken literally and not interpreted as string templates"): it was read as a
    template, ``"${var.everything}"`` the other variable's ``*`` (RL203), ``$${`` one dollar."""
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "variable": {
                    "everything": {"default": "*"},
                    "arns": {"default": VERBATIM, "description": "${var.everything}"},
                },
                "resource": {
                    "aws_iam_policy": {
                        "p": {
                            "name": "p",
                            "policy": '${jsonencode({ Version = "2012-10-17", Statement = [{'
                            ' Effect = "Allow", Action = "s3:PutObject",'
                            " Resource = var.arns }] })}",
                        }
                    }
                },
            }
        )
    )
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == [] and report.notices == []
    [policy] = inventory.standalone_policies
    assert [value.text for value in policy.statements[0].resources] == VERBATIM
    assert "RL203" not in {f.rule_id for f in lint_paths([str(tmp_path)]).findings}


def test_a_json_module_source_is_the_text_written(tmp_path: Path) -> None:
    """A module call's ``source`` in Terraform's JSON syntax "is not interpreted as a string
    template": ``"${local.dir}"`` is no local folder, where it was read as ``local.dir``'s
    ``./admin`` and the module's admin policy judged as the call's (RL201)."""
    (tmp_path / "root").mkdir()
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "*", Resource = "*" }] })\n}\n'
    )
    (tmp_path / "root" / "main.tf.json").write_text(
        json.dumps(
            {
                "locals": {"dir": "../admin"},
                "module": {"admin": {"source": "${local.dir}"}},
            }
        )
    )
    report = lint_paths([str(tmp_path / "root")])
    assert report.findings == [] and report.errors == []
    assert [n.message for n in report.notices] == [
        "module admin (${local.dir}) is not a local module: it is not read, and its outputs"
        " stay unknown"
    ]


def test_a_module_each_instance_of_which_calls_a_registry_module_says_so_once(
    tmp_path: Path,
) -> None:
    """The notice that a module call is not local was added by each instance of the module
    holding it (count = 2: twice, at the same line), where every other notice of a module
    called many times over is said once."""
    (tmp_path / "root").mkdir()
    (tmp_path / "network").mkdir()
    (tmp_path / "root" / "main.tf").write_text(
        'module "network" {\n  source = "../network"\n  count  = 2\n}\n'
    )
    (tmp_path / "network" / "main.tf").write_text(
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    report = lint_paths([str(tmp_path / "root")])
    assert report.findings == [] and report.errors == []
    assert [(n.file, n.line, n.message) for n in report.notices] == [
        (
            str(tmp_path / "network" / "main.tf"),
            1,
            "module vpc (terraform-aws-modules/vpc/aws) is not a local module: it is not read,"
            " and its outputs stay unknown",
        )
    ]


def test_a_broken_variable_file_terraform_does_not_load_is_an_input_error(tmp_path: Path) -> None:
    """As a broken terraform.tfvars is: the unterminated string went unnoticed."""
    tfvars = _module_with_a_variable_file(tmp_path, "prod.tfvars", 'trusted = "*\n')
    report = lint_paths([str(tfvars)])
    assert [(e.file, e.line, e.message) for e in report.errors] == [
        (str(tfvars), 1, "invalid HCL: unexpected end of file")
    ]
    assert (report.files_analyzed, report.files_skipped, report.files_failed) == (1, 0, 1)
    assert run_rolelint("check", str(tfvars)).returncode == 2


def _role_trusting(principal: str) -> str:
    return (
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        f' "Allow", Action = "sts:AssumeRole", Principal = {{ {principal} }} }}] }})\n}}\n'
    )


def test_files_terraform_ignores_are_skipped_unread(tmp_path: Path) -> None:
    """Terraform builds a module without hidden files and editor artefacts (``.old_main.tf``,
    the ``.#main.tf`` lock link Emacs leaves while ``main.tf`` is edited) and matches its
    suffixes in lower case only (``OLD.TF`` is no module file).  rolelint read them all: the
    backup's role was analyzed (a critical finding in a file never deployed) and the real one
    dropped as its duplicate, and the dangling lock link was an input error, exit 2."""
    main = tmp_path / "main.tf"
    main.write_text(_role_trusting('Service = "ec2.amazonaws.com"'))
    for name in (".old_main.tf", "OLD.TF", "Old.Tf.Json"):
        (tmp_path / name).write_text(_role_trusting('AWS = "*"'))
    os.symlink("user@host.12345:1700000000", tmp_path / ".#main.tf")
    os.symlink("user@host.12345:1700000000", tmp_path / ".#prod.tfvars")
    (tmp_path / "TERRAFORM.TFVARS").write_text('x = "*"\n')  # loaded by no name but -var-file
    (tmp_path / ".hidden.auto.tfvars").write_text('x = "*"\n')  # loaded: not a config file
    assert module_files(str(tmp_path)) == (
        [str(tmp_path / ".hidden.auto.tfvars"), str(main)],
        None,
    )
    ignored = [tmp_path / n for n in (".#main.tf", ".#prod.tfvars", ".old_main.tf")]
    wrong_case = [tmp_path / "OLD.TF", tmp_path / "Old.Tf.Json"]
    module = {str(tmp_path / ".hidden.auto.tfvars"), str(main)}
    everything = {SKIP_TERRAFORM_IGNORED: 3, SKIP_TERRAFORM_CASE: 2, SKIP_UNLOADED_TFVARS: 1}
    for paths, analyzed, skipped in (
        ([tmp_path], module, everything),
        ([main], module, {}),
        ([*ignored, *wrong_case], set(), {SKIP_TERRAFORM_IGNORED: 3, SKIP_TERRAFORM_CASE: 2}),
    ):
        report = lint_paths([str(path) for path in paths])
        assert (report.findings, report.errors, report.notices) == ([], [], []), paths
        assert (report.analyzed_files, report.skipped_by_reason) == (analyzed, skipped), paths
    inventory, _ = read_inventory([str(tmp_path)])
    assert [(r.id, r.ref.file) for r in inventory.roles] == [("aws_iam_role.r", str(main))]
    result = run_rolelint("check", str(tmp_path), "--no-cache", "--no-color")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 findings in 2 files; 6 skipped" in result.stdout


def test_standard_input_is_a_one_file_module() -> None:
    text = (FORMS / "count-for-each" / "main.tf").read_text()
    result = run_rolelint(
        "check", "-", "--stdin-filename", "infra/main.tf", "--format", "json", stdin=text
    )
    assert result.returncode == 1, result.stderr
    located = {(f["rule_id"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]}
    assert located == {
        ("RL101", "infra/main.tf", 18),
        ("RL301", "infra/main.tf", 35),
        ("RL207", "infra/main.tf", 43),
    }


def test_a_surrogate_escape_is_an_error_not_a_crash() -> None:
    """The fuzzer's input, minimized: the rules once hashed the surrogate and raised.  (Its
    object's two items are given the comma HCL's object constructor requires between them, and
    its body's items the line breaks HCL's body requires after each.)"""
    text = (
        'resource"aws_iam_role"""{\nassume_role_policy=jsonencode({Version="\\ud807",'
        't=[{n={s={}}}]})\ny{y=({t=[{}]})}\n}\ns""{s=({t=[{}]})}'
    )
    outcome = parse_terraform_file("infra/main.tf", text, read_text)
    assert [(e.file, e.line, e.column) for e in outcome.errors] == [("infra/main.tf", 2, 41)]
    assert "invalid escape sequence \\ud807" in outcome.errors[0].message


def test_a_nul_in_a_module_source_or_file_path_is_not_a_crash() -> None:
    """Found by fuzzing: os.listdir and open raise ValueError, not OSError, for a path holding
    a NUL (``"\\u0000"`` is a valid HCL escape)."""
    text = (
        'module "m" {\n  source = "./\\u0000"\n}\n'
        'resource "aws_iam_role" "r" {\n  assume_role_policy = file("a\\u0000.json")\n}\n'
    )
    outcome = parse_terraform_file("infra/main.tf", text, read_text)
    assert [(e.line, e.message) for e in outcome.errors] == [
        (1, "module m: source './\\x00': no such folder, so the module is not read")
    ]
    assert any("file(" in notice.message for notice in outcome.notices)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_file_of_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer: the whole scan hung on one file() call."""
    os.mkfifo(tmp_path / "trust.json")
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n'
        '  assume_role_policy = file("${path.module}/trust.json.tpl")\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert any("trust.json" in notice.message for notice in report.notices)


def test_duplicate_keys_in_hcl_objects_and_heredoc_json() -> None:
    report = check("duplicate-keys")
    duplicates = [f for f in report.findings if f.rule_id == "RL601"]
    assert {(f.location.line, f.location.column, f.resource) for f in duplicates} == {
        (5, 94, "aws_iam_role_policy.p"),
        (15, 22, "aws_iam_role_policy.q"),
    }


def test_a_broken_file_makes_the_exit_code_2() -> None:
    result = run_rolelint("check", str(FORMS / "broken"), "--format", "json")
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert [e["line"] for e in document["errors"]] == [6]
    assert [f["rule_id"] for f in document["findings"]] == ["RL101"]


def test_an_attribute_set_twice_in_a_block_is_reported(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "p" {\n  statement {\n'
        '    actions   = ["s3:GetObject"]\n    resources = ["arn:aws:s3:::a/*"]\n'
        '    resources = ["*"]\n  }\n}\n'
    )
    [finding] = lint_paths([str(tmp_path)]).findings
    assert (finding.rule_id, finding.location.line, finding.location.column) == ("RL601", 5, 5)
    assert finding.resource == "data.aws_iam_policy_document.p"


def test_heredoc_json_splices_keys_and_whole_values(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "locals {\n"
        '  host       = "token.actions.githubusercontent.com"\n'
        '  principals = { AWS = ["*"] }\n'
        "}\n"
        'resource "aws_iam_role" "r" {\n'
        "  assume_role_policy = <<EOF\n"
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
        '  "Principal": ${jsonencode(local.principals)}, "Action": "sts:AssumeRole"},\n'
        '  {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",\n'
        '   "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/${local.host}"},\n'
        '   "Condition": {"StringEquals": {"${local.host}:sub": "repo:org/app:ref:refs/heads/x",\n'
        '     "${local.host}:aud": "sts.amazonaws.com", "$${literal}": "x"}}}]}\n'
        "EOF\n"
        "}\n"
    )
    report = lint_paths([str(tmp_path)])
    # The spliced principal is read (RL101 at the splice); the interpolated keys are the OIDC
    # subject and audience, so RL103 and RL108 stay silent.
    assert {(f.rule_id, f.location.line) for f in report.findings} == {("RL101", 3)}
    [role_] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    assert role_.trust_policy is not None
    keys = {c.key for s in role_.trust_policy.statements for c in s.conditions}
    assert keys == {
        "token.actions.githubusercontent.com:sub",
        "token.actions.githubusercontent.com:aud",
        "${literal}",
    }


def test_instance_profile_links_its_role_across_the_files_of_a_module() -> None:
    module = FIXTURES / "rules" / "RL501" / "bad_instance-terraform"
    findings = lint_paths([str(module)]).findings
    assert findings and {f.role for f in findings} == {"aws_iam_role.bastion"}


BROKEN_POLICY_TEXTS = """\
variable "principal" {}
variable "placeholder" {
  default = ""
}
resource "aws_iam_role" "heredoc" {
  name               = "heredoc"
  assume_role_policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" },
  ]
}
POLICY
}
resource "aws_iam_role" "quoted" {
  name               = "quoted"
  assume_role_policy = "{ not json"
}
resource "aws_iam_role" "list" {
  name               = "list"
  assume_role_policy = "[1, 2]"
}
resource "aws_iam_role" "from_file" {
  name               = "from_file"
  assume_role_policy = file("${path.module}/trust.json.tpl")
}
resource "aws_iam_role" "interpolated" {
  name               = "interpolated"
  assume_role_policy = <<POLICY
{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
  "Principal": ${jsonencode(var.principal)}, "Action": "sts:AssumeRole" }] }
POLICY
}
resource "aws_iam_policy" "placeholder" {
  policy = var.placeholder
}
"""


def test_policy_text_that_is_not_json_is_an_invalid_policy_where_it_breaks(
    tmp_path: Path,
) -> None:
    """IAM rejects such a policy; the text used to become unknown without a word, so a trailing
    comma in a heredoc hid a trust policy open to anyone.  Text that interpolates values the
    scan cannot know, and an empty placeholder, stay unknown and silent."""
    (tmp_path / "main.tf").write_text(BROKEN_POLICY_TEXTS)
    # Not a .json file, so not also read on its own (which would say it is not JSON).
    (tmp_path / "trust.json.tpl").write_text(
        '{\n  "Statement": [\n    {"Effect": "Allow"}}\n  ]\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == [] and report.notices == []
    found = sorted(
        (Path(f.file).name, f.location.line, f.location.column, f.resource, f.message)
        for f in report.findings
    )
    assert found == [
        (
            "main.tf",
            12,
            3,
            "aws_iam_role.heredoc",
            "The policy text is not JSON: expecting a value; IAM rejects the policy",
        ),
        (
            "main.tf",
            18,
            24,
            "aws_iam_role.quoted",
            "The policy text is not JSON: expecting a property name in double quotes; IAM rejects"
            " the policy",
        ),
        (
            "main.tf",
            22,
            24,
            "aws_iam_role.list",
            "The policy text is not a JSON object; IAM rejects the policy",
        ),
        (
            "trust.json.tpl",
            3,
            24,
            "aws_iam_role.from_file",
            "The policy text is not JSON: expecting ',' delimiter; IAM rejects the policy",
        ),
    ]
    assert {f.rule_id for f in report.findings} == {"RL604"}


ADMIN_ROLE = """\
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
"""


def test_an_override_file_is_read_after_the_block_it_overrides_and_noted(tmp_path: Path) -> None:
    """iam_override.tf sorts before main.tf: its bare block used to stand for the role, and
    the administrator policy of the real one was never seen."""
    (tmp_path / "main.tf").write_text(ADMIN_ROLE)
    (tmp_path / "iam_override.tf").write_text(
        'resource "aws_iam_role" "r" {\n  max_session_duration = 7200\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, Path(f.file).name) for f in report.findings] == [("RL201", "main.tf")]
    [note] = report.notices
    assert (Path(note.file).name, note.line, note.column) == ("iam_override.tf", 1, 1)
    assert note.message == (
        f"resource aws_iam_role r: this override is not merged into the block at "
        f"{tmp_path / 'main.tf'}:1 (rolelint does not apply override files); that block is "
        "analyzed as written"
    )


def test_a_block_written_twice_is_noted_where_it_is_written_again(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text(ADMIN_ROLE)
    (tmp_path / "b.tf").write_text(
        "\n" + ADMIN_ROLE.replace("AdministratorAccess", "ReadOnlyAccess")
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, Path(f.file).name) for f in report.findings] == [("RL201", "a.tf")]
    assert [(Path(n.file).name, n.line, n.message) for n in report.notices] == [
        (
            "b.tf",
            2,
            f"resource aws_iam_role r is defined again here (first at {tmp_path / 'a.tf'}:1);"
            " Terraform refuses the module: only the first is analyzed",
        )
    ]


ATTACHING_MODULE = """\
variable "role_name" {}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = var.role_name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role_policy" "inline" {
  role   = var.role_name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "iam:PassRole", Resource = "*" }] })
}
resource "aws_iam_instance_profile" "profile" {
  name = "ci-profile"
  role = var.role_name
}
"""

EC2_ROLE = """\
resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
"""


@pytest.mark.parametrize("called", ["ci", "someone-else"])
def test_a_module_attaches_to_a_role_its_caller_creates(tmp_path: Path, called: str) -> None:
    """IAM names are global to the account: the module's attachment, inline policy and instance
    profile name the caller's role.  They were lost without a word: no finding for an
    administrator role."""
    (tmp_path / "main.tf").write_text(
        EC2_ROLE + f'module "grant" {{\n  source    = "./grant"\n  role_name = "{called}"\n}}\n'
    )
    (tmp_path / "grant").mkdir()
    (tmp_path / "grant" / "main.tf").write_text(ATTACHING_MODULE)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [ci] = outcome.inventory.roles
    standalone = [p.resource for p in outcome.inventory.standalone_policies]
    if called == "ci":
        assert [m.arn.text for m in ci.managed_policy_arns] == [
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ]
        assert [p.resource for p in ci.policies] == ["module.grant.aws_iam_role_policy.inline"]
        # The profile's name is unique in the module instance that creates it, not in the
        # role's: it is held with that instance's scope.
        assert ci.instance_profiles == ()
        assert ci.instance_profiles_elsewhere == (
            (f"{tmp_path / 'grant'}#module.grant.", "ci-profile"),
        )
        assert standalone == []
    else:  # a role outside the scan: the inline policy is still checked on its own
        assert ci.managed_policy_arns == () and ci.policies == () and ci.instance_profiles == ()
        assert ci.instance_profiles_elsewhere == ()
        assert standalone == ["module.grant.aws_iam_role_policy.inline"]


def test_a_caller_attaches_to_a_role_its_module_creates_by_name(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "role" {\n  source = "./role"\n}\n'
        'resource "aws_iam_role_policy_attachment" "admin" {\n  role       = "ci"\n'
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
    )
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(EC2_ROLE)
    report = lint_paths([str(tmp_path)])
    assert {(f.rule_id, f.role) for f in report.findings if f.rule_id == "RL201"} == {
        ("RL201", "module.role.aws_iam_role.ci")
    }


ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
DYNAMIC_BLOCKS = """\
variable "policies" {
  default = {
    admin = ADMIN_JSON
  }
}
resource "aws_iam_role" "r" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  dynamic "inline_policy" {
    for_each = var.policies
    content {
      name   = inline_policy.key
      policy = inline_policy.value
    }
  }
}
resource "aws_iam_instance_profile" "p" {
  name = "app-profile"
  role = aws_iam_role.r.name
}
resource "aws_launch_template" "lt" {
  name = "app"
  dynamic "iam_instance_profile" {
    for_each = ["app-profile"]
    content {
      name = iam_instance_profile.value
    }
  }
}
resource "aws_instance" "i" {
  ami                  = "ami-123"
  iam_instance_profile = aws_iam_instance_profile.p.name
  dynamic "metadata_options" {
    for_each = [{ http_tokens = "required" }]
    content {
      http_tokens = metadata_options.value.http_tokens
    }
  }
}
""".replace("ADMIN_JSON", json.dumps(json.dumps(ADMIN_POLICY)))


def test_dynamic_nested_blocks_are_generated_like_written_ones(tmp_path: Path) -> None:
    """As terraform-aws-modules write them.  The inline policy and the launch template's
    profile were dropped (no finding for an administrator role, none for the template's
    IMDSv1), and the instance's generated metadata_options were read as absent: a false
    RL501 on an instance that requires tokens."""
    (tmp_path / "main.tf").write_text(DYNAMIC_BLOCKS)
    report = lint_paths([str(tmp_path)])
    found = sorted((f.rule_id, f.resource, f.location.line) for f in report.findings)
    assert found == [("RL201", "aws_iam_role.r", 14), ("RL501", "aws_launch_template.lt", 27)]
    [admin] = [f for f in report.findings if f.rule_id == "RL201"]
    assert "Inline policy 'admin' of role aws_iam_role.r" in admin.message


def test_a_principal_of_unknown_type_is_an_unknown_principal_not_nobody(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "principal_type" {}\n'
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n'
        '      type        = var.principal_type\n      identifiers = ["*"]\n    }\n  }\n}\n'
        'resource "aws_iam_role" "r" {\n  name               = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [r] = outcome.inventory.roles
    assert r.trust_policy is not None
    [principal] = r.trust_policy.statements[0].principals  # none before: "nobody"
    assert principal.value.text is None
    assert principal.value.unresolved_reason == "the principal type is not known before apply"
    assert principal.value.ref.line == 6
    assert lint_paths([str(tmp_path)]).findings == []


def test_a_module_called_with_for_each_is_an_instance_per_element(tmp_path: Path) -> None:
    """``module "team" { for_each = local.teams ... }`` was read once with each.* unknown: the
    team whose principal is "*" was never reported."""
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(
        'variable "name" {}\nvariable "principal" {}\n'
        'resource "aws_iam_role" "this" {\n  name = var.name\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",'
        " Principal = { AWS = var.principal } }]\n  })\n}\n"
    )
    (tmp_path / "main.tf").write_text(
        'locals {\n  teams = { ci = "*", audit = "arn:aws:iam::123456789012:root" }\n}\n'
        'module "team" {\n  for_each  = local.teams\n  source    = "./role"\n'
        '  name      = "team-${each.key}"\n  principal = each.value\n}\n'
        'module "off" {\n  count     = 0\n  source    = "./role"\n  name = "off"\n'
        '  principal = "*"\n}\n'
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    names = {r.id: r.name.text if r.name else None for r in outcome.inventory.roles}
    assert names == {
        'module.team["audit"].aws_iam_role.this': "team-audit",
        'module.team["ci"].aws_iam_role.this': "team-ci",
    }
    report = lint_paths([str(tmp_path / "main.tf")])
    located = {(f.rule_id, Path(f.file).name, f.location.line, f.role) for f in report.findings}
    assert located == {
        ("RL101", "main.tf", 8, 'module.team["ci"].aws_iam_role.this'),
        ("RL102", "main.tf", 8, 'module.team["audit"].aws_iam_role.this'),
    }


def test_a_value_a_caller_passes_through_a_for_each_is_reported_at_the_caller(
    tmp_path: Path,
) -> None:
    """A map of policy ARNs passed to a module that attaches them with ``for_each`` pointed at
    the module's ``policy_arn = each.value``, a line the caller's change never touches."""
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(
        'variable "policies" {\n  type = map(string)\n}\n'
        'resource "aws_iam_role" "this" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Action = "sts:AssumeRole",'
        ' Principal = { Service = "ec2.amazonaws.com" } }] })\n}\n'
        'resource "aws_iam_role_policy_attachment" "this" {\n'
        "  for_each   = var.policies\n  policy_arn = each.value\n"
        "  role       = aws_iam_role.this.name\n}\n"
    )
    (tmp_path / "main.tf").write_text(
        'module "admin" {\n  source = "./role"\n  policies = {\n'
        '    admin = "arn:aws:iam::aws:policy/AdministratorAccess"\n  }\n}\n'
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
        ("RL201", "main.tf", 4)
    ]


def test_a_count_or_for_each_reading_its_own_resource_is_one_instance(tmp_path: Path) -> None:
    """``count = length(aws_iam_role.z)`` (a cycle Terraform refuses) crashed the parse with a
    TypeError, and every finding of the module was lost."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "ok" {\n  name = "ok"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }] })\n}\n'
        'resource "aws_iam_role" "z" {\n  count = length(aws_iam_role.z)\n  name = "z"\n}\n'
        'resource "aws_iam_role" "x" {\n  for_each = aws_iam_role.y\n  name = each.key\n}\n'
        'resource "aws_iam_role" "y" {\n  for_each = aws_iam_role.x\n  name = each.key\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, f.resource) for f in report.findings if f.rule_id == "RL101"] == [
        ("RL101", "aws_iam_role.ok")
    ]
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert sorted(r.id for r in outcome.inventory.roles) == [
        "aws_iam_role.ok",
        "aws_iam_role.x",
        "aws_iam_role.y",
        "aws_iam_role.z",
    ]


ADMIN_ATTACHED_BY_COUNT = """\
variable "enable_admin" {
  default = "0"
}
variable "admins" {
  type    = number
  default = "0"
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "admin" {
  count      = %s
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


@pytest.mark.parametrize(
    "count",
    [
        '"0"',
        '"${var.enable_admin}"',  # a legacy (0.11) module: untyped, default = "0"
        "var.admins",  # type = number, default = "0"
        "var.enable_admin ? 1 : 0",
        "var.enable_admin > 0 ? 1 : 0",
        "tonumber(var.enable_admin)",
    ],
)
def test_a_count_written_as_a_string_is_the_number_terraform_converts_it_to(
    tmp_path: Path, count: str
) -> None:
    """``count = "0"`` (or a variable whose default is "0") was not a known number, so the
    attachment no deployment creates was analyzed: RL201 critical on the role."""
    (tmp_path / "main.tf").write_text(ADMIN_ATTACHED_BY_COUNT % count)
    assert lint_paths([str(tmp_path)]).findings == []
    switched_on = (ADMIN_ATTACHED_BY_COUNT % count).replace('"0"', '"1"')
    (tmp_path / "main.tf").write_text(switched_on)
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL201", line_of(switched_on, "AdministratorAccess"))
    ]


ACCOUNT_AS_A_NUMBER = """\
locals {
  acct = %s
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = local.acct }, Action = "sts:AssumeRole" },
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::${local.acct}:root" },
    Action = "sts:AssumeRole" }]
  })
}
"""


@pytest.mark.parametrize("number", ["123456789012", "123456789012.0", "1.23456789012e11"])
def test_a_whole_number_is_written_as_terraform_writes_it(tmp_path: Path, number: str) -> None:
    """``123456789012.0`` is the number 123456789012 to Terraform, and jsonencode writes it so.
    rolelint wrote it ``123456789012.0`` in a jsonencode'd policy (RL111: "neither a 12-digit
    account id nor an ARN") while the same value in "${...}" was the account."""
    (tmp_path / "main.tf").write_text(ACCOUNT_AS_A_NUMBER % number)
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL102", 8), ("RL102", 9)]
    assert all("lets account 123456789012 " in f.message for f in report.findings)


def test_a_number_of_terraform_json_syntax_is_a_number_not_its_text(tmp_path: Path) -> None:
    """A number of a ``.tf.json`` is Terraform's, not the text the JSON writes it as."""
    policy = (
        '{Version = \\"2012-10-17\\", Statement = [{Effect = \\"Allow\\", Principal ='
        ' {AWS = local.acct}, Action = \\"sts:AssumeRole\\"}]}'
    )
    (tmp_path / "main.tf.json").write_text(
        '{"locals": {"acct": 1.23456789012e11},\n'
        ' "resource": {"aws_iam_role": {"r": {"name": "r",\n'
        f'  "assume_role_policy": "${{jsonencode({policy})}}"}}}}}}}}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL102", 3)]
    assert "lets account 123456789012 " in report.findings[0].message


def test_a_role_switched_off_by_a_string_count_is_not_analyzed(tmp_path: Path) -> None:
    """Reproduction B of the report: a role open to anyone behind ``count = var.create`` with
    ``default = "0"`` was RL101 critical; with ``"2"`` there are two roles, both reported."""
    role_behind_count = (
        'variable "create" {\n  default = "%s"\n}\n'
        'resource "aws_iam_role" "public" {\n  count = var.create\n  name  = "public"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }] })\n}\n'
    )
    (tmp_path / "main.tf").write_text(role_behind_count % "0")
    assert lint_paths([str(tmp_path)]).findings == []
    (tmp_path / "main.tf").write_text(role_behind_count % "2")
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.resource, f.location.line) for f in report.findings] == [
        ("RL101", "aws_iam_role.public[0]", 7),
        ("RL101", "aws_iam_role.public[1]", 7),
    ]


def test_instances_past_the_budget_are_one_instance_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module called for each of 1,000 elements, creating a role for each of 3,000, built
    3,000,000 roles (8 GB).  Instances are counted over the root and the modules it calls."""
    from rolelint.parsers import tf_budget

    monkeypatch.setattr(tf_budget, "MAX_INSTANCES", 6)
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(
        'variable "names" {}\n'
        'resource "aws_iam_role" "r" {\n  for_each = var.names\n  name = each.key\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  for_each = toset(["a", "b"])\n  source = "./role"\n'
        '  names = toset(["x", "y"])\n}\n'
        'resource "aws_iam_role" "nums" {\n  for_each = toset([1, "1"])\n  name = each.key\n}\n'
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert sorted(r.id for r in outcome.inventory.roles) == [
        'aws_iam_role.nums["1"]',  # toset([1, "1"]): one string "1", one instance
        'module.m["a"].aws_iam_role.r["x"]',
        'module.m["a"].aws_iam_role.r["y"]',
        'module.m["b"].aws_iam_role.r',  # past 6 instances: once, each unknown
    ]
    [notice] = outcome.notices
    assert notice.message == tf_budget.TOO_MANY_INSTANCES and notice.line == 3


def test_a_document_passed_through_a_string_is_still_the_document(tmp_path: Path) -> None:
    """``"${data.x.json}"`` (Terraform 0.11), ``join("", data.x.*.json)`` (the count-switch
    style), ``format("%s", ...)`` and ``trimspace(...)`` hand the document on unchanged; each
    lost the policy without a word.  A text rolelint cannot redo (``replace``) stays unknown."""
    forms = {
        "wrapped": '"${data.aws_iam_policy_document.trust.json}"',
        "joined": 'join("", data.aws_iam_policy_document.trust.*.json)',
        "formatted": 'format("%s", data.aws_iam_policy_document.trust.json)',
        "trimmed": "trimspace(data.aws_iam_policy_document.trust.json)",
        "local": '"${local.trust}"',
        "replaced": 'replace(data.aws_iam_policy_document.trust.json, "x", "y")',
    }
    roles = "".join(
        f'resource "aws_iam_role" "{name}" {{\n  assume_role_policy = {form}\n}}\n'
        for name, form in forms.items()
    )
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n'
        '    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n'
        "  }\n}\n"
        'locals {\n  trust = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }] })\n}\n' + roles
    )
    report = lint_paths([str(tmp_path)])
    opened = sorted(f.resource for f in report.findings if f.rule_id == "RL101")
    assert opened == [f"aws_iam_role.{name}" for name in sorted(forms) if name != "replaced"]


def test_condition_blocks_of_one_test_and_variable_add_their_values(tmp_path: Path) -> None:
    """The AWS provider joins the values of condition blocks with the same test and variable
    (any of them satisfies it); the last block replaced the others, and a ``repo:*`` subject
    written first was hidden by a narrow one written after it."""
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRoleWithWebIdentity"]\n'
        '    principals {\n      type        = "Federated"\n'
        '      identifiers = ["arn:aws:iam::111122223333:oidc-provider/'
        'token.actions.githubusercontent.com"]\n    }\n'
        '    condition {\n      test     = "StringEquals"\n'
        '      variable = "token.actions.githubusercontent.com:aud"\n'
        '      values   = ["sts.amazonaws.com"]\n    }\n'
        '    condition {\n      test     = "StringLike"\n'
        '      variable = "token.actions.githubusercontent.com:sub"\n'
        '      values   = ["repo:*"]\n    }\n'
        '    condition {\n      test     = "StringLike"\n'
        '      variable = "token.actions.githubusercontent.com:sub"\n'
        '      values   = ["repo:acme/app:ref:refs/heads/main"]\n    }\n  }\n}\n'
        'resource "aws_iam_role" "gh" {\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [gh] = outcome.inventory.roles
    assert gh.trust_policy is not None
    [subject] = [c for c in gh.trust_policy.statements[0].conditions if c.key.endswith(":sub")]
    assert [(v.text, v.ref.line) for v in subject.values] == [
        ("repo:*", 16),
        ("repo:acme/app:ref:refs/heads/main", 21),
    ]
    findings = lint_paths([str(tmp_path)]).findings
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL103", 16)]


def test_a_policy_not_known_is_a_note_and_the_card_says_so(tmp_path: Path) -> None:
    """A trust policy from a variable without default was dropped without a word, and the role
    card said "nobody can assume it"."""
    (tmp_path / "main.tf").write_text(
        'variable "trust" {}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = var.trust\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(n.line, n.message) for n in report.notices] == [
        (
            4,
            "the trust policy of role aws_iam_role.r is not analyzed: variable trust has no"
            " default",
        )
    ]
    shown = run_rolelint("show", "aws_iam_role.r", str(tmp_path))
    assert "who can assume it is not known" in shown.stdout
    assert "nobody can assume it" not in shown.stdout


OPTIONAL_FLAG_ROLE = """\
variable "config" {
  type = object({
    allow_any          = optional(bool, false)
    trusted_principals = optional(list(string), ["arn:aws:iam::123456789012:root"])
  })
  default = {}
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.config.allow_any ? ["*"] : var.config.trusted_principals }
    }]
  })
}
"""

STATEMENTS_MODULE = """\
variable "statements" {
  type = map(object({
    effect     = optional(string, "Allow")
    sid        = optional(string)
    actions    = list(string)
    principals = list(object({ type = string, identifiers = list(string) }))
  }))
}
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = var.statements
    content {
      sid     = statement.value.sid
      effect  = statement.value.effect
      actions = statement.value.actions
      dynamic "principals" {
        for_each = statement.value.principals
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
    }
  }
}
resource "aws_iam_role" "this" {
  name               = "m"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


def test_optional_attributes_of_a_variable_take_their_defaults(tmp_path: Path) -> None:
    """``allow_any = optional(bool, false)`` with ``default = {}`` was unknown, so "*" was a
    branch (RL101 critical that no deployment has); an ``effect = optional(string, "Allow")``
    the caller leaves out was unknown, so a statement trusting "*" gave no finding at all."""
    (tmp_path / "flag").mkdir()
    (tmp_path / "flag" / "main.tf").write_text(OPTIONAL_FLAG_ROLE)
    report = lint_paths([str(tmp_path / "flag")])
    assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
        ("RL102", "main.tf", 4)
    ]
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(STATEMENTS_MODULE)
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source = "./mod"\n  statements = {\n    Anyone = {\n'
        '      actions    = ["sts:AssumeRole"]\n'
        '      principals = [{ type = "AWS", identifiers = ["*"] }]\n    }\n  }\n}\n'
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    assert [(f.rule_id, Path(f.file).name, f.location.line, f.role) for f in report.findings] == [
        ("RL101", "main.tf", 6, "module.m.aws_iam_role.this")
    ]
    assert report.errors == [] and report.notices == []


NON_NULLABLE_MODULE = """\
variable "trusted" {
  type     = list(string)
  default  = ["*"]
  nullable = false
}
variable "condition_org" {
  type    = string
  default = "o-abc123def4"
}
resource "aws_iam_role" "this" {
  name = "m"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.trusted }
      Condition = var.condition_org == null ? null : {
        StringEquals = { "aws:PrincipalOrgID" = var.condition_org }
      }
    }]
  })
}
"""


def test_a_non_nullable_variable_given_null_is_its_default(tmp_path: Path) -> None:
    """``nullable = false`` was ignored: a caller passing ``trusted = null`` left the principal
    null, and the module's default "*" (what Terraform then uses) was never judged."""
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(NON_NULLABLE_MODULE)
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source        = "./mod"\n  trusted       = null\n'
        "  condition_org = null\n}\n"
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    # condition_org may be null (nullable by default): no condition is left.
    assert [(f.rule_id, f.file, f.location.line) for f in report.findings] == [
        ("RL101", str(tmp_path / "mod" / "main.tf"), 3)
    ]
    assert "no condition limits" in report.findings[0].message


LOCAL_PRINCIPAL_ROLE = """\
locals {
  principal = "*"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.principal }
    }]
  })
}
"""


def test_a_local_set_again_is_noted_as_blocks_are(tmp_path: Path) -> None:
    """A local an override file sets was passed over in silence, while README promises a note
    at each block an override would change (blocks and variables had one)."""
    (tmp_path / "main.tf").write_text(LOCAL_PRINCIPAL_ROLE)
    (tmp_path / "override.tf").write_text(
        'locals {\n  other = "x"\n  principal = "arn:aws:iam::123456789012:root"\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
        ("RL101", "main.tf", 9)
    ]
    assert [(Path(n.file).name, n.line, n.column, n.message) for n in report.notices] == [
        (
            "override.tf",
            3,
            3,
            f"local.principal: this override is not merged into the value at "
            f"{tmp_path / 'main.tf'}:2 (rolelint does not apply override files); that value is "
            "analyzed as written",
        )
    ]
    (tmp_path / "override.tf").rename(tmp_path / "more.tf")  # twice, not an override
    [note] = lint_paths([str(tmp_path)]).notices
    assert (Path(note.file).name, note.line) == ("more.tf", 3)
    assert note.message == (
        f"local.principal is defined again here (first at {tmp_path / 'main.tf'}:2); Terraform"
        " refuses the module: only the first is analyzed"
    )


def test_an_output_of_a_local_module_is_unknown_never_a_guess(tmp_path: Path) -> None:
    """Outputs are not evaluated, local modules' included (README, "Not supported"): a policy
    attached to ``module.role.name`` links to no role, and says nothing of one."""
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(
        'variable "name" {}\nresource "aws_iam_role" "this" {\n  name = var.name\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })'
        '\n}\noutput "name" { value = aws_iam_role.this.name }\n'
    )
    (tmp_path / "att").mkdir()
    (tmp_path / "att" / "main.tf").write_text(
        'variable "role_name" {}\nresource "aws_iam_role_policy_attachment" "this" {\n'
        "  role       = var.role_name\n"
        '  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"\n}\n'
    )
    (tmp_path / "main.tf").write_text(
        'module "role" {\n  source = "./role"\n  name   = "ci"\n}\n'
        'module "att" {\n  source    = "./att"\n  role_name = module.role.name\n}\n'
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [ci] = outcome.inventory.roles
    assert (ci.id, ci.managed_policy_arns) == ("module.role.aws_iam_role.this", ())
    assert lint_paths([str(tmp_path)]).findings == []


def test_a_module_source_that_is_no_folder_is_an_error_at_the_call(tmp_path: Path) -> None:
    """The error named the missing folder alone ("modmiss/missing: cannot list folder"): not
    which module block points at it, nor where."""
    (tmp_path / "main.tf").write_text(
        'module "ok" {\n  source = "./mod"\n}\nmodule "a" {\n  source = "./missing"\n}\n'
    )
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(ADMIN_ROLE)
    report = lint_paths([str(tmp_path)])
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (
            str(tmp_path / "main.tf"),
            4,
            1,
            "module a: source ./missing: no such folder, so the module is not read",
        )
    ]
    # The other call is still followed (its folder, walked too, reports the role as its own).
    assert [(f.rule_id, Path(f.file).parent.name) for f in report.findings] == [("RL201", "mod")]


TWO_ACCOUNTS = """provider "aws" {
  alias = "prod"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/terraform"
  }
}
locals {
  ec2 = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role" "app_prod" {
  provider           = aws.prod
  name               = "app"
  assume_role_policy = local.ec2
}
resource "aws_iam_role_policy_attachment" "app_prod_admin" {
  provider   = aws.prod
  role       = aws_iam_role.app_prod.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = local.ec2
}
resource "aws_iam_role_policy_attachment" "app_ro" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
"""


def test_roles_of_one_name_in_two_accounts_are_linked_by_provider(tmp_path: Path) -> None:
    """Roles were found by name text alone, the last of a name winning: AdministratorAccess
    attached to the prod account's "app" landed on the sandbox's "app" role."""
    (tmp_path / "main.tf").write_text(TWO_ACCOUNTS)
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, f.location.line, f.resource) for f in report.findings]
    assert found == [("RL201", 19, "aws_iam_role.app_prod")]


def test_policies_of_one_name_in_two_accounts_are_both_analyzed(tmp_path: Path) -> None:
    """Policies were kept by ARN text: of two "deploy" policies (two providers, so two
    accounts) the first was silently dropped, with its Action "*"."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  alias = "prod"\n}\n'
        'resource "aws_iam_policy" "deploy_prod" {\n  provider = aws.prod\n  name = "deploy"\n'
        '  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",'
        ' Action = "*", Resource = "*"}]})\n}\n'
        'resource "aws_iam_policy" "deploy" {\n  name = "deploy"\n'
        '  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",'
        ' Action = "s3:ListBucket", Resource = "arn:aws:s3:::b"}]})\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, f.location.line, f.resource) for f in report.findings]
    assert found == [("RL201", 7, "aws_iam_policy.deploy_prod")]


def test_a_name_several_roles_of_one_provider_have_links_none(tmp_path: Path) -> None:
    """Two roles of one name and provider (Terraform's apply would fail): the attachment does
    not pick the last one, it links none and says so."""
    (tmp_path / "main.tf").write_text(TWO_ACCOUNTS.replace("provider           = aws.prod", ""))
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert all(not r.managed_policy_arns for r in outcome.inventory.roles)
    assert [n.message for n in outcome.notices if "several roles" in n.message] != []


MODULE_PROVIDERS = """provider "aws" {
  alias = "dev"
}
provider "aws" {
  alias = "prod"
}
locals {
  build = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Service = "codebuild.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role" "dev" {
  provider           = aws.dev
  name               = "deploy"
  assume_role_policy = local.build
}
resource "aws_iam_role" "prod" {
  provider           = aws.prod
  name               = "deploy"
  assume_role_policy = local.build
}
module "dev_role" {
  source    = "./role"
  providers = { aws = aws.dev }
  name      = "ci"
}
module "prod_role" {
  source    = "./role"
  providers = { aws = aws.prod }
  name      = "ci"
}
module "prod_admin" {
  source    = "./attach"
  providers = { aws = aws.prod }
  roles     = ["deploy", "ci"]
}
module "nowhere" {
  source = "./attach"
  roles  = ["deploy"]
}
"""


def test_a_module_attaches_by_name_only_in_the_account_its_call_passes(tmp_path: Path) -> None:
    """A module called with ``providers = { aws = aws.prod }`` attaching by role name linked
    every role of that name, the one created through ``aws.dev`` included (RL201 on both,
    the dev role named first), where the same attachment in the root links the prod role
    alone.  Its resources are now created through the configuration the call passes; one
    whose provider tells no role of that name apart (the default ``aws``) links none and
    says so."""
    (tmp_path / "main.tf").write_text(MODULE_PROVIDERS)
    (tmp_path / "role").mkdir()
    (tmp_path / "role" / "main.tf").write_text(
        'variable "name" {}\n'
        'resource "aws_iam_role" "this" {\n'
        "  name               = var.name\n"
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect ='
        ' "Allow", Principal = {Service = "codebuild.amazonaws.com"},'
        ' Action = "sts:AssumeRole"}]})\n'
        "}\n"
    )
    (tmp_path / "attach").mkdir()
    (tmp_path / "attach" / "main.tf").write_text(
        'variable "roles" {}\n'
        'resource "aws_iam_role_policy_attachment" "this" {\n'
        "  for_each   = toset(var.roles)\n"
        "  role       = each.value\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n'
        "}\n"
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    found = sorted((f.rule_id, f.location.line, f.resource) for f in report.findings)
    assert found == [
        ("RL201", 5, "aws_iam_role.prod"),
        ("RL201", 5, "module.prod_role.aws_iam_role.this"),
    ]
    notes = [(Path(n.file).parent.name, n.line, n.message) for n in report.notices]
    assert notes == [
        (
            "attach",
            2,
            "the role name 'deploy' is given to several roles (aws_iam_role.dev,"
            " aws_iam_role.prod), created through providers that do not tell which one this"
            " resource means: none is linked",
        )
    ]


def _launch_template_json(tokens: str) -> str:
    role = {
        "name": "r",
        "assume_role_policy": '${jsonencode({Version = "2012-10-17", Statement = [{Effect ='
        ' "Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})}',
    }
    resources = {
        "aws_iam_role": {"r": role},
        "aws_iam_instance_profile": {"p": {"name": "p", "role": "${aws_iam_role.r.name}"}},
        "aws_launch_template": {"t": {"metadata_options": {"http_tokens": tokens}}},
        "aws_instance": {
            "i": {
                "iam_instance_profile": "${aws_iam_instance_profile.p.name}",
                "launch_template": {"id": "${aws_launch_template.t.id}"},
            }
        },
    }
    return json.dumps({"resource": resources}, indent=1)


def test_a_tf_json_launch_template_block_gives_the_instance_its_tokens(tmp_path: Path) -> None:
    """A ``launch_template`` object of a .tf.json instance was read as an attribute, not a
    block: the instance's tokens were "not set" (RL501) though its template requires them."""
    (tmp_path / "main.tf.json").write_text(_launch_template_json("required"))
    assert lint_paths([str(tmp_path)]).findings == []
    (tmp_path / "main.tf.json").write_text(_launch_template_json("optional"))
    found = [(f.rule_id, f.resource, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    # At the launch template's "optional", where it is fixed, as for HCL.
    assert found == [("RL501", "aws_instance.i", 18)]


SPLAT_OVER_INSTANCES = """locals {
  ec2 = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role" "admin" {
  for_each = toset(["x", "y"])
  name     = "admin-${each.key}"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {AWS = aws_iam_role.low.arn}, Action = "sts:AssumeRole"}]})
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
resource "aws_iam_role" "low" {
  name               = "low"
  assume_role_policy = local.ec2
}
resource "aws_iam_role_policy" "hop" {
  role = aws_iam_role.low.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = values(aws_iam_role.admin)[*].arn
    }]
  })
}
"""


@pytest.mark.parametrize(
    "splat", ["values(aws_iam_role.admin)[*].arn", "[aws_iam_role.admin[*].arn]"]
)
def test_a_splat_over_instances_points_at_the_reference(tmp_path: Path, splat: str) -> None:
    """The ARNs a splat read from a resource's instances kept the resource block's place: the
    finding about the hop was reported at the admin role's header, not at the Resource."""
    text = SPLAT_OVER_INSTANCES.replace("values(aws_iam_role.admin)[*].arn", splat)
    if splat.startswith("["):
        text = text.replace('for_each = toset(["x", "y"])', "count    = 2").replace(
            "each.key", "count.index"
        )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    chains = [(f.resource, f.location.line) for f in report.findings if f.rule_id == "RL401"]
    assert chains == [("aws_iam_role_policy.hop", 23)] * 2  # one per admin role, at the Resource


def test_a_heredoc_read_before_rendering_is_noted_with_its_file_line(tmp_path: Path) -> None:
    """The note said "the policy text is not JSON (line 2)", a line counted from the heredoc,
    and "not JSON" of text Terraform renders into JSON (``"a/*"${local.more}``, the value
    writing ``, "*"``; a quoted ``${join(...)}`` in a string is read: test_tf_template_json)."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  more = ", \\"*\\""\n}\n'
        'resource "aws_iam_policy" "a" {\n  name   = "a"\n  policy = <<EOF\n'
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",'
        ' "Action": "s3:GetObject",\n    "Resource": ["arn:aws:s3:::a/*"${local.more}]}]\n}\n'
        "EOF\n}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            6,
            12,
            "the policy aws_iam_policy.a is not analyzed: the policy text could not be read as"
            " JSON before its ${...} are rendered (line 10): invalid JSON: expecting ','"
            " delimiter",
        )
    ]


def test_a_note_of_a_module_read_from_two_roots_is_reported_once(tmp_path: Path) -> None:
    """A local module is read from its caller and as a root of its own: its note that a
    registry module is not read was reported twice (the README says once)."""
    (tmp_path / "m").mkdir()
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./m"\n}\n')
    (tmp_path / "m" / "main.tf").write_text(
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [(Path(n.file).name, n.line) for n in report.notices] == [("main.tf", 1)]
    assert "module vpc (terraform-aws-modules/vpc/aws)" in report.notices[0].message


def test_an_argument_written_twice_in_tf_json_is_a_duplicate_key(tmp_path: Path) -> None:
    """The JSON loader's duplicate keys were dropped when a .tf.json was read: an "effect" set
    twice in a statement was no RL601, where the same statement in HCL is one.  A label written
    twice is not one (Terraform reads both)."""
    (tmp_path / "main.tf.json").write_text(
        '{\n  "data": {\n    "aws_iam_policy_document": {\n      "d": {\n'
        '        "statement": [\n          {"effect": "Deny", "actions": ["s3:ListBucket"],'
        ' "resources": ["arn:aws:s3:::b"], "effect": "Allow"}\n        ]\n      }\n    }\n  },\n'
        '  "resource": {\n    "aws_iam_role_policy": {\n'
        '      "p": {"name": "p", "role": "r", "policy": "${data.aws_iam_policy_document.d.json}"}'
        "\n    },\n"
        '    "aws_iam_role_policy": {\n'
        '      "q": {"name": "q", "role": "r", "policy": "${data.aws_iam_policy_document.d.json}"}'
        "\n    }\n  }\n}\n"
    )
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, f.location.line, f.location.column) for f in report.findings]
    assert found == [("RL601", 6, 93)]  # the second "effect"


WILDCARD_MODULE = """\
resource "aws_iam_role" "caller" {
  for_each = toset(["ci*"])
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.caller["ci*"].arn }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""


@pytest.mark.parametrize("folder", ["app*", "app?", "plain"])
def test_a_wildcard_in_a_folder_or_key_makes_no_generated_arn_a_pattern(
    tmp_path: Path, folder: str
) -> None:
    """The stand-in for a name Terraform generates holds the folder and the address: a ``*``
    in either (``app*/``, ``for_each = toset(["ci*"])``) made the caller's ARN a pattern, a
    malformed principal (RL111) instead of the hop from the caller (RL401)."""
    module = tmp_path / folder
    module.mkdir()
    (module / "main.tf").write_text(WILDCARD_MODULE)
    report = lint_paths([str(module)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL401", 17)]


@pytest.mark.parametrize(
    ("attributes", "name"),
    [
        ("", "<generated:DIR#aws_iam_role.r>"),
        ("name = null", "<generated:DIR#aws_iam_role.r>"),
        ('name_prefix = "ci-"', "ci-<generated:DIR#aws_iam_role.r>"),
        ("name = var.role_name", "<unresolved name:DIR#aws_iam_role.r>"),
        ('name = "${var.role_name}-ci"', "<unresolved name:DIR#aws_iam_role.r>"),
        ("name = var.named", "named"),
    ],
)
def test_a_name_set_to_a_value_not_known_is_no_generated_one(
    tmp_path: Path, attributes: str, name: str
) -> None:
    """A role without a name (null, or only a ``name_prefix``) has the name Terraform generates;
    one named from a variable without a default (``var.role_name``) had the same stand-in, and
    messages called its name "a name Terraform generates", though whoever applies the module
    chooses it.  Its stand-in is an unresolved name's now, matched alike (never a pattern)."""
    (tmp_path / "main.tf").write_text(
        'variable "role_name" {}\n'
        'variable "named" {\n  default = "named"\n}\n'
        'resource "aws_iam_role" "r" {\n'
        f"  {attributes}\n"
        '  assume_role_policy = "{}"\n'
        "}\n"
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert outcome.errors == []
    [found] = outcome.inventory.roles
    expected = name.replace("DIR", str(tmp_path))
    assert found.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/{expected}"


def merged_version_module(own: str, merged: str) -> str:
    """Policy ``aws_iam_policy.p`` of document ``old`` (``own`` its attributes, line 9 on)
    merging ``merged``; ``base`` is a document with the provider's default Version."""
    return (
        'data "aws_iam_policy_document" "base" {\n'
        "  statement {\n"
        '    sid       = "Read"\n'
        '    actions   = ["s3:GetObject"]\n'
        '    resources = ["arn:aws:s3:::b/*"]\n'
        "  }\n"
        "}\n"
        'data "aws_iam_policy_document" "old" {\n'
        f"{own}{merged}"
        "  statement {\n"
        '    sid       = "List"\n'
        '    actions   = ["s3:ListBucket"]\n'
        '    resources = ["arn:aws:s3:::b"]\n'
        "  }\n"
        "}\n"
        'resource "aws_iam_policy" "p" {\n'
        '  name   = "p"\n'
        "  policy = data.aws_iam_policy_document.old.json\n"
        "}\n"
    )


LEGACY = '  version = "2008-10-17"\n'
LEGACY_JSON = 'jsonencode({ Version = "2008-10-17", Statement = [] })'
CURRENT_JSON = 'jsonencode({ Version = "2012-10-17", Id = "ovr", Statement = [] })'


@pytest.mark.parametrize(
    ("own", "merged", "expected"),
    [
        # A source (the default 2012-10-17) upgrades the legacy Version: no RL602, and the
        # Version is the source's (the base document's default, at its block).
        (LEGACY, "  source_policy_documents = [data.aws_iam_policy_document.base.json]\n", 1),
        # An override upgrades it too, where it writes its Version.
        (LEGACY, f"  override_policy_documents = [{CURRENT_JSON}]\n", 10),
        # A legacy source or override changes nothing: the document's own Version stays.
        (LEGACY, f"  source_policy_documents = [{LEGACY_JSON}]\n", 9),
        ("", f"  override_policy_documents = [{LEGACY_JSON}]\n", 8),
    ],
    ids=["source-upgrades", "override-upgrades", "legacy-source", "legacy-override"],
)
def test_a_policy_document_renders_the_highest_version_of_what_it_merges(
    tmp_path: Path, own: str, merged: str, expected: int
) -> None:
    """``version = "2008-10-17"`` with a 2012-10-17 ``source_policy_documents`` gave RL602 "uses
    the legacy Version", while the provider's merge lets every merged document upgrade the
    Version: the policy it renders has 2012-10-17.  The Version is now the highest, where it
    is written; the data source's own when that is the highest."""
    (tmp_path / "main.tf").write_text(merged_version_module(own, merged))
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    [policy] = inventory.standalone_policies
    assert policy.version is not None
    legacy = own == LEGACY and "2012" not in merged and "base" not in merged
    assert policy.version.text == ("2008-10-17" if legacy else "2012-10-17")
    assert policy.version.ref.line == expected
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    assert found == ([("RL602", 9)] if legacy else [])


def test_a_policy_document_renders_the_last_id_of_what_it_merges(tmp_path: Path) -> None:
    """The provider's merge adopts each merged document's non-empty Id: an override's wins
    over the data source's ``policy_id``, and an override without one keeps it."""
    extra = merged_version_module(
        '  policy_id = "own"\n',
        f"  override_policy_documents = [{CURRENT_JSON}, {LEGACY_JSON}]\n",
    )
    (tmp_path / "main.tf").write_text(
        f"locals {{\n  probe = data.aws_iam_policy_document.old.json\n}}\n{extra}"
    )
    module = TerraformModule(read_module(str(tmp_path), read_text))
    file, expr = module.locals["probe"]
    document = module.evaluator.evaluate(expr, file)
    assert [key for key in document] == ["Version", "Id", "Statement"]
    assert (document["Version"].text, document["Id"].text) == ("2012-10-17", "ovr")


def test_a_version_a_merged_document_may_upgrade_is_not_known(tmp_path: Path) -> None:
    """A source rolelint cannot read may hold 2012-10-17: the legacy Version of the data
    source is then not known to be the one rendered, so it gives no RL602."""
    text = 'variable "doc" {\n  type = string\n}\n' + merged_version_module(
        LEGACY, "  source_policy_documents = [var.doc]\n"
    )
    (tmp_path / "main.tf").write_text(text)
    inventory, _ = read_inventory([str(tmp_path)])
    [policy] = inventory.standalone_policies
    assert policy.version is not None and policy.version.text is None
    assert [f.rule_id for f in lint_paths([str(tmp_path)]).findings] == []
    own_source = text.replace("var.doc", "data.aws_iam_policy_document.base.json")
    (tmp_path / "main.tf").write_text(
        own_source.replace('version = "2008-10-17"', "version = var.doc")
    )
    inventory, _ = read_inventory([str(tmp_path)])
    [policy] = inventory.standalone_policies
    # An unknown own version is at most 2012-10-17, which the source has.
    assert policy.version is not None and policy.version.text == "2012-10-17"


_UNKNOWN_PATH = """\
variable "role_path" {{ type = string }}
data "aws_caller_identity" "me" {{}}
resource "aws_iam_role" "admin" {{
  name = "admin"
{path}
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.me.account_id}}:root" }},
    Action = "sts:AssumeRole" }}] }})
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}}
resource "aws_iam_role" "app" {{
  name = "app"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Principal = {{ Service = "lambda.amazonaws.com" }}, Action = "sts:AssumeRole" }}] }})
  inline_policy {{
    name = "hop"
    policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
      Action = "sts:AssumeRole",
      Resource = "arn:aws:iam::${{data.aws_caller_identity.me.account_id}}:role/admin" }}] }})
  }}
}}
"""


@pytest.mark.parametrize(
    ("path", "chained"),
    [
        ("  path = var.role_path", False),  # not known: role/admin may not name it
        ("  path = null", True),  # not set: "/"
        ('  path = ""', True),
        ('  path = "/"', True),
        ('  path = "/team/"', False),
        ("", True),
    ],
)
def test_a_path_rolelint_cannot_resolve_makes_no_arn_a_path_less_name_matches(
    tmp_path: Path, path: str, chained: bool
) -> None:
    """As in CloudFormation: a ``path`` from a variable without a default was taken as "/",
    so ``role/admin`` named a role whose ARN may be ``role/team/admin``, and RL401 and RL405
    came from a value rolelint does not know.  Its ARN now holds a stand-in for the path."""
    (tmp_path / "main.tf").write_text(_UNKNOWN_PATH.format(path=path))
    report = lint_paths([str(tmp_path)])
    chains = sorted(f.rule_id for f in report.findings if f.rule_id.startswith("RL4"))
    assert chains == (["RL401", "RL405"] if chained else [])
    inventory, _ = read_inventory([str(tmp_path)])
    [admin] = [r for r in inventory.roles if r.id == "aws_iam_role.admin"]
    if path.endswith("var.role_path"):
        assert admin.arn.text == (
            f"arn:aws:iam::{THIS_ACCOUNT}:role/<unresolved path:"
            f"{tmp_path / 'main.tf'}#aws_iam_role.admin>admin"
        )


_EMPTY_LISTS = """\
variable "none" {{
  type    = list(string)
  default = []
}}
resource "aws_iam_role" "r" {{
  name               = "r"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Principal = {{ Service = "ec2.amazonaws.com" }}, Action = "sts:AssumeRole" }}] }})
}}
resource "aws_iam_role_policy" "p" {{
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.p.json
}}
data "aws_iam_policy_document" "p" {{
{statements}
}}
"""


@pytest.mark.parametrize(
    ("statements", "expected", "fragment"),
    [
        # Allow NotAction s3:* on *, as rendered: full admin, no "both elements" (RL613).
        (
            '  statement {\n    actions     = []\n    not_actions = ["s3:*"]\n'
            '    resources   = ["*"]\n  }',
            [("RL201", 17), ("RL204", 17)],
            "every action except 's3:*' (NotAction), every IAM action among them, on '*'",
        ),
        # No action element: IAM rejects the statement, which grants nothing.
        (
            '  statement {\n    not_actions = var.none\n    resources   = ["*"]\n  }',
            [("RL604", 15)],
            "has a statement with neither Action nor NotAction; IAM rejects it",
        ),
        # No resource element: IAM rejects the policy ("must contain resources").
        (
            '  statement {\n    actions   = ["s3:GetObject"]\n    resources = var.none\n  }',
            [("RL613", 15)],
            "has a statement without Resource or NotResource",
        ),
        # The Deny IAM applies leaves '*' only on the bucket.
        (
            '  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n'
            '  statement {\n    effect        = "Deny"\n    actions       = ["*"]\n'
            '    resources     = []\n    not_resources = ["arn:aws:s3:::bucket/*"]\n  }',
            [("RL202", 16)],
            "(the Deny at line 19 leaves * only on 'arn:aws:s3:::bucket/*')",
        ),
    ],
)
def test_an_empty_list_of_a_policy_document_is_no_element_as_the_provider_renders_it(
    tmp_path: Path, statements: str, expected: list[tuple[str, int]], fragment: str
) -> None:
    """The AWS provider writes ``actions``, ``not_actions``, ``resources`` and
    ``not_resources`` only when the list is not empty.  An empty one (or a variable that
    defaults to ``[]``) was read as an element holding nothing: "both Action and NotAction"
    (RL613) hid a full admin, no action list granted "every action except nothing", a
    statement without resources passed silently, and the Deny was dropped."""
    (tmp_path / "main.tf").write_text(_EMPTY_LISTS.format(statements=statements))
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.location.line) for f in report.findings) == expected
    assert any(fragment in f.message for f in report.findings)


def test_an_empty_list_a_condition_chooses_is_no_element_in_that_deployment(
    tmp_path: Path,
) -> None:
    """``actions = var.strict ? [] : [...]`` beside ``not_actions = var.strict ? [...] : []``:
    each deployment renders one of the two, as with ``null``.  The empty branch was a list of
    nothing, so the statement held both (RL613) and its NotAction grant went unjudged."""
    statements = (
        '  statement {\n    actions     = var.strict ? [] : ["s3:GetObject"]\n'
        '    not_actions = var.strict ? ["iam:*"] : []\n    resources   = ["*"]\n  }'
    )
    text = _EMPTY_LISTS.format(statements=statements) + 'variable "strict" {\n  type = bool\n}\n'
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert sorted((f.rule_id, f.location.line) for f in report.findings) == [
        ("RL204", 17),  # at not_actions
        ("RL206", 17),
        ("RL207", 18),  # at resources
        ("RL208", 18),
    ]


_CHOSEN_FOR_EACH = """\
variable "public" {
  type = bool
}
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.public ? ["*"] : ["arn:aws:iam::111122223333:root", "*"]
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}
resource "aws_iam_role" "d" {
  name               = "d"
  assume_role_policy = data.aws_iam_policy_document.d.json
}
resource "aws_iam_role" "c" {
  for_each = var.public ? { a = "*" } : { a = "arn:aws:iam::111122223333:root", b = "*" }
  name     = "c-${each.key}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { AWS = each.value }, Action = "sts:AssumeRole" }] })
}
"""


def test_a_for_each_a_condition_chooses_generates_the_blocks_and_instances_of_each_branch(
    tmp_path: Path,
) -> None:
    """A dynamic block's or a resource's ``for_each = var.public ? [...] : [...]`` was read as
    not known before apply: the principal of each block unknown (no RL101 for the "*" both
    branches give), and one role ``aws_iam_role.c`` trusting no principal rolelint could read.
    Each key of any branch is now generated, once, its value the choice of the branches'; a
    key only some branches have is optional, as a block of an unknown for_each is."""
    (tmp_path / "main.tf").write_text(_CHOSEN_FOR_EACH)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    d = role(outcome.inventory, "aws_iam_role.d")
    assert d.trust_policy is not None
    statements = [
        (sorted(str(p.value.text) for p in s.principals), s.optional)
        for s in d.trust_policy.statements
    ]
    # Index 0 is in both branches ("*" or the account), index 1 only when not public.
    assert statements == [(["*", "arn:aws:iam::111122223333:root"], False), (["*"], True)]
    trusted = {
        r.id: (
            sorted(str(p.value.text) for p in r.trust_policy.statements[0].principals),
            r.trust_policy.optional,
        )
        for r in outcome.inventory.roles
        if r.id.startswith("aws_iam_role.c") and r.trust_policy is not None
    }
    assert trusted == {
        'aws_iam_role.c["a"]': (["*", "arn:aws:iam::111122223333:root"], False),
        'aws_iam_role.c["b"]': (["*"], True),
    }
    report = lint_paths([str(tmp_path)])
    found = sorted((f.rule_id, f.resource, f.location.line) for f in report.findings)
    assert found == [
        ("RL101", 'aws_iam_role.c["a"]', 24),
        ("RL101", 'aws_iam_role.c["b"]', 24),
        ("RL101", "aws_iam_role.d", 11),
        ("RL102", 'aws_iam_role.c["a"]', 24),
        ("RL102", "aws_iam_role.d", 11),
    ]
    assert report.errors == []


def test_a_deny_a_condition_generates_in_some_deployments_limits_no_allow(
    tmp_path: Path,
) -> None:
    """A dynamic Deny over ``var.locked ? ["*"] : []`` is in some deployments only: the
    Allow it would cancel is still full administrator access where it is not."""
    (tmp_path / "main.tf").write_text(
        'variable "locked" {\n  type = bool\n}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" },'
        ' Action = "sts:AssumeRole" }] })\n}\n'
        'data "aws_iam_policy_document" "p" {\n'
        '  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n'
        '  dynamic "statement" {\n    for_each = var.locked ? ["*"] : []\n'
        '    content {\n      effect    = "Deny"\n      actions   = [statement.value]\n'
        '      resources = ["*"]\n    }\n  }\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        "  policy = data.aws_iam_policy_document.p.json\n}\n"
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [policy] = role(outcome.inventory, "aws_iam_role.r").policies
    deny = policy.statements[1]
    assert [a.text for a in deny.actions] == ["*"] and deny.optional
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 10)]


def test_a_deny_one_branch_generates_reads_that_branch_and_stays_optional(
    tmp_path: Path,
) -> None:
    """A dynamic Deny over ``var.locked ? ["s3:DeleteObject"] : []`` is only where locked
    holds: its Resource is that branch's, the logs (it listed the other branch's "*" too).
    It is still in some deployments only, so it limits no Allow for certain."""
    (tmp_path / "main.tf").write_text(
        'variable "locked" {\n  type = bool\n}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" },'
        ' Action = "sts:AssumeRole" }] })\n}\n'
        'data "aws_iam_policy_document" "p" {\n'
        '  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n'
        '  dynamic "statement" {\n    for_each = var.locked ? ["s3:DeleteObject"] : []\n'
        '    content {\n      effect    = "Deny"\n      actions   = [statement.value]\n'
        '      resources = var.locked ? ["arn:aws:s3:::logs/*"] : ["*"]\n    }\n  }\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        "  policy = data.aws_iam_policy_document.p.json\n}\n"
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [policy] = role(outcome.inventory, "aws_iam_role.r").policies
    allow, deny = policy.statements
    assert not allow.optional
    assert [a.text for a in deny.actions] == ["s3:DeleteObject"]
    assert [r.text for r in deny.resources] == ["arn:aws:s3:::logs/*"]
    assert deny.optional and deny.paired is None
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 10)]


def test_a_session_duration_a_condition_leaves_unset_is_aws_default_hour(tmp_path: Path) -> None:
    """``var.long ? 99999 : null`` leaves the argument unset where ``long`` is false: that
    deployment gets AWS's default hour.  The null branch was dropped, so the role read as
    one every deployment of which fails ("invalid" in roles and the card)."""
    (tmp_path / "main.tf").write_text(
        'variable "long" {\n  type = bool\n}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{\n'
        '    Effect = "Allow", Action = "sts:AssumeRole",\n'
        '    Principal = { Service = "ec2.amazonaws.com" } }] })\n'
        "  max_session_duration = var.long ? 99999 : null\n}\n"
    )
    inventory, _ = read_inventory([str(tmp_path)])
    [role] = inventory.roles
    assert [v.text for v in role.max_session_duration] == ["99999", "3600"]
    assert {v.ref.line for v in role.max_session_duration} == {9}


def test_a_node_groups_unseen_launch_template_is_the_node_groups(tmp_path: Path) -> None:
    """A launch template rolelint cannot see left a node group's tokens "set by the
    instance's launch template" (the card printed that of an EKS node group), as the
    CloudFormation reader no longer does; an instance's stays the instance's."""
    (tmp_path / "main.tf").write_text(
        """\
variable "template_id" { type = string }
resource "aws_eks_node_group" "ng" {
  cluster_name  = "c"
  node_role_arn = "arn:aws:iam::111122223333:role/node"
  launch_template {
    id      = var.template_id
    version = "1"
  }
}
resource "aws_instance" "vm" {
  ami = "ami-0abcdef1234567890"
  launch_template {
    id = var.template_id
  }
}
"""
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert outcome.errors == []
    reasons = {
        compute.kind: compute.http_tokens.unresolved_reason
        for compute in outcome.inventory.compute
        if compute.http_tokens is not None
    }
    assert reasons == {
        "aws_eks_node_group": "set by the node group's launch template",
        "aws_instance": "set by the instance's launch template",
    }


def test_a_policy_document_renders_and_braces_where_its_provider_does(tmp_path: Path) -> None:
    """The provider turns ``&{...}`` into the IAM policy variable ``${...}`` in resources,
    not_resources, principal identifiers and condition values, and nowhere else: an action
    keeps what is written (regr5, 1: ``user/&{aws:username}`` named no user)."""
    (tmp_path / "main.tf").write_text(
        """\
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "x:&{y}"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:user/&{aws:username}"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["home/&{aws:username}/"]
    }
  }
}

resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "own" {
  statement {
    actions       = ["s3:GetObject"]
    not_resources = [var.pick ? "arn:aws:s3:::b/&{aws:userid}" : "arn:aws:s3:::c/&{aws:userid}"]
  }
}

variable "pick" {
  type = bool
}

resource "aws_iam_role_policy" "own" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.own.json
}
"""
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    [trust_role] = outcome.inventory.roles
    assert trust_role.trust_policy is not None
    [statement] = trust_role.trust_policy.statements
    assert [a.text for a in statement.actions] == ["sts:AssumeRole", "x:&{y}"]
    assert [p.value.text for p in statement.principals] == [
        "arn:aws:iam::111122223333:user/${aws:username}"
    ]
    assert [v.text for c in statement.conditions for v in c.values] == ["home/${aws:username}/"]
    [own] = trust_role.policies
    # The Allow once per branch of var.pick, whose NotResource each branch chooses.
    assert [[v.text for v in s.not_resources] for s in own.statements] == [
        ["arn:aws:s3:::b/${aws:userid}"],
        ["arn:aws:s3:::c/${aws:userid}"],
    ]


# --- references to the arguments of a resource -----------------------------------------------

# A trust policy written once, in a heredoc, and copied by reference to the roles of a count.
COPIED_TRUST = """\
resource "aws_iam_role" "legacy" {
  name               = "legacy-role"
  assume_role_policy = <<EOT
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{PRINCIPAL},"Action":"sts:AssumeRole"}]}
EOT
}

resource "aws_iam_role" "many" {
  count              = 2
  name               = "many-${count.index}"
  assume_role_policy = aws_iam_role.legacy.assume_role_policy
}
"""


def test_a_trust_policy_copied_from_another_roles_argument_is_that_policy(
    tmp_path: Path,
) -> None:
    """``assume_role_policy = aws_iam_role.legacy.assume_role_policy`` was "known only after
    apply": a note for each instance, and a trust open to anyone copied that way had no
    finding.  The argument is what legacy's block sets, known at plan: each copy is judged,
    its findings at the heredoc where the policy is written, marked as used at the
    reference."""
    (tmp_path / "main.tf").write_text(COPIED_TRUST.replace("PRINCIPAL", '"AWS":"*"'))
    report = lint_paths([str(tmp_path)])
    heredoc = line_of(COPIED_TRUST, '{"Version"')
    assert sorted((f.rule_id, f.location.line, f.role) for f in report.findings) == [
        ("RL101", heredoc, "aws_iam_role.legacy"),
        ("RL101", heredoc, "aws_iam_role.many[0]"),
        ("RL101", heredoc, "aws_iam_role.many[1]"),
    ]
    assert report.notices == []
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    copy = role(outcome.inventory, "aws_iam_role.many[1]")
    assert copy.trust_policy is not None
    [principal] = copy.trust_policy.statements[0].principals
    assert (principal.value.text, principal.value.ref.line) == ("*", heredoc)
    used_at = principal.value.ref.used_at
    assert used_at is not None
    assert used_at.line == line_of(COPIED_TRUST, "= aws_iam_role.legacy.assume_role_policy")


def test_a_copied_trust_policy_of_a_service_gives_no_finding_and_no_note(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        COPIED_TRUST.replace("PRINCIPAL", '"Service":"ec2.amazonaws.com"')
    )
    report = lint_paths([str(tmp_path)])
    assert (report.findings, report.notices) == ([], [])
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    for address in ("aws_iam_role.many[0]", "aws_iam_role.many[1]"):
        trust = role(outcome.inventory, address).trust_policy
        assert trust is not None
        assert [p.value.text for p in trust.statements[0].principals] == ["ec2.amazonaws.com"]


def test_an_argument_of_one_instance_is_read_with_its_own_each(tmp_path: Path) -> None:
    """``aws_iam_role.keyed["open"].assume_role_policy``: the instance's own ``each``, not
    another instance's, nor one unknown."""
    text = """\
resource "aws_iam_role" "keyed" {
  for_each = { open = "*", vendor = "arn:aws:iam::111122223333:root" }
  name     = "keyed-${each.key}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = each.value }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "copy_open" {
  name               = "copy-open"
  assume_role_policy = aws_iam_role.keyed["open"].assume_role_policy
}

resource "aws_iam_role" "copy_vendor" {
  name               = "copy-vendor"
  assume_role_policy = aws_iam_role.keyed["vendor"].assume_role_policy
}
"""
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.notices == []
    by_role = {(f.role, f.rule_id) for f in report.findings}
    assert ("aws_iam_role.copy_open", "RL101") in by_role
    assert ("aws_iam_role.copy_vendor", "RL101") not in by_role
    assert ("aws_iam_role.copy_vendor", "RL102") in by_role


@pytest.mark.parametrize("read_first", [False, True], ids=["alone", "read-first-from-outside"])
def test_arguments_that_refer_to_each_other_are_a_note_not_a_hang(
    tmp_path: Path, read_first: bool
) -> None:
    """Terraform refuses the cycle; rolelint says it cannot read either trust policy.  Hunt:
    both notes named the argument met first (``aws_iam_role.b.assume_role_policy refers to
    itself`` for role ``a`` too), whatever role they were about.  Each now names its own
    argument and the cycle from it; a role outside the cycle that copies one of them (read
    before either, ``read_first``) names the argument it copies."""
    outside = (
        'resource "aws_iam_role" "early" {\n'
        '  name               = "early"\n'
        "  assume_role_policy = aws_iam_role.b.assume_role_policy\n}\n"
    )
    text = (outside if read_first else "") + (
        'resource "aws_iam_role" "a" {\n'
        '  name               = "a"\n'
        "  assume_role_policy = aws_iam_role.b.assume_role_policy # a\n}\n"
        'resource "aws_iam_role" "b" {\n'
        '  name               = "b"\n'
        "  assume_role_policy = aws_iam_role.a.assume_role_policy # b\n}\n"
    )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.findings == []
    a, b = "aws_iam_role.a.assume_role_policy", "aws_iam_role.b.assume_role_policy"
    expected = [
        (
            line_of(text, "# a"),
            f"the trust policy of role aws_iam_role.a is not analyzed: argument {a} refers to"
            f" itself ({a} -> {b} -> {a})",
        ),
        (
            line_of(text, "# b"),
            f"the trust policy of role aws_iam_role.b is not analyzed: argument {b} refers to"
            f" itself ({b} -> {a} -> {b})",
        ),
    ]
    if read_first:
        expected.insert(
            0,
            (
                3,
                "the trust policy of role aws_iam_role.early is not analyzed: argument"
                f" {b} refers to itself ({b} -> {a} -> {b})",
            ),
        )
    assert [(n.line, n.message) for n in report.notices] == expected


def test_a_permissions_boundary_copied_from_another_user_limits_it(tmp_path: Path) -> None:
    """``permissions_boundary = aws_iam_user.bounded.permissions_boundary``: the boundary the
    other user's block sets, so the user's AdministratorAccess is bounded; a user copying
    the boundary of one that sets none has none (null, as Terraform plans it)."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_user" "bounded" {\n'
        '  name                 = "bounded"\n'
        '  permissions_boundary = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"\n}\n'
        'resource "aws_iam_user" "free" {\n'
        '  name = "free"\n}\n'
        'resource "aws_iam_user" "copy" {\n'
        '  name                 = "copy"\n'
        "  permissions_boundary = aws_iam_user.bounded.permissions_boundary\n}\n"
        'resource "aws_iam_user" "copy_free" {\n'
        '  name                 = "copy-free"\n'
        "  permissions_boundary = aws_iam_user.free.permissions_boundary\n}\n"
        'resource "aws_iam_user_policy_attachment" "admin" {\n'
        '  for_each   = toset(["copy", "copy-free"])\n'
        "  user       = each.value\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
    )
    users = {
        user.id: user
        for user in parse_terraform_directory(str(tmp_path), read_text).inventory.identities
    }
    boundary = users["aws_iam_user.copy"].permissions_boundary
    assert boundary is not None
    assert boundary.text == "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    assert users["aws_iam_user.copy_free"].permissions_boundary is None
    report = lint_paths([str(tmp_path)])
    assert [f.resource for f in report.findings if f.rule_id == "RL201"] == [
        "aws_iam_user.copy_free"
    ]
    assert report.notices == []


def test_an_interpolation_written_over_several_lines_is_read(tmp_path: Path) -> None:
    """``"${join(",",<LF>  var.list)}"`` and ``"${var.a<LF>}"``: Terraform skips the line breaks
    of an interpolation; the second made the file an input error (exit 2, no finding).  Read,
    the Action list and the Resource (the variable's ``"*"``) are judged, where they are."""
    (tmp_path / "main.tf").write_text(
        'variable "resource" {\n  default = "*"\n}\n'
        'variable "actions" {\n  default = ["iam:PassRole", "s3:*"]\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n'
        '    Version = "2012-10-17",\n'
        '    Statement = [{Effect = "Allow",\n'
        '      Action = split(",", "${join(",",\n        var.actions)}"),\n'
        '      Resource = "${var.resource\n      }"}]\n'
        "  })\n}\n"
    )
    result = run_rolelint("check", str(tmp_path), "--no-cache", "-f", "json")
    document = json.loads(result.stdout)
    assert document["errors"] == [], result.stdout
    found = {(finding["rule_id"], finding["line"]) for finding in document["findings"]}
    assert found == {("RL202", 12), ("RL206", 12), ("RL203", 14), ("RL208", 14)}
    assert result.returncode == 1


def test_a_json_provider_alias_is_the_text_written(tmp_path: Path) -> None:
    """A provider's ``alias`` in Terraform's JSON syntax "must be given as literal strings" and
    is "not interpreted as a string template": ``"${var.name}"`` was read as the variable's
    ``ops``, the provider's sessions named ``provider aws.ops``.  It is the text written."""
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "variable": {"name": {"default": "ops"}},
                "provider": {
                    "aws": {
                        "alias": "${var.name}",
                        "version": "~> 5.0 ${var.name}",
                        "assume_role": {"role_arn": "arn:aws:iam::111122223333:role/hub"},
                    }
                },
            }
        )
    )
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert outcome.errors == []
    assert [r.requester for r in outcome.inventory.session_requests] == ["provider aws.${var.name}"]
    [provider] = [
        block
        for _, body in read_module(str(tmp_path), read_text).files
        for block in body.blocks
        if block.type == "provider"
    ]
    version = provider.body.get("version")
    assert version is not None and getattr(version, "value", None) == "~> 5.0 ${var.name}"


HEREDOC_POLICIES = """\
locals {
  policies = {
    admin = <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
EOF
    none = "{}"
  }
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = local.policies.admin
}
"""


def test_a_map_of_heredoc_policies_is_read(tmp_path: Path) -> None:
    """An object item after a heredoc (``none = ...`` on the line after ``EOF``), which
    Terraform takes, made the file an input error ("unexpected 'none'"): the line break that
    ends the heredoc's closing line is the one between the items, as HCL scans it."""
    (tmp_path / "main.tf").write_text(HEREDOC_POLICIES)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert {(f.rule_id, f.location.line) for f in report.findings} >= {("RL201", 5)}
