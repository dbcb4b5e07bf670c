"""Cross-account trust and its ExternalId: missing (RL102), weak (RL105), reused (RL106)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.checks.external_id_values import MIN_LENGTH, is_placeholder
from rolelint.findings import Finding, Severity
from rolelint.model import AccountContext
from tests.rules.forms import FORMS, lint_trust
from tests.rules.harness import describe, findings_of, line_of, policy

ASSUME = "sts:AssumeRole"
VENDOR = "444455556666"
VENDOR_ROOT = f"arn:aws:iam::{VENDOR}:root"
OTHER = "777788889999"
ORG = "o-a1b2c3d4e5"
SOUND = "7f3c9a2e-acme-monitoring"
EXTERNAL_ID_RULES = ("RL102", "RL105", "RL106")
EXTERNAL_ID = "sts:ExternalId"


def allow(principal: Any, action: Any = ASSUME, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


def external_id(value: Any, operator: str = "StringEquals") -> dict[str, Any]:
    return {operator: {"sts:ExternalId": value}}


def lint(tmp_path: Path, *statements: dict[str, Any]) -> tuple[str, list[Finding]]:
    code = policy(*statements)
    return code, findings_of(code, "json", tmp_path)


def lint_declared(
    tmp_path: Path, accounts: AccountContext, *statements: dict[str, Any]
) -> tuple[str, list[Finding]]:
    """Lint one raw trust policy as the CLI does with --account/--org-id/--trusted-account."""
    code = policy(*statements)
    path = tmp_path / "trust.json"
    path.write_text(code, encoding="utf-8")
    report = lint_paths([str(path)], accounts=accounts)
    assert report.errors == []
    return code, report.findings


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- RL102: no ExternalId at all ------------------------------------------------------------------


@pytest.mark.parametrize(
    "principal",
    [
        VENDOR,
        VENDOR_ROOT,
        f"arn:aws:iam::{VENDOR}:role/vendor-collector",
        f"arn:aws:iam::{VENDOR}:user/integration",
        f"arn:aws:sts::{VENDOR}:assumed-role/vendor-collector/session-1",
    ],
    ids=["account-id", "root", "role", "user", "assumed-role"],
)
def test_rl102_outside_principal_without_external_id(tmp_path: Path, principal: str) -> None:
    code, findings = lint(tmp_path, allow({"AWS": principal}))
    assert pairs(findings) == {("RL102", line_of(code, principal))}
    [finding] = findings
    assert finding.severity is Severity.HIGH
    assert f"lets account {VENDOR}" in finding.message
    assert "without an sts:ExternalId condition" in finding.message
    assert "confused deputy" in finding.message
    # Nothing declared: the account may be the user's own, and the finding says how to tell.
    assert f"--account {VENDOR}" in finding.message


@pytest.mark.parametrize(
    "condition",
    [
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"StringEquals": {"aws:PrincipalOrgID": ORG}},  # an organization nobody declared
        {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    ],
    ids=["source-ip", "undeclared-org", "mfa"],
)
def test_rl102_other_conditions_do_not_replace_the_external_id(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=condition))
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_ROOT))}


def test_rl102_reports_each_outside_principal_and_skips_the_own_account(tmp_path: Path) -> None:
    principals = {
        "AWS": [
            "arn:aws:iam::${AWS::AccountId}:root",
            VENDOR_ROOT,
            f"arn:aws:iam::{OTHER}:role/partner-ci",
        ]
    }
    code, findings = lint(tmp_path, allow(principals))
    assert pairs(findings) == {
        ("RL102", line_of(code, VENDOR_ROOT)),
        ("RL102", line_of(code, "partner-ci")),
    }


def test_rl102_sound_external_id_is_silent(tmp_path: Path) -> None:
    condition = {"StringEquals": {"sts:externalid": SOUND}}  # keys compare case-insensitively
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=condition))
    assert findings == []


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": "arn:aws:iam::${AWS::AccountId}:root"},
        {"Service": "ec2.amazonaws.com"},
        {"AWS": "arn:aws:iam::44445555666:root"},  # not twelve digits: not an account
        {"Federated": "arn:aws:iam::444455556666:saml-provider/CorpIdP"},
        {"AWS": "AROAEXAMPLEID12345678"},  # a unique id: its account is unknown
    ],
    ids=["own-account", "service", "eleven-digits", "federated", "unique-id"],
)
def test_rl102_principals_an_external_id_does_not_protect(tmp_path: Path, principal: Any) -> None:
    action = "sts:AssumeRoleWithSAML" if "Federated" in principal else ASSUME
    _, findings = lint(tmp_path, allow(principal, action))
    assert [f for f in findings if f.rule_id in EXTERNAL_ID_RULES] == []


def test_rl102_leaves_wildcard_principals_to_rl101(tmp_path: Path) -> None:
    principals = {"AWS": [VENDOR_ROOT, "arn:aws:iam::*:root"]}
    code, findings = lint(tmp_path, allow(principals))
    assert pairs(findings) == {
        ("RL102", line_of(code, VENDOR_ROOT)),
        ("RL101", line_of(code, "::*:root")),
    }


def test_rl102_ignores_statements_without_sts_assume_role(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, "sts:AssumeRoleWithSAML"))
    assert findings == []
    # sts:* grants sts:AssumeRole: judged.
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, "sts:*"))
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_ROOT))}


def test_rl102_unresolved_principal_is_silent(tmp_path: Path) -> None:
    template = write(
        tmp_path / "vendor.yaml",
        """\
Parameters:
  VendorAccount:
    Type: String
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${VendorAccount}:root
            Action: sts:AssumeRole
""",
    )
    report = lint_paths([str(template)])
    assert [f for f in report.findings if f.rule_id in EXTERNAL_ID_RULES] == []


def test_rl102_and_rl105_silent_with_an_unresolved_condition_key(tmp_path: Path) -> None:
    # The condition key comes from a variable without default: it may be sts:ExternalId.
    write(
        tmp_path / "module" / "main.tf",
        f"""\
variable "condition_key" {{
  type = string
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "AWS"
      identifiers = ["{VENDOR_ROOT}"]
    }}
    condition {{
      test     = "StringLike"
      variable = var.condition_key
      values   = ["acme-*"]
    }}
    condition {{
      test     = "StringLike"
      variable = "sts:ExternalId"
      values   = ["*"]
    }}
  }}
}}

