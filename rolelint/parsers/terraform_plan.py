"""Terraform plans and states, as ``terraform show -json`` prints them, turned into the role model.

Why read a plan at all: Terraform has already evaluated every variable, module, ``count`` and
``for_each`` in it, so it shows exactly what will be deployed.  What Terraform itself cannot know
before apply (a generated ARN, a policy rendered from a resource created in the same run) is left
out of ``planned_values`` and marked in ``resource_changes[].change.after_unknown``; such values
become unresolved :class:`Value` objects, so a check never mistakes them for a wildcard.

Policies are JSON text inside JSON strings: every element of such a document points at its string
in the plan file.  Terraform writes the whole plan on one line; pretty-printed plans
(``terraform show -json plan.out | jq .``) give findings on lines of their own.

Resources are linked as the AWS provider links them: by name (a role policy's ``role``), by ARN
(an attachment's ``policy_arn``) and, when that value is known only after apply, by the
references the plan's ``configuration`` section records for the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from rolelint.findings import InputError
from rolelint.managed_policies import document_for
from rolelint.model import (
    INVALID_STATEMENT,
    METADATA_SERVICE_DISABLED,
    THIS_ACCOUNT,
    TOKENS_FROM_EKS_LAUNCH_TEMPLATE,
    TOKENS_FROM_LAUNCH_TEMPLATE,
    TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE,
    ComputeResource,
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
    Value,
    generated_name,
)
from rolelint.parsers import permission_set_boundaries, tf_origins
from rolelint.parsers import tf_permission_sets as permission_sets
from rolelint.parsers.ec2_ami import launch_parameter
from rolelint.parsers.holder import (
    Holder,
    maybe_attached,
    not_an_aws_managed_arn,
    unread_policy,
)
from rolelint.parsers.instance_profiles import launched_profiles, profile_name
from rolelint.parsers.json_loader import load_json
from rolelint.parsers.policy_builder import PolicyBuilder, duplicate_key_problems
from rolelint.parsers.tf_ami import SSM_PARAMETER, SSM_VALUE_ATTRIBUTES
from rolelint.parsers.tree import LoadedDocument, LoadError, PMap, PSeq, pinned
from rolelint.source import SourceRef, Span

UNKNOWN = "known only after apply"

ROLE = "aws_iam_role"
USER = "aws_iam_user"
GROUP = "aws_iam_group"
POLICY = "aws_iam_policy"
INSTANCE_PROFILE = "aws_iam_instance_profile"
EC2_INSTANCE = "aws_instance"
LAUNCH_TEMPLATE = "aws_launch_template"
LAUNCH_CONFIGURATION = "aws_launch_configuration"
SPOT_INSTANCE_REQUEST = "aws_spot_instance_request"
EKS_NODE_GROUP = "aws_eks_node_group"
GROUP_MEMBERSHIP = "aws_iam_group_membership"
USER_GROUP_MEMBERSHIP = "aws_iam_user_group_membership"

# Inline policy resources: type -> (attribute naming the holder, holder type).
INLINE_POLICIES = {
    "aws_iam_role_policy": ("role", ROLE),
    "aws_iam_user_policy": ("user", USER),
    "aws_iam_group_policy": ("group", GROUP),
}
# Attachment resources: type -> ((attribute naming holders, holder type, single-valued), ...).
ATTACHMENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "aws_iam_role_policy_attachment": (("role", ROLE, True),),
    "aws_iam_user_policy_attachment": (("user", USER, True),),
    "aws_iam_group_policy_attachment": (("group", GROUP, True),),
    "aws_iam_policy_attachment": (
        ("roles", ROLE, False),
        ("users", USER, False),
        ("groups", GROUP, False),
    ),
}
# Exclusive attachment resources (one holder, a list of policy ARNs): type -> (attribute naming
# the holder, holder type).
EXCLUSIVE_ATTACHMENTS = {
    "aws_iam_role_policy_attachments_exclusive": ("role_name", ROLE),
    "aws_iam_user_policy_attachments_exclusive": ("user_name", USER),
    "aws_iam_group_policy_attachments_exclusive": ("group_name", GROUP),
}
# The exclusive inline policy resource of a role (the names of the inline policies it keeps).
# The user and group variants change nothing (see read_exclusive_inline) and are only read, so
# that a deposed one is named in a note.
EXCLUSIVE_ROLE_INLINE = "aws_iam_role_policies_exclusive"
_EXCLUSIVE_INLINE = (
    EXCLUSIVE_ROLE_INLINE,
    "aws_iam_user_policies_exclusive",
    "aws_iam_group_policies_exclusive",
)

# Every resource type this reader reads: a deposed object of one is named in a note.
READ_TYPES = frozenset(
    {
        ROLE,
        USER,
        GROUP,
        POLICY,
        INSTANCE_PROFILE,
        EC2_INSTANCE,
        LAUNCH_TEMPLATE,
        LAUNCH_CONFIGURATION,
        SPOT_INSTANCE_REQUEST,
        EKS_NODE_GROUP,
        GROUP_MEMBERSHIP,
        USER_GROUP_MEMBERSHIP,
        *INLINE_POLICIES,
        *ATTACHMENTS,
        *EXCLUSIVE_ATTACHMENTS,
        *_EXCLUSIVE_INLINE,
        permission_sets.PERMISSION_SET,
        permission_sets.INLINE_POLICY,
        permission_sets.MANAGED_POLICY_ATTACHMENT,
        permission_sets.BOUNDARY_ATTACHMENT,
    }
)

# ``aws_iam_role.x``, ``aws_iam_role.x["a"]`` or ``aws_iam_role.x[0]`` at the start of a reference.
_REFERENCE = re.compile(
    r'^(?P<base>[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(?P<index>\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?'
)
_MODULE_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')
_MODULE_NAME = re.compile(r"(?:^|\.)module\.([^.]+)")
# References that stand for the referencing instance's own key: ``aws_iam_role.x[each.key]``
# and ``aws_iam_role.x[count.index]`` are written to Terraform's plan as the resource without
# instance key plus one of these.
_OWN_KEY = frozenset({"each.key", "count.index"})

ConfigIndex = dict[tuple[tuple[str, ...], str], tuple[PMap, str, str]]
AttrPath = tuple[str | int, ...]
# Reports a part of the file of a JSON type Terraform never writes: (message, its position).
Malformed = Callable[[str, Span | None], None]


def looks_like_plan(root: Any) -> bool:
    """``terraform show -json`` output of a plan (``planned_values``) or of a state (``values``)."""
    return (
        isinstance(root, PMap)
        and "format_version" in root
        and ("planned_values" in root or "values" in root)
    )


def looks_like_raw_state(root: Any) -> bool:
    """A state file as Terraform stores it (``terraform.tfstate``), not as ``terraform show
    -json`` prints it: its attributes are laid out per provider schema version, which rolelint
    does not read, so it is skipped with a reason that says what to give instead."""
    return (
        isinstance(root, PMap)
        and "format_version" not in root
        and all(key in root for key in ("terraform_version", "lineage", "resources"))
    )


_ACCOUNT_ID = re.compile(r"[0-9]{12}")


def parse_plan(loaded: LoadedDocument) -> tuple[Inventory, list[InputError], list[InputError]]:
    """The roles, identities, policies and compute resources a plan (or state) will leave,
    notices about what it holds but is not analyzed, and the input errors of what it holds
    but rolelint cannot read."""
    plan = _Plan(loaded)
    return plan.parse(), plan.notices, plan.errors


def caller_accounts(root: Any) -> frozenset[str]:
    """The accounts ``data.aws_caller_identity`` read (in a plan's ``prior_state``, or a state):
    the account the configuration is applied in.  HCL reads the data source as the own account;
    a plan has its value written into the policies, where it would look like another account's.
    """
    found: set[str] = set()
    for top in (root.get("prior_state") if isinstance(root, PMap) else None, root):
        values = top.get("values") if isinstance(top, PMap) else None
        pending = [values.get("root_module")] if isinstance(values, PMap) else []
        while pending:
            module = pending.pop()
            if not isinstance(module, PMap):
                continue
            children = module.get("child_modules")
            if isinstance(children, PSeq):
                pending.extend(children)
            resources = module.get("resources")
            for resource in resources if isinstance(resources, PSeq) else ():
                if not isinstance(resource, PMap) or resource.get("mode") != "data":
                    continue
                if resource.get("type") != "aws_caller_identity":
                    continue
                attributes = resource.get("values")
                account = attributes.get("account_id") if isinstance(attributes, PMap) else None
                if isinstance(account, str) and _ACCOUNT_ID.fullmatch(account):
                    found.add(account)
    return frozenset(found)


def _plan_account(root: Any) -> str:
    """The account the plan's new roles, users and groups are created in, for their ARNs.

    Their ARNs are known only after apply, while the policies of the same plan have the account
    of ``data.aws_caller_identity`` written in (``arn:aws:iam::111122223333:role/admin``): with
    the symbolic account the two never matched, so no chain through a new role was found.  The
    caller's account is taken when it is the only one and the configuration has no second AWS
    provider (an alias may create resources in another account); else the symbolic account.
    """
    accounts = caller_accounts(root)
    if len(accounts) != 1 or _aws_providers(root) > 1:
        return THIS_ACCOUNT
    return next(iter(accounts))


def _aws_providers(root: Any) -> int:
    """How many AWS provider configurations the plan's ``configuration`` lists."""
    configuration = root.get("configuration") if isinstance(root, PMap) else None
    providers = configuration.get("provider_config") if isinstance(configuration, PMap) else None
    if not isinstance(providers, PMap):
        return 0
    return sum(
        1
        for provider in providers.values()
        if isinstance(provider, PMap) and provider.get("name") == "aws"
    )


# --- planned values -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """A planned value together with its ``after_unknown`` mark and its position.

    ``unknown`` is the matching subtree of ``after_unknown``: ``True`` when the value is known only
    after apply, a mapping or list of marks for a partly known value, anything else when known.
    Terraform leaves unknown attributes out of ``planned_values``, so an absent key is unknown
    too; a ``null`` that is not marked is an attribute that is simply not set.
    """

    file: str
    node: Any
    unknown: Any
    span: Span | None
    present: bool = True

    def child(self, key: str | int) -> _View:
        node, span, present = None, self.span, False
        if isinstance(self.node, PMap) and isinstance(key, str) and key in self.node:
            node, span, present = self.node[key], self.node.span_of(key), True
        elif isinstance(self.node, PSeq) and isinstance(key, int) and 0 <= key < len(self.node):
            node, span, present = self.node[key], self.node.span_at(key), True
        return _View(self.file, node, _mark(self.unknown, key), span, present)

    @property
    def is_unknown(self) -> bool:
        return self.unknown is True or not self.present

    def items(self) -> list[_View]:
        """The elements of a list or set attribute; [] when it is not a (known) list."""
        if self.is_unknown or not isinstance(self.node, PSeq):
            return []
        return [self.child(index) for index in range(len(self.node))]

    def value(self) -> Value | None:
        """The scalar as a Value: unresolved when unknown, None when not set (null or "")."""
        ref = SourceRef(self.file, self.span)
        if self.is_unknown:
            return Value(None, ref, UNKNOWN)
        node = self.node
        if node is None or node == "":
            return None
        if isinstance(node, bool):
            return Value("true" if node else "false", ref)
        if isinstance(node, (str, int, float)):
            return Value(str(node), ref)
        return Value(None, ref, "not a plain value")


def _mark(unknown: Any, key: str | int) -> Any:
    """The ``after_unknown`` mark of a child: a wholly unknown parent has unknown children."""
    if unknown is True:
        return True
    if isinstance(unknown, PMap) and isinstance(key, str):
        return unknown.get(key)
    if isinstance(unknown, PSeq) and isinstance(key, int) and 0 <= key < len(unknown):
        return unknown[key]
    return None


@dataclass(frozen=True, slots=True)
class _Instance:
    """One managed resource instance of the plan, with what the configuration says about it."""

    address: str  # aws_iam_role.x["a"], module.ci.aws_iam_role.this
    type: str
    name: str
    module: str  # the module instance address, "" for the root module
    span: Span | None  # the "address" value: where findings about the resource point
    view: _View
    expressions: PMap | None  # configuration expressions; None when the plan has none for it
    provider: str = ""  # its configuration's ``provider_config_key``; "" when not known
    iterates: str = ""  # the resource its ``for_each`` goes over (see _iterated); "" when none
    deposed: str = ""  # the ``deposed_key`` of a deposed object (see _Plan.deposed); "" if current

    @property
    def config_address(self) -> str:
        """The address inside its module, without instance key: how references name it."""
        return f"{self.type}.{self.name}"

    @property
    def relative(self) -> str:
        """The address inside its module instance, with instance key."""
        prefix = f"{self.module}."
        return self.address[len(prefix) :] if self.address.startswith(prefix) else self.address

    @property
    def key(self) -> str:
        """Its instance key as addresses write it (``["app"]``, ``[0]``); "" when it has none."""
        return self.relative[len(self.config_address) :]

    def get(self, *path: str | int) -> _View:
        view = self.view
        for key in path:
            view = view.child(key)
        return view


@dataclass(slots=True)
class _Holder(Holder):
    """A role, user or group of the plan being assembled."""

    inline: dict[str, PolicyDocument] = field(default_factory=dict)  # own inline_policy by name
    # Own inline_policy entries whose text is known only after apply, by name (a key of its own
    # for one without): held as unread once no role policy resource has taken their place.
    unknown_inline: dict[str, tuple[_View, str]] = field(default_factory=dict)

    def replace_inline(
        self, name: str | None, policy: PolicyDocument | ManagedPolicyRef | None
    ) -> None:
        """An inline policy resource wins over the role's copy of it (states list both; a plan
        lists the role as it is before apply, so its copy is the resource's old text): its
        document, or the unread policy that stands for a text known only after apply, takes
        the copy's place; with neither (a text that is no policy, reported as such) the copy
        still goes, since it is not what the role will hold."""
        own = self.inline.pop(name, None) if name is not None else None
        if own is not None:
            self.detach(own)
        if name is not None:
            self.unknown_inline.pop(name, None)
        if isinstance(policy, PolicyDocument):
            self.attach(policy)
        elif policy is not None:
            self.add_managed(policy)


# --- the plan -------------------------------------------------------------------------------------


class _Plan:
    """One plan file being read: its resource instances, and the holders policies attach to."""

    def __init__(self, loaded: LoadedDocument) -> None:
        self.loaded = loaded
        self.file = loaded.path
        self.builder = PolicyBuilder(loaded.path)
        self.inventory = Inventory()
        self.notices: list[InputError] = []
        self.errors: list[InputError] = []
        root = loaded.root if isinstance(loaded.root, PMap) else PMap()
        # A state (``values``) is what is deployed; a plan (``planned_values``) is yet to be.
        self.deployed = "planned_values" not in root
        self.shape_reported = False  # see malformed()
        if not self.deployed:
            self.partial(root)
        if "prior_state" in root and not isinstance(root["prior_state"], PMap):
            self.malformed(
                "prior_state is not an object; it is ignored", root.span_of("prior_state")
            )
        changes = _read_changes(root, self.malformed)
        unknowns = changes.after_unknown
        config = _configuration_index(root, self.malformed)
        self.config = config
        self.by_type: dict[str, list[_Instance]] = {}
        key = "values" if self.deployed else "planned_values"
        for instance in _instances(self.file, root, key, unknowns, config, self.malformed):
            if instance.deposed:
                self.deposed(instance)
            else:
                self.by_type.setdefault(instance.type, []).append(instance)
        self.holders: dict[str, _Holder] = {}
        self.policy_documents: dict[str, PolicyDocument] = {}
        # aws_iam_policy resources whose text is known only after apply: the unread policy
        # that stands for each, by address (see build_policies).
        self.unread_policies: dict[str, ManagedPolicyRef] = {}
        self.attached: set[int] = set()  # ids of aws_iam_policy documents some holder holds
        # ids of those an attachment gives a holder no holder of the plan is (a role of
        # another state, one known only after apply): PolicyDocument.attached_elsewhere.
        self.attached_elsewhere: set[int] = set()
        self.account = _plan_account(root)
        self.by_name = {kind: self.named(kind, ("name",)) for kind in (ROLE, USER, GROUP)}
        self.role_by_arn = self.named(ROLE, ("arn",))
        self.policy_by_arn = self.index(POLICY, ("arn",))
        self.profile_by_name = self.named(INSTANCE_PROFILE, ("name",))
        for arn, profiles in self.named(INSTANCE_PROFILE, ("arn",)).items():
            self.profile_by_name.setdefault(arn, []).extend(profiles)
        self.permission_set_by_arn = self.index(permission_sets.PERMISSION_SET, ("arn",))
        self.changes = changes
        # Roles an exclusive attachment resource of the plan gives their whole list of policies.
        self.exclusively_attached: set[str] = set()
        # Roles an exclusive inline policy resource of the plan gives their whole list of
        # inline policies: role address -> (the resource, the names it keeps; None when they
        # are known only after apply), one for each such resource.
        self.exclusive_inline: dict[str, list[tuple[_Instance, frozenset[str] | None]]] = {}

    # --- helpers ---------------------------------------------------------------------------------

    def ref(self, span: Span | None) -> SourceRef:
        return SourceRef(self.file, span)

    def malformed(self, message: str, span: Span | None) -> None:
        """An input error for the first part of the file whose JSON type Terraform never writes
        (``planned_values: null``, a list of resources written as an object, a reference that
        is no string): what it holds is not read, and a plan read as holding nothing must not
        pass for a clean one.  Only the first: the parts it holds would repeat it."""
        if self.shape_reported:
            return
        self.shape_reported = True
        where = self.ref(span)
        self.errors.append(InputError(self.file, message, where.line, where.column))

    def partial(self, root: PMap) -> None:
        """An input error for a plan whose planning failed (``errored``), a notice for one
        Terraform itself calls incomplete (``complete: false``).

        Since Terraform 1.5 ``plan -out`` saves the plan of a failed run: ``show -json`` marks
        it ``errored``, and it lists only what was planned before the failure, while the
        rest of the configuration is left out.  Terraform will not apply it ("an errored plan
        cannot be applied"), so it is not the deployment a clean result would vouch for: an
        input error (exit 2), as a plan of a shape Terraform never writes is, and a CI step
        that scans after a failed ``terraform plan`` does not pass.  What it holds is still
        analyzed.  A plan that is only incomplete (``-target``, or changes deferred until
        values are known) will be applied as it is, and another plan and apply follow it:
        what it holds is the deployment, but not all of it, so a note says a clean result
        is a lower bound.
        """
        if root.get("errored") is True:
            where = self.ref(root.span_of("errored"))
            message = (
                "the plan is errored: planning failed, so Terraform cannot apply it and it"
                " lists only what was planned before the failure; what it lists is analyzed,"
                " the rest is not"
            )
            self.errors.append(InputError(self.file, message, where.line, where.column))
        elif root.get("complete") is False:
            where = self.ref(root.span_of("complete"))
            message = (
                "the plan is not complete (a -target plan, or changes deferred until values"
                " are known): resources it leaves out are not analyzed, so a clean result is"
                " a lower bound"
            )
            self.notices.append(InputError(self.file, message, where.line, where.column))

    def deposed(self, instance: _Instance) -> None:
        """A deposed object of a state (``deposed_key``) is left out, with a note when it is
        of a type this reader reads.

        Terraform deposes the old object of a ``create_before_destroy`` replacement and
        destroys it once the new one exists; a deposed object left in the state is one whose
        destroy failed, and the next apply destroys it.  It shares its address with the
        current object, which is what the configuration and every reference mean, so it is
        no part of the roles the configuration deploys; read with them, its trust and
        policies were merged into the current object's.  (A plan lists deposed objects only
        as deletes in ``resource_changes``: it is read without them.)
        """
        if instance.type not in READ_TYPES:
            return
        where = self.ref(instance.span)
        message = (
            f"{instance.address} (deposed object {instance.deposed}) is not analyzed: a replaced"
            " object whose destroy failed, which the next apply destroys; until then it still"
            " exists in AWS"
        )
        self.notices.append(InputError(self.file, message, where.line, where.column))

    def of_type(self, *kinds: str) -> list[_Instance]:
        """The instances of ``kinds``, in plan order within each kind."""
        return [instance for kind in kinds for instance in self.by_type.get(kind, ())]

    def index(self, kind: str, path: AttrPath) -> dict[str, str]:
        """Known attribute text (a name, an ARN) -> address of the first resource of ``kind``."""
        found: dict[str, str] = {}
        for instance in self.of_type(kind):
            value = instance.get(*path).value()
            if value is not None and value.text is not None:
                found.setdefault(value.text, instance.address)
        return found

    def named(self, kind: str, path: AttrPath) -> dict[str, list[_Instance]]:
        """Known attribute text (an IAM name) -> every resource of ``kind`` that has it.

        Not the first alone: one IAM name is given to a resource of each account, and a plan
        may create several (two module instances, two provider aliases)."""
        found: dict[str, list[_Instance]] = {}
        for instance in self.of_type(kind):
            value = instance.get(*path).value()
            if value is not None and value.text is not None:
                found.setdefault(value.text, []).append(instance)
        return found

    def by_text(
        self, index: dict[str, list[_Instance]], value: Value, user: _Instance, noun: str
    ) -> str | None:
        """The resource of ``index`` named ``value`` that ``user`` means, as the HCL reader
        links them; None when there is none, or several and which is not known (with a note).

        One of ``user``'s own module instance wins over those of other instances (a module's
        attachment means the module's role; a policy module given a role name means its
        caller's).  Two of one module instance with one IAM name are in two accounts, each
        created through its own provider configuration: the one of ``user``'s provider is
        meant.  Of other module instances only a single one can be told: their provider keys
        are named in each module's own terms.
        """
        if value.text is None:
            return None
        candidates = index.get(value.text, [])
        own = [other for other in candidates if other.module == user.module]
        pool = own or candidates
        if len(pool) > 1 and own and user.provider:
            pool = [other for other in own if other.provider == user.provider]
        if len(pool) == 1:
            return pool[0].address
        if candidates:
            self.ambiguous(user, noun, value.text, len(candidates))
        return None

    def ambiguous(self, user: _Instance, noun: str, text: str, count: int) -> None:
        """A note that ``user`` names one of several resources and so is linked to none."""
        where = self.ref(user.span)
        message = (
            f"{user.address}: the {noun} name '{text}' is given to {count} {noun}s of this plan"
            " (different module instances or providers, so different accounts): which one is"
            " meant is not known, so none is linked"
        )
        self.notices.append(InputError(self.file, message, where.line, where.column))

    def problem(self, message: str, span: Span | None, resource: str) -> None:
        self.inventory.problems.append(
            SourceProblem(INVALID_STATEMENT, message, self.ref(span), resource)
        )

    def configured(self, instance: _Instance, path: AttrPath) -> bool | None:
        """Whether the configuration sets the attribute; None when the plan has no configuration."""
        if instance.expressions is None:
            return None
        return _expression(instance.expressions, path) is not None

    def referenced(
        self, instance: _Instance, path: AttrPath, kinds: tuple[str, ...], *, single: bool
    ) -> list[str]:
        """Addresses of the resources of ``kinds`` the attribute's expression refers to.

        References are relative to the module instance.  A reference without instance key to a
        resource with several instances names none of them, unless the referencing instance's
        own key says which (see :meth:`references`); for a single-valued attribute it makes
        the whole answer unknown, as two references do.
        """
        found, ambiguous, _ = self.references(instance, path, kinds, whole=not single)
        if single and (ambiguous or len(found) != 1):
            return []
        return found

    def references(
        self, instance: _Instance, path: AttrPath, kinds: tuple[str, ...], *, whole: bool = False
    ) -> tuple[list[str], bool, bool]:
        """The resources of ``kinds`` the expression refers to, whether a reference to them
        names no single instance (ambiguous), and whether it refers to anything else (a
        variable, a local, a data source, ``each``, another resource type).

        Terraform cannot write an index it computes into the references: ``aws_iam_role.x
        [each.key]`` and ``aws_iam_role.x[count.index]`` are the resource without key plus
        ``each.key`` (``count.index``).  When that resource is the only one referred to and
        nothing else is, the index is the referencing instance's own key, so the instance of
        the same key is meant.  ``each.value`` of an instance whose ``for_each`` goes over a
        resource (see _iterated) is the instance of that resource with the same key.  With
        ``whole`` (a list attribute), a resource referred to without key and with nothing
        else (``[for r in aws_iam_role.x : r.id]``) is every instance of it.
        """
        expression = _expression(instance.expressions, path)
        references = expression.get("references") if isinstance(expression, PMap) else None
        if not isinstance(references, PSeq):
            return [], False, False
        bases: dict[str, list[str]] = {}  # base address -> the instance keys named with it
        by_own_key: set[str] = set()  # bases whose instance of the referencing key is meant
        own_key = False  # each.key or count.index is referred to
        foreign = False
        for index, text in enumerate(references):
            if not isinstance(text, str):
                attribute = ".".join(str(key) for key in path)
                self.malformed(
                    f"the configuration of {instance.address}: references[{index}] of"
                    f" {attribute} is not a string; it is ignored",
                    references.span_at(index),
                )
                foreign = True
                continue
            if text in _OWN_KEY:
                own_key = True
                continue
            if text.split(".", 2)[:2] == ["each", "value"]:
                if instance.iterates.split(".", 1)[0] in kinds:
                    bases.setdefault(instance.iterates, [])
                    by_own_key.add(instance.iterates)
                else:
                    foreign = True
                continue
            match = _REFERENCE.match(text)
            if match is None or match["base"].split(".", 1)[0] not in kinds:
                foreign = True
                continue
            keys = bases.setdefault(match["base"], [])
            if match["index"]:
                keys.append(match["base"] + match["index"])
        if own_key and len(bases) == 1 and not foreign and not by_own_key:
            by_own_key.update(base for base, keys in bases.items() if not keys)
        found: list[str] = []
        ambiguous = False
        for base, keys in bases.items():
            candidates = [
                other
                for other in self.of_type(*kinds)
                if other.module == instance.module
                and other.config_address == base
                and (not keys or other.relative in keys)
            ]
            mine = [other for other in candidates if instance.key and other.key == instance.key]
            if keys or len(candidates) == 1:
                found.extend(other.address for other in candidates)
            elif base in by_own_key and len(mine) == 1:
                found.append(mine[0].address)
            elif whole and candidates and not own_key and not foreign and base not in by_own_key:
                found.extend(other.address for other in candidates)
            else:
                ambiguous = True
        if own_key and not by_own_key:  # the key chooses something else: what, is not known
            foreign = True
        return list(dict.fromkeys(found)), ambiguous, foreign

    def referenced_elements(
        self,
        instance: _Instance,
        path: AttrPath,
        kinds: tuple[str, ...],
        known: list[str],
        unknown: int | None,
    ) -> list[str]:
        """The resources the unknown elements of a list attribute are, by the expression's
        references; [] when the references do not say.

        Terraform lists every reference of the expression, of every branch: ``var.admin ?
        [aws_iam_policy.admin.arn] : [aws_iam_policy.readonly.arn]`` names both policies, while
        the role gets one.  A plain list of references is told apart by what it cannot hold: a
        reference to anything that is not a resource of ``kinds`` (the variable or local a
        condition tests, or an ``each.key`` that picks no instance), or, when the plan marks
        the elements one by one (``unknown`` of them), a count of referenced resources that the
        known elements (``known``) do not account for other than ``unknown``.  A resource
        referred to without key is every instance of it (``[for r in aws_iam_role.x : r.id]``).
        Sets of the AWS provider are marked unknown as a whole (``unknown`` None) when an
        element is: there the references alone decide, and a choice tested on resource
        attributes only is taken for a list.
        """
        found, ambiguous, foreign = self.references(instance, path, kinds, whole=True)
        if ambiguous or foreign:
            return []
        remaining = [address for address in found if address not in known]
        if unknown is not None and len(remaining) != unknown:
            return []
        return remaining

    def targets(self, instance: _Instance, key: str, kind: str, *, single: bool) -> list[str]:
        """The roles (users, groups) of this plan an attribute names (see :meth:`linked`)."""
        return self.linked(instance, key, kind, single=single)[0]

    def linked(
        self, instance: _Instance, key: str, kind: str, *, single: bool
    ) -> tuple[list[str], bool]:
        """The roles (users, groups) of this plan an attribute names: by the configuration's
        references, else by name (see :meth:`by_text`); and whether a value of it known only
        after apply is linked to none, its references not saying which holder it is.

        References come first: they say which resource is meant where a name may be given to
        several (``role = aws_iam_role.prod.name`` beside an ``aws_iam_role.dev`` of the same
        name in another account).
        """
        view = instance.get(key)
        items = view.items() if isinstance(view.node, PSeq) else [view]
        if single:
            referenced = self.referenced(instance, (key,), (kind,), single=True)
            if referenced:
                return referenced, False
        elif not view.is_unknown:
            plain = self.plain_references(instance, key, kind)
            if plain and len(plain) == len(items):
                return plain, False
        found: list[str] = []
        unknown = 0
        noun = kind.removeprefix("aws_iam_")
        for item in items:
            value = item.value()
            if value is not None and value.text is None:
                unknown += 1
            elif value is not None and (
                named := self.by_text(self.by_name[kind], value, instance, noun)
            ):
                found.append(named)
        if single:
            return list(dict.fromkeys(found))[:1], bool(unknown) and self.set_later(instance, key)
        lost = False
        if view.is_unknown or unknown:
            count = None if view.is_unknown else unknown
            more = self.referenced_elements(instance, (key,), (kind,), found, count)
            found.extend(more)
            lost = not more and (bool(unknown) or self.set_later(instance, key))
        return list(dict.fromkeys(found)), lost

    def set_later(self, instance: _Instance, key: str) -> bool:
        """Whether an attribute the plan knows only after apply is set: marked unknown by the
        plan, or written in the configuration.  Not one left out of a plan without marks or
        configuration, as hand-written plans leave out what they do not set."""
        return instance.get(key).unknown is True or bool(self.configured(instance, (key,)))

    def plain_references(self, instance: _Instance, key: str, kind: str) -> list[str]:
        """The resources of ``kind`` a list attribute's expression refers to when it refers to
        nothing else and each reference names one instance, or every instance of a resource
        named without key; [] otherwise."""
        found, ambiguous, foreign = self.references(instance, (key,), (kind,), whole=True)
        return [] if ambiguous or foreign else found

    # --- documents -------------------------------------------------------------------------------

    def document(
        self,
        view: _View,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
        set_later: bool = True,
        unread: list[ManagedPolicyRef] | None = None,
    ) -> PolicyDocument | None:
        """A policy given as JSON text; None when it is not set or known only after apply.

        A text the plan knows only after apply is said in a note here, for every caller, as
        the HCL reader's ``document_of`` does; when the caller holds the policy (``unread``)
        the unread policy that stands for it is added there, so its holders' access is known
        to be a lower bound, not "nothing".  ``set_later`` is False for an attribute a plan
        leaves out because it is not set at all (see :meth:`set_later`): no note then.
        """
        value = view.value()
        if value is None:
            return None
        if value.text is None:
            text = self.not_analyzed(view, origin) if set_later else None
            if text is not None and unread is not None:
                unread.append(unread_policy(origin, text))
            return None
        try:
            embedded = load_json(self.file, value.text)
        except LoadError as error:
            if error.beyond_limits:  # JSON, perhaps valid, past what rolelint reads
                where = self.ref(view.span)
                message = f"the {origin} cannot be read ({error.message}); it is not analyzed"
                self.errors.append(InputError(self.file, message, where.line, where.column))
            else:
                self.problem(f"the {origin} is not a policy document object", view.span, resource)
            return None
        for duplicate in duplicate_key_problems(embedded, resource):
            self.inventory.problems.append(replace(duplicate, ref=self.ref(view.span)))
        built = self.builder.document(
            pinned(embedded.root, view.span),
            view.span,
            kind=kind,
            resource=resource,
            origin=origin,
        )
        if built is None:
            self.problem(f"the {origin} is not a policy document object", view.span, resource)
        return built

    def managed_policy(
        self, instance: _Instance, view: _View, path: AttrPath
    ) -> PolicyDocument | ManagedPolicyRef | None:
        """What a policy ARN names: a policy of this plan (the unread policy standing for one
        whose text is known only after apply), else a reference by ARN."""
        arn = view.value()
        if arn is None:
            return None
        if arn.text is not None:
            address = self.policy_by_arn.get(arn.text)
        else:
            found = self.referenced(instance, path, (POLICY,), single=True)
            address = found[0] if found else None
        policy = self.of_plan(address) if address is not None else None
        return policy if policy is not None else ManagedPolicyRef(arn)

    def of_plan(self, address: str) -> PolicyDocument | ManagedPolicyRef | None:
        """The aws_iam_policy of this plan at ``address``: its document, or the unread policy
        that stands for a text known only after apply; None when it has neither."""
        document = self.policy_documents.get(address)
        return document if document is not None else self.unread_policies.get(address)

    def give(self, holder: _Holder, policy: PolicyDocument | ManagedPolicyRef | None) -> None:
        """Attach what :meth:`managed_policy` found; remember which policies found a holder."""
        if isinstance(policy, PolicyDocument):
            holder.attach(policy)
            self.attached.add(id(policy))
        elif policy is not None:
            holder.add_managed(policy)

    def give_elsewhere(self, policies: list[PolicyDocument | ManagedPolicyRef | None]) -> None:
        """Remember the policies an attachment gives no holder of the plan: those of this plan
        (PolicyDocument.attached_elsewhere), and by ARN those another file of the run may
        define (Inventory.outside_attachments)."""
        self.attached_elsewhere.update(id(p) for p in policies if isinstance(p, PolicyDocument))
        self.inventory.outside_attachments.extend(
            p for p in policies if isinstance(p, ManagedPolicyRef)
        )

    # --- passes ----------------------------------------------------------------------------------

    def parse(self) -> Inventory:
        roles = self.of_type(ROLE)
        identities = self.of_type(USER, GROUP)
        self.read_exclusive_inline()
        for instance in roles:
            self.draft_role(instance)
        for instance in identities:
            self.holders[instance.address] = _Holder()
        self.build_policies()
        self.attach_inline_policies()
        self.attach_managed_policies()
        self.attach_role_policy_arns(roles)
        self.attach_boundaries(self.of_type(ROLE, USER))
        self.link_profiles()
        self.permission_sets()
        self.inventory.standalone_policies.extend(
            replace(document, attached_elsewhere=True)
            if id(document) in self.attached_elsewhere
            else document
            for document in self.policy_documents.values()
            if id(document) not in self.attached
        )
        self.inventory.roles.extend(self.finish_role(instance) for instance in roles)
        groups = self.memberships()
        self.inventory.identities.extend(self.finish_identity(i, groups) for i in identities)
        self.inventory.compute.extend(self.compute())
        self.inventory.problems.extend(self.builder.problems)
        self.inventory.problems.extend(duplicate_key_problems(self.loaded, self.file))
        return self.inventory

    def read_exclusive_inline(self) -> None:
        """The roles each ``aws_iam_role_policies_exclusive`` of the plan names, with the
        inline policy names it keeps (see :meth:`draft_role`).

        The user and group variants are read too (a deposed one is noted) but change nothing:
        a user's or group's inline policies are the plan's ``aws_iam_user_policy`` and
        ``aws_iam_group_policy`` resources, which the HCL reader keeps whatever the exclusive
        resource lists, and so does this one.
        """
        for instance in self.of_type(EXCLUSIVE_ROLE_INLINE):
            view = instance.get("policy_names")
            values = [item.value() for item in view.items()]
            texts = {value.text for value in values if value is not None}
            names = None if view.is_unknown else frozenset(t for t in texts if t is not None)
            if None in texts:
                names = None  # an element known only after apply: any entry may be kept
            for target in self.targets(instance, "role_name", ROLE, single=True):
                self.exclusive_inline.setdefault(target, []).append((instance, names))

    def draft_role(self, instance: _Instance) -> None:
        """A role's ``inline_policy`` entries, but those of role policies the plan destroys
        and those an exclusive inline policy resource of the plan removes.

        The configuration not setting ``inline_policy`` does not make the entries a mere
        mirror of role policy resources: Terraform leaves ``dynamic`` blocks out of the
        configuration, and a policy added outside Terraform stays on the role.  So every
        planned entry is the role's own (a role policy resource of the plan with its name
        takes its place, see :meth:`attach_inline_policies`), except, when the configuration
        does not set the block, one the plan destroys (the provider plans the role as it is
        before apply) and one whose name an ``aws_iam_role_policies_exclusive`` of the role
        does not list: it deletes every inline policy of the role it does not name once the
        role is applied.  What the configuration sets, and the role policy resources, are
        kept whatever it lists, as the HCL reader keeps them.  Names it knows only after
        apply remove nothing, with a note.
        """
        holder = _Holder()
        self.holders[instance.address] = holder
        destroyed: frozenset[str] = frozenset()
        exclusive: list[tuple[_Instance, frozenset[str] | None]] = []
        if self.configured(instance, ("inline_policy",)) is False:
            destroyed = self.removed_from(instance, self.changes.destroyed_role_policies)
            exclusive = self.exclusive_inline.get(instance.address, [])
        kept = [names for _, names in exclusive if names is not None]
        entries = instance.get("inline_policy").items()
        if entries:
            for resource, names in exclusive:
                if names is None:
                    self.unknown_names(resource, instance)
        for index, entry in enumerate(entries):
            name = entry.child("name").value()
            if name is not None and name.text in destroyed:
                continue
            if (
                name is not None
                and name.text is not None
                and any(name.text not in names for names in kept)
            ):
                continue
            origin = tf_origins.role_inline_block_origin(_label(name), instance.address)
            text = entry.child("policy").value()
            if text is not None and text.text is None:
                # Read (and noted) in finish_role, unless a role policy takes its place.
                key = name.text if name is not None and name.text is not None else f"#{index}"
                holder.unknown_inline[key] = (entry.child("policy"), origin)
                continue
            document = self.document(
                entry.child("policy"),
                kind=PolicyKind.PERMISSIONS,
                resource=instance.address,
                origin=origin,
            )
            if document is not None:
                holder.attach(document)
                if name is not None and name.text is not None:
                    holder.inline[name.text] = document

    def unknown_names(self, resource: _Instance, role: _Instance) -> None:
        """A note that an exclusive inline policy resource's ``policy_names`` is known only
        after apply, so the inline policies it removes from ``role`` are still analyzed."""
        where = self.ref(resource.get("policy_names").span)
        message = (
            f"{resource.address}: policy_names is known only after apply, so which inline"
            f" policies it removes from role {role.address} is not known; all of them are"
            " analyzed"
        )
        self.notices.append(InputError(self.file, message, where.line, where.column))

    def build_policies(self) -> None:
        """Every aws_iam_policy, built once whatever number of roles it is attached to; one
        whose text is known only after apply as the unread policy that stands for it."""
        for instance in self.of_type(POLICY):
            view = instance.get("policy")
            origin = tf_origins.managed_policy_origin(instance.address)
            unread: list[ManagedPolicyRef] = []
            document = self.document(
                view,
                kind=PolicyKind.PERMISSIONS,
                resource=instance.address,
                origin=origin,
                set_later=self.set_later(instance, "policy"),
                unread=unread,
            )
            if unread:
                # Attached, it is the policy of this plan whose text is not known yet, not
                # one the scanned files lack: a managed policy, held with that reason.
                self.unread_policies[instance.address] = replace(unread[0], inline=False)
            if document is not None:
                arn = instance.get("arn").value()
                known = arn.text if arn is not None else None
                document = replace(document, managed=True, arn=known)
                self.policy_documents[instance.address] = document

    def attach_inline_policies(self) -> None:
        """aws_iam_role_policy, aws_iam_user_policy and aws_iam_group_policy.

        Each replaces its holder's planned entry of the same name (see
        :meth:`_Holder.replace_inline`), its new text read or not: a plan that narrows a
        policy to a resource it creates knows the new text only after apply, and the entry
        still holds the old one, which is what the plan removes.
        """
        for instance in self.of_type(*INLINE_POLICIES):
            key, kind = INLINE_POLICIES[instance.type]
            targets, lost = self.linked(instance, key, kind, single=True)
            name = instance.get("name").value()
            origin = tf_origins.inline_policy_origin(instance.address)
            view = instance.get("policy")
            unread: list[ManagedPolicyRef] = []
            document = self.document(
                view,
                kind=PolicyKind.PERMISSIONS,
                resource=instance.address,
                origin=origin,
                unread=unread,
            )
            policy = document if document is not None else next(iter(unread), None)
            for target in targets:
                self.holders[target].replace_inline(name.text if name else None, policy)
            if document is None:
                continue
            if not targets:
                self.inventory.standalone_policies.append(document)
            if lost:
                self.unlinked(instance, [kind], [document])

    def not_analyzed(self, view: _View, origin: str) -> Value | None:
        """A note that the policy text ``view`` holds, which the plan knows only after apply,
        is not analyzed, and the unresolved text; None (and no note) when the text is known or
        not set.  A clean result is then known to be a lower bound, not "nothing to report"."""
        value = view.value()
        if value is None or value.text is not None:
            return None
        reason = value.unresolved_reason or UNKNOWN
        where = self.ref(view.span)
        message = f"the {origin} is not analyzed: {reason}"
        self.notices.append(InputError(self.file, message, where.line, where.column))
        return Value(None, where, reason)

    def attach_managed_policies(self) -> None:
        """The attachment resources, before the roles' own lists, so theirs are the positions."""
        for instance in self.of_type(*ATTACHMENTS):
            policy = self.managed_policy(instance, instance.get("policy_arn"), ("policy_arn",))
            held = False
            lost_kinds: list[str] = []
            for key, kind, single in ATTACHMENTS[instance.type]:
                targets, lost = self.linked(instance, key, kind, single=single)
                for target in targets:
                    self.give(self.holders[target], policy)
                held = held or bool(targets)
                if lost:
                    lost_kinds.append(kind)
            if not held:  # a holder of another state, or one known only after apply
                self.give_elsewhere([policy])
            if lost_kinds and policy is not None:
                self.unlinked(instance, lost_kinds, [] if held else [policy])
        for instance in self.of_type(*EXCLUSIVE_ATTACHMENTS):
            key, kind = EXCLUSIVE_ATTACHMENTS[instance.type]
            policies = self.listed_policies(instance, ("policy_arns",))
            targets, lost = self.linked(instance, key, kind, single=True)
            self.exclusively_attached.update(targets)
            for target in targets:
                for policy in policies:
                    self.give(self.holders[target], policy)
            if not targets:
                self.give_elsewhere(policies)
            if lost and policies:
                self.unlinked(instance, [kind], policies)

    def unlinked(
        self,
        instance: _Instance,
        kinds: list[str],
        policies: list[PolicyDocument | ManagedPolicyRef | None],
    ) -> None:
        """A notice that an attachment (a role policy) names a holder known only after apply
        which neither its references nor its name tell among this plan's, so it is linked to
        none; and what it attaches checked on its own rather than dropped.

        ``policies`` are those no holder got: a document of this plan stands alone unless
        another holder holds it, and an AWS managed policy is checked as a standalone document
        of the attachment.  The plan still says a holder gets them, so a finding is not lost;
        only which holder is.
        """
        nouns = " or ".join(kind.removeprefix("aws_iam_") for kind in kinds)
        checked = False
        for policy in policies:
            if isinstance(policy, ManagedPolicyRef):
                document = document_for(policy, instance.address, f"a {nouns} by")
                if document is not None:
                    self.inventory.standalone_policies.append(document)
                checked = checked or document is not None
            elif policy is not None:
                checked = True
        where = self.ref(instance.span)
        message = (
            f"{instance.address}: the {nouns} it attaches to is known only after apply and the"
            f" plan's references do not say which {nouns} of this plan it is, so none is linked"
            + ("; the policy is checked on its own" if checked else "")
        )
        self.notices.append(InputError(self.file, message, where.line, where.column))

    def attach_role_policy_arns(self, roles: list[_Instance]) -> None:
        """A role's ``managed_policy_arns``, but those the plan detaches from it when the list
        only mirrors its attachments (see :meth:`mirrored`)."""
        for instance in roles:
            detached: frozenset[str] = frozenset()
            if self.mirrored(instance, "managed_policy_arns"):
                if instance.address in self.exclusively_attached:
                    continue  # the exclusive attachment detaches every policy it does not list
                detached = self.removed_from(instance, self.changes.detached_policy_arns)
            path: AttrPath = ("managed_policy_arns",)
            for policy in self.listed_policies(instance, path, leave_out=detached):
                self.give(self.holders[instance.address], policy)

    def removed_from(
        self, instance: _Instance, removed: dict[str, frozenset[str]]
    ) -> frozenset[str]:
        """What the plan takes off a role (``removed``: role name -> names or ARNs), looked
        up by the role's known name; nothing when its name is not known before apply."""
        role_name = instance.get("name").value()
        if role_name is None or role_name.text is None:
            return frozenset()
        return removed.get(role_name.text, frozenset())

    def mirrored(self, instance: _Instance, key: str) -> bool:
        """Whether a role's ``managed_policy_arns`` only mirrors what is attached to it: the
        configuration does not set it.

        The provider then computes it from the role as it is before apply: attachments made
        outside this configuration, which stay on the role (the provider ignores them), and
        those of the plan's own attachment resources, even those the plan deletes.  So the
        list is the role's, but for what the plan detaches (:class:`_Changes`), or
        all of it when an exclusive attachment resource of the plan sets the role's whole list;
        the plan's attachment resources add what they attach.  A state has no configuration:
        there the role's list is what is deployed.
        """
        return self.configured(instance, (key,)) is False

    def attach_boundaries(self, holders: list[_Instance]) -> None:
        """A policy of this plan named as a role's (user's) permissions boundary limits it.

        As in HCL: the holder holds it as its boundary, and it grants nothing, so it is not
        checked as a standalone policy either.  A plan that creates the policy knows its ARN
        only after apply; the configuration's references then name it.
        """
        path: AttrPath = ("permissions_boundary",)
        for instance in holders:
            policy = self.managed_policy(instance, instance.get(*path), path)
            if not isinstance(policy, PolicyDocument):
                continue
            noun = "role" if instance.type == ROLE else "user"
            origin = f"permissions boundary {policy.resource} of {noun} {instance.address}"
            boundary = policy.as_boundary(origin)
            self.holders[instance.address].attach(boundary)
            self.attached.add(id(policy))

    def listed_policies(
        self, instance: _Instance, path: AttrPath, *, leave_out: frozenset[str] = frozenset()
    ) -> list[PolicyDocument | ManagedPolicyRef | None]:
        """What a list of policy ARNs names, but the ARNs of ``leave_out``; unknown elements
        are found by reference, and what the references do not account for is held as
        unread (see :meth:`unlisted`)."""
        view = instance.get(*path)
        found: list[PolicyDocument | ManagedPolicyRef | None] = []
        known: list[str] = []  # addresses of this plan's policies the known ARNs name
        unknown: list[_View] = []
        for item in view.items():
            arn = item.value()
            if item.is_unknown:
                unknown.append(item)
                continue
            if arn is not None and arn.text in leave_out:
                continue
            found.append(self.managed_policy(instance, item, path))
            address = self.policy_by_arn.get(arn.text) if arn and arn.text else None
            if address is not None:
                known.append(address)
        if view.is_unknown or unknown:
            count = None if view.is_unknown else len(unknown)
            linked = self.referenced_elements(instance, path, (POLICY,), known, count)
            found.extend(self.of_plan(address) for address in linked)
            found.extend(self.unlisted(instance, view, path, unknown, linked))
        return found

    def unlisted(
        self,
        instance: _Instance,
        view: _View,
        path: AttrPath,
        unknown: list[_View],
        linked: list[str],
    ) -> list[ManagedPolicyRef]:
        """The unread policies that stand for what a list of policy ARNs known only after
        apply holds beyond what its references say (``linked``), with a note; [] when the
        references account for all of it.

        Elements the plan marks one by one are each a policy: unread, unless the references
        name as many policies of this plan.  A set of the AWS provider is unknown as a whole,
        and the configuration records only its references: ``[aws_iam_policy.p.arn,
        "arn:aws:iam::aws:policy/AdministratorAccess"]`` and ``[aws_iam_policy.p.arn]`` look
        the same, and a variable or a condition among the references
        (``concat([aws_iam_policy.p.arn], var.extra)``) says nothing of which policies are
        listed.  So such a set holds one unread policy beside what is linked, which may stand
        for nothing (a quota does not count it): the holder's access is then a lower bound,
        not "none".  Not a set the configuration does not set: the provider computes it from
        what is attached (see :meth:`mirrored`)."""
        if unknown:
            if linked:
                return []
            references = [
                ManagedPolicyRef(Value(None, self.ref(item.span), UNKNOWN)) for item in unknown
            ]
        elif self.configured(instance, path):
            references = [
                maybe_attached(ManagedPolicyRef(Value(None, self.ref(view.span), UNKNOWN)))
            ]
        else:
            return []
        attribute = ".".join(str(key) for key in path)
        if linked:
            message = (
                f"{instance.address}: {attribute} is known only after apply; the plan's"
                f" references say it holds {', '.join(linked)} but not what else it lists,"
                " which is not analyzed"
            )
        else:
            named, _, _ = self.references(instance, path, (POLICY,), whole=True)
            perhaps = f" (it may list {', '.join(named)})" if named else ""
            message = (
                f"{instance.address}: {attribute} is known only after apply and the plan's"
                f" references do not say which policies it lists{perhaps}, so they are not"
                " analyzed"
            )
        where = self.ref(view.span)
        self.notices.append(InputError(self.file, message, where.line, where.column))
        return references

    def permission_sets(self) -> None:
        """IAM Identity Center permission sets, as the HCL reader takes them: the policies of
        ``aws_ssoadmin_permission_set_inline_policy`` and of
        ``aws_ssoadmin_managed_policy_attachment`` stand alone, each marked with the key of
        the set it names where that is known (PolicyDocument.permission_set: the plan and the
        set's address, or its ARN), so that the rules judge a set's policies together, under
        the boundary of their set (see :mod:`rolelint.parsers.permission_set_boundaries`); the
        customer managed policies an ``aws_ssoadmin_customer_managed_policy_attachment`` names
        are recorded.  A ``managed_policy_arn`` Identity Center refuses
        (holder.not_an_aws_managed_arn: a name, a customer managed policy's ARN) is the note HCL
        gives, and attaches nothing: the plan's apply fails there."""
        boundaries: dict[str, Value] = {}
        for instance in self.of_type(permission_sets.BOUNDARY_ATTACHMENT):
            key = self.permission_set(instance)
            if key is not None:
                boundaries.setdefault(key, self.permission_set_boundary(instance))
        own = {instance.address for instance in self.of_type(permission_sets.PERMISSION_SET)}
        for instance in self.of_type(permission_sets.INLINE_POLICY):
            document = self.document(
                instance.get("inline_policy"),
                kind=PolicyKind.PERMISSIONS,
                resource=instance.address,
                origin=permission_sets.inline_policy_origin(instance.address),
                set_later=self.set_later(instance, "inline_policy"),
            )
            if document is not None:
                self.inventory.standalone_policies.append(
                    self.of_set(document, instance, boundaries)
                )
        for instance in self.of_type(permission_sets.MANAGED_POLICY_ATTACHMENT):
            arn = instance.get("managed_policy_arn").value()
            key = self.permission_set(instance)
            holder = key if key in own else instance.address
            if arn is None:
                continue
            refused = not_an_aws_managed_arn(arn)
            if refused is not None:  # a name, a customer managed policy's ARN
                message = f"managed_policy_arn of {instance.address}: {refused}"
                self.notices.append(InputError(self.file, message, arn.ref.line, arn.ref.column))
                continue
            self.inventory.permission_set_policies.append(
                PermissionSetPolicy(ManagedPolicyRef(arn), holder)
            )
            managed = permission_sets.managed_policy(arn, holder)
            if managed is not None:
                self.inventory.standalone_policies.append(
                    self.of_set(managed, instance, boundaries)
                )
        for instance in self.of_type(permission_sets.CUSTOMER_POLICY_ATTACHMENT):
            key = self.permission_set(instance)
            holder = key if key in own else instance.address
            policy = self.customer_policy(instance, holder)
            if key is not None:  # held by the set's role, as of_set marks its policies
                policy = replace(policy, key=f"{self.file}#{key}")
            self.inventory.permission_set_customer_policies.append(policy)

    def customer_policy(self, instance: _Instance, holder: str) -> PermissionSetCustomerPolicy:
        """The customer managed policy an ``aws_ssoadmin_customer_managed_policy_attachment``
        attaches by name and path: unresolved when known only after apply or not read, a name
        that may be any policy's."""
        reference = instance.get("customer_managed_policy_reference", 0)
        name = reference.child("name").value()
        if name is None:
            reason = "a customer_managed_policy_reference not read"
            name = Value(None, self.ref(instance.span), reason)
        return PermissionSetCustomerPolicy(name, reference.child("path").value(), holder)

    def of_set(
        self, document: PolicyDocument, instance: _Instance, boundaries: dict[str, Value]
    ) -> PolicyDocument:
        """``document`` of the permission set ``instance`` names, under that set's boundary and
        held with its other policies (PolicyDocument.permission_set); as it is when the set is
        not known (an ARN known only after apply that no reference says)."""
        key = self.permission_set(instance)
        if key is None:
            return document
        if key in boundaries:
            document = permission_set_boundaries.bounded(document, boundaries[key], key)
        return replace(document, permission_set=f"{self.file}#{key}")

    def permission_set_boundary(self, instance: _Instance) -> Value:
        """What the ``permissions_boundary`` block of an attachment names: the
        ``managed_policy_arn``, or the name (and path) of ``customer_managed_policy_reference``;
        unresolved when it is neither, or not known before apply."""
        boundary = instance.get("permissions_boundary", 0)
        reference = boundary.child("customer_managed_policy_reference").child(0)
        name = reference.child("name").value() if reference.present else None
        if name is not None:
            return permission_set_boundaries.customer_managed(name, reference.child("path").value())
        arn = boundary.child("managed_policy_arn").value()
        if arn is not None:
            return arn  # unresolved, too, when the block is known only after apply
        return Value(None, self.ref(instance.span), "a permissions_boundary rolelint cannot read")

    def permission_set(self, instance: _Instance) -> str | None:
        """The permission set ``permission_set_arn`` names: the address of a set of this plan
        (by its known ARN, else by the configuration's reference), else the ARN as written;
        None when it is not known which."""
        path: AttrPath = ("permission_set_arn",)
        arn = instance.get(*path).value()
        if arn is None:
            return None
        if arn.text is not None:
            return self.permission_set_by_arn.get(arn.text, arn.text)
        kinds = (permission_sets.PERMISSION_SET,)
        found = self.referenced(instance, path, kinds, single=True)
        return found[0] if found else None

    def link_profiles(self) -> None:
        """Each role's instance profiles: by address, as its compute resources name them, and
        by ARN, as an ``ec2:InstanceProfile`` test names them."""
        for instance in self.of_type(INSTANCE_PROFILE):
            for target in self.targets(instance, "role", ROLE, single=True):
                self.holders[target].profiles.append(instance.address)
                self.holders[target].profile_arns.append(self.iam_arn(instance, "instance-profile"))

    def finish_role(self, instance: _Instance) -> Role:
        holder = self.holders[instance.address]
        unread: list[ManagedPolicyRef] = []
        for view, origin in holder.unknown_inline.values():
            # An entry whose text is known only after apply (a policy naming a resource the
            # plan creates) may grant anything: unread, with a note, not silently nothing.
            kind = PolicyKind.PERMISSIONS
            self.document(view, kind=kind, resource=instance.address, origin=origin, unread=unread)
        for reference in unread:
            holder.add_managed(reference)
        trust = self.document(
            instance.get("assume_role_policy"),
            kind=PolicyKind.TRUST,
            resource=instance.address,
            origin=tf_origins.trust_policy_origin(instance.address),
            set_later=self.set_later(instance, "assume_role_policy"),
        )
        duration = instance.get("max_session_duration").value()
        return Role(
            id=instance.address,
            ref=self.ref(instance.span),
            arn=self.iam_arn(instance, "role"),
            name=instance.get("name").value(),
            path=instance.get("path").value(),
            trust_policy=trust,
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            permissions_boundary=instance.get("permissions_boundary").value(),
            max_session_duration=(duration,) if duration is not None else (),
            instance_profiles=tuple(holder.profiles),
            deployed=self.deployed,
            instance_profile_arns=tuple(holder.profile_arns),
        )

    def finish_identity(self, instance: _Instance, groups: dict[str, list[str]]) -> Identity:
        holder = self.holders[instance.address]
        is_user = instance.type == USER
        return Identity(
            kind=IdentityKind.USER if is_user else IdentityKind.GROUP,
            id=instance.address,
            ref=self.ref(instance.span),
            arn=self.iam_arn(instance, "user" if is_user else "group"),
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            groups=tuple(dict.fromkeys(groups.get(instance.address, ()))),
            permissions_boundary=instance.get("permissions_boundary").value() if is_user else None,
        )

    def memberships(self) -> dict[str, list[str]]:
        """The groups of this plan each user belongs to (by address): a user holds its groups'
        policies, as HCL reads them."""
        found: dict[str, list[str]] = {}
        for instance in self.of_type(GROUP_MEMBERSHIP):
            groups = self.targets(instance, "group", GROUP, single=True)
            for user in self.targets(instance, "users", USER, single=False):
                found.setdefault(user, []).extend(groups)
        for instance in self.of_type(USER_GROUP_MEMBERSHIP):
            groups = self.targets(instance, "groups", GROUP, single=False)
            for user in self.targets(instance, "user", USER, single=True):
                found.setdefault(user, []).extend(groups)
        return found

    def iam_arn(self, instance: _Instance, noun: str) -> Value:
        """The known ARN, else the one other roles' policies can be matched against: in the
        caller's account when the plan knows it, else in the symbolic account."""
        arn = instance.get("arn").value()
        if arn is not None and arn.text is not None:
            return arn
        name = instance.get("name").value()
        path = instance.get("path").value()
        prefix = path.text if path is not None and path.text else "/"
        if name is not None and name.text is not None:
            own = name.text
        else:
            name_prefix = instance.get("name_prefix").value()
            start = name_prefix.text if name_prefix is not None and name_prefix.text else ""
            own = f"{start}{generated_name(self.file, instance.address)}"
        return Value(f"arn:aws:iam::{self.account}:{noun}{prefix}{own}", self.ref(instance.span))

    # --- compute ---------------------------------------------------------------------------------

    def compute(self) -> Iterator[ComputeResource]:
        for instance in self.of_type(
            EC2_INSTANCE, SPOT_INSTANCE_REQUEST, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE
        ):
            refused = False  # its profile is an ARN EC2 refuses: it launches nothing
            if instance.type == LAUNCH_TEMPLATE:
                profile = self.template_profile(instance)
            elif instance.type == LAUNCH_CONFIGURATION:  # Auto Scaling takes a name or an ARN
                profile = self.profile(instance, ("iam_instance_profile",), by_arn=True)
            else:  # EC2 takes an instance's as a name
                refused = self.refused_profile(instance)
                profile = None if refused else self.profile(instance, ("iam_instance_profile",))
            tokens, options_ref = self.http_tokens(instance)
            key = "ami" if instance.type in (EC2_INSTANCE, SPOT_INSTANCE_REQUEST) else "image_id"
            own = tokens is not None or self.configured(instance, (key,))
            if profile is None and key == "ami" and own and not refused:
                profile = self.profile_of_template(instance)
            if instance.type != LAUNCH_TEMPLATE and tokens is None:
                tokens, options_ref = self.template_tokens(instance, options_ref)
            ami = self.ami_parameter(instance, key)
            if ami is None and key == "ami" and self.configured(instance, (key,)) is False:
                ami = self.template_ami(instance)  # it launches its launch template's AMI
            yield ComputeResource(
                id=instance.address,
                ref=self.ref(instance.span),
                kind=instance.type,
                instance_profile=profile,
                http_tokens=tokens,
                metadata_options_ref=options_ref,
                ami_parameter=ami,
            )
        for instance in self.of_type(EKS_NODE_GROUP):
            yield from self.node_group(instance)

    def node_group(self, instance: _Instance) -> Iterator[ComputeResource]:
        """An EKS managed node group, as the HCL reader takes it: its nodes run with its
        ``node_role_arn``, which EKS hands them in an instance profile of its own making, and
        with the metadata options of the launch template its ``launch_template`` block names,
        once per role a conditional may give it.  Without such a block EKS creates a template
        of its own, which rolelint cannot see."""
        view = instance.get("launch_template")
        if view.is_unknown and self.configured(instance, ("launch_template",)) is False:
            own = True  # computed by the provider: not set in the configuration
        else:
            own = not view.is_unknown and not view.items()
        tokens: Value | None
        if own:
            tokens = Value(None, self.ref(instance.span), TOKENS_FROM_EKS_LAUNCH_TEMPLATE)
            options_ref = None
        else:
            tokens, options_ref = self.template_tokens(instance, None)
        ami = None if own else self.template_ami(instance)
        for role in self.node_roles(instance):
            yield ComputeResource(
                id=instance.address,
                ref=self.ref(instance.span),
                kind=instance.type,
                instance_profile=None,
                http_tokens=tokens,
                metadata_options_ref=options_ref,
                node_role=role,
                ami_parameter=ami,
            )

    def ami_parameter(self, instance: _Instance, key: str) -> Value | None:
        """The SSM parameter the AMI attribute ``key`` is read from (see :mod:`tf_ami`): the
        parameter of a ``resolve:ssm:`` AMI, or, by the configuration's references, the
        constant ``name`` of the one ``data "aws_ssm_parameter"`` whose value it is (the plan
        holds the AMI id the parameter had when planned).  None for any other AMI."""
        value = instance.get(key).value()
        if value is None:
            return None
        parameter = launch_parameter(value.text)
        if parameter is not None:
            return Value(parameter, value.ref)
        expression = _expression(instance.expressions, (key,))
        references = expression.get("references") if isinstance(expression, PMap) else None
        sources: set[str] = set()
        for text in references if isinstance(references, PSeq) else ():
            parts = text.split(".") if isinstance(text, str) else []
            if parts[:2] != ["data", SSM_PARAMETER] or len(parts) < 3:
                return None  # anything else (a conditional's variable, an index): not known
            if len(parts) > 3 and parts[3] not in SSM_VALUE_ATTRIBUTES:
                return None
            sources.add(".".join(parts[:3]))
        if len(sources) != 1:
            return None
        module = _module_path(instance.module)
        found = self.config.get((module, sources.pop()))
        name = _expression(found[0], ("name", "constant_value")) if found else None
        return Value(name, value.ref) if isinstance(name, str) and name else None

    def template_ami(self, instance: _Instance) -> Value | None:
        """The SSM parameter of the AMI of the launch template of this plan an instance's
        (a node group's) ``launch_template`` block names."""
        template = self.launch_template(instance)
        return self.ami_parameter(template, "image_id") if template is not None else None

    def node_roles(self, instance: _Instance) -> list[Value | None]:
        """The roles of this plan ``node_role_arn`` may name (their addresses): by the
        configuration's references (``aws_iam_role.node.arn``, ``each.value.arn`` over the
        roles), else by its known ARN; else the ARN as written (unresolved when known only
        after apply); ``[None]`` when it has none.

        An ARN known only after apply whose expression refers to several roles of the plan,
        each one instance (``var.gpu ? aws_iam_role.a.arn : aws_iam_role.b.arn``), is one of
        them in each deployment: each is named, as the HCL reader names each branch's role.
        (The plan records the expression's references, not the expression, so which one the
        plan's variables choose is not known.)
        """
        path: AttrPath = ("node_role_arn",)
        arn = instance.get(*path).value()
        if arn is None:
            return [None]
        found, ambiguous, _ = self.references(instance, path, (ROLE,))
        if not ambiguous and (len(found) == 1 or (found and arn.text is None)):
            return [Value(address, arn.ref) for address in found]
        address = self.by_text(self.role_by_arn, arn, instance, "role")
        return [Value(address, arn.ref) if address is not None else arn]

    def template_profile(self, instance: _Instance) -> Value | None:
        """A launch template's ``iam_instance_profile`` block names the profile by name or ARN.

        A block the plan knows to be absent (``[]``, as states and plans write an unset block,
        or ``null``) names none: its first element is missing because there is none, not
        because it is known only after apply, so no profile is exposed.
        """
        block = instance.get("iam_instance_profile")
        if block.is_unknown:
            return self.profile(instance, ("iam_instance_profile",))
        if not block.items():
            return None
        named = [
            value
            for key in ("name", "arn")
            if (value := self.profile(instance, ("iam_instance_profile", 0, key), by_arn=True))
            is not None
        ]
        return next((value for value in named if value.text is not None), next(iter(named), None))

    def profile_of_template(self, instance: _Instance) -> Value | None:
        """The instance profile an instance naming none takes from the launch template of this
        plan its ``launch_template`` block names, at that block: it runs with the template's
        role.  Asked only of an instance that sets its own AMI or tokens, since they override
        the template's: one that sets neither launches what the template does, which the
        template's own entry already says (and RL501 reports there once), as the HCL and
        CloudFormation readers take it."""
        template = self.launch_template(instance)
        profile = self.template_profile(template) if template is not None else None
        blocks = instance.get("launch_template").items()
        if profile is None or not blocks:
            return None
        return replace(profile, ref=self.ref(blocks[0].span))

    def profile(self, instance: _Instance, path: AttrPath, *, by_arn: bool = False) -> Value | None:
        """The instance profile an attribute names: a profile of this plan by its address.
        Where the attribute takes an ARN (``by_arn``: a launch template's, a launch
        configuration's), an ARN no profile's known ARN is finds the plan's profile of its
        name, as the HCL reader links it (:meth:`profile_of_arn`); else it is kept as written,
        and names the profile of that ARN in any file of the run.

        Unknown because it is not configured (the provider computes it) means no profile.
        """
        value = instance.get(*path).value()
        if value is None:
            return None
        found = self.referenced(instance, path, (INSTANCE_PROFILE,), single=True)
        if found:
            return Value(found[0], value.ref)
        if value.text is not None:
            address = self.by_text(self.profile_by_name, value, instance, "instance profile")
            if address is None and by_arn:
                address = self.profile_of_arn(value, instance)
            return Value(address, value.ref) if address is not None else value
        if self.configured(instance, path) is False:
            return None
        return value

    def refused_profile(self, instance: _Instance) -> bool:
        """Whether an instance's own ``iam_instance_profile`` is a value EC2 refuses there (an
        ARN, instance_profiles.not_a_profile_name), with a note at it, as the HCL reader
        judges it: the instance names no profile.  A value known only after apply is not
        judged (the plan records only what it refers to, not whether it is an ARN)."""
        value = instance.get("iam_instance_profile").value()
        if value is None:
            return False
        where = f"iam_instance_profile of {instance.address}"
        return not launched_profiles(
            [value],
            lambda refused, why: self.notices.append(
                InputError(self.file, f"{where}: {why}", refused.ref.line, refused.ref.column)
            ),
        )

    def profile_of_arn(self, arn: Value, user: _Instance) -> str | None:
        """The profile of this plan an instance profile's ARN names by its name (the last part
        of ``instance-profile/path/name``, instance_profiles.profile_name, which the HCL reader
        finds the tree's profile by): a profile the plan creates has its ARN known only after
        apply, so the ARN alone found none and RL501 named no role.  Not one of another
        account: when the plan knows its account (_plan_account) and the ARN gives another,
        the ARN names that account's profile, not this one."""
        named = profile_name(arn)
        if named is arn:
            return None  # no profile's ARN
        account = (arn.text or "").split(":")[4]
        if self.account != THIS_ACCOUNT and account != self.account:
            return None
        return self.by_text(self.profile_by_name, named, user, "instance profile")

    def http_tokens(self, instance: _Instance) -> tuple[Value | None, SourceRef | None]:
        """``metadata_options[0].http_tokens``; None when the configuration does not set it.

        The provider computes the block when it is not configured, so the plan shows it unknown;
        AWS then applies its default (optional tokens), as for an absent CloudFormation property.
        With ``http_endpoint = "disabled"`` the metadata service answers nothing, so there are
        no credentials to expose whatever the tokens: the value is unresolved with that reason,
        as the HCL and CloudFormation readers make it.
        """
        view = instance.get("metadata_options")
        options_ref = self.ref(view.span) if view.present else None
        if view.is_unknown:
            if self.configured(instance, ("metadata_options",)) is False:
                return None, None
            return Value(None, self.ref(view.span), UNKNOWN), options_ref
        if not view.items():
            return None, options_ref
        endpoint = instance.get("metadata_options", 0, "http_endpoint").value()
        if endpoint is not None and (endpoint.text or "").lower() == "disabled":
            return Value(None, self.ref(view.span), METADATA_SERVICE_DISABLED), options_ref
        path: AttrPath = ("metadata_options", 0, "http_tokens")
        tokens = instance.get(*path)
        if tokens.is_unknown and self.default_tokens(instance, path):
            return None, options_ref
        return tokens.value(), options_ref

    def default_tokens(self, instance: _Instance, path: AttrPath) -> bool:
        """Whether tokens the plan knows only after apply are AWS's default: the configuration
        writes a ``metadata_options`` block that does not set them.

        Not when the configuration has no such block while the plan has one: Terraform leaves
        ``dynamic`` blocks out of the configuration, and an unconfigured block the provider
        computes is unknown as a whole.  The tokens may then be set from a value known only
        after apply (``http_tokens = data.aws_ssm_parameter.imds.value``).
        """
        return (
            bool(self.configured(instance, path[:1])) and self.configured(instance, path) is False
        )

    def template_tokens(
        self, instance: _Instance, options_ref: SourceRef | None
    ) -> tuple[Value | None, SourceRef | None]:
        """The tokens an instance that sets none takes from its ``launch_template`` block.

        EC2 applies the launch template's metadata options to an instance that does not set
        its own, so the template's setting is the instance's: that of this plan's template when
        the block names one, else unresolved (a template rolelint cannot see).  No block: the
        instance's own (absent) setting stands.
        """
        view = instance.get("launch_template")
        node_group = instance.type == EKS_NODE_GROUP
        unseen = (
            TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE if node_group else TOKENS_FROM_LAUNCH_TEMPLATE
        )
        if view.present and view.unknown is True:  # a block generated from unknown values
            if self.configured(instance, ("launch_template",)) is False:
                return None, options_ref
            return Value(None, self.ref(view.span), unseen), options_ref
        blocks = view.items()
        if not blocks:
            return None, options_ref
        template = self.launch_template(instance)
        if template is None:
            return Value(None, self.ref(blocks[0].span), unseen), options_ref
        tokens, template_ref = self.http_tokens(template)
        return tokens, template_ref or options_ref

    def launch_template(self, instance: _Instance) -> _Instance | None:
        """The launch template of this plan an instance's ``launch_template`` block names: by
        its known id (a state), else by the configuration's reference
        (``id = aws_launch_template.app.id``).  Not by name alone: names are only unique in
        a region, and a plan may hold several."""
        templates = {template.address: template for template in self.of_type(LAUNCH_TEMPLATE)}
        by_id = self.index(LAUNCH_TEMPLATE, ("id",))
        for key in ("id", "name"):
            path: AttrPath = ("launch_template", 0, key)
            value = instance.get(*path).value()
            if value is None:
                continue
            if key == "id" and value.text is not None and value.text in by_id:
                return templates[by_id[value.text]]
            found = self.referenced(instance, path, (LAUNCH_TEMPLATE,), single=True)
            if found:
                return templates[found[0]]
        return None


