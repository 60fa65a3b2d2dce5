"""The search index on PostgreSQL: gram arrays with a GIN index, kept in step by triggers.

Why a gram table and not pg_trgm: a 1- or 2-character query (most Chinese searches: 和平,
房, 招聘) has no trigram at all, and pg_trgm keeps no trigram for Chinese characters under
the C locale the server may well run in. Only what Debian's packages ship may be assumed
(no pg_bigm, no PGroonga). So every ad and advertiser has one row whose ``grams`` array
holds every distinct 1- and 2-character substring of its (normalised) fields, under a GIN
index, which works under any locale:

- a query of one or two characters is one ``grams @> ARRAY[q]``: exact, nothing to check;
- a longer query ANDs its 2-grams through the GIN index, then ``strpos`` on the stored
  normalised text keeps exactly the rows that hold it as a substring (same set as a scan);
- an ad's category is one more element (``#c12``, longer than any gram), so a category
  filter is part of the same index lookup.

Measured on the synthetic million (2 cores): see README's performance table and
``adsdesk bench --db URL``. The documents are built in Python with the same normalisation
and pinyin as on SQLite (``search_text``), so both backends find exactly the same ads.

Triggers record what changed in ``search_pending`` and keep ``search_ad`` (category,
advertiser, first/last insertion date) exact; :func:`sync` applies the pending rows inside
the saving transaction (``save_ad`` calls it), skipping rows another desk is applying.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import Database

from adsdesk.store.models import db
from adsdesk.store.search_schema import AD_KIND, ADV_KIND
from adsdesk.store.search_text import ad_fields, advertiser_fields

_BATCH = 2000

TABLES = (
    "CREATE TABLE IF NOT EXISTS search_ad (ad_id INTEGER PRIMARY KEY, category_id INTEGER, "
    "advertiser_id INTEGER, first_date DATE, last_date DATE)",
    # NULLS FIRST: a never-booked ad sorts as the earliest date, as on SQLite (both directions).
    "CREATE INDEX IF NOT EXISTS search_ad_last ON search_ad (last_date NULLS FIRST, ad_id)",
    "CREATE INDEX IF NOT EXISTS search_ad_category ON search_ad "
    "(category_id, last_date NULLS FIRST, ad_id)",
    "CREATE INDEX IF NOT EXISTS search_ad_advertiser ON search_ad "
    "(advertiser_id, last_date NULLS FIRST, ad_id)",
    "CREATE TABLE IF NOT EXISTS search_pending (kind SMALLINT NOT NULL, id INTEGER NOT NULL, "
    "PRIMARY KEY (kind, id))",
    "CREATE TABLE IF NOT EXISTS search_ad_doc (ad_id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
    "body TEXT NOT NULL, grams TEXT[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_ad_doc_grams ON search_ad_doc USING gin (grams) "
    "WITH (fastupdate = off)",
    "CREATE TABLE IF NOT EXISTS search_adv_doc (adv_id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "address TEXT NOT NULL, initials TEXT NOT NULL, pinyin TEXT NOT NULL, grams TEXT[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_adv_doc_grams ON search_adv_doc USING gin (grams)",
    "CREATE INDEX IF NOT EXISTS search_ad_phone_tail ON ad_phone (right(e164, 4))",
    "CREATE INDEX IF NOT EXISTS search_adv_phone_tail ON advertiser_phone (right(e164, 4))",
    "CREATE INDEX IF NOT EXISTS search_insertion_date ON insertion (date, ad_id)",
)

_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION search_dates(a INTEGER) RETURNS VOID AS $$
    UPDATE search_ad SET first_date = (SELECT min(date) FROM insertion WHERE ad_id = a),
        last_date = (SELECT max(date) FROM insertion WHERE ad_id = a) WHERE ad_id = a;
    $$ LANGUAGE sql""",
    """CREATE OR REPLACE FUNCTION search_t_ad() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date)
          VALUES (NEW.id, NEW.category_id, NEW.advertiser_id,
                  (SELECT min(date) FROM insertion WHERE ad_id = NEW.id),
                  (SELECT max(date) FROM insertion WHERE ad_id = NEW.id))
          ON CONFLICT (ad_id) DO UPDATE SET category_id = EXCLUDED.category_id,
            advertiser_id = EXCLUDED.advertiser_id;
        INSERT INTO search_pending VALUES (0, NEW.id) ON CONFLICT DO NOTHING;
        RETURN NEW;
      ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.category_id IS DISTINCT FROM OLD.category_id
           OR NEW.advertiser_id IS DISTINCT FROM OLD.advertiser_id THEN
          UPDATE search_ad SET category_id = NEW.category_id, advertiser_id = NEW.advertiser_id
            WHERE ad_id = NEW.id;
        END IF;
        IF NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body
           OR NEW.category_id IS DISTINCT FROM OLD.category_id THEN
          INSERT INTO search_pending VALUES (0, NEW.id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NEW;
      ELSE
        DELETE FROM search_ad WHERE ad_id = OLD.id;
        DELETE FROM search_ad_doc WHERE ad_id = OLD.id;
        RETURN OLD;
      END IF;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION search_t_insertion() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM search_dates(OLD.ad_id); END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM search_dates(NEW.ad_id); END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION search_t_advertiser() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_adv_doc WHERE adv_id = OLD.id;
        RETURN OLD;
      END IF;
      IF TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name
         OR NEW.address IS DISTINCT FROM OLD.address THEN
        INSERT INTO search_pending VALUES (1, NEW.id) ON CONFLICT DO NOTHING;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
)

TRIGGERS = {
    "search_t_ad": "AFTER INSERT OR UPDATE OR DELETE ON ad FOR EACH ROW EXECUTE FUNCTION search_t_ad()",
    "search_t_insertion": "AFTER INSERT OR UPDATE OR DELETE ON insertion FOR EACH ROW "
    "EXECUTE FUNCTION search_t_insertion()",
    "search_t_advertiser": "AFTER INSERT OR UPDATE OR DELETE ON advertiser FOR EACH ROW "
    "EXECUTE FUNCTION search_t_advertiser()",
}


def _run(sql: str, params: Sequence[object] = ()) -> Any:
    return db.execute_sql(sql, tuple(params))


def create_triggers() -> None:
    for name, body in TRIGGERS.items():
        _run(f"DROP TRIGGER IF EXISTS {name} ON {body.split(' ON ', 1)[1].split()[0]}")
        _run(f"CREATE TRIGGER {name} {body}")


def drop_triggers() -> None:
    for name, body in TRIGGERS.items():
        _run(f"DROP TRIGGER IF EXISTS {name} ON {body.split(' ON ', 1)[1].split()[0]}")


def install(database: Database) -> None:
    """Schema step: create the index tables, functions and triggers; fill them from the rows."""
    for sql in (*TABLES, *_FUNCTIONS):
        database.execute_sql(sql)
    create_triggers()
    rebuild()


# --------------------------------------------------------------------------- documents


def category_element(category_id: int) -> str:
    """The ``grams`` element of an ad's category (3+ characters: never a real gram)."""
    return f"#c{category_id}"


