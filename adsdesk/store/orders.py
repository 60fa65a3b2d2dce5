"""Orders and payments: a booking's frozen price, money in and out, price changes, cancellation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from peewee import fn

from adsdesk.domain.money import format_fen, parse_yuan, round_half_up
from adsdesk.domain.pricing import Quote, quote
from adsdesk.domain.ratecard import RateCard
from adsdesk.domain.receipt import ReceiptData, ReceiptLine
from adsdesk.errors import DeskError
from adsdesk.store.actor import current_actor
from adsdesk.store.audit import AuditEntry, entries_of, record
from adsdesk.store.backend import insert_row, is_postgres
from adsdesk.store.billing_models import CreditAccount, Order, OrderEvent, Payment
from adsdesk.store.clerk import current_clerk
from adsdesk.store.models import Ad, Insertion, Setting, db
from adsdesk.store.ratecards import active_cards, pick_card
from adsdesk.store.rows import first_tuple

CASH, WECHAT, ALIPAY, BANK, CREDIT = "现金", "微信", "支付宝", "银行转账", "挂账"
METHODS: tuple[str, ...] = (CASH, WECHAT, ALIPAY, BANK, CREDIT)
CANCEL_FEE_KEY = "till.cancel_fee"
DEFAULT_CANCEL_FEE = "10.00"


class TillError(DeskError):
    """A payment or order the till refuses, in one sentence."""


class StaleOrder(TillError):
    """The order changed (paid, repriced, cancelled) since the clerk looked at it: the
    payment or cancellation they asked for was not done. ``stored``: the order as it is now."""

    def __init__(self, stored: OrderInfo, action: str) -> None:
        when = f"{stored.updated_at:%Y-%m-%d %H:%M:%S}" if stored.updated_at else "刚才"
        who = stored.updated_by or "另一台电脑"
        super().__init__(
            f"订单 {stored.serial} 已由 {who} 于 {when} 改动过（现在{stored.state_label}），"
            f"您的{action}没有执行，以免重复收款或退款。请看清现在的订单后再决定。"
        )
        self.stored = stored
        self.action = action


def _touch() -> dict[str, object]:
    """What every change to an order also writes: its version moved on, who, when."""
    return {
        "version": Order.version + 1,
        "updated_by": current_actor().label,
        "updated_at": dt.datetime.now().replace(microsecond=0),
    }


@dataclass(frozen=True)
class OrderInfo:
    id: int
    serial: str
    day: dt.date
    ad_id: int | None
    advertiser_id: int | None
    customer: str
    clerk: str
    category: str
    card_name: str
    breakdown: dict[str, Any]
    runs: int
    dates: tuple[dt.date, ...]
    total_fen: int
    paid_fen: int
    method: str
    status: str
    version: int = 1  # the row's version when read: a payment or cancellation names it
    updated_by: str = ""
    updated_at: dt.datetime | None = None

    @property
    def balance_fen(self) -> int:
        """Still to collect (positive) or to refund (negative)."""
        return 0 if self.status == "cancelled" else self.total_fen - self.paid_fen

    @property
    def state_label(self) -> str:
        if self.status == "cancelled":
            return "已取消"
        if self.total_fen == self.paid_fen:
            return "已付清"
        if self.paid_fen > self.total_fen:
            return f"待退 {format_fen(self.paid_fen - self.total_fen)}"
        if self.paid_fen == 0:
            return "未付"
        return f"待收 {format_fen(self.total_fen - self.paid_fen)}"


def cancel_fee_fen() -> int:
    row = Setting.get_or_none(Setting.key == CANCEL_FEE_KEY)
    text = json.loads(row.value) if row else DEFAULT_CANCEL_FEE
    try:
        return parse_yuan(str(text))
    except ValueError:
        return parse_yuan(DEFAULT_CANCEL_FEE)


def set_cancel_fee(fen: int) -> None:
    if fen < 0:
        raise TillError("取消手续费不能为负数。")
    from adsdesk.store.settings import write_setting

    with db.atomic():
        old = cancel_fee_fen()
        write_setting(CANCEL_FEE_KEY, format_fen(fen))
        record("settings.update", "settings", None, {"cancel_fee": [old, fen]})


def _info(o: Order) -> OrderInfo:
    breakdown = json.loads(o.breakdown or "{}")
    dates = tuple(dt.date.fromisoformat(d) for d in breakdown.get("dates", []))
    return OrderInfo(
        id=int(o.id),
        serial=o.serial,
        day=o.day,
        ad_id=o.ad_id,
        advertiser_id=o.advertiser_id,
        customer=o.customer,
        clerk=o.clerk,
        category=o.category,
        card_name=o.card_name,
        breakdown=breakdown,
        runs=int(o.runs),
        dates=dates,
        total_fen=int(o.total_fen),
        paid_fen=int(o.paid_fen),
        method=o.method,
        status=o.status,
        version=int(o.version or 1),
        updated_by=o.updated_by or "",
        updated_at=_as_datetime(o.updated_at),
    )


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def get_order(order_id: int | str) -> OrderInfo:
    """An order by id or by its serial ("20240105-007")."""
    if isinstance(order_id, str) and not order_id.isdigit():
        row = Order.get_or_none(Order.serial == order_id)
    else:
        row = Order.get_or_none(Order.id == int(order_id))
    if row is None:
        raise TillError(f"没有订单 {order_id}。")
    return _info(row)


def order_for_ad(ad_id: int) -> OrderInfo | None:
    """The ad's current order (its latest that is not cancelled), if any."""
    # Raw SQL to model rows: every edit's save asks, inside its transaction, and building the
    # query took 0.24 ms.
    p = db.param
    sql = f"SELECT * FROM ad_order WHERE ad_id = {p} AND status <> {p} ORDER BY id DESC LIMIT 1"
    row = next(iter(Order.raw(sql, ad_id, "cancelled")), None)
    return _info(row) if row else None


