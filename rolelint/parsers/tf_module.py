"""A Terraform module: its files read together, and what every name in them refers to.

A directory is one module, whatever the order of its files.  This module answers the evaluator's
questions (:class:`rolelint.parsers.tf_eval.ModuleScope`): the value of ``var.x`` (a module
input, ``terraform.tfvars`` / ``*.auto.tfvars``, or the default), of ``local.y``, of the few
resource attributes that are knowable before apply (an IAM role's name and ARN, a policy's ARN),
of the arguments of IAM resources (what their blocks set: rolelint.parsers.tf_arguments) and of
data sources (``aws_caller_identity`` is "this account", ``aws_iam_policy_document`` is its
rendered document).  Everything else is unknown, with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from rolelint.arns import oidc_issuer, oidc_provider_arn
from rolelint.findings import InputError
from rolelint.model import (
    INVALID_STATEMENT,
    THIS_ACCOUNT,
    THIS_REGION,
    UNRESOLVED_KEY,
    SourceProblem,
    Value,
    name_stand_in,
    unresolved_path,
)
from rolelint.parsers import is_module_file, load_error, module_files
from rolelint.parsers.hcl_ast import Attribute, Block, Body, Call, Expr, Traversal
from rolelint.parsers.tf_arguments import META_ARGUMENTS, UNSET, reads_arguments
from rolelint.parsers.tf_budget import TOO_MUCH, Budget
from rolelint.parsers.tf_dynamic import (
    InstanceKey,
    instance_count_of,
    instance_suffix,
    resource_instances,
)
from rolelint.parsers.tf_eval import (
    SPLICED_NOT_JSON,
    Evaluator,
    FileMap,
    InstanceObject,
    NotJsonSpliced,
    NotStringInterpolated,
    PositionedText,
    as_text,
    interpolation_note,
    marked_used_at,
    never_null,
    options,
    origin_of,
    plain,
    read_from_aws,
    to_bool,
    unknown,
    with_origin,
)
from rolelint.parsers.tf_template_json import MaskedLines
from rolelint.parsers.tf_types import type_shape, with_defaults
from rolelint.parsers.tf_variable_files import IN_A_DEFAULT, read_variable_file, refused_in
from rolelint.parsers.tree import (
    ADMITS_ANYONE,
    Choice,
    LoadError,
    PMap,
    PSeq,
    branched_options,
    choice_of,
    placed,
)
from rolelint.source import SourceRef, Span

MAX_READ_FILE = 4_000_000  # characters read through file(): policies are far smaller
CANNOT_READ = "the file cannot be read"
# A module's placeholder (``default = ""``): its callers pass the policy, nothing to say.
EMPTY_POLICY_TEXT = "the policy text is empty"
TOO_LONG_TO_READ = f"the file is over {MAX_READ_FILE:,} characters"
AWS_PARTITION = "aws"
DNS_SUFFIX = "amazonaws.com"

# Reads a file: (text, None) or (None, the error that says why not).
Reader = Callable[[str], tuple[str | None, InputError | None]]


@dataclass(slots=True)
class ModuleSource:
    """The parsed files of one directory."""

    directory: str
    files: list[tuple[str, Body]] = field(default_factory=list)
    tfvars: list[tuple[str, Body]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


# The parse cache's kind of entry for a parsed Terraform file.
BODY_ENTRY = "terraform-body"


def parse_terraform_text(path: str, text: str) -> Body:
    """One ``.tf``, ``.tf.json`` or tfvars file as a body; :class:`LoadError` when malformed.

    The slowest step of a scan (python-hcl2), so its result is kept in the parse cache."""
    from rolelint.parse_cache import cached

    text = text.removeprefix("\ufeff")
    return cached(BODY_ENTRY, path, text, lambda: _parse_terraform_text(path, text), Body)


def is_hcl_file(path: str) -> bool:
    """Written in HCL (``.tf``, ``.tfvars``), not in Terraform's JSON syntax: python-hcl2's
    grammar reads it."""
    return not path.lower().endswith(".json")


def _parse_terraform_text(path: str, text: str) -> Body:
    if not is_hcl_file(path):
        from rolelint.parsers.hcl_json import body_from_json
        from rolelint.parsers.json_loader import load_json

        return body_from_json(load_json(path, text), tfvars=path.lower().endswith(".tfvars.json"))
    from rolelint.parsers.hcl_adapter import parse_hcl

    return parse_hcl(text)


def read_module(
    directory: str, reader: Reader, leave_out: Callable[[str], bool] | None = None
) -> ModuleSource:
    """Every ``.tf``/``.tf.json`` file and auto-loaded tfvars file of ``directory``, parsed;
    but those ``leave_out`` names: the files the user chose not to scan are not read, although
    Terraform itself would load them."""
    source = ModuleSource(directory)
    paths, error = module_files(directory)
    if error is not None:
        source.errors.append(error)
    for path in paths:
        if leave_out is not None and leave_out(path):
            continue
        module_file = is_module_file(path)
        text, error = reader(path)
        if error is not None:
            source.errors.append(error)
            continue
        assert text is not None
        try:
            body = parse_terraform_text(path, text)
        except LoadError as problem:
            source.errors.append(load_error(path, text, problem))
            continue
        if module_file:
            source.files.append((path, body))
            continue
        # Its values are read with no variables and no functions: what holds one is an error.
        body, refused = read_variable_file(path, body)
        source.errors.extend(refused)
        source.tfvars.append((path, body))
    return source


_NO_BINDINGS: Mapping[str, Any] = MappingProxyType({})
# Why the value of a variable is unknown when its default holds a reference or a call.
REFUSED_DEFAULT = "a default Terraform refuses: a reference or a function call"
# No value given for a variable (None is a value: null).
_NOT_GIVEN = object()
# The memory of the arguments of IAM resources (TerraformModule._argument), by address.
_ARGUMENT = "argument"


def _as_referenced(kind: str, name: str) -> str:
    """A memory's key as the code refers to it: ``local.x``, ``var.x``, an argument by its
    address (``aws_iam_role.a.assume_role_policy``), others by the memory's name."""
    if kind in ("local", "var"):
        return f"{kind}.{name}"
    return name if kind == _ARGUMENT else f"{kind} {name}"


