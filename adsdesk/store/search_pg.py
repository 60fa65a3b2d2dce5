"""The search index on PostgreSQL: gram codes with a GIN index, kept in step by triggers.

Why a gram table and not pg_trgm: a 1- or 2-character query (most Chinese searches: 和平,
房, 招聘) has no trigram at all, and pg_trgm keeps no trigram for Chinese characters under
the C locale the server may well run in. Only what Debian's packages ship may be assumed
(no pg_bigm, no PGroonga). So every ad and advertiser has one row whose ``grams`` array
holds a code for every distinct 1- and 2-character substring of its (normalised) fields
(``search_pg_docs``: integers, as they build and search several times faster than text),
under a GIN index, which works under any locale:

- a query of one or two characters is one ``grams @> ARRAY[code]``: exact, nothing to check;
- a longer query ANDs its 2-character codes through the GIN index, then ``strpos`` on the
  stored normalised text keeps exactly the rows that hold it as a substring (same set as a scan);
- an ad's category is one more code, so a category filter is part of the same index lookup.

The ad documents are split by id into partitions of 65,536 ads (``search_ad_doc_p0`` …), each
with its own GIN index. A GIN lookup reads a word's whole posting list and every hit has to be
visited in the table before PostgreSQL can count it or sort it; with one index over a million
ads, "the newest 50 ads with 房, and are there more than 10,000?" read 130,000 postings.
Partitions let the newest ones answer: the list is in id order, so PostgreSQL reads partitions
newest first and stops once the page (or the count limit) is full. The advertisers' documents
are split the same way, into partitions of 16,384 (``search_adv_doc_p0`` …): the newest 300
advertisers holding ``gongsi`` (69,000 of 375,668 on the synthetic million) took 40–60 ms out
of one index, visiting every hit; out of the newest partition, about 2 ms.

The documents are built in Python with the same normalisation and pinyin as on SQLite
(``search_text``), so both backends find exactly the same ads. Triggers record what changed in
``search_pending`` and keep ``search_ad`` (category, advertiser, first/last insertion date)
exact; :func:`sync` applies the pending rows inside the saving transaction (``save_ad`` calls
it), skipping rows another desk is applying. Measured figures: README's performance table
and ``adsdesk bench --db URL``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

from peewee import Database

from adsdesk.store import backend, side_reads
from adsdesk.store.models import db
from adsdesk.store.search_pg_docs import (
    ad_docs,
    advertiser_docs,
    category_code,
    needs_check,
    query_codes,
)
from adsdesk.store.search_schema import AD_KIND, ADV_KIND

_BATCH = 2000
LAYOUT = 3  # the documents' layout (search_pg_docs); a change needs a schema step: upgrade()
PART_BITS = 16  # an ad document partition holds the ids n << 16 … (n + 1) << 16 - 1
AD_DOCS, ADV_DOCS = "search_ad_doc", "search_adv_doc"
_BITS = {AD_DOCS: PART_BITS, ADV_DOCS: 14}  # … an advertiser document partition n << 14 …
_NO_ID = 1 << 31  # above every id (ids are 32-bit)
_T = TypeVar("_T")
_PARTITION_LOCK = 0x61647370  # "adsp": one transaction at a time adds a partition

# New documents go to the index's pending list and are merged into it 64 kB at a time: with
# fastupdate off each document's ~100 codes were index insertions of their own, and importing
# 10,000 rows into a server desk took 14.4 s (5.6 s so). A search reads the pending list too;
# at 64 kB (the least allowed) that is a few pages. Partitions take the options of the index.
_GIN_WRITES = "fastupdate = on, gin_pending_list_limit = 64"

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
    "body TEXT NOT NULL, grams INTEGER[] NOT NULL) PARTITION BY RANGE (ad_id)",
    "CREATE INDEX IF NOT EXISTS search_ad_doc_grams ON search_ad_doc USING gin (grams) "
    f"WITH ({_GIN_WRITES})",
    "CREATE TABLE IF NOT EXISTS search_adv_doc (adv_id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "address TEXT NOT NULL, initials TEXT NOT NULL, pinyin TEXT NOT NULL, "
    "grams INTEGER[] NOT NULL) PARTITION BY RANGE (adv_id)",
    "CREATE INDEX IF NOT EXISTS search_adv_doc_grams ON search_adv_doc USING gin (grams) "
    f"WITH ({_GIN_WRITES})",
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
    # New bookings, once per statement: an ad's dates widened by all its new ones at once.
    # Per row (each with two subqueries and an update of the indexed last date) they were the
    # most of an import's time on the server.
    """CREATE OR REPLACE FUNCTION search_t_insertion_new() RETURNS trigger AS $$
    BEGIN
      UPDATE search_ad AS s SET first_date = LEAST(s.first_date, n.lo),
          last_date = GREATEST(s.last_date, n.hi)
        FROM (SELECT ad_id, min(date) AS lo, max(date) AS hi FROM new_rows GROUP BY ad_id) AS n
        WHERE s.ad_id = n.ad_id AND (s.first_date IS DISTINCT FROM LEAST(s.first_date, n.lo)
          OR s.last_date IS DISTINCT FROM GREATEST(s.last_date, n.hi));
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
    "search_t_insertion": "AFTER UPDATE OR DELETE ON insertion FOR EACH ROW "
    "EXECUTE FUNCTION search_t_insertion()",
    "search_t_insertion_new": "AFTER INSERT ON insertion REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_t_insertion_new()",
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
    database.execute_sql(f"COMMENT ON TABLE search_ad_doc IS 'adsdesk search layout {LAYOUT}'")
    create_triggers()
    rebuild()