RUSH = "加急"  # the rate card's surcharge for bookings past the cut-off


def price_ad(
    ad_id: int,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> tuple[Quote, list[dt.date]]:
    """What the saved ad costs now: the card in force on its first run date (today if none)."""
    ad = Ad.get_by_id(ad_id)
    category = ad.category.name if ad.category is not None else ""
    dates = sorted(i.date for i in Insertion.select().where(Insertion.ad == ad_id))
    rush = bool(
        Insertion.select().where((Insertion.ad == ad_id) & (Insertion.rush == True)).exists()  # noqa: E712
    )
    q = price(active_cards(), category, ad.title, ad.body, dates, rush, surcharges, items, today)
    return q, dates


def price(
    cards: list[tuple[int, RateCard]],
    category: str,
    title: str,
    body: str,
    dates: Sequence[dt.date],
    rush: bool,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Quote:
    """An ad's price under ``cards``: the card in force on its first run date (today if it has
    none); ``rush``: a booking of it is 加急, priced so when the card has that surcharge."""
    day = min(dates) if dates else (today or dt.date.today())
    card = pick_card(cards, category, day)
    if card is None:
        raise TillError(
            f"没有 {day} 适用于“{category or '未分类'}”的价目表，无法计价；请先在价目表里添加。"
        )
    chosen = list(surcharges)
    # A booking taken past its issue's cut-off (approved, stored 加急) is priced as 加急.
    if rush and any(s.name == RUSH for s in card.surcharges):
        chosen.append(RUSH)
    return quote(card, category, title, body, runs=len(dates), surcharges=chosen, items=items)


def _breakdown(q: Quote, dates: Sequence[dt.date]) -> str:
    data = q.as_dict()
    data["dates"] = [d.isoformat() for d in dates]
    return json.dumps(data, ensure_ascii=False)


# Order numbers run per day. On a server two desks would otherwise both take the day's
# highest + 1 and one of them fail: this lock (held until the order's transaction ends)
# makes them take turns, only for the moment between taking the number and committing.
ORDER_NUMBER_LOCK = 0x6F726472  # "ordr"


def _next_number(day: dt.date) -> int:
    """The day's next order number; call inside the transaction that creates the order."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (ORDER_NUMBER_LOCK, day.toordinal()))
    (top,) = db.execute_sql(
        f"SELECT MAX(number) FROM ad_order WHERE day = {db.param}", (day.isoformat(),)
    ).fetchone()
    return int(top or 0) + 1


def book_order(
    ad_id: int,
    *,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
    method: str = CASH,
    today: dt.date | None = None,
) -> OrderInfo:
    """Make or update the order of a saved ad, at today's price of the ad as it now stands.

    A new ad gets a new order with the day's next serial number. An ad that already has an
    order keeps it: a changed price is recorded (old and new total) and the difference shows
    as the balance to collect or to refund; the breakdown is frozen again only then.
    """
    today = today or dt.date.today()
    if method not in METHODS:
        raise TillError(f"付款方式“{method}”不认识；可选：{'、'.join(METHODS)}。")
    q, dates = price_ad(ad_id, surcharges, items, today)
    ad = Ad.get_by_id(ad_id)
    customer = ad.advertiser.name if ad.advertiser is not None else ""
    with db.atomic():
        return write_order(ad_id, ad.advertiser_id, customer, q, dates, method, today)


_UNREAD: Any = object()


def write_order(
    ad_id: int,
    advertiser_id: int | None,
    customer: str,
    q: Quote,
    dates: Sequence[dt.date],
    method: str,
    today: dt.date,
    existing: OrderInfo | None = _UNREAD,
) -> OrderInfo:
    """The writing half of :func:`book_order`, priced already: call inside a transaction.
    ``existing``: the ad's current order as just read in it, when the caller has it."""
    clerk = current_clerk()
    dates = list(dates)
    if existing is _UNREAD:
        existing = order_for_ad(ad_id)
    if existing is not None:
        if existing.total_fen == q.total_fen and existing.dates == tuple(dates):
            return existing
        if "make_good_of" in existing.breakdown:
            return existing  # a free make-good run (补登) is never repriced
    breakdown = _breakdown(q, dates)
    terms: dict[str, Any] = {  # what the order says, new or repriced
        "advertiser_id": advertiser_id,
        "customer": customer,
        "category": q.category,
        "card_name": q.card,
        "breakdown": json.loads(breakdown),
        "runs": q.runs,
        "dates": tuple(dates),
        "total_fen": q.total_fen,
        "updated_by": current_actor().label,
    }
    if existing is not None:
        Order.update(
            breakdown=breakdown,
            total_fen=q.total_fen,
            runs=q.runs,
            first_run=dates[0] if dates else None,
            card_name=q.card,
            category=q.category,
            customer=customer,
            advertiser=advertiser_id,
            **_touch(),
        ).where(Order.id == existing.id).execute()
        diff = q.total_fen - existing.total_fen
        if diff:
            note = f"差额 {'+' if diff > 0 else ''}{format_fen(diff)}"
            OrderEvent.create(
                order=existing.id,
                clerk=clerk,
                kind="repriced",
                old_total_fen=existing.total_fen,
                new_total_fen=q.total_fen,
                note=note,
            )
            record(
                "order.reprice",
                "order",
                existing.id,
                {"total_fen": [existing.total_fen, q.total_fen]},
                ad_id=ad_id,
            )
        return replace(
            existing,
            **terms,
            version=existing.version + 1,
            updated_at=dt.datetime.now().replace(microsecond=0),
        )
    number = _next_number(today)  # no other desk takes it before this transaction ends
    serial = f"{today:%Y%m%d}-{number:03d}"
    created = dt.datetime.now().replace(microsecond=0)
    order_id = insert_row(
        Order,
        serial=serial,
        day=today,
        number=number,
        ad=ad_id,
        advertiser=advertiser_id,
        customer=customer,
        clerk=clerk,
        category=q.category,
        card_name=q.card,
        breakdown=breakdown,
        runs=q.runs,
        first_run=dates[0] if dates else None,
        total_fen=q.total_fen,
        method=method,
        created_at=created,
        updated_at=created,
        updated_by=current_actor().label,
    )
    insert_row(OrderEvent, order=order_id, clerk=clerk, kind="created", new_total_fen=q.total_fen)
    record(
        "order.create",
        "order",
        order_id,
        {"serial": serial, "total_fen": q.total_fen, "breakdown": q.as_dict()},
        ad_id=ad_id,
    )
    return OrderInfo(
        id=order_id,
        serial=serial,
        day=today,
        ad_id=ad_id,
        clerk=clerk,
        paid_fen=0,
        method=method,
        status="open",
        updated_at=created,
        **terms,
    )


def day_closed(day: dt.date, clerk: str) -> bool:
    # Plain SQL: every payment taken asks first.
    row = db.execute_sql(
        f"SELECT closed FROM cash_up WHERE day = {db.param} AND clerk = {db.param}",
        (day.isoformat(), clerk),
    ).fetchone()
    return bool(row and row[0])


def credit_used(advertiser_id: int) -> int:
    """What a contract customer owes on account: 挂账 taken less settled."""
    total = (
        Payment.select(fn.SUM(Payment.amount_fen))
        .join(Order)
        .where((Order.advertiser == advertiser_id) & (Payment.method == CREDIT))
        .scalar()
    )
    return int(total or 0)


def set_credit_limit(advertiser_id: int, limit_fen: int) -> None:
    if limit_fen < 0:
        raise TillError("挂账额度不能为负数。")
    with db.atomic():
        CreditAccount.insert(advertiser=advertiser_id, limit_fen=limit_fen).on_conflict(
            conflict_target=[CreditAccount.advertiser],
            update={CreditAccount.limit_fen: limit_fen},
        ).execute()
        record("credit.limit", "advertiser", advertiser_id, {"limit_fen": limit_fen})


def credit_limit(advertiser_id: int) -> int | None:
    row = CreditAccount.get_or_none(CreditAccount.advertiser == advertiser_id)
    return int(row.limit_fen) if row else None


def take_payment(
    order_id: int,
    amount_fen: int,
    method: str,
    *,
    today: dt.date | None = None,
    note: str = "",
    kind: str = "",
    version: int | None = None,
) -> OrderInfo:
    """Record money in (positive) or out (negative, a refund) on the clerk's day.

    A closed day (日结) takes no more payments; 挂账 is only for a contract customer and only
    up to the credit limit. ``version``: the order's version the clerk was shown; when the
    order has changed since, nothing is taken (:class:`StaleOrder`).
    """
    today = today or dt.date.today()
    check_payment(amount_fen, method, today)
    with db.atomic():
        order = Order.get_or_none(Order.id == order_id)
        if order is None:
            raise TillError(f"没有订单 {order_id}。")
        info = _info(order)
        if version is not None and info.version != version:
            raise StaleOrder(info, "收款" if amount_fen > 0 else "退款")
        write_payment(info, amount_fen, method, today, note, kind)
    return get_order(order_id)


def check_payment(amount_fen: int, method: str, today: dt.date) -> None:
    """Refuse (TillError) a payment the till cannot take whatever the order: an unknown
    method, nothing to take, or the clerk's day already closed (日结)."""
    clerk = current_clerk()
    if method not in METHODS:
        raise TillError(f"付款方式“{method}”不认识；可选：{'、'.join(METHODS)}。")
    if amount_fen == 0:
        raise TillError("金额为零，没有可记的款项。")
    if day_closed(today, clerk):
        raise TillError(f"{clerk} 的 {today} 已日结，不能再收付款；请主管重新打开当日。")


def write_payment(
    order: OrderInfo, amount_fen: int, method: str, today: dt.date, note: str = "", kind: str = ""
) -> OrderInfo:
    """The writing half of :func:`take_payment` (``check_payment`` done): call inside a
    transaction with ``order`` as read in it. Returns the order with the payment in."""
    if order.status == "cancelled" and amount_fen > 0:
        raise TillError(f"订单 {order.serial} 已取消，不能再收款。")
    if method == CREDIT and amount_fen > 0:
        advertiser = order.advertiser_id
        limit = credit_limit(advertiser) if advertiser else None
        if advertiser is None or limit is None:
            raise TillError(f"“{order.customer or '该客户'}”不是签约客户，不能挂账。")
        used = credit_used(advertiser)
        if used + amount_fen > limit:
            raise TillError(
                f"挂账超出额度：额度 {format_fen(limit)} 元，已挂 {format_fen(used)} 元，"
                f"本次 {format_fen(amount_fen)} 元。"
            )
    kind = kind or ("payment" if amount_fen > 0 else "refund")
    pay_id = insert_row(
        Payment,
        order=order.id,
        day=today,
        clerk=current_clerk(),
        method=method,
        amount_fen=amount_fen,
        kind=kind,
        note=note,
    )
    Order.update(paid_fen=Order.paid_fen + amount_fen, method=method, **_touch()).where(
        Order.id == order.id
    ).execute()
    record(
        f"payment.{kind}",
        "payment",
        pay_id,
        {"order": order.serial, "amount_fen": amount_fen, "method": method, "day": today},
        ad_id=order.ad_id,
    )
    return replace(
        order,
        paid_fen=order.paid_fen + amount_fen,
        method=method,
        version=order.version + 1,
        updated_by=current_actor().label,
        updated_at=dt.datetime.now().replace(microsecond=0),
    )


def settle_balance(order_id: int, method: str, today: dt.date | None = None) -> OrderInfo:
    """Collect what is due, or refund what was overpaid, by ``method``."""
    info = get_order(order_id)
    if info.balance_fen == 0:
        return info
    return take_payment(order_id, info.balance_fen, method, today=today)


@dataclass(frozen=True)
class CancelResult:
    order: OrderInfo
    unprinted_runs: int
    value_fen: int  # what the unprinted runs are worth, pro rata of the total
    fee_fen: int
    refund_fen: int


def _unprinted(dates: tuple[dt.date, ...], today: dt.date) -> list[dt.date]:
    """Runs still to come: today or later, on issues not yet sent to print (签发)."""
    from adsdesk.store.issues import sent_dates

    locked = sent_dates(dates)
    return [d for d in dates if d >= today and d not in locked]


def cancellation_terms(order_id: int, today: dt.date | None = None) -> CancelResult:
    """What cancelling would refund: the unprinted runs' share of the total (runs from today
    on whose issue has not been sent to print), no more than was paid, less the fee."""
    today = today or dt.date.today()
    info = get_order(order_id)
    if info.status == "cancelled":
        raise TillError(f"订单 {info.serial} 已经取消。")
    unprinted = len(_unprinted(info.dates, today))
    runs = max(len(info.dates), 1)
    value = round_half_up(Fraction(info.total_fen * unprinted, runs)) if info.dates else 0
    fee = min(cancel_fee_fen(), max(value, 0)) if info.paid_fen > 0 else 0
    refund = max(0, min(info.paid_fen, value) - fee)
    return CancelResult(info, unprinted, value, fee, refund)


def cancel_order(
    order_id: int,
    method: str = CASH,
    today: dt.date | None = None,
    reason: str = "取消订单",
    version: int | None = None,
) -> CancelResult:
    """Cancel: the ad is cancelled (its unprinted runs come off the issues, see
    ``ads.cancel_ad``), the money for those runs is refunded less the fee, the order closed.
    ``version``: the order's version the clerk agreed the terms on; when the order has changed
    since, nothing is done (:class:`StaleOrder`)."""
    from adsdesk.store.ads import _is_cancelled, cancel_ad

    today = today or dt.date.today()
    with db.atomic():
        terms = cancellation_terms(order_id, today)
        if version is not None and terms.order.version != version:
            raise StaleOrder(terms.order, "取消订单")
        ad_id = terms.order.ad_id
        if ad_id is not None and Ad.get_or_none(Ad.id == ad_id) and not _is_cancelled(ad_id):
            cancel_ad(ad_id, reason, now=dt.datetime.combine(today, dt.time(12)))
        if terms.refund_fen:
            take_payment(
                order_id, -terms.refund_fen, method, today=today, kind="refund", note="取消退款"
            )
        clerk = current_clerk()
        kept = terms.order.paid_fen - terms.refund_fen
        Order.update(status="cancelled", total_fen=kept, **_touch()).where(
            Order.id == order_id
        ).execute()
        OrderEvent.create(
            order=order_id,
            clerk=clerk,
            kind="cancelled",
            old_total_fen=terms.order.total_fen,
            new_total_fen=kept,
            note=f"未刊 {terms.unprinted_runs} 期，手续费 {format_fen(terms.fee_fen)}，"
            f"退 {format_fen(terms.refund_fen)}",
        )
        record(
            "order.cancel",
            "order",
            order_id,
            {
                "total_fen": [terms.order.total_fen, kept],
                "refund_fen": terms.refund_fen,
                "fee_fen": terms.fee_fen,
            },
            ad_id=terms.order.ad_id,
        )
    return CancelResult(
        get_order(order_id), terms.unprinted_runs, terms.value_fen, terms.fee_fen, terms.refund_fen
    )


def order_events(order_id: int) -> list[tuple[dt.datetime, str, str, int, int, str]]:
    return [
        (e.at, e.clerk, e.kind, int(e.old_total_fen), int(e.new_total_fen), e.note)
        for e in OrderEvent.select().where(OrderEvent.order == order_id).order_by(OrderEvent.id)
    ]


def payments_of(order_id: int) -> list[tuple[dt.date, str, str, int, str]]:
    return [
        (p.day, p.clerk, p.method, int(p.amount_fen), p.kind)
        for p in Payment.select().where(Payment.order == order_id).order_by(Payment.id)
    ]


def note_print(order_id: int) -> bool:
    """Record that the receipt was printed; True when this is a reprint (补打)."""
    with db.atomic():
        before = (
            OrderEvent.select()
            .where((OrderEvent.order == order_id) & (OrderEvent.kind.in_(["receipt", "reprint"])))
            .count()
        )
        kind = "reprint" if before else "receipt"
        OrderEvent.create(order=order_id, clerk=current_clerk(), kind=kind)
        record(f"order.{kind}", "order", order_id, {})
    return bool(before)


def advertiser_totals(advertiser_id: int) -> dict[str, int]:
    """Money totals for an advertiser's file: ordered, paid, owed, orders."""
    q = Order.select(fn.COUNT(Order.id), fn.SUM(Order.total_fen), fn.SUM(Order.paid_fen)).where(
        Order.advertiser == advertiser_id
    )
    count, total, paid = first_tuple(q) or (0, 0, 0)
    owed = (
        Order.select(fn.SUM(Order.total_fen - Order.paid_fen))
        .where((Order.advertiser == advertiser_id) & (Order.status != "cancelled"))
        .scalar()
    )
    return {
        "orders": int(count or 0),
        "total_fen": int(total or 0),
        "paid_fen": int(paid or 0),
        "owed_fen": int(owed or 0),
        "credit_fen": credit_used(advertiser_id),
    }


def receipt_data(order_id: int | str, reprint: bool = False) -> ReceiptData:
    """What the order's receipt says (the paper's name from the settings)."""
    from adsdesk.store.settings import load_settings

    info = get_order(order_id)
    b = info.breakdown
    ad = Ad.get_or_none(Ad.id == info.ad_id) if info.ad_id else None
    text = (ad.title or ad.body[:24]) if ad else b.get("category", "")
    unit = {"line": "行", "char": "字", "item": "件", "flat": "则"}.get(b.get("unit", ""), "")
    if b.get("unit") == "item":
        detail = "、".join(f"{i['name']}×{i['count']}" for i in b.get("items", []))
    else:
        detail = f"{b.get('units', 0)} {unit}"
    detail += f"，每期 {format_fen(int(b.get('per_run_fen', 0)))}"
    detail += f"，{b.get('runs', 0)} 期"
    if b.get("paid_runs") != b.get("runs"):
        detail += f"（计费 {b.get('paid_runs')} 期）"
    for s in b.get("surcharges", []):
        detail += f"，{s['name']} +{s['percent']}%"
    if b.get("discount_percent"):
        detail += f"，折扣 {b['discount_percent']}%"
    if info.status == "cancelled":
        detail += "（已取消）"
    pays = tuple((p[2], p[3]) for p in payments_of(info.id))
    return ReceiptData(
        paper_name=load_settings().paper_name,
        serial=info.serial,
        day=info.day,
        customer=info.customer,
        clerk=info.clerk,
        lines=(ReceiptLine(text.strip() or "广告", info.dates, detail, info.total_fen),),
        total_fen=info.total_fen,
        paid_fen=info.paid_fen,
        method=info.method,
        reprint=reprint,
        payments=pays,
    )


def order_history(order_id: int) -> list[AuditEntry]:
    """The order's own records and its payments' (money in and out), oldest first."""
    payments = [int(p.id) for p in Payment.select(Payment.id).where(Payment.order == order_id)]
    return entries_of({"order": [order_id], "payment": payments})
