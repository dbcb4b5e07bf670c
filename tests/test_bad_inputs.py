"""Hostile and broken input, through the real command: each file is either analyzed correctly or
reported as one error line naming it (and its line when there is one), the exit code is 2 when
there is an error, and a good template of the same run is still analyzed.

Small inputs are committed in fixtures/bad-inputs/; bombs, huge files, links, pipes and
unreadable files are made here, in a temporary folder.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rolelint import api
from rolelint.discovery import STDIN, Target, discover
from rolelint.findings import Report
from rolelint.parse_cache import ParseCache
from rolelint.parsers.tree import MAX_DEPTH
from rolelint.parsers.yaml_loader import MAX_ALIAS_NODES
from rolelint.reading import MAX_FILE_SIZE, MIB, RAISE_LIMIT, read_target, read_text
from rolelint.reporters import FORMATS
from tests.conftest import FIXTURES, REPO, nest_folders, remove_deep_tree, run_rolelint

BAD = FIXTURES / "bad-inputs"
GOOD = BAD / "good-trust.json"
TRUST = GOOD.read_text(encoding="utf-8")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
TOO_DEEP = f"too deeply nested: more than {MAX_DEPTH} levels"
TOO_MANY_ALIASES = (
    f"too many aliases: they expand the document by more than {MAX_ALIAS_NODES:,} nodes"
)
NOT_A_TEMPLATE = "not a CloudFormation template or IAM policy"


# --- helpers --------------------------------------------------------------------------------------


def check(*paths: Path | str, cwd: Path = REPO) -> tuple[int, dict[str, Any]]:
    """``rolelint check --format json PATHS``: the exit code and the report."""
    result = run_rolelint("check", "--format", "json", *map(str, paths), cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def errors(report: dict[str, Any]) -> list[tuple[str, int | None, int | None, str]]:
    return [(e["file"], e["line"], e["column"], e["message"]) for e in report["errors"]]


def good_was_analyzed(report: dict[str, Any], good: Path | str = GOOD) -> bool:
    """The good template's one finding (anyone may assume it, line 3 column 50) is there."""
    found = {(f["file"], f["rule_id"], f["line"], f["column"]) for f in report["findings"]}
    return (str(good), "RL101", 3, 50) in found


def failing(*paths: Path | str, cwd: Path = REPO) -> dict[str, Any]:
    """Checks ``paths`` with the good template: exit code 2 and the good finding present."""
    code, report = check(*paths, GOOD, cwd=cwd)
    assert code == 2, report
    assert good_was_analyzed(report), report["findings"]
    return report


def position(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first ``needle`` in ``text``, 1-based, columns in characters."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def symlink(link: Path, target: str, directory: bool = False) -> None:
    try:
        os.symlink(target, link, target_is_directory=directory)
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"symbolic links are not available here: {error}")


# --- bombs and deep nesting -----------------------------------------------------------------------


