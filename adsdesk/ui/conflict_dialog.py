"""When another clerk saved the same ad first: theirs beside the clerk's own copy, and a choice."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.store.ads import AdDraft

KEEP_MINE, TAKE_STORED, GO_ON = "mine", "stored", "edit"


def describe(draft: AdDraft) -> str:
    """The ad as plain text, field by field, for comparing two copies."""
    lines = [
        f"分类：{draft.category or '（无）'}",
        f"客户：{draft.advertiser_name or '（无）'}",
        f"标题：{draft.title}",
        "正文：",
        draft.body,
        "电话：" + ("、".join(p.display for p in draft.phones) or "（无）"),
        "刊登日期：" + ("、".join(d.isoformat() for d in sorted(draft.dates)) or "（无）"),
    ]
    return "\n".join(lines)


class ConflictDialog(QDialog):
    """Shows the clerk's unsaved copy and the stored one side by side; ``chosen`` says which
    the clerk keeps: their own (saved over the stored one), the stored one, or neither yet.

    ``mine`` and ``stored`` are ads (shown field by field) or, for settings and rate cards,
    the text to show; ``what`` names the thing in the title (广告, 设置, 价目表, 订单);
    ``labels`` words the three choices for it (None for the third: not offered)."""

    chosen = Signal(str)

    def __init__(
        self,
        message: str,
        mine: AdDraft | str,
        stored: AdDraft | str,
        parent: QWidget | None = None,
        what: str = "",
        labels: tuple[str, str, str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("{0}已被他人修改").format(what or self.tr("广告")))
        self.mine, self.stored = mine, stored
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("我的修改（未保存）")), 0, 0)
        grid.addWidget(QLabel(self.tr("已保存的版本")), 0, 1)
        self.mine_text = QPlainTextEdit(mine if isinstance(mine, str) else describe(mine))
        self.mine_text.setObjectName("conflictMine")
        self.stored_text = QPlainTextEdit(stored if isinstance(stored, str) else describe(stored))
        self.stored_text.setObjectName("conflictStored")
        for edit in (self.mine_text, self.stored_text):
            edit.setReadOnly(True)
            edit.setMinimumSize(300, 240)
        grid.addWidget(self.mine_text, 1, 0)
        grid.addWidget(self.stored_text, 1, 1)
        layout.addLayout(grid)
        keep, take, go_on = labels or (
            self.tr("保留我的（覆盖已保存的）"),
            self.tr("采用已保存的（放弃我的修改）"),
            self.tr("返回编辑"),
        )
        self.keep_mine = QPushButton(keep)
        self.keep_mine.setObjectName("conflictKeepMine")
        self.take_stored = QPushButton(take)
        self.take_stored.setObjectName("conflictTakeStored")
        self.go_on = QPushButton(go_on or "")
        self.go_on.setObjectName("conflictGoOn")
        self.go_on.setVisible(go_on is not None)
        for button, choice in (
            (self.keep_mine, KEEP_MINE),
            (self.take_stored, TAKE_STORED),
            (self.go_on, GO_ON),
        ):
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)

    def _choose(self, choice: str) -> None:
        self.chosen.emit(choice)
        self.accept()
