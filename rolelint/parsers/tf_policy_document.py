"""``data "aws_iam_policy_document"`` turned into the IAM JSON tree Terraform would render.

Statement blocks (and ``dynamic "statement"`` blocks) become positioned statement mappings, with
every element pointing at its HCL attribute, so the policy builder reads them exactly as it reads
CloudFormation or raw JSON.  ``source_policy_documents`` and ``override_policy_documents`` are
merged the way the AWS provider documents it: the document's own statements replace source
statements with the same Sid, override documents replace statements with the same Sid of
everything before them, and statements that replace nothing are appended; each document also
upgrades the ``Version`` when its own is higher, and a non-empty ``Id`` replaces the one before.
A statement that only some deployments hold (of a dynamic block over unknown elements, or of a
document a condition chooses) is merged as optional: it is analyzed, and what it would replace
is kept as optional too, since the deployments without it still hold that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from rolelint.model import UNRESOLVED_KEY, Value
from rolelint.parsers.hcl_ast import Block, Body
from rolelint.parsers.paired_branches import deployed_where
from rolelint.parsers.tf_dynamic import DynamicBlocks, deployed_under, optional_block
from rolelint.parsers.tf_eval import (
    DocumentJson,
    EncodedSeq,
    Evaluator,
    FileMap,
    as_text,
    file_of,
    fingerprint,
    is_string,
    is_unknown,
    options,
    strings_held,
    unknown,
)
from rolelint.parsers.tf_module import EMPTY_POLICY_TEXT
from rolelint.parsers.tree import NO_VALUE, Choice, PMap, PSeq
from rolelint.source import SourceRef, Span

# HCL attribute -> IAM element of a statement.
STATEMENT_FIELDS = {
    "sid": "Sid",
    "effect": "Effect",
    "actions": "Action",
    "not_actions": "NotAction",
    "resources": "Resource",
    "not_resources": "NotResource",
}
# Of those, the list arguments the provider leaves out of the JSON when they are empty: a
# statement with ``actions = []`` (or a list variable that defaults to ``[]``) has no Action at
# all, so IAM takes its ``not_actions`` or rejects it for having no action.
LIST_FIELDS = frozenset({"actions", "not_actions", "resources", "not_resources"})
# Of those, the ones whose ``&{aws:username}`` the provider renders as the IAM policy variable
# ``${aws:username}`` (``${...}`` itself would be Terraform's interpolation); it does the same to
# principal identifiers and condition values, and to nothing else (actions keep ``&{``).
_POLICY_VARIABLE_FIELDS = frozenset({"resources", "not_resources"})
DEFAULT_VERSION = "2012-10-17"

# A value of the document as the tree holds it: (value, key span, value span).
_Entry = tuple[Any, Span | None, Span | None]
# How a source or override document given as an expression becomes a tree (PMap or unknown).
DocumentReader = Callable[[Any, SourceRef], Any]
# How the builder says something was left out (the module's notes).
Notice = Callable[[SourceRef, str], None]


class PolicyDocumentBuilder:
    """Builds one data source's document; ``read`` turns referenced documents into trees."""

    def __init__(
        self, evaluator: Evaluator, file: str, read: DocumentReader, notice: Notice
    ) -> None:
        self.evaluator = evaluator
        self.file = file
        self.read = read
        self.notice = notice
        self.blocks = DynamicBlocks(evaluator, file)  # counts the blocks they generate
        # Statements only some deployments hold: of a dynamic block over elements not known,
        # or over a collection a condition chooses (those of some of its branches).
        self.optional: set[int] = set()
        # The source and override documents merged, in order (trees, unknown, Choices): their
        # Version and Id take part in the merge too.
        self.sources: list[Any] = []
        self.overrides: list[Any] = []

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def build(self, block: Block, bindings: Mapping[str, Any]) -> Any:
        """The document of a data source (of one instance: ``bindings`` hold its ``each``)."""
        body = block.body
        document = DocumentJson(self.file, block.span)  # a string in Terraform, its JSON
        own_version = self.attribute(body, "version", bindings)
        own_id = self.attribute(body, "policy_id", bindings)
        own = list(self.statements(body, bindings))
        merged = self.merge(body, own, bindings)
        if is_unknown(merged):
            return merged
        if own_version is None or own_version[0] is None:  # not set: the provider's default
            default = Value(DEFAULT_VERSION, self.ref(block.span))
            own_version = (default, block.span, block.span)
        document.set("Version", *self.version(own_version))
        policy_id = self.policy_id(own_id)
        if policy_id is not None:
            document.set("Id", *policy_id)
        statements = PSeq(block.span)
        for statement in merged:
            if id(statement) in self.optional:
                statements.add(Choice((statement, NO_VALUE)), statement.span)
            else:
                statements.add(statement, statement.span)
        document.set("Statement", statements, block.span, block.span)
        return document

    # --- Version and Id --------------------------------------------------------------------------

    def version(self, own: _Entry) -> _Entry:
        """The Version the provider renders: each merged document (sources, the data source
        itself, overrides) upgrades it when its own is higher, so the highest wins, where it is
        written; the data source's own ``version`` when it is the highest.  A document only
        some deployments merge takes part too: a legacy Version is then kept only where no
        deployment's merge upgrades it.

        A Version not known (of a document not read, or ``version = var.v``) may be the
        highest unless the known one is already 2012-10-17, the highest IAM accepts (and all
        the provider lets ``version`` be): then the Version is not known either.
        """
        entries = [
            *self.entries(self.sources, "Version"),
            own,
            *self.entries(self.overrides, "Version"),
        ]
        known = [(text, entry) for entry in entries if (text := as_text(entry[0])) is not None]
        unknown_entries = [entry for entry in entries if as_text(entry[0]) is None]
        highest = max((text for text, _ in known), default=None)
        if unknown_entries and (highest is None or highest < DEFAULT_VERSION):
            first = unknown_entries[0]
            if isinstance(first[0], Value):
                return first
            reason = "the Version of a merged document is not known before apply"
            return unknown(self.ref(first[2]), reason), first[1], first[2]
        if as_text(own[0]) == highest:
            return own
        return next(entry for text, entry in known if text == highest)

    def policy_id(self, own: _Entry | None) -> _Entry | None:
        """The Id the provider renders: the last non-empty one of the merged documents."""
        entries = [
            *self.entries(self.sources, "Id"),
            *([own] if own is not None and own[0] is not None else []),
            *self.entries(self.overrides, "Id"),
        ]
        written = [entry for entry in entries if as_text(entry[0]) != ""]
        return written[-1] if written else None

    def entries(self, trees: list[Any], key: str) -> Iterator[_Entry]:
        """``key`` of each document of ``trees`` (of every one a condition may choose) where
        it is written, its value a Value in the file of that document; a document not read
        gives its unknown value instead."""
        for tree in trees:
            for option in options(tree):
                if not isinstance(option, PMap):
                    if _unread(option):  # its Version and Id are not known
                        yield option, None, None
                    continue
                if key not in option or option[key] is None:
                    continue
                node, value_span = option[key], option.span_of(key)
                if not isinstance(node, Value) and as_text(node) is not None:
                    node = Value(as_text(node), SourceRef(file_of(option, self.file), value_span))
                yield node, option.key_span_of(key), value_span

    # --- attributes and blocks -------------------------------------------------------------------

    def attribute(
        self, body: Body, name: str, bindings: Mapping[str, Any]
    ) -> tuple[Any, Span | None, Span | None] | None:
        """(value, name span, value span) of an attribute; None when absent."""
        found = body.attributes.get(name)
        if found is None:
            return None
        value = self.evaluator.evaluate(found.value, self.file, bindings)
        return value, found.name_span, found.value.span

    def expanded(
        self, body: Body, kind: str, bindings: Mapping[str, Any]
    ) -> Iterator[tuple[Block, Mapping[str, Any]]]:
        return self.blocks.expanded(body, kind, bindings)

    # --- statements ------------------------------------------------------------------------------

    def statements(self, body: Body, bindings: Mapping[str, Any]) -> Iterator[PMap]:
        for block, scope in self.expanded(body, "statement", bindings):
            statement = self.statement(block, scope)
            if optional_block(scope):
                # Of an element only some branches of a condition hold: it is where they do,
                # so its elements are those branches' (``var.c ? [arn] : ["*"]`` the ARN).
                statement = deployed_where(statement, deployed_under(scope))
                self.optional.add(id(statement))  # zero, one or many of it: not certain
            yield statement

    def statement(self, block: Block, bindings: Mapping[str, Any]) -> PMap:
        # Of this file: merged into a document of another file, it is still pointed at here.
        statement = FileMap(self.file, block.span)
        for hcl_name, iam_name in STATEMENT_FIELDS.items():
            found = self.attribute(block.body, hcl_name, bindings)
            # An argument set to null is one not set (an optional() attribute of a variable
            # the caller left out): ``effect = null`` is the provider's default, Allow.
            if found is None or found[0] is None:
                continue
            value = found[0]
            if hcl_name in LIST_FIELDS:
                value = self.list_due(value, hcl_name, self.ref(found[2]))
                value = strings_held(value, self.ref(found[2]))
                if _known_empty(value):
                    continue  # rendered as no element; a list of unknown length stays as it is
                value = _empty_branches_absent(value)
            if hcl_name in _POLICY_VARIABLE_FIELDS:
                value = _policy_variables(value)
            statement.set(iam_name, value, found[1], found[2])
        if "Effect" not in statement:
            allow = Value("Allow", self.ref(block.span))  # the provider's default
            statement.set("Effect", allow, block.span, block.span)
        for kind, iam_name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals = self.principals(block.body, kind, bindings)
            if principals is not None:
                value, span = principals
                statement.set(iam_name, value, span, span)
        conditions = self.conditions(block.body, bindings)
        if conditions is not None:
            statement.set("Condition", conditions, conditions.span, conditions.span)
        return statement

    def list_due(self, value: Any, name: str, at: SourceRef) -> Any:
        """``value`` given to the list argument ``name`` (at ``at``), or unknown with a note
        where it is a string: the provider's ``resources``, ``actions``, ``identifiers`` and
        condition ``values`` are lists or sets of strings, and Terraform converts no string to
        one ("Inappropriate value for attribute: set of string required"), not even the JSON
        text of a list (``resources = local.arns_json``, a ``jsonencode([...])``): it refuses
        the configuration.  rolelint read such a text as the list it encodes, and a plain
        string as one element, and judged what Terraform never deploys.  A branch of a
        condition that gives a string is unknown; the other branches are read."""
        if isinstance(value, Choice):
            return value.mapped(lambda option: self.list_due(option, name, at))
        if not is_string(value):
            return value
        what = "the JSON text of a list" if isinstance(value, EncodedSeq) else "a string"
        return self.evaluator.string_refused(
            at,
            f"{name} is a string, where Terraform requires a list",
            f"{name} is {what}, where Terraform requires a list of strings: it refuses the"
            " configuration, so this value is not analyzed",
        )

    def principals(
        self, body: Body, kind: str, bindings: Mapping[str, Any]
    ) -> tuple[Any, Span | None] | None:
        """The Principal element and where it is; ``type = "*"`` renders as ``"*"``."""
        result: PMap | None = None
        everyone: Span | None = None
        unknown_type: tuple[Any, Span | None] | None = None
        for block, scope in self.expanded(body, kind, bindings):
            kind_value = self.attribute(block.body, "type", scope)
            identifiers = self.attribute(block.body, "identifiers", scope)
            if kind_value is None or identifiers is None:
                continue
            type_text = as_text(kind_value[0])
            if type_text is None:
                # Someone, of a kind not known here: an unknown principal, never "nobody".
                reason = "the principal type is not known before apply"
                unknown_type = (unknown(self.ref(kind_value[2]), reason), kind_value[2])
                continue
            if type_text == "*":
                everyone = identifiers[2]
                continue
            if result is None:
                result = PMap(block.span)
            values = result.get(type_text)
            merged = values if isinstance(values, PSeq) else PSeq(identifiers[2])
            given = self.list_due(identifiers[0], "identifiers", self.ref(identifiers[2]))
            written = strings_held(given, self.ref(identifiers[2]))
            _extend(merged, _policy_variables(written), identifiers[2])
            result.set(type_text, merged, kind_value[2], merged.span)
        if everyone is not None and (result is None or not result):
            return "*", everyone
        if result is None and unknown_type is not None:
            return unknown_type
        return (result, result.span) if result is not None else None

    def conditions(self, body: Body, bindings: Mapping[str, Any]) -> PMap | None:
        result: PMap | None = None
        for block, scope in self.expanded(body, "condition", bindings):
            test = self.attribute(block.body, "test", scope)
            variable = self.attribute(block.body, "variable", scope)
            values = self.attribute(block.body, "values", scope)
            if test is None or variable is None or values is None:
                continue
            # An unknown operator or key stays visible as a condition that cannot be read, so
            # no rule concludes that the condition is missing.
            given = self.list_due(values[0], "values", self.ref(values[2]))
            written = strings_held(given, self.ref(values[2]))
            values = (_policy_variables(written), values[1], values[2])
            test_text = as_text(test[0]) or f"{UNRESOLVED_KEY} {block.span}"
            variable_text = as_text(variable[0]) or f"{UNRESOLVED_KEY} {block.span}"
            if result is None:
                result = PMap(block.span)
            operator = result.get(test_text)
            if not isinstance(operator, PMap):
                operator = PMap(block.span)
                result.set(test_text, operator, test[2], block.span)
            if variable_text in operator:
                # The provider adds the values of blocks with the same test and variable: any
                # of them satisfies the condition (a second block never narrows the first).
                joined = PSeq(block.span)
                _extend(joined, operator[variable_text], operator.span_of(variable_text))
                _extend(joined, values[0], values[2])
                operator.set(variable_text, joined, operator.key_spans.get(variable_text), None)
            else:
                operator.set(variable_text, values[0], variable[2], values[2])
        return result

    # --- source and override documents -----------------------------------------------------------

    def merge(self, body: Body, own: list[PMap], bindings: Mapping[str, Any]) -> Any:
        merged: list[PMap] = []
        for name in ("source_policy_documents", "source_json"):
            for tree in self.documents(body, name, bindings):
                self.sources.append(tree)
                # An unknown source (or branch of one) adds nothing we could judge: said, as
                # for overrides, though the statements we can see are still analyzed.
                if any(_unread(option) for option in options(tree)):
                    at = self.ref(body.attributes[name].value.span)
                    reason = "holds a document not known before apply"
                    self.notice(at, f"{name} {reason}; its statements are not analyzed")
                for statement, optional in _statements_of(tree):
                    self.mark(statement, optional)
                    merged.append(statement)
        own_sids: set[str] = set()
        for statement in own:
            sid = _sid(statement)
            if sid is not None and sid in own_sids:
                # The provider refuses the document ("Found duplicate sid"), so neither is lost
                # here: both are analyzed, and RL606 names the second.
                merged.append(statement)
                continue
            if sid is not None:
                own_sids.add(sid)
            self.replace_or_append(merged, statement)  # a statement of a source with its Sid goes
        for name in ("override_policy_documents", "override_json"):
            for tree in self.documents(body, name, bindings):
                self.overrides.append(tree)
                if any(not isinstance(o, PMap) and o is not NO_VALUE for o in options(tree)):
                    # Any statement may be replaced by what we cannot see: judge nothing.
                    reason = f"{name} holds a document not known before apply"
                    return unknown(self.ref(body.attributes[name].value.span), reason)
                for statement, optional in _statements_of(tree):
                    self.mark(statement, optional)
                    self.replace_or_append(merged, statement)
        return merged

    def mark(self, statement: PMap, optional: bool) -> None:
        if optional:
            self.optional.add(id(statement))

    def replace_or_append(self, merged: list[PMap], statement: PMap) -> None:
        """Merge ``statement`` as the provider does: in place of the first statement with its
        Sid, else at the end.  One only some deployments hold replaces nothing for certain:
        what it would replace stays, optional, beside it (so the alternatives a condition
        chooses between, often of one Sid, are all analyzed)."""
        sid = _sid(statement)
        matches = [] if sid is None else [i for i, e in enumerate(merged) if _sid(e) == sid]
        if id(statement) in self.optional:
            for index in matches:
                self.optional.add(id(merged[index]))
            merged.append(statement)
            return
        if not matches:
            merged.append(statement)
            return
        first, later = matches[0], matches[1:]
        merged[first] = statement
        # Alternatives of the replaced one: whichever a deployment holds is replaced.
        for index in reversed(later):
            if id(merged[index]) in self.optional:
                del merged[index]

    def documents(self, body: Body, name: str, bindings: Mapping[str, Any]) -> Iterator[Any]:
        """The documents an attribute gives, in order: each a tree, unknown, or a Choice.

        A list a condition chooses (``cond ? [a] : []``, ``concat([a], cond ? [b] : [])``) is
        alternatives, not one unreadable value: a document in every branch, in the same order,
        is certain, and one only some branches hold is ``Choice((document, NO_VALUE))``, as
        ``[cond ? a : null]`` gives.  A branch that is no list (unknown) is yielded as it is.
        """
        found = body.attributes.get(name)
        if found is None:
            return
        value = self.evaluator.evaluate(found.value, self.file, bindings)
        at = self.ref(found.value.span)
        if not name.endswith("documents"):  # source_json, override_json: one document
            if value is not None:
                yield self.document(value, at)
            return
        branches: list[list[tuple[tuple[str, int], Any]]] = []
        for option in options(value):
            if option is not None and not isinstance(option, PSeq):
                yield self.document(option, at)  # a list not known before apply (this branch)
                branches.append([])  # ... which holds none of the others for certain
                continue
            branches.append(_keyed([self.document(i, at) for i in option or () if i is not None]))
        every = set.intersection(*({key for key, _ in branch} for branch in branches))
        orders = {tuple(key for key, _ in branch if key in every) for branch in branches}
        if len(orders) > 1:
            every = set()  # reordered: which one replaces which is not certain either
        seen: set[tuple[str, int]] = set()
        for branch in branches:
            for key, document in branch:
                if key not in seen:
                    seen.add(key)
                    yield document if key in every else Choice((document, NO_VALUE))

    def document(self, item: Any, at: SourceRef) -> Any:
        """One element of a document list as a tree; a null branch of a Choice is no document."""
        if isinstance(item, Choice):
            return Choice(
                tuple(
                    NO_VALUE if option is None else self.read(option, at)
                    for option in options(item)
                )
            )
        return self.read(item, at)


