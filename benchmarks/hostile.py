"""rolelint on small inputs that describe a lot of work: the shapes that once made it slow,
memory-hungry or crash, written here so that each limit and index can be measured again.

Usage (from the repository root, with the development virtualenv):

    .venv/bin/python benchmarks/hostile.py [--only NAME ...] [--tree PATH] [--timeout SECONDS]

Each case writes its input into a temporary folder, runs one rolelint command on it (output to
a file, as a CI step would; a baseline case records a baseline, then checks with it), and
prints the input's size, the wall time, the peak resident memory, the exit code and what the
run said (findings, notices, errors, or the report's size).
``--tree PATH`` runs the rolelint of another checkout (``PYTHONPATH=PATH``), to compare a change
with the code before it: ``git worktree add /tmp/before <commit>``.  Every number in the table
comes from one run on this machine; nothing here is asserted by the tests, which hold smaller
versions of each case to their results (see docs/fuzzing.md, "Inputs that grow").
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from compare import compile_rolelint, run_once  # same folder: run as a script

Writer = Callable[[Path], Path]  # writes the case's input under a folder, returns what to check


def _trust(principal: object) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


EC2 = {"Service": "ec2.amazonaws.com"}


def _role(trust: object, **properties: object) -> dict[str, object]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": trust, **properties},
    }


def _policy(*statements: Mapping[str, object]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _write_json(path: Path, document: object, compact: bool = False) -> Path:
    separators = (",", ":") if compact else None
    path.write_text(json.dumps(document, indent=None if compact else 1, separators=separators))
    return path


def _one_role(folder: Path, statements: list[dict[str, object]]) -> Path:
    """A template of one role whose inline policy holds ``statements``."""
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(*statements)}]
    template = {"Resources": {"R": _role(_trust(EC2), Policies=policies)}}
    return _write_json(folder / "t.json", template)


def many_principals(folder: Path) -> Path:
    """One role trusting 20,000 accounts (its callers were graded by searching its statements)."""
    accounts = [f"arn:aws:iam::{100000000000 + n}:root" for n in range(20_000)]
    return _write_json(folder / "t.json", {"Resources": {"R": _role(_trust({"AWS": accounts}))}})


def wide_statements(folder: Path) -> Path:
    """300 roles, each one statement of 206 actions (200 unknown) on 300 resources."""
    actions = [f"iam:{a}" for a in ("PassRole", "CreateUser", "AttachRolePolicy")]
    actions += [f"iam:{a}" for a in ("PutRolePolicy", "CreateAccessKey", "UpdateAssumeRolePolicy")]
    actions += [f"s3:GetObject{n}" for n in range(200)]
    buckets = [f"arn:aws:s3:::b{n}/*" for n in range(300)]
    statement = {"Effect": "Allow", "Action": actions, "Resource": buckets}
    trust = _trust({"Service": "lambda.amazonaws.com"})
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    roles = {f"R{n}": _role(trust, Policies=policies) for n in range(300)}
    return _write_json(folder / "t.json", {"Resources": roles}, compact=True)


def managed_attachments(folder: Path) -> Path:
    """1,000 roles, each attached to the template's 300 managed policies by Ref."""
    resources: dict[str, object] = {
        f"P{p}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": _policy(
                    {"Effect": "Allow", "Action": f"s3:Get{p}*", "Resource": "*"}
                )
            },
        }
        for p in range(300)
    }
    refs = [{"Ref": f"P{p}"} for p in range(300)]
    for n in range(1_000):
        resources[f"R{n}"] = _role(_trust(EC2), ManagedPolicyArns=refs)
    return _write_json(folder / "t.json", {"Resources": resources}, compact=True)


