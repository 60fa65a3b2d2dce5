"""Searching from the desk: results as you type, highlighted; the lazy list; advertiser files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication

from adsdesk.store import ads as ads_store
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.ui.ad_table import COL_TITLE, PAGE
from adsdesk.ui.advertiser_dialog import AdvertiserDialog
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.highlight import marked_html
from adsdesk.ui.main_window import MainWindow


@pytest.fixture
def desk(qtbot, demo_db: Path) -> Iterator[MainWindow]:
    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(demo_db))
    window.show()
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 13)
    yield window
    window.editor.clear_for_new()
    for w in QApplication.topLevelWidgets():
        if isinstance(w, AdvertiserDialog):
            w.close()
    window.close()
    executor.shutdown()


def _titles(window: MainWindow) -> list[str]:
    out = []
    for r in range(window.list_pane.model.rowCount()):
        row = window.list_pane.model.row_at(r)
        out.append(row.title if row else "…")
    return out


def test_typing_in_the_search_box_narrows_the_list(qtbot, desk: MainWindow) -> None:
    desk.list_pane.search.setFocus()
    type_text(qtbot, desk.list_pane.search, "养老")
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 1)
    assert _titles(desk) == ["大同馨万家养老中心"]
    assert "找到 1 则" in desk.list_pane.count.text()
    # a one-character query is exact too, and phone tails work
    desk.list_pane.search.clear()
    type_text(qtbot, desk.list_pane.search, "7373")
    qtbot.waitUntil(
        lambda: "找到" in desk.list_pane.count.text() and desk.list_pane.model.rowCount() == 2
    )
    assert sorted(_titles(desk)) == ["石磨浆水豆腐", "纱窗加工安装"]
    desk.list_pane.search.clear()
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 13)


def test_hostile_query_is_plain_text(qtbot, desk: MainWindow) -> None:
    type_text(qtbot, desk.list_pane.search, '"AND (NEAR* \\ ')
    qtbot.waitUntil(lambda: "找到 0 则" in desk.list_pane.count.text())


def test_match_is_highlighted() -> None:
    html = marked_html("大同和平医院", "和平")
    assert "大同<span" in html and ">和平</span>医院" in html
    assert "ＡＢ" in marked_html("ＡＢ楼", "ab") and "<span" in marked_html("ＡＢ楼", "ab")


def test_pinyin_finds_the_advertiser_and_opens_their_file(qtbot, desk: MainWindow) -> None:
    type_text(qtbot, desk.list_pane.search, "dthp")
    qtbot.waitUntil(lambda: desk.list_pane.advertiser_hits.isVisible())
    assert "大同和平医院" in desk.list_pane.advertiser_hits.text()
    desk.open_advertiser(2)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AdvertiserDialog))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert "大同和平医院" in dialog.heading.text() and "0352-5393120" in dialog.heading.text()
    assert "共 2 则广告，刊登 2 期" in dialog.totals.text()
    qtbot.mouseClick(dialog.repeat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: desk.editor.ad_id() is None and "和平医院" in desk.editor.body.toPlainText()
    )


def test_lazy_list_fetches_rows_in_pages(qtbot, desk: MainWindow) -> None:
    for i in range(3 * PAGE):
        ads_store.save_ad(
            AdDraft(
                title=f"房屋出租{i}",
                body="两室一厅 电话 13903528495",
                phones=[PhoneEntry("+8613903528495", "13903528495")],
                dates=[dt.date(2024, 1, 1)],
            )
        )
    desk.reload_list()
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 3 * PAGE + 13)
    assert (
        desk.list_pane.model.loaded_count() < desk.list_pane.model.rowCount()
    )  # not every row was read
    desk.list_pane.table.scrollToBottom()
    qtbot.waitUntil(
        lambda: desk.list_pane.model.row_at(desk.list_pane.model.rowCount() - 1) is not None
    )
    last = desk.list_pane.model.index(desk.list_pane.model.rowCount() - 1, COL_TITLE).data()
    assert last == "敬告"  # newest first: the oldest ad is at the bottom


def test_clicking_the_date_header_sorts_by_issue_date(qtbot, desk: MainWindow) -> None:
    from adsdesk.ui.ad_table import COL_DATES

    ad_id = ads_store.save_ad(
        AdDraft(title="最早的一则", body="电话 13903528495", dates=[dt.date(2020, 1, 1)])
    )
    desk.reload_list()
    qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 14)
    assert desk.list_pane.model.row_at(0).id == ad_id  # newest id first by default
    header = desk.list_pane.table.horizontalHeader()
    spot = QPoint(header.sectionViewportPosition(COL_DATES) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)  # latest first
    qtbot.waitUntil(
        lambda: (
            desk.list_pane.model.row_at(desk.list_pane.model.rowCount() - 1) is not None
            and desk.list_pane.model.row_at(desk.list_pane.model.rowCount() - 1).id == ad_id
        )
    )
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)  # earliest first
    qtbot.waitUntil(
        lambda: (
            desk.list_pane.model.row_at(0) is not None
            and desk.list_pane.model.row_at(0).id == ad_id
        )
    )


def test_issue_list_shows_no_sort_arrow(qtbot, desk: MainWindow) -> None:
    header = desk.list_pane.table.horizontalHeader()
    assert header.isSortIndicatorShown()
    desk.show_issue(dt.date(2023, 2, 24))
    qtbot.waitUntil(lambda: "需核对" in desk.list_pane.count.text())
    assert not header.isSortIndicatorShown()  # category order, not a column sort


def test_searching_an_advertiser_by_pinyin_or_name_lists_their_ads(qtbot, desk: MainWindow) -> None:
    for query in ("dthp", "hepingyiyuan", "和平医院"):
        desk.list_pane.search.clear()
        qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 13)
        type_text(qtbot, desk.list_pane.search, query)
        qtbot.waitUntil(lambda: desk.list_pane.advertiser_hits.isVisible())
        assert "大同和平医院</a>（2 则）" in desk.list_pane.advertiser_hits.text()
        qtbot.waitUntil(lambda: desk.list_pane.model.rowCount() == 2)
        assert "找到 2 则" in desk.list_pane.count.text()
        rows = [desk.list_pane.model.row_at(r) for r in range(2)]
        assert all(r is not None and r.advertiser == "大同和平医院" for r in rows), query
    # the issue filter still applies to them
    desk.list_pane.filter_date.setDate(QDate(2023, 3, 1))
    desk.list_pane.filter_on_date.setChecked(True)
    qtbot.waitUntil(lambda: "找到 0 则" in desk.list_pane.count.text())
