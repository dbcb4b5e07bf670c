"""Trust conditions that a scanned caller can never satisfy: they block a hop of the graph.

A trust statement may admit a role's account root and then narrow who, within the account, may
assume it: ``aws:PrincipalArn`` names the callers, ``aws:PrincipalAccount`` the account,
``aws:PrincipalType`` the kind of caller, ``aws:PrincipalIsAWSService`` asks for a service.  For a
caller whose ARN the scan knows, these keys have known values (a role's session is of type
``AssumedRole`` and its ``aws:PrincipalArn`` is the role's ARN; a user's is ``User``), so
the graph can tell that the condition refuses it.

Only mandatory positive tests decide (no ``IfExists``, no negated operator, no
``ForAllValues``), and only when every value is resolved and none may name the caller: a
condition rolelint cannot read never blocks a hop, nor does an account written
``${AWS::AccountId}`` on one side and as a number on the other (the template may be deployed
in that very account).  Keys whose value the scan cannot know (tags, source IP, MFA,
ExternalId) never block one either.  ``aws:PrincipalServiceName`` and
``aws:PrincipalServiceNamesList`` are in a request only when a service principal makes it
(IAM User Guide, AWS global condition context keys: "not present" when an IAM principal calls,
or a service with a role or an IAM principal's credentials): a scanned principal's request
lacks them, and a positive string test of a key the request lacks fails whatever its values,
so it blocks the hop even when rolelint cannot read them.

The mirror image is a trust Deny that certainly applies to the caller: ``Deny "*"`` unless
``ArnNotEquals aws:PrincipalArn`` names someone else (the form AWS recommends in place of
NotPrincipal) refuses every caller it does not except (:func:`certainly_met`).  There a
negated test decides too, but only when no value may name the caller: an account written
``${AWS::AccountId}`` on one side and as a number on the other may be the same one, so it
never counts as another.  An identity provider's request presents one token (or assertion),
whose issuer's claims alone it carries: a negated test of another issuer's claim (or of a
``saml:`` key, for an OIDC provider) is true for it, the key being absent, and a Deny of the
provider with that test refuses every token of it.

A caller whose name or path rolelint cannot know (a stand-in in its ARN) is judged by what that
name may turn out to be (rolelint.checks.stand_ins), never by the stand-in's text: an
``aws:PrincipalArn`` value naming some of its possible names only neither refuses it nor
certainly applies to it, and the hop stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from rolelint.arns import PARTITIONS, SYMBOLIC_PARTITION
from rolelint.checks.conditions import Carrier
from rolelint.checks.iam_match import covers, has_wildcard, parse_arn
from rolelint.checks.stand_ins import holds_unknown, pattern_names
from rolelint.checks.trust_conditions import SERVICE_KEYS, operator_problem
from rolelint.condition_operators import Comparison, comparison, null_test, positive_of
from rolelint.model import THIS_ACCOUNT, UNRESOLVED_KEY, Condition, Statement
from rolelint.wildcards import arn_like_fields


@dataclass(frozen=True, slots=True)
class Caller:
    """What the request context says about a scanned principal calling sts:AssumeRole."""

    arn: str | None  # None for a party of many principals (an account): its facts in common
    account: str | None
    principal_type: str | None  # "AssumedRole" for a role's session, "User" for a user
    # For an identity provider's party: the token (or assertion) its every request presents,
    # whose issuer's claims alone the request carries (a key of another issuer is absent).
    token: Carrier | None = None

    @property
    def is_iam_principal(self) -> bool:
        """Whether the caller is an IAM principal (a role's session, a user, an account's
        principals): its request never carries the service-name keys (:data:`SERVICE_KEYS`),
        which only a service principal's holds.  Not a party known by nothing (a service, a
        provider, anyone)."""
        return self.arn is not None or self.account is not None or self.principal_type is not None

    @classmethod
    def of(cls, arn: str) -> Caller:
        """The caller named ``arn``.  A role's session (``arn:aws:sts::...:assumed-role/R/s``)
        calls with the role's ARN as aws:PrincipalArn, not the session's, and that ARN holds
        the role's path, which the session's does not: the ARN is not known then.  Taken as
        the session's, ``Deny "*"`` unless ``ArnNotEquals aws:PrincipalArn`` names the role
        seemed to refuse the very session it lets through."""
        parsed = parse_arn(arn)
        if parsed is None:
            return cls(arn, None, None)
        kind = parsed.resource.partition("/")[0]
        if parsed.service == "sts" and kind == "assumed-role":
            return cls(None, parsed.account or None, "AssumedRole")
        principal_type = {"role": "AssumedRole", "user": "User"}.get(kind)
        return cls(arn, parsed.account or None, principal_type)


def refusal(statement: Statement, caller: Caller) -> Condition | None:
    """The first condition of ``statement`` that ``caller`` cannot satisfy; None when every
    condition may hold (or cannot be judged)."""
    for condition in statement.conditions:
        if _refuses(condition, caller):
            return condition
    return None


def _refuses(condition: Condition, caller: Caller) -> bool:
    if condition.key.lower() in SERVICE_KEYS and _null_test(condition) is False:
        return True  # "Null ...: false" requires the key, which a scanned principal's lacks
    if condition.key.startswith(UNRESOLVED_KEY) or operator_problem(condition) is not None:
        return False
    if condition.key.lower() in SERVICE_KEYS:
        # Absent from a scanned principal's request: a string or ARN test of it fails.
        return comparison(condition.base_operator) is not None
    texts = [value.text for value in condition.values]
    if not texts or any(text is None for text in texts):
        return False
    values = [text for text in texts if text is not None]
    key = condition.key.lower()
    operator = condition.base_operator
    actual = _fact(key, caller)
    if actual is not None:
        # Refused only when no value may name the caller: an account written
        # ${AWS::AccountId} on one side and as a number on the other may be the same one.
        how = comparison(operator)
        arn = _by_fields(operator)
        return not any(_may_match(how, value, actual, arn=arn) for value in values)
    if key == "aws:principalisawsservice" and operator.lower() == "bool":
        return [text.lower() for text in values] == ["true"]  # a scanned principal is no service
    return False


def _any_matches(
    how: Comparison | None, values: list[str], actual: str, *, arn: bool = False
) -> bool | None:
    """Whether some value matches ``actual`` compared ``how`` (``arn``: field by field,
    :func:`_arn_matches`); True for operators this module does not evaluate (``how`` None: no
    test of :mod:`rolelint.condition_operators`), so that they never block; None when that is
    not known (a caller of unknown name or path, which some value may name: :func:`_matches`)."""
    if how is None:
        return True
    found: bool | None = False
    for value in values:
        if arn and how is Comparison.PATTERN:
            matched = _arn_matches(value, actual)
        else:
            matched = _matches_whole(how, value, actual)
        if matched:
            return True
        if matched is None:
            found = None
    return found


def _arn_matches(value: str, actual: str) -> bool | None:
    """:func:`_matches` for ``ArnLike`` and ``ArnEquals``, which match an ARN's service, region,
    account and resource each on its own (the partition is left out: one scan is one
    partition): a ``*`` in the account field does not run on past its colon into a resource
    that holds one (a role path may: ``role/team:ci/``), as under ``StringLike`` it does.  A
    value that is no ARN (``arn:aws:iam::*``, five fields) names no ARN; ``*`` names every
    one, and a first field that is a pattern of ``arn`` is one (``*:*:*:*:*:*``; IAM User
    Guide, condition operators: ARN condition operators).  Both are read into their fields
    as the checks read an ARN operator's value (:func:`rolelint.wildcards.arn_like_fields`,
    :func:`~rolelint.checks.iam_match.parse_arn_pattern`)."""
    fields = arn_like_fields(value, actual)
    if fields is None:
        return value == actual
    compared = fields[1:]  # the partition left out
    verdicts = [_matches(Comparison.PATTERN, pattern, text) for pattern, text in compared]
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _matches(how: Comparison, value: str, actual: str) -> bool | None:
    """Whether ``value`` matches ``actual`` compared ``how``.

    Where ``actual`` holds a name or path rolelint cannot know, the answer is
    :func:`rolelint.checks.stand_ins.pattern_names`: True when the value names every name it
    may be, False when none, None when some only.  Under an Equals operator the value is
    literal text, and no role ARN holds a ``*`` or ``?``."""
    ignore_case = how is Comparison.IGNORE_CASE
    if how is Comparison.PATTERN:  # StringLike, and both ARN operators
        if holds_unknown(actual, value):
            return pattern_names(value, actual)
        return (
            covers(value, actual, case_sensitive=True) if has_wildcard(value) else value == actual
        )
    same = value.lower() == actual.lower() if ignore_case else value == actual
    if same or not holds_unknown(actual, value) or has_wildcard(value):
        return same
    return pattern_names(value, actual, case_sensitive=not ignore_case)


def certainly_met(statement: Statement, caller: Caller) -> bool:
    """Whether every condition of ``statement`` (a Deny) certainly holds for ``caller``, so
    that the Deny applies to it; True without conditions.  A test of a key whose value the
    scan cannot know for it, a value rolelint cannot read, or a set operator, may fail: the
    Deny may then spare the caller, and the hop stays."""
    return all(_holds(condition, caller) for condition in statement.conditions)


def _holds(condition: Condition, caller: Caller) -> bool:
    operator = condition.operator.lower()
    if condition.key.startswith(UNRESOLVED_KEY) or ":" in operator:
        return False  # ForAnyValue/ForAllValues: for a single-valued key, not worth guessing
    base = condition.base_operator
    positive = positive_of(base)  # the test a negated one refuses whoever fails
    negated = positive is not None
    if condition.if_exists and not negated:
        return False  # IfExists leaves a positive test passable without the key
    if condition.key.lower() in SERVICE_KEYS and caller.is_iam_principal:
        # Absent from an IAM principal's request: a negated test of it holds, whatever its
        # values, and so does "Null ...: true".
        return negated or _null_test(condition) is True
    how = comparison(positive or base)
    if how is None:
        return False
    texts = [value.text for value in condition.values]
    if not texts or any(text is None for text in texts):
        return False
    if caller.token is not None and caller.token.lacks(condition.key):
        return negated  # the key is absent: a negated test holds without it, a positive fails
    key = condition.key.lower()
    actual = _fact(key, caller)
    if actual is None:
        return False
    values = [text for text in texts if text is not None]
    arn = _by_fields(positive or base)
    if negated:
        return not any(_may_match(how, value, actual, arn=arn) for value in values)
    return _any_matches(how, values, actual, arn=arn) is True


def _null_test(condition: Condition) -> bool | None:
    """What a ``Null`` test requires of its key: True that it is absent, False that it is
    there; None for another operator, or values rolelint cannot read as one of the two
    (:func:`~rolelint.condition_operators.null_test`)."""
    return null_test(condition.operator, (value.text for value in condition.values))


def _fact(key: str, caller: Caller) -> str | None:
    """The caller's value of ``key``; None when it is not known."""
    if key == "aws:principalarn":
        return caller.arn
    if key == "aws:principalaccount":
        return caller.account
    if key == "aws:principaltype":
        return caller.principal_type
    return None


