"""Service principals that name no AWS service (RL109), and services trusted without the
confused-deputy conditions they support (RL110).

Names are checked against the dated list in :mod:`rolelint.service_principals`.  A name close to a
known one (a typo, a missing or doubled ``.amazonaws.com``, ``amazon.com``, upper case, spaces)
is reported with the fix; a name close to nothing is only information, since it may be a service
newer than the list.  Values rolelint cannot resolve are never judged.  A name a condition tests
(``aws:PrincipalServiceName``, ``aws:PrincipalServiceNamesList``) is judged as the name written
as a principal is.

RL110 judges a ``"*"`` a condition limits to services as the services written as principals
(:mod:`rolelint.checks.service_limits` reads the conditions).
"""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check, holder_keys
from rolelint.checks.conditions import never_applies
from rolelint.checks.iam_match import has_wildcard, parse_arn, statement_grants
from rolelint.checks.principals import typed
from rolelint.checks.service_limits import SPELLED, ServicePin, service_pin
from rolelint.checks.trust_common import (
    ASSUME_ROLE,
    INVALID_PRINCIPAL,
    editable_trust_policies,
    naming_holders,
    policy_words,
    role_id,
    trust_key,
    written_principals,
    written_statements,
)
from rolelint.checks.trust_conditions import (
    SERVICE_KEYS,
    Grade,
    Graded,
    deployer_decides,
    operator_problem,
    scope_of,
)
from rolelint.condition_operators import positive_form
from rolelint.findings import Severity
from rolelint.graph.hops import certainly_refused
from rolelint.model import (
    Inventory,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    Statement,
)
from rolelint.service_principals import (
    Diagnosis,
    SourceConditions,
    canonical,
    catalog,
    diagnose,
)
from rolelint.source import SourceRef

_SOURCE_KEYS = ("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths")


# --- RL109 ----------------------------------------------------------------------------------------


@check("RL109")
def unknown_service_principal(inventory: Inventory) -> Iterator[Hit]:
    for document, role, subject, statement, principal, holders in written_principals(inventory):
        name = principal.value.text
        if principal.kind is not PrincipalKind.SERVICE or name is None or not name.strip():
            continue  # an empty name names no service at all: RL111's
        diagnosis = diagnose(name)
        if diagnosis is None or never_applies(document, statement):
            continue  # never_applies: RL611's, the statement admits no one, whichever name
        hit = Hit(
            "RL109",
            f"{subject} names service principal '{name}'{_rl109_tail(diagnosis, statement)}",
            principal.value.ref,
            document.resource,
            trust_key(document, "Service", name),
            role=role_id(role),
            holders=holder_keys((role,)),
            severity=None if diagnosis.definite or diagnosis.case_only else Severity.INFO,
        )
        yield naming_holders(hit, holders, document)
    yield from _tested_service_names(inventory)


# The condition keys whose values are service principals' names (lower-case: keys compare so),
# as AWS spells them.
_NAME_KEYS = {key: SPELLED[key] for key in SERVICE_KEYS}
# The string tests (each negation as the test it negates) that compare such a name.
_NAME_TESTS = frozenset({"stringequals", "stringequalsignorecase", "stringlike"})


def _tested_service_names(inventory: Inventory) -> Iterator[Hit]:
    """RL109 on a service principal's name a condition tests (``StringEquals
    aws:PrincipalServiceName: lamda.amazonaws.com``), judged as the name written as a Service
    principal is, at the value: no service's request carries a name that is none, so the test
    never matches the service meant.  Not a pattern under ``StringLike`` (a pattern is what it
    takes), nor a difference of case under an ``IgnoreCase`` test, nor an empty (or blank)
    value: it names no service, and no request holds it (beside other names it admits no one,
    they decide; alone it is RL611's), as an empty Service principal is RL111's, not RL109's."""
    for document, role, subject, statement, holders in written_statements(inventory):
        applies: bool | None = None  # whether it ever applies, asked once a name is mistyped
        for condition in statement.conditions:
            key = _NAME_KEYS.get(condition.key.lower())
            test = positive_form(condition.base_operator).lower()
            if key is None or test not in _NAME_TESTS:
                continue
            for value in condition.values:
                name = value.text
                if name is None or not name.strip():
                    continue  # names no service at all, mistyped or not
                if test == "stringlike" and has_wildcard(name):
                    continue
                diagnosis = diagnose(name)
                if diagnosis is None or (diagnosis.case_only and test.endswith("ignorecase")):
                    continue
                if applies is None:
                    applies = not never_applies(document, statement)
                if not applies:
                    break  # RL611's: no request passes it, whichever name it tests
                hit = Hit(
                    "RL109",
                    f"{subject} names service principal '{name}' in {condition.operator} {key}"
                    f"{_rl109_tail(diagnosis, statement, _TESTED_CONSEQUENCE)}",
                    value.ref,
                    document.resource,
                    trust_key(document, key, name),
                    role=role_id(role),
                    holders=holder_keys((role,)),
                    severity=None if diagnosis.definite or diagnosis.case_only else Severity.INFO,
                )
                yield naming_holders(hit, holders, document)


