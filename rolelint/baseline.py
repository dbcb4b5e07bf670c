"""Adopting rolelint on an existing repository: record today's findings once, then report only
new ones.

``rolelint check --write-baseline FILE`` records each active finding by its fingerprint (rule,
file, resource, the roles it concerns and the risky content itself, never its line: see
rolelint.engine.fingerprint), so inserting lines or reformatting a template keeps it matched,
while changing what makes it risky (another principal, a longer session, one more role holding
the policy) makes it new.  ``--baseline FILE`` then marks the
recorded findings suppressed (kind ``external``, visible in JSON and SARIF) and leaves the new
ones to fail the run.  Counts matter: if a file had one finding with a fingerprint and now has
two, one of them is new.

Which of them is new is told by the statement each is in: an entry keeps the digest of the
text of the statement its finding was in (``statement``, rolelint.statement_digests), and a
finding in that very text is the recorded one, wherever it moved; the others are new.  The line
would not tell: a duplicate inserted above the recorded statement takes the line the recorded
one had, and one inserted below leaves the same two lines.  The digest only chooses among the
findings of one fingerprint: how many are matched is counted as before, and a baseline without
digests (recorded before they were, or written by hand) matches the first findings in report
order, as it always did.

An entry whose statement was edited since (one more action) matches no statement's text.  It
then takes, of the findings of its fingerprint left, the one whose statement has most of its
statement's elements (the digests of each action, resource, condition's value ...): the edited
statement has the same queue, a new one inserted above it another.  Only the entries that
share no element with any finding left take the first in report order.  A statement's elements
are recorded once, in the file's ``elements`` by the statement's digest, which its entries
name: each entry listed them all, and a statement of 6,000 resources, a finding on each, wrote
36 million digests (722 MB).  An entry's own ``elements``, as rolelint wrote them before, are
read too.

A finding also carries the fingerprints it had before rolelint said it otherwise
(``Finding.earlier_fingerprints``: a permissions boundary several roles hold had a finding on
its text for each of them, one finding now).  An entry no fingerprint matched then matches by
those, one entry of each of them per finding, as those findings were; an entry so counted with
a finding already matched recorded that very finding, and is neither new nor gone.

An entry no finding matched any more is counted in a note asking to record the baseline again,
but only when the run could have seen its finding (rolelint.scope): its rule was judged, and
its file analyzed in this run or deleted from a folder the run walked.  A pre-commit hook
passes the changed files alone, and ``--select`` runs some rules: re-recording from such a run
would drop every other entry.  An entry that names no file or rule (not written by rolelint)
is never counted.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from rolelint.findings import EXTERNAL, Finding, Suppression
from rolelint.project_paths import RunNames, project_path
from rolelint.scope import Absence, RunScope

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not one: exit code 2."""


# What gives the digests of a statement's elements, by the statement's digest
# (Report.statement_elements_of): none for a statement rolelint has none of.
ElementsOf = Callable[[str], tuple[str, ...]]


def baseline_document(
    findings: Iterable[Finding],
    version: str,
    root: str | None = None,
    statement_of: Callable[[Finding], str | None] = lambda _: None,
    elements_of: ElementsOf = lambda _: (),
) -> dict[str, Any]:
    """What ``--write-baseline`` writes: sorted, so the file diffs well when re-recorded.  Each
    file is named from the project's ``root``, as its fingerprint names it
    (rolelint.project_paths): the same from whichever folder the baseline is recorded.
    ``statement_of`` gives the digest of the statement a finding is in (Report.statement_digest),
    recorded when there is one, and ``elements_of`` those of a statement's elements, recorded
    once per statement the entries name (``elements``); never the line, which would change the
    file at every line inserted above a finding."""
    entries = sorted(
        (
            _entry(finding, root, statement_of(finding))
            for finding in findings
            if finding.suppression is None
        ),
        key=lambda entry: (
            entry["file"],
            entry["rule_id"],
            entry["resource"],
            entry["fingerprint"],
            entry.get("statement", ""),
        ),
    )
    document: dict[str, Any] = {
        "tool": "rolelint",
        "format": FORMAT_VERSION,
        "rolelint_version": version,
        "findings": entries,
    }
    elements = _element_table(entries, elements_of)
    if elements:
        document["elements"] = elements
    return document


def _entry(finding: Finding, root: str | None, statement: str | None) -> dict[str, Any]:
    """One finding as the baseline records it."""
    entry: dict[str, Any] = {
        "fingerprint": finding.fingerprint,
        "rule_id": finding.rule_id,
        "file": project_path(finding.file, root),
        "resource": finding.resource,
        "message": finding.message,
    }
    if statement is not None:
        entry["statement"] = statement
    return entry


