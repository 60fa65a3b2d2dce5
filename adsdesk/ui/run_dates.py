"""Pick the issue dates an ad runs: click dates on a calendar, or a start date and a count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class RunDates(QWidget):
    """A set of issue dates; clicking a calendar day toggles it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dates: set[dt.date] = set()
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("runCalendar")
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._toggle)
        self.calendar.activated.connect(self._toggle)

        self.start = QDateEdit()
        self.start.setObjectName("runStart")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setDate(QDate.currentDate())
        self.days = QSpinBox()
        self.days.setObjectName("runDays")
        self.days.setRange(1, 366)
        self.days.setSuffix(self.tr(" 天"))
        self.add_run = QPushButton(self.tr("连续刊登"))
        self.add_run.setObjectName("runAdd")
        self.add_run.setToolTip(self.tr("从起始日起连续 N 天，每天一期"))
        self.add_run.clicked.connect(self._add_run)
        self.clear_btn = QPushButton(self.tr("清空"))
        self.clear_btn.clicked.connect(self.clear)
        self.summary = QLabel()
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("起始")))
        row.addWidget(self.start)
        row.addWidget(self.days)
        row.addWidget(self.add_run)
        row.addWidget(self.clear_btn)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        self._refresh()

    def dates(self) -> list[dt.date]:
        return sorted(self._dates)

    def set_dates(self, dates: list[dt.date]) -> None:
        self._paint(self._dates, selected=False)
        self._dates = set(dates)
        if dates:
            first = min(dates)
            self.calendar.setSelectedDate(to_qdate(first))
            self.start.setDate(to_qdate(first))
        self._refresh()

    def clear(self) -> None:
        if self._dates:
            self._paint(self._dates, selected=False)
            self._dates.clear()
            self._refresh()
            self.changed.emit()

    def add_days(self, start: dt.date, count: int) -> None:
        self._dates.update(start + dt.timedelta(days=i) for i in range(count))
        self._refresh()
        self.changed.emit()

    def _toggle(self, day: QDate) -> None:
        d = to_date(day)
        if d in self._dates:
            self._dates.discard(d)
            self._paint({d}, selected=False)
        else:
            self._dates.add(d)
        self._refresh()
        self.changed.emit()

    def _add_run(self) -> None:
        self.add_days(to_date(self.start.date()), self.days.value())

    def _paint(self, dates: set[dt.date], selected: bool) -> None:
        fmt = QTextCharFormat()
        if selected:
            fmt.setBackground(QBrush(QColor("#2f6fb3")))
            fmt.setForeground(QBrush(QColor("white")))
            fmt.setFontWeight(QFont.Weight.Bold)
        for d in dates:
            self.calendar.setDateTextFormat(to_qdate(d), fmt)

    def _refresh(self) -> None:
        self._paint(self._dates, selected=True)
        dates = self.dates()
        if not dates:
            self.summary.setText(self.tr("尚未安排刊登日期：点日历上的日期选择，再点一次取消。"))
        elif len(dates) <= 6:
            self.summary.setText(
                self.tr("刊登 {0} 期：{1}").format(
                    len(dates), "、".join(d.isoformat() for d in dates)
                )
            )
        else:
            self.summary.setText(
                self.tr("刊登 {0} 期：{1} 至 {2}").format(
                    len(dates), dates[0].isoformat(), dates[-1].isoformat()
                )
            )
