"""peewee models of the till: rate cards, orders, payments, order history, cash-ups, credit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from adsdesk.store.models import Ad, Advertiser, BaseModel


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class RateCardRow(BaseModel):
    """A rate card as imported or edited: its TOML text is the card."""

    name = CharField()
    category = CharField(default="*")
    effective = DateField(index=True)
    toml = TextField()
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)
    created_by = CharField(default="")
    # Row version: every save adds one; a save from an older copy is refused (no lost update).
    version = IntegerField(default=1)
    updated_by = CharField(default="")
    updated_at = DateTimeField(null=True)

    class Meta:
        table_name = "rate_card"


class Order(BaseModel):
    """What a booking costs, frozen when it was taken: the breakdown never follows a later card."""

    serial = CharField(unique=True)  # "20240105-007": the day and its running number
    day = DateField(index=True)
    number = IntegerField()
    ad = ForeignKeyField(Ad, null=True, backref="orders", on_delete="SET NULL")
    advertiser = ForeignKeyField(Advertiser, null=True, backref="orders", on_delete="SET NULL")
    customer = CharField(default="")
    clerk = CharField(default="", index=True)
    category = CharField(default="")
    card_name = CharField(default="")
    breakdown = TextField(default="{}")  # the Quote as JSON, plus the run dates
    runs = IntegerField(default=0)
    first_run = DateField(null=True)
    total_fen = BigIntegerField(default=0)
    paid_fen = BigIntegerField(default=0)
    method = CharField(default="")
    status = CharField(default="open")  # open | cancelled
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)
    # Row version: every change (reprice, payment, cancellation) adds one; a payment or
    # cancellation from an older view of the order is refused (no double collection).
    version = IntegerField(default=1)
    updated_by = CharField(default="")

    class Meta:
        table_name = "ad_order"
        indexes = ((("day", "number"), True),)

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int | None
        advertiser_id: int | None


class Payment(BaseModel):
    """Money in (positive) or out (negative, a refund) on one order, on one clerk's day."""

    order = ForeignKeyField(Order, backref="payments", on_delete="CASCADE")
    day = DateField(index=True)
    at = DateTimeField(default=_now)
    clerk = CharField(default="", index=True)
    method = CharField()
    amount_fen = BigIntegerField()
    kind = CharField(default="payment")  # payment | refund
    note = TextField(default="")

    if TYPE_CHECKING:  # peewee adds these at run time
        order_id: int


class OrderEvent(BaseModel):
    """The history of an order: created, repriced (with the difference), cancelled, printed."""

    order = ForeignKeyField(Order, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=_now)
    clerk = CharField(default="")
    kind = CharField()
    old_total_fen = BigIntegerField(default=0)
    new_total_fen = BigIntegerField(default=0)
    note = TextField(default="")

    class Meta:
        table_name = "order_event"

    if TYPE_CHECKING:  # peewee adds these at run time
        order_id: int


class CashUp(BaseModel):
    """One clerk's closed day (日结): what was expected, what was counted, who reopened it."""

    day = DateField()
    clerk = CharField()
    closed = BooleanField(default=True)
    expected_cash_fen = BigIntegerField(default=0)
    counted_cash_fen = BigIntegerField(default=0)
    summary = TextField(default="{}")
    closed_at = DateTimeField(default=_now)
    closed_by = CharField(default="")
    reopened_at = DateTimeField(null=True)
    reopened_by = CharField(default="")
    reason = TextField(default="")

    class Meta:
        table_name = "cash_up"
        indexes = ((("day", "clerk"), True),)


class CreditAccount(BaseModel):
    """A contract customer who may book on account (挂账) up to a limit."""

    advertiser = ForeignKeyField(Advertiser, unique=True, on_delete="CASCADE")
    limit_fen = BigIntegerField(default=0)

    class Meta:
        table_name = "credit_account"

    if TYPE_CHECKING:  # peewee adds these at run time
        advertiser_id: int


BILLING_MODELS: list[type[BaseModel]] = [
    RateCardRow,
    Order,
    Payment,
    OrderEvent,
    CashUp,
    CreditAccount,
]
