"""The Allow statements of permission policies with their holders (:class:`Grant`): the
model every permission rule (RL201-RL208) judges.  :func:`each_grant` runs a rule on every
grant, judged holder by holder where their Denies and boundaries differ, so that a finding
names only the holders it holds for; :class:`Entry` is what grants an action in a statement
(one Action value, or its whole NotAction).

Overlap policy: a statement that grants full admin access (RL201) is reported once, by RL201;
RL203 leaves the actions that RL206 or RL207 report to them; RL202, RL203 and RL208 judge what
Denies and boundaries leave of an Allow with NotAction only where RL204 does not report it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeAlias

from rolelint.checks.base import (
    Hit,
    holder_keys,
    once_per_inventory,
    policy_subject,
    role_ids,
    role_names,
    some_of,
)
from rolelint.checks.effective import (
    Effect,
    Piece,
    alike,
    effect_of,
    effects_on,
    excludes_every_resource,
    names_every_resource_of,
    once_each,
)
from rolelint.checks.iam_match import (
    action_grants,
    is_any_resource,
    names_actions,
    overlaps,
    statement_grants,
)
from rolelint.checks.policy_limits import ScannedPolicies, scanned_policies
from rolelint.findings import HolderKey
from rolelint.model import (
    IdentityKind,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
    identity_holder,
    permission_set_holders,
)
from rolelint.source import SourceRef

if TYPE_CHECKING:
    from rolelint.checks.admin_access import Admin
    from rolelint.graph.hops import AdminGrant, AdminLevels, RolesByArn

# Where an effect of a grant stands (:meth:`Grant.standing_at`, :meth:`Grant.left`): None on
# the resources in question, else the narrower resource a Deny or a boundary leaves it on.
Place: TypeAlias = Value | None


@dataclass(slots=True)
class Grant:
    """One Allow statement of a permission policy, with who holds it."""

    document: PolicyDocument
    statement: Statement
    roles: tuple[Role, ...]
    # Users and groups holding it, each as the role-shaped holder of its own (and, for a user,
    # its groups') policies: their Denies and boundaries limit the grant as a role's do.
    identities: tuple[Role, ...] = ()
    # Of a policy of an IAM Identity Center permission set: the role the set becomes in each
    # account it is assigned to (model.permission_set_holders), holding the set's other
    # policies and its boundary, which limit the grant and combine with it as a role's do.
    # No finding names it (it is no role of the inventory), as none names a user.
    permission_sets: tuple[Role, ...] = ()
    # What of it is administrator access (_admin_grants), once worked out: five checks ask.
    admin: list[Admin] | None = field(default=None, repr=False, compare=False)
    # Its holders in groups the same Denies and boundaries limit it for (effective.alike),
    # once worked out: the permission checks judge it for each group (_attributed).
    grouped: list[tuple[Role, ...]] | None = field(default=None, repr=False, compare=False)
    # Whether the statement, judged with no holder's Denies or boundary, is found by no
    # permission check (_quiet), once worked out.
    silent: bool | None = field(default=None, repr=False, compare=False)
    # Whether each resource pattern (as a holder reads it) names each holder's own ARN
    # (self_escalation.on_itself), by (pattern, ARN): every entry granting a method of the
    # same kind asks the same of every resource.
    names_own: dict[tuple[str, str], bool] | None = field(default=None, repr=False, compare=False)
    # Whether the checks word their findings in full: judged only for which holders have
    # them (_attributed), they leave out what reads every policy of the holders.
    worded: bool = field(default=True, repr=False, compare=False)
    # The customer managed policies of the scan, for what a condition naming one admits.
    scanned: ScannedPolicies | None = field(default=None, repr=False, compare=False)
    # The roles of the scan, for iam:PassRole on roles it names (RL206).
    passable: PassableRoles | None = field(default=None, repr=False, compare=False)
    # Of a group's policy: each user certainly in a group holding it, as (that group's holder,
    # the user's).  The user holds the policy too (model.identity_holder), but only what a
    # holder may do to itself is judged for it (RL206: a member allowed to write its own
    # user's policy or its group's); every other check judges a group's policy for the group.
    members: tuple[tuple[Role, Role], ...] = ()

    @property
    def holders(self) -> tuple[Role, ...]:
        return (*self.roles, *self.identities, *self.permission_sets)

    @property
    def unnamed(self) -> set[int]:
        """The ids of the holders no finding names (users, groups, permission sets), and of the
        users holding it through a group."""
        found = {id(holder) for holder in (*self.identities, *self.permission_sets)}
        found.update(id(user) for _, user in self.members)
        return found

    @property
    def acting(self) -> tuple[Role, ...]:
        """Its holders and the users holding it through a group, each once: whom a method on
        the holder itself (:func:`on_itself`) is judged for."""
        everyone = (*self.holders, *(user for _, user in self.members))
        return once_each(everyone)

    @property
    def groups(self) -> list[tuple[Role, ...]]:
        """Its holders in groups the same Denies and boundaries limit it for."""
        if self.grouped is None:
            self.grouped = alike(self.holders, self.statement)
        return self.grouped

    @property
    def subject(self) -> str:
        return policy_subject(self.document)

    @property
    def role(self) -> str | None:
        return role_names(self.roles)

    @property
    def each_role(self) -> tuple[str, ...]:
        return role_ids(self.roles)

    @property
    def each_holder(self) -> frozenset[HolderKey]:
        """Its roles, as a Hit's ``holders`` names them."""
        return holder_keys(self.roles)

    def key(self, *parts: str) -> str:
        return "|".join((self.document.origin, *parts))

    def held_by(self, holders: Sequence[Role], *, worded: bool = True) -> Grant:
        """The same grant, as if ``holders`` (some of its own, or of its groups' members) held
        it alone, with the members of the groups among them."""
        users = {id(identity) for identity in self.identities}
        users.update(id(user) for _, user in self.members)
        sets = {id(holder) for holder in self.permission_sets}
        kept = {id(holder) for holder in holders}
        return Grant(
            self.document,
            self.statement,
            tuple(h for h in holders if id(h) not in users and id(h) not in sets),
            tuple(h for h in holders if id(h) in users),
            tuple(h for h in holders if id(h) in sets),
            worded=worded,
            scanned=self.scanned,
            passable=self.passable,
            members=tuple(pair for pair in self.members if id(pair[0]) in kept),
        )

    def effect(
        self, action: str, resources: Sequence[Value], excluded: tuple[str, ...] = ()
    ) -> Effect:
        """What ``action`` on ``resources`` is worth for the holders, after every Deny of their
        policies and their permissions boundaries."""
        return effect_of(
            action, resources, self.document, self.holders, excluded=excluded, allow=self.statement
        )

    def denied(self, action: str, resources: Sequence[Value]) -> bool:
        """Whether ``action`` on ``resources`` is taken away entirely, for every holder."""
        return self.effect(action, resources).removed

    def standing(
        self,
        action: str,
        resources: Sequence[Value],
        on: Callable[[Value], bool],
        *,
        passes: Sequence[Callable[[Statement], bool]],
        test: Callable[[Effect], bool] = lambda effect: True,
        excluded: tuple[str, ...] = (),
    ) -> Effect | None:
        """What of ``action`` on ``resources`` (each one ``on`` accepts) stands for a holder,
        gets through the gates of its Denies and boundaries by each of ``passes`` and passes
        ``test``; None when nothing does.

        ``passes`` are the rule's tests of one statement's conditions: a Deny's or a
        boundary's condition a request must pass besides the grant's own is judged as the
        grant's own would be (:meth:`Effect.passes_gates`).  They are not asked of the grant's
        own statement here: each rule judges that before (cheaply, before any effect), and
        some keep what the gates may not (RL206 reports iam:PassRole limited by the resource's
        tags for what else the statement grants).  Every call names them, so that no rule
        forgets the gates; ``()`` only where the gates are judged otherwise: RL202 judges those
        of the first effect with something left (:func:`_wherever`), RL207 asks again only
        for each resource's note.  (RL203 goes through :meth:`left` itself, asking which
        writes get through each gate and which stand on each narrower resource.)

        Its effect on ``resources``, or else on a narrower resource a Deny of every resource
        but a few or a permissions boundary on fewer resources leaves it on, when that is
        still one ``on`` accepts: the grant is judged as if written there (IAM allows what
        the policy and the boundary both allow).  iam:PassRole on ``"*"`` under a boundary
        allowing it on ``role/*`` still passes every role; on ``role/deploy`` it does not.
        """
        found = self.standing_at(action, resources, on, passes=passes, test=test, excluded=excluded)
        return None if found is None else found[1]

    def standing_at(
        self,
        action: str,
        resources: Sequence[Value],
        on: Callable[[Value], bool],
        *,
        passes: Sequence[Callable[[Statement], bool]],
        test: Callable[[Effect], bool] = lambda effect: True,
        excluded: tuple[str, ...] = (),
    ) -> tuple[Place, Effect] | None:
        """:meth:`standing`, with where it stands (:data:`Place`): a finding on what is left
        of a NotAction explains what limited the NotAction there, and there only
        (:meth:`left`)."""
        found = effects_on(
            action, resources, self.document, self.holders, excluded=excluded, allow=self.statement
        )
        for index, (where, effect) in enumerate(found):
            if (
                all(on(r) for r in where)
                and not effect.removed
                and effect.passes_gates(*passes)
                and test(effect)
            ):
                return (None if index == 0 else where[0]), effect
        return None

    def left(
        self, action: str, resources: Sequence[Value], *, excluded: tuple[str, ...] = ()
    ) -> list[tuple[Place, Effect]]:
        """Every effect of ``action`` on ``resources`` and on each narrower resource a Deny
        or a boundary leaves it on (as :meth:`standing` goes through them) where something of
        it is left, gates not judged, each with where it is (:data:`Place`): what a NotAction
        still grants, each piece of which RL202, RL203 and RL208 then judge as an Action value,
        gates and all (RL202 and RL208 through :meth:`standing_at`); and where RL203 judges
        the writes of an action pattern, each on the resource it stands on."""
        found = effects_on(
            action, resources, self.document, self.holders, excluded=excluded, allow=self.statement
        )
        return [
            (None if index == 0 else where[0], effect)
            for index, (where, effect) in enumerate(found)
            if not effect.removed
        ]


