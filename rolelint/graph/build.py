"""The assume-role graph of one inventory: every party that can obtain a role's credentials.

Two kinds of edge:

- **trust edges** from parties outside the scanned IAM principals: anyone (``"*"``), an account
  (its root), an AWS service, an OIDC or SAML provider, an IAM principal ARN that no scanned file
  defines.  The trust policy alone decides; the other side is not in the code.
- **IAM edges** between scanned principals (roles, and users with their groups' policies): X can
  assume R when X's effective permissions (after Denies and permissions boundary, see
  :mod:`rolelint.checks.effective`) allow ``sts:AssumeRole`` on R's ARN and R's trust policy
  admits X (by ARN, by pattern, by X's account root, or ``"*"``).

Scale: candidate pairs come from indexes, never from all pairs.  A source whose Resource names
roles literally finds them by ARN; a source allowed ``sts:AssumeRole`` on a pattern looks only at
the roles whose trust admits it (indexed by trusted principal ARN, by trusted account, and the few
that trust anyone), so the work grows with the edges that can exist, not with roles squared.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rolelint.checks.account_limits import (
    account_limit,
    account_parties,
    without_account_limit,
)
from rolelint.checks.base import once_per_inventory
from rolelint.checks.conditions import never_applies
from rolelint.checks.effective import effect_of
from rolelint.checks.external_id import (
    ORGANIZATION_PRINCIPAL_KEYS,
    OrganizationLimit,
    organization_limit,
)
from rolelint.checks.federation import provider_pin
from rolelint.checks.iam_match import (
    has_wildcard,
    statement_grants,
)
from rolelint.checks.principals import TypedPrincipal, Who, is_everyone, provider_label, typed
from rolelint.checks.service_limits import (
    service_pin,
    without_service_limit,
)
from rolelint.checks.session import longest_valid_seconds
from rolelint.checks.trust_common import ASSUME_SAML, ASSUME_WEB_IDENTITY, assume_actions
from rolelint.checks.trust_conditions import Grade, Scope, benefit_of_doubt, scope_of
from rolelint.gc_pause import gc_paused
from rolelint.graph.crowds import Crowd, covers_every_role, form_crowd
from rolelint.graph.hops import (
    ASSUME_ROLE,
    AdminLevels,
    Admission,
    Candidate,
    RolePool,
    RolesByArn,
    account_of,
    admin_levels,
    allows_setting,
    any_requires_session_values,
    as_arn,
    assume_resources,
    assume_statements,
    certainly_refused,
    grant_for,
    has_limits,
    literal_prefix,
    role_of_sessions,
    session_role,
    session_values_needed,
    statement_indexes,
    trust_admissions,
    without_partition,
)
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.model import (
    THIS_ACCOUNT,
    AccountContext,
    Identity,
    IdentityKind,
    Inventory,
    PolicyDocument,
    Principal,
    Role,
    Statement,
    Value,
    identity_holder,
    stand_ins_in_words,
)


@dataclass(frozen=True, slots=True)
class NodeIds:
    """The graph id of each scanned role, user and group: ``role:FILE#ID``.

    FILE#ID names one resource of a template or of a Terraform root module.  A module that two
    scanned roots call is one block made into two roles (each root passes its own inputs), with
    the same file and address: only those ids, ``shared`` by several holders, are qualified by
    the root module's folder instead of the file (``role:envs/a#module.ci.aws_iam_role.this``),
    so that each instance is a node of its own.  Every other id stays as it was: ids are in the
    JSON drawing, ``--focus`` and ``show`` take them, and fingerprints name the nodes by them.
    """

    shared: frozenset[str] = frozenset()

    def role(self, role: Role) -> str:
        return self._id("role", role.ref.file, role.id, role.root)

    def identity(self, identity: Identity) -> str:
        return self._id(identity.kind.value, identity.ref.file, identity.id, identity.root)

    def role_root(self, role: Role) -> str | None:
        """The root folder that qualifies ``role``'s id, None when its file names it."""
        return self._qualifier("role", role.ref.file, role.id, role.root)

    def identity_root(self, identity: Identity) -> str | None:
        """As :meth:`role_root`, for a user or group."""
        kind = identity.kind.value
        return self._qualifier(kind, identity.ref.file, identity.id, identity.root)

    def _id(self, kind: str, file: str, name: str, root: str | None) -> str:
        qualifier = self._qualifier(kind, file, name, root)
        return f"{kind}:{qualifier if qualifier is not None else file}#{name}"

    def _qualifier(self, kind: str, file: str, name: str, root: str | None) -> str | None:
        if root is None or f"{kind}:{file}#{name}" not in self.shared:
            return None
        return root


@once_per_inventory
def node_ids_of(inventory: Inventory) -> NodeIds:
    """The :class:`NodeIds` of ``inventory``, as the graph of it names its nodes."""
    plain = NodeIds()
    counts = Counter(
        [plain.role(role) for role in inventory.roles]
        + [plain.identity(identity) for identity in inventory.identities]
    )
    return NodeIds(frozenset(node for node, count in counts.items() if count > 1))


