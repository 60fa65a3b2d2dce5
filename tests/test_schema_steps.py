"""The schema steps build exactly what the models describe, on a new file and on an old one."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

import adsdesk.store
from adsdesk.store.database import SCHEMA_VERSION, close_db, init_db
from adsdesk.store.models import BaseModel
from adsdesk.store.schema_frozen import v1_tables


def _live_models() -> list[type[BaseModel]]:
    for info in pkgutil.iter_modules(adsdesk.store.__path__):
        importlib.import_module(f"adsdesk.store.{info.name}")
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo.extend(model.__subclasses__())
    return found


def _columns(path: Path) -> dict[str, set[str]]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: {r[1] for r in con.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    finally:
        con.close()


def _assert_models_match(path: Path) -> None:
    columns = _columns(path)
    for model in _live_models():
        table = model._meta.table_name
        assert table in columns, f"no schema step creates table {table}"
        wanted = {f.column_name for f in model._meta.sorted_fields}
        assert wanted <= columns[table], (
            f"{table}: columns {sorted(wanted - columns[table])} have no schema step"
        )


def test_new_file_has_every_model_column(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    init_db(path)
    close_db()
    _assert_models_match(path)


def test_version_one_file_upgrades_to_every_model_column(tmp_path: Path) -> None:
    """A file as version 1 left it (frozen tables, no later steps) upgrades through every step."""
    path = tmp_path / "old.sqlite3"
    old = SqliteDatabase(str(path))
    tables = v1_tables(old)
    old.create_tables(tables)
    meta = next(t for t in tables if t.__name__ == "MetaInfo")
    meta.insert_many(
        [{"key": "app", "value": "adsdesk"}, {"key": "schema_version", "value": "1"}]
    ).execute()
    old.close()

    init_db(path)
    close_db()
    _assert_models_match(path)
    con = sqlite3.connect(path)
    version = con.execute("SELECT value FROM meta_info WHERE key='schema_version'").fetchone()
    con.close()
    assert int(version[0]) == SCHEMA_VERSION


def test_bookings_are_found_by_day_and_by_ad_through_the_two_indexes_left(desk_db) -> None:
    """Step 19 dropped the bookings' single-column indexes; a day's bookings and an ad's are
    still read through an index (the day's layout, an ad's dates), not by reading the table."""
    from adsdesk.store.backend import is_postgres
    from adsdesk.store.models import db

    if is_postgres():
        names = {r[0] for r in db.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'insertion'"
        ).fetchall()}  # fmt: skip
        db.execute_sql("SET enable_seqscan = off")  # an empty table: ask which index serves
        explain = "EXPLAIN SELECT ad_id FROM insertion WHERE {}"
        param = "%s"
    else:
        names = {r[0] for r in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'insertion'"
        ).fetchall()}  # fmt: skip
        explain = "EXPLAIN QUERY PLAN SELECT ad_id FROM insertion WHERE {}"
        param = "?"
    assert "insertion_ad_id" not in names and "insertion_date" not in names
    assert {"insertion_ad_id_date", "search_insertion_date"} <= names

    def plan(where: str, value: object) -> str:
        rows = db.execute_sql(explain.format(where.format(param)), (value,)).fetchall()
        return " ".join(str(r[-1]) for r in rows)

    assert "search_insertion_date" in plan("date = {}", "2023-02-24")
    assert "insertion_ad_id_date" in plan("ad_id = {}", 7)
