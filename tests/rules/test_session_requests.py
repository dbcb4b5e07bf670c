"""Session requests: Terraform providers that assume roles, RL302 (a chained session over one
hour) and RL303 (a duration AWS or the tool refuses), on their own and through the pipeline."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_text
from rolelint.checks.base import Hit
from rolelint.checks.session import (
    chained_session_duration_over_one_hour,
    session_duration_request_out_of_range,
)
from rolelint.model import Inventory, Role, SessionRequest, Value
from rolelint.parsers.terraform import go_duration_seconds, parse_terraform_directory
from rolelint.source import SourceRef, Span
from tests.rules.harness import describe, line_of

FILE = "config"
ARN = "arn:aws:iam::444455556666:role/deploy"


def at(line: int) -> SourceRef:
    return SourceRef(FILE, Span(line, 20, line, 24))


def request(
    seconds: int | None,
    chained: bool | None = True,
    *,
    written: str | None = None,
    line: int = 5,
    invalid: str | None = None,
    arn: str = ARN,
) -> SessionRequest:
    text = written if written is not None else (None if seconds is None else str(seconds))
    duration = Value(text, at(line), None if text is not None else "a variable")
    return SessionRequest(
        ref=at(line),
        role_arn=Value(arn, at(line - 1)),
        duration=duration,
        seconds=seconds,
        requester="profile deploy",
        chained=chained,
        via="its credentials come from profile hub, itself a role session",
        invalid=invalid,
    )


def rl302(*requests: SessionRequest) -> list[Hit]:
    return list(chained_session_duration_over_one_hour(Inventory(session_requests=list(requests))))


def rl303(*requests: SessionRequest, roles: list[Role] | None = None) -> list[Hit]:
    inventory = Inventory(roles=roles or [], session_requests=list(requests))
    return list(session_duration_request_out_of_range(inventory))


# --- Go durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h", 3600),
        ("90m", 5400),
        ("3600s", 3600),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (".5h", 1800),
        ("12h0m0s", 43200),
        ("3600500ms", 3600),  # the SDK sends whole seconds, truncated
        ("2\u00b5s", 0),
        ("0", 0),
        ("+2h", 7200),
        ("-1h", -3600),
    ],
)
def test_go_durations(text: str, seconds: int) -> None:
    assert go_duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "1", "3600", "1H", "1h 30m", ".h", "2 hours", "1d"])
def test_text_go_refuses(text: str) -> None:
    assert go_duration_seconds(text) is None


# --- Terraform providers --------------------------------------------------------------------------


def provider_requests(tmp_path: Path, code: str, name: str = "main.tf") -> list[SessionRequest]:
    (tmp_path / name).write_text(code, encoding="utf-8")
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert outcome.errors == []
    return outcome.inventory.session_requests


HUB_AND_SPOKE = """\
provider "aws" {
  alias = "ops"
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/hub"
    duration = "2h"
  }
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
    duration = "90m"
  }
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/last"
  }
}
"""


def test_each_assume_role_hop_is_a_request_chained_after_the_first(tmp_path: Path) -> None:
    first, second, third = provider_requests(tmp_path, HUB_AND_SPOKE)
    assert {first.requester, second.requester, third.requester} == {"provider aws.ops"}
    assert (first.role_arn.text, first.seconds, first.chained) == (
        "arn:aws:iam::111122223333:role/hub",
        7200,
        None,
    )
    assert (second.seconds, second.chained, second.setting) == (5400, True, "duration")
    assert "arn:aws:iam::111122223333:role/hub" in second.via
    assert second.duration is not None and second.duration.text == "90m"
    assert (second.ref.line, second.ref.column) == (9, 16)
    assert (third.duration, third.chained, third.ref.line) == (None, True, 12)
    assert "arn:aws:iam::444455556666:role/deploy" in third.via


def test_web_identity_is_a_first_hop_and_chains_the_next(tmp_path: Path) -> None:
    code = """\
