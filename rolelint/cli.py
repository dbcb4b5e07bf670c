"""The command line: parse options, call the api, pick a reporter, choose the exit code.

Heavy modules (yaml, rich, jsonschema, the checks) are imported inside the commands, so
``rolelint --version`` and ``--help`` stay fast for pre-commit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from rolelint import __version__
from rolelint.audit.choices import FILTERS as ROLE_FILTERS
from rolelint.audit.choices import FORMATS as ROLES_FORMATS
from rolelint.audit.choices import SORTS as ROLE_SORTS
from rolelint.reporters import FORMATS

if TYPE_CHECKING:
    from rolelint.api import Audit
    from rolelint.catalog import Rule, RuleOption
    from rolelint.config import Config
    from rolelint.findings import InputError, Report, Severity
    from rolelint.graph.model import AssumeGraph
    from rolelint.model import AccountContext, Inventory
    from rolelint.parse_cache import ParseCache
    from rolelint.progress import Progress

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

SEVERITY_NAMES = ("critical", "high", "medium", "low", "info")
OUTPUT_FORMATS = FORMATS
STDOUT = "-"  # as a report FILE: standard output


class RolelintGroup(click.Group):
    """Turns click usage errors into exit code 2 (click's default too) and hides tracebacks."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        debug = "--debug" in (sys.argv if args is None else args)
        extra.pop("standalone_mode", None)
        if debug:  # a parser bug costs one file, not the run: its traceback is printed there
            from rolelint import parse_jobs

            parse_jobs.show_tracebacks = True
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as stop:
            sys.exit(stop.exit_code)
        except click.ClickException as error:
            try:
                error.show()
            except OSError:
                _discard(sys.stderr)
            sys.exit(EXIT_ERROR)
        except click.exceptions.Abort:
            _tell("rolelint: aborted")
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            _discard(sys.stdout)
            sys.exit(EXIT_ERROR)
        except Exception as error:
            if debug:
                try:
                    traceback.print_exc()
                except OSError:
                    _discard(sys.stderr)
            else:
                _tell(
                    f"rolelint: internal error: {type(error).__name__}: {error} "
                    "(run with --debug for the traceback, and please report it)"
                )
            sys.exit(EXIT_ERROR)
        finally:
            if debug:  # an application calling main again may not ask for them
                from rolelint import parse_jobs

                parse_jobs.show_tracebacks = False


def _split(values: tuple[str, ...]) -> list[str]:
    """``--select a,b --select c`` -> [a, b, c]."""
    return [item for value in values for item in value.split(",") if item.strip()]


def _use_color(no_color: bool, output: str | None, stream: Any) -> bool:
    if no_color or output or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _print_version(context: click.Context) -> None:
    """The program version and the version of the action catalog that judges permissions."""
    from rolelint.iam_actions import data_version

    _echo(f"rolelint {__version__}")
    _echo(f"IAM action data: {data_version()}")
    context.exit(0)


def _fail(message: str) -> NoReturn:
    """Exit 2 with ``message`` (see :func:`_tell_error`)."""
    _tell_error(message)
    sys.exit(EXIT_ERROR)


def _tell_error(message: str) -> None:
    """``error: message`` on standard error: control characters it quotes from the scanned
    files (a role named with an escape sequence, in "did you mean") are shown as text, never
    sent to the terminal."""
    from rolelint.reporters.text import clean

    _tell(f"error: {clean(message)}")


def _tell(line: str) -> None:
    """One line on standard error.  When it cannot be written (standard error closed, or a full
    disk) the line is lost, and the exit code still says how the run went."""
    try:
        click.echo(line, err=True)
    except OSError:
        _discard(sys.stderr)


F = TypeVar("F", bound=Callable[..., Any])


# The name is more than a label: parsers are chosen by it (rolelint.parsers.is_terraform).
STDIN_FILENAME_HELP = (
    "The name to report for '-' (standard input). It also selects how the text is read: a "
    "name ending in .tf, .tf.json or .tfvars reads it as Terraform (a tfvars file alone is "
    "checked for errors, then skipped: its values feed only its module's files), unless "
    "Terraform does not read that file (a hidden name, an upper-case suffix): it is then "
    "skipped, as the file is on disk; any other "
    "name reads it as a template or policy (JSON or YAML), so Terraform under it is skipped as "
    "not a template. The configuration is looked for from its folder, as for the file itself. "
    "It may not name a file the run also scans."
)


def _stdin_name(context: click.Context, parameter: click.Parameter, value: str) -> str:
    """``--stdin-filename``, named as a scanned file is (``./a.yaml`` is ``a.yaml``, see
    rolelint.discovery.tidy_path): the name is reported, fingerprinted and matched against
    the configuration like any other.  An empty name would name nothing."""
    from rolelint.discovery import tidy_path

    if not value:
        raise click.BadParameter("the name cannot be empty")
    return tidy_path(value)


def _refuse_stdin_twice(targets: list[str], stdin_name: str) -> None:
    """Exit 2 when standard input would be read twice, or under the name of a file the run
    also scans.  Named twice, ``-`` was read twice (the second time empty: one file counted
    twice, one of them skipped); named as a scanned file, both texts were analyzed under one
    name, with the snippets of one for the findings of the other."""
    from rolelint.discovery import STDIN, tidy_path

    tidy = [tidy_path(target) for target in targets]
    if tidy.count(STDIN) > 1:
        _fail("'-' (standard input) is named more than once: it can be read only once")
    if _stdin_file(tidy, stdin_name) is None:
        return
    for target in tidy:
        if target != STDIN and _holds(target, stdin_name):
            _fail(
                f"--stdin-filename {stdin_name} names a file this run also scans ({target}): "
                "scan one or the other"
            )


def _stdin_file(targets: list[str], stdin_name: str) -> str | None:
    """The file standard input's text is read as: ``--stdin-filename`` when ``-`` is among
    ``targets``; None when standard input is not read, or keeps its default name, which names
    no file.  One answer for every rule about that name (it may not be a scanned file, nor
    the report's)."""
    from rolelint.discovery import STDIN, tidy_path
    from rolelint.reading import STDIN_NAME

    if stdin_name == STDIN_NAME or STDIN not in map(tidy_path, targets):
        return None
    return stdin_name


def _holds(target: str, name: str) -> bool:
    """Whether scanning ``target`` (a file or a folder) may read the file ``name``."""
    if target == name:
        return True
    try:
        if os.path.isdir(target):
            inside = os.path.relpath(os.path.realpath(name), os.path.realpath(target))
            return os.path.isfile(name) and not inside.startswith(os.pardir)
        return os.path.exists(name) and os.path.samefile(target, name)
    except (OSError, ValueError):
        return False


def _file_size(context: click.Context, parameter: click.Parameter, value: float | None) -> Any:
    """``--max-file-size``: a finite number of MiB, at least one byte (``inf`` or ``nan`` is a
    usage error, not a crash when the limit is turned into bytes), as in the configuration."""
    from rolelint.reading import size_limit_problem

    problem = None if value is None else size_limit_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{value} {problem}")
    return value


def _speed_options(command: F) -> F:
    """``--jobs``, ``--no-cache`` and ``--max-file-size``: how the files of a run are read."""
    command = click.option(
        "--max-file-size",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="MIB",
        callback=_file_size,
        help="Files larger than this many MiB (a finite number, at least one byte) are reported "
        "as errors and not read, unless clearly not IaC (a package-lock.json, a CDK tree.json: "
        "skipped) (default: max-file-size of the configuration, else 10 MiB).",
    )(command)
    command = click.option(
        "--no-cache",
        is_flag=True,
        help="Parse every file again instead of reusing unchanged files' results from the "
        "cache (in $ROLELINT_CACHE_DIR, else $XDG_CACHE_HOME/rolelint, else "
        "~/.cache/rolelint).",
    )(command)
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Processes that parse files and run the checks (default: the available cores; "
        "at most 4 per available core are started, whatever the number). Results are the "
        "same for any number.",
    )(command)


def _open_cache(no_cache: bool) -> ParseCache | None:
    """The run's parse cache (None: ``--no-cache``), active until the command ends: rolelint's
    own data files (the rule catalog first, with the configuration) are read through it too."""
    from rolelint.parse_cache import ParseCache, default_directory, using

    cache = None if no_cache else ParseCache(default_directory())
    click.get_current_context().with_resource(using(cache))
    return cache


def _parse_settings(
    jobs: int | None, max_file_size: float | None, config: Config
) -> tuple[int, int]:
    """Processes and the file size limit in bytes."""
    from rolelint.parse_jobs import available_cores
    from rolelint.reading import MAX_FILE_SIZE, MIB

    limit_mib = max_file_size or config.max_file_size_mib
    limit = int(limit_mib * MIB) if limit_mib else MAX_FILE_SIZE
    return (jobs or available_cores()), limit


def _config_options(command: F) -> F:
    """``--config`` and ``--isolated``: where the team's settings come from."""
    command = click.option(
        "--isolated",
        is_flag=True,
        help="Ignore every configuration file: rolelint's defaults and these options only.",
    )(command)
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Read settings from FILE (.rolelint.yaml, or a .toml file with a [tool.rolelint] "
        "table: one without it is an error) instead of the nearest one above the folder holding "
        "every PATH.",
    )(command)


def _baseline_option(help_text: str) -> Callable[[F], F]:
    """``--baseline FILE``: the findings a baseline records are accepted (suppressed, kind
    ``external``), for ``check`` and for the audit commands that count what it reports."""
    return click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help=help_text,
    )