def billion_laughs() -> str:
    """Nine levels of ten aliases each: a billion strings once expanded, 1 KB written."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\nResources: *a9\n"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(billion_laughs())
    report = failing(bomb)
    # a4 (line 6) is the first to stand for more than 100,000 nodes; its first alias is on it.
    assert errors(report) == [(str(bomb), 6, 5, TOO_MANY_ALIASES)]


def _flow(opening: str, closing: str, depth: int) -> str:
    return opening * depth + closing * depth


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        # The collection that crosses the limit is named: the 201st open one.
        ("brackets.yaml", "AWSTemplateFormatVersion: x\nR: " + "[" * 100_000, 2, 4 + MAX_DEPTH - 1),
        ("brackets.json", '{"Statement": ' + "[" * 100_000, 1, 15 + MAX_DEPTH - 1),
        ("braces.json", '{"Statement": ' + '{"a": ' * 100_000, 1, 15 + 6 * (MAX_DEPTH - 1)),
        (
            "dashes.yaml",
            "AWSTemplateFormatVersion: x\nR:\n" + "- " * 100_000 + "x\n",
            3,
            2 * MAX_DEPTH - 1,
        ),
        (
            "mappings.yaml",
            "AWSTemplateFormatVersion: x\n" + "".join(" " * i + "k:\n" for i in range(300)),
            MAX_DEPTH + 2,
            MAX_DEPTH + 1,
        ),
    ],
)
def test_deep_nesting_is_refused(
    tmp_path: Path, name: str, text: str, line: int, column: int
) -> None:
    deep = tmp_path / name
    deep.write_text(text)
    assert errors(failing(deep)) == [(str(deep), line, column, TOO_DEEP)]


@pytest.mark.parametrize(
    ("name", "column"), [("deep.json", 14 + MAX_DEPTH - 1), ("deep.yaml", 12 + MAX_DEPTH - 1)]
)
def test_committed_deep_files_are_refused_at_the_limit(name: str, column: int) -> None:
    assert errors(failing(BAD / name)) == [(str(BAD / name), 2, column, TOO_DEEP)]


def _template_nested(depth: int) -> dict[str, Any]:
    """A template with a role anyone may assume and a bucket whose tags nest to ``depth``:
    the innermost value is ``depth`` collections deep (Resources is 1, the bucket 2, ...)."""
    tags: Any = "x"
    for _ in range(depth - 4):
        tags = [tags]
    trust = json.loads(TRUST)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": tags}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust}},
        },
    }


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_document_at_the_depth_limit_is_analyzed(tmp_path: Path, suffix: str) -> None:
    import yaml

    at_limit, over = tmp_path / f"at-limit{suffix}", tmp_path / f"over{suffix}"
    dump = json.dumps if suffix == ".json" else yaml.safe_dump
    at_limit.write_text(dump(_template_nested(MAX_DEPTH)))
    over.write_text(dump(_template_nested(MAX_DEPTH + 1)))
    code, report = check(at_limit, over)
    assert code == 2
    assert [(file, message) for file, _, _, message in errors(report)] == [(str(over), TOO_DEEP)]
    assert [(f["file"], f["rule_id"]) for f in report["findings"]] == [(str(at_limit), "RL101")]


# --- size -----------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(11 * MIB)  # sparse: zeros, which would read as binary
    # Plans and exports of large accounts pass 10 MiB: the message says how to read them.
    expected = (
        "file is 11 MiB, over the 10 MiB limit: not read"
        " (raise it with --max-file-size or the max-file-size setting)"
    )
    assert errors(failing(huge)) == [(str(huge), None, None, expected)]


def _over_the_limit(path: Path, start: str) -> Path:
    """``path``, 11 MiB: ``start``, then spaces (written at once; nothing reads past the start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = start.encode()
    path.write_bytes(data + b" " * (11 * MIB - len(data)))
    return path


# How an 11 MiB package-lock.json starts (npm writes "name", "version", "lockfileVersion").
LOCKFILE = '{\n  "name": "app",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "packages": {'
# ... and a pnpm-lock.yaml.
PNPM_LOCKFILE = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("package-lock.json", LOCKFILE),
        # CDK's tree.json, in an assembly written with `cdk synth --output synth`: its keys say.
        ("synth/tree.json", '{"version": "tree-0.1", "tree": {"id": "App", "path": ""'),
        ("cdk.out/manifest.json", '{"version": "36.0.0", "artifacts": {"Gh": {'),
        ("cdk.out/Gh.assets.json", '{"version": "36.0.0", "files": {'),
        # Named for what it is, whatever its first keys: npm's lock file, an asset manifest.
        ("npm-shrinkwrap.json", '{"version": "1.0.0", "Resources": {'),
        ("cdk.out/Db.assets.json", '{"version": "36.0.0", "Resources": {'),
        ("listing.json", '[{"id": 1}, {"id": 2}'),  # no format rolelint reads is a list
        # The lock files of other package managers a walk finds are YAML: named for what they are.
        ("pnpm-lock.yaml", PNPM_LOCKFILE),
        ("conda-lock.yml", "version: 1\nmetadata:\n  content_hash:\n    linux-64: 0c1f\n"),
    ],
)
def test_a_walked_file_over_the_limit_that_is_clearly_no_input_is_skipped(
    tmp_path: Path, name: str, start: str
) -> None:
    """A CDK app's tree.json reaches hundreds of MiB, a monorepo's package-lock.json passes
    10 MiB: refused for its size, such a file failed the whole run (exit 2), though under the
    limit it is skipped as not IaC.  Its first bytes tell what it is; it is skipped alike."""
    _over_the_limit(tmp_path / name, start)
    shutil.copy(GOOD, tmp_path / "trust.json")
    code, report = check(tmp_path)
    assert (code, errors(report)) == (1, [])
    assert good_was_analyzed(report, tmp_path / "trust.json")
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 1}


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("big.template.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {'),
        ("plan.json", '{"format_version": "1.2", "terraform_version": "1.9.0", "variables": {'),
        # Sorted by a tool (jq -S): a plan's first key is "applyable".
        ("plan.json", '{"applyable": true, "complete": true, "configuration": {'),
        ("export.json", '{"UserDetailList": [{"UserName": "ci"'),
        ("state.json", '{"version": 4, "terraform_version": "1.9.0", "serial": 3, "lineage": "'),
        ("lock.yaml", "name: app\nlockfileVersion: 3\n"),  # YAML is not judged by its start
    ],
)
def test_a_file_over_the_limit_that_may_be_an_input_is_still_refused(
    tmp_path: Path, name: str, start: str
) -> None:
    """The limit bounds the time spent parsing: a file that may be a template, plan, state or
    export is only told by parsing it, so one over the limit stays an error."""
    big = _over_the_limit(tmp_path / name, start)
    expected = f"file is 11 MiB, over the 10 MiB limit: not read {RAISE_LIMIT}"
    assert errors(failing(tmp_path)) == [(str(big), None, None, expected)]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("package-lock.json", LOCKFILE),
        ("pnpm-lock.yaml", PNPM_LOCKFILE),
        # Not found by a walk (no suffix rolelint reads), read when named, and skipped as not
        # IaC under the limit: over it too.
        ("yarn.lock", '# yarn lockfile v1\n\n\n"@babel/core@^7.0.0":\n  version "7.24.0"\n'),
        ("Cargo.lock", "# This file is automatically @generated by Cargo.\nversion = 3\n"),
        ("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n"),
    ],
)
def test_a_named_file_over_the_limit_that_is_clearly_no_input_is_skipped(
    tmp_path: Path, name: str, start: str
) -> None:
    """pre-commit names every JSON and YAML file it passes: a named package-lock.json (a lock
    file of another package manager) is judged as a walked one is (skipped under the limit, and
    so over it)."""
    lockfile = _over_the_limit(tmp_path / name, start)
    code, report = check(lockfile)
    assert (code, errors(report)) == (0, [])
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 1}


