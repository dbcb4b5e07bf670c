"""rolelint against the parse floor, against itself (cache, jobs) and, when installed, against
Checkov and cfn-lint, on the shared real-world corpora and on generated large inputs.

Usage (from the repository root, with the development virtualenv):

    .venv/bin/python benchmarks/compare.py [--repeat N] [--large-repeat N] [--skip-large]
        [--timeout SECONDS] [--checkov PATH] [--cfn-lint PATH]

Checkov and cfn-lint are looked up on PATH unless given; a tool that is missing is left out of
the table (install them in a separate virtualenv to compare: they are not rolelint's
dependencies).  Inputs:

- ``../shared/corpus/aws-cloudformation-templates`` and ``../shared/corpus/terraform-aws-iam``;
- 10,000 generated CloudFormation templates (three roles each) and 100,000 generated roles
  (1,000 templates of 100 roles), written once into a temporary folder.

For each input and tool: the median wall time over ``--repeat`` runs, throughput (MB of input
per second), the peak resident memory of the run (the kernel's accounting of the process
started: with several jobs, the largest of rolelint's processes), and the time relative to
rolelint's default run.  rolelint runs cold (``--no-cache``) with one job and with every core,
and warm (the parse cache filled by the previous run).  The
parse floor is what merely loading the same files costs: PyYAML's C loader building nodes with
positions (``yaml.compose``) for YAML, ``json.loads`` for JSON (``benchmarks/parse_floor.py``),
timed in this process and as a command of its own that imports nothing else (start-up, the
YAML library and reading included, as in rolelint's rows).  The *values* floor, also run as a
command, loads YAML on the same C loader into Python values that keep their start and end
(``parse_floor.py --values``): what a tool pays to have values to analyze.  Nothing here is
asserted by the tests: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from parse_floor import parse_floor  # benchmarks/ is this script's own folder on sys.path

REPO = Path(__file__).resolve().parents[1]
FLOOR_SCRIPT = Path(__file__).resolve().parent / "parse_floor.py"
# Beside the checkout, or wherever ROLELINT_CORPUS says (a clone made elsewhere).
CORPUS = Path(os.environ.get("ROLELINT_CORPUS") or REPO.parent / "shared" / "corpus")
CFN_SUFFIXES = {".yaml", ".yml", ".json", ".template"}


@dataclass
class Row:
    input: str
    tool: str
    seconds: float
    megabytes: float
    peak_mb: float
    note: str = ""


def measure(
    command: list[str],
    repeat: int,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) of ``command`` over ``repeat`` runs;
    a run past ``timeout`` seconds is stopped and counts as infinitely long."""
    runs = [run_once(command, env, timeout) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _, _ in runs), max(peak for _, peak, _ in runs)


def run_once(
    command: list[str],
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    cwd: Path | None = None,
) -> tuple[float, float, int | None]:
    """Wall seconds (infinite past ``timeout``, when the run is stopped), peak RSS (MB) and exit
    code (None when stopped) of one run of ``command``.  The calling process must stay small:
    Linux carries a process's peak RSS into the processes it starts."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    timed_out = False
    while True:  # wait4, not wait: it also returns the child's peak memory
        pid, status, usage = os.wait4(process.pid, os.WNOHANG if timeout else 0)
        if pid:
            break
        if time.perf_counter() - start > (timeout or 0):
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.01)
    process.returncode = status  # reaped here: Popen must not wait for it again
    elapsed = time.perf_counter() - start
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if timed_out:
        return float("inf"), peak, None
    return elapsed, peak, os.waitstatus_to_exitcode(status)


def compile_rolelint() -> None:
    """Write the bytecode of the rolelint being timed, as installing a wheel does.  Where
    PYTHONDONTWRITEBYTECODE is set (this benchmark machine sets it), an editable install would
    otherwise compile its changed modules again on every run, which users never pay, and a
    comparison of two checkouts would favour the one that happens to hold .pyc files."""
    spec = importlib.util.find_spec("rolelint")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def input_megabytes(folder: Path, suffixes: set[str]) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.suffix in suffixes) / 1e6


ROLE = """\
  {name}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {name}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {principal}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: {name}-policy
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [{actions}]
                Resource: "{resource}"