def _account_options(own: str, trusted: str) -> Callable[[F], F]:
    """``--account``, ``--org-id`` and ``--trusted-account``, with what each command does with
    them (``own``, ``trusted``) in their help."""

    def decorate(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--account",
                    "own_accounts",
                    multiple=True,
                    metavar="IDS",
                    help=f"Your own AWS account ids (comma-separated; repeatable): {own}. The "
                    "template's own account always counts.",
                ),
                click.option(
                    "--org-id",
                    "org_ids",
                    multiple=True,
                    metavar="IDS",
                    help="Your AWS Organizations id(s) (o-...): aws:PrincipalOrgID with one of "
                    "them scopes a trust to your own accounts.",
                ),
                click.option(
                    "--trusted-account",
                    "trusted_accounts",
                    multiple=True,
                    metavar="IDS",
                    help=f"Third-party account ids you trust (vendors): {trusted}.",
                ),
            )
        ):
            command = option(command)
        return command

    return decorate


def run() -> None:
    """The ``rolelint`` command: one command in a process of its own, which then exits.

    Knowing that, some things are done faster than an application that calls ``main`` may
    have them done (rolelint.process_owner).
    """
    from rolelint import process_owner

    process_owner.claim()
    main()


@click.group(cls=RolelintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda context, _parameter, value: _print_version(context) if value else None,
    help="Show the version and the version of the IAM data, then exit.",
)
def main() -> None:
    """Find dangerous AWS IAM roles in CloudFormation, Terraform and IAM policy files.

    \b
    Examples:
      rolelint check                      # everything under the current folder
      rolelint check infra/ --format sarif --output rolelint.sarif
      rolelint check template.yaml --fail-on high
      rolelint graph infra/ --format dot | dot -Tsvg > roles.svg
      rolelint init                       # write a commented .rolelint.yaml
      rolelint rules                      # list the rule catalog
      rolelint explain RL101              # one rule's documentation
    """
    _escape_unencodable_output()


