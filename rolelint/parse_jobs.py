"""Reading and parsing the files of a run, on every core when the run is large.

Parsing is most of a scan's time, and files (and Terraform module folders) parse independently,
so large scans spread them over worker processes.  Results are gathered in the order the work
was handed out, so the report is the same, byte for byte, whatever the number of jobs.  Small
scans (a pre-commit hook with three files) stay in one process: starting workers would cost
more than it saves.

A parser bug on one file must not lose the others: it becomes an error naming the file (and
asking for a report), and the scan goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rolelint import parse_cache
from rolelint.discovery import Target
from rolelint.findings import InputError
from rolelint.model import SuppressionDirective
from rolelint.reading import (
    MAX_FILE_SIZE,
    head_over_limit,
    is_regular_file,
    read_target,
    read_text,
)

if TYPE_CHECKING:
    from rolelint.parsers import ParseOutcome
    from rolelint.parsers.hcl_ast import Body
    from rolelint.parsers.terraform import ModuleLoader, TerraformOutcome
    from rolelint.parsers.tf_module import ModuleSource

# The parse cache's kind of entry for a file other than Terraform parsed (its ParseOutcome).
SOURCE_ENTRY = "source"
# Fewer tasks than this run in the calling process.
MIN_PARALLEL_TASKS = 16
# Terraform folders shared out whole from this many on (see parse_module_folders).
MIN_PARALLEL_MODULES = 100

# Whether a parser bug also prints its traceback on standard error, from the process that met
# it (the command line's --debug): the error asks the user to report it, and the traceback is
# what makes the report useful.  Workers are told when they start.
show_tracebacks = False

Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may run on (a container's limit, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# Processes per available core at most, whatever the number of jobs asked for: more only wait
# for one another and for memory (``-j 1000`` forked 430 workers on 2 cores, and took 19.8 s
# where one job took 1.4 s).  A few per core still lets a run asked for more than the cores
# overlap reading with parsing.
JOBS_PER_CORE = 4


def usable_jobs(jobs: int) -> int:
    """``jobs``, at most :data:`JOBS_PER_CORE` per available core (and at least one).  The
    results do not depend on the number: only the time does."""
    return max(1, min(jobs, JOBS_PER_CORE * available_cores()))


@dataclass
class FileResult:
    """One file read and parsed: its text's error, or its outcome and suppression comments."""

    error: InputError | None = None
    outcome: ParseOutcome | None = None
    directives: list[SuppressionDirective] = field(default_factory=list)
    # The text parsed, when the file cannot be read again for the report's snippets (a pipe,
    # a device): reopening a FIFO waits for a writer for ever.
    text: str | None = None


@dataclass
class ModuleResult:
    """Terraform module folders parsed: their outcomes and the comments of what was read."""

    outcomes: list[TerraformOutcome] = field(default_factory=list)
    directives: list[SuppressionDirective] = field(default_factory=list)
    # The texts of the files read that cannot be read again (see FileResult.text), by path.
    texts: dict[str, str] = field(default_factory=dict)
    # Every file the modules read or tried to read (theirs, their tfvars, their callees'), by
    # path: a report must not be written over one (see rolelint.findings.Report.input_files).
    read: set[str] = field(default_factory=set)
    # The folders read, as the loader holds them (ModuleLoader.sources), kept when asked
    # (parse_modules' ``keep_sources``): the template search parses a module to tell a link,
    # and the run reading that module (found, or called by one found) takes that parse
    # (``ready``) rather than evaluate the module again, when it would read the same folders.
    # None otherwise: nothing more is sent back from a worker.
    sources: dict[str, ModuleSource] | None = None


def parse_file(target: Target, max_size: int | None = MAX_FILE_SIZE) -> FileResult:
    """Read one (non-Terraform) file (up to ``max_size`` bytes) and parse it."""
    text = _read(target, max_size)
    if isinstance(text, FileResult):
        return text
    return _keeping_text(parse_text((target.path, text)), target.path, text)


def _read(target: Target, max_size: int | None) -> str | FileResult:
    """The target's text; else the result of a file that is not parsed: why it cannot be read,
    or, for a file over ``max_size`` bytes that is clearly no input of rolelint's (a
    package-lock.json, a CDK tree.json), skipped as not IaC, as it is when it is smaller.  The
    limit bounds the time spent parsing, and such a file needs none: refused, it failed the run."""
    text, error = read_target(target, max_size=max_size)
    if error is None:
        assert text is not None
        return text
    return unread(target.path, head_over_limit(target.path, max_size), error)


