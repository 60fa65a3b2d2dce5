"""Shared fixtures: offscreen Qt, a fresh SQLite file per test, the sample column."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user data folder."""
    monkeypatch.setenv("ADSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ADSDESK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def desk_db(db_path: Path) -> Iterator[Path]:
    """An initialised, empty desk database file bound for this test."""
    from adsdesk.store.database import close_db, init_db

    init_db(db_path)
    yield db_path
    close_db()


@pytest.fixture
def demo_db(db_path: Path) -> Iterator[Path]:
    """A desk database holding the sample column booked on 2023-02-24."""
    from adsdesk.demo import fill_demo
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.settings import ensure_default_categories

    init_db(db_path)
    ensure_default_categories()
    fill_demo()
    yield db_path
    close_db()


def type_text(qtbot, widget, text: str) -> None:
    """Type as a clerk does: ASCII as key presses, Chinese as input-method commits, one at a time."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def demo_desk(qtbot, demo_db: Path) -> Iterator:
    """The desk's main window open on the sample column, its first settings loaded."""
    from adsdesk.ui.app import application
    from adsdesk.ui.dbexec import DbExecutor
    from adsdesk.ui.main_window import MainWindow

    application()
    executor = DbExecutor()
    window = MainWindow(executor, str(demo_db))
    window.show()
    qtbot.waitUntil(lambda: window.editor.category.count() > 0)
    yield window
    window.editor.clear_for_new()  # leave without the unsaved-changes prompt
    window.close()
    executor.shutdown()


def make_supervisor(name: str, password: str) -> None:
    """Accounts on the bound database: an admin (the first account) and a supervisor."""
    from adsdesk.store import users
    from adsdesk.store.actor import acting_as

    if not users.has_users():
        users.add_user("admin", "admin-pass", ["admin"])
    with acting_as(users.sign_in("admin", "admin-pass")):
        users.add_user(name, password, ["supervisor", "clerk"])


def approval_dialog(qtbot, window):
    """The supervisor-approval dialog the window has open."""
    from adsdesk.ui.signin_dialog import ApprovalDialog

    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ApprovalDialog)))
    return next(d for d in window.findChildren(ApprovalDialog) if d.isVisible())
