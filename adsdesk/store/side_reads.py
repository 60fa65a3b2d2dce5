"""A second connection to a server database, for a read that can run beside a search's others.

A search on PostgreSQL is a dozen short statements one after the other, and the server has a
core free while the desk waits on each: the page and the total of the ads holding the text
(``search_pg.first_ad_ids``) do not depend on the advertisers the query names, so they are
read here, on this helper thread's own connection, while the calling thread reads those.

Only an optimisation: a read that fails here (server restarted, connection dropped) is simply
read again on the caller's connection, which has the desk's retries and sentences. Reads are
only sent here outside a transaction: a transaction's own writes are not visible to another
connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from peewee import Database

from adsdesk.store.backend import is_postgres
from adsdesk.store.models import db

T = TypeVar("T")

_LOCK = threading.Lock()
_POOL: ThreadPoolExecutor | None = None
_open: Database | None = None  # the database whose connection the helper thread holds open


def usable() -> bool:
    """May a read of the bound database go to the helper now (a server, no open transaction)?"""
    return db.obj is not None and is_postgres() and not db.obj.in_transaction()


def submit(fn: Callable[..., T], *args: Any) -> Future[T]:
    """Run ``fn(*args)`` on the helper thread's connection to the bound database."""
    global _POOL
    with _LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adsdesk-side-read")
        return _POOL.submit(_run, db.obj, fn, *args)


def _run(database: Database, fn: Callable[..., T], *args: Any) -> T:
    global _open
    if _open is not database:
        _close_here()  # the desk moved to another database: let the old one go
        _open = database
    try:
        return fn(*args)
    except Exception:
        _close_here()  # a broken connection is opened afresh next time
        raise


def _close_here() -> None:
    global _open
    database, _open = _open, None
    if database is None:
        return
    try:
        if not database.is_closed():
            database.close()
    except Exception:  # already gone with the server: nothing to give back
        pass


def close() -> None:
    """Close the helper thread's connection (the desk closes its database)."""
    with _LOCK:
        pool = _POOL
    if pool is not None and _open is not None:
        pool.submit(_close_here).result()