def _extend(target: PSeq, value: Any, span: Span | None) -> None:
    if isinstance(value, PSeq):
        for index, item in enumerate(value):
            target.add(item, value.span_at(index))
    else:
        target.add(value, span)


def _policy_variables(value: Any) -> Any:
    """``value`` as the provider renders it into the JSON: ``&{aws:username}`` becomes the IAM
    policy variable ``${aws:username}`` in every text (of a list, of each option a condition
    may choose).  Read as written, ``user/&{aws:username}`` named no user, and the "manage your
    own user" pattern of RL206 went unseen in data sources."""
    if isinstance(value, str) and "&{" in value:
        return value.replace("&{", "${")
    if isinstance(value, Value) and value.text is not None and "&{" in value.text:
        return replace(value, text=value.text.replace("&{", "${"))
    if isinstance(value, PSeq):
        rendered = PSeq(value.span)
        for index, item in enumerate(value):
            rendered.add(_policy_variables(item), value.span_at(index))
        return rendered
    if isinstance(value, Choice):
        return value.mapped(_policy_variables)
    return value


def _known_empty(value: Any) -> bool:
    """Whether ``value`` is a list known to hold nothing (an unknown one may hold anything)."""
    return isinstance(value, PSeq) and not value


def _empty_branches_absent(value: Any) -> Any:
    """``value``, each empty list or null a condition may choose (``var.strict ? [] :
    ["s3:*"]``, ``var.c ? [...] : null``) made an absent element (NO_VALUE), as the provider
    renders it in that deployment: taken as a list of nothing, ``actions = c ? [] : [...]``
    beside ``not_actions = c ? [...] : []`` was a statement with both, which IAM rejects, and
    the NotAction grant went unjudged.  (A null is an argument not set here, never the JSON
    null jsonencode() writes, which the policy builder reads as naming nothing.)"""
    if not isinstance(value, Choice):
        return value
    return value.mapped(
        lambda option: (
            NO_VALUE if option is None or _known_empty(option) else _empty_branches_absent(option)
        )
    )


