"""Policy-grammar rules: documents AWS rejects or reads differently from what the author meant
(RL601-RL608, RL613, RL614)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from rolelint.checks.base import Hit, check, on_text_of
from rolelint.checks.base import policy_subject as _subject
from rolelint.findings import Severity
from rolelint.model import (
    INVALID_STATEMENT,
    ElementKey,
    Inventory,
    PolicyDocument,
    PolicyKind,
    Role,
    SourceProblem,
    Statement,
    certain_alternatives,
    literal_parts,
)
from rolelint.source import SourceRef

_SHOWN = 3  # unknown actions named in one finding; the rest are counted
_SUGGESTIONS = 200  # unknown actions of one run that get a "did you mean"
CURRENT_VERSION = "2012-10-17"
LEGACY_VERSION = "2008-10-17"
EFFECTS = ("Allow", "Deny")


def _statements(
    inventory: Inventory,
) -> Iterator[tuple[PolicyDocument, tuple[Role, ...], Statement]]:
    """Every statement of every written policy, with the policy and the roles holding it."""
    for document, roles in inventory.written_policies_with_roles():
        for statement in document.statements:
            yield document, roles, statement


def _each_statement(
    inventory: Inventory, hits_of: Callable[[PolicyDocument, Statement], Iterable[Hit]]
) -> Iterator[Hit]:
    """What ``hits_of`` finds in each statement of each written policy, each finding naming
    the roles holding the policy."""
    for document, roles, statement in _statements(inventory):
        for hit in hits_of(document, statement):
            yield on_text_of(hit, roles, document)


def _problem_roles(inventory: Inventory) -> dict[tuple[str, str], tuple[Role, ...]]:
    """The roles a source problem (a duplicate key, a statement IAM cannot read) concerns, by
    the resource and file it names: a role written there, and the roles holding a policy of
    that resource whose text or definition is in that file.  The resource alone would not do:
    two files may define a resource of one name."""
    found: dict[tuple[str, str], dict[int, Role]] = {}
    for role in inventory.roles:
        found.setdefault((role.id, role.ref.file), {})[id(role)] = role
    for document, roles in inventory.written_policies_with_roles():
        places = (document.ref, *((document.defined_at,) if document.defined_at else ()))
        for place in places:
            holders = found.setdefault((document.resource, place.file), {})
            holders.update((id(role), role) for role in roles)
    return {place: tuple(roles.values()) for place, roles in found.items() if roles}


def _on_problem(
    hit: Hit, problem: SourceProblem, roles: dict[tuple[str, str], tuple[Role, ...]]
) -> Hit:
    return on_text_of(hit, roles.get((problem.resource, problem.ref.file), ()))


def _statement_words(statement: Statement) -> str:
    return f"statement '{statement.sid}'" if statement.sid else "a statement"


def _checker(document: PolicyDocument) -> str:
    """Who refuses the policy: IAM for its own policies; for a resource-based policy (a bucket
    or key policy), the service that holds it, which IAM never sees."""
    return "AWS" if document.kind is PolicyKind.RESOURCE else "IAM"


def _statement_key(document: PolicyDocument, statement: Statement, *parts: str) -> str:
    """Stable content of a statement: its Sid, or what it grants to whom when it has none."""
    return _keyed(_statement_prefix(document, statement), *parts)


def _statement_prefix(document: PolicyDocument, statement: Statement) -> str:
    """The part of :func:`_statement_key` the statement alone decides.  A rule finding
    something in each value of one statement (RL608 on each of its resources) makes it once
    and keys each finding with :func:`_keyed`: made per finding, it sorted the whole
    statement's content again each time, the square of its size (6,000 resources: 36 million
    values displayed)."""
    if statement.sid:
        return f"{document.origin}|{statement.sid}"
    content = [
        *(value.display() for value in statement.actions),
        *(value.display() for value in statement.not_actions),
        *(value.display() for value in statement.resources),
        *(principal.value.display() for principal in statement.principals),
    ]
    return f"{document.origin}|{','.join(sorted(content))}"


def _keyed(prefix: str, *parts: str) -> str:
    """A finding's key: its statement's part (:func:`_statement_prefix`), then its own."""
    return "|".join((prefix, *parts))


# --- RL601 ----------------------------------------------------------------------------------------


@check("RL601")
def duplicate_key(inventory: Inventory) -> Iterator[Hit]:
    duplicates = [problem for problem in inventory.problems if problem.kind == "duplicate-key"]
    roles = _problem_roles(inventory) if duplicates else {}
    for problem in duplicates:
        hit = Hit(
            "RL601",
            problem.message[:1].upper() + problem.message[1:],
            problem.ref,
            problem.resource,
            f"duplicate-key|{problem.message}",
        )
        yield _on_problem(hit, problem, roles)


# --- RL602 ----------------------------------------------------------------------------------------


@check("RL602")
def invalid_policy_version(inventory: Inventory) -> Iterator[Hit]:
    for document, roles in inventory.written_policies_with_roles():
        for hit in _version_problem(document):
            yield on_text_of(hit, roles, document)


def _version_problem(document: PolicyDocument) -> Iterator[Hit]:
    """What is wrong with the document's Version, if anything."""
    version = document.version
    if version is None:
        yield Hit(
            "RL602",
            f"{_subject(document)} has no Version: AWS then reads it as {LEGACY_VERSION}, "
            f"where policy variables such as ${{aws:username}} are plain text; "
            f'add Version "{CURRENT_VERSION}"',
            document.ref,
            document.resource,
            f"{document.origin}|Version|<absent>",
        )
    elif version.text is None or version.text == CURRENT_VERSION:
        return
    elif version.text == LEGACY_VERSION:
        yield Hit(
            "RL602",
            f'{_subject(document)} uses the legacy Version "{LEGACY_VERSION}", where policy '
            f'variables such as ${{aws:username}} are plain text; use "{CURRENT_VERSION}"',
            version.ref,
            document.resource,
            f"{document.origin}|Version|{version.text}",
        )
    else:
        yield Hit(
            "RL602",
            f"{_subject(document)} has Version '{version.text}'; {_checker(document)} accepts "
            f'only "{CURRENT_VERSION}" (or the legacy "{LEGACY_VERSION}") and rejects the '
            "policy",
            version.ref,
            document.resource,
            f"{document.origin}|Version|{version.text}",
        )


