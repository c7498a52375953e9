"""References from a text to a part or section (``{{§12}}``) that cannot print a number:
the node is gone (an error), or it has no number (a warning: its title is printed)."""

from __future__ import annotations

from ..i18n import _
from ..model import Node, display_title
from ..prose.cross_refs import MISSING, NodeNumbers, cross_ref
from ..report_text import node_place, walk_with_path
from .finding import Finding


def cross_reference_findings(tree: list[Node], refs: NodeNumbers) -> list[Finding]:
    """One finding per reference of the report's titles and texts to a node that is gone
    (error) or has no number (warning), in report order; code ``cross-reference``."""
    findings = []
    for node, path in walk_with_path(tree):
        findings += node_cross_references(node, path, refs)
    return findings


def node_cross_references(node: Node, path: list[Node], refs: NodeNumbers) -> list[Finding]:
    """The ``cross-reference`` findings of one node's titles and texts."""
    findings = []
    for lang in ("en", "zh"):
        texts = (node.title(lang), node.text(lang))
        for ref, target in refs.problems(texts):
            where = node_place(node, path, lang)
            source = cross_ref(ref.node_id, ref.form)
            if target is None:
                findings.append(Finding("error", "cross-reference", _(
                    "{reference} refers to a part or section that is no longer in the "
                    "report (deleted?); it prints {missing}").format(
                        reference=source, missing=MISSING), where, node.id))
            else:
                name = display_title(target, lang) or display_title(
                    target, "zh" if lang == "en" else "en")
                findings.append(Finding("warning", "cross-reference", _(
                    "{reference} refers to “{name}”, which has no number; its title is "
                    "printed instead").format(reference=source, name=name),
                    where, node.id))
    return findings
