"""One serialised worker thread for database work; results come back to the UI by signal."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from adsdesk.buglog import report_bug
from adsdesk.errors import DeskError
from adsdesk.store.database import close_db, describe_fault

Callback = Callable[[Any], None]


def _job_name(job: Callable[[], Any]) -> str:
    return str(getattr(job, "__qualname__", None) or job)


class _Worker(QObject):
    done = Signal(int, object, int)  # job id, result or error sentence, 1 if ok

    @Slot(int, object)
    def run(self, job_id: int, job: Callable[[], Any]) -> None:
        try:
            result = job()
        except DeskError as exc:  # something the clerk is told: its own sentence
            self.done.emit(job_id, str(exc), 0)
        except Exception as exc:  # a fault of the file (disk full, locked …) or a bug
            fault = describe_fault(exc)
            if fault is not None:
                self.done.emit(job_id, fault, 0)
            else:  # a bug: traceback to the log, the short sentence to the clerk
                self.done.emit(job_id, report_bug(exc, f"database job {_job_name(job)}"), 0)
        else:
            self.done.emit(job_id, result, 1)

    @Slot()
    def close(self) -> None:
        close_db()
        # Hand the worker back to the main thread so it is destroyed there, not in a dead one.
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())


class DbExecutor(QObject):
    """Runs callables one at a time on a private thread, in submission order.

    Workers never touch widgets: the callable returns plain data and the callback runs on the
    UI thread when it arrives.
    """

    _submit = Signal(int, object)
    _close = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("adsdesk-db")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._close.connect(self._worker.close)
        self._worker.done.connect(self._finished)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        self._thread.start()

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._submit.emit(job_id, job)
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
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait(5000)