@once_per_inventory
def _grants(inventory: Inventory) -> tuple[Grant, ...]:
    """The Allow statements of permission policies, with their holders.  Not one without
    Resource or NotResource: IAM rejects the policy (RL613 says so), so it grants nothing, and
    no rule here reads it as granting its actions somewhere.  Nor one whose NotResource lists
    every resource (:func:`excludes_every_resource`): every resource but all of them is none."""
    identities, members = _identity_holders(inventory)
    sets = _permission_set_holders(inventory)
    scanned = scanned_policies(inventory)
    passable = PassableRoles(inventory)
    return tuple(
        Grant(
            document,
            statement,
            roles,
            identities.get(id(document), ()),
            sets.get(id(document), ()),
            scanned=scanned,
            passable=passable,
            members=members.get(id(document), ()),
        )
        for document, roles in inventory.permission_policies()
        # Permissions boundaries limit, they never grant.
        if document.kind is PolicyKind.PERMISSIONS
        and not service_linked_only(document, roles, identities.get(id(document), ()))
        for statement in document.statements
        if statement.is_allow
        and not statement.names_no_resource
        and not excludes_every_resource(statement)
    )


def grants_nothing(statement: Statement) -> str | None:
    """Why an Allow grants nothing whatever Denies and boundaries say, as the rules read it
    (:func:`_grants` takes no Allow naming no resource, or excluding every one): the element
    that makes it so, as written (``NotResource "*"``: every resource but all of them is none;
    ``NotAction "*"``; ``NotAction []``, a list naming no action); None when it may grant
    something.  The role card and the access summary (rolelint.audit) leave such an Allow
    out, so that neither calls a role that may do nothing "scoped"."""
    if statement.conflicting:  # IAM rejects the policy (RL613)
        second = statement.conflicting[0].name
        first = second[len("Not") :] if second.startswith("Not") else f"Not{second}"
        return f"both {first} and {second}"
    if statement.empty_action is not None:
        return f"{statement.empty_action.name} {statement.empty_action.holds}"
    if not statement.has_action and not statement.has_not_action:
        return "no Action or NotAction"
    if statement.names_no_resource:
        empty = statement.empty_resource
        return f"{empty.name} {empty.holds}" if empty is not None else "no Resource or NotResource"
    if excludes_every_resource(statement):
        every = next(v for v in statement.not_resources if v.text and is_any_resource(v.text))
        return f'NotResource "{every.text}"'
    for value in statement.not_actions if statement.has_not_action else ():
        if value.text is not None and Piece("*", (value.text,)).empty:
            return f'NotAction "{value.text}"'  # every action but all of them
    return None


