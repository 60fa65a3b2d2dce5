"""What differs between SQLite and PostgreSQL in plain SQL, answered for the bound database.

Everything peewee can express runs one code path on both; the few hand-written queries use
``?`` placeholders and go through :func:`rows` / :func:`execute`, which adapt them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from peewee import Database, DatabaseError, Model, PostgresqlDatabase

from adsdesk.store.models import db

_QMARK = re.compile(r"\?")


def is_postgres(database: Database | None = None) -> bool:
    """True when ``database`` (default: the bound one) is a PostgreSQL server."""
    target = database if database is not None else db.obj
    return isinstance(target, PostgresqlDatabase)


def adapt(sql: str, database: Database | None = None) -> str:
    """``sql`` written with ``?`` placeholders, in the bound database's parameter style."""
    if not is_postgres(database):
        return sql
    return _QMARK.sub("%s", sql.replace("%", "%%"))


def execute(sql: str, params: Sequence[object] = ()) -> Any:
    """Run one ``?``-style statement on the bound database; returns the cursor."""
    return db.execute_sql(adapt(sql), tuple(params))


def rows(sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """All rows of one ``?``-style query on the bound database."""
    return list(execute(sql, params).fetchall())


# Per server connection: the statements (?-style) prepared on it, or None where prepared
# statements do not last (see prepared_rows). Weak: a closed connection's go with it.
_PREPARED: WeakKeyDictionary[Any, set[str] | None] = WeakKeyDictionary()
_GONE = "26000"  # invalid_sql_statement_name: no statement of that name on this session
_THERE = "42P05"  # duplicate_prepared_statement


def prepared_rows(sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """:func:`rows` for a statement run again and again with other values (a search's): on a
    server, planned once per connection (``PREPARE``, then ``EXECUTE``) instead of each time.

    A search's statements over the partitioned documents took the server 0.5-3 ms each to
    plan, as long as running them; a prepared one is planned again only when PostgreSQL sees
    a plan of its own fits the values better (or the tables changed). SQLite keeps its
    statements prepared by itself.

    Where the prepared statements vanish (a pooler resetting or sharing server sessions, as
    PgBouncer in transaction mode does) the statement is prepared again once, and if it is
    gone again this connection runs its statements unprepared from then on."""
    if not is_postgres():
        return rows(sql, params)
    connection = db.connection()
    prepared = _PREPARED.get(connection, set())
    if prepared is None:
        return rows(sql, params)
    _PREPARED[connection] = prepared
    for _attempt in range(2):
        try:
            return _execute_prepared(prepared, sql, params)
        except DatabaseError as exc:
            if _pgcode(exc) != _GONE or db.in_transaction():
                raise
            prepared.clear()  # (none of them is there any more)
    _PREPARED[connection] = None
    return rows(sql, params)


def _execute_prepared(
    prepared: set[str], sql: str, params: Sequence[object]
) -> list[tuple[Any, ...]]:
    name = "adsdesk_" + hashlib.sha1(sql.encode()).hexdigest()[:16]  # the same on any session
    if sql not in prepared:
        numbers = iter(range(1, len(params) + 1))
        text = _QMARK.sub(lambda _m: f"${next(numbers)}", sql)
        try:
            db.execute_sql(f"PREPARE {name} AS {text}".replace("%", "%%"), ())
        except DatabaseError as exc:  # prepared already on this session: the same statement
            if _pgcode(exc) != _THERE or db.in_transaction():
                raise
        prepared.add(sql)
    marks = f" ({', '.join(['%s'] * len(params))})" if params else ""
    return list(db.execute_sql(f"EXECUTE {name}{marks}", tuple(params)).fetchall())


def _pgcode(exc: BaseException) -> str | None:
    """The server's SQLSTATE of ``exc`` (peewee raises its own error while handling the
    driver's, which it keeps as the context)."""
    for candidate in (exc, exc.__cause__, exc.__context__, *exc.args):
        code = getattr(candidate, "pgcode", None)
        if code is not None:
            return str(code)
    return None


def no_limit() -> int | None:
    """The LIMIT value meaning "all rows" (SQLite: -1; PostgreSQL: NULL)."""
    return None if is_postgres() else -1


def int_array(values: Sequence[int]) -> str:
    """The parameter for a server's ``?::integer[]`` (or ``bigint[]``): the array as its text,
    ``{1,2,3}``. A Python list goes as ``ARRAY[1,2,3]``, one expression per element for the
    server to parse: 0.75 ms more for two arrays of 300 ids (a search's advertisers)."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def id_list(ids: Sequence[int]) -> tuple[str, object]:
    """SQL selecting ``ids`` as one column, and its one parameter: a list of any length as a
    single value (an ``IN (?, ?, …)`` list costs a parameter each and a sort in a UNION)."""
    if is_postgres():
        return "SELECT unnest(?::bigint[])", int_array(ids)
    return "SELECT value FROM json_each(?)", "[" + ",".join(map(str, map(int, ids))) + "]"


def phone_tail(column: str) -> str:
    """SQL for the last four characters of ``column`` (an indexed expression on both)."""
    return f"right({column}, 4)" if is_postgres() else f"substr({column}, -4)"


def ends_with(column: str) -> str:
    """SQL testing that ``column`` ends with the next two parameters: (length, text)."""
    if is_postgres():
        return f"right({column}, ?) = ?"
    return f"substr({column}, -?) = ?"


def insert_many(model: type[Model], names: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """One prepared INSERT of ``model``'s fields ``names`` over many rows of values as the
    driver takes them (peewee's ``insert_many`` builds its SQL value by value: slow for
    thousands of rows). SQLite: ``executemany``; PostgreSQL: ``COPY`` (the driver's multi-row
    VALUES formatted every value through ``mogrify``: 0.9 s of an import's 10,000 rows)."""
    if not values:
        return
    table = model._meta.table_name
    if is_postgres():
        from adsdesk.store.bulk_pg import copy_rows

        copy_rows(db.obj, table, [model._meta.fields[n].column_name for n in names], values)
        return
    columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
    marks = ", ".join("?" for _ in names)
    db.cursor().executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)


def insert_returning_ids(
    model: type[Model], names: Sequence[str], values: Sequence[Sequence[Any]], page: int = 500
) -> list[int]:
    """PostgreSQL: :func:`insert_many` that returns the new rows' ids, in order (multi-row
    VALUES pages with ``RETURNING id``; peewee's own ``insert_many … returning`` built its SQL
    value by value, a second per 10,000 ads of an import)."""
    from psycopg2.extras import execute_values

    columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES %s RETURNING "id"'
    returned = execute_values(db.cursor(), sql, values, page_size=page, fetch=True)
    return [int(r[0]) for r in returned]


def insert_row(model: type[Model], **values: Any) -> int:
    """``model.create(**values)``'s INSERT (the model's defaults filled in), returning the new
    id, with SQL written once per model and set of fields: a save makes an order, its first
    event and a payment while its desk holds the write turn, and peewee built each INSERT
    anew (0.1-0.2 ms each)."""
    data = model(**values).__data__  # the given values and the model's defaults
    fields = model._meta.fields
    names = tuple(n for n in data if n != "id")
    params = [fields[n].db_value(data[n]) for n in names]
    postgres = is_postgres()
    key = (model._meta.table_name, names, postgres)
    sql = _INSERTS.get(key)
    if sql is None:
        columns = ", ".join(f'"{fields[n].column_name}"' for n in names)
        marks = ", ".join([db.param] * len(names))
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        sql += ' RETURNING "id"' if postgres else ""
        _INSERTS[key] = sql
    cursor = db.execute_sql(sql, params)
    return int(cursor.fetchone()[0] if postgres else cursor.lastrowid)


_INSERTS: dict[tuple[str, tuple[str, ...], bool], str] = {}