"""
PRINCIPALS = (
    "{Service: lambda.amazonaws.com}",
    '{AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}',
    '{AWS: "arn:aws:iam::444455556666:root"}',
    '"*"',
)
ACTIONS = ("s3:GetObject", "logs:PutLogEvents", "iam:PassRole", "sts:AssumeRole", "dynamodb:*")


def generate(folder: Path, templates: int, roles_per_template: int, seed: int = 11) -> None:
    """Seeded templates shaped like real ones: mostly harmless roles, some risky."""
    rng = random.Random(seed)
    for number in range(templates):
        parts = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n']
        for index in range(roles_per_template):
            parts.append(
                ROLE.format(
                    name=f"Role{number}x{index}",
                    principal=rng.choice(PRINCIPALS),
                    actions=", ".join(rng.sample(ACTIONS, 2)),
                    resource=rng.choice(("*", f"arn:aws:s3:::bucket-{number}/*")),
                )
            )
        target = folder / f"group{number // 500:03d}" / f"stack{number:05d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(parts))


def rolelint_rows(name: str, folder: Path, megabytes: float, repeat: int) -> list[Row]:
    rolelint = [sys.executable, "-m", "rolelint", "check", str(folder), "-f", "json"]
    cache = tempfile.mkdtemp(prefix="rolelint-bench-cache-")
    env = {"ROLELINT_CACHE_DIR": cache}
    rows = []
    cores = len(os.sched_getaffinity(0))
    for label, extra in (
        ("rolelint, cold, 1 job", ["--no-cache", "--jobs", "1"]),
        (f"rolelint, cold, {cores} jobs", ["--no-cache"]),
    ):
        seconds, peak = measure([*rolelint, *extra], repeat, env)
        rows.append(Row(name, label, seconds, megabytes, peak))
    measure(rolelint, 1, env)  # fill the cache
    seconds, peak = measure(rolelint, repeat, env)
    rows.append(Row(name, f"rolelint, warm cache, {cores} jobs", seconds, megabytes, peak))
    shutil.rmtree(cache, ignore_errors=True)
    return rows


def other_rows(
    name: str,
    folder: Path,
    megabytes: float,
    repeat: int,
    tools: dict[str, str | None],
    kind: str,
    timeout: float,
) -> list[Row]:
    rows = []
    checkov = tools.get("checkov")
    if checkov:
        framework = "cloudformation" if kind == "cfn" else "terraform"
        command = [checkov, "-d", str(folder), "--framework", framework, "--quiet", "-o", "json"]
        seconds, peak = measure(command, repeat, timeout=timeout)
        rows.append(Row(name, "checkov", seconds, megabytes, peak))
    cfn_lint = tools.get("cfn-lint")
    if cfn_lint and kind == "cfn":
        files = [str(p) for p in folder.rglob("*") if p.suffix in CFN_SUFFIXES]
        command = [cfn_lint, "--format", "json", "--", *files]
        seconds, peak = measure(command, repeat, timeout=timeout)
        rows.append(Row(name, "cfn-lint", seconds, megabytes, peak))
    return rows


def startup_rows(repeat: int, tools: dict[str, str | None]) -> list[Row]:
    rows = []
    seconds, peak = measure([sys.executable, "-m", "rolelint", "--version"], repeat)
    rows.append(Row("(start-up)", "rolelint --version", seconds, 0.0, peak))
    one = str(REPO / "fixtures" / "examples" / "app-server.yaml")
    seconds, peak = measure([sys.executable, "-m", "rolelint", "check", one], repeat)
    rows.append(Row("(one template)", "rolelint check", seconds, 0.0, peak))
    for tool, args in (("checkov", ["--version"]), ("cfn-lint", ["--version"])):
        path = tools.get(tool)
        if path:
            seconds, peak = measure([path, *args], repeat)
            rows.append(Row("(start-up)", f"{tool} --version", seconds, 0.0, peak))
    return rows


class Table:
    """Prints each row as soon as it is measured (a full run takes a while), with its time
    relative to rolelint's default run (cold, every core) on the same input."""

    def __init__(self, timeout: float) -> None:
        self.baseline: dict[str, float] = {}
        self.timeout = timeout
        cells = (f"{'input':<34}", f"{'tool':<30}", f"{'wall s':>7}", f"{'MB/s':>6}")
        self.cells = (*cells, f"{'peak MB':>7}", f"{'vs rolelint':>11}")

    def header(self) -> None:
        print("| " + " | ".join(self.cells) + " |")
        print("|" + "|".join("-" * (len(cell) + 2) for cell in self.cells) + "|", flush=True)

    def add(self, row: Row) -> None:
        if row.tool.startswith("rolelint, cold,") and "1 job" not in row.tool:
            self.baseline[row.input] = row.seconds
        slow = row.seconds == float("inf")
        wall = f"{'>' + str(int(self.timeout)):>7}" if slow else f"{row.seconds:7.2f}"
        rate = f"{row.megabytes / row.seconds:6.2f}" if row.megabytes and not slow else "     -"
        base = self.baseline.get(row.input)
        if base and slow:
            ratio = f"{'>' + format(self.timeout / base, '.0f') + 'x':>11}"
        elif base:
            ratio = f"{row.seconds / base:10.1f}x"
        else:
            ratio = "          -"
        peak = "      -" if slow else f"{row.peak_mb:7.0f}"
        print(
            f"| {row.input:<34} | {row.tool:<30} | {wall} | {rate} | {peak} | {ratio} |", flush=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (median).")
    parser.add_argument(
        "--large-repeat", type=int, default=1, help="Runs per measurement on generated inputs."
    )
    parser.add_argument("--skip-large", action="store_true", help="Only the shared corpora.")
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="Seconds after which a run of another tool is stopped (shown as '>N').",
    )
    parser.add_argument("--checkov", default=shutil.which("checkov"))
    parser.add_argument("--cfn-lint", dest="cfn_lint", default=shutil.which("cfn-lint"))
    args = parser.parse_args()
    tools = {"checkov": args.checkov, "cfn-lint": args.cfn_lint}
    compile_rolelint()
    print(
        f"# {platform.processor() or platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    table = Table(args.timeout)
    table.header()
    for row in startup_rows(args.repeat, tools):
        table.add(row)
    inputs: list[tuple[str, Path, str, int]] = [
        ("CloudFormation corpus", CORPUS / "aws-cloudformation-templates", "cfn", args.repeat),
        ("Terraform corpus", CORPUS / "terraform-aws-iam", "tf", args.repeat),
    ]
    scratch = Path(tempfile.mkdtemp(prefix="rolelint-bench-"))
    if not args.skip_large:
        generate(scratch / "templates", templates=10_000, roles_per_template=3)
        generate(scratch / "roles", templates=1_000, roles_per_template=100, seed=12)
        inputs += [
            ("10,000 templates (30,000 roles)", scratch / "templates", "cfn", args.large_repeat),
            ("100,000 roles (1,000 templates)", scratch / "roles", "cfn", args.large_repeat),
        ]
    for name, folder, kind, repeat in inputs:
        if not folder.is_dir():
            print(f"# {name}: {folder} is missing, left out")
            continue
        suffixes = CFN_SUFFIXES if kind == "cfn" else {".tf", ".json", ".tfvars"}
        megabytes = input_megabytes(folder, suffixes)
        for row in rolelint_rows(name, folder, megabytes, repeat):
            table.add(row)
        if kind == "cfn":
            table.add(Row(name, "parse floor (load only)", parse_floor(folder), megabytes, 0.0))
            # The same loading as a command of its own, paying start-up and reading files as
            # rolelint's rows do: the fair floor for a whole run (the script imports nothing
            # else, unlike this one).
            seconds, peak = measure([sys.executable, str(FLOOR_SCRIPT), str(folder)], repeat)
            table.add(Row(name, "parse floor as a process", seconds, megabytes, peak))
            # Loading into values with positions, on the same C loader: see parse_floor.py.
            command = [sys.executable, str(FLOOR_SCRIPT), "--values", str(folder)]
            seconds, peak = measure(command, repeat)
            table.add(Row(name, "values floor as a process", seconds, megabytes, peak))
        for row in other_rows(name, folder, megabytes, repeat, tools, kind, args.timeout):
            table.add(row)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
