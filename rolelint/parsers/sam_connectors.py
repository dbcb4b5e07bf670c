"""The managed policies SAM generates for its connectors, and the role each is attached to.

A connector is an ``AWS::Serverless::Connector``, or an item of the ``Connectors`` a resource of
the template embeds, which SAM first makes a connector named ``<Resource><Connector>`` whose
Source is that resource.  For each of its destinations SAM writes what the connector profile of
the (Source type, Destination type) pair says (samtranslator ``connector_profiles/profiles.json``,
``SamConnector``): for the pairs of ``POLICY_HOLDER``, an ``AWS::IAM::ManagedPolicy``
``<Connector>Policy`` (``<Connector>PolicyDestination<i>`` for a list of destinations), attached
by ``Roles`` to the role of the Source, or of the Destination where the destination function is
the one that reads (a queue, a table's stream); for the others a resource policy (a queue's, a
topic's, a Lambda permission), which grants no role of the template anything.  rolelint does
not write the policy's statements: it is held as a managed policy whose text is not known, as a
SAM policy template is, and the parser notes it.

This module knows the profiles; which role a resource of the template runs with is the
parser's to say (``role_node`` gives the property that names it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.cfn_intrinsics import intrinsic_target, is_intrinsic
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import Span

CONNECTOR = "AWS::Serverless::Connector"

LAMBDA = "AWS::Lambda::Function"
STATE_MACHINE = "AWS::StepFunctions::StateMachine"
TABLE = "AWS::DynamoDB::Table"
QUEUE = "AWS::SQS::Queue"
TOPIC = "AWS::SNS::Topic"
BUCKET = "AWS::S3::Bucket"
EVENT_BUS = "AWS::Events::EventBus"
EVENT_RULE = "AWS::Events::Rule"
PLACE_INDEX = "AWS::Location::PlaceIndex"
DATA_SOURCE = "AWS::AppSync::DataSource"

# SAM's resources under the type its profiles name them by (samtranslator
# _SAM_TO_CFN_RESOURCE_TYPE): SAM has written each out before it reads its connectors.
CFN_TYPES = {
    "AWS::Serverless::Function": LAMBDA,
    "AWS::Serverless::StateMachine": STATE_MACHINE,
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::SimpleTable": TABLE,
}

SOURCE, DESTINATION = "Source", "Destination"
# (Source type, Destination type) -> whose role SAM attaches the managed policy to, for the
# pairs whose profile is AWS_IAM_ROLE_MANAGED_POLICY ("SourcePolicy" true: the Source's).
POLICY_HOLDER: dict[tuple[str, str], str] = {
    **{
        (LAMBDA, destination): SOURCE
        for destination in (
            LAMBDA,
            BUCKET,
            TABLE,
            QUEUE,
            TOPIC,
            STATE_MACHINE,
            EVENT_BUS,
            PLACE_INDEX,
        )
    },
    **{
        (STATE_MACHINE, destination): SOURCE
        for destination in (LAMBDA, TOPIC, QUEUE, BUCKET, TABLE, STATE_MACHINE, EVENT_BUS)
    },
    (EVENT_RULE, EVENT_BUS): SOURCE,
    (EVENT_RULE, STATE_MACHINE): SOURCE,
    (DATA_SOURCE, TABLE): SOURCE,
    (DATA_SOURCE, LAMBDA): SOURCE,
    (DATA_SOURCE, EVENT_BUS): SOURCE,
    # The function reads the table's stream or the queue: its role gets the policy.
    (TABLE, LAMBDA): DESTINATION,
    (QUEUE, LAMBDA): DESTINATION,
}

# The property naming the role a resource runs with, by its type as written (the profiles'
# ``Inputs.Role``; SAM's state machine writes its ``Role`` out as ``RoleArn``).  An event
# rule's is the ``RoleArn`` of its target that names the other end (see role_node).
ROLE_PROPERTIES = {
    "AWS::Serverless::Function": "Role",
    LAMBDA: "Role",
    "AWS::Serverless::StateMachine": "Role",
    STATE_MACHINE: "RoleArn",
    DATA_SOURCE: "ServiceRoleArn",
}
NOUNS = {LAMBDA: "function", STATE_MACHINE: "state machine"}


@dataclass(frozen=True)
class GeneratedPolicy:
    """A managed policy SAM generates for a connector, and the end whose role holds it."""

    policy_id: str  # the logical id SAM gives it
    holder: Mapping[str, Any]  # the Source or Destination whose role SAM attaches it to
    other: Mapping[str, Any]  # the other end (an event rule's role is that of its target naming it)
    end: str = SOURCE  # which end ``holder`` is: SOURCE or DESTINATION


@dataclass(frozen=True)
class Connector:
    """A connector of the template and the managed policies SAM generates for it."""

    logical_id: str  # as SAM names it: an embedded one is prefixed with its resource's id
    where: str  # "connector ToTable of function Fn", "connector FnToQueue"
    span: Span | None
    condition: Any  # its Condition, None without one
    policies: tuple[GeneratedPolicy, ...]

    def reason(self, policy: GeneratedPolicy) -> str:
        """Why the text of ``policy`` is not known, as the policy's unresolved ARN says it."""
        return f"SAM connector {self.logical_id} (managed policy {policy.policy_id})"

    def notice(self, roles: Sequence[str | None]) -> str:
        """The note of its policies, attached to ``roles`` (one each, None where the role is
        not one of the template)."""
        names = [policy.policy_id for policy in self.policies]
        noun, verb = ("managed policy", "is") if len(names) == 1 else ("managed policies", "are")
        holders = dict.fromkeys(
            f"role {role}" if role is not None else "a role not in this template" for role in roles
        )
        return (
            f"{self.where}: {noun} {_joined(names)}, which SAM generates for"
            f" {_joined(list(holders))}, {verb} not analyzed"
        )

    def refused(self, policy: GeneratedPolicy, why: str) -> str:
        """The note of a connector SAM refuses, since it cannot tell the role of ``policy``
        (:func:`untold_role`, ``why``): it generates nothing, for any role."""
        return (
            f"{self.where}: SAM refuses it, and the template does not deploy: {why}, and SAM"
            f" tells the role of managed policy {policy.policy_id} only by a Ref or Fn::GetAtt"
        )


