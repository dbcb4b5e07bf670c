"""Adopting rolelint with a baseline: recorded findings stay matched through inserted lines and
reformatting, and become new when what makes them risky changes."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_rolelint

TEMPLATE = """\
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
"""
# The same role, moved down by a header and written in flow style: the same risks.
REFORMATTED = """\
# Reporting stack (owned by the data team).
AWSTemplateFormatVersion: "2010-09-09"
Description: reports

Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17",
        Statement: [{Effect: Allow, Principal: "*", Action: "sts:AssumeRole"}]}
      MaxSessionDuration: 7200
"""


def run(root: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    result = run_rolelint("check", "t.yaml", "-f", "json", *args, cwd=root)
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.returncode, report, result.stderr


def active(report: dict[str, Any]) -> list[tuple[str, int]]:
    return [(f["rule_id"], f["line"]) for f in report["findings"] if "suppressed" not in f]


def adopt(tmp_path: Path, text: str = TEMPLATE) -> Path:
    (tmp_path / "t.yaml").write_text(text)
    (tmp_path / ".rolelint.yaml").write_text("max-session-duration: 3600\n")
    code, report, stderr = run(tmp_path, "--write-baseline", "baseline.json")
    assert code == 0, stderr
    assert "recorded 2 findings in baseline.json" in stderr
    assert sorted(active(report)) == [("RL101", 10), ("RL305", 5)]  # still shown when written
    return tmp_path


def test_the_baseline_file(tmp_path: Path) -> None:
    document = json.loads((adopt(tmp_path) / "baseline.json").read_text())
    assert document["tool"] == "rolelint" and document["format"] == 1
    assert [entry["rule_id"] for entry in document["findings"]] == ["RL101", "RL305"]
    assert all(len(entry["fingerprint"]) == 32 for entry in document["findings"])


def test_recorded_findings_no_longer_fail_the_run(tmp_path: Path) -> None:
    root = adopt(tmp_path)
    code, report, _ = run(root, "--baseline", "baseline.json")
    assert code == 0
    assert active(report) == []
    assert {f["suppressed"]["kind"] for f in report["findings"]} == {"external"}
    assert report["findings"][0]["suppressed"]["reason"] == "in the baseline baseline.json"


def test_inserted_lines_and_reformatting_keep_findings_matched(tmp_path: Path) -> None:
    root = adopt(tmp_path)
    (root / "t.yaml").write_text(REFORMATTED)
    code, report, _ = run(root, "--baseline", "baseline.json")
    assert len(report["findings"]) == 2  # the same two, at other lines
    assert (code, active(report), report["notices"]) == (0, [], [])


def test_changing_the_risky_content_makes_a_finding_new(tmp_path: Path) -> None:
    root = adopt(tmp_path)
    (root / "t.yaml").write_text(TEMPLATE.replace("7200", "14400"))
    code, report, _ = run(root, "--baseline", "baseline.json")
    assert code == 1
    assert active(report) == [("RL305", 5)]  # a longer session is a new risk
    [note] = report["notices"]
    assert note["file"] == "baseline.json" and note["message"].startswith("1 finding of the")


SHARED_POLICY = """\
Resources:
  RoleA:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  RoleB:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref RoleA]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::b/*"}
"""


def test_a_recorded_policy_attached_to_one_more_role_is_new(tmp_path: Path) -> None:
    """The fingerprint names the roles a finding concerns (docs/configuration.md): the risk
    now reaches RoleB too."""
    (tmp_path / "t.yaml").write_text(SHARED_POLICY)
    assert run(tmp_path, "--select", "RL202", "--write-baseline", "b.json")[0] == 0
    code, report, _ = run(tmp_path, "--select", "RL202", "--baseline", "b.json")
    assert (code, active(report)) == (0, [])
    (tmp_path / "t.yaml").write_text(
        SHARED_POLICY.replace("[!Ref RoleA]", "[!Ref RoleA, !Ref RoleB]")
    )
    code, report, _ = run(tmp_path, "--select", "RL202", "--baseline", "b.json")
    assert (code, active(report)) == (1, [("RL202", 20)])
    assert report["findings"][0]["role"] == "RoleA, RoleB"


def test_a_second_identical_risk_is_new(tmp_path: Path) -> None:
    root = adopt(tmp_path)
    twice = TEMPLATE + '          - Effect: Allow\n            Principal: "*"\n'
    twice += "            Action: sts:AssumeRole\n"
    (root / "t.yaml").write_text(twice)
    _, report, _ = run(root, "--baseline", "baseline.json")
    fingerprints = {f["fingerprint"] for f in report["findings"] if f["rule_id"] == "RL101"}
    assert len(fingerprints) == 1  # the same risk twice: one fingerprint, counted
    assert active(report) == [("RL101", 13)]  # the baseline recorded one: the second is new


# A role with one statement of ``sqs:*`` per queue: the same risk (RL202) each time, so one
# fingerprint; only the queue of each statement tells them apart.
QUEUE_ROLE = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
"""


def queues(*names: str) -> str:
    """QUEUE_ROLE with a statement of ``sqs:*`` on each queue, in that order."""
    statements = (
        "              - Effect: Allow\n"
        "                Action: sqs:*\n"
        f"                Resource: arn:aws:sqs:us-east-1:111122223333:{name}\n"
        for name in names
    )
    return QUEUE_ROLE + "".join(statements)


def action_line(text: str, queue: str) -> int:
    """The line of the Action of the statement on ``queue`` (the line before its Resource)."""
    lines = text.splitlines()
    return lines.index(f"                Resource: arn:aws:sqs:us-east-1:111122223333:{queue}")


def record_queues(root: Path, *names: str) -> None:
    (root / "t.yaml").write_text(queues(*names))
    code, report, stderr = run(root, "--select", "RL202", "--write-baseline", "b.json")
    assert code == 0 and len(active(report)) == len(names), stderr


def new_after(root: Path, text: str) -> list[tuple[str, int]]:
    """The findings of ``text`` the baseline does not record."""
    (root / "t.yaml").write_text(text)
    code, report, stderr = run(root, "--select", "RL202", "--baseline", "b.json")
    assert code == (1 if active(report) else 0), stderr
    return active(report)


def test_each_entry_records_the_statement_it_was_in(tmp_path: Path) -> None:
    document = json.loads((adopt(tmp_path) / "baseline.json").read_text())
    by_rule = {entry["rule_id"]: entry for entry in document["findings"]}
    statement = by_rule["RL101"]["statement"]  # in the trust policy's statement
    assert len(statement) == 16 and int(statement, 16) >= 0
    assert "statement" not in by_rule["RL305"]  # MaxSessionDuration: in no statement
    assert "line" not in by_rule["RL101"]  # re-recorded, a line would change at every insert


def test_the_documented_baseline_file_is_the_one_written(tmp_path: Path) -> None:
    """docs/configuration.md shows an entry: it has the keys rolelint writes, and reads."""
    docs = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text()
    shown = json.loads(
        docs.split("The baseline file is JSON", 1)[1].split("```json\n")[1].split("```")[0]
    )
    record_queues(tmp_path, "q")
    written = json.loads((tmp_path / "b.json").read_text())
    assert shown.keys() == written.keys()
    assert shown["findings"][0].keys() == written["findings"][0].keys()
    (tmp_path / "b.json").write_text(json.dumps(shown))
    code, _, stderr = run(tmp_path, "--select", "RL202", "--baseline", "b.json")
    assert code == 1, stderr  # read (another file's entry matches nothing here)


def test_a_duplicate_inserted_above_the_recorded_risk_is_the_new_one(tmp_path: Path) -> None:
    """The baseline marked the first finding of the fingerprint in report order as recorded:
    the new statement above, while the untouched old one was reported as new, at its line."""
    record_queues(tmp_path, "q")
    text = queues("q2", "q")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q2"))]


def test_the_recorded_risk_keeps_its_sarif_fingerprint_when_a_duplicate_is_inserted_above(
    tmp_path: Path,
) -> None:
    """SARIF gave the original fingerprint to the first result of it: the new statement above
    took the recorded one's alert, and the recorded one got a new one."""

    def sarif(*args: str) -> dict[int, tuple[str, bool]]:
        result = run_rolelint(
            "check", "t.yaml", "-f", "sarif", "--select", "RL202", *args, cwd=tmp_path
        )
        return {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]: (
                r["partialFingerprints"]["rolelint/v1"],
                "suppressions" in r,
            )
            for r in json.loads(result.stdout)["runs"][0]["results"]
        }

    record_queues(tmp_path, "q")
    [(before, _)] = sarif().values()
    text = queues("q2", "q")
    (tmp_path / "t.yaml").write_text(text)
    after = sarif("--baseline", "b.json")
    assert after[action_line(text, "q")] == (before, True)
    assert after[action_line(text, "q2")][0] != before and not after[action_line(text, "q2")][1]


def test_a_duplicate_inserted_below_the_recorded_risk_is_the_new_one(tmp_path: Path) -> None:
    record_queues(tmp_path, "q")
    text = queues("q", "q2")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q2"))]


def edited(text: str, queue: str) -> str:
    """``text`` with one more action in the statement on ``queue``."""
    resource = f"                Resource: arn:aws:sqs:us-east-1:111122223333:{queue}\n"
    action = "                Action: sqs:*\n"
    assert action + resource in text
    return text.replace(
        action + resource, "                Action: [sqs:*, s3:GetObject]\n" + resource
    )


def test_an_edited_statement_stays_the_recorded_one_beside_a_duplicate_inserted_above(
    tmp_path: Path,
) -> None:
    """Hunt: the recorded statement on q edited (one more action) matches no statement's
    digest, so its entry took the first finding of its fingerprint in report order: a new
    ``sqs:*`` statement on q2 inserted above was taken for the recorded one, and the edited q
    was reported as new.  The statement sharing most of the recorded one's elements (q, not
    q2) is now the recorded one; the inserted one alone is new, above or below."""
    record_queues(tmp_path, "q")
    for text in (edited(queues("q2", "q"), "q"), edited(queues("q", "q2"), "q")):
        assert new_after(tmp_path, text) == [("RL202", action_line(text, "q2"))]
    document = json.loads((tmp_path / "b.json").read_text())
    [entry] = document["findings"]
    # The statement's elements, once, by its digest: Allow, sqs:*, q.
    assert [(statement, len(elements)) for statement, elements in document["elements"].items()] == [
        (entry["statement"], 3)
    ]
    # Recorded before entries kept their statement's elements: report order, as before.
    del document["elements"]
    (tmp_path / "b.json").write_text(json.dumps(document))
    text = edited(queues("q2", "q"), "q")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q"))]


def wide_statement(count: int, condition: str = "") -> str:
    """A role whose one inline statement names ``count`` resources that are no ARNs: RL608 on
    each, every finding in the one statement."""
    names = ", ".join(f"b{n}" for n in range(count))
    return (
        QUEUE_ROLE
        + "              - Effect: Allow\n"
        + "                Action: s3:GetObject\n"
        + condition
        + f"                Resource: [{names}]\n"
    )


def test_a_statement_with_a_finding_on_each_of_its_elements_is_recorded_once(
    tmp_path: Path,
) -> None:
    """Hunt: each entry listed every element of its statement, so a statement of 800
    resources, each not an ARN (RL608 on each), wrote 800 times 800 digests: a 12.6 MiB
    baseline, which --baseline then refused (over the 10 MiB limit, exit 2); 6,000 resources
    wrote 722 MB.  A statement's elements are now recorded once, which its entries name by its
    digest; an edited statement still finds its entries by them."""
    count = 800
    (tmp_path / "t.yaml").write_text(wide_statement(count))
    code, report, stderr = run(tmp_path, "--select", "RL608", "--write-baseline", "b.json")
    assert (code, len(active(report))) == (0, count), stderr
    code, report, stderr = run(tmp_path, "--select", "RL608", "--baseline", "b.json")
    assert code == 0, stderr
    assert (active(report), report["notices"]) == ([], [])
    document = json.loads((tmp_path / "b.json").read_text())
    statements = {entry["statement"] for entry in document["findings"]}
    assert len(statements) == 1 and not any("elements" in e for e in document["findings"])
    assert {s: len(elements) for s, elements in document["elements"].items()} == {
        statements.pop(): count + 2  # Allow, s3:GetObject and each resource
    }
    # A few hundred bytes an entry (it was 800 digests each, 16 KB).
    assert (tmp_path / "b.json").stat().st_size < 1_000 * count
    # A condition added: the statement's text is another, its elements mostly the same.
    condition = "                Condition: {Bool: {aws:SecureTransport: 'true'}}\n"
    (tmp_path / "t.yaml").write_text(wide_statement(count, condition))
    code, report, stderr = run(tmp_path, "--select", "RL608", "--baseline", "b.json")
    assert (code, active(report), report["notices"]) == (0, [], []), stderr


# Baselines written by rolelint as it was at commit 007ea27, when each entry listed the
# elements of its statement itself (see tests/data/README.md).
ENTRY_ELEMENTS = Path(__file__).parent / "data" / "baselines-007ea27"


def test_a_baseline_listing_elements_in_each_entry_is_still_read(tmp_path: Path) -> None:
    """Entries of a baseline rolelint wrote before keep their own ``elements``: the edited
    statement on q stays the recorded one beside a new one on q2 inserted above it."""
    shutil.copytree(ENTRY_ELEMENTS / "queues", tmp_path, dirs_exist_ok=True)
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert "elements" not in recorded and all("elements" in e for e in recorded["findings"])
    shutil.copy(tmp_path / "baseline.json", tmp_path / "b.json")
    assert new_after(tmp_path, queues("q", "r")) == []
    text = edited(queues("q2", "q", "r"), "q")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q2"))]


@pytest.mark.parametrize("table", ["[1]", '{"x": "y"}', '{"x": [1, null]}', "null"])
def test_elements_that_are_not_lists_of_digests_are_ignored(tmp_path: Path, table: str) -> None:
    """The baseline's ``elements`` written otherwise (by hand) is not read, as an entry's own
    ``elements`` that is no list is not: its entries are matched as if recorded without it."""
    record_queues(tmp_path, "q")
    document = json.loads((tmp_path / "b.json").read_text())
    document["elements"] = json.loads(table)
    (tmp_path / "b.json").write_text(json.dumps(document))
    text = edited(queues("q2", "q"), "q")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q"))]


def test_moved_and_reindented_statements_stay_matched(tmp_path: Path) -> None:
    """Recorded q and q2; now q3 first and the other two swapped, the whole file indented
    again: q3 alone is new, wherever it is."""
    record_queues(tmp_path, "q", "q2")
    text = queues("q3", "q2", "q")
    reindented = "\n".join(f"  {line}" if line[:1] == " " else line for line in text.split("\n"))
    assert new_after(tmp_path, reindented) == [("RL202", action_line(text, "q3"))]


def test_deleting_one_of_two_recorded_risks_leaves_the_other_matched(tmp_path: Path) -> None:
    record_queues(tmp_path, "q", "q2")
    (tmp_path / "t.yaml").write_text(queues("q2"))
    code, report, _ = run(tmp_path, "--select", "RL202", "--baseline", "b.json")
    assert (code, active(report)) == (0, [])
    assert [note["message"].split(" (")[0] for note in report["notices"]] == [
        "1 finding of the baseline no longer occurs"
    ]
    # The statement only says which findings are the recorded ones, never how many: the
    # baseline counts, and q3 in the place of q is one of the two it recorded.
    for text in (queues("q3", "q2"), queues("q2", "q3")):
        assert new_after(tmp_path, text) == []
    # A third one is new, wherever it is.
    text = queues("q3", "q2", "q4")
    assert len(new_after(tmp_path, text)) == 1


def test_statements_on_one_line_are_told_apart(tmp_path: Path) -> None:
    """A policy file written on one line: the statements differ by their columns."""

    def policy(*names: str) -> str:
        statements = ", ".join(
            f'{{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:::{name}"}}'
            for name in names
        )
        return f'{{"Version": "2012-10-17", "Statement": [{statements}]}}\n'

    def new_columns(*names: str) -> list[int]:
        (tmp_path / "p.json").write_text(policy(*names))
        result = run_rolelint(
            "check",
            "p.json",
            "-f",
            "json",
            "--select",
            "RL202",
            "--baseline",
            "b.json",
            cwd=tmp_path,
        )
        return [f["column"] for f in json.loads(result.stdout)["findings"] if "suppressed" not in f]

    (tmp_path / "p.json").write_text(policy("q"))
    written = run_rolelint(
        "check", "p.json", "--select", "RL202", "--write-baseline", "b.json", cwd=tmp_path
    )
    assert "recorded 1 finding" in written.stderr, written.stderr
    text = policy("q2", "q")
    assert new_columns("q2", "q") == [text.index('"sqs:*"') + 1]


def test_terraform_statement_blocks_are_told_apart(tmp_path: Path) -> None:
    """A ``statement`` block's span is its first line: the statement's text is read from its
    elements too, or both blocks had the digest of ``statement {``."""

    def module(*names: str) -> str:
        blocks = "".join(
            '  statement {\n    actions   = ["sqs:*"]\n'
            f'    resources = ["arn:aws:sqs:us-east-1:111122223333:{name}"]\n  }}\n'
            for name in names
        )
        return (
            'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({Statement = [{'
            'Effect = "Allow", Principal = {Service = "lambda.amazonaws.com"}, '
            'Action = "sts:AssumeRole"}]})\n}\n'
            f'data "aws_iam_policy_document" "d" {{\n{blocks}}}\n'
            'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
            "  policy = data.aws_iam_policy_document.d.json\n}\n"
        )

    def new_lines() -> list[int]:
        result = run_rolelint(
            "check", "-f", "json", "--select", "RL202", "--baseline", "b.json", cwd=tmp_path
        )
        return [f["line"] for f in json.loads(result.stdout)["findings"] if "suppressed" not in f]

    (tmp_path / "main.tf").write_text(module("q"))
    written = run_rolelint("check", "--select", "RL202", "--write-baseline", "b.json", cwd=tmp_path)
    assert "recorded 1 finding" in written.stderr, written.stderr
    text = module("q2", "q")
    (tmp_path / "main.tf").write_text(text)
    assert new_lines() == [text.splitlines().index('    actions   = ["sqs:*"]') + 1]


def test_a_baseline_without_statements_matches_in_report_order(tmp_path: Path) -> None:
    """Recorded before entries kept their statement (or written by hand): as before, the
    first findings of each fingerprint in report order are the recorded ones."""
    record_queues(tmp_path, "q")
    document = json.loads((tmp_path / "b.json").read_text())
    for entry in document["findings"]:
        del entry["statement"]
    (tmp_path / "b.json").write_text(json.dumps(document))
    text = queues("q2", "q")
    assert new_after(tmp_path, text) == [("RL202", action_line(text, "q"))]


def test_a_baseline_of_the_whole_folder_matches_in_the_pre_commit_hook(tmp_path: Path) -> None:
    # The documented adoption: record with `rolelint check` (the folder "."), then the hook runs
    # `rolelint check t.yaml`.  The walk named the file "./t.yaml", so nothing matched.
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    recorded = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    for named in (["t.yaml"], ["./t.yaml"], [".", "t.yaml"]):
        result = run_rolelint(
            "check", *named, "-f", "json", "--baseline", "baseline.json", cwd=tmp_path
        )
        report = json.loads(result.stdout)
        assert (result.returncode, active(report), report["notices"]) == (0, [], []), named
        assert {f["file"] for f in report["findings"]} == {"t.yaml"}, named


def test_the_configuration_names_the_baseline(tmp_path: Path) -> None:
    root = adopt(tmp_path)
    (root / ".rolelint.yaml").write_text("max-session-duration: 3600\nbaseline: baseline.json\n")
    code, report, _ = run(root)
    assert (code, active(report)) == (0, [])


def test_the_baseline_of_the_configuration_is_named_as_on_the_command_line(
    tmp_path: Path,
) -> None:
    """JSON and SARIF said "in the baseline /home/me/repo/baseline.json": an absolute path,
    which differs on every machine, where --baseline baseline.json said "baseline.json"."""
    root = adopt(tmp_path)
    (root / ".rolelint.yaml").write_text("max-session-duration: 3600\nbaseline: baseline.json\n")
    for args in ([], ["--config", str(root / ".rolelint.yaml")], ["--baseline", "baseline.json"]):
        _, report, _ = run(root, *args)
        reasons = {f["suppressed"]["reason"] for f in report["findings"]}
        assert reasons == {"in the baseline baseline.json"}, args
    sarif = run_rolelint("check", "t.yaml", "-f", "sarif", cwd=root)
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert {r["suppressions"][0]["justification"] for r in results} == {
        "in the baseline baseline.json"
    }
    # From a folder below the configuration's (found above it, as an absolute path).
    nested = root / "sub"
    nested.mkdir()
    command = ("check", "../t.yaml", "-f", "json")
    assert (
        run_rolelint(*command, "--write-baseline", "../baseline.json", cwd=nested).returncode == 0
    )
    (root / "t.yaml").write_text(TEMPLATE.replace("7200", "14400"))
    report = json.loads(run_rolelint(*command, cwd=nested).stdout)
    assert {f["suppressed"]["reason"] for f in report["findings"] if "suppressed" in f} == {
        "in the baseline ../baseline.json"
    }
    assert [n["file"] for n in report["notices"]] == ["../baseline.json"]


def test_the_baseline_path_of_a_configuration(tmp_path: Path, monkeypatch: Any) -> None:
    from rolelint.config import baseline_path

    monkeypatch.chdir(tmp_path)
    assert baseline_path(".rolelint.yaml", "b.json") == "b.json"
    assert baseline_path("./infra/.rolelint.yaml", "./b.json") == os.path.join("infra", "b.json")
    assert baseline_path(str(tmp_path / "x" / ".rolelint.yaml"), "b.json") == os.path.join(
        "x", "b.json"
    )
    assert baseline_path("../.rolelint.yaml", "b.json") == os.path.join("..", "b.json")
    assert baseline_path(".rolelint.yaml", "/srv/b.json") == "/srv/b.json"  # as written


def test_a_file_that_is_no_baseline_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "b.json").write_text('{"findings": []}')
    code, _, stderr = run(tmp_path, "--baseline", "b.json")
    assert code == 2 and 'b.json: not a rolelint baseline (no "tool": "rolelint")' in stderr
    code, _, stderr = run(tmp_path, "--baseline", "missing.json")
    assert code == 2 and "missing.json: cannot read the baseline" in stderr
    code, _, stderr = run(tmp_path, "--baseline", "b.json", "--write-baseline", "c.json")
    assert code == 2 and "exclude each other" in stderr
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    code, _, stderr = run(tmp_path, "--baseline", "deep.json")
    assert code == 2 and "deep.json: not a rolelint baseline (nested too deeply)" in stderr
    assert "internal error" not in stderr
    (tmp_path / "zero.json").symlink_to("/dev/zero")  # read to the end, it never ends
    code, _, stderr = run(tmp_path, "--baseline", "zero.json")
    assert code == 2
    assert "zero.json: cannot read the baseline: not a regular file (a device or a pipe)" in stderr
    (tmp_path / "binary.json").write_bytes(b'{"tool": "rolelint"\x00}')  # no template or policy
    code, _, stderr = run(tmp_path, "--baseline", "binary.json")
    assert code == 2 and "binary.json: cannot read the baseline: binary file, not text\n" in stderr


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            "99",
            "b.json: baseline format 99 is newer than this rolelint reads (format 1): "
            "upgrade rolelint, or record the baseline again with --write-baseline",
        ),
        ('"1"', 'b.json: not a rolelint baseline (unknown format "1"; this rolelint writes'),
        ("true", "b.json: not a rolelint baseline (unknown format true;"),
        ("0", "b.json: not a rolelint baseline (unknown format 0;"),
    ],
)
def test_a_baseline_of_another_format_is_an_error(
    tmp_path: Path, version: str, message: str
) -> None:
    """``"format": 99`` was read as format 1, silently: FORMAT_VERSION was never compared."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "b.json").write_text(f'{{"tool": "rolelint", "format": {version}, "findings": []}}')
    code, _, stderr = run(tmp_path, "--baseline", "b.json")
    assert code == 2 and message in stderr


def test_a_baseline_of_format_1_or_none_is_read(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    for document in (
        '{"tool": "rolelint", "format": 1, "findings": []}',
        '{"tool": "rolelint", "findings": []}',
    ):
        (tmp_path / "b.json").write_text(document)
        code, report, stderr = run(tmp_path, "--baseline", "b.json")
        assert code == 1, stderr
        assert active(report) == [("RL101", 10)]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names there are always Unicode")
def test_a_name_that_is_not_utf8_is_recorded_and_matched(tmp_path: Path) -> None:
    """The name's byte reads as a lone surrogate UTF-8 cannot encode: writing the baseline
    crashed half-way, leaving a file that was no baseline."""
    (tmp_path / os.fsdecode(b"r\xf4le.yaml")).write_text(TEMPLATE)
    (tmp_path / ".rolelint.yaml").write_text("max-session-duration: 3600\n")
    written = run_rolelint("check", ".", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    document = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert {entry["file"] for entry in document["findings"]} == {"r\udcf4le.yaml"}
    result = run_rolelint("check", ".", "-f", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["findings"]) == 2 and active(report) == []


# --- what a partial run says about the entries it did not see ------------------------------------


def notes(root: Path, *args: str) -> list[str]:
    """The notes of ``rolelint check ARGS --baseline baseline.json`` (it must not fail)."""
    result = run_rolelint("check", *args, "-f", "json", "--baseline", "baseline.json", cwd=root)
    assert result.returncode == 0, result.stderr
    return [note["message"].split(" (")[0] for note in json.loads(result.stdout)["notices"]]


def two_files(tmp_path: Path) -> Path:
    """t.yaml (RL101, RL305) and u.yaml (the same risks) recorded from the folder."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "u.yaml").write_text(TEMPLATE.replace("OpenRole", "OtherRole"))
    (tmp_path / ".rolelint.yaml").write_text("max-session-duration: 3600\n")
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert "recorded 4 findings" in written.stderr, written.stderr
    return tmp_path


def test_a_run_of_some_files_counts_only_their_entries(tmp_path: Path) -> None:
    """The pre-commit hook passes the changed files: the entries of the others are not gone
    (it said "2 findings of the baseline no longer occur ... record it again", and recording
    from that run would have dropped them)."""
    root = two_files(tmp_path)
    assert notes(root, "t.yaml") == []
    (root / "t.yaml").write_text(TEMPLATE.replace("      MaxSessionDuration: 7200\n", ""))
    assert notes(root, "t.yaml") == ["1 finding of the baseline no longer occurs"]
    assert notes(root, "u.yaml") == []
    assert notes(root) == ["1 finding of the baseline no longer occurs"]


def test_recording_from_a_run_of_some_files_or_rules_warns_of_the_entries_dropped(
    tmp_path: Path,
) -> None:
    """``cd infra && rolelint check --write-baseline ../baseline.json`` (or a run of some
    files, or some rules) silently dropped the entries of everything the run did not see, and
    they came back as new in the next run: the file is still written as asked, with a warning
    naming how many such entries it no longer records.  Entries the run could judge and no
    longer found (fixed) are dropped without a word, as recording means."""
    root = two_files(tmp_path)
    original = (root / "baseline.json").read_text()
    dropped = "no longer records 2 findings of files this run did not read or rules it did not"
    for args in (["u.yaml"], ["--select", "RL1"]):
        (root / "baseline.json").write_text(original)
        result = run_rolelint("check", *args, "--write-baseline", "baseline.json", cwd=root)
        assert result.returncode == 0, result.stderr
        assert "recorded 2 findings in baseline.json" in result.stderr
        assert f"warning: baseline.json {dropped}" in result.stderr, args
        assert "record the baseline from a run of the whole repository" in result.stderr
    (root / "baseline.json").write_text(original)
    (root / "t.yaml").write_text(TEMPLATE.replace("      MaxSessionDuration: 7200\n", ""))
    fixed = run_rolelint("check", "--write-baseline", "baseline.json", cwd=root)
    assert "recorded 3 findings" in fixed.stderr and "warning" not in fixed.stderr
    repeated = run_rolelint("check", "--write-baseline", "baseline.json", cwd=root)
    assert "warning" not in repeated.stderr


def test_recording_from_a_subfolder_warns_of_the_other_folders_entries(tmp_path: Path) -> None:
    root = _project_with_subfolder(tmp_path)
    (root / "other").mkdir()
    (root / "other" / "v.yaml").write_text(TEMPLATE.replace("OpenRole", "ThirdRole"))
    run_rolelint("check", "--write-baseline", "b.json", cwd=root)
    again = run_rolelint("check", "--write-baseline", "../b.json", cwd=root / "infra")
    assert again.returncode == 0, again.stderr
    assert "recorded 4 findings in ../b.json" in again.stderr
    assert "warning: ../b.json no longer records 2 findings of files" in again.stderr


def test_a_run_of_some_rules_counts_only_their_entries(tmp_path: Path) -> None:
    root = two_files(tmp_path)
    assert notes(root, "--select", "RL1") == []
    assert notes(root, "--ignore", "RL305") == []
    (root / "t.yaml").write_text(TEMPLATE.replace("      MaxSessionDuration: 7200\n", ""))
    assert notes(root, "--select", "RL1") == []
    assert notes(root, "--select", "RL3") == ["1 finding of the baseline no longer occurs"]


# A stack whose pipeline may pass its admin stack role (RL206, at the PassRole resource).
PIPELINE = """\
Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties:
      RoleName: stack-exec
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com},
          Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Pipeline:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: codepipeline.amazonaws.com},
          Action: sts:AssumeRole}]
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Exec.Arn}
              - {Effect: Allow, Action: cloudformation:CreateStack, Resource: "*"}
"""


def test_a_copy_of_a_template_run_alone_matches_its_entries(tmp_path: Path) -> None:
    """dev/stack.yaml and prod/stack.yaml are per-environment copies of one template: run
    alone (the pre-commit hook), prod's RL206 had another fingerprint than in the whole run,
    where the finding kept named dev's stack role of the same ARN: it was new (exit 1) and
    its entry said to "no longer occur"."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "stack.yaml").write_text(PIPELINE)
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert "recorded" in written.stderr, written.stderr
    assert notes(tmp_path, "prod/stack.yaml") == []
    assert notes(tmp_path, "dev/stack.yaml") == []


def test_a_file_that_cannot_be_parsed_does_not_lose_its_entries(tmp_path: Path) -> None:
    root = two_files(tmp_path)
    (root / "t.yaml").write_text(TEMPLATE + "      Tags: [\n")
    result = run_rolelint("check", "-f", "json", "--baseline", "baseline.json", cwd=root)
    assert result.returncode == 2
    assert json.loads(result.stdout)["notices"] == []


def test_the_entries_of_a_deleted_file_are_gone(tmp_path: Path) -> None:
    root = two_files(tmp_path)
    (root / "t.yaml").unlink()
    assert notes(root) == ["2 findings of the baseline no longer occur"]
    assert notes(root, "u.yaml") == []  # t.yaml may have been moved out of this run's reach


def _project_with_subfolder(tmp_path: Path) -> Path:
    """infra/t.yaml and infra/u.yaml (RL101, RL305 each), recorded from the root, where the
    configuration names the baseline."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "infra" / "u.yaml").write_text(TEMPLATE.replace("OpenRole", "OtherRole"))
    (tmp_path / ".rolelint.yaml").write_text("max-session-duration: 3600\nbaseline: b.json\n")
    written = run_rolelint("check", "--write-baseline", "b.json", cwd=tmp_path)
    assert "recorded 4 findings" in written.stderr, written.stderr
    return tmp_path


def test_a_baseline_recorded_at_the_root_matches_from_a_subfolder(tmp_path: Path) -> None:
    """From infra/ the files were a.yaml, not infra/a.yaml: every recorded finding came back
    as new, and every entry was said to no longer occur.  Fingerprints name files from the
    configuration's folder."""
    root = _project_with_subfolder(tmp_path)
    document = json.loads((root / "b.json").read_text())
    assert {entry["file"] for entry in document["findings"]} == {"infra/t.yaml", "infra/u.yaml"}
    for cwd, named in ((root, []), (root / "infra", []), (root / "infra", ["t.yaml"])):
        result = run_rolelint("check", *named, "-f", "json", cwd=cwd)
        report = json.loads(result.stdout)
        assert (result.returncode, active(report), report["notices"]) == (0, [], []), cwd
    # Recorded again from the subfolder: the same entries.
    again = run_rolelint("check", "--write-baseline", "../b2.json", cwd=root / "infra")
    assert again.returncode == 0, again.stderr
    assert json.loads((root / "b2.json").read_text())["findings"] == document["findings"]


VENDOR_TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": "sts:AssumeRole"}
  ]
}
"""
FIXTURES = Path(__file__).parent.parent / "fixtures"
# Two roles AWS names (<generated:FOLDER#ADDRESS>): the CI role can assume the admin one.
UNNAMED_CHAIN_TF = """\
resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow", Action = "sts:AssumeRole"
      Principal = { Service = "codebuild.amazonaws.com" }
    }]
  })
  inline_policy {
    name = "assume-admin"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{
        Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn
      }]
    })
  }
}

resource "aws_iam_role" "admin" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Principal = { AWS = aws_iam_role.ci.arn }, Action = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
"""


def test_findings_that_name_files_match_from_a_subfolder_and_by_absolute_path(
    tmp_path: Path,
) -> None:
    """A raw policy file's resource is the file, a chain's key names its roles by file
    (``infra/ci.yaml#CiRole``), an export's roles are ``FILE#NAME`` and Terraform's generated
    names ``<generated:FOLDER#ADDRESS>``: recorded at the root, each came back as new from
    infra/ (or by an absolute path) with a false "no longer occurs" note.  They are named from
    the configuration's folder too."""
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "vendor-trust.json").write_text(VENDOR_TRUST)
    for name in ("ci.yaml", "release.yaml"):
        (infra / name).write_text((CHAIN / name).read_text())
    export = FIXTURES / "chains" / "account-export" / "account.json"
    (infra / "account.json").write_text(export.read_text())
    (infra / "tf").mkdir()
    (infra / "tf" / "main.tf").write_text(UNNAMED_CHAIN_TF)
    (tmp_path / ".rolelint.yaml").write_text("baseline: b.json\n")
    written = run_rolelint("check", "--write-baseline", "b.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    recorded = {
        (e["file"], e["rule_id"]) for e in json.loads((tmp_path / "b.json").read_text())["findings"]
    }
    assert {
        ("infra/vendor-trust.json", "RL102"),
        ("infra/ci.yaml", "RL401"),
        ("infra/ci.yaml", "RL405"),
        ("infra/account.json", "RL401"),
    } <= recorded
    assert {("infra/tf/main.tf", "RL401"), ("infra/tf/main.tf", "RL405")} <= recorded
    for cwd, named in (
        (tmp_path, []),
        (infra, []),
        (tmp_path, [str(infra)]),
        (tmp_path, ["./infra/../infra"]),
        (infra, ["."]),
    ):
        result = run_rolelint("check", *named, "-f", "json", cwd=cwd)
        report = json.loads(result.stdout)
        assert (result.returncode, active(report), report["notices"]) == (0, [], []), (cwd, named)


def test_entries_gone_from_a_run_in_a_subfolder_are_counted_once(tmp_path: Path) -> None:
    root = _project_with_subfolder(tmp_path)
    (root / "infra" / "u.yaml").unlink()
    (root / "infra" / "t.yaml").write_text(TEMPLATE.replace("      MaxSessionDuration: 7200\n", ""))
    result = run_rolelint("check", "-f", "json", cwd=root / "infra")
    report = json.loads(result.stdout)
    assert (result.returncode, active(report)) == (0, [])
    [note] = report["notices"]
    assert (note["file"], note["message"].split(" (")[0]) == (
        os.path.join("..", "b.json"),
        "3 findings of the baseline no longer occur",
    )
    # A run of t.yaml alone judges t.yaml's entries only.
    alone = json.loads(run_rolelint("check", "t.yaml", "-f", "json", cwd=root / "infra").stdout)
    assert [n["message"].split(" (")[0] for n in alone["notices"]] == [
        "1 finding of the baseline no longer occurs"
    ]


CHAIN = Path(__file__).parent.parent / "fixtures" / "chains" / "across-two-templates"


def test_a_run_of_one_file_keeps_the_chains_through_the_others(tmp_path: Path) -> None:
    """RL401 and RL405 of ci.yaml need release.yaml: a run of ci.yaml alone cannot find them,
    and cannot tell that they are gone."""
    for name in ("ci.yaml", "release.yaml"):
        (tmp_path / name).write_text((CHAIN / name).read_text())
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {(e["file"], e["rule_id"]) for e in recorded} >= {
        ("ci.yaml", "RL401"),
        ("ci.yaml", "RL405"),
    }, written.stderr
    assert notes(tmp_path, "ci.yaml") == []
    assert notes(tmp_path, ".") == []
    (tmp_path / "release.yaml").unlink()
    gone = sum(entry["file"] == "release.yaml" for entry in recorded) + 2
    assert notes(tmp_path, ".") == [f"{gone} findings of the baseline no longer occur"]


def test_a_run_of_a_module_file_keeps_the_findings_its_callers_make(tmp_path: Path) -> None:
    """Review 2: module.app's RL201 needs the call in main.tf (it passes '*'); a pre-commit run
    of the module's own file said the entry no longer occurs."""
    (tmp_path / "modules" / "role").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(
        'module "app" {\n  source    = "./modules/role"\n  resources = "*"\n}\n'
    )
    (tmp_path / "modules" / "role" / "main.tf").write_text(
        'variable "resources" {}\n'
        'resource "aws_iam_role" "this" {\n  name = "app"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Action = "sts:AssumeRole",'
        ' Principal = { Service = "ec2.amazonaws.com" } }] })\n}\n'
        'resource "aws_iam_role_policy" "this" {\n  role = aws_iam_role.this.id\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Action = "*", Resource = var.resources }] })\n}\n'
    )
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert ("RL201", "module.app.aws_iam_role_policy.this") in {
        (e["rule_id"], e["resource"]) for e in recorded
    }, written.stderr
    assert notes(tmp_path, "modules/role/main.tf") == []


def test_a_run_of_a_module_folder_keeps_the_findings_only_its_callers_values_make(
    tmp_path: Path,
) -> None:
    """The module's own '*' (modules/role/main.tf line 8) is chosen only for the caller's
    "all": read alone, ``var.buckets`` has no value and the policy grants nothing known.  A run
    naming the module's folder (not a run of some files) said "1 finding of the baseline no
    longer occurs", as a suppression comment there is no longer called unused."""
    (tmp_path / "modules" / "role").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(
        'module "app" {\n  source  = "./modules/role"\n  buckets = ["all"]\n}\n'
    )
    (tmp_path / "modules" / "role" / "main.tf").write_text(
        'variable "buckets" {\n  type = list(string)\n}\n'
        'resource "aws_iam_role" "this" {\n  name = "app"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Action = "sts:AssumeRole",'
        ' Principal = { Service = "ec2.amazonaws.com" } }] })\n}\n'
        'resource "aws_iam_role_policy" "this" {\n  role = aws_iam_role.this.id\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:PutObject",\n'
        '    Resource = [for b in var.buckets : b == "all" ? "*" : "arn:aws:s3:::${b}/*"] }] })\n'
        "}\n"
    )
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [(e["rule_id"], e["file"], e["resource"]) for e in recorded] == [
        ("RL203", "modules/role/main.tf", "module.app.aws_iam_role_policy.this")
    ], written.stderr
    alone = run_rolelint("check", "modules/role", "-f", "json", cwd=tmp_path)
    assert json.loads(alone.stdout)["findings"] == []  # the run cannot see it
    assert notes(tmp_path, "modules/role") == []
    assert notes(tmp_path, ".") == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--baseline", "baseline.json", "-f", "sarif:./baseline.json"), "--format sarif: ./"),
        (("--baseline", "baseline.json", "-f", "json", "-o", "baseline.json"), "--output: "),
        (("--write-baseline", "baseline.json", "-f", "json:baseline.json"), "--format json: "),
    ],
    ids=["sarif-file", "output", "write-baseline"],
)
def test_a_report_over_the_baseline_file_is_refused(
    tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    """The error names the option the user wrote (``-o`` is ``--output``, not ``--format json``)."""
    root = adopt(tmp_path)
    recorded = (root / "baseline.json").read_text()
    result = run_rolelint("check", ".", *args, cwd=root)
    assert result.returncode == 2
    assert f"error: {named}baseline.json is the baseline file; write the report elsewhere" in (
        result.stderr
    )
    assert (root / "baseline.json").read_text() == recorded


@pytest.mark.parametrize(
    "args",
    [("--write-baseline", "-"), ("--write-baseline", "-", "-f", "json:./-", "-q")],
    ids=["alone", "report-to-dash-file"],
)
def test_write_baseline_to_standard_output_is_refused(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """``--write-baseline -`` wrote a file named ``-`` where ``-`` is standard output everywhere
    else, and with ``-f json:./-`` the report then replaced it ("recorded 1 finding in -", exit
    0, and no baseline).  Standard output is the report's: it is a usage error."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    result = run_rolelint("check", "t.yaml", "--no-cache", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "error: --write-baseline: '-' would be standard output" in result.stderr
    assert "recorded" not in result.stderr and not (tmp_path / "-").exists()


def test_a_report_over_a_baseline_file_named_dash_is_refused(tmp_path: Path) -> None:
    """``--baseline -`` reads the file named ``-``: a report written to ``./-`` would replace
    it, and the check that refuses that passed over a baseline named ``-``."""
    root = adopt(tmp_path)
    os.replace(root / "baseline.json", root / "-")
    recorded = (root / "-").read_text()
    result = run_rolelint("check", ".", "--baseline", "-", "-f", "json:./-", cwd=root)
    assert result.returncode == 2
    assert "--format json: ./- is the baseline file; write the report elsewhere" in result.stderr
    assert (root / "-").read_text() == recorded


def test_a_policy_read_in_another_role_than_recorded_is_not_said_to_be_gone(
    tmp_path: Path,
) -> None:
    """A module reads policies/trust.json by a name built from a variable, which the search for
    the modules of a file named alone cannot see: the hook judges the file as a raw policy,
    and said the entry recorded as the module's "no longer occurs", advising to record the
    baseline again from that run."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks" / "app").mkdir(parents=True)
    (tmp_path / "policies").mkdir()
    (tmp_path / "stacks" / "app" / "main.tf").write_text(
        'variable "trust" { default = "trust" }\n'
        'resource "aws_iam_role" "build" {\n  name = "build"\n'
        '  assume_role_policy = file("${path.module}/../../policies/${var.trust}.json")\n}\n'
    )
    (tmp_path / "policies" / "trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"AWS": "arn:aws:iam::999988887777:root"}}]}\n'
    )
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [(e["rule_id"], e["file"], e["resource"]) for e in recorded] == [
        ("RL102", "policies/trust.json", "aws_iam_role.build")
    ], written.stderr
    hook = run_rolelint(
        "check", "policies/trust.json", "-f", "json", "--baseline", "baseline.json", cwd=tmp_path
    )
    report = json.loads(hook.stdout)
    assert [(f["rule_id"], f["resource"]) for f in report["findings"]] == [
        ("RL102", "policies/trust.json")
    ]
    assert [note["message"] for note in report["notices"]] == [
        "1 finding of the baseline was recorded for a policy file this run read in another role"
        " (on its own rather than as the policy of a module reading it, or the reverse), so"
        " whether it still occurs is not known here: a run over the whole repository tells"
    ]
    assert notes(tmp_path, ".") == []
    # A whole run reads it in its new role when no module reads it any more: the entry is gone.
    (tmp_path / "stacks" / "app" / "main.tf").unlink()
    whole = run_rolelint("check", "-f", "json", "--baseline", "baseline.json", cwd=tmp_path)
    assert [n["message"].split(" (")[0] for n in json.loads(whole.stdout)["notices"]] == [
        "1 finding of the baseline no longer occurs"
    ]


# Baselines an earlier rolelint wrote (tests/data/README.md says how): each role holding a
# permissions boundary had a finding of its own on the boundary's text, with a fingerprint
# naming that role's copy.
EARLIER = Path(__file__).parent / "data" / "baselines-866b633"


def earlier_case(tmp_path: Path, case: str) -> list[dict[str, Any]]:
    """The input and baseline.json of ``case`` in ``tmp_path``; the baseline's entries."""
    shutil.copytree(EARLIER / case, tmp_path, dirs_exist_ok=True)
    return list(json.loads((tmp_path / "baseline.json").read_text())["findings"])


def checked(root: Path, file: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_rolelint("check", file, "-f", "json", *args, cwd=root)
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("case", "file", "per_finding"),
    [
        ("cfn-two", "t.yaml", 2),
        ("export", "account.json", 2),
        ("terraform", "main.tf", 2),
        ("attached", "t.yaml", 2),
        ("cfn-one", "t.yaml", 1),
    ],
)
def test_a_baseline_recorded_when_each_holder_of_a_boundary_had_its_findings_still_matches(
    tmp_path: Path, case: str, file: str, per_finding: int
) -> None:
    """Each role's copy of a boundary was judged on its own, once per holder: two RL605 for the
    roles R1 and R2 at one line.  They are one finding since (naming both roles, with a
    fingerprint naming neither), which the baseline such a rolelint recorded knew by neither
    of its two entries: it was reported new, and the two entries "no longer occur".  The one
    finding now matches each entry of the finding of each copy; none is gone.  A boundary one
    role holds (``cfn-one``), and a policy attached to one role and the boundary of another
    (``attached``: the policy's entry and the boundary copy's), too."""
    recorded = earlier_case(tmp_path, case)
    code, report = checked(tmp_path, file, "--baseline", "baseline.json")
    findings = report["findings"]
    assert (code, report["notices"]) == (0, [])
    assert findings and all("suppressed" in finding for finding in findings)
    assert len(recorded) == per_finding * len(findings)
    assert {f["rule_id"] for f in findings} == {entry["rule_id"] for entry in recorded}


def test_a_boundary_of_several_rules_findings_keeps_every_one_matched(tmp_path: Path) -> None:
    """The rules on a policy's text each name the policy in their own way in the fingerprint:
    every one of them on the boundary of ``cfn-two`` matches."""
    earlier_case(tmp_path, "cfn-two")
    _, report = checked(tmp_path, "t.yaml", "--baseline", "baseline.json")
    assert sorted(f["rule_id"] for f in report["findings"]) == sorted(
        ["RL109", "RL111", *(f"RL60{n}" for n in range(2, 10)), *(f"RL61{n}" for n in range(1, 5))]
    )
    assert {f["role"] for f in report["findings"]} == {"R1, R2"}
    assert active(report) == []


def test_a_finding_of_a_boundary_written_once_more_is_new_beside_the_earlier_entries(
    tmp_path: Path,
) -> None:
    """The baseline still counts: the entries of the two roles' copies of one statement's
    RL605 are one finding's, and the same unknown action written in one more statement (the
    same fingerprint) is a new one, at its own line."""
    earlier_case(tmp_path, "cfn-two")
    template = tmp_path / "t.yaml"
    again = '          - {Effect: Allow, Action: s3:GetObjekt, Resource: "arn:aws:s3:::b/*"}\n'
    text = template.read_text()
    template.write_text(text.replace("  R1:\n", again + "  R1:\n", 1))
    line = text[: text.index("  R1:\n")].count("\n") + 1
    code, report = checked(tmp_path, "t.yaml", "--baseline", "baseline.json")
    assert (code, active(report), report["notices"]) == (1, [("RL605", line)], [])


def test_a_boundary_finding_stays_recorded_when_a_holder_is_removed_or_added(
    tmp_path: Path,
) -> None:
    """Recorded with two roles holding the boundary, the finding had a fingerprint naming no
    role, and with one role left the fingerprint naming that role's copy: reported new.  And
    the reverse, recorded with one role and held by a second since.  The fingerprint of a
    finding on a boundary's text names no holder, however many hold it."""
    earlier_case(tmp_path, "cfn-two")
    two = (tmp_path / "t.yaml").read_text()
    one = two[: two.index("  R2:\n")]
    for recorded_with, checked_with in ((two, one), (one, two)):
        (tmp_path / "t.yaml").write_text(recorded_with)
        code, _ = checked(tmp_path, "t.yaml", "--write-baseline", "now.json")
        assert code == 0
        (tmp_path / "t.yaml").write_text(checked_with)
        code, report = checked(tmp_path, "t.yaml", "--baseline", "now.json")
        assert (code, active(report), report["notices"]) == (0, [], [])
