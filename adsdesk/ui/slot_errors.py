"""A bug raised in a Qt slot (outside any database job) is logged and told, not lost."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from adsdesk.buglog import logger, report_bug
from adsdesk.errors import DeskError

_showing = False  # a second error while the first is on screen is logged, not stacked


def _desk_window() -> QWidget | None:
    """The window the clerk is working in: the active one, else the desk's main window."""
    active = QApplication.activeWindow()
    if active is not None:
        return active.window()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    mains = [w for w in shown if isinstance(w, QMainWindow)]
    return (mains or shown or [None])[0]


def _tell(title: str, sentence: str) -> None:
    """The sentence in the active window's status bar and a box that does not block."""
    global _showing
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    window = _desk_window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(sentence, 15000)
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.Ok, window
    )
    box.setObjectName("slotError")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.finished.connect(_shown)
    box.show()  # not exec(): the hook must return to the event loop at once


def _shown(_result: int) -> None:
    global _showing
    _showing = False


def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook`` for the desk: what the clerk may be told is told; a bug is logged
    with its traceback and the clerk gets the short sentence naming the log file. The work
    on screen stays as it was: nothing is closed or cleared."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, DeskError):
        _tell(QApplication.translate("app", "无法完成"), str(exc))
        return
    exc.__traceback__ = tb
    _tell(QApplication.translate("app", "程序出错"), report_bug(exc, "a desk action (Qt slot)"))


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    """A bug in a helper thread (not the database worker, which reports its own): logged."""
    if args.exc_value is not None:
        logger().error(
            "bug in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )


def install() -> Callable[[], None]:
    """Install the hooks; returns a function that puts the previous ones back."""
    previous, previous_thread = sys.excepthook, threading.excepthook
    sys.excepthook = handle
    threading.excepthook = _thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous, previous_thread

    return restore