def _escape_unencodable_output() -> None:
    """A file name that is not UTF-8, or a lone surrogate a JSON escape produced, reaches the
    output as text the stream cannot encode: print it escaped (``\\udce9``) instead of failing
    the whole run on it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@main.command()
@click.option(
    "--output",
    "-o",
    default=".rolelint.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the configuration (YAML; not a .toml file; '-': standard output).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite the file if it exists; write it even though another configuration applies "
    "to its folder (it then takes that one's place there).",
)
def init(output: str, force: bool) -> None:
    """Write a commented starter configuration (.rolelint.yaml).

    Every setting is listed with its default. All but fail-on (set to its default, low) are
    commented out, so the file changes nothing until you edit it. 'rolelint check' finds it
    by walking up from the scanned path.

    When a configuration already applies to the folder (a .rolelint.yaml, .rolelint.yml or
    pyproject.toml [tool.rolelint] there or in a folder above), init refuses (exit 2): the new
    file would take its place, and none of its settings, nor its baseline, would apply any
    more. Edit that file, or use --force.
    """
    from rolelint.starter_config import STARTER

    if output.lower().endswith(".toml"):
        # The starter is YAML: written into pyproject.toml it would break the file for every
        # tool that reads it, rolelint included.
        _fail(
            f"init writes YAML, not TOML: {output} cannot hold it. Write .rolelint.yaml (the "
            "default), or put the settings in a [tool.rolelint] table of pyproject.toml by hand "
            "(see docs/configuration.md)"
        )
    if output == STDOUT:  # as everywhere in rolelint: a file named "-" is ./-
        _to_stdout(STARTER)
        return
    if os.path.exists(output) and not force:
        _fail(f"{output} exists; use --force to overwrite it")
    replaced = _configuration_replaced(output, force)
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            handle.write(STARTER)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    instead = f", which takes the place of {replaced} for the files below it" if replaced else ""
    _echo(f"wrote {output}{instead}: edit it, then run 'rolelint check'")


def _configuration_replaced(output: str, force: bool) -> str | None:
    """The configuration that applies to the folder of ``output``, which the starter written
    there would replace (None when there is none, or ``output`` is not a name the search
    finds: a file read only with --config replaces nothing).  Without ``force``, exit 2
    naming it: the starter silently took the place of a pyproject.toml [tool.rolelint], of a
    .rolelint.yml, or of a parent folder's configuration with its baseline, and the next
    check ignored their settings, though the starter "changes nothing until you edit it".
    A starter the search would not read (.rolelint.yml beside a .rolelint.yaml) is refused
    even so: it would change nothing at all."""
    from rolelint.config import CONFIG_NAMES, find_config, from_working_folder

    name = os.path.basename(output)
    folder = os.path.dirname(output) or os.curdir
    if name not in CONFIG_NAMES or not os.path.isdir(folder):
        return None
    found = find_config([folder])
    if found is None or _same_file_key(found) == _same_file_key(output):
        return None
    existing = from_working_folder(found)  # ../../.rolelint.yaml rather than absolute
    where = "this folder" if folder == os.curdir else folder
    beside = _same_file_key(os.path.dirname(found) or os.curdir) == _same_file_key(folder)
    if beside and CONFIG_NAMES.index(os.path.basename(found)) < CONFIG_NAMES.index(name):
        _fail(
            f"{existing} applies to {where} and is read before {name}, which would change "
            f"nothing: edit {existing}"
        )
    if not force:
        kind = " ([tool.rolelint])" if found.endswith(".toml") else ""
        _fail(
            f"{existing}{kind} already applies to {where}: {output} would take its place, "
            f"and its settings (and baseline) would no longer apply there. Edit {existing}, "
            "or use --force to write the starter all the same"
        )
    return existing


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "-f",
    "output_formats",
    multiple=True,
    metavar="FORMAT[:FILE]",
    help=f"Output format, one of {', '.join(OUTPUT_FORMATS)} (default text); FORMAT:FILE writes "
    "it to FILE ('-': standard output). Repeatable: '-f sarif:rolelint.sarif -f text' writes "
    "both in one run. A FILE that is a file the run scans, or the baseline, is refused (exit 2).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the report to FILE instead of standard output (the format given without FILE; "
    "'-': standard output, as 'rolelint report' reads it). Never a file the run scans.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_NAMES),
    default=None,
    help="Exit with 1 when a finding has this severity or a higher one "
    "(default: fail-on of the configuration, else low).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only run these rules: ids, id prefixes (RL1), names or classes, comma-separated; "
    "repeatable. Replaces the configuration's select ('RL': every rule; naming none is an "
    "error).",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="RULES",
    help="Add rules to the selection (of the configuration or --select).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Skip these rules: ids, id prefixes, names or classes, comma-separated; repeatable. "
    "Added to the configuration's ignore.",
)
@_account_options(
    own="trust from them is not cross-account and needs no ExternalId",
    trusted="still outside, so still require an ExternalId, but named as known in findings",
)
@click.option(
    "--chain-depth",
    type=click.IntRange(min=1, max=20),
    default=None,
    help="Report role chains longer than this many hops (RL403; default: chain-depth of the "
    "configuration, else 3).",
)
@_config_options
@_speed_options
@_baseline_option(
    "Report only findings FILE does not record (default: baseline of the configuration); "
    "recorded ones are shown as suppressed in JSON and SARIF."
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, writable=True),
    metavar="FILE",
    help="Record today's findings in FILE (to adopt rolelint on an existing repository) and "
    "exit 0, whatever they are; 2 on an input error: a file that could not be read or "
    "parsed, or an invalid suppression in one that was (recorded all the same). FILE is a "
    "file: '-' is refused, standard output being the report's.",
)
@click.option(
    "--stdin-filename",
    default="<stdin>",
    show_default=True,
    callback=_stdin_name,
    help=STDIN_FILENAME_HELP,
)
@click.option(
    "--no-color", is_flag=True, help="Plain text output (also: NO_COLOR set, or not a terminal)."
)
@click.option("--quiet", "-q", is_flag=True, help="Text format: print findings only, no summary.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(
    paths: tuple[str, ...],
    output_formats: tuple[str, ...],
    output: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    own_accounts: tuple[str, ...],
    org_ids: tuple[str, ...],
    trusted_accounts: tuple[str, ...],
    chain_depth: int | None,
    config_file: str | None,
    isolated: bool,
    jobs: int | None,
    no_cache: bool,
    max_file_size: float | None,
    baseline_file: str | None,
    write_baseline: str | None,
    stdin_filename: str,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Check templates and policies for dangerous IAM roles.

    PATH is a file or a folder (searched recursively for .yaml, .yml, .json, .template, .cfn,
    .tmpl, .tf, .tf.json and .tfvars files, skipping .git, node_modules, .terraform and similar);
    '-' reads standard input. Default: '.'. A Terraform file brings its whole folder (module).

    Settings come from the nearest .rolelint.yaml or pyproject.toml [tool.rolelint] above the
    folder holding every PATH (or --config FILE), whatever their order; a note names each one
    nearer to a PATH that is not read. Options given here take precedence. See 'rolelint init'.

    \b
    Exit codes:
      0  no finding at or above --fail-on
      1  findings at or above --fail-on
      2  usage or configuration error, an invalid suppression, or a file that could
         not be read or parsed (every other file is still analyzed and reported)
    """
    from dataclasses import replace

    from rolelint.api import lint_paths
    from rolelint.catalog import load_catalog
    from rolelint.engine import Selection
    from rolelint.findings import Severity

    targets = list(paths) or ["."]
    _refuse_stdin_twice(targets, stdin_filename)
    outputs = _outputs(output_formats, output)
    if baseline_file and write_baseline:
        _fail("--baseline and --write-baseline exclude each other")
    if write_baseline == STDOUT:
        # Standard output is the report's, and a baseline is a file later runs read: written
        # as a file named ``-``, the report could replace it (``-f json:./-``).
        _fail(
            "--write-baseline: '-' would be standard output, which the report uses; name the "
            "baseline file (./- for a file named '-')"
        )
    cache = _open_cache(no_cache)
    config, passed_over = _load_config(config_file, isolated, targets, stdin_filename)
    files = [(each.option, each.file) for each in outputs]
    _refuse_report_over_baseline(files, write_baseline or baseline_file or config.baseline)
    if select and not _split(select):
        # An empty --select ('', ',', an unset variable) ran the configuration's selection, or
        # every rule: the opposite of narrowing the run.
        _fail(
            "--select names no rule: name the rules to run (ids, id prefixes, names or "
            "classes), or leave --select out (--select RL runs every rule)"
        )
    chosen = _split(select) or list(config.select)
    extended = [*config.extend_select, *_split(extend_select)]
    selection = Selection(chosen, [*config.ignore, *_split(ignore)], extended)
    catalog = load_catalog()
    # The configuration's selectors were checked as it was read (rolelint.config), with lines.
    unknown = selection.unknown(catalog.values())
    if unknown:
        _fail(
            "unknown rule id, name or class in --select/--extend-select/--ignore: "
            f"{', '.join(sorted(set(unknown)))} (see 'rolelint rules')"
        )
    accounts = _account_context(config, own_accounts, org_ids, trusted_accounts)
    settings = config.scan_settings()
    if chain_depth is not None:
        settings = replace(settings, chain_depth=chain_depth)
    processes, limit = _parse_settings(jobs, max_file_size, config)
    with _progress() as progress:
        report = lint_paths(
            targets,
            selection,
            stdin_name=stdin_filename,
            accounts=accounts,
            settings=settings,
            config=config,
            jobs=processes,
            cache=cache,
            max_size=limit,
            progress=progress,
        )
    _refuse_report_over_inputs(
        [*files, ("--write-baseline", write_baseline)], report, targets, stdin_filename
    )
    report.notices.extend(passed_over)
    threshold = Severity(fail_on) if fail_on else (config.fail_on or Severity.LOW)
    if write_baseline:
        _write_baseline(write_baseline, report, config.root)
    else:
        _use_baseline(baseline_file or config.baseline, report, config.root)
    # The files first, each whatever became of the others, then standard output: a report
    # that cannot be written must not cost the others (docs/ci.md: every report is written).
    unwritten = []
    for written in sorted(outputs, key=lambda each: each.file is None):
        output_format, destination = written.format, written.file
        text = _render(
            report,
            output_format,
            destination,
            threshold,
            no_color=no_color,
            quiet=quiet,
            severity_overrides=config.severity,
        )
        if output_format == "sarif":
            _warn_over_upload_limits(report)
        if destination is None:
            _to_stdout(text, utf8=output_format != "text")
        else:
            problem = _write_file(text, destination)
            if problem is not None:
                _tell_error(problem)
                unwritten.append(destination)
    if unwritten:
        sys.exit(EXIT_ERROR)
    if write_baseline:
        sys.exit(EXIT_ERROR if report.errors else EXIT_CLEAN)
    sys.exit(_exit_code(report, threshold))


def _warn_over_upload_limits(report: Report) -> None:
    """A SARIF log GitHub code scanning would reject is still written whole, and the exit code
    stays the findings' verdict; but the rejection happens at upload, in another step, without
    naming why the file is too big: say it here, on standard error."""
    from rolelint.reporters.sarif import upload_warning

    warning = upload_warning(report)
    if warning is not None:
        _tell(f"warning: {warning}")


def _write_baseline(path: str, report: Report, root: str | None) -> None:
    """Record the baseline, and warn when the file it replaces recorded findings this run
    could not have made (a run of a subfolder, of some files, of some rules): they are no
    longer recorded, and will come back as new (docs/configuration.md says to record from a
    run of the whole repository with every rule)."""
    from rolelint.baseline import unjudged_entries, write_baseline

    dropped = 0
    if os.path.lexists(path):
        dropped = unjudged_entries(path, report.findings, report.scope, root)
    try:
        count = write_baseline(
            path,
            report.findings,
            __version__,
            root,
            report.statement_digest,
            report.statement_elements_of,
        )
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")
    _tell(f"recorded {count} finding{'s' * (count != 1)} in {path}")
    if dropped:
        many = dropped != 1
        _tell(
            f"warning: {path} no longer records {dropped} finding{'s' * many} of files this "
            "run did not read or rules it did not run, not known to be fixed: record the "
            "baseline from a run of the whole repository with every rule (restore the file "
            f"first to keep {'them' if many else 'it'})"
        )


