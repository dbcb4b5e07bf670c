"""Trust conditions graded by whether they limit who can assume a role.

Peers get this wrong both ways: one ignores every Condition (``"*"`` scoped by
``aws:PrincipalOrgID`` is flagged), another takes any Condition as full mitigation (``"*"`` with
``aws:SecureTransport`` passes).  Here each condition of an Allow trust statement gets a grade:

- effective: it ties the statement to known callers (an organization, an account, a principal or
  source ARN, a principal's unique id, an ExternalId, a precise OIDC subject) with concrete
  values, as a mandatory positive test;
- weak: it looks like a limit but is not one (a wildcard that admits any account, ``IfExists``,
  ``ForAllValues``, a Null check, a negation, a token's claim tested with empty values alone,
  an unresolved value nobody constrained, or unresolved values alone of the claim of a token
  that says whose it is; an empty value of a key that names who admits no request, so the
  other values decide, and alone it is RL611's);
- irrelevant: it limits how or where, not who (region, TLS, time, MFA, tags, session names);
- unknown: rolelint cannot read its key or operator, so it may be exactly the limit: rules stay
  silent on what they cannot know.

Only effective conditions scope a statement.  A Deny of the same trust policy that refuses every
caller failing an effective test (``StringNotEquals aws:PrincipalOrgID``) scopes it as well.  One
whose test rolelint cannot judge (its value a parameter without a default) may be that limit, as
the same test on the Allow may: it counts as a limit rolelint cannot judge, never as none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from rolelint.checks.external_id_values import is_placeholder
from rolelint.checks.iam_match import (
    Arn,
    has_wildcard,
    is_all_wildcards,
    parse_arn,
    parse_arn_pattern,
    statement_grants,
)
from rolelint.checks.oidc_providers import Profile, unjudged_claim, who_claim
from rolelint.checks.principals import is_everyone
from rolelint.checks.trust_common import assume_actions
from rolelint.condition_operators import NEGATED_TEST_FAMILIES, is_negated, positive_form
from rolelint.model import UNRESOLVED_KEY, Condition, Statement, Value


class Grade(str, Enum):
    EFFECTIVE = "effective"
    WEAK = "weak"
    IRRELEVANT = "irrelevant"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Graded:
    """A condition, its grade and, for weak and irrelevant ones, why.  ``unjudged``: UNKNOWN
    because it tests a claim no rule judges (:func:`unjudged_claim_limit`), which rolelint can
    read, not because its key or operator cannot be resolved."""

    condition: Condition
    grade: Grade
    why: str = ""
    unjudged: bool = False

    @property
    def head(self) -> str:
        """``StringLike aws:PrincipalArn at line 12``: the condition as a message names it."""
        return f"{self.condition.operator} {self.condition.key} at line {self.condition.ref.line}"

    def verdict(self) -> str:
        """``<head> is weak (why)`` / ``<head> does not say who (why)`` / ``<head>``."""
        if self.grade is Grade.WEAK:
            return f"{self.head} is weak ({self.why})"
        if self.grade is Grade.IRRELEVANT:
            return f"{self.head} does not say who ({self.why})"
        return self.head


# Keys whose concrete values name who may call: an organization, an account, a principal, a
# calling resource.  Lower-case, as condition keys compare case-insensitively.
ORGANIZATION_KEYS = frozenset(
    {"aws:principalorgid", "aws:principalorgpaths", "aws:sourceorgid", "aws:sourceorgpaths"}
)
ACCOUNT_KEYS = frozenset({"aws:principalaccount", "aws:sourceaccount"})
ARN_KEYS = frozenset({"aws:principalarn", "aws:sourcearn"})
# The name of the service principal making the request, and every name of that service's
# principals (a multivalued key): only a service principal's request holds them (IAM User
# Guide, AWS global condition context keys), so any mandatory positive test of one admits
# service principals only, as Bool aws:PrincipalIsAWSService "true" does, whatever its values:
# a pattern or a value whoever deploys chooses picks among services, never anyone else.  Which
# services, and whether they may act for anyone, is RL110's question (checks.service_limits).
SERVICE_KEYS = frozenset({"aws:principalservicename", "aws:principalservicenameslist"})
EXTERNAL_ID_KEY = "sts:externalid"
# The caller's unique id ('AIDA...' for a user, 'AROA...:<session name>' for a role, the
# account for its root, '<account>:<name>' for a federated user; IAM User Guide, policy
# variables): IAM never reuses a unique id, so a literal one names one principal of one account.
USERID_KEY = "aws:userid"
WHO_KEYS = (
    ORGANIZATION_KEYS | ACCOUNT_KEYS | ARN_KEYS | SERVICE_KEYS | {EXTERNAL_ID_KEY, USERID_KEY}
)
# Keys a request carries, when it carries them, with an organization's id or paths, an account,
# a principal's or a resource's ARN, a service's name, an ExternalId (STS takes 2 to 1224
# characters) or a unique id: never an empty one, so an empty value of a positive test of one
# admits no request (conditions.py: alone, the statement never applies; beside others, it is no
# weakness).  Every key that names who.
NEVER_EMPTY_KEYS = WHO_KEYS
# Multivalued keys, for which ForAnyValue/ForAllValues are the right operators.
MULTIVALUED_KEYS = frozenset(
    {
        "aws:principalorgpaths",
        "aws:sourceorgpaths",
        "aws:principalservicenameslist",
        "cognito-identity.amazonaws.com:amr",
    }
)
# Keys about how, when or from where a request is made, or chosen by the caller: none of them
# says who the caller is.
_IRRELEVANT = {
    "aws:requestedregion": "the region of the request, not who makes it",
    "aws:securetransport": "TLS, which every caller uses",
    "aws:currenttime": "the time of the request, not who makes it",
    "aws:epochtime": "the time of the request, not who makes it",
    "aws:multifactorauthpresent": "MFA, which any caller may have",
    "aws:multifactorauthage": "MFA, which any caller may have",
    "aws:useragent": "the user agent, which the caller chooses",
    "aws:tokenissuetime": "the age of the caller's credentials, not who the caller is",
    "aws:viaawsservice": "whether a service makes the call, not who the caller is",
    "aws:calledvia": "which service forwards the call, not who the caller is",
    "aws:calledviafirst": "which service forwards the call, not who the caller is",
    "aws:calledvialast": "which service forwards the call, not who the caller is",
    "sts:rolesessionname": "a session name, which the caller chooses",
    "sts:sourceidentity": "a source identity, which the caller chooses",
    "sts:transitivetagkeys": "session tags, which the caller chooses",
    "aws:tagkeys": "session tags, which the caller chooses",
    # The resource of sts:AssumeRole is the role itself: these name the role's own account.
    "aws:resourceaccount": "the account of the role itself, not of the caller",
    "aws:resourceorgid": "the organization of the role itself, not of the caller",
    "aws:resourceorgpaths": "the organization of the role itself, not of the caller",
}
_IRRELEVANT_PREFIXES = {
    "aws:requesttag/": "session tags, which the caller chooses",
    "aws:principaltag/": "a tag of the caller, which any account can set on its own principals",
}
_NETWORK = {
    "aws:sourceip": "a network location limits where from, not who",
    "aws:sourcevpc": "a network location limits where from, not who",
    "aws:sourcevpce": "a network location limits where from, not who",
    "aws:vpcsourceip": "a network location limits where from, not who",
}


def grade(condition: Condition) -> Graded:
    """How much ``condition`` limits who can satisfy an Allow trust statement.

    The claim of an OIDC provider's tokens that says whose token it is (GitHub's
    ``<issuer>:sub``, Cognito's ``<issuer>:aud``) is judged as RL103 judges it
    (:func:`_graded_claim`): a narrow subject limits who as an account does.  A mandatory
    positive test of a claim no rule judges (GitHub's ``repository_id``, a generic issuer's
    ``email``) limits whose tokens pass in a way rolelint cannot tell, so it is graded as a
    condition rolelint cannot read, never as none (:func:`unjudged_claim_limit`).  The other
    claims rules judge (an audience every token for AWS has, Cognito's ``amr``) and a claim the
    caller chooses (Google's ``oaud``) do not say who.

    The same for every assume action: a session from sts:AssumeRoleWithWebIdentity keeps some
    web identity keys (``aud`` among them) in the request context of its later calls, an
    sts:AssumeRole into another role included (IAM User Guide, IAM and AWS STS condition context
    keys, cross-service web identity federation context keys).  So a request of sts:AssumeRole
    may carry a token's claim, and a test of one does not prove that no caller passes.
    """
    key = condition.key.lower()
    operator = condition.operator
    if key.startswith(UNRESOLVED_KEY.lower()) or operator.startswith(UNRESOLVED_KEY):
        return Graded(condition, Grade.UNKNOWN, "its key or operator cannot be resolved")
    unjudged = unjudged_claim_limit(condition)
    if unjudged is not None:
        return Graded(condition, Grade.UNKNOWN, unjudged, unjudged=True)
    claim = who_claim(condition.key)
    if claim is not None:
        return _graded_claim(condition, *claim)
    irrelevant = _irrelevant_because(key)
    if irrelevant is not None:
        return Graded(condition, Grade.IRRELEVANT, irrelevant)
    if key in _NETWORK:
        return Graded(condition, Grade.WEAK, _NETWORK[key])
    # Why the condition, whatever its values, does not limit who can call.  ForAnyValue with a
    # positive operator on a single-valued key is as strict as the operator alone (a request
    # without the key does not pass): no weakness.  ForAllValues passes a request without the
    # key, a negation admits every other value.
    form = operator_problem(condition)
    if key in WHO_KEYS:
        if form is not None:
            return Graded(condition, Grade.WEAK, form)
        values = _value_problem(condition, key)
        if values is not None:
            return Graded(condition, Grade.WEAK, values)
        loose = _loose_comparison(condition, key)
        if loose is not None:
            return Graded(condition, Grade.WEAK, loose)
        return Graded(condition, Grade.EFFECTIVE)
    if key == "aws:principalisawsservice":
        if form is None and [v.text for v in condition.values] == ["true"]:
            return Graded(condition, Grade.EFFECTIVE)
        return Graded(condition, Grade.WEAK, form or "it does not require an AWS service")
    return Graded(condition, Grade.IRRELEVANT, "it does not name who may call")


def _graded_claim(condition: Condition, issuer: str, profile: Profile) -> Graded:
    """A test of the claim that says whose token it is (:func:`who_claim`), graded as RL103
    judges it: a mandatory positive test each of whose values pins one owner's tokens at most
    (:meth:`Profile.judged`; every repository of one owner is one owner's, as an organization
    is) is effective, as a token of another issuer, or one with another subject, fails it.
    IfExists, ForAllValues, a negation or Null pass the tokens of other issuers, which lack the
    claim.  Empty values admit no token; only a test with nothing else is weak.

    The written values are judged, a value rolelint cannot resolve beside them left aside (it
    may be exactly the pin, as RL103 takes it).  A test with no written value to judge (its
    every value unresolved, or blank) pins nothing rolelint can vouch for: it is weak only for
    the unresolved value (:func:`unresolved_pin`), which :func:`deployer_decides` sees, so
    that the views grade it as one they cannot read (:func:`benefit_of_doubt`) and RL101
    leaves it to RL103, which stays silent on it.  Before, such a test judged no value and was
    called effective."""
    form = operator_problem(condition)
    if form is not None:
        return Graded(condition, Grade.WEAK, form)
    written = [value.text for value in condition.values if value.text is not None]
    if len(written) == len(condition.values) and not any(text.strip() for text in written):
        return Graded(
            condition, Grade.WEAK, "its value is empty" if written else "it lists no value"
        )
    judged = profile.judged(condition, issuer)
    for value, verdict in judged:
        if not verdict.pins_owner:
            return Graded(condition, Grade.WEAK, f"'{value.text}' {verdict.why}")
    if not judged:
        return Graded(condition, Grade.WEAK, unresolved_pin(condition, "whose tokens"))
    return Graded(condition, Grade.EFFECTIVE)


def unresolved_pin(condition: Condition, whose: str) -> str:
    """Why ``condition``, a test that would pin a federated provider's tokens or assertions
    (``whose``: "whose tokens", "which assertions") but has no written value to judge, pins
    nothing rolelint can vouch for: the values rolelint cannot resolve (at least one; the
    others are blank, and a test of blank values alone is weak before it gets here).  Of one
    nothing constrains, whoever deploys decides it, as :func:`_undecided` says of the keys
    that name who.  A constraint (an AllowedPattern, a validation) or a value AWS supplies
    keeps out ``*`` and ``""``, which is all an account or an ExternalId needs, but not
    another owner's subject (``repo:*``) or another service's audience: named as unresolved
    alone.  The grade of a token's claim (:func:`_graded_claim`) and the role card say it."""
    unresolved = [value for value in condition.values if value.text is None]
    free = [value for value in unresolved if not (value.constrained or value.wildcard_written)]
    if free:
        return _undecided(free[0], condition)
    value = unresolved[0]
    reason = f": {value.unresolved_reason}" if value.unresolved_reason else ""
    return f"its value is unresolved{reason}; rolelint cannot tell {whose} it admits"


def unjudged_claim_limit(condition: Condition) -> str | None:
    """Why ``condition`` may limit who though rolelint cannot judge it: a mandatory positive
    test of a claim of an OIDC provider's tokens that no rule judges
    (:func:`~rolelint.checks.oidc_providers.unjudged_claim`), none of whose values admits
    every token.  A token without the claim fails it, so it never admits every token of the
    provider.  None for any other condition.

    The values of one condition are alternatives: "If a single condition operator includes
    multiple values for a context key, those values are evaluated using a logical OR" (IAM User
    Guide, Conditions with multiple context keys or values,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html).
    So the broadest value decides: ``["123456789", "*"]`` under StringLike admits every token
    that has the claim, as ``"*"`` alone does.  The same holds of a Deny's negated operator,
    whose values are NOR-ed: the positive test it amounts to has the same values.  Empty values
    are left aside (they admit no token of a claim its provider sets); a value rolelint cannot
    resolve may be narrow."""
    claim = unjudged_claim(condition.key)
    if claim is None or operator_problem(condition) is not None:
        return None
    like = condition.matches_patterns
    written = [v for v in condition.values if v.text is None or v.text.strip()]
    if not written or any(
        v.text is not None and like and is_all_wildcards(v.text) for v in written
    ):
        return None  # no value, or one that every token that has the claim matches
    return (
        f"a mandatory test of the '{claim}' claim of the provider's tokens, which rolelint "
        "does not judge"
    )


# Concrete values put in place of unresolved ones to see whether the value is all that is weak:
# an account id for the keys that name who, "true" for aws:PrincipalIsAWSService.
_STAND_INS = ("111122223333", "true")


def deployer_decides(graded: Graded) -> bool:
    """Whether a weak condition is weak only because whoever deploys chooses some of its values:
    with a concrete value in place of each unresolved one it would be effective (or, on
    sts:ExternalId, only compared loosely, which RL105 says only of values it can read).  Such a
    condition is as good as the value passed, so it is no verdict; an operator that admits
    callers whatever the value (IfExists, a negation, Null, a network key) or a weak literal
    beside the unresolved value is one.  A token's claim that says whose it is is one such
    condition when no written value is left to judge (:func:`_graded_claim`), its unresolved
    values constrained or not: a constraint does not tell whose tokens the value admits."""
    condition = graded.condition
    if graded.grade is not Grade.WEAK or all(v.text is not None for v in condition.values):
        return False
    return any(_with_stand_in(condition, text) is Grade.EFFECTIVE for text in _STAND_INS)


def benefit_of_doubt(graded: Graded) -> Graded:
    """``graded``, or UNKNOWN when whoever deploys decides it (:func:`deployer_decides`): with
    the value passed it may be exactly the limit, so a view of who can assume a role (the
    inventory, the card, the graph) grades it as a condition it cannot read, never as weak.
    The rules stay silent on it (RL102) or lower their verdict (RL101) for the same reason."""
    if deployer_decides(graded):
        return replace(graded, grade=Grade.UNKNOWN)
    return graded


def _with_stand_in(condition: Condition, text: str) -> Grade:
    values = tuple(v if v.text is not None else replace(v, text=text) for v in condition.values)
    stood = replace(condition, values=values)
    graded = grade(stood)
    if graded.grade is Grade.WEAK and graded.why == _loose_comparison(stood, stood.key.lower()):
        # StringLike without a wildcard compares the value passed exactly: the value decides.
        return Grade.EFFECTIVE
    return graded.grade


def _irrelevant_because(key: str) -> str | None:
    if key in _IRRELEVANT:
        return _IRRELEVANT[key]
    for prefix, why in _IRRELEVANT_PREFIXES.items():
        if key.startswith(prefix):
            return why
    return None


def operator_problem(condition: Condition) -> str | None:
    """Why the operator, whatever the values, is not a mandatory positive test: the condition
    then admits callers it seems to refuse.  None when it is one."""
    operator = condition.operator
    base = condition.base_operator.lower()
    if condition.if_exists:
        return f"{operator} passes a request that lacks the key"
    if base == "null":
        return "Null only tests whether the key is present"
    if is_negated(base):
        return f"{operator} excludes the values listed and admits every other value"
    if operator.lower().startswith("forallvalues:"):
        return f"{operator} passes a request that lacks the key"
    return None


def _loose_comparison(condition: Condition, key: str) -> str | None:
    """Why an sts:ExternalId compared by a positive operator other than StringEquals is weak
    though its values are sound (StringLike, StringEqualsIgnoreCase).  A question of the values,
    as RL105 asks it: only of values rolelint can read (a value whoever deploys chooses may be
    the agreed id, which StringLike without a wildcard compares exactly), and only when none is
    weak itself (a pattern is named for what it admits).  ``ForAnyValue:StringEquals`` is one
    too: a set operator on a single-valued key."""
    if key != EXTERNAL_ID_KEY or condition.operator.lower() == "stringequals":
        return None  # ForAnyValue:StringEquals is a set operator, as loose as RL105 says
    return f"{condition.operator} compares loosely; an ExternalId must match exactly (StringEquals)"


def _value_problem(condition: Condition, key: str) -> str | None:
    """Why the values admit more callers than they seem to; None when they are precise."""
    if not condition.values:
        return "it lists no value"
    unresolved: str | None = None  # said only when no written value is weak itself
    for value in condition.values:
        if value.text is None and key in SERVICE_KEYS:
            continue  # whatever is passed names service principals only (SERVICE_KEYS)
        if value.text is None:
            # Under an operator without patterns a written wildcard is plain text: the value is
            # as constrained as its unknown pieces.
            literal = value.wildcard_written and not condition.matches_patterns
            if value.constrained or literal or unresolved is not None:
                continue
            unresolved = _undecided(value, condition)
            continue
        if value.text.strip() == "" and key in NEVER_EMPTY_KEYS:
            continue  # matches no request: the other values are the test
        if key == EXTERNAL_ID_KEY and is_placeholder(value.text):
            # An id from examples ("changeme", "12345"): anyone can send it.
            return f"'{value.text}' is a placeholder value known to everyone"
        problem = _admits_anyone(key, value.text, condition)
        if problem is not None:
            return problem
    return unresolved


def _undecided(value: Value, condition: Condition) -> str:
    """Why an unresolved value nothing constrains is weak: whoever deploys chooses it.  The
    reason is a clause ("parameter X has no default") or a phrase ("not a plain value"), so it
    follows a colon.  Only a pattern operator lets the value admit anyone.  A value whose
    unknown pieces are constrained is weak for the wildcard written beside them
    (``${OrgId}*``), which makes a pattern of it whatever is passed: that is named instead."""
    reason = f": {value.unresolved_reason}" if value.unresolved_reason else ""
    if value.wildcard_written:
        return (
            f"its value is unresolved{reason}; the input constrains what is passed, but a "
            "wildcard written beside it (before any '/') makes the whole value a pattern that "
            "may admit more than it names"
        )
    pattern = ", and may make it a pattern that admits anyone" if condition.matches_patterns else ""
    return (
        f"its value is unresolved{reason}; nothing constrains it, so whoever deploys decides "
        f"it{pattern}"
    )


def _admits_anyone(key: str, text: str, condition: Condition) -> str | None:
    like = condition.matches_patterns
    if not has_wildcard(text) or key in SERVICE_KEYS:
        return None  # a pattern of service names matches service principals only
    if not like:
        return None  # StringEquals "*" matches the literal text "*": nobody's value
    if is_all_wildcards(text):
        return f"'{text}' matches every value"
    if key == EXTERNAL_ID_KEY:
        return f"'{text}' is a pattern: a secret that many values match is no secret"
    if key in ARN_KEYS:
        # aws:SourceArn is the ARN of the resource a service acts for, not of a principal.
        named = "resources" if key == "aws:sourcearn" else "principals"
        arn = parse_arn(text)
        if arn is None and _segment_wise(condition):
            # ArnLike matches six fields each on its own: a value of fewer (arn:aws:iam::*), or
            # whose first field cannot be "arn", names no ARN and admits no one; one whose
            # first field is a pattern of "arn" (*:*:*:*:*:*) names what its others match (IAM
            # User Guide, ARN condition operators).
            arn = parse_arn_pattern(text)
            if arn is None:
                return None
        if arn is None and never_an_arn(text):
            return None  # StringLike "my-*": no ARN starts so, it admits no one
        if arn is None or is_all_wildcards(arn.account):
            return f"'{text}' matches {named} of any account"
        if has_wildcard(arn.account):
            return (
                f"'{text}' matches {named} of more than one account (its account field "
                f"'{arn.account}' is a pattern)"
            )
        if key == "aws:sourcearn" and _any_owner(arn):
            return f"'{text}' matches resources of every account (its ARN names no account)"
        if has_wildcard(arn.partition) and not _segment_wise(condition):
            # Under StringLike a '*' there may run on past the colons, into the account.
            return f"'{text}' matches {named} of any account"
        if key == "aws:principalarn" and _runs_past_colons(arn, condition):
            return (
                f"'{text}' matches principals of any account: under {condition.operator} its '*' "
                f"before the account also matches colons, and a role or user path may contain "
                f"':{arn.account}:' (ArnLike compares field by field)"
            )
        return None
    if key == USERID_KEY and has_wildcard(text.split(":", 1)[0]):
        # The session name after the ':' is the caller's to choose; the id before it is who.
        return (
            f"'{text}' matches principals of any account: the unique id before the first ':' "
            f"is a pattern"
        )
    if key in ACCOUNT_KEYS or key in ORGANIZATION_KEYS:
        first = text.split("/", 1)[0]
        if has_wildcard(first):
            return f"'{text}' matches more than one account or organization"
    return None


_ARN_PREFIX = "arn:"


def never_an_arn(pattern: str) -> bool:
    """Whether the StringLike ``pattern`` surely matches no ARN: it cannot match any text that
    starts with ``arn:`` (``my-*``, ``topic-?``), so read as a prefix, a literal character
    differs from it, or the pattern ends before it does.  Only where certain: a ``*`` (any
    run), or a policy variable (``${...}``, which may hold an ARN) before that, may match
    it; a ``?`` matches any one character."""
    for index, char in enumerate(pattern[: len(_ARN_PREFIX)]):
        if char in "*$":
            return False
        if char != "?" and char != _ARN_PREFIX[index]:
            return True
    return len(pattern) < len(_ARN_PREFIX)  # no '*' in it: shorter than any ARN


def _any_owner(arn: Arn) -> bool:
    """Whether a source ARN pattern with an empty account field (an S3 bucket's, whose ARN
    never names its account) matches every name: 'arn:aws:s3:::*' is any bucket of any
    account.  A name or a prefix ('arn:aws:s3:::logs-*') stays a limit: a pattern that names
    the resources is taken as meant for the owner's own, as a named bucket is."""
    return arn.account == "" and is_all_wildcards(arn.resource.replace("/", ""))


def _runs_past_colons(arn: Arn, condition: Condition) -> bool:
    """Whether a principal ARN pattern leaves the account free under a string operator: a '*' in
    the service or region field matches any text, colons included, so the account written
    after it may be matched in the resource part of another account's ARN instead.  IAM paths
    may hold any character from '!' to DEL, ':' among them (CreateRole, Path), so
    'arn:aws:*:*:111122223333:*' matches 'arn:aws:iam::444455556666:role/:111122223333:/x'.
    A '?' matches one character only and cannot carry the account that far."""
    return not _segment_wise(condition) and "*" in arn.service + arn.region


def _segment_wise(condition: Condition) -> bool:
    """Whether the operator matches an ARN one colon-separated field at a time (ArnLike,
    ArnEquals: a wildcard never runs into the next field).  A wildcard partition then admits
    only the one partition a caller can come from: partitions have separate IAM, and a role
    cannot be assumed across them (IAM User Guide, cross-partition identity federation)."""
    return condition.base_operator.lower().startswith("arn")


_SHOWN_VERDICTS = 5  # a statement of thousands of conditions must not make a message of megabytes


@dataclass(frozen=True, slots=True)
class Scope:
    """Who can satisfy one Allow trust statement, as far as its conditions and the policy's
    Denies tell."""

    graded: tuple[Graded, ...]
    denies: tuple[Graded, ...] = field(default=())  # Deny conditions that refuse all others
    # Deny conditions that would refuse all others, but whose test rolelint cannot judge: its
    # key or operator is unresolved (UNKNOWN), or whoever deploys decides its value (WEAK, as
    # :func:`deployer_decides`).  Each as written in the Deny, graded as the test it mirrors.
    undecided: tuple[Graded, ...] = field(default=())

    def of(self, grade_: Grade) -> list[Graded]:
        return [g for g in self.graded if g.grade is grade_]

    @property
    def scoped(self) -> bool:
        """An effective condition, or a Deny refusing every caller failing one."""
        return bool(self.of(Grade.EFFECTIVE) or self.denies)

    @property
    def unknown(self) -> bool:
        """A condition, or the test of a Deny beside it, whose key or operator rolelint cannot
        read."""
        return bool(self.of(Grade.UNKNOWN)) or any(g.grade is Grade.UNKNOWN for g in self.undecided)

    def unread(self) -> list[Graded]:
        """The conditions graded UNKNOWN, the statement's and then the Denies' (as written)."""
        return self.of(Grade.UNKNOWN) + [g for g in self.undecided if g.grade is Grade.UNKNOWN]

    def undecided_claims(self) -> list[Graded]:
        """The tests of the claim of an OIDC provider's tokens that says whose token it is
        (GitHub's ``<issuer>:sub``) that only their unresolved values keep from limiting who
        (:func:`_graded_claim`), the statement's and then the Denies' (as written).  RL103 takes
        such a value as maybe the pin: a statement for everyone with one is a trust of the
        issuer its key names, which RL103 and RL108 judge and RL101 leaves to them, as one
        whose claim is pinned; the views grade it as a condition they cannot read."""
        own = [g for g in self.of(Grade.WEAK) if _is_claim(g) and deployer_decides(g)]
        # A Deny's test is graded as the test it mirrors: in scope.undecided, a weak one is one
        # whoever deploys decides (_refusing).
        return own + [g for g in self.undecided if g.grade is Grade.WEAK and _is_claim(g)]

    @property
    def conditioned(self) -> bool:
        """Scoped, or a condition may be the limit though rolelint cannot tell: its key or
        operator is unresolved, or whoever deploys decides its value (:func:`benefit_of_doubt`),
        on the Allow or in a Deny beside it.  The graph marks such a hop as one that holds only
        under a condition."""
        if self.scoped or self.undecided:
            return True
        return any(benefit_of_doubt(g).grade is Grade.UNKNOWN for g in self.graded)

    def explain(self) -> str:
        """The conditions that do not limit who can assume the role, and why (for messages);
        the Deny whose value whoever deploys decides, too: it limits only if the value does."""
        judged = [g.verdict() for g in self.of(Grade.WEAK) + self.of(Grade.IRRELEVANT)]
        judged += [f"the Deny's {g.verdict()}" for g in self.undecided if g.grade is Grade.WEAK]
        if not judged:
            return "no condition limits who can use it"
        shown = "; ".join(judged[:_SHOWN_VERDICTS])
        more = len(judged) - _SHOWN_VERDICTS
        rest = f"; and {more:,} more conditions of these kinds" if more > 0 else ""
        return "nothing limits who can use it: " + shown + rest


def _is_claim(graded: Graded) -> bool:
    """Whether ``graded`` tests the claim of an OIDC provider's tokens that says whose token it
    is (:func:`~rolelint.checks.oidc_providers.who_claim`)."""
    return who_claim(graded.condition.key) is not None


def scope_of(statement: Statement, policy: Sequence[Statement], action: str) -> Scope:
    """Grade the conditions of an Allow ``statement`` and find the Denies of ``policy`` that
    refuse, for ``action``, every caller failing an effective test."""
    graded = tuple(grade(condition) for condition in statement.conditions)
    mirrors = [g for deny in policy if deny.is_deny for g in _refusing(deny, action, statement)]
    denies = tuple(g for g in mirrors if g.grade is Grade.EFFECTIVE)
    undecided = tuple(g for g in mirrors if g.grade is not Grade.EFFECTIVE)
    return Scope(graded, denies, undecided)


def _refusing(deny: Statement, action: str, allow: Statement) -> Iterable[Graded]:
    """The conditions of a Deny that applies to every caller the Allow admits (Principal "*",
    or each of the Allow's principals named again) and refuses each one failing a test on who
    it is: the mirror of an effective Allow condition (graded EFFECTIVE), or of one rolelint
    cannot judge (:func:`benefit_of_doubt`: graded as the mirrored test, UNKNOWN or WEAK),
    which may be that limit as the same test on the Allow may."""
    mirror = mirror_of(deny, action) if refuses_callers_of(allow)(deny) else None
    if mirror is None:
        return []
    condition, mirrored = mirror
    graded = grade(mirrored)
    if graded.grade is Grade.EFFECTIVE:
        return [Graded(condition, Grade.EFFECTIVE)]
    if benefit_of_doubt(graded).grade is Grade.UNKNOWN:
        return [replace(graded, condition=condition)]
    return []


def refusal(deny: Statement, policy: Sequence[Statement]) -> tuple[Condition, Graded] | None:
    """How a Deny of trust policy ``policy`` limits who can assume the role: its condition as
    written, and the grade of the positive test it amounts to, when it refuses every caller of
    an Allow of ``policy`` failing that test (the Denies :func:`scope_of` counts, for any assume
    action); None when the Deny is no such mirror.  In a Deny a negated operator refuses
    whoever fails the test: graded as in an Allow, the condition that protects the role read
    as weak."""
    for allow in policy:
        if not allow.is_allow or not refuses_callers_of(allow)(deny):
            continue
        for action in assume_actions(allow):
            mirror = mirror_of(deny, action)
            if mirror is not None:
                return mirror[0], grade(mirror[1])
    return None


def refuses_callers_of(allow: Statement) -> Callable[[Statement], bool]:
    """Whether a Deny applies to every caller ``allow`` admits: to everyone, or to each of its
    principals by name; and is deployed wherever it is (not in another branch of an Fn::If,
    not one some deployments leave out)."""
    return lambda deny: (
        deny.always_beside(allow)
        and (_applies_to_everyone(deny) or _names_every_principal(deny, allow))
    )


def mirrored_tests(
    policy: Sequence[Statement],
    action: str,
    applies: Callable[[Statement], bool],
    one_value: Callable[[str], bool] | None = None,
) -> list[Condition]:
    """The tests the Denies of ``policy`` that ``applies`` accepts put their callers to, written
    as the Allow conditions they amount to: ``Deny ... StringNotEquals {"sts:ExternalId": "x"}``
    for everyone requires the external id as ``StringEquals`` on the Allow would, and
    ``Deny ... StringNotLike {"<host>:sub": "repo:acme/*"}`` pins a token's claim as
    ``StringLike`` would.  ``one_value``: as :func:`mirror_of` takes it."""
    found = []
    for deny in policy:
        mirror = mirror_of(deny, action, one_value) if deny.is_deny and applies(deny) else None
        if mirror is not None:
            found.append(mirror[1])
    return found


def mirror_of(
    deny: Statement, action: str, one_value: Callable[[str], bool] | None = None
) -> tuple[Condition, Condition] | None:
    """A Deny's single negated condition and the positive test it amounts to; None when the
    Deny is no such mirror.

    ``one_value`` says of a key whether every request the caller judges carries it with exactly
    one value (an OIDC token's ``sub``, for the tokens of its own provider): ForAnyValue then
    tests that value as the plain operator does, so a Deny ``ForAnyValue:StringNotLike`` on it
    refuses exactly whom ``StringNotLike`` refuses.  Of any other key it cannot be said: a
    request without the key, or with several values, is judged differently."""
    if not statement_grants(deny, action):
        return None
    if len(deny.conditions) != 1:
        return None  # several conditions: the Deny applies only when all hold; not a clean mirror
    [condition] = deny.conditions
    base = condition.base_operator.lower()
    if not base.startswith(NEGATED_TEST_FAMILIES):
        return None  # no negated string or ARN test (by family: one IAM has not is RL607's)
    if condition.operator.lower().startswith("foranyvalue:") and not (
        one_value is not None and one_value(condition.key)
    ):
        # A request without the key fails ForAnyValue, so the Deny lets it through.  (Under
        # ForAllValues it passes, and is refused as under the plain operator.)
        return None
    # IfExists changes nothing here: a negated operator is already true for a request without
    # the key, and IfExists makes it true there too (IAM User Guide, condition operators), so a
    # Deny with StringNotEqualsIfExists refuses exactly whom StringNotEquals refuses.  (Not so
    # for a positive IfExists operator, which this mirror never takes.)
    operator = positive_form(condition.base_operator)  # as IAM spells it: messages quote it
    mirrored = Condition(
        operator, condition.key, condition.values, condition.ref, condition.operator_ref
    )
    return condition, mirrored


def _names_every_principal(deny: Statement, allow: Statement) -> bool:
    """The Deny names each principal of the Allow (a service trust with a Deny for the same
    services on aws:SourceAccount, say)."""
    named = {(p.kind, p.value.text) for p in deny.principals if p.value.text is not None}
    wanted = [(p.kind, p.value.text) for p in allow.principals]
    return bool(wanted) and all(text is not None and (kind, text) in named for kind, text in wanted)


def _applies_to_everyone(statement: Statement) -> bool:
    return any(is_everyone(principal) for principal in statement.principals)
