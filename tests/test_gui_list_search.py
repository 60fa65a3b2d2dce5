"""Search results as the clerk reads them: the arrow, the 提示 column, the body hit shown."""

from __future__ import annotations

import datetime as dt

from conftest import type_text
from PySide6.QtCore import QPoint, Qt

from adsdesk.store.ads import AdDraft, save_ad
from adsdesk.ui.ad_table import COL_DATES, COL_FLAGS, COL_TITLE, MARKS_ROLE


def _settled(window) -> bool:
    """No search waiting to start and nothing left on the database thread: the list is final
    (not an earlier answer, e.g. for the first characters typed or the issue shown before)."""
    pane = window.list_pane
    return not pane._search_timer.isActive() and pane.executor.pending() == 0


def _search(qtbot, window, text: str) -> None:
    window.list_pane.filter_on_date.setChecked(False)
    type_text(qtbot, window.list_pane.search, text)
    qtbot.waitUntil(lambda: _settled(window) and window.list_pane.count.text().startswith("找到"))


def _column(window, col: int) -> list[str]:
    model = window.list_pane.model
    return [model.index(r, col).data() or "" for r in range(model.rowCount())]


def test_date_sort_arrow_matches_the_dates_shown(qtbot, demo_desk) -> None:
    """Sorted by 刊登日期, the dates on show run in the arrow's direction (last run dates)."""
    day = dt.date(2023, 3, 1)
    long_run = [day - dt.timedelta(days=20) + dt.timedelta(days=k) for k in range(25)]
    for body, dates in (
        ("搬家公司 一口价 13935210001", [day]),
        ("搬家公司 长包月 13935210002", long_run),  # starts first, ends last
        ("搬家公司 周末 13935210003", [day + dt.timedelta(days=2)]),
    ):
        save_ad(AdDraft(category="家居服务", body=body, dates=dates))
    window = demo_desk
    _search(qtbot, window, "搬家公司")
    header = window.list_pane.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_DATES) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(
        lambda: window.list_pane.model.rowCount() == 3 and "长包月" in _column(window, COL_TITLE)[0]
    )
    assert header.sortIndicatorSection() == COL_DATES
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    shown = _column(window, COL_DATES)
    assert shown[0] == "2023-02-09 至 03-05（25 期）"
    assert shown[1:] == ["2023-03-03", "2023-03-01"]


def test_search_results_fill_the_hints_column(qtbot, demo_desk) -> None:
    window = demo_desk
    window.show_issue(dt.date(2023, 2, 24))
    # the issue's review is in (and no earlier list is still on its way)
    qtbot.waitUntil(lambda: _settled(window) and "需核对" in window.list_pane.count.text())
    in_issue = dict(zip(_column(window, 0), _column(window, COL_FLAGS), strict=True))
    assert in_issue[9] == "提醒 1"  # 学区-like claim in the day's review
    _search(qtbot, window, "迎泽街")
    qtbot.waitUntil(lambda: _column(window, COL_FLAGS) == ["提醒 1"])
    tip = window.list_pane.model.index(0, COL_FLAGS).data(Qt.ItemDataRole.ToolTipRole)
    assert "校" in tip or "学区" in tip


def test_a_hit_in_the_body_shows_the_matching_snippet_marked(qtbot, demo_desk) -> None:
    window = demo_desk
    _search(qtbot, window, "幸福家园")
    qtbot.waitUntil(lambda: any("幸福家园" in t for t in _column(window, COL_TITLE)))
    titles = _column(window, COL_TITLE)
    row = next(r for r, t in enumerate(titles) if t.startswith("大同和平医院："))
    text = titles[row]
    marks = window.list_pane.model.index(row, COL_TITLE).data(MARKS_ROLE)
    assert [text[a:b] for a, b in marks] == ["幸福家园"]
    assert "…" in text and len(text) < 60


def _arrow_rows(header, section: int) -> list[int]:
    """Row widths of the sort arrow: the rightmost ink in the section, apart from its label."""
    from PySide6.QtCore import QRect

    x0 = header.sectionViewportPosition(section)
    image = header.grab(QRect(x0, 0, header.sectionSize(section) - 2, header.height() - 3))
    image = image.toImage()

    def ink(x: int, y: int) -> bool:
        return image.pixelColor(x, y).lightness() < 200

    inked = [x for x in range(image.width()) if any(ink(x, y) for y in range(image.height()))]
    blob = [inked[-1]]
    for x in reversed(inked[:-1]):
        if x != blob[-1] - 1:
            break
        blob.append(x)
    rows = [sum(ink(x, y) for x in blob) for y in range(image.height())]
    return [n for n in rows if n]


def test_newest_first_shows_a_down_arrow(qtbot, demo_desk) -> None:
    """▼ on 编号 while the newest (highest number) is on top, ▲ once turned around."""
    from adsdesk.ui.ad_table import COL_ID

    window = demo_desk
    _search(qtbot, window, "大同")
    header = window.list_pane.table.horizontalHeader()
    assert header.sortIndicatorSection() == COL_ID
    ids = [int(i) for i in _column(window, 0)]
    assert ids == sorted(ids, reverse=True)
    down = _arrow_rows(header, COL_ID)
    assert down and down[0] > down[-1]  # wide at the top: ▼
    x = header.sectionViewportPosition(COL_ID) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: [int(i) for i in _column(window, 0)] == sorted(ids))
    up = _arrow_rows(header, COL_ID)
    assert up and up[0] < up[-1]  # wide at the bottom: ▲


def test_a_search_past_the_cap_says_so_and_lists_the_rest_on_scrolling(
    qtbot, demo_desk, monkeypatch
) -> None:
    """More hits than a window: the list holds the first window, the status line says "30+",
    and scrolling to the end lists the rest in the same order as the whole search."""
    from adsdesk.store.search import search_ad_ids
    from adsdesk.ui import ad_list_pane

    monkeypatch.setattr(ad_list_pane, "LIST_WINDOW", 30)  # a window taller than the pane
    for k in range(35):
        save_ad(AdDraft(category="家居服务", body=f"蓝鲸搬运 第{k}号 1393521{k:04d}"))
    window = demo_desk
    window.resize(900, 500)
    _search(qtbot, window, "蓝鲸搬运")
    pane = window.list_pane
    assert pane.count.text() == "找到 30+ 则广告，已列出前 30 则，滚动到底可接着列出"
    assert pane.model.rowCount() == 30
    pane.table.scrollToBottom()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 35)
    qtbot.waitUntil(lambda: pane.count.text() == "找到 35 则广告")
    assert pane.model.ids() == search_ad_ids("蓝鲸搬运")