def shared_inline_policies(folder: Path) -> Path:
    """200 AWS::IAM::Policy resources, each naming the same 2,000 roles by RoleName."""
    resources: dict[str, object] = {
        f"R{n}": _role(_trust(EC2), RoleName=f"role-{n}") for n in range(2_000)
    }
    for p in range(200):
        statement = {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::b{p}/*",
        }
        resources[f"P{p}"] = {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": f"p{p}",
                "Roles": [f"role-{n}" for n in range(2_000)],
                "PolicyDocument": _policy(statement),
            },
        }
    return _write_json(folder / "t.json", {"Resources": resources}, compact=True)


_LETTERS = "aeioustrnlcd"


def dense_graph(folder: Path) -> Path:
    """800 roles trusting their account, each allowed sts:AssumeRole on a role-name pattern
    that matches hundreds of the others (crowds are formed for '*' only)."""
    root = {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}
    roles = {}
    for n in range(800):
        name = "".join(_LETTERS[(n * 7 + k * 5) % len(_LETTERS)] for k in range(10))
        pattern = f"arn:aws:iam::*:role/*{_LETTERS[n % 3]}*{_LETTERS[(n // 3) % 4]}*"
        statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern}
        roles[f"Role{n}"] = _role(
            _trust({"AWS": root}),
            RoleName=f"role-{n}-{name}",
            Policies=[{"PolicyName": "p", "PolicyDocument": _policy(statement)}],
        )
    return _write_json(folder / "t.json", {"Resources": roles})


def wide_patterns(folder: Path) -> Path:
    """A 29 KB policy file of 1,728 distinct '*:*a*e*' patterns, each matching thousands of
    catalog actions."""
    actions = ["*:*" + "*".join(letters) + "*" for letters in product(_LETTERS, repeat=3)]
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    return _write_json(folder / "policy.json", _policy(statement))


def suppressions(folder: Path) -> Path:
    """3,000 roles open to everyone, each under ten in-source suppression comments."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for n in range(3_000):
        lines += [f"  # rolelint:ignore RL10{k % 9 + 1} reason {k}" for k in range(10)]
        lines += [
            f"  Role{n}:",
            "    Type: AWS::IAM::Role",
            "    Properties:",
            "      AssumeRolePolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Principal: '*'",
            "            Action: sts:AssumeRole",
        ]
    path = folder / "t.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


_GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"


def conditioned_trusts(folder: Path) -> Path:
    """3,000 roles, each trusting an outside account under an ExternalId and an organization,
    GitHub's provider under its audience and subject, and ``"*"`` under a role's ARN (every
    trust rule, the graph and the inventory asked each statement whether it never applies)."""
    resources = {}
    for n in range(3_000):
        statements = [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::4444555{n % 10}6666:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {
                        "sts:ExternalId": f"ext-{n:06d}-a1b2c3d4",
                        "aws:PrincipalOrgID": "o-a1b2c3d4e5",
                    }
                },
            },
            {
                "Effect": "Allow",
                "Principal": {"Federated": _GITHUB},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
                    },
                    "StringLike": {"token.actions.githubusercontent.com:sub": f"repo:acme/a{n}:*"},
                },
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::444455556666:role/r{n}"}
                },
            },
        ]
        resources[f"R{n}"] = _role(_policy(*statements))
    return _write_json(folder / "t.json", {"Resources": resources})


def allows_and_denies(folder: Path) -> Path:
    """One role whose policy holds 400 Allows and 400 Denies of overlapping action patterns."""
    statements: list[dict[str, object]] = []
    for n in range(400):
        statements.append({"Effect": "Allow", "Action": f"iam:Put{n:03}*", "Resource": "*"})
        statements.append({"Effect": "Deny", "Action": f"iam:Put{n:03}Role*", "Resource": "*"})
    return _one_role(folder, statements)


def long_patterns(folder: Path) -> Path:
    """Allow and Deny patterns of 3,000 characters (their comparison used to recurse)."""
    long = "iam:a*" + "b" * 3_000 + "*"
    return _one_role(
        folder,
        [
            {"Effect": "Allow", "Action": long, "Resource": "*"},
            {"Effect": "Deny", "Action": long + "c", "Resource": "*"},
        ],
    )


def megabyte_pattern(folder: Path) -> Path:
    """An Allow of one 3 MB action pattern, and a Deny beside it (it did not finish in 300 s)."""
    return _one_role(
        folder,
        [
            {"Effect": "Allow", "Action": "iam:" + "x" * 3_000_000 + "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*a*", "Resource": "*"},
        ],
    )


def duplicate_keys(folder: Path) -> Path:
    """A template of 15,000 resources, each written twice."""
    lines = ["Resources:"]
    for n in range(30_000):
        lines += [f"  B{n % 15_000}:", "    Type: AWS::S3::Bucket"]
    path = folder / "t.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def configuration_patterns(folder: Path) -> Path:
    """2,000 templates (10,000 findings) under a .rolelint.yaml of 3,000 per-path-ignores and
    3,000 excludes."""
    project = folder / "project"
    (project / "t").mkdir(parents=True)
    trust = _trust({"AWS": "*"})
    for n in range(2_000):
        template = {"Resources": {f"R{k}": _role(trust) for k in range(5)}}
        _write_json(project / "t" / f"t{n}.json", template, compact=True)
    lines = ["per-path-ignores:"]
    lines += [f'  "t/x{n}*/**/*.json": [RL101]' for n in range(3_000)]
    lines += ["exclude:"] + [f'  - "t/y{n}*/**"' for n in range(3_000)]
    (project / ".rolelint.yaml").write_text("\n".join(lines) + "\n")
    return project


def chained_documents(folder: Path) -> Path:
    """A Terraform role whose inline policy is the last of 400 aws_iam_policy_documents, each
    including the one before it (past the evaluator's depth: a notice, not silence)."""
    module = folder / "module"
    module.mkdir()
    blocks = [
        'data "aws_iam_policy_document" "d0" {\n'
        '  statement {\n    actions = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}'
    ]
    for n in range(1, 400):
        blocks.append(
            f'data "aws_iam_policy_document" "d{n}" {{\n'
            f"  source_policy_documents = [data.aws_iam_policy_document.d{n - 1}.json]\n"
            f'  statement {{\n    sid = "s{n}"\n    actions = ["s3:GetObject"]\n'
            f'    resources = ["arn:aws:s3:::b{n}/*"]\n  }}\n}}'
        )
    trust = json.dumps(_trust(EC2)).replace('"', '\\"')
    blocks.append(
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        f'  assume_role_policy = "{trust}"\n'
        '  inline_policy {\n    name = "p"\n'
        "    policy = data.aws_iam_policy_document.d399.json\n  }\n}"
    )
    (module / "main.tf").write_text("\n\n".join(blocks) + "\n")
    return module


def name_chain(folder: Path) -> Path:
    """3,000 Terraform roles, each named after the next (``name = aws_iam_role.r1.name``):
    every name leads through the rest of the chain, past the evaluator's depth."""
    module = folder / "module"
    module.mkdir()
    trust = json.dumps(_trust(EC2)).replace('"', '\\"')
    blocks = [
        f'resource "aws_iam_role" "r{n}" {{\n'
        f"  name = {f'aws_iam_role.r{n + 1}.name' if n < 2_999 else chr(34) + 'last' + chr(34)}\n"
        f'  assume_role_policy = "{trust}"\n}}'
        for n in range(3_000)
    ]
    (module / "main.tf").write_text("\n\n".join(blocks) + "\n")
    return module


def module_chain(folder: Path) -> Path:
    """1,500 local Terraform modules, each calling the next: every folder is a root, and each
    follows its calls to the depth limit (10), with a notice where it stops."""
    for n in range(1_500):
        module = folder / f"m{n}"
        module.mkdir()
        if n < 1_499:
            text = f'module "next" {{\n  source = "../m{n + 1}"\n}}\n'
        else:
            trust = json.dumps(_trust(EC2)).replace('"', '\\"')
            text = f'resource "aws_iam_role" "r" {{\n  assume_role_policy = "{trust}"\n}}\n'
        (module / "main.tf").write_text(text)
    return folder


def users_in_groups(folder: Path) -> Path:
    """An account export of 1,000 users sharing one broad policy, each in 10 of 20 groups of
    10 policies with Denies: every user limits the shared grant with its own and its groups'
    Denies (quadratic in users when each was judged against every other's)."""
    deny = {
        "Effect": "Deny",
        "Action": ["ec2:TerminateInstances", "s3:DeleteBucket"],
        "Resource": "*",
    }
    read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    shared_statements = [
        {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances", "s3:*"], "Resource": "*"}
    ]
    shared = {
        "PolicyName": "Shared",
        "Arn": "arn:aws:iam::111122223333:policy/Shared",
        "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": True, "Document": _policy(*shared_statements)}
        ],
    }
    groups = [
        {
            "GroupName": f"g{n}",
            "Arn": f"arn:aws:iam::111122223333:group/g{n}",
            "GroupPolicyList": [
                {"PolicyName": f"p{m}", "PolicyDocument": _policy(deny, read)} for m in range(10)
            ],
        }
        for n in range(20)
    ]
    users = [
        {
            "UserName": f"u{n}",
            "Arn": f"arn:aws:iam::111122223333:user/u{n}",
            "AttachedManagedPolicies": [{"PolicyName": "Shared", "PolicyArn": shared["Arn"]}],
            "GroupList": [f"g{(n + k) % 20}" for k in range(10)],
        }
        for n in range(1_000)
    ]
    export = {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": []}
    return _write_json(folder / "export.json", {**export, "Policies": [shared]})


def for_each_roles(folder: Path) -> Path:
    """5,000 Terraform roles of one ``for_each`` map, each with an inline policy of a second
    ``for_each`` over the roles naming its role by key (``aws_iam_role.r[each.key].arn``):
    every instance is analyzed, and every reference indexes the map of 5,000 instances."""
    module = folder / "module"
    module.mkdir()
    entries = "\n".join(
        f'    r{n} = "arn:aws:iam::{100_000_000_000 + n}:root"' for n in range(5_000)
    )
    external_id = '{ StringEquals = { "sts:ExternalId" = "id-${each.key}-0a1b2c3d4e5f" } }'
    text = (
        f"locals {{\n  callers = {{\n{entries}\n  }}\n}}\n\n"
        'resource "aws_iam_role" "r" {\n  for_each = local.callers\n'
        '  name = "role-${each.key}"\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow",'
        ' Action = "sts:AssumeRole", Principal = { AWS = each.value },'
        f" Condition = {external_id} }}]\n  }})\n}}\n\n"
        'resource "aws_iam_role_policy" "p" {\n  for_each = aws_iam_role.r\n'
        "  role = each.value.id\n  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow",'
        ' Action = "iam:GetRole", Resource = aws_iam_role.r[each.key].arn }]\n  })\n}\n'
    )
    (module / "main.tf").write_text(text)
    return module


def wide_statement(folder: Path) -> Path:
    """One inline statement naming 6,000 resources that are no ARNs: RL608 on each, 6,000
    findings in one statement, each of whose baseline entries listed the digests of all 6,000
    elements (a 722 MB baseline)."""
    names = ", ".join(f"b{n}" for n in range(6_000))
    text = (
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        '            Version: "2012-10-17"\n            Statement:\n'
        "              - Effect: Allow\n                Action: s3:GetObject\n"
        f"                Resource: [{names}]\n"
    )
    (folder / "t.yaml").write_text(text)
    return folder / "t.yaml"


def wildcard_on_resources(folder: Path) -> Path:
    """One statement of ``"*"`` ten times on 2,000 bucket ARNs: RL612 tried the format of each
    of the 2,300 resource types ``"*"`` acts on against each bucket, for each copy (37 million
    tries)."""
    buckets = [f"arn:aws:s3:::b{n}" for n in range(2_000)]
    return _one_role(folder, [{"Effect": "Allow", "Action": ["*"] * 10, "Resource": buckets}])


def unnamed_resources(folder: Path) -> Path:
    """One statement of ``s3:*``, ``lambda:*`` and ``dynamodb:*`` on 1,000 roles without a
    name (``!GetAtt Ri.Arn``), each at a path of its own: RL612 tried every format of the
    three on each role, a walk of the stand-in for each, where a role with a name is tried
    against IAM's formats alone."""
    resources: dict[str, object] = {
        f"R{n}": _role(_trust(EC2), Path=f"/p{n}/") for n in range(1_000)
    }
    statement = {
        "Effect": "Allow",
        "Action": ["s3:*", "lambda:*", "dynamodb:*"],
        "Resource": [{"Fn::GetAtt": [f"R{n}", "Arn"]} for n in range(1_000)],
    }
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    resources["Holder"] = _role(_trust(EC2), Policies=policies)
    return _write_json(folder / "t.json", {"Resources": resources})


def assumable_unnamed(folder: Path) -> Path:
    """2,000 roles without a name, all assumable by one grant (``sts:AssumeRole`` on ``!GetAtt
    Ri.Arn`` for each): every resource of the grant was compared with every role (85 s, where
    roles with names took 5 s)."""
    resources: dict[str, object] = {f"R{n}": _role(_trust(EC2)) for n in range(2_000)}
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": [{"Fn::GetAtt": [f"R{n}", "Arn"]} for n in range(2_000)],
    }
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    resources["Holder"] = _role(_trust(EC2), Policies=policies)
    return _write_json(folder / "t.json", {"Resources": resources})


