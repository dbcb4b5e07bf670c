"""RL206, privilege escalation: the findings and how their messages word each
method, iam:PassRole with the other actions that complete it (on any role, or on a scanned
administrator role it names), and the first IAM escalation of a statement as the role graph
asks it (:func:`iam_escalation`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rolelint.checks.admin_access import is_admin
from rolelint.checks.base import LISTED, Hit, check, some_of
from rolelint.checks.effective import Effect, once_each, resources_named
from rolelint.checks.escalation_grants import (
    escalates_under,
    escalating_entries,
    escalations_given,
    still_escalates,
    unscoped_for,
)
from rolelint.checks.escalation_methods import (
    ATTACH_METHODS,
    ESCALATIONS,
    ON_ITSELF,
    PASS_ROLE,
    PASS_ROLE_METHODS,
    PASS_ROLE_SERVICE,
    PASSED_IN,
    REMOVES_BOUNDARY,
    SERVICE_ESCALATIONS,
    SETS_BOUNDARY,
)
from rolelint.checks.grant_conditions import (
    PASSED_TO_SERVICE,
    compares_no_text,
    may_grant,
    tagged_only,
)
from rolelint.checks.grants import Entry, Grant, each_grant, holder_documents, notes
from rolelint.checks.iam_match import (
    action_grants,
    covers,
    find_conditions,
    has_wildcard,
    is_any_resource,
    parse_arn,
    statement_grants,
)
from rolelint.checks.policy_limits import PolicyLimit, ScannedPolicies, boundary_limit, policy_limit
from rolelint.checks.self_escalation import OnItself, on_itself
from rolelint.checks.stand_ins import (
    align_partition,
    arn_matches,
    arn_may_match,
    may_name,
    surely_names,
)
from rolelint.checks.trust_conditions import operator_problem
from rolelint.condition_operators import (
    Comparison,
    comparison,
    is_negated,
    is_null_test,
    null_value,
    positive_form,
)
from rolelint.findings import Severity
from rolelint.model import (
    Condition,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
    stand_ins_in_words,
    unresolved_name,
    unresolved_path,
)

if TYPE_CHECKING:
    from rolelint.graph.hops import AdminGrant


def _described(grant: Grant, method: str, *, itself: bool = False) -> str:
    """What ``method`` lets the holder do, for a message: to any role, user, group or policy
    (``"pass any role to a service ..."``), or to itself (:data:`ON_ITSELF`); under the
    statement's iam:PolicyARN test, an attach method attaches the policies it admits, and under
    its iam:PermissionsBoundary test, an IAM method acts where the boundaries it admits are
    (:func:`_bounded`).  RL206 words both kinds of finding with it."""
    if itself:
        described = ON_ITSELF[method]
    elif method in ESCALATIONS:
        described = ESCALATIONS[method][1]
    else:
        described = SERVICE_ESCALATIONS[method]
    limit = policy_limit(grant.statement, grant.scanned)
    if limit is not None and method in ATTACH_METHODS:  # the policies iam:PolicyARN admits
        if itself:
            described = f"attach itself {limit.describe()}"
        else:
            described = f"attach {limit.describe()} to a {ESCALATIONS[method][0]}"
    bounded = boundary_limit(grant.statement, grant.scanned)
    if bounded is not None and method in ESCALATIONS:  # roles and users with those boundaries
        described = _bounded(method, described, bounded, itself=itself)
    return described


def _bounded(method: str, described: str, limit: PolicyLimit, *, itself: bool) -> str:
    """How a message says what ``method`` does under an iam:PermissionsBoundary test, to any
    role or user or (``itself``) to the holder itself."""
    kind = ESCALATIONS[method][0]
    if method in SETS_BOUNDARY:
        if itself:
            return f"replace its own permissions boundary with one {limit.describe()}"
        return (
            f"set as the permissions boundary of any {kind}, its own included, one "
            f"{limit.describe()}"
        )
    if method in REMOVES_BOUNDARY:
        if itself:
            return f"{described}, when its permissions boundary is one {limit.describe()}"
        return (
            f"remove the permissions boundary of any {kind} whose boundary {limit.describe()}, "
            f"its own included, and act with all that {kind}'s policies allow"
        )
    if itself:
        return f"{described} while its permissions boundary is one {limit.describe()}"
    # "attach any managed policy to a role", "rewrite who may assume a role" ...
    return f"{described} whose permissions boundary {limit.describe()}"


def _granting(
    entry: Entry, places: Sequence[tuple[str, Sequence[tuple[str, str]]]], who: str
) -> str:
    """What ``entry`` grants, as an RL206 message says it: each place (as a message names it)
    with the methods it grants there, each with what it lets ``who`` do (:func:`_described`,
    and for a holder writing itself a policy under its boundary :func:`_capped`, which may
    differ by place for the same method).  ``M on WHERE, which lets WHO ...`` for an entry
    that is exactly the one method; else ``ENTRY on WHERE, which grants M1 (...) and M2
    (...)``, or with several places ``ENTRY, which grants M1 (...) on WHERE1; and M2 (...) on
    WHERE2``."""
    methods = [method for _, granted in places for method in granted]
    if len(methods) == 1 and entry.is_exactly(methods[0][0]):
        method, said = methods[0]
        return f"{method} on {places[0][0]}, which lets {who} {said}"
    if len(places) == 1:
        where, granted = places[0]
        each = some_of([f"{m} ({said})" for m, said in granted], separator=" and ")
        return f"{entry.quoted} on {where}, which grants {each}"
    # Several places: the first LISTED methods in all, then how many more.
    listed, left = [], LISTED
    for where, granted in places:
        if left <= 0:
            break
        shown = " and ".join(f"{m} ({said})" for m, said in granted[:left])
        listed.append(f"{shown} on {where}")
        left -= len(granted[:left])
    more = f"; and {len(methods) - LISTED} more" if len(methods) > LISTED else ""
    return f"{entry.quoted}, which grants {'; and '.join(listed)}{more}"


def _escalation_message(grant: Grant, what: str, effects: Iterable[Effect]) -> str:
    """An RL206 message: ``SUBJECT allows WHAT: privilege escalation``, with the notes of what
    the holders' Denies and boundaries did to it."""
    return f"{grant.subject} allows {what}: privilege escalation{notes(effects)}"


