"""日结: one clerk's day — orders, takings by payment method, cash counted, the difference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from adsdesk.domain.money import MoneyError, format_fen, parse_yuan
from adsdesk.ui.dbexec import DbExecutor


class CashUpDialog(QDialog):
    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashUpDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("日结"))
        self.resize(520, 480)
        self.executor = executor
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.clerk = QComboBox()
        self.clerk.setEditable(True)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("cashUpTable")
        self.table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("金额（元）")])
        header = self.table.horizontalHeader()  # labels take the width, amounts their own
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.counted = QLineEdit()
        self.counted.setObjectName("cashCounted")
        self.counted.setPlaceholderText(self.tr("清点的现金，如 1250.00"))
        self.counted.textChanged.connect(self._difference)
        self.difference = QLabel()
        self.difference.setObjectName("cashDifference")
        self.state = QLabel()
        self.state.setObjectName("cashUpState")
        self.close_button = QPushButton(self.tr("关账"))
        self.close_button.setObjectName("closeDay")
        self.close_button.clicked.connect(self._close_day)
        self.reopen_button = QPushButton(self.tr("重新打开（主管）"))
        self.reopen_button.clicked.connect(self._reopen)
        done = QPushButton(self.tr("关闭"))
        done.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow(self.tr("日期"), self.day)
        form.addRow(self.tr("受理员"), self.clerk)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        counted = QFormLayout()
        counted.addRow(self.tr("清点现金"), self.counted)
        counted.addRow(self.tr("差额"), self.difference)
        layout.addLayout(counted)
        layout.addLayout(buttons)
        self.summary: Any = None
        self.day.dateChanged.connect(lambda _d: self._load_clerks())
        self.clerk.currentTextChanged.connect(lambda _t: self.refresh())
        self._start_day()

    def _start_day(self) -> None:
        """Today, or the clerk's last day with orders when today has none yet."""
        from adsdesk.store.cashup import clerks_of_day
        from adsdesk.store.clerk import current_clerk
        from adsdesk.store.reports import latest_order_day

        today = dt.date.today()

        def job() -> dt.date:
            if clerks_of_day(today):
                return today
            return latest_order_day(current_clerk()) or today

        def chosen(day: dt.date) -> None:
            if self._day() == day:
                self._load_clerks()
            else:
                self.day.setDate(QDate(day.year, day.month, day.day))  # loads the clerks

        self.executor.submit(job, chosen, self._failed)

    def _day(self) -> dt.date:
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day())

    def _load_clerks(self) -> None:
        from adsdesk.store.cashup import clerks_of_day
        from adsdesk.store.clerk import current_clerk

        day = self._day()

        def listed(result: tuple[list[str], str]) -> None:
            names, me = result
            self.clerk.blockSignals(True)
            self.clerk.clear()
            self.clerk.addItems(list(dict.fromkeys([me, *names])))
            self.clerk.blockSignals(False)
            self.refresh()

        self.executor.submit(lambda: (clerks_of_day(day), current_clerk()), listed, self._failed)

    def refresh(self) -> None:
        from adsdesk.store.cashup import day_summary

        day, clerk = self._day(), self.clerk.currentText().strip()
        if clerk:
            self.executor.submit(lambda: day_summary(day, clerk), self._shown, self._failed)

    def _shown(self, s: Any) -> None:
        if not isValid(self.table):  # closed before the answer came back
            return
        self.summary = s
        rows = [(self.tr("订单 {0} 笔，应收").format(s.orders), s.ordered_fen)]
        rows += [(self.tr("收款：{0}").format(m), fen) for m, fen in s.by_method.items()]
        rows += [
            (self.tr("其中退款"), -s.refunds_fen),
            (self.tr("实收合计"), s.takings_fen),
            (self.tr("应有现金"), s.expected_cash_fen),
        ]
        self.table.setRowCount(len(rows))
        for i, (label, fen) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(label))
            cell = QTableWidgetItem(format_fen(fen))
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, 1, cell)
        if s.closed:
            self.state.setText(self.tr("已关账，不能再收款"))
            self.counted.setText(format_fen(s.counted_cash_fen or 0))
        else:
            self.state.setText(
                self.tr("营业中")
                + (self.tr("（{0} 重新打开）").format(s.reopened_by) if s.reopened_by else "")
            )
        self.counted.setReadOnly(s.closed)
        self.close_button.setEnabled(not s.closed)
        self.reopen_button.setEnabled(s.closed)
        self._difference()

    def _counted_fen(self) -> int | None:
        try:
            return parse_yuan(self.counted.text()) if self.counted.text().strip() else None
        except MoneyError:
            return None

    def _difference(self) -> None:
        fen = self._counted_fen()
        if self.summary is None or fen is None:
            self.difference.setText("—")
            return
        diff = fen - self.summary.expected_cash_fen
        word = self.tr("相符") if diff == 0 else (self.tr("长款") if diff > 0 else self.tr("短款"))
        self.difference.setText(f"{format_fen(diff)}（{word}）")

    def _close_day(self) -> None:
        fen = self._counted_fen()
        if fen is None:
            self.state.setText(self.tr("请先填清点的现金（元，如 1250.00）。"))
            return
        from adsdesk.store.cashup import close_day

        day, clerk = self._day(), self.clerk.currentText().strip()
        self.executor.submit(lambda: close_day(day, fen, clerk), self._shown, self._failed)

    def _reopen(self) -> None:
        from adsdesk.store.actor import SUPERVISOR, current_actor
        from adsdesk.store.users import Credentials

        reason, ok = QInputDialog.getText(self, self.tr("重新打开"), self.tr("原因："))
        if not ok:
            return
        approval = None
        actor = current_actor()
        if not (actor.user and actor.has(SUPERVISOR)):  # a supervisor approves at this desk
            name, ok = QInputDialog.getText(self, self.tr("主管批准"), self.tr("主管用户名："))
            if not ok:
                return
            password, ok = QInputDialog.getText(
                self, self.tr("主管批准"), self.tr("密码："), QLineEdit.EchoMode.Password
            )
            if not ok:
                return
            approval = Credentials(name, password)
        from adsdesk.store.cashup import reopen_day

        day, clerk = self._day(), self.clerk.currentText().strip()
        self.executor.submit(
            lambda: reopen_day(day, clerk, reason, approval), self._shown, self._failed
        )

    def _failed(self, message: str) -> None:
        self.state.setText(message)