@pytest.mark.parametrize(
    ("name", "start", "skipped"),
    [
        ("package-lock.json", LOCKFILE, True),
        ("pnpm-lock.yaml", PNPM_LOCKFILE, True),
        ("template.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {', False),
    ],
)
def test_standard_input_over_the_limit_is_judged_as_the_file_it_names(
    name: str, start: str, skipped: bool
) -> None:
    """An editor integration pipes the buffer in with ``--stdin-filename``: a package-lock.json
    over the limit was refused for its size (exit 2) though the same file on disk is skipped as
    not IaC.  Standard input is read once, so its start is kept to judge it by."""
    text = start + " " * (MIB + 10)
    result = run_rolelint(
        "check", "--max-file-size", "1", "--stdin-filename", name, "-f", "json", "-",
        str(GOOD), stdin=text,
    )  # fmt: skip
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert good_was_analyzed(report)
    if skipped:
        assert (result.returncode, errors(report)) == (1, [])
        assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 1}
    else:
        assert result.returncode == 2
        expected = f"over the 1 MiB limit: not read {RAISE_LIMIT}"
        assert errors(report) == [(name, None, None, expected)]


def test_the_size_is_checked_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(1024 * MIB)  # a gigabyte, on no disk
    tracemalloc.start()
    try:
        text, error = read_text(str(huge))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text is None and error is not None
    assert error.message == f"file is 1024 MiB, over the 10 MiB limit: not read {RAISE_LIMIT}"
    assert peak < MIB


def test_the_size_limit_is_a_parameter(tmp_path: Path) -> None:
    policy = tmp_path / "trust.json"
    policy.write_text(TRUST)
    size = len(TRUST.encode())
    assert read_text(str(policy), max_size=size) == (TRUST, None)
    _, error = read_text(str(policy), max_size=size - 1)
    assert error is not None
    assert (
        error.message
        == f"file is {size} bytes, over the {size - 1} bytes limit: not read {RAISE_LIMIT}"
    )
    assert read_target(Target(str(policy), explicit=True), max_size=None) == (TRUST, None)
    assert MAX_FILE_SIZE == 10 * MIB


def test_standard_input_is_read_up_to_the_limit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b" " * 2048)))
    _, error = read_target(Target(STDIN, explicit=True), max_size=1024)
    assert error is not None
    assert (error.file, error.message) == (
        "<stdin>",
        f"over the 1 KiB limit: not read {RAISE_LIMIT}",
    )


@pytest.mark.parametrize("limit", ["100000", "1e13"])
def test_a_generous_limit_still_reads_standard_input(limit: str) -> None:
    """A limit meant as "no limit" was allocated whole before standard input was read: a
    MemoryError (100,000 MiB) or an OverflowError (past ``sys.maxsize``), an internal error
    that stopped the scan of every other file too."""
    result = run_rolelint(
        "check", "--max-file-size", limit, "-f", "json", "-", str(GOOD), stdin=TRUST
    )
    assert (result.returncode, result.stderr) == (1, ""), result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert good_was_analyzed(report) and good_was_analyzed(report, "<stdin>")


