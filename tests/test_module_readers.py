"""A JSON policy a Terraform module reads with file() is that module's, however it is named."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from rolelint import discovery, module_readers, reading
from rolelint.api import lint_paths
from rolelint.discovery import Target
from rolelint.findings import Report
from rolelint.module_readers import ModuleSearch, may_be_read
from rolelint.parse_jobs import parse_file
from rolelint.parsers.tf_calls import local_sources
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


def _may_be_read(path: Path) -> bool:
    """may_be_read as a run asks it: with what the file's own reading found."""
    return may_be_read(str(path), parse_file(Target(str(path), explicit=True)).outcome)


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
    assert ModuleSearch().readers(str(policy)) == [str(tmp_path / "infra")]
    assert ModuleSearch().readers(str(tmp_path / "infra" / "policies" / "unused.json")) == []
    (tmp_path / "infra" / "template.tf").write_text('templatefile("trust.json.tmpl", {})\n')
    template = tmp_path / "infra" / "trust.json.tmpl"  # a template is named as a policy is
    assert ModuleSearch().readers(str(template)) == [str(tmp_path / "infra")]
    # Not past the root of the checkout.
    (tmp_path.parent / "outside.tf").write_text('file("deploy.json")\n')
    try:
        assert ModuleSearch().readers(str(tmp_path / "deploy.json")) == []
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
    assert ModuleSearch().readers("deploy.json") == [".."]
    monkeypatch.chdir(tmp_path / "infra")
    assert ModuleSearch().readers("policies/deploy.json") == [""]


def test_each_folder_is_read_once_for_every_file_of_a_run(tmp_path: Path) -> None:
    """Review 2: 500 named policies read the Terraform of their folders 500 times (2 s)."""
    _project(tmp_path)
    search = ModuleSearch()
    policies = tmp_path / "infra" / "policies"
    assert search.readers(str(policies / "deploy.json")) == [str(tmp_path / "infra")]
    (tmp_path / "infra" / "main.tf").write_text("")  # not read again: the run's view stands
    assert search.readers(str(policies / "deploy.json")) == [str(tmp_path / "infra")]


def test_a_pipe_among_the_terraform_files_does_not_block(tmp_path: Path) -> None:
    """The folders are searched as the scan reads files: opening a FIFO named ``x.tf`` waited
    for a writer for ever."""
    import os
    import threading

    _project(tmp_path)
    os.mkfifo(tmp_path / "infra" / "pipe.tf")
    found: list[list[str]] = []
    policy = str(tmp_path / "infra" / "policies" / "deploy.json")
    worker = threading.Thread(
        target=lambda: found.append(ModuleSearch().readers(policy)), daemon=True
    )
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
        "0 findings in 0 files; 1 skipped (1 no module in its folder or the two above renders"
        " it with templatefile()); 0 errors\n"
    )
    # In a checkout the whole project was searched, and the reason says so.
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks" / "app").mkdir(parents=True)
    (tmp_path / "stacks" / "app" / "main.tf").write_text('locals { p = "other.tftpl" }\n')
    result = run_rolelint("check", f"p{suffix}", "--no-cache", cwd=tmp_path)
    assert result.stdout == (
        "0 findings in 0 files; 1 skipped (1 no module of its project renders it with"
        " templatefile()); 0 errors\n"
    )


DEPLOYER = """\
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { AWS = "arn:aws:iam::999988887777:root" } }]
  })
}
"""


