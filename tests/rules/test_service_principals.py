"""Service principals (RL109, RL110) and principals IAM cannot read (RL111)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolelint.api import lint_paths
from rolelint.engine import Selection
from rolelint.findings import Finding, Severity
from rolelint.service_principals import DATA, canonical, catalog, data_version, diagnose
from tests.rules.forms import FORMS, lint_trust
from tests.rules.harness import describe, findings_of, line_of, policy

ASSUME = "sts:AssumeRole"


def allow(principal: Any, action: Any = ASSUME, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


def lint(tmp_path: Path, *statements: dict[str, Any]) -> tuple[str, list[Finding]]:
    code = policy(*statements)
    return code, findings_of(code, "json", tmp_path)


def of(rule_id: str, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def cloudformation(principal_yaml: str, condition_yaml: str = "") -> str:
    """A template with one role trusting ``principal_yaml`` (the lines under Principal)."""
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\n'
        "Parameters:\n"
        "  Prefix:\n"
        "    Type: String\n"
        "Resources:\n"
        "  WorkerRole:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal:\n"
        f"{principal_yaml}"
        "            Action: sts:AssumeRole\n"
        f"{condition_yaml}"
    )


# --- the data -------------------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def test_data_is_dated_sorted_and_unique() -> None:
    raw = _raw()
    assert data_version() == f"{len(raw['services'])} names, retrieved {raw['retrieved']}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw["retrieved"])
    assert raw["source"].startswith("https://docs.aws.amazon.com/")
    names = raw["services"]
    assert names == sorted(names)
    assert len(names) == len(set(names))
    domains = tuple(f".{domain}" for domain in raw["partition_suffixes"].values())
    odd = [name for name in names if not name.endswith(domains)]
    assert odd == ["alexa-appkit.amazon.com", "alexa-connectedhome.amazon.com"]
    assert all(name == name.strip().lower() for name in names)


@pytest.mark.parametrize(
    "name",
    [
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "ecs.amazonaws.com",
        "eks.amazonaws.com",
        "eks-fargate-pods.amazonaws.com",
        "states.amazonaws.com",
        "events.amazonaws.com",
        "scheduler.amazonaws.com",
        "codebuild.amazonaws.com",
        "codepipeline.amazonaws.com",
        "codedeploy.amazonaws.com",
        "cloudformation.amazonaws.com",
        "glue.amazonaws.com",
        "sagemaker.amazonaws.com",
        "datapipeline.amazonaws.com",
        "elasticmapreduce.amazonaws.com",
        "batch.amazonaws.com",
        "apigateway.amazonaws.com",
        "sns.amazonaws.com",
        "sqs.amazonaws.com",
        "s3.amazonaws.com",
        "logs.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "firehose.amazonaws.com",
        "kinesisanalytics.amazonaws.com",
        "monitoring.amazonaws.com",
        "monitoring.rds.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "backup.amazonaws.com",
        "dms.amazonaws.com",
        "rds.amazonaws.com",
        "redshift.amazonaws.com",
        "ssm.amazonaws.com",
        "edgelambda.amazonaws.com",
        "appsync.amazonaws.com",
        "cognito-idp.amazonaws.com",
        "iot.amazonaws.com",
        "transfer.amazonaws.com",
        "datasync.amazonaws.com",
        "bedrock.amazonaws.com",
    ],
)
def test_common_trust_principals_are_known(name: str) -> None:
    assert canonical(name) == name
    assert diagnose(name) is None


def test_every_vetted_service_is_known_and_cites_an_aws_page() -> None:
    raw = _raw()
    for name, entry in raw["source_conditions"].items():
        assert name in raw["services"], name
        assert entry["url"].startswith("https://docs.aws.amazon.com/"), name
        assert set(entry["keys"]) <= {"aws:SourceAccount", "aws:SourceArn"}, name
        assert entry["keys"], name


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("ec2.amazonaws.com.cn", "ec2.amazonaws.com"),  # China
        ("states.cn-north-1.amazonaws.com.cn", "states.amazonaws.com"),
        ("ec2.c2s.ic.gov", "ec2.amazonaws.com"),  # an isolated partition
        ("amplify.me-south-1.amazonaws.com", "amplify.amazonaws.com"),  # opt-in Region form
        ("logs.us-gov-west-1.amazonaws.com", "logs.amazonaws.com"),
        ("logs.${AWS::Region}.amazonaws.com", "logs.amazonaws.com"),
        ("alexa-appkit.amazon.com", "alexa-appkit.amazon.com"),
    ],
)
def test_partitions_and_regional_forms_designate_the_service(name: str, meant: str) -> None:
    assert canonical(name) == meant
    assert diagnose(name) is None


@pytest.mark.parametrize(
    "name", ["ec2.not-a-region.amazonaws.com", "lambda.amazon.com", "ec2", "ec2.amazonaws"]
)
def test_near_misses_are_not_known(name: str) -> None:
    assert canonical(name) is None


def test_every_service_principal_of_the_real_corpus_is_known(corpus: Path) -> None:
    report = lint_paths([str(corpus)], Selection(select=["RL109"]))
    assert report.findings == [], describe(report.findings)


# --- RL109 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("lamda.amazonaws.com", "lambda.amazonaws.com"),
        ("ecs-task.amazonaws.com", "ecs-tasks.amazonaws.com"),
        ("stats.amazonaws.com", "states.amazonaws.com"),
        ("codepipline.amazonaws.com", "codepipeline.amazonaws.com"),
        ("cloudfromation.amazonaws.com", "cloudformation.amazonaws.com"),
        ("ec2", "ec2.amazonaws.com"),  # domain missing
        ("ec2.amazonaws", "ec2.amazonaws.com"),
        ("ec2.amazon.com", "ec2.amazonaws.com"),  # wrong domain
        ("monitoring.rds.amazon.com", "monitoring.rds.amazonaws.com"),
        ("lambda.amazonaws.org", "lambda.amazonaws.com"),
        ("ec2.amazonaws.com.amazonaws.com", "ec2.amazonaws.com"),  # domain doubled
        ("ec2.amazonaws.com.com", "ec2.amazonaws.com"),
        ("ecs-tasks.amazonaws.com ", "ecs-tasks.amazonaws.com"),  # whitespace
        # A line break after the Region: re.match with '$' took the name for a known one.
        ("states.us-east-1\n.amazonaws.com", "states.us-east-1.amazonaws.com"),
        ("lamda.amazonaws.com.cn", "lambda.amazonaws.com.cn"),  # the partition is kept
    ],
)
def test_rl109_typo_is_medium_with_the_name_meant(tmp_path: Path, written: str, meant: str) -> None:
    code, findings = lint(tmp_path, allow({"Service": written}))
    [finding] = of("RL109", findings)
    assert finding.severity is Severity.MEDIUM
    assert finding.location.line == line_of(code, '"Service"')
    assert f"did you mean '{meant}'" in finding.message
    assert "can ever assume the role" in finding.message
    assert "Invalid principal" in finding.message


def test_rl109_a_trailing_dot_is_named(tmp_path: Path) -> None:
    """It said "service principals end in .amazonaws.com, not .amazonaws.com"."""
    code, findings = lint(tmp_path, allow({"Service": "ec2.amazonaws.com."}))
    [finding] = of("RL109", findings)
    assert finding.location.line == line_of(code, '"Service"')
    assert "(a service principal ends in .amazonaws.com, with no dot after it)" in finding.message
    assert "did you mean 'ec2.amazonaws.com'" in finding.message


def test_rl109_upper_case_suggests_the_documented_spelling(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow({"Service": "EC2.amazonaws.com"}))
    [finding] = of("RL109", findings)
    assert finding.severity is Severity.MEDIUM
    assert "lower case" in finding.message
    assert "Did you mean 'ec2.amazonaws.com'" in finding.message


@pytest.mark.parametrize("written", ["*", "*.amazonaws.com", "ec2.amazonaws.*"])
def test_rl109_a_pattern_is_not_a_service(tmp_path: Path, written: str) -> None:
    _, findings = lint(tmp_path, allow({"Service": written}))
    [finding] = of("RL109", findings)
    assert finding.severity is Severity.MEDIUM
    # Nothing to suggest: a sentence ends there (it read "... pattern): As written").
    assert "(a service principal cannot be a pattern). As written, no AWS service" in (
        finding.message
    )


@pytest.mark.parametrize(
    "written",
    ["reportgen.amazonaws.com", "quantum-ledger.amazonaws.com", "NewService.amazonaws.com"],
)
def test_rl109_unknown_and_not_close_is_only_information(tmp_path: Path, written: str) -> None:
    _, findings = lint(tmp_path, allow({"Service": written}))
    [finding] = of("RL109", findings)
    assert finding.severity is Severity.INFO
    assert f"list of {len(catalog().names)} AWS service principals" in finding.message
    assert f"dated {catalog().retrieved}" in finding.message
    assert "did you mean" not in finding.message.lower()


def test_rl109_each_principal_of_a_list_is_judged_at_its_own_line(tmp_path: Path) -> None:
    code, findings = lint(
        tmp_path, allow({"Service": ["lambda.amazonaws.com", "lamda.amazonaws.com"]})
    )
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL109", line_of(code, "lamda.amazonaws.com"))
    ]


def test_rl109_not_principal_and_deny_are_judged_too(tmp_path: Path) -> None:
    deny = {
        "Effect": "Deny",
        "NotPrincipal": {"Service": "cloudtrial.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::audit-logs/*",
    }
    code = policy(deny)
    findings = findings_of(code, "json", tmp_path)
    [finding] = of("RL109", findings)
    assert "did you mean 'cloudtrail.amazonaws.com'" in finding.message


def test_rl109_resource_policy_message_speaks_of_the_statement(tmp_path: Path) -> None:
    bucket_policy = {
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazon.com"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::access-logs/*",
    }
    _, findings = lint(tmp_path, bucket_policy)
    [finding] = of("RL109", findings)
    assert "did you mean 'logging.s3.amazonaws.com'" in finding.message
    assert "never applies to an AWS service" in finding.message


@pytest.mark.parametrize(
    "principal_yaml",
    [
        "              Service: !Sub ec2.${AWS::URLSuffix}\n",
        "              Service: !Sub logs.${AWS::Region}.amazonaws.com\n",
        "              Service: !Sub ${Prefix}.amazonaws.com\n",  # unresolved: never judged
        '              Service: !Join [".", [!Ref Prefix, !Ref AWS::URLSuffix]]\n',
        (
            "              Service:\n"
            "                - ecs.amazonaws.com\n"
            "                - lambda.amazonaws.com\n"
        ),
    ],
    ids=["url-suffix", "regional", "unresolved-sub", "unresolved-join", "list"],
)
def test_rl109_cloudformation_forms_that_stay_silent(tmp_path: Path, principal_yaml: str) -> None:
    findings = findings_of(cloudformation(principal_yaml), "yaml", tmp_path)
    assert of("RL109", findings) == [], describe(findings)


def test_rl109_url_suffix_with_a_typo_still_fires(tmp_path: Path) -> None:
    code = cloudformation("              Service: !Sub lamda.${AWS::URLSuffix}\n")
    findings = findings_of(code, "yaml", tmp_path)
    [finding] = of("RL109", findings)
    assert finding.location.line == line_of(code, "lamda")
    assert "did you mean 'lambda.amazonaws.com'" in finding.message


@pytest.mark.parametrize(
    ("identifier", "fires"),
    [
        ('"ec2.${data.aws_partition.current.dns_suffix}"', False),
        ('"logs.${data.aws_region.current.name}.amazonaws.com"', False),
        ('"${var.service}.amazonaws.com"', False),
        ('"lamda.${data.aws_partition.current.dns_suffix}"', True),
    ],
)
def test_rl109_terraform_interpolations(tmp_path: Path, identifier: str, fires: bool) -> None:
    code = (
        'data "aws_partition" "current" {}\n'
        'data "aws_region" "current" {}\n'
        'variable "service" { type = string }\n'
        'data "aws_iam_policy_document" "trust" {\n'
        "  statement {\n"
        '    actions = ["sts:AssumeRole"]\n'
        "    principals {\n"
        '      type        = "Service"\n'
        f"      identifiers = [{identifier}]\n"
        "    }\n"
        "  }\n"
        "}\n"
        'resource "aws_iam_role" "worker" {\n'
        '  name               = "worker"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
        "}\n"
    )
    (tmp_path / "main.tf").write_text(code, encoding="utf-8")
    report = lint_paths([str(tmp_path)], Selection(select=["RL109"]))
    assert report.errors == []
    assert [f.location.line for f in report.findings] == ([9] if fires else [])


def _named_in(operator: str, *names: str, key: str = "aws:PrincipalServiceName") -> dict[str, Any]:
    return allow("*", Condition={operator: {key: list(names) if len(names) > 1 else names[0]}})


def test_rl109_a_service_name_a_condition_tests_is_judged_as_a_principal(tmp_path: Path) -> None:
    """``"*"`` under ``StringEquals aws:PrincipalServiceName: lamda.amazonaws.com`` admits no
    service at all (no service principal has that name), as ``Principal: {Service:
    lamda.amazonaws.com}`` admits none, which RL109 reports: the condition form got nothing.
    Reported at the value, with the name meant; IAM does not check a condition's values, so
    no deployment failure is foretold."""
    code, findings = lint(tmp_path, _named_in("StringEquals", "lamda.amazonaws.com"))
    [finding] = of("RL109", findings)
    assert finding.severity is Severity.MEDIUM
    assert finding.location.line == line_of(code, "lamda.amazonaws.com")
    assert (
        "names service principal 'lamda.amazonaws.com' in StringEquals aws:PrincipalServiceName, "
        "which is not an AWS service principal: did you mean 'lambda.amazonaws.com'? As written, "
        "no AWS service's request carries that name, so the test never matches the service meant"
    ) in finding.message
    assert "MalformedPolicyDocument" not in finding.message


@pytest.mark.parametrize(
    ("statement", "severity"),
    [
        (_named_in("StringEquals", "ec2.amazon.com"), Severity.MEDIUM),
        (_named_in("StringLike", "lamda.amazonaws.com"), Severity.MEDIUM),  # no wildcard: a name
        (_named_in("StringEquals", "Glue.amazonaws.com"), Severity.MEDIUM),  # case matters here
        (_named_in("StringEquals", "reportgen.amazonaws.com"), Severity.INFO),  # close to nothing
        (
            _named_in(
                "ForAnyValue:StringEquals",
                "lamda.amazonaws.com",
                key="aws:PrincipalServiceNamesList",
            ),
            Severity.MEDIUM,
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": ASSUME,
                "Condition": {
                    "StringNotEquals": {"aws:PrincipalServiceName": "stats.amazonaws.com"}
                },
            },
            Severity.MEDIUM,
        ),
    ],
)
def test_rl109_each_form_of_a_service_name_test(
    tmp_path: Path, statement: dict[str, Any], severity: Severity
) -> None:
    _, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}), statement)
    [finding] = of("RL109", findings)
    assert finding.severity is severity, describe(findings)


@pytest.mark.parametrize(
    "statement",
    [
        _named_in("StringEquals", "states.amazonaws.com"),
        _named_in("StringLike", "lamda.*"),  # a pattern is what StringLike takes
        _named_in("StringEqualsIgnoreCase", "States.amazonaws.com"),  # case does not matter
        _named_in("StringEquals", "states.amazonaws.com", key="aws:SourceArn"),  # another key
    ],
)
def test_rl109_a_known_name_or_a_pattern_in_a_condition_is_fine(
    tmp_path: Path, statement: dict[str, Any]
) -> None:
    _, findings = lint(tmp_path, statement)
    assert of("RL109", findings) == [], describe(findings)


@pytest.mark.parametrize(
    "statement",
    [
        _named_in("StringEquals", "", "states.amazonaws.com"),
        _named_in("StringLike", " ", "states.amazonaws.com"),
        _named_in(
            "ForAnyValue:StringEquals",
            "",
            "ecs-tasks.amazonaws.com",
            key="aws:PrincipalServiceNamesList",
        ),
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": ASSUME,
            "Condition": {
                "StringNotEquals": {"aws:PrincipalServiceName": ["", "lamda.amazonaws.com"]}
            },
        },
    ],
    ids=["equals", "like-blank", "names-list", "deny-negated"],
)
def test_rl109_an_empty_service_name_beside_others_is_no_unknown_service(
    tmp_path: Path, statement: dict[str, Any]
) -> None:
    """An empty value names no service: no request holds it, so beside other names it admits
    no one and they decide (alone it is RL611's, as an empty Service principal is RL111's).
    RL109 said '' is not in its list of service principals (info), as of a name mistyped; it
    now says nothing of it, and judges the names beside it as before."""
    code, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}), statement)
    found = [(f.location.line, f.message) for f in of("RL109", findings)]
    assert not any("''" in message or "' '" in message for _, message in found), found
    mistyped = "lamda.amazonaws.com" in code
    assert [line for line, _ in found] == (
        [line_of(code, "lamda.amazonaws.com")] if mistyped else []
    )


# --- RL110 ----------------------------------------------------------------------------------------

VETTED = sorted(catalog().conditions)


@pytest.mark.parametrize("service", VETTED)
def test_rl110_each_vetted_service_without_a_source_condition(tmp_path: Path, service: str) -> None:
    code, findings = lint(tmp_path, allow({"Service": service}))
    [finding] = of("RL110", findings)
    assert finding.severity is Severity.LOW
    assert finding.location.line == line_of(code, service)
    assert catalog().conditions[service].url in finding.message
    assert "confused deputy" in finding.message


@pytest.mark.parametrize("service", VETTED)
def test_rl110_each_vetted_service_with_its_account_is_silent(tmp_path: Path, service: str) -> None:
    condition = {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    _, findings = lint(tmp_path, allow({"Service": service}, Condition=condition))
    assert of("RL110", findings) == []


@pytest.mark.parametrize(
    "service",
    [
        "lambda.amazonaws.com",  # a plain Lambda execution role
        "ec2.amazonaws.com",
        "codebuild.amazonaws.com",
        "glue.amazonaws.com",
        "rds.amazonaws.com",  # shared with Neptune and DocumentDB: not vetted
        "reportgen.amazonaws.com",
    ],
)
def test_rl110_services_outside_the_vetted_list_are_never_reported(
    tmp_path: Path, service: str
) -> None:
    _, findings = lint(tmp_path, allow({"Service": service}))
    assert of("RL110", findings) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceAccount": "111122223333"}},
        {"StringEquals": {"AWS:SourceAccount": "111122223333"}},  # keys ignore case
        {"ArnLike": {"aws:SourceArn": "arn:aws:states:eu-west-1:111122223333:stateMachine:*"}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:states:eu-west-1:111122223333:stateMachine:x"}},
        {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}},
        {
            "ForAnyValue:StringLike": {
                "aws:SourceOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
            }
        },
    ],
    ids=["account", "account-case", "arn-like", "arn-equals", "org-id", "org-paths"],
)
def test_rl110_effective_source_conditions(tmp_path: Path, condition: Any) -> None:
    _, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}, Condition=condition))
    assert of("RL110", findings) == []


@pytest.mark.parametrize(
    ("condition", "named"),
    [
        ({"StringLike": {"aws:SourceAccount": "*"}}, "matches every value"),
        ({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, "IfExists"),
        ({"StringNotEquals": {"aws:SourceAccount": "444455556666"}}, "excludes the values"),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:states:*:*:stateMachine:*"}}, "any account"),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, "not the source"),
    ],
    ids=["like-star", "if-exists", "negation", "any-account-arn", "principal-org"],
)
def test_rl110_weak_or_other_conditions_do_not_count(
    tmp_path: Path, condition: Any, named: str
) -> None:
    _, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}, Condition=condition))
    [finding] = of("RL110", findings)
    if named != "not the source":  # a condition on another key is not described as weak
        assert named in finding.message


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("arn:aws:states:us-east-1:*:stateMachine:*", "matches resources of any account"),
        (
            "arn:aws:states:us-east-1:11112222333?:stateMachine:*",
            "matches resources of more than one account (its account field '11112222333?' is "
            "a pattern)",
        ),
    ],
    ids=["any-account", "ten-accounts"],
)
def test_rl110_says_a_source_arn_pattern_matches_resources(
    tmp_path: Path, form: str, pattern: str, words: str
) -> None:
    """sourcearn.json: aws:SourceArn is the ARN of the state machine the service acts for, yet
    the weak pattern was said to match "principals of any account"."""
    condition = {"ArnLike": {"aws:SourceArn": pattern}}
    statement = allow({"Service": "states.amazonaws.com"}, Condition=condition)
    text, findings = lint_trust(form, tmp_path, statement)
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL110", Severity.LOW)
    assert finding.location.line == line_of(text, "states.amazonaws.com")
    assert (
        f"(ArnLike aws:SourceArn at line {line_of(text, 'aws:SourceArn')} is weak "
        f"('{pattern}' {words}))" in finding.message
    )


@pytest.mark.parametrize("operator", ["StringNotEquals", "StringNotEqualsIfExists"])
def test_rl110_a_deny_refusing_other_accounts_scopes_the_trust(
    tmp_path: Path, operator: str
) -> None:
    # IfExists adds nothing to a negated operator, true for a request without the key.
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ASSUME,
        "Condition": {operator: {"aws:SourceAccount": "111122223333"}},
    }
    _, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}), deny)
    assert of("RL110", findings) == []


def test_rl110_reports_each_vetted_principal_of_a_statement(tmp_path: Path) -> None:
    statement = allow(
        {"Service": ["states.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]}
    )
    code, findings = lint(tmp_path, statement)
    assert sorted(f.location.line for f in of("RL110", findings)) == [
        line_of(code, "states.amazonaws.com"),
        line_of(code, "scheduler.amazonaws.com"),
    ]


@pytest.mark.parametrize(
    "service",
    ["states.us-east-1.amazonaws.com", "states.amazonaws.com.cn", "scheduler.amazonaws.com"],
)
def test_rl110_partition_and_regional_forms_of_vetted_services(
    tmp_path: Path, service: str
) -> None:
    _, findings = lint(tmp_path, allow({"Service": service}))
    assert len(of("RL110", findings)) == 1


def test_rl110_unresolved_condition_values_never_produce_a_finding(tmp_path: Path) -> None:
    code = cloudformation(
        "              Service: states.amazonaws.com\n",
        "            Condition:\n"
        "              StringEquals:\n"
        "                aws:SourceAccount: !Ref Prefix\n",
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert of("RL110", findings) == [], describe(findings)
    # Nor beside a literal: the condition is as good as the value passed (this one was RL110).
    mixed = code.replace("!Ref Prefix", "['111122223333', !Ref Prefix]")
    findings = findings_of(mixed, "yaml", tmp_path)
    assert of("RL110", findings) == [], describe(findings)


def test_rl110_a_deny_on_a_value_whoever_deploys_decides_is_no_finding(tmp_path: Path) -> None:
    """A Deny of everyone whose source account is not a parameter without a default may be
    the limit, as the same test on the Allow is (silent above): it was RL110."""
    code = cloudformation(
        "              Service: states.amazonaws.com\n",
        "          - Effect: Deny\n"
        '            Principal: "*"\n'
        "            Action: sts:AssumeRole\n"
        "            Condition:\n"
        "              StringNotEquals:\n"
        "                aws:SourceAccount: !Ref Prefix\n",
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert of("RL110", findings) == [], describe(findings)
    # An operator that lets callers through whatever the value is no such limit.
    loose = code.replace("StringNotEquals:", "ForAnyValue:StringNotEquals:")
    [finding] = of("RL110", findings_of(loose, "yaml", tmp_path))
    assert finding.location.line == line_of(loose, "states.amazonaws.com")


def test_rl110_a_service_a_deny_refuses_is_no_deputy(tmp_path: Path) -> None:
    """An unconditional Deny of the service (or of everyone) wins over the Allow: the service
    can never use the role, and the graph draws no arrow from it.  RL110 still reported it."""
    states = {"Service": "states.amazonaws.com"}
    for denied in (states, "*"):
        deny = {"Effect": "Deny", "Principal": denied, "Action": ASSUME}
        _, findings = lint(tmp_path, allow(states), deny)
        assert of("RL110", findings) == [], denied
    # Another service the Deny does not name stays reported.
    both = {"Service": ["states.amazonaws.com", "scheduler.amazonaws.com"]}
    deny = {"Effect": "Deny", "Principal": states, "Action": ASSUME}
    code, findings = lint(tmp_path, allow(both), deny)
    assert [f.location.line for f in of("RL110", findings)] == [
        line_of(code, "scheduler.amazonaws.com")
    ]


def test_rl110_a_source_arn_without_account_is_no_confused_deputy(tmp_path: Path) -> None:
    """'arn:aws:s3:::*' admits every account's buckets (RL101 calls it weak), but the source
    ARN Step Functions sets names its account and never matches: nothing to report."""
    condition = {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}
    _, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}, Condition=condition))
    assert of("RL110", findings) == []
    # A negation admits what it does not name: still reported.
    condition = {"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::*"}}
    code, findings = lint(tmp_path, allow({"Service": "states.amazonaws.com"}, Condition=condition))
    assert [f.location.line for f in of("RL110", findings)] == [
        line_of(code, "states.amazonaws.com")
    ]


def test_rl110_this_account_counts_as_a_concrete_value(tmp_path: Path) -> None:
    code = cloudformation(
        "              Service: states.amazonaws.com\n",
        "            Condition:\n"
        "              StringEquals:\n"
        "                aws:SourceAccount: !Ref AWS::AccountId\n",
    )
    assert of("RL110", findings_of(code, "yaml", tmp_path)) == []


def test_rl110_ignores_deny_and_statements_without_assume_role(tmp_path: Path) -> None:
    deny = {"Effect": "Deny", "Principal": {"Service": "states.amazonaws.com"}, "Action": ASSUME}
    tag = allow({"Service": "states.amazonaws.com"}, action="sts:TagSession")
    _, findings = lint(tmp_path, deny, tag)
    assert of("RL110", findings) == []


def test_rl110_narrower_documentation_is_said_in_the_message(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow({"Service": "bedrock.amazonaws.com"}))
    [finding] = of("RL110", findings)
    assert "model customization or model import job" in finding.message


def test_rl110_never_advises_for_ecs_tasks(tmp_path: Path) -> None:
    # Task execution roles trust the same principal and their documentation names no source
    # condition: advice that might break them is never given.
    _, findings = lint(tmp_path, allow({"Service": "ecs-tasks.amazonaws.com"}))
    assert of("RL110", findings) == []


# "*" scoped to services by a condition: aws:PrincipalServiceName holds the name of the service
# principal making the request, and is present only when a service principal calls;
# aws:PrincipalIsAWSService is true exactly then (IAM User Guide, global condition keys).  A
# service assuming a role it was given calls sts:AssumeRole as its service principal, as the
# Principal Service form requires.


def _anyone_but(condition: dict[str, Any], principal: Any = "*") -> dict[str, Any]:
    return allow(principal, Condition=condition)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}], ids=["star", "aws-star"])
def test_rl110_anyone_limited_to_a_vetted_service_by_its_name(
    tmp_path: Path, form: str, principal: Any
) -> None:
    """``"*"`` under ``StringEquals aws:PrincipalServiceName: states.amazonaws.com`` admits what
    ``Principal: {Service: states.amazonaws.com}`` admits, which RL110 reports low without a
    source condition: this form got nothing (RL101 takes the condition as a limit, and RL110 read
    only Service principals).  Reported where the condition names the service."""
    condition = {"StringEquals": {"aws:PrincipalServiceName": "states.amazonaws.com"}}
    text, findings = lint_trust(form, tmp_path, _anyone_but(condition, principal))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL110", Severity.LOW), describe(findings)
    assert finding.location.line == line_of(text, "states.amazonaws.com")
    assert (
        "lets states.amazonaws.com ('*' limited by StringEquals aws:PrincipalServiceName) "
        "assume the role with no effective aws:SourceAccount or aws:SourceArn condition"
    ) in finding.message
    assert catalog().conditions["states.amazonaws.com"].url in finding.message


def test_rl110_anyone_limited_to_services_by_name_as_the_written_services(tmp_path: Path) -> None:
    """As for the services written as principals: a source condition scopes the trust, a
    service outside the vetted list is never reported, each vetted one is, at its name, and a
    Deny refusing the service leaves it out.  A name rolelint cannot read as one service (a
    pattern) is not judged."""
    name = "aws:PrincipalServiceName"
    source = {"aws:SourceAccount": "111122223333"}
    both = {"StringEquals": {name: "states.amazonaws.com", **source}}
    _, findings = lint(tmp_path, _anyone_but(both))
    assert findings == [], describe(findings)
    _, findings = lint(tmp_path, _anyone_but({"StringEquals": {name: "ec2.amazonaws.com"}}))
    assert findings == [], describe(findings)
    listed = ["states.amazonaws.com", "ec2.amazonaws.com", "scheduler.amazonaws.com"]
    code, findings = lint(tmp_path, _anyone_but({"StringEquals": {name: listed}}))
    assert sorted((f.rule_id, f.location.line) for f in findings) == [
        ("RL110", line_of(code, "states.amazonaws.com")),
        ("RL110", line_of(code, "scheduler.amazonaws.com")),
    ]
    deny = {"Effect": "Deny", "Principal": {"Service": "states.amazonaws.com"}, "Action": ASSUME}
    single = _anyone_but({"StringEquals": {name: "states.amazonaws.com"}})
    _, findings = lint(tmp_path, single, deny)
    assert findings == [], describe(findings)
    _, findings = lint(tmp_path, _anyone_but({"StringLike": {name: "states.*"}}))
    assert of("RL110", findings) == [], describe(findings)


@pytest.mark.parametrize("pattern", ["*", "*.amazonaws.com", "*amazonaws.com*"])
def test_rl110_anyone_limited_by_a_service_name_pattern_every_service_matches(
    tmp_path: Path, pattern: str
) -> None:
    """``StringLike aws:PrincipalServiceName`` with a pattern every service principal's name
    matches admits what ``Bool aws:PrincipalIsAWSService: "true"`` admits: every AWS service,
    acting for any account.  ``*.amazonaws.com`` was a limit and RL110 skipped patterns
    (nothing reported); ``*`` was RL101 critical, "allows anyone".  Both are now RL110 at the
    pattern, as the every-service form is; a source condition scopes it."""
    name = "aws:PrincipalServiceName"
    code, findings = lint(tmp_path, _anyone_but({"StringLike": {name: pattern}}))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL110", Severity.LOW), describe(findings)
    assert finding.location.line == line_of(code, f'"{name}": "{pattern}"')
    assert (
        f"lets every AWS service ('*' limited by StringLike aws:PrincipalServiceName "
        f"'{pattern}') assume the role with no effective aws:SourceAccount or aws:SourceArn "
        "condition"
    ) in finding.message
    scoped = {"StringLike": {name: pattern}, "StringEquals": {"aws:SourceAccount": "111122223333"}}
    _, findings = lint(tmp_path, _anyone_but(scoped))
    assert findings == [], describe(findings)


def test_rl110_a_service_name_pattern_some_services_match_is_not_judged(tmp_path: Path) -> None:
    """A pattern some services match and others do not (a service's regional names) admits
    services rolelint cannot list: neither RL110 nor RL101 (only services pass it)."""
    for pattern in ("states.*", "s*.amazonaws.com"):
        _, findings = lint(
            tmp_path, _anyone_but({"StringLike": {"aws:PrincipalServiceName": pattern}})
        )
        assert findings == [], describe(findings)


@pytest.mark.parametrize("form", FORMS)
def test_rl110_a_pattern_beside_a_list_of_names_keeps_the_names_it_matches(
    tmp_path: Path, form: str
) -> None:
    """``StringEquals [scheduler.amazonaws.com, states.amazonaws.com]`` beside ``StringLike
    states.*``: the key holds one name, which must pass both, so only Step Functions can call.
    The pattern, which some services match, made the pin unknown ("anyone (scoped)", no
    RL110); the pin keeps the listed names the pattern matches: states, RL110 at its name."""
    name = "aws:PrincipalServiceName"
    condition = {
        "StringEquals": {name: ["scheduler.amazonaws.com", "states.amazonaws.com"]},
        "StringLike": {name: "states.*"},
    }
    text, findings = lint_trust(form, tmp_path, _anyone_but(condition))
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL110", line_of(text, "states.amazonaws.com"))
    ], describe(findings)
    assert "lets states.amazonaws.com ('*' limited by StringEquals" in findings[0].message
    # A pattern matching both keeps both.
    both = {**condition, "StringLike": {name: "s*.amazonaws.com"}}
    (tmp_path / "both").mkdir()
    text, findings = lint_trust(form, tmp_path / "both", _anyone_but(both))
    assert sorted((f.rule_id, f.location.line) for f in findings) == sorted(
        [
            ("RL110", line_of(text, "scheduler.amazonaws.com")),
            ("RL110", line_of(text, "states.amazonaws.com")),
        ]
    ), describe(findings)


def test_rl101_is_silent_on_a_service_names_list_and_an_unresolved_service_name(
    tmp_path: Path,
) -> None:
    """``ForAnyValue:StringEquals aws:PrincipalServiceNamesList`` admits the service whose
    principal names include the one listed (IAM User Guide, global condition keys): it was
    "does not name who may call", RL101 critical.  A service name whoever deploys chooses
    admits service principals only, whatever it is: it was RL101 low, "allows anyone"."""
    names = {"ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "states.amazonaws.com"}}
    _, findings = lint(tmp_path, _anyone_but(names))
    assert of("RL101", findings) == [], describe(findings)
    chosen = {"StringEquals": {"aws:PrincipalServiceName": {"Ref": "Service"}}}
    text = (
        "Parameters:\n  Service:\n    Type: String\nResources:\n  R:\n"
        "    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        f"        {json.dumps({'Version': '2012-10-17', 'Statement': [_anyone_but(chosen)]})}\n"
    )
    (tmp_path / "chosen.yaml").write_text(text)
    findings = lint_paths([str(tmp_path / "chosen.yaml")]).findings
    assert of("RL101", findings) == [], describe(findings)


def test_rl110_anyone_limited_to_every_aws_service(tmp_path: Path) -> None:
    """``"*"`` under ``Bool aws:PrincipalIsAWSService: "true"`` admits every AWS service, acting
    for any account: RL101 takes it as a limit, and nothing reported that any service resource
    given the role's ARN can use it.  RL110 says so at the condition; a source condition
    scopes it, and a service name beside it is judged as that service."""
    condition = {"Bool": {"aws:PrincipalIsAWSService": "true"}}
    code, findings = lint(tmp_path, _anyone_but(condition))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL110", Severity.LOW), describe(findings)
    assert finding.location.line == line_of(code, "aws:PrincipalIsAWSService")
    assert (
        "lets every AWS service ('*' limited by Bool aws:PrincipalIsAWSService) assume the role "
        "with no effective aws:SourceAccount or aws:SourceArn condition"
    ) in finding.message
    assert "in any account" in finding.message
    scoped = {**condition, "StringEquals": {"aws:SourceAccount": "111122223333"}}
    _, findings = lint(tmp_path, _anyone_but(scoped))
    assert findings == [], describe(findings)
    named = {**condition, "StringEquals": {"aws:PrincipalServiceName": "ec2.amazonaws.com"}}
    _, findings = lint(tmp_path, _anyone_but(named))
    assert findings == [], describe(findings)
    # BoolIfExists passes a caller without the key, anyone: RL101's, not this.
    loose = {"BoolIfExists": {"aws:PrincipalIsAWSService": "true"}}
    _, findings = lint(tmp_path, _anyone_but(loose))
    assert [f.rule_id for f in findings] == ["RL101"], describe(findings)


# --- RL111 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "said"),
    [
        ("44445555666", "has 11 digits instead of 12"),
        ("4444555566667", "has 13 digits instead of 12"),
        ("arn:aws:iam::44445555666:root", "has 11 digits instead of 12"),
        ("arn:aws:iam::4444-5555-6666:role/deployer", "is not a 12-digit account id"),
        ("ci-deployer", "named by its ARN (arn:aws:iam::<account>:role/ci-deployer)"),
        ("arn:aws:s3:::build-artifacts", "an ARN of s3"),
        ("arn:aws:iam::444455556666:group/auditors", "IAM group cannot be a principal"),
        ("arn:aws:iam::444455556666:policy/Deploy", "'policy' is not a principal"),
        ("arn:aws:sts::444455556666:role/deployer", "'role' is not a principal"),
        ("arn:aws:iam::444455556666:role/", "role name after 'role/' is missing"),
        ("arn:aws:iam:444455556666:root", "not a complete ARN"),
        ("ec2.amazonaws.com", "write it under Service"),
        ("arn:aws:iam::444455556666:role/deploy-*", "part of a principal"),
        ("arn:amazon:iam::444455556666:root", "not an AWS partition"),
        (" 444455556666", "spaces around it"),
        # A trailing line break: re.match with '$' took it for an account id.
        ("444455556666\n", "a line break around it"),
        ("arn:aws:iam::444455556666\n:root", "is not a 12-digit account id"),
    ],
)
def test_rl111_malformed_aws_principals(tmp_path: Path, principal: str, said: str) -> None:
    condition = {"StringEquals": {"sts:ExternalId": "deploy-7f3c"}}
    code, findings = lint(tmp_path, allow({"AWS": principal}, Condition=condition))
    [finding] = of("RL111", findings)
    assert finding.severity is Severity.MEDIUM
    assert finding.location.line == line_of(code, '"AWS"')
    assert said in finding.message
    assert "Invalid principal" in finding.message


@pytest.mark.parametrize("unique_id", ["AROAQXAMPLEQXAMPLE1234", "AIDAQXAMPLEQXAMPLE5678"])
def test_rl111_unique_ids_are_information_about_a_deleted_principal(
    tmp_path: Path, unique_id: str
) -> None:
    _, findings = lint(tmp_path, allow({"AWS": unique_id}))
    [finding] = of("RL111", findings)
    assert finding.severity is Severity.INFO
    assert "deleted" in finding.message


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        "444455556666",
        "arn:aws:iam::444455556666:root",
        "arn:aws:iam::444455556666:role/service-role/deployer",
        "arn:aws:iam::444455556666:user/alice",
        "arn:aws:sts::444455556666:assumed-role/deployer/session",
        "arn:aws:sts::444455556666:federated-user/bob",
        "arn:aws-cn:iam::444455556666:root",
        "arn:aws-us-gov:iam::444455556666:role/deployer",
        "arn:aws:iam::*:root",  # any account: RL101's concern, not malformed
        "arn:aws:iam::${AWS::AccountId}:role/deployer",
    ],
)
def test_rl111_well_formed_aws_principals(tmp_path: Path, principal: str) -> None:
    condition = {"StringEquals": {"sts:ExternalId": "deploy-7f3c"}}
    _, findings = lint(tmp_path, allow({"AWS": principal}, Condition=condition))
    assert of("RL111", findings) == []


def test_rl111_symbolic_account_with_a_wrong_resource_still_fires(tmp_path: Path) -> None:
    code = cloudformation(
        "              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:group/admins\n"
    )
    [finding] = of("RL111", findings_of(code, "yaml", tmp_path))
    assert "IAM group" in finding.message


def test_rl111_unresolved_principals_never_fire(tmp_path: Path) -> None:
    code = cloudformation(
        "              AWS:\n"
        "                - !Ref Prefix\n"
        "                - !Sub arn:aws:iam::${Prefix}:root\n"
    )
    assert of("RL111", findings_of(code, "yaml", tmp_path)) == []


@pytest.mark.parametrize(
    ("principal", "said"),
    [
        ("github-actions", "neither an identity provider ARN nor a provider host"),
        ("arn:aws:iam::111122223333:role/github", "not an identity provider ARN"),
        # A provider ARN with no provider after the slash gave nothing at all.
        ("arn:aws:iam::111122223333:oidc-provider/", "name after 'oidc-provider/' is missing"),
        ("arn:aws:iam::111122223333:saml-provider/", "name after 'saml-provider/' is missing"),
    ],
)
def test_rl111_malformed_federated_principals(tmp_path: Path, principal: str, said: str) -> None:
    statement = allow({"Federated": principal}, action="sts:AssumeRoleWithWebIdentity")
    code, findings = lint(tmp_path, statement)
    [finding] = of("RL111", findings)
    assert finding.location.line == line_of(code, '"Federated"')
    assert said in finding.message


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        "arn:aws:iam::111122223333:saml-provider/CorpIdP",
        "accounts.google.com",
        "cognito-identity.amazonaws.com",
        "www.amazon.com",
    ],
)
def test_rl111_well_formed_federated_principals(tmp_path: Path, principal: str) -> None:
    statement = allow({"Federated": principal}, action="sts:AssumeRoleWithWebIdentity")
    _, findings = lint(tmp_path, statement)
    assert of("RL111", findings) == []


@pytest.mark.parametrize(
    ("denied", "reported"),
    [
        (["states.amazonaws.com", "events.amazonaws.com"], False),
        (["states.amazonaws.com"], True),  # events.amazonaws.com is not refused
    ],
)
def test_a_deny_for_the_same_services_on_the_source_account_scopes_them(
    tmp_path: Path, denied: list[str], reported: bool
) -> None:
    """The Deny names the Allow's services instead of '*', and refuses any other source
    account: the mirror of the condition RL110 asks for (it was reported)."""
    services = ["states.amazonaws.com", "events.amazonaws.com"]
    code = policy(
        {"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"},
        {
            "Effect": "Deny",
            "Principal": {"Service": denied},
            "Action": "sts:AssumeRole",
            "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}},
        },
    )
    found = [f.rule_id for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL110"]
    assert bool(found) is reported


def _export(path: str, service: str, version: str = "2012-10-17") -> str:
    """An account export (get-account-authorization-details) of one role."""
    role = {
        "Path": path,
        "RoleName": "AWSServiceRoleForConfig",
        "Arn": f"arn:aws:iam::111122223333:role{path}AWSServiceRoleForConfig",
        "AssumeRolePolicyDocument": {
            "Version": version,
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": ASSUME}],
        },
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
        "InstanceProfileList": [],
    }
    return json.dumps({"RoleDetailList": [role]}, indent=2)


@pytest.mark.parametrize(
    "service", ["config.amazonaws.com", "reports.aws.com"], ids=["rl110", "rl109"]
)
def test_service_linked_roles_are_not_judged(tmp_path: Path, service: str) -> None:
    """AWS writes a service-linked role's trust policy and nobody can modify it: RL110 (and
    RL109 on AWS's own principal names) reported dozens per account export."""
    code = _export("/aws-service-role/config.amazonaws.com/", service)
    assert findings_of(code, "json", tmp_path) == []
    # The same trust policy on a role of another path is the user's to fix.
    code = _export("/service-role/", service)
    other = tmp_path / "other"
    other.mkdir()
    found = findings_of(code, "json", other)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL110" if service.startswith("config") else "RL109", line_of(code, service))
    ]