# --- reading the plan's sections ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Changes:
    """What the plan's ``resource_changes`` say, read in one pass.

    ``after_unknown``: resource address -> its ``change.after_unknown`` marks, but those of a
    deposed object's change (``deposed``: it has the current object's address and, listed
    after it, would replace its marks with the empty ones of a delete).
    ``destroyed_role_policies``: role name -> the names of the ``aws_iam_role_policy``
    resources the plan destroys (or replaces) on it, as known before apply.
    ``detached_policy_arns``: role name -> the policy ARNs the plan's attachment resources
    detach from it: attached before apply (``before``), not after (``after``; null when the
    resource is destroyed).  A role's unconfigured ``managed_policy_arns`` still lists them
    (the provider plans it as the role is before apply).  An attachment the plan replaces,
    or one whose new role or ARN is known only after apply, counts as detached: the resource
    itself gives the role what it attaches after apply.
    """

    after_unknown: dict[str, Any]
    destroyed_role_policies: dict[str, frozenset[str]]
    detached_policy_arns: dict[str, frozenset[str]]


def _read_changes(root: PMap, malformed: Malformed) -> _Changes:
    """What ``resource_changes`` says (see :class:`_Changes`).  A part of a type Terraform
    never writes is reported to ``malformed`` and skipped: read as no change, it would drop
    the deletes and the marks of values known only after apply, so a role would be read as it
    is before apply."""
    marks: dict[str, Any] = {}
    destroyed: dict[str, set[str]] = {}
    detached: dict[str, set[str]] = {}
    for index, (change, at) in enumerate(_listed(root, "resource_changes", "", malformed)):
        where = f"resource_changes[{index}]"
        if not isinstance(change, PMap):
            malformed(f"{where} is not an object; it is skipped", at)
            continue
        detail = change.get("change")
        if not isinstance(detail, PMap):
            if "change" in change:
                message = f"{where}.change is not an object; it is skipped"
                malformed(message, change.span_of("change"))
            continue
        kind, address = change.get("type"), change.get("address")
        unknown = detail.get("after_unknown")
        if not isinstance(unknown, (PMap, bool)) and "after_unknown" in detail:
            message = f"{where}.change.after_unknown is not an object; it is ignored"
            malformed(message, detail.span_of("after_unknown"))
            unknown = None
        if change.get("deposed") is None and isinstance(address, str):
            marks[address] = unknown
        if kind == "aws_iam_role_policy":
            _destroyed_role_policy(detail, destroyed)
        elif kind in ATTACHMENTS:
            for key, holder, _ in ATTACHMENTS[kind]:
                if holder != ROLE:
                    continue
                kept = _attached_pairs(detail.get("after"), key)
                for role, arn in _attached_pairs(detail.get("before"), key) - kept:
                    detached.setdefault(role, set()).add(arn)
    return _Changes(
        marks,
        {role: frozenset(names) for role, names in destroyed.items()},
        {role: frozenset(arns) for role, arns in detached.items()},
    )


