"""Takings and ad counts over a date range, grouped by day, month, category, clerk, method or
advertiser; the rows always add up to the orders of the range."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from peewee import fn

from adsdesk.store.billing_models import Order
from adsdesk.store.rows import tuples

GROUPS = ("day", "month", "category", "clerk", "method", "advertiser")
GROUP_NAMES = {
    "day": "按日",
    "month": "按月",
    "category": "按分类",
    "clerk": "按受理员",
    "method": "按付款方式",
    "advertiser": "按客户",
}
TOP_ADVERTISERS = 20
OTHERS = "其他客户"


@dataclass(frozen=True)
class ReportRow:
    key: str
    orders: int
    total_fen: int  # what the orders cost
    paid_fen: int  # what was collected on them


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    by: str
    rows: tuple[ReportRow, ...]

    @property
    def orders(self) -> int:
        return sum(r.orders for r in self.rows)

    @property
    def total_fen(self) -> int:
        return sum(r.total_fen for r in self.rows)

    @property
    def paid_fen(self) -> int:
        return sum(r.paid_fen for r in self.rows)

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "by": self.by,
            "rows": [
                {"key": r.key, "orders": r.orders, "total_fen": r.total_fen, "paid_fen": r.paid_fen}
                for r in self.rows
            ],
            "orders": self.orders,
            "total_fen": self.total_fen,
            "paid_fen": self.paid_fen,
        }


def _column(by: str):  # type: ignore[no-untyped-def]
    return {
        "day": Order.day,
        "month": Order.day,
        "category": Order.category,
        "clerk": Order.clerk,
        "method": Order.method,
        "advertiser": Order.customer,
    }[by]


def report(start: dt.date, end: dt.date, by: str = "day", top: int = TOP_ADVERTISERS) -> Report:
    """Orders taken from ``start`` to ``end`` (inclusive), grouped; cancelled orders count at
    what they kept (the fee, the printed runs)."""
    if by not in GROUPS:
        raise ValueError(by)
    col = _column(by)
    query = tuples(
        Order.select(col, fn.COUNT(Order.id), fn.SUM(Order.total_fen), fn.SUM(Order.paid_fen))
        .where((Order.day >= start) & (Order.day <= end))
        .group_by(col)
    )
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, count, total, paid in query:
        if by == "month":
            day = key if isinstance(key, dt.date) else dt.date.fromisoformat(str(key)[:10])
            name = f"{day:%Y-%m}"
        elif by == "day":
            name = str(key)[:10]
        else:
            name = str(key or "（未填）")
        s = sums[name]
        s[0] += int(count or 0)
        s[1] += int(total or 0)
        s[2] += int(paid or 0)
    rows = [ReportRow(k, v[0], v[1], v[2]) for k, v in sums.items()]
    if by in ("day", "month"):
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.total_fen, r.key))
    if by == "advertiser" and len(rows) > top:
        rest = rows[top:]
        rows = [
            *rows[:top],
            ReportRow(
                f"{OTHERS}（{len(rest)} 位）",
                sum(r.orders for r in rest),
                sum(r.total_fen for r in rest),
                sum(r.paid_fen for r in rest),
            ),
        ]
    return Report(start, end, by, tuple(rows))


def latest_order_day(clerk: str | None = None) -> dt.date | None:
    """The last day an order was taken (by ``clerk``, if given): where a report or a cash-up
    opens when today has nothing yet (a new desk on the sample data, a Monday morning)."""
    query = Order.select(fn.MAX(Order.day))
    if clerk:
        query = query.where(Order.clerk == clerk)
    value = query.scalar()
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