def _report(root: Path, *paths: str) -> tuple[int, list[dict[str, object]]]:
    result = run_rolelint("check", *paths, "--format", "json", "--no-cache", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def _named(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    keys = ("rule_id", "file", "line", "resource", "message", "fingerprint")
    return [tuple(f[key] for key in keys) for f in findings if "suppressed" not in f]


def _calling_root(root: Path) -> None:
    """live/ calls modules/deployer, whose role another account may assume (RL102)."""
    (root / "live").mkdir()
    (root / "modules" / "deployer").mkdir(parents=True)
    (root / "live" / "main.tf").write_text(
        'module "deployer" {\n  source = "../modules/deployer"\n}\n'
    )
    (root / "live" / "variables.tf").write_text('variable "region" {\n  default = "x"\n}\n')
    (root / "modules" / "deployer" / "main.tf").write_text(DEPLOYER)
    (root / ".rolelint.yaml").write_text("exclude: []\n")  # the project's root


def test_a_named_roots_modules_are_read_alone_too_so_their_fingerprints_match(
    tmp_path: Path,
) -> None:
    """Staging live/variables.tf read modules/deployer only through module.deployer: its RL102
    came out under module.deployer.aws_iam_role.deployer, with another fingerprint than the
    folder scan's (which reads the module on its own as well and keeps that finding), so the
    recorded finding failed the commit as new."""
    _calling_root(tmp_path)
    _, whole = _report(tmp_path, ".")
    assert [(f[0], f[1], f[2], f[3]) for f in _named(whole)] == [
        ("RL102", "modules/deployer/main.tf", 6, "aws_iam_role.deployer")
    ]
    for named in (["live/variables.tf"], ["live/main.tf", "live/variables.tf"], ["live"]):
        assert _named(_report(tmp_path, *named)[1]) == _named(whole), named
    written = run_rolelint("check", "--write-baseline", ".rolelint-baseline.json", cwd=tmp_path)
    assert "recorded 1 finding" in written.stderr
    (tmp_path / ".rolelint.yaml").write_text("baseline: .rolelint-baseline.json\n")
    hook = run_rolelint("check", "live/variables.tf", "--no-cache", cwd=tmp_path)
    assert hook.returncode == 0, hook.stdout


def test_only_the_called_modules_a_folder_scan_reads_alone_are(tmp_path: Path) -> None:
    """A module outside the project (above the configuration's folder), or one the
    configuration excludes, is read by a folder scan only through its callers: so it is in a
    run of some files, and the finding keeps its module. address."""
    project = tmp_path / "project"
    project.mkdir()
    _calling_root(project)
    (project / "modules").rename(tmp_path / "modules")
    (project / "live" / "main.tf").write_text(
        'module "deployer" {\n  source = "../../modules/deployer"\n}\n'
    )
    outside = [(f[0], f[3]) for f in _named(_report(project, "live/variables.tf")[1])]
    assert outside == [("RL102", "module.deployer.aws_iam_role.deployer")]
    (tmp_path / "modules").rename(project / "modules")
    (project / "live" / "main.tf").write_text(
        'module "deployer" {\n  source = "../modules/deployer"\n}\n'
    )
    (project / ".rolelint.yaml").write_text("exclude: [modules]\n")
    excluded = _named(_report(project, "live/variables.tf")[1])
    assert [(f[0], f[3]) for f in excluded] == [("RL102", "module.deployer.aws_iam_role.deployer")]
    assert excluded == _named(_report(project, ".")[1])


def test_the_local_sources_of_module_blocks_are_read_from_the_text() -> None:
    """Only a module block's own source counts: not one in a comment, a string or a heredoc,
    nor another block's (an S3 object's source is a file), nor a registry address."""
    text = (
        '# module "c" { source = "./commented" }\n'
        'resource "aws_s3_object" "o" {\n  source = "./files/app.zip"\n}\n'
        'module "a" {\n  providers = { aws = aws.x }\n  source = "../modules/a"\n'
        '  tags = { x = "}" }\n}\n'
        'module b {\n  source = "./b"\n  policy = <<EOF\n{ "source": "./heredoc" }\n}}\nEOF\n}\n'
        'module "registry" { source = "terraform-aws-modules/iam/aws" }\n'
        'locals { x = "module \\"e\\" { source = \\"./in-a-string\\" }" }\n'
        '/* module "d" {\n  source = "./block-comment" } */\n'
        'module "f" {\n  count  = 0\n  source = "./f"\n}\n'
    )
    assert local_sources("main.tf", text) == ["../modules/a", "./b", "./f"]
    as_json = {
        "module": {"x": {"source": "../x"}, "y": [{"source": "git::https://example.com/y"}]},
        "resource": {"aws_s3_object": {"o": {"source": "./files"}}},
    }
    assert local_sources("main.tf.json", json.dumps(as_json)) == ["../x"]
    assert local_sources("main.tf", 'resource "a" "b" {\n  name = "x"\n}\n') == []


CI_ROLE = """\
variable "trusted_account" { type = string }
variable "resources" { type = list(string) }

resource "aws_iam_role" "this" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.trusted_account}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Resource = var.resources,
      Action = ["iam:PassRole", "ec2:RunInstances"] }]
  })
}
"""


def _called_module(root: Path, caller: str = "envs/prod") -> None:
    """modules/ci_role gets its trusted account and resources from ``caller``, in a checkout."""
    (root / ".git").mkdir()
    (root / "modules" / "ci_role").mkdir(parents=True)
    (root / "modules" / "ci_role" / "main.tf").write_text(CI_ROLE)
    (root / caller).mkdir(parents=True)
    (root / caller / "main.tf").write_text(
        'module "ci" {\n  source          = "../../modules/ci_role"\n'
        '  trusted_account = "999988887777"\n  resources       = ["*"]\n}\n'
    )


def test_a_named_module_file_is_judged_with_the_roots_that_call_it(tmp_path: Path) -> None:
    """pre-commit passing modules/ci_role/main.tf alone: its values come from envs/prod, and
    judged without them it gave no finding and no word, where the folder scan gives RL102 and
    RL206 in that very file."""
    _called_module(tmp_path)
    module = "modules/ci_role/main.tf"
    whole = [f for f in _named(_report(tmp_path, ".")[1]) if f[1] == module]
    assert [(f[0], f[2], f[3]) for f in whole] == [
        ("RL102", 10, "module.ci.aws_iam_role.this"),
        ("RL206", 21, "module.ci.aws_iam_role_policy.this"),
    ]
    code, named = _report(tmp_path, module)
    assert code == 1
    assert [f for f in _named(named) if f[1] == module] == whole


def test_a_named_module_brings_the_callers_of_its_callers(tmp_path: Path) -> None:
    """envs/prod calls modules/app, which calls modules/ci_role with what envs/prod passes."""
    _called_module(tmp_path, caller="modules/app")
    (tmp_path / "modules" / "app" / "main.tf").write_text(
        'variable "account" { type = string }\n'
        'module "ci" {\n  source          = "../ci_role"\n'
        '  trusted_account = var.account\n  resources       = ["*"]\n}\n'
    )
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "main.tf").write_text(
        'module "app" {\n  source  = "../../modules/app"\n  account = "999988887777"\n}\n'
    )
    module = "modules/ci_role/main.tf"
    whole = [f for f in _named(_report(tmp_path, ".")[1]) if f[1] == module]
    assert ("RL102", 10, "module.app.module.ci.aws_iam_role.this") in {
        (f[0], f[2], f[3]) for f in whole
    }
    assert [f for f in _named(_report(tmp_path, module)[1]) if f[1] == module] == whole


def test_a_named_module_no_root_calls_is_judged_alone(tmp_path: Path) -> None:
    """No caller found (a source naming another folder, a call in a comment, a folder the
    scan skips): the module is judged on its own, its unknown inputs giving no finding."""
    _called_module(tmp_path)
    (tmp_path / "envs" / "prod" / "main.tf").write_text(
        '# module "ci" { source = "../../modules/ci_role" }\n'
        'module "other" {\n  source = "../../modules/other"\n}\n'
    )
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "main.tf").write_text(
        'module "ci" {\n  source = "../../modules/ci_role"\n  trusted_account = "1"\n}\n'
    )
    assert _report(tmp_path, "modules/ci_role/main.tf") == (0, [])


