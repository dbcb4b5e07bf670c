"""One inventory row per role, and per user or group that can assume roles.

Who can assume a role comes from the assume-role graph (the same edges the chaining rules
walk), graded by the trust statement's conditions; what it can do from its policies and the
findings on it (:mod:`rolelint.audit.access`); the risk from :mod:`rolelint.audit.risk`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rolelint.audit.access import Access, AccessSummary, access_of
from rolelint.audit.reach import Reach
from rolelint.audit.risk import EXPOSURE_POINTS, Risk, risk_of
from rolelint.checks.account_limits import without_account_limit
from rolelint.checks.base import holder_key
from rolelint.checks.conditions import never_applies
from rolelint.checks.federation import issuers_judged_for_unresolved
from rolelint.checks.principals import provider_label
from rolelint.checks.service_limits import without_service_limit
from rolelint.checks.session import DEFAULT_MAX_SESSION_SECONDS, longest_valid_seconds
from rolelint.checks.trust_common import assume_actions
from rolelint.checks.trust_conditions import Grade, benefit_of_doubt, grade, scope_of
from rolelint.findings import Finding, HolderKey
from rolelint.graph.build import deployer_chosen_accounts, node_ids_of
from rolelint.graph.hops import admin_levels
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.model import (
    AccountContext,
    Condition,
    Identity,
    IdentityKind,
    Inventory,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    identity_holder,
)
from rolelint.names import short_name
from rolelint.source import SourceRef

# How the conditions of the trust statement that admits a party limit who among it may
# assume the role.
SCOPED = "scoped"  # an effective condition (an organization, an ExternalId, a pinned claim)
WEAK = "weak"  # conditions, none of which says who (MFA, a source IP, a session tag)
UNKNOWN = "unknown"  # a condition rolelint could not resolve
OPEN = "open"  # no condition at all
_CONDITION_ORDER = (OPEN, WEAK, UNKNOWN, SCOPED)  # worst first
REACH_NAMES = 20  # names listed of the roles a principal reaches (all are counted)
_KIND_ORDER = (
    "anyone",
    "account",
    "federated",
    "role",
    "user",
    "group",
    "crowd",
    "service",
    "unresolved",
)


@dataclass(frozen=True, slots=True)
class Assumer:
    """A party that can obtain a role's credentials, and how well conditions limit it."""

    kind: str  # a graph node kind ("anyone", "account", "federated", "service", "role", ...)
    name: str
    external: bool  # outside the accounts the user declared as theirs
    condition: str  # SCOPED, WEAK, UNKNOWN or OPEN

    def display(self) -> str:
        return f"{self.name} ({self.condition})"

    @property
    def exposure(self) -> str:
        """The row of the risk table this party puts the role in."""
        limited = "conditioned" if self.condition in (SCOPED, UNKNOWN) else "open"
        if self.kind == "anyone":
            return f"anyone, {limited}"
        if self.kind == "unresolved":
            return "unresolved"  # unknown is never treated as dangerous, but said
        if self.external:
            return f"outside, {limited}"
        return "service" if self.kind == "service" else "own account"


# Who can assume a role whose trust policy rolelint cannot read (known only after apply, a
# parameter without default): CloudFormation and Terraform require one, so someone can.
UNKNOWN_TRUST = Assumer("unresolved", "<unresolved: trust policy not known>", False, UNKNOWN)


