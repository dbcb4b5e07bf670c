"""The policies SAM adds to the role it generates for a function, for where the function sends
what it could not, or did, process: its ``DeadLetterQueue`` and its ``EventInvokeConfig``
destinations.

When SAM generates a function's role (the function names no ``Role``), it writes into it
(samtranslator ``SamFunction._construct_role``):

- for ``DeadLetterQueue`` (``Type`` SQS or SNS, ``TargetArn``), an inline policy
  ``DeadLetterQueuePolicy`` allowing ``sqs:SendMessage`` or ``sns:Publish`` on the target
  (``IAMRolePolicies.dead_letter_queue_policy``, with a Version);
- for each ``EventInvokeConfig.DestinationConfig`` ``OnSuccess`` and ``OnFailure`` of ``Type``
  SQS, SNS, EventBridge or Lambda, an inline policy ``<Function>EventInvokeConfig<OnX><Type>Policy``
  allowing ``sqs:SendMessage``, ``sns:publish``, ``events:PutEvents`` or
  ``lambda:InvokeFunction`` on the ``Destination`` (``_add_event_invoke_managed_policy``,
  without a Version).  An SQS or SNS destination without a ``Destination`` (or whose
  ``Destination`` an ``Fn::If`` makes ``AWS::NoValue`` in some deployments) is a queue or topic
  SAM creates, ``<Function>EventInvokeConfig<OnX>Queue`` or ``...Topic``, and the statement is
  on its ARN there (``_validate_and_inject_resource``).

SAM reads ``DeadLetterQueue`` as written, and ``EventInvokeConfig`` after putting the
deployment's parameter values in for a ``Ref`` to a parameter (``resolve_parameter_refs``): a
``Type`` that is such a ``Ref`` is chosen by each deployment, and what SAM adds for it is not
read (a note says so), nor is what it adds for ``Type: S3Bucket``, which the newest SAM accepts
and the SAM code rolelint follows does not.  What SAM refuses is a note too.  Nothing here knows
of rules.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from rolelint.parsers.cfn_intrinsics import NO_VALUE_NAME, intrinsic_target, is_intrinsic
from rolelint.parsers.sam_event_policies import (
    AddedPolicy,
    EventNote,
    Refused,
    policy_document,
    policy_statement,
)
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import Span

DEAD_LETTER_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}
DEAD_LETTER_POLICY = "DeadLetterQueuePolicy"
# EventInvokeConfig destination Type -> the action SAM allows on the destination.
DESTINATION_ACTIONS = {
    "SQS": "sqs:SendMessage",
    "SNS": "sns:publish",
    "EventBridge": "events:PutEvents",
    "Lambda": "lambda:InvokeFunction",
}
# The Types for which SAM creates the destination when none is named, and what it creates.
CREATED = {"SQS": "Queue", "SNS": "Topic"}
# A Type the newest SAM's schema accepts, whose policy the SAM code rolelint follows does not write.
NOT_READ_TYPES = frozenset({"S3Bucket"})
OUTCOMES = ("OnSuccess", "OnFailure")


class _NotRead(Exception):
    """What SAM adds for a destination depends on what rolelint does not know: why."""


def destination_policies(
    function: str, role: str, props: PMap, parameters: Collection[str]
) -> tuple[list[AddedPolicy], list[EventNote]]:
    """The policies SAM adds to ``role``, which it generates for ``function`` (of properties
    ``props``, Globals merged), for its ``DeadLetterQueue`` and ``EventInvokeConfig``; and a
    note for each of the two whose policies are not (all) read.  ``parameters``: the names of
    the template's parameters, whose values SAM puts in for a ``Ref`` in EventInvokeConfig."""
    added: list[AddedPolicy] = []
    notes: list[EventNote] = []
    span = props.key_span_of("DeadLetterQueue")
    try:
        dead_letter = _dead_letter_queue(props.get("DeadLetterQueue"), span)
    except Refused as refused:
        notes.append(EventNote(span, _refused(function, role, "DeadLetterQueue", refused)))
    else:
        added += dead_letter
    span = props.key_span_of("EventInvokeConfig")
    not_read: list[EventNote] = []  # said only of a template SAM does not refuse
    try:
        invoke = list(
            _event_invoke(function, role, props.get("EventInvokeConfig"), parameters, not_read)
        )
    except Refused as refused:
        notes.append(EventNote(span, _refused(function, role, "EventInvokeConfig", refused)))
    else:
        added += invoke
        notes += not_read
    return added, notes


