"""The Read tab: a node and everything below it, English beside Chinese, with the bound
figures filled in and highlighted as links to their indicator (``indicator:KEY``)."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from ..i18n import _
from ..model import Node, display_title
from ..prose.bindings import BindingError, render_spans
from ..prose.cross_refs import NodeNumbers


class ReadingView(QTextBrowser):
    """Shows a node's texts read-only; a click on a figure names its indicator."""

    #: A bound figure was clicked, or the mouse is over one: the indicator's key.
    figureClicked = Signal(str)
    figureHovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodeText")
        self.setOpenLinks(False)  # a bound figure's link selects its indicator
        self.anchorClicked.connect(lambda url: self.figureClicked.emit(_key(url)))
        self.highlighted.connect(lambda url: self.figureHovered.emit(_key(url)))

    def show_node(self, node: Node | None, values: dict, year: int,
                  refs: NodeNumbers | None = None) -> None:
        """Show ``node`` (None: nothing) with the figures of ``values`` and, with ``refs``,
        the current numbers of the parts and sections its texts refer to."""
        if node is None:
            self.clear()
        else:
            self.setHtml(_node_html(node, values, year, _figure_colours(self.palette()),
                                    refs))


def _key(url: QUrl) -> str:
    return url.toString().removeprefix("indicator:")


def _figure_colours(palette: QPalette) -> tuple[str, str]:
    """Background and text colour of a bound figure, readable in light and dark themes."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return ("#1f3b5c", "#cfe3ff") if dark else ("#dcecff", "#0b3d91")


def _node_html(node: Node, values: dict, year: int,
               colours: tuple[str, str] = ("#dcecff", "#0b3d91"),
               refs: NodeNumbers | None = None) -> str:
    """The node's titles and paragraph texts, English beside Chinese, escaped; bound figures
    filled in and highlighted as links to their indicator (``indicator:KEY``)."""
    english, chinese, missing = _("English"), _("Chinese"), _("(not translated)")
    rows = []
    for item in node.walk():
        cells = []
        for lang in ("en", "zh"):
            title = display_title(item, lang) if item.kind != "paragraph" else ""
            if title and refs is not None:
                title = refs.fill(title, lang)
            text = item.text(lang)
            parts = []
            if title:
                parts.append(f"<h3>{html.escape(title)}</h3>")
            if text:
                parts.append(f"<p>{_bound_html(text, lang, values, year, colours, refs)}</p>")
            cells.append("".join(parts) or f"<p style='color:gray'>{html.escape(missing)}</p>")
        rows.append("<tr>" + "".join(f"<td width='50%' valign='top'>{c}</td>" for c in cells)
                    + "</tr>")
    head = (f"<tr><th align='left'>{html.escape(english)}</th>"
            f"<th align='left'>{html.escape(chinese)}</th></tr>")
    return f"<table width='100%' cellspacing='8'>{head}{''.join(rows)}</table>"


def _bound_html(text: str, lang: str, values: dict, year: int,
                colours: tuple[str, str], refs: NodeNumbers | None = None) -> str:
    """A paragraph as HTML: each bound figure highlighted; a broken reference in red."""
    try:
        rendered, spans = render_spans(text, lang, values, year, refs=refs)
    except BindingError as exc:
        return (f"{html.escape(text)}<br><span style='color:#d0342c'>"
                f"{html.escape(str(exc))}</span>")
    background, foreground = colours
    out, last = [], 0
    for start, end, binding in spans:
        out.append(html.escape(rendered[last:start]))
        out.append(f"<a href='indicator:{html.escape(binding.key)}' style='background-color:"
                   f"{background}; color:{foreground}; text-decoration:none'>"
                   f"{html.escape(rendered[start:end])}</a>")
        last = end
    out.append(html.escape(rendered[last:]))
    return "".join(out)
