"""The database under faults: lock waits, read-only, locked and damaged files told apart."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from faults import damage, read_only_folder

from adsdesk.cli import main

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: damage, locks, copies


def _checkpointed(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def test_db_check_passes_a_healthy_file_and_fails_a_damaged_one(demo_db: Path, capsys):
    from adsdesk.store.database import close_db

    close_db()
    assert main(["db", "check", "--db", str(demo_db)]) == 0
    assert "完好" in capsys.readouterr().out
    damage(demo_db)
    assert main(["db", "check", "--db", str(demo_db), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False and result["check"] == "integrity_check"
    assert result["problems"] and "已损坏" in result["message"]
    assert main(["db", "check", "--db", str(demo_db)]) == 1
    assert "adsdesk restore" in capsys.readouterr().out


def test_a_save_that_reads_first_waits_for_another_writer(desk_db: Path):
    """With deferred transactions, a save that read before writing failed at once with
    "database is locked" when another program wrote in between; now it takes the write lock
    up front, so the other program waits (or is told) and the save goes through."""
    from adsdesk.store.models import Ad, Category, db

    other = sqlite3.connect(desk_db, timeout=0, isolation_level=None)
    with db.atomic():
        Ad.select().count()  # the read that used to start a read-only (deferred) transaction
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO category (name, position) VALUES ('其他程序', 9)")
        Category.create(name="本台", position=1)  # and the write still succeeds
    other.execute("INSERT INTO category (name, position) VALUES ('其他程序', 9)")
    other.close()
    assert {c.name for c in Category.select()} == {"本台", "其他程序"}


def test_a_writer_waits_for_the_lock_instead_of_failing(desk_db: Path):
    from adsdesk.store.ads import AdDraft, save_ad

    other = sqlite3.connect(desk_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another desk holds the write lock
    started = threading.Event()
    outcome: list[object] = []

    def save() -> None:
        started.set()
        try:
            outcome.append(save_ad(AdDraft(title="等锁", body="电话 13835212345")))
        except Exception as exc:
            outcome.append(exc)
        finally:
            from adsdesk.store.database import close_db

            close_db()

    worker = threading.Thread(target=save)
    worker.start()
    started.wait()
    other.execute("COMMIT")  # released while the save waits (or before it even asked)
    worker.join()
    other.close()
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome


def test_read_only_folder_is_not_called_damaged(demo_db: Path, tmp_path: Path, capsys):
    from adsdesk.store.database import close_db

    close_db()
    with read_only_folder(tmp_path / "ro", [_checkpointed(demo_db)]) as folder:
        code = main(["search", "和平", "--db", str(folder / demo_db.name)])
        err = capsys.readouterr().err
    assert code != 0
    assert "只读" in err and "损坏" not in err and "restore" not in err, err


def test_file_locked_by_another_program_is_not_called_damaged(
    demo_db: Path, capsys, monkeypatch: pytest.MonkeyPatch
):
    from adsdesk.store.database import close_db

    close_db()
    monkeypatch.setenv("ADSDESK_BUSY_TIMEOUT_MS", "200")
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO category (name, position) VALUES ('占用', 99)")
    try:
        code = main(["search", "和平", "--db", str(demo_db)])
        err = capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code != 0
    assert "另一个程序" in err and "损坏" not in err, err


def test_damaged_file_is_called_damaged(demo_db: Path, capsys):
    from adsdesk.store.database import close_db

    close_db()
    con = sqlite3.connect(demo_db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with demo_db.open("r+b") as fh:  # the schema page itself
        fh.seek(100)
        fh.write(b"\x00" * 200)
    code = main(["search", "和平", "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert code != 0
    assert "已损坏" in err and "adsdesk restore" in err, err


def _csv(path: Path, rows: int) -> Path:
    lines = ["分类,标题,正文,刊登日期"]
    lines += [f"其他,满盘{i},旧家具出售 电话 1393521{i:04d},2024-03-01" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_into_a_damaged_file_is_refused(demo_db: Path, tmp_path: Path, capsys):
    from adsdesk.store.database import close_db

    close_db()
    damage(demo_db)
    code = main(["import", str(_csv(tmp_path / "t.csv", 5)), "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert code != 0 and "已损坏" in err and "未导入" in err, err


def test_disk_full_while_importing_and_saving_says_so_and_keeps_nothing(tmp_path: Path, capsys):
    """It used to end in "cannot rollback - no transaction is active" inside tracebacks."""
    from faults import fill, tiny_disk

    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.database import StoreError, close_db, describe_fault, init_db
    from adsdesk.store.models import Ad
    from adsdesk.store.settings import ensure_default_categories

    table = _csv(tmp_path / "big.csv", 2000)
    with tiny_disk(tmp_path / "disk", size_kb=1024) as disk:
        db = disk / "desk.sqlite3"
        init_db(db)
        ensure_default_categories()
        close_db()
        fill(disk, leave_kb=80)
        code = main(["import", str(table), "--db", str(db)])
        err = capsys.readouterr().err
        assert code != 0
        assert "磁盘已满" in err and str(disk) in err and "没有保存" in err, err
        assert "rollback" not in err and "Traceback" not in err
        init_db(db)
        assert Ad.select().count() == 0  # all or nothing
        with pytest.raises(Exception) as failed:
            for i in range(200):  # the clerk keeps saving until the disk is full
                save_ad(AdDraft(category="其他", title=f"第{i}则", body="长文" * 400))
        sentence = describe_fault(failed.value)
        assert sentence is not None and "磁盘已满" in sentence, failed.value
        assert not isinstance(failed.value, StoreError) or "rollback" not in str(failed.value)
        close_db()
        (disk / "filler").unlink()
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()


def test_a_save_that_waited_out_the_lock_says_another_program_holds_the_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.database import close_db, describe_fault, init_db
    from adsdesk.store.settings import ensure_default_categories

    monkeypatch.setenv("ADSDESK_BUSY_TIMEOUT_MS", "300")  # instead of a minute
    init_db(db_path)
    ensure_default_categories()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program keeps the write lock
    try:
        with pytest.raises(Exception) as failed:
            save_ad(AdDraft(category="其他", title="等不到", body="电话 13835212345"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    sentence = describe_fault(failed.value)
    assert sentence is not None
    assert "另一个程序" in sentence and "没有保存" in sentence and "损坏" not in sentence
    save_ad(AdDraft(category="其他", title="放开后", body="电话 13835212345"))  # then it works
    close_db()
