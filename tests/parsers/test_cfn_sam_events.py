"""SAM functions whose role SAM generates: the policies SAM adds to it for the function's
``Events`` (samtranslator ``PullEventSource._link_policy``)."""

from __future__ import annotations

from pathlib import Path

from rolelint.api import lint_paths
from rolelint.model import Role
from tests.parsers.cfn_helpers import FIXTURES, at, parse_fixture, parse_text, role

SERVICE_ROLE = "arn:aws:iam::aws:policy/service-role/"
BASIC = SERVICE_ROLE + "AWSLambdaBasicExecutionRole"
SQS = SERVICE_ROLE + "AWSLambdaSQSQueueExecutionRole"

SQS_EVENT = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
{policies}      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
"""
# What SAM writes for it, as a plain template declares it.
PLAIN = """\
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole
"""
NINE_READERS = [
    f"{prefix}ReadOnlyAccess"
    for prefix in (
        "AmazonS3",
        "AmazonEC2",
        "AmazonSQS",
        "AmazonSNS",
        "AmazonDynamoDB",
        "AmazonRDS",
        "CloudWatch",
        "AWSLambda_",
        "AmazonKinesis",
    )
]


def _sqs_function(*policies: str) -> str:
    listed = "".join(f"        - {policy}\n" for policy in policies)
    return SQS_EVENT.format(policies=f"      Policies:\n{listed}" if policies else "")


def _arns(holder: Role) -> list[str | None]:
    return [reference.arn.text for reference in holder.managed_policy_arns]


def test_an_sqs_event_attaches_the_managed_policy_sam_adds_as_the_plain_template_does(
    tmp_path: Path,
) -> None:
    """For an SQS event SAM attaches AWSLambdaSQSQueueExecutionRole to the role it generates
    (samtranslator ``SQS.get_policy_arn``).  rolelint left it out: the role SAM deploys could
    not read its queue in the card, and the same role written out as a plain template was
    another role."""
    worker = role(parse_text(_sqs_function()), "WorkerRole")
    assert _arns(worker) == _arns(role(parse_text(PLAIN), "WorkerRole")) == [BASIC, SQS]
    assert at(worker.managed_policy_arns[1].arn) == (12, 9)  # the event that asks for it
    (tmp_path / "t.yaml").write_text(_sqs_function())
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.notices == []

    # Named in Policies too: attached once, as SAM attaches it once.
    twice = role(parse_text(_sqs_function(*NINE_READERS[:8], SQS)), "WorkerRole")
    assert _arns(twice).count(SQS) == 1 and len(twice.managed_policy_arns) == 10


def test_rl610_counts_the_managed_policy_an_event_makes_sam_attach(tmp_path: Path) -> None:
    """Nine Policies, the basic execution role and the SQS event's policy are 11 managed
    policies on the role SAM deploys: the deployment fails, and RL610 said nothing."""
    (tmp_path / "t.yaml").write_text(_sqs_function(*NINE_READERS))
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL610", 5, "WorkerRole")
    ]
    assert "has 11 managed policies" in report.findings[0].message
    (tmp_path / "t.yaml").write_text(_sqs_function(*NINE_READERS[:8]))
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []


def test_the_inline_statements_sam_adds_for_events_are_policies_of_the_role() -> None:
    """MQ, DocumentDB and SelfManagedKafka events, MSK with a client certificate and an
    OnFailure destination of type SQS or SNS make SAM add statements to the role it
    generates (``get_policy_statements``, ``sqs_send_message_role_policy``,
    ``sns_publish_role_policy``), and SQS, Kinesis, DynamoDB, MSK and an SNS event with an
    SqsSubscription an AWS managed policy.  None of it was read: the role could read secrets
    and publish to a topic, and its card said nothing of it.  A document SAM adds twice (two
    events, one destination) is added once, as SAM does."""
    worker = role(parse_fixture("sam_events.yaml"), "WorkerRole")
    assert [(r.arn.text, at(r.arn)) for r in worker.managed_policy_arns] == [
        (BASIC, (19, 3)),
        (SQS, (26, 9)),  # and for the SNS event's queue: once
        (SERVICE_ROLE + "AWSLambdaKinesisExecutionRole", (55, 9)),
        (SERVICE_ROLE + "AWSLambdaDynamoDBExecutionRole", (64, 9)),
    ]
    statements = {
        document.origin.split(" SAM adds")[0]: [
            (
                [a.text for a in s.actions],
                [r.text or r.unresolved_reason for r in s.resources],
                s.ref.span.line if s.ref.span else None,
            )
            for s in document.statements
        ]
        for document in worker.policies
    }
    secret = (["secretsmanager:GetSecretValue"], ["resource BrokerSecret"])
    vpc = [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    ]
    rds = "arn:aws:rds:${AWS::Region}:${AWS::AccountId}:"
    assert statements == {
        "inline policy SamAutoGeneratedAMQPolicy": [
            (*secret, 38),
            (["mq:DescribeBroker"], ["arn:aws:mq:us-east-1:123456789012:broker:orders:b-1"], 33),
            (
                ["kms:Decrypt"],
                [
                    "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/"
                    "1234abcd-12ab-34cd-56ef-1234567890ab"
                ],
                35,
            ),
        ],
        "inline policy SamAutoGeneratedDocumentDBPolicy": [
            (*secret, 45),
            (["rds:DescribeDBClusterParameters"], [rds + "cluster-pg:*"], 42),
            (["rds:DescribeDBSubnetGroups"], [rds + "subgrp:*"], 42),
            (["rds:DescribeDBClusters"], ["arn:aws:rds:us-east-1:123456789012:cluster:docs"], 42),
            (vpc, ["*"], 42),
        ],
        "inline policy SelfManagedKafkaExecutionRolePolicy": [(*secret, 52), (vpc, ["*"], 51)],
        "inline policy WorkerStreamSNSPolicy": [(["sns:publish"], ["resource FailureTopic"], 62)],
        "inline policy WorkerTableSQSPolicy": [
            (["sqs:SendMessage"], ["attribute Arn of resource FailureQueue"], 71)
        ],
    }
    # SAM's text: no rule asks the user to add the Version SAM leaves out, nor to narrow the
    # network interfaces Lambda needs in a VPC (as of AWS's own VPC policy for Lambda).
    report = lint_paths([str(FIXTURES / "sam_events.yaml")])
    assert report.findings == []
    assert [n.message.split(":")[0] for n in report.notices] == [
        "AWS managed policy AWSLambdaKinesisExecutionRole is not in rolelint's policy data",
        "AWS managed policy AWSLambdaDynamoDBExecutionRole is not in rolelint's policy data",
    ]


EVENTS_NOT_READ = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Future:
          Type: Teleport
        Broker:
          Type: MQ
          Properties:
            Broker: arn:aws:mq:us-east-1:123456789012:broker:orders:b-1
            SourceAccessConfigurations:
              - {Type: VIRTUAL_HOST, URI: /orders}
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure: {Type: Lambda, Destination: arn:aws:lambda:us-east-1:1:function:f}
"""


