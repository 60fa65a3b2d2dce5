"""Benchmark the desk opening on a big database: window shown and first rows painted.

Run as its own process (``python -m adsdesk.bench.window DB``) so its memory figure is the
desk's own; prints one JSON object.
"""

from __future__ import annotations

import time

_T_START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_ms() -> float:
    """CPU time of this process since it started, user and system, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round((usage.ru_utime + usage.ru_stime) * 1000, 1)


def measure(db: str) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer

    from adsdesk.store.database import init_db
    from adsdesk.ui.app import application
    from adsdesk.ui.dbexec import DbExecutor
    from adsdesk.ui.main_window import MainWindow

    imported = time.perf_counter()
    app = application()
    init_db(db)
    executor = DbExecutor()
    window = MainWindow(executor, db)
    window.show()
    shown = time.perf_counter()
    painted: list[float] = []
    painted_at: list[float] = []  # wall clock: the parent times the whole process (cold start)
    cpu_at_paint: list[float] = []  # CPU of the whole process until then (every thread)

    class _Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and window.list_pane.model.rowCount() > 0
                and window.list_pane.model.row_at(0) is not None
                and not painted
            ):
                painted.append(time.perf_counter())
                painted_at.append(time.time())
                cpu_at_paint.append(_cpu_ms())
                QTimer.singleShot(0, app.quit)
            return super().eventFilter(watched, event)

    watch = _Watch()
    window.list_pane.table.viewport().installEventFilter(watch)
    QTimer.singleShot(30_000, app.quit)  # give up rather than hang
    app.exec()
    end = painted[0] if painted else time.perf_counter()
    result = {
        "import_ms": round((imported - _T_START) * 1000, 1),
        "shown_ms": round((shown - imported) * 1000, 1),
        "open_ms": round((end - imported) * 1000, 1),
        "painted_at": painted_at[0] if painted_at else time.time(),
        "cpu_ms": cpu_at_paint[0] if cpu_at_paint else _cpu_ms(),
        "rows": window.list_pane.model.rowCount(),
        "rss_mb": _rss_mb(),
    }
    executor.shutdown()
    return result


def measure_in_subprocess(db: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "adsdesk.bench.window", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
