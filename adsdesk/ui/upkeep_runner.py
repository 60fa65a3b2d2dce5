"""Runs the background integrity check and daily backup on a thread of its own and shows the
outcome in the status bar: nothing slows start-up, nothing waits behind it."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from adsdesk.store.upkeep import Upkeep, backup_is_stale, run_upkeep

FIRST_RUN_MS = 4_000  # after the first screen is up
EVERY_MS = 30 * 60 * 1000  # is a backup due yet? (once a day one is)


class UpkeepRunner(QObject):
    """Starts :func:`run_upkeep` off the UI thread; ``finished`` brings the result back."""

    finished = Signal(object)

    def __init__(self, db_file: Path, status: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.db_file = db_file
        self.status = status
        self.last: Upkeep | None = None
        self._thread: threading.Thread | None = None
        self._told_damage = False
        self._stopped = False
        self.finished.connect(self._show)
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.run)

    def start(self, delay_ms: int = FIRST_RUN_MS) -> None:
        """Check (and back up when due) ``delay_ms`` from now, then every half hour."""
        QTimer.singleShot(delay_ms, self.run)
        self._timer.start()

    def stop(self) -> None:
        """No further checks (the window is closing); a check under way finishes quietly."""
        self._timer.stop()
        self._stopped = True

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        if self.running() or self._stopped:
            return
        self._thread = threading.Thread(target=self._work, name="adsdesk-upkeep", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            result = run_upkeep(self.db_file)
        except Exception as exc:  # a bug: logged; the desk goes on
            from adsdesk.buglog import report_bug

            result = Upkeep(backup_error=report_bug(exc, "background check and backup"))
        try:
            self.finished.emit(result)
        except RuntimeError:  # the window closed meanwhile
            pass

    def _show(self, result: Upkeep) -> None:
        self.last = result
        parent = self.parent()
        if result.damage:
            self.status.setText(self.tr("数据库已损坏，请告知主管"))
            self.status.setToolTip(result.damage)
            self.status.setStyleSheet("color: #c0262d; font-weight: bold")
            if not self._told_damage and isinstance(parent, QWidget):
                self._told_damage = True
                box = QMessageBox(
                    QMessageBox.Icon.Warning, self.tr("数据库检查"), result.damage, parent=parent
                )
                box.setObjectName("damageNotice")
                box.open()  # not modal for the clerk's work: the label stays until fixed
            return
        if result.backup_error:
            self.status.setText(self.tr("自动备份失败"))
            self.status.setToolTip(result.backup_error)
            self.status.setStyleSheet("color: #c0262d")
        elif backup_is_stale(result.last_backup):
            self.status.setText(self.tr("已超过两天没有完好的备份"))
            self.status.setToolTip(self.tr("请在 设置 → 备份 中检查备份文件夹。"))
            self.status.setStyleSheet("color: #b36b00")
        else:
            self.status.setText("")
            self.status.setToolTip("")
        if result.backup is not None and isinstance(parent, QWidget):
            bar = getattr(parent, "statusBar", None)
            if bar is not None:
                bar().showMessage(self.tr("已自动备份到 {0}").format(result.backup), 8000)
