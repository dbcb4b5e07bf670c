"""The CloudFormation templates a template named on the command line is judged with, as a folder
scan judges it.

pre-commit names the changed files alone, and a file's findings must be those a run over the
whole repository gives (the same messages and fingerprints, which the team's baseline records).
A template that defines a customer managed policy (``AWS::IAM::ManagedPolicy``) or exports
values is linked, in a whole run, to the templates that use them: a role of another stack
attaches the policy, or takes it as its permissions boundary, by its ARN (``!Sub
arn:aws:iam::${AWS::AccountId}:policy/ops-admin``) or by ``Fn::ImportValue`` of the export
(rolelint.policy_links, rolelint.stack_exports).  Judged alone, the policy had no holder: its
finding named no role, so it had another fingerprint than the baseline's, and a boundary was
judged as a permission policy (RL202, RL206, RL207, RL208 a whole run does not give).

So, in a run that names templates, the policies and exports of each bring the templates of its
project that name them, found by their text before anything is parsed: ``:policy/<path><name>``
for a policy whose ARN is exact, and the literal export name in a template that imports
something.  The project is the one rolelint.module_readers searches for Terraform modules,
with the same walk and the same budget (:class:`~rolelint.module_readers.ModuleSearch`); a
template that defines no policy and exports nothing searches nothing.  The templates found are
read as any other file (their findings are reported, as a Terraform caller's are), but what
they in turn take from templates the run did not read is not looked for, so the run does not
say that a finding of theirs is gone (rolelint.scope.RunScope.context).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from rolelint.model import NAME_STAND_IN, Inventory
from rolelint.module_readers import ModuleSearch
from rolelint.policy_links import linkable_arns

# What every template holds (a resource type, SAM's included), and what a template that
# imports an export holds (``Fn::ImportValue``, ``!ImportValue``).
_TEMPLATE_MARK = "AWS::"
_IMPORT_MARK = "ImportValue"
# What may continue a policy's path and name, or an export's name: a name found followed by
# one of these is another (``ops-admin`` in ``ops-admin-readonly``).
_MORE_OF_A_POLICY = r"(?![\w+=,.@/-])"
_MORE_OF_AN_EXPORT = r"(?![\w:-])"


def template_users(
    search: ModuleSearch, named: Iterable[tuple[str, Inventory]], known: Iterable[str]
) -> list[str]:
    """The templates of the named templates' projects that attach a policy one of them defines
    by its ARN or import one of its exports, spelled as a folder scan spells them; ``named``
    are the named templates with what each holds, ``known`` the real paths of the files the run
    reads already."""
    wanted: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]] = []
    for path, inventory in named:
        policies, exports = _patterns(inventory)
        if policies is not None or exports is not None:
            wanted.append((path, policies, exports))
    if not wanted:
        return []
    seen = set(known)
    found: list[str] = []
    for path, policies, exports in wanted:
        for candidate in search.documents(path):
            real = os.path.realpath(candidate)
            if real in seen:
                continue
            text = search.text(candidate, path)
            if text is None:
                if search.spent:
                    return found
                continue
            if _uses(text, policies, exports):
                seen.add(real)
                found.append(candidate)
    return found


def _patterns(inventory: Inventory) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """What names a template's policies in another (``:policy/<path><name>``; a name's stand-in,
    generated or unresolved, is known to its own template only, which exports it for others),
    and its exports' names."""
    tails = sorted(
        ":policy/" + arn.split(":policy/", 1)[1]
        for arn in linkable_arns(inventory)
        if NAME_STAND_IN.search(arn) is None
    )
    names = sorted({export.name for export in inventory.exports if export.name})
    return _any_of(tails, _MORE_OF_A_POLICY), _any_of(names, _MORE_OF_AN_EXPORT)


def _any_of(texts: list[str], after: str) -> re.Pattern[str] | None:
    if not texts:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, texts)) + ")" + after)


def _uses(text: str, policies: re.Pattern[str] | None, exports: re.Pattern[str] | None) -> bool:
    """Whether a template's ``text`` names one of the policies, or imports and names one of the
    exports (a quick over-estimate: the links are made once it is parsed)."""
    if _TEMPLATE_MARK not in text:
        return False
    if policies is not None and policies.search(text):
        return True
    return exports is not None and _IMPORT_MARK in text and exports.search(text) is not None