def _destroyed_role_policy(detail: PMap, destroyed: dict[str, set[str]]) -> None:
    """The role and name of an ``aws_iam_role_policy`` the change deletes, into ``destroyed``."""
    actions = detail.get("actions")
    before = detail.get("before")
    if not (isinstance(actions, PSeq) and "delete" in actions and isinstance(before, PMap)):
        return
    role, name = before.get("role"), before.get("name")
    if isinstance(role, str) and isinstance(name, str):
        destroyed.setdefault(role, set()).add(name)


def _attached_pairs(values: Any, key: str) -> set[tuple[str, str]]:
    """(holder name, policy ARN) of each holder an attachment's ``before`` or ``after`` names
    in ``key`` (one name, or a list of them)."""
    if not isinstance(values, PMap) or not isinstance(arn := values.get("policy_arn"), str):
        return set()
    names = values.get(key)
    return {
        (name, arn)
        for name in (names if isinstance(names, PSeq) else [names])
        if isinstance(name, str)
    }


def _configuration_index(root: PMap, malformed: Malformed) -> ConfigIndex:
    """(module path, ``type.name``) -> the resource's configuration ``expressions``.  A part
    of a type Terraform never writes is reported to ``malformed`` and skipped: read as
    nothing, every attribute would look unset and every reference gone."""
    index: ConfigIndex = {}
    if "configuration" not in root:
        return index
    configuration = root["configuration"]
    if not isinstance(configuration, PMap):
        malformed("configuration is not an object; it is ignored", root.span_of("configuration"))
    elif "root_module" in configuration:
        span = configuration.span_of("root_module")
        module = configuration["root_module"]
        _index_module(module, (), index, ("configuration.root_module", span), malformed)
    return index


