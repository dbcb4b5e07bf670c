"""Hand-built reports for the reporter tests: no parser or check is involved."""

from __future__ import annotations

from rolelint.catalog import Rule
from rolelint.findings import (
    EXTERNAL,
    IN_SOURCE,
    Finding,
    InputError,
    PathHop,
    Report,
    Severity,
    Suppression,
)
from rolelint.source import SourceRef, Span

APP = "templates/app.yaml"
POLICY = "policies/admin policy.json"


def finding(
    rule_id: str = "RL101",
    *,
    rule: str = "trust-policy-allows-anyone",
    rule_class: str = "trust-wildcard",
    severity: Severity = Severity.CRITICAL,
    message: str = "The trust policy allows any AWS principal ('*') to assume the role",
    file: str = APP,
    span: Span | None = None,
    resource: str = "AppRole",
    role: str | None = "AppRole",
    fingerprint: str = "fp-0001",
    path: tuple[PathHop, ...] = (),
    suppression: Suppression | None = None,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        rule=rule,
        rule_class=rule_class,
        severity=severity,
        message=message,
        location=SourceRef(file, span),
        resource=resource,
        role=role,
        fingerprint=fingerprint,
        path=path,
        suppression=suppression,
    )


def trust_finding() -> Finding:
    """RL101 on ``'*'`` at line 12, columns 18-21 of the snippet below."""
    return finding(span=Span(12, 18, 12, 21))


TRUST_LINE = "      Principal: '*'"


def chain_finding() -> Finding:
    return finding(
        "RL401",
        rule="role-chain-to-more-privileged-role",
        rule_class="chaining",
        severity=Severity.HIGH,
        message="CiRole can assume AdminRole, which has administrator access CiRole lacks",
        span=Span(30, 5, 30, 11),
        resource="CiRole",
        role="CiRole",
        fingerprint="fp-0002",
        path=(PathHop("CiRole", APP, 30), PathHop("AdminRole", APP, 41)),
    )


def outside_chain_finding() -> Finding:
    """A chain from a party outside the code (a service principal), which is defined nowhere:
    its hop has no file and no line, as the chaining checks write it."""
    return finding(
        "RL401",
        rule="role-chain-to-more-privileged-role",
        rule_class="chaining",
        severity=Severity.HIGH,
        message="codebuild.amazonaws.com can reach AdminRole through CiRole",
        span=Span(30, 5, 30, 11),
        resource="CiRole",
        role="CiRole",
        fingerprint="fp-0009",
        path=(
            PathHop("codebuild.amazonaws.com", "", 0),
            PathHop("CiRole", APP, 30),
            PathHop("AdminRole", APP, 41),
        ),
    )


def admin_finding() -> Finding:
    """A raw policy file: no role, a path with a space, medium severity."""
    return finding(
        "RL202",
        rule="service-wide-wildcard-action",
        rule_class="wildcard-action",
        severity=Severity.MEDIUM,
        message="The policy allows every action of s3 ('s3:*')",
        file=POLICY,
        span=Span(6, 17, 6, 23),
        resource=POLICY,
        role=None,
        fingerprint="fp-0003",
    )


def info_finding() -> Finding:
    return finding(
        severity=Severity.INFO,
        message="Any principal may assume the role, limited only by aws:PrincipalOrgID",
        span=Span(50, 9, 52, 3),
        fingerprint="fp-0004",
    )


def sample_report() -> Report:
    """Findings deliberately out of order; one error; snippets for some finding lines."""
    return Report(
        findings=[admin_finding(), chain_finding(), info_finding(), trust_finding()],
        errors=[
            InputError("broken.yaml", "mapping values are not allowed here", 3, 7),
            InputError("binary.json", "binary file, not a template or policy"),
        ],
        files_analyzed=2,
        files_skipped=1,
        skipped_by_reason={"not a CloudFormation template or IAM policy": 1},
        roles=3,
        snippets={
            (APP, 12): TRUST_LINE,
            (APP, 30): "    CiRole:",
            (POLICY, 6): '      "Action": "s3:*",',
        },
    )


def suppressed_finding() -> Finding:
    """Accepted next to the resource; its rule (RL207) is not in ``sample_rules()``."""
    return finding(
        "RL207",
        rule="assume-any-role",
        rule_class="assume-any-role",
        severity=Severity.HIGH,
        message="The policy allows sts:AssumeRole on any role ('*')",
        span=Span(64, 21, 64, 24),
        resource="DeployRole",
        role="DeployRole",
        fingerprint="fp-0005",
        suppression=Suppression(
            IN_SOURCE,
            "the deploy role assumes a role in every account; approved in SEC-42",
            where=SourceRef(APP, Span(60, 5, 60, 62)),
        ),
    )


def accepted_trust_finding() -> Finding:
    """Suppressed by the baseline, on the same rule and resource as active findings."""
    return finding(
        message="The trust policy allows any AWS principal ('*') to assume the role",
        span=Span(20, 18, 20, 21),
        fingerprint="fp-0006",
        suppression=Suppression(EXTERNAL, "in the baseline", expires="2027-01-31"),
    )


def ci_sample_report() -> Report:
    """``sample_report()`` with two suppressed findings and a notice: what the CI formats show."""
    report = sample_report()
    report.findings += [suppressed_finding(), accepted_trust_finding()]
    report.notices.append(InputError("main.tf", "module vpc is not a local module", 9, 1))
    return report


def rule(rule_id: str, name: str, rule_class: str, severity: Severity, refs: int = 1) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        rule_class=rule_class,
        severity=severity,
        summary=f"Summary of {name}.",
        rationale=f"Why {name} matters.",
        remediation=f"How to fix {name}.",
        references=tuple(f"https://docs.example.com/{name}/{n}" for n in range(refs)),
    )


def sample_rules() -> dict[str, Rule]:
    """A small catalog, deliberately not in id order; RL202 has no reference."""
    rules = [
        rule("RL401", "role-chain-to-more-privileged-role", "chaining", Severity.HIGH),
        rule("RL101", "trust-policy-allows-anyone", "trust-wildcard", Severity.CRITICAL, 2),
        rule("RL202", "service-wide-wildcard-action", "wildcard-action", Severity.MEDIUM, 0),
        rule("RL602", "invalid-policy-version", "invalid-policy", Severity.LOW),
    ]
    return {r.id: r for r in rules}
