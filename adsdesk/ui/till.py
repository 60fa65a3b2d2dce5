"""The till in the desk: rate cards for the live price, orders on save, payments, receipts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QToolBar,
    QWidget,
)

from adsdesk.domain.money import MoneyError, format_fen, parse_yuan
from adsdesk.store.ads import AdDraft, Approvals
from adsdesk.store.desk_save import SaveOutcome, desk_save
from adsdesk.store.users import Credentials
from adsdesk.ui.price_panel import METHODS

if TYPE_CHECKING:
    from adsdesk.ui.main_window import MainWindow


def _cards_and_column() -> tuple[list[Any], Any, Any]:
    from adsdesk.issue import load_column_settings
    from adsdesk.store.ratecards import active_cards
    from adsdesk.store.settings import load_settings

    return active_cards(), load_column_settings(), load_settings()


class TillController(QObject):
    """Wires the price panel, the order of the ad in the editor and the till's dialogs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.executor = window.executor
        self.panel = window.editor.price
        self.panel.receipt_requested.connect(self.open_receipt)
        self.panel.pay_requested.connect(self.take_payment)
        self.panel.cancel_requested.connect(self.cancel_order)
        self.panel.history_requested.connect(self.open_order_history)
        self.act_cards = QAction(self.tr("价目表…"), window)
        self.act_cards.triggered.connect(self.open_cards)
        self.act_cashup = QAction(self.tr("日结…"), window)
        self.act_cashup.triggered.connect(self.open_cashup)
        self.act_reports = QAction(self.tr("报表…"), window)
        self.act_reports.triggered.connect(self.open_reports)
        bar = QToolBar(self.tr("收银"))
        bar.setObjectName("tillToolbar")
        bar.setMovable(False)
        for act in (self.act_cards, self.act_cashup, self.act_reports):
            bar.addAction(act)
        window.addToolBar(bar)
        self.reload_cards()

    def add_menu(self, bar: QMenuBar, before: QMenu | None = None) -> QMenu:
        """收银 in the menu bar (before 帮助): rate cards, cash-up, reports."""
        menu = QMenu(self.tr("收银(&M)"), bar)
        for act in (self.act_cards, self.act_cashup, self.act_reports):
            menu.addAction(act)
        if before is not None:
            bar.insertMenu(before.menuAction(), menu)
        else:
            bar.addMenu(menu)
        return menu

    # --- cards --------------------------------------------------------------------------
    def reload_cards(self) -> None:
        def loaded(result: tuple[list[Any], Any, Any]) -> None:
            cards, column, desk = result
            self.panel.set_deadlines(desk)  # the cut-off, for 加急 on late bookings
            self.panel.set_cards(cards, column, desk.area_code)

        self.executor.submit(_cards_and_column, loaded, self.window._db_error)

    def open_cards(self) -> None:
        from adsdesk.ui.ratecard_dialog import RateCardDialog

        dialog = RateCardDialog(self.executor, self.window)
        dialog.finished.connect(lambda _r: self.reload_cards())
        dialog.show()

    def open_cashup(self) -> None:
        from adsdesk.ui.cashup_dialog import CashUpDialog

        CashUpDialog(self.executor, self.window).show()

    def open_reports(self) -> None:
        from adsdesk.ui.report_dialog import ReportDialog

        ReportDialog(self.executor, self.window).show()

    # --- saving -------------------------------------------------------------------------
    def save_job(
        self, draft: AdDraft, approval: Credentials | None = None
    ) -> tuple[Callable[[], SaveOutcome | Approvals], str]:
        """The database job that saves the ad with its order (``store.desk_save``); (job,
        problem before saving). ``approval``: a supervisor's name and password typed for it."""
        problem = self.panel.payment_problem()
        surcharges = self.panel.surcharges()
        items = self.panel.item_counts() or None
        payment = None if problem else self.panel.payment()
        seen = self.panel.shown_order if draft.id is not None else None
        version = getattr(seen, "version", None)
        self._typed = (payment, seen)  # for a payment held back: what the clerk typed and saw

        def job() -> SaveOutcome | Approvals:
            return desk_save(draft, surcharges, items, payment, approval, order_version=version)

        return job, problem

    def saved(self, outcome: SaveOutcome) -> None:
        self.panel.paid.clear()
        self.panel.show_order(outcome.order)
        if outcome.problem:  # the ad is safe; say why there is no order, without a modal box
            message = self.tr("广告已保存，但订单/收款未完成：{0}").format(outcome.problem)
            self.window.editor._set_status(message, "error")
            self.window.statusBar().showMessage(message, 15000)
        payment, seen = getattr(self, "_typed", (None, None))
        if outcome.order_conflict is not None and payment is not None and seen is not None:
            self._order_conflict(outcome.order_conflict, seen, payment[1], payment[0])

    def show_order_for(self, ad_id: int | None) -> None:
        if ad_id is None:
            self.panel.show_order(None)
            return
        from adsdesk.store.orders import order_for_ad

        def shown(info: Any) -> None:
            if self.window.editor.ad_id() == ad_id:
                self.panel.show_order(info)
                if info is not None:
                    self.panel.set_surcharges(
                        [s["name"] for s in info.breakdown.get("surcharges", [])]
                    )
                    self.panel._recompute()

        self.executor.submit(lambda: order_for_ad(ad_id), shown, self.window._db_error)

    def _refresh_order(self, info: Any) -> None:
        self.panel.show_order(info)
        self.window.statusBar().showMessage(
            self.tr("订单 {0}：{1}").format(info.serial, info.state_label), 8000
        )

    # --- money --------------------------------------------------------------------------
    def take_payment(self, order_id: int) -> None:
        from adsdesk.store.orders import get_order

        self.executor.submit(lambda: get_order(order_id), self._ask_payment, self.window._db_error)

    def _ask_payment(self, info: Any, amount_fen: int | None = None) -> None:
        dialog = PaymentDialog(info, self.window, amount_fen)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.amount is None:
            return
        self._pay(info, dialog.amount, dialog.method)

    def _pay(self, info: Any, amount: int, method: str) -> None:
        """Take the payment on the order as the clerk saw it (``info``): refused, and the
        choice offered again, when another desk changed the order meanwhile."""
        from adsdesk.store.orders import StaleOrder, take_payment

        def job() -> Any:
            try:
                return take_payment(info.id, amount, method, version=info.version)
            except StaleOrder as exc:
                return exc

        def done(result: Any) -> None:
            if isinstance(result, StaleOrder):
                self._order_conflict(result, info, amount, method)
            else:
                self._refresh_order(result)

        self.executor.submit(job, done, self.window._db_error)

    def _order_conflict(self, stale: Any, seen: Any, amount: int, method: str) -> None:
        """The order changed between the clerk looking at it and paying: the order as they
        saw it with what they meant to take, beside the order now; they choose again."""
        from adsdesk.ui.conflict_dialog import GO_ON, KEEP_MINE

        kind = self.tr("收款") if amount > 0 else self.tr("退款")
        meant = self.tr("本次{0}：{1} 元（{2}）").format(kind, format_fen(abs(amount)), method)

        def chosen(choice: str) -> None:
            if choice == KEEP_MINE:  # on the order as it is now, knowingly
                self._pay(stale.stored, amount, method)
            elif choice == GO_ON:
                QTimer.singleShot(0, lambda: self._ask_payment(stale.stored))

        choices = (
            self.tr("仍按我填的金额{0}").format(kind),
            self.tr("不{0}了").format(kind),
            self.tr("按现在的订单重新填写"),
        )
        self._show_order_conflict(stale, seen, meant, choices, chosen)

    def _show_order_conflict(
        self,
        stale: Any,
        seen: Any,
        meant: str,
        choices: tuple[str, str, str | None],
        chosen: Callable[[str], None],
    ) -> None:
        """The order as the clerk saw it with what they ``meant`` to do, beside the order now
        (shown in the panel too); ``chosen`` gets their choice."""
        from adsdesk.ui.conflict_dialog import ConflictDialog

        self.window.statusBar().showMessage(str(stale), 15000)
        mine = describe_order(seen) + "\n" + meant
        dialog = ConflictDialog(
            str(stale), mine, describe_order(stale.stored), self.window, self.tr("订单"), choices
        )
        self.conflict_dialog = dialog
        self._refresh_order(stale.stored)
        dialog.chosen.connect(chosen)
        dialog.open()

    def open_order_history(self, order_id: int) -> None:
        """历史…: the order's own records (opened, repriced, paid, refunded, receipts, cancelled)."""
        from adsdesk.store.orders import order_history
        from adsdesk.ui.audit_dialog import AuditDialog

        dialog = AuditDialog(
            self.executor,
            self.window,
            title=self.tr("订单 {0} 的历史").format(self.panel.order_serial or order_id),
            fetch=lambda: order_history(order_id),
        )
        dialog.show()
        self.history_dialog = dialog

    def cancel_order(self, order_id: int) -> None:
        from adsdesk.store.orders import cancellation_terms

        self.executor.submit(
            lambda: cancellation_terms(order_id), self._confirm_cancel, self.window._db_error
        )

    def _confirm_cancel(self, terms: Any) -> None:
        answer = QMessageBox.question(
            self.window,
            self.tr("取消订单"),
            self.tr(
                "取消订单 {0}？未刊 {1} 期，价值 {2} 元；手续费 {3} 元；应退 {4} 元（现金）。"
                "未刊的日期将从版面撤下。"
            ).format(
                terms.order.serial,
                terms.unprinted_runs,
                format_fen(terms.value_fen),
                format_fen(terms.fee_fen),
                format_fen(terms.refund_fen),
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from adsdesk.store.orders import StaleOrder, cancel_order

        def job() -> Any:
            try:  # on the terms the clerk agreed to, or not at all
                return cancel_order(terms.order.id, version=terms.order.version)
            except StaleOrder as exc:
                return exc

        def done(result: Any) -> None:
            if isinstance(result, StaleOrder):
                self._cancel_conflict(result, terms)
                return
            self._refresh_order(result.order)
            ad_id = result.order.ad_id
            if ad_id is not None:
                self.window.open_ad(ad_id)
            self.window.reload_list(select=ad_id)
            self.window.layout_view.refresh()

        self.executor.submit(job, done, self.window._db_error)

    def _cancel_conflict(self, stale: Any, terms: Any) -> None:
        """The order changed after the clerk agreed the cancellation's terms: nothing was done;
        the terms as agreed beside the order now, and the choice to work them out again."""
        from adsdesk.ui.conflict_dialog import KEEP_MINE

        meant = self.tr("取消：退 {0} 元，手续费 {1} 元").format(
            format_fen(terms.refund_fen), format_fen(terms.fee_fen)
        )

        def chosen(choice: str) -> None:
            if choice == KEEP_MINE:
                QTimer.singleShot(0, lambda: self.cancel_order(stale.stored.id))

        choices = (self.tr("按现在的订单重新计算"), self.tr("不取消了"), None)
        self._show_order_conflict(stale, terms.order, meant, choices, chosen)

    # --- receipts -----------------------------------------------------------------------
    def open_receipt(self, order_id: int) -> None:
        """收据: to the printer or to a PDF file (reprints are marked 补打 either way)."""
        box = QMessageBox(self.window)
        box.setWindowTitle(self.tr("收据"))
        box.setText(self.tr("打印收据，还是保存为 PDF？"))
        printer = box.addButton(self.tr("打印…"), QMessageBox.ButtonRole.AcceptRole)
        pdf = box.addButton(self.tr("保存 PDF…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is printer:
            self.print_receipt(order_id)
        elif box.clickedButton() is pdf:
            self.save_receipt(order_id)

    def print_receipt(self, order_id: int) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from adsdesk.store.orders import note_print, receipt_data

        def job() -> Any:
            return receipt_data(order_id, reprint=note_print(order_id))

        def paint(data: Any) -> None:
            from adsdesk.layout.receipt import print_receipt

            print_receipt(data, printer)
            mark = self.tr("（补打）") if data.reprint else ""
            self.window.statusBar().showMessage(self.tr("收据{0}已送打印机").format(mark), 8000)

        self.executor.submit(job, paint, self.window._db_error)

    def save_receipt(self, order_id: int) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("保存收据 PDF"),
            str(Path.home() / f"收据-{order_id}.pdf"),
            self.tr("PDF 文件 (*.pdf)"),
        )
        if not path:
            return
        self.write_receipt(order_id, Path(path))

    def write_receipt(self, order_id: int, path: Path) -> None:
        from adsdesk.store.orders import note_print, receipt_data

        def job() -> Any:
            reprint = note_print(order_id)
            return receipt_data(order_id, reprint=reprint)

        def write(data: Any) -> None:
            from adsdesk.io.atomic import write_atomic
            from adsdesk.layout.receipt import write_receipt_pdf

            try:
                write_atomic(path, lambda tmp: write_receipt_pdf(data, tmp))
            except Exception as exc:  # a clear sentence: the folder, the disk
                self.window._db_error(str(exc))
                return
            mark = self.tr("（补打）") if data.reprint else ""
            self.window.statusBar().showMessage(
                self.tr("收据{0}已保存：{1}").format(mark, path), 8000
            )

        self.executor.submit(job, write, self.window._db_error)


def describe_order(info: Any) -> str:
    """An order as plain text, for comparing how a clerk saw it with how it is now."""
    when = f"{info.updated_at:%Y-%m-%d %H:%M:%S}" if getattr(info, "updated_at", None) else ""
    lines = [
        f"订单：{info.serial}",
        f"状态：{info.state_label}",
        f"应收：{format_fen(info.total_fen)} 元",
        f"已收：{format_fen(info.paid_fen)} 元",
    ]
    if getattr(info, "updated_by", "") or when:
        lines.append(f"最后改动：{info.updated_by or '—'} {when}".rstrip())
    return "\n".join(lines)


class PaymentDialog(QDialog):
    """Collect (positive) or refund (negative) an amount, by a payment method."""

    def __init__(
        self, info: Any, parent: QWidget | None = None, amount_fen: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("收款/退款 — 订单 {0}").format(info.serial))
        self.amount: int | None = None
        self.method = METHODS[0]
        self.methods = QComboBox()
        self.methods.addItems(list(METHODS))
        self.edit = QLineEdit(format_fen(info.balance_fen if amount_fen is None else amount_fen))
        self.edit.setObjectName("paymentAmount")
        self.note = QLabel(
            self.tr("应收 {0}，已收 {1}；负数为退款。").format(
                format_fen(info.total_fen), format_fen(info.paid_fen)
            )
        )
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        form.addRow(self.note)
        form.addRow(self.tr("金额（元）"), self.edit)
        form.addRow(self.tr("方式"), self.methods)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        try:
            fen = parse_yuan(self.edit.text())
        except MoneyError as exc:
            self.error.setText(str(exc))
            return
        if fen == 0:
            self.error.setText(self.tr("金额为零。"))
            return
        self.amount = fen
        self.method = self.methods.currentText()
        self.accept()


def today() -> dt.date:
    return dt.date.today()