def _itself_named(item: OnItself) -> str:
    """How a message names what a method acts on: ``its own role 'arn:...'``, ``its group
    'arn:...'`` (one its holder is in), ``its member's own user 'arn:...'`` (of a group's
    policy), or the pattern with the holder's own ARN among what it names."""
    kind = ESCALATIONS[item.method][0]
    several = len(item.owns) > 1
    if kind == "policy":
        what = "the managed policies it holds" if several else "the managed policy it holds"
    elif kind == "group":
        what = "its groups" if several else "its group"
    elif item.members:
        what = f"its members' own {kind}s" if several else f"its member's own {kind}"
    else:
        what = f"its holders' own {kind}s" if several else f"its own {kind}"
    listed = some_of([f"'{stand_ins_in_words(own)}'" for own in item.owns])
    if not several and item.resource.text == item.owns[0]:
        return f"{what} {listed}"
    return f"'{item.resource.said()}' ({what} {listed} among them)"


def _capped(item: OnItself, described: str) -> str:
    """``described`` (what the method lets the holder do to itself), saying what its
    permissions boundary lets it write itself when it has one (:attr:`OnItself.capped`):
    ``write itself any policy that permissions boundary B of role R allows (administrator
    access)``."""
    if not item.capped:
        return described
    if described == ON_ITSELF[item.method] and item.method in _WRITES_ANY:
        return f"{described} that {item.capped}"
    return f"{described}, up to what {item.capped}"


# The methods on itself whose words end with what it writes (:data:`ON_ITSELF`), which what
# its boundary allows qualifies: "write itself any policy that ... allows".
_WRITES_ANY = (
    "iam:CreatePolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
)