@dataclass(frozen=True, slots=True)
class _Principal:
    """A scanned IAM principal that may call sts:AssumeRole: a role, or a user seen as a role
    holding its own and its groups' policies, as :func:`rolelint.graph.hops.grant_for` needs."""

    node: str
    holder: Role
    account: str | None
    other_name: bool = False  # the holder under another ARN it has (Role.other_arns)


def _under_other_names(principals: Iterable[_Principal]) -> list[_Principal]:
    """Each principal once more under each other ARN it has, where a condition chooses its
    name or path: a trust naming it by that ARN admits it, in the deployments that give it."""
    return [
        _Principal(p.node, as_arn(p.holder, arn), account_of(arn.text), other_name=True)
        for p in principals
        for arn in p.holder.other_arns
    ]


@once_per_inventory
def graph_of(inventory: Inventory) -> AssumeGraph:
    """:func:`build_graph`, once per inventory: every chaining rule reads the same graph."""
    with gc_paused():
        return build_graph(inventory)


def roleless_trust_policies(inventory: Inventory) -> list[PolicyDocument]:
    """The trust policies that belong to no role (a raw trust-policy file): 'rolelint check'
    judges them, but with no role they are no node of the graph, nor a row of the inventory.
    The commands that draw or list roles say so rather than leave them out unsaid."""
    return [document for document, role in inventory.trust_policies() if role is None]


def build_graph(inventory: Inventory) -> AssumeGraph:
    """The graph of every role in ``inventory`` and every party that can assume it."""
    graph = AssumeGraph()
    accounts = inventory.accounts
    ids = node_ids_of(inventory)
    levels = admin_levels(inventory)
    roles = list(inventory.roles)
    for role in roles:
        graph.add_node(_role_node(role, ids.role(role), accounts, levels))
    principals = [_Principal(ids.role(r), r, account_of(r.arn.text)) for r in roles]
    principals += _user_principals(inventory, graph, ids, levels)
    principals += _under_other_names(principals)
    by_arn = _principals_by_arn(principals)
    for role in roles:
        _add_trust_edges(graph, role, ids.role(role), by_arn, accounts)
    _add_iam_edges(graph, roles, principals, ids)
    _add_direct_trust_edges(graph, roles, by_arn, ids)
    return graph.sorted()


def _role_node(role: Role, node_id: str, accounts: AccountContext, levels: AdminLevels) -> Node:
    account = account_of(role.arn.text)
    duration = longest_valid_seconds(role.max_session_duration)
    return Node(
        node_id,
        NodeKind.ROLE,
        role.id,
        role.ref,
        privileged=levels.reason(role),
        external=account is not None and not accounts.is_own(account),
        max_session_duration=duration,
        unread_permissions=role.unread_permissions,
    )


def _user_principals(
    inventory: Inventory, graph: AssumeGraph, ids: NodeIds, levels: AdminLevels
) -> list[_Principal]:
    groups = {i.id: i for i in inventory.identities if i.kind is IdentityKind.GROUP}
    found = []
    for identity in inventory.identities:
        node_id = ids.identity(identity)
        if identity.kind is not IdentityKind.USER:
            graph.add_node(Node(node_id, NodeKind.GROUP, identity.id, identity.ref))
            continue
        holder = identity_holder(identity, groups)
        # A user is privileged as a role would be with the same policies (its own and its
        # groups'): an administrator gains nothing by assuming a role.
        privileged = levels.reason(holder, identity)
        graph.add_node(Node(node_id, NodeKind.USER, identity.id, identity.ref, privileged))
        if identity.arn.text is not None:
            found.append(_Principal(node_id, holder, account_of(identity.arn.text)))
    return found


def _principals_by_arn(principals: Iterable[_Principal]) -> dict[str, list[_Principal]]:
    """The scanned principals by ARN (without its partition), and each role also by the key of
    its sessions (``session:ACCOUNT:NAME``, :func:`role_of_sessions`), which a trust policy may
    name instead."""
    index: dict[str, list[_Principal]] = {}
    for principal in principals:
        arn = principal.holder.arn.text
        if arn is not None:
            index.setdefault(without_partition(arn), []).append(principal)
            sessions = role_of_sessions(arn)
            if sessions is not None:
                index.setdefault(sessions, []).append(principal)
    return index


# --- trust edges ----------------------------------------------------------------------------------

# The name of the party of every AWS service ("*" limited to services), as its node's id holds it.
EVERY_SERVICE = "*"


