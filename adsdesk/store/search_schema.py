"""The search index's tables and triggers: n-gram and trigram FTS5 over ads and advertisers.

Layout (schema step v3):

- ``search_ad_gram`` / ``search_adv_gram``: contentless FTS5 (``detail=none``) whose one
  document per ad/advertiser lists every distinct 1- and 2-character substring of each field,
  hex-encoded, and every 4 digits in a row (``n7373``, since step v18). A one- or
  two-character query, or exactly 4 digits, is one posting list: exact, no verification.
- ``search_ad_text`` / ``search_adv_text``: contentless FTS5 trigram tables (case-sensitive on
  normalised text). A query of three or more characters is one phrase: exact substring.
- An ad's category is one more token in both ad tables (``k12`` / ``k12k``), so a category
  filter is an AND inside the full-text query rather than a lookup per hit.
- ``search_ad``: one row per ad with its category, advertiser and first/last insertion date,
  kept by SQL triggers; indexed so lists sort by date and filter without touching ``ad``.
- ``search_pending``: triggers on ``ad`` and ``advertiser`` record every insert, edit and
  delete (with the old text) so that :func:`search_upkeep.sync_index` can bring the FTS tables up to date,
  whatever code path changed the rows. ``save_ad`` / ``delete_ad`` call it in their transaction.
- Expression indexes on the last four digits of ``ad_phone`` / ``advertiser_phone`` numbers
  serve "the number ending 7373" (since step v16 the one on ``ad_phone`` also holds the
  number and the ad: a tail found in a million ads is ~800 rows, each a page read without
  it); ``insertion(date, ad_id)`` serves date filters.

Text is normalised the same way for documents and queries (:func:`search_text.normalise`): full-width
ASCII to half-width, ASCII letters to lower case, every whitespace or control character to a
space. The mapping keeps the length, so offsets found in normalised text fit the original.
Changing the tokens or the normalisation needs a schema step that calls ``rebuild_index``:
deleting from a contentless FTS5 table means presenting exactly the tokens once inserted.
"""

from __future__ import annotations

import sqlite3

from peewee import Database, SqliteDatabase

from adsdesk.store.models import db

INDEX_VERSION = 2  # bump with any change to tokens or normalisation (and add a rebuild step)
AD_KIND, ADV_KIND = 0, 1  # search_pending.kind


_TABLES = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_ad_gram USING fts5(grams, content='', tokenize='ascii', "
    "detail='none', columnsize=0)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_ad_text USING fts5(title, body, cat, content='', "
    "tokenize='trigram case_sensitive 1', columnsize=0)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_adv_gram USING fts5(grams, content='', tokenize='ascii', "
    "detail='none', columnsize=0)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_adv_text USING fts5(name, address, initials, pinyin, "
    "content='', tokenize='trigram case_sensitive 1', columnsize=0)",
    "CREATE TABLE IF NOT EXISTS search_ad (ad_id INTEGER PRIMARY KEY, category_id INTEGER, "
    "advertiser_id INTEGER, first_date TEXT, last_date TEXT)",
    "CREATE INDEX IF NOT EXISTS search_ad_last ON search_ad (last_date, ad_id)",
    "CREATE INDEX IF NOT EXISTS search_ad_category ON search_ad (category_id, last_date, ad_id)",
    "CREATE INDEX IF NOT EXISTS search_ad_advertiser ON search_ad (advertiser_id, last_date, ad_id)",
    "CREATE TABLE IF NOT EXISTS search_pending (kind INTEGER NOT NULL, id INTEGER NOT NULL, "
    "indexed INTEGER NOT NULL, old_a TEXT, old_b TEXT, old_c INTEGER, PRIMARY KEY (kind, id)) "
    "WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS search_ad_phone_tail ON ad_phone (substr(e164, -4))",
    "CREATE INDEX IF NOT EXISTS search_adv_phone_tail ON advertiser_phone (substr(e164, -4))",
    "CREATE INDEX IF NOT EXISTS search_insertion_date ON insertion (date, ad_id)",
)

_DATES = (
    "UPDATE search_ad SET first_date = (SELECT min(date) FROM insertion WHERE ad_id = {0}), "
    "last_date = (SELECT max(date) FROM insertion WHERE ad_id = {0}) WHERE ad_id = {0};"
)

