"""The Qt binding in use does not corrupt Python's bools when signals are emitted.

PySide6 6.12.0 drops one reference to ``True`` on every ``Signal.emit()``; after a few
thousand keystrokes in the editor the desk then aborts on exit. pyproject excludes it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_signals_keeps_bool_refcounts(qapp) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(200):
        emitter.changed.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert received == list(range(200))
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 5
