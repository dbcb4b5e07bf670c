"""Times rolelint the way users feel it: start-up, a one-file check, and the real-world corpus.

Run from the repository root with the development virtualenv:
    .venv/bin/python benchmarks/run.py [--repeat N]
It prints a table of median wall times; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from compare import (  # same folder: run as a script
    CFN_SUFFIXES,
    CORPUS,
    compile_rolelint,
    input_megabytes,
)
from parse_floor import parse_floor

REPO = Path(__file__).resolve().parents[1]


def wall_time(
    command: list[str], repeat: int, before_each: Callable[[int], None] | None = None
) -> float:
    """Median wall time of ``command`` over ``repeat`` runs (output discarded); ``before_each``
    (given the run's number) is called before each run, outside the timing."""
    times = []
    for run in range(repeat):
        if before_each is not None:
            before_each(run)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compile_rolelint()
    rolelint = [sys.executable, "-m", "rolelint"]
    one_file = str(REPO / "fixtures" / "examples" / "app-server.yaml")
    one_module = str(REPO / "fixtures" / "parsers" / "terraform" / "policy-document" / "main.tf")
    rows = [
        ("rolelint --version", wall_time([*rolelint, "--version"], args.repeat)),
        ("check one template", wall_time([*rolelint, "check", one_file], args.repeat)),
        ("check one Terraform file", wall_time([*rolelint, "check", one_module], args.repeat)),
    ]
    # What a pre-commit hook meets: the file was just changed, so the parse cache misses it.
    with tempfile.TemporaryDirectory() as folder:
        for name, original in (("template", one_file), ("Terraform file", one_module)):
            edited = Path(folder) / Path(original).name
            shutil.copyfile(original, edited)

            def edit(run: int, edited: Path = edited) -> None:
                with edited.open("a", encoding="utf-8") as handle:
                    handle.write(f"# edit {run}\n")

            seconds = wall_time([*rolelint, "check", str(edited)], args.repeat, edit)
            rows.append((f"check one {name}, just edited", seconds))
    cfn = CORPUS / "aws-cloudformation-templates"
    if cfn.is_dir():
        rows.append(
            (
                "check CloudFormation corpus",
                wall_time(
                    [*rolelint, "check", str(cfn), "--format", "json"], max(1, args.repeat // 2)
                ),
            )
        )
        megabytes = input_megabytes(cfn, CFN_SUFFIXES)
        rows.append((f"parse floor ({megabytes:.1f} MB, load only)", parse_floor(cfn)))
    terraform = CORPUS / "terraform-aws-iam"
    if terraform.is_dir():
        rows.append(
            (
                "check Terraform corpus",
                wall_time(
                    [*rolelint, "check", str(terraform), "--format", "json"],
                    max(1, args.repeat // 2),
                ),
            )
        )
    if CORPUS.is_dir():
        rows.append(
            (
                "check whole corpus",
                wall_time(
                    [*rolelint, "check", str(CORPUS), "--format", "json"], max(1, args.repeat // 2)
                ),
            )
        )
    width = max(len(name) for name, _ in rows)
    print(f"{'measurement':<{width}}  median wall s")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:10.3f}")


if __name__ == "__main__":
    main()
