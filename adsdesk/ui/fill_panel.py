"""Fill gauges for the block and each column, and the list of ads that did not fit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from adsdesk.layout.geometry import mm_to_pt, pt_to_mm
from adsdesk.layout.result import Layout


class FillPanel(QWidget):
    """Answers "does one more ad fit today?" at a glance; names what is left over."""

    ad_selected = Signal(int)  # a left-over ad clicked
    ad_activated = Signal(int)  # a left-over ad double-clicked: open it in the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fillPanel")
        self.block_gauge = QProgressBar()
        self.block_gauge.setObjectName("blockFill")
        self.block_gauge.setRange(0, 1000)
        self.room_label = QLabel()
        self.room_label.setObjectName("layoutRoom")
        self.room_label.setWordWrap(True)
        self.gauges_box = QVBoxLayout()
        self.column_gauges: list[QProgressBar] = []
        self.left_title = QLabel(self.tr("排不下的广告"))
        self.left_list = QListWidget()
        self.left_list.setObjectName("leftOverList")
        self.left_list.setWordWrap(True)  # long titles and reasons wrap instead of being cut
        self.left_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.left_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.left_list.itemClicked.connect(
            lambda item: self.ad_selected.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.left_list.itemDoubleClicked.connect(
            lambda item: self.ad_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("整版占用")))
        layout.addWidget(self.block_gauge)
        layout.addWidget(self.room_label)
        layout.addWidget(QLabel(self.tr("各栏占用")))
        layout.addLayout(self.gauges_box)
        layout.addWidget(self.left_title)
        layout.addWidget(self.left_list, 1)

    def _gauges(self, n: int) -> None:
        while len(self.column_gauges) < n:
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setObjectName(f"columnFill{len(self.column_gauges)}")
            self.gauges_box.addWidget(bar)
            self.column_gauges.append(bar)
        while len(self.column_gauges) > n:
            bar = self.column_gauges.pop()
            self.gauges_box.removeWidget(bar)
            bar.deleteLater()

    def show_layout(self, layout: Layout | None, selected: int | None = None) -> None:
        self._gauges(len(layout.columns) if layout else 0)
        self.left_list.clear()
        if layout is None:
            self.block_gauge.setValue(0)
            self.block_gauge.setFormat("")
            self.room_label.setText("")
            self.left_title.setText(self.tr("排不下的广告"))
            return
        for bar, col in zip(self.column_gauges, layout.columns, strict=True):
            bar.setValue(round(min(col.fill, 1.0) * 1000))
            bar.setFormat(self.tr("第{0}栏 {1}%").format(col.index + 1, round(col.fill * 100)))
        self.block_gauge.setValue(round(min(layout.fill, 1.0) * 1000))
        self.block_gauge.setFormat(f"{round(layout.fill * 100)}%")
        s = layout.settings
        if layout.left_over:
            need = sum(x.needed for x in layout.left_over)
            self.room_label.setText(
                self.tr("版面已满：还有 {0} 则排不下，共需约 {1:.0f} mm 栏高。").format(
                    len(layout.left_over), pt_to_mm(need)
                )
            )
        else:
            room = max((c.capacity - c.used for c in layout.columns), default=0.0)
            inside = room - mm_to_pt(s.ad_gap_mm + 2 * s.box_padding_mm) - s.title_leading_pt
            lines = max(0, int(inside / s.body_leading_pt))
            self.room_label.setText(
                self.tr("最空的一栏还剩 {0:.0f} mm，够一则标题加 {1} 行正文的广告。").format(
                    pt_to_mm(room), lines
                )
            )
        self.left_title.setText(self.tr("排不下的广告（{0}）").format(len(layout.left_over)))
        for left in layout.left_over:
            title = left.title or self.tr("（无标题）")
            text = self.tr("#{0} {1}\n需 {2:.1f} mm栏高：{3}").format(
                left.ad_id, title, left.needed_mm, left.reason
            )
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, left.ad_id)
            self.left_list.addItem(item)
            if left.ad_id == selected:
                item.setSelected(True)
