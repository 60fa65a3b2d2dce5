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
    the clerk keeps: their own (saved over the stored one), the stored one, or neither yet."""

    chosen = Signal(str)

    def __init__(
        self, message: str, mine: AdDraft, stored: AdDraft, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("广告已被他人修改"))
        self.mine, self.stored = mine, stored
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("我的修改（未保存）")), 0, 0)
        grid.addWidget(QLabel(self.tr("已保存的版本")), 0, 1)
        self.mine_text = QPlainTextEdit(describe(mine))
        self.mine_text.setObjectName("conflictMine")
        self.stored_text = QPlainTextEdit(describe(stored))
        self.stored_text.setObjectName("conflictStored")
        for edit in (self.mine_text, self.stored_text):
            edit.setReadOnly(True)
            edit.setMinimumSize(300, 240)
        grid.addWidget(self.mine_text, 1, 0)
        grid.addWidget(self.stored_text, 1, 1)
        layout.addLayout(grid)
        self.keep_mine = QPushButton(self.tr("保留我的（覆盖已保存的）"))
        self.keep_mine.setObjectName("conflictKeepMine")
        self.take_stored = QPushButton(self.tr("采用已保存的（放弃我的修改）"))
        self.take_stored.setObjectName("conflictTakeStored")
        self.go_on = QPushButton(self.tr("返回编辑"))
        self.go_on.setObjectName("conflictGoOn")
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