# --- RL603 ----------------------------------------------------------------------------------------


@check("RL603")
def invalid_effect(inventory: Inventory) -> Iterator[Hit]:
    return _each_statement(inventory, _effect_problem)


def _effect_problem(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    effect = statement.effect
    if effect is None:
        yield Hit(
            "RL603",
            f"{_subject(document)} has {_statement_words(statement)} without Effect; "
            f'{_checker(document)} rejects it: write "Allow" or "Deny"',
            statement.ref,
            document.resource,
            _statement_key(document, statement, "Effect", "<absent>"),
        )
    elif effect.text is not None and effect.text not in EFFECTS:
        yield Hit(
            "RL603",
            f"{_subject(document)} has Effect '{effect.text}'; {_checker(document)} accepts "
            'exactly "Allow" or "Deny" (case-sensitive) and rejects the policy',
            effect.ref,
            document.resource,
            _statement_key(document, statement, "Effect", effect.text),
        )


# --- RL604 ----------------------------------------------------------------------------------------


@check("RL604")
def statement_without_action(inventory: Inventory) -> Iterator[Hit]:
    yield from _each_statement(inventory, _without_action)
    unreadable = [problem for problem in inventory.problems if problem.kind == INVALID_STATEMENT]
    roles = _problem_roles(inventory) if unreadable else {}
    documents = _documents_by_place(inventory) if unreadable else {}
    for problem in unreadable:
        hit = Hit(
            "RL604",
            f"{_problem_words(problem, documents)}; IAM rejects the policy",
            problem.ref,
            problem.resource,
            f"invalid-statement|{problem.message}",
        )
        yield _on_problem(hit, problem, roles)


_THE_POLICY = "the policy "


def _documents_by_place(inventory: Inventory) -> dict[tuple[str, str], list[PolicyDocument]]:
    """The written policies by the resource and file they are in, as a problem names them."""
    found: dict[tuple[str, str], list[PolicyDocument]] = {}
    for document, _ in inventory.written_policies_with_roles():
        found.setdefault((document.resource, document.ref.file), []).append(document)
    return found


def _problem_words(
    problem: SourceProblem, documents: dict[tuple[str, str], list[PolicyDocument]]
) -> str:
    """The parser's words for a problem, as a message opens.  One it says of "the policy" (it
    has no Statement, too many statements) names the policy it is in as every other message
    of the rule does ("Inline policy 'p' of role R has no Statement"), when the model has it;
    the words of the key stay the parser's, so the fingerprint does not change."""
    message = problem.message
    if message.startswith(_THE_POLICY):
        span = problem.ref.span
        for document in documents.get((problem.resource, problem.ref.file), ()):
            within = document.ref.span
            if span is not None and within is not None and within.encloses(span):
                return f"{_subject(document)} {message.removeprefix(_THE_POLICY)}"
    return message[:1].upper() + message[1:]


def _without_action(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    if statement.has_action or statement.has_not_action:
        return
    empty = statement.empty_action
    if empty is not None:  # ``"NotAction": []``, ``"Action": null``
        yield Hit(
            "RL604",
            f"{_subject(document)} has {_statement_words(statement)} whose {empty.name} is "
            f"{_written_nothing(empty)}, which names no action: the statement "
            f"{_does_nothing(statement)} ({_grammar_of(empty)})",
            empty.ref,
            document.resource,
            _statement_key(document, statement, "no-action"),
        )
        return
    yield Hit(
        "RL604",
        f"{_subject(document)} has {_statement_words(statement)} with neither Action nor "
        f"NotAction; {_checker(document)} rejects it",
        statement.ref,
        document.resource,
        _statement_key(document, statement, "no-action"),
    )


def _written_nothing(key: ElementKey) -> str:
    """The value of a key that names nothing, in words: an empty list, or null."""
    return "null" if key.holds == "null" else "an empty list"


def _grammar_of(key: ElementKey) -> str:
    """What IAM's policy grammar takes in place of the value of a key that names nothing."""
    if key.holds == "null":
        return "IAM's policy grammar takes a string or a list of strings"
    return "IAM's policy grammar takes one or more values"


def _does_nothing(statement: Statement) -> str:
    """What a statement naming no action does: nothing, said of its Effect (an empty
    NotAction is no "every action but none": an Allow grants none, a Deny denies none)."""
    if statement.is_allow:
        return "grants nothing"
    if statement.is_deny:
        return "denies nothing"
    return "grants and denies nothing"


# --- RL605 ----------------------------------------------------------------------------------------


def _unknown_action(text: str) -> tuple[str, bool] | None:
    """Why ``text`` names no AWS action, and whether it is a typo that leaves a permission
    missing (or a Deny open), worth a "did you mean" (:func:`iam_actions.suggestion`); None
    when it names some.

    A typo: a literal action, or any entry of a service AWS does not have (``dynamo:List*``
    misses every DynamoDB action it was written for).  Not a pattern of a real service that
    matches nothing (``s3:Gett*``): that is dead weight."""
    from rolelint import iam_actions

    pattern = any(char in text for char in "*?")
    service, sep, name = text.partition(":")
    if not sep or not service or not name:
        if text and set(text) <= {"*"}:
            return None
        return f"'{text}' is not of the form service:action", not pattern
    if "$" in text or "<" in text:
        return None  # a placeholder rolelint could not resolve: never judged
    if any(char in service for char in "*?"):
        return None if iam_actions.expand(text) else (f"'{text}' matches no AWS action", False)
    if not iam_actions.is_known_service(service):
        return f"'{service}' is not an AWS service prefix", True
    if iam_actions.expand(text):
        return None
    if pattern:
        return f"'{text}' matches no {service.lower()} action", False
    return f"'{name}' is not an action of {service.lower()}", True


def _rl605_consequence(count: int, not_action: bool, statement: Statement) -> str:
    """What unknown entries do: nothing in Action, but in NotAction they exclude nothing, so
    the statement applies to what its author meant to leave out."""
    one = count == 1
    if not not_action:
        return "it grants and denies nothing" if one else "they grant and deny nothing"
    excluded = "it excludes nothing" if one else "they exclude nothing"
    meant = "it was" if one else "they were"
    if statement.is_allow:
        return f"in NotAction {excluded}, so the Allow grants what {meant} meant to withhold"
    if statement.is_deny:
        return f"in NotAction {excluded}, so the Deny denies what {meant} meant to spare"
    return f"in NotAction {excluded}"


@check("RL605")
def unknown_action(inventory: Inventory) -> Iterator[Hit]:
    from rolelint import iam_actions

    # One finding per place: a for expression or dynamic block writes many actions from one line.
    # Per place, each unknown text once: (why, typo).  A "did you mean" costs a millisecond
    # of difflib: only the typos shown at a place get one, and only the first _SUGGESTIONS of
    # the run (a policy can list hundreds of thousands of made-up actions).
    by_place: dict[tuple[int, SourceRef], dict[str, tuple[str, bool]]] = {}
    # Per place, its statement and whether the place is the statement's NotAction.
    written_in: dict[tuple[int, SourceRef], tuple[Statement, bool]] = {}
    documents: dict[int, tuple[PolicyDocument, tuple[Role, ...]]] = {}
    suggestions = _SUGGESTIONS
    # Each text judged once: a statement an Fn::If on a shared condition splits lists the same
    # actions once per branch.
    known: dict[str, tuple[str, bool] | None] = {}
    for document, roles, statement in _statements(inventory):
        for value, not_action in (
            *((value, False) for value in statement.actions),
            *((value, True) for value in statement.not_actions),
        ):
            if value.text is None:
                continue
            text = value.text.strip()
            judged = known[text] if text in known else known.setdefault(text, _unknown_action(text))
            if judged is None:
                continue
            at = (id(document), value.ref)
            found = by_place.get(at, {})
            if value.text in found:
                continue
            documents[id(document)] = (document, roles)
            written_in.setdefault(at, (statement, not_action))
            by_place.setdefault(at, found)[value.text] = judged
    for (key, place), found in by_place.items():
        document, roles = documents[key]
        statement, not_action = written_in[(key, place)]
        # The typos first: they make the finding medium, and say what was meant.
        unknown = sorted(
            ((text, why, typo) for text, (why, typo) in found.items()), key=lambda u: not u[2]
        )
        said = []
        for text, why, typo in unknown[:_SHOWN]:
            if typo and suggestions > 0:
                meant = iam_actions.suggestion(text.strip())
                why = f"{why} (did you mean '{meant}'?)" if meant else why
                suggestions -= 1
            said.append(why)
        shown = "; ".join(said)
        more = f"; and {len(unknown) - _SHOWN} more" if len(unknown) > _SHOWN else ""
        noun = "an action that does not" if len(unknown) == 1 else "actions that do not"
        # A wildcard of a real service matching nothing is dead weight; a literal unknown
        # action, or any entry of an unknown service, is a typo that leaves a permission
        # missing (or a Deny open).  In an Allow's NotAction even a wildcard matching nothing
        # widens access: what it was to withhold is granted.
        widens = not_action and statement.is_allow
        typo = any(typo for *_, typo in unknown)
        severity = None if typo or widens else Severity.LOW
        consequence = _rl605_consequence(len(unknown), not_action, statement)
        hit = Hit(
            "RL605",
            f"{_subject(document)} names {noun} exist: {shown}{more}; {consequence}",
            place,
            document.resource,
            "unknown-action|"
            + "|".join((document.origin, *sorted(text.lower() for text, *_ in unknown))),
            severity=severity,
        )
        yield on_text_of(hit, roles, document)


# --- RL606 ----------------------------------------------------------------------------------------


@check("RL606")
def duplicate_sid(inventory: Inventory) -> Iterator[Hit]:
    for document, roles in inventory.written_policies_with_roles():
        for hit in _sids_again(document):
            yield on_text_of(hit, roles, document)


def _sids_again(document: PolicyDocument) -> Iterator[Hit]:
    """Each statement whose Sid an earlier statement of the document has."""
    seen: dict[str, Statement] = {}
    # Two Sids in exclusive branches (Fn::If) never meet in one deployed policy; a Sid every
    # alternative of one written statement has is in every deployment.
    for alternatives in certain_alternatives(document.statements):
        statement = alternatives[0]
        if statement.sid is None or statement.sid == "":
            continue
        if any(other.sid != statement.sid for other in alternatives):
            continue
        first = seen.setdefault(statement.sid, statement)
        if first is statement:
            continue
        yield Hit(
            "RL606",
            f"{_subject(document)} has two statements with Sid '{statement.sid}' (the first "
            f"at line {first.sid_ref.line if first.sid_ref else first.ref.line}); IAM requires "
            "statement ids to be unique within a policy",
            statement.sid_ref or statement.ref,
            document.resource,
            f"duplicate-sid|{document.origin}|{statement.sid}",
        )


# --- RL607 ----------------------------------------------------------------------------------------

OPERATOR_NAMES = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
)
CONDITION_OPERATORS = frozenset(name.lower() for name in OPERATOR_NAMES)
_SPELLING = {name.lower(): name for name in OPERATOR_NAMES}
_SET_PREFIXES = ("ForAllValues:", "ForAnyValue:")
_IF_EXISTS = "IfExists"


def _set_prefix(operator: str) -> str:
    """The operator's one set prefix as IAM spells it, or "" (matched in any case): an
    operator takes ForAllValues or ForAnyValue, never both, so a second prefix stays in the
    rest and makes it unknown whichever comes first."""
    for prefix in _SET_PREFIXES:
        if operator.lower().startswith(prefix.lower()):
            return prefix
    return ""


def invalid_operator(operator: str) -> str | None:
    """Why IAM rejects a condition operator; None for a valid one.

    Operator names are case-sensitive, unlike condition keys: IAM rejects ``stringEquals``
    with "MalformedPolicyDocument: Invalid Condition type : stringEquals".  A name that is
    valid in another case is reported with its spelling; any other with the closest one."""
    prefix = _set_prefix(operator)
    rest = operator[len(prefix) :]
    if_exists = rest.lower().endswith(_IF_EXISTS.lower())
    base = rest[: -len(_IF_EXISTS)] if if_exists else rest
    if base.lower() not in CONDITION_OPERATORS:
        suggestion = _closest_operator(operator)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        return f"'{operator}' is not an IAM condition operator{hint}"
    if base.lower() == "null" and if_exists:
        return "NullIfExists is not valid: Null already tests whether the key exists"
    spelled = prefix + _SPELLING[base.lower()] + (_IF_EXISTS if if_exists else "")
    if spelled != operator:
        return (
            f"'{operator}' is not an IAM condition operator: operator names are "
            f"case-sensitive, write '{spelled}'"
        )
    return None


@check("RL607")
def unknown_condition_operator(inventory: Inventory) -> Iterator[Hit]:
    return _each_statement(inventory, _operator_problems)


def _operator_problems(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    from rolelint.model import UNRESOLVED_KEY

    reported: set[str] = set()
    prefix: str | None = None  # made once, at the first finding (_statement_prefix)
    for condition in statement.conditions:
        operator = condition.operator
        if operator in reported or operator.startswith(UNRESOLVED_KEY) or "$" in operator:
            continue
        problem = invalid_operator(operator)
        if problem is None:
            continue
        reported.add(operator)
        if prefix is None:
            prefix = _statement_prefix(document, statement)
        yield Hit(
            "RL607",
            f"{_subject(document)} has a condition {_checker(document)} rejects: {problem}",
            condition.operator_ref or condition.ref,
            document.resource,
            f"condition-operator|{_keyed(prefix, operator)}",
        )


def _closest_operator(operator: str) -> str | None:
    import difflib

    close = difflib.get_close_matches(operator, OPERATOR_NAMES, n=1, cutoff=0.75)
    return close[0] if close else None


# --- RL608 ----------------------------------------------------------------------------------------


# API Gateway's abbreviated resource, ``execute-api:/stage/method/path`` (``execute-api:/*``):
# API Gateway expands it to the API's ARN when it saves a resource policy, so IAM never sees it.
_API_GATEWAY_SHORTHAND = re.compile(r"execute-api:/\S*")


@functools.lru_cache(maxsize=4096)
def _arn_problem(text: str, kind: PolicyKind) -> str | None:
    """Why IAM rejects a Resource value of a ``kind`` policy; None for ``*``, an ARN of the
    right shape, or API Gateway's shorthand in a resource policy (the only one it expands).
    Remembered: a statement a condition splits lists its resources once per branch."""
    from rolelint.checks.iam_match import parse_arn

    if text.strip() != text:
        return "it has spaces around it"
    if text == "" or set(text) <= {"*"}:
        return None if text else "it is empty"
    if kind is PolicyKind.RESOURCE and _API_GATEWAY_SHORTHAND.fullmatch(text):
        return None
    if not text.startswith("arn:"):
        return "it is not an ARN (an ARN starts with 'arn:')"
    arn = parse_arn(text)
    if arn is None and "*" not in text:  # a wildcard may stand for the missing colons
        return "it is not an ARN of six parts (arn:partition:service:region:account:resource)"
    # An empty part ("arn:aws:s3:::" from a parameter whose default is "") is not judged: the
    # deployed value is whatever the parameter is given.
    return None


@functools.lru_cache(maxsize=4096)
def _unknown_service(text: str) -> str | None:
    """The service field of an ARN when it names no service AWS has, by the action catalog
    (its service prefixes and its resource types' ARN formats: iam_actions.is_arn_service);
    None for any other value.  Only a service written out, after a literal partition, is
    judged: a placeholder before it may hold colons and shift the fields, and one in it (or a
    wildcard) may be any service.  The fields after it may be anything."""
    from rolelint import iam_actions
    from rolelint.checks.iam_match import parse_arn

    arn = parse_arn(text)
    if arn is None or any(char in arn.partition for char in "$<"):
        return None
    service = arn.service
    if not service or any(char in service for char in "$<*?"):
        return None
    return None if iam_actions.is_arn_service(service) else service


def _unknown_service_words(
    service: str, text: str, statement: Statement, not_resource: bool
) -> str:
    """What ``text``, an ARN of a service AWS does not have, does: it names no resource, so
    in Resource the statement acts on nothing there, and in NotResource it excludes nothing.
    The service meant is named when one clearly is (iam_actions.service_meant: the ARN tells
    apart services equally close, ``ec3`` and an instance's ARN: ec2)."""
    from rolelint import iam_actions

    meant = iam_actions.service_meant(service, text)
    hint = f" (did you mean '{meant}'?)" if meant else ""
    said = f"whose service '{service}' is no AWS service{hint}: it names no resource"
    if not_resource:
        said += "; in NotResource it excludes nothing"
        if statement.is_allow:
            return f"{said}, so the Allow grants what it was meant to withhold"
        if statement.is_deny:
            return f"{said}, so the Deny denies what it was meant to spare"
        return said
    if statement.is_allow:
        return f"{said}, so the statement grants nothing on it"
    if statement.is_deny:
        return f"{said}, so the statement denies nothing on it"
    return said


@check("RL608")
def invalid_resource_arn(inventory: Inventory) -> Iterator[Hit]:
    return _each_statement(inventory, _arn_problems)


def _arn_problems(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    prefix: str | None = None  # made once, at the first finding (_statement_prefix)
    for value, not_resource in (
        *((value, False) for value in statement.resources),
        *((value, True) for value in statement.not_resources),
    ):
        text = value.text
        if text is None:
            continue
        symbolic = "$" in text or "<" in text  # its ARN's shape is not known
        problem = None if symbolic else _arn_problem(text, document.kind)
        service = _unknown_service(text) if problem is None else None
        if problem is None and service is None:
            continue
        if prefix is None:
            prefix = _statement_prefix(document, statement)
        key = f"resource-arn|{_keyed(prefix, text)}"
        if problem is not None:
            yield Hit(
                "RL608",
                f"{_subject(document)} names Resource '{text}', which "
                f"{_checker(document)} rejects: {problem}",
                value.ref,
                document.resource,
                key,
            )
            continue
        if service is not None:
            element = "NotResource" if not_resource else "Resource"
            yield Hit(
                "RL608",
                f"{_subject(document)} names {element} '{text}', "
                f"{_unknown_service_words(service, text, statement, not_resource)}",
                value.ref,
                document.resource,
                key,
            )


# --- RL613 ----------------------------------------------------------------------------------------

# The policies whose statements must name their resources: a trust policy has none (IAM refuses
# a Resource in it), and a resource policy's service says what it takes.
_NAMING_RESOURCES = (PolicyKind.PERMISSIONS, PolicyKind.BOUNDARY)
_RESOURCE_ELEMENTS = ("resource", "notresource")


def _counterpart(element: str) -> str:
    """``NotAction`` for ``Action`` and the other way round."""
    return element[len("Not") :] if element.startswith("Not") else f"Not{element}"


def _resource_near_miss(statement: Statement) -> ElementKey | None:
    """The key the author likely meant as Resource or NotResource (``Resources``,
    ``Resouce``)."""
    import difflib

    for key in statement.unknown_keys:
        if difflib.get_close_matches(key.name.lower(), _RESOURCE_ELEMENTS, n=1, cutoff=0.8):
            return key
    return None


@check("RL613")
def invalid_statement_elements(inventory: Inventory) -> Iterator[Hit]:
    return _each_statement(inventory, _element_problems)


def _element_problems(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    if document.kind in _NAMING_RESOURCES and not statement.names_resources:
        yield from _without_resource(document, statement)
    if document.kind is PolicyKind.TRUST:
        yield from _not_principal_in_trust(document, statement)
    for second in statement.conflicting:
        first = _counterpart(second.name)
        yield Hit(
            "RL613",
            f"{_subject(document)} has {_statement_words(statement)} with both {first} and "
            f"{second.name}; {_checker(document)} takes one or the other and rejects the "
            "policy (rolelint reads the statement as granting and denying nothing)",
            second.ref,
            document.resource,
            _statement_key(document, statement, "both", *sorted((first, second.name))),
        )


def _not_principal_in_trust(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    """NotPrincipal, which IAM takes only in some services' resource policies: a role's trust
    policy with one is rejected, with Deny as with Allow.  Once per statement: a NotPrincipal
    already reported beside Principal (the second of the pair) is not said twice.  The message
    says why it matters (the policy is never deployed) and, of an Allow, that rolelint reads it
    as admitting no one: RL101 does not call it open to every other principal, and the graph
    and the inventory draw no caller from it."""
    at = statement.not_principal_ref
    if at is None or any(key.ref == at for key in statement.conflicting):
        return
    reading = " (rolelint reads this Allow as admitting no one)" if statement.is_allow else ""
    yield Hit(
        "RL613",
        f"{_subject(document)} has {_statement_words(statement)} with NotPrincipal; IAM rejects "
        "NotPrincipal in a role trust policy, so the role cannot be created or updated with "
        f"this policy{reading}: name who may assume the role in Principal, and keep others "
        "out with a Deny whose condition tests aws:PrincipalArn (ArnNotEquals) or "
        "aws:PrincipalAccount (StringNotEquals)",
        at,
        document.resource,
        _statement_key(document, statement, "NotPrincipal"),
    )


def _without_resource(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    if any(key.name.lower() in _RESOURCE_ELEMENTS for key in statement.unknown_keys):
        return  # ``resource``: whether IAM takes an element in another case is not known here
    empty = statement.empty_resource
    if empty is not None:  # ``"Resource": []``, ``"Resource": null``
        # Not said to be rejected: IAM's grammar takes one or more values, and IAM Access
        # Analyzer files an empty list as a suggestion ("Empty array resource": the statement
        # "includes no resources and does not affect the policy"), not as an error.  Null is no
        # value of the grammar at all; whatever IAM makes of it, the statement names nothing.
        yield Hit(
            "RL613",
            f"{_subject(document)} has {_statement_words(statement)} whose {empty.name} is "
            f"{_written_nothing(empty)}, which names no resource: the statement "
            f"{_does_nothing(statement)} ({_grammar_of(empty)})",
            empty.ref,
            document.resource,
            _statement_key(document, statement, "no-resource"),
        )
        return
    near = _resource_near_miss(statement)
    has = f" (it has '{near.name}')" if near is not None else ""
    yield Hit(
        "RL613",
        f"{_subject(document)} has {_statement_words(statement)} without Resource or "
        f"NotResource{has}; IAM rejects a permissions policy whose statements do not name "
        "their resources",
        near.ref if near is not None else statement.ref,
        document.resource,
        _statement_key(document, statement, "no-resource"),
    )


# --- RL614 ----------------------------------------------------------------------------------------

# IAM's expression for the Sid of an identity policy ("Statement IDs (SID) must be
# alpha-numeric"); a resource policy's service sets its own (S3 and KMS take spaces), and AWS
# documents no such rule for a role's trust policy.
_SID = re.compile(r"[0-9A-Za-z]*")
_SID_WORD = re.compile(r"[0-9A-Za-z]+")


def _sid_spelling(sid: str) -> str:
    """The Sid with what IAM refuses left out, its words joined in CamelCase
    (``allow-read-reports`` -> ``AllowReadReports``); "" when nothing is left."""
    return "".join(word[:1].upper() + word[1:] for word in _SID_WORD.findall(sid))


def _sid_rejected(sid: str) -> bool:
    """Whether IAM rejects the Sid whatever deployment fills in: judged by its literal parts
    only.  The account's stand-in becomes digits; the Region's has hyphens unless a function
    took them out (``replace(region, "-", "")``), which its text no longer tells, and the other
    stand-ins are as unknown: none of them is judged."""
    return not all(_SID.fullmatch(part) for part in literal_parts(sid))


@check("RL614")
def invalid_statement_id(inventory: Inventory) -> Iterator[Hit]:
    return _each_statement(inventory, _sid_problem)


def _sid_problem(document: PolicyDocument, statement: Statement) -> Iterator[Hit]:
    sid = statement.sid
    if document.kind not in _NAMING_RESOURCES or sid is None or not _sid_rejected(sid):
        return  # unresolved (None) or valid; "" is valid
    # Only a Sid read whole gets a spelling: one holding a stand-in would put the
    # stand-in's letters where the deployed value goes (``ReadInAWSAccountId``).
    literal = len(literal_parts(sid)) == 1
    spelling = _sid_spelling(sid) if literal else ""
    hint = f" (write '{spelling}')" if spelling else ""
    yield Hit(
        "RL614",
        f"{_subject(document)} has Sid '{sid}', which IAM rejects: a Sid of an identity "
        f"policy takes only the letters A-Z and a-z and the digits 0-9{hint}",
        statement.sid_ref or statement.ref,
        document.resource,
        f"invalid-sid|{document.origin}|{sid}",
    )
