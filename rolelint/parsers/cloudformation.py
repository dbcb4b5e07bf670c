"""CloudFormation and SAM templates turned into the role model, with every element positioned.

Roles are assembled in two passes: first every role, user and group is drafted and every policy
resource is built once and handed to the drafts it is attached to (a managed policy on three roles
is one document with three holders), then the frozen model objects are made.  Intrinsics are
resolved only in the subtrees handed to the policy builder and the scalar properties read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import product
from typing import Any, NamedTuple

from rolelint.arns import oidc_provider_arn
from rolelint.findings import InputError
from rolelint.model import (
    INVALID_STATEMENT,
    METADATA_SERVICE_DISABLED,
    METADATA_SUPPRESSION_KEYS,
    NODE_ROLE_BY_CONDITION,
    ROLE_DEFAULT_SESSION_SECONDS,
    THIS_ACCOUNT,
    TOKENS_FROM_EKS_LAUNCH_TEMPLATE,
    TOKENS_FROM_LAUNCH_TEMPLATE,
    TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE,
    TOKENS_UNSET_BY_CONDITION,
    ComputeResource,
    Deployment,
    Identity,
    IdentityKind,
    Inventory,
    ManagedPolicyRef,
    PermissionSetCustomerPolicy,
    PermissionSetPolicy,
    PolicyDocument,
    PolicyKind,
    Role,
    SourceProblem,
    StackExport,
    SuppressionDirective,
    Value,
    generated_name,
    name_stand_in,
    stand_in_escaped,
    unresolved_name,
    unresolved_path,
)
from rolelint.parsers import FOR_EACH, permission_set_boundaries
from rolelint.parsers.cfn_conditions import MayBe, decided_where, holds, written_operand
from rolelint.parsers.cfn_foreach import expand_resources
from rolelint.parsers.cfn_intrinsics import (
    MAX_DEPTH,
    NO_VALUE_NAME,
    Resolver,
    TemplateContext,
    intrinsic_target,
    is_arn_attribute,
    is_intrinsic,
)
from rolelint.parsers.cfn_parameters import operand_may_be
from rolelint.parsers.holder import (
    Holder,
    chosen_references,
    maybe_attached,
    not_an_arn,
    not_an_aws_managed_arn,
    option_branches,
    unread_policy,
)
from rolelint.parsers.instance_profiles import (
    launched_profiles,
    profile_arn_refused,
    profile_name,
)
from rolelint.parsers.policy_builder import PolicyBuilder, duplicate_key_problems
from rolelint.parsers.sam_connectors import (
    Connector,
    GeneratedPolicy,
    connectors,
    role_node,
    untold_role,
)
from rolelint.parsers.sam_destination_policies import created_destinations, destination_policies
from rolelint.parsers.sam_event_policies import (
    MANAGED_BY_EVENT,
    AddedPolicy,
    EventNote,
    event_policies,
)
from rolelint.parsers.sam_generated import (
    GeneratedRole,
    deployment_role,
    event_roles,
    names_own_role,
)
from rolelint.parsers.sam_graphql import (
    APPSYNC,
    CLOUDWATCH_POLICY,
    GRAPHQL_API,
    ApiNote,
    ApiRole,
    api_roles,
)
from rolelint.parsers.text_places import Places, json_mover, substituted, written_places
from rolelint.parsers.tree import (
    NO_VALUE,
    Choice,
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    joined_branches,
    moved,
    own_span,
    pinned,
    scalar_text,
    span_in,
    written_as,
)
from rolelint.source import (
    UNIVERSAL_BREAKS,
    YAML_BREAKS,
    SourceRef,
    Span,
    first_containing,
    split_lines,
)

ROLE = "AWS::IAM::Role"
POLICY = "AWS::IAM::Policy"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
ROLE_POLICY = "AWS::IAM::RolePolicy"
USER_POLICY = "AWS::IAM::UserPolicy"
GROUP_POLICY = "AWS::IAM::GroupPolicy"
USER = "AWS::IAM::User"
GROUP = "AWS::IAM::Group"
USER_TO_GROUP = "AWS::IAM::UserToGroupAddition"
STACK_SET = "AWS::CloudFormation::StackSet"
NESTED_STACK = "AWS::CloudFormation::Stack"
# What SAM writes as a nested stack (AWS::CloudFormation::Stack) with the same Parameters: its
# Location is the template (a path or URL, or a Serverless Application Repository application).
SAM_APPLICATION = "AWS::Serverless::Application"
# The transforms of a template's Transform section whose effect rolelint reads: SAM's resources
# and Globals, and Fn::ForEach, Fn::ToJsonString and FindInMap's DefaultValue.  Any other (a
# macro of the account, such as ExecutionRoleBuilder) rewrites the template before deployment.
MODELED_TRANSFORMS = frozenset({"AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"})
PERMISSION_SET = "AWS::SSO::PermissionSet"
INSTANCE_PROFILE = "AWS::IAM::InstanceProfile"
OIDC_PROVIDER = "AWS::IAM::OIDCProvider"
# What CDK's iam.OpenIdConnectProvider (and the EKS cluster's provider, built on it) synthesizes:
# a custom resource whose Lambda creates the IAM OIDC provider from the same Url, and whose Ref
# is that provider's ARN, as the native type's is (aws-cdk-lib aws-iam oidc-provider,
# RESOURCE_TYPE).
CDK_OIDC_PROVIDER = "Custom::AWSCDKOpenIdConnectProvider"
OIDC_PROVIDERS = frozenset({OIDC_PROVIDER, CDK_OIDC_PROVIDER})
SAML_PROVIDER = "AWS::IAM::SAMLProvider"
SAM_FUNCTION = "AWS::Serverless::Function"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
EC2_INSTANCE = "AWS::EC2::Instance"
LAUNCH_TEMPLATE = "AWS::EC2::LaunchTemplate"
LAUNCH_CONFIGURATION = "AWS::AutoScaling::LaunchConfiguration"
EKS_NODE_GROUP = "AWS::EKS::Nodegroup"

AWS_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
SAM_BASIC_EXECUTION = AWS_MANAGED_POLICY_PREFIX + "service-role/AWSLambdaBasicExecutionRole"
# What SAM attaches besides (samtranslator SamFunction._construct_role and the state machine
# generator's): X-Ray's write policy (by its older name in the aws partition) where tracing is
# on, Lambda's VPC policy to a function in a VPC.
SAM_XRAY = AWS_MANAGED_POLICY_PREFIX + "AWSXrayWriteOnlyAccess"
SAM_VPC_ACCESS = AWS_MANAGED_POLICY_PREFIX + "service-role/AWSLambdaVPCAccessExecutionRole"
# The AWS managed policies SAM attaches itself, by name: their paths are SAM's facts, whether or
# not rolelint ships their documents, so a Policies name of one is its ARN (see _sam_managed_arn).
SAM_OWN_POLICIES = {
    arn.rsplit("/", 1)[1]: arn
    for arn in (
        SAM_BASIC_EXECUTION,
        SAM_XRAY,
        SAM_VPC_ACCESS,
        *(AWS_MANAGED_POLICY_PREFIX + managed for managed in MANAGED_BY_EVENT.values()),
        AWS_MANAGED_POLICY_PREFIX + CLOUDWATCH_POLICY,
    )
}
TRACING_OFF = "Disabled"  # a function's Tracing that SAM adds no policy for (SAM PR #3223)
LAMBDA_SERVICE = "lambda.amazonaws.com"
STATES_SERVICE = "states.amazonaws.com"
# The SAM resources that get a role of their own (``<Resource>Role``) when they name none: its
# trust, and the noun messages use.
SAM_ROLE_OWNERS = {
    SAM_FUNCTION: (LAMBDA_SERVICE, "function"),
    SAM_STATE_MACHINE: (STATES_SERVICE, "state machine"),
}
# Those whose generated role's trust the template may set (``AssumeRolePolicyDocument``): a
# function only.  A state machine has no such property, so its role's trust is SAM's, fixed.
SAM_TRUST_SETTERS = frozenset({SAM_FUNCTION})
# Characters of policies written as JSON text that one template may have parsed.  A text is
# parsed wherever it is used: a 1.2 MB policy in a parameter's default, used by 300 roles, took
# 73 s.  About 4 s of parsing; real policies are at most 10,240 characters.
MAX_POLICY_TEXT = 10_000_000
POLICY_TEXT_TOO_MUCH = (
    f"policies written as JSON text in this template add up to over {MAX_POLICY_TEXT:,} "
    "characters parsed: from here on they are not analyzed"
)


@dataclass(slots=True, kw_only=True)
class _Holder(Holder):
    """A role, user or group of the template being assembled."""

    id: str
    ref: SourceRef


# A policy resource's link to a holder: the holder, whether only some deployments attach it,
# whether the holder refers to it, and the branches it is attached under (None: not known).
_Link = tuple[_Holder, bool, bool, Deployment | None]


def parse_template(loaded: LoadedDocument) -> tuple[Inventory, list[InputError]]:
    """The roles, identities, policies and compute resources of one template, and notices of
    what was left unanalyzed (values too large to expand)."""
    template = _Template(loaded)
    try:
        inventory = template.parse()
        notices = [
            InputError(at.file, message, at.line, at.column)
            for at, message in template.resolver.notices
        ]
        return inventory, notices
    finally:
        # The template's resolver calls back into it (role_arn, provider_arn, identity_arn): a
        # reference cycle, which would keep the whole loaded document alive until the cyclic
        # collector runs, and the command line never lets it walk the parse's objects
        # (rolelint.gc_pause).  Dropping the template's state frees the document as soon as
        # parsing is done.
        vars(template).clear()


NOT_EXPANDED = "the resources this loop generates are not analyzed"
PROPERTIES_NOT_EXPANDED = "the properties this loop generates are not analyzed"

# The resource types rolelint reads: a loop generating only others (tables, buckets) loses
# nothing it would analyze.
READ_TYPES = frozenset(
    {
        ROLE,
        POLICY,
        MANAGED_POLICY,
        ROLE_POLICY,
        USER_POLICY,
        GROUP_POLICY,
        USER,
        GROUP,
        INSTANCE_PROFILE,
        *OIDC_PROVIDERS,
        SAML_PROVIDER,
        SAM_FUNCTION,
        SAM_STATE_MACHINE,
        PERMISSION_SET,
        EC2_INSTANCE,
        LAUNCH_TEMPLATE,
        LAUNCH_CONFIGURATION,
    }
)


def _generates_read_types(loop: Any) -> bool:
    """Whether a Fn::ForEach loop's templates (nested loops included) hold a type rolelint
    reads, or a type it cannot tell."""
    pending = [loop]
    while pending:
        node = pending.pop()
        if isinstance(node, PMap):
            kind = node.get("Type")
            if kind is not None and (not isinstance(kind, str) or kind in READ_TYPES):
                return True
            pending.extend(node.values())
        elif isinstance(node, PSeq):
            pending.extend(node)
    return False


# What a SAM function's implicit role takes from ``Globals: Function:`` when the function does
# not set it itself (SAM accepts every function property there but Role, Policies, FunctionName
# and Events), and what decides whether SAM generates CodeDeploy's role (see sam_generated).
ROLE_GLOBALS = (
    "AssumeRolePolicyDocument",
    "PermissionsBoundary",
    "RolePath",
    "Tracing",
    "VpcConfig",
    "DeadLetterQueue",
    "EventInvokeConfig",
    "AutoPublishAlias",
    "DeploymentPreference",
)


def _function_globals(root: PMap) -> PMap:
    """The role settings of ``Globals: Function:`` (empty when there are none)."""
    section = root.get("Globals")
    function = section.get("Function") if isinstance(section, PMap) else None
    found = PMap(function.span) if isinstance(function, PMap) else PMap()
    if isinstance(function, PMap):
        for key in ROLE_GLOBALS:
            if key in function:
                found.set(key, function[key], function.key_span_of(key), function.span_of(key))
    return found


def _with_globals(own: PMap, globals_: PMap, ignored: Any = None) -> PMap:
    """A function's properties with the global role settings, merged as SAM merges them: a
    value of the function's own replaces a global text, maps are merged key by key (the
    function's wins), lists are the global items then the function's.  So a global trust
    statement stays beside the function's own, each where it is written.  ``ignored`` is the
    resource's ``IgnoreGlobals``: ``'*'``, or the properties that take nothing from Globals."""
    names = [ignored] if not isinstance(ignored, PSeq) else list(ignored)
    # SAM takes property names there: an item that is no text (``!Ref Skip``) names none.
    skipped = {item for item in names if isinstance(item, str)}
    if "*" in skipped:
        return own
    taken = PMap(globals_.span)
    for key in globals_:
        if key not in skipped:
            taken.set(key, globals_[key], globals_.key_span_of(key), globals_.span_of(key))
    merged = _sam_merged(taken, own)
    assert isinstance(merged, PMap)
    return merged


def _sam_merged(global_value: Any, own: Any) -> Any:
    """One property of Globals and of the function together (see :func:`_with_globals`); an
    intrinsic function is taken as the text it becomes, so the function's replaces it."""
    if isinstance(global_value, PMap) and isinstance(own, PMap):
        if is_intrinsic(global_value) or is_intrinsic(own):
            return own
        merged = PMap(own.span)
        for key in global_value:
            merged.set(
                key, global_value[key], global_value.key_span_of(key), global_value.span_of(key)
            )
        for key in own:
            value = _sam_merged(merged[key], own[key]) if key in merged else own[key]
            # A value made of both is written where the global one is; the function's own, where
            # the function writes it.
            span = own.span_of(key) if value is own[key] else merged.span_of(key)
            merged.set(key, value, own.key_span_of(key), span)
        return merged
    if isinstance(global_value, PSeq) and isinstance(own, PSeq):
        items = PSeq(own.span)
        for sequence in (global_value, own):
            for index, item in enumerate(sequence):
                items.add(item, sequence.span_at(index))
        return items
    return own


def _created_resources(
    resources: PMap, conditions: Any, may_be: MayBe
) -> tuple[PMap, list[tuple[str, Span | None, str]]]:
    """``resources`` without those whose Condition is false for every parameter value (a
    resource switched off with ``Never: !Equals [true, false]``, or kept for a value its
    parameter's AllowedValues no longer allow, ``IsLegacy: !Equals [!Ref Stage, legacy]``):
    judging one reports what is never deployed.  Also (logical id, where its Condition is,
    condition) of each of the read types left out, to say so.  A condition that reads a
    parameter only the deployment decides (within its constraints), a pseudo parameter or
    anything else not written in the template is never decided here."""
    if not isinstance(conditions, PMap) or not resources:
        return resources, []
    kept = PMap(resources.span)
    left_out: list[tuple[str, Span | None, str]] = []
    for logical_id, node in resources.items():
        condition = node.get("Condition") if isinstance(node, PMap) else None
        if isinstance(condition, str) and (
            holds(condition, conditions, written_operand, may_be) is False
        ):
            if isinstance(node, PMap) and node.get("Type") in READ_TYPES:
                left_out.append((str(logical_id), node.span_of("Condition"), condition))
            continue
        kept.set(
            logical_id,
            node,
            resources.key_spans.get(logical_id),
            resources.value_spans.get(logical_id),
        )
    return kept, left_out


def _conditional_resources(
    resources: PMap, role_conditions: dict[str, str]
) -> tuple[tuple[Span, str, str], ...]:
    """(where, logical id, condition) of each resource created only where a condition holds;
    of a function whose role SAM creates only where its Role is AWS::NoValue, the condition
    made for that (what is read of the function is read for that role)."""
    found: list[tuple[Span, str, str]] = []
    for logical_id, node in resources.items():
        if isinstance(node, PMap) and node.span is not None:
            condition = role_conditions.get(f"{logical_id}Role", node.get("Condition"))
            if isinstance(condition, str):
                found.append((node.span, str(logical_id), condition))
    return tuple(found)


def _no_value_where(
    node: Any, assumed: Mapping[str, bool], conditions: dict[str, Any], depth: int = 0
) -> dict[str, Any] | None:
    """Where an ``Fn::If`` (nested ones too) read where the conditions of ``assumed`` have
    their truth (the resource's own Condition, the branches around it) gives
    ``AWS::NoValue``, as a condition (written as the Conditions section writes one; ``{}`` for
    always); None when no branch does.  A branch they rule out is never taken, and any other
    node is no such choice."""
    arguments = node.get("Fn::If") if is_intrinsic(node) else None
    if depth > MAX_DEPTH or not isinstance(arguments, PSeq) or len(arguments) != 3:
        return None
    name = arguments[0]
    if not isinstance(name, str):
        return None
    test: dict[str, Any] = {"Condition": name}
    branches = [(arguments[1], test, True), (arguments[2], {"Fn::Not": [test]}, False)]
    taken = decided_where(name, assumed, conditions)
    if taken is not None:  # certain where it is read: no condition of its own
        branches = [(arguments[1], {}, True) if taken else (arguments[2], {}, False)]
    ways: list[dict[str, Any]] = []
    for branch, when, holding in branches:
        within = {**assumed, name: holding}
        if intrinsic_target(branch) == NO_VALUE_NAME:
            ways.append(when)
        elif (inner := _no_value_where(branch, within, conditions, depth + 1)) is not None:
            ways.append({"Fn::And": [when, inner]} if when and inner else when or inner)
    if not ways:
        return None
    if not all(ways):
        return {}  # in every deployment
    return ways[0] if len(ways) == 1 else {"Fn::Or": ways}


