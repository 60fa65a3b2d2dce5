"""Daily cash-up (日结) per clerk: orders and takings by method, cash counted, the difference."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from peewee import fn

from adsdesk.store.audit import record
from adsdesk.store.billing_models import CashUp, Order, Payment
from adsdesk.store.clerk import current_clerk
from adsdesk.store.models import db
from adsdesk.store.orders import CASH, METHODS, TillError
from adsdesk.store.rows import first_tuple, tuples
from adsdesk.store.users import Credentials, approve


@dataclass(frozen=True)
class DaySummary:
    day: dt.date
    clerk: str
    orders: int
    ordered_fen: int  # the day's new orders, at their totals
    by_method: dict[str, int] = field(default_factory=dict)  # net takings (refunds subtracted)
    refunds_fen: int = 0
    closed: bool = False
    counted_cash_fen: int | None = None
    reopened_by: str = ""

    @property
    def takings_fen(self) -> int:
        return sum(self.by_method.values())

    @property
    def expected_cash_fen(self) -> int:
        return self.by_method.get(CASH, 0)

    @property
    def difference_fen(self) -> int | None:
        """Cash counted less cash expected (negative: short)."""
        if self.counted_cash_fen is None:
            return None
        return self.counted_cash_fen - self.expected_cash_fen

    def as_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "clerk": self.clerk,
            "orders": self.orders,
            "ordered_fen": self.ordered_fen,
            "by_method": self.by_method,
            "takings_fen": self.takings_fen,
            "refunds_fen": self.refunds_fen,
            "expected_cash_fen": self.expected_cash_fen,
            "counted_cash_fen": self.counted_cash_fen,
            "difference_fen": self.difference_fen,
            "closed": self.closed,
        }


def clerks_of_day(day: dt.date) -> list[str]:
    names = {r[0] for r in tuples(Payment.select(Payment.clerk).where(Payment.day == day))}
    names |= {r[0] for r in tuples(Order.select(Order.clerk).where(Order.day == day))}
    return sorted(names)


def day_summary(day: dt.date, clerk: str | None = None) -> DaySummary:
    clerk = clerk or current_clerk()
    orders, ordered = (
        first_tuple(
            Order.select(fn.COUNT(Order.id), fn.SUM(Order.total_fen)).where(
                (Order.day == day) & (Order.clerk == clerk)
            )
        )
    ) or (0, 0)
    by_method = {m: 0 for m in METHODS}
    refunds = 0
    for method, kind, amount in tuples(
        Payment.select(Payment.method, Payment.kind, fn.SUM(Payment.amount_fen))
        .where((Payment.day == day) & (Payment.clerk == clerk))
        .group_by(Payment.method, Payment.kind)
    ):
        by_method[method] = by_method.get(method, 0) + int(amount or 0)
        if kind == "refund":
            refunds += -int(amount or 0)
    row = CashUp.get_or_none((CashUp.day == day) & (CashUp.clerk == clerk))
    return DaySummary(
        day=day,
        clerk=clerk,
        orders=int(orders or 0),
        ordered_fen=int(ordered or 0),
        by_method=by_method,
        refunds_fen=refunds,
        closed=bool(row and row.closed),
        counted_cash_fen=int(row.counted_cash_fen) if row else None,
        reopened_by=row.reopened_by if row else "",
    )


def close_day(day: dt.date, counted_cash_fen: int, clerk: str | None = None) -> DaySummary:
    """Close the clerk's day with the cash counted; no payments are taken on it afterwards."""
    clerk = clerk or current_clerk()
    if counted_cash_fen < 0:
        raise TillError("清点的现金不能为负数。")
    with db.atomic():
        summary = day_summary(day, clerk)
        if summary.closed:
            raise TillError(f"{clerk} 的 {day} 已经日结。")
        payload = json.dumps(summary.as_dict(), ensure_ascii=False)
        values = {
            "closed": True,
            "expected_cash_fen": summary.expected_cash_fen,
            "counted_cash_fen": counted_cash_fen,
            "summary": payload,
            "closed_at": dt.datetime.now().replace(microsecond=0),
            "closed_by": current_clerk(),
        }
        updated = (
            CashUp.update(**values).where((CashUp.day == day) & (CashUp.clerk == clerk)).execute()
        )
        if not updated:
            CashUp.create(day=day, clerk=clerk, **values)
        record(
            "cashup.close",
            "cash_up",
            None,
            {
                "day": day,
                "clerk": clerk,
                "expected_cash_fen": summary.expected_cash_fen,
                "counted_cash_fen": counted_cash_fen,
            },
        )
    return day_summary(day, clerk)


def reopen_day(
    day: dt.date, clerk: str, reason: str, approval: Credentials | None = None
) -> DaySummary:
    """A supervisor reopens a closed day so that payments can be taken on it again: the
    signed-in supervisor, or one who types their own name and password (``approval``)."""
    if not reason.strip():
        raise TillError("请写明重新打开的原因。")
    approver = approve(approval, "重新打开已日结的一天")
    with db.atomic():
        row = CashUp.get_or_none((CashUp.day == day) & (CashUp.clerk == clerk))
        if row is None or not row.closed:
            raise TillError(f"{clerk} 的 {day} 还没有日结。")
        CashUp.update(
            closed=False,
            reopened_at=dt.datetime.now().replace(microsecond=0),
            reopened_by=approver,
            reason=reason.strip(),
        ).where(CashUp.id == row.id).execute()
        record(
            "cashup.reopen",
            "cash_up",
            int(row.id),
            {"day": day, "clerk": clerk},
            reason=reason,
            approver=approver,
        )
    return day_summary(day, clerk)
