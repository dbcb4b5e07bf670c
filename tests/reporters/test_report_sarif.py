"""The SARIF reporter: valid against the official OASIS 2.1.0 schema; what code scanning reads."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rolelint.catalog import load_catalog
from rolelint.findings import EXTERNAL, InputError, Report, Severity, Suppression
from rolelint.reporters import RenderOptions, render
from rolelint.reporters.sarif import SECURITY_SEVERITY
from rolelint.source import Span
from tests.conftest import run_rolelint
from tests.reporters.samples import (
    APP,
    POLICY,
    admin_finding,
    ci_sample_report,
    finding,
    outside_chain_finding,
    sample_report,
    sample_rules,
)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
OPTIONS = RenderOptions(version="9.9.9")
SRCROOT = "%SRCROOT%"


@pytest.fixture(scope="module")
def schema() -> Any:
    document = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert document["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    return document


@pytest.fixture(scope="module")
def validator(schema: Any) -> Any:
    # The official schema is written in JSON Schema draft-04.
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _sarif(report: Report, rules: Any = None) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render("sarif", report, rules or sample_rules(), OPTIONS))
    return log


def _results(report: Report) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = _sarif(report)["runs"][0]["results"]
    return results


def test_sample_validates(validator: Any) -> None:
    validator.validate(_sarif(sample_report()))


def test_empty_report_with_the_real_catalog_validates(validator: Any) -> None:
    log = _sarif(Report(), load_catalog())
    validator.validate(log)
    assert log["runs"][0]["results"] == []


def test_the_schema_rejects_a_broken_log(validator: Any) -> None:
    log = _sarif(sample_report())
    log["runs"][0]["results"][0]["level"] = "critical"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(log)


def test_header_and_driver(schema: Any) -> None:
    log = _sarif(sample_report())
    assert log["$schema"] == schema["id"]
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "rolelint"
    assert driver["version"] == "9.9.9"
    assert driver["informationUri"] == "https://github.com/rolelint/rolelint"


def test_every_catalog_rule_in_id_order() -> None:
    rules = _sarif(Report())["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["RL101", "RL202", "RL401", "RL602"]
    trust = rules[0]
    assert trust["name"] == "trust-policy-allows-anyone"
    assert trust["shortDescription"] == {"text": "Summary of trust-policy-allows-anyone."}
    assert trust["fullDescription"] == {"text": "Why trust-policy-allows-anyone matters."}
    assert trust["helpUri"] == "https://docs.example.com/trust-policy-allows-anyone/0"
    for part in ("Summary of", "Why trust", "How to fix trust", "/trust-policy-allows-anyone/1"):
        assert part in trust["help"]["text"]
        assert part in trust["help"]["markdown"]
    assert trust["defaultConfiguration"] == {"level": "error"}
    assert trust["properties"] == {
        "security-severity": "9.5",
        "tags": ["security", "trust-wildcard"],
        "precision": "high",
    }
    assert "helpUri" not in rules[1]  # RL202 has no reference


@pytest.mark.parametrize(
    ("severity", "level", "score"),
    [
        (Severity.CRITICAL, "error", "9.5"),
        (Severity.HIGH, "error", "8.0"),
        (Severity.MEDIUM, "warning", "5.5"),
        (Severity.LOW, "note", "3.0"),
        (Severity.INFO, "note", "1.0"),
    ],
)
def test_levels_and_security_severity(severity: Severity, level: str, score: str) -> None:
    (result,) = _results(Report(findings=[finding(severity=severity)]))
    assert result["level"] == level
    assert result["properties"]["severity"] == severity.value
    rules = {r.id: r for r in sample_rules().values()}
    rules["RL101"] = type(rules["RL101"])(**{**_fields(rules["RL101"]), "severity": severity})
    descriptor = _sarif(Report(), rules)["runs"][0]["tool"]["driver"]["rules"][0]
    assert descriptor["defaultConfiguration"]["level"] == level
    assert descriptor["properties"]["security-severity"] == score


def _fields(rule: Any) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in rule.__dataclass_fields__}


def _descriptor_of(log: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The rule descriptor a result cites, checked to be the one its ruleId names."""
    descriptor: dict[str, Any] = log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert descriptor["id"] == result["ruleId"]
    return descriptor


