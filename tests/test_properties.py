"""Truncated or broken YAML, JSON and HCL never cause a traceback, only clear errors.

Real files are cut, spliced and scrambled (:mod:`tests.fuzz.mutations`: truncation anywhere,
lines deleted, duplicated, swapped or re-indented, characters and bytes flipped, inserted or
deleted, syntax such as quotes, braces, ``!`` tags, ``${`` and heredocs inserted), and every
mutant must be read without an exception, with every error naming its file and a line inside
it.  The seeds are the committed fixtures, and the shared real-world corpus when it is beside
the checkout (CI has only the fixtures, so these tests run there too).

The default run is bounded and reproducible (``derandomize``: the same examples every run);
``ROLELINT_FUZZ_EXAMPLES=5000`` draws that many per test, new ones on every run, for a long
local run.  The coverage-guided fuzzer
for long runs is ``tests/fuzz/fuzz_parsers.py`` (docs/fuzzing.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolelint.api import lint_paths
from rolelint.parsers import is_terraform
from tests.conftest import CORPUS, FIXTURES
from tests.fuzz.mutations import (
    OPERATIONS,
    TOKENS,
    Mutation,
    Seed,
    check_messages,
    check_no_internal_error,
    mutate,
    parse_and_check,
    seeds_of,
)

# A long local run (ROLELINT_FUZZ_EXAMPLES set) draws new examples every time; the default run
# draws the same ones, so CI is reproducible.
LONG_RUN = "ROLELINT_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("ROLELINT_FUZZ_EXAMPLES", "200"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a Terraform module with file() reads takes its time; no flaky deadline
    derandomize=not LONG_RUN,
    database=None,  # nothing written into the checkout
    print_blob=True,  # a failure says how to replay it (@reproduce_failure)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def mutations(text: str) -> st.SearchStrategy[Mutation]:
    """One edit anywhere in ``text``: a token from the syntax list, or any short text."""
    return st.builds(
        Mutation,
        operation=st.sampled_from(OPERATIONS),
        position=st.integers(0, len(text)),
        size=st.integers(1, 40),
        token=st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)),
    )


@st.composite
def mutants(draw: st.DrawFn, pool: tuple[Seed, ...], renames: tuple[str, ...] = ()) -> Seed:
    """A seed with one to three mutations, sometimes read under another suffix (YAML as a
    ``.template``, JSON as YAML): the suffix decides the loader."""
    seed = draw(st.sampled_from(pool))
    text = seed.text
    for _ in range(draw(st.integers(1, 3))):
        text = mutate(text, draw(mutations(text)))
    path = seed.path
    if renames:
        suffix = draw(st.sampled_from(("", *renames)))
        path = path.rsplit(".", 1)[0] + suffix if suffix else path
    return Seed(path, text)


def _pool(kind: str) -> tuple[Seed, ...]:
    found = seeds_of(kind)
    assert found, f"no {kind} seed among the fixtures"
    return found


# Plan and state JSON (``terraform show -json``): the fixtures have them, the corpus has none.
PLANS = tuple(s for s in _pool("json") if '"format_version"' in s.text)


@BOUNDED
@given(mutants(_pool("yaml"), renames=(".template", ".json")))
def test_broken_yaml_never_raises(mutant: Seed) -> None:
    parse_and_check(mutant.path, mutant.text)


@BOUNDED
@given(mutants(_pool("json"), renames=(".template", ".yaml")))
def test_broken_json_never_raises(mutant: Seed) -> None:
    parse_and_check(mutant.path, mutant.text)


@BOUNDED
@given(mutants(PLANS))
def test_broken_terraform_plan_never_raises(mutant: Seed) -> None:
    parse_and_check(mutant.path, mutant.text)


@BOUNDED
@given(mutants(_pool("terraform")))
def test_broken_terraform_never_raises(mutant: Seed) -> None:
    parse_and_check(mutant.path, mutant.text)


@BOUNDED
@given(mutants(_pool("yaml") + _pool("json") + _pool("terraform")))
def test_lint_paths_on_a_broken_file_never_raises(mutant: Seed) -> None:
    """The whole run on a file on disk: discovery, reading, the Terraform folder, the rules."""
    name = Path(mutant.path).name
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(mutant.text)
        report = lint_paths([path])
    check_no_internal_error(report.errors + report.notices)
    check_messages(report.errors + report.notices, {path: mutant.text})


# Terraform folders read as modules: tfvars files (auto-loaded, overriding one another) and a
# local module called with inputs, which the single-file tests above never reach.
TERRAFORM_FOLDERS = (
    "parsers/terraform/variables",
    "parsers/terraform/local-module",
    "examples/terraform-github-deploy",
)


@st.composite
def broken_folders(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A Terraform folder of the fixtures, its files by relative path, one of them mutated
    one to three times."""
    root = FIXTURES / draw(st.sampled_from(TERRAFORM_FOLDERS))
    files = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    chosen = draw(st.sampled_from(sorted(name for name in files if is_terraform(name))))
    text = files[chosen]
    for _ in range(draw(st.integers(1, 3))):
        text = mutate(text, draw(mutations(text)))
    files[chosen] = text
    return root.name, files


