"""The pre-commit hook as users get it: pre-commit installs this project and runs the hook.

The end-to-end tests run ``pre-commit try-repo`` against a commit of this working tree, in a
throwaway git repository, so pre-commit builds the hook's virtualenv with ``pip install .`` (the
one network access: PyPI, for the dependencies). They take a few seconds each, mostly that
install: try-repo gives every run a fresh hook environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rolelint.parsers import RENDERED_TEMPLATE_SUFFIXES, SUPPORTED_SUFFIXES
from tests.conftest import REPO

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install '.[test]'")
identify = pytest.importorskip("identify.identify", reason="identify comes with pre-commit")

HOOK_ID = "rolelint"

BAD_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
"""

BAD_TERRAFORM = """\
resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sts:AssumeRole"
    }]
  })
}
"""

GOOD_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  FunctionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
"""

WORKFLOW = """\
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
      - run: make test
"""

PACKAGE_JSON = '{"name": "web", "version": "1.0.0", "scripts": {"test": "jest"}}\n'

# Would be an error if it reached rolelint (it names AWS:: and is not valid YAML): the hook's
# types must keep Markdown away from it.
NOTES = "# Notes\n\nThe `AWS::IAM::Role` in `template.yaml`: {unbalanced\n"


def _line_of(text: str, needle: str) -> int:
    [line] = [n for n, content in enumerate(text.splitlines(), 1) if needle in content]
    return line


# -- the hook definition, checked with pre-commit's own code (fast, no network) ----------------


def _hook() -> dict[str, Any]:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert isinstance(hook, dict)
    return hook


def test_hook_definition_is_valid_for_pre_commit() -> None:
    # load_manifest rejects unknown languages, type tags identify does not know, and a
    # minimum_pre_commit_version newer than the installed pre-commit.
    hook = _hook()
    assert hook["id"] == HOOK_ID
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True


def _selected(hook: dict[str, Any], folder: Path, names: list[str]) -> set[str]:
    """The files of ``names`` (created in ``folder``) pre-commit would give ``hook``, chosen by
    pre-commit's own code: its ``files``/``exclude`` patterns, then the file types."""
    from pre_commit.commands.run import Classifier, filter_by_include_exclude

    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}\n")
    paths = [str(folder / name) for name in names]
    classifier = Classifier(paths)
    by_name = filter_by_include_exclude(paths, hook["files"], hook["exclude"])
    chosen = classifier.by_types(by_name, hook["types"], hook["types_or"], hook["exclude_types"])
    return {os.path.relpath(path, folder) for path in chosen}


def test_hook_is_given_every_file_name_rolelint_reads(tmp_path: Path) -> None:
    """templatefile() templates (.tftpl, .tpl) and CloudFormation's .template/.cfn/.tmpl carry
    no type pre-commit knows: selected by types, a commit that changed only a policy template
    never ran the hook (docs/ci.md says it is judged as its module's policy)."""
    suffixes = [*SUPPORTED_SUFFIXES, *RENDERED_TEMPLATE_SUFFIXES]
    read = [f"infra/stack{suffix}" for suffix in suffixes]
    read += [f"infra/STACK{suffix.upper()}" for suffix in suffixes]
    others = ["README.md", "main.py", "infra/stack.template.bak", "chart/values.yaml.j2"]
    assert _selected(_hook(), tmp_path, read + others) == set(read)


# -- end to end: pre-commit try-repo ------------------------------------------------------------


def _git_env() -> dict[str, str]:
    """The environment without the caller's git state (pytest may itself run inside a git hook,
    which sets GIT_DIR and GIT_INDEX_FILE) and without the user's git configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    return env


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=_git_env(), check=True, capture_output=True, text=True
    ).stdout


def _init_repository(path: Path) -> None:
    _git(path, "init", "--quiet")
    _git(path, "config", "user.name", "rolelint tests")
    _git(path, "config", "user.email", "tests@rolelint.invalid")
    _git(path, "config", "commit.gpgsign", "false")


@pytest.fixture(scope="session")
def git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache and log for this session only, never the user's ~/.cache/pre-commit."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repository(git: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, as one commit of a repository of its own.

    try-repo on the project itself would install HEAD, or HEAD plus changes to *tracked* files
    only (its documented behaviour): a new module not yet added to git would be missing and the
    hook would test something other than the code under test. A commit of the tracked and
    untracked, not ignored, files is exactly the working tree, whatever state git is in.
    """
    if not (REPO / ".git").exists():
        pytest.skip("this copy of rolelint is not a git checkout: try-repo needs one")
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    snapshot = tmp_path_factory.mktemp("rolelint-hook-repo")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # listed but deleted in the working tree: not part of it
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    _init_repository(snapshot)
    _git(snapshot, "add", "--all")
    _git(snapshot, "commit", "--quiet", "--message", "working tree under test")
    return snapshot


@pytest.fixture
def project(git: None, tmp_path: Path) -> Path:
    """A user's repository with one commit, where the tests stage their files."""
    path = tmp_path / "project"
    path.mkdir()
    _init_repository(path)
    (path / "README.md").write_text("# infra\n")
    _git(path, "add", "README.md")
    _git(path, "commit", "--quiet", "--message", "initial")
    return path