resource "aws_iam_role" "vendor" {{
  name               = "vendor"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}
""",
    )
    report = lint_paths([str(tmp_path / "module")])
    assert report.errors == []
    assert [f for f in report.findings if f.rule_id in EXTERNAL_ID_RULES] == []


# --- RL102: what the user declared about accounts -------------------------------------------------


def test_rl102_declared_own_accounts_need_no_external_id(tmp_path: Path) -> None:
    accounts = AccountContext(own_accounts=frozenset({OTHER}))
    statement = allow({"AWS": [f"arn:aws:iam::{OTHER}:role/shared-services", VENDOR_ROOT]})
    code, findings = lint_declared(tmp_path, accounts, statement)
    # Only the vendor is outside; and once accounts are declared, no --account hint.
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_ROOT))}
    assert "--account" not in findings[0].message


def test_rl102_keeps_its_hint_when_an_account_is_learned_from_an_export(tmp_path: Path) -> None:
    """An account export of 111122223333 scanned beside a template dropped the hint of the
    template's RL102 ("If ... is one of your own accounts, say so"): accounts learned from
    snapshots counted as declared, so a role's message depended on the files beside it.  The
    learned account still counts as one's own; only accounts the user declared end the hint."""
    template = write(
        tmp_path / "t.yaml",
        "Resources:\n"
        "  PartnerRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{AWS: '{VENDOR_ROOT}'}}\n"
        "            Action: sts:AssumeRole\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: 'arn:aws:iam::111122223333:root'}\n"
        "            Action: sts:AssumeRole\n",
    )
    trust = policy(allow({"Service": "ec2.amazonaws.com"}))
    export = write(
        tmp_path / "export.json",
        '{"RoleDetailList": [{"RoleName": "other", "Arn": "arn:aws:iam::111122223333:role/other",'
        f' "AssumeRolePolicyDocument": {trust}}}]}}',
    )
    hint = f"If {VENDOR} is one of your own accounts, say so"

    def messages(*paths: Path) -> list[str]:
        report = lint_paths([str(path) for path in paths])
        assert report.errors == []
        return [f.message for f in report.findings if f.rule_id == "RL102"]

    alone = messages(template)  # 111122223333 is outside too until the export says it is own
    [beside] = messages(template, export)
    assert hint in beside
    assert [message for message in alone if VENDOR in message] == [beside]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": ORG}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/r-ab12/ou-ab12-11111111/*"}},
        # Compared without case, as the operator does (it was compared case-sensitively).
        {"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": ORG.upper()}},
    ],
    ids=["org-id", "org-paths", "ignore-case"],
)
def test_rl102_declared_organization_condition_silences(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    accounts = AccountContext(org_ids=frozenset({ORG}))
    statement = allow({"AWS": VENDOR_ROOT}, Condition=condition)
    _, findings = lint_declared(tmp_path, accounts, statement)
    assert findings == []


def test_rl102_deny_outside_the_declared_organization_silences(tmp_path: Path) -> None:
    accounts = AccountContext(org_ids=frozenset({ORG}))
    refuse = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": ASSUME,
        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG}},
    }
    _, findings = lint_declared(tmp_path, accounts, allow({"AWS": VENDOR_ROOT}), refuse)
    assert findings == []


def _refuse_without(value: str) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": ASSUME,
        "Condition": {"StringNotEquals": {"sts:ExternalId": value}},
    }


def test_rl102_a_deny_of_everyone_without_the_external_id_requires_it(tmp_path: Path) -> None:
    """A negated operator also matches a request without the key, so the Deny refuses every
    caller but one with the id: RL102 said there was no sts:ExternalId condition."""
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), _refuse_without(SOUND))
    assert findings == []
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), _refuse_without("changeme"))
    assert pairs(findings) == {("RL105", line_of(code, '"changeme"'))}  # judged as the Allow's
    # A Deny that also needs another condition refuses fewer callers: no protection.
    guarded = _refuse_without(SOUND)
    guarded["Condition"]["Bool"] = {"aws:SecureTransport": "false"}
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), guarded)
    assert {f.rule_id for f in findings} == {"RL102"}
    # ForAnyValue fails a request without the key, so such a Deny lets it through; under
    # ForAllValues it passes, and the Deny refuses it as under the plain operator.
    any_value = _refuse_without(SOUND)
    any_value["Condition"] = {"ForAnyValue:StringNotEquals": {"sts:ExternalId": SOUND}}
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), any_value)
    assert {f.rule_id for f in findings} == {"RL102"}
    all_values = _refuse_without(SOUND)
    all_values["Condition"] = {"ForAllValues:StringNotEquals": {"sts:ExternalId": SOUND}}
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), all_values)
    assert findings == []


def test_rl105_an_external_id_test_of_no_value_rl611_leaves_is_still_judged(
    tmp_path: Path,
) -> None:
    """RL611 takes an Allow's own test of no value (its statement never applies), but RL105's
    "lists no value" is still what two other tests of no value get: a Deny of everyone whose
    ``StringNotEquals sts:ExternalId`` lists none (judged as the positive test it amounts to,
    of no value; RL611 judges no negation), and an operator IAM rejects (RL607's, which RL611
    leaves to it)."""
    deny = _refuse_without(SOUND)
    deny["Condition"] = {"StringNotEquals": {"sts:ExternalId": []}}
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), deny)
    assert pairs(findings) == {("RL105", line_of(code, '"sts:ExternalId"'))}
    assert "with StringEquals, but it lists no value" in findings[0].message
    typo = allow({"AWS": VENDOR_ROOT}, Condition=external_id([], "StringEqual"))
    code, findings = lint(tmp_path, typo)
    assert pairs(findings) == {
        ("RL105", line_of(code, '"sts:ExternalId"')),
        ("RL607", line_of(code, '"StringEqual"')),
    }


@pytest.mark.parametrize(
    ("negated", "positive"),
    [
        ("StringNotEqualsIgnoreCase", "StringEqualsIgnoreCase"),
        ("ArnNotLike", "ArnLike"),
        ("ArnNotEquals", "ArnEquals"),
        ("StringNotLike", "StringLike"),
    ],
)
def test_rl105_a_deny_is_named_by_the_operator_it_amounts_to(
    tmp_path: Path, negated: str, positive: str
) -> None:
    """Messages showed made-up lower-case operators ('stringequalsignorecase')."""
    deny = _refuse_without(SOUND)
    deny["Condition"] = {negated: {"sts:ExternalId": SOUND}}
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), deny)
    assert pairs(findings) == {("RL105", line_of(code, '"sts:ExternalId"'))}
    assert f"with {positive}, but {positive} is " in findings[0].message


