"""价目表: the desk's rate cards — list, edit the TOML text (checked as typed), import, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from adsdesk.assets import resource_path
from adsdesk.domain.ratecard import RateCardError, parse_card
from adsdesk.ui.dbexec import DbExecutor


class RateCardDialog(QDialog):
    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rateCardDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("价目表"))
        self.resize(900, 600)
        self.executor = executor
        self._card_id: int | None = None
        self._version: int | None = None  # the shown card's row version, for its save
        self.conflict_dialog: QDialog | None = None
        self.cards = QListWidget()
        self.cards.setObjectName("rateCardList")
        self.cards.currentItemChanged.connect(self._picked)
        self.text = QPlainTextEdit()
        self.text.setObjectName("rateCardText")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        self.text.textChanged.connect(self._check)
        self.verdict = QLabel()
        self.verdict.setObjectName("rateCardVerdict")
        self.verdict.setWordWrap(True)
        self.new_button = QPushButton(self.tr("新建（默认价目）"))
        self.new_button.clicked.connect(self._new)
        self.import_button = QPushButton(self.tr("导入 TOML…"))
        self.import_button.clicked.connect(self._import)
        self.export_button = QPushButton(self.tr("导出 TOML…"))
        self.export_button.clicked.connect(self._export)
        self.toggle_button = QPushButton(self.tr("停用"))
        self.toggle_button.clicked.connect(self._toggle)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("rateCardSave")
        self.save_button.clicked.connect(self._save)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(QLabel(self.tr("各价目表（按生效日期，新的在上）")))
        lbox.addWidget(self.cards, 1)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.text, 1)
        rbox.addWidget(self.verdict)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([260, 640])
        buttons = QHBoxLayout()
        for b in (self.new_button, self.import_button, self.export_button, self.toggle_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "改价只影响此后保存的订单：已收的订单保留当时的价格明细。"
                '金额写成带引号的元，如 "50.00"；百分数写整数。'
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        from adsdesk.store.ratecards import list_cards

        self.executor.submit(list_cards, lambda rows: self._listed(rows, select), self._failed)

    def _listed(self, rows: list[Any], select: int | None) -> None:
        if not isValid(self.cards):  # closed before the answer came back
            return
        self.cards.clear()
        for c in rows:
            label = f"{c.effective}  {c.name}" + ("" if c.category == "*" else f"（{c.category}）")
            if not c.active:
                label += self.tr("（停用）")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, (c.id, c.active))
            self.cards.addItem(item)
        if not rows:
            self._new()
            return
        index = next((i for i, c in enumerate(rows) if c.id == select), 0)
        self.cards.setCurrentRow(index)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        card_id, active = item.data(Qt.ItemDataRole.UserRole)
        self.toggle_button.setText(self.tr("停用") if active else self.tr("启用"))
        from adsdesk.store.ratecards import load_card

        self.executor.submit(lambda: load_card(card_id), self._show_card, self._failed)

    def _show_card(self, card: Any) -> None:
        if not isValid(self.text):
            return
        self._card_id, self._version = card.id, card.version
        self.text.setPlainText(card.text)

    def _new(self) -> None:
        self._card_id = None
        self._version = None
        self.cards.clearSelection()
        self.text.setPlainText(
            resource_path("ratecards", "default.toml").read_text(encoding="utf-8")
        )

    def _check(self) -> bool:
        try:
            card = parse_card(self.text.toPlainText())
        except RateCardError as exc:
            self.verdict.setText("✗ " + str(exc))
            self.verdict.setStyleSheet("color: #b00020;")
            self.save_button.setEnabled(False)
            return False
        self.verdict.setText(
            self.tr("✓ {0}：{1} 起生效，{2} 条价格，{3} 项加价，{4} 项折扣").format(
                card.name,
                card.effective,
                len(card.rates),
                len(card.surcharges),
                len(card.discounts),
            )
        )
        self.verdict.setStyleSheet("color: #1b7f3b;")
        self.save_button.setEnabled(True)
        return True

    def _save(self) -> None:
        if not self._check():
            return
        text, card_id, version = self.text.toPlainText(), self._card_id, self._version
        self._save_text(text, card_id, version)

    def _save_text(self, text: str, card_id: int | None, version: int | None) -> None:
        from adsdesk.store.ratecards import StaleCard, load_card, save_card

        def job() -> Any:
            try:  # over the version this copy was opened at, never over another desk's save
                saved = save_card(text, card_id, version)
            except StaleCard as exc:
                return exc
            return load_card(saved)

        self.executor.submit(job, self._saved, self._failed)

    def _saved(self, result: Any) -> None:
        from adsdesk.store.ratecards import StaleCard

        if not isValid(self.verdict):
            return
        if isinstance(result, StaleCard):
            self._conflict(result)
            return
        self._card_id, self._version = result.id, result.version
        self.verdict.setText(self.verdict.text() + self.tr("　已保存。"))
        self.reload(result.id)

    def _conflict(self, stale: Any) -> None:
        """Another desk saved this card since it was opened here: theirs beside mine."""
        from adsdesk.ui.conflict_dialog import KEEP_MINE, TAKE_STORED, ConflictDialog

        self._failed(str(stale))
        dialog = ConflictDialog(str(stale), stale.mine, stale.stored.text, self, self.tr("价目表"))
        self.conflict_dialog = dialog

        def chosen(choice: str) -> None:
            if choice == KEEP_MINE:  # mine, over the version now stored
                self._save_text(stale.mine, stale.stored.id, stale.stored.version)
            elif choice == TAKE_STORED:
                self._show_card(stale.stored)

        dialog.chosen.connect(chosen)
        dialog.open()

    def _toggle(self) -> None:
        item = self.cards.currentItem()
        if item is None:
            return
        card_id, active = item.data(Qt.ItemDataRole.UserRole)
        from adsdesk.store.ratecards import set_active

        self.executor.submit(
            lambda: set_active(card_id, not active), lambda _r: self.reload(card_id), self._failed
        )  # the card's text is reloaded with its new version

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("导入价目表"), str(Path.home()), self.tr("TOML 文件 (*.toml)")
        )
        if not path:
            return
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            self.verdict.setText(
                self.tr("✗ 无法读取 {0}：应为 UTF-8 编码的 TOML 文本。").format(path)
            )
            return
        self._card_id = None
        self.text.setPlainText(text)
        if self._check():
            self._save()

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出价目表"),
            str(Path.home() / "价目表.toml"),
            self.tr("TOML 文件 (*.toml)"),
        )
        if not path:
            return
        from adsdesk.io.atomic import write_bytes_atomic

        try:
            write_bytes_atomic(Path(path), self.text.toPlainText().encode("utf-8"))
        except Exception as exc:  # a folder that is gone, a full disk: said in one sentence
            self.verdict.setText("✗ " + str(exc))
            return
        self.verdict.setText(self.tr("已导出到 {0}").format(path))

    def _failed(self, message: str) -> None:
        self.verdict.setText("✗ " + message)
        self.verdict.setStyleSheet("color: #b00020;")
