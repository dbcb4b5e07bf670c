"""IAM's wildcards, ``*`` (any run of characters, none included) and ``?`` (one character),
matched against a literal without backtracking.

The obvious regular expression, each ``*`` written ``.*``, backtracks: ``*a*a*a*a*a*a*a*a*a*a*b``
took 19 s to fail against forty a's, twelve stars take hours, and patterns come with the
templates being checked.  A pattern is therefore cut at its stars into pieces of fixed length:
the first must match where the text starts, the last where it ends, and each one between at its
leftmost place after the one before (leftmost is never worse: a star takes whatever lies
between).  A piece is found with ``str`` methods, or with a regular expression without
repetition when it holds a ``?``, so a match costs at most the text's length times the
pattern's.

The rest of IAM's pattern matching lives here too, one answer each for the checks (through
:mod:`rolelint.checks.iam_match`), the assume-role graph and the policy builder: whether one
pattern covers another (:func:`covers`; :func:`covers_text` where a value's ``${...}`` or
``<...>`` stands for a text of its own), whether two overlap (:func:`overlaps`), and the
fields an ARN operator compares (:func:`arn_like_fields`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from rolelint.placeholders import VARIABLE, Enclosed, spans

Matcher = Callable[[str], bool]


class _Piece:
    """A part of a pattern with no star, found in a text with ``str`` methods, or with a
    regular expression when it holds a ``?`` (any one character).

    The expression is compiled on the first text long enough to hold the piece: compiling
    takes about 200 bytes for each character of it, and a 3 MB action pattern, checked against
    the action catalog's names of a few dozen characters, took 550 MB without ever matching.
    """

    __slots__ = ("_expression", "length", "plain", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.plain = "?" not in text
        self._expression: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str]:
        if self._expression is None:
            parts = ("." if char == "?" else re.escape(char) for char in self.text)
            self._expression = re.compile("".join(parts), re.DOTALL)
        return self._expression

    def at(self, text: str, position: int) -> bool:
        """Whether the piece is in ``text`` at ``position``."""
        if self.plain:
            return text.startswith(self.text, position)
        if position + self.length > len(text):
            return False
        return self._compiled().match(text, position) is not None

    def find(self, text: str, start: int, end: int) -> int:
        """Where the piece first lies whole in ``text[start:end]``; -1 when nowhere."""
        if self.plain:
            return text.find(self.text, start, end)
        if end - start < self.length:
            return -1
        found = self._compiled().search(text, start, end)
        return found.start() if found is not None else -1


@functools.lru_cache(maxsize=65536)
def matcher(pattern: str) -> Matcher:
    """Whether a whole text matches ``pattern`` (case-sensitive: callers lower both for IAM
    actions, which compare without case)."""
    if "*" not in pattern:
        whole = _Piece(pattern)
        return lambda text: len(text) == whole.length and whole.at(text, 0)
    first, *middle, last = pattern.split("*")
    return _Pieces(first, [part for part in middle if part], last)


class _Pieces:
    """A pattern with stars: its first and last pieces, and those between (see the module
    docstring).  Pieces without ``?`` are found with ``str`` methods directly: matching runs
    for every name of the action catalog, and a call per piece cost a tenth more."""

    def __init__(self, first: str, middle: list[str], last: str) -> None:
        self.head = _Piece(first)
        self.tail = _Piece(last)
        # (text, length, the piece when it holds a "?", else None)
        self.middle = [
            (part, len(part), None if "?" not in part else _Piece(part)) for part in middle
        ]
        self.least = self.head.length + self.tail.length

    def __call__(self, text: str) -> bool:
        end = len(text) - self.tail.length
        if len(text) < self.least:
            return False
        head, tail = self.head, self.tail
        if not (text.startswith(head.text) if head.plain else head.at(text, 0)):
            return False
        if not (text.endswith(tail.text) if tail.plain else tail.at(text, end)):
            return False
        position = head.length
        for part, length, piece in self.middle:
            found = (
                text.find(part, position, end) if piece is None else piece.find(text, position, end)
            )
            if found < 0:
                return False
            position = found + length
        return True


# --- whether one pattern covers another ----------------------------------------------------------


def covers(general: str, specific: str) -> bool:
    """Whether every text the pattern ``specific`` matches is also matched by the pattern
    ``general`` (case-sensitive: callers lower both for IAM actions).

    The one answer to "does pattern A cover pattern B": the checks ask it through
    :func:`rolelint.checks.iam_match.covers`, the policy builder (which option of a Mappings
    entry excludes least) through :func:`covers_text`.  Exact for a literal ``specific``; for
    two patterns a conservative "no" in contrived cases (``*?`` against ``?*``), never a
    wrong "yes".  A ``*`` spans every character, colons included: ARN operators split an ARN
    first."""
    return _covers(squash(general), squash(specific))


def action_pattern(text: str) -> str:
    """An action pattern as IAM compares it: in lower case (actions compare in any case) and
    :func:`whole_fields`.  The one form the checks (:func:`rolelint.checks.iam_match.covers`)
    and the policy builder (which option of a Mappings entry's NotAction excludes least) both
    compare actions in: the builder once only lowered them, and took ``["iam:?*", "s3:*"]``
    for less than all ``iam:*`` excludes."""
    return whole_fields(text.lower())


def whole_fields(text: str) -> str:
    """An action pattern with each field that matches every service prefix or every action
    name written ``*``: ``iam:?*`` is ``iam:*``, ``?*:*`` is ``*:*``.

    Neither a service prefix nor an action name is ever empty, so ``?*`` matches every one as
    ``*`` does; as written, ``iam:?*`` does not cover ``iam:*`` (whose ``*`` may be empty) and
    was taken for less than every IAM action.  A field of more than one ``?`` is left as it
    is (it may leave out short names)."""
    service, sep, name = text.partition(":")
    if not sep:
        return text
    return f"{_whole_field(service)}:{_whole_field(name)}"


def _whole_field(field: str) -> str:
    if "*" in field and set(field) <= {"*", "?"} and field.count("?") <= 1:
        return "*"
    return field


def has_wildcard(text: str) -> bool:
    """Whether ``text`` holds an IAM wildcard (``*`` or ``?``)."""
    return "*" in text or "?" in text


@functools.lru_cache(maxsize=65536)
def _covers(general: str, specific: str) -> bool:
    if not has_wildcard(specific):
        return matcher(general)(specific)
    if general == specific or general == "*":
        return True
    if min(len(general), len(specific)) > LONGEST_COMPARED:
        return False
    if len(specific) > len(general):
        return _covers_by_columns(general, specific)
    where = positions(specific)
    anything = every_position(len(specific)) & ~where.get("*", 0)  # "?": a character, not a run
    last = len(specific)
    row = 1  # the positions of ``specific`` reached once the tokens of ``general`` before are read
    for token in general:
        if token == "*":
            row = from_lowest(row, last)  # it takes any run of ``specific``, stars included
        else:
            row = (row & (anything if token == "?" else where.get(token, 0))) << 1
            if not row:
                return False
    return bool(row >> last & 1)


def _covers_by_columns(general: str, specific: str) -> bool:
    """:func:`_covers` with the bits over ``general``, a column for each token of ``specific``:
    the same walk, for a ``specific`` longer than ``general``."""
    where = positions(general)
    stars, jokers = where.get("*", 0), where.get("?", 0)
    column = 1  # the positions of ``general`` reached by the tokens of ``specific`` read so far
    for token in specific:
        column |= (column & stars) << 1  # a star of ``general`` may take nothing
        if token == "*":
            column &= stars  # only a star of ``general`` takes a run of ``specific``
        else:
            column = (column & stars) | (column & (where.get(token, 0) | jokers)) << 1
        if not column:
            return False
    column |= (column & stars) << 1
    return bool(column >> len(general) & 1)


# --- whether two patterns overlap ---------------------------------------------------------------


def overlaps(first: str, second: str) -> bool:
    """Whether some text matches both patterns (case-sensitive: callers lower both for IAM
    actions); for a pattern and a literal, plain matching.

    The one answer to "may A and B name the same thing": the checks ask it through
    :func:`rolelint.checks.iam_match.overlaps`, which compares actions in
    :func:`action_pattern`'s form."""
    if not has_wildcard(first) and not has_wildcard(second):
        return first == second  # two literals: the common case needs no matcher
    if not _ends_agree(first, second):
        return False
    return _overlap(first, second)


def _ends_agree(first: str, second: str) -> bool:
    """Whether the literal starts of two patterns (up to a wildcard) could begin one string, and
    their literal ends end it: otherwise nothing matches both (``iam:Put1*`` and
    ``iam:Put2Role*``).  Found without a walk: a role's 2,500 Allows and 2,500 Denies make
    6,250,000 such questions, nearly all answered here."""
    head_first, head_second = literal_start(first), literal_start(second)
    if not (head_first.startswith(head_second) or head_second.startswith(head_first)):
        return False
    tail_first, tail_second = _tail(first), _tail(second)
    return tail_first.endswith(tail_second) or tail_second.endswith(tail_first)


def literal_start(pattern: str) -> str:
    """What a pattern says before its first wildcard: every string it matches starts so."""
    cut = len(pattern)
    for wildcard in "*?":
        found = pattern.find(wildcard, 0, cut)
        if found >= 0:
            cut = found
    return pattern[:cut]


def _tail(pattern: str) -> str:
    return pattern[max(pattern.rfind("*"), pattern.rfind("?")) + 1 :]


@functools.lru_cache(maxsize=65536)
def _overlap(first: str, second: str) -> bool:
    if not has_wildcard(second):
        return matcher(first)(second)
    if not has_wildcard(first):
        return matcher(second)(first)
    # Two patterns: walk both.  Collapse runs of "*": they mean the same, the search stays small.
    first, second = squash(first), squash(second)
    if min(len(first), len(second)) > LONGEST_COMPARED:
        return False
    if len(second) > len(first):  # the bits hold the shorter one (overlapping is symmetric)
        first, second = second, first
    where = positions(second)
    stars, jokers = where.get("*", 0), where.get("?", 0)
    anything = every_position(len(second)) & ~stars  # what "?" in ``first`` meets: any character
    last = len(second)
    row = 1  # the positions of ``second`` reached once the tokens of ``first`` before are read
    for token in first:
        if token == "*":
            row = from_lowest(row, last)  # the star takes any run of ``second``
            continue
        row |= (row & stars) << 1  # a star of ``second`` may take nothing
        meets = anything if token == "?" else where.get(token, 0) | jokers
        row = (row & stars) | (row & meets) << 1  # the star takes the token, or both advance
        if not row:
            return False
    row |= (row & stars) << 1  # a star at the end of ``second`` may take nothing
    return bool(row >> last & 1)


# The walks of covering (:func:`_covers`, :func:`_covers_by_columns`) and of overlapping
# (:func:`_overlap`) go through the pairs of positions (i in one pattern, j in the other) a row at
# a time: the positions j reached at i are the bits of one integer, and a step is a shift and a
# mask.  Visiting the pairs one by one (with a set of those seen) took 4 s and 680 MB for two
# patterns of 3,000 characters.


# Patterns longer than the largest policy IAM accepts (10,240 characters) are compared only with
# shorter ones: two such patterns would take a step per character of one for each 64 of the
# other, and no deployable policy holds one.  Compared, they are answered "no": nothing matches
# both, and neither covers the other (a Deny of such a pattern takes nothing away).
LONGEST_COMPARED = 10_240


def positions(pattern: str) -> dict[str, int]:
    """Where each character of ``pattern`` is, as bits."""
    where: dict[str, int] = {}
    for index, character in enumerate(pattern):
        where[character] = where.get(character, 0) | 1 << index
    return where


def every_position(length: int) -> int:
    """The bits of every position of a pattern ``length`` long."""
    return (1 << length) - 1


def from_lowest(row: int, last: int) -> int:
    """Every position from the lowest one in ``row`` to ``last``: what a star reaches."""
    if not row:
        return 0
    lowest = row & -row
    return every_position(last + 1) & ~(lowest - 1)


def squash(pattern: str) -> str:
    """``pattern`` with each run of ``*`` written once: they match the same, and the walks
    stay small."""
    while "**" in pattern:
        pattern = pattern.replace("**", "*")
    return pattern


# --- whether one value of a policy covers another, stand-ins included ---------------------------


def covers_text(general: str, specific: str) -> bool:
    """Whether the pattern ``general`` (``*`` and ``?`` wildcards) matches every text the
    pattern ``specific`` does, where either may hold a ``${...}`` (a variable, the account a
    deployment has) or a ``<...>`` (a name not known): :func:`covers`, the answer the checks
    get too, with each of those standing for a text of its own.  It is one character here,
    which a piece of the other pattern matches only where it holds the same, and a star takes
    whole.  A ``?`` matches one character, and a stand-in may be any number of them: with a
    ``?`` in ``general`` and a stand-in in either, only the same pattern is answered yes,
    never a wrong one.  The policy builder asks it of the options of a Mappings entry (which
    excludes least)."""
    tokens: dict[str, str] = {}
    read_general, read_specific = _tokenized(general, tokens), _tokenized(specific, tokens)
    if read_general is None or read_specific is None:
        return general == specific
    return _covers_read(read_general, read_specific, stand_ins=bool(tokens))


def covers_action_text(general: str, specific: str) -> bool:
    """:func:`covers_text` for actions, in the form the checks compare them in
    (:func:`action_pattern`: any case, and ``iam:?*`` as ``iam:*``)."""
    return covers_text(action_pattern(general), action_pattern(specific))


def covers_arn_text(general: str, specific: str) -> bool:
    """:func:`covers_text` field by field, as IAM's ARN operators match an ARN (each of its
    six colon-separated fields on its own, a wildcard spanning none of the colons); a
    ``general`` of stars alone covers every ARN."""
    if set(general) == {"*"}:
        return True
    # Read whole before it is split: ``${AWS::AccountId}`` holds colons of its own, and a
    # token holds none.
    tokens: dict[str, str] = {}
    read_general, read_specific = _tokenized(general, tokens), _tokenized(specific, tokens)
    if read_general is None or read_specific is None:
        return general == specific
    fields, named = read_general.split(":", 5), read_specific.split(":", 5)
    if len(fields) != 6 or len(named) != 6:
        return read_general == read_specific
    stand_ins = bool(tokens)
    return all(
        _covers_read(one, other, stand_ins=stand_ins)
        for one, other in zip(fields, named, strict=True)
    )


def _covers_read(general: str, specific: str, *, stand_ins: bool) -> bool:
    """:func:`covers_text` of two texts :func:`_tokenized` has read (``stand_ins``: it met
    one in either)."""
    if "?" in general and stand_ins:
        return general == specific
    return covers(general, specific)


# A ``${...}`` and a ``<...>`` of a text: what stands for a text the deployment (or the request)
# gives, each read as one character of Unicode's last private use plane (:func:`_tokenized`).
_STAND_INS = (VARIABLE, Enclosed(("<",), ">"))
_FIRST_TOKEN = 0xF0000
_LAST_TOKEN = 0xFFFFD


def _tokenized(text: str, tokens: dict[str, str]) -> str | None:
    """``text`` with each stand-in (:data:`_STAND_INS`) the character ``tokens`` gives it (a
    new one for a stand-in not seen yet); None for a text already holding such a character,
    or with more stand-ins than there are characters (compared as written)."""
    if max(text, default="") >= chr(_FIRST_TOKEN):
        return None
    if "${" not in text and "<" not in text:
        return text
    parts: list[str] = []
    position = 0
    for start, end in spans(text, _STAND_INS):
        stand_in = text[start:end]
        token = tokens.get(stand_in)
        if token is None:
            if _FIRST_TOKEN + len(tokens) > _LAST_TOKEN:
                return None
            token = tokens[stand_in] = chr(_FIRST_TOKEN + len(tokens))
        parts += [text[position:start], token]
        position = end
    parts.append(text[position:])
    return "".join(parts)


# --- an ARN's fields, as IAM's ARN operators read them -------------------------------------------


def arn_fields(text: str) -> list[str] | None:
    """The six fields of an ARN, ``arn`` first; None when ``text`` is not shaped like one
    (fewer fields, or a first field other than ``arn``).  Colons inside ``${...}`` (symbolic
    values such as ``${AWS::AccountId}``) do not separate."""
    parts = _split_fields(text, 6)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def arn_pattern_fields(text: str) -> list[str] | None:
    """:func:`arn_fields` of an ``ArnLike`` value, whose first field may be a pattern of
    ``arn`` too (``*:*:*:*:*:*``, ``a?n:aws:iam::*:role/x``): ArnLike matches each of the six
    fields on its own, so such a value names the ARNs its other five fields match; None when
    its first field does not match ``arn`` or it has fewer than six fields (it names no
    ARN).

    In case, as written: ArnEquals and ArnLike are a "case-sensitive matching of the ARN"
    (IAM User Guide, condition operators, ARN condition operators), and every ARN begins with
    ``arn`` in lower case, so ``ARN:aws:iam::111122223333:role/x`` names none.  It was read in
    any case, as the role it spells."""
    parts = _split_fields(text, 6)
    return parts if len(parts) == 6 and matcher(parts[0])("arn") else None


def arn_like_fields(value: str, arn: str) -> tuple[tuple[str, str], ...] | None:
    """The fields ``ArnLike`` and ``ArnEquals`` match one by one when ``value`` is tested
    against the ARN ``arn`` (each on its own, a wildcard spanning none of the colons):
    partition, service, region, account and resource of ``value``, each with the same field
    of ``arn``.  No pair at all for a ``value`` of stars alone, which names every ARN (nothing
    is left to compare); None when ``value`` names no ARN (:func:`arn_pattern_fields`) or
    ``arn`` is none (:func:`arn_fields`): the two are then compared as written.

    The one reading of an ARN operator's value against an ARN; each caller compares the
    fields as it must (the assume-role graph a caller's ARN, some of whose names it may not
    know)."""
    if set(value) == {"*"}:
        return ()
    mine, theirs = arn_pattern_fields(value), arn_fields(arn)
    if mine is None or theirs is None:
        return None
    return tuple(zip(mine[1:], theirs[1:], strict=True))


_BRACES = re.compile(r"\$\{|\}")


def _split_fields(text: str, limit: int) -> list[str]:
    """``text.split(":", limit - 1)``, except that ``${...}`` stays whole.

    Split at every colon first, then the pieces inside an open ``${`` are joined again: only the
    pieces holding ``${`` or ``}`` are scanned, not every character (the role ARNs of a
    CloudFormation template all hold ``${AWS::Partition}`` and ``${AWS::AccountId}``).
    """
    if "${" not in text:
        return text.split(":", limit - 1)  # the common case
    pieces = text.split(":")
    fields: list[str] = []
    held: list[str] = []  # the pieces of a field whose ``${`` is still open
    depth = 0
    for index, piece in enumerate(pieces):
        if len(fields) == limit - 1:  # held is empty here: fields grow only when it is
            fields.append(":".join(pieces[index:]))
            return fields
        held.append(piece)
        if depth or "${" in piece:
            for brace in _BRACES.findall(piece):
                if brace == "${":
                    depth += 1
                elif depth:
                    depth -= 1
        if not depth:
            fields.append(":".join(held))
            held = []
    if held:
        fields.append(":".join(held))
    return fields