def _use_baseline(path: str | None, report: Report, root: str | None) -> None:
    """Mark what the baseline records as suppressed; say when entries no longer occur.  Its
    files are named from the project's ``root`` (rolelint.project_paths)."""
    if path is None:
        return
    from rolelint.baseline import BaselineError, apply_baseline, read_baseline
    from rolelint.findings import InputError

    try:
        recorded = read_baseline(path)
    except BaselineError as error:
        _fail(str(error))
    applied = apply_baseline(
        report.findings,
        recorded,
        path,
        report.scope,
        root,
        report.statement_digest,
        report.statement_elements_of,
    )
    report.findings = applied.findings
    if applied.gone:
        report.notices.append(
            InputError(
                path,
                f"{applied.gone} finding{'s' * (applied.gone != 1)} of the baseline no longer "
                f"occur{'s' * (applied.gone == 1)} (fixed, or changed and reported as new): "
                "record it again with --write-baseline to keep it current",
            )
        )
    if applied.elsewhere:
        many = applied.elsewhere != 1
        report.notices.append(
            InputError(
                path,
                f"{applied.elsewhere} finding{'s' * many} of the baseline"
                f" {'were' if many else 'was'} recorded for a policy file this run read in"
                " another role (on its own rather than as the policy of a module reading it,"
                " or the reverse), so whether"
                f" {'they' if many else 'it'} still occur{'' if many else 's'} is not known here:"
                " a run over the whole repository tells",
            )
        )


@dataclass(frozen=True, slots=True)
class _Output:
    """One report of ``check``: its format, its file (None: standard output) and the option
    that named the file as the user wrote it, for the errors about it (``-o app.yaml`` is
    ``--output``, though the format it carries came from ``--format``)."""

    format: str
    file: str | None
    option: str


def _outputs(formats: tuple[str, ...], output: str | None) -> list[_Output]:
    """``FORMAT[:FILE]`` values as reports, checked: one format at most goes to standard output
    (or to --output).  A FILE of ``-`` is standard output, as everywhere in rolelint (a file
    named ``-`` is ``./-``)."""
    chosen: list[_Output] = []
    for value in formats or ("text",):
        name, _, file = value.partition(":")
        name = name.strip().lower()
        if name not in OUTPUT_FORMATS:
            _fail(f"--format: unknown format {name!r} (choose from {', '.join(OUTPUT_FORMATS)})")
        chosen.append(_Output(name, None if file in ("", STDOUT) else file, f"--format {name}"))
    unnamed = [index for index, chosen_output in enumerate(chosen) if chosen_output.file is None]
    if len(unnamed) > 1:
        _fail("--format: only one format can go to standard output; give the others a FILE")
    if output is not None:
        if not unnamed:
            _fail("--output: every --format already names its FILE")
        if output != STDOUT:
            chosen[unnamed[0]] = _Output(chosen[unnamed[0]].format, output, "--output")
    files = [_same_file_key(each.file) for each in chosen if each.file is not None]
    if len(files) != len(set(files)):
        _fail("--format: two formats would be written to the same FILE")
    return chosen


def _refuse_report_over_baseline(
    outputs: list[tuple[str, str | None]], baseline: str | None
) -> None:
    """A report written over the baseline file would destroy the findings it records (or, with
    --write-baseline, be replaced by them): a usage error before anything runs.  ``outputs``
    are (the option that names the file, as the user wrote it; the file or None).  A baseline
    named ``-`` is the file of that name (``--baseline -`` reads it), so it is protected too."""
    if baseline is None:
        return
    key = _same_file_key(baseline)
    for option, file in outputs:
        if file is not None and _same_file_key(file) == key:
            _fail(f"{option}: {file} is the baseline file; write the report elsewhere")


def _refuse_report_over_inputs(
    outputs: list[tuple[str, str | None]],
    report: Report,
    targets: list[str],
    stdin_name: str,
) -> None:
    """A report written over a file the run scans would destroy the user's source (``-o
    main.yaml`` typed for ``-o main.sarif``, a ``-f FMT:FILE`` that reuses an input's name),
    and the run would still exit 0 or 1: a usage error before anything is written, as for the
    baseline.  The files are those ``report`` read (see Report.input_files) and the file
    standard input was named as (its text is that file's).  A file ``targets`` name but the
    run did not read, excluded by the configuration or skipped as no template, is not one:
    a pre-commit hook names its own former report, which a folder scan writes again too.
    ``outputs`` as for :func:`_refuse_report_over_baseline`."""
    from rolelint.reading import STDIN_NAME

    files = [(option, file) for option, file in outputs if file is not None]
    if not files:
        return
    read = report.input_files() - {STDIN_NAME}
    stdin_file = _stdin_file(targets, stdin_name)
    if stdin_file is not None:
        read.add(stdin_file)
    scanned = {_same_file_key(path) for path in read}
    for option, file in files:
        if _same_file_key(file) in scanned:
            what = "baseline" if option == "--write-baseline" else "report"
            _fail(f"{option}: {file} is a file this run scans; write the {what} elsewhere")


def _same_file_key(path: str) -> str:
    """What two names of one file have in common: ``a.out``, ``./a.out``, ``$PWD/a.out`` and a
    link to it are one file, and the second format written there would replace the first."""
    return os.path.normcase(os.path.realpath(path))


def _load_config(
    config_file: str | None, isolated: bool, paths: list[str], stdin_name: str
) -> tuple[Config, list[InputError]]:
    """The configuration of the run, or exit 2 naming the file, line and key; and a notice for
    each configuration file nearer to a path that the run does not read (config.search_config;
    none when --config or --isolated chose).  Standard input named with ``--stdin-filename`` is
    looked up as that file is."""
    from rolelint.config import ConfigError, load_config, search_config

    if isolated and config_file:
        _fail("--config and --isolated exclude each other")
    named = _stdin_file(paths, stdin_name)
    passed_over: tuple[str, ...] = ()
    path = None if isolated else config_file
    if not isolated and config_file is None:
        search = search_config(paths, named)
        path, passed_over = search.found, search.passed_over
    try:
        config = load_config(path)
    except ConfigError as error:
        _fail(f"invalid configuration {error}")
    return config, [_passed_over_notice(file, path) for file in passed_over]


def _passed_over_notice(file: str, used: str | None) -> InputError:
    """The notice of a configuration file nearer to some of the run's paths than the one it
    reads (``used``; None: rolelint's defaults): its settings and baseline do not apply to
    them, which a user who wrote it for them would not guess."""
    from rolelint.findings import InputError

    chosen = f": {used}" if used else ", which has none (rolelint's defaults apply)"
    return InputError(
        file,
        "this configuration is not used: the paths of this run lie under several "
        f"configurations, and a run reads one, that of the folder holding them all{chosen}. "
        "Check each project in a run of its own, or name the configuration with --config",
    )


_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_ORG_ID = re.compile(r"^o-[a-z0-9]{10,32}$")


