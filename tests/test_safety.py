"""Nothing is executed and nothing leaves the machine: the command runs with every socket call
refused, and template content that would run code in an unsafe loader stays inert text."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, run_rolelint

# Loaded by the interpreter of the command (PYTHONPATH): any attempt to open a connection or
# resolve a name is recorded and refused.
SITECUSTOMIZE = textwrap.dedent(
    """\
    import os, socket

    _LOG = os.environ["ROLELINT_NETWORK_LOG"]

    def _refuse(*args, **kwargs):
        with open(_LOG, "a") as log:
            log.write(repr(args)[:200] + "\\n")
        raise OSError("network access is blocked in this test")

    class _Socket(socket.socket):
        def connect(self, *args, **kwargs):
            _refuse(*args)

        def connect_ex(self, *args, **kwargs):
            _refuse(*args)

        def sendto(self, *args, **kwargs):
            _refuse(*args)

    socket.socket = _Socket
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
    """
)


@pytest.fixture
def blocked(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    return {"PYTHONPATH": str(site), "ROLELINT_NETWORK_LOG": str(log)}


def _attempts(env: dict[str, str]) -> str:
    log = Path(env["ROLELINT_NETWORK_LOG"])
    return log.read_text() if log.exists() else ""


def test_the_blocker_blocks(blocked: dict[str, str], tmp_path: Path) -> None:
    """The harness itself: a connection attempt is refused and recorded."""
    import subprocess

    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('example.com', 443))\n"
        "except OSError:\n    pass\n"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, **blocked}, check=True)
    assert "example.com" in _attempts(blocked)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "fixtures/examples", "-f", "sarif"),
        ("check", "fixtures/chains", "-f", "json", "--no-cache"),
        ("graph", "fixtures/graph", "-f", "dot"),
        ("rules", "--format", "json"),
        ("explain", "RL101"),
        ("--version",),
    ],
)
def test_no_command_touches_the_network(blocked: dict[str, str], args: tuple[str, ...]) -> None:
    result = run_rolelint(*args, cwd=REPO, env=blocked)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert _attempts(blocked) == ""


def test_the_real_world_corpus_without_network(blocked: dict[str, str], corpus: Path) -> None:
    result = run_rolelint("check", str(corpus), "-f", "json", "--no-cache", env=blocked)
    assert result.returncode == 1 and json.loads(result.stdout)["errors"] == []
    assert _attempts(blocked) == ""


def test_yaml_tags_that_would_run_code_stay_text(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    template = tmp_path / "t.yaml"
    template.write_text(
        textwrap.dedent(
            f"""\
            AWSTemplateFormatVersion: "2010-09-09"
            Description: !!python/object/apply:os.system ["touch {marker}"]
            Metadata: !!python/object/new:os.system ["touch {marker}"]
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: !!python/name:os.system
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: "*"
                        Action: sts:AssumeRole
            """
        )
    )
    result = run_rolelint("check", str(template), "-f", "json", cwd=tmp_path)
    assert not marker.exists()
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    # Either analyzed (the tags read as unknown values) or one clear error: never run.
    assert report["errors"] or any(f["rule_id"] == "RL101" for f in report["findings"])


def test_terraform_functions_are_not_executed(tmp_path: Path) -> None:
    """templatefile(), file() and friends are evaluated by rolelint's own code: a path that
    would run a program is just a path that is not found."""
    marker = tmp_path / "executed"
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            f"""\
            data "external" "x" {{
              program = ["sh", "-c", "touch {marker}"]
            }}
            resource "aws_iam_role" "r" {{
              name               = "r"
              assume_role_policy = file("$(touch {marker})")
            }}
            """
        )
    )
    result = run_rolelint("check", str(tmp_path), "-f", "json", cwd=tmp_path)
    assert not marker.exists()
    assert "Traceback" not in result.stderr
