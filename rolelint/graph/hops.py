"""One hop of role chaining: does a principal's permission name a role, and does the role's
trust policy admit that principal?  Shared by the graph builder and the chaining rules; the
trust rules ask it too whether a Deny certainly refuses a party (:func:`certainly_refused`).

A hop X -> R exists when a permission policy of X allows ``sts:AssumeRole`` on a Resource that
matches R's ARN, or with a NotResource that does not name it (after X's Denies and permissions
boundary), and R's trust policy admits X (by its ARN, a wildcard ARN, X's account root or ``*``).
A reference to a role (``!GetAtt Role.Arn``, ``aws_iam_role.x.arn``) on either side names only
the role of its own template or module instance (:func:`refers_to`).
Unresolved ARNs, resources and principals never match, nor does a name or path rolelint cannot
know (a stand-in in the ARN) but through wildcards covering all of it.  Conditions are evaluated
only where the caller's side is known (its ARN, account and kind,
:mod:`rolelint.graph.caller_conditions`); any other condition leaves the hop standing.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from rolelint.arns import SYMBOLIC_PARTITION
from rolelint.checks.admin_access import (
    ALL_OF_IAM,
    admin_resources,
    all_of_iam_stands,
    may_name_all_of_iam,
    names_all_of_iam,
)
from rolelint.checks.base import once_per_inventory
from rolelint.checks.conditions import Carrier, false_without_key
from rolelint.checks.effective import (
    effect_of,
    every_resource_but,
    resources_named,
)
from rolelint.checks.escalation import iam_escalation
from rolelint.checks.grant_conditions import may_grant
from rolelint.checks.grants import service_linked_only
from rolelint.checks.iam_match import (
    action_covers,
    action_grants,
    covers,
    has_wildcard,
    is_account_id,
    parse_arn,
    statement_grants,
)
from rolelint.checks.policy_limits import ScannedPolicies, scanned_policies
from rolelint.checks.principals import TypedPrincipal, Who, is_everyone, typed
from rolelint.checks.stand_ins import align_partition, arn_matches, arn_may_match
from rolelint.condition_operators import null_test
from rolelint.graph.caller_conditions import Caller, certainly_met, refusal
from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    UNRESOLVED_KEY,
    Condition,
    Identity,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Value,
    stand_ins_in_words,
)
from rolelint.service_principals import canonical

ASSUME_ROLE = "sts:AssumeRole"


# --- matching -------------------------------------------------------------------------------------


def without_partition(text: str) -> str:
    """An ARN without its ``arn:<partition>:`` prefix: the key roles are looked up by."""
    if not text.startswith("arn:"):
        return text
    rest = text[len("arn:") :]
    if rest.startswith(SYMBOLIC_PARTITION + ":"):
        return rest[len(SYMBOLIC_PARTITION) + 1 :]
    return rest.partition(":")[2]


def account_of(arn: str | None) -> str | None:
    """The account field of an ARN (literal, symbolic or a pattern); None when there is none."""
    parsed = parse_arn(arn) if arn else None
    return parsed.account if parsed is not None and parsed.account else None


# What a role session ARN (``arn:aws:sts::111122223333:assumed-role/worker/build-session``) and a
# role ARN (``arn:aws:iam::111122223333:role/ci/worker``) hold past their account: the role's
# name, a literal name or the stand-in for one rolelint does not know (``<generated:FILE#ID>``,
# after a literal prefix where Terraform's ``name_prefix`` sets one), which a reference to the
# role (``${Worker}`` in a ``!Sub``, ``aws_iam_role.w.name``) writes in a session ARN as in the
# role's: it is unique to the role's file and logical id or address.  A session ARN has no
# path, and its session name is what sts:AssumeRole takes as RoleSessionName: 2 to 64 of
# ``[\w+=,.@-]`` (ASCII), so ``assumed-role/worker/ci/build`` is a session of no role.
_NAME = rf"[\w+=,.@-]+|[\w+=,.@-]*(?:{NAME_STAND_IN.pattern})"
_SESSION_RESOURCE = re.compile(
    rf"assumed-role/(?P<name>{_NAME})/[\w+=,.@-]{{2,64}}", re.ASCII | re.DOTALL
)
_ROLE_RESOURCE = re.compile(rf"role/(?:[^*?]*/)?(?P<name>{_NAME})", re.ASCII | re.DOTALL)


def _role_resource(resource: str) -> re.Match[str] | None:
    """``_ROLE_RESOURCE.fullmatch(resource)``, the same match, in time linear in the resource.

    The expression tries each "/" as the end of the path, and reads from a stand-in's opener
    after it to the next ">", which must end the resource.  So only an opener after the ">"
    before the last can start the name (none when the resource ends otherwise); the "<" of
    every other is read here as a character the expression reads as it reads a "<" everywhere
    but in an opener (any text of a path, none of a name), so that it is not read to its ">"
    once for each "/" before it: ``role/`` then ``/<generated:a`` 20,000 times took 4.7 s."""
    last = len(resource) - 1
    cut = resource.rfind(">", 0, last) + 1 if resource.endswith(">") else len(resource)
    if "<" in resource[:cut]:
        resource = resource[:cut].replace("<", _NO_OPENER) + resource[cut:]
    return _ROLE_RESOURCE.fullmatch(resource)


_NO_OPENER = "\x00"  # in no name, and no "*", "?", "/" or ">"


def _sessions_key(
    text: str, service: str, resource: Callable[[str], re.Match[str] | None]
) -> str | None:
    """``session:ACCOUNT:NAME`` of an ARN of ``service``, read by :func:`parse_arn` as every
    other principal is: it names a partition, no region, a literal account or this account's,
    and a resource ``resource`` reads the role's name from.  None for any other text."""
    arn = parse_arn(text)
    if arn is None or not arn.partition or arn.service != service or arn.region:
        return None
    if not (is_account_id(arn.account) or arn.account == THIS_ACCOUNT):
        return None
    match = resource(arn.resource)
    return f"session:{arn.account}:{match['name']}" if match else None