def _account_context(
    config: Config, own: tuple[str, ...], orgs: tuple[str, ...], trusted: tuple[str, ...]
) -> AccountContext:
    """The accounts the configuration and the command line declare, validated: a typo must not
    silently make a vendor "ours", nor one id be both ours and a third party's.  Ids are
    compared as used, without the spaces around them (``--account "A, B"``); a mistake names
    where the id was declared: the option, or the configuration file's key."""
    from rolelint.model import AccountContext

    file = config.file or "the configuration"
    accounts = _declared(config.accounts, own, f"accounts in {file}", "--account")
    org_ids = _declared(config.org_ids, orgs, f"org-ids in {file}", "--org-id")
    third_parties = _declared(
        config.trusted_accounts, trusted, f"trusted-accounts in {file}", "--trusted-account"
    )
    for values, pattern, shape in (
        (accounts, _ACCOUNT_ID, "a 12-digit account id"),
        (third_parties, _ACCOUNT_ID, "a 12-digit account id"),
        (org_ids, _ORG_ID, "an organization id such as o-a1b2c3d4e5"),
    ):
        wrong = [(value, source) for value, source in values.items() if not pattern.match(value)]
        if wrong:
            source = wrong[0][1]
            named = ", ".join(repr(value) for value, where in wrong if where == source)
            _fail(f"{source}: {named} is not {shape}")
    both = sorted(set(accounts) & set(third_parties))
    if both:
        clashes = "; ".join(
            f"account {account} is given both as {accounts[account]} and {third_parties[account]}"
            for account in both
        )
        _fail(clashes)
    return AccountContext(
        own_accounts=frozenset(accounts),
        org_ids=frozenset(org_ids),
        trusted_accounts=frozenset(third_parties),
    )


def _declared(
    configured: Iterable[str], given: tuple[str, ...], key: str, option: str
) -> dict[str, str]:
    """Each id declared, without surrounding spaces, with where it was first declared: the
    configuration's ``key`` or the command line's ``option`` (comma-separated values)."""
    sources: dict[str, str] = {}
    for value in configured:
        sources.setdefault(value.strip(), key)
    for value in _split(given):
        sources.setdefault(value.strip(), option)
    return sources


def _exit_code(report: Report, threshold: Severity) -> int:
    if report.errors:
        return EXIT_ERROR
    if any(finding.severity.rank >= threshold.rank for finding in report.active_findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _render(
    report: Report,
    output_format: str,
    output: str | None,
    threshold: Severity,
    *,
    no_color: bool,
    quiet: bool,
    severity_overrides: Mapping[str, Severity],
) -> Iterator[str]:
    """The report in ``output_format``, to be written to ``output`` (None: standard output),
    in the pieces it is made in (rolelint.reporters.render_chunks)."""
    from rolelint import managed_policies, service_principals
    from rolelint.catalog import load_catalog
    from rolelint.iam_actions import data_version
    from rolelint.reporters import RenderOptions, render_chunks

    options = RenderOptions(
        color=_use_color(no_color, output, sys.stdout),
        version=__version__,
        data_versions={
            "iam_actions": data_version(),
            "aws_managed_policies": managed_policies.data_version(),
            "service_principals": service_principals.data_version(),
        },
        quiet=quiet,
        fail_on=threshold,
        severity_overrides=severity_overrides,
    )
    return render_chunks(output_format, report, load_catalog(), options)


@main.command()
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="Table for people, JSON for scripts, Markdown for the rule reference (docs/rules.md).",
)
def rules(output_format: str) -> None:
    """List every rule: id, name, class, default severity and summary."""
    from rolelint.catalog import load_catalog
    from rolelint.json_text import dumps_indented

    catalog = load_catalog()
    if output_format == "json":
        entries = [
            {
                "id": rule.id,
                "name": rule.name,
                "class": rule.rule_class,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "help_uri": rule.help_uri,
            }
            for rule in catalog.values()
        ]
        _echo(dumps_indented(entries))
        return
    if output_format == "markdown":
        _to_stdout(_rules_markdown(catalog.values()))
        return
    width = max(len(rule.name) for rule in catalog.values())
    class_width = max(len(rule.rule_class) for rule in catalog.values())
    for rule in catalog.values():
        _echo(
            f"{rule.id}  {rule.name:<{width}}  {rule.rule_class:<{class_width}}  "
            f"{rule.severity.value:<8}  {rule.summary}"
        )