def test_service_linked_trust_policy_grammar_is_not_judged(tmp_path: Path) -> None:
    """Nor the grammar of its text (RL602 on an old Version, say): AWS's, as a managed
    policy's is."""
    code = _export("/aws-service-role/config.amazonaws.com/", "config.amazonaws.com", "2008-10-17")
    assert findings_of(code, "json", tmp_path) == []


def test_rl110_one_finding_for_the_regional_names_a_map_chooses_per_deployment(
    tmp_path: Path,
) -> None:
    """CDK writes a regional service principal as ``Fn::FindInMap`` by region: 27 findings at
    one place, one per region, for one trust lacking one condition (and a role's risk ten
    times that of the same role written with ``states.amazonaws.com``)."""
    regions = ("us-east-1", "eu-west-1", "ap-south-1")
    entries = "".join(f"    {r}: {{states: states.{r}.amazonaws.com}}\n" for r in regions)
    template = tmp_path / "sfn.yaml"
    template.write_text(
        "Mappings:\n  ServiceprincipalMap:\n"
        + entries
        + cloudformation(
            '              Service: !FindInMap [ServiceprincipalMap, !Ref "AWS::Region", states]\n'
        ).replace("Parameters:\n  Prefix:\n    Type: String\n", "")
    )
    findings = of("RL110", lint_paths([str(template)]).findings)
    assert [f.location.line for f in findings] == [line_of(template.read_text(), "!FindInMap")]
    assert "states.ap-south-1.amazonaws.com and 2 other names of AWS Step Functions here" in (
        findings[0].message
    )


