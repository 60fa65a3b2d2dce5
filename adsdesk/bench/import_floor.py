"""The import's floor: what SQLite alone and the checks alone cost, and the best rate they leave.

An import's wall time can never be less than the writes SQLite itself makes (one writer), nor
than all its CPU spread over the machine's cores. Both are measured here, apart from the
import: every statement an import runs on its database is recorded, then replayed alone into a
fresh database of the same schema (the same rows and indexes, no checks and no Python between
statements); the checks run alone in one process, with and without the search documents the
checking side also builds.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

# (executemany?, SQL, parameters): one statement as the import ran it.
Statement = tuple[bool, str, Any]


class _RecordingCursor(sqlite3.Cursor):
    log: list[Statement] | None = None  # where statements go while record_import runs

    def execute(self, sql: str, parameters: Any = (), /) -> _RecordingCursor:
        if self.log is not None:
            self.log.append((False, sql, parameters))
        super().execute(sql, parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> _RecordingCursor:
        rows = list(seq_of_parameters)
        if self.log is not None:
            self.log.append((True, sql, rows))
        super().executemany(sql, rows)
        return self


class _RecordingConnection(sqlite3.Connection):
    """A connection whose every statement (through a cursor or directly) is recorded."""

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _RecordingCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, seq_of_parameters)


def record_import(csv_path: Path, database: Path, area_code: str) -> list[Statement]:
    """Import ``csv_path`` into a new database file, as ``adsdesk import`` does, recording
    every statement the import runs on it (not those that created the schema)."""
    from adsdesk.io.import_tables import import_table
    from adsdesk.io.tables import read_table
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import db

    log: list[Statement] = []
    init_db(database)
    try:
        bound = db.obj
        bound.close()
        bound.connect_params["factory"] = _RecordingConnection  # (peewee passes these on)
        bound.connect()
        table = read_table(csv_path)
        _RecordingCursor.log = log
        try:
            import_table(table, area_code=area_code)
        finally:
            _RecordingCursor.log = None
    finally:
        close_db()
    return log


def replay(statements: list[Statement], database: Path) -> tuple[float, float]:
    """Run recorded statements on a new database of the same schema, as the desk opens it
    (WAL, foreign keys, synchronous=FULL): (CPU seconds, wall seconds)."""
    from adsdesk.store.database import close_db, init_db

    init_db(database)  # the schema, made the same way
    close_db()
    con = sqlite3.connect(database, isolation_level=None)
    try:
        for pragma in ("journal_mode = wal", "foreign_keys = 1", "synchronous = full"):
            con.execute(f"PRAGMA {pragma}")
        cpu, wall = time.process_time(), time.perf_counter()
        for many, sql, parameters in statements:
            if many:
                con.executemany(sql, parameters)
            else:
                con.execute(sql, parameters)
        return time.process_time() - cpu, time.perf_counter() - wall
    finally:
        con.close()


def checks_cpu(csv_path: Path, area_code: str, docs: bool) -> float:
    """CPU seconds of checking every row of ``csv_path`` in this one process (memos cleared
    first, as in a new import), with or without their search documents."""
    from adsdesk.chunks import chunks
    from adsdesk.domain.phone_check import forget_checks
    from adsdesk.io.import_tables import PIPE_CHUNK, check_options
    from adsdesk.io.row_checks import check_piece, forget_memos
    from adsdesk.io.tables import read_table

    records = read_table(csv_path).cell_rows()
    options = check_options(area_code)
    forget_memos()
    forget_checks()
    start = time.process_time()
    for piece in chunks(records, PIPE_CHUNK):
        check_piece(piece, options, docs)
    spent = time.process_time() - start
    forget_memos()
    return spent


def bench_import_floor(csv_path: Path, rows: int, area_code: str, cores: int) -> dict[str, Any]:
    """The floor under an import of ``csv_path`` (``rows`` rows) on ``cores`` cores."""
    with tempfile.TemporaryDirectory(prefix="adsdesk-bench-floor-") as folder:
        statements = record_import(csv_path, Path(folder) / "recorded.sqlite3", area_code)
        sql_cpu, sql_wall = replay(statements, Path(folder) / "replayed.sqlite3")
    del statements
    plain = checks_cpu(csv_path, area_code, docs=False)
    with_docs = checks_cpu(csv_path, area_code, docs=True)
    # SQLite writes with one connection; the rest may spread over every core.
    best_s = max(sql_wall, (sql_cpu + with_docs) / max(1, cores))
    return {
        "sql_replay_s": round(sql_wall, 3),
        "sql_replay_cpu_s": round(sql_cpu, 3),
        "checks_cpu_s": round(plain, 3),
        "checks_with_documents_cpu_s": round(with_docs, 3),
        "cores": cores,
        "best_rows_per_s": round(rows / best_s) if best_s else 0,
    }
