"""The desk's main window: the ad list with filters on the left, the editor on the right."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.duplicates import BookedAd
from adsdesk.domain.wording import Finding
from adsdesk.review import review_issue
from adsdesk.store import ads as ads_store
from adsdesk.store import settings as settings_store
from adsdesk.store.ads import AdDraft
from adsdesk.ui.ad_table import (
    AD_ID_ROLE,
    COL_ADVERTISER,
    COL_CATEGORY,
    COL_DATES,
    COL_FLAGS,
    COL_ID,
    COL_PHONES,
    COL_TITLE,
    AdTableModel,
)
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.editor import AdEditor, EditorContext
from adsdesk.ui.run_dates import to_date
from adsdesk.ui.settings_dialog import SettingsDialog, SettingsValues

# Starting widths in pixels; the title column takes what is left.
COLUMN_WIDTHS = {
    COL_ID: 44,
    COL_CATEGORY: 72,
    COL_PHONES: 120,
    COL_DATES: 96,
    COL_ADVERTISER: 110,
    COL_FLAGS: 100,
}


def _load_context() -> SettingsValues:
    settings_store.ensure_default_categories()
    return SettingsValues(
        settings=settings_store.load_settings(),
        categories=settings_store.list_categories(),
        refused=settings_store.list_refused(),
    )


def _save_context(values: SettingsValues) -> SettingsValues:
    settings_store.save_settings(values.settings)
    settings_store.set_categories(values.categories)
    settings_store.set_refused(values.refused)
    return _load_context()


def _booked_ads(dates: list[dt.date], exclude: int | None) -> list[BookedAd]:
    return [
        BookedAd(ad_id=i, title=t, body=b, phones=p, dates=tuple(d.isoformat() for d in ds))
        for i, t, b, p, ds in ads_store.booked_on(dates, exclude)
    ]


class MainWindow(QMainWindow):
    def __init__(self, executor: DbExecutor, db_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.executor = executor
        self._values: SettingsValues | None = None
        self._list_generation = 0
        self._pending_select: int | None = None
        self.setWindowTitle(self.tr("便民信息广告受理台 — {0}").format(db_label))
        self.resize(1320, 860)
        self._build(db_label)
        self.reload_context()
        self.reload_list()

    # --- construction -------------------------------------------------------------------
    def _build(self, db_label: str) -> None:
        self.model = AdTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("adTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.filter_on_date = QCheckBox(self.tr("只看该期"))
        self.filter_on_date.setObjectName("filterOnDate")
        self.filter_date = QDateEdit()
        self.filter_date.setObjectName("filterDate")
        self.filter_date.setCalendarPopup(True)
        self.filter_date.setDisplayFormat("yyyy-MM-dd")
        self.filter_date.setDate(QDate.currentDate())
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("filterCategory")
        self.filter_on_date.toggled.connect(self.reload_list)
        self.filter_date.dateChanged.connect(
            lambda _d: self.filter_on_date.isChecked() and self.reload_list()
        )
        self.filter_category.currentIndexChanged.connect(lambda _i: self.reload_list())
        self.list_count = QLabel()
        self.list_count.setObjectName("listCount")

        filters = QHBoxLayout()
        filters.addWidget(self.filter_on_date)
        filters.addWidget(self.filter_date)
        filters.addWidget(QLabel(self.tr("分类")))
        filters.addWidget(self.filter_category, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.list_count)

        self.editor = AdEditor()
        self.editor.save_requested.connect(self._save)
        self.editor.dates_changed.connect(self._load_booked)
        self.editor.advertiser_query.connect(self._query_advertisers)
        self.editor.dirty_changed.connect(self.setWindowModified)
        self.editor.phone_completed.connect(self._phone_history)
        self.editor.repeat_requested.connect(self.repeat_ad)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([760, 600])
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
            self.act_settings,
        ):
            bar.addAction(act)
            self.addAction(act)
        self.addAction(self.act_find)
        self.addToolBar(bar)
        self.statusBar().showMessage(self.tr("数据库：{0}").format(db_label))

    # --- loading ------------------------------------------------------------------------
    def reload_context(self) -> None:
        self.executor.submit(_load_context, self._context_loaded, self._db_error)

    def _context_loaded(self, values: SettingsValues) -> None:
        self._values = values
        self.editor.set_context(
            EditorContext(
                area_code=values.settings.area_code,
                refused={r.e164: r.reason for r in values.refused},
                categories=values.categories,
            )
        )
        current = self.filter_category.currentText()
        self.filter_category.blockSignals(True)
        self.filter_category.clear()
        self.filter_category.addItem(self.tr("全部分类"), "")
        for name in values.categories:
            self.filter_category.addItem(name, name)
        idx = self.filter_category.findText(current)
        self.filter_category.setCurrentIndex(max(idx, 0))
        self.filter_category.blockSignals(False)
        paper = values.settings.paper_name
        self.setWindowTitle(
            self.tr("{0} · {1}受理台").format(paper, values.settings.section_name) + "[*]"
        )

    def reload_list(self) -> None:
        self._list_generation += 1
        generation = self._list_generation
        date = to_date(self.filter_date.date()) if self.filter_on_date.isChecked() else None
        category = self.filter_category.currentData() or None
        self.list_count.setText(self.tr("正在读取…"))
        ctx = self._values

        def job() -> tuple[list[ads_store.AdRow], dict[int, list[Finding]]]:
            rows = ads_store.list_ads(date=date, category=category)
            if date is None or ctx is None:
                return rows, {}
            refused = {r.e164: r.reason for r in ctx.refused}
            return rows, review_issue(date, ctx.settings.area_code, refused)

        self.executor.submit(
            job, lambda result: self._list_loaded(generation, *result), self._db_error
        )

    def _list_loaded(
        self, generation: int, rows: list[ads_store.AdRow], flags: dict[int, list[Finding]]
    ) -> None:
        if generation != self._list_generation:
            return  # a newer request is on its way
        current = self.editor.ad_id()
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows, flags)
        issues = sum(1 for f in flags.values() if f)
        self.table.selectionModel().blockSignals(False)
        text = self.tr("共 {0} 则广告").format(len(rows))
        if flags:
            text += self.tr("，{0} 则需核对").format(issues)
        self.list_count.setText(text)
        target = self._pending_select or current
        self._pending_select = None
        if target is not None:
            row = self.model.row_of(target)
            if row >= 0:
                self.table.selectionModel().blockSignals(True)
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(self.model.index(row, 0))
                self.table.selectionModel().blockSignals(False)

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            return
        ad_id = self.model.data(current, AD_ID_ROLE)
        if ad_id == self.editor.ad_id():
            return
        if not self._confirm_discard():
            return
        self.open_ad(ad_id)

    def open_ad(self, ad_id: int) -> None:
        self.executor.submit(lambda: ads_store.load_ad(ad_id), self.editor.load, self._db_error)

    def _load_booked(self, dates: list[dt.date]) -> None:
        exclude = self.editor.ad_id()
        self.executor.submit(
            lambda: _booked_ads(dates, exclude), self.editor.set_booked, self._db_error
        )

    def _query_advertisers(self, text: str) -> None:
        self.executor.submit(
            lambda: ads_store.search_advertisers(text),
            self.editor.show_advertiser_choices,
            self._db_error,
        )

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
            self.table.clearSelection()
            self.editor.load_as_new(draft)
            self.editor.run_dates.calendar.setFocus()
            self.statusBar().showMessage(
                self.tr("已按广告 #{0} 新建底稿，请选择刊登日期后保存").format(ad_id), 8000
            )

        self.executor.submit(lambda: ads_store.load_ad(ad_id), loaded, self._db_error)

    def new_ad(self) -> None:
        if not self._confirm_discard():
            return
        dates = [to_date(self.filter_date.date())] if self.filter_on_date.isChecked() else []
        self.table.clearSelection()
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

    def _save(self, draft: AdDraft) -> None:
        self.editor.save_button.setEnabled(False)

        def done(ad_id: int) -> None:
            self.editor.save_button.setEnabled(True)
            self.editor.mark_saved(ad_id)
            self.statusBar().showMessage(self.tr("已保存广告 #{0}").format(ad_id), 5000)
            self._pending_select = ad_id
            self.reload_list()

        def failed(message: str) -> None:
            self.editor.save_button.setEnabled(True)
            self._db_error(self.tr("保存失败，没有写入任何内容：{0}").format(message))

        self.executor.submit(lambda: ads_store.save_ad(draft), done, failed)

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

        self.executor.submit(lambda: ads_store.delete_ad(ad_id), done, self._db_error)

    def open_settings(self) -> None:
        if self._values is None:
            return
        dialog = SettingsDialog(self._values, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.executor.submit(
            lambda: _save_context(dialog.values()), self._context_saved, self._db_error
        )

    def _context_saved(self, values: SettingsValues) -> None:
        self._context_loaded(values)
        self.statusBar().showMessage(self.tr("设置已保存"), 5000)
        self.reload_list()

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
        QMessageBox.warning(self, self.tr("数据库"), message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_discard():
            event.ignore()
            return
        event.accept()
