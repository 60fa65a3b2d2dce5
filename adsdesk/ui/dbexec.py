"""One serialised worker thread for database work; results come back to the UI by signal."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from adsdesk.buglog import report_bug
from adsdesk.errors import DeskError
from adsdesk.store import retry
from adsdesk.store.database import close_db, describe_fault

Callback = Callable[[Any], None]


def _job_name(job: Callable[[], Any]) -> str:
    return str(getattr(job, "__qualname__", None) or job)


class ErrorText(str):
    """The sentence an error callback receives; ``kind`` is "lost" when the database server
    could not be reached (the work can be tried again), "busy", or None."""

    kind: str | None = None


class DbExecutor(QObject):
    """Runs callables one at a time on a private thread, in submission order.

    Workers never touch widgets: the callable returns plain data and the callback runs on the
    UI thread when it arrives.

    The thread is a Python thread, not a QThread: peewee keeps one connection per thread in
    thread-local storage, and a QThread calling into Python gets a fresh thread state for
    every queued slot — so every job used to open a new database connection (a new server
    login on PostgreSQL) and SQLite's ``data_version`` could never be watched.
    """

    _done = Signal(int, object, int)  # job id, result or error sentence, 1 if ok

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._done.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        self._thread = threading.Thread(target=self._loop, name="adsdesk-db", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                close_db()
                return
            job_id, job = item
            try:
                # A lock held by another desk or a dropped server connection is tried again.
                result = retry.run(job)
            except DeskError as exc:  # something the clerk is told: its own sentence
                message = ErrorText(str(exc))
                message.kind = retry.transient_kind(exc)
                self._done.emit(job_id, message, 0)
            except Exception as exc:  # a fault of the file (disk full, locked …) or a bug
                fault = describe_fault(exc)
                if fault is not None:
                    self._done.emit(job_id, fault, 0)
                else:  # a bug: traceback to the log, the short sentence to the clerk
                    self._done.emit(job_id, report_bug(exc, f"database job {_job_name(job)}"), 0)
            else:
                self._done.emit(job_id, result, 1)

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._queue.put((job_id, job))
        return job_id

    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object, int)
    def _finished(self, job_id: int, payload: Any, ok: int) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        if ok and on_done is not None:
            on_done(payload)
        elif not ok and on_error is not None:
            on_error(payload)

    def shutdown(self) -> None:
        """Close the worker's connection and stop its thread (waits for running work)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(5)