def session_role(text: str) -> str | None:
    """``session:ACCOUNT:NAME``, the key of the role a session ARN is a session of (the graph
    indexes roles by it beside their ARNs); None for any other text, and for a session whose
    account or role name is not literal (a pattern, an unresolved part), which names no role
    rolelint can tell."""
    return _sessions_key(text, "sts", _SESSION_RESOURCE.fullmatch)


def role_of_sessions(role_arn: str) -> str | None:
    """The key of a role ARN's sessions, as :func:`session_role` gives it for each of them."""
    return _sessions_key(role_arn, "iam", _role_resource)


def session_admits(text: str, role_arn: str) -> str | None:
    """How a trust principal naming a session of the role ``role_arn`` admits that role; None
    when it names no session of it.  Whoever holds the role's credentials chooses the session
    name (sts:AssumeRole's RoleSessionName), so the role can open that very session.  Only an
    Allow is read so: a Deny of one session name refuses none of the others (but it refuses
    an Allow of that very session, see :func:`trust_admissions`)."""
    role = session_role(text)
    if role is None or role != role_of_sessions(role_arn):
        return None
    return f"a session of it ('{stand_ins_in_words(text)}'), whose name its caller chooses"


def refers_to(value: Value, role: Role) -> bool:
    """Whether ``value``, which names ``role``'s ARN, names that role.  A whole reference to a
    role (Value.declared_in: ``!GetAtt Role.Arn``, ``aws_iam_role.x.arn``) names only the role
    of its own template or module instance (Role.namespace): another file's role with the same
    ARN, a per-environment copy of the template, is necessarily in another account (a role's
    name is unique in one), which the reference never names.  A text written out, or a
    pattern, names every scanned role it matches, as RL206 reads iam:PassRole
    (RolesByArn.named_by)."""
    return value.declared_in is None or value.declared_in == role.namespace


def principal_admits(text: str, role_arn: str) -> str | None:
    """How an AWS principal admits the role with ARN ``role_arn``, None when it does not.

    The answer is a phrase for the finding: "anyone", "its account root", "its ARN" ...
    """
    if text == "*":
        return "anyone ('*')"
    if text == role_arn:
        return "its ARN"  # the common case, answered without parsing
    target = parse_arn(role_arn)
    account = (target.account or None) if target is not None else None
    if is_account_id(text) or text == THIS_ACCOUNT:
        return f"its account ('{text}')" if text == account else None
    principal = parse_arn(align_partition(text, role_arn))
    if principal is None:
        return None
    if principal.service == "iam" and principal.resource == "root":
        if (
            target is not None
            and account is not None
            and _root_covers(principal.partition, principal.account, target.partition, account)
        ):
            return f"its account root ('{text}')"
        return None
    if arn_matches(text, role_arn):
        # A pattern made of a role's ARN by reference holds its stand-ins: said in words.
        return f"the pattern '{stand_ins_in_words(text)}'"
    return None


@functools.lru_cache(maxsize=16384)
def _root_covers(partition: str, account: str, role_partition: str, role_account: str) -> bool:
    """Whether an account-root principal (its partition and account, patterns allowed) covers
    a role's partition and account: asked again for every role of an account, answered once."""
    return covers(partition, role_partition, case_sensitive=True) and covers(
        account, role_account, case_sensitive=True
    )


def _aws_principals(statement: Statement) -> Iterator[Principal]:
    for principal in statement.principals:
        if principal.value.text is None:
            continue
        if principal.kind in (PrincipalKind.AWS, PrincipalKind.ANYONE):
            yield principal


