"""Paste a column or a customer's message, check the ads it splits into, save the chosen ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.checks import may_print
from adsdesk.domain.profile import PaperProfile
from adsdesk.domain.splitter import (
    Draft,
    make_draft,
    merge_drafts,
    repeated_drafts,
    split_draft,
    split_text,
)
from adsdesk.domain.wording import Finding
from adsdesk.io.import_tables import import_rows, plan_from_drafts
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.findings import BLOCK_COLOR, WARN_COLOR, FindingList, Span, SpanHighlighter
from adsdesk.ui.run_dates import RunDates
from adsdesk.ui.verdicts import GREEN, PhoneVerdicts

DRAFT_ROLE = Qt.ItemDataRole.UserRole + 10


class PasteDialog(QDialog):
    """Pasted text on the left, the drafts it splits into in the middle, one draft on the right.

    Emits ``saved`` with the new ad ids after each save; saved drafts leave the list.
    """

    saved = Signal(object)

    def __init__(
        self,
        executor: DbExecutor,
        categories: Sequence[str],
        profile: PaperProfile,
        refused: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
        issue: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pasteDialog")
        self.setWindowTitle(self.tr("粘贴拆分广告"))
        self.resize(1360, 820)
        self.executor = executor
        self._categories = list(categories)
        self._profile = profile
        self._area_code = profile.area_code
        self._refused = dict(refused or {})
        self._drafts: list[Draft] = []
        self._ticked: list[bool] = []
        self._edited: list[bool] = []
        self._current = -1
        self._loading = False
        self._saving = False
        self._build()
        if issue is not None:
            self.run_dates.show_day(issue)  # the calendar opens at the issue being worked on

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.source = QPlainTextEdit()
        self.source.setObjectName("pasteSource")
        self.source.setPlaceholderText(
            self.tr("把整栏文字或客户发来的消息粘贴到这里，会自动拆分成一则则广告。")
        )
        self._split_timer = QTimer(self, singleShot=True, interval=400)
        self._split_timer.timeout.connect(self._auto_split)
        self.source.textChanged.connect(self._split_timer.start)
        self.split_button = QPushButton(self.tr("重新拆分"))
        self.split_button.setObjectName("splitButton")
        self.split_button.setToolTip(self.tr("按原文重新拆分；对草稿的修改会丢失"))
        self.split_button.clicked.connect(self.split_now)
        self.masthead = QLabel()
        self.masthead.setObjectName("pasteMasthead")
        self.masthead.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(QLabel(self.tr("原文")))
        left_layout.addWidget(self.source, 1)
        left_layout.addWidget(self.masthead)
        left_layout.addWidget(self.split_button)

        self.list = QListWidget()
        self.list.setObjectName("draftList")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._select)
        self.list.itemChanged.connect(self._ticked_changed)
        self.merge_button = QPushButton(self.tr("与下一则合并"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.merge_with_next)
        self.cut_button = QPushButton(self.tr("在光标处拆开"))
        self.cut_button.setObjectName("cutButton")
        self.cut_button.setToolTip(self.tr("把正文从光标处分成两则广告"))
        self.cut_button.clicked.connect(self.split_at_cursor)
        self.all_button = QPushButton(self.tr("全选"))
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button = QPushButton(self.tr("全不选"))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        self.count = QLabel()
        self.count.setObjectName("draftCount")

        middle = QWidget()
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 6, 0, 6)
        mid_layout.addWidget(QLabel(self.tr("拆出的广告（勾选要保存的）")))
        mid_layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.merge_button)
        row.addWidget(self.cut_button)
        mid_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addWidget(self.count, 1)
        mid_layout.addLayout(row)

        self.title = QLineEdit()
        self.title.setObjectName("draftTitle")
        self.title.setPlaceholderText(self.tr("标题（可空）"))
        self.category = QComboBox()
        self.category.setObjectName("draftCategory")
        self.body = QPlainTextEdit()
        self.body.setObjectName("draftBody")
        self.highlighter = SpanHighlighter(self.body.document())
        self.verdicts = PhoneVerdicts()
        self.findings = FindingList()
        self._edit_timer = QTimer(self, singleShot=True, interval=150)
        self._edit_timer.timeout.connect(self._apply_edit)
        self.title.textEdited.connect(lambda _t: self._edit_timer.start())
        self.body.textChanged.connect(self._body_changed)
        self.category.currentIndexChanged.connect(lambda _i: self._edited_now())

        right = QWidget()
        form = QFormLayout(right)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("分类"), self.category)
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("正文"), self.body)
        form.addRow(self.tr("电话"), self.verdicts)
        form.addRow(self.tr("检查"), self.findings)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 4)

        self.run_dates = RunDates()
        self.status = QLabel()
        self.status.setObjectName("pasteStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存所选"))
        self.save_button.setObjectName("pasteSave")
        self.save_button.clicked.connect(self.save_ticked)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.run_dates, 2)
        side = QVBoxLayout()
        side.addWidget(self.status, 1)
        side.addWidget(self.save_button)
        side.addWidget(self.close_button)
        bottom.addLayout(side, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 3)
        layout.addLayout(bottom, 1)
        self._show_draft(None)
        self._refresh_count()

    # --- splitting ----------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Put text in the source pane and split it at once (as a paste does, after a pause)."""
        self.source.setPlainText(text)
        self.split_now()

    def _auto_split(self) -> None:
        if not any(self._edited):
            self.split_now()

    def split_now(self) -> None:
        self._split_timer.stop()
        result = split_text(
            self.source.toPlainText(), self._profile, self._categories or None, self._refused
        )
        if result.masthead is not None:
            hotlines = "、".join(result.masthead.hotlines) or self.tr("无")
            self.masthead.setText(
                self.tr("已识别报头：{0}（热线 {1}），不作为广告。").format(
                    result.masthead.title, hotlines
                )
            )
        else:
            self.masthead.setText("")
        self._set_drafts(result.drafts, [may_print(d.findings) for d in result.drafts])
        self.status.setText("")

    def _set_drafts(self, drafts: list[Draft], ticked: list[bool], select: int = 0) -> None:
        self._drafts = drafts
        self._ticked = ticked
        self._edited = [False] * len(drafts)
        self._rebuild_list(select)

    # --- the list -----------------------------------------------------------------------
    def _rebuild_list(self, select: int) -> None:
        repeats = repeated_drafts(self._drafts)
        self._loading = True
        self.list.clear()
        for i, draft in enumerate(self._drafts):
            item = QListWidgetItem()
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if self._ticked[i] else Qt.CheckState.Unchecked
            )
            self._paint_item(item, i, draft, repeats.get(i, []))
            self.list.addItem(item)
        self._loading = False
        self._current = -1
        if self._drafts:
            self.list.setCurrentRow(min(max(select, 0), len(self._drafts) - 1))
        else:
            self._show_draft(None)
        self._refresh_count()

    def _paint_item(self, item: QListWidgetItem, i: int, draft: Draft, repeats: list[str]) -> None:
        name = draft.title or (draft.body.split("\n", 1)[0][:18] + "…")
        phones = "、".join(draft.printed_phones()) or self.tr("无电话")
        category = draft.category or self.tr("未分类")
        blocked = not may_print(draft.findings)
        warned = any(f.level == "warn" for f in draft.findings) or repeats
        mark = "✗" if blocked else ("⚠" if warned else "✓")
        item.setText(f"{mark} {i + 1}. {name}\n    {category} · {phones}")
        item.setData(DRAFT_ROLE, i)
        color = BLOCK_COLOR if blocked else (WARN_COLOR if warned else GREEN)
        item.setForeground(QBrush(color))
        tips = [f.message for f in draft.findings] + repeats
        item.setToolTip("\n".join(tips) or self.tr("未发现问题"))

    def _ticked_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        i = item.data(DRAFT_ROLE)
        if isinstance(i, int) and 0 <= i < len(self._ticked):
            self._ticked[i] = item.checkState() == Qt.CheckState.Checked
            self._refresh_count()

    def _tick_all(self, on: bool) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(
                Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            )

    def _refresh_count(self) -> None:
        n = sum(self._ticked)
        self.count.setText(self.tr("共 {0} 则，已选 {1} 则").format(len(self._drafts), n))
        self.save_button.setEnabled(n > 0 and not self._saving)
        has = 0 <= self._current < len(self._drafts)
        self.merge_button.setEnabled(has and self._current + 1 < len(self._drafts))
        self.cut_button.setEnabled(has)

    def tick(self, index: int, on: bool) -> None:
        """Tick or untick one draft (as clicking its box does)."""
        self.list.item(index).setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        )

    def drafts(self) -> list[Draft]:
        return list(self._drafts)

    def ticked(self) -> list[int]:
        return [i for i, on in enumerate(self._ticked) if on]

    # --- one draft ----------------------------------------------------------------------
    def _select(self, row: int) -> None:
        if self._loading:
            return
        self._apply_edit()
        self._current = row
        self._show_draft(self._drafts[row] if 0 <= row < len(self._drafts) else None)
        self._refresh_count()

    def _show_draft(self, draft: Draft | None) -> None:
        self._loading = True
        self.category.clear()
        self.category.addItem(self.tr("（未分类）"), "")
        for name in self._categories:
            self.category.addItem(name, name)
        enabled = draft is not None
        for w in (self.title, self.body, self.category):
            w.setEnabled(enabled)
        if draft is None:
            self.title.clear()
            self.body.clear()
            self.highlighter.set_spans([])
            self.verdicts.show_matches([], None)
            self.findings.show_findings([])
            self.source.setExtraSelections([])
            self._loading = False
            return
        if draft.category and self.category.findData(draft.category) < 0:
            self.category.addItem(draft.category, draft.category)
        self.category.setCurrentIndex(max(self.category.findData(draft.category), 0))
        self.title.setText(draft.title)
        self.body.setPlainText(draft.body)
        self._loading = False
        self._show_checks(draft)
        self._mark_source(draft)

    def _show_checks(self, draft: Draft) -> None:
        offset = len(draft.title) + 1 if draft.title else 0
        spans = [
            Span(m.start - offset, m.end - offset, "phone_ok" if m.check.valid else "phone_bad",
                 m.check.reason or m.check.display)
            for m in draft.phones
            if m.start >= offset
        ]  # fmt: skip
        spans += [
            Span(f.start - offset, f.end - offset, f.level, f.message)
            for f in draft.findings
            if f.end > f.start and f.start >= offset
        ]
        self.highlighter.set_spans(spans)
        self.verdicts.show_matches(draft.phones, None)
        repeats = repeated_drafts(self._drafts).get(self._current, [])
        extra = [Finding("duplicate.pasted", "warn", 0, 0, m, "") for m in repeats]
        self.findings.show_findings(draft.findings + extra)

    def _mark_source(self, draft: Draft) -> None:
        """Shade the lines of the pasted text this draft came from, and show them."""
        if draft.end <= draft.start:
            self.source.setExtraSelections([])
            return
        cursor = QTextCursor(self.source.document())
        cursor.setPosition(min(draft.start, len(self.source.toPlainText())))
        cursor.setPosition(
            min(draft.end, len(self.source.toPlainText())), QTextCursor.MoveMode.KeepAnchor
        )
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QBrush(QColor("#dceaf7")))
        selection.format = fmt
        selection.cursor = cursor
        self.source.setExtraSelections([selection])
        view = QTextCursor(cursor)
        view.setPosition(cursor.selectionStart())
        self.source.setTextCursor(view)
        self.source.centerCursor()

    def _body_changed(self) -> None:
        if not self._loading:
            self._edit_timer.start()

    def _edited_now(self) -> None:
        if not self._loading:
            self._apply_edit()

    def _apply_edit(self) -> None:
        """Re-check the current draft with the clerk's corrections."""
        self._edit_timer.stop()
        i = self._current
        if self._loading or not 0 <= i < len(self._drafts):
            return
        old = self._drafts[i]
        title, body = self.title.text().strip(), self.body.toPlainText().strip()
        category = self.category.currentData() or ""
        if (title, body, category) == (old.title, old.body, old.category):
            return
        new = make_draft(
            title,
            body,
            category,
            area_code=self._area_code,
            refused=self._refused,
            start=old.start,
            end=old.end,
        )
        self._drafts[i] = new
        self._edited[i] = True
        repeats = repeated_drafts(self._drafts)
        self._loading = True
        for row in range(len(self._drafts)):
            self._paint_item(self.list.item(row), row, self._drafts[row], repeats.get(row, []))
        self._loading = False
        self._show_checks(new)

    def edit_current(self, title: str | None = None, body: str | None = None) -> None:
        """Change the selected draft's text, as typing in the fields does, and re-check it."""
        if title is not None:
            self.title.setText(title)
        if body is not None:
            self.body.setPlainText(body)
        self._apply_edit()

    # --- merge and split ----------------------------------------------------------------
    def merge_with_next(self) -> None:
        self._apply_edit()
        i = self._current
        if not 0 <= i < len(self._drafts) - 1:
            return
        merged = merge_drafts(
            self._drafts[i], self._drafts[i + 1], area_code=self._area_code, refused=self._refused
        )
        self._replace(i, 2, [merged], self._ticked[i] or self._ticked[i + 1])

    def split_at_cursor(self) -> None:
        self._apply_edit()
        i = self._current
        if not 0 <= i < len(self._drafts):
            return
        at = self.body.textCursor().position()
        first, second = split_draft(
            self._drafts[i],
            at,
            area_code=self._area_code,
            refused=self._refused,
            categories=self._categories or None,
        )
        self._replace(i, 1, [first, second], self._ticked[i])

    def _replace(self, i: int, count: int, new: list[Draft], ticked: bool) -> None:
        """Put ``new`` drafts where ``count`` drafts stood at ``i``; they count as edited."""
        drafts = [*self._drafts[:i], *new, *self._drafts[i + count :]]
        ticks = [*self._ticked[:i], *([ticked] * len(new)), *self._ticked[i + count :]]
        edited = [*self._edited[:i], *([True] * len(new)), *self._edited[i + count :]]
        self._set_drafts(drafts, ticks, i)
        self._edited = edited

    # --- saving -------------------------------------------------------------------------
    def save_ticked(self) -> None:
        self._apply_edit()
        chosen = self.ticked()
        if not chosen:
            self.status.setText(self.tr("没有勾选要保存的广告。"))
            return
        blocked = [i for i in chosen if not may_print(self._drafts[i].findings)]
        if blocked:
            first = self._drafts[blocked[0]]
            reason = next(f.message for f in first.findings if f.level == "block")
            self.status.setText(
                self.tr("第 {0} 则有禁止刊登的问题：{1} 请改正或取消勾选后再保存。").format(
                    blocked[0] + 1, reason
                )
            )
            self.list.setCurrentRow(blocked[0])
            return
        dates = self.run_dates.dates()
        if not dates and not self._confirm_no_dates(len(chosen)):
            self.status.setText(self.tr("请在日历上选择刊登日期，再保存。"))
            self.run_dates.calendar.setFocus()
            return
        plan = plan_from_drafts([self._drafts[i] for i in chosen], dates)
        rows = plan.rows
        self._saving = True
        self._refresh_count()
        self.status.setText(self.tr("正在保存…"))
        self.executor.submit(
            lambda: import_rows(rows),
            lambda ids: self._saved(chosen, ids, dates),
            self._save_failed,
        )

    def _confirm_no_dates(self, count: int) -> bool:
        """Drafts saved without dates run nowhere until booked: say so before saving."""
        box = QMessageBox(self)
        box.setObjectName("noDatesPrompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("没有刊登日期"))
        box.setText(
            self.tr("所选 {0} 则广告还没有刊登日期，保存后不会见报。仍然保存吗？").format(count)
        )
        save = box.addButton(self.tr("仍然保存"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("返回选日期"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is save

    def _saved(self, chosen: list[int], ids: list[int], dates: list[dt.date]) -> None:
        self._saving = False
        keep = [i for i in range(len(self._drafts)) if i not in set(chosen)]
        drafts = [self._drafts[i] for i in keep]
        ticked = [self._ticked[i] for i in keep]
        edited = [self._edited[i] for i in keep]
        self._set_drafts(drafts, ticked)
        self._edited = edited
        when = self.tr("，刊登 {0} 期").format(len(dates)) if dates else self.tr("，未排刊登日期")
        self.status.setText(self.tr("已保存 {0} 则广告{1}。").format(len(ids), when))
        self.saved.emit(list(ids))

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._refresh_count()
        self.status.setText(self.tr("保存失败，没有写入任何内容：{0}").format(message))
