"""The GitHub Actions format: workflow commands the runner turns back into the exact values.

``parse`` reads a line the way the Actions runner does (``ActionCommand.TryParseV2``): the
command info ends at the first ``::`` after the leading one, properties are split on ``,`` and
each on its first ``=``, then values are unescaped, ``%25`` last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.findings import InputError, Report, Severity
from rolelint.reporters import RenderOptions, render
from rolelint.reporters.github import escape_data, escape_property
from rolelint.source import Span
from tests.conftest import run_rolelint
from tests.reporters.samples import ci_sample_report, finding, sample_rules

OPTIONS = RenderOptions(version="9.9.9")
DATA_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
STATEMENT_AT_THE_END = """\
Version: "2012-10-17"
Statement:
  - Sid: NoAction
    Effect: Allow
    Resource: "arn:aws:sns:eu-west-1:111122223333:alerts"
"""


def _unescape(value: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for escaped, char in escapes:
        value = value.replace(escaped, char)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """(command, properties, message) of one workflow command line."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties: dict[str, str] = {}
    for prop in filter(None, props.strip().split(",")):
        key, _, value = prop.partition("=")
        assert key not in properties, f"property {key} repeated in {line!r}"
        properties[key] = _unescape(value, PROPERTY_ESCAPES)
    return name, properties, _unescape(line[end + 2 :], DATA_ESCAPES)


def _commands(report: Report) -> list[tuple[str, dict[str, str], str]]:
    output = render("github", report, sample_rules(), OPTIONS)
    assert output == "" or output.endswith("\n")
    return [parse(line) for line in output.split("\n")[:-1]]


def test_escapes_as_the_toolkit_does() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("100%\r\nnext: a,b") == "100%25%0D%0Anext%3A a%2Cb"
    # An escape sequence already in the value is not taken for one.
    assert escape_data("%0A") == "%250A"
    assert escape_property("%3A") == "%253A"


def test_every_active_finding_and_error_parses_back() -> None:
    report = ci_sample_report()
    commands = _commands(report)
    assert len(commands) == len(report.active_findings) + len(report.errors) + 1 == 7
    # Input errors, then findings worst first, then notices: GitHub keeps only the first 10 of
    # each kind.
    assert [(name, props["file"], props.get("line")) for name, props, _ in commands] == [
        ("error", "binary.json", None),
        ("error", "broken.yaml", "3"),
        ("error", "templates/app.yaml", "12"),  # RL101 critical
        ("error", "templates/app.yaml", "30"),  # RL401 high
        ("warning", "policies/admin policy.json", "6"),  # RL202 medium
        ("notice", "templates/app.yaml", "50"),  # RL101 info
        ("notice", "main.tf", "9"),  # the notice
    ]
    _, properties, message = commands[2]
    assert properties == {
        "file": "templates/app.yaml",
        "line": "12",
        "col": "18",
        "endLine": "12",
        "endColumn": "21",
        "title": "RL101 trust-policy-allows-anyone",
    }
    assert message == "The trust policy allows any AWS principal ('*') to assume the role"


def test_notices_are_notice_annotations_after_every_finding() -> None:
    """Notices were dropped.  They come last: GitHub keeps 10 annotations of each kind per
    step, and an info finding is a ``notice`` too, so a notice must not push one out."""
    output = render("github", ci_sample_report(), sample_rules(), OPTIONS)
    assert output.splitlines()[-1] == (
        "::notice file=main.tf,line=9,col=1,title=rolelint note::module vpc is not a local module"
    )
    report = Report(
        findings=[finding(severity=Severity.INFO, span=Span(3, 1, 3, 5))],
        notices=[
            InputError("n,o:p.tf", "50% of a,b: c\r\nnext", 4, 2),
            InputError("whole.tf", "the file is left out"),
            InputError("a.json", "value known only after apply", 7),
        ],
    )
    lines = render("github", report, sample_rules(), OPTIONS).splitlines()
    assert lines[0].startswith("::notice file=templates/app.yaml,line=3,")
    assert lines[1:] == [
        "::notice file=a.json,line=7,title=rolelint note::value known only after apply",
        "::notice file=n%2Co%3Ap.tf,line=4,col=2,title=rolelint note::50%25 of a,b: c%0D%0Anext",
        "::notice file=whole.tf,title=rolelint note::the file is left out",
    ]
    assert [parse(line) for line in lines[1:]][1] == (
        "notice",
        {"file": "n,o:p.tf", "line": "4", "col": "2", "title": "rolelint note"},
        "50% of a,b: c\r\nnext",
    )