def assume_statements(trustee: Role) -> list[Statement]:
    """The statements of ``trustee``'s trust policy that grant or deny sts:AssumeRole."""
    document = trustee.trust_policy
    if document is None:
        return []
    return [s for s in document.statements if statement_grants(s, ASSUME_ROLE)]


def statement_indexes(trustee: Role) -> dict[int, int]:
    """The index of each statement of ``trustee``'s trust policy, by id(): how an edge names
    the statement that admits its source (:attr:`rolelint.graph.model.Edge.statement`), since
    statements can share the position of their principals (a YAML anchor, a dynamic block)."""
    document = trustee.trust_policy
    if document is None:
        return {}
    return {id(statement): index for index, statement in enumerate(document.statements)}


@dataclass(frozen=True, slots=True)
class Admission:
    """An Allow of a trust policy that lets a caller assume the role: ``how`` in words for a
    finding, the ``statement`` and the ``principal`` value that admit it."""

    how: str
    statement: Statement
    principal: Principal


def trust_admissions(
    trustee: Role,
    role: Role,
    statements: list[Statement] | None = None,
    *,
    each_principal: bool = False,
) -> list[Admission]:
    """Every Allow statement of ``trustee``'s trust policy that lets ``role`` call
    sts:AssumeRole on it, in order, each with the first of its principals admitting it; none
    when it does not.  The graph grades the hop by them, as one unconditional statement is
    enough to make it certain.  With ``each_principal``, every principal of those statements
    that admits it, each its own admission: RL404 reports each one by which a role trusts
    itself, judged as the graph judges a hop.

    A Deny naming the role (or everyone) that certainly applies to it wins over any Allow: one
    without conditions, or whose conditions the role certainly meets (``Deny "*"`` unless
    ``ArnNotEquals aws:PrincipalArn`` names another role, see :func:`refusing_denies`).  A
    Deny naming one session of the role refuses the Allow of that session, not the role's
    other principals in the same statement (its ARN admits every other session).  An
    Allow whose condition the role can never satisfy (see
    :mod:`rolelint.graph.caller_conditions`) does not admit it.  ``statements`` are
    :func:`assume_statements` of the trustee when the caller has them already.
    """
    arn = role.arn.text
    if arn is None or trustee.trust_policy is None:
        return []
    admitted: list[Admission] = []
    caller: Caller | None = None
    found = list(assume_statements(trustee) if statements is None else statements)
    refusing: list[Statement] = []
    if any(statement.is_deny for statement in found):
        caller = Caller.of(arn)
        refusing = refusing_denies(found, ASSUME_ROLE, names_arn(arn), caller)
    if any(deny.certain for deny in refusing):
        return []
    for statement in found:
        if not statement.is_allow:
            continue
        for principal in _aws_principals(statement):
            if not refers_to(principal.value, role):
                continue  # a reference to another template's role of that ARN
            text = principal.value.text or ""
            how = principal_admits(text, arn)
            if how is None:
                how = session_admits(text, arn)
                if how is not None and any(statement.is_deny for statement in found):
                    # A Deny naming that very session (or a pattern, account, '*' covering
                    # it) refuses what the Allow of the session admits, and only that: the
                    # role's ARN beside it in the statement still admits its other sessions.
                    caller = caller or Caller.of(arn)
                    session = refusing_denies(found, ASSUME_ROLE, names_arn(text), caller)
                    if any(deny.always_beside(statement) for deny in session):
                        continue
            if how is None:
                continue
            if any(deny.always_beside(statement) for deny in refusing):
                break  # refused wherever this Allow is deployed
            if statement.conditions:
                caller = caller or Caller.of(arn)
                if refusal(statement, caller) is not None:
                    break  # a condition no session of this caller satisfies
            admitted.append(Admission(how, statement, principal))
            if not each_principal:
                break
    return admitted


def refusing_denies(
    statements: Iterable[Statement],
    action: str,
    names: Callable[[Principal], bool],
    caller: Caller,
) -> list[Statement]:
    """The Denies of a trust policy that certainly refuse ``action`` to a caller: they deny it
    by Action (a NotAction Deny is left out), name the caller among their principals
    (``names``), and every condition of theirs certainly holds for it
    (:func:`rolelint.graph.caller_conditions.certainly_met`).  Whether one is deployed beside
    the Allow that admits the caller is :meth:`Statement.always_beside`."""
    return [
        statement
        for statement in statements
        if statement.is_deny
        and not statement.has_not_action
        and statement_grants(statement, action)
        and any(names(p) for p in statement.principals if p.value.text is not None)
        and certainly_met(statement, caller)
    ]


def names_arn(arn: str) -> Callable[[Principal], bool]:
    """Whether a trust principal names the IAM principal ``arn`` (its ARN, its account, or
    everyone: :func:`principal_admits`)."""
    return lambda principal: (
        principal.kind in (PrincipalKind.AWS, PrincipalKind.ANYONE)
        and principal_admits(principal.value.text or "", arn) is not None
    )