provider "aws" {
  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::1:role/ci"
    web_identity_token_file = "/tmp/token"
    duration                = "6h"
  }
  assume_role {
    role_arn = "arn:aws:iam::1:role/deploy"
    duration = "2h"
  }
}
"""
    web, hop = provider_requests(tmp_path, code)
    assert (web.requester, web.seconds, web.chained) == ("provider aws", 21600, False)
    assert (hop.seconds, hop.chained) == (7200, True)
    assert "assume_role_with_web_identity (arn:aws:iam::1:role/ci)" in hop.via


def test_a_single_hop_is_unknown_and_duration_seconds_is_read(tmp_path: Path) -> None:
    code = """\
provider "aws" {
  profile = "ops"
  assume_role {
    role_arn         = "arn:aws:iam::1:role/legacy"
    duration_seconds = 7200
  }
}
"""
    [legacy] = provider_requests(tmp_path, code)
    assert (legacy.setting, legacy.seconds, legacy.chained) == ("duration_seconds", 7200, None)


def test_dynamic_hops_keep_the_chain_unknown_unless_a_role_came_before(tmp_path: Path) -> None:
    code = """\
variable "hops" {
  type = list(string)
}
provider "aws" {
  dynamic "assume_role" {
    for_each = var.hops
    content {
      role_arn = assume_role.value
    }
  }
  assume_role {
    role_arn = "arn:aws:iam::1:role/after-dynamic"
    duration = "2h"
  }
}
provider "aws" {
  alias = "b"
  assume_role {
    role_arn = "arn:aws:iam::1:role/first"
  }
  dynamic "assume_role" {
    for_each = var.hops
    content {
      role_arn = assume_role.value
    }
  }
  assume_role {
    role_arn = "arn:aws:iam::1:role/last"
    duration = "2h"
  }
}
"""
    after_dynamic, first, last = provider_requests(tmp_path, code)
    assert after_dynamic.chained is None
    assert (first.chained, last.chained) == (None, True)


def test_variables_conditionals_and_empty_role_arns(tmp_path: Path) -> None:
    code = """\
variable "long" {
  type    = bool
  default = true
}
variable "session" {
  type = string
}
provider "aws" {
  assume_role {
    role_arn = ""
  }
  assume_role {
    role_arn = "arn:aws:iam::1:role/a"
    duration = var.long ? "4h" : "1h"
  }
  assume_role {
    role_arn = "arn:aws:iam::1:role/b"
    duration = var.session
  }
}
"""
    requests = provider_requests(tmp_path, code)
    assert [(r.role_arn.text, r.seconds, r.chained) for r in requests] == [
        ("arn:aws:iam::1:role/a", 14400, None),
        ("arn:aws:iam::1:role/b", None, True),
    ]
    assert requests[1].duration is not None and requests[1].duration.text is None
    assert requests[1].invalid is None


def test_invalid_durations_say_why(tmp_path: Path) -> None:
    code = """\
