"""Saving as a clerk sees it: 保存 in view, refusals said where one looks, no stale labels."""

from __future__ import annotations

import datetime as dt

from conftest import type_text
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from adsdesk.store.settings import DeskSettings
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.settings_dialog import SettingsDialog, SettingsValues

RED, GREEN = QColor("#c0262d"), QColor("#1b7f3b")


def _colours(label: QLabel) -> set[tuple[int, int, int]]:
    image = label.grab().toImage()
    out = set()
    for y in range(image.height()):
        for x in range(image.width()):
            c = QColor(image.pixel(x, y))
            out.add((c.red(), c.green(), c.blue()))
    return out


def _rgb(c: QColor) -> tuple[int, int, int]:
    return c.red(), c.green(), c.blue()


def _fully_shown(widget: QWidget) -> bool:
    """On screen, inside the window, and not clipped by a scroll area or splitter."""
    if not widget.isVisible():
        return False
    window = widget.window()
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )
    return inside and widget.visibleRegion().boundingRect() == widget.rect()


def _save(qtbot, desk: MainWindow) -> None:
    qtbot.keyClick(desk.editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_a_new_ad_has_no_category_until_chosen(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.new_ad()
    assert editor.category.currentText() == ""
    assert editor.category.currentIndex() == -1
    type_text(qtbot, editor.body, "城区两室一厅出租，家具齐全，电话 13903528495")
    assert editor.category_hint.isVisible() and "房屋出租" in editor.category_hint.text()
    _save(qtbot, desk)
    assert editor.ad_id() is None
    why = editor.status.text()
    assert "分类" in why and "房屋出租" in why
    assert "分类" in desk.statusBar().currentMessage()  # said where the clerk looks, too
    assert _fully_shown(editor.status)
    assert _rgb(RED) in _colours(editor.status)
    qtbot.mouseClick(editor.use_hint, Qt.MouseButton.LeftButton)
    assert editor.category.currentText() == "房屋出租"
    assert editor.status.text() == ""  # the reason went when it stopped being true
    assert not editor.category_hint.isVisible()
    _save(qtbot, desk)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)


def test_empty_ad_reason_goes_once_text_is_pasted(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.new_ad()
    editor.category.setCurrentText("家居服务")
    _save(qtbot, desk)
    assert "广告是空的" in editor.status.text()
    assert "广告是空的" in desk.statusBar().currentMessage()
    editor.body.setFocus()
    QApplication.clipboard().setText("专业安装纱窗 电话 13903528495")
    qtbot.keyClick(editor.body, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "纱窗" in editor.body.toPlainText()
    assert "广告是空的" not in editor.status.text()


def test_saved_is_green_and_the_new_advertiser_is_on_file(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.new_ad()
    editor.category.setCurrentText("家居服务")
    type_text(qtbot, editor.advertiser, "王师傅纱窗")
    assert editor.advertiser_note.text() == "保存时新建客户"
    type_text(qtbot, editor.body, "纱窗安装 电话 13803521111")
    editor.run_dates.set_run(dt.date(2023, 3, 1), 1)
    _save(qtbot, desk)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    qtbot.waitUntil(lambda: "已有客户" in editor.advertiser_note.text())
    assert "保存时新建客户" not in editor.advertiser_note.text()
    assert editor.status.text() == "已保存。"
    colours = _colours(editor.status)
    assert _rgb(GREEN) in colours and _rgb(RED) not in colours
    type_text(qtbot, editor.body, "，上门测量")  # an edit: the ad is no longer as saved
    assert editor.status.text() == ""


def test_advertised_before_count_follows_a_rebook(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.new_ad()
    type_text(qtbot, editor.body, "电话 17635217373")
    qtbot.waitUntil(editor.repeat_button.isVisible)
    assert "共 1 则" in editor.history.text()
    qtbot.mouseClick(editor.repeat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.title.text() == "石磨浆水豆腐")
    editor.run_dates.set_run(dt.date(2023, 3, 3), 2)
    _save(qtbot, desk)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    qtbot.waitUntil(lambda: "共 2 则" in editor.history.text())
    assert "2023-03-04" in editor.history.text()


def test_save_stays_in_view_at_small_window_sizes(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    desk.show_issue(dt.date(2023, 2, 24))
    # an ad with a price, a warning and a wrong number fills every panel of the editor
    type_text(qtbot, desk.editor.body, "城区两室一厅出租，家具齐全，拎包入住。电话 139 3521 66")
    qtbot.keyClick(desk.editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    for w, h in ((1366, 768), (1024, 700), (900, 560)):
        desk.resize(w, h)
        qtbot.waitUntil(lambda w=w: desk.width() <= w + 1)
        QApplication.processEvents()
        assert _fully_shown(desk.editor.save_button), (w, h)
        assert _fully_shown(desk.editor.status) or desk.editor.status.text() == ""
        if w >= 1024:  # nothing of the fields hides off to the right
            assert not desk.editor.fields_scroll.horizontalScrollBar().isVisible(), (w, h)


def test_ctrl_s_while_typing_a_number_gives_its_verdict(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    editor.body.setFocus()
    qtbot.waitUntil(editor.body.hasFocus)
    type_text(qtbot, editor.body, "出租 电话 139 3521 66")
    assert editor.verdicts.states() == ["typing"]
    _save(qtbot, desk)
    assert editor.ad_id() is None
    assert editor.verdicts.states() == ["invalid"]  # the clerk said "done": the verdict shows
    assert any(t.startswith("[禁止]") for t in editor.findings.texts())
    assert "禁止" in editor.status.text()


def test_tab_goes_body_then_run_dates_then_save(qtbot, demo_desk: MainWindow) -> None:
    desk = demo_desk
    editor = desk.editor
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    editor.body.setFocus()
    qtbot.waitUntil(editor.body.hasFocus)
    path = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        path.append(now)
        if now is editor.save_button:
            break
    assert path[-1] is editor.save_button, [w.objectName() for w in path]
    assert path[0] is editor.run_dates.calendar.view
    assert all(editor.run_dates.isAncestorOf(w) for w in path[:-1]), [w.objectName() for w in path]


def test_a_corrected_area_code_clears_its_error(qtbot) -> None:
    dialog = SettingsDialog(SettingsValues(DeskSettings(), ["公告"], []))
    qtbot.addWidget(dialog)
    dialog.area_code.setText("352")
    dialog.accept()
    assert "区号" in dialog.error.text()
    dialog.area_code.clear()
    type_text(qtbot, dialog.area_code, "0352")
    assert dialog.error.text() == ""