def _rules_markdown(catalog: Iterable[Rule]) -> str:
    """The generated rule reference (docs/rules.md); a test fails when the file is stale.

    Generated rather than written so the docs can never disagree with what the program reports.
    """
    rules = list(catalog)
    lines = [
        "# rolelint rules",
        "",
        "Generated by `rolelint rules --format markdown` from the catalog in `rules/`;"
        " do not edit by hand.",
        "",
        "| id | name | class | severity | summary |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        anchor = f"[{rule.id}](#{rule.id.lower()})"
        cells = (anchor, f"`{rule.name}`", f"`{rule.rule_class}`", rule.severity.value, summary)
        lines.append("| " + " | ".join(cells) + " |")
    for rule in rules:
        lines += [
            "",
            f"## {rule.id}",
            "",
            f"`{rule.name}` — class `{rule.rule_class}`, default severity {rule.severity.value}.",
            "",
            rule.summary,
            "",
            "**Why it matters.** " + " ".join(rule.rationale.split()),
            "",
            "**How to fix it.** " + " ".join(rule.remediation.split()),
        ]
        for example in rule.examples:
            label = "Flagged" if example.kind == "bad" else "Not flagged"
            lines += ["", f"{label}:", "", f"```{example.format}", example.code.rstrip("\n"), "```"]
        if rule.references:
            lines += ["", "References:", ""]
            lines += [f"- <{reference}>" for reference in rule.references]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show the documentation of RULE (an id such as RL101, or a rule name)."""
    from rolelint.catalog import find_rule, load_catalog

    found = find_rule(rule)
    if found is None:
        import difflib

        names = [r.id for r in load_catalog().values()] + [r.name for r in load_catalog().values()]
        close = difflib.get_close_matches(rule, names, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " See 'rolelint rules'."
        _fail(f"unknown rule {rule!r}.{hint}")
    _echo(f"{found.id} {found.name}")
    _echo(f"class: {found.rule_class}    default severity: {found.severity.value}")
    _echo()
    _echo(found.summary)
    for title, body in (("Why it matters", found.rationale), ("How to fix", found.remediation)):
        _echo(f"\n{title}:\n{body}")
    if found.options:
        _echo(f"\nOptions (in the configuration: rule-options: {{{found.id}: {{NAME: VALUE}}}}):")
        for option in found.options:
            _echo(f"  {_option_line(option)}")
    for example in found.examples:
        where = f" (reported at line {', '.join(map(str, example.lines))})" if example.lines else ""
        _echo(f"\n{example.kind.capitalize()} example{where}:\n{example.code.rstrip()}")
    if found.references:
        _echo("\nReferences:")
        for reference in found.references:
            _echo(f"  {reference}")


def _option_line(option: RuleOption) -> str:
    """``name (integer, 1 to 20, default 3; or the setting chain-depth): description``: what
    the starter configuration and docs/configuration.md send readers to explain for."""
    facts = [option.type]
    if option.minimum is not None and option.maximum is not None:
        facts.append(f"{option.minimum} to {option.maximum}")
    elif option.minimum is not None:
        facts.append(f"at least {option.minimum}")
    elif option.maximum is not None:
        facts.append(f"at most {option.maximum}")
    default = str(option.default).lower() if isinstance(option.default, bool) else option.default
    facts.append(f"default {default}")
    shorthand = f"; or the setting {option.shorthand}" if option.shorthand else ""
    return f"{option.name} ({', '.join(facts)}{shorthand}): {option.description}"


GRAPH_FORMATS = ("dot", "mermaid", "json")


@dataclass(frozen=True)
class Reading:
    """How graph, roles, show and report read a scan: the declared accounts, the configuration,
    the speed options and standard input's name (the options ``_reading_options`` adds)."""

    own_accounts: tuple[str, ...]
    org_ids: tuple[str, ...]
    trusted_accounts: tuple[str, ...]
    config_file: str | None
    isolated: bool
    jobs: int | None
    no_cache: bool
    max_file_size: float | None
    stdin_filename: str


def _reading_options(
    own: str, trusted: str
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options of the commands that read a scan and run no gate (graph, roles, show,
    report): accounts (``own``, ``trusted`` say what they change there), configuration, speed,
    standard input's name and --debug.  The command receives them as one ``reading``."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def packed(**options: Any) -> None:
            options.pop("debug")  # read by main() itself, before click parses anything
            shared = {name: options.pop(name) for name in _READING_FIELDS}
            command(**options, reading=Reading(**shared))

        wrapped: Callable[..., None] = click.option(
            "--debug", is_flag=True, help="Show tracebacks of internal errors."
        )(packed)
        wrapped = click.option(
            "--stdin-filename",
            default="<stdin>",
            show_default=True,
            callback=_stdin_name,
            help=STDIN_FILENAME_HELP,
        )(wrapped)
        wrapped = _config_options(_speed_options(wrapped))
        return _account_options(own=own, trusted=trusted)(wrapped)

    return decorate


_READING_FIELDS = tuple(field.name for field in dataclasses.fields(Reading))


def _audit_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of roles, show and report: those of ``_reading_options``, and --baseline,
    as the findings they count are those ``check`` reports (docs/audit.md)."""
    with_baseline = _baseline_option(
        "Count the findings FILE records as accepted, not active, as 'check --baseline' "
        "reports them (default: baseline of the configuration)."
    )(command)
    return _reading_options(
        own="trust from them is not 'outside'", trusted="still outside, as for 'check'"
    )(with_baseline)


@main.command("graph")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(GRAPH_FORMATS),
    default="dot",
    show_default=True,
    help="Graphviz DOT (render with `dot`), a Mermaid flowchart (for Markdown), or JSON.",
)
@click.option(
    "--focus",
    multiple=True,
    metavar="ROLE",
    help="Only what can reach ROLE and what ROLE can reach. ROLE is a logical id (DeployRole), "
    "a Terraform address (aws_iam_role.deploy: every instance of a count or for_each "
    "resource), a label, FILE#NAME or a full node id; every node it names is kept. Repeatable.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the graph to FILE instead of standard output ('-': standard output); "
    "never a file the run scans.",
)
@_reading_options(
    own="parties of other accounts are drawn as outside ones",
    trusted="still drawn as outside parties",
)
def graph_command(
    paths: tuple[str, ...],
    output_format: str,
    focus: tuple[str, ...],
    output: str | None,
    reading: Reading,
) -> None:
    """Draw who can assume which role: the assume-role graph of PATH.

    An arrow A -> B means A (a role, a user, an AWS service, an OIDC or SAML provider, an
    account, anyone) can obtain B's credentials. Admin-level roles have a thick red border,
    parties outside your accounts are filled orange, arrows that hold only under a condition
    are dashed, and arrows that lead to an admin-level role are red.

    PATH is read as by 'rolelint check' (files, folders, '-' for standard input; default '.'),
    with the accounts and exclude of the same configuration. No rule is run.

    \b
    Formats:
      dot      Graphviz DOT, with a legend; render it with Graphviz
      mermaid  a Mermaid flowchart, for a ```mermaid block of a Markdown page
      json     {"nodes": [...], "edges": [...], "focus": [...]}, for scripts

    \b
    Examples:
      rolelint graph infra/ --format dot | dot -Tsvg > roles.svg
      rolelint graph infra/ --format mermaid --output docs/roles.mmd
      rolelint graph infra/ --focus DeployRole --format dot | dot -Tpng > deploy.png

    \b
    Exit codes:
      0  the graph was drawn
      2  usage error, a --focus that names no node, or a file that could not be read or
         parsed (the graph of every other file is still drawn)
    """
    from rolelint.api import read_inventory
    from rolelint.graph.build import build_graph
    from rolelint.graph.render import focused, match_nodes, rendered
    from rolelint.managed_policies import resolve_managed_policies

    targets = list(paths) or ["."]
    settings = _read_settings(reading, targets)
    config = settings.config
    with _progress() as progress:
        inventory, report = read_inventory(
            targets,
            stdin_name=reading.stdin_filename,
            accounts=settings.accounts,
            excluded=config.is_excluded if config.exclude else None,
            jobs=settings.processes,
            cache=settings.cache,
            max_size=settings.limit,
            progress=progress,
            root=config.root,
        )
    _refuse_report_over_inputs(
        [("--output", _named_file(output))], report, targets, reading.stdin_filename
    )
    report.notices.extend(settings.passed_over)
    _note_roleless_trust_policies(inventory, report)
    _print_input_errors(report)
    # AWS managed policies (AdministratorAccess...) become documents first, as for the rules,
    # so that the drawing marks the same roles admin-level as the findings do.
    graph = build_graph(resolve_managed_policies(inventory))
    focus_ids: list[str] = []
    for query in focus:
        found = match_nodes(graph, query)
        if not found:
            _fail(_no_focus_match(graph, query))
        focus_ids += [node_id for node_id in found if node_id not in focus_ids]
    if focus_ids:
        graph = focused(graph, focus_ids)
    text = rendered(output_format, graph, focus=focus_ids)
    _write(text, output)
    sys.exit(EXIT_ERROR if report.errors else EXIT_CLEAN)


@dataclass(frozen=True)
class _Settings:
    """What graph, roles, show and report read a scan with (:func:`_read_settings`)."""

    config: Config
    accounts: AccountContext
    processes: int
    cache: ParseCache | None
    limit: int | None
    # The notices of the configuration files the run does not read (see _load_config)
    passed_over: list[InputError]


def _read_settings(reading: Reading, targets: list[str]) -> _Settings:
    """The configuration of ``targets``, the accounts it and the options declare, and the
    parse settings (processes, cache, size limit)."""
    _refuse_stdin_twice(targets, reading.stdin_filename)
    cache = _open_cache(reading.no_cache)
    config, passed_over = _load_config(
        reading.config_file, reading.isolated, targets, reading.stdin_filename
    )
    accounts = _account_context(
        config, reading.own_accounts, reading.org_ids, reading.trusted_accounts
    )
    processes, limit = _parse_settings(reading.jobs, reading.max_file_size, config)
    return _Settings(config, accounts, processes, cache, limit, passed_over)


def _audit(
    targets: list[str],
    reading: Reading,
    baseline_file: str | None,
    output: str | None,
) -> Audit:
    """Read and check ``targets`` for an audit command, the baseline (``baseline_file``, else
    the configuration's) applied as ``check`` applies it; input errors are printed on standard
    error.  ``output``, the command's --output, must not name the baseline file, nor a file the
    run scans."""
    from rolelint.api import audit_paths

    settings = _read_settings(reading, targets)
    config = settings.config
    baseline = baseline_file or config.baseline
    files = [("--output", _named_file(output))]
    _refuse_report_over_baseline(files, baseline)
    with _progress() as progress:
        audit = audit_paths(
            targets,
            stdin_name=reading.stdin_filename,
            accounts=settings.accounts,
            config=config,
            jobs=settings.processes,
            cache=settings.cache,
            max_size=settings.limit,
            progress=progress,
        )
    _refuse_report_over_inputs(files, audit.report, targets, reading.stdin_filename)
    audit.report.notices.extend(settings.passed_over)
    _use_baseline(baseline, audit.report, config.root)
    _note_roleless_trust_policies(audit.inventory, audit.report)
    _print_input_errors(audit.report)
    return audit


def _note_roleless_trust_policies(inventory: Inventory, report: Report) -> None:
    """A note for each trust policy of no role (a raw trust-policy file): graph, roles, show
    and report draw and list roles, and would otherwise leave it out without a word."""
    from rolelint.findings import InputError
    from rolelint.graph.build import roleless_trust_policies

    for document in roleless_trust_policies(inventory):
        report.notices.append(
            InputError(
                document.ref.file,
                "a trust policy without its role: no role to draw or list here "
                "('rolelint check' judges it)",
                document.ref.line,
            )
        )


@main.command("roles")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(ROLES_FORMATS),
    default="text",
    show_default=True,
    help="A terminal table, JSON (for scripts), CSV (for spreadsheets) or a Markdown table.",
)
@click.option(
    "--sort",
    type=click.Choice(ROLE_SORTS),
    default="risk",
    show_default=True,
    help="Order of the rows: risk (most dangerous first), name, file, access (most powerful "
    "first) or session (longest first; unresolved ones first, invalid ones last).",
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    type=click.Choice(tuple(ROLE_FILTERS)),
    help="Only the rows that are: "
    + "; ".join(f"{name}: {words}" for name, words in ROLE_FILTERS.items())
    + ". Repeatable; every filter must hold.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the inventory to FILE instead of standard output ('-': standard output); "
    "never a file the run scans.",
)
@_audit_options
def roles_command(
    paths: tuple[str, ...],
    output_format: str,
    sort: str,
    filters: tuple[str, ...],
    output: str | None,
    baseline_file: str | None,
    reading: Reading,
) -> None:
    """List every role of PATH, most dangerous first: who can assume it, what it can do.

    One row per role, and per IAM user or group that can assume roles:

    \b
      RISK        the risk score that orders the table (below)
      WHERE       file:line of the role
      ASSUMED BY  every party that can obtain its credentials, with how the trust
                  statement's conditions limit it: open (no condition), weak (conditions
                  that do not say who), unknown (unresolved), scoped (an effective one)
      ACCESS      admin, can escalate, write on *, scoped, unknown (the input holds
                  none of its policies: a get-role or list-roles answer), read-only or
                  none (+N unread policies: policies rolelint cannot read, such as a
                  managed ARN defined elsewhere, an AWS managed policy whose text
                  rolelint does not ship, or an inline policy whose text is
                  unresolved; +N AWS-written policies, not judged: a service-linked
                  role's)
      SESSION     the longest session it allows that AWS accepts (1h when it sets
                  none; invalid when AWS rejects every value it sets: RL301;
                  unresolved when not known, as for an account export's roles)
      REACHES     the scanned roles it can reach by chaining, (admin) if one is admin-level
      FINDINGS    active findings by severity (C H M L I), +N accepted ones

    \b
    Risk = exposure + access + reach + findings (details: docs/audit.md):
      exposure  anyone, open 40; outside, open 30; anyone, conditioned 15;
                outside, conditioned 10; own account 5; AWS service 2;
                unresolved or nobody 0
      access    admin 40; can escalate 30; write on * 20; scoped 5; unknown 5;
                read-only 2
      reach     10 when it can reach an admin-level role
      findings  each active finding: critical 25, high 10, medium 4, low 1
    Adding a finding never lowers the score.

    PATH is read as by 'rolelint check' (files, folders, '-'; default '.'), with the same
    configuration: its accounts, exclude, suppressions, severity overrides and baseline apply.

    \b
    Examples:
      rolelint roles infra/
      rolelint roles infra/ --filter outside --filter admin
      rolelint roles infra/ --format csv --output roles.csv

    \b
    Exit codes:
      0  the inventory was printed
      2  usage error, or a file that could not be read or parsed (every other file is
         still listed); an invalid suppression is printed on standard error, exit code 0
    """
    from rolelint.audit.rows import inventory_rows
    from rolelint.audit.select import ordered
    from rolelint.reporters.roles import render_rows

    targets = list(paths) or ["."]
    audit = _audit(targets, reading, baseline_file, output)
    rows = inventory_rows(audit.inventory, audit.graph, audit.every_finding, audit.report.findings)
    shown = ordered(rows, sort, filters)
    on_terminal = output is None and sys.stdout is not None and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if on_terminal else None
    report = audit.report
    text = render_rows(
        output_format, shown, report.errors, report.notices, __version__, width, sort, bool(filters)
    )
    _write(text, output)
    sys.exit(EXIT_ERROR if audit.report.failed_reading() else EXIT_CLEAN)


MAX_CARDS = 5  # roles shown at once by 'show' before it asks for a more precise name


@main.command("show")
@click.argument("role")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="The card as text, or as JSON (its sections and lines, with file and line).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the card to FILE instead of standard output ('-': standard output); "
    "never a file the run scans.",
)
@_audit_options
def show_command(
    role: str,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    baseline_file: str | None,
    reading: Reading,
) -> None:
    """Show everything about one role: the role card.

    ROLE is a CloudFormation logical id (DeployRole), a Terraform address (aws_iam_role.deploy,
    with or without its module prefix), a RoleName, FILE#NAME, or a graph id; case does not
    matter when no name matches exactly. When several roles match (the same logical id in
    several templates), each gets its card, up to five.

    \b
    The card, every line with its file and line:
      Role                     ARN, name, session length, access level, risk and its terms
      Who can assume it        each trust statement, its principals, each condition graded
      Permission policies      inline, managed and AWS managed ones, statement by statement
      Effective permissions    by service and access level (the AWS action catalog), after
                               Denies and the permissions boundary
      Boundary and Denies      what limits the grants
      Privilege escalation     the methods found, with the statements that enable them
                               (accepted ones too, marked)
      Chaining                 who reaches it and what it reaches, hop by hop
      Instance profiles, IMDS  which instances run with it, and whether IMDSv1 is open
      Findings                 every finding on the role, accepted ones marked

    PATH is read as by 'rolelint check' (default '.').

    \b
    Examples:
      rolelint show DeployRole infra/
      rolelint show aws_iam_role.deploy infra/ --format json

    \b
    Exit codes:
      0  the card was shown
      2  no role matches ROLE (the closest names are listed), usage error, or a file that
         could not be read or parsed (the card is still shown); an invalid suppression is
         printed on standard error, exit code 0
    """
    from rolelint.audit.card import role_card
    from rolelint.audit.lookup import close_role_names, find_roles
    from rolelint.audit.rows import FindingsByHolder, inventory_rows
    from rolelint.graph.build import node_ids_of
    from rolelint.reporters.card import render_cards

    targets = list(paths) or ["."]
    audit = _audit(targets, reading, baseline_file, output)
    roles = audit.inventory.roles
    ids = node_ids_of(audit.inventory)
    found = find_roles(roles, role, ids)
    if not found:
        message = f"no role named {role!r}"
        if not roles:
            _fail(message + f" (no role was found in {', '.join(targets)})")
        close = close_role_names(roles, role)
        _fail(message + (f". Did you mean: {', '.join(close)}?" if close else "."))
    if len(found) > MAX_CARDS:
        listed = ", ".join(ids.role(r).removeprefix("role:") for r in found[:MAX_CARDS])
        _fail(
            f"{len(found)} roles are named {role!r} ({listed} ...): name one by its file, "
            "as FILE#NAME, or give only its file as PATH"
        )
    rows = {
        row.node_id: row
        for row in inventory_rows(
            audit.inventory, audit.graph, audit.every_finding, audit.report.findings
        )
    }
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    cards = [role_card(r, rows[ids.role(r)], audit.inventory, audit.graph, findings) for r in found]
    _write(render_cards(output_format, cards, __version__), output)
    sys.exit(EXIT_ERROR if audit.report.failed_reading() else EXIT_CLEAN)


@main.command("report")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="The HTML file to write ('-': standard output); never a file the run scans.",
)
@_audit_options
def report_command(
    paths: tuple[str, ...],
    output: str,
    baseline_file: str | None,
    reading: Reading,
) -> None:
    """Write the whole audit of PATH as one self-contained HTML page.

    The page holds the role inventory (sortable by any column), a card for each role (opened
    by clicking its row or its node in the graph), the assume-role graph, every finding, the
    input errors and the notes (what was read but not judged, or left out on purpose). It
    loads nothing: style, script and graph are inline, and its Content-Security-Policy
    forbids any request, so it can be mailed, attached or archived and opened offline.
    Everything from the scanned files is escaped.

    Large scans: cards are written for the 500 most dangerous roles, the graph keeps the
    300 nodes that matter most (admin-level roles, who reaches them, outside parties), and
    the findings table the first 5,000; the page says what it left out.

    PATH is read as by 'rolelint check' (default '.'), with the same configuration.

    \b
    Example:
      rolelint report infra/ --output audit.html

    \b
    Exit codes:
      0  the report was written
      2  usage error, or a file that could not be read or parsed (the report is still
         written, listing it); an invalid suppression is listed too, exit code 0
    """
    from rolelint.audit.card import role_card
    from rolelint.audit.rows import FindingsByHolder, inventory_rows
    from rolelint.audit.select import ordered
    from rolelint.graph.build import node_ids_of
    from rolelint.graph.svg import render_svg
    from rolelint.iam_actions import data_version
    from rolelint.reporters import counted
    from rolelint.reporters.html_report import MAX_CARDS, PageFacts, fitting, render_html

    targets = list(paths) or ["."]
    audit = _audit(targets, reading, baseline_file, output)
    rows = ordered(
        inventory_rows(audit.inventory, audit.graph, audit.every_finding, audit.report.findings)
    )
    ids = node_ids_of(audit.inventory)
    roles = {ids.role(role): role for role in audit.inventory.roles}
    carded = [row for row in rows if row.node_id in roles][:MAX_CARDS]
    findings = FindingsByHolder(audit.report.findings, audit.inventory)
    cards = fitting(
        [
            role_card(roles[row.node_id], row, audit.inventory, audit.graph, findings)
            for row in carded
        ]
    )
    page = render_html(
        rows,
        cards,
        audit.report.findings,
        audit.report.errors,
        audit.report.notices,
        render_svg(audit.graph),
        PageFacts(__version__, data_version(), tuple(targets)),
    )
    _write(page, output, utf8=True)  # the page declares it: <meta charset="utf-8">
    if output != STDOUT:
        _tell(
            f"wrote {output}: {counted(len(rows), 'principal')}, {counted(len(cards), 'role card')}"
        )
    sys.exit(EXIT_ERROR if audit.report.failed_reading() else EXIT_CLEAN)


@contextlib.contextmanager
def _progress() -> Iterator[Progress]:
    """Progress of the scan on standard error when it is a terminal (rolelint.progress),
    erased before the report is written."""
    from rolelint.progress import for_stream

    progress = for_stream(sys.stderr)
    try:
        yield progress
    finally:
        progress.close()


def _print_input_errors(report: Report) -> None:
    """Input errors and notices on standard error, as 'check' prints them (file:line:col)."""
    from rolelint.findings import InputError
    from rolelint.reporters.text import clean, shown_path

    for label, entries in (("error", report.errors), ("note", report.notices)):
        for entry in sorted(entries, key=InputError.sort_key):
            where = shown_path(entry.file)
            if entry.line is not None:
                where += f":{entry.line}"
                if entry.column is not None:
                    where += f":{entry.column}"
            _tell(f"{where}: {label}: {clean(entry.message)}")


def _no_focus_match(graph: AssumeGraph, query: str) -> str:
    from rolelint.graph.render import close_names

    message = f"--focus {query!r} names no node of the graph"
    if not graph.nodes:
        return message + " (no role was found in the given paths)"
    close = close_names(graph, query)
    if close:
        return message + f". Did you mean: {', '.join(close)}?"
    roles = sorted({node.label for node in graph.roles()})
    shown = ", ".join(roles[:8]) + (f" and {len(roles) - 8} more" if len(roles) > 8 else "")
    return message + (f". Its roles: {shown}." if roles else ".")


def _named_file(output: str | None) -> str | None:
    """The file ``--output`` names; None for standard output (none given, or ``-``)."""
    return None if output in (None, STDOUT) else output


def _write(text: str | Iterable[str], output: str | None, *, utf8: bool = False) -> None:
    """``text`` (or its pieces) into the file ``output``, or to standard output (no
    ``output``, or ``-`` as ``check -o -`` takes it); failing to write either is an error
    naming where (exit 2), not a crash.  Files are always UTF-8; standard output too when
    ``utf8`` (see :func:`_to_stdout`)."""
    if output and output != STDOUT:
        problem = _write_file(text, output)
        if problem is not None:
            _fail(problem)
    else:
        _to_stdout(text, utf8=utf8)


def _pieces(text: str | Iterable[str]) -> Iterable[str]:
    """The pieces of a text to write: a string is one, a report may come in many (JSON's are
    made as they are written, rolelint.reporters.render_chunks)."""
    return (text,) if isinstance(text, str) else text


def _write_file(text: str | Iterable[str], output: str) -> str | None:
    """``text`` (or its pieces) into the file ``output``; what went wrong, or None."""
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            for piece in _pieces(text):
                handle.write(piece)
    except OSError as error:
        return f"cannot write {output}: {error.strerror or error}"
    return None


def _echo(line: str = "") -> None:
    """One line of output on standard output (``click.echo`` turns a full disk into a crash)."""
    _to_stdout(f"{line}\n")


def _to_stdout(text: str | Iterable[str], *, utf8: bool = False) -> None:
    """Writes ``text`` (or its pieces, one after the other) to standard output.  A full disk
    or a closed stream is an error (exit 2); a reader that went away (``| head``) ends the run
    quietly, with exit code 2 too, also when it goes away in the middle of the report (see
    :func:`_write_all`).

    ``utf8``: as UTF-8 bytes whatever the stream's encoding (a Windows code page, a C locale,
    ``PYTHONIOENCODING``).  A document that declares UTF-8 (JUnit's XML declaration, the HTML
    page's ``<meta charset>``) written in cp1252 is invalid, and what reads the CI formats
    (GitHub's runner, GitLab, a pull-request comment) reads UTF-8.  Text the encoding cannot
    hold is escaped (``\\udce9``) either way, as the stream itself does it.
    """
    stream = sys.stdout
    if stream is None:  # started with standard output closed (``>&-``)
        _fail("cannot write to standard output: it is closed")
    buffer = getattr(stream, "buffer", None) if utf8 else None
    try:
        stream.flush()  # what was written before comes first
        descriptor = _descriptor_of(stream)
        if descriptor is not None:
            for piece in _pieces(text):
                _write_all(descriptor, _encoded(piece, stream, utf8))
        elif buffer is None:  # text only (a test's capture) or the stream's own encoding
            for piece in _pieces(text):
                stream.write(piece)
            stream.flush()
        else:
            for piece in _pieces(text):
                buffer.write(_encoded(piece, stream, utf8=True))
            buffer.flush()
    except BrokenPipeError:  # click would exit 1, which says "findings"
        _discard(stream)
        sys.exit(EXIT_ERROR)
    except OSError as error:
        _discard(stream)
        _fail(f"cannot write to standard output: {error.strerror or error}")


def _descriptor_of(stream: Any) -> int | None:
    """The file descriptor beneath a standard stream; None for one that has none (a test's
    capture)."""
    try:
        return int(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None


def _encoded(text: str, stream: Any, utf8: bool) -> bytes:
    """``text`` as the stream would write it: UTF-8 when asked (see :func:`_to_stdout`), else in
    its encoding, escaping what that cannot hold, with its line ends (``\r\n`` on Windows)."""
    if utf8:
        return text.encode("utf-8", "backslashreplace")
    if os.linesep != "\n":
        text = text.replace("\n", os.linesep)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return text.encode(encoding, getattr(stream, "errors", None) or "backslashreplace")


def _write_all(descriptor: int, data: bytes) -> None:
    """Every byte of ``data``, written until none is left.  A reader that goes away while a
    large report is being written (``| head``) makes the write return a short count, not an
    error, and Python's buffered stream took that as done: the run ended with 0 or 1 and a
    report cut short.  The write of the rest raises BrokenPipeError, as it must."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _discard(stream: Any) -> None:
    """Points a standard stream that failed a write at the null device: what is left in its
    buffer would fail again when Python flushes it on exit, which then prints a message of its
    own and exits with 120 whatever rolelint decided."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