@dataclass(frozen=True, slots=True)
class RoleRow:
    """What the inventory shows of one role, user or group."""

    kind: str  # "role", "user" or "group"
    name: str  # the logical id, Terraform address or export name
    node_id: str  # the assume-role graph's id: unique across files
    ref: SourceRef
    assumed_by: tuple[Assumer, ...]
    access: AccessSummary
    # The longest session in seconds that AWS accepts (AWS's default of one hour when the role
    # sets none); None when a value is unresolved, or when every value is one AWS rejects
    # (``session_invalid``).  Users and groups have none.
    max_session: int | None
    session_written: bool
    reaches: tuple[str, ...]  # the first names of the roles it can reach by chaining
    reaches_count: int  # how many roles it can reach (names can repeat across files)
    reaches_admin: bool
    findings: tuple[Finding, ...]  # active findings on it
    suppressed: int  # findings on it that are accepted (suppressed or baselined)
    exposure: str  # the worst of its assumers' rows in the risk table
    risk: Risk
    # Every MaxSessionDuration it sets is one AWS rejects (RL301): no deployment succeeds, so
    # there is no session length to show.
    session_invalid: bool = False
    # Why the length is unresolved ("an account export does not hold MaxSessionDuration"), as
    # the parser says it: the card and JSON name it where the table only says "unresolved".
    session_unresolved: str | None = None
    # The root module folder of an instance of a module several scanned Terraform roots call:
    # their rows share the name, file and line, and only the root tells them apart (the graph
    # qualifies their ids by it).  None for every other holder, which its file and name tell.
    root: str | None = None

    def reaches_named(self) -> str:
        """The roles it reaches, named (``A, B and 3 more``), and whether one is admin-level:
        as the card and the list formats of the inventory say it."""
        more = self.reaches_count - len(self.reaches)
        names = ", ".join(self.reaches) + (f" and {more} more" if more > 0 else "")
        return names + ("; one of them is admin-level" if self.reaches_admin else "")

    @property
    def session_order(self) -> int:
        """The session length to order roles by: an unresolved one with the longest (it may be
        12 hours), an invalid one (no deployment succeeds, so no session) below every length."""
        if self.session_invalid:
            return 0
        return self.max_session if self.max_session is not None else 1 << 30

    @property
    def outside(self) -> bool:
        """Assumable from outside the declared accounts (or by anyone)."""
        return any(a.external or a.kind == "anyone" for a in self.assumed_by)

    @property
    def federated(self) -> bool:
        return any(a.kind == "federated" for a in self.assumed_by)

    @property
    def admin_capable(self) -> bool:
        return self.access.level.rank >= Access.ESCALATE.rank


def inventory_rows(
    inventory: Inventory,
    graph: AssumeGraph,
    every_finding: Sequence[Finding],
    reported: Sequence[Finding],
) -> list[RoleRow]:
    """The rows of ``inventory`` (with AWS managed policies resolved, as the rules saw it).

    ``every_finding`` are the findings of every rule, suppressed ones included (evidence of what
    a role can do); ``reported`` those of the rules the configuration selects, as ``check``
    reports them: the active ones are a row's findings, the suppressed ones its accepted count.
    A rule the configuration turns off is not run by ``check``: its findings are evidence,
    never "accepted".
    """
    evidence = FindingsByHolder(every_finding, inventory)
    shown = FindingsByHolder((f for f in reported if not f.suppressed), inventory)
    accepted = FindingsByHolder((f for f in reported if f.suppressed), inventory)
    reach = Reach(graph)
    crowds: dict[str, tuple[str, bool]] = {}  # what each crowd's members say of its callers
    levels = admin_levels(inventory)  # as the graph marks its nodes admin-level

    def row_of(
        kind: str,
        holder: Role,
        node_id: str,
        assumed_by: tuple[Assumer, ...],
        session: Session,
        identity: Identity | None = None,
    ) -> RoleRow:
        proofs, findings = evidence.of(holder), shown.of(holder)
        return _row(
            kind,
            holder,
            node_id,
            reach,
            assumed_by=assumed_by,
            access=access_of(holder, proofs, levels.of(holder, identity)),
            session=session,
            findings=findings,
            suppressed=len(accepted.of(holder)),
            root=ids.identity_root(identity) if identity is not None else ids.role_root(holder),
        )

    rows = []
    ids = node_ids_of(inventory)
    for role in inventory.roles:
        node_id = ids.role(role)
        assumers = _assumers(graph, node_id, role, crowds, inventory.accounts)
        rows.append(row_of("role", role, node_id, assumers, _session(role)))
    groups = {i.id: i for i in inventory.identities if i.kind is IdentityKind.GROUP}
    for identity in inventory.identities:
        node_id = ids.identity(identity)
        if _assumes_roles(graph, node_id):
            holder = identity_holder(identity, groups)  # a user holds its groups' policies
            session = Session(None, False)
            rows.append(row_of(identity.kind.value, holder, node_id, (), session, identity))
    return rows


