"""Programmatic entry point: ``lint_paths`` runs a whole check without click or any reporter."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rolelint import parse_jobs
from rolelint.discovery import STDIN, Target, discover, module_folder_of, tidy_path
from rolelint.engine import Selection, check_resolved, run_checks
from rolelint.findings import Finding, InputError, Report
from rolelint.model import AccountContext, Inventory, ScanSettings
from rolelint.module_readers import ModuleSearch, may_be_read
from rolelint.parsers import (
    CLOUDFORMATION_FORMAT,
    POLICY_FORMAT,
    SKIP_UNRENDERED_TEMPLATE,
    TFVARS_SUFFIXES,
    is_rendered_template,
    is_terraform,
    is_unloaded_tfvars_file,
    parse_source,
    parse_stdin_tfvars,
)
from rolelint.reading import MAX_FILE_SIZE, STDIN_NAME, read_stdin, read_text
from rolelint.template_readers import Found, Held, linked_files

if TYPE_CHECKING:
    from rolelint.config import Config
    from rolelint.graph.model import AssumeGraph
    from rolelint.parse_cache import ParseCache
    from rolelint.parsers.terraform import TerraformOutcome
    from rolelint.progress import Progress

__all__ = ["STDIN_NAME", "Audit", "audit_paths", "lint_paths", "read_inventory", "read_text"]
EXCLUDED = "excluded by the configuration"


def lint_paths(
    paths: Iterable[str],
    selection: Selection | None = None,
    stdin_name: str = STDIN_NAME,
    accounts: AccountContext | None = None,
    settings: ScanSettings | None = None,
    config: Config | None = None,
    jobs: int = 1,
    cache: ParseCache | None = None,
    max_size: int | None = MAX_FILE_SIZE,
    progress: Progress | None = None,
) -> Report:
    """Read, parse and check every file under ``paths``; never raises for bad input.

    ``accounts`` is what the user declared about their own accounts (for the trust rules),
    ``settings`` how they tuned the analysis (the chain depth).  ``config`` is the team's
    configuration (rolelint.config): its exclusions, severity overrides and per-path ignores
    apply, and it provides the selection, accounts and settings not given explicitly.
    ``jobs`` processes parse large scans (the results do not depend on it; at most
    parse_jobs.JOBS_PER_CORE per available core are started); ``cache`` keeps
    parsed files across runs (rolelint.parse_cache); a file over ``max_size`` bytes is an
    error, not read; ``progress`` hears of each file read and of the checking phase.
    """
    if config is not None:
        selection = selection or config.selection()
        accounts = accounts or config.account_context()
        settings = settings or config.scan_settings()
    excluded = config.is_excluded if config is not None and config.exclude else None
    paths = list(paths)
    jobs = parse_jobs.usable_jobs(jobs)
    root = config.root if config is not None else None
    report, inventory, kept_texts = _read_all(
        paths, stdin_name, accounts, excluded, jobs, cache, max_size, progress, root
    )
    _judge(report, paths, selection)
    if settings is not None:
        inventory.settings = settings
    if progress is not None:
        progress.phase(f"checking {len(inventory.roles)} roles")
    findings = run_checks(inventory, selection, jobs, root)
    report.findings = _accepted(findings, inventory, config, report)
    _attach_snippets(report, kept_texts, inventory)
    return report


@dataclass(slots=True)
class Audit:
    """What the audit commands (``roles``, ``show``, ``report``) start from."""

    inventory: Inventory  # AWS managed policies resolved into documents, as the rules saw it
    graph: AssumeGraph
    report: Report  # the findings as ``check`` reports them (configuration, suppressions)
    # Every rule's findings, suppressed ones included: evidence of what a role can do, whatever
    # the configuration chose to report.
    every_finding: list[Finding]


def audit_paths(
    paths: Iterable[str],
    stdin_name: str = STDIN_NAME,
    accounts: AccountContext | None = None,
    config: Config | None = None,
    jobs: int = 1,
    cache: ParseCache | None = None,
    max_size: int | None = MAX_FILE_SIZE,
    progress: Progress | None = None,
) -> Audit:
    """Read, parse and check every file under ``paths`` (as :func:`lint_paths`, every rule
    running), keeping the inventory and the assume-role graph for the audit views."""
    from rolelint.catalog import load_catalog
    from rolelint.graph.build import graph_of
    from rolelint.managed_policies import resolve_managed_policies

    selection = config.selection() if config is not None else None
    if config is not None:
        accounts = accounts or config.account_context()
    excluded = config.is_excluded if config is not None and config.exclude else None
    paths = list(paths)
    jobs = parse_jobs.usable_jobs(jobs)
    root = config.root if config is not None else None
    report, inventory, kept_texts = _read_all(
        paths, stdin_name, accounts, excluded, jobs, cache, max_size, progress, root
    )
    _judge(report, paths, selection)
    if config is not None:
        inventory.settings = config.scan_settings()
    if progress is not None:
        progress.phase(f"checking {len(inventory.roles)} roles")
    inventory = resolve_managed_policies(inventory)
    every = check_resolved(inventory, jobs=jobs, root=root)
    catalog = load_catalog()
    chosen = selection or Selection()
    enabled = [f for f in every if chosen.enabled(catalog[f.rule_id])]
    report.findings = _accepted(enabled, inventory, config, report)
    _attach_snippets(report, kept_texts, inventory)
    return Audit(inventory, graph_of(inventory), report, every)


def _judge(report: Report, paths: list[str], selection: Selection | None) -> None:
    """Record in ``report.scope`` which rules this run judged: those that ran, the cross-file
    ones only when it named folders alone (rolelint.scope)."""
    from rolelint.catalog import load_catalog
    from rolelint.scope import judged_rules, names_files_alone, walked_folders

    chosen = selection or Selection()
    ran = [rule_id for rule_id, rule in load_catalog().items() if chosen.enabled(rule)]
    partial = names_files_alone(paths)
    rules = judged_rules(ran, partial=partial)
    folders = walked_folders(paths)
    report.scope = replace(report.scope, rules=rules, folders=folders, partial=partial)


def _accepted(
    findings: list[Finding],
    inventory: Inventory,
    config: Config | None,
    report: Report,
) -> list[Finding]:
    """The findings once the in-source suppressions and the configuration's severity overrides
    and per-path ignores have applied (suppressed ones stay, marked)."""
    findings = _apply_suppressions(findings, inventory, report)
    if config is not None:
        from rolelint.catalog import load_catalog
        from rolelint.config import from_working_folder
        from rolelint.tuning import ignore_per_path, override_severities

        findings = override_severities(findings, config.severity)
        if config.per_path_ignores:
            # Named in each suppression's reason: as the baseline is, never by a machine path
            # (found above the working folder, the file is named absolutely).
            findings = ignore_per_path(
                findings,
                config.per_path_ignores,
                config.folder,
                from_working_folder(config.file) if config.file else "the configuration",
                load_catalog(),
            )
    return findings


def _apply_suppressions(
    findings: list[Finding], inventory: Inventory, report: Report
) -> list[Finding]:
    """In-source suppressions (CloudFormation Metadata, ``rolelint:ignore`` comments); unused
    ones are judged by ``report.scope``."""
    if not inventory.suppressions:
        return findings
    import datetime

    from rolelint.catalog import load_catalog
    from rolelint.suppressions import apply_suppressions, definitions

    catalog = load_catalog()
    outcome = apply_suppressions(
        findings,
        inventory.suppressions,
        catalog,
        report.scope,
        datetime.date.today(),
        definitions(inventory),
        inventory.unmarked_uses,
    )
    invalid = _once_per_line(outcome.errors)
    report.errors.extend(invalid)
    report.suppression_errors.update(invalid)
    report.errors.sort(key=InputError.sort_key)
    report.notices.extend(_once_per_line(outcome.notices))
    return outcome.findings


def _once_per_line(said: Iterable[InputError]) -> list[InputError]:
    """A directive written many times says the same each time: each error and note once per
    line, at the first column that says it (a thousand Metadata entries on one line of a JSON
    template are one error)."""
    first: dict[tuple[str, int | None, str], InputError] = {}
    for entry in said:
        first.setdefault((entry.file, entry.line, entry.message), entry)
    return list(first.values())


def read_inventory(
    paths: Iterable[str],
    stdin_name: str = STDIN_NAME,
    accounts: AccountContext | None = None,
    excluded: Callable[[str], bool] | None = None,
    jobs: int = 1,
    cache: ParseCache | None = None,
    max_size: int | None = MAX_FILE_SIZE,
    progress: Progress | None = None,
    root: str | None = None,
) -> tuple[Inventory, Report]:
    """Read and parse every file under ``paths`` into one inventory, without running the rules:
    what commands that draw or list roles start from.  The report holds the input errors;
    ``excluded`` says which files the configuration leaves out, ``root`` is the project's
    (the configuration's folder)."""
    jobs = parse_jobs.usable_jobs(jobs)
    report, inventory, _ = _read_all(
        paths, stdin_name, accounts, excluded, jobs, cache, max_size, progress, root
    )
    return inventory, report


def _read_all(
    paths: Iterable[str],
    stdin_name: str,
    accounts: AccountContext | None,
    excluded: Callable[[str], bool] | None = None,
    jobs: int = 1,
    cache: ParseCache | None = None,
    max_size: int | None = MAX_FILE_SIZE,
    progress: Progress | None = None,
    root: str | None = None,
) -> tuple[Report, Inventory, dict[str, str]]:
    """Every file under ``paths`` read, parsed and put into one inventory, with the Terraform
    modules a named file is judged with (rolelint.module_readers; ``root`` is the project's, the
    configuration's folder) and the files linked to a named template by the policies and
    values one defines or exports and another uses, or to a named file by a policy's ARN
    (rolelint.template_readers)."""
    from rolelint import parse_cache
    from rolelint.boundary_links import mark_boundaries
    from rolelint.gc_pause import gc_paused
    from rolelint.managed_policies import unshipped_notices
    from rolelint.pattern_budget import limit_patterns
    from rolelint.policy_links import link_managed_policies
    from rolelint.stack_exports import link_imports

    report = Report()
    inventory = Inventory(accounts=accounts or AccountContext())
    kept_texts: dict[str, str] = {}  # what cannot be read again for snippets (stdin, pipes)
    # A module is its whole directory, read once; each with the named file that brought it.
    terraform_directories: dict[str, str | None] = {}
    standalone: list[tuple[str, Inventory]] = []
    rendered: list[str] = []  # templatefile() templates named: their module's, or skipped
    policies: list[str] = []  # the files that parsed as a policy document of their own
    own_errors: list[InputError] = []  # the errors of files parsed on their own
    snapshot_accounts: set[str] = set()
    # The named files (and the modules they bring), with what each holds.
    named_files: list[Held] = []
    analyzed: set[str] = set()  # the files whose roles are in the inventory
    work: list[Target] = []
    module_reals: set[str] = set()  # the real paths of the module folders read
    search = ModuleSearch(root, excluded, max_size)
    # The module folders of named files (and the file that brought each): their callers are read.
    named_modules: dict[str, str] = {}
    policies_named: list[str] = []  # named files a module may read: searched once all are read
    walked: list[str] = []  # the module folders of the files met, for the search (see below)
    named = stdin_name if stdin_name != STDIN_NAME else None  # the default names no file
    for target in discover(paths, excluded, named):
        if target.excluded:
            report.skip(EXCLUDED)
        elif target.unread is not None:
            report.skip(target.unread)
        elif target.path != STDIN and not target.missing and is_terraform(target.path):
            origin = target.path if target.explicit else None
            _add_module(os.path.dirname(target.path), terraform_directories, module_reals, origin)
            folder = module_folder_of(target)
            if folder is not None:
                walked.append(folder)
            if target.explicit:
                named_modules.setdefault(os.path.dirname(target.path), target.path)
            if is_unloaded_tfvars_file(target.path):
                # prod.tfvars: its module is read without it, so it is read on its own, to be
                # counted as skipped (or its syntax error reported), not left out unsaid.  Read
                # as Terraform, it is an input even when skipped (a -var-file someone passes).
                work.append(target)
                report.read_files.add(os.path.realpath(target.path))
        else:
            work.append(target)
    for path in dict.fromkeys(map(tidy_path, paths)):
        # A folder scan of a project's root walked it already: the search reuses that walk.
        if path != STDIN and os.path.isdir(path):
            search.walked(path, walked)
    cache_directory = cache.directory if cache is not None else None
    if progress is not None:
        progress.phase("reading files", len(work) + len(terraform_directories))
    # Parsing builds millions of small acyclic objects: the collector would only slow it down.
    with gc_paused(), parse_cache.using(cache):
        parsed = iter(
            parse_jobs.parse_files(
                [target for target in work if target.path != STDIN],
                jobs,
                cache_directory,
                max_size,
            )
        )

        def take(target: Target, result: parse_jobs.FileResult) -> None:
            """Add what a file gave to the run."""
            if progress is not None:
                progress.advance()
            if result.error is not None:
                report.errors.append(result.error)
                return
            outcome = result.outcome
            assert outcome is not None
            if result.text is not None:
                kept_texts[target.path] = result.text
            if outcome.format is not None:
                # Only an analyzed file's comments are judged: in one that failed to parse or
                # was skipped (a Kubernetes manifest), none can be used, or said to be wrong.
                inventory.suppressions.extend(result.directives)
            name = stdin_name if target.path == STDIN else target.path
            # A file may be analyzed with errors (an account export's malformed entries).
            report.errors.extend(outcome.errors)
            if outcome.errors and target.path != STDIN:
                own_errors.extend(outcome.errors)
            report.notices.extend(outcome.notices)
            if outcome.format is None:
                if not outcome.errors and is_rendered_template(name):
                    rendered.append(name)
                elif not outcome.errors:
                    report.skip(outcome.skip_reason)
            else:
                report.files_analyzed += 1
                report.analyzed_files.add(name)
                analyzed.add(name)
                standalone.append((name, outcome.inventory))
                snapshot_accounts.update(outcome.own_accounts)
                if outcome.format == POLICY_FORMAT:
                    policies.append(name)
                elif target.explicit and target.path != STDIN:
                    template = outcome.format == CLOUDFORMATION_FORMAT
                    named_files.append(Held(target.path, outcome.inventory, target.path, template))

        taken = 0
        for target in work:
            if target.path == STDIN:
                result = _parse_stdin(stdin_name, report, inventory, kept_texts, max_size, analyzed)
                if result is None:
                    continue
            else:
                result = next(parsed)
                if (
                    target.explicit
                    and not target.missing
                    and may_be_read(target.path, result.outcome)
                ):
                    policies_named.append(target.path)
            take(target, result)
            taken += 1
        # The modules the named files are judged with (rolelint.module_readers), searched once
        # every named file is read: its reading says whether a module may read it.
        read_before = len(terraform_directories)
        unread_templates = _search_modules(
            search, policies_named, named_modules, terraform_directories, module_reals
        )
        # Said first, as when the search ran before the files were read (the HTML report lists
        # the notices in the order they come).
        report.notices[:0] = search.notices
        searched = len(search.notices)  # a search of templates below may stop too
        if progress is not None and len(terraform_directories) > read_before:
            # The modules the search brought are known only now: the phase counts them too.
            progress.phase("reading files", len(work) + len(terraform_directories))
            progress.advance(taken)

        consumed: set[str] = set()
        templates: set[str] = set()
        leave_out = search.left_out  # the files excluded (discovery.LeftOut)

        def read_modules(
            directories: list[str], ready: Mapping[str, parse_jobs.ModuleResult] | None = None
        ) -> list[tuple[str, TerraformOutcome]]:
            """Read the Terraform modules in ``directories`` and add what each gave to the run
            (a module a folder of another batch calls is spelled as there: ``roots``); a
            module the template search evaluated is taken rather than evaluated again
            (``ready``, see parse_jobs.parse_modules)."""
            read: list[TerraformOutcome] = []
            for modules in parse_jobs.parse_module_folders(
                directories,
                jobs,
                cache_directory,
                max_size,
                leave_out,
                terraform_directories,
                ready,
            ):
                inventory.suppressions.extend(modules.directives)
                report.read_files |= modules.read
                kept_texts.update(modules.texts)
                if progress is not None:
                    progress.advance(len(modules.outcomes))
                for module in modules.outcomes:
                    consumed.update(_merge(module, report, inventory, analyzed))
                    templates.update(module.templates)
                    read.append(module)
            return list(zip(directories, read, strict=True))

        for folder, module in read_modules(list(terraform_directories)):
            origin = terraform_directories[folder]
            if origin is not None:  # a module a named file brought: linked files are sought
                named_files.append(Held(folder, module.inventory, origin, False))

        def read_found(
            found: list[Found], evaluated: Mapping[str, parse_jobs.ModuleResult]
        ) -> list[Held]:
            """Read the files and modules the search found linked, as any other; what each
            that holds something holds (and each module a module found brings).  A module the
            search evaluated already (``evaluated``) is not evaluated again (read_modules)."""
            targets = [Target(item.path, explicit=False) for item in found if not item.module]
            origins = {item.path: item.origin for item in found}
            held = []
            results = parse_jobs.parse_files(targets, jobs, cache_directory, max_size)
            for target, result in zip(targets, results, strict=True):
                take(target, result)
                context.add(target.path)
                outcome = result.outcome
                if outcome is not None and outcome.format is not None:
                    template = outcome.format == CLOUDFORMATION_FORMAT
                    origin = origins[target.path]
                    held.append(Held(target.path, outcome.inventory, origin, template))
            before = set(terraform_directories)
            # The modules found, with their callers and the modules they call, in one search:
            # one per module went over every module read so far each time (600 modules found
            # made 180,300 searches of the modules a folder calls).
            modules = {item.path: item.origin for item in found if item.module}
            for path, origin in modules.items():
                _add_module(path, terraform_directories, module_reals, origin)
            if modules:
                _search_modules(search, [], modules, terraform_directories, module_reals)
            new = [folder for folder in terraform_directories if folder not in before]
            for folder, module in read_modules(new, evaluated):
                context.update(module.files)
                origin = terraform_directories[folder] or folder
                held.append(Held(folder, module.inventory, origin, False))
            return held

        # The files linked to a named template (using its policies or exports, defining what
        # it attaches or imports; Terraform modules and account exports by a policy's ARN),
        # and the templates linked to a named file or module by a policy's ARN, and to those
        # in turn, read as in a folder scan (rolelint.template_readers): found once every
        # named file and module is parsed.
        known = {os.path.realpath(t.path) for t in work if t.path != STDIN} | module_reals
        context: set[str] = set()
        linked_files(search, named_files, known, read_found)
        report.notices.extend(search.notices[searched:])
        report.read_files |= consumed
        # The files the searches left unread for their size, but those the run read (its
        # error says it): nothing is skipped silently.
        report.notices.extend(search.unread(report.read_files))
    for name, part in standalone:
        # A policy file a Terraform module reads with file() is analyzed as that module's
        # policy (naming the role), not a second time on its own.
        if not consumed or name == stdin_name or os.path.realpath(name) not in consumed:
            inventory.extend(part)
    for name in rendered:
        # Analyzed as the policy of the module that renders it (named: its module was read,
        # see above); with no such module it is no policy yet, and said to be skipped.
        if name != stdin_name and os.path.realpath(name) in consumed:
            report.files_analyzed += 1
            report.analyzed_files.add(name)
            analyzed.add(name)
        else:
            report.skip(unread_templates.get(name, SKIP_UNRENDERED_TEMPLATE))
    # Every file is parsed: an import of what another template exports is that value, a
    # policy one file attaches by ARN (or import) and another defines is linked, and one the
    # run names only as a permissions boundary is that boundary.
    link_imports(inventory)
    link_managed_policies(inventory)
    mark_boundaries(inventory)
    if consumed and own_errors:
        # ... and when it is not JSON, the module's reading says so (RL604, naming the role):
        # its own parse error would report the same mistake twice.  A template read by
        # templatefile() is not JSON until Terraform renders it: its own parse says nothing.
        said = {os.path.realpath(problem.ref.file) for problem in inventory.problems} | templates
        repeated = {
            id(error)
            for error in own_errors
            if os.path.realpath(error.file) in consumed and os.path.realpath(error.file) in said
        }
        report.errors = [error for error in report.errors if id(error) not in repeated]
    if snapshot_accounts:
        # An exported account is the account under audit: trust within it is not cross-account.
        # Kept apart from the declared ones: whether any is declared must not depend on
        # which other files share the run (RL102's hint to declare them).
        learned = inventory.accounts.learned_accounts | snapshot_accounts
        inventory.accounts = replace(inventory.accounts, learned_accounts=frozenset(learned))
    too_many = limit_patterns(inventory)
    if too_many is not None:
        report.notices.append(too_many)
    report.notices.extend(unshipped_notices(inventory))
    report.roles = len(inventory.roles)
    report.errors.sort(key=InputError.sort_key)
    # A file with an error may have lost roles or statements: what it lacks says nothing.
    failed = {error.file for error in report.errors}
    broken = frozenset(
        os.path.dirname(file)
        for file in failed
        if is_terraform(file) and not is_unloaded_tfvars_file(file)  # not read with its module
    )
    report.scope = replace(
        report.scope,
        files=frozenset(analyzed - failed),
        broken_modules=broken,
        called_modules=frozenset(inventory.called_modules),
        unset_input_modules=frozenset(inventory.unset_input_modules),
        policies_alone=frozenset(
            name for name in policies if os.path.realpath(name) not in consumed
        ),
        module_policies=frozenset(consumed),
        context=frozenset(context),
        stopped=_stopped(search.stopped, terraform_directories, report.analyzed_files),
    )
    return report, inventory, kept_texts


def _search_modules(
    search: ModuleSearch,
    policies: list[str],
    named_modules: dict[str, str],
    folders: dict[str, str | None],
    reals: set[str],
) -> dict[str, str]:
    """Add to ``folders`` (:func:`_add_module`) the Terraform modules the files named alone are
    judged with, as in a folder scan (rolelint.module_readers): the modules that read a named
    policy or template (``policies``), the callers of every module named or so found
    (``named_modules``: each folder, with the named file that brought it), and the local
    modules every root calls.  The named templates no module was found to render, with why."""
    unread_templates: dict[str, str] = {}
    for path in policies:
        # A policy a module reads with file() or templatefile(): the module's, as in a folder
        # scan.
        readers = search.readers(path)
        for folder in readers:
            _add_module(folder, folders, reals, path)
            named_modules.setdefault(folder, path)
        if not readers and is_rendered_template(path):
            unread_templates[path] = search.not_rendered(path)
    for folder, named_file in named_modules.items():
        # A module's file is judged with the values its callers pass, as in a folder scan.
        for caller in search.callers(folder, named_file):
            _add_module(caller, folders, reals, named_file)
    for folder in list(folders):
        # The modules a root calls are read on their own too, as a folder scan reads them: it
        # keeps the finding of the module read alone (its address has no module. prefix), and
        # that finding's fingerprint is the one a baseline records.
        for called in search.called(folder, reals):
            _add_module(called, folders, reals, folders[folder])
    return unread_templates


def _stopped(
    named: Iterable[str], folders: dict[str, str | None], analyzed: Iterable[str]
) -> frozenset[str]:
    """The files whose searches stopped before the end (rolelint.module_readers): each named
    file whose search did, and the files of the modules it brought (judged without what lies
    beyond where it stopped)."""
    stopped = set(named)
    brought = {
        os.path.realpath(folder or os.curdir)
        for folder, origin in folders.items()
        if origin in stopped
    }
    stopped.update(
        file
        for file in analyzed
        if is_terraform(file) and os.path.realpath(os.path.dirname(file) or os.curdir) in brought
    )
    return frozenset(stopped)


def _add_module(
    folder: str, folders: dict[str, str | None], reals: set[str], origin: str | None
) -> None:
    """The module in ``folder``, to be read once, by the first name the run meets it under
    (``infra`` and ``$PWD/infra`` are one module: read twice, its findings would be reported
    twice, under two names and fingerprints), with ``origin``, the named file that brought it
    (None for a module met in a folder the run walks)."""
    if folder in folders:
        return
    real = os.path.realpath(folder or os.curdir)
    if real not in reals:
        reals.add(real)
        folders[folder] = origin


def _parse_stdin(
    name: str,
    report: Report,
    inventory: Inventory,
    kept_texts: dict[str, str],
    max_size: int | None,
    analyzed: set[str],
) -> parse_jobs.FileResult | None:
    """Standard input, in this process; None when it was a Terraform file (merged here)."""
    from rolelint.suppressions import comments_of

    (text, error), head = read_stdin(max_size)
    if error is not None:  # judged as a file on disk is
        return parse_jobs.unread(name, head, replace(error, file=name))
    assert text is not None
    skipped = parse_jobs.skipped_by_name(name)
    if skipped is not None:
        return skipped
    kept_texts[name] = text
    directives = comments_of(name, text)
    if name.lower().endswith(TFVARS_SUFFIXES):
        return parse_jobs.FileResult(outcome=parse_stdin_tfvars(name, text))
    if is_terraform(name):
        if _add_terraform_text(name, text, report, inventory, max_size, analyzed):
            inventory.suppressions.extend(directives)  # not those of a file that failed
        return None
    return parse_jobs.FileResult(outcome=parse_source(name, text), directives=directives)


def _add_terraform_text(
    name: str,
    text: str,
    report: Report,
    inventory: Inventory,
    max_size: int | None,
    analyzed: set[str],
) -> bool:
    """Merge a Terraform file given alone (standard input); whether it parsed."""
    from functools import partial

    from rolelint.parsers.terraform import parse_terraform_file

    reader = partial(read_text, max_size=max_size)
    outcome = parse_terraform_file(name, text, reader)
    _merge(outcome, report, inventory, analyzed)
    return name in outcome.files


def _merge(
    outcome: TerraformOutcome, report: Report, inventory: Inventory, analyzed: set[str]
) -> set[str]:
    """Add a Terraform root module's outcome; the files it read through file().

    A module called by another root is also a root of its own (each folder scanned is): what
    it says (a registry module it calls is not read) is said by both, and reported once."""
    known = set(report.errors)
    report.errors.extend(error for error in outcome.errors if error not in known)
    said = set(report.notices)
    report.notices.extend(notice for notice in outcome.notices if notice not in said)
    report.files_analyzed += len(outcome.files)
    report.analyzed_files.update(outcome.files)
    if not outcome.errors:  # one broken file can take references of the others with it
        analyzed.update(outcome.files)
    inventory.extend(outcome.inventory)
    return outcome.consumed


def _attach_snippets(report: Report, texts: dict[str, str], inventory: Inventory) -> None:
    """Keep the source line of every finding so reporters can show it, and the digests of the
    statement it is in and of its elements (rolelint.statement_digests) so a baseline can tell
    it from another of its fingerprint.  ``texts`` holds the text of every file that cannot be
    read again (standard input, pipes, devices); any other file is read again only when it is
    a regular file: reopening a FIFO waited for a writer for ever, after the findings were
    made."""
    wanted: dict[str, set[tuple[int, int]]] = {}  # the places of each file's findings
    for finding in report.findings:
        location = finding.location
        wanted.setdefault(finding.file, set()).add((location.line, location.column))
    from rolelint.parsers import line_breaks
    from rolelint.reading import read_regular_bytes
    from rolelint.source import split_lines
    from rolelint.statement_digests import statement_digests, statement_parts

    statements = statement_parts(inventory, set(wanted))
    for file, places in wanted.items():
        text = texts.get(file)
        if text is None:
            data = read_regular_bytes(file, max_size=None)
            if data is None:
                continue
            # utf-8-sig: a byte order mark is not part of line 1 (as when it was parsed); bytes
            # decoded: the text as parsed, its line breaks untranslated.
            text = data.decode("utf-8-sig", errors="replace")
        # Numbered as the parser numbered the findings' lines.
        source_lines = split_lines(text, line_breaks(file, text))
        for number in {line for line, _ in places}:
            if 0 < number <= len(source_lines):
                report.snippets[(file, number)] = source_lines[number - 1]
        if file in statements:
            found = statement_digests(source_lines, statements[file], places)
            for (line, column), statement in found.items():
                report.statement_digests[(file, line, column)] = statement.digest
                report.statement_elements.setdefault(statement.digest, statement.elements)
