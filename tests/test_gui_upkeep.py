"""The desk checks its file and backs it up in the background, and says what it found."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import type_text
from faults import damage
from PySide6.QtWidgets import QMessageBox

from adsdesk.store.backup import list_backups
from adsdesk.store.settings import load_settings
from adsdesk.store.sqlite_health import check_file
from adsdesk.ui.main_window import MainWindow
from adsdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.sqlite_only  # the SQLite file's own checks and backups


def _settings_dialog(answer_modal, desk: MainWindow, act) -> None:
    """Open the settings dialog, run ``act(dialog)`` in it, then accept it."""

    def inside(dialog: SettingsDialog) -> None:
        act(dialog)
        dialog.accept()

    seen = answer_modal(SettingsDialog, inside)
    desk.open_settings()
    assert seen


def test_daily_backup_in_the_background_and_shown_in_settings(
    qtbot, answer_modal, demo_desk: MainWindow, demo_db: Path, tmp_path: Path
):
    folder = tmp_path / "second-disk"
    folder.mkdir()

    def choose_folder(dialog: SettingsDialog) -> None:
        assert dialog.last_backup.text() == "还没有备份"
        assert "两天" in dialog.backup_warning.text()
        dialog.backup_dir.clear()
        type_text(qtbot, dialog.backup_dir, str(folder))

    _settings_dialog(answer_modal, demo_desk, choose_folder)
    qtbot.waitUntil(lambda: bool(demo_desk._values and demo_desk._values.settings.backup_dir))
    assert load_settings().backup_dir == str(folder)
    demo_desk.start_upkeep(delay_ms=0)
    qtbot.waitUntil(lambda: demo_desk.upkeep is not None and demo_desk.upkeep.last is not None)
    made = list_backups(folder, demo_db.stem)
    assert len(made) == 1 and check_file(made[0].path) == []
    assert demo_desk.health.text() == ""  # healthy and backed up: nothing to warn about
    demo_desk.reload_context()
    qtbot.waitUntil(lambda: demo_desk._values.last_backup is not None)

    def read_last(dialog: SettingsDialog) -> None:
        assert "今天" in dialog.last_backup.text() and str(folder) in dialog.last_backup.text()
        assert dialog.backup_warning.text() == ""

    _settings_dialog(answer_modal, demo_desk, read_last)


def test_settings_warn_when_the_last_backup_is_old(
    qtbot, answer_modal, demo_desk: MainWindow, demo_db: Path, tmp_path: Path
):
    folder = tmp_path / "data" / "backups"  # the default folder (ADSDESK_DATA_DIR)
    folder.mkdir(parents=True)
    old = (
        folder / f"{demo_db.stem}-{dt.datetime.now() - dt.timedelta(days=3):%Y%m%d-%H%M%S}.sqlite3"
    )
    old.write_bytes(demo_db.read_bytes())
    demo_desk.reload_context()
    qtbot.waitUntil(lambda: demo_desk._values.last_backup is not None)

    def read_warning(dialog: SettingsDialog) -> None:
        assert "3 天前" in dialog.last_backup.text()
        assert "已超过两天没有完好的备份" in dialog.backup_warning.text()

    _settings_dialog(answer_modal, demo_desk, read_warning)


def test_damage_found_in_the_background_is_told_and_not_backed_up(
    qtbot, answer_modal, demo_desk: MainWindow, demo_db: Path, tmp_path: Path
):
    qtbot.waitUntil(lambda: demo_desk.executor.pending() == 0)
    damage(demo_db)
    demo_desk.start_upkeep(delay_ms=0)
    qtbot.waitUntil(lambda: demo_desk.upkeep is not None and demo_desk.upkeep.last is not None)
    assert "已损坏" in demo_desk.health.text()
    assert "adsdesk restore" in demo_desk.health.toolTip()
    notice = demo_desk.findChild(QMessageBox, "damageNotice")
    assert notice is not None and notice.isVisible() and "已损坏" in notice.text()
    notice.close()
    backups = Path(os.environ["ADSDESK_DATA_DIR"]) / "backups"
    assert list_backups(backups, demo_db.stem) == []  # the damage was not copied into a backup
    from adsdesk.store.database import StoreError, refuse_if_damaged
    from adsdesk.store.sqlite_health import known_damage

    assert "已损坏" in known_damage(demo_db)  # an import in this desk is refused at once
    with pytest.raises(StoreError, match="未导入"):
        refuse_if_damaged()


def test_an_open_desk_reloads_after_a_restore_made_elsewhere(
    qtbot, demo_desk: MainWindow, demo_db: Path, tmp_path: Path
):
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.backup import restore_from
    from adsdesk.store.database import copy_sqlite

    qtbot.waitUntil(lambda: demo_desk.list_pane.model.rowCount() == 13)
    older = tmp_path / "older.sqlite3"
    copy_sqlite(demo_db, older)  # the backup, before three more ads were taken
    for i in range(3):
        save_ad(AdDraft(category="其他", title=f"备份后{i}", body="电话 13835212345"))
    demo_desk.reload_list()
    qtbot.waitUntil(lambda: demo_desk.list_pane.model.rowCount() == 16)
    restore_from(older, demo_db, tmp_path / "backups")  # e.g. `adsdesk restore` by a supervisor
    qtbot.waitUntil(lambda: demo_desk.list_pane.model.rowCount() == 13)
    # (the list may come back first: the desk also notices the changed file as a change)
    qtbot.waitUntil(lambda: "恢复" in demo_desk.statusBar().currentMessage(), timeout=5000)


def test_a_restore_from_an_older_version_is_upgraded_by_the_open_desk(
    qtbot, demo_desk: MainWindow, demo_db: Path, tmp_path: Path
):
    import sqlite3

    from adsdesk.store.backup import restore_from
    from adsdesk.store.database import SCHEMA_VERSION, copy_sqlite

    qtbot.waitUntil(lambda: demo_desk.list_pane.model.rowCount() == 13)
    older = tmp_path / "older.sqlite3"
    copy_sqlite(demo_db, older)
    con = sqlite3.connect(older)  # a backup written by the previous version of the desk
    con.execute(
        "UPDATE meta_info SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION - 1),)
    )
    con.commit()
    con.close()
    restore_from(older, demo_db, tmp_path / "backups")
    qtbot.waitUntil(lambda: "恢复" in demo_desk.statusBar().currentMessage())
    con = sqlite3.connect(demo_db)
    version = con.execute("SELECT value FROM meta_info WHERE key='schema_version'").fetchone()
    con.close()
    assert version == (str(SCHEMA_VERSION),), demo_desk.statusBar().currentMessage()
    qtbot.waitUntil(lambda: demo_desk.list_pane.model.rowCount() == 13)
