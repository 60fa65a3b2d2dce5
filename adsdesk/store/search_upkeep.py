"""Keeping the search index in step with edits: apply what the triggers recorded."""

from __future__ import annotations

import sqlite3

from adsdesk.chunks import chunks
from adsdesk.store.search_schema import AD_KIND, ADV_KIND, connection, sqlite_bound
from adsdesk.store.search_text import Docs, ad_docs, advertiser_docs

_BATCH = 5000


_TEXT_COLUMNS = {"ad": "title, body, cat", "adv": "name, address, initials, pinyin"}


def write_docs(con: sqlite3.Connection, docs: Docs, delete: bool = False) -> None:
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


def pending_count(con: sqlite3.Connection | None = None) -> int:
    return int(connection(con).execute("SELECT count(*) FROM search_pending").fetchone()[0])


def sync_index(con: sqlite3.Connection | None = None) -> int:
    """Apply the recorded inserts, edits and deletes to the text index; returns rows applied.

    Call inside a transaction (``save_ad`` does); searches call it first when work is pending.
    """
    if con is None and not sqlite_bound():
        return 0
    c = connection(con)
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
            write_docs(c, make([(r[1], r[3], r[4], r[5]) for r in mine if r[2]]), delete=True)
            ids = [r[1] for r in mine]
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                current = c.execute(
                    f"SELECT id, {fields} FROM {table} WHERE id IN ({marks})", chunk
                ).fetchall()
                write_docs(c, make(current))
                c.execute(
                    f"DELETE FROM search_pending WHERE kind = ? AND id IN ({marks})",
                    (kind, *chunk),
                )
        done += len(rows)