def _index_module(
    module: Any,
    path: tuple[str, ...],
    index: ConfigIndex,
    place: tuple[str, Span | None],
    malformed: Malformed,
) -> None:
    """The resources of one module of the configuration and, depth first, of the modules it
    calls; ``place`` is the module's path in the file and its position, for ``malformed``."""
    where, span = place
    if not isinstance(module, PMap):
        malformed(f"{where} is not an object; it is ignored", span)
        return
    for number, (resource, at) in enumerate(_listed(module, "resources", where, malformed)):
        if not isinstance(resource, PMap):
            malformed(f"{where}.resources[{number}] is not an object; it is skipped", at)
            continue
        address = resource.get("address")
        if not isinstance(address, str):
            continue
        expressions = resource.get("expressions", PMap())
        if not isinstance(expressions, PMap):
            message = f"{where}.resources[{number}].expressions is not an object; it is ignored"
            malformed(message, resource.span_of("expressions"))
            expressions = PMap()
        provider = resource.get("provider_config_key")
        index[(path, address)] = (
            expressions,
            provider if isinstance(provider, str) else "",
            _iterated(resource),
        )
    if "module_calls" not in module:
        return
    calls = module["module_calls"]
    if not isinstance(calls, PMap):
        malformed(
            f"{where}.module_calls is not an object; it is ignored", module.span_of("module_calls")
        )
        return
    for name, call in calls.items():
        call_path = f"{where}.module_calls.{name}"
        if not isinstance(call, PMap):
            malformed(f"{call_path} is not an object; it is ignored", calls.span_of(name))
        elif "module" in call:
            place = (f"{call_path}.module", call.span_of("module"))
            _index_module(call["module"], (*path, str(name)), index, place, malformed)