def _not_known(option: Any) -> bool:
    """A branch that is no document rolelint can read: unresolved, or absent (NoValue)."""
    return option is NO_VALUE or (isinstance(option, Value) and option.text is None)


def _aliased_spans(resources: PMap) -> tuple[tuple[Span, tuple[str, ...]], ...]:
    """Where values a YAML alias copies into another resource are written, with every resource
    that reads them there: the copy keeps the anchor's place, so a place alone does not say
    which resource a value there is read in."""
    spans: dict[Span, set[str]] = {}
    owners: list[tuple[Span, str]] = []
    for logical_id, node in resources.items():
        if not isinstance(node, PMap) or node.span is None:
            continue
        own = node.span
        owners.append((own, str(logical_id)))
        pending: list[Any] = list(node.values())
        while pending:
            item = pending.pop()
            if not isinstance(item, (PMap, PSeq)):
                continue
            span = item.span
            if span is not None and not own.encloses(span):
                spans.setdefault(span, set()).add(str(logical_id))  # a copy of another's
                continue
            pending.extend(item.values() if isinstance(item, PMap) else item)
    for span, readers in spans.items():  # the anchor's own resource reads it too
        readers.update(owner for where, owner in owners if where.encloses(span))
    return tuple((span, tuple(sorted(readers))) for span, readers in spans.items())


