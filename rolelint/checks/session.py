"""Session rules: role settings and session requests that AWS rejects.

* RL301: a role's MaxSessionDuration outside 3600..43200 seconds (the deployment fails).
* RL302: a role-chained AssumeRole (an AWS config profile whose source profile is itself a role
  session, a Terraform provider's second ``assume_role`` hop ...) that asks for more than one
  hour: AWS refuses it.  Requests whose credentials are not known to be a role session are not
  reported.
* RL303: a requested duration AWS or the tool refuses whatever the chain: not a valid duration,
  outside AssumeRole's 900..43200 seconds, or above the MaxSessionDuration of the scanned role
  whose ARN the request names exactly (a reference to a role, ``aws_iam_role.x.arn``, names
  the role of its own module instance only, as the assume-role graph reads it).
* RL305: a valid MaxSessionDuration above the longest the team allows (the configuration's
  ``max-session-duration``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rolelint.checks.base import Hit, check, holder_keys
from rolelint.graph.hops import refers_to
from rolelint.model import (
    ROLE_DEFAULT_SESSION_SECONDS,
    Inventory,
    Role,
    SessionRequest,
    Value,
)
from rolelint.numbers import integer_of

# MaxSessionDuration bounds in seconds (1 to 12 hours), as the IAM API enforces them.
MIN_SESSION_SECONDS = 3600
MAX_SESSION_SECONDS = 43200
# AssumeRole DurationSeconds bounds (15 minutes to 12 hours) and the role chaining cap.
MIN_REQUEST_SECONDS = 900
MAX_REQUEST_SECONDS = 43200
CHAINED_SESSION_SECONDS = 3600
DEFAULT_MAX_SESSION_SECONDS = ROLE_DEFAULT_SESSION_SECONDS  # a role without MaxSessionDuration


def _in_range(text: str) -> bool:
    seconds = integer_of(text)
    return seconds is not None and MIN_SESSION_SECONDS <= seconds <= MAX_SESSION_SECONDS


def longest_valid_session(values: Iterable[Value]) -> Value | None:
    """The longest of a role's MaxSessionDuration values (several when a condition picks one)
    that AWS accepts, the first written of equal ones; None when no value is known and valid.

    Every deployment gets one of the values, so the longest is a setting some deployment has,
    whatever the order of the branches; a value out of range is RL301's (that deployment
    fails), one rolelint cannot resolve says nothing."""
    valid = [value for value in values if value.text is not None and _in_range(value.text)]
    return max(valid, key=lambda value: integer_of(value.text or "") or 0, default=None)


def longest_valid_seconds(values: Iterable[Value]) -> int | None:
    """The seconds of :func:`longest_valid_session`, for those that only need the length."""
    longest = longest_valid_session(values)
    return integer_of(longest.text) if longest is not None and longest.text else None


@check("RL301")
def max_session_duration_out_of_range(inventory: Inventory) -> Iterator[Hit]:
    for role in inventory.roles:
        for value in role.max_session_duration:
            if value.text is None or _in_range(value.text):
                continue
            yield Hit(
                "RL301",
                f"MaxSessionDuration of role {role.id} is '{value.text}'{origin_note(value)}; AWS "
                f"accepts an integer from {MIN_SESSION_SECONDS} to {MAX_SESSION_SECONDS} seconds "
                "(1 to 12 hours), so the deployment fails",
                value.ref,
                role.id,
                f"MaxSessionDuration|{value.text}",
                role=role.id,
                holders=holder_keys((role,)),
            )


@check("RL305")
def max_session_duration_above_team_limit(inventory: Inventory) -> Iterator[Hit]:
    limit = inventory.settings.max_session_duration
    for role in inventory.roles:
        for value in role.max_session_duration:
            if value.text is None or not _in_range(value.text) or int(value.text) <= limit:
                continue  # unknown, RL301's (AWS rejects it), or within the limit
            yield Hit(
                "RL305",
                f"MaxSessionDuration of role {role.id} is {int(value.text)} seconds"
                f"{origin_note(value)}; your configuration allows at most {limit} "
                "(max-session-duration)",
                value.ref,
                role.id,
                f"MaxSessionDuration-limit|{int(value.text)}",
                role=role.id,
                holders=holder_keys((role,)),
            )


def origin_note(value: Value) -> str:
    """`` (the default of variable X)`` for a value whoever deploys may override, as every
    session message names it (RL304's too): the verdict holds only while nobody passes
    another."""
    return f" ({value.origin})" if value.origin else ""


# --- session requests ---------------------------------------------------------------------------


def _asks(request: SessionRequest) -> str:
    """How a message shows the request: "duration_seconds 7200", "duration 2h (7200 s)"."""
    written = request.duration.display() if request.duration is not None else "?"
    notes = []
    if request.seconds is not None and written.strip() != str(request.seconds):
        notes.append(f"{request.seconds} s")
    if request.duration is not None and request.duration.origin:
        notes.append(request.duration.origin)  # as origin_note says it of a role's setting
    return f"{request.setting} {written}" + (f" ({'; '.join(notes)})" if notes else "")


def _key(request: SessionRequest) -> str:
    """The request's content for the fingerprint: the role and the duration, no position."""
    written = request.duration.text if request.duration is not None else None
    return f"{request.role_arn.text or ''}|{request.setting}|{written}"


def _chained_over_an_hour(request: SessionRequest) -> bool:
    return (
        request.chained is True
        and request.seconds is not None
        and request.seconds > CHAINED_SESSION_SECONDS
    )


def _role_named(request: SessionRequest) -> str:
    """The role a request assumes, as a message names it: a Terraform provider's
    ``role_arn = aws_iam_role.x.arn`` holds the stand-ins of a name or path not known, said in
    words (rolelint.model.stand_ins_in_words)."""
    return request.role_arn.said()


@check("RL302")
def chained_session_duration_over_one_hour(inventory: Inventory) -> Iterator[Hit]:
    for request in inventory.session_requests:
        if not _chained_over_an_hour(request):
            continue
        yield Hit(
            "RL302",
            f"{request.requester} assumes {_role_named(request)} with {_asks(request)}, "
            f"but {request.via}: a session obtained by role chaining lasts at most "
            f"{CHAINED_SESSION_SECONDS} s, so AWS refuses the request",
            request.ref,
            request.requester,
            _key(request),
        )


@check("RL303")
def session_duration_request_out_of_range(inventory: Inventory) -> Iterator[Hit]:
    roles: dict[str, list[Role]] = {}
    for role in inventory.roles:
        if role.arn.text is not None:
            roles.setdefault(role.arn.text, []).append(role)
    for request in inventory.session_requests:
        if request.duration is None:
            continue
        subject = f"{request.requester} assumes {_role_named(request)}"
        if request.invalid is not None:
            yield Hit(
                "RL303",
                f"{subject}, but its {request.setting} {request.invalid}",
                request.ref,
                request.requester,
                _key(request),
            )
            continue
        seconds = request.seconds
        if seconds is None:
            continue
        if not MIN_REQUEST_SECONDS <= seconds <= MAX_REQUEST_SECONDS:
            yield Hit(
                "RL303",
                f"{subject} with {_asks(request)}; AWS accepts a role session of "
                f"{MIN_REQUEST_SECONDS} to {MAX_REQUEST_SECONDS} seconds (15 minutes to 12 hours), "
                "so the request fails",
                request.ref,
                request.requester,
                _key(request),
            )
            continue
        if _chained_over_an_hour(request):
            continue  # RL302 says why it fails, whatever the role allows
        for role in roles.get(request.role_arn.text or "", ()):
            if not refers_to(request.role_arn, role):
                continue  # a role of the same ARN another folder or module instance declares
            allowed = _max_session(role)
            if allowed is None or seconds <= allowed:
                continue
            origin = "MaxSessionDuration" if role.max_session_duration else "default maximum"
            yield Hit(
                "RL303",
                f"{subject} with {_asks(request)}, longer than the {origin} of role {role.id} "
                f"({allowed} s{_limit_origin(role)}): AWS refuses a session longer than the role "
                "allows",
                request.ref,
                request.requester,
                _key(request),
                role=role.id,
                holders=holder_keys((role,)),
            )


def _max_session(role: Role) -> int | None:
    """The longest session a role allows: the longest of its MaxSessionDuration values AWS
    accepts (:func:`longest_valid_seconds`, as the graph and RL304 read it), the default when
    it sets none.  A value AWS rejects (``var.long ? 86400 : 7200``) is no session's limit: that
    deployment fails (RL301's), the others allow what their value says.  None when a value is
    unknown (it may be longer) or none is valid (no deployment has the role)."""
    if not role.max_session_duration:
        return DEFAULT_MAX_SESSION_SECONDS
    if any(value.text is None for value in role.max_session_duration):
        return None
    return longest_valid_seconds(role.max_session_duration)


def _limit_origin(role: Role) -> str:
    """``; the default of parameter X`` when the value :func:`_max_session` measures by comes
    from a default (:func:`origin_note`, in a parenthesis already open): another deployment's
    role may allow longer."""
    longest = longest_valid_session(role.max_session_duration)
    return f"; {longest.origin}" if longest is not None and longest.origin else ""