def _itself_hit(grant: Grant, entry: Entry, found: list[OnItself]) -> Hit:
    """RL206 on what ``entry`` lets its holders do to themselves, naming those holders only:
    another holder of the policy may change their permissions, not its own."""
    holders = once_each(h for item in found for h in item.holders)
    # The methods by what they act on, in order: a resource naming the role, one naming a
    # policy it holds ...
    acting: dict[tuple[int, tuple[str, ...]], list[OnItself]] = {}
    for item in found:
        acting.setdefault((id(item.resource), item.owns), []).append(item)
    places = [
        (
            _itself_named(items[0]),
            [(i.method, _capped(i, _described(grant, i.method, itself=True))) for i in items],
        )
        for items in acting.values()
    ]
    what = _granting(entry, places, "it")
    named = grant.held_by(holders)
    what += _own_boundary_lifted(named, [item.method for item in found])
    return Hit(
        "RL206",
        _escalation_message(grant, what, (item.effect for item in found)),
        entry.ref,
        grant.document.resource,
        grant.key(entry.key, "itself"),
        role=named.role,
        roles=named.each_role,
        holders=named.each_holder,
    )


def _gate_services(found: Sequence[tuple[str, Value, Effect]]) -> list[Value]:
    """The services iam:PassRole is limited to by the conditions of a permissions boundary it
    passes through alone, as by its own iam:PassedToService (:func:`_passed_to_services`): of
    the first group every statement of which names some, all they name; empty when none."""
    for method, _, effect in found:
        if method != PASS_ROLE:
            continue
        for group in effect.gates:
            named = [_passed_to_services(statement) for statement in group]
            if all(named):
                unique = {v.text: v for services in named for v in services}
                return sorted(unique.values(), key=lambda v: (v.text is None, v.text or ""))
    return []


@dataclass(frozen=True, slots=True)
class IamEscalation:
    """A privilege escalation through IAM that an Allow statement grants, as RL206 finds it."""

    action: str | None  # the Action value granting it; None for a NotAction
    method: str  # the escalation action (iam:PassRole ...)
    # The resource naming every role, user or group it acts on, or the holder itself (its own
    # ARN, a managed policy it holds).
    resource: Value


def iam_escalation(
    document: PolicyDocument,
    statement: Statement,
    holders: tuple[Role, ...],
    scanned: ScannedPolicies | None = None,
) -> IamEscalation | None:
    """The first IAM privilege escalation the Allow ``statement`` of ``document`` grants
    ``holders``, judged as RL206 judges it; None when there is none.

    The role graph calls such a holder administrator-level, so it must agree with RL206 on
    what is one: every role of the account (``role/*``) is enough, and so is what a
    permissions boundary or a Deny of all but a few resources leaves standing, and so is a
    method on the holder itself (:func:`on_itself`: iam:PutRolePolicy on its own ARN).
    iam:PassRole limited to roles with given tags passes only those, and is none.
    """
    grant = Grant(document, statement, holders, scanned=scanned)
    for entry in escalating_entries(statement, services=False):
        action = None if entry.statement is not None else entry.value.text
        for method, resource, _ in escalations_given(grant, entry, services=False).untagged:
            return IamEscalation(action, method, resource)
        for item in on_itself(grant, entry):
            return IamEscalation(action, item.method, item.resource)
    return None


def _applies_to(resource: Value, action: str) -> bool:
    """A resolved resource the action can act on: every resource, or one of its own service
    (NotAction on an S3 bucket grants ec2:RunInstances on nothing)."""
    text = resource.text
    if text is None:
        return False
    if is_any_resource(text):
        return True
    arn = parse_arn(text)
    return arn is not None and covers(arn.service, action.partition(":")[0], case_sensitive=False)


@dataclass(frozen=True, slots=True)
class PassedAs:
    """An ARN a request passing a role names on the key of what it passes (:data:`PASSED_IN`):
    the role's own, an instance profile of the scan holding it, or (``known`` False) a
    stand-in for a profile the scan does not know, whose path and name may be anything."""

    arn: str
    known: bool = True