def test_a_plan_value_known_only_after_apply_is_annotated_as_a_notice() -> None:
    """The real command on a plan whose RL101 is found and whose other trust policy is known
    only after apply: the finding, then the notice."""
    result = run_rolelint(
        "check", "fixtures/rules/RL101/bad_plan.json", "--isolated", "--no-cache", "-f", "github"
    )
    assert result.returncode == 1, result.stderr
    finding_line, notice_line, unjudged_line = result.stdout.splitlines()
    assert finding_line.startswith("::error file=fixtures/rules/RL101/bad_plan.json,line=15,")
    assert notice_line == (
        "::notice file=fixtures/rules/RL101/bad_plan.json,line=27,col=22,title=rolelint note::"
        "the trust policy of role aws_iam_role.vendor is not analyzed: known only after apply"
    )
    assert unjudged_line == (
        "::notice file=fixtures/rules/RL101/bad_plan.json,line=52,col=27,title=rolelint note::"
        "AWS managed policy AWSBillingReadOnlyAccess is not in rolelint's policy data: what it"
        " grants is not judged (1 role holds it)"
    )


def test_suppressed_findings_are_not_annotated() -> None:
    report = ci_sample_report()
    output = render("github", report, sample_rules(), OPTIONS)
    assert len(report.suppressed_findings) == 2
    assert "RL207" not in output
    assert ",line=20," not in output  # the baseline-suppressed RL101


@pytest.mark.parametrize(
    ("severity", "command"),
    [
        (Severity.CRITICAL, "error"),
        (Severity.HIGH, "error"),
        (Severity.MEDIUM, "warning"),
        (Severity.LOW, "warning"),
        (Severity.INFO, "notice"),
    ],
)
def test_command_by_severity(severity: Severity, command: str) -> None:
    ((name, _, _),) = _commands(Report(findings=[finding(severity=severity)]))
    assert name == command


def test_a_region_over_several_lines_has_no_columns() -> None:
    """GitHub refuses col/endColumn when line and endLine differ."""
    ((_, properties, _),) = _commands(Report(findings=[finding(span=Span(50, 9, 52, 3))]))
    assert properties == {
        "file": "templates/app.yaml",
        "line": "50",
        "endLine": "52",
        "title": "RL101 trust-policy-allows-anyone",
    }


def test_a_region_ending_at_column_1_ends_on_the_line_before() -> None:
    """The span's end is exclusive: column 1 of line 6 ends the region with line 5, which is
    the last line to mark (line 6 is the next statement, or past the end of the file)."""
    ((_, properties, _),) = _commands(Report(findings=[finding(span=Span(3, 5, 6, 1))]))
    assert (properties["title"], properties["line"], properties["endLine"]) == (
        "RL101 trust-policy-allows-anyone",
        "3",
        "5",
    )
    assert "col" not in properties and "endColumn" not in properties
    # Over one line and the line break after it: that line, with no end column to give.
    ((_, properties, _),) = _commands(Report(findings=[finding(span=Span(4, 3, 5, 1))]))
    assert (properties["line"], properties["endLine"]) == ("4", "4")
    assert "col" not in properties and "endColumn" not in properties


def test_a_statement_that_ends_the_file_is_not_marked_past_its_end(tmp_path: Path) -> None:
    """The real command on a 5-line policy whose last statement has no Action (RL604)."""
    (tmp_path / "policy.yaml").write_text(STATEMENT_AT_THE_END, encoding="utf-8")
    result = run_rolelint("check", "policy.yaml", "--format", "github", cwd=tmp_path)
    (command,) = [parse(line) for line in result.stdout.splitlines()]
    assert command == (
        "warning",
        {
            "file": "policy.yaml",
            "line": "3",
            "endLine": "5",
            "title": "RL604 statement-without-action",
        },
        "The policy has statement 'NoAction' with neither Action nor NotAction; IAM rejects it",
    )


