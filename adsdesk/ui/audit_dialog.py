"""工具 → 操作记录…: the audit, filtered by user, dates and ad number, and exported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adsdesk.store.audit import AuditEntry, entries
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.history_view import ACTIONS, describe

COLUMNS = ("时间", "人员", "电脑", "操作", "广告", "内容", "理由", "批准")


class AuditDialog(QDialog):
    """Every recorded change matching the filters, oldest first; 导出… writes what is shown.

    ``fetch`` replaces the filtered query (the order's own history uses it); the filters
    are hidden then, since the rows are already chosen.
    """

    def __init__(
        self,
        executor: DbExecutor,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        fetch: Callable[[], list[AuditEntry]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title or self.tr("操作记录"))
        self.resize(1000, 600)
        self.executor = executor
        self._fetch = fetch
        self.found: list[AuditEntry] = []
        self._asked = 0
        self.user = QLineEdit()
        self.user.setObjectName("auditUser")
        self.user.setPlaceholderText(self.tr("用户名或电脑名"))
        self.ad = QLineEdit()
        self.ad.setObjectName("auditAd")
        self.ad.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.ad.setPlaceholderText(self.tr("广告编号"))
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-30))
        self.end = QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        for line in (self.user, self.ad):
            line.returnPressed.connect(self.refresh)
        self.search_button = QPushButton(self.tr("查询"))
        self.search_button.setObjectName("auditSearch")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setObjectName("auditExport")
        self.export_button.clicked.connect(lambda: self.export())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        self.heading = QLabel()
        self.heading.setObjectName("auditHeading")
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.filters = QWidget()
        top = QHBoxLayout(self.filters)
        top.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            (self.tr("人员"), self.user),
            (self.tr("从"), self.start),
            (self.tr("到"), self.end),
            (self.tr("广告"), self.ad),
        ):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addWidget(self.search_button)
        top.addStretch(1)
        self.filters.setVisible(fetch is None)
        bottom = QHBoxLayout()
        bottom.addWidget(self.heading, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.refresh()

    @staticmethod
    def _date(edit: QDateEdit) -> dt.date:
        d = edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        """Ask the database worker for the records the filters pick."""
        fetch = self._fetch
        if fetch is None:
            start, end = self._date(self.start), self._date(self.end)
            if end < start:
                self.heading.setText(self.tr("结束日期早于开始日期。"))
                return
            user = self.user.text().strip() or None
            ad_text = self.ad.text().strip()
            ad_id = int(ad_text) if ad_text.isdigit() else None

            def fetch() -> list[AuditEntry]:
                return entries(ad_id=ad_id, user=user, date_from=start, date_to=end)

        self._asked += 1
        asked = self._asked
        self.heading.setText(self.tr("正在查询…"))
        self.executor.submit(lambda: (asked, fetch()), self._shown, self._failed)

    def _shown(self, result: tuple[int, list[AuditEntry]]) -> None:
        asked, found = result
        if asked != self._asked:
            return  # a newer query is on its way
        self.found = found
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.heading.setText(
            self.tr("共 {0} 条记录").format(len(rows)) if rows else self.tr("没有符合条件的记录。")
        )
        self.export_button.setEnabled(bool(rows))

    def rows(self) -> list[list[str]]:
        """The records as the table shows them (and the export writes them)."""
        return [
            [
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.user or self.tr("（未登录）"),
                e.computer,
                self.tr(ACTIONS.get(e.action, e.action)),
                "" if e.ad_id is None else str(e.ad_id),
                describe(e),
                e.reason,
                e.approver,
            ]
            for e in self.found
        ]

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (tests read it)."""
        return [
            [
                (item.text() if (item := self.table.item(r, c)) is not None else "")
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]

    def export(self, path: str | None = None) -> None:
        """Write the shown records to .xlsx or .csv (by the name chosen), whole or not at all."""
        if not self.found:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("导出操作记录"),
                str(Path.home() / "操作记录.xlsx"),
                "Excel (*.xlsx);;CSV (*.csv)",
            )
        if not path:
            return
        from adsdesk.io.audit_files import write_audit_file

        try:
            write_audit_file([self.tr(c) for c in COLUMNS], self.rows(), Path(path))
        except Exception as exc:  # the folder, the disk: one sentence
            self.heading.setText(str(exc))
            return
        self.heading.setText(self.tr("已导出到 {0}").format(path))

    def _failed(self, message: str) -> None:
        self.heading.setText(message)
