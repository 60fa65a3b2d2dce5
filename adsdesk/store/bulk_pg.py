"""Bulk loading into PostgreSQL: rows through ``COPY … FROM STDIN``, indexes built once after.

Row by row, a million ads cost an INSERT each, a foreign-key check each (a query, and a lock
mark written on the referenced row) and one index entry per index each. ``COPY`` streams rows
in the server's own text format, and :func:`indexes_set_aside` drops the secondary indexes
and foreign keys of the tables being filled and puts them back once the rows are in: a sorted
index build, and one join per foreign key to check it. All inside the caller's transaction,
so a failure or a rollback leaves the tables, indexes and constraints as they were.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import Database

BUILD_MEMORY = "256MB"  # maintenance_work_mem for this transaction's index builds
_COPY_CHUNK = 8 << 20  # characters sent per COPY round trip

_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value: Any) -> str:
    """One value in COPY's text format (``\\N`` is NULL)."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return value.translate(_ESCAPES) if _SPECIAL.search(value) else value
    if value is None:
        return "\\N"
    if kind is Raw:
        return str(value.text)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(value).hex()
    return str(value).translate(_ESCAPES)


class _Decimal(dict[int, str]):
    """Integers as text, remembered (search codes repeat: a lookup is cheaper than ``str``)."""

    def __missing__(self, key: int) -> str:
        text = self[key] = str(key)
        return text


_DECIMAL = _Decimal()


def int_array(items: Iterable[int]) -> str:
    """An ``integer[]`` literal of ``items``, for COPY's text format."""
    if len(_DECIMAL) > 1_000_000:
        _DECIMAL.clear()
    return "{" + ",".join(map(_DECIMAL.__getitem__, items)) + "}"


def copy_rows(
    database: Database,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    freeze: bool = False,
) -> int:
    """Stream ``rows`` into ``table`` with one COPY per few megabytes; returns rows sent.

    Values are formatted by :func:`_field`, except those wrapped in :class:`Raw` (already in
    COPY's format, e.g. from :func:`int_array`). ``freeze``: the rows go in already frozen and
    visible to all (``COPY … FREEZE``), which PostgreSQL allows only for a table created or
    emptied (TRUNCATE) in the current (sub)transaction.
    """
    sent = 0

    def chunks() -> Iterator[str]:
        nonlocal sent
        lines: list[str] = []
        size = 0
        for row in rows:
            line = "\t".join(map(_field, row))
            lines.append(line)
            size += len(line)
            sent += 1
            if size >= _COPY_CHUNK:
                yield text_of(lines)
                lines, size = [], 0
        if lines:
            yield text_of(lines)

    copy_text(database, table, columns, chunks(), freeze)
    return sent


def text_of(lines: list[str]) -> str:
    """Lines (rows already joined by tabs) as a chunk of COPY input."""
    lines.append("")
    return "\n".join(lines)


def copy_lines(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as a chunk of COPY input (runs in a helper process too)."""
    return text_of(["\t".join(map(_field, row)) for row in rows])


def copy_text(
    database: Database, table: str, columns: Sequence[str], chunks: Iterable[str], freeze: bool
) -> None:
    """Send chunks of COPY input (from :func:`copy_lines`) to ``table``, one COPY each."""
    cursor = database.cursor()
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table}" ({quoted}) FROM STDIN' + (" WITH (FREEZE)" if freeze else "")
    for chunk in chunks:
        cursor.copy_expert(sql, io.StringIO(chunk))


class Raw:
    """A value already in COPY's text format (an array literal from :func:`int_array`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


@contextmanager
def indexes_set_aside(database: Database, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes and foreign keys of ``tables`` (and those pointing into
    them) for a bulk load; build them again afterwards. Primary keys stay. Call inside a
    transaction; when the body raises, nothing is rebuilt (the rollback restores them)."""
    names = list(tables)
    indexes = _rows(
        database,
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i "
        "JOIN pg_class AS t ON t.oid = i.indrelid "
        "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
        (names,),
    )
    foreign = _rows(
        database,
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint AS c WHERE c.contype = 'f' "
        "AND c.connamespace = current_schema()::regnamespace "
        "AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s))",
        (names, names),
    )
    for table, name, _ in foreign:
        database.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for index, _ in indexes:
        database.execute_sql(f"DROP INDEX {index}")
    yield
    database.execute_sql(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
    for _, definition in indexes:  # a partitioned table's index: build it on every partition
        database.execute_sql(definition.replace(" ON ONLY ", " ON ", 1))
    for table, name, definition in foreign:
        database.execute_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _rows(database: Database, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, tuple(params)).fetchall())
