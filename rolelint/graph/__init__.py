"""Who can become whom: the assume-role graph of one scan, built from the role model and drawn.

:mod:`rolelint.graph.model` holds the graph (nodes and edges that keep their file and line),
:mod:`rolelint.graph.build` builds it from an :class:`~rolelint.model.Inventory`, and
:mod:`rolelint.graph.render` draws it as Graphviz DOT, Mermaid or JSON.  Rules about chaining
read the same graph, so a drawing and a finding never disagree.
"""
