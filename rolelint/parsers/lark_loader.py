"""lark, imported for the HCL parser without the ``regex`` module when that is safe.

lark imports the third-party ``regex`` module whenever it is installed, and python-hcl2
requires it: 13 ms of every check of an edited ``.tf`` file, for two things python-hcl2's
grammar never uses (``Lark(regex=True)`` and Unicode property classes in terminals).  So the
command line, which owns its process (rolelint.process_owner), imports lark with ``regex``
hidden, which lark takes as not installed.  The module is importable again at once, for
python-hcl2's own modules.  An application that imports rolelint may use lark with ``regex``
itself: there lark is imported as usual.
"""

from __future__ import annotations

import sys


def _import_lark() -> None:
    from rolelint import process_owner

    hide = process_owner.claimed() and "lark" not in sys.modules and "regex" not in sys.modules
    if hide:
        sys.modules["regex"] = None  # type: ignore[assignment]  # import regex: ImportError
    try:
        import lark  # noqa: F401
    finally:
        if hide:
            del sys.modules["regex"]


_import_lark()

from lark import Token, Tree  # noqa: E402

__all__ = ["Token", "Tree"]
