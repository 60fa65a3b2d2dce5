"""Search results as the clerk reads them: the arrow, the 提示 column, the body hit shown."""

from __future__ import annotations

import datetime as dt

from conftest import type_text
from PySide6.QtCore import QPoint, Qt

from adsdesk.store.ads import AdDraft, save_ad
from adsdesk.ui.ad_table import COL_DATES, COL_FLAGS, COL_TITLE, MARKS_ROLE


def _search(qtbot, window, text: str) -> None:
    window.filter_on_date.setChecked(False)
    type_text(qtbot, window.search, text)
    qtbot.waitUntil(lambda: window.list_count.text().startswith("找到"))


def _column(window, col: int) -> list[str]:
    model = window.model
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
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_DATES) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(
        lambda: window.model.rowCount() == 3 and "长包月" in _column(window, COL_TITLE)[0]
    )
    assert header.sortIndicatorSection() == COL_DATES
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    shown = _column(window, COL_DATES)
    assert shown[0] == "2023-02-09 至 03-05（25 期）"
    assert shown[1:] == ["2023-03-03", "2023-03-01"]


def test_search_results_fill_the_hints_column(qtbot, demo_desk) -> None:
    window = demo_desk
    window.show_issue(dt.date(2023, 2, 24))
    qtbot.waitUntil(lambda: "需核对" in window.list_count.text())  # the issue's review is in
    in_issue = dict(zip(_column(window, 0), _column(window, COL_FLAGS), strict=True))
    assert in_issue[9] == "提醒 1"  # 学区-like claim in the day's review
    _search(qtbot, window, "迎泽街")
    qtbot.waitUntil(lambda: _column(window, COL_FLAGS) == ["提醒 1"])
    tip = window.model.index(0, COL_FLAGS).data(Qt.ItemDataRole.ToolTipRole)
    assert "校" in tip or "学区" in tip


def test_a_hit_in_the_body_shows_the_matching_snippet_marked(qtbot, demo_desk) -> None:
    window = demo_desk
    _search(qtbot, window, "幸福家园")
    qtbot.waitUntil(lambda: any("幸福家园" in t for t in _column(window, COL_TITLE)))
    titles = _column(window, COL_TITLE)
    row = next(r for r, t in enumerate(titles) if t.startswith("大同和平医院："))
    text = titles[row]
    marks = window.model.index(row, COL_TITLE).data(MARKS_ROLE)
    assert [text[a:b] for a, b in marks] == ["幸福家园"]
    assert "…" in text and len(text) < 60