class _Template:
    def __init__(self, loaded: LoadedDocument) -> None:
        self.loaded = loaded
        self.file = loaded.path
        self.builder = PolicyBuilder(loaded.path)
        self.inventory = Inventory()
        root = loaded.root if isinstance(loaded.root, PMap) else PMap()
        resources = root.get("Resources")
        expanded = expand_resources(
            resources if isinstance(resources, PMap) else PMap(),
            root.get("Parameters"),
            inside=FOR_EACH in loaded.text,
        )
        parameters = root.get("Parameters")
        # Whether a condition's Fn::Equals operand may be a text (the parameters' constraints)
        self.may_be = operand_may_be(parameters if isinstance(parameters, PMap) else {})
        # Fn::ForEach loops written out, without the resources no deployment creates
        self.resources, self.never_created = _created_resources(
            expanded.resources, root.get("Conditions"), self.may_be
        )
        self.kept_loops = expanded.kept  # the loops that could not be
        self.kept_inside = expanded.kept_inside
        self.types: dict[str, str] = {}
        for logical_id, node in self.resources.items():
            kind = node.get("Type") if isinstance(node, PMap) else None
            if isinstance(logical_id, str) and isinstance(kind, str):
                self.types[logical_id] = kind
        self.function_globals = _function_globals(root)
        self.outputs = root.get("Outputs")
        self.function_properties: dict[str, PMap] = {}
        conditions = root.get("Conditions")
        self.conditions: dict[str, Any] = dict(conditions) if isinstance(conditions, PMap) else {}
        # Roles SAM creates for functions and state machines without a Role: ``<Function>Role``;
        # those it creates only where an Fn::If makes a function's Role AWS::NoValue, with the
        # condition made for where that is (see optional_role).  A Role that is null (``Role:``
        # with nothing after it) is none, and so is a state machine's empty one
        # (sam_generated.names_own_role).
        self.implicit_roles: dict[str, str] = {}
        self.role_conditions: dict[str, str] = {}
        for logical_id, kind in self.types.items():
            role_id = f"{logical_id}Role"
            if kind not in SAM_ROLE_OWNERS or role_id in self.types:
                continue
            named = names_own_role(kind, self.properties(logical_id).get("Role"))
            if not named or (kind == SAM_FUNCTION and self.optional_role(logical_id, role_id)):
                self.implicit_roles[role_id] = logical_id
        # Roles SAM generates for a GraphQL API (see sam_graphql): implicit roles of the API,
        # with what SAM gives each, and what is not read of them, said once the resolver is.
        self.api_roles: dict[str, ApiRole] = {}
        self.api_notes: list[ApiNote] = []
        for logical_id in self.of_type(GRAPHQL_API):
            generated, notes = api_roles(logical_id, self.properties(logical_id))
            self.api_notes += notes
            for api_role in generated:
                if api_role.role_id not in self.types:
                    self.implicit_roles[api_role.role_id] = logical_id
                    self.api_roles[api_role.role_id] = api_role
        # The queues and topics SAM creates as a function's EventInvokeConfig destinations.
        created = [
            created
            for logical_id in self.of_type(SAM_FUNCTION)
            for created in created_destinations(logical_id, self.properties(logical_id))
        ]
        mappings = root.get("Mappings")
        conditional = _conditional_resources(self.resources, self.role_conditions)
        self.resolver = Resolver(
            loaded.path,
            TemplateContext(
                parameters=dict(parameters) if isinstance(parameters, PMap) else {},
                mappings=dict(mappings) if isinstance(mappings, PMap) else {},
                resources=frozenset(self.types) | frozenset(self.implicit_roles) | {*created},
                role_arn=self.role_arn,
                provider_arn=self.provider_arn,
                identity_arn=self.identity_arn_of,
                profile_arn=self.profile_arn,
                policy_arn=self.policy_arn,
                ref_name=self.ref_name,
                conditions=self.conditions,
                may_be=self.may_be,
                conditional_resources=conditional,
                aliased=(
                    (*_aliased_spans(self.resources), *self.globals_readers(root))
                    if conditional
                    else ()
                ),
            ),
        )
        self.arns: dict[str, Value] = {}
        self.identity_arns: dict[str, Value] = {}  # of users and groups
        self.profile_arn_lists: dict[str, list[Value]] = {}  # of instance profiles
        self.profile_names: dict[str, Value | None] = {}  # the first name in those ARNs
        self.identity_names: dict[str, Value] = {}  # the names in those ARNs
        # The name and path each role, user, group and managed policy is written with (the
        # first an Fn::If gives).
        self.names: dict[str, Value | None] = {}
        self.paths: dict[str, Value | None] = {}
        # The other ARNs of roles, users and groups whose name or path an Fn::If chooses, and
        # the resources whose name (so every ARN) an Fn::If chooses: one named by it is linked
        # only in the deployments where it has that name.
        self.other_arns: dict[str, tuple[Value, ...]] = {}
        self.chosen_names: set[str] = set()
        # The boundary policies of each role or user (see boundary_policies), read once.
        self.boundaries: dict[str, tuple[list[str], bool]] = {}
        self.in_progress: set[str] = set()
        self.holders: dict[str, _Holder] = {}
        # (managed policy id, holder, whether only some deployments attach it, whether the
        # holder refers to it: Ref or Fn::GetAtt, so that the holder exists only with it, and
        # the branches of the conditions it is attached under there, None when not known) links
        self.pending: list[tuple[str, _Holder, bool, bool, Deployment | None]] = []
        self.policy_documents: dict[str, PolicyDocument] = {}  # policy resources by logical id
        # Duplicate keys of policies written as JSON text, once each however often it is read.
        self.embedded_duplicates: dict[DuplicateKey, None] = {}
        self.text_lines: list[str] | None = None  # the template's lines (see lines)
        self.name_indexes: dict[tuple[str, ...], dict[str, str]] = {}
        # The ARN of each managed policy whose name is known, by logical id (managed_policy_arn).
        self.policy_arns: dict[str, str] | None = None
        for key, span, condition in self.never_created:
            self.resolver.notice(
                span,
                f"{key}: not analyzed: its Condition '{condition}' is false whatever the "
                "parameters, so no deployment creates it",
            )
        self.included_resources(resources)
        self.template_macros(root)
        self.sam_generated_roles()
        for key, span, reason in self.kept_loops:
            if _generates_read_types(self.resources.get(key)):
                self.resolver.notice(span, f"{key}: {NOT_EXPANDED}: {reason}")
        for resource, key, span, reason in self.kept_inside:
            if resource not in self.types or self.types[resource] in READ_TYPES:
                message = f"{key} in {resource}: {PROPERTIES_NOT_EXPANDED}: {reason}"
                self.resolver.notice(span, message)

    def included_resources(self, resources: Any) -> None:
        """A notice for ``Fn::Transform`` (``AWS::Include``) in ``Resources``: the resources it
        brings are deployed, from a file this template only names, and passing over them
        without a word would look like a clean result."""
        if not isinstance(resources, PMap) or "Fn::Transform" not in resources:
            return
        transform = resources["Fn::Transform"]
        parameters = transform.get("Parameters") if isinstance(transform, PMap) else None
        location = parameters.get("Location") if isinstance(parameters, PMap) else None
        source = f" (from {location})" if isinstance(location, str) else ""
        self.resolver.notice(
            resources.key_span_of("Fn::Transform"),
            f"Fn::Transform in Resources: the resources it includes{source} are not analyzed",
        )

    def template_macros(self, root: PMap) -> None:
        """One notice for the macros of the template's ``Transform`` section rolelint does not
        model (MODELED_TRANSFORMS): each processes the whole template before deployment, and
        may write or change any resource (ExecutionRoleBuilder writes a role's policies), so
        judging the template as written without a word would look like a clean result."""
        transform = root.get("Transform")
        named = [(transform, root.span_of("Transform"))]
        if isinstance(transform, PSeq):
            named = [(item, transform.span_at(index)) for index, item in enumerate(transform)]
        macros: list[tuple[str, Span | None]] = []
        for item, span in named:
            if isinstance(item, PMap) and isinstance(item.get("Name"), str):
                item, span = item["Name"], item.span_of("Name")  # {Name: ..., Parameters: ...}
            if isinstance(item, str) and item not in MODELED_TRANSFORMS:
                macros.append((item, span))
        if not macros:
            return
        names = ", ".join(name for name, _ in macros)
        these, processes, the, change = (
            ("this macro", "processes", "the macro", "generates or changes")
            if len(macros) == 1
            else ("these macros", "process", "the macros", "generate or change")
        )
        self.resolver.notice(
            macros[0][1],
            f"Transform {names}: the template is judged as written, before {these} {processes} "
            f"it; what {the} {change} is not analyzed",
        )

    def sam_generated_roles(self) -> None:
        """A notice for each role SAM generates beside a function's or state machine's own,
        for an event source or for CodeDeploy (see sam_generated): the inventory does not hold
        them, and leaving them out without a word would look like a complete one.  CodeDeploy's
        role is one for the whole template: noted once, at the first function asking for it
        in every deployment (else at the first that may)."""
        generated: list[GeneratedRole] = []
        parameters = self.resolver.context.parameters
        for logical_id in self.of_type(SAM_FUNCTION, SAM_STATE_MACHINE):
            kind, props = self.types[logical_id], self.properties(logical_id)
            deployment = deployment_role(logical_id, kind, props, parameters)
            if deployment is not None:
                earlier = [i for i, r in enumerate(generated) if r.role_id == deployment.role_id]
                if not earlier:
                    generated.append(deployment)
                elif deployment.certain and not generated[earlier[0]].certain:
                    generated[earlier[0]] = deployment
            generated.extend(event_roles(logical_id, kind, props))
        for role in sorted(generated, key=lambda r: r.span or Span.point(0, 0)):
            self.resolver.notice(role.span, role.notice())
        for note in self.api_notes:
            self.resolver.notice(note.span, note.message)

    def optional_role(self, function: str, role_id: str) -> bool:
        """Whether SAM creates ``role_id`` for a function whose ``Role`` an ``Fn::If`` makes
        ``AWS::NoValue`` in some deployment: SAM then generates the role there, with the
        function's Policies (SAM PR #3842, "conditional AWS::NoValue in a Function's Role").
        The role exists only under that condition (and the function's own), which is added to
        the template's conditions under a name no template can write: whatever the function
        holds for its role is read where it holds, as in a resource with a ``Condition``."""
        node = self.resources.get(function)
        own = node.get("Condition") if isinstance(node, PMap) else None
        own = own if isinstance(own, str) else None
        assumed = {own: True} if own is not None else {}
        where = _no_value_where(self.properties(function)["Role"], assumed, self.conditions)
        if where is None:
            return False
        if own is not None:
            where = {"Fn::And": [{"Condition": own}, where]} if where else {"Condition": own}
        if not where:
            return True  # in every deployment of the function: no condition of its own
        name = f"Role of {function} is AWS::NoValue"
        if holds(name, {**self.conditions, name: where}, written_operand, self.may_be) is False:
            return False  # no deployment leaves the Role out
        self.conditions[name] = where
        self.role_conditions[role_id] = name
        return True

    def globals_readers(self, root: PMap) -> tuple[tuple[Span, tuple[str, ...]], ...]:
        """Where ``Globals: Function:`` is written, with every function that reads it (those
        SAM generates a role for).  SAM merges its values into each function, but they keep
        their place in Globals, outside the function: like a value an alias copies, one is
        taken for ruled out by a function's Condition only where every reader's rules it out."""
        section = root.get("Globals")
        function = section.get("Function") if isinstance(section, PMap) else None
        readers = tuple(
            sorted(o for o in self.implicit_roles.values() if self.types[o] == SAM_FUNCTION)
        )
        if not isinstance(function, PMap) or function.span is None or not readers:
            return ()
        return ((function.span, readers),)

    # --- helpers ---------------------------------------------------------------------------------

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def key_ref(self, logical_id: str) -> SourceRef:
        return self.ref(self.resources.key_span_of(logical_id))

    def of_type(self, *kinds: str) -> list[str]:
        return [logical_id for logical_id, kind in self.types.items() if kind in kinds]

    def properties(self, logical_id: str) -> PMap:
        node = self.resources.get(logical_id)
        props = node.get("Properties") if isinstance(node, PMap) else None
        own = props if isinstance(props, PMap) else PMap()
        if not self.function_globals or self.types.get(logical_id) != SAM_FUNCTION:
            return own
        merged = self.function_properties.get(logical_id)
        if merged is None:
            ignored = node.get("IgnoreGlobals") if isinstance(node, PMap) else None
            merged = _with_globals(own, self.function_globals, ignored)
            self.function_properties[logical_id] = merged
        return merged

    def conditional(self, logical_id: str) -> bool:
        """Whether the resource is created only where a ``Condition`` holds."""
        node = self.resources.get(logical_id)
        return isinstance(node, PMap) and "Condition" in node

    def condition_of(self, logical_id: str) -> str | None:
        """The name of the ``Condition`` a resource is created under (of a role SAM generates,
        its function's, or the one made for where its Role is AWS::NoValue), None when it has
        none or one that is no name."""
        if logical_id in self.role_conditions:
            return self.role_conditions[logical_id]
        node = self.resources.get(self.implicit_roles.get(logical_id, logical_id))
        condition = node.get("Condition") if isinstance(node, PMap) else None
        return condition if isinstance(condition, str) else None

    def coexists(self, policy: str, holder: str, referenced: bool) -> bool:
        """Whether every deployment that creates ``holder`` also creates the policy resource
        ``policy``, as far as the template proves it: the policy has no Condition; or the holder
        refers to it (Ref, Fn::GetAtt), since a resource that depends on one a Condition leaves
        out is not created either (CloudFormation, Condition attribute); or both are created
        under the same condition.  Anything else (another condition, even one that implies the
        policy's) is taken as a deployment of the holder without the policy, so a Deny or a
        boundary in it limits the holder nowhere: assuming more would hide what it grants."""
        return referenced or self.under_holder_condition(self.condition_of(policy), holder)

    def under_holder_condition(self, condition: object, holder: str) -> bool:
        """Whether what a resource creates under ``condition`` (its Condition, None without
        one) is in every deployment of ``holder``: it has none, or the holder's own.  A policy
        resource's (:meth:`coexists`) and a SAM connector's (:meth:`connector_coexists`)."""
        return condition is None or condition == self.condition_of(holder)

    def has_properties(self, logical_id: str) -> bool:
        node = self.resources.get(logical_id)
        return isinstance(node, PMap) and isinstance(node.get("Properties"), PMap)

    def problem(self, message: str, span: Span | None, resource: str) -> None:
        self.inventory.problems.append(
            SourceProblem(INVALID_STATEMENT, message, self.ref(span), resource)
        )

    def single(self, container: PMap, key: str) -> Value | None:
        """A single-valued scalar property (the first option under Fn::If); None when absent."""
        if key not in container:
            return None
        return next(iter(self.resolver.scalar(container, key)), None)

    def values(self, container: Any, key: Any) -> list[Value]:
        """A string-or-list property as its Values, lists flattened."""
        span = span_in(container, key)
        return list(self.flatten(self.resolver.resolve(container[key], span), span))

    def flatten(self, node: Any, span: Span | None) -> Iterator[Value]:
        for option in _options(node):
            if isinstance(option, PSeq):
                for index, item in enumerate(option):
                    yield from self.flatten(item, option.span_at(index))
            else:
                yield from self.resolver.values(option, span)

    def references(self, node: Any, span: Span | None) -> Iterator[ManagedPolicyRef]:
        """A resolved list of managed-policy ARNs as references (see chosen_references)."""

        def leaf(item: Any, sequence: PSeq | None, index: int) -> Iterator[Value]:
            return self.resolver.values(item, span if sequence is None else sequence.span_at(index))

        return chosen_references(node, leaf)

    def links(self, container: PMap, key: str) -> Iterator[tuple[Any, Span | None]]:
        """The raw items of a list property (or the property itself when it is no list)."""
        node = container.get(key)
        if isinstance(node, PSeq):
            for index, item in enumerate(node):
                yield item, node.span_at(index)
        elif node is not None:
            yield node, container.span_of(key)

    # --- role names and ARNs ---------------------------------------------------------------------

    def role_arn(self, logical_id: str) -> Value | None:
        """The ARN of a role of this template (explicit or SAM implicit); None for anything else."""
        if logical_id in self.arns:
            return self.arns[logical_id]
        explicit = self.types.get(logical_id) == ROLE
        if not explicit and logical_id not in self.implicit_roles:
            return None
        span = self.resources.key_span_of(self.implicit_roles.get(logical_id, logical_id))
        if logical_id in self.in_progress:
            return Value(None, self.ref(span), f"reference cycle through role {logical_id}")
        self.in_progress.add(logical_id)
        try:
            if explicit:
                pairs = self.name_paths(self.properties(logical_id), "RoleName", "Path")
            else:  # SAM names the role it generates, and gives it the owner's RolePath
                owner = self.properties(self.implicit_roles[logical_id])
                pairs = self.name_paths(owner, None, "RolePath")
        finally:
            self.in_progress.discard(logical_id)
        arn, *others = self.iam_arns("role", logical_id, pairs)
        self.arns[logical_id] = arn
        self.other_arns[logical_id] = tuple(others)
        self.names[logical_id], self.paths[logical_id] = pairs[0]
        return arn

    def options(self, container: PMap, key: str) -> list[Value | None]:
        """Every value a single-valued scalar property (a name, a path) may have, in the order
        written (each branch of ``Fn::If``), with None for a branch that leaves it unset
        (``AWS::NoValue``); ``[None]`` when it is absent.  The first Value is :meth:`single`'s.

        Read as at the template's top level (Resolver.outside_branches): a resource's name and
        path are worked out when something first asks, maybe from inside an Fn::If branch of
        another resource, and kept for the whole template."""
        if key not in container:
            return [None]
        span = span_in(container, key)
        found: list[Value | None] = []
        with self.resolver.outside_branches():
            for option in _options(self.resolver.resolve(container[key], span)):
                found.extend([None] if option is NO_VALUE else self.resolver.values(option, span))
        return found or [None]

    def name_paths(
        self, props: PMap, name_key: str | None, path_key: str
    ) -> list[tuple[Value | None, Value | None]]:
        """Every (name, path) a resource may have (each of :meth:`options`), first the one it
        is shown with (the first name and path, as :meth:`single` reads them): each name with
        each path, but where one ``Fn::If`` on the same condition chooses both, each branch's
        name with that branch's path only (``prod-admin`` under ``/prod/`` where IsProd
        holds, ``dev-admin`` at ``/`` elsewhere, is never ``/prod/dev-admin``)."""
        names: list[Value | None] = [None]
        condition = None
        if name_key is not None:
            names, condition = self.options(props, name_key), _if_condition(props.get(name_key))
        paths = self.options(props, path_key)
        together = condition is not None and condition == _if_condition(props.get(path_key))
        if together and len(names) == len(paths) == 2:  # one option per branch
            pairs = list(zip(names, paths, strict=True))
        else:
            pairs = [(name, path) for name in names for path in paths]
        first = (_first(names), _first(paths))
        if any(name is first[0] and path is first[1] for name, path in pairs):
            pairs.insert(0, first)
        return pairs

    def iam_arns(
        self, noun: str, logical_id: str, pairs: list[tuple[Value | None, Value | None]]
    ) -> list[Value]:
        """The ARNs of the template's role, user, group or instance profile ``logical_id`` with
        each (name, path) of ``pairs`` (see :meth:`name_paths`), each once and in that order, at
        the resource.  An unset name is the one CloudFormation generates, an unset path "/"; a
        name not resolved has a stand-in (:meth:`unknown_name`)."""
        span = self.resources.key_span_of(self.implicit_roles.get(logical_id, logical_id))
        texts: dict[str, None] = {}
        for name, path in pairs:
            own = name.text if name is not None and name.text else None
            own = own or self.unknown_name(name, logical_id)
            texts[f"arn:aws:iam::{THIS_ACCOUNT}:{noun}{self.iam_path(path, logical_id)}{own}"] = (
                None
            )
        return [Value(text, self.ref(span)) for text in texts]

    def unknown_name(self, name: Value | None, logical_id: str) -> str:
        """The stand-in for the name of ``logical_id`` when ``name`` gives none rolelint knows:
        CloudFormation's generated name where it is unset (or empty), an unresolved name's where
        it is written but not known (``RoleName: !Ref Name``, a parameter without a default),
        which whoever deploys chooses and no message may call generated."""
        return name_stand_in(self.file, logical_id, name is not None and name.text is None)

    def iam_path(self, path: Value | None, logical_id: str) -> str:
        """The path in the ARN of the template's role, user or group ``logical_id``: "/" where
        its Path is absent (or empty); where it is written but not known (a parameter without
        a default, an import), a stand-in no path-less ARN matches (see unresolved_path)."""
        if path is None or path.text == "":
            return "/"
        if path.text is None:
            return unresolved_path(self.file, logical_id)
        return path.text

    def ref_name(self, logical_id: str) -> Value | None:
        """The name a role, user, group or instance profile of this template has, as its
        ``Ref`` returns it: the RoleName (UserName, GroupName, InstanceProfileName) its ARN is
        made of, or the stand-in for the name CloudFormation (or SAM) generates, which its ARN
        holds too; so ``!Sub ...:role/${AdminRole}`` names the role as ``!GetAtt
        AdminRole.Arn`` does, ``user/${Deployer}`` the user and ``instance-profile/${Profile}``
        the profile, as an ``ec2:InstanceProfile`` test compares it (a name not resolved: its
        stand-in, which the ARN holds too).  None for anything else."""
        kind = self.types.get(logical_id)
        if kind in (USER, GROUP):
            identity = self.identity_arn(logical_id)
            return self.identity_names.get(logical_id, identity)  # no name: a reference cycle
        if kind == INSTANCE_PROFILE:
            arn = self.profile_arns(logical_id)[0]
            name = self.profile_names.get(logical_id)
        else:
            found = self.role_arn(logical_id)
            if found is None:
                return None
            arn, name = found, self.names.get(logical_id)
        if arn.text is None:
            return arn  # a reference cycle through its name
        if name is not None and name.text:
            return name
        return Value(self.unknown_name(name, logical_id), arn.ref)

    def provider_arn(self, logical_id: str) -> Value | None:
        """The ARN of an OIDC or SAML provider of this template, as its Ref returns it: the
        issuer URL without its scheme, or the provider name (generated when not set).  An OIDC
        provider is the native type or CDK's custom resource, both given the issuer by ``Url``.
        A Url or Name that refers back to the provider (a cycle CloudFormation refuses) reads
        it as unresolved, as role_arn does, rather than recursing until the file is lost."""
        kind = self.types.get(logical_id)
        oidc = kind in OIDC_PROVIDERS
        if not oidc and kind != SAML_PROVIDER:
            return None
        span = self.resources.key_span_of(logical_id)
        if logical_id in self.in_progress:
            return Value(None, self.ref(span), f"reference cycle through provider {logical_id}")
        self.in_progress.add(logical_id)
        try:
            props = self.properties(logical_id)
            field = self.single(props, "Url" if oidc else "Name")
        finally:
            self.in_progress.discard(logical_id)
        if oidc:
            if field is None or field.text is None:
                return None
            return Value(oidc_provider_arn(field.text, THIS_ACCOUNT), self.ref(span))
        name = field
        if name is not None and name.text:
            text = name.text
        elif name is not None and name.text is None:  # written but not known: none generates it
            text = f"<unresolved name:{stand_in_escaped(logical_id)}>"
        else:  # unset (or empty): CloudFormation generates it
            text = f"<generated:{stand_in_escaped(logical_id)}>"
        return Value(f"arn:aws:iam::{THIS_ACCOUNT}:saml-provider/{text}", self.ref(span))

    def identity_arn_of(self, logical_id: str) -> Value | None:
        """The ARN of a user or group of this template, as its ``Fn::GetAtt Arn`` returns it;
        None for anything else.  A group is no principal (IAM refuses one in a Principal
        element, which RL111 says once it is known), but a policy's Resource names groups:
        left unresolved, ``iam:PutGroupPolicy`` on ``!GetAtt Devs.Arn`` named no group, and a
        member writing its own group's policy went unseen."""
        if self.types.get(logical_id) not in (USER, GROUP):
            return None
        return self.identity_arn(logical_id)

    def identity_arn(self, logical_id: str) -> Value:
        """The ARN of a user or group of this template: its Path and name (one CloudFormation
        generates when none is given), at the resource."""
        if logical_id in self.identity_arns:
            return self.identity_arns[logical_id]
        span = self.resources.key_span_of(logical_id)
        if logical_id in self.in_progress:
            return Value(None, self.ref(span), f"reference cycle through {logical_id}")
        is_user = self.types[logical_id] == USER
        self.in_progress.add(logical_id)
        try:
            props = self.properties(logical_id)
            pairs = self.name_paths(props, "UserName" if is_user else "GroupName", "Path")
        finally:
            self.in_progress.discard(logical_id)
        arn, *others = self.iam_arns("user" if is_user else "group", logical_id, pairs)
        self.names[logical_id], self.paths[logical_id] = pairs[0]
        name = pairs[0][0]
        if name is None or not name.text:
            name = Value(self.unknown_name(name, logical_id), self.ref(span))
        self.identity_arns[logical_id] = arn
        self.other_arns[logical_id] = tuple(others)
        self.identity_names[logical_id] = name
        return arn

    def profile_arn(self, logical_id: str) -> Value | None:
        """The ARN of an instance profile of this template, as its ``Fn::GetAtt Arn`` returns
        it (the first of :meth:`profile_arns`); None for anything else."""
        if self.types.get(logical_id) != INSTANCE_PROFILE:
            return None
        return self.profile_arns(logical_id)[0]

    def profile_arns(self, logical_id: str) -> list[Value]:
        """Every ARN the template's instance profile ``logical_id`` may have: its Path and
        InstanceProfileName (one CloudFormation generates when none is given), as IAM names
        it; an ``ec2:InstanceProfile`` test compares these, not the logical id."""
        if logical_id in self.profile_arn_lists:
            return self.profile_arn_lists[logical_id]
        if logical_id in self.in_progress:
            span = self.resources.key_span_of(logical_id)
            return [Value(None, self.ref(span), f"reference cycle through {logical_id}")]
        self.in_progress.add(logical_id)
        try:
            pairs = self.name_paths(self.properties(logical_id), "InstanceProfileName", "Path")
        finally:
            self.in_progress.discard(logical_id)
        arns = self.iam_arns("instance-profile", logical_id, pairs)
        self.profile_arn_lists[logical_id] = arns
        self.profile_names[logical_id] = pairs[0][0]
        return arns

    def name_index(self, kinds: tuple[str, ...]) -> dict[str, str]:
        """Resolved physical names of the template's roles (or users, groups) -> logical id;
        each name an ``Fn::If`` may give one (the resource is in :attr:`chosen_names`)."""
        if kinds in self.name_indexes:
            return self.name_indexes[kinds]
        keys = {ROLE: "RoleName", USER: "UserName", GROUP: "GroupName"}
        index: dict[str, str] = {}
        self.name_indexes[kinds] = index
        for logical_id in self.of_type(*kinds):
            names = self.options(self.properties(logical_id), keys[self.types[logical_id]])
            if len({name.text if name is not None else None for name in names}) > 1:
                self.chosen_names.add(logical_id)
            for name in names:
                if name is not None and name.text:
                    index.setdefault(name.text, logical_id)
        return index

    def targets(self, container: PMap, key: str, kinds: tuple[str, ...]) -> list[str]:
        """The logical ids of this template's resources of ``kinds`` a property names in every
        deployment (see :meth:`linked` for those an ``Fn::If`` chooses)."""
        return [target for target, chosen in self.linked(container, key, kinds) if not chosen]

    def linked(
        self, container: PMap, key: str, kinds: tuple[str, ...], condition: str | None = None
    ) -> list[tuple[str, bool]]:
        """The logical ids of this template's resources of ``kinds`` a property names, by
        reference or by name, each with whether only some deployments name it (a reference in
        a branch of ``Fn::If``; a name is taken as in every deployment, as it always was); each
        once, named in every deployment when it is anywhere.  ``condition``: that of the
        resource the property is read in (see :meth:`referenced`)."""
        found: dict[str, bool] = {}
        for item, span in self.links(container, key):
            references, rest = self.referenced(item, kinds, condition)
            for target, chosen in references:
                found[target] = found.get(target, True) and chosen
            for value in self.flatten(self.resolver.resolve(rest, span), span):
                if value.text is not None:
                    by_name = self.name_index(kinds).get(value.text)
                    if by_name is not None:  # where it has that name, when a condition chooses
                        chosen = by_name in self.chosen_names
                        found[by_name] = found.get(by_name, True) and chosen
        return list(found.items())

    def referenced(
        self, item: Any, kinds: tuple[str, ...], condition: str | None = None
    ) -> tuple[list[tuple[str, bool]], Any]:
        """The template's resources of ``kinds`` an item of a list property refers to (``Ref``,
        ``Fn::GetAtt``), also in the branches of ``Fn::If`` (``!If [IsProd, !Ref Admin, !Ref
        AWS::NoValue]``), each with whether a branch chooses it; and the item with those
        references made ``AWS::NoValue``, whose values are resolved as before (each branch
        with the parameters its condition rules out).  In a resource created under
        ``condition``, an Fn::If on it always takes its first branch: a reference there is in
        every deployment of the resource, one in the second branch in none."""
        found, rest = self.referenced_where(item, kinds, condition)
        return [(target, chosen) for target, chosen, _ in found], rest

    def referenced_where(
        self, item: Any, kinds: tuple[str, ...], condition: str | None = None
    ) -> tuple[list[tuple[str, bool, Deployment | None]], Any]:
        """:meth:`referenced`, each reference with the branches of the conditions of the
        ``Fn::If`` s around it, as the resolver names them (Choice.when): it is there wherever
        all of them hold, and nowhere else, as an ``Fn::If`` takes one branch or the other.
        None where one of them names no condition (nor an empty set: no Fn::If chooses it)."""
        found: list[tuple[str, bool, Deployment | None]] = []
        assumed = {condition: True} if condition else {}
        rest = self._without_references(item, kinds, False, found, assumed, frozenset())
        return found, rest

    def _without_references(
        self,
        node: Any,
        kinds: tuple[str, ...],
        chosen: bool,
        found: list[tuple[str, bool, Deployment | None]],
        assumed: Mapping[str, bool],
        under: Deployment | None,
    ) -> Any:
        """:meth:`referenced_where` of ``node``, read where the conditions of ``assumed`` have
        their truth (the resource's Condition, the Fn::If branches around it), the undecided
        ones of which are ``under``."""
        target = intrinsic_target(node)
        if target is not None and self.is_kind(target, kinds):
            found.append((target, chosen, under or None))
            return _no_value(node)
        if isinstance(node, PSeq):  # a branch's list
            return node.with_items(
                [
                    self._without_references(item, kinds, chosen, found, assumed, under)
                    for item in node
                ]
            )
        arguments = node.get("Fn::If") if is_intrinsic(node) else None
        if not isinstance(arguments, PSeq) or len(arguments) != 3:
            return node
        name = arguments[0]
        taken = decided_where(name, assumed, self.conditions)
        if taken is not None:
            # The resolver reads this Fn::If as that branch only too (Resolver.condition).
            branch = arguments[1] if taken else arguments[2]
            return self._without_references(branch, kinds, chosen, found, assumed, under)
        branches = [
            self._without_references(
                arguments[index],
                kinds,
                True,
                found,
                {**assumed, name: index == 1} if isinstance(name, str) else assumed,
                self.branch_under(under, name, index == 1),
            )
            for index in (1, 2)
        ]
        if branches[0] is arguments[1] and branches[1] is arguments[2]:
            return node
        written = PSeq(arguments.span)
        written.add(arguments[0], arguments.span_at(0))
        for index, branch in enumerate(branches, start=1):
            written.add(branch, arguments.span_at(index))
        copy = PMap(node.span)
        copy.set("Fn::If", written, node.key_span_of("Fn::If"), node.span_of("Fn::If"))
        return copy

    def is_kind(self, logical_id: str, kinds: tuple[str, ...]) -> bool:
        if logical_id in self.implicit_roles:
            return ROLE in kinds
        return self.types.get(logical_id) in kinds

    # --- documents -------------------------------------------------------------------------------

    def document(
        self,
        container: PMap,
        key: str,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
        unread: list[ManagedPolicyRef] | None = None,
    ) -> PolicyDocument | None:
        """The policy document ``container[key]`` writes.  A permissions policy an ``Fn::If``
        branch leaves out (``PolicyDocument: !If [C, {...}, !Ref AWS::NoValue]``) is optional,
        as one the condition chooses whole is: the builder reads the other branch alone, as if
        written always, but the deployments taking the NoValue branch have none of it, so its
        Denies limit nothing else its holder has there."""
        span = span_in(container, key)
        resolved = self.resolver.resolve(container[key], span)
        document = self.build(
            resolved,
            span,
            kind=kind,
            resource=resource,
            origin=origin,
            unread=unread,
        )
        if document is not None and kind is PolicyKind.PERMISSIONS and _leaves_out(resolved):
            return replace(document, optional=True, deployed_under=_written_under(resolved))
        return document

    def build(
        self,
        node: Any,
        span: Span | None,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
        unread: list[ManagedPolicyRef] | None = None,
    ) -> PolicyDocument | None:
        """A resolved document node -> model; a node of the wrong shape is a reported problem.
        A text rolelint cannot read (a parameter, an import) is said in a note and, when the
        caller holds the policy (``unread``), added there as an unread policy."""
        if isinstance(node, Choice):
            node = node.mapped(self.read_back)
        node = self.read_back(node)
        if isinstance(node, Value) and node.text is None:  # an import, a parameter ...
            reason = node.unresolved_reason or "not known before deployment"
            self.resolver.notice(span, f"the {origin} is not analyzed: {self.why_unknown(node)}")
            if unread is not None:
                unread.append(unread_policy(origin, Value(None, self.ref(span), reason)))
            return None
        if isinstance(node, Choice) and all(_not_known(option) for option in node.options):
            reasons = sorted({o.unresolved_reason or "" for o in node.options if _not_known(o)})
            known = "; ".join(reason for reason in reasons if reason) or "not known"
            self.resolver.notice(span, f"the {origin} is not analyzed: {known}")
            if unread is not None and any(option is not NO_VALUE for option in node.options):
                unread.append(unread_policy(origin, Value(None, self.ref(span), known)))
            return None
        if isinstance(node, Choice):
            node = node.mapped(lambda option: self.branch_json(option, resource, origin))
        elif isinstance(node, Value) and node.text is not None:
            node = self.embedded_json(node.text, span, self.text_places(node, span))
        elif isinstance(node, str):
            node = self.embedded_json(node, span, self.text_places(node, span))
        if isinstance(node, Value):  # JSON text over the budget: said once, where it stops
            return None
        built = self.builder.document(node, span, kind=kind, resource=resource, origin=origin)
        if built is None and not isinstance(node, Choice):
            self.problem(f"the {origin} is not a policy document object", span, resource)
        return built

    def read_back(self, node: Any) -> Any:
        """A node where a whole policy document is expected: the text of ``Fn::ToJsonString``
        is the object it was made of, as CloudFormation reads it back; any other as it is."""
        found = self.resolver.json_object(node)
        return node if found is None else found

    def branch_json(self, option: Any, resource: str, origin: str) -> Any:
        """One branch of a document chosen by ``Fn::If``: a JSON text is the policy it reads
        back as, as a document written as text alone is, so that the builder weighs it as the
        branch it is; a text that is no JSON is no policy IAM would take in that branch."""
        if not isinstance(option, Value) or option.text is None:
            return option  # an object, NoValue, or a value not known: as the builder takes it
        read = self.embedded_json(
            option.text, option.ref.span, self.text_places(option, option.ref.span)
        )
        if isinstance(read, str):
            message = f"the {origin} is not a policy document object"
            self.problem(message, option.ref.span, resource)
        return read

    def embedded_json(self, text: str, span: Span | None, places: Places | None) -> Any:
        """CloudFormation also accepts a policy as JSON text, written at ``span``: its elements
        are placed where their text is written, by ``places`` (text_places), else, where the
        file does not say that exactly, at the whole text."""
        from rolelint.parsers.json_loader import load_json

        refused = self.resolver.spend(len(text), MAX_POLICY_TEXT, POLICY_TEXT_TOO_MUCH, span)
        if refused is not None:
            return refused
        try:
            loaded = load_json(self.file, text)
        except LoadError:
            return text
        if places is None:
            # Positions inside the text are not the file's: its duplicate keys are at the text.
            for duplicate in loaded.duplicates:
                self.embedded_duplicates[DuplicateKey(duplicate.key, span, span)] = None
            return self.resolver.resolve(pinned(loaded.root, span), span)
        move = json_mover(text, places)
        for duplicate in loaded.duplicates:
            first, second = duplicate.first, duplicate.second
            found = DuplicateKey(duplicate.key, first and move(first), second and move(second))
            self.embedded_duplicates[found] = None
        return self.resolver.resolve(moved(loaded.root, move), span)

    def text_places(self, node: str | Value, span: Span | None) -> Places | None:
        """Where each character of a policy's JSON text is written (rolelint.parsers.
        text_places), or None where the file does not say exactly.  A text written at
        ``span``, there; a value (an ``Fn::If`` branch) at its own place, when the text
        written there is that value (a parameter's is not: its place holds the ``Ref``); a
        text an ``Fn::Sub`` made, through its template."""
        in_json = self.loaded.in_json
        if isinstance(node, str):
            return written_places(self.lines(), span, node, in_json=in_json)
        if node.text is None or node.ref.file != self.file:
            return None
        sub = self.resolver.sub_text(node)
        if sub is None:
            return written_places(self.lines(), node.ref.span, node.text, in_json=in_json)
        if sub.segments is None:
            return None
        places = written_places(self.lines(), sub.span, sub.template, in_json=in_json)
        return None if places is None else substituted(places, sub.segments)

    def lines(self) -> list[str]:
        """The template's lines, as its loader breaks them, split once when first needed."""
        if self.text_lines is None:
            breaks = UNIVERSAL_BREAKS if self.loaded.in_json else YAML_BREAKS
            self.text_lines = split_lines(self.loaded.text, breaks)
        return self.text_lines

    def why_unknown(self, text: Value) -> str:
        """Why a policy's text is not known: its reason, or, of a JSON text an ``Fn::Sub``
        makes, each ``${...}`` only the deployment gives a value (and its reason): the JSON
        CloudFormation reads is the text after they are substituted, so none of it is."""
        reason = text.unresolved_reason or "not known before deployment"
        sub = self.resolver.sub_text(text)
        if sub is None or not sub.unknown:
            return reason
        named = ", ".join(f"{written} ({why})" for written, why in sub.unknown)
        return f"its JSON text is made by Fn::Sub with values not known before deployment: {named}"

    def inline_policies(self, props: PMap, holder: _Holder, noun: str) -> None:
        """``Policies: [{PolicyName, PolicyDocument}]`` of a role, user or group, attached to
        ``holder``; one whose text rolelint cannot read is held as unread."""
        if "Policies" not in props:
            return
        resolved = self.resolver.resolve(props["Policies"], props.span_of("Policies"))
        chosen = isinstance(resolved, Choice)
        unread: list[ManagedPolicyRef] = []
        for option, listed in _options_under(resolved):
            items = option if isinstance(option, PSeq) else [option]
            for index, entry in enumerate(items):
                optional = chosen or isinstance(entry, Choice)
                for item, entered in _options_under(entry):
                    if item is NO_VALUE:
                        continue
                    span = option.span_at(index) if isinstance(option, PSeq) else None
                    if isinstance(item, Value) and item.text is None:
                        # Brought by Fn::Transform (AWS::Include), or a parameter: deployed,
                        # so held as unread rather than dropped (the role is not "none").
                        whole = not isinstance(option, PSeq)
                        origin = f"inline polic{'ies' if whole else 'y'} of {noun} {holder.id}"
                        reason = item.unresolved_reason or "not known before deployment"
                        said = "the " + origin + " are" if whole else "an " + origin + " is"
                        self.resolver.notice(item.ref.span, f"{said} not analyzed: {reason}")
                        unread.append(unread_policy(origin, item))
                        continue
                    if not isinstance(item, PMap) or "PolicyDocument" not in item:
                        if not isinstance(item, Value):
                            self.problem(
                                f"an inline policy of {noun} {holder.id} needs a PolicyDocument",
                                span or props.span_of("Policies"),
                                holder.id,
                            )
                        continue
                    name = self.policy_name(item, "PolicyName")
                    document = self.document(
                        item,
                        "PolicyDocument",
                        kind=PolicyKind.PERMISSIONS,
                        resource=holder.id,
                        origin=f"inline policy '{name}' of {noun} {holder.id}",
                        unread=unread,
                    )
                    if document is not None and optional:
                        # Chosen besides by the list or the entry: deployed where their
                        # branches and its document's all hold.
                        under = _held_under(document, listed, entered)
                        holder.attach(replace(document, optional=True, deployed_under=under))
                    elif document is not None:
                        holder.attach(document)
        for reference in unread:
            holder.add_managed(reference)

    def policy_name(self, container: PMap, key: str) -> str:
        value = next(iter(self.builder.field(container, key)), None) if key in container else None
        return value.display() if value is not None else "?"

    def branch_under(self, under: Deployment | None, name: Any, first: bool) -> Deployment | None:
        """``under`` and the branch of an ``Fn::If`` on ``name`` (its first, or its second),
        named as the resolver names it (Resolver.condition_key), so that a reference there
        and an ARN the resolver reads beside it say the same branches; None where ``name`` is
        no condition the resolver names, or ``under`` is not known."""
        named = self.resolver.condition_key(name)
        if under is None or named is None:
            return None
        key, same = named
        return joined_branches((under, frozenset({(key, first == same)})))

    def managed_arns(self, props: PMap, holder: _Holder, key: str = "ManagedPolicyArns") -> None:
        """ARNs become ManagedPolicyRefs; a Ref to this template's ManagedPolicy attaches it
        (in the deployments whose Fn::If branch names it)."""
        for item, span in self.links(props, key):
            references, rest = self.referenced_where(
                item, (MANAGED_POLICY,), self.condition_of(holder.id)
            )
            for target, chosen, where in references:
                self.pending.append((target, holder, chosen, True, where))
            for reference in self.references(self.resolver.resolve(rest, span), span):
                refused = not_an_arn(reference)
                if refused is not None:
                    self.resolver.notice(reference.arn.ref.span, f"{key} of {holder.id}: {refused}")
                    continue
                self.attach_managed(reference, holder)

    def attach_managed(self, reference: ManagedPolicyRef, holder: _Holder) -> None:
        """An ARN of this account naming the template's own ManagedPolicy by name and path
        attaches that policy (no dependency on the policy resource); any other is a
        reference to a policy outside the template."""
        named = self.policy_named_by(reference)
        if named is not None:
            target, optional = named
            # Its branches say where it is attached unless an Fn::If chooses its name too.
            where = None if target in self.chosen_names else reference.when
            self.pending.append((target, holder, optional, False, where))
        else:
            holder.add_managed(reference)

    def policy_named_by(self, reference: ManagedPolicyRef) -> tuple[str, bool] | None:
        """The template's managed policy a reference names by its ARN, and whether only some
        deployments have it by that name (the reference chosen by a condition, or a name an
        ``Fn::If`` gives the policy); None when it names none of them."""
        named = self.managed_policy_named(reference.arn.text)
        if named is None:
            return None
        return named, reference.optional or named in self.chosen_names

    def managed_policy_named(self, arn: str | None) -> str | None:
        """The logical id of this template's managed policy an ARN names by its name and path
        in this account (``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team-admin``
        for a ManagedPolicyName of team-admin), as a Ref to it would; None for any other."""
        rest = _after_partition(arn)
        return None if rest is None else self.managed_policy_index().get(rest)

    def policy_arn(self, logical_id: str) -> Value | None:
        """The ARN of a managed policy of this template, as its ``Ref`` and ``Fn::GetAtt
        PolicyArn`` return it (``iam:PolicyARN: !Ref AdminPolicy`` names the policy, as its
        ARN written out does); None for anything else, and where it is not known (see
        :meth:`managed_policy_arn`)."""
        if self.types.get(logical_id) != MANAGED_POLICY:
            return None
        text = self.managed_policy_arn(logical_id)
        return Value(text, self.ref(self.resources.key_span_of(logical_id))) if text else None

    def managed_policy_arn(self, logical_id: str) -> str | None:
        """The ARN of this template's managed policy ``logical_id`` in this account, when its
        name is known and no ``Fn::If`` chooses it; None otherwise."""
        if self.policy_arns is None:  # the index fills chosen_names: built first
            self.policy_arns = {}
            for arn, named in self.managed_policy_index().items():
                self.policy_arns.setdefault(named, f"arn:aws:{arn}")
        if logical_id in self.chosen_names:
            return None
        return self.policy_arns.get(logical_id)

    def managed_policy_index(self) -> dict[str, str]:
        """``iam::<this account>:policy<path><name>`` of each managed policy of the template
        whose name is known, or generated (the stand-in of generated_name, as a role's ARN
        has), or given by an import (the stand-ins of unresolved_name and unresolved_path,
        which rolelint.stack_exports replaces by the exported text) -> its logical id."""
        key = (MANAGED_POLICY,)
        if key in self.name_indexes:
            return self.name_indexes[key]
        index: dict[str, str] = {}
        self.name_indexes[key] = index
        for logical_id in self.of_type(MANAGED_POLICY):
            named = self.name_paths(self.properties(logical_id), "ManagedPolicyName", "Path")
            self.names[logical_id], self.paths[logical_id] = named[0]
            pairs = {
                (
                    _text(name, unresolved_name(self.file, logical_id)),
                    _text(path, unresolved_path(self.file, logical_id)),
                )
                for name, path in named
            }
            if len(pairs) > 1:
                self.chosen_names.add(logical_id)  # each name an Fn::If gives, where it does
            for name, path in sorted(pairs, key=str):
                if name is None:  # CloudFormation generates it
                    name = generated_name(self.file, logical_id)
                if not name or (path is not None and not path):
                    continue  # a name or path not known
                prefix = path if path is not None else "/"
                index.setdefault(f"iam::{THIS_ACCOUNT}:policy{prefix}{name}", logical_id)
        return index

    # --- passes ----------------------------------------------------------------------------------

    def parse(self) -> Inventory:
        # Template order: a SAM implicit role stands where its function stands.
        order = {logical_id: index for index, logical_id in enumerate(self.types)}
        for role_id, function in self.implicit_roles.items():
            order[role_id] = order[function]
        roles = [self.draft_role(i) for i in self.of_type(ROLE)]
        roles += [self.draft_implicit_role(i) for i in self.implicit_roles]
        roles.sort(key=lambda draft: order[draft[0]])
        identities = [self.draft_identity(i) for i in self.of_type(USER, GROUP)]
        self.attach_policies()
        self.sam_connectors()
        self.permission_sets()
        self.link_profiles()
        self.inventory.roles.extend(role for role in (self.finish_role(r) for r in roles) if role)
        memberships = self.memberships()
        self.inventory.identities.extend(
            replace(
                identity,
                groups=tuple(
                    g for g, chosen in memberships.get(identity.id, {}).items() if not chosen
                ),
                optional_groups=tuple(
                    g for g, chosen in memberships.get(identity.id, {}).items() if chosen
                ),
            )
            for identity in (self.finish_identity(i) for i in identities)
        )
        self.inventory.compute.extend(self.compute())
        self.inventory.problems.extend(self.builder.problems)
        self.note_unread_statements()
        self.inventory.problems.extend(self.duplicates())
        self.inventory.suppressions.extend(self.suppression_directives())
        self.embedded_templates()
        self.nested_stacks()
        self.inventory.exports.extend(self.stack_exports())
        return self.inventory

    def note_unread_statements(self) -> None:
        """A note at each statement (or whole ``Statement``) the policy builder skipped because
        it is not known (``[!Ref P, {...}]``, ``!ImportValue X``): it is not analyzed, and
        nothing else would say so, the known statements beside it being judged alone."""
        for unread in self.builder.unread:
            self.resolver.notice(unread.value.ref.span, unread.message)
        self.builder.unread.clear()

    def stack_exports(self) -> Iterator[StackExport]:
        """The values ``Outputs`` export under a name the template spells out, as the template
        resolves them (a role's ``Fn::GetAtt Arn``, a managed policy's ``Ref``): what an
        ``Fn::ImportValue`` of that name in another template of the run reads.  A value an
        ``Fn::If`` chooses is not known."""
        if not isinstance(self.outputs, PMap):
            return
        for output in self.outputs.values():
            if not isinstance(output, PMap) or "Value" not in output:
                continue
            export = output.get("Export")
            if not isinstance(export, PMap) or "Name" not in export:
                continue
            name = self.resolver.export_name(export["Name"], export.span_of("Name"))
            if name is None:
                continue
            values = self.resolver.scalar(output, "Value")
            if len(values) == 1:
                yield StackExport(name, values[0])
            else:
                chosen = Value(None, self.ref(output.span_of("Value")), "chosen by a condition")
                yield StackExport(name, chosen)

    def embedded_templates(self) -> None:
        """A notice for each StackSet whose ``TemplateBody`` is a template holding resources
        rolelint reads: the stack instances create those roles in other accounts, from a text
        this template only carries, and passing over them without a word would look like a
        clean result.  (A body built by a function or a packaging tool's tag is not known.)"""
        for logical_id in self.of_type(STACK_SET):
            props = self.properties(logical_id)
            body = props.get("TemplateBody")
            if not isinstance(body, str):
                continue
            kinds = sorted(kind for kind in READ_TYPES if re.search(rf"{kind}(?![\w:])", body))
            if kinds:
                self.resolver.notice(
                    props.span_of("TemplateBody"),
                    f"the TemplateBody of StackSet {logical_id} is a template with "
                    f"{', '.join(kinds[:3])}{' and more' if len(kinds) > 3 else ''} resources, "
                    "which is not analyzed: check that template as a file of its own",
                )

    def nested_stacks(self) -> None:
        """A notice for each nested stack that passes ``Parameters`` to its template: that
        template, scanned as a file of its own, is judged with its own parameter defaults, so
        a value the parent passes (``TrustedPrincipal: "*"``) is never seen, and a finding on
        a default the parent replaces may not hold.  Passing them on is not done.  A SAM
        application is such a stack too: SAM writes it as one, with the same Parameters."""
        for logical_id in self.of_type(NESTED_STACK, SAM_APPLICATION):
            props = self.properties(logical_id)
            passed = props.get("Parameters")
            if passed is None or (isinstance(passed, PMap) and not passed):
                continue
            self.resolver.notice(
                props.key_span_of("Parameters"),
                f"nested stack {logical_id} passes Parameters to "
                f"{self.nested_template(logical_id, props)}: scanned as a file of its own, that "
                "template is analyzed with its own parameter defaults, not these values",
            )

    def nested_template(self, logical_id: str, props: PMap) -> str:
        """The template a nested stack deploys, as messages name it: its TemplateURL, or a SAM
        application's Location (a path or URL, or the application's id and version); a text
        Fn::Sub builds is named as written, since it names the file.

        CDK's TemplateURL is the S3 copy of a template it synthesized beside this one, its
        placeholders unresolved; the resource's ``aws:asset:path`` (with ``aws:asset:property``
        naming that property) records the file, named here beside this template, as the run
        names it (``cdk.out/App.nested.template.json``)."""
        key = "Location" if self.types[logical_id] == SAM_APPLICATION else "TemplateURL"
        asset = self.asset_path(logical_id, key)
        if asset is not None:
            return os.path.join(os.path.dirname(self.file), asset)
        location = props.get(key)
        if isinstance(location, PMap) and not is_intrinsic(location):
            found = [self.single(location, name) for name in ("ApplicationId", "SemanticVersion")]
            application, version = (value.display() if value else "?" for value in found)
            return f"application {application} version {version}"
        url = self.single(props, key)
        if url is None:
            return f"<no {key}>"
        if url.text is None:  # the file it names, as it is written
            return _sub_text(location) or url.display()
        return url.display()

    def asset_path(self, logical_id: str, key: str) -> str | None:
        """The file CDK records as the asset a resource's property ``key`` is deployed from
        (``Metadata: {aws:asset:path: ..., aws:asset:property: key}``), relative to the
        template's folder; None when there is none, or it is not a text."""
        node = self.resources.get(logical_id)
        metadata = node.get("Metadata") if isinstance(node, PMap) else None
        if not isinstance(metadata, PMap) or metadata.get("aws:asset:property") != key:
            return None
        path = metadata.get("aws:asset:path")
        return path if isinstance(path, str) and path else None

    def memberships(self) -> dict[str, dict[str, bool]]:
        """The groups of the template each user belongs to (by logical id), each with whether
        only some deployments add it (an ``Fn::If`` chooses the group or the user, or the
        addition has a Condition): a user's Groups, and AWS::IAM::UserToGroupAddition.  A user
        holds its groups' policies, so their grants (sts:AssumeRole on an admin role, say) are
        the user's."""
        found: dict[str, dict[str, bool]] = {}

        def add(user: str, group: str, chosen: bool) -> None:
            groups = found.setdefault(user, {})
            groups[group] = groups.get(group, True) and chosen

        for user in self.of_type(USER):
            for group, chosen in self.linked(self.properties(user), "Groups", (GROUP,)):
                add(user, group, chosen)
        for addition in self.of_type(USER_TO_GROUP):
            props = self.properties(addition)
            for group, group_chosen in self.linked(props, "GroupName", (GROUP,)):
                for user, user_chosen in self.linked(props, "Users", (USER,)):
                    # Under the user's own Condition, the addition is made wherever the user is.
                    optional = not self.coexists(addition, user, referenced=False)
                    add(user, group, optional or group_chosen or user_chosen)
        return found

    def suppression_directives(self) -> list[SuppressionDirective]:
        """``Metadata: {rolelint: {ignore: [{id, reason, expires}]}}`` of every resource, as
        written (rolelint.suppressions judges them; a malformed one is kept without ids or
        reason, so that it is reported rather than ignored)."""
        found: list[SuppressionDirective] = []
        # A function's findings name the role SAM generates for it: its Metadata covers them
        # (a GraphQL API's, each of its roles').
        generated: dict[str, tuple[str, ...]] = {}
        for role, owner in self.implicit_roles.items():
            generated[owner] = (*generated.get(owner, ()), role)
        in_json = self.loaded.in_json  # messages write JSON or YAML as the template was read
        for logical_id, node in self.resources.items():
            metadata = node.get("Metadata") if isinstance(node, PMap) else None
            if not isinstance(metadata, PMap) or "rolelint" not in metadata:
                continue
            own = metadata["rolelint"]
            entries = own.get("ignore") if isinstance(own, PMap) else None
            if not isinstance(entries, PSeq):
                span = metadata.key_span_of("rolelint")
                line, column = (span.line, span.column) if span else (0, None)
                found.append(
                    SuppressionDirective(
                        self.file, line, (), None, None, logical_id, column=column, in_json=in_json
                    )
                )
                continue
            for index, entry in enumerate(entries):
                span = entries.span_at(index)
                directive = self.suppression_entry(entry, span.line if span else 0, logical_id)
                column = span.column if span else None
                also = generated.get(logical_id, ())
                found.append(replace(directive, also=also, column=column, in_json=in_json))
        return found

    def suppression_entry(self, entry: Any, line: int, logical_id: str) -> SuppressionDirective:
        if not isinstance(entry, PMap):
            return SuppressionDirective(self.file, line, (), None, None, logical_id)
        ids = entry.get("id")
        if isinstance(ids, str):
            rule_ids: tuple[str, ...] = (ids,)
        elif isinstance(ids, PSeq):
            # Every item, as written: one left out (``[RL102]``, null) went unsaid.
            rule_ids = tuple(_as_written(i) for i in ids)
        else:
            rule_ids = ()
        reason = entry.get("reason")
        # Present, it is kept whatever it is (a list, a map, an intrinsic function, null), to
        # be judged: taken as "no expiry", it suppressed for ever without a word.
        expires = _as_written(entry["expires"]) if "expires" in entry else None
        # Kept, to be reported: a misspelt ``expire`` would otherwise suppress for ever.
        unknown = tuple(str(key) for key in entry if key not in METADATA_SUPPRESSION_KEYS)
        return SuppressionDirective(
            self.file,
            line,
            rule_ids,
            reason if isinstance(reason, str) else None,
            expires,
            resource=logical_id,
            unknown_keys=unknown,
        )

    def draft_role(self, logical_id: str) -> tuple[str, _Holder, PolicyDocument | None]:
        holder = _Holder(id=logical_id, ref=self.key_ref(logical_id))
        self.holders[logical_id] = holder
        props = self.properties(logical_id)
        trust = None
        if "AssumeRolePolicyDocument" in props:
            trust = self.document(
                props,
                "AssumeRolePolicyDocument",
                kind=PolicyKind.TRUST,
                resource=logical_id,
                origin=f"trust policy of role {logical_id}",
            )
        self.inline_policies(props, holder, "role")
        self.managed_arns(props, holder)
        return logical_id, holder, trust

    def draft_implicit_role(self, role_id: str) -> tuple[str, _Holder, PolicyDocument | None]:
        """The role SAM creates for a function or state machine that names none (or for a
        GraphQL API, see draft_api_role)."""
        if role_id in self.api_roles:
            return self.draft_api_role(role_id)
        owner = self.implicit_roles[role_id]
        service, noun = SAM_ROLE_OWNERS[self.types[owner]]
        span = self.resources.key_span_of(owner)
        holder = _Holder(id=role_id, ref=self.ref(span))
        self.holders[role_id] = holder
        props = self.properties(owner)
        origin = f"trust policy of role {role_id} (of {noun} {owner})"
        written = "AssumeRolePolicyDocument" in props
        if written and self.types[owner] in SAM_TRUST_SETTERS:
            trust = self.document(
                props,
                "AssumeRolePolicyDocument",
                kind=PolicyKind.TRUST,
                resource=role_id,
                origin=origin,
            )
        else:
            if written:  # SAM refuses a property it does not define, and writes its own trust
                self.resolver.notice(
                    props.key_span_of("AssumeRolePolicyDocument"),
                    f"AssumeRolePolicyDocument is not a property of {self.types[owner]} (SAM"
                    f" refuses it): it is not read, and the role SAM generates for {noun}"
                    f" {owner} trusts {service} with no condition",
                )
            trust = self.builder.document(
                _service_trust(service, span),
                span,
                kind=PolicyKind.TRUST,
                resource=role_id,
                origin=origin,
            )
        if service == LAMBDA_SERVICE:
            holder.add_managed(ManagedPolicyRef(Value(SAM_BASIC_EXECUTION, self.ref(span))))
        for reference in self.sam_added_policies(self.types[owner], props):
            holder.add_managed(reference)
        before: list[PMap] = []  # SAM's inline documents, before its events add theirs
        if self.types[owner] == SAM_FUNCTION:
            parameters = self.resolver.context.parameters
            added, notes = destination_policies(owner, holder.id, props, parameters)
            before = [policy.document for policy in added if policy.document is not None]
            self.sam_function_policies(owner, added, notes, holder)
        self.sam_policies(f"{noun} {owner}", props, holder)
        if self.types[owner] == SAM_FUNCTION:
            added, notes = event_policies(owner, holder.id, props, before)
            self.sam_function_policies(owner, added, notes, holder)
        return role_id, holder, trust

    def draft_api_role(self, role_id: str) -> tuple[str, _Holder, PolicyDocument | None]:
        """A role SAM generates for a GraphQL API (see sam_graphql), where the template asks
        for it: SAM's trust of AppSync, whatever the template says; the AWS managed policy of
        the logs' role; the managed policy of the connector SAM writes for a data source's
        role, held as one whose text is not read (as a connector's, see sam_connectors),
        with a note."""
        generated = self.api_roles[role_id]
        owner = self.implicit_roles[role_id]
        span = generated.span or self.resources.key_span_of(owner)
        holder = _Holder(id=role_id, ref=self.ref(span))
        self.holders[role_id] = holder
        trust = self.builder.document(
            _service_trust(APPSYNC, span),
            span,
            kind=PolicyKind.TRUST,
            resource=role_id,
            origin=f"trust policy of role {role_id} (of GraphQL API {owner})",
        )
        for managed in generated.managed:
            arn = Value(AWS_MANAGED_POLICY_PREFIX + managed, self.ref(span))
            holder.add_managed(ManagedPolicyRef(arn))
        if generated.policy_id is not None:
            reason = f"SAM connector {generated.connector} (managed policy {generated.policy_id})"
            holder.add_managed(ManagedPolicyRef(Value(None, self.ref(span), reason)))
            self.resolver.notice(
                span,
                f"{generated.where}: managed policy {generated.policy_id}, which SAM generates"
                f" for role {role_id} (connector {generated.connector}), is not analyzed",
            )
        return role_id, holder, trust

    def sam_added_policies(self, kind: str, props: PMap) -> Iterator[ManagedPolicyRef]:
        """The managed policies SAM attaches to the role it generates for a function with
        ``Tracing`` (but ``Disabled``) or ``VpcConfig``, or a state machine with ``Tracing:
        {Enabled: true}``, where the property is written (in Globals, maybe).  One that a
        deployment may go without (a value not known, chosen by a condition, an intrinsic
        function for the VPC) is optional: what it grants is read, but no quota counts it."""
        added: list[tuple[str, str, bool]] = []  # (property, ARN, in every deployment)
        if kind == SAM_STATE_MACHINE:
            tracing = props.get("Tracing")
            if isinstance(tracing, PMap) and tracing.get("Enabled") is True:
                added.append(("Tracing", SAM_XRAY, True))
        elif "Tracing" in props:
            modes = [v.text for v in self.resolver.scalar(props, "Tracing")]
            if any(mode not in ("", TRACING_OFF) for mode in modes):
                added.append(("Tracing", SAM_XRAY, None not in modes and TRACING_OFF not in modes))
        vpc = props.get("VpcConfig") if kind == SAM_FUNCTION else None
        if vpc is not None and not (isinstance(vpc, (PMap, str)) and not vpc):  # SAM: if VpcConfig
            certain = isinstance(vpc, PMap) and not is_intrinsic(vpc)
            added.append(("VpcConfig", SAM_VPC_ACCESS, certain))
        for key, arn, certain in added:
            value = Value(arn, self.ref(props.key_span_of(key)))
            yield ManagedPolicyRef(value, None if certain else ((arn,), ()))

    def sam_function_policies(
        self,
        owner: str,
        added: list[AddedPolicy],
        notes: list[EventNote],
        holder: _Holder,
    ) -> None:
        """The policies SAM adds to the role it generates for function ``owner``: for the
        event sources Lambda polls with that role (see sam_event_policies), and for its
        dead-letter queue and EventInvokeConfig destinations (see sam_destination_policies).
        An AWS managed one by its ARN, held once however many events or ``Policies`` name it,
        as SAM attaches it once; SAM's inline statements as an inline policy of the role, the
        values SAM copies from the template (a secret, a destination) resolved as any.  What
        asks for policies that are not read is a note there.

        SAM's statements for what Lambda needs to poll a source are its design, as an AWS
        managed policy for a service's role is AWS's (``service_role_policy``: the network
        interfaces of a VPC on ``"*"`` are no write the user chose); those on a destination
        the template names act on what the user chose, and are judged as the user's
        (``AddedPolicy.designed``).  Their text is SAM's: most have no Version, which the user
        cannot add, so it is held as a value not read (RL602 judges what the template writes;
        no Version is counted in sizes, as none is written)."""
        for note in notes:
            self.resolver.notice(note.span, note.message)
        for policy in added:
            if policy.managed is not None:
                arn = Value(AWS_MANAGED_POLICY_PREFIX + policy.managed, self.ref(policy.span))
                holder.add_managed(ManagedPolicyRef(arn))
            if policy.document is None:
                continue
            document = self.build(
                self.resolver.resolve(policy.document, policy.span),
                policy.span,
                kind=PolicyKind.PERMISSIONS,
                resource=holder.id,
                origin=(
                    f"inline policy {policy.name} SAM adds for {policy.source} of function"
                    f" {owner} (role {holder.id})"
                ),
            )
            if document is None:
                continue
            version = document.version
            if not policy.versioned:
                version = Value(None, document.ref, "SAM writes this policy without a Version")
            designed = policy.designed
            holder.attach(replace(document, version=version, service_role_policy=designed))

    def sam_policies(self, owner: str, props: PMap, holder: _Holder) -> None:
        """SAM ``Policies`` of ``owner`` ("function F"): managed names or ARNs, inline documents,
        policy templates."""
        for item, span in self.links(props, "Policies"):
            references, rest = self.referenced(
                item, (MANAGED_POLICY,), self.condition_of(holder.id)
            )
            for target, chosen in references:
                self.pending.append((target, holder, chosen, True, None))
            resolved = self.resolver.resolve(rest, span)
            for option, where in _entries(resolved, span):
                option = self.read_back(option)
                if not isinstance(option, PMap):
                    continue  # a managed policy's name or ARN: below, with its alternatives
                if "Statement" in option:
                    document = self.build(
                        option,
                        where,
                        kind=PolicyKind.PERMISSIONS,
                        resource=holder.id,
                        origin=f"inline policy of {owner} (role {holder.id})",
                    )
                    if document is not None:
                        holder.attach(replace(document, optional=isinstance(resolved, Choice)))
                elif len(option) == 1:
                    name = str(next(iter(option)))
                    reason = f"SAM policy template {name}"
                    at = self.ref(option.key_span_of(name))
                    # SAM makes its statements an inline policy of the role.
                    holder.add_managed(ManagedPolicyRef(Value(None, at, reason), inline=True))
                    self.resolver.notice(
                        option.key_span_of(name),
                        f"{reason} is not expanded: the permissions it grants are not analyzed",
                    )
                else:
                    resource = owner.rsplit(" ", 1)[-1]
                    self.problem(f"a policy of {owner} is not valid", where, resource)
            names = _sam_policy_names(rest, span)
            for reference in self.sam_managed_references(resolved, span, names):
                self.sam_managed(reference, holder)

    def sam_managed_references(
        self, resolved: Any, span: Span | None, names: frozenset[Span]
    ) -> Iterator[ManagedPolicyRef]:
        """The managed policies a resolved SAM ``Policies`` item names, by name or ARN, as
        references: SAM copies an ``Fn::If`` of them into the generated role's
        ManagedPolicyArns with each branch made an ARN, so a deployment attaches one branch
        (see chosen_references).  Only the values written at ``names`` (literal text, see
        _sam_policy_names) are names SAM makes ARNs of; any other is copied as it is.
        Documents and policy templates give none."""

        def leaf(item: Any, sequence: PSeq | None, index: int) -> Iterator[Value]:
            if isinstance(self.read_back(item), PMap):
                return
            at = span if sequence is None else sequence.span_at(index)
            for value in self.resolver.values(item, at):
                yield _sam_managed_arn(value, self.file) if value.ref.span in names else value

        return chosen_references(resolved, leaf)

    def sam_managed(self, reference: ManagedPolicyRef, holder: _Holder) -> None:
        """A managed policy a SAM ``Policies`` item names by name or ARN.  An ARN of this
        account naming the template's own ManagedPolicy by name and path attaches that policy,
        as it does in ManagedPolicyArns (SAM copies the item into the generated role's
        ManagedPolicyArns): read as an unknown ARN, what the policy grants (sts:AssumeRole on
        an admin role) was never seen."""
        self.attach_managed(reference, holder)

    def sam_connectors(self) -> None:
        """The managed policy SAM generates for each connector (see sam_connectors), held by
        the role it is attached to as a managed policy whose text is not known, as a policy
        template is: a quota counts it and the role's access is a lower bound.  Each connector
        is a note; one whose role is not of the template (a role name, a parameter) is the
        note only, and so is one SAM refuses since it cannot tell a role (an ``Fn::If``
        choosing one, a role ARN: see untold_role), which gives no role anything.  A policy
        that a Condition of the connector may leave out is one no quota counts."""
        for connector in connectors(self.resources, self.types):
            told = [self.connector_role(policy) for policy in connector.policies]
            untold = next(
                ((p, why) for p, (_, why) in zip(connector.policies, told, strict=True) if why),
                None,
            )
            if untold is not None:
                self.resolver.notice(connector.span, connector.refused(*untold))
                continue
            roles = [role_id for role_id, _ in told]
            for policy, role_id in zip(connector.policies, roles, strict=True):
                holder = self.holders.get(role_id) if role_id is not None else None
                if holder is None or role_id is None:
                    continue
                reason = connector.reason(policy)
                reference = ManagedPolicyRef(Value(None, self.ref(connector.span), reason))
                if not self.connector_coexists(connector, role_id):
                    reference = maybe_attached(reference)
                holder.add_managed(reference)
            self.resolver.notice(connector.span, connector.notice(roles))

    def connector_role(self, policy: GeneratedPolicy) -> tuple[str | None, str | None]:
        """The role of the template SAM attaches ``policy`` to: the role SAM generates for a
        function or state machine of the connector's end without a Role of its own, or the
        role of the template the end's role property (its RoleName, written without an Id)
        refers to or names; None for any other (one of another stack is not in the
        inventory).  And why SAM refuses the connector, when it cannot tell the role by a Ref
        or Fn::GetAtt (untold_role); None when it can."""
        end = policy.holder
        logical_id = end.get("Id")
        props = self.properties(logical_id) if isinstance(logical_id, str) else None
        kind = self.types.get(logical_id) if isinstance(logical_id, str) else None
        if props is not None and kind is not None:
            implicit = f"{logical_id}Role"
            if self.implicit_roles.get(implicit) == logical_id and not names_own_role(
                kind, props.get("Role")
            ):
                return implicit, None
        node = role_node(end, policy.other, kind, props)
        why = untold_role(policy, kind, node)
        target = intrinsic_target(node)
        if target is not None:
            return (target if self.is_kind(target, (ROLE,)) else None), why
        if "Id" not in end and isinstance(node, str):
            return self.name_index((ROLE,)).get(node), why
        return None, why

    def connector_coexists(self, connector: Connector, role_id: str) -> bool:
        """Whether every deployment of the role ``role_id`` holds the connector's policy: the
        connector has no Condition, or the role's own (see coexists)."""
        return self.under_holder_condition(connector.condition, role_id)

    def draft_identity(self, logical_id: str) -> tuple[str, _Holder]:
        holder = _Holder(id=logical_id, ref=self.key_ref(logical_id))
        self.holders[logical_id] = holder
        props = self.properties(logical_id)
        noun = "user" if self.types[logical_id] == USER else "group"
        self.inline_policies(props, holder, noun)
        self.managed_arns(props, holder)
        return logical_id, holder

    def attach_policies(self) -> None:
        """Policy resources: built once, attached to every role, user and group they name."""
        kinds = (POLICY, MANAGED_POLICY, ROLE_POLICY, USER_POLICY, GROUP_POLICY)
        linked: dict[str, list[_Link]] = {}
        for target, holder, chosen, referenced, where in self.pending:
            linked.setdefault(target, []).append((holder, chosen, referenced, where))
        boundaries = self.boundary_targets()
        for logical_id in self.of_type(*kinds):
            kind = self.types[logical_id]
            props = self.properties(logical_id)
            if not self.has_properties(logical_id) or "PolicyDocument" not in props:
                self.problem(
                    f"{kind} {logical_id} has no PolicyDocument",
                    self.resources.key_span_of(logical_id),
                    logical_id,
                )
                continue
            # A policy whose text is unread is held as such by the holders it names.
            unread: list[ManagedPolicyRef] = []
            document = self.document(
                props,
                "PolicyDocument",
                kind=PolicyKind.PERMISSIONS,
                resource=logical_id,
                origin=f"{kind} {logical_id}",
                unread=unread,
            )
            if document is None:
                self.hold_unread(logical_id, unread, linked.get(logical_id, []))
                continue
            if kind == MANAGED_POLICY:
                arn = self.managed_policy_arn(logical_id)
                document = replace(
                    document,
                    managed=True,
                    arn=arn,
                    name=self.names.get(logical_id),
                    path=self.paths.get(logical_id),
                )
            # Boundaries refer to it, so their holders have it wherever they exist.
            self.policy_documents[logical_id] = document
            condition = self.condition_of(logical_id)
            links: list[_Link] = [
                (self.holders[i], chosen, False, None)  # it refers to its holder, not back
                for i, chosen in self.attached_to(kind, props, condition)
            ]
            links += linked.get(logical_id, [])
            holders = [
                (holder, chosen or not self.coexists(logical_id, holder.id, referenced))
                for holder, chosen, referenced, _ in links
            ]
            under = None
            if self.conditional(logical_id) or any(chosen for _, chosen in holders):
                # Some holder, or the policy itself, is chosen besides: its document's
                # branches are no longer all that says where it is.
                under = self.chosen_under(logical_id, document, links)
                document = replace(document, deployed_under=None)
            _attach(document, holders, self.conditional(logical_id), under)
            if not holders and logical_id not in boundaries:
                # A policy used only as a permissions boundary limits; it grants nothing.
                optional = self.conditional(logical_id) or document.optional
                elsewhere = kind == MANAGED_POLICY and _names_holders(props)
                self.inventory.standalone_policies.append(
                    replace(document, optional=optional, attached_elsewhere=elsewhere)
                )

    def chosen_under(
        self, logical_id: str, document: PolicyDocument, links: list[_Link]
    ) -> Deployment | None:
        """The branches a policy resource's holders that only some deployments attach it to
        hold it under (``ManagedPolicyArns: !If [C, [admin, !Ref Guard], !Ref AWS::NoValue]``:
        where C holds), joined with those its own document is written under: only where that
        is exact, every such link under the same known branches, the policy created wherever
        its holders are (no Condition of its own), and, of a document some deployments leave
        out itself, no holder holding it always (that holder shares the document, held
        without these branches).  None otherwise: its Denies then limit nothing else."""
        if self.conditional(logical_id):
            return None
        wheres: set[Deployment | None] = set()
        always = False
        for holder, chosen, referenced, where in links:
            if not chosen and self.coexists(logical_id, holder.id, referenced):
                always = True
            else:
                wheres.add(where if chosen else None)
        if len(wheres) != 1:
            return None
        (where,) = wheres
        if where is None or not document.optional:
            return where
        if always or document.deployed_under is None:
            return None
        return joined_branches((where, document.deployed_under)) or None

    def hold_unread(
        self,
        logical_id: str,
        unread: list[ManagedPolicyRef],
        linked: list[_Link],
    ) -> None:
        """The policy resource whose text is unread, held as such by every holder it names
        and, for a managed policy, every holder naming it (so its access is a lower bound, not
        "none").  A managed one counts against the managed-policy quota only where every
        deployment attaches it (see ManagedPolicyRef.alternatives)."""
        if not unread:
            return
        kind = self.types[logical_id]
        props = self.properties(logical_id)
        links: list[_Link] = [
            (self.holders[i], chosen, False, None)
            for i, chosen in self.attached_to(kind, props, self.condition_of(logical_id))
        ]
        if kind == MANAGED_POLICY:
            links += linked
        for holder, chosen, referenced, _ in links:
            optional = chosen or not self.coexists(logical_id, holder.id, referenced)
            for reference in unread:
                if kind == MANAGED_POLICY:
                    alternatives = ((), (logical_id,)) if optional else None
                    reference = replace(reference, inline=False, alternatives=alternatives)
                holder.add_managed(reference)

    def permission_sets(self) -> None:
        """``AWS::SSO::PermissionSet``: its inline policy and AWS managed policies become the
        permissions of a role in every account the set is assigned to.  They stand alone, as
        no role of the template holds them (the role's trust is IAM Identity Center's, not the
        template's), each marked with the set's key (PolicyDocument.permission_set: the file
        and logical id), so that the rules judge them together, as that role's
        (model.permission_set_holders): the Deny of one limits what another allows.  Its
        ``PermissionsBoundary`` limits them as a role's boundary limits the role's
        (rolelint.parsers.permission_set_boundaries).  Its customer managed policies, named by
        name and path in each account, are recorded as such (see customer_policies).  An item
        of ``ManagedPolicies`` Identity Center refuses (holder.not_an_aws_managed_arn: a name,
        a customer managed policy's ARN) is a note, and the set holds nothing of it: read as
        the root path's policy, ``AdministratorAccess`` was full administrator access (RL201)
        on a set that cannot be deployed, and ``AWSLambdaKinesisExecutionRole`` an ARN of no
        policy."""
        from rolelint.managed_policies import document_for

        for logical_id in self.of_type(PERMISSION_SET):
            props = self.properties(logical_id)
            boundary = self.permission_set_boundary(props)
            key = f"{self.file}#{logical_id}"
            documents: list[PolicyDocument] = []
            if "InlinePolicy" in props:
                document = self.inline_policy(props, logical_id)
                if document is not None:
                    documents.append(document)
            for reference in self.set_managed_policies(props):
                value = reference.arn
                refused = not_an_aws_managed_arn(value)
                if refused is not None:  # no path is guessed for a name
                    where = f"ManagedPolicies of permission set {logical_id}"
                    self.resolver.notice(value.ref.span, f"{where}: {refused}")
                    continue
                self.inventory.permission_set_policies.append(
                    PermissionSetPolicy(reference, logical_id, boundary, key)
                )
                managed = document_for(reference, logical_id, "permission set")
                if managed is not None:
                    documents.append(managed)
            self.inventory.standalone_policies += [
                replace(
                    permission_set_boundaries.bounded(document, boundary, logical_id),
                    permission_set=key,
                )
                for document in documents
            ]
            self.inventory.permission_set_customer_policies += self.customer_policies(
                props, logical_id, key
            )

    def inline_policy(self, props: PMap, logical_id: str) -> PolicyDocument | None:
        """A permission set's ``InlinePolicy``; optional when a condition chooses it (``!If [C,
        {...}, !Ref AWS::NoValue]``), as a role's inline policy is: some deployments of the set
        have it not, or another, so its Denies limit nothing else the set holds."""
        span = span_in(props, "InlinePolicy")
        resolved = self.resolver.resolve(props["InlinePolicy"], span)
        document = self.build(
            resolved,
            span,
            kind=PolicyKind.PERMISSIONS,
            resource=logical_id,
            origin=f"inline policy of permission set {logical_id}",
        )
        if document is not None and isinstance(resolved, Choice):
            return replace(document, optional=True)
        return document

    def set_managed_policies(self, props: PMap) -> list[ManagedPolicyRef]:
        """A permission set's ``ManagedPolicies``, each an ARN a condition chooses with what each
        branch certainly attaches (ManagedPolicyRef.alternatives), as a role's: the document of
        such an ARN is optional (managed_policies.document_for), its Denies limiting nothing
        else the set holds."""
        if "ManagedPolicies" not in props:
            return []
        span = span_in(props, "ManagedPolicies")
        return list(self.references(self.resolver.resolve(props["ManagedPolicies"], span), span))

    def customer_policies(
        self, props: PMap, logical_id: str, key: str
    ) -> list[PermissionSetCustomerPolicy]:
        """``CustomerManagedPolicyReferences``: the customer managed policies the set attaches by
        name (and path), every option a condition may choose, under the set's ``key``.  An
        entry rolelint cannot read (a parameter, an import) is a name not known, which may be
        any policy's."""
        prop = "CustomerManagedPolicyReferences"
        if prop not in props:
            return []
        span = props.span_of(prop)
        found: list[PermissionSetCustomerPolicy] = []
        for entry, _ in _entries(self.resolver.resolve(props[prop], span), span):
            if isinstance(entry, Value) and entry.text is None:
                found.append(PermissionSetCustomerPolicy(entry, None, logical_id, key))
            elif isinstance(entry, PMap) and "Name" in entry:
                paths = self.resolver.scalar(entry, "Path") if "Path" in entry else ()
                found += [
                    PermissionSetCustomerPolicy(name, path, logical_id, key)
                    for name in self.resolver.scalar(entry, "Name")
                    for path in paths or (None,)
                ]
        return found

    def permission_set_boundary(self, props: PMap) -> Value | None:
        """What a permission set's ``PermissionsBoundary`` names: the ARN of
        ``ManagedPolicyArn``, or the name (and path) of ``CustomerManagedPolicyReference``;
        unresolved when it is neither, or a condition chooses (as a role's boundary() says, the
        first option taken would cap the set where it may not be).  None without one."""
        if "PermissionsBoundary" not in props:
            return None
        span = props.span_of("PermissionsBoundary")
        options = list(_options(self.resolver.resolve(props["PermissionsBoundary"], span)))
        if len(options) != 1 or not isinstance(options[0], PMap):
            return Value(None, self.ref(span), "a boundary chosen by a condition, or not a map")
        [boundary] = options
        if "ManagedPolicyArn" in boundary:
            arns = {
                value.display(): value
                for value in self.resolver.scalar(boundary, "ManagedPolicyArn")
            }
            if len(arns) == 1:
                return next(iter(arns.values()))
            return Value(None, self.ref(span), "a boundary chosen by a condition")
        reference = boundary.get("CustomerManagedPolicyReference")
        if isinstance(reference, PMap) and "Name" in reference:
            name = self.single(reference, "Name")
            if name is not None:
                return permission_set_boundaries.customer_managed(
                    name, self.single(reference, "Path")
                )
        return Value(None, self.ref(span), "a PermissionsBoundary rolelint cannot read")

    def boundary_targets(self) -> set[str]:
        """The template's ManagedPolicy resources named as permissions boundary: of a role, a
        user, or the role SAM generates for a function or state machine (SAM gives a
        ``PermissionsBoundary`` only to a role it generates, so one beside ``Role`` is not)."""
        targets: set[str] = set()
        for logical_id in [*self.of_type(ROLE, USER), *self.implicit_roles]:
            props = self.properties(self.implicit_roles.get(logical_id, logical_id))
            targets.update(self.boundary_policies(logical_id, props)[0])
        return targets

    def boundary_policies(self, holder: str, props: PMap) -> tuple[list[str], bool]:
        """The template's ManagedPolicy resources the ``PermissionsBoundary`` of ``holder``
        names, in any branch of an ``Fn::If``: by reference (Ref, Fn::GetAtt) or by its ARN
        (name and path in this account, as in ManagedPolicyArns: see managed_policy_named);
        and whether every deployment of the holder has the one named.  Not when a condition
        chooses between it and another boundary, or none (``!Ref AWS::NoValue``); nor when
        only its ARN names a policy with a Condition the holder does not share: a name is no
        dependency, so the holder may be deployed without the policy (see coexists).  In a
        holder created under a condition, an Fn::If on it is its first branch only.  Read
        once per holder: the boundaries to find, the boundary and its documents all ask."""
        if holder not in self.boundaries:
            self.boundaries[holder] = self.read_boundary_policies(holder, props)
        return self.boundaries[holder]

    def read_boundary_policies(self, holder: str, props: PMap) -> tuple[list[str], bool]:
        if "PermissionsBoundary" not in props:
            return [], False
        span = props.span_of("PermissionsBoundary")
        references, rest = self.referenced(
            props["PermissionsBoundary"], (MANAGED_POLICY,), self.condition_of(holder)
        )
        # each policy named, with whether some deployment of the holder surely has it
        found: dict[str, bool] = {}
        for target, chosen in references:
            found[target] = found.get(target, False) or not chosen
        for reference in self.references(self.resolver.resolve(rest, span), span):
            named = self.policy_named_by(reference)
            if named is not None:
                by_name, optional = named
                every = not optional and self.coexists(by_name, holder, False)
                found[by_name] = found.get(by_name, False) or every
        certain = len(found) == 1 and next(iter(found.values()))
        return list(found), certain

    def boundary_documents(
        self, holder_id: str, props: PMap, noun: str = "role"
    ) -> list[PolicyDocument]:
        """The template's policies a role (or user) names as boundary, as its boundary
        documents.  One a condition chooses is optional: it caps nothing for certain, as the
        holder may be deployed without it (rolelint.checks.effective applies none such).  One
        named in every deployment caps the holder even when the policy has a Condition of its
        own: the holder refers to it, and a resource depending on one a Condition leaves out
        is not created either (CloudFormation, Condition attribute)."""
        named, certain = self.boundary_policies(holder_id, props)
        documents: list[PolicyDocument] = []
        for target in named:
            document = self.policy_documents.get(target)
            if document is None:
                continue
            origin = f"permissions boundary {target} of {noun} {holder_id}"
            if not certain:
                origin += " (chosen by a condition: no limit assumed)"
            documents.append(document.as_boundary(origin, optional=not certain))
        return documents

    def attached_to(
        self, kind: str, props: PMap, condition: str | None = None
    ) -> list[tuple[str, bool]]:
        """The roles, users and groups a policy resource (created under ``condition``) names,
        each with whether only some deployments attach it."""
        if kind == ROLE_POLICY:
            return self.linked(props, "RoleName", (ROLE,), condition)
        if kind == USER_POLICY:
            return self.linked(props, "UserName", (USER,), condition)
        if kind == GROUP_POLICY:
            return self.linked(props, "GroupName", (GROUP,), condition)
        return (
            self.linked(props, "Roles", (ROLE,), condition)
            + self.linked(props, "Users", (USER,), condition)
            + self.linked(props, "Groups", (GROUP,), condition)
        )

    def link_profiles(self) -> None:
        """Each role's instance profiles: by logical id, as its compute resources name them,
        and by ARN (:meth:`profile_arns`)."""
        for logical_id in self.of_type(INSTANCE_PROFILE):
            # A role an Fn::If chooses is in the profile where it is deployed.
            for role_id, _ in self.linked(self.properties(logical_id), "Roles", (ROLE,)):
                self.holders[role_id].profiles.append(logical_id)
                self.holders[role_id].profile_arns.extend(self.profile_arns(logical_id))

    def finish_role(self, draft: tuple[str, _Holder, PolicyDocument | None]) -> Role | None:
        logical_id, holder, trust = draft
        arn = self.role_arn(logical_id)
        if arn is None:
            return None
        props = PMap()
        owner = self.implicit_roles.get(logical_id)
        if owner is not None:
            # The boundary the function (or state machine) names is its generated role's.
            boundary_props = self.properties(owner)
        else:
            props = boundary_props = self.properties(logical_id)
        boundary = self.boundary(logical_id, boundary_props)
        for boundary_document in self.boundary_documents(logical_id, boundary_props):
            holder.attach(boundary_document)
        return Role(
            id=logical_id,
            ref=holder.ref,
            arn=arn,
            name=self.names.get(logical_id),
            path=self.paths.get(logical_id),
            trust_policy=trust,
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            permissions_boundary=boundary,
            max_session_duration=self.session_durations(props),
            instance_profiles=tuple(holder.profiles),
            trust_fixed=owner is not None and self.types[owner] not in SAM_TRUST_SETTERS,
            other_arns=self.other_arns.get(logical_id, ()),
            instance_profile_arns=tuple(holder.profile_arns),
        )

    def session_durations(self, props: PMap) -> tuple[Value, ...]:
        """Every MaxSessionDuration a deployment may give the role.  A branch of ``Fn::If``
        that leaves the property out (``!Ref AWS::NoValue``) gives AWS's default, one hour,
        at the property: dropped, ``!If [C, 99999, !Ref AWS::NoValue]`` read as a role whose
        every deployment fails, where C false deploys it with one hour."""
        if "MaxSessionDuration" not in props:
            return ()
        default = Value(
            str(ROLE_DEFAULT_SESSION_SECONDS),
            self.resolver.ref(span_in(props, "MaxSessionDuration")),
        )
        return tuple(
            default if value is None else value
            for value in self.options(props, "MaxSessionDuration")
        )

    def boundary(self, holder: str, props: PMap) -> Value | None:
        """The ARN ``PermissionsBoundary`` gives, as the holder's boundary.  A template policy
        is known by its document (boundary_documents), not by an ARN.  Where a condition
        chooses between boundaries, or none, the value is unresolved: taken as the first
        option, an AWS managed policy would cap the holder in every deployment and hide what
        it grants where it is deployed without it."""
        if "PermissionsBoundary" not in props:
            return None
        span = props.span_of("PermissionsBoundary")
        named, certain = self.boundary_policies(holder, props)
        if certain:
            return Value(None, self.ref(span), f"resource {named[0]}")
        options = list(_options(self.resolver.resolve(props["PermissionsBoundary"], span)))
        shown = [o.display() if isinstance(o, Value) else "none" for o in options]
        if len(set(shown)) > 1:
            reason = f"a boundary chosen by a condition: {' or '.join(dict.fromkeys(shown))}"
            return Value(None, self.ref(span), reason)
        return self.single(props, "PermissionsBoundary")

    def finish_identity(self, draft: tuple[str, _Holder]) -> Identity:
        logical_id, holder = draft
        is_user = self.types[logical_id] == USER
        props = self.properties(logical_id)
        boundary = None
        if is_user:  # a user's boundary limits it as a role's does (groups have none)
            boundary = self.boundary(logical_id, props)
            for boundary_document in self.boundary_documents(logical_id, props, "user"):
                holder.attach(boundary_document)
        return Identity(
            kind=IdentityKind.USER if is_user else IdentityKind.GROUP,
            id=logical_id,
            ref=holder.ref,
            arn=self.identity_arn(logical_id),
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            permissions_boundary=boundary,
            other_arns=self.other_arns.get(logical_id, ()),
            name=self.names.get(logical_id),
            path=self.paths.get(logical_id),
        )

    # --- compute ---------------------------------------------------------------------------------

    def compute(self) -> Iterator[ComputeResource]:
        kinds = (EC2_INSTANCE, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, EKS_NODE_GROUP)
        for logical_id in self.of_type(*kinds):
            kind = self.types[logical_id]
            props = self.properties(logical_id)
            if kind == EKS_NODE_GROUP:
                yield from self.node_group(logical_id, props)
            elif kind != LAUNCH_TEMPLATE and "LaunchTemplate" in props:
                # Once per launch template it may be given: every branch, as everywhere else.
                unseen = TOKENS_FROM_LAUNCH_TEMPLATE
                for template in self.template_settings(props, "LaunchTemplateId", unseen):
                    yield self.compute_resource(logical_id, kind, props, template)
            elif kind != LAUNCH_TEMPLATE:
                yield self.compute_resource(logical_id, kind, props)
            else:
                # Launch template data chosen by Fn::If: every branch, as everywhere else.
                for data in _if_branches(props.get("LaunchTemplateData")):
                    if isinstance(data, PMap):
                        yield self.compute_resource(logical_id, kind, data)

    def compute_resource(
        self,
        logical_id: str,
        kind: str,
        props: PMap,
        template: _TemplateSettings | None = None,
    ) -> ComputeResource:
        """An instance or launch configuration from its properties, with what it takes from
        the launch template it names (``template``); a launch template from its
        LaunchTemplateData (``props``)."""
        profile: Value | None = None
        refused = False  # every profile it names is an ARN EC2 refuses: it launches nothing
        if kind == LAUNCH_CONFIGURATION:
            # Auto Scaling takes a profile's name or ARN; EC2 an instance's, its name only.
            profile = self.profile(props, "IamInstanceProfile", by_arn=True)
        elif kind != LAUNCH_TEMPLATE:
            profile, refused = self.instance_profile(logical_id, props)
        else:
            profile = self.template_profile(props)
        tokens, options_ref = self.http_tokens(props)
        unset = tokens is None or tokens.unresolved_reason == TOKENS_UNSET_BY_CONDITION
        data = template.data if template is not None else None
        # An AMI of its own, else its launch template's.
        ami = self.ami_parameter(props if "ImageId" in props or data is None else data)
        own_ami = "ImageId" in props
        if profile is None and not refused and data is not None and (own_ami or not unset):
            profile = self.profile_of_template(data, props)
        if template is not None and unset:
            # The instance takes the tokens it does not set from its launch template.
            tokens, options_ref = template.tokens, template.options_ref or options_ref
        return ComputeResource(
            id=logical_id,
            ref=self.key_ref(logical_id),
            kind=kind,
            instance_profile=profile,
            http_tokens=tokens,
            metadata_options_ref=options_ref,
            ami_parameter=ami,
        )

    def profile_of_template(self, data: PMap, props: PMap) -> Value | None:
        """The instance profile an instance without one of its own (``props``) takes from its
        launch template (``data``), at the instance's ``LaunchTemplate``: it runs with the
        template's role.  Asked only of an instance that sets its own AMI or tokens, since
        they override the template's: one that sets neither launches what the template
        does, which the template's own entry already says (and RL501 reports there once)."""
        profile = self.template_profile(data)
        if profile is None:
            return None
        return replace(profile, ref=self.ref(props.key_span_of("LaunchTemplate")))

    def template_profile(self, data: PMap) -> Value | None:
        """The instance profile a launch template's LaunchTemplateData names (``{Arn: ...}``
        or ``{Name: ...}``)."""
        profile_node = data.get("IamInstanceProfile")
        if isinstance(profile_node, PMap) and not is_intrinsic(profile_node):
            key = "Arn" if "Arn" in profile_node else "Name"
            return self.profile(profile_node, key, key == "Arn") if key in profile_node else None
        if profile_node is not None:
            return self.profile(data, "IamInstanceProfile")
        return None

    def ami_parameter(self, props: PMap) -> Value | None:
        """The SSM parameter an ImageId reads the AMI from (``{{resolve:ssm:NAME}}``, or a
        parameter of type ``AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`` whose default
        names it), positioned at the ImageId; None for an AMI given any other way."""
        if "ImageId" not in props:
            return None
        span = props.span_of("ImageId")
        name = self.resolver.ssm_parameter(props["ImageId"], span)
        return Value(name, self.ref(span)) if name is not None else None

    def node_group(self, logical_id: str, props: PMap) -> Iterator[ComputeResource]:
        """An EKS managed node group: its nodes run with its NodeRole, which EKS hands them in
        an instance profile of its own making, and with the metadata options of its launch
        template (``LaunchTemplate: {Id: !Ref Template}``, or ``Name``), once per role and
        template it may be given (each branch of an Fn::If).  Those of a launch template of
        another stack, or of the one EKS creates when none is named, are not known: EKS
        documents no IMDS default for its own."""
        if "LaunchTemplate" not in props:
            tokens = Value(None, self.key_ref(logical_id), TOKENS_FROM_EKS_LAUNCH_TEMPLATE)
            templates = [_TemplateSettings(None, tokens, None)]
        else:
            unseen = TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE
            templates = self.template_settings(props, "Id", unseen)
        for role, template in product(self.node_roles(props), templates):
            yield ComputeResource(
                id=logical_id,
                ref=self.key_ref(logical_id),
                kind=EKS_NODE_GROUP,
                instance_profile=None,
                http_tokens=template.tokens,
                metadata_options_ref=template.options_ref,
                node_role=role,
                ami_parameter=(
                    self.ami_parameter(template.data) if template.data is not None else None
                ),
            )

    def node_roles(self, props: PMap) -> list[Value | None]:
        """A node group's NodeRole, each role it may be (each branch of an Fn::If): this
        template's role by its logical id when the property refers to it (``!GetAtt
        Role.Arn``) or gives its ARN (role_with_arn), else the value as written; ``[None]``
        when it has none.  Branches that name no role of the template are one role the
        condition chooses (NODE_ROLE_BY_CONDITION): a finding naming the first would say the
        nodes run with it."""
        if "NodeRole" not in props:
            return [None]
        role = self.this_template(props["NodeRole"], props.span_of("NodeRole"), ROLE)
        if role is not None:
            return [role]
        values = self.resolver.scalar(props, "NodeRole")
        roles = []
        for value in values:
            linked = self.role_with_arn(value)
            if linked is value and len(values) > 1:
                linked = Value(None, value.ref, NODE_ROLE_BY_CONDITION)
            roles.append(linked)
        return list(dict.fromkeys(roles)) or [None]

    def role_with_arn(self, value: Value) -> Value:
        """The role of this template whose ARN (in any partition) ``value`` is, as its logical
        id where the value is written: ``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:
        role/${NodeRole}`` names NodeRole as ``!GetAtt NodeRole.Arn`` does.  Any other value,
        or one the ARN of more than one role may be, as it is."""
        written = _after_partition(value.text)
        if written is None:
            return value
        found = []
        for logical_id in self.of_type(ROLE):
            arn = self.role_arn(logical_id)
            arns = (arn, *self.other_arns.get(logical_id, ())) if arn is not None else ()
            if any(_after_partition(a.text) == written for a in arns):
                found.append(logical_id)
        return Value(found[0], value.ref) if len(found) == 1 else value

    def template_settings(self, props: PMap, id_key: str, unseen: str) -> list[_TemplateSettings]:
        """What a resource takes from each launch template its ``LaunchTemplate`` may name
        (see launch_templates; ``id_key`` its id's key, the name's the same with "Name"): the
        template's LaunchTemplateData, and the tokens it sets with where its MetadataOptions
        are.  Tokens a template chosen by a condition leaves unset are
        :data:`TOKENS_UNSET_BY_CONDITION` at the ``LaunchTemplate``, where the condition
        decides; those of a template rolelint cannot see, unresolved there (``unseen``)."""
        where = self.ref(props.key_span_of("LaunchTemplate"))
        targets = self.launch_templates(props["LaunchTemplate"], id_key)
        found: list[_TemplateSettings] = []
        for target in targets:
            data = self.launch_template_data(target)
            if data is None:
                found.append(_TemplateSettings(None, Value(None, where, unseen), None))
                continue
            tokens, options_ref = self.http_tokens(data)
            if tokens is None and len(targets) > 1:
                tokens = Value(None, where, TOKENS_UNSET_BY_CONDITION)
            found.append(_TemplateSettings(data, tokens, options_ref))
        return found

    def launch_templates(self, specification: Any, id_key: str) -> list[str | None]:
        """The launch templates of this template a LaunchTemplate property may name, each
        once, by logical id: by its id (``LaunchTemplateId: !Ref Template``; a node group
        writes ``Id``) or its name (``LaunchTemplateName``, ``Name``: see
        launch_template_named), each branch of an Fn::If around the whole or the id; None for
        a template rolelint cannot see (another stack's)."""
        name_key = id_key.removesuffix("Id") + "Name"
        found: list[str | None] = []
        for chosen in _if_branches(specification):
            if not isinstance(chosen, PMap):
                found.append(None)
                continue
            targets = [intrinsic_target(node) for node in _if_branches(chosen.get(id_key))]
            if not any(targets) and name_key in chosen:
                targets = [self.launch_template_named(chosen, name_key)]
            found.extend(targets)
        return list(dict.fromkeys(found))

    def launch_template_data(self, target: str | None) -> PMap | None:
        """The LaunchTemplateData of this template's launch template ``target``; None for
        anything else, or data chosen by a condition."""
        if target is None or self.types.get(target) != LAUNCH_TEMPLATE:
            return None
        data = self.properties(target).get("LaunchTemplateData")
        return data if isinstance(data, PMap) and not is_intrinsic(data) else None

    def launch_template_named(
        self, specification: PMap, key: str = "LaunchTemplateName"
    ) -> str | None:
        """The launch template of this template whose ``LaunchTemplateName`` is the one named
        by ``key`` (see resource_named)."""
        name = self.resolver.scalar(specification, key)
        if len(name) != 1:
            return None
        written = specification[key]
        return self.resource_named(LAUNCH_TEMPLATE, "LaunchTemplateName", name[0], written)

    def resource_named(self, kind: str, key: str, name: Value, written: Any = None) -> str | None:
        """The resource of ``kind`` whose name property ``key`` is ``name``: the same literal,
        or the same parameter (a default another deployment may change names another resource
        only if the resource's own name changes with it).  A name not known before deployment
        (``!Sub "${AWS::StackName}-lt"``) is that of the resource whose name is written the
        same way (``written``, an intrinsic function): in one deployment, one expression has
        one value wherever it is.  None when the name is not known otherwise, or when no
        resource that always exists, or more than one, has that name."""
        same_expression = name.text is None and is_intrinsic(written)
        if name.text is None and not same_expression:
            return None
        found: list[str] = []
        for logical_id in self.of_type(kind):
            props = self.properties(logical_id)
            if key not in props:
                continue  # CloudFormation names it
            if same_expression:
                if props[key] == written:
                    found.append(logical_id)
            elif _same_text(name, self.resolver.scalar(props, key)):
                found.append(logical_id)
        if len(found) != 1 or self.conditional(found[0]):
            return None
        return found[0]

    def profile(self, container: PMap, key: str, by_arn: bool = False) -> Value | None:
        """The instance profile a property names: this template's profile by its logical id,
        when the property refers to it (Ref, Fn::GetAtt) or gives its InstanceProfileName (or,
        ``by_arn`` where the property takes an ARN, an ARN of that name), as a launch template
        is known by its name (launch_template_named); else the value as written."""
        if key not in container:
            return None
        found = self.this_template(container[key], container.span_of(key), INSTANCE_PROFILE)
        if found is not None:
            return found
        written = self.resolver.scalar(container, key)
        return self.named_profile(container, key, written, by_arn)

    def named_profile(
        self, container: PMap, key: str, written: tuple[Value, ...], by_arn: bool = False
    ) -> Value | None:
        """The profile the values ``written`` of property ``key`` name (:meth:`profile`): the
        template's profile of that name when there is one value, else the first as written."""
        if len(written) == 1:
            name = profile_name(written[0]) if by_arn else written[0]
            target = self.resource_named(INSTANCE_PROFILE, "InstanceProfileName", name)
            if target is not None:
                return Value(target, self.ref(container.span_of(key)))
        return written[0] if written else None

    def instance_profile(self, logical_id: str, props: PMap) -> tuple[Value | None, bool]:
        """The profile an instance's own ``IamInstanceProfile`` names (:meth:`profile`), and
        whether every value of it is refused.  EC2 takes a profile's name there ("The name of
        an IAM instance profile", CloudFormation's reference for AWS::EC2::Instance): each value
        that is an ARN (instance_profiles.not_a_profile_name) fails the deployment, so it is a
        note at the value and names no profile, as the Terraform readers judge an
        ``aws_instance``'s; so is ``!GetAtt P.Arn`` of this template's profile (``!Ref P`` is
        its name).  A condition's other branch, a name, is still the instance's profile.
        With every value refused the instance launches nothing, so it takes no profile from
        its launch template either."""
        key = "IamInstanceProfile"
        if key not in props:
            return None, False
        found = self.this_template(props[key], props.span_of(key), INSTANCE_PROFILE)
        if found is not None and is_arn_attribute(props[key]):
            # !GetAtt P.Arn: the profile's ARN, which EC2 refuses there as a written one.
            why = profile_arn_refused(f"{found.text} (Fn::GetAtt {found.text}.Arn)")
            self.resolver.notice(found.ref.span, f"{key} of {logical_id}: {why}")
            return None, True
        if found is not None:
            return found, False
        written = self.resolver.scalar(props, key)
        launched = launched_profiles(
            written,
            lambda value, why: self.resolver.notice(
                value.ref.span, f"{key} of {logical_id}: {why}"
            ),
        )
        if written and not launched:
            return None, True
        if len(launched) == len(written):
            return self.named_profile(props, key, written), False
        return launched[0], False  # the name another branch of a condition gives, as written

    def this_template(self, node: Any, span: Span | None, kind: str) -> Value | None:
        """This template's resource of ``kind`` a property written ``node`` (at ``span``)
        refers to (Ref, Fn::GetAtt), as its logical id there; None for any other value."""
        target = intrinsic_target(node)
        if target is not None and self.types.get(target) == kind:
            return Value(target, self.ref(span))
        return None

    def http_tokens(self, props: PMap) -> tuple[Value | None, SourceRef | None]:
        """MetadataOptions.HttpTokens; the weakest option when a condition picks one.  A
        branch that leaves it unset (``AWS::NoValue`` for the options or the tokens, options
        without HttpTokens, with the endpoint left enabled) is as weak as any.  A weak value
        another branch sets is shown; with no branch setting it, None, as when it is absent;
        else, when only some branches leave it unset, :data:`TOKENS_UNSET_BY_CONDITION` at the
        first value set, the line where the condition decides."""
        if "MetadataOptions" not in props:
            return None, None
        options_ref = self.ref(props.key_span_of("MetadataOptions"))
        found: list[Value] = []
        unset = False
        for options in _options(self.resolver.resolve(props["MetadataOptions"], None)):
            if options is NO_VALUE:
                unset = True
            if not isinstance(options, PMap):
                continue  # unset, or not known
            if self.endpoint_disabled(options, options_ref.span):
                found.append(Value(None, options_ref, METADATA_SERVICE_DISABLED))
                continue
            tokens = options.get("HttpTokens", NO_VALUE)
            unset = unset or any(option is NO_VALUE for option in _options(tokens))
            found.extend(self.resolver.values(tokens, options.span_of("HttpTokens")))
        weakest = next(
            (v for v in found if v.text is not None and v.text.lower() != "required"), None
        )
        if weakest is None and unset:
            if not found:
                return None, options_ref
            return Value(None, found[0].ref, TOKENS_UNSET_BY_CONDITION), options_ref
        return weakest or next(iter(found), None), options_ref

    def endpoint_disabled(self, options: PMap, span: Span | None) -> bool:
        """Whether resolved MetadataOptions disable the metadata service in every deployment
        (``HttpEndpoint: !If [C, disabled, !Ref AWS::NoValue]`` leaves it on where C is not)."""
        if "HttpEndpoint" not in options:
            return False
        for option in _options(options["HttpEndpoint"]):
            texts = [v.text.lower() for v in self.resolver.values(option, span) if v.text]
            if "disabled" not in texts:  # enabled, unset (NoValue) or not known
                return False
        return True

    # --- source problems -------------------------------------------------------------------------

    def duplicates(self) -> list[SourceProblem]:
        """Duplicate keys, each named after the resource that holds it."""
        embedded = LoadedDocument(self.file, None, "", list(self.embedded_duplicates))
        problems = duplicate_key_problems(self.loaded, self.file)
        problems += duplicate_key_problems(embedded, self.file)
        spans = [(str(i), self.resources.value_spans.get(i)) for i in self.resources]
        owners = first_containing(spans, [problem.ref.span for problem in problems])
        return [
            replace(problem, resource=owner or self.file)
            for problem, owner in zip(problems, owners, strict=True)
        ]