def test_rl110_two_services_a_condition_chooses_between_are_each_reported(
    tmp_path: Path,
) -> None:
    template = tmp_path / "choice.yaml"
    template.write_text(
        cloudformation(
            "              Service:\n"
            "                !If [Scheduled, scheduler.amazonaws.com, states.amazonaws.com]\n"
        ).replace(
            "Resources:\n",
            "Conditions:\n  Scheduled: !Equals [!Ref Prefix, x]\nResources:\n",
        )
    )
    findings = of("RL110", lint_paths([str(template)]).findings)
    assert sorted(f.message.split(" lets ")[1].split(" ")[0] for f in findings) == [
        "scheduler.amazonaws.com",
        "states.amazonaws.com",
    ]


def test_rl110_a_list_one_parameter_gives_is_one_finding_claiming_no_choice(
    tmp_path: Path,
) -> None:
    """Every deployment trusts each name of a CommaDelimitedList: the message said '(one per
    deployment)' of them, and '1 other names'."""
    template = tmp_path / "list.yaml"
    template.write_text(
        cloudformation("              Service: !Ref Services\n").replace(
            "  Prefix:\n    Type: String\n",
            "  Services:\n    Type: CommaDelimitedList\n"
            '    Default: "states.us-east-1.amazonaws.com,states.us-west-2.amazonaws.com"\n',
        )
    )
    findings = of("RL110", lint_paths([str(template)]).findings)
    assert [f.location.line for f in findings] == [line_of(template.read_text(), "!Ref Services")]
    assert "states.us-east-1.amazonaws.com and 1 other name of AWS Step Functions here assume" in (
        findings[0].message
    )
    assert "per deployment" not in findings[0].message


