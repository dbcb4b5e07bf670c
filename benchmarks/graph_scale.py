"""How the assume-role graph and the chaining rule scale: synthetic accounts of 100 roles each.

Usage: python benchmarks/graph_scale.py [--rule RLxxx] [ROLES ...]
(default: RL401, 12500 25000 50000 100000)

Roles are generated as model objects (parsing is measured by benchmarks/run.py), shaped like
real organizations: most roles trust their own account's root, some a named role of the same
account, some a service, an OIDC provider or another account; a fifth may assume named roles,
a few every role of their account or every role at all, and a few are administrators.  The
generator is seeded, so every run builds the same inventory.  Printed per size: wall time of
the graph build, then of RL401 (or the chaining rule ``--rule`` names: RL405 walks from each
party outside the code) as a scan runs it (through the engine, on the graph already built: the
rule, its findings, their sorting and merging), on one core; edges and findings; and time per
1,000 roles, which stays about flat when the work grows linearly.  Chains far longer than these
accounts hold are timed by benchmarks/chain_depth.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from rolelint.engine import Selection, check_resolved
from rolelint.graph.build import graph_of
from rolelint.model import (
    Inventory,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Value,
)
from rolelint.source import SourceRef, Span

ROLES_PER_ACCOUNT = 100
CHAIN_RULE = "RL401"
FILE = "synthetic.json"


def _ref(line: int) -> SourceRef:
    return SourceRef(FILE, Span.point(line, 1))


def _value(text: str, line: int) -> Value:
    return Value(text, _ref(line))


def _arn(account: int, index: int) -> str:
    return f"arn:aws:iam::{account:012d}:role/r{index}"


def _trust(rng: random.Random, account: int, index: int, line: int) -> PolicyDocument:
    draw = rng.random()
    if draw < 0.70:
        principal = Principal(PrincipalKind.AWS, _value(f"arn:aws:iam::{account:012d}:root", line))
        action = "sts:AssumeRole"
    elif draw < 0.80:
        other = rng.randrange(ROLES_PER_ACCOUNT)
        first = account * ROLES_PER_ACCOUNT
        principal = Principal(PrincipalKind.AWS, _value(_arn(account, first + other), line))
        action = "sts:AssumeRole"
    elif draw < 0.90:
        principal = Principal(PrincipalKind.SERVICE, _value("lambda.amazonaws.com", line))
        action = "sts:AssumeRole"
    elif draw < 0.95:
        outside = f"arn:aws:iam::{account + 1:012d}:root"
        principal = Principal(PrincipalKind.AWS, _value(outside, line))
        action = "sts:AssumeRole"
    else:
        provider = f"arn:aws:iam::{account:012d}:oidc-provider/token.actions.githubusercontent.com"
        principal = Principal(PrincipalKind.FEDERATED, _value(provider, line))
        action = "sts:AssumeRoleWithWebIdentity"
    statement = Statement(
        _ref(line),
        _value("Allow", line),
        actions=(_value(action, line),),
        principals=(principal,),
        has_action=True,
    )
    return PolicyDocument(PolicyKind.TRUST, _ref(line), f"r{index}", "trust", (statement,))


def _permissions(
    rng: random.Random, account: int, index: int, line: int
) -> tuple[PolicyDocument, ...]:
    draw = rng.random()
    first = account * ROLES_PER_ACCOUNT
    if draw < 0.02:
        actions, resources = ["*"], ["*"]
    elif draw < 0.03:
        actions, resources = ["sts:AssumeRole"], ["*"]
    elif draw < 0.06:
        actions, resources = ["sts:AssumeRole"], [f"arn:aws:iam::{account:012d}:role/*"]
    elif draw < 0.26:
        picks = rng.sample(range(ROLES_PER_ACCOUNT), 3)
        actions, resources = ["sts:AssumeRole"], [_arn(account, first + p) for p in picks]
    else:
        actions, resources = ["s3:GetObject"], [f"arn:aws:s3:::bucket-{index}/*"]
    statement = Statement(
        _ref(line),
        _value("Allow", line),
        actions=tuple(_value(a, line) for a in actions),
        resources=tuple(_value(r, line) for r in resources),
        has_action=True,
    )
    document = PolicyDocument(
        PolicyKind.PERMISSIONS, _ref(line), f"r{index}", f"inline policy of r{index}", (statement,)
    )
    return (document,)


def inventory(roles: int, seed: int = 7) -> Inventory:
    rng = random.Random(seed)
    result = Inventory()
    for index in range(roles):
        account = index // ROLES_PER_ACCOUNT
        line = index + 1
        result.roles.append(
            Role(
                f"r{index}",
                _ref(line),
                _value(_arn(account, index), line),
                trust_policy=_trust(rng, account, index, line),
                policies=_permissions(rng, account, index, line),
            )
        )
    return result


def measure(roles: int, rule: str = CHAIN_RULE) -> tuple[float, float, int, int]:
    """The graph build, then ``rule`` as a scan runs it (through the engine, which reuses the
    graph): the second time is the rule's own work.  The generated roles hold no AWS managed
    policy to resolve, so the engine is called as the audit commands call it, which keeps the
    graph (run_checks drops it once its checks have run)."""
    subject = inventory(roles)
    start = time.perf_counter()
    graph = graph_of(subject)
    built = time.perf_counter() - start
    start = time.perf_counter()
    findings = check_resolved(subject, Selection(select=[rule]))
    analyzed = time.perf_counter() - start
    if graph_of(subject) is not graph:
        raise SystemExit("the engine rebuilt the graph: the measurement would count it twice")
    return built, analyzed, len(graph.edges), len(findings)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[12_500, 25_000, 50_000, 100_000])
    parser.add_argument("--rule", default=CHAIN_RULE, help="the rule timed (default: RL401)")
    arguments = parser.parse_args(argv)
    rule = arguments.rule
    header = f"{rule} s"
    print(f"{'roles':>8} {'graph s':>8} {header:>8} {'edges':>8} {'findings':>9} {'ms/1k':>7}")
    for size in arguments.sizes:
        built, analyzed, edges, findings = measure(size, rule)
        per_thousand = (built + analyzed) / size * 1_000_000
        print(
            f"{size:>8} {built:>8.2f} {analyzed:>8.2f} {edges:>8} {findings:>9} "
            f"{per_thousand:>7.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
