"""Ids are never given out twice, not after a delete and not after a restore.

An ad's id is printed on proofs and receipts and referenced by layout choices, bookings and
the audit; a second ad under the same id would inherit all of them. On SQLite a plain
``INTEGER PRIMARY KEY`` takes max(id) + 1, so deleting the newest ad, or restoring an older
backup, handed its id out again. The tables below are rebuilt as ``AUTOINCREMENT`` (SQLite then
never goes below the highest id it ever gave, kept in ``sqlite_sequence``), and a restore
raises that mark to what the replaced file had reached. PostgreSQL sequences never go back:
nothing to do there.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from peewee import Database, SqliteDatabase

KEEP_IDS: tuple[str, ...] = ("ad", "advertiser")
_ID_COLUMN = re.compile(r'("id"\s+INTEGER\s+NOT\s+NULL\s+PRIMARY\s+KEY)(?!\s+AUTOINCREMENT)', re.I)


def needs_foreign_keys_off(database: Database) -> bool:
    """The rebuild must run with foreign keys off (a table rename would rewrite references)."""
    return isinstance(database, SqliteDatabase)


def install(database: Database) -> None:
    """Schema step: rebuild ``KEEP_IDS`` tables with AUTOINCREMENT (SQLite only).

    Runs inside the migration's transaction with foreign keys off; the rows, their ids, the
    table's indexes and triggers (search upkeep) are kept exactly.
    """
    if not isinstance(database, SqliteDatabase):
        return
    for table in KEEP_IDS:
        _rebuild_autoincrement(database, table)


def _rebuild_autoincrement(database: Database, table: str) -> None:
    row = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
    ).fetchone()
    if row is None or "AUTOINCREMENT" in row[0].upper():
        return
    create, count = _ID_COLUMN.subn(r"\1 AUTOINCREMENT", row[0], count=1)
    if count != 1:
        raise RuntimeError(f"table {table}: no INTEGER PRIMARY KEY id column to keep")
    extras = [
        r[0]
        for r in database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name=? AND type IN ('index','trigger') "
            "AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        )
    ]
    columns = ", ".join(f'"{r[1]}"' for r in database.execute_sql(f'PRAGMA table_info("{table}")'))
    old = f"{table}__before_autoincrement"
    # Legacy rename (with foreign keys off) leaves the other tables' references and triggers
    # naming "table", which is the rebuilt table a moment later.
    database.execute_sql("PRAGMA legacy_alter_table=ON")
    try:
        database.execute_sql(f'ALTER TABLE "{table}" RENAME TO "{old}"')
        database.execute_sql(create)
        database.execute_sql(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{old}"')
        database.execute_sql(f'DROP TABLE "{old}"')
        for sql in extras:
            database.execute_sql(sql)
    finally:
        database.execute_sql("PRAGMA legacy_alter_table=OFF")
    floor = read_floor_meta(database, table)
    if floor:
        raise_sequence(database.connection(), {table: floor})


# --- the high-water mark across a restore ---------------------------------------------------
def high_water(con: sqlite3.Connection, tables: Iterable[str] = KEEP_IDS) -> dict[str, int]:
    """The highest id each table has given out (best effort on a damaged file)."""
    marks: dict[str, int] = {}
    for table in tables:
        best = 0
        queries: list[tuple[str, tuple[object, ...]]] = [
            ("SELECT seq FROM sqlite_sequence WHERE name=?", (table,)),
            (f'SELECT max(id) FROM "{table}"', ()),
            ("SELECT value FROM meta_info WHERE key=?", (_key(table),)),
        ]
        for sql, args in queries:
            try:
                value = con.execute(sql, args).fetchone()
            except sqlite3.Error:
                continue  # a damaged or older file: take what can be read
            if value and value[0] is not None:
                try:
                    best = max(best, int(value[0]))
                except (TypeError, ValueError):
                    continue
        if best:
            marks[table] = best
    return marks


def _key(table: str) -> str:
    return f"id_floor.{table}"


def read_floor_meta(database: Database, table: str) -> int:
    try:
        row = database.execute_sql(
            "SELECT value FROM meta_info WHERE key=?", (_key(table),)
        ).fetchone()
    except Exception:
        return 0
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def raise_sequence(con: sqlite3.Connection, marks: dict[str, int]) -> None:
    """Make every next id of these tables higher than ``marks`` (inside the caller's
    transaction). Tables not yet AUTOINCREMENT (an older backup) keep the mark in meta_info,
    where the rebuild step picks it up."""
    has_sequence = (
        con.execute("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'").fetchone()
        is not None
    )
    for table, mark in marks.items():
        con.execute(
            "INSERT INTO meta_info (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value "
            "WHERE CAST(excluded.value AS INTEGER) > CAST(meta_info.value AS INTEGER)",
            (_key(table), str(mark)),
        )
        if not has_sequence:
            continue
        updated = con.execute(
            "UPDATE sqlite_sequence SET seq=? WHERE name=? AND seq < ?", (mark, table, mark)
        ).rowcount
        exists = con.execute("SELECT 1 FROM sqlite_sequence WHERE name=?", (table,)).fetchone()
        if not updated and exists is None:
            con.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, mark))
