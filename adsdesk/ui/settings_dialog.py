"""Settings: paper and area code, the desk's hotlines, the category order, the refuse list,
and where the daily backups go (with the last good one)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.phone_check import check_phone
from adsdesk.domain.profile import area_code_problem
from adsdesk.store.backup import BackupFile
from adsdesk.store.settings import DeskSettings, RefusedEntry, SettingsCopy, Stamp
from adsdesk.store.upkeep import backup_is_stale


@dataclass
class SettingsValues:
    settings: DeskSettings
    categories: list[str]
    refused: list[RefusedEntry]
    last_backup: BackupFile | None = None
    default_backup_dir: str = ""
    stamps: dict[str, Stamp] = field(default_factory=dict)  # each part's version as loaded
    on_server: bool = False  # the data is on a PostgreSQL server: no file backups here

    def copy(self) -> SettingsCopy:
        """The parts the store saves, with their versions."""
        return SettingsCopy(self.settings, self.categories, self.refused, self.stamps)

    def with_copy(self, copy: SettingsCopy) -> SettingsValues:
        """These values with the parts (and versions) of ``copy``."""
        return replace(
            self,
            settings=copy.settings,
            categories=list(copy.categories),
            refused=list(copy.refused),
            stamps=dict(copy.stamps),
        )


class SettingsDialog(QDialog):
    def __init__(self, values: SettingsValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("设置"))
        self.resize(560, 460)
        self._values = values
        tabs = QTabWidget()
        tabs.addTab(self._paper_tab(values.settings), self.tr("报社"))
        tabs.addTab(self._category_tab(values.categories), self.tr("分类"))
        tabs.addTab(self._refused_tab(values.refused), self.tr("拒登号码"))
        tabs.addTab(self._backup_tab(values), self.tr("备份"))
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet("color: #c0262d")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    # --- tabs ---------------------------------------------------------------------------
    def _paper_tab(self, s: DeskSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.paper_name = QLineEdit(s.paper_name)
        self.paper_name.setObjectName("paperName")
        self.section_name = QLineEdit(s.section_name)
        self.area_code = QLineEdit(s.area_code)
        self.area_code.setObjectName("areaCode")
        self.area_code.setMaxLength(4)
        self.hotlines = QLineEdit("  ".join(s.hotlines))
        self.hotlines.setObjectName("hotlines")
        self.area_code.textChanged.connect(lambda _t: self._recheck())
        self.hotlines.textChanged.connect(lambda _t: self._recheck())
        form.addRow(self.tr("报纸名称"), self.paper_name)
        form.addRow(self.tr("栏目名称"), self.section_name)
        form.addRow(self.tr("本地区号"), self.area_code)
        form.addRow(self.tr("受理热线"), self.hotlines)
        hint = QLabel(
            self.tr("本地号码（7 或 8 位，不带区号）按本地区号核验。热线之间用空格或逗号分隔。")
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        # The day's deadline and who works here (issue 12).
        cut = QHBoxLayout()
        self.cutoff_days = QSpinBox()
        self.cutoff_days.setObjectName("cutoffDays")
        self.cutoff_days.setRange(0, 14)
        self.cutoff_days.setValue(int(s.cutoff_days_before))
        self.cutoff_days.setSuffix(self.tr(" 天前"))
        self.cutoff_time = QTimeEdit(QTime.fromString(s.cutoff_time, "HH:mm"))
        self.cutoff_time.setObjectName("cutoffTime")
        self.cutoff_time.setDisplayFormat("HH:mm")
        cut.addWidget(self.cutoff_days)
        cut.addWidget(self.cutoff_time)
        cut.addStretch(1)
        form.addRow(self.tr("截稿时间"), cut)
        self.sign_in = QCheckBox(self.tr("启动时登录（单机受理台可关闭；关闭后记录只写电脑名）"))
        self.sign_in.setObjectName("signInRequired")
        self.sign_in.setChecked(bool(s.sign_in))
        form.addRow(self.tr("登录"), self.sign_in)
        return page

    def _backup_tab(self, values: SettingsValues) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.backup_dir = QLineEdit(values.settings.backup_dir)
        self.backup_dir.setObjectName("backupDir")
        self.backup_dir.setPlaceholderText(values.default_backup_dir)
        if values.on_server:  # the server's data is backed up on the server, not here
            return self._server_backup_tab(page, form)
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._choose_backup_dir)
        row = QHBoxLayout()
        row.addWidget(self.backup_dir, 1)
        row.addWidget(browse)
        form.addRow(self.tr("备份文件夹"), row)
        self.last_backup = QLabel(self._last_backup_text(values.last_backup))
        self.last_backup.setObjectName("lastBackup")
        self.last_backup.setWordWrap(True)
        self.last_backup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("最近完好的备份"), self.last_backup)
        self.backup_warning = QLabel()
        self.backup_warning.setObjectName("backupWarning")
        self.backup_warning.setStyleSheet("color: #c0262d")
        self.backup_warning.setWordWrap(True)
        if backup_is_stale(values.last_backup):
            self.backup_warning.setText(
                self.tr("已超过两天没有完好的备份。请检查备份文件夹是否可写、磁盘是否已满。")
            )
        form.addRow("", self.backup_warning)
        hint = QLabel(
            self.tr(
                "受理台每天自动备份一次，每份都检查完好后才留下；保留最近 7 天各一份、"
                "再往前 4 周每周一份。最好选另一块硬盘或网络共享文件夹。"
            )
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        return page

    def _server_backup_tab(self, page: QWidget, form: QFormLayout) -> QWidget:
        """What a desk on a server says about backups: where they are made and how."""
        self.backup_dir.setParent(page)
        self.backup_dir.hide()  # (kept for the save: the setting stays as it was)
        self.last_backup = QLabel(self.tr("这台受理台的数据在服务器上，本机不做自动备份。"))
        self.last_backup.setObjectName("lastBackup")
        self.backup_warning = QLabel()  # (never a warning: nothing is backed up here)
        hint = QLabel(
            self.tr(
                "请管理员在服务器上每天备份：adsdesk backup --db 服务器地址（用 PostgreSQL 的 "
                "pg_dump），或用服务器自己的备份；恢复用 adsdesk restore --db 服务器地址 备份文件。"
            )
        )
        hint.setObjectName("serverBackupHint")
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.last_backup)
        form.addRow(hint)
        return page

    def _last_backup_text(self, last: BackupFile | None) -> str:
        if last is None:
            return self.tr("还没有备份")
        days = (dt.date.today() - last.taken.date()).days
        when = {0: self.tr("今天"), 1: self.tr("昨天")}.get(days, self.tr("{0} 天前").format(days))
        return self.tr("{0}（{1}）\n{2}").format(
            last.taken.strftime("%Y-%m-%d %H:%M"), when, str(last.path)
        )

    def _choose_backup_dir(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self,
            self.tr("选择备份文件夹"),
            self.backup_dir.text() or self.backup_dir.placeholderText(),
        )
        if folder:
            self.backup_dir.setText(folder)

    def _category_tab(self, categories: list[str]) -> QWidget:
        page = QWidget()
        self.category_list = QListWidget()
        self.category_list.setObjectName("categoryList")
        for name in categories:
            self._add_category_item(name)
        self.new_category = QLineEdit()
        self.new_category.setPlaceholderText(self.tr("新分类名称"))
        self.new_category.returnPressed.connect(self._add_category)
        add = QPushButton(self.tr("添加"))
        add.clicked.connect(self._add_category)
        remove = QPushButton(self.tr("删除"))
        remove.clicked.connect(lambda: self.category_list.takeItem(self.category_list.currentRow()))
        up = QPushButton(self.tr("上移"))
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton(self.tr("下移"))
        down.clicked.connect(lambda: self._move(1))
        side = QVBoxLayout()
        for b in (up, down, remove):
            side.addWidget(b)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.category_list, 1)
        row.addLayout(side)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_category, 1)
        add_row.addWidget(add)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("版面按此顺序排列分类；双击改名。")))
        layout.addLayout(row)
        layout.addLayout(add_row)
        return page

    def _refused_tab(self, refused: list[RefusedEntry]) -> QWidget:
        page = QWidget()
        self.refused_table = QTableWidget(0, 2)
        self.refused_table.setObjectName("refusedTable")
        self.refused_table.setHorizontalHeaderLabels([self.tr("号码"), self.tr("原因")])
        self.refused_table.horizontalHeader().setStretchLastSection(True)
        self.refused_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._refused: list[RefusedEntry] = []
        for entry in refused:
            self._append_refused(entry)
        self.refused_number = QLineEdit()
        self.refused_number.setObjectName("refusedNumber")
        self.refused_number.setPlaceholderText(self.tr("号码"))
        self.refused_reason = QLineEdit()
        self.refused_reason.setPlaceholderText(self.tr("原因，如：冒充本报广告代理"))
        add = QPushButton(self.tr("加入"))
        add.setObjectName("refusedAdd")
        add.clicked.connect(self._add_refused)
        self.refused_reason.returnPressed.connect(self._add_refused)
        remove = QPushButton(self.tr("移除所选"))
        remove.clicked.connect(self._remove_refused)
        add_row = QHBoxLayout()
        add_row.addWidget(self.refused_number)
        add_row.addWidget(self.refused_reason, 1)
        add_row.addWidget(add)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("这些号码出现在任何广告里都将被禁止刊登。")))
        layout.addWidget(self.refused_table, 1)
        layout.addLayout(add_row)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    # --- categories ---------------------------------------------------------------------
    def _add_category_item(self, name: str) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.category_list.addItem(item)

    def _add_category(self) -> None:
        name = self.new_category.text().strip()
        if name and name not in self.categories():
            self._add_category_item(name)
            self.new_category.clear()

    def _move(self, step: int) -> None:
        row = self.category_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.category_list.count():
            return
        item = self.category_list.takeItem(row)
        self.category_list.insertItem(target, item)
        self.category_list.setCurrentRow(target)

    def categories(self) -> list[str]:
        return [
            self.category_list.item(i).text().strip() for i in range(self.category_list.count())
        ]

    # --- refuse list --------------------------------------------------------------------
    def _append_refused(self, entry: RefusedEntry) -> None:
        self._refused.append(entry)
        row = self.refused_table.rowCount()
        self.refused_table.insertRow(row)
        self.refused_table.setItem(row, 0, QTableWidgetItem(entry.display))
        self.refused_table.setItem(row, 1, QTableWidgetItem(entry.reason))

    def _add_refused(self) -> None:
        check = check_phone(
            self.refused_number.text(),
            self.area_code.text().strip() or self._values.settings.area_code,
        )
        if not check.valid or not check.e164:
            self.error.setText(self.tr("拒登号码有误：{0}").format(check.reason))
            return
        if any(e.e164 == check.e164 for e in self._refused):
            self.error.setText(self.tr("{0} 已在拒登名单上。").format(check.display))
            return
        self._append_refused(
            RefusedEntry(check.e164, check.display, self.refused_reason.text().strip())
        )
        self.refused_number.clear()
        self.refused_reason.clear()
        self.error.clear()

    def _remove_refused(self) -> None:
        row = self.refused_table.currentRow()
        if row >= 0:
            self.refused_table.removeRow(row)
            del self._refused[row]

    # --- result -------------------------------------------------------------------------
    def _problem(self) -> str:
        """What stops these settings being saved, in one sentence ("" when nothing)."""
        area = self.area_code.text().strip()
        if area_code_problem(area):
            return self.tr("区号应为 0 开头的 3 到 4 位数字。")
        for line in self._hotline_list():
            check = check_phone(line, area)
            if not check.valid:
                return self.tr("热线 {0} 有误：{1}").format(line, check.reason)
        if not self.categories():
            return self.tr("至少要有一个分类。")
        return ""

    def _recheck(self) -> None:
        """Once an error is shown, keep it true to the fields: corrected, it goes."""
        if self.error.text():
            self.error.setText(self._problem())

    def accept(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()

    def _hotline_list(self) -> list[str]:
        return [h for h in re.split(r"[\s,，、;；]+", self.hotlines.text().strip()) if h]

    def values(self) -> SettingsValues:
        settings = replace(
            self._values.settings,
            paper_name=self.paper_name.text().strip(),
            section_name=self.section_name.text().strip() or self._values.settings.section_name,
            area_code=self.area_code.text().strip(),
            hotlines=self._hotline_list(),
            backup_dir=self.backup_dir.text().strip(),
            cutoff_days_before=self.cutoff_days.value(),
            cutoff_time=self.cutoff_time.time().toString("HH:mm"),
            sign_in=self.sign_in.isChecked(),
        )
        return SettingsValues(
            settings=settings,
            categories=self.categories(),
            refused=list(self._refused),
            last_backup=self._values.last_backup,
            default_backup_dir=self._values.default_backup_dir,
            stamps=self._values.stamps,
        )