def _row(
    kind: str,
    holder: Role,
    node_id: str,
    reach: Reach,
    *,
    assumed_by: tuple[Assumer, ...],
    access: AccessSummary,
    session: Session,
    findings: tuple[Finding, ...],
    suppressed: int,
    root: str | None,
) -> RoleRow:
    reaches_admin = reach.reaches_admin(node_id)
    exposure = max(
        (a.exposure for a in assumed_by), key=EXPOSURE_POINTS.__getitem__, default="nobody"
    )
    return RoleRow(
        kind=kind,
        name=short_name(holder.id, holder.ref.file),
        node_id=node_id,
        ref=holder.ref,
        assumed_by=assumed_by,
        access=access,
        max_session=session.seconds,
        session_written=session.written,
        session_invalid=session.invalid,
        session_unresolved=session.unresolved,
        reaches=tuple(reach.names(node_id, REACH_NAMES)),
        reaches_count=reach.count(node_id),
        reaches_admin=reaches_admin,
        findings=findings,
        suppressed=suppressed,
        exposure=exposure,
        risk=risk_of(exposure, access.level, reaches_admin, findings),
        root=root,
    )


# --- findings ---------------------------------------------------------------------------------


class FindingsByHolder:
    """Findings indexed once by the roles they concern, for one question per role.

    A finding names its roles by id (a managed policy names all its holders: "A, B"): the rule
    says what the finding is about, wherever its location is.  A Terraform role's bad value is
    usually written in another file than the role (a variable's default, a tfvars file, a local,
    a module caller): the finding points there and is still the role's.  So a finding counts
    for the only holder of the id it names, or of the id of a holder it carries: the instances
    of a module one root calls twice are one merged finding, which names only the first.

    Ids are unique per file or Terraform module instance, not across them: when holders share
    an id, a finding counts for the very holders the rule judged (``Finding.holders``).  That
    tells apart the instances of one module that two Terraform roots call (one block, one file
    and line, two roles: one may attach a policy the other does not), and two templates' roles
    of one logical id that attach different policies of one file.  Which file a finding points
    into does not: both instances are written in the module's files, both roles hold a policy
    of the shared file, and each took the other's findings.

    A chaining finding carries the holders of the role it names, its path's start (for RL405,
    the role after the outside party), even when it points into another file (RL401 on a trust
    that names the caller points at the target's trust policy) or into a module's code that two
    roots' instances share.  Only a finding that names a role and carries no holder (no rule
    raises one) counts for the holder whose own elements are written in the file it points
    into (its definition, its policies, the values they hold).
    """

    def __init__(self, findings: Iterable[Finding], inventory: Inventory) -> None:
        self._by_name: dict[str, list[Finding]] = {}
        for finding in findings:
            for name in finding.every_role:
                self._by_name.setdefault(name, []).append(finding)
        ids = [role.id for role in inventory.roles] + [i.id for i in inventory.identities]
        self._holders = Counter(ids)  # how many holders share each id

    def of(self, holder: Role) -> tuple[Finding, ...]:
        """The findings on ``holder`` (a role, or a user seen as one)."""
        named = self._by_name.get(holder.id, ())
        if not named or self._holders[holder.id] <= 1:
            return tuple(named)
        key, files = holder_key(holder), _files_of(holder)
        return tuple(f for f in named if _concerns(f, key, files))