provider "aws" {
  assume_role {
    role_arn = "arn:aws:iam::1:role/a"
    duration = "2 hours"
  }
}
"""
    [bad] = provider_requests(tmp_path, code)
    assert bad.seconds is None
    assert bad.invalid is not None and "Terraform refuses" in bad.invalid


def test_terraform_json_providers(tmp_path: Path) -> None:
    code = {
        "provider": {
            "aws": [
                {
                    "alias": "ops",
                    "assume_role": [
                        {"role_arn": "arn:aws:iam::1:role/hub"},
                        {"role_arn": "arn:aws:iam::1:role/deploy", "duration": "2h"},
                    ],
                },
                {"alias": "one", "assume_role": {"role_arn": "arn:aws:iam::1:role/x"}},
            ]
        }
    }
    found = provider_requests(tmp_path, json.dumps(code, indent=2), "providers.tf.json")
    assert [(r.requester, r.role_arn.text, r.seconds, r.chained) for r in found] == [
        ("provider aws.ops", "arn:aws:iam::1:role/hub", None, None),
        ("provider aws.ops", "arn:aws:iam::1:role/deploy", 7200, True),
        ("provider aws.one", "arn:aws:iam::1:role/x", None, None),
    ]


def test_other_providers_are_ignored(tmp_path: Path) -> None:
    code = 'provider "google" {\n  assume_role {\n    role_arn = "x"\n  }\n}\n'
    assert provider_requests(tmp_path, code) == []


def test_a_provider_in_a_local_module_is_named_with_its_module(tmp_path: Path) -> None:
    child = tmp_path / "modules" / "spoke"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(HUB_AND_SPOKE, encoding="utf-8")
    root = 'module "spoke" {\n  source = "./modules/spoke"\n}\n'
    requesters = {r.requester for r in provider_requests(tmp_path, root)}
    assert requesters == {"provider module.spoke.aws.ops"}


# --- RL302 ----------------------------------------------------------------------------------------


def test_a_chained_request_over_one_hour_fires_at_the_duration() -> None:
    [hit] = rl302(request(7200))
    assert (hit.rule_id, hit.at, hit.resource) == ("RL302", at(5), "profile deploy")
    for words in ("profile deploy", ARN, "duration_seconds 7200", "profile hub", "3600"):
        assert words in hit.message


@pytest.mark.parametrize("seconds", [900, 3600])
def test_a_chained_request_of_an_hour_or_less_is_fine(seconds: int) -> None:
    assert rl302(request(seconds)) == []


@pytest.mark.parametrize("chained", [False, None])
def test_unchained_or_unknown_requests_are_not_reported(chained: bool | None) -> None:
    assert rl302(request(7200, chained)) == []


def test_unresolved_and_invalid_durations_are_not_rl302() -> None:
    assert rl302(request(None), request(None, written="12h", invalid="not seconds")) == []


def test_a_go_duration_is_shown_with_its_seconds() -> None:
    [hit] = rl302(request(9000, written="2h30m"))
    assert "duration_seconds 2h30m (9000 s)" in hit.message


def test_a_default_is_named_in_the_message() -> None:
    base = request(10800, written="3h")
    assert base.duration is not None
    duration = Value("3h", base.duration.ref, origin="the default of variable session")
    [hit] = rl302(replace(base, duration=duration))
    assert "(10800 s; the default of variable session)" in hit.message


def test_the_key_follows_the_content_not_the_line() -> None:
    [first] = rl302(request(7200, line=5))
    [moved] = rl302(request(7200, line=9))
    [other] = rl302(request(7300, line=5))
    assert first.key == moved.key != other.key


# --- RL303 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0, 899, 43201, 86400, -3600])
def test_requests_outside_900_to_43200_fire_whatever_the_chain(seconds: int) -> None:
    for chained in (True, False, None):
        [hit] = rl303(request(seconds, chained))
        assert hit.rule_id == "RL303"
        assert "900 to 43200" in hit.message and str(seconds) in hit.message


@pytest.mark.parametrize("seconds", [900, 3600, 43200])
def test_requests_inside_the_bounds_are_fine(seconds: int) -> None:
    assert rl303(request(seconds, None)) == []


def test_an_invalid_duration_fires_with_the_parser_reason() -> None:
    reason = "'12h' is not a whole number of seconds: the AWS CLI ignores it"
    [hit] = rl303(request(None, written="12h", invalid=reason))
    assert hit.message.endswith(f"but its duration_seconds {reason}")


def test_unresolved_or_absent_durations_are_silent() -> None:
    absent = SessionRequest(at(4), Value(ARN, at(4)), None, None, "profile a", True, "via")
    assert rl303(request(None), absent) == []


def role(max_session: tuple[str | None, ...], arn: str = ARN) -> Role:
    where = SourceRef("export.json", Span(3, 1, 3, 10))
    values = tuple(Value(text, where, None if text else "a parameter") for text in max_session)
    return Role(id="deploy", ref=where, arn=Value(arn, where), max_session_duration=values)


def test_a_request_longer_than_the_named_role_allows() -> None:
    [hit] = rl303(request(7200, None), roles=[role(("3600",))])
    assert (hit.role, hit.at) == ("deploy", at(5))
    assert "MaxSessionDuration of role deploy (3600 s)" in hit.message
    [default] = rl303(request(7200, False), roles=[role(())])
    assert "default maximum of role deploy (3600 s)" in default.message


@pytest.mark.parametrize(
    ("max_session", "arn", "chained"),
    [
        (("14400",), ARN, None),  # allowed
        ((None,), ARN, None),  # unknown limit
        (("3600", None), ARN, None),  # one branch unknown
        (("3600",), "arn:aws:iam::444455556666:role/other", None),  # another role
        (("3600",), ARN, True),  # chained over an hour: RL302 says it
    ],
)
def test_the_role_limit_only_when_known_and_not_rl302s(
    max_session: tuple[str | None, ...], arn: str, chained: bool | None
) -> None:
    assert rl303(request(7200, chained), roles=[role(max_session, arn)]) == []


def test_the_biggest_branch_of_a_condition_is_the_limit() -> None:
    assert rl303(request(7200, None), roles=[role(("3600", "7200"))]) == []


def test_a_limit_a_default_sets_is_said_to_be_the_default() -> None:
    """The role's limit comes from a parameter's default: another deployment's role may allow
    the request, which the message says, as RL301 and RL305 say it of the same value."""
    written = Value(
        "3600", SourceRef("t.yaml", Span(9, 27, 9, 35)), origin="the default of parameter Dur"
    )
    limit = replace(role(("3600",)), max_session_duration=(written,))
    [hit] = rl303(request(7200, None), roles=[limit])
    assert "MaxSessionDuration of role deploy (3600 s; the default of parameter Dur)" in hit.message


@pytest.mark.parametrize("rejected", ["86400", "12h", "900"])
def test_a_branch_aws_rejects_is_no_limit(rejected: str) -> None:
    """``var.long ? 86400 : 7200``: the deployment that picks 86400 fails (RL301), the others
    allow two hours, so ten hours is refused.  The longest of every value was the limit, and
    nothing was reported; a value that is no integer silenced the check too."""
    [hit] = rl303(request(36000, None), roles=[role((rejected, "7200"))])
    assert "MaxSessionDuration of role deploy (7200 s)" in hit.message
    assert rl303(request(7200, None), roles=[role((rejected, "7200"))]) == []


def test_no_valid_branch_no_limit() -> None:
    """Every value is one AWS rejects: no deployment has the role (RL301 says why), so there
    is no session to measure a request against."""
    assert rl303(request(36000, None), roles=[role(("86400", "12h"))]) == []


def test_a_terraform_branch_aws_rejects_is_no_limit(tmp_path: Path) -> None:
    code = """\
