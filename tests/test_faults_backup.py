"""Backups that refuse damage, restore over a damaged file, ids never given out twice."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from faults import damage

from adsdesk.cli import main
from adsdesk.store.ads import AdDraft, delete_ad, save_ad
from adsdesk.store.backup import (
    BackupFile,
    backup_due,
    daily_backup,
    last_good_backup,
    list_backups,
    restore_from,
    to_keep,
)
from adsdesk.store.database import StoreError, close_db, init_db
from adsdesk.store.models import Ad
from adsdesk.store.sqlite_health import check_file

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: damage, locks, copies


def _new_ad(title: str) -> int:
    return save_ad(AdDraft(title=title, body="电话 13835212345", category="其他"))


def test_backup_of_a_damaged_database_is_refused_and_old_backups_stay(
    demo_db: Path, tmp_path: Path, capsys
):
    folder = tmp_path / "backups"
    folder.mkdir()
    close_db()
    assert main(["backup", str(folder), "--db", str(demo_db)]) == 0
    good = list(folder.iterdir())
    assert len(good) == 1 and check_file(good[0]) == []
    damage(demo_db)
    code = main(["backup", str(folder), "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert code != 0
    assert "已损坏" in err and "没有写出备份" in err, err
    assert list(folder.iterdir()) == good  # nothing damaged copied in, the good one kept


def test_restore_over_a_damaged_file_keeps_it_aside_as_it_is(demo_db: Path, tmp_path: Path):
    backups = tmp_path / "backups"
    close_db()
    assert main(["backup", str(backups / "good.sqlite3"), "--db", str(demo_db)]) != 0  # no folder
    backups.mkdir()
    assert main(["backup", str(backups / "good.sqlite3"), "--db", str(demo_db)]) == 0
    damage(demo_db)
    damaged = demo_db.read_bytes()
    assert main(["db", "check", "--db", str(demo_db)]) == 1
    kept = restore_from(backups / "good.sqlite3", demo_db, backups)
    assert kept is not None and kept.read_bytes() == damaged  # the damaged file, byte for byte
    assert check_file(demo_db) == []
    assert main(["db", "check", "--db", str(demo_db)]) == 0


def test_two_restores_within_one_second_both_succeed(demo_db: Path, tmp_path: Path):
    backups = tmp_path / "backups"
    close_db()
    source = tmp_path / "good.sqlite3"
    assert main(["backup", str(source), "--db", str(demo_db)]) == 0
    first = restore_from(source, demo_db, backups)
    second = restore_from(source, demo_db, backups)
    assert first and second and first != second and first.exists() and second.exists()


def test_restore_under_an_open_desk_never_reuses_an_id(demo_db: Path, tmp_path: Path):
    """The desk (this process's connection) stays open through a restore; the ads it made
    after the backup are gone with the restore, but their ids are never handed out again."""
    backup = tmp_path / "before.sqlite3"
    assert main(["backup", str(backup), "--db", str(demo_db)]) == 0
    init_db(demo_db)  # the desk, open
    later = [_new_ad(f"备份后 {i}") for i in range(5)]
    restore_from(backup, demo_db, tmp_path / "backups")
    assert not Ad.select().where(Ad.id.in_(later)).exists()  # the desk reads restored data
    fresh = _new_ad("恢复后")
    assert fresh > max(later)
    close_db()
    assert check_file(demo_db) == []


def test_deleting_the_newest_ad_never_frees_its_id(desk_db: Path):
    first = _new_ad("一")
    newest = _new_ad("二")
    delete_ad(newest)
    assert _new_ad("三") == newest + 1 > first


def test_upgrade_keeps_ids_and_rows(demo_db: Path):
    """The step that rebuilds ads and advertisers keeps every row, id and booking."""
    con = sqlite3.connect(demo_db)
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name='ad'").fetchone()[0]
    con.close()
    assert "AUTOINCREMENT" in sql
    assert check_file(demo_db) == []
    assert [a.id for a in Ad.select().order_by(Ad.id)] == list(range(1, 14))


def _b(day: str, hour: int = 12) -> BackupFile:
    when = dt.datetime.fromisoformat(day).replace(hour=hour)
    return BackupFile(Path(f"x-{when:%Y%m%d-%H%M%S}.sqlite3"), when)


def test_rotation_keeps_seven_daily_and_four_weekly():
    start = dt.date(2024, 3, 31)
    backups = sorted(
        (_b((start - dt.timedelta(days=d)).isoformat(), h) for d in range(60) for h in (9, 18)),
        key=lambda b: b.taken,
        reverse=True,
    )
    keep = to_keep(backups)
    kept = sorted((b.taken for b in backups if b.path in keep), reverse=True)
    assert len(kept) == 11
    assert [k.date() for k in kept[:7]] == [start - dt.timedelta(days=d) for d in range(7)]
    assert all(k.hour == 18 for k in kept)  # the day's newest copy
    weeks = {tuple(k.isocalendar())[:2] for k in kept[7:]}
    assert len(weeks) == 4


def test_daily_backup_once_a_day_verified_and_rotated(demo_db: Path, tmp_path: Path):
    folder = tmp_path / "daily"
    close_db()
    for d in range(12):
        when = dt.datetime(2024, 3, 1, 8) + dt.timedelta(days=d)
        assert daily_backup(demo_db, folder, when) is not None
        assert daily_backup(demo_db, folder, when + dt.timedelta(hours=3)) is None  # not due
    days = [b.taken.day for b in list_backups(folder, demo_db.stem)]
    # 1 March 2024 is a Friday: the 7 newest days, then the newest of each older ISO week
    assert days == [12, 11, 10, 9, 8, 7, 6, 5, 3]
    assert not backup_due(folder, demo_db.stem, dt.datetime(2024, 3, 12, 23))
    last = last_good_backup(folder, demo_db.stem)
    assert last is not None and check_file(last.path) == []
    damage(demo_db)
    with pytest.raises(StoreError, match="已损坏"):
        daily_backup(demo_db, folder, dt.datetime(2024, 3, 13, 8))
    assert len(list_backups(folder, demo_db.stem)) == 9  # no good copy rotated away
