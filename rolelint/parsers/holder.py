"""What every parser assembles for a role, user or group before the frozen model object is made.

Policies are attached from many places (inline, policy resources, attachments, managed ARNs), in
whatever order a format lists them; a holder collects them once each.  "Once" is a lookup, not a
search of what is held: a template may attach hundreds of managed policies to each of
thousands of roles, and a search per attachment made that quadratic (1,000 roles with 300
policies each: 45,000,000 comparisons, 3 s).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from rolelint.arns import SYMBOLIC_PARTITION
from rolelint.model import Deployment, ManagedPolicyRef, PolicyDocument, Value
from rolelint.parsers.tree import NO_VALUE, Choice, PSeq, joined_branches


def unread_policy(origin: str, text: Value) -> ManagedPolicyRef:
    """The inline policy ``origin`` whose ``text`` (a parameter or variable without a default)
    rolelint cannot read: held as an unread policy, as a managed ARN defined elsewhere is, so
    that what the holder can do is known to be a lower bound, not "nothing"."""
    return ManagedPolicyRef(text, inline=True, origin=origin)


# A policy's name (and path), the text IAM's names take: what a user writes where an ARN belongs.
_POLICY_NAME = re.compile(r"[\w+=,.@/-]+")


def not_an_arn(reference: ManagedPolicyRef) -> str | None:
    """Why an attachment by a text that is no ARN attaches nothing, or None.

    IAM attaches a managed policy by its ARN (AttachRolePolicy and its kin take a PolicyArn;
    CloudFormation's ManagedPolicyArns and Terraform's policy_arn are that): a bare name such
    as ``AdministratorAccess`` fails the deployment.  Held as an unread policy, it read as a
    policy of unknown grants, silently: the template cannot be deployed, and the user was not
    told.  Only a text written out in every deployment is judged (not one of a condition's
    branches, nor one rolelint resolved only in part)."""
    text = reference.arn.text
    if text is None or reference.alternatives is not None or text.startswith("arn:"):
        return None
    if _POLICY_NAME.fullmatch(text) is None:
        return None
    return (
        f"'{text}' is no policy ARN: IAM attaches a managed policy by its ARN"
        f" (arn:aws:iam::aws:policy/{text.lstrip('/')} for an AWS managed policy of that name at"
        " the root path), so a deployment with it fails, and nothing is attached for it"
    )


# What IAM Identity Center takes as a permission set's managed policy: an AWS managed policy's
# ARN, of any partition or the deployment's own (arn:${AWS::Partition}:..., as a template writes
# it).  AttachManagedPolicyToPermissionSet refuses anything else.
_AWS_MANAGED_POLICY_ARN = re.compile(
    rf"^arn:(?:[^:$]+|{re.escape(SYMBOLIC_PARTITION)}):iam::aws:policy/"
)


def not_an_aws_managed_arn(arn: Value) -> str | None:
    """Why a permission set's managed policy ``arn`` attaches nothing, or None.

    IAM Identity Center attaches a permission set's managed policy by an AWS managed policy's
    ARN only (AttachManagedPolicyToPermissionSet, which CloudFormation's ``ManagedPolicies``
    and Terraform's ``aws_ssoadmin_managed_policy_attachment`` call): a name, or a customer
    managed policy's ARN, fails the deployment.  A customer managed policy is attached by its
    name and path instead, the policy of that name in each account the set is assigned to.
    One judgement and one wording for both formats: Terraform once said only a bare name was
    wrong, in the words of a role's attachment, and held a customer managed policy's ARN as
    attached.  A value rolelint cannot resolve, wholly or in part, is not judged: it may be
    such an ARN.  Each text a condition may choose is judged as the caller gives it: every
    deployment that chooses one that is no such ARN fails."""
    text = arn.text
    if text is None or _AWS_MANAGED_POLICY_ARN.match(text) is not None:
        return None
    return (
        f"'{arn.said()}' is no ARN of an AWS managed policy (arn:aws:iam::aws:policy/...), the"
        " only value IAM Identity Center takes there: a deployment with it fails, and nothing is"
        " attached for it (a customer managed policy is attached by its name and path, as a"
        " customer managed policy reference)"
    )


def maybe_attached(reference: ManagedPolicyRef) -> ManagedPolicyRef:
    """``reference`` as attached by a resource some deployments do not make (a Terraform
    attachment whose ``count`` or ``for_each`` is not known): one of alternatives, beside a
    branch that attaches nothing, so that a quota never counts it as certain (see
    ManagedPolicyRef.alternatives).  An ARN a condition chose keeps its branches."""
    if reference.alternatives is not None:
        branches = reference.alternatives
    else:
        branches = ((reference.arn.text,),) if reference.arn.text is not None else ()
    # Nor is it attached under its branches alone: ``when`` no longer says where it is.
    return replace(reference, alternatives=tuple(dict.fromkeys(((), *branches))), when=None)


@dataclass(slots=True)
class Holder:
    """Documents and managed-policy ARNs in the order first attached; change them only through
    the methods, which keep the indexes that make "held once" a lookup."""

    # Documents by id(): a document is one object however many resources attach it, and the
    # holder keeps it alive, so its id is not reused while it is held.
    _documents: dict[int, PolicyDocument] = field(default_factory=dict)
    _managed: list[ManagedPolicyRef] = field(default_factory=list)
    _managed_arns: dict[str, int] = field(default_factory=dict)  # index in _managed
    profiles: list[str] = field(default_factory=list)
    profile_arns: list[Value] = field(default_factory=list)  # Role.instance_profile_arns

    @property
    def policies(self) -> tuple[PolicyDocument, ...]:
        return tuple(self._documents.values())

    @property
    def managed(self) -> tuple[ManagedPolicyRef, ...]:
        """The managed policies held, read when the holder is finished (every attachment
        known): a SAM ``Policies`` name whose path rolelint does not know is then the policy
        another attachment names with its path (:func:`joined_paths`)."""
        return joined_paths(self._managed)

    def attach(self, document: PolicyDocument) -> None:
        """A document is held once, however many resources attach it."""
        self._documents.setdefault(id(document), document)

    def detach(self, document: PolicyDocument) -> None:
        """``document`` is no longer held (a later resource replaces it)."""
        self._documents.pop(id(document), None)

    def add_managed(self, reference: ManagedPolicyRef) -> None:
        """A known ARN is held once (a state, or a role and an attachment, may list it twice),
        and so is an unread policy of the scanned files; an unresolved ARN is kept each time,
        as nothing says two of them are the same.  An ARN held as one of alternatives is held
        for certain once another place attaches it in every deployment."""
        _add(self._managed, self._managed_arns, reference)


def held_once(references: Iterable[ManagedPolicyRef]) -> tuple[ManagedPolicyRef, ...]:
    """``references`` (one holder's) held as :meth:`Holder.add_managed` holds them, each known
    ARN once, then joined as :attr:`Holder.managed` joins them (:func:`joined_paths`).

    For what is known only once every file is parsed (rolelint.stack_exports): an
    ``Fn::ImportValue`` whose export is the ARN the holder also attaches written out is then
    that ARN, one policy attached twice, which IAM attaches once.  Kept apart, the inventory,
    the role's card and the report counted it twice, where the quota rule (RL610) counted it
    once."""
    held: list[ManagedPolicyRef] = []
    at: dict[str, int] = {}
    for reference in references:
        _add(held, at, reference)
    return joined_paths(held)


def _add(held: list[ManagedPolicyRef], at: dict[str, int], reference: ManagedPolicyRef) -> None:
    """``reference`` added to ``held`` as :meth:`Holder.add_managed` says."""
    text = reference.arn.text
    if text is None and reference.origin is not None:
        text = f"unread {reference.origin}"  # one policy, attached twice
    if text is None:
        held.append(reference)
    else:
        _hold_once(held, at, text, reference)


def _hold_once(
    held: list[ManagedPolicyRef], at: dict[str, int], text: str, reference: ManagedPolicyRef
) -> None:
    """``reference`` held once among ``held`` by ``text`` (``at``: the index of each text held):
    the first, in its place, unless only a later one is attached in every deployment."""
    if text not in at:
        at[text] = len(held)
        held.append(reference)
    elif not reference.optional and held[at[text]].optional:
        held[at[text]] = reference
    elif reference.optional and held[at[text]].when != reference.when:
        # Attached under two sets of branches: where either holds, which neither says.
        held[at[text]] = replace(held[at[text]], when=None)


def joined_paths(references: Sequence[ManagedPolicyRef]) -> tuple[ManagedPolicyRef, ...]:
    """``references`` (one holder's) with each ARN whose path is the stand-in of a path not
    known (a SAM ``Policies`` name rolelint knows no path of, see
    rolelint.managed_policies.paths_found) made the ARN another reference names the policy of
    that name with, in the branches of a condition too, and the two held once, as the holder
    holds an ARN attached twice.

    SAM finds a name's ARN by the name, and AWS managed policies' names are unique: the name
    and the ARN are one policy, which SAM attaches once.  Joined only where a rule asked
    (RL610), the inventory, the role's card and the report counted it twice."""
    from rolelint.managed_policies import paths_found

    texts = [reference.arn.text for reference in references if reference.arn.text is not None]
    for reference in references:
        texts.extend(text for branch in reference.alternatives or () for text in branch)
    same = paths_found(texts)
    if not same:
        return tuple(references)
    joined = set(same.values())
    held: list[ManagedPolicyRef] = []
    at: dict[str, int] = {}
    for reference in references:
        reference = _with_paths(reference, same)
        text = reference.arn.text
        if text is not None and text in joined:
            _hold_once(held, at, text, reference)
        else:
            held.append(reference)
    return tuple(held)


def _with_paths(reference: ManagedPolicyRef, same: dict[str, str]) -> ManagedPolicyRef:
    """``reference`` with each ARN ``same`` maps (its own, and those of its branches) mapped."""
    arn = reference.arn
    if arn.text is not None and arn.text in same:
        arn = replace(arn, text=same[arn.text])
    alternatives = reference.alternatives
    if alternatives is not None and any(text in same for b in alternatives for text in b):
        alternatives = tuple(
            tuple(sorted({same.get(text, text) for text in branch})) for branch in alternatives
        )
    if arn is reference.arn and alternatives is reference.alternatives:
        return reference
    return replace(reference, arn=arn, alternatives=alternatives)


Leaf = Callable[[Any, PSeq | None, int], Iterable[Value]]


def chosen_references(node: Any, leaf: Leaf) -> Iterator[ManagedPolicyRef]:
    """The managed-policy ARNs of a resolved list (or scalar) as references, each ARN that a
    condition chooses (a :class:`Choice`) with what every branch of the outermost condition
    certainly attaches (ManagedPolicyRef.alternatives), and the branches it is attached
    under (``when``, see :func:`_deployed_under`).  ``leaf(node, sequence, index)`` gives
    the values of a scalar, ``sequence[index]`` when it is an element of a list."""
    found = list(_references(node, None, 0, leaf, None, frozenset()))
    # An ARN at two places is attached where either is: no one set of branches says that.
    whens: dict[str, set[Deployment | None]] = {}
    for reference in found:
        if reference.arn.text is not None:
            whens.setdefault(reference.arn.text, set()).add(reference.when)
    for reference in found:
        text = reference.arn.text
        if reference.when is not None and (text is None or len(whens[text]) > 1):
            reference = replace(reference, when=None)
        yield reference


def _references(
    node: Any,
    sequence: PSeq | None,
    index: int,
    leaf: Leaf,
    branches: tuple[frozenset[str], ...] | None,
    under: Deployment | None,
) -> Iterator[ManagedPolicyRef]:
    if isinstance(node, Choice):
        if branches is None:
            branches = tuple(_certain(option, sequence, index, leaf) for option in node.options)
        for option, deployed in zip(node.options, option_branches(node), strict=True):
            both = None if under is None or deployed is None else (under, deployed)
            inner = None if both is None else joined_branches(both)
            yield from _references(option, sequence, index, leaf, branches, inner)
    elif isinstance(node, PSeq):
        for position, item in enumerate(node):
            yield from _references(item, node, position, leaf, branches, under)
    elif node is not NO_VALUE and node is not None:
        alternatives = None if branches is None else tuple(tuple(sorted(b)) for b in branches)
        for value in leaf(node, sequence, index):
            text = value.text
            if branches is None or (text is not None and all(text in b for b in branches)):
                yield ManagedPolicyRef(value)  # in every branch: attached whatever is chosen
            else:
                yield ManagedPolicyRef(value, alternatives, when=under or None)


def option_branches(choice: Choice) -> tuple[Deployment | None, ...]:
    """The branches each option of ``choice`` is taken under, and only there; None for each
    when its options do not say so (see :func:`exclusive_branches`).  What a policy an option
    holds is deployed under, where the option itself is all that chooses it."""
    if choice.when is None or not exclusive_branches(choice.when):
        return (None,) * len(choice.options)
    return tuple(choice.when)


def exclusive_branches(when: Sequence[Deployment]) -> bool:
    """Whether options deployed under ``when`` (Choice.when, of one Choice) are each taken
    wherever their branches hold: no two can hold at once (each pair has a condition true for
    one, false for the other).  Each option is taken only where its branches hold, and one of
    them everywhere, so then each is taken exactly there.  Options whose branches were merged,
    or that name no condition, say less: only where they are taken, not that they are."""
    for first, second in combinations(when, 2):
        truths = dict(first)
        if not any(truths.get(name, truth) != truth for name, truth in second):
            return False
    return True


def _certain(node: Any, sequence: PSeq | None, index: int, leaf: Leaf) -> frozenset[str]:
    """The ARNs a branch attaches whatever conditions inside it choose (unresolved ones left
    out: nothing says which ARN they are)."""
    if isinstance(node, Choice):
        sets = [_certain(option, sequence, index, leaf) for option in node.options]
        return frozenset.intersection(*sets) if sets else frozenset()
    if isinstance(node, PSeq):
        found: set[str] = set()
        for position, item in enumerate(node):
            found |= _certain(item, node, position, leaf)
        return frozenset(found)
    if node is NO_VALUE or node is None:
        return frozenset()
    values = list(leaf(node, sequence, index))
    single = values[0].text if len(values) == 1 else None
    return frozenset() if single is None else frozenset({single})
