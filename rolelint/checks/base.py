"""The contract between checks and the engine.

A check is a function from the whole :class:`Inventory` to :class:`Hit` objects, registered under
its rule id.  It points at model elements (their ``SourceRef``) and never computes positions or
knows which file format an element came from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Generic, TypeVar

from rolelint.findings import HolderKey, PathHop, Severity
from rolelint.model import Identity, Inventory, PolicyDocument, Role
from rolelint.source import SourceRef


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule violation as a check sees it; the engine adds catalog metadata.

    ``key`` names the offending content (the action, the principal, the path of roles); with the
    rule id and resource it forms the fingerprint, so it must not contain line numbers.  It must
    name everything else that tells the finding from another of its rule and resource, the
    element that grants the risk included (a NotAction, a wildcard action): findings sharing a
    fingerprint are one alert in code scanning and one entry of a baseline.  The same content
    written twice shares it on purpose: the baseline counts it.
    ``severity`` overrides the catalog default (e.g. info for a wildcard scoped by a condition).
    ``roles`` are the roles ``role`` names, one by one, when it names several (a managed policy
    attached to two roles): a suppression on one of them must be matched against each, and a
    role's name may hold the ", " that joins them (a Terraform key).  ``holders`` are those
    roles as :func:`holder_keys` names them: the instances of a module two Terraform roots call
    share an id, and the audit views count the finding only on the ones it is about.
    ``role_in_fingerprint`` False: the finding is on a policy's text (its grammar, its size),
    the same whichever roles hold the policy, and its key names the policy already; ``role``
    says who holds it (:func:`on_text_of`), and the fingerprint hashes no role, as it did
    when these findings named none (a baseline recorded then still matches).
    ``earlier_keys`` are the keys the finding had before its text was one (a boundary each
    holder held a copy of, judged once per copy: :func:`on_text_of`), whose fingerprints a
    baseline recorded then may hold.
    ``fingerprinted_resource``, when set, is the resource the fingerprint hashes in place of
    ``resource``: a finding whose resource was once another than the one whose text it points
    into (a chain found in a trust policy, once named after the chain's first role) keeps the
    fingerprint a baseline recorded then.
    """

    rule_id: str
    message: str
    at: SourceRef
    resource: str
    key: str
    role: str | None = None
    severity: Severity | None = None
    path: tuple[PathHop, ...] = ()
    roles: tuple[str, ...] = ()
    holders: frozenset[HolderKey] = frozenset()
    role_in_fingerprint: bool = True
    fingerprinted_resource: str | None = None
    earlier_keys: tuple[str, ...] = ()


CheckFunction = Callable[[Inventory], Iterable[Hit]]

REGISTRY: dict[str, CheckFunction] = {}
# Checks that read the assume-role graph (rolelint.graph.build.graph_of).  When the checks are
# spread over several processes these run in the same one, so the graph is built once.
READS_GRAPH: set[str] = set()


