"""The SARIF reporter: valid against the official OASIS 2.1.0 schema; what code scanning reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rolelint.catalog import load_catalog
from rolelint.findings import InputError, Report, Severity
from rolelint.reporters import RenderOptions, render
from tests.reporters.samples import APP, POLICY, finding, sample_report, sample_rules

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
OPTIONS = RenderOptions(version="9.9.9")


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


def test_result_shape() -> None:
    results = _results(sample_report())
    assert [(r["ruleId"], r["ruleIndex"]) for r in results] == [
        ("RL202", 1),
        ("RL101", 0),
        ("RL401", 2),
        ("RL101", 0),
    ]
    trust = results[1]
    assert trust["message"] == {
        "text": "The trust policy allows any AWS principal ('*') to assume the role"
    }
    (location,) = trust["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": APP},
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


def test_logical_locations_name_the_role_when_it_is_another_resource() -> None:
    (result,) = _results(Report(findings=[finding(resource="WebServer", role="WebRole")]))
    assert result["locations"][0]["logicalLocations"] == [
        {"name": "WebServer", "kind": "resource"},
        {"name": "WebRole", "kind": "resource"},
    ]
    (raw,) = _results(Report(findings=[finding(resource="p.json", role=None)]))
    assert raw["locations"][0]["logicalLocations"] == [{"name": "p.json", "kind": "resource"}]


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


def test_code_flow_for_a_chaining_path() -> None:
    chain = _results(sample_report())[2]
    (flow,) = chain["codeFlows"]
    assert flow["message"] == {"text": "CiRole -> AdminRole"}
    (thread,) = flow["threadFlows"]
    assert [step["location"] for step in thread["locations"]] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": APP}, "region": {"startLine": 30}},
            "message": {"text": "CiRole"},
        },
        {
            "physicalLocation": {"artifactLocation": {"uri": APP}, "region": {"startLine": 41}},
            "message": {"text": "AdminRole"},
        },
    ]


def test_related_locations_for_a_chaining_path() -> None:
    chain = _results(sample_report())[2]
    assert chain["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {"artifactLocation": {"uri": APP}, "region": {"startLine": 30}},
            "message": {"text": "CiRole"},
        },
        {
            "id": 2,
            "physicalLocation": {"artifactLocation": {"uri": APP}, "region": {"startLine": 41}},
            "message": {"text": "AdminRole"},
        },
    ]


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
                        "artifactLocation": {"uri": "a%20b.json"},
                        "region": {"startLine": 2},
                    }
                }
            ],
        },
        {
            "level": "error",
            "message": {"text": "binary file, not a template or policy"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.json"}}}],
        },
        {
            "level": "error",
            "message": {"text": "mapping values are not allowed here"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "b.yaml"},
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