def _add_trust_edges(
    graph: AssumeGraph,
    role: Role,
    target: str,
    scanned: dict[str, list[_Principal]],
    accounts: AccountContext,
) -> None:
    """Edges from the parties the trust policy admits (into ``target``, the role's node) that
    are not scanned IAM principals."""
    document = role.trust_policy
    if document is None:
        return
    for index, statement in enumerate(document.statements):
        if not statement.is_allow or never_applies(document, statement):
            continue  # RL611's, or under an ARN test naming no ARN: it admits no one, no way in
        # Under an effective condition (an organization, an ExternalId, a pinned token claim)
        # the edge holds only for the callers that satisfy it: drawn, but marked.  So under one
        # that may be such a limit though rolelint cannot tell (an unresolved key, a value
        # whoever deploys decides): the rules give it the benefit of the doubt, so does the
        # graph.
        scopes = {
            action: scope_of(statement, document.statements, action)
            for action in assume_actions(statement)
        }
        scoped = {action: scope.conditioned for action, scope in scopes.items()}
        # The accounts a StringEquals aws:PrincipalAccount names for "*" are its parties: that
        # condition is no limit on them, as it is none on an account written as the principal.
        of_accounts = _conditioned_without(
            without_account_limit(statement), statement, scoped, document
        )
        # So is an aws:PrincipalServiceName test on the services it names for "*".
        of_services = _conditioned_without(
            without_service_limit(statement), statement, scoped, document
        )
        written = [typed(principal) for principal in statement.principals]
        # Read once for every "*" of the statement; a statement without one needs no reading.
        organizations = (
            organization_limit(statement, document, accounts, scopes.get(ASSUME_ROLE))
            if any(kind.who is Who.EVERYONE for kind in written)
            else None
        )
        for principal, as_written in zip(statement.principals, written, strict=True):
            for party in _parties_of(as_written, statement, organizations, accounts):
                kind = party.kind
                named = kind.account is not None and kind.who is not as_written.who
                serviced = kind.who is Who.SERVICE and as_written.who is Who.EVERYONE
                limits = of_accounts if named else of_services if serviced else scoped
                chosen = _widest_action(kind, _not_refused(limits, document, statement, kind))
                if chosen is None:
                    continue
                action, scoped_action = chosen
                node = _party(party, scanned, accounts, target)
                if node is None:
                    continue
                graph.add_node(node)
                pinned, undecided = _provider_pinned(document, statement, kind)
                maybe_own = kind.who is Who.EVERYONE and _organization_left_open(scopes[action])
                how = f"the trust policy admits {node.label}"
                if serviced:
                    how += f" ('{principal.value.text}' limited by {party.named_by})"
                elif kind.who is not as_written.who:
                    key = "aws:PrincipalOrgID" if party.organizations else party.named_by
                    how = f"the trust policy admits anyone (*) of {node.label} ({key})"
                elif pinned or (scoped_action and scopes[action].scoped):
                    how += " under a condition that limits who"
                elif scoped_action or undecided:
                    how += " under a condition rolelint cannot resolve, which may limit who"
                graph.add_edge(
                    Edge(
                        node.id,
                        target,
                        action,
                        how,
                        trust=principal.value.ref,
                        conditional=scoped_action or pinned or undecided,
                        statement=index,
                        maybe_own=maybe_own,
                        by_account_condition=named,
                        by_service_condition=serviced,
                        pin_unresolved=undecided,
                    )
                )


def _organization_left_open(scope: Scope) -> bool:
    """Whether an organization condition limits the statement to an organization whoever
    deploys names (its value a parameter or variable without a default): it may be the user's
    own, which --org-id cannot declare, as no value is written.  A Deny refusing everyone
    outside such an organization (``Scope.undecided``) limits it the same way."""
    left_open = [g for g in scope.graded if benefit_of_doubt(g).grade is Grade.UNKNOWN]
    return any(
        graded.condition.key.lower() in ORGANIZATION_PRINCIPAL_KEYS
        for graded in (*left_open, *scope.undecided)
    )


@dataclass(frozen=True, slots=True)
class _Party:
    """A party a trust statement admits, as the checks read it (``kind``).  For the principals
    of the accounts of organizations (``"*"`` under an organization condition), the
    organizations' ids (``kind`` names them joined: ``o-a, o-b``), and whether the user
    declared them all (``--org-id``): their party is one of the user's own.  No organizations
    for any other party."""

    kind: TypedPrincipal
    organizations: tuple[str, ...] = ()
    declared: bool = False
    # For an account a condition names: the key that names it (aws:PrincipalAccount, or
    # aws:PrincipalArn, which still limits who of the account may call); for a service,
    # aws:PrincipalServiceName.
    named_by: str = "aws:PrincipalAccount"


def _parties_of(
    kind: TypedPrincipal,
    statement: Statement,
    organizations: OrganizationLimit | None,
    accounts: AccountContext,
) -> list[_Party]:
    """Who ``kind`` really admits: ``"*"`` under a mandatory ``StringEquals
    aws:PrincipalAccount`` admits the principals of those accounts only, as their root would
    (an entry from "anyone" would make RL405 report the own account as the world); under an
    ``aws:PrincipalArn`` test naming the accounts of its ARNs, the principals of those accounts
    the test admits (:mod:`rolelint.checks.account_limits`), which still limits them; under an
    ``aws:PrincipalServiceName`` test (or ``ForAnyValue:`` of the names list), the services it
    names, each as written as a Service principal (:mod:`rolelint.checks.service_limits`: an
    entry from anyone would make the service's role look open to the world, and scanned roles
    pass no such test); under ``aws:PrincipalIsAWSService`` or a name pattern every service
    matches, every AWS service, one party, as RL110 says.  An
    account whoever deploys chooses is no party, as an unresolved principal is none: the inventory
    lists it as unresolved (:func:`deployer_chosen_accounts`), and the literal accounts beside
    it stay parties.  Limited to organizations the user declared (``--org-id``), as RL101 and
    RL102 judge it (``organizations``, the statement's
    :func:`rolelint.checks.external_id.organization_limit`), it admits the principals of their
    accounts: one party, the organization.  Limited to another organization while the user
    declared theirs, it admits the principals of that organization's accounts: a party of its
    own, outside.  A statement under an ARN test no caller's or resource's ARN passes admits
    no one, whoever its principals: :func:`_add_trust_edges` skips it (``never_applies``)."""
    if kind.who is not Who.EVERYONE:
        return [_Party(kind)]
    if organizations is not None and organizations.declared:
        ids = organizations.organizations
        joined = TypedPrincipal(kind.principal, Who.ACCOUNT, name=", ".join(ids))
        return [_Party(joined, ids, declared=True)]
    if organizations is not None:
        return [
            _Party(
                TypedPrincipal(kind.principal, Who.ACCOUNT, name=org),
                (org,),
                declared=org in accounts.org_ids,  # another's condition may name one of them too
            )
            for org in organizations.organizations
        ]
    parties = account_parties(kind.principal, statement)
    if parties is None:
        pin = service_pin(statement) if is_everyone(kind.principal) else None
        if pin is None:
            return [_Party(kind)]
        if pin.services:
            return [_Party(typed(service), named_by=pin.key) for service in pin.services]
        # As RL110 says: every AWS service, acting for whoever configures it.
        every = TypedPrincipal(kind.principal, Who.SERVICE, name=EVERY_SERVICE)
        return [_Party(every, named_by=pin.key)]
    ordered = sorted(parties, key=lambda found: found[0].account or "")
    return [_Party(party, named_by=naming.key) for party, naming in ordered]