class _TemplateSettings(NamedTuple):
    """What an instance or node group takes from the launch template it names
    (:meth:`_Template.template_settings`)."""

    data: PMap | None  # its LaunchTemplateData; None: a template rolelint cannot see
    tokens: Value | None  # its HttpTokens (as _Template.http_tokens reads them)
    options_ref: SourceRef | None  # where its MetadataOptions are


def _after_partition(arn: str | None) -> str | None:
    """An ARN without its ``arn:PARTITION:`` (``iam::<account>:role/x``), which is how this
    template's resources are known in any partition; None for a text that is no ARN, or whose
    partition is not known."""
    if arn is None or not arn.startswith("arn:"):
        return None
    partition, _, rest = arn[len("arn:") :].partition(":")
    if not partition or partition.startswith("<"):
        return None
    return rest


def _as_written(value: Any) -> str:
    """A Metadata value that should be text, as text for a message: a string as it is, a
    number as the file writes it, anything else (a list, a map, an intrinsic function, null)
    in JSON notation, the same for YAML and JSON templates."""
    if isinstance(value, str):
        return value
    written = written_as(value)
    if written is not None:
        return written
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return scalar_text(value)
    return json.dumps(value, default=str)


def _names_holders(props: PMap) -> bool:
    """Whether a ManagedPolicy attaches itself to roles, users or groups (``Roles``, ``Users``,
    ``Groups``): when none of them is the template's (an existing role's name, a parameter), it
    still grants to them."""
    return any(props.get(key) for key in ("Roles", "Users", "Groups"))


