"""Real-world input: the shared corpus is read end to end with no crash and no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_rolelint


def test_cloudformation_corpus_runs_clean_of_tracebacks(corpus: Path) -> None:
    result = run_rolelint("check", str(corpus / "aws-cloudformation-templates"), "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    report = json.loads(result.stdout)
    summary = report["summary"]
    # About 300 files of which 115 hold IAM roles (see the corpus README).
    assert summary["files_analyzed"] >= 250
    assert summary["roles"] >= 115
    for error in report["errors"]:
        assert error["file"] and error["message"]


def test_whole_corpus_including_terraform_has_no_traceback(corpus: Path) -> None:
    result = run_rolelint("check", str(corpus), "--format", "json")
    assert "Traceback" not in result.stderr
    json.loads(result.stdout)
