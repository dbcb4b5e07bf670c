"""The names of the inventory's orders and filters, apart from their code: the command line
lists them in ``--help`` without importing the analysis (``rolelint --version`` stays fast)."""

from __future__ import annotations

SORTS = ("risk", "name", "file", "access", "session")
# How the table says the order it is in (the text footer), by sort name.
SORT_WORDS = {
    "risk": "most dangerous first",
    "name": "by name",
    "file": "by file and line",
    "access": "most powerful access first",
    "session": "longest session first",
}
assert set(SORT_WORDS) == set(SORTS)
FILTERS = {
    "outside": "assumable from outside your accounts (another account, a federation provider, "
    "anyone)",
    "admin": "admin-level, or able to escalate to it",
    "federated": "trusted by an OIDC or SAML provider",
    "findings": "with active findings",
    "chaining": "able to assume other scanned roles",
    "roles": "roles only (no users or groups)",
}
FORMATS = ("text", "json", "csv", "markdown")