def _may_match(how: Comparison | None, value: str, actual: str, *, arn: bool) -> bool:
    """Whether ``value`` matches ``actual`` (ARNs, accounts or types), or may in some
    deployment: an account written ``${AWS::AccountId}`` on one side and literally on the
    other may be the same account, and a value naming some of the names a caller of unknown
    name may have may name it.  ``arn``: compared field by field (:func:`_by_fields`)."""
    if _any_matches(how, [value], actual, arn=arn) is not False:
        return True
    mine, theirs = _account_in(value), _account_in(actual)
    if mine == theirs or THIS_ACCOUNT not in (mine, theirs):
        return False
    return _any_matches(how, [_with_account(value, theirs)], actual, arn=arn) is not False


def _by_fields(operator: str) -> bool:
    """Whether ``operator`` (a positive one, without ``IfExists``) compares an ARN one
    colon-separated field at a time, as ``ArnLike`` and ``ArnEquals`` do: a wildcard never
    runs into the next field, and a value of fewer fields than an ARN has names none.
    ``StringLike`` compares the whole text, its ``*`` spanning colons too."""
    return operator.lower().startswith("arn")


def _matches_whole(how: Comparison, value: str, actual: str) -> bool | None:
    """:func:`_matches` of a value compared as one text (``StringLike``, ``StringEquals``),
    the partition aside: one scan is one partition, so a value that names one
    (``arn:<partition>:...``, a literal or ``${AWS::Partition}``) is compared past it with the
    caller's ARN past its own, whatever the rest of the value holds.  ``arn:aws:iam::*``, five
    fields, was left whole against the shortened ARN and refused every caller, though under
    ``StringLike`` it names every IAM ARN of the partition.

    A value whose partition field is a pattern (``arn:aws*``, ``arn:*``), or that names none
    (``arn*``, ``*``), is compared with the caller's whole ARN: its wildcard may run past the
    partition.  Against a template's ``${AWS::Partition}``, with each partition it may be
    deployed in: None when some match and others do not."""
    partition, rest = _partition_and_rest(value)
    if partition is not None and not has_wildcard(partition):
        return _matches(how, rest, _partition_and_rest(actual)[1])
    if not actual.startswith(f"arn:{SYMBOLIC_PARTITION}:"):
        return _matches(how, value, actual)
    deployed = actual[len(f"arn:{SYMBOLIC_PARTITION}") :]
    verdicts = {_matches(how, value, f"arn:{name}{deployed}") for name in PARTITIONS}
    return verdicts.pop() if len(verdicts) == 1 else None


def _partition_and_rest(text: str) -> tuple[str | None, str]:
    """The partition field of ``text`` and what follows the colon after it (``aws`` and
    ``iam::*`` for ``arn:aws:iam::*``); None and ``text`` itself when it names none: it does
    not start with ``arn:``, or no colon follows the partition (``arn:aws*``)."""
    if not text.startswith("arn:"):
        return None, text
    after = text[len("arn:") :]
    if after.startswith(f"{SYMBOLIC_PARTITION}:"):
        return SYMBOLIC_PARTITION, after[len(SYMBOLIC_PARTITION) + 1 :]
    partition, colon, rest = after.partition(":")
    return (partition, rest) if colon else (None, text)


def _account_in(text: str) -> str:
    """The account field of an ARN; ``text`` itself when it is no ARN (an account id)."""
    parsed = parse_arn(text)
    return parsed.account if parsed is not None else text


def _with_account(text: str, account: str) -> str:
    parsed = parse_arn(text)
    if parsed is None:
        return account
    fields = (parsed.partition, parsed.service, parsed.region, account, parsed.resource)
    return ":".join(("arn", *fields))
