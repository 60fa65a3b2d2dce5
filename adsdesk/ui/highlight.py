"""Paints list cells with every occurrence of the search text highlighted."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from adsdesk.domain.textnorm import to_halfwidth
from adsdesk.ui.ad_table import MARKS_ROLE

MARK = "<span style='background:#ffe26a;color:#000'>{0}</span>"


def spans_html(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` as HTML with the given (start, end) spans marked."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(MARK.format(html.escape(text[start:end])))
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def marked_html(text: str, query: str) -> str:
    """``text`` as HTML with each case-insensitive, width-insensitive match of ``query`` marked."""
    needle = to_halfwidth(query).strip().lower()
    if not needle:
        return html.escape(text)
    hay = to_halfwidth(text).lower()  # same length as text, so offsets carry over
    out, pos = [], 0
    while True:
        hit = hay.find(needle, pos)
        if hit < 0:
            break
        out.append(html.escape(text[pos:hit]))
        out.append(MARK.format(html.escape(text[hit : hit + len(needle)])))
        pos = hit + len(needle)
    out.append(html.escape(text[pos:]))
    return "".join(out)


class HighlightDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = ""

    def set_query(self, query: str) -> None:
        self._query = query

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        text = index.data() or ""
        if not self._query or not isinstance(text, str) or not text:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        spans = index.data(MARKS_ROLE)
        doc.setHtml(spans_html(text, spans) if spans else marked_html(text, self._query))
        painter.save()
        painter.translate(
            opt.rect.left() + 2, opt.rect.top() + (opt.rect.height() - doc.size().height()) / 2
        )
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(
                QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText)
            )
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 4, opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
