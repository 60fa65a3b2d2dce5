"""Open the desk's database: validate the file, bind the proxy, migrate with a copy aside."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import peewee
from peewee import (
    Database,
    DatabaseError,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)

from adsdesk.errors import DeskError
from adsdesk.store.backend import is_postgres
from adsdesk.store.migrations import FOREIGN_KEYS_OFF, MIGRATIONS
from adsdesk.store.models import MetaInfo, db
from adsdesk.store.sqlite_health import busy_timeout_ms, connect_ro, explain
from adsdesk.store.sqlite_turns import WriterTurns

APP_MARKER = "adsdesk"
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(DeskError):
    """A database problem explained in one sentence for the clerk (Chinese)."""


class DeskSqliteDatabase(SqliteDatabase):
    """The desk's SQLite connection: write transactions take the write lock when they begin.

    ``BEGIN IMMEDIATE`` waits (busy timeout) for another writer instead of failing at once
    with "database is locked" when a transaction that read first tries to write; before it,
    the writer takes its turn among the desks on this file (``sqlite_turns``). A failed
    COMMIT (disk full) that SQLite already rolled back is not rolled back a second time, so
    the first error, the true one, is what the caller sees.
    """

    def __init__(self, database: str, **kwargs: Any) -> None:
        kwargs.setdefault("lock_type", "IMMEDIATE")
        super().__init__(database, **kwargs)
        self.turns = WriterTurns(str(database))

    def begin(self, lock_type: str | None = None) -> None:
        # A write transaction first takes its turn among the desks writing to this file
        # (sqlite_turns: prompt and fair, where SQLite's own wait is neither).
        if str(lock_type or getattr(self, "_lock_type", "")).upper() in ("IMMEDIATE", "EXCLUSIVE"):
            self.turns.take(busy_timeout_ms() / 1000)
        try:
            super().begin(lock_type)
        except BaseException:
            self.turns.give_back()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        except BaseException:
            if self.is_closed() or not self.connection().in_transaction:
                self.turns.give_back()  # else the rollback that follows gives it back
            raise
        self.turns.give_back()

    def rollback(self) -> None:
        try:
            if not self.is_closed() and not self.connection().in_transaction:
                return
            super().rollback()
        finally:
            self.turns.give_back()

    def close(self) -> bool:
        try:
            return bool(super().close())
        finally:
            self.turns.give_back()

    def savepoint(self, sid: str | None = None) -> Any:
        return _Savepoint(self, sid)


class _Savepoint(peewee._savepoint):
    """A nested atomic block; after SQLite itself rolled the whole transaction back (disk
    full), its rollback is a no-op so that the first, true error reaches the caller."""

    def rollback(self, begin: bool = True) -> None:
        if not self.db.is_closed() and not self.db.connection().in_transaction:
            return
        super().rollback(begin)


SCHEMA_VERSION = len(MIGRATIONS)


def inspect_sqlite(path: Path) -> tuple[int | None, bool]:
    """Read-only look at an existing file: (schema version or None, has any tables).

    Opened with ``mode=ro`` so that nothing about a foreign or damaged file changes.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"无法读取数据库文件 {path}：{exc.strerror}。请检查文件权限。") from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path} 不是 adsdesk 数据库（也不是 SQLite 文件），未做任何改动。请用 --db 指定正确的文件。"
        )
    if not header:
        return None, False
    try:
        con = connect_ro(path)
        try:
            # Reading the schema touches the first pages, where damage shows first; a full
            # quick_check would read the whole file (seconds for a million ads) on every start.
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None, False
            if "meta_info" not in tables:
                raise StoreError(
                    f"{path} 是别的程序的 SQLite 数据库，不是 adsdesk 数据库，未做任何改动。"
                )
            rows = dict(con.execute("SELECT key, value FROM meta_info").fetchall())
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(explain(exc, path)) from exc
    if rows.get("app") != APP_MARKER:
        raise StoreError(f"{path} 不是 adsdesk 数据库，未做任何改动。")
    try:
        return int(rows.get("schema_version", "0")), True
    except ValueError as exc:
        raise StoreError(f"{path} 的版本信息已损坏，未做任何改动。") from exc


def copy_sqlite(src: Path, dest: Path) -> None:
    """A consistent copy of an SQLite file through the online backup API (src read-only).

    Into an existing ``dest`` that others have open, the pages go in under SQLite's locks.
    """
    source = connect_ro(src)
    try:
        target = sqlite3.connect(dest, timeout=busy_timeout_ms() / 1000)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _backup_before_migration(path: Path, version: int) -> Path:
    """A checked copy beside the file before its schema is upgraded (refused when damaged)."""
    from adsdesk.store.backup import unique_path, verified_copy

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = unique_path(path.parent, f"{path.name}.v{version}-{stamp}", ".bak")
    verified_copy(path, dest, full=False)  # the quick check: upgrades of big files stay short
    return dest


