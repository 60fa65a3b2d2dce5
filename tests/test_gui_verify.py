"""The 核对 tab: a press PDF checked against the issue, each booking ✓/✗, detail, make-good."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pressmaker import PressAd, make_press_pdf, outlines_only_pdf
from PySide6.QtCore import Qt

from adsdesk.store.bookings import issue_bookings
from adsdesk.store.press import make_goods_of
from adsdesk.ui.verify_view import COL_AD, COL_MAKE_GOOD, COL_MARK, COL_REASON, marked_spans

DATE = dt.date(2023, 2, 24)


def rows(view) -> dict[str, tuple[str, str, str]]:
    t = view.table
    return {
        t.item(r, COL_AD).text(): (
            t.item(r, COL_MARK).text(),
            t.item(r, COL_REASON).text(),
            t.item(r, COL_MAKE_GOOD).text(),
        )
        for r in range(t.rowCount())
    }


def click_row(qtbot, view, label: str) -> None:
    t = view.table
    row = next(r for r in range(t.rowCount()) if t.item(r, COL_AD).text() == label)
    rect = t.visualItemRect(t.item(row, COL_AD))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def press_without_3_and_wrong_digit(tmp_path: Path) -> Path:
    ads = []
    for b in issue_bookings(DATE):
        if b.id == 3:
            continue  # 纱窗加工安装 left out
        body = b.body.replace("18835255555", "18835256555")  # 古井贡酒: one digit wrong
        ads.append(PressAd(b.title, body))
    return make_press_pdf(tmp_path / "press.pdf", ads, columns=3)


def test_verify_tab_marks_each_booking_and_books_a_make_good(qtbot, demo_desk, tmp_path) -> None:
    window = demo_desk
    view = window.verify_view
    pdf = press_without_3_and_wrong_digit(tmp_path)
    window.tabs.setCurrentWidget(view)
    view.set_date(DATE)
    view.check_file(pdf)
    qtbot.waitUntil(lambda: view.table.rowCount() == 13, timeout=20000)
    shown = rows(view)
    assert shown["#3 纱窗加工安装"][0] == "✗" and "漏登" in shown["#3 纱窗加工安装"][1]
    wine = shown["#10 古井贡酒 年份原浆"]
    assert wine[0] == "✗" and wine[1] == "电话印错：预订 18835255555，见报 18835256555"
    assert sum(1 for mark, _r, _m in shown.values() if mark == "✓") == 11
    assert "漏登 1，有误 1" in view.summary.text()

    click_row(qtbot, view, "#10 古井贡酒 年份原浆")
    assert "18835255555" in view.booked.toPlainText()
    assert "18835256555" in view.printed.toPlainText()
    assert marked_spans(view.booked) == ["5"] and marked_spans(view.printed) == ["6"]
    qtbot.waitUntil(lambda: view.crop.image() is not None, timeout=15000)
    assert view.crop.image().width() > 200  # the printed ad, rendered from the press PDF
    assert not view.crop.pixmap().isNull()
    assert view.make_good.isEnabled()

    qtbot.mouseClick(view.make_good, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: rows(view)["#10 古井贡酒 年份原浆"][2].startswith("已补登"), timeout=5000
    )
    assert "2023-02-25" in rows(view)["#10 古井贡酒 年份原浆"][2]
    assert not view.make_good.isEnabled()  # one make-good per failed run
    made = make_goods_of(DATE)
    assert list(made) == [10] and made[10].new_date == dt.date(2023, 2, 25)

    click_row(qtbot, view, "#1 敬告")
    assert not view.make_good.isEnabled()  # printed fine: nothing to make good
    qtbot.waitUntil(lambda: view.crop.image() is not None, timeout=15000)

    # the advertiser's file says so
    from adsdesk.store.ads import load_ad
    from adsdesk.ui.advertiser_dialog import AdvertiserDialog

    dialog = AdvertiserDialog(window.executor, load_ad(10).advertiser_id, window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.note.isVisible(), timeout=15000)
    assert (
        "广告 #10 电话印错" in dialog.note.text()
        and "已免费补登于 2023-02-25" in dialog.note.text()
    )
    dialog.close()


def test_verify_tab_says_why_a_pdf_cannot_be_checked(qtbot, demo_desk, tmp_path) -> None:
    view = demo_desk.verify_view
    demo_desk.tabs.setCurrentWidget(view)
    view.set_date(DATE)
    view.check_file(outlines_only_pdf(tmp_path / "curves.pdf"))
    qtbot.waitUntil(lambda: "没有可读取的文字" in view.summary.text(), timeout=15000)
    assert "转成了曲线" in view.summary.text()
    assert view.table.rowCount() == 0