def ifs_on_own_conditions(folder: Path) -> Path:
    """One statement of 1,600 ``Fn::If``s in Action (``s3:Get<i>`` or ``"*"``) and 1,600 in
    Resource (a bucket or ``"*"``), each on a condition of its own: a pair on the same
    condition splits the statement, whose parts list ``"*"`` hundreds of times in each, and
    RL201 went through every resource again for each ``"*"`` (20 million questions)."""
    count = 1_600
    conditions = {f"C{i}": {"Fn::Equals": [{"Ref": "Env"}, f"e{i}"]} for i in range(count)}
    return _ifs_on(folder, conditions, "C")


def condition_chain(folder: Path) -> Path:
    """500 conditions, each naming the one before (``Ki: !Or [!Condition K(i-1), !Equals [!Ref
    Env, xi]]``), and one statement of an ``Fn::If`` on each in Action and in Resource: naming
    each condition compared it with 50 earlier ones, four questions a pair, and read the given
    condition anew for each (5 million nodes)."""
    count = 500
    conditions: dict[str, object] = {"K0": {"Fn::Equals": [{"Ref": "Env"}, "x"]}}
    for i in range(1, count):
        equals = {"Fn::Equals": [{"Ref": "Env"}, f"x{i}"]}
        conditions[f"K{i}"] = {"Fn::Or": [{"Condition": f"K{i - 1}"}, equals]}
    return _ifs_on(folder, conditions, "K")


