"""Backups that are checked, the daily rotation, and restore (over a damaged file too).

Every copy is made with SQLite's online backup (consistent while desks write), written beside
its final name, given the full integrity check, and only then renamed into place: a file in the
backup folder is a good backup. A damaged database is never copied into the backups.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from adsdesk.io.atomic import OutputError, atomic_output, fsync_dir, temp_name
from adsdesk.store.database import StoreError, copy_sqlite, inspect_sqlite
from adsdesk.store.id_floor import high_water, raise_sequence
from adsdesk.store.sqlite_health import Fault, advice, check_file, classify, connect_ro

KEEP_DAILY = 7
KEEP_WEEKLY = 4
STALE_AFTER = dt.timedelta(days=2)
_STAMP = "%Y%m%d-%H%M%S"


class SourceDamaged(StoreError):
    """The database to be copied is damaged: no backup was written, older ones are kept."""


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime(_STAMP)


def unique_path(folder: Path, stem: str, suffix: str = ".sqlite3") -> Path:
    """``folder/stem.suffix``, or ``stem-2``, ``stem-3`` … when taken (two in one second)."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def verified_copy(src: Path, dest: Path, *, full: bool = True) -> None:
    """Copy ``src`` to ``dest`` whole and checked, or raise (``dest`` then does not exist).

    Raises SourceDamaged when the copy fails the integrity check (the source is damaged).
    """
    try:
        with atomic_output(dest) as tmp:
            copy_sqlite(src, tmp)
            _single_file(tmp)
            problems = check_file(tmp, full=full)
            if problems:
                raise SourceDamaged(
                    advice(Fault.DAMAGED, src, f"发现 {len(problems)} 处问题")
                    + "没有写出备份，已有的备份都未动。"
                )
    except sqlite3.Error as exc:
        fault = classify(exc, src)
        raise StoreError(advice(fault, src, str(exc)) + "没有写出备份。") from exc
    except OutputError as exc:
        raise StoreError(str(exc)) from exc


def _single_file(path: Path) -> None:
    """A backup is one self-contained file: rollback journal instead of WAL (no -wal/-shm)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)


def backup_to(db_file: Path, dest: Path | None, backups_dir: Path) -> Path:
    """Write a checked copy of ``db_file`` (safe while the desk is open); returns where."""
    if not db_file.exists():
        raise StoreError(f"数据库 {db_file} 不存在，无可备份。")
    inspect_sqlite(db_file)
    stem = f"{db_file.stem}-{_stamp()}"
    if dest is None:
        dest = backups_dir
        dest.mkdir(parents=True, exist_ok=True)
    if dest.is_dir():
        dest = unique_path(dest, stem)
    elif dest.exists():
        raise StoreError(f"{dest} 已存在；为免覆盖，请换一个文件名。")
    elif not dest.parent.is_dir():
        raise StoreError(f"无法写入备份 {dest}：文件夹 {dest.parent} 不存在。")
    verified_copy(db_file, dest)
    return dest


# --- automatic daily backups ----------------------------------------------------------------
@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: dt.datetime


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})(?:-\d+)?\.sqlite3$")


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The regular backups of the database named ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = _pattern(stem)
    found = []
    for entry in folder.iterdir():
        m = pattern.match(entry.name)
        if m and entry.is_file():
            found.append(BackupFile(entry, dt.datetime.strptime(m.group(1), _STAMP)))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def last_good_backup(folder: Path, stem: str) -> BackupFile | None:
    """The newest backup (files appear in the folder only once checked)."""
    backups = list_backups(folder, stem)
    return backups[0] if backups else None


def backup_due(folder: Path, stem: str, now: dt.datetime | None = None) -> bool:
    last = last_good_backup(folder, stem)
    return last is None or last.taken.date() < (now or dt.datetime.now()).date()


def to_keep(backups: list[BackupFile]) -> set[Path]:
    """Newest of each of the last 7 days with a backup, and of the 4 weeks before those."""
    keep: set[Path] = set()
    days: list[dt.date] = []
    weeks: list[tuple[int, int]] = []
    for b in backups:  # newest first
        day = b.taken.date()
        if day in days:
            continue
        if len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(b.path)
            continue
        days.append(day)
        week = tuple(day.isocalendar())[:2]
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.append(week)  # type: ignore[arg-type]
            keep.add(b.path)
    return keep


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete regular backups beyond 7 daily and 4 weekly copies; returns what was deleted."""
    backups = list_backups(folder, stem)
    keep = to_keep(backups)
    gone = []
    for b in backups:
        if b.path not in keep:
            try:
                b.path.unlink()
                gone.append(b.path)
            except OSError:
                continue
    return gone


def daily_backup(db_file: Path, folder: Path, now: dt.datetime | None = None) -> Path | None:
    """Today's backup when none was made yet today, then the rotation; None when not due.

    A damaged database raises SourceDamaged and leaves every older backup in place.
    """
    if not backup_due(folder, db_file.stem, now):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    dest = unique_path(folder, f"{db_file.stem}-{_stamp(now)}")
    verified_copy(db_file, dest)
    rotate(folder, db_file.stem)
    return dest


