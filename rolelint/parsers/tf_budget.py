"""How much evaluating one Terraform root module, with the modules it calls, may build.

References let a few lines of HCL describe a value of any size: a local that repeats the one
before it twice doubles it, thirty such locals make a billion strings (HCL's form of YAML's
"billion laughs"), and a string that repeats itself grows as fast.  The policy builder walks
values as trees, so a value shared at many places costs at each of them.  The YAML loader
refuses aliases that do this; here a value over a limit becomes unknown, which is never a guess
and so never a false positive, and the module gets a notice that names the place.  Module
calls multiply the same way (a module calling another ten times, nine levels deep), so a root
module follows at most :data:`MAX_MODULES` of them.

The limits are far above what IAM needs: a policy document holds at most 10,240 characters,
and on the Terraform corpus the largest value has a size of 676 and the most any root module
spends is 2,365 (53 of it on parsing policy text, over all 24 root modules).
"""

from __future__ import annotations

from typing import Any

from rolelint.model import Value
from rolelint.parsers.tree import MAX_TEXT, Choice, PMap, PSeq
from rolelint.source import SourceRef

MAX_SIZE = 200_000  # the size of one value (see Budget.size_of)
# The sizes of everything for expressions and functions build, and one per for iteration: 6.7 s
# of evaluation measured at worst (a for inside a for inside a for, over 10,000 items each).
MAX_WORK = 1_000_000
# Characters of policy text (a heredoc, a file's content, a JSON string) per unit of MAX_WORK,
# each time it is parsed: parsing with positions and building the policy costs about 0.4 s a
# MB, so 1,000,000 units are 10 MB of policy text, about 4 s.  A text is parsed wherever it is
# used: one long heredoc used by a thousand resources is parsed a thousand times.
CHARS_PER_PARSED_UNIT = 10
MAX_MODULES = 1_000  # module calls followed from one root module, at every level
CHARS_PER_UNIT = 100  # a string's size grows by one per this many characters
MAX_NUMBER_BITS = 1_024  # a product larger than this (about 308 digits) is not computed
# Blocks the dynamic blocks of one policy document may generate.  Nested dynamic blocks multiply
# (a statement per element of one list, a condition per element of another); past this, a
# dynamic block is analyzed once with its element unknown, as when its for_each is not known.
# It also bounds the instances one resource or module call's count or for_each makes.
MAX_GENERATED = 10_000
# Instances of resources and module calls with count or for_each, from one root module and the
# modules it calls: a module called for each of 1,000 elements, creating a role for each of
# 3,000, would be 3,000,000 roles.
MAX_INSTANCES = 20_000
# Values one reference marks with where it is used (tf_eval.used_at), and all references of a
# root module together: marking copies the value, so a large local used at many places would
# cost at each of them (a list of 1,000 strings used at 3,000 places took 16 s and 500 MB).
# One reference evaluated again with the same value (each instance of a count or for_each)
# reuses its copy and costs nothing more.  A policy element's list is far smaller; past either
# limit, values keep their own places alone, a suppression comment where one is used does not
# reach it, and the reference is remembered (Budget.unmarked) so that the comment is not called
# unused but said to be out of reach.
MAX_MARKED = 1_000
MAX_MARKS = 100_000

TOO_LARGE = (
    f"value too large to evaluate (over {MAX_SIZE:,} values or {MAX_SIZE * CHARS_PER_UNIT:,} "
    f"characters, or a string over {MAX_TEXT:,}); what uses it is not analyzed"
)
TOO_MUCH = (
    "module builds too much to evaluate (its for expressions, functions and policy texts, with "
    f"those of the modules it calls, built, went through or parsed over {MAX_WORK:,} values); "
    "the rest of it is not analyzed"
)
TOO_MANY_BLOCKS = (
    f"dynamic blocks of this policy document generate over {MAX_GENERATED:,} blocks: this one is"
    " analyzed once, with its element unknown"
)


def too_many_instances_of_one(meta_argument: str) -> str:
    """The note for a resource or module call whose ``count`` or ``for_each`` (``meta_argument``)
    makes over :data:`MAX_GENERATED` instances: it names what the file holds, where the note
    about dynamic blocks named a construct that is not there."""
    bound = "count.index" if meta_argument == "count" else "each.key and each.value"
    return (
        f"{meta_argument} makes over {MAX_GENERATED:,} instances of this resource or module call:"
        f" it is analyzed once, with {bound} unknown"
    )


