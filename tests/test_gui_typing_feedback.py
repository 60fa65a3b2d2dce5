"""Phone list and 检查 panel agree: amber while a number is typed, the verdict once left."""

from __future__ import annotations

from conftest import type_text
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from adsdesk.ui.editor import AdEditor
from adsdesk.ui.main_window import MainWindow

AMBER, RED, GREEN = QColor("#a15c00"), QColor("#c0262d"), QColor("#1b7f3b")


def _phone_colors(editor: AdEditor) -> list[QColor]:
    v = editor.verdicts
    return [v.item(i).foreground().color() for i in range(v.count())]


def _check_lines(editor: AdEditor) -> list[tuple[str, QColor]]:
    f = editor.findings
    return [(f.item(i).text(), f.item(i).foreground().color()) for i in range(f.count())]


def _focused_editor(qtbot, desk: MainWindow) -> AdEditor:
    editor = desk.editor
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    editor.body.setFocus()
    qtbot.waitUntil(editor.body.hasFocus)
    return editor


def test_a_mobile_being_typed_is_amber_in_both_panels(qtbot, demo_desk: MainWindow) -> None:
    editor = _focused_editor(qtbot, demo_desk)
    type_text(qtbot, editor.body, "出租 电话 139 3521 66")
    assert _phone_colors(editor) == [AMBER]
    assert "输入中" in editor.verdicts.texts()[0]
    lines = _check_lines(editor)
    assert [t for t, _c in lines if "禁止" in t] == []  # not yet a verdict
    assert any(t.startswith("[输入中]") and c == AMBER for t, c in lines), lines
    assert "禁止" not in editor.status.text()
    assert not editor.override.isVisible()  # no supervisor needed for a half-typed number
    spans = editor.highlighter.spans_at(editor.body.toPlainText().index("139") + 1)
    assert [s.level for s in spans] == ["phone_typing"]

    type_text(qtbot, editor.body, "88")
    assert _phone_colors(editor) == [GREEN]
    assert not any("输入中" in t or "电话" in t for t, _c in _check_lines(editor))


def test_a_finished_ten_digit_typo_turns_red_after_tab(qtbot, demo_desk: MainWindow) -> None:
    editor = _focused_editor(qtbot, demo_desk)
    type_text(qtbot, editor.body, "出售 联系电话:1390352849")
    assert _phone_colors(editor) == [AMBER]
    assert any(t.startswith("[输入中]") for t, _c in _check_lines(editor))
    qtbot.keyClick(editor.body, Qt.Key.Key_Tab)
    assert not editor.body.hasFocus()
    assert _phone_colors(editor) == [RED]
    assert editor.verdicts.states() == ["invalid"]
    assert "10位" in editor.verdicts.texts()[0]
    lines = _check_lines(editor)
    assert any(t.startswith("[禁止]") and "10位" in t and c == RED for t, c in lines), lines
    assert not any("输入中" in t for t, _c in lines)
    spans = editor.highlighter.spans_at(editor.body.toPlainText().index("139") + 1)
    assert "phone_bad" in [s.level for s in spans]
    # back in the body at the end of the number: being typed again
    editor.body.setFocus()
    qtbot.waitUntil(editor.body.hasFocus)
    assert _phone_colors(editor) == [AMBER]


def test_moving_the_cursor_off_a_landline_gives_its_verdict(qtbot, demo_desk: MainWindow) -> None:
    editor = _focused_editor(qtbot, demo_desk)
    type_text(qtbot, editor.body, "家电维修 电话 0352-602")
    assert _phone_colors(editor) == [AMBER]
    assert any(t.startswith("[输入中]") for t, _c in _check_lines(editor))
    qtbot.keyClick(editor.body, Qt.Key.Key_Home)
    assert _phone_colors(editor) == [RED]
    assert any(t.startswith("[禁止]") for t, _c in _check_lines(editor))
    assert QApplication.focusWidget() is editor.body
