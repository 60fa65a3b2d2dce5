"""The sample column in the desk: the day's list flags the duplicate and the 学区 claims."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate

from adsdesk.ui.ad_table import COL_FLAGS
from adsdesk.ui.main_window import MainWindow


@pytest.fixture
def desk(demo_desk: MainWindow) -> MainWindow:
    return demo_desk


def _flags_by_title(window: MainWindow) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in range(window.list_pane.model.rowCount()):
        row = window.list_pane.model.row_at(r)
        key = row.title or row.body[:8]
        out.setdefault(key, []).append(window.list_pane.model.index(r, COL_FLAGS).data())
    return out


def test_issue_list_flags_duplicate_and_school_district(qtbot, desk: MainWindow) -> None:
    desk.list_pane.filter_date.setDate(QDate(2023, 2, 24))
    desk.list_pane.filter_on_date.setChecked(True)
    qtbot.waitUntil(
        lambda: desk.list_pane.model.rowCount() == 13 and "需核对" in desk.list_pane.count.text()
    )
    flags = _flags_by_title(desk)
    assert "重复" in flags["大同和平医院"][0]
    assert "重复" in flags["大同和平医院体检"][0]
    # both housing ads with 学区/校区 claims carry a warning; their tooltips say why
    for r in range(desk.list_pane.model.rowCount()):
        row = desk.list_pane.model.row_at(r)
        tip = desk.list_pane.model.index(r, COL_FLAGS).data(3) or ""  # ToolTipRole
        if "学区" in row.body or "校区" in row.body:
            assert "提醒" in desk.list_pane.model.index(r, COL_FLAGS).data()
            assert "学区" in tip or "校区" in tip
    # rows are in the desk's category order for an issue
    assert desk.list_pane.model.row_at(0).category == "公告"


def test_opening_the_duplicate_shows_it_in_the_editor(qtbot, desk: MainWindow) -> None:
    desk.list_pane.filter_date.setDate(QDate(2023, 2, 24))
    desk.list_pane.filter_on_date.setChecked(True)
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 13)
    row = next(r for r in range(13) if desk.list_pane.model.row_at(r).title == "大同和平医院")
    desk.list_pane.table.selectRow(row)
    qtbot.waitUntil(lambda: desk.editor.title.text() == "大同和平医院")
    qtbot.waitUntil(lambda: any("重复" in t for t in desk.editor.findings.texts()))
    assert desk.editor.verdicts.states() == ["valid"]
    assert "0352-5393120" in desk.editor.verdicts.texts()[0]
