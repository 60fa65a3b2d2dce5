"""Has this number advertised before? The editor says so, links the advertiser, repeats an ad."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import type_text
from PySide6.QtCore import Qt

from adsdesk.store import ads as ads_store
from adsdesk.ui.main_window import MainWindow


@pytest.fixture
def desk(demo_desk: MainWindow) -> MainWindow:
    return demo_desk


def test_known_number_names_its_advertiser_and_links(qtbot, desk: MainWindow) -> None:
    editor = desk.editor
    type_text(qtbot, editor.body, "新开养老床位 1390352849")
    assert not editor.history.isVisible()  # incomplete: nothing to look up yet
    type_text(qtbot, editor.body, "5")
    qtbot.waitUntil(editor.history.isVisible)
    text = editor.history.text()
    assert "大同馨万家养老中心" in text and "2023-02-24" in text and "1 则" in text
    qtbot.mouseClick(editor.link_button, Qt.MouseButton.LeftButton)
    assert editor.advertiser.text() == "大同馨万家养老中心"
    assert "已有客户" in editor.advertiser_note.text()


def test_repeat_last_ad_from_the_banner(qtbot, desk: MainWindow) -> None:
    editor = desk.editor
    type_text(qtbot, editor.body, "电话 17635217373")
    qtbot.waitUntil(editor.repeat_button.isVisible)
    qtbot.mouseClick(editor.repeat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.title.text() == "石磨浆水豆腐")
    assert editor.ad_id() is None and editor.run_dates.dates() == []
    assert editor.category.currentText() == "食品"


def test_ctrl_r_books_the_open_ad_again(qtbot, desk: MainWindow) -> None:
    qtbot.waitUntil(lambda: desk.model.rowCount() == 13)
    desk.table.selectRow(0)
    qtbot.waitUntil(lambda: desk.editor.ad_id() is not None)
    old = desk.editor.ad_id()
    title = desk.editor.title.text()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    desk.table.setFocus()
    qtbot.keyClick(desk.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.editor.ad_id() is None and desk.editor.title.text() == title)
    desk.editor.run_dates.set_run(dt.date(2023, 3, 1), 2)
    qtbot.keyClick(desk.editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.editor.ad_id() not in (None, old))
    copy = ads_store.load_ad(desk.editor.ad_id())
    assert copy.title == title and len(copy.dates) == 2
