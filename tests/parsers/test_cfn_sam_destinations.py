"""SAM functions whose role SAM generates: the policies SAM writes into it for the function's
``DeadLetterQueue`` and ``EventInvokeConfig`` destinations (samtranslator
``SamFunction._construct_role``, ``_add_event_invoke_managed_policy``)."""

from __future__ import annotations

from pathlib import Path

from rolelint.api import lint_paths
from rolelint.model import Role
from tests.parsers.cfn_helpers import FIXTURES, parse_fixture, parse_text, role

DESTINATIONS = "sam_destinations.yaml"


def _statements(holder: Role) -> dict[str, list[tuple[list[str | None], list[str | None], int]]]:
    """Each inline policy's statements by its name: actions, resources (or why one is not
    known) and the line the statement points at."""
    found = {}
    for document in holder.policies:
        if document.managed:
            continue
        name = document.origin.split(" SAM adds")[0].removeprefix("inline policy ")
        found[name] = [
            (
                [a.text for a in s.actions],
                [r.text or r.unresolved_reason for r in s.resources],
                s.ref.span.line if s.ref.span else 0,
            )
            for s in document.statements
        ]
    return found


def test_the_dead_letter_queue_and_destinations_are_inline_policies_of_the_generated_role() -> None:
    """SAM writes DeadLetterQueuePolicy (``sqs:SendMessage`` or ``sns:Publish`` on the
    TargetArn) and a policy for each EventInvokeConfig destination (``sqs:SendMessage``,
    ``sns:publish``, ``events:PutEvents``, ``lambda:InvokeFunction`` on the Destination) into
    the role it generates.  None of it was read: the role could invoke another function and
    put events on a bus, and its card said nothing of it.  A DeadLetterQueue of Globals is
    every function's, merged with the function's own as SAM merges maps."""
    inventory = parse_fixture(DESTINATIONS)
    worker = role(inventory, "WorkerRole")
    assert _statements(worker) == {
        "DeadLetterQueuePolicy": [(["sns:Publish"], ["resource DeadLetters"], 15)],
        "WorkerEventInvokeConfigOnSuccessEventBridgePolicy": [
            (["events:PutEvents"], ["attribute Arn of resource Bus"], 42)
        ],
        "WorkerEventInvokeConfigOnFailureLambdaPolicy": [
            (["lambda:InvokeFunction"], ["attribute Arn of resource Next"], 45)
        ],
    }
    # SAM writes the dead-letter policy with a Version, the destinations' without one.
    versions = [d.version.text if d.version else None for d in worker.policies if not d.managed]
    assert versions == ["2012-10-17", None, None]
    # The function's own DeadLetterQueue, merged with the global one: its Type and target.
    created = role(inventory, "CreatedRole")
    assert _statements(created)["DeadLetterQueuePolicy"] == [
        (["sqs:SendMessage"], ["arn:aws:sqs:us-east-1:123456789012:dead-letters"], 55)
    ]
    # Next names its role: SAM writes nothing into it, and generates none.
    assert sorted(r.id for r in inventory.roles) == ["CreatedRole", "WorkerRole"]
    # SAM's text: no rule asks the user to add the Version SAM leaves out.
    report = lint_paths([str(FIXTURES / DESTINATIONS)])
    assert report.findings == [] and report.notices == []


def test_a_destination_sam_creates_is_the_queue_or_topic_it_creates() -> None:
    """An SQS or SNS destination without a Destination is a queue or topic SAM creates
    (``<Function>EventInvokeConfig<OnX>Queue``), and where an ``Fn::If`` makes the
    Destination ``AWS::NoValue``, SAM creates it there and writes the ``Fn::If`` with its ARN
    in that branch: the statement is on it, an ARN AWS gives when the stack deploys."""
    created = role(parse_fixture(DESTINATIONS), "CreatedRole")
    statements = _statements(created)
    assert statements["CreatedEventInvokeConfigOnSuccessSQSPolicy"] == [
        (
            ["sqs:SendMessage"],
            ["attribute Arn of resource CreatedEventInvokeConfigOnSuccessQueue"],
            60,
        )
    ]
    assert statements["CreatedEventInvokeConfigOnFailureSNSPolicy"] == [
        (
            ["sns:publish"],
            [
                "attribute Arn of resource CreatedEventInvokeConfigOnFailureTopic",
                "arn:aws:sns:us-east-1:123456789012:failures",
            ],
            62,
        )
    ]


