"""The till as a clerk uses it: the price follows the typing, saving takes the money, receipts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import type_text
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt

DAY = dt.date(2023, 2, 24)


def test_typing_an_ad_shows_the_live_price_and_saving_takes_payment(
    qtbot, demo_desk, tmp_path: Path
) -> None:
    window = demo_desk
    editor = window.editor
    panel = editor.price
    qtbot.waitUntil(lambda: bool(panel.pricer.cards))  # the demo's default card has arrived
    window.new_ad()
    # a blank form shows no price (not the 2-line minimum) until something is typed
    assert panel.total.text() == "合计 —" and "计价" in panel.unit.text()
    editor.category.setCurrentText("家居服务")
    editor.run_dates.start.setDate(QDate(2023, 3, 1))
    editor.run_dates.days.setValue(1)
    qtbot.mouseClick(editor.run_dates.add_run, Qt.MouseButton.LeftButton)
    type_text(qtbot, editor.title, "专业修纱窗")
    # a short ad: 1 title line + 1 body line, charged at the 2-line minimum × 50.00
    type_text(qtbot, editor.body, "上门安装")
    assert "计费 2 行" in panel.counts.text()
    assert panel.total.text() == "合计 ¥100.00"
    # 12 more characters push the body onto a second line: 3 lines, 150.00
    type_text(qtbot, editor.body, "纱窗纱门防盗窗维修更换价格")
    assert "字数 22" in panel.counts.text() and "计费 3 行" in panel.counts.text()
    assert panel.total.text() == "合计 ¥150.00"
    assert "版面实占" in panel.counts.text()
    # a rush surcharge: +30 %
    rush = next(b for n, b in panel._surcharge_boxes.items() if n == "加急")
    rush.setChecked(True)
    assert panel.total.text() == "合计 ¥195.00" and "加急 +30%" in panel.detail.text()
    # a wrong amount is refused before anything is written
    type_text(qtbot, panel.paid, "1.955")
    window._save(editor.draft())
    assert "实收金额有误" in editor.status.text()
    panel.paid.clear()
    qtbot.mouseClick(panel.full, Qt.MouseButton.LeftButton)
    assert panel.paid.text() == "195.00"
    panel.method.setCurrentText("微信")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已付清" in panel.order.text(), timeout=5000)
    serial = panel.order.text().split()[1]
    assert serial.startswith(dt.date.today().strftime("%Y%m%d"))
    assert "应收 195.00" in panel.order.text()
    # the receipt for this order, then a reprint marked 补打
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    order_id = panel.order_id()
    window.till.write_receipt(order_id, first)
    qtbot.waitUntil(first.exists, timeout=5000)
    window.till.write_receipt(order_id, second)
    qtbot.waitUntil(second.exists, timeout=5000)
    text = PdfReader(first).pages[0].extract_text()
    assert serial in text and "壹佰玖拾伍元整" in text and "补打" not in text
    assert "补打" in PdfReader(second).pages[0].extract_text()
    # editing the paid ad to cost more shows the difference to collect
    type_text(qtbot, editor.body, "另修防盗门锁具十三个字")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "待收" in panel.order.text(), timeout=5000)
    assert serial in panel.order.text()


def test_lost_notice_counts_items_and_the_clerk_corrects_them(qtbot, demo_desk) -> None:
    window = demo_desk
    editor, panel = window.editor, window.editor.price
    qtbot.waitUntil(lambda: bool(panel.pricer.cards))
    window.new_ad()
    editor.category.setCurrentText("遗失声明")
    type_text(qtbot, editor.body, "张三遗失身份证一张，声明作废。")
    assert panel.items.isVisible()
    assert "身份证×1" in panel.unit.text() and panel.total.text() == "合计 ¥150.00"
    type_text(qtbot, panel.items, "身份证=2")
    editor._run_checks()
    assert panel.total.text() == "合计 ¥300.00"


def test_report_dialog_shows_the_demo_takings(qtbot, demo_desk, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from adsdesk.ui.report_dialog import ReportDialog

    dialog = ReportDialog(demo_desk.executor, demo_desk)
    qtbot.addWidget(dialog)
    dialog.set_range(DAY, DAY, "method")
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 1, timeout=5000)
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 0).text() == "合计"
    assert dialog.table.item(last, 1).text() == "13"
    methods = {dialog.table.item(i, 0).text() for i in range(last)}
    assert {"现金", "微信", "支付宝"} <= methods
    out = tmp_path / "r.xlsx"
    dialog.export_xlsx(str(out))
    ws = load_workbook(out).active
    assert ws["A2"].value == "项目" and ws.cell(row=3 + last, column=1).value == "合计"


def test_cash_up_dialog_closes_the_day(qtbot, demo_desk) -> None:
    from adsdesk.store.clerk import current_clerk
    from adsdesk.ui.cashup_dialog import CashUpDialog

    dialog = CashUpDialog(demo_desk.executor, demo_desk)
    qtbot.addWidget(dialog)
    dialog.day.setDate(QDate(2023, 2, 24))
    dialog.clerk.setCurrentText(current_clerk())
    qtbot.waitUntil(
        lambda: dialog.summary is not None and dialog.summary.orders == 13, timeout=5000
    )
    dialog.show()
    table = dialog.table  # the labels take the width: no blank strip beside the amounts
    qtbot.waitUntil(
        lambda: table.horizontalHeader().length() >= table.viewport().width() - 1, timeout=3000
    )
    expected = dialog.summary.expected_cash_fen
    type_text(qtbot, dialog.counted, f"{(expected - 100) / 100:.2f}")
    assert dialog.difference.text().startswith("-1.00")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary.closed, timeout=5000)
    assert "已关账" in dialog.state.text() and not dialog.close_button.isEnabled()


def test_receipt_goes_to_the_printer_as_on_paper(qtbot, demo_desk, tmp_path: Path) -> None:
    """The printer path paints the same receipt (here a printer writing to a PDF file)."""
    from PySide6.QtPrintSupport import QPrinter

    from adsdesk.layout.receipt import print_receipt
    from adsdesk.store.orders import receipt_data

    got: list = []
    demo_desk.executor.submit(lambda: receipt_data("20230224-002"), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    print_receipt(got[0], printer)
    text = PdfReader(out).pages[0].extract_text()
    assert "20230224-002" in text and "叁佰伍拾元整" in text and "大同和平医院" in text


def test_a_new_desk_opens_cash_up_and_report_on_the_sample_day(qtbot, demo_desk) -> None:
    """The demo's orders are dated 2023-02-24: the dialogs open there, not on an empty today."""
    from adsdesk.ui.cashup_dialog import CashUpDialog
    from adsdesk.ui.report_dialog import ReportDialog

    cash = CashUpDialog(demo_desk.executor, demo_desk)
    qtbot.addWidget(cash)
    qtbot.waitUntil(lambda: cash.summary is not None and cash.summary.orders == 13, timeout=5000)
    assert cash.day.date() == QDate(2023, 2, 24)
    report = ReportDialog(demo_desk.executor, demo_desk)
    qtbot.addWidget(report)
    qtbot.waitUntil(lambda: report.report is not None and report.report.orders == 13, timeout=5000)
    assert report.start.date() == QDate(2023, 2, 1) and report.end.date() == QDate(2023, 2, 28)


def test_advertiser_file_shows_money_totals(qtbot, demo_desk) -> None:
    from adsdesk.store.models import Advertiser
    from adsdesk.ui.advertiser_dialog import AdvertiserDialog

    got: list = []
    demo_desk.executor.submit(
        lambda: Advertiser.get(Advertiser.name == "大同和平医院").id, got.append
    )
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    dialog = AdvertiserDialog(demo_desk.executor, got[0], demo_desk)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "订单" in dialog.money.text(), timeout=5000)
    # two ads under the default card, both paid on the day
    assert "订单 2 笔" in dialog.money.text() and "未结" not in dialog.money.text()
    assert "应收 750.00 元，已收 750.00 元" in dialog.money.text()
