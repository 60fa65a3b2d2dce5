"""The run-dates area's repeat row: weekdays (每周二、四), until a date or 长期 (until cancelled)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.repeats import WEEKDAY_NAMES, PatternError, RunPattern
from adsdesk.ui.run_dates import to_date, to_qdate


class RepeatRow(QWidget):
    """Tick weekdays, choose an end date or 长期, and 按星期排期 books the matching days."""

    apply_requested = Signal(object)  # RunPattern
    stop_requested = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[QToolButton] = []
        # two rows, so that the editor needs no sideways scrolling at 1024 px
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        rows.addLayout(row)
        row.addWidget(QLabel(self.tr("每周")))
        for i, name in enumerate(WEEKDAY_NAMES):
            b = QToolButton()
            b.setObjectName(f"repeatDay{i}")
            b.setText(name)
            b.setCheckable(True)
            b.setToolTip(self.tr("每周{0}刊登").format(name))
            self.days.append(b)
            row.addWidget(b)
        self.open_ended = QCheckBox(self.tr("长期"))
        self.open_ended.setObjectName("repeatOpenEnded")
        self.open_ended.setToolTip(self.tr("一直登到撤销为止（先排三个月，到时自动续排）"))
        self.open_ended.setChecked(True)
        self.until = QDateEdit()
        self.until.setObjectName("repeatUntil")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setDate(QDate.currentDate().addMonths(1))
        self.until.setEnabled(False)
        self.open_ended.toggled.connect(lambda on: self.until.setEnabled(not on))
        self.apply = QPushButton(self.tr("按星期排期"))
        self.apply.setObjectName("repeatApply")
        self.apply.setToolTip(self.tr("从起始日起，按勾选的星期排入刊登日期"))
        self.apply.clicked.connect(self._apply)
        self.stop = QPushButton(self.tr("取消规律"))
        self.stop.setObjectName("repeatStop")
        self.stop.setToolTip(self.tr("不再按星期续排；已排的日期保留，可在日历上逐个取消"))
        self.stop.clicked.connect(self.stop_requested)
        row.addStretch(1)
        row = QHBoxLayout()
        rows.addLayout(row)
        row.addWidget(self.open_ended)
        row.addWidget(QLabel(self.tr("或至")))
        row.addWidget(self.until)
        row.addWidget(self.apply)
        row.addWidget(self.stop)
        row.addStretch(1)

    def weekdays(self) -> tuple[int, ...]:
        return tuple(i for i, b in enumerate(self.days) if b.isChecked())

    def state(self) -> tuple[tuple[int, ...], bool, QDate]:
        """What the controls show, to tell whether the clerk has changed them."""
        return self.weekdays(), self.open_ended.isChecked(), self.until.date()

    def show_pattern(self, pattern: RunPattern | None) -> None:
        """Put a loaded ad's pattern in the controls (or clear them)."""
        for i, b in enumerate(self.days):
            b.setChecked(pattern is not None and i in pattern.weekdays)
        self.open_ended.setChecked(pattern is None or pattern.until is None)
        if pattern is not None and pattern.until is not None:
            self.until.setDate(to_qdate(pattern.until))

    def pattern_from(self, start: dt.date) -> RunPattern:
        until = None if self.open_ended.isChecked() else to_date(self.until.date())
        return RunPattern(self.weekdays(), start, until)

    def _apply(self) -> None:
        self.apply_requested.emit(None)

    def build(self, start: dt.date) -> RunPattern | None:
        try:
            return self.pattern_from(start)
        except PatternError as exc:
            self.failed.emit(str(exc))
            return None
