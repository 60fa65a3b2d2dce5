"""A booking past its issue's cut-off is priced 加急: ticked and explained live, frozen in the order."""

from __future__ import annotations

import datetime as dt

from conftest import approval_dialog, make_supervisor, type_text
from PySide6.QtCore import QDate, Qt


def _book(qtbot, editor, day: dt.date) -> None:
    editor.run_dates.start.setDate(QDate(day.year, day.month, day.day))
    editor.run_dates.days.setValue(1)
    qtbot.mouseClick(editor.run_dates.add_run, Qt.MouseButton.LeftButton)


def test_a_booking_past_the_cut_off_is_priced_and_ordered_as_rush(qtbot, demo_desk) -> None:
    from adsdesk.store.models import Insertion
    from adsdesk.store.orders import order_for_ad

    window = demo_desk
    editor = window.editor
    panel = editor.price
    qtbot.waitUntil(lambda: bool(panel.pricer.cards) and panel._deadlines is not None)
    window.new_ad()
    rush = panel._surcharge_boxes["加急"]
    editor.category.setCurrentText("家居服务")
    type_text(qtbot, editor.title, "专业修纱窗")
    type_text(qtbot, editor.body, "上门安装")
    # A month ahead is before its cut-off: the ordinary price, 加急 left to the clerk.
    _book(qtbot, editor, dt.date.today() + dt.timedelta(days=30))
    assert panel.total.text() == "合计 ¥100.00"
    assert not rush.isChecked() and rush.isEnabled() and not panel.rush_note.isVisible()
    # Today's issue closed yesterday: 加急 is ticked, held, and the reason shown.
    qtbot.mouseClick(editor.run_dates.clear_btn, Qt.MouseButton.LeftButton)
    today = dt.date.today()
    _book(qtbot, editor, today)
    assert rush.isChecked() and not rush.isEnabled()
    assert panel.rush_note.isVisible()
    assert (
        panel.rush_note.text()
        == f"{today.isoformat()} 已过截稿时间：按加急计价，保存时须主管批准。"
    )
    assert "加急 +30%" in panel.detail.text() and panel.total.text() == "合计 ¥130.00"
    # Back to a date before its cut-off: the forced tick goes again.
    qtbot.mouseClick(editor.run_dates.clear_btn, Qt.MouseButton.LeftButton)
    _book(qtbot, editor, today + dt.timedelta(days=30))
    assert not rush.isChecked() and rush.isEnabled() and not panel.rush_note.isVisible()
    assert panel.total.text() == "合计 ¥100.00"
    qtbot.mouseClick(editor.run_dates.clear_btn, Qt.MouseButton.LeftButton)
    _book(qtbot, editor, today)
    assert panel.total.text() == "合计 ¥130.00"

    # Saving needs a supervisor; the order then carries 加急 in its frozen breakdown.
    make_supervisor("wang", "boss-pass")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    dialog = approval_dialog(qtbot, window)
    type_text(qtbot, dialog.name, "wang")
    type_text(qtbot, dialog.password, "boss-pass")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "应收 130.00" in panel.order.text(), timeout=5000)
    ad_id = editor.ad_id()
    (ins,) = Insertion.select().where(Insertion.ad == ad_id)
    assert ins.rush and ins.approved_by == "wang"
    order = order_for_ad(ad_id)
    assert order.total_fen == 13000
    assert [s["name"] for s in order.breakdown["surcharges"]] == ["加急"]
    assert order.breakdown["surcharge_fen"] == 3000
    # Reopened, the stored late booking still shows 加急 ticked, at the same price.
    window.new_ad()
    assert not rush.isChecked() and rush.isEnabled()
    window.open_ad(ad_id)
    qtbot.waitUntil(lambda: editor.ad_id() == ad_id and rush.isChecked(), timeout=5000)
    assert panel.total.text() == "合计 ¥130.00"
    # The store prices it so whoever books it (import, CLI, another desk): no choice needed.
    from adsdesk.store.orders import price_ad

    q, _dates = price_ad(ad_id, surcharges=())
    assert [s.name for s in q.surcharges] == ["加急"] and q.total_fen == 13000
