"""A JSON policy a Terraform module reads with file() is that module's, however it is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.module_readers import modules_reading
from tests.conftest import run_rolelint

MODULE = """\
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  role   = aws_iam_role.deploy.name
  policy = file("${path.module}/policies/deploy.json")
}
"""
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _project(root: Path) -> None:
    (root / "infra" / "policies").mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(MODULE)
    (root / "infra" / "policies" / "deploy.json").write_text(json.dumps(POLICY, indent=2))
    (root / "infra" / "policies" / "unused.json").write_text(json.dumps(POLICY, indent=2))


def _findings(root: Path, *paths: str) -> list[tuple[str, str, int, str, str]]:
    result = run_rolelint("check", *paths, "--format", "json", "--no-cache", cwd=root)
    assert result.returncode == 1, result.stderr
    return [
        (f["rule_id"], f["file"], f["line"], f["resource"], f["fingerprint"])
        for f in json.loads(result.stdout)["findings"]
    ]


def test_the_modules_naming_a_file_are_found_in_its_folder_and_above(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / ".git").mkdir()
    policy = tmp_path / "infra" / "policies" / "deploy.json"
    assert modules_reading(str(policy)) == [str(tmp_path / "infra")]
    assert modules_reading(str(tmp_path / "infra" / "policies" / "unused.json")) == []
    (tmp_path / "infra" / "template.tf").write_text('templatefile("trust.json.tmpl", {})\n')
    template = tmp_path / "infra" / "trust.json.tmpl"  # a template is named as a policy is
    assert modules_reading(str(template)) == [str(tmp_path / "infra")]
    # Not past the root of the checkout.
    (tmp_path.parent / "outside.tf").write_text('file("deploy.json")\n')
    try:
        assert modules_reading(str(tmp_path / "deploy.json")) == []
    finally:
        (tmp_path.parent / "outside.tf").unlink()


def test_a_named_policy_a_module_reads_gets_the_findings_of_a_folder_scan(
    tmp_path: Path,
) -> None:
    """pre-commit names the changed policy alone: it was analyzed as a raw policy, with other
    findings and fingerprints than the folder scan that recorded the baseline."""
    _project(tmp_path)
    whole = [f for f in _findings(tmp_path, ".") if f[1] == "infra/policies/deploy.json"]
    named = [f for f in _findings(tmp_path, "infra/policies/deploy.json")]
    assert whole and [f[3] for f in whole] == ["aws_iam_role_policy.deploy"]
    assert [f for f in named if f[1] == "infra/policies/deploy.json"] == whole
    # A JSON file no module reads is still a policy of its own.
    alone = _findings(tmp_path, "infra/policies/unused.json")
    assert [(f[0], f[3]) for f in alone] == [("RL201", "infra/policies/unused.json")]


def test_the_modules_above_the_working_folder_are_found_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 2: run from the policy's own folder, the module above it was not looked at."""
    _project(tmp_path)
    monkeypatch.chdir(tmp_path / "infra" / "policies")
    assert modules_reading("deploy.json") == [".."]
    monkeypatch.chdir(tmp_path / "infra")
    assert modules_reading("policies/deploy.json") == [""]


def test_each_folder_is_read_once_for_every_file_of_a_run(tmp_path: Path) -> None:
    """Review 2: 500 named policies read the Terraform of their folders 500 times (2 s)."""
    _project(tmp_path)
    read: dict[str, frozenset[str]] = {}
    policies = tmp_path / "infra" / "policies"
    modules_reading(str(policies / "deploy.json"), read)
    assert read[str(tmp_path / "infra")] == frozenset({"deploy.json"})
    (tmp_path / "infra" / "main.tf").write_text("")  # not read again: the run's view stands
    assert modules_reading(str(policies / "deploy.json"), read) == [str(tmp_path / "infra")]


def test_a_pipe_among_the_terraform_files_does_not_block(tmp_path: Path) -> None:
    """The folders are searched as the scan reads files: opening a FIFO named ``x.tf`` waited
    for a writer for ever."""
    import os
    import threading

    _project(tmp_path)
    os.mkfifo(tmp_path / "infra" / "pipe.tf")
    found: list[list[str]] = []
    policy = str(tmp_path / "infra" / "policies" / "deploy.json")
    worker = threading.Thread(target=lambda: found.append(modules_reading(policy)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert found == [[str(tmp_path / "infra")]]


@pytest.mark.parametrize("suffix", [".json.tftpl", ".tpl"])
def test_a_named_template_with_terraforms_suffixes_brings_its_module(
    tmp_path: Path, suffix: str
) -> None:
    """A templatefile() template named ``.tftpl`` (as HashiCorp recommends) or ``.tpl`` was read
    on its own when named on the command line: "invalid JSON" at its ``${...}``, exit 2."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "a" {\n  name   = "a"\n'
        f'  policy = templatefile("${{path.module}}/p{suffix}", {{ arns = ["*"] }})\n}}\n'
    )
    (tmp_path / f"p{suffix}").write_text(
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",'
        ' "Action": "iam:PassRole", "Resource": ${jsonencode(arns)}}]\n}\n'
    )
    found = [(f[0], f[1], f[2], f[3]) for f in _findings(tmp_path, f"p{suffix}")]
    assert found == [("RL206", f"p{suffix}", 3, "aws_iam_policy.a")]


@pytest.mark.parametrize("suffix", [".json.tftpl", ".tpl"])
def test_a_named_template_no_module_renders_is_skipped_saying_why(
    tmp_path: Path, suffix: str
) -> None:
    """pre-commit passes every changed template: one no module found renders was read as a
    policy of its own, its placeholder "${action}" an action that does not exist (RL605)."""
    (tmp_path / f"p{suffix}").write_text(
        '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",'
        ' "Action": "${action}", "Resource": "*"}]\n}\n'
    )
    result = run_rolelint("check", f"p{suffix}", "--no-cache", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "0 findings in 0 files; 1 skipped (1 not rendered by a scanned module's "
        "templatefile()); 0 errors\n"
    )