def certainly_refused(
    policy: Sequence[Statement], allow: Statement, kind: TypedPrincipal, action: str
) -> bool:
    """Whether a Deny of trust policy ``policy`` certainly refuses ``action`` to the party
    ``kind`` wherever ``allow`` admits it (:func:`refusing_denies`, deployed beside ``allow``):
    an explicit Deny wins over any Allow, so the party cannot assume the role that way.  The
    graph leaves such a party out, and the trust rules do not report it."""
    denies = [statement for statement in policy if statement.is_deny]
    if not denies:
        return False
    names, caller = _deny_subject(kind)
    return any(deny.always_beside(allow) for deny in refusing_denies(denies, action, names, caller))


def _deny_subject(kind: TypedPrincipal) -> tuple[Callable[[Principal], bool], Caller]:
    """Which Deny principals name the party ``kind``, and what is known of its callers for
    the Deny's conditions.  An IAM principal is named by its ARN, its account or everyone, and
    its ARN is known; an account by its root or everyone, and only the account is known of its
    principals; any other party (a service, a provider, anyone) by itself or everyone, and
    nothing is known of who calls, so that only a Deny without conditions refuses it, but for
    an identity provider rolelint knows: its every request presents its token (or assertion),
    which carries no other issuer's claims, so a Deny's negated test of such a claim holds
    (:meth:`~rolelint.checks.conditions.Carrier.lacks`)."""
    if kind.who in (Who.ROLE, Who.USER, Who.ASSUMED_ROLE) and not kind.has_wildcard:
        return names_arn(kind.text), Caller.of(kind.text)
    if kind.who is Who.ACCOUNT and kind.account is not None:
        root = f"arn:aws:iam::{kind.account}:root"
        return names_arn(root), Caller(None, kind.account, None)
    own = kind.principal

    def names(principal: Principal) -> bool:
        if is_everyone(principal):
            return True
        return kind.who is not Who.EVERYONE and (
            principal.kind is own.kind and principal.value.text == own.value.text
        )

    return names, Caller(None, None, None, Carrier.presented_by_provider(kind))


# --- roles by ARN ---------------------------------------------------------------------------------


def as_arn(role: Role, arn: Value) -> Role:
    """``role`` under another ARN it has, to be matched by that ARN."""
    return replace(role, arn=arn, other_arns=())


class RolePool:
    """Roles sorted by ARN (without its partition), so that a pattern is matched only against
    the roles that share its literal beginning: ``arn:aws:iam::123456789012:role/deploy-*``
    looks at the deploy roles of one account, ``arn:aws:s3:::bucket/*`` at none."""

    __slots__ = ("keys", "roles")

    def __init__(self, roles: Sequence[Role]) -> None:
        ordered = sorted(roles, key=lambda r: without_partition(r.arn.text or ""))
        self.keys = [without_partition(r.arn.text or "") for r in ordered]
        self.roles = ordered

    def starting_with(self, prefix: str) -> list[Role]:
        if not prefix:
            return self.roles
        return self.roles[
            bisect_left(self.keys, prefix) : bisect_right(self.keys, prefix + _LAST_CHAR)
        ]


_LAST_CHAR = "\U0010ffff"


def literal_prefix(pattern: str) -> str:
    """What every ARN a pattern matches begins with, after the partition ("" when the pattern
    starts with a wildcard, or has one before its partition ends)."""
    if not pattern.startswith("arn:") or has_wildcard(pattern[4:].partition(":")[0]):
        return ""
    key = without_partition(pattern)
    cut = min((i for i in (key.find("*"), key.find("?")) if i >= 0), default=len(key))
    return key[:cut]