def _stage(project: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    _git(project, "add", *files)
    return list(files)


def _try_repo(
    project: Path, hook_repository: Path, home: Path, files: list[str]
) -> subprocess.CompletedProcess[str]:
    env = _git_env()
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repository), HOOK_ID]
    return subprocess.run(
        [*command, "--verbose", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_role_anyone_may_assume(
    project: Path, hook_repository: Path, pre_commit_home: Path
) -> None:
    files = _stage(project, {"template.yaml": BAD_TEMPLATE, "infra/main.tf": BAD_TERRAFORM})

    result = _try_repo(project, hook_repository, pre_commit_home, files)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Failed" in output
    assert "- exit code: 1" in output  # findings, not an error (2)
    template_line = _line_of(BAD_TEMPLATE, 'Principal: "*"')
    terraform_line = _line_of(BAD_TERRAFORM, 'Principal = "*"')
    assert re.search(rf"^template\.yaml:{template_line}:\d+ .*RL101", output, re.M), output
    assert re.search(rf"^infra/main\.tf:{terraform_line}:\d+ .*RL101", output, re.M), output


def test_hook_passes_a_role_only_a_service_may_assume(
    project: Path, hook_repository: Path, pre_commit_home: Path
) -> None:
    files = _stage(project, {"template.yaml": GOOD_TEMPLATE})

    result = _try_repo(project, hook_repository, pre_commit_home, files)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^rolelint\.+Passed$", output, re.M), output
    assert "0 findings in 1 file" in output


def test_hook_skips_files_that_are_not_infrastructure_quietly(
    project: Path, hook_repository: Path, pre_commit_home: Path
) -> None:
    files = _stage(
        project,
        {".github/workflows/ci.yml": WORKFLOW, "package.json": PACKAGE_JSON, "NOTES.md": NOTES},
    )

    result = _try_repo(project, hook_repository, pre_commit_home, files)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^rolelint\.+Passed$", output, re.M), output
    # The workflow and package.json reached rolelint and were skipped; NOTES.md never reached it
    # (it would have been an error).
    assert re.search(r"\b0 findings in 0 files; 2 skipped\b", output), output
    assert "error:" not in output
    assert "NOTES.md" not in output


TEMPLATE_MODULE = """\
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = file("${path.module}/policies/trust.json")
}

resource "aws_iam_role_policy" "app" {
  role   = aws_iam_role.app.id
  policy = templatefile("${path.module}/policies/permissions.json.tftpl", { action = "s3:*" })
}
"""
TRUST = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}\n'
)
PERMISSIONS = """\
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "*"}]
}
"""


def test_hook_judges_a_commit_that_changes_only_a_policy_template(
    project: Path, hook_repository: Path, pre_commit_home: Path
) -> None:
    """The shipped hook skipped it ("no files to check"): an Action of "*" written into the
    template passed the commit."""
    _stage(
        project,
        {"infra/main.tf": TEMPLATE_MODULE, "infra/policies/trust.json": TRUST},
    )
    _git(project, "commit", "--quiet", "--message", "module")
    template = "infra/policies/permissions.json.tftpl"
    files = _stage(project, {template: PERMISSIONS.replace("${action}", "*")})

    result = _try_repo(project, hook_repository, pre_commit_home, files)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "- exit code: 1" in output
    line = _line_of(PERMISSIONS, "${action}")
    finding = rf"^{re.escape(template)}:{line}:\d+ +CRITICAL +RL201 .*aws_iam_role_policy\.app"
    assert re.search(finding, output, re.M), output


WORKLOAD_BOUNDARY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WorkloadBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: workload-boundary
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ACTIONS, Resource: "*"}
"""
# The delegate of AWS's CreateOrChangeOnlyWithBoundary: it may create roles only with the
# boundary above, named by an ARN its text computes.
DELEGATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String, Default: workload-boundary}
Resources:
  DeveloperRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: delegated-iam
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy]
                Resource: "*"
                Condition:
                  StringEquals:
                    iam:PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/${Name}
"""


def test_hook_judges_a_changed_boundary_as_the_boundary_another_template_requires(
    project: Path, hook_repository: Path, pre_commit_home: Path
) -> None:
    """A commit changing only the template that defines a delegation's permissions boundary:
    the hook judged the policy as a grant of its own (RL202, RL203, RL208 on its ``s3:*`` and
    ``sqs:*``, exit 1) where a run over the repository, which sees the delegating role of
    another template, judges it as that boundary and passes."""
    _stage(
        project,
        {
            "stacks/delegate.yaml": DELEGATE,
            "stacks/boundary.yaml": WORKLOAD_BOUNDARY.replace("ACTIONS", '["s3:*"]'),
        },
    )
    _git(project, "commit", "--quiet", "--message", "delegation")
    files = _stage(
        project, {"stacks/boundary.yaml": WORKLOAD_BOUNDARY.replace("ACTIONS", '["s3:*", "sqs:*"]')}
    )

    result = _try_repo(project, hook_repository, pre_commit_home, files)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^rolelint\.+Passed$", output, re.M), output
    assert "RL20" not in output