MIGRATION_LOCK = 0x61647364  # "adsd": one desk at a time upgrades a server database


def _set_meta(key: str, value: str) -> None:
    MetaInfo.insert(key=key, value=value).on_conflict(
        conflict_target=[MetaInfo.key], preserve=[MetaInfo.value]
    ).execute()


def _migrate(database: Database, current: int) -> None:
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS[version]
        fk_off = step.__name__ in FOREIGN_KEYS_OFF and isinstance(database, SqliteDatabase)
        if fk_off:
            database.execute_sql("PRAGMA foreign_keys=OFF")
        try:
            with database.atomic():
                if is_postgres(database):
                    # Two desks starting together: the second waits here, then finds it done.
                    database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                    if _schema_version(database) > version:
                        continue
                step(database)
                if fk_off and database.execute_sql("PRAGMA foreign_key_check").fetchone():
                    raise StoreError(f"升级第 {version + 1} 步后外键不一致，已撤销，数据库未改动。")
                _set_meta("app", APP_MARKER)
                _set_meta("schema_version", str(version + 1))
        finally:
            if fk_off:
                database.execute_sql("PRAGMA foreign_keys=ON")


def open_sqlite(path: Path) -> SqliteDatabase:
    """Validate, open and (if needed) migrate an SQLite file; create it when missing."""
    path = path.expanduser()
    version: int | None = None
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path} 是一个文件夹，不是数据库文件。")
        version, _ = inspect_sqlite(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库所在的文件夹 {path.parent}：{exc.strerror}。") from exc
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} 由更新版本的 adsdesk 创建（结构版本 {version}），请升级 adsdesk 后再打开。"
        )
    if version is not None and version < SCHEMA_VERSION:
        _backup_before_migration(path, version)
    # synchronous=FULL: a commit is on disk before the save is reported done, so a power cut
    # cannot take back money the desk has taken (NORMAL could lose the last commits in WAL).
    return DeskSqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": busy_timeout_ms(),
            "synchronous": "full",
        },
    )


def needs_migration(target: str | Path) -> bool:
    """True when opening ``target`` will upgrade an existing file (which can take a while)."""
    text = str(target)
    if is_server_url(text):
        return False
    path = Path(text.removeprefix("sqlite:///")).expanduser()
    if not path.is_file():
        return False
    try:
        version, has_tables = inspect_sqlite(path)
    except StoreError:
        return False  # init_db will say what is wrong
    return has_tables and version is not None and version < SCHEMA_VERSION


def init_db(target: str | Path) -> Database:
    """Bind the models to the database at ``target`` (a file path or a database URL).

    Raises StoreError with a clerk-readable sentence when the target cannot be used.
    """
    text = str(target)
    if is_server_url(text):
        database = _open_url(text)
    else:
        if text.startswith("sqlite:///"):
            text = text[len("sqlite:///") :]
        database = open_sqlite(Path(text))
    close_db()
    db.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        current = _schema_version(database)
        if is_postgres(database):
            _check_server(database, target, current)
        if current < SCHEMA_VERSION:
            _migrate(database, current)
    except (OperationalError, DatabaseError, InterfaceError) as exc:
        path = database_path()
        if path is not None:
            raise StoreError(explain(exc, path)) from exc
        raise _connect_error(target, exc) from exc
    return database


def _schema_version(database: Database) -> int:
    if not database.table_exists(MetaInfo._meta.table_name):
        return 0
    row = MetaInfo.get_or_none(MetaInfo.key == "schema_version")
    return int(row.value) if row else 0


def _check_server(database: Database, target: str | Path, version: int) -> None:
    """Refuse a server database that is not the desk's, or is newer than this program."""
    tables = database.get_tables()
    if tables and MetaInfo._meta.table_name not in tables:
        raise StoreError(
            f"{redact(target)} 里已有别的程序的表，不是 adsdesk 数据库，未做任何改动。"
            "请为受理台单独建一个库（adsdesk db init）。"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{redact(target)} 由更新版本的 adsdesk 升级过（结构版本 {version}），"
            "请升级本机的 adsdesk 后再连接。"
        )


def is_server_url(target: str | Path) -> bool:
    """True for a database server URL (postgresql://…), False for an SQLite file."""
    text = str(target)
    return "://" in text and not text.startswith("sqlite")


def redact(target: str | Path) -> str:
    """``target`` fit to show or log: a password in a URL is replaced by ***."""
    return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", str(target))


