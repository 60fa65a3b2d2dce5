"""The search index: n-gram and trigram FTS5 tables over ads and advertisers, kept in step.

Layout (schema step v3):

- ``search_ad_gram`` / ``search_adv_gram``: contentless FTS5 (``detail=none``) whose one
  document per ad/advertiser lists every distinct 1- and 2-character substring of each field,
  hex-encoded. A one- or two-character query is one posting list: exact, no verification.
- ``search_ad_text`` / ``search_adv_text``: contentless FTS5 trigram tables (case-sensitive on
  normalised text). A query of three or more characters is one phrase: exact substring.
- An ad's category is one more token in both ad tables (``k12`` / ``k12k``), so a category
  filter is an AND inside the full-text query rather than a lookup per hit.
- ``search_ad``: one row per ad with its category, advertiser and first/last insertion date,
  kept by SQL triggers; indexed so lists sort by date and filter without touching ``ad``.
- ``search_pending``: triggers on ``ad`` and ``advertiser`` record every insert, edit and
  delete (with the old text) so that :func:`sync_index` can bring the FTS tables up to date,
  whatever code path changed the rows. ``save_ad`` / ``delete_ad`` call it in their transaction.
- Expression indexes on the last four digits of ``ad_phone`` / ``advertiser_phone`` numbers
  serve "the number ending 7373"; ``insertion(date, ad_id)`` serves date filters.

Text is normalised the same way for documents and queries (:func:`normalise`): full-width
ASCII to half-width, ASCII letters to lower case, every whitespace or control character to a
space. The mapping keeps the length, so offsets found in normalised text fit the original.
Changing the tokens or the normalisation needs a schema step that calls ``rebuild_index``:
deleting from a contentless FTS5 table means presenting exactly the tokens once inserted.
"""

from __future__ import annotations

import operator
import re
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from peewee import Database, SqliteDatabase

from adsdesk.store.models import db

INDEX_VERSION = 1  # bump with any change to tokens or normalisation (and add a rebuild step)
AD_KIND, ADV_KIND = 0, 1
_BATCH = 5000

# --------------------------------------------------------------------------- normalisation


def _norm_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII
    table.update({cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})
    table.update({cp: cp - 0xFEE0 + 32 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ → a-z
    for cp in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        table[cp] = 0x20
    for cp in range(0x3001):
        if chr(cp).isspace():
            table[cp] = 0x20
    for cp in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF):
        table[cp] = 0x20
    return table


_NORM = _norm_table()


_NEEDS_NORM = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_NORM) if cp != 0x20) + "]"
)


def normalise(text: str) -> str:
    """The form both documents and queries are searched in; same length as ``text``."""
    if _NEEDS_NORM.search(text) is None:  # most ad text: nothing to map, skip the slow translate
        return text
    return text.translate(_NORM)


def _hex_grams(fields: Iterable[str]) -> str:
    """The gram document: every distinct 1- and 2-character substring of each field."""
    grams: set[str] = set()
    for f in fields:
        grams.update(f)
        grams.update(map(operator.add, f, f[1:]))
    return " ".join(map(bytes.hex, map(str.encode, grams)))


def gram_token(gram: str) -> str:
    """The index token of a normalised 1- or 2-character query."""
    return gram.encode().hex()


def category_token(category_id: int) -> str:
    """The gram-index token of an ad's category ("k" never occurs in hex tokens)."""
    return f"k{category_id}"


def category_marker(category_id: int) -> str:
    """The text of the trigram index's ``cat`` column (matched as a whole phrase)."""
    return f"k{category_id}k"


# --------------------------------------------------------------------------- pinyin


@lru_cache(maxsize=1)
def _pinyin_tables() -> tuple[dict[str, list[str]], dict[int, str], int]:
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    phrases = {k: [r[0] for r in v] for k, v in phrases_dict.items()}
    return phrases, pinyin_dict, max(map(len, phrases))


def warm_up() -> None:
    """Load the pinyin dictionaries now (about 0.3 s) rather than on the first advertiser."""
    _pinyin_tables()
    pinyin_forms("大同")


@lru_cache(maxsize=4096)
def _plain(syllable: str) -> str:
    from pypinyin.contrib.tone_convert import to_normal

    return str(to_normal(syllable))