def service_linked_only(
    document: PolicyDocument, roles: tuple[Role, ...], identities: tuple[Role, ...]
) -> bool:
    """Whether ``document`` is a service-linked role's own permissions: held by such roles
    alone, and not a customer managed policy.

    AWS writes them and IAM refuses every change to them (UnmodifiableEntity): only the
    service can, so a finding about them could not be acted upon, as with their trust
    policies (trust_common.editable_trust_policies).  A customer managed policy is the
    account's own text wherever it is attached, and a policy also held by another role or
    a user is judged for them.  The audit's access summary asks it too (rolelint.audit.access),
    so that a role's row and card leave out what the rules leave out.
    """
    customer_managed = document.managed and not document.aws_managed
    return (
        bool(roles)
        and not identities
        and not customer_managed
        and all(role.service_linked for role in roles)
    )


def each_grant(inventory: Inventory, hits_of: Callable[[Grant], Iterable[Hit]]) -> Iterator[Hit]:
    """What ``hits_of`` finds in each grant of the inventory, each finding naming the roles
    it holds for (_attributed)."""
    for grant in _grants(inventory):
        yield from _attributed(grant, hits_of)


def _attributed(grant: Grant, hits_of: Callable[[Grant], Iterable[Hit]]) -> list[Hit]:
    """What ``hits_of`` finds in ``grant``, holder by holder: what it finds when the policy
    has that holder alone, one finding for each thing found naming every holder it holds for.

    A policy attached to two roles, one of which denies what it grants (or whose permissions
    boundary does not allow it), is a risk for the other only: the finding named both, and
    the inventory called the protected role an administrator.  Judged for that role alone,
    what is left of the grant may be another finding (``*`` under a Deny of ``iam:*`` is no
    administrator access but still a privilege escalation): it is found, and names that role.

    Holders that the same Denies and boundaries limit come to the same findings, so each
    such group is judged once, for what it finds only; a finding is then worded for the
    holders it names (its note speaks of their Denies, not of another's).  With a single
    group, or when the grant judged for no holder is found by no rule (what holders add only
    takes away), the grant is judged once for all, as before.
    """
    found = list(hits_of(grant))
    if len(grant.holders) < 2 or (not found and _quiet(grant)) or len(grant.groups) < 2:
        return found
    holding: dict[str, list[Role]] = {}
    for group in grant.groups:
        for hit in hits_of(grant.held_by(group, worded=False)):
            holding.setdefault(hit.key, []).extend(_held_for(grant, group, hit))
    everyone = len(grant.holders)
    worded: dict[tuple[int, ...], dict[str, Hit]] = {}

    def worded_for(holders: Sequence[Role]) -> dict[str, Hit]:
        key = tuple(map(id, holders))
        if key not in worded:
            worded[key] = {hit.key: hit for hit in hits_of(grant.held_by(holders))}
        return worded[key]

    result: list[Hit] = []
    for key in dict.fromkeys([*(hit.key for hit in found), *holding]):
        holders = holding.get(key)
        for_all = [hit for hit in found if hit.key == key]
        if holders is None or (for_all and len(holders) == everyone):
            result.extend(for_all)  # as judged for all of them
            continue
        first = next(group for group in grant.groups if any(h is holders[0] for h in group))
        # Worded for the holders together, or, should they together word it otherwise
        # (the broadest of their remainders is not the one it holds for), for the first.
        hit = worded_for(holders).get(key) or worded_for(first)[key]
        result.append(_naming(grant, hit, holders))
    return result


