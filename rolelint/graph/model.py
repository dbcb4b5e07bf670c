"""The assume-role graph: who (a role, a user, a service, a provider, an account, anyone) can
obtain the credentials of which role, and through which statements.

Nodes and edges are plain data with their source positions, so that rules, reporters and the
``graph`` command share one picture.  Node ids are stable across runs (they name the file and
the resource, never a counter), which keeps every output deterministic.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from itertools import groupby
from operator import itemgetter

from rolelint.names import short_name
from rolelint.source import SourceRef


class NodeKind(str, Enum):
    ROLE = "role"
    USER = "user"
    GROUP = "group"
    SERVICE = "service"  # an AWS service principal (ec2.amazonaws.com)
    FEDERATED = "federated"  # an OIDC or SAML provider
    ACCOUNT = "account"  # every principal of an account (its root), outside the scanned code
    ANYONE = "anyone"  # "*": every AWS principal of every account
    # Every role that trusts one account (its root) or anyone, reached at once by the principals
    # of that account allowed sts:AssumeRole on every role: one node and 2n edges in place of
    # n x m hops (see rolelint.graph.crowds).
    CROWD = "crowd"


@dataclass(frozen=True, slots=True)
class Node:
    """One party of the graph.

    ``id`` is unique and stable ("role:infra/ci.yaml#DeployRole", "service:ec2.amazonaws.com",
    "account:444455556666", "anyone"); ``label`` is the short name people read; ``ref`` is where
    it is defined (None for parties outside the scanned code); ``privileged`` says why a role has
    administrator-level access (None when it has not); ``external`` marks parties outside the
    accounts the user declared as theirs.
    """

    id: str
    kind: NodeKind
    label: str
    ref: SourceRef | None = None
    privileged: str | None = None
    external: bool = False
    # Seconds: the longest valid value a role sets (of those a condition may pick), None when
    # it sets none rolelint can read.
    max_session_duration: int | None = None
    # Why the role's own permissions are not known (rolelint.model.Role.unread_permissions: the
    # input holds none of its policies); None when they are what the input shows.  Then
    # ``privileged`` None does not mean it lacks administrator-level access.
    unread_permissions: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` can obtain ``target``'s credentials with ``action``.

    ``trust`` is the trust-policy element that admits the source (its principal value) and
    ``grant`` the permission-policy element that lets an IAM source call the action on the
    target (its Resource value); services, providers and outside accounts need no grant in the
    scanned code.  :attr:`how` explains both in words for messages; ``said`` holds those words,
    or the pieces they are joined from: a graph of 800 roles each assuming hundreds of the
    others has 300,000 hops, whose words, each a text of its own, took 70 MB, where the pieces
    (the grant's words, the two roles' ids, how the trust admits the source) are shared by
    many.  ``statement`` is the index, in
    the target's trust policy, of the statement that admits the source: statements can share
    their principal's position (a YAML anchor, a Terraform dynamic block) but not their
    conditions, so the position alone does not say which one admits it.
    """

    source: str
    target: str
    action: str
    said: str | tuple[str, ...]
    trust: SourceRef | None = None
    grant: SourceRef | None = None
    conditional: bool = False  # the trust statement holds only under a condition
    grant_resource: str | None = None  # the resource (logical id, address) holding the grant
    grant_value: str | None = None  # the Resource value that grants it, as written
    # How the target's trust policy names a scanned principal of the same account, whom AWS then
    # lets assume the role without a permission of its own: "its ARN", or "a session of it
    # ('...')"; None for any other hop.
    named_by: str | None = None
    statement: int | None = None
    # Anyone ("*") admitted only within an organization whoever deploys names (a parameter or
    # variable without a default): it may be the user's own, whose principals are no outsiders.
    maybe_own: bool = False
    # Anyone ("*") admitted as the account a StringEquals aws:PrincipalAccount of the statement
    # names (rolelint.checks.account_limits): that condition names the party, it does not limit
    # it, so the inventory grades the party by the statement's other conditions.
    by_account_condition: bool = False
    # Anyone ("*") admitted as a service an aws:PrincipalServiceName test of the statement names
    # (rolelint.checks.service_limits): as by_account_condition, that test names the party.
    by_service_condition: bool = False
    # Admitted (a federated provider's tokens or assertions) under a test that would pin them
    # (an OIDC subject, a SAML audience) but whose values rolelint cannot resolve
    # (checks.federation.SubjectPin.undecided): conditional, and graded unknown, never scoped.
    pin_unresolved: bool = False

    @property
    def how(self) -> str:
        """How the source obtains the target's credentials, in words."""
        said = self.said
        return said if isinstance(said, str) else "".join(said)

    @property
    def direct(self) -> bool:
        """A hop the trust policy alone makes, naming the principal (:attr:`named_by`)."""
        return self.named_by is not None

    @property
    def between_principals(self) -> bool:
        """A hop from a scanned role or user, by its permission or by direct trust."""
        return self.grant is not None or self.direct


