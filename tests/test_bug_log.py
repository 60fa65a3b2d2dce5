"""A bug is logged with its traceback to the desk's log file; the clerk sees one short sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import type_text
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from adsdesk.buglog import log_path
from adsdesk.cli import main
from adsdesk.errors import DeskError
from adsdesk.ui.dbexec import DbExecutor


def _log_text() -> str:
    path = log_path()
    assert path.exists(), "no log file written"
    return path.read_text(encoding="utf-8")


def _break_ad_inserts(db: Path) -> None:
    """Damage the file from outside as a faulty tool would: every new ad now fails in SQL."""
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TRIGGER broken_by_a_tool BEFORE INSERT ON ad "
        "BEGIN SELECT RAISE(ABORT, 'broken by a tool'); END"
    )
    con.commit()
    con.close()


@pytest.mark.sqlite_only  # breaks the SQLite file's ad table behind the desk's back
def test_bug_in_a_saving_job_is_logged_and_the_ad_on_screen_is_kept(qtbot, demo_desk) -> None:
    window = demo_desk
    from adsdesk.store.database import database_path

    db = database_path()
    assert db is not None
    _break_ad_inserts(db)

    editor = window.editor
    editor.category.setCurrentText("家居服务")
    type_text(qtbot, editor.title, "纱窗安装")
    type_text(qtbot, editor.body, "上门安装纱窗 电话:13903528495")
    shown: list[str] = []

    def close_message() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.close()

    poll = QTimer()
    poll.timeout.connect(close_message)
    poll.start(20)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))
    poll.stop()

    sentence = shown[0]
    assert str(log_path()) in sentence and "日志" in sentence
    assert "Traceback" not in sentence and "broken by a tool" not in sentence
    assert str(log_path()) in window.statusBar().currentMessage()
    # the clerk's typing is still there, unsaved, ready to save again once the file is mended
    assert editor.title.text() == "纱窗安装"
    assert editor.body.toPlainText() == "上门安装纱窗 电话:13903528495"
    assert editor.is_dirty() and editor.ad_id() is None
    assert editor.save_button.isEnabled()

    log = _log_text()
    assert "Traceback (most recent call last)" in log
    assert "broken by a tool" in log and "write_ad" in log  # where the save wrote


def test_a_desk_error_in_a_job_is_its_own_sentence_and_not_logged(qtbot, desk_db) -> None:
    executor = DbExecutor()
    got: list[str] = []

    def job() -> None:
        raise DeskError("广告 #7 已被删除")

    executor.submit(job, None, got.append)
    qtbot.waitUntil(lambda: bool(got))
    executor.shutdown()
    assert got == ["广告 #7 已被删除"]
    assert not log_path().exists() or "广告 #7" not in _log_text()


def test_bug_in_a_command_is_one_sentence_naming_the_log(capsys, demo_file: Path) -> None:
    demo_db = demo_file
    con = sqlite3.connect(demo_db)
    con.execute("DROP TABLE search_ad_text")  # a damaged index the schema check does not see
    con.commit()
    con.close()
    from adsdesk.store.database import close_db

    close_db()
    code = main(["search", "和平医院", "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and str(log_path()) in err and "Traceback" not in err
    log = _log_text()
    assert "Traceback (most recent call last)" in log and "search_ad_text" in log
    assert "adsdesk search 和平医院" in log


@pytest.mark.qt_no_exception_capture  # the desk's own hook is under test, not pytest-qt's
def test_bug_in_a_desk_action_is_logged_and_the_typed_ad_stays(
    qtbot, demo_desk, monkeypatch
) -> None:
    """A bug raised straight in a Qt slot (here: 设置…) reaches the log with its traceback,
    the clerk sees the short sentence naming the log, and the ad being typed is untouched."""
    from adsdesk.ui import slot_errors

    window = demo_desk

    def broken() -> None:
        raise ZeroDivisionError("settings dialog bug")

    monkeypatch.setattr(window, "open_settings", broken)
    window.act_settings.triggered.disconnect()
    window.act_settings.triggered.connect(lambda: window.open_settings())
    restore = slot_errors.install()
    try:
        window.editor.title.setFocus()
        type_text(qtbot, window.editor.title, "出租")
        window.act_settings.trigger()
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "slotError") is not None)
        box = window.findChild(QMessageBox, "slotError")
        assert str(log_path()) in box.text()
        assert "ZeroDivisionError: settings dialog bug" in _log_text()
        assert "Traceback" in _log_text()
        assert str(log_path()) in window.statusBar().currentMessage()
        # a second bug while the first box is up is logged, not a second box
        window.act_settings.trigger()
        assert len(window.findChildren(QMessageBox, "slotError")) == 1
        assert _log_text().count("ZeroDivisionError: settings dialog bug") == 2
        box.accept()
        assert window.editor.title.text() == "出租"
        assert window.isVisible()
    finally:
        restore()


@pytest.mark.qt_no_exception_capture
def test_desk_error_in_a_slot_is_told_as_its_own_sentence(qtbot, demo_desk, monkeypatch) -> None:
    from adsdesk.ui import slot_errors

    window = demo_desk

    def no_paper() -> None:
        raise DeskError("打印机没有纸了。")

    monkeypatch.setattr(window, "open_settings", no_paper)
    window.act_settings.triggered.disconnect()
    window.act_settings.triggered.connect(lambda: window.open_settings())
    restore = slot_errors.install()
    try:
        window.act_settings.trigger()
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "slotError") is not None)
        box = window.findChild(QMessageBox, "slotError")
        assert box.text() == "打印机没有纸了。"  # its own sentence, and not logged as a bug
        assert not log_path().exists() or "打印机" not in _log_text()
        box.accept()
    finally:
        restore()