def pinyin_forms(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 大同和平医院 → ("dthpyy", "datonghepingyiyuan").

    Phrases from pypinyin's dictionary decide heteronyms (银行 → yinhang); other characters
    take their first reading. Letters and digits are kept (lower case); the rest is dropped.
    """
    phrases, chars, longest = _pinyin_tables()
    text = normalise(name)
    initials: list[str] = []
    full: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(longest, n - i), 1, -1):
            readings = phrases.get(text[i : i + size])
            if readings is not None:
                for r in readings:
                    p = _plain(r)
                    initials.append(p[:1])
                    full.append(p)
                i += size
                break
        else:
            ch = text[i]
            reading = chars.get(ord(ch))
            if reading is not None:
                p = _plain(reading.split(",", 1)[0])
                initials.append(p[:1])
                full.append(p)
            elif ch.isascii() and ch.isalnum():
                initials.append(ch)
                full.append(ch)
            i += 1
    return "".join(initials), "".join(full)


# --------------------------------------------------------------------------- documents


def ad_fields(title: str, body: str) -> tuple[str, str]:
    return normalise(title), normalise(body)


def advertiser_fields(name: str, address: str) -> tuple[str, str, str, str]:
    initials, full = pinyin_forms(name)
    return normalise(name), normalise(address), initials, full


# --------------------------------------------------------------------------- schema

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


def _con(con: sqlite3.Connection | None) -> sqlite3.Connection:
    return con if con is not None else db.connection()


def create_triggers(con: sqlite3.Connection | None = None) -> None:
    c = _con(con)
    for name, body in _TRIGGERS.items():
        c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_triggers(con: sqlite3.Connection | None = None) -> None:
    c = _con(con)
    for name in _TRIGGERS:
        c.execute(f"DROP TRIGGER IF EXISTS {name}")


def _sqlite_bound() -> bool:
    return isinstance(db.obj, SqliteDatabase)


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
    _rebuild(con)


# --------------------------------------------------------------------------- upkeep


Row = tuple[Any, ...]
Docs = tuple[str, list[Row], list[Row]]  # (kind, trigram rows, gram rows)


def ad_docs(rows: Sequence[Row]) -> Docs:
    """Index rows for ads given as (id, title, body, category id). Pure: runs in a helper too."""
    text_rows, gram_rows = [], []
    for ad_id, title, body, category in rows:
        t, b = ad_fields(title or "", body or "")
        grams = _hex_grams((t, b))
        if category is None:
            text_rows.append((ad_id, t, b, ""))
        else:
            text_rows.append((ad_id, t, b, category_marker(category)))
            grams = f"{grams} {category_token(category)}"
        gram_rows.append((ad_id, grams))
    return "ad", text_rows, gram_rows


def advertiser_docs(rows: Sequence[Row]) -> Docs:
    """Index rows for advertisers given as (id, name, address, …)."""
    text_rows = [(row[0], *advertiser_fields(row[1] or "", row[2] or "")) for row in rows]
    return "adv", text_rows, [(r[0], _hex_grams(r[1:])) for r in text_rows]


_TEXT_COLUMNS = {"ad": "title, body, cat", "adv": "name, address, initials, pinyin"}


def _write(con: sqlite3.Connection, docs: Docs, delete: bool = False) -> None:
    kind, text_rows, gram_rows = docs
    if not gram_rows:
        return
    cols = _TEXT_COLUMNS[kind]
    marks = ", ".join("?" * (cols.count(",") + 1))
    text, gram = f"search_{kind}_text", f"search_{kind}_gram"
    if delete:
        con.executemany(
            f"INSERT INTO {text} ({text}, rowid, {cols}) VALUES ('delete', ?, {marks})", text_rows
        )
        con.executemany(
            f"INSERT INTO {gram} ({gram}, rowid, grams) VALUES ('delete', ?, ?)", gram_rows
        )
    else:
        con.executemany(f"INSERT INTO {text} (rowid, {cols}) VALUES (?, {marks})", text_rows)
        con.executemany(f"INSERT INTO {gram} (rowid, grams) VALUES (?, ?)", gram_rows)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def pending_count(con: sqlite3.Connection | None = None) -> int:
    return int(_con(con).execute("SELECT count(*) FROM search_pending").fetchone()[0])


def sync_index(con: sqlite3.Connection | None = None) -> int:
    """Apply the recorded inserts, edits and deletes to the text index; returns rows applied.

    Call inside a transaction (``save_ad`` does); searches call it first when work is pending.
    """
    if con is None and not _sqlite_bound():
        return 0
    c = _con(con)
    done = 0
    while True:
        rows = c.execute(
            "SELECT kind, id, indexed, old_a, old_b, old_c FROM search_pending LIMIT ?", (_BATCH,)
        ).fetchall()
        if not rows:
            return done
        for kind, table, fields, make in (
            (AD_KIND, "ad", "title, body, category_id", ad_docs),
            (ADV_KIND, "advertiser", "name, address", advertiser_docs),
        ):
            mine = [r for r in rows if r[0] == kind]
            if not mine:
                continue
            _write(c, make([(r[1], r[3], r[4], r[5]) for r in mine if r[2]]), delete=True)
            ids = [r[1] for r in mine]
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                current = c.execute(
                    f"SELECT id, {fields} FROM {table} WHERE id IN ({marks})", chunk
                ).fetchall()
                _write(c, make(current))
                c.execute(
                    f"DELETE FROM search_pending WHERE kind = ? AND id IN ({marks})",
                    (kind, *chunk),
                )
        done += len(rows)


_FTS_TABLES = ("search_ad_gram", "search_ad_text", "search_adv_gram", "search_adv_text")


def _docs_stream(con: sqlite3.Connection, workers: int) -> Iterator[Docs]:
    """Index rows for every ad and advertiser, batch by batch; ``workers`` helper processes
    compute them while this process writes (the reads stay on this thread)."""
    sources = (
        ("SELECT id, title, body, category_id FROM ad ORDER BY id", ad_docs),
        ("SELECT id, name, address FROM advertiser ORDER BY id", advertiser_docs),
    )
    if workers <= 0:
        for sql, make in sources:
            reader = con.cursor()  # its own cursor: the writes must not reset it
            reader.execute(sql)
            while batch := reader.fetchmany(_BATCH):
                yield make(batch)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        queue: deque[Any] = deque()
        for sql, make in sources:
            reader = con.cursor()
            reader.execute(sql)
            while batch := reader.fetchmany(_BATCH):
                queue.append(pool.apply_async(make, (batch,)))
                if len(queue) > 2 * workers:
                    yield queue.popleft().get()
        while queue:
            yield queue.popleft().get()


def _rebuild(con: sqlite3.Connection, workers: int = 0) -> None:
    for table in _FTS_TABLES:
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
        con.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 16)")
    con.execute("DELETE FROM search_pending")
    con.execute("DELETE FROM search_ad")
    con.execute(
        "INSERT INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
        "SELECT ad.id, ad.category_id, ad.advertiser_id, min(i.date), max(i.date) "
        "FROM ad LEFT JOIN insertion AS i ON i.ad_id = ad.id GROUP BY ad.id"
    )
    for docs in _docs_stream(con, workers):
        _write(con, docs)
    for table in _FTS_TABLES:  # one segment per table; then back to SQLite's default merging
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        con.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")


def rebuild_index(con: sqlite3.Connection | None = None, workers: int = 0) -> None:
    """Throw the index away and build it again from every ad and advertiser, in one transaction.

    ``workers`` > 0 computes the index rows in that many helper processes (for the command
    line and the benchmark; the desk itself rebuilds in its database thread with 0).
    """
    if con is not None:
        con.execute("BEGIN")
        try:
            _rebuild(con, workers)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        return
    with db.atomic():
        _rebuild(db.connection(), workers)


@contextmanager
def bulk_load(con: sqlite3.Connection, workers: int = 1) -> Iterator[None]:
    """Load many rows without per-row index upkeep, then rebuild the index once."""
    drop_triggers(con)
    try:
        yield
    finally:
        create_triggers(con)
    rebuild_index(con, workers)


# --------------------------------------------------------------------------- bulk adds


@contextmanager
def triggers_suspended(con: sqlite3.Connection | None = None) -> Iterator[None]:
    """Drop the upkeep triggers for a bulk insert of NEW rows, then put them back.

    Call inside the caller's transaction: SQLite's DDL is transactional, so a rollback (an
    error, a cancelled import) restores the triggers too. Rows inserted meanwhile are not in
    the index: pass their ids to :func:`index_new_rows` before the transaction ends.
    """
    if con is None and not _sqlite_bound():
        yield
        return
    c = _con(con)
    drop_triggers(c)
    try:
        yield
    finally:
        create_triggers(c)


_NEW_AD_ROWS = (
    "INSERT OR REPLACE INTO search_ad (ad_id, category_id, advertiser_id, first_date, last_date) "
    "SELECT ad.id, ad.category_id, ad.advertiser_id, min(i.date), max(i.date) "
    "FROM ad LEFT JOIN insertion AS i ON i.ad_id = ad.id WHERE ad.id IN ({}) GROUP BY ad.id"
)
_QUEUED = 64  # document batches in flight before the writer waits for the helpers
_DOC_SOURCES = {"ad": "title, body, category_id", "advertiser": "name, address"}


class NewRowsIndexer:
    """Writes the text-index documents of NEW ads and advertisers (nothing to delete first).

    With ``workers`` > 0 the documents are built in helper processes while this one goes on
    (inserting more rows, writing finished documents); use it as a context manager so the
    helpers stop on an error, and call :meth:`finish` before the transaction ends.
    """

    def __init__(self, con: sqlite3.Connection | None = None, workers: int = 0) -> None:
        self.con = _con(con)
        self.workers = workers
        self._pool: Any = None
        self._queue: deque[Any] = deque()

    def __enter__(self) -> NewRowsIndexer:
        if self.workers > 0:
            import multiprocessing

            try:
                self._pool = multiprocessing.get_context("spawn").Pool(self.workers)
            except OSError:  # no helper processes here: build the documents in this one
                self._pool = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._queue.clear()

    def ads(self, rows: Sequence[Row]) -> None:
        """New ads given as (id, title, body, category id)."""
        self._add(ad_docs, rows)

    def advertisers(self, rows: Sequence[Row]) -> None:
        """New advertisers given as (id, name, address)."""
        self._add(advertiser_docs, rows)

    def by_id(self, table: str, ids: Sequence[int]) -> None:
        """New rows of ``ad`` or ``advertiser`` read back by id."""
        fields = _DOC_SOURCES[table]
        add = self.ads if table == "ad" else self.advertisers
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            add(
                self.con.execute(
                    f"SELECT id, {fields} FROM {table} WHERE id IN ({marks})", chunk
                ).fetchall()
            )

    def pending_advertisers(self) -> None:
        """Take over the advertisers recorded as new in ``search_pending`` (by the trigger)."""
        ids = [
            r[0]
            for r in self.con.execute(
                "SELECT id FROM search_pending WHERE kind = ? AND indexed = 0", (ADV_KIND,)
            ).fetchall()
        ]
        self.by_id("advertiser", ids)
        for chunk in _chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            self.con.execute(
                f"DELETE FROM search_pending WHERE kind = ? AND id IN ({marks})", (ADV_KIND, *chunk)
            )

    def _add(self, make: Any, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self._pool is None:
            _write(self.con, make(rows))
            return
        self._queue.append(self._pool.apply_async(make, (list(rows),)))
        while self._queue and (self._queue[0].ready() or len(self._queue) > _QUEUED):
            _write(self.con, self._queue.popleft().get())

    def search_ad(self, rows: Sequence[Row]) -> None:
        """``search_ad`` rows of new ads: (id, category id, advertiser id, first, last date),
        the dates as stored in ``insertion`` (or None)."""
        self.con.executemany(
            "INSERT OR REPLACE INTO search_ad "
            "(ad_id, category_id, advertiser_id, first_date, last_date) VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    def finish(self) -> None:
        while self._queue:
            _write(self.con, self._queue.popleft().get())


def index_search_ad(ad_ids: Sequence[int], con: sqlite3.Connection | None = None) -> None:
    """The ``search_ad`` rows (category, advertiser, dates) of ads added without triggers."""
    c = _con(con)
    for chunk in _chunks(list(ad_ids), 900):
        c.execute(_NEW_AD_ROWS.format(",".join("?" * len(chunk))), chunk)


def index_new_rows(
    ad_ids: Sequence[int],
    advertiser_ids: Sequence[int] = (),
    con: sqlite3.Connection | None = None,
    workers: int = 0,
) -> None:
    """Index ads and advertisers added while :func:`triggers_suspended` (set-based; new rows
    only: nothing is deleted first). ``workers`` > 0 builds the documents in that many helper
    processes while this one writes. Call inside the transaction that added them."""
    if con is None and not _sqlite_bound():
        return
    index_search_ad(ad_ids, con)
    with NewRowsIndexer(con, workers) as indexer:
        indexer.by_id("ad", ad_ids)
        indexer.by_id("advertiser", advertiser_ids)
        indexer.finish()