# What a name that is none costs in a condition: IAM does not check a condition's values.
_TESTED_CONSEQUENCE = (
    "As written, no AWS service's request carries that name, so the test never matches the "
    "service meant"
)


def _rl109_tail(diagnosis: Diagnosis, statement: Statement, consequence: str = "") -> str:
    """The message after the name: what is wrong, what was meant, what it costs (as a
    principal, unless ``consequence`` says otherwise)."""
    why = "; ".join(diagnosis.why)
    if diagnosis.case_only:
        return (
            f": {why}. Did you mean '{diagnosis.suggestion}'? Write it as AWS documents it; "
            "rolelint cannot tell whether IAM accepts another spelling"
        )
    if not diagnosis.definite:
        data = catalog()
        also = f" ({why})" if why else ""
        return (
            f", which is not in rolelint's list of {len(data.names)} AWS service principals "
            f"(dated {data.retrieved}){also}: check the spelling; a service AWS added since "
            "then is not an error"
        )
    # "...: did you mean 'x'? As written, ..." or, with nothing to suggest, "... . As written".
    meant = f": did you mean '{diagnosis.suggestion}'?" if diagnosis.suggestion else "."
    reason = f" ({why})" if why else ""
    costs = consequence or _consequence(statement)
    return f", which is not an AWS service principal{reason}{meant} {costs}"


def _consequence(statement: Statement) -> str:
    if statement_grants(statement, ASSUME_ROLE):
        return (
            "As written, no AWS service can ever assume the role through it, and the deployment "
            f"may fail with {INVALID_PRINCIPAL}"
        )
    return (
        "As written, the statement never applies to an AWS service, and IAM may reject the "
        f"policy with {INVALID_PRINCIPAL}"
    )


# --- RL110 ----------------------------------------------------------------------------------------


def source_conditions(name: str) -> SourceConditions | None:
    """The vetted confused-deputy support of the service ``name`` designates, if any."""
    known = canonical(name)
    return catalog().conditions.get(known) if known is not None else None


def _source_graded(
    statement: Statement, policy: tuple[Statement, ...]
) -> tuple[bool, list[Graded]]:
    """Whether an effective source condition (or a Deny mirroring one) scopes the statement,
    and the weak ones that look like it does."""
    scope = scope_of(statement, policy, ASSUME_ROLE)
    if scope.unknown:
        return True, []  # a condition rolelint cannot read may be exactly this one
    relevant = [g for g in scope.graded if g.condition.key.lower() in _SOURCE_KEYS]
    # A Deny whose value whoever deploys decides may be the limit, as the Allow's may.
    denies = [
        g for g in (*scope.denies, *scope.undecided) if g.condition.key.lower() in _SOURCE_KEYS
    ]
    # A source condition that would be effective with concrete values in place of its
    # unresolved ones: what it tests is unknown, so rolelint does not call it missing.
    effective = [
        g
        for g in relevant
        if g.grade is Grade.EFFECTIVE or deployer_decides(g) or _names_no_account(g)
    ]
    return bool(effective or denies), [g for g in relevant if g.grade is Grade.WEAK]


def _names_no_account(graded: Graded) -> bool:
    """A source ARN condition whose every value has an empty account field ('arn:aws:s3:::*',
    weak for RL101 since it matches every account's buckets).  The source ARN a vetted service
    sets, a state machine's or a schedule's, always names its account, so such a condition
    never holds for it: the service cannot assume the role through the statement at all, and
    there is no confused deputy to report."""
    condition = graded.condition
    if condition.key.lower() != "aws:sourcearn" or operator_problem(condition) is not None:
        return False  # a negation or IfExists admits what it does not name
    if not condition.values:
        return False
    arns = [parse_arn(v.text) if v.text is not None else None for v in condition.values]
    return all(arn is not None and arn.account == "" for arn in arns)


def _vetted(
    principals: tuple[Principal, ...], document: PolicyDocument, statement: Statement
) -> list[tuple[Principal, SourceConditions]]:
    """The Service principals of a vetted service, with what it supports, but those a Deny of
    the trust policy certainly refuses: such a service cannot be a deputy (the graph leaves it
    out too)."""
    return [
        (principal, support)
        for principal in principals
        if principal.kind is PrincipalKind.SERVICE and principal.value.text is not None
        for support in [source_conditions(principal.value.text)]
        if support is not None
        and not certainly_refused(document.statements, statement, typed(principal), ASSUME_ROLE)
    ]


@check("RL110")
def service_trust_without_source_condition(inventory: Inventory) -> Iterator[Hit]:
    for document, role in editable_trust_policies(inventory):
        for statement in document.statements:
            if not statement.is_allow or not statement_grants(statement, ASSUME_ROLE):
                continue
            if never_applies(document, statement):
                continue  # RL611's: it admits no service, deputy or not
            vetted = _vetted(statement.principals, document, statement)
            pin = service_pin(statement)
            pinned = _vetted(pin.services, document, statement) if pin is not None else []
            every = pin is not None and _every_service_admitted(document, statement, pin)
            if not (vetted or pinned or every):
                continue
            scoped, weak = _source_graded(statement, document.statements)
            if scoped:
                continue
            weak_words = "; ".join(g.verdict() for g in weak)
            yield from _service_hits(role, document, vetted, weak_words, "", ("Service",))
            if pin is None:
                continue
            key = ("*", pin.key)
            yield from _service_hits(role, document, pinned, weak_words, pin.through, key)
            if every:
                yield _every_service_hit(role, document, pin, weak_words)


