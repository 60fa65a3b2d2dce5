"""The ad list with its search box and filters; answers as the clerk types (debounced)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.wording import Finding
from adsdesk.review import review_issue, review_rows
from adsdesk.store import ads as ads_store
from adsdesk.store import search as search_store
from adsdesk.store.ads import AdRow
from adsdesk.store.settings import load_settings
from adsdesk.ui.ad_table import (
    AD_ID_ROLE,
    COL_ADVERTISER,
    COL_CATEGORY,
    COL_DATES,
    COL_FLAGS,
    COL_ID,
    COL_PHONES,
    COL_TITLE,
    PAGE,
    AdTableModel,
    MoreFetcher,
)
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.highlight import HighlightDelegate
from adsdesk.ui.run_dates import to_date

# Starting widths in pixels; the title column takes what is left.
COLUMN_WIDTHS = {
    COL_ID: 56,
    COL_CATEGORY: 72,
    COL_PHONES: 120,
    COL_DATES: 96,
    COL_ADVERTISER: 110,
    COL_FLAGS: 100,
}
# The narrowest each column goes when the pane is small (a 1024-pixel screen).
COLUMN_MIN_WIDTHS = {
    COL_ID: 36,
    COL_CATEGORY: 60,
    COL_PHONES: 92,
    COL_DATES: 80,
    COL_ADVERTISER: 52,
    COL_FLAGS: 52,
}
TITLE_MIN_WIDTH = 170
SEARCH_DELAY_MS = 200
# A search lists this many ads at a time and counts no further ("找到 1000+ 则"): a common
# character holds hundreds of thousands of the ads of a large desk, and every id listed or
# counted costs the database a row visit. Scrolling to the end lists the next ones.
LIST_WINDOW = search_store.DEFAULT_COUNT_LIMIT


class AdListPane(QWidget):
    """Search box, date/category filters, the lazy ad table and the matching advertisers."""

    ad_selected = Signal(int)
    advertiser_activated = Signal(int)
    failed = Signal(str)
    rows_shown = Signal()  # a list has arrived and is on screen

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self._generation = 0
        self._pending_select: int | None = None
        self._area_code: str | None = None  # the paper's, once the settings arrive
        self._refused: dict[str, str] = {}
        self._order: search_store.Order = "id_desc"
        self._build()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("搜索：任意字词、电话（可只输末4位）、客户拼音首字母…")
        )
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)

        self.filter_on_date = QCheckBox(self.tr("只看该期"))
        self.filter_on_date.setObjectName("filterOnDate")
        self.filter_date = QDateEdit()
        self.filter_date.setObjectName("filterDate")
        self.filter_date.setCalendarPopup(True)
        self.filter_date.setDisplayFormat("yyyy-MM-dd")
        self.filter_date.setDate(QDate.currentDate())
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("filterCategory")
        self.filter_on_date.toggled.connect(lambda _c: self.reload())
        self.filter_date.dateChanged.connect(self._date_changed)
        self.filter_category.currentIndexChanged.connect(lambda _i: self.reload())

        self.model = AdTableModel(self, fetcher=self._fetch_page)
        self.table = QTableView()
        self.table.setObjectName("adTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.highlighter = HighlightDelegate(self.table)
        self.table.setItemDelegateForColumn(COL_TITLE, self.highlighter)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COL_ID, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._sort_clicked)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.advertiser_hits = QLabel()
        self.advertiser_hits.setObjectName("advertiserHits")
        self.advertiser_hits.setWordWrap(True)
        self.advertiser_hits.setTextFormat(Qt.TextFormat.RichText)
        self.advertiser_hits.linkActivated.connect(self._advertiser_link)
        self.advertiser_hits.setVisible(False)
        self.count = QLabel()
        self.count.setObjectName("listCount")

        filters = QHBoxLayout()
        filters.addWidget(self.filter_on_date)
        filters.addWidget(self.filter_date)
        filters.addWidget(QLabel(self.tr("分类")))
        filters.addWidget(self.filter_category, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.advertiser_hits)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """On a narrow pane the side columns give way so the title keeps room to be read."""
        room = self.table.viewport().width() - TITLE_MIN_WIDTH
        full = sum(COLUMN_WIDTHS.values())
        least = sum(COLUMN_MIN_WIDTHS.values())
        share = min(1.0, max(0.0, (room - least) / (full - least)))
        for col, width in COLUMN_WIDTHS.items():
            low = COLUMN_MIN_WIDTHS[col]
            self.table.setColumnWidth(col, round(low + (width - low) * share))

    # --- context ------------------------------------------------------------------------
    def set_context(
        self, categories: Sequence[str], area_code: str, refused: dict[str, str]
    ) -> None:
        self._area_code = area_code
        self._refused = dict(refused)
        current = self.filter_category.currentText()
        self.filter_category.blockSignals(True)
        self.filter_category.clear()
        self.filter_category.addItem(self.tr("全部分类"), "")
        for name in categories:
            self.filter_category.addItem(name, name)
        self.filter_category.setCurrentIndex(max(self.filter_category.findText(current), 0))
        self.filter_category.blockSignals(False)

    def _date_changed(self, _d: QDate) -> None:
        if self.filter_on_date.isChecked():
            self.reload()

    def _sort_clicked(self, section: int) -> None:
        if section == COL_DATES:
            self._order = "date_desc" if self._order != "date_desc" else "date_asc"
        else:
            self._order = "id_desc" if self._order != "id_desc" else "id_asc"
        column = COL_DATES if self._order.startswith("date") else COL_ID
        descending = self._order.endswith("desc")
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.reload()

    # --- loading ------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        """Run the current query and filters on the database worker; newest request wins."""
        if select is not None:
            self._pending_select = select
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        query = self.search.text().strip()
        date = to_date(self.filter_date.date()) if self.filter_on_date.isChecked() else None
        category = self.filter_category.currentData() or None
        order = self._order
        area, refused = self._area_code, dict(self._refused)
        self.count.setText(self.tr("正在查找…") if query else self.tr("正在读取…"))

        filters = search_store.Filters(category=category, on_date=date)

        def job() -> tuple[list[int], list[AdRow], dict[int, list[Finding]], list[Any], bool]:
            if query:
                # the advertisers the query names bring their ads into the list
                ids, advertisers, more = _search_window(query, filters, order, 0)
                return ids, search_store.fetch_rows(ids[:PAGE]), {}, advertisers, more
            if date is not None:  # an issue: the desk's category order, with its review
                rows = ads_store.list_ads(date=date, category=category)
                return (
                    [r.id for r in rows],
                    rows,
                    review_issue(date, area or load_settings().area_code, refused),
                    [],
                    False,
                )
            ids = search_store.ad_ids(filters, order)
            return ids, search_store.fetch_rows(ids[:PAGE]), {}, [], False

        def more(start: int, done: Callable[[list[int], bool], None]) -> None:
            def next_window() -> tuple[list[int], bool]:
                ids, _advertisers, left = _search_window(query, filters, order, start)
                return ids, left

            self.executor.submit(next_window, lambda result: done(*result), self.failed.emit)

        # An issue's list is in the desk's category order, not sorted by a column.
        self.table.horizontalHeader().setSortIndicatorShown(bool(query) or date is None)

        def arrived(
            result: tuple[list[int], list[AdRow], dict[int, list[Finding]], list[Any], bool],
        ) -> None:
            ids, first, flags, advertisers, has_more = result
            self._loaded(generation, query, ids, first, flags, advertisers, has_more, more)

        self.executor.submit(job, arrived, self.failed.emit)

    def _loaded(
        self,
        generation: int,
        query: str,
        ids: list[int],
        first: list[AdRow],
        flags: dict[int, list[Finding]],
        advertisers: list[Any],
        has_more: bool,
        more: MoreFetcher,
    ) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.highlighter.set_query(query)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_ids(ids, first, flags)
        self.model.set_more(more if has_more else None)
        self.model.on_more = lambda: self._show_count(query, {})
        selection.blockSignals(False)
        self._show_count(query, flags)
        self._show_advertisers(advertisers)
        if (
            query or not self.filter_on_date.isChecked()
        ):  # outside an issue's review: check the rows on show
            self._add_extras(generation, first, query)
        if self._pending_select is not None:
            self.select_ad(self._pending_select)
            self._pending_select = None
        self.rows_shown.emit()

    def _show_count(self, query: str, flags: dict[int, list[Finding]]) -> None:
        """The status line under the list: how many ads (a search past the cap: "1000+")."""
        listed = self.model.rowCount()
        if not query:
            text = self.tr("共 {0} 则广告").format(listed)
        elif self.model.has_more():
            text = self.tr("找到 {0}+ 则广告，已列出前 {0} 则，滚动到底可接着列出").format(listed)
        else:
            text = self.tr("找到 {0} 则广告").format(listed)
        needing = sum(1 for f in flags.values() if f)
        if needing:
            text += self.tr("，{0} 则需核对").format(needing)
        self.count.setText(text)

    def _show_advertisers(self, hits: list[Any]) -> None:
        if not hits:
            self.advertiser_hits.setVisible(False)
            self.advertiser_hits.clear()
            return
        links = [f"<a href='adv:{h.id}'>{html.escape(h.name)}</a>（{h.ad_count} 则）" for h in hits]
        self.advertiser_hits.setText(self.tr("客户：") + "　".join(links))
        self.advertiser_hits.setVisible(True)

    def _advertiser_link(self, link: str) -> None:
        if link.startswith("adv:"):
            self.advertiser_activated.emit(int(link[4:]))

    def _fetch_page(self, ids: Sequence[int], done: Callable[[list[AdRow]], None]) -> None:
        wanted = list(ids)
        generation, query = self._generation, self.search.text().strip()

        def arrived(rows: list[AdRow]) -> None:
            done(rows)
            if query or not self.filter_on_date.isChecked():
                self._add_extras(generation, rows, query)

        self.executor.submit(lambda: search_store.fetch_rows(wanted), arrived, self.failed.emit)

    def _add_extras(self, generation: int, rows: list[AdRow], query: str) -> None:
        """Fill 提示 (the checks, as in the day's list) and body snippets after the rows show."""
        if not rows:
            return
        area, refused = self._area_code, dict(self._refused)

        def job() -> tuple[dict[int, list[Finding]], dict[int, tuple[str, search_store.Spans]]]:
            snippets = search_store.body_snippets(rows, query) if query else {}
            return review_rows(rows, area or load_settings().area_code, refused), snippets

        def done(result: tuple[dict[int, list[Finding]], dict[int, Any]]) -> None:
            if generation == self._generation:
                self.model.add_extras(*result)

        self.executor.submit(job, done, self.failed.emit)

    # --- selection ----------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.ad_selected.emit(int(self.model.data(current, AD_ID_ROLE)))

    def select_ad(self, ad_id: int | None) -> None:
        """Make ``ad_id`` the current row without announcing it (or clear the selection)."""
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        row = self.model.row_of(ad_id) if ad_id is not None else -1
        if row >= 0:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        else:
            self.table.clearSelection()
        selection.blockSignals(False)

    def issue_date(self) -> dt.date | None:
        return to_date(self.filter_date.date()) if self.filter_on_date.isChecked() else None


def _search_window(
    query: str, filters: search_store.Filters, order: search_store.Order, start: int
) -> tuple[list[int], list[Any], bool]:
    """The ``LIST_WINDOW`` ads of a search from ``start`` on, the advertisers it names, and
    whether more ads follow (database thread)."""
    ids, advertisers = search_store.search_ad_ids_and_advertisers(
        query, filters, order, limit=LIST_WINDOW + 1, offset=start
    )
    return ids[:LIST_WINDOW], advertisers, len(ids) > LIST_WINDOW
