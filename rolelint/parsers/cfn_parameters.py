"""What a template parameter may be in a deployment CloudFormation accepts.

CloudFormation refuses a stack whose ``String`` parameter is not one of its ``AllowedValues``,
or does not match its ``AllowedPattern`` as a whole.  So a parameter only the deployment knows
is still not just anything: a ``Fn::FindInMap`` it keys reads only the entries those allow (a
map's ``breakglass`` entry is never read where the pattern is ``^(dev|test)$``), and a condition
that tests it for a text they rule out (``!Equals [!Ref Stage, legacy]``) never holds.

Only what is certain narrows: a pattern Python may read otherwise than Java (CloudFormation's
reader) allows anything, as do the constraints of other types (a list's apply to each item, a
number's to the number, not its text).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.cfn_conditions import written_operand

# What Java reads otherwise than the subset tf_regex translates: \s also holds \x0B and \v is
# every vertical space (Python's are narrower), \b is Java's own word boundary, "&&"
# intersects classes and "[[" nests one (a union; Python reads a "[" there).  A pattern with one
# of these allows anything.
_JAVA_APART = ("\\s", "\\v", "\\b", "\\B", "&&", "[[")


@dataclass(frozen=True, slots=True)
class Allowed:
    """The texts a parameter may be where it is read: its ``AllowedValues`` (None when any),
    its ``AllowedPattern`` when Python reads it as Java does (None when any), and the texts a
    condition rules out there (its default, where the condition says it is not that)."""

    values: tuple[str, ...] | None = None
    pattern: str | None = None
    excluded: frozenset[str] = frozenset()

    @property
    def unlimited(self) -> bool:
        """Whether it may be any text at all."""
        return self.values is None and self.pattern is None and not self.excluded

    def admits(self, text: str) -> bool:
        """Whether a deployment may pass ``text``."""
        if text in self.excluded or (self.values is not None and text not in self.values):
            return False
        return self.pattern is None or _matches(self.pattern, text)

    def without(self, text: str | None) -> Allowed:
        """The same, with ``text`` ruled out (a condition says it is not its default)."""
        if text is None:
            return self
        return Allowed(self.values, self.pattern, self.excluded | {text})


ANY = Allowed()


def allowed(parameter: Any) -> Allowed:
    """What a deployment may pass for ``parameter`` (its node in ``Parameters``)."""
    if not isinstance(parameter, Mapping) or parameter.get("Type") != "String":
        return ANY
    listed = allowed_values(parameter)
    pattern = parameter.get("AllowedPattern")
    readable = isinstance(pattern, str) and not java_only(pattern)
    return Allowed(listed, pattern if readable else None)


def java_only(pattern: str) -> bool:
    """Whether ``pattern`` uses what Java reads otherwise than Python (:data:`_JAVA_APART`):
    Python's reading of it says nothing certain."""
    return any(part in pattern for part in _JAVA_APART)


def allowed_values(parameter: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The texts of a parameter's ``AllowedValues`` in their order; None when it has none (or
    they are not a list)."""
    listed = parameter.get("AllowedValues")
    if not isinstance(listed, list):
        return None
    return tuple(dict.fromkeys(t for item in listed if (t := written_operand(item)) is not None))


def operand_may_be(parameters: Mapping[str, Any]) -> Callable[[Any, str], bool]:
    """For a condition's ``Fn::Equals``: whether an operand may be a written text in some
    deployment.  False only for a ``Ref`` to a parameter whose constraints rule the text
    out."""

    read: dict[str, Allowed] = {}  # each parameter's constraints, read once

    def may_be(node: Any, text: str) -> bool:
        if not isinstance(node, Mapping) or len(node) != 1 or "Ref" not in node:
            return True
        name = node["Ref"]
        if not isinstance(name, str):
            return True
        if name not in read:
            read[name] = allowed(parameters.get(name))
        return read[name].admits(text)

    return may_be


def pattern_reading(pattern: str, text: str) -> bool | None:
    """Whether ``text`` as a whole matches the Java ``pattern`` (an ``AllowedPattern``); None
    when that is not certain: Python may read the pattern otherwise (java_only, or outside
    the subset tf_regex translates), or it is too costly to try on a text this long.  The one
    reading of a pattern: each caller decides what an uncertain one counts as."""
    if java_only(pattern):
        return None
    regex = _translated(pattern, len(text))
    return None if regex is None else regex.fullmatch(text) is not None


# The longest text probe_reading asks Python's re about: "" and "*" (tree.ADMITS_ANYONE).
PROBE_LENGTH = 1


def probe_reading(pattern: str, text: str) -> bool | None:
    """:func:`pattern_reading` for a probe of at most :data:`PROBE_LENGTH` characters (does
    the pattern let a deployer pass "" or "*"?).  Outside the subset tf_regex translates (a
    repeated group ``^([a-z0-9*-]+,?)*$``, an inline flag ``(?i)``) a pattern that is not
    java_only is asked of Python's ``re``, which reads it as Java does: the subset refuses
    such patterns for backtracking that grows with the text, and on a text this short there
    is none.  None still when Python refuses the pattern (``\\p{Alpha}``), and for a longer
    text; a warning Python gives of a pattern (a set it reads otherwise one day) is never
    printed on the user's terminal."""
    reading = pattern_reading(pattern, text)
    if reading is not None or java_only(pattern) or len(text) > PROBE_LENGTH:
        return reading
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return re.fullmatch(pattern, text) is not None
        except (re.error, RecursionError, OverflowError):
            return None


def _matches(pattern: str, text: str) -> bool:
    """Whether ``text`` may match the Java ``pattern``: True unless it certainly does not."""
    return pattern_reading(pattern, text) is not False


@functools.lru_cache(maxsize=256)
def _translated(pattern: str, length: int) -> re.Pattern[str] | None:
    # Imported here: a run that reads no pattern imports no module of the Terraform parser.
    from rolelint.parsers.tf_regex import translated

    return translated(pattern, length, whole=True)
