"""Wording findings: highlighted in the body text with the reason on hover, and listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPlainTextEdit, QToolTip, QWidget

from adsdesk.domain.phone_find import PhoneMatch
from adsdesk.domain.wording import Finding

BLOCK_COLOR, WARN_COLOR = QColor("#c0262d"), QColor("#c77700")
TYPING_COLOR = QColor("#a15c00")  # the phone list's amber: a number still being typed


@dataclass(frozen=True)
class Span:
    """A highlighted range of the body text with the message shown on hover."""

    start: int
    end: int
    level: str  # "block" | "warn" | "phone_ok" | "phone_bad" | "phone_typing"
    message: str


def _format(level: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if level == "block":
        fmt.setBackground(QBrush(QColor("#fde0e0")))
        fmt.setUnderlineColor(BLOCK_COLOR)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    elif level == "warn":
        fmt.setBackground(QBrush(QColor("#fff1cc")))
        fmt.setUnderlineColor(WARN_COLOR)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    elif level == "phone_ok":
        fmt.setForeground(QBrush(QColor("#1b7f3b")))
    elif level == "phone_typing":
        fmt.setForeground(QBrush(TYPING_COLOR))
        fmt.setUnderlineColor(TYPING_COLOR)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    elif level == "phone_bad":
        fmt.setForeground(QBrush(BLOCK_COLOR))
        fmt.setUnderlineColor(BLOCK_COLOR)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    return fmt


class SpanHighlighter(QSyntaxHighlighter):
    """Paints the spans onto the body document, block by block."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._spans: list[Span] = []
        self._formats = {
            lvl: _format(lvl) for lvl in ("block", "warn", "phone_ok", "phone_bad", "phone_typing")
        }

    def set_spans(self, spans: list[Span]) -> None:
        if spans != self._spans:
            self._spans = spans
            self.rehighlight()

    def spans_at(self, pos: int) -> list[Span]:
        return [s for s in self._spans if s.start <= pos < s.end]

    def highlightBlock(self, text: str) -> None:
        start = self.currentBlock().position()
        end = start + len(text)
        # Phones first, findings over them, so a blocked phone shows as blocked.
        for span in sorted(self._spans, key=lambda s: s.level.startswith("phone"), reverse=True):
            lo, hi = max(span.start, start), min(span.end, end)
            if lo < hi:
                self.setFormat(lo - start, hi - lo, self._formats[span.level])


class HoverTips(QObject):
    """Shows the message of the span under the mouse as a tooltip."""

    def __init__(self, editor: QPlainTextEdit, highlighter: SpanHighlighter) -> None:
        super().__init__(editor)
        self._editor = editor
        self._highlighter = highlighter
        editor.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cursor = self._editor.cursorForPosition(event.pos())
            spans = self._highlighter.spans_at(cursor.position())
            if spans:
                QToolTip.showText(
                    event.globalPos(), "\n".join(s.message for s in spans), self._editor
                )
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)


class FindingList(QListWidget):
    """The findings under the editor; activating one selects its text."""

    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingList")
        self.setWordWrap(True)
        self.itemActivated.connect(
            lambda item: self.finding_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.itemClicked.connect(
            lambda item: self.finding_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def show_findings(
        self, findings: list[Finding], typing: Mapping[tuple[int, int], PhoneMatch] | None = None
    ) -> None:
        """List the findings; a wrong number that is still being typed (``typing``, by its
        span) shows as 输入中 in amber, as the phone list shows it, not yet as 禁止."""
        typing = typing or {}
        self.clear()
        if not findings:
            item = QListWidgetItem(self.tr("✓ 未发现用语问题"))
            item.setForeground(QBrush(QColor("#1b7f3b")))
            self.addItem(item)
            return
        for f in findings:
            being_typed = typing.get((f.start, f.end)) if f.rule == "phone.invalid" else None
            if being_typed is not None:
                item = QListWidgetItem(
                    self.tr("[输入中] 电话 {0}：{1}").format(
                        being_typed.text, being_typed.check.reason
                    )
                )
                item.setForeground(QBrush(TYPING_COLOR))
                item.setData(Qt.ItemDataRole.UserRole, f)
                item.setToolTip(f.rule)
                self.addItem(item)
                continue
            tag = self.tr("禁止") if f.level == "block" else self.tr("提醒")
            item = QListWidgetItem(f"[{tag}] {f.message}")
            item.setForeground(QBrush(BLOCK_COLOR if f.level == "block" else WARN_COLOR))
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setToolTip(f.rule)
            self.addItem(item)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