def _ifs_on(folder: Path, conditions: Mapping[str, object], prefix: str) -> Path:
    """A template of ``conditions`` (named ``prefix`` and a number) and one role whose one
    statement holds an ``Fn::If`` on each in Action (``s3:Get<i>`` or ``"*"``) and in Resource
    (a bucket or ``"*"``)."""
    names = [f"{prefix}{i}" for i in range(len(conditions))]
    actions = [{"Fn::If": [name, f"s3:Get{i}", "*"]} for i, name in enumerate(names)]
    buckets = [{"Fn::If": [name, f"arn:aws:s3:::b{i}", "*"]} for i, name in enumerate(names)]
    statement = {"Effect": "Allow", "Action": actions, "Resource": buckets}
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    template = {
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Conditions": conditions,
        "Resources": {"R": _role(_trust(EC2), Policies=policies)},
    }
    return _write_json(folder / "t.json", template)


def unclosed_sub(folder: Path) -> Path:
    """An Fn::Sub of 100,000 ``${`` that no ``}`` closes (each was searched to the end)."""
    sub = {"Fn::Sub": "arn:aws:s3:::" + "${" * 100_000 + "/*"}
    return _one_role(folder, [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": sub}])


def unclosed_policy_text(folder: Path) -> Path:
    """A Sid, a Resource and a Deny's NotResource of 50,000 ``${`` each (read by RL614's
    spelling and the NotResource comparison once per ``${``)."""
    many = "${" * 50_000
    resource = "arn:aws:s3:::b/" + many
    return _one_role(
        folder,
        [
            {"Sid": "A" + many, "Effect": "Allow", "Action": "s3:GetObject", "Resource": resource},
            {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": resource + "x"},
        ],
    )


def stand_in_openers(folder: Path) -> Path:
    """A role named 20,000 ``<generated:`` and at a path of 20,000 ``/<generated:a``, none
    closed by a ">", in its trust policy and its policy's Resource (each search for a name's
    stand-in read from each opener to the end of the text)."""
    arn = "arn:aws:iam::111122223333:role" + "/<generated:a" * 20_000
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn}
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    role = _role(_trust({"AWS": arn}), RoleName="<generated:" * 20_000, Policies=policies)
    return _write_json(folder / "t.json", {"Resources": {"R": role}})


def module_openers(folder: Path) -> Path:
    """A role named ``<generated:`` and 8,000 ``#module.``, trusting and assuming itself: each
    message and card saying whose name it stands for read on from each ``#module.`` to the end
    of the stand-in, for a Terraform resource address after it (4 s each)."""
    name = "<generated:" + "#module." * 8_000 + ">"
    arn = f"arn:aws:iam::111122223333:role/{name}"
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn}
    policies = [{"PolicyName": "p", "PolicyDocument": _policy(statement)}]
    role = _role(_trust({"AWS": arn}), RoleName=name, Policies=policies)
    return _write_json(folder / "t.json", {"Resources": {"R": role}})


def _policy_module(folder: Path, policy: str) -> Path:
    """A Terraform module of one role and an inline policy written ``policy``."""
    module = folder / "module"
    module.mkdir()
    trust = json.dumps(_trust(EC2)).replace('"', '\\"')
    (module / "main.tf").write_text(
        f'resource "aws_iam_role" "r" {{\n  name = "r"\n  assume_role_policy = "{trust}"\n}}\n'
        'resource "aws_iam_role_policy" "p" {\n  role = aws_iam_role.r.id\n'
        f"  policy = {policy}\n}}\n"
    )
    return module


_UNCLOSED_JSON = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"'
    + "${" * 20_000
    + '"}]}'
)


