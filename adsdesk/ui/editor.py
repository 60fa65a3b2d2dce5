"""The ad editor: category, advertiser, title, body, run dates, with checks on every keystroke."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.checks import AdCheck, ad_text, check_text, duplicate_findings, may_print
from adsdesk.domain.duplicates import BookedAd
from adsdesk.domain.phone_find import PhoneMatch
from adsdesk.domain.profile import PaperProfile
from adsdesk.domain.wording import Finding
from adsdesk.layout.blocks import BODY_FACE, TITLE_FACE
from adsdesk.layout.metrics import missing_glyphs
from adsdesk.store.ads import AdDraft, AdvertiserRow, PhoneEntry
from adsdesk.ui.findings import FindingList, HoverTips, Span, SpanHighlighter
from adsdesk.ui.price_panel import PricePanel
from adsdesk.ui.run_dates import RunDates
from adsdesk.ui.verdicts import PhoneVerdicts, verdict_state


@dataclass
class EditorContext:
    """What the checks need from the desk's settings: the paper, its refuse list, categories."""

    profile: PaperProfile
    refused: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)


def _is_typing(finding: Finding, typing: dict[tuple[int, int], PhoneMatch]) -> bool:
    """Is this the "wrong number" finding of a number still being typed?"""
    return finding.rule == "phone.invalid" and (finding.start, finding.end) in typing


