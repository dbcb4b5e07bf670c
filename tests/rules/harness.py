"""The rule-fixture conventions in one place, shared by every rule test module.

Layout: ``fixtures/rules/<RULE_ID>/bad*.{yaml,yml,json}`` and ``good*.{yaml,yml,json}``, and
Terraform modules as folders ``bad*-terraform/`` and ``good*-terraform/`` (a folder is one module).

* YAML fixtures mark each expected finding with an end-of-line comment on the line the finding
  points at: ``# expect: RL101`` (several ids: ``# expect: RL101, RL102``).
* JSON has no comments: ``bad.json`` gets a sibling ``bad.json.expected`` with one ``LINE RULEID``
  per line (blank lines and ``#`` comments are ignored).
* AWS config files (``bad.config``, as ``~/.aws/config``) take a sidecar the same way: a comment
  after a value would be part of the value for the AWS CLI.
* Terraform (``.tf``) files mark findings with the same ``# expect: RL101`` comments; in a module
  folder every file is read, and a finding is expected in the file that carries the comment.
* A bad fixture must produce exactly its expected set of (rule id, line), from ALL rules; a good
  fixture must produce no finding at all.  Both must parse without input errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from rolelint.api import lint_paths
from rolelint.config import find_config, load_config
from rolelint.findings import Finding, Report
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"
FIXTURE_SUFFIXES = (".yaml", ".yml", ".json", ".config")
# Formats whose findings are listed in a sidecar file: JSON has no comments, and an AWS config
# file has none after a value (the AWS CLI would read the comment as part of it).
SIDECAR_SUFFIXES = (".json", ".config")
EXPECTED_SUFFIX = ".expected"

_EXPECT_COMMENT = re.compile(r"#\s*expect:\s*(RL\d{3}(?:\s*,\s*RL\d{3})*)\s*$")
_RULE_DIR = re.compile(r"^RL\d{3}$")

Expectation = tuple[str, int]  # (rule id, 1-based line)
TERRAFORM_FOLDER = "-terraform"


def fixture_files(prefix: str = "") -> list[Path]:
    """Every fixture file (optionally only ``bad``/``good`` ones), in a stable order."""
    if not RULE_FIXTURES.is_dir():
        return []
    found = [
        path
        for directory in RULE_FIXTURES.iterdir()
        if directory.is_dir() and _RULE_DIR.match(directory.name)
        for path in directory.iterdir()
        if (path.suffix in FIXTURE_SUFFIXES or is_terraform_fixture(path))
        and path.name.startswith(prefix or ("bad", "good"))
    ]
    return sorted(found)


def is_terraform_fixture(path: Path) -> bool:
    return path.is_dir() and path.name.endswith(TERRAFORM_FOLDER)


def fixture_id(path: Path) -> str:
    """How a fixture is named in test ids: ``RL101/bad.yaml``."""
    return f"{path.parent.name}/{path.name}"


def expected_findings(path: Path) -> set[Expectation]:
    """The (rule id, line) pairs a fixture declares, from comments or its ``.expected`` file.

    For a Terraform module folder the line is given with its file: see :func:`located_set`.
    """
    if is_terraform_fixture(path):
        return {(rule_id, line) for rule_id, _, line in expected_in_folder(path)}
    if path.suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.name + EXPECTED_SUFFIX)
        if not sidecar.exists():
            return set()
        expected: set[Expectation] = set()
        for raw in sidecar.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            written_number, rule_id = line.split()
            expected.add((rule_id, int(written_number)))
        return expected
    expected = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT_COMMENT.search(text)
        if match:
            expected |= {(rule_id.strip(), number) for rule_id in match.group(1).split(",")}
    return expected


def expected_in_folder(folder: Path) -> set[tuple[str, str, int]]:
    """(rule id, file name, line) for every ``# expect:`` comment in a module folder."""
    return {
        (rule_id, file.name, line)
        for file in sorted(folder.iterdir())
        if file.is_file() and not file.name.endswith(".json")
        for rule_id, line in expected_findings(file)
    }


def located_set(findings: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.rule_id, Path(f.location.file).name, f.location.line) for f in findings}


def lint_file(path: Path) -> Report:
    """The real pipeline (discover, parse, model, checks) over one file, with the configuration
    found above it, as `rolelint check` finds it (a fixture folder may hold a .rolelint.yaml)."""
    return lint_paths([str(path)], config=load_config(find_config([str(path)])))


def finding_set(findings: list[Finding]) -> set[Expectation]:
    return {(finding.rule_id, finding.location.line) for finding in findings}


def describe(findings: list[Finding]) -> str:
    """Readable findings for assertion messages."""
    return "\n".join(
        f"  {f.location.line}:{f.location.column} {f.rule_id} [{f.severity.value}] {f.message}"
        for f in findings
    )


def lint_text(
    code: str,
    suffix: str,
    directory: Path,
    name: str = "example",
    config: dict[str, Any] | None = None,
) -> Report:
    """Write ``code`` to ``directory/<name>.<suffix>`` and lint it (examples, unit cases), with
    ``config`` written as the folder's .rolelint.yaml when given."""
    path = directory / f"{name}.{suffix}"
    path.write_text(code, encoding="utf-8")
    if config is not None:
        (directory / ".rolelint.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return lint_file(path)


def policy(*statements: dict[str, Any]) -> str:
    """A policy document as the JSON text a user would write (two-space indent)."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def line_of(code: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``code`` that contains ``needle``."""
    hits = [number for number, text in enumerate(code.splitlines(), 1) if needle in text]
    assert len(hits) >= occurrence, f"{needle!r} occurs {len(hits)} times"
    return hits[occurrence - 1]


def findings_of(code: str, suffix: str, directory: Path) -> list[Finding]:
    """Lint ``code``; it must be analyzed without input errors."""
    report = lint_text(code, suffix, directory)
    assert report.errors == []
    assert report.files_analyzed == 1
    return report.findings


def exported_role(
    name: str,
    path: str = "/",
    *,
    account: str = "111122223333",
    trusted: Mapping[str, Any] | None = None,
    attached: Sequence[str] = (),
    inline: Mapping[str, Mapping[str, Any]] | None = None,
    seconds: int | None = None,
) -> dict[str, Any]:
    """One role of an account-authorization export (a ``RoleDetailList`` entry, as ``aws iam
    get-account-authorization-details`` writes it), shared so that a change to the export's
    shape is made once: ``trusted`` (a ``Principal``; default the Lambda service) may assume
    it, with the managed policies ``attached`` (ARNs), the ``inline`` policies (name ->
    document) and a ``MaxSessionDuration`` of ``seconds`` when given.  The keys keep one
    order, so a test may count the lines of the JSON it is dumped into."""
    principal = trusted if trusted is not None else {"Service": "lambda.amazonaws.com"}
    role: dict[str, Any] = {
        "Path": path,
        "RoleName": name,
        "RoleId": "AROA" + name.upper().ljust(17, "X"),
        "Arn": f"arn:aws:iam::{account}:role{path}{name}",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
        },
        "RolePolicyList": [
            {"PolicyName": policy_name, "PolicyDocument": document}
            for policy_name, document in (inline or {}).items()
        ],
        "AttachedManagedPolicies": [
            {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyArn": arn} for arn in attached
        ],
    }
    if seconds is not None:
        role["MaxSessionDuration"] = seconds
    role["InstanceProfileList"] = []
    return role