def _assert_each_result_ranked_at_its_severity(log: dict[str, Any]) -> None:
    """What code scanning shows: the security-severity and level of the cited descriptor (it
    reads no severity from the result) must be those of the finding."""
    for result in log["runs"][0]["results"]:
        descriptor = _descriptor_of(log, result)
        severity = Severity(result["properties"]["severity"])
        assert descriptor["properties"]["security-severity"] == SECURITY_SEVERITY[severity]
        assert descriptor["defaultConfiguration"]["level"] == result["level"]


def test_a_finding_below_its_rules_severity_cites_a_descriptor_of_its_own(validator: Any) -> None:
    """RL101 is critical; a low RL101 finding (a Principal '*' limited by an organization id
    that comes from a parameter) was shown by code scanning as critical, from RL101's 9.5."""
    report = Report(
        findings=[
            finding(severity=Severity.CRITICAL),
            finding(severity=Severity.LOW, span=Span(20, 1, 20, 4), fingerprint="fp-low"),
        ]
    )
    log = _sarif(report)
    validator.validate(log)
    critical, low = log["runs"][0]["results"]
    assert (critical["ruleId"], low["ruleId"]) == ("RL101", "RL101/low")
    variant = _descriptor_of(log, low)
    assert variant["defaultConfiguration"] == {"level": "note"}
    assert variant["properties"]["security-severity"] == "3.0"
    # The same rule otherwise: its name, descriptions, help and tags.
    base = _descriptor_of(log, critical)
    assert base["properties"]["security-severity"] == "9.5"
    same = ("name", "shortDescription", "fullDescription", "help", "helpUri")
    assert {key: variant[key] for key in same} == {key: base[key] for key in same}
    assert variant["properties"]["tags"] == base["properties"]["tags"]
    _assert_each_result_ranked_at_its_severity(log)


def test_severity_descriptors_only_for_severities_reported_after_their_rule() -> None:
    report = Report(
        findings=[
            finding(severity=Severity.INFO, fingerprint="a"),
            finding(severity=Severity.HIGH, fingerprint="b"),
            finding(severity=Severity.INFO, fingerprint="c"),
            admin_finding(),  # RL202 at its own severity: no second descriptor
        ]
    )
    log = _sarif(report)
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == ["RL101", "RL101/high", "RL101/info", "RL202", "RL401", "RL602"]
    _assert_each_result_ranked_at_its_severity(log)
    shuffled = Report(findings=list(reversed(report.findings)))
    assert render("sarif", shuffled, sample_rules(), OPTIONS) == render(
        "sarif", report, sample_rules(), OPTIONS
    )


def test_a_configured_severity_is_the_rules_own(validator: Any) -> None:
    """``severity: {RL101: low}`` makes every RL101 finding low: the rule itself says low, under
    its plain id, so its alerts stay the same alerts and rank as the team chose."""
    options = RenderOptions(version="9.9.9", severity_overrides={"RL101": Severity.LOW})
    report = Report(findings=[finding(severity=Severity.LOW)])
    log = json.loads(render("sarif", report, sample_rules(), options))
    validator.validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["RL101", "RL202", "RL401", "RL602"]
    assert rules[0]["defaultConfiguration"] == {"level": "note"}
    assert rules[0]["properties"]["security-severity"] == "3.0"
    (result,) = log["runs"][0]["results"]
    assert (result["ruleId"], result["ruleIndex"]) == ("RL101", 0)
    _assert_each_result_ranked_at_its_severity(log)


ORG_ID_FROM_A_PARAMETER = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  OrgId:
    Type: String
Resources:
  R1:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalOrgID: !Ref OrgId