class RolesByArn:
    """The scanned roles by ARN, each under every ARN it may have (Role.other_arns): which of
    them an IAM resource names, as a grant of sts:AssumeRole names the role it chains to
    (:func:`arn_matches`).  Built once, so that a resource is looked up rather than matched
    against every role: a literal ARN by its text (:meth:`exact`), a pattern against the roles
    that begin as it does (:class:`RolePool`, built on first use).  A role whose ARN is not
    known is named by nothing.  RL206 asks it which roles iam:PassRole names; the graph
    builder looks up the targets of sts:AssumeRole in one, and matches patterns against the
    same objects (:meth:`every_arn`), so that what it keeps by id() of a role under one of
    its ARNs stays true."""

    __slots__ = ("_exact", "_pool", "_primary", "_variants")

    def __init__(self, roles: Iterable[Role]) -> None:
        self._primary: dict[int, Role] = {}
        self._variants: dict[int, tuple[Role, ...]] = {}
        for role in roles:
            found = tuple(
                each
                for each in (role, *(as_arn(role, arn) for arn in role.other_arns))
                if each.arn.text is not None
            )
            self._variants[id(role)] = found
            for each in found:
                self._primary[id(each)] = role
        self._exact: dict[str, list[Role]] = {}
        for found in self._variants.values():
            for each in found:
                self._exact.setdefault(without_partition(each.arn.text or ""), []).append(each)
        self._pool: RolePool | None = None

    def exact(self, arn: str) -> list[Role]:
        """The roles whose ARN (one of them, as that role) is ``arn``, whatever its partition."""
        return self._exact.get(without_partition(arn), [])

    def every_arn(self, roles: Iterable[Role]) -> list[Role]:
        """Each of ``roles`` (of this index) under every ARN it may have, as held here."""
        return [each for role in roles for each in self._variants.get(id(role), (role,))]

    def primary(self, role: Role) -> Role:
        """The scanned role ``role`` is, under whichever of its ARNs."""
        return self._primary.get(id(role), role)

    def named_by(self, pattern: str, declared_in: str | None = None) -> list[tuple[Role, str]]:
        """The roles ``pattern`` certainly names, each once with the first of its ARNs it
        names, in the order of their ARNs.  A reference to a role (``declared_in``, its
        template or module instance: Value.declared_in) names only that namespace's roles,
        not one of another file with the same ARN."""
        if has_wildcard(pattern):
            if self._pool is None:
                self._pool = RolePool([v for found in self._variants.values() for v in found])
            candidates = self._pool.starting_with(literal_prefix(pattern))
        else:
            candidates = self.exact(pattern)
        found: dict[int, tuple[Role, str]] = {}
        for each in candidates:
            arn = each.arn.text or ""
            role = self._primary[id(each)]
            if declared_in is not None and role.namespace != declared_in:
                continue
            if id(role) not in found and arn_matches(pattern, arn):
                found[id(role)] = (role, arn)
        return list(found.values())


def trusted_services(role: Role) -> frozenset[str]:
    """The AWS services whose principal the trust policy of ``role`` lets call sts:AssumeRole
    (by their commercial name, :func:`rolelint.service_principals.canonical`): an Allow names
    it and no Deny certainly refuses it there.  The services a role handed over with
    iam:PassRole can work as.  The trust's conditions on the service (aws:SourceAccount,
    aws:SourceArn) name the resource it acts for, which whoever passes the role creates: they
    are no limit here.  A name not known, or not resolved, is no service."""
    document = role.trust_policy
    if document is None:
        return frozenset()
    found: set[str] = set()
    for statement in assume_statements(role):
        if not statement.is_allow:
            continue
        for principal in statement.principals:
            text = principal.value.text
            if principal.kind is not PrincipalKind.SERVICE or text is None:
                continue
            name = canonical(text)
            if name is not None and not certainly_refused(
                document.statements, statement, typed(principal), ASSUME_ROLE
            ):
                found.add(name)
    return frozenset(found)


# --- values set on the session: tags, a source identity -----------------------------------------


@dataclass(frozen=True, slots=True)
class SessionValue:
    """Something a caller sets on the session it asks for, which a trust statement can require
    by a condition on its keys, and which the caller may set only when the trust policy and
    (unless the trust names it by ARN) its own policy allow an action of its own: session tags
    (sts:TagSession, IAM User Guide "Passing session tags in AWS STS") or a source identity
    (sts:SetSourceIdentity, "Monitor and control actions taken with assumed roles": in role
    chaining it must be allowed in both, or the assume-role call fails).  ``keys`` are the
    condition keys (lower case, by their beginning) that test it; ``passed`` is how a message
    says the caller sets it."""

    action: str
    keys: tuple[str, ...]
    passed: str


SESSION_TAGS = SessionValue(
    "sts:TagSession", ("aws:requesttag/", "aws:tagkeys"), "session tags its policy lets it pass"
)
SOURCE_IDENTITY = SessionValue(
    "sts:SetSourceIdentity", ("sts:sourceidentity",), "a source identity its policy lets it set"
)
SESSION_VALUES = (SESSION_TAGS, SOURCE_IDENTITY)


def _requires(statement: Statement, value: SessionValue) -> bool:
    """A trust statement that admits only callers setting ``value``: a test on one of its keys
    that fails without the key.  ForAllValues, negated and IfExists operators hold for a
    request without it, so they require nothing; nor does an operator rolelint cannot read
    (it may be one of those)."""
    return any(
        condition.key.lower().startswith(value.keys)
        and not condition.operator.startswith(UNRESOLVED_KEY)
        and (false_without_key(condition) or _requires_presence(condition))
        for condition in statement.conditions
    )


def _requires_presence(condition: Condition) -> bool:
    """A Null test that the key be present: ``"false"`` (in any case) means "not null", so the
    value must be passed; ``"true"`` (absent) needs none, and a value rolelint cannot read, or
    both values (either holds), requires nothing certain
    (:func:`~rolelint.condition_operators.null_test`)."""
    return null_test(condition.operator, (value.text for value in condition.values)) is False


