"""The team's configuration: where it is found, how it is validated, and what each setting does
to a real run (through the command, with real exit codes)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from rolelint.config import ConfigError, find_config, load_config
from rolelint.findings import Severity
from rolelint.globs import matches
from tests.conftest import REPO, run_rolelint

# A role everyone may assume (RL101, critical) with a two-hour session.
OPEN_ROLE = """\
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
"""
# A role trusted by another account without an ExternalId (RL102).
VENDOR_ROLE = """\
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
"""


def project(tmp_path: Path, config: str | None, name: str = ".rolelint.yaml") -> Path:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "open.yaml").write_text(OPEN_ROLE, encoding="utf-8")
    (tmp_path / "infra" / "vendor.yaml").write_text(VENDOR_ROLE, encoding="utf-8")
    if config is not None:
        (tmp_path / name).write_text(config, encoding="utf-8")
    return tmp_path


def check(root: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    result = run_rolelint("check", "infra", "--format", "json", *args, cwd=root)
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.returncode, report, result.stderr


def rules_of(report: dict[str, Any]) -> set[str]:
    return {f["rule_id"] for f in report["findings"] if "suppressed" not in f}


# --- finding and validating ----------------------------------------------------------------------


def test_the_nearest_file_wins_and_a_pyproject_without_the_table_is_passed_over(
    tmp_path: Path,
) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / ".rolelint.yaml").write_text("fail-on: high\n")
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    assert Path(find_config([str(nested)]) or "").resolve() == tmp_path / ".rolelint.yaml"
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.rolelint]\nfail-on = "medium"\n')
    assert Path(find_config([str(nested)]) or "").resolve() == tmp_path / "a" / "pyproject.toml"
    assert load_config(find_config([str(nested)])).fail_on is Severity.MEDIUM


def test_the_search_walks_up_a_linked_folder_as_named(tmp_path: Path) -> None:
    # infra is a link to a folder shared with other repositories: it is the repository's, and
    # so is the configuration above it (not one above the folder it points to).
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "vendor.yaml").write_text(VENDOR_ROLE, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".rolelint.yaml").write_text("fail-on: critical\n", encoding="utf-8")
    try:
        os.symlink(tmp_path / "shared", repo / "infra", target_is_directory=True)
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"symbolic links are not available here: {error}")
    for named in ("infra/vendor.yaml", "infra"):
        result = run_rolelint("check", named, "--format", "json", cwd=repo)
        [finding] = json.loads(result.stdout)["findings"]
        assert (finding["rule_id"], finding["file"], finding["line"]) == (
            "RL102",
            "infra/vendor.yaml",
            10,
        )
        assert result.returncode == 0  # high, below the configured fail-on: critical


# Globs and the baseline of a configuration reached through a symbolic link.
LINKED_CONFIG = """\
exclude: [infra/vendor.yaml]
per-path-ignores:
  "infra/*.yaml": [RL101]
baseline: accepted.json
"""
EMPTY_BASELINE = '{"tool": "rolelint", "format": 1, "findings": []}'


def _link(target: Path, link: Path, folder: bool) -> None:
    try:
        os.symlink(target, link, target_is_directory=folder)
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"symbolic links are not available here: {error}")


def _assert_globs_applied(result: Any) -> None:
    """infra/vendor.yaml excluded, infra/open.yaml's RL101 ignored by its per-path glob."""
    report = json.loads(result.stdout)
    [finding] = report["findings"]
    assert (finding["rule_id"], finding["line"], finding["suppressed"]["kind"]) == (
        "RL101",
        10,
        "external",
    )
    assert finding["file"].endswith("infra/open.yaml")
    assert report["summary"]["skipped_by_reason"] == {"excluded by the configuration": 1}
    assert result.returncode == 0


def test_globs_apply_to_a_repository_reached_through_a_linked_folder(tmp_path: Path) -> None:
    # The repository is scanned as link/infra: its configuration is found above the link, and
    # its globs start from its folder as named, not from the folder the link points to.
    (tmp_path / "real").mkdir()
    project(tmp_path / "real", LINKED_CONFIG)
    (tmp_path / "real" / "accepted.json").write_text(EMPTY_BASELINE, encoding="utf-8")
    _link(tmp_path / "real", tmp_path / "link", folder=True)
    result = run_rolelint("check", "link/infra", "--format", "json", cwd=tmp_path)
    _assert_globs_applied(result)


def test_globs_and_baseline_of_a_linked_configuration_file_start_at_the_link(
    tmp_path: Path,
) -> None:
    # .rolelint.yaml links to a file shared by several repositories: its globs and its
    # baseline are this repository's, both relative to the folder of the link.
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "rl.yaml").write_text(LINKED_CONFIG, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    project(repo, None)
    _link(Path("..") / "shared" / "rl.yaml", repo / ".rolelint.yaml", folder=False)
    config = load_config(str(repo / ".rolelint.yaml"))
    assert config.folder == str(repo)
    assert Path(config.baseline or "").resolve() == repo / "accepted.json"
    assert not (tmp_path / "shared" / "accepted.json").exists()
    result = run_rolelint("check", "infra", "--format", "json", "--isolated", cwd=repo)
    assert len(json.loads(result.stdout)["findings"]) == 2  # both files, nothing excluded
    (repo / "accepted.json").write_text(EMPTY_BASELINE, encoding="utf-8")
    _assert_globs_applied(run_rolelint("check", "infra", "--format", "json", cwd=repo))


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rolelint]\nselect = ["RL1"]\nchain-depth = 5\n'
        '[tool.rolelint.severity]\nRL101 = "low"\n'
    )
    config = load_config(str(tmp_path / "pyproject.toml"))
    assert config.select == ("RL1",)
    assert config.scan_settings().chain_depth == 5
    assert config.severity == {"RL101": Severity.LOW}


@pytest.mark.parametrize(
    ("tool", "kind"),
    [
        ("tool = 1", "an integer"),
        ('tool = "rolelint"', "a string"),
        ('tool = ["rolelint"]', "an array"),
    ],
)
def test_a_pyproject_whose_tool_is_no_table_is_passed_over_and_an_error_when_named(
    tmp_path: Path, tool: str, kind: str
) -> None:
    """``tool = 1`` crashed with an internal TypeError, found on the walk up or named.  It holds
    no rolelint settings: the walk goes on to the configuration above it; ``--config`` naming it
    is a configuration error."""
    root = project(tmp_path, "fail-on: critical\n")
    (root / "infra" / "pyproject.toml").write_text(tool + "\n")
    assert find_config([str(root / "infra")]) == str(root / ".rolelint.yaml")
    code, report, stderr = check(root, "--select", "RL102")
    [finding] = report["findings"]
    assert (finding["rule_id"], finding["file"], finding["line"]) == (
        "RL102",
        "infra/vendor.yaml",
        10,
    )
    assert code == 0, stderr  # high, below the parent configuration's fail-on: critical
    code, _, stderr = check(root, "--config", "infra/pyproject.toml")
    assert code == 2
    # At the line of ``tool`` ("a mistake is an error naming the file, the line and the key").
    assert f"infra/pyproject.toml:1: tool must be a table ([tool.rolelint]), not {kind}" in stderr
    assert "internal error" not in stderr