def test_rl102_a_deny_with_a_negated_if_exists_operator_requires_the_id(tmp_path: Path) -> None:
    """StringNotEqualsIfExists is true for a request without the id, as StringNotEquals is: the
    Deny refuses the same callers (RL102 said there was no sts:ExternalId condition)."""
    deny = _refuse_without(SOUND)
    deny["Condition"] = {"StringNotEqualsIfExists": {"sts:ExternalId": SOUND}}
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), deny)
    assert findings == []
    deny["Condition"] = {"StringNotEqualsIfExists": {"sts:ExternalId": "changeme"}}
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), deny)
    assert pairs(findings) == {("RL105", line_of(code, '"changeme"'))}


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-z9y8x7w6v5"}},  # another organization
        {"StringEquals": {"aws:PrincipalOrgID": [ORG, "o-z9y8x7w6v5"]}},  # ours or another
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG}},  # weak: not a limit
        {"StringEquals": {"aws:PrincipalOrgID": ORG.upper()}},  # compared with case: no org
    ],
    ids=["other-org", "ours-or-other", "if-exists", "other-case"],
)
def test_rl102_organization_conditions_that_do_not_make_it_ours(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    accounts = AccountContext(org_ids=frozenset({ORG}))
    statement = allow({"AWS": VENDOR_ROOT}, Condition=condition)
    code, findings = lint_declared(tmp_path, accounts, statement)
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_ROOT))}


def test_rl102_trusted_third_party_is_named_and_still_reported(tmp_path: Path) -> None:
    accounts = AccountContext(trusted_accounts=frozenset({VENDOR}))
    code, findings = lint_declared(tmp_path, accounts, allow({"AWS": VENDOR_ROOT}))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL102", line_of(code, VENDOR_ROOT))
    assert f"trusted third party {VENDOR}" in finding.message
    # A declared third party is known not to be ours: no hint to declare it with --account.
    assert "--account" not in finding.message


def test_rl102_a_principal_a_deny_certainly_refuses_is_not_reported(tmp_path: Path) -> None:
    """An explicit Deny wins over the Allow: an account the Deny names, or one that fails a
    Deny of everyone outside another account, cannot assume the role (the graph and roles said
    "nobody"), yet RL102 reported it as high."""
    role = f"arn:aws:iam::{OTHER}:role/auditor"
    named = {"Effect": "Deny", "Principal": {"AWS": VENDOR_ROOT}, "Action": ASSUME}
    code, findings = lint(tmp_path, allow({"AWS": [VENDOR_ROOT, role]}), named)
    assert pairs(findings) == {("RL102", line_of(code, role))}  # the other account stays
    outside = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ASSUME,
        "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}},
    }
    for principal in (VENDOR_ROOT, VENDOR, role):
        _, findings = lint(tmp_path, allow({"AWS": principal}), outside)
        assert findings == [], principal
    # Nor is a weak ExternalId of a refused account reported (RL105).
    weak = allow({"AWS": VENDOR_ROOT}, Condition=external_id("changeme"))
    _, findings = lint(tmp_path, weak, named)
    assert findings == []
    # A Deny that may spare the caller refuses nothing certain: the vendor's own account, a
    # condition rolelint cannot know of it, or a Deny of another action.
    for deny in (
        {**outside, "Condition": {"StringNotEquals": {"aws:PrincipalAccount": VENDOR}}},
        {**named, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
        {**named, "Action": "sts:TagSession"},
    ):
        code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}), deny)
        assert pairs(findings) == {("RL102", line_of(code, VENDOR_ROOT))}, deny