@dataclass(frozen=True, slots=True)
class Located:
    """A block and the file it is written in; for one instance of a resource with ``for_each``
    or ``count``, its key and the ``each`` or ``count`` its attributes are evaluated with."""

    file: str
    block: Block
    key: InstanceKey = None
    bindings: Mapping[str, Any] = field(default_factory=lambda: _NO_BINDINGS, compare=False)

    @property
    def suffix(self) -> str:
        """The instance's part of the resource's address (``["ci"]``, ``[0]``), else none."""
        return instance_suffix(self.key)

    def scope(self, bindings: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """What its attributes are evaluated in: its ``each``/``count`` and ``bindings`` (a
        ``dynamic`` block's iterator within it)."""
        if not self.bindings:
            return bindings
        return {**self.bindings, **bindings} if bindings else self.bindings


class TerraformModule:
    """One instance of a module: the root of a scan, or a local module called with inputs."""

    def __init__(
        self,
        source: ModuleSource,
        prefix: str = "",
        inputs: dict[str, Any] | None = None,
        root: str | None = None,
        consumed: set[str] | None = None,
        budget: Budget | None = None,
        templates: set[str] | None = None,
    ) -> None:
        self.source = source
        self.notices: list[InputError] = []
        self._noticed: set[InputError] = set()  # the same, to keep each once
        self.errors: list[InputError] = []  # each once, as notices
        self._erred: set[InputError] = set()
        self.problems: list[SourceProblem] = []  # duplicate keys inside policy JSON text
        # Files read through file()/templatefile(): analyzed as part of this module, not alone.
        self.consumed = consumed if consumed is not None else set()
        # Those of them that hold ``${`` or ``%{``: templates, not JSON until Terraform renders
        # them, so their own parse says nothing (shared along module calls, as ``consumed``).
        self.templates = templates if templates is not None else set()
        self.directory = source.directory or "."
        # Terraform runs in the root module's folder: file() paths and path.module are relative
        # to it, so a child module reads "${path.module}/x.json" from its own folder.
        self.root = root or self.directory
        self.module_path = os.path.relpath(self.directory, self.root)
        self.prefix = prefix  # "module.ci." for a module called ``ci``
        self.inputs = inputs  # None for a root module: tfvars and defaults apply
        self.evaluator = Evaluator(self, budget)
        self.variables: dict[str, Located] = {}
        self.locals: dict[str, tuple[str, Any]] = {}
        self.resources: dict[tuple[str, str], Located] = {}
        self.data: dict[tuple[str, str], Located] = {}
        self.module_calls: dict[str, Located] = {}
        # (kind, name) -> (the value, the least depth it holds at: 0 unless cut short)
        self._values: dict[tuple[str, str], tuple[Any, int]] = {}
        # Those of them computed from a root module variable's default (Evaluator.defaults_taken)
        self._from_defaults: set[tuple[str, str]] = set()
        self._keyed: dict[str, list[Located]] = {}  # keyed_instances, by _block_key
        # What is being computed, in the order it was asked for: a cycle is a key asked for
        # again, through the keys after it.
        self._busy: dict[tuple[str, str], None] = {}
        # What var.<name> comes from when deployments may pass another (variable_origin).
        self._variable_origins: dict[str, str | None] = {}
        # Each key found on a cycle, with what it says of it (see _cycle_found).
        self._cycles: dict[tuple[str, str], str] = {}
        # Blocks of an address already taken (an override, or a block written twice), with the
        # block analyzed in their place.
        self.set_aside: list[tuple[Located, Located]] = []
        # The same for locals: (name, where it is set again, where the value analyzed is).
        self.locals_set_aside: list[tuple[str, SourceRef, SourceRef]] = []
        for file, body in source.files:
            self._index(file, body)
        self._own_files = {file for file, _ in source.files} | {f for f, _ in source.tfvars}

    def _index(self, file: str, body: Body) -> None:
        for block in body.blocks:
            located = Located(file, block)
            labels = block.labels
            if block.type == "variable" and labels:
                self._take(self.variables, labels[0], located)
                self._judge_default(file, block)
            elif block.type == "locals":
                for name, attribute in block.body.attributes.items():
                    self._take_local(name, file, attribute)
            elif block.type == "resource" and len(labels) >= 2:
                self._take(self.resources, (labels[0], labels[1]), located)
            elif block.type == "data" and len(labels) >= 2:
                self._take(self.data, (labels[0], labels[1]), located)
            elif block.type == "module" and labels:
                self._take(self.module_calls, labels[0], located)

    def _judge_default(self, file: str, block: Block) -> None:
        """An error at the reference or the call a variable's default holds: Terraform reads
        a default with no variables and no functions, and rejects the configuration."""
        default = block.body.get("default")
        found = refused_in(default, IN_A_DEFAULT) if default is not None else None
        if found is not None:
            message, span = found
            self.error(SourceRef(file, span), message)

    def _take(self, blocks: dict[Any, Located], key: Any, located: Located) -> None:
        """The first block of an address is the one analyzed; later ones are set aside."""
        first = blocks.setdefault(key, located)
        if first is not located:
            self.set_aside.append((located, first))

    def _take_local(self, name: str, file: str, attribute: Attribute) -> None:
        """As :meth:`_take`, one value at a time: Terraform overrides locals by name."""
        first = self.locals.setdefault(name, (file, attribute.value))
        if first[1] is not attribute.value:
            later = SourceRef(file, attribute.name_span or attribute.span)
            self.locals_set_aside.append((name, later, SourceRef(first[0], first[1].span)))

    def address(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}.{name}"

    def address_at(self, where: SourceRef) -> str:
        """The address of the resource or data source written around ``where`` (else the file)."""
        for mode, blocks in (("", self.resources), ("data.", self.data)):
            for (kind, name), located in blocks.items():
                start = located.block.span.line if located.block.span else 0
                if located.file == where.file and start <= where.line <= located.block.end_line:
                    return f"{self.prefix}{mode}{kind}.{name}"
        return where.file

    def unknown_name(self, kind: str, name: str, written: bool) -> str:
        """An opaque, unique stand-in for a name rolelint does not know: one AWS or Terraform
        generates at apply time, or one the code sets (``written``) to a value not known,
        such as a variable without a default (rolelint.model.name_stand_in).

        It matches only itself (never a wildcard), so references to the same resource still
        link: a role ARN used in another role's policy finds the role.
        """
        return name_stand_in(self.directory, self.address(kind, name), written)

    # --- evaluation with memory and cycle detection ----------------------------------------------

    def _memo(self, kind: str, name: str, at: SourceRef, compute: Callable[[], Any]) -> Any:
        """``compute()``, once.  A value the depth limit cut short is kept with the depth it was
        computed at and computed again when asked for nearer the root, where it may be whole:
        otherwise whichever use came first, the deepest or not, would decide the value for all
        (a role trusting ``*`` through 60 locals lost its finding when another role reached
        the same locals through 150)."""
        key = (kind, name)
        evaluator = self.evaluator
        known = self._values.get(key)
        if known is not None and evaluator.depth >= known[1]:
            if key in self._from_defaults:  # read from a default, as when computed
                evaluator.defaults_taken += 1
            return known[0]
        if key in self._busy:  # asked for again while computed: a cycle, its answer not kept
            return self._guarded(kind, name, at, compute)
        depth, cut, taken = evaluator.depth, evaluator.cut_by_depth, evaluator.defaults_taken
        value = self._guarded(kind, name, at, compute)
        self._values[key] = (value, depth if evaluator.cut_by_depth != cut else 0)
        if evaluator.defaults_taken != taken:
            self._from_defaults.add(key)
        return value

    def _guarded(self, kind: str, name: str, at: SourceRef, compute: Callable[[], Any]) -> Any:
        """``compute()``, unless it is already being computed: then a cycle, which Terraform
        refuses, is unknown instead of a loop.  An argument of an IAM resource found on a cycle
        is that cycle's unknown whatever its computation made of it, each naming itself:
        ``a.x = b.x`` and ``b.x = a.x`` are two arguments each referring to itself, and the
        value computed for ``b.x`` while ``a.x`` was asked for said only ``a.x`` does."""
        key = (kind, name)
        if key in self._busy:
            self._cycle_found(key)
            return unknown(at, self._cycles[key])
        if kind == _ARGUMENT and key in self._cycles:  # a read of its own, found on one before
            return unknown(at, self._cycles[key])
        self._busy[key] = None
        try:
            # Terraform evaluates it on its own: its errors hold whoever refers to it.
            value = self.evaluator.afresh(compute)
        finally:
            del self._busy[key]
        if kind == _ARGUMENT and key in self._cycles:
            return unknown(at, self._cycles[key])
        return value

    def _cycle_found(self, key: tuple[str, str]) -> None:
        """Record what each key of the cycle ``key`` closes says of it, if it says nothing yet:
        that it refers to itself, and through which others (``aws_iam_role.a.assume_role_policy
        -> aws_iam_role.b.assume_role_policy -> aws_iam_role.a.assume_role_policy``), starting
        from itself.  The keys asked for after ``key`` are those it reached itself through."""
        asked = list(self._busy)
        members = asked[asked.index(key) :]
        for at, (kind, name) in enumerate(members):
            message = f"{kind} {name} refers to itself"
            if len(members) > 1:
                cycle = [*members[at:], *members[:at], (kind, name)]
                message += f" ({' -> '.join(_as_referenced(k, n) for k, n in cycle)})"
            self._cycles.setdefault((kind, name), message)

    def evaluate_attribute(
        self, located: Located, name: str, bindings: Mapping[str, Any] | None = None
    ) -> Any:
        """An attribute of a block, evaluated (in ``bindings``: a ``dynamic`` block's iterator);
        None when the block does not set it."""
        expr = located.block.body.get(name)
        if expr is None:
            return None
        block = located.block
        if (
            block.type != "resource"
            or len(block.labels) != 2
            or not reads_arguments(block.labels[0])
            or name in META_ARGUMENTS
        ):
            return self.evaluator.evaluate(expr, located.file, located.scope(bindings))
        # An argument a reference may read (_argument): asked for under the key a reference asks
        # for it by, so a cycle through it is found at it, and named after it.
        address = f"{block.labels[0]}.{block.labels[1]}{located.suffix}"
        return self._guarded(
            _ARGUMENT,
            f"{address}.{name}",
            SourceRef(located.file, expr.span),
            lambda: self.evaluator.evaluate(expr, located.file, located.scope(bindings)),
        )

    # --- instances of count and for_each ---------------------------------------------------------

    def instances(self, located: Located) -> list[Located]:
        """Each instance of a resource, with the ``each`` or ``count`` it is evaluated with.

        ``count = 1`` (``count = var.create ? 1 : 0``, how modules switch resources on) is the
        resource as written, with no key in its address.  An element of ``for_each`` whose key
        is not known has none either: :meth:`keyed_instances` is for what needs an address."""
        body = located.block.body
        if "for_each" not in body.attributes and "count" not in body.attributes:
            return [located]
        at = SourceRef(located.file, located.block.span)

        def compute() -> list[Located]:
            found = resource_instances(self.evaluator, located.file, body)
            counted = "for_each" not in body.attributes
            if counted and len(found) == 1:
                return [Located(located.file, located.block, None, found[0][1])]
            return [Located(located.file, located.block, key, each) for key, each in found]

        result = self._memo("instances", _block_key(located), at, compute)
        if isinstance(result, list):
            return result
        # Its for_each or count reads the resource itself (Terraform refuses the cycle): one
        # instance, its each or count as unknown as the collection.
        name = "each" if "for_each" in body.attributes else "count"
        return [Located(located.file, located.block, None, {name: result})]

    def keyed_instances(self, located: Located) -> list[Located]:
        """The instances as their addresses name them: several, each with its key, or one (a
        single resource, ``count = 1``, or a collection not known; then its ``each`` or
        ``count`` is unknown).  A ``for_each`` element whose key is not known would leave two
        instances with one address: then the resource is one instance, ``each`` unknown."""
        instances = self.instances(located)
        if len(instances) < 2:
            return instances
        key = _block_key(located)
        keyed = self._keyed.get(key)
        if keyed is None:
            keyed = instances
            if any(instance.key is None for instance in instances):
                at = SourceRef(located.file, located.block.span)
                each = unknown(at, "each: an instance key not known before apply")
                keyed = [Located(located.file, located.block, None, {"each": each})]
            self._keyed[key] = keyed
        return keyed

    # --- ModuleScope -----------------------------------------------------------------------------

    def variable(self, name: str, at: SourceRef) -> Any:
        return self._memo("var", name, at, lambda: self._variable(name, at))

    def writes(self, file: str) -> bool:
        return file in self._own_files

    def variable_origin(self, name: str, at: SourceRef) -> str | None:
        if name not in self._variable_origins:
            self._variable_origins[name] = self._variable_origin(name, at)
        return self._variable_origins[name]

    def _variable_origin(self, name: str, at: SourceRef) -> str | None:
        """The variable's default ("the default of variable X") when nothing sets it, whatever
        its type (a bool carries no origin of its own); else the origin of what is passed (a
        caller's own default, passed on)."""
        declared = self.variables.get(name)
        if _defaulted(declared) and self._given(name) is _NOT_GIVEN:
            return _default_origin(name)
        return origin_of(self.variable(name, at))

    def _variable(self, name: str, at: SourceRef) -> Any:
        declared = self.variables.get(name)
        given = self._given(name)
        # "nullable = false": Terraform uses the default when the variable is given null, and
        # refuses null (none given, or a null default): whatever it is, it is never null.
        non_nullable = declared is not None and self._non_nullable(declared)
        if given is _NOT_GIVEN:
            value = self._default(name, declared, at)
            if self.inputs is None and _defaulted(declared):
                self.evaluator.defaults_taken += 1  # whoever deploys the root may pass another
            return never_null(value) if non_nullable else value
        if non_nullable:
            given = _null_replaced(given, lambda: self._default(name, declared, at))
        if declared is not None and self._keeps_out_anything(name, declared):
            # Terraform checks what a caller passes against the module's validation blocks.
            given = _constrained(given)
        value = self._typed(declared, given)
        return never_null(value) if non_nullable else value

    def _non_nullable(self, declared: Located) -> bool:
        nullable = declared.block.body.get("nullable")
        if nullable is None:
            return False
        return plain(self.evaluator.evaluate(nullable, declared.file)) is False

    def _default(self, name: str, declared: Located | None, at: SourceRef) -> Any:
        """The variable's value when nothing sets it: its default (unknown without one)."""
        if declared is None:
            return unknown(at, f"variable {name} is not declared")
        default = declared.block.body.get("default")
        if default is None:
            unresolved = unknown(at, f"variable {name} has no default")
            return (
                _constrained(unresolved) if self._keeps_out_anything(name, declared) else unresolved
            )
        if refused_in(default) is not None:  # the error is _judge_default's
            return unknown(at, f"variable {name} has {REFUSED_DEFAULT}")
        # Terraform reads a default with no evaluation context: a string of Terraform's JSON
        # syntax is its text, no template, and nothing in it is an error.
        written = self.evaluator.tentatively(
            lambda: self.evaluator.evaluate(default, declared.file)
        )
        return with_origin(self._typed(declared, written), _default_origin(name))

    def _keeps_out_anything(self, name: str, declared: Located) -> bool:
        """Whether the variable's ``validation`` blocks keep whoever sets it from passing ""
        and "*" (what makes a condition admit anyone), as an AllowedPattern does in
        CloudFormation: each is refused by some validation's ``condition``, evaluated with the
        variable bound to it (for a list, to a list of it).  ``length(var.x) > 0`` lets "*"
        through, ``contains(["*", ...], var.x)`` too: the value stays the deployer's choice.

        A condition rolelint cannot evaluate (``can(regex(...))``: the function is not
        implemented) is taken to refuse what it is written to refuse, as a pattern Python
        cannot read is in CloudFormation: rolelint cannot tell, and what it cannot tell never
        makes a finding."""
        validations = [block for block in declared.block.body.blocks if block.type == "validation"]
        if not validations:
            return False
        # Probes, no value anyone passes: what Terraform would refuse in them is no error.
        return bool(
            self.evaluator.tentatively(lambda: self._refuses_anything(name, declared, validations))
        )

    def _refuses_anything(self, name: str, declared: Located, validations: list[Block]) -> bool:
        """:meth:`_keeps_out_anything` of a variable with ``validations``."""
        at = SourceRef(declared.file, declared.block.span)
        for anything in ADMITS_ANYONE:
            probe = _probe(declared.block.body.get("type"), Value(anything, at))
            if probe is None:  # a map, an object: no value to try, the condition is trusted
                continue
            bindings = {"var": _bound(name, probe, declared.block.span)}
            verdicts = [
                to_bool(self.evaluator.evaluate(condition, declared.file, bindings))
                for block in validations
                if (condition := block.body.get("condition")) is not None
            ]
            if verdicts and all(verdict is True for verdict in verdicts):
                return False  # every validation lets it through
        return True

    def sets_every_variable(self) -> bool:
        """Whether each variable it declares has a value: a default, or what the call (for a
        root module, a tfvars file) passes.  A module folder read alone as a root module has
        none for the inputs only its callers give."""
        return all(
            declared.block.body.get("default") is not None or self._given(name) is not _NOT_GIVEN
            for name, declared in self.variables.items()
        )

    def _given(self, name: str) -> Any:
        """The value the module's call passes, or (for a root module) the last tfvars file
        sets; :data:`_NOT_GIVEN` when none does."""
        if self.inputs is not None:
            return self.inputs.get(name, _NOT_GIVEN)
        for file, body in reversed(self.source.tfvars):
            attribute = body.attributes.get(name)
            if attribute is not None:
                return self.evaluator.evaluate(attribute.value, file)
        return _NOT_GIVEN

    def _typed(self, declared: Located | None, value: Any) -> Any:
        """``value`` converted to the variable's ``type`` as Terraform converts it: the
        defaults of its ``optional()`` attributes filled in (rolelint.parsers.tf_types)."""
        if declared is None:
            return value
        shape = type_shape(declared.block.body.get("type"))
        if shape is None:
            return value
        file = declared.file
        return with_defaults(value, shape, lambda expr: self.evaluator.evaluate(expr, file))

    def local_expression(self, name: str) -> Expr | None:
        written = self.locals.get(name)
        return written[1] if written is not None else None

    def variable_type(self, name: str) -> Expr | None:
        declared = self.variables.get(name)
        return declared.block.body.get("type") if declared is not None else None

    def local(self, name: str, at: SourceRef) -> Any:
        if name not in self.locals:
            return unknown(at, f"local {name} is not defined")
        file, expr = self.locals[name]
        return self._memo("local", name, at, lambda: self.evaluator.evaluate(expr, file))

    def read_file(self, path: str) -> tuple[str, str] | str:
        full = path if os.path.isabs(path) else os.path.join(self.root, path)
        full = os.path.normpath(full)
        # Only regular files: opening a named pipe, or /dev/stdin, waits for a writer forever.
        if not os.path.isfile(full):
            return CANNOT_READ
        try:
            # Line endings as written (newline=""): Terraform reads the file's bytes, and a
            # template's carriage return not followed by a line feed is no line break to HCL.
            with open(full, encoding="utf-8", newline="") as handle:
                text = handle.read(MAX_READ_FILE + 1)
        except (OSError, UnicodeDecodeError, ValueError):  # ValueError: a NUL in the path
            return CANNOT_READ
        if len(text) > MAX_READ_FILE:  # never cut short: a policy's end may be what matters
            return TOO_LONG_TO_READ
        real = os.path.realpath(full)
        self.consumed.add(real)
        if "${" in text or "%{" in text:
            self.templates.add(real)
        return full, text

    def exists(self, mode: str, kind: str, name: str) -> bool:
        located = (self.data if mode == "data" else self.resources).get((kind, name))
        return located is None or self.instance_count(located) != 0

    def instance_count(self, located: Located) -> int | None:
        """How many instances ``count``/``for_each`` create; None when not known before apply.

        ``count = var.create ? 1 : 0`` is how most modules switch resources off: a resource
        known to have no instance is not analyzed, and a reference to it adds nothing.
        """
        body = located.block.body
        key = _block_key(located)
        at = SourceRef(located.file, located.block.span)

        def compute() -> int | None:
            if "count" in body.attributes:
                return instance_count_of(self.evaluate_attribute(located, "count"))
            if "for_each" in body.attributes:
                each = self.evaluate_attribute(located, "for_each")
                return len(each) if isinstance(each, (PSeq, PMap)) else None
            return 1

        result: int | None = self._memo("count", key, at, compute)
        return result

    def notice(self, at: SourceRef, message: str) -> None:
        notice = InputError(at.file, message, at.line, at.column)
        if notice not in self._noticed:
            self._noticed.add(notice)
            self.notices.append(notice)

    def error(self, at: SourceRef, message: str) -> None:
        error = InputError(at.file, message, at.line, at.column)
        if error not in self._erred:
            self._erred.add(error)
            self.errors.append(error)

    def data_attribute(self, kind: str, name: str, attribute: str, at: SourceRef) -> Any:
        return self._data_attribute(self.data.get((kind, name)), kind, name, attribute, at)

    def _data_attribute(
        self, located: Located | None, kind: str, name: str, attribute: str, at: SourceRef
    ) -> Any:
        if kind == "aws_caller_identity" and attribute == "account_id":
            return Value(THIS_ACCOUNT, at)
        if kind == "aws_partition" and attribute in ("partition", "id"):
            return Value(AWS_PARTITION, at)
        if kind == "aws_partition" and attribute == "dns_suffix":
            return Value(DNS_SUFFIX, at)
        if kind == "aws_region" and attribute in ("name", "id", "region"):
            return Value(THIS_REGION, at)
        if kind == "aws_iam_policy_document" and attribute in ("json", "minified_json"):
            if located is None:
                return unknown(at, f"data.{kind}.{name} is not in this module")
            document = located
            key = f"{name}{located.suffix}"
            return self._memo("policy", key, at, lambda: self._policy_document(document))
        if kind == "aws_iam_policy" and attribute == "arn" and located is not None:
            found = self._policy_looked_up(located, at)
            if found is not None:
                return found
        if kind == "aws_iam_openid_connect_provider" and located is not None:
            provider = self._oidc_provider_looked_up(located, attribute, at)
            if provider is not None:
                return provider
        return read_from_aws(at, f"data.{kind}.{name}.{attribute} is read when Terraform runs")

    def _policy_looked_up(self, located: Located, at: SourceRef) -> Value | None:
        """The ARN of the policy a ``data "aws_iam_policy"`` finds, when rolelint knows it.

        Looked up by the ARN it is given: that ARN (AdministratorAccess, say).  Looked up by
        ``name`` alone: the data source fails unless exactly one policy of the account (its
        own or AWS's) has that name, so a name of an AWS managed policy rolelint ships is
        that policy, with its path.  Any other name, or a ``path_prefix`` that narrows the
        search, stays unknown.
        """
        from rolelint.managed_policies import arn_of

        given = self.evaluate_attribute(located, "arn")
        if isinstance(given, Value) and given.text is not None:
            return given
        if given is not None or self.evaluate_attribute(located, "path_prefix") is not None:
            return None
        name = self.evaluate_attribute(located, "name")
        arn = arn_of(name.text, AWS_PARTITION) if isinstance(name, Value) and name.text else None
        return Value(arn, at) if arn is not None else None

    def _oidc_provider_looked_up(
        self, located: Located, attribute: str, at: SourceRef
    ) -> Value | None:
        """The ``arn`` (or ``id``, the same) or ``url`` of the provider a ``data
        "aws_iam_openid_connect_provider"`` finds, when rolelint knows it.

        The data source is given exactly one of ``arn`` and ``url``, and either determines the
        other: an OIDC provider's ARN has no path, only ``oidc-provider/`` and the issuer url
        without ``https://`` (which is also what IAM returns as its url).  Looked up by url,
        the provider is one of this account's: the ARN is the one :func:`_oidc_arn` gives a
        provider this module creates with that url.  Looked up by ARN, it is that ARN.
        """
        given = as_text(self.evaluate_attribute(located, "arn"))
        if given is None:
            url = as_text(self.evaluate_attribute(located, "url"))
            host = oidc_issuer(url) if url else None
            arn = _oidc_provider_arn(host) if host else None
        else:
            arn, host = given, given.partition(OIDC_PROVIDER)[2] or None
        if attribute in ("arn", "id") and arn is not None:
            return Value(arn, at)
        if attribute == "url" and host is not None:
            return Value(host, at)
        return None

    def _policy_document(self, located: Located) -> Any:
        from rolelint.parsers.tf_policy_document import PolicyDocumentBuilder

        def read(value: Any, at: SourceRef) -> Any:
            return document_tree(value, at, self.evaluator, self.problems)

        builder = PolicyDocumentBuilder(self.evaluator, located.file, read, self.notice)
        return builder.build(located.block, located.bindings)

    def resource_attribute(self, kind: str, name: str, attribute: str, at: SourceRef) -> Any:
        located = self.resources.get((kind, name))
        if located is None:
            return unknown(at, f"{kind}.{name} is not a resource of this module")
        handler = _ATTRIBUTES.get((kind, attribute))
        if handler is not None:
            return handler(self, located, name, at)
        if not reads_arguments(kind):
            return self._argument(located, attribute, at)
        # One instance (a resource with several is read through instances_value), evaluated
        # with its ``count`` or ``each`` when it has one.
        instances = self.keyed_instances(located)
        return self._argument(instances[0] if len(instances) == 1 else located, attribute, at)

    def resource_argument(
        self, kind: str, name: str, key: InstanceKey, attribute: str, at: SourceRef
    ) -> Any:
        located = self.resources.get((kind, name))
        instances = [] if located is None else self.keyed_instances(located)
        for instance in instances:
            if instance.key == key and type(instance.key) is type(key):
                return self._argument(instance, attribute, at)
        address = f"{kind}.{name}{instance_suffix(key)}"  # not an instance this module made
        return read_from_aws(at, f"{address}.{attribute} is known only after apply")

    def _argument(self, instance: Located, attribute: str, at: SourceRef) -> Any:
        """What a reference reads of an attribute of a resource's ``instance`` that is not one
        of :data:`_ATTRIBUTES`: an argument of an IAM resource is what its block sets it to,
        evaluated with the instance's ``count`` or ``each``, or what its schema makes of it
        when the block does not set it (rolelint.parsers.tf_arguments).  Kept once computed,
        as a local is, and a reference that comes back to itself (``a.x = b.x``, ``b.x =
        a.x``) is unknown, not a loop."""
        kind = instance.block.labels[0]
        address = f"{kind}.{instance.block.labels[1]}{instance.suffix}"
        if attribute in META_ARGUMENTS:  # Terraform refuses the reference
            return unknown(at, f"{address}.{attribute}: {attribute} is not an attribute")
        if not reads_arguments(kind):
            if attribute in instance.block.body.attributes:
                return read_from_aws(
                    at,
                    f"{address}.{attribute} is what the provider plans for it: rolelint reads"
                    " the arguments of IAM resources only",
                )
            return read_from_aws(at, f"{address}.{attribute} is known only after apply")

        def unset() -> Any:
            defaults = UNSET[kind]
            if attribute not in defaults:  # the provider computes it
                return read_from_aws(at, f"{address}.{attribute} is known only after apply")
            default = defaults[attribute]
            return Value(default, at) if isinstance(default, str) else placed(default, at)

        if attribute not in instance.block.body.attributes:
            return unset()
        expr = instance.block.body.attributes[attribute].value
        value = self._memo(
            _ARGUMENT,
            f"{address}.{attribute}",
            at,
            lambda: self.evaluator.evaluate(expr, instance.file, instance.scope(None)),
        )
        # Null is the argument not set: Terraform plans its default in its place.
        return _null_replaced(value, unset)

    def instances_value(self, mode: str, kind: str, name: str, at: SourceRef) -> Any:
        """A resource or data source with several instances as Terraform sees it: a map of
        its instances by key (``for_each``) or a list (``count``), each an object of the
        attributes rolelint knows before apply (a role's ``name``, ``id``, ``arn``).  None for
        one instance: ``aws_iam_role.x.arn`` and ``aws_iam_role.x[0].arn`` are then the same.

        Built once: each instance of another resource may index it (``[each.key]``).  Its
        strings point at the resource; the evaluator points what a reference reads at the use.
        """
        located = (self.data if mode == "data" else self.resources).get((kind, name))
        attributes = (_DATA_ATTRIBUTES if mode == "data" else _KNOWN_ATTRIBUTES).get(kind)
        if mode != "data" and attributes is None and reads_arguments(kind):
            attributes = []  # its instances hold only arguments, read when asked
        if located is None or attributes is None:
            return None
        instances = self.keyed_instances(located)  # all with a key, or one with none
        if not instances or instances[0].key is None:
            return None
        found, known = located, attributes
        return self._memo(
            "several", f"{mode}.{kind}.{name}", at, lambda: self._instances(found, known)
        )

    def _instances(self, located: Located, attributes: list[str]) -> PMap | PSeq:
        kind, name = located.block.labels[0], located.block.labels[1]
        is_data = located.block.type == "data"
        own = SourceRef(located.file, located.block.span)
        span = located.block.span
        address = f"{'data.' if is_data else ''}{kind}.{name}"
        instances = self.keyed_instances(located)
        collection: PMap | PSeq = PSeq(span) if isinstance(instances[0].key, int) else PMap(span)
        for instance in instances:
            resource = None if is_data else (kind, name)
            known = InstanceObject(f"{address}{instance.suffix}", span, resource, instance.key)
            for attribute in attributes:
                if is_data:
                    value = self._data_attribute(instance, kind, name, attribute, own)
                else:
                    value = _ATTRIBUTES[(kind, attribute)](self, instance, name, own)
                known.set(attribute, value, span, span)
            if isinstance(collection, PSeq):
                collection.add(known, span)
            else:
                collection.set(instance.key, known, span, span)
        return collection

    # --- IAM names and ARNs ----------------------------------------------------------------------

    def iam_name(self, located: Located, name: str, key: str = "name") -> str:
        """The resource's literal name, or a stand-in when it has none we know: a generated
        name's where it sets none (null, ""), an unresolved one's where it sets one rolelint
        cannot resolve (``name = var.role_name``, no default), which no tool generates.

        Kept once known: every policy naming the role's ARN asks again, and a name set from
        another resource's name would otherwise be evaluated through the whole chain each time.
        """
        kind = located.block.labels[0]

        instance = f"{name}{located.suffix}"

        def compute() -> str:
            value = self.evaluate_attribute(located, key)
            text = as_text(value)
            if text:
                return text
            # Terraform makes the name of the prefix and a unique suffix: the stand-in holds the
            # suffix's place, so ``role/ci-*`` matches the role and ``role/ci-x*`` does not.
            # A prefix beside a name not known is kept too, so the role matches as it did.
            start = as_text(self.evaluate_attribute(located, f"{key}_prefix")) or ""
            written = value is not None and text is None  # set, to a value not known
            return f"{start}{self.unknown_name(kind, instance, written)}"

        at = SourceRef(located.file, located.block.span)
        text: str = self._memo("iam_name", f"{kind}.{instance}.{key}", at, compute)
        return text

    def iam_path(self, located: Located, name: str) -> str:
        """The path in the ARN of resource ``name``: "/" where ``path`` is not set (or null,
        or empty); where it is set but not known (a variable without a default, an attribute
        known after apply), a stand-in no path-less ARN matches, as for CloudFormation (see
        rolelint.model.unresolved_path): taken as "/", ``role/admin`` named a role whose ARN
        may be ``role/team/admin``."""
        value = self.evaluate_attribute(located, "path")
        text = as_text(value)
        if text:
            return text
        if value is None or text == "":
            return "/"
        kind = located.block.labels[0]
        return unresolved_path(located.file, f"{kind}.{name}{located.suffix}")

    @property
    def scope(self) -> str:
        """The module instance, as the roles it declares name it (Role.scope): names are
        unique across its files, not only within one."""
        return f"{self.directory}#{self.prefix}"

    def iam_arn(self, located: Located, name: str, noun: str) -> str:
        path, own_name = self.iam_path(located, name), self.iam_name(located, name)
        return f"arn:aws:iam::{THIS_ACCOUNT}:{noun}{path}{own_name}"


def _defaulted(declared: Located | None) -> bool:
    """Whether the declared variable has a ``default`` (``default = null`` is one)."""
    return declared is not None and declared.block.body.get("default") is not None


def _probe(type_expr: Expr | None, text: Value) -> Any:
    """A value of the variable's type holding ``text``, to try its validations with: the text
    itself (``string``, ``any``, no type), or a list of it (``list(string)``, ``set(...)``);
    None for other types (a map, an object: what to try is not clear; a number or bool takes
    neither "" nor "*")."""
    if type_expr is None or (
        isinstance(type_expr, Traversal) and not type_expr.steps and type_expr.root in _ANY_TEXT
    ):
        return text
    if isinstance(type_expr, Call) and type_expr.name in ("list", "set") and type_expr.args:
        element = _probe(type_expr.args[0], text)
        if isinstance(element, Value):
            sequence = PSeq(text.ref.span)
            sequence.add(element, text.ref.span)
            return sequence
    return None


# The types a text is passed to as it is.
_ANY_TEXT = ("string", "any")


def _bound(name: str, value: Any, span: Span | None) -> PMap:
    """``var`` as a validation condition sees it: the variable ``name`` holding ``value``; any
    other variable it reads is missing, so that condition is not evaluated."""
    variables = PMap(span)
    variables.set(name, value, span, span)
    return variables


def _constrained(value: Any) -> Any:
    """An unresolved value (or each unresolved alternative) marked as one the input
    restricts."""
    if isinstance(value, Value) and value.text is None:
        return replace(value, constrained=True)
    if isinstance(value, Choice):
        return value.mapped(_constrained)
    return value


def _default_origin(name: str) -> str:
    """How messages name the default of variable ``name`` as where a value comes from."""
    return f"the default of variable {name}"


def _null_replaced(value: Any, default: Callable[[], Any]) -> Any:
    """``value`` with null, itself or as an alternative of a conditional, the ``default()``:
    of the branches the null was of, so that ``c ? [arn] : null`` is still the default where c
    does not hold, to pair with another element c chooses."""
    if value is None:
        return default()
    if isinstance(value, Choice) and any(option is None for option in options(value)):
        return choice_of(
            (default() if option is None else option, branches)
            for option, branches in branched_options(value)
        )
    return value


def _block_key(located: Located) -> str:
    """A block's key in the memories of its instances."""
    return f"{located.file}#{id(located.block)}"


def _name(noun: str) -> Callable[[TerraformModule, Located, str, SourceRef], Any]:
    def handler(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
        return Value(module.iam_name(located, name), at)

    return handler


def _arn(noun: str) -> Callable[[TerraformModule, Located, str, SourceRef], Any]:
    def handler(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
        # A role's arn names that role of this module instance (Value.declared_in).
        declared_in = module.scope if noun == "role" else None
        return Value(module.iam_arn(located, name, noun), at, declared_in=declared_in)

    return handler


def _oidc_arn(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
    url = as_text(module.evaluate_attribute(located, "url"))
    if not url:
        return unknown(at, f"the url of aws_iam_openid_connect_provider.{name} is not known")
    return Value(_oidc_provider_arn(url), at)


def _oidc_url(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
    """What ``aws_iam_openid_connect_provider.<name>.url`` holds once applied: the ``url``
    argument without its ``https://``.  The AWS provider reads the attribute back from IAM
    (GetOpenIDConnectProvider), which answers the URL without its scheme
    (``token.actions.githubusercontent.com``), as the provider's ARN holds it, after create as
    at every refresh; its argument must begin with ``https://``, and Terraform compares the two
    with the scheme put back.  So ``"${aws_iam_openid_connect_provider.x.url}:sub"``, the
    condition key IRSA and GitHub modules write, is the provider's own ``sub``."""
    url = as_text(module.evaluate_attribute(located, "url"))
    if not url:
        return unknown(at, f"the url of aws_iam_openid_connect_provider.{name} is not known")
    return Value(oidc_issuer(url), at)


OIDC_PROVIDER = ":oidc-provider/"


def _oidc_provider_arn(url: str) -> str:
    """The ARN of this account's OIDC provider for ``url`` (rolelint.arns)."""
    return oidc_provider_arn(url, THIS_ACCOUNT, AWS_PARTITION)


def _saml_arn(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
    saml_name = as_text(module.evaluate_attribute(located, "name"))
    if not saml_name:
        return unknown(at, f"the name of aws_iam_saml_provider.{name} is not known")
    return Value(f"arn:aws:iam::{THIS_ACCOUNT}:saml-provider/{saml_name}", at)


def _bucket_arn(module: TerraformModule, located: Located, name: str, at: SourceRef) -> Any:
    bucket = as_text(module.evaluate_attribute(located, "bucket"))
    if not bucket:
        return unknown(at, f"the name of aws_s3_bucket.{name} is generated at apply")
    return Value(f"arn:aws:s3:::{bucket}", at)


Handler = Callable[[TerraformModule, Located, str, SourceRef], Any]
_ATTRIBUTES: dict[tuple[str, str], Handler] = {
    ("aws_iam_role", "name"): _name("role"),
    ("aws_iam_role", "id"): _name("role"),
    ("aws_iam_role", "arn"): _arn("role"),
    ("aws_iam_policy", "arn"): _arn("policy"),
    ("aws_iam_policy", "id"): _arn("policy"),
    ("aws_iam_policy", "name"): _name("policy"),
    ("aws_iam_user", "name"): _name("user"),
    ("aws_iam_user", "id"): _name("user"),
    ("aws_iam_user", "arn"): _arn("user"),
    ("aws_iam_group", "name"): _name("group"),
    ("aws_iam_group", "id"): _name("group"),
    ("aws_iam_group", "arn"): _arn("group"),
    ("aws_iam_instance_profile", "name"): _name("instance-profile"),
    ("aws_iam_instance_profile", "id"): _name("instance-profile"),
    ("aws_iam_instance_profile", "arn"): _arn("instance-profile"),
    ("aws_iam_openid_connect_provider", "arn"): _oidc_arn,
    ("aws_iam_openid_connect_provider", "id"): _oidc_arn,
    ("aws_iam_openid_connect_provider", "url"): _oidc_url,
    ("aws_iam_saml_provider", "arn"): _saml_arn,
    ("aws_iam_saml_provider", "id"): _saml_arn,
    ("aws_s3_bucket", "arn"): _bucket_arn,
}
# What an instance of a resource with several is known by (see instances_value).
_KNOWN_ATTRIBUTES: dict[str, list[str]] = {}
for _kind, _attribute in _ATTRIBUTES:
    _KNOWN_ATTRIBUTES.setdefault(_kind, []).append(_attribute)
_DATA_ATTRIBUTES = {
    "aws_iam_policy_document": ["json", "minified_json"],
    "aws_iam_policy": ["arn"],
    "aws_iam_openid_connect_provider": ["arn", "id", "url"],
}


# --- policy text -> tree --------------------------------------------------------------------------


def document_tree(
    value: Any,
    at: SourceRef,
    evaluator: Evaluator,
    problems: list[SourceProblem] | None = None,
) -> Any:
    """What a policy attribute holds, as a positioned IAM JSON tree (or unknown / Choice).

    ``jsonencode({...})`` and policy documents are trees already; a heredoc or ``file()`` is
    parsed as JSON with positions in its own text; a plain string is parsed with every element
    at the string.  Text that is not JSON is unknown: rolelint never guesses at it.  When the
    text is exactly what AWS receives (not a heredoc or template that interpolates), that is
    also a problem for the invalid-policy rule: IAM rejects the policy, and saying nothing hid
    it (a trailing comma in a heredoc left the role with no trust policy and no finding).
    Parsing is paid for from the module's budget (``evaluator.budget``): text is parsed
    wherever it is used.
    """
    from rolelint.parsers.tree import Choice

    if isinstance(value, Choice):
        return value.mapped(lambda option: document_tree(option, at, evaluator, problems))
    if isinstance(value, PMap):
        return value
    if isinstance(value, PositionedText):
        lines, columns = value.first_line - 1, value.first_column - 1
        shift = _Relocation(
            lines,
            columns,
            evaluator.budget,
            leaf=value.leaf,
            used_at=value.used_at,
            written=value.written,
            line_columns=value.line_columns,
        )
        exact = not value.interpolated
        try:
            return _parse_text(value.text, value.file, shift, at, evaluator, problems, exact=exact)
        except NotJsonSpliced as splice:
            written = splice.text if len(splice.text) <= 60 else splice.text[:57] + "..."
            where = _line_of(splice.at.span, splice.at.file, at)
            reason = f"the ${{...}}{where} written in place of a JSON value"
            return unknown(at, f"{reason}, {written!r}, {SPLICED_NOT_JSON}")
        except NotStringInterpolated as refusal:
            return _not_rendered(refusal, at, evaluator)
    if isinstance(value, Value) and value.text is not None:
        # JSON in a quoted string: every element at the string, used where the string is (a
        # caller's input, marked at ``var.policy``), as a heredoc's are.
        used = value.ref.used_at
        pinned = _Relocation(0, 0, evaluator.budget, fixed=value.ref.span, used_at=used)
        return _parse_text(value.text, value.ref.file, pinned, at, evaluator, problems, exact=True)
    if isinstance(value, Value):
        return value
    return unknown(at, "the policy is not a JSON document")


def _not_rendered(refusal: NotStringInterpolated, at: SourceRef, evaluator: Evaluator) -> Value:
    """The unknown value of a policy whose template interpolates a list, an object or null,
    which Terraform refuses if the value is as rolelint reads it: a note at the interpolation
    (whether the policy is the template or a branch rolelint does not decide holds it), whose
    words are the policy's reason, so that the policy's own note does not say it again.  No
    error of the run: the value may be another in a deployment (a caller's input, a branch or
    an instance rolelint does not decide)."""
    message = interpolation_note(refusal.kind)
    evaluator.scope.notice(refusal.at, message)
    return unknown(at, message)


def _parse_text(
    text: str,
    file: str,
    relocation: _Relocation,
    at: SourceRef,
    evaluator: Evaluator,
    problems: list[SourceProblem] | None,
    *,
    exact: bool,
) -> Any:
    """``text`` parsed as a JSON object and moved to its place; unknown when it is not one, and
    then also a problem in ``problems`` when the text is ``exact``ly the policy AWS gets."""
    from rolelint.parsers.json_loader import load_json

    if evaluator.budget.exhausted:
        return evaluator.refuse(at, TOO_MUCH)
    if not text.strip():
        # An empty policy is a module's placeholder (``variable "policy" { default = "" }``)
        # far more often than a policy anyone means to apply: unknown, not a finding.
        return unknown(at, EMPTY_POLICY_TEXT)
    evaluator.budget.charge_parse(text)
    try:
        loaded = load_json(file, text)
        root = loaded.root
    except LoadError as problem:
        place = Span.point(problem.line, problem.column or 1) if problem.line else None
        where = _line_of(relocation.move(place), file, at)
        if exact and problems is not None:
            reason = problem.message.removeprefix("invalid JSON: ")
            problems.append(
                SourceProblem(
                    INVALID_STATEMENT,
                    f"the policy text is not JSON: {reason}",
                    SourceRef(file, relocation.move(place) or at.span),
                    at.file,
                )
            )
        if not exact:
            # Terraform renders the ${...} first: ["a"${local.more}] makes JSON that the text
            # as written is not, so only the unrendered text is known broken.
            unread = "the policy text could not be read as JSON before its ${...} are rendered"
            return unknown(at, f"{unread}{where}: {problem.message}")
        return unknown(at, f"the policy text is not JSON{where}: {problem.message}")
    if not isinstance(root, PMap):
        if exact and problems is not None:
            start = relocation.move(Span.point(1, 1)) or at.span
            message = "the policy text is not a JSON object"
            problems.append(
                SourceProblem(INVALID_STATEMENT, message, SourceRef(file, start), at.file)
            )
        return unknown(at, "the policy text is not a JSON object")
    if problems is not None:
        for duplicate in loaded.duplicates:
            second = SourceRef(file, relocation.move(duplicate.second))
            problems.append(duplicate_key(second, duplicate.key, at.file))
    return relocation.mapping(root, file)


def _line_of(place: Span | None, file: str, at: SourceRef) -> str:
    """Where parsing stopped, as a note says it: the line of the file, not of the heredoc or
    string the text was read from (the note itself is at the policy attribute, ``at``)."""
    if place is None:
        return ""
    if file != at.file:
        return f" ({os.path.basename(file)} line {place.line})"
    return f" (line {place.line})"


def duplicate_key(where: SourceRef, key: str, resource: str) -> SourceProblem:
    """The invalid-policy rule's duplicate-key problem (the resource is named by the caller)."""
    return SourceProblem(
        "duplicate-key",
        f"duplicate key {key!r}: only one of its values takes effect",
        where,
        resource,
    )


@dataclass(frozen=True, slots=True)
class _Relocation:
    """Moves a tree parsed from text to where the text is in its file.

    ``fixed`` puts every element at one span (JSON inside a quoted string, whose escapes make
    character positions unreliable); ``leaf`` resolves ``${...}`` in string values;
    ``written`` gives the places, in the text as written, of positions in text that masks a line
    break (PositionedText.written); ``used_at`` marks every string and number of the text as
    used there (PositionedText.used_at, or the quoted string's own ``SourceRef.used_at``), and
    what a template variable brings, paid for from the root module's ``budget``
    (tf_budget.MAX_MARKS).
    """

    lines: int
    columns: int
    budget: Budget
    fixed: Span | None = None
    leaf: Callable[[str, Span | None], Any] | None = None
    used_at: SourceRef | None = None
    written: MaskedLines | None = None  # where masked text's characters are written
    # The file column of the first character of the lines (by file line) whose characters
    # move otherwise than by ``columns`` (PositionedText.line_columns).
    line_columns: Mapping[int, int] | None = None

    def move(self, span: Span | None) -> Span | None:
        if self.fixed is not None or span is None:
            return self.fixed or span
        if self.written is not None:
            span = self.written.span(span)
        line, end_line = span.line + self.lines, span.end_line + self.lines
        if not self.line_columns:
            return Span(line, span.column + self.columns, end_line, span.end_column + self.columns)
        return Span(
            line,
            span.column + self._shift(line),
            end_line,
            span.end_column + self._shift(end_line),
        )

    def _shift(self, line: int) -> int:
        """How many columns the text's characters on file line ``line`` are moved right."""
        column = self.line_columns.get(line) if self.line_columns else None
        return self.columns if column is None else column - 1

    def mapping(self, node: PMap, file: str) -> FileMap:
        mapping = FileMap(file, self.move(node.span))
        for key, item in node.items():
            span = self.move(node.value_spans.get(key))
            key_span = self.move(node.key_spans.get(key))
            value = self.copy(item, file, span)
            mapping.set(self.key(key, key_span), value, key_span, span)
        return mapping

    def key(self, key: Any, span: Span | None) -> Any:
        """Keys are templates too (``"${local.provider}:sub"``, ``"%{ if var.x }Resource%{
        endif }"``); an unknown one stays visibly unknown, so a rule never concludes that the
        condition it looks for is missing.  A key with a directive and no ``$`` is one as
        well: kept as written, it held the masked characters of its text (tf_template_json),
        and was an element or condition key no deployment has."""
        if self.leaf is None or not isinstance(key, str) or ("$" not in key and "%{" not in key):
            return key
        resolved = self.leaf(key, span)
        text = as_text(resolved)
        return text if text is not None else f"{UNRESOLVED_KEY} {span}"

    def copy(self, node: Any, file: str, span: Span | None) -> Any:
        if isinstance(node, PMap):
            return self.mapping(node, file)
        if isinstance(node, PSeq):
            sequence = PSeq(self.move(node.span))
            for index, item in enumerate(node):
                item_span = self.move(node.item_spans[index])
                sequence.add(self.copy(item, file, item_span), item_span)
            return sequence
        if self.leaf is not None and isinstance(node, str):
            node = self.leaf(node, span)
        elif self.used_at is not None and isinstance(node, (int, float)):
            return placed(node, SourceRef(file, span, self.used_at))  # a number the text writes
        if self.used_at is None:
            return node
        if isinstance(node, str):  # as the policy builder reads it, with where it is used
            return Value(node, SourceRef(file, span, self.used_at))
        return marked_used_at(node, self.used_at, self.budget)  # what a template variable brings
