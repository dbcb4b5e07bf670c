"""Turns a positioned policy-document tree into model objects.

Shared by every format: the CloudFormation parser first replaces intrinsic functions with
:class:`Value` / :class:`Choice` leaves, raw JSON needs no such step, and later formats do the
same.  Here lives the one reading of the IAM policy grammar (Version, Statement, Effect, Action,
Principal, Condition, ...), so no parser repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from rolelint.condition_operators import Comparison, comparison, is_negated, positive_of
from rolelint.model import (
    INVALID_STATEMENT,
    UNRESOLVED_KEY,
    Condition,
    ElementKey,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    SourceProblem,
    Statement,
    Value,
    base_of_operator,
)
from rolelint.parsers.cfn_dynamic_references import deploy_time, is_dynamic_reference
from rolelint.parsers.paired_branches import kept_options, paired_variants, with_value
from rolelint.parsers.tree import (
    NO_VALUE,
    Choice,
    LoadedDocument,
    PMap,
    ProducedList,
    PSeq,
    own_span,
    place_of,
    scalar_text,
    span_in,
    written_as,
)
from rolelint.source import SourceRef, Span
from rolelint.wildcards import covers_action_text, covers_arn_text, covers_text

# The reason of a value of a kind the policy grammar does not read as a string (none that
# a parser gives today; see PolicyBuilder.scalar).
UNREAD_KIND = "a value of a kind rolelint does not read as a string"

_PRINCIPAL_KINDS = {kind.value: kind for kind in PrincipalKind if kind is not PrincipalKind.ANYONE}


@dataclass(frozen=True, slots=True)
class UnreadStatement:
    """A statement of a document, or its whole ``Statement``, that is a value rolelint cannot
    resolve (Terraform's ``Statement = [var.s, {...}]`` or ``var.statements``): not analyzed,
    never read as granting anything nor as nothing at all, and said in a note at its place
    (``message``).  ``value`` is the element as read, where it is and why it is not known."""

    value: Value
    message: str


# The elements of a statement in IAM's grammar, and the pairs of them IAM refuses together.
STATEMENT_ELEMENTS = frozenset(
    (
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    )
)
EXCLUSIVE_ELEMENTS = (
    ("Action", "NotAction"),
    ("Resource", "NotResource"),
    ("Principal", "NotPrincipal"),
)


# The families of IAM condition operators, with their set prefixes: what a key of Condition
# must look like to be taken for an operator.
_CONDITION_OPERATOR = re.compile(
    r"(ForAnyValue:|ForAllValues:)?(String|Numeric|Date|Bool|Binary|IpAddress|NotIpAddress|Arn|Null)",
    re.IGNORECASE,
)


def _position(span: Span | None) -> tuple[int, int]:
    return (span.line, span.column) if span is not None else (0, 0)


def _alternatives(node: Any) -> Iterator[Any]:
    """The concrete options of a node: Choice fans out, NoValue disappears."""
    if isinstance(node, Choice):
        for option in node.options:
            yield from _alternatives(option)
    elif node is not NO_VALUE:
        yield node


def _plain_values(options: tuple[Any, ...]) -> bool:
    """Whether each option is a value :meth:`PolicyBuilder.scalar` gives as it is."""
    for option in options:
        if not isinstance(option, Value) or is_dynamic_reference(option.text):
            return False
    return True


class PolicyBuilder:
    """Builds documents of one file; collects the problems it meets for the invalid-policy rule."""

    def __init__(
        self,
        file: str,
        text_of: Callable[[str | float], str] = scalar_text,
        builder_of: Callable[[Any], PolicyBuilder] | None = None,
    ) -> None:
        """``text_of`` reads a string or number of the tree as text: as the file writes it by
        default; a tree Terraform builds passes how Terraform writes a number.
        ``builder_of`` gives the builder of the file a statement node was written in: by
        default this one, as one file holds the whole tree; Terraform merges statements of
        documents written in other files (``source_policy_documents``), each built (and its
        problems kept) by its own file's builder, which the caller keeps."""
        self.file = file
        self.text_of = text_of
        self.builder_of = builder_of
        self.problems: list[SourceProblem] = []
        # The statements not analyzed because they are not known, for the parser's notes (the
        # Terraform and CloudFormation parsers give them at each statement).
        self.unread: list[UnreadStatement] = []

    def builder_for(self, node: Any) -> PolicyBuilder:
        """The builder of the file the statement ``node`` was written in."""
        return self.builder_of(node) if self.builder_of is not None else self

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def scalar(self, node: Any, span: Span | None) -> Iterator[Value]:
        """Every possible value of a scalar position (several under Fn::If)."""
        for option in _alternatives(node):
            if isinstance(option, Value):
                dynamic = is_dynamic_reference(option.text)
                yield deploy_time(option.text or "", option.ref) if dynamic else option
            elif isinstance(option, bool):
                yield Value("true" if option else "false", self.ref(span))
            elif isinstance(option, str) and is_dynamic_reference(option):
                yield deploy_time(option, self.ref(span))
            elif isinstance(option, (str, int, float)):
                # A number carried from another file knows its place; the span is of that file.
                ref = place_of(option) or self.ref(span)
                yield Value(self.text_of(option), ref, written=written_as(option))
            elif isinstance(option, (PMap, PSeq)):
                yield Value(None, self.ref(own_span(option) or span), "not a plain value")
            elif option is None:
                continue
            else:
                # A kind the grammar does not read (none a parser gives today) is unknown at
                # its place, never dropped: an element that loses a value grants or limits
                # other than the file says (a heredoc's text once vanished from a Resource so).
                # No one passes it in: it is not the deployer's choice.
                yield Value(None, self.ref(span), UNREAD_KIND, constrained=True)

    def field(self, node: PMap, key: str) -> list[Value]:
        """Every possible value of a single-valued key (Effect, Sid, Version); [] when absent."""
        return list(self.scalar(node[key], node.span_of(key))) if key in node else []

    def scalars(self, container: Any, key: Any, resource: str) -> tuple[Value, ...]:
        """The values of a string-or-list element such as Action or Resource."""
        return tuple(self._flatten(container[key], span_in(container, key), key, resource))

    def _flatten(self, node: Any, span: Span | None, key: Any, resource: str) -> Iterator[Value]:
        """Lists (possibly nested by Fn::If branches that are lists, or by an expression that
        gives a list: see ProducedList) become their scalars.

        A list written inside the list (``[["*"]]``) is no value IAM reads: its grammar takes
        a string or a flat list of them, and rejects the policy.  It is reported, and read as
        a value rolelint cannot resolve, never as the strings it holds: ``"Action": [["*"]]``
        grants nothing, and ``"aws:PrincipalOrgID": [["o-..."]]`` limits no one."""
        for option in _alternatives(node):
            if isinstance(option, PSeq):
                for index, item in enumerate(option):
                    # The common items first, read as scalar reads them but without a generator
                    # each: a statement split per branch (paired_variants) lists them again.
                    if isinstance(item, Value) and not is_dynamic_reference(item.text):
                        yield item
                    elif isinstance(item, Choice) and _plain_values(item.options):
                        yield from item.options
                    elif isinstance(item, PSeq) and not isinstance(item, ProducedList):
                        yield self._nested_list(item, option.span_at(index), key, resource)
                    else:
                        yield from self._flatten(item, option.span_at(index), key, resource)
            else:
                yield from self.scalar(option, span)

    def _nested_list(self, item: PSeq, span: Span | None, key: Any, resource: str) -> Value:
        where = self.ref(own_span(item) or span)
        message = f"a list inside the list of {key}: IAM takes a string or a list of strings"
        self.problems.append(SourceProblem(INVALID_STATEMENT, message, where, resource))
        return Value(None, where, "not a plain value (a list inside a list)")

    def principals(self, container: PMap, key: str, resource: str) -> tuple[Principal, ...]:
        result: list[Principal] = []
        for node in _alternatives(container[key]):
            if isinstance(node, PSeq) or node is None:
                # ["*"], [AWS, "*"], or null (written so, or the null branch of Terraform's
                # ``cond ? {...} : null``, which jsonencode() writes): IAM rejects the policy.
                # A null names no one, as a null Resource names nothing, and a statement that
                # names no principal is one IAM rejects too, however it reads the null.
                where = self.ref(own_span(node) or span_in(container, key))
                message = (
                    f'{key} must be "*" or an object of principal types (AWS, Service,'
                    f" Federated, CanonicalUser), not {'null' if node is None else 'a list'}"
                )
                self.problems.append(SourceProblem(INVALID_STATEMENT, message, where, resource))
            if isinstance(node, PMap) and not _is_unresolved_intrinsic(node):
                for kind_name in node:
                    kind = _PRINCIPAL_KINDS.get(str(kind_name), PrincipalKind.OTHER)
                    if kind is PrincipalKind.OTHER:
                        self._unknown_principal_type(node, str(kind_name), key, resource)
                    for value in self.scalars(node, kind_name, resource):
                        result.append(Principal(kind, value))
            else:
                for value in self.scalar(node, span_in(container, key)):
                    is_anyone = value.text == "*"
                    bare = PrincipalKind.ANYONE if is_anyone else PrincipalKind.OTHER
                    if value.text is not None and not is_anyone:
                        self._bare_principal(value, key, resource)
                    result.append(Principal(bare, value))
        return tuple(result)

    def _bare_principal(self, value: Value, key: str, resource: str) -> None:
        """``"Principal": "arn:aws:iam::111122223333:root"``: IAM's grammar allows a string
        only for ``"*"``; any other principal goes in an object under its type."""
        message = (
            f'{key} must be "*" or an object of principal types (AWS, Service, Federated,'
            f" CanonicalUser), not the string '{value.text}'"
        )
        self.problems.append(SourceProblem(INVALID_STATEMENT, message, value.ref, resource))

    def _unknown_principal_type(self, node: PMap, name: str, key: str, resource: str) -> None:
        """``{"Services": ...}``: IAM knows four principal types.  A spelling that differs only
        in case (``aws``) is left alone: rolelint cannot tell whether IAM accepts it."""
        known = {kind.lower() for kind in _PRINCIPAL_KINDS if kind != PrincipalKind.OTHER.value}
        if not name.isalpha() or name.lower() in known:
            return
        message = (
            f"'{name}' is not a principal type: {key} takes AWS, Service, Federated or"
            " CanonicalUser"
        )
        where = self.ref(node.key_span_of(name))
        self.problems.append(SourceProblem(INVALID_STATEMENT, message, where, resource))

    def conditions(self, statement: PMap, resource: str) -> tuple[Condition, ...]:
        result: list[Condition] = []
        for block in _alternatives(statement["Condition"]):
            if _is_unknown(block):
                # A Condition rolelint cannot read (a Terraform object with a computed key) may
                # hold exactly the limit a rule looks for: keep it as an unreadable condition.
                result.append(Condition(UNRESOLVED_KEY, UNRESOLVED_KEY, (), block.ref, block.ref))
                continue
            if not isinstance(block, PMap):
                # A null (``"Condition": null``, Terraform's ``Condition = null`` or the null
                # branch of ``cond ? {...} : null``, which jsonencode() writes) names no test,
                # as a null Resource names no resource: the statement is unconditioned there,
                # as under ``{}``, which is what it grants if IAM takes it (whether IAM refuses
                # the policy for it is not claimed: if it does, nothing is granted).
                if block is not None:  # a list or a string: IAM rejects the policy
                    where = self.ref(own_span(block) or statement.span_of("Condition"))
                    message = "a Condition must be an object of condition operators"
                    self.problems.append(SourceProblem(INVALID_STATEMENT, message, where, resource))
                continue
            for operator in block:
                for entries in _alternatives(block[operator]):
                    if _is_unknown(entries):
                        at = self.ref(block.key_span_of(operator))
                        result.append(Condition(str(operator), UNRESOLVED_KEY, (), at, at))
                        continue
                    if not isinstance(entries, PMap):
                        # {"StringEquals": "x"}: IAM rejects the policy.  (A key that is no
                        # operator, such as an Action indented under Condition, is the
                        # statement's own problem: it has no Action.)
                        if entries is not None and _CONDITION_OPERATOR.match(str(operator)):
                            where = self.ref(own_span(entries) or block.span_of(operator))
                            message = (
                                f"condition operator {operator} must hold an object of condition"
                                " keys and values"
                            )
                            self.problems.append(
                                SourceProblem(INVALID_STATEMENT, message, where, resource)
                            )
                        continue
                    for key in entries:
                        result.append(
                            Condition(
                                str(operator),
                                str(key),
                                self.scalars(entries, key, resource),
                                self.ref(entries.key_span_of(key)),
                                self.ref(block.key_span_of(operator)),
                            )
                        )
        return tuple(result)

    def statement(self, node: PMap, span: Span | None, resource: str) -> Statement:
        effects = (
            list(self.scalar(node["Effect"], node.span_of("Effect"))) if "Effect" in node else []
        )
        # A conditional Effect is judged by its riskiest branch.
        effect = next((e for e in effects if e.text == "Allow"), effects[0] if effects else None)
        sid_values = self.field(node, "Sid")
        conflicting = self._conflicting(node)
        # A statement IAM rejects for a pair of exclusive elements grants and denies nothing:
        # what it would grant is not read (see Statement.conflicting).
        grants = not conflicting
        written = [key for key in ("Resource", "NotResource") if key in node]
        names_resources = any(not _names_nothing(node[key]) for key in written)
        empty = written[0] if written and not names_resources else None  # each is [] or null
        no_action = _empty_action(node) if grants else None
        not_action = grants and "NotAction" in node and no_action is None
        return Statement(
            ref=self.ref(node.span or span),
            effect=effect,
            sid=sid_values[0].text if sid_values else None,
            actions=self.scalars(node, "Action", resource) if grants and "Action" in node else (),
            not_actions=self.scalars(node, "NotAction", resource)
            if grants and "NotAction" in node
            else (),
            resources=self.scalars(node, "Resource", resource)
            if grants and "Resource" in node
            else (),
            not_resources=(
                self.scalars(node, "NotResource", resource)
                if grants and "NotResource" in node
                else ()
            ),
            principals=(
                self.principals(node, "Principal", resource) if "Principal" in node else ()
            ),
            not_principals=(
                self.principals(node, "NotPrincipal", resource) if "NotPrincipal" in node else ()
            ),
            conditions=self.conditions(node, resource) if "Condition" in node else (),
            has_action=("Action" in node and no_action is None)
            or (not grants and "NotAction" in node),
            has_not_action=not_action,
            has_not_resource=grants and "NotResource" in node,
            not_action_ref=self.ref(node.key_span_of("NotAction")) if not_action else None,
            not_resource_ref=(
                self.ref(node.key_span_of("NotResource"))
                if grants and "NotResource" in node
                else None
            ),
            not_principal_ref=(
                self.ref(node.key_span_of("NotPrincipal")) if "NotPrincipal" in node else None
            ),
            sid_ref=sid_values[0].ref if sid_values else None,
            names_resources=names_resources,
            empty_resource=self._names_nothing_key(node, empty),
            empty_action=self._names_nothing_key(node, no_action),
            unknown_keys=tuple(
                ElementKey(str(key), self.ref(node.key_span_of(key)))
                for key in node
                if key not in STATEMENT_ELEMENTS
            ),
            conflicting=conflicting,
        )

    def _names_nothing_key(self, node: PMap, key: str | None) -> ElementKey | None:
        """The key of ``node`` whose value names nothing (:func:`_names_nothing`), as the
        model points at it, with that value as written; None for no key."""
        if key is None:
            return None
        holds = "null" if all(option is None for option in _alternatives(node[key])) else "[]"
        return ElementKey(key, self.ref(node.key_span_of(key)), holds)

    def _conflicting(self, node: PMap) -> tuple[ElementKey, ...]:
        """Of each pair of exclusive elements the statement has both of, the one written
        second: where IAM's objection to the pair is best pointed at."""
        found = []
        for element, negated in EXCLUSIVE_ELEMENTS:
            if element in node and negated in node:
                first_at = _position(node.key_span_of(element))
                second = element if first_at > _position(node.key_span_of(negated)) else negated
                found.append(ElementKey(second, self.ref(node.key_span_of(second))))
        return tuple(found)

    def document(
        self,
        node: Any,
        span: Span | None,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
    ) -> PolicyDocument | None:
        """Build one document; None when the node is not a (resolvable) policy document at all."""
        options = list(_alternatives(node))
        if len(options) > 1:
            # A document chosen by a condition: analyze the union of every branch's statements.
            built = [
                self.document(o, span, kind=kind, resource=resource, origin=origin) for o in options
            ]
            documents = [d for d in built if d is not None]
            if not documents:
                return None
            first = documents[0]
            statements = _union(documents)
            return PolicyDocument(
                first.kind,
                first.ref,
                resource,
                origin,
                statements,
                first.version,
                any(d.has_statement for d in documents),
                truncated=any(d.truncated for d in documents),
            )
        if not options or not isinstance(options[0], PMap) or _is_unresolved_intrinsic(options[0]):
            return None
        root: PMap = options[0]
        version_values = (
            list(self.scalar(root["Version"], root.span_of("Version"))) if "Version" in root else []
        )
        built_statements: list[Statement] = []
        truncated = False
        if "Statement" not in root:
            self.problems.append(_no_statement(root, self.ref, root.span or span, resource))
        else:
            nodes = self._statement_nodes(root)
            for count, (item, item_span, optional, branch, listed) in enumerate(nodes):
                if count == MAX_STATEMENTS:
                    self.problems.append(_too_many_statements(self.ref(item_span), resource))
                    truncated = True
                    break
                if isinstance(item, PMap) and not _is_unresolved_intrinsic(item):
                    alternatives = _paired(item)
                    # Exactly one of the alternatives is deployed wherever the statement is.
                    group = count if len(alternatives) > 1 else None
                    # A statement merged from a document of another file is pointed at there
                    # (the variants are copies: the file is the written statement's).
                    builder = self.builder_for(item)
                    for alternative in alternatives:
                        variants = [
                            variant
                            for written in _element_variants(alternative)
                            for variant in _condition_variants(written)
                        ]
                        for variant in variants:
                            statement = builder.statement(variant, item_span, resource)
                            chosen = _is_deny(variant) and _holds_choice(variant)
                            alone = optional or chosen or len(variants) > 1
                            if alone or branch is not None or group is not None:
                                statement = replace(
                                    statement, optional=alone, branch=branch, paired=group
                                )
                            built_statements.append(statement)
                elif not isinstance(item, Value) or item.resolved:
                    self.problems.append(
                        SourceProblem(
                            INVALID_STATEMENT,
                            "a policy statement must be an object",
                            self.ref(item_span),
                            resource,
                        )
                    )
                else:  # not known: not analyzed, and said
                    self.unread.append(_unread_statement(item, listed, origin))
        return PolicyDocument(
            kind=kind,
            ref=self.ref(root.span or span),
            resource=resource,
            origin=origin,
            statements=tuple(built_statements),
            version=version_values[0] if version_values else None,
            has_statement="Statement" in root,
            single_statement="Statement" in root and _is_single_statement(root["Statement"]),
            truncated=truncated,
        )

    def _statement_nodes(
        self, root: PMap
    ) -> Iterator[tuple[Any, Span | None, bool, int | None, bool]]:
        """Each statement node, where it is, whether it is one of alternatives, its branch
        when the whole ``Statement`` is chosen by a condition (see :func:`_union`), and whether
        it is an item of a list (else the whole ``Statement``)."""
        whole = list(_alternatives(root["Statement"]))
        for number, node in enumerate(whole):
            branch = number if len(whole) > 1 else None
            if isinstance(node, PSeq):
                for index, item in enumerate(node):
                    optional = isinstance(item, Choice)
                    for option in _alternatives(item):
                        yield option, span_in(node, index), optional, branch, True
            else:
                yield node, root.span_of("Statement"), False, branch, False


# The elements of a statement that may allow whose options, listed together, make it grant
# less than any deployment of it does: ``NotResource: !If [Skip, "*", <ARN>]`` read as
# ``["*", <ARN>]`` excludes every resource, where the deployments without Skip grant the
# actions on every resource but the ARN.  Such a statement is split on the conditions these
# name (:func:`paired_variants`), even where no other element names them; so are the values of
# its negated condition operators (:func:`_split_alone`).
ALLOW_SPLIT_ELEMENTS = ("NotAction", "NotResource")


def _paired(statement: PMap) -> list[PMap]:
    """The statement once per way the conditions its elements share may hold
    (:func:`paired_variants`), and those its NotAction or NotResource names
    (:data:`ALLOW_SPLIT_ELEMENTS`) or a negated condition's values do (:func:`_split_alone`),
    each of which the model marks one of alternatives (``Statement.paired``), each with the
    options of those elements no condition names that exclude least (:func:`_least_excluding`);
    a Deny in every deployment once, its options together as written.

    Together, the options of a Deny's NotAction, NotResource or NotPrincipal (or of a negated
    condition's values) make it refuse fewer requests than any deployment's Deny does, so it
    still limits the Allows beside it for certain (:func:`_holds_choice`): ``NotAction: !If
    [IsProd, [s3:GetObject], [s3:*]]`` beside ``NotResource: !If [IsProd, ...]`` leaves every
    deployment of ``Allow *`` only some of S3.  Split, each branch's Deny is in some
    deployments only, and none would limit anything.  Where a choice makes the Deny refuse
    more than some deployment does, it is one of alternatives either way.

    An Allow's NotAction or NotResource is the other way round: its options together grant
    fewer actions, or on fewer resources, than any deployment does, and a branch that excludes
    every one (``"*"``) made the whole statement grant nothing.  Split, each branch is judged
    as if written alone: nothing where every branch excludes everything.  So are the values of
    a negated condition operator (``ArnNotEquals cloudformation:RoleArn: !If [C, <deploy
    role>, <other role>]``): together they admit fewer requests than any deployment does (no
    launch passing either role, where the deployments without C pass the deploy role).  (The
    conditions past :data:`~rolelint.parsers.paired_branches.MAX_PAIRED_CONDITIONS` are still
    read together.)"""
    if _denies_everywhere(statement):
        return [statement]
    return [
        variant if _denies_everywhere(variant) else _least_excluding(variant)
        for variant in paired_variants(statement, _split_alone(statement))
    ]


def _split_alone(statement: PMap) -> list[Any]:
    """The parts of a statement that may allow whose options, listed together, exclude more
    than any deployment of it does, so that a condition one Choice in them names is split on
    (:func:`paired_variants`): its NotAction and NotResource (:data:`ALLOW_SPLIT_ELEMENTS`)
    and the tests of its negated condition operators, each value listed more admitting fewer
    requests (``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress`` ..., with a set prefix or
    ``IfExists`` too)."""
    alone = [statement[key] for key in ALLOW_SPLIT_ELEMENTS if key in statement]
    block = statement.get("Condition")
    if isinstance(block, PMap):
        alone.extend(
            tests
            for operator, tests in block.items()
            if isinstance(tests, PMap) and is_negated(str(operator))
        )
    return alone


def _least_excluding(statement: PMap) -> PMap:
    """``statement`` (one that may allow) with each Choice whose options no condition names (a
    Mappings entry the region picks, ``!FindInMap [M, !Ref AWS::Region, Spared]``) in its
    NotAction, NotResource or a negated condition's values down to the options that exclude
    least (:func:`_excluding_least`).

    Each deployment holds one of the options, and no condition says which: pairing cannot
    split on them (:func:`paired_variants`).  Listed together they exclude every option's
    resources, and ``"*"`` in one region's entry made the Allow grant nothing in every region,
    where the others grant the actions on every resource but their ARN.  An option that
    excludes everything another one does, and more, is the deployment that grants less: what
    is left grants what the region granting most does, judged once, not once per region.
    Options neither of which excludes all the other does are still listed together."""
    changed = statement
    for key in ALLOW_SPLIT_ELEMENTS:
        if key in statement:
            covers = covers_action_text if key == "NotAction" else covers_text
            value = kept_options(statement[key], partial(_excluding_least, covers=covers))
            if value is not statement[key]:
                changed = with_value(changed, key, value)
    block = statement.get("Condition")
    if isinstance(block, PMap):
        narrowed = _least_excluding_tests(block)
        if narrowed is not block:
            changed = with_value(changed, "Condition", narrowed)
    return changed


def _least_excluding_tests(block: PMap) -> PMap:
    """A Condition block with the values of each negated operator's keys narrowed as
    :func:`_least_excluding` says, compared as the operator compares them."""
    changed = block
    for operator, tests in block.items():
        if not isinstance(tests, PMap) or not is_negated(str(operator)):
            continue
        covers = _negated_covers(str(operator))
        narrowed = tests
        for key, values in tests.items():
            value = kept_options(values, partial(_excluding_least, covers=covers))
            if value is not values:
                narrowed = with_value(narrowed, key, value)
        if narrowed is not tests:
            changed = with_value(changed, operator, narrowed)
    return changed


# Whether the first text excludes (as a pattern, a value) everything the second one does.
_Covers = Callable[[str, str], bool]


def _excluding_least(options: tuple[Any, ...], covers: _Covers) -> list[int]:
    """The places of the ``options`` (of a Choice no condition names) to read: all but those
    that exclude everything another option does, by ``covers``, and more (of options that
    exclude the same, the first).  An option not known, or not plain text (a list of them),
    is kept and excludes no other.  Past :data:`MAX_COMPARED` comparisons, every option."""
    texts = [_option_texts(option) for option in options]
    compare = _Comparisons(covers)
    try:
        kept = [
            index
            for index, mine in enumerate(texts)
            if mine is None
            or not any(
                other is not None
                and place != index
                and compare.excludes_all_of(mine, other)
                and (place < index or not compare.excludes_all_of(other, mine))
                for place, other in enumerate(texts)
            )
        ]
    except _TooMany:
        kept = []
    return kept or list(range(len(options)))


# The texts :func:`_excluding_least` compares for one Choice at most: a Mappings entry of a
# thousand ARNs in each of 32 regions would take millions of comparisons.  Past them, the
# options are listed together, as they were.
MAX_COMPARED = 20_000


class _TooMany(Exception):
    """More than :data:`MAX_COMPARED` comparisons."""


class _Comparisons:
    """Whether one option's texts exclude all another's do, by ``covers``, counted."""

    def __init__(self, covers: _Covers) -> None:
        self.covers = covers
        self.left = MAX_COMPARED

    def excludes_all_of(self, mine: tuple[str, ...], other: tuple[str, ...]) -> bool:
        written = set(mine)
        return all(text in written or self._covered(mine, text) for text in other)

    def _covered(self, mine: tuple[str, ...], text: str) -> bool:
        for general in mine:
            self.left -= 1
            if self.left < 0:
                raise _TooMany
            if self.covers(general, text):
                return True
        return False


def _option_texts(option: Any) -> tuple[str, ...] | None:
    """The texts an option of a Choice lists (one, or a list's), or None when one is not
    known, is no plain text, or the list is empty (``[]`` names nothing: IAM takes no such
    element, and the statement grants nothing with it, which no other option is compared
    with)."""
    items = option if isinstance(option, PSeq) else (option,)
    texts: list[str] = []
    for item in items:
        text = item.text if isinstance(item, Value) else item if isinstance(item, str) else None
        if text is None or is_dynamic_reference(text):
            return None
        texts.append(text)
    return tuple(texts) or None


def _equal(general: str, specific: str) -> bool:
    return general == specific


def _equal_ignoring_case(general: str, specific: str) -> bool:
    return general.lower() == specific.lower()


def _negated_covers(operator: str) -> _Covers:
    """How the negated ``operator`` (``ForAnyValue:StringNotLikeIfExists`` ...) compares one
    value it lists with another: as patterns (``StringNotLike``; ``ArnNotEquals`` and
    ``ArnNotLike`` field by field), ignoring case, or as the texts written
    (``StringNotEquals``, ``NumericNotEquals``, ``NotIpAddress``, which may read two texts as
    one value: never a wrong yes).  The operator is read as the model reads it
    (:func:`~rolelint.model.base_of_operator`): with an ``IfExists`` spelled otherwise than
    IAM spells it (``StringNotLikeifexists``, which IAM rejects: RL607) it is none that
    rolelint compares, and its values are compared as written."""
    positive = positive_of(base_of_operator(operator))
    how = comparison(positive) if positive is not None else None
    if how is Comparison.PATTERN and positive is not None:
        return covers_arn_text if positive.startswith("Arn") else covers_text
    if how is Comparison.IGNORE_CASE:
        return _equal_ignoring_case
    return _equal


def _denies_everywhere(statement: PMap) -> bool:
    """Whether every option of the statement's Effect is Deny."""
    if "Effect" not in statement:
        return False
    for option in _branches(statement["Effect"]):
        text = option.text if isinstance(option, Value) else option
        if text != "Deny":
            return False
    return True


def _names_nothing(node: Any) -> bool:
    """``[]`` or null in every branch: a list that names nothing, which IAM's grammar does not
    take ("Arrays can take one or more values"), or null, which it takes nowhere (a string or
    a list of strings; CloudFormation refuses a template holding null, and Terraform's
    jsonencode() writes ``Resource = null`` as ``"Resource":null``).  A null only some branches
    give is the element left out there (:func:`_may_be_absent`)."""
    options = list(_alternatives(node))
    return bool(options) and all(
        option is None or (isinstance(option, PSeq) and len(option) == 0) for option in options
    )


def _empty_action(node: PMap) -> str | None:
    """The Action or NotAction key of a statement (one of the pair) whose value is ``[]`` (or
    null) in every branch: it names no action, as ``"Resource": []`` names no resource, and
    ``"NotAction": []`` is not every action but none (IAM Access Analyzer: the statement
    "includes no actions and does not affect the policy")."""
    element = "Action" if "Action" in node else "NotAction" if "NotAction" in node else None
    return element if element is not None and _names_nothing(node[element]) else None


def _is_single_statement(node: Any) -> bool:
    """``"Statement": {...}``: one statement written as an object, not as a list."""
    written = list(_alternatives(node))
    return len(written) == 1 and isinstance(written[0], PMap)


def _union(documents: list[PolicyDocument]) -> tuple[Statement, ...]:
    """The statements of a document chosen by a condition: every branch's, each marked with
    its branch, so that a Deny of one branch is not taken to protect the Allows of another
    (``!If [Strict, {Allow *, Deny outside the org}, {Allow *}]`` is open to anyone where
    Strict is false).  A statement already of a branch of its own document's ``Statement``
    is, within the branch of the document, one of alternatives."""
    return tuple(
        replace(
            statement,
            optional=statement.optional or statement.branch is not None,
            branch=index,
        )
        for index, document in enumerate(documents)
        for statement in document.statements
    )


def _element_variants(statement: PMap) -> list[PMap]:
    """The statement once per way its exclusive elements may be deployed.

    ``Action: !If [C, [...], !Ref AWS::NoValue]`` beside ``NotAction: !If [C, !Ref
    AWS::NoValue, [...]]`` (or Terraform's ``cond ? [...] : null``) holds one of the two in each
    deployment: taken together they would be a pair IAM rejects (and a statement that grants
    nothing), hiding what either branch grants.
    Where both of a pair may be absent, the statement is judged with each alone: which branches
    go together is not known, so a deployment holding both (or neither) is not assumed.  Where
    only one may be absent, the deployments with it hold both (IAM rejects them) and the others
    only the one always written: the statement is judged both ways.
    """
    variants = [statement]
    for element, negated in EXCLUSIVE_ELEMENTS:
        if element not in statement or negated not in statement:
            continue
        ways: list[tuple[str, ...]]  # the elements left out, in each way
        element_optional = _may_be_absent(statement[element])
        negated_optional = _may_be_absent(statement[negated])
        if element_optional and negated_optional:
            ways = [(negated,), (element,)]
        elif element_optional or negated_optional:
            ways = [(), (element if element_optional else negated,)]
        else:
            continue
        variants = [_without(variant, left_out) for variant in variants for left_out in ways]
    return variants


def _may_be_absent(node: Any) -> bool:
    """Whether some branch of a Choice leaves the element out: AWS::NoValue (and an argument
    of aws_iam_policy_document not set, or set to null, which the provider leaves out).  A
    null is no absence: it is the value that branch writes (Terraform's jsonencode() writes
    ``cond ? [...] : null`` as ``"NotAction":null`` there), which names nothing, as it does
    in every branch (:func:`_names_nothing`)."""
    return isinstance(node, Choice) and any(branch is NO_VALUE for branch in _branches(node))


def _without(statement: PMap, keys: tuple[Any, ...]) -> PMap:
    """A copy of ``statement`` without ``keys``."""
    for key in keys:
        statement = _replaced(statement, key, NO_VALUE, statement)
    return statement


MAX_CONDITION_VARIANTS = 16


def _condition_variants(statement: PMap) -> list[PMap]:
    """The statement once per way its Condition may be deployed.

    ``Condition: !If [HasId, {StringEquals: ...}, !Ref AWS::NoValue]`` is a statement with that
    condition, or with none: taking every branch's tests at once would AND them, so the branch
    without a condition, which trusts whoever the principal names, would never be judged.  The
    same holds for an operator chosen by a condition.  Past :data:`MAX_CONDITION_VARIANTS`
    ways, the tests of every branch are kept together as before.

    A Deny keeps its branches' tests together: the checks take every Deny of a policy as
    present, and a branch's Deny with no test would refuse every caller in every deployment,
    hiding what the other branch leaves open.  Together, the tests apply to fewer requests
    than either branch's do, so the Deny never refuses more than it may.
    """
    if not isinstance(statement.get("Condition"), (Choice, PMap)) or _is_deny(statement):
        return [statement]
    blocks = _condition_blocks(statement["Condition"])
    if blocks is None:
        return [statement]
    return [_replaced(statement, "Condition", block, statement) for block in blocks]


# What a Deny refuses, and whom: a value of these a condition chooses makes it refuse other
# requests in other deployments.  (Listed together, the options of NotAction, NotResource or
# NotPrincipal make it refuse fewer requests than any deployment does, which is never a
# refusal too many.)
_REFUSAL_ELEMENTS = ("Principal", "Action", "Resource")


def _holds_choice(statement: PMap) -> bool:
    """Whether a value of what the statement refuses, or of whom, is chosen per deployment
    (``Action: !If [IsProd, sts:AssumeRole, sts:TagSession]``, a Mappings entry the region
    picks, a Terraform conditional).  The builder lists every option together, so such a Deny
    seems to refuse all of them at once, where each deployment refuses only its own: it is one
    of alternatives (``Statement.optional``), never taken to refuse for certain.

    A condition's values count only under a positive operator (``StringEquals
    aws:PrincipalAccount``: each option more refuses more callers).  Under a negated one
    (``StringNotEquals aws:PrincipalOrgID: !If [C, o-a, o-b]``) the options together refuse
    fewer callers than either deployment does, and the Deny still limits the Allow to one of
    the organizations in every deployment."""
    if any(_has_choice(statement.get(key), 0) for key in _REFUSAL_ELEMENTS):
        return True
    block = statement.get("Condition")
    return isinstance(block, PMap) and any(
        not is_negated(str(operator)) and _has_choice(tests, 0) for operator, tests in block.items()
    )


def _has_choice(node: Any, depth: int) -> bool:
    if isinstance(node, Choice):
        return True
    if depth > _CHOICE_DEPTH:
        return False
    if isinstance(node, PMap):
        return any(_has_choice(value, depth + 1) for value in node.values())
    if isinstance(node, PSeq):
        return any(_has_choice(item, depth + 1) for item in node)
    return False


# A principal block nests two levels (type, values), a condition's tests two (key, values).
_CHOICE_DEPTH = 4


def _is_deny(statement: PMap) -> bool:
    effect = statement.get("Effect")
    text = effect.text if isinstance(effect, Value) else effect
    return isinstance(text, str) and text == "Deny"


def _condition_blocks(node: Any) -> list[Any] | None:
    """Each Condition block a deployment may have (NO_VALUE for none); None when it holds no
    choice, or too many."""
    found = False
    blocks: list[Any] = []
    for option in _branches(node):
        found = found or option is not node
        if not isinstance(option, PMap) or not any(
            isinstance(option[operator], Choice) for operator in option
        ):
            blocks.append(option)
            continue
        found = True
        combined: list[PMap] = [PMap(option.span)]
        for operator in option:
            entries = _branches(option[operator])
            combined = [
                _replaced(block, operator, entry, option) for block in combined for entry in entries
            ]
            if len(combined) > MAX_CONDITION_VARIANTS:
                return None
        blocks.extend(combined)
    if not found or len(blocks) > MAX_CONDITION_VARIANTS:
        return None
    return blocks


def _branches(node: Any) -> list[Any]:
    """Every option of a Choice, nested ones included, NO_VALUE kept; else the node itself."""
    if not isinstance(node, Choice):
        return [node]
    return [branch for option in node.options for branch in _branches(option)]


def _replaced(mapping: PMap, key: Any, value: Any, written: PMap) -> PMap:
    """A copy of ``mapping`` with ``key`` set to ``value`` where ``written`` has it (left out
    for NO_VALUE: the branch without it), every other entry where it was."""
    copy = PMap(mapping.span)
    for other in mapping:
        if other != key:
            copy.set(
                other, mapping[other], mapping.key_spans.get(other), mapping.value_spans.get(other)
            )
    if value is not NO_VALUE:
        copy.set(key, value, written.key_spans.get(key), written.value_spans.get(key))
    return copy


def _unread_statement(value: Value, listed: bool, origin: str) -> UnreadStatement:
    """The note of a statement (``listed``: an item of the list) or of a whole ``Statement``
    that is ``value``, not known, at the value's own place: a list item's place in the
    document may be of another file than the builder's (a Terraform local's list)."""
    reason = value.unresolved_reason or "not known before deployment"
    what = f"a statement of the {origin} is" if listed else f"the statements of the {origin} are"
    return UnreadStatement(value, f"{what} not analyzed: {reason}")


def _no_statement(
    root: PMap, ref: Callable[[Span | None], SourceRef], span: Span | None, resource: str
) -> SourceProblem:
    """IAM rejects a document without Statement.  A near miss of the key is named, and the
    finding put on it, since a misspelled key is how Statement usually goes missing."""
    near = [key for key in root if str(key).lower().rstrip("s") == "statement"]
    if near:
        message = f"the policy has no Statement (it has {str(near[0])!r})"
        return SourceProblem(INVALID_STATEMENT, message, ref(root.key_span_of(near[0])), resource)
    return SourceProblem(INVALID_STATEMENT, "the policy has no Statement", ref(span), resource)


# IAM's size quotas (6,144 characters for a managed policy, 10,240 for a role's inline ones)
# leave room for a few hundred statements at most.  A document with more is not a policy IAM
# would take, and reading all of a hostile one (a million statements) would make every rule
# report a million findings: the rest of it is not read.
MAX_STATEMENTS = 1000


def _too_many_statements(ref: SourceRef, resource: str) -> SourceProblem:
    return SourceProblem(
        INVALID_STATEMENT,
        f"the policy has more than {MAX_STATEMENTS:,} statements, far beyond what IAM's size "
        f"quotas allow; statements after the {MAX_STATEMENTS:,}th are not analyzed",
        ref,
        resource,
    )


def _is_unknown(node: Any) -> bool:
    """An unresolved value standing where a mapping should be."""
    return isinstance(node, Value) and node.text is None


def _is_unresolved_intrinsic(node: PMap) -> bool:
    """A single-key mapping like {"Fn::ImportValue": ...} the resolver left in place."""
    if len(node) != 1:
        return False
    key = next(iter(node))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def duplicate_key_problems(loaded: LoadedDocument, resource: str) -> list[SourceProblem]:
    """The duplicate keys the loader met, as problems the invalid-policy rule reports."""
    return [
        SourceProblem(
            "duplicate-key",
            f"duplicate key {duplicate.key!r}: only one of its values takes effect",
            SourceRef(loaded.path, duplicate.second),
            resource,
        )
        for duplicate in loaded.duplicates
    ]
