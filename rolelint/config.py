"""The team's configuration: ``[tool.rolelint]`` in pyproject.toml, or ``.rolelint.yaml``.

A team tunes rolelint once, next to its code, instead of repeating options in every pre-commit
hook and pipeline.  The file is found by walking up from the folder holding every scanned
path (the nearest ``.rolelint.yaml``, ``.rolelint.yml`` or ``pyproject.toml`` with a
``[tool.rolelint]`` table wins; a pyproject.toml without one is passed over; one run reads one
configuration, see search_config), or named with ``--config`` (a TOML file
named so without the table is an error: it would apply nothing).  It is validated
against a JSON Schema shipped in the package (``rolelint/data/config.schema.json``) and against
the options each rule declares in the catalog, so a typo is an error naming the key, never a
setting silently ignored.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelint.findings import Severity
from rolelint.model import AccountContext, ScanSettings

if TYPE_CHECKING:
    from rolelint.catalog import Rule
    from rolelint.engine import Selection
    from rolelint.globs import PathPatterns

CONFIG_NAMES = (".rolelint.yaml", ".rolelint.yml", "pyproject.toml")
# The keys of ``severity`` and ``rule-options`` (config.schema.json's propertyNames)
RULE_ID_PATTERN = "^RL[0-9]{3}$"
# The line of each key of a configuration, by key path (see toml_lines for TOML's)
_Lines = Mapping[tuple[str, ...], int]
_SCHEMA = Path(__file__).resolve().parent / "data" / "config.schema.json"


class ConfigError(Exception):
    """An unreadable or invalid configuration: exit code 2, with the file and the key."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file, self.message, self.line = file, message, line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Config:
    """A validated configuration; ``folder`` is where its relative globs start."""

    file: str | None = None
    folder: str = "."
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    severity: Mapping[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    accounts: tuple[str, ...] = ()
    org_ids: tuple[str, ...] = ()
    trusted_accounts: tuple[str, ...] = ()
    # rule id -> option -> value, defaults filled in from the catalog
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # A path, relative to the working folder (see baseline_path)
    baseline: str | None = None
    max_file_size_mib: float | None = None

    @property
    def root(self) -> str | None:
        """The project's root, which fingerprints name files from (rolelint.project_paths):
        the configuration file's folder, or None when there is no file."""
        return self.folder if self.file is not None else None

    def option(self, rule_id: str, name: str) -> Any:
        return self.rule_options[rule_id][name]

    def selection(self) -> Selection:
        from rolelint.engine import Selection

        return Selection(select=self.select, ignore=self.ignore, extend=self.extend_select)

    def account_context(self) -> AccountContext:
        return AccountContext(
            own_accounts=frozenset(self.accounts),
            org_ids=frozenset(self.org_ids),
            trusted_accounts=frozenset(self.trusted_accounts),
        )

    def scan_settings(self) -> ScanSettings:
        return ScanSettings(
            chain_depth=self.option("RL403", "chain-depth"),
            max_session_duration=self.option("RL305", "max-session-duration"),
        )

    def is_excluded(self, path: str) -> bool:
        return self._excludes.any_match(path)

    @functools.cached_property
    def _excludes(self) -> PathPatterns:
        from rolelint.globs import PathPatterns

        return PathPatterns(self.exclude, self.folder)


@dataclass(frozen=True)
class ConfigSearch:
    """What the search for a run's configuration found (:func:`search_config`): the file the
    run reads (None: rolelint's defaults), and the other files nearest to one of the paths,
    which it does not read."""

    found: str | None
    passed_over: tuple[str, ...] = ()


def find_config(paths: Iterable[str], stdin_name: str | None = None) -> str | None:
    """The configuration file for a run over ``paths`` (see :func:`search_config`)."""
    return search_config(paths, stdin_name).found


def search_config(paths: Iterable[str], stdin_name: str | None = None) -> ConfigSearch:
    """The configuration file for a run over ``paths``: the nearest one above the folder that
    holds every path that exists (missing paths are passed over; without one, the search
    starts from the working folder), and the files nearest to one of the paths that are not
    it, in name order.

    A run reads one configuration: its rules judge one inventory (a role chain runs through
    files of several folders) and its baseline names files from one root.  The first path's
    used to be that one, so ``check svcA/a.yaml svcB/b.yaml`` and ``check svcB/b.yaml
    svcA/a.yaml`` gave other findings and exit codes, and a pre-commit hook's result depended
    on the order git listed the files in.  The folder holding them all does not depend on it;
    the files passed over are said (the command line makes a notice of each).

    Standard input (``-``) is the file ``stdin_name`` names (``--stdin-filename``), which an
    editor's unsaved buffer may not have written yet: its folder counts as a path, so that
    the configuration whose ``exclude`` and ``ignore`` name the file applies to it, as when
    the file itself is named.  Without a name it is passed over.

    The search walks up the paths as given, made absolute but with their symbolic links kept:
    ``infra`` linked to a folder shared with other repositories is this repository's, and
    its configuration is the one above the link, not one above the folder it points to.
    Globs match the path as given too (rolelint.globs)."""
    named = [
        (os.path.dirname(stdin_name) or os.curdir) if p == "-" and stdin_name else p for p in paths
    ]
    starts = [p for p in named if p != "-" and os.path.exists(p)] or [os.curdir]
    folders = list(dict.fromkeys(_folder_of(start) for start in starts))
    known: dict[Path, str | None] = {}
    try:
        common: Path | None = Path(os.path.commonpath(folders))
    except ValueError:  # on different drives: no folder holds them all
        common = None
    found = _nearest_config(common, known) if common is not None else None
    nearest = {_nearest_config(folder, known) for folder in folders}
    passed_over = sorted(file for file in nearest if file is not None and file != found)
    return ConfigSearch(found, tuple(passed_over))


def _folder_of(path: str) -> Path:
    """The folder a path's search starts from: the path itself, or a file's folder."""
    folder = Path(os.path.abspath(path))
    return folder if folder.is_dir() else folder.parent


def _nearest_config(folder: Path, known: dict[Path, str | None]) -> str | None:
    """The nearest configuration file in ``folder`` or a folder above it, as messages show
    it.  ``known`` keeps the answer of every folder passed on the way up, for the next path:
    a pre-commit hook names hundreds of files in the same folders."""
    passed: list[Path] = []
    found: str | None = None
    for candidate in (folder, *folder.parents):
        if candidate in known:
            found = known[candidate]
            break
        passed.append(candidate)
        found = _config_in(candidate)
        if found is not None:
            break
    for seen in passed:
        known[seen] = found
    return found


def _config_in(folder: Path) -> str | None:
    """The configuration file of ``folder`` itself, if it has one."""
    for name in CONFIG_NAMES:
        path = folder / name
        # Not only regular files: a device, a pipe or a broken link by that name is the
        # configuration all the same, and loading it says why it cannot be read.
        found = os.path.lexists(path) and not path.is_dir()
        if found and (name != "pyproject.toml" or _has_rolelint_table(path)):
            return _shown(path)
    return None


def _shown(path: Path) -> str:
    """The path as messages show it: relative to the working folder when it lies inside it."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith(os.pardir) else str(path)


def _has_rolelint_table(path: Path) -> bool:
    """Whether the walk up stops at this pyproject.toml.  A ``tool`` that is no table
    (``tool = 1``) holds no rolelint settings: the file is passed over like any other
    pyproject.toml without ``[tool.rolelint]`` (it is another tool's problem, and failing a
    scan over a parent folder's file rolelint does not own would be no help).  A ``rolelint``
    key in ``[tool]`` is rolelint's, whatever its value: loading it says what is wrong."""
    try:
        tool = _read_toml(path, _read_settings(path)).get("tool")
    except ConfigError:
        return True  # broken: let loading it report the error rather than skip it silently
    return isinstance(tool, dict) and "rolelint" in tool


def _rolelint_table(path: Path) -> tuple[dict[str, Any], _Lines]:
    """The ``[tool.rolelint]`` table of a TOML file and the line of each of its keys, or a
    ConfigError when there is none, or when ``tool`` or ``tool.rolelint`` is a value that is no
    table: the file was named as rolelint's configuration (a pyproject.toml without the table
    is passed over on the walk up, see find_config), and ``tool = 1`` crashed with a
    TypeError."""
    from rolelint.toml_lines import key_lines

    text = _read_settings(path)
    data = _read_toml(path, text)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(
            str(path),
            f"tool must be a table ([tool.rolelint]), not {_toml_type(tool)}",
            _first_line(key_lines(text, ()), [("tool",)]),
        )
    if "rolelint" not in tool:
        raise _no_rolelint_table(path, data, text)
    table = tool["rolelint"]
    if not isinstance(table, dict):
        raise ConfigError(
            str(path),
            f"tool.rolelint must be a table ([tool.rolelint]), not {_toml_type(table)}",
            _first_line(key_lines(text, ()), [("tool", "rolelint")]),
        )
    return table, key_lines(text, ("tool", "rolelint"))


def _no_rolelint_table(path: Path, data: Mapping[str, Any], text: str) -> ConfigError:
    """A TOML file named as the configuration that has no ``[tool.rolelint]``: it applied no
    setting at all, unsaid (``max-session-duration = 3600`` at the top level of a
    ``rolelint.toml``, as .rolelint.yaml writes it).  Settings written at the top level are
    named, at the first one's line."""
    from rolelint.toml_lines import key_lines

    message = (
        "no [tool.rolelint] table (rolelint reads its settings from [tool.rolelint] in a TOML file)"
    )
    misplaced = [key for key in data if key in _schema()["properties"]]
    if not misplaced:
        return ConfigError(str(path), message)
    lines = key_lines(text, ())
    return ConfigError(
        str(path),
        f"{message}; {', '.join(misplaced)} must be under [tool.rolelint]",
        _first_line(lines, [(key,) for key in misplaced]),
    )


def _toml_type(value: object) -> str:
    """The TOML name of a value's type, for messages (the value itself may be long)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def load_config(path: str | None) -> Config:
    """The configuration in ``path`` (None: the defaults), validated; raises ConfigError."""
    from rolelint.catalog import load_catalog

    rules = load_catalog()
    if path is None:
        return Config(rule_options=_options({}, {}, rules, "(defaults)", {}))
    file = Path(path)
    if not os.path.lexists(path):
        raise ConfigError(path, "no such configuration file")
    if file.name.endswith(".toml"):
        data, lines = _rolelint_table(file)
    else:
        data, lines = _read_yaml(file)
    _validate(data, path, lines, rules)
    _check_file_size(data, path, lines)
    _check_patterns(data, path, lines)
    options = _options(data, data.get("rule-options", {}), rules, path, lines)
    _check_selectors(data, rules, path, lines)
    unknown = sorted(set(data.get("severity", {})) - set(rules))
    if unknown:
        line = _first_line(lines, [("severity", rule) for rule in unknown])
        raise ConfigError(path, f"severity: unknown rule id {', '.join(unknown)}", line)
    return Config(
        file=path,
        folder=config_folder(path),
        select=tuple(data.get("select", ())),
        extend_select=tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        fail_on=Severity(data["fail-on"]) if "fail-on" in data else None,
        severity={rule: Severity(level) for rule, level in data.get("severity", {}).items()},
        exclude=tuple(data.get("exclude", ())),
        per_path_ignores={glob: tuple(s) for glob, s in data.get("per-path-ignores", {}).items()},
        accounts=tuple(data.get("accounts", ())),
        org_ids=tuple(data.get("org-ids", ())),
        trusted_accounts=tuple(data.get("trusted-accounts", ())),
        rule_options=options,
        baseline=baseline_path(path, data["baseline"]) if "baseline" in data else None,
        max_file_size_mib=data.get("max-file-size"),
    )


def _check_selectors(
    data: Mapping[str, Any], rules: Mapping[str, Rule], path: str, lines: _Lines
) -> None:
    """Every selector of select, extend-select, ignore and per-path-ignores names a rule (an
    id, an id prefix, a name or a class); those that do not are one error, at the first's
    line.

    Checked here rather than with the command line's: only here is the line known, and a typo
    must not silently select or ignore nothing.  A blank selector (``" "``) names no rule
    either; and ``select: []``, which selects no rule, ran every rule, as if it were absent.
    """
    from rolelint.engine import Selection

    if "select" in data and not data["select"]:
        raise ConfigError(
            path,
            "select: an empty list selects no rule; leave select out to run every rule, or "
            "list the rules to run",
            lines.get(("select",)),
        )
    lists: list[tuple[tuple[str, ...], Any]] = [
        ((key,), data.get(key, ())) for key in ("select", "extend-select", "ignore")
    ]
    lists += [
        (("per-path-ignores", glob), selectors)
        for glob, selectors in data.get("per-path-ignores", {}).items()
    ]
    unknown: dict[str, list[str]] = {}  # by setting, in the order written
    first_line: int | None = None
    for key, selectors in lists:
        for index, selector in enumerate(selectors):
            if not selector.strip() or Selection([selector]).unknown(rules.values()):
                unknown.setdefault(key[0], []).append(repr(selector))
                if first_line is None:
                    first_line = _nearest_line(lines, (*key, str(index)))
    if unknown:
        named = "; ".join(f"{key}: {', '.join(found)}" for key, found in unknown.items())
        raise ConfigError(
            path, f"unknown rule id, name or class in {named} (see 'rolelint rules')", first_line
        )


def config_folder(config: str) -> str:
    """The folder of the configuration file ``config`` as it is named, made absolute but with
    its symbolic links kept: globs and the baseline are relative to it.

    The file is found by walking up the scanned path as named (find_config), and globs match
    that path as named (rolelint.globs): resolving the links of the configuration's own path
    (a ``.rolelint.yaml`` linked to a file shared by several repositories, or a repository
    reached through a linked folder) put its folder somewhere no scanned path lies under, and
    ``exclude`` and ``per-path-ignores`` silently matched nothing."""
    return os.path.dirname(os.path.abspath(config))


def baseline_path(config: str, value: str) -> str:
    """The baseline ``value`` of the configuration file ``config`` (relative to its folder), as
    the run names it: relative to the working folder, or as written when absolute.

    The name appears in reports (a recorded finding is suppressed "in the baseline NAME" in
    JSON and SARIF), which are compared across runs and uploaded from CI: an absolute path
    would differ from one machine, and one checkout, to the next."""
    if os.path.isabs(value):
        return value
    return from_working_folder(os.path.join(config_folder(config), value))


def from_working_folder(path: str) -> str:
    """``path`` as reports name it: relative to the working folder, with ``..`` when it lies
    above (absolute only on another drive).  Reports are compared across runs and uploaded
    from CI: an absolute path differs from one machine, and one checkout, to the next."""
    try:
        return os.path.relpath(path)
    except ValueError:  # on another drive than the working folder
        return os.path.abspath(path)


def _read_settings(path: Path) -> str:
    """The file's text (a regular file of at most 10 MiB, UTF-8), or a ConfigError saying why
    not, with the line of the first byte that is not UTF-8."""
    from rolelint.reading import read_settings_text

    text, error = read_settings_text(str(path))
    if error is not None:
        raise ConfigError(str(path), error.message, error.line)
    assert text is not None
    return text


def _read_toml(path: Path, text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"\(at line (\d+), column \d+\)$", str(error))
        line = int(at.group(1)) if at else None
        raise ConfigError(str(path), f"cannot read TOML: {error}", line) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError(str(path), "cannot read TOML: nested too deeply") from None
    return data


def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """The YAML document and the line of each key (by key path), for error messages.

    Read by the templates' loader: a configuration comes with the repository being checked,
    so it gets the same guards (aliases that expand past a limit, nesting too deep) as the
    templates beside it.  PyYAML alone shares an alias's value, but the key lines and the
    schema walk it as a tree: ten lines of aliases ran out of memory.

    A key written twice is an error: YAML keeps the last value, so a ``fail-on: critical``
    further down silently overrode the ``fail-on: low`` the team reads at the top.
    """
    from rolelint.parsers.tree import LoadError
    from rolelint.parsers.yaml_loader import load_yaml

    try:
        loaded = load_yaml(str(path), _read_settings(path))
    except LoadError as error:
        raise ConfigError(str(path), error.message, error.line) from None
    # A key after a merge (``<<: *defaults``) overrides it, as YAML means: no duplicate.
    written_twice = loaded.duplicates
    if written_twice:
        first = min(
            written_twice, key=lambda d: (d.second.line, d.second.column) if d.second else (0, 0)
        )
        again = f" (first on line {first.first.line})" if first.first else ""
        line = first.second.line if first.second else None
        raise ConfigError(
            str(path), f"duplicate key {first.key!r}{again}: keep one of its values", line
        )
    data = loaded.root
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "the configuration must be a mapping of settings", 1)
    lines: dict[tuple[str, ...], int] = {}
    _key_lines(data, (), lines)
    return data, lines


def _key_lines(value: Any, prefix: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> None:
    from rolelint.parsers.tree import PMap, PSeq

    if isinstance(value, PMap):
        for key, item in value.items():
            path = (*prefix, str(key))
            span = value.key_spans.get(key)
            if span is not None:
                lines[path] = span.line
            _key_lines(item, path, lines)
    elif isinstance(value, PSeq):
        for index, item in enumerate(value):
            path = (*prefix, str(index))
            span = value.span_at(index)
            if span is not None:
                lines[path] = span.line
            _key_lines(item, path, lines)


@functools.cache
def _schema() -> dict[str, Any]:
    """The configuration's JSON Schema (rolelint/data/config.schema.json)."""
    schema: dict[str, Any] = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    return schema


def _validate(data: Any, path: str, lines: _Lines, rules: Mapping[str, Rule]) -> None:
    import jsonschema

    schema = _schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    error = errors[0]
    where = tuple(str(part) for part in error.absolute_path)
    key = ".".join(where) if where else "(top level)"
    if error.validator == "additionalProperties" and not where:
        known = ", ".join(sorted(schema["properties"]))
        extra = sorted(set(data) - set(schema["properties"]))
        line = lines.get((extra[0],)) if extra else None
        raise ConfigError(path, f"unknown setting {', '.join(extra)} (known: {known})", line)
    if "propertyNames" in error.absolute_schema_path:
        # A key's own error: jsonschema points at the mapping holding it, whose line is not the
        # key's (``severity:`` three lines above the misspelt rule).
        line = _nearest_line(lines, (*where, str(error.instance)))
        if error.validator_value == RULE_ID_PATTERN:
            raise ConfigError(path, f"{key}: {_not_a_rule_id(error.instance, rules)}", line)
        raise ConfigError(path, f"{key}: {error.message}", line)
    raise ConfigError(path, f"{key}: {_as_written(error)}", _nearest_line(lines, where))


def _as_written(error: Any) -> str:
    """A jsonschema message, with a null or boolean value spelled as YAML and TOML spell it:
    jsonschema names values as Python does, and an empty ``fail-on:`` was "None is not one of
    ...", ``fail-on: true`` "True is not one of ...".  What YAML 1.1 reads as a boolean
    (``off``, ``yes``) is said as the boolean read (``false``, ``true``): the loaded value keeps
    no spelling."""
    message: str = error.message
    value = error.instance
    if value is None or isinstance(value, bool):
        spelled = {None: "null", True: "true", False: "false"}[value]
        if message.startswith(repr(value)):
            return spelled + message[len(repr(value)) :]
    return message


def _not_a_rule_id(written: object, rules: Mapping[str, Rule]) -> str:
    """What to say of a key of ``severity`` or ``rule-options`` that is no rule id.  Both take
    exact ids, one rule each (a prefix or class would give one severity to rules added
    later), but a rule's name, a prefix or a class names rules everywhere else in the file
    (``select``, ``ignore``): the message gives the ids to write, as a suppression's does."""
    from rolelint.engine import Selection

    text = str(written)
    ids = [rule.id for rule in rules.values() if Selection([text]).enabled(rule)] if text else []
    if len(ids) == 1:
        return f"{text!r} is not a rule id: write {ids[0]} for {text}"
    if ids:
        listed = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
        return f"{text!r} names several rules ({listed}): write each rule's id"
    return f"{text!r} is not a rule id: write one such as RL101 (see 'rolelint rules')"


def _check_file_size(data: Mapping[str, Any], path: str, lines: _Lines) -> None:
    """``max-file-size`` is a finite number of MiB, at least one byte: the schema's number
    admits YAML's ``.inf`` and ``.nan`` (and TOML's ``inf``), which no file size can be
    compared with, and ``1e-300``, a limit of 0 bytes that refused every file."""
    from rolelint.reading import size_limit_problem

    size = data.get("max-file-size")
    problem = None if size is None else size_limit_problem(size)
    if problem is not None:
        raise ConfigError(path, f"max-file-size: {size} {problem}", lines.get(("max-file-size",)))


def _check_patterns(data: Mapping[str, Any], path: str, lines: _Lines) -> None:
    """Every glob of ``exclude`` and ``per-path-ignores`` can match some path: a leading
    ``!``, a ``..`` or brackets were taken as literal text and matched nothing, unsaid
    (rolelint.globs.pattern_problem)."""
    from rolelint.globs import pattern_problem

    written: list[tuple[tuple[str, ...], str]] = [
        (("exclude", str(index)), pattern) for index, pattern in enumerate(data.get("exclude", ()))
    ]
    written += [(("per-path-ignores", glob), glob) for glob in data.get("per-path-ignores", {})]
    for key, pattern in written:
        problem = pattern_problem(pattern)
        if problem is not None:
            line = _nearest_line(lines, key)
            raise ConfigError(path, f"{key[0]}: {pattern!r}: {problem}", line)


def _check_option(
    value: Any, schema: dict[str, Any], key: tuple[str, ...], path: str, lines: _Lines
) -> None:
    """``value`` against the option's declared schema; an error names the key and its line
    (that of the offending item, when the value is a list or a mapping)."""
    import jsonschema

    try:
        jsonschema.validate(value, schema)
    except jsonschema.ValidationError as error:
        where = (*key, *(str(part) for part in error.absolute_path))
        line = _nearest_line(lines, where)
        raise ConfigError(path, f"{'.'.join(key)}: {_as_written(error)}", line) from None


def _nearest_line(lines: _Lines, where: tuple[str, ...]) -> int | None:
    for end in range(len(where), 0, -1):
        if where[:end] in lines:
            return lines[where[:end]]
    return None


def _options(
    data: Mapping[str, Any],
    given: Mapping[str, Any],
    rules: Mapping[str, Any],
    path: str,
    lines: _Lines,
) -> dict[str, dict[str, Any]]:
    """Every rule's options: the defaults its catalog entry declares, then the configuration
    (a top-level shorthand or ``rule-options.<id>.<name>``), each value given checked against
    the declaration (defaults are not: jsonschema loads only when a file sets something).
    Errors give the line of the key they are about (``lines``)."""
    unknown_rules = sorted(set(given) - set(rules))
    if unknown_rules:
        line = _first_line(lines, [("rule-options", rule) for rule in unknown_rules])
        raise ConfigError(path, f"rule-options: unknown rule id {', '.join(unknown_rules)}", line)
    result: dict[str, dict[str, Any]] = {}
    for rule_id, rule in rules.items():
        values = _rule_options(data, rule_id, rule, dict(given.get(rule_id, {})), path, lines)
        if values:
            result[rule_id] = values
    return result


def _rule_options(
    data: Mapping[str, Any],
    rule_id: str,
    rule: Rule,
    chosen: dict[str, Any],
    path: str,
    lines: _Lines,
) -> dict[str, Any]:
    """One rule's options (see _options): ``chosen`` are those of ``rule-options.<rule_id>``."""
    declared = {option.name: option for option in rule.options}
    unknown = sorted(set(chosen) - set(declared))
    if unknown:
        names = ", ".join(sorted(declared)) or "none"
        line = _first_line(lines, [("rule-options", rule_id, name) for name in unknown])
        raise ConfigError(
            path, f"rule-options.{rule_id}: unknown option {', '.join(unknown)} ({names})", line
        )
    values: dict[str, Any] = {}
    for name, option in declared.items():
        full_key = ("rule-options", rule_id, name)
        value = option.default
        written: tuple[str, ...] | None = None  # where the configuration sets it
        shorthand = option.shorthand
        if shorthand and shorthand in data:
            if name in chosen and chosen[name] != data[shorthand]:
                raise ConfigError(
                    path,
                    f"{shorthand} and rule-options.{rule_id}.{name} disagree; set one of them",
                    _last_line(lines, [(shorthand,), full_key]),
                )
            value, written = data[shorthand], (shorthand,)
        if name in chosen:
            value, written = chosen[name], full_key
        if written is not None:
            option_lines = _lines_as(lines, written, full_key)
            _check_option(value, option.json_schema(), full_key, path, option_lines)
            value = _as_declared(value, option.type)
        values[name] = value
    return values


def _as_declared(value: Any, declared: str) -> Any:
    """An integer option written as a float with no fraction (``chain-depth: 1.0``, which JSON
    Schema counts as an integer) as the int it means: the rules show their options in messages,
    and said "more than the 1.0 allowed"."""
    if declared == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _lines_as(lines: _Lines, written: tuple[str, ...], key: tuple[str, ...]) -> _Lines:
    """The lines of the value written at ``written`` as if it were at ``key``: a shorthand's
    error names the option's full key, at the line of the shorthand.  When ``written`` has no
    line of its own, ``key`` has that of the nearest key enclosing it (see _lines_of): keeping
    only the lines under ``written`` lost it, and the error named no line."""
    size = len(written)
    moved = {
        (*key, *where[size:]): line for where, line in lines.items() if where[:size] == written
    }
    nearest = _nearest_line(lines, written)
    if key not in moved and nearest is not None:
        moved[key] = nearest
    return moved


def _first_line(lines: _Lines, keys: Iterable[tuple[str, ...]]) -> int | None:
    """The first line, in the file, of these keys (None when none has one); see _lines_of."""
    return min(_lines_of(lines, keys), default=None)


def _last_line(lines: _Lines, keys: Iterable[tuple[str, ...]]) -> int | None:
    """The last line of these keys: of two settings that disagree, the second is the mistake,
    as the second of a key written twice is."""
    return max(_lines_of(lines, keys), default=None)


def _lines_of(lines: _Lines, keys: Iterable[tuple[str, ...]]) -> Iterator[int]:
    """The line of each key, or of the nearest key enclosing it that has one: the keys inside
    a TOML inline table (``rule-options = {RL305 = {...}}``) have no line of their own, and
    the error named no line at all."""
    for key in keys:
        line = _nearest_line(lines, key)
        if line is not None:
            yield line
