"""The limit on expanding action patterns: which patterns are charged, which become unresolved,
what the notice says, and that the rules then stay silent on them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from rolelint import iam_actions
from rolelint.model import (
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
)
from rolelint.pattern_budget import BUDGET, REASON, limit_patterns
from rolelint.source import SourceRef, Span
from tests.conftest import REPO, run_rolelint


def _value(text: str, line: int) -> Value:
    return Value(text, SourceRef("policy.json", Span(line, 5, line, 5 + len(text))))


def _document(*actions: tuple[str, int], aws_managed: bool = False) -> PolicyDocument:
    statement = Statement(
        ref=SourceRef("policy.json", Span(1, 1, 1, 1)),
        effect=Value("Allow", SourceRef("policy.json")),
        actions=tuple(_value(text, line) for text, line in actions),
        resources=(Value("*", SourceRef("policy.json")),),
        has_action=True,
    )
    return PolicyDocument(
        kind=PolicyKind.PERMISSIONS,
        ref=SourceRef("policy.json"),
        resource="policy.json",
        origin="policy",
        statements=(statement,),
        aws_managed=aws_managed,
    )


def _role(name: str, *documents: PolicyDocument) -> Role:
    return Role(
        id=name,
        ref=SourceRef("template.yaml"),
        arn=Value(None, SourceRef("template.yaml")),
        policies=documents,
    )


def _texts(document: PolicyDocument) -> list[str | None]:
    return [value.text for value in document.statements[0].actions]


def test_the_cost_of_a_pattern_is_the_catalog_names_it_is_compared_with() -> None:
    s3 = len(iam_actions.service_actions("s3"))
    assert iam_actions.expansion_cost("s3:GetObject") == 0
    assert iam_actions.expansion_cost("s3:Get*") == s3
    assert iam_actions.expansion_cost("S3:GET*") == s3
    every = sum(len(iam_actions.service_actions(s)) for s in iam_actions.services())
    assert iam_actions.expansion_cost("*:*") == iam_actions.expansion_cost("*") == every
    # A literal part no name of a service holds passes the service over.
    assert iam_actions.expansion_cost("*:*Zzqx*") == 0
    assert iam_actions.expansion_cost("nosuchservice:*") == 0


def test_patterns_past_the_budget_become_unresolved_in_order() -> None:
    s3 = iam_actions.expansion_cost("s3:get*")
    iam = iam_actions.expansion_cost("iam:*")
    first = _document(("s3:Get*", 2), ("s3:GetObject", 3), ("iam:*", 4), ("s3:List*", 5))
    inventory = Inventory(standalone_policies=[first])
    notice = limit_patterns(inventory, budget=s3 + iam)
    [document] = inventory.standalone_policies
    # s3:Get* and iam:* fit; s3:List* costs what is left no longer; a literal costs nothing.
    assert _texts(document) == ["s3:Get*", "s3:GetObject", "iam:*", None]
    refused = document.statements[0].actions[3]
    assert refused.ref == first.statements[0].actions[3].ref
    assert refused.unresolved_reason == f"{REASON} ('s3:List*')"
    assert notice is not None
    assert (notice.file, notice.line, notice.column) == ("policy.json", 5, 5)
    assert notice.message.startswith("1 action pattern was not analyzed, this one first")
    assert f"more than {s3 + iam:,} action names in one run" in notice.message


def test_a_pattern_is_charged_once_however_often_and_however_written() -> None:
    s3 = iam_actions.expansion_cost("s3:get*")
    inventory = Inventory(
        standalone_policies=[
            _document(("s3:Get*", 1)),
            _document(("S3:GET*", 1), ("s3:get*", 2)),
        ]
    )
    assert limit_patterns(inventory, budget=s3) is None
    assert [_texts(d) for d in inventory.standalone_policies] == [
        ["s3:Get*"],
        ["S3:GET*", "s3:get*"],
    ]


def test_every_use_of_a_refused_pattern_is_refused_and_counted_once() -> None:
    inventory = Inventory(
        standalone_policies=[_document(("s3:Get*", 1), ("ec2:*", 2)), _document(("ec2:*", 7))]
    )
    notice = limit_patterns(inventory, budget=iam_actions.expansion_cost("s3:get*"))
    assert [_texts(d) for d in inventory.standalone_policies] == [["s3:Get*", None], [None]]
    assert notice is not None and notice.line == 2
    assert notice.message.startswith("1 action pattern was not analyzed")


def test_once_a_pattern_is_refused_new_patterns_naming_every_service_are_too() -> None:
    """Working out their cost is itself a search of every service."""
    inventory = Inventory(standalone_policies=[_document(("ec2:*", 1), ("*:Get*", 2), ("s3:*", 3))])
    notice = limit_patterns(inventory, budget=iam_actions.expansion_cost("s3:*"))
    assert _texts(inventory.standalone_policies[0]) == [None, None, "s3:*"]
    assert notice is not None and notice.message.startswith("2 action patterns were not")


def test_nothing_changes_within_the_budget() -> None:
    shared = _document(("s3:Get*", 1))
    role = _role("A", shared)
    inventory = Inventory(roles=[role], standalone_policies=[shared])
    assert limit_patterns(inventory) is None
    assert inventory.roles[0] is role and inventory.standalone_policies[0] is shared


def test_a_document_shared_by_roles_stays_one_document() -> None:
    """Checks report a managed policy once, at its own lines, naming every role holding it:
    they know it is one by its identity."""
    shared = _document(("ec2:*", 1), ("s3:*", 2))
    inventory = Inventory(roles=[_role("A", shared), _role("B", shared)])
    limit_patterns(inventory, budget=iam_actions.expansion_cost("ec2:*"))
    first, second = inventory.roles
    assert first.policies[0] is second.policies[0]
    assert _texts(first.policies[0]) == ["ec2:*", None]


def test_aws_managed_policies_are_not_charged() -> None:
    managed = _document(("ec2:*", 1), aws_managed=True)
    inventory = Inventory(roles=[_role("A", managed)], standalone_policies=[_document(("s3:*", 1))])
    assert limit_patterns(inventory, budget=iam_actions.expansion_cost("s3:*")) is None
    assert inventory.roles[0].policies[0] is managed


def test_the_budget_is_far_above_what_real_policies_need(corpus: Path) -> None:
    """Every distinct pattern of every policy in the real-world corpus and the fixtures,
    charged at once, is a small part of it, and none is refused."""
    from rolelint.api import _read_all

    folders = [str(corpus), str(REPO / "fixtures")]
    _, inventory, _ = _read_all(folders, "-", None, None, 1, None, None, None)
    documents = [d for d in inventory.written_policies() if not d.aws_managed]
    patterns = {
        value.text.lower()
        for document in documents
        for statement in document.statements
        for value in (*statement.actions, *statement.not_actions)
        if value.text is not None and any(char in value.text for char in "*?")
    }
    total = sum(iam_actions.expansion_cost(pattern) for pattern in patterns)
    assert len(patterns) > 200 and total < BUDGET / 20
    assert not any(
        value.unresolved_reason and value.unresolved_reason.startswith(REASON)
        for document in documents
        for statement in document.statements
        for value in statement.actions
    )


def test_the_command_line_says_so_and_the_rules_stay_silent_on_them(tmp_path: Path) -> None:
    """1,728 distinct patterns naming every service (this 29 KB file) took 34 s to check."""
    letters = "aeioustrnlcd"
    patterns = ["*:*{}*{}*{}*".format(*t) for t in itertools.product(letters, repeat=3)]
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": patterns, "Resource": "*"}],
    }
    (tmp_path / "wide.json").write_text(json.dumps(policy, indent=1))
    good = REPO / "fixtures" / "bad-inputs" / "good-trust.json"
    (tmp_path / "good.json").write_text(good.read_text(encoding="utf-8"))
    result = run_rolelint("check", "wide.json", "good.json", "-f", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    [notice] = report["notices"]
    assert notice["file"] == "wide.json"
    assert notice["message"].endswith(
        f"would compare more than {BUDGET:,} action names in one run. They count as "
        "unresolved values, so no rule reports on them."
    )
    refused = int(notice["message"].split(" ", 1)[0].replace(",", ""))
    assert 1000 < refused < len(patterns)
    # The notice's line is the first refused pattern's; no finding names a refused pattern.
    lines = (tmp_path / "wide.json").read_text().splitlines()
    first = lines[notice["line"] - 1].strip().strip('",')
    assert first in patterns
    later = set(patterns[patterns.index(first) :])
    assert not any(f"'{p}'" in f["message"] for f in report["findings"] for p in later)
    # The patterns before it are judged as usual.
    assert any(f"'{patterns[0]}'" in f["message"] for f in report["findings"])
    # The other file of the run is analyzed as ever (anyone may assume its role).
    assert ("good.json", "RL101", 3, 50) in {
        (f["file"], f["rule_id"], f["line"], f["column"]) for f in report["findings"]
    }
    assert result.returncode == 1
