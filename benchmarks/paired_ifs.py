"""What judging a statement branch by branch costs: statements whose Action and Resource the
same conditions choose (rolelint.parsers.paired_branches makes each one statement per way the
shared conditions hold, 8 at most).

Usage: python benchmarks/paired_ifs.py [--repeat N] [--against FOLDER] [--write FOLDER]

Two templates are generated (the same text on every run):

  modest.yaml  50 roles, each with one statement of 60 ``!If [Ci, s3:GetObject, s3:PutObject]``
               in Action and 60 ``!If [Ci, <bucket b>, <bucket c>]`` in Resource, on 3
               conditions: 8 statements each.
  indep.yaml   one role, one policy of 5 statements, each with 400 Ifs on 400 conditions in
               Action and as many in Resource: 3 conditions pair (8 statements each), the 397
               others keep both options, as written.

Printed per template: the median user CPU seconds of ``rolelint check FILE -j1 --no-cache``
over N runs of this checkout's rolelint, and with ``--against`` of the rolelint package in
FOLDER too (``git archive <commit> rolelint rules | tar -x -C FOLDER``), the two runs
interleaved, so that both meet the same load.  Both packages are compiled to bytecode first, as
an installed wheel is (see compare.compile_rolelint).  ``--write`` keeps the templates in FOLDER.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TRUST = """\
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


def _header(conditions: int) -> list[str]:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Parameters:"]
    lines += [f'  P{i}: {{Type: String, Default: "x"}}' for i in range(conditions)]
    lines.append("Conditions:")
    lines += [f'  C{i}: !Equals [!Ref P{i}, "y"]' for i in range(conditions)]
    lines.append("Resources:")
    return lines


def _statement(ifs: int, conditions: int) -> list[str]:
    """One Allow of ``ifs`` Ifs in Action and as many in Resource, the i-th of each on
    condition ``i % conditions``."""
    lines = ["              - Effect: Allow", "                Action:"]
    lines += [
        f'                  - !If [C{i % conditions}, "s3:GetObject", "s3:PutObject"]'
        for i in range(ifs)
    ]
    lines.append("                Resource:")
    lines += [
        f'                  - !If [C{i % conditions}, "arn:aws:s3:::b{i}/*", "arn:aws:s3:::c{i}/*"]'
        for i in range(ifs)
    ]
    return lines


def _role(name: str, statements: list[str]) -> list[str]:
    return [
        f"  {name}:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        *TRUST.splitlines(),
        "      Policies:",
        "        - PolicyName: p",
        "          PolicyDocument:",
        '            Version: "2012-10-17"',
        "            Statement:",
        *statements,
    ]


def modest() -> str:
    lines = _header(3)
    for role in range(50):
        lines += _role(f"R{role}", _statement(60, 3))
    return "\n".join(lines) + "\n"


def indep() -> str:
    lines = _header(400)
    lines += _role("R", [line for _ in range(5) for line in _statement(400, 400)])
    return "\n".join(lines) + "\n"


def user_seconds(path: Path, package: Path) -> float:
    """User CPU seconds of one check of ``path`` by the rolelint package in ``package``, run
    from outside any checkout."""
    env = {**os.environ, "PYTHONSAFEPATH": "1", "PYTHONPATH": str(package)}
    command = [sys.executable, "-m", "rolelint", "check", str(path), "-j1", "--no-cache"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(
        command, env=env, cwd=path.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--against", type=Path, help="a folder holding another rolelint package")
    parser.add_argument("--write", type=Path, help="keep the templates in this folder")
    args = parser.parse_args()
    packages = [("this", REPO)] + ([("against", args.against.resolve())] if args.against else [])
    for _, package in packages:
        compileall.compile_dir(package / "rolelint", quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.write or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        templates = {"modest.yaml": modest(), "indep.yaml": indep()}
        for name, text in templates.items():
            (folder / name).write_text(text, encoding="utf-8")
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for name in templates:
                for label, package in packages:
                    seconds = user_seconds(folder / name, package)
                    times.setdefault((name, label), []).append(seconds)
    print(f"{'template':<12} {'rolelint':<8} median user s")
    for name in templates:
        for label, _ in packages:
            print(f"{name:<12} {label:<8} {statistics.median(times[(name, label)]):10.3f}")


if __name__ == "__main__":
    main()
