"""The roles SAM generates for an ``AWS::Serverless::GraphQLApi``.

SAM writes out a GraphQL API as AppSync resources, and generates an IAM role for AppSync where
the template names none (samtranslator ``SamGraphQLApi``):

- ``<Api>CloudWatchRole`` for the API's logs, unless ``Logging`` is ``false`` or names its
  ``CloudWatchLogsRoleArn`` (``_parse_logging_properties``: absent, ``true`` and a map without
  the role all log): it trusts ``appsync.amazonaws.com`` and holds the AWS managed policy
  ``service-role/AWSAppSyncPushToCloudWatchLogs`` (``_construct_cloudwatch_role``);
- ``<Api><Name>DynamoDBDataSourceRole`` and ``<Api><Name>LambdaDataSourceRole`` for each data
  source of ``DataSources`` (``DynamoDb``, ``Lambda``) that names no ``ServiceRoleArn``: it
  trusts ``appsync.amazonaws.com``, and SAM gives it what the source needs through a connector
  from the data source to the table (``Permissions``, Read and Write unless written) or the
  function (Write), ``<DataSource>ToTableConnector`` or ``...ToLambdaConnector``, whose
  managed policy ``<Connector>Policy`` it attaches to the role (``_parse_ddb_datasource_role``,
  ``_parse_lambda_datasource_role``).  rolelint does not write a connector's statements (see
  sam_connectors): the role holds that policy as one whose text is not read, with a note.

Trust and AWS managed policy are SAM's, written whatever the template says, so the roles are
modelled.  What SAM refuses (a DynamoDB data source with neither ``ServiceRoleArn`` nor
``TableArn``, a setting that is no map) and a ``Logging`` rolelint does not read are notes.
Nothing here knows of rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.cfn_intrinsics import is_intrinsic
from rolelint.parsers.sam_connectors import LAMBDA, TABLE
from rolelint.parsers.tree import PMap
from rolelint.source import Span

GRAPHQL_API = "AWS::Serverless::GraphQLApi"
APPSYNC = "appsync.amazonaws.com"
CLOUDWATCH_POLICY = "service-role/AWSAppSyncPushToCloudWatchLogs"
# DataSources key -> (the type SAM names the data source by, the connector's destination type,
# what the connector is named after, the property naming what it reaches, the properties SAM
# requires of every such data source)
DATA_SOURCES = {
    "DynamoDb": ("DynamoDB", TABLE, "Table", "TableArn", ("TableName",)),
    "Lambda": ("Lambda", LAMBDA, "Lambda", "FunctionArn", ("FunctionArn",)),
}


@dataclass(frozen=True)
class ApiRole:
    """A role SAM generates for a GraphQL API, and what SAM gives it."""

    role_id: str
    where: str  # "Logging of GraphQL API Api", "DynamoDb data source Posts of GraphQL API Api"
    span: Span | None  # where the template asks for it (None: the API itself)
    managed: tuple[str, ...] = ()  # AWS managed policies (path and name)
    connector: str | None = None  # the connector whose managed policy the role holds
    destination: str | None = None  # the connector's destination type

    @property
    def policy_id(self) -> str | None:
        """The logical id of the connector's managed policy."""
        return None if self.connector is None else f"{self.connector}Policy"


@dataclass(frozen=True)
class ApiNote:
    """What rolelint tells of a role of the API it does not model."""

    span: Span | None
    message: str


class _Refused(Exception):
    """SAM refuses the API: what it requires, and where."""

    def __init__(self, requirement: str, span: Span | None) -> None:
        super().__init__(requirement)
        self.span = span


def api_roles(api: str, props: PMap) -> tuple[list[ApiRole], list[ApiNote]]:
    """The roles SAM generates for GraphQL API ``api`` (of properties ``props``), in the order
    SAM writes them (the logs' role, then the DynamoDB and the Lambda data sources' as
    written); and a note for what is not read.  A template SAM refuses generates nothing."""
    notes: list[ApiNote] = []
    try:
        roles = [*_logging(api, props, notes), *_data_sources(api, props)]
    except _Refused as refused:
        message = (
            f"GraphQL API {api}: SAM requires that {refused}, and refuses the template; the roles"
            " it would generate for the API are not analyzed"
        )
        return [], [ApiNote(refused.span, message)]
    return roles, notes


def _logging(api: str, props: PMap, notes: list[ApiNote]) -> Iterator[ApiRole]:
    """The logs' role, where ``Logging`` asks for it: absent, null, true, or a map whose
    ``CloudWatchLogsRoleArn`` is empty."""
    logging = props.get("Logging")
    role_id = f"{api}CloudWatchRole"
    where = f"Logging of GraphQL API {api}"
    span = props.key_span_of("Logging")
    if logging is False:
        return
    if isinstance(logging, PMap) and not is_intrinsic(logging):
        if logging.get("CloudWatchLogsRoleArn"):
            return  # the logs' role is the template's
    elif logging is not None and logging is not True:
        notes.append(
            ApiNote(
                span,
                f"{where} is neither true, false nor a map of settings, which rolelint does not"
                f" read: role {role_id}, which SAM generates for the API's logs (trusting"
                f" {APPSYNC}) unless Logging is false, is not analyzed",
            )
        )
        return
    yield ApiRole(role_id, where, span, managed=(CLOUDWATCH_POLICY,))


def _data_sources(api: str, props: PMap) -> Iterator[ApiRole]:
    """A role for each data source that names no ``ServiceRoleArn``."""
    sources = props.get("DataSources")
    if sources is None:
        return
    span = props.key_span_of("DataSources")
    if not isinstance(sources, PMap) or is_intrinsic(sources):
        raise _Refused("DataSources is a map", span)
    for key in DATA_SOURCES:
        listed = sources.get(key)
        if listed is None:
            continue
        if not isinstance(listed, PMap) or is_intrinsic(listed):
            raise _Refused(f"DataSources.{key} is a map", sources.key_span_of(key))
        for name, source in listed.items():
            yield from _data_source(api, key, str(name), source, listed.key_span_of(name))


def _data_source(
    api: str, key: str, name: str, source: Any, span: Span | None
) -> Iterator[ApiRole]:
    kind, destination, short, target, required = DATA_SOURCES[key]
    where = f"DataSources.{key}.{name}"
    if not isinstance(source, PMap) or is_intrinsic(source):
        raise _Refused(f"{where} is a map", span)
    for needed in required:
        if needed not in source:
            raise _Refused(f"{where} has a {needed}", span)
    if source.get("ServiceRoleArn"):
        return  # the data source's role is the template's
    if source.get(target) is None:
        raise _Refused(f"{where} names its {target} or a ServiceRoleArn", span)
    data_source = f"{api}{name}{kind}DataSource"
    yield ApiRole(
        f"{data_source}Role",
        f"{key} data source {name} of GraphQL API {api}",
        span,
        connector=f"{data_source}To{short}Connector",
        destination=destination,
    )