def _concerns(finding: Finding, key: HolderKey, files: set[str]) -> bool:
    """Whether ``finding`` (which names the id of a holder whose
    :func:`~rolelint.checks.base.holder_key` is ``key``, an id another holder shares) is on
    that holder: by the holders the finding carries; when it carries none, by the file it
    points into (``files``, those that hold the holder's elements).  Not by the hops of a
    chaining finding's path: a chain Ci (a.json) -> Ci (b.json) -> Admin also places the
    second Ci, which is not what it is about."""
    if finding.holders:
        return key in finding.holders
    return finding.file in files


def _files_of(holder: Role) -> set[str]:
    """Every file that holds an element of ``holder``: its definition, and its policies and
    values wherever they are written (a Terraform variable's default is the role's value)."""
    refs = [holder.ref, holder.arn.ref]
    refs += [v.ref for v in (holder.name, holder.path, holder.permissions_boundary) if v]
    refs += [value.ref for value in holder.max_session_duration]
    refs += [attached.arn.ref for attached in holder.managed_policy_arns]
    documents = (*holder.policies, *((holder.trust_policy,) if holder.trust_policy else ()))
    for document in documents:
        refs += [document.ref, *((document.defined_at,) if document.defined_at else ())]
        refs += [document.version.ref] if document.version else []
        for statement in document.statements:
            refs += _statement_refs(statement)
    return {ref.file for ref in refs}


def _statement_refs(statement: Statement) -> list[SourceRef]:
    """Where ``statement`` and each of its values and conditions are written."""
    values = [
        *statement.actions,
        *statement.not_actions,
        *statement.resources,
        *statement.not_resources,
        *(p.value for p in (*statement.principals, *statement.not_principals)),
        *(v for condition in statement.conditions for v in condition.values),
        *((statement.effect,) if statement.effect else ()),
    ]
    marks = (statement.not_action_ref, statement.not_resource_ref, statement.sid_ref)
    return [
        statement.ref,
        *(value.ref for value in values),
        *(condition.ref for condition in statement.conditions),
        *(ref for ref in marks if ref is not None),
    ]


# --- who can assume it ------------------------------------------------------------------------


def _assumers(
    graph: AssumeGraph,
    node_id: str,
    role: Role,
    crowds: dict[str, tuple[str, bool]],
    accounts: AccountContext,
) -> tuple[Assumer, ...]:
    found: dict[tuple[str, str], Assumer] = {}
    grades = _TrustGrades(role)
    for edge in graph.in_edges(node_id):
        node = graph.nodes[edge.source]
        if node.id == node_id:
            continue  # a role that trusts itself is not a party to list
        condition = grades.of(edge)
        if node.kind is NodeKind.CROWD:
            # Its callers are many by definition (rolelint.graph.crowds): counted, not listed
            # on every role of the crowd.  'rolelint show' and the graph name them.
            name, external = _crowd_callers(graph, node.id, crowds)
            _keep_worst(found, Assumer("crowd", name, external, condition))
            continue
        name = short_name(graph.shown(node), node.ref.file) if node.ref else node.label
        _keep_worst(found, Assumer(_kind(node), name, node.external, condition))
    document = role.trust_policy
    for assumer in _unresolved(document, accounts) if document is not None else [UNKNOWN_TRUST]:
        _keep_worst(found, assumer)
    return tuple(
        sorted(found.values(), key=lambda a: (_KIND_ORDER.index(a.kind), a.name.casefold()))
    )