_TRIGGERS = {
    "search_t_ad_insert": "AFTER INSERT ON ad BEGIN "
    "INSERT OR REPLACE INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
    "VALUES (new.id, new.category_id, new.advertiser_id, "
    "(SELECT min(date) FROM insertion WHERE ad_id = new.id), "
    "(SELECT max(date) FROM insertion WHERE ad_id = new.id)); "
    "INSERT OR IGNORE INTO search_pending VALUES (0, new.id, 0, NULL, NULL, NULL); END",
    "search_t_ad_text": "AFTER UPDATE OF title, body, category_id ON ad BEGIN "
    "INSERT OR IGNORE INTO search_pending "
    "VALUES (0, old.id, 1, old.title, old.body, old.category_id); END",
    "search_t_ad_keys": "AFTER UPDATE OF category_id, advertiser_id ON ad BEGIN "
    "UPDATE search_ad SET category_id = new.category_id, advertiser_id = new.advertiser_id "
    "WHERE ad_id = new.id; END",
    "search_t_ad_delete": "AFTER DELETE ON ad BEGIN "
    "DELETE FROM search_ad WHERE ad_id = old.id; "
    "INSERT OR IGNORE INTO search_pending "
    "VALUES (0, old.id, 1, old.title, old.body, old.category_id); END",
    "search_t_insertion_insert": "AFTER INSERT ON insertion BEGIN "
    "UPDATE search_ad SET "
    "first_date = CASE WHEN first_date IS NULL OR new.date < first_date THEN new.date "
    "ELSE first_date END, "
    "last_date = CASE WHEN last_date IS NULL OR new.date > last_date THEN new.date "
    "ELSE last_date END WHERE ad_id = new.ad_id; END",
    "search_t_insertion_delete": "AFTER DELETE ON insertion BEGIN "
    + _DATES.format("old.ad_id")
    + " END",
    "search_t_insertion_update": "AFTER UPDATE OF date, ad_id ON insertion BEGIN "
    + _DATES.format("old.ad_id")
    + " "
    + _DATES.format("new.ad_id")
    + " END",
    "search_t_adv_insert": "AFTER INSERT ON advertiser BEGIN "
    "INSERT OR IGNORE INTO search_pending VALUES (1, new.id, 0, NULL, NULL, NULL); END",
    "search_t_adv_text": "AFTER UPDATE OF name, address ON advertiser BEGIN "
    "INSERT OR IGNORE INTO search_pending VALUES (1, old.id, 1, old.name, old.address, NULL); "
    "END",
    "search_t_adv_delete": "AFTER DELETE ON advertiser BEGIN "
    "INSERT OR IGNORE INTO search_pending VALUES (1, old.id, 1, old.name, old.address, NULL); "
    "END",
}


def connection(con: sqlite3.Connection | None) -> sqlite3.Connection:
    return con if con is not None else db.connection()


def create_triggers(con: sqlite3.Connection | None = None) -> None:
    c = connection(con)
    for name, body in _TRIGGERS.items():
        c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_triggers(con: sqlite3.Connection | None = None) -> None:
    c = connection(con)
    for name in _TRIGGERS:
        c.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_bound() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def cover_phone_tails(database: Database) -> None:
    """Schema step v16: ``search_ad_phone_tail`` rebuilt as a covering index (same name, so a
    later ``CREATE INDEX IF NOT EXISTS`` of step v3's layout leaves it alone)."""
    if not isinstance(database, SqliteDatabase):
        return
    database.execute_sql("DROP INDEX IF EXISTS search_ad_phone_tail")
    database.execute_sql(
        "CREATE INDEX search_ad_phone_tail ON ad_phone (substr(e164, -4), e164, ad_id)"
    )


def install(database: Database) -> None:
    """Schema step v3: create the index tables and triggers, fill them from existing rows.

    Runs inside the migration's transaction. FTS5 is SQLite's: other databases get no index.
    """
    if not isinstance(database, SqliteDatabase):
        return
    con = database.connection()
    for sql in _TABLES:
        con.execute(sql)
    create_triggers(con)
    from adsdesk.store.search_bulk import rebuild_in  # the bulk module builds on this one

    rebuild_in(con)