def _attach(
    document: PolicyDocument,
    holders: list[tuple[_Holder, bool]],
    conditional: bool = False,
    under: Deployment | None = None,
) -> None:
    """A policy resource's document to each holder that attaches it, ``True`` for a holder only
    some deployments attach it to (an ``Fn::If`` branch names it).  There it is optional: its
    Allows grant in those deployments, but its Denies limit nothing else the holder has, since
    it may be deployed without them.  Only when the document itself is in every deployment of
    another holder is it copied (a copy is judged as a policy of its own): one without a Deny
    is attached as it is, since being optional changes nothing about what it grants; unless
    the document is ``conditional`` (a Condition of its own), when even what it grants is not
    certain there (a quota counts what is).  ``under``: the branches of the conditions those
    holders hold it under, when known (_Template.chosen_under), where its Denies limit what
    else is deployed."""
    if not holders:
        return
    always = {id(holder) for holder, chosen in holders if not chosen}
    some = document
    copied = not always or conditional or any(s.is_deny for s in document.statements)
    if copied and (not document.optional or under is not None):
        some = replace(document, optional=True, deployed_under=under)
    if not always:
        document = some
    for holder, _ in holders:
        holder.attach(document if id(holder) in always else some)


def _no_value(node: Any) -> PMap:
    """``!Ref AWS::NoValue`` where ``node`` is written."""
    span = own_span(node)
    nothing = PMap(span)
    nothing.set("Ref", "AWS::NoValue", span, span)
    return nothing