def deployer_chosen_accounts(
    principal: Principal, statement: Statement, document: PolicyDocument, accounts: AccountContext
) -> tuple[Value, ...]:
    """The values of ``aws:PrincipalAccount`` rolelint cannot resolve through which the Allow
    ``statement`` admits ``principal`` (``"*"``) beside the accounts :func:`_parties_of` names:
    the accounts whoever deploys chooses.  No party of the graph (an unknown account is no
    node), but someone can assume the role through them: the inventory lists them as
    unresolved, never as nobody.  Empty for any other principal or statement."""
    if not statement.is_allow or not assume_actions(statement):
        return ()
    if typed(principal).who is not Who.EVERYONE:
        return ()
    if organization_limit(statement, document, accounts) is not None:
        return ()
    limit = account_limit(statement)
    return limit.chosen if limit is not None else ()


def _not_refused(
    scoped: dict[str, bool], document: PolicyDocument, allow: Statement, kind: TypedPrincipal
) -> dict[str, bool]:
    """The actions of ``scoped`` that no Deny of the trust policy certainly refuses the party
    ``kind`` wherever ``allow`` admits it (:func:`rolelint.graph.hops.certainly_refused`): an
    explicit Deny wins over the Allow, so the party reaches the role through none of the
    others."""
    return {
        action: limited
        for action, limited in scoped.items()
        if not certainly_refused(document.statements, allow, kind, action)
    }


# The one assume action each kind of trusted party calls: an OIDC identity presents a web
# identity token, a SAML user an assertion, every other principal (roles, users, accounts,
# services) calls sts:AssumeRole.  "*" matches the caller of any of them.
_ACTION_OF = {Who.OIDC: ASSUME_WEB_IDENTITY, Who.SAML: ASSUME_SAML}


def _widest_action(kind: TypedPrincipal, scoped: dict[str, bool]) -> tuple[str, bool] | None:
    """The assume action through which ``kind`` reaches the role, and whether a condition
    limits it; an unconditioned one first.  Each action is judged on its own (as RL101 does): a
    Deny may refuse outsiders for sts:AssumeRole alone and leave sts:AssumeRoleWithWebIdentity
    open to anyone.  None when the statement grants no action the party can call (a federated
    principal allowed only sts:AssumeRole, which RL107 reports)."""
    if kind.who is Who.EVERYONE:
        usable = list(scoped)
    else:
        own = _ACTION_OF.get(kind.who, ASSUME_ROLE)
        usable = [action for action in scoped if action == own]
    if not usable:
        return None
    action = min(usable, key=lambda a: scoped[a])  # stable: ASSUME_ACTIONS order among equals
    return action, scoped[action]


def _conditioned_without(
    limit_left_out: Statement,
    statement: Statement,
    scoped: dict[str, bool],
    document: PolicyDocument,
) -> dict[str, bool]:
    """Whether each action of ``scoped`` (``statement``'s, of ``document``) is conditioned once
    a limit on "*" is left out (``limit_left_out``: the statement without it, or the statement
    itself where it has none)."""
    if limit_left_out is statement:
        return scoped
    return {
        action: scope_of(limit_left_out, document.statements, action).conditioned
        for action in scoped
    }


def _provider_pinned(
    document: PolicyDocument, statement: Statement, kind: TypedPrincipal
) -> tuple[bool, bool]:
    """Whether the statement pins who among an OIDC provider's tokens may use it, as RL103
    judges it (a pinned ``aud`` or a ``sub`` of ``*`` says nobody), or the audience of a SAML
    provider's assertions, as RL104 requires: the inventory grades the party ``scoped`` by it,
    and a scoped edge must never be one RL103 or RL104 calls open.  And whether, pinning
    nothing as written, it would by values rolelint cannot resolve (``SubjectPin.undecided``):
    that may be the limit, so the hop is conditional, and the inventory grades it unknown."""
    pin = provider_pin(document, statement, kind)
    if pin is None:
        return False, False
    return pin.pinned, bool(pin.undecided)


