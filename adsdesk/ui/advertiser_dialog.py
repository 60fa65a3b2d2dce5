"""An advertiser's file: phones, all their ads over time, totals; open or repeat an ad."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from adsdesk.domain.money import format_fen
from adsdesk.store.advertisers import AdvertiserFile, advertiser_file
from adsdesk.store.orders import advertiser_totals as advertiser_money
from adsdesk.ui.ad_table import AD_ID_ROLE, COL_ADVERTISER, COL_FLAGS, COL_TITLE, AdTableModel
from adsdesk.ui.dbexec import DbExecutor


class AdvertiserDialog(QDialog):
    open_requested = Signal(int)
    repeat_requested = Signal(int)

    def __init__(
        self, executor: DbExecutor, advertiser_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("advertiserDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("客户档案"))
        self.resize(820, 520)
        self.heading = QLabel(self.tr("正在读取…"))
        self.heading.setObjectName("advertiserHeading")
        self.heading.setWordWrap(True)
        self.totals = QLabel()
        self.totals.setObjectName("advertiserTotals")
        self.note = QLabel()
        self.note.setObjectName("advertiserNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self.model = AdTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.hideColumn(COL_ADVERTISER)
        self.table.hideColumn(COL_FLAGS)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_TITLE, QHeaderView.ResizeMode.Stretch
        )
        self.table.doubleClicked.connect(lambda index: self._emit(self.open_requested, index))
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.repeat_button = QPushButton(self.tr("重登所选广告 (Ctrl+R)"))
        self.repeat_button.setObjectName("repeatSelected")
        self.repeat_button.clicked.connect(self.repeat_selected)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.open_button, self.repeat_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.totals)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        executor.submit(lambda: advertiser_file(advertiser_id), self._loaded, self._failed)
        self.money = QLabel()
        self.money.setObjectName("advertiserMoney")
        layout.insertWidget(2, self.money)
        executor.submit(lambda: advertiser_money(advertiser_id), self._money_loaded, self._failed)

    def _money_loaded(self, totals: dict[str, int]) -> None:
        if not isValid(self.money):  # the file was closed before its totals arrived
            return
        text = self.tr("订单 {0} 笔，应收 {1} 元，已收 {2} 元").format(
            totals["orders"], format_fen(totals["total_fen"]), format_fen(totals["paid_fen"])
        )
        if totals["owed_fen"]:
            text += self.tr("，未结 {0} 元").format(format_fen(totals["owed_fen"]))
        if totals["credit_fen"]:
            text += self.tr("，挂账 {0} 元").format(format_fen(totals["credit_fen"]))
        self.money.setText(text)

    def _loaded(self, file: AdvertiserFile) -> None:
        if not isValid(self.heading):  # the file was closed before it was read
            return
        phones = "、".join(file.phones) or self.tr("无")
        self.heading.setText(
            self.tr("<b>{0}</b>（客户 #{1}）　电话：{2}").format(file.name, file.id, phones)
            + (self.tr("　地址：{0}").format(file.address) if file.address else "")
        )
        span = ""
        if file.first_date and file.last_date:
            span = self.tr("，{0} 至 {1}").format(
                file.first_date.isoformat(), file.last_date.isoformat()
            )
        self.totals.setText(
            self.tr("共 {0} 则广告，刊登 {1} 期{2}").format(len(file.ads), file.insertions, span)
        )
        if file.note:
            self.note.setText(self.tr("档案备注：") + file.note.replace("\n", "；"))
            self.note.show()
        self.model.set_rows(file.ads)
        if file.ads:
            self.table.selectRow(0)

    def _failed(self, message: str) -> None:
        if isValid(self.heading):
            self.heading.setText(message)

    def _emit(self, signal: SignalInstance, index: QModelIndex | None = None) -> bool:
        index = index if index is not None else self.table.currentIndex()
        if index.isValid():
            signal.emit(int(self.model.data(index, AD_ID_ROLE)))
            return True
        return False

    def repeat_selected(self) -> None:
        """Book the selected ad again in the editor, and step aside so the clerk sees it."""
        if self._emit(self.repeat_requested):
            self.close()

    # Ctrl+R typed here is this dialog's, never the main window's "book the open ad again":
    # claiming it at ShortcutOverride keeps every window shortcut from firing, whichever window
    # the window manager considers active.
    @staticmethod
    def _is_repeat_key(event: QEvent) -> bool:
        return isinstance(event, QKeyEvent) and QKeySequence(
            event.keyCombination()
        ) == QKeySequence("Ctrl+R")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._is_repeat_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_repeat_key(event):
            self.repeat_selected()
            return
        super().keyPressEvent(event)