def unclosed_heredoc(folder: Path) -> Path:
    """A heredoc policy whose Resource holds 20,000 ``${`` and no ``}`` closing them (each was
    brace-matched to the end of the text)."""
    return _policy_module(folder, f"<<EOT\n{_UNCLOSED_JSON}\nEOT")


def unclosed_levels(folder: Path) -> Path:
    """A heredoc policy whose Resource holds 20,000 ``${{`` (a level more after each ``${``)."""
    policy = _UNCLOSED_JSON.replace("${" * 20_000, "${{" * 20_000)
    return _policy_module(folder, f"<<EOT\n{policy}\nEOT")


def comments_between(folder: Path) -> Path:
    """A heredoc policy whose Resource holds 20,000 ``${/**/`` (a comment between each two
    ``${``, which each brace match read on its own to the end of the text)."""
    policy = _UNCLOSED_JSON.replace("${" * 20_000, "${/**/" * 20_000)
    return _policy_module(folder, f"<<EOT\n{policy}\nEOT")


def unclosed_template_file(folder: Path) -> Path:
    """The same JSON in a ``templatefile()`` template (matched again in restoring it)."""
    module = _policy_module(folder, 'templatefile("${path.module}/p.json.tpl", {x = "a"})')
    (module / "p.json.tpl").write_text(_UNCLOSED_JSON)
    return module