def _element_table(entries: list[dict[str, Any]], elements_of: ElementsOf) -> dict[str, list[str]]:
    """The elements of each statement the entries name, by its digest, sorted: a statement's
    elements are its text's, as its digest is, so one list stands for every entry naming it
    (a statement has a finding for each of its resources, each of which listed them all)."""
    named = sorted({entry["statement"] for entry in entries if "statement" in entry})
    table = {statement: list(elements_of(statement)) for statement in named}
    return {statement: elements for statement, elements in table.items() if elements}


def write_baseline(
    path: str,
    findings: Iterable[Finding],
    version: str,
    root: str | None = None,
    statement_of: Callable[[Finding], str | None] = lambda _: None,
    elements_of: ElementsOf = lambda _: (),
) -> int:
    """Write the baseline; the number of findings recorded."""
    document = baseline_document(findings, version, root, statement_of, elements_of)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # A file name that is not UTF-8 holds a lone surrogate (``caf\\udce9.json``) that UTF-8
    # cannot encode: it is written as the JSON escape ``\\udce9``, which reads back as the same
    # name.  The text is whole before the file is opened, so a failure leaves no half a file.
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
        handle.write(text)
    return len(document["findings"])


@dataclass(frozen=True, slots=True)
class Entry:
    """One recorded finding: its fingerprint, the rule and file it was of (when named), and the
    digests of the statement it was in and of its elements (when recorded)."""

    fingerprint: str
    rule_id: str | None = None
    file: str | None = None
    resource: str | None = None
    statement: str | None = None
    elements: frozenset[str] = frozenset()


def read_baseline(path: str) -> list[Entry]:
    """The findings the baseline records, in its order."""
    from rolelint.reading import read_settings_text

    text, problem = read_settings_text(path)
    if problem is not None:
        where = f"{path}:{problem.line}" if problem.line else path
        reason = problem.message.removeprefix("cannot read file: ")
        raise BaselineError(f"{where}: cannot read the baseline: {reason}")
    assert text is not None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not a rolelint baseline (invalid JSON: {error})") from None
    except RecursionError:  # json's C decoder recurses once per level of nesting
        raise BaselineError(f"{path}: not a rolelint baseline (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("tool") != "rolelint":
        raise BaselineError(f'{path}: not a rolelint baseline (no "tool": "rolelint")')
    _check_format(path, document.get("format", FORMAT_VERSION))
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries
    ):
        raise BaselineError(f"{path}: not a rolelint baseline (findings need fingerprints)")
    table = _read_element_table(document.get("elements"))
    return [
        Entry(
            entry["fingerprint"],
            _text(entry.get("rule_id")),
            _text(entry.get("file")),
            _text(entry.get("resource")),
            _text(entry.get("statement")),
            _elements(entry, table),
        )
        for entry in entries
    ]


