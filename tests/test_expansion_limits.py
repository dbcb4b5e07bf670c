"""Values that templates copy many times over stay bounded, and so do the messages about them.

A 50,000-item list in Mappings read by 400 roles made 20,000,000 values and a scan of minutes;
nested ``dynamic`` blocks multiply the same way; and a finding that quoted every resource of
such a statement was a megabyte long.  Each is bounded, with a note where analysis stopped, and
the rest of the run goes on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.checks.base import LISTED, some_of
from rolelint.parsers import cloudformation
from rolelint.parsers.cfn_intrinsics import EXPANDS_TOO_MUCH, MAX_EXPANDED, TOO_LONG
from rolelint.parsers.tf_budget import MAX_GENERATED, TOO_MANY_BLOCKS, too_many_instances_of_one
from rolelint.parsers.tree import MAX_TEXT
from tests.conftest import FIXTURES

# Anyone may assume it: RL101, which shows that this file was analyzed.
OPEN = FIXTURES / "bad-inputs" / "good-trust.json"


def role(resource: object, **properties: object) -> dict[str, Any]:
    """A Lambda role whose inline policy reads ``resource`` (a list, or an intrinsic)."""
    principal = properties.pop("principal", {"Service": "lambda.amazonaws.com"})
    trust = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    grant = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            **properties,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [grant]},
                }
            ],
        },
    }


def template(roles: list[dict[str, Any]], **sections: object) -> str:
    """A JSON template with each role on a line of its own: role ``n`` is on line ``n + 2``."""
    head = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", **sections})[:-1]
    lines = [f'"R{n}": {json.dumps(body)}' for n, body in enumerate(roles)]
    return head + ', "Resources": {\n' + ",\n".join(lines) + "\n}}\n"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# A list this long, read by this many roles, copies out more than the limit; one role fewer
# would not.
ITEMS = 5_000
ROLES = MAX_EXPANDED // ITEMS + 1
BUCKETS = [f"arn:aws:s3:::b{i}/*" for i in range(ITEMS)]


@pytest.mark.parametrize(
    ("sections", "resource"),
    [
        ({"Mappings": {"M": {"a": {"b": BUCKETS}}}}, {"Fn::FindInMap": ["M", "a", "b"]}),
        (
            {"Parameters": {"B": {"Type": "CommaDelimitedList", "Default": ",".join(BUCKETS)}}},
            {"Ref": "B"},
        ),
    ],
    ids=["mappings", "list-parameter"],
)
def test_copies_out_of_a_template_stop_at_the_limit(
    tmp_path: Path, sections: dict[str, Any], resource: object
) -> None:
    big = tmp_path / "big.json"
    big.write_text(template([role(resource)] * ROLES, **sections))
    shutil.copy(OPEN, tmp_path / "open.json")

    report = lint_paths([str(tmp_path)])

    assert report.errors == []
    [notice] = report.notices
    assert notice.message == EXPANDS_TOO_MUCH
    # At the reference of the last role: every role before it got its whole list.
    assert (notice.file, notice.line) == (str(big), ROLES + 1)
    assert report.roles == ROLES
    open_roles = [f.file for f in report.findings if f.rule_id == "RL101"]
    assert open_roles == [str(tmp_path / "open.json")]  # the other file is still analyzed


def test_a_policy_written_as_json_text_is_parsed_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A policy in a parameter's default is parsed at each role using it: 1.2 MB used by 300
    roles took 73 s."""
    monkeypatch.setattr(cloudformation, "MAX_POLICY_TEXT", 20_000)  # the same, faster
    admin = {"Effect": "Allow", "Action": "*", "Resource": "*"}  # RL201 at each role using it
    reads = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": b} for b in BUCKETS[:60]]
    statements = [admin, *reads]
    text = json.dumps({"Version": "2012-10-17", "Statement": statements})
    uses = 20_000 // len(text)  # this many are parsed; the next one is over
    roles = [
        {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Ref": "Doc"}}],
            },
        }
    ] * (uses + 5)
    big = tmp_path / "big.json"
    big.write_text(template(roles, Parameters={"Doc": {"Type": "String", "Default": text}}))
    shutil.copy(OPEN, tmp_path / "open.json")

    report = lint_paths([str(tmp_path)])

    assert report.errors == []
    [notice] = report.notices  # once, at the first role over the limit
    assert notice.message == cloudformation.POLICY_TEXT_TOO_MUCH
    assert (notice.file, notice.line) == (str(big), uses + 2)
    analyzed = [f for f in report.findings if f.rule_id == "RL201" and f.file == str(big)]
    assert len(analyzed) == uses
    open_roles = [f.file for f in report.findings if f.rule_id == "RL101"]
    assert open_roles == [str(tmp_path / "open.json")]