TOO_MANY_INSTANCES = (
    f"count and for_each make over {MAX_INSTANCES:,} instances of resources and module calls"
    " from this root module: this one is analyzed once, with its count or each unknown"
)
TOO_MANY_MODULES = (
    f"module calls past the {MAX_MODULES:,}th from this root module are not followed (modules "
    "call modules many times over); their roles are not analyzed and their outputs stay unknown"
)

# Values at least this size have their size remembered: a smaller one is counted again when
# used, which costs little, and remembering every value would keep every intermediate alive.
_REMEMBERED = 64
# Collections nested deeper than this are too large: nothing legitimate nests so deep, and the
# count recurses (the loaders refuse documents nested 200 deep).
_MAX_NESTING = 200


class Budget:
    """What the evaluators of one root module and the modules it calls have built, shared by
    them all: values pass from module to module as inputs and outputs."""

    def __init__(self) -> None:
        self._sizes: dict[int, tuple[Any, int]] = {}  # id -> (the value, kept alive; its size)
        self.spent = 0
        self.modules = 0  # module calls followed
        self.instances = 0  # instances of count and for_each made
        self.marks_left = MAX_MARKS  # values references may still mark (see MAX_MARKS)
        # Each value a reference has marked, and its marked copy, by the value's id and the
        # reference: the value is kept, so that its id is not another's later.
        self.marked: dict[tuple[int, SourceRef], tuple[Any, Any]] = {}
        self.unmarked: set[SourceRef] = set()  # references whose values went unmarked
        self._told: set[str] = set()

    def first_time(self, message: str) -> bool:
        """Whether ``message`` is said for the first time: a spent budget would otherwise be
        reported by every expression after it."""
        if message in self._told:
            return False
        self._told.add(message)
        return True

    def follow_module(self) -> bool:
        """Count one more module call followed; False past :data:`MAX_MODULES`."""
        self.modules += 1
        return self.modules <= MAX_MODULES

    def make_instances(self, count: int) -> bool:
        """Count ``count`` more instances of a resource or module call; False (and nothing
        counted) when they would go past :data:`MAX_INSTANCES`."""
        if self.instances + count > MAX_INSTANCES:
            return False
        self.instances += count
        return True

    def size_of(self, value: Any, nesting: int = 0) -> int:
        """One for each value of the tree, at every place a shared value is used, plus one per
        :data:`CHARS_PER_UNIT` characters of its strings and keys.  Counting stops soon after
        :data:`MAX_SIZE`, so the answer costs no more than the limit."""
        if isinstance(value, (PSeq, PMap)):
            known = self._sizes.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            if nesting > _MAX_NESTING:
                return MAX_SIZE + 1
            size = 1
            if isinstance(value, PMap):
                for key, item in value.items():
                    size += self.size_of(key, nesting + 1) + self.size_of(item, nesting + 1)
                    if size > MAX_SIZE:
                        break
            else:
                for item in value:
                    size += self.size_of(item, nesting + 1)
                    if size > MAX_SIZE:
                        break
            if size >= _REMEMBERED:
                self._sizes[id(value)] = (value, size)
            return size
        if isinstance(value, str):
            return 1 + len(value) // CHARS_PER_UNIT
        if isinstance(value, Value):
            return 1 + len(value.text or "") // CHARS_PER_UNIT
        text = getattr(value, "text", None)  # a PositionedText: a heredoc or a file's content
        if isinstance(text, str):
            return 1 + len(text) // CHARS_PER_UNIT
        if isinstance(value, Choice):  # each alternative is analyzed
            return sum(self.size_of(option, nesting + 1) for option in value.options)
        return 1

    def too_large(self, value: Any) -> bool:
        if isinstance(value, Value):
            return value.text is not None and len(value.text) > MAX_TEXT
        return self.size_of(value) > MAX_SIZE

    def charge(self, value: Any) -> None:
        """Count what a function built towards :data:`MAX_WORK`."""
        self.spent += self.size_of(value)

    def charge_parse(self, text: str) -> None:
        """Count parsing ``text`` as a policy towards :data:`MAX_WORK`."""
        self.spent += 1 + len(text) // CHARS_PER_PARSED_UNIT

    @property
    def exhausted(self) -> bool:
        return self.spent > MAX_WORK
