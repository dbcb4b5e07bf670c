"""Input formats: detect what a file is and turn it into the role model.

``parse_source`` is the single entry point the api calls; it knows every format and nothing of
rules.  Files that are not infrastructure-as-code (Kubernetes manifests, buildspecs,
package.json ...) are skipped quietly: pre-commit hands every YAML and JSON file to rolelint.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from rolelint.findings import InputError
from rolelint.model import Inventory
from rolelint.parsers.tree import LoadedDocument, LoadError, PMap

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
TEMPLATE_SUFFIXES = (".template", ".cfn", ".tmpl")
# Terraform files are read a directory (module) at a time, see rolelint.parsers.terraform.
TF_SUFFIXES = (".tf", ".tf.json")
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
TERRAFORM_SUFFIXES = (*TF_SUFFIXES, *TFVARS_SUFFIXES)
SUPPORTED_SUFFIXES = YAML_SUFFIXES + JSON_SUFFIXES + TEMPLATE_SUFFIXES + TERRAFORM_SUFFIXES
# Templates of Terraform's templatefile() and nothing else: no policy until Terraform renders
# them, so never read as one of their own (rolelint.api reads them as their module's policy).
# A folder scan does not look for them; ``.tmpl`` is a CloudFormation suffix as well.
RENDERED_TEMPLATE_SUFFIXES = (".tftpl", ".tpl")
# HCL that is not Terraform (Terragrunt, Packer, Nomad): found, and counted as skipped.
NOT_YET_SUPPORTED_SUFFIXES = (".hcl",)
# The files written in HCL's native syntax (the others are JSON or YAML).
HCL_SUFFIXES = (".tf", ".tfvars", *NOT_YET_SUPPORTED_SUFFIXES)

# The prefix of an AWS::LanguageExtensions loop's key (``Fn::ForEach::Roles``): told here, where
# a document is recognised, so that recognising one needs no CloudFormation resolver
# (rolelint.parsers.cfn_foreach writes the loops out).
FOR_EACH = "Fn::ForEach::"

# Why a file was skipped, as the summary says it.
SKIP_NOT_IAC = "not a CloudFormation template or IAM policy"
SKIP_OTHER_HCL = "HCL that is not Terraform (.hcl)"
SKIP_RAW_STATE = "raw Terraform state, not terraform show -json output"
SKIP_UNLOADED_TFVARS = "tfvars file Terraform does not load by itself: its values are not used"
SKIP_STDIN_TFVARS = (
    "tfvars file on standard input: its values are used only with its module's .tf files"
)
SKIP_TERRAFORM_IGNORED = "hidden or editor file Terraform does not read (.x.tf, .#x.tf)"
SKIP_TERRAFORM_CASE = (
    "Terraform file whose suffix is not lower-case (.TF): Terraform does not read it"
)
SKIP_STACK_POLICY = "CloudFormation stack policy, not an IAM policy"
SKIP_CONFIG_ITEMS = "AWS Config configuration items, a format rolelint does not read"
SKIP_UNRENDERED_TEMPLATE = "not rendered by a scanned module's templatefile()"
# The format of a policy document read on its own (a raw policy file: its findings' resource
# is the file itself).
POLICY_FORMAT = "policy"
# The format of a CloudFormation (or SAM) template.
CLOUDFORMATION_FORMAT = "cloudformation"

# Text that marks a file as meant for AWS: a file holding every word of one of these that fails
# to parse is an error; one without (a Helm chart, a Jinja template) is simply not ours and is
# skipped.  Terraform's JSON is told by two keys together: "values" alone is every Helm values
# file, and other Terraform commands (providers schema, validate) write "format_version" alone.
_IAC_MARKERS: tuple[tuple[str, ...], ...] = (
    ("AWSTemplateFormatVersion",),
    ("AWS::",),
    ('"Statement"',),
    ("Statement:",),
    ("planned_values",),
    ('"format_version"', '"terraform_version"'),  # a state (or plan) cut short
    # An account authorization details export, or a get-role, list-roles, get-role-policy or
    # get-policy-version answer, cut short before any policy statement (their documents may be
    # URL-encoded, so "Statement" is not in them).
    ('"RoleDetailList"',),
    ('"UserDetailList"',),
    ('"GroupDetailList"',),
    ('"PolicyVersionList"',),
    ('"AssumeRolePolicyDocument"',),
    ('"PolicyName"', '"PolicyDocument"'),
    ('"PolicyVersion"', '"Document"'),
)


def _looks_meant_for_aws(text: str) -> bool:
    """Whether ``text``, which does not parse, holds one of the markers of a format we read."""
    return any(all(word in text for word in marker) for marker in _IAC_MARKERS)


# A Go template action (Helm): ``{{ .Values.x }}``, ``{{- if ... }}``, ``{{ $v }}``,
# ``{{/* ... */}}``, ``{{ include "x" . }}``, ``{{ end }}``: a dot, a variable, a comment, a
# parenthesis or string, a word with arguments, or a word that ends a block.  Not
# CloudFormation's dynamic references (``{{resolve:ssm:name}}``: a word and a colon) nor the
# parameters of SSM documents (``{{ InstanceId }}``: a word alone).
_GO_ACTION = re.compile(
    r"\{\{-?\s*(?:[.$(\"`]|/\*|(?:end|else|break|continue)\s*-?\}\}|[A-Za-z_]\w*\s+[^\s}])"
)
# What only a CloudFormation template holds: such a file that does not parse stays an error.
_CLOUDFORMATION_MARKERS = ("AWSTemplateFormatVersion", "AWS::")
_QUOTES = "\"'"
_BEFORE_QUOTE = frozenset(" \t[{(,:='")  # what may precede a quote that opens a string


def _is_text_template(text: str) -> bool:
    """Whether ``text``, which does not parse, is a Go (Helm) template: an action outside a
    quoted string, in a file that is no CloudFormation template.

    A Helm chart's templates are YAML only once rendered, and one that embeds an IAM policy
    (an ACK Role, a ConfigMap with policy JSON) holds the words that mark a file meant for AWS:
    it is not ours to judge, and must not fail a pre-commit hook.  An action inside a quoted
    string (a Docker log tag ``"{{.Name}}"`` in an ECS task definition) breaks no YAML, so it
    does not tell why the file failed.
    """
    if "{{" not in text or _names_cloudformation(text):
        return False
    return any(_has_unquoted_action(line) for line in text.splitlines() if "{{" in line)


def _names_cloudformation(text: str) -> bool:
    """Whether ``text`` holds what only a CloudFormation template holds."""
    return any(marker in text for marker in _CLOUDFORMATION_MARKERS)


def _is_other_stream(error: LoadError) -> bool:
    """Whether a file that does not load as one document is a well-formed stream of several
    none of which is a template, policy or answer rolelint reads: Kubernetes manifests split by
    ``---``, which hold the words of a policy (even ``AWS::`` in a condition) when they declare
    IAM resources (ACK, Crossplane).  A stream holding something rolelint reads stays an error:
    skipped, a policy in it would pass unseen, and CloudFormation refuses a template followed
    by another document."""
    from rolelint.parsers.document_formats import is_analyzed
    from rolelint.parsers.yaml_loader import SeveralDocuments

    return isinstance(error, SeveralDocuments) and not any(map(is_analyzed, error.roots))


def _has_unquoted_action(line: str) -> bool:
    """Whether ``line`` holds a Go template action outside its quoted strings (a YAML or JSON
    string on one line; ``''`` in a single-quoted one closes it and opens another)."""
    quote = ""
    previous = " "
    for index, character in enumerate(line):
        if quote:
            if character == quote and not (quote == '"' and _escaped(line, index)):
                quote = ""
        elif character in _QUOTES and previous in _BEFORE_QUOTE:
            quote = character
        elif character == "{" and _GO_ACTION.match(line, index):
            return True
        previous = character
    return False


def _escaped(line: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    slashes = 0
    while index - slashes > 0 and line[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


@dataclass(slots=True)
class ParseOutcome:
    """What one file gave: its part of the inventory, or why it was skipped or failed."""

    inventory: Inventory = field(default_factory=Inventory)
    # "cloudformation", "terraform-plan", "policy", "get-role", "list-roles", "get-role-policy",
    # "get-policy-version" ...; None when skipped
    format: str | None = None
    errors: list[InputError] = field(default_factory=list)
    skip_reason: str = SKIP_NOT_IAC  # why a file without a format was skipped
    # What a reader says of a file it analyzed without failing it (an incomplete account export).
    notices: list[InputError] = field(default_factory=list)
    # Accounts the file shows to be the user's own (the account an export was taken from).
    own_accounts: frozenset[str] = frozenset()
    # Of a document no format reads: whether a policy (an object with a ``Statement``) sits
    # below its top, which a Terraform module may pick out (``jsondecode(file(...))["ci"]``),
    # so that a run naming the file looks for such a module (rolelint.module_readers).
    holds_policies: bool = False


def is_supported(path: str) -> bool:
    """Files a folder scan reads: the formats rolelint parses, and other HCL.

    ``.hcl`` files are read only to be counted as skipped, never to vanish without a word.
    """
    return path.lower().endswith(SUPPORTED_SUFFIXES + NOT_YET_SUPPORTED_SUFFIXES)


def is_rendered_template(path: str) -> bool:
    """A templatefile() template (``.tftpl``, ``.tpl``): a policy only once rendered."""
    return path.lower().endswith(RENDERED_TEMPLATE_SUFFIXES)


def is_terraform(path: str) -> bool:
    """A Terraform file by its suffix, in any case: analyzed with the rest of its directory,
    unless Terraform leaves it out (:func:`terraform_leaves_out`)."""
    return path.lower().endswith(TERRAFORM_SUFFIXES)


def is_ignored_by_terraform(name: str) -> bool:
    """A name Terraform leaves out of a module's folder whatever its suffix (its
    ``configs.IsIgnoredFile``): a hidden file (a backup such as ``.old_main.tf``, the
    ``.#main.tf`` lock link Emacs leaves while ``main.tf`` is edited, often pointing nowhere)
    or an editor's backup (``main.tf~``, ``#main.tf#``)."""
    base = os.path.basename(name)
    return (
        base.startswith(".") or base.endswith("~") or (base.startswith("#") and base.endswith("#"))
    )


def is_module_file(name: str) -> bool:
    """A file Terraform reads as part of its folder's module: ``.tf`` or ``.tf.json``, matched
    case-sensitively as Terraform matches them, and not a name it ignores."""
    return os.path.basename(name).endswith(TF_SUFFIXES) and not is_ignored_by_terraform(name)


def is_tfvars_file(name: str) -> bool:
    """The variable files Terraform loads by itself (others need ``-var-file``), matched
    case-sensitively as Terraform matches them.  Hidden ones too: Terraform's list of
    ``*.auto.tfvars`` files keeps them."""
    base = os.path.basename(name)
    return base in ("terraform.tfvars", "terraform.tfvars.json") or (
        base.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )


def terraform_leaves_out(path: str) -> str | None:
    """Why a file with a Terraform suffix is counted as skipped without being read, or None.

    Terraform never reads it: a ``.tf`` or ``.tf.json`` file whose name it ignores or whose
    suffix is not in lower case is no part of the module, and a hidden or editor's variable
    file it does not load by itself is no ``-var-file`` anyone passes.  Read, a backup's role
    replaced the real one, and Emacs's lock link (``.#main.tf``, pointing nowhere) failed the
    run, exit 2, though Terraform is untroubled by it."""
    if not is_terraform(path) or is_module_file(path) or is_tfvars_file(path):
        return None
    if is_ignored_by_terraform(path):
        return SKIP_TERRAFORM_IGNORED
    if not is_unloaded_tfvars_file(path):
        return SKIP_TERRAFORM_CASE
    return None


def is_unloaded_tfvars_file(name: str) -> bool:
    """A variable file Terraform loads only when a command names it (``-var-file``): its
    module is read without it."""
    return name.lower().endswith(TFVARS_SUFFIXES) and not is_tfvars_file(name)


def is_override_file(name: str) -> bool:
    """``override.tf`` and ``*_override.tf`` (and their JSON forms): Terraform reads them last
    and merges each block into the block of the same address written elsewhere (names matched
    case-sensitively, as Terraform matches them)."""
    stem = os.path.basename(name).removesuffix(".json").removesuffix(".tf")
    return is_module_file(name) and (stem == "override" or stem.endswith("_override"))


def module_files(directory: str) -> tuple[list[str], InputError | None]:
    """The paths of the ``.tf``/``.tf.json`` files and auto-loaded tfvars files of
    ``directory``, in the order they are read, or why the folder cannot be listed: those
    Terraform reads, so not a hidden backup (``.old_main.tf``), an editor's lock link
    (``.#main.tf``) or ``OLD.TF``, which would add roles never deployed.  The one statement of
    a module's files, for its reading (rolelint.parsers.tf_module) and for the search of the
    modules that read or call a file (rolelint.module_readers)."""
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError as problem:
        return [], InputError(directory, f"cannot list folder: {problem.strerror}")
    except ValueError:  # a module source such as "./\u0000": no such folder can exist
        return [], InputError(directory, "cannot list folder: its name holds a NUL")
    # terraform.tfvars first, then *.auto.tfvars in lexical order: later values win.  Override
    # files after the others, as Terraform reads them: the block they override comes first.
    names.sort(
        key=lambda name: (
            not name.startswith("terraform.tfvars"),
            is_override_file(name),
            name,
        )
    )
    paths = (os.path.join(directory, name) if directory else name for name in names)
    return [
        path for path in paths if (is_module_file(path) or is_tfvars_file(path)) and _is_file(path)
    ], None


def _is_file(path: str) -> bool:
    """Whether ``path`` is something to read, not a folder: a named pipe or a device is read
    (without blocking) as any other file of a scan is, or its reading says why it cannot be.
    Listed as regular files only, a ``main.tf`` that is a pipe, or a link to ``/dev/null``,
    vanished from the run without a word, even when named on the command line.  So did a
    broken link and a link loop: they are read too, and their reading says which they are
    (Terraform lists them as configuration files too, and then fails to read them)."""
    return os.path.lexists(path) and not os.path.isdir(path)


def _unloaded_tfvars(path: str, text: str, reason: str = SKIP_UNLOADED_TFVARS) -> ParseOutcome:
    """A tfvars file read on its own: one Terraform loads only when a command names it
    (``-var-file=prod.tfvars``), which its module's reading leaves out.  Its values are not
    used, so it is counted as skipped, saying so; one that does not parse, or holds a value
    Terraform refuses (a reference, a function call), is an input error, as such a
    ``terraform.tfvars`` is."""
    from rolelint.parsers.tf_module import parse_terraform_text
    from rolelint.parsers.tf_variable_files import read_variable_file

    try:
        body = parse_terraform_text(path, text)
    except LoadError as error:
        return ParseOutcome(errors=[load_error(path, text, error)])
    _, refused = read_variable_file(path, body)  # a value Terraform would refuse once passed
    if refused:
        return ParseOutcome(errors=refused)
    return ParseOutcome(skip_reason=reason)


def parse_stdin_tfvars(path: str, text: str) -> ParseOutcome:
    """A tfvars file given on standard input, even one Terraform loads by itself: without its
    module's files there is nothing its values feed, so it is skipped, saying why, not read
    as a module that holds nothing."""
    return _unloaded_tfvars(path, text, SKIP_STDIN_TFVARS)


def _load(path: str, text: str) -> LoadedDocument:
    from rolelint.parsers.json_loader import load_json
    from rolelint.parsers.yaml_loader import load_yaml

    if is_json(path, text):
        return load_json(path, text)
    return load_yaml(path, text)


def is_json(path: str, text: str) -> bool:
    """Whether ``text`` is read as JSON (else as YAML): by its suffix, else by its first
    character."""
    lowered = path.lower()
    return lowered.endswith(JSON_SUFFIXES) or (
        not lowered.endswith(YAML_SUFFIXES) and text.lstrip().startswith(("{", "["))
    )


def line_breaks(path: str, text: str) -> re.Pattern[str]:
    """Where the reader of ``path`` breaks the lines of ``text``: the positions it gives count
    these lines, so whatever else numbers them (suppression comments, the snippets shown with
    findings) must split the text here alone.  The choice follows :func:`parse_source` and the
    Terraform reader: HCL, an AWS config file, JSON, else YAML."""
    from rolelint.source import HCL_BREAKS, UNIVERSAL_BREAKS, YAML_BREAKS

    lowered = path.lower()
    if lowered.endswith(HCL_SUFFIXES):
        return HCL_BREAKS
    if lowered.endswith(JSON_SUFFIXES):
        return UNIVERSAL_BREAKS
    from rolelint.parsers import aws_config

    text = text.removeprefix("\ufeff")
    if is_json(path, text) or aws_config.looks_like_aws_config(path, text):
        return UNIVERSAL_BREAKS
    return YAML_BREAKS


def is_cloudformation(root: Any) -> bool:
    if not isinstance(root, PMap):
        return False
    if "AWSTemplateFormatVersion" in root:
        return True
    resources = root.get("Resources")
    if not isinstance(resources, PMap):
        return False
    for key, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, PMap) else None
        if isinstance(kind, str) and kind.startswith(("AWS::", "Custom::")):
            return True
        # A template whose resources a loop writes (AWS::LanguageExtensions' Fn::ForEach).
        if isinstance(key, str) and key.startswith(FOR_EACH) and isinstance(resource, list):
            return True
    return False


