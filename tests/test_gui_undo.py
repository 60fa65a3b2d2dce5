"""Undo/redo across all the editor's fields with Ctrl+Z / Ctrl+Y."""

from __future__ import annotations

import datetime as dt

from conftest import type_text
from PySide6.QtCore import QDate, Qt

DAY = dt.date(2030, 3, 15)


def test_ctrl_z_and_ctrl_y_walk_back_and_forth_across_fields(qtbot, demo_desk) -> None:
    window = demo_desk
    window.new_ad()
    editor = window.editor
    editor.title.setFocus()
    type_text(qtbot, editor.title, "搬家")
    editor.body.setFocus()
    type_text(qtbot, editor.body, "专业搬家 13903528491")
    editor.category.setCurrentText("家居服务")
    editor.run_dates.start.setDate(QDate(DAY.year, DAY.month, DAY.day))
    editor.run_dates.days.setValue(1)
    qtbot.mouseClick(editor.run_dates.add_run, Qt.MouseButton.LeftButton)
    assert editor.run_dates.dates() == [DAY]

    editor.body.setFocus()
    qtbot.keyClick(editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.run_dates.dates() == []  # the last change first: the dates
    assert editor.body.toPlainText() == "专业搬家 13903528491"
    qtbot.keyClick(editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.category.currentText() == ""
    qtbot.keyClick(editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.body.toPlainText() == "" and editor.title.text() == "搬家"
    qtbot.keyClick(editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.title.text() == ""
    assert not editor.is_dirty()  # back where the new ad started

    editor.title.setFocus()
    for _ in range(3):
        qtbot.keyClick(editor.title, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.title.text() == "搬家"
    assert editor.body.toPlainText() == "专业搬家 13903528491"
    assert editor.category.currentText() == "家居服务"
    assert editor.run_dates.dates() == []
    qtbot.keyClick(editor.title, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.run_dates.dates() == [DAY]

    # a new change after an undo drops what could have been redone
    qtbot.keyClick(editor.title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, editor.title, "!")
    qtbot.keyClick(editor.title, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.run_dates.dates() == [] and editor.title.text().endswith("!")


def test_opening_another_ad_starts_a_fresh_history(qtbot, demo_desk) -> None:
    window = demo_desk
    editor = window.editor
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
    window.list_pane.table.selectRow(0)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    before = editor.title.text()
    editor.title.setFocus()
    qtbot.keyClick(editor.title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.title.text() == before and not editor.is_dirty()