def test_hostile_values_round_trip_and_stay_on_one_line() -> None:
    message = "50% of 'a:b,c'\r\n::error file=x.yaml::forged %0A %25 done"
    path = "odd,dir/a:b%2C.yaml"
    report = Report(
        findings=[finding(message=message, file=path, rule="x,y::z")],
        errors=[InputError("e,f:g.yaml", "line one\nline two %", 1, 2)],
    )
    output = render("github", report, sample_rules(), OPTIONS)
    assert output.count("\n") == 2
    (_, error_properties, error_message), (_, properties, parsed) = _commands(report)
    assert parsed == message
    assert properties["file"] == path
    assert properties["title"] == "RL101 x,y::z"
    assert error_properties == {
        "file": "e,f:g.yaml",
        "line": "1",
        "col": "2",
        "title": "rolelint input error",
    }
    assert error_message == "line one\nline two %"


def test_control_and_invisible_characters_are_shown_as_text() -> None:
    """A role name holding an escape sequence recoloured the job's log, and a right-to-left
    override reordered the annotation; line breaks stay the runner's to unescape."""
    message = "Role ad\x1b[31mmin\u202e can\x07 act\tas\r\nanyone"
    report = Report(findings=[finding(message=message)])
    output = render("github", report, sample_rules(), OPTIONS)
    assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output
    [(_, _, parsed)] = _commands(report)
    assert parsed == "Role ad\\x1b[31mmin\\u202e can\\x07 act\tas\r\nanyone"


def test_a_file_name_is_not_shown_escaped_so_that_github_finds_the_file() -> None:
    """docs/formats.md said control and reordering characters are shown escaped; only the
    message's are: ``file`` must name the file as the checkout does (the message, shown to
    people, is where the escape matters)."""
    name = "a\x1b[31mred\u202efdp.yaml"
    report = Report(findings=[finding(file=name, message=f"Role in {name}")])
    [(_, properties, message)] = _commands(report)
    assert properties["file"] == name
    assert message == "Role in a\\x1b[31mred\\u202efdp.yaml"
    docs = " ".join((Path(__file__).parents[2] / "docs" / "formats.md").read_text().split())
    assert "The `file` property is not: escaped, it would no longer name the file" in docs


@pytest.mark.usefixtures("windows_paths")
def test_paths_as_the_checkout_names_them() -> None:
    ((_, properties, _),) = _commands(Report(findings=[finding(file=".\\infra\\a.yaml")]))
    assert properties["file"] == "infra/a.yaml"


@pytest.mark.usefixtures("posix_paths")
def test_a_backslash_in_a_file_name_stays_where_it_separates_nothing() -> None:
    """On Linux ``a\\b.yaml`` is one file: ``a/b.yaml`` would name a file that is not there."""
    report = Report(
        findings=[finding(file="r_bs/a\\b.yaml")], errors=[InputError("c\\d.yaml", "x")]
    )
    (_, error, _), (_, properties, _) = _commands(report)
    assert (properties["title"], properties["file"], properties["line"]) == (
        "RL101 trust-policy-allows-anyone",
        "r_bs/a\\b.yaml",
        "1",
    )
    assert error["file"] == "c\\d.yaml"


def test_errors_without_a_position() -> None:
    ((name, properties, message),) = _commands(Report(errors=[InputError("bin.json", "binary")]))
    assert (name, properties, message) == (
        "error",
        {"file": "bin.json", "title": "rolelint input error"},
        "binary",
    )


def test_nothing_to_say_prints_nothing() -> None:
    assert render("github", Report(), sample_rules(), OPTIONS) == ""


def test_deterministic() -> None:
    first = render("github", ci_sample_report(), sample_rules(), OPTIONS)
    shuffled = ci_sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    assert render("github", shuffled, sample_rules(), OPTIONS) == first