"""


@pytest.mark.parametrize(
    ("config", "rule_id", "severity"),
    [(None, "RL101/low", "low"), ("severity:\n  RL101: medium\n", "RL101", "medium")],
)
def test_check_ranks_each_alert_at_its_findings_severity(
    tmp_path: Path, validator: Any, config: str | None, rule_id: str, severity: str
) -> None:
    """The real command: a check's own lower severity, or the configuration's."""
    (tmp_path / "t.yaml").write_text(ORG_ID_FROM_A_PARAMETER, encoding="utf-8")
    if config is not None:
        (tmp_path / ".rolelint.yaml").write_text(config, encoding="utf-8")
    result = run_rolelint("check", str(tmp_path / "t.yaml"), "--format", "sarif")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    validator.validate(log)
    (trust,) = [r for r in log["runs"][0]["results"] if r["ruleId"].startswith("RL101")]
    assert (trust["ruleId"], trust["properties"]["severity"]) == (rule_id, severity)
    _assert_each_result_ranked_at_its_severity(log)


def test_a_region_ending_at_column_1_ends_on_the_line_before(validator: Any) -> None:
    """SARIF's endLine is the line of the region's last character: a span ending (exclusive)
    at column 1 of line 6 ends on line 5, and with no endColumn runs to the end of it, rather
    than naming a line 6 that a file of 5 lines does not have."""
    report = Report(findings=[finding(span=Span(3, 5, 6, 1))])
    validator.validate(_sarif(report))
    (result,) = _results(report)
    assert result["ruleId"] == "RL101"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 5,
        "endLine": 5,
    }


def test_result_shape() -> None:
    results = _results(sample_report())
    assert [(r["ruleId"], r["ruleIndex"]) for r in results] == [
        ("RL202", 2),
        ("RL101", 0),
        ("RL401", 3),
        ("RL101/info", 1),  # RL101 is critical: an info finding has a descriptor of its own
    ]
    trust = results[1]
    assert trust["message"] == {
        "text": "The trust policy allows any AWS principal ('*') to assume the role"
    }
    (location,) = trust["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
        "region": {"startLine": 12, "startColumn": 18, "endLine": 12, "endColumn": 21},
    }
    assert location["logicalLocations"] == [{"name": "AppRole", "kind": "resource"}]
    assert "codeFlows" not in trust
    assert trust["partialFingerprints"] == {"rolelint/v1": "fp-0001"}
    assert trust["properties"] == {
        "severity": "critical",
        "class": "trust-wildcard",
        "resource": "AppRole",
        "role": "AppRole",
    }
    assert "relatedLocations" not in trust


@pytest.mark.usefixtures("windows_paths")
def test_uri_is_percent_encoded_with_forward_slashes() -> None:
    policy = _results(sample_report())[0]
    uri = policy["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert POLICY == "policies/admin policy.json"
    assert uri == "policies/admin%20policy.json"
    (windows,) = _results(Report(findings=[finding(file="infra\\roles\\a#1.yaml")]))
    assert (
        windows["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "infra/roles/a%231.yaml"
    )
    (dotted,) = _results(Report(findings=[finding(file="./infra/./a.yaml")]))
    assert dotted["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/./a.yaml"


def test_a_name_that_is_not_utf8_is_its_bytes_percent_encoded(validator: Any) -> None:
    """Python reads the byte 0xE9 of a Latin-1 name as the lone surrogate U+DCE9, which UTF-8
    cannot encode: the whole log was lost ("internal error: UnicodeEncodeError")."""
    report = Report(
        findings=[
            finding(file="caf\udce9.json"),
            finding(file="/srv/caf\udce9 au lait.json", fingerprint="b"),
            finding(file="odd\ud800.json", fingerprint="c"),  # not a byte: kept as UTF-8
        ]
    )
    log = _sarif(report)
    validator.validate(log)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert sorted(uris) == [
        "caf%E9.json",
        "file:///srv/caf%E9%20au%20lait.json",
        "odd%ED%A0%80.json",
    ]


def test_logical_locations_name_the_role_when_it_is_another_resource() -> None:
    (result,) = _results(Report(findings=[finding(resource="WebServer", role="WebRole")]))
    assert result["locations"][0]["logicalLocations"] == [
        {"name": "WebServer", "kind": "resource"},
        {"name": "WebRole", "kind": "resource"},
    ]
    (raw,) = _results(Report(findings=[finding(resource="p.json", role=None)]))
    assert raw["locations"][0]["logicalLocations"] == [{"name": "p.json", "kind": "resource"}]


@pytest.mark.usefixtures("posix_paths")
def test_a_backslash_in_a_file_name_is_part_of_the_name(validator: Any) -> None:
    """On Linux ``a\\b.yaml`` is one file: the URI keeps the backslash (percent-encoded, as
    a URI must), rather than naming ``b.yaml`` in a folder ``a`` that is not there."""
    report = Report(findings=[finding(file="r_bs/a\\b.yaml", span=Span(11, 20, 11, 23))])
    validator.validate(_sarif(report))
    (result,) = _results(report)
    assert result["ruleId"] == "RL101"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "r_bs/a%5Cb.yaml", "uriBaseId": SRCROOT},
        "region": {"startLine": 11, "startColumn": 20, "endLine": 11, "endColumn": 23},
    }


@pytest.mark.usefixtures("windows_paths")
def test_absolute_paths_become_file_uris(validator: Any) -> None:
    report = Report(
        findings=[
            finding(file="/srv/infra/app role.yaml"),
            finding(file="C:\\infra\\app.yaml", fingerprint="w"),
        ]
    )
    log = _sarif(report)
    validator.validate(log)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris == ["file:///srv/infra/app%20role.yaml", "file:///C:/infra/app.yaml"]
    # An absolute URI resolves on its own: SARIF forbids a uriBaseId beside it.
    assert all(
        "uriBaseId" not in r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in log["runs"][0]["results"]
    )


def test_code_flow_for_a_chaining_path() -> None:
    chain = _results(sample_report())[2]
    (flow,) = chain["codeFlows"]
    assert flow["message"] == {"text": "CiRole -> AdminRole"}
    (thread,) = flow["threadFlows"]
    assert [step["location"] for step in thread["locations"]] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
                "region": {"startLine": 30},
            },
            "message": {"text": "CiRole"},
        },
        {
            "physicalLocation": {
                "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
                "region": {"startLine": 41},
            },
            "message": {"text": "AdminRole"},
        },
    ]


def test_related_locations_for_a_chaining_path() -> None:
    chain = _results(sample_report())[2]
    assert chain["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
                "region": {"startLine": 30},
            },
            "message": {"text": "CiRole"},
        },
        {
            "id": 2,
            "physicalLocation": {
                "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
                "region": {"startLine": 41},
            },
            "message": {"text": "AdminRole"},
        },
    ]


def test_a_hop_defined_nowhere_has_no_physical_location(validator: Any) -> None:
    """The outside party of a chain had a physical location with the URI "": viewers offered a
    link to no file.  It keeps its name, as the location's message."""
    log = _sarif(Report(findings=[outside_chain_finding()]))
    validator.validate(log)
    [result] = log["runs"][0]["results"]
    outside = {"message": {"text": "codebuild.amazonaws.com"}}
    assert result["relatedLocations"][0] == {"id": 1, **outside}
    assert result["relatedLocations"][1]["physicalLocation"]["region"] == {"startLine": 30}
    [flow] = result["codeFlows"]
    assert flow["threadFlows"][0]["locations"][0] == {"location": outside}
    assert '"uri": ""' not in json.dumps(log)