@pytest.mark.parametrize(
    ("name", "text", "message", "line"),
    [
        (  # the settings at the top level: a rolelint.toml written like .rolelint.yaml
            "rolelint.toml",
            "# team limits\nmax-session-duration = 3600\nfail-on = 'info'\n",
            "no [tool.rolelint] table (rolelint reads its settings from "
            "[tool.rolelint] in a TOML file); max-session-duration, fail-on must be under "
            "[tool.rolelint]",
            2,
        ),
        (
            "pyproject.toml",
            '[project]\nname = "infra"\n',
            "no [tool.rolelint] table (rolelint reads its settings from "
            "[tool.rolelint] in a TOML file)",
            None,
        ),
        (
            "pyproject.toml",
            'ignore = ["RL101"]\n[tool.black]\nline-length = 99\n',
            "ignore must be under [tool.rolelint]",
            1,
        ),
    ],
)
def test_a_toml_file_named_without_the_rolelint_table_is_an_error(
    tmp_path: Path, name: str, text: str, message: str, line: int | None
) -> None:
    """``--config rolelint.toml`` holding ``max-session-duration = 3600`` at the top level ran
    with the defaults, exit 0, unsaid: a file named as rolelint's configuration that holds none
    is an error.  Found on the walk up, such a pyproject.toml is still passed over."""
    root = project(tmp_path, None)
    (root / name).write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(str(root / name))
    assert message in raised.value.message and raised.value.line == line
    code, report, stderr = check(root, "--config", name)
    assert (code, report) == (2, {})
    where = f"{name}:{line}" if line else name
    assert f"error: invalid configuration {where}: " in stderr and message in stderr
    if name == "pyproject.toml":
        assert find_config([str(root / "infra")]) != str(root / name)  # passed over
        assert check(root)[0] == 1  # the defaults: RL101 is reported


@pytest.mark.parametrize(
    ("tool", "line"),
    [
        ("[tool]\nrolelint = 1\n", 2),
        ("tool = {rolelint = [1]}\n", 1),
        ('[project]\nname = "x"\n\n[tool]\nblack = {}\nrolelint = "strict"\n', 6),
        ('# settings\ntool.rolelint = "strict"\n[project]\nname = "x"\n', 2),
    ],
)
def test_a_rolelint_key_that_is_no_table_is_a_configuration_error(
    tmp_path: Path, tool: str, line: int
) -> None:
    """Named ``rolelint``, it is meant as rolelint's settings: the walk stops there and says so
    (it said "(top level): 1 is not of type 'object'"), at the key's line (it named none)."""
    root = project(tmp_path, "fail-on: critical\n")
    (root / "infra" / "pyproject.toml").write_text(tool)
    code, _, stderr = check(root)
    assert code == 2
    assert (
        f"invalid configuration infra/pyproject.toml:{line}: tool.rolelint must be a table"
        in stderr
    )


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("fail-on: high\nfial-on: low\n", "unknown setting fial-on", 2),
        ("fail-on: hgh\n", "fail-on: 'hgh' is not one of", 1),
        # Values as the file writes them, not as Python does ("None is not one of ...").
        ("fail-on:\n", "fail-on: null is not one of ['critical', 'high',", 1),
        ("fail-on: true\n", "fail-on: true is not one of", 1),
        ("rule-options:\n  RL403: {chain-depth: ~}\n", "chain-depth: null is not of type", 2),
        ("accounts:\n  - '12345'\n", "accounts.0: '12345' does not match", 2),
        ("chain-depth: 0\n", "chain-depth: 0 is less than the minimum of 1", 1),
        # The checks after the schema's gave no line ("the key and line", the README says).
        ("fail-on: low\nseverity:\n  RL999: low\n", "severity: unknown rule id RL999", 3),
        ("severity:\n  RL101: low\n  RL998: low\n  RL997: low\n", "RL997, RL998", 3),
        ("rule-options:\n  RL403: {depth: 2}\n", "unknown option depth (chain-depth)", 2),
        ("rule-options:\n\n  RL999: {}\n", "rule-options: unknown rule id RL999", 3),
        (
            "rule-options:\n  RL403:\n    chain-depth: 0\n",
            "rule-options.RL403.chain-depth: 0 is less than the minimum of 1",
            3,
        ),
        (
            "chain-depth: 4\nrule-options:\n  RL403: {chain-depth: 5}\n",
            "chain-depth and rule-options.RL403.chain-depth disagree",
            3,
        ),
        ("max-session-duration: 900\n", "900 is less than the minimum of 3600", 1),
        # A key that is no rule id named the line of severity: or rule-options: above it, and
        # said only that it did not match a pattern; a rule's name gets the id to write.
        (
            "fail-on: high\nseverity:\n  RL101: high\n  RL102: low\n"
            "  trust-policy-allows-anyone: low\n",
            "severity: 'trust-policy-allows-anyone' is not a rule id: "
            "write RL101 for trust-policy-allows-anyone",
            5,
        ),
        (
            "rule-options:\n  RL403:\n    chain-depth: 2\n  chaining: {}\n",
            "rule-options: 'chaining' names several rules (RL401, RL402, RL403, RL404, RL405)",
            4,
        ),
        ("severity:\n  RL101: low\n  sevrity: low\n", "'sevrity' is not a rule id", 3),
        # Unknown selectors were reported by the command line, with no line.
        ("ignore:\n  - RL101\n  - RL999\n", "unknown rule id, name or class in ignore: 'RL999'", 3),
        ("select: [rl1, chaining]\nextend-select:\n\n  - RL40x\n", "in extend-select: 'RL40x'", 4),
        # select: [] selects no rule, and a blank selector names none: both ran every rule.
        ("fail-on: low\nselect: []\n", "select: an empty list selects no rule", 2),
        ("select:\n  - RL101\n  - ' '\n", "unknown rule id, name or class in select: ' '", 3),
        (
            "per-path-ignores:\n  'a/*': [RL101]\n  'b/*':\n    - trust-typo\n",
            "unknown rule id, name or class in per-path-ignores: 'trust-typo'",
            4,
        ),
        ("select: [RL101\n", "invalid YAML", 2),
        ("- just a list\n", "must be a mapping", 1),
        # The templates' guards hold for the configuration that comes with them: ten lines of
        # aliases, each repeating the one before ten times, ran out of memory.
        (
            'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
            + "".join(f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]\n" for k in range(1, 9))
            + "ignore: *a8\n",
            "too many aliases",
            5,
        ),
        ("ignore:" + " [" * 300 + "]" * 300 + "\n", "too deeply nested", 1),
    ],
)
def test_an_invalid_configuration_names_the_key_and_line(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / ".rolelint.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(str(path))
    assert message in raised.value.message
    assert raised.value.line == line


def _special_file(tmp_path: Path, kind: str, name: str) -> Path:
    """``name`` in ``tmp_path`` as a link to a device, a pipe, or a broken link."""
    path = tmp_path / name
    if kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path / "gone")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("device", "not a regular file (a device or a pipe): not read"),
        ("pipe", "not a regular file (a device or a pipe): not read"),
        ("broken link", "broken symbolic link to"),
    ],
)
@pytest.mark.parametrize("name", [".rolelint.yaml", "pyproject.toml"])
def test_a_configuration_that_is_no_regular_file_is_an_error_not_skipped(
    tmp_path: Path, kind: str, message: str, name: str
) -> None:
    """It was passed over silently (and a parent folder's configuration used instead); a link
    to /dev/zero read as YAML would not end."""
    (tmp_path / ".rolelint.yaml").write_text("fail-on: critical\n")  # the parent's
    inner = tmp_path / "repo"
    inner.mkdir()
    (inner / "t.yaml").write_text("Resources: {}\n")
    _special_file(inner, kind, name)
    assert find_config([str(inner)]) is not None
    assert Path(find_config([str(inner)]) or "").name == name
    result = run_rolelint("check", str(inner / "t.yaml"), cwd=inner)
    assert result.returncode == 2
    assert f"invalid configuration {name}: {message}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", [".rolelint.yaml", "pyproject.toml"])