def _held_for(grant: Grant, group: Sequence[Role], hit: Hit) -> list[Role]:
    """The holders of ``group`` that ``hit``, found judging the group alone, holds for: the
    roles it names, with the users, groups and permission sets (which no finding names).  Most
    findings name every role of the group; one on what a holder may do to itself (RL206 on its
    own ARN) names only the holders it is about, not another one the same Denies limit."""
    unnamed = grant.unnamed
    return [h for h in group if id(h) in unnamed or h.id in hit.roles]


def _quiet(grant: Grant) -> bool:
    """Whether no permission check finds anything in the grant judged for no holder (its
    document's own Denies alone).  A holder's Denies and boundary only take away, and taking
    away makes a finding appear only where another one stood (``*`` under a Deny of ``iam:*``
    is a privilege escalation no longer reported as administrator access): then no holder
    has a finding either, and the groups need no judging one by one (1,000 roles with a Deny
    of their own sharing a policy of 200 statements on named buckets)."""
    if grant.silent is None:
        # The rules build on this module: imported when first asked.
        from rolelint.checks.assume_any_role import assuming_any_role
        from rolelint.checks.permission_rules import JUDGING_ALONE

        alone = grant.held_by((), worded=False)
        grant.silent = not assuming_any_role(alone)[1] and not any(
            True for hits_of in JUDGING_ALONE for _ in hits_of(alone)
        )
    return grant.silent