def test_nested_dynamic_blocks_stop_multiplying(tmp_path: Path) -> None:
    outer, inner = 200, MAX_GENERATED // 200 + 1  # together past the limit; each alone under it
    main = tmp_path / "main.tf"
    main.write_text(
        f"""data "aws_iam_policy_document" "d" {{
  dynamic "statement" {{
    for_each = [{", ".join(f'"s{i}"' for i in range(outer))}]
    content {{
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::b/*"]
      dynamic "condition" {{
        for_each = [{", ".join(f'"c{i}"' for i in range(inner))}]
        content {{
          test     = "StringEquals"
          variable = "aws:SourceVpc"
          values   = [condition.value]
        }}
      }}
    }}
  }}
}}
resource "aws_iam_policy" "p" {{
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}}
"""
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    notices = [n for n in report.notices if n.message == TOO_MANY_BLOCKS]
    # Once, at the inner dynamic block: the statements are all there, the conditions of those
    # past the limit analyzed once each, with their element unknown.
    assert [(n.line, n.column) for n in notices] == [(line_of(main, 'dynamic "condition"'), 7)]


OVER_THE_LIMIT = "toset([" + ", ".join(f'"k{n}"' for n in range(MAX_GENERATED + 1)) + "])"


@pytest.mark.parametrize(
    ("block", "meta", "value"),
    [
        ("resource", "count", str(MAX_GENERATED + 1)),
        ("resource", "count", "1000000000"),
        ("resource", "for_each", OVER_THE_LIMIT),
        ("module", "for_each", OVER_THE_LIMIT),
        ("module", "count", str(MAX_GENERATED + 1)),
    ],
    ids=["count", "count-1e9", "for_each", "module-for_each", "module-count"],
)
def test_count_or_for_each_past_the_limit_says_so(
    tmp_path: Path, block: str, meta: str, value: str
) -> None:
    """Past 10,000 instances of one resource the note spoke of "dynamic blocks of this policy
    document", a construct the file does not hold."""
    role = (
        'resource "aws_iam_role" "r" {\n'
        f"  {meta} = {value}\n"
        '  name = "r"\n'
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = '
        '"Allow", Principal = "*", Action = "sts:AssumeRole"}]})\n'
        "}\n"
    )
    if block == "module":
        (tmp_path / "role").mkdir()
        (tmp_path / "role" / "main.tf").write_text(role.replace(f"  {meta} = {value}\n", ""))
        role = f'module "m" {{\n  {meta} = {value}\n  source = "./role"\n}}\n'
    main = tmp_path / "main.tf"
    main.write_text(role)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [(n.file, n.line, n.column, n.message) for n in report.notices] == [
        (str(main), 2, len(meta) + 6, too_many_instances_of_one(meta))
    ]
    bound = "count.index" if meta == "count" else "each.key and each.value"
    assert report.notices[0].message == (
        f"{meta} makes over 10,000 instances of this resource or module call: it is analyzed "
        f"once, with {bound} unknown"
    )
    # Analyzed once: the one role allows anyone.
    assert [f.rule_id for f in report.findings if f.rule_id == "RL101"] == ["RL101"]


def test_some_of_names_the_first_items_and_counts_the_rest() -> None:
    items = [f"'{n}'" for n in range(25)]
    assert some_of(items[:3]) == "'0', '1', '2'"
    assert some_of(items) == ", ".join(items[:LISTED]) + f" and {25 - LISTED} more"
    assert some_of(items, 2) == "'0', '1' and 23 more"
    assert some_of([]) == ""


def test_a_finding_on_a_long_list_of_resources_stays_short(tmp_path: Path) -> None:
    resources = [f"arn:aws:iam::111122223333:user/u{i}" for i in range(5_000)]
    path = tmp_path / "t.json"
    path.write_text(template([role(resources)]))
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL612"]
    assert f"and {5_000 - LISTED} more" in finding.message
    assert len(finding.message) < 1_000


@pytest.mark.parametrize(
    "name",
    [
        {"Fn::Sub": "${Long}" * 50},
        {"Fn::Join": ["", [{"Ref": "Long"}] * 50]},
    ],
    ids=["sub", "join"],
)
def test_a_string_built_past_the_limit_is_not_built(tmp_path: Path, name: object) -> None:
    """50 uses of a 25,000-character default: 1,250,000 characters, measured before joining."""
    path = tmp_path / "t.json"
    long = {"Long": {"Type": "String", "Default": "x" * (MAX_TEXT // 40)}}
    open_role = role("arn:aws:s3:::b/*", RoleName=name, principal={"AWS": "*"})
    path.write_text(template([open_role], Parameters=long))
    report = lint_paths([str(path)])
    [notice] = report.notices
    assert (notice.line, notice.message) == (2, f"{TOO_LONG}: it is not analyzed")
    assert [f.rule_id for f in report.findings] == ["RL101"]  # the rest is analyzed