def test_a_binary_configuration_is_called_binary_not_a_template(tmp_path: Path, name: str) -> None:
    """It was "binary file, not a template or policy", the words for a scanned file: a
    configuration file is neither."""
    (tmp_path / name).write_bytes(b"\xf0\x07\x00binary")
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    result = run_rolelint("check", "t.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert f"error: invalid configuration {name}: binary file, not text\n" in result.stderr


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[tool.rolelint]\nfail-on = "high"\nselect = "RL101"\n', "select: 'RL101' is not", 3),
        (
            '[project]\nname = "x"\n\n[tool.rolelint]\nselect = [\n  "RL101",  # ok\n'
            '  "RL9x",\n]\n',
            "in select: 'RL9x'",
            7,
        ),
        ('[tool.rolelint]\nignore = ["RL101", "RL9x"]\n', "in ignore: 'RL9x'", 2),
        # Not the line inside the multi-line string.
        ('[tool.rolelint]\ndoc = """\nbogus = 1\n"""\nbogus = 1\n', "unknown setting bogus", 5),
        ('[tool.rolelint.severity]\nRL101 = "low"\n"RL999" = "low"\n', "unknown rule id RL999", 3),
        ('[tool.rolelint]\nseverity = { RL101 = "low", RL999 = "x=1" }\n', "RL999", 2),
        ("[tool.rolelint]\n[tool.rolelint.rule-options.RL101]\nfoo = 1\n", "unknown option", 3),
        ("[tool]\nrolelint.chain-depth = 30\n", "chain-depth: 30 is greater", 2),
        (
            '[tool.rolelint.per-path-ignores]\n"a/*" = ["RL101"]\n"b/*" = ["trust-typo"]\n',
            "in per-path-ignores: 'trust-typo'",
            3,
        ),
        ('[tool.rolelint]\nselect = ["RL101"\nfail-on = "high"\n', "Unclosed array", 3),
        # Inside inline tables the keys have no line of their own: the nearest enclosing key's.
        (
            '[tool.rolelint]\nfail-on = "high"\nper-path-ignores = {"sandbox/**" = ["RL1O1"]}\n',
            "unknown rule id, name or class in per-path-ignores: 'RL1O1'",
            3,
        ),
        (
            '[tool.rolelint]\nfail-on = "high"\n'
            "rule-options = {RL305 = {max-session-durration = 3600}}\n",
            "rule-options.RL305: unknown option max-session-durration",
            3,
        ),
        (
            "[tool.rolelint.rule-options]\nRL305 = {max-session-durration = 3600}\n",
            "rule-options.RL305: unknown option max-session-durration",
            2,
        ),
        (  # the second of two settings that disagree
            '[tool.rolelint]\nfail-on = "high"\nmax-session-duration = 3600\n'
            "rule-options = {RL305 = {max-session-duration = 7200}}\n",
            "max-session-duration and rule-options.RL305.max-session-duration disagree",
            4,
        ),
        # A value the option's schema refuses, inside inline tables: it named no line at all.
        (
            '[tool.rolelint]\nfail-on = "high"\n'
            "rule-options = {RL305 = {max-session-duration = 10}}\n",
            "rule-options.RL305.max-session-duration: 10 is less than the minimum of 3600",
            3,
        ),
        (
            "[tool.rolelint.rule-options]\nRL403 = {chain-depth = 0}\n",
            "rule-options.RL403.chain-depth: 0 is less than the minimum of 1",
            2,
        ),
        # The whole table inline: its keys were given no line.
        ('[tool]\nrolelint = {fail-on = "hihg"}\n', "fail-on: 'hihg' is not one of", 2),
        ('\ntool = {rolelint = {fail-on = "hihg"}}\n', "fail-on: 'hihg' is not one of", 2),
        ("[tool]\nrolelint = {max-session-duration = 10}\n", "10 is less than the minimum", 2),
        (
            '[tool]\nblack = {line-length = 99}\nrolelint = {severity = {RL101 = "hgh"}}\n',
            "severity.RL101: 'hgh' is not one of",
            3,
        ),
        # A key that is no rule id named the table's header line.
        (
            '[tool.rolelint]\nfail-on = "high"\n\n[tool.rolelint.severity]\nRL101 = "high"\n'
            'trust-policy-allows-anyone = "low"\n',
            "severity: 'trust-policy-allows-anyone' is not a rule id: write RL101",
            6,
        ),
        (
            "[tool.rolelint.rule-options]\nRL403 = {chain-depth = 2}\nrl305 = {}\n",
            "rule-options: 'rl305' is not a rule id: write RL305 for rl305",
            3,
        ),
    ],
)
def test_a_pyproject_error_names_the_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    """TOML gives values without positions, and every pyproject.toml error named the file
    alone; the keys' lines now come from the text (rolelint/toml_lines.py)."""
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(str(path))
    assert message in raised.value.message
    assert raised.value.line == line


def test_an_option_without_a_line_of_its_own_gets_the_enclosing_keys() -> None:
    """What rolelint.toml_lines cannot place gets the nearest enclosing key's line: keeping
    only the lines under the option's key lost it."""
    from rolelint.config import _lines_as

    key = ("rule-options", "RL305", "max-session-duration")
    assert _lines_as({("rule-options",): 3, ("fail-on",): 2}, key, key) == {key: 3}
    shorthand: dict[tuple[str, ...], int] = {("max-session-duration",): 4}
    assert _lines_as(shorthand, ("max-session-duration",), key) == {key: 4}
    assert _lines_as({("fail-on",): 2}, key, key) == {}


def test_a_pyproject_nested_too_deeply_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.rolelint]\nignore = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError) as raised:
        load_config(str(path))
    assert raised.value.message == "cannot read TOML: nested too deeply"


def test_an_invalid_configuration_exits_2_with_the_file_and_key(tmp_path: Path) -> None:
    root = project(tmp_path, "fail-on: high\nselekt: [RL101]\n")
    code, _, stderr = check(root)
    assert code == 2
    assert ".rolelint.yaml:2: unknown setting selekt" in stderr
    assert "Traceback" not in stderr


def test_a_key_written_twice_is_an_error_at_its_second_line(tmp_path: Path) -> None:
    """YAML keeps the last value: the ``fail-on: critical`` below silently won over the
    ``fail-on: low`` the team reads at the top, and the run passed."""
    root = project(tmp_path, "fail-on: low\nignore: [RL102]\nfail-on: critical\n")
    code, report, stderr = check(root)
    assert (code, report) == (2, {})
    assert (
        "invalid configuration .rolelint.yaml:3: duplicate key 'fail-on' (first on line 1): "
        "keep one of its values"
    ) in stderr
    (root / ".rolelint.yaml").write_text("severity:\n  RL101: low\n  RL102: low\n  RL101: info\n")
    with pytest.raises(ConfigError) as raised:
        load_config(str(root / ".rolelint.yaml"))
    assert (raised.value.line, raised.value.message) == (
        4,
        "duplicate key 'RL101' (first on line 2): keep one of its values",
    )


def test_a_key_after_a_yaml_merge_overrides_it(tmp_path: Path) -> None:
    path = tmp_path / ".rolelint.yaml"
    path.write_text(
        "per-path-ignores:\n  'a/**': &quiet [RL101]\n  'b/**': *quiet\n"
        "severity:\n  <<: {RL101: low, RL102: low}\n  RL101: info\n"
    )
    config = load_config(str(path))
    assert config.severity == {"RL101": Severity.INFO, "RL102": Severity.LOW}


def test_an_unknown_selector_in_the_configuration_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, "ignore: [RL9]\nper-path-ignores:\n  'x/**': [no-such-rule]\n")
    code, _, stderr = check(root)
    assert code == 2
    assert "RL9" in stderr and "no-such-rule" in stderr and ".rolelint.yaml" in stderr
    assert ".rolelint.yaml:1: unknown rule id, name or class in ignore: 'RL9'; " in stderr
    assert "per-path-ignores: 'no-such-rule'" in stderr


# --- what each setting does ----------------------------------------------------------------------


def test_without_configuration(tmp_path: Path) -> None:
    code, report, _ = check(project(tmp_path, None))
    assert code == 1
    assert {"RL101", "RL102"} <= rules_of(report)
    assert "RL305" not in rules_of(report)  # silent until the team sets its limit


def test_select_by_prefix_and_ignore_by_class(tmp_path: Path) -> None:
    _, report, _ = check(project(tmp_path, "select: [RL1]\nignore: [trust-wildcard]\n"))
    found = rules_of(report)
    assert found and all(rule.startswith("RL1") for rule in found)
    assert "RL101" not in found and "RL102" in found


