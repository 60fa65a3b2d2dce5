"""The editor as a clerk uses it: type an ad key by key, watch each phone's verdict, save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import approval_dialog, click_button, make_supervisor, type_text
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from adsdesk.store.audit import entries
from adsdesk.store.database import close_db, init_db
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow

DAY = dt.date(2023, 2, 24)


@pytest.fixture
def open_desk(qtbot, db_path: Path) -> Iterator:
    """Opens the desk on a database file; returns a function so a test can reopen it."""
    opened: list[tuple[MainWindow, DbExecutor]] = []

    def _open() -> MainWindow:
        application()
        init_db(db_path)
        executor = DbExecutor()
        window = MainWindow(executor, str(db_path))
        window.show()
        qtbot.waitUntil(lambda: window.editor.category.count() > 0)
        opened.append((window, executor))
        return window

    def _close(window: MainWindow) -> None:
        for w, ex in opened:
            if w is window:
                w.close()
                ex.shutdown()
        close_db()

    _open.close = _close  # type: ignore[attr-defined]
    yield _open
    for _w, ex in opened:
        ex.shutdown()
    close_db()


def _type(qtbot, widget, text: str) -> None:
    type_text(qtbot, widget, text)


def test_type_ad_watch_verdicts_save_and_find_after_restart(qtbot, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    editor.category.setCurrentText("养老服务")
    _type(qtbot, editor.title, "馨万家养老")
    _type(qtbot, editor.body, "托养失能人员 电话:")
    assert editor.verdicts.states() == []
    seen: list[tuple[str, str]] = []
    for digit in "13903528495":
        qtbot.keyClicks(editor.body, digit)
        states = editor.verdicts.states()
        texts = editor.verdicts.texts()
        if states:
            seen.append((states[0], texts[0]))
    # while typing, the number shows as being typed with how many digits are missing
    typing = [t for s, t in seen if s == "typing"]
    assert typing, seen
    assert "11位" in typing[-1] and "10位" in typing[-1]
    state, text = seen[-1]
    assert state == "valid"
    assert "13903528495" in text and "手机" in text
    assert "山西省大同市" in text and "中国移动" in text

    editor.run_dates.start.setDate(QDate(2023, 2, 24))
    editor.run_dates.days.setValue(3)
    qtbot.mouseClick(editor.run_dates.add_run, Qt.MouseButton.LeftButton)
    assert editor.run_dates.dates() == [DAY, DAY + dt.timedelta(1), DAY + dt.timedelta(2)]

    editor.body.setFocus()
    qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 1)
    assert not editor.is_dirty()
    ad_id = editor.ad_id()
    open_desk.close(window)

    again = open_desk()
    qtbot.waitUntil(lambda: again.list_pane.model.rowCount() == 1)
    row = again.list_pane.model.row_at(0)
    assert (row.id, row.title, row.category) == (ad_id, "馨万家养老", "养老服务")
    assert row.phones == ("13903528495",)
    assert row.dates == (DAY, DAY + dt.timedelta(1), DAY + dt.timedelta(2))
    again.list_pane.table.selectRow(0)
    qtbot.waitUntil(lambda: again.editor.ad_id() == ad_id)
    assert again.editor.body.toPlainText() == "托养失能人员 电话:13903528495"
    assert again.editor.verdicts.states() == ["valid"]


def test_invalid_phone_blocks_saving(qtbot, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    _type(qtbot, editor.body, "出售 联系电话:1390352849 价格面议")
    assert editor.verdicts.states() == ["invalid"]
    assert "10位" in editor.verdicts.texts()[0]
    assert any("禁止" in t for t in editor.findings.texts())
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.ad_id() is None
    assert "禁止" in editor.status.text()
    # with a reason, a supervisor's password typed on this desk lets it through
    assert editor.override.isVisible()
    make_supervisor("wang", "boss-pass")
    editor.category.setCurrentText("房屋出售")
    _type(qtbot, editor.override_reason, "客户坚持，主管王某同意")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    dialog = approval_dialog(qtbot, window)
    _type(qtbot, dialog.name, "wang")
    _type(qtbot, dialog.password, "wrong-pass")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "密码不对" in window.statusBar().currentMessage())
    assert editor.ad_id() is None  # a wrong password saves nothing; the dialog asks again
    dialog = approval_dialog(qtbot, window)
    assert "密码不对" in dialog.error.text()
    assert dialog.reason.text() == "客户坚持，主管王某同意"
    _type(qtbot, dialog.name, "wang")
    _type(qtbot, dialog.password, "boss-pass")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    (created,) = entries(ad_id=editor.ad_id())
    assert created.approver == "wang" and created.reason == "客户坚持，主管王某同意"


def test_wording_highlighted_and_listed(qtbot, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    _type(qtbot, editor.body, "全市最好的纱窗，国家级工艺，第一次安装免费。13903528495")
    texts = editor.findings.texts()
    assert any(t.startswith("[禁止]") and "国家级" in t for t in texts)
    assert any(t.startswith("[提醒]") and "最好" in t for t in texts)
    assert not any("第一次" in t for t in texts)
    spans = editor.highlighter.spans_at(editor.body.toPlainText().index("国家级") + 1)
    assert spans and spans[0].level == "block"


def test_wording_findings_are_in_view_without_scrolling(qtbot, open_desk) -> None:
    """At a counter PC's usual window (1400×900) the wording check sits under the numbers'
    check, in view with the text, not below the price panel."""
    window = open_desk()
    window.resize(1400, 900)
    editor = window.editor
    _type(qtbot, editor.body, "全市最好的纱窗，国家级工艺。13903528495")
    qtbot.waitUntil(lambda: any("国家级" in t for t in editor.findings.texts()))
    viewport = editor.fields_scroll.viewport()
    assert editor.fields_scroll.verticalScrollBar().value() == 0
    top = editor.findings.mapTo(viewport, editor.findings.rect().topLeft()).y()
    bottom = top + editor.findings.height()
    assert 0 <= top and bottom <= viewport.height()
    assert top < editor.price.mapTo(viewport, editor.price.rect().topLeft()).y()


def test_esc_asks_before_discarding(qtbot, answer_modal, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    _type(qtbot, editor.title, "房屋出售")
    assert editor.is_dirty()

    asked = answer_modal(QMessageBox, lambda box: click_button(box, "继续编辑"))
    window.act_cancel.trigger()
    assert asked
    assert editor.title.text() == "房屋出售"
    asked = answer_modal(QMessageBox, lambda box: click_button(box, "放弃修改"))
    window.act_cancel.trigger()
    assert asked
    assert editor.title.text() == ""
    assert not editor.is_dirty()


def test_tab_order_is_the_typing_order(qtbot, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    window.activateWindow()
    editor.category.setFocus()
    qtbot.waitUntil(editor.category.hasFocus)
    order = [editor.category]
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[1:4] == [editor.advertiser, editor.title, editor.body]


def test_a_character_the_paper_cannot_print_is_flagged(qtbot, open_desk) -> None:
    window = open_desk()
    editor = window.editor
    _type(qtbot, editor.body, "开业大吉😀 电话 13903528495")
    texts = editor.findings.texts()
    assert any("😀" in t and "没有字形" in t for t in texts)
    assert not any("开" in t and "没有字形" in t for t in texts)
    assert not editor.blocked()  # a warning: the clerk decides
