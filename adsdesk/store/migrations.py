"""Schema steps: each takes the database from version i to i + 1 inside one transaction."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from adsdesk.store.schema_frozen import v1_tables, v2_tables

# Each step builds its own version's tables explicitly (schema_frozen.py), never from the live
# models: a later step that adds a column must find the table as that version left it.
# A new table or column is a new step appended at the end of MIGRATIONS.


def v1_core(database: Database) -> None:
    """Advertisers, ads, phones, categories, insertions, settings, refuse list."""
    database.create_tables(v1_tables(database))


def v2_layout(database: Database) -> None:
    """Per-issue layout choices (pins, order, column moves)."""
    database.create_tables(v2_tables(database))


def v3_search(database: Database) -> None:
    """The search index over ads and advertisers, filled from existing rows."""
    from adsdesk.store.search_schema import install

    install(database)


def v4_audit(database: Database) -> None:
    """The audit: append-only, hash-chained records of who changed what."""
    from adsdesk.store.audit import install

    install(database)


def v5_billing(database: Database) -> None:
    """The till: rate cards, orders, payments, order history, cash-ups, credit accounts."""
    from adsdesk.store.schema_billing import billing_tables

    database.create_tables(billing_tables(database))


def v6_press(database: Database) -> None:
    """The press check: each issue's press PDF as last checked, make-good runs."""
    from adsdesk.store.schema_press import press_tables

    database.create_tables(press_tables(database))


def v7_people(database: Database) -> None:
    """Accounts, issues sent to print (签发), ad cancellation, late (加急) bookings."""
    from adsdesk.store.schema_people import v7_people as step

    step(database)


def v8_repeat_runs(database: Database) -> None:
    """Repeat bookings: weekday patterns and runs until cancelled."""
    from adsdesk.store.schema_press import run_pattern_tables

    database.create_tables(run_pattern_tables(database))


def v9_keep_ids(database: Database) -> None:
    """Ads and advertisers never get an id given out before (SQLite AUTOINCREMENT rebuild)."""
    from adsdesk.store.id_floor import install

    install(database)


def v10_search_server(database: Database) -> None:
    """The search index on a PostgreSQL server (gram arrays, GIN); nothing on SQLite, whose
    FTS5 index v3 made."""
    from adsdesk.store.backend import is_postgres

    if is_postgres(database):
        from adsdesk.store.search_pg import install

        install(database)


def v11_many_clerks(database: Database) -> None:
    """Several desks on one database: row versions on ads (a save from a stale copy is
    refused, never lost) and who saved last; on PostgreSQL, change notices to other desks.
    Plain ``ALTER TABLE … ADD COLUMN`` (both backends; no table rebuild on SQLite)."""
    from adsdesk.store.changes import install_notify

    have = {c.name for c in database.get_columns("ad")}
    if "version" not in have:
        database.execute_sql("ALTER TABLE ad ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    if "updated_by" not in have:
        database.execute_sql(
            "ALTER TABLE ad ADD COLUMN updated_by VARCHAR(255) NOT NULL DEFAULT ''"
        )
    install_notify(database)


def v12_search_codes(database: Database) -> None:
    """On PostgreSQL, the search documents as integer codes with the ads' split into id
    partitions (a quicker index to build and to read); nothing on SQLite."""
    from adsdesk.store.backend import is_postgres

    if is_postgres(database):
        from adsdesk.store.search_pg import upgrade

        upgrade(database)


def v13_audit_chains(database: Database) -> None:
    """Several audit chains, so that writers no longer queue on one head row: the records so
    far become chain 1 (``store.audit``'s docstring says why and how it stays verifiable)."""
    from adsdesk.store.audit import install_chains

    install_chains(database)


def v14_row_versions(database: Database) -> None:
    """Row versions on settings, rate cards and orders (as on ads since step 11): a save from
    a stale copy is refused, naming who saved last and when. Plain ``ADD COLUMN``s."""
    from adsdesk.store.schema_people import add_row_versions

    add_row_versions(database)


def v15_search_digits(database: Database) -> None:
    """On PostgreSQL, the search documents again with a code for every 4 digits in a row
    (layout 2: a phone number's last digits found without reading ads that hold them apart);
    nothing on SQLite."""
    v12_search_codes(database)


def v16_phone_tails(database: Database) -> None:
    """On SQLite, the index of ads' numbers by their last four digits also holds the number and
    the ad, so "the number ending 4048" reads no table rows; nothing on PostgreSQL."""
    from adsdesk.store.search_schema import cover_phone_tails

    cover_phone_tails(database)


def v17_search_latin(database: Database) -> None:
    """On PostgreSQL, the search documents again (layout 3): a code for every 3 letters or
    digits in a row in an advertiser's (pinyin found without reading most advertisers), the
    advertisers' split into id partitions as the ads' are, and index writes gathered in a
    small pending list (imports several times quicker); nothing on SQLite."""
    v12_search_codes(database)


def v18_search_digit_tokens(database: Database) -> None:
    """On SQLite, the search index built again with a token for every 4 digits in a row (a
    number's last digits found as one posting list); nothing on PostgreSQL (its documents
    have had such codes since step 15)."""
    from peewee import SqliteDatabase

    if isinstance(database, SqliteDatabase):
        from adsdesk.store.search_bulk import rebuild_in

        rebuild_in(database.connection())


def v19_insertion_indexes(database: Database) -> None:
    """The bookings' two single-column indexes dropped: the unique (ad, date) index serves
    lookups by ad and the search schema's (date, ad_id) those by date, so each booking wrote
    two index entries for nothing (the bookings' inserts of an import of 50,000 ads: 0.50-0.64
    s before, 0.37-0.46 s after; the synthetic million on a server: 2,284 MB, 2,224 MB after)."""
    for name in ("insertion_ad_id", "insertion_date"):
        database.execute_sql(f"DROP INDEX IF EXISTS {name}")


# Steps that rebuild a table run with foreign keys off (SQLite cannot switch them inside a
# transaction, and a rename with them on would rewrite the other tables' references).
FOREIGN_KEYS_OFF: frozenset[str] = frozenset({"v9_keep_ids"})

MIGRATIONS: list[Callable[[Database], None]] = [
    v1_core,
    v2_layout,
    v3_search,
    v4_audit,
    v5_billing,
    v6_press,
    v7_people,
    v8_repeat_runs,
    v9_keep_ids,
    v10_search_server,
    v11_many_clerks,
    v12_search_codes,
    v13_audit_chains,
    v14_row_versions,
    v15_search_digits,
    v16_phone_tails,
    v17_search_latin,
    v18_search_digit_tokens,
    v19_insertion_indexes,
]
