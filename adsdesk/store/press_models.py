"""peewee models of the press check and repeat runs: press PDFs, make-good runs, run patterns."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from adsdesk.store.models import Ad, BaseModel


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class PressPdf(BaseModel):
    """The press PDF of one issue as last checked, with the check's result (JSON)."""

    date = DateField(unique=True)
    name = CharField()
    sha256 = CharField(max_length=64)
    data = BlobField()
    report = TextField(default="{}")
    checked_at = DateTimeField(default=_now)
    checked_by = CharField(default="")

    class Meta:
        table_name = "press_pdf"


class MakeGood(BaseModel):
    """A free run on a later issue for a run that was missing or printed wrong (补登)."""

    ad = ForeignKeyField(Ad, backref="make_goods", on_delete="CASCADE")  # the failed run's ad
    failed_date = DateField(index=True)
    reason = TextField(default="")
    new_ad = ForeignKeyField(Ad, null=True, on_delete="SET NULL")  # the copy booked again
    new_date = DateField()
    order_id = IntegerField(null=True)  # the order line at 0 fen (ad_order.id)
    created_at = DateTimeField(default=_now)
    created_by = CharField(default="")

    class Meta:
        table_name = "make_good"
        indexes = ((("ad", "failed_date"), True),)

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int
        new_ad_id: int | None


class RunPatternRow(BaseModel):
    """An ad's repeat booking: weekdays from a start date, to an end date or 长期 (null)."""

    ad = ForeignKeyField(Ad, unique=True, backref="run_pattern", on_delete="CASCADE")
    weekdays = CharField()  # ISO weekday numbers 1–7, "2,4" for 每周二、四
    start = DateField()
    until = DateField(null=True, index=True)  # null: until cancelled
    booked_through = DateField()  # insertions exist up to this day
    created_at = DateTimeField(default=_now)
    created_by = CharField(default="")

    class Meta:
        table_name = "run_pattern"

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int


PRESS_MODELS: list[type[BaseModel]] = [PressPdf, MakeGood, RunPatternRow]
