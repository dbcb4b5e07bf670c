"""Programmatic entry point: ``lint_paths`` runs a whole check without click or any reporter."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rolelint.discovery import STDIN, discover
from rolelint.engine import Selection, run_checks
from rolelint.findings import Finding, InputError, Report
from rolelint.model import AccountContext, Inventory, ScanSettings, SuppressionDirective
from rolelint.parsers import is_terraform, parse_source
from rolelint.reading import STDIN_NAME, read_target, read_text

if TYPE_CHECKING:
    from rolelint.config import Config
    from rolelint.parsers.terraform import TerraformOutcome

__all__ = ["STDIN_NAME", "lint_paths", "read_inventory", "read_text"]
EXCLUDED = "excluded by the configuration"


def lint_paths(
    paths: Iterable[str],
    selection: Selection | None = None,
    stdin_name: str = STDIN_NAME,
    accounts: AccountContext | None = None,
    settings: ScanSettings | None = None,
    config: Config | None = None,
) -> Report:
    """Read, parse and check every file under ``paths``; never raises for bad input.

    ``accounts`` is what the user declared about their own accounts (for the trust rules),
    ``settings`` how they tuned the analysis (the chain depth).  ``config`` is the team's
    configuration (rolelint.config): its exclusions, severity overrides and per-path ignores
    apply, and it provides the selection, accounts and settings not given explicitly.
    """
    if config is not None:
        selection = selection or config.selection()
        accounts = accounts or config.account_context()
        settings = settings or config.scan_settings()
    excluded = config.is_excluded if config is not None and config.exclude else None
    report, inventory, stdin_texts = _read_all(paths, stdin_name, accounts, excluded)
    if settings is not None:
        inventory.settings = settings
    findings = run_checks(inventory, selection)
    findings = _apply_suppressions(findings, inventory, selection, report)
    if config is not None:
        from rolelint.catalog import load_catalog
        from rolelint.tuning import ignore_per_path, override_severities

        findings = override_severities(findings, config.severity)
        if config.per_path_ignores:
            findings = ignore_per_path(
                findings,
                config.per_path_ignores,
                config.folder,
                config.file or "the configuration",
                load_catalog(),
            )
    report.findings = findings
    _attach_snippets(report, stdin_texts)
    return report


def _apply_suppressions(
    findings: list[Finding], inventory: Inventory, selection: Selection | None, report: Report
) -> list[Finding]:
    """In-source suppressions (CloudFormation Metadata, ``rolelint:ignore`` comments)."""
    if not inventory.suppressions:
        return findings
    import datetime

    from rolelint.catalog import load_catalog
    from rolelint.suppressions import apply_suppressions

    catalog = load_catalog()
    chosen = selection or Selection()
    ran = [rule_id for rule_id, rule in catalog.items() if chosen.enabled(rule)]
    outcome = apply_suppressions(
        findings, inventory.suppressions, catalog, ran, datetime.date.today()
    )
    report.errors.extend(outcome.errors)
    report.errors.sort(key=InputError.sort_key)
    report.notices.extend(outcome.notices)
    return outcome.findings


def read_inventory(
    paths: Iterable[str],
    stdin_name: str = STDIN_NAME,
    accounts: AccountContext | None = None,
    excluded: Callable[[str], bool] | None = None,
) -> tuple[Inventory, Report]:
    """Read and parse every file under ``paths`` into one inventory, without running the rules:
    what commands that draw or list roles start from.  The report holds the input errors;
    ``excluded`` says which files the configuration leaves out."""
    report, inventory, _ = _read_all(paths, stdin_name, accounts, excluded)
    return inventory, report


def _read_all(
    paths: Iterable[str],
    stdin_name: str,
    accounts: AccountContext | None,
    excluded: Callable[[str], bool] | None = None,
) -> tuple[Report, Inventory, dict[str, str]]:
    report = Report()
    inventory = Inventory(accounts=accounts or AccountContext())
    stdin_texts: dict[str, str] = {}
    terraform_directories: dict[str, None] = {}  # a module is its whole directory, read once
    standalone: list[tuple[str, Inventory]] = []
    snapshot_accounts: set[str] = set()
    for target in discover(paths, excluded):
        if target.excluded:
            report.skip(EXCLUDED)
            continue
        name = stdin_name if target.path == STDIN else target.path
        if target.path != STDIN and not target.missing and is_terraform(target.path):
            terraform_directories.setdefault(os.path.dirname(target.path))
            continue
        text, error = read_target(target)
        if error is not None:
            report.errors.append(error)
            continue
        assert text is not None
        inventory.suppressions.extend(_comments(name, text))
        if target.path == STDIN:
            stdin_texts[name] = text
            if is_terraform(name):
                _add_terraform_text(name, text, report, inventory)
                continue
        outcome = parse_source(name, text)
        # A file may be analyzed with errors (an account export's malformed entries, skipped).
        report.errors.extend(outcome.errors)
        report.notices.extend(outcome.notices)
        if outcome.format is None:
            if not outcome.errors:
                report.skip(outcome.skip_reason)
        else:
            report.files_analyzed += 1
            standalone.append((name, outcome.inventory))
            snapshot_accounts |= outcome.own_accounts
    consumed = _add_terraform(terraform_directories, report, inventory, _reading(inventory))
    for name, part in standalone:
        # A policy file a Terraform module reads with file() is analyzed as that module's
        # policy (naming the role), not a second time on its own.
        if name == stdin_name or os.path.realpath(name) not in consumed:
            inventory.extend(part)
    if snapshot_accounts:
        # An exported account is the account under audit: trust within it is not cross-account.
        own = inventory.accounts.own_accounts | snapshot_accounts
        inventory.accounts = replace(inventory.accounts, own_accounts=frozenset(own))
    report.roles = len(inventory.roles)
    report.errors.sort(key=InputError.sort_key)
    return report, inventory, stdin_texts


def _comments(name: str, text: str) -> list[SuppressionDirective]:
    """The ``rolelint:ignore`` comments of a file (cheap: most files have none)."""
    from rolelint.suppressions import MARKER, comment_directives

    return comment_directives(name, text) if MARKER in text.lower() else []


def _reading(inventory: Inventory) -> Callable[[str], tuple[str | None, InputError | None]]:
    """:func:`read_text` for the Terraform parser, collecting the comments of what it reads."""

    def read(path: str) -> tuple[str | None, InputError | None]:
        text, error = read_text(path)
        if text is not None and path.lower().endswith((".tf", ".tfvars")):
            inventory.suppressions.extend(_comments(path, text))
        return text, error

    return read


def _add_terraform(
    directories: Iterable[str],
    report: Report,
    inventory: Inventory,
    reader: Callable[[str], tuple[str | None, InputError | None]] = read_text,
) -> set[str]:
    """Analyze the module in each directory; the files read through file() are returned."""
    from rolelint.parsers.terraform import parse_terraform_directories

    consumed: set[str] = set()
    for outcome in parse_terraform_directories(directories, reader):
        consumed |= _merge(outcome, report, inventory)
    return consumed


def _add_terraform_text(name: str, text: str, report: Report, inventory: Inventory) -> None:
    from rolelint.parsers.terraform import parse_terraform_file

    _merge(parse_terraform_file(name, text, read_text), report, inventory)


def _merge(outcome: TerraformOutcome, report: Report, inventory: Inventory) -> set[str]:
    known = set(report.errors)
    report.errors.extend(error for error in outcome.errors if error not in known)
    report.notices.extend(outcome.notices)
    report.files_analyzed += len(outcome.files)
    inventory.extend(outcome.inventory)
    return outcome.consumed


def _attach_snippets(report: Report, stdin_texts: dict[str, str]) -> None:
    """Keep the source line of every finding so reporters can show it (stdin can't be re-read)."""
    wanted: dict[str, set[int]] = {}
    for finding in report.findings:
        wanted.setdefault(finding.file, set()).add(finding.location.line)
    for file, lines in wanted.items():
        try:
            if file in stdin_texts:
                source_lines = stdin_texts[file].splitlines()
            else:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    source_lines = handle.read().splitlines()
        except OSError:
            continue
        for number in lines:
            if 0 < number <= len(source_lines):
                report.snippets[(file, number)] = source_lines[number - 1]