def created_destinations(function: str, props: PMap) -> list[str]:
    """The logical ids of the queues and topics SAM creates for the EventInvokeConfig of
    ``function`` (a destination of Type SQS or SNS that names none, in some deployments at
    least), whatever role the function has: a policy may name them."""
    found: list[str] = []
    config = props.get("EventInvokeConfig")
    destinations = config.get("DestinationConfig") if isinstance(config, PMap) else None
    if not isinstance(destinations, PMap):
        return found
    for outcome in OUTCOMES:
        setting = destinations.get(outcome)
        kind = setting.get("Type") if isinstance(setting, PMap) else None
        if not isinstance(setting, PMap) or not isinstance(kind, str) or kind not in CREATED:
            continue
        destination = setting.get("Destination")
        if destination is None or _no_value_branch(destination) is not None:
            found.append(f"{function}EventInvokeConfig{outcome}{CREATED[kind]}")
    return found


def _refused(function: str, role: str, key: str, refused: Refused) -> str:
    return (
        f"{key} of function {function}: SAM requires that {refused}, and refuses the template;"
        f" what it would add to role {role} is not read"
    )


def _dead_letter_queue(queue: Any, span: Span | None) -> list[AddedPolicy]:
    """``DeadLetterQueuePolicy``, as SAM writes it for a DeadLetterQueue (``_validate_dlq``:
    a map with a Type, SQS or SNS, and a TargetArn; an empty one asks for nothing)."""
    if queue is None:
        return []
    if not isinstance(queue, PMap):
        raise Refused("DeadLetterQueue is a map")
    if not queue:
        return []
    kind = queue.get("Type")
    if not kind or not queue.get("TargetArn"):
        raise Refused("DeadLetterQueue has a Type and a TargetArn")
    if not isinstance(kind, str):
        raise Refused("the Type of DeadLetterQueue is text")
    if kind not in DEAD_LETTER_ACTIONS:
        raise Refused("the Type of DeadLetterQueue is SQS or SNS")
    statement = policy_statement(
        queue.key_span_of("Type"), DEAD_LETTER_ACTIONS[kind], queue, "TargetArn"
    )
    document = policy_document(span, [statement], version=True)
    return [
        AddedPolicy(
            "DeadLetterQueue", span, name=DEAD_LETTER_POLICY, document=document, designed=False
        )
    ]


def _event_invoke(
    function: str, role: str, config: Any, parameters: Collection[str], notes: list[EventNote]
) -> Iterator[AddedPolicy]:
    """The policy of each destination of an EventInvokeConfig, as SAM reads it
    (``_construct_event_invoke_config``); a destination whose policy is not read is a note
    in ``notes``.  A ``Ref`` to a parameter where SAM reads a map is its value, text or a
    list: refused."""
    if config is None:
        return
    if not isinstance(config, PMap) or _parameter(config, parameters):
        raise Refused("EventInvokeConfig is a map")
    destinations = config.get("DestinationConfig")
    if not destinations:
        return
    if not isinstance(destinations, PMap) or _parameter(destinations, parameters):
        raise Refused("EventInvokeConfig.DestinationConfig is a map")
    logical_id = f"{function}EventInvokeConfig"
    for outcome in OUTCOMES:
        setting = destinations.get(outcome)
        if setting is None:
            continue
        where = f"EventInvokeConfig.DestinationConfig.{outcome}"
        if not isinstance(setting, PMap) or _parameter(setting, parameters):
            raise Refused(f"{where} is a map")
        span = destinations.key_span_of(outcome)
        try:
            yield _destination(logical_id, outcome, where, setting, span, parameters)
        except _NotRead as why:
            notes.append(
                EventNote(
                    span,
                    f"{where} of function {function}: {why}; what SAM adds for it to role"
                    f" {role} is not read",
                )
            )


