"""Parsing on several cores and the parse cache: the same report whatever the number of jobs and
whatever the cache holds (nothing, valid entries, corrupt or foreign ones)."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from rolelint import api, parse_cache, parse_jobs, parsers
from rolelint.api import lint_paths
from rolelint.parse_cache import ParseCache
from rolelint.parse_jobs import MIN_PARALLEL_MODULES, MIN_PARALLEL_TASKS, chunks
from rolelint.parsers import SKIP_NOT_IAC
from rolelint.reading import RAISE_LIMIT
from tests.conftest import FIXTURES, run_python, run_rolelint

TEMPLATE = """\
Resources:
  Role{index}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: "arn:aws:iam::{account}:root"}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: "iam:PassRole", Resource: "*"}}
"""
MODULE = """\
resource "aws_iam_role" "r{index}" {{
  name = "r{index}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" }}]
  }})
}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Enough templates and Terraform folders for both kinds of work to go to workers."""
    root = tmp_path / "project"
    count = MIN_PARALLEL_TASKS + 4
    for index in range(count):
        folder = root / "stacks" / f"s{index:02d}"
        folder.mkdir(parents=True)
        account = f"{444455550000 + index:012d}"
        (folder / "role.yaml").write_text(TEMPLATE.format(index=index, account=account))
        module = root / "terraform" / f"m{index:02d}"
        module.mkdir(parents=True)
        (module / "main.tf").write_text(MODULE.format(index=index))
    (root / "broken.yaml").write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n')
    return root


def run(root: Path, *args: str, cache: Path | None = None) -> str:
    options = ["--no-cache"] if cache is None else []
    env = {"ROLELINT_CACHE_DIR": str(cache)} if cache is not None else None
    result = run_rolelint("check", str(root), *args, *options, cwd=root, env=env)
    assert result.returncode == 2, result.stderr  # the broken file
    return result.stdout


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_one_job_and_two_jobs_give_identical_output(project: Path, output_format: str) -> None:
    one = run(project, "-f", output_format, "--jobs", "1")
    two = run(project, "-f", output_format, "--jobs", "2")
    assert one == two
    if output_format == "json":
        report = json.loads(one)
        assert report["summary"]["files_analyzed"] == 2 * (MIN_PARALLEL_TASKS + 4)
        assert [e["file"] for e in report["errors"]] == [str(project / "broken.yaml")]


# What each cdk-exports fixture's import brings, once linked: the findings of the chain,
# escalation rules (file, rule, line), and of the admin rules for a permission set's.
# ``condition``: the iam:PolicyARN test admits a read-only policy, so no RL206.
# ``defaults``: the export made of a parameter's default is not read (no RL401 at line 13),
# the one of the role's Fn::GetAtt is.  ``rolename``: a role named by import is named so
# (the grant on role/deploy-admin reaches it); ``relay``: an export of an export is read;
# ``names``: a user and a group named by import are named so (Ops's trust of user/deployer,
# Dev's iam:PutGroupPolicy on its group/developers).
LINKED = {
    "chain": [("App.template.json", "RL401", 6), ("Shared.template.json", "RL405", 7)],
    "assume": [("App.template.json", "RL401", 12), ("App.template.json", "RL405", 6)],
    "join": [("App.template.json", "RL401", 12), ("App.template.json", "RL405", 6)],
    "passrole": [("App.template.json", "RL206", 14)],
    "sub": [("App.template.json", "RL206", 14)],
    "condition": [],
    "defaults": [("App.template.json", "RL401", 6), ("Shared.template.json", "RL405", 10)],
    "rolename": [
        ("App.template.json", "RL206", 16),
        ("Shared.template.json", "RL401", 12),
        ("Shared.template.json", "RL405", 6),
    ],
    "relay": [("App.template.json", "RL401", 6), ("Network.template.json", "RL405", 7)],
    "names": [("App.template.json", "RL206", 19), ("Ops.template.json", "RL401", 7)],
    "permission-set": [("App.template.json", "RL201", 8), ("App.template.json", "RL203", 16)],
}
# The rules LINKED looks at, of a fixture whose import does not reach a role (a permission
# set's) as well.
LINKED_RULES = {"RL401", "RL405", "RL206"}
SET_RULES = {"permission-set": {"RL201", "RL203"}}


@pytest.mark.parametrize("fixture", list(LINKED))
def test_imports_read_the_exports_of_files_parsed_in_other_processes(
    project: Path, tmp_path: Path, fixture: str
) -> None:
    """An ``Fn::ImportValue`` is linked to another template's export once every file is
    parsed (rolelint.stack_exports), whole or inside a text, so where each file was parsed,
    and whether it came from the cache, changes nothing: what the import brings (the chain
    through a trust or an sts:AssumeRole grant, the RL206 of a PassRole target, the policy an
    iam:PolicyARN test admits, a role's name, a permission set's policies, the export of an
    export; and not an export made of a parameter's default) is found with one job and with
    two, cold and warm."""
    import shutil

    shutil.copytree(
        FIXTURES / "parsers" / "cloudformation" / "cdk-exports" / fixture, project / "cdk"
    )
    one = run(project, "-f", "json", "--jobs", "1")
    two = run(project, "-f", "json", "--jobs", "2")
    cache = tmp_path / "cache"
    cold = run(project, "-f", "json", "--jobs", "2", cache=cache)
    warm = run(project, "-f", "json", "--jobs", "2", cache=cache)
    assert one == two == cold == warm
    linked = sorted(
        (Path(f["file"]).name, f["rule_id"], f["line"])
        for f in json.loads(one)["findings"]
        if f["rule_id"] in LINKED_RULES | SET_RULES.get(fixture, set())
        and "cdk" in Path(f["file"]).parts
    )
    assert linked == sorted(LINKED[fixture])


def test_the_cache_is_used_and_changes_nothing(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache = ParseCache(cache_dir)
    first = lint_paths([str(project)], cache=cache)
    assert (cache.hits, cache.misses) == (0, 2 * (MIN_PARALLEL_TASKS + 4) + 1)
    again = ParseCache(cache_dir)
    second = lint_paths([str(project)], cache=again)
    # Every file, the broken one too: its error is the result of parsing it, kept as well.
    assert (again.hits, again.misses) == (2 * (MIN_PARALLEL_TASKS + 4) + 1, 0)
    assert second.findings == first.findings and second.errors == first.errors
    # A changed file is parsed again; the others still come from the cache.
    changed = project / "stacks" / "s00" / "role.yaml"
    changed.write_text(changed.read_text().replace("iam:PassRole", "s3:GetObject"))
    third_cache = ParseCache(cache_dir)
    third = lint_paths([str(project)], cache=third_cache)
    assert third_cache.misses == 1
    assert any("s3:GetObject" in f.message for f in third.findings)
    assert not any("s3:GetObject" in f.message for f in first.findings)


def test_a_warm_run_hands_only_changed_files_to_workers(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached files are read where the run is: unpickling one costs less than a worker
    parsing nothing and pickling it back.  Only what changed is parsed again."""
    cache_dir = tmp_path / "cache"
    first = lint_paths([str(project)], cache=ParseCache(cache_dir), jobs=2)
    handed: list[int] = []
    real_run = parse_jobs.run

    def counting_run(function: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        if function is parse_jobs.parse_text or getattr(function, "func", None) is (
            parse_jobs.parse_file
        ):
            handed.append(len(items))
        return real_run(function, items, *args, **kwargs)

    monkeypatch.setattr(parse_jobs, "run", counting_run)
    warm = lint_paths([str(project)], cache=ParseCache(cache_dir), jobs=2)
    assert handed == [0]
    assert (warm.findings, warm.errors, warm.files_analyzed) == (
        first.findings,
        first.errors,
        first.files_analyzed,
    )
    changed = project / "stacks" / "s03" / "role.yaml"
    changed.write_text(changed.read_text().replace("iam:PassRole", "s3:GetObject"))
    lint_paths([str(project)], cache=ParseCache(cache_dir), jobs=2)
    assert handed == [0, 1]
    handed.clear()
    lint_paths([str(project)], cache=None, jobs=2)  # without a cache every file is handed out
    assert handed == [MIN_PARALLEL_TASKS + 4 + 1]


def test_the_command_line_cache_gives_the_same_output(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cli-cache"
    cold = run(project, "-f", "json", cache=cache_dir)
    assert (cache_dir / "key").exists()
    warm = run(project, "-f", "json", "--jobs", "2", cache=cache_dir)
    assert cold == warm == run(project, "-f", "json")


def _entries(cache_dir: Path) -> list[Path]:
    return [p for p in cache_dir.rglob("*") if p.is_file() and len(p.parent.name) == 2]


def test_corrupt_and_foreign_entries_are_ignored(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    expected = lint_paths([str(project)], cache=ParseCache(cache_dir))
    entries = _entries(cache_dir)
    assert entries
    entries[0].write_bytes(entries[0].read_bytes()[:20])  # truncated
    entries[1].write_bytes(b"garbage")
    payload = bytearray(entries[2].read_bytes())
    payload[-1] ^= 0xFF  # one flipped bit: the signature no longer matches
    entries[2].write_bytes(bytes(payload))
    checked = ParseCache(cache_dir)
    again = lint_paths([str(project)], cache=checked)
    assert again.findings == expected.findings
    assert checked.misses == 3  # the three damaged entries
    # Another key (another user's cache, a copied folder): nothing is trusted.
    (cache_dir / "key").write_bytes(os.urandom(32))
    foreign = ParseCache(cache_dir)
    assert lint_paths([str(project)], cache=foreign).findings == expected.findings
    assert foreign.hits == 0


@pytest.mark.parametrize("content", [b"garbage", b""])
def test_a_key_file_holding_no_key_is_replaced(
    project: Path, tmp_path: Path, content: bytes
) -> None:
    # Kept, it turned the cache off for good, without a word.
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "key").write_bytes(content)
    expected = lint_paths([str(project)], cache=ParseCache(cache_dir))
    key = (cache_dir / "key").read_bytes()
    assert len(key) == 32
    assert (cache_dir / "key").stat().st_mode & 0o077 == 0  # readable by you only
    warm = ParseCache(cache_dir)
    assert lint_paths([str(project)], cache=warm).findings == expected.findings
    assert warm.hits > 0 and warm.misses == 0
    assert (cache_dir / "key").read_bytes() == key
    assert not [name for name in os.listdir(cache_dir) if name.startswith(".tmp")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("kind", ["fifo", "endless device"])
def test_a_pipe_or_device_in_place_of_the_key_is_replaced(
    project: Path, tmp_path: Path, kind: str
) -> None:
    """A FIFO as the key made every run wait for a writer for ever; a link to /dev/zero read
    zeros until memory ran out.  Neither holds a key: it is replaced, as garbage is."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    if kind == "fifo":
        os.mkfifo(cache_dir / "key")
        os.mkfifo(cache_dir / "CACHEDIR.TAG")  # written each time a key is made
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        (cache_dir / "key").symlink_to("/dev/zero")
    expected = lint_paths([str(project)])
    cold = ParseCache(cache_dir)
    assert lint_paths([str(project)], cache=cold).findings == expected.findings
    assert (cache_dir / "key").is_file() and len((cache_dir / "key").read_bytes()) == 32
    warm = ParseCache(cache_dir)
    assert lint_paths([str(project)], cache=warm).findings == expected.findings
    assert warm.hits > 0 and warm.misses == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_entries_replaced_by_pipes_are_misses(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    expected = lint_paths([str(project)], cache=ParseCache(cache_dir))
    entries = _entries(cache_dir)
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)
    checked = ParseCache(cache_dir)
    assert lint_paths([str(project)], cache=checked).findings == expected.findings
    assert checked.hits == 0 and checked.misses == len(entries)
    assert all(entry.is_file() for entry in entries)  # written again over the pipes


def test_runs_creating_the_key_at_once_share_one(tmp_path: Path) -> None:
    # Each writes its key aside and links it in place: one wins, the others read it (never a
    # half-written key, which turned their cache off).
    from concurrent.futures import ThreadPoolExecutor

    from rolelint.parse_cache import signing_key

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: signing_key(tmp_path / "cache"), range(32)))
    assert keys == {(tmp_path / "cache" / "key").read_bytes()}


def test_a_key_another_run_links_in_after_the_read_is_read_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the test above met now and then: this run reads no key, another links its own
    in place, and this one then took the file for one holding no key and replaced it, so the
    two runs signed with different keys."""
    from rolelint import parse_cache

    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "key"
    real = parse_cache._read_key
    others: list[bytes] = []

    def other_run_links_in_between(where: Path) -> bytes | None:
        if not others:  # this run's first read found nothing; then the other run wins
            parse_cache._install_key(path, replace=False)
            others.append(path.read_bytes())
            return None
        return real(where)

    monkeypatch.setattr(parse_cache, "_read_key", other_run_links_in_between)
    key = parse_cache.signing_key(folder)
    assert key == others[0] == path.read_bytes()


def test_an_unusable_cache_folder_only_turns_the_cache_off(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    cache = ParseCache(blocked / "cache")
    report = lint_paths([str(project)], cache=cache)
    assert report.files_analyzed == 2 * (MIN_PARALLEL_TASKS + 4)
    assert cache.hits == 0


def test_no_cache_writes_no_entry(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "unused"
    env = {"ROLELINT_CACHE_DIR": str(cache_dir)}
    result = run_rolelint("check", str(project), "--no-cache", cwd=project, env=env)
    assert result.returncode == 2
    # python-hcl2's compiled grammar is kept there, signed with the folder's key (it is no parse
    # of a file); parsed files are not.
    assert _entries(cache_dir) == []
    names = sorted(path.name for path in cache_dir.rglob("*"))
    assert len(names) == 4 and names[0] == "CACHEDIR.TAG" and names[2:] == ["key", "staging"]
    assert names[1].startswith("hcl2-grammar-") and names[1].endswith(".marshal")
    assert not any((cache_dir / "staging").iterdir())  # where the grammar was written aside


def test_a_parser_bug_loses_one_file_not_the_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rolelint.parsers as parsers

    real = parsers.parse_source

    def flaky(name: str, text: str) -> parsers.ParseOutcome:
        if name.endswith("s03/role.yaml"):
            raise KeyError("boom")
        return real(name, text)

    monkeypatch.setattr(parsers, "parse_source", flaky)
    report = lint_paths([str(project)])
    bug = [e for e in report.errors if e.file.endswith("s03/role.yaml")]
    assert len(bug) == 1 and bug[0].message.startswith("internal error while parsing (KeyError")
    assert report.files_analyzed == 2 * (MIN_PARALLEL_TASKS + 4) - 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_debug_prints_the_traceback_of_a_parser_bug(project: Path, jobs: str) -> None:
    """``--debug`` ("Show tracebacks of internal errors") showed none for a parser bug, whose
    error asks for a report: the traceback is printed by the process that met it (a worker
    too); without --debug the output is as before."""
    code = (
        "import rolelint.parsers as parsers\n"
        "from rolelint.cli import main\n"
        "real = parsers.parse_source\n"
        "def flaky(name, text):\n"
        "    if name.endswith('s03/role.yaml'):\n"
        "        raise KeyError('boom')\n"
        "    return real(name, text)\n"
        "parsers.parse_source = flaky\n"
        f"main(['check', {str(project / 'stacks')!r}, '--no-cache', '--jobs', {jobs!r}]{{}})\n"
    )
    plain = run_python(code.format(""))
    debug = run_python(code.format(" + ['--debug']"))
    assert plain.returncode == debug.returncode == 2
    assert "Traceback" not in plain.stderr and "internal error while parsing" in plain.stdout
    header = f"rolelint: internal error while parsing {project / 'stacks' / 's03' / 'role.yaml'}:"
    assert header in debug.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert "KeyError: 'boom'" in debug.stderr and "in flaky" in debug.stderr
    assert debug.stdout == plain.stdout


def test_a_worker_killed_while_parsing_loses_nothing(project: Path) -> None:
    """A worker killed under a file (the out-of-memory killer) lost the whole run: tracebacks
    on standard error without --debug, 'internal error ... please report it', no report.  Its
    files are now parsed by the calling process; one line says what happened."""
    code = (
        "import os, signal\n"
        "import rolelint.parsers as parsers\n"
        "from rolelint.cli import main\n"
        "real, caller, marker = parsers.parse_source, os.getpid(), {marker!r}\n"
        "def killed_once(name, text):\n"
        "    if os.getpid() != caller and not os.path.exists(marker):\n"
        "        open(marker, 'x').close()\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(name, text)\n"
        "parsers.parse_source = killed_once\n"
        "main(['check', {stacks!r}, '--no-cache', '-f', 'json', '--jobs', {jobs!r}])\n"
    )
    marker = str(project / "killed")
    stacks = str(project / "stacks")
    one = run_python(code.format(marker=marker, stacks=stacks, jobs="1"))
    two = run_python(code.format(marker=marker, stacks=stacks, jobs="2"))
    assert os.path.exists(marker)  # a worker did die
    assert two.returncode == one.returncode == 1
    assert two.stdout == one.stdout and json.loads(two.stdout)["errors"] == []
    assert two.stderr == (
        "rolelint: warning: a worker process was killed by SIGKILL (out of memory?): its tasks "
        "were run again in the main process, so the report is complete\n"
    )


def test_chunks_keep_order_and_cover_everything() -> None:
    items = [f"d{i}" for i in range(10)]
    for parts in (1, 2, 3, 16):
        runs = chunks(items, parts)
        assert [item for run in runs for item in run] == items
        assert len(runs) <= parts
    assert chunks([], 2) == []


def test_the_code_digest_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ParseCache(tmp_path)
    cache.put("source", "a.yaml", "x: 1", {"value": 1})
    assert cache.get("source", "a.yaml", "x: 1") == {"value": 1}
    assert cache.get("source", "b.yaml", "x: 1") is None  # positions name the file
    monkeypatch.setattr(parse_cache, "code_digest", lambda: "another rolelint")
    assert cache.get("source", "a.yaml", "x: 1") is None


PACKAGE = Path(parse_cache.__file__).resolve().parent


def _rolelint_imports(path: Path) -> set[str]:
    """Every rolelint module a module may import, anywhere in it (functions too), read by
    Python's own parser: ``from rolelint.x import y`` may load ``rolelint.x.y``, and relative
    imports count."""
    import ast

    package = ".".join(("rolelint", *path.relative_to(PACKAGE).with_suffix("").parts[:-1]))
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    with_parents = {
        ".".join(name.split(".")[:end]) for name in found for end in range(1, name.count(".") + 2)
    }
    return {name for name in with_parents if name == "rolelint" or name.startswith("rolelint.")}


def _module_path(name: str) -> Path | None:
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def test_the_code_digest_covers_every_module_the_cached_code_imports() -> None:
    """Whatever a parser (or a module caching its results) imports, directly or not, can
    change what the cache keeps: each must be in the digest.  managed_policies.py was not,
    while CloudFormation permission sets and account exports put its documents in outcomes."""
    covered = {Path(path) for path in parse_cache.digested_files(str(PACKAGE))}
    roots = [*PACKAGE.glob("parsers/*.py"), PACKAGE / "data_files.py", PACKAGE / "iam_actions.py"]
    waiting, needed = list(roots), set()
    while waiting:
        path = waiting.pop()
        if path not in needed:
            needed.add(path)
            waiting += [p for n in _rolelint_imports(path) if (p := _module_path(n)) is not None]
    assert PACKAGE / "managed_policies.py" in needed
    assert sorted(needed - covered) == []
    assert PACKAGE / "data" / "aws_managed_policies.yaml" in covered


def test_every_module_that_caches_its_results_is_digested() -> None:
    """A module handing its own computation to the cache (``cached(kind, ...)``) is a root of
    the digest; parse_jobs only hands it the parsers'."""
    covered = {Path(path) for path in parse_cache.digested_files(str(PACKAGE))}
    caching = {
        path
        for path in PACKAGE.rglob("*.py")
        if "cached(" in path.read_text(encoding="utf-8") and path.name != "parse_cache.py"
    }
    assert caching - covered == {PACKAGE / "parse_jobs.py"}


def test_the_data_of_managed_policies_changes_the_digest(tmp_path: Path) -> None:
    """An outcome cached before the AWS managed policies changed was used after: the
    documents a permission set or an export names were the old ones."""
    import shutil

    copy = tmp_path / "rolelint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert parse_cache.digest_of(str(copy)) == parse_cache.code_digest()
    data = copy / "data" / "aws_managed_policies.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed = parse_cache.digest_of(str(copy))
    assert changed != parse_cache.code_digest()
    module = copy / "managed_policies.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert parse_cache.digest_of(str(copy)) != changed
    # A check's code is not what the cache keeps: changing it keeps every entry.
    check = copy / "checks" / "trust.py"
    before = parse_cache.digest_of(str(copy))
    check.write_text(check.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert parse_cache.digest_of(str(copy)) == before


def test_the_file_size_limit_from_the_command_line_and_the_configuration(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text('AWSTemplateFormatVersion: "2010-09-09"\n' + "# padding\n" * 20_000)
    (tmp_path / "t.tf").write_text(MODULE.format(index=1) + "# padding\n" * 20_000)
    result = run_rolelint("check", ".", "-f", "json", "--max-file-size", "0.125", cwd=tmp_path)
    errors = {e["file"]: e["message"] for e in json.loads(result.stdout)["errors"]}
    assert result.returncode == 2
    assert (
        errors["big.yaml"] == f"file is 195.4 KiB, over the 128 KiB limit: not read {RAISE_LIMIT}"
    )
    assert "t.tf" in errors  # Terraform files are read through the same limit
    (tmp_path / ".rolelint.yaml").write_text("max-file-size: 0.125\n")
    assert run_rolelint("check", ".", cwd=tmp_path).returncode == 2
    assert run_rolelint("check", ".", "--max-file-size", "5", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("value", "in_yaml"), [("inf", ".inf"), ("nan", ".nan"), ("1e308", "1.0e+308")]
)
def test_a_file_size_limit_that_is_no_finite_number_is_a_usage_error(
    tmp_path: Path, value: str, in_yaml: str
) -> None:
    # The options' and the schema's numbers admit them; turned into bytes they crashed the run
    # ("internal error: OverflowError").
    (tmp_path / "a.yaml").write_text("x: 1\n")
    result = run_rolelint("check", "a.yaml", "--max-file-size", value, cwd=tmp_path)
    assert result.returncode == 2 and "internal error" not in result.stderr
    assert "Invalid value for '--max-file-size'" in result.stderr
    assert "is not a finite number of MiB" in result.stderr
    (tmp_path / ".rolelint.yaml").write_text(f"fail-on: high\nmax-file-size: {in_yaml}\n")
    result = run_rolelint("check", "a.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "internal error" not in result.stderr
    assert "error: invalid configuration .rolelint.yaml:2: max-file-size: " in result.stderr


@pytest.mark.parametrize(("value", "in_yaml"), [("1e-300", "1.0e-300"), ("9e-07", "9.0e-07")])
def test_a_file_size_limit_under_one_byte_is_an_error(
    tmp_path: Path, value: str, in_yaml: str
) -> None:
    """It became a limit of 0 bytes: every file "over the 0 bytes limit", from the option and
    from the configuration alike."""
    (tmp_path / "a.yaml").write_text("x: 1\n")
    result = run_rolelint("check", "a.yaml", "--max-file-size", value, cwd=tmp_path)
    assert result.returncode == 2 and "bytes limit" not in result.stdout
    assert f"'--max-file-size': {value} MiB is less than one byte" in result.stderr
    (tmp_path / "pyproject.toml").write_text(f"[tool.rolelint]\nmax-file-size = {value}\n")
    result = run_rolelint("check", "a.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "bytes limit" not in result.stdout
    assert f"pyproject.toml:2: max-file-size: {value} MiB is less than one byte" in result.stderr
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".rolelint.yaml").write_text(f"fail-on: high\nmax-file-size: {in_yaml}\n")
    result = run_rolelint("check", "a.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert f".rolelint.yaml:2: max-file-size: {value} MiB is less than one byte" in result.stderr


def test_a_file_size_limit_of_a_fraction_of_bytes_is_whole_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n")  # 5 bytes
    limit = repr(4.5 / 1024 / 1024)  # four and a half bytes: four
    result = run_rolelint("check", "a.yaml", "--max-file-size", limit, cwd=tmp_path)
    assert result.returncode == 2
    assert "a.yaml: error: file is 5 bytes, over the 4 bytes limit: not read" in result.stdout
    limit = repr(5 / 1024 / 1024)
    result = run_rolelint("check", "a.yaml", "--max-file-size", limit, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_models_unpickle_equal_through_their_constructor(project: Path) -> None:
    """The cache's pickles rebuild each model object by calling its class with its fields
    (rolelint.source.Picklable): the same objects, much faster than dataclass state."""
    import pickle

    from rolelint.api import read_inventory
    from rolelint.model import Role
    from rolelint.source import Picklable, Span

    inventory, _ = read_inventory([str(project)], cache=None)
    roles = list(inventory.roles)
    assert roles
    assert pickle.loads(pickle.dumps(roles)) == roles
    assert Role.__reduce__ is Picklable.__reduce__  # every model class shares the fast path
    span = pickle.loads(pickle.dumps(Span(3, 5, 3, 9)))  # a named tuple: pickled as one
    assert type(span) is Span and span == Span(3, 5, 3, 9) and span.end_column == 9
    # Terraform syntax trees, which the cache holds too.
    from rolelint.parsers import hcl_ast
    from rolelint.parsers.hcl_adapter import parse_hcl

    body = parse_hcl(MODULE.format(index=7) + 'locals {\n  x = [for s in var.l : "${s}-a"]\n}\n')
    assert pickle.loads(pickle.dumps(body)) == body
    assert body.blocks[1].body.attributes["x"].value == pickle.loads(
        pickle.dumps(body.blocks[1].body.attributes["x"].value)
    )
    for node in (hcl_ast.Body, hcl_ast.Block, hcl_ast.Attribute, hcl_ast.Expr, hcl_ast.GetAttr):
        assert node.__reduce__ is Picklable.__reduce__


SHARED_MODULE = """\
resource "aws_iam_role" "shared" {
  name = "shared"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" }]
  })
}
"""
CALLER = 'module "shared" {\n  source = "../../a-modules/shared"\n}\n'


def _shared_module_and_callers(root: Path, callers: int) -> None:
    module = root / "terraform" / "a-modules" / "shared"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(SHARED_MODULE)
    for index in range(callers):
        caller = root / "terraform" / "b-callers" / f"c{index:03d}"
        caller.mkdir(parents=True)
        (caller / "main.tf").write_text(CALLER)


# Few folders: files parsed on every core, folders put together in one process.  Many: folders
# shared out whole between the processes.
@pytest.mark.parametrize("callers", [MIN_PARALLEL_TASKS + 4, MIN_PARALLEL_MODULES + 4])
def test_a_module_scanned_and_called_is_one_file_whatever_the_jobs(
    tmp_path: Path, callers: int
) -> None:
    """'rolelint check .': the module folder is scanned as "./terraform/a-modules/shared" in
    one job and reached through "../../a-modules/shared" from callers in another.  Both must
    name its file the same way, or its findings are reported twice with two jobs."""
    root = tmp_path / "project"
    _shared_module_and_callers(root, callers)
    outputs = []
    for jobs in ("1", "2"):
        result = run_rolelint("check", ".", "-f", "json", "--no-cache", "--jobs", jobs, cwd=root)
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    findings = json.loads(outputs[0])["findings"]
    assert {f["file"] for f in findings} == {"terraform/a-modules/shared/main.tf"}
    assert [f["rule_id"] for f in findings].count("RL101") == 1


def test_few_folders_parse_each_terraform_file_once_with_two_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty folders calling one module: every file is parsed once, by whichever process,
    and the folders are put together from those results (the module is not parsed again by
    each process whose folders call it)."""
    from rolelint.parsers import tf_module

    root = tmp_path / "project"
    _shared_module_and_callers(root, MIN_PARALLEL_TASKS + 4)
    log = tmp_path / "parsed.log"
    real = tf_module._parse_terraform_text

    def logged(path: str, text: str) -> Any:
        with log.open("a") as stream:  # appended to by the forked workers too
            stream.write(f"{os.getpid()} {path}\n")
        return real(path, text)

    monkeypatch.setattr(tf_module, "_parse_terraform_text", logged)
    one = lint_paths([str(root)], jobs=1)
    parsed_by_one = log.read_text().splitlines()
    log.unlink()
    two = lint_paths([str(root)], jobs=2)
    parsed_by_two = log.read_text().splitlines()
    assert two.findings == one.findings
    paths = sorted(line.split(" ", 1)[1] for line in parsed_by_two)
    assert paths == sorted(line.split(" ", 1)[1] for line in parsed_by_one)
    assert len(paths) == len(set(paths)) == MIN_PARALLEL_TASKS + 5
    assert len({line.split(" ", 1)[0] for line in parsed_by_two}) == 2  # both processes parsed


def test_the_files_the_configuration_excludes_are_not_parsed_ahead_with_two_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --jobs 2 the Terraform files of a few folders are parsed ahead of their modules,
    and the files ``exclude`` leaves out of a module were parsed too, then thrown away (the
    module is read without them): 399 excluded files of one module made --jobs 2 take 5.6 s
    where --jobs 1 took 0.6 s.  They are not parsed at all now, and nothing else changes."""
    from rolelint.config import load_config
    from rolelint.parsers import tf_module

    root = tmp_path / "project"
    (root / "mod").mkdir(parents=True)
    (root / "mod" / "main.tf").write_text(MODULE.format(index=0))
    for index in range(1, 4):
        (root / "mod" / f"gen_{index}.tf").write_text(MODULE.format(index=index))
    (root / ".rolelint.yaml").write_text('exclude:\n  - "mod/gen_*.tf"\n')
    config = load_config(str(root / ".rolelint.yaml"))
    log = tmp_path / "parsed.log"
    real = tf_module._parse_terraform_text

    def logged(path: str, text: str) -> Any:
        with log.open("a") as stream:  # appended to by the forked workers too
            stream.write(f"{path}\n")
        return real(path, text)

    monkeypatch.setattr(tf_module, "_parse_terraform_text", logged)
    monkeypatch.chdir(root)
    reports = []
    for jobs in (1, 2):
        reports.append(lint_paths(["."], config=config, jobs=jobs))
        assert [Path(path).name for path in log.read_text().splitlines()] == ["main.tf"], jobs
        log.unlink()
    assert reports[0].findings == reports[1].findings != []


def test_files_parsed_ahead_are_those_the_cache_lacks(tmp_path: Path) -> None:
    folders = []
    for name, text in (("cached", MODULE.format(index=1)), ("new", MODULE.format(index=2))):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "main.tf").write_text(text)
        folders.append(str(folder))
    (tmp_path / "new" / "broken.tf").write_text('resource "x" {\n')
    cache = ParseCache(tmp_path / "cache")
    with parse_cache.using(cache):
        parse_jobs.parse_modules([folders[0]])  # now cached
        ahead = parse_jobs.parse_terraform_files(folders, 2, cache.directory)
    assert [name for _, name, _ in ahead] == [os.path.join(folders[1], "main.tf")]
    assert all(kind == "terraform-body" for kind, _, _ in ahead)


def test_remembered_results_answer_before_the_cache_and_only_inside() -> None:
    computed: list[str] = []

    def compute() -> str:
        computed.append("x")
        return "parsed"

    with parse_cache.remembering({("kind", "a.tf", "text"): "parsed ahead"}):
        assert parse_cache.cached("kind", "a.tf", "text", compute) == "parsed ahead"
        assert parse_cache.cached("kind", "a.tf", "other text", compute) == "parsed"
    assert parse_cache.cached("kind", "a.tf", "text", compute) == "parsed"
    assert computed == ["x", "x"]


def test_kept_results_are_remembered_over_what_an_enclosing_body_remembers() -> None:
    """What one step parses (:func:`parse_cache.keeping`, of the kinds it keeps) answers the
    step that reads it next (:func:`parse_cache.remembering`), inside the body only, before
    the results an enclosing body remembers (workers' parses ahead) and the cache: through
    ``cached``, ``stored`` and ``held``."""
    kept: dict[parse_cache.Entry, object] = {}
    with parse_cache.keeping(kept, ["kind"]):
        assert parse_cache.cached("kind", "a.tf", "text", lambda: "parsed") == "parsed"
        assert parse_cache.cached("other", "a.tf", "text", lambda: "other") == "other"
    assert kept == {("kind", "a.tf", "text"): "parsed"}
    assert not parse_cache.held("kind", "a.tf", "text")
    with parse_cache.remembering(kept):
        with parse_cache.remembering({("kind", "b.tf", "text"): "ahead"}):
            assert parse_cache.cached("kind", "a.tf", "text", lambda: "again") == "parsed"
            assert parse_cache.cached("kind", "b.tf", "text", lambda: "again") == "ahead"
            assert parse_cache.stored("kind", "a.tf", "text") == "parsed"
            assert parse_cache.held("kind", "a.tf", "text")
        assert parse_cache.stored("kind", "b.tf", "text") is None
    assert parse_cache.cached("kind", "a.tf", "text", lambda: "again") == "again"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_without_terraform_imports_no_terraform_parser(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "role.yaml").write_text(TEMPLATE.format(index=1, account="444455556666"))
    code = (
        "import sys\n"
        "from rolelint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(tmp_path)!r}, '--no-cache', '--jobs', {jobs!r}])\n"
        "except SystemExit:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('rolelint.parsers.')\n"
        "                 and any(part in m for part in ('tf_', 'hcl', 'terraform'))))\n"
    )
    result = run_python(code)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_of_terraform_alone_imports_no_cloudformation_parser(
    tmp_path: Path, jobs: str
) -> None:
    """What a pre-commit hook on one edited ``.tf`` file pays for: the CloudFormation resolver
    (intrinsics, conditions, parameters, Fn::ForEach) is not imported."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n'
        '  name = "r"\n'
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{\n'
        '    Effect = "Allow", Action = "sts:AssumeRole",\n'
        '    Principal = {AWS = "arn:aws:iam::444455556666:root"}}]})\n'
        "}\n"
    )
    code = (
        "import sys\n"
        "from rolelint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(tmp_path)!r}, '--no-cache', '--jobs', {jobs!r}])\n"
        "except SystemExit:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('rolelint.parsers.')\n"
        "                 and any(part in m for part in ('cfn_', 'cloudformation', 'sam'))\n"
        "                 and not m.endswith('cfn_dynamic_references')))\n"
    )
    result = run_python(code)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_a_run_of_a_policy_file_alone_imports_no_cloudformation_resolver(tmp_path: Path) -> None:
    """Recognising a JSON document (is it a template? a policy?) needs no CloudFormation
    resolver: Fn::ForEach's prefix is the format detector's own."""
    (tmp_path / "policy.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "s3:GetObject", "Resource": "*"}]}'
    )
    code = (
        "import sys\n"
        "from rolelint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(tmp_path)!r}, '--no-cache', '--jobs', '1'])\n"
        "except SystemExit:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('rolelint.parsers.cfn_')\n"
        "                 and not m.endswith('cfn_dynamic_references')))\n"
    )
    result = run_python(code)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_another_version_of_a_parsing_library_changes_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrading python-hcl2, lark or PyYAML alone can change what a file parses to: entries
    cached with the old one were used with the new one, rolelint's code being the same."""
    library = tmp_path / "site" / "parsinglib"
    library.mkdir(parents=True)
    init = library / "__init__.py"
    init.write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(parse_cache, "_PARSING_LIBRARIES", ("parsinglib", "no_such_library"))
    before = parse_cache.digest_of(str(PACKAGE))
    assert parse_cache.digest_of(str(PACKAGE)) == before  # stable while nothing changes
    init.write_text("VERSION = 22\n", encoding="utf-8")  # another version installed
    assert parse_cache.digest_of(str(PACKAGE)) != before
    assert "parsinglib" not in sys.modules  # found and stated, never imported


TRUST_ANYONE = """\
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


@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="no /dev/stdin")
@pytest.mark.parametrize("cached", [True, False])
def test_a_pipe_named_as_a_file_is_read_once_with_or_without_the_cache(
    tmp_path: Path, cached: bool
) -> None:
    """With the cache on, the pipe was read for its digest, then again to be parsed: the
    second read was empty, and the run reported nothing and exited 0."""
    options = [] if cached else ["--no-cache"]
    result = run_rolelint(
        "check",
        "/dev/stdin",
        "-f",
        "json",
        *options,
        stdin=TRUST_ANYONE,
        env={"ROLELINT_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = [(f["rule_id"], f["file"], f["line"]) for f in report["findings"]]
    assert found == [("RL101", "/dev/stdin", 6)]


class _RunsCode:
    """A pickle that, loaded, calls a function: what a forged entry would hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def _forge(cache_dir: Path, key: bytes, name: str, text: str, value: Any) -> None:
    """Put an entry for ``name`` signed with ``key``, as someone holding it could."""
    import hashlib
    import hmac
    import pickle

    forger = ParseCache(cache_dir)
    entry = forger._path("source", name, text)
    entry.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(value)
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    entry.write_bytes(b"RLCACHE1" + signature + payload)


def _shared_cache(tmp_path: Path, key: bytes, mode: int) -> Path:
    cache_dir = tmp_path / "shared"
    cache_dir.mkdir()
    (cache_dir / "key").write_bytes(key)
    os.chmod(cache_dir / "key", mode)
    return cache_dir


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no user ids here")
@pytest.mark.parametrize("case", ["owned by another user", "readable by others"])
def test_a_key_someone_else_wrote_or_can_read_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A shared ROLELINT_CACHE_DIR: whoever wrote (or can read) the key signs a pickle that
    runs code when it is loaded.  Someone else's key turns the cache off and stays; a key of
    yours that others can read is replaced by a new one, and what it signed is a miss."""
    policy = tmp_path / "trust.json"
    policy.write_text(TRUST_ANYONE)
    key = b"K" * 32
    cache_dir = _shared_cache(tmp_path, key, 0o644 if case == "readable by others" else 0o600)
    if case == "owned by another user":
        # Another user: the key's owner is not the user id this run has.
        monkeypatch.setattr(os, "getuid", lambda: os.stat(cache_dir / "key").st_uid + 1)
    marker = tmp_path / "code-ran"
    _forge(cache_dir, key, str(policy), TRUST_ANYONE, _RunsCode(marker))
    cache = ParseCache(cache_dir)
    report = lint_paths([str(policy)], cache=cache)
    assert not marker.exists()
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL101", 6)]
    assert cache.hits == 0
    if case == "owned by another user":
        assert (cache_dir / "key").read_bytes() == key  # theirs: not taken over
        assert cache._signing_key() is None
    else:
        assert (cache_dir / "key").read_bytes() != key
        assert (cache_dir / "key").stat().st_mode & 0o077 == 0


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_a_key_file_of_another_owner_turns_the_cache_off(tmp_path: Path) -> None:
    cache_dir = _shared_cache(tmp_path, b"K" * 32, 0o600)
    os.chown(cache_dir / "key", 65534, 65534)
    assert ParseCache(cache_dir)._signing_key() is None
    assert (cache_dir / "key").read_bytes() == b"K" * 32


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no user ids here")
def test_a_cache_folder_anyone_can_write_is_not_used(tmp_path: Path) -> None:
    cache_dir = tmp_path / "open"
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    policy = tmp_path / "trust.json"
    policy.write_text(TRUST_ANYONE)
    cache = ParseCache(cache_dir)
    report = lint_paths([str(policy)], cache=cache)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL101", 6)]
    assert os.listdir(cache_dir) == []  # no key, no entry
    os.chmod(cache_dir, 0o755)
    assert ParseCache(cache_dir)._signing_key() is not None


def test_without_user_ids_the_key_mode_is_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no user ids, and its file modes say nothing of who may read a file."""
    cache_dir = _shared_cache(tmp_path, b"K" * 32, 0o644)
    monkeypatch.delattr(os, "getuid", raising=False)
    assert ParseCache(cache_dir)._signing_key() == b"K" * 32


def test_a_signed_entry_of_another_type_is_a_miss(tmp_path: Path) -> None:
    """Signed with the right key but not a parse outcome: the run crashed ('internal error:
    AttributeError'); it is now parsed again, as any unusable entry is."""
    policy = tmp_path / "trust.json"
    policy.write_text(TRUST_ANYONE)
    cache_dir = tmp_path / "cache"
    key = ParseCache(cache_dir)._signing_key()
    assert key is not None
    _forge(cache_dir, key, str(policy), TRUST_ANYONE, {"not": "an outcome"})
    cache = ParseCache(cache_dir)
    report = lint_paths([str(policy)], cache=cache)
    assert not report.errors
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL101", 6)]
    assert (cache.hits, cache.misses) == (0, 1)


def test_jobs_are_at_most_a_few_per_core(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-j 1000`` forked 430 workers on 2 cores and took 14 times as long as one job."""
    from rolelint import workers

    monkeypatch.setattr(parse_jobs, "available_cores", lambda: 2)
    assert [parse_jobs.usable_jobs(jobs) for jobs in (1, 2, 8, 9, 1000)] == [1, 2, 8, 8, 8]
    asked: list[int] = []
    real_share_out = workers.share_out

    def recording(function: Any, tasks: Any, jobs: int, *args: Any) -> Any:
        asked.append(jobs)
        return real_share_out(function, tasks, jobs, *args)

    monkeypatch.setattr(workers, "share_out", recording)
    many = lint_paths([str(project)], jobs=1000)
    assert asked and max(asked) == 2 * parse_jobs.JOBS_PER_CORE
    one = lint_paths([str(project)], jobs=1)
    assert (many.findings, many.errors) == (one.findings, one.errors)
    shown = " ".join(run_rolelint("check", "--help").stdout.split())
    assert f"at most {parse_jobs.JOBS_PER_CORE} per available core are started" in shown


def test_an_entry_interrupted_while_written_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while an entry was renamed into place left its ``.tmp-`` file in the cache folder
    for good: only an OSError removed it, and nothing reads or sweeps such a file."""
    cache_dir = tmp_path / "cache"
    key = ParseCache(cache_dir)._signing_key()
    assert key is not None

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    staging = parse_cache.staging_folder(cache_dir)
    with pytest.raises(KeyboardInterrupt):
        parse_cache.write_signed(cache_dir / "entry", key, b"payload", staging)
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".tmp-")] == []
    assert list(staging.iterdir()) == []


def test_writing_an_entry_sweeps_stale_temporary_files_of_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed (SIGTERM, SIGKILL) while writing an entry left its ``.tmp-`` file in the
    cache folder for ever, and the folder grew.  Writing an entry removes the old ones; a fresh
    one may be another run's write in progress, and stays.  Entries are written aside in one
    staging folder of the cache and renamed into their shard: that folder alone is swept, once
    per process (each of the 256 shard folders written to was listed, a cold run's whole
    cache)."""
    cache = ParseCache(tmp_path / "cache")
    staging = parse_cache.staging_folder(cache.directory)
    assert staging.parent == cache.directory  # one file system: the rename is atomic
    staging.mkdir(parents=True)
    stale, fresh = staging / ".tmp-stale", staging / ".tmp-fresh"
    stale.write_bytes(b"half an entry")
    fresh.write_bytes(b"half an entry")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    entry = cache._path("yaml", "a.yaml", "a: 1")
    shard = entry.parent  # a shard folder's file is none of the sweep's
    shard.mkdir()
    (shard / ".tmp-stale").write_bytes(b"")
    os.utime(shard / ".tmp-stale", (hours_ago, hours_ago))
    listed: list[str] = []
    scandir = os.scandir

    def recording(path: Any) -> Any:
        listed.append(os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(parse_cache, "_swept", set())
    monkeypatch.setattr(os, "scandir", recording)
    assert cache.get("yaml", "a.yaml", "a: 1") is None
    assert stale.exists()  # reading sweeps nothing: a one-file check stays fast
    cache.put("yaml", "a.yaml", "a: 1", {"a": 1})
    assert cache.get("yaml", "a.yaml", "a: 1") == {"a": 1}
    assert sorted(p.name for p in staging.iterdir()) == [".tmp-fresh"]
    assert sorted(p.name for p in shard.iterdir()) == [".tmp-stale", entry.name]
    for index in range(20):  # entries of other shards: no folder listed again
        cache.put("yaml", f"{index}.yaml", "a: 1", {"a": index})
    assert len({cache._path("yaml", f"{i}.yaml", "a: 1").parent for i in range(20)}) > 1
    assert listed == [str(staging)]


# A pnpm-lock.yaml of 1.2 MB, under the size limit: YAML, whose start tells nothing.
PNPM_LOCK = (
    "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\npackages:\n"
    + "".join(
        f"  pkg{n}@1.0.0:\n    resolution: {{integrity: sha512-{'x' * 88}}}\n"
        for n in range(10_000)
    )
)


def _parsed_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parse_source is asked to parse from now on."""
    parsed: list[str] = []
    real = parsers.parse_source

    def parse_source(name: str, text: str) -> parsers.ParseOutcome:
        parsed.append(os.path.basename(name))
        return real(name, text)

    monkeypatch.setattr(parsers, "parse_source", parse_source)
    monkeypatch.setattr(api, "parse_source", parse_source)
    return parsed


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_a_lock_file_under_the_size_limit_is_skipped_by_its_name_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """A pnpm-lock.yaml over the size limit is skipped as not IaC by its name, unread; under it,
    it was parsed whole (seconds for a few MiB of YAML with positions) only to be skipped the
    same way.  Named or walked, it is skipped by its name before it is parsed, with the same
    report as the same text under a name that says nothing, which is parsed to tell."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pnpm-lock.yaml").write_text(PNPM_LOCK)
    (project / "deps.yaml").write_text(PNPM_LOCK)
    cache = ParseCache(tmp_path / "cache") if cached else None
    parsed = _parsed_names(monkeypatch)
    monkeypatch.chdir(project)
    walked = lint_paths(["."], cache=cache)
    assert parsed == ["deps.yaml"]
    named = lint_paths(["pnpm-lock.yaml"], cache=cache)
    assert parsed == ["deps.yaml"]
    assert (walked.errors, walked.skipped_by_reason) == ([], {SKIP_NOT_IAC: 2})
    other = lint_paths(["deps.yaml"], cache=cache)
    assert (named.errors, named.files_skipped, named.skipped_by_reason) == (
        other.errors,
        other.files_skipped,
        other.skipped_by_reason,
    )
    assert named.skipped_by_reason == {SKIP_NOT_IAC: 1}


def test_a_lock_file_on_standard_input_is_skipped_by_its_name_unparsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Piped in with ``--stdin-filename pnpm-lock.yaml``, as an editor integration does, it is
    judged by the name it is given, as the file on disk is."""
    parsed = _parsed_names(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PNPM_LOCK.encode())))
    report = lint_paths(["-"], stdin_name="pnpm-lock.yaml")
    assert parsed == []
    assert (report.errors, report.skipped_by_reason) == ([], {SKIP_NOT_IAC: 1})