BUILD_STACK = """\
resource "aws_iam_role" "build" {
  name = "build"
  assume_role_policy = file("${path.module}/../../policies/trust.json")
}
resource "aws_iam_policy" "build" {
  name   = "build"
  policy = templatefile("${path.module}/../../policies/build.tftpl", { account = var.account })
}
resource "aws_iam_role_policy_attachment" "build" {
  role       = aws_iam_role.build.name
  policy_arn = aws_iam_policy.build.arn
}
variable "account" { default = "123456789012" }
"""
TRUST = """\
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "sts:AssumeRole",
   "Principal": {"AWS": "arn:aws:iam::999988887777:root"}}]}
"""
BUILD = """\
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::${account}:role/*"}]}
"""


def _sibling_policies(root: Path) -> None:
    """stacks/app reads its policies from a policies/ folder beside stacks/, in a checkout."""
    (root / ".git").mkdir()
    (root / "stacks" / "app").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "stacks" / "app" / "main.tf").write_text(BUILD_STACK)
    (root / "policies" / "trust.json").write_text(TRUST)
    (root / "policies" / "build.tftpl").write_text(BUILD)


def test_a_named_policy_is_its_modules_wherever_in_the_project_the_module_is(
    tmp_path: Path,
) -> None:
    """Only the policy's folder and the two above were searched: ../../policies/trust.json,
    named alone, was judged as a raw policy (another message and fingerprint), and the
    template was skipped as rendered by no module, though stacks/app renders it."""
    _sibling_policies(tmp_path)
    whole = _named(_report(tmp_path, ".")[1])
    assert [(f[0], f[1], f[2], f[3]) for f in whole] == [
        ("RL206", "policies/build.tftpl", 2, "aws_iam_policy.build"),
        ("RL102", "policies/trust.json", 3, "aws_iam_role.build"),
    ]
    for policy in ("policies/trust.json", "policies/build.tftpl"):
        named = [f for f in _named(_report(tmp_path, policy)[1]) if f[1] == policy]
        assert named == [f for f in whole if f[1] == policy], policy
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert "recorded 2 findings" in written.stderr
    for policy in ("policies/trust.json", "policies/build.tftpl"):
        hook = run_rolelint("check", policy, "--baseline", "baseline.json", cwd=tmp_path)
        assert (hook.returncode, hook.stderr) == (0, ""), hook.stdout
        assert "note:" not in hook.stdout


def test_a_file_named_from_its_modules_folder_is_not_another_modules(tmp_path: Path) -> None:
    """Every stack reads its own policies/trust.json: searching the whole project, another
    stack's file of the same name must not bring that stack (its findings were reported), nor
    must a name in a comment ("terraform show -json plan.out > plan.json" brought a module to
    every plan.json named), nor a path whose known end names another folder."""
    (tmp_path / ".git").mkdir()
    for stack in ("a", "b"):
        (tmp_path / "stacks" / stack / "policies").mkdir(parents=True)
        (tmp_path / "stacks" / stack / "main.tf").write_text(
            'resource "aws_iam_role" "r" {\n  name = "r"\n'
            '  assume_role_policy = file("${path.module}/policies/trust.json")\n}\n'
        )
        (tmp_path / "stacks" / stack / "policies" / "trust.json").write_text(TRUST)
    (tmp_path / "stacks" / "c").mkdir()
    (tmp_path / "stacks" / "c" / "main.tf").write_text('locals { p = "${var.dir}/trust.json" }\n')
    (tmp_path / "stacks" / "d").mkdir()
    (tmp_path / "stacks" / "d" / "main.tf").write_text(
        "# policies/trust.json is read by stacks/a\n/* trust.json */\n"
        'locals { p = "${var.dir}/other/trust.json", url = "https://x/#trust.json" }\n'
    )
    policy = tmp_path / "stacks" / "a" / "policies" / "trust.json"
    found = ModuleSearch().readers(str(policy))
    assert found == [str(tmp_path / "stacks" / "a"), str(tmp_path / "stacks" / "c")]


def test_only_a_file_a_module_may_read_as_a_policy_is_searched_for(tmp_path: Path) -> None:
    """pre-commit passes every changed JSON file: package.json searched the project's modules
    (a walk of the whole repository) for nothing."""
    (tmp_path / "package.json").write_text('{"name": "web", "scripts": {"test": "jest"}}\n')
    (tmp_path / "deploy.json").write_text(json.dumps(POLICY))
    (tmp_path / "fragment.json.tftpl").write_text('"${arn}"\n')
    assert not _may_be_read(tmp_path / "package.json")
    assert _may_be_read(tmp_path / "deploy.json")
    assert _may_be_read(tmp_path / "fragment.json.tftpl")
    assert not _may_be_read(tmp_path / "main.yaml")
    # Policies below the top, which a module picks out: ``jsondecode(file(...))["ci"]``.
    (tmp_path / "policies.json").write_text(json.dumps({"ci": POLICY, "ops": [POLICY]}))
    assert _may_be_read(tmp_path / "policies.json")


def _crowded_project(root: Path, stacks: int) -> None:
    """modules/ci_role called from zz/prod, which the walk meets after ``stacks`` stacks."""
    _called_module(root, caller="zz/prod")
    for number in range(stacks):
        stack = root / "stacks" / f"s{number:03d}"
        stack.mkdir(parents=True)
        (stack / "main.tf").write_text(
            f'resource "aws_s3_bucket" "b" {{\n  bucket = "b{number}"\n}}\n'
        )


