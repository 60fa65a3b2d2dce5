"""The 版面 tab as a clerk meets it: fits its width, names what is left over before output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from adsdesk.layout.geometry import ColumnSettings
from adsdesk.store import layout_prefs
from adsdesk.store.ads import AdDraft, save_ad

DAY = dt.date(2023, 2, 24)


def _layout_tab(qtbot, window):
    view = window.layout_view
    with qtbot.waitSignal(view.laid_out, timeout=15000):
        window.show_issue(DAY)
    window.tabs.setCurrentWidget(view)
    return view


def _fits(view) -> bool:
    viewport = view.scroll_area.viewport().width()
    return (
        view.canvas.width() <= viewport
        and view.canvas.width() >= viewport - 40
        and not view.scroll_area.horizontalScrollBar().isVisible()
    )


def test_fit_width_on_first_show_and_after_resizing(qtbot, demo_desk) -> None:
    window = demo_desk
    window.resize(1366, 768)
    view = _layout_tab(qtbot, window)
    assert view.zoom_box.currentText() == "适合宽度"
    preview, side = view.splitter.sizes()
    assert preview > 2 * side and 200 <= side <= 320  # the column gets the room
    qtbot.waitUntil(lambda: _fits(view))
    before = view.canvas.width()
    total = sum(view.splitter.sizes())
    view.splitter.setSizes([total - 320, 320])  # the clerk drags the handle: wider side panel
    qtbot.waitUntil(lambda: _fits(view) and view.canvas.width() < before)
    window.splitter.setSizes([600, 700])  # and narrows the whole tab
    qtbot.waitUntil(lambda: _fits(view))


def _left_over_issue(qtbot, view) -> int:
    lost = save_ad(
        AdDraft(
            category="遗失声明",
            title="遗失声明",
            body="大同市某某商贸有限公司遗失营业执照副本，统一社会信用代码91140200MA0K123456，声明作废。",
            dates=[DAY],
        )
    )
    layout_prefs.save_column_settings({**ColumnSettings().to_dict(), "height_mm": 60.0})
    with qtbot.waitSignal(view.laid_out, timeout=5000):
        view.refresh()
    assert lost in [x.ad_id for x in view.layout_result().left_over]
    return lost


def test_left_over_list_is_readable(qtbot, demo_desk) -> None:
    view = _layout_tab(qtbot, demo_desk)
    lost = _left_over_issue(qtbot, view)
    panel = view.fill.left_list
    assert panel.width() >= 180
    row = [x.ad_id for x in view.layout_result().left_over].index(lost)
    item = panel.item(row)
    assert item.text().startswith(f"#{lost} 遗失声明") and "mm" in item.text()
    rect = panel.visualItemRect(item)
    assert rect.width() <= panel.viewport().width()  # wrapped, not cut at the edge
    assert rect.height() >= 2 * panel.fontMetrics().height()


def _answer(text: str, seen: list[str]) -> None:
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, poll)
            return
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.findChildren(QPushButton) if b.text() == text).click()

    QTimer.singleShot(0, poll)


def test_export_with_ads_left_over_asks_first_naming_them(qtbot, demo_desk, tmp_path: Path) -> None:
    view = _layout_tab(qtbot, demo_desk)
    lost = _left_over_issue(qtbot, view)
    seen: list[str] = []
    _answer("取消", seen)
    assert not view.export_pdf(tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()
    assert f"#{lost} 遗失声明" in seen[0] and "法定公告" in seen[0]
    _answer("仍然导出 PDF", seen)
    assert view.export_pdf(tmp_path / "c.pdf")
    assert (tmp_path / "c.pdf").exists()
    _answer("取消", seen)
    view.act_preview.trigger()  # print preview asks the same before it opens
    assert "打印稿" in seen[-1]
    assert not view.findChildren(QPrintPreviewDialog)  # cancelled before it opened