def _every_service_admitted(
    document: PolicyDocument, statement: Statement, pin: ServicePin
) -> bool:
    """Whether ``pin`` limits the ``"*"`` of ``statement`` to every AWS service (it names
    none), and no Deny of the trust policy certainly refuses that ``"*"``."""
    if pin.services:
        return False
    return not certainly_refused(document.statements, statement, typed(pin.anyone), ASSUME_ROLE)


def _service_hits(
    role: Role | None,
    document: PolicyDocument,
    vetted: list[tuple[Principal, SourceConditions]],
    weak: str,
    through: str,
    key: tuple[str, ...],
) -> Iterator[Hit]:
    """One RL110 finding per vetted service written at one place; ``through``: how a ``"*"``
    is limited to it, when a condition names it (keyed apart from a written principal)."""
    for names, support, ref in _one_per_deployment(vetted):
        yield Hit(
            "RL110",
            _rl110_message(role, _named(names, support) + through, support, weak),
            ref,
            document.resource,
            trust_key(document, *key, names[0]),
            role=role_id(role),
            holders=holder_keys((role,)),
        )


def _every_service_hit(
    role: Role | None, document: PolicyDocument, pin: ServicePin, weak: str
) -> Hit:
    """RL110 on a ``"*"`` limited to every AWS service, at the condition that limits it (at
    the pattern, for a service name pattern every service matches)."""
    found = f" ({weak})" if weak else ""
    pattern = pin.pattern.text if pin.pattern is not None else None
    parts = (pin.key,) if pattern is None else (pin.key, pattern)
    return Hit(
        "RL110",
        f"{policy_words(role)} lets every AWS service{pin.through} assume the role with no "
        f"effective aws:SourceAccount or aws:SourceArn condition{found}: any AWS service that "
        "assumes roles, given this role's ARN by whoever configures it in any account, can use "
        "its permissions (confused deputy); name the services that need the role (Principal "
        "Service) and add StringEquals aws:SourceAccount with your account id, or ArnLike "
        "aws:SourceArn with the ARNs of your resources",
        pin.ref,
        document.resource,
        trust_key(document, "*", *parts),
        role=role_id(role),
        holders=holder_keys((role,)),
    )


def _one_per_deployment(
    vetted: list[tuple[Principal, SourceConditions]],
) -> list[tuple[list[str], SourceConditions, SourceRef]]:
    """The vetted principals of a statement, those of one service written at one place taken
    together: one trust lacking one condition, not one finding per region (27 findings, and a
    role's risk ten times another's).  The names one value gives are either the alternatives
    each deployment chooses one of (CDK's ``Fn::FindInMap`` of ``states.<region>.amazonaws.com``
    by region) or a list every deployment trusts whole (a ``CommaDelimitedList`` parameter):
    the model does not tell which, so the message claims neither."""
    grouped: dict[tuple[SourceRef, str], list[str]] = {}
    supports: dict[tuple[SourceRef, str], SourceConditions] = {}
    for principal, support in vetted:
        place = (principal.value.ref, support.service)
        names = grouped.setdefault(place, [])
        if principal.value.text and principal.value.text not in names:
            names.append(principal.value.text)
        supports[place] = support
    return [(sorted(names), supports[place], place[0]) for place, names in grouped.items()]


def _named(names: list[str], support: SourceConditions) -> str:
    if len(names) == 1:
        return names[0]
    others = len(names) - 1
    return f"{names[0]} and {others} other name{'s' * (others != 1)} of {support.service} here"


def _rl110_message(role: Role | None, name: str, support: SourceConditions, weak: str) -> str:
    sets = "both" if len(support.keys) > 1 else support.keys[0]
    found = f" ({weak})" if weak else ""
    conditions = (
        "StringEquals aws:SourceAccount with your account id, or ArnLike aws:SourceArn with the "
        "ARNs of your resources"
    )
    # A trust nothing in the template can change: the condition needs a role of one's own.
    fix = (
        "its trust policy is generated with the role and cannot be changed where the role is "
        f"declared: give the resource a role of its own (Role) whose trust policy has {conditions}"
        if role is not None and role.trust_fixed
        else f"add {conditions}"
    )
    return (
        f"{policy_words(role)} lets {name} assume the role with no effective aws:SourceAccount "
        f"or aws:SourceArn condition{found}: {support.service} sets {sets} when it assumes "
        f"{support.assumes} ({support.url}), and without one any {support.service} resource "
        f"given this role's ARN, in any account, can use its permissions (confused deputy); {fix}"
    )