def test_rl102_a_session_is_not_refused_by_a_deny_sparing_its_role(tmp_path: Path) -> None:
    """A role's session calls with the role's ARN as aws:PrincipalArn (the IAM User Guide:
    "Do not specify the assumed role session ARN as a value for this condition key"), so
    ``Deny "*"`` unless ``ArnNotEquals aws:PrincipalArn`` names the role lets the session
    through.  Taken as the session's own ARN, the Deny seemed to refuse it: RL102 was silent."""
    session = f"arn:aws:sts::{OTHER}:assumed-role/Partner/session1"
    spare = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ASSUME,
        "Condition": {"ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/Partner"}},
    }
    code, findings = lint(tmp_path, allow({"AWS": session}), spare)
    assert pairs(findings) == {("RL102", line_of(code, session))}
    # Its account is still known: a Deny of every account but another refuses it.
    outside = {**spare, "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}
    _, findings = lint(tmp_path, allow({"AWS": session}), outside)
    assert findings == []


def _anyone_of(*accounts: str, external: str | None = None) -> dict[str, Any]:
    """``"*"`` under ``StringEquals aws:PrincipalAccount`` = ``accounts`` (and sts:ExternalId =
    ``external``)."""
    tests: dict[str, Any] = {"aws:PrincipalAccount": list(accounts)}
    if external is not None:
        tests[EXTERNAL_ID] = external
    return allow({"AWS": "*"}, Condition={"StringEquals": tests})


@pytest.mark.parametrize("form", FORMS)
def test_rl102_anyone_limited_to_outside_accounts_is_each_account(
    tmp_path: Path, form: str
) -> None:
    """``"*"`` under a mandatory ``StringEquals aws:PrincipalAccount`` admits the principals of
    the accounts it names, exactly as those accounts written as principals do: RL102 reported
    the written form and was silent on this one (it left every "*" to RL101, which the condition
    silences).  Each account is reported where the condition names it."""
    text, findings = lint_trust(form, tmp_path, _anyone_of(VENDOR, OTHER))
    assert sorted((f.rule_id, f.location.line) for f in findings) == sorted(
        [("RL102", line_of(text, VENDOR)), ("RL102", line_of(text, OTHER))]
    )
    assert all(f.severity is Severity.HIGH for f in findings)
    [vendor] = [f for f in findings if VENDOR in f.message]
    assert (
        f"lets account {VENDOR} ('*' limited by StringEquals aws:PrincipalAccount) assume the "
        "role without an sts:ExternalId condition" in vendor.message
    )
    assert len({f.fingerprint for f in findings}) == 2


def test_rl102_anyone_limited_by_principal_account_as_written_accounts(tmp_path: Path) -> None:
    """The declared own accounts are left out, a sound ExternalId protects the statement, a weak
    one is RL105's, an unresolved value names no account and a Deny refusing an account leaves
    it out: as for the same accounts written as principals."""
    own = AccountContext(own_accounts=frozenset({OTHER}))
    code, findings = lint_declared(tmp_path, own, _anyone_of(OTHER, VENDOR))
    assert pairs(findings) == {("RL102", line_of(code, VENDOR))}
    _, findings = lint(tmp_path, _anyone_of(VENDOR, external=SOUND))
    assert findings == []
    code, findings = lint(tmp_path, _anyone_of(VENDOR, external="changeme"))
    assert pairs(findings) == {("RL105", line_of(code, "changeme"))}
    assert f"from account {VENDOR}" in findings[0].message
    # StringLike is no such limit (a pattern), nor is a negation: RL101's concern, not RL102's.
    for operator in ("StringLike", "StringNotEquals"):
        statement = allow({"AWS": "*"}, Condition={operator: {"aws:PrincipalAccount": VENDOR}})
        _, findings = lint(tmp_path, statement)
        assert "RL102" not in {f.rule_id for f in findings}, operator
    refuse = {"Effect": "Deny", "Principal": {"AWS": VENDOR_ROOT}, "Action": ASSUME}
    code, findings = lint(tmp_path, _anyone_of(VENDOR, OTHER), refuse)
    assert pairs(findings) == {("RL102", line_of(code, f'"{OTHER}"'))}


def test_account_parties_is_the_one_reading_of_the_accounts_a_condition_names() -> None:
    """The ExternalId rules and the assume-role graph take the accounts ``"*"`` under
    ``StringEquals aws:PrincipalAccount`` admits from one helper (each filtered them in its own
    copy): each account once, where first written, in the order written; a value that is no
    account id names no caller's account, an unresolved one no account at all, and the
    template's own ``${AWS::AccountId}`` is a party (of the user's own account)."""
    from rolelint.checks.account_limits import account_parties
    from rolelint.checks.principals import Who
    from rolelint.model import THIS_ACCOUNT, Condition, Principal, PrincipalKind, Statement, Value
    from rolelint.source import SourceRef, Span

    def at(line: int) -> SourceRef:
        return SourceRef("t.json", Span.point(line, 1))

    texts = [OTHER, "not-an-account", None, THIS_ACCOUNT, VENDOR, OTHER]
    values = tuple(Value(text, at(line)) for line, text in enumerate(texts, start=10))
    condition = Condition("StringEquals", "aws:PrincipalAccount", values, at(9))
    anyone = Principal(PrincipalKind.AWS, Value("*", at(2)))
    statement = Statement(at(1), Value("Allow", at(1)), principals=(anyone,))
    assert account_parties(anyone, statement) is None
    limited = Statement(at(1), Value("Allow", at(1)), principals=(anyone,), conditions=(condition,))
    parties = account_parties(anyone, limited)
    assert parties is not None
    assert [(party.account, naming.value.ref.span) for party, naming in parties] == [
        (OTHER, Span.point(10, 1)),
        (THIS_ACCOUNT, Span.point(13, 1)),
        (VENDOR, Span.point(14, 1)),
    ]
    assert all(party.who is Who.ACCOUNT and party.principal is anyone for party, _ in parties)


# --- "*" pinned to an account by aws:PrincipalArn ------------------------------------------------

VENDOR_READER = f"arn:aws:iam::{VENDOR}:role/vendor-reader"


def _anyone_as(operator: str, *arns: str, external: str | None = None) -> dict[str, Any]:
    """``"*"`` under ``<operator> aws:PrincipalArn`` = ``arns`` (and StringEquals sts:ExternalId
    = ``external``): the usual trust of a role that may not exist yet."""
    conditions: dict[str, Any] = {operator: {"aws:PrincipalArn": list(arns)}}
    if external is not None:
        conditions.setdefault("StringEquals", {})[EXTERNAL_ID] = external
    return allow({"AWS": "*"}, Condition=conditions)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("operator", "arn"),
    [
        ("ArnEquals", VENDOR_READER),
        ("ArnLike", f"arn:aws:iam::{VENDOR}:role/*"),
        ("StringEquals", VENDOR_READER),
        ("StringLike", f"arn:aws:iam::{VENDOR}:role/vendor-*"),
        # ArnLike matches the first field as a pattern too: "*" there is "arn".
        ("ArnLike", f"*:aws:iam::{VENDOR}:role/*"),
    ],
)
def test_rl102_anyone_pinned_by_principal_arn_is_its_account(
    tmp_path: Path, form: str, operator: str, arn: str
) -> None:
    """``"*"`` under a mandatory positive ``aws:PrincipalArn`` test whose ARN names a literal
    account admits principals of that account only, as ``"AWS": "<that ARN>"`` does, which RL102
    reports high: this form, the usual way to trust a role that may not exist yet, was silent
    (the condition silences RL101, and RL102 read only aws:PrincipalAccount).  Reported where
    the condition names the account."""
    text, findings = lint_trust(form, tmp_path, _anyone_as(operator, arn))
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL102", line_of(text, arn))]
    [found] = findings
    assert found.severity is Severity.HIGH
    assert (
        f"lets account {VENDOR} ('*' limited by {operator} aws:PrincipalArn '{arn}') assume the "
        "role without an sts:ExternalId condition" in found.message
    ), found.message


def test_anyone_pinned_by_principal_arn_is_judged_as_its_written_principal(
    tmp_path: Path,
) -> None:
    """RL102, RL105 and RL106 judge ``"*"`` pinned by ``aws:PrincipalArn`` as the principal it
    names: the user's own account is left out, a sound ExternalId protects it, a weak one is
    RL105's, several accounts are each reported, and a Deny refusing one leaves it out."""
    own = AccountContext(own_accounts=frozenset({VENDOR}))
    _, findings = lint_declared(tmp_path, own, _anyone_as("ArnEquals", VENDOR_READER))
    assert findings == []
    _, findings = lint(tmp_path, _anyone_as("ArnEquals", VENDOR_READER, external=SOUND))
    assert findings == []
    code, findings = lint(tmp_path, _anyone_as("ArnEquals", VENDOR_READER, external="changeme"))
    assert pairs(findings) == {("RL105", line_of(code, "changeme"))}
    assert f"from account {VENDOR}" in findings[0].message
    other_role = f"arn:aws:iam::{OTHER}:role/reader"
    code, findings = lint(tmp_path, _anyone_as("ArnEquals", VENDOR_READER, other_role))
    assert pairs(findings) == {
        ("RL102", line_of(code, VENDOR_READER)),
        ("RL102", line_of(code, other_role)),
    }
    refuse = {"Effect": "Deny", "Principal": {"AWS": VENDOR_ROOT}, "Action": ASSUME}
    code, findings = lint(tmp_path, _anyone_as("ArnEquals", VENDOR_READER, other_role), refuse)
    assert pairs(findings) == {("RL102", line_of(code, other_role))}
    # Conditions are ANDed: an account the aws:PrincipalAccount beside it names, but no
    # aws:PrincipalArn admits, can assume nothing.
    both = _anyone_as("ArnEquals", VENDOR_READER)
    both["Condition"]["StringEquals"] = {"aws:PrincipalAccount": [VENDOR, OTHER]}
    code, findings = lint(tmp_path, both)
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_READER))}