@dataclass(frozen=True, slots=True)
class Passed:
    """A scanned role iam:PassRole names, as a launch action would pass it: under ``arn``
    (the ARN of it the resource names), or in an instance profile holding it."""

    role: Role
    arn: str

    def named_as(self, kind: str) -> list[PassedAs]:
        """What a request passing the role names (on a key naming the ``kind`` a request
        passes: :data:`PASSED_IN`): the role's ARN, or for ``instance-profile`` the ARN of
        each instance profile holding it, as IAM names it (its path and name:
        Role.instance_profile_arns).  When the scan knows no such profile, one it does not
        know (another stack's, or one made by hand) may hold the role: a stand-in for it, in
        the role's account; none when the role's ARN is no ARN."""
        if kind == "role":
            return [PassedAs(self.arn)]
        known = dict.fromkeys(v.text for v in self.role.instance_profile_arns if v.text)
        if known:
            return [PassedAs(arn) for arn in known]
        arn = parse_arn(self.arn)
        if arn is None:
            return []
        where, name = self.role.namespace, self.role.id
        resource = "instance-profile" + unresolved_path(where, name) + unresolved_name(where, name)
        return [PassedAs(":".join(("arn", arn.partition, "iam", "", arn.account, resource)), False)]


def _passed_as(action: str, passed: Passed | None) -> list[PassedAs | None]:
    """What an ``action`` request passing ``passed`` may name on the key naming what it
    passes (:data:`PASSED_IN`, :meth:`Passed.named_as`; for EC2, each instance profile), one
    of which it names; ``[None]`` when no role is in question or the action names nothing."""
    named = PASSED_IN.get(action)
    if passed is None or named is None:
        return [None]
    return list(passed.named_as(named[1]))


def _passes(statement: Statement, action: str, named: PassedAs | None) -> bool:
    """Whether ``statement`` lets an ``action`` request naming ``named`` (:func:`_passed_as`;
    None: nothing to test) through: its tests of the key that names what the action passes
    (:data:`PASSED_IN`) must each admit that one ARN.  Such a request always carries the key,
    so ``...IfExists`` and ``ForAnyValue:``/``ForAllValues:`` test it as the plain operator
    does, and ``Null`` holds only for ``"false"`` (:func:`_admits`)."""
    if named is None:
        return True
    key = PASSED_IN[action][0]
    return all(_admits(test, named) for test in find_conditions(statement, (key,)))


def _admits(condition: Condition, passed: PassedAs) -> bool:
    """Whether ``condition`` certainly holds for a request whose key (always present) names
    ``passed``.  A positive test must have a value that certainly names it (:func:`_names`); a
    negated one (``ArnNotEquals``, ``StringNotLike`` ...) no value that may (a value not
    known may name any role); a ``Null`` test a value ``"false"``, in any case
    (:func:`~rolelint.condition_operators.null_value`): ``"true"`` admits only requests that
    pass nothing (a stack then runs with the caller's own credentials).  ``Null`` itself, as
    the graph and the permission rules take it
    (:func:`~rolelint.condition_operators.is_null_test`): not ``NullIfExists``, which IAM
    rejects, nor a set operator before it.

    A positive test whose operator compares no text (``Bool``, ``NumericEquals``:
    :func:`~rolelint.checks.grant_conditions.compares_no_text`) fails, whatever its values:
    the ARN is none of them, as :func:`_passed_to_services` and
    :func:`~rolelint.checks.grant_conditions.passes_no_role` read such a test of
    iam:PassedToService.

    A profile the scan does not know is named for certain only by a value naming every
    profile (``instance-profile/*``), and a value written out that names some profiles only
    is not taken for it: a negated test of such values admits it, as ``Null: "false"`` does
    (the role is passed whichever profile holds it), and a positive one does not (the role
    is passed only when the scan shows a profile it names holding it).  A value not known
    may still be it."""
    base = condition.base_operator.lower()
    if is_null_test(condition.operator):
        return any(null_value(v.text) is False for v in condition.values)
    if is_negated(base):
        positive = replace(condition, operator=positive_form(condition.base_operator))
        return not any(
            v.text is None or _names(positive, v, passed.arn, may=passed.known)
            for v in condition.values
        )
    if compares_no_text(condition):
        return False  # Bool, Numeric ...: the ARN is no value of theirs
    return any(_names(condition, v, passed.arn) for v in condition.values)


