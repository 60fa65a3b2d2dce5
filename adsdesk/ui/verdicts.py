"""The phone verdict list beside the editor: one line per phone found, updated per keystroke."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from adsdesk.domain.phone_check import PhoneCheck
from adsdesk.domain.phone_find import PhoneMatch

GREEN, AMBER, RED = QColor("#1b7f3b"), QColor("#a15c00"), QColor("#c0262d")
PHONE_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2


def kind_name(kind: str) -> str:
    names = {
        "mobile": QCoreApplication.translate("phones", "手机"),
        "landline": QCoreApplication.translate("phones", "固话"),
        "shared_cost": QCoreApplication.translate("phones", "400电话"),
    }
    return names.get(kind, QCoreApplication.translate("phones", "其他号码"))


def verdict_state(match: PhoneMatch, caret: int | None) -> str:
    """'valid', 'typing' (incomplete and the caret is at its end) or 'invalid'."""
    if match.check.valid:
        return "valid"
    if match.check.incomplete and caret is not None and match.start <= caret <= match.end:
        return "typing"
    return "invalid"


def verdict_text(check: PhoneCheck, state: str) -> str:
    tr = QCoreApplication.translate
    if state == "valid":
        parts = [f"✓ {check.display}", kind_name(check.kind)]
        parts += [p for p in (check.region, check.carrier) if p]
        line = "  ·  ".join(parts)
        if check.note:
            line += f"  ({check.note})"
        return line
    if state == "typing":
        return tr("phones", "… {0}  输入中：{1}").format(check.input, check.reason)
    return tr("phones", "✗ {0}  {1}").format(check.input, check.reason)


class PhoneVerdicts(QListWidget):
    """Shows each phone's verdict; the clerk reads validity, print form, kind, region, carrier."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneVerdicts")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        # Long verdicts wrap instead of hiding their end behind a horizontal scroll bar.
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._empty()

    def _empty(self) -> None:
        item = QListWidgetItem(self.tr("正文中还没有电话号码"))
        item.setForeground(QBrush(QColor("#777777")))
        self.addItem(item)
        self.setFixedHeight(self.sizeHintForRow(0) + 8)

    def show_matches(self, matches: list[PhoneMatch], caret: int | None) -> None:
        self.clear()
        if not matches:
            self._empty()
            return
        for m in matches:
            state = verdict_state(m, caret)
            item = QListWidgetItem(verdict_text(m.check, state))
            item.setForeground(QBrush({"valid": GREEN, "typing": AMBER}.get(state, RED)))
            item.setData(PHONE_ROLE, m.check)
            item.setData(STATE_ROLE, state)
            item.setToolTip(m.check.reason or m.check.note or m.check.e164 or "")
            self.addItem(item)
        self._fit_height(len(matches))

    def _fit_height(self, n: int) -> None:
        rows = [self.sizeHintForRow(i) for i in range(min(n, 6))]
        one = self.sizeHintForRow(0)
        self.setFixedHeight(max(sum(rows), 2 * one) + 2 * len(rows) + 6)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.count() and self.item(0).data(STATE_ROLE) is not None:
            self._fit_height(self.count())  # wrapped lines change with the width

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def states(self) -> list[str]:
        return [
            self.item(i).data(STATE_ROLE)
            for i in range(self.count())
            if self.item(i).data(STATE_ROLE) is not None
        ]
