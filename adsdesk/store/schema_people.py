"""Schema steps 7 (people and deadlines) and 14 (row versions), with frozen table definitions:
never edit them."""

from __future__ import annotations

from peewee import (
    SQL,
    BlobField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.migrate import SchemaMigrator, migrate


def v7_people(database: Database) -> None:
    """Accounts, issues sent to print (签发), ad cancellation, late (加急) bookings."""

    class Frozen(Model):
        class Meta:
            database = None

    class DeskUser(Frozen):
        name = CharField(unique=True)
        full_name = CharField(default="")
        roles = TextField(default="")
        password_hash = TextField()
        active = BooleanField(default=True)
        failed_tries = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            table_name = "desk_user"

    class IssueSend(Frozen):
        date = DateField(index=True)
        sent_at = DateTimeField()
        sent_by = CharField()
        pdf = BlobField()
        pdf_sha256 = CharField(max_length=64)
        reopened_at = DateTimeField(null=True)
        reopened_by = CharField(default="")
        reopen_reason = TextField(default="")

        class Meta:
            table_name = "issue_send"

    with database.bind_ctx([DeskUser, IssueSend]):
        database.create_tables([DeskUser, IssueSend])
    # Plain ADD COLUMN with a default in the database itself (no table rebuild, which would
    # lose the search triggers on SQLite; rows inserted by raw SQL get the default).
    empty, false = [SQL("DEFAULT ''")], [SQL("DEFAULT FALSE")]
    migrator = SchemaMigrator.from_database(database)
    wanted = [
        ("ad", "cancelled_at", DateTimeField(null=True)),
        ("ad", "cancel_reason", TextField(null=True, constraints=empty)),  # type: ignore[call-overload]
        ("ad", "cancelled_by", CharField(null=True, constraints=empty)),  # type: ignore[call-overload]
        ("insertion", "rush", BooleanField(null=True, constraints=false)),  # type: ignore[call-overload]
        ("insertion", "approved_by", CharField(null=True, constraints=empty)),  # type: ignore[call-overload]
    ]
    have = {t: {c.name for c in database.get_columns(t)} for t in ("ad", "insertion")}
    migrate(*(migrator.add_column(t, c, f) for t, c, f in wanted if c not in have[t]))


def add_row_versions(database: Database) -> None:
    """Step 14: version, who saved last and when, on settings, rate cards and orders."""
    one, empty = [SQL("DEFAULT 1")], [SQL("DEFAULT ''")]
    migrator = SchemaMigrator.from_database(database)
    wanted = [
        ("setting", "version", IntegerField(null=True, constraints=one)),  # type: ignore[call-overload]
        ("setting", "updated_by", CharField(null=True, constraints=empty)),  # type: ignore[call-overload]
        ("setting", "updated_at", DateTimeField(null=True)),
        ("rate_card", "version", IntegerField(null=True, constraints=one)),  # type: ignore[call-overload]
        ("rate_card", "updated_by", CharField(null=True, constraints=empty)),  # type: ignore[call-overload]
        ("rate_card", "updated_at", DateTimeField(null=True)),
        ("ad_order", "version", IntegerField(null=True, constraints=one)),  # type: ignore[call-overload]
        ("ad_order", "updated_by", CharField(null=True, constraints=empty)),  # type: ignore[call-overload]
    ]
    tables = {t for t, _c, _f in wanted}
    have = {t: {c.name for c in database.get_columns(t)} for t in tables}
    migrate(*(migrator.add_column(t, c, f) for t, c, f in wanted if c not in have[t]))