def _iterated(resource: PMap) -> str:
    """The resource a configuration resource's ``for_each`` goes over, when its expression
    refers to that one resource and nothing else (``for_each = aws_iam_role.x``, or a ``for``
    expression over it); "" otherwise.

    Its instances then have the keys of that resource's instances, and ``each.value`` of one
    is the instance with the same key: ``role = each.value.id`` names ``aws_iam_role.x["app"]``
    for the instance ``["app"]``.
    """
    expression = resource.get("for_each_expression")
    references = expression.get("references") if isinstance(expression, PMap) else None
    bases: set[str] = set()
    for text in references if isinstance(references, PSeq) else ():
        match = _REFERENCE.match(text) if isinstance(text, str) else None
        if match is None or match["index"]:
            return ""
        bases.add(match["base"])
    return bases.pop() if len(bases) == 1 else ""


def _module_path(address: str) -> tuple[str, ...]:
    """``module.a["x"].module.b`` -> ("a", "b"): the module calls, without instance keys."""
    return tuple(_MODULE_NAME.findall(_MODULE_INDEX.sub("", address)))


def _instances(
    file: str,
    root: PMap,
    key: str,
    unknowns: dict[str, Any],
    config: ConfigIndex,
    malformed: Malformed,
) -> Iterator[_Instance]:
    """Every managed resource of the root module of ``root[key]`` (``planned_values``, or a
    state's ``values``) and, depth first, of its child modules.

    A part of a type Terraform never writes (a null, an object for a list) is reported to
    ``malformed`` and skipped; a part left out is simply empty, as Terraform leaves out what
    has nothing (a module without resources, a state without any).
    """
    values_root = root.get(key)
    if not isinstance(values_root, PMap):
        malformed(f"{key} is not an object; it is ignored", root.span_of(key))
        return
    pending: list[tuple[Any, str, Span | None]] = []
    if "root_module" in values_root:
        span = values_root.span_of("root_module")
        pending.append((values_root["root_module"], f"{key}.root_module", span))
    while pending:
        module, path, span = pending.pop(0)
        if not isinstance(module, PMap):
            malformed(f"{path} is not an object; it is ignored", span)
            continue
        address = module.get("address")
        module_address = address if isinstance(address, str) else ""
        for index, (node, at) in enumerate(_listed(module, "resources", path, malformed)):
            where = f"{path}.resources[{index}]"
            instance = _instance(file, node, module_address, unknowns, config, where, at, malformed)
            if instance is not None:
                yield instance
        children = _listed(module, "child_modules", path, malformed)
        pending[:0] = [
            (child, f"{path}.child_modules[{index}]", at)
            for index, (child, at) in enumerate(children)
        ]


