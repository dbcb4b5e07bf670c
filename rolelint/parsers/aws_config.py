"""AWS CLI/SDK config files (``~/.aws/config`` style): role profiles and the session duration
each one requests, read when such a file is passed explicitly.

The file is read the way the AWS CLI (botocore, Python's ``RawConfigParser``) reads it: ``#`` and
``;`` start a comment only at the beginning of a line (after a value they are part of it), ``=``
or ``:`` separates a key from its value, keys are case-insensitive, a line indented deeper than
the setting above it continues that setting (nested ``s3 =`` blocks), and a duplicate section or
key, or a line that is neither, makes the CLI refuse the whole file.

Every profile with a ``role_arn`` becomes a :class:`SessionRequest`.  Whether its AssumeRole call
is role chaining (one hour at most) follows from where its credentials come from: a
``source_profile`` that is itself a role session (it has a ``role_arn``, or signs in through IAM
Identity Center), or ``credential_source`` ``Ec2InstanceMetadata``/``EcsContainer`` (the
instance's or task's role), is chaining; a source profile with an IAM user's access keys, or a web
identity token, is not; anything else (``Environment``, ``credential_process``, a profile defined
in another file) is unknown.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from rolelint.findings import InputError
from rolelint.model import Inventory, SessionRequest, Value
from rolelint.parsers import NOT_YET_SUPPORTED_SUFFIXES, SUPPORTED_SUFFIXES
from rolelint.source import UNIVERSAL_BREAKS, SourceRef, Span, split_lines

DEFAULT_PROFILE = "default"

ROLE_ARN = "role_arn"
DURATION = "duration_seconds"
SOURCE_PROFILE = "source_profile"
CREDENTIAL_SOURCE = "credential_source"
WEB_IDENTITY_TOKEN_FILE = "web_identity_token_file"
ACCESS_KEY = "aws_access_key_id"
SESSION_TOKEN = "aws_session_token"
CREDENTIAL_PROCESS = "credential_process"
SSO_SETTINGS = ("sso_session", "sso_start_url", "sso_account_id", "sso_role_name")
# credential_source values whose credentials are a role session (the instance's or task's role).
ROLE_CREDENTIAL_SOURCES = {
    "Ec2InstanceMetadata": "the EC2 instance profile's role",
    "EcsContainer": "the ECS task role",
}

_SECTION = re.compile(r"\[(?P<header>.+)\]")
_OPTION = re.compile(r"(?P<key>.*?)\s*[=:]\s*(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class _Setting:
    value: str
    line: int
    column: int

    def ref(self, file: str) -> SourceRef:
        return SourceRef(
            file, Span(self.line, self.column, self.line, self.column + len(self.value))
        )


@dataclass(slots=True)
class _Section:
    header: str
    line: int
    settings: dict[str, _Setting] = field(default_factory=dict)


@dataclass(slots=True)
class AwsConfigRead:
    """What a config file gave: its session requests, and the lines the AWS CLI would refuse."""

    inventory: Inventory = field(default_factory=Inventory)
    errors: list[InputError] = field(default_factory=list)


def looks_like_aws_config(path: str, text: str) -> bool:
    """Whether ``text`` is an AWS config file that assumes roles.

    Only files without a suffix rolelint reads otherwise qualify (a folder scan never passes such
    files: a config file comes only when named).  The first line that is not blank or a comment
    must be a section header, and a profile (``[default]`` or ``[profile NAME]``) must set
    ``role_arn``: an INI file of another tool, a credentials file (its sections are bare names)
    or a config file without roles is not read.  Sections the AWS CLI does not know
    (``[Profile old]``) are ignored, as the CLI ignores them: one such section used to make the
    whole file pass for something else, unread.
    """
    if path.lower().endswith(SUPPORTED_SUFFIXES + NOT_YET_SUPPORTED_SUFFIXES):
        return False
    sections, _ = _scan(text)
    if not sections:
        return False
    return any(
        _profile_name(section.header) is not None and ROLE_ARN in section.settings
        for section in sections
    )


def parse_aws_config(path: str, text: str) -> Inventory:
    """The session requests of a config file (lines the AWS CLI refuses are left out)."""
    return read_aws_config(path, text).inventory


def read_aws_config(path: str, text: str) -> AwsConfigRead:
    """The session requests of a config file and, as input errors, what makes the CLI refuse it."""
    sections, problems = _scan(text)
    result = AwsConfigRead(
        errors=[InputError(path, message, line, column) for message, line, column in problems]
    )
    profiles: dict[str, _Section] = {}
    for section in sections:
        name = _profile_name(section.header)
        if name is not None:
            profiles[name] = section  # botocore: a later section of the same profile wins
    for name, profile in profiles.items():
        request = _request(path, name, profile, profiles)
        if request is not None:
            result.inventory.session_requests.append(request)
    return result


# --- reading ----------------------------------------------------------------------------------


def _scan(text: str) -> tuple[list[_Section], list[tuple[str, int, int]]]:
    """Sections with their settings, and (message, line, column) for every refused line.

    Lines end where botocore's reader (a file opened in text mode) ends them: at "\n", "\r\n"
    or "\r", and nowhere else (a form feed or U+2028 is part of its line)."""
    sections: list[_Section] = []
    problems: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    current: _Section | None = None
    key: str | None = None  # the setting that indented lines continue
    key_indent = 0
    for number, raw in enumerate(split_lines(text, UNIVERSAL_BREAKS), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        indent = len(raw) - len(raw.lstrip())
        if current is not None and key is not None and indent > key_indent:
            continue  # a continuation line: part of the value above (a nested setting)
        header = _SECTION.match(stripped)
        if header is not None:
            name = header.group("header")
            current, key = _Section(name, number), None
            if name in seen:
                problems.append(
                    (f"section [{name}] is written twice: {_REFUSED}", number, indent + 1)
                )
            seen.add(name)
            sections.append(current)
            continue
        if current is None:
            return [], []  # a setting before any section header: not a config file at all
        option = _OPTION.match(stripped)
        if option is None or not option.group("key"):
            problems.append((f"not a 'key = value' setting: {_REFUSED}", number, indent + 1))
            key = None
            continue
        key, key_indent = option.group("key").lower(), indent
        value = option.group("value")
        column = indent + 1 + option.start("value") if value else len(raw.rstrip()) + 1
        if key in current.settings:
            problems.append(
                (f"{key} is set twice in [{current.header}]: {_REFUSED}", number, indent + 1)
            )
            continue
        current.settings[key] = _Setting(value, number, column)
    return sections, problems


_REFUSED = "the AWS CLI refuses the whole file"


def _header_parts(header: str) -> list[str] | None:
    try:
        return shlex.split(header)
    except ValueError:
        return None


def _profile_name(header: str) -> str | None:
    """The profile a section defines (``[default]``, ``[profile NAME]``), as botocore names it."""
    if header == DEFAULT_PROFILE:
        return DEFAULT_PROFILE
    parts = _header_parts(header) if header.startswith("profile") else None
    if parts and len(parts) == 2 and parts[0] == "profile":
        return parts[1]
    return None


# --- session requests -------------------------------------------------------------------------


def _request(
    path: str, name: str, profile: _Section, profiles: dict[str, _Section]
) -> SessionRequest | None:
    role = profile.settings.get(ROLE_ARN)
    if role is None:
        return None
    role_arn = Value(role.value, role.ref(path))
    written = profile.settings.get(DURATION)
    duration = Value(written.value, written.ref(path)) if written is not None else None
    seconds: int | None = None
    invalid: str | None = None
    if written is not None:
        try:
            seconds = int(written.value)  # exactly what botocore does with it
        except ValueError:
            invalid = (
                f"'{written.value}' is not a whole number of seconds: the AWS CLI ignores it and "
                "asks for the default 3600 s (other SDKs may refuse the profile)"
            )
    chained, via = _credentials(name, profile, profiles)
    return SessionRequest(
        ref=duration.ref if duration is not None else role_arn.ref,
        role_arn=role_arn,
        duration=duration,
        seconds=seconds,
        requester=f"profile {name}",
        chained=chained,
        via=via,
        setting=DURATION,
        invalid=invalid,
    )


def _credentials(
    name: str, profile: _Section, profiles: dict[str, _Section]
) -> tuple[bool | None, str]:
    """Whether the profile's AssumeRole call is role chaining, and where its credentials come
    from, in words."""
    settings = profile.settings
    if WEB_IDENTITY_TOKEN_FILE in settings:
        return False, "it signs in with a web identity token (AssumeRoleWithWebIdentity)"
    credential_source = settings.get(CREDENTIAL_SOURCE)
    source = settings.get(SOURCE_PROFILE)
    if credential_source is not None and source is None:
        kind = ROLE_CREDENTIAL_SOURCES.get(credential_source.value)
        if kind is not None:
            return True, (
                f"its credentials come from {kind} (credential_source "
                f"{credential_source.value}), itself a role session"
            )
        return None, f"its credentials come from credential_source {credential_source.value}"
    if source is None or credential_source is not None:
        return None, "where its credentials come from is not known"
    source_name = source.value
    if source_name == name:
        if ACCESS_KEY in settings and SESSION_TOKEN not in settings:
            return False, "it signs in with its own access keys"
        return None, "it is its own source profile"
    origin = profiles.get(source_name)
    if origin is None:
        return None, f"its credentials come from profile {source_name}, not defined in this file"
    return _source_credentials(source_name, origin.settings)


def _source_credentials(source: str, settings: dict[str, _Setting]) -> tuple[bool | None, str]:
    """What the credentials of source profile ``source`` are (botocore's order: access keys
    first, then an assumed role, a web identity, IAM Identity Center, a process)."""
    where = f"its credentials come from profile {source}"
    if ACCESS_KEY in settings:
        if SESSION_TOKEN in settings:
            return None, f"{where}, temporary credentials of an unknown kind"
        if ROLE_ARN in settings:
            # botocore uses the keys, other SDKs may assume the role first: not known.
            return None, f"{where}, which has both access keys and a role_arn"
        return False, f"{where}, an IAM user's access keys"
    if ROLE_ARN in settings:
        return True, f"{where}, itself a role session (it assumes {settings[ROLE_ARN].value})"
    if any(key in settings for key in SSO_SETTINGS):
        return True, f"{where}, an IAM Identity Center role session"
    if CREDENTIAL_PROCESS in settings:
        return None, f"{where}, a credential_process of an unknown kind"
    return None, f"{where}, which holds no credentials in this file"