variable "long" { type = bool }
resource "aws_iam_role" "reports" {
  name                 = "reports"
  max_session_duration = var.long ? 86400 : 7200
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}
provider "aws" {
  assume_role {
    role_arn = aws_iam_role.reports.arn
    duration = "10h"
  }
}
"""
    (tmp_path / "main.tf").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL301", line_of(code, "max_session_duration")),
        ("RL303", line_of(code, 'duration = "10h"')),
    ], describe(report.findings)
    assert "MaxSessionDuration of role aws_iam_role.reports (7200 s)" in report.findings[1].message


# --- through the pipeline -------------------------------------------------------------------------


CHAINED_CONFIG = """\
[profile hub]
role_arn = arn:aws:iam::111122223333:role/hub
credential_source = Ec2InstanceMetadata

[profile deploy]
role_arn = arn:aws:iam::444455556666:role/deploy
source_profile = hub
duration_seconds = 7200
"""


def test_an_explicit_config_file_is_linted(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(CHAINED_CONFIG, encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == [] and report.files_analyzed == 1
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL302", 8, 20)
    ], describe(report.findings)
    [finding] = report.findings
    assert finding.resource == "profile deploy"
    assert report.snippets[(str(path), 8)] == "duration_seconds = 7200"


def test_a_source_profile_loop_is_a_notice_not_rl302(tmp_path: Path) -> None:
    """Profiles a and b name each other as source_profile: the AWS CLI refuses both before any
    AssumeRole call.  RL302 said a's 7200 s was refused because of role chaining, and asked
    for a shorter session, which fixes nothing."""
    path = tmp_path / "config"
    path.write_text(
        "[profile a]\nrole_arn = arn:aws:iam::444455556666:role/a\nsource_profile = b\n"
        "duration_seconds = 7200\n\n"
        "[profile b]\nrole_arn = arn:aws:iam::444455556666:role/b\nsource_profile = a\n",
        encoding="utf-8",
    )
    report = lint_paths([str(path)])
    assert report.findings == [] and report.errors == [], describe(report.findings)
    assert [(n.line, n.column, n.message.split(":")[0]) for n in report.notices] == [
        (3, 18, "profiles a and b name each other as source_profile in a loop (a -> b -> a)")
    ]


@pytest.mark.parametrize("duration", ["86400", "600", "7200", "2h"])
def test_a_web_identity_profile_sends_no_duration(tmp_path: Path, duration: str) -> None:
    """The AWS CLI signs a profile with web_identity_token_file in through
    AssumeRoleWithWebIdentityProvider, which sends the role ARN and session name only (botocore
    credentials.py): its duration_seconds never reaches AWS, so nothing fails, whatever the
    value or the role's limit.  RL303 said "the request fails"; a notice now says the setting
    does nothing."""
    path = tmp_path / "config"
    path.write_text(
        "[profile ci]\nrole_arn = arn:aws:iam::444455556666:role/deploy\n"
        f"web_identity_token_file = /var/run/secrets/token\nduration_seconds = {duration}\n",
        encoding="utf-8",
    )
    report = lint_paths([str(path)])
    assert report.findings == [] and report.errors == [], describe(report.findings)
    [notice] = report.notices
    assert (notice.line, notice.column) == (4, 20)
    assert notice.message.startswith(
        "profile ci signs in with a web identity token: the AWS CLI does not send its "
        f"duration_seconds ({duration})"
    )


def test_a_folder_scan_never_reads_config_files(tmp_path: Path) -> None:
    (tmp_path / "config").write_text(CHAINED_CONFIG, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.findings == [] and report.files_analyzed == 0


def test_standard_input_is_detected_too(tmp_path: Path) -> None:
    from rolelint.parsers import parse_source

    outcome = parse_source("<stdin>", CHAINED_CONFIG)
    assert outcome.format == "aws-config"


def test_refused_lines_are_reported_as_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(CHAINED_CONFIG + "oops\n", encoding="utf-8")
    report = lint_paths([str(path)])
    assert [(e.line, e.column) for e in report.errors] == [(9, 1)]
    assert [f.rule_id for f in report.findings] == ["RL302"]


def test_the_role_limit_from_an_exported_role(tmp_path: Path) -> None:
    """A profile asks for two hours of a role whose MaxSessionDuration (exported with
    ``aws iam get-role``) is one hour."""
    config = tmp_path / "config"
    config.write_text(
        "[profile admin]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"
        "[profile deploy]\nrole_arn = arn:aws:iam::444455556666:role/deploy\n"
        "source_profile = admin\nduration_seconds = 7200\n",
        encoding="utf-8",
    )
    exported = tmp_path / "deploy.json"
    exported.write_text(
        json.dumps(
            {
                "Role": {
                    "RoleName": "deploy",
                    "Arn": "arn:aws:iam::444455556666:role/deploy",
                    "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::444455556666:user/admin"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                }
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    report = lint_paths([str(config), str(exported)])
    assert report.errors == []
    rl303_findings = [f for f in report.findings if f.rule_id == "RL303"]
    assert [(f.file, f.location.line) for f in rl303_findings] == [(str(config), 8)], describe(
        report.findings
    )
    assert "MaxSessionDuration" in rl303_findings[0].message


def test_terraform_provider_and_role_in_one_module(tmp_path: Path) -> None:
    code = """\