def _party(
    party: _Party,
    scanned: dict[str, list[_Principal]],
    accounts: AccountContext,
    target: str,
) -> Node | None:
    """The node of a trusted party that is not a scanned IAM principal, None for scanned ones
    (their edges need a permission and come from :func:`_add_iam_edges`, or none, the trust
    naming them in their own account, from :func:`_add_direct_trust_edges`) and unknowns.  A
    session of the trusting role (``target``) itself stays a party: the graph draws no edge
    from a role to itself (RL404 reports it), and the role's callers still list it."""
    kind = party.kind
    who = kind.who
    if who is Who.EVERYONE:
        return Node("anyone", NodeKind.ANYONE, "anyone (*)", external=True)
    if who is Who.SERVICE:
        label = "every AWS service" if kind.name == EVERY_SERVICE else kind.name or "service"
        return Node(f"service:{kind.name}", NodeKind.SERVICE, label)
    if who in (Who.OIDC, Who.SAML):
        label = provider_label(kind)
        return Node(f"federated:{kind.text}", NodeKind.FEDERATED, label, external=True)
    if party.organizations:
        if party.declared:
            label = f"your organization {kind.name}"
            return Node(f"organization:{kind.name}", NodeKind.ACCOUNT, label)
        label = f"organization {kind.name}"
        return Node(f"organization:{kind.name}", NodeKind.ACCOUNT, label, external=True)
    if who is Who.ACCOUNT and kind.account is not None:
        ours = accounts.is_own(kind.account)
        label = "this account" if kind.account == THIS_ACCOUNT else f"account {kind.account}"
        return Node(f"account:{kind.account}", NodeKind.ACCOUNT, label, external=not ours)
    if who in (Who.ROLE, Who.USER, Who.ASSUMED_ROLE) and not kind.has_wildcard:
        if without_partition(kind.text) in scanned:
            return None
        sessions = session_role(kind.text) if who is Who.ASSUMED_ROLE else None
        if sessions is not None and any(
            principal.node != target for principal in scanned.get(sessions, ())
        ):
            return None  # a session of another scanned role: its hop is that role's
        account = kind.account or ""
        # Labelled by its ARN, a stand-in in words: the id keeps the stand-in, which tells
        # apart two principals whose names are not known.
        return Node(
            f"principal:{kind.text}",
            NodeKind.ROLE if who is not Who.USER else NodeKind.USER,
            stand_ins_in_words(kind.text),
            external=not accounts.is_own(account),
        )
    return None


# --- IAM edges ------------------------------------------------------------------------------------