def _if_branches(node: Any, holds: str | None = None) -> Iterator[Any]:
    """The values an ``Fn::If`` may give (nested ones too), written as they are; any other node
    is its own only value.  ``holds``: a condition true wherever the node is read (the
    Condition of the resource it is in), whose Fn::If gives its first branch only."""
    if isinstance(node, PMap) and len(node) == 1 and "Fn::If" in node:
        arguments = node["Fn::If"]
        if isinstance(arguments, PSeq) and len(arguments) == 3:
            yield from _if_branches(arguments[1], holds)
            if holds is None or arguments[0] != holds:
                yield from _if_branches(arguments[2], holds)
            return
    yield node


def _first(options: list[Value | None]) -> Value | None:
    """The first value :meth:`_Template.options` gives (that of :meth:`_Template.single`)."""
    return next((option for option in options if option is not None), None)


def _sub_text(node: Any) -> str | None:
    """The text an ``Fn::Sub`` substitutes in, as written (``https://${Bucket}.s3.../a.yaml``);
    None for any other node."""
    argument = node.get("Fn::Sub") if is_intrinsic(node) else None
    if isinstance(argument, PSeq) and argument:
        argument = argument[0]
    return argument if isinstance(argument, str) else None


def _if_condition(node: Any) -> Any:
    """The condition an ``Fn::If`` is on (as written); None for any other node."""
    arguments = node.get("Fn::If") if is_intrinsic(node) else None
    return arguments[0] if isinstance(arguments, PSeq) and len(arguments) == 3 else None