def test_extend_select_adds_to_select_and_the_command_line_replaces_select(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path, "select: [RL101]\nextend-select: [RL305]\nmax-session-duration: 3600\n"
    )
    _, report, _ = check(root)
    assert rules_of(report) == {"RL101", "RL305"}
    _, report, _ = check(root, "--select", "RL102")
    assert rules_of(report) == {"RL102", "RL305"}  # extend-select still adds


def test_fail_on_and_severity_overrides(tmp_path: Path) -> None:
    root = project(tmp_path, "select: [RL101]\nseverity: {RL101: medium}\nfail-on: high\n")
    code, report, _ = check(root)
    assert [f["severity"] for f in report["findings"]] == ["medium"]
    assert code == 0  # medium is below the configured fail-on
    code, _, _ = check(root, "--fail-on", "medium")
    assert code == 1  # the command line wins


def test_accounts_from_the_configuration(tmp_path: Path) -> None:
    _, report, _ = check(project(tmp_path, "accounts: ['444455556666']\n"))
    assert "RL102" not in rules_of(report)  # the account is ours: no ExternalId needed


def test_exclude_skips_folders_and_named_files_and_counts_them(tmp_path: Path) -> None:
    root = project(tmp_path, "exclude: [vendor.yaml]\n")
    _, report, _ = check(root)
    assert "RL102" not in rules_of(report)
    assert report["summary"]["skipped_by_reason"] == {"excluded by the configuration": 1}
    # A file named on the command line (as pre-commit names them) stays excluded.
    result = run_rolelint("check", "infra/vendor.yaml", "--format", "json", cwd=root)
    assert json.loads(result.stdout)["findings"] == []
    assert result.returncode == 0
    root2 = tmp_path / "second"
    root2.mkdir()
    project(root2, "exclude: ['infra/**']\n")
    _, report, _ = check(root2)
    assert report["findings"] == [] and report["summary"]["files_skipped"] == 2


def test_standard_input_named_as_an_excluded_file_is_excluded(tmp_path: Path) -> None:
    # --stdin-filename names the file as pre-commit or an editor would: it stays excluded.
    root = project(tmp_path, "exclude: [vendor.yaml]\n")
    args = ("check", "-", "--format", "json", "--stdin-filename")
    result = run_rolelint(*args, "infra/vendor.yaml", stdin=VENDOR_ROLE, cwd=root)
    report = json.loads(result.stdout)
    assert report["findings"] == [] and result.returncode == 0
    assert report["summary"]["skipped_by_reason"] == {"excluded by the configuration": 1}
    # Another name is read.
    result = run_rolelint(*args, "infra/partner.yaml", stdin=VENDOR_ROLE, cwd=root)
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["file"], finding["line"]) == (
        "RL102",
        "infra/partner.yaml",
        10,
    )