def _lint_here(root: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> Report:
    monkeypatch.chdir(root)
    return lint_paths(paths)


@pytest.mark.parametrize(
    ("budget", "stopped_at"),
    [(("SEARCH_ENTRIES", 40), "stacks"), (("SEARCH_BYTES", 1536), "stacks/s031")],
)
def test_the_search_for_a_named_modules_callers_stops_at_its_budget_saying_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: tuple[str, int], stopped_at: str
) -> None:
    """A file named alone had the whole project walked and every Terraform file read to find
    its callers (403 files read for one named, in a project of 400 folders), with no limit:
    the search stops at its budget, says where in one notice, and the file is still judged."""
    _crowded_project(tmp_path, 60)
    module = "modules/ci_role/main.tf"
    unlimited = _lint_here(tmp_path, monkeypatch, module)
    assert ("RL102", module) in {(f.rule_id, f.file) for f in unlimited.findings}
    assert unlimited.notices == []

    monkeypatch.setattr(module_readers, budget[0], budget[1], raising=False)
    read: list[str] = []
    real_read_folder = module_readers._read_folder

    def read_folder(folder: str, *rest: Any) -> list[tuple[str, str]]:
        read.append(folder)
        return real_read_folder(folder, *rest)

    monkeypatch.setattr(module_readers, "_read_folder", read_folder)
    limited = _lint_here(tmp_path, monkeypatch, module)
    assert [(n.file, n.line) for n in limited.notices] == [(module, None)]
    message = limited.notices[0].message
    assert message.startswith(
        f"the search for the modules that call or read this file stopped at {stopped_at} ("
    )
    assert message.endswith(
        "callers and readers beyond it are not read, so what they pass is not known here"
    )
    assert "zz/prod" not in read and len(read) < 40  # of 62
    assert limited.analyzed_files == {module}
    assert limited.errors == [] and limited.findings == []  # zz/prod passes the account


def test_every_search_asking_a_callers_index_the_budget_cut_short_counts_as_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The callers of a module are indexed once for the run, by the first search asking for
    them.  When the budget cut that search short, the index misses the callers beyond, but a
    later search given it (another named file's, another round's) was not counted as stopped,
    though it had not gone through them either: its baseline entries were judged.  Every
    search given such an index now counts as stopped (and each searching with it); one given a
    whole index does not."""
    _crowded_project(tmp_path, 60)
    monkeypatch.chdir(tmp_path)
    whole = ModuleSearch()
    assert whole.callers("modules/ci_role", "a.tf") == ["zz/prod"]
    assert whole.callers("modules/ci_role", "b.tf") == ["zz/prod"]
    assert whole.stopped == frozenset()

    monkeypatch.setattr(module_readers, "SEARCH_BYTES", 1536)
    cut = ModuleSearch()
    assert cut.callers("modules/ci_role", "a.tf") == []
    assert cut.stopped == {"a.tf"}
    assert cut.callers("modules/ci_role", "b.tf", ["c.tf"]) == []
    assert cut.stopped == {"a.tf", "b.tf", "c.tf"}
    assert [n.file for n in cut.notices] == ["a.tf"]


def test_the_callers_of_a_module_declaring_no_variable_are_not_searched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A root named alone (envs/prod declares no variable: no caller can pass it anything) had
    its callers searched for in a walk of the whole project all the same."""
    _crowded_project(tmp_path, 30)
    read: list[str] = []
    real_read_folder = module_readers._read_folder

    def read_folder(folder: str, *rest: Any) -> list[tuple[str, str]]:
        read.append(folder)
        return real_read_folder(folder, *rest)

    def no_walk(*_: object) -> list[str]:
        raise AssertionError("the project was walked")

    monkeypatch.setattr(module_readers, "_read_folder", read_folder)
    monkeypatch.setattr(discovery, "module_folders", no_walk)
    report = _lint_here(tmp_path, monkeypatch, "zz/prod/main.tf", "stacks/s003/main.tf")
    assert sorted(read) == ["modules/ci_role", "stacks/s003", "zz/prod"]
    assert [(f.rule_id, f.file, f.resource) for f in report.findings if f.rule_id == "RL102"] == [
        ("RL102", "modules/ci_role/main.tf", "module.ci.aws_iam_role.this")
    ]
    assert report.notices == []
    (tmp_path / "modules" / "ci_role" / "variables.tf").write_text(
        '# variable "unused" {}\nlocals {\n  variable = "x"\n}\n'
    )
    (tmp_path / "modules" / "ci_role" / "main.tf").write_text(
        'resource "aws_iam_role" "this" {\n  name = "ci"\n}\n'
    )
    assert module_readers.ModuleSearch().callers("modules/ci_role", "modules/ci_role/main.tf") == []


def test_a_named_document_with_policies_inside_is_not_searched_for_as_a_policy(
    tmp_path: Path,
) -> None:
    """A CloudFormation template, a saved plan or an account export holds policies ("Statement"),
    but no module reads one as its policy: each brought a search of the whole project."""
    documents = {
        "template.json": {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}},
        "stack.json": {"Resources": {"Role": {"Properties": {"Statement": []}}}},
        "plan.json": {
            "format_version": "1.2",
            "terraform_version": "1.9.0",
            "planned_values": {"root_module": {}},
        },
        "state.json": {
            "version": 4,
            "terraform_version": "1.9.0",
            "serial": 1,
            "lineage": "x",
            "resources": [{"instances": [{"attributes": {"policy": '{"Statement": []}'}}]}],
        },
        "export.json": {"RoleDetailList": [{"Statement": []}]},
        "described.json": {"description": "a statement of work"},
    }
    for name, document in documents.items():
        (tmp_path / name).write_text(json.dumps(document, indent=2))
        assert not _may_be_read(tmp_path / name), name
    (tmp_path / "stack.tmpl").write_text(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: []\n"
    )
    assert not _may_be_read(tmp_path / "stack.tmpl")
    (tmp_path / "deploy.json").write_text(json.dumps(POLICY))
    (tmp_path / "trust.json.tmpl").write_text('{"Statement": ${statements}}\n')
    assert _may_be_read(tmp_path / "deploy.json")
    assert _may_be_read(tmp_path / "trust.json.tmpl")


