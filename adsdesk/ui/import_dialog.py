"""Import ads from a .csv or .xlsx file: map headers, see refused rows, import with progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.profile import PaperProfile
from adsdesk.io.import_tables import (
    ImportPlan,
    RowCheck,
    already_booked,
    check_table,
    import_rows,
)
from adsdesk.io.tables import FIELD_NAMES, FIELDS, IGNORE, Table, read_table, remap
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.ui_state import ask_open_path

PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)
PREVIEW_HEADERS = ("行号", "分类", "标题", "正文", "电话", "刊登日期", "提示")
PREVIEW_ROWS = 500  # good rows shown before import; all of them are imported


def _check_and_compare(table: Table, **options: Any) -> tuple[ImportPlan, dict[int, str]]:
    """Runs on the database thread: check every row, then look for rows already booked."""
    plan = check_table(table, **options)
    return plan, already_booked(plan.rows)


class _Progress(QObject):
    """Carries progress from the worker thread to the UI thread (a queued signal)."""

    changed = Signal(int, int)


class ImportDialog(QDialog):
    """The desk's table import. Emits ``imported`` with the new ad ids."""

    imported = Signal(object)

    def __init__(
        self,
        executor: DbExecutor,
        profile: PaperProfile,
        categories: Sequence[str] | None = None,
        refused: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("从表格导入广告"))
        self.resize(900, 600)
        self.executor = executor
        self._area_code = profile.area_code
        self._categories = list(categories) if categories else None
        self._refused = dict(refused or {})
        self._table: Table | None = None
        self._plan: ImportPlan | None = None
        self._repeats: dict[int, str] = {}
        self._cancel: threading.Event | None = None
        self.progress: QProgressDialog | None = None
        self._bridge = _Progress(self)
        self._bridge.changed.connect(self._progress_changed)
        self._build()

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.pages = QStackedWidget()

        page = QWidget()
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(self.tr(".csv 或 .xlsx 文件"))
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self._browse)
        browse.setAutoDefault(False)  # Enter in the path reads it, never opens the chooser
        self.read_button = QPushButton(self.tr("读取"))
        self.read_button.setObjectName("importRead")
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(lambda: self.open_file(self.path.text()))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.read_button)
        hint = QLabel(
            self.tr(
                "表头可用中文或英文：标题/title、正文/body、电话/phones（多个用 , ; 、 或空格分隔）、"
                "分类/category、客户/advertiser、刊登日期/dates（如 2023-02-24，多个用 , ; 或空格分隔）。"
                "CSV 可为 UTF-8 或 GB18030 编码。每一行都像录入的广告一样检查。"
            )
        )
        hint.setWordWrap(True)
        box = QVBoxLayout(page)
        box.addLayout(row)
        box.addWidget(hint)
        box.addStretch(1)
        self.pages.addWidget(page)

        page = QWidget()
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setObjectName("headerMapping")
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("表头"), self.tr("对应到"), self.tr("第一行的内容")]
        )
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.map_button = QPushButton(self.tr("按此对应，继续检查"))
        self.map_button.setObjectName("mappingContinue")
        self.map_button.clicked.connect(self._mapping_done)
        box = QVBoxLayout(page)
        box.addWidget(self.mapping_note)
        box.addWidget(self.mapping, 1)
        box.addWidget(self.map_button, 0, Qt.AlignmentFlag.AlignRight)
        self.pages.addWidget(page)

        page = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.rejected_rows = QTableWidget(0, 2)
        self.rejected_rows.setObjectName("rejectedRows")
        self.rejected_rows.setHorizontalHeaderLabels([self.tr("行号"), self.tr("原因")])
        self.rejected_rows.verticalHeader().setVisible(False)
        self.rejected_rows.setWordWrap(True)
        self.rejected_rows.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.rejected_rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.import_good = QPushButton()
        self.import_good.setObjectName("importGood")
        self.import_good.clicked.connect(self.start_import)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("importPreviewNote")
        self.preview = QTableWidget(0, len(PREVIEW_HEADERS))
        self.preview.setObjectName("goodRows")
        self.preview.setHorizontalHeaderLabels([self.tr(h) for h in PREVIEW_HEADERS])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.remap_button = QPushButton(self.tr("调整表头对应…"))
        self.remap_button.setObjectName("importRemap")
        self.remap_button.clicked.connect(self._remap)
        self.import_nothing = QPushButton(self.tr("全部不导入"))
        self.import_nothing.setObjectName("importNothing")
        self.import_nothing.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.remap_button)
        row.addStretch(1)
        row.addWidget(self.import_nothing)
        row.addWidget(self.import_good)
        box = QVBoxLayout(page)
        box.addWidget(self.summary)
        box.addWidget(self.rejected_rows, 1)
        box.addWidget(self.preview_note)
        box.addWidget(self.preview, 2)
        box.addLayout(row)
        self.pages.addWidget(page)

        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setObjectName("importDone")
        self.done_label.setWordWrap(True)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        box = QVBoxLayout(page)
        box.addWidget(self.done_label)
        box.addStretch(1)
        box.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.pages.addWidget(page)

        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)

    # --- step 1: the file ---------------------------------------------------------------
    def _browse(self) -> None:
        chosen = ask_open_path(self, self.tr("选择要导入的表格"), self.tr("表格 (*.csv *.xlsx)"))
        if chosen is not None:
            self.path.setText(str(chosen))
            self.open_file(chosen)

    def open_file(self, path: str | Path) -> None:
        """Read the file off the UI thread; then map headers or go straight to checking."""
        text = str(path).strip()
        if not text:
            self.status.setText(self.tr("请先选择要导入的文件。"))
            return
        self.path.setText(text)
        self.read_button.setEnabled(False)
        self.status.setText(self.tr("正在读取 {0}…").format(Path(text).name))
        self.executor.submit(lambda: read_table(Path(text)), self._table_read, self._read_failed)

    def _read_failed(self, message: str) -> None:
        self.read_button.setEnabled(True)
        self.status.setText(message)
        self.pages.setCurrentIndex(PAGE_FILE)

    def _table_read(self, table: Table) -> None:
        self.read_button.setEnabled(True)
        self._table = table
        if table.unknown_headers() or table.missing_text():
            self._show_mapping(table)
        else:
            self._check()

    # --- step 2: headers ----------------------------------------------------------------
    def _remap(self) -> None:
        if self._table is not None:
            self._show_mapping(self._table)

    def _show_mapping(self, table: Table) -> None:
        unknown = table.unknown_headers()
        note = self.tr("这些表头认不出来：{0}。请指明每一列对应什么，不需要的选“忽略”。").format(
            "、".join(unknown) or self.tr("无")
        )
        if table.missing_text():
            note += self.tr("至少要有一列对应“标题”或“正文”。")
        self.mapping_note.setText(note)
        first = table.rows[0][1] if table.rows else []
        self.mapping.setRowCount(len(table.headers))
        for i, header in enumerate(table.headers):
            self.mapping.setItem(i, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(self.tr("忽略"), IGNORE)
            for name in FIELDS:
                combo.addItem(FIELD_NAMES[name], name)
            combo.setCurrentIndex(max(combo.findData(table.columns.get(i, IGNORE)), 0))
            self.mapping.setCellWidget(i, 1, combo)
            sample = first[i] if i < len(first) else ""
            self.mapping.setItem(i, 2, QTableWidgetItem(sample.replace("\n", " ")[:80]))
        self.mapping.resizeColumnToContents(0)
        self.mapping.setColumnWidth(1, 140)
        self.pages.setCurrentIndex(PAGE_MAPPING)
        self.status.setText("")

    def set_mapping(self, header: str, field: str) -> None:
        """Choose what a header means (as the clerk does with the row's combo box)."""
        assert self._table is not None
        row = self._table.headers.index(header)
        combo = self.mapping.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(field))

    def _mapping_done(self) -> None:
        assert self._table is not None
        chosen: dict[str, str] = {}
        for i, header in enumerate(self._table.headers):
            combo = self.mapping.cellWidget(i, 1)
            if isinstance(combo, QComboBox):
                chosen[header] = combo.currentData()
        try:
            remap(self._table, chosen)
        except Exception as exc:  # a header mapped twice or similar: say so, stay here
            self.status.setText(str(exc))
            return
        if self._table.missing_text():
            self.status.setText(self.tr("至少要有一列对应“标题”或“正文”。"))
            return
        self._check()

    # --- step 3: check and preview ------------------------------------------------------
    def _check(self) -> None:
        table = self._table
        assert table is not None
        self.status.setText(self.tr("正在检查 {0} 行…").format(len(table.rows)))
        self._run(
            self.tr("正在检查每一行…"),
            len(table.rows),
            lambda progress, cancel: _check_and_compare(
                table,
                area_code=self._area_code,
                refused=self._refused,
                categories=self._categories,
                progress=progress,
                cancel=cancel,
            ),
            self._checked,
        )

    def _checked(self, result: tuple[ImportPlan, dict[int, str]]) -> None:
        self._finish_progress()
        plan, self._repeats = result
        self._plan = plan
        good, bad = len(plan.good), len(plan.rejected)
        if bad:
            text = self.tr(
                "共 {0} 行：{1} 行无误，{2} 行有问题（见下表）。可以只导入无误的行，或全部不导入，"
                "改好文件再来。"
            ).format(len(plan.rows), good, bad)
        else:
            text = self.tr("共 {0} 行，全部无误。").format(len(plan.rows))
        warned = sum(1 for r in plan.good if r.warnings)
        if warned:
            text += self.tr("其中 {0} 行有提醒（不影响导入），导入后可在编辑器里查看。").format(
                warned
            )
        if self._repeats:
            text += self.tr(
                "有 {0} 行在同一天已登过同样内容（见下表“提示”），导入前会再问。"
            ).format(len(self._repeats))
        self.summary.setText(text)
        self._fill_preview(plan)
        self.rejected_rows.setRowCount(bad)
        for i, row in enumerate(plan.rejected):
            self.rejected_rows.setItem(i, 0, QTableWidgetItem(str(row.row)))
            self.rejected_rows.setItem(i, 1, QTableWidgetItem(row.reason))
        self.rejected_rows.resizeRowsToContents()
        self.rejected_rows.setVisible(bad > 0)
        self.import_good.setText(
            self.tr("导入无误的 {0} 行").format(good)
            if bad
            else self.tr("导入全部 {0} 行").format(good)
        )
        self.import_good.setEnabled(good > 0)
        self.pages.setCurrentIndex(PAGE_PREVIEW)
        self.status.setText("")

    def _fill_preview(self, plan: ImportPlan) -> None:
        """The good rows as they will be saved: category, title, text, phones, dates, notes."""
        good = plan.good
        shown = good[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown))
        for i, r in enumerate(shown):
            notes = [self._repeats[r.row]] if r.row in self._repeats else []
            notes += [f.message for f in r.warnings]
            cells = (
                str(r.row),
                r.category,
                r.title,
                r.body.replace("\n", " "),
                "，".join(p.display for p in r.phones),
                "，".join(d.isoformat() for d in r.dates) or self.tr("（未定）"),
                "；".join(notes),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.preview.setItem(i, col, item)
        self.preview.resizeColumnToContents(0)
        more = len(good) - len(shown)
        self.preview_note.setText(
            self.tr("将导入的 {0} 行：").format(len(good))
            + (
                self.tr("（只列出前 {0} 行，其余 {1} 行同样导入）").format(len(shown), more)
                if more
                else ""
            )
        )
        self.preview.setVisible(bool(good))
        self.preview_note.setVisible(bool(good))

    # --- step 4: import -----------------------------------------------------------------
    def _ask_about_repeats(self, rows: list[RowCheck]) -> list[RowCheck] | None:
        """Rows already booked on the same day: skip them, import them anyway, or stop."""
        repeats = [r for r in rows if r.row in self._repeats]
        if not repeats:
            return rows
        box = QMessageBox(self)
        box.setObjectName("importRepeats")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("可能重复导入"))
        lines = [
            self.tr("第 {0} 行：{1}").format(r.row, self._repeats[r.row]) for r in repeats[:12]
        ]
        if len(repeats) > 12:
            lines.append(self.tr("……共 {0} 行").format(len(repeats)))
        box.setText(
            self.tr("有 {0} 行在同一天已登过同样内容，再导入会重复刊登：").format(len(repeats))
            + "\n\n"
            + "\n".join(lines)
        )
        skip = box.addButton(self.tr("跳过这些行"), QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton(self.tr("仍然导入"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(skip)
        box.exec()
        if box.clickedButton() is skip:
            return [r for r in rows if r.row not in self._repeats]
        if box.clickedButton() is anyway:
            return rows
        return None

    def start_import(self) -> None:
        """Import the good rows in one transaction, with a progress dialog that can cancel."""
        plan = self._plan
        if plan is None or not plan.good:
            return
        chosen = self._ask_about_repeats(plan.good)
        if chosen is None:
            return
        if not chosen:
            self.status.setText(self.tr("没有要导入的行：它们都已登过。"))
            return
        rows = chosen
        self.import_good.setEnabled(False)
        self.import_nothing.setEnabled(False)
        self.status.setText(self.tr("正在导入…"))
        self._run(
            self.tr("正在导入 {0} 则广告…").format(len(rows)),
            len(rows),
            lambda progress, cancel: import_rows(rows, progress=progress, cancel=cancel),
            self._imported,
        )

    def _imported(self, ids: list[int]) -> None:
        self._finish_progress()
        self.done_label.setText(self.tr("已导入 {0} 则广告。").format(len(ids)))
        self.pages.setCurrentIndex(PAGE_DONE)
        self.status.setText("")
        self.imported.emit(list(ids))

    # --- running work with progress -----------------------------------------------------
    def _run(
        self,
        label: str,
        total: int,
        job: Callable[[Callable[[int, int], bool], threading.Event], Any],
        done: Callable[[Any], None],
    ) -> None:
        cancel = threading.Event()
        self._cancel = cancel
        bridge = self._bridge

        def progress(count: int, of: int) -> bool:
            bridge.changed.emit(count, of)  # queued to the UI thread; widgets stay there
            return not cancel.is_set()

        dialog = QProgressDialog(label, self.tr("取消"), 0, max(total, 1), self)
        dialog.setObjectName("importProgress")
        dialog.setWindowTitle(self.tr("导入"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self.progress = dialog
        self.executor.submit(lambda: job(progress, cancel), done, self._work_failed)

    def cancel(self) -> None:
        """Stop the running check or import; an import is rolled back completely."""
        if self._cancel is not None:
            self._cancel.set()
            if self.progress is not None:
                self.progress.setLabelText(self.tr("正在取消…"))

    def _progress_changed(self, count: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(count, max(total, 1)))

    def _finish_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._cancel = None

    def _work_failed(self, message: str) -> None:
        self._finish_progress()
        self.import_good.setEnabled(self._plan is not None and bool(self._plan.good))
        self.import_nothing.setEnabled(True)
        self.status.setText(message)
        if self._plan is None:
            self.pages.setCurrentIndex(PAGE_FILE)
