"""The holder every parser assembles a role in: each document and each known ARN held once, in
the order first attached, whatever mix of attachments, replacements and unresolved ARNs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.model import ManagedPolicyRef, PolicyDocument, PolicyKind, Value
from rolelint.parsers.holder import Holder
from rolelint.source import SourceRef


def _document(name: str) -> PolicyDocument:
    return PolicyDocument(PolicyKind.PERMISSIONS, SourceRef("t.yaml"), name, f"policy {name}", ())


# Pairs of documents equal in value but distinct objects: a holder tells them apart by identity,
# as two resources with the same text are two policies.
DOCUMENTS = [_document(name) for name in ("a", "b", "c")] + [_document(name) for name in ("a", "b")]
ARNS = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/p", None]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("attach"), st.integers(0, len(DOCUMENTS) - 1)),
        st.tuples(st.just("detach"), st.integers(0, len(DOCUMENTS) - 1)),
        st.tuples(st.just("managed"), st.integers(0, len(ARNS) - 1)),
    ),
    max_size=40,
)


@settings(max_examples=300, derandomize=True, database=None)
@given(operations)
def test_holder_agrees_with_a_list_searched_each_time(steps: list[tuple[str, int]]) -> None:
    holder = Holder()
    documents: list[PolicyDocument] = []  # the plain model: search, append, filter
    managed: list[ManagedPolicyRef] = []
    for operation, index in steps:
        if operation == "attach":
            document = DOCUMENTS[index]
            holder.attach(document)
            if not any(held is document for held in documents):
                documents.append(document)
        elif operation == "detach":
            document = DOCUMENTS[index]
            holder.detach(document)
            documents = [held for held in documents if held is not document]
        else:
            reference = ManagedPolicyRef(Value(ARNS[index], SourceRef("t.yaml")))
            holder.add_managed(reference)
            text = reference.arn.text
            if text is None or all(held.arn.text != text for held in managed):
                managed.append(reference)
        assert [id(d) for d in holder.policies] == [id(d) for d in documents]
        assert [id(m) for m in holder.managed] == [id(m) for m in managed]


def test_thousands_of_attachments_are_held_once_each_in_order() -> None:
    """The shape that was quadratic: many documents, each attached several times over."""
    documents = [_document(f"p{i}") for i in range(3_000)]
    holder = Holder()
    for _ in range(3):
        for document in documents:
            holder.attach(document)
    assert [id(d) for d in holder.policies] == [id(d) for d in documents]


def test_the_held_collections_cannot_be_changed_past_the_holder() -> None:
    """What the parsers read is a copy: an append there would bypass "held once"."""
    holder = Holder()
    holder.attach(DOCUMENTS[0])
    holder.add_managed(ManagedPolicyRef(Value(ARNS[0], SourceRef("t.yaml"))))
    assert isinstance(holder.policies, tuple)
    assert isinstance(holder.managed, tuple)