def _text(option: Value | None, imported: str = "") -> str | None:
    """The text of an option of :meth:`_Template.options`: "" for one not known, None for one
    left unset; ``imported`` for one an import alone leaves unknown (the stand-in another
    template's export takes the place of, rolelint.stack_exports)."""
    if option is None:
        return None
    if option.text is None and option.imported_names:
        return imported
    return option.text or ""


def _same_text(value: Value, names: tuple[Value, ...]) -> bool:
    """Whether ``names`` is the one value ``value`` is in every deployment: the same text, and
    the same parameter's default when it is one (or literal text both)."""
    return len(names) == 1 and names[0].text == value.text and names[0].origin == value.origin


def _leaves_out(node: Any) -> bool:
    """Whether some branch of a resolved node, a condition's choice, is ``AWS::NoValue``: the
    deployments taking it have none of what the other branches write."""
    return isinstance(node, Choice) and any(option is NO_VALUE for option in _options(node))


def _written_under(choice: Choice) -> Deployment | None:
    """The branches a document ``choice`` writes in one option, beside ``AWS::NoValue`` in the
    others, is deployed under: those of that option, when its options say where each is taken
    (holder.option_branches); None when they do not, or several options write one."""
    options = zip(choice.options, option_branches(choice), strict=True)
    written = [under for option, under in options if option is not NO_VALUE]
    return written[0] if len(written) == 1 and written[0] else None