@pytest.mark.parametrize(
    "named",
    [
        (),
        ("modules/ci_role/main.tf",),
        ("policies/trust.json",),
        ("policies/trust.json", "modules/ci_role/main.tf"),
    ],
)
def test_a_scan_of_the_projects_root_is_the_one_walk_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: tuple[str, ...]
) -> None:
    """A folder scan walked the project, and the search for the modules a root calls, a module's
    callers or a policy's readers walked it again: the search reuses the scan's walk, and the
    modules a root calls, all read already, are not searched for at all."""
    _crowded_project(tmp_path, 30)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "trust.json").write_text(TRUST)
    (tmp_path / "stacks" / "s007" / "trust.tf").write_text(
        'resource "aws_iam_role" "r" {\n'
        '  assume_role_policy = file("${path.module}/../../policies/trust.json")\n}\n'
    )
    listed: list[str] = []
    real_listing = discovery._listing

    def listing(directory: str) -> tuple[list[str], list[str], set[str]]:
        listed.append(directory)
        return real_listing(directory)

    read: list[str] = []
    real_read_folder = module_readers._read_folder

    def read_folder(folder: str, *rest: Any) -> list[tuple[str, str]]:
        read.append(folder)
        return real_read_folder(folder, *rest)

    monkeypatch.setattr(discovery, "_listing", listing)
    monkeypatch.setattr(module_readers, "_read_folder", read_folder)
    report = _lint_here(tmp_path, monkeypatch, *named, ".")
    assert sorted(listed) == sorted(set(listed)), "a folder was listed twice"
    assert len(listed) == 37  # the root, modules, stacks, zz, policies, and each module folder
    if not named:
        assert read == []
    assert ("RL102", "modules/ci_role/main.tf", "module.ci.aws_iam_role.this") in {
        (f.rule_id, f.file, f.resource) for f in report.findings
    }
    assert ("RL102", "policies/trust.json", "aws_iam_role.r") in {
        (f.rule_id, f.file, f.resource) for f in report.findings
    }
    assert report.notices == []


LINKED_MODULE = """\
variable "trusted_account" { type = string }
variable "actions" {
  type    = list(string)
  default = ["s3:GetObject"]
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { AWS = "arn:aws:iam::${var.trusted_account}:root" } }]
  })
}

resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"""


def _linked_module(root: Path) -> None:
    """live/prod calls modules/ci_role through live/prod/mods, a link to ../../modules."""
    (root / ".git").mkdir()
    (root / "modules" / "ci_role").mkdir(parents=True)
    (root / "modules" / "ci_role" / "main.tf").write_text(LINKED_MODULE)
    (root / "live" / "prod").mkdir(parents=True)
    (root / "live" / "prod" / "mods").symlink_to(Path("..", "..", "modules"))
    (root / "live" / "prod" / "main.tf").write_text(
        'module "ci" {\n  source          = "./mods/ci_role"\n'
        '  trusted_account = "999988887777"\n'
        '  actions         = ["iam:PassRole", "ec2:RunInstances"]\n}\n'
    )


def test_a_module_a_root_calls_through_a_linked_folder_is_read_alone_where_a_scan_reads_it(
    tmp_path: Path,
) -> None:
    """live/prod/mods links to ../../modules: a folder scan does not enter the link and reads
    the module alone as modules/ci_role, but a run naming live/prod/main.tf read it alone as
    live/prod/mods/ci_role, so its RL208 (the default actions) came out under another file and
    fingerprint, and the finding the baseline recorded failed the commit as new."""
    _linked_module(tmp_path)
    _, whole = _report(tmp_path, ".")
    alone = [f for f in _named(whole) if f[3] == "aws_iam_role_policy.ci"]
    assert [(f[0], f[1], f[2]) for f in alone] == [("RL208", "modules/ci_role/main.tf", 20)]
    assert _named(_report(tmp_path, "live/prod/main.tf")[1]) == _named(whole)
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    hook = run_rolelint("check", "live/prod/main.tf", "--baseline", "baseline.json", cwd=tmp_path)
    assert hook.returncode == 0, hook.stdout


