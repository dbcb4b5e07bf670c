"""What several CI formats share: the project's addresses, and how a scanned path is named.

CI services (code scanning, annotations, merge-request widgets) match a reported file against
the checkout by its path relative to the repository root, written with forward slashes.
"""

from __future__ import annotations

PROJECT_URL = "https://github.com/rolelint/rolelint"
# Rule ids are never reused, so an anchor on the default branch keeps pointing at the right rule.
RULES_DOC_URL = PROJECT_URL + "/blob/main/docs/rules.md"


def repo_path(path: str) -> str:
    """The path as scanned, with forward slashes and without leading ``./`` segments.

    Scanning ``.`` yields ``./a.yaml``, which names the checkout's ``a.yaml``: services compare
    paths as strings, so the ``./`` would make them miss the file.  Absolute paths stay absolute
    (no service can map them; saying where the file was is still better than dropping it).
    """
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:].lstrip("/")  # ".//a.yaml" is "a.yaml", not the absolute "/a.yaml"
    return posix


def rule_doc_url(rule_id: str) -> str:
    """The rule's section of docs/rules.md (GitHub makes ``## RL101`` the anchor ``#rl101``)."""
    return f"{RULES_DOC_URL}#{rule_id.lower()}"
