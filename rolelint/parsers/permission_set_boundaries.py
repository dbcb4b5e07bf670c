"""The permissions boundary of an IAM Identity Center permission set, as CloudFormation
(``PermissionsBoundary``) and Terraform (``aws_ssoadmin_permissions_boundary_attachment``, in
configurations and plans) both give it.

Identity Center applies the boundary to the role the set creates in each account it is assigned
to, so it caps the set's policies as a role's boundary caps the role's: an AWS managed policy
rolelint ships is read and applied; a customer managed policy, named by name and path, is
looked up in each of those accounts and is never read, so findings say it may limit them, as
for a role whose boundary is not in the scanned files.
"""

from __future__ import annotations

from dataclasses import replace

from rolelint.model import PolicyDocument, Value

NOUN = "permission set"


def customer_managed(name: Value, path: Value | None) -> Value:
    """The boundary a customer managed policy reference names, as findings show it: its name,
    after its path when that is not ``/`` (``/team/dev-boundary``); unresolved when either is.

    A name another template exports (``Name: !ImportValue X``) is read once every file is
    parsed (rolelint.stack_exports): after its path, when the path is written out.  An
    unresolved path leaves the whole unknown, so no import of it, or of the name beside it, is
    read as the whole (the name alone, the path alone, is not what the boundary names)."""
    if path is None or path.text == "/":
        return name
    if path.text is None:
        return _not_imported(path if name.text is not None else name)
    prefix = f"{path.text.rstrip('/')}/"
    if name.text is None:
        parts = name.import_parts
        if parts is None:
            return name
        return replace(name, imported=None, imported_text=(prefix + parts[0], *parts[1:]))
    return replace(name, text=prefix + name.text)


def _not_imported(value: Value) -> Value:
    """An unresolved ``value`` that no export makes known."""
    if value.import_parts is None:
        return value
    return replace(value, imported=None, imported_text=None)


def bounded(document: PolicyDocument, boundary: Value | None, holder: str) -> PolicyDocument:
    """``document``, a policy of permission set ``holder``, with the set's boundary: ``boundary``
    the ARN of an AWS managed policy (read when rolelint ships it), the name of a customer
    managed one (:func:`customer_managed`, never read), or unresolved; the document unchanged
    without one."""
    from rolelint.managed_policies import boundary_for  # its data is read only when needed

    if boundary is None:
        return document
    read = boundary_for(boundary, holder, NOUN)
    return replace(
        document,
        holder_boundary=boundary,
        holder_boundaries=(read,) if read is not None else (),
    )
