"""The preview canvas: paints a layout with the shared renderer at a zoom; clicks pick ads."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from adsdesk.layout.render import paint_layout
from adsdesk.layout.result import Layout

SELECT = QColor(30, 110, 220)
PIN_MARK = QColor(230, 120, 20)


class LayoutCanvas(QWidget):
    """Paints the block with the shared renderer at a zoom; clicks pick ads."""

    ad_clicked = Signal(int)
    menu_requested = Signal(int, QPoint)  # ad id (or -1), global position
    zoom_step = Signal(int)  # +1 / -1 from Ctrl+wheel

    MARGIN = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layoutCanvas")
        self._layout: Layout | None = None
        self._selected: int | None = None
        self._zoom = 1.0
        self._message = ""

    def set_layout(self, layout: Layout | None, message: str = "") -> None:
        self._layout = layout
        self._message = message
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def set_selected(self, ad_id: int | None) -> None:
        self._selected = ad_id
        self.update()

    def set_zoom(self, zoom: float) -> None:
        self._zoom = max(0.1, zoom)
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def zoom(self) -> float:
        return self._zoom

    def px_per_pt(self) -> float:
        """Screen pixels per point: 100 % is true size on a correctly set-up screen."""
        return self.logicalDpiX() / 72.0 * self._zoom

    def sizeHint(self) -> QSize:
        if self._layout is None:
            return QSize(400, 300)
        k = self.px_per_pt()
        return QSize(
            math.ceil(self._layout.width * k) + 2 * self.MARGIN,
            math.ceil(self._layout.height * k) + 2 * self.MARGIN,
        )

    def point_at(self, pos: QPointF) -> tuple[float, float]:
        k = self.px_per_pt()
        return (pos.x() - self.MARGIN) / k, (pos.y() - self.MARGIN) / k

    def widget_point(self, x_pt: float, y_pt: float) -> QPoint:
        k = self.px_per_pt()
        return QPoint(round(self.MARGIN + x_pt * k), round(self.MARGIN + y_pt * k))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(120, 124, 130))
        if self._layout is None:
            painter.setPen(QColor("white"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
            return
        layout = self._layout
        k = self.px_per_pt()
        painter.translate(self.MARGIN, self.MARGIN)
        painter.scale(k, k)
        paint_layout(painter, layout)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for ad in layout.placed:  # on screen only: marks for the clerk's own choices
            if ad.pinned or ad.forced_column:
                size = 7.0
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(PIN_MARK if ad.pinned else SELECT)
                b = ad.box
                painter.drawPolygon(
                    [
                        QPointF(b.right - size, b.y),
                        QPointF(b.right, b.y),
                        QPointF(b.right, b.y + size),
                    ]
                )
        chosen = layout.find(self._selected) if self._selected is not None else None
        if chosen is not None:
            r = QRectF(chosen.box.x, chosen.box.y, chosen.box.w, chosen.box.h)
            painter.fillRect(r, QColor(30, 110, 220, 40))
            pen = QPen(SELECT, 2.0 / k)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(r)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._layout is None:
            return super().mousePressEvent(event)
        ad = self._layout.ad_at(*self.point_at(event.position()))
        self.ad_clicked.emit(ad.ad_id if ad else -1)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self._layout is None:
            return
        ad = self._layout.ad_at(*self.point_at(QPointF(event.pos())))
        self.menu_requested.emit(ad.ad_id if ad else -1, event.globalPos())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_step.emit(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
        else:
            super().wheelEvent(event)
