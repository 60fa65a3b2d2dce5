"""Table model of the ad list (id, category, title, phones, dates, advertiser)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from adsdesk.domain.wording import Finding
from adsdesk.store.ads import AdRow

COL_ID, COL_CATEGORY, COL_TITLE, COL_PHONES, COL_DATES, COL_ADVERTISER, COL_FLAGS = range(7)
AD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def _dates_text(row: AdRow) -> str:
    if not row.dates:
        return ""
    first = row.dates[0].isoformat()
    if len(row.dates) == 1:
        return first
    return f"{first} 起 {len(row.dates)} 期"


class AdTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AdRow] = []
        self._headers = [
            self.tr("编号"),
            self.tr("分类"),
            self.tr("标题 / 正文"),
            self.tr("电话"),
            self.tr("刊登日期"),
            self.tr("客户"),
            self.tr("提示"),
        ]
        self._flags: dict[int, list[Finding]] = {}

    def set_rows(self, rows: list[AdRow], flags: dict[int, list[Finding]] | None = None) -> None:
        """Replace the list; ``flags`` are the findings of an issue review (ad id -> findings)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._flags = dict(flags or {})
        self.endResetModel()

    def flags_of(self, ad_id: int) -> list[Finding]:
        return self._flags.get(ad_id, [])

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

    def row_at(self, row: int) -> AdRow:
        return self._rows[row]

    def row_of(self, ad_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == ad_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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
        row = self._rows[index.row()]
        col = index.column()
        if role == AD_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_ID:
                return row.id
            if col == COL_CATEGORY:
                return row.category
            if col == COL_TITLE:
                text = row.title or row.body.replace("\n", " ")
                return text[:60]
            if col == COL_PHONES:
                return "，".join(row.phones)
            if col == COL_DATES:
                return _dates_text(row)
            if col == COL_ADVERTISER:
                return row.advertiser
            if col == COL_FLAGS:
                return self._flag_text(row.id)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_FLAGS:
            return "\n".join(f.message for f in self._flags.get(row.id, [])) or None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_FLAGS:
            found = self._flags.get(row.id, [])
            if found:
                blocked = any(f.level == "block" for f in found)
                return QBrush(QColor("#c0262d" if blocked else "#a15c00"))
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_TITLE, COL_DATES):
            if col == COL_DATES:
                return "\n".join(d.isoformat() for d in row.dates)
            return f"{row.title}\n{row.body}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