@pytest.mark.parametrize(
    ("config", "rules"),
    [
        ("exclude: [vendor.yaml]\n", []),
        ("ignore: [RL102]\n", []),
        ("fail-on: critical\n", ["RL102"]),
    ],
)
def test_standard_input_finds_the_configuration_of_the_file_it_names(
    tmp_path: Path, config: str, rules: list[str]
) -> None:
    """An editor runs from the workspace root with ``--stdin-filename proj/infra/x.yaml``: the
    configuration was looked for from the working folder, so the project's ``exclude`` and
    ``ignore`` were not applied to the file they name (RL102 reported, exit 1)."""
    (tmp_path / "proj").mkdir()
    root = project(tmp_path / "proj", config)
    args = ("check", "-", "--format", "json", "--no-cache", "--stdin-filename")
    result = run_rolelint(*args, "proj/infra/vendor.yaml", stdin=VENDOR_ROLE, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [f["rule_id"] for f in report["findings"]] == rules
    assert result.returncode == 0  # RL102 is under fail-on: critical
    named = run_rolelint("check", "infra/vendor.yaml", "--format", "json", "--no-cache", cwd=root)
    assert [f["rule_id"] for f in json.loads(named.stdout)["findings"]] == rules


def test_the_configuration_search_starts_where_standard_inputs_name_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard input is the file ``--stdin-filename`` names (which need not exist: an editor's
    unsaved buffer), as a path among the others; a name in no folder, as a missing path."""
    (tmp_path / "proj" / "infra").mkdir(parents=True)
    (tmp_path / "proj" / ".rolelint.yaml").write_text("fail-on: high\n")
    (tmp_path / ".rolelint.yaml").write_text("fail-on: low\n")
    monkeypatch.chdir(tmp_path)
    inner, outer = os.path.join("proj", ".rolelint.yaml"), ".rolelint.yaml"
    assert find_config(["-"], "proj/infra/new.yaml") == inner
    assert find_config(["-"], str(tmp_path / "proj" / "x.yaml")) == inner
    # With the working folder: the configuration of the folder holding both, in either order.
    assert find_config(["-", "."], "proj/x.yaml") == outer
    assert find_config([".", "-"], "proj/x.yaml") == outer
    assert find_config(["-"]) == outer  # no name: the working folder
    assert find_config(["-", "proj"], "missing/x.yaml") == inner


def _two_projects(tmp_path: Path, top: str | None) -> Path:
    """svcA (an open role, RL101; it ignores RL101) and svcB (a vendor role, RL102; it ignores
    RL102), each with its own configuration, and ``top`` at the top if given."""
    for service, template, ignored in (
        ("svcA", OPEN_ROLE, "RL101"),
        ("svcB", VENDOR_ROLE, "RL102"),
    ):
        (tmp_path / service).mkdir()
        (tmp_path / service / "role.yaml").write_text(template)
        (tmp_path / service / ".rolelint.yaml").write_text(f"ignore: [{ignored}]\n")
    if top is not None:
        (tmp_path / ".rolelint.yaml").write_text(top)
    return tmp_path


@pytest.mark.parametrize(
    ("top", "used"),
    [
        (None, ", which has none (rolelint's defaults apply)"),
        ("fail-on: critical\nseverity: {RL101: high}\n", ": .rolelint.yaml"),
    ],
)
def test_the_configuration_of_several_paths_does_not_depend_on_their_order(
    tmp_path: Path, top: str | None, used: str
) -> None:
    """Only the first path's configuration was read: ``check svcA/role.yaml svcB/role.yaml``
    ran with svcA's settings and ``check svcB/role.yaml svcA/role.yaml`` with svcB's (other
    findings, another exit code), so a pre-commit hook's verdict depended on the order git
    listed the files in.  The run reads the configuration of the folder holding every path,
    and a note names each one nearer to a path that it does not read."""
    root = _two_projects(tmp_path, top)
    runs = [
        run_rolelint("check", *paths, "-f", "json", "--no-cache", cwd=root)
        for paths in (("svcA/role.yaml", "svcB/role.yaml"), ("svcB/role.yaml", "svcA/role.yaml"))
    ]
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
    report = json.loads(runs[0].stdout)
    assert rules_of(report) == {"RL101", "RL102"}  # neither project's ignore applies
    assert runs[0].returncode == (0 if top else 1)  # the top's fail-on and severity apply
    notes = [(note["file"], note["message"]) for note in report["notices"]]
    message = (
        "this configuration is not used: the paths of this run lie under several "
        f"configurations, and a run reads one, that of the folder holding them all{used}. "
        "Check each project in a run of its own, or name the configuration with --config"
    )
    assert notes == [("svcA/.rolelint.yaml", message), ("svcB/.rolelint.yaml", message)]


def test_a_run_under_one_configuration_or_named_with_config_notes_none(tmp_path: Path) -> None:
    root = _two_projects(tmp_path, "fail-on: critical\n")
    (root / "svcA" / "copy.yaml").write_text(VENDOR_ROLE)
    for args in (
        ("svcA/role.yaml", "svcA/copy.yaml"),  # svcA's own, nearest to both
        ("--config", "svcA/.rolelint.yaml", "svcA/role.yaml", "svcB/role.yaml"),
        ("--isolated", "svcA/role.yaml", "svcB/role.yaml"),
    ):
        result = run_rolelint("check", *args, "-f", "json", "--no-cache", cwd=root)
        assert json.loads(result.stdout)["notices"] == [], args
    alone = run_rolelint("check", "svcA/role.yaml", "svcA/copy.yaml", "-f", "json", cwd=root)
    assert rules_of(json.loads(alone.stdout)) == {"RL102"}  # svcA ignores RL101


def test_the_audit_commands_note_the_configurations_they_do_not_read(tmp_path: Path) -> None:
    root = _two_projects(tmp_path, None)
    for command in (("graph",), ("roles",)):
        result = run_rolelint(*command, "svcB", "svcA", "--no-cache", cwd=root)
        assert result.returncode == 0, result.stderr
        assert "svcA/.rolelint.yaml: note: this configuration is not used" in result.stderr
        assert "svcB/.rolelint.yaml: note: this configuration is not used" in result.stderr


def test_the_search_reads_the_configuration_of_the_folder_holding_every_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rolelint.config import search_config

    root = _two_projects(tmp_path, None)
    monkeypatch.chdir(root)
    (root / "svcA" / "deep").mkdir()
    a, b = os.path.join("svcA", ".rolelint.yaml"), os.path.join("svcB", ".rolelint.yaml")
    for paths in (["svcA", "svcB"], ["svcB/role.yaml", "svcA/deep", "missing/x.yaml"]):
        search = search_config(paths)
        assert (search.found, search.passed_over) == (None, (a, b))
    assert search_config(["svcA/deep", "svcA/role.yaml"]).passed_over == ()
    assert search_config(["svcA/deep", "svcA/role.yaml"]).found == a
    (root / "pyproject.toml").write_text('[tool.rolelint]\nfail-on = "high"\n')
    assert search_config(["svcA", "svcB"]) == type(search)("pyproject.toml", (a, b))
    assert search_config(["svcA/role.yaml"]).found == a  # one path: its nearest, as before


OPEN_TF_ROLE = """\
resource "aws_iam_role" "fixture" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}
"""


def _terraform_project(root: Path, config: str) -> None:
    (root / "mod").mkdir()
    (root / "mod" / "main.tf").write_text('locals { name = "ok" }\n', encoding="utf-8")
    (root / "mod" / "fixture_test.tf").write_text(OPEN_TF_ROLE, encoding="utf-8")
    (root / ".rolelint.yaml").write_text(config, encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("named", [".", "mod/main.tf"])
def test_an_excluded_terraform_file_is_left_out_of_its_module(
    tmp_path: Path, named: str, jobs: str
) -> None:
    # A module is its folder: walking it, or naming one of its files as pre-commit does, used
    # to read the excluded file too, and report its open role while counting it as skipped.
    _terraform_project(tmp_path, "exclude: ['*_test.tf']\n")
    result = run_rolelint(
        "check", named, "--format", "json", "--no-cache", "-j", jobs, cwd=tmp_path
    )
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert result.returncode == 0


def test_an_excluded_module_folder_a_scanned_module_calls_is_read_whole(tmp_path: Path) -> None:
    # The caller's roles are made there: the call's source is read, excluded or not.
    _terraform_project(tmp_path, "exclude: [mod]\n")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(
        'module "m" {\n  source = "../mod"\n}\n', encoding="utf-8"
    )
    result = run_rolelint("check", ".", "--format", "json", "--no-cache", cwd=tmp_path)
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["file"], finding["line"]) == (
        "RL101",
        "mod/fixture_test.tf",
        4,
    )


def test_a_pattern_starting_with_dot_slash_excludes_and_ignores(tmp_path: Path) -> None:
    """``./infra/vendor.yaml`` excluded nothing and ``./infra/**`` suppressed nothing, unsaid."""
    root = project(tmp_path, "exclude: [./infra/vendor.yaml]\n")
    _, report, _ = check(root)
    assert "RL102" not in rules_of(report) and "RL101" in rules_of(report)
    assert report["summary"]["skipped_by_reason"] == {"excluded by the configuration": 1}
    (root / ".rolelint.yaml").write_text("per-path-ignores:\n  './infra/**': [RL101]\n")
    code, report, _ = check(root, "--select", "RL101")
    [finding] = report["findings"]
    assert finding["suppressed"] == {
        "kind": "external",
        "reason": "per-path-ignores './infra/**' in .rolelint.yaml",
    }
    assert code == 0


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "fail-on: high\nexclude:\n  - cdk.out\n  - '!infra/vendor.yaml'\n",
            "exclude: '!infra/vendor.yaml': a leading '!' (negation) is not supported",
            4,
        ),
        (
            "exclude: [../shared/**]\n",
            "exclude: '../shared/**': '..' names a path outside the configuration's folder",
            1,
        ),
        (
            "exclude:\n  - tests/f[xy]\n",
            "exclude: 'tests/f[xy]': brackets ([...]) are not supported",
            2,
        ),
        (
            "per-path-ignores:\n  'infra/**': [RL101]\n  '!sandbox/**': [RL101]\n",
            "per-path-ignores: '!sandbox/**': a leading '!' (negation) is not supported",
            3,
        ),
    ],
)
def test_a_pattern_that_can_never_match_is_an_error_at_its_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    """They were accepted and matched nothing: an excluded fixture was scanned, a per-path
    ignore suppressed nothing, and the configuration looked right."""
    root = project(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(str(root / ".rolelint.yaml"))
    assert raised.value.message.startswith(message) and raised.value.line == line
    code, _, stderr = check(root)
    assert code == 2 and f"invalid configuration .rolelint.yaml:{line}: {message}" in stderr
    toml = root / "pyproject.toml"
    toml.write_text('[tool.rolelint]\nexclude = ["cdk.out", "!x", "./ok/**"]\n')
    with pytest.raises(ConfigError) as raised:
        load_config(str(toml))
    assert raised.value.message.startswith("exclude: '!x': a leading '!'")
    assert raised.value.line == 2


def test_per_path_ignores_suppress_with_the_glob_as_reason(tmp_path: Path) -> None:
    root = project(tmp_path, "per-path-ignores:\n  'infra/open.yaml': [RL101]\n")
    code, report, _ = check(root, "--select", "RL101")
    [finding] = report["findings"]
    assert finding["suppressed"] == {
        "kind": "external",
        "reason": "per-path-ignores 'infra/open.yaml' in .rolelint.yaml",
    }
    assert code == 0  # suppressed findings do not count


@pytest.mark.parametrize("named", [False, True])
def test_a_per_path_ignore_names_a_configuration_above_the_working_folder_relatively(
    tmp_path: Path, named: bool
) -> None:
    """Run from ``infra/``, the reason (JSON's, SARIF's justification) held the absolute path of
    the configuration, so the output depended on where the checkout lies; the baseline is
    named ``../baseline.json`` there."""
    root = project(tmp_path, "per-path-ignores:\n  'infra/open.yaml': [RL101]\n")
    config = ("--config", str(root / ".rolelint.yaml")) if named else ()
    for format_ in ("json", "sarif"):
        result = run_rolelint(
            "check", "open.yaml", "-f", format_, "--select", "RL101", *config, cwd=root / "infra"
        )
        assert result.returncode == 0, result.stderr
        assert "per-path-ignores 'infra/open.yaml' in ../.rolelint.yaml" in result.stdout
        assert str(tmp_path) not in result.stdout


def test_a_per_path_ignore_naming_no_rule_ignores_nothing(tmp_path: Path) -> None:
    """``'infra/open.yaml': []`` ignores nothing, as ``ignore: []`` does: it suppressed every
    rule (an empty selection is every rule), and the critical RL101 passed with exit code 0."""
    root = project(tmp_path, "per-path-ignores:\n  'infra/open.yaml': []\n  'infra/*': [RL102]\n")
    code, report, _ = check(root, "--select", "RL101")
    [finding] = report["findings"]
    where = (finding["rule_id"], finding["file"], finding["line"])
    assert where == ("RL101", "infra/open.yaml", 10)
    assert "suppressed" not in finding
    assert code == 1


def test_chain_depth_and_max_session_duration(tmp_path: Path) -> None:
    root = project(tmp_path, "max-session-duration: 3600\nchain-depth: 2\n")
    config = load_config(str(root / ".rolelint.yaml"))
    assert config.scan_settings().chain_depth == 2
    _, report, _ = check(root)
    [limit] = [f for f in report["findings"] if f["rule_id"] == "RL305"]
    assert limit["line"] == 5 and "at most 3600" in limit["message"]


def test_config_and_isolated(tmp_path: Path) -> None:
    root = project(tmp_path, "select: [RL101]\n")
    (root / "other.yaml").write_text("select: [RL102]\n")
    _, report, _ = check(root, "--config", "other.yaml")
    assert rules_of(report) == {"RL102"}
    _, report, _ = check(root, "--isolated")
    assert {"RL101", "RL102"} <= rules_of(report)
    code, _, stderr = check(root, "--config", "missing.yaml")
    assert code == 2 and "missing.yaml: no such configuration file" in stderr


# --- several formats in one run ------------------------------------------------------------------


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    root = project(tmp_path, None)
    result = run_rolelint(
        "check", "infra", "-f", "json:out.json", "-f", "sarif:out.sarif", "-f", "text", cwd=root
    )
    assert result.returncode == 1
    assert "RL101" in result.stdout  # the text report on standard output
    assert json.loads((root / "out.json").read_text())["findings"]
    assert json.loads((root / "out.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "json", "-f", "text"), "only one format can go to standard output"),
        (("-f", "yaml"), "unknown format 'yaml'"),
        (("-f", "json:a.json", "-f", "sarif:a.json"), "the same FILE"),
        (("-f", "json:a.out", "-f", "sarif:./a.out"), "the same FILE"),
        (("-f", "json:infra/../a.out", "-f", "sarif:a.out"), "the same FILE"),
        (("-f", "json:a.out", "-f", "sarif", "-o", "./a.out"), "the same FILE"),
    ],
)
def test_format_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_rolelint("check", "infra", *args, cwd=project(tmp_path, None))
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "a.out").exists()  # refused before anything is written


def test_a_report_file_named_dash_is_standard_output(tmp_path: Path) -> None:
    """As for 'rolelint report -o -' and PATH '-': no file named "-" is written."""
    root = project(tmp_path, None)
    for args in (("-f", "json:-"), ("-f", "json", "-o", "-")):
        result = run_rolelint("check", "infra", *args, cwd=root)
        assert result.returncode == 1
        assert json.loads(result.stdout)["findings"]
        assert not (root / "-").exists()
    both = run_rolelint("check", "infra", "-f", "json:-", "-f", "text", cwd=root)
    assert both.returncode == 2
    assert "only one format can go to standard output" in both.stderr
    named = run_rolelint("check", "infra", "-f", "json:./-", cwd=root)
    assert (named.returncode, named.stdout) == (1, "")
    assert json.loads((root / "-").read_text())["findings"]


@pytest.mark.parametrize(
    ("args", "option", "named"),
    [
        (("infra/open.yaml", "-f", "sarif:infra/open.yaml"), "--format sarif", "infra/open.yaml"),
        (("infra", "-f", "json", "-o", "./infra/open.yaml"), "--output", "./infra/open.yaml"),
        (("infra/open.yaml", "-o", "infra/open.yaml"), "--output", None),
        (("infra", "-f", "json:link.yaml"), "--format json", "link.yaml"),
        (("infra", "--write-baseline", "infra/vendor.yaml"), "--write-baseline", None),
        (("-", "--stdin-filename", "infra/open.yaml", "-o", "infra/open.yaml"), "--output", None),
    ],
    ids=[
        "format-file",
        "output-in-walked-folder",
        "output-named",
        "link",
        "write-baseline",
        "stdin-name",
    ],
)
def test_a_report_over_a_scanned_file_is_refused(
    tmp_path: Path, args: tuple[str, ...], option: str, named: str | None
) -> None:
    """A report written over an input destroyed it without a word (``-f sarif:app.yaml``, the
    template replaced by the log, exit 1): only the baseline file was protected.  Any file the
    run scans now is, by its real path, before anything is written.  The error names the option
    the user wrote: ``-o FILE`` is ``--output``, not the format it carries (``--format text``)."""
    root = project(tmp_path, None)
    (root / "link.yaml").symlink_to("infra/open.yaml")
    before = {name: (root / "infra" / name).read_text() for name in ("open.yaml", "vendor.yaml")}
    result = run_rolelint("check", *args, "--no-cache", stdin=OPEN_ROLE, cwd=root)
    assert (result.returncode, result.stdout) == (2, "")
    file = named or args[-1]
    what = "baseline" if option == "--write-baseline" else "report"
    assert f"error: {option}: {file} is a file this run scans; write the {what} elsewhere" in (
        result.stderr
    )
    assert {name: (root / "infra" / name).read_text() for name in before} == before


@pytest.mark.parametrize(
    ("command", "output"),
    [
        (("check", "root"), "mod/trust.json"),
        (("check", "root"), "mod/main.tf"),
        (("check", "root"), "mod/policy.json"),
        (("graph", "root"), "mod/policy.json"),
    ],
)
def test_a_report_over_a_file_a_module_reads_is_refused(
    tmp_path: Path, command: tuple[str, ...], output: str
) -> None:
    """A file the run read without walking it is an input too: a module outside the scanned
    folder, and the policies it reads with file().  Only those a finding pointed at had been
    refused (``trust.json``): a module's file or a harmless policy was overwritten, and
    ``graph``, which makes no finding, overwrote any of them."""
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text('module "m" {\n  source = "../mod"\n}\n')
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = file("${path.module}/trust.json")\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        '  policy = file("${path.module}/policy.json")\n}\n'
    )
    trust = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}'
    (tmp_path / "mod" / "trust.json").write_text(trust)
    policy = (
        '{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",'
        ' "Resource": "arn:aws:s3:::b"}]}'
    )
    (tmp_path / "mod" / "policy.json").write_text(policy)
    before = {path: path.read_text() for path in (tmp_path / "mod").iterdir()}
    flag = "-o" if command[0] == "graph" else "-f"
    value = output if command[0] == "graph" else f"json:{output}"
    result = run_rolelint(*command, "--no-cache", flag, value, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f": {output} is a file this run scans" in result.stderr
    assert {path: path.read_text() for path in (tmp_path / "mod").iterdir()} == before


@pytest.mark.parametrize(
    "output", ["trust.json.tftpl", "trust.json.tpl", "prod.tfvars", "terraform.tfvars"]
)
def test_a_report_over_a_file_the_scanned_module_reads_is_refused(
    tmp_path: Path, output: str
) -> None:
    """The scanned module's own reads are inputs, whatever they hold: a template it renders
    with templatefile() or reads with file(), and its tfvars files, ``prod.tfvars`` too,
    which the run parses for its errors before skipping it.  A valid ``prod.tfvars`` was
    replaced by the report (exit 1), and the next run failed on it as invalid HCL."""
    (tmp_path / "main.tf").write_text(
        'variable "name" {\n  type = string\n}\n'
        'resource "aws_iam_role" "r" {\n  name = var.name\n'
        '  assume_role_policy = templatefile("${path.module}/trust.json.tftpl",'
        ' { service = "ec2.amazonaws.com" })\n}\n'
        'resource "aws_iam_role" "s" {\n  name = "s"\n'
        '  assume_role_policy = file("${path.module}/trust.json.tpl")\n}\n'
    )
    trust = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Principal": {"Service": "%s"}, "Action": "sts:AssumeRole"}]}\n'
    )
    (tmp_path / "trust.json.tftpl").write_text(trust % "${service}")
    (tmp_path / "trust.json.tpl").write_text(trust % "ec2.amazonaws.com")
    (tmp_path / "prod.tfvars").write_text('name = "prod-role"\n')
    (tmp_path / "terraform.tfvars").write_text('name = "role"\n')
    before = {path.name: path.read_text() for path in tmp_path.iterdir()}
    clean = run_rolelint("check", ".", "--no-cache", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "1 skipped (1 tfvars file Terraform does not load by itself" in clean.stdout
    result = run_rolelint("check", ".", "--no-cache", "-f", f"sarif:{output}", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert f"error: --format sarif: {output} is a file this run scans" in result.stderr
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == before


def test_a_report_a_former_run_wrote_in_the_scanned_folder_is_written_again(
    tmp_path: Path,
) -> None:
    """Skipped as no template, the report of the last run is no input: CI writes it again."""
    root = project(tmp_path, None)
    args = ("infra", "--no-cache", "-f", "json:infra/out.json", "-f", "sarif:infra/out.sarif.json")
    assert run_rolelint("check", *args, cwd=root).returncode == 1
    again = run_rolelint("check", *args, cwd=root)
    assert (again.returncode, again.stderr) == (1, "")
    assert json.loads((root / "infra" / "out.json").read_text())["summary"]["files_skipped"] == 2


@pytest.mark.parametrize(
    ("config", "skipped"),
    [
        ("exclude:\n  - out.json\n", "1 excluded by the configuration"),
        (None, "1 not a CloudFormation template or IAM policy"),
    ],
    ids=["excluded", "not-a-template"],
)
def test_a_report_the_run_names_but_does_not_read_is_written_again(
    tmp_path: Path, config: str | None, skipped: str
) -> None:
    """A pre-commit hook passes every matching file it tracks, its own former report too: named
    but excluded, or skipped as no template, that file is not read, as in a folder scan, yet
    it was refused (exit 2) and no report written."""
    root = project(tmp_path, config)
    args = ("infra/open.yaml", "--no-cache", "-f", "json:infra/out.json", "-f", "text")
    assert run_rolelint("check", *args, cwd=root).returncode == 1
    again = run_rolelint("check", *args, "infra/out.json", cwd=root)
    assert (again.returncode, again.stderr) == (1, "")
    assert f"1 skipped ({skipped})" in again.stdout
    written = json.loads((root / "infra" / "out.json").read_text())
    assert written["summary"]["files_skipped"] == 1
    assert {finding["rule_id"] for finding in written["findings"]} == {"RL101"}


def test_a_report_over_a_named_file_that_failed_to_parse_is_refused(tmp_path: Path) -> None:
    """A file the run read and could not parse is still the user's source."""
    root = project(tmp_path, None)
    broken = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Role: [\n'
    (root / "infra" / "broken.yaml").write_text(broken)
    result = run_rolelint(
        "check", "infra/broken.yaml", "--no-cache", "-f", "json:infra/broken.yaml", cwd=root
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "error: --format json: infra/broken.yaml is a file this run scans" in result.stderr
    assert (root / "infra" / "broken.yaml").read_text() == broken


def test_two_names_of_one_report_file_are_refused(tmp_path: Path) -> None:
    """An absolute name or a link names the same file: the second report would replace the
    first without a word."""
    root = project(tmp_path, None)
    (root / "link.out").symlink_to("a.out")
    for other in (str(root / "a.out"), "link.out"):
        result = run_rolelint(
            "check", "infra", "-f", "json:a.out", "-f", f"sarif:{other}", cwd=root
        )
        assert result.returncode == 2
        assert "two formats would be written to the same FILE" in result.stderr


# --- globs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("vendor.yaml", "infra/vendor.yaml", True),  # no slash: a name at any depth
        ("cdk.out", "app/cdk.out/stack.json", True),  # a folder covers what is inside
        ("infra/*.yaml", "infra/open.yaml", True),
        ("infra/*.yaml", "infra/sub/open.yaml", False),  # * stays within one folder
        ("infra/**/*.yaml", "infra/sub/deep/open.yaml", True),
        ("infra/**/*.yaml", "infra/open.yaml", True),  # ** may be no folder at all
        ("**/test_*.json", "a/b/test_x.json", True),
        ("op?n.yaml", "infra/open.yaml", True),
        ("/infra", "other/infra/x.yaml", False),  # anchored at the configuration's folder
        # ``./`` is how a path relative to the configuration is often written: it matched nothing
        ("./infra/**", "infra/sub/open.yaml", True),
        ("./infra/open.yaml", "infra/open.yaml", True),
        ("./open.yaml", "open.yaml", True),
        ("./open.yaml", "infra/open.yaml", False),  # anchored, as ``/open.yaml``
    ],
)
def test_globs(tmp_path: Path, pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, str(tmp_path / path), str(tmp_path)) is expected


