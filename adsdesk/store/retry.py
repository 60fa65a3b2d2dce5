"""Database work that failed for a passing reason is tried again: a lock held by another desk,
a serialization conflict, a dropped connection. Only if it keeps failing does the clerk hear
of it, as one sentence (never "database is locked" or a driver's message)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from adsdesk.store.database import StoreError, redact
from adsdesk.store.models import db

T = TypeVar("T")
log = logging.getLogger(__name__)

LOST, BUSY = "lost", "busy"
# PostgreSQL: serialization failure, deadlock, lock not available, server shutting down …
_BUSY_CODES = {"40001", "40P01", "55P03"}
_LOST_CODES = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"}
_LOST_WORDS = (
    "server closed the connection",
    "connection already closed",
    "could not connect",
    "connection refused",
    "terminating connection",
    "connection to server",
    "no connection to the server",
    "ssl connection has been closed",
    "cursor already closed",
    "connection timed out",
    "server conn crashed",
)


class ConnectionLost(StoreError):
    """The database server cannot be reached (the work was not done; nothing is lost)."""


class DatabaseBusy(StoreError):
    """Other desks kept the database busy for longer than the retries waited."""


def transient_kind(exc: BaseException) -> str | None:
    """LOST, BUSY, or None when ``exc`` is not a passing database condition."""
    if isinstance(exc, ConnectionLost):
        return LOST
    if isinstance(exc, DatabaseBusy):
        return BUSY
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "pgcode", None)
        if code in _BUSY_CODES:
            return BUSY
        if code in _LOST_CODES:
            return LOST
        text = str(current).lower()
        name = type(current).__name__
        if "database is locked" in text or "database is busy" in text or "busy" == text:
            return BUSY
        if name in ("OperationalError", "InterfaceError") and any(w in text for w in _LOST_WORDS):
            return LOST
        if name == "InterfaceError" and "closed" in text:
            return LOST
        # peewee wraps the driver's exception: the original is its first argument.
        inner = (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        )
        current = inner or current.__cause__ or current.__context__
    return None


def drop_connection() -> None:
    """Forget this thread's connection (broken or not); the next query opens a new one."""
    database = db.obj
    if database is None:
        return
    try:
        conn = database._state.conn
        if conn is not None:
            conn.close()
    except Exception:  # already broken: closing may fail too
        pass
    database._state.reset()


def run(
    job: Callable[[], T],
    attempts: int = 7,
    first_delay: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``job()``, tried again with growing pauses (0.05 s, 0.1 s … about 6 s in all) while it
    fails for a passing reason; then :class:`ConnectionLost` or :class:`DatabaseBusy`.

    ``job`` must be one whole unit of work (its own transaction), so trying it again is safe.
    """
    delay = first_delay
    for attempt in range(attempts):
        try:
            return job()
        except Exception as exc:
            kind = transient_kind(exc)
            if kind is None:
                raise
            log.warning("database %s (attempt %d): %s", kind, attempt + 1, exc)
            if kind == LOST:
                drop_connection()
            if attempt == attempts - 1:
                raise _final(kind) from exc
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _final(kind: str) -> StoreError:
    target = redact(getattr(db.obj, "database", "") or "")
    if kind == LOST:
        return ConnectionLost(
            f"连不上数据库服务器{('（' + target + '）') if target else ''}，已重试多次。"
            "屏幕上的内容没有丢失；服务器恢复后再保存即可。"
        )
    return DatabaseBusy("数据库正忙（其他受理台正在写入），已重试多次仍未完成。请稍后再试一次。")
