"""The desk's background care of its file: a quick integrity check and the daily backup.

Runs off the UI thread and off the database worker (its own read-only connection), so
neither start-up nor the clerk's saves wait for it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from adsdesk import paths
from adsdesk.store.backup import STALE_AFTER, BackupFile, daily_backup, last_good_backup
from adsdesk.store.database import StoreError
from adsdesk.store.sqlite_health import (
    Fault,
    advice,
    check_file,
    classify,
    connect_ro,
    note_damage,
)


def default_backup_dir() -> Path:
    return paths.data_dir() / "backups"


def configured_backup_dir(db_file: Path) -> Path:
    """The backup folder set in the database's settings, else the default one.

    Read through a read-only connection of its own: no migration, no lock on the desk.
    """
    try:
        con = connect_ro(db_file)
        try:
            row = con.execute("SELECT value FROM setting WHERE key='backup_dir'").fetchone()
        finally:
            con.close()
        folder = json.loads(row[0]) if row else ""
    except (sqlite3.Error, ValueError, TypeError):
        folder = ""
    return Path(folder).expanduser() if isinstance(folder, str) and folder else default_backup_dir()


@dataclass(frozen=True)
class Upkeep:
    """What the background check and backup found, for the desk to show."""

    problems: list[str] = field(default_factory=list)  # [] when the quick check passed
    damage: str = ""  # the sentence for the clerk and supervisor when damaged
    backup: Path | None = None  # the backup made this time (None when not due)
    backup_error: str = ""
    last_backup: BackupFile | None = None

    def backup_stale(self, now: dt.datetime | None = None) -> bool:
        return backup_is_stale(self.last_backup, now)


def backup_is_stale(last: BackupFile | None, now: dt.datetime | None = None) -> bool:
    """No backup, or the newest is older than two days."""
    return last is None or (now or dt.datetime.now()) - last.taken > STALE_AFTER


def run_upkeep(db_file: Path, folder: Path | None = None, *, backup: bool = True) -> Upkeep:
    """Quick-check ``db_file``; when healthy and none was made today, back it up."""
    folder = folder or configured_backup_dir(db_file)
    problems: list[str] = []
    damage = ""
    try:
        problems = check_file(db_file, full=False)
    except sqlite3.Error as exc:
        if classify(exc, db_file) is Fault.DAMAGED:
            problems = [str(exc)]
    if problems:
        damage = advice(Fault.DAMAGED, db_file, f"快速检查发现 {len(problems)} 处问题") + (
            "请告知主管；在恢复之前不会再做自动备份，以免损坏的内容进入备份。"
        )
    note_damage(db_file, damage)  # an import in this desk refuses a damaged file at once
    made = None
    backup_error = ""
    if backup and not problems:
        try:
            made = daily_backup(db_file, folder)
        except StoreError as exc:
            backup_error = str(exc)
        except OSError as exc:
            backup_error = f"无法写入备份文件夹 {folder}：{exc.strerror or exc}。"
    return Upkeep(problems, damage, made, backup_error, last_good_backup(folder, db_file.stem))