# The desk's own session settings (the server's configuration is not the desk's to change):
# no JIT compilation — listing every ad holding 电 on the synthetic million spent 98 ms of
# its time compiling (the plan's estimated cost passes jit_above_cost), and short searches
# gain nothing from it; and room for exact bitmaps, so that a GIN lookup over many rows
# does not degrade to re-checking whole pages; and the statements the desk prepares (its
# searches', backend.prepared_rows) planned once, generically, as they are prepared for: by
# default the server plans each anew for its first five runs, and a desk's first searches
# took 0.2-2 ms longer (p95 of 40 first-time phone tails 9.6-11.9 ms, so 9.1-9.7). Nothing
# else of the desk's is prepared but its triggers' statements, whose plans take no values.
SERVER_SESSION = "-c jit=off -c work_mem=32MB -c plan_cache_mode=force_generic_plan"


def _open_url(url: str) -> Database:
    from playhouse.db_url import parse

    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("postgres", "postgresql", "postgresext"):
        raise StoreError(
            f"不支持的数据库地址 {redact(url)}：请用 SQLite 文件路径或 postgresql://服务器/库名。"
        )
    try:
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise StoreError(
            "连接 PostgreSQL 需要 psycopg2 模块，请先安装（pip install psycopg2-binary）。"
        ) from exc
    params = parse(url)
    name = params.pop("database", None) or "adsdesk"
    if "service" in params and not urlsplit(url).path.strip("/"):
        # ?service=adsdesk: the service file names server, database and user; the whole URL
        # goes to libpq as it is (peewee passes a postgresql:// "database" on as the DSN).
        params.pop("service")
        name = "postgresql://" + url.split("://", 1)[1]
    # Passwords come from ~/.pgpass, a service file (?service=…) or the keyring, never the URL
    # stored in the desk's settings; libpq reads the first two itself.
    params.setdefault("connect_timeout", 5)
    params.setdefault("application_name", "adsdesk")
    params.setdefault("options", SERVER_SESSION)
    return PostgresqlDatabase(name, **params)


def _connect_error(target: str | Path, exc: Exception) -> StoreError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    if is_server_url(target):
        return StoreError(
            f"无法连接数据库服务器 {redact(target)}（{text}）。请确认服务器已开启、网络畅通、"
            "用户名和库名正确。"
        )
    return StoreError(f"无法打开数据库 {target}：{text}。")


def close_db() -> None:
    """Close this thread's connection to the bound database, if any (and the searches' second
    connection, ``side_reads``)."""
    from adsdesk.store import side_reads

    side_reads.close()
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()


def database_path() -> Path | None:
    """The SQLite file behind the bound database, or None for a server database."""
    if isinstance(db.obj, SqliteDatabase):
        return Path(db.obj.database)
    return None


def describe_fault(exc: BaseException) -> str | None:
    """The clerk's sentence for a database error raised while working on the bound database
    (disk full, locked by another program, read-only, damaged); None when it is no such fault.
    """
    from adsdesk.store.sqlite_health import Fault, classify, sqlite_cause

    path = database_path()
    if path is None or (sqlite_cause(exc) is None and not isinstance(exc, DatabaseError)):
        return None
    if classify(exc, path) is Fault.OTHER:
        return None
    return explain(exc, path, writing=True)


QUICK_CHECK_BEFORE_IMPORT_MAX = 256 << 20  # bytes; a bigger file's quick check takes > 5 s


def refuse_if_damaged() -> None:
    """Raise StoreError when the bound SQLite file is known or found to be damaged (before a
    bulk write such as an import, which must not add to a damaged file).

    Damage found by the desk's background check counts; a file up to 256 MB is quick-checked
    here (a few seconds at most); a bigger one relies on the background and daily checks
    (its quick check takes half a minute). Server databases: no-op.
    """
    import sqlite3

    from adsdesk.store.sqlite_health import Fault, advice, check_file, classify, known_damage

    path = database_path()
    if path is None:
        return
    refusal = "为免写入损坏的文件，未导入。"
    known = known_damage(path)
    if known:
        raise StoreError(known + refusal)
    try:
        if path.stat().st_size > QUICK_CHECK_BEFORE_IMPORT_MAX:
            return
        problems = check_file(path, full=False)
    except (OSError, sqlite3.Error) as exc:
        if classify(exc, path) is not Fault.DAMAGED:
            return  # locked or read-only: the write itself will say so
        problems = [str(exc)]
    if problems:
        raise StoreError(advice(Fault.DAMAGED, path, f"发现 {len(problems)} 处问题") + refusal)