def _names(condition: Condition, value: Value, arn: str, *, may: bool = False) -> bool:
    """Whether ``value`` of the positive test ``condition`` certainly names ``arn``, or with
    ``may`` may name it (:func:`arn_matches`, :func:`arn_may_match`), compared as the operator
    compares (:func:`~rolelint.condition_operators.comparison`): ``StringEqualsIgnoreCase``
    in any case, so that ``role/DEPLOY`` names role ``deploy``.  A value not known names
    nothing for certain and may name anything; under an operator without patterns a written
    ``*`` is plain text, which no ARN holds."""
    text = value.text
    if text is None:
        return may
    how = comparison(condition.base_operator)
    if has_wildcard(text) and how is not Comparison.PATTERN:
        return False
    if how is Comparison.IGNORE_CASE:
        pattern = align_partition(text, arn)
        judged = may_name if may else surely_names
        return judged(pattern, arn, case_sensitive=False)
    return arn_may_match(text, arn) if may else arn_matches(text, arn)


@dataclass(frozen=True, slots=True)
class _Allowed:
    """Where a holder is allowed an action a PassRole method needs: the policy (as a message
    names it), the statement, and the line of what grants the action in it (the Action
    value, or the NotAction that lets it through)."""

    origin: str
    statement: Statement
    line: int


# A PassRole method (PASS_ROLE_METHODS) with where its other actions are allowed.
_Method = tuple[str, tuple[_Allowed, ...]]


def _allowed_somewhere(
    documents: list[PolicyDocument],
    action: str,
    roles: tuple[Role, ...],
    passed: Passed | None = None,
) -> _Allowed | None:
    """Where ``action`` is allowed on a resolved resource, not denied (the first statement).
    Not where a Deny's or the boundary's condition (:attr:`Effect.gates`) lets through only
    actions it is not among, as the statement's own would (:func:`may_grant`): a Deny of
    everything unless iam:PassedToService is ec2.amazonaws.com refuses every ec2:RunInstances
    request, whose requests lack the key.  With ``passed``, only where the statement lets
    the action pass that role (:func:`_passes`: cloudformation:CreateStack under
    ``cloudformation:RoleArn`` naming another role passes that one alone), and so does every
    gate: a Deny of the action unless ``cloudformation:RoleArn`` is another role is judged as
    that test on the grant.  A request names one instance profile, which the statement and
    every gate must each admit: an Allow for profile one and a Deny unless profile two pass
    the role in neither."""
    ways = _passed_as(action, passed)
    for document in documents:
        for statement in document.statements:
            if (
                not statement.is_allow
                or not statement_grants(statement, action)
                or not may_grant(statement, action)  # iam:PassedToService: iam:PassRole alone
            ):
                continue
            admitted = [named for named in ways if _passes(statement, action, named)]
            if not admitted:
                continue
            resources = [r for r in statement.resources if _applies_to(r, action)]
            if not resources:
                continue
            effect = Grant(document, statement, roles).effect(action, resources)
            if effect.removed or not effect.passes_gates(
                functools.partial(may_grant, action=action)
            ):
                continue
            # A Deny of all but another role: judged as that test on the grant.
            if not any(
                named is None
                or effect.passes_gates(functools.partial(_passes, action=action, named=named))
                for named in admitted
            ):
                continue
            where = next(
                (a.ref for a in statement.actions if action_grants(a, action)),
                statement.not_action_ref or statement.ref,  # NotAction: what lets it through
            )
            return _Allowed(document.origin, statement, where.line)
    return None


def _pass_role_methods(grant: Grant, services: Sequence[str]) -> list[_Method]:
    """The named PassRole methods every holder of the grant can complete, across its policies,
    each with where the first holder is allowed its other actions.

    ``services`` is what ``iam:PassedToService`` admits (empty: any service); a method passing the
    role to another service cannot be completed with this grant.
    """
    enabled: list[_Method] = []
    for method, needed in PASS_ROLE_METHODS.items():
        if services and not any(
            covers(s, PASS_ROLE_SERVICE[method], case_sensitive=False) for s in services
        ):
            continue
        where = _completed(grant, needed)
        if where is not None:
            enabled.append((method, where))
    return enabled