def position_in(
    text: str, line: int | None, column: int | None, breaks: re.Pattern[str]
) -> tuple[int | None, int | None]:
    """``line``/``column`` as given, unless past the last line of ``text``: then the end of
    that line, the column just after its last character.

    A loader's end of input is past the last line: after a final line break, on line N+1 of an
    N-line file (YAML, JSON and HCL alike), and libyaml also ends a file without one with a
    line break of its own.  A truncated template was said to fail on a line no editor, GitHub
    annotation or merge-request view has, as findings' ends would be (reporters.common
    last_line).  Lines are counted at ``breaks``, those of the file's reader (:func:`line_breaks`),
    as the loader counted them.
    """
    if line is None:
        return line, column
    from rolelint.source import split_lines

    lines = split_lines(text, breaks)
    if line <= len(lines):
        return line, column
    if not lines:
        return 1, 1  # an empty file: where its first line would be
    return len(lines), len(lines[-1]) + 1


def load_error(path: str, text: str, error: LoadError) -> InputError:
    """The input error of ``path``, whose ``text`` does not load: where the loader stopped, on
    a line the file has (:func:`position_in`).  Every parse error of a whole file is made here,
    so that every format places it alike."""
    line, column = position_in(text, error.line, error.column, line_breaks(path, text))
    return InputError(path, error.message, line, column)