def _add_iam_edges(
    graph: AssumeGraph, roles: Sequence[Role], principals: Sequence[_Principal], ids: NodeIds
) -> None:
    trusted_arn: dict[str, list[Role]] = {}  # literal principal ARN -> roles trusting it
    trusted_account: dict[str, list[Role]] = {}  # account -> roles trusting a pattern in it
    trusting_anyone: list[Role] = []
    # Per target, on first use: its AssumeRole statements, whether any requires session tags or
    # a source identity, and the index of each in its trust policy (by id()).
    trust_statements: dict[int, tuple[list[Statement], bool, dict[int, int]]] = {}
    scoped = _Scoped()
    # The roles a source may assume: those with an ARN and a trust policy.  A role whose name
    # or path a condition chooses is a target under each ARN it may have (each held by the
    # index, so that the caches by id() above stay true): the role itself (index.primary).
    targets = [r for r in roles if r.arn.text is not None and r.trust_policy is not None]
    index = RolesByArn(targets)
    every_arn = index.every_arn
    for role in targets:
        for text in _trusted_aws_principals(role):
            account = account_of(text) if text.startswith("arn:") else text
            if text == "*" or (account is not None and has_wildcard(account)):
                trusting_anyone.append(role)
            elif has_wildcard(text) or text.endswith(":root") or not text.startswith("arn:"):
                trusted_account.setdefault(account or "", []).append(role)
            else:
                trusted_arn.setdefault(without_partition(text), []).append(role)
                sessions = session_role(text)
                if sessions is not None:  # a session of a role: that role's, by its key
                    trusted_arn.setdefault(sessions, []).append(role)
    own_names = [p for p in principals if not p.other_name]
    crowds = _crowds(graph, own_names, trusted_account, trusting_anyone, ids)
    # Each group of roles a source's patterns are matched against, indexed by ARN once (per
    # account; without a crowd's members for the callers that reach them through it).
    pools: dict[tuple[str, str | None], RolePool] = {}
    matches = _PatternMatches(every_arn(targets))

    def pool(kind: str, crowd: Crowd | None) -> RolePool:
        key = (kind, crowd.account if crowd is not None else None)
        found = pools.get(key)
        if found is None:
            roles = trusting_anyone if kind == "*" else trusted_account.get(kind, [])
            found = RolePool(every_arn(_outside(roles, crowd) if crowd is not None else roles))
            pools[key] = found
            matches.share(found)
        return found

    reached: set[tuple[str, str]] = set()  # a source's edge to a role, under any of their ARNs
    # How trust policies admit callers, each text kept once: the edges' words share them.
    phrases: dict[str, str] = {}
    # Each target's node id, made once and shared by the edges into it: made per edge, the
    # 300,000 edges of 800 roles each assuming hundreds of the others held as many copies.
    node_ids: dict[int, str] = {}

    for source in principals:
        arn = source.holder.arn.text
        candidates = assume_resources(source.holder)
        if arn is None or not candidates:
            continue
        crowd = crowds.get(source.account or "")
        joined = crowd is not None and _joins_crowd(graph, source, candidates, crowd)
        without = crowd if joined else None
        sessions = role_of_sessions(arn)
        trusting = trusted_arn.get(without_partition(arn), [])
        if sessions is not None:
            trusting = [*trusting, *trusted_arn.get(sessions, [])]
        open_pools = (
            RolePool(every_arn(trusting)),
            pool(source.account or "", without),
            pool("*", without),
        )
        limited = has_limits(source.holder)
        granting: dict[int, str] = {}  # the words of each grant of the source's, by id()
        for target, found in _candidate_targets(candidates, index, open_pools, matches):
            node = node_ids.get(id(target))
            if node is None:
                node = node_ids[id(target)] = ids.role(target)
            if target.arn.text == arn or node == source.node:
                continue  # a role assuming itself is its own finding (self-trust), not a hop
            if joined and crowd is not None and id(index.primary(target)) in crowd.member_ids:
                continue  # reached through the crowd
            if (source.node, node) in reached:
                continue  # under another of their ARNs
            grant = grant_for(source.holder, found, target, limited=limited)
            if grant is None:
                continue
            cached = trust_statements.get(id(target))
            if cached is None:
                found_statements = assume_statements(target)
                needs = any_requires_session_values(found_statements)
                cached = (found_statements, needs, statement_indexes(target))
                trust_statements[id(target)] = cached
            statements, needs_values, indexes = cached
            admission = _admission(target, source.holder, statements, scoped)
            if admission is None:
                continue
            conditional = scoped.of(target, admission.statement)
            needed = (
                session_values_needed(target, source.holder, statements) if needs_values else ()
            )
            if needed is None or not all(
                allows_setting(source.holder, target, value) for value in needed
            ):
                continue  # the trust requires tags or a source identity the source cannot set
            words = granting.get(id(grant))
            if words is None:
                words = f"{grant.document.origin} allows sts:AssumeRole on {grant.described}"
                granting[id(grant)] = words
            reached.add((source.node, node))
            graph.add_edge(
                Edge(
                    source.node,
                    node,
                    ASSUME_ROLE,
                    (
                        words,
                        " and the trust policy of ",
                        target.id,
                        " admits ",
                        source.holder.id,
                        " by ",
                        phrases.setdefault(admission.how, admission.how),
                        *(f", with {value.passed} ({value.action})" for value in needed),
                    ),
                    trust=admission.principal.value.ref,
                    grant=grant.resource.ref,
                    conditional=conditional,
                    grant_resource=grant.document.resource,
                    grant_value=grant.resource.display(),
                    statement=indexes.get(id(admission.statement)),
                )
            )


class _Scoped:
    """Whether an effective condition of a trust statement (with the Denies beside it), or one
    rolelint cannot judge (``Scope.conditioned``), limits who may call sts:AssumeRole, judged
    once per statement: a role trusted by thousands of callers is asked once per edge."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Statement, bool]] = {}

    def of(self, role: Role, statement: Statement) -> bool:
        known = self._known.get(id(statement))
        if known is None or known[0] is not statement:
            policy = role.trust_policy.statements if role.trust_policy is not None else ()
            known = (statement, scope_of(statement, policy, ASSUME_ROLE).conditioned)
            self._known[id(statement)] = known
        return known[1]


def _admission(
    target: Role, caller: Role, statements: list[Statement], scoped: _Scoped
) -> Admission | None:
    """The trust statement that admits ``caller`` into ``target``: one no condition limits when
    there is one (it makes the hop certain), else the first; None when none admits it."""
    found = trust_admissions(target, caller, statements)
    return min(found, key=lambda a: scoped.of(target, a.statement), default=None)


def _wide_grant(source: _Principal, candidates: list[Candidate]) -> Candidate | None:
    """The grant on every role that puts ``source`` in its account's crowd: only a source that
    no Deny or boundary limits, so that the grant holds for every target alike."""
    if source.holder.arn.text is None or has_limits(source.holder):
        return None
    wide = [c for c in candidates if covers_every_role(c)]
    if not wide:
        return None
    return min(
        wide,
        key=lambda c: (
            not c.explicit,
            c.resource.text or "",
            c.resource.ref.file,
            c.resource.ref.line,
        ),
    )


def _crowds(
    graph: AssumeGraph,
    principals: Sequence[_Principal],
    trusted_account: dict[str, list[Role]],
    trusting_anyone: list[Role],
    ids: NodeIds,
) -> dict[str, Crowd]:
    """The crowd of each account with enough wide callers and open roles (see
    :mod:`rolelint.graph.crowds`), its node and its edges to the open roles."""
    callers: dict[str, list[_Principal]] = {}
    for source in principals:
        if source.account is not None and _wide_grant(source, assume_resources(source.holder)):
            callers.setdefault(source.account, []).append(source)
    crowds: dict[str, Crowd] = {}
    for account, members in sorted(callers.items()):
        pool = [*trusted_account.get(account, ()), *trusting_anyone]
        arn = members[0].holder.arn.text or ""
        crowd = form_crowd(account, arn, len(members), pool)
        if crowd is None:
            continue
        crowds[account] = crowd
        graph.add_node(Node(crowd.node_id, NodeKind.CROWD, crowd.label))
        for member in crowd.members:
            graph.add_edge(
                Edge(
                    crowd.node_id,
                    ids.role(member.role),
                    ASSUME_ROLE,
                    f"the trust policy of {member.role.id} admits {member.how}",
                    trust=member.principal.ref,
                    statement=member.statement,
                )
            )
    return crowds


def _joins_crowd(
    graph: AssumeGraph, source: _Principal, candidates: list[Candidate], crowd: Crowd
) -> bool:
    """Draw ``source``'s edge into the crowd when its grant covers every role."""
    grant = _wide_grant(source, candidates)
    if grant is None:
        return False
    graph.add_edge(
        Edge(
            source.node,
            crowd.node_id,
            ASSUME_ROLE,
            f"{grant.document.origin} allows sts:AssumeRole on {grant.described}, "
            f"which reaches {crowd.label}: the {len(crowd.members)} roles whose trust policy "
            "admits the account root or anyone",
            grant=grant.resource.ref,
            grant_resource=grant.document.resource,
            grant_value=grant.resource.display(),
        )
    )
    return True


