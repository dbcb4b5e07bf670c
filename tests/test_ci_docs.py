"""docs/ci.md and its example files: what users copy into their pipelines must be valid YAML,
wired the way the CI services need, identical between the page and the files, and made of
rolelint commands that really run."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolelint.parsers import RENDERED_TEMPLATE_SUFFIXES, SUPPORTED_SUFFIXES
from tests.conftest import EXAMPLES, REPO, run_rolelint

DOC = REPO / "docs" / "ci.md"
GITHUB_WORKFLOW = REPO / "docs" / "examples" / "github-workflow.yml"
GITLAB_JOB = REPO / "docs" / "examples" / "gitlab-ci.yml"


def _code_blocks(language: str) -> list[str]:
    text = DOC.read_text()
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def _load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict)
    return document


def _outputs(command: str) -> dict[str, str | None]:
    """``--format FORMAT[:FILE]`` of a rolelint command: format -> file (None: standard output)."""
    words = shlex.split(command)
    values = [words[i + 1] for i, word in enumerate(words) if word in ("--format", "-f")]
    return {value.partition(":")[0]: value.partition(":")[2] or None for value in values}


def _only(items: list[Any]) -> Any:
    assert len(items) == 1, items
    return items[0]


def test_the_page_shows_the_example_files_exactly() -> None:
    blocks = _code_blocks("yaml")
    for example in (GITHUB_WORKFLOW, GITLAB_JOB):
        assert example.read_text() in blocks, f"docs/ci.md no longer shows {example.name} as is"


def test_every_yaml_block_of_the_page_is_valid_yaml() -> None:
    blocks = _code_blocks("yaml")
    assert len(blocks) >= 5
    for block in blocks:
        assert isinstance(yaml.safe_load(block), dict), block


def test_github_workflow_uploads_the_sarif_rolelint_writes_even_when_rolelint_fails() -> None:
    workflow = _load(GITHUB_WORKFLOW)
    # YAML 1.1 (PyYAML) reads the key `on` as true; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert triggers is not None
    assert {"push", "pull_request"} <= set(triggers)
    job = _only(list(workflow["jobs"].values()))
    assert job["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    steps = job["steps"]
    check = _only([step for step in steps if "rolelint check" in step.get("run", "")])
    upload = _only(
        [step for step in steps if step.get("uses", "").startswith("github/codeql-action/")]
    )
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"] == "always()"
    assert steps.index(upload) > steps.index(check)
    outputs = _outputs(check["run"])
    assert outputs == {"sarif": "rolelint.sarif", "text": None}
    assert upload["with"] == {"sarif_file": outputs["sarif"], "category": "rolelint"}


def test_gitlab_job_hands_both_reports_to_gitlab_even_when_the_job_fails() -> None:
    job = _only(list(_load(GITLAB_JOB).values()))
    command = _only([line for line in job["script"] if line.startswith("rolelint check")])
    outputs = _outputs(command)
    artifacts = job["artifacts"]
    assert artifacts["reports"] == {"codequality": outputs["gitlab"], "junit": outputs["junit"]}
    assert outputs["gitlab"] == "gl-code-quality-report.json"
    assert outputs["junit"] == "rolelint-junit.xml"
    assert outputs["text"] is None
    assert artifacts["when"] == "always"
    assert sorted(artifacts["paths"]) == sorted(artifacts["reports"].values())


def test_installs_name_the_placeholder_repository_and_a_pinned_tag() -> None:
    installs = re.findall(r"pip install \"([^\"]+)\"", DOC.read_text())
    installs += re.findall(r"pip install \"([^\"]+)\"", GITHUB_WORKFLOW.read_text())
    installs += re.findall(r"pip install \"([^\"]+)\"", GITLAB_JOB.read_text())
    assert len(installs) >= 4
    pinned = {"git+https://github.com/YOUR-ORG/rolelint@v0.1.0", "rolelint==0.1.0"}
    assert set(installs) <= pinned, installs


def _pre_commit_configs() -> list[str]:
    return [block for block in _code_blocks("yaml") if block.startswith("repos:")]


def test_pre_commit_snippets_are_valid_pre_commit_configurations(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    from pre_commit.clientlib import load_config

    snippets = _pre_commit_configs()
    assert len(snippets) == 2
    for number, snippet in enumerate(snippets):
        path = tmp_path / f"config{number}.yaml"
        path.write_text(snippet)
        loaded = load_config(str(path))  # raises on what pre-commit would refuse
        [repo] = loaded["repos"]
        assert repo["repo"] == "https://github.com/YOUR-ORG/rolelint"
        [repo_line] = [line for line in snippet.splitlines() if "- repo:" in line]
        assert "PLACEHOLDER" in repo_line
        assert repo["rev"] == "v0.1.0"
        [hook] = repo["hooks"]
        assert hook["id"] == "rolelint"


def test_the_page_names_every_suffix_the_shipped_hook_selects() -> None:
    """The hook selects files by name (.pre-commit-hooks.yaml): the page lists them all."""
    hook = _only(yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()))
    pattern = re.compile(hook["files"])
    text = DOC.read_text()
    for suffix in (*SUPPORTED_SUFFIXES, *RENDERED_TEMPLATE_SUFFIXES):
        assert pattern.search(f"infra/stack{suffix}"), suffix
        assert f"`{suffix}`" in text, suffix


def test_pre_commit_splits_long_file_lists_even_for_a_serial_hook() -> None:
    """What the page says of require_serial, checked against pre-commit's own xargs: one run at
    a time (a single partition target), yet a list longer than a command line is split."""
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    import inspect

    from pre_commit import lang_base, xargs

    assert "jobs = 1" in inspect.getsource(lang_base.run_xargs)  # require_serial: one at a time
    limit = xargs._get_platform_max_length()
    names = [f"infra/stacks/stack-{index:05}/template.yaml" for index in range(limit // 30)]
    batches = xargs.partition(("rolelint", "check"), names, 1)
    assert len(batches) > 1
    text = DOC.read_text()
    assert "one process over every file" in text and "into runs one after the other" in text


def test_pre_commit_whole_repository_snippet_checks_the_top_folder() -> None:
    configs = [yaml.safe_load(snippet) for snippet in _pre_commit_configs()]
    whole = _only(
        [config for config in configs if "pass_filenames" in config["repos"][0]["hooks"][0]]
    )
    hook = whole["repos"][0]["hooks"][0]
    assert hook["pass_filenames"] is False and hook["args"] == ["."]


def _documented_commands() -> list[str]:
    """Every ``rolelint check ...`` the page and the example files show, once each."""
    text = "\n".join(path.read_text() for path in (DOC, GITHUB_WORKFLOW, GITLAB_JOB))
    found = (match.strip() for match in re.findall(r"rolelint check[^`\"\n]*", text))
    return sorted(set(found))


def test_documented_commands_run_and_write_the_reports_they_name(tmp_path: Path) -> None:
    commands = _documented_commands()
    assert "rolelint check . --format github" in commands
    assert len(commands) >= 5
    for number, command in enumerate(commands):
        checkout = tmp_path / f"run{number}"
        shutil.copytree(EXAMPLES, checkout)  # full of dangerous roles, on purpose
        result = run_rolelint(*shlex.split(command)[1:], cwd=checkout)
        assert result.returncode == 1, (command, result.stderr)
        assert "error" not in result.stderr, (command, result.stderr)
        for output_format, file in _outputs(command).items():
            if file is None:
                continue
            written = (checkout / file).read_text()
            if output_format == "sarif":
                # The workflow's `category: rolelint` is the id rolelint's SARIF carries.
                [run] = json.loads(written)["runs"]
                assert run["automationDetails"]["id"] == "rolelint/"
                assert run["results"]
            elif output_format == "gitlab":
                assert json.loads(written)
            elif output_format == "junit":
                assert int(ElementTree.fromstring(written).attrib["failures"]) > 0
