"""How the chaining rules scale with deep chains and wide hubs: roles in a line, behind a hub.

Usage: python benchmarks/chain_depth.py [--rule RLxxx] [--write FOLDER] [SHAPE ...]
(default: line:1000 hub:1000:1000)

SHAPE is one of
  line:N    N roles in a line, each trusted by a service (lambda.amazonaws.com), each allowed to
            assume the next; the last may assume an administrator role, which only the
            account trusts.  The service enters the line at every role.
  hub:N:M   N roles trusted by the service, each allowed to assume one hub role; the hub then a
            line of M roles, the last of which may assume the administrator role.
  fan:N:M   N roles trusted by the service, each allowed to assume one hub role, which may
            assume M roles (role/fan*), each of which may assume one role that may assume the
            administrator role: four hops from each of the N.
  star:N    N roles trusted by the service, each allowed to assume one hub role, which may
            assume every one of them (role/spoke*): a circle through the hub.

RL405 reports the chain of fewest hops from the service to the administrator role however long
it is, so it walks from every role the service enters: the shapes where walking from each of
them in turn costs (roles entered) x (roles past them).  Each shape is written as an account
export (the answer of ``aws iam get-account-authorization-details``), read as a scan reads it,
then timed: the graph build, and the rule as a scan runs it (through the engine, on the graph
already built), on one core.  Printed per shape: roles, both times, the rule's findings.

``--write FOLDER`` only writes each shape's export there (``line-N.json``, ``hub-N-M.json``),
for ``rolelint check``, ``graph`` and ``roles`` to compare two checkouts' output on it.

RL403 (``--rule RL403``) walks from every role, up to the first role beyond the chain depth: on
``fan`` and ``star`` each of the N roles walks past the hub to its M (or N) roles, where a walk
shared by the roles whose hops lead to the same roles walks there once.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from rolelint.api import read_inventory
from rolelint.engine import Selection, check_resolved
from rolelint.graph.build import graph_of
from rolelint.managed_policies import resolve_managed_policies

ACCOUNT = "111122223333"
SERVICE = "lambda.amazonaws.com"
ADMIN = "admin"


def _arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _role(name: str, services: bool, assumes: str | None) -> dict[str, object]:
    """A role of the export: trusted by the account (and the service), allowed to assume the
    role ``assumes`` names; the administrator role holds AdministratorAccess."""
    principal: dict[str, object] = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    if services:
        principal["Service"] = SERVICE
    trust: list[dict[str, object]] = [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    ]
    inline = []
    if assumes is not None:
        allow: dict[str, object] = {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": _arn(assumes),
        }
        inline.append({"PolicyName": f"assume-{assumes}", "PolicyDocument": _policy([allow])})
    attached = []
    if name == ADMIN:
        admin_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        attached.append({"PolicyName": "AdministratorAccess", "PolicyArn": admin_arn})
    return {
        "Path": "/",
        "RoleName": name,
        "Arn": _arn(name),
        "AssumeRolePolicyDocument": _policy(trust),
        "RolePolicyList": inline,
        "AttachedManagedPolicies": attached,
    }


def _policy(statements: list[dict[str, object]]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": statements}


def _line(names: list[str], services: bool) -> list[dict[str, object]]:
    """Roles each allowed to assume the next; the last the administrator role."""
    onward = [*names[1:], ADMIN]
    return [_role(name, services, following) for name, following in zip(names, onward, strict=True)]


def export(shape: str) -> dict[str, object]:
    """The account export of ``shape`` (see the module's docstring)."""
    kind, *sizes = shape.split(":")
    counts = [int(size) for size in sizes]
    if kind == "line" and len(counts) == 1:
        roles = _line([f"line{i}" for i in range(counts[0])], services=True)
    elif kind == "hub" and len(counts) == 2:
        entered = [_role(f"entry{i}", True, "hub") for i in range(counts[0])]
        roles = entered + _line(["hub", *(f"line{i}" for i in range(counts[1]))], services=False)
    elif kind == "fan" and len(counts) == 2:
        entered = [_role(f"entry{i}", True, "hub") for i in range(counts[0])]
        fanned = [_role(f"fan{i}", False, "far") for i in range(counts[1])]
        roles = [*entered, _role("hub", False, "fan*"), *fanned, _role("far", False, ADMIN)]
    elif kind == "star" and len(counts) == 1:
        spokes = [_role(f"spoke{i}", True, "hub") for i in range(counts[0])]
        roles = [*spokes, _role("hub", False, "spoke*")]
    else:
        raise SystemExit(f"unknown shape {shape!r}: line:N, hub:N:M, fan:N:M or star:N")
    roles.append(_role(ADMIN, False, None))
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}


def _file_name(shape: str) -> str:
    return shape.replace(":", "-") + ".json"


def measure(path: Path, rule: str) -> tuple[int, float, float, int]:
    """Roles read, the graph build, then ``rule`` as a scan runs it (through the engine, which
    reuses the graph): the second time is the rule's own work.  The administrator role's AWS
    managed policy is resolved first, as a scan does before the graph is built.  A large shape
    is a file over the size a scan reads by default: read whole."""
    read, report = read_inventory([str(path)], max_size=None)
    if report.errors:
        raise SystemExit(f"{path.name}: {report.errors[0].message}")
    inventory = resolve_managed_policies(read)
    start = time.perf_counter()
    graph = graph_of(inventory)
    built = time.perf_counter() - start
    start = time.perf_counter()
    findings = check_resolved(inventory, Selection(select=[rule]))
    analyzed = time.perf_counter() - start
    if graph_of(inventory) is not graph:
        raise SystemExit("the engine rebuilt the graph: the measurement would count it twice")
    return len(inventory.roles), built, analyzed, len(findings)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shapes", nargs="*", default=["line:1000", "hub:1000:1000"])
    parser.add_argument("--rule", default="RL405", help="the rule timed (default: RL405)")
    parser.add_argument("--write", metavar="FOLDER", help="only write each shape's export")
    arguments = parser.parse_args(argv)
    if arguments.write:
        folder = Path(arguments.write)
        folder.mkdir(parents=True, exist_ok=True)
        for shape in arguments.shapes:
            (folder / _file_name(shape)).write_text(json.dumps(export(shape), indent=1))
        return
    rule = arguments.rule
    print(f"{'shape':>16} {'roles':>6} {'graph s':>8} {rule + ' s':>8} {'findings':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for shape in arguments.shapes:
            path = Path(scratch) / _file_name(shape)
            path.write_text(json.dumps(export(shape)))
            roles, built, analyzed, findings = measure(path, rule)
            print(f"{shape:>16} {roles:>6} {built:>8.2f} {analyzed:>8.2f} {findings:>9}")


if __name__ == "__main__":
    main(sys.argv[1:])