def connectors(resources: PMap, types: dict[str, str]) -> Iterator[Connector]:
    """The template's connectors that generate a managed policy, in the order written: each
    resource's embedded ones after it, standalone ones where they stand.  ``types``: each
    resource's type, by logical id."""
    for logical_id, node in resources.items():
        if not isinstance(logical_id, str) or not isinstance(node, PMap):
            continue
        if types.get(logical_id) == CONNECTOR:
            props = node.get("Properties")
            if isinstance(props, PMap):
                found = _connector(
                    logical_id,
                    f"connector {logical_id}",
                    resources.key_span_of(logical_id),
                    node.get("Condition"),
                    props.get("Source"),
                    props.get("Destination"),
                    types,
                )
                if found is not None:
                    yield found
        embedded = node.get("Connectors")
        if isinstance(embedded, PMap):
            yield from _embedded(logical_id, embedded, types)


def _embedded(owner: str, embedded: PMap, types: dict[str, str]) -> Iterator[Connector]:
    kind = _cfn_type(types.get(owner))
    where = f"of {NOUNS[kind]} {owner}" if kind in NOUNS else f"of {owner}"
    source = {"Id": owner}  # SAM makes the resource the Source
    for name, node in embedded.items():
        if not isinstance(name, str) or not isinstance(node, PMap):
            continue
        props = node.get("Properties")
        if not isinstance(props, PMap):
            continue
        found = _connector(
            f"{owner}{name}",
            f"connector {name} {where}",
            embedded.key_span_of(name),
            node.get("Condition"),
            source,
            props.get("Destination"),
            types,
        )
        if found is not None:
            yield found


def _connector(
    logical_id: str,
    where: str,
    span: Span | None,
    condition: Any,
    source: Any,
    destination: Any,
    types: dict[str, str],
) -> Connector | None:
    """The connector, when a destination of it makes SAM generate a managed policy."""
    if not isinstance(source, Mapping):
        return None
    source_kind = _end_type(source, types)
    several = isinstance(destination, PSeq)
    destinations = list(destination) if isinstance(destination, PSeq) else [destination]
    policies: list[GeneratedPolicy] = []
    for index, end in enumerate(destinations):
        if not isinstance(end, PMap):
            continue
        kind = _end_type(end, types)
        holder = POLICY_HOLDER.get((source_kind, kind)) if source_kind and kind else None
        if holder is None:
            continue  # a resource policy, or a pair SAM refuses
        name = f"{logical_id}PolicyDestination{index}" if several else f"{logical_id}Policy"
        holding, other = (source, end) if holder == SOURCE else (end, source)
        policies.append(GeneratedPolicy(name, holding, other, end=holder))
    if not policies:
        return None
    return Connector(logical_id, where, span, condition, tuple(policies))