def check(rule_id: str, reads_graph: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as the implementation of catalog rule ``rule_id``; ``reads_graph``
    says that it reads the assume-role graph (see ``READS_GRAPH``)."""

    def register(function: CheckFunction) -> CheckFunction:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} is implemented twice")
        REGISTRY[rule_id] = function
        if reads_graph:
            READS_GRAPH.add(rule_id)
        return function

    return register


# How many items of a list a message names before "and N more": a statement can list thousands
# of resources or actions (a long list from Mappings, say), and a message is read by a person.
LISTED = 10


def some_of(
    items: Sequence[str], shown: int = LISTED, *, count: int | None = None, separator: str = ", "
) -> str:
    """``items`` joined with commas (or ``separator``); past ``shown`` of them, the first
    ``shown`` and how many more.  ``count`` is how many there are in all, when the caller passed
    only the first of them (made into text, a long list costs more than it shows)."""
    total = len(items) if count is None else count
    if total <= shown:
        return separator.join(items)
    return f"{separator.join(items[:shown])} and {total - shown} more"


def role_ids(roles: Iterable[Role]) -> tuple[str, ...]:
    """The ids of the roles that hold a document, sorted, each once (a Hit's ``roles``)."""
    return tuple(sorted({role.id for role in roles}))


def holder_key(holder: Role | Identity) -> HolderKey:
    """Which role (or user seen as one) ``holder`` is, where its id alone does not say."""
    ref = holder.ref
    return HolderKey(ref.file, ref.line, ref.column, holder.id, holder.root)


def holder_keys(roles: Iterable[Role | None]) -> frozenset[HolderKey]:
    """The :func:`holder_key` of each role of ``roles`` (a Hit's ``holders``); None is none."""
    return frozenset(holder_key(role) for role in roles if role is not None)


def role_names(roles: Iterable[Role]) -> str | None:
    """How findings name the roles that hold a document ("A, B"), None for none."""
    return ", ".join(role_ids(roles)) or None


def on_text_of(hit: Hit, roles: Sequence[Role], text: PolicyDocument | None = None) -> Hit:
    """``hit``, a finding on the text of a policy, naming the roles that hold it (its role for
    a trust policy; for a permission policy or a boundary, every role it is attached to; none
    for a policy file of its own): the finding is theirs, and a role's inventory row and card
    count it.  Its fingerprint stays that of the text (``Hit.role_in_fingerprint``).

    ``text`` is the document the hit is on.  Where it stands for the copies of a boundary its
    holders had, judged one by one before (``PolicyDocument.earlier_origins``), the hit's
    ``earlier_keys`` are its key naming the text as each copy was named: every key of a finding
    on a policy's text names the policy by its origin, and nothing else in it came from the
    copy."""
    return replace(
        hit,
        role=role_names(roles),
        roles=role_ids(roles),
        holders=holder_keys(roles),
        role_in_fingerprint=False,
        earlier_keys=_earlier_keys(hit.key, text),
    )


def _earlier_keys(key: str, text: PolicyDocument | None) -> tuple[str, ...]:
    """``key`` with ``text``'s origin replaced by each of its earlier origins (none where the
    key does not name it)."""
    if text is None or not text.earlier_origins or text.origin not in key:
        return ()
    return tuple(key.replace(text.origin, origin, 1) for origin in text.earlier_origins)


def policy_subject(document: PolicyDocument) -> str:
    """How a message opens: the document in words ("Inline policy 'x' of role R"), or "The
    policy" for a raw policy file, whose location already names it."""
    if document.resource == document.ref.file:
        return "The policy"
    return document.origin[:1].upper() + document.origin[1:]


Derived = TypeVar("Derived")


class once_per_inventory(Generic[Derived]):
    """A function of the inventory, computed once for the inventory being checked: several
    checks read the same derived data (the assume-role graph, the Allow statements with who
    holds them).  Only the last inventory's result is kept, until :func:`forget_derived`."""

    # Every one made, for forget_derived: a handful, made as their modules are imported.
    made: ClassVar[list[once_per_inventory[object]]] = []

    def __init__(self, function: Callable[[Inventory], Derived]) -> None:
        self._function = function
        self._last: list[tuple[Inventory, Derived]] = []
        functools.update_wrapper(self, function)
        once_per_inventory.made.append(self)  # type: ignore[arg-type]

    def __call__(self, inventory: Inventory) -> Derived:
        if self._last and self._last[0][0] is inventory:
            return self._last[0][1]
        result = self._function(inventory)
        self._last[:] = [(inventory, result)]
        return result

    def cache_clear(self) -> None:
        self._last.clear()


def forget_derived() -> None:
    """Drops what every :class:`once_per_inventory` keeps of the last inventory.  ``check``
    needs none of it once the checks have run, and kept it while the findings were made and
    written: the assume-role graph of 800 roles each assuming hundreds of the others alone
    held 170 MB then (its 300,000 edges, each with its words)."""
    for derived in once_per_inventory.made:
        derived.cache_clear()
