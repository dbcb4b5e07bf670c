"""What every parser assembles for a role, user or group before the frozen model object is made.

Policies are attached from many places (inline, policy resources, attachments, managed ARNs), in
whatever order a format lists them; a holder collects them once each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rolelint.model import ManagedPolicyRef, PolicyDocument


@dataclass(slots=True)
class Holder:
    policies: list[PolicyDocument] = field(default_factory=list)
    managed: list[ManagedPolicyRef] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)

    def attach(self, document: PolicyDocument) -> None:
        """A document is held once, however many resources attach it."""
        if not any(held is document for held in self.policies):
            self.policies.append(document)

    def add_managed(self, reference: ManagedPolicyRef) -> None:
        """A known ARN is held once (a state, or a role and an attachment, may list it twice)."""
        text = reference.arn.text
        if text is None or all(held.arn.text != text for held in self.managed):
            self.managed.append(reference)
