"""Lazy table model of the ad list: ids first, rows fetched in pages off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from adsdesk.domain.wording import Finding
from adsdesk.store.ads import AdRow
from adsdesk.store.search import Spans

COL_ID, COL_CATEGORY, COL_TITLE, COL_PHONES, COL_DATES, COL_ADVERTISER, COL_FLAGS = range(7)
AD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS_ROLE = Qt.ItemDataRole.UserRole + 2  # (start, end) spans of the search hit in the text
PAGE = 200  # rows fetched per request

Index = QModelIndex | QPersistentModelIndex
# Submits fetch_rows(ids) to the database worker and calls back with the rows.
PageFetcher = Callable[[Sequence[int], Callable[[list[AdRow]], None]], None]
# Submits the search for the ids after the first n on the list; calls back (ids, more left).
MoreFetcher = Callable[[int, Callable[[list[int], bool], None]], None]


def _dates_text(row: AdRow) -> str:
    """First and last run date: the list sorts by the last, so both are on show."""
    if not row.dates:
        return ""
    first, last = min(row.dates), max(row.dates)
    if len(row.dates) == 1:
        return first.isoformat()
    end = last.strftime("%m-%d") if last.year == first.year else last.isoformat()
    return f"{first.isoformat()} 至 {end}（{len(row.dates)} 期）"


class AdTableModel(QAbstractTableModel):
    """Knows the ids of the current list (a search past the count cap: the first window of
    them, the next window asked for when the view reaches the end); asks for a page of rows
    when a row is first shown."""

    def __init__(self, parent: Any = None, fetcher: PageFetcher | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: dict[int, AdRow] = {}
        self._flags: dict[int, list[Finding]] = {}
        self._snippets: dict[int, tuple[str, Spans]] = {}
        self._requested: set[int] = set()
        self._generation = 0
        self._fetcher = fetcher
        self._more: MoreFetcher | None = None  # set while the list has more ids to ask for
        self._asking_more = False
        self.on_more: Callable[[], None] | None = None  # told when more ids have arrived
        self._headers = [
            self.tr("编号"),
            self.tr("分类"),
            self.tr("标题 / 正文"),
            self.tr("电话"),
            self.tr("刊登日期"),
            self.tr("客户"),
            self.tr("提示"),
        ]

    # --- content ------------------------------------------------------------------------
    def set_rows(self, rows: list[AdRow], flags: dict[int, list[Finding]] | None = None) -> None:
        """Replace the list with rows already at hand (an issue date's ads)."""
        self.set_ids([r.id for r in rows], rows, flags)

    def set_ids(
        self,
        ids: Sequence[int],
        first_rows: Sequence[AdRow] = (),
        flags: dict[int, list[Finding]] | None = None,
        snippets: dict[int, tuple[str, Spans]] | None = None,
    ) -> None:
        """Replace the list with ``ids``; rows not given are fetched page by page when shown.

        ``flags`` fill the 提示 column; ``snippets`` show where a search hit lies in the body.
        """
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._rows = {r.id: r for r in first_rows}
        self._flags = dict(flags or {})
        self._snippets = dict(snippets or {})
        self._requested = set()
        self._more = None
        self._asking_more = False
        self.endResetModel()

    def set_more(self, more: MoreFetcher | None) -> None:
        """The list shown is a first window: ``more`` asks for the ids after it (None: none)."""
        self._more = more

    def has_more(self) -> bool:
        return self._more is not None

    # --- more ids (Qt asks when the view is scrolled to the end) ------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more is not None and not self._asking_more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._more is not None
        self._asking_more = True
        generation = self._generation
        self._more(len(self._ids), lambda ids, more: self._more_arrived(generation, ids, more))

    def _more_arrived(self, generation: int, ids: list[int], more: bool) -> None:
        if generation != self._generation:
            return  # the list was replaced meanwhile
        known = set(self._ids)
        new = [i for i in ids if i not in known]
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._ids += new
            self.endInsertRows()
        self._asking_more = False
        if not more or not new:
            self._more = None
        if self.on_more is not None:
            self.on_more()

    def add_extras(
        self, flags: dict[int, list[Finding]], snippets: dict[int, tuple[str, Spans]]
    ) -> None:
        """Findings and snippets for a page of rows fetched later (shown when the rows arrive)."""
        self._flags.update(flags)
        self._snippets.update(snippets)
        rows = [self.row_of(i) for i in {*flags, *snippets}]
        rows = [r for r in rows if r >= 0]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), COL_FLAGS))

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_at(self, row: int) -> AdRow | None:
        """The row's data if it has arrived (None while its page is on its way)."""
        return self._rows.get(self._ids[row])

    def row_of(self, ad_id: int) -> int:
        try:
            return self._ids.index(ad_id)
        except ValueError:
            return -1

    def loaded_count(self) -> int:
        return len(self._rows)

    # --- paging -------------------------------------------------------------------------
    def _ensure(self, row: int) -> None:
        page = row // PAGE
        if page in self._requested or self._fetcher is None:
            return
        self._requested.add(page)
        generation = self._generation
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        missing = [i for i in ids if i not in self._rows]
        if not missing:
            return
        self._fetcher(missing, lambda rows: self._arrived(generation, page, rows))

    def _arrived(self, generation: int, page: int, rows: list[AdRow]) -> None:
        if generation != self._generation:
            return  # the list was replaced meanwhile
        for r in rows:
            self._rows[r.id] = r
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, COL_FLAGS))

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ad_id = self._ids[index.row()]
        col = index.column()
        if role == AD_ID_ROLE:
            return ad_id
        row = self._rows.get(ad_id)
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._ensure(index.row())
                return ad_id if col == COL_ID else ("…" if col == COL_TITLE else "")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == MARKS_ROLE and col == COL_TITLE and ad_id in self._snippets:
            shift = len(self._title_prefix(row))
            return [(a + shift, b + shift) for a, b in self._snippets[ad_id][1]]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_FLAGS:
                return "\n".join(f.message for f in self._flags.get(ad_id, [])) or None
            if col == COL_DATES:
                return "\n".join(d.isoformat() for d in row.dates)
            if col == COL_TITLE:
                return f"{row.title}\n{row.body}".strip()
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_FLAGS:
            found = self._flags.get(ad_id, [])
            if found:
                blocked = any(f.level == "block" for f in found)
                return QBrush(QColor("#c0262d" if blocked else "#a15c00"))
        if row.cancelled and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(True)  # a cancelled ad is kept, struck through
            return font
        if row.cancelled and role == Qt.ItemDataRole.ForegroundRole and col != COL_FLAGS:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: AdRow, col: int) -> Any:
        if col == COL_ID:
            return row.id
        if col == COL_CATEGORY:
            return row.category
        if col == COL_TITLE:
            if row.id in self._snippets:  # the hit is in the body: show it there
                return self._title_prefix(row) + self._snippets[row.id][0]
            return (row.title or row.body.replace("\n", " "))[:60]
        if col == COL_PHONES:
            return "，".join(row.phones)
        if col == COL_DATES:
            return _dates_text(row)
        if col == COL_ADVERTISER:
            return row.advertiser
        if col == COL_FLAGS:
            return self._flag_text(row.id)
        return None

    @staticmethod
    def _title_prefix(row: AdRow) -> str:
        return f"{row.title}：" if row.title else ""

    def _flag_text(self, ad_id: int) -> str:
        found = self._flags.get(ad_id, [])
        blocks = sum(f.level == "block" for f in found)
        warns = len(found) - blocks
        parts = []
        if blocks:
            parts.append(self.tr("禁止 {0}").format(blocks))
        if warns:
            parts.append(self.tr("提醒 {0}").format(warns))
        if any(f.rule == "duplicate.same_issue" for f in found):
            parts.append(self.tr("重复"))
        return " · ".join(parts)
