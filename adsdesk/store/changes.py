"""Noticing what other desks changed: LISTEN/NOTIFY on PostgreSQL, ``data_version`` on SQLite.

A feed answers one question, cheaply and often: "has another desk committed a change since
I last asked?" The desk asks a few times a second on its database thread and then reloads its
list and 版面 tab. On SQLite, ``PRAGMA data_version`` changes when any *other* connection
commits (two desks on one file, or two windows in one process). On PostgreSQL statement
triggers ``pg_notify`` on every change to the desk's tables; the feed listens on a connection
of its own and ignores the notices its own desk caused.
"""

from __future__ import annotations

import select
from typing import Any, Protocol

from peewee import Database

from adsdesk.store.backend import is_postgres
from adsdesk.store.models import db

CHANNEL = "adsdesk_changes"
WATCHED = ("ad", "ad_phone", "insertion", "advertiser", "category", "setting", "layout_choice")


class ChangeFeed(Protocol):
    def changed(self) -> bool:
        """True when another desk committed a change since the last call."""
        ...

    def close(self) -> None: ...


def install_notify(database: Database) -> None:
    """Schema step (PostgreSQL): one notice per changing statement on the watched tables."""
    if not is_postgres(database):
        return
    database.execute_sql(
        "CREATE OR REPLACE FUNCTION adsdesk_notify() RETURNS trigger AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
    for table in WATCHED:
        database.execute_sql(f"DROP TRIGGER IF EXISTS adsdesk_notify ON {table}")
        database.execute_sql(
            f"CREATE TRIGGER adsdesk_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION adsdesk_notify()"
        )


class SqliteFeed:
    """``PRAGMA data_version`` of the calling thread's connection (the desk's database
    thread): it moves when another connection commits, never for this one's own commits."""

    def __init__(self) -> None:
        self._last = self._version()

    @staticmethod
    def _version() -> int:
        return int(db.execute_sql("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        now = self._version()
        moved, self._last = now != self._last, now
        return moved

    def close(self) -> None:
        pass


class PostgresFeed:
    """A listening connection of its own; notices from this desk's own connection (the
    calling thread's) are not news."""

    def __init__(self) -> None:
        import psycopg2

        database = db.obj
        self._own_pid = db.connection().get_backend_pid()
        name = str(database.database)
        where = {"dsn": name} if name.startswith("postgresql://") else {"dbname": name}
        params: dict[str, Any] = {**where, **database.connect_params}
        self._conn: Any = psycopg2.connect(**params)
        self._conn.autocommit = True
        self._conn.cursor().execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        self._conn.poll()
        own = db.connection().get_backend_pid()  # may change after a reconnect
        news = any(n.pid not in (own, self._own_pid) for n in self._conn.notifies)
        self._conn.notifies.clear()
        self._own_pid = own
        return news

    def wait(self, seconds: float) -> bool:
        """Block up to ``seconds`` for a notice (for scripts and the benchmark)."""
        if select.select([self._conn], [], [], seconds)[0]:
            return self.changed()
        return False

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # a broken connection is closed anyway
            pass


def open_feed() -> SqliteFeed | PostgresFeed:
    """A feed for the bound database, to be asked on this thread from now on."""
    return PostgresFeed() if is_postgres() else SqliteFeed()