def _completed(
    grant: Grant, needed: Sequence[str], passed: Passed | None = None
) -> tuple[_Allowed, ...] | None:
    """Where the first holder of the grant is allowed the ``needed`` actions of a method, when
    every holder is (:func:`_allowed_somewhere`, passing ``passed`` if given); None when one
    is not."""
    per_holder = []
    for holder, documents in holder_documents(grant):
        found = [_allowed_somewhere(documents, action, holder, passed) for action in needed]
        allowed = tuple(where for where in found if where is not None)
        if len(allowed) < len(found):
            return None
        per_holder.append(allowed)
    return per_holder[0]


def _ways(methods: Sequence[_Method], joiner: str = ", ") -> str:
    """The methods as a message names them, at most LISTED, each statement that allows their
    other actions cited once, after the methods it allows: ``M1, M2, which inline policy 'p'
    of role R (line 9) allows`` (with several such groups, ``...; M3, which P (line 9) and Q
    (line 4) allow; and N more``).  The 22 methods of one statement allowing every action
    repeated that statement for each action of each method (3,600 characters)."""
    groups: dict[tuple[int, ...], list[_Method]] = {}
    for method in methods:
        statements = tuple(dict.fromkeys(id(allowed.statement) for allowed in method[1]))
        groups.setdefault(statements, []).append(method)
    said, left = [], LISTED
    for statements, grouped in groups.items():
        if left <= 0:
            break
        names = [name for name, _ in grouped]
        shown = some_of(names, separator=joiner) if len(groups) == 1 else joiner.join(names[:left])
        left -= len(names[:left])
        cited = _cited(statements, grouped)
        verb = "allows" if len(cited) == 1 else "allow"
        said.append(f"{shown}, which {' and '.join(cited)} {verb}")
    more = len(methods) - LISTED
    return "; ".join(said) + (f"; and {more} more" if more > 0 and len(groups) > 1 else "")


def _cited(statements: Sequence[int], methods: Sequence[_Method]) -> list[str]:
    """The statements (by id) as a message cites them, each policy once: the policy, and for
    each of its statements the first line of what grants the methods' actions there
    (``inline policy 'p' of role R (lines 9 and 14)``)."""
    lines: dict[str, list[int]] = {}
    for statement in statements:
        there = [a for _, allowed in methods for a in allowed if id(a.statement) == statement]
        lines.setdefault(there[0].origin, []).append(min(a.line for a in there))
    cited = []
    for origin, at in lines.items():
        numbers = some_of([str(n) for n in at], separator=" and ")
        cited.append(f"{origin} (line{'s' if len(at) > 1 else ''} {numbers})")
    return cited


def _passing(grant: Grant, enabled: list[_Method], passed: Passed) -> list[_Method]:
    """Of the methods ``enabled`` for the grant (:func:`_pass_role_methods`), those that can
    pass the role ``passed``: a method whose launch action names what it passes in a
    condition key (:data:`PASSED_IN`) is judged again, with only the statements that let it
    pass that role."""
    usable = []
    for method, where in enabled:
        needed = PASS_ROLE_METHODS[method]
        if any(action in PASSED_IN for action in needed):
            found = _completed(grant, needed, passed)
            if found is None:
                continue
            where = found
        usable.append((method, where))
    return usable


@check("RL206")
def privilege_escalation(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, privilege_escalation_hits)


