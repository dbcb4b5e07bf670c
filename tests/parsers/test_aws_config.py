"""AWS config files (``~/.aws/config``): detection, positions, role chaining, refused lines."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rolelint.model import SessionRequest
from rolelint.parsers import parse_source
from rolelint.parsers.aws_config import looks_like_aws_config, parse_aws_config, read_aws_config

CONFIG = "/home/dev/.aws/config"

DEPLOY = """\
# Deployment profiles
[default]
region = eu-west-1

[profile hub]
role_arn = arn:aws:iam::111122223333:role/hub
credential_source = Ec2InstanceMetadata

[profile deploy]
role_arn  =  arn:aws:iam::444455556666:role/deploy
source_profile = hub
duration_seconds = 7200
"""


def requests(text: str) -> dict[str, SessionRequest]:
    read = read_aws_config(CONFIG, text)
    assert read.errors == []
    return {request.requester: request for request in read.inventory.session_requests}


def chain(source: str, *, extra: str = "") -> SessionRequest:
    """The request of profile ``deploy`` whose source profile has the settings ``source``."""
    text = (
        f"[profile base]\n{source}\n\n[profile deploy]\n"
        f"role_arn = arn:aws:iam::444455556666:role/deploy\nsource_profile = base\n"
        f"duration_seconds = 7200\n{extra}"
    )
    return requests(text)["profile deploy"]


# --- detection ------------------------------------------------------------------------------------


def test_a_config_file_with_role_profiles_is_detected_whatever_its_name() -> None:
    assert looks_like_aws_config(CONFIG, DEPLOY)
    assert looks_like_aws_config("prod.conf", DEPLOY)
    assert looks_like_aws_config("<stdin>", DEPLOY)


@pytest.mark.parametrize("name", ["config.yaml", "x.yml", "p.json", "main.tf", "t.template"])
def test_files_of_other_formats_are_never_captured(name: str) -> None:
    assert not looks_like_aws_config(name, DEPLOY)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        '{"Version": "2012-10-17", "Statement": []}\n',
        "- [default]\n- role_arn = x\n",
        # a config file without roles: nothing to check
        "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-1\n",
        # the credentials file names profiles without the "profile" prefix
        "[default]\naws_access_key_id = AKIA\n\n[dev]\nrole_arn = arn:aws:iam::1:role/x\n",
        # another tool's INI file
        "[core]\nrole_arn = x\n",
        "[profile]\nrole_arn = x\n",
        # a setting before any section header
        "role_arn = x\n[default]\nrole_arn = y\n",
        # role_arn only in a section that is not a profile
        "[sso-session corp]\nrole_arn = x\n",
    ],
)
def test_other_text_is_not_an_aws_config(text: str) -> None:
    assert not looks_like_aws_config("config", text)


def test_every_section_kind_the_cli_knows_is_accepted() -> None:
    text = (
        "[default]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\n"
        "[profile 'my team']\nregion = x\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n"
        "[plugins]\ncli_legacy_plugin_path = /opt\n"
    )
    assert looks_like_aws_config("config", text)


def test_parse_source_reads_it_as_aws_config() -> None:
    outcome = parse_source(CONFIG, DEPLOY)
    assert outcome.format == "aws-config"
    assert [r.requester for r in outcome.inventory.session_requests] == [
        "profile hub",
        "profile deploy",
    ]


# --- what a profile requests ----------------------------------------------------------------------


def test_positions_of_the_role_and_the_duration() -> None:
    deploy = requests(DEPLOY)["profile deploy"]
    assert deploy.role_arn.text == "arn:aws:iam::444455556666:role/deploy"
    span = deploy.role_arn.ref.span
    assert span is not None
    assert (span.line, span.column, span.end_column) == (10, 14, 14 + 37)
    assert deploy.duration is not None
    assert deploy.duration.text == "7200"
    assert (deploy.duration.ref.line, deploy.duration.ref.column) == (12, 20)
    assert deploy.ref == deploy.duration.ref
    assert (deploy.seconds, deploy.setting, deploy.invalid) == (7200, "duration_seconds", None)


def test_a_profile_without_duration_requests_the_default_and_points_at_its_role() -> None:
    hub = requests(DEPLOY)["profile hub"]
    assert hub.duration is None and hub.seconds is None
    assert hub.ref == hub.role_arn.ref
    assert hub.ref.line == 6


def test_profiles_without_role_arn_request_nothing() -> None:
    assert "profile default" not in requests(DEPLOY)


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("7200", 7200), ("+7200", 7200), ("7_200", 7200), ("-5", -5), ("0900", 900)],
)
def test_durations_are_read_as_the_aws_cli_reads_them(written: str, seconds: int) -> None:
    text = DEPLOY.replace("duration_seconds = 7200", f"duration_seconds = {written}")
    deploy = requests(text)["profile deploy"]
    assert (deploy.seconds, deploy.invalid) == (seconds, None)


@pytest.mark.parametrize("written", ["12h", "7200 # two hours", "7200 ; two hours", "", "7.5e3"])
def test_a_duration_that_is_not_a_whole_number_is_invalid(written: str) -> None:
    text = DEPLOY.replace("duration_seconds = 7200", f"duration_seconds = {written}".rstrip())
    deploy = requests(text)["profile deploy"]
    assert deploy.seconds is None
    assert deploy.duration is not None and deploy.duration.text == written
    assert deploy.invalid is not None
    assert "AWS CLI ignores it" in deploy.invalid


def test_keys_are_case_insensitive_and_colon_separates_too() -> None:
    text = "[profile a]\nROLE_ARN: arn:aws:iam::1:role/a\nDuration_Seconds = 900\n"
    [request] = requests(text).values()
    assert (request.role_arn.text, request.seconds) == ("arn:aws:iam::1:role/a", 900)


def test_quoted_profile_names_and_profile_default() -> None:
    text = (
        '[profile "team a"]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\n'
        "[profile default]\nrole_arn = arn:aws:iam::1:role/d\ncredential_source = Environment\n"
    )
    assert set(requests(text)) == {"profile team a", "profile default"}


def test_nested_settings_are_not_profile_settings() -> None:
    text = (
        "[profile a]\nregion = eu-west-1\ns3 =\n  role_arn = arn:aws:iam::1:role/nested\n"
        "  duration_seconds = 99\n"
    )
    assert requests(text) == {}
    text += "role_arn = arn:aws:iam::1:role/a\n"
    [request] = requests(text).values()
    assert (request.role_arn.text, request.duration) == ("arn:aws:iam::1:role/a", None)


def test_indented_settings_at_one_level_are_settings() -> None:
    text = "[profile a]\n  role_arn = arn:aws:iam::1:role/a\n  duration_seconds = 1800\n"
    [request] = requests(text).values()
    assert request.seconds == 1800
    assert request.role_arn.ref.column == 14


def test_comments_are_whole_lines_only() -> None:
    text = "[profile a]\n# role_arn = arn:aws:iam::1:role/old\n  ; duration_seconds = 1\n" + (
        "role_arn = arn:aws:iam::1:role/a\n"
    )
    [request] = requests(text).values()
    assert request.role_arn.text == "arn:aws:iam::1:role/a"
    assert request.duration is None


# --- role chaining --------------------------------------------------------------------------------


def test_a_source_profile_that_assumes_a_role_makes_a_chain() -> None:
    deploy = requests(DEPLOY)["profile deploy"]
    assert deploy.chained is True
    assert "profile hub" in deploy.via and "arn:aws:iam::111122223333:role/hub" in deploy.via


@pytest.mark.parametrize(
    ("source", "chained", "words"),
    [
        ("role_arn = arn:aws:iam::1:role/hub\nsource_profile = keys", True, "role session"),
        ("role_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t", True, "role session"),
        ("sso_session = corp\nsso_account_id = 1\nsso_role_name = Admin", True, "Identity Center"),
        ("sso_start_url = https://x\nsso_account_id = 1\nsso_role_name = A", True, "Identity"),
        ("aws_access_key_id = AKIA\naws_secret_access_key = s", False, "access keys"),
        ("aws_access_key_id = AKIA\naws_session_token = t", None, "temporary"),
        ("aws_access_key_id = AKIA\nrole_arn = arn:aws:iam::1:role/x", None, "both"),
        ("credential_process = /bin/creds", None, "credential_process"),
        ("region = eu-west-1", None, "no credentials"),
    ],
)
def test_what_the_source_profile_holds_decides_the_chain(
    source: str, chained: bool | None, words: str
) -> None:
    deploy = chain(source)
    assert deploy.chained is chained
    assert words in deploy.via


@pytest.mark.parametrize(
    ("credential_source", "chained"),
    [("Ec2InstanceMetadata", True), ("EcsContainer", True), ("Environment", None)],
)
def test_credential_source(credential_source: str, chained: bool | None) -> None:
    text = (
        f"[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = {credential_source}\n"
        "duration_seconds = 7200\n"
    )
    [request] = requests(text).values()
    assert request.chained is chained
    assert credential_source in request.via


def test_a_web_identity_profile_is_a_first_hop() -> None:
    text = "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t\n"
    [request] = requests(text).values()
    assert request.chained is False


def test_a_web_identity_profile_requests_no_duration() -> None:
    """botocore's AssumeRoleWithWebIdentityProvider never reads duration_seconds: the request
    carries none (STS's default hour), and a notice says the setting is ignored."""
    text = (
        "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /t\n"
        "duration_seconds = 86400\n"
    )
    read = read_aws_config(CONFIG, text)
    [request] = read.inventory.session_requests
    assert (request.duration, request.seconds, request.invalid) == (None, None, None)
    span = request.ref.span
    assert span is not None and (span.line, span.column) == (2, 12)  # the role, as without one
    [notice] = read.notices
    assert (notice.file, notice.line, notice.column) == (CONFIG, 4, 20)


def test_a_source_profile_defined_elsewhere_is_unknown() -> None:
    text = "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = in-credentials\n"
    [request] = requests(text).values()
    assert request.chained is None
    assert "not defined in this file" in request.via


def test_a_profile_that_is_its_own_source_uses_its_keys() -> None:
    text = (
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n"
        "aws_access_key_id = AKIA\naws_secret_access_key = s\n"
    )
    [request] = requests(text).values()
    assert request.chained is False


@pytest.mark.parametrize(
    "settings",
    [
        "",  # neither source_profile nor credential_source: the CLI refuses the profile
        "source_profile = b\ncredential_source = Environment",  # both: refused as well
    ],
)
def test_profiles_the_cli_refuses_are_unknown(settings: str) -> None:
    text = f"[profile a]\nrole_arn = arn:aws:iam::1:role/a\n{settings}\n[profile b]\nrole_arn = x\n"
    assert requests(text)["profile a"].chained is None


LOOP = """\
[profile a]
role_arn = arn:aws:iam::1:role/a
source_profile = b
duration_seconds = 7200

[profile b]
role_arn = arn:aws:iam::1:role/b
source_profile = c

[profile c]
role_arn = arn:aws:iam::1:role/c
source_profile = b
"""


def test_a_source_profile_loop_gives_no_credentials_and_a_notice() -> None:
    """a -> b -> c -> b: the AWS CLI refuses every one of them (an infinite-loop error) before
    any AssumeRole call.  Looking one hop up, a and b were "role chaining", and a's 7200 s
    reported as RL302."""
    read = read_aws_config(CONFIG, LOOP)
    assert read.errors == []
    found = {request.requester: request for request in read.inventory.session_requests}
    assert {name: request.chained for name, request in found.items()} == {
        "profile a": None,
        "profile b": None,
        "profile c": None,
    }
    assert "source_profile loop (b -> c -> b)" in found["profile a"].via
    [notice] = read.notices
    assert (notice.file, notice.line, notice.column) == (CONFIG, 8, 18)  # b's source_profile
    assert notice.message.startswith(
        "profiles b and c name each other as source_profile in a loop (b -> c -> b)"
    )
    assert "never get credentials" in notice.message


@pytest.mark.parametrize(
    ("keys", "loop"),
    [
        ("", True),  # its own source without keys: the CLI refuses it, and deploy with it
        ("aws_access_key_id = AKIA\naws_secret_access_key = s\n", False),  # the keys end it
    ],
)
def test_a_source_that_names_itself_is_a_loop_without_keys(keys: str, loop: bool) -> None:
    text = (
        "[profile hub]\nrole_arn = arn:aws:iam::1:role/hub\nsource_profile = hub\n"
        f"{keys}\n[profile deploy]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = hub\n"
    )
    read = read_aws_config(CONFIG, text)
    found = {request.requester: request for request in read.inventory.session_requests}
    assert found["profile deploy"].chained is None
    assert ("loop" in found["profile deploy"].via) is loop
    assert [(n.line, n.message.split(":")[0]) for n in read.notices] == (
        [(3, "profile hub names itself as source_profile without access keys (hub -> hub)")]
        if loop
        else []
    )


# --- lines the AWS CLI refuses --------------------------------------------------------------------


def test_refused_lines_are_input_errors_with_their_position() -> None:
    text = DEPLOY + "this is not a setting\n[profile hub]\nregion = x\n"
    text += "[profile z]\nrole_arn = a\nrole_arn = b\n"
    read = read_aws_config(CONFIG, text)
    found = [(e.line, e.column, e.message.split(":")[0]) for e in read.errors]
    assert found == [
        (13, 1, "not a 'key = value' setting"),
        (14, 1, "section [profile hub] is written twice"),
        (18, 1, "role_arn is set twice in [profile z]"),
    ]
    assert all(e.file == CONFIG and "refuses the whole file" in e.message for e in read.errors)
    # what can be read is still read: the first value of a duplicate, the last section of a name
    requesters = {r.requester: r for r in read.inventory.session_requests}
    assert requesters["profile z"].role_arn.text == "a"
    assert "profile hub" not in requesters
    assert parse_aws_config(CONFIG, text).session_requests == read.inventory.session_requests


def test_garbage_never_raises() -> None:
    generator = random.Random(302)
    alphabet = "[]=:#; \t\n\"'abcprofile_role_arn0123456789\u00e9\u00b5\r"
    for _ in range(500):
        text = "[profile x]\nrole_arn = a\n" + "".join(
            generator.choice(alphabet) for _ in range(generator.randint(0, 200))
        )
        looks_like_aws_config("config", text)
        read_aws_config("config", text)


def test_a_real_file_with_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_bytes(DEPLOY.replace("\n", "\r\n").encode())
    text = path.read_bytes().decode()
    assert looks_like_aws_config(str(path), text)
    deploy = requests(text)["profile deploy"]
    assert deploy.duration is not None and deploy.duration.text == "7200"
    assert deploy.duration.ref.line == 12


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x0c", "\x1e"])
def test_lines_end_where_the_cli_ends_them(separator: str) -> None:
    """A file opened in text mode breaks lines at "\\n", "\\r\\n" and "\\r" alone: a form
    feed or U+2028 in a comment is part of it, and counting it moved every later line."""
    text = DEPLOY.replace("# Deployment profiles", f"# Deployment{separator}profiles")
    deploy = requests(text)["profile deploy"]
    assert deploy.duration is not None
    assert (deploy.duration.ref.line, deploy.duration.ref.column) == (12, 20)


def test_a_lone_carriage_return_ends_a_line() -> None:
    deploy = requests(DEPLOY.replace("\n", "\r"))["profile deploy"]
    assert deploy.duration is not None
    assert (deploy.duration.ref.line, deploy.duration.ref.column) == (12, 20)


def test_a_section_the_cli_does_not_know_leaves_the_rest_read() -> None:
    """botocore ignores ``[Profile legacy]`` (profiles are written in lower case); one such
    section made the whole file pass for something else, so its roles went unread."""
    text = (
        "[profile base]\nrole_arn = arn:aws:iam::111122223333:role/base\n"
        "credential_source = Ec2InstanceMetadata\n\n"
        "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\n"
        "source_profile = base\nduration_seconds = 43200\n\n"
        "[Profile legacy]\nregion = us-east-1\n"
    )
    assert looks_like_aws_config("config", text)
    requests = parse_aws_config("config", text).session_requests
    assert sorted((r.requester, r.seconds) for r in requests) == [
        ("profile admin", 43200),
        ("profile base", None),
    ]
