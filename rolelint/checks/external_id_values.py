"""What makes an ExternalId condition weak: an operator that lets callers through without the
value, a value that is no secret (a wildcard, a placeholder, a short or repeated string), or a
comparison looser than StringEquals.  Judged per condition, for RL105 and RL106.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolelint.checks.iam_match import has_wildcard, is_all_wildcards
from rolelint.condition_operators import is_negated
from rolelint.findings import Severity
from rolelint.model import UNRESOLVED_KEY, Condition, Value
from rolelint.source import SourceRef

# Shorter than this, a value is not one a third party generated for a single customer relation:
# vendors hand out UUIDs or long random strings, and a short value is easy to guess or to
# collide with another customer's.  (STS itself refuses ExternalIds under 2 characters.)
MIN_LENGTH = 8
# What STS accepts in an ExternalId (AssumeRole API: [\w+=,.@:/-]*, 2 to 1224 characters).  A
# value with any other character, or of another length, can never be sent, so no caller ever
# matches it.
_STS_CHARACTERS = re.compile(r"^[\w+=,.@:/-]*$", re.ASCII)
STS_LENGTHS = range(2, 1224 + 1)
# Words that templates, tutorials and vendor guides put where the real value belongs.  A value
# made only of these words, counting sequences ("1234", "abc") and runs of one character ("xxx")
# is a placeholder: "changeme", "your-external-id", "external_id_here", "TEST", "abc123".  One
# real token ("acme", "7f3c9a2e") is enough to make a value not a placeholder.
_PLACEHOLDER_WORDS = frozenset(
    {
        "bar",
        "baz",
        "change",
        "changeme",
        "default",
        "demo",
        "dummy",
        "example",
        "external",
        "externalid",
        "extid",
        "fixme",
        "foo",
        "here",
        "id",
        "insert",
        "me",
        "my",
        "password",
        "placeholder",
        "replace",
        "replaceme",
        "sample",
        "secret",
        "string",
        "tbd",
        "test",
        "the",
        "todo",
        "unique",
        "value",
        "your",
        "yours",
    }
)
# Counting sequences ("1234", "abc123", "987654"): a token of three or more that reads along one.
_SEQUENCES = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz")
# Words as written: camelCase and PascalCase split at each capital ("YourExternalId" is "Your",
# "External", "Id"), a run of capitals is one word ("IDHere" is "ID", "Here"), as are digits.
_TOKENS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass(frozen=True, slots=True)
class Weakness:
    """One reason an ExternalId condition does not tie the role to one relation."""

    at: SourceRef  # the value at fault, or the condition key when the operator is
    why: str  # the end of the message: "but ..."
    value: Value | None = None  # None when the operator is the problem
    severity: Severity | None = None  # None: the rule's (high)


@dataclass(frozen=True, slots=True)
class Judged:
    """An ExternalId condition with what is wrong with it.

    Sound: no weakness and every value known.  Unknown: no weakness found, but a value rolelint
    cannot read might be anything.  A condition with a weakness is weak whatever its unknown
    values are: its values are alternatives, and one weak value is enough to pass.
    """

    condition: Condition
    weaknesses: tuple[Weakness, ...] = ()
    unknown: bool = False

    @property
    def sound(self) -> bool:
        return not self.weaknesses and not self.unknown


def judge(condition: Condition) -> Judged:
    """What is wrong, if anything, with one condition on ``sts:ExternalId``."""
    if condition.operator.startswith(UNRESOLVED_KEY):
        return Judged(condition, unknown=True)
    bypass = _bypass(condition)
    if bypass is not None:
        return Judged(condition, (Weakness(condition.ref, bypass),))
    if not condition.values:
        why = "it lists no value, so no caller can match it: a placeholder nobody filled in"
        return Judged(condition, (Weakness(condition.ref, why, severity=Severity.MEDIUM),))
    weaknesses: list[Weakness] = []
    unknown = False
    like = condition.matches_patterns
    for value in admitting_values(condition):
        text = value.text
        if text is None or _symbolic(text):
            unknown = True
            continue
        problem = _value_problem(text, like=like)
        if problem is not None:
            why, severity = problem
            weaknesses.append(Weakness(value.ref, why, value, severity))
    if not weaknesses and not unknown:
        loose = _loose_operator(condition)
        if loose is not None:
            weaknesses.append(Weakness(condition.ref, loose, severity=Severity.LOW))
    return Judged(condition, tuple(weaknesses), unknown=unknown and not weaknesses)


def admitting_values(condition: Condition) -> tuple[Value, ...]:
    """The values of an ExternalId condition that may admit a caller: all but the empty (or
    blank) ones beside others.  STS takes no ExternalId under 2 characters, so an empty value
    matches no request: beside other values it is no way in, and they decide (as RL101 and
    RL611 read an empty value of every key never empty), neither the weakness RL105 reports
    nor a value RL106 finds shared.  A condition of empty values alone admits no one (RL611's:
    its statement is no case of these rules); it keeps them, judged as the placeholder they
    are."""
    filled = tuple(v for v in condition.values if v.text is None or v.text.strip())
    return filled or condition.values


def _bypass(condition: Condition) -> str | None:
    """Why the operator lets a caller through without the agreed value, whatever the value."""
    operator = condition.operator
    base = condition.base_operator.lower()
    if condition.if_exists:
        return f"{operator} lets a caller that sends no ExternalId at all pass the condition"
    if base == "null":
        return f"{operator} only tests whether an ExternalId is sent, never its value"
    if is_negated(base):
        return (
            f"{operator} admits every caller whose ExternalId differs from the values listed, "
            "including one that sends none"
        )
    if operator.lower().startswith("forallvalues:"):
        return (
            f"{operator} is met by a caller that sends no ExternalId (an empty set of values "
            "satisfies ForAllValues)"
        )
    return None


def _loose_operator(condition: Condition) -> str | None:
    """Why a positive operator other than StringEquals is still not the right one; None for
    StringEquals.  Only said when the values themselves are sound (low severity)."""
    operator = condition.operator
    if operator.lower() == "stringequals":
        return None
    base = condition.base_operator.lower()
    if operator.lower().startswith("foranyvalue:"):
        why = "a set operator, and sts:ExternalId is a single value"
    elif base == "stringlike":
        why = (
            "a pattern match: the value has no wildcard today, yet one '*' or '?' added later "
            "makes many values pass"
        )
    elif base == "stringequalsignorecase":
        why = "case-insensitive, so it also accepts values the third party never generated"
    else:
        why = "not an exact string comparison"
    return f"{operator} is {why}; an ExternalId must be compared with StringEquals"


def _symbolic(text: str) -> bool:
    """A value that only deployment resolves (``${AWS::AccountId}``, ``{{resolve:ssm:x}}``)."""
    return "${" in text or text.startswith("{{resolve:")


def _value_problem(text: str, *, like: bool) -> tuple[str, Severity | None] | None:
    """Why one resolved ExternalId value does not identify one relation, with the severity of
    the finding (None: the rule's high)."""
    shown = f"'{text}'"
    stripped = text.strip()
    if stripped == "":
        return (
            "the value is empty: STS accepts no ExternalId shorter than 2 characters, so no "
            "caller can match it, and the condition is a placeholder nobody filled in",
            Severity.MEDIUM,
        )
    if like and has_wildcard(text):
        if is_all_wildcards(text):
            return (
                f"{shown} matches every ExternalId, so any caller of that account passes as if "
                "there were no condition",
                None,
            )
        return (
            f"{shown} is a pattern that many ExternalIds match, and a value shared by many "
            "callers no longer tells one customer relation from another",
            None,
        )
    if has_wildcard(text):
        return (
            f"StringEquals compares {shown} literally and STS accepts no '*' or '?' in an "
            "ExternalId, so no caller can match it: the value was meant as a pattern",
            Severity.MEDIUM,
        )
    if _bracketed(stripped):
        return (
            f"{shown} is a template placeholder that was never replaced with the value the "
            "third party gave you",
            Severity.MEDIUM,
        )
    if not _STS_CHARACTERS.fullmatch(text):
        return (
            f"{shown} contains characters STS does not accept in an ExternalId (only letters, "
            "digits and _+=,.@:/- are), so no caller can ever send it",
            Severity.MEDIUM,
        )
    if len(text) not in STS_LENGTHS:
        # Every character STS accepts is ASCII (checked above): one character, one byte.
        return (
            f"the value is {len(text)} character{'s' if len(text) > 1 else ''} long and STS "
            f"accepts an ExternalId of {STS_LENGTHS.start} to {STS_LENGTHS.stop - 1} characters "
            "only, so no caller can ever send it",
            Severity.MEDIUM,
        )
    if len(text) > 1 and len(set(text)) == 1:
        return (
            f"{shown} is one character repeated, a placeholder rather than a value generated "
            "for this relation",
            Severity.MEDIUM,
        )
    if is_placeholder(text):
        return (
            f"{shown} is a placeholder value from examples and templates, known to everyone, "
            "not the value a third party generated for this relation",
            Severity.MEDIUM,
        )
    if len(text) < MIN_LENGTH:
        return (
            f"{shown} is only {len(text)} character{'s' if len(text) > 1 else ''} long, short "
            "enough to guess; third parties generate long unique values (a UUID, for instance)",
            Severity.MEDIUM,
        )
    return None


def _bracketed(text: str) -> bool:
    return len(text) > 2 and (
        (text[0], text[-1]) in {("<", ">"), ("[", "]")}
        or (text.startswith("{{") and text.endswith("}}"))
    )


def is_placeholder(text: str) -> bool:
    """A value made only of placeholder words, counting digits (``1234``, ``0123456789``) and
    runs of one character (``xxxx``): what examples put where the real value belongs."""
    tokens = [token.lower() for token in _TOKENS.findall(text)]
    return bool(tokens) and all(_placeholder_token(token) for token in tokens)


def _placeholder_token(token: str) -> bool:
    if token in _PLACEHOLDER_WORDS:
        return True
    if len(token) < 3:
        return False
    return len(set(token)) == 1 or any(token in sequence for sequence in _SEQUENCES)