def privilege_escalation_hits(grant: Grant) -> Iterator[Hit]:
    if is_admin(grant):
        return
    # An entry granting no method gives nothing, passes no role, and acts on nothing itself.
    for entry in escalating_entries(grant.statement):
        given = escalations_given(grant, entry)
        found, outside = given.iam, given.services
        if not any(method == PASS_ROLE for method, _, _ in found):
            yield from _passing_named_roles(grant, entry)
        if not found and not outside:
            itself = on_itself(grant, entry)
            if itself:
                yield _itself_hit(grant, entry, itself)
            continue
        if not given.untagged:
            continue  # passing, or acting as, only roles and resources with those tags
        found = found + outside
        where = resources_named(grant.statement, found[0][1])
        places = [(where, [(method, _described(grant, method)) for method, _, _ in found])]
        what = _granting(entry, places, "the holder")
        what += _own_boundary_lifted(grant, [m for m, _, _ in found])
        passed_to = _passed_to_services(grant.statement) or _gate_services(found)
        passes = any(m == PASS_ROLE for m, _, _ in found)
        methods = _pass_role_methods(grant, _named(passed_to)) if passes and grant.worded else []
        if methods:
            what += f"; with its other permissions it can pass a role to {_ways(methods)}"
        severity = None
        if passed_to and all(m == PASS_ROLE for m, _, _ in found):
            # Only to the named services: any role, but fewer ways to use it.
            named = ", ".join(v.display() for v in passed_to)
            what += f"; only to {named} (iam:PassedToService)"
            severity = Severity.MEDIUM
        yield Hit(
            "RL206",
            _escalation_message(grant, what, (effect for _, _, effect in found)),
            entry.ref,
            grant.document.resource,
            grant.key(entry.key),
            role=grant.role,
            roles=grant.each_role,
            holders=grant.each_holder,
            severity=severity,
        )


def _passing_named_roles(grant: Grant, entry: Entry) -> Iterator[Hit]:
    """RL206 on iam:PassRole on roles the scan holds, named by ARN or by a pattern that names
    some but not every role (on every role it is reported whichever role it passes): a role
    with administrator-level access whose trust admits a service the holder can hand it to
    (a method of :data:`PASS_ROLE_METHODS` whose other actions every holder has, as for
    iam:PassRole on any role, and that iam:PassedToService admits) makes the holder as good
    as that role.  A role that is a holder itself gives it nothing; a resource or role ARN
    not known names no role; under a mandatory test of the resource's tags only roles so
    tagged are passed, and rolelint does not know them.  A method whose launch action is
    allowed only under a test of what it passes (``cloudformation:RoleArn``,
    ``ec2:InstanceProfile``: :func:`_passes`) passes only what that test names.

    One finding for each role named, at the first resource that names it: a role named by two
    resources (its ARN and ``role/deploy-*``) is one escalation, and its fingerprint leaves out
    the resource, so that it stays whichever order they are written in."""
    statement = grant.statement
    passable = grant.passable
    if (
        passable is None
        or statement.has_not_resource
        or not entry.granted_among((PASS_ROLE,))
        or tagged_only(statement)
        or not still_escalates(statement, PASS_ROLE, grant.scanned)
    ):
        return
    holders = {id(holder) for holder in grant.acting}
    escalates = functools.partial(escalates_under, method=PASS_ROLE, scanned=grant.scanned)
    methods: dict[tuple[str, ...], list[_Method]] = {}  # by the services admitted
    reported: set[int] = set()
    for resource in statement.resources:
        if resource.text is None or unscoped_for(resource, "role"):
            continue
        for role, arn in passable.named_by(resource.text, resource.declared_in):
            if id(role) in holders or id(role) in reported:
                continue
            services = passable.trusted_services(role)
            admin = passable.admin_level(role) if services else None
            if admin is None:
                continue
            on = replace(resource, text=arn)
            effect = grant.standing(
                PASS_ROLE, [on], functools.partial(_names_arn, arn=arn), passes=(escalates,)
            )
            if effect is None:
                continue
            passed_to = _passed_to_services(statement) or _gate_services([(PASS_ROLE, on, effect)])
            admitted = tuple(_named(passed_to))
            if admitted not in methods:
                methods[admitted] = _pass_role_methods(grant, admitted)
            trusted = [
                (method, where)
                for method, where in methods[admitted]
                if PASS_ROLE_SERVICE[method] in services
            ]
            usable = _passing(grant, trusted, Passed(role, arn))
            if usable:
                reported.add(id(role))
                yield _passing_hit(grant, entry, resource, role, admin, usable, effect)