def _unresolved(document: PolicyDocument, accounts: AccountContext) -> Iterator[Assumer]:
    """The parties of ``document`` that rolelint cannot name, and that the graph has no node
    for: unresolved principals, the principals of a statement whose Effect or Action is
    unresolved, and the accounts whoever deploys chooses for ``"*"`` (``aws:PrincipalAccount:
    !Ref Partner``).  Someone can assume the role through each: unresolved, not nobody."""
    for statement in document.statements:
        doubt = _unresolved_grant(statement)
        if not statement.is_allow and doubt is None:
            continue
        if never_applies(document, statement):
            continue  # RL611's: it admits no one, as the graph draws it
        names: list[str] = []
        for principal in statement.principals:
            if principal.value.text is None:
                judged = judged_provider_words(document, statement, principal)
                shown = principal.value.display()
                names.append(f"{judged}: {shown}" if judged else shown)
            elif doubt is not None:  # a role's ARN by reference: its stand-ins in words
                names.append(f"{principal.value.said()} if {doubt}")
            else:  # the graph's edges say who it admits, but for the accounts chosen at deploy
                chosen = deployer_chosen_accounts(principal, statement, document, accounts)
                names += [f"account {value.display()}" for value in chosen]
        if names:
            condition = _grade_conditions(statement.conditions)
            yield from (Assumer("unresolved", name, False, condition) for name in names)


def judged_provider_words(
    document: PolicyDocument, statement: Statement, principal: Principal
) -> str | None:
    """``unresolved provider judged as GitHub Actions token.actions.githubusercontent.com by
    its condition keys`` for a Federated ``principal`` rolelint cannot resolve whose statement
    requires a claim of that issuer's tokens: the checks judge it as a trust of that issuer
    (checks.federation.issuers_judged_for_unresolved), and the views say so beside the reason
    it is unresolved.  None for any other principal: it is unresolved, and nothing more."""
    if principal.kind is not PrincipalKind.FEDERATED or principal.value.text is not None:
        return None
    issuers = issuers_judged_for_unresolved(document, statement)
    if not issuers:
        return None
    named = " and ".join(provider_label(issuer) for issuer in issuers)
    return f"unresolved provider judged as {named} by its condition keys"


def _unresolved_grant(statement: Statement) -> str | None:
    """What rolelint cannot resolve that decides whether ``statement`` lets its principals
    assume the role (``Effect <unresolved: ...>``, ``Action <unresolved: ...>``); None when it
    can tell.  The graph draws no edge for such a statement, and its principals are no party
    known to assume the role; nor do they assume it by no one's leave: they are unresolved."""
    effect = statement.effect
    unresolved = [a for a in (*statement.actions, *statement.not_actions) if a.text is None]
    if effect is not None and effect.text is None and (unresolved or assume_actions(statement)):
        return f"Effect {effect.display()}"
    if statement.is_allow and unresolved and not assume_actions(statement):
        return f"Action {unresolved[0].display()}"
    return None


def _crowd_callers(
    graph: AssumeGraph, crowd_id: str, known: dict[str, tuple[str, bool]]
) -> tuple[str, bool]:
    """How a crowd's callers are named on each of its members, and whether one is outside;
    worked out once per crowd (``known``): thousands of members share it."""
    if crowd_id not in known:
        callers = [graph.nodes[e.source] for e in graph.in_edges(crowd_id)]
        name = f"any of {len(callers)} principals allowed sts:AssumeRole on every role"
        known[crowd_id] = name, any(caller.external for caller in callers)
    return known[crowd_id]


def _kind(node: Node) -> str:
    return node.kind.value if node.kind in _LISTED_KINDS else "role"


_LISTED_KINDS = frozenset(
    {
        NodeKind.ANYONE,
        NodeKind.ACCOUNT,
        NodeKind.FEDERATED,
        NodeKind.SERVICE,
        NodeKind.ROLE,
        NodeKind.USER,
        NodeKind.GROUP,
    }
)


def _keep_worst(found: dict[tuple[str, str], Assumer], assumer: Assumer) -> None:
    key = (assumer.kind, assumer.name)
    known = found.get(key)
    if known is None or _CONDITION_ORDER.index(assumer.condition) < _CONDITION_ORDER.index(
        known.condition
    ):
        found[key] = assumer