@pytest.mark.parametrize(
    ("operator", "arn"),
    [
        ("ArnLike", "arn:aws:iam::*:role/vendor-reader"),  # any account: RL101's
        ("ArnNotEquals", VENDOR_READER),  # a negation admits every other principal
        ("ArnEqualsIfExists", VENDOR_READER),  # passes a request without the key
        ("StringEquals", "arn:aws:iam::${aws:PrincipalAccount}:role/vendor-reader"),
    ],
)
def test_principal_arn_that_pins_no_account_names_no_party(
    tmp_path: Path, operator: str, arn: str
) -> None:
    """A principal ARN test that leaves the account open names no account: RL102 stays silent
    on it, as before (RL101 judges the "*")."""
    _, findings = lint(tmp_path, _anyone_as(operator, arn))
    assert "RL102" not in {f.rule_id for f in findings}, describe(findings)


VENDOR_SESSION = f"arn:aws:sts::{VENDOR}:assumed-role/vendor/sess"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("operator", "arn"),
    [
        ("StringEquals", VENDOR_SESSION),
        ("ArnEquals", VENDOR_SESSION),
        ("ArnLike", f"arn:aws:sts::{VENDOR}:assumed-role/vendor/*"),
        ("StringLike", f"arn:aws:sts::{VENDOR}:assumed-role/*"),
    ],
)
def test_a_session_arn_as_principal_arn_names_no_account(
    tmp_path: Path, form: str, operator: str, arn: str
) -> None:
    """For a role's session aws:PrincipalArn holds the role's ARN, never the session's (IAM
    User Guide, global condition keys: "Do not specify the assumed role session ARN as a value
    for this condition key"): ``"*"`` under such a test admits no one, yet RL102 reported the
    account the session ARN names (high).  RL611 says the statement never applies."""
    text, findings = lint_trust(form, tmp_path, _anyone_as(operator, arn))
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL611", line_of(text, "aws:PrincipalArn"))
    ], describe(findings)


def test_a_session_arn_beside_a_role_arn_names_the_role_s_account(tmp_path: Path) -> None:
    """Beside a value some caller's ARN is, a session's ARN takes nothing away: the role's
    account is reported, at the role's ARN, as before; a federated user's ARN (sts too) is one
    aws:PrincipalArn holds, and names its account."""
    other_session = f"arn:aws:sts::{OTHER}:assumed-role/reader/sess"
    code, findings = lint(tmp_path, _anyone_as("ArnEquals", VENDOR_READER, other_session))
    assert pairs(findings) == {("RL102", line_of(code, VENDOR_READER))}, describe(findings)
    federated = f"arn:aws:sts::{OTHER}:federated-user/alice"
    code, findings = lint(tmp_path, _anyone_as("ArnEquals", federated))
    assert pairs(findings) == {("RL102", line_of(code, federated))}, describe(findings)


def test_rl106_counts_anyone_pinned_by_principal_arn(tmp_path: Path) -> None:
    """An ExternalId required of ``"*"`` pinned to one vendor's role and of another account
    written as the principal is one value for two parties: RL106 left the pinned one out (it was
    no case of the ExternalId rules), so the reuse went unreported."""
    pinned = _anyone_as("ArnEquals", VENDOR_READER, external=SOUND)
    written = allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id(SOUND))
    code, findings = lint(tmp_path, pinned, written)
    lines = [number for number, text in enumerate(code.splitlines(), 1) if SOUND in text]
    assert len(lines) == 2
    assert sorted(pairs(findings)) == [("RL106", line) for line in lines], describe(findings)


# --- RL105: an ExternalId that a caller without the agreed value can pass -------------------------


@pytest.mark.parametrize(
    ("operator", "value", "at_value", "severity", "words"),
    [
        ("StringLike", "*", True, Severity.HIGH, "matches every ExternalId"),
        ("StringLike", "????????", True, Severity.HIGH, "matches every ExternalId"),
        ("StringLike", "partner-*", True, Severity.HIGH, "is a pattern"),
        ("StringEqualsIfExists", SOUND, False, Severity.HIGH, "sends no ExternalId"),
        ("StringNotEquals", SOUND, False, Severity.HIGH, "differs from the values listed"),
        ("StringNotLike", SOUND, False, Severity.HIGH, "differs from the values listed"),
        ("Null", "false", False, Severity.HIGH, "never its value"),
        ("ForAllValues:StringEquals", SOUND, False, Severity.HIGH, "empty set"),
        # (an empty value alone admits no one: RL611's, tests/rules/test_conditions.py)
        ("StringEquals", "partner-*", True, Severity.MEDIUM, "meant as a pattern"),
        ("StringEquals", "<external-id>", True, Severity.MEDIUM, "never replaced"),
        ("StringEquals", "acme id 2024-x", True, Severity.MEDIUM, "does not accept"),
        # A trailing line break: re.match with '$' accepted it as a valid ExternalId.
        ("StringEquals", "ledger-9c41d7e2b8\n", True, Severity.MEDIUM, "does not accept"),
        ("StringEquals", "zzzzzzzzzz", True, Severity.MEDIUM, "one character repeated"),
        ("StringEquals", "k3x9q7z", True, Severity.MEDIUM, "only 7 characters"),
        ("StringEquals", "changeme", True, Severity.MEDIUM, "placeholder"),
        ("StringLike", "ledger-9c41d7e2b8", False, Severity.LOW, "StringLike is a pattern match"),
        ("StringEqualsIgnoreCase", SOUND, False, Severity.LOW, "case-insensitive"),
        ("ForAnyValue:StringEquals", SOUND, False, Severity.LOW, "a set operator"),
    ],
)
def test_rl105_weak_forms(
    tmp_path: Path, operator: str, value: str, at_value: bool, severity: Severity, words: str
) -> None:
    # The value in a list sits on the line after the key: the finding must pick the right one.
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id([value], operator))
    code, findings = lint(tmp_path, statement)
    key_line = line_of(code, '"sts:ExternalId"')
    expected_line = key_line + 1 if at_value else key_line
    # RL105 instead of RL102: the ExternalId is there, just weak.
    assert pairs(findings) == {("RL105", expected_line)}, describe(findings)
    [finding] = findings
    assert finding.severity is severity
    assert words in finding.message
    assert f"account {VENDOR}" in finding.message