def _names_arn(where: Value, arn: str) -> bool:
    """Whether a resource a Deny or boundary leaves the grant on still names the role ``arn``."""
    return where.text is not None and arn_matches(where.text, arn)


def _passing_hit(
    grant: Grant,
    entry: Entry,
    resource: Value,
    role: Role,
    admin: AdminGrant,
    usable: list[_Method],
    effect: Effect,
) -> Hit:
    """RL206 on iam:PassRole on ``resource``, which names the administrator-level ``role``
    that the holder can hand to a service by each of ``usable`` (method, where its other
    actions are allowed)."""
    level = "a privilege escalation of its own" if admin.escalation else "administrator access"
    said = (
        f"pass role {role.id} ({level}) to {_ways(usable, ' or ')}, and act with its "
        f"permissions ({role.id} has {admin.reason})"
    )
    # A role with no name of its own, or at a path not known: its ARN holds a stand-in, said
    # in words.
    named = resource.said()
    what = _granting(entry, [(f"'{named}'", [(PASS_ROLE, said)])], "the holder")
    return Hit(
        "RL206",
        _escalation_message(grant, what, (effect,)),
        resource.ref,
        grant.document.resource,
        # Not the role's file: a pattern (``role/deploy-*``) or ARN written out names the role
        # of that name in every per-environment copy of a template, and the finding kept
        # (rolelint.engine.merge_module_instances) must not depend on which copies a run reads.
        grant.key(entry.key, PASS_ROLE, role.id),
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )


# The escalation methods that remove or replace a permissions boundary, by the kind of holder
# whose boundary they act on.
_LIFTS_BOUNDARY = {method: ESCALATIONS[method][0] for method in REMOVES_BOUNDARY + SETS_BOUNDARY}


def _own_boundary_lifted(grant: Grant, methods: list[str]) -> str:
    """``; so permissions boundary B of role R does not cap it``: a holder's boundary that
    lets through the removal or replacement of itself caps nothing, and the finding says which
    one, since its other findings say the boundary "limits" the holder.  A role's boundary for
    the role methods, a user's for the user ones (a group has none)."""
    kinds = {_LIFTS_BOUNDARY[m] for m in methods if m in _LIFTS_BOUNDARY}
    holders = [
        *(grant.roles if "role" in kinds else ()),
        *(grant.identities if "user" in kinds else ()),
    ]
    lifted = [
        document.origin
        for holder in holders
        for document in holder.policies
        if document.kind is PolicyKind.BOUNDARY
    ]
    if not lifted:
        return ""
    return f"; so {some_of(list(dict.fromkeys(lifted)))} does not cap it"


def _passed_to_services(statement: Statement) -> list[Value]:
    """The services a mandatory ``iam:PassedToService`` condition limits iam:PassRole to, by
    name (sorted, those not known last); empty when none does.

    A value not known (a parameter without default) is the one service a deployment names, not
    a wildcard: it limits as a written name does.  A pattern (``*``) or an empty value limits
    nothing, nor does a test that is no mandatory positive one (IfExists, a negation,
    ForAllValues, or Null, whose ``"false"`` only requires the key to be present: any service;
    see operator_problem).  Nor are the values of a test that compares no text (``Bool``,
    ``NumericEquals``) names of services: such a test fails every iam:PassRole request, and
    the statement grants none (:func:`~rolelint.checks.grant_conditions.passes_no_role`)."""
    for condition in find_conditions(statement, (PASSED_TO_SERVICE,)):
        if operator_problem(condition) is not None or compares_no_text(condition):
            continue
        values = condition.values
        if values and all(v.text is None or _one_service(v.text) for v in values):
            return sorted(values, key=lambda v: (v.text is None, v.text or ""))
    return []


def _named(services: list[Value]) -> list[str]:
    """The services the PassRole methods are judged for: those named, or every one (empty)
    when one is not known, as it may be any of them."""
    if any(v.text is None for v in services):
        return []
    return [v.text for v in services if v.text is not None]


def _one_service(text: str) -> bool:
    return text.strip() != "" and not has_wildcard(text)
