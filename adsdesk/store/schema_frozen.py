"""Frozen table definitions for the schema steps, so a new file never takes today's models.

A schema step must build exactly the tables of its version. Steps that used the live models
(``create_tables(ALL_MODELS)``) would create columns that later steps add again, and fail on a
new file. These classes are copies of the models as they stood at versions 1, 2 and 13; never
edit them — change the schema with a new step appended in ``migrations.py``.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def v1_tables(database: Database) -> list[type[Model]]:
    """The tables of schema version 1, bound to ``database``."""

    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class MetaInfo(Base):
        key = CharField(primary_key=True)
        value = TextField()

    class Setting(Base):
        key = CharField(primary_key=True)
        value = TextField()

    class Category(Base):
        name = CharField(unique=True)
        position = IntegerField(default=0, index=True)

    class Advertiser(Base):
        name = CharField(index=True)
        address = TextField(default="")
        note = TextField(default="")
        created_at = DateTimeField(default=_now)

    class AdvertiserPhone(Base):
        advertiser = ForeignKeyField(Advertiser, backref="phones", on_delete="CASCADE")
        e164 = CharField(index=True)
        display = CharField()

        class Meta:
            indexes = ((("advertiser", "e164"), True),)

    class Ad(Base):
        category = ForeignKeyField(Category, null=True, backref="ads", on_delete="SET NULL")
        advertiser = ForeignKeyField(Advertiser, null=True, backref="ads", on_delete="SET NULL")
        title = TextField(default="")
        body = TextField(default="")
        override_reason = TextField(default="")
        created_at = DateTimeField(default=_now)
        updated_at = DateTimeField(default=_now)

    class AdPhone(Base):
        ad = ForeignKeyField(Ad, backref="phones", on_delete="CASCADE")
        e164 = CharField(index=True)
        display = CharField()
        position = IntegerField(default=0)

    class Insertion(Base):
        ad = ForeignKeyField(Ad, backref="insertions", on_delete="CASCADE")
        date = DateField(index=True)
        created_at = DateTimeField(default=_now)

        class Meta:
            indexes = ((("ad", "date"), True),)

    class RefusedPhone(Base):
        e164 = CharField(primary_key=True)
        display = CharField()
        reason = TextField(default="")
        active = BooleanField(default=True)

    tables: list[type[Model]] = [
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
    for table in tables:
        table.bind(database, bind_refs=False, bind_backrefs=False)
    return tables


def v2_tables(database: Database) -> list[type[Model]]:
    """The table schema version 2 adds (per-issue layout choices), bound to ``database``."""
    ad_table = next(t for t in v1_tables(database) if t.__name__ == "Ad")

    class LayoutChoice(Model):
        date = DateField(index=True)
        ad = ForeignKeyField(ad_table, on_delete="CASCADE")
        pinned = BooleanField(default=False)
        column = IntegerField(null=True)
        position = IntegerField(null=True)

        class Meta:
            database = None
            legacy_table_names = False
            indexes = ((("date", "ad"), True),)

    LayoutChoice.bind(database, bind_refs=False, bind_backrefs=False)
    return [LayoutChoice]


def v13_tables(database: Database) -> list[type[Model]]:
    """The table schema version 13 adds (the audit's chain heads), bound to ``database``."""

    class AuditChain(Model):
        id = AutoField()
        seq = IntegerField(default=0)
        hash = CharField(max_length=64, default="")

        class Meta:
            database = None
            table_name = "audit_chain"

    AuditChain.bind(database, bind_refs=False, bind_backrefs=False)
    return [AuditChain]
