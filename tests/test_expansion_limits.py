"""Values that templates copy many times over stay bounded, and so do the messages about them.

A 50,000-item list in Mappings read by 400 roles made 20,000,000 values and a scan of minutes;
nested ``dynamic`` blocks multiply the same way; and a finding that quoted every resource of
such a statement was a megabyte long.  Each is bounded, with a note where analysis stopped, and
the rest of the run goes on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.checks.base import LISTED, some_of
from rolelint.parsers.cfn_intrinsics import EXPANDS_TOO_MUCH, MAX_EXPANDED, MAX_TEXT, TOO_LONG
from rolelint.parsers.tf_policy_document import MAX_GENERATED, TOO_MANY_BLOCKS

ROLE = """\
  Role{n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: {resource}
"""
OPEN_ROLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
"""


def template(head: str, roles: int, resource: str) -> str:
    body = "".join(ROLE.format(n=n, resource=resource) for n in range(roles))
    return f'AWSTemplateFormatVersion: "2010-09-09"\n{head}Resources:\n{body}'


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# A list this long, read by this many roles, copies out more than the limit; one role fewer
# would not.
ITEMS = 5_000
ROLES = MAX_EXPANDED // ITEMS + 1
BUCKETS = ", ".join(f'"arn:aws:s3:::b{i}/*"' for i in range(ITEMS))


@pytest.mark.parametrize(
    ("head", "resource"),
    [
        (f"Mappings:\n  M:\n    a:\n      b: [{BUCKETS}]\n", "!FindInMap [M, a, b]"),
        (
            "Parameters:\n  Buckets:\n    Type: CommaDelimitedList\n"
            f'    Default: "{",".join(f"arn:aws:s3:::b{i}/*" for i in range(ITEMS))}"\n',
            "!Ref Buckets",
        ),
    ],
    ids=["mappings", "list-parameter"],
)
def test_copies_out_of_a_template_stop_at_the_limit(
    tmp_path: Path, head: str, resource: str
) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(template(head, ROLES, resource))
    (tmp_path / "open.yaml").write_text(OPEN_ROLE)

    report = lint_paths([str(tmp_path)])

    assert report.errors == []
    [notice] = report.notices
    assert notice.message == EXPANDS_TOO_MUCH
    # At the reference of the last role: every role before it got its whole list.
    assert (notice.file, notice.line) == (str(big), line_of(big, f"Role{ROLES - 1}:") + 16)
    assert report.roles == ROLES + 1
    assert [f.file for f in report.findings if f.rule_id == "RL101"] == [
        str(tmp_path / "open.yaml")
    ]


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


def test_some_of_names_the_first_items_and_counts_the_rest() -> None:
    items = [f"'{n}'" for n in range(25)]
    assert some_of(items[:3]) == "'0', '1', '2'"
    assert some_of(items) == ", ".join(items[:LISTED]) + f" and {25 - LISTED} more"
    assert some_of(items, 2) == "'0', '1' and 23 more"
    assert some_of([]) == ""


def test_a_finding_on_a_long_list_of_resources_stays_short(tmp_path: Path) -> None:
    resources = ", ".join(f'"arn:aws:iam::111122223333:user/u{i}"' for i in range(5_000))
    path = tmp_path / "t.yaml"
    path.write_text(template("", 1, f"[{resources}]"))
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL612"]
    assert f"and {5_000 - LISTED} more" in finding.message
    assert len(finding.message) < 1_000


@pytest.mark.parametrize(
    "name_expression",
    [
        '!Sub "' + "${Long}" * 50 + '"',
        "!Join ['', [" + ", ".join(["!Ref Long"] * 50) + "]]",
    ],
    ids=["sub", "join"],
)
def test_a_string_built_past_the_limit_is_not_built(tmp_path: Path, name_expression: str) -> None:
    """50 uses of a 25,000-character default: 1,250,000 characters, measured before joining."""
    path = tmp_path / "t.yaml"
    path.write_text(
        f"""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Long:
    Type: String
    Default: "{"x" * (MAX_TEXT // 40)}"
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {name_expression}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: "*"}}
            Action: sts:AssumeRole
"""
    )
    report = lint_paths([str(path)])
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (line_of(path, "RoleName:"), 17, f"{TOO_LONG}: it is not analyzed")
    ]
    assert [f.rule_id for f in report.findings] == ["RL101"]  # the rest is analyzed