def test_a_module_file_named_from_its_own_folder_is_read_once(tmp_path: Path) -> None:
    """``cd modules/ci_role && rolelint check main.tf``: the module was read as ``main.tf`` and
    again through live/dev's call as ``../../modules/ci_role/main.tf``, so its RL208 came out
    twice, once as a finding the baseline did not record (exit 1)."""
    _linked_module(tmp_path)
    (tmp_path / "live" / "prod" / "mods").unlink()
    (tmp_path / "live" / "prod" / "main.tf").write_text(
        'module "ci" {\n  source          = "../../modules/ci_role"\n'
        '  trusted_account = "999988887777"\n}\n'
    )
    (tmp_path / ".rolelint.yaml").write_text("exclude: []\n")  # fingerprints from the root
    module = tmp_path / "modules" / "ci_role"
    found = _named(_report(module, "main.tf")[1])
    assert [(f[0], f[1], f[2], f[3]) for f in found] == [
        ("RL102", "main.tf", 12, "module.ci.aws_iam_role.ci"),
        ("RL208", "main.tf", 20, "aws_iam_role_policy.ci"),
    ]
    written = run_rolelint("check", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    (tmp_path / ".rolelint.yaml").write_text("baseline: baseline.json\n")
    hook = run_rolelint("check", "main.tf", "--no-cache", cwd=module)
    assert hook.returncode == 0, hook.stdout


@pytest.mark.parametrize(
    "named", ['"${path.root}/policies/trust.json"', '"policies/trust.json"', "local.trust"]
)
def test_a_module_declaring_no_variable_that_reads_a_file_by_its_roots_path_brings_callers(
    tmp_path: Path, named: str
) -> None:
    """modules/app declares no variable, but reads its trust policy from the root's folder
    (``${path.root}``, or a relative path, which Terraform reads from the working folder): the
    caller decides which file that is.  Its callers were not searched for, so the policy named
    alone was judged on its own (a new fingerprint, and a note that the module cannot read it)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules" / "app").mkdir(parents=True)
    (tmp_path / "modules" / "app" / "main.tf").write_text(
        'locals {\n  trust = "policies/trust.json"\n}\n'
        'resource "aws_iam_role" "app" {\n  name = "app"\n'
        f"  assume_role_policy = file({named})\n}}\n"
    )
    (tmp_path / "live" / "prod" / "policies").mkdir(parents=True)
    (tmp_path / "live" / "prod" / "main.tf").write_text(
        'module "app" {\n  source = "../../modules/app"\n}\n'
    )
    (tmp_path / "live" / "prod" / "policies" / "trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}\n'
    )
    policy = "live/prod/policies/trust.json"
    reports = []
    for paths in (".", policy):
        result = run_rolelint("check", paths, "--format", "json", "--no-cache", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        reports.append(json.loads(result.stdout))
    whole, named_alone = reports
    assert [(f[0], f[1], f[3]) for f in _named(whole["findings"])] == [
        ("RL101", policy, "module.app.aws_iam_role.app")
    ]
    assert _named(named_alone["findings"]) == _named(whole["findings"])
    # The module read on its own cannot read the file, in both runs alike.
    assert named_alone["notices"] == whole["notices"]


def test_outside_any_project_each_named_modules_callers_are_searched_around_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No checkout, no configuration: the callers of every named module were looked up in one
    index, built from the first file's folder and the two above, so a/modules/x's caller was
    found and b/modules/y's was not (its RL102 missing)."""
    trust = (
        'variable "account" { type = string }\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",'
        ' Principal = { AWS = "arn:aws:iam::${var.account}:root" } }]\n  })\n}\n'
    )
    for root, name in (("a", "x"), ("b", "y")):
        (tmp_path / root / "modules" / name).mkdir(parents=True)
        (tmp_path / root / "modules" / name / "main.tf").write_text(trust)
        (tmp_path / root / "main.tf").write_text(
            f'module "{name}" {{\n  source  = "./modules/{name}"\n  account = "999988887771"\n}}\n'
        )
    modules = ("a/modules/x/main.tf", "b/modules/y/main.tf")
    for named in (modules, modules[::-1]):
        report = _lint_here(tmp_path, monkeypatch, *named)
        assert sorted((f.rule_id, f.file, f.resource) for f in report.findings) == [
            ("RL102", "a/modules/x/main.tf", "module.x.aws_iam_role.r"),
            ("RL102", "b/modules/y/main.tf", "module.y.aws_iam_role.r"),
        ]


def test_outside_any_project_a_modules_callers_are_sought_in_its_folder_and_two_above_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What docs/ci.md says of the window outside a project: the file's folder and the two
    above, those folders only.  modules/ci_role's caller in envs/prod (below the top of the
    window) is not found; in the top folder it is; and a configuration file at the top makes
    the tree a project, searched whole."""
    _called_module(tmp_path)
    shutil.rmtree(tmp_path / ".git")
    module = "modules/ci_role/main.tf"

    def rl102(report: Report) -> list[str]:
        return [f.resource for f in report.findings if f.rule_id == "RL102"]

    assert rl102(_lint_here(tmp_path, monkeypatch, module)) == []
    (tmp_path / "envs" / "prod" / "main.tf").rename(tmp_path / "main.tf")
    (tmp_path / "main.tf").write_text(
        (tmp_path / "main.tf").read_text().replace("../../modules", "./modules")
    )
    assert rl102(_lint_here(tmp_path, monkeypatch, module)) == ["module.ci.aws_iam_role.this"]
    (tmp_path / "project").mkdir()
    _called_module(tmp_path / "project")
    shutil.rmtree(tmp_path / "project" / ".git")
    (tmp_path / "project" / ".rolelint.yaml").write_text("exclude: []\n")
    _, found = _report(tmp_path / "project", module)  # the command line finds it
    assert [f["resource"] for f in found if f["rule_id"] == "RL102"] == [
        "module.ci.aws_iam_role.this"
    ]


def test_the_search_is_not_spent_on_files_no_module_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An app/ folder of 5,100 Python files (walked first: folders are walked in name order)
    spent the 5,000 entries before live/ and modules/ were reached: the named module was
    judged without its caller, with a notice that the search stopped."""
    _called_module(tmp_path, caller="zz/prod")
    for package in range(51):
        folder = tmp_path / "app" / "src" / f"pkg{package:02d}"
        folder.mkdir(parents=True)
        for number in range(100):
            (folder / f"m{number:02d}.py").touch()
    report = _lint_here(tmp_path, monkeypatch, "modules/ci_role/main.tf")
    assert report.notices == []
    assert ("RL102", "module.ci.aws_iam_role.this") in {
        (f.rule_id, f.resource) for f in report.findings
    }


