"""导出表格 follows the list: on an issue it exports that issue, and offers a date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

from adsdesk.store.ads import AdDraft, save_ad
from adsdesk.ui.export_range_dialog import ExportRangeDialog
from adsdesk.ui.run_dates import to_qdate

DAY = dt.date(2023, 2, 24)


def _export(qtbot, window, out: Path, pick: Callable[[ExportRangeDialog], None]) -> list[str]:
    """Run 导出表格 as the clerk does; returns what the range dialog offered."""
    offered: list[str] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, ExportRangeDialog):
            start, end = modal.date_range()
            offered.append(f"{start}..{end}")
            pick(modal)
            modal.accept()
        elif isinstance(modal, QFileDialog):
            offered.append(Path(modal.selectedFiles()[0]).name)
            modal.findChild(QLineEdit, "fileNameEdit").setText(str(out))  # typed by the clerk
            modal.accept()
            return
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    window.act_export.trigger()
    qtbot.waitUntil(out.exists)
    return offered


def _ad_count(path: Path) -> int:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(min_row=2))


def test_export_follows_the_issue_on_show_and_offers_a_range(
    qtbot, demo_desk, tmp_path: Path
) -> None:
    save_ad(
        AdDraft(
            category="家居服务", body="管道疏通 13935210001", dates=[DAY + dt.timedelta(days=5)]
        )
    )
    window = demo_desk
    window.show_issue(DAY)
    offered = _export(qtbot, window, tmp_path / "day.xlsx", lambda d: None)
    assert offered == [f"{DAY}..{DAY}", f"便民信息广告-{DAY}.xlsx"]
    assert _ad_count(tmp_path / "day.xlsx") == 13

    def widen(d: ExportRangeDialog) -> None:
        d.date_to.setDate(to_qdate(DAY + dt.timedelta(days=7)))

    offered = _export(qtbot, window, tmp_path / "week.xlsx", widen)
    assert offered[1] == f"便民信息广告-{DAY}至{DAY + dt.timedelta(days=7)}.xlsx"
    assert _ad_count(tmp_path / "week.xlsx") == 14

    window.list_pane.filter_on_date.setChecked(False)
    offered = _export(qtbot, window, tmp_path / "all.xlsx", lambda d: None)
    assert offered[0] == "None..None"
    assert _ad_count(tmp_path / "all.xlsx") == 14


def test_a_backwards_range_is_refused_in_the_dialog(qtbot) -> None:
    dialog = ExportRangeDialog(DAY)
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(to_qdate(DAY + dt.timedelta(days=1)))
    dialog._accept()
    assert dialog.result() != ExportRangeDialog.DialogCode.Accepted
    assert "晚于" in dialog.error.text()
    assert isinstance(dialog, QWidget)
