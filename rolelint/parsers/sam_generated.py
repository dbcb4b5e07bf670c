"""The roles SAM generates beside a function's or state machine's own execution role: one for
an event source that must assume a role to reach its target, and one for CodeDeploy's gradual
deployments.  rolelint does not model them (yet); this module says where a template makes SAM
generate each, so that the parser notes what the inventory leaves out instead of looking
complete.

What generates which role follows samtranslator: ``SchedulerEventSource`` (ScheduleV2, for a
function or a state machine, unless it names a ``RoleArn``), the state machine event sources
(``EventSource._construct_role``: Schedule unless it names a ``RoleArn``, as SAM lets it since
aws/serverless-application-model#3363; CloudWatchEvent, EventBridgeRule and Api always),
and ``DeploymentPreferenceCollection`` (one ``CodeDeployServiceRole`` for the template, unless
every enabled preference names its ``Role``).  A function's other event sources add a Lambda
permission, or policies to the function's own role, and generate no role.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.cfn_parameters import allowed_values
from rolelint.parsers.tree import PMap
from rolelint.source import Span

FUNCTION = "AWS::Serverless::Function"
STATE_MACHINE = "AWS::Serverless::StateMachine"

SCHEDULER = "scheduler.amazonaws.com"
EVENTS = "events.amazonaws.com"
API_GATEWAY = "apigateway.amazonaws.com"
CODEDEPLOY = "codedeploy.amazonaws.com"

# Event source type -> the service its generated role trusts, by the resource type it is on.
EVENT_ROLES: dict[str, dict[str, str]] = {
    FUNCTION: {"ScheduleV2": SCHEDULER},
    STATE_MACHINE: {
        "ScheduleV2": SCHEDULER,
        "Schedule": EVENTS,
        "CloudWatchEvent": EVENTS,
        "EventBridgeRule": EVENTS,
        "Api": API_GATEWAY,
    },
}
# The event sources that take a role of one's own instead (``RoleArn``), by the resource type
# they are on: a state machine's Schedule does, a function's Schedule generates no role at all.
ROLE_ARN_TAKERS: dict[str, frozenset[str]] = {
    FUNCTION: frozenset({"ScheduleV2"}),
    STATE_MACHINE: frozenset({"ScheduleV2", "Schedule"}),
}
PURPOSE = {FUNCTION: "to invoke the function", STATE_MACHINE: "to start the state machine"}
NOUN = {FUNCTION: "function", STATE_MACHINE: "state machine"}
CODEDEPLOY_ROLE = "CodeDeployServiceRole"  # SAM's one name for it, whatever the function


@dataclass(frozen=True)
class GeneratedRole:
    """A role SAM generates that the inventory does not hold, and where the template asks
    for it."""

    where: str  # "event Nightly of function F1"
    role_id: str  # the logical id SAM gives it
    service: str  # the service principal its trust policy names
    purpose: str  # what SAM gives it permission to do
    span: Span | None
    certain: bool = True  # False: only some deployments ask for it (a parameter decides)

    def notice(self) -> str:
        return (
            f"{self.where}: role {self.role_id}, which SAM generates {self.purpose} (trusting"
            f" {self.service}), is not analyzed"
        )


def event_roles(owner: str, kind: str, props: PMap) -> Iterator[GeneratedRole]:
    """The roles SAM generates for the ``Events`` of ``owner`` (a function or state machine
    of ``kind`` with properties ``props``), in the order they are written.  SAM names each
    ``<Owner><Event>Role``."""
    types = EVENT_ROLES.get(kind, {})
    events = props.get("Events")
    if not types or not isinstance(events, PMap):
        return
    for name, event in events.items():
        source = event.get("Type") if isinstance(event, PMap) else None
        if not isinstance(name, str) or not isinstance(source, str) or source not in types:
            continue
        settings = event.get("Properties")
        own = settings.get("RoleArn") if isinstance(settings, PMap) else None
        if source in ROLE_ARN_TAKERS.get(kind, frozenset()) and _given(own):
            continue  # the event assumes the role it names
        yield GeneratedRole(
            f"event {name} of {NOUN[kind]} {owner}",
            f"{owner}{name}Role",
            types[source],
            PURPOSE[kind],
            events.key_span_of(name),
        )


def deployment_role(
    owner: str, kind: str, props: PMap, parameters: Mapping[str, Any]
) -> GeneratedRole | None:
    """The role SAM generates for CodeDeploy when a function's ``DeploymentPreference``
    names none: it shifts traffic between the versions of an ``AutoPublishAlias``.  None for
    a preference that is disabled or names its ``Role``, or a function without the alias
    (SAM refuses that template).  An ``Enabled`` that is a template parameter (SAM resolves
    it with the deployment's value) disables it when its AllowedValues allow only false; a
    deployment may enable it otherwise, and the note says "when enabled"."""
    preference = props.get("DeploymentPreference")
    if kind != FUNCTION or not isinstance(preference, PMap):
        return None
    if not _given(props.get("AutoPublishAlias")) or _given(preference.get("Role")):
        return None
    enabled = _enabled(preference.get("Enabled"), parameters)
    if enabled is False:
        return None
    return GeneratedRole(
        f"DeploymentPreference of function {owner}{'' if enabled else ', when enabled'}",
        CODEDEPLOY_ROLE,
        CODEDEPLOY,
        "for the gradual deployments of the template's functions",
        props.key_span_of("DeploymentPreference"),
        certain=enabled is True,
    )


def _enabled(value: Any, parameters: Mapping[str, Any]) -> bool | None:
    """Whether a DeploymentPreference's ``Enabled`` enables it in every deployment (True), in
    none (False) or in some (None).  SAM reads false, "false" and "False" as disabled and
    anything else (absent too) as enabled, after putting a parameter's value in for a
    ``Ref`` to it (``resolve_parameter_refs``): what the parameter's AllowedValues allow
    decides, and without them a deployment may pass either."""
    if isinstance(value, Mapping):
        name = value.get("Ref") if len(value) == 1 else None
        parameter = parameters.get(name) if isinstance(name, str) else None
        listed = allowed_values(parameter) if isinstance(parameter, Mapping) else None
        if not listed:
            return None
        disabling = [_disables(text) for text in listed]
        return False if all(disabling) else True if not any(disabling) else None
    return value is None or not _disables(value)


def _disables(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


def names_own_role(kind: str, role: Any) -> bool:
    """Whether the ``Role`` of a function or state machine of ``kind`` names the role it runs
    with, so that SAM generates none: a function's when it is written at all (samtranslator
    generates one where the Role is None: absent or null), a state machine's when it is not
    empty either (``StateMachineGenerator``: ``if self.role``, so ``Role: ""`` gets the
    generated role, with the Policies)."""
    return _given(role) if kind == STATE_MACHINE else role is not None


def _given(value: Any) -> bool:
    """Whether a property names something: SAM takes an absent, null or empty one for none."""
    return value is not None and value != ""
