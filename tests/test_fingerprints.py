"""Every finding's fingerprint names it alone, over every fixture and the real-world corpus.

Code scanning (``partialFingerprints``), GitLab and the baseline know a finding by its
fingerprint: two different findings sharing one are folded into one alert, and fixing one of
them looks like fixing both.  A fingerprint leaves out the line, so that it survives inserted
lines, and must therefore name everything else that tells findings apart: the rule, the file,
the resource and role, and the offending content, down to the element of the statement that
grants it (rolelint.engine.fingerprint, each check's ``Hit.key``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import FIXTURES


def _place(finding: Finding) -> tuple[object, ...]:
    """The same finding: one rule at one place (module instances of it are one finding)."""
    return (finding.rule_id, finding.file, finding.location.line, finding.location.column)


def _reading(finding: Finding) -> tuple[object, ...]:
    """The same risk written twice in one resource reads the same at two places: it shares its
    fingerprint on purpose, and the baseline counts it (tests/test_baseline.py)."""
    return (finding.rule_id, finding.file, finding.resource, finding.role, finding.message)


def _shared_fingerprints(path: Path) -> list[str]:
    """Each fingerprint that different findings of one run over ``path`` share, described."""
    by_fingerprint: dict[str, list[Finding]] = defaultdict(list)
    for finding in lint_paths([str(path)]).findings:
        by_fingerprint[finding.fingerprint].append(finding)
    return [
        fingerprint
        + "".join(
            f"\n  {f.file}:{f.location.line}:{f.location.column} {f.rule_id} {f.message}"
            for f in group
        )
        for fingerprint, group in sorted(by_fingerprint.items())
        if len({_place(f) for f in group}) > 1 and len({_reading(f) for f in group}) > 1
    ]


def test_no_two_findings_of_the_fixtures_share_a_fingerprint() -> None:
    """fixtures/examples/app-server.yaml: RL207 on `NotAction: iam:*` (line 35) and on
    `Action: sts:AssumeRole` (line 38), both on '*' in one policy, had one fingerprint."""
    assert _shared_fingerprints(FIXTURES) == []


def test_no_two_findings_of_the_corpus_share_a_fingerprint(corpus: Path) -> None:
    assert _shared_fingerprints(corpus) == []
