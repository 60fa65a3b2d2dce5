"""Shared fixtures: offscreen Qt, a fresh database per test (SQLite, and PostgreSQL when
``ADSDESK_TEST_PG`` names a server), the sample column."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

PG_ENV = "ADSDESK_TEST_PG"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user data folder."""
    monkeypatch.setenv("ADSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ADSDESK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def _nobody_signed_in() -> Iterator[None]:
    """Each test starts (and leaves) with nobody signed in: the actor is the computer."""
    from adsdesk.store.actor import Actor, set_actor

    set_actor(Actor())
    yield
    set_actor(Actor())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Path | str]:
    """Where a test's database lives: an SQLite file (a Path), and (when ``ADSDESK_TEST_PG``
    names a server) a fresh PostgreSQL database of its own (its URL), dropped afterwards.

    Tests about the SQLite file itself (damage, file backups) carry ``@pytest.mark.sqlite_only``.
    """
    if request.param == "sqlite":
        yield db_path
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself; a server database has no file")
    template = request.getfixturevalue("pg_template")
    name = f"adsdesk_test_{uuid.uuid4().hex[:16]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _pg_url(name)
    finally:
        from adsdesk.store.database import close_db

        close_db()
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_server() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(
            f"PostgreSQL run skipped: {PG_ENV} is not set (e.g. {PG_ENV}=postgresql://postgres@127.0.0.1:5432/postgres)"
        )
    return url


def _pg_url(name: str) -> str:
    """The server URL of ``ADSDESK_TEST_PG`` with its database replaced by ``name``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(_pg_server())
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(statement: str) -> None:
    import psycopg2

    con = psycopg2.connect(_pg_server())
    try:
        con.autocommit = True
        con.cursor().execute(statement)
    finally:
        con.close()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated, empty desk database on the server, copied for each test (fast)."""
    from adsdesk.store.database import close_db, init_db

    name = f"adsdesk_tpl_{uuid.uuid4().hex[:16]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        init_db(_pg_url(name))
        close_db()
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def desk_db(db_target: Path | str) -> Iterator[Path | str]:
    """An initialised, empty desk database bound for this test (file path or server URL)."""
    from adsdesk.store.database import close_db, init_db

    init_db(db_target)
    yield db_target
    close_db()


@pytest.fixture
def demo_db(db_target: Path | str) -> Iterator[Path | str]:
    """A desk database holding the sample column booked on 2023-02-24."""
    from adsdesk.demo import fill_demo
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.settings import ensure_default_categories

    init_db(db_target)
    ensure_default_categories()
    fill_demo()
    yield db_target
    close_db()


@pytest.fixture
def desk_file(db_path: Path) -> Iterator[Path]:
    """An initialised, empty desk database that is an SQLite file (for file-level tests)."""
    from adsdesk.store.database import close_db, init_db

    init_db(db_path)
    yield db_path
    close_db()


@pytest.fixture
def demo_file(db_path: Path) -> Iterator[Path]:
    """The sample column in an SQLite file (for tests that open the file directly)."""
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


@pytest.fixture
def answer_modal(qtbot) -> Iterator:
    """``answer_modal(kind, act)``: once a modal ``kind`` dialog is really up, run ``act(dialog)``.

    Polls for the dialog instead of answering after a fixed delay, which fired too early (or on
    the wrong window) on a loaded machine. Returns a list that holds the dialog once answered.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    timers: list[QTimer] = []

    def answer(kind: type, act) -> list:
        answered: list = []
        timer = QTimer()
        timer.setInterval(10)

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, kind) and dialog.isVisible():
                timer.stop()
                answered.append(dialog)
                try:
                    act(dialog)
                except BaseException:
                    dialog.reject()  # a failed check must not leave the test stuck in exec()
                    raise

        timer.timeout.connect(poll)
        timer.start()
        timers.append(timer)
        return answered

    yield answer
    for timer in timers:
        timer.stop()


def click_button(box, text: str) -> None:
    """Press the button of a message box that reads ``text``."""
    for button in box.buttons():
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")