def test_a_template_whose_search_stopped_is_not_said_to_be_rendered_by_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search ran out of its budget before the module rendering policies/app.json.tftpl:
    the template was skipped as "no module of its project renders it", which the search did
    not know."""
    _crowded_project(tmp_path, 60)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "app.json.tftpl").write_text(BUILD)
    (tmp_path / "zz" / "prod" / "app.tf").write_text(
        'resource "aws_iam_policy" "app" {\n  name   = "app"\n'
        '  policy = templatefile("${path.module}/../../policies/app.json.tftpl",'
        ' { account = "1" })\n}\n'
    )
    monkeypatch.setattr(module_readers, "SEARCH_ENTRIES", 40)
    report = _lint_here(tmp_path, monkeypatch, "policies/app.json.tftpl")
    assert [n.file for n in report.notices] == ["policies/app.json.tftpl"]
    assert report.skipped_by_reason == {module_readers.NOT_RENDERED_SEARCH_STOPPED: 1}
    assert "stopped" in module_readers.NOT_RENDERED_SEARCH_STOPPED


def test_a_helm_template_brings_no_search_for_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Helm chart's ``templates/_helpers.tpl`` has Terraform's ``.tpl`` suffix: naming it
    walked the project for a module rendering it (and, in a large one, said the search
    stopped), though Helm templates are skipped quietly."""
    from rolelint.parsers import SKIP_UNRENDERED_TEMPLATE

    (tmp_path / ".git").mkdir()
    (tmp_path / "charts" / "web" / "templates" / "sub").mkdir(parents=True)
    (tmp_path / "charts" / "web" / "Chart.yaml").write_text("apiVersion: v2\nname: web\n")
    helpers = ("charts/web/templates/_helpers.tpl", "charts/web/templates/sub/_more.tpl")
    for helper in helpers:
        (tmp_path / helper).write_text('{{- define "web.name" -}}web{{- end }}\n')
        assert not _may_be_read(tmp_path / helper)

    def no_walk(*_: object) -> list[str]:
        raise AssertionError("the project was walked")

    monkeypatch.setattr(discovery, "module_folders", no_walk)
    report = _lint_here(tmp_path, monkeypatch, *helpers)
    assert report.notices == [] and report.errors == []
    assert report.skipped_by_reason == {SKIP_UNRENDERED_TEMPLATE: 2}
    (tmp_path / "charts" / "web" / "Chart.yaml").unlink()  # no chart: Terraform's suffix
    assert _may_be_read(tmp_path / helpers[0])


def test_a_tfvars_file_terraform_does_not_load_makes_no_module_a_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search read a module's ``prod.tfvars`` with its ``.tf`` files, though the module is
    read without it (Terraform loads it only with -var-file): the policy it names is not one the
    module reads, and naming the policy brought the module into the run for nothing.  The
    search reads the files the module's reading reads, and no more."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "deploy.json").write_text(json.dumps(POLICY, indent=2))
    (tmp_path / "stacks" / "app").mkdir(parents=True)
    (tmp_path / "stacks" / "app" / "main.tf").write_text(
        'variable "policy_path" {}\n'
        'resource "aws_iam_policy" "p" {\n  policy = file(var.policy_path)\n}\n'
    )
    (tmp_path / "stacks" / "app" / "prod.tfvars").write_text(
        'policy_path = "../../policies/deploy.json"\n'
    )
    (tmp_path / "stacks" / "app" / "terraform.tfvars").write_text('region = "eu-west-1"\n')
    monkeypatch.chdir(tmp_path)
    assert [path for path, _ in module_readers._read_folder("stacks/app")] == [
        "stacks/app/main.tf",
        "stacks/app/terraform.tfvars",
    ]
    assert ModuleSearch().readers("policies/deploy.json") == []
    report = lint_paths(["policies/deploy.json"])
    assert report.analyzed_files == {"policies/deploy.json"}


def test_a_project_is_looked_for_once_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit names hundreds of files in the same folders, and the search asked again, for
    each, whether every folder above it was the root of a checkout."""
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    asked: list[str] = []
    real_lexists = os.path.lexists

    def lexists(path: str) -> bool:
        asked.append(path)
        return real_lexists(path)

    search = ModuleSearch()
    monkeypatch.setattr(os.path, "lexists", lexists)
    for number in range(20):
        assert search.project(str(deep / f"p{number}.json")) == str(tmp_path)
    assert search.project(str(tmp_path / "a" / "b")) == str(tmp_path)
    assert search.project(str(tmp_path / "a" / "x.json")) == str(tmp_path)
    assert sorted(asked) == sorted(
        str(folder / ".git") for folder in (deep, deep.parent, deep.parent.parent, tmp_path)
    )


def test_a_named_file_is_read_once_and_its_reading_says_whether_a_module_may_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a module may read a named file was decided by reading it a second time, before
    its own reading, and guessing there from its text what kind of document it is: the file is
    read once, and what its reading found decides."""
    _project(tmp_path)
    (tmp_path / ".git").mkdir()
    read: list[str] = []
    real_read_text = reading.read_text

    def read_text(path: str, **options: object) -> reading.Reading:
        read.append(path)
        return real_read_text(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "read_text", read_text)
    report = _lint_here(tmp_path, monkeypatch, "infra/policies/deploy.json")
    assert read.count("infra/policies/deploy.json") == 1
    assert {(f.file, f.resource) for f in report.findings} >= {
        ("infra/policies/deploy.json", "aws_iam_role_policy.deploy")
    }