def test_a_destination_on_every_resource_is_the_users_write_on_every_resource(
    tmp_path: Path,
) -> None:
    """What these statements act on is what the template names, not a service's needs: a
    dead-letter queue of ``"*"`` is ``sqs:SendMessage`` on every queue, RL203."""
    template = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      DeadLetterQueue: {Type: SQS, TargetArn: "*"}
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SNS, Destination: "*"}
"""
    (tmp_path / "t.yaml").write_text(template)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [
        (f.rule_id, f.location.line, f.message.split(" allows ")[1]) for f in report.findings
    ] == [
        ("RL203", 9, "write action 'sqs:SendMessage' on every resource ('*')"),
        ("RL203", 12, "write action 'sns:publish' on every resource ('*')"),
    ]


NOT_READ = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Kind:
    Type: String
    Default: SQS
Resources:
  Chosen:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: !Ref Kind
          OnFailure:
            Type: S3Bucket
            Destination: arn:aws:s3:::failures
  Refused:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      DeadLetterQueue:
        Type: Kinesis
        TargetArn: arn:aws:kinesis:us-east-1:123456789012:stream/dead
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: SQS
          OnFailure:
            Type: Lambda
"""


def test_a_destination_whose_policy_is_not_read_is_a_note(tmp_path: Path) -> None:
    """A Type a parameter gives is chosen by each deployment (SAM puts the parameter's value
    in), and the newest SAM accepts ``S3Bucket``, whose policy the SAM code rolelint follows
    does not write: what SAM adds for either is not read, and was silence.  What SAM refuses
    (a DeadLetterQueue of Type Kinesis, a Lambda destination naming no function) fails the
    transform: a note, and nothing of the property is held."""
    (tmp_path / "t.yaml").write_text(NOT_READ)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == []
    assert [(n.line, n.message) for n in report.notices] == [
        (
            15,
            "EventInvokeConfig.DestinationConfig.OnSuccess of function Chosen: its Type is"
            " parameter Kind, which each deployment chooses (SAM reads the value it is given);"
            " what SAM adds for it to role ChosenRole is not read",
        ),
        (
            17,
            "EventInvokeConfig.DestinationConfig.OnFailure of function Chosen: SAM versions that"
            " accept Type S3Bucket add a policy for it; what SAM adds for it to role ChosenRole"
            " is not read",
        ),
        (
            26,
            "DeadLetterQueue of function Refused: SAM requires that the Type of DeadLetterQueue"
            " is SQS or SNS, and refuses the template; what it would add to role RefusedRole is"
            " not read",
        ),
        (
            29,
            "EventInvokeConfig of function Refused: SAM requires that"
            " EventInvokeConfig.DestinationConfig.OnFailure of Type Lambda names its"
            " Destination, and refuses the template; what it would add to role RefusedRole is"
            " not read",
        ),
    ]
    inventory = parse_text(NOT_READ)
    for role_id in ("ChosenRole", "RefusedRole"):
        assert [d for d in role(inventory, role_id).policies if not d.managed] == []


def test_an_event_destination_sam_wrote_for_the_function_is_written_once() -> None:
    """SAM writes the function's destinations into the role before it reads the events, and
    an event's OnFailure policy whose document is one already there is not added again."""
    template = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: arn:aws:sqs:us-east-1:123456789012:failures}
      Events:
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure: {Type: SQS, Destination: arn:aws:sqs:us-east-1:123456789012:failures}
"""
    worker = role(parse_text(template), "WorkerRole")
    assert list(_statements(worker)) == ["WorkerEventInvokeConfigOnFailureSQSPolicy"]