def test_a_role_trusting_itself_has_its_one_hop_flow(validator: Any) -> None:
    """RL404 is a chaining finding: it had neither relatedLocations nor a code flow."""
    result = run_rolelint("check", "fixtures/rules/RL404/bad.yaml", "--isolated", "-f", "sarif")
    log = json.loads(result.stdout)
    validator.validate(log)
    [chain] = log["runs"][0]["results"]
    assert chain["ruleId"] == "RL404"
    itself = {
        "physicalLocation": {
            "artifactLocation": {"uri": "fixtures/rules/RL404/bad.yaml", "uriBaseId": SRCROOT},
            "region": {"startLine": 3},
        },
        "message": {"text": "PollerRole"},
    }
    assert chain["relatedLocations"] == [{"id": 1, **itself}, {"id": 2, **itself}]
    [flow] = chain["codeFlows"]
    assert flow["message"] == {"text": "PollerRole -> PollerRole"}
    assert [step["location"] for step in flow["threadFlows"][0]["locations"]] == [itself, itself]


def test_successful_invocation() -> None:
    (invocation,) = _sarif(Report(findings=[finding()]))["runs"][0]["invocations"]
    assert invocation == {"executionSuccessful": True}


def test_errors_become_notifications(validator: Any) -> None:
    report = Report(
        errors=[
            InputError("b.yaml", "mapping values are not allowed here", 3, 7),
            InputError("a b.json", "not UTF-8 text", 2),
            InputError("a.json", "binary file, not a template or policy"),
        ]
    )
    log = _sarif(report)
    validator.validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": "not UTF-8 text"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "a%20b.json", "uriBaseId": SRCROOT},
                        "region": {"startLine": 2},
                    }
                }
            ],
        },
        {
            "level": "error",
            "message": {"text": "binary file, not a template or policy"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": "a.json", "uriBaseId": SRCROOT}}}
            ],
        },
        {
            "level": "error",
            "message": {"text": "mapping values are not allowed here"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "b.yaml", "uriBaseId": SRCROOT},
                        "region": {"startLine": 3, "startColumn": 7},
                    }
                }
            ],
        },
    ]


