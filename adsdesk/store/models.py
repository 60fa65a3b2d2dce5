"""peewee models of the desk: advertisers, ads, their phones, categories, insertions, settings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

db = DatabaseProxy()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    if TYPE_CHECKING:  # peewee adds the primary key at run time (models may declare their own)
        id: ClassVar[IntegerField[int]]

    class Meta:
        database = db
        legacy_table_names = False


class MetaInfo(BaseModel):
    """Key/value facts about the file itself: the application marker, the schema version."""

    key = CharField(primary_key=True)
    value = TextField()


class Setting(BaseModel):
    """Desk settings stored as JSON text (paper name, area code, hotlines …)."""

    key = CharField(primary_key=True)
    value = TextField()
    # Row version: every save adds one; a save from an older copy is refused (no lost update).
    version = IntegerField(default=1)
    updated_by = CharField(default="")  # who saved last (user, else computer)
    updated_at = DateTimeField(null=True)


class Category(BaseModel):
    name = CharField(unique=True)
    position = IntegerField(default=0, index=True)


class Advertiser(BaseModel):
    name = CharField(index=True)
    address = TextField(default="")
    note = TextField(default="")
    created_at = DateTimeField(default=_now)


class AdvertiserPhone(BaseModel):
    advertiser = ForeignKeyField(Advertiser, backref="phones", on_delete="CASCADE")
    e164 = CharField(index=True)
    display = CharField()

    class Meta:
        indexes = ((("advertiser", "e164"), True),)

    if TYPE_CHECKING:  # peewee adds these at run time
        advertiser_id: int


class Ad(BaseModel):
    category = ForeignKeyField(Category, null=True, backref="ads", on_delete="SET NULL")
    advertiser = ForeignKeyField(Advertiser, null=True, backref="ads", on_delete="SET NULL")
    title = TextField(default="")
    body = TextField(default="")
    # Why a blocked finding was let through (a supervisor's override); "" when none was needed.
    override_reason = TextField(default="")
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)
    # A booked ad is cancelled (kept, shown struck through), not deleted.
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(default="")
    cancelled_by = CharField(default="")
    # Row version: every save adds one; a save from an older copy is refused (no lost update).
    version = IntegerField(default=1)
    updated_by = CharField(default="")  # who saved last (user, else computer)

    if TYPE_CHECKING:  # peewee adds these at run time
        category_id: int | None
        advertiser_id: int | None


class AdPhone(BaseModel):
    """A phone number as printed in an ad, kept normalised (E.164) with its print form."""

    ad = ForeignKeyField(Ad, backref="phones", on_delete="CASCADE")
    e164 = CharField(index=True)
    display = CharField()
    position = IntegerField(default=0)

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int


class Insertion(BaseModel):
    """One ad on one issue date."""

    # No index of their own (dropped by schema step 19): the unique (ad, date) index serves
    # the lookups by ad, the search schema's (date, ad_id) those by date.
    ad = ForeignKeyField(Ad, backref="insertions", on_delete="CASCADE", index=False)
    date = DateField()
    created_at = DateTimeField(default=_now)
    rush = BooleanField(default=False)  # 加急: booked after the cut-off
    approved_by = CharField(default="")  # the supervisor who let it in

    class Meta:
        indexes = ((("ad", "date"), True),)

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int


class RefusedPhone(BaseModel):
    """A number the desk refuses to print (impersonators, fraud reports)."""

    e164 = CharField(primary_key=True)
    display = CharField()
    reason = TextField(default="")
    active = BooleanField(default=True)


ALL_MODELS: list[type[BaseModel]] = [
    MetaInfo,
    Setting,
    Category,
    Advertiser,
    AdvertiserPhone,
    Ad,
    AdPhone,
    Insertion,
    RefusedPhone,
]