def unread(name: str, head: str | None, error: InputError) -> FileResult:
    """The result of a file not read for ``error``: skipped as not IaC when it was over the
    size limit (``head``, its start) and clearly is no input of rolelint's, else the error."""
    from rolelint.parsers import ParseOutcome
    from rolelint.parsers.document_formats import clearly_not_analyzed

    if head is not None and clearly_not_analyzed(name, head):
        return FileResult(outcome=ParseOutcome())
    return FileResult(error=error)


def skipped_by_name(name: str) -> FileResult | None:
    """The result of a file read whose name says it is clearly no input of rolelint's (a
    package manager's lock file, a CDK tree.json): skipped as not IaC without being parsed, as
    it is over the size limit (:func:`unread`); None for any other file."""
    from rolelint.parsers import ParseOutcome
    from rolelint.parsers.document_formats import clearly_not_analyzed_by_name

    return FileResult(outcome=ParseOutcome()) if clearly_not_analyzed_by_name(name) else None


def parse_text(read: tuple[str, str]) -> FileResult:
    """Parse the text of a (non-Terraform) file already read, given with its name (one whose
    name says it is no input is not parsed: :func:`skipped_by_name`)."""
    from rolelint.parsers import ParseOutcome, parse_source
    from rolelint.suppressions import comments_of

    name, text = read
    skipped = skipped_by_name(name)
    if skipped is not None:
        return skipped
    try:
        outcome = parse_cache.cached(
            SOURCE_ENTRY, name, text, lambda: parse_source(name, text), ParseOutcome
        )
    except Exception as problem:  # a parser bug: this file is lost, not the run
        return FileResult(error=internal_error(name, problem))
    return FileResult(outcome=outcome, directives=comments_of(name, text))


def parse_files(
    targets: Sequence[Target],
    jobs: int,
    cache_directory: Path | None,
    max_size: int | None = MAX_FILE_SIZE,
) -> list[FileResult]:
    """Every target read and parsed, in order: those the active cache holds in this process,
    the others on up to ``jobs`` processes.

    A cached file costs less to unpickle here than to hand back from a worker (which pickles
    it again), so a warm run of a big repository, or a hook after one file changed, starts no
    worker at all.  With a cache, every file is read here, once, for its digest, and the text
    of one the cache lacks is handed to the worker: read again, a pipe (``<(command)``,
    ``/dev/stdin``) was empty the second time, and its findings were lost without a word.
    """
    if parse_cache.active() is None:
        return run(partial(parse_file, max_size=max_size), targets, jobs, cache_directory)
    results: list[FileResult | None] = []
    missing: list[tuple[str, str]] = []
    for target in targets:
        found = _from_cache(target, max_size)
        if isinstance(found, str):
            missing.append((target.path, found))
            results.append(None)
        else:
            results.append(found)
    parsed = run(parse_text, missing, jobs, cache_directory)
    fresh = iter(
        _keeping_text(result, path, text)
        for result, (path, text) in zip(parsed, missing, strict=True)
    )
    return [result if result is not None else next(fresh) for result in results]


def _keeping_text(result: FileResult, path: str, text: str) -> FileResult:
    """``result``, holding ``text`` when ``path`` cannot be read again (see FileResult.text)."""
    if not is_regular_file(path):
        result.text = text
    return result


def _from_cache(target: Target, max_size: int | None) -> FileResult | str:
    """The target's result when reading it fails or the cache holds its parse; else its text,
    to be parsed."""
    from rolelint.parsers import ParseOutcome
    from rolelint.suppressions import comments_of

    text = _read(target, max_size)
    if isinstance(text, FileResult):
        return text
    skipped = skipped_by_name(target.path)
    if skipped is not None:
        return skipped  # no entry looked for: none is written for it
    outcome = parse_cache.stored(SOURCE_ENTRY, target.path, text, ParseOutcome)
    if outcome is None:
        return text
    result = FileResult(outcome=outcome, directives=comments_of(target.path, text))
    return _keeping_text(result, target.path, text)