class _TrustGrades:
    """How the conditions of the trust statement behind an edge limit the caller, for the
    edges into one role.

    An edge names its statement by index (``Edge.statement``), not by its principal's position
    (``Edge.trust``): statements can share that position (a YAML anchor, a Terraform dynamic
    block) and not their conditions, and the first of them graded every edge.  A role trusting
    20,000 accounts has 20,000 edges: each statement is graded once.
    """

    def __init__(self, role: Role) -> None:
        self._statements = role.trust_policy.statements if role.trust_policy else ()
        # By index in the role's trust policy and action (a Deny may scope one action only), and
        # whether the statement's account condition, or its service name test, names the party.
        self._grades: dict[tuple[int, str, bool, bool], str] = {}

    def of(self, edge: Edge) -> str:
        index = edge.statement
        if index is None or not 0 <= index < len(self._statements):
            return SCOPED if edge.conditional else OPEN
        key = (index, edge.action, edge.by_account_condition, edge.by_service_condition)
        if key not in self._grades:
            statement = self._statements[index]
            if edge.by_account_condition:
                # The condition that names the party's account is no limit on that account.
                statement = without_account_limit(statement)
            if edge.by_service_condition:
                # Nor is the one that names the party's service on that service.
                statement = without_service_limit(statement)
            scope = scope_of(statement, self._statements, edge.action)
            if scope.scoped:
                graded = SCOPED
            elif scope.undecided:
                # A Deny beside it may be the limit, as the same test on the Allow may.
                graded = UNKNOWN
            else:
                graded = _grade_conditions(statement.conditions)
            self._grades[key] = graded
        graded = self._grades[key]
        if edge.pin_unresolved and graded != SCOPED:
            # A SAML audience (an OIDC subject) pinned by values rolelint cannot resolve alone:
            # a limit it cannot read, which a condition's grade alone does not show.
            return UNKNOWN
        # The graph marks the hop conditional under a condition that may limit who (UNKNOWN
        # here), and under an OIDC subject pinned as RL103 requires, which a condition's grade
        # alone does not show.
        return SCOPED if edge.conditional and graded != UNKNOWN else graded


def _grade_conditions(conditions: Iterable[Condition]) -> str:
    """The grade of a trust statement by its conditions.  One whose value whoever deploys
    decides is ``unknown``, as one rolelint cannot read: the rules give it the benefit of the
    doubt (:func:`~rolelint.checks.trust_conditions.benefit_of_doubt`)."""
    grades = [benefit_of_doubt(grade(condition)).grade for condition in conditions]
    if not grades:
        return OPEN
    if Grade.EFFECTIVE in grades:
        return SCOPED
    if Grade.UNKNOWN in grades:
        return UNKNOWN
    return WEAK


# --- what it reaches, for how long ------------------------------------------------------------


def _assumes_roles(graph: AssumeGraph, node_id: str) -> bool:
    return node_id in graph.nodes and bool(graph.out_edges(node_id))


class Session(NamedTuple):
    """The longest session a role allows, as its row shows it."""

    seconds: int | None  # None: unresolved, or invalid
    written: bool  # False when the role sets none (AWS's default)
    invalid: bool = False  # every value it sets is one AWS rejects
    unresolved: str | None = None  # why a value rolelint cannot resolve is not known


def _session(role: Role) -> Session:
    """The longest session the role allows and whether it says so itself.

    Of the values a condition picks from, the longest AWS accepts, as RL304 and the graph take
    it: a deployment with a value out of range fails (RL301), so no role has that session.  A
    value rolelint cannot resolve may be the longest, so the length is then unresolved; when
    every value is out of range there is no length at all, and the row says it is invalid."""
    values = role.max_session_duration
    if not values:
        return Session(DEFAULT_MAX_SESSION_SECONDS, False)
    unknown = next((value for value in values if value.text is None), None)
    if unknown is not None:
        return Session(None, True, unresolved=unknown.unresolved_reason or "not known")
    longest = longest_valid_seconds(values)
    if longest is None:
        return Session(None, True, invalid=True)
    return Session(longest, True)