@pytest.mark.parametrize(
    ("name", "text", "searched"),
    [
        ("deploy.json", json.dumps(POLICY), True),
        ("broken.json", '{"Statement": ${statements}}', True),  # no JSON until rendered
        ("answer.json", json.dumps({"PolicyName": "p", "PolicyDocument": POLICY}), False),
        (
            "stack-policy.json",
            json.dumps(
                {
                    "Statement": [
                        {"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "*"}
                    ]
                }
            ),
            False,
        ),
        ("tsconfig.json", '{"compilerOptions": {"strict": true}}', False),
        ("policy.tmpl", "${jsonencode({ Statement = local.statements })}\n", True),
        ("policy.tftpl", "%{ for s in statements }${s}%{ endfor }\n", True),
        ("stack.json.tmpl", json.dumps({"Resources": {"R": {"Type": "AWS::IAM::Role"}}}), False),
        ("trust.yaml", "Statement: []\n", False),  # no module's file() policy suffix
    ],
)
def test_what_a_named_files_reading_found_says_whether_a_module_may_read_it(
    tmp_path: Path, name: str, text: str, searched: bool
) -> None:
    """A policy, a template no format recognises (its module fills it in, and may build the
    policy any way) and a file that does not parse may be a module's policy; a JSON file that
    is no IAM policy (an IAM answer, a stack policy, any other JSON) or another document
    rolelint reads is not, and brings no search of the project."""
    (tmp_path / name).write_text(text)
    assert _may_be_read(tmp_path / name) is searched
    assert may_be_read(str(tmp_path / name), None) is name.endswith(module_readers.READ_SUFFIXES)


class _Phases:
    """A progress that records each phase: its description, total and the steps it advanced."""

    def __init__(self) -> None:
        self.phases: list[list[object]] = []

    def phase(self, description: str, total: int | None = None) -> None:
        self.phases.append([description, total, 0])

    def advance(self, steps: int = 1) -> None:
        done = self.phases[-1][2]
        assert isinstance(done, int)
        self.phases[-1][2] = done + steps

    def close(self) -> None:
        pass


def test_the_reading_phase_counts_the_modules_the_search_brings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The modules a named policy brings are known once the files are read: the phase's total
    then counts them, and the steps reach it."""
    _project(tmp_path)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    progress = _Phases()
    lint_paths(["infra/policies/deploy.json"], progress=progress)
    reading_phases = [phase for phase in progress.phases if phase[0] == "reading files"]
    assert reading_phases[-1] == ["reading files", 2, 2]  # the policy, and its module


def test_what_only_an_excluded_file_says_brings_no_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search read the text of every Terraform file of a folder, those the configuration
    excludes too, though the run reads the module without them: a named policy only an
    excluded file reads brought its module, a named module only an excluded file calls brought
    that caller, and their findings were reported, though a whole run links neither.  A named
    file's run now reads what a whole run links to it, and no more."""
    from rolelint.config import find_config, load_config

    (tmp_path / ".git").mkdir()
    (tmp_path / ".rolelint.yaml").write_text('exclude: ["*_test.tf"]\n')
    (tmp_path / "infra" / "policies").mkdir(parents=True)
    (tmp_path / "infra" / "main.tf").write_text(DEPLOYER)
    (tmp_path / "infra" / "read_test.tf").write_text(MODULE.split("\n\n", 1)[1])
    (tmp_path / "infra" / "policies" / "deploy.json").write_text(json.dumps(POLICY, indent=2))
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "main.tf").write_text(DEPLOYER.replace("deployer", "live"))
    (tmp_path / "live" / "calls_test.tf").write_text(
        'module "deployer" {\n  source = "../modules/deployer"\n}\n'
    )
    (tmp_path / "modules" / "deployer").mkdir(parents=True)
    (tmp_path / "modules" / "deployer" / "main.tf").write_text(
        'variable "region" {\n  default = "x"\n}\n' + DEPLOYER
    )
    monkeypatch.chdir(tmp_path)

    def run(path: str) -> Report:
        return lint_paths([path], config=load_config(find_config([path])))

    whole = run(".")
    for named in ("infra/policies/deploy.json", "modules/deployer/main.tf"):
        hook = run(named)
        assert hook.analyzed_files == {named}
        assert [(f.rule_id, f.file, f.fingerprint) for f in hook.findings] == [
            (f.rule_id, f.file, f.fingerprint) for f in whole.findings if f.file == named
        ]


TEAM_MODULE = """\
variable "name" { type = string }

resource "aws_iam_role" "r" {
  name = "team-${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


@pytest.mark.parametrize("where", ["", "hcl"])
def test_outside_any_project_a_named_roots_modules_are_read_alone_as_a_folder_scan_reads_them(
    tmp_path: Path, where: str
) -> None:
    """No checkout, no configuration: a root named alone read the modules it calls only through
    its calls (the search for them gave up outside a project), so main.tf's RL201 came out
    under module.team["a"].aws_iam_role.r, with another fingerprint than the scan of its folder
    and the module's own file named alone give (which keep the module read alone, and say
    "also as module.team[...]"), and a baseline the folder scan wrote did not hold it.  The
    modules inside the root's folder are now read alone too, as a scan of it reads them, from
    that folder or from above it (``where``)."""
    folder = tmp_path / where
    (folder / "modules" / "team").mkdir(parents=True)
    (folder / "modules" / "team" / "main.tf").write_text(TEAM_MODULE)
    (folder / "main.tf").write_text(
        'module "team" {\n  source   = "./modules/team"\n'
        '  for_each = toset(["a", "b"])\n  name     = each.key\n}\n'
    )
    module = os.path.join(where, "modules", "team", "main.tf")
    scan = _named(_report(tmp_path, where or ".")[1])
    assert [(f[0], f[1], f[3]) for f in scan] == [("RL201", module, "aws_iam_role.r")]
    assert 'also as module.team["a"].aws_iam_role.r' in str(scan[0][4])
    named_root = os.path.join(where, "main.tf")
    for named in (named_root, module):
        assert _named(_report(tmp_path, named)[1]) == scan, named
    written = run_rolelint("check", where or ".", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert "recorded 1 finding" in written.stderr
    hook = run_rolelint(
        "check", named_root, "--baseline", "baseline.json", "--no-cache", cwd=tmp_path
    )
    assert hook.returncode == 0, hook.stdout