def _destination(
    logical_id: str,
    outcome: str,
    where: str,
    setting: PMap,
    span: Span | None,
    parameters: Collection[str],
) -> AddedPolicy:
    """The policy SAM writes for one destination (``_validate_and_inject_resource``)."""
    kind = setting.get("Type")
    name = _parameter(kind, parameters)
    if name is not None:
        raise _NotRead(
            f"its Type is parameter {name}, which each deployment chooses (SAM reads the value"
            " it is given)"
        )
    if isinstance(kind, str) and kind in NOT_READ_TYPES:
        raise _NotRead(f"SAM versions that accept Type {kind} add a policy for it")
    if not isinstance(kind, str) or kind not in DESTINATION_ACTIONS:
        raise Refused(f"the Type of {where} is SQS, SNS, EventBridge or Lambda")
    at = setting.key_span_of("Type")
    destination = setting.get("Destination")
    branch = _no_value_branch(destination) if destination is not None else None
    if destination is None or branch is not None:
        if kind not in CREATED:
            raise Refused(f"{where} of Type {kind} names its Destination")
        created = _get_att(f"{logical_id}{outcome}{CREATED[kind]}", span)
        resource: Any = created
        if branch is not None and isinstance(destination, PMap):
            resource = _replaced(destination, branch, created)
        statement = policy_statement(at, DESTINATION_ACTIONS[kind], resource)
    else:
        statement = policy_statement(at, DESTINATION_ACTIONS[kind], setting, "Destination")
    policy = f"{logical_id}{outcome}{kind}Policy"
    document = policy_document(span, [statement])
    return AddedPolicy(where, span, name=policy, document=document, designed=False)


def _parameter(node: Any, parameters: Collection[str]) -> str | None:
    """The template parameter a ``Ref`` names, whose value SAM puts in before it reads
    EventInvokeConfig; None for anything else."""
    target = intrinsic_target(node)
    return target if target is not None and "Ref" in node and target in parameters else None


def _no_value_branch(node: Any) -> int | None:
    """Which branch (1 or 2) of an ``Fn::If`` is ``AWS::NoValue`` while the other is not: SAM
    creates the queue or topic where it is (``_get_or_make_condition``); None for anything
    else."""
    arguments = node.get("Fn::If") if is_intrinsic(node) else None
    if not isinstance(arguments, PSeq) or len(arguments) != 3:
        return None
    empty = [intrinsic_target(arguments[i]) == NO_VALUE_NAME for i in (1, 2)]
    if empty[0] == empty[1]:
        return None
    return 1 if empty[0] else 2


def _replaced(node: PMap, branch: int, created: PMap) -> PMap:
    """The ``Fn::If`` with its ``AWS::NoValue`` branch made the ARN of what SAM creates, as
    SAM writes it."""
    arguments = node["Fn::If"]
    written = PSeq(arguments.span)
    for index, item in enumerate(arguments):
        written.add(created if index == branch else item, arguments.span_at(index))
    copy = PMap(node.span)
    copy.set("Fn::If", written, node.key_span_of("Fn::If"), node.span_of("Fn::If"))
    return copy


def _get_att(logical_id: str, span: Span | None) -> PMap:
    arguments = PSeq(span)
    arguments.add(logical_id, span)
    arguments.add("Arn", span)
    node = PMap(span)
    node.set("Fn::GetAtt", arguments, span, span)
    return node