class AdEditor(QWidget):
    """Edits one ad. Emits ``save_requested`` with a draft; the window does the saving."""

    save_requested = Signal(object)
    dates_changed = Signal(object)
    advertiser_query = Signal(str)
    dirty_changed = Signal(bool)
    phone_completed = Signal(str)  # a newly complete, valid number (E.164): look up its history
    repeat_requested = Signal(int)  # ad id to book again as a new ad
    save_refused = Signal(str)  # why a save was refused, for the window's status bar
    loaded = Signal()  # another ad (or a new one) is in the fields: undo starts afresh

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adEditor")
        self._ctx: EditorContext | None = None  # until the settings arrive: no checks yet
        self._ad_id: int | None = None
        self._version: int | None = None  # the row version the open ad was loaded at
        self._advertiser_id: int | None = None
        self._advertiser_rows: dict[str, AdvertiserRow] = {}
        self._booked: list[BookedAd] = []
        self._check = AdCheck([], [])
        self._all_findings: list[Finding] = []
        self._saved_state: tuple[object, ...] = ()
        self._loading = False
        self._history_asked: set[str] = set()
        self._history: dict[str, list[AdvertiserRow]] = {}
        self._editing: str | None = None  # "body" or "title" while the clerk types there
        self._painting = False
        self._build()
        self.clear_for_new()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")

        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setEditable(False)
        self.category.setPlaceholderText(self.tr("（请选择分类）"))
        self.category_hint = QLabel()
        self.category_hint.setObjectName("categoryHint")
        self.use_hint = QPushButton(self.tr("采用建议(&Y)"))
        self.use_hint.setObjectName("useCategoryHint")
        self.use_hint.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.use_hint.clicked.connect(self._use_category_hint)
        self._hint = ""

        self.advertiser = QLineEdit()
        self.advertiser.setObjectName("advertiser")
        self.advertiser.setPlaceholderText(self.tr("客户名称或电话，选已有客户或输入新客户"))
        self._adv_model = QStringListModel(self)
        completer = QCompleter(self._adv_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._advertiser_picked)
        self.advertiser.setCompleter(completer)
        self.advertiser_note = QLabel()
        self.advertiser_note.setObjectName("advertiserNote")
        self._adv_timer = QTimer(self, singleShot=True, interval=150)
        self._adv_timer.timeout.connect(lambda: self.advertiser_query.emit(self.advertiser.text()))
        self.advertiser.textEdited.connect(self._advertiser_edited)

        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText(self.tr("标题（粗体一行，可空）"))

        self.body = QPlainTextEdit()
        self.body.setObjectName("body")
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText(self.tr("正文，含电话号码"))
        self.body.setMinimumHeight(110)
        self.highlighter = SpanHighlighter(self.body.document())
        HoverTips(self.body, self.highlighter)

        self.verdicts = PhoneVerdicts()
        self.history = QLabel()
        self.history.setObjectName("phoneHistory")
        self.history.setWordWrap(True)
        self.history.setVisible(False)
        self.link_button = QPushButton(self.tr("关联此客户"))
        self.link_button.setObjectName("linkAdvertiser")
        self.link_button.clicked.connect(self._link_from_history)
        self.repeat_button = QPushButton(self.tr("重登其上次广告"))
        self.repeat_button.setObjectName("repeatLast")
        self.repeat_button.clicked.connect(self._repeat_from_history)
        for b in (self.link_button, self.repeat_button):
            b.setVisible(False)
            b.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.findings = FindingList()
        self.findings.setMaximumHeight(130)
        self.findings.finding_activated.connect(self._select_finding)

        self.run_dates = RunDates()

        # A blocked ad goes out only with a supervisor's approval: their password, typed on
        # this desk when it is saved (not a tick box); the reason is kept with the ad.
        self.override = QLabel(self.tr("有禁止项：写明理由，保存时须主管在本机输入密码批准"))
        self.override.setObjectName("override")
        self.override_reason = QLineEdit()
        self.override_reason.setObjectName("overrideReason")
        self.override_reason.setPlaceholderText(self.tr("特批理由，随广告保存"))
        self.override_reason.textChanged.connect(self._update_save_state)

        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.request_save)
        self.status = QLabel()
        self.status.setObjectName("editorStatus")
        self.status.setWordWrap(True)
        self._refused_save = False  # the status shows why the last save was refused

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category, 1)
        category_row.addWidget(self.category_hint)
        category_row.addWidget(self.use_hint)
        form.addRow(self.tr("分类"), category_row)
        adv_box = QVBoxLayout()
        adv_box.setSpacing(2)
        adv_box.addWidget(self.advertiser)
        adv_box.addWidget(self.advertiser_note)
        form.addRow(self.tr("客户"), adv_box)
        form.addRow(self.tr("标题"), self.title)
        form.addRow(self.tr("正文"), self.body)
        form.addRow(self.tr("电话"), self.verdicts)
        history_row = QHBoxLayout()  # what the numbers were booked for before
        history_row.addWidget(self.history, 1)
        history_row.addWidget(self.link_button)
        history_row.addWidget(self.repeat_button)
        form.addRow("", history_row)
        # The wording check right under the numbers' check: both are what the clerk must act
        # on before the ad may run, so they stay in view without scrolling the price away.
        form.addRow(self.tr("检查"), self.findings)
        self.price = PricePanel()  # under the text it prices, updated on every keystroke
        form.addRow(self.tr("价格"), self.price)
        form.addRow(self.tr("刊登"), self.run_dates)
        over = QHBoxLayout()
        over.addWidget(self.override)
        over.addWidget(self.override_reason, 1)
        form.addRow("", over)
        # The fields scroll; the status and 保存 stay in view below them at any window size.
        fields = QWidget()
        fields.setObjectName("editorFields")
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 4, 0)
        fields_layout.addLayout(form)
        fields_layout.addStretch(1)
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setObjectName("editorScroll")
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setWidget(fields)
        self.save_bar = QWidget()
        self.save_bar.setObjectName("saveBar")
        buttons = QHBoxLayout(self.save_bar)
        buttons.setContentsMargins(0, 4, 0, 0)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields_scroll, 1)
        layout.addWidget(self.save_bar)

        self.body.textChanged.connect(lambda: self._typing_in("body"))
        self.title.textEdited.connect(lambda _t: self._typing_in("title"))
        self.body.textChanged.connect(self._text_changed)
        self.title.textChanged.connect(self._text_changed)
        self.body.cursorPositionChanged.connect(lambda: self._caret_moved("body"))
        self.title.cursorPositionChanged.connect(lambda _a, _b: self._caret_moved("title"))
        self.body.installEventFilter(self)
        self.title.installEventFilter(self)
        self.category.currentTextChanged.connect(self._text_changed)
        self.run_dates.changed.connect(self._dates_changed)

        QWidget.setTabOrder(self.category, self.advertiser)
        QWidget.setTabOrder(self.advertiser, self.title)
        QWidget.setTabOrder(self.title, self.body)
        QWidget.setTabOrder(self.body, self.run_dates.calendar)
        QWidget.setTabOrder(self.run_dates.calendar, self.run_dates.start)
        QWidget.setTabOrder(self.run_dates.start, self.run_dates.days)
        QWidget.setTabOrder(self.run_dates.days, self.run_dates.add_run)
        QWidget.setTabOrder(self.run_dates.add_run, self.override_reason)
        QWidget.setTabOrder(self.override_reason, self.save_button)
        self.findings.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.run_dates.clear_btn.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    # --- context and loading ------------------------------------------------------------
    def set_context(self, ctx: EditorContext) -> None:
        self._ctx = ctx
        was_dirty = self.is_dirty()
        current = self.category.currentText()
        self._loading = True
        self.category.clear()
        self.category.addItems(ctx.categories)
        if current:
            self._select_category(current)
        else:
            self.category.setCurrentIndex(-1)  # still to be chosen
        self._loading = False
        self._run_checks()
        if not was_dirty:  # a fresh form stays clean when the category list arrives
            self._saved_state = self._state()

    def _select_category(self, name: str) -> None:
        if name and self.category.findText(name) < 0:
            self.category.addItem(name)
        self.category.setCurrentIndex(self.category.findText(name) if name else -1)

    def clear_for_new(self, dates: list[dt.date] | None = None) -> None:
        self.load(AdDraft(dates=list(dates or [])))

    def load(self, draft: AdDraft) -> None:
        self._loading = True
        self._editing = None
        self._ad_id = draft.id
        self._version = draft.version
        self._advertiser_id = draft.advertiser_id
        self._select_category(draft.category)  # a new ad has none until the clerk picks one
        self.advertiser.setText(draft.advertiser_name)
        self.title.setText(draft.title)
        self.body.setPlainText(draft.body)
        self.price.set_booked_dates(draft.dates if draft.id is not None else [])
        self.run_dates.set_dates(draft.dates)
        self.run_dates.set_repeat(draft.repeat)
        self.override_reason.setText(draft.override_reason)
        self._booked = []
        self._history_asked = set()
        self._history = {}
        self._show_history_banner()
        self._loading = False
        self.price.reset_choices()
        self.price.show_order(None)
        self.heading.setText(
            self.tr("新广告") if draft.id is None else self.tr("广告 #{0}").format(draft.id)
        )
        self._update_advertiser_note()
        self._run_checks()
        self._saved_state = self._state()
        self._set_status("")
        self.dirty_changed.emit(False)
        self.dates_changed.emit(self.run_dates.dates())
        self.loaded.emit()

    # --- every field at once: kept drafts and undo/redo (issue 12) ----------------------
    def field_state(self) -> dict[str, object]:
        """What the clerk has typed and picked, as plain JSON-ready values."""
        return {
            "ad_id": self._ad_id,
            "category": self.category.currentText(),
            "advertiser": self.advertiser.text(),
            "advertiser_id": self._advertiser_id,
            "title": self.title.text(),
            "body": self.body.toPlainText(),
            "dates": [d.isoformat() for d in self.run_dates.dates()],
            "override_reason": self.override_reason.text(),
        }

    def apply_field_state(self, state: dict[str, object]) -> None:
        """Put ``state`` (from ``field_state``) back in the fields, leaving the saved
        baseline alone: the ad is dirty if it differs from what was saved."""
        body = str(state.get("body", ""))
        if self.category.currentText() != state.get("category", ""):
            self._select_category(str(state.get("category", "")))
        if self.advertiser.text() != state.get("advertiser", ""):
            self.advertiser.setText(str(state.get("advertiser", "")))
        adv = state.get("advertiser_id")
        self._advertiser_id = int(adv) if isinstance(adv, int) else None
        self._update_advertiser_note()
        if self.title.text() != state.get("title", ""):
            self.title.setText(str(state.get("title", "")))
        if self.body.toPlainText() != body:
            cursor = self.body.textCursor()
            self.body.setPlainText(body)
            cursor.setPosition(min(cursor.position(), len(body)))
            self.body.setTextCursor(cursor)
        stored = state.get("dates") or []
        dates = [dt.date.fromisoformat(str(d)) for d in stored] if isinstance(stored, list) else []
        if self.run_dates.dates() != dates:
            self.run_dates.set_dates(dates)
        if self.override_reason.text() != state.get("override_reason", ""):
            self.override_reason.setText(str(state.get("override_reason", "")))
        self._text_changed()

    def mark_saved(
        self,
        ad_id: int,
        advertiser_id: int | None = None,
        advertiser: AdvertiserRow | None = None,
        version: int | None = None,
    ) -> None:
        """The ad was saved as ``ad_id``; a new advertiser made by the save is now on file."""
        self._ad_id = ad_id
        self._version = version  # the saved row's version: the next save goes on from it
        if advertiser_id is not None:
            self._advertiser_id = advertiser_id
        self._update_advertiser_note(advertiser)
        self.heading.setText(self.tr("广告 #{0}").format(ad_id))
        # "Has this number advertised before?" counts this ad now: ask again.
        self._history_asked = set()
        self._history = {}
        self._run_checks()
        self._saved_state = self._state()
        self._set_status(self.tr("已保存。"), "saved")
        self.dirty_changed.emit(False)

    def _set_status(self, text: str, kind: str = "") -> None:
        """The line beside 保存: ``kind`` "error" (red), "saved" (green) or "" (plain)."""
        self.status.setText(text)
        if kind != "error":
            self._refused_save = False
        if self.status.property("kind") != kind:
            self.status.setProperty("kind", kind)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)

    def status_kind(self) -> str:
        return str(self.status.property("kind") or "")

    def ad_id(self) -> int | None:
        return self._ad_id

    def mark_version(self, version: int | None) -> None:
        """Go on from this stored version (the clerk chose to save over it)."""
        self._version = version

    # --- state --------------------------------------------------------------------------
    def _state(self) -> tuple[object, ...]:
        return (
            self.category.currentText(),
            self.advertiser.text(),
            self.title.text(),
            self.body.toPlainText(),
            tuple(self.run_dates.dates()),
            self.run_dates.repeat(),
            self.override_reason.text(),
        )

    def is_dirty(self) -> bool:
        return self._state() != self._saved_state

    def draft(self) -> AdDraft:
        phones: list[PhoneEntry] = []
        seen: set[str] = set()
        for m in self._check.phones:
            if m.check.valid and m.check.e164 and m.check.e164 not in seen:
                seen.add(m.check.e164)
                phones.append(PhoneEntry(m.check.e164, m.check.display))
        return AdDraft(
            id=self._ad_id,
            version=self._version,
            category=self.category.currentText(),
            title=self.title.text().strip(),
            body=self.body.toPlainText().strip(),
            phones=phones,
            advertiser_id=self._advertiser_id,
            advertiser_name=self.advertiser.text().strip(),
            dates=self.run_dates.dates(),
            repeat=self.run_dates.repeat(),
            override_reason=self.override_reason.text().strip() if self.blocked() else "",
        )

    def phone_matches(self) -> list[PhoneMatch]:
        return list(self._check.phones)

    def all_findings(self) -> list[Finding]:
        return list(self._all_findings)

    def blocked(self) -> bool:
        return any(f.level == "block" for f in self._all_findings)

    # --- advertiser ---------------------------------------------------------------------
    def _advertiser_edited(self, _text: str) -> None:
        self._advertiser_id = None
        self._update_advertiser_note()
        self._adv_timer.start()
        self._text_changed()

    def show_advertiser_choices(self, rows: list[AdvertiserRow]) -> None:
        self._advertiser_rows = {self._adv_label(r): r for r in rows}
        self._adv_model.setStringList(list(self._advertiser_rows))

    @staticmethod
    def _adv_label(row: AdvertiserRow) -> str:
        phones = "、".join(row.phones[:2])
        return f"{row.name}  {phones}".strip()

    def _advertiser_picked(self, label: str) -> None:
        row = self._advertiser_rows.get(label)
        if row is None:
            return
        # The completer writes the chosen label into the field after this signal; put the
        # plain name back once it is done.
        QTimer.singleShot(0, lambda: self.link_advertiser(row))

    def link_advertiser(self, row: AdvertiserRow) -> None:
        self._advertiser_id = row.id
        self.advertiser.setText(row.name)
        self._update_advertiser_note(row)
        self._text_changed()

    def _update_advertiser_note(self, row: AdvertiserRow | None = None) -> None:
        if self._advertiser_id is not None:
            if row is not None:
                last = row.last_date.isoformat() if row.last_date else self.tr("无")
                self.advertiser_note.setText(
                    self.tr("已有客户 #{0}：{1} 则广告，最近 {2}").format(
                        row.id, row.ad_count, last
                    )
                )
            else:
                self.advertiser_note.setText(self.tr("已有客户 #{0}").format(self._advertiser_id))
        elif self.advertiser.text().strip():
            self.advertiser_note.setText(self.tr("保存时新建客户"))
        else:
            self.advertiser_note.setText(self.tr("未指定客户"))

    # --- has this number advertised before? -------------------------------------------
    def show_history(self, e164: str, rows: list[AdvertiserRow]) -> None:
        """The advertisers who have used ``e164`` before (from the store)."""
        self._history[e164] = rows
        self._show_history_banner()

    def _history_rows(self) -> list[AdvertiserRow]:
        current = [m.check.e164 for m in self._check.phones if m.check.valid and m.check.e164]
        seen: dict[int, AdvertiserRow] = {}
        for e164 in current:
            for row in self._history.get(e164, []):
                seen.setdefault(row.id, row)
        return list(seen.values())

    def _show_history_banner(self) -> None:
        rows = self._history_rows()
        linked = self._advertiser_id is not None and all(r.id == self._advertiser_id for r in rows)
        if not rows:
            self.history.setVisible(False)
            self.link_button.setVisible(False)
            self.repeat_button.setVisible(False)
            return
        lines = []
        for r in rows:
            last = r.last_date.isoformat() if r.last_date else self.tr("未排期")
            lines.append(
                self.tr("该号码登过广告：{0}（客户 #{1}），共 {2} 则，最近 {3}").format(
                    r.name, r.id, r.ad_count, last
                )
            )
        self.history.setText("\n".join(lines))
        self.history.setVisible(True)
        self.link_button.setVisible(not linked)
        self.repeat_button.setVisible(self._ad_id is None and rows[0].last_ad_id is not None)

    def _link_from_history(self) -> None:
        rows = self._history_rows()
        if rows:
            self.link_advertiser(rows[0])
            self._show_history_banner()

    def _repeat_from_history(self) -> None:
        rows = self._history_rows()
        if rows and rows[0].last_ad_id is not None:
            self.repeat_requested.emit(rows[0].last_ad_id)

    def load_as_new(self, draft: AdDraft) -> None:
        """Start a new ad from an old one: same text, category and advertiser, no dates."""
        self.load(
            AdDraft(
                category=draft.category,
                title=draft.title,
                body=draft.body,
                phones=list(draft.phones),
                advertiser_id=draft.advertiser_id,
                advertiser_name=draft.advertiser_name,
            )
        )
        # A copy is unsaved work until it is saved.
        self._saved_state = ()
        self.heading.setText(self.tr("新广告（重登 #{0}）").format(draft.id))
        self.dirty_changed.emit(True)

    # --- checks -------------------------------------------------------------------------
    def set_booked(self, booked: list[BookedAd]) -> None:
        """Ads already booked on this ad's dates, for the duplicate check."""
        self._booked = booked
        self._run_checks()

    def _text_changed(self) -> None:
        if self._loading or self._painting:
            return
        self._run_checks()
        dirty = self.is_dirty()
        if dirty and self.status_kind() == "saved":
            self._set_status("")  # "已保存。" no longer describes what is on screen
        self.dirty_changed.emit(dirty)

    # --- where the clerk is typing: a number under the cursor is "being typed" ---------
    def _typing_in(self, field: str) -> None:
        if not (self._loading or self._painting):
            self._editing = field

    def _caret_moved(self, field: str) -> None:
        if self._loading:
            return
        if self._editing is not None or self.focusWidget() in (self.body, self.title):
            self._editing = field
        self._show_checks()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (watched is self.body or watched is self.title) and kind in (
            QEvent.Type.FocusIn,
            QEvent.Type.FocusOut,
        ):
            if kind == QEvent.Type.FocusIn:
                self._editing = "body" if watched is self.body else "title"
            elif isinstance(event, QFocusEvent) and event.reason() not in (
                Qt.FocusReason.PopupFocusReason,
                Qt.FocusReason.ActiveWindowFocusReason,
            ):
                self._editing = None  # Tab, a click elsewhere: the number is finished
            self._show_checks()
        return super().eventFilter(watched, event)

    def typing_phones(self) -> list[PhoneMatch]:
        """Numbers still being typed: incomplete, with the cursor in or at the end of them."""
        caret = self._caret()
        return [m for m in self._check.phones if verdict_state(m, caret) == "typing"]

    def _dates_changed(self) -> None:
        self.dates_changed.emit(self.run_dates.dates())
        self._text_changed()

    def _caret(self) -> int | None:
        if self._editing == "body":
            return self._body_offset() + self.body.textCursor().position()
        if self._editing == "title":
            return self.title.cursorPosition()
        return None

    def _body_offset(self) -> int:
        title = self.title.text()
        return len(title) + 1 if title else 0

    def _run_checks(self) -> None:
        title, body = self.title.text(), self.body.toPlainText()
        self.price.update_ad(self.category.currentText(), title, body, self.run_dates.dates())
        text = ad_text(title, body)
        if self._ctx is None:
            return  # set_context runs the checks when the settings arrive
        self._check = check_text(
            text,
            self.category.currentText() or None,
            self._ctx.profile.area_code,
            self._ctx.refused,
        )
        findings = list(self._check.findings)
        if self._booked and self.run_dates.dates():
            me = BookedAd(
                ad_id=self._ad_id,
                title=title,
                body=body,
                phones=tuple(
                    m.check.e164 for m in self._check.phones if m.check.valid and m.check.e164
                ),
                dates=tuple(d.isoformat() for d in self.run_dates.dates()),
            )
            findings += duplicate_findings(me, self._booked)
        findings += self._glyph_findings(title, body)
        self._all_findings = findings
        self._show_checks()
        for m in self._check.phones:
            e164 = m.check.e164
            if m.check.valid and e164 and e164 not in self._history_asked:
                self._history_asked.add(e164)
                self.phone_completed.emit(e164)
        self._show_history_banner()
        self._show_category_hint()

    # --- category: none until chosen; a suggestion from the words -----------------------
    def _show_category_hint(self) -> None:
        guess = ""
        title, body = self.title.text(), self.body.toPlainText()
        if not self.category.currentText() and self._ctx is not None and (title or body):
            from adsdesk.domain.splitter import guess_category  # its word lists load on first use

            guess = guess_category(title, body, self._ctx.categories or None)
        self._hint = guess
        self.category_hint.setText(self.tr("建议：{0}").format(guess) if guess else "")
        self.category_hint.setVisible(bool(guess))
        self.use_hint.setVisible(bool(guess))

    def _use_category_hint(self) -> None:
        if self._hint:
            self._select_category(self._hint)

    def _show_checks(self) -> None:
        """Paint and list the findings; a number being typed shows amber in every panel."""
        findings = self._all_findings
        typing = {(m.start, m.end): m for m in self.typing_phones()}
        offset = self._body_offset()

        def phone_level(m: PhoneMatch) -> str:
            if (m.start, m.end) in typing:
                return "phone_typing"
            return "phone_ok" if m.check.valid else "phone_bad"

        spans = [
            Span(
                m.start - offset, m.end - offset, phone_level(m), m.check.reason or m.check.display
            )
            for m in self._check.phones
            if m.start >= offset
        ]
        spans += [
            Span(f.start - offset, f.end - offset, f.level, f.message)
            for f in findings
            if f.end > f.start and f.start >= offset and not _is_typing(f, typing)
        ]
        self._painting = True  # re-highlighting signals textChanged: not an edit
        try:
            self.highlighter.set_spans(spans)
        finally:
            self._painting = False
        self.verdicts.show_matches(self._check.phones, self._caret())
        self.findings.show_findings(findings, typing)
        title_issues = [
            f
            for f in findings
            if f.end > f.start and f.start < offset and not _is_typing(f, typing)
        ]
        self.title.setToolTip("\n".join(f.message for f in title_issues))
        self.title.setProperty(
            "flag",
            "block"
            if any(f.level == "block" for f in title_issues)
            else ("warn" if title_issues else ""),
        )
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        self._update_save_state()

    def _glyph_findings(self, title: str, body: str) -> list[Finding]:
        """Characters the shipped fonts cannot print (emoji, rare characters) would print blank."""
        offset = self._body_offset()
        spots = [(i, title[i]) for i in missing_glyphs(TITLE_FACE, title)]
        spots += [(offset + i, body[i]) for i in missing_glyphs(BODY_FACE, body)]
        return [
            Finding(
                rule="print.glyph_missing",
                level="warn",
                start=pos,
                end=pos + 1,
                message=self.tr(
                    "「{0}」在报纸字体中没有字形，印出来会是空白；请改用常用字，或与排版确认。"
                ).format(ch),
                term=ch,
            )
            for pos, ch in spots
        ]

    def _update_save_state(self) -> None:
        typing = {(m.start, m.end): m for m in self.typing_phones()}
        blocked = any(f.level == "block" and not _is_typing(f, typing) for f in self._all_findings)
        self.override.setVisible(blocked)
        self.override_reason.setVisible(blocked)
        if self._refused_save:  # keep the reason current: gone once it no longer applies
            ok, why = self.can_save()
            if ok:
                self._set_status("")
            else:
                self._set_status(why, "error")
                self._refused_save = True
        elif blocked and not self.override_reason.text().strip():
            self._set_status(
                self.tr("有禁止项：改正，或写明特批理由、保存时由主管输入密码批准。"), "error"
            )
        elif self.status.text().startswith(self.tr("有禁止项")):
            self._set_status("")

    def _select_finding(self, finding: object) -> None:
        if not isinstance(finding, Finding) or finding.end <= finding.start:
            return
        offset = self._body_offset()
        if finding.start < offset:
            self.title.setFocus()
            self.title.setSelection(finding.start, finding.end - finding.start)
            return
        cursor = self.body.textCursor()
        cursor.setPosition(finding.start - offset)
        cursor.setPosition(finding.end - offset, cursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(cursor)
        self.body.setFocus()

    # --- saving -------------------------------------------------------------------------
    def can_save(self) -> tuple[bool, str]:
        if not (self.title.text().strip() or self.body.toPlainText().strip()):
            return False, self.tr("广告是空的：请输入标题或正文。")
        if not may_print(self._all_findings, self.override_reason.text()):
            return False, self.tr("有禁止项，不能保存：改正，或写明特批理由后由主管输入密码批准。")
        if not self.category.currentText():
            if self._hint:
                return False, self.tr("还没有选分类：请在“分类”中选择（按内容建议：{0}）。").format(
                    self._hint
                )
            return False, self.tr("还没有选分类：请在“分类”中选择。")
        return True, ""

    def request_save(self) -> None:
        if self._editing is not None:  # saving means the clerk is done: give final verdicts
            self._editing = None
            self._show_checks()
        ok, why = self.can_save()
        if not ok:
            self._set_status(why, "error")
            self._refused_save = True
            self.save_refused.emit(why)
            return
        self.save_requested.emit(self.draft())