def _keyed(documents: list[Any]) -> list[tuple[tuple[str, int], Any]]:
    """Each document with what it is the same as in another branch: its content, whatever its
    positions (each branch evaluates its own copy), and which occurrence of it this is."""
    counts: dict[str, int] = {}
    keyed: list[tuple[tuple[str, int], Any]] = []
    for document in documents:
        content = fingerprint(list(options(document)))
        counts[content] = counts.get(content, 0) + 1
        keyed.append(((content, counts[content]), document))
    return keyed


def _unread(document: Any) -> bool:
    """Whether a source document is one rolelint cannot read (an empty text adds nothing)."""
    if isinstance(document, PMap) or document is NO_VALUE:
        return False
    return getattr(document, "unresolved_reason", None) != EMPTY_POLICY_TEXT


def _statements_of(tree: Any) -> Iterator[tuple[PMap, bool]]:
    """The statements of a source or override document (or of each document a condition may
    choose), each with whether it is optional: only some deployments hold it."""
    documents = [option for option in options(tree) if isinstance(option, PMap)]
    chosen = len(list(options(tree))) > 1
    for document in documents:
        whole = list(options(document.get("Statement")))
        for node in whole:
            items = list(node) if isinstance(node, PSeq) else [node]
            for item in items:
                alternatives = list(options(item))
                optional = chosen or len(whole) > 1 or len(alternatives) > 1
                for statement in alternatives:
                    if isinstance(statement, PMap):
                        yield statement, optional


def _sid(statement: PMap) -> str | None:
    sid = as_text(statement.get("Sid"))
    return sid or None