@pytest.mark.parametrize(
    ("named", "name"), [([], "<stdin>"), (["--stdin-filename", "main.tf"], "main.tf")]
)
def test_a_closed_standard_input_is_an_error_line(named: list[str], name: str) -> None:
    """An editor, a daemon or a CI step may start rolelint with file descriptor 0 closed:
    Python's ``sys.stdin`` is then None, which was an "internal error, please report it"."""
    result = run_rolelint(
        "check", "-", "-f", "json", "--no-cache", *named, before=lambda: os.close(0)
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        (name, "cannot read standard input: it is closed")
    ]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_is_read_up_to_the_limit_only() -> None:
    report = failing("/dev/zero")
    assert errors(report) == [
        ("/dev/zero", None, None, f"over the 10 MiB limit: not read {RAISE_LIMIT}")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_folder_does_not_block_the_scan(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # nobody writes to it: reading it must not wait
    shutil.copy(GOOD, tmp_path / "good.json")
    code, report = check(tmp_path)
    assert code == 1 and not report["errors"]
    assert good_was_analyzed(report, tmp_path / "good.json")
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 1}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", ["trust.json", "main.tf"])
@pytest.mark.parametrize("cached", [False, True])
def test_a_named_pipe_with_findings_is_read_once_and_never_reopened(
    tmp_path: Path, name: str, cached: bool
) -> None:
    """The snippets of a pipe's findings come from the text parsed: reopened to read them,
    the pipe waited for a writer for ever, after the findings were made.  A ``main.tf`` that
    is a pipe is read as any other file (it was left out of its module), once: with the cache
    and two jobs, it was read ahead of its module, which then read it empty."""
    folder = tmp_path / "pipe"
    folder.mkdir()
    pipe = folder / name
    os.mkfifo(pipe)
    text = POLICY_TRUSTING_ANYONE if name.endswith(".json") else MODULE_TRUSTING_ANYONE
    # Held open for reading, the pipe keeps what was written once its writer has closed.
    holder = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with open(pipe, "w", encoding="utf-8") as writer:
            writer.write(text)
        cache = ParseCache(tmp_path / "cache") if cached else None
        report = _lint_or_release(pipe, cache)
    finally:
        os.close(holder)
    assert not report.errors
    line = 6 if name.endswith(".json") else 5
    assert [(f.rule_id, f.file, f.location.line) for f in report.findings] == [
        ("RL101", str(pipe), line)
    ]
    assert report.snippets[(str(pipe), line)] == text.splitlines()[line - 1]


POLICY_TRUSTING_ANYONE = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""
MODULE_TRUSTING_ANYONE = """\
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_beside_a_policy_named_alone_is_not_drained_looking_for_its_name(
    tmp_path: Path,
) -> None:
    """A policy named alone brings the modules whose text names it.  Looking for the name
    read a ``main.tf`` that is a pipe, and the module then read it empty (a file analyzed,
    with nothing in it).  Only regular files are searched: the pipe is left as it was, and the
    policy is analyzed on its own."""
    (tmp_path / "trust.json").write_text(POLICY_TRUSTING_ANYONE, encoding="utf-8")
    pipe = tmp_path / "main.tf"
    os.mkfifo(pipe)
    holder = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with open(pipe, "w", encoding="utf-8") as writer:
            writer.write(MODULE_READING_TRUST)
        report = api.lint_paths([str(tmp_path / "trust.json")])
        left = os.read(holder, 4096).decode()
    finally:
        os.close(holder)
    assert left == MODULE_READING_TRUST
    assert (report.files_analyzed, report.errors) == (1, [])
    found = [(f.rule_id, f.file, f.location.line, f.role) for f in report.findings]
    assert found == [("RL101", str(tmp_path / "trust.json"), 6, None)]


MODULE_READING_TRUST = """\
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = file("${path.module}/trust.json")
}
"""


@pytest.mark.parametrize("target", ["/dev/null"])
def test_a_terraform_file_linked_to_a_device_is_read(tmp_path: Path, target: str) -> None:
    """Named on the command line, it was left out of its module: no file, no error."""
    if not os.path.exists(target):
        pytest.skip(f"no {target}")
    (tmp_path / "main.tf").symlink_to(target)
    report = api.lint_paths([str(tmp_path / "main.tf")])
    assert (report.files_analyzed, report.errors, report.findings) == (1, [], [])


def _lint_or_release(pipe: Path, cache: ParseCache | None) -> Report:
    """``lint_paths`` on ``pipe``, failing (not hanging) when it opens the pipe to wait for a
    writer: a writer is then let in, once, to end the wait."""
    import threading

    reports: list[Report] = []
    jobs = 2 if cache is not None else 1
    worker = threading.Thread(
        target=lambda: reports.append(api.lint_paths([str(pipe)], jobs=jobs, cache=cache))
    )
    worker.start()
    worker.join(20)
    hung = worker.is_alive()
    if hung:
        with open(pipe, "w", encoding="utf-8"):
            pass
        worker.join()
    assert not hung, "the run opened the pipe again and waited for a writer"
    return reports[0]


# --- encodings, line ends, empty files ------------------------------------------------------------


def test_a_binary_file_is_an_error() -> None:
    report = failing(BAD / "binary.json")
    expected = "binary file, not a template or policy"
    assert errors(report) == [(str(BAD / "binary.json"), None, None, expected)]


def test_text_that_is_not_utf8_names_the_byte_its_line_and_column() -> None:
    report = failing(BAD / "latin1.yaml")
    expected = "not UTF-8 text (byte 0xe9): save the file as UTF-8"
    assert errors(report) == [(str(BAD / "latin1.yaml"), 2, 17, expected)]


def test_utf16_text_is_named_as_such() -> None:
    report = failing(BAD / "utf16.json")
    expected = "UTF-16 text, not UTF-8: save the file as UTF-8"
    assert errors(report) == [(str(BAD / "utf16.json"), None, None, expected)]


@pytest.mark.parametrize("name", ["bom.json", "bom.yaml"])
def test_a_byte_order_mark_is_dropped_and_columns_count_without_it(name: str) -> None:
    path = BAD / name
    text = path.read_bytes().decode("utf-8-sig")
    code, report = check(path, GOOD)
    assert code == 1 and not report["errors"]
    assert good_was_analyzed(report)
    line, column = position(text, "'*'" if name.endswith(".yaml") else '"*"')
    assert line == 1
    found = [(f["line"], f["column"], f["end_column"]) for f in report["findings"]]
    assert (line, column, column + 3) in found


@pytest.mark.parametrize(("name", "needle"), [("crlf.json", '"*"'), ("crlf.yaml", "'*'")])
def test_crlf_line_ends_give_the_same_lines_and_columns(name: str, needle: str) -> None:
    path = BAD / name
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text
    code, report = check(path, GOOD)
    assert code == 1 and not report["errors"]
    line, column = position(text.replace("\r\n", "\n"), needle)
    assert [(f["file"], f["line"], f["column"]) for f in report["findings"]] == sorted(
        [(str(path), line, column), (str(GOOD), 3, 50)]
    )


def test_cr_only_line_ends_give_the_same_lines_columns_and_carets(tmp_path: Path) -> None:
    """Old Mac line ends (a lone CR): the JSON policy's finding was at 1:81, its text report
    line the one after that "line", where the same policy in YAML was at 4:13."""
    json_policy = tmp_path / "p.json"
    json_policy.write_bytes(
        b'{\r  "Version": "2012-10-17",\r  "Statement": [\r'
        b'    {"Effect": "Allow", "Action": "*", "Resource": "*"}\r  ]\r}\r'
    )
    yaml_policy = tmp_path / "p.yaml"
    yaml_policy.write_bytes(
        b'Version: "2012-10-17"\rStatement:\r  - Effect: Allow\r    Action: "*"\r'
        b'    Resource: "*"\r'
    )
    code, report = check(json_policy, yaml_policy)
    assert code == 1 and not report["errors"]
    assert sorted(
        (f["file"], f["rule_id"], f["line"], f["column"]) for f in report["findings"]
    ) == [
        (str(json_policy), "RL201", 4, 35),
        (str(yaml_policy), "RL201", 4, 13),
    ]
    text = run_rolelint("check", str(json_policy)).stdout.splitlines()
    at = next(n for n, line in enumerate(text) if line.startswith(f"{json_policy}:4:35  "))
    snippet, caret = text[at + 1], text[at + 2]
    assert snippet.strip() == '{"Effect": "Allow", "Action": "*", "Resource": "*"}'
    assert snippet[caret.index("^") : caret.index("^") + 3] == '"*"'


@pytest.mark.parametrize(
    ("name", "text", "line", "snippet"),
    [
        (  # JSON: U+2028, U+2029 and NEL are text in a string
            "trust.json",
            '{"Version": "2012-10-17", "Statement": [{\n  "Sid": "a\u2028b\u2029c\x85d",\n'
            '  "Effect": "Allow",\n  "Principal": {"AWS": "*"},\n  "Action": "sts:AssumeRole"}]}\n',
            4,
            '  "Principal": {"AWS": "*"},',
        ),
        (  # HCL: none of splitlines' other breaks is one
            "main.tf",
            'resource "aws_iam_role" "a" {\n  description = "a\u2028b\x0cc\x1ed\x85e"\n'
            '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = '
            '"Allow", Principal = {AWS = "*"}, Action = "sts:AssumeRole"}]})\n}\n',
            3,
            "  assume_role_policy = jsonencode(",
        ),
    ],
)
def test_a_snippet_is_the_line_the_parser_counted(
    tmp_path: Path, name: str, text: str, line: int, snippet: str
) -> None:
    """The line shown with a finding is split where the file's parser breaks lines: split by
    ``str.splitlines``, a line separator in a string showed the line above the finding's."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    report = api.lint_paths([str(path)])
    [finding] = [f for f in report.findings if f.rule_id == "RL101"]
    assert finding.location.line == line
    assert report.snippets[(str(path), line)].startswith(snippet)


