"""The AWS service principals rolelint knows, shipped as dated data, and what a misspelled one
was meant to be.

``rolelint/data/service_principals.yaml`` lists the names AWS documents and, for a vetted subset,
the page stating that the service sets ``aws:SourceAccount``/``aws:SourceArn`` when it assumes a
role.  A China or regional form of a known name (``states.amazonaws.com.cn``,
``logs.${AWS::Region}.amazonaws.com``) designates the same service.  Loaded once, when a rule first
asks.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolelint.checks.iam_match import has_wildcard
from rolelint.model import THIS_REGION

DATA = Path(__file__).resolve().parent / "data" / "service_principals.yaml"
COMMERCIAL = "amazonaws.com"
# us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1
_REGION = re.compile(r"^[a-z]{2,4}(?:-[a-z]+)+-\d+$")
_CLOSE = 0.85  # difflib ratio above which an unknown name is taken for a typo of a known one


@dataclass(frozen=True, slots=True)
class SourceConditions:
    """What a vetted service puts in the request context when it assumes a role."""

    service: str
    keys: tuple[str, ...]
    url: str
    assumes: str = "a role"  # which of its roles the documentation speaks of


@dataclass(frozen=True, slots=True)
class Catalog:
    names: frozenset[str]  # every known name as AWS writes it
    parts: frozenset[str]  # the part before .amazonaws.com: "ec2", "monitoring.rds"
    suffixes: tuple[str, ...]  # partition domains, longest first
    retrieved: str
    conditions: dict[str, SourceConditions]


@functools.cache
def catalog() -> Catalog:
    from rolelint.data_files import load_yaml

    raw: dict[str, Any] = load_yaml(DATA)
    names = frozenset(str(name) for name in raw["services"])
    suffix = f".{COMMERCIAL}"
    parts = frozenset(name[: -len(suffix)] for name in names if name.endswith(suffix))
    domains = {str(domain) for domain in raw["partition_suffixes"].values()}
    conditions = {
        str(name): SourceConditions(
            str(entry["service"]),
            tuple(str(key) for key in entry["keys"]),
            str(entry["url"]),
            str(entry.get("assumes", "a role")),
        )
        for name, entry in raw["source_conditions"].items()
    }
    return Catalog(
        names=names,
        parts=parts,
        suffixes=tuple(sorted(domains, key=len, reverse=True)),
        retrieved=str(raw["retrieved"]),
        conditions=conditions,
    )


def data_version() -> str:
    """What ``--version`` and reports can say about the list: "336 names, retrieved 2026-11-23"."""
    data = catalog()
    return f"{len(data.names)} names, retrieved {data.retrieved}"


def _split(name: str) -> tuple[str, str] | None:
    """``(service part, partition domain)`` of a name in any partition's domain."""
    for domain in catalog().suffixes:
        if name.endswith(f".{domain}") and len(name) > len(domain) + 1:
            return name[: -len(domain) - 1], domain
    return None


def canonical(name: str) -> str | None:
    """The commercial-partition name of the service ``name`` designates, None when unknown.

    ``states.amazonaws.com.cn`` (China), ``amplify.me-south-1.amazonaws.com`` (the regional form
    of opt-in Regions) and ``logs.${AWS::Region}.amazonaws.com`` all designate a known service.
    """
    data = catalog()
    if name in data.names:
        return name
    split = _split(name)
    if split is None:
        return None
    part, _ = split
    if part in data.parts:
        return f"{part}.{COMMERCIAL}"
    base, dot, region = part.rpartition(".")
    if dot and base in data.parts and (region == THIS_REGION or _REGION.fullmatch(region)):
        return f"{base}.{COMMERCIAL}"
    return None


def judgeable(name: str) -> bool:
    """A name with symbols other than the Region (``${Env}.amazonaws.com``) is not judged."""
    return "${" not in name.replace(THIS_REGION, "")


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Why a service principal is not one, and the name meant when rolelint can tell.

    ``definite`` when the name is wrong whatever the list says (a pattern, whitespace);
    ``case_only`` when upper case is all that separates it from a known name.
    """

    suggestion: str | None
    why: tuple[str, ...]
    definite: bool = False
    case_only: bool = False


def diagnose(name: str) -> Diagnosis | None:
    """None when ``name`` is a known service principal (or cannot be judged)."""
    if not judgeable(name) or canonical(name) is not None:
        return None
    if has_wildcard(name):
        return Diagnosis(None, ("a service principal cannot be a pattern",), definite=True)
    why: list[str] = []
    current = "".join(name.split())
    spaced = current != name
    if spaced:
        why.append("it contains whitespace")
    lowered = current.lower()
    if lowered != current:
        why.append("AWS writes service principals in lower case")
    current = lowered
    if canonical(current) is not None:
        return Diagnosis(current, tuple(why), spaced, case_only=not spaced)
    fixed = _fix_domain(current)
    if fixed is not None:
        candidate, reason = fixed
        return Diagnosis(candidate, (*why, reason), definite=True)
    close = _closest(current)
    if close is not None:
        return Diagnosis(close, tuple(why), definite=True)
    return Diagnosis(None, tuple(why), definite=spaced)


def _fix_domain(name: str) -> tuple[str, str] | None:
    """A known name the domain of ``name`` hides: missing, doubled or not amazonaws.com."""
    split = _split(name)
    if split is not None:
        part, domain = split
        stripped = part
        while (inner := _split(stripped)) is not None:
            stripped = inner[0]
        candidate = f"{stripped}.{domain}"
        if stripped != part and canonical(candidate) is not None:
            return candidate, f"the domain .{domain} is written twice"
        return None
    bare = name.rstrip(".")
    for candidate in (f"{bare}.{COMMERCIAL}", f"{bare}.com"):
        if candidate.endswith(f".{COMMERCIAL}") and canonical(candidate) is not None:
            return candidate, f"service principals end in .{COMMERCIAL}"
    labels = bare.split(".")
    for cut in range(len(labels) - 1, 0, -1):  # the longest service part first: monitoring.rds
        domain = ".".join(labels[cut:])
        if "amazon" not in domain and "aws" not in domain:
            continue
        candidate = ".".join(labels[:cut]) + f".{COMMERCIAL}"
        if canonical(candidate) is None:
            continue
        if domain == COMMERCIAL:  # the domain is right: a dot after it is all that is wrong
            return candidate, f"a service principal ends in .{COMMERCIAL}, with no dot after it"
        return candidate, f"service principals end in .{COMMERCIAL}, not .{domain}"
    return None


def _closest(name: str) -> str | None:
    """The known name a misspelled one was meant to be ("lamda" -> lambda.amazonaws.com)."""
    split = _split(name)
    if split is not None:
        part, domain = split
    else:
        labels = name.rstrip(".").split(".")
        keep = [label for label in labels if "amazon" not in label and "aws" not in label]
        part, domain = ".".join(keep), COMMERCIAL
    if len(part) < 3:
        return None
    close = difflib.get_close_matches(part, sorted(catalog().parts), n=1, cutoff=_CLOSE)
    return f"{close[0]}.{domain}" if close else None