def unclosed_escapes(folder: Path) -> Path:
    """A 590 KB ``.tf`` file (cut into pieces, being over 256 KB) ending in a string of 80,000
    ``$${"`` (each searched to the end for its ``}``); it does not parse."""
    module = folder / "module"
    module.mkdir()
    blocks = [f'locals {{\n  a{n} = "{"x" * 200}"\n}}\n' for n in range(1_200)]
    blocks.append('locals {\n  z = "' + '$${"' * 80_000 + "\n")
    (module / "main.tf").write_text("".join(blocks))
    return module


@dataclass(frozen=True)
class Case:
    name: str
    write: Writer
    # The rolelint command: check or report; or baseline: check --write-baseline, then check
    # --baseline with the file it wrote (a row each).
    command: str


CASES = [
    Case("many-principals", many_principals, "report"),
    Case("wide-statements", wide_statements, "report"),
    Case("managed-attachments", managed_attachments, "check"),
    Case("shared-inline-policies", shared_inline_policies, "check"),
    Case("dense-graph", dense_graph, "check"),
    Case("wide-patterns", wide_patterns, "check"),
    Case("suppressions", suppressions, "check"),
    Case("conditioned-trusts", conditioned_trusts, "check"),
    Case("allows-and-denies", allows_and_denies, "check"),
    Case("long-patterns", long_patterns, "check"),
    Case("megabyte-pattern", megabyte_pattern, "check"),
    Case("duplicate-keys", duplicate_keys, "check"),
    Case("configuration-patterns", configuration_patterns, "check"),
    Case("chained-documents", chained_documents, "check"),
    Case("name-chain", name_chain, "check"),
    Case("module-chain", module_chain, "check"),
    Case("users-in-groups", users_in_groups, "check"),
    Case("for-each-roles", for_each_roles, "check"),
    Case("wide-statement", wide_statement, "baseline"),
    Case("wildcard-on-resources", wildcard_on_resources, "check"),
    Case("unnamed-resources", unnamed_resources, "check"),
    Case("assumable-unnamed", assumable_unnamed, "check"),
    Case("ifs-on-own-conditions", ifs_on_own_conditions, "check"),
    Case("condition-chain", condition_chain, "check"),
    Case("unclosed-sub", unclosed_sub, "check"),
    Case("unclosed-policy-text", unclosed_policy_text, "check"),
    Case("stand-in-openers", stand_in_openers, "check"),
    Case("module-openers", module_openers, "report"),
    Case("unclosed-heredoc", unclosed_heredoc, "check"),
    Case("unclosed-levels", unclosed_levels, "check"),
    Case("comments-between", comments_between, "check"),
    Case("unclosed-template-file", unclosed_template_file, "check"),
    Case("unclosed-escapes", unclosed_escapes, "check"),
]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# Counts a run's JSON in a process of its own: the benchmark must stay small, as Linux carries a
# process's peak memory into the processes it starts (through fork and exec), and reading a
# 300 MB report here would show as the peak of every run after it.
_COUNT = """
import json, sys
report = json.load(open(sys.argv[1]))
print(f"{len(report['findings']):,} findings, {len(report['notices']):,} notices, "
      f"{len(report['errors']):,} errors")
"""