def _outside(roles: Iterable[Role], crowd: Crowd) -> list[Role]:
    return [role for role in roles if id(role) not in crowd.member_ids]


def _trusted_aws_principals(role: Role) -> Iterable[str]:
    document = role.trust_policy
    if document is None:
        return []
    return {
        principal.value.text
        for statement in document.statements
        if statement.is_allow and statement_grants(statement, ASSUME_ROLE)
        for principal in statement.principals
        if principal.value.text is not None and principal.kind.value in ("AWS", "*")
    }


class _PatternMatches:
    """The roles of a pool each sts:AssumeRole pattern names (:meth:`Candidate.names`), worked
    out once per pattern for the pools every source shares (:meth:`share`: an account's, or
    anyone's), and the order roles are taken in.  800 roles each allowed the role-name
    pattern of one of a dozen kinds matched each pattern against every role once per source:
    640,000 matches where a dozen patterns times 800 roles say the same.  What a pattern
    names depends on its text, the namespace of a reference (Value.declared_in) and what a
    NotResource leaves out, all three in the key; a pool of one source's (the roles trusting
    its ARN) is matched afresh, as nobody asks of it again."""

    __slots__ = ("_found", "_rank", "_shared")

    def __init__(self, roles: Sequence[Role]) -> None:
        self._found: dict[tuple[str, str | None, tuple[str, ...], int], list[Role]] = {}
        self._shared: dict[int, RolePool] = {}
        ordered = sorted(roles, key=lambda r: (r.ref.file, r.ref.line, r.id, r.arn.text or ""))
        self._rank = {id(role): rank for rank, role in enumerate(ordered)}

    def share(self, pool: RolePool) -> None:
        """Keep what patterns name in ``pool``, which lives as long as this object."""
        self._shared[id(pool)] = pool

    def named(self, candidate: Candidate, pool: RolePool) -> list[Role]:
        """The roles of ``pool`` that ``candidate``, a pattern, names."""
        resource = candidate.resource
        text = resource.text or ""
        if self._shared.get(id(pool)) is not pool:
            return _named_in(candidate, pool, text)
        key = (text, resource.declared_in, candidate.except_for, id(pool))
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = _named_in(candidate, pool, text)
        return found

    def rank(self, role: Role) -> int:
        """Where ``role`` (of the roles given, under one of its ARNs) comes in the order of
        their file, line, id and ARN."""
        return self._rank[id(role)]


def _named_in(candidate: Candidate, pool: RolePool, text: str) -> list[Role]:
    return [role for role in pool.starting_with(literal_prefix(text)) if candidate.names(role)]


def _candidate_targets(
    candidates: list[Candidate],
    index: RolesByArn,
    open_pools: Sequence[RolePool],
    matches: _PatternMatches,
) -> list[tuple[Role, list[Candidate]]]:
    """The roles a source's sts:AssumeRole Resources may name, each with the Resources that do.

    Literal Resources are looked up by ARN; patterns only against the roles of ``open_pools``
    (whose trust policy could admit the source at all: by its ARN, its account or anyone) that
    begin as the pattern does (``matches``, which remembers the answer for the pools every
    source shares).  A role is compared with the patterns and with the literal Resources its
    ARN was looked up by, never with the others: a literal names no role of another ARN
    (:meth:`RolesByArn.named_by` reads it so too), and one grant naming 2,000 roles without a
    name by ``!GetAtt`` compared every resource with every role (85 s).  A pattern names a
    role of the pools only if the role begins as the pattern does, so the roles a pattern
    names there are all it names there.
    """
    patterns: list[int] = []  # the positions of the candidates that are patterns
    literal: dict[int, list[int]] = {}  # id of a role -> the literal candidates looked up for it
    named: dict[int, list[int]] = {}  # id of a role -> the patterns naming it in the pools
    pool: dict[int, Role] = {}
    for position, candidate in enumerate(candidates):
        text = candidate.resource.text or ""
        if has_wildcard(text):
            patterns.append(position)
            continue
        for role in index.exact(text):
            pool[id(role)] = role
            literal.setdefault(id(role), []).append(position)
    for position in patterns:
        for open_pool in open_pools:
            for role in matches.named(candidates[position], open_pool):
                pool[id(role)] = role
                positions = named.setdefault(id(role), [])
                if not positions or positions[-1] != position:  # in two pools
                    positions.append(position)
    matched: list[tuple[Role, list[Candidate]]] = []
    # A role under each of its ARNs (Role.other_arns), in ARN order: an edge is the first's.
    for role in sorted(pool.values(), key=matches.rank):
        if id(role) in literal:
            merged = heapq.merge(literal[id(role)], patterns)  # in the grant's order
            found = [candidates[p] for p in merged if candidates[p].names(role)]
        else:
            found = [candidates[p] for p in named.get(id(role), ())]
        if found:
            matched.append((role, found))
    return matched


