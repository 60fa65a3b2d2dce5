"""The editor's price box: live count and price, surcharges, item corrections, payment, order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from adsdesk.domain.money import MoneyError, format_fen, parse_yuan
from adsdesk.domain.ratecard import UNIT_NAMES, RateCard
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.live_price import LivePrice, LivePricer
from adsdesk.store.issues import late_dates
from adsdesk.store.settings import DeskSettings

RUSH = "加急"  # the rate card's surcharge that bookings past the cut-off carry

METHODS = ("现金", "微信", "支付宝", "银行转账", "挂账")
_UNIT_WORD = {"line": "行", "char": "字", "item": "件", "flat": "则"}


class PricePanel(QWidget):
    """Shows what the ad costs as it is typed; holds the clerk's choices for the order."""

    receipt_requested = Signal(int)  # order id
    pay_requested = Signal(int)  # order id
    cancel_requested = Signal(int)  # order id
    history_requested = Signal(int)  # order id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pricePanel")
        self.pricer = LivePricer()
        self.last: LivePrice | None = None
        self._order_id: int | None = None
        self.order_serial: str = ""
        self.shown_order: object | None = None
        self._surcharge_boxes: dict[str, QCheckBox] = {}
        self._deadlines: DeskSettings | None = None  # the cut-off setting, once loaded
        self._booked: set[dt.date] = set()  # the open ad's stored dates (not new bookings)
        self._rush_forced = False
        self.late: list[dt.date] = []  # new bookings past their issue's cut-off

        # Labels wrap so the editor needs no sideways scrolling on a 1024-pixel screen.
        self.counts = QLabel()
        self.counts.setObjectName("priceCounts")
        self.counts.setWordWrap(True)
        self.unit = QLabel()
        self.unit.setObjectName("priceUnit")
        self.unit.setWordWrap(True)
        self.total = QLabel()
        self.total.setObjectName("priceTotal")
        self.total.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.detail = QLabel()
        self.detail.setObjectName("priceDetail")
        self.detail.setWordWrap(True)
        self.surcharge_row = QHBoxLayout()
        self.rush_note = QLabel()
        self.rush_note.setObjectName("rushNote")
        self.rush_note.setWordWrap(True)
        self.rush_note.setStyleSheet("color: #b36b00;")
        self.rush_note.setVisible(False)
        self.items = QLineEdit()
        self.items.setObjectName("priceItems")
        self.items.setPlaceholderText(self.tr("件数更正，如 身份证=2 公章=1"))
        self.items.setVisible(False)
        self.method = QComboBox()
        self.method.setObjectName("payMethod")
        self.method.addItems([self.tr(m) for m in METHODS])
        self.paid = QLineEdit()
        self.paid.setObjectName("payAmount")
        self.paid.setPlaceholderText(self.tr("实收金额（元），空则暂不收款"))
        self.full = QPushButton(self.tr("收全款"))
        self.full.setToolTip(self.tr("把合计金额填入实收"))
        self.full.clicked.connect(self._fill_total)
        self.order = QLabel()
        self.order.setObjectName("orderState")
        self.order.setWordWrap(True)
        self.receipt_button = QPushButton(self.tr("收据…"))
        self.pay_button = QPushButton(self.tr("收款/退款"))
        self.cancel_button = QPushButton(self.tr("取消订单…"))
        self.history_button = QPushButton(self.tr("历史…"))
        self.history_button.setObjectName("orderHistory")
        self.history_button.setToolTip(self.tr("这张订单的开单、改价、收款、退款和收据记录"))
        for b in (self.receipt_button, self.pay_button, self.cancel_button, self.history_button):
            b.setEnabled(False)
        self.history_button.clicked.connect(lambda: self._emit(self.history_requested))
        self.receipt_button.clicked.connect(lambda: self._emit(self.receipt_requested))
        self.pay_button.clicked.connect(lambda: self._emit(self.pay_requested))
        self.cancel_button.clicked.connect(lambda: self._emit(self.cancel_requested))

        grid = QGridLayout()
        grid.addWidget(self.counts, 0, 0, 1, 2)
        grid.addWidget(self.total, 0, 2)
        grid.addWidget(self.unit, 1, 0, 1, 3)
        grid.addWidget(self.detail, 2, 0, 1, 3)
        pay = QHBoxLayout()
        pay.addWidget(QLabel(self.tr("付款")))
        pay.addWidget(self.method)
        pay.addWidget(self.paid, 1)
        pay.addWidget(self.full)
        order_row = QVBoxLayout()
        order_row.addWidget(self.order)
        order_buttons = QHBoxLayout()
        order_buttons.addStretch(1)
        order_buttons.addWidget(self.pay_button)
        order_buttons.addWidget(self.receipt_button)
        order_buttons.addWidget(self.cancel_button)
        order_buttons.addWidget(self.history_button)
        order_row.addLayout(order_buttons)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(grid)
        box.addLayout(self.surcharge_row)
        box.addWidget(self.rush_note)
        box.addWidget(self.items)
        box.addLayout(pay)
        box.addLayout(order_row)
        self._inputs: tuple[str, str, str, list[dt.date]] = ("", "", "", [])

    # --- set-up -------------------------------------------------------------------------
    def set_cards(
        self,
        cards: Sequence[tuple[int, RateCard]],
        settings: ColumnSettings | None,
        area_code: str,
    ) -> None:
        self.pricer = LivePricer(cards, settings, area_code)
        names = list(dict.fromkeys(s.name for _, c in cards for s in c.surcharges))
        for name in list(self._surcharge_boxes):
            if name not in names:
                box = self._surcharge_boxes.pop(name)
                self.surcharge_row.removeWidget(box)
                box.deleteLater()
        for name in names:
            if name not in self._surcharge_boxes:
                box = QCheckBox(name)
                box.toggled.connect(self._recompute)
                self._surcharge_boxes[name] = box
                self.surcharge_row.addWidget(box)
        self._recompute()

    def set_deadlines(self, settings: DeskSettings) -> None:
        """The desk's cut-off setting: bookings past it are priced 加急."""
        self._deadlines = settings
        self._recompute()

    def set_booked_dates(self, dates: Sequence[dt.date]) -> None:
        """The open ad's dates as stored (a late one was approved and marked when booked)."""
        self._booked = set(dates)

    def _apply_rush(self, dates: Sequence[dt.date]) -> None:
        """Tick (and hold) 加急 while a new booking is past its cut-off, and say why."""
        box = self._surcharge_boxes.get(RUSH)
        new = [d for d in dates if d not in self._booked]
        self.late = late_dates(new, settings=self._deadlines) if self._deadlines and new else []
        if self.late and box is not None:
            box.blockSignals(True)
            box.setChecked(True)
            box.blockSignals(False)
            box.setEnabled(False)
            self._rush_forced = True
            days = "、".join(d.isoformat() for d in self.late)
            self.rush_note.setText(
                self.tr("{0} 已过截稿时间：按加急计价，保存时须主管批准。").format(days)
            )
            self.rush_note.setVisible(True)
            return
        if self._rush_forced and box is not None:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
            box.setEnabled(True)
        self._rush_forced = False
        self.rush_note.setVisible(False)

    # --- the clerk's choices ------------------------------------------------------------
    def surcharges(self) -> list[str]:
        return [n for n, b in self._surcharge_boxes.items() if b.isChecked()]

    def set_surcharges(self, names: Sequence[str]) -> None:
        for n, b in self._surcharge_boxes.items():
            b.blockSignals(True)
            b.setChecked(n in names)
            b.blockSignals(False)

    def item_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in self.items.text().replace("，", " ").replace(",", " ").split():
            name, _, count = part.partition("=")
            if name.strip() and count.strip().isdigit():
                out[name.strip()] = int(count)
        return out

    def payment(self) -> tuple[str, int] | None:
        """(method, fen) to take on save, or None; raises MoneyError for a bad amount."""
        text = self.paid.text().strip()
        if not text:
            return None
        fen = parse_yuan(text)
        return (METHODS[self.method.currentIndex()], fen) if fen else None

    def payment_problem(self) -> str:
        try:
            self.payment()
        except MoneyError as exc:
            return str(exc)
        return ""

    def reset_choices(self) -> None:
        self.set_surcharges([])
        self._rush_forced = False
        if (box := self._surcharge_boxes.get(RUSH)) is not None:
            box.setEnabled(True)
        self.items.clear()
        self.paid.clear()
        self.method.setCurrentIndex(0)

    # --- live price ---------------------------------------------------------------------
    def update_ad(self, category: str, title: str, body: str, dates: list[dt.date]) -> None:
        self._inputs = (category, title, body, list(dates))
        self._recompute()

    def _recompute(self) -> None:
        category, title, body, dates = self._inputs
        self._apply_rush(dates)
        if not (title.strip() or body.strip()):  # a blank form has no price yet (not the minimum)
            self.last = None
            self.counts.setText(self.tr("字数 0"))
            self.counts.setStyleSheet("")
            self.unit.setText(self.tr("输入标题或正文后计价"))
            self.total.setText(self.tr("合计 —"))
            self.detail.setText("")
            self.items.setVisible(False)
            return
        live = self.pricer.price(
            category, title, body, dates, self.surcharges(), self.item_counts() or None
        )
        self.last = live
        q = live.quote
        flag = ""
        if q is None:
            self.counts.setText(self.tr("版面实占 {0} 行").format(live.column_lines))
            self.unit.setText(live.problem)
            self.total.setText(self.tr("合计 —"))
            self.detail.setText("")
            self.items.setVisible(False)
            return
        if live.lines_differ:
            flag = self.tr("  ⚠ 与计费行数不同")
        self.counts.setText(
            self.tr("字数 {0} · 计费 {1} 行 · 版面实占 {2} 行{3}").format(
                q.chars, q.lines, live.column_lines, flag
            )
        )
        self.counts.setProperty("flag", "warn" if flag else "")
        self.counts.setStyleSheet("color: #b36b00;" if flag else "")
        self.items.setVisible(q.unit == "item")
        if q.unit == "item":
            found = (
                "、".join(f"{n}×{c}（{format_fen(p)}）" for n, c, p in q.items) or "未识别到证件"
            )
            unit = self.tr("{0}：{1}").format(UNIT_NAMES[q.unit], found)
        elif q.unit == "char" and q.per_run_fen and q.unit_price_fen and q.units:
            unit = self.tr("{0}：{1} 字，超出部分每字 {2}").format(
                UNIT_NAMES[q.unit], q.units, format_fen(q.unit_price_fen)
            )
        else:
            unit = self.tr("{0}：{1} {2} × {3}（最少 {4}）").format(
                UNIT_NAMES[q.unit],
                max(q.units, q.minimum) if q.unit != "flat" else 1,
                _UNIT_WORD[q.unit],
                format_fen(q.unit_price_fen),
                q.minimum,
            )
        self.unit.setText(unit + self.tr("，每期 {0}").format(format_fen(q.per_run_fen)))
        parts = [self.tr("{0} 期").format(q.runs)]
        if q.paid_runs != q.runs:
            parts.append(self.tr("赠 {0} 期").format(q.runs - q.paid_runs))
        for s in q.surcharges:
            parts.append(self.tr("{0} +{1}%").format(s.name, s.percent))
        if q.surcharge_fen:
            parts.append(self.tr("加价 {0}").format(format_fen(q.surcharge_fen)))
        if q.discount_percent:
            parts.append(
                self.tr("折扣 {0}%（−{1}）").format(q.discount_percent, format_fen(q.discount_fen))
            )
        parts.append(self.tr("价目表：{0}").format(q.card))
        self.detail.setText(" · ".join(parts))
        self.total.setText(self.tr("合计 ¥{0}").format(format_fen(q.total_fen)))

    def total_fen(self) -> int | None:
        return self.last.quote.total_fen if self.last and self.last.quote else None

    def _fill_total(self) -> None:
        total = self.total_fen()
        if total is not None:
            self.paid.setText(format_fen(total))

    # --- the saved order ----------------------------------------------------------------
    def show_order(self, info: object | None) -> None:
        """The ad's order (an ``OrderInfo``) or None for an ad without one."""
        self._order_id = getattr(info, "id", None)
        self.order_serial = getattr(info, "serial", "")
        self.shown_order = info  # as the clerk sees it: a payment typed here is against it
        for b in (self.receipt_button, self.pay_button, self.cancel_button):
            b.setEnabled(info is not None and getattr(info, "status", "") != "cancelled")
        self.receipt_button.setEnabled(info is not None)
        self.history_button.setEnabled(info is not None)
        if info is None:
            self.order.setText(self.tr("保存后生成订单"))
            return
        self.order.setText(
            self.tr("订单 {0} · 应收 {1} · 已收 {2} · {3}").format(
                info.serial,  # type: ignore[attr-defined]
                format_fen(info.total_fen),  # type: ignore[attr-defined]
                format_fen(info.paid_fen),  # type: ignore[attr-defined]
                info.state_label,  # type: ignore[attr-defined]
            )
        )

    def order_id(self) -> int | None:
        return self._order_id

    def _emit(self, signal: SignalInstance) -> None:
        if self._order_id is not None:
            signal.emit(self._order_id)
