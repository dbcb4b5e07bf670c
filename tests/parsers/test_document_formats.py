"""One table of document formats: reading a file and judging a stream of several documents
must agree on what rolelint reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.parsers import _load, parse_source
from rolelint.parsers.document_formats import is_analyzed
from rolelint.parsers.tree import LoadError
from tests.conftest import REPO

_DOCUMENTS = sorted(
    path
    for path in (REPO / "fixtures").rglob("*")
    if path.suffix in {".json", ".yaml", ".yml", ".template"} and path.is_file()
)


def _loaded_root(path: Path) -> object:
    text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
    try:
        return _load(str(path), text).root
    except LoadError:
        return None


def test_every_fixture_document_is_judged_alike_by_the_reader_and_the_stream_check() -> None:
    """A document a stream check calls "read" must be one ``parse_source`` reads, and the
    other way round: had they disagreed, a stream of Kubernetes manifests would fail the hook,
    or a policy inside a stream would pass unseen."""
    judged = 0
    for path in _DOCUMENTS:
        root = _loaded_root(path)
        if root is None or path.name.endswith(".tfvars.json") or path.name.endswith(".tf.json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        outcome = parse_source(str(path), text)
        if outcome.format == "aws-config":
            continue
        assert is_analyzed(root) == (outcome.format is not None), path
        judged += 1
    assert judged > 100  # the fixtures hold templates, plans, exports and policies of each kind


@pytest.mark.parametrize(
    ("second", "analyzed"),
    [
        # A get-role answer after a manifest: the stream holds a role, so it is an error.
        (
            '{"Role": {"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",'
            ' "AssumeRolePolicyDocument": {"Statement": []}}}',
            True,
        ),
        # A stack policy is recognised only to be skipped: the stream is skipped too.
        (
            '{"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*",'
            ' "Resource": "*"}]}',
            False,
        ),
    ],
)
def test_a_stream_is_an_error_only_when_a_document_in_it_is_read(
    second: str, analyzed: bool
) -> None:
    outcome = parse_source("s.yaml", f"kind: ConfigMap\n---\n{second}\n")
    assert bool(outcome.errors) == analyzed
    assert outcome.format is None
