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
in another file) is unknown.  Source profiles are followed as botocore follows them: a loop
(``a`` takes its credentials from ``b``, ``b`` from ``a``) is refused before any AssumeRole
call, so its profiles, and those whose source_profile leads into it, never get credentials: a
notice names the loop, and their requests are not known to be chained.  A profile that signs in
with a web identity token sends no ``duration_seconds`` (botocore's web identity provider never
reads it): its request carries no duration, and a notice says the setting does nothing.
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
    """What a config file gave: its session requests, the lines the AWS CLI would refuse, and
    the source_profile loops whose profiles it refuses (the rest of the file is used)."""

    inventory: Inventory = field(default_factory=Inventory)
    errors: list[InputError] = field(default_factory=list)
    notices: list[InputError] = field(default_factory=list)


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
    """The session requests of a config file, as input errors what makes the CLI refuse it, and
    as notices the source_profile loops whose profiles it refuses."""
    sections, problems = _scan(text)
    result = AwsConfigRead(
        errors=[InputError(path, message, line, column) for message, line, column in problems]
    )
    profiles: dict[str, _Section] = {}
    for section in sections:
        name = _profile_name(section.header)
        if name is not None:
            profiles[name] = section  # botocore: a later section of the same profile wins
    loops: dict[tuple[str, ...], None] = {}  # in the order first met
    ignored: list[InputError] = []
    for name, profile in profiles.items():
        if ROLE_ARN not in profile.settings:
            continue
        loop = _source_loop(name, profiles)
        if loop is not None:
            loops.setdefault(loop)
        result.inventory.session_requests.append(_request(path, name, profile, profiles, loop))
        ignored += _unsent_duration(path, name, profile)
    result.notices = [_loop_notice(path, loop, profiles) for loop in loops] + ignored
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
    path: str,
    name: str,
    profile: _Section,
    profiles: dict[str, _Section],
    loop: tuple[str, ...] | None,
) -> SessionRequest:
    role = profile.settings[ROLE_ARN]
    role_arn = Value(role.value, role.ref(path))
    written = None if _signs_in_with_web_identity(profile) else profile.settings.get(DURATION)
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
    chained, via = (
        (
            None,
            f"its credentials come from a source_profile loop ({_cycle(loop)}), which gives none",
        )
        if loop is not None
        else _credentials(name, profile, profiles)
    )
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


def _signs_in_with_web_identity(profile: _Section) -> bool:
    """Whether the AWS CLI gets the profile's credentials with AssumeRoleWithWebIdentity.

    botocore then uses AssumeRoleWithWebIdentityProvider, which reads web_identity_token_file,
    role_arn and role_session_name only and sends no DurationSeconds (AssumeRoleProvider, the
    one that reads duration_seconds, skips a profile with a web identity token file): the
    session gets STS's default hour, whatever duration_seconds says."""
    return WEB_IDENTITY_TOKEN_FILE in profile.settings


def _unsent_duration(path: str, name: str, profile: _Section) -> list[InputError]:
    """The notice of a duration_seconds the AWS CLI never sends (see
    :func:`_signs_in_with_web_identity`), at the setting; none when there is none."""
    written = profile.settings.get(DURATION)
    if written is None or not _signs_in_with_web_identity(profile):
        return []
    return [
        InputError(
            path,
            f"profile {name} signs in with a web identity token: the AWS CLI does not send its "
            f"duration_seconds ({written.value}) with AssumeRoleWithWebIdentity, so the session "
            "lasts STS's default hour whatever it says (it is not judged)",
            written.line,
            written.column,
        )
    ]


def _credentials(
    name: str, profile: _Section, profiles: dict[str, _Section]
) -> tuple[bool | None, str]:
    """Whether the profile's AssumeRole call is role chaining, and where its credentials come
    from, in words."""
    settings = profile.settings
    if _signs_in_with_web_identity(profile):
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


# --- source_profile loops ---------------------------------------------------------------------


def _source_loop(name: str, profiles: dict[str, _Section]) -> tuple[str, ...] | None:
    """The loop of source profiles that role profile ``name``'s credentials run into, each
    member naming the next as its source_profile, starting at the one written first; None when
    the chain ends (in access keys, another kind of credentials, a profile of another file).

    botocore assumes a profile's role with the credentials of its source_profile; a source
    profile with access keys gives them, one with a role_arn (and no web identity token) is
    assumed in turn from its own source, and one already on the way is an infinite loop it
    refuses, unless a profile names itself and holds keys (the only way it allows)."""
    visited = [name]
    current = name
    while True:
        settings = profiles[current].settings
        source = settings.get(SOURCE_PROFILE)
        if source is None or CREDENTIAL_SOURCE in settings:
            return None  # another source, or refused for another reason
        if ROLE_ARN not in settings or WEB_IDENTITY_TOKEN_FILE in settings:
            return None  # not assumed from a source profile
        if current != name and ACCESS_KEY in settings:
            return None  # a source profile's keys come first
        following = source.value
        if following == current and ACCESS_KEY in settings:
            return None  # its own keys
        if following in visited:
            loop = visited[visited.index(following) :]
            first = min(range(len(loop)), key=lambda index: profiles[loop[index]].line)
            return tuple(loop[first:] + loop[:first])
        if following not in profiles:
            return None
        visited.append(following)
        current = following


def _cycle(loop: tuple[str, ...]) -> str:
    return " -> ".join((*loop, loop[0]))


def _loop_notice(path: str, loop: tuple[str, ...], profiles: dict[str, _Section]) -> InputError:
    """The notice of a loop, at the source_profile of its first profile."""
    if len(loop) == 1:
        said = f"profile {loop[0]} names itself as source_profile without access keys"
        them, they = "it", "it never gets"
    else:
        names = f"{', '.join(loop[:-1])} and {loop[-1]}"
        other = "each other" if len(loop) == 2 else "one another"
        said = f"profiles {names} name {other} as source_profile in a loop"
        them, they = "them", "they never get"
    setting = profiles[loop[0]].settings[SOURCE_PROFILE]
    return InputError(
        path,
        f"{said} ({_cycle(loop)}): the AWS CLI refuses {them} with an infinite-loop error "
        f"before any AssumeRole call, so {they} credentials, nor does a profile whose "
        "source_profile leads into the loop (their durations are not judged)",
        setting.line,
        setting.column,
    )
