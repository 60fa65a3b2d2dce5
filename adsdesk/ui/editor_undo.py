"""Undo and redo across every field of the editor (Ctrl+Z / Ctrl+Y), not one field at a time."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from adsdesk.ui.editor import AdEditor

MERGE_SECONDS = 1.0  # typing in one field without a pause is one step
LIMIT = 500


class EditorUndo(QObject):
    """A history of the editor's whole state. Each step is one field's change; typing in
    one field without pausing for a second is a single step, as in a word processor."""

    def __init__(self, editor: AdEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self._states: list[dict[str, Any]] = [editor.field_state()]
        self._index = 0
        self._last_field = ""
        self._last_at = 0.0
        self._applying = False
        editor.loaded.connect(self.reset)
        editor.dirty_changed.connect(lambda _d: self._changed())
        editor.override_reason.textChanged.connect(lambda _t: self._changed())
        for widget in (editor.title, editor.body, editor.advertiser, editor.override_reason):
            widget.installEventFilter(self)  # their own Ctrl+Z would undo one field only
        for keys, slot in (
            (QKeySequence.StandardKey.Undo, self.undo),
            (QKeySequence("Ctrl+Y"), self.redo),
            (QKeySequence.StandardKey.Redo, self.redo),
        ):
            shortcut = QShortcut(keys, editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # --- recording ----------------------------------------------------------------------
    def reset(self) -> None:
        self._states = [self.editor.field_state()]
        self._index = 0
        self._last_field = ""

    def _changed(self) -> None:
        if self._applying:
            return
        state = self.editor.field_state()
        top = self._states[self._index]
        changed = [k for k in state if state[k] != top.get(k)]
        if not changed:
            return
        field = changed[0] if len(changed) == 1 else "*"
        now = time.monotonic()
        del self._states[self._index + 1 :]  # a new change drops what could be redone
        merge = (
            self._index > 0
            and field == self._last_field
            and field in ("title", "body", "advertiser", "override_reason")
            and now - self._last_at < MERGE_SECONDS
        )
        if merge:
            self._states[self._index] = state
        else:
            self._states.append(state)
            if len(self._states) > LIMIT:
                del self._states[0]
            self._index = len(self._states) - 1
        self._last_field, self._last_at = field, now

    # --- moving through it --------------------------------------------------------------
    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def undo(self) -> None:
        if self.can_undo():
            self._go(self._index - 1)

    def redo(self) -> None:
        if self.can_redo():
            self._go(self._index + 1)

    def _go(self, index: int) -> None:
        self._index = index
        self._last_field = ""  # the next keystroke starts a new step
        self._applying = True
        try:
            self.editor.apply_field_state(self._states[index])
        finally:
            self._applying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z from the text fields for the whole editor."""
        if isinstance(watched, QWidget) and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            assert isinstance(event, QKeyEvent)
            is_undo = event.matches(QKeySequence.StandardKey.Undo)
            is_redo = event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            )
            if is_undo or is_redo:
                if event.type() == QEvent.Type.KeyPress:
                    (self.undo if is_undo else self.redo)()
                event.accept()
                return True
        return super().eventFilter(watched, event)
