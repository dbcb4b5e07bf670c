"""What several CI formats share: the project's addresses, how a scanned path is named, where
a finding ends and how each result gets a fingerprint of its own.

CI services (code scanning, annotations, merge-request widgets) match a reported file against
the checkout by its path relative to the repository root, written with forward slashes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rolelint.reporters.json_report import end_of

if TYPE_CHECKING:
    from rolelint.findings import Finding

PROJECT_URL = "https://github.com/rolelint/rolelint"
# Rule ids are never reused, so an anchor on the default branch keeps pointing at the right rule.
RULES_DOC_URL = PROJECT_URL + "/blob/main/docs/rules.md"


# Whether ``\`` separates folders here, as on Windows.  Elsewhere it is a character a file name
# may hold (``a\b.yaml`` on Linux is one file, not ``b.yaml`` in a folder ``a``).
BACKSLASH_SEPARATES = "\\" in (os.sep, os.altsep)


def repo_path(path: str) -> str:
    """The path as scanned, with forward slashes and without leading ``./`` segments.

    Scanning ``.`` yields ``./a.yaml``, which names the checkout's ``a.yaml``: services compare
    paths as strings, so the ``./`` would make them miss the file.  Absolute paths stay absolute
    (no service can map them; saying where the file was is still better than dropping it).
    A backslash becomes a slash only where it separates folders (:data:`BACKSLASH_SEPARATES`).
    """
    posix = path.replace("\\", "/") if BACKSLASH_SEPARATES else path
    while posix.startswith("./"):
        posix = posix[2:].lstrip("/")  # ".//a.yaml" is "a.yaml", not the absolute "/a.yaml"
    return posix


def rule_doc_url(rule_id: str) -> str:
    """The rule's section of docs/rules.md (GitHub makes ``## RL101`` the anchor ``#rl101``)."""
    return f"{RULES_DOC_URL}#{rule_id.lower()}"


def last_line(finding: Finding) -> tuple[int, int | None]:
    """The last line the finding covers, and the column just after it ends there (None: at the
    end of that line).

    A span's end is exclusive, as in the JSON report: a YAML block (a statement, a resource)
    ends at column 1 of the line after its last one, a line that may not even exist when the
    block ends the file.  CI services read an end line as the last line marked, so they must be
    given the line before: the next statement's line, or a line past the end of the file, would
    be marked too.
    """
    end_line, end_column = end_of(finding)
    if end_column == 1 and end_line > finding.location.line:
        return end_line - 1, None
    return end_line, end_column


class UniqueFingerprints:
    """Hands out each fingerprint once, in report order: a repeat gets a hash of the original
    and a counter, the first keeps the original.

    A finding's fingerprint is shared on purpose by the same risk twice in one resource (two
    identical statements): the baseline counts its occurrences.  A service that matches results
    by fingerprint (GitLab, a SARIF result manager) would take them for one and show one.  The
    first keeps the fingerprint it always had, so its alert or issue stays the same one; but
    when a baseline recorded one of them (``Suppression.recorded``), that one was there before
    and keeps it (:meth:`for_findings`): a repeat written above it is the new one, and taking
    its alert would have moved the alert (and whatever was decided about it) onto the new risk.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()
        # The repeat number each base was last given at: the next repeat starts there, as
        # every number below it is taken (what is seen stays seen).  Counting from 2 each time
        # hashed 1 + 2 + ... + n times for n findings of one fingerprint: 25,000 took 200 s.
        self._repeats: dict[str, int] = {}

    def for_findings(self, findings: Sequence[Finding]) -> list[str]:
        """Each finding's own fingerprint, in their order: of the findings that share one, the
        first the baseline recorded keeps it, or else the first; the others get repeats, in
        report order."""
        keepers: dict[str, int] = {}
        for index, finding in enumerate(findings):
            kept = keepers.get(finding.fingerprint)
            if kept is None or (_recorded(finding) and not _recorded(findings[kept])):
                keepers[finding.fingerprint] = index
        given: dict[int, str] = {
            index: self.unique(findings[index].fingerprint) for index in sorted(keepers.values())
        }
        return [
            given[index] if index in given else self.unique(finding.fingerprint)
            for index, finding in enumerate(findings)
        ]

    def unique(self, base: str) -> str:
        """``base``, or else its first repeat (``base``, the number, hashed) not given yet."""
        candidate, repeat = base, self._repeats.get(base, 1)
        while candidate in self._seen:
            repeat += 1
            material = f"{base}\x1f{repeat}".encode()
            candidate = hashlib.sha256(material).hexdigest()[:32]
        self._seen.add(candidate)
        self._repeats[base] = repeat
        return candidate


def _recorded(finding: Finding) -> bool:
    """Whether a baseline recorded the finding (it was there before this run)."""
    return finding.suppression is not None and finding.suppression.recorded
