"""Project promises: the README's set-up commands, CI running exactly them, the hook file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from tests.conftest import REPO, run_python


def readme_commands() -> list[str]:
    """The shell commands in the README's first code block."""
    text = (REPO / "README.md").read_text()
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert block, "README must open with a code block of set-up commands"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "rolelint check fixtures/examples" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci_lines


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["id"] == "rolelint"
    assert hook["entry"] == "rolelint check"
    # By name: templates (.template, .cfn, .tmpl, .tftpl, .tpl) have no pre-commit file type
    # (tests/test_precommit.py checks every suffix with pre-commit's own selection).
    assert "types_or" not in hook and "tftpl" in hook["files"]
    # Cross-file analysis needs every file in one process.
    assert hook["require_serial"] is True
    assert hook["minimum_pre_commit_version"] == "2.9.0"


def test_generated_rule_index_is_current() -> None:
    from tests.conftest import run_rolelint

    result = run_rolelint("rules", "--format", "markdown")
    assert result.returncode == 0
    assert (REPO / "docs" / "rules.md").read_text() == result.stdout, (
        "docs/rules.md is stale: run `rolelint rules --format markdown > docs/rules.md`"
    )


def _layout_rows() -> list[tuple[str, str]]:
    """CONTRIBUTING.md's layout table: (where, what) of each row."""
    text = (REPO / "CONTRIBUTING.md").read_text()
    table = text[text.index("| where | what |") : text.index("Parsers know nothing of rules")]
    rows = [line.strip().strip("|").split(" | ", 1) for line in table.splitlines()]
    return [(row[0], row[1]) for row in rows if len(row) == 2 and row[0].startswith(" `")]


def test_contributing_layout_names_every_module_and_fixture_folder() -> None:
    """CONTRIBUTING.md's layout table said reporters/ held "text, json, sarif" and left out
    audit/, graph/, config.py, baseline.py, suppressions.py and four fixture folders; later a
    dozen parsers (aws_config.py, hcl_split.py, which docs/fuzzing.md cites, ...), every check
    module, graph/caller_conditions.py and audit/choices.py.  Every module of rolelint/ is
    named, by its path or by its name in the row of its folder."""
    rows = _layout_rows()
    table = "\n".join(f"{where} | {what}" for where, what in rows)
    package = REPO / "rolelint"

    def named(module: Path) -> bool:
        path = module.relative_to(REPO).as_posix()
        folder = module.parent.relative_to(REPO).as_posix()
        return f"`{path}`" in table or any(
            f"`{folder}/`" in where and f"`{module.name}`" in what for where, what in rows
        )

    modules = sorted(package.rglob("*.py"))
    fixtures = [f"{path.name}/" for path in (REPO / "fixtures").iterdir() if path.is_dir()]
    missing = [module.relative_to(REPO).as_posix() for module in modules if not named(module)]
    missing += [name for name in fixtures if f"{name}`" not in table]
    assert missing == []


def test_a_clone_made_elsewhere_finds_the_corpus_where_rolelint_corpus_says(tmp_path: Path) -> None:
    """A clone outside the folder holding ``shared/`` would skip every corpus test silently
    unless the corpus can be named; the tests and the benchmarks read the same variable."""
    code = (
        "import sys; sys.path.insert(0, 'benchmarks')\n"
        "from tests.conftest import CORPUS as tests\n"
        "from compare import CORPUS as benchmarks\n"
        "print(tests, benchmarks)"
    )
    named = run_python(code, env={**os.environ, "ROLELINT_CORPUS": str(tmp_path)})
    assert named.stdout.split() == [str(tmp_path)] * 2, named.stderr
    unset = {k: v for k, v in os.environ.items() if k != "ROLELINT_CORPUS"}
    beside = str(REPO.parent / "shared" / "corpus")
    assert run_python(code, env=unset).stdout.split() == [beside] * 2