def test_empty_whitespace_and_comment_only_files_are_skipped_quietly() -> None:
    names = [
        "empty.yaml",
        "empty.json",
        "whitespace.yaml",
        "whitespace.json",
        "comments-only.yaml",
    ]
    code, report = check(*(BAD / name for name in names), GOOD)
    assert code == 1 and not report["errors"]
    assert good_was_analyzed(report)
    assert report["summary"]["files_analyzed"] == 1
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: len(names)}


# A Helm chart's templates: YAML only once rendered, and holding an IAM policy.
HELM_ACK_ROLE = """\
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: {{ .Values.name }}
spec:
  assumeRolePolicyDocument: |
    {"Statement": [{"Effect": "Allow", "Principal": {"Federated": "{{ .Values.oidc }}"}}]}
"""
HELM_POLICY_CONFIGMAP = """\
{{- if .Values.policy.create }}
apiVersion: v1
kind: ConfigMap
data:
  policy.json: |
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "{{ .Values.arn }}"}]}
{{- end }}
"""


def test_helm_templates_holding_a_policy_are_skipped_quietly(tmp_path: Path) -> None:
    # They failed a pre-commit hook (exit 2, invalid YAML): "Statement" made them look like ours.
    (tmp_path / "ack.yaml").write_text(HELM_ACK_ROLE, encoding="utf-8")
    (tmp_path / "cm.yaml").write_text(HELM_POLICY_CONFIGMAP, encoding="utf-8")
    code, report = check(tmp_path / "ack.yaml", tmp_path / "cm.yaml", GOOD)
    assert code == 1 and not report["errors"]
    assert good_was_analyzed(report)
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 2}


SEVERAL = (
    "more than one YAML document (another starts here): rolelint reads one template or policy "
    "per file, so put each in a file of its own"
)
# Kubernetes manifests of IAM resources (ACK, Crossplane): several documents, holding a policy.
ACK_POLICY_MANIFESTS = """\
apiVersion: v1
kind: ServiceAccount
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Policy
spec:
  policyDocument: |
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
"""


