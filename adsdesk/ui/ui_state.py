"""What the desk remembers between sessions on this computer: window, splitters, last folders.

Kept in ``desk.ini`` in the user data folder (``ADSDESK_DATA_DIR`` moves it, so tests never
touch the real one), not in the database: it belongs to the computer, not the paper.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from adsdesk import paths


def ui_settings() -> QSettings:
    """The desk's per-computer settings file (an .ini in the user data folder)."""
    folder = paths.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def last_folder() -> Path:
    """Where the next file dialog starts: the folder last used, else the user's documents."""
    value = ui_settings().value("files/last_folder", "")
    folder = Path(str(value)) if value else None
    if folder is not None and folder.is_dir():
        return folder
    return documents_folder()


def remember_folder(chosen: Path) -> None:
    settings = ui_settings()
    settings.setValue("files/last_folder", str(chosen.parent))
    settings.sync()


def _dialog(parent: QWidget | None, title: str, name: str, pattern: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(last_folder()), pattern)
    dialog.setObjectName("deskFileDialog")
    if name:
        dialog.selectFile(name)
    return dialog


def ask_save_path(parent: QWidget | None, title: str, name: str, pattern: str) -> Path | None:
    """A save dialog starting in the last folder (documents the first time); None if cancelled."""
    dialog = _dialog(parent, title, name, pattern)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    suffix = pattern.split("*.")[1].split(")")[0].split()[0] if "*." in pattern else ""
    if suffix:
        dialog.setDefaultSuffix(suffix)
    return _run(dialog)


def ask_open_path(parent: QWidget | None, title: str, pattern: str) -> Path | None:
    """An open dialog starting in the last folder (documents the first time)."""
    dialog = _dialog(parent, title, "", pattern)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(dialog)


def _run(dialog: QFileDialog) -> Path | None:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        chosen = Path(dialog.selectedFiles()[0])
    finally:
        dialog.deleteLater()
    remember_folder(chosen)
    return chosen