def _naming(grant: Grant, hit: Hit, holders: list[Role] | None) -> Hit:
    """``hit`` naming the roles among ``holders`` (as it was when none is known: a finding
    only some holders together make, which names them all, as before)."""
    if holders is None:
        return hit
    kept = {id(holder) for holder in holders}
    roles = [role for role in grant.roles if id(role) in kept]
    return replace(hit, role=role_names(roles), roles=role_ids(roles), holders=holder_keys(roles))


def _identity_holders(
    inventory: Inventory,
) -> tuple[dict[int, tuple[Role, ...]], dict[int, tuple[tuple[Role, Role], ...]]]:
    """By document id: the users and groups that hold it, as holders (model.identity_holder:
    a user with its policies and its groups'); and, of a group's document, the users certainly
    in that group, each with the group (:attr:`Grant.members`).  A group only some
    deployments add a user to makes it no member here: what the group's policy lets it do to
    itself is not certain."""
    groups = {i.id: i for i in inventory.identities if i.kind is IdentityKind.GROUP}
    holder_of = {id(i): identity_holder(i, groups) for i in inventory.identities}
    found: dict[int, list[Role]] = {}
    members: dict[int, list[tuple[Role, Role]]] = {}
    for identity in inventory.identities:
        holder = holder_of[id(identity)]
        for document in identity.policies:
            found.setdefault(id(document), []).append(holder)
        for name in identity.groups:
            group = groups.get(name)
            if group is not None:
                for document in group.policies:
                    pair = (holder_of[id(group)], holder)
                    members.setdefault(id(document), []).append(pair)
    return (
        {key: tuple(holders) for key, holders in found.items()},
        {key: tuple(pairs) for key, pairs in members.items()},
    )


def _permission_set_holders(inventory: Inventory) -> dict[int, tuple[Role]]:
    """By document id: the role of the IAM Identity Center permission set whose policy it is
    (model.permission_set_holders), for the policies standing alone that a set holds."""
    standalone = inventory.standalone_policies
    holders = permission_set_holders(standalone, inventory.permission_set_customer_policies)
    return {
        id(document): (holders[document.permission_set],)
        for document in standalone
        if document.permission_set in holders
    }