# --- direct trust ---------------------------------------------------------------------------------


def _add_direct_trust_edges(
    graph: AssumeGraph, roles: Sequence[Role], scanned: dict[str, list[_Principal]], ids: NodeIds
) -> None:
    """Hops AWS allows without a permission: a trust policy naming a principal of its own
    account by ARN is enough (naming the account root is not: then the principal needs its own
    sts:AssumeRole).  A session of a role of its own account (``assumed-role/worker/deploy``)
    named so is admitted the same way: the role opens that session (it chooses the session
    name), and the session needs no permission of its own.  An unconditional Deny in the
    principal's policies (a user's groups', its boundary's) still removes the hop.  A role's
    permissions boundary that does not allow it removes it too; a user's or a session's does
    not: IAM limits what a resource-based policy grants a role ARN by the role's boundary, but
    what it grants an IAM user ARN or a role session ARN only by explicit Denies (IAM User
    Guide, policy evaluation logic)."""
    linked = {(edge.source, edge.target) for edge in graph.edges if edge.grant is not None}
    for role in roles:
        account = account_of(role.arn.text)
        document = role.trust_policy
        if account is None or document is None:
            continue
        target = ids.role(role)
        statements = assume_statements(role)
        indexes = statement_indexes(role)
        scoped = _Scoped()
        # Per source holder: the principals of the trust that admit it, and whether the tags or
        # source identity the trust requires let it in; each worked out once, not again for
        # each principal naming it.  The trust names it by ARN: in its own account, the trust's
        # Allow of sts:TagSession or sts:SetSourceIdentity is enough, as for sts:AssumeRole.
        admitting: dict[int, list[Principal]] = {}
        settable: dict[int, bool] = {}
        for statement in statements:
            if not statement.is_allow:
                continue
            for principal in statement.principals:
                text = principal.value.text
                if text is None or has_wildcard(text) or not text.startswith("arn:"):
                    continue
                sessions = session_role(text)
                by_session = scanned.get(sessions, []) if sessions else []
                named = [(p, False) for p in scanned.get(without_partition(text), ())]
                for source, session in (*named, *((p, True) for p in by_session)):
                    if source.account != account or source.node == target:
                        continue
                    if (source.node, target) in linked:
                        continue
                    # Only this principal, naming the source by ARN, spares it a permission:
                    # when a condition of its statement or a Deny refuses the source, another
                    # principal admitting it (the account root beside a denied session, another
                    # statement) still asks for the source's own sts:AssumeRole.
                    key = id(source.holder)
                    if key not in admitting:
                        admitting[key] = [
                            a.principal
                            for a in trust_admissions(
                                role, source.holder, statements, each_principal=True
                            )
                        ]
                        needed = session_values_needed(role, source.holder, statements)
                        settable[key] = needed is not None
                    if not any(p is principal for p in admitting[key]):
                        continue
                    if not settable[key]:
                        continue  # required, and the trust never lets them be set
                    if has_limits(source.holder) and _refused(
                        source, graph, role, document, session=session
                    ):
                        continue
                    linked.add((source.node, target))
                    said = stand_ins_in_words(text)
                    how = f"a session of it ('{said}')" if session else "its ARN"
                    graph.add_edge(
                        Edge(
                            source.node,
                            target,
                            ASSUME_ROLE,
                            f"the trust policy of {role.id} names {source.holder.id} by {how} "
                            "(same account: no permission of its own is needed)",
                            trust=principal.value.ref,
                            conditional=scoped.of(role, statement),
                            named_by=how,
                            statement=indexes.get(id(statement)),
                        )
                    )


def _refused(
    source: _Principal,
    graph: AssumeGraph,
    role: Role,
    trust: PolicyDocument,
    *,
    session: bool = False,
) -> bool:
    """Whether the Denies and boundary of ``source`` take away the hop that ``role``'s trust
    policy grants it by naming its ARN: for a user, or a role's session, only an explicit
    Deny does."""
    user = graph.nodes[source.node].kind is NodeKind.USER
    implicit_deny = not (user or session)
    effect = effect_of(ASSUME_ROLE, [role.arn], trust, [source.holder], implicit_deny=implicit_deny)
    return effect.removed
