"""The policies SAM adds to the role it generates for a function, for the function's ``Events``.

An event source that Lambda polls (an event source mapping) needs the function's own role to
read from it: when SAM generates that role (the function names no ``Role``), it adds what the
source needs (samtranslator ``PullEventSource._link_policy``, with ``get_policy_arn`` and
``get_policy_statements`` of each source):

- an AWS managed policy for SQS, Kinesis, DynamoDB and MSK, and for an SNS event with an
  ``SqsSubscription``, which SAM reads through an SQS queue of its own (``SNS``
  ``_inject_sqs_event_source_mapping``);
- inline statements for MQ, SelfManagedKafka and DocumentDB (the secret that authenticates
  Lambda, the broker or cluster, the network interfaces of a VPC, the KMS key of the secret)
  and for MSK with a client certificate;
- an inline policy for an ``OnFailure`` destination of ``Type`` SQS, SNS or S3
  (``sqs:SendMessage`` or ``sns:publish`` on its ``Destination``; ``s3:PutObject`` on the
  bucket's objects and ``s3:ListBucket`` on the bucket, ``s3_send_event_payload_role_policy``,
  where SAM versions before S3 destinations refuse the Type).  Its resource is what the
  template names, not what SAM designed for a service (``AddedPolicy.designed``).

SAM reads these properties as written, before CloudFormation resolves anything: an intrinsic
function where SAM looks for a list, a map or a type is refused or passed over, as samtranslator
does, and only the values SAM copies into a statement (a secret's URI, a destination) are left
for the policy builder to resolve.  What SAM refuses, and an event type this module does not
know, is a note: the role may hold more than rolelint read.  Nothing here knows of rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.cfn_intrinsics import is_intrinsic
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import Span

# The AWS managed policy (path and name) SAM attaches for each event type that has one.
MANAGED_BY_EVENT = {
    "SQS": "service-role/AWSLambdaSQSQueueExecutionRole",
    "Kinesis": "service-role/AWSLambdaKinesisExecutionRole",
    "DynamoDB": "service-role/AWSLambdaDynamoDBExecutionRole",
    "MSK": "service-role/AWSLambdaMSKExecutionRole",
}
# Event sources Lambda polls (samtranslator's pull sources): they take a DestinationConfig.
PULL = frozenset({*MANAGED_BY_EVENT, "MQ", "SelfManagedKafka", "DocumentDB"})
# The function event types SAM defines besides: none of them adds to the function's role (they
# add a permission to invoke the function, or generate a role of their own: sam_generated).
OTHER_EVENTS = frozenset(
    {
        "S3",
        "SNS",
        "Api",
        "HttpApi",
        "Schedule",
        "ScheduleV2",
        "CloudWatchEvent",
        "EventBridgeRule",
        "CloudWatchLogs",
        "IoTRule",
        "AlexaSkill",
        "Cognito",
    }
)
VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
KMS_KEY = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/"
RDS = "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:"
KAFKA_AUTH = frozenset(
    {
        "SASL_SCRAM_256_AUTH",
        "SASL_SCRAM_512_AUTH",
        "BASIC_AUTH",
        "CLIENT_CERTIFICATE_TLS_AUTH",
        "SERVER_ROOT_CA_CERTIFICATE",
    }
)
POLICY_VERSION = "2012-10-17"


@dataclass(frozen=True)
class AddedPolicy:
    """A policy SAM adds to a function's generated role for what the function asks (one of its
    events, its dead-letter queue, a destination: see sam_destination_policies): an AWS
    managed one (``managed``, its path and name) or an inline one (``name``, ``document``:
    SAM's statements, each positioned at what asks for it)."""

    source: str  # what asks for it: "event Jobs", "DeadLetterQueue"
    span: Span | None  # where the template asks for it (the event's name, the property)
    managed: str | None = None
    name: str | None = None
    document: PMap | None = None
    # Whether SAM chooses what the statements act on, as a service's needs (the network
    # interfaces of a VPC on "*"), rather than the template (a destination it names).
    designed: bool = True

    @property
    def versioned(self) -> bool:
        """Whether SAM writes a Version in the document (SelfManagedKafka's only)."""
        return self.document is not None and "Version" in self.document


@dataclass(frozen=True)
class EventNote:
    """What rolelint tells of an event whose policies it does not read."""

    span: Span | None
    message: str


class Refused(Exception):
    """SAM refuses the event or property (samtranslator raises InvalidEventException or
    InvalidResourceException): what it requires."""


class _Unknown(Exception):
    """An event type rolelint does not know (a newer SAM's): the type."""


def event_policies(
    function: str, role: str, props: PMap, held: Sequence[PMap] = ()
) -> tuple[list[AddedPolicy], list[EventNote]]:
    """The policies SAM adds to ``role``, which it generates for ``function`` (of properties
    ``props``), for the function's ``Events``, in the order the events are written; and a
    note for each event whose policies are not read.  An inline document equal to one added
    before, or to one of ``held`` (what SAM wrote into the role before it reads the events:
    sam_destination_policies), is not added again, as SAM does not."""
    added: list[AddedPolicy] = []
    notes: list[EventNote] = []
    events = props.get("Events")
    if events is None or (isinstance(events, PMap) and not events):
        return added, notes
    if not isinstance(events, PMap):
        message = (
            f"SAM requires that the Events of function {function} are a map, and refuses the"
            f" template; what they would add to role {role} is not read"
        )
        notes.append(EventNote(props.key_span_of("Events"), message))
        return added, notes
    documents: list[PMap] = list(held)
    for name, event in events.items():
        span = events.key_span_of(name)
        where = f"event {name} of function {function}"
        try:
            policies = list(_of_event(function, str(name), span, event))
        except Refused as refused:
            notes.append(
                EventNote(
                    span,
                    f"{where}: SAM requires that {refused}, and refuses the template; what the"
                    f" event would add to role {role} is not read",
                )
            )
            continue
        except _Unknown as unknown:
            notes.append(
                EventNote(
                    span,
                    f"{where} has type {unknown}, which rolelint does not know: what SAM adds to"
                    f" role {role} for it, if anything, is not read",
                )
            )
            continue
        for policy in policies:
            if policy.document is not None:
                if policy.document in documents:
                    continue
                documents.append(policy.document)
            added.append(policy)
    return added, notes


def _of_event(function: str, name: str, span: Span | None, event: Any) -> Iterator[AddedPolicy]:
    if not isinstance(event, PMap):
        raise Refused("an event is a map with a Type")
    kind = event.get("Type")
    if not isinstance(kind, str):
        raise Refused("its Type is text")
    if kind not in PULL and kind not in OTHER_EVENTS:
        raise _Unknown(kind)
    properties = event.get("Properties")
    props = properties if isinstance(properties, PMap) else PMap(event.span_of("Properties"))
    logical_id = function + name  # the id SAM gives what the event generates
    source = f"event {name}"
    if kind in MANAGED_BY_EVENT:
        yield AddedPolicy(source, span, managed=MANAGED_BY_EVENT[kind])
    elif kind == "SNS" and _sqs_subscription(props):
        yield AddedPolicy(source, span, managed=MANAGED_BY_EVENT["SQS"])
    statements = _STATEMENTS.get(kind)
    if statements is not None:
        policy_name, document = statements(logical_id, props, span)
        if document is not None:
            yield AddedPolicy(source, span, name=policy_name, document=document)
    if kind in PULL:
        destination = _destination_policy(logical_id, props)
        if destination is not None:
            name, document = destination
            yield AddedPolicy(source, span, name=name, document=document, designed=False)


def _sqs_subscription(props: PMap) -> bool:
    """Whether an SNS event reads the topic through an SQS queue (``SqsSubscription`` true, or
    the queue it names): SAM then polls the queue with the function's role."""
    subscription = props.get("SqsSubscription")
    if isinstance(subscription, PMap) and subscription:
        if not subscription.get("QueueArn") or not subscription.get("QueueUrl"):
            raise Refused("an SqsSubscription names its QueueArn and QueueUrl")
        return True
    return subscription is True


def _destination_policy(logical_id: str, props: PMap) -> tuple[str, PMap] | None:
    """The statements SAM adds for a ``DestinationConfig`` whose ``OnFailure`` has a ``Type``:
    SQS, SNS or S3 (SAM refuses any other, an intrinsic function too)."""
    config = props.get("DestinationConfig")
    if not config:
        return None
    failure = config.get("OnFailure") if isinstance(config, PMap) else None
    if not isinstance(failure, PMap):
        raise Refused("DestinationConfig.OnFailure is a map")
    kind = failure.get("Type")
    if not kind:
        return None  # SAM attaches nothing without a Type
    if kind not in ("SQS", "SNS", "S3"):
        raise Refused("the Type of DestinationConfig.OnFailure is SQS, SNS or S3")
    span = failure.key_span_of("Type")
    if kind == "S3":
        statements = _bucket_statements(span, failure)
    else:
        action = "sqs:SendMessage" if kind == "SQS" else "sns:publish"  # text, as SAM writes it
        statements = [policy_statement(span, action, failure, "Destination")]
    return f"{logical_id}{kind}Policy", policy_document(span, statements)


def _bucket_statements(span: Span | None, failure: PMap) -> list[PMap]:
    """``s3:PutObject`` on the objects of the bucket ``Destination`` names (SAM joins its ARN
    and ``*`` with ``/``) and ``s3:ListBucket`` on the bucket."""
    put = policy_statement(span, "s3:PutObject", failure, "Destination")
    if "Resource" in put:
        parts = PSeq(put.span_of("Resource"))
        parts.add(put["Resource"], put.span_of("Resource"))
        parts.add("*", span)
        arguments = PSeq(span)
        arguments.add("/", span)
        arguments.add(parts, span)
        objects = PMap(put.span_of("Resource"))
        objects.set("Fn::Join", arguments, span, span)
        put.set("Resource", objects, put.key_span_of("Resource"), put.span_of("Resource"))
    return [put, policy_statement(span, "s3:ListBucket", failure, "Destination")]


def _msk(logical_id: str, props: PMap, span: Span | None) -> tuple[str, PMap | None]:
    """MSK with a client certificate: reading the certificate's secret.  SAM looks at every
    SourceAccessConfigurations item that is a map, and passes over anything else."""
    configurations = props.get("SourceAccessConfigurations")
    for item in configurations if isinstance(configurations, PSeq) else ():
        certificate = isinstance(item, PMap) and item.get("Type") == "CLIENT_CERTIFICATE_TLS_AUTH"
        if certificate and item.get("URI"):
            return "MSKExecutionRolePolicy", policy_document(span, [_secret(item)])
    return "MSKExecutionRolePolicy", None


def _mq(logical_id: str, props: PMap, span: Span | None) -> tuple[str, PMap | None]:
    """MQ: the secret of its BASIC_AUTH, the broker, and the secret's KMS key."""
    _required(props, "Broker")
    auth = _authentication(props, ("BASIC_AUTH", "VIRTUAL_HOST"), "BASIC_AUTH")
    statements = [
        _secret(auth),
        policy_statement(props.key_span_of("Broker"), ("mq:DescribeBroker",), props, "Broker"),
    ]
    statements += _kms(props, single=True)
    dynamic = props.get("DynamicPolicyName") is True
    policy_name = f"{logical_id}AMQPolicy" if dynamic else "SamAutoGeneratedAMQPolicy"
    return policy_name, policy_document(span, statements)


def _document_db(logical_id: str, props: PMap, span: Span | None) -> tuple[str, PMap | None]:
    """DocumentDB: the secret of its BASIC_AUTH, the cluster and its parameter and subnet
    groups, the VPC's network interfaces, and the secret's KMS key."""
    _required(props, "Cluster")
    _required(props, "DatabaseName")
    auth = _authentication(props, ("BASIC_AUTH",), "BASIC_AUTH")
    cluster = props.key_span_of("Cluster")
    statements = [
        _secret(auth),
        policy_statement(
            cluster,
            ("rds:DescribeDBClusterParameters",),
            _sub(RDS + "cluster-pg:*", cluster),
        ),
        policy_statement(
            cluster,
            ("rds:DescribeDBSubnetGroups",),
            _sub(RDS + "subgrp:*", cluster),
        ),
        policy_statement(cluster, ("rds:DescribeDBClusters",), props, "Cluster"),
        policy_statement(cluster, VPC_ACTIONS, "*"),
    ]
    statements += _kms(props)
    return "SamAutoGeneratedDocumentDBPolicy", policy_document(span, statements)


def _kafka(logical_id: str, props: PMap, span: Span | None) -> tuple[str, PMap | None]:
    """SelfManagedKafka: the secret of its one authentication, the VPC's network interfaces
    when it names subnets and security groups, and the secret's KMS key."""
    if not props.get("KafkaBootstrapServers"):
        raise Refused("a SelfManagedKafka event names its KafkaBootstrapServers")
    topics = props.get("Topics")
    if not topics or not isinstance(topics, PSeq) or len(topics) != 1:
        raise Refused("a SelfManagedKafka event names one topic in Topics")
    configurations = props.get("SourceAccessConfigurations")
    if not configurations or not isinstance(configurations, PSeq):
        raise Refused("a SelfManagedKafka event lists its SourceAccessConfigurations")
    auth: PMap | None = None
    network: set[str] = set()
    for item in configurations:
        if not isinstance(item, PMap):
            raise Refused("each SourceAccessConfigurations item is a map")
        kind = item.get("Type")
        if not isinstance(kind, str) or kind not in KAFKA_AUTH | {
            "VPC_SUBNET",
            "VPC_SECURITY_GROUP",
        }:
            raise Refused("each SourceAccessConfigurations Type is one it knows")
        uri = item.get("URI")
        if not uri or not (isinstance(uri, str) or is_intrinsic(uri)):
            raise Refused("each SourceAccessConfigurations item has a URI")
        if kind in KAFKA_AUTH:
            if auth is not None:
                raise Refused("SourceAccessConfigurations has at most one authentication")
            auth = item
        else:
            network.add(kind)
    if len(network) == 1:
        raise Refused(
            "SourceAccessConfigurations has both VPC_SUBNET and VPC_SECURITY_GROUP or neither"
        )
    statements = []
    if auth is not None:
        statements.append(_secret(auth))
    if network:
        where = props.key_span_of("SourceAccessConfigurations")
        statements.append(policy_statement(where, VPC_ACTIONS, "*"))
    statements += _kms(props)
    document = policy_document(span, statements, version=True) if statements else None
    return "SelfManagedKafkaExecutionRolePolicy", document


_STATEMENTS = {"MSK": _msk, "MQ": _mq, "DocumentDB": _document_db, "SelfManagedKafka": _kafka}


def _required(props: PMap, key: str) -> None:
    if props.get(key) is None:
        raise Refused(f"it has a {key}")


def _authentication(props: PMap, kinds: tuple[str, ...], required: str) -> PMap:
    """The SourceAccessConfigurations item of type ``required``, with its URI, as SAM
    requires it (``_validate_source_access_configurations``): a list of maps whose types are
    all ``kinds``, one of them ``required``."""
    configurations = props.get("SourceAccessConfigurations")
    if not configurations or not isinstance(configurations, PSeq):
        raise Refused("it lists its SourceAccessConfigurations")
    found: PMap | None = None
    for item in configurations:
        kind = item.get("Type") if isinstance(item, PMap) else None
        if not isinstance(kind, str) or kind not in kinds:
            raise Refused(f"each SourceAccessConfigurations Type is one of {', '.join(kinds)}")
        if kind == required:
            if found is not None:
                raise Refused(f"SourceAccessConfigurations has at most one {required}")
            if not item.get("URI"):
                raise Refused(f"its {required} has a URI")
            found = item
    if found is None:
        raise Refused(f"SourceAccessConfigurations has a {required}")
    return found


def _kms(props: PMap, single: bool = False) -> list[PMap]:
    """``kms:Decrypt`` on the key ``SecretsManagerKmsKeyId`` names, if it does (an id SAM
    writes into the key's ARN, so text only); MQ writes the action alone (``single``)."""
    key = props.get("SecretsManagerKmsKeyId")
    if not key:
        return []
    if not isinstance(key, str):
        raise Refused("SecretsManagerKmsKeyId is text")
    span = props.span_of("SecretsManagerKmsKeyId")
    actions: str | tuple[str, ...] = "kms:Decrypt" if single else ("kms:Decrypt",)
    return [
        policy_statement(
            props.key_span_of("SecretsManagerKmsKeyId"), actions, _sub(KMS_KEY + key, span)
        )
    ]


def _secret(configuration: PMap) -> PMap:
    """Reading the secret a SourceAccessConfigurations item names (its ``URI``), there."""
    return policy_statement(
        configuration.key_span_of("URI"), ("secretsmanager:GetSecretValue",), configuration, "URI"
    )


def policy_statement(
    span: Span | None, actions: str | tuple[str, ...], resource: Any, key: str | None = None
) -> PMap:
    """An Allow of ``actions`` at ``span`` on ``resource``: a value SAM writes, or with
    ``key`` the value the template holds there (at its own place), copied as SAM copies it."""
    statement = PMap(span)
    if isinstance(actions, str):
        statement.set("Action", actions, span, span)
    else:
        action_list = PSeq(span)
        for action in actions:
            action_list.add(action, span)
        statement.set("Action", action_list, span, span)
    statement.set("Effect", "Allow", span, span)
    if key is None:
        statement.set("Resource", resource, span, span)
    elif resource.get(key) is not None:  # none: IAM refuses the statement, as rules will say
        statement.set("Resource", resource[key], resource.key_span_of(key), resource.span_of(key))
    return statement


def _sub(text: str, span: Span | None) -> PMap:
    sub = PMap(span)
    sub.set("Fn::Sub", text, span, span)
    return sub


def policy_document(span: Span | None, statements: list[PMap], version: bool = False) -> PMap:
    document = PMap(span)
    if version:
        document.set("Version", POLICY_VERSION, span, span)
    listed = PSeq(span)
    for statement in statements:
        listed.add(statement, statement.span)
    document.set("Statement", listed, span, span)
    return document