def _check_format(path: str, version: object) -> None:
    """A baseline of a format this rolelint does not know is an error, never read as if it
    were format 1: a newer rolelint may record findings differently (other fingerprints), and
    reading its file here would silently match nothing, or the wrong findings.  A baseline
    without ``format`` (written by hand) is read as format 1, as before."""
    if isinstance(version, int) and not isinstance(version, bool):
        if version == FORMAT_VERSION:
            return
        if version > FORMAT_VERSION:
            raise BaselineError(
                f"{path}: baseline format {version} is newer than this rolelint reads "
                f"(format {FORMAT_VERSION}): upgrade rolelint, or record the baseline again "
                "with --write-baseline"
            )
    shown = json.dumps(version)[:40]
    raise BaselineError(
        f"{path}: not a rolelint baseline (unknown format {shown}; this rolelint writes "
        f"format {FORMAT_VERSION}): record it again with --write-baseline"
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _read_element_table(value: object) -> dict[str, frozenset[str]]:
    """The baseline's ``elements``: the texts of the list of each statement's digest.  Each is
    one set, which every entry naming the statement shares.  Anything else is ignored, as an
    entry's ``elements`` that is no list is (matched as one recorded without them)."""
    if not isinstance(value, dict):
        return {}
    return {
        statement: _texts(elements)
        for statement, elements in value.items()
        if isinstance(elements, list)
    }


def _elements(entry: dict[str, Any], table: dict[str, frozenset[str]]) -> frozenset[str]:
    """The elements of an entry's statement: its own ``elements``, as rolelint wrote them in
    each entry before, else those the baseline's ``elements`` records for its ``statement``.
    Only beside its ``statement``, which they stand in for once edited (an entry whose
    ``statement`` was taken out, by hand, is matched in report order, as one recorded before
    either was kept)."""
    statement = _text(entry.get("statement"))
    if statement is None:
        return frozenset()
    value = entry.get("elements")
    if isinstance(value, list):
        return _texts(value)
    return table.get(statement, frozenset())


def _texts(items: list[Any]) -> frozenset[str]:
    return frozenset(item for item in items if isinstance(item, str))


@dataclass(frozen=True)
class Applied:
    findings: list[Finding]
    matched: int  # findings the baseline accepted
    # Entries no finding matched any more (fixed, or changed), among those the run could have
    # matched (see the module's docstring).
    gone: int
    # Entries of a policy file a run of some files read in another role than recorded (on its
    # own, when no module was found reading it): neither matched nor gone.
    elsewhere: int = 0
    # The other entries no finding matched: of a rule the run did not judge or a file it did
    # not read (or naming neither), about which the run says nothing.
    unseen: int = 0


def apply_baseline(
    findings: Iterable[Finding],
    recorded: Iterable[Entry],
    path: str,
    scope: RunScope,
    root: str | None = None,
    statement_of: Callable[[Finding], str | None] = lambda _: None,
    elements_of: ElementsOf = lambda _: (),
) -> Applied:
    """Findings the baseline records, suppressed (as many of each fingerprint as it recorded).

    Which findings of a fingerprint those are: first the one in the statement each entry
    recorded (``statement_of`` gives the digest of a finding's), then, for an entry whose
    statement is in none (edited), the one whose statement shares most of its elements
    (``elements_of`` gives a statement's, by its digest), then, for the entries left, the
    first in report order (see the module's docstring).

    An entry's file is named from the project's ``root`` (as baseline_document wrote it): it
    is named as this run names it before the scope is asked whether the run could have seen
    it, or a run from a subfolder looked for ``infra/a.yaml`` in ``infra/`` and said every
    entry no longer occurred."""
    findings = list(findings)
    entries = list(recorded)
    accepted, unmatched = _matched(findings, entries, statement_of, elements_of)
    if unmatched and any(finding.earlier_fingerprints for finding in findings):
        accepted, unmatched = _matched_earlier(
            findings, unmatched, accepted, statement_of, elements_of
        )
    reason = Suppression(EXTERNAL, f"in the baseline {path}", recorded=True)
    result = [
        replace(finding, suppression=reason) if index in accepted else finding
        for index, finding in enumerate(findings)
    ]
    gone = elsewhere = unseen = 0
    names = RunNames(root, scope.files)
    for entry in unmatched:
        if entry.rule_id is None or entry.file is None:
            unseen += 1
            continue
        absence = scope.absence(entry.rule_id, names.name(entry.file), entry.resource)
        elsewhere += absence is Absence.ELSEWHERE
        gone += absence is Absence.GONE
        unseen += absence is Absence.UNSEEN
    return Applied(result, len(accepted), gone, elsewhere, unseen)


def _matched(
    findings: list[Finding],
    entries: list[Entry],
    statement_of: Callable[[Finding], str | None],
    elements_of: ElementsOf,
) -> tuple[set[int], list[Entry]]:
    """The indexes of the findings the entries match, and the entries that match none.

    An entry with a statement's digest first takes the first finding of its fingerprint in
    that statement's text; one left with its statement's elements, the finding left whose
    statement is nearest to it (_nearest_statements).  The entries left then take the first
    findings of their fingerprint in report order, as many as there are of them; of those that
    find none, the first in the baseline's order are the ones counted unmatched (any of them
    would do: one fingerprint is one rule, file and resource)."""
    open_by_fingerprint: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        if finding.suppression is None:
            open_by_fingerprint.setdefault(finding.fingerprint, []).append(index)
    in_statement: dict[tuple[str, str], deque[int]] = {}
    if any(entry.statement is not None for entry in entries):
        for fingerprint, indexes in open_by_fingerprint.items():
            for index in indexes:
                statement = statement_of(findings[index])
                if statement is not None:
                    in_statement.setdefault((fingerprint, statement), deque()).append(index)
    accepted: set[int] = set()
    left: list[Entry] = []
    for entry in entries:
        candidates = in_statement.get((entry.fingerprint, entry.statement or ""))
        if entry.statement is not None and candidates:
            accepted.add(candidates.popleft())
        else:
            left.append(entry)
    if any(entry.elements for entry in left):
        left = _nearest_statements(
            findings, left, open_by_fingerprint, accepted, statement_of, elements_of
        )
    remaining = Counter(entry.fingerprint for entry in left)
    for fingerprint, indexes in open_by_fingerprint.items():
        for index in indexes:
            if remaining[fingerprint] > 0 and index not in accepted:
                remaining[fingerprint] -= 1
                accepted.add(index)
    unmatched: list[Entry] = []
    for entry in left:
        if remaining[entry.fingerprint] > 0:  # one unmatched entry per count left
            remaining[entry.fingerprint] -= 1
            unmatched.append(entry)
    return accepted, unmatched


def _matched_earlier(
    findings: list[Finding],
    entries: list[Entry],
    accepted: set[int],
    statement_of: Callable[[Finding], str | None],
    elements_of: ElementsOf,
) -> tuple[set[int], list[Entry]]:
    """``accepted`` with the findings the ``entries`` no fingerprint matched match by one they
    had before (Finding.earlier_fingerprints), and the entries left.

    A finding that stands for several of before (a boundary two roles hold, judged once per
    role until it was one finding) matches one entry of each of its earlier fingerprints, as
    many as those findings would have: the entries of one finding, not one new and the others
    gone.  It is matched as :func:`_matched` matches, each earlier fingerprint of each finding
    standing for a finding of that fingerprint; those of the findings no entry matched yet
    first, so that an entry suppresses a finding before it is only counted with another.  An
    entry counted with a finding the baseline accepted already is neither gone nor new: it
    recorded the same finding."""
    standing: list[Finding] = []
    of: list[int] = []  # the index of the finding each of ``standing`` stands for
    for index in sorted(range(len(findings)), key=lambda index: index in accepted):
        finding = findings[index]
        for earlier in finding.earlier_fingerprints:
            standing.append(replace(finding, fingerprint=earlier))
            of.append(index)
    taken, left = _matched(standing, entries, statement_of, elements_of)
    return accepted | {of[index] for index in taken}, left


# At most this many pairs of an entry and a finding of one fingerprint are compared by their
# statements' elements; past it, report order decides, as it did.
_MOST_PAIRS = 10_000


def _nearest_statements(
    findings: list[Finding],
    entries: list[Entry],
    open_by_fingerprint: dict[str, list[int]],
    accepted: set[int],
    statement_of: Callable[[Finding], str | None],
    elements_of: ElementsOf,
) -> list[Entry]:
    """Give each entry whose statement matched none (edited) the finding of its fingerprint,
    not yet accepted (added to ``accepted``), whose statement shares most of its statement's
    elements, as a share of all the elements of both; the nearest pairs first, ties in report
    order, then in the baseline's.  The entries given none, in their order.

    How near two statements are is reckoned once per pair of statements, not per pair of an
    entry and a finding: a statement edited since holds every finding of the entries naming
    it, and each compared its thousands of elements again."""
    by_fingerprint: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        if entry.elements:
            by_fingerprint.setdefault(entry.fingerprint, []).append(position)
    given: set[int] = set()
    statements: dict[str, frozenset[str]] = {}  # the elements of each, by its digest
    near: dict[tuple[frozenset[str], str], Fraction] = {}
    for fingerprint, positions in by_fingerprint.items():
        candidates = [i for i in open_by_fingerprint.get(fingerprint, ()) if i not in accepted]
        if len(positions) * len(candidates) > _MOST_PAIRS:
            continue
        in_statement = [(index, statement_of(findings[index])) for index in candidates]
        pairs: list[tuple[Fraction, int, int]] = []
        for position in positions:
            recorded = entries[position].elements
            for index, statement in in_statement:
                if statement is None:
                    continue
                if (recorded, statement) not in near:
                    if statement not in statements:
                        statements[statement] = frozenset(elements_of(statement))
                    near[recorded, statement] = _nearness(recorded, statements[statement])
                nearness = near[recorded, statement]
                if nearness:
                    pairs.append((-nearness, index, position))
        for _, index, position in sorted(pairs):
            if index not in accepted and position not in given:
                accepted.add(index)
                given.add(position)
    return [entry for position, entry in enumerate(entries) if position not in given]


def _nearness(recorded: frozenset[str], found: frozenset[str]) -> Fraction:
    """How many elements two statements share, as a share of all the elements of both."""
    shared = len(recorded & found)
    return Fraction(shared, len(recorded | found)) if shared else Fraction(0)


def unjudged_entries(
    path: str, findings: Iterable[Finding], scope: RunScope, root: str | None = None
) -> int:
    """How many entries of the baseline file ``path`` recording ``findings`` again drops though
    the run could not have made their findings (their files not read, their rules not run, or
    their policy read in another role; see :func:`apply_baseline`): ``cd infra && rolelint
    check --write-baseline ../.rolelint-baseline.json`` silently dropped every entry of the
    rest of the repository.  0 when there is no such file, or it is no baseline (it is
    overwritten all the same, as before)."""
    try:
        recorded = read_baseline(path)
    except BaselineError:
        return 0
    applied = apply_baseline(findings, recorded, path, scope, root)
    return applied.unseen + applied.elsewhere
