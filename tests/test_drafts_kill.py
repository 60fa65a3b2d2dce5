"""No keystroke lost: a desk killed (SIGKILL) 1 s after typing stops offers the draft back whole."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from adsdesk.store.database import close_db, init_db
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow

TITLE = "急售 好房"
BODY = "御东新区 三室两厅 120平米，精装修，拎包入住。电话 13903528491（微信同号）Tel: 0352-5393120!"
CATEGORY = "房屋出售"
CUSTOMER = "王先生"

# The desk in a child process: it opens on the database, and once its categories are loaded
# a clerk "types" the ad key by key (Chinese as input-method commits), then it idles.
CHILD = r"""
import datetime as dt
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from adsdesk.store.database import init_db
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow

db, title, body, category, customer = sys.argv[1:6]
app = application()
init_db(db)
window = MainWindow(DbExecutor(), db)
window.show()


def type_into(widget, text):
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)
        app.processEvents()


def start():
    if window.editor.category.count() == 0:
        QTimer.singleShot(50, start)
        return
    window.editor.category.setCurrentText(category)
    type_into(window.editor.advertiser, customer)
    window.editor.run_dates.set_dates([dt.date(2030, 3, 15), dt.date(2030, 3, 17)])
    type_into(window.editor.title, title)
    type_into(window.editor.body, body)
    print("typed", flush=True)


QTimer.singleShot(0, start)
app.exec()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_desk_killed_a_second_after_typing_offers_the_draft_back(qtbot, db_path: Path) -> None:
    init_db(db_path)  # the file exists before the child opens it
    close_db()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), TITLE, BODY, CATEGORY, CUSTOMER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "typed", child.stderr.read() if child.stderr else ""
        # One second after the last keystroke, the desk is still running: kill it hard.
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=1.0)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    application()
    init_db(db_path)
    executor = DbExecutor()
    window = MainWindow(executor, str(db_path))
    window.show()
    try:
        qtbot.waitUntil(lambda: window.editor.category.count() > 0)
        banner = window.drafts.banner
        assert banner.isVisible(), list(window.drafts.folder.parent.rglob("*"))
        assert "新广告" in window.drafts.banner_text.text()
        qtbot.mouseClick(window.drafts.restore_button, Qt.MouseButton.LeftButton)
        editor = window.editor
        qtbot.waitUntil(lambda: editor.body.toPlainText() == BODY)
        assert editor.title.text() == TITLE
        assert editor.category.currentText() == CATEGORY
        assert editor.advertiser.text() == CUSTOMER
        assert editor.run_dates.dates() == [dt.date(2030, 3, 15), dt.date(2030, 3, 17)]
        assert editor.is_dirty() and editor.ad_id() is None  # offered back, not saved behind
        assert not banner.isVisible()
    finally:
        window.drafts.discard()
        window.editor.clear_for_new()
        window.close()
        executor.shutdown()
        close_db()
