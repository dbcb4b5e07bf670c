"""CloudFormation intrinsic functions resolved statically, so policies are checked as deployed.

The resolver rebuilds only the subtrees it is given: intrinsic mappings become :class:`Value`
leaves (``text=None`` with a reason when no static value exists), ``Fn::If`` becomes a
:class:`Choice` keeping every branch (so does ``Fn::FindInMap`` keyed by what only the
deployment knows, such as the region, the partition or a parameter without a default, with every
entry that key may pick), and ``Ref AWS::NoValue`` becomes ``NO_VALUE``.  Containers
are copied with their spans; the loaded tree is never modified.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from itertools import product
from typing import TYPE_CHECKING, Any, NamedTuple

from rolelint import placeholders
from rolelint.arns import PARTITIONS, SYMBOLIC_PARTITION
from rolelint.model import THIS_ACCOUNT, THIS_REGION, Value
from rolelint.numbers import integer_of
from rolelint.parsers.cfn_dynamic_references import (
    DYNAMIC_REFERENCE,
    deploy_time,
    is_dynamic_reference,
)
from rolelint.parsers.cfn_parameters import (
    ANY,
    Allowed,
    allowed,
    operand_may_be,
    probe_reading,
)
from rolelint.parsers.ec2_ami import launch_parameter
from rolelint.parsers.text_places import Segment
from rolelint.parsers.tree import (
    ADMITS_ANYONE,
    MAX_TEXT,
    NO_VALUE,
    Choice,
    ConditionKey,
    JoinedPiece,
    PMap,
    PSeq,
    SplicedPiece,
    WrittenFloat,
    conditional,
    holds_wildcard,
    joined_constrained,
    joined_unknown,
    partly_known,
    picked_by,
    produced_list,
    span_in,
    spliced,
    written_as,
)
from rolelint.source import SourceRef, Span

if TYPE_CHECKING:
    from rolelint.parsers.cfn_conditions import Implications, Reach, Reaches

SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value<"
MAX_DEPTH = 40  # deeper nesting is pathological: the rest is left unresolved
MAX_ALTERNATIVES = 32  # Fn::If inside Sub/Join multiplies; beyond this the string is unresolved
# Conditions a new one is compared with to find one it is written as (condition_key): beyond
# them it is named by itself, and its Fn::Ifs are taken to be independent of theirs.
MAX_NAMED_CONDITIONS = 50
# Values copied out of Mappings (Fn::FindInMap) and list parameters across one template: each
# use makes its own positioned copy, so a long list used by every policy multiplies (a 50,000
# item mapping read by 400 roles made 20,000,000 values and a scan of minutes).
MAX_EXPANDED = 200_000
TOO_LONG = f"Fn::Sub or Fn::Join would build a string over {MAX_TEXT:,} characters"
TOO_DEEP = f"values nested more than {MAX_DEPTH} levels deep; what uses them is not analyzed"
EXPANDS_TOO_MUCH = (
    f"Fn::FindInMap, Fn::Split and list parameters of this template copy out over"
    f" {MAX_EXPANDED:,} values:"
    " from here on they are not expanded, and what uses them is not analyzed"
)

PSEUDO_PARAMETERS: dict[str, str | None] = {
    "AWS::AccountId": THIS_ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::Region": THIS_REGION,
    "AWS::StackName": None,
    "AWS::StackId": None,
    "AWS::NotificationARNs": None,
}
NO_VALUE_NAME = "AWS::NoValue"
# Everywhere else the partition and URL suffix stand in as their commonest values (an ARN of
# ``aws`` is matched as one): where a deployment's own value decides something (the entry of
# Mappings a key reads, a condition's truth) they are placeholders, as the account and region
# always are, so that a key made of them (``!Ref AWS::Partition``, ``!Sub
# "${AWS::Partition}"``) may be any entry of its level.
ANY_PARTITION = SYMBOLIC_PARTITION
ANY_URL_SUFFIX = "${AWS::URLSuffix}"
_DEPLOYMENTS_OWN = {"AWS::Partition": ANY_PARTITION, "AWS::URLSuffix": ANY_URL_SUFFIX}

# Parameter properties that keep a deployer from passing just anything (such as "" or "*").
_CONSTRAINTS = ("AllowedValues", "AllowedPattern")


class Piece(NamedTuple):
    """The unit Sub and Join compute with: a text or why there is none, whether a missing text
    is constrained (Value.constrained), whether it is not for a written wildcard alone
    (Value.wildcard_written), when only imports leave it unknown, what it is made of
    (Value.import_parts), whether a parameter's default is in it (Value.from_default), and
    what is known of a missing text (Value.partly_known).  A tuple, as every combination of
    alternatives is one."""

    text: str | None
    reason: str | None = None
    constrained: bool = False
    wildcard: bool = False
    imports: tuple[str, ...] | None = None
    from_default: bool = False
    known: tuple[str, ...] | None = None

    @classmethod
    def of(cls, value: Value) -> Piece:
        """The piece of a value, with what is known of it when its text is not."""
        return cls(
            value.text,
            value.unresolved_reason,
            value.constrained,
            value.wildcard_written,
            value.import_parts,
            value.from_default,
            value.partly_known,
        )

    @property
    def as_spliced(self) -> SplicedPiece:
        """The piece as :func:`~rolelint.parsers.tree.spliced` reads it: its text, else what
        is known of it around why the rest is not."""
        if self.text is not None:
            return self.text
        return self.known or ("", self.reason or "unknown", "")


class SubText(NamedTuple):
    """A text an ``Fn::Sub`` made of a template that may be JSON (a policy CloudFormation takes
    as text), as the template writes it: what places its parts in the file
    (rolelint.parsers.text_places), and says why a text left unknown is."""

    span: Span | None  # where the template is written
    template: str
    segments: tuple[Segment, ...] | None  # the made text's pieces; None when it is not known
    unknown: tuple[tuple[str, str], ...]  # each ${...} whose value is not known, and why


class _SubParts(NamedTuple):
    """An ``Fn::Sub``'s parts as it computes them (the texts of each, in the template's order:
    written text, then a ``${...}``'s value, and so on), and where the template writes each."""

    span: Span | None
    template: str
    parts: list[list[Piece]]
    written: list[tuple[int, int]]


