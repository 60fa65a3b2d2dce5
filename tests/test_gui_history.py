"""The 历史 tab shows who changed the open ad, when, from which computer, and each old → new value."""

from __future__ import annotations

from conftest import type_text
from PySide6.QtCore import Qt

from adsdesk.store.actor import CLERK, Actor, set_actor


def test_history_tab_lists_each_change_with_who_and_what(qtbot, demo_desk) -> None:
    window = demo_desk
    set_actor(Actor(user="lihua", computer="desk-3", roles=frozenset({CLERK})))
    try:
        qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
        window.list_pane.table.selectRow(0)
        editor = window.editor
        qtbot.waitUntil(lambda: editor.ad_id() is not None)
        ad_id = editor.ad_id()
        history = window.history
        qtbot.waitUntil(lambda: history.ad_id == ad_id and history.table.rowCount() >= 1)
        assert history.texts()[0][3] == "新建"
        old_title = editor.title.text()
        editor.title.setFocus()
        editor.title.end(False)
        type_text(qtbot, editor.title, "（新）")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: history.table.rowCount() >= 2 and history.texts()[-1][1] == "lihua")
        last = history.texts()[-1]
        assert last[2] == "desk-3" and last[3] == "修改"
        assert f"标题：{old_title} → {old_title}（新）" in last[4]
        window.ad_tabs.setCurrentWidget(history)
        assert history.isVisible()
    finally:
        set_actor(Actor())


def test_cancel_asks_a_reason_keeps_the_ad_and_strikes_it_through(qtbot, demo_desk) -> None:
    from adsdesk.ui.cancel_dialog import CancelAdDialog

    window = demo_desk
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
    window.list_pane.table.selectRow(0)
    editor = window.editor
    qtbot.waitUntil(lambda: editor.ad_id() is not None)
    ad_id = editor.ad_id()
    window.act_cancel_ad.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(CancelAdDialog)))
    dialog = next(d for d in window.findChildren(CancelAdDialog) if d.isVisible())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "理由" in dialog.error.text() and dialog.isVisible()
    type_text(qtbot, dialog.reason, "客户来电取消")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    history = window.history
    qtbot.waitUntil(lambda: bool(history.texts()) and history.texts()[-1][3] == "撤销")
    assert history.texts()[-1][5] == "客户来电取消"
    row = window.list_pane.model._ids.index(ad_id)
    qtbot.waitUntil(
        lambda: window.list_pane.model.index(row, 0).data(Qt.ItemDataRole.FontRole) is not None
    )
    assert window.list_pane.model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