def _end_type(end: Mapping[str, Any], types: dict[str, str]) -> str | None:
    """The type a Source or Destination names: its ``Id``'s resource, else its ``Type``."""
    logical_id = end.get("Id")
    written = types.get(logical_id) if isinstance(logical_id, str) else end.get("Type")
    return _cfn_type(written) if isinstance(written, str) else None


def _cfn_type(kind: str | None) -> str | None:
    return CFN_TYPES.get(kind, kind) if kind is not None else None


def role_node(
    end: Mapping[str, Any], other: Mapping[str, Any], kind: str | None, properties: PMap | None
) -> Any:
    """What names the role of the Source or Destination ``end`` (``other`` the connector's other
    end, ``kind`` and ``properties`` the type and properties of the resource ``end``'s Id
    names, None for none): its
    ``RoleName`` written without an Id, else the property of its resource that names the
    role it runs with.  SAM reads only a Ref or Fn::GetAtt there (get_logical_id_from_intrinsic):
    the parser knows the role such a node names, when it is one of the template."""
    logical_id = end.get("Id")
    if not isinstance(logical_id, str):
        return end.get("RoleName")
    if properties is None or kind is None:
        return None
    if kind == EVENT_RULE:
        return _rule_target_role(properties, other)
    key = ROLE_PROPERTIES.get(kind)
    return properties.get(key) if key is not None else None


def untold_role(policy: GeneratedPolicy, kind: str | None, node: Any) -> str | None:
    """Why SAM cannot tell the role ``policy`` is for, given ``node``, what names the role of
    its holding end (:func:`role_node`; ``kind`` the type of the end's resource): SAM reads a
    logical id only from a ``Ref`` or ``Fn::GetAtt`` there (samtranslator
    get_logical_id_from_intrinsic), and takes an end without an Id by its RoleName as written.
    Without one it refuses the connector ("Unable to get IAM role name"), so the template is
    never deployed: an ``Fn::If`` choosing between two roles of the template, a role ARN, an
    ``Fn::ImportValue``, an end with neither Id nor RoleName.  None when SAM can tell it (a
    Ref to a parameter too: a role not in the template).  The parser has already taken the
    role SAM generates for an end that names none."""
    logical_id = policy.holder.get("Id")
    if not isinstance(logical_id, str):
        given = node is not None and node != ""
        return None if given else f"its {policy.end} has neither an Id nor a RoleName"
    if intrinsic_target(node) is not None:
        return None
    if kind == EVENT_RULE:
        where = f"the RoleArn of the target of event rule {logical_id} that names its other end"
    else:
        noun = NOUNS.get(_cfn_type(kind) or "", kind)
        where = f"the {ROLE_PROPERTIES.get(kind or '', 'role')} of {noun} {logical_id}"
    if node is None:
        return f"{where} is not written"
    if is_intrinsic(node):
        name = next(iter(node))
        if name == "Fn::If":
            return f"{where} is chosen by a condition (Fn::If)"
        return f"{where} is an {name}"
    return f"{where} is {node}" if isinstance(node, str) else f"{where} is no Ref or Fn::GetAtt"


def _rule_target_role(properties: PMap, other: Mapping[str, Any]) -> Any:
    """The ``RoleArn`` of an event rule's target whose ``Arn`` names the connector's other end
    (samtranslator _get_events_rule_role: by its logical id, or the same Arn written)."""
    targets = properties.get("Targets")
    if not isinstance(targets, PSeq):
        return None
    for target in targets:
        if not isinstance(target, PMap):
            continue
        arn = target.get("Arn")
        named = intrinsic_target(arn)
        if (named is not None and named == other.get("Id")) or (
            "Arn" in other and arn == other.get("Arn")
        ):
            return target.get("RoleArn")
    return None


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