@dataclass(frozen=True, slots=True)
class Entry:
    """What grants an action in an Allow statement: one Action value, or its whole NotAction
    (every action but the listed ones), so escalation rules judge both the same way."""

    value: Value  # the Action value; for NotAction, the first excluded value
    statement: Statement | None = None  # set for NotAction

    @property
    def ref(self) -> SourceRef:
        if self.statement is not None and self.statement.not_action_ref is not None:
            return self.statement.not_action_ref
        return self.value.ref

    @property
    def quoted(self) -> str:
        """How a message names it: ``'iam:Pass*'`` or ``every action except 'iam:*'``."""
        if self.statement is None:
            return f"'{self.value.text}'"
        excluded = some_of([f"'{v.display()}'" for v in self.statement.not_actions])
        return f"every action except {excluded or 'nothing'}"

    @property
    def key(self) -> str:
        if self.statement is None:
            return self.value.display()
        return "NotAction:" + ",".join(
            sorted(v.display().lower() for v in self.statement.not_actions)
        )

    def is_exactly(self, action: str) -> bool:
        return self.statement is None and (self.value.text or "").lower() == action.lower()

    def grants(self, action: str) -> bool:
        if self.statement is not None:
            return statement_grants(self.statement, action)
        return action_grants(self.value, action)

    def granted_among(self, actions: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``actions`` the entry grants, in their order."""
        if self.statement is not None:
            return tuple(action for action in actions if statement_grants(self.statement, action))
        text = self.value.text
        return () if text is None else _granted_among(text, actions)


@functools.lru_cache(maxsize=8192)
def _granted_among(text: str, actions: tuple[str, ...]) -> tuple[str, ...]:
    """Each Action value is asked about every escalation method, by five checks: the same
    few hundred values, asked once each."""
    return tuple(action for action in actions if overlaps(text, action, case_sensitive=False))


def action_entries(statement: Statement) -> list[Entry]:
    """The Action values of an Allow statement that name actions (``*Role`` names none: IAM
    refuses it, RL605), or its NotAction as one entry."""
    entries = [
        Entry(value)
        for value in statement.actions
        if value.text is None or names_actions(value.text)
    ]
    if statement.has_not_action and statement.not_actions:
        entries.append(Entry(statement.not_actions[0], statement))
    return entries


def entries_granting(statement: Statement, actions: tuple[str, ...]) -> list[Entry]:
    """The entries of :func:`action_entries` that grant some of ``actions``, in their order,
    each action text asked once: a statement split per branch of its conditions
    (rolelint.parsers.paired_branches) lists the same few actions hundreds of times, once per
    branch, and most grant none of what a rule looks for."""
    texts = {value.text for value in statement.actions}
    granting = {
        text
        for text in texts
        if text is not None and names_actions(text) and _granted_among(text, actions)
    }
    entries = [Entry(value) for value in statement.actions if value.text in granting]
    if statement.has_not_action and statement.not_actions:
        entry = Entry(statement.not_actions[0], statement)
        if entry.granted_among(actions):
            entries.append(entry)
    return entries


def any_resources(statement: Statement) -> list[Value]:
    return [r for r in statement.resources if every_resource(r)]


def every_resource(resource: Value) -> bool:
    """``"*"`` or a pattern of every ARN (``arn:aws:*:*:*:*``)."""
    return resource.text is not None and is_any_resource(resource.text)


def names_all_of(resource: Value, action: str) -> bool:
    """Whether ``resource`` names every resource ``action`` (a literal action) acts on:
    :func:`every_resource`, or, for an action the AWS action catalog knows, a pattern of every
    resource of each type it acts on (``arn:aws:s3:::*/*`` for s3:GetObject:
    rolelint.checks.effective.names_every_resource_of)."""
    return resource.text is not None and _names_all_of(resource.text, action.lower())


@functools.lru_cache(maxsize=8192)
def _names_all_of(text: str, action: str) -> bool:
    """RL208 asks the same few resources about the same reads for every grant, and again for
    each group of holders."""
    from rolelint.iam_actions import lookup

    if is_any_resource(text):
        return True
    known = lookup(action)
    return known is not None and names_every_resource_of(text, known)


def notes(effects: Iterable[Effect]) -> str:
    """The explanations of several effects, as one parenthesis."""
    parts = [part for effect in effects for part in (*effect.limits, *effect.non_limits)]
    return Effect((), tuple(parts)).note()


def holder_documents(grant: Grant) -> list[tuple[tuple[Role, ...], list[PolicyDocument]]]:
    """Each holder of the grant with its permission documents (no holder and the document
    alone when it has none): a holder's Allow is judged against that holder's Denies only."""
    if not grant.holders:
        return [((), [grant.document])]
    return [
        ((h,), [d for d in h.policies if d.kind is PolicyKind.PERMISSIONS]) for h in grant.holders
    ]


@dataclass(slots=True)
class PassableRoles:
    """The scanned roles of ``inventory``, as iam:PassRole on the roles a resource names
    judges them (RL206), each judged once: which ones a resource names
    (rolelint.graph.hops.RolesByArn, as a grant of sts:AssumeRole names the role it chains to;
    built on first use, as most scans pass no named role), whether each is
    administrator-level as the role graph marks it (hops.admin_levels, which the graph and
    the audit read too: every IAM action as RL201 judges it, or a privilege escalation
    through IAM as this rule finds it), and the services its trust lets work as it
    (hops.trusted_services)."""

    inventory: Inventory = field(repr=False)
    index: RolesByArn | None = field(default=None, repr=False)
    levels: AdminLevels | None = field(default=None, repr=False)
    services: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    def named_by(self, pattern: str, declared_in: str | None = None) -> list[tuple[Role, str]]:
        """The roles ``pattern`` certainly names, each with the ARN of it that it names; a
        reference to a role (``declared_in``: Value.declared_in) that role only."""
        from rolelint.graph.hops import RolesByArn

        if self.index is None:
            self.index = RolesByArn(self.inventory.roles)
        return self.index.named_by(pattern, declared_in)

    def admin_level(self, role: Role) -> AdminGrant | None:
        from rolelint.graph.hops import admin_levels

        if self.levels is None:
            self.levels = admin_levels(self.inventory)
        return self.levels.of(role)

    def trusted_services(self, role: Role) -> frozenset[str]:
        from rolelint.graph.hops import trusted_services

        if id(role) not in self.services:
            self.services[id(role)] = trusted_services(role)
        return self.services[id(role)]
