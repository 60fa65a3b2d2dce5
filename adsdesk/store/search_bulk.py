"""Building the search index in bulk: a full rebuild, and indexing many new rows at once."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from adsdesk.chunks import chunks
from adsdesk.lifeline import pool_args
from adsdesk.store.models import db
from adsdesk.store.search_schema import (
    ADV_KIND,
    connection,
    create_triggers,
    drop_triggers,
    sqlite_bound,
)
from adsdesk.store.search_text import (
    Docs,
    Row,
    ad_docs,
    ad_docs_from_parts,
    advertiser_docs,
    advertiser_docs_from_parts,
)
from adsdesk.store.search_upkeep import write_docs

_BATCH = 5000


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

    with multiprocessing.get_context("spawn").Pool(workers, **pool_args()) as pool:
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


def rebuild_in(con: sqlite3.Connection, workers: int = 0) -> None:
    """Rebuild the whole index on ``con`` inside the caller's transaction."""
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
        write_docs(con, docs)
    for table in _FTS_TABLES:  # one segment per table; then back to SQLite's default merging
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        con.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")


def rebuild_index(con: sqlite3.Connection | None = None, workers: int = 0) -> None:
    """Throw the index away and build it again from every ad and advertiser, in one transaction.

    ``workers`` > 0 computes the index rows in that many helper processes (for the command
    line and the benchmark; the desk itself rebuilds in its database thread with 0).
    """
    if con is not None:
        con.execute("BEGIN IMMEDIATE")  # a write: take the lock before the first read
        try:
            rebuild_in(con, workers)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        return
    with db.atomic():
        rebuild_in(db.connection(), workers)


@contextmanager
def bulk_load(con: sqlite3.Connection, workers: int = 1) -> Iterator[None]:
    """Load many rows without per-row index upkeep, then rebuild the index once."""
    drop_triggers(con)
    try:
        yield
    finally:
        create_triggers(con)
    rebuild_index(con, workers)


@contextmanager
def triggers_suspended(con: sqlite3.Connection | None = None) -> Iterator[None]:
    """Drop the upkeep triggers for a bulk insert of NEW rows, then put them back.

    Call inside the caller's transaction: SQLite's DDL is transactional, so a rollback (an
    error, a cancelled import) restores the triggers too. Rows inserted meanwhile are not in
    the index: pass their ids to :func:`index_new_rows` before the transaction ends.
    """
    if con is None and not sqlite_bound():
        yield
        return
    c = connection(con)
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
        self.con = connection(con)
        self.workers = workers
        self._pool: Any = None
        self._queue: deque[Any] = deque()

    def __enter__(self) -> NewRowsIndexer:
        if self.workers > 0:
            import multiprocessing

            try:
                self._pool = multiprocessing.get_context("spawn").Pool(self.workers, **pool_args())
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

    def ad_documents(self, rows: Sequence[Row]) -> None:
        """New ads whose text was prepared elsewhere: (id, *``ad_doc_parts``, category id)."""
        if rows:
            write_docs(self.con, ad_docs_from_parts(rows))

    def advertisers(self, rows: Sequence[Row]) -> None:
        """New advertisers given as (id, name, address)."""
        self._add(advertiser_docs, rows)

    def advertiser_documents(self, rows: Sequence[Row]) -> None:
        """New advertisers whose text was prepared elsewhere: (id, *``advertiser_doc_parts``)."""
        if rows:
            write_docs(self.con, advertiser_docs_from_parts(rows))

    def by_id(self, table: str, ids: Sequence[int]) -> None:
        """New rows of ``ad`` or ``advertiser`` read back by id."""
        fields = _DOC_SOURCES[table]
        add = self.ads if table == "ad" else self.advertisers
        for chunk in chunks(list(ids), 900):
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
        for chunk in chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            self.con.execute(
                f"DELETE FROM search_pending WHERE kind = ? AND id IN ({marks})", (ADV_KIND, *chunk)
            )

    def _add(self, make: Any, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self._pool is None:
            write_docs(self.con, make(rows))
            return
        self._queue.append(self._pool.apply_async(make, (list(rows),)))
        while self._queue and (self._queue[0].ready() or len(self._queue) > _QUEUED):
            write_docs(self.con, self._queue.popleft().get())

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
            write_docs(self.con, self._queue.popleft().get())


def index_search_ad(ad_ids: Sequence[int], con: sqlite3.Connection | None = None) -> None:
    """The ``search_ad`` rows (category, advertiser, dates) of ads added without triggers."""
    c = connection(con)
    for chunk in chunks(list(ad_ids), 900):
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
    if con is None and not sqlite_bound():
        return
    index_search_ad(ad_ids, con)
    with NewRowsIndexer(con, workers) as indexer:
        indexer.by_id("ad", ad_ids)
        indexer.by_id("advertiser", advertiser_ids)
        indexer.finish()