def grams_of(fields: Iterable[str]) -> list[str]:
    """Every distinct 1- and 2-character substring of each field."""
    grams: set[str] = set()
    for f in fields:
        grams.update(f)
        grams.update(map(operator.add, f, f[1:]))
    grams.discard("\x00")
    return sorted(grams)


def query_elements(text: str) -> list[str]:
    """The elements a normalised query needs: itself (1–2 chars) or its distinct 2-grams."""
    if len(text) <= 2:
        return [text]
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def _ad_rows(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    for ad_id, title, body, category in rows:
        t, b = ad_fields(title or "", body or "")
        grams = grams_of((t, b))
        if category is not None:
            grams.append(category_element(category))
        out.append((ad_id, t, b, grams))
    return out


def _adv_rows(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    for adv_id, name, address in rows:
        fields = advertiser_fields(name or "", address or "")
        out.append((adv_id, *fields, grams_of(fields)))
    return out


def _write_ads(rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    _values(
        "INSERT INTO search_ad_doc (ad_id, title, body, grams) VALUES {} "
        "ON CONFLICT (ad_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
        "grams = EXCLUDED.grams",
        _ad_rows(rows),
    )


def _write_advertisers(rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    _values(
        "INSERT INTO search_adv_doc (adv_id, name, address, initials, pinyin, grams) VALUES {} "
        "ON CONFLICT (adv_id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, "
        "initials = EXCLUDED.initials, pinyin = EXCLUDED.pinyin, grams = EXCLUDED.grams",
        _adv_rows(rows),
    )


def _values(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    from psycopg2.extras import execute_values

    cursor = db.cursor()
    execute_values(cursor, sql.format("%s"), rows, page_size=500)


# --------------------------------------------------------------------------- upkeep


def _source(kind: int, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    if kind == AD_KIND:
        sql = "SELECT id, title, body, category_id FROM ad WHERE id = ANY(%s)"
    else:
        sql = "SELECT id, name, address FROM advertiser WHERE id = ANY(%s)"
    return list(_run(sql, (list(ids),)).fetchall())


def sync() -> int:
    """Apply the recorded inserts and edits to the documents; returns rows applied.

    Call inside a transaction (``save_ad`` does). Rows another desk's transaction is
    applying right now are skipped (it will apply them), so saves never wait on each other.
    """
    done = 0
    while True:
        rows = _run(
            "SELECT kind, id FROM search_pending ORDER BY kind, id LIMIT %s FOR UPDATE SKIP LOCKED",
            (_BATCH,),
        ).fetchall()
        if not rows:
            return done
        for kind, write in ((AD_KIND, _write_ads), (ADV_KIND, _write_advertisers)):
            ids = [r[1] for r in rows if r[0] == kind]
            if not ids:
                continue
            write(_source(kind, ids))
            _run("DELETE FROM search_pending WHERE kind = %s AND id = ANY(%s)", (kind, ids))
        done += len(rows)
        if len(rows) < _BATCH:
            return done


def pending_count() -> int:
    return int(_run("SELECT count(*) FROM search_pending").fetchone()[0])


def rebuild(workers: int = 0) -> None:
    """Build every document again from the ads and advertisers (inside the caller's
    transaction, or its own)."""
    with db.atomic():
        _run("TRUNCATE search_ad_doc, search_adv_doc, search_pending, search_ad")
        _run(
            "INSERT INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
            "SELECT ad.id, ad.category_id, ad.advertiser_id, min(i.date), max(i.date) "
            "FROM ad LEFT JOIN insertion AS i ON i.ad_id = ad.id GROUP BY ad.id"
        )
        for sql, write in (
            ("SELECT id, title, body, category_id FROM ad ORDER BY id", _write_ads),
            ("SELECT id, name, address FROM advertiser ORDER BY id", _write_advertisers),
        ):
            last = 0
            while True:
                batch = _run(
                    sql.replace("ORDER BY", "WHERE id > %s ORDER BY") + " LIMIT %s",
                    (last, _BATCH * 5),
                ).fetchall()
                if not batch:
                    break
                write(batch)
                last = batch[-1][0]


def index_new(ad_ids: Sequence[int], advertiser_ids: Sequence[int] = ()) -> None:
    """Documents and ``search_ad`` rows of ads/advertisers added with the triggers off."""
    for start in range(0, len(ad_ids), _BATCH):
        chunk = list(ad_ids[start : start + _BATCH])
        _run(
            "INSERT INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
            "SELECT ad.id, ad.category_id, ad.advertiser_id, min(i.date), max(i.date) "
            "FROM ad LEFT JOIN insertion AS i ON i.ad_id = ad.id WHERE ad.id = ANY(%s) "
            "GROUP BY ad.id ON CONFLICT (ad_id) DO UPDATE SET category_id = EXCLUDED.category_id, "
            "advertiser_id = EXCLUDED.advertiser_id, first_date = EXCLUDED.first_date, "
            "last_date = EXCLUDED.last_date",
            (chunk,),
        )
        _write_ads(_source(AD_KIND, chunk))
    for start in range(0, len(advertiser_ids), _BATCH):
        _write_advertisers(_source(ADV_KIND, list(advertiser_ids[start : start + _BATCH])))


# --------------------------------------------------------------------------- queries


def text_match(
    text: str, kind: str, category_id: int | None = None
) -> tuple[str, str, list[object], str]:
    """(FROM, WHERE, params, id column) finding ``kind`` ("ad"/"adv") rows holding ``text``
    (normalised, non-empty) as a substring; for ads optionally only in one category."""
    elements = query_elements(text)
    if kind == "ad":
        if category_id is not None:
            elements = [*elements, category_element(category_id)]
        fields: tuple[str, ...]
        table, alias, id_col, fields = "search_ad_doc", "d", "d.ad_id", ("title", "body")
    else:
        table, alias, id_col = "search_adv_doc", "d", "d.adv_id"
        fields = ("name", "address", "initials", "pinyin")
    where = "d.grams @> ?::text[]"
    params: list[object] = [elements]
    if len(text) > 2:
        where += " AND (" + " OR ".join(f"strpos(d.{f}, ?) > 0" for f in fields) + ")"
        params += [text] * len(fields)
    return f"{table} AS {alias}", where, params, id_col
