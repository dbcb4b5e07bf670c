"""What every parser assembles for a role, user or group before the frozen model object is made.

Policies are attached from many places (inline, policy resources, attachments, managed ARNs), in
whatever order a format lists them; a holder collects them once each.  "Once" is a lookup, not a
search of what is held: a template may attach hundreds of managed policies to each of
thousands of roles, and a search per attachment made that quadratic (1,000 roles with 300
policies each: 45,000,000 comparisons, 3 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rolelint.model import ManagedPolicyRef, PolicyDocument


@dataclass(slots=True)
class Holder:
    """Documents and managed-policy ARNs in the order first attached; change them only through
    the methods, which keep the indexes that make "held once" a lookup."""

    # Documents by id(): a document is one object however many resources attach it, and the
    # holder keeps it alive, so its id is not reused while it is held.
    _documents: dict[int, PolicyDocument] = field(default_factory=dict)
    _managed: list[ManagedPolicyRef] = field(default_factory=list)
    _managed_arns: set[str] = field(default_factory=set)
    profiles: list[str] = field(default_factory=list)

    @property
    def policies(self) -> tuple[PolicyDocument, ...]:
        return tuple(self._documents.values())

    @property
    def managed(self) -> tuple[ManagedPolicyRef, ...]:
        return tuple(self._managed)

    def attach(self, document: PolicyDocument) -> None:
        """A document is held once, however many resources attach it."""
        self._documents.setdefault(id(document), document)

    def detach(self, document: PolicyDocument) -> None:
        """``document`` is no longer held (a later resource replaces it)."""
        self._documents.pop(id(document), None)

    def add_managed(self, reference: ManagedPolicyRef) -> None:
        """A known ARN is held once (a state, or a role and an attachment, may list it twice);
        an unresolved one is kept each time, as nothing says two of them are the same."""
        text = reference.arn.text
        if text is None:
            self._managed.append(reference)
        elif text not in self._managed_arns:
            self._managed_arns.add(text)
            self._managed.append(reference)