# --------------------------------------------------------------------------- documents


def partition(n: int, table: str = AD_DOCS) -> str:
    """The name of the documents' partition ``n`` (ids ``n << _BITS[table]`` onwards)."""
    return f"{table}_p{n}"


def partitions(table: str = AD_DOCS) -> list[int]:
    """Numbers of the documents' partitions, in order."""
    rows = _run(
        "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass",
        (table,),
    ).fetchall()
    return sorted(int(r[0].rsplit("_p", 1)[1]) for r in rows)


# Reading the partition list from the catalogue took 0.3 ms, twice a search; searches read a
# list at most this old (the ranges they make cover every id whatever the list, see _batches,
# so an old list only makes the newest range wider).
_PARTS_MAX_AGE_S = 60.0


# What a search reads from the catalogue or the statistics, by database and table: (when
# read, what).
_REMEMBERED: weakref.WeakKeyDictionary[Database, dict[tuple[str, str], tuple[float, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _remembered(what: str, table: str, max_age_s: float, read: Callable[[], _T]) -> _T:
    """``read()`` for ``table`` of this database, read again once older than ``max_age_s``."""
    cache = _REMEMBERED.setdefault(db.obj, {})
    now = time.monotonic()
    known = cache.get((what, table))
    if known is None or now - known[0] > max_age_s:
        known = cache[(what, table)] = (now, read())
    value: _T = known[1]
    return value


def read_partitions(table: str = AD_DOCS) -> list[int]:
    """:func:`partitions` as a search reads them: remembered for a minute per database."""
    return _remembered("parts", table, _PARTS_MAX_AGE_S, lambda: partitions(table))


# A word most ads hold (电, 电话: 57 % of the synthetic million's newest partition) has
# thousands of hits there, which the index lists and a sort reads in full for a page of 50:
# 4.8 ms of the server, 26 ms once beside the desk's other reads. Tested one by one, newest
# first, 92 documents give that page (0.1 ms). For a rarer word the same walk costs more than
# the index (2.7 %: 1.1 ms against 0.6), so it is taken only for a code the server's own
# statistics count in at least DENSE of the partition's documents.
DENSE = 0.1
_WALK_MOST = 4000  # documents walked at most; n / share * 2 of them: twice the hits needed
_SHARES_MAX_AGE_S = 600.0


def code_shares(table: str) -> dict[int, float]:
    """The share of ``table``'s documents holding each of its commonest codes, as ANALYZE
    last counted them (``pg_stats``); empty before it has. Remembered ten minutes."""

    def read() -> dict[int, float]:
        found = backend.rows(
            "SELECT most_common_elems::text, most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = ? AND attname = 'grams'",
            (table,),
        )
        if not (found and found[0][0] and found[0][1]):
            return {}
        codes = [int(x) for x in found[0][0].strip("{}").split(",")]
        return dict(zip(codes, found[0][1], strict=False))  # (3 summary figures follow)

    return _remembered("shares", table, _SHARES_MAX_AGE_S, read)


def _walk_for(
    params: Sequence[object], category_id: int | None, descending: bool, n: int, parts: list[int]
) -> int:
    """How many of the first partition's documents :func:`first_rows` should test one by one
    before asking the index: 0 but for a 1- or 2-character query (one code, nothing to check)
    that the statistics count in at least ``DENSE`` of them."""
    codes = params[0] if len(params) == 1 else None
    if category_id is not None or not parts or not isinstance(codes, list) or len(codes) != 1:
        return 0
    first = max(parts) if descending else min(parts)
    share = code_shares(partition(first, AD_DOCS)).get(int(codes[0]), 0.0)
    if share < DENSE:
        return 0
    return min(_WALK_MOST, int(2 * n / share) + 1)


def _bounds(n: int, table: str) -> tuple[int, int]:
    return n << _BITS[table], (n + 1) << _BITS[table]


def _create_partition(n: int, table: str = AD_DOCS) -> None:
    low, high = _bounds(n, table)
    _run(
        f"CREATE TABLE IF NOT EXISTS {partition(n, table)} PARTITION OF {table} "
        f"FOR VALUES FROM ({low}) TO ({high})"
    )


def ensure_partitions(ids: Iterable[int], table: str = AD_DOCS) -> None:
    """Create the partitions these documents go into, where missing (in the caller's
    transaction; two desks adding the same one take turns)."""
    wanted = sorted({i >> _BITS[table] for i in ids})
    missing = [
        n
        for n in wanted
        if _run("SELECT to_regclass(%s)", (partition(n, table),)).fetchone()[0] is None
    ]
    if not missing:
        return
    _run("SELECT pg_advisory_xact_lock(%s)", (_PARTITION_LOCK,))
    for n in missing:
        _create_partition(n, table)


def _write_ads(rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    ensure_partitions(r[0] for r in rows)
    _values(
        "INSERT INTO search_ad_doc (ad_id, title, body, grams) VALUES {} "
        "ON CONFLICT (ad_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
        "grams = EXCLUDED.grams",
        ad_docs(rows),
    )


def _write_advertisers(rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    ensure_partitions((r[0] for r in rows), ADV_DOCS)
    _values(
        "INSERT INTO search_adv_doc (adv_id, name, address, initials, pinyin, grams) VALUES {} "
        "ON CONFLICT (adv_id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, "
        "initials = EXCLUDED.initials, pinyin = EXCLUDED.pinyin, grams = EXCLUDED.grams",
        advertiser_docs(rows),
    )


def _values(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Upsert documents whose last value is their codes: the codes go as one array literal
    each (the driver formatting a list of ~100 integers value by value cost an import of
    10,000 ads 0.5 s)."""
    from psycopg2.extras import execute_values

    from adsdesk.store.bulk_pg import int_array

    width = len(rows[0])
    template = "(" + ", ".join(["%s"] * (width - 1)) + ", %s::integer[])"
    execute_values(
        db.cursor(),
        sql.format("%s"),
        [(*r[:-1], int_array(r[-1])) for r in rows],
        template=template,
        page_size=500,
    )


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
    transaction, or its own): fresh partitions filled with ``COPY … FREEZE`` (no later
    vacuum needed to mark the rows visible), the indexes built once at the end, statistics
    taken for the planner. ``workers`` > 0: the documents are made in that many helper
    processes while this one sends them."""
    from adsdesk.store.bulk_pg import indexes_set_aside

    with db.atomic(), _helpers(workers) as pool:
        _run("TRUNCATE search_pending, search_ad")
        with indexes_set_aside(db.obj, ("search_ad", "search_ad_doc", "search_adv_doc")):
            sources = (
                (AD_DOCS, "ad", "id, title, body, category_id", AD_KIND),
                (ADV_DOCS, "advertiser", "id, name, address", ADV_KIND),
            )
            for table, rows_table, columns, kind in sources:
                for n in partitions(table):
                    _run(f"DROP TABLE {partition(n, table)}")
                top = int(_run(f"SELECT coalesce(max(id), 0) FROM {rows_table}").fetchone()[0])
                for n in range((top >> _BITS[table]) + 1):
                    _create_partition(n, table)
                    low, high = _bounds(n, table)
                    source = f"SELECT {columns} FROM {rows_table} WHERE id < {high} AND"
                    _copy_docs(source, low, partition(n, table), kind, pool)
            _run(
                "INSERT INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
                "SELECT ad.id, ad.category_id, ad.advertiser_id, min(i.date), max(i.date) "
                "FROM ad LEFT JOIN insertion AS i ON i.ad_id = ad.id GROUP BY ad.id"
            )
        for table in ("search_ad", "search_ad_doc", "search_adv_doc"):
            _run(f"ANALYZE {table}")


@contextmanager
def _helpers(workers: int) -> Iterator[Any]:
    if workers <= 0:
        yield None
        return
    import multiprocessing

    from adsdesk.lifeline import pool_args

    with multiprocessing.get_context("spawn").Pool(workers, **pool_args()) as pool:
        yield pool


_AHEAD = 4  # batches handed to the helpers before the first is sent
_DOC_COLUMNS = {
    AD_KIND: ("ad_id", "title", "body", "grams"),
    ADV_KIND: ("adv_id", "name", "address", "initials", "pinyin", "grams"),
}


def doc_lines(kind: int, rows: Sequence[tuple[Any, ...]]) -> str:
    """The documents of ads (id, title, body, category) or advertisers (id, name, address)
    as COPY input (pure: runs in a helper process too)."""
    from adsdesk.store.bulk_pg import Raw, copy_lines, int_array

    docs = ad_docs(rows) if kind == AD_KIND else advertiser_docs(rows)
    return copy_lines((*d[:-1], Raw(int_array(d[-1]))) for d in docs)


def _copy_docs(source: str, low: int, table: str, kind: int, pool: Any) -> None:
    """COPY (FREEZE: ``table`` is new or emptied in this transaction) the documents of the
    rows ``source … id >= low`` gives, read in id order a batch at a time."""
    from adsdesk.store.bulk_pg import copy_text

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        last = low - 1
        while True:
            batch = _run(f"{source} id > %s ORDER BY id LIMIT %s", (last, _BATCH * 5)).fetchall()
            if not batch:
                return
            yield batch
            last = batch[-1][0]

    def chunks() -> Iterator[str]:
        if pool is None:
            yield from (doc_lines(kind, b) for b in batches())
            return
        waiting: deque[Any] = deque()
        for batch in batches():
            waiting.append(pool.apply_async(doc_lines, (kind, batch)))
            if len(waiting) > _AHEAD:
                yield waiting.popleft().get()
        while waiting:
            yield waiting.popleft().get()

    copy_text(db.obj, table, _DOC_COLUMNS[kind], chunks(), freeze=True)


def layout(database: Database) -> int:
    """The layout of the documents in ``database``: 0 for text pieces in one table (schema
    versions 10–11), else the ``LAYOUT`` number written on ``search_ad_doc``."""
    found = database.execute_sql(
        "SELECT obj_description(to_regclass('search_ad_doc'), 'pg_class')"
    ).fetchone()[0]
    prefix = "adsdesk search layout "
    return int(found[len(prefix) :]) if found and found.startswith(prefix) else 0


def upgrade(database: Database) -> None:
    """Schema step (v12, and any later one changing the documents): when the documents are
    not laid out as ``LAYOUT`` says, drop them and build them again from the rows."""
    if layout(database) == LAYOUT:
        return
    database.execute_sql("DROP TABLE IF EXISTS search_ad_doc, search_adv_doc CASCADE")
    install(database)


# --------------------------------------------------------------------------- queries


def text_match(
    text: str, kind: str, category_id: int | None = None
) -> tuple[str, str, list[object], str]:
    """(FROM, WHERE, params, id column) finding ``kind`` ("ad"/"adv") rows holding ``text``
    (normalised, non-empty) as a substring; for ads optionally only in one category."""
    triples = kind == "adv"  # (advertisers' documents hold 3-letter codes)
    codes = query_codes(text, triples)
    if kind == "ad":
        if category_id is not None:
            codes = [*codes, category_code(category_id)]
        fields: tuple[str, ...]
        table, alias, id_col, fields = "search_ad_doc", "d", "d.ad_id", ("title", "body")
    else:
        table, alias, id_col = "search_adv_doc", "d", "d.adv_id"
        fields = ("name", "address", "initials", "pinyin")
    where = "d.grams @> ?::integer[]"
    params: list[object] = [codes]
    if needs_check(text, triples):
        where += " AND (" + " OR ".join(f"strpos(d.{f}, ?) > 0" for f in fields) + ")"
        params += [text] * len(fields)
    return f"{table} AS {alias}", where, params, id_col


class AdPage(NamedTuple):
    """What :func:`first_ad_ids` found: the first ids, the total, and every id holding the text
    when the total is not past its cap."""

    ids: list[int]
    total: int | None
    every: list[int] | None


_READ_AHEAD = threading.local()  # .reads: {first_ad_ids' arguments: the future of its answer}


def _reads() -> dict[tuple[Any, ...], Future[AdPage]]:
    """This thread's reads started by :func:`reading_ahead` and not yet taken."""
    if not hasattr(_READ_AHEAD, "reads"):
        _READ_AHEAD.reads = {}
    reads: dict[tuple[Any, ...], Future[AdPage]] = _READ_AHEAD.reads
    return reads


class ReadAhead:
    """The page and total of the ads holding a text, being read on the helper connection."""

    def __init__(
        self,
        ids: Future[list[int]],
        rows: Future[Any],
        then: Callable[[list[int]], Any] | None,
    ) -> None:
        self._ids = ids
        self._rows = rows
        self._then = then

    def then(self) -> Any:
        """``then`` of the page's ids: read by the helper as soon as it has found them, before
        it counts the hits, while the caller's connection looks up the advertisers (read here
        should the helper fail at it); None when the helper failed before finding the page or
        there is no ``then``."""
        try:
            ids = self._ids.result()
        except Exception:  # the helper's connection failed: the caller reads it itself
            return None
        if self._then is None:
            return None
        try:
            return self._rows.result()
        except Exception:
            return self._then(ids)


@contextmanager
def reading_ahead(
    text: str,
    descending: bool,
    n: int,
    count_cap: int | None,
    then: Callable[[list[int]], Any] | None = None,
) -> Iterator[ReadAhead | None]:
    """Within the block, ``first_ad_ids(text, None, descending, n, count_cap)`` is read on the
    helper connection (``side_reads``) from the start, beside what the caller reads meanwhile;
    the call takes that answer (or reads it itself, should the helper have failed). The
    block's :meth:`ReadAhead.then` gives ``then`` of the page's ids (the page's rows, say),
    which the helper reads as soon as it has the ids, before it counts the hits: a search's
    longest chain is the caller's lookup of the advertisers (4.4 of 6.8 ms for a common
    character on the synthetic million), the helper's is shorter. None: no helper here (see
    ``usable``)."""
    if not side_reads.usable():
        yield None
        return
    key = (text, None, descending, n, count_cap)
    reads = _reads()
    ids: Future[list[int]] = Future()
    rows: Future[Any] = Future()
    future = reads[key] = side_reads.submit(_read_page, key, ids, rows, then)
    try:
        yield ReadAhead(ids, rows, then)
    finally:
        reads.pop(key, None)
        future.cancel()  # (not asked for after all: let it finish unheeded)


def _read_page(
    key: tuple[str, None, bool, int, int | None],
    ids: Future[list[int]],
    rows: Future[Any],
    then: Callable[[list[int]], Any] | None,
) -> AdPage:
    """The page and total; the page's ids are handed over in ``ids`` and ``then`` of them in
    ``rows``, both before the count."""

    def on_page(found: list[int]) -> None:
        ids.set_result(found)
        if then is not None:
            try:
                rows.set_result(then(found))
            except Exception as exc:  # the caller reads them itself
                rows.set_exception(exc)

    try:
        return _first_ad_ids(*key, on_page=on_page)
    finally:
        # Failed before the page was found: the caller must not wait on either.
        if not ids.done():
            ids.set_exception(RuntimeError("read ahead failed"))
        if not rows.done():
            rows.set_exception(RuntimeError("read ahead failed"))


def first_ad_ids(
    text: str, category_id: int | None, descending: bool, n: int, count_cap: int | None = None
) -> AdPage:
    """See :func:`_first_ad_ids`; the answer read ahead, when :func:`reading_ahead` started it."""
    future = _reads().pop((text, category_id, descending, n, count_cap), None)
    if future is not None:
        try:
            return future.result()
        except Exception:  # the helper's connection failed: read it on ours (with its retries)
            pass
    return _first_ad_ids(text, category_id, descending, n, count_cap)


def _first_ad_ids(
    text: str,
    category_id: int | None,
    descending: bool,
    n: int,
    count_cap: int | None = None,
    on_page: Callable[[list[int]], object] | None = None,
) -> AdPage:
    """The first ``n`` ads holding ``text`` (optionally in one category) in id order, read from
    the newest partitions first when ``descending`` (the oldest when not): see ``first_rows``;
    and how many ads hold it: all of them when fewer than ``n`` were found, else (given
    ``count_cap``) counted up to ``count_cap`` + 1 in the newest partition, then in the whole
    index (a 1-character query counted out of every partition's index took 1.2-1.4 ms, out of
    the newest 0.3); else None. The count lists the ids it counts (a few kB at most), so a total
    within the cap comes with every hit: merging the ads found by number needs them (listed
    again, 2-3 ms for a phone tail). Newest first, the page and the newest partition's count
    are one statement, unless the word is dense enough to be walked (``_walk_for``).

    Why not one ``ORDER BY ad_id LIMIT n`` over the partitioned table: PostgreSQL then sorts
    every hit of every partition whenever it guesses few hits (a query of 3+ characters has
    several codes, each cutting its guess), and on the synthetic million a page of 50 took
    40–75 ms reading ~9,000 hits; read this way it takes the newest partition's (~600).

    ``on_page`` is given the first ids as soon as they are found, before the count."""
    _, where, params, _ = text_match(text, "ad", category_id)
    parts = read_partitions(AD_DOCS)
    walk = _walk_for(params, category_id, descending, n, parts)
    low, high = next(_batches(AD_DOCS, parts, True))  # the newest partition
    in_range, bounds = _in_range("d.ad_id", low, high)
    newest: list[tuple[Any, ...]] | None = None  # its hits, newest first, up to the cap
    if walk == 0 and descending and count_cap is not None and count_cap + 1 > n:
        # The page is sorted out of every hit of the partition anyway, so asking for up to
        # the cap of them sorted gives the page and the partition's count in one statement.
        sql = (
            f"SELECT d.ad_id FROM {AD_DOCS} AS d WHERE {where}{in_range} "
            f"ORDER BY d.ad_id + 0 DESC LIMIT ?"
        )
        read = backend.rows if in_range else backend.prepared_rows  # (see first_rows)
        newest = read(sql, (*params, *bounds, count_cap + 1))
    rows = first_rows(AD_DOCS, "ad_id", where, params, descending, n, parts, walk, "", newest)
    found = [r[0] for r in rows]
    if on_page is not None:
        on_page(found)
    if len(found) < n:
        return AdPage(found, len(found), found)
    if count_cap is None:
        return AdPage(found, None, None)
    cap = count_cap + 1
    if newest is not None:
        every = [r[0] for r in newest]
    else:
        sql = f"SELECT d.ad_id FROM {AD_DOCS} AS d WHERE {where}{in_range} LIMIT ?"
        every = [r[0] for r in backend.rows(sql, (*params, *bounds, cap))]
    if len(every) < cap and in_range:  # … then the whole index, that one too
        sql = f"SELECT d.ad_id FROM {AD_DOCS} AS d WHERE {where} LIMIT ?"
        every = [r[0] for r in backend.prepared_rows(sql, (*params, cap))]
    if len(every) > count_cap:
        return AdPage(found, len(every), None)
    return AdPage(found, len(every), every)


def newest_ids(where: str, params: Sequence[object], n: int) -> list[int]:
    """The ``n`` newest advertisers (highest id first) whose documents match ``where``."""
    parts = read_partitions(ADV_DOCS)
    return [r[0] for r in first_rows(ADV_DOCS, "adv_id", where, params, True, n, parts)]


def first_rows(
    table: str,
    id_col: str,
    where: str,
    params: Sequence[object],
    descending: bool,
    n: int,
    parts: list[int],
    walk: int = 0,
    columns: str = "",
    first: Sequence[tuple[Any, ...]] | None = None,
) -> list[tuple[Any, ...]]:
    """The id (and ``columns`` of the document, a list such as ``", d.name"``) of the first
    ``n`` documents in id order in ``table`` (alias ``d``) matching ``where``, read in batches
    of 1, 4, 16 … of its partitions ``parts`` from the newest (the oldest when not
    ``descending``), stopping once ``n`` are found; the last batch asks the whole index (see
    :func:`_in_range`).

    ``d.id + 0``: the order is never taken from the primary key, which PostgreSQL walked
    backwards testing every row whenever it guessed more hits than there were (4 digits: 46,000
    rows read for 40 hits, 21 ms); the hits of the partitions asked are sorted instead.

    ``walk`` > 0: the first ``walk`` documents of the first batch are tested one by one in id
    order first; when ``n`` of them match, those are the page (see ``DENSE``).

    ``first``: the first batch's rows, read already (every hit there, fewer than ``n``)."""
    direction = "DESC" if descending else "ASC"
    batches = list(_batches(table, parts, descending))
    if first is not None and (len(first) >= n or len(batches) == 1):
        return list(first[:n])
    if walk > 0:
        in_range, bounds = _in_range(f"d.{id_col}", *batches[0])
        walked = (
            f"SELECT d.{id_col}{columns} FROM (SELECT * FROM {table} AS d WHERE TRUE{in_range} "
            f"ORDER BY d.{id_col} {direction} LIMIT ?) AS d WHERE {where} "
            f"ORDER BY d.{id_col} {direction} LIMIT ?"
        )
        page = backend.rows(walked, (*bounds, walk, *params, n))
        if len(page) >= n:
            return page
    found: list[tuple[Any, ...]] = list(first or ())
    for i, (low, high) in enumerate(batches):
        if i == 0 and first is not None:
            continue  # (read already)
        if i == len(batches) - 1:  # the rest: the whole index, the ranges read above included
            low, high, found = 0, _NO_ID, []
        in_range, bounds = _in_range(f"d.{id_col}", low, high)
        sql = (
            f"SELECT d.{id_col}{columns} FROM {table} AS d WHERE {where}{in_range} "
            f"ORDER BY d.{id_col} + 0 {direction} LIMIT ?"
        )
        # Only the whole index's statement is prepared: planned over every partition it took
        # ~1 ms each time, and any plan of it is the same (each partition's codes index);
        # a range's plan depends on its bounds (a generic one walked the primary key: 28 ms).
        read = backend.rows if in_range else backend.prepared_rows
        found += read(sql, (*params, *bounds, n - len(found)))
        if len(found) >= n:
            break
    return found


def _in_range(column: str, low: int, high: int) -> tuple[str, list[int]]:
    """`` AND low <= column < high`` and its parameters, without the bounds every id meets.

    A bound is left out where it cannot narrow: PostgreSQL plans each partition the range
    holds, weighing its primary key for the range, and 15 partitions took 0.95 ms to plan
    with the range and 0.32 ms without. So the last batch of :func:`first_rows` (and the
    count of :func:`_first_ad_ids`) asks the whole index, the newer partitions read again:
    the hits there were too few to matter."""
    sql, bounds = "", []
    if low > 0:
        sql, bounds = f" AND {column} >= ?", [low]
    if high < _NO_ID:
        sql, bounds = f"{sql} AND {column} < ?", [*bounds, high]
    return sql, bounds


def _batches(table: str, parts: list[int], descending: bool) -> Iterator[tuple[int, int]]:
    """Id ranges of 1, 4, 16 … of the partitions ``parts`` of ``table`` from the newest (the
    oldest when not ``descending``). Each range's query reads its partitions' index entries for
    every code of the query, so a rare query pays for each range once more: hence few, growing
    quickly.

    The ranges meet end to end and together hold every id (the newest is open-ended, the
    oldest starts at 0): a partition missing from ``parts`` (another desk added it since the
    list was read) is still searched."""
    parts = sorted(parts, reverse=descending)
    batches: list[list[int]] = []
    start, size = 0, 1
    while start < len(parts):
        if len(parts) - (start + size) < size // 2:
            size = len(parts) - start  # (a few left: in this range, not a query of their own)
        batches.append(parts[start : start + size])
        start, size = start + size, size * 4
    if not batches:
        yield 0, _NO_ID  # (no partition known yet: one range, every id)
        return
    edge = _NO_ID if descending else 0  # where the previous range ended
    for i, batch in enumerate(batches):
        if descending:
            low = 0 if i == len(batches) - 1 else _bounds(min(batch), table)[0]
            yield low, edge
            edge = low
        else:
            high = _NO_ID if i == len(batches) - 1 else _bounds(max(batch), table)[1]
            yield edge, high
            edge = high