@pytest.mark.parametrize(
    ("values", "weak"),
    [
        (["", "123"], "123"),
        (["123", " "], "123"),
        (["", "partner-*"], "partner-*"),
        (["", SOUND], None),
        (["", " ", SOUND], None),
    ],
    ids=["empty-and-weak", "weak-and-blank", "empty-and-pattern", "empty-and-sound", "blanks"],
)
def test_rl105_an_empty_value_beside_others_admits_no_one_and_they_decide(
    tmp_path: Path, values: list[str], weak: str | None
) -> None:
    """An empty ExternalId matches no request (STS takes none under 2 characters): beside
    other values it is no way in, and they decide, as for every key a request never holds
    empty.  RL105 reported it as a weak value ("the condition is a placeholder nobody filled
    in", beside '123', which is the weakness), and a sound value beside it was no protection
    at all for RL105 and RL106."""
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id(values))
    code, findings = lint(tmp_path, statement)
    if weak is None:
        assert findings == [], describe(findings)
        return
    assert pairs(findings) == {("RL105", line_of(code, f'"{weak}"'))}, describe(findings)
    [finding] = findings
    assert f"requires the sts:ExternalId '{weak}' from account {VENDOR}" in finding.message
    assert "empty" not in finding.message


def test_rl106_a_value_beside_an_empty_one_is_judged(tmp_path: Path) -> None:
    """A sound ExternalId beside an empty one protects the statement, and two unrelated
    accounts sharing it share one relation's secret: RL106 reports both (it left them out, the
    empty value making the condition weak), and never the empty value they also share."""
    first = allow({"AWS": VENDOR_ROOT}, Condition=external_id(["", SOUND]))
    second = allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id([SOUND, ""]))
    code, findings = lint(tmp_path, first, second)
    lines = [number for number, text in enumerate(code.splitlines(), 1) if SOUND in text]
    assert len(lines) == 2
    assert sorted(pairs(findings)) == [("RL106", line) for line in lines], describe(findings)


@pytest.mark.parametrize(
    "value",
    [
        "example",
        "changeme",
        "change-me",
        "CHANGE_ME",
        "1234",
        "12345",
        "123456",
        "0123456789",
        "test",
        "secret",
        "externalid",
        "external-id",
        "ExternalId",
        "placeholder",
        "xxxxxxxx",
        "XXXX-XXXX",
        "todo",
        "default",
        "password",
        "your-external-id",
        "my_external_id_here",
        "example-external-id",
        "abc123",
        "test-1234",
        "secret-value",
    ],
)
def test_placeholders_are_recognized(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        SOUND,
        "b5e0c1f4-9a37-4d62-8e1b-3c7f0a9d2e56",
        "acme-external-id",  # one real word is enough: not a placeholder (it may still be short)
        "deadbeefcafe",
        "test-7f3c9a2e",
        "1a2b3c4d5e6f",
    ],
)
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    # camelCase and PascalCase: "YourExternalId" was not split into words (it was silent).
    ["YourExternalId", "MyExternalId", "TestExternalId", "insertYourIDHere", "ExternalIdHERE"],
)
def test_camel_case_placeholders_are_recognized(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["AcmeExternalId", "ProdVendorLink2024", "MyAcmeId"])
def test_camel_case_real_words_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_camel_case_placeholders_fire_in_rl105_and_rl101(tmp_path: Path) -> None:
    condition = external_id("YourExternalId")
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=condition))
    assert pairs(findings) == {("RL105", line_of(code, "YourExternalId"))}
    # Behind "*", a placeholder limits no one.
    code, findings = lint(tmp_path, allow({"AWS": "*"}, Condition=external_id("MyExternalId")))
    assert pairs(findings) == {("RL101", line_of(code, '"AWS": "*"'))}


@pytest.mark.parametrize("value", ["test-external-id", "CHANGEME", "123456789", "password1234"])
def test_rl105_long_placeholders_fire_as_placeholders(tmp_path: Path, value: str) -> None:
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=external_id(value)))
    assert pairs(findings) == {("RL105", line_of(code, value))}
    assert "placeholder" in findings[0].message


def test_rl105_length_threshold(tmp_path: Path) -> None:
    short, enough = "k3x9q7z2w"[: MIN_LENGTH - 1], "k3x9q7z2w"[:MIN_LENGTH]
    code, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=external_id(short)))
    assert pairs(findings) == {("RL105", line_of(code, short))}
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=external_id(enough)))
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("a1B2c3D4" * 200, "the value is 1600 characters long"),  # extid_long.json
        ("a1B2c3D4" * 153 + "x", "the value is 1225 characters long"),
        ("k", "the value is 1 character long"),
    ],
    ids=["1600", "1225", "1"],
)
def test_rl105_a_length_sts_refuses_is_reported(
    tmp_path: Path, form: str, value: str, words: str
) -> None:
    """rules/RL105.yaml says a value outside STS's 2 to 1224 characters is reported: a longer
    one was silent (only the characters were checked), a one-character one was only "short
    enough to guess".  No caller can ever send either, so the trust never works."""
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id(value))
    text, findings = lint_trust(form, tmp_path, statement)
    assert pairs(findings) == {("RL105", line_of(text, "sts:ExternalId"))}, describe(findings)
    [finding] = findings
    assert finding.severity is Severity.MEDIUM
    assert finding.message.endswith(
        f"but {words} and STS accepts an ExternalId of 2 to 1224 characters only, so no caller "
        "can ever send it."
    )


@pytest.mark.parametrize("form", FORMS)
def test_rl105_the_longest_external_id_sts_accepts_is_sound(tmp_path: Path, form: str) -> None:
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id("a1B2c3D4" * 153))
    _, findings = lint_trust(form, tmp_path, statement)
    assert findings == []


def test_rl105_one_weak_alternative_is_enough(tmp_path: Path) -> None:
    # Values of one condition are alternatives: "changeme" passes whatever the other is.
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id([SOUND, "changeme"]))
    code, findings = lint(tmp_path, statement)
    assert pairs(findings) == {("RL105", line_of(code, '"changeme"'))}