def _options_under(node: Any) -> Iterator[tuple[Any, Deployment | None]]:
    """The options of ``node`` (as :func:`_options` gives them), each with the branches it is
    taken under, and only there (holder.option_branches): none for a node no condition
    chooses; None where its options do not say where each is taken."""
    if not isinstance(node, Choice):
        yield node, frozenset()
        return
    for option, under in zip(node.options, option_branches(node), strict=True):
        for inner, deeper in _options_under(option):
            both = None if under is None or deeper is None else joined_branches((under, deeper))
            yield inner, both


def _held_under(document: PolicyDocument, *choosing: Deployment | None) -> Deployment | None:
    """The branches an inline policy is deployed under: those of the options of the
    ``Policies`` list and of its entry that hold it (``choosing``), and those its document is
    written under (``PolicyDocument: !If [C, {...}, !Ref AWS::NoValue]``), all of them at
    once.  None where any of them is not known, or no deployment has them all: its Denies
    then limit nothing else (PolicyDocument.deployed_under)."""
    own = document.deployed_under if document.optional else frozenset()
    parts = (*choosing, own)
    if any(part is None for part in parts):
        return None
    return joined_branches(part for part in parts if part is not None) or None


def _options(node: Any) -> Iterator[Any]:
    if isinstance(node, Choice):
        for option in node.options:
            yield from _options(option)
    else:
        yield node


def _entries(node: Any, span: Span | None) -> Iterator[tuple[Any, Span | None]]:
    """The options of a resolved list item, each where it is written; of an option that is a
    list itself (the whole list chosen by ``Fn::If``), its items and their options."""
    for option in _options(node):
        if isinstance(option, PSeq):
            for index, item in enumerate(option):
                for entry in _options(item):
                    yield entry, option.span_at(index)
        else:
            yield option, span


def _sam_policy_names(node: Any, span: Span | None) -> frozenset[Span]:
    """Where a SAM ``Policies`` item (written at ``span``) is literal text, the only values SAM
    reads as a managed policy's name and makes its ARN: the item itself, a text branch of an
    ``Fn::If`` it is, and the text items of a list such a branch is.  Anything else (``!Ref``,
    ``!Sub``, ``!FindInMap``, a nested ``Fn::If``) SAM copies into the generated role's
    ManagedPolicyArns as it is (samtranslator construct_role_for_resource), and there a name
    is no ARN: taken for one, a parameter defaulting to ``AdministratorAccess`` made an
    administrator of a role that never holds it."""
    if isinstance(node, str):
        return frozenset() if span is None else frozenset({span})
    if isinstance(node, PSeq):  # a whole Policies list an Fn::If chooses: item by item
        found: set[Span] = set()
        for index, item in enumerate(node):
            found |= _sam_policy_names(item, node.span_at(index))
        return frozenset(found)
    arguments = node.get("Fn::If") if is_intrinsic(node) else None
    if not isinstance(arguments, PSeq) or len(arguments) != 3:
        return frozenset()
    branches: set[Span] = set()
    for index in (1, 2):
        branch = arguments[index]
        if isinstance(branch, (str, PSeq)):
            branches |= _sam_policy_names(branch, arguments.span_at(index))
    return frozenset(branches)


def _sam_managed_arn(value: Value, file: str) -> Value:
    """SAM accepts an AWS managed policy by name: ``AWSLambdaExecute`` means its ARN.  SAM
    looks the name up in IAM's list of AWS managed policies, which gives the policy's path
    (``service-role/AWSLambdaBasicExecutionRole``).  rolelint knows the path of a policy it
    ships the document of, and of those SAM attaches itself (SAM_OWN_POLICIES), so that the
    role holds each once beside the one SAM adds; neither rolelint's data nor the action
    catalog knows any other's.  Its path is then the stand-in of a path not known
    (unresolved_path, of the file and the name), which an ARN written with the root path
    does not equal and a pattern over every path matches, and which the note on the policy
    says is not known.  Taken at the root, ``AWSLambdaKinesisExecutionRole`` (under
    ``service-role/``) was an ARN of no policy, and attached elsewhere by its ARN, two
    policies with a note each."""
    from rolelint.managed_policies import arn_of

    if value.text is None or value.text.startswith("arn:"):
        return value
    name = value.text
    known = arn_of(name, "aws") or SAM_OWN_POLICIES.get(name)
    if known is None:
        known = AWS_MANAGED_POLICY_PREFIX.rstrip("/") + unresolved_path(file, name) + name
    return Value(known, value.ref)


def _service_trust(service: str, span: Span | None) -> PMap:
    """The trust policy SAM gives an implicit role (of a function, ``service`` Lambda; of a
    state machine, Step Functions), positioned at the resource."""
    principal = PMap(span)
    principal.set("Service", service, span, span)
    statement = PMap(span)
    statement.set("Effect", "Allow", span, span)
    statement.set("Principal", principal, span, span)
    statement.set("Action", "sts:AssumeRole", span, span)
    statements = PSeq(span)
    statements.add(statement, span)
    document = PMap(span)
    document.set("Version", "2012-10-17", span, span)
    document.set("Statement", statements, span, span)
    return document
