"""The run-dates calendar shows exactly the booked days; runs replace; a click books one day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor

from adsdesk.ui.run_dates import BOOKED_FILL, RunDates, to_date


def _shown_booked(rd: RunDates) -> set[dt.date]:
    """The days painted as booked on the page shown, read from the pixels."""
    cal = rd.calendar
    image = cal.view.viewport().grab().toImage()
    model = cal.view.model()
    out = set()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            rect = cal.view.visualRect(index)
            day = cal.date_at(rect.center())
            if day is None:
                continue
            assert index.data() == day.day()  # the cell shows that day's number
            if QColor(image.pixel(rect.left() + 3, rect.top() + 3)) == BOOKED_FILL:
                out.add(to_date(day))
    return out


def _click(qtbot, rd: RunDates, day: dt.date) -> None:
    rect = rd.calendar.cell_rect(QDate(day.year, day.month, day.day))
    assert rect is not None, day
    qtbot.mouseClick(rd.calendar.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _run_dates(qtbot) -> RunDates:
    rd = RunDates()
    qtbot.addWidget(rd)
    rd.resize(420, 320)
    rd.show()
    qtbot.waitExposed(rd)
    return rd


def test_run_replaces_the_dates_and_the_calendar_shows_exactly_them(qtbot) -> None:
    rd = _run_dates(qtbot)
    issue = dt.date(2023, 2, 24)
    rd.set_dates([issue])  # a new ad on an issue starts booked on it
    assert _shown_booked(rd) == {issue}
    rd.start.setDate(QDate(2023, 2, 6))
    rd.days.setValue(3)
    qtbot.mouseClick(rd.add_run, Qt.MouseButton.LeftButton)
    run = [dt.date(2023, 2, 6), dt.date(2023, 2, 7), dt.date(2023, 2, 8)]
    assert rd.dates() == run  # the 24th is gone: a run replaces
    assert _shown_booked(rd) == set(run)
    assert "刊登 3 期" in rd.summary.text()

    qtbot.mouseClick(rd.clear_btn, Qt.MouseButton.LeftButton)
    assert rd.dates() == []
    assert _shown_booked(rd) == set()  # the day last picked is not left looking booked
    assert "尚未安排" in rd.summary.text()


def test_clicking_days_toggles_them(qtbot) -> None:
    rd = _run_dates(qtbot)
    rd.show_day(dt.date(2023, 2, 24))
    _click(qtbot, rd, dt.date(2023, 2, 10))
    _click(qtbot, rd, dt.date(2023, 2, 14))
    assert rd.dates() == [dt.date(2023, 2, 10), dt.date(2023, 2, 14)]
    assert _shown_booked(rd) == {dt.date(2023, 2, 10), dt.date(2023, 2, 14)}
    _click(qtbot, rd, dt.date(2023, 2, 10))
    assert rd.dates() == [dt.date(2023, 2, 14)]
    assert _shown_booked(rd) == {dt.date(2023, 2, 14)}


def test_a_click_on_a_grey_day_of_another_month_books_nothing(qtbot) -> None:
    rd = _run_dates(qtbot)
    rd.show_day(dt.date(2023, 2, 24))
    # February 2023 ends on a Tuesday: 1-5 March are shown greyed in the last row
    _click(qtbot, rd, dt.date(2023, 3, 2))
    assert rd.dates() == []
    assert (rd.calendar.yearShown(), rd.calendar.monthShown()) == (2023, 2)  # page did not move
    # press on one day, release on another: nothing is booked either
    view = rd.calendar.view.viewport()
    a = rd.calendar.cell_rect(QDate(2023, 2, 7))
    b = rd.calendar.cell_rect(QDate(2023, 2, 8))
    assert a is not None and b is not None
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=a.center())
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=b.center())
    assert rd.dates() == []
    assert _shown_booked(rd) == set()


def test_keyboard_books_the_framed_day(qtbot) -> None:
    rd = _run_dates(qtbot)
    rd.show_day(dt.date(2023, 2, 24))
    rd.calendar.view.setFocus()
    qtbot.keyClick(rd.calendar.view, Qt.Key.Key_Right)
    qtbot.keyClick(rd.calendar.view, Qt.Key.Key_Return)
    assert rd.dates() == [dt.date(2023, 2, 25)]
    assert _shown_booked(rd) == {dt.date(2023, 2, 25)}