def test_rl105_one_sound_condition_protects_the_statement(tmp_path: Path) -> None:
    # Conditions are ANDed: the exact value must be sent, whatever the pattern also allows.
    condition = {
        "StringEquals": {"sts:ExternalId": SOUND},
        "StringLike": {"sts:ExternalId": "*"},
    }
    _, findings = lint(tmp_path, allow({"AWS": VENDOR_ROOT}, Condition=condition))
    assert findings == []


def test_rl105_names_a_trusted_third_party(tmp_path: Path) -> None:
    accounts = AccountContext(trusted_accounts=frozenset({VENDOR}))
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id("*", "StringLike"))
    _, findings = lint_declared(tmp_path, accounts, statement)
    [finding] = findings
    assert finding.rule_id == "RL105"
    assert f"trusted third party {VENDOR}" in finding.message


@pytest.mark.parametrize(
    "principal",
    [{"AWS": "arn:aws:iam::${AWS::AccountId}:root"}, {"Service": "firehose.amazonaws.com"}],
    ids=["own-account", "service"],
)
def test_rl105_judges_only_trust_to_outside_accounts(tmp_path: Path, principal: Any) -> None:
    statement = allow(principal, Condition=external_id("changeme"))
    _, findings = lint(tmp_path, statement)
    assert findings == []


def test_rl105_declared_own_account_is_not_judged(tmp_path: Path) -> None:
    accounts = AccountContext(own_accounts=frozenset({VENDOR}))
    statement = allow({"AWS": VENDOR_ROOT}, Condition=external_id("*", "StringLike"))
    _, findings = lint_declared(tmp_path, accounts, statement)
    assert findings == []


def test_rl105_wildcard_principal_is_left_to_rl101(tmp_path: Path) -> None:
    statement = allow({"AWS": "*"}, Condition=external_id("*", "StringLike"))
    _, findings = lint(tmp_path, statement)
    assert [f.rule_id for f in findings] == ["RL101"]


CFN_VENDOR_ROLE = """\
Parameters:
{parameters}
Resources:
  VendorRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
            Condition:
              {operator}:
                sts:ExternalId: {value}
"""


def lint_template(
    tmp_path: Path, parameters: str, value: str, operator: str = "StringEquals"
) -> tuple[int, list[Finding]]:
    """Lint a one-role CloudFormation template; the ExternalId line and the findings."""
    code = CFN_VENDOR_ROLE.format(parameters=parameters, operator=operator, value=value)
    report = lint_paths([str(write(tmp_path / "vendor.yaml", code))])
    assert report.errors == []
    return line_of(code, "sts:ExternalId"), report.findings


def test_rl105_placeholder_default_is_reported(tmp_path: Path) -> None:
    parameters = "  VendorExternalId:\n    Type: String\n    Default: changeme"
    line, findings = lint_template(tmp_path, parameters, "!Ref VendorExternalId")
    assert pairs(findings) == {("RL105", line)}
    assert "'changeme'" in findings[0].message


def test_rl105_placeholder_default_says_it_comes_from_the_default(tmp_path: Path) -> None:
    parameters = "  VendorExternalId:\n    Type: String\n    Default: changeme"
    _, findings = lint_template(tmp_path, parameters, "!Ref VendorExternalId")
    [finding] = findings
    assert "default of parameter VendorExternalId" in finding.message


TF_VENDOR_ROLE = """\
variable "external_id" {
  default = "changeme"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })
}
"""


def test_rl105_placeholder_default_of_a_variable_says_it_comes_from_the_default(
    tmp_path: Path,
) -> None:
    """The CloudFormation message named the parameter whose default it is; the Terraform one
    lost it where the variable's value was placed at its use."""
    report = lint_paths([str(write(tmp_path / "main.tf", TF_VENDOR_ROLE))])
    [finding] = report.findings
    assert (finding.rule_id, finding.location.line) == (
        "RL105",
        line_of(TF_VENDOR_ROLE, "sts:ExternalId"),
    )
    assert "'changeme' (taken from the default of variable external_id)" in finding.message


@pytest.mark.parametrize(
    ("parameters", "value"),
    [
        ("  VendorExternalId:\n    Type: String", "!Ref VendorExternalId"),
        (
            "  VendorExternalId:\n    Type: String\n    AllowedPattern: '[a-z0-9-]{16,64}'",
            "!Ref VendorExternalId",
        ),
        ("  Unused:\n    Type: String", "!Ref AWS::AccountId"),
        ("  Unused:\n    Type: String", "'{{resolve:ssm:/vendors/monitoring/external-id}}'"),
    ],
    ids=["no-default", "constrained", "own-account-id", "dynamic-reference"],
)
def test_rl105_and_rl102_silent_on_values_only_deployment_knows(
    tmp_path: Path, parameters: str, value: str
) -> None:
    _, findings = lint_template(tmp_path, parameters, value)
    assert findings == []


def test_rl105_operator_problem_is_reported_whatever_the_value(tmp_path: Path) -> None:
    # IfExists lets a caller without any ExternalId pass, whatever whoever deploys passes in.
    parameters = "  VendorExternalId:\n    Type: String"
    line, findings = lint_template(
        tmp_path, parameters, "!Ref VendorExternalId", "StringEqualsIfExists"
    )
    assert pairs(findings) == {("RL105", line)}


def test_rl105_weak_alternative_beside_an_unresolved_one(tmp_path: Path) -> None:
    parameters = "  VendorExternalId:\n    Type: String"
    code = CFN_VENDOR_ROLE.format(
        parameters=parameters,
        operator="StringEquals",
        value="\n                  - !Ref VendorExternalId\n                  - changeme",
    )
    report = lint_paths([str(write(tmp_path / "vendor.yaml", code))])
    assert pairs(report.findings) == {("RL105", line_of(code, "- changeme"))}


# --- RL106: one ExternalId for unrelated accounts -------------------------------------------------


def test_rl106_same_value_for_two_accounts_in_one_policy(tmp_path: Path) -> None:
    shared = "shared-a83c5e19d7f2"
    code, findings = lint(
        tmp_path,
        allow({"AWS": VENDOR_ROOT}, Condition=external_id(shared)),
        allow({"AWS": f"arn:aws:iam::{OTHER}:role/log-shipper"}, Condition=external_id(shared)),
    )
    first, second = line_of(code, shared), line_of(code, shared, 2)
    assert pairs(findings) == {("RL106", first), ("RL106", second)}
    by_line = {f.location.line: f for f in findings}
    assert all(f.severity is Severity.MEDIUM for f in findings)
    # Each names its own account and the other place with its account.
    assert f"from account {VENDOR}, and" in by_line[first].message
    assert f"from account {OTHER} at {tmp_path / 'example.json'}:{second}" in (
        by_line[first].message
    )
    assert f"from account {VENDOR} at {tmp_path / 'example.json'}:{first}" in (
        by_line[second].message
    )