def restored_mark() -> str:
    """When the bound database was last restored ("" if never): a desk that sees this
    change while open reloads everything it shows."""
    from adsdesk.store.models import MetaInfo

    row = MetaInfo.get_or_none(MetaInfo.key == "restored_at")
    return row.value if row else ""


def follow_restore(target: str, seen: str | None) -> str:
    """Run on the desk's database thread: the current restore mark; when it changed and the
    restored backup is from an older version of the desk, reopen (and so upgrade) the file."""
    from adsdesk.store.database import SCHEMA_VERSION, database_path, init_db, is_server_url
    from adsdesk.store.models import MetaInfo

    bound = database_path()  # (None: a server)
    if is_server_url(target):
        elsewhere = bound is not None
    else:
        elsewhere = bound is None or bound.resolve() != Path(target).expanduser().resolve()
    if elsewhere:
        return seen or ""  # not the database this desk has open (any more)
    mark = restored_mark()
    if seen is not None and mark != seen:
        row = MetaInfo.get_or_none(MetaInfo.key == "schema_version")
        if row is None or int(row.value) < SCHEMA_VERSION:
            init_db(target)
    return mark


# --- restore --------------------------------------------------------------------------------
def _current_state(path: Path) -> Fault | None:
    """None when the file is healthy; DAMAGED when its pages or header are bad. A file that is
    locked or read-only stops the restore with that advice (it is not damaged)."""
    try:
        problems = check_file(path, full=False)
    except sqlite3.Error as exc:
        fault = classify(exc, path)
        if fault in (Fault.LOCKED, Fault.READ_ONLY):
            raise StoreError(advice(fault, path) + "未恢复。") from exc
        return Fault.DAMAGED
    return Fault.DAMAGED if problems else None


def _keep_aside(db_file: Path, folder: Path, healthy: bool) -> Path:
    """Copy the current file into ``folder`` before it is replaced: a checked copy when
    healthy, a byte-for-byte one (with its journal) when damaged."""
    folder.mkdir(parents=True, exist_ok=True)
    aside = unique_path(folder, f"{db_file.stem}-before-restore-{_stamp()}")
    if healthy:
        verified_copy(db_file, aside, full=False)
        return aside
    try:
        shutil.copyfile(db_file, aside)
        wal = db_file.with_name(db_file.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, aside.with_name(aside.name + "-wal"))
    except OSError as exc:
        aside.unlink(missing_ok=True)
        raise StoreError(f"无法把当前数据库另存到 {folder}：{exc.strerror}。未恢复。") from exc
    return aside


def _marks(db_file: Path) -> dict[str, int]:
    try:
        con = connect_ro(db_file)
    except sqlite3.Error:
        return {}
    try:
        return high_water(con)
    finally:
        con.close()


def restore_from(src: Path, db_file: Path, backups_dir: Path) -> Path | None:
    """Replace ``db_file`` with the backup ``src``; returns where the old file was kept.

    The old file is kept aside first, as it is (even damaged). Ids given out in the old file
    are never given out again. A desk that has the file open reads the restored data from its
    next query (the pages are written through SQLite, under its locks).
    """
    if not src.exists():
        raise StoreError(f"备份文件 {src} 不存在。")
    _version, has_tables = inspect_sqlite(src)
    if not has_tables:
        raise StoreError(f"{src} 是空文件，不是 adsdesk 备份。")
    if check_file(src, full=True):
        raise StoreError(f"备份 {src} 本身已损坏，未恢复；请换一份备份。")
    kept = None
    healthy = False
    marks: dict[str, int] = {}
    if db_file.exists():
        healthy = _current_state(db_file) is None
        kept = _keep_aside(db_file, backups_dir, healthy)
        marks = _marks(db_file)
    db_file.parent.mkdir(parents=True, exist_ok=True)
    prepared = db_file.with_name(temp_name(db_file).name)
    try:
        copy_sqlite(src, prepared)
        con = sqlite3.connect(prepared, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            raise_sequence(con, marks)
            # Open desks poll this mark and reload what they show (see restored_mark).
            con.execute(
                "INSERT OR REPLACE INTO meta_info (key, value) VALUES ('restored_at', ?)",
                (dt.datetime.now().isoformat(timespec="microseconds"),),
            )
            con.execute("COMMIT")
        finally:
            con.close()
        if healthy:
            copy_sqlite(prepared, db_file)  # through SQLite: open desks stay consistent
        else:
            with prepared.open("rb+") as fh:
                os.fsync(fh.fileno())
            for side in ("-wal", "-shm", "-journal"):
                db_file.with_name(db_file.name + side).unlink(missing_ok=True)
            os.replace(prepared, db_file)
            fsync_dir(db_file.parent)
    except (OSError, sqlite3.Error) as exc:
        where = f"原数据库已另存于 {kept}。" if kept else ""
        raise StoreError(f"恢复失败：{exc}。{where}") from exc
    finally:
        prepared.unlink(missing_ok=True)
    return kept