def any_requires_session_values(statements: list[Statement]) -> bool:
    """Whether some statement admits callers only with session tags or a source identity: the
    cheap test callers can make once per trust policy before :func:`session_values_needed`."""
    return any(_requires(statement, value) for statement in statements for value in SESSION_VALUES)


def session_values_needed(
    trustee: Role, role: Role, statements: list[Statement]
) -> tuple[SessionValue, ...] | None:
    """What ``role`` must set on its session to assume ``trustee``: each value every Allow
    admitting it requires (none when one of them admits it without: that one is used), when
    the trust policy allows it the value's action; None when one is required and the trust
    never lets it be set (the role can never assume it).  ``statements`` are
    :func:`assume_statements` of the trustee.  A value some admitting Allows require and
    others do not is not needed: the hop stands, as it may be made through the others.

    The action is one of its own, authorized by the whole trust policy: an Allow of it in
    another statement than the one admitting sts:AssumeRole counts (AWS documents that
    layout, an "AllowPassSessionTags" statement), unless a Deny certainly refuses it."""
    arn = role.arn.text
    if arn is None or not any_requires_session_values(statements):
        return ()
    caller = Caller.of(arn)
    admitting = [
        statement
        for statement in statements
        if statement.is_allow
        and any(
            refers_to(p.value, role) and principal_admits(p.value.text or "", arn)
            for p in _aws_principals(statement)
        )
        and refusal(statement, caller) is None
    ]
    if not admitting:
        return ()
    needed: list[SessionValue] = []
    for value in SESSION_VALUES:
        if not all(_requires(statement, value) for statement in admitting):
            continue
        if not _trust_allows(trustee, role, caller, value.action):
            return None
        needed.append(value)
    return tuple(needed)


def _trust_allows(trustee: Role, role: Role, caller: Caller, action: str) -> bool:
    """Whether some Allow of ``trustee``'s trust policy lets the caller ``role`` call
    ``action`` (sts:TagSession, sts:SetSourceIdentity): it admits the caller (a reference to a
    role only its own template's or module's, :func:`refers_to`), none of its conditions
    refuses it, and no Deny that certainly applies to the caller stands beside it."""
    document = trustee.trust_policy
    if document is None:
        return False
    names = names_arn(role.arn.text or "")
    refusing = refusing_denies(document.statements, action, names, caller)
    return any(
        statement.is_allow
        and statement_grants(statement, action)
        and any(
            names(p) and refers_to(p.value, role)
            for p in statement.principals
            if p.value.text is not None
        )
        and refusal(statement, caller) is None
        and not any(deny.always_beside(statement) for deny in refusing)
        for statement in document.statements
    )


def allows_setting(role: Role, target: Role, value: SessionValue) -> bool:
    """Whether ``role``'s own policies allow ``value``'s action (sts:TagSession,
    sts:SetSourceIdentity) on ``target`` (after its Denies): some Allow names it (by Resource,
    or by not naming it in a NotResource) and no Deny or boundary takes that grant away.
    Every such Allow is tried: a Deny may remove one and leave another.  One under a mandatory
    test of iam:PassedToService (or s3:TlsVersion) allows nothing here: no such request
    carries that key (see may_grant)."""
    arn = target.arn.text
    action = value.action
    if arn is None:
        return False
    return any(
        not effect_of(action, [target.arn], document, [role], allow=statement).removed
        for document in judged_permissions(role)
        for statement in document.statements
        if statement.is_allow
        and statement_grants(statement, action)
        and may_grant(statement, action)
        and _names_role(statement, target)
    )


def _names_role(statement: Statement, target: Role) -> bool:
    """Whether the resources of an Allow name the role ``target`` (see :class:`Candidate`)."""
    return any(
        _names_target(resource, except_for, target)
        for resource, except_for in _granted_resources(statement)
    )


# --- privilege ------------------------------------------------------------------------------------


def judged_permissions(role: Role) -> list[PolicyDocument]:
    """The permission policies of ``role`` that say what it can do, as every rule judges
    them: all of them but a service-linked role's own (AWS writes them and IAM refuses every
    change, so no rule judges them: rolelint.checks.grants.service_linked_only).  The
    hops, the administrator-level mark of the graph and the audit's access level all read
    this one list, so that they agree (a Deny in such a policy still applies: effect_of reads
    the role)."""
    return [
        document
        for document in role.policies
        if document.kind is PolicyKind.PERMISSIONS
        and not service_linked_only(document, (role,), ())
    ]


@dataclass(frozen=True, slots=True)
class AdminGrant:
    """What makes a role administrator-level: ``reason`` in words; ``escalation`` when it holds
    a privilege-escalation action rather than every IAM action (it can grant itself the rest)."""

    reason: str
    escalation: bool = False


