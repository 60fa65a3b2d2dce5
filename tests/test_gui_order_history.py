"""历史… beside the order in the price panel: the order's own records, its payments included."""

from __future__ import annotations

from conftest import type_text
from PySide6.QtCore import QDate, Qt


def test_order_history_lists_opening_payment_receipt_and_reprice(
    qtbot, demo_desk, tmp_path
) -> None:
    from adsdesk.ui.audit_dialog import AuditDialog

    window = demo_desk
    editor = window.editor
    panel = editor.price
    qtbot.waitUntil(lambda: bool(panel.pricer.cards))
    window.new_ad()
    assert not panel.history_button.isEnabled()  # no order yet
    editor.category.setCurrentText("家居服务")
    editor.run_dates.start.setDate(QDate(2023, 3, 1))
    editor.run_dates.days.setValue(1)
    qtbot.mouseClick(editor.run_dates.add_run, Qt.MouseButton.LeftButton)
    type_text(qtbot, editor.title, "专业修纱窗")
    type_text(qtbot, editor.body, "上门安装")
    qtbot.mouseClick(panel.full, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已付清" in panel.order.text(), timeout=5000)
    serial = panel.order.text().split()[1]
    order_id = panel.order_id()
    window.till.write_receipt(order_id, tmp_path / "r.pdf")
    qtbot.waitUntil((tmp_path / "r.pdf").exists, timeout=5000)
    type_text(qtbot, editor.body, "纱窗纱门防盗窗维修更换价格")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "待收" in panel.order.text(), timeout=5000)

    assert panel.history_button.isEnabled()
    qtbot.mouseClick(panel.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(AuditDialog)))
    dialog = next(d for d in window.findChildren(AuditDialog) if d.isVisible())
    assert dialog.windowTitle() == f"订单 {serial} 的历史"
    assert not dialog.filters.isVisible()  # already chosen: this order only
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4)
    rows = dialog.texts()
    assert [r[3] for r in rows] == ["开单", "收款", "打印收据", "改价"]
    assert f"订单号：{serial}" in rows[0][5]
    assert "金额（分）：10000" in rows[1][5] and "订单：" + serial in rows[1][5]
    assert "金额（分）：10000 → 15000" in rows[3][5]
    assert dialog.heading.text() == "共 4 条记录"
    dialog.close()
