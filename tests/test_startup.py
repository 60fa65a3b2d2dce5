"""Starting the desk: the first rows come before the work the first screen does not need."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import adsdesk.ui.main_window as main_window
from adsdesk.bench.cold import bench_cold_start
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import WARM_FALLBACK_MS, MainWindow


@pytest.fixture
def warm_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each warm-up the desk starts, recorded with the rows on screen at that moment."""
    calls: list[int] = []
    windows: list[MainWindow] = []

    def record() -> None:
        calls.append(windows[-1].list_pane.model.rowCount() if windows else -1)

    monkeypatch.setattr(main_window, "_warm_up", record)
    original = MainWindow.__init__

    def init(self: MainWindow, *args: object, **kwargs: object) -> None:
        windows.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MainWindow, "__init__", init)
    return calls


def test_pinyin_and_column_wait_for_the_first_rows(qtbot, demo_db: Path, warm_calls) -> None:
    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(demo_db))
    window.show()
    try:
        qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
        # Once the rows are up, the pinyin tables load, once.
        qtbot.waitUntil(lambda: warm_calls != [], timeout=5000)
        assert warm_calls[0] > 0, "the warm-up ran before any row was on screen"
        window.show_issue(dt.date(2023, 2, 24))
        qtbot.waitUntil(lambda: window.layout_view.layout_result() is not None, timeout=10000)
        qtbot.wait(800)
        assert len(warm_calls) == 1  # a new list does not load them again
    finally:
        window.close()
        executor.shutdown()


def test_a_desk_closed_at_once_starts_no_warm_up(qtbot, demo_db: Path, warm_calls) -> None:
    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(demo_db))
    window.show()
    window.close()
    qtbot.wait(WARM_FALLBACK_MS + 500)
    executor.shutdown()
    assert warm_calls == []


@pytest.mark.sqlite_only
def test_bench_reports_cold_start_as_wall_and_cpu_time() -> None:
    figures = bench_cold_start(runs=1)
    assert len(figures["cold_start_runs_ms"]) == 1  # type: ignore[arg-type]
    assert 0 < float(figures["cold_start_ms"]) < 60_000  # type: ignore[arg-type]
    assert 0 < float(figures["cold_start_cpu_ms"]) < 60_000  # type: ignore[arg-type]