def test_a_path_outside_the_configuration_folder_never_matches(tmp_path: Path) -> None:
    assert not matches("*.yaml", "/elsewhere/x.yaml", str(tmp_path))


# --- rolelint init --------------------------------------------------------------------------------


def test_init_writes_a_valid_starter_that_names_every_setting(tmp_path: Path) -> None:
    result = run_rolelint("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / ".rolelint.yaml"
    config = load_config(str(written))
    assert config.fail_on is Severity.LOW and config.select == ()
    schema = json.loads(
        (
            Path(__file__).resolve().parents[1] / "rolelint" / "data" / "config.schema.json"
        ).read_text()
    )
    text = written.read_text()
    assert [key for key in schema["properties"] if f"{key}:" not in text] == []
    # Uncommenting every example setting gives a valid configuration that sets each of them.
    setting = re.compile(r"^# ((?:  )*(?:- |[\w\"*/.-]+:(?: |$)))")
    uncommented = "\n".join(line[2:] if setting.match(line) else line for line in text.splitlines())
    (tmp_path / "all.yaml").write_text(uncommented + "\n")
    everything = load_config(str(tmp_path / "all.yaml"))
    assert everything.select == ("RL1", "RL2") and everything.exclude == (
        "cdk.out",
        "tests/fixtures/**",
    )
    assert everything.per_path_ignores == {"sandbox/**": ("RL101", "chaining")}
    assert everything.severity == {"RL401": Severity.MEDIUM}
    assert everything.scan_settings().max_session_duration == 43200


def test_the_rule_names_the_starter_and_the_schema_give_as_examples_exist() -> None:
    """Both named a rule ``trust-wildcard-principal``, which no rule is: ``--select`` with it
    was a usage error."""
    from rolelint.catalog import load_catalog
    from rolelint.engine import Selection
    from rolelint.starter_config import STARTER

    schema = (REPO / "rolelint" / "data" / "config.schema.json").read_text()
    starter = re.search(
        r"by id \((\S+)\), id prefix \((\S+)\), name\s+#\s+\((\S+)\) or class \((\S+)\)", STARTER
    )
    described = re.search(
        r"A rule id \((\S+)\), an id prefix \((\S+)\), a rule name \((\S+)\) or a rule class "
        r"\((\S+)\)",
        schema,
    )
    assert starter is not None and described is not None
    for found in (starter, described):
        rule_id, prefix, name, rule_class = found.groups()
        rule = load_catalog()[rule_id]
        assert (rule.name, rule.rule_class) == (name, rule_class)
        assert Selection(found.groups()).unknown(load_catalog().values()) == []
        assert rule_id.startswith(prefix)


def test_init_help_says_which_settings_the_starter_sets() -> None:
    """The help said every setting was commented out; ``fail-on: low`` is not."""
    from rolelint.starter_config import STARTER

    written = [line.split(":")[0] for line in STARTER.splitlines() if re.match(r"[\w-]+:", line)]
    assert written == ["fail-on"]
    shown = " ".join(run_rolelint("init", "--help").stdout.split())
    assert "All but fail-on (set to its default, low) are commented out" in shown


@pytest.mark.parametrize("name", ["pyproject.toml", "settings.TOML"])
def test_init_refuses_to_write_yaml_into_a_toml_file(tmp_path: Path, name: str) -> None:
    """``init -o pyproject.toml --force`` wrote the YAML starter into it, which broke the
    file for every tool reading it."""
    (tmp_path / name).write_text("[tool.black]\nline-length = 99\n")
    result = run_rolelint("init", "-o", name, "--force", cwd=tmp_path)
    assert result.returncode == 2
    assert f"error: init writes YAML, not TOML: {name} cannot hold it." in result.stderr
    assert "[tool.rolelint]" in result.stderr
    assert (tmp_path / name).read_text() == "[tool.black]\nline-length = 99\n"


def test_the_settings_table_of_the_documentation_lists_every_setting() -> None:
    """``max-file-size`` was missing from it."""
    schema = json.loads((REPO / "rolelint" / "data" / "config.schema.json").read_text())
    text = (REPO / "docs" / "configuration.md").read_text()
    table = text.split("## Settings", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `([\w-]+)` \|", table, re.MULTILINE)
    assert sorted(rows) == sorted(schema["properties"])


def test_init_to_dash_writes_the_starter_on_standard_output(tmp_path: Path) -> None:
    """``init -o -`` wrote a file named ``-``: ``-`` is standard output everywhere else."""
    from rolelint.starter_config import STARTER

    (tmp_path / ".rolelint.yaml").write_text("fail-on: high\n")  # no --force needed
    result = run_rolelint("init", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == STARTER and result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rolelint.yaml"]
    assert (tmp_path / ".rolelint.yaml").read_text() == "fail-on: high\n"


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / ".rolelint.yaml").write_text("fail-on: high\n")
    result = run_rolelint("init", cwd=tmp_path)
    assert result.returncode == 2 and "--force" in result.stderr
    assert (tmp_path / ".rolelint.yaml").read_text() == "fail-on: high\n"
    assert run_rolelint("init", "--force", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("files", "cwd", "existing"),
    [
        ({"pyproject.toml": '[tool.rolelint]\nfail-on = "high"\n'}, ".", "pyproject.toml"),
        ({".rolelint.yml": "fail-on: high\n"}, ".", ".rolelint.yml"),
        (
            {".rolelint.yaml": "baseline: b.json\n", "infra/x.yaml": OPEN_ROLE},
            "infra",
            "../.rolelint.yaml",
        ),
    ],
)
def test_init_refuses_to_replace_the_configuration_in_effect(
    tmp_path: Path, files: dict[str, str], cwd: str, existing: str
) -> None:
    """With [tool.rolelint] in pyproject.toml, a .rolelint.yml, or a parent folder's
    configuration holding the baseline, init wrote .rolelint.yaml (exit 0) and the next check
    silently ignored those settings, though the starter "changes nothing until you edit it"."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    folder = tmp_path / cwd
    result = run_rolelint("init", cwd=folder)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {existing}")
    assert "already applies to this folder: .rolelint.yaml would take its place" in result.stderr
    assert f"Edit {existing}, or use --force" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(name).name for name in files if Path(name).parent == Path(cwd)
    )
    forced = run_rolelint("init", "--force", cwd=folder)
    assert forced.returncode == 0, forced.stderr
    assert f"takes the place of {existing}" in forced.stdout
    assert load_config(str(folder / ".rolelint.yaml")).fail_on is Severity.LOW


def test_init_writes_beside_a_configuration_it_does_not_replace(tmp_path: Path) -> None:
    """A pyproject.toml without [tool.rolelint] configures nothing, and a file of another name
    is read only with --config: init writes as before.  A .rolelint.yml beside the
    .rolelint.yaml that is read first would change nothing, even with --force."""
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    assert run_rolelint("init", cwd=tmp_path).returncode == 0
    assert run_rolelint("init", "-o", "starter.yaml", cwd=tmp_path).returncode == 0
    shadowed = run_rolelint("init", "-o", ".rolelint.yml", "--force", cwd=tmp_path)
    assert shadowed.returncode == 2
    assert "is read before .rolelint.yml, which would change nothing" in shadowed.stderr
    assert not (tmp_path / ".rolelint.yml").exists()


def test_rule_options_reach_the_rule(tmp_path: Path) -> None:
    chains = Path(__file__).resolve().parents[1] / "fixtures" / "chains" / "three-hops-one-template"
    (tmp_path / "chain.yaml").write_text((chains / "template.yaml").read_text())

    def depth_findings() -> list[int]:
        result = run_rolelint(
            "check", "chain.yaml", "-f", "json", "--select", "RL403", cwd=tmp_path
        )
        return [f["line"] for f in json.loads(result.stdout)["findings"]]

    assert depth_findings() == []  # three hops: within the default depth
    (tmp_path / ".rolelint.yaml").write_text("rule-options:\n  RL403: {chain-depth: 2}\n")
    assert depth_findings() == [24]  # Ci -> Packager -> Deployer -> Admin is longer than 2
    (tmp_path / ".rolelint.yaml").write_text("chain-depth: 2\n")  # the shorthand: the same
    assert depth_findings() == [24]


def test_the_chain_depth_finding_names_the_setting_wherever_it_was_set(tmp_path: Path) -> None:
    """RL403 said "more than the 2 allowed (--chain-depth)" when no option was given and the
    depth came from .rolelint.yaml: it names the setting, which both share, without the
    option's dashes.  (The message is not fingerprinted: baselines still match.)"""
    chains = Path(__file__).resolve().parents[1] / "fixtures" / "chains" / "three-hops-one-template"
    (tmp_path / "chain.yaml").write_text((chains / "template.yaml").read_text())
    (tmp_path / ".rolelint.yaml").write_text("chain-depth: 2\n")
    args = ("check", "chain.yaml", "-f", "json", "--select", "RL403")
    from_file = json.loads(run_rolelint(*args, cwd=tmp_path).stdout)["findings"]
    from_option = json.loads(
        run_rolelint(*args, "--isolated", "--chain-depth", "2", cwd=tmp_path).stdout
    )["findings"]
    for findings in (from_file, from_option):
        assert len(findings) == 1
        assert "more than the 2 allowed (chain-depth): " in findings[0]["message"]
        assert "--chain-depth" not in findings[0]["message"]
    assert from_file[0]["fingerprint"] == from_option[0]["fingerprint"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".rolelint.yaml", "chain-depth: 2.0\n"),
        (".rolelint.yaml", "rule-options:\n  RL403: {chain-depth: 2.0}\n"),
        ("pyproject.toml", "[tool.rolelint]\nchain-depth = 2.0\n"),
    ],
)
def test_an_integer_option_written_as_a_float_is_the_integer(
    tmp_path: Path, name: str, text: str
) -> None:
    """JSON Schema counts 2.0 as an integer: it was accepted and kept a float, and RL403 said
    "more than the 2.0 allowed"."""
    chains = Path(__file__).resolve().parents[1] / "fixtures" / "chains" / "three-hops-one-template"
    (tmp_path / "chain.yaml").write_text((chains / "template.yaml").read_text())
    (tmp_path / name).write_text(text)
    result = run_rolelint("check", "chain.yaml", "-f", "json", "--select", "RL403", cwd=tmp_path)
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["line"]) == ("RL403", 24)
    assert "more than the 2 allowed" in finding["message"]
    depth = load_config(str(tmp_path / name)).scan_settings().chain_depth
    assert type(depth) is int and depth == 2


def test_trusted_accounts_and_org_ids_from_the_configuration(tmp_path: Path) -> None:
    root = project(tmp_path, "trusted-accounts: ['444455556666']\norg-ids: [o-a1b2c3d4e5]\n")
    _, report, _ = check(root, "--select", "RL102")
    [finding] = report["findings"]
    assert "lets trusted third party 444455556666" in finding["message"]
    config = load_config(str(root / ".rolelint.yaml"))
    assert config.account_context().org_ids == frozenset({"o-a1b2c3d4e5"})