def _ref_order(ref: SourceRef | None) -> tuple[str, int, int]:
    return (ref.file, ref.line, ref.column) if ref is not None else ("", 0, 0)


def _edge_order(edge: Edge) -> tuple[object, ...]:
    """Every field, so edges that differ only in where they are written keep a fixed order."""
    return (
        edge.source,
        edge.target,
        edge.action,
        edge.how,
        _ref_order(edge.trust),
        _ref_order(edge.grant),
        edge.conditional,
        -1 if edge.statement is None else edge.statement,
        edge.maybe_own,
        edge.by_account_condition,
        edge.by_service_condition,
    )


def _sorted_edges(edges: list[Edge]) -> list[Edge]:
    """``sorted(edges, key=_edge_order)``, faster: each edge's place by its source and target
    is one integer (the ranks of the sorted ends), and the full key is computed only for the
    edges that share both ends."""
    ends = sorted({edge.source for edge in edges} | {edge.target for edge in edges})
    rank = {end: index for index, end in enumerate(ends)}
    width = len(ends)
    keyed = sorted(
        ((rank[edge.source] * width + rank[edge.target], edge) for edge in edges),
        key=itemgetter(0),
    )
    ordered: list[Edge] = []
    for _, group in groupby(keyed, key=itemgetter(0)):
        same_ends = [edge for _, edge in group]
        if len(same_ends) > 1:
            same_ends.sort(key=_edge_order)
        ordered.extend(same_ends)
    return ordered


# Parties of the scanned code that a message names by label.
_NAMED_PARTIES = frozenset({NodeKind.ROLE, NodeKind.USER, NodeKind.GROUP})


