"""One policy, written in every form rolelint reads: a CloudFormation YAML template, a Terraform
module and a raw IAM JSON policy file.

A test describes the statements once, as the Python values of the IAM JSON grammar, and
:func:`lint` writes them in a form and lints the result with the real pipeline.  Every list is
written one entry per line and every mapping one key per line, in every form, so a value such as
``"iam:PassRole"`` sits on a line of its own and :func:`line_of` can find the line a finding
must point at without any hard-coded number.

* CloudFormation: role ``Worker`` with the policy as its inline policy ``worker``
  (or as an ``AWS::IAM::ManagedPolicy`` attached to it when ``managed``); a boundary is an
  ``AWS::IAM::ManagedPolicy`` named by ``PermissionsBoundary: !Ref Boundary``.
* Terraform: ``aws_iam_role.worker`` with the policy as ``aws_iam_role_policy.worker``
  (``jsonencode``), or an ``aws_iam_policy`` and an attachment when ``managed``; a boundary is
  ``permissions_boundary = aws_iam_policy.boundary.arn``.  Written as ``main.tf`` in a folder of
  its own: a module is its folder.
* Raw JSON: the policy document alone.  A raw policy file has no role, so it can carry no
  permissions boundary and no managed policy attachments.

A trust policy is written the same ways by :func:`write_trust`: as the trust of role
``Deployer``, of ``aws_iam_role.deployer``, or alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolelint.api import lint_paths
from rolelint.findings import Finding

CLOUDFORMATION = "cloudformation"
TERRAFORM = "terraform"
RAW_JSON = "json"
FORMS = (CLOUDFORMATION, TERRAFORM, RAW_JSON)
ROLE_FORMS = (CLOUDFORMATION, TERRAFORM)  # the forms that have a role around the policy

CURRENT = "2012-10-17"


class Pairs(tuple[tuple[str, Any], ...]):
    """A mapping that may name a key twice, which a dict cannot (RL601):
    ``Pairs([("Resource", "arn:a"), ("Resource", "arn:b")])``."""


@dataclass(frozen=True)
class Policy:
    """A permission policy and what surrounds it.

    ``version`` None leaves Version out; ``statement`` replaces the whole Statement value (an
    object, or a list with entries that are not objects); ``boundary`` is the statements of a
    permissions boundary; ``managed_policy_arns`` are AWS managed policies attached to the role;
    ``managed`` makes the policy a customer managed policy attached to the role, not inline.
    """

    statements: Sequence[Any] = ()
    version: str | None = CURRENT
    statement: Any = None
    boundary: Sequence[Any] | None = None
    managed_policy_arns: Sequence[str] = ()
    managed: bool = False

    def document(self) -> Pairs:
        items: list[tuple[str, Any]] = []
        if self.version is not None:
            items.append(("Version", self.version))
        items.append(
            ("Statement", list(self.statements) if self.statement is None else self.statement)
        )
        return Pairs(items)


def _items(mapping: Any) -> list[tuple[str, Any]]:
    return list(mapping.items()) if isinstance(mapping, dict) else list(mapping)


def _is_mapping(value: Any) -> bool:
    return isinstance(value, (dict, Pairs))


# --- JSON -----------------------------------------------------------------------------------------


def to_json(value: Any, depth: int = 0) -> str:
    """JSON as ``json.dumps(indent=2)`` writes it, but keeping repeated keys."""
    pad = "  " * depth
    if _is_mapping(value):
        items = _items(value)
        if not items:
            return "{}"
        inner = ",\n".join(f"{pad}  {json.dumps(k)}: {to_json(v, depth + 1)}" for k, v in items)
        return "{\n" + inner + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = ",\n".join(f"{pad}  {to_json(v, depth + 1)}" for v in value)
        return "[\n" + inner + "\n" + pad + "]"
    return json.dumps(value)


# --- Terraform (HCL expressions inside jsonencode) ------------------------------------------------

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _hcl_string(text: str) -> str:
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def to_hcl(value: Any, depth: int = 0) -> str:
    """An HCL object or tuple constructor, as a user writes it inside ``jsonencode(...)``."""
    pad = "  " * depth
    if _is_mapping(value):
        items = _items(value)
        if not items:
            return "{}"
        lines = [
            f"{pad}  {k if _IDENTIFIER.match(k) else _hcl_string(k)} = {to_hcl(v, depth + 1)}"
            for k, v in items
        ]
        return "{\n" + "\n".join(lines) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "".join(f"{pad}  {to_hcl(v, depth + 1)},\n" for v in value)
        return "[\n" + inner + pad + "]"
    if isinstance(value, str):
        return _hcl_string(value)
    return json.dumps(value)


# --- YAML (block style) ---------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_]+$")


def _yaml_scalar(value: Any) -> str:
    if _is_mapping(value) and not _items(value):
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


# Plain words YAML 1.1 reads as null or a boolean: a condition operator ``Null`` must be quoted.
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})


def _yaml_key(key: str) -> str:
    plain = _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS
    return key if plain else json.dumps(key)


def _is_block(value: Any) -> bool:
    return (_is_mapping(value) and bool(_items(value))) or (isinstance(value, list) and bool(value))


def to_yaml(value: Any, depth: int) -> list[str]:
    """Block-style YAML lines of a mapping or a list, indented ``depth`` spaces."""
    pad = " " * depth
    lines: list[str] = []
    if _is_mapping(value):
        for key, item in _items(value):
            if _is_block(item):
                lines.append(f"{pad}{_yaml_key(key)}:")
                lines.extend(to_yaml(item, depth + 2))
            else:
                lines.append(f"{pad}{_yaml_key(key)}: {_yaml_scalar(item)}")
        return lines
    for item in value:
        if _is_mapping(item) and _items(item):
            inner = to_yaml(item, depth + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        elif isinstance(item, list) and item:
            lines.append(f"{pad}-")
            lines.extend(to_yaml(item, depth + 2))
        else:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


# --- The three forms ------------------------------------------------------------------------------


def cloudformation(policy: Policy) -> str:
    """A template with role ``Worker`` holding the policy."""
    role = [
        "Resources:",
        "  Worker:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        '        Version: "2012-10-17"',
        "        Statement:",
        "          - Effect: Allow",
        "            Principal: {Service: ec2.amazonaws.com}",
        "            Action: sts:AssumeRole",
    ]
    if policy.boundary is not None:
        role.append("      PermissionsBoundary: !Ref Boundary")
    if policy.managed_policy_arns:
        role.append("      ManagedPolicyArns:")
        role.extend(f"        - {arn}" for arn in policy.managed_policy_arns)
    if policy.managed:
        role += [
            "  WorkerPolicy:",
            "    Type: AWS::IAM::ManagedPolicy",
            "    Properties:",
            "      Roles: [!Ref Worker]",
            "      PolicyDocument:",
            *to_yaml(policy.document(), 8),
        ]
    else:
        role += [
            "      Policies:",
            "        - PolicyName: worker",
            "          PolicyDocument:",
            *to_yaml(policy.document(), 12),
        ]
    if policy.boundary is not None:
        boundary = Policy(policy.boundary).document()
        role += [
            "  Boundary:",
            "    Type: AWS::IAM::ManagedPolicy",
            "    Properties:",
            "      PolicyDocument:",
            *to_yaml(boundary, 8),
        ]
    return "\n".join(role) + "\n"


def terraform(policy: Policy) -> str:
    """A module with ``aws_iam_role.worker`` holding the policy."""
    role = [
        'resource "aws_iam_role" "worker" {',
        '  name = "worker"',
        "  assume_role_policy = jsonencode({",
        '    Version = "2012-10-17"',
        "    Statement = [{",
        '      Effect    = "Allow"',
        '      Principal = { Service = "ec2.amazonaws.com" }',
        '      Action    = "sts:AssumeRole"',
        "    }]",
        "  })",
    ]
    if policy.boundary is not None:
        role.append("  permissions_boundary = aws_iam_policy.boundary.arn")
    if policy.managed_policy_arns:
        role.append("  managed_policy_arns = [")
        role.extend(f'    "{arn}",' for arn in policy.managed_policy_arns)
        role.append("  ]")
    role.append("}")
    document = to_hcl(policy.document(), 1)
    if policy.managed:
        role += [
            "",
            'resource "aws_iam_policy" "worker" {',
            '  name   = "worker"',
            f"  policy = jsonencode({document})",
            "}",
            "",
            'resource "aws_iam_role_policy_attachment" "worker" {',
            "  role       = aws_iam_role.worker.name",
            "  policy_arn = aws_iam_policy.worker.arn",
            "}",
        ]
    else:
        role += [
            "",
            'resource "aws_iam_role_policy" "worker" {',
            '  name   = "worker"',
            "  role   = aws_iam_role.worker.id",
            f"  policy = jsonencode({document})",
            "}",
        ]
    if policy.boundary is not None:
        boundary = to_hcl(Policy(policy.boundary).document(), 1)
        role += [
            "",
            'resource "aws_iam_policy" "boundary" {',
            '  name   = "boundary"',
            f"  policy = jsonencode({boundary})",
            "}",
        ]
    return "\n".join(role) + "\n"


def raw_json(policy: Policy) -> str:
    """The policy document alone, as a policy file."""
    if policy.boundary is not None or policy.managed_policy_arns or policy.managed:
        raise ValueError("a raw policy file has no role: no boundary, no attachments")
    return to_json(policy.document()) + "\n"


WRITERS = {CLOUDFORMATION: cloudformation, TERRAFORM: terraform, RAW_JSON: raw_json}


# --- Linting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Linted:
    """The text rolelint read and what it found in it."""

    form: str
    text: str
    findings: list[Finding]

    def line(self, marker: str, after: str | None = None) -> int:
        return line_of(self.text, marker, after)

    def statement_line(self, marker: str, after: str | None = None) -> int:
        return statement_line(self.form, self.text, self.line(marker, after))

    def document_line(self) -> int:
        return document_line(self.form, self.text)

    def role_line(self) -> int:
        return role_line(self.form, self.text)

    def of(self, *rule_ids: str) -> list[Finding]:
        return [f for f in self.findings if f.rule_id in rule_ids]

    def pairs(self, *rule_ids: str) -> set[tuple[str, int]]:
        """(rule id, line) of the findings, of the given rules only when named."""
        return {
            (f.rule_id, f.location.line)
            for f in self.findings
            if not rule_ids or f.rule_id in rule_ids
        }

    def describe(self) -> str:
        found = "\n".join(f"  {f.location.line}: {f.rule_id} {f.message}" for f in self.findings)
        numbered = "\n".join(f"{n:3} {t}" for n, t in enumerate(self.text.splitlines(), 1))
        return f"findings:\n{found or '  none'}\n{self.form} text:\n{numbered}"


def write(form: str, policy: Policy, directory: Path) -> tuple[Path, str]:
    """Write the policy in ``form`` under ``directory``: the path to lint and the text."""
    text = WRITERS[form](policy)
    if form == TERRAFORM:
        module = directory / "module"
        module.mkdir()
        (module / "main.tf").write_text(text, encoding="utf-8")
        return module, text
    path = directory / ("template.yaml" if form == CLOUDFORMATION else "policy.json")
    path.write_text(text, encoding="utf-8")
    return path, text


def lint(form: str, policy: Policy, directory: Path) -> Linted:
    """Write and lint the policy; it must be read without input errors."""
    path, text = write(form, policy, directory)
    report = lint_paths([str(path)])
    assert report.errors == [], report.errors
    assert report.files_analyzed == 1
    return Linted(form, text, report.findings)


def write_trust(form: str, statements: Sequence[Any], directory: Path) -> tuple[Path, str]:
    """A trust policy of ``statements`` as CloudFormation role ``Deployer``, Terraform
    ``aws_iam_role.deployer`` (``jsonencode``) or a raw policy file, under ``directory``: the
    path to lint and the text."""
    document = {"Version": CURRENT, "Statement": list(statements)}
    if form == CLOUDFORMATION:
        text = "\n".join(
            [
                "Resources:",
                "  Deployer:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                "      AssumeRolePolicyDocument:",
                *to_yaml(document, 8),
                "",
            ]
        )
        path = directory / "template.yaml"
    elif form == TERRAFORM:
        text = "\n".join(
            [
                'resource "aws_iam_role" "deployer" {',
                '  name = "deployer"',
                f"  assume_role_policy = jsonencode({to_hcl(document, 1)})",
                "}",
                "",
            ]
        )
        module = directory / "module"
        module.mkdir()
        path = module / "main.tf"
    else:
        text = to_json(document) + "\n"
        path = directory / "policy.json"
    path.write_text(text, encoding="utf-8")
    return (path.parent if form == TERRAFORM else path), text


def lint_trust(form: str, directory: Path, *statements: Any) -> tuple[str, list[Finding]]:
    """Write and lint a trust policy of ``statements`` (:func:`write_trust`); it must be read
    without input errors.  The text and the findings."""
    path, text = write_trust(form, statements, directory)
    report = lint_paths([str(path)])
    assert report.errors == [], report.errors
    assert report.files_analyzed == 1
    return text, report.findings


# --- Where things are -----------------------------------------------------------------------------


def line_of(text: str, marker: str, after: str | None = None) -> int:
    """The 1-based line of the one line of ``text`` that contains ``marker``; with ``after``, of
    the first such line below the (one) line that contains ``after``."""
    lines = text.splitlines()
    if after is not None:
        start = line_of(text, after)
        hits = [n for n, line in enumerate(lines, 1) if n > start and marker in line][:1]
        assert hits, f"{marker!r} is nowhere below {after!r}"
    else:
        hits = [n for n, line in enumerate(lines, 1) if marker in line]
        assert len(hits) == 1, f"{marker!r} is on lines {hits}, not on exactly one"
    return hits[0]


def statement_line(form: str, text: str, number: int) -> int:
    """Where the statement holding line ``number`` (one of its keys) opens: its ``{`` line in
    JSON and Terraform, its ``- `` line in YAML."""
    lines = text.splitlines()
    indent = _indent(lines[number - 1])
    if lines[number - 1].lstrip().startswith("- "):
        indent += 2  # the first key of a YAML mapping sits on its "- " line
    for candidate in range(number, 0, -1):
        line = lines[candidate - 1]
        if _indent(line) != indent - 2:
            continue
        if line.lstrip().startswith("- ") if form == CLOUDFORMATION else line.strip() == "{":
            return candidate
    raise AssertionError(f"no statement opens above line {number}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def document_line(form: str, text: str) -> int:
    """Where the role's policy document opens: the ``{`` of JSON and ``jsonencode({``, the first
    key of a YAML mapping (the line after ``PolicyDocument:``)."""
    if form == RAW_JSON:
        return 1
    if form == CLOUDFORMATION:
        owner = "WorkerPolicy:" if "WorkerPolicy:" in text else "PolicyName: worker"
        return line_of(text, "PolicyDocument:", after=owner) + 1
    managed = 'resource "aws_iam_policy" "worker"'
    owner = managed if managed in text else 'resource "aws_iam_role_policy" "worker"'
    return line_of(text, "policy = jsonencode(", after=owner)


def role_line(form: str, text: str) -> int:
    """Where role Worker is declared (no role in a raw policy file)."""
    if form == CLOUDFORMATION:
        return line_of(text, "  Worker:")
    assert form == TERRAFORM, "a raw policy file has no role"
    return line_of(text, 'resource "aws_iam_role" "worker" {')