def test_an_event_whose_policies_are_not_read_is_a_note(tmp_path: Path) -> None:
    """An event type rolelint does not know (a newer SAM's) may add to the role, and an event
    SAM refuses fails the transform: either was silence.  Each is a note at the event, and
    nothing of a refused event is held (SAM adds nothing of it: the Kinesis policy too)."""
    (tmp_path / "t.yaml").write_text(EVENTS_NOT_READ)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == []
    assert [(n.line, n.message) for n in report.notices] == [
        (
            10,
            "event Future of function Fn has type Teleport, which rolelint does not know: what"
            " SAM adds to role FnRole for it, if anything, is not read",
        ),
        (
            12,
            "event Broker of function Fn: SAM requires that SourceAccessConfigurations has a"
            " BASIC_AUTH, and refuses the template; what the event would add to role FnRole is"
            " not read",
        ),
        (
            18,
            "event Stream of function Fn: SAM requires that the Type of"
            " DestinationConfig.OnFailure is SQS, SNS or S3, and refuses the template; what the"
            " event would add to role FnRole is not read",
        ),
    ]
    assert _arns(role(parse_text(EVENTS_NOT_READ), "FnRole")) == [BASIC]


def test_a_function_that_names_its_role_gets_nothing_from_its_events(tmp_path: Path) -> None:
    """SAM adds to the role it generates only: a function's own role is the template's."""
    template = _sqs_function().replace(
        "      Events:\n", "      Role: arn:aws:iam::123456789012:role/worker\n      Events:\n"
    )
    assert parse_text(template).roles == []
    (tmp_path / "t.yaml").write_text(template + "        Odd:\n          Type: Teleport\n")
    assert lint_paths([str(tmp_path / "t.yaml")]).notices == []


ON_FAILURE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Type: S3
                Destination: arn:aws:s3:::failures
        Table:
          Type: DynamoDB
          Properties:
            Stream: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: "*"
"""


def test_an_s3_on_failure_destination_is_the_bucket_sam_writes_to(tmp_path: Path) -> None:
    """SAM takes an OnFailure destination of Type S3 (``s3_send_event_payload_role_policy``:
    ``s3:PutObject`` on the bucket's objects, ``s3:ListBucket`` on the bucket); rolelint said
    SAM refuses it, and read nothing of what the role may write.  And an OnFailure destination
    is the one the template names, not a service's design: ``"*"`` is ``sqs:SendMessage`` on
    every queue, RL203, which was held as AWS's own policy for a service and not judged."""
    worker = role(parse_text(ON_FAILURE), "WorkerRole")
    statements = {
        document.origin.split(" SAM adds")[0]: [
            ([a.text for a in s.actions], [r.text for r in s.resources])
            for s in document.statements
        ]
        for document in worker.policies
        if not document.managed
    }
    assert statements == {
        "inline policy WorkerStreamS3Policy": [
            (["s3:PutObject"], ["arn:aws:s3:::failures/*"]),
            (["s3:ListBucket"], ["arn:aws:s3:::failures"]),
        ],
        "inline policy WorkerTableSQSPolicy": [(["sqs:SendMessage"], ["*"])],
    }
    (tmp_path / "t.yaml").write_text(ON_FAILURE)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL203", 27)]
    assert [n.message.split(":")[0] for n in report.notices] == [
        "AWS managed policy AWSLambdaKinesisExecutionRole is not in rolelint's policy data",
        "AWS managed policy AWSLambdaDynamoDBExecutionRole is not in rolelint's policy data",
    ]
