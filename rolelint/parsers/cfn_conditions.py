"""A template's ``Conditions`` evaluated with the parameters' defaults, for ``Fn::If``.

Every branch of an ``Fn::If`` may be deployed, so each is analyzed.  But a branch is deployed
only where its condition allows, and the condition often says the parameter it reads is *not*
its default: ``HasExternalId: !Not [!Equals [!Ref ExternalId, ""]]``.  Resolving that branch's
``!Ref ExternalId`` to the default ``""`` gives a value that can never be deployed there (an
empty external id, a principal ``arn:aws:iam:::root``), and a finding on it is false.  So when
the defaults make a condition pick one branch, the other is resolved with the condition's
parameters unknown, or, where the condition says what one must be (``IsProd: !Equals [!Ref Env,
prod]`` made true), with that text.

Only what is certain is decided: ``Fn::Equals`` of two known texts (or, where no deployment
decides, of a parameter and a text its constraints rule out: ``may_be``), ``Fn::Not``,
``Fn::And``, ``Fn::Or`` and ``Condition``.  Anything else (a pseudo parameter, an import, a
list) leaves the condition undecided, and both branches are resolved as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_CONDITIONS = 50  # conditions followed through Condition references from one Fn::If

# The text of an Fn::Equals operand with the parameters' defaults; None when not certain.
OperandText = Callable[[Any], "str | None"]
# Whether an Fn::Equals operand whose text is not known may be a given text in some deployment
# (False: a parameter whose AllowedValues or AllowedPattern rule it out, cfn_parameters).
MayBe = Callable[[Any, str], bool]


def written_operand(node: Any) -> str | None:
    """The text of an Fn::Equals operand written as a plain scalar; None for anything that
    depends on the deployment (a Ref, a function).  With it, :func:`holds` says whether a
    condition holds whatever the parameters (``Never: !Equals [true, false]``)."""
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, (str, int, float)):
        return str(node)
    return None


def holds(
    name: str, conditions: Mapping[str, Any], operand: OperandText, may_be: MayBe | None = None
) -> bool | None:
    """Whether the condition ``name`` holds with the defaults; None when that is not certain
    (an unknown operand, an unknown or cyclic condition).  With ``may_be``, an ``Fn::Equals``
    of an unknown operand and a text it may never be is false (``!Equals [!Ref Stage,
    legacy]`` where Stage's AllowedValues are dev and prod): CloudFormation refuses every
    deployment in which it would hold."""
    return _Evaluation(conditions, operand, may_be).condition(name)


def implied(
    name: Any, given: str, conditions: Mapping[str, Any], given_holds: bool = True
) -> bool | None:
    """Whether condition ``name`` holds wherever condition ``given`` does (True), holds
    nowhere it does (False), or either (None): ``given`` itself (or an ``Fn::Equals`` written
    as ``name``'s, its operands either way round), or written as ``Fn::Not`` of it, or an
    ``Fn::And`` with one of those (an ``Fn::Or`` that is false, each operand).  Whatever is
    read only where a resource exists is read where its Condition holds, and an ``Fn::If``
    there on a condition that one decides gives that branch only.  With ``given_holds``
    False, the same where ``given`` does not hold (the second branch of an ``Fn::If`` on it).
    Asking of many pairs of one template's conditions: :class:`Implications`."""
    return Implications(conditions).implied(name, given, given_holds)


class Implications:
    """:func:`implied` of the conditions of one template, each given condition read once for
    each truth, whatever is asked of it.

    A reading of ``given`` notes each condition it names and each ``Fn::Equals`` test it
    meets, with the truth the first meeting gives it (:class:`_Reading`): reading for one
    ``name`` stops at the first meeting of ``name`` or of its test, and up to there reads the
    same whatever ``name`` is, so the first meeting is its answer.  Naming a template's
    conditions (rolelint.parsers.cfn_intrinsics) asks four questions of each condition and
    each of up to 50 earlier ones: read anew for each, 500 conditions each naming the one
    before (``Ki: !Or [!Condition K(i-1), ...]``) read 5 million nodes."""

    def __init__(self, conditions: Mapping[str, Any]) -> None:
        self.conditions = conditions
        self._readings: dict[tuple[str, bool], _Reading] = {}
        self._tests: dict[str, frozenset[Any] | None] = {}

    def implied(self, name: Any, given: Any, given_holds: bool = True) -> bool | None:
        """:func:`implied`."""
        if not isinstance(name, str) or not isinstance(given, str):
            return None  # a name that is no text names no condition
        reading = self._readings.get((given, given_holds))
        if reading is None:
            reading = _Reading(self.conditions)
            reading.read({"Condition": given}, given_holds)
            self._readings[(given, given_holds)] = reading
        return reading.decides(name, self._test_of(name))

    def _test_of(self, name: str) -> frozenset[Any] | None:
        """The ``Fn::Equals`` test condition ``name`` is written as, if it is one."""
        if name not in self._tests:
            written = self.conditions.get(name)
            self._tests[name] = _equals_operands(written) if isinstance(written, dict) else None
        return self._tests[name]


class _Reading:
    """What reading one condition where it holds (or where it does not) meets: each condition
    it names and each ``Fn::Equals`` test, with when it was first met and the truth it has
    there.  Read as :func:`implied` reads for one name, following each condition once and
    :data:`MAX_CONDITIONS` at most, but on past every meeting.  A class, not a closure: a
    nested function calling itself is a reference cycle, which would keep the template's
    conditions alive after the parse (the command line never lets the collector walk them:
    rolelint.gc_pause)."""

    def __init__(self, conditions: Mapping[str, Any]) -> None:
        self.conditions = conditions
        self.followed: set[str] = set()
        self.names: dict[str, tuple[int, bool]] = {}  # when first met, and the truth there
        self.tests: dict[frozenset[Any], tuple[int, bool]] = {}
        self.met = 0

    def read(self, node: Any, holding: bool) -> None:
        if not isinstance(node, dict) or len(node) != 1:
            return
        test = _equals_operands(node)
        if test is not None:
            self._meet(self.tests, test, holding)
        function, argument = next(iter(node.items()))
        if function == "Condition" and isinstance(argument, str):
            self._meet(self.names, argument, holding)
            if argument in self.followed or len(self.followed) >= MAX_CONDITIONS:
                return
            self.followed.add(argument)
            self.read(self.conditions.get(argument), holding)
            return
        if not isinstance(argument, list):
            return
        if function == "Fn::Not" and len(argument) == 1:
            self.read(argument[0], not holding)
        elif (function, holding) in (("Fn::And", True), ("Fn::Or", False)):
            for item in argument:  # every operand is ``holding``
                self.read(item, holding)

    def _meet(self, first: dict[Any, tuple[int, bool]], what: Any, holding: bool) -> None:
        if what not in first:
            first[what] = (self.met, holding)
        self.met += 1

    def decides(self, name: str, test: frozenset[Any] | None) -> bool | None:
        """The truth of condition ``name`` (written as ``test``, if a test) where the read
        condition has its truth: that of the first meeting of either; None if neither is met."""
        met = [self.names.get(name), self.tests.get(test) if test is not None else None]
        found = [meeting for meeting in met if meeting is not None]
        return min(found)[1] if found else None


@dataclass(frozen=True, slots=True)
class Reach:
    """What reading condition ``name`` may meet (:func:`reach`): the conditions it names, and
    the ``Fn::Equals`` tests it holds (:func:`_equals_operands`), through any function; and
    its own test when it is one.  ``everything``: too many conditions to follow, anything may
    be met."""

    names: frozenset[str]
    tests: frozenset[frozenset[Any]]
    own_test: frozenset[Any] | None
    everything: bool = False

    def may_decide(self, other: Reach, other_name: str) -> bool:
        """Whether :func:`implied` of ``other_name`` given this condition may be other than
        None: only a reading that meets ``other_name`` or its test decides it."""
        if self.everything:
            return True
        return other_name in self.names or (
            other.own_test is not None and other.own_test in self.tests
        )


@dataclass(slots=True)
class Reaches:
    """What the readings of several conditions may meet, together: whether any of them may
    decide a condition or be decided by it (:meth:`Reach.may_decide`, either way) is asked
    once, not of each.  A template of 400 conditions none of which reads another compared
    each with 50 earlier ones for nothing."""

    conditions: set[str] = field(default_factory=set)  # their names
    names: set[str] = field(default_factory=set)  # the conditions their readings meet
    tests: set[frozenset[Any]] = field(default_factory=set)  # the tests they hold
    own_tests: set[frozenset[Any]] = field(default_factory=set)
    everything: bool = False

    def add(self, name: str, reached: Reach) -> None:
        self.conditions.add(name)
        self.names.update(reached.names)
        self.tests.update(reached.tests)
        if reached.own_test is not None:
            self.own_tests.add(reached.own_test)
        self.everything = self.everything or reached.everything

    def may_pair(self, name: str, reached: Reach) -> bool:
        """Whether one of them may decide condition ``name`` (whose reading meets
        ``reached``), or ``name`` one of them."""
        return (
            self.everything
            or reached.everything
            or name in self.names
            or (reached.own_test is not None and reached.own_test in self.tests)
            or not reached.names.isdisjoint(self.conditions)
            or not reached.tests.isdisjoint(self.own_tests)
        )


def reach(name: str, conditions: Mapping[str, Any]) -> Reach:
    """What :func:`implied` reading ``{"Condition": name}`` may meet: more than it follows
    (every function, every operand, with no limit but :data:`MAX_CONDITIONS` conditions), so
    that a pair of conditions neither of which meets the other needs no reading at all."""
    written = conditions.get(name)
    own_test = _equals_operands(written) if isinstance(written, dict) else None
    names: set[str] = set()
    tests: set[frozenset[Any]] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in names:
            continue
        if len(names) > MAX_CONDITIONS:
            return Reach(frozenset(), frozenset(), own_test, everything=True)
        names.add(current)
        nodes: list[Any] = [conditions.get(current)]
        while nodes:
            node = nodes.pop()
            if isinstance(node, list):
                nodes.extend(node)
            elif isinstance(node, dict):
                test = _equals_operands(node)
                if test is not None:
                    tests.add(test)
                for function, argument in node.items():
                    if function == "Condition" and isinstance(argument, str):
                        pending.append(argument)
                    else:
                        nodes.append(argument)
    return Reach(frozenset(names), frozenset(tests), own_test)


def decided_where(
    name: Any,
    assumed: Mapping[str, bool],
    conditions: Mapping[str, Any],
    implications: Implications | None = None,
) -> bool | None:
    """Whether condition ``name`` holds (True), does not (False) or either (None) where each
    condition of ``assumed`` has its truth there: inside a branch of an ``Fn::If`` on C, an
    ``Fn::If`` on C takes the same branch (CloudFormation evaluates a condition once per
    deployment), and so does one on a condition that C decides (:func:`implied`; a resolver
    passes its template's ``implications``, so that each condition is read once)."""
    known = implications or Implications(conditions)
    for given, holding in assumed.items():
        found = known.implied(name, given, holding)
        if found is not None:
            return found
    return None


def _equals_operands(node: Mapping[Any, Any]) -> frozenset[Any] | None:
    """The operands of an ``Fn::Equals`` of two written texts or parameters (``!Equals [!Ref
    Env, prod]``), in no order, so two conditions that test the same are seen to; None for any
    other test (deciding more would cost more than it saves)."""
    if len(node) != 1 or not isinstance(arguments := node.get("Fn::Equals"), list):
        return None
    if len(arguments) != 2:
        return None
    operands = []
    for operand in arguments:
        text = written_operand(operand)
        if text is None and isinstance(operand, dict) and set(operand) == {"Ref"}:
            reference = operand["Ref"]
            if isinstance(reference, str):
                operands.append(("Ref", reference))
                continue
        if text is None:
            return None
        operands.append(("text", text))
    return frozenset(operands)


def parameters_read(
    node: Any,
    conditions: Mapping[str, Any],
    parameters: Mapping[str, Any],
    name_of: OperandText | None = None,
) -> set[str]:
    """The template parameters a condition's ``node`` reads (``{"Condition": name}`` for a whole
    condition), through the conditions it names.  ``name_of`` gives the text of a ``Ref``'s
    argument that is itself a function (AWS::LanguageExtensions: ``{"Ref": {"Fn::Sub": ...}}``),
    None when not certain."""
    found: set[str] = set()
    seen: set[str] = set()
    pending: list[Any] = [node]
    while pending and len(seen) <= MAX_CONDITIONS:
        node = pending.pop()
        if isinstance(node, dict):
            if len(node) == 1 and "Ref" in node:
                name = node["Ref"]
                if not isinstance(name, str) and name_of is not None:
                    name = name_of(name)
                if isinstance(name, str) and name in parameters:
                    found.add(name)
                    continue
            if len(node) == 1 and isinstance(node.get("Condition"), str):
                referenced = node["Condition"]
                if referenced not in seen:
                    seen.add(referenced)
                    pending.append(conditions.get(referenced))
                continue
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def forced_parameters(
    name: str,
    conditions: Mapping[str, Any],
    parameters: Mapping[str, Any],
    operand: OperandText,
    wanted: bool,
) -> dict[str, str | None]:
    """The parameters that must differ from their defaults for condition ``name`` to be
    ``wanted``, when the defaults make it the opposite, each with the one text it must then be
    (None when the condition only rules its default out).

    Certain only for a test of one parameter (``!Equals [!Ref P, ""]``), and through ``Not``,
    an ``And`` made true or an ``Or`` made false (each of its operands that the defaults make
    otherwise must change), or one of a single operand.  An ``And`` made false may change any
    of its operands: none is forced.  The text is known for an ``Fn::Equals`` of the ``Ref``
    and a written text that must hold (``!Equals [!Ref Env, prod]``): there the parameter is
    that text, which is all the condition leaves it; one that must not hold leaves it any
    other.
    """
    return _Forcing(conditions, parameters, operand).forced({"Condition": name}, wanted)


class _Forcing:
    def __init__(
        self, conditions: Mapping[str, Any], parameters: Mapping[str, Any], operand: OperandText
    ) -> None:
        self.conditions = conditions
        self.parameters = parameters
        self.operand = operand
        self.evaluation = _Evaluation(conditions, operand)
        self.followed: set[str] = set()

    def forced(self, node: Any, wanted: bool) -> dict[str, str | None]:
        if not isinstance(node, dict) or len(node) != 1:
            return {}
        function, argument = next(iter(node.items()))
        if function == "Condition":
            if not isinstance(argument, str) or argument in self.followed:
                return {}
            self.followed.add(argument)
            return self.forced(self.conditions.get(argument), wanted)
        if not isinstance(argument, list):
            return {}
        if function == "Fn::Not" and len(argument) == 1:
            return self.forced(argument[0], not wanted)
        if function == "Fn::Equals" and len(argument) == 2:
            if self.evaluation.truth(node) is not (not wanted):
                return {}  # not the opposite with the defaults (or not known)
            read = parameters_read(node, self.conditions, self.parameters, self.operand)
            if len(read) != 1:
                return {}
            (parameter,) = read
            return {parameter: self.equal_text(argument, parameter) if wanted else None}
        if function in ("Fn::And", "Fn::Or") and argument:
            if (function == "Fn::And") != wanted and len(argument) > 1:
                return {}  # one operand of several must change, which one is not known
            found: dict[str, str | None] = {}
            for item in argument:
                if self.evaluation.truth(item) is (not wanted):
                    for parameter, text in self.forced(item, wanted).items():
                        found[parameter] = _together(found, parameter, text)
            return found
        return {}

    def equal_text(self, operands: list[Any], parameter: str) -> str | None:
        """The text ``!Equals [!Ref parameter, text]`` (either way round) holds the parameter
        to; None when the other operand is not a written text."""
        for mine, other in (operands, operands[::-1]):
            reads = parameters_read(mine, self.conditions, self.parameters, self.operand)
            if isinstance(mine, dict) and set(mine) == {"Ref"} and reads == {parameter}:
                return written_operand(other)
        return None


def _together(found: Mapping[str, str | None], parameter: str, text: str | None) -> str | None:
    """What two tests that must both hold leave of one parameter: the text one holds it to
    (the other only rules its default out), else only that it is not its default (two texts
    that differ hold together nowhere, so nothing is certain of the value)."""
    if parameter not in found:
        return text
    earlier = found[parameter]
    if earlier is None or text is None:
        return earlier if text is None else text
    return earlier if earlier == text else None


class _Evaluation:
    def __init__(
        self, conditions: Mapping[str, Any], operand: OperandText, may_be: MayBe | None = None
    ) -> None:
        self.conditions = conditions
        self.operand = operand
        self.may_be = may_be
        self.open: set[str] = set()  # conditions being evaluated: a cycle is undecided
        self.followed = 0

    def condition(self, name: str) -> bool | None:
        if name in self.open or name not in self.conditions or self.followed >= MAX_CONDITIONS:
            return None
        self.followed += 1
        self.open.add(name)
        try:
            return self.truth(self.conditions[name])
        finally:
            self.open.discard(name)

    def truth(self, node: Any) -> bool | None:
        if not isinstance(node, dict) or len(node) != 1:
            return None
        function, argument = next(iter(node.items()))
        if function == "Condition":
            return self.condition(argument) if isinstance(argument, str) else None
        if not isinstance(argument, list):
            return None
        if function == "Fn::Equals" and len(argument) == 2:
            left, right = self.operand(argument[0]), self.operand(argument[1])
            if left is not None and right is not None:
                return left == right
            if self.may_be is not None and (left is None) != (right is None):
                unknown, text = (argument[0], right) if left is None else (argument[1], left)
                if text is not None and not self.may_be(unknown, text):
                    return False  # no deployment CloudFormation accepts makes them equal
            return None
        if function == "Fn::Not" and len(argument) == 1:
            inner = self.truth(argument[0])
            return None if inner is None else not inner
        if function in ("Fn::And", "Fn::Or") and argument:
            truths = [self.truth(item) for item in argument]
            decisive: bool = function == "Fn::Or"  # the truth one operand settles the whole with
            if decisive in truths:
                return decisive
            return None if None in truths else not decisive
        return None
