"""Runs the enabled checks over an inventory and turns their hits into sorted findings."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from rolelint.catalog import Rule, load_catalog
from rolelint.checks import load_checks
from rolelint.checks.base import Hit, forget_derived, holder_key, some_of
from rolelint.findings import Finding, HolderKey
from rolelint.gc_pause import gc_paused
from rolelint.model import Inventory, as_fingerprinted
from rolelint.project_paths import ProjectNames


class Selection:
    """Which rules run: ``--select``/``--ignore`` by rule id, rule name or rule class."""

    def __init__(
        self, select: Iterable[str] = (), ignore: Iterable[str] = (), extend: Iterable[str] = ()
    ) -> None:
        """``extend`` (``--extend-select``) adds to an explicit ``select`` only, since every rule
        runs without one; its names are checked all the same (:meth:`unknown`), or a typo
        would do nothing, unnoticed, until a selection is added."""
        select, extend = list(select), list(extend)
        # Matching is case-insensitive, but error messages quote what the user typed.
        self._spelled = {item.strip() for item in (*select, *extend, *ignore) if item.strip()}
        if select:
            select += extend
        self.select = {item.strip().lower() for item in select if item.strip()}
        self.ignore = {item.strip().lower() for item in ignore if item.strip()}

    @staticmethod
    def _matches(rule: Rule, keys: set[str]) -> bool:
        if keys & {rule.id.lower(), rule.name, rule.rule_class}:
            return True
        rule_id = rule.id.lower()
        return any(_is_id_prefix(key) and rule_id.startswith(key) for key in keys)

    def enabled(self, rule: Rule) -> bool:
        if self.select and not self._matches(rule, self.select):
            return False
        return not self._matches(rule, self.ignore)

    def unknown(self, rules: Iterable[Rule]) -> list[str]:
        """Selectors that name no rule: a typo must not silently disable everything."""
        known: set[str] = set()
        ids: list[str] = []
        for rule in rules:
            known |= {rule.id.lower(), rule.name, rule.rule_class}
            ids.append(rule.id.lower())
        return sorted(
            item
            for item in self._spelled
            if item.lower() not in known
            and not (_is_id_prefix(item.lower()) and any(i.startswith(item.lower()) for i in ids))
        )


def _is_id_prefix(key: str) -> bool:
    """``rl``, ``rl1``, ``rl40``: the start of rule ids, which selects a whole family."""
    return (key.startswith("rl") and key[2:].isdigit()) or key == "rl"


def fingerprint(hit: Hit, names: ProjectNames | None = None) -> str:
    """Stable across line shifts and reformatting; changes when the risky content changes.
    The file is named as the project's root names it (``names``, rolelint.project_paths), and
    so is every name of the run's files the resource, role and key embed (a raw policy's
    resource is its file, a chain's key names its roles by file), so a run from a subfolder
    gives the fingerprints a run from the root recorded.  Without ``names``, as written.  A
    name's stand-in is hashed as it was spelled before unresolved names had one of their own
    (rolelint.model.as_fingerprinted).  The role is hashed unless the finding is on a policy's
    text, whoever holds it (``Hit.role_in_fingerprint``); the resource is, or the one the
    finding once named (``Hit.fingerprinted_resource``)."""
    names = names or ProjectNames(None)
    role = (hit.role or "") if hit.role_in_fingerprint else ""
    resource = hit.resource if hit.fingerprinted_resource is None else hit.fingerprinted_resource
    texts = (as_fingerprinted(text) for text in (resource, role, hit.key))
    material = "\x1f".join((hit.rule_id, names.path(hit.at.file), *map(names.text, texts)))
    # surrogatepass: a JSON escape of a lone surrogate ("\\ud80e") is text too, and hashes.
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def to_finding(hit: Hit, rule: Rule, names: ProjectNames | None = None) -> Finding:
    own = fingerprint(hit, names)
    earlier = (fingerprint(replace(hit, key=key), names) for key in hit.earlier_keys)
    return Finding(
        rule_id=rule.id,
        rule=rule.name,
        rule_class=rule.rule_class,
        severity=hit.severity or rule.severity,
        message=hit.message,
        location=hit.at,
        resource=hit.resource,
        role=hit.role,
        fingerprint=own,
        path=hit.path,
        roles=hit.roles,
        holders=hit.holders,
        earlier_fingerprints=tuple(dict.fromkeys(f for f in earlier if f != own)),
    )


def run_checks(
    inventory: Inventory,
    selection: Selection | None = None,
    jobs: int = 1,
    root: str | None = None,
) -> list[Finding]:
    """Every enabled check over the inventory; findings sorted and de-duplicated.

    Known AWS managed policies are first replaced by their documents, so every check evaluates
    them like any other policy (see rolelint.managed_policies).  A large inventory is checked
    on up to ``jobs`` processes (rolelint.check_jobs); the findings do not depend on it.
    ``root`` is the project's root, for fingerprints (rolelint.project_paths).
    """
    from rolelint.managed_policies import resolve_managed_policies

    resolved = resolve_managed_policies(inventory)
    return check_resolved(resolved, selection, jobs, root, keep_derived=False)


def check_resolved(
    inventory: Inventory,
    selection: Selection | None = None,
    jobs: int = 1,
    root: str | None = None,
    *,
    keep_derived: bool = True,
) -> list[Finding]:
    """:func:`run_checks` on an inventory whose AWS managed policies are already resolved (the
    audit commands keep that inventory, and resolving it twice is wasted work).  With
    ``keep_derived`` False, what the checks derived from the inventory (the assume-role graph)
    is dropped as soon as they have run, before their findings are made: only the audit
    commands read it again."""
    from rolelint.check_jobs import hits_by_rule

    catalog = load_catalog()
    checks = load_checks()
    selection = selection or Selection()
    enabled = [rule_id for rule_id in catalog if rule_id in checks]
    enabled = [rule_id for rule_id in enabled if selection.enabled(catalog[rule_id])]
    findings: dict[tuple[object, ...], Finding] = {}
    # Without a root nothing is renamed: the inventory's names are not even collected.
    names = (
        ProjectNames(root, inventory.file_names(), inventory.root_folders())
        if root is not None
        else ProjectNames(None)
    )
    with gc_paused():  # the checks build large acyclic structures (the assume-role graph)
        hits = hits_by_rule(inventory, enabled, jobs)
        if not keep_derived:
            forget_derived()
        for rule_id in enabled:  # catalog order, whichever process ran the check
            for hit in _taken(hits, rule_id):
                finding = to_finding(hit, catalog[rule_id], names)
                # One risk at one place is one finding: a statement deployed with one condition
                # or another (Fn::If) is judged once per branch, and when both leave it open
                # the two say so with the same fingerprint; the first branch's is kept.
                place = (finding.file, finding.location.line, finding.location.column)
                key = (*place, rule_id, finding.fingerprint)
                findings[key] = _one_of(findings.get(key), finding)
        merged = merge_module_instances(sorted(findings.values(), key=Finding.sort_key))
        return with_roots(merged, inventory)


def _taken(hits: dict[str, list[Hit]], rule_id: str) -> Iterator[Hit]:
    """The hits of ``rule_id``, in order, each let go of once the next is asked for: a check
    of 800 roles each assuming hundreds of the others made 300,000 hits, which were all kept
    (with the key each holds for its fingerprint) until the last was a finding."""
    found = hits.pop(rule_id)
    found.reverse()
    while found:
        yield found.pop()


def _one_of(kept: Finding | None, again: Finding) -> Finding:
    """``kept``, the finding a place already has, or ``again`` when it has none; said at two
    places of use (``SourceRef.used_at``: two roots reading one policy file), it is used at
    neither alone, so a suppression comment at one of them does not cover it.  It is on the
    holders of both: the instances of a module two roots call, which share an id, each found
    it.  And on the roles of both: a finding on a policy's text hashes no role
    (``Hit.role_in_fingerprint``), so the same text two roots read for two roles is one
    finding, and a suppression naming either role must still match it.  The fingerprints
    either had before are both its earlier ones (a baseline recorded then holds either)."""
    if kept is None:
        return again
    earlier = _earlier_of(kept, again)
    if earlier != kept.earlier_fingerprints:
        kept = replace(kept, earlier_fingerprints=earlier)
    holders = kept.holders | again.holders
    if kept.location.used_at is not None and kept.location.used_at != again.location.used_at:
        kept = replace(kept, location=replace(kept.location, used_at=None))
    # (Another instance of the same module's role is not another role: merge_module_instances
    # words those, "also as module.b...".)
    known = {_without_module_prefix(role) for role in kept.roles}
    others = [role for role in again.roles if _without_module_prefix(role) not in known]
    if others:
        roles = tuple(sorted({*kept.roles, *others}))
        kept = replace(kept, roles=roles, role=", ".join(roles))
    return kept if holders == kept.holders else replace(kept, holders=holders)


def _earlier_of(kept: Finding, again: Finding) -> tuple[str, ...]:
    """The earlier fingerprints of ``kept`` and then those of ``again``, each once, ``kept``'s
    own fingerprint left out."""
    if not again.earlier_fingerprints:
        return kept.earlier_fingerprints
    earlier = dict.fromkeys((*kept.earlier_fingerprints, *again.earlier_fingerprints))
    earlier.pop(kept.fingerprint, None)
    return tuple(earlier)


# ``module.ci.`` / ``module.app["x"].`` prefixes of Terraform addresses.
_MODULE_PREFIX = re.compile(r"(?:module\.[\w-]+(?:\[[^\]]*\])?\.)+")
_SHOWN_INSTANCES = 3


def _without_module_prefix(text: str) -> str:
    return _MODULE_PREFIX.sub("", text) if "module." in text else text


def _place_and_resource(finding: Finding) -> tuple[object, ...]:
    return (
        finding.rule_id,
        finding.file,
        finding.location.line,
        finding.location.column,
        _without_module_prefix(finding.resource),
    )


def _without_roleless_repeats(findings: list[Finding]) -> list[Finding]:
    """The findings but those of a module read on its own that name no role, where an instance
    of the module says the same of the same resource with its role (the caller passes the
    role's name: an instance profile, a node role).  The module alone cannot know the role; the
    instance's finding says all it says, and more, so two findings at one line would only
    repeat it."""
    with_role = {
        _place_and_resource(finding)
        for finding in findings
        if finding.role is not None and "module." in finding.resource
    }
    if not with_role:
        return findings
    return [
        finding
        for finding in findings
        if finding.role is not None
        or "module." in finding.resource
        or _place_and_resource(finding) not in with_role
    ]


def merge_module_instances(findings: list[Finding]) -> list[Finding]:
    """One finding per place in a module's code, however many instances of the module there are.

    A Terraform module called twenty times (and scanned on its own as well) would otherwise
    report each line twenty-one times.  Findings at the same place that say the same thing about
    the same resource and role but for the module prefix of their addresses are merged; the
    message names the other instances.  Findings about different roles are never merged (a
    policy shared by several roles is too large for each of them).
    The finding kept is the one with the shortest address (the module analyzed on its own, when
    it was), so its fingerprint does not depend on how many callers there are.
    """
    if not any(map(_names_a_module, findings)):
        return _merge_repeats(findings)
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for finding in _without_roleless_repeats(findings):
        key = (
            *_place_and_resource(finding),
            _without_module_prefix(finding.message),
            _without_module_prefix(finding.role or ""),
        )
        groups.setdefault(key, []).append(finding)
    merged: list[Finding] = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        kept = min(group, key=lambda finding: (len(finding.resource), finding.resource))
        for finding in group:
            kept = _one_of(kept, finding)
        others = sorted({f.resource for f in group} - {kept.resource})
        if not others:
            # Not instances: the same words at the same place about the same resource and role
            # (hops to two roles of one name in two files), which a reader cannot tell apart.
            merged.append(kept)
            continue
        shown = ", ".join(others[:_SHOWN_INSTANCES])
        more = (
            f" and {len(others) - _SHOWN_INSTANCES} more" if len(others) > _SHOWN_INSTANCES else ""
        )
        merged.append(replace(kept, message=f"{kept.message} (also as {shown}{more})"))
    return sorted(merged, key=Finding.sort_key)


def _names_a_module(finding: Finding) -> bool:
    """Whether a Terraform module's address is in what :func:`merge_module_instances` compares
    of ``finding`` (its resource, message or role)."""
    return (
        "module." in finding.resource
        or "module." in finding.message
        or (finding.role is not None and "module." in finding.role)
    )


def _merge_repeats(findings: list[Finding]) -> list[Finding]:
    """:func:`merge_module_instances` of findings none of which names a module: only those
    that say the same at the same place of the same resource and role are merged, and these
    share their sort key, so each group is found among neighbours once sorted, and no key is
    kept for every finding (300,000 findings of the hops of 800 roles held 90 MB of them)."""
    merged: list[Finding] = []
    ordered = sorted(findings, key=Finding.sort_key)
    start = 0
    while start < len(ordered):
        key = ordered[start].sort_key()
        end = start + 1
        while end < len(ordered) and ordered[end].sort_key() == key:
            end += 1
        if end == start + 1:
            merged.append(ordered[start])
        else:
            merged.extend(_merged_alike(ordered[start:end]))
        start = end
    return merged


def _merged_alike(findings: list[Finding]) -> list[Finding]:
    """Findings of one sort key, each group of one resource and role as one finding, as
    :func:`merge_module_instances` merges a group (the first, on every holder and role of all:
    :func:`_one_of`), groups in order of their first."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.resource, finding.role or ""), []).append(finding)
    merged = []
    for group in groups.values():
        kept = group[0]
        if len(group) > 1:
            for finding in group:
                kept = _one_of(kept, finding)
        merged.append(kept)
    return merged


def with_roots(findings: list[Finding], inventory: Inventory) -> list[Finding]:
    """The findings, those on instances of a module several scanned Terraform roots call
    naming the roots of those instances: ``module.ci.aws_iam_role.this`` at ``mod/main.tf:13``
    is the same address, file and line in ``prod`` and ``staging``, and one finding stands for
    both when both hit it.  The message ends with ``(root prod)`` or ``(roots prod, staging)``
    and ``Finding.roots`` holds them; the fingerprint, made before, stays what a baseline
    recorded.  Every other finding is left as it is."""
    shared = _places_of_several_roots(inventory)
    if not shared:
        return findings
    named = [_with_roots(finding, shared) for finding in findings]
    return sorted(named, key=Finding.sort_key)


def _places_of_several_roots(inventory: Inventory) -> set[HolderKey]:
    """The holders (as :func:`~rolelint.checks.base.holder_key`, without their root) that
    several roots make of one block: a module's role or user each of them calls."""
    keys = [holder_key(role) for role in inventory.roles]
    keys += [holder_key(identity) for identity in inventory.identities]
    roots: dict[HolderKey, set[str | None]] = {}
    for key in keys:
        roots.setdefault(key._replace(root=None), set()).add(key.root)
    return {place for place, found in roots.items() if len(found) > 1}


def _with_roots(finding: Finding, shared: set[HolderKey]) -> Finding:
    roots = sorted(
        {
            holder.root
            for holder in finding.holders
            if holder.root is not None and holder._replace(root=None) in shared
        }
    )
    if not roots:
        return finding
    said = f"root {roots[0]}" if len(roots) == 1 else f"roots {some_of(roots, _SHOWN_INSTANCES)}"
    return replace(finding, message=f"{finding.message} ({said})", roots=tuple(roots))
