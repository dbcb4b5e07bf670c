"""docs/formats.md shows real output: its examples are rolelint's output for its own template.

The page's first YAML block is checked, next to a broken file, by the real command; the
annotation, Markdown, JUnit and Code Quality examples must match what it prints (the examples
may leave parts out, never change them).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rolelint import __version__
from tests.conftest import REPO, run_rolelint

DOC = REPO / "docs" / "formats.md"
BROKEN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bad: [\n'


def _blocks(language: str, section: str) -> list[str]:
    """The ``language`` code blocks of the doc's ``## section`` (in order)."""
    blocks: list[str] = []
    current: str | None = None  # the section being read
    fence: list[str] | None = None  # the lines of the open block, if it is one we want
    inside = False
    for line in DOC.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if inside:
                if fence is not None:
                    blocks.append("".join(fence))
                inside, fence = False, None
            else:
                inside = True
                fence = [] if current == section and line.strip() == f"```{language}" else None
        elif inside:
            if fence is not None:
                fence.append(line)
        elif line.startswith("## "):
            current = line[3:].strip()
    return blocks


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = DOC.read_text(encoding="utf-8")
    template = re.search(r"^```yaml\n(AWSTemplateFormatVersion.*?)^```$", text, re.M | re.S)
    assert template is not None
    root = tmp_path_factory.mktemp("formats-doc")
    (root / "templates").mkdir()
    (root / "templates" / "app.yaml").write_text(template.group(1), encoding="utf-8")
    (root / "templates" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return root


def _output(project: Path, format_name: str) -> str:
    result = run_rolelint("check", "templates", "--format", format_name, cwd=project)
    assert result.returncode == 2, result.stderr  # the broken file
    return result.stdout


def _versioned(text: str) -> str:
    """The doc was written with rolelint 0.1.0; later versions print their own."""
    return text.replace("rolelint 0.1.0", f"rolelint {__version__}").replace(
        'value="0.1.0"', f'value="{__version__}"'
    )


def test_github_example(project: Path) -> None:
    (example,) = _blocks("text", "github")
    assert _output(project, "github") == example


def test_markdown_example(project: Path) -> None:
    example = _blocks("markdown", "markdown")[0]
    assert _output(project, "markdown") == _versioned(example)


def test_junit_example(project: Path) -> None:
    (example,) = _blocks("xml", "junit")
    shown = ET.fromstring(_versioned(example))
    actual = ET.fromstring(_output(project, "junit"))
    assert shown.attrib == actual.attrib
    (shown_suite,), (actual_suite,) = shown, actual
    assert shown_suite.attrib == actual_suite.attrib
    # Every property, not a subset: the page showed two of the four (the data versions of the
    # managed policies and service principals were missing) and the sample is no excerpt.
    actual_properties = {p.get("name"): p.get("value") for p in actual_suite.iter("property")}
    shown_properties = {p.get("name"): p.get("value") for p in shown_suite.iter("property")}
    assert shown_properties == actual_properties
    assert [ET.tostring(case) for case in shown_suite.iter("testcase")] == [
        ET.tostring(case) for case in actual_suite.iter("testcase")
    ]


def test_gitlab_example(project: Path) -> None:
    (example,) = _blocks("json", "gitlab")
    actual = json.loads(_output(project, "gitlab"))
    shown = json.loads(example)
    assert shown and all(issue in actual for issue in shown)


_ORGANIZATION_TRUSTS = """\
Parameters:
  OrgId:
    Type: String
Resources:
  Deployed:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref OrgId}}
  Written:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123def4}}
  Imported:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: !ImportValue OrgId}}
"""


def test_the_low_rl101_the_page_names_is_the_one_rolelint_reports(tmp_path: Path) -> None:
    """The page said RL101 on '*' limited by an organization id is low: a literal organization
    id is no finding at all, nor is one AWS supplies at deployment (an export); low is an
    organization id whoever deploys decides."""
    (tmp_path / "t.yaml").write_text(_ORGANIZATION_TRUSTS, encoding="utf-8")
    result = run_rolelint("check", "t.yaml", "--format", "json", "--no-cache", cwd=tmp_path)
    found = [
        (f["rule_id"], f["severity"], f["role"], f["line"])
        for f in json.loads(result.stdout)["findings"]
        if f["rule_id"] == "RL101"
    ]
    assert found == [("RL101", "low", "Deployed", 11)]
    said = " ".join(DOC.read_text(encoding="utf-8").split())
    assert "limited by an organization id is low" not in said
    assert (
        'RL101 on `Principal: "*"` is low when the organization id that limits it is a parameter '
        "or variable without a default that nothing constrains (whoever deploys decides; a "
        "literal organization id is no finding at all, nor is one AWS supplies at deployment, "
        "such as a Terraform data source or an `Fn::ImportValue`)"
    ) in said