def is_intrinsic(node: Any) -> bool:
    """A one-key mapping such as ``{"Ref": x}`` or ``{"Fn::Sub": ...}``."""
    if not isinstance(node, dict) or len(node) != 1:
        return False
    key = next(iter(node))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def intrinsic_target(node: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` names, else None."""
    if not is_intrinsic(node):
        return None
    name, argument = next(iter(node.items()))
    if name == "Ref" and isinstance(argument, str):
        return argument
    if name == "Fn::GetAtt":
        if isinstance(argument, str):
            return argument.split(".", 1)[0]
        if isinstance(argument, list) and argument and isinstance(argument[0], str):
            return argument[0]
    return None


def is_arn_attribute(node: Any) -> bool:
    """Whether ``node`` is an ``Fn::GetAtt`` of a resource's ``Arn`` (``!GetAtt P.Arn``,
    ``[P, Arn]``): the resource's ARN, where a ``Ref`` (and :func:`intrinsic_target`) gives its
    name for most types, an instance profile's among them."""
    written = _get_att_written(node)
    return written is not None and written.partition(".")[2] == "Arn"


def _get_att_written(node: Any) -> str | None:
    """``Resource.Attribute`` of an ``Fn::GetAtt`` whose names are written out (either form),
    else None."""
    if not is_intrinsic(node) or "Fn::GetAtt" not in node:
        return None
    argument = node["Fn::GetAtt"]
    if isinstance(argument, list) and len(argument) == 2:
        argument = ".".join(argument) if all(isinstance(a, str) for a in argument) else None
    return argument if isinstance(argument, str) else None


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """What intrinsics may read: the template's Parameters, Mappings and resource ids."""

    parameters: dict[str, Any]
    mappings: dict[str, Any]
    resources: frozenset[str]
    role_arn: Callable[[str], Value | None]  # the ARN of a role of the template, None if none
    # The ARN of an identity provider of the template (what its Ref returns), None if none.
    provider_arn: Callable[[str], Value | None] = lambda _: None
    # The ARN of a user or group of the template (what its Fn::GetAtt Arn returns), None if none.
    identity_arn: Callable[[str], Value | None] = lambda _: None
    # The ARN of an instance profile of the template (what its Fn::GetAtt Arn returns), None
    # if none.
    profile_arn: Callable[[str], Value | None] = lambda _: None
    # The ARN of a managed policy of the template (what its Ref and Fn::GetAtt PolicyArn
    # return), None if none or not known.
    policy_arn: Callable[[str], Value | None] = lambda _: None
    # The name of a role, user, group or instance profile of the template (what its Ref
    # returns), None if none.
    ref_name: Callable[[str], Value | None] = lambda _: None
    conditions: dict[str, Any] = field(default_factory=dict)  # the Conditions section
    # Whether a condition's operand may be a text, as the parameters' constraints say
    # (cfn_parameters.operand_may_be): the parser's own, so they are read once per template.
    may_be: Callable[[Any, str], bool] | None = None
    # Resources created only where a condition holds (``Condition: HasVendor``): where each
    # is written, its id and the condition.
    conditional_resources: tuple[tuple[Span, str, str], ...] = ()
    # Where YAML aliases copy values into other resources (their copies keep these places),
    # with every resource that reads them there.
    aliased: tuple[tuple[Span, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Masked:
    """A parameter that is not its default where a condition decides so (an Fn::If branch, a
    resource with a ``Condition:``): ``where`` says where, and ``text`` is the one value the
    condition leaves it (``IsProd: !Equals [!Ref Env, prod]`` holding), None when it only
    rules the default out."""

    where: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class MapKey:
    """One key of an ``Fn::FindInMap``: what it may be (several under Fn::If; nothing for
    ``AWS::NoValue``), each a text or, for a value only the deployment knows, the keys of its
    level that value may be (:class:`Allowed`: those a parameter's AllowedValues and
    AllowedPattern let through, but its default where a condition rules that out; ``ANY``,
    alone, when nothing limits it); ``label`` names it in messages."""

    options: tuple[str | Allowed, ...]
    label: str
    # A text of it is a parameter's default: which entry is read is another deployment's to
    # change (Value.from_default).
    from_default: bool = False
    # Where those defaults come from, for messages ("the default of parameter Env"), when the
    # key is a whole one (Value.origin).
    origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scope:
    """Where in a template the resolver is: what the Fn::If branches, condition operand,
    Mappings key or Fn::Split being resolved around say of what is read there.  One value,
    entered whole with :meth:`Resolver.within` and left however the block ends, so that no
    part of it can be changed and not put back, or carried where it does not hold."""

    # Parameters that are not their default in the Fn::If branch being resolved, each with
    # the condition that says so (rolelint.parsers.cfn_conditions).
    not_default: Mapping[str, Masked] = field(default_factory=dict)
    # The conditions the Fn::If branches being resolved stand in, each with its truth there:
    # an Fn::If nested in one on the same condition takes the same branch.
    assumed: Mapping[str, bool] = field(default_factory=dict)
    deciding: bool = False  # resolving a condition's operand: no Fn::If masks there
    keying: bool = False  # resolving a Mappings key or a condition's operand: see ANY_PARTITION
    cutting: bool = False  # resolving a text Fn::Split cuts: see Resolver.within_constraints


# The template's top level: what a resource's own properties are read in (outside_branches).
TOP_LEVEL = Scope()
# A condition's operand: every parameter at its default and no Fn::If mask inside, so that a
# condition's truth does not depend on where it is first asked about (condition_operand).
DECIDING = Scope(deciding=True, keying=True)


def _is_placeholder(text: str) -> bool:
    """A pseudo parameter's stand-in (``${AWS::Region}``) within ``text``."""
    return _PLACEHOLDER.search(text) is not None


# ``{{resolve:ssm:NAME}}`` or ``{{resolve:ssm:NAME:VERSION}}`` (not ``ssm-secure``).
_SSM_REFERENCE = re.compile(r"\{\{resolve:ssm:([^:}]+)(?::\d+)?\}\}")


def _within_constraints(unresolved: Value, parameter: Any) -> Value:
    """An unresolved parameter value, marked constrained when the parameter's AllowedValues or
    AllowedPattern keep some text out: rules then know it cannot be just anything."""
    if isinstance(parameter, PMap) and _keeps_out_anything(parameter):
        return replace(unresolved, constrained=True)
    return unresolved


def _keeps_out_anything(parameter: PMap) -> bool:
    """Whether a parameter's AllowedValues or AllowedPattern keep a deployer from passing ""
    or "*" (what makes a condition admit anyone): a list that offers "*" does not.  The
    pattern is read as Java reads it on these one-character texts (cfn_parameters.probe_reading:
    Python's ``re`` too where the subset Fn::FindInMap keys read stops, as for a repeated group
    or a flag); one it cannot read for certain (``&&`` intersects classes in Java, ``[[`` nests
    one) is taken to restrict, as it is written to."""
    if not any(key in parameter for key in _CONSTRAINTS):
        return False
    allowed = parameter.get("AllowedValues")
    listed = (
        {text for item in allowed if (text := _plain(item)) is not None}
        if isinstance(allowed, (list, PSeq))
        else None
    )
    pattern = parameter.get("AllowedPattern")
    for anything in ADMITS_ANYONE:
        if listed is not None and not any(
            text == anything if not anything else text and not text.strip("*") for text in listed
        ):
            continue
        if isinstance(pattern, str) and probe_reading(pattern, anything) is not True:
            continue
        return False
    return True


def _plain(scalar: Any) -> str | None:
    if isinstance(scalar, bool):
        return "true" if scalar else "false"
    if isinstance(scalar, (str, int, float)):
        return str(scalar)
    return None


def reads_ssm(parameter: PMap) -> bool:
    """Whether a parameter is of an ``AWS::SSM::Parameter::Value<...>`` type: its value is
    that of the SSM parameter its default (or what is passed) names, read when the stack
    deploys."""
    kind = parameter.get("Type")
    return isinstance(kind, str) and kind.startswith(SSM_PARAMETER_TYPE)


class Resolver:
    """Resolves intrinsic functions of one template; positions stay those of the template."""

    def __init__(self, file: str, context: TemplateContext) -> None:
        self.file = file
        self.context = context
        self.spent: dict[str, int] = {}  # by limit's message: how much of it this template used
        self.notices: list[tuple[SourceRef, str]] = []  # what the user should know was skipped
        self._noticed: set[tuple[SourceRef, str]] = set()  # the same, to keep each once
        self.scope = TOP_LEVEL  # where in the template what is being resolved is (within)
        # Each condition's truth with the defaults, worked out once (a condition may read an
        # Fn::If on another, or on itself); None: not certain.
        self._truths: dict[str, bool | None] = {}
        self._settled: dict[str, bool | None] = {}  # conditions no deployment decides
        # How Fn::If options name each condition (condition_key): by a condition met earlier
        # that it is, or is the negation of, else by itself.
        self._condition_keys: dict[str, tuple[str, bool]] = {}
        self._naming: list[str] = []  # the conditions that name others, in the order met
        self._named_by: Reaches | None = None  # what the first of them meet (_named_as)
        self._reaches: dict[str, Reach] = {}  # see _reach
        self._implications: Implications | None = None  # see _implied
        # Where a conditional resource is written, and the parameters that are not their
        # default in it (see resource_mask); worked out when first needed.
        self._resource_masks: list[tuple[Span, dict[str, Masked]]] | None = None
        self._masks_of: dict[str, dict[str, Masked]] = {}  # the same, by logical id
        # Fn::ToJsonString texts of objects, by id, each kept with its object (json_object).
        self._json_objects: dict[int, tuple[Value, PMap]] = {}
        # The texts Fn::Subs of templates that may be JSON made, by id, each kept with the
        # parts it was made of (keep_sub_texts).
        self._sub_texts: dict[int, tuple[Value, _SubParts]] = {}
        # Parameter values only the deployment knows, by id, each kept with what its
        # constraints (and the condition where it is read) let it be: what a Mappings key it
        # is may be (map_key).
        self._allowed: dict[int, tuple[Value, Allowed]] = {}
        # Whether a condition's operand may be a text, as the parameters' constraints say.
        self._may_be = context.may_be or operand_may_be(context.parameters)

    def too_many(self, count: int, span: Span | None) -> Value | None:
        """Count ``count`` more values copied out of Mappings and list parameters; past
        :data:`MAX_EXPANDED`, the unresolved value to use instead."""
        return self.spend(count, MAX_EXPANDED, EXPANDS_TOO_MUCH, span)

    def spend(self, count: int, limit: int, message: str, span: Span | None) -> Value | None:
        """Count ``count`` more of what ``limit`` bounds in one template (``message`` says what
        is over it); past it, the unresolved value to use instead, with a notice where it was
        first crossed (each use after it would say the same)."""
        spent = self.spent.get(message, 0) + count
        self.spent[message] = spent
        if spent <= limit:
            return None
        if spent - count <= limit:
            self.notice(span, message)
        return self.unresolved(span, message)

    def notice(self, span: Span | None, message: str) -> None:
        """Tell the user something was left unanalyzed, once per place."""
        entry = (self.ref(span), message)
        if entry not in self._noticed:
            self._noticed.add(entry)
            self.notices.append(entry)

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def unresolved(self, span: Span | None, reason: str) -> Value:
        return Value(None, self.ref(span), reason)

    # --- trees -----------------------------------------------------------------------------------

    def resolve(self, node: Any, span: Span | None, depth: int = 0) -> Any:
        """``node`` with every intrinsic replaced; scalars are returned as they are.

        Containers are copied only where something inside them changes: most of a template
        (a policy's actions and resources) holds no intrinsic, and copying every mapping and
        list of it was the larger part of resolving.  Trees are never modified after loading,
        so sharing the unchanged parts is safe.
        """
        if depth > MAX_DEPTH:
            if not self.scope.deciding:  # a condition's operand: the condition is just undecided
                self.notice(span, TOO_DEEP)
            return self.unresolved(span, "nesting too deep")
        if isinstance(node, PMap):
            if is_intrinsic(node):
                return self.intrinsic(node, span, depth)
            return self._resolve_mapping(node, depth)
        if isinstance(node, PSeq):
            return self._resolve_sequence(node, depth)
        if isinstance(node, dict):  # not positioned (should not happen): treat as opaque
            return self.unresolved(span, "not a positioned mapping")
        return node

    def _item(self, container: PMap | PSeq, key: Any, item: Any, depth: int) -> Any:
        """An item of a container at ``depth``, resolved.  A scalar resolves to itself unless it
        is too deep (then it is unresolved): it is not passed through :meth:`resolve`."""
        if depth < MAX_DEPTH and not isinstance(item, dict | list):
            return item
        return self.resolve(item, span_in(container, key), depth + 1)

    def _resolve_mapping(self, node: PMap, depth: int) -> PMap:
        copy: PMap | None = None
        for position, (key, item) in enumerate(node.items()):
            value = self._item(node, key, item, depth)
            if copy is None:
                if value is item:
                    continue
                copy = PMap(node.span)
                for earlier in list(node)[:position]:
                    copy.set(earlier, node[earlier], *_spans_of(node, earlier))
            if value is not NO_VALUE:
                copy.set(key, value, *_spans_of(node, key))
        return node if copy is None else copy

    def _resolve_sequence(self, node: PSeq, depth: int) -> PSeq:
        copy: PSeq | None = None
        for index, item in enumerate(node):
            value = self._item(node, index, item, depth)
            if isinstance(value, PSeq) and not isinstance(item, PSeq):
                value = produced_list(value)  # [!Ref ListParameter], [!Split [",", ...]]
            if copy is None:
                if value is item:
                    continue
                copy = PSeq(node.span)
                for earlier in range(index):
                    copy.add(node[earlier], node.span_at(earlier))
            if value is not NO_VALUE:
                copy.add(value, node.span_at(index))
        return node if copy is None else copy

    def scalar(self, container: Any, key: Any, depth: int = 0) -> tuple[Value, ...]:
        """Every possible value of a scalar property (several under Fn::If), each positioned."""
        span = span_in(container, key)
        return tuple(self.values(self.resolve(container[key], span, depth), span))

    def values(self, node: Any, span: Span | None) -> Iterator[Value]:
        """The resolved node as Values: a Choice fans out, NoValue disappears."""
        if isinstance(node, Choice):
            for option in node.options:
                yield from self.values(option, span)
        elif isinstance(node, Value):
            yield node
        elif node is NO_VALUE or node is None:
            return
        elif isinstance(node, (PMap, PSeq)):
            yield self.unresolved(node.span or span, "not a plain value")
        elif is_dynamic_reference(text := _plain(node)) and text is not None:
            yield deploy_time(text, self.ref(span))
        else:
            # A number as the template writes it (4.32e4, not 43200.0): the Value is quoted.
            text = node.written if isinstance(node, WrittenFloat) else _plain(node)
            if text is None:
                yield self.unresolved(span, "?")
            else:
                yield Value(text, self.ref(span), written=written_as(node))

    def ssm_parameter(self, node: Any, span: Span | None) -> str | None:
        """The name of the SSM parameter a value is read from when the stack deploys: the
        default of the ``AWS::SSM::Parameter::Value<...>`` parameter it refers to (where the
        parameter is its default), or the dynamic reference ``{{resolve:ssm:NAME}}`` it is; of
        an AMI, also ``resolve:ssm:NAME``, which EC2 reads when it launches.  None for any
        other value."""
        if is_intrinsic(node):
            name = node.get("Ref")
            parameter = self.context.parameters.get(name) if isinstance(name, str) else None
            if not isinstance(parameter, PMap) or "Default" not in parameter:
                return None
            if self.not_default_where(name, span) is not None:
                return None
            return _plain(parameter["Default"]) if reads_ssm(parameter) else None
        text = _plain(node)
        if text is None:
            return None
        found = _SSM_REFERENCE.fullmatch(text.strip())
        # else what EC2 itself reads from SSM at launch, which CloudFormation passes on
        return found.group(1) if found is not None else launch_parameter(text)

    # --- intrinsic functions ---------------------------------------------------------------------

    def intrinsic(self, node: PMap, span: Span | None, depth: int) -> Any:
        name, argument = next(iter(node.items()))
        inner = node.span_of(name)
        if name == "Ref":
            return self.reference(argument, span, depth)
        if name == "Fn::If":
            return self.condition(argument, span, depth)
        if name == "Fn::GetAtt":
            return self.get_att(argument, span, depth)
        if name == "Fn::Select":
            return self.select(argument, inner, span, depth)
        if name == "Fn::Split":
            return self.split(argument, inner, span, depth)
        if name == "Fn::FindInMap":
            return self.find_in_map(argument, inner, span, depth)
        if name == "Fn::ToJsonString" and isinstance(argument, (PMap, PSeq)):
            # AWS::LanguageExtensions: the JSON text of an object or list (a policy document
            # position reads it back as the object: see json_object).
            resolved = self.resolve(argument, inner, depth + 1)
            text = self.json_text(resolved, span)
            if isinstance(resolved, PMap):
                self._json_objects[id(text)] = (text, resolved)
            return text
        if name in ("Fn::Sub", "Fn::Join"):
            written: _SubParts | None = None
            if name == "Fn::Sub":
                pieces, written = self.sub(argument, inner, depth)
            else:
                pieces = self.join(argument, inner, depth)
            if any(piece.reason == TOO_LONG for piece in pieces):
                self.notice(span, f"{TOO_LONG}: it is not analyzed")
            resolved = self.from_pieces(pieces, span)
            if written is not None:
                self.keep_sub_texts(resolved, written)
            if (
                name == "Fn::Sub"
                and isinstance(resolved, Value)
                and resolved.text is not None
                and self.sub_of_role_arn(argument)
            ):  # that role of this template, as get_att gives it
                return replace(resolved, declared_in=self.file)
            return resolved
        unresolved = self.unresolved(span, f"{name} is not resolved statically")
        if name != "Fn::ImportValue":
            return unresolved
        # Another stack's export, read when this one deploys: nobody passes it in.  Its name
        # is kept for the template of the run that may export it (rolelint.stack_exports).
        imported = self.export_name(argument, inner, depth)
        return replace(unresolved, constrained=True, imported=imported)

    def sub_of_role_arn(self, argument: Any) -> bool:
        """Whether the Fn::Sub ``argument`` is one role's ARN and nothing else: ``${Role.Arn}``
        alone, or ``${X}`` alone with X given as ``Fn::GetAtt Role.Arn``, of a role of this
        template.  CloudFormation reads ``${Role.Arn}`` as Fn::GetAtt, so such a Sub is a
        whole reference to that role, as :meth:`get_att` gives it (Value.declared_in); with
        any text around it, it is a text written out."""
        template, variables = argument, None
        if isinstance(argument, PSeq) and len(argument) == 2:
            template, variables = argument[0], argument[1]
        found = placeholders.whole(template) if isinstance(template, str) else None
        if found is None:
            return False
        name = found.strip()
        if isinstance(variables, PMap) and name in variables:
            given = _get_att_written(variables[name])
            if given is None:
                return False
            name = given
        resource, _, attribute = name.partition(".")
        return attribute == "Arn" and self.context.role_arn(resource) is not None

    def export_name(self, node: Any, span: Span | None, depth: int = 0) -> str | None:
        """The name of an export (what ``Export: Name`` gives, what ``Fn::ImportValue`` reads)
        when it resolves statically, as any value does: a literal, or an Fn::Sub or Fn::Join
        of literals, parameter defaults and what is the same in every stack of an account and
        region (``${AWS::AccountId}``, ``${AWS::Region}``).  None when only the deployment
        knows it: ``${AWS::StackName}``, a parameter without a default, an Fn::If no
        deployment decides alike, a ``{{resolve:...}}`` reference."""
        found = list(self.values(self.resolve(node, span, depth + 1), span))
        if len(found) != 1:
            return None
        text = found[0].text
        return None if text is None or is_dynamic_reference(text) else text

    def json_object(self, value: Any) -> PMap | None:
        """The object an ``Fn::ToJsonString`` text was made of, resolved, its elements where
        they are written; None for any other value.  Where a whole policy document is
        expected, CloudFormation reads the JSON text back as that object (even when a value
        in it, so the text, is not known); anywhere else it is the text (json_text)."""
        found = self._json_objects.get(id(value))
        return found[1] if found is not None and found[0] is value else None

    def json_text(self, node: Any, span: Span | None) -> Value:
        """What ``Fn::ToJsonString`` gives of a resolved list or object: its JSON text, compact
        as CloudFormation writes it (``["*"]`` is that text, no wildcard).  Unresolved when a
        value in it is not known, or an Fn::If chooses one."""
        reasons: list[str] = []
        defaults: list[Value] = []  # the values of a parameter's default it holds

        def plain(item: Any) -> Any:
            if isinstance(item, PMap):
                return {str(key): plain(value) for key, value in item.items()}
            if isinstance(item, PSeq):
                return [plain(value) for value in item]
            if isinstance(item, Value):
                if item.text is None:
                    reasons.append(item.unresolved_reason or "unknown")
                if item.from_default:
                    defaults.append(item)
                return item.text
            if isinstance(item, Choice):
                reasons.append("a value chosen by Fn::If")
            elif isinstance(item, str) and is_dynamic_reference(item):
                reasons.append(DYNAMIC_REFERENCE)
            elif isinstance(item, (str, int, float)) or item is None:
                return item
            else:
                reasons.append("not a plain value")
            return None

        data = plain(node)
        if reasons:
            return self.unresolved(span, f"Fn::ToJsonString of {reasons[0]}")
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(text) > MAX_TEXT:
            return self.unresolved(span, f"Fn::ToJsonString text over {MAX_TEXT:,} characters")
        return Value(text, self.ref(span), from_default=bool(defaults))

    def reference(self, name: Any, span: Span | None, depth: int = 0) -> Any:
        if not isinstance(name, str):
            name = self.reference_name(name, span, depth)
        if not isinstance(name, str):
            return self.unresolved(span, "Ref to a name not known before deployment")
        if name == NO_VALUE_NAME:
            return NO_VALUE
        if name in PSEUDO_PARAMETERS:
            text = _DEPLOYMENTS_OWN.get(name) if self.scope.keying else None
            text = text or PSEUDO_PARAMETERS[name]
            return Value(text, self.ref(span)) if text else self.unresolved(span, name)
        parameter = self.context.parameters.get(name)
        masked = self.not_default_where(name, span)
        if masked is not None and masked.text is not None:
            # The one value the condition there leaves it.
            origin = f"parameter {name} where {masked.where}"
            return Value(masked.text, self.ref(span), origin=origin)
        if masked is not None:
            where = f"parameter {name} is not its default where {masked.where}"
            # Not its default, but still one of the values its constraints allow.
            unknown = self.within_constraints(self.unresolved(span, where), parameter)
            default = parameter.get("Default") if isinstance(parameter, PMap) else None
            return self.limited(unknown, allowed(parameter).without(_plain(default)))
        if isinstance(parameter, PMap):
            return self.parameter(name, parameter, span)
        if name in self.context.parameters:
            return self.unresolved(span, f"parameter {name} has no default")
        if name in self.context.resources:
            provider = self.context.provider_arn(name) or self.context.policy_arn(name)
            if provider is not None and provider.text is not None:
                return Value(provider.text, self.ref(span))
            # ``role/${AdminRole}`` names the role, ``user/${Deployer}`` the user
            named = self.context.ref_name(name)
            if named is not None and named.text is not None:
                return Value(named.text, self.ref(span), origin=named.origin)
            # What the resource's Ref returns (its name, its id) is AWS's: nobody passes it in.
            return replace(self.unresolved(span, f"resource {name}"), constrained=True)
        return self.unresolved(span, f"unknown reference {name}")

    def not_default_where(self, name: str, span: Span | None) -> Masked | None:
        """The condition under which parameter ``name`` is not its default where ``span`` is
        read (the Fn::If branch being resolved, or the Condition of the resource written
        there), with the value it leaves it if one; None where its default applies.  Every
        reader of a default asks this, so that none takes a default another deployment
        replaces."""
        return self.scope.not_default.get(name) or self.resource_mask(span).get(name)

    def reference_name(self, node: Any, span: Span | None, depth: int) -> str | None:
        """The name a ``Ref`` computes: AWS::LanguageExtensions lets its argument be an
        intrinsic function that gives a parameter's name (``{"Ref": {"Fn::Sub":
        "Param${Identifier}"}}`` in an Fn::ForEach).  None when it is not one certain text."""
        if not is_intrinsic(node):
            return None  # a list, a number: no name
        found = list(self.values(self.resolve(node, span, depth + 1), span))
        text = found[0].text if len(found) == 1 else None
        # The account and region stand in as placeholders: a name made of them is not known.
        return None if text is None or _is_placeholder(text) else text

    def within_constraints(self, unresolved: Value, parameter: Any) -> Value:
        """An unresolved parameter value, constrained as its AllowedValues or AllowedPattern
        say, but not in a text Fn::Split cuts: they bound the whole text, not its parts
        (``^.+,.+$`` keeps out "" and "*", and lets a deployer pass ``*,*``)."""
        return unresolved if self.scope.cutting else _within_constraints(unresolved, parameter)

    def limited(self, unknown: Value, allows: Allowed) -> Value:
        """``unknown``, a parameter's value only the deployment knows, kept with what it may
        be (allowed_of).  Also within a text Fn::Split cuts: split returns new values, never
        this one, and an Fn::FindInMap key inside it is still the parameter's."""
        if not allows.unlimited:
            self._allowed[id(unknown)] = (unknown, allows)
        return unknown

    def allowed_of(self, value: Value) -> Allowed:
        """What a value not known may be: what its parameter's constraints (and the condition
        where it is read) allow, ANY for any other value."""
        found = self._allowed.get(id(value))
        return found[1] if found is not None and found[0] is value else ANY

    def parameter(self, name: str, parameter: PMap, span: Span | None) -> Any:
        if "Default" not in parameter:
            unknown = self.unresolved(span, f"parameter {name} has no default")
            return self.limited(self.within_constraints(unknown, parameter), allowed(parameter))
        default = parameter["Default"]
        kind = parameter.get("Type")
        if reads_ssm(parameter):
            # The default names an SSM parameter; its value is read when the stack deploys.
            where = _plain(default) or "?"
            return self.unresolved(span, f"parameter {name} is the SSM parameter {where}")
        is_list = isinstance(kind, str) and (
            kind == "CommaDelimitedList" or kind.startswith("List<")
        )
        if is_list or isinstance(default, PSeq):
            listed = "" if isinstance(default, PSeq) else str(_plain(default) or "")
            count = len(default) if isinstance(default, PSeq) else listed.count(",") + 1
            refused = self.too_many(count, span)
            if refused is not None:
                return refused
            items = default if isinstance(default, PSeq) else listed.split(",")
            sequence = PSeq(span)
            for item in items:
                text = _plain(item)
                sequence.add(
                    Value(
                        text.strip(),
                        self.ref(span),
                        origin=f"the default of parameter {name}",
                        from_default=True,
                    )
                    if text is not None
                    else self.unresolved(span, f"parameter {name} has a non-scalar default"),
                    span,
                )
            return sequence
        text = _plain(default)
        if text is None:
            return self.unresolved(span, f"parameter {name} has a non-scalar default")
        return Value(
            text, self.ref(span), origin=f"the default of parameter {name}", from_default=True
        )

    def condition(self, argument: Any, span: Span | None, depth: int) -> Any:
        from rolelint.parsers import cfn_conditions

        if not isinstance(argument, PSeq) or len(argument) != 3:
            return self.unresolved(span, "malformed Fn::If")
        options: list[tuple[bool, Any]] = []
        name = argument[0]
        masked = self.branch_masks(name)
        settled = self.settled(name)
        outer = self.scope
        if settled is None and not outer.deciding:
            # Read only where the enclosing branches' conditions (and the resource's
            # Condition) have their truth: one of them may decide this one.
            assumed = outer.assumed
            within = self.resource_condition(span)
            if within is not None:
                assumed = {within: True, **assumed}
            conditions = self.context.conditions
            settled = cfn_conditions.decided_where(name, assumed, conditions, self._implied())
        # Read on both branches, the options say which: another Fn::If of the same statement
        # on this condition takes the same branch (rolelint.parsers.paired_branches).
        named = self.condition_key(name) if settled is None else None
        key, same = named if named is not None else (None, True)
        for index in (1, 2) if settled is None else (1 if settled else 2,):
            branch_span = argument.span_at(index)
            branch = replace(
                outer,
                not_default={**outer.not_default, **masked[index - 1]},
                assumed=(
                    {**outer.assumed, name: index == 1}
                    if isinstance(name, str) and not outer.deciding
                    else outer.assumed
                ),
            )
            with self.within(branch):
                option = self.resolve(argument[index], branch_span, depth + 1)
            text = _plain(option)
            if text is not None:
                option = Value(text, self.ref(branch_span))
            options.append(((index == 1) == same, option))
        return conditional(key, options)

    def condition_key(self, name: Any) -> tuple[ConditionKey, bool] | None:
        """How the options of an ``Fn::If`` on ``name`` name the condition, and whether the
        condition named holds where ``name`` does (True) or where it does not (False).  None
        for a name that is no condition of the template, or read while a condition is decided.

        A condition is named by this template and its name, or by the first condition met that
        it is written as or as the negation of (``IsProd: !Not [!Condition IsDev]``, the same
        ``Fn::Equals`` under another name: cfn_conditions.implied), so that an Fn::If on each
        takes branches that go together.  Conditions that only the parameters' constraints
        make exclusive (``!Equals [!Ref Env, dev]`` and ``!Equals [!Ref Env, prod]`` where Env
        is dev or prod) are taken to be independent: a statement choosing by each is judged
        with every combination of their branches, more than is deployed, never less."""
        if self.scope.deciding or not isinstance(name, str) or name not in self.context.conditions:
            return None
        if name not in self._condition_keys:
            self._condition_keys[name] = self._named_as(name)
        found, same = self._condition_keys[name]
        return (self.file, found), same

    def _named_as(self, name: str) -> tuple[str, bool]:
        """The condition met before that ``name`` is, or is the negation of (and whether it
        is that one rather than its negation); else ``name`` itself."""
        from rolelint.parsers import cfn_conditions

        reached = self._reach(name)
        if self._named_by is None:
            self._named_by = cfn_conditions.Reaches()
        # Most conditions meet none of the earlier ones nor their tests, and none of those
        # meets them: that is asked of all of them at once, not of each pair.
        if self._named_by.may_pair(name, reached):
            found = self._named_as_earlier(name, reached)
            if found is not None:
                return found
        self._naming.append(name)
        if len(self._naming) <= MAX_NAMED_CONDITIONS:
            self._named_by.add(name, reached)
        return name, True

    def _named_as_earlier(self, name: str, reached: Reach) -> tuple[str, bool] | None:
        """The condition met before that ``name`` (whose reading meets ``reached``) is, or is
        the negation of, and whether it is that one; None when it is none of them."""
        implications = self._implied()
        for earlier in self._naming[:MAX_NAMED_CONDITIONS]:
            # Most pairs meet neither the other nor its test: nothing to read (a template of
            # 800 conditions compared each with 50 earlier ones, four readings a pair).
            theirs = self._reach(earlier)
            if not (reached.may_decide(theirs, earlier) or theirs.may_decide(reached, name)):
                continue
            for one, other in ((name, earlier), (earlier, name)):
                where_true = implications.implied(one, other, True)
                where_false = implications.implied(one, other, False)
                if where_true is not None and where_false is (not where_true):
                    return earlier, where_true
        return None

    def _implied(self) -> Implications:
        """cfn_conditions.implied of this template's conditions: each condition read once for
        each truth, whatever is asked of it (a condition is compared with up to 50 earlier
        ones, four questions a pair)."""
        from rolelint.parsers import cfn_conditions

        if self._implications is None:
            self._implications = cfn_conditions.Implications(self.context.conditions)
        return self._implications

    def _reach(self, name: str) -> Reach:
        """cfn_conditions.reach of condition ``name``, worked out once."""
        from rolelint.parsers import cfn_conditions

        known = self._reaches.get(name)
        if known is None:
            known = self._reaches[name] = cfn_conditions.reach(name, self.context.conditions)
        return known

    def settled(self, name: Any) -> bool | None:
        """Whether condition ``name`` holds whatever the parameters (``Never: !Equals [true,
        false]``): then the other branch of an Fn::If on it is never deployed, and not read.
        None when a deployment may decide it."""
        from rolelint.parsers import cfn_conditions

        if self.scope.deciding or not isinstance(name, str) or name not in self.context.conditions:
            return None
        if name not in self._settled:
            conditions = self.context.conditions
            self._settled[name] = cfn_conditions.holds(
                name, conditions, cfn_conditions.written_operand, self._may_be
            )
        return self._settled[name]

    def branch_masks(self, name: Any) -> tuple[dict[str, Masked], dict[str, Masked]]:
        """For the two branches of ``Fn::If`` on condition ``name``: the parameters that are
        not their default there.  When the defaults make the condition pick one branch, the
        other is deployed only with parameters the condition reads set otherwise; those that
        must be (cfn_conditions.forced_parameters) are unknown in it, or the one text the
        condition leaves them (``Env`` is ``prod`` where ``!Equals [!Ref Env, prod]`` holds),
        which is what a Mappings entry keyed by it then reads."""
        from rolelint.parsers import cfn_conditions

        conditions = self.context.conditions
        if self.scope.deciding or not isinstance(name, str) or name not in conditions:
            return {}, {}
        holds = self.truth(name)
        if holds is None:
            return {}, {}
        forced = cfn_conditions.forced_parameters(
            name, conditions, self.context.parameters, self.condition_operand, not holds
        )
        state = "false" if holds else "true"
        masked = {
            parameter: Masked(f"condition {name} is {state}", text)
            for parameter, text in forced.items()
        }
        return ({}, masked) if holds else (masked, {})

    def resource_mask(self, span: Span | None) -> dict[str, Masked]:
        """The parameters that are not their default in the resource written around ``span``.

        A resource with ``Condition: HasExternalId`` exists only where the condition holds:
        when the defaults make it false, the parameters it reads must be set otherwise there,
        as in the true branch of an Fn::If (``sts:ExternalId: !Ref ExternalId`` is not the
        empty default the condition rules out)."""
        if span is None or self.scope.deciding or not self.context.conditional_resources:
            return {}
        if self._resource_masks is None:
            self._resource_masks = []
            for where, logical_id, condition in self.context.conditional_resources:
                mask = self.branch_masks(condition)[0]
                if mask:
                    exists = f"resource {logical_id} exists"
                    reason = {
                        p: replace(why, where=f"{exists} ({why.where})") for p, why in mask.items()
                    }
                    self._resource_masks.append((where, reason))
                    self._masks_of[logical_id] = reason
        at = Span.point(span.line, span.column)
        for shared, readers in self.context.aliased:
            if shared.encloses(at):
                # Read in several resources: masked only where every one of them masks it, and
                # one text only where every one leaves it that text.
                masks = [self._masks_of.get(reader, {}) for reader in readers]
                return {
                    p: why if all(m[p].text == why.text for m in masks) else replace(why, text=None)
                    for p, why in masks[0].items()
                    if all(p in m for m in masks)
                }
        for where, mask in self._resource_masks:
            if where.encloses(at):
                return mask
        return {}

    def resource_condition(self, span: Span | None) -> str | None:
        """The ``Condition`` of the resource written around ``span``, None when it has none.

        Whatever is read inside a resource is read only in the deployments that create it,
        where its Condition holds: there ``Fn::If`` on that same condition always takes its
        first branch (CloudFormation evaluates both with the same parameters).  A value a YAML
        alias (or ``Globals``) shares among resources has a condition only where every reader
        has the same one."""
        if span is None or self.scope.deciding or not self.context.conditional_resources:
            return None
        at = Span.point(span.line, span.column)
        conditions = {key: name for _, key, name in self.context.conditional_resources}
        for shared, readers in self.context.aliased:
            if shared.encloses(at):
                found = {conditions.get(reader) for reader in readers}
                return found.pop() if len(found) == 1 else None
        # Resources a loop (Fn::ForEach) writes out share their places: all must agree.
        enclosing = self.context.conditional_resources
        names = {name for where, _, name in enclosing if where.encloses(at)}
        return names.pop() if len(names) == 1 else None

    def truth(self, name: str) -> bool | None:
        """Whether condition ``name`` holds with the defaults (condition_operand), once per
        template: one condition naming another through an Fn::If (even itself) is evaluated
        once, never recursively."""
        from rolelint.parsers import cfn_conditions

        if name in self._truths:
            return self._truths[name]
        self._truths[name] = None  # while deciding: a condition that reads itself is undecided
        decided = cfn_conditions.holds(name, self.context.conditions, self.condition_operand)
        self._truths[name] = decided
        return decided

    @contextmanager
    def within(self, scope: Scope) -> Iterator[None]:
        """Resolve in ``scope`` until the block ends, then in the scope around it again,
        however the block ends (an exception included)."""
        outer, self.scope = self.scope, scope
        try:
            yield
        finally:
            self.scope = outer

    def outside_branches(self) -> AbstractContextManager[None]:
        """Resolve as at the template's top level, whatever is being resolved around (an
        Fn::If branch with its assumed conditions and masked parameters, a condition's
        operand, a Mappings key, a text Fn::Split cuts).  For facts about a resource worked
        out once, when something first asks, and kept for the whole template (a role's ARNs,
        the names of its managed policies): worked out inside ``!If [IsProd, ...]`` they kept
        only the name ``RoleName: !If [IsProd, prod-ci, dev-ci]`` has there, and what the
        template says then depended on which resource asked first."""
        return self.within(TOP_LEVEL)

    def condition_operand(self, node: Any) -> str | None:
        """An Fn::Equals operand's text with the defaults; None when not certain (a pseudo
        parameter such as the account or region, an import, a list, one nested deeper than
        :data:`MAX_DEPTH`, of which no notice is given: the condition is only undecided)."""
        # Every parameter at its default, and no Fn::If masks inside (branch_masks), so the
        # answer does not depend on where the condition is asked about.
        with self.within(DECIDING):
            resolved = self.resolve(node, None)
        if isinstance(resolved, Value):
            text = resolved.text
        else:
            text = None if isinstance(resolved, PMap | PSeq | Choice) else _plain(resolved)
        # The account, region, partition and URL suffix stand in as placeholders: their value
        # is not known (written or in an Fn::Sub).
        if text is None or _is_placeholder(text):
            return None
        return text

    def get_att(self, argument: Any, span: Span | None, depth: int = 0) -> Value:
        """What ``Fn::GetAtt`` gives.  AWS::LanguageExtensions lets the logical id or the
        attribute be computed (``!GetAtt [!Sub "Ci${Team}", Arn]`` in an Fn::ForEach), named
        as a Ref's is (reference_name).  Whatever it names, the value is AWS's: never one
        whoever deploys passes in, so constrained even when the name is not known."""
        if isinstance(argument, str):
            resource, _, attribute = argument.partition(".")
        elif isinstance(argument, PSeq) and len(argument) == 2:
            resource, attribute = argument[0], argument[1]
        else:
            return self.unresolved(span, "malformed Fn::GetAtt")
        if not isinstance(resource, str):
            resource = self.reference_name(resource, span, depth)
        if not isinstance(attribute, str):
            attribute = self.reference_name(attribute, span, depth)
        if resource is None or attribute is None:
            unknown = self.unresolved(span, "Fn::GetAtt with a computed name")
            return replace(unknown, constrained=True)
        piece = self.attribute(resource, attribute)
        if piece.text is None:
            unresolved = self.unresolved(span, piece.reason or "unknown attribute")
            return replace(
                unresolved, constrained=piece.constrained, wildcard_written=piece.wildcard
            )
        # A role's Arn names that role of this template (Value.declared_in).
        role = attribute == "Arn" and self.context.role_arn(resource) is not None
        return Value(piece.text, self.ref(span), declared_in=self.file if role else None)

    def attribute(self, resource: str, attribute: str) -> Piece:
        """What ``Fn::GetAtt [resource, attribute]`` gives.  An attribute rolelint does not
        know is AWS's, read when the stack deploys: constrained, as nobody passes it in."""
        if attribute == "Arn":
            arn = (
                self.context.role_arn(resource)
                or self.context.provider_arn(resource)
                or self.context.identity_arn(resource)
                or self.context.profile_arn(resource)
            )
            if arn is not None:
                return Piece.of(arn)
        if attribute == "PolicyArn":
            arn = self.context.policy_arn(resource)
            if arn is not None:
                return Piece.of(arn)
        if resource not in self.context.resources:
            return Piece(None, f"unknown resource {resource}")
        return Piece(None, f"attribute {attribute} of resource {resource}", constrained=True)

    def select(self, argument: Any, inner: Span | None, span: Span | None, depth: int) -> Any:
        if not isinstance(argument, PSeq) or len(argument) != 2:
            return self.unresolved(span, "malformed Fn::Select")
        index_values = list(self.values(self.resolve(argument[0], inner, depth + 1), inner))
        index_text = index_values[0].text if len(index_values) == 1 else None
        index = integer_of(index_text) if index_text is not None else None
        if index is None or index < 0:
            return self.unresolved(span, "Fn::Select with a computed index")
        by_default = index_values[0].from_default
        picker = index_values[0].origin if by_default else None
        chosen: list[Any] = []
        for option in _options(self.resolve(argument[1], argument.span_at(1), depth + 1)):
            if isinstance(option, Value):  # a list parameter: its constraints hold for each item
                unknown = self.unresolved(span, f"Fn::Select from {option.unresolved_reason}")
                return replace(unknown, constrained=option.constrained)
            if not isinstance(option, PSeq):
                return self.unresolved(span, "Fn::Select from a non-list")
            if index >= len(option):
                return self.unresolved(span, f"Fn::Select index {index} out of range")
            item = option[index]
            if isinstance(item, Value):  # the element, with what is known of it, is at the Select
                chosen.append(replace(item, ref=self.ref(span)))
                continue
            text = _plain(item)
            chosen.append(Value(text, self.ref(span)) if text is not None else item)
        found = chosen[0] if len(chosen) == 1 else Choice(tuple(chosen))
        if not by_default:
            return found
        return self.defaulted(found, span, f"the item {picked_by([picker])}" if picker else None)

    def split(self, argument: Any, inner: Span | None, span: Span | None, depth: int) -> Any:
        """The list of a known text cut at a delimiter (``!Split [":", !Ref RoleArn]``, which
        ``!Select`` then picks from), each part at the Fn::Split.  The parts of a text not
        known are not either, but constrained where AWS supplies the whole (within_constraints
        says why a parameter's constraints do not carry over)."""
        if not isinstance(argument, PSeq) or len(argument) != 2:
            return self.unresolved(span, "malformed Fn::Split")
        delimiter = _plain(argument[0])
        if not delimiter:  # CloudFormation takes a literal delimiter only
            return self.unresolved(span, "Fn::Split with a delimiter that is not a literal")
        with self.within(replace(self.scope, cutting=True)):
            found = list(self.values(self.resolve(argument[1], inner, depth + 1), inner))
        if len(found) != 1 or found[0].text is None:
            reason = found[0].unresolved_reason if len(found) == 1 else "a conditional text"
            unknown = self.unresolved(span, f"Fn::Split of {reason or 'a computed text'}")
            # A part of what AWS supplies (an attribute, an export) is nobody's choice either.
            return replace(unknown, constrained=len(found) == 1 and found[0].constrained)
        parts = _cut(found[0].text, delimiter)
        if parts is None:
            reason = (
                f"Fn::Split at {delimiter!r}, which the account id or region in"
                f" {found[0].text!r} may hold"
            )
            # Where the cuts fall is the deployment's: no part is the deployer's choice.
            # A part may be any piece of the text: one wildcard anywhere may be a part alone.
            written = _PLACEHOLDER.sub("", found[0].text)
            unknown = self.unresolved(span, reason)
            wildcard = holds_wildcard(written)
            return replace(unknown, constrained=not wildcard, wildcard_written=wildcard)
        refused = self.too_many(len(parts), span)
        if refused is not None:
            return refused
        sequence = PSeq(span)
        for part in parts:
            part_value = Value(
                part, self.ref(span), origin=found[0].origin, from_default=found[0].from_default
            )
            sequence.add(part_value, span)
        return sequence

    def find_in_map(self, argument: Any, inner: Span | None, span: Span | None, depth: int) -> Any:
        if not isinstance(argument, PSeq) or len(argument) < 3:
            return self.unresolved(span, "malformed Fn::FindInMap")
        keys = [self.map_key(argument[index], inner, depth) for index in range(3)]
        label = "/".join(key.label for key in keys)
        if any(key.options == () for key in keys):
            return self.unresolved(span, f"Fn::FindInMap {label} has a key that is AWS::NoValue")
        default = argument[3] if len(argument) > 3 else None
        looked_up = self.map_entries(keys, span)
        if isinstance(looked_up, Value):
            return looked_up
        entries, may_miss = looked_up
        options = [self.literal(entry, span) for entry in entries]
        if may_miss and isinstance(default, PMap) and "DefaultValue" in default:
            # AWS::LanguageExtensions: the fourth argument's DefaultValue stands in where the
            # keys are not in the map: always for a concrete key that is missing, and for a
            # key only the deployment knows that the map may not name.
            options.append(self.resolve(default["DefaultValue"], inner, depth + 1))
        if not options:
            # Every deployment that reads it fails (CloudFormation refuses a missing key): no
            # deployer passes anything through it.
            missing = self.unresolved(span, f"Fn::FindInMap {label} is not in Mappings")
            return replace(missing, constrained=True)
        chosen = self.map_choice(options, label, span)
        if not any(key.from_default for key in keys):
            return chosen
        origins = [origin for key in keys for origin in key.origins]
        origin = f"the entry of Mappings {keys[0].label} {picked_by(origins)}" if origins else None
        return self.defaulted(chosen, span, origin)

    def map_key(self, node: Any, span: Span | None, depth: int) -> MapKey:
        """What one key of ``Fn::FindInMap`` may be: the texts of its branches (an Fn::If), and
        for a value not known before deployment, the keys it may be: those its parameter's
        constraints allow (a parameter without a default, or one a condition says is not its
        default there), else any (an import); the account, region, partition and URL suffix,
        alone or in an Fn::Sub, are placeholders that may be any key their written text
        around them fits (ANY_PARTITION, map_entries)."""
        with self.within(replace(self.scope, keying=True)):
            found = list(self.values(self.resolve(node, span, depth + 1), span))
        unknown = next((v.unresolved_reason or "?" for v in found if v.text is None), None)
        texts = tuple(dict.fromkeys(v.text for v in found if v.text is not None))
        by_default = any(v.from_default for v in found)
        origins = tuple(dict.fromkeys(v.origin for v in found if v.from_default and v.origin))
        if unknown is None:
            return MapKey(texts, "|".join(texts), by_default, origins)
        options = tuple(
            dict.fromkeys(v.text if v.text is not None else self.allowed_of(v) for v in found)
        )
        return MapKey((ANY,) if ANY in options else options, f"<{unknown}>", by_default, origins)

    def map_entries(self, keys: list[MapKey], span: Span | None) -> tuple[list[Any], bool] | Value:
        """The values of Mappings ``Fn::FindInMap`` may read, and whether some deployment's keys
        may be missing from the map.  A key only deployment knows (AWS::Region and
        AWS::AccountId stand in as placeholders, which no map names; a parameter without a
        default) may be any entry of its level that it can match, within its parameter's
        constraints: the map is written, and CloudFormation fails a deployment whose key is
        not in it (unless a DefaultValue stands in).  A key an Fn::If chooses is each of its
        texts.  Past :data:`MAX_EXPANDED` values copied, the unresolved value to use instead."""
        reached: list[Any] = [self.context.mappings]
        may_miss = False
        for key in keys:
            following: list[Any] = []
            for node in reached:
                if not isinstance(node, dict):
                    may_miss = True
                    continue
                for option in key.options:
                    if isinstance(option, str) and not _is_placeholder(option):
                        if option in node:
                            following.append(node[option])
                        else:
                            may_miss = True
                        continue
                    refused = self.too_many(len(node), span)
                    if refused is not None:
                        return refused
                    admits = (
                        _placeholder_pattern(option).fullmatch
                        if isinstance(option, str)
                        else None
                        if option.unlimited
                        else option.admits
                    )
                    following.extend(
                        value
                        for name, value in node.items()
                        if admits is None or ((t := _plain(name)) is not None and admits(t))
                    )
                    # a key the map does not name
                    may_miss = may_miss or _names_more(option, node)
            reached = following
        refused = self.too_many(sum(_scalars(entry) for entry in reached), span)
        return refused if refused is not None else (reached, may_miss)

    def map_choice(self, options: list[Any], label: str, span: Span | None) -> Any:
        """What a lookup in Mappings gives: its one value, or a :class:`Choice` of those a
        deployment's keys may pick (each analyzed, as Fn::If's branches are; the
        same text once).  Past :data:`MAX_ALTERNATIVES`, unresolved: constrained unless an
        entry is empty or holds a wildcard, since the map, not whoever deploys, decides it."""
        distinct: list[Any] = []
        texts: set[str] = set()
        for option in _options(Choice(tuple(options))):
            text = option.text if isinstance(option, Value) else None
            if text is not None and text in texts:
                continue
            if text is not None:
                texts.add(text)
            distinct.append(option)
        if len(distinct) == 1:
            return distinct[0]
        if len(distinct) <= MAX_ALTERNATIVES:
            return Choice(tuple(distinct))
        reason = f"Fn::FindInMap {label} is one of {len(distinct)} values of Mappings"
        pinned = all(_pins(option) for option in distinct)
        return replace(self.unresolved(span, reason), constrained=pinned)

    def literal(self, node: Any, span: Span | None) -> Any:
        """A literal from Mappings, positioned at the place that reads it."""
        text = _plain(node)
        if text is not None:
            return Value(text, self.ref(span))
        if isinstance(node, PSeq):
            sequence = PSeq(span)
            for item in node:
                sequence.add(self.literal(item, span), span)
            return sequence
        return self.unresolved(span, "a mapping value that is not a plain value")

    def defaulted(self, node: Any, span: Span | None, origin: str | None = None) -> Any:
        """``node`` as what a parameter's default chose (an Fn::Select index, a Mappings key):
        each text in it, however it is written, made of that default (Value.from_default), and
        each known one without an origin of its own given ``origin`` ("the entry of Mappings M
        picked by the default of parameter Env"), which messages name as they name a default's
        (Value.origin).  What no text gives (an unknown value, AWS::NoValue) is as it was."""
        if isinstance(node, Choice):
            return node.mapped(lambda option: self.defaulted(option, span, origin))
        if isinstance(node, PSeq):
            sequence = PSeq(node.span)
            for index, item in enumerate(node):
                marked = self.defaulted(item, node.span_at(index), origin)
                sequence.add(marked, node.span_at(index))
            return sequence
        if _plain(node) is not None:  # a plain scalar, as values() reads it
            [node] = self.values(node, span)
        if not isinstance(node, Value):
            return node
        if node.text is None and node.import_parts is None:
            return node
        said = node.origin if node.origin is not None or node.text is None else origin
        if node.from_default and said == node.origin:
            return node
        return replace(node, from_default=True, origin=said)

    # --- strings (Sub, Join) ---------------------------------------------------------------------

    def pieces(self, node: Any) -> list[Piece]:
        """Every possible text of a resolved node."""
        result: list[Piece] = []
        for option in _options(node):
            if isinstance(option, Value):
                result.append(Piece.of(option))
            elif option is NO_VALUE:
                result.append(Piece(None, "AWS::NoValue in a string"))
            else:
                text = _plain(option)
                result.append(Piece(text, None if text is not None else "not a string"))
        return result

    def sub(
        self, argument: Any, inner: Span | None, depth: int
    ) -> tuple[list[Piece], _SubParts | None]:
        """The texts an ``Fn::Sub`` makes, and, of a template that may be JSON (it starts with
        ``{``), its parts, where the template writes each (see keep_sub_texts)."""
        variables: Any = None
        template = argument
        at = inner
        if isinstance(argument, PSeq):
            if len(argument) != 2:
                return [Piece(None, "malformed Fn::Sub")], None
            template, variables, at = argument[0], argument[1], argument.span_at(0)
        if not isinstance(template, str):
            return [Piece(None, "Fn::Sub with a computed template")], None
        parts: list[list[Piece]] = []
        written: list[tuple[int, int]] = []
        position = 0
        for start, end in placeholders.spans(template):
            parts.append([Piece(template[position:start])])
            written += [(position, start), (start, end)]
            position = end
            name = template[start + 2 : end - 1].strip()
            if name.startswith("!"):
                parts.append([Piece("${" + name[1:] + "}")])
            elif isinstance(variables, PMap) and name in variables:
                resolved = self.resolve(variables[name], variables.span_of(name), depth + 1)
                parts.append(self.pieces(resolved))
            elif "." in name and not name.startswith("AWS::"):
                resource, _, attribute = name.partition(".")
                parts.append([self.attribute(resource, attribute)])
            else:
                parts.append(self.pieces(self.reference(name, inner)))
        parts.append([Piece(template[position:])])
        written.append((position, len(template)))
        pieces = _concatenate(parts, "")
        if not template.lstrip().startswith("{"):
            return pieces, None
        return pieces, _SubParts(at, template, parts, written)

    def keep_sub_texts(self, resolved: Any, sub: _SubParts) -> None:
        """Keep, with each text ``resolved`` holds (those an ``Fn::Sub`` of a template that may
        be JSON made), the parts it was made of, for sub_text: most such texts are no policy
        (a state machine's definition), and are never asked for."""
        for option in _options(resolved):
            if isinstance(option, Value):
                self._sub_texts[id(option)] = (option, sub)

    def sub_text(self, value: Any) -> SubText | None:
        """How the template of the ``Fn::Sub`` that made ``value`` writes it, when it may be
        JSON (keep_sub_texts); None for any other value."""
        found = self._sub_texts.get(id(value))
        if found is None or found[0] is not value:
            return None
        sub = found[1]
        unknown = tuple(
            dict.fromkeys(  # each ${...} once, however often it is written
                (sub.template[start:end], missing[0].reason or "unknown")
                for options, (start, end) in zip(sub.parts[1::2], sub.written[1::2], strict=True)
                if (missing := [piece for piece in options if piece.text is None])
            )
        )
        segments = _segments(sub, value.text) if value.text is not None else None
        return SubText(sub.span, sub.template, segments, unknown)

    def join(self, argument: Any, inner: Span | None, depth: int) -> list[Piece]:
        if not isinstance(argument, PSeq) or len(argument) != 2:
            return [Piece(None, "malformed Fn::Join")]
        delimiter = _plain(argument[0])
        if delimiter is None:
            return [Piece(None, "Fn::Join with a computed delimiter")]
        result: list[Piece] = []
        for option in _options(self.resolve(argument[1], argument.span_at(1), depth + 1)):
            if isinstance(option, Value):
                reason = option.unresolved_reason or "Fn::Join of a single value"
                result.append(Piece(None, reason))
            elif isinstance(option, PSeq):
                result.extend(_concatenate([self.pieces(item) for item in option], delimiter))
            else:
                result.append(Piece(None, "Fn::Join of a non-list"))
        return result

    def from_pieces(self, pieces: list[Piece], span: Span | None) -> Any:
        # One value for each piece, however many combinations give it: made of a default
        # when any of them is, and said with the known text of its own when all of them have
        # the same (else by its reason alone, as one value is said one way).
        distinct: dict[Piece, tuple[bool, tuple[str, ...] | None]] = {}
        for piece in pieces:
            key = piece._replace(from_default=False, known=None)
            if key in distinct:
                from_default, known = distinct[key]
                same = known if known == piece.known else None
                distinct[key] = (from_default or piece.from_default, same)
            else:
                distinct[key] = (piece.from_default, piece.known)
        values = [
            Value(piece.text, self.ref(span), from_default=from_default)
            if piece.text is not None
            else replace(
                self.unresolved(span, piece.reason or "unknown"),
                constrained=piece.constrained,
                wildcard_written=piece.wildcard,
                imported_text=piece.imports,
                from_default=from_default,
                partly_known=known,
            )
            for piece, (from_default, known) in distinct.items()
        ]
        if not values:
            return self.unresolved(span, "no value")
        return values[0] if len(values) == 1 else Choice(tuple(values))


# The placeholders of the account and region (THIS_ACCOUNT, THIS_REGION), and where a
# deployment's own value decides (ANY_PARTITION) of the partition and URL suffix, and the
# characters of what each stands for: twelve digits, a region such as us-gov-west-1, ...
_STANDS_FOR = {
    THIS_ACCOUNT: frozenset(string.digits),
    THIS_REGION: frozenset(string.ascii_lowercase + string.digits + "-"),
    ANY_PARTITION: frozenset(string.ascii_lowercase + "-"),  # aws-us-gov
    ANY_URL_SUFFIX: frozenset(string.ascii_lowercase + string.digits + ".-"),  # cloud.adc-e.uk
}
_PLACEHOLDER = re.compile("(" + "|".join(map(re.escape, _STANDS_FOR)) + ")")


def _cut(text: str, delimiter: str) -> list[str] | None:
    """``text`` cut at ``delimiter`` as the deployed text is: a placeholder of the account or
    region stays whole (``${AWS::AccountId}`` is not cut at its own colons).  None when the
    delimiter shares a character with what a placeholder in the text stands for (``-`` and
    us-east-1): where the cuts fall then depends on the deployment."""
    pieces = _PLACEHOLDER.split(text)  # written text, then each placeholder and what follows
    if any(set(delimiter) & _STANDS_FOR[placeholder] for placeholder in pieces[1::2]):
        return None
    parts = [""]
    for index, piece in enumerate(pieces):
        if index % 2:
            parts[-1] += piece
        else:
            first, *others = piece.split(delimiter)
            parts[-1] += first
            parts.extend(others)
    return parts


def _placeholder_pattern(key: str) -> re.Pattern[str]:
    """The map keys a key holding a placeholder may be at deployment: ``${AWS::Region}`` any,
    ``prod-${AWS::Region}`` those that start ``prod-``; the partition only one AWS has
    (:data:`rolelint.arns.PARTITIONS`: a deployment may be in any of them), so
    ``${AWS::Partition}-admins`` is aws-admins or aws-cn-admins, never default-admins."""
    partition = "(?:" + "|".join(map(re.escape, PARTITIONS)) + ")"
    pieces = _PLACEHOLDER.split(key)  # written text, then each placeholder and what follows
    return re.compile(
        "".join(
            re.escape(piece) if index % 2 == 0 else partition if piece == ANY_PARTITION else ".+"
            for index, piece in enumerate(pieces)
        ),
        re.DOTALL,
    )


def _names_more(option: str | Allowed, level: dict[Any, Any]) -> bool:
    """Whether a key only the deployment knows may be one ``level`` of a map does not name:
    always, but for a parameter whose AllowedValues the level names every one of."""
    if isinstance(option, str) or option.values is None:
        return True
    return any(option.admits(text) and text not in level for text in option.values)


def _pins(node: Any) -> bool:
    """Whether a value copied out of Mappings is never empty and holds no wildcard that makes
    a pattern of who it names (every item of a list; tree.joined_constrained), as
    Value.constrained asks of a value whoever deploys cannot choose."""
    if isinstance(node, PSeq):
        return all(_pins(item) for item in node)
    if not isinstance(node, Value) or not node.text:
        return False
    return joined_constrained([[node.text]])


def _scalars(node: Any) -> int:
    """How many values :meth:`Resolver.literal` copies out of a Mappings value."""
    if isinstance(node, PSeq):
        return sum(_scalars(item) for item in node)
    return 1


def _options(node: Any) -> Iterator[Any]:
    if isinstance(node, Choice):
        for option in node.options:
            yield from _options(option)
    else:
        yield node


def _concatenate(parts: list[list[Piece]], delimiter: str) -> list[Piece]:
    """Every combination of the parts' alternatives joined; one unknown part spoils the whole."""
    count = 1
    for alternatives in parts:
        count *= max(len(alternatives), 1)
        if count > MAX_ALTERNATIVES:
            return [Piece(None, "too many conditional alternatives")]
    longest = sum(max((len(piece.text or "") for piece in options), default=0) for options in parts)
    if longest + len(delimiter) * len(parts) > MAX_TEXT:  # measured before it is built
        return [Piece(None, TOO_LONG)]
    result: list[Piece] = []
    for combination in product(*parts):
        unknown = [piece for piece in combination if piece.text is None]
        from_default = any(piece.from_default for piece in combination)
        if unknown:
            constrained, wildcard = joined_unknown(
                _joined(combination, delimiter),
                ((piece.constrained, piece.wildcard) for piece in unknown),
            )
            reason = unknown[0].reason or "unknown"
            imports = _spliced(combination, delimiter)
            known = partly_known(_delimited([piece.as_spliced for piece in combination], delimiter))
            result.append(Piece(None, reason, constrained, wildcard, imports, from_default, known))
        else:
            text = delimiter.join(piece.text for piece in combination if piece.text is not None)
            result.append(Piece(text, from_default=from_default))
    return result


def _spliced(combination: tuple[Piece, ...], delimiter: str) -> tuple[str, ...] | None:
    """A text made of ``combination`` that imports alone leave unknown, as
    Value.imported_text holds it (the known text between the names of the exports they read),
    so that it is written out once those exports are known (rolelint.stack_exports); None
    when anything else in it is unknown."""
    pieces: list[SplicedPiece] = []
    for piece in combination:
        if piece.text is not None:
            pieces.append(piece.text)
        elif piece.imports is not None:
            pieces.append(piece.imports)
        else:
            return None
    return spliced(_delimited(pieces, delimiter))


def _delimited(pieces: list[SplicedPiece], delimiter: str) -> list[SplicedPiece]:
    """``pieces`` with ``delimiter`` between each two, as Fn::Join writes it."""
    if not delimiter:
        return pieces
    result: list[SplicedPiece] = []
    for index, piece in enumerate(pieces):
        if index:
            result.append(delimiter)
        result.append(piece)
    return result


def _joined(combination: tuple[Piece, ...], delimiter: str) -> list[JoinedPiece]:
    """A text made of ``combination`` whose text is not known, in order, as
    tree.joined_constrained reads it (the delimiter is written text too):
    ``arn:aws:iam::${Account}:role/deployer`` with Account constrained to twelve digits names
    one role, ``${OrgId}/r-ab12/*`` paths inside one organization."""
    joined: list[JoinedPiece] = []
    for index, piece in enumerate(combination):
        if index and delimiter:
            joined.append([delimiter])
        joined.append([piece.text] if piece.text is not None else [piece.constrained])
    return joined


def _segments(sub: _SubParts, text: str) -> tuple[Segment, ...] | None:
    """The pieces of ``text``, one of the texts ``sub`` makes, each with where its template
    writes it: the first combination of the parts' texts that makes it (there are at most
    MAX_ALTERNATIVES, or no text is made)."""
    for combination in product(*sub.parts):
        if any(piece.text is None for piece in combination):
            continue
        if "".join(piece.text or "" for piece in combination) != text:
            continue
        segments: list[Segment] = []
        length = 0
        pieces = zip(combination, sub.written, strict=True)
        for index, (piece, (start, end)) in enumerate(pieces):
            size = len(piece.text or "")  # written text, then a ${...}'s value, and so on
            segments.append(Segment(length, length + size, start, end, index % 2 == 0))
            length += size
        return tuple(segments)
    return None


def _spans_of(node: PMap, key: Any) -> tuple[Span | None, Span | None]:
    return node.key_spans.get(key), node.value_spans.get(key)