def parse_module_folders(
    directories: Sequence[str],
    jobs: int,
    cache_directory: Path | None,
    max_size: int | None = MAX_FILE_SIZE,
    leave_out: Callable[[str], bool] | None = None,
    roots: Iterable[str] = (),
    ready: Mapping[str, ModuleResult] | None = None,
) -> list[ModuleResult]:
    """Terraform module folders parsed and put together, on up to ``jobs`` processes.

    Each process puts together every module its folders call.  Many folders (a repository of
    stacks) are shared out whole: each process parses its own.  A few folders usually call each
    other (examples calling the modules beside them), and every process would parse the same
    modules: their files are parsed on every core first, then the folders are put together
    here.  On the Terraform corpus (24 folders) two jobs took 0.90 s that way, more than one job
    (0.84 s), and take 0.78 s this way; with 480 folders, sharing them out whole is 0.6 s faster.
    ``leave_out`` names the module files not to read (see tf_module.read_module); workers get
    it pickled.  ``roots`` are all the folders of the run when it reads these after others
    (see parse_modules); by default, ``directories``.  ``ready`` are folders parsed already
    (see parse_modules), taken when this process parses them, not when workers do.
    """
    if not directories:
        return []  # not even the Terraform modules imported
    roots = list(roots) or list(directories)
    if jobs > 1 and len(directories) >= MIN_PARALLEL_MODULES:
        return run(
            partial(parse_modules, max_size=max_size, leave_out=leave_out, roots=roots),
            chunks(directories, jobs),
            jobs,
            cache_directory,
            min_tasks=2,
        )
    ahead = (
        parse_terraform_files(directories, jobs, cache_directory, max_size, leave_out)
        if jobs > 1
        else {}
    )
    with parse_cache.remembering(ahead):
        return [
            parse_modules(
                directories, max_size=max_size, leave_out=leave_out, roots=roots, ready=ready
            )
        ]


def parse_terraform_files(
    directories: Sequence[str],
    jobs: int,
    cache_directory: Path | None,
    max_size: int | None = MAX_FILE_SIZE,
    leave_out: Callable[[str], bool] | None = None,
) -> dict[parse_cache.Entry, Body]:
    """The Terraform files of ``directories`` that the active cache does not hold, parsed on up
    to ``jobs`` processes ahead of their modules (for :func:`parse_cache.remembering`).

    A file that cannot be read or parsed is left out: reading its module reports it.  So is a
    file ``leave_out`` names (the configuration excludes it): its module is read without it,
    and parsing it here was work thrown away (399 excluded files of one module took --jobs 2
    to 5.6 s, where --jobs 1 took 0.6 s).
    """
    from rolelint.parsers import module_files
    from rolelint.parsers.tf_module import BODY_ENTRY, is_hcl_file

    missing: list[parse_cache.Entry] = []
    for directory in directories:
        for path in module_files(directory)[0]:
            if leave_out is not None and leave_out(path):
                continue  # not read with its module
            if not is_regular_file(path):
                continue  # a pipe is read once, by its module: read here, it was then empty
            text = read_text(path, max_size=max_size)[0]
            if text is not None and not parse_cache.held(BODY_ENTRY, path, text):
                missing.append((BODY_ENTRY, path, text))
    if any(is_hcl_file(path) for _, path, _ in missing):
        from rolelint.parsers.hcl_adapter import load_grammar

        load_grammar()  # here, before any worker is forked: they share it
    bodies = run(_parse_terraform_file, missing, jobs, cache_directory)
    return {entry: body for entry, body in zip(missing, bodies, strict=True) if body is not None}


def _parse_terraform_file(entry: parse_cache.Entry) -> Body | None:
    from rolelint.parsers.tf_module import parse_terraform_text

    _, path, text = entry
    try:
        return parse_terraform_text(path, text)
    except Exception:  # reported, or reported as a parser bug, when its module is read
        return None


