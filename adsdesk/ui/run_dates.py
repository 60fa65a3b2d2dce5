"""Pick the issue dates an ad runs: click dates on a calendar, or a start date and a count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.repeats import HORIZON_DAYS, RunPattern

BOOKED_FILL = QColor("#2f6fb3")


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class BookingCalendar(QCalendarWidget):
    """A month calendar that paints exactly the booked days (filled) and nothing else as filled.

    The day under the keyboard cursor gets a thin frame, never a fill, so it cannot be taken for
    a booked day. A click books or unbooks the day it was pressed on, only when released on the
    same day of the month shown: a press on a grey day of the month before or after does nothing
    (Qt's calendar would turn the page under the mouse, and the release land on another day).
    """

    day_clicked = Signal(QDate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._booked: set[dt.date] = set()
        self._pressed: QDate | None = None
        view = self.findChild(QTableView, "qt_calendar_calendarview")
        assert view is not None, "QCalendarWidget has no day table"
        self.view: QTableView = view
        self.view.viewport().installEventFilter(self)
        self.activated.connect(self.day_clicked)  # Enter / Space on the framed day

    def set_booked(self, dates: set[dt.date]) -> None:
        self._booked = set(dates)
        self.view.viewport().update()

    def booked(self) -> set[dt.date]:
        return set(self._booked)

    # --- what is where ------------------------------------------------------------------
    def date_at(self, pos: QPoint) -> QDate | None:
        """The day whose cell is at ``pos`` (viewport coordinates), or None (header, outside)."""
        index = self.view.indexAt(pos)
        if not index.isValid() or not isinstance(index.data(), int):
            return None
        model = self.view.model()
        first = QDate(self.yearShown(), self.monthShown(), 1)
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                if model.index(row, col).data() == 1:  # the 1st of the month shown
                    return first.addDays(7 * (index.row() - row) + index.column() - col)
        return None

    def cell_rect(self, day: QDate) -> QRect | None:
        """Where ``day`` is drawn in the viewport, if it is on the page shown."""
        model = self.view.model()
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                rect = self.view.visualRect(model.index(row, col))
                if self.date_at(rect.center()) == day:
                    return rect
        return None

    def _in_month(self, day: QDate) -> bool:
        return day.month() == self.monthShown() and day.year() == self.yearShown()

    # --- painting -----------------------------------------------------------------------
    def paintCell(self, painter: QPainter, rect: QRect, date: QDate) -> None:
        booked = to_date(date) in self._booked
        palette = self.palette()
        painter.save()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        if booked:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), BOOKED_FILL)
        font = QFont(self.font())
        font.setBold(booked)
        painter.setFont(font)
        if booked:
            color = QColor("white")
        elif not self._in_month(date):
            color = QColor("#a0a0a0")
        elif date.dayOfWeek() >= 6:
            color = QColor("#b03030")
        else:
            color = palette.color(QPalette.ColorRole.Text)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(date.day()))
        if date == self.selectedDate():
            pen = QPen(QColor("#333333") if not booked else QColor("#f2b233"))
            pen.setWidth(1)
            pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()

    # --- clicks -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseMove,
        ) and isinstance(event, QMouseEvent):
            if kind == QEvent.Type.MouseMove:
                return bool(event.buttons())  # no dragging the selection onto another page
            if event.button() != Qt.MouseButton.LeftButton:
                return True
            day = self.date_at(event.position().toPoint())
            if kind != QEvent.Type.MouseButtonRelease:
                self._pressed = day if day is not None and self._in_month(day) else None
                return True
            pressed, self._pressed = self._pressed, None
            if day is not None and day == pressed and self._in_month(day):
                self.setSelectedDate(day)
                self.view.setFocus()
                self.day_clicked.emit(day)
            return True
        return super().eventFilter(watched, event)


class RunDates(QWidget):
    """A set of issue dates; clicking a calendar day toggles it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dates: set[dt.date] = set()
        self._repeat: RunPattern | None = None  # 每周二、四 / 长期, once applied
        self.calendar = BookingCalendar()
        self.calendar.setObjectName("runCalendar")
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.day_clicked.connect(self._toggle)

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
        self.add_run.setToolTip(self.tr("改为从起始日起连续 N 天，每天一期（替换已选日期）"))
        self.add_run.clicked.connect(self._add_run)
        self.clear_btn = QPushButton(self.tr("清空"))
        self.clear_btn.clicked.connect(self.clear)
        self.summary = QLabel()
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)

        # Two short rows, so the editor stays narrow enough for a 1024-pixel screen.
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("起始")))
        row.addWidget(self.start)
        row.addWidget(self.days)
        row.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_run)
        actions.addWidget(self.clear_btn)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addLayout(row)
        layout.addLayout(actions)
        from adsdesk.ui.run_repeat import RepeatRow  # the repeat row builds on this module

        self.repeat_row = RepeatRow()
        self.repeat_row.apply_requested.connect(lambda _p: self._apply_repeat())
        self.repeat_row.stop_requested.connect(self._stop_repeat)
        self.repeat_row.failed.connect(self.summary.setText)
        layout.addWidget(self.repeat_row)
        layout.addWidget(self.summary)
        self._refresh()
        self._settled: tuple[object, ...] = ()
        self._settle()

    def dates(self) -> list[dt.date]:
        return sorted(self._dates)

    def repeat(self) -> RunPattern | None:
        """The weekday pattern the dates follow, if one was applied (kept with the ad)."""
        return self._repeat

    def set_repeat(self, pattern: RunPattern | None) -> None:
        self._repeat = pattern
        self.repeat_row.show_pattern(pattern)
        if pattern is not None:  # the pattern's own start, not the first day booked
            self.start.setDate(to_qdate(pattern.start))
        self._refresh()
        self._settle()

    def _controls(self) -> tuple[object, ...]:
        return (self.start.date(), *self.repeat_row.state())

    def _settle(self) -> None:
        self._settled = self._controls()

    def composing(self) -> bool:
        """The clerk has changed the start date or the repeat row without booking it yet:
        reloading the ad (another desk's change) must not throw that away."""
        return self._controls() != self._settled

    def _apply_repeat(self) -> None:
        """Book the ticked weekdays from the start date: to the end date, or a season ahead
        for 长期 (the desk tops it up later); days before the start stay as they are."""
        start = to_date(self.start.date())
        pattern = self.repeat_row.build(start)
        if pattern is None:
            return
        through = pattern.until or start + dt.timedelta(days=HORIZON_DAYS)
        self._repeat = pattern
        self._dates = {d for d in self._dates if d < start} | set(pattern.dates(through))
        self.show_day(start)
        self._refresh()
        self._settle()
        self.changed.emit()

    def _stop_repeat(self) -> None:
        if self._repeat is not None:
            self._repeat = None
            self.repeat_row.show_pattern(None)
            self._refresh()
            self._settle()
            self.changed.emit()

    def set_dates(self, dates: list[dt.date]) -> None:
        self._dates = set(dates)
        if dates:
            self.show_day(min(dates))
        self._refresh()

    def show_day(self, day: dt.date) -> None:
        """Open the calendar at ``day`` and start a run there, without booking it."""
        self.calendar.setSelectedDate(to_qdate(day))
        self.calendar.setCurrentPage(day.year, day.month)
        self.start.setDate(to_qdate(day))

    def clear(self) -> None:
        if self._dates:
            self._dates.clear()
            self._refresh()
            self.changed.emit()

    def set_run(self, start: dt.date, count: int) -> None:
        """Book exactly ``count`` days from ``start`` (one issue a day), replacing the others."""
        self._dates = {start + dt.timedelta(days=i) for i in range(count)}
        self.show_day(start)
        self._refresh()
        self._settle()
        self.changed.emit()

    def _toggle(self, day: QDate) -> None:
        d = to_date(day)
        if d in self._dates:
            self._dates.discard(d)
        else:
            self._dates.add(d)
        self._refresh()
        self.changed.emit()

    def _add_run(self) -> None:
        self.set_run(to_date(self.start.date()), self.days.value())

    def _refresh(self) -> None:
        self.calendar.set_booked(self._dates)
        self.repeat_row.stop.setEnabled(self._repeat is not None)
        dates = self.dates()
        if self._repeat is not None:
            self.summary.setText(
                self.tr("按规律刊登：{0}；已排 {1} 期").format(self._repeat.describe(), len(dates))
            )
            return
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