data "aws_caller_identity" "current" {}

provider "aws" {
  assume_role {
    role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/deployer"
    duration = "3h"
  }
}

resource "aws_iam_role" "deployer" {
  name                 = "deployer"
  max_session_duration = 7200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""
    (tmp_path / "main.tf").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL303", line_of(code, 'duration = "3h"'), "aws_iam_role.deployer")
    ], describe(report.findings)


def test_dynamic_hops_over_known_roles_are_each_a_hop(tmp_path: Path) -> None:
    """A dynamic block whose roles are known gave no request at all: the 12-hour session the
    second hop asks for, refused by AWS for a chained session, went unseen."""
    code = """\
variable "roles" {
  default = ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]
}
provider "aws" {
  dynamic "assume_role" {
    for_each = var.roles
    content {
      role_arn = assume_role.value
      duration = "12h"
    }
  }
}
"""
    first, second = provider_requests(tmp_path, code)
    assert (first.role_arn.text, first.seconds, first.chained) == (
        "arn:aws:iam::1:role/a",
        43200,
        None,
    )
    assert (second.role_arn.text, second.seconds, second.chained) == (
        "arn:aws:iam::1:role/b",
        43200,
        True,
    )
    assert second.duration is not None and second.duration.ref.line == 9


def test_an_account_export_role_has_no_known_limit(tmp_path: Path) -> None:
    """``get-account-authorization-details`` writes no MaxSessionDuration for a role (its
    RoleDetail has none): the role may allow 12 hours, so a profile asking for 8 is not refused
    on AWS's one-hour default.  A get-role answer does carry it (see the test above)."""
    config = tmp_path / "config"
    config.write_text(
        "[profile ops]\nrole_arn = arn:aws:iam::111122223333:role/ops\n"
        "source_profile = default\nduration_seconds = 28800\n",
        encoding="utf-8",
    )
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
    role = {
        "Path": "/",
        "RoleName": "ops",
        "RoleId": "AROA1",
        "Arn": "arn:aws:iam::111122223333:role/ops",
        "AssumeRolePolicyDocument": trust,
        "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
    }
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps({"RoleDetailList": [role]}, indent=2), encoding="utf-8")
    report = lint_paths([str(config), str(exported)])
    assert report.errors == []
    assert [f for f in report.findings if f.rule_id == "RL303"] == [], describe(report.findings)