@pytest.mark.parametrize("form", FORMS)
def test_rl110_a_names_list_test_names_its_service(tmp_path: Path, form: str) -> None:
    """``ForAnyValue:StringEquals aws:PrincipalServiceNamesList`` admits the service among
    whose names the value is, as ``aws:PrincipalServiceName`` does: RL110 said nothing of
    states.amazonaws.com so named, with no source condition; it is now judged at the value."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": {
            "ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "states.amazonaws.com"}
        },
    }
    text, findings = lint_trust(form, tmp_path, trust)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL110", line_of(text, '"states.amazonaws.com"' if form == "json" else "states."))
    ]
    assert (
        "lets states.amazonaws.com ('*' limited by ForAnyValue:StringEquals" in findings[0].message
    )


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("operator", "value"),
    [("StringEquals", "states.amazonaws.com"), ("StringLike", "*")],
    ids=["a-service", "every-service"],
)
def test_rl110_a_names_list_test_is_fingerprinted_by_its_key(
    tmp_path: Path, form: str, operator: str, value: str
) -> None:
    """RL110 keyed a ``"*"`` limited by ``ForAnyValue:... aws:PrincipalServiceNamesList`` as if
    ``aws:PrincipalServiceName`` limited it: the findings of a trust with both tests shared one
    fingerprint (one alert, one baseline entry) though each is at its own value.  The names
    list's finding is keyed by the names list now; the name's keeps its fingerprint."""

    def star(key: str, prefix: str = "") -> dict[str, Any]:
        return {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "sts:AssumeRole",
            "Condition": {f"{prefix}{operator}": {key: value}},
        }

    named = star("aws:PrincipalServiceName")
    listed = star("aws:PrincipalServiceNamesList", "ForAnyValue:")
    _, alone = lint_trust(form, tmp_path, named)
    [name_only] = [f for f in alone if f.rule_id == "RL110"]
    for written in tmp_path.iterdir():  # the same file, rewritten
        if written.is_dir():
            shutil.rmtree(written)
        else:
            written.unlink()
    _, both = lint_trust(form, tmp_path, named, listed)
    found = [f for f in both if f.rule_id == "RL110"]
    assert len(found) == 2, [(f.rule_id, f.message) for f in both]
    assert len({f.fingerprint for f in found}) == 2
    first = min(found, key=lambda f: f.location.line)  # the name's statement is written first
    assert first.fingerprint == name_only.fingerprint