def admin_grant(role: Role, scanned: ScannedPolicies | None = None) -> AdminGrant | None:
    """Why ``role`` has administrator-level access; None when it does not.

    Admin-level: every IAM action on every resource left after the role's Denies and permissions
    boundary (AWS managed policies such as AdministratorAccess are documents by now, see
    rolelint.managed_policies), or a privilege escalation through IAM as RL206 finds it
    (rolelint.checks.escalation.iam_escalation: the holder can grant itself the rest).  Every
    IAM action is the stronger reason: an escalation is returned only when no statement grants
    that.  ``scanned``, the scan's customer managed policies, says what a condition naming one
    of them admits, as for the rules.
    """
    escalation: AdminGrant | None = None
    for document in judged_permissions(role):
        for statement in document.statements:
            if not statement.is_allow:
                continue
            # Under iam:PassedToService (iam:PolicyARN) a statement grants iam:PassRole (the
            # policy attachments) alone, whatever its actions say: an escalation at most,
            # never every IAM action; under s3:TlsVersion, no IAM action (see may_grant).
            if may_grant(statement, ALL_OF_IAM):
                granting = _all_of_iam_in(statement, document, role)
                if granting is not None:
                    return granting
            if escalation is None:
                found = iam_escalation(document, statement, (role,), scanned)
                if found is not None:
                    what = (
                        f"'{found.action}'"
                        if found.action is not None
                        else f"NotAction granting {found.method}"
                    )
                    where = resources_named(statement, found.resource)
                    escalation = AdminGrant(
                        f"{what} on {where} in {document.origin}, a privilege escalation",
                        escalation=True,
                    )
    return escalation


class AdminLevels:
    """Whether each role, user and group of one inventory is administrator-level
    (:func:`admin_grant`), each judged once: the graph marks its nodes by it, RL206 asks it
    of the roles iam:PassRole names, and the audit's access level reads it, for the same
    holders, and judging every statement of a holder is what costs.  ``scanned`` are the
    scan's customer managed policies, as for the rules."""

    __slots__ = ("_known", "_scanned")

    def __init__(self, scanned: ScannedPolicies | None = None) -> None:
        self._scanned = scanned
        # By id() of the role or identity, kept beside its answer so that the id stays its own.
        self._known: dict[int, tuple[Role | Identity, AdminGrant | None]] = {}

    def of(self, holder: Role, identity: Identity | None = None) -> AdminGrant | None:
        """:func:`admin_grant` of ``holder``.  For a user or group, ``identity`` is the one
        ``holder`` stands for: each reader makes that holder anew (model.identity_holder), from
        the same identity, so the answer is the identity's."""
        key: Role | Identity = holder if identity is None else identity
        known = self._known.get(id(key))
        if known is None:
            known = (key, admin_grant(holder, self._scanned))
            self._known[id(key)] = known
        return known[1]

    def reason(self, holder: Role, identity: Identity | None = None) -> str | None:
        """Why ``holder`` has administrator-level access, in words; None when it does not."""
        grant = self.of(holder, identity)
        return grant.reason if grant is not None else None


@once_per_inventory
def admin_levels(inventory: Inventory) -> AdminLevels:
    """The :class:`AdminLevels` of ``inventory``: one for the graph, the rules and the audit."""
    return AdminLevels(scanned_policies(inventory))


def _all_of_iam_in(statement: Statement, document: PolicyDocument, role: Role) -> AdminGrant | None:
    """Every IAM action on every resource, granted by the Allow ``statement`` after the role's
    Denies and boundary, with what grants it in words (``'iam:*'``, ``NotAction``); None when
    it does not.  As RL201 judges it (all_of_iam_stands): not when a Deny's or the boundary's
    condition lets through iam:PassRole or the attachments alone."""
    if not may_name_all_of_iam(statement):
        return None
    wide = admin_resources(statement)  # as RL201 judges it
    if not wide:
        return None
    where = f"{resources_named(statement, wide[0])} in {document.origin}"
    if statement.has_not_action and all(v.text for v in statement.not_actions):
        excluded = tuple(v.text for v in statement.not_actions if v.text)
        effect = effect_of("*", wide, document, [role], excluded=excluded, allow=statement)
        if all_of_iam_stands(effect):
            return AdminGrant(f"NotAction on {where}")
    for action in statement.actions:
        text = action.text
        if text is None:
            continue
        if names_all_of_iam(text) and all_of_iam_stands(
            effect_of(text, wide, document, [role], allow=statement)
        ):
            return AdminGrant(f"'{text}' on {where}")
    return None


def _boundaries_allow(role: Role, target_arn: Value) -> bool:
    """Every permissions boundary of ``role`` (if any) allows sts:AssumeRole on the target; a
    boundary some deployments leave out caps nothing."""
    text = target_arn.text or ""
    for boundary in role.policies:
        if boundary.kind is not PolicyKind.BOUNDARY or boundary.optional:
            continue
        if not any(_boundary_allows(statement, text) for statement in boundary.statements):
            return False
    return True