def test_deterministic() -> None:
    first = render("sarif", sample_report(), sample_rules(), OPTIONS)
    shuffled = sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    assert render("sarif", shuffled, sample_rules(), OPTIONS) == first
    assert first.endswith("}\n")


def test_bundled_examples_validate_and_show_every_rule_class(validator: Any) -> None:
    """What a user uploads to code scanning after the README's first command."""
    from rolelint.api import lint_paths
    from rolelint.catalog import RULE_CLASSES
    from tests.conftest import REPO

    report = lint_paths([str(REPO / "fixtures" / "examples")])
    assert report.errors == []
    log = json.loads(render("sarif", report, load_catalog(), OPTIONS))
    validator.validate(log)
    results = log["runs"][0]["results"]
    assert {result["properties"]["class"] for result in results} == set(RULE_CLASSES)
    assert all(
        result["locations"][0]["physicalLocation"]["region"]["startLine"] > 1 for result in results
    )
    _assert_each_result_ranked_at_its_severity(log)


def _artifact_locations(node: Any) -> list[dict[str, Any]]:
    """Every artifactLocation anywhere in the log (results, hops, notifications, suppressions)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "artifactLocation":
                found.append(value)
            else:
                found += _artifact_locations(value)
    elif isinstance(node, list):
        for item in node:
            found += _artifact_locations(item)
    return found


def test_automation_details_give_rolelint_its_own_category(validator: Any) -> None:
    log = _sarif(sample_report())
    validator.validate(log)
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "rolelint/"}
    # Code scanning reads the id as "category/run-id": everything before the last slash.
    category, _, run_id = run["automationDetails"]["id"].rpartition("/")
    assert (category, run_id) == ("rolelint", "")


def test_relative_uris_are_relative_to_srcroot_which_the_run_declares(validator: Any) -> None:
    report = ci_sample_report()
    report.findings.append(finding(file="/srv/infra/abs.yaml", fingerprint="abs"))
    log = _sarif(report)
    validator.validate(log)
    run = log["runs"][0]
    locations = _artifact_locations(run["results"]) + _artifact_locations(run["invocations"])
    relative = [loc for loc in locations if not loc["uri"].startswith("file:")]
    absolute = [loc for loc in locations if loc["uri"].startswith("file:")]
    assert len(relative) > 10
    assert absolute == [{"uri": "file:///srv/infra/abs.yaml"}]
    assert all(loc["uriBaseId"] == SRCROOT for loc in relative)
    # The base is declared, without an absolute URI: none that is the same on every machine
    # exists, and SARIF lets a producer leave it out (the output stays byte-identical).
    assert set(run["originalUriBaseIds"]) == {SRCROOT}
    declared = run["originalUriBaseIds"][SRCROOT]
    assert "uri" not in declared
    assert declared["description"]["text"]


def test_suppressed_findings_carry_sarif_suppressions(validator: Any) -> None:
    log = _sarif(ci_sample_report())
    validator.validate(log)
    results = {r["partialFingerprints"]["rolelint/v1"]: r for r in log["runs"][0]["results"]}
    assert results["fp-0005"]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "the deploy role assumes a role in every account; approved in SEC-42",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": APP, "uriBaseId": SRCROOT},
                    "region": {"startLine": 60, "startColumn": 5, "endLine": 60, "endColumn": 62},
                }
            },
        }
    ]
    assert results["fp-0006"]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "in the baseline",
            "properties": {"expires": "2027-01-31"},
        }
    ]
    # A suppressed result keeps its rule, level and location: viewers list it as suppressed.
    assert results["fp-0005"]["ruleId"] == "RL207"
    assert results["fp-0005"]["level"] == "error"
    active = [r for key, r in results.items() if key not in ("fp-0005", "fp-0006")]
    assert len(active) == 4
    assert all("suppressions" not in result for result in active)


def test_results_of_one_fingerprint_get_partial_fingerprints_of_their_own(validator: Any) -> None:
    """The same risk twice in one resource (two identical statements) has one fingerprint, which
    the baseline counts; SARIF gave both results that one ``partialFingerprints``, "the unique
    identity of the result", so a result manager took them for one.  As in the GitLab report,
    repeats now get one derived from it, in report order, and the first keeps it (its alert
    stays the one it was).  A suppressed result is a result too."""
    accepted = Suppression(EXTERNAL, "in the baseline")
    same = [
        finding(span=Span(40, 18, 40, 21), fingerprint="shared", message="m40"),
        finding(span=Span(12, 18, 12, 21), fingerprint="shared", message="m12"),
        finding(span=Span(30, 18, 30, 21), fingerprint="shared", suppression=accepted),
    ]
    report = Report(findings=[*same, finding(fingerprint="other")])
    log = _sarif(report)
    validator.validate(log)
    results = log["runs"][0]["results"]
    fingerprints = [r["partialFingerprints"]["rolelint/v1"] for r in results]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
    assert lines == [1, 12, 30, 40]
    assert fingerprints[:2] == ["other", "shared"]
    assert len(set(fingerprints)) == 4
    assert all(len(fp) == 32 and fp != "shared" for fp in fingerprints[2:])
    assert "suppressions" in results[2]
    # Derived as GitLab derives them: while no suppressed result comes first, one active
    # finding is one issue and one result (see the test below for when one does).
    gitlab = json.loads(render("gitlab", report, sample_rules(), OPTIONS))
    shown = {issue["location"]["lines"]["begin"]: issue["fingerprint"] for issue in gitlab}
    assert (shown[1], shown[12]) == (fingerprints[0], fingerprints[1])
    assert [r["partialFingerprints"]["rolelint/v1"] for r in _results(report)] == fingerprints


def test_a_suppressed_first_repeat_is_counted_by_sarif_and_not_by_gitlab() -> None:
    """SARIF numbers repeats over every result, a suppressed one too (it is a result of the
    log, and its alert keeps its identity); GitLab leaves suppressed findings out, so it
    numbers the active ones alone.  When the first of two is suppressed, the active one keeps
    the original in GitLab and gets a derived one in SARIF: the docs say so rather than claim
    identical fingerprints."""
    accepted = Suppression(EXTERNAL, "reviewed")
    report = Report(
        findings=[
            finding(span=Span(20, 18, 20, 21), fingerprint="shared", suppression=accepted),
            finding(span=Span(23, 18, 23, 21), fingerprint="shared"),
        ]
    )
    sarif = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["partialFingerprints"][
            "rolelint/v1"
        ]
        for r in _results(report)
    }
    gitlab = json.loads(render("gitlab", report, sample_rules(), OPTIONS))
    assert [issue["location"]["lines"]["begin"] for issue in gitlab] == [23]
    assert sarif[20] == gitlab[0]["fingerprint"] == "shared"
    assert sarif[23] != "shared"


def test_the_result_a_baseline_recorded_keeps_the_fingerprint_of_its_repeats() -> None:
    """The first result of a fingerprint kept it, so a repeat written above the one a baseline
    recorded took the recorded one's identity (its alert, and whatever was decided about it),
    and the recorded one got a derived one, as if it were new.  The recorded one keeps it now;
    the others are numbered in report order as before."""
    recorded = Suppression(EXTERNAL, "in the baseline b.json", recorded=True)
    new_above = finding(span=Span(19, 25, 19, 30), fingerprint="shared")
    old = finding(span=Span(22, 25, 22, 30), fingerprint="shared", suppression=recorded)
    new_below = finding(span=Span(25, 25, 25, 30), fingerprint="shared")
    report = Report(findings=[new_above, old, new_below])
    by_line = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["partialFingerprints"][
            "rolelint/v1"
        ]
        for r in _results(report)
    }
    assert by_line[22] == "shared"
    # The others get the repeats the second and third result get when none is recorded.
    plain = _results(Report(findings=[new_above, replace(old, suppression=None), new_below]))
    first, second, third = (r["partialFingerprints"]["rolelint/v1"] for r in plain)
    assert first == "shared"
    assert (by_line[19], by_line[25]) == (second, third)
    # Suppressed otherwise (a comment, a per-path ignore), nothing says which came first.
    unrecorded = Suppression(EXTERNAL, "reviewed")
    report = Report(
        findings=[
            new_above,
            finding(span=Span(22, 25, 22, 30), fingerprint="shared", suppression=unrecorded),
        ]
    )
    assert _results(report)[0]["partialFingerprints"]["rolelint/v1"] == "shared"


def test_the_first_of_repeated_results_keeps_the_fingerprint_the_baseline_records(
    tmp_path: Path, validator: Any
) -> None:
    """End to end: the JSON report and the baseline keep the finding's own fingerprint for both
    (the baseline counts two), and both are accepted by it; SARIF's first result keeps it."""
    statement = '{"Effect": "Allow", "Action": "*", "Resource": "*"}'
    (tmp_path / "dup.json").write_text(
        f'{{"Version": "2012-10-17", "Statement": [\n{statement},\n{statement}]}}\n'
    )
    sarif = run_rolelint("check", "dup.json", "--no-cache", "-f", "sarif", cwd=tmp_path)
    log = json.loads(sarif.stdout)
    validator.validate(log)
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "RL201"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [2, 3]
    first, second = (r["partialFingerprints"]["rolelint/v1"] for r in results)
    assert first != second
    report = json.loads(run_rolelint("check", "dup.json", "-f", "json", cwd=tmp_path).stdout)
    raw = [f["fingerprint"] for f in report["findings"] if f["rule_id"] == "RL201"]
    assert raw == [first, first]
    recorded = run_rolelint("check", "dup.json", "--write-baseline", "b.json", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    baselined = run_rolelint(
        "check", "dup.json", "--baseline", "b.json", "-f", "sarif", cwd=tmp_path
    )
    again = [
        r for r in json.loads(baselined.stdout)["runs"][0]["results"] if r["ruleId"] == "RL201"
    ]
    assert [r["partialFingerprints"]["rolelint/v1"] for r in again] == [first, second]
    assert all(r["suppressions"][0]["kind"] == "external" for r in again)


def test_the_schema_rejects_an_unknown_suppression_kind(validator: Any) -> None:
    log = _sarif(ci_sample_report())
    suppressed = next(r for r in log["runs"][0]["results"] if "suppressions" in r)
    suppressed["suppressions"][0]["kind"] = "baseline"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(log)


def test_no_fixes_are_offered() -> None:
    """rolelint cannot know the right principal or action: a fix it made up would mislead."""
    text = render("sarif", ci_sample_report(), sample_rules(), OPTIONS)
    assert '"fixes"' not in text


def test_a_dot_segment_with_doubled_slashes_stays_relative() -> None:
    """ ".//a.yaml" names the relative "a.yaml": stripping "./" alone made it "/a.yaml", an
    absolute file:///a.yaml that no checkout holds."""
    from rolelint.reporters.common import repo_path
    from rolelint.reporters.sarif import artifact_uri

    assert [repo_path(p) for p in (".//a.yaml", "././/./a.yaml", "/a.yaml")] == [
        "a.yaml",
        "a.yaml",
        "/a.yaml",
    ]
    assert artifact_uri(".//x/a.yaml") == "x/a.yaml"


def test_more_results_than_code_scanning_accepts_are_kept_and_warned_of() -> None:
    """GitHub code scanning rejects a SARIF run of more than 25,000 results (and shows at most
    5,000): the log keeps every result, and the warning says why an upload will fail."""
    from rolelint.reporters.sarif import GITHUB_MAX_RESULTS, upload_warning

    at_the_limit = Report(findings=[finding()] * GITHUB_MAX_RESULTS)
    assert upload_warning(at_the_limit) is None
    over = Report(findings=[*at_the_limit.findings, finding(fingerprint="x")])
    warning = upload_warning(over)
    assert warning is not None
    assert "25,001 results" in warning and "more than 25,000" in warning and "5,000" in warning
    assert "--select" in warning
    results = _results(over)
    assert len(results) == GITHUB_MAX_RESULTS + 1
    assert {result["ruleId"] for result in results} == {"RL101"}


def test_check_warns_on_standard_error_and_keeps_its_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real command, with the limit lowered to 1: two findings, a warning naming the limit,
    both results written, exit code 1 (findings) as without the warning."""
    from click.testing import CliRunner

    from rolelint import cli
    from rolelint.reporters import sarif

    monkeypatch.setattr(sarif, "GITHUB_MAX_RESULTS", 1)
    (tmp_path / "t.yaml").write_text(ORG_ID_FROM_A_PARAMETER, encoding="utf-8")
    (tmp_path / "u.yaml").write_text(ORG_ID_FROM_A_PARAMETER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli.main, ["check", ".", "--no-cache", "-f", "sarif:out.sarif", "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "warning: the SARIF report has 2 results; GitHub code scanning rejects a SARIF run of "
        "more than 1 results (and shows at most the 5,000 most severe): report fewer rules "
        "with --select or --ignore, or scan parts of the repository separately, each uploaded "
        "under its own category (see docs/formats.md, sarif)\n"
    )
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in log["runs"][0]["results"]
    ] == [
        ("RL101/low", "t.yaml"),
        ("RL101/low", "u.yaml"),
    ]


SUPPRESSED_IN_SOURCE = """\
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: "*"  # rolelint:ignore RL101 demo role, reviewed in SEC-7
            Action: sts:AssumeRole
"""


def test_an_in_source_suppression_is_located_at_its_line(tmp_path: Path, validator: Any) -> None:
    """A comment is known by its line: the suppression's location is that line, not an empty
    region (an insertion point) before its first character."""
    (tmp_path / "s.yaml").write_text(SUPPRESSED_IN_SOURCE, encoding="utf-8")
    result = run_rolelint("check", "s.yaml", "--no-cache", "-f", "sarif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    validator.validate(log)
    (trust,) = log["runs"][0]["results"]
    assert trust["ruleId"] == "RL101"
    assert trust["locations"][0]["physicalLocation"]["region"]["startLine"] == 10
    (suppression,) = trust["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["location"] == {
        "physicalLocation": {
            "artifactLocation": {"uri": "s.yaml", "uriBaseId": SRCROOT},
            "region": {"startLine": 10},
        }
    }