@pytest.mark.parametrize(
    "manifests",
    [
        ACK_POLICY_MANIFESTS,
        # "AWS::" in a condition value is no CloudFormation: it made the stream an error.
        ACK_POLICY_MANIFESTS.replace(
            '"Resource": "*"',
            '"Resource": "*", "Condition": '
            '{"ForAllValues:StringLike": {"cloudformation:ResourceTypes": ["AWS::S3::*"]}}',
        ),
    ],
)
def test_a_stream_of_several_documents_holding_a_policy_is_skipped_quietly(
    tmp_path: Path, manifests: str
) -> None:
    """A template or policy is one document.  "Statement" made the manifests look like ours, and
    PyYAML's refusal of a second document made them "invalid YAML": exit 2 in pre-commit."""
    path = tmp_path / "k8s.yaml"
    path.write_text(manifests, encoding="utf-8")
    code, report = check(path, GOOD)
    assert code == 1 and not report["errors"]
    assert good_was_analyzed(report)
    assert report["summary"]["skipped_by_reason"] == {NOT_A_TEMPLATE: 1}


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        # Broken YAML after the first document: still an error, where the YAML is broken.
        (
            ACK_POLICY_MANIFESTS + "---\nkind: [\n",
            10,
            8,  # the end of the last line (the end of input is after its line break)
            "invalid YAML: while parsing a flow node did not find expected node content",
        ),
        # A CloudFormation template followed by another document: CloudFormation refuses it.
        (
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n---\nx: 1\n",
            3,
            1,
            SEVERAL,
        ),
        # Two IAM policies: skipped, the full-administrator one passed unseen (exit 0).
        (
            "Version: '2012-10-17'\nStatement:\n  - {Effect: Allow, Action: '*', Resource: '*'}\n"
            "---\nVersion: '2012-10-17'\nStatement:\n"
            "  - {Effect: Allow, Action: 'iam:*', Resource: '*'}\n",
            4,
            1,
            SEVERAL,
        ),
    ],
)
def test_several_documents_broken_or_holding_a_template_are_still_an_error(
    tmp_path: Path, text: str, line: int, column: int, message: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    assert errors(failing(path)) == [(str(path), line, column, message)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # A dynamic reference is no Go template: written unquoted, it breaks the template.
        ("AWSTemplateFormatVersion: x\nR: {{resolve:ssm:name}}\n", 2),
        # A Go template action in a CloudFormation template (a Docker log tag) breaks nothing.
        ('Statement: [\nTag: "{{.Name}}"\n', 2),
        # An SSM document's parameter.
        ("Statement:\n  - {{ InstanceId }}\n", 2),
    ],
)
def test_a_broken_template_with_braces_is_still_an_error(
    tmp_path: Path, text: str, line: int
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    report = failing(path)
    assert [(file, found) for file, found, _, _ in errors(report)] == [(str(path), line)]


# --- files that go away or cannot be read ---------------------------------------------------------


def test_a_file_that_vanishes_after_discovery_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vanishing = tmp_path / "a-vanishing.json"
    vanishing.write_text(TRUST)
    good = tmp_path / "good.json"
    shutil.copy(GOOD, good)

    def discover_then_delete(*args: Any, **kwargs: Any) -> Iterator[Target]:
        for target in discover(*args, **kwargs):
            if target.path == str(vanishing):
                vanishing.unlink()
            yield target

    monkeypatch.setattr(api, "discover", discover_then_delete)
    report = api.lint_paths([str(tmp_path)])
    message = f"cannot read file: {os.strerror(errno.ENOENT)}"
    assert [(e.file, e.message) for e in report.errors] == [(str(vanishing), message)]
    assert [(f.file, f.rule_id) for f in report.findings] == [(str(good), "RL101")]


def test_a_broken_link_is_named_as_such(tmp_path: Path) -> None:
    symlink(tmp_path / "gone.yaml", "nowhere.yaml")
    shutil.copy(GOOD, tmp_path / "good.json")
    code, report = check(tmp_path)
    assert code == 2 and good_was_analyzed(report, tmp_path / "good.json")
    expected = "broken symbolic link to nowhere.yaml"
    assert errors(report) == [(str(tmp_path / "gone.yaml"), None, None, expected)]


def _denied(path: Path) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


@pytest.mark.skipif(AS_ROOT, reason="root reads a file whatever its mode (emulated below)")
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(TRUST)
    secret.chmod(0)
    try:
        report = failing(secret)
    finally:
        secret.chmod(0o600)
    expected = f"cannot read file: {os.strerror(errno.EACCES)}"
    assert errors(report) == [(str(secret), None, None, expected)]


def test_an_unreadable_file_is_an_error_emulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(TRUST)
    real_open = os.open

    def refusing_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) == str(secret):
            raise _denied(secret)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    report = api.lint_paths([str(secret), str(GOOD)])
    expected = f"cannot read file: {os.strerror(errno.EACCES)}"
    assert [(e.file, e.message) for e in report.errors] == [(str(secret), expected)]
    assert [(f.file, f.rule_id) for f in report.findings] == [(str(GOOD), "RL101")]


@pytest.mark.skipif(AS_ROOT, reason="root lists a folder whatever its mode (emulated below)")
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_an_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "trust.json").write_text(TRUST)
    shutil.copy(GOOD, tmp_path / "good.json")
    locked.chmod(0)
    try:
        code, report = check(tmp_path)
    finally:
        locked.chmod(0o700)
    assert code == 2 and good_was_analyzed(report, tmp_path / "good.json")
    expected = f"cannot read folder: {os.strerror(errno.EACCES)}"
    assert errors(report) == [(str(locked), None, None, expected)]