def _boundary_allows(statement: Statement, arn: str) -> bool:
    """Whether a boundary statement may allow sts:AssumeRole on the role ``arn``.

    As in rolelint.checks.effective, an unresolved value in a boundary caps nothing: an Action,
    Resource or NotResource value not known may be the one that lets the hop through.  A
    NotResource allows it on every role it does not name.
    """
    if not statement.is_allow:
        return False
    if statement.has_not_action:
        if any(action_covers(v, ASSUME_ROLE) for v in statement.not_actions):
            return False
    elif not any(v.text is None or action_grants(v, ASSUME_ROLE) for v in statement.actions):
        return False
    if statement.has_not_resource:
        return not any(
            v.text is not None and arn_may_match(v.text, arn) for v in statement.not_resources
        )
    return any(r.text is None or arn_matches(r.text, arn) for r in statement.resources)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Resource value of an Allow statement that grants sts:AssumeRole.

    For an Allow with NotResource, ``resource`` is a ``"*"`` at the NotResource standing for
    every resource but the patterns of ``except_for``: IAM grants the action on every role those
    patterns do not name.
    """

    resource: Value
    document: PolicyDocument
    explicit: bool  # granted by Action (not by what a NotAction leaves out)
    statement: Statement  # the Allow (its branch, when an Fn::If chose it)
    except_for: tuple[str, ...] = ()

    def names(self, target: Role) -> bool:
        """Whether the grant names the role ``target`` (by the ARN it is held under)."""
        return _names_target(self.resource, self.except_for, target)

    @property
    def described(self) -> str:
        """How a message names the resources: ``'*'``, or every resource except the listed
        ones (NotResource)."""
        return resources_named(self.statement, self.resource)


def _names_target(resource: Value, except_for: tuple[str, ...], target: Role) -> bool:
    """Whether a ``resource`` (minus the NotResource patterns ``except_for``) names the role
    ``target``: its pattern matches the role's ARN, and a reference to a role is to this one
    (:func:`refers_to`).  A NotResource is read by its text alone: one that may name the role
    leaves it out, whichever template's role it refers to."""
    pattern, arn = resource.text, target.arn.text
    return (
        pattern is not None
        and arn is not None
        and refers_to(resource, target)
        and arn_matches(pattern, arn)
        and not any(arn_may_match(excluded, arn) for excluded in except_for)
    )


def assume_resources(role: Role) -> list[Candidate]:
    """The resolved Resource values of ``role``'s Allow statements that grant sts:AssumeRole
    (for NotResource, one standing for every resource but the listed ones).  A statement under
    a mandatory test of iam:PassedToService (or s3:TlsVersion) grants it nothing: no
    sts:AssumeRole request carries that key (see may_grant).  Nor does a service-linked role's
    own policy (:func:`judged_permissions`): no chain starts from it."""
    return [
        Candidate(resource, document, not statement.has_not_action, statement, except_for)
        for document in judged_permissions(role)
        for statement in document.statements
        if statement.is_allow
        and statement_grants(statement, ASSUME_ROLE)
        and may_grant(statement, ASSUME_ROLE)
        for resource, except_for in _granted_resources(statement)
    ]


def _granted_resources(statement: Statement) -> list[tuple[Value, tuple[str, ...]]]:
    """The resolved resources of an Allow, each with the patterns it leaves out: its Resource
    values, or for NotResource a ``"*"`` but the listed ones (none when one of those is not
    known or is every resource: it may grant nothing)."""
    every_but = every_resource_but(statement)
    if every_but is not None:
        return [(every_but, tuple(v.text for v in statement.not_resources if v.text is not None))]
    return [(resource, ()) for resource in statement.resources if resource.text is not None]


def has_limits(role: Role) -> bool:
    """Whether any Deny or permissions boundary could take a grant of ``role`` away: without
    one, every hop its permissions name stands, and the (costly) evaluation is skipped."""
    return any(
        document.kind is PolicyKind.BOUNDARY
        or any(statement.is_deny for statement in document.statements)
        for document in role.policies
    )


def grant_for(
    role: Role, found: list[Candidate], target: Role, *, limited: bool = True
) -> Candidate | None:
    """Of the Resource values of ``role`` that match ``target``, the one that grants the hop.

    The finding points at an exact ARN rather than a pattern, and at an Action rather than a
    NotAction statement.  A Deny in any of the role's policies, or a permissions boundary that
    does not allow it, removes the hop (``limited=False`` says there is none of either).
    """
    if limited:
        first = found[0]
        allow = first.statement
        if effect_of(ASSUME_ROLE, [target.arn], first.document, [role], allow=allow).removed:
            return None
        if not _boundaries_allow(role, target.arn):
            return None
    return min(found, key=lambda c: (c.resource.text != target.arn.text, not c.explicit))
