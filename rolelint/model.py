"""The one role model that every input format is turned into and every rule reads.

Parsers (CloudFormation, raw JSON policies, later Terraform) fill it; checks know nothing else.
Every element carries a :class:`SourceRef`, so a finding can point at the exact principal, action
or value.  A value that cannot be resolved statically is a :class:`Value` with ``text=None`` and a
reason: checks must treat it as unknown — never as a wildcard, never as a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from rolelint import condition_operators, placeholders
from rolelint.source import Picklable, SourceRef

# Symbolic stand-ins for pseudo parameters that have no static value.  They contain no IAM
# wildcard characters, so they can never match a pattern by accident.
THIS_ACCOUNT = "${AWS::AccountId}"
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
THIS_REGION = "${AWS::Region}"
# A name rolelint cannot know has a stand-in (at the end of an ARN, or followed by a path): where
# AWS or Terraform will generate it, the parsers write "<generated:FILE#ID>"; where the code sets
# it to a value not known (a parameter or variable without a default, an import), "<unresolved
# name:FILE#ID>", since that name is whoever deploys the code's choice, which no message may call
# generated.  Both stand for some unknown name alike, so every check matches them as one
# (NAME_STAND_IN); only how a message words one (name_in_words) tells them apart.  A ">" of the
# file name or the id (a Terraform key) is written "%3E", as in an unresolved path, so that
# each stand-in ends at its first ">": a text may hold several (``assumed-role/${A}/${B}``,
# ``role/${A}-${B}``), and a pattern matching to the text's last ">" took them for one.
_GENERATED = "<generated:"
_UNRESOLVED_NAME = "<unresolved name:"
# Both are searched with rolelint.placeholders, which reads each character a bounded number
# of times, where the expression read a text of many "<generated:" without a ">" after them
# once for each (a RoleName or an ARN may be written so).
NAME_STAND_IN_ENCLOSED = placeholders.Enclosed((_GENERATED, _UNRESOLVED_NAME), ">")
NAME_STAND_IN = placeholders.Pattern(NAME_STAND_IN_ENCLOSED)  # "<(?:generated|...):[^>]*>"
# What rolelint cannot read as written: a ``${...}`` (a pseudo parameter's stand-in, what a
# function made of one, such as ``${AWS::REGION}`` from ``upper``, or a policy variable) and a
# name's stand-in, the leftmost first, as the expression ``\$\{[^}]*\}|<(?:generated|...)``
# finds them.
_NOT_LITERAL = (placeholders.VARIABLE, NAME_STAND_IN_ENCLOSED)


def literal_parts(text: str) -> list[str]:
    """The parts of ``text`` written as they will be deployed, around the stand-ins: a check
    judging how a text is spelled judges these only, since a stand-in's own characters
    (``${AWS::AccountId}``) are not what deployment puts in its place."""
    if "${" not in text and "<" not in text:  # most texts: no search at all
        return [text]
    return placeholders.split(text, _NOT_LITERAL)


def literal_index(text: str, char: str) -> int:
    """Where ``char`` is first written in ``text`` outside its stand-ins (see
    :func:`literal_parts`), -1 when nowhere: the ``:`` that ends the issuer of condition key
    ``oidc.eks.${AWS::Region}.amazonaws.com/id/X:sub`` is not the one in ``${AWS::Region}``."""
    if "${" not in text and "<" not in text:  # most texts: no search at all
        return text.find(char)
    start = 0
    for begin, end in placeholders.spans(text, _NOT_LITERAL):
        found = text.find(char, start, begin)
        if found >= 0:
            return found
        start = end
    return text.find(char, start)


# The ID of a Terraform stand-in is a resource address (``aws_iam_role.ci``, in a module
# ``module.m.aws_iam_role.ci["k"]``); a CloudFormation logical id holds no dot.  Searched as
# ``#(?:module\.\S*?\.)?aws_[a-z0-9_]+\.[^.\s]`` was, without reading on from each ``#module.``
# to the end of its word (``#module.`` 8,000 times in one stand-in: 4 s): a resource's type and
# name after the ``#``, or after a ``.`` of the word a ``#module.`` starts (its first is enough).
_TERRAFORM_RESOURCE = re.compile(r"#aws_[a-z0-9_]+\.[^.\s]")
_MODULE_RESOURCE = re.compile(r"\.aws_[a-z0-9_]+\.[^.\s]")
_MODULE = "#module."
_WORD = re.compile(r"\S+")


# Where a resource's IAM path is written but cannot be resolved (a parameter without a default,
# an import), the parsers write "/<unresolved path:FILE#ID>" in its ARN, before the name.
_UNRESOLVED_PATH = "/<unresolved path:"
UNRESOLVED_PATH = placeholders.Pattern(placeholders.Enclosed((_UNRESOLVED_PATH,), ">"))


# IAM wildcards a file name or a Terraform key may hold, written percent-encoded in a stand-in
# ("%" first, so that "app%2A.yaml" and "app*.yaml" stay apart), and a ">": every stand-in
# ends at the first one.
_WILDCARD_ESCAPES = (("%", "%25"), ("*", "%2A"), ("?", "%3F"))
_ESCAPED_GREATER = "%3E"  # never part of an escaped "%" ("%253E" is "%3E" as written)
_STAND_IN_ESCAPES = (*_WILDCARD_ESCAPES, (">", _ESCAPED_GREATER))


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for character, escaped in escapes:
        text = text.replace(character, escaped)
    return text


def stand_in_escaped(text: str) -> str:
    """``text`` as a stand-in writes what it holds: its IAM wildcards percent-encoded, and its
    ">" too, since every stand-in ends at the first one (a logical id written ``"Idp>x"``
    left ``x>`` outside its stand-in, as text of the ARN)."""
    return _escaped(text, _STAND_IN_ESCAPES)


def generated_name(where: str, name: str) -> str:
    """The stand-in for a name AWS generates (``<generated:WHERE#NAME>``: the file or folder,
    and the logical id or address): unique per place and resource, and free of IAM wildcards
    and ">".

    A ``*`` or ``?`` of the file name (``app*.yaml``), the folder or a Terraform key made the
    role's ARN a pattern: a trust policy naming it by reference was reported as a malformed
    principal, and matched no role for chaining.
    """
    return f"{_GENERATED}{_escaped(f'{where}#{name}', _STAND_IN_ESCAPES)}>"


def unresolved_name(where: str, name: str) -> str:
    """The stand-in for a name the code sets to a value rolelint cannot resolve
    (``<unresolved name:WHERE#NAME>``): a parameter or variable without a default, an import,
    an attribute known after apply.  Matched as a generated name is (:data:`NAME_STAND_IN`),
    but worded as what it is: given the generated name's stand-in, an instance profile named
    ``var.profile_name`` was called "a name Terraform generates" in findings, when whoever
    applies the module chooses it."""
    return f"{_UNRESOLVED_NAME}{_escaped(f'{where}#{name}', _STAND_IN_ESCAPES)}>"


def name_stand_in(where: str, name: str, written: bool) -> str:
    """The stand-in for the name of resource ``name`` of ``where`` that rolelint does not know:
    :func:`unresolved_name` when the code sets one (``written``), else :func:`generated_name`."""
    return unresolved_name(where, name) if written else generated_name(where, name)


def unresolved_path(where: str, name: str) -> str:
    """The stand-in for the IAM path of resource ``name`` of ``where`` when its value cannot be
    resolved, in the resource's ARN (``role/<unresolved path:WHERE#NAME>admin``); also of the
    AWS managed policy ``name`` a SAM ``Policies`` name of file ``where`` names when rolelint
    does not know its path.

    Taken as "/", an unknown path made ``role/admin`` name a role whose ARN may be
    ``role/team/admin``: a chain was reported on a value rolelint does not know.  The stand-in
    begins with "/" as every path does, so a pattern over every path (``role/*``) still
    matches the role, and it ends with no "/", so neither a path-less name nor one under a
    path written out does; unique per place and resource, and free of IAM wildcards and ">".
    """
    return f"/<unresolved path:{_escaped(f'{where}#{name}', _STAND_IN_ESCAPES)}>"


def as_fingerprinted(text: str) -> str:
    """``text`` with each unresolved name's stand-in spelled as a generated one's, as both were
    spelled before they were told apart, and with the ">" of a name's stand-in as it was
    written before it was escaped: what a fingerprint hashes.  A finding's key may hold a
    role's ARN (RL111, RL612) and a federated principal's (RL104); spelled anew there, every
    baseline entry recorded for a role named by a parameter without a default came back as a
    new finding, though the finding is the same, and so would every one for a role whose
    file, logical id or key holds a ">"."""
    if _ESCAPED_GREATER in text:
        text = NAME_STAND_IN.sub(lambda match: match.group().replace(_ESCAPED_GREATER, ">"), text)
    return text.replace(_UNRESOLVED_NAME, _GENERATED) if _UNRESOLVED_NAME in text else text


def stand_in_spellings(where: str) -> tuple[str, str, str]:
    """How the file or folder ``where`` is spelled before the ``#`` of a ``WHERE#NAME``, always
    in this order: as written (a graph node's id, an export's role id), in a name's stand-in as
    a fingerprint hashes it (:func:`as_fingerprinted`: its ">" as written) and in a stand-in
    (a name's or a path's; rolelint.project_paths renames it in each)."""
    return where, _escaped(where, _WILDCARD_ESCAPES), _escaped(where, _STAND_IN_ESCAPES)


def generated_by(stand_in: str) -> str:
    """Who generates the name a :func:`generated_name` stand-in holds the place of: Terraform
    (at apply, from the ``name_prefix`` when one is set) or CloudFormation (from the stack and
    logical id), so that what a user reads of it is true of the tool that deploys the role."""
    return "Terraform" if _names_terraform_address(stand_in) else "CloudFormation"


def _names_terraform_address(stand_in: str) -> bool:
    """Whether ``stand_in`` holds a Terraform resource address after a ``#``: each word (the
    text between whitespace) is read once, from its first ``#module.`` on, a resource's type and
    name after a ``#`` each once (none of them spans another's ``#`` or ``.``)."""
    if _TERRAFORM_RESOURCE.search(stand_in):
        return True
    if _MODULE not in stand_in:
        return False
    for word in _WORD.finditer(stand_in):
        start = stand_in.find(_MODULE, word.start(), word.end())
        if start >= 0 and _MODULE_RESOURCE.search(stand_in, start + len(_MODULE), word.end()):
            return True
    return False


def _path_ends_at(text: str, end: int) -> bool:
    """Whether an unresolved path's stand-in ends at ``end`` of ``text`` (what
    ``UNRESOLVED_PATH.pattern + "\\Z"`` finds in ``text[:end]``): its opener after the ">"
    before the last.  Searched with that expression, ``text[:end]`` was copied and read from
    each opener, for each name's stand-in of the text."""
    if end == 0 or text[end - 1] != ">":
        return False
    return text.find(_UNRESOLVED_PATH, text.rfind(">", 0, end - 1) + 1, end - 1) >= 0


def name_in_words(match: re.Match[str], *, unresolved: bool = False) -> str:
    """A name's stand-in in an ARN (a :data:`NAME_STAND_IN` match) as what it becomes, for a
    message or card.  A name the code sets to a value not known is "<unresolved name>": whoever
    deploys chooses it, no tool generates it.  A generated one is the whole name, or what
    follows a prefix the code sets (Terraform's ``name_prefix = "ci-"``: ``role/ci-<...>``); a
    whole name the caller knows to be unresolved (``unresolved``: a plan's name known only
    after apply) is worded as unresolved too.  The stand-in is no name a user can find."""
    if match.group().startswith(_UNRESOLVED_NAME):
        return "<unresolved name>"
    text, start = match.string, match.start()
    # A name after a path rolelint cannot resolve is whole too: the stand-in ends with no "/".
    whole = start == 0 or text[start - 1] == "/" or _path_ends_at(text, start)
    if whole and unresolved:
        return "<unresolved name>"
    return f"<a {'name' if whole else 'suffix'} {generated_by(match.group())} generates>"


# An unresolved path in words: with the "/" that starts and ends every IAM path, so that what
# is around it reads as an ARN does (``role/<unresolved path>/exec``, as ``role/team/exec``);
# said without them, ``role<unresolved path>exec`` told no reader where the path ends.
_PATH_IN_WORDS = "/<unresolved path>/"


def stand_ins_in_words(text: str, *, unresolved: bool = False) -> str:
    """``text`` (an ARN, or a pattern naming one) with every stand-in the parsers write in it
    said in words, for a message or card: a name's as :func:`name_in_words` says it
    (``unresolved`` as there), an unresolved path's as ``/<unresolved path>/``.  Each holds a
    file and a logical id or address, no name or path a user can find in IAM; a message that
    words the name alone printed ``role/<unresolved path:stack.yaml#Exec>...``.  The names
    first: whether a generated name is whole is told by the path stand-in before it."""
    if "<" not in text:
        return text
    text = NAME_STAND_IN.sub(lambda match: name_in_words(match, unresolved=unresolved), text)
    return UNRESOLVED_PATH.sub(_PATH_IN_WORDS, text)


# The path prefix IAM reserves for service-linked roles.
SERVICE_LINKED_PATH = "/aws-service-role/"
# A condition key rolelint could not resolve ("${local.provider}:sub"): the condition exists, but
# what it checks is unknown, so no rule may conclude that a condition is missing.
UNRESOLVED_KEY = "<unresolved condition key>"


@dataclass(frozen=True, slots=True)
class Value(Picklable):
    """A scalar from the source.  ``text`` is None when it cannot be resolved statically."""

    text: str | None
    ref: SourceRef
    unresolved_reason: str | None = None
    # An unresolved value whoever deploys cannot set to just anything, such as "" or "*": one
    # the input restricts (a parameter's AllowedValues or AllowedPattern, a variable's
    # validation), or one AWS supplies when the code is deployed (a resource's attribute, an
    # export, an SSM value, a data source), which nobody passes in.  Only the others (a
    # parameter or variable without a default, nothing checking it) are the deployer's choice.
    constrained: bool = False
    # Unresolved and not constrained for one reason only: every unknown piece of it is, but the
    # text written around them holds a wildcard that makes a pattern of it (``${OrgId}*``;
    # rolelint.parsers.tree.joined_constrained).  Messages name that wildcard, not a missing
    # constraint.
    wildcard_written: bool = False
    # Where a resolved value comes from when that is not what is written here ("the default of
    # parameter X"): whoever deploys may pass another, which findings about the value mention.
    origin: str | None = None
    # The text as the source writes it, when its format reads it as another value (``text``):
    # an unquoted 012345670123 is the octal number 1402433619 to YAML 1.1.  Findings about the
    # value name what is written, which the user can find, and say it was read otherwise.
    written: str | None = None
    # Of an unresolved ``Fn::ImportValue`` that is the whole value: the name of the export it
    # reads, when the template spells that name out (a literal, or an Fn::Sub or Fn::Join of
    # nothing a deployment chooses).  Another template of the run may export that name: once
    # every file is parsed, rolelint.stack_exports puts the export's value in its place.
    imported: str | None = None
    # Of an unresolved text that Fn::ImportValues alone leave unknown (an Fn::Join with one as
    # a piece, an Fn::Sub with one in its variable map, each naming its export as ``imported``
    # says): the text in order, what is known at even indexes and the export names at odd
    # ones (``("arn:aws:iam::${AWS::AccountId}:role/", "Shared:AdminRoleName", "")``).  Once
    # every file is parsed, rolelint.stack_exports writes the text out when it knows every
    # export it reads.
    imported_text: tuple[str, ...] | None = None
    # Of a value that is a whole reference to a role (``!GetAtt Role.Arn``,
    # ``aws_iam_role.x.arn``, passed on as it is): the namespace of the template or module
    # instance declaring that role (Role.namespace).  It names that role, not one of the same
    # ARN another file declares (a per-environment copy of the template); a text written out
    # (``!Sub``, a literal) may name any role with that ARN.  A whole ``Fn::ImportValue`` of an
    # export of such a reference is that reference (rolelint.stack_exports).
    declared_in: str | None = None
    # Made, whole or in part, of a parameter's default (``!Sub "policy/${PolicyName}"``, an
    # Fn::Join, Fn::Select or Fn::If with one inside): a text whoever deploys may change by
    # passing another value.  ``origin`` says where a whole value comes from, for messages; this
    # survives every function a text is made through.  What a resource's Ref or Fn::GetAtt
    # gives is the resource's, never a default's, even when the resource's name is one.  An
    # export made of a default is no fact of its template (rolelint.stack_exports).
    from_default: bool = False
    # Of an unresolved text some of which is written out (``!Sub "arn:aws:s3:::${Bucket}/*"``,
    # an Fn::Join of a bucket's Arn and "/*", a Terraform template): the text in order, what
    # is known at even indexes and why each piece is not at odd ones (``("arn:aws:s3:::",
    # "parameter Bucket has no default", "/*")``), as ``imported_text`` holds it.  Only what a
    # card or message says of the value (:meth:`said`), never what a check judges: said by its
    # first reason alone, an object's ARN and its bucket's read alike.
    partly_known: tuple[str, ...] | None = None

    @property
    def resolved(self) -> bool:
        return self.text is not None

    @property
    def import_parts(self) -> tuple[str, ...] | None:
        """What an unresolved value is made of when imports alone leave it unknown, as
        ``imported_text`` (a whole-value import is its export's name with nothing around it);
        None for any other value."""
        if self.imported_text is not None:
            return self.imported_text
        return None if self.imported is None else ("", self.imported, "")

    @property
    def imported_names(self) -> tuple[str, ...]:
        """The export names an unresolved value reads (:attr:`import_parts`), in order."""
        parts = self.import_parts if self.text is None else None
        return () if parts is None else parts[1::2]

    def display(self) -> str:
        """How to show the value to a user: the text, or a description of why it is unknown."""
        if self.text is not None:
            return self.text
        return _unknown_in_words(self.unresolved_reason)

    def said(self) -> str:
        """:meth:`display` with every stand-in in words (:func:`stand_ins_in_words`): how a
        message, label or card shows the value.  A text partly known (:attr:`partly_known`)
        is said with what is known of it around each unknown piece, as an ARN whose path is not
        known is (``arn:aws:s3:::<unresolved: parameter Bucket has no default>/*``)."""
        parts = self.partly_known if self.text is None else None
        if parts is None:
            return stand_ins_in_words(self.display())
        return stand_ins_in_words(
            "".join(
                part if index % 2 == 0 else _unknown_in_words(part)
                for index, part in enumerate(parts)
            )
        )


def _unknown_in_words(reason: str | None) -> str:
    """A value (or a piece of one) rolelint cannot resolve, in words: why, when known."""
    return f"<unresolved: {reason or 'unknown'}>"


class PrincipalKind(str, Enum):
    """The key under ``Principal``; ``ANYONE`` is the bare ``"*"`` form."""

    ANYONE = "*"
    AWS = "AWS"
    SERVICE = "Service"
    FEDERATED = "Federated"
    CANONICAL_USER = "CanonicalUser"
    OTHER = "Other"


@dataclass(frozen=True, slots=True)
class Principal(Picklable):
    kind: PrincipalKind
    value: Value


def base_of_operator(operator: str) -> str:
    """``operator`` without its set prefix (what comes before its first colon:
    ``ForAnyValue:``, ``ForAllValues:``) and ``IfExists``: ``Condition.base_operator``, and
    what the policy builder reads a negated operator's values by.

    ``IfExists`` only as IAM spells it, which accepts an operator in no other case (RL607):
    ``StringNotLikeifexists`` is no IfExists, and no operator rolelint compares, to the model,
    the checks and the builder alike."""
    operator = operator.split(":", 1)[-1]
    return operator[: -len("IfExists")] if operator.endswith("IfExists") else operator


@dataclass(frozen=True, slots=True)
class Condition(Picklable):
    """One ``operator -> key -> values`` entry of a statement's Condition block."""

    operator: str
    key: str
    values: tuple[Value, ...]
    ref: SourceRef  # the key's position: the element a finding about this condition points at
    operator_ref: SourceRef | None = None  # where the operator is written

    @property
    def base_operator(self) -> str:
        """The operator without ``ForAnyValue:``/``ForAllValues:`` prefixes and ``IfExists``
        (:func:`base_of_operator`)."""
        return base_of_operator(self.operator)

    @property
    def if_exists(self) -> bool:
        return self.operator.endswith("IfExists")

    @property
    def matches_patterns(self) -> bool:
        """Whether ``*`` and ``?`` in its values are wildcards rather than literal text
        (ArnEquals too: :mod:`rolelint.condition_operators`)."""
        return condition_operators.matches_patterns(self.base_operator)


@dataclass(frozen=True, slots=True)
class ElementKey(Picklable):
    """A key of a statement as written (``Resources``, ``NotAction``) and where it is; for a
    key whose value names nothing (``empty_resource``, ``empty_action``), that value as JSON
    writes it: ``[]``, or ``null``."""

    name: str
    ref: SourceRef
    holds: str = "[]"


@dataclass(frozen=True, slots=True)
class Statement(Picklable):
    """One IAM policy statement.  Absent elements are empty tuples / None."""

    ref: SourceRef
    effect: Value | None
    sid: str | None = None
    actions: tuple[Value, ...] = ()
    not_actions: tuple[Value, ...] = ()
    resources: tuple[Value, ...] = ()
    not_resources: tuple[Value, ...] = ()
    principals: tuple[Principal, ...] = ()
    not_principals: tuple[Principal, ...] = ()
    conditions: tuple[Condition, ...] = ()
    # An Action key is present (even if its value is unresolved), or a NotAction key whose
    # values are left out (see ``conflicting``): the statement names what it applies to.  Not
    # for an empty list (``"Action": []``, ``"NotAction": []``): it names no action (see
    # ``empty_action``), and an empty NotAction is no "every action but none".
    has_action: bool = False
    has_not_action: bool = False
    has_not_resource: bool = False
    not_action_ref: SourceRef | None = None
    not_resource_ref: SourceRef | None = None
    # The NotPrincipal key, where a policy that may not have one (a role's trust policy) is
    # reported.
    not_principal_ref: SourceRef | None = None
    sid_ref: SourceRef | None = None
    # A Resource or NotResource key is present (even if its value is unresolved or left out,
    # see ``conflicting``): the statement says what it applies to.  Not for an empty list
    # (``"Resource": []``): IAM's grammar takes one or more values, and IAM Access Analyzer
    # says such a statement "includes no resources and does not affect the policy".  It grants
    # and denies nothing, as one without Resource does (see ``empty_resource``).
    names_resources: bool = False
    # The Resource or NotResource key whose only value is an empty list (or null, which names
    # nothing either), when the statement names no resource otherwise: where that is best
    # pointed at.
    empty_resource: ElementKey | None = None
    # Likewise the Action or NotAction key whose only value is an empty list (or null), when
    # the statement names no action otherwise: IAM's grammar takes one or more values, and IAM
    # Access Analyzer says such a statement "includes no actions and does not affect the
    # policy".  It grants and denies nothing (``has_action`` and ``has_not_action`` are false).
    empty_action: ElementKey | None = None
    # Keys that are no IAM statement element (a misspelled ``Resources``): the near miss of an
    # element the statement lacks.
    unknown_keys: tuple[ElementKey, ...] = ()
    # Of each pair of elements IAM refuses in one statement (Action and NotAction, Resource and
    # NotResource, Principal and NotPrincipal), the one written second.  IAM rejects the whole
    # policy, so such a statement grants and denies nothing: its actions and resources are
    # left out (``actions``, ``not_actions``, ``resources`` and ``not_resources`` are empty and
    # ``has_not_action``, ``has_not_resource`` false), and only the invalid-policy rule speaks
    # of it.
    conflicting: tuple[ElementKey, ...] = ()
    # One of alternatives (a statement chosen by Fn::If or a Terraform conditional, or one of a
    # dynamic block whose elements are not known): its policy, or its branch of the policy, may
    # be deployed without it.
    optional: bool = False
    # Of statements chosen by a condition as a whole (``AssumeRolePolicyDocument: !If [C, A,
    # B]``, ``Statement: !If [C, [...], [...]]``): which branch the statement is written in;
    # None when it is in every deployment.  A Deny of one branch is never deployed beside
    # another branch's Allow (see ``always_beside``).
    branch: int | None = None
    # Of the statements one written statement became, once per way the conditions its
    # elements share may hold (``Action: !If [IsDev, A, B]`` beside ``Resource: !If [IsDev,
    # ...]``): a number they share, unique in their document.  Exactly one of them is deployed
    # wherever the written statement is, so none alone is certain, but together they are
    # (:func:`certain_alternatives`).  None for any other statement.
    paired: int | None = None

    @property
    def is_allow(self) -> bool:
        return self.effect is not None and self.effect.text == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect is not None and self.effect.text == "Deny"

    @property
    def names_no_resource(self) -> bool:
        """Without Resource or NotResource (or with an empty one), whatever its values: it
        grants and denies nothing.  IAM rejects a permissions policy with a statement without
        either; an empty list is outside IAM's grammar, which IAM Access Analyzer calls a
        statement that "does not affect the policy"."""
        return not (self.names_resources or self.resources or self.not_resources)

    @property
    def certain(self) -> bool:
        """Whether every deployment of the policy holds the statement.  Checks that count what
        a policy certainly holds (its size, its Sids) leave the others out, or read the
        alternatives one of which is deployed together (:func:`certain_alternatives`)."""
        return not self.optional and self.branch is None and self.paired is None

    def always_beside(self, other: Statement | None) -> bool:
        """Whether this statement (a Deny) is deployed wherever ``other`` (an Allow of the same
        document) is; ``other`` None stands for a statement of another document.  Only then
        may the Deny be taken to limit what the Allow grants: ``[Allow *, !If [Strict, Deny
        ..., !Ref AWS::NoValue]]`` grants everything where Strict is false."""
        if self.optional or self.paired is not None:
            return False  # one of alternatives: another deployment has another of them
        return self.branch is None or (other is not None and other.branch == self.branch)


def certain_alternatives(statements: Sequence[Statement]) -> list[tuple[Statement, ...]]:
    """What every deployment of a document holds, in the document's order: each certain
    statement alone, and the statements one written statement became per branch of the
    conditions its elements share (``Statement.paired``) together, one of which is deployed
    wherever the document is.  Alternatives of which one is also optional for another reason
    (``Statement.optional``, ``Statement.branch``) are left out: then none may be."""
    groups: dict[int, list[Statement]] = {}
    for statement in statements:
        if statement.paired is not None:
            groups.setdefault(statement.paired, []).append(statement)
    found: list[tuple[Statement, ...]] = []
    for statement in statements:
        if statement.paired is None:
            if statement.certain:
                found.append((statement,))
            continue
        group = groups[statement.paired]
        if group[0] is statement and all(not s.optional and s.branch is None for s in group):
            found.append(tuple(group))
    return found


class PolicyKind(str, Enum):
    """What a policy document is to the roles it concerns.

    ``RESOURCE`` is a resource-based policy read from a file of its own (a bucket, key, queue or
    endpoint policy): it names principals and resources, so IAM would take it neither as a trust
    policy nor as an identity policy.  It is no role's trust or permissions; only the checks of
    policy grammar read it.
    """

    TRUST = "trust"
    PERMISSIONS = "permissions"
    BOUNDARY = "boundary"
    RESOURCE = "resource"


# The branches of deploy-time conditions something is deployed under, each a condition as a
# parser names it (its file or module and its name or text) and the truth it has there: every
# one of them holds in the deployments that have it, and in no other.
Deployment = frozenset[tuple[tuple[str, str], bool]]


@dataclass(frozen=True, slots=True)
class PolicyDocument(Picklable):
    """A policy document and where it came from.

    ``origin`` says in words where the document sits ("inline policy 'x' of role R",
    "AWS::IAM::ManagedPolicy P"); ``resource`` is the CloudFormation logical id, Terraform address
    or file that holds it.
    """

    kind: PolicyKind
    ref: SourceRef
    resource: str
    origin: str
    statements: tuple[Statement, ...]
    version: Value | None = None
    has_statement: bool = True
    # ``"Statement": {...}``: one statement written as an object, not as a list of one.  IAM
    # counts the two brackets of a list against the size quotas.
    single_statement: bool = False
    managed: bool = False  # a managed policy (its own quota), not an inline one
    aws_managed: bool = False  # one of AWS's own managed policies, not the user's text
    service_role_policy: bool = False  # AWS's own policy for a service's role: none narrower
    # Some deployments leave it out (an inline policy chosen by Fn::If, a resource with a
    # Condition, a Terraform resource whose count is not known): its Denies and its boundary
    # limit nothing but its own statements, since the holder may be deployed without it.
    # Its Denies limit what its holders hold only where it is (``deployed_under``).
    optional: bool = False
    # The reference read as this document (an AWS managed policy attached by ARN): what the
    # managed-policy quota counts of it.
    attached_by: ManagedPolicyRef | None = None
    # Where the resource that is this document is defined (a Terraform aws_iam_policy or
    # aws_iam_role_policy block), for a text written elsewhere (file(), a local): a suppression
    # comment on that block covers the document's findings, as one on a role covers the role's.
    defined_at: SourceRef | None = None
    # A customer managed policy's ARN, when its name is known
    # (``arn:aws:iam::${AWS::AccountId}:policy/team-admin`` for one a template creates, the ARN
    # an account export lists): a condition naming that ARN (iam:PolicyARN) names this text.
    arn: str | None = None
    # The statements past the parsers' MAX_STATEMENTS were not read (a hostile or generated
    # document): ``statements`` is only the first of them, so a size counted on it is a lower
    # bound.
    truncated: bool = False
    # A boundary copy of a managed policy its file defines (kind BOUNDARY, another origin) is a
    # view of that policy: its own document, which a holder of another file attaching the
    # policy by ARN holds (rolelint.policy_links), even when its file uses it only as a boundary.
    permissions: PolicyDocument | None = None
    # The permissions boundary of the role a policy no Role of the model holds becomes (an IAM
    # Identity Center permission set's, applied to the role the set creates in each account):
    # the value that names it, as Role.permissions_boundary, and its documents rolelint reads
    # (kind BOUNDARY).  The rules limit the policy's grants by them as by a role's boundary.
    holder_boundary: Value | None = None
    holder_boundaries: tuple[PolicyDocument, ...] = ()
    # Of a customer managed policy a template creates: its name and path as written
    # (``ManagedPolicyName``, ``Path``; None where unset), as Role.name and Role.path.  A name or
    # path an import gives has its stand-in in ``arn``, which rolelint.stack_exports replaces
    # by the exported text.
    name: Value | None = None
    path: Value | None = None
    # A managed policy its own file attaches to a role, user or group that is no holder of the
    # model (one of another stack, state or account, one named by a value rolelint cannot
    # resolve, one known only after apply), or whose export counts attachments it does not
    # list: though no holder of the scan holds it, it grants.  Said of a policy no holder
    # holds, which is then never taken for a boundary alone (rolelint.boundary_links).
    attached_elsewhere: bool = False
    # Of the one text several copies of a managed policy stand for (Inventory.permission_texts:
    # the boundary copies its holders have, and the policy itself where it is attached too):
    # the origins of those copies that differ from its own.  Each copy was judged on its own
    # before, and its origin, which names its holder, keyed its findings: a baseline recorded
    # then knows them by those keys (rolelint.checks.base.on_text_of).
    earlier_origins: tuple[str, ...] = ()
    # Of a policy of an IAM Identity Center permission set (its inline policy, an AWS managed
    # policy it attaches): the key of that set, unique in the run (its file or module instance
    # and its logical id, address or ARN).  Identity Center puts every policy of the set in the
    # one role it creates for the set in each account, so the permission rules judge them
    # together, as a role's (permission_set_holders); None for any other policy, and for one
    # of a set the parser cannot tell for certain (a Terraform set with several instances).
    permission_set: str | None = None
    # Of an optional document: the branches of the deploy-time conditions its holders hold it
    # under, every one of them, and only there (``var.prod ? [admin, guard] : []`` holds both
    # where var.prod is true); None when that is not known.  Its Denies limit another policy
    # of the holder wherever both are deployed: everywhere that policy is, when its own
    # branches (or, certain, none) say the document is there too (rolelint.checks.effective).
    deployed_under: Deployment | None = None

    def as_boundary(self, origin: str, *, optional: bool | None = None) -> PolicyDocument:
        """This managed policy used as a permissions boundary (``origin`` says whose), keeping
        the policy's own document (:attr:`permissions`), whichever parser or step makes the
        copy; ``optional`` when a condition chooses it (default: as the policy is)."""
        return replace(
            self,
            kind=PolicyKind.BOUNDARY,
            origin=origin,
            optional=self.optional if optional is None else optional,
            permissions=self if self.permissions is None else self.permissions,
        )


@dataclass(frozen=True, slots=True)
class ManagedPolicyRef(Picklable):
    """An attached managed policy known only by ARN (AWS-managed or defined elsewhere), or a
    policy whose text rolelint cannot read (see ``inline``)."""

    arn: Value
    # Of an ARN chosen by a condition (Fn::If, a Terraform conditional): the ARNs each branch of
    # that condition certainly attaches, of which one deployment takes one branch; None when
    # every deployment attaches it.  A quota counts what a deployment certainly attaches.
    alternatives: tuple[tuple[str, ...], ...] | None = None

    # Not a managed policy: statements rolelint cannot read that become an inline policy of
    # the holder (a SAM policy template, an inline policy whose text is a parameter or
    # variable without a default).  Unread as an unknown managed policy is, but no
    # managed-policy attachment, so not counted against that quota.
    inline: bool = False
    # The policy of the scanned files it stands for when its text is unread ("inline policy 'x'
    # of role R", "policy aws_iam_policy.p"); ``arn`` is then that text, unresolved, with the
    # reason.  A managed one (``inline`` false) counts against the managed-policy quota.
    origin: str | None = None
    # Of an ARN chosen by a condition: the branches of the conditions it is attached under,
    # every one of them, and only there; None when that is not known (PolicyDocument's
    # ``deployed_under``).  Not compared: it says no more of the policy than ``alternatives``.
    when: Deployment | None = field(default=None, compare=False)

    @property
    def optional(self) -> bool:
        """Whether some deployment may attach it not."""
        return self.alternatives is not None


@dataclass(frozen=True, slots=True)
class PermissionSetPolicy(Picklable):
    """A managed policy an IAM Identity Center permission set attaches by ARN.

    A set is no role, user or group of the inventory (its role lives in every account it is
    assigned to), so its references are kept here: an AWS managed one rolelint ships no text of
    is said once, as a role's is (rolelint.managed_policies.unshipped_notices), instead of being
    left out in silence."""

    reference: ManagedPolicyRef
    permission_set: str  # how findings name the set (logical id or address)
    # The set's permissions boundary, as its policies hold it (PolicyDocument.holder_boundary):
    # a reference known only once every file is parsed (an import of another template's
    # export, rolelint.stack_exports) is read then, and its document bounded by it.
    boundary: Value | None = None
    # The set's key, as its policies hold it (PolicyDocument.permission_set): the document such
    # a reference is read as then is held with the set's other policies.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class PermissionSetCustomerPolicy(Picklable):
    """A customer managed policy an IAM Identity Center permission set attaches by name and path
    (CloudFormation ``CustomerManagedPolicyReferences``, Terraform
    ``aws_ssoadmin_customer_managed_policy_attachment``).

    Identity Center attaches the policy of that name and path of each account the set is
    assigned to, to the role it creates there, so a customer managed policy of the scanned files
    with that name and path may be held, though no holder of the scan holds it, and is never
    taken for a boundary alone (rolelint.boundary_links).  Its document is not read here."""

    name: Value  # unresolved when rolelint cannot tell which
    path: Value | None  # None when not given (``/``)
    permission_set: str  # how findings name the set (logical id or address)
    # The set's key, as its policies hold it (PolicyDocument.permission_set): the role the set
    # becomes holds the policy of this name and path by its ARN in each account
    # (permission_set_holders); None where the set is not known for certain.
    key: str | None = None

    @property
    def arn(self) -> Value:
        """The ARN of the policy in the account the set's role is in (the account stand-in, as
        for a policy a template creates): unresolved where its name or path is not known."""
        path = "/" if self.path is None else self.path.text
        if self.name.text is None or path is None:
            reason = "the name or path of a permission set's customer managed policy is not known"
            return Value(None, self.name.ref, reason)
        inner = path.strip("/")
        prefix = f"/{inner}/" if inner else "/"
        return Value(f"arn:aws:iam::{THIS_ACCOUNT}:policy{prefix}{self.name.text}", self.name.ref)


@dataclass(frozen=True, slots=True)
class StackExport(Picklable):
    """An ``Outputs`` entry of a template that exports its value under ``name`` (what another
    stack's ``Fn::ImportValue`` of that name reads): ``value`` as the template resolves it,
    where it is written."""

    name: str
    value: Value


@dataclass(frozen=True, slots=True)
class InstanceProfile(Picklable):
    resource: str
    ref: SourceRef
    role_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Role(Picklable):
    """An IAM role with everything that decides who can assume it and what it can do.

    ``id`` is the resource identity in its source (CloudFormation logical id, Terraform address,
    ``file#RoleName`` for exports); ``arn`` is the resolved or symbolic ARN used to match other
    roles' ``sts:AssumeRole`` permissions (``text=None`` when unknown).
    """

    id: str
    ref: SourceRef
    arn: Value
    name: Value | None = None
    path: Value | None = None
    trust_policy: PolicyDocument | None = None
    policies: tuple[PolicyDocument, ...] = ()
    managed_policy_arns: tuple[ManagedPolicyRef, ...] = ()
    permissions_boundary: Value | None = None
    max_session_duration: tuple[Value, ...] = ()  # several when a condition picks one
    instance_profiles: tuple[str, ...] = ()
    # Where names such as instance profiles are unique: the file (None), or a Terraform module
    # instance, whose resources are spread over several files.
    scope: str | None = None
    # The role's instance profiles another Terraform module instance creates, as (its scope,
    # the profile's name): a module given the role's name by its caller (``role =
    # var.role_name``).  The profile's name is unique in that instance, not in the role's, so
    # it is not among ``instance_profiles``; instance_profile_keys holds both.
    instance_profiles_elsewhere: tuple[tuple[str, str], ...] = ()
    # Of a Terraform module instance: the root module folder whose call made it.  Two roots
    # calling one module make two roles of one block, with the same file and address.
    root: str | None = None
    # Read from what AWS holds (an account export, a Terraform state, a get-role or list-roles
    # answer), not from code yet to be deployed: the role exists, so the quotas it needed were
    # met (raised).
    deployed: bool = False
    # Generated with a trust policy nothing where the role is declared can change (the role
    # SAM creates for a state machine): a condition it lacks needs a role declared instead.
    trust_fixed: bool = False
    # The ARNs the role has in other deployments, where a condition chooses its name or path
    # (a CloudFormation Fn::If): a policy or trust naming any of them names the role.
    other_arns: tuple[Value, ...] = ()
    # Why the source holds none of the role's permission policies, when it holds none by its
    # nature (a get-role or list-roles answer: IAM returns them through other calls); None
    # when its policies are what the source shows.  What the role can do is then unknown, not
    # nothing.
    unread_permissions: str | None = None
    # Of a user seen as a role (identity_holder): the ARNs (in every deployment) of the groups
    # it is a member of in every deployment.  Whoever may write or attach a policy of one of
    # them gives itself that policy (a user holds its groups' policies); a group only some
    # deployments add it to is not among them.  A role is in no group.
    group_arns: tuple[Value, ...] = ()
    # The ARN of each instance profile holding the role (in every deployment, where a condition
    # chooses its name or path), as IAM names it: the profile's path and its own name, or the
    # stand-in for one AWS or Terraform generates, which only a reference to the profile
    # holds.  What a launch's ``ec2:InstanceProfile`` test compares; ``instance_profiles``
    # keys (a CloudFormation logical id, a plan address) are for finding the profile a
    # compute resource names, and are no IAM name.
    instance_profile_arns: tuple[Value, ...] = ()

    @property
    def namespace(self) -> str:
        return self.scope or self.ref.file

    @property
    def instance_profile_keys(self) -> tuple[tuple[str, str], ...]:
        """Each instance profile of the role as (the namespace its name is unique in, the
        name), which is how a compute resource finds it (ComputeResource.profile_key)."""
        own = tuple((self.namespace, name) for name in self.instance_profiles)
        return own + self.instance_profiles_elsewhere

    @property
    def service_linked(self) -> bool:
        """A service-linked role: its path starts with ``/aws-service-role/``, which IAM keeps
        for those roles (CreateRole refuses it for others).  AWS writes its trust policy and
        nobody can modify it (IAM User Guide, service-linked roles), so no finding about that
        text can be acted upon."""
        path = self.path.text if self.path is not None else None
        return path is not None and path.startswith(SERVICE_LINKED_PATH)


class IdentityKind(str, Enum):
    USER = "user"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Identity(Picklable):
    """An IAM user or group: a principal that may assume roles through its own policies."""

    kind: IdentityKind
    id: str
    ref: SourceRef
    arn: Value
    policies: tuple[PolicyDocument, ...] = ()
    managed_policy_arns: tuple[ManagedPolicyRef, ...] = ()
    # For a user: the ids (Identity.id) of the groups it belongs to, whose policies it holds too.
    groups: tuple[str, ...] = ()
    permissions_boundary: Value | None = None
    # Groups only some deployments add the user to (a CloudFormation Fn::If): their grants are
    # the user's where it is added, their Denies limit nothing, as the user may be without them.
    optional_groups: tuple[str, ...] = ()
    root: str | None = None  # as Role.root
    other_arns: tuple[Value, ...] = ()  # as Role.other_arns
    # The ``UserName`` or ``GroupName`` and the ``Path`` as written (a CloudFormation
    # template's; None where unset or not kept), as Role.name and Role.path: a name or path an
    # import gives is the exported text once the exports are known (rolelint.stack_exports).
    name: Value | None = None
    path: Value | None = None


# Why a compute resource's HTTP tokens setting is left unresolved, whatever the format: there
# is no setting of its own to judge.
TOKENS_FROM_LAUNCH_TEMPLATE = "set by the instance's launch template"
TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE = "set by the node group's launch template"
# An EKS managed node group given no launch template runs on one EKS creates, whose metadata
# options are EKS's, not the template's or the module's.
TOKENS_FROM_EKS_LAUNCH_TEMPLATE = "set by the launch template EKS creates for the node group"
# A node group's role a condition chooses among ARNs of no role of the template or module:
# which one runs its nodes is each deployment's, and naming the first would claim it is that.
NODE_ROLE_BY_CONDITION = "one of several roles, chosen by a condition"
METADATA_SERVICE_DISABLED = "the instance metadata service is disabled"
# HttpTokens a condition sets in some deployments and leaves unset (AWS's default: optional) in
# the others: IMDSv1 stays open where it is unset, which a finding must say is not everywhere.
TOKENS_UNSET_BY_CONDITION = "not set in the deployments a condition leaves it unset"


@dataclass(frozen=True, slots=True)
class ComputeResource(Picklable):
    """An EC2 instance, launch template or EKS managed node group: where instance credentials
    (IMDS) are exposed.

    ``http_tokens`` is the MetadataOptions.HttpTokens value, None when absent (AWS then defaults
    to optional tokens, i.e. IMDSv1 stays available).  ``node_role`` is the role a resource
    names itself rather than through an instance profile: an EKS managed node group's, which
    EKS hands to the nodes in an instance profile of its own making (a launch template of the
    node group may not name one).  It is the role's id (Role.id) when the role is one of the
    same template or module, or of another instance of the module tree (a caller passing its
    role's ARN to a node group module), else the ARN as written; ``node_role_scope`` is the
    scope (Role.scope) of a role of another module instance, None for one of the resource's
    own.  ``profile_scope`` is likewise the scope of an instance profile another module
    instance creates (a caller passing its profile's name to the module, ``iam_instance_profile
    = var.profile_name``), None for one of the resource's own namespace.  ``ami_parameter`` is
    the name of the SSM parameter its AMI is read from at deployment (a public parameter such as
    ``/aws/service/ami-amazon-linux-latest/...``), None when the AMI is given any other way or
    not at all: the AMI may require tokens where the resource sets none.
    """

    id: str
    ref: SourceRef
    kind: str
    instance_profile: Value | None
    http_tokens: Value | None
    metadata_options_ref: SourceRef | None = None
    scope: str | None = None  # as Role.scope
    node_role: Value | None = None
    ami_parameter: Value | None = None
    node_role_scope: str | None = None
    profile_scope: str | None = None

    @property
    def namespace(self) -> str:
        return self.scope or self.ref.file

    @property
    def profile_key(self) -> tuple[str, str] | None:
        """The instance profile it names as (the namespace its name is unique in, the name), as
        Role.instance_profile_keys holds it; None when it names none, or one not resolved."""
        profile = self.instance_profile
        if profile is None or profile.text is None:
            return None
        return self.profile_scope or self.namespace, profile.text


@dataclass(frozen=True, slots=True)
class SessionRequest(Picklable):
    """A caller that assumes a role and asks for a session length: an AWS config profile with
    ``role_arn``, a Terraform provider's ``assume_role`` block.

    ``duration`` is the value as written (``7200``, ``"2h"``), None when the request sets none
    (the caller's default applies); ``seconds`` is what it asks AWS for, None when the value is
    unresolved or not a valid duration, and ``invalid`` then says why and what follows (written by
    the parser, which knows the format).  ``chained`` is True when the credentials that make the
    request are themselves a role session (role chaining: AWS allows one hour at most), False when
    they are not (an IAM user's keys, a web identity token), None when that cannot be known from
    the source.  ``via`` says in words where those credentials come from.
    """

    ref: SourceRef  # where the duration is written (the role ARN when no duration is)
    role_arn: Value
    duration: Value | None
    seconds: int | None
    requester: str  # "profile deploy", "provider aws.ops"
    chained: bool | None
    via: str
    setting: str = "duration_seconds"  # the name the duration is written under
    invalid: str | None = None


# The SourceProblem kind the invalid-policy rule (RL604) reports as it is: a policy of a shape
# IAM rejects, found by a parser (a document that is no object, policy text that is no JSON).
INVALID_STATEMENT = "invalid-statement"


@dataclass(frozen=True, slots=True)
class SourceProblem(Picklable):
    """Something wrong in the source itself that a rule may report (a duplicate key, say)."""

    kind: str
    message: str
    ref: SourceRef
    resource: str


@dataclass(frozen=True, slots=True)
class AccountContext:
    """What the user declared about the accounts their code runs in, and what the scanned
    snapshots showed of them.

    Trust rules must tell "another of our accounts" from "a third party": a role trusted by the
    organization's shared-services account needs no ExternalId, one trusted by a vendor does.
    A template knows only its own account (``AWS::AccountId``, ``aws_caller_identity``); the rest
    is declared on the command line.  Nothing declared means nothing assumed: every literal
    account other than the template's own is outside.

    ``learned_accounts`` are read from what AWS holds (an account export, a ``get-role`` or
    ``list-roles`` answer, a plan's or state's account): they are one's own too, but kept
    apart from those declared, so that whether the user has declared any does not depend on
    which other files share the run.
    """

    own_accounts: frozenset[str] = frozenset()  # declared: configuration or --account
    org_ids: frozenset[str] = frozenset()
    trusted_accounts: frozenset[str] = frozenset()  # third parties the user knows (vendors)
    learned_accounts: frozenset[str] = frozenset()  # shown by the scanned snapshots

    def is_own(self, account: str | None) -> bool:
        """The template's own account, one the user declared as theirs or one a snapshot
        showed."""
        return account is not None and (
            account == THIS_ACCOUNT
            or account in self.own_accounts
            or account in self.learned_accounts
        )

    def is_trusted_third_party(self, account: str | None) -> bool:
        return account is not None and account in self.trusted_accounts


# The keys of a CloudFormation ``Metadata: {rolelint: {ignore: [...]}}`` entry.
METADATA_SUPPRESSION_KEYS = ("id", "reason", "expires")


@dataclass(frozen=True, slots=True)
class SuppressionDirective(Picklable):
    """An accepted risk written in a file: CloudFormation ``Metadata: {rolelint: {ignore: ...}}``
    on a resource, or a ``# rolelint:ignore RL101 reason`` comment.

    Parsers and the comment reader record what is written, as written; whether it is valid (a
    reason, known rule ids, a date) and what it suppresses is decided by rolelint.suppressions.
    ``resource`` names the resource a Metadata entry sits on, and ``also`` the roles made for it
    that its findings name instead (the role SAM generates for a function or a state machine);
    ``lines`` are the lines a comment covers (the element below it or beside it, with
    everything nested in it); ``unknown_keys`` are the keys of a Metadata entry that are not
    ``id``, ``reason`` or ``expires``; ``in_json`` says the file was read as JSON, so that a
    message about the entry writes what to change in JSON, whatever the file is named.
    """

    file: str
    line: int  # where it is written
    rule_ids: tuple[str, ...]
    reason: str | None
    expires: str | None = None
    resource: str | None = None
    lines: tuple[int, int] | None = None
    unknown_keys: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    # The column it starts at (the comment's, or the Metadata entry's), for the errors and notes
    # about it: a CI annotation or an editor can then point at it.
    column: int | None = None
    in_json: bool = False


DEFAULT_CHAIN_DEPTH = 3
DEFAULT_MAX_SESSION_DURATION = 43200
# A role's MaxSessionDuration when it is left out (IAM CreateRole: one hour).
ROLE_DEFAULT_SESSION_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """How the user tuned the analysis of one run: the rule options of the configuration
    (rolelint.config) and the command line, as the rules read them."""

    chain_depth: int = DEFAULT_CHAIN_DEPTH  # hops beyond which a role chain is reported
    # The longest MaxSessionDuration the team allows (RL305); AWS's own maximum by default.
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION


def identity_holder(identity: Identity, groups: Mapping[str, Identity]) -> Role:
    """A user seen as a role holding its own and its groups' policies (``groups`` by id), with
    the ARNs of the groups it is certainly in (Role.group_arns): what the assume-role graph,
    the audit rows and the permission rules judge a user by."""
    policies = list(identity.policies)
    for name in identity.groups:
        group = groups.get(name)
        if group is not None:
            policies.extend(group.policies)
    for name in identity.optional_groups:
        group = groups.get(name)
        if group is not None:
            policies.extend(replace(policy, optional=True) for policy in group.policies)
    certain = [groups[name] for name in identity.groups if name in groups]
    return Role(
        identity.id,
        identity.ref,
        identity.arn,
        policies=tuple(policies),
        managed_policy_arns=identity.managed_policy_arns,
        permissions_boundary=identity.permissions_boundary,
        other_arns=identity.other_arns,
        group_arns=tuple(arn for group in certain for arn in (group.arn, *group.other_arns)),
        # Which instance of a module two roots call it is: the root tells the two apart where
        # the file, address and position do not (rolelint.checks.base.holder_key).
        root=identity.root,
    )


# Why the role of a permission set has no ARN here: Identity Center names it
# ``role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_<set>_<suffix>``, in every
# account the set is assigned to, with a suffix it generates.
PERMISSION_SET_ROLE_ARN = (
    "the role IAM Identity Center creates for a permission set, in each account the set is"
    " assigned to, under a name it generates"
)


def permission_set_holders(
    documents: Iterable[PolicyDocument],
    customer_policies: Iterable[PermissionSetCustomerPolicy] = (),
) -> dict[str, Role]:
    """The role IAM Identity Center creates for each permission set in every account the set
    is assigned to, by the set's key (PolicyDocument.permission_set): holding the set's
    permission policies among ``documents`` (the policies no role, user or group holds) and
    its permissions boundary, it is what the permission rules judge a set's policies by,
    together, as they judge a role's: a Deny of the inline policy takes away what an AWS
    managed policy allows, and an escalation needing two actions finds them in two policies.
    The customer managed policies the set names (``customer_policies``) it holds by their ARN
    in its account, as a role holds a policy attached by an ARN whose text is not read: a
    grant rewriting them is one on its own policy.  Their text is not read, even where a
    scanned file defines a policy of that name: the one of each account the set is assigned
    to is, and whether a scanned file's is deployed there is not known (its Deny may not be).

    It is no role of the inventory: its trust is Identity Center's, which no scanned file
    writes, and its ARN is not known (:data:`PERMISSION_SET_ROLE_ARN`), so the trust rules,
    the assume-role graph and the audit do not see it, and no policy naming an ARN names it.
    Every policy of a set holds the same boundary (the parsers bound each one by the set's):
    the first one's is the holder's."""
    held: dict[str, list[PolicyDocument]] = {}
    for document in documents:
        if document.permission_set is not None and document.kind is PolicyKind.PERMISSIONS:
            held.setdefault(document.permission_set, []).append(document)
    named: dict[str, list[ManagedPolicyRef]] = {}
    for policy in customer_policies:
        if policy.key is not None:
            named.setdefault(policy.key, []).append(ManagedPolicyRef(policy.arn))
    return {
        key: _permission_set_holder(key, policies, named.get(key, ()))
        for key, policies in held.items()
    }


def _permission_set_holder(
    key: str, policies: Sequence[PolicyDocument], customer: Sequence[ManagedPolicyRef]
) -> Role:
    first = policies[0]
    return Role(
        key,
        first.ref,
        Value(None, first.ref, PERMISSION_SET_ROLE_ARN),
        policies=(*policies, *first.holder_boundaries),
        managed_policy_arns=tuple(customer),
        permissions_boundary=first.holder_boundary,
    )


def literal_accounts(arns: Iterable[str | None]) -> frozenset[str]:
    """The account fields of ``arns`` that are account ids: a symbolic one (``${AWS::AccountId}``),
    an unresolved ARN and the ``aws`` of an AWS managed policy are none."""
    fields = [(arn or "").split(":") for arn in arns]
    return frozenset(f[4] for f in fields if len(f) > 4 and _ACCOUNT_ID.fullmatch(f[4]))


@dataclass(slots=True)
class Inventory:
    """Everything parsed in one run, and what the user declared about it: the input of the rule
    engine."""

    roles: list[Role] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    standalone_policies: list[PolicyDocument] = field(default_factory=list)
    compute: list[ComputeResource] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    accounts: AccountContext = field(default_factory=AccountContext)
    settings: ScanSettings = field(default_factory=ScanSettings)
    # Callers that request a session duration (AWS config profiles, Terraform providers).
    session_requests: list[SessionRequest] = field(default_factory=list)
    suppressions: list[SuppressionDirective] = field(default_factory=list)
    # References whose values were not marked with where they are used (past a limit, see
    # rolelint.parsers.tf_budget.MAX_MARKS): a suppression comment there may miss a finding of
    # those values, so it is said to be out of reach rather than unused.
    unmarked_uses: list[SourceRef] = field(default_factory=list)
    # Terraform module folders (real paths) evaluated through a module call, with what the call
    # passes; and those evaluated as a root module alone while they declare a variable nothing
    # sets (a module read without its caller).  Where inputs are unknown, a finding a comment
    # means may be absent for want of them: see rolelint.scope.RunScope.inputs_known.
    called_modules: set[str] = field(default_factory=set)
    unset_input_modules: set[str] = field(default_factory=set)
    permission_set_policies: list[PermissionSetPolicy] = field(default_factory=list)
    # The values CloudFormation templates export to other stacks (rolelint.stack_exports).
    exports: list[StackExport] = field(default_factory=list)
    # The managed policies attachments give a role, user or group that is no holder of the
    # model (one of another stack, state or account, one named by a value rolelint cannot
    # resolve, one known only after apply), by the ARN each attachment names, in whichever
    # file: a policy of another file one may name grants, though no holder of the scan holds
    # it, and is never taken for a boundary alone (rolelint.boundary_links).  Its own file
    # says so of a policy it defines (PolicyDocument.attached_elsewhere).
    outside_attachments: list[ManagedPolicyRef] = field(default_factory=list)
    permission_set_customer_policies: list[PermissionSetCustomerPolicy] = field(
        default_factory=list
    )

    def extend(self, other: Inventory) -> None:
        self.permission_set_policies.extend(other.permission_set_policies)
        self.permission_set_customer_policies.extend(other.permission_set_customer_policies)
        self.outside_attachments.extend(other.outside_attachments)
        self.exports.extend(other.exports)
        self.suppressions.extend(other.suppressions)
        self.unmarked_uses.extend(other.unmarked_uses)
        self.called_modules |= other.called_modules
        self.unset_input_modules |= other.unset_input_modules
        self.roles.extend(other.roles)
        self.identities.extend(other.identities)
        self.standalone_policies.extend(other.standalone_policies)
        self.compute.extend(other.compute)
        self.problems.extend(other.problems)
        self.session_requests.extend(other.session_requests)

    def file_names(self) -> set[str]:
        """Every file its roles, users, groups, policies and problems were read from, as the run
        named them: what a finding's text may embed (a raw policy's resource is its file, a
        name's stand-in ``<generated:FILE#ID>``)."""
        names = {problem.ref.file for problem in self.problems}
        names.update(request.ref.file for request in self.session_requests)
        names.update(resource.ref.file for resource in self.compute)
        names.update(document.ref.file for document in self.standalone_policies)
        for role in self.roles:
            names.add(role.ref.file)
            names.update(document.ref.file for document in role.policies)
            if role.trust_policy is not None:
                names.add(role.trust_policy.ref.file)
        for identity in self.identities:
            names.add(identity.ref.file)
            names.update(document.ref.file for document in identity.policies)
        return names

    def root_folders(self) -> set[str]:
        """The Terraform root module folders its module instances name (Role.root)."""
        roots = {role.root for role in self.roles}
        roots.update(identity.root for identity in self.identities)
        return {root for root in roots if root is not None}

    def arn_accounts(self) -> frozenset[str]:
        """The literal accounts of the roles', users' and groups' ARNs (symbolic ones left out):
        for a file that shows principals as they exist, the accounts it was read from."""
        arns = [role.arn.text for role in self.roles]
        arns += [identity.arn.text for identity in self.identities]
        return literal_accounts(arns)

    def trust_policies(self) -> Iterator[tuple[PolicyDocument, Role | None]]:
        """Every trust policy, with its role when it belongs to one."""
        for role in self.roles:
            if role.trust_policy is not None:
                yield role.trust_policy, role
        for document in self.standalone_policies:
            if document.kind is PolicyKind.TRUST:
                yield document, None

    def permission_policies(self) -> Iterator[tuple[PolicyDocument, tuple[Role, ...]]]:
        """Every permission policy once, with the roles that hold it (none for standalone ones).

        A managed policy attached to three roles is one document: checks report it once, at its
        own lines, naming all three roles.
        """
        holders: dict[int, tuple[PolicyDocument, list[Role]]] = {}
        for role in self.roles:
            for document in role.policies:
                holders.setdefault(id(document), (document, []))[1].append(role)
        for identity in self.identities:
            for document in identity.policies:
                holders.setdefault(id(document), (document, []))
        for document in self.standalone_policies:
            if document.kind not in (PolicyKind.TRUST, PolicyKind.RESOURCE):
                holders.setdefault(id(document), (document, []))
        for document, roles in holders.values():
            yield document, tuple(roles)

    def permission_texts(self) -> Iterator[tuple[PolicyDocument, tuple[Role, ...]]]:
        """Every text of :meth:`permission_policies` once, with the roles that hold it, for the
        rules judging a policy's text (its grammar, its size).

        Each role or user naming a managed policy as its permissions boundary holds a copy of
        it of its own (PolicyDocument.as_boundary: its origin names the holder), so the text of
        a boundary several hold would be judged once per holder, at the same lines.  Those
        copies, and the policy itself where it is attached too, are one text here, named by
        no holder whether one or several hold it (see :func:`_one_text`), so that the findings
        on it, and their fingerprints, stay the same whoever holds it.
        """
        texts: dict[int, list[tuple[PolicyDocument, tuple[Role, ...]]]] = {}
        for document, roles in self.permission_policies():
            text = document.permissions if document.permissions is not None else document
            texts.setdefault(id(text), []).append((document, roles))
        for held in texts.values():
            if len(held) == 1 and not _names_a_holder(held[0][0]):
                yield held[0]
                continue
            holders = {id(role): role for _, roles in held for role in roles}
            yield _one_text([document for document, _ in held]), tuple(holders.values())

    def written_policies(self) -> Iterator[PolicyDocument]:
        """Every policy whose text is in the scanned files, for the checks of policy grammar.

        AWS managed documents are left out: their text is AWS's, the user cannot edit it, and an
        action AWS keeps in them after retiring it is not the user's mistake.
        """
        for document, _ in self.written_policies_with_roles():
            yield document

    def written_policies_with_roles(self) -> Iterator[tuple[PolicyDocument, tuple[Role, ...]]]:
        """Every policy of :meth:`written_policies`, with the roles whose policy it is: its role
        for a trust policy, every role holding it for a permission policy or a boundary, none
        for a policy file of its own or a resource policy.  A finding on its text concerns
        them (a role's inventory row and card count it)."""
        for document, role in self.trust_policies():
            if role is None:
                yield document, ()
            elif not role.service_linked:  # AWS's text too
                yield document, (role,)
        for document, roles in self.permission_texts():
            if not document.aws_managed:
                yield document, roles
        for document in self.standalone_policies:
            if document.kind is PolicyKind.RESOURCE:
                yield document, ()


def _names_a_holder(document: PolicyDocument) -> bool:
    """Whether ``document`` is a boundary copy its origin names the holder of ("permissions
    boundary Bnd of role R"); a policy no holder of the scan has, made a boundary, keeps the
    policy's own origin (rolelint.boundary_links)."""
    policy = document.permissions
    return policy is not None and document.origin != policy.origin


def _one_text(documents: Sequence[PolicyDocument]) -> PolicyDocument:
    """The one document that stands for ``documents``, copies of one managed policy (and the
    policy itself) that one or several roles or users hold, in messages and keys: the policy,
    when it is among them (attached to some, the boundary of others), as a policy attached to
    several roles is said; else a boundary copy said as the policy used as a permissions
    boundary, naming no holder (the finding's roles name them), so that its key, and the
    fingerprint, stay the same whoever holds it (rolelint.checks.base.Hit).  The copies'
    own origins are its ``earlier_origins``: each keyed the findings of its copy before."""
    one = next((document for document in documents if document.permissions is None), None)
    if one is None:
        first = documents[0]
        policy = first.permissions if first.permissions is not None else first
        one = replace(first, origin=f"{policy.origin} as permissions boundary")
    earlier = dict.fromkeys(document.origin for document in documents)
    earlier.pop(one.origin, None)
    return replace(one, earlier_origins=tuple(earlier)) if earlier else one