REPORTS_ROLE = """\
resource "aws_iam_role" "reports" {{
  name                 = "reports"
  max_session_duration = {limit}
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Allow", Action = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::111122223333:user/alice" }}
    }}]
  }})
}}
"""

REPORTS_PROVIDER = """\
provider "aws" {
  alias = "reports"
  assume_role {
    role_arn = aws_iam_role.reports.arn
    duration = "10h"
  }
}
"""


@pytest.mark.parametrize(("asking", "reported"), [("prod", False), ("dev", True)])
def test_a_provider_s_reference_is_checked_against_its_own_folder_s_role(
    tmp_path: Path, asking: str, reported: bool
) -> None:
    """dev and prod each declare ``aws_iam_role.reports`` (one ARN, one per account), with one
    and twelve hours; one of them has a provider asking for ten hours of its own role.  RL303
    measured prod's request against dev's role too (a finding on prod's provider, blamed on
    dev's role), which the reference ``aws_iam_role.reports.arn`` never names: only the
    request's own folder's role is its limit."""
    limits = {"dev": 3600, "prod": 43200}
    for folder, seconds in limits.items():
        (tmp_path / folder).mkdir()
        code = REPORTS_ROLE.format(limit=seconds) + (REPORTS_PROVIDER if folder == asking else "")
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    asked_at = line_of(REPORTS_ROLE + REPORTS_PROVIDER, 'duration = "10h"')
    expected = [(str(tmp_path / asking / "main.tf"), asked_at, limits[asking], {asking})]
    assert [
        (
            f.file,
            f.location.line,
            int(f.message.split("of role aws_iam_role.reports (")[1].split(" s)")[0]),
            {Path(holder.file).parent.name for holder in f.holders},
        )
        for f in report.findings
        if f.rule_id == "RL303"
    ] == (expected if reported else []), describe(report.findings)
