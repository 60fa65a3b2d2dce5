"""Frozen table definitions of the press-check schema step (press PDFs, make-good runs).

Copies of ``press_models.py`` as the step created them; never edit — add a new step instead.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BlobField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from adsdesk.store.schema_frozen import v1_tables


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def press_tables(database: Database) -> list[type[Model]]:
    """The press check's tables, bound to ``database`` (ads exist already)."""

    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    Ad = {t.__name__: t for t in v1_tables(database)}["Ad"]

    class PressPdf(Base):
        date = DateField(unique=True)
        name = CharField()
        sha256 = CharField(max_length=64)
        data = BlobField()
        report = TextField(default="{}")
        checked_at = DateTimeField(default=_now)
        checked_by = CharField(default="")

        class Meta:
            table_name = "press_pdf"

    class MakeGood(Base):
        ad = ForeignKeyField(Ad, backref="make_goods", on_delete="CASCADE")
        failed_date = DateField(index=True)
        reason = TextField(default="")
        new_ad = ForeignKeyField(Ad, null=True, on_delete="SET NULL")
        new_date = DateField()
        order_id = IntegerField(null=True)
        created_at = DateTimeField(default=_now)
        created_by = CharField(default="")

        class Meta:
            table_name = "make_good"
            indexes = ((("ad", "failed_date"), True),)

    tables: list[type[Model]] = [PressPdf, MakeGood]
    for table in tables:
        table.bind(database, bind_refs=False, bind_backrefs=False)
    return tables


def run_pattern_tables(database: Database) -> list[type[Model]]:
    """Repeat bookings (每周二、四 / 长期), bound to ``database``."""

    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    Ad = {t.__name__: t for t in v1_tables(database)}["Ad"]

    class RunPatternRow(Base):
        ad = ForeignKeyField(Ad, unique=True, backref="run_pattern", on_delete="CASCADE")
        weekdays = CharField()
        start = DateField()
        until = DateField(null=True, index=True)
        booked_through = DateField()
        created_at = DateTimeField(default=_now)
        created_by = CharField(default="")

        class Meta:
            table_name = "run_pattern"

    RunPatternRow.bind(database, bind_refs=False, bind_backrefs=False)
    return [RunPatternRow]
