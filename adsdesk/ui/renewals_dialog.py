"""续订提醒: ads whose run ends within N days, with the customer's phone to call."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adsdesk.store.runs import EndingRun, runs_ending
from adsdesk.ui.dbexec import DbExecutor

HEADERS = ("广告", "客户", "电话", "末期", "还剩", "规律")


class RenewalsDialog(QDialog):
    """Runs ending soon, soonest first; double-click one to open the ad."""

    open_requested = Signal(int)

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("renewalsDialog")
        self.setWindowTitle(self.tr("续订提醒：即将到期的广告"))
        self.executor = executor
        self.today = dt.date.today()
        self.within = QSpinBox()
        self.within.setObjectName("renewalDays")
        self.within.setRange(0, 365)
        self.within.setValue(7)
        self.within.setSuffix(self.tr(" 天内到期"))
        self.within.valueChanged.connect(lambda _v: self.refresh())
        self.count = QLabel()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("renewalTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # columns fit their contents as rows arrive, the last takes the rest of the width
        # (resizeColumnsToContents() would shrink a stretched section back)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("列出")))
        top.addWidget(self.within)
        top.addWidget(self.count, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table)
        hint = QLabel(self.tr("长期（至撤销）的广告不会到期，不在此列。双击一行打开该广告。"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.resize(820, 420)
        self.refresh()

    def refresh(self) -> None:
        today, within = self.today, self.within.value()
        self.executor.submit(lambda: runs_ending(today, within), self._show)

    def _show(self, rows: list[EndingRun]) -> None:
        self.table.setRowCount(0)
        for r in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                f"#{r.ad_id} {r.title}",
                r.advertiser,
                "、".join(r.phones),
                self.tr("{0}（{1} 天后）").format(r.last_date.isoformat(), r.days_left),
                self.tr("{0} 期").format(r.runs_left),
                r.pattern,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.ad_id)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.count.setText(
            self.tr("共 {0} 则，请电话联系续订").format(len(rows)) if rows else self.tr("没有")
        )

    def _open(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.open_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
