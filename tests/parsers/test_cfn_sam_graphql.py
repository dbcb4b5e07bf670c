"""``AWS::Serverless::GraphQLApi``: the roles SAM generates for AppSync (samtranslator
``SamGraphQLApi``: ``_construct_cloudwatch_role``, ``_parse_ddb_datasource_role``,
``_parse_lambda_datasource_role``)."""

from __future__ import annotations

from pathlib import Path

from rolelint.api import lint_paths
from rolelint.model import Inventory, Role
from tests.parsers.cfn_helpers import FIXTURES, at, parse_fixture, parse_text, role

GRAPHQL = "sam_graphql.yaml"
APPSYNC_LOGS = "arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs"


def _trusted(holder: Role) -> list[tuple[str | None, list[str | None]]]:
    """Each trust statement's effect and the services it names."""
    assert holder.trust_policy is not None
    return [
        (s.effect.text if s.effect else None, [p.value.text for p in s.principals])
        for s in holder.trust_policy.statements
    ]


def _roles(inventory: Inventory) -> list[str]:
    return [r.id for r in inventory.roles]


def test_the_roles_sam_generates_for_a_graphql_api_are_modelled(tmp_path: Path) -> None:
    """SAM generates a role for the API's logs (``<Api>CloudWatchRole``, unless Logging is
    false or names its role) and one for each data source without a ``ServiceRoleArn``
    (``<Api><Name>DynamoDBDataSourceRole``, ``...LambdaDataSourceRole``), each trusting
    AppSync.  rolelint held none of them and said nothing: the inventory and the graph
    lacked three roles AppSync can assume.  The logs' role holds SAM's AWS managed policy, a
    data source's the managed policy of the connector SAM writes for it, whose text is not
    read (a note, as for any connector)."""
    inventory = parse_fixture(GRAPHQL)
    generated = [i for i in _roles(inventory) if i.startswith("Api")]
    assert generated == [
        "ApiCloudWatchRole",
        "ApiPostsDynamoDBDataSourceRole",
        "ApiResolverLambdaDataSourceRole",
    ]
    logs = role(inventory, "ApiCloudWatchRole")
    assert _trusted(logs) == [("Allow", ["appsync.amazonaws.com"])]
    assert logs.trust_fixed  # SAM's, whatever the template says
    assert [(r.arn.text, at(r.arn)) for r in logs.managed_policy_arns] == [(APPSYNC_LOGS, (35, 7))]
    posts = role(inventory, "ApiPostsDynamoDBDataSourceRole")
    assert _trusted(posts) == [("Allow", ["appsync.amazonaws.com"])]
    assert [r.arn.unresolved_reason for r in posts.managed_policy_arns] == [
        "SAM connector ApiPostsDynamoDBDataSourceToTableConnector (managed policy"
        " ApiPostsDynamoDBDataSourceToTableConnectorPolicy)"
    ]
    assert at(posts.managed_policy_arns[0].arn) == (39, 11)  # the data source
    # Archive names its role, and Quiet its logs' role: SAM generates none for them.
    assert not [i for i in _roles(inventory) if i.startswith(("ApiArchive", "Quiet"))]
    report = lint_paths([str(FIXTURES / GRAPHQL)])
    assert report.findings == []
    assert sorted((n.line, n.message) for n in report.notices) == [
        (
            35,
            "AWS managed policy AWSAppSyncPushToCloudWatchLogs is not in rolelint's policy data:"
            " what it grants is not judged (1 role holds it)",
        ),
        (
            39,
            "DynamoDb data source Posts of GraphQL API Api: managed policy"
            " ApiPostsDynamoDBDataSourceToTableConnectorPolicy, which SAM generates for role"
            " ApiPostsDynamoDBDataSourceRole (connector"
            " ApiPostsDynamoDBDataSourceToTableConnector), is not analyzed",
        ),
        (
            46,
            "Lambda data source Resolver of GraphQL API Api: managed policy"
            " ApiResolverLambdaDataSourceToLambdaConnectorPolicy, which SAM generates for role"
            " ApiResolverLambdaDataSourceRole (connector"
            " ApiResolverLambdaDataSourceToLambdaConnector), is not analyzed",
        ),
    ]


API = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::GraphQLApi
{metadata}    Properties:
      SchemaInline: "type Query {{ a: String }}"
      Auth:
        Type: AWS_IAM
{properties}"""


def _api(properties: str, metadata: str = "") -> str:
    return API.format(properties=properties, metadata=metadata)


def test_logging_decides_whether_sam_generates_the_logs_role() -> None:
    """SAM logs unless Logging is false: absent or true, it generates the logs' role; a map
    without ``CloudWatchLogsRoleArn`` too; false or a role of the template's, none."""
    generated = {
        "absent": _roles(parse_text(_api(""))),
        "true": _roles(parse_text(_api("      Logging: true\n"))),
        "false": _roles(parse_text(_api("      Logging: false\n"))),
        "settings": _roles(parse_text(_api("      Logging: {FieldLogLevel: ALL}\n"))),
        "own role": _roles(
            parse_text(_api("      Logging: {CloudWatchLogsRoleArn: arn:aws:iam::1:role/l}\n"))
        ),
    }
    logs = ["ApiCloudWatchRole"]
    assert generated == {
        "absent": logs,
        "true": logs,
        "false": [],
        "settings": logs,
        "own role": [],
    }


def test_what_sam_refuses_or_rolelint_does_not_read_of_a_graphql_api_is_a_note(
    tmp_path: Path,
) -> None:
    """A DynamoDB data source with neither TableArn nor ServiceRoleArn makes SAM refuse the
    template (no role is held), and a Logging rolelint does not read leaves the logs' role
    not known: each is a note, where silence looked like an API without roles."""
    refused = _api("      DataSources:\n        DynamoDb:\n          Posts: {TableName: posts}\n")
    (tmp_path / "refused.yaml").write_text(refused)
    report = lint_paths([str(tmp_path / "refused.yaml")])
    assert [(n.line, n.message) for n in report.notices] == [
        (
            11,
            "GraphQL API Api: SAM requires that DataSources.DynamoDb.Posts names its TableArn or"
            " a ServiceRoleArn, and refuses the template; the roles it would generate for the"
            " API are not analyzed",
        )
    ]
    assert parse_text(refused).roles == []
    unread = _api("      Logging: !If [Prod, true, false]\n")
    (tmp_path / "unread.yaml").write_text(unread)
    report = lint_paths([str(tmp_path / "unread.yaml")])
    assert [(n.line, n.message) for n in report.notices] == [
        (
            9,
            "Logging of GraphQL API Api is neither true, false nor a map of settings, which"
            " rolelint does not read: role ApiCloudWatchRole, which SAM generates for the API's"
            " logs (trusting appsync.amazonaws.com) unless Logging is false, is not analyzed",
        )
    ]


def test_the_metadata_of_a_graphql_api_covers_every_role_sam_generates_for_it() -> None:
    """A finding of a role SAM generates is one of the resource that asks for it, whose
    Metadata suppressions cover it: the API's cover each of its roles, not the last alone."""
    metadata = (
        "    Metadata:\n      rolelint:\n        ignore:\n"
        "          - {id: RL201, reason: AppSync's roles are reviewed}\n"
    )
    function = "arn:aws:lambda:us-east-1:123456789012:function:f"
    template = _api(
        f"      DataSources:\n        Lambda:\n          Run: {{FunctionArn: {function}}}\n",
        metadata,
    )
    [directive] = parse_text(template).suppressions
    assert directive.resource == "Api"
    assert directive.also == ("ApiCloudWatchRole", "ApiRunLambdaDataSourceRole")