@BOUNDED
@given(broken_folders())
def test_lint_paths_on_a_broken_terraform_folder_never_raises(
    folder: tuple[str, dict[str, str]],
) -> None:
    """The module loader on a folder: tfvars, variables, a local module called with inputs."""
    name, files = folder
    with tempfile.TemporaryDirectory() as temporary:
        root = os.path.join(temporary, name)
        texts = {}
        for relative, text in files.items():
            path = os.path.join(root, *relative.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            texts[path] = text
        report = lint_paths([root])
    check_no_internal_error(report.errors + report.notices)
    check_messages(report.errors + report.notices, texts)


# --- every truncation of a few small files --------------------------------------------------------

# Small on purpose (each is read once per character): a YAML template with ``!Sub``, a JSON
# policy, HCL with both heredoc forms and ``${}``, Terraform JSON.
SMALL_FIXTURES = (
    "rules/RL201/bad.yaml",
    "rules/RL101/bad.json",
    "parsers/terraform/heredoc/main.tf",
    "parsers/terraform/tf-json/main.tf.json",
)
SMALL_CORPUS_FILES = (
    "aws-cloudformation-templates/Solutions/VPCPeering/templates/VPCPeering-Accepter-Role.cfn.yaml",
    "aws-cloudformation-templates/CloudFormation/MacrosExamples/ExecutionRoleBuilder/example.json",
    "terraform-aws-iam/wrappers/iam-policy/main.tf",  # a module call: the module is read too
)


def _every_truncation(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for end in range(len(text) + 1):
        parse_and_check(str(path), text[:end])


@pytest.mark.parametrize("name", SMALL_FIXTURES)
def test_every_truncation_of_a_fixture_is_read_cleanly(name: str) -> None:
    _every_truncation(FIXTURES / name)


@pytest.mark.parametrize("name", SMALL_CORPUS_FILES)
def test_every_truncation_of_a_real_file_is_read_cleanly(corpus: Path, name: str) -> None:
    path = corpus / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this copy of the corpus")
    _every_truncation(path)


def test_fixtures_alone_give_seeds_of_every_kind() -> None:
    """Without the corpus the fixtures still give seeds of every kind (what CI runs on)."""
    for kind in ("yaml", "json", "terraform"):
        fixtures_only = seeds_of(kind, corpus=False)
        assert fixtures_only
        assert all(str(FIXTURES) in seed.path for seed in fixtures_only)
    if CORPUS.is_dir():
        assert len(seeds_of("yaml")) > len(seeds_of("yaml", corpus=False))


# --- regressions found by these tests and the fuzzer ----------------------------------------------
# (the HCL escape, NUL path and end-of-file position ones are in the parsers' own test files)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("policy.json", '{"Statement":[{"Resource":"\\ud80e"}]}'),
        (
            "main.tf",
            'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n'
            '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "\\ud800"}]}\n'
            "EOF\n}\n",
        ),
    ],
)
def test_a_lone_surrogate_escape_in_json_is_not_a_crash(path: str, text: str) -> None:
    """JSON keeps a lone surrogate escape as a lone surrogate; the rules' fingerprint could not
    encode it (UnicodeEncodeError, the whole run lost), from a policy file or a heredoc."""
    parse_and_check(path, text)
