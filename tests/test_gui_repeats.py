"""Repeat bookings in the desk: tick weekdays, 长期, 按星期排期, save; the renewal list."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from adsdesk.domain.repeats import RunPattern
from adsdesk.store.ads import AdDraft, load_ad, save_ad
from adsdesk.store.runs import load_pattern
from adsdesk.ui.run_dates import to_date, to_qdate


def test_weekday_pattern_books_the_days_and_is_saved_with_the_ad(qtbot, demo_desk) -> None:
    window = demo_desk
    editor = window.editor
    window.open_ad(6)
    qtbot.waitUntil(lambda: editor.ad_id() == 6, timeout=15000)
    runs = editor.run_dates
    monday = dt.date(2024, 3, 4)
    runs.start.setDate(to_qdate(monday))
    row = runs.repeat_row
    qtbot.mouseClick(row.days[1], Qt.MouseButton.LeftButton)  # 二
    qtbot.mouseClick(row.days[3], Qt.MouseButton.LeftButton)  # 四
    assert row.open_ended.isChecked()  # 长期 unless an end date is chosen
    qtbot.mouseClick(row.apply, Qt.MouseButton.LeftButton)
    dates = runs.dates()
    assert dates[0] == dt.date(2023, 2, 24)  # the day booked before the start stays
    assert dates[1:3] == [dt.date(2024, 3, 5), dt.date(2024, 3, 7)]
    assert all(d.weekday() in (1, 3) for d in dates[1:]) and dates[-1] >= dt.date(2024, 5, 30)
    assert "每周二、四" in runs.summary.text() and "长期" in runs.summary.text()
    assert editor.is_dirty()
    qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.is_dirty(), timeout=15000)
    assert load_pattern(6) == RunPattern((1, 3), monday)
    # (the layout tab's refresh may already have booked the 长期 run further ahead)
    assert load_ad(6).dates[: len(dates)] == dates

    # an end date instead of 长期: the days after it go
    row.open_ended.setChecked(False)
    row.until.setDate(QDate(2024, 3, 14))
    qtbot.mouseClick(row.apply, Qt.MouseButton.LeftButton)
    assert runs.dates()[1:] == [
        dt.date(2024, 3, 5),
        dt.date(2024, 3, 7),
        dt.date(2024, 3, 12),
        dt.date(2024, 3, 14),
    ]
    assert "至 2024-03-14" in runs.summary.text()


def _another_desk_saves(qtbot, window, body: str) -> None:
    """A save on another connection: the desk notices it and reloads what it shows."""
    with qtbot.waitSignal(window.list_pane.model.modelReset, timeout=15000):
        save_ad(AdDraft(category="家居服务", body=body, dates=[dt.date(2023, 2, 24)]))
    qtbot.waitUntil(lambda: window.executor.pending() == 0, timeout=15000)


def test_a_change_elsewhere_keeps_the_repeat_being_set_up(qtbot, demo_desk) -> None:
    window = demo_desk
    editor = window.editor
    window.open_ad(6)
    qtbot.waitUntil(lambda: editor.ad_id() == 6, timeout=15000)
    runs = editor.run_dates
    row = runs.repeat_row
    reloads: list[int] = []
    editor.loaded.connect(lambda: reloads.append(1))
    _another_desk_saves(qtbot, window, "搬家公司 一口价 13935210001")
    assert reloads  # an open ad nobody is editing shows the other desk's change

    reloads.clear()
    monday = dt.date(2024, 3, 4)
    runs.start.setDate(to_qdate(monday))
    qtbot.mouseClick(row.days[1], Qt.MouseButton.LeftButton)  # 二, not yet booked
    _another_desk_saves(qtbot, window, "搬家公司 长包月 13935210002")
    assert not reloads
    assert to_date(runs.start.date()) == monday and row.weekdays() == (1,)

    qtbot.mouseClick(row.apply, Qt.MouseButton.LeftButton)
    qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.is_dirty(), timeout=15000)
    # opened again, the ad shows its pattern from the pattern's start, not its first day
    window.open_ad(5)
    qtbot.waitUntil(lambda: editor.ad_id() == 5, timeout=15000)
    window.open_ad(6)
    qtbot.waitUntil(lambda: editor.ad_id() == 6, timeout=15000)
    assert to_date(runs.start.date()) == monday and row.weekdays() == (1,)
    assert "每周二" in runs.summary.text()


def test_renewal_list_shows_runs_ending_with_the_phone(qtbot, demo_desk) -> None:
    window = demo_desk
    today = dt.date.today()
    draft = load_ad(3)  # 纱窗加工安装: two more issues, the last in three days
    # (not tomorrow: after the 16:00 cut-off, tomorrow's issue needs a supervisor)
    draft.dates = [today + dt.timedelta(days=2), today + dt.timedelta(days=3)]
    save_ad(draft)
    window.open_renewals()
    dialog = window.renewals
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=15000)
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[0] == "#3 纱窗加工安装" and cells[2] == "18911267373"
    assert cells[3].endswith("（3 天后）") and cells[4] == "2 期"
    table = dialog.table  # the columns fill the list (the last one takes what is left)
    qtbot.waitUntil(
        lambda: table.horizontalHeader().length() >= table.viewport().width() - 1, timeout=3000
    )
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(cells[0])
    dialog.within.setValue(2)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=15000)
    dialog.within.setValue(3)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=15000)
    with qtbot.waitSignal(dialog.open_requested):
        dialog.table.cellDoubleClicked.emit(0, 0)
    qtbot.waitUntil(lambda: window.editor.ad_id() == 3, timeout=15000)
    dialog.close()
