"""Terraform modules turned into the role model: roles, their policies, users, groups, instances.

Resources are named by their Terraform address (``aws_iam_role.deploy``,
``module.ci.aws_iam_role.this``).  Policies are linked to roles the way Terraform links them: by
the role name or policy ARN an attachment evaluates to, which for a role without a literal name is
a generated stand-in that only a reference to that very role produces.  A local module
(``source = "./modules/x"``) is followed with the values its caller passes; a registry or git
module is not read, and said so once.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, TypeVar

from rolelint.findings import InputError
from rolelint.model import (
    METADATA_SERVICE_DISABLED,
    NODE_ROLE_BY_CONDITION,
    ROLE_DEFAULT_SESSION_SECONDS,
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
    SessionRequest,
    SourceProblem,
    Value,
    literal_accounts,
)
from rolelint.parsers import permission_set_boundaries, tf_origins
from rolelint.parsers import tf_permission_sets as permission_sets
from rolelint.parsers.ec2_ami import launch_parameter
from rolelint.parsers.hcl_ast import (
    Attribute,
    Block,
    Body,
    Expr,
    GetAttr,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
)
from rolelint.parsers.holder import (
    Holder,
    chosen_references,
    maybe_attached,
    not_an_arn,
    not_an_aws_managed_arn,
    unread_policy,
)
from rolelint.parsers.instance_profiles import launched_profiles, profile_name
from rolelint.parsers.paired_branches import deployed_where
from rolelint.parsers.policy_builder import PolicyBuilder
from rolelint.parsers.tf_ami import SSM_PARAMETER, SSM_VALUE_ATTRIBUTES
from rolelint.parsers.tf_budget import TOO_MANY_MODULES
from rolelint.parsers.tf_calls import is_local_source, module_directory
from rolelint.parsers.tf_dynamic import DynamicBlocks, deployed_under, uncertain
from rolelint.parsers.tf_eval import (
    DocumentJson,
    EncodedMap,
    as_text,
    file_of,
    is_unknown,
    key_not_known_reason,
    leading_names,
    number_text,
    options,
    origin_of,
    refused,
    unknown,
)
from rolelint.parsers.tf_module import (
    EMPTY_POLICY_TEXT,
    Located,
    ModuleSource,
    Reader,
    TerraformModule,
    document_tree,
    read_module,
)
from rolelint.parsers.tree import (
    Branches,
    Choice,
    PMap,
    PSeq,
    WrittenFloat,
    place_of,
    scalar_text,
)
from rolelint.source import SourceRef

MAX_MODULE_DEPTH = 10
MODULE_CYCLE = (
    "is not followed: its folder is already being read by the module calls that lead here"
    " (modules calling each other in a cycle), so its outputs stay unknown"
)
MODULE_TOO_DEEP = (
    f"is not followed: it is nested more than {MAX_MODULE_DEPTH} module calls deep from this root"
    " module, so its roles are not analyzed from here and its outputs stay unknown"
)
MODULE_META_ARGUMENTS = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on"}
)
POLICY_ATTACHMENTS = {
    # attachment type: (attribute naming the holder, holder kind, attribute naming the policy)
    "aws_iam_role_policy_attachment": ("role", "role", "policy_arn"),
    "aws_iam_user_policy_attachment": ("user", "user", "policy_arn"),
    "aws_iam_group_policy_attachment": ("group", "group", "policy_arn"),
    "aws_iam_role_policy_attachments_exclusive": ("role_name", "role", "policy_arns"),
    "aws_iam_user_policy_attachments_exclusive": ("user_name", "user", "policy_arns"),
    "aws_iam_group_policy_attachments_exclusive": ("group_name", "group", "policy_arns"),
}
INLINE_POLICIES = {
    # inline policy resource type: (attribute naming the holder, holder kind)
    "aws_iam_role_policy": ("role", "role"),
    "aws_iam_user_policy": ("user", "user"),
    "aws_iam_group_policy": ("group", "group"),
}
HOLDER_TYPES = {"role": "aws_iam_role", "user": "aws_iam_user", "group": "aws_iam_group"}


@dataclass(slots=True)
class TerraformOutcome:
    """What one directory gave: the inventory, errors, files read and what was not followed."""

    inventory: Inventory = field(default_factory=Inventory)
    errors: list[InputError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notices: list[InputError] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)  # real paths read through file()
    templates: set[str] = field(default_factory=set)  # those that hold ${ or %{
    called: set[str] = field(default_factory=set)  # the folders of the module calls evaluated
    # What ``errors`` and ``notices`` hold, to keep each once (:meth:`error`, :meth:`notice`):
    # a module called many times over says the same along every path to it, and searching the
    # lists took longer the more they held.
    said_errors: set[InputError] = field(default_factory=set, repr=False, compare=False)
    said_notices: set[InputError] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.said_errors.update(self.errors)
        self.said_notices.update(self.notices)

    def error(self, error: InputError) -> None:
        """``error`` added to :attr:`errors`, unless it is there already."""
        if error not in self.said_errors:
            self.said_errors.add(error)
            self.errors.append(error)

    def notice(self, notice: InputError) -> None:
        """``notice`` added to :attr:`notices`, unless it is there already."""
        if notice not in self.said_notices:
            self.said_notices.add(notice)
            self.notices.append(notice)


class ModuleLoader:
    """Reads each directory once, however many module calls point at it, and however they
    spell it.

    Run from inside ``modules/ci_role``, the module named as ``main.tf`` is called from
    ``../../live/dev`` as ``../../modules/ci_role``: one folder, which read twice gave each of
    its findings twice, under two file names.  A folder is known by its absolute path (``..``
    folded against the working folder, which is a real path: no link is folded), and read
    under the spelling of the run's root module that is that folder (``roots``: every process
    of a run is given all of them, so the spelling does not depend on which process reads
    it), else under the first spelling met."""

    def __init__(
        self,
        reader: Reader,
        leave_out: Callable[[str], bool] | None = None,
        roots: Iterable[str] = (),
    ) -> None:
        self.reader = reader
        self.leave_out = leave_out  # the files not to read (see read_module)
        self.sources: dict[str, ModuleSource] = {}
        self._roots = {os.path.abspath(root or os.curdir): root for root in roots}

    def load(self, directory: str) -> ModuleSource:
        key = os.path.abspath(directory or os.curdir)
        if key not in self.sources:
            spelled = self._roots.get(key, directory)
            self.sources[key] = read_module(spelled, self.reader, self.leave_out)
        return self.sources[key]

    def adopt(self, sources: Mapping[str, ModuleSource]) -> bool:
        """Take ``sources``, another loader's (the folders one evaluation read, by key), for the
        folders this loader has not read, when each is spelled as this loader spells it (as
        read already, under a root's spelling, or as the evaluation met it): the evaluation
        then reads here what it read there, and its outcome is this loader's (file names in
        findings are the spellings).  Nothing is taken when one is spelled otherwise.  Both
        loaders read with the same ``leave_out`` and size limit (the caller sees to it)."""
        for key, source in sources.items():
            held = self.sources.get(key)
            spelled = held.directory if held is not None else self._roots.get(key)
            if spelled is not None and spelled != source.directory:
                return False
        for key, source in sources.items():
            self.sources.setdefault(key, source)
        return True


def parse_terraform_directories(
    directories: Iterable[str], reader: Reader
) -> Iterator[TerraformOutcome]:
    """Each directory as a root module, the files of every module parsed once for the whole run
    (a module called from ten example folders, and scanned itself, is read once)."""
    loader = ModuleLoader(reader)
    for directory in directories:
        yield parse_terraform_directory(directory, reader, loader)


def parse_terraform_directory(
    directory: str, reader: Reader, loader: ModuleLoader | None = None
) -> TerraformOutcome:
    """The root module in ``directory`` (its tfvars apply) and the local modules it calls."""
    loader = loader or ModuleLoader(reader)
    source = loader.load(directory)
    outcome = TerraformOutcome(errors=list(source.errors))
    outcome.files = [file for file, _ in source.files + source.tfvars]
    root = TerraformModule(source, consumed=outcome.consumed, templates=outcome.templates)
    assembly = _Assembly()
    _ModuleInventory(root, loader, outcome, (os.path.normpath(directory),), assembly).build()
    assembly.finish()
    _keep_unmarked(root, outcome)
    _keep_module_inputs(root, outcome)
    return outcome


def parse_terraform_file(name: str, text: str, reader: Reader) -> TerraformOutcome:
    """One file on its own (standard input): a module of that single file."""
    from rolelint.parsers import load_error
    from rolelint.parsers.tf_module import parse_terraform_text
    from rolelint.parsers.tree import LoadError

    source = ModuleSource(os.path.dirname(name))
    try:
        source.files.append((name, parse_terraform_text(name, text)))
    except LoadError as problem:
        source.errors.append(load_error(name, text, problem))
    outcome = TerraformOutcome(errors=list(source.errors), files=[f for f, _ in source.files])
    root = TerraformModule(source, consumed=outcome.consumed, templates=outcome.templates)
    chain = (os.path.normpath(source.directory),)
    assembly = _Assembly()
    _ModuleInventory(root, ModuleLoader(reader), outcome, chain, assembly).build()
    assembly.finish()
    _keep_unmarked(root, outcome)
    _keep_module_inputs(root, outcome)
    return outcome


def _keep_unmarked(root: TerraformModule, outcome: TerraformOutcome) -> None:
    """The references of the root and its modules whose values went unmarked, in order."""
    unmarked = root.evaluator.budget.unmarked
    outcome.inventory.unmarked_uses = sorted(unmarked, key=lambda ref: (ref.file, ref.span or ()))


def _keep_module_inputs(root: TerraformModule, outcome: TerraformOutcome) -> None:
    """Which module folders were evaluated with what a call passes, and the root's when a
    variable it declares has no value (a module read without its caller): what a comment there
    covers may be missing for want of the inputs (Inventory.called_modules)."""
    inventory = outcome.inventory
    inventory.called_modules.update(os.path.realpath(folder) for folder in outcome.called)
    if not root.sets_every_variable():
        inventory.unset_input_modules.add(os.path.realpath(root.directory))


@dataclass(slots=True, kw_only=True)
class _Holder(Holder):
    """A role, user or group of the module being assembled."""

    located: Located
    address: str
    provider: str  # the provider configuration that creates it (see _provider)
    arn: str  # as the model's ARN, so that one written elsewhere finds it (see _with_arn)
    scope: str  # its module instance (Role.scope)
    groups: list[str] = field(default_factory=list)  # of a user: its groups' addresses
    # of a role: its instance profiles another instance creates (Role.instance_profiles_elsewhere)
    profiles_elsewhere: list[tuple[str, str]] = field(default_factory=list)
    # of a role or user: its permissions_boundary as the model gives it, read by the boundary
    # pass (_ModuleInventory.boundary), which evaluates the attribute once for both its uses
    permissions_boundary: Value | None = None

    def join(self, group: _Holder) -> None:
        if group.address not in self.groups:
            self.groups.append(group.address)


class _Assembly:
    """What the module instances of one root share while they are built: roles, users,
    groups and instance profiles by name, and the attachments that name one of another instance.

    A policy module attaching to a role its caller creates (``role = var.role_name``) is the
    common case: IAM names are global in an account, so an attachment that finds no holder of
    that name in its own instance looks in every other one, for the one in its own account (see
    _in_account: providers are named as in the root, through the calls' ``providers`` maps).
    The instances' roles and identities are therefore finished only when the whole tree is
    built; so is a compute resource naming an instance profile of another instance (a caller's
    profile passed by name, ``iam_instance_profile = var.profile_name``).
    """

    def __init__(self) -> None:
        self.holders: dict[tuple[str, str], list[_Holder]] = {}  # (kind, name text) -> holders
        self.profiles: dict[str, list[_Profile]] = {}  # instance profiles by name
        self.pending: list[_Pending] = []
        self.memberships: list[_PendingMembership] = []  # users and groups across instances
        # Each instance's share_documents: a policy of one instance may be held by the holders
        # of any other, so it runs over all of them, once every attachment is made.
        self.sharers: list[Callable[[list[_Holder]], None]] = []
        self.finishers: list[Callable[[], None]] = []

    def later(
        self,
        kind: str,
        name: Value,
        give: Callable[[_Holder], None],
        user: _User,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """``give`` the holder of that name ``user`` means, once the tree is built;
        ``otherwise`` if none is."""
        assert name.text is not None
        self.pending.append(_Pending((kind, name.text), give, user, otherwise))

    def meant(self, kind: str, name: str, user: _User) -> _Holder | None:
        """The holder of that name in ``user``'s account; None when there is none, or several
        and ``user``'s provider does not tell which (``user`` says so)."""
        return _one_meant(self.holders.get((kind, name), []), kind, name, user)

    def role_with_arn(self, arn: Value, user: _User) -> _Holder | None:
        """The role of any instance whose ARN ``arn`` is, in ``user``'s account, as
        :meth:`meant` finds one by name; None when there is none, or several and ``user``'s
        provider does not tell which (``user`` says so).  Complete once the tree is built."""
        name, everywhere = _with_arn(self.holders, arn)
        return _one_meant(everywhere, "role", name, user)

    def profile_meant(self, name: str, user: _User) -> _Profile | None:
        """The instance profile of any instance named ``name`` in ``user``'s account, as
        :meth:`meant` finds a holder.  Complete once the tree is built."""
        return _one_meant(self.profiles.get(name, []), "instance profile", name, user)

    def finish(self) -> None:
        for membership in self.memberships:
            user = self.meant("user", membership.user, membership.by)
            group = self.meant("group", membership.group, membership.by)
            if user is not None and group is not None:
                user.join(group)
        for pending in self.pending:
            holder = self.meant(*pending.key, pending.user)
            if holder is not None:
                pending.give(holder)
            elif pending.otherwise is not None:
                pending.otherwise()
        everyone = [holder for holders in self.holders.values() for holder in holders]
        for share in self.sharers:
            share(everyone)
        for finisher in self.finishers:
            finisher()
        # The closures hold the instances, which hold this assembly: a reference cycle that
        # would keep every module's parse alive, since the command line pauses the collector
        # (rolelint.gc_pause).
        self.pending.clear()
        self.memberships.clear()
        self.sharers.clear()
        self.finishers.clear()
        self.holders.clear()
        self.profiles.clear()


def _attaching(document: PolicyDocument) -> Callable[[_Holder], None]:
    return lambda holder: holder.attach(document)


def _holding_unread(references: list[ManagedPolicyRef]) -> Callable[[_Holder], None]:
    def hold(holder: _Holder) -> None:
        for reference in references:
            holder.add_managed(reference)

    return hold


def _standing_alone(inventory: Inventory, document: PolicyDocument) -> Callable[[], None]:
    return lambda: inventory.standalone_policies.append(document)


def _profiled(profile: str, arn: Value, scope: str) -> Callable[[_Holder], None]:
    """The role of instance profile ``profile`` (whose ARN is ``arn``) of module instance
    ``scope``: its name is unique in that instance, which may not be the role's (a module
    given its caller's role)."""

    def give(holder: _Holder) -> None:
        holder.profile_arns.append(arn)
        if holder.scope == scope:
            holder.profiles.append(profile)
        else:
            holder.profiles_elsewhere.append((scope, profile))

    return give


@dataclass(frozen=True, slots=True)
class _Managed:
    """An ``aws_iam_policy`` of the module and the provider configuration that creates it:
    its document, or when its text cannot be read, the unread policy its holders hold."""

    provider: str
    document: PolicyDocument | None
    unread: ManagedPolicyRef | None = None


@dataclass(frozen=True, slots=True)
class _Profile:
    """An ``aws_iam_instance_profile`` of a module instance, as a compute resource of another
    instance finds it by name (see _Assembly.profile_meant)."""

    address: str
    provider: str  # as _Holder.provider
    scope: str  # its module instance (ComputeResource.profile_scope)


_Created = TypeVar("_Created", _Holder, _Managed, _Profile)
_Meant = TypeVar("_Meant", _Holder, _Profile)


def _one_meant(everywhere: list[_Meant], kind: str, name: str, user: _User) -> _Meant | None:
    """Of the ``kind`` resources of every instance named ``name``, the one in ``user``'s
    account; None when there is none, or several and ``user``'s provider does not tell which
    (``user`` says so)."""
    found = _in_account(everywhere, user.provider)
    if len(found) == 1:
        return found[0]
    if everywhere:
        user.ambiguous(kind, name, [candidate.address for candidate in everywhere])
    return None


def _with_arn(
    holders: Mapping[tuple[str, str], list[_Holder]], arn: Value
) -> tuple[str, list[_Holder]]:
    """The roles of ``holders`` whose ARN ``arn`` is, when it is written other than as the
    role's own ``arn``, and the name they have.  The name is what follows the ARN's path,
    tried at each ``/``: a generated name's stand-in holds one."""
    if arn.text is None or ":role/" not in arn.text:
        return "", []
    parts = arn.text.split(":role/", 1)[1].split("/")
    names = dict.fromkeys("/".join(parts[start:]) for start in range(len(parts)))
    found = {
        name: [holder for holder in holders.get(("role", name), []) if holder.arn == arn.text]
        for name in names
    }
    named = [name for name, roles in found.items() if roles]
    return (named[0] if named else ""), [holder for roles in found.values() for holder in roles]


def _in_account(candidates: list[_Created], provider: str) -> list[_Created]:
    """Of the resources with one IAM name (or policy ARN), those a resource created through
    ``provider`` can mean.

    IAM names are unique in an account: two roles named "app" that Terraform both creates are
    in two accounts, through two provider configurations (``provider = aws.prod``).  A resource
    acts in the account of its own provider, so of several it means the one created through the
    same provider.  A single candidate is kept whatever its provider: two aliases may well be
    two regions of one account, and IAM is global.
    """
    if len(candidates) <= 1:
        return candidates
    return [candidate for candidate in candidates if candidate.provider == provider]


def _provider(located: Located) -> str:
    """The provider configuration a resource is created through, as its module names it: its
    ``provider`` argument (``aws.prod``, or "aws.prod" in Terraform JSON), else the default
    ``aws``.  One written in another form is a stand-in that matches no other resource's."""
    expr = located.block.body.get("provider")
    if expr is None:
        return "aws"
    return _provider_name(expr) or f"<provider of {located.file}#{id(located.block)}>"


def _provider_name(expr: Expr) -> str | None:
    """A provider configuration's name as written where Terraform reads it statically (a
    resource's ``provider``, either side of a module call's ``providers`` map): ``aws.prod``,
    or "aws.prod" in Terraform JSON; None for any other form."""
    if isinstance(expr, Traversal) and expr.root is not None:
        names = [step.name for step in expr.steps if isinstance(step, GetAttr)]
        if len(names) == len(expr.steps):
            return ".".join([expr.root, *names])
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None


@dataclass(frozen=True, slots=True)
class _User:
    """A resource that names a holder another module instance may create: the provider it is
    created through (named as in the root), and how it says that the name tells no holder
    apart."""

    provider: str
    ambiguous: Callable[[str, str, list[str]], None]  # (kind, name, the addresses of those)


@dataclass(frozen=True, slots=True)
class _Pending:
    key: tuple[str, str]  # (holder kind, name)
    give: Callable[[_Holder], None]
    user: _User
    otherwise: Callable[[], None] | None


@dataclass(frozen=True, slots=True)
class _PendingMembership:
    user: str  # the user's name
    group: str  # the group's name
    by: _User  # the membership resource


class _ModuleInventory:
    """Builds the inventory of one module instance, then of the local modules it calls."""

    def __init__(
        self,
        module: TerraformModule,
        loader: ModuleLoader,
        outcome: TerraformOutcome,
        chain: tuple[str, ...],
        assembly: _Assembly,
        providers: Mapping[str, str] | None = None,
    ) -> None:
        self.module = module
        self.loader = loader
        self.outcome = outcome
        self.chain = chain
        self.assembly = assembly
        # Of a called module: the root's provider configuration each of its names stands for
        # (see passed_providers); the root names its own.
        self.providers = dict(providers or {})
        self._own_providers: set[str] | None = None
        self.inventory = outcome.inventory
        self.builders = _Builders()
        self.holders: dict[tuple[str, str], list[_Holder]] = {}  # (kind, name text) -> holders
        self.policies: dict[str, list[_Managed]] = {}  # policy ARN text -> policies
        self.profile_names: set[str] = set()  # of the instance profiles it creates
        self.attached: set[int] = set()
        # ids of the policy documents an attachment gives a holder that is no holder of the
        # model (PolicyDocument.attached_elsewhere).
        self.attached_elsewhere: set[int] = set()
        # id of a policy document -> the optional copy of it that attachments some deployments
        # do not make give their holders (one copy, however many such attachments there are).
        self.optional_copies: dict[tuple[int, Deployment | None], PolicyDocument] = {}
        self.certainly_attached: set[int] = set()  # ids of documents some holder always holds

    # --- helpers ---------------------------------------------------------------------------------

    def of_type(self, kind: str) -> Iterator[tuple[str, Located]]:
        """Resources of ``kind`` that exist (a ``count`` known to be 0 creates nothing)."""
        for (resource_type, name), located in self.module.resources.items():
            if resource_type == kind and self.module.instance_count(located) != 0:
                yield name, located

    def each_instance(self, kind: str) -> Iterator[tuple[str, Located]]:
        """Every instance of the resources of ``kind``: a role with ``for_each`` over a map of
        roles is a role for each element, evaluated with its ``each``."""
        for name, located in self.of_type(kind):
            for instance in self.module.keyed_instances(located):
                yield name, instance

    def address(self, kind: str, name: str, located: Located) -> str:
        """The Terraform address of a resource's instance: ``aws_iam_role.ci["deploy"]``."""
        return self.module.address(kind, name) + located.suffix

    @property
    def scope(self) -> str:
        """A module instance: names are unique across its files, not only within one."""
        return self.module.scope

    @property
    def root(self) -> str | None:
        """The root module folder of a called module's instance (None in the root module)."""
        return self.module.root if self.module.prefix else None

    def ref(self, located: Located) -> SourceRef:
        return SourceRef(located.file, located.block.span)

    # --- providers: which account a resource is created in ---------------------------------------

    def provider_of(self, located: Located) -> str:
        """The provider configuration a resource is created through, named as in the root
        module, so that resources of different module instances compare (see _in_account)."""
        return self.in_root(_provider(located))

    def in_root(self, name: str) -> str:
        """A provider name of this module as the root names it.  One a called module configures
        itself, or that its call does not pass, is its own (a stand-in no other matches)."""
        if not self.module.prefix:
            return name
        if name in self.own_providers():
            return f"{self.module.prefix}{name}"
        return self.providers.get(name, f"{self.module.prefix}{name}")

    def own_providers(self) -> set[str]:
        """The ``aws`` provider configurations this module's own blocks make."""
        if self._own_providers is not None:
            return self._own_providers
        names: set[str] = set()
        for file, body in self.module.source.files:
            for block in body.blocks:
                if block.type == "provider" and block.labels[:1] == ("aws",):
                    alias = self.values(Located(file, block), "alias")
                    names.add(f"aws.{alias[0].text}" if alias and alias[0].text else "aws")
        self._own_providers = names
        return names

    def passed_providers(self, call: Located) -> dict[str, str]:
        """The provider configurations a module call gives the module, by the module's names,
        each named as in the root: its ``providers`` map (``{ aws = aws.prod }``), else the
        caller's default ``aws``, which a module inherits when the map is not written."""
        expr = call.block.body.get("providers")
        if expr is None:
            return {"aws": self.in_root("aws")}
        passed: dict[str, str] = {}
        for item in expr.items if isinstance(expr, ObjectExpr) else ():
            inside, outside = _provider_name(item.key), _provider_name(item.value)
            if inside is not None and outside is not None:
                passed[inside] = self.in_root(outside)
        return passed

    def user(self, located: Located) -> _User:
        """``located`` as a resource naming a holder another module instance may create."""

        def ambiguous(kind: str, name: str, candidates: list[str]) -> None:
            addresses = ", ".join(candidates)
            self._notice_at(
                located,
                f"the {kind} name '{name}' is given to several {kind}s ({addresses}), created"
                " through providers that do not tell which one this resource means: none is"
                " linked",
            )

        return _User(self.provider_of(located), ambiguous)

    def attribute_ref(self, located: Located, name: str) -> SourceRef:
        attribute = located.block.body.attributes.get(name)
        span = attribute.value.span if attribute is not None else located.block.span
        return SourceRef(located.file, span)

    def values(
        self, located: Located, name: str, bindings: Mapping[str, Any] | None = None
    ) -> list[Value]:
        """A string-or-list attribute as Values (lists flattened, conditionals fanned out);
        ``bindings`` are a generated block's iterator (see :meth:`nested`)."""
        value = self.module.evaluate_attribute(located, name, bindings)
        if value is None:
            return []
        return list(_flatten(value, self.attribute_ref(located, name)))

    def session_durations(self, located: Located) -> tuple[Value, ...]:
        """Every ``max_session_duration`` a deployment may give the role.  A branch of a
        conditional that is null leaves it unset, which gives AWS's default, one hour:
        dropped, ``var.long ? 99999 : null`` read as a role every deployment of which fails."""
        value = self.module.evaluate_attribute(located, "max_session_duration")
        if value is None:
            return ()
        at = self.attribute_ref(located, "max_session_duration")
        found = tuple(_flatten(value, at))
        if any(option is None for option in options(value)):
            found += (Value(str(ROLE_DEFAULT_SESSION_SECONDS), at),)
        return found

    def nested(self, located: Located, kind: str) -> Iterator[tuple[Located, Mapping[str, Any]]]:
        """The ``kind`` blocks of a resource, written out or generated by ``dynamic "kind"``
        (modules write ``inline_policy`` and ``metadata_options`` that way), each with the
        bindings its attributes are evaluated in."""
        blocks = DynamicBlocks(self.module.evaluator, located.file)
        for block, bindings in blocks.expanded(located.block.body, kind, located.bindings):
            yield Located(located.file, block), bindings

    def builder(self, file: str) -> PolicyBuilder:
        """The module's policy builder of ``file``, made once: its problems are flushed with
        every other's (see flush_problems)."""
        return self.builders.of(file)

    def document(
        self,
        located: Located,
        attribute: str,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
        bindings: Mapping[str, Any] | None = None,
        unread: list[ManagedPolicyRef] | None = None,
    ) -> PolicyDocument | None:
        expr = located.block.body.get(attribute)
        if expr is None:
            return None
        scope = located.scope(bindings)
        document = self.document_of(
            self.module.evaluate_attribute(located, attribute, bindings),
            SourceRef(located.file, expr.span),
            kind=kind,
            resource=resource,
            origin=origin,
            unread=unread,
            under=deployed_under(scope) if scope else frozenset(),
        )
        if document is not None and scope and uncertain(scope):
            return replace(document, optional=True)  # a count or for_each not known: maybe none
        return document

    def document_of(
        self,
        value: Any,
        at: SourceRef,
        *,
        kind: PolicyKind,
        resource: str,
        origin: str,
        unread: list[ManagedPolicyRef] | None = None,
        under: Branches = frozenset(),
    ) -> PolicyDocument | None:
        """The document ``value`` holds.  A text rolelint cannot read is said in a note and,
        when the caller holds the policy (``unread``), added there as an unread policy.
        ``under``: the branches of conditions that hold wherever the policy is (of a block or
        instance only a chosen ``for_each``'s branches generate): it is read in those alone."""
        problems: list[SourceProblem] = []
        value = string_due(value, at)
        tree = deployed_where(document_tree(value, at, self.module.evaluator, problems), under)
        self.inventory.problems.extend(replace(problem, resource=resource) for problem in problems)
        if is_unknown(tree):
            # Nothing silently skipped: the policy is named, unless the reason is said already
            # (text that is not JSON is RL604; a file() that cannot be read, a note) or is a
            # module's empty placeholder.
            reason = getattr(tree, "unresolved_reason", None) or "not known before apply"
            said = problems or any(notice.message == reason for notice in self.module.notices)
            if not said and reason != EMPTY_POLICY_TEXT:
                self._notice_at_ref(at, f"the {origin} is not analyzed: {reason}")
            # Text that is not JSON (RL604) grants nothing; a placeholder is its callers' to fill.
            if unread is not None and not problems and reason != EMPTY_POLICY_TEXT:
                unread.append(unread_policy(origin, Value(None, at, reason)))
            return None
        for key, why in _keys_not_known(tree):
            self._notice_at_ref(key, _key_not_known_notice(origin, why))
        builder = self.builder(file_of(tree, at.file))
        return builder.document(tree, at.span, kind=kind, resource=resource, origin=origin)

    def holder_named(self, kind: str, value: Value, user: Located) -> _Holder | None:
        """The holder of this module named ``value`` that the resource ``user`` means, or None:
        none has that name, or several do and ``user``'s provider does not tell which (see
        _in_account; :meth:`ambiguous` says so)."""
        if value.text is None:
            return None
        found = _in_account(self.holders.get((kind, value.text), []), self.provider_of(user))
        return found[0] if len(found) == 1 else None

    def ambiguous(self, kind: str, value: Value, user: Located) -> bool:
        """Whether several holders of this module have that name and none is linked: the
        name is not looked for in other module instances either, since it is this module's."""
        if value.text is None or (kind, value.text) not in self.holders:
            return False
        if self.holder_named(kind, value, user) is not None:
            return False
        self._notice_at(
            user,
            f"the {kind} name '{value.text}' is given to several {kind}s of this module, created"
            " through different providers (so in different accounts): which one is meant is not"
            " known, so none is linked",
        )
        return True

    def policy_named(self, arn: Value, user: Located) -> PolicyDocument | None:
        """The policy of this module with that ARN, as :meth:`holder_named` finds a holder."""
        found = self.managed_named(arn, user)
        return found.document if found is not None else None

    def managed_named(self, arn: Value, user: Located) -> _Managed | None:
        if arn.text is None:
            return None
        found = _in_account(self.policies.get(arn.text, []), self.provider_of(user))
        return found[0] if len(found) == 1 else None

    # --- the passes ------------------------------------------------------------------------------

    def build(self) -> None:
        roles = [self.draft_holder("role", name, located) for name, located in self.roles()]
        users = [self.draft_holder("user", n, i) for n, i in self.each_instance("aws_iam_user")]
        groups = [self.draft_holder("group", n, i) for n, i in self.each_instance("aws_iam_group")]
        for holder in roles:
            self.role_inline_policies(holder)
        self.policy_resources()
        self.inline_policy_resources()
        self.attachments()
        for holder in roles + users + groups:
            self.managed_arns(holder)
        for holder in roles + users:
            self.boundary(holder)
        self.instance_profiles()
        self.memberships()
        self.permission_sets()
        self.inventory.compute.extend(self.compute())
        self.inventory.session_requests.extend(self.provider_sessions())
        self.flush_problems()
        self.assembly.sharers.append(self.share_documents)
        self.assembly.finishers.append(lambda: self.finish(roles, users + groups))
        self.module_calls()
        self.flush_notices()

    def finish(self, roles: list[_Holder], identities: list[_Holder]) -> None:
        """Once every instance of the root has attached what it attaches and shared what it
        holds (see _Assembly)."""
        self.inventory.standalone_policies.extend(
            replace(policy.document, attached_elsewhere=True)
            if id(policy.document) in self.attached_elsewhere
            else policy.document
            for policies in self.policies.values()
            for policy in policies
            if policy.document is not None and id(policy.document) not in self.attached
        )
        self.inventory.roles.extend(self.finish_role(holder) for holder in roles)
        self.inventory.identities.extend(self.finish_identity(h) for h in identities)
        self.flush_problems()
        self.duplicate_keys()
        self.flush_notices()

    def flush_notices(self) -> None:
        """The module's notices and errors so far, each once in the outcome."""
        for notice in self.module.notices:
            self.outcome.notice(notice)
        for error in self.module.errors:
            self.outcome.error(error)

    def flush_problems(self) -> None:
        """The problems the policy builders met, and a note at each statement they could not
        read, unless why is said already: an object with a key not known before apply has its
        own note, and so has a value whose reason is a note of the module (a key that names
        nothing), as a whole policy's is (:meth:`document_of`)."""
        said: set[str] | None = None
        for builder in self.builders.by_file.values():
            self.inventory.problems.extend(builder.problems)
            builder.problems.clear()
            for unread in builder.unread:
                if said is None:
                    said = {notice.message for notice in self.module.notices}
                reason = unread.value.unresolved_reason
                if reason not in said and key_not_known_reason(reason) is None:
                    self._notice_at_ref(unread.value.ref, unread.message)
            builder.unread.clear()

    def duplicate_keys(self) -> None:
        """Keys written twice in HCL objects and in policy text read by policy documents."""
        from rolelint.parsers.tf_module import duplicate_key

        for where, key in self.module.evaluator.duplicates.items():
            problem = duplicate_key(where, key, self.module.address_at(where))
            if problem not in self.inventory.problems:
                self.inventory.problems.append(problem)
        for problem in self.module.problems:
            if problem not in self.inventory.problems:
                self.inventory.problems.append(problem)
        if not self.module.prefix:  # a module's own text is read once, by its root instance
            for file, body in self.module.source.files:
                for attribute in _redefined(body):
                    where = SourceRef(file, attribute.name_span)
                    problem = duplicate_key(where, attribute.name, self.module.address_at(where))
                    if problem not in self.inventory.problems:
                        self.inventory.problems.append(problem)
            for later, first in self.module.set_aside:
                self._set_aside(later, first)
            for name, again, value in self.module.locals_set_aside:
                self._set_aside_at(f"local.{name}", again, value, "value")
        self.module.evaluator.duplicates.clear()
        self.module.problems.clear()

    def roles(self) -> Iterator[tuple[str, Located]]:
        yield from self.each_instance("aws_iam_role")

    def draft_holder(self, kind: str, name: str, located: Located) -> _Holder:
        address = self.address(HOLDER_TYPES[kind], name, located)
        holder = _Holder(
            located=located,
            address=address,
            provider=self.provider_of(located),
            arn=self.module.iam_arn(located, name, kind),
            scope=self.scope,
        )
        key = (kind, self.module.iam_name(located, name))
        self.holders.setdefault(key, []).append(holder)
        self.assembly.holders.setdefault(key, []).append(holder)
        return holder

    def role_inline_policies(self, holder: _Holder) -> None:
        for inner, bindings in self.nested(holder.located, "inline_policy"):
            name = self.values(inner, "name", bindings)
            label = name[0].display() if name else "?"
            unread: list[ManagedPolicyRef] = []
            document = self.document(
                inner,
                "policy",
                kind=PolicyKind.PERMISSIONS,
                resource=holder.address,
                origin=tf_origins.role_inline_block_origin(label, holder.address),
                bindings=bindings,
                unread=unread,
            )
            if document is not None:
                holder.attach(document)
            for reference in unread:
                holder.add_managed(reference)

    def policy_resources(self) -> None:
        """``aws_iam_policy``: built once, attached wherever its ARN is used."""
        for name, located in self.each_instance("aws_iam_policy"):
            address = self.address("aws_iam_policy", name, located)
            unread: list[ManagedPolicyRef] = []
            document = self.document(
                located,
                "policy",
                kind=PolicyKind.PERMISSIONS,
                resource=address,
                origin=tf_origins.managed_policy_origin(address),
                unread=unread,
            )
            arn = self.module.iam_arn(located, name, "policy")
            provider = self.provider_of(located)
            if document is not None:
                document = replace(document, managed=True, defined_at=self.ref(located), arn=arn)
                self.policies.setdefault(arn, []).append(_Managed(provider, document))
            elif unread:  # its holders' access is a lower bound, and it is a managed policy
                managed = _Managed(provider, None, replace(unread[0], inline=False))
                self.policies.setdefault(arn, []).append(managed)

    def inline_policy_resources(self) -> None:
        for kind, (holder_attribute, holder_kind) in INLINE_POLICIES.items():
            for name, located in self.each_instance(kind):
                address = self.address(kind, name, located)
                unread: list[ManagedPolicyRef] = []
                document = self.document(
                    located,
                    "policy",
                    kind=PolicyKind.PERMISSIONS,
                    resource=address,
                    origin=tf_origins.inline_policy_origin(address),
                    unread=unread,
                )
                give: Callable[[_Holder], None]
                if document is not None:
                    document = replace(document, defined_at=self.ref(located))
                    give = _attaching(document)
                elif unread:
                    give = _holding_unread(unread)  # its holders' access is a lower bound
                else:
                    continue
                names = self.values(located, holder_attribute)
                holders = [self.holder_named(holder_kind, v, located) for v in names]
                found = [holder for holder in holders if holder is not None]
                for holder in found:
                    give(holder)
                elsewhere = [
                    v
                    for v in names
                    if v.text is not None and not self.ambiguous(holder_kind, v, located)
                ]
                alone = _standing_alone(self.inventory, document) if document is not None else None
                if not found and elsewhere:  # perhaps another instance's, else standalone
                    self.assembly.later(holder_kind, elsewhere[0], give, self.user(located), alone)
                elif not found and alone is not None:
                    alone()

    def attachments(self) -> None:
        """Policy attachments, each instance of a ``for_each`` or ``count`` one by one.  The
        one instance of a ``count`` or ``for_each`` not known before apply may be none: what
        it attaches is optional (see :meth:`attach_named`)."""
        for kind, (holder_attribute, holder_kind, policy_attribute) in POLICY_ATTACHMENTS.items():
            for _, located in self.of_type(kind):
                for instance in self.module.instances(located):
                    arns = self.references(instance, policy_attribute)
                    for value in self.values(instance, holder_attribute):
                        self.attach_named(holder_kind, value, arns, instance)
        for _, located in self.of_type("aws_iam_policy_attachment"):
            for instance in self.module.instances(located):
                arns = self.references(instance, "policy_arn")
                for attribute, holder_kind in (
                    ("roles", "role"),
                    ("users", "user"),
                    ("groups", "group"),
                ):
                    for value in self.values(instance, attribute):
                        self.attach_named(holder_kind, value, arns, instance)

    def attach_named(
        self, holder_kind: str, name: Value, arns: list[ManagedPolicyRef], attachment: Located
    ) -> None:
        """Attach to the holder of that name here, else (once the tree is built) to any other
        instance's (see _Assembly).  ``attachment`` is the resource that attaches: the
        policies it names are found in its provider's account.  When its ``count`` or
        ``for_each`` is not known, some deployments do not make it: what it attaches is then
        optional, which no quota counts as certain."""
        optional = uncertain(attachment.bindings)
        holder = self.holder_named(holder_kind, name, attachment)
        if holder is not None:
            self.attach(holder, arns, attachment, optional=optional)
        elif name.text is not None and not self.ambiguous(holder_kind, name, attachment):
            self.assembly.later(
                holder_kind,
                name,
                lambda found: self.attach(found, arns, attachment, optional=optional),
                self.user(attachment),
                lambda: self.attach_elsewhere(arns, attachment),
            )
        else:
            self.attach_elsewhere(arns, attachment)

    def attach_elsewhere(self, arns: list[ManagedPolicyRef], attachment: Located) -> None:
        """The policies ``arns`` name, attached to a holder that is none of the model's (a role
        of another state, a name not known): they grant, to whoever it is, the module's own
        and those another file of the run may define (Inventory.outside_attachments)."""
        self.inventory.outside_attachments.extend(arns)
        for reference in arns:
            managed = self.managed_named(reference.arn, attachment)
            if managed is not None and managed.document is not None:
                self.attached_elsewhere.add(id(managed.document))

    def managed_arns(self, holder: _Holder) -> None:
        located = holder.located
        if located.block.labels[0] != "aws_iam_role":
            return
        self.attach(holder, self.references(located, "managed_policy_arns"), located)

    def references(self, located: Located, name: str) -> list[ManagedPolicyRef]:
        """The policy ARNs an attribute names.  A conditional attaches one branch: its ARNs say
        so (see chosen_references), so ``policy_arn = var.x ? A : B`` is one policy, not two."""
        value = self.module.evaluate_attribute(located, name, None)
        if value is None:
            return []
        at = self.attribute_ref(located, name)

        def leaf(item: Any, sequence: PSeq | None, index: int) -> Iterator[Value]:
            where = at if sequence is None else SourceRef(at.file, sequence.span_at(index))
            return _flatten(item, where)

        references = []
        for reference in chosen_references(value, leaf):
            refused = not_an_arn(reference)
            if refused is None:
                references.append(reference)
            else:
                block = located.block.labels
                address = self.address(block[0], block[1], located)
                self._notice_at_ref(reference.arn.ref, f"{name} of {address}: {refused}")
        return references

    def attach(
        self,
        holder: _Holder,
        arns: Iterable[Value | ManagedPolicyRef],
        attachment: Located,
        *,
        optional: bool = False,
    ) -> None:
        """The policies ``arns`` name, held by ``holder``; ``optional`` when some deployments
        do not make the attachment (see :meth:`attach_named`)."""
        for arn in arns:
            reference = arn if isinstance(arn, ManagedPolicyRef) else ManagedPolicyRef(arn)
            if optional:
                reference = maybe_attached(reference)
            managed = self.managed_named(reference.arn, attachment)
            if managed is not None and managed.document is not None:
                # One document wherever it is attached; an attachment that may not be made,
                # or an ARN a condition chooses (``var.c ? [a, guard] : [a]``), holds the one
                # optional copy of it: some deployments have it not, so its Denies limit
                # nothing else the holder has, as an AWS managed policy so chosen
                # (managed_policies.document_for) or one a CloudFormation Fn::If attaches.
                document = managed.document
                maybe = reference.optional
                held = self.optional_copy(document, reference.when) if maybe else document
                holder.attach(held)
                self.attached.add(id(managed.document))
                if not maybe:
                    self.certainly_attached.add(id(document))
            elif managed is not None and managed.unread is not None:
                holder.add_managed(replace(managed.unread, alternatives=reference.alternatives))
            else:
                holder.add_managed(reference)

    def optional_copy(
        self, document: PolicyDocument, when: Deployment | None = None
    ) -> PolicyDocument:
        """``document`` as held by an attachment some deployments do not make: what it grants
        is read, but its Denies limit only what is deployed where it is, ``when`` (the
        branches of the conditions it is attached under; None: not known, so nothing else),
        and no quota counts it (as CloudFormation marks a policy a condition attaches).  One
        copy per document and branches, so that the holders of such attachments share it as
        they share the document itself."""
        if document.optional:
            return document
        copy = self.optional_copies.get((id(document), when))
        if copy is None:
            copy = replace(document, optional=True, deployed_under=when)
            self.optional_copies[(id(document), when)] = copy
        return copy

    def share_documents(self, holders: list[_Holder]) -> None:
        """A policy some holder always holds and another only may: the optional copy gives way
        to the document itself when it has no Deny, as CloudFormation attaches such a policy
        (rolelint.parsers.cloudformation._attach).  One document at one place is then one
        finding naming both holders, not two; being optional changes nothing about what it
        grants, only what a quota counts for the second holder.  ``holders``: those of every
        module instance, since an attachment may give this module's policy to another's."""
        originals = {
            id(copy): document
            for (document_id, _), copy in self.optional_copies.items()
            if document_id in self.certainly_attached
            for document in [self._original(document_id)]
            if document is not None and not any(s.is_deny for s in document.statements)
        }
        if not originals:
            return
        for holder in holders:
            for held in holder.policies:
                original = originals.get(id(held))
                if original is not None:
                    holder.detach(held)
                    holder.attach(original)

    def _original(self, document_id: int) -> PolicyDocument | None:
        return next(
            (
                managed.document
                for policies in self.policies.values()
                for managed in policies
                if managed.document is not None and id(managed.document) == document_id
            ),
            None,
        )

    def boundary(self, holder: _Holder) -> None:
        """A module policy named as permissions boundary limits the role; it grants nothing, so
        it is not checked as a standalone policy either.  What the holder's model object gives
        as its boundary is kept on it then, from the same evaluation of the attribute."""
        arns, certain = self.boundary_options(holder.located)
        holder.permissions_boundary = self.permissions_boundary(holder.located, arns, certain)
        for arn in arns:
            document = self.policy_named(arn, holder.located)
            if document is not None:
                noun = "role" if holder.located.block.labels[0] == "aws_iam_role" else "user"
                origin = f"permissions boundary {document.resource} of {noun} {holder.address}"
                if not certain:
                    origin += " (chosen by a condition: no limit assumed)"
                holder.attach(document.as_boundary(origin, optional=not certain))
                self.attached.add(id(document))

    def boundary_options(self, located: Located) -> tuple[list[Value], bool]:
        """The ARNs ``permissions_boundary`` may name, and whether every deployment has the
        one it names: not when a conditional chooses between several, or between one and
        null (``var.bounded ? aws_iam_policy.b.arn : null``).  One some deployments go
        without caps nothing for certain, as CloudFormation's ``Fn::If`` with
        ``AWS::NoValue`` (rolelint.checks.effective applies none such)."""
        value = self.module.evaluate_attribute(located, "permissions_boundary")
        if value is None:
            return [], True
        found = list(_flatten(value, self.attribute_ref(located, "permissions_boundary")))
        return found, len(found) == 1 and all(option is not None for option in options(value))

    def permissions_boundary(
        self, located: Located, arns: list[Value], certain: bool
    ) -> Value | None:
        """The holder's boundary ARN, of its :meth:`boundary_options` ``arns`` and
        ``certain``; unresolved where a conditional chooses between boundaries, or none: taken
        as the first option, an AWS managed policy would cap the holder in every deployment."""
        if certain or not arns:
            return arns[0] if arns else None
        shown = [arn.display() for arn in arns]
        if len(arns) == 1:
            shown.append("none")
        reason = f"a boundary chosen by a condition: {' or '.join(dict.fromkeys(shown))}"
        return Value(None, self.attribute_ref(located, "permissions_boundary"), reason)

    def instance_profiles(self) -> None:
        """Each profile, known by name to the compute resources of every instance, held by
        the role it names: one of this module, else (once the tree is built) of any other
        instance (a caller's role passed by name, ``role = var.role_name``)."""
        for name, located in self.each_instance("aws_iam_instance_profile"):
            profile_name = self.module.iam_name(located, name)
            # as its ``arn`` attribute gives it: with its path
            arn = Value(self.module.iam_arn(located, name, "instance-profile"), self.ref(located))
            address = self.address("aws_iam_instance_profile", name, located)
            profile = _Profile(address, self.provider_of(located), self.scope)
            self.profile_names.add(profile_name)
            self.assembly.profiles.setdefault(profile_name, []).append(profile)
            for value in self.values(located, "role"):
                holder = self.holder_named("role", value, located)
                if holder is not None:
                    holder.profiles.append(profile_name)
                    holder.profile_arns.append(arn)
                elif value.text is not None and not self.ambiguous("role", value, located):
                    # perhaps a role another instance creates
                    give = _profiled(profile_name, arn, self.scope)
                    self.assembly.later("role", value, give, self.user(located))

    # --- model objects ---------------------------------------------------------------------------

    def finish_role(self, holder: _Holder) -> Role:
        located = holder.located
        trust = self.document(
            located,
            "assume_role_policy",
            kind=PolicyKind.TRUST,
            resource=holder.address,
            origin=tf_origins.trust_policy_origin(holder.address),
        )
        declared_name = self.values(located, "name")
        path = self.values(located, "path")
        return Role(
            id=holder.address,
            ref=self.ref(located),
            arn=Value(holder.arn, self.ref(located)),
            name=declared_name[0] if declared_name else None,
            path=path[0] if path else None,
            trust_policy=trust,
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            permissions_boundary=holder.permissions_boundary,
            max_session_duration=self.session_durations(located),
            instance_profiles=tuple(holder.profiles),
            scope=self.scope,
            root=self.root,
            instance_profiles_elsewhere=tuple(holder.profiles_elsewhere),
            instance_profile_arns=tuple(holder.profile_arns),
        )

    def permission_sets(self) -> None:
        """IAM Identity Center permission sets: ``aws_ssoadmin_permission_set_inline_policy`` and
        ``aws_ssoadmin_managed_policy_attachment`` give the permissions of a role in every
        account the set is assigned to.  They stand alone, as no role of the configuration
        holds them (the role's trust is Identity Center's), each marked with the set's key
        where the set is known (see _permission_set_key), so that the rules judge a set's
        policies together, as that role's; under the boundary an
        ``aws_ssoadmin_permissions_boundary_attachment`` gives the set, as a role's boundary
        limits the role's.  The customer managed policies an
        ``aws_ssoadmin_customer_managed_policy_attachment`` names in each account are recorded
        as such (see _customer_policies).  A ``managed_policy_arn`` Identity Center
        refuses (holder.not_an_aws_managed_arn) is a note, as in CloudFormation, and attaches
        nothing."""
        boundaries: dict[str, Value] = {}
        for _, located in self.of_type(permission_sets.BOUNDARY_ATTACHMENT):
            for name in _permission_set_named(located):
                boundaries.setdefault(name, self._permission_set_boundary(located))
        for name, located in self.each_instance(permission_sets.INLINE_POLICY):
            address = self.address(permission_sets.INLINE_POLICY, name, located)
            document = self.document(
                located,
                "inline_policy",
                kind=PolicyKind.PERMISSIONS,
                resource=address,
                origin=permission_sets.inline_policy_origin(address),
            )
            if document is not None:
                self.inventory.standalone_policies.append(
                    self._of_set(document, located, boundaries)
                )
        for name, located in self.of_type(permission_sets.MANAGED_POLICY_ATTACHMENT):
            address = self._permission_set_address(
                located, permission_sets.MANAGED_POLICY_ATTACHMENT, name
            )
            for instance in self.module.instances(located):  # for_each over policies is common
                arns = self.values(instance, "managed_policy_arn")
                # A conditional's branches, or an attachment some deployments do not make:
                # what it attaches is optional, its Denies limiting nothing else of the set.
                optional = len(arns) > 1 or uncertain(instance.bindings)
                for arn in arns:
                    refused = not_an_aws_managed_arn(arn)
                    if refused is not None:  # a name, a customer managed policy's ARN
                        attachment = self.address(
                            permission_sets.MANAGED_POLICY_ATTACHMENT, name, instance
                        )
                        self._notice_at_ref(
                            arn.ref, f"managed_policy_arn of {attachment}: {refused}"
                        )
                        continue
                    self.inventory.permission_set_policies.append(
                        PermissionSetPolicy(ManagedPolicyRef(arn), address)
                    )
                    managed = permission_sets.managed_policy(arn, address)
                    if managed is not None:
                        managed = replace(managed, optional=True) if optional else managed
                        self.inventory.standalone_policies.append(
                            self._of_set(managed, located, boundaries)
                        )

        for name, located in self.of_type(permission_sets.CUSTOMER_POLICY_ATTACHMENT):
            address = self._permission_set_address(
                located, permission_sets.CUSTOMER_POLICY_ATTACHMENT, name
            )
            key = self._permission_set_key(located)
            for instance in self.module.instances(located):
                self.inventory.permission_set_customer_policies += self._customer_policies(
                    instance, address, key
                )

    def _permission_set_address(self, located: Located, kind: str, name: str) -> str:
        """How findings name the set an attachment of ``kind`` gives a policy: the set's
        address, or the attachment's when the set is not known."""
        named = sorted(_permission_set_named(located))
        if named:
            return self.module.address(permission_sets.PERMISSION_SET, named[0])
        return self.module.address(kind, name)

    def _customer_policies(
        self, instance: Located, address: str, key: str | None
    ) -> list[PermissionSetCustomerPolicy]:
        """The customer managed policy an ``aws_ssoadmin_customer_managed_policy_attachment``
        attaches by name (and path), every one a conditional may choose, to the set of ``key``
        (see _permission_set_key); a name not known (a variable without a value, a block
        rolelint cannot read) may be any policy's."""
        found: list[PermissionSetCustomerPolicy] = []
        for reference, bindings in self.nested(instance, "customer_managed_policy_reference"):
            paths: list[Value | None] = [*self.values(reference, "path", bindings)]
            found += [
                PermissionSetCustomerPolicy(name, path, address, key)
                for name in self.values(reference, "name", bindings)
                for path in paths or [None]
            ]
        if found:
            return found
        unread = Value(None, self.ref(instance), "a customer_managed_policy_reference not read")
        return [PermissionSetCustomerPolicy(unread, None, address, key)]

    def _of_set(
        self, document: PolicyDocument, located: Located, boundaries: dict[str, Value]
    ) -> PolicyDocument:
        """``document`` of the permission set ``located`` names, under that set's boundary and
        held with its other policies (PolicyDocument.permission_set)."""
        bounded = sorted(_permission_set_named(located) & boundaries.keys())
        if bounded:
            address = self.module.address(permission_sets.PERMISSION_SET, bounded[0])
            document = permission_set_boundaries.bounded(document, boundaries[bounded[0]], address)
        key = self._permission_set_key(located)
        return document if key is None else replace(document, permission_set=key)

    def _permission_set_key(self, located: Located) -> str | None:
        """The key of the permission set ``located`` names (PolicyDocument.permission_set):
        the module instance, its root and the set's address, when the set is a resource of the
        module with one instance.  None otherwise: which instance of a set with ``for_each``
        an attachment names is not read (``aws_ssoadmin_permission_set.x[each.key]``), and the
        Deny of one set must never limit another's policies, so each policy is then judged
        alone; nor is a set named by a variable or an ARN any set the run knows."""
        named = _permission_set_named(located)
        if len(named) != 1:
            return None
        [name] = named
        declared = self.module.resources.get((permission_sets.PERMISSION_SET, name))
        if declared is None or self.module.instance_count(declared) != 1:
            return None
        address = self.module.address(permission_sets.PERMISSION_SET, name)
        return f"{self.scope}|{self.root or ''}|{address}"

    def _permission_set_boundary(self, located: Located) -> Value:
        """What the ``permissions_boundary`` block of an attachment names: the
        ``managed_policy_arn``, or the name (and path) of ``customer_managed_policy_reference``;
        unresolved when it is neither, or a condition chooses."""
        for inner, bindings in self.nested(located, "permissions_boundary"):
            arns = self.values(inner, "managed_policy_arn", bindings)
            if len({arn.display() for arn in arns}) == 1:
                return arns[0]
            for reference, names in self.nested(inner, "customer_managed_policy_reference"):
                name = self.values(reference, "name", names)
                path = self.values(reference, "path", names)
                if len(name) == 1 and len(path) <= 1:
                    return permission_set_boundaries.customer_managed(
                        name[0], path[0] if path else None
                    )
        where = SourceRef(located.file, located.block.span)
        return Value(None, where, "a permissions_boundary rolelint cannot read")

    def memberships(self) -> None:
        """The groups of this module each user belongs to: ``aws_iam_group_membership`` and
        ``aws_iam_user_group_membership``.  A user holds its groups' policies, so their grants
        (sts:AssumeRole on an admin role, say) are the user's."""
        pairs: list[tuple[list[Value], list[Value], Located]] = []
        for _, located in self.of_type("aws_iam_group_membership"):
            for instance in self.module.instances(located):
                users = self.values(instance, "users")
                pairs.append((users, self.values(instance, "group"), instance))
        for _, located in self.of_type("aws_iam_user_group_membership"):
            for instance in self.module.instances(located):
                users = self.values(instance, "user")
                pairs.append((users, self.values(instance, "groups"), instance))
        for users, groups, membership in pairs:
            for user_name in users:
                for group_name in groups:
                    self.join(user_name, group_name, membership)

    def join(self, user_name: Value, group_name: Value, membership: Located) -> None:
        """The user joins the group: both of this module, else (once the tree is built) of
        any instance, as IAM names are global in an account (a users module given the name
        of a group another module creates)."""
        user = self.holder_named("user", user_name, membership)
        group = self.holder_named("group", group_name, membership)
        if user is not None and group is not None:
            user.join(group)
        elif self.ambiguous("user", user_name, membership) or self.ambiguous(
            "group", group_name, membership
        ):
            return
        elif user_name.text is not None and group_name.text is not None:
            self.assembly.memberships.append(
                _PendingMembership(user_name.text, group_name.text, self.user(membership))
            )

    def finish_identity(self, holder: _Holder) -> Identity:
        located = holder.located
        is_user = located.block.labels[0] == "aws_iam_user"
        boundary = holder.permissions_boundary if is_user else None
        return Identity(
            kind=IdentityKind.USER if is_user else IdentityKind.GROUP,
            id=holder.address,
            ref=self.ref(located),
            arn=Value(holder.arn, self.ref(located)),
            policies=holder.policies,
            managed_policy_arns=holder.managed,
            groups=tuple(holder.groups),
            permissions_boundary=boundary,
            root=self.root,
        )

    def compute(self) -> Iterator[ComputeResource]:
        """Instances and launch templates, each instance of a ``for_each`` or ``count`` one by
        one: their instance profiles and metadata options may differ."""
        for kind in (*_INSTANCE_KINDS, "aws_launch_template"):
            for name, located in self.each_instance(kind):
                resource, named = self.compute_resource(kind, name, located)
                if named is None or named.text is None:
                    yield resource
                elif named.text in self.profile_names:
                    yield replace(resource, instance_profile=named)
                else:
                    # perhaps a profile another instance creates: every instance holds its
                    # profiles only once the tree is built (see _Assembly)
                    finish = self.profile_elsewhere(resource, named, located)
                    self.assembly.finishers.append(finish)
        for name, located in self.each_instance(EKS_NODE_GROUP):
            yield from self.node_group(name, located)

    def node_group(self, name: str, located: Located) -> Iterator[ComputeResource]:
        """An EKS managed node group: its nodes run with its ``node_role_arn``, which EKS hands
        them in an instance profile of its own making, and with the metadata options of its
        ``launch_template`` (as the CloudFormation parser's node_group reads them), once per
        role a conditional may give it."""
        tokens: Value | None
        options_ref: SourceRef | None = None
        templates = located.block.body.blocks_of("launch_template")
        ami: Value | None = None
        if not templates:
            tokens = unknown(self.ref(located), TOKENS_FROM_EKS_LAUNCH_TEMPLATE)
        else:
            tokens, options_ref = self.template_tokens(located, templates[0])
            ami = self.template_ami(templates[0])
        written = self.values(located, "node_role_arn")

        def made() -> Iterator[ComputeResource]:
            for role, role_scope in self.node_roles(located, written):
                yield ComputeResource(
                    id=self.address(EKS_NODE_GROUP, name, located),
                    ref=self.ref(located),
                    kind=EKS_NODE_GROUP,
                    instance_profile=None,
                    http_tokens=tokens,
                    metadata_options_ref=options_ref,
                    scope=self.scope,
                    node_role=role,
                    node_role_scope=role_scope,
                    ami_parameter=ami,
                )

        if any(self.role_elsewhere(role) for role in written):
            # perhaps a role another instance creates: every instance holds its roles only
            # once the tree is built (see _Assembly)
            compute = self.inventory.compute
            self.assembly.finishers.append(lambda: compute.extend(made()))
            return
        yield from made()

    def node_roles(
        self, located: Located, written: list[Value]
    ) -> list[tuple[Value | None, str | None]]:
        """A node group's ``node_role_arn`` (``written``), each role it may be (each branch of
        a conditional), with the scope of a role another module instance creates (None for one
        of this module): a role by its address when the attribute refers to one of the module
        (``aws_iam_role.node.arn``) or gives its ARN (role_with_arn), else the value as
        written; ``[(None, None)]`` when it has none."""
        address = self.role_referenced(located, "node_role_arn")
        if address is not None and len(written) == 1:
            return [(Value(address, written[0].ref), None)]
        roles: list[tuple[Value | None, str | None]] = []
        for role in written:
            found = self.role_with_arn(role, located)
            if found is not None:
                elsewhere = found.scope if found.scope != self.scope else None
                roles.append((Value(found.address, role.ref), elsewhere))
            elif len(written) == 1:
                roles.append((role, None))
            else:
                # A branch naming no role of the tree: which one is each deployment's, and
                # one finding naming the first would claim it is that one.
                roles.append((unknown(role.ref, NODE_ROLE_BY_CONDITION), None))
        return list(dict.fromkeys(roles)) or [(None, None)]

    def profile_elsewhere(
        self, resource: ComputeResource, named: Value, located: Located
    ) -> Callable[[], None]:
        """Adds ``resource``, which names an instance profile (``named``: by name, or the name
        of the ARN it gives) no profile of this module has, as that profile another instance
        creates in its account (see _Assembly.profile_meant); when there is none, or several,
        as no profile of the tree (_unlinked_profile)."""
        compute = self.inventory.compute
        assembly = self.assembly
        user = self.user(located)

        name = named.text or ""

        def add() -> None:
            found = assembly.profile_meant(name, user)
            if found is not None:
                compute.append(replace(resource, instance_profile=named, profile_scope=found.scope))
            else:
                profile = _unlinked_profile(resource.instance_profile, named)
                compute.append(replace(resource, instance_profile=profile))

        return add

    def role_referenced(self, located: Located, attribute: str) -> str | None:
        """The address of the module's role an attribute refers to (``aws_iam_role.node.arn``),
        when the role is one instance; else None."""
        name = _referenced_resource(located.block.body.get(attribute), "aws_iam_role")
        found = self.module.resources.get(("aws_iam_role", name)) if name else None
        if name is None or found is None:
            return None
        instances = self.module.keyed_instances(found)
        if len(instances) != 1 or self.module.instance_count(found) != 1:
            return None
        return self.address("aws_iam_role", name, instances[0])

    def role_with_arn(self, arn: Value, user: Located) -> _Holder | None:
        """The role whose ARN ``arn`` is, when it is written other than as the role's own
        ``arn`` (``each.value.arn`` of a ``for_each`` over the roles, an ARN built from the
        role's name, a caller's role passed in a variable): one role with that ARN in
        ``user``'s account, of this module, else (when the module has none) of any instance
        of the tree (see _Assembly.role_with_arn, complete once the tree is built)."""
        _, here = _with_arn(self.holders, arn)
        if not here:
            return self.assembly.role_with_arn(arn, self.user(user))
        found = _in_account(here, self.provider_of(user))
        return found[0] if len(found) == 1 else None

    def role_elsewhere(self, arn: Value) -> bool:
        """Whether ``arn`` is a role's ARN that no role of this module has: perhaps one of
        another module instance (a caller passing its role to the module)."""
        return arn.text is not None and ":role/" in arn.text and not _with_arn(self.holders, arn)[1]

    def compute_resource(
        self, kind: str, name: str, located: Located
    ) -> tuple[ComputeResource, Value | None]:
        """The resource with its instance profile as written, and the name a profile of the
        tree is found by (see compute): the one written, or the one of an ARN where the
        attribute takes ARNs (a launch template's ``arn``, a launch configuration's; EC2 takes
        an instance's attribute as a name)."""
        profile: Value | None = None
        refused = False  # every profile it names is an ARN EC2 refuses: it launches nothing
        by_arn = kind not in _INSTANCE_KINDS or kind in _PROFILE_BY_ARN
        if kind in _INSTANCE_KINDS:
            found = _naming_a_profile(self.values(located, "iam_instance_profile"))
            if not by_arn:
                where = f"iam_instance_profile of {self.address(kind, name, located)}"
                launched = launched_profiles(
                    found, lambda value, why: self._notice_at_ref(value.ref, f"{where}: {why}")
                )
                refused, found = bool(found) and not launched, launched
            profile = found[0] if found else None
        else:
            profile = self.launch_template_profile(located)
        tokens, options_ref = self.metadata_tokens(located)
        ami = self.ami_parameter(located, _AMI_ATTRIBUTE.get(kind, "image_id"))
        unset = tokens is None or tokens.unresolved_reason == TOKENS_UNSET_BY_CONDITION
        templates = located.block.body.blocks_of("launch_template")
        own_ami = "ami" in located.block.body.attributes
        if kind in _INSTANCE_KINDS and profile is None and not refused and (own_ami or not unset):
            profile = next(
                filter(None, (self.template_profile(located, t) for t in templates)), None
            )
            by_arn = True  # as its launch template names it
        if kind in _INSTANCE_KINDS and unset:
            for template in templates:
                tokens, template_ref = self.template_tokens(located, template)
                options_ref = template_ref or options_ref
        if kind in _INSTANCE_KINDS and ami is None and "ami" not in located.block.body.attributes:
            # An instance that sets no AMI of its own launches its template's.
            ami = next(filter(None, map(self.template_ami, templates)), None)
        resource = ComputeResource(
            id=self.address(kind, name, located),
            ref=self.ref(located),
            kind=kind,
            instance_profile=profile,
            http_tokens=tokens,
            metadata_options_ref=options_ref,
            scope=self.scope,
            ami_parameter=ami,
        )
        return resource, profile_name(profile) if by_arn and profile is not None else profile

    def ami_parameter(self, located: Located, attribute: str) -> Value | None:
        """The SSM parameter the AMI ``attribute`` is read from (see :mod:`tf_ami`): the name
        of the module's ``data "aws_ssm_parameter"`` whose value it is, or the parameter of a
        ``resolve:ssm:`` AMI; None for any other AMI, or one set by a conditional."""
        expr = located.block.body.get(attribute)
        source = _referenced_resource(expr, f"data.{SSM_PARAMETER}")
        if source is not None and isinstance(expr, Traversal):
            reads = leading_names(expr.steps)[2:3]
            found = self.module.data.get((SSM_PARAMETER, source))
            if reads and reads[0] in SSM_VALUE_ATTRIBUTES and found is not None:
                names = self.values(found, "name")
                return names[0] if len(names) == 1 and names[0].text else None
        written = self.values(located, attribute)
        parameter = launch_parameter(written[0].text) if len(written) == 1 else None
        return Value(parameter, written[0].ref) if parameter is not None else None

    def launch_template_profile(self, located: Located) -> Value | None:
        """The instance profile a launch template's ``iam_instance_profile`` block names, by
        name or by ARN, as written (see compute_resource); the last when a dynamic block gives
        several."""
        profile: Value | None = None
        for inner, bindings in self.nested(located, "iam_instance_profile"):
            found = _naming_a_profile(self.values(inner, "name", bindings)) or _naming_a_profile(
                self.values(inner, "arn", bindings)
            )
            profile = found[0] if found else profile
        return profile

    def template_profile(self, located: Located, template: Block) -> Value | None:
        """The instance profile an instance naming none (``located``) takes from the module's
        launch template its ``launch_template`` block names, at that block: it runs with the
        template's role.  Asked only of an instance that sets its own AMI or tokens, since
        they override the template's: one that sets neither launches what the template does,
        which the template's own entry already says (and RL501 reports there once), as the
        CloudFormation reader takes it."""
        named = self.launch_template_named(template)
        profile = self.launch_template_profile(named) if named is not None else None
        if profile is None:
            return None
        return replace(profile, ref=SourceRef(located.file, template.span))

    def template_ami(self, template: Block) -> Value | None:
        """The SSM parameter of the ``image_id`` of the module's launch template a
        ``launch_template`` block names."""
        named = self.launch_template_named(template)
        return self.ami_parameter(named, "image_id") if named is not None else None

    def metadata_tokens(self, located: Located) -> tuple[Value | None, SourceRef | None]:
        """``metadata_options.http_tokens`` (the weakest when a dynamic block gives several),
        and where the block is; (None, None) when there is none."""
        tokens: Value | None = None
        options_ref: SourceRef | None = None
        for inner, bindings in self.nested(located, "metadata_options"):
            options_ref = SourceRef(located.file, inner.block.span)
            endpoint = self.values(inner, "http_endpoint", bindings)
            if any(v.text is not None and v.text.lower() == "disabled" for v in endpoint):
                tokens = unknown(options_ref, METADATA_SERVICE_DISABLED)
                continue
            found = self.values(inner, "http_tokens", bindings)
            weakest = [v for v in found if v.text is not None and v.text.lower() != "required"]
            chosen = weakest or found
            tokens = chosen[0] if chosen else None
            if tokens is not None and not weakest and self.unset_in_some(inner, bindings):
                tokens = unknown(tokens.ref, TOKENS_UNSET_BY_CONDITION)
        return tokens, options_ref

    def unset_in_some(self, block: Located, bindings: Mapping[str, Any]) -> bool:
        """Whether a conditional leaves ``http_tokens`` null in some deployments
        (``var.strict ? "required" : null``): AWS's default, optional tokens, applies there."""
        value = self.module.evaluate_attribute(block, "http_tokens", bindings)
        return value is not None and any(option is None for option in options(value))

    def template_tokens(
        self, located: Located, template: Block
    ) -> tuple[Value | None, SourceRef | None]:
        """The tokens an instance (a node group) takes from its ``launch_template`` block, and
        where that template's options are: this module's template, when the block names one,
        else unresolved (a template rolelint cannot see, the block's position kept)."""
        named = self.launch_template_named(template)
        if named is None:
            at = SourceRef(located.file, template.span)
            holder = located.block.labels[0] == EKS_NODE_GROUP
            unseen = (
                TOKENS_FROM_NODE_GROUP_LAUNCH_TEMPLATE if holder else TOKENS_FROM_LAUNCH_TEMPLATE
            )
            return unknown(at, unseen), None
        return self.metadata_tokens(named)

    def launch_template_named(self, template: Block) -> Located | None:
        """The module's ``aws_launch_template`` a ``launch_template`` block names by its id or
        name (``id = aws_launch_template.app.id``)."""
        for attribute in ("id", "name"):
            name = _referenced_resource(template.body.get(attribute), "aws_launch_template")
            found = self.module.resources.get(("aws_launch_template", name)) if name else None
            if found is not None and self.module.instance_count(found) == 1:
                return found
        return None

    # --- providers: the role sessions they request -----------------------------------------------

    def provider_sessions(self) -> Iterator[SessionRequest]:
        """Every role an ``aws`` provider assumes, with the session duration it asks for.

        ``assume_role_with_web_identity`` signs in first, then the ``assume_role`` blocks are
        assumed in order, each with the credentials of the one before (AWS provider 5.x role
        chaining): every hop after the first, and the first after a web identity, is chained.
        What the first hop signs in with otherwise (a profile, the environment, an instance) is
        not in the code.
        """
        for file, body in self.module.source.files:
            for block in body.blocks:
                if block.type == "provider" and block.labels[:1] == ("aws",):
                    yield from self.provider_requests(Located(file, block))

    def provider_requests(self, provider: Located) -> Iterator[SessionRequest]:
        alias = self.values(provider, "alias")
        name = f"aws.{alias[0].text}" if alias and alias[0].text else "aws"
        requester = f"provider {self.module.prefix}{name}"
        chained: bool | None = None
        via = "what its base credentials are (a profile, the environment, an instance) is not known"
        for block in _nested_blocks(provider, "assume_role_with_web_identity")[:1]:
            if block.type == "dynamic":
                continue
            hop = Located(provider.file, block)
            yield from self.hop_requests(
                hop, requester, False, "it signs in with a web identity token"
            )
            arn = self.values(hop, "role_arn")
            shown = arn[0].display() if arn else "a role"
            chained, via = (
                True,
                (
                    f"its credentials come from assume_role_with_web_identity ({shown}), "
                    "itself a role session"
                ),
            )
        generator = DynamicBlocks(self.module.evaluator, provider.file)
        for block in _nested_blocks(provider, "assume_role"):
            hops: list[tuple[Block, Mapping[str, Any]]] | None = [(block, {})]
            if block.type == "dynamic":
                hops = generator.known(block, "assume_role", {})
            if hops is None:  # a dynamic block over values not known: zero or more hops
                if chained is not True:
                    chained, via = None, "dynamic assume_role blocks come before it"
                continue
            for content, bindings in hops:
                hop = Located(provider.file, content)
                arn = self.values(hop, "role_arn", bindings)
                if arn and arn[0].text == "":
                    continue  # an empty role ARN assumes nothing
                yield from self.hop_requests(hop, requester, chained, via, bindings)
                shown = arn[0].display() if arn else "a role"
                chained, via = (
                    True,
                    (
                        f"its credentials come from the assume_role block before it ({shown}), "
                        "itself a role session"
                    ),
                )

    def hop_requests(
        self,
        hop: Located,
        requester: str,
        chained: bool | None,
        via: str,
        bindings: Mapping[str, Any] | None = None,
    ) -> Iterator[SessionRequest]:
        arns = self.values(hop, "role_arn", bindings)
        role_arn = arns[0] if arns else unknown(self.ref(hop), "no role_arn")
        durations = [(value, "duration") for value in self.values(hop, "duration", bindings)]
        durations += [
            (value, "duration_seconds") for value in self.values(hop, "duration_seconds", bindings)
        ]
        if not durations:
            yield SessionRequest(role_arn.ref, role_arn, None, None, requester, chained, via)
        for value, setting in durations:
            seconds, invalid = _requested_seconds(value, setting)
            yield SessionRequest(
                value.ref, role_arn, value, seconds, requester, chained, via, setting, invalid
            )

    # --- module calls ----------------------------------------------------------------------------

    def module_calls(self) -> None:
        for name, located in self.module.module_calls.items():
            source = self.values(located, "source")
            text = source[0].text if source else None
            if text is None or not is_local_source(text):
                message = (
                    f"module {name} ({text or 'unknown source'}) is not a local module:"
                    " it is not read, and its outputs stay unknown"
                )
                self._notice_at(located, message)  # once, however many instances call it
                continue
            directory = module_directory(self.module.directory, text)
            if not os.path.isdir(directory):
                self._missing_folder(name, text, located)
                continue
            if os.path.normpath(directory) in self.chain:
                self._notice_at(located, f"module {name} ({text}) {MODULE_CYCLE}")
                continue
            if len(self.chain) > MAX_MODULE_DEPTH:
                self._notice_at(located, f"module {name} ({text}) {MODULE_TOO_DEEP}")
                continue
            # A module called with for_each or count is an instance per element, each given
            # its own each or count (module.team["ci"]); a call known to make none is skipped.
            for instance in self.module.keyed_instances(located):
                self.call_module(name, instance, directory)

    def _missing_folder(self, name: str, source: str, located: Located) -> None:
        """An error at the module block whose local source is no folder: Terraform cannot
        install the module.  Said at the call, which is what to fix (the folder's own name
        said neither which call nor where)."""
        where = SourceRef(located.file, located.block.span)
        shown = source if source.isprintable() else ascii(source)  # "./\u0000" is valid HCL
        message = f"module {name}: source {shown}: no such folder, so the module is not read"
        self.outcome.error(InputError(where.file, message, where.line, where.column))

    def call_module(self, name: str, located: Located, directory: str) -> None:
        """Build one instance of a local module, with the inputs its call passes."""
        budget = self.module.evaluator.budget  # the root module's, shared by every call
        if not budget.follow_module():
            if budget.first_time(TOO_MANY_MODULES):
                self._notice_at(located, TOO_MANY_MODULES)
            return
        inputs = {
            argument: self.module.evaluator.evaluate(
                attribute.value, located.file, located.bindings
            )
            for argument, attribute in located.block.body.attributes.items()
            if argument not in MODULE_META_ARGUMENTS
        }
        source_files = self.loader.load(directory)
        for error in source_files.errors:
            self.outcome.error(error)
        prefix = f"{self.module.prefix}module.{name}{located.suffix}."
        module = self.module
        child = TerraformModule(
            source_files, prefix, inputs, module.root, module.consumed, budget, module.templates
        )
        chain = (*self.chain, os.path.normpath(directory))
        providers = self.passed_providers(located)
        _ModuleInventory(child, self.loader, self.outcome, chain, self.assembly, providers).build()
        self.outcome.called.add(directory)

    def _set_aside(self, later: Located, first: Located) -> None:
        """A notice at a block whose address an earlier block has: an override file's block,
        which rolelint does not merge, or a block written twice, which Terraform refuses."""
        name = " ".join([later.block.type, *later.block.labels])
        again = SourceRef(later.file, later.block.span)
        self._set_aside_at(name, again, SourceRef(first.file, first.block.span), "block")

    def _set_aside_at(self, name: str, again: SourceRef, first: SourceRef, noun: str) -> None:
        """The notice at ``again``, where ``name`` (a block, or a local value) is written after
        ``first``, the one analyzed."""
        from rolelint.parsers import is_override_file

        at = f"{first.file}:{first.line}"
        if is_override_file(again.file):
            message = (
                f"{name}: this override is not merged into the {noun} at {at} (rolelint does not"
                f" apply override files); that {noun} is analyzed as written"
            )
        else:
            message = (
                f"{name} is defined again here (first at {at}); Terraform refuses the module:"
                " only the first is analyzed"
            )
        self._notice_at_ref(again, message)

    def _notice_at_ref(self, where: SourceRef, message: str) -> None:
        """A notice at a place, once: a module called many times over meets the same block
        along every path to it."""
        self.outcome.notice(InputError(where.file, message, where.line, where.column))

    def _notice_at(self, located: Located, message: str) -> None:
        """A notice at a block (see :meth:`_notice_at_ref`)."""
        self._notice_at_ref(SourceRef(located.file, located.block.span), message)


def _keys_not_known(tree: Any) -> Iterator[tuple[SourceRef, str]]:
    """Where the objects of a policy's tree are that a key not known made unknown (at that
    key, tf_eval.key_not_known), and why the key is not known: in every option of a choice, in
    order."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, PMap):
            stack.extend(reversed(node.values()))
        elif isinstance(node, PSeq):
            stack.extend(reversed(node))
        elif isinstance(node, Choice):
            stack.extend(reversed(node.options))
        elif isinstance(node, Value):
            why = key_not_known_reason(node.unresolved_reason)
            if why is not None:
                yield node.ref, why


_KEY_READ_AS = (
    "rolelint reads it as a value it cannot resolve (a statement not analyzed, a condition one"
    " that may limit its statement)"
)


def _key_not_known_notice(origin: str, why: str) -> str:
    """The note of an object of a policy that a key not known made unknown, and ``why``: the
    object stays a value rolelint cannot resolve, never a wildcard nor nothing at all, but a
    statement so written is not read and a condition so keyed may limit what it guards.  Only
    a key known at apply leaves Terraform itself none of the object's keys until then; a root
    variable's is known at plan, and the note says what it lacks."""
    if why == "not known before apply":
        return (
            f"the {origin} holds an object whose key is not known before apply: Terraform knows"
            f" none of the object's keys until then, so {_KEY_READ_AS}"
        )
    return f"the {origin} holds an object whose key is not known ({why}), so {_KEY_READ_AS}"


# Resources that name their instance profile in an ``iam_instance_profile`` attribute and set
# IMDS in a ``metadata_options`` block; a launch template names it in a block.
_INSTANCE_KINDS = ("aws_instance", "aws_spot_instance_request", "aws_launch_configuration")
EKS_NODE_GROUP = "aws_eks_node_group"
# The attribute that gives a resource's AMI (a launch template's and configuration's: image_id).
_AMI_ATTRIBUTE = {"aws_instance": "ami", "aws_spot_instance_request": "ami"}
# Those whose attribute may give the profile's ARN (Auto Scaling takes a name or an ARN; EC2's
# RunInstances gets the attribute of aws_instance as a name); a launch template's ``arn``.
_PROFILE_BY_ARN = ("aws_launch_configuration",)


def _unlinked_profile(written: Value | None, named: Value) -> Value | None:
    """How a resource names an instance profile no module instance of its tree creates: by
    the ARN as written when that ARN gives its account (a literal id), as CloudFormation's
    reader keeps one, since it names one profile wherever it is (an account export's too,
    Role.instance_profile_arns); else by the name (``named``), which a message quotes rather
    than an ARN holding a placeholder for the account."""
    if written is not None and written.text is not None and literal_accounts([written.text]):
        return written
    return named


def _naming_a_profile(values: list[Value]) -> list[Value]:
    """The values of an instance profile setting that attach a profile: an empty name or ARN
    (``iam_instance_profile = ""``, often a module variable's default for "none") attaches
    none, as the provider sends no profile for it and a plan records an instance without one
    that way (see terraform_plan's ``_View.value``).  An unresolved value may name one."""
    return [value for value in values if value.text != ""]


def _permission_set_named(located: Located) -> set[str]:
    """The ``aws_ssoadmin_permission_set`` a block's ``permission_set_arn`` refers to."""
    expr = located.block.body.get("permission_set_arn")
    name = _referenced_resource(expr, permission_sets.PERMISSION_SET)
    return {name} if name is not None else set()


def _referenced_resource(expr: Expr | None, kind: str) -> str | None:
    """The name of the resource of ``kind`` a reference names (``aws_iam_role.NAME.arn``;
    ``data.TYPE`` for a data source: ``data.aws_ssm_parameter.NAME.value``); None for any
    other expression."""
    if not isinstance(expr, Traversal) or expr.root is None:
        return None
    names = [expr.root, *leading_names(expr.steps)]
    path = kind.split(".")
    return names[len(path)] if names[: len(path)] == path and len(names) > len(path) else None


def _redefined(body: Body) -> Iterator[Attribute]:
    """Attributes set twice in one block (Terraform refuses them: "Attribute redefined")."""
    yield from body.duplicates
    for block in body.blocks:
        yield from _redefined(block.body)


def _nested_blocks(located: Located, kind: str) -> list[Block]:
    """The ``kind`` blocks inside a block, in order, ``dynamic "kind"`` ones as they are.

    Terraform JSON has no blocks inside a provider, only an object (or a list of objects) under
    the block's name: those are read as blocks too.
    """
    found: list[Block] = []
    for block in located.block.body.blocks:
        if block.type == kind or (block.type == "dynamic" and block.labels[:1] == (kind,)):
            found.append(block)
    attribute = located.block.body.attributes.get(kind)
    if attribute is not None and located.file.lower().endswith(".json"):
        value = attribute.value
        items = value.items if isinstance(value, TupleExpr) else (value,)
        for item in items:
            if isinstance(item, ObjectExpr):
                found.append(Block(kind, (), _object_body(item), item.span or attribute.span))
    return found


def _object_body(value: ObjectExpr) -> Body:
    body = Body()
    for item in value.items:
        if isinstance(item.key, Literal) and isinstance(item.key.value, str):
            body.add_attribute(Attribute(item.key.value, item.value, item.key_span, item.key_span))
    return body


# Go duration units (time.ParseDuration), in nanoseconds.
_GO_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_GO_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([a-z\u00b5\u03bc]+)")


def go_duration_seconds(text: str) -> int | None:
    """A Go duration ("1h30m", "90m", "3600s", "1.5h") in whole seconds, as the AWS SDK for Go
    sends it (truncated); None when Go's ``time.ParseDuration`` would refuse it."""
    rest = text
    sign = -1 if rest.startswith("-") else 1
    rest = rest[1:] if rest[:1] in ("-", "+") else rest
    if rest == "0":
        return 0
    if not rest:
        return None
    total = Fraction(0)
    position = 0
    while position < len(rest):
        match = _GO_PART.match(rest, position)
        if match is None or match.group(1) in ("", "."):
            return None
        unit = _GO_UNITS.get(match.group(2))
        if unit is None:
            return None
        total += Fraction(match.group(1)) * unit
        position = match.end()
    return sign * int(total / 1_000_000_000)


def _requested_seconds(value: Value, setting: str) -> tuple[int | None, str | None]:
    """The seconds a provider's ``duration``/``duration_seconds`` asks for, or why it is invalid."""
    if value.text is None:
        return None, None
    if setting == "duration":
        seconds = go_duration_seconds(value.text)
        if seconds is None:
            return None, (
                f"'{value.text}' is not a duration such as 1h, 90m or 3600s: Terraform refuses "
                "the provider configuration"
            )
        return seconds, None
    try:
        return int(value.text), None
    except ValueError:
        return None, (
            f"'{value.text}' is not a whole number of seconds: Terraform refuses the provider "
            "configuration"
        )


class _Builders:
    """A module instance's policy builders, one per file.

    A statement a document merges from a document of another file
    (``source_policy_documents``) is built by that file's builder, so that it is pointed at
    where it is written: each builder asks this collection for it.  It does so through a weak
    reference, as a strong one would make a reference cycle that outlives the parse while the
    command line pauses the collector (rolelint.gc_pause).
    """

    def __init__(self) -> None:
        self.by_file: dict[str, PolicyBuilder] = {}

    def of(self, file: str) -> PolicyBuilder:
        if file not in self.by_file:
            owner = weakref.ref(self)
            self.by_file[file] = PolicyBuilder(
                file,
                text_of=_policy_scalar_text,
                builder_of=lambda node: _builder_of(owner, node, file),
            )
        return self.by_file[file]


def _builder_of(owner: weakref.ref[_Builders], node: Any, file: str) -> PolicyBuilder:
    """The builder of the file ``node`` was written in (``file`` when it keeps none)."""
    builders = owner()
    assert builders is not None, "a policy builder outlived its module"
    return builders.of(file_of(node, file))


# Why a policy argument holding a map or an object is not read: every policy argument of the
# AWS provider (``policy``, ``assume_role_policy``, ``inline_policy``) is a string.
OBJECT_AS_POLICY = (
    "the policy is a map or object, where Terraform requires a string (the policy's JSON"
    " text): it refuses the configuration (string required); jsonencode() of an object is a"
    " string"
)


def string_due(value: Any, at: SourceRef) -> Any:
    """``value`` given to a policy argument (at ``at``), or unknown where it is a map or an
    object that is no JSON text (a ``templatefile()`` that is only ``${m}``, which gives ``m``
    itself): Terraform converts no object to a string and fails the plan, where rolelint read
    the object as the policy and judged what is never deployed.  jsonencode()'s map and a
    policy document's ``json`` are strings, read as before; a branch of a condition that gives
    an object is unknown, the other branches read."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: string_due(option, at))
    if isinstance(value, PMap) and not isinstance(value, (EncodedMap, DocumentJson)):
        return refused(at, OBJECT_AS_POLICY)
    return value


def _policy_scalar_text(value: str | float) -> str:
    """A string or number of a policy tree as text.  A number Terraform evaluated (``AWS =
    local.account`` under ``jsonencode``) is written as Terraform writes it: ``123456789012.0``
    is the account ``123456789012``.  A number of a policy text (a heredoc, ``file()``) is what
    IAM reads, as the text writes it."""
    if isinstance(value, float) and not isinstance(value, WrittenFloat):
        return number_text(value)
    return scalar_text(value)


def _flatten(value: Any, at: SourceRef) -> Iterator[Value]:
    """Every scalar of a value as a Value: lists flattened, conditionals fanned out."""
    for option in options(value):
        if isinstance(option, PSeq):
            for index, item in enumerate(option):
                yield from _flatten(item, SourceRef(at.file, option.span_at(index)))
        elif isinstance(option, Value):
            yield option
        elif isinstance(option, (bool, int, float)):
            yield Value(as_text(option), place_of(option) or at, origin=origin_of(option))
        elif option is None:
            continue
        else:
            yield unknown(at, "not a plain value")
