"""What a run produces: findings, input errors and the report that reporters render.

Reporters depend on this module only; they know nothing of parsers or rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from rolelint.scope import RunScope
from rolelint.source import SourceRef


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: lets ``--fail-on`` compare severities."""
        return _RANKS[self]


_RANKS = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


@dataclass(frozen=True, slots=True)
class PathHop:
    """One step of a chaining path: a principal or role and where it is defined.

    A party outside the code (a service, an identity provider, another account) is defined
    nowhere: its ``file`` is "" and its ``line`` 0, and reporters show it
    without a location.
    """

    node: str
    file: str
    line: int
    # The assume-role graph's id of the hop (neither reported nor compared): what tells apart
    # two hops of the same name and place, the instances of one module two Terraform roots call.
    node_id: str = field(default="", compare=False)

    @property
    def placed(self) -> bool:
        """Whether the hop is defined in a file."""
        return bool(self.file)

    def where(self) -> str:
        """``file:line``, ``file`` without a line, or "" for a hop defined nowhere."""
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line >= 1 else self.file


class HolderKey(NamedTuple):
    """Which role (or user, seen as one) a finding is on, where its id alone does not say: ids
    are unique per file or Terraform module instance, not across them.  A module two roots call
    is one block made into two roles of one file, address and position, which the root folder
    of each (``Role.root``) tells apart, as the assume-role graph's ids do; the position tells
    a role from a user of the same name in one account export."""

    file: str
    line: int
    column: int
    id: str
    root: str | None


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is accepted: written next to the resource (``in_source``) or recorded
    outside the code (``external``: a configuration file's per-path ignore, a baseline).

    A suppressed finding stays in the report, visible with its reason, and does not count for
    the exit code.  ``kind`` uses SARIF's words, so reporters pass it through unchanged.
    """

    kind: str  # "inSource" or "external"
    reason: str
    expires: str | None = None  # ISO date after which the suppression no longer applies
    where: SourceRef | None = None  # where it is written, when that is a file of the scan
    # A baseline recorded the finding: it was there before this run.  Of findings that share a
    # fingerprint (the same risk twice in one resource) it is the one that keeps the identity a
    # CI service knows it by (rolelint.reporters.common.UniqueFingerprints), the others are new.
    recorded: bool = False


IN_SOURCE = "inSource"
EXTERNAL = "external"


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule: str
    rule_class: str
    severity: Severity
    message: str
    location: SourceRef
    resource: str
    role: str | None
    fingerprint: str
    path: tuple[PathHop, ...] = ()
    suppression: Suppression | None = None
    # The roles ``role`` names, one by one (it joins several with ", ", and a Terraform key may
    # hold ", " too): what a suppression on one role is matched against, and whose rows the
    # audit views count the finding on.  Left out, it is ``role`` alone.
    roles: tuple[str, ...] = ()
    # The very holders it is on (neither reported nor compared): the instances of one module
    # two roots call share its ``roles``, and only one of them may hold what it is about.  Empty
    # when the rule names none (a chaining finding's path names its start's graph node).
    holders: frozenset[HolderKey] = field(default=frozenset(), compare=False)
    # The root module folders of the instances it is on, of a module several scanned roots call:
    # their address, file and line are the same in each, so only these say which it is (its
    # message ends with them, JSON has them as ``roots``).  Empty for every other finding.
    roots: tuple[str, ...] = ()
    # The fingerprints it had before, each of which a baseline recorded then may hold (neither
    # reported nor compared): those of the copies of a permissions boundary each of its
    # holders had, judged one by one until one finding stood for them all
    # (rolelint.checks.base.on_text_of).  rolelint.baseline matches them when the fingerprint
    # matches no entry.
    earlier_fingerprints: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.roles and self.role:
            object.__setattr__(self, "roles", (self.role,))

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def every_role(self) -> tuple[str, ...]:
        """The ids of every role it is on, each once: those it names (``roles``), then those of
        the holders it carries that it does not name.  A finding ``check`` merges for the
        instances of a module one root calls twice names the first (``module.a...``, "also as
        module.b...") and carries the holders of each: the audit views count it, and name it,
        on every one."""
        named = dict.fromkeys(self.roles)
        named.update(dict.fromkeys(sorted(holder.id for holder in self.holders)))
        return tuple(named)

    @property
    def file(self) -> str:
        return self.location.file

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.location.line, self.location.column, self.rule_id, self.message)


@dataclass(frozen=True, slots=True)
class InputError:
    """A problem with the input (exit code 2): a file that could not be read or parsed, whose
    roles are then unknown, or a mistake in a file that was analyzed (an invalid suppression, a
    malformed entry of an account export).  Other files are still analyzed."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.message)


@dataclass(slots=True)
class Report:
    """The result of one run, ready for any reporter."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    # What was deliberately not read (a registry module): said once, not an error.
    notices: list[InputError] = field(default_factory=list)
    files_analyzed: int = 0
    # The names of the files analyzed (in part, when they also have errors): a file with an
    # error that is not among them could not be read or parsed.
    analyzed_files: set[str] = field(default_factory=set)
    # The other files the run read: those of the Terraform modules the scanned folders call,
    # those read with file(), and the tfvars files parsed on their own (prod.tfvars), though
    # skipped (real paths).
    read_files: set[str] = field(default_factory=set)
    files_skipped: int = 0
    # Why files were skipped (reason -> count): nothing is left out without saying so.
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    roles: int = 0
    # The files analyzed whole and the rules judged: where an absent finding means none (a
    # baseline entry no longer matched, a suppression unused; see rolelint.scope).
    scope: RunScope = field(default_factory=RunScope)
    # The errors that are invalid suppressions (among ``errors``): ``check`` fails on them
    # (exit 2); the audit commands, views and not gates, print them and exit 0 (CONTRACT).
    suppression_errors: set[InputError] = field(default_factory=set)
    # The source text of each line a finding points at, so reporters can show it.
    snippets: dict[tuple[str, int], str] = field(default_factory=dict)
    # A digest of the text of the policy statement a finding is in, by its file, line and
    # column (rolelint.statement_digests): what tells apart, for a baseline, findings that share
    # a fingerprint.  A finding in no statement has none.
    statement_digests: dict[tuple[str, int, int], str] = field(default_factory=dict)
    # The digests of the elements of each of those statements, by the statement's digest: what
    # finds it again, for a baseline, once it is edited.  Kept once per statement, which its
    # findings share (a statement of thousands of resources has a finding on each).
    statement_elements: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def statement_digest(self, finding: Finding) -> str | None:
        """The digest of the text of the statement ``finding`` is in (None: in none)."""
        location = finding.location
        return self.statement_digests.get((location.file, location.line, location.column))

    def statement_elements_of(self, statement: str) -> tuple[str, ...]:
        """The digests of the elements of the statement of digest ``statement`` (none when no
        finding is in it, or it has none)."""
        return self.statement_elements.get(statement, ())

    def skip(self, reason: str) -> None:
        self.files_skipped += 1
        self.skipped_by_reason[reason] = self.skipped_by_reason.get(reason, 0) + 1

    @property
    def files_failed(self) -> int:
        """The files that could not be read or parsed: an invalid suppression in a file that
        was analyzed is an error (exit code 2), but the file did not fail."""
        return len(self.unread_files())

    def unread_files(self) -> set[str]:
        """The files with an error that were not analyzed at all."""
        return {error.file for error in self.errors} - self.analyzed_files

    def failed_reading(self) -> bool:
        """Whether an input could not be read or parsed (in whole or in part): the audit
        commands' exit code 2.  An invalid suppression alone is not such a failure."""
        return any(error not in self.suppression_errors for error in self.errors)

    def input_files(self) -> set[str]:
        """The files the run read: those analyzed, those that failed, the files of the
        Terraform modules they call, the policies read with file() and the tfvars files
        checked alone.  Not the files skipped as no template: a report a former run wrote into
        the scanned folder is one, and is written again."""
        return self.analyzed_files | self.read_files | {error.file for error in self.errors}

    @property
    def active_findings(self) -> list[Finding]:
        """The findings that count: every finding but the suppressed ones."""
        return [finding for finding in self.findings if finding.suppression is None]

    @property
    def suppressed_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppression is not None]

    def counts_by_severity(self) -> dict[str, int]:
        """Active findings by severity (suppressed ones are counted apart)."""
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.active_findings:
            counts[finding.severity.value] += 1
        return counts
