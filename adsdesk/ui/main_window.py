"""The desk's main window: the ad list with filters on the left, the editor on the right."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from adsdesk.store import ads as ads_store
from adsdesk.store import changes
from adsdesk.store import search as search_store
from adsdesk.store import settings as settings_store
from adsdesk.store.actor import ROLE_NAMES, current_actor
from adsdesk.store.ads import AdDraft, AdvertiserRow, Approvals, StaleAd
from adsdesk.store.changes import ChangeFeed
from adsdesk.store.desk_save import SaveOutcome
from adsdesk.store.runs import extend_open_runs
from adsdesk.store.users import Credentials
from adsdesk.ui.ad_list_pane import AdListPane
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.draft_keeper import DraftKeeper
from adsdesk.ui.editor import AdEditor, EditorContext
from adsdesk.ui.editor_undo import EditorUndo
from adsdesk.ui.history_view import HistoryView
from adsdesk.ui.issue_send import IssueSendControl
from adsdesk.ui.layout_view import LayoutView
from adsdesk.ui.menus import build_menus
from adsdesk.ui.run_dates import to_date, to_qdate
from adsdesk.ui.settings_dialog import SettingsDialog, SettingsValues
from adsdesk.ui.till import TillController
from adsdesk.ui.ui_state import ask_save_path, ui_settings
from adsdesk.ui.verify_view import VerifyView

if TYPE_CHECKING:  # dialogs are imported when first opened: a quicker start
    from adsdesk.ui.conflict_dialog import ConflictDialog
    from adsdesk.ui.upkeep_runner import UpkeepRunner

RESTORE_POLL_MS = 2000  # how soon an open desk notices a restore made elsewhere


def _warm_up() -> None:
    """What the first screen does not need but the first keystrokes do, loaded off the UI."""
    import adsdesk.domain.splitter  # noqa: F401  (the editor's category suggestion)

    search_store.warm_up()


def _load_context() -> SettingsValues:
    from adsdesk.store.backup import last_good_backup
    from adsdesk.store.database import database_path
    from adsdesk.store.upkeep import default_backup_dir

    settings_store.ensure_default_categories()
    extend_open_runs()  # runs until cancelled stay booked a season ahead
    copy = settings_store.load_copy()
    settings = copy.settings
    folder = Path(settings.backup_dir).expanduser() if settings.backup_dir else default_backup_dir()
    path = database_path()
    return SettingsValues(
        settings=settings,
        categories=copy.categories,
        refused=copy.refused,
        last_backup=last_good_backup(folder, path.stem) if path else None,
        default_backup_dir=str(default_backup_dir()),
        stamps=copy.stamps,
        on_server=path is None,
    )


def _save_context(
    values: SettingsValues, base: SettingsValues
) -> SettingsValues | settings_store.StaleSetting:
    """Save what the clerk changed in 设置 (against ``base``, what the dialog opened with);
    a part another desk saved since comes back as the refusal, nothing written."""
    try:
        settings_store.save_copy(values.copy(), base.copy())
    except settings_store.StaleSetting as exc:
        return exc
    return _load_context()


# Pinyin tables load this long after the first rows are painted (or after the window is
# built, if no rows arrive first).
WARM_AFTER_ROWS_MS = 500
WARM_FALLBACK_MS = 3000
WATCH_MS = 400  # how often the desk asks whether another desk changed something


class MainWindow(QMainWindow):
    saved_ad = Signal(int)  # an ad was written (the draft keeper forgets its draft)
    # Built with the menus (menus.build_menus).
    act_quit: QAction
    act_show_list: QAction
    act_show_layout: QAction
    act_show_verify: QAction
    act_renewals: QAction
    act_audit: QAction
    act_keys: QAction
    act_about: QAction

    def __init__(self, executor: DbExecutor, db_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.executor = executor
        self._values: SettingsValues | None = None
        self._db_target = db_label
        self._close_after_save = False
        self._offline = False  # a save failed for a lost connection and is being retried
        self.conflict_dialog: ConflictDialog | None = None
        self._save_retry = QTimer(self)
        self._save_retry.setSingleShot(True)
        self._save_retry.setInterval(3000)
        self._save_retry.timeout.connect(self._retry_save)
        # Other desks' changes: asked on the database thread a few times a second.
        self._feed: list[ChangeFeed] = []
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._poll_changes)
        self.setWindowTitle(self.tr("便民信息广告受理台 — {0}").format(db_label))
        self._build(db_label)
        self._restore_geometry()
        self._open_feed()  # before the first reads: any later change by another desk is news
        self.drafts = DraftKeeper(self, db_label)  # before anything clears the editor
        self.undo = EditorUndo(self.editor)
        self.reload_context()
        self.reload_list()
        self._watch.start()
        # The pinyin tables (about 0.4 s of CPU) load once the first rows are painted: loaded
        # earlier they would hold the interpreter while the window is being built, and on the
        # database thread they would hold up the clerk's first click.
        self._warm = QTimer(self)
        self._warm.setSingleShot(True)
        self._warm.timeout.connect(self._warm_pinyin)
        self._warm.start(WARM_FALLBACK_MS)
        self._warmed = False
        self._laid_out = False
        self.list_pane.rows_shown.connect(self._rows_shown)
        self._restore_state: dict[str, str] = {}
        self._restore_watch = QTimer(self)
        self._restore_watch.setInterval(RESTORE_POLL_MS)
        self._restore_watch.timeout.connect(self._watch_restores)
        self._restore_watch.start()
        self._watch_restores()

    # --- construction -------------------------------------------------------------------
    def _build(self, db_label: str) -> None:
        self.list_pane = AdListPane(self.executor)
        self.list_pane.ad_selected.connect(self._row_changed)
        self.list_pane.advertiser_activated.connect(self.open_advertiser)
        self.list_pane.failed.connect(self._db_error)
        self.layout_view = LayoutView(self.executor)
        self.layout_view.ad_activated.connect(self._open_from_layout)
        self.list_pane.filter_date.dateChanged.connect(
            lambda d: self.layout_view.refresh(to_date(d))
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("leftTabs")
        self.tabs.addTab(self.list_pane, self.tr("广告列表"))
        self.tabs.addTab(self.layout_view, self.tr("版面"))
        self.issue_send = IssueSendControl(self.layout_view)  # 签发付印 / 重开
        self.verify_view = VerifyView(self.executor)
        self.verify_view.ad_activated.connect(self._open_from_layout)
        self.verify_view.failed.connect(lambda why: self.statusBar().showMessage(why, 15000))
        self.verify_view.changed.connect(lambda: self.reload_list())
        self.list_pane.filter_date.dateChanged.connect(
            lambda d: self.verify_view.set_date(to_date(d))
        )
        self.tabs.addTab(self.verify_view, self.tr("核对"))
        left = self.tabs

        self.editor = AdEditor()
        self.editor.save_requested.connect(self._save)
        self.editor.dates_changed.connect(self._load_booked)
        self.editor.advertiser_query.connect(self._query_advertisers)
        self.editor.dirty_changed.connect(self.setWindowModified)
        self.editor.phone_completed.connect(self._phone_history)
        self.editor.repeat_requested.connect(self.repeat_ad)
        self.editor.save_refused.connect(
            lambda why: self.statusBar().showMessage(self.tr("未保存：{0}").format(why), 15000)
        )

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        # The ad and its 历史 (every recorded change, who and when) side by side as tabs.
        self.history = HistoryView(self.executor)
        self.ad_tabs = QTabWidget()
        self.ad_tabs.setObjectName("adTabs")
        self.ad_tabs.addTab(self.editor, self.tr("广告"))
        self.ad_tabs.addTab(self.history, self.tr("历史"))
        self.editor.loaded.connect(lambda: self.history.show_ad(self.editor.ad_id()))
        self.saved_ad.connect(self.history.show_ad)
        splitter.addWidget(self.ad_tabs)  # the editor scrolls its fields; 保存 stays in view
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([700, 560])
        self.splitter = splitter
        self.setCentralWidget(splitter)

        self.act_new = QAction(self.tr("新建广告"), self)
        self.act_new.setShortcut(QKeySequence.StandardKey.New)
        self.act_new.triggered.connect(self.new_ad)
        self.act_save = QAction(self.tr("保存"), self)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.triggered.connect(self.editor.request_save)
        self.act_cancel = QAction(self.tr("放弃修改"), self)
        self.act_cancel.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.act_cancel.triggered.connect(self.cancel_edit)
        self.act_delete = QAction(self.tr("删除广告"), self)
        self.act_delete.setShortcut(QKeySequence("Ctrl+Delete"))
        self.act_delete.triggered.connect(self.delete_current)
        self.act_settings = QAction(self.tr("设置…"), self)
        self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        self.act_settings.triggered.connect(self.open_settings)
        self.act_repeat = QAction(self.tr("重登此广告"), self)
        self.act_repeat.setShortcut(QKeySequence("Ctrl+R"))
        self.act_repeat.setToolTip(self.tr("以当前广告为底稿新建一则，重新安排日期"))
        self.act_repeat.triggered.connect(self.repeat_current)
        self.act_paste = QAction(self.tr("粘贴拆分…"), self)
        self.act_paste.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.act_paste.setToolTip(self.tr("粘贴一段版面或客户发来的文字，自动拆成广告草稿"))
        self.act_paste.triggered.connect(self.open_paste)
        self.act_import = QAction(self.tr("导入表格…"), self)
        self.act_import.triggered.connect(self.open_import)
        self.act_export = QAction(self.tr("导出表格…"), self)
        self.act_export.triggered.connect(self.export_table)
        self.act_search = QAction(self.tr("搜索"), self)
        self.act_search.setShortcut(QKeySequence.StandardKey.Find)
        self.act_search.triggered.connect(self._focus_search)
        self.addAction(self.act_search)
        self.act_find = QAction(self.tr("查找客户"), self)
        self.act_find.setShortcut(QKeySequence("Ctrl+K"))
        self.act_find.triggered.connect(lambda: self.editor.advertiser.setFocus())

        bar = QToolBar(self.tr("工具栏"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        for act in (
            self.act_new,
            self.act_save,
            self.act_cancel,
            self.act_repeat,
            self.act_delete,
            self.act_paste,
            self.act_import,
            self.act_export,
            self.act_settings,
        ):
            bar.addAction(act)
            self.addAction(act)
        self.addAction(self.act_find)
        self.addToolBar(bar)
        self.till = TillController(self)
        self.menus = build_menus(self)
        self.menus["收银"] = self.till.add_menu(self.menuBar(), before=self.menus.get("帮助"))
        self.act_cancel_ad = QAction(self.tr("撤销广告…"), self)
        self.act_cancel_ad.setObjectName("actCancelAd")
        self.act_cancel_ad.setToolTip(
            self.tr("已收款或已上版的广告撤销（写明理由，保留记录），不删除")
        )
        self.act_cancel_ad.triggered.connect(self.cancel_current)
        if "广告" in self.menus:
            self.menus["广告"].addAction(self.act_cancel_ad)
        self.addAction(self.act_cancel_ad)
        self.act_switch_user = QAction(self.tr("切换用户…"), self)
        self.act_switch_user.setObjectName("actSwitchUser")
        self.act_switch_user.triggered.connect(self.switch_user)
        if "文件" in self.menus:
            self.menus["文件"].insertAction(self.act_quit, self.act_switch_user)
        self.who = QLabel()
        self.who.setObjectName("whoLabel")
        self.statusBar().addPermanentWidget(self.who)
        self.show_actor()
        self.statusBar().showMessage(self.tr("数据库：{0}").format(db_label))
        self.health = QLabel()  # the file's health and backups, filled by the upkeep
        self.health.setObjectName("healthStatus")
        self.statusBar().addPermanentWidget(self.health)
        self.upkeep: UpkeepRunner | None = None

    def _watch_restores(self) -> None:
        """Poll (cheaply, on the database thread) for a restore made by another program."""
        from adsdesk.store.backup import follow_restore

        state = self._restore_state  # read and written on the database thread only

        def job() -> bool:
            before = state.get("mark")
            state["mark"] = follow_restore(self._db_target, before)
            return before is not None and state["mark"] != before

        def done(changed: bool) -> None:
            if changed:
                self.reload_context()
                self.reload_list()
                self.layout_view.refresh()
                self.statusBar().showMessage(
                    self.tr("数据库已从备份恢复，列表与版面已按恢复后的数据重新载入。"), 15000
                )

        self.executor.submit(job, done, self._db_error)

    def start_upkeep(self, delay_ms: int | None = None) -> None:
        """The background integrity check and daily backup (SQLite files only)."""
        from adsdesk.store.database import database_path
        from adsdesk.ui.upkeep_runner import FIRST_RUN_MS

        path = database_path()
        if path is None or self.upkeep is not None:
            return
        from adsdesk.ui.upkeep_runner import UpkeepRunner

        self.upkeep = UpkeepRunner(path, self.health, self)
        self.upkeep.start(FIRST_RUN_MS if delay_ms is None else delay_ms)

    def switch_user(self) -> None:
        """Another clerk takes over this desk: their sign-in, then the record names them."""
        from adsdesk.ui.signin_dialog import SignInDialog

        dialog = SignInDialog(self.executor, self)
        dialog.finished.connect(lambda _r: self.show_actor())
        dialog.open()

    def show_actor(self) -> None:
        """Who the record names for this desk's changes, in the status bar."""
        actor = current_actor()
        if actor.user:
            roles = "、".join(ROLE_NAMES.get(r, r) for r in sorted(actor.roles))
            self.who.setText(self.tr("{0}（{1}）@ {2}").format(actor.user, roles, actor.computer))
        else:
            self.who.setText(self.tr("未登录 @ {0}").format(actor.computer))

    def _focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.list_pane)
        self.list_pane.search.setFocus()
        self.list_pane.search.selectAll()

    # --- loading ------------------------------------------------------------------------
    def reload_context(self) -> None:
        self.executor.submit(_load_context, self._context_loaded, self._db_error)

    def _context_loaded(self, values: SettingsValues) -> None:
        self._values = values
        self.till.reload_cards()  # the area code and the column may have changed
        self.editor.set_context(
            EditorContext(
                profile=values.settings.profile(),
                refused={r.e164: r.reason for r in values.refused},
                categories=values.categories,
            )
        )
        self.list_pane.set_context(
            values.categories,
            values.settings.area_code,
            {r.e164: r.reason for r in values.refused},
        )
        paper = values.settings.paper_name
        self.setWindowTitle(
            self.tr("{0} · {1}受理台").format(paper, values.settings.section_name) + "[*]"
        )

    def _rows_shown(self) -> None:
        if not self._laid_out:  # the column's first layout waits for the first rows
            self._laid_out = True
            self.layout_view.refresh()
        if not self._warmed:
            self._warm.start(WARM_AFTER_ROWS_MS)

    def _warm_pinyin(self) -> None:
        if not self._laid_out:  # no rows came (an error was shown): lay the column out now
            self._laid_out = True
            self.layout_view.refresh()
        if self._warmed or not self.isVisible():  # once, and never for a desk already closed
            return
        self._warmed = True
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
        self.executor.submit(search_store.warm_up_server)  # (a server desk's connections)

    def reload_list(self, select: int | None = None) -> None:
        self.list_pane.reload(select if select is not None else self.editor.ad_id())

    def _row_changed(self, ad_id: int) -> None:
        if ad_id == self.editor.ad_id():
            return
        if not self._confirm_discard():
            self.list_pane.select_ad(self.editor.ad_id())
            return
        self.open_ad(ad_id)

    def open_ad(self, ad_id: int) -> None:
        def loaded(draft: AdDraft) -> None:
            self.editor.load(draft)
            self.till.show_order_for(draft.id)

        self.executor.submit(lambda: ads_store.load_ad(ad_id), loaded, self._db_error)

    def _load_booked(self, dates: list[dt.date]) -> None:
        exclude = self.editor.ad_id()
        self.executor.submit(
            lambda: ads_store.booked_on(dates, exclude), self.editor.set_booked, self._db_error
        )

    def _query_advertisers(self, text: str) -> None:
        self.executor.submit(
            lambda: search_store.search_advertisers(text, limit=12),
            self.editor.show_advertiser_choices,
            self._db_error,
        )

    def open_renewals(self) -> None:
        """续订提醒: runs ending within N days with the customer's phone."""
        from adsdesk.ui.renewals_dialog import RenewalsDialog

        dialog = RenewalsDialog(self.executor, self)
        dialog.open_requested.connect(self._open_from_dialog)
        dialog.show()
        self.renewals = dialog

    def open_audit(self) -> None:
        """操作记录: the audit, filtered by user, dates and ad number; export."""
        from adsdesk.ui.audit_dialog import AuditDialog

        dialog = AuditDialog(self.executor, self)
        dialog.show()
        self.audit_dialog = dialog

    def open_advertiser(self, advertiser_id: int) -> None:
        """The advertiser's file: phones, every ad over the years, totals; repeat or open an ad."""
        from adsdesk.ui.advertiser_dialog import AdvertiserDialog

        dialog = AdvertiserDialog(self.executor, advertiser_id, self)
        dialog.open_requested.connect(self._open_from_dialog)
        dialog.repeat_requested.connect(self.repeat_ad)
        dialog.show()

    def show_issue(self, day: dt.date) -> None:
        """Work on one issue: the list shows that day's ads and the layout view its column."""
        self.list_pane.filter_date.setDate(to_qdate(day))
        self.list_pane.filter_on_date.setChecked(True)
        self.layout_view.refresh(day)
        if self.editor.ad_id() is None and not self.editor.is_dirty():
            self.editor.clear_for_new([day])  # a new ad is booked on the issue at hand

    def _open_from_layout(self, ad_id: int) -> None:
        if ad_id != self.editor.ad_id() and not self._confirm_discard():
            return
        self.open_ad(ad_id)
        self.list_pane.select_ad(ad_id)
        self.editor.title.setFocus()

    def _open_from_dialog(self, ad_id: int) -> None:
        if self._confirm_discard():
            self.open_ad(ad_id)
            self.list_pane.select_ad(ad_id)

    def _phone_history(self, e164: str) -> None:
        self.executor.submit(
            lambda: ads_store.advertisers_by_phone(e164),
            lambda rows: self.editor.show_history(e164, rows),
            self._db_error,
        )

    # --- actions ------------------------------------------------------------------------
    def repeat_current(self) -> None:
        """Book the open ad again: a new ad with the same text and advertiser, no dates yet."""
        ad_id = self.editor.ad_id()
        if ad_id is None or (self.editor.is_dirty() and not self._confirm_discard()):
            return
        self.repeat_ad(ad_id)

    def repeat_ad(self, ad_id: int) -> None:
        def loaded(draft: AdDraft) -> None:
            self.list_pane.select_ad(None)
            self.editor.load_as_new(draft)
            self.editor.run_dates.calendar.setFocus()
            self.statusBar().showMessage(
                self.tr("已按广告 #{0} 新建底稿，请选择刊登日期后保存").format(ad_id), 8000
            )

        self.executor.submit(lambda: ads_store.load_ad(ad_id), loaded, self._db_error)

    def new_ad(self) -> None:
        if not self._confirm_discard():
            return
        issue = self.list_pane.issue_date()
        dates = [issue] if issue else []
        self.list_pane.select_ad(None)
        self.editor.clear_for_new(dates)
        self.editor.category.setFocus()

    def cancel_edit(self) -> None:
        if not self.editor.is_dirty():
            return
        if not self._confirm_discard():
            return
        ad_id = self.editor.ad_id()
        if ad_id is None:
            self.editor.clear_for_new()
        else:
            self.open_ad(ad_id)

    def _save(
        self,
        draft: AdDraft,
        approval: Credentials | None = None,
        needs: Approvals | None = None,
    ) -> None:
        # the ad, its order and payment; a supervisor's approval when the save needs one
        save_with_order, problem = self.till.save_job(draft, approval)
        if problem:
            self.editor._set_status(self.tr("实收金额有误：{0}").format(problem), "error")
            return
        self.editor.save_button.setEnabled(False)

        def done(
            saved: tuple[SaveOutcome, int | None, list[AdvertiserRow]] | Approvals | StaleAd,
        ) -> None:
            self.editor.save_button.setEnabled(True)
            self._offline = False
            if isinstance(saved, Approvals):
                self._ask_approval(draft, saved)
                return
            if isinstance(saved, StaleAd):
                self._show_conflict(saved)
                return
            outcome, advertiser_id, advertiser = saved
            ad_id = outcome.ad_id
            self.editor.mark_saved(
                ad_id, advertiser_id, advertiser[0] if advertiser else None, draft.version
            )
            self.till.saved(outcome)
            self.saved_ad.emit(ad_id)
            self.statusBar().showMessage(self.tr("已保存广告 #{0}").format(ad_id), 5000)
            if self._close_after_save:
                self.close()
                return
            self.reload_list(select=ad_id)
            self.layout_view.refresh()

        def failed(message: str) -> None:
            self.editor.save_button.setEnabled(True)
            if approval is not None and needs is not None:  # wrong password, locked …
                self.statusBar().showMessage(self.tr("未保存：{0}").format(message), 15000)
                self._ask_approval(draft, needs, message)
                return
            self._close_after_save = False
            if getattr(message, "kind", None) == "lost":
                # The ad stays in the editor, unsaved; try again until the server answers.
                self._offline = True
                self.statusBar().showMessage(
                    self.tr(
                        "与数据库服务器的连接中断：广告仍在编辑器里，没有丢失。"
                        "正在重试，连上后自动保存……"
                    )
                )
                self._save_retry.start()
                return
            self._db_error(self.tr("保存失败，没有写入任何内容：{0}").format(message))

        def job() -> tuple[SaveOutcome, int | None, list[AdvertiserRow]] | Approvals | StaleAd:
            try:
                outcome = save_with_order()  # or what needs a supervisor's password first
            except StaleAd as exc:  # someone saved this ad since it was opened: let them choose
                return exc
            if isinstance(outcome, Approvals):
                return outcome
            advertiser_id = ads_store.load_ad(outcome.ad_id).advertiser_id  # made by the save
            rows = ads_store.advertiser_rows([advertiser_id]) if advertiser_id else []
            return outcome, advertiser_id, rows

        self.executor.submit(job, done, failed)

    def _ask_approval(self, draft: AdDraft, needs: Approvals, error: str = "") -> None:
        """A supervisor approves on this desk with their own password, then the save runs."""
        from adsdesk.ui.signin_dialog import ApprovalDialog

        dialog = ApprovalDialog(
            needs.describe(),
            self,
            ask_reason=bool(needs.blocked_terms),
            reason=draft.override_reason,
        )
        dialog.error.setText(error)

        def finished(result: int) -> None:
            if result != ApprovalDialog.DialogCode.Accepted:
                self._close_after_save = False
                self.statusBar().showMessage(self.tr("未保存：需要主管批准"), 8000)
                return
            if needs.blocked_terms:
                draft.override_reason = dialog.reason.text().strip()
                self.editor.override_reason.setText(draft.override_reason)
            self._save(draft, dialog.credentials(), needs)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _open_feed(self) -> None:
        feed = self._feed

        def job() -> bool:
            if not feed:
                feed.append(changes.open_feed())
            return False

        self.executor.submit(job, None, self._feed_failed)

    def _poll_changes(self) -> None:
        if self.executor.pending():
            return  # busy: ask again on the next tick
        if not self._feed:
            self._open_feed()
            return
        feed = self._feed[0]
        self.executor.submit(feed.changed, self._changed_elsewhere, self._feed_failed)

    def _feed_failed(self, _message: str) -> None:
        self._feed.clear()  # e.g. the server went away: open a new feed next time

    def _changed_elsewhere(self, changed: bool) -> None:
        """Another desk saved something: show it here (an open ad too, unless being edited)."""
        if not changed:
            return
        self.reload_list()
        self.layout_view.refresh()
        ad_id = self.editor.ad_id()
        if ad_id is not None and not self._editing_open_ad():
            self.executor.submit(lambda: ads_store.load_ad(ad_id), self._reload_open_ad)

    def _reload_open_ad(self, draft: AdDraft) -> None:
        if draft.id == self.editor.ad_id() and not self._editing_open_ad():
            self.editor.load(draft)

    def _editing_open_ad(self) -> bool:
        """Unsaved changes, or a repeat run being set up: a reload would throw them away."""
        return self.editor.is_dirty() or self.editor.run_dates.composing()

    def _retry_save(self) -> None:
        if self._offline and self.editor.is_dirty():
            self.editor.request_save()

    def _show_conflict(self, stale: StaleAd) -> None:
        self.statusBar().showMessage(str(stale), 15000)
        from adsdesk.ui.conflict_dialog import KEEP_MINE, TAKE_STORED, ConflictDialog

        dialog = ConflictDialog(str(stale), stale.mine, stale.stored, self)
        self.conflict_dialog = dialog

        def chosen(choice: str) -> None:
            if choice == KEEP_MINE:  # save the clerk's copy over the one now stored
                self.editor.mark_version(stale.stored.version)
                self.editor.request_save()
            elif choice == TAKE_STORED:
                self.editor.load(stale.stored)
                self.reload_list(select=stale.stored.id)
                self.layout_view.refresh()

        dialog.chosen.connect(chosen)
        dialog.open()

    def cancel_current(self) -> None:
        """Cancel the open ad with a reason (kept, struck through); not a delete."""
        ad_id = self.editor.ad_id()
        if ad_id is None:
            return
        from adsdesk.ui.cancel_dialog import CancelAdDialog

        dialog = CancelAdDialog(ad_id, self)

        def finished(result: int) -> None:
            if result != CancelAdDialog.DialogCode.Accepted:
                return
            reason = dialog.reason.text().strip()

            def done(withdrawn: list[dt.date]) -> None:
                days = "、".join(d.isoformat() for d in withdrawn) or self.tr("无")
                self.statusBar().showMessage(
                    self.tr("已撤销广告 #{0}；撤下的刊登日期：{1}").format(ad_id, days), 8000
                )
                self.open_ad(ad_id)
                self.reload_list(select=ad_id)
                self.layout_view.refresh()
                self.history.show_ad(ad_id)

            self.executor.submit(lambda: ads_store.cancel_ad(ad_id, reason), done, self._db_error)

        dialog.finished.connect(finished)
        dialog.open()

    def delete_current(self) -> None:
        ad_id = self.editor.ad_id()
        if ad_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除广告"),
            self.tr("删除广告 #{0} 及其全部刊登日期？此操作不能撤销。").format(ad_id),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(_result: object) -> None:
            self.editor.clear_for_new()
            self.statusBar().showMessage(self.tr("已删除广告 #{0}").format(ad_id), 5000)
            self.reload_list()
            self.layout_view.refresh()

        self.executor.submit(lambda: ads_store.delete_ad(ad_id), done, self._db_error)

    def _refused(self) -> dict[str, str]:
        return {r.e164: r.reason for r in self._values.refused} if self._values else {}

    def open_paste(self) -> None:
        from adsdesk.ui.paste_dialog import PasteDialog

        values = self._values
        if values is None:
            return
        dialog = PasteDialog(
            self.executor,
            values.categories,
            values.settings.profile(),
            self._refused(),
            self,
            issue=self.list_pane.issue_date() or self.layout_view.date(),
        )
        dialog.saved.connect(self._ads_added)
        dialog.exec()

    def _ads_added(self, _ids: object) -> None:
        self.reload_list()
        self.layout_view.refresh()

    def open_import(self) -> None:
        from adsdesk.ui.import_dialog import ImportDialog

        values = self._values
        if values is None:
            return
        dialog = ImportDialog(
            self.executor, values.settings.profile(), values.categories, self._refused(), self
        )
        dialog.imported.connect(self._ads_added)
        dialog.exec()

    def export_table(self) -> None:
        """Export ads as a table: the list's issue by default, or a chosen range, or all."""
        from adsdesk.io.export_tables import export_tables
        from adsdesk.ui.export_range_dialog import ExportRangeDialog

        chooser = ExportRangeDialog(self.list_pane.issue_date(), self)
        if chooser.exec() != ExportRangeDialog.DialogCode.Accepted:
            return
        start, end = chooser.date_range()
        name = ask_save_path(
            self,
            self.tr("导出广告表格"),
            chooser.file_stem() + ".xlsx",
            self.tr("Excel 工作簿 (*.xlsx);;CSV (*.csv)"),
        )
        if name is None:
            return
        self.executor.submit(
            lambda: export_tables(name, start, end),
            lambda r: self.statusBar().showMessage(
                self.tr("已导出 {0} 则广告").format(r.ads), 8000
            ),
            self._db_error,
        )

    def open_settings(
        self, shown: SettingsValues | None = None, base: SettingsValues | None = None
    ) -> None:
        """设置: ``shown`` in the dialog (default: the desk's), saved against ``base`` — the
        settings as loaded, with their versions — so another desk's save is never lost."""
        base = base or self._values
        if base is None:
            return
        dialog = SettingsDialog(shown or base, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        mine = dialog.values()

        def saved(result: SettingsValues | settings_store.StaleSetting) -> None:
            if isinstance(result, settings_store.StaleSetting):
                self._settings_conflict(result, mine, base)
            else:
                self._context_saved(result)

        self.executor.submit(lambda: _save_context(mine, base), saved, self._db_error)

    def _settings_conflict(
        self, stale: settings_store.StaleSetting, mine: SettingsValues, base: SettingsValues
    ) -> None:
        """Another desk saved a part of the settings this clerk changed too: both side by side;
        keep mine (my changed parts over what is stored), take theirs, or go on editing."""
        from adsdesk.ui.conflict_dialog import KEEP_MINE, TAKE_STORED, ConflictDialog

        self.statusBar().showMessage(str(stale), 15000)
        stored = stale.stored or settings_store.load_copy()
        ours = settings_store.rebase(mine.copy(), base.copy(), stored)
        lines = [
            settings_store.describe_part(c, k) for c in (mine.copy(), stored) for k in stale.keys
        ]
        half = len(stale.keys)
        dialog = ConflictDialog(
            str(stale), "\n".join(lines[:half]), "\n".join(lines[half:]), self, self.tr("设置")
        )
        self.conflict_dialog = dialog
        theirs_values = mine.with_copy(stored)

        def chosen(choice: str) -> None:
            if choice == KEEP_MINE:
                self.executor.submit(
                    lambda: _save_context(mine.with_copy(ours), theirs_values),
                    lambda r: self._settings_resaved(r, mine.with_copy(ours), theirs_values),
                    self._db_error,
                )
            elif choice == TAKE_STORED:
                self.reload_context()
            else:  # go on editing: my values, now against the stored ones
                QTimer.singleShot(
                    0, lambda: self.open_settings(mine.with_copy(ours), theirs_values)
                )

        dialog.chosen.connect(chosen)
        dialog.open()

    def _settings_resaved(
        self,
        result: SettingsValues | settings_store.StaleSetting,
        mine: SettingsValues,
        base: SettingsValues,
    ) -> None:
        if isinstance(result, settings_store.StaleSetting):  # yet another desk, meanwhile
            self._settings_conflict(result, mine, base)
        else:
            self._context_saved(result)

    def _context_saved(self, values: SettingsValues) -> None:
        self._context_loaded(values)
        self.statusBar().showMessage(self.tr("设置已保存"), 5000)
        self.reload_list()
        self.layout_view.refresh()

    # --- prompts ------------------------------------------------------------------------
    def _confirm_discard(self) -> bool:
        if not self.editor.is_dirty():
            return True
        box = QMessageBox(self)
        box.setObjectName("discardPrompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("未保存的修改"))
        box.setText(self.tr("当前广告有未保存的修改。放弃这些修改吗？"))
        discard = box.addButton(self.tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is discard

    def _db_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        if not self.isVisible():  # a late answer to a desk already closed: no box over nothing
            return
        # Shown, not exec()'d: this answers a background job, and a nested event loop here
        # would hold up whatever the desk was in the middle of. One box at a time.
        box = self.findChild(QMessageBox, "dbError")
        if box is not None and box.isVisible():
            box.setText(message)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("数据库"),
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("dbError")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with an unsaved ad asks 保存 / 放弃 / 取消; the window's shape is kept."""
        if self.editor.is_dirty() and not self._close_after_save:
            choice = self._ask_save_on_close()
            if choice == "cancel":
                event.ignore()
                return
            if choice == "save":
                event.ignore()
                ok, why = self.editor.can_save()
                if not ok:
                    self.statusBar().showMessage(why, 15000)
                    QMessageBox.warning(self, self.tr("不能保存"), why)
                    return
                self._close_after_save = True  # close once the save has landed
                self.editor.request_save()
                return
            self.editor.clear_for_new()  # 放弃
        self._save_geometry()
        self._restore_watch.stop()  # nothing polls or checks a closed desk's file
        if self.upkeep is not None:
            self.upkeep.stop()
        self._watch.stop()
        self._warm.stop()
        self._save_retry.stop()
        feed = list(self._feed)
        self._feed.clear()
        if feed:
            self.executor.submit(lambda: feed[0].close())
        event.accept()

    def _ask_save_on_close(self) -> str:
        box = QMessageBox(self)
        box.setObjectName("closePrompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("未保存的广告"))
        box.setText(self.tr("当前广告有未保存的修改。关闭前保存吗？"))
        save = box.addButton(self.tr("保存"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("放弃"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    # --- the window's shape, remembered on this computer --------------------------------
    def _restore_geometry(self) -> None:
        settings = ui_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            for key, splitter in self._splitters().items():
                state = settings.value(f"window/{key}")
                if isinstance(state, QByteArray) and splitter.restoreState(state):
                    if splitter is self.layout_view.splitter:
                        self.layout_view.splitter_restored = True
            return
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width, height = 1320, 860
        if room is not None:  # first start: as large as fits, never beyond the screen
            width, height = min(width, room.width()), min(height, room.height())
        self.resize(width, height)
        self.splitter.setSizes([round(width * 0.56), round(width * 0.44)])

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main_splitter": self.splitter, "layout_splitter": self.layout_view.splitter}

    def _save_geometry(self) -> None:
        settings = ui_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        for key, splitter in self._splitters().items():
            settings.setValue(f"window/{key}", splitter.saveState())
        settings.sync()
