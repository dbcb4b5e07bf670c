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


_GROUP_AS_PRINCIPAL = """\
Parameters:
  TeamName: {Type: String}
Resources:
  Team:
    Type: AWS::IAM::Group
    Properties:
      Path: /teams/
NAME
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Team.Arn}, Action: sts:AssumeRole}
"""


def test_a_name_not_resolved_keeps_the_fingerprint_of_its_generated_stand_in(
    tmp_path: Path,
) -> None:
    """RL111's fingerprint holds the principal's ARN, and with it the stand-in of a name
    rolelint does not know.  A name set from a parameter without a default had a generated
    name's stand-in; it has its own now, so that messages stop calling it generated, but a
    baseline recorded before must still know the finding: its fingerprint is the one the
    generated stand-in gives (a written name gives another, so the name is hashed)."""
    path = tmp_path / "template.yaml"

    def fingerprint(name: str) -> str:
        path.write_text(_GROUP_AS_PRINCIPAL.replace("NAME", name))
        [finding] = lint_paths([str(path)]).findings
        assert finding.rule_id == "RL111"
        return finding.fingerprint

    unresolved = fingerprint("      GroupName: !Ref TeamName")
    assert unresolved == fingerprint("")  # no GroupName: CloudFormation generates it
    assert unresolved != fingerprint("      GroupName: team")
