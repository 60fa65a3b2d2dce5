"""Copy the database safely (SQLite online backup) and restore from such a copy."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from adsdesk.store.database import StoreError, copy_sqlite, inspect_sqlite


def backup_to(db_file: Path, dest: Path | None, backups_dir: Path) -> Path:
    """Write a consistent copy of ``db_file`` (safe while the desk is open)."""
    if not db_file.exists():
        raise StoreError(f"数据库 {db_file} 不存在，无可备份。")
    inspect_sqlite(db_file)
    if dest is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = backups_dir / f"adsdesk-{stamp}.sqlite3"
    if dest.is_dir():
        dest = dest / f"adsdesk-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    if dest.exists():
        raise StoreError(f"{dest} 已存在；为免覆盖，请换一个文件名。")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        copy_sqlite(db_file, dest)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"无法写入备份 {dest}：{exc}。") from exc
    return dest


def restore_from(src: Path, db_file: Path, backups_dir: Path) -> Path | None:
    """Replace ``db_file`` with the backup ``src``; the current file is first copied aside.

    Returns where the previous database was kept (None if there was none).
    """
    if not src.exists():
        raise StoreError(f"备份文件 {src} 不存在。")
    _version, has_tables = inspect_sqlite(src)
    if not has_tables:
        raise StoreError(f"{src} 是空文件，不是 adsdesk 备份。")
    kept = None
    if db_file.exists():
        kept = backup_to(db_file, None, backups_dir)
    try:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        copy_sqlite(src, db_file)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"恢复失败：{exc}。原数据库已另存于 {kept}。") from exc
    return kept