def test_an_unreadable_folder_is_an_error_emulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "trust.json").write_text(TRUST)
    good = tmp_path / "z" / "good.json"
    good.parent.mkdir()
    shutil.copy(GOOD, good)
    real_scandir = os.scandir

    def refusing_scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(locked):
            raise _denied(locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    report = api.lint_paths([str(tmp_path)])
    expected = f"cannot read folder: {os.strerror(errno.EACCES)}"
    assert [(e.file, e.message) for e in report.errors] == [(str(locked), expected)]
    assert [(f.file, f.rule_id) for f in report.findings] == [(str(good), "RL101")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's 4,096-byte path limit")
def test_a_folder_too_deep_to_name_is_an_error(tmp_path: Path) -> None:
    # Folders nested past the recursion limit and then past the longest path the system takes:
    # the walk reaches the last folder it can name and says why it goes no further.
    shutil.copy(GOOD, tmp_path / "good.json")
    deep = tmp_path / "deep"
    deep.mkdir()
    try:
        nest_folders(deep, "dd", 2100)  # 2,100 levels of "dd/": past 4,096 bytes from the root
        code, report = check(tmp_path)
    finally:
        remove_deep_tree(deep)
    assert code == 2 and good_was_analyzed(report, tmp_path / "good.json")
    [(folder, line, column, message)] = errors(report)
    assert message == f"cannot read folder: {os.strerror(errno.ENAMETOOLONG)}"
    assert folder.startswith(str(deep / "dd" / "dd")) and len(folder) > 4000
    assert (line, column) == (None, None)


# --- links ----------------------------------------------------------------------------------------


def test_link_loops_end_and_each_file_is_read_once(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.json")
    (tmp_path / "a").mkdir()
    symlink(tmp_path / "loop", ".", directory=True)  # a link to its own folder
    symlink(tmp_path / "a" / "up", "..", directory=True)  # a cycle through a/
    symlink(tmp_path / "self.yaml", "self.yaml")  # a link to itself
    code, report = check(tmp_path)
    assert code == 2
    assert [f["file"] for f in report["findings"]] == [str(tmp_path / "good.json")]
    loop = f"cannot read file: {os.strerror(errno.ELOOP)}"
    assert errors(report) == [(str(tmp_path / "self.yaml"), None, None, loop)]


@pytest.mark.parametrize("named", ["the file", "its folder"])
def test_a_broken_or_looping_terraform_link_is_an_error(tmp_path: Path, named: str) -> None:
    """A ``.tf`` link to nothing, or to itself, vanished from its module: exit 0, "0 files",
    even when named on the command line, where the same ``.yaml`` link is an error."""
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(MODULE_READING_TRUST)
    (module / "trust.json").write_text(TRUST)
    symlink(module / "broken.tf", "nowhere.tf")
    symlink(module / "loop.tf", "loop.tf")
    if named == "the file":
        code, report = check(module / "broken.tf", module / "loop.tf")
    else:
        code, report = check(module)
    assert code == 2
    loop = f"cannot read file: {os.strerror(errno.ELOOP)}"
    assert errors(report) == [
        (str(module / "broken.tf"), None, None, "broken symbolic link to nowhere.tf"),
        (str(module / "loop.tf"), None, None, loop),
    ]
    # The module's other file is still analyzed.
    assert [(f["file"], f["rule_id"]) for f in report["findings"]] == [
        (str(module / "trust.json"), "RL101")
    ]


def test_linked_folders_are_not_followed_unless_named(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "trust.json").write_text(TRUST)
    scanned = tmp_path / "scanned"
    scanned.mkdir()
    shutil.copy(GOOD, scanned / "good.json")
    symlink(scanned / "linked", "../elsewhere", directory=True)
    code, report = check(scanned)
    assert code == 1 and not report["errors"]
    assert [f["file"] for f in report["findings"]] == [str(scanned / "good.json")]
    code, report = check(scanned / "linked")
    assert code == 1
    assert [f["file"] for f in report["findings"]] == [str(scanned / "linked" / "trust.json")]


def test_a_linked_file_is_read(tmp_path: Path) -> None:
    symlink(tmp_path / "linked.json", str(GOOD))
    code, report = check(tmp_path)
    assert code == 1
    assert good_was_analyzed(report, tmp_path / "linked.json")


def test_a_file_or_module_reached_under_two_names_is_analyzed_once(tmp_path: Path) -> None:
    """docs/formats.md: a file keeps one name however it was reached.  A folder and an
    absolute name of a file (or of a Terraform module's file) in it are one file, one module."""
    shutil.copy(GOOD, tmp_path / "good.json")
    module = REPO / "fixtures" / "chains" / "across-two-terraform-files"
    shutil.copytree(module, tmp_path / "tf")
    symlink(tmp_path / "link.json", "good.json")
    _, once = check("tf", cwd=tmp_path)
    code, report = check(".", tmp_path / "good.json", tmp_path / "tf" / "ci.tf", cwd=tmp_path)
    assert code == 1
    assert good_was_analyzed(report, "good.json")
    files = [f["file"] for f in report["findings"]]
    assert files.count("good.json") == 1 and "link.json" not in files
    assert [f for f in report["findings"] if f["file"].startswith("tf")] == once["findings"]
    assert not [file for file in files if file.startswith(str(tmp_path))]


# --- names ----------------------------------------------------------------------------------------

ODD_NAMES = ["with space.json", "ünïcødé.json", "new\nline.json", "-dash.json", "tab\there.json"]


def test_odd_names_are_reported_exactly(tmp_path: Path) -> None:
    for name in ODD_NAMES:
        (tmp_path / name).write_text(TRUST)
    (tmp_path / "broken\nname.yaml").write_text("AWSTemplateFormatVersion: x\nResources: [\n")
    code, report = check(".", cwd=tmp_path)
    assert code == 2
    # Named as in the folder, without the "./" of the walk (discovery.tidy_path).
    assert sorted(f["file"] for f in report["findings"]) == sorted(ODD_NAMES)
    assert [(file, line) for file, line, _, _ in errors(report)] == [("broken\nname.yaml", 2)]
    text = run_rolelint("check", ".", "--no-color", cwd=tmp_path).stdout.splitlines()
    # One line per finding and error, the name's control characters shown escaped.
    assert any(line.startswith("broken\\x0aname.yaml:2:") for line in text)
    assert any(line.startswith("new\\x0aline.json:3:50 ") for line in text)
    assert any(line.startswith("tab\there.json:3:50 ") for line in text)


def test_a_name_with_a_leading_dash_after_double_dash(tmp_path: Path) -> None:
    (tmp_path / "-dash.json").write_text(TRUST)
    shutil.copy(GOOD, tmp_path / "good.json")
    code, report = check("--", "-dash.json", "good.json", cwd=tmp_path)
    assert code == 1
    assert sorted(f["file"] for f in report["findings"]) == ["-dash.json", "good.json"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names there are always Unicode")
def test_a_name_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    """The undecodable byte is shown escaped (as the JSON escape of the surrogate Python reads
    it as), in every format, and the run goes on."""
    (tmp_path / os.fsdecode(b"caf\xe9.json")).write_text(TRUST)
    shutil.copy(GOOD, tmp_path / "good.json")
    result = run_rolelint("check", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    files = sorted(f["file"] for f in json.loads(result.stdout)["findings"])
    assert files == ["caf\udce9.json", "good.json"]
    text = run_rolelint("check", ".", cwd=tmp_path)
    assert text.returncode == 1 and "caf\\udce9.json:" in text.stdout
    for output_format in FORMATS:  # SARIF once lost the whole log to the name
        result = run_rolelint("check", ".", "--format", output_format, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (1, ""), output_format
    sarif = run_rolelint("check", ".", "--format", "sarif", cwd=tmp_path).stdout
    assert '"uri": "caf%E9.json"' in sarif
    # A broken file so named is an error line in every format (GitLab's lost the report).
    (tmp_path / os.fsdecode(b"br\xf6ken.yaml")).write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: [\n"
    )
    for output_format in FORMATS:
        result = run_rolelint("check", ".", "--format", output_format, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, ""), output_format
        assert "br\\udcf6ken.yaml" in result.stdout or "br%F6ken.yaml" in result.stdout


def test_a_policy_with_a_huge_number_of_statements_is_read_only_so_far(tmp_path: Path) -> None:
    """A hostile policy of thousands of statements would make every rule report each one: the
    statements past IAM's plausible maximum are not analyzed, and one finding says so."""
    policy = {"Version": "2012-10-17", "Statement": [1] * 5000}
    (tmp_path / "huge.json").write_text(json.dumps(policy))
    result = run_rolelint("check", "huge.json", "-f", "json", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert result.returncode == 1
    assert len(findings) == 1001 and {f["rule_id"] for f in findings} == {"RL604"}
    assert sum("more than 1,000 statements" in f["message"] for f in findings) == 1


@pytest.mark.parametrize(
    ("name", "text", "message", "where"),
    [
        (
            "long.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: " + "9" * 5000 + "\n",
            "invalid YAML: number too long to read",
            (3, 6),
        ),
        # Read whole by PyYAML (powers of two, or sums), these would fail wherever the value
        # is written as text.
        *[
            (
                f"long-{kind}.yaml",
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: " + digits + "\n",
                "invalid YAML: number too long to read",
                (3, 6),
            )
            for kind, digits in (
                ("hexadecimal", "0x" + "f" * 5000),
                ("octal", "0" + "7" * 6000),
                ("binary", "0b" + "1" * 20000),
                ("sexagesimal", "1" + ":59" * 3000),
            )
        ],
        (
            "long.json",
            '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": ' + "9" * 5000 + "}",
            "invalid JSON: number too long to read",
            (2, 15),
        ),
        (
            "long.tf",
            'resource "aws_iam_role" "r" {\n  max_session_duration = ' + "9" * 5000 + "\n}\n",
            "invalid HCL: number too long to read",
            (2, 26),
        ),
        (
            "index.tf",
            'locals {\n  x = ["a"]\n  y = local.x.' + "9" * 5000 + "\n}\n",
            "invalid HCL: number too long to read",
            (3, 15),
        ),
    ],
)
def test_a_number_too_long_for_python_is_an_error_at_its_place(
    tmp_path: Path, name: str, text: str, message: str, where: tuple[int, int]
) -> None:
    """Python refuses to convert integers of over 4,300 digits (a denial-of-service guard)."""
    (tmp_path / name).write_text(text)
    report = failing(tmp_path / name)
    assert errors(report) == [(str(tmp_path / name), *where, message)]


TRUNCATED = {
    "trunc.json": '{"Version": "2012-10-17",\n "Statement": [\n',
    "trunc.yaml": (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n'
        '    Properties:\n      Description: "unterminated\n'
    ),
    "main.tf": 'resource "aws_iam_role" "r" {\n  name = "r"\n',
    "prod.tfvars": "x = {\r\n",  # read on its own; a CRLF file
}
# Each error at the end of the file's last line: the column after its last character.
TRUNCATED_AT = {
    "main.tf": (2, 13, "invalid HCL: unexpected end of file"),
    "prod.tfvars": (1, 6, "invalid HCL: unexpected end of file"),
    "trunc.json": (2, 16, "invalid JSON: expecting a value"),
    "trunc.yaml": (
        6,
        33,
        "invalid YAML: while scanning a quoted scalar found unexpected end of stream",
    ),
}


def test_an_error_at_the_end_of_a_file_is_on_its_last_line_in_every_format(
    tmp_path: Path,
) -> None:
    """The loaders' end of input is after the final line break: line N+1 of an N-line file, a
    line no editor, GitHub annotation or merge-request view has.  It is the end of line N, as
    a finding's end is (reporters.common.last_line), in every format; the message still says
    "end of file"."""
    for name, text in TRUNCATED.items():
        (tmp_path / name).write_bytes(text.encode())
    code, report = check(".", cwd=tmp_path)
    assert code == 2
    assert errors(report) == [(name, *where) for name, where in TRUNCATED_AT.items()]
    sarif = json.loads(run_rolelint("check", ".", "-f", "sarif", cwd=tmp_path).stdout)
    notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    regions = [n["locations"][0]["physicalLocation"]["region"] for n in notifications]
    assert regions == [
        {"startLine": line, "startColumn": column} for line, column, _ in TRUNCATED_AT.values()
    ]
    gitlab = json.loads(run_rolelint("check", ".", "-f", "gitlab", cwd=tmp_path).stdout)
    assert [issue["location"]["lines"] for issue in gitlab] == [
        {"begin": line, "end": line} for line, _, _ in TRUNCATED_AT.values()
    ]
    github = run_rolelint("check", ".", "-f", "github", cwd=tmp_path).stdout
    text = run_rolelint("check", ".", cwd=tmp_path).stdout
    for name, (line, column, message) in TRUNCATED_AT.items():
        assert f"::error file={name},line={line},col={column}," in github
        assert f"{name}:{line}:{column}: error: {message}" in text