def _said(command: str, output: Path, baseline: Path | None = None) -> str:
    """What the run reported: counts from its JSON (and the size of the baseline it wrote), or
    the size of its HTML report."""
    if not output.exists():
        return "no output"
    if command == "report":
        return f"{output.stat().st_size / 1e6:.1f} MB of HTML"
    if baseline is not None:
        written = f"{baseline.stat().st_size / 1e6:.1f} MB" if baseline.exists() else "none"
        return f"{_said(command, output)}; baseline {written}"
    counted = subprocess.run(
        [sys.executable, "-c", _COUNT, str(output)], capture_output=True, text=True, check=False
    )
    return counted.stdout.strip() or "unreadable output"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=[case.name for case in CASES])
    parser.add_argument("--tree", help="run the rolelint of this checkout (PYTHONPATH)")
    parser.add_argument("--timeout", type=float, default=600.0)
    arguments = parser.parse_args()
    environment: dict[str, str] = {}
    if arguments.tree:
        tree = Path(arguments.tree).resolve()
        environment["PYTHONPATH"] = str(tree)
        compileall.compile_dir(tree / "rolelint", quiet=1)  # as compile_rolelint does
    else:
        compile_rolelint()
    chosen = [case for case in CASES if not arguments.only or case.name in arguments.only]
    print(f"{'case':24} {'input':>9} {'command':8} {'wall s':>8} {'peak MB':>8} {'exit':>4}  said")
    with tempfile.TemporaryDirectory() as temporary:
        for case in chosen:
            folder = Path(temporary) / case.name
            folder.mkdir()
            target = case.write(folder)
            for shown, arguments_of_run in _runs(case, folder):
                output = folder / ("report.html" if case.command == "report" else "report.json")
                output.unlink(missing_ok=True)  # a run that fails writes none
                command = [sys.executable, "-m", "rolelint", *arguments_of_run, str(target)]
                command += ["--no-cache", "-o", str(output)]
                # Run from the case's folder: 'python -m' puts the working folder first on
                # the path, which would shadow --tree when run from a checkout.
                seconds, peak, code = run_once(command, environment, arguments.timeout, folder)
                wall = "timeout" if code is None else f"{seconds:.2f}"
                baseline = folder / "baseline.json" if shown == "write" else None
                print(
                    f"{case.name:24} {_size(target) / 1e6:7.2f}MB {shown:8} {wall:>8} "
                    f"{peak:8.0f} {code if code is not None else '-':>4}  "
                    f"{_said(case.command, output, baseline)}",
                    flush=True,
                )


def _runs(case: Case, folder: Path) -> list[tuple[str, list[str]]]:
    """The runs of a case: what its row calls each, and the arguments before the input's."""
    if case.command == "report":
        return [("report", ["report"])]
    if case.command == "check":
        return [("check", ["check", "-f", "json"])]
    baseline = str(folder / "baseline.json")
    return [
        ("write", ["check", "-f", "json", "--isolated", "--write-baseline", baseline]),
        ("apply", ["check", "-f", "json", "--isolated", "--baseline", baseline]),
    ]


if __name__ == "__main__":
    main()
