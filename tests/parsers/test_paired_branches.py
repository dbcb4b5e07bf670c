"""Elements of one statement that one condition chooses are deployed branch by branch.

``Action: !If [IsDev, a, b]`` beside ``Resource: !If [IsDev, x, y]`` is a on x where IsDev
holds and b on y where it does not: read element by element, the statement granted a on y as
well, which no deployment does.  Every branch is still judged (a risky branch is a risk); only
combinations no deployment has are not.  The same for Terraform conditionals with one condition
text in one module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.findings import Finding
from rolelint.parsers.hcl_ast import Expr
from tests.rules.harness import line_of

TRUST = """\
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"""


def cfn_statement(statement: str, conditions: str = "  IsDev: !Equals [!Ref Env, dev]\n") -> str:
    """A template whose role R holds one inline policy with ``statement`` (written at the
    indentation of a statement's keys), Env being dev or prod."""
    return (
        "Parameters:\n"
        "  Env: {Type: String, AllowedValues: [dev, stage, prod], Default: dev}\n"
        f"Conditions:\n{conditions}"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        f"{TRUST}"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        '            Version: "2012-10-17"\n            Statement:\n'
        f"{statement}"
    )


def found(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def lint_file(tmp_path: Path, name: str, text: str) -> list[Finding]:
    path = tmp_path / name
    path.write_text(text)
    report = lint_paths([str(path)])
    assert report.errors == []
    return report.findings


DEV_SECRETS = '!Sub "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:dev/*"'


def secrets(resource_condition: str = "IsDev", dev_first: bool = True) -> str:
    """Dev reads its secrets, prod describes every secret; the Resource chosen by
    ``resource_condition``, its dev branch first or second."""
    branches = [DEV_SECRETS, '"*"'] if dev_first else ['"*"', DEV_SECRETS]
    return cfn_statement(
        "              - Effect: Allow\n"
        "                Action: !If\n"
        "                  - IsDev\n"
        "                  - secretsmanager:GetSecretValue\n"
        "                  - secretsmanager:DescribeSecret\n"
        "                Resource: !If\n"
        f"                  - {resource_condition}\n"
        f"                  - {branches[0]}\n"
        f"                  - {branches[1]}\n",
        "  IsDev: !Equals [!Ref Env, dev]\n"
        "  IsProd: !Equals [!Ref Env, prod]\n"
        "  IsNotDev: !Not [!Condition IsDev]\n",
    )


def test_an_action_and_resource_one_condition_chooses_are_not_crossed(tmp_path: Path) -> None:
    """Dev reads its own secrets, prod describes every secret: no deployment reads every
    secret, which the statement read element by element granted (RL208)."""
    assert found(lint_file(tmp_path, "t.yaml", secrets())) == set()


SANDBOX = cfn_statement(
    """\
              - Effect: Allow
                Action: !If [IsDev, "s3:*", "s3:GetObject"]
                Resource: !If [IsDev, "*", "arn:aws:s3:::prod-data/*"]
"""
)


def test_a_risky_branch_is_still_a_risk_and_keeps_its_fingerprint(tmp_path: Path) -> None:
    """Dev's s3:* on every resource is deployed: reported where the branch is written, and
    with the fingerprint of the same grant written without the other branch (a baseline
    recorded before keeps it).  Its message names what the branch grants, not the other
    branch's s3:GetObject as well."""
    findings = lint_file(tmp_path, "t.yaml", SANDBOX)
    action, star = line_of(SANDBOX, '"s3:*"'), line_of(SANDBOX, 'Resource: !If [IsDev, "*"')
    assert found(findings) == {("RL202", action), ("RL203", star), ("RL208", star)}
    assert all("'s3:GetObject'" not in f.message for f in findings)
    alone = SANDBOX.replace('!If [IsDev, "s3:*", "s3:GetObject"]', '"s3:*"')
    fingerprints = {f.rule_id: f.fingerprint for f in lint_file(tmp_path, "t.yaml", alone)}
    assert {f.rule_id: f.fingerprint for f in findings} == {
        rule: fingerprints[rule] for rule in ("RL202", "RL203", "RL208")
    }


def test_write_actions_of_one_branch_on_every_resource_of_the_other_are_no_rl203(
    tmp_path: Path,
) -> None:
    text = cfn_statement(
        """\
              - Effect: Allow
                Action: !If [IsDev, "ec2:*", "ec2:Describe*"]
                Resource: !If [IsDev, "arn:aws:ec2:eu-west-1:111122223333:instance/*", "*"]
"""
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == {("RL202", line_of(text, '"ec2:*"'))}


def test_action_and_not_action_one_condition_chooses_go_with_their_resources(
    tmp_path: Path,
) -> None:
    """Dev: s3:GetObject on its bucket; prod: everything but IAM on every resource, which is
    reported.  Dev's read on prod's ``"*"`` is not."""
    text = cfn_statement(
        """\
              - Effect: Allow
                Action: !If [IsDev, "s3:GetObject", !Ref AWS::NoValue]
                NotAction: !If [IsDev, !Ref AWS::NoValue, ["iam:*"]]
                Resource: !If [IsDev, "arn:aws:s3:::dev/*", "*"]
"""
    )
    rules = found(lint_file(tmp_path, "t.yaml", text))
    assert ("RL204", line_of(text, "NotAction:")) in rules
    assert ("RL208", line_of(text, "Resource:")) not in rules
    assert {rule for rule, _ in rules} == {"RL204", "RL206", "RL207"}


def test_an_effect_one_condition_chooses_goes_with_its_actions(tmp_path: Path) -> None:
    """Dev allows s3:GetObject on every resource; prod denies everything.  No deployment
    allows ``*``: the riskiest Effect crossed with the other branch's Action was RL201."""
    text = cfn_statement(
        """\
              - Effect: !If [IsDev, Allow, Deny]
                Action: !If [IsDev, "s3:GetObject", "*"]
                Resource: "*"
"""
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == {("RL208", line_of(text, 'Resource: "*"'))}


def test_a_principal_and_condition_one_condition_chooses_go_together(tmp_path: Path) -> None:
    """Dev trusts a vendor's account under an ExternalId, prod its own account without one:
    the vendor without an ExternalId (RL102) is no deployment."""
    text = (
        "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}\n"
        "Conditions:\n  IsDev: !Equals [!Ref Env, dev]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: !If\n"
        "              - IsDev\n"
        '              - {AWS: "arn:aws:iam::444455556666:root"}\n'
        '              - {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}\n'
        "            Action: sts:AssumeRole\n"
        "            Condition: !If\n"
        "              - IsDev\n"
        "              - {StringEquals: {sts:ExternalId: 7d1f0c6e-55b4-4a1e-9d0b-2f6c3a8e9b41}}\n"
        "              - !Ref AWS::NoValue\n"
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == set()
    crossed = text.replace("              - IsDev\n", "              - IsOther\n", 1).replace(
        "Conditions:\n", "Conditions:\n  IsOther: !Equals [!Ref Env, prod]\n"
    )
    assert found(lint_file(tmp_path, "t.yaml", crossed)) == {
        ("RL102", line_of(crossed, "444455556666"))
    }


def test_nested_fn_ifs_pair_branch_by_branch(tmp_path: Path) -> None:
    text = cfn_statement(
        """\
              - Effect: Allow
                Action: !If [IsDev, "ec2:*", !If [IsStage, "ec2:RunInstances", "ec2:Describe*"]]
                Resource: !If
                  - IsDev
                  - "arn:aws:ec2:*:*:instance/*"
                  - !If [IsStage, "arn:aws:ec2:*:*:instance/i-1", "*"]
""",
        "  IsDev: !Equals [!Ref Env, dev]\n  IsStage: !Equals [!Ref Env, stage]\n",
    )
    # Dev's ec2:* on every instance: every resource its instance actions act on (RL203 there).
    assert found(lint_file(tmp_path, "t.yaml", text)) == {
        ("RL202", line_of(text, '"ec2:*"')),
        ("RL203", line_of(text, '"arn:aws:ec2:*:*:instance/*"')),
    }


def test_a_condition_written_as_the_negation_of_another_pairs_with_it(tmp_path: Path) -> None:
    """IsNotDev is ``!Not [!Condition IsDev]``: an Fn::If on each takes opposite branches."""
    text = secrets("IsNotDev", dev_first=False)
    assert found(lint_file(tmp_path, "t.yaml", text)) == set()


def test_conditions_only_the_parameters_make_exclusive_are_judged_independently(
    tmp_path: Path,
) -> None:
    """``!Equals [!Ref Env, dev]`` and ``!Equals [!Ref Env, prod]`` exclude each other only
    through Env's AllowedValues, which the pairing does not read: every combination of their
    branches is judged, as before (more than is deployed, never less)."""
    text = secrets("IsProd", dev_first=False)
    assert found(lint_file(tmp_path, "t.yaml", text)) == {("RL208", line_of(text, '- "*"'))}


ROLE_TF = """
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""

DATA_SOURCE_TF = (
    """\
variable "env" {
  type = string
}

locals {
  is_dev = var.env == "dev"
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = local.is_dev ? ["secretsmanager:GetSecretValue"] : ["secretsmanager:List*"]
    resources = local.is_dev ? ["arn:aws:secretsmanager:*:*:secret:dev/*"] : ["*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}
"""
    + ROLE_TF
)


def lint_module(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    return report.findings


def test_terraform_conditionals_with_one_condition_are_not_crossed(tmp_path: Path) -> None:
    assert found(lint_module(tmp_path, {"main.tf": DATA_SOURCE_TF})) == set()


def test_a_terraform_branch_that_is_a_risk_is_reported_at_its_line(tmp_path: Path) -> None:
    """The risky branch of the same statement: dev reads every secret."""
    text = DATA_SOURCE_TF.replace(
        '["arn:aws:secretsmanager:*:*:secret:dev/*"] : ["*"]',
        '["*"] : ["arn:aws:secretsmanager:*:*:secret:prod/*"]',
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL208", line_of(text, 'resources = local.is_dev ? ["*"]'))
    }


def test_conditionals_pair_through_locals_of_other_files_of_the_module(tmp_path: Path) -> None:
    """The Action a local of locals.tf chooses and the Resource main.tf chooses read one
    condition text in one module: they go together."""
    main = (
        """\
variable "env" {
  type = string
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = local.actions
      Resource = local.is_dev ? ["arn:aws:secretsmanager:*:*:secret:dev/*"] : ["*"]
    }]
  })
}
"""
        + ROLE_TF
    )
    local = """\
locals {
  is_dev  = var.env == "dev"
  actions = local.is_dev ? ["secretsmanager:GetSecretValue"] : ["secretsmanager:DescribeSecret"]
}
"""
    assert found(lint_module(tmp_path, {"main.tf": main, "locals.tf": local})) == set()
    risky = local.replace(
        '["secretsmanager:GetSecretValue"] : ["secretsmanager:DescribeSecret"]',
        '["secretsmanager:DescribeSecret"] : ["secretsmanager:GetSecretValue"]',
    )
    assert found(lint_module(tmp_path, {"main.tf": main, "locals.tf": risky})) == {
        ("RL208", line_of(main, "Resource = local.is_dev"))
    }


def test_terraform_actions_and_not_actions_a_condition_empties_pair_with_resources(
    tmp_path: Path,
) -> None:
    """Strict: s3:GetObject on every resource (reported); otherwise everything but IAM on one
    bucket (RL204), never on every resource (RL206, RL207)."""
    text = (
        """\
variable "strict" {
  type = bool
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions     = var.strict ? ["s3:GetObject"] : []
    not_actions = var.strict ? [] : ["iam:*"]
    resources   = var.strict ? ["*"] : ["arn:aws:s3:::bucket/*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}
"""
        + ROLE_TF
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL204", line_of(text, "not_actions")),
        ("RL208", line_of(text, "resources   = var.strict")),
    }


def test_terraform_conditions_written_differently_are_judged_independently(
    tmp_path: Path,
) -> None:
    """``var.env == "dev"`` and ``local.is_dev`` are one test to a reader, not to the
    pairing, which compares the text: every combination is judged, as before."""
    text = DATA_SOURCE_TF.replace(
        'actions   = local.is_dev ? ["secretsmanager',
        'actions   = var.env == "dev" ? ["secretsmanager',
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL208", line_of(text, "resources = local.is_dev"))
    }


def expression(text: str, line: int = 1) -> Expr:
    """The expression ``text`` written on line ``line`` of a file."""
    from rolelint.parsers.hcl_adapter import parse_hcl

    return parse_hcl("\n" * (line - 1) + f"x = {text}\n").attributes["x"].value


def test_a_condition_is_named_by_its_text_without_positions() -> None:
    from rolelint.parsers.tf_eval import condition_text

    one = expression('var.env == "dev"')
    other = expression('var.env   ==   "dev"', line=7)
    assert condition_text(one, {}) == condition_text(other, {}) is not None
    assert condition_text(expression('var.env == "prod"'), {}) != condition_text(one, {})
    # A name a for expression or dynamic block binds is another value for each element; a
    # function whose every call differs is never the same twice.
    assert condition_text(expression("item.on"), {"item": object()}) is None
    assert condition_text(expression("item.on"), {}) is not None
    assert condition_text(expression('uuid() == "x"'), {}) is None


def test_nested_conditionals_flatten_with_the_branches_of_each() -> None:
    from rolelint.parsers.tree import Choice, conditional

    outer, inner = ("t", "A"), ("t", "B")
    nested = conditional(inner, ((True, "x"), (False, "y")))
    value = conditional(outer, ((True, nested), (False, "z")))
    assert isinstance(value, Choice)
    assert value.options == ("x", "y", "z")
    assert value.when == (
        frozenset({(outer, True), (inner, True)}),
        frozenset({(outer, True), (inner, False)}),
        frozenset({(outer, False)}),
    )
    assert conditional(None, ((True, "x"), (False, "y"))) == Choice(("x", "y"))
    assert conditional(None, ((True, "x"), (False, "y"))).when is None


def test_at_most_three_conditions_pair_and_the_others_are_listed_together() -> None:
    """2**3 statements at most: a fourth shared condition keeps every option of each, which
    judges more combinations than are deployed, never fewer."""
    from rolelint.parsers.paired_branches import MAX_PAIRED_CONDITIONS, paired_variants
    from rolelint.parsers.tree import Choice, PMap, PSeq, conditional

    def choice(name: str, yes: str, no: str) -> Choice:
        chosen = conditional(("t", name), ((True, yes), (False, no)))
        assert isinstance(chosen, Choice)
        return chosen

    names = ["A", "B", "C", "D"]
    statement = PMap()
    actions, resources = PSeq(), PSeq()
    for name in names:
        actions.add(choice(name, f"a{name}", f"b{name}"), None)
        resources.add(choice(name, f"x{name}", f"y{name}"), None)
    statement.set("Action", actions, None, None)
    statement.set("Resource", resources, None, None)
    variants = paired_variants(statement)
    assert MAX_PAIRED_CONDITIONS == 3
    assert len(variants) == 2**MAX_PAIRED_CONDITIONS
    first = variants[0]
    assert list(first["Action"])[:3] == ["aA", "aB", "aC"]
    assert list(first["Resource"])[:3] == ["xA", "xB", "xC"]
    assert isinstance(first["Action"][3], Choice)  # D: both options, as before
    assert first["Action"][3].options == ("aD", "bD")
    assert paired_variants(PMap()) == [PMap()]


def test_each_choice_is_picked_once_per_truth_of_the_shared_conditions_it_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three conditions shared by Action and Resource make 8 statements.  A Choice on one of
    them was picked again for each of the 8, and so was every Choice on a condition no other
    element names (listed together, the same in all 8): a statement of 400 Ifs in each of
    Action and Resource tested its options' branches 6,400 times.  What a Choice becomes depends
    only on the conditions it names: each is now picked once per truth of those, one on no
    shared condition is kept as written without being picked, and the variants are the same."""
    from rolelint.parsers import paired_branches
    from rolelint.parsers.tree import Choice, PMap, PSeq, conditional

    def choice(name: str, yes: str, no: str) -> Choice:
        chosen = conditional(("t", name), ((True, yes), (False, no)))
        assert isinstance(chosen, Choice)
        return chosen

    statement = PMap()
    actions, resources = PSeq(), PSeq()
    for name in ("A", "B", "C"):  # shared: 2**3 statements
        actions.add(choice(name, f"a{name}", f"b{name}"), None)
        resources.add(choice(name, f"x{name}", f"y{name}"), None)
    for number in range(50):  # one Choice each: listed together, as written
        actions.add(choice(f"D{number}", f"a{number}", f"b{number}"), None)
    statement.set("Action", actions, None, None)
    statement.set("Resource", resources, None, None)
    tested: list[frozenset[object]] = []
    holds = paired_branches._holds

    def counting_holds(branches: frozenset[object], chosen: dict[object, bool]) -> bool:
        tested.append(branches)
        return holds(branches, chosen)  # type: ignore[arg-type]

    monkeypatch.setattr(paired_branches, "_holds", counting_holds)
    variants = paired_branches.paired_variants(statement)
    assert len(variants) == 8
    assert [list(v["Action"])[:3] for v in variants[:2]] == [["aA", "aB", "aC"], ["aA", "aB", "bC"]]
    assert all(v["Action"][3:] == actions[3:] for v in variants)
    # 6 shared Choices of 2 options, for each truth of their condition; the 50 others never.
    assert len(tested) == 6 * 2 * 2


def test_a_list_an_expression_produced_stays_one_when_its_options_are_picked() -> None:
    """The builder reads a produced list's items as the enclosing list's (a written list in a
    list is no value): picking a branch keeps what the list is."""
    from rolelint.parsers.paired_branches import paired_variants
    from rolelint.parsers.tree import PMap, ProducedList, PSeq, conditional

    produced = ProducedList()
    produced.add(conditional(("t", "A"), ((True, "s3:*"), (False, "s3:GetObject"))), None)
    actions = PSeq()
    actions.add(produced, None)
    statement = PMap()
    statement.set("Action", actions, None, None)
    statement.set("Resource", conditional(("t", "A"), ((True, "x"), (False, "*"))), None, None)
    variants = paired_variants(statement)
    assert [(v["Action"][0], v["Resource"]) for v in variants] == [
        (["s3:*"], "x"),
        (["s3:GetObject"], "*"),
    ]
    assert all(type(v["Action"][0]) is ProducedList for v in variants)


# --- the alternatives of one statement: one is deployed in every deployment ----------------------

ONLY_S3 = """\
              - {Effect: Allow, Action: "*", Resource: "*"}
              - Sid: OnlyS3
                Effect: Deny
                NotAction: !If [IsProd, ["s3:GetObject"], ["s3:*"]]
                NotResource: !If
                  - IsProd
                  - ["arn:aws:s3:::prod/*"]
                  - ["arn:aws:s3:::dev", "arn:aws:s3:::dev/*"]
"""

ONLY_S3_TF = (
    """\
variable "prod" {
  type = bool
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    sid           = "OnlyS3"
    effect        = "Deny"
    not_actions   = var.prod ? ["s3:GetObject"] : ["s3:*"]
    not_resources = var.prod ? ["arn:aws:s3:::prod/*"] : ["arn:aws:s3:::dev", "arn:aws:s3:::dev/*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}
"""
    + ROLE_TF
)


def test_a_deny_whose_not_elements_one_condition_chooses_still_limits_every_deployment(
    tmp_path: Path,
) -> None:
    """Every deployment holds one branch of the Deny, which leaves ``Allow *`` only some of
    S3: no deployment is an administrator (RL201).  Its options listed together refuse fewer
    requests than either branch does, so the Deny limits the Allow for certain, as it did
    before statements were paired; split, each branch was in some deployments only and
    limited nothing."""
    text = cfn_statement(ONLY_S3, "  IsProd: !Equals [!Ref Env, prod]\n")
    findings = lint_file(tmp_path, "t.yaml", text)
    allow = line_of(text, 'Action: "*"')
    assert found(findings) == {("RL202", allow), ("RL203", allow), ("RL208", allow)}
    deny = line_of(text, "Sid: OnlyS3")
    assert all(
        f"the Deny at line {deny} leaves" in f.message for f in findings if f.rule_id != "RL208"
    )
    terraform = lint_module(tmp_path, {"main.tf": ONLY_S3_TF})
    assert {rule for rule, _ in found(terraform)} == {"RL202", "RL203", "RL208"}


def test_a_sid_every_branch_of_a_paired_statement_has_is_in_every_deployment(
    tmp_path: Path,
) -> None:
    """Two statements named Read, the second's Action and Resource chosen by IsDev: every
    deployment holds both Sids, which IAM rejects (RL606), in CloudFormation and Terraform."""
    text = cfn_statement(
        """\
              - Sid: Read
                Effect: Allow
                Action: s3:ListBucket
                Resource: arn:aws:s3:::b
              - Sid: Read
                Effect: Allow
                Action: !If [IsDev, "s3:GetObject", "s3:GetObjectVersion"]
                Resource: !If [IsDev, "arn:aws:s3:::dev/*", "arn:aws:s3:::prod/*"]
"""
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == {("RL606", line_of(text, "Sid: Read", 2))}
    terraform = ROLE_TF + (
        """\
variable "dev" {
  type = bool
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Read", Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::b" },
      { Sid = "Read", Effect = "Allow", Action = var.dev ? "s3:GetObject" : "s3:GetObjectVersion",
        Resource = var.dev ? "arn:aws:s3:::dev/*" : "arn:aws:s3:::prod/*" },
    ]
  })
}
"""
    )
    assert {rule for rule, _ in found(lint_module(tmp_path, {"main.tf": terraform}))} == {"RL606"}


def test_a_sid_only_some_branches_have_is_not_certain(tmp_path: Path) -> None:
    """The Sid itself chosen by the condition the elements share: only dev's branch repeats
    the first statement's Sid, and dev is not every deployment."""
    text = cfn_statement(
        """\
              - {Sid: Read, Effect: Allow, Action: s3:ListBucket, Resource: arn:aws:s3:::b}
              - Sid: !If [IsDev, Read, ReadProd]
                Effect: Allow
                Action: !If [IsDev, "s3:GetObject", "s3:GetObjectVersion"]
                Resource: !If [IsDev, "arn:aws:s3:::dev/*", "arn:aws:s3:::prod/*"]
"""
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == set()


def test_the_size_of_a_paired_statement_is_that_of_its_smallest_branch(tmp_path: Path) -> None:
    """One branch of the statement is in every deployment: the policy is too large (RL609)
    whichever it is, and its size is counted with the smaller branch, as the policy written
    with that branch alone is, so the size stays a lower bound."""
    arns = "".join(
        f'                  - "arn:aws:s3:::bucket-number-{n:04}/*"\n' for n in range(400)
    )
    text = cfn_statement(
        "              - Effect: Allow\n"
        '                Action: !If [IsDev, "s3:GetObject", "s3:PutObject"]\n'
        "                Resource:\n"
        '                  - !If [IsDev, "arn:aws:s3:::dev/*", "arn:aws:s3:::production/*"]\n'
        f"{arns}"
    )
    sizes = [f.message for f in lint_file(tmp_path, "t.yaml", text) if f.rule_id == "RL609"]
    assert len(sizes) == 1
    dev = text.replace('!If [IsDev, "s3:GetObject", "s3:PutObject"]', '"s3:GetObject"').replace(
        '!If [IsDev, "arn:aws:s3:::dev/*", "arn:aws:s3:::production/*"]', '"arn:aws:s3:::dev/*"'
    )
    alone = [f.message for f in lint_file(tmp_path, "t.yaml", dev) if f.rule_id == "RL609"]
    assert sizes == alone


def test_a_list_a_branch_chooses_in_a_list_is_spliced_in_as_the_builder_reads_it(
    tmp_path: Path,
) -> None:
    """``[s3:GetObject, !If [W, [s3:PutObject, s3:DeleteObject], !Ref AWS::NoValue]]`` beside a
    Resource W chooses: the writer writes its bucket, the others read every object (RL208).
    The branch's list is read as items of the Action, as when no other element reads W: kept
    as one item it was a list inside the list (RL604), and the reads on every resource were
    not judged."""
    text = cfn_statement(
        """\
              - Effect: Allow
                Action:
                  - s3:GetObject
                  - !If [W, ["s3:PutObject", "s3:DeleteObject"], !Ref AWS::NoValue]
                Resource: !If [W, "arn:aws:s3:::data/*", "*"]
""",
        "  W: !Equals [!Ref Env, dev]\n",
    )
    assert found(lint_file(tmp_path, "t.yaml", text)) == {("RL208", line_of(text, "Resource:"))}


def test_a_terraform_conditional_list_flatten_joins_is_spliced_in(tmp_path: Path) -> None:
    """``flatten([["s3:GetObject"], var.writer ? [...] : []])``: flatten leaves the
    conditional as one item, which picking a branch made a list inside the list (two RL604s);
    the reader's read of every object (RL208) was lost.  The same with the conditional alone
    in the flatten: the reader's s3:GetObject on every resource is RL208, the writer's
    iam:PassRole on one role nothing."""
    text = ROLE_TF + (
        """\
variable "writer" {
  type = bool
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = flatten([["s3:GetObject"], var.writer ? ["s3:PutObject", "s3:DeleteObject"] : []])
    resources = var.writer ? ["arn:aws:s3:::data/*"] : ["*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}
"""
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL208", line_of(text, "resources = var.writer"))
    }
    alone = text.replace(
        'flatten([["s3:GetObject"], var.writer ? ["s3:PutObject", "s3:DeleteObject"] : []])',
        'flatten([var.writer ? ["iam:PassRole"] : ["s3:GetObject"]])',
    ).replace('["arn:aws:s3:::data/*"]', '["arn:aws:iam::111122223333:role/svc"]')
    assert found(lint_module(tmp_path, {"main.tf": alone})) == {
        ("RL208", line_of(alone, "resources = var.writer"))
    }


def test_the_deny_of_one_branch_of_a_paired_effect_limits_no_other_branch(
    tmp_path: Path,
) -> None:
    """``Effect: !If [IsProd, Deny, Allow]`` beside an Action IsProd chooses: prod denies
    everything, dev allows s3:GetObject.  Beside ``Allow *``, dev is an administrator (RL201):
    prod's Deny is one of the statement's alternatives, never deployed where dev's is."""
    text = cfn_statement(
        """\
              - {Effect: Allow, Action: "*", Resource: "*"}
              - Effect: !If [IsProd, Deny, Allow]
                Action: !If [IsProd, "*", "s3:GetObject"]
                Resource: "arn:aws:s3:::data/*"
""",
        "  IsProd: !Equals [!Ref Env, prod]\n",
    )
    assert ("RL201", line_of(text, 'Action: "*"')) in found(lint_file(tmp_path, "t.yaml", text))


# --- an Allow's NotResource or NotAction a condition chooses: judged per branch ----------------

PROD_SECRETS = '"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*"'


def not_resource(value: str, action: str = "secretsmanager:GetSecretValue") -> str:
    """A template whose one Allow grants ``action`` on every resource but ``value``."""
    return cfn_statement(
        "              - Effect: Allow\n"
        f"                Action: {action}\n"
        f"                NotResource: {value}\n"
    )


def fingerprinted(findings: list[Finding]) -> set[tuple[str, int, str]]:
    return {(f.rule_id, f.location.line, f.fingerprint) for f in findings}


def test_an_allow_whose_not_resource_one_branch_makes_every_resource_is_judged_per_branch(
    tmp_path: Path,
) -> None:
    """``NotResource: !If [IsDev, "*", <prod secrets>]``: where IsDev holds the Allow grants
    nothing; elsewhere it reads every secret but prod's, as the same statement written with
    that branch alone does.  Read with both options listed together, the NotResource held
    ``"*"`` and the statement was taken to grant nothing in every deployment: no finding."""
    text = not_resource(f'!If [IsDev, "*", {PROD_SECRETS}]')
    alone = not_resource(PROD_SECRETS)
    expected = fingerprinted(lint_file(tmp_path, "alone.yaml", alone))
    assert {rule for rule, _, _ in expected} == {"RL205"}
    findings = lint_file(tmp_path, "alone.yaml", text)
    assert fingerprinted(findings) == expected
    assert found(findings) == {("RL205", line_of(text, "NotResource:"))}
    # Whichever branch is first, and with the other branch as one item of a list.
    other = not_resource(f'["arn:aws:s3:::logs/*", !If [IsDev, {PROD_SECRETS}, "*"]]')
    assert found(lint_file(tmp_path, "t.yaml", other)) == {
        ("RL205", line_of(other, "NotResource:"))
    }


def test_an_allow_whose_not_resource_excludes_every_resource_in_every_branch_is_silent(
    tmp_path: Path,
) -> None:
    """Every resource in each branch (``"*"``, every ARN, a list holding ``"*"``): no
    deployment grants anything, so no rule speaks of it."""
    text = not_resource('!If [IsDev, "*", ["arn:aws:*:*:*:*"]]', action="s3:*")
    assert found(lint_file(tmp_path, "t.yaml", text)) == set()
    listed = not_resource(f'!If [IsDev, "*", [{PROD_SECRETS}, "*"]]', action="s3:*")
    assert found(lint_file(tmp_path, "t.yaml", listed)) == set()


def test_an_allow_whose_not_resource_a_condition_chooses_grants_what_each_branch_spares(
    tmp_path: Path,
) -> None:
    """iam:PassRole on every resource but the roles (dev) or but one bucket (prod): prod
    passes every role (RL206).  Listed together, the roles were spared in every deployment."""
    text = not_resource(
        '!If [IsDev, "arn:aws:iam::111122223333:role/*", "arn:aws:s3:::data/*"]',
        action="iam:PassRole",
    )
    rules = found(lint_file(tmp_path, "t.yaml", text))
    assert ("RL206", line_of(text, "Action: iam:PassRole")) in rules
    alone = not_resource('"arn:aws:s3:::data/*"', action="iam:PassRole")
    assert rules == found(lint_file(tmp_path, "t.yaml", alone))


def test_an_allow_whose_not_action_one_branch_makes_every_action_is_judged_per_branch(
    tmp_path: Path,
) -> None:
    """``NotAction: !If [IsDev, "*", "iam:*"]`` on every resource: nothing where IsDev holds,
    every action but IAM elsewhere (RL204, and what it grants: RL206, RL207), as written
    with that branch alone.  Listed together, NotAction ``"*"`` granted no action anywhere."""
    statement = (
        "              - Effect: Allow\n"
        "                NotAction: {}\n"
        '                Resource: "*"\n'
    )
    text = cfn_statement(statement.format('!If [IsDev, "*", "iam:*"]'))
    alone = cfn_statement(statement.format('"iam:*"'))
    expected = fingerprinted(lint_file(tmp_path, "alone.yaml", alone))
    assert {rule for rule, _, _ in expected} >= {"RL204", "RL206", "RL207"}
    assert fingerprinted(lint_file(tmp_path, "alone.yaml", text)) == expected
    silent = cfn_statement(statement.format('!If [IsDev, "*", "*:*"]'))
    assert found(lint_file(tmp_path, "t.yaml", silent)) == set()


CONDITIONAL_NOT_RESOURCE_TF = (
    """\
variable "skip" {
  type = bool
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions       = ["secretsmanager:GetSecretValue"]
    not_resources = var.skip ? ["*"] : ["arn:aws:secretsmanager:*:*:secret:prod/*"]
  }
}

resource "aws_iam_role_policy" "document" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_role_policy" "encoded" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      Action      = "secretsmanager:GetSecretValue"
      NotResource = var.skip ? ["*"] : ["arn:aws:secretsmanager:*:*:secret:prod/*"]
    }]
  })
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.worker.id
  policy = <<JSON
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "secretsmanager:GetSecretValue",
    "NotResource": "${var.skip ? "*" : "arn:aws:secretsmanager:*:*:secret:prod/*"}"
  }]
}
JSON
}

resource "aws_iam_role_policy" "not_action" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = var.skip ? ["*"] : ["iam:*"]
      Resource  = "*"
    }]
  })
}
"""
    + ROLE_TF
)


def test_terraform_not_resources_and_not_actions_a_conditional_chooses_are_judged_per_branch(
    tmp_path: Path,
) -> None:
    """``var.skip ? ["*"] : [<prod secrets>]`` in a policy document's ``not_resources``, in
    jsonencode and in a heredoc's ``${...}``, and ``var.skip ? ["*"] : ["iam:*"]`` as a
    NotAction: where skip is false each grants what its other branch alone does, reported
    where the statement written with that branch alone is (the conditional's line; RL207 at
    the Resource).  Listed together, ``"*"`` made each grant nothing."""
    text = CONDITIONAL_NOT_RESOURCE_TF
    findings = found(lint_module(tmp_path, {"main.tf": text}))
    not_action = line_of(text, "NotAction = var.skip")
    assert findings == {
        ("RL205", line_of(text, "not_resources = var.skip")),
        ("RL205", line_of(text, "NotResource = var.skip")),
        ("RL205", line_of(text, '"NotResource": "${var.skip')),
        ("RL204", not_action),
        ("RL206", not_action),
        ("RL207", line_of(text, 'Resource  = "*"')),
    }
    every = text.replace(
        '["arn:aws:secretsmanager:*:*:secret:prod/*"]', '["arn:aws:*:*:*:*"]'
    ).replace('"arn:aws:secretsmanager:*:*:secret:prod/*"', '"*"')
    every = every.replace('["iam:*"]', '["*:*"]')
    assert found(lint_module(tmp_path, {"main.tf": every})) == set()


# --- options no condition names (Mappings): the ones excluding least ---------------------------


def mapped(statement: str, us_east: str, eu_west: str) -> str:
    """:func:`cfn_statement` with Mappings Regional, whose entry Spared the region picks:
    ``us_east`` in us-east-1, ``eu_west`` in eu-west-1."""
    text = cfn_statement(statement)
    return (
        f"Mappings:\n  Regional:\n    us-east-1: {{Spared: {us_east}}}\n"
        f"    eu-west-1: {{Spared: {eu_west}}}\n{text}"
    )


BY_REGION = "!FindInMap [Regional, !Ref AWS::Region, Spared]"


def test_an_allow_whose_not_resource_a_mapping_chooses_is_judged_by_the_region_granting_most(
    tmp_path: Path,
) -> None:
    """``NotResource: !FindInMap [Regional, !Ref AWS::Region, Spared]``, ``"*"`` in us-east-1
    and the prod secrets in eu-west-1: eu-west-1 reads every secret but prod's, reported once
    as the statement written with that entry alone is (same line, same fingerprint).  No
    condition names the entries, so they were listed together: ``"*"`` among them, the Allow
    was taken to grant nothing in every region, and no rule spoke of it."""
    statement = (
        "              - Effect: Allow\n"
        "                Action: secretsmanager:GetSecretValue\n"
        "                NotResource: {}\n"
    )
    text = mapped(statement.format(BY_REGION), '"*"', PROD_SECRETS)
    alone = mapped(statement.format(PROD_SECRETS), '"*"', PROD_SECRETS)
    expected = fingerprinted(lint_file(tmp_path, "alone.yaml", alone))
    assert {rule for rule, _, _ in expected} == {"RL205"}
    findings = lint_file(tmp_path, "alone.yaml", text)
    assert fingerprinted(findings) == expected
    [finding] = findings
    assert finding.location.line == line_of(text, "NotResource:")
    assert "except 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*'" in finding.message
    # Whichever region is first, as an item of a list, and with every ARN for "*".
    for text in (
        mapped(statement.format(BY_REGION), PROD_SECRETS, '"*"'),
        mapped(statement.format(f'["arn:aws:s3:::logs/*", {BY_REGION}]'), '"*"', PROD_SECRETS),
        mapped(statement.format(BY_REGION), '["arn:aws:*:*:*:*"]', PROD_SECRETS),
    ):
        assert found(lint_file(tmp_path, "t.yaml", text)) == {
            ("RL205", line_of(text, "NotResource:"))
        }


def test_an_allow_whose_not_resource_a_mapping_chooses_excluding_everything_is_silent(
    tmp_path: Path,
) -> None:
    """Every region's entry excludes every resource: no deployment grants anything.  Entries
    neither of which excludes what the other does are still listed together, one finding
    naming both (never one per region)."""
    statement = (
        "              - Effect: Allow\n"
        '                Action: "s3:*"\n'
        f"                NotResource: {BY_REGION}\n"
    )
    for us_east, eu_west in (('"*"', '"arn:aws:*:*:*:*"'), ('["arn:aws:*:*:*:*"]', '"*"')):
        text = mapped(statement, us_east, eu_west)
        assert found(lint_file(tmp_path, "t.yaml", text)) == set()
    text = mapped(statement, '"arn:aws:s3:::a/*"', '"arn:aws:s3:::b/*"')
    [finding] = [f for f in lint_file(tmp_path, "t.yaml", text) if f.rule_id == "RL205"]
    assert "'arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'" in finding.message


def test_an_allow_whose_not_action_a_mapping_chooses_is_judged_by_the_region_granting_most(
    tmp_path: Path,
) -> None:
    """``NotAction`` of ``"*"`` in one region and ``"IAM:*"`` (actions compare in any case) in
    the other: every action but IAM's where the latter deploys, as written alone (RL204,
    RL206, RL207, same fingerprints).  Listed together, no action was granted anywhere."""
    statement = (
        "              - Effect: Allow\n"
        "                NotAction: {}\n"
        '                Resource: "*"\n'
    )
    text = mapped(statement.format(BY_REGION), '"*"', '"IAM:*"')
    alone = mapped(statement.format('"IAM:*"'), '"*"', '"IAM:*"')
    expected = fingerprinted(lint_file(tmp_path, "alone.yaml", alone))
    assert {rule for rule, _, _ in expected} >= {"RL204", "RL206", "RL207"}
    assert fingerprinted(lint_file(tmp_path, "alone.yaml", text)) == expected


def test_a_mapping_s_not_action_entry_of_iam_question_star_excludes_all_iam_star_does(
    tmp_path: Path,
) -> None:
    """``iam:?*`` is every IAM action, as ``iam:*`` is (no action name is empty), and the
    checks read it so (``iam_match.covers``); the builder compared them as text patterns,
    where ``?*`` does not cover an empty ``*``.  So ``["iam:?*", "s3:*"]`` in one region did
    not seem to exclude all ``iam:*`` in the other does, both were listed together, and every
    region was taken to grant neither IAM nor S3: the region granting S3 went unjudged."""
    statement = (
        "              - Effect: Allow\n"
        "                NotAction: {}\n"
        '                Resource: "*"\n'
    )
    wider = '["iam:?*", "s3:*"]'
    text = mapped(statement.format(BY_REGION), wider, '"iam:*"')
    alone = mapped(statement.format('"iam:*"'), wider, '"iam:*"')
    expected = fingerprinted(lint_file(tmp_path, "alone.yaml", alone))
    both = mapped(statement.format(wider), wider, '"iam:*"')
    assert expected != fingerprinted(lint_file(tmp_path, "alone.yaml", both))
    assert fingerprinted(lint_file(tmp_path, "alone.yaml", text)) == expected


# --- an Allow's negated condition whose values a condition chooses: judged per branch --------


def launch_under(test: str) -> str:
    """A CI role allowed iam:PassRole on the administrator role Deploy and
    cloudformation:CreateStack on every resource under the Condition block ``test``."""
    return f"""\
Parameters:
  Env: {{Type: String, AllowedValues: [dev, prod], Default: dev}}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: cloudformation.amazonaws.com}},
              Action: sts:AssumeRole}}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Ci:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: codebuild.amazonaws.com}},
              Action: sts:AssumeRole}}
      Policies:
        - PolicyName: ci
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: !GetAtt Deploy.Arn
              - Effect: Allow
                Action: cloudformation:CreateStack
                Resource: "*"
                Condition:
{test}"""


OTHER_ROLE = '!Sub "arn:aws:iam::${AWS::AccountId}:role/other"'


def escalation(tmp_path: Path, text: str) -> set[tuple[str, int, str]]:
    return {f for f in fingerprinted(lint_file(tmp_path, "ci.yaml", text)) if f[0] == "RL206"}


@pytest.mark.parametrize("operator", ["ArnNotEquals", "ArnNotLike", "StringNotEquals"])
def test_an_allow_whose_negated_condition_values_a_condition_chooses_is_judged_per_branch(
    tmp_path: Path, operator: str
) -> None:
    """``ArnNotEquals cloudformation:RoleArn: !If [IsDev, <deploy role>, <another role>]``:
    prod launches stacks passing any role but the other one, the administrator deploy role
    among them (RL206), as the statement written with that branch alone does.  Listed
    together, the values admitted no launch passing either role, in every deployment."""
    test = f"                  {operator}:\n                    cloudformation:RoleArn: {{}}\n"
    branches = f"!If [IsDev, !GetAtt Deploy.Arn, {OTHER_ROLE}]"
    expected = escalation(tmp_path, launch_under(test.format(OTHER_ROLE)))
    assert len(expected) == 1
    assert escalation(tmp_path, launch_under(test.format(branches))) == expected
    listed = f"!If [IsDev, [!GetAtt Deploy.Arn], [{OTHER_ROLE}, arn:aws:iam::1:role/x]]"
    assert {rule for rule, _, _ in escalation(tmp_path, launch_under(test.format(listed)))} == {
        "RL206"
    }
    # Where every branch spares the deploy role, no deployment passes it.
    spared = f"!If [IsDev, !GetAtt Deploy.Arn, [!GetAtt Deploy.Arn, {OTHER_ROLE}]]"
    assert escalation(tmp_path, launch_under(test.format(spared))) == set()


def test_an_allow_whose_negated_condition_values_a_mapping_chooses_keeps_those_excluding_least(
    tmp_path: Path,
) -> None:
    """``ArnNotLike cloudformation:RoleArn`` of every role in us-east-1 and of another role in
    eu-west-1: eu-west-1 launches stacks passing the deploy role (RL206).  Listed together,
    every role was spared in every region."""
    mappings = (
        "Mappings:\n  Regional:\n"
        '    us-east-1: {R: "arn:aws:iam::*:role/*"}\n'
        "    eu-west-1: {R: arn:aws:iam::111122223333:role/other}\n"
    )
    test = (
        "                  ArnNotLike:\n"
        "                    cloudformation:RoleArn: !FindInMap [Regional, !Ref AWS::Region, R]\n"
    )
    text = mappings + launch_under(test)
    assert {rule for rule, _, _ in escalation(tmp_path, text)} == {"RL206"}


def negated_values(tmp_path: Path, operator: str) -> list[str]:
    """The values the model holds for ``operator`` (a negated one) on ``s3:prefix`` when a
    Mappings entry the region picks gives them: ``a*`` in us-east-1, ``abc`` in eu-west-1."""
    statement = (
        "              - Effect: Allow\n"
        "                Action: s3:ListBucket\n"
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  {operator}:\n"
        f"                    s3:prefix: {BY_REGION}\n"
    )
    path = tmp_path / "prefix.yaml"
    path.write_text(mapped(statement, '"a*"', "abc"))
    inventory, report = read_inventory([str(path)])
    assert report.errors == []
    [role] = inventory.roles
    [condition] = [
        condition
        for document in role.policies
        for statement in document.statements
        for condition in statement.conditions
    ]
    assert condition.operator == operator
    return sorted(value.text for value in condition.values if value.text is not None)


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        # The pattern "a*" excludes every prefix "abc" does, and more: only "abc" is read.
        ("StringNotLike", ["abc"]),
        ("StringNotLikeIfExists", ["abc"]),
        # IAM spells IfExists so only, and the model reads "StringNotLikeifexists" as no
        # StringNotLike (its values literal texts, RL607 reporting the operator): the builder
        # compared its values as patterns all the same, as no other reader of it did.
        ("StringNotLikeifexists", ["a*", "abc"]),
        # Nor is a second set prefix one IAM takes, nor did the model read one past the first.
        ("ForAnyValue:ForAllValues:StringNotLike", ["a*", "abc"]),
    ],
)
def test_a_negated_operator_s_mapping_values_are_compared_as_the_model_reads_the_operator(
    tmp_path: Path, operator: str, values: list[str]
) -> None:
    assert negated_values(tmp_path, operator) == values


CONDITIONAL_NEGATED_TF = (
    """\
variable "dev" {
  type = bool
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudformation.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "launch" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.deploy.arn]
  }
  statement {
    actions   = ["cloudformation:CreateStack"]
    resources = ["*"]
    condition {
      test     = "ArnNotEquals"
      variable = "cloudformation:RoleArn"
      values   = var.dev ? [aws_iam_role.deploy.arn] : ["arn:aws:iam::111122223333:role/other"]
    }
  }
}

resource "aws_iam_role_policy" "launch" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.launch.json
}
"""
    + ROLE_TF
)


def test_terraform_negated_condition_values_a_conditional_chooses_are_judged_per_branch(
    tmp_path: Path,
) -> None:
    """``values = var.dev ? [<deploy role>] : [<another role>]`` under ``ArnNotEquals``: where
    dev is false the launch passes the administrator deploy role (RL206 at the PassRole's
    resources), as the statement written with that branch alone does."""
    text = CONDITIONAL_NEGATED_TF
    findings = found(lint_module(tmp_path, {"main.tf": text}))
    assert ("RL206", line_of(text, "resources = [aws_iam_role.deploy.arn]")) in findings
    alone = text.replace(
        'var.dev ? [aws_iam_role.deploy.arn] : ["arn:aws:iam::111122223333:role/other"]',
        '["arn:aws:iam::111122223333:role/other"]',
    )
    assert found(lint_module(tmp_path, {"main.tf": alone})) == findings


@pytest.mark.parametrize(
    ("general", "specific", "covered"),
    [
        # A stand-in's own colons are not field separators: its account is one field.
        ("arn:aws:iam::*:role/*", "arn:aws:iam::${AWS::AccountId}:role/x", True),
        ("arn:*:iam::*:role/*", "arn:${AWS::Partition}:iam::123456789012:role/x", True),
        # A literal account never covers the deployment's own, which may be any.
        ("arn:aws:iam::123456789012:role/*", "arn:aws:iam::${AWS::AccountId}:role/x", False),
        # Field by field: the resource's wildcard spans no colon of another field.
        ("arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/x", True),
        ("arn:aws:iam::*:role/a*", "arn:aws:iam::123456789012:role/b", False),
    ],
)
def test_an_arn_pattern_covers_an_arn_holding_stand_ins_field_by_field(
    general: str, specific: str, covered: bool
) -> None:
    """How the policy builder compares two options of an ARN operator's values (which one
    excludes least).  ``${AWS::AccountId}`` used to be cut at its own ``::``, so a pattern of
    every account never covered an ARN of the deployment's account: the options stayed listed
    together, excluding more than any deployment does."""
    from rolelint.wildcards import covers_arn_text

    assert covers_arn_text(general, specific) is covered