def _listed(
    module: PMap, key: str, path: str, malformed: Malformed
) -> list[tuple[Any, Span | None]]:
    """The elements of the list ``key`` of a module (or of the plan, ``path`` "") with their
    positions; [] when it has none, or when it is no list (reported)."""
    if key not in module:
        return []
    items = module[key]
    if not isinstance(items, PSeq):
        where = f"{path}.{key}" if path else key
        malformed(f"{where} is not a list; it is ignored", module.span_of(key))
        return []
    return [(item, items.span_at(index)) for index, item in enumerate(items)]


def _instance(
    file: str,
    node: Any,
    module: str,
    unknowns: dict[str, Any],
    config: ConfigIndex,
    path: str,
    at: Span | None,
    malformed: Malformed,
) -> _Instance | None:
    """One resource of ``planned_values`` (``path``, at ``at``); None for data sources and for
    malformed entries (reported)."""
    if not isinstance(node, PMap):
        malformed(f"{path} is not an object; it is skipped", at)
        return None
    if node.get("mode", "managed") != "managed":
        return None
    kind, name, values = node.get("type"), node.get("name"), _values(node)
    if not (isinstance(kind, str) and isinstance(name, str)):
        malformed(f"{path} has no type or name; it is skipped", at)
        return None
    if not isinstance(values, PMap):
        malformed(
            f"{path}.values is not an object; the resource is skipped", node.span_of("values")
        )
        return None
    address = node.get("address")
    if not isinstance(address, str):
        address = f"{module}.{kind}.{name}" if module else f"{kind}.{name}"
    span = node.span_of("address") if "address" in node else node.span
    expressions, provider, iterates = config.get(
        (_module_path(module), f"{kind}.{name}"), (None, "", "")
    )
    deposed = node.get("deposed_key")
    return _Instance(
        address=address,
        type=kind,
        name=name,
        module=module,
        span=span,
        view=_View(file, values, unknowns.get(address), span),
        expressions=expressions,
        provider=provider,
        iterates=iterates,
        deposed=deposed if isinstance(deposed, str) and deposed else "",
    )


def _values(node: PMap) -> Any:
    """A resource's ``values``; an empty mapping when Terraform left the key out.

    Terraform drops every attribute known only after apply from ``planned_values`` and omits a
    ``values`` that is left empty (an attached-but-null attribute would still be listed): an
    attachment whose ``role`` and ``policy_arn`` both name resources of the same plan has no
    ``values`` at all.  Every attribute of it is unknown, which the configuration's references
    resolve, so the resource must not be dropped.
    """
    return node["values"] if "values" in node else PMap(node.span)


def _expression(expressions: PMap | None, path: AttrPath) -> Any:
    """The configuration expression at ``path`` (blocks are lists of mappings); None if unset."""
    node: Any = expressions
    for key in path:
        if isinstance(node, PMap) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, PSeq) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return None
    return node


def _label(name: Value | None) -> str:
    return name.display() if name is not None else "?"
