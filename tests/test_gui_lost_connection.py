"""The cable is pulled while a clerk saves: the ad stays on screen and is saved once the
server answers again. The desk talks to PostgreSQL through a relay that the test cuts."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from conftest import type_text
from PySide6.QtCore import Qt

from adsdesk.store.database import close_db, init_db
from adsdesk.ui.app import application
from adsdesk.ui.dbexec import DbExecutor
from adsdesk.ui.main_window import MainWindow


class Relay:
    """A TCP relay to the server that can be cut (every connection dropped, new ones hung
    up at once, as when the cable is pulled or the server restarts) and mended."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.down = False
        self.stopped = False
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            if self.down:
                client.close()  # the server is not there: hung up at once
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        self.down = True
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def mend(self) -> None:
        self.down = False

    def stop(self) -> None:
        self.stopped = True
        self.cut()
        self.listener.close()


@pytest.fixture
def relayed(demo_db: Path | str) -> Iterator[tuple[str, str, Relay]]:
    """(server URL, the same database through a relay, the relay)."""
    if isinstance(demo_db, Path):
        pytest.skip("a lost connection is a server's matter: an SQLite file has none")
    parts = urlsplit(demo_db)
    relay = Relay(parts.hostname or "127.0.0.1", parts.port or 5432)
    netloc = (
        f"{parts.username}@127.0.0.1:{relay.port}" if parts.username else f"127.0.0.1:{relay.port}"
    )
    through = urlunsplit(parts._replace(netloc=netloc))
    close_db()
    init_db(through)
    try:
        yield demo_db, through, relay
    finally:
        close_db()
        relay.stop()


def _titles(url: str) -> list[str]:
    con = psycopg2.connect(url)
    try:
        cur = con.cursor()
        cur.execute("SELECT title FROM ad ORDER BY id")
        return [r[0] for r in cur.fetchall()]
    finally:
        con.close()


def test_ad_saved_during_an_outage_is_kept_and_saved_when_the_server_is_back(
    qtbot, relayed
) -> None:
    direct, through, relay = relayed
    application()
    executor = DbExecutor()
    window = MainWindow(executor, through)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.editor.category.count() > 0)
        qtbot.waitUntil(lambda: window.list_pane.model.rowCount() > 0)
        editor = window.editor
        window.new_ad()
        editor.category.setCurrentText("家居服务")
        type_text(qtbot, editor.title, "断网纱窗")
        type_text(qtbot, editor.body, "纱窗安装 电话 13803521111")
        editor.run_dates.set_run(dt.date(2023, 3, 1), 1)

        relay.cut()  # the cable is pulled
        qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "连接中断" in window.statusBar().currentMessage(), timeout=30000)
        # Nothing lost, nothing pretended: the ad is on screen, unsaved, and not in the database.
        assert editor.title.text() == "断网纱窗"
        assert "13803521111" in editor.body.toPlainText()
        assert editor.is_dirty() and editor.ad_id() is None
        assert "断网纱窗" not in _titles(direct)

        relay.mend()  # the server is back: the desk saves by itself
        qtbot.waitUntil(lambda: editor.ad_id() is not None, timeout=30000)
        assert "已保存广告" in window.statusBar().currentMessage()
        assert not editor.is_dirty()
        assert _titles(direct).count("断网纱窗") == 1  # saved once, not once per retry
        # and the list shows it, read through the mended connection
        qtbot.waitUntil(
            lambda: any(
                "断网纱窗" in str(window.list_pane.model.index(r, c).data())
                for r in range(window.list_pane.model.rowCount())
                for c in range(window.list_pane.model.columnCount())
            ),
            timeout=15000,
        )
    finally:
        window.editor.clear_for_new()
        window.close()
        executor.shutdown()
