"""工具 → 操作记录…: the audit filtered by user, dates and ad number, exported as .xlsx and .csv."""

from __future__ import annotations

import csv
import datetime as dt

from conftest import type_text
from PySide6.QtCore import QDate, Qt

from adsdesk.store.actor import CLERK, Actor, set_actor


def _open_dialog(qtbot, window):
    from adsdesk.ui.audit_dialog import AuditDialog

    menu = window.menus["工具"]
    action = next(a for a in menu.actions() if a.text() == "操作记录…")
    action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(AuditDialog)))
    return next(d for d in window.findChildren(AuditDialog) if d.isVisible())


def test_audit_browser_filters_by_user_ad_and_dates_and_exports(qtbot, demo_desk, tmp_path) -> None:
    window = demo_desk
    set_actor(Actor(user="wangfang", computer="desk-7", roles=frozenset({CLERK})))
    try:
        qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
        window.list_pane.table.selectRow(0)
        editor = window.editor
        qtbot.waitUntil(lambda: editor.ad_id() is not None)
        ad_id = editor.ad_id()
        old_title = editor.title.text()
        editor.title.setFocus()
        editor.title.end(False)
        type_text(qtbot, editor.title, "（改）")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: bool(window.history.texts()) and window.history.texts()[-1][1] == "wangfang"
        )
    finally:
        set_actor(Actor())

    dialog = _open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 1)
    everyone = dialog.table.rowCount()
    # Every kind of record is named in words, not as the code it is stored under.
    assert not [r[3] for r in dialog.texts() if "." in r[3]]
    assert "新建价目表" in {r[3] for r in dialog.texts()}

    type_text(qtbot, dialog.user, "wangfang")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() < everyone)
    rows = dialog.texts()
    assert len(rows) == 1
    assert rows[0][1] == "wangfang" and rows[0][2] == "desk-7" and rows[0][3] == "修改"
    assert rows[0][4] == str(ad_id)
    assert f"标题：{old_title} → {old_title}（改）" in rows[0][5]
    assert dialog.heading.text() == "共 1 条记录"

    # Another ad's number with the same user: nothing.
    type_text(qtbot, dialog.ad, str(ad_id + 1))
    qtbot.keyClick(dialog.ad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    assert dialog.heading.text() == "没有符合条件的记录。"
    assert not dialog.export_button.isEnabled()

    # The ad's own number, anyone: its creation and the change.
    dialog.user.clear()
    dialog.ad.clear()
    type_text(qtbot, dialog.ad, str(ad_id))
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2)
    assert {r[4] for r in dialog.texts()} == {str(ad_id)}
    assert dialog.texts()[-1][1] == "wangfang"

    # A date range that ended yesterday leaves today's records out.
    yesterday = QDate.currentDate().addDays(-1)
    dialog.end.setDate(yesterday)
    dialog.start.setDate(yesterday.addDays(-10))
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    dialog.end.setDate(QDate.currentDate())
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2)
    shown = dialog.texts()

    csv_path = tmp_path / "记录.csv"
    dialog.export(str(csv_path))
    assert dialog.heading.text() == f"已导出到 {csv_path}"
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert read[0] == ["时间", "人员", "电脑", "操作", "广告", "内容", "理由", "批准"]
    assert read[1:] == shown

    from openpyxl import load_workbook

    xlsx_path = tmp_path / "记录.xlsx"
    dialog.export(str(xlsx_path))
    sheet = load_workbook(xlsx_path).active
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0][0] == "时间" and values[1:] == shown
    assert dt.datetime.strptime(values[-1][0], "%Y-%m-%d %H:%M:%S").date() == dt.date.today()
    dialog.close()
