"""The search index behind one small interface, whichever database is bound.

SQLite keeps FTS5 tables (``search_schema``); PostgreSQL keeps gram arrays under a GIN index
(``search_pg``). Both find exactly the ads a substring scan finds; the query planner in
``search_plan`` asks this module for the text condition and never names a backend.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from peewee import Database

from adsdesk.chunks import chunks
from adsdesk.store.backend import is_postgres


class TextMatch(NamedTuple):
    """SQL finding the rows that hold a text: ``SELECT {id_col} FROM {source} WHERE {where}``."""

    source: str
    where: str
    params: list[object]
    id_col: str


_MARKER_CHARS = frozenset("k0123456789")  # what the ``cat`` column's markers (k12k) are made of


def text_match(text: str, kind: str, category_id: int | None = None) -> TextMatch:
    """Ads (``kind`` "ad") or advertisers ("adv") holding the normalised, non-empty ``text``;
    ads optionally only in one category (part of the same index lookup)."""
    if is_postgres():
        from adsdesk.store import search_pg

        return TextMatch(*search_pg.text_match(text, kind, category_id))
    from adsdesk.store.search_text import (
        DIGITS_4,
        category_marker,
        category_token,
        digits_token,
        gram_token,
    )

    if len(text) <= 2 or DIGITS_4.fullmatch(text):
        match = f'"{digits_token(text) if len(text) == 4 else gram_token(text)}"'
        if category_id is not None and kind == "ad":
            match += f' AND "{category_token(category_id)}"'
        table = f"search_{kind}_gram"
    else:
        table = f"search_{kind}_text"
        match = '"' + text.replace('"', '""') + '"'
        if kind == "ad":
            if set(text) <= _MARKER_CHARS:  # else it cannot occur in ``cat`` (a bit quicker)
                match = "{title body} : " + match
            if category_id is not None:
                match += f' AND cat : "{category_marker(category_id)}"'
    return TextMatch(table, f"{table} MATCH ?", [match], f"{table}.rowid")


def newest(tm: TextMatch, n: int) -> list[int]:
    """The ``n`` highest ids among the advertisers ``tm`` finds, highest first."""
    from adsdesk.store.backend import rows

    if is_postgres():
        from adsdesk.store import search_pg

        return search_pg.newest_ids(tm.where, tm.params, n)
    sql = f"SELECT {tm.id_col} FROM {tm.source} WHERE {tm.where} ORDER BY {tm.id_col} DESC LIMIT ?"
    return [r[0] for r in rows(sql, (*tm.params, n))]


LONG_TEXT = 7  # from this length an advertiser query is looked up by three of its trigrams
LONG_CANDIDATES = 100  # … and checked one by one, unless more advertisers hold those
LONG_FORWARD = 2_000  # … else all phrase matches in rowid order, unless there are more


def advertiser_ids(text: str, limit: int) -> list[int]:
    """The newest ``limit`` advertisers whose name, address, pinyin initials or full pinyin
    holds the normalised, non-empty ``text``."""
    from adsdesk.store.backend import rows

    tm = text_match(text, "adv")
    if not is_postgres() and len(text) >= LONG_TEXT:
        found = _long_advertiser_ids(text)
        if found is None:
            # Many hold the trigrams: the phrase, in rowid order (FTS5 reads backwards slowly).
            sql = f"SELECT {tm.id_col} FROM {tm.source} WHERE {tm.where} LIMIT ?"
            found = [r[0] for r in rows(sql, (*tm.params, LONG_FORWARD + 1))]
        if len(found) <= LONG_FORWARD:
            return sorted(found, reverse=True)[:limit]
    return newest(tm, limit)


_COMMON = frozenset("aeiounghr")  # the letters most pinyin syllables share (ang, eng, ing …)


def _rare_trigrams(text: str, k: int = 3) -> list[str]:
    """Up to ``k`` trigrams of ``text`` that do not overlap, fewest common letters first."""
    chosen: list[int] = []
    for i in sorted(
        range(len(text) - 2), key=lambda i: (sum(c in _COMMON for c in text[i : i + 3]), i)
    ):
        if all(abs(i - j) >= 3 for j in chosen):
            chosen.append(i)
            if len(chosen) == k:
                break
    return [text[i : i + 3] for i in sorted(chosen)]


def _long_advertiser_ids(text: str) -> list[int] | None:
    """A long query (full pinyin, mostly: ``hepingyiyuan``) as a phrase makes FTS5 walk the
    postings of each of its trigrams, many of them common (``ang``, ``eng``): a few ms. Three
    of its trigrams, the rarest-looking, narrow the advertisers about as well; those few are
    then checked for the whole text. None when more than ``LONG_CANDIDATES`` hold them."""
    from adsdesk.store.backend import rows
    from adsdesk.store.search_text import advertiser_fields

    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in _rare_trigrams(text))
    ids = [
        r[0]
        for r in rows(
            "SELECT rowid FROM search_adv_text WHERE search_adv_text MATCH ? LIMIT ?",
            (match, LONG_CANDIDATES + 1),
        )
    ]
    if len(ids) > LONG_CANDIDATES:
        return None
    out: list[int] = []
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        for i, name, address in rows(
            f"SELECT id, name, address FROM advertiser WHERE id IN ({marks})", chunk
        ):
            if any(text in f for f in advertiser_fields(name or "", address or "")):
                out.append(i)
    return out


def sync() -> int:
    """Bring the index up to date with every change recorded by the triggers (call inside the
    writing transaction); returns how many rows were applied."""
    if is_postgres():
        from adsdesk.store import search_pg

        return search_pg.sync()
    from adsdesk.store.search_upkeep import sync_index

    return sync_index()


def pending() -> int:
    """Changes recorded but not yet in the index."""
    if is_postgres():
        from adsdesk.store import search_pg

        return search_pg.pending_count()
    from adsdesk.store.search_upkeep import pending_count

    return pending_count()


_SYNC = threading.local()  # inside synced_once(): whether this search has synced already


def ensure_synced() -> None:
    """Apply edits made since the last sync (by any code path) before reading the index;
    inside :func:`synced_once`, only the first time."""
    from adsdesk.store.backend import rows
    from adsdesk.store.models import db

    if getattr(_SYNC, "done", None) is True:
        return
    if rows("SELECT 1 FROM search_pending LIMIT 1"):
        with db.atomic():
            sync()
    if getattr(_SYNC, "done", None) is False:
        _SYNC.done = True


@contextmanager
def synced_once() -> Iterator[None]:
    """One search (its advertisers, ads and total): the index is brought up to date once."""
    outer = getattr(_SYNC, "done", None)
    if outer is None:
        _SYNC.done = False
    try:
        yield
    finally:
        if outer is None:
            _SYNC.done = None


def rebuild(workers: int = 0) -> None:
    """Throw the index away and build it again from every ad and advertiser."""
    if is_postgres():
        from adsdesk.store import search_pg

        search_pg.rebuild(workers)
        return
    from adsdesk.store.search_bulk import rebuild_index

    rebuild_index(workers=workers)


def install(database: Database) -> None:
    """Create the index for the database being migrated (each backend its own tables)."""
    if is_postgres(database):
        from adsdesk.store import search_pg

        search_pg.install(database)
        return
    from adsdesk.store.search_schema import install as install_sqlite

    install_sqlite(database)