def parse_source(path: str, text: str) -> ParseOutcome:
    """Detect the format of ``text`` (read from ``path``) and build its inventory."""
    if path.lower().endswith(NOT_YET_SUPPORTED_SUFFIXES):
        return ParseOutcome(skip_reason=SKIP_OTHER_HCL)
    if is_rendered_template(path):
        # Its ${...} and %{...} are Terraform's to fill: read alone, a placeholder would be an
        # action or an ARN, or the text no JSON at all.
        return ParseOutcome(skip_reason=SKIP_UNRENDERED_TEMPLATE)
    if path.lower().endswith(TFVARS_SUFFIXES):
        return _unloaded_tfvars(path, text)
    text = text.removeprefix("\ufeff")
    from rolelint.parsers import aws_config

    if aws_config.looks_like_aws_config(path, text):
        read = aws_config.read_aws_config(path, text)
        return ParseOutcome(read.inventory, "aws-config", read.errors, notices=read.notices)
    try:
        loaded = _load(path, text)
    except LoadError as error:
        if not _looks_meant_for_aws(text) or _is_text_template(text) or _is_other_stream(error):
            return ParseOutcome()
        return ParseOutcome(errors=[load_error(path, text, error)])
    from rolelint.parsers.document_formats import outcome_of

    return outcome_of(loaded)
