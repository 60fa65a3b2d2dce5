"""Which ads 导出表格 writes: every ad, or those running within a date range."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.ui.run_dates import to_date, to_qdate


class ExportRangeDialog(QDialog):
    """Starts on the list's issue date when the list shows one, else on every ad."""

    def __init__(self, issue: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportRangeDialog")
        self.setWindowTitle(self.tr("导出表格"))
        self.every = QRadioButton(self.tr("全部广告"))
        self.ranged = QRadioButton(self.tr("刊登日期在此范围内的广告："))
        group = QButtonGroup(self)
        group.addButton(self.every)
        group.addButton(self.ranged)
        day = to_qdate(issue) if issue else QDate.currentDate()
        self.date_from = QDateEdit(day)
        self.date_to = QDateEdit(day)
        for edit, name in ((self.date_from, "exportFrom"), (self.date_to, "exportTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.ranged.setChecked(True))
        (self.ranged if issue else self.every).setChecked(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        if issue:
            self.note.setText(self.tr("列表正显示 {0} 这一期，默认只导出这一期。").format(issue))
        row = QHBoxLayout()
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("至")))
        row.addWidget(self.date_to)
        row.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setObjectName("exportRangeError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.every)
        layout.addWidget(self.ranged)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """(from, to) chosen; (None, None) for every ad."""
        if self.every.isChecked():
            return None, None
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def file_stem(self) -> str:
        start, end = self.date_range()
        if start is None or end is None:
            return self.tr("便民信息广告")
        if start == end:
            return self.tr("便民信息广告-{0}").format(start)
        return self.tr("便民信息广告-{0}至{1}").format(start, end)

    def _accept(self) -> None:
        start, end = self.date_range()
        if start and end and start > end:
            self.error.setText(self.tr("起始日期晚于截止日期，请改正。"))
            return
        self.accept()
