"""Keeps the ad being typed on disk moments after each keystroke; offers it back after a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QPushButton

from adsdesk.drafts import drafts_folder, forget_draft, keep_draft, kept_draft
from adsdesk.store import ads as ads_store
from adsdesk.store.actor import current_actor

if TYPE_CHECKING:
    from adsdesk.ui.main_window import MainWindow

KEEP_MS = 250  # after the last keystroke; well inside the promised 2 s


class DraftKeeper(QObject):
    """Writes the editor's fields to this clerk's draft file (off the UI thread) once typing
    pauses, forgets it when the ad is saved or the edit discarded, and at start offers the
    draft a crash left behind."""

    def __init__(self, window: MainWindow, db_target: str) -> None:
        super().__init__(window)
        self.window = window
        self.editor = window.editor
        self.folder = drafts_folder(db_target)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(KEEP_MS)
        self._timer.timeout.connect(self.keep_now)
        # A draft left by a crash waits for the clerk's answer; nothing overwrites it till then.
        self.pending: dict[str, Any] | None = kept_draft(self.folder, self._owner())
        self.banner = self._build_banner()
        self.editor.dirty_changed.connect(self._changed)
        self.editor.override_reason.textChanged.connect(
            lambda _t: self._changed(self.editor.is_dirty())
        )
        window.saved_ad.connect(lambda _ad: self.forget())
        if self.pending is not None:
            self._offer(self.pending)

    @staticmethod
    def _owner() -> str:
        return current_actor().label

    # --- keeping ------------------------------------------------------------------------
    def _changed(self, dirty: bool) -> None:
        if self.pending is not None:
            return
        if dirty:
            self._timer.start()  # restarted by every keystroke
        else:
            self._timer.stop()
            self.forget()

    def keep_now(self) -> None:
        """Write the draft now. On this thread: a few kB, and a busy machine must not
        delay it behind a worker (the promise is 2 s after the last keystroke)."""
        if self.pending is not None or not self.editor.is_dirty():
            return
        try:
            keep_draft(self.folder, self._owner(), self.editor.field_state())
        except OSError as exc:
            self.window.statusBar().showMessage(
                self.tr("草稿未能存盘：{0}").format(exc.strerror or exc), 8000
            )

    def forget(self) -> None:
        if self.pending is None:
            self._timer.stop()
            try:
                forget_draft(self.folder, self._owner())
            except OSError:
                pass  # a draft that cannot be removed is offered once more, no harm

    # --- offering a draft back ----------------------------------------------------------
    def _build_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("draftBanner")
        banner.setStyleSheet("#draftBanner { background: #fff4d6; border: 1px solid #e0b84f; }")
        row = QHBoxLayout(banner)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("恢复草稿"))
        self.restore_button.setObjectName("restoreDraft")
        self.discard_button = QPushButton(self.tr("丢弃"))
        self.discard_button.setObjectName("discardDraft")
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        layout = self.editor.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, banner)
        banner.hide()
        return banner

    def _offer(self, payload: dict[str, Any]) -> None:
        state = payload["state"]
        text = (str(state.get("title", "")) + " " + str(state.get("body", ""))).strip()
        what = text[:24] + ("…" if len(text) > 24 else "")
        ad = state.get("ad_id")
        which = self.tr("广告 #{0}").format(ad) if ad else self.tr("新广告")
        self.banner_text.setText(
            self.tr("上次没有保存的{0}草稿（{1}）：{2}").format(
                which, str(payload.get("kept_at", "")).replace("T", " "), what
            )
        )
        self.banner.show()

    def restore(self) -> None:
        """Put the kept draft back in the editor exactly as it was; it stays unsaved."""
        payload, self.pending = self.pending, None
        self.banner.hide()
        if payload is None:
            return
        state = payload["state"]
        ad_id = state.get("ad_id")

        def apply(draft: ads_store.AdDraft | None) -> None:
            if draft is None:
                self.editor.clear_for_new()
            else:
                self.editor.load(draft)
            self.editor.apply_field_state(state)
            self.keep_now()

        if isinstance(ad_id, int):
            self.window.executor.submit(
                lambda: ads_store.load_ad(ad_id), apply, lambda _why: apply(None)
            )
        else:
            apply(None)

    def discard(self) -> None:
        self.pending = None
        self.banner.hide()
        self.forget()