def test_rl106_same_account_in_two_roles_is_one_relation(tmp_path: Path) -> None:
    _, findings = lint(
        tmp_path,
        allow({"AWS": VENDOR_ROOT}, Condition=external_id(SOUND)),
        allow({"AWS": f"arn:aws:iam::{VENDOR}:role/collector"}, Condition=external_id(SOUND)),
    )
    assert findings == []


def test_rl106_accounts_listed_together_are_one_relation(tmp_path: Path) -> None:
    # The vendor works from two accounts, listed together; a later role names only one of them.
    second_vendor_account = "444455557777"
    together = {"AWS": [VENDOR_ROOT, f"arn:aws:iam::{second_vendor_account}:root"]}
    alone = {"AWS": f"arn:aws:iam::{second_vendor_account}:role/collector"}
    _, findings = lint(
        tmp_path,
        allow(together, Condition=external_id(SOUND)),
        allow(alone, Condition=external_id(SOUND)),
    )
    assert findings == []
    # A third, unrelated account with the same value: every use is now reported.
    code, findings = lint(
        tmp_path,
        allow(together, Condition=external_id(SOUND)),
        allow(alone, Condition=external_id(SOUND)),
        allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id(SOUND)),
    )
    assert pairs(findings) == {("RL106", line_of(code, SOUND, n)) for n in (1, 2, 3)}


def test_rl106_values_compare_exactly(tmp_path: Path) -> None:
    # StringEquals is case-sensitive: these are two different values.
    _, findings = lint(
        tmp_path,
        allow({"AWS": VENDOR_ROOT}, Condition=external_id("Acme-7f3c9a2e-0b41")),
        allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id("acme-7f3c9a2e-0b41")),
    )
    assert findings == []


def test_rl106_leaves_weak_values_to_rl105(tmp_path: Path) -> None:
    code, findings = lint(
        tmp_path,
        allow({"AWS": VENDOR_ROOT}, Condition=external_id("changeme")),
        allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id("changeme")),
    )
    assert pairs(findings) == {
        ("RL105", line_of(code, "changeme")),
        ("RL105", line_of(code, "changeme", 2)),
    }


def test_rl106_own_accounts_are_not_relations(tmp_path: Path) -> None:
    accounts = AccountContext(own_accounts=frozenset({OTHER}))
    _, findings = lint_declared(
        tmp_path,
        accounts,
        allow({"AWS": VENDOR_ROOT}, Condition=external_id(SOUND)),
        allow({"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=external_id(SOUND)),
    )
    assert findings == []


def _trust_json(account: str, value: str) -> str:
    statement = allow({"AWS": f"arn:aws:iam::{account}:root"}, Condition=external_id(value))
    return policy(statement)


def test_rl106_across_two_json_files(tmp_path: Path) -> None:
    value = "acme-7f3c9a2e-0b41"
    first = write(tmp_path / "monitoring-trust.json", _trust_json(VENDOR, value))
    second = write(tmp_path / "backup-trust.json", _trust_json(OTHER, value))
    report = lint_paths([str(first), str(second)])
    assert report.errors == []
    found = {(Path(f.file).name, f.rule_id) for f in report.findings}
    assert found == {("monitoring-trust.json", "RL106"), ("backup-trust.json", "RL106")}
    line = line_of(first.read_text(), value)
    by_file = {Path(f.file).name: f for f in report.findings}
    assert f"from account {OTHER} at {second}:{line}" in by_file["monitoring-trust.json"].message
    # Each file alone is fine: the finding needs both.
    assert lint_paths([str(first)]).findings == []


def test_rl106_across_cloudformation_terraform_and_json(tmp_path: Path) -> None:
    value = "acme-vendors-6e0f2b71c9"
    template = write(
        tmp_path / "cfn" / "monitoring.yaml",
        CFN_VENDOR_ROLE.format(
            parameters="  Unused:\n    Type: String", operator="StringEquals", value=value
        ),
    )
    write(
        tmp_path / "tf" / "main.tf",
        f"""\
resource "aws_iam_role" "backup" {{
  name = "vendor-backup"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = "arn:aws:iam::{OTHER}:root" }}
      Action    = "sts:AssumeRole"
      Condition = {{ StringEquals = {{ "sts:ExternalId" = "{value}" }} }}
    }}]
  }})
}}
""",
    )
    raw = write(tmp_path / "raw" / "reporting-trust.json", _trust_json("555566667777", value))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    found = sorted((Path(f.file).name, f.rule_id) for f in report.findings)
    assert found == [
        ("main.tf", "RL106"),
        ("monitoring.yaml", "RL106"),
        ("reporting-trust.json", "RL106"),
    ]
    by_file = {Path(f.file).name: f for f in report.findings}
    message = by_file["main.tf"].message
    assert "role aws_iam_role.backup" in message
    assert f"{template}:" in message and "(role VendorRole)" in message
    assert (
        f"{raw}:" in message
        and "account 555566667777" in message
        and f"account {VENDOR}" in (message)
    )


def test_rl106_names_at_most_three_other_places(tmp_path: Path) -> None:
    accounts = ["100000000001", "100000000002", "100000000003", "100000000004", "100000000005"]
    statements = [
        allow({"AWS": f"arn:aws:iam::{account}:root"}, Condition=external_id(SOUND))
        for account in accounts
    ]
    _, findings = lint(tmp_path, *statements)
    assert [f.rule_id for f in findings] == ["RL106"] * 5
    assert all("and 1 more place." in f.message for f in findings)


def test_rl106_fingerprints_do_not_depend_on_the_other_places(tmp_path: Path) -> None:
    value = "acme-7f3c9a2e-0b41"
    first = write(tmp_path / "a" / "trust.json", _trust_json(VENDOR, value))
    second = write(tmp_path / "b" / "trust.json", _trust_json(OTHER, value))
    third = write(tmp_path / "c" / "trust.json", _trust_json("555566667777", value))
    two = lint_paths([str(first), str(second)]).findings
    three = lint_paths([str(first), str(second), str(third)]).findings
    fingerprints = {f.file: f.fingerprint for f in three}
    assert all(fingerprints[f.file] == f.fingerprint for f in two)
