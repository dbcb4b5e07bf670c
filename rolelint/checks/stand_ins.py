"""Whether an IAM pattern names a role whose name or path rolelint cannot know.

Where AWS or Terraform generates a role's name, whoever deploys chooses it, or its IAM path is
not resolved, the parsers write a stand-in in the role's ARN (rolelint.model.generated_name,
rolelint.model.unresolved_name, rolelint.model.unresolved_path; a generated name's and an
unresolved one's are one kind here, rolelint.model.NAME_STAND_IN).  A pattern may name such a
role whatever the name turns out to be (``role/*``), for no name at all (``role/break-glass/*``
for a role at ``/``), or for some names only (``role/ci-*``): :func:`pattern_names` says which,
and every comparison of a role's ARN with a pattern asks it (a grant's Resource or NotResource,
a Deny's, a boundary's, a trust condition on ``aws:PrincipalArn``), so that they all read a
stand-in alike.  What doubt means is the caller's to say: an Allow names only what it certainly
names, a Deny removes only what it certainly covers, and a NotResource spares whatever it may
name.

A stand-in stands only for what IAM lets a name or path hold: a name is never empty and holds
neither ``/`` nor ``:``; a path is ``/`` or segments between slashes (``/team/``), never a
``:``.  Read as IAM wildcards (``?*``, ``/*``) they ran across those separators:
``arn:aws:iam::*:user/*`` and ``role/break-glass/*`` seemed to name a generated role at ``/``,
and a grant on every role but those took every hop to it away.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rolelint.arns import PARTITIONS, SYMBOLIC_PARTITION
from rolelint.checks.iam_match import covers, has_wildcard, overlaps, parse_arn
from rolelint.model import NAME_STAND_IN, UNRESOLVED_PATH
from rolelint.wildcards import squash

# The two kinds of unknown text, as the wildcards holding every value they may take (what
# :func:`unknowns_as_wildcards` writes) and as the token the precise walk reads.
_NAME, _PATH = "name", "path"
_UNKNOWN_PARTS = ((UNRESOLVED_PATH, "/*", _PATH), (NAME_STAND_IN, "?*", _NAME))
_ANY_VALUE = {kind: any_value for _, any_value, kind in _UNKNOWN_PARTS}
# What neither a name nor a path segment holds.
_SEPARATORS = frozenset("/:")
# Pairs of states the precise walk may visit before it answers "not known".
_MOST_STATES = 20_000


def _stand_ins(text: str, pattern: str) -> list[tuple[int, int, str, str]]:
    """Where ``text`` holds a stand-in that ``pattern`` does not write, in order: start, end,
    the wildcards for every value and the kind.  A stand-in the pattern writes too (a
    reference to the same role) is the same unknown text on both sides, and stays as it is."""
    if "<" not in text:
        return []
    found: list[tuple[int, int, str, str]] = []
    for stand_in, any_value, kind in _UNKNOWN_PARTS:
        for match in stand_in.finditer(text):
            if match.group() not in pattern:
                found.append((match.start(), match.end(), any_value, kind))
    found.sort()
    kept: list[tuple[int, int, str, str]] = []
    for part in found:
        if not kept or part[0] >= kept[-1][1]:
            kept.append(part)
    return kept


def holds_unknown(text: str, pattern: str = "") -> bool:
    """Whether ``text`` (a role's ARN) holds a name or path rolelint cannot know, other than
    one ``pattern`` writes too."""
    return bool(_stand_ins(text, pattern))


def known_fields(text: str) -> list[str | None]:
    """The fields of ``text`` (a role's ARN) between its ":", as every value it may take has
    them: a stand-in holds no ":", so only a field holding one (None) is not known."""
    fields: list[str | None] = []
    current = ""  # the text of the field read so far
    unknown = False
    for index, part in enumerate(_shape(text, "")):
        if index % 2:
            unknown = True
            continue
        *whole, current_end = (current + part).split(":")
        for field in whole:
            fields.append(None if unknown else field)
            unknown = False
        current = current_end
    fields.append(None if unknown else current)
    return fields


def unknowns_as_wildcards(text: str, pattern: str = "") -> str | None:
    """``text`` with each stand-in (but those ``pattern`` writes too) in place of every value
    it may take, as an IAM pattern running over separators too: a wider set than the stand-in
    stands for; None when it holds none."""
    parts = _stand_ins(text, pattern)
    if not parts:
        return None
    pieces: list[str] = []
    position = 0
    for start, end, any_value, _kind in parts:
        pieces.append(text[position:start])
        pieces.append(any_value)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def pattern_names(pattern: str, text: str, *, case_sensitive: bool = True) -> bool | None:
    """Whether the IAM pattern ``pattern`` names ``text``: True when it names every value
    ``text`` may take once deployed, False when it names none, None when it names some only
    (whether it names the role is not known).

    ``text`` is a role's ARN, in which a stand-in stands for every name or path it may be (see
    the module docstring); ``*`` and ``?`` in it are wildcards, as in
    :func:`rolelint.checks.iam_match.covers`.  Resources compare case-sensitively."""
    return _judged(pattern, text, case_sensitive)


def surely_names(pattern: str, text: str, *, case_sensitive: bool = True) -> bool:
    """Whether ``pattern`` names every value ``text`` may take (:func:`pattern_names` is True):
    what an Allow grants, or a Deny removes, for certain.  Plain covering for a text without a
    stand-in."""
    if not holds_unknown(text, pattern):
        return covers(pattern, text, case_sensitive=case_sensitive)
    return _judged(pattern, text, case_sensitive) is True


def may_name(pattern: str, text: str, *, case_sensitive: bool = True) -> bool:
    """Whether ``pattern`` names some value ``text`` may take (:func:`pattern_names` is not
    False): what a NotResource may spare.  Plain overlapping for a text without a stand-in."""
    if not holds_unknown(text, pattern):
        return overlaps(pattern, text, case_sensitive=case_sensitive)
    return _judged(pattern, text, case_sensitive) is not False


@functools.lru_cache(maxsize=16384)
def _judged(pattern: str, text: str, case_sensitive: bool) -> bool | None:
    shape = _shape(text, pattern)
    lowered = shape if case_sensitive else _shape(text.lower(), pattern.lower())
    return _judged_shape(pattern, shape, lowered, case_sensitive)


@functools.lru_cache(maxsize=16384)
def _judged_shape(
    pattern: str, shape: tuple[str, ...], lowered: tuple[str, ...], case_sensitive: bool
) -> bool | None:
    """:func:`_judged` of each text of ``shape`` (:func:`_shape`; ``lowered``, that of the text
    and pattern in lower case, is what the walk reads when case is ignored).  What a stand-in
    holds is never read, only its kind: the ARNs of a template's roles without a name
    (``role/<generated:t.json#R0>``, ``#R1>`` ...) are one shape, judged once against each
    pattern, where each was walked anew (RL612 tried each format against each of 500 such
    roles, 12 s; a grant naming 100 of them by reference was compared with each, 47 s)."""
    wide = "".join(part if i % 2 == 0 else _ANY_VALUE[part] for i, part in enumerate(shape))
    if covers(pattern, wide, case_sensitive=case_sensitive):
        return True  # it names more than the stand-in stands for
    if not overlaps(pattern, wide, case_sensitive=case_sensitive):
        return False
    if len(shape) == 1:
        return None  # no stand-in: two patterns that meet in part
    if not case_sensitive:
        pattern = pattern.lower()
    return _walk(squash(pattern), list(_tokens(lowered)))


def _shape(text: str, pattern: str) -> tuple[str, ...]:
    """``text`` as the walk reads it: its literal parts, and between each two the kind of the
    stand-in there (but those ``pattern`` writes too, which are literal text)."""
    shape: list[str] = []
    position = 0
    for start, end, _any_value, kind in _stand_ins(text, pattern):
        shape += [text[position:start], kind]
        position = end
    shape.append(text[position:])
    return tuple(shape)


def _tokens(shape: tuple[str, ...]) -> Iterator[str]:
    """A :func:`_shape` as the walk reads it: a character each, a stand-in as its kind."""
    for index, part in enumerate(shape):
        if index % 2:
            yield part
        else:
            yield from part


# A state of ``text``'s side: the index of the next token, and where within a stand-in it is:
# "" before it, "name" within a name, "sep" just after a slash of a path, "seg" within one of
# its segments.
_State = tuple[int, str]


def _walk(pattern: str, tokens: list[str]) -> bool | None:
    """:func:`pattern_names` read character by character: every string ``tokens`` may be is
    read at once with the positions of ``pattern`` it reaches.  A character neither side
    writes stands for all of them (None).  True when every string of ``tokens`` ends where the
    pattern ends, False when none does; None when some do, or the walk grows too long."""
    written = {t for t in tokens if len(t) == 1} | set(pattern)
    alphabet: list[str | None] = [c for c in written - {"*", "?"} | _SEPARATORS]
    alphabet.append(None)
    where: dict[str | None, int] = {}
    for index, character in enumerate(pattern):
        where[character] = where.get(character, 0) | 1 << index
    stars, jokers, end = where.get("*", 0), where.get("?", 0), 1 << len(pattern)

    def closed(row: int) -> int:
        return row | (row & stars) << 1  # a star may take nothing (no two stars in a row)

    def ahead(states: frozenset[_State]) -> frozenset[_State]:
        seen = set(states)
        todo = list(states)
        while todo:
            index, inside = todo.pop()
            if index >= len(tokens):
                continue
            token = tokens[index]
            after = (index + 1, "")
            if (inside in ("name", "sep") or (inside == "" and token == "*")) and after not in seen:
                seen.add(after)
                todo.append(after)
        return frozenset(seen)

    def moved(states: frozenset[_State], symbol: str | None) -> frozenset[_State]:
        inner = symbol is not None and symbol in _SEPARATORS
        found: set[_State] = set()
        for index, inside in states:
            if index >= len(tokens):
                continue
            token = tokens[index]
            if token == _NAME:
                if not inner:
                    found.add((index, "name"))
            elif token == _PATH:
                if inside == "" and symbol == "/":
                    found.add((index, "sep"))
                elif inside in ("sep", "seg") and not inner:
                    found.add((index, "seg"))
                elif inside == "seg" and symbol == "/":
                    found.add((index, "sep"))
            elif token == "*":
                found.add((index, ""))
            elif token == "?" or token == symbol:
                found.add((index + 1, ""))
        return ahead(frozenset(found))

    last = len(tokens)
    start = (ahead(frozenset({(0, "")})), closed(1))
    seen = {start}
    todo = [start]
    some, every = False, True
    while todo:
        states, row = todo.pop()
        if (last, "") in states:
            if row & end:
                some = True
            else:
                every = False
            if some and not every:
                return None
        for symbol in alphabet:
            next_states = moved(states, symbol)
            if not next_states:
                continue
            meets = where.get(symbol, 0) | jokers if symbol is not None else jokers
            next_row = closed((row & stars) | (row & meets) << 1)
            pair = (next_states, next_row)
            if pair not in seen:
                if len(seen) >= _MOST_STATES:
                    return None
                seen.add(pair)
                todo.append(pair)
    if not some:
        return False
    return True if every else None


# --- role ARNs --------------------------------------------------------------------------------


def align_partition(pattern: str, arn: str) -> str:
    """``pattern`` with its partition replaced by ``arn``'s when one of them is symbolic.

    A template that writes ``arn:${AWS::Partition}:...`` and one that writes ``arn:aws:...`` name
    the same role once deployed in the ``aws`` partition.
    """
    if SYMBOLIC_PARTITION not in pattern and SYMBOLIC_PARTITION not in arn:
        return pattern
    pattern_arn, target = parse_arn(pattern), parse_arn(arn)
    if pattern_arn is None or target is None or pattern_arn.partition == target.partition:
        return pattern
    known = (*PARTITIONS, SYMBOLIC_PARTITION)
    if SYMBOLIC_PARTITION not in (pattern_arn.partition, target.partition) or not (
        pattern_arn.partition in known and target.partition in known
    ):
        return pattern
    return ":".join(
        (
            "arn",
            target.partition,
            pattern_arn.service,
            pattern_arn.region,
            pattern_arn.account,
            pattern_arn.resource,
        )
    )


def arn_matches(pattern: str, arn: str) -> bool:
    """Whether an IAM resource or principal pattern certainly names the role ARN ``arn``
    (case-sensitive).

    A name or path rolelint cannot know is written as a stand-in holding the file and the
    logical id or address, which the deployed name never holds: only a pattern whose wildcards
    cover all of it (``role/*``, ``role/ci-*`` after a known ``name_prefix``) names the role,
    never one matching the stand-in's text (``role/*prod*`` of a template in a prod folder).
    """
    if pattern == arn or pattern == "*":
        return True
    if holds_unknown(arn, pattern):
        return surely_names(align_partition(pattern, arn), arn)
    if not has_wildcard(pattern) and SYMBOLIC_PARTITION not in pattern + arn:
        return False
    return covers(align_partition(pattern, arn), arn, case_sensitive=True)


def arn_may_match(pattern: str, arn: str) -> bool:
    """Whether an IAM resource pattern may name the role ARN ``arn``: :func:`arn_matches`, but
    a stand-in counts as any value it may take.  What a grant leaves out (a NotResource) takes
    a role of unknown name out of a hop when it may name it: the hop only may exist.  One
    that can name no value of it (``role/break-glass/*`` for a role at ``/``, ``user/*``)
    leaves the hop in place."""
    if not holds_unknown(arn, pattern):
        return arn_matches(pattern, arn)
    return may_name(align_partition(pattern, arn), arn)
