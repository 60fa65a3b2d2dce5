"""The layout tab inside the desk: click an ad to edit it, and an edit shows in the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import Qt

from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow

DAY = dt.date(2023, 2, 24)


@pytest.fixture
def desk(qtbot, demo_db: Path) -> Iterator[MainWindow]:
    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(demo_db))
    window.show_issue(DAY)
    window.show()
    qtbot.waitUntil(lambda: window.editor.category.count() > 0)
    yield window
    window.editor.clear_for_new()
    window.close()
    executor.shutdown()


def _ad_lines(window: MainWindow, ad_id: int) -> list[str]:
    layout = window.layout_view.layout_result()
    assert layout is not None
    return [line.text for line in layout.find(ad_id).lines]


def test_click_in_layout_opens_ad_and_saved_edit_shows_in_column(qtbot, desk: MainWindow) -> None:
    view = desk.layout_view
    qtbot.waitUntil(
        lambda: view.layout_result() is not None and len(view.layout_result().placed) == 13
    )
    desk.tabs.setCurrentWidget(view)
    box = view.layout_result().find(3).box  # 纱窗加工安装
    point = view.canvas.widget_point(box.x + box.w / 2, box.y + box.h / 2)
    view.scroll_area.ensureVisible(point.x(), point.y())
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: desk.editor.ad_id() == 3)
    assert desk.editor.title.text() == "纱窗加工安装"

    desk.editor.title.selectAll()
    type_text(qtbot, desk.editor.title, "纱窗门窗安装")
    qtbot.keyClick(desk.editor.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "纱窗门窗安装" in _ad_lines(desk, 3))


def test_a_new_ad_is_booked_on_the_issue_at_hand(qtbot, desk: MainWindow) -> None:
    assert desk.editor.run_dates.dates() == [DAY]
    desk.act_new.trigger()
    assert desk.editor.run_dates.dates() == [DAY]