def parse_modules(
    directories: Sequence[str],
    max_size: int | None = MAX_FILE_SIZE,
    leave_out: Callable[[str], bool] | None = None,
    roots: Sequence[str] = (),
    ready: Mapping[str, ModuleResult] | None = None,
    keep_sources: bool = False,
) -> ModuleResult:
    """Terraform module folders, parsed with one module loader (a module several of them call
    is read once); no file over ``max_size`` bytes is read, nor any ``leave_out`` names.
    ``roots`` are all the folders of the run, when this process parses a share of them: a
    folder is read under its spelling there (see ModuleLoader).  ``ready`` holds folders
    another parse read already, alone and keeping its sources (``keep_sources``): the template
    search's parse of a module, which is taken as this parse's when its loader read the
    folders this one would, spelled alike (:func:`_taken`), rather than evaluated again."""
    from rolelint.parsers.terraform import (
        ModuleLoader,
        TerraformOutcome,
        parse_terraform_directory,
    )
    from rolelint.suppressions import comments_of

    result = ModuleResult()

    def reader(path: str) -> tuple[str | None, InputError | None]:
        text, error = read_text(path, max_size=max_size)
        result.read.add(path)
        if text is not None and path.lower().endswith((".tf", ".tfvars")):
            result.directives.extend(comments_of(path, text))
        if text is not None and not is_regular_file(path):
            result.texts[path] = text
        return text, error

    loader = ModuleLoader(reader, leave_out, roots or directories)
    for directory in directories:
        taken = _taken(ready.get(directory), loader, result) if ready else None
        if taken is not None:
            result.outcomes.append(taken)
            continue
        try:
            result.outcomes.append(parse_terraform_directory(directory, reader, loader))
        except Exception as problem:  # a parser bug: this module is lost, not the run
            result.outcomes.append(TerraformOutcome(errors=[internal_error(directory, problem)]))
    # A file that failed to parse holds no element a comment could cover: its comments are
    # not judged (neither unused nor malformed); its error says what is wrong.
    parsed = {
        path for source in loader.sources.values() for path, _ in (*source.files, *source.tfvars)
    }
    result.directives = [d for d in result.directives if d.file in parsed]
    if keep_sources:
        result.sources = loader.sources
    return result


def _taken(
    found: ModuleResult | None, loader: ModuleLoader, result: ModuleResult
) -> TerraformOutcome | None:
    """The outcome of ``found``, one folder parsed alone with its sources kept, as ``loader``'s
    parse of that folder would be, with what it read added to ``result`` as if ``loader`` had
    read it; None when ``loader`` would read some folder of it otherwise (under another
    spelling: ModuleLoader.adopt), which the evaluation then does.  A file ``loader`` read
    already has given its comments: they are not added twice."""
    if found is None or found.sources is None or len(found.outcomes) != 1:
        return None
    if not loader.adopt(found.sources):
        return None
    result.directives.extend(d for d in found.directives if d.file not in result.read)
    result.read |= found.read
    result.texts.update(found.texts)
    return found.outcomes[0]


def internal_error(name: str, problem: Exception) -> InputError:
    if show_tracebacks:
        _print_traceback(name, problem)
    return InputError(
        name,
        f"internal error while parsing ({type(problem).__name__}: {problem}); the file is "
        "skipped - please report it with the file if you can",
    )


def _print_traceback(name: str, problem: Exception) -> None:
    import sys
    import traceback

    try:
        print(f"rolelint: internal error while parsing {name}:", file=sys.stderr)
        traceback.print_exception(type(problem), problem, problem.__traceback__)
    except OSError:  # standard error closed: the error itself is still reported
        pass


def run(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    cache_directory: Path | None,
    min_tasks: int = MIN_PARALLEL_TASKS,
) -> list[Result]:
    """``[function(item) for item in items]``, on up to ``jobs`` processes (this one included,
    see rolelint.workers) when there are at least ``min_tasks`` items; each worker parses with
    the same cache folder."""
    if jobs <= 1 or len(items) < min_tasks:
        return [function(item) for item in items]
    import multiprocessing  # only for large scans: a one-file check does not pay the import

    from rolelint.workers import share_out

    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with rolelint already imported.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    parts = share_out(
        partial(_apply, function),
        chunks(items, jobs * PARTS_PER_JOB),
        jobs,
        context,
        _start_worker,
        (cache_directory, show_tracebacks),
    )
    return [result for part in parts for result in part]


# Parts per process: enough that the calling process and the workers finish close together,
# few enough that handing a part out costs little next to parsing it.  A worker holds up to two
# parts queued besides the one it parses, which the caller cannot take back: with 4 parts per
# job that was 3 of 8 parts on 2 cores, and the caller waited for them (0.7 s of 2,000 files).
PARTS_PER_JOB = 32


def _apply(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


def _start_worker(cache_directory: Path | None, tracebacks: bool = False) -> None:
    from rolelint.gc_pause import pause_for_process

    global show_tracebacks
    show_tracebacks = tracebacks
    pause_for_process()
    parse_cache.set_process_cache(
        parse_cache.ParseCache(cache_directory) if cache_directory else None
    )


def chunks(items: Sequence[Item], parts: int) -> list[list[Item]]:
    """``items`` in ``parts`` contiguous runs or fewer (order kept).  Terraform folders go to
    workers in runs, so that each worker's module loader reads a shared module once."""
    if not items:
        return []
    size = max(1, -(-len(items) // max(1, parts)))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]