@dataclass(slots=True)
class AssumeGraph:
    """Nodes by id and edges in a stable order (by source, then target).

    The adjacency lists are built on the first question about a node's edges, not per added
    edge: a graph is built once, sorted, then only read.
    """

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    _out: dict[str, list[Edge]] | None = field(default=None, repr=False)
    _in: dict[str, list[Edge]] | None = field(default=None, repr=False)
    _crowds_of: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _exits: dict[str, list[tuple[Edge, Edge]]] = field(default_factory=dict, repr=False)
    _members: dict[str, tuple[list[tuple[str, str]], set[str]]] = field(
        default_factory=dict, repr=False
    )
    _admins: dict[str, list[Node]] = field(default_factory=dict, repr=False)
    _principal_out: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _targets: frozenset[str] | None = field(default=None, repr=False)
    _shared_labels: frozenset[str] | None = field(default=None, repr=False)

    def add_node(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)
        self._shared_labels = None

    def shown(self, node: Node) -> str:
        """The node's label, with the file it is defined in when another role or user of the
        scan has the same label: the same template deployed per environment (two roles named
        Admin) would otherwise read as one role, and findings about each as one finding."""
        if self._shared_labels is None:
            # An export's labels carry their file ("a/export.json#app"): the name is compared.
            counts = Counter(
                short_name(n.label, n.ref.file)
                for n in self.nodes.values()
                if n.kind in _NAMED_PARTIES and n.ref
            )
            self._shared_labels = frozenset(label for label, count in counts.items() if count > 1)
        if node.ref is None or short_name(node.label, node.ref.file) not in self._shared_labels:
            return node.label
        return f"{node.label} ({node.ref.file}:{node.ref.line})"

    def add_edge(self, edge: Edge) -> None:
        self.edges.append(edge)
        self._out = self._in = None
        self._crowds_of = None
        self._exits = {}
        self._members = {}
        self._admins = {}
        self._principal_out = {}
        self._targets = None

    def is_crowd(self, node_id: str) -> bool:
        return self.nodes[node_id].kind is NodeKind.CROWD

    def crowds_of(self, node_id: str) -> tuple[str, ...]:
        """The crowd nodes ``node_id`` is a member of (usually none)."""
        if self._crowds_of is None:
            found: dict[str, list[str]] = {}
            for node in self.nodes.values():
                if node.kind is NodeKind.CROWD:
                    for edge in self.out_edges(node.id):
                        found.setdefault(edge.target, []).append(node.id)
            self._crowds_of = {member: tuple(crowds) for member, crowds in found.items()}
        return self._crowds_of.get(node_id, ())

    def out_edges(self, node_id: str) -> list[Edge]:
        return self._adjacency()[0].get(node_id, [])

    def principal_edges(self, node_id: str) -> list[Edge]:
        """The hops a scanned role or user takes with its own permissions or by direct trust
        (:attr:`Edge.between_principals`); computed once per node, as walks ask again and again."""
        found = self._principal_out.get(node_id)
        if found is None:
            found = [edge for edge in self.out_edges(node_id) if edge.between_principals]
            self._principal_out[node_id] = found
        return found

    def edge_targets(self) -> frozenset[str]:
        """Every node some edge leads to: all a walk from any node can ever reach."""
        if self._targets is None:
            self._targets = frozenset(edge.target for edge in self.edges)
        return self._targets

    def in_edges(self, node_id: str) -> list[Edge]:
        return self._adjacency()[1].get(node_id, [])

    def _adjacency(self) -> tuple[dict[str, list[Edge]], dict[str, list[Edge]]]:
        if self._out is None or self._in is None:
            out: dict[str, list[Edge]] = {}
            into: dict[str, list[Edge]] = {}
            for edge in self.edges:
                out.setdefault(edge.source, []).append(edge)
                into.setdefault(edge.target, []).append(edge)
            self._out, self._in = out, into
        return self._out, self._in

    def crowd_admins(self, crowd_id: str) -> list[Node]:
        """The members of a crowd with administrator-level access, by label."""
        found = self._admins.get(crowd_id)
        if found is None:
            members = (self.nodes[node] for _, node in self.crowd_members_by_label(crowd_id))
            found = [node for node in members if node.privileged is not None]
            self._admins[crowd_id] = found
        return found

    def crowd_members_by_label(self, crowd_id: str) -> list[tuple[str, str]]:
        """(label, node id) of a crowd's members, in that order; computed once per crowd."""
        return self._crowd_members(crowd_id)[0]

    def crowd_member_ids(self, crowd_id: str) -> set[str]:
        return self._crowd_members(crowd_id)[1]

    def _crowd_members(self, crowd_id: str) -> tuple[list[tuple[str, str]], set[str]]:
        found = self._members.get(crowd_id)
        if found is None:
            members = [e.target for e in self.out_edges(crowd_id)]
            found = (sorted((self.nodes[m].label, m) for m in members), set(members))
            self._members[crowd_id] = found
        return found

    def crowd_exits(self, crowd_id: str) -> list[tuple[Edge, Edge]]:
        """How a chain goes on through a crowd: (crowd -> member, member -> next) for each
        hop of each member, except back into the same crowd.  Computed once per crowd, so that
        walking through a crowd of n roles costs its exits, not n."""
        found = self._exits.get(crowd_id)
        if found is None:
            found = [
                (into, onward)
                for into in self.out_edges(crowd_id)
                for onward in self.principal_edges(into.target)
                if onward.target != crowd_id
            ]
            self._exits[crowd_id] = found
        return found

    def sorted(self) -> AssumeGraph:
        """The same graph with nodes and edges in a deterministic order."""
        ordered = AssumeGraph()
        ordered.nodes = {node_id: self.nodes[node_id] for node_id in sorted(self.nodes)}
        ordered.edges = _sorted_edges(self.edges)
        return ordered

    def reachable(self, start: str, *, backwards: bool = False) -> set[str]:
        """Every node reached from ``start`` (or reaching it, ``backwards``), ``start`` included."""
        return set(self.hops_from([start], backwards=backwards))

    def hops_from(self, starts: Iterable[str], *, backwards: bool = False) -> dict[str, int]:
        """Every node reached from the nearest of ``starts`` (or reaching it, ``backwards``) and
        how many hops away it is (breadth first; the starts are 0 hops away)."""
        found = {start: 0 for start in starts}
        queue = deque(sorted(found))
        while queue:
            current = queue.popleft()
            edges = self.in_edges(current) if backwards else self.out_edges(current)
            for edge in edges:
                other = edge.source if backwards else edge.target
                if other not in found:
                    found[other] = found[current] + 1
                    queue.append(other)
        return found

    def focus(self, node_id: str) -> AssumeGraph:
        """Only what reaches ``node_id`` or is reached from it, with the edges among them."""
        keep = self.reachable(node_id) | self.reachable(node_id, backwards=True)
        return self.subgraph(keep)

    def subgraph(self, keep: Iterable[str]) -> AssumeGraph:
        kept = set(keep)
        result = AssumeGraph()
        for node_id, node in self.nodes.items():
            if node_id in kept:
                result.add_node(node)
        for edge in self.edges:
            if edge.source in kept and edge.target in kept:
                result.add_edge(edge)
        return result

    def roles(self) -> Iterator[Node]:
        return (node for node in self.nodes.values() if node.kind is NodeKind.ROLE)
