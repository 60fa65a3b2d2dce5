"""``adsdesk db init|upgrade|check|copy`` and backups of a server desk, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adsdesk.cli import main
from adsdesk.store.database import close_db, init_db


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    """The sample column in an SQLite file of its own (the desk being moved)."""
    from adsdesk.demo import fill_demo
    from adsdesk.store.settings import ensure_default_categories

    path = tmp_path / "one-pc-desk.sqlite3"
    init_db(path)
    ensure_default_categories()
    fill_demo()
    close_db()
    return path


def test_init_then_check_finds_the_index_in_step_and_then_not(db_target, capsys) -> None:
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.models import db

    target = str(db_target)
    assert main(["db", "init", target]) == 0
    assert "结构版本" in capsys.readouterr().out
    save_ad(AdDraft(category="家居服务", title="疏通下水道", body="电话 13903528491"))
    assert main(["db", "check", target, "--json"]) == 0
    result = _json(capsys)
    assert result["ok"] and result["counts"]["ad"] == 1 and result["problems"] == []
    db.execute_sql("DELETE FROM search_ad")  # the index loses its rows behind the desk's back
    assert main(["db", "check", target]) == 1
    assert "reindex" in capsys.readouterr().out
    assert main(["reindex", "--db", target]) == 0
    assert main(["db", "check", target]) == 0


def test_check_of_a_server_desk_gives_advice_on_its_settings(db_target, capsys) -> None:
    from adsdesk.store.models import db
    from adsdesk.store.server_settings import advice, facts

    target = str(db_target)
    if "://" not in target:
        pytest.skip("a file has no server settings")
    assert main(["db", "check", target, "--json"]) == 0
    result = _json(capsys)
    init_db(target)
    found = facts(db.obj)
    assert found["shared_buffers_mb"] >= 1 and found["database_mb"] >= 1
    assert result["advice"] == advice(found)
    assert result["ok"]  # advice is for the administrator: the desk itself is fine
    # the rules: autovacuum off, and a cache much smaller than the database, each a sentence
    quiet = {"server_version": "15", "shared_buffers_mb": 4096, "autovacuum": True}
    assert advice({**quiet, "database_mb": 2300}) == []
    small = advice({**quiet, "shared_buffers_mb": 128, "database_mb": 2300})
    assert len(small) == 1 and "128 MB" in small[0] and "2300 MB" in small[0]
    off = advice({**quiet, "autovacuum": False, "database_mb": 50})
    assert len(off) == 1 and "autovacuum = on" in off[0]
    if not found["autovacuum"]:
        assert main(["db", "check", target]) == 0
        assert "建议：服务器关闭了 autovacuum" in capsys.readouterr().out


def test_upgrade_says_what_it_did_or_that_nothing_was_needed(db_target, capsys) -> None:
    target = str(db_target)
    if "://" not in target:  # (each server test database starts initialised)
        assert main(["db", "upgrade", target]) == 2  # nothing there yet
        assert "db init" in capsys.readouterr().err
    assert main(["db", "init", target]) == 0
    capsys.readouterr()
    assert main(["db", "upgrade", target]) == 0
    assert "无需升级" in capsys.readouterr().out


def test_copy_moves_the_whole_desk_verified(sample_file: Path, db_target, capsys) -> None:
    from adsdesk.store import search
    from adsdesk.store.dbcopy import ads_checksum
    from adsdesk.store.models import Ad, Insertion, db

    target = str(db_target)
    assert main(["db", "copy", str(sample_file), target, "--json"]) == 0
    report = _json(capsys)
    assert report["ads"] == 13 and report["tables"]["insertion"] == 13
    init_db(target)
    assert Ad.select().count() == 13 and Insertion.select().count() == 13
    assert [h.id for h in search.search("和平").ads] == [5, 2]  # searchable at once
    assert [a.name for a in search.search_advertisers("dthp")][:1] == ["大同和平医院"]
    assert ads_checksum(db.obj) == report["ads_checksum"]
    if "://" in target:  # vacuumed once copied: the index rows are all visible (index-only reads)
        visible = db.execute_sql(
            "SELECT relallvisible FROM pg_class WHERE relname = 'search_ad'"
        ).fetchone()[0]
        assert visible > 0
    # new rows go on after the copied ids
    from adsdesk.store.ads import AdDraft, save_ad

    assert save_ad(AdDraft(category="家居服务", title="新", body="电话 13903528491")) > 13
    close_db()
    # a target that already holds ads is refused, untouched
    assert main(["db", "copy", str(sample_file), target]) == 2
    assert "已经有广告" in capsys.readouterr().err
    init_db(target)
    assert Ad.select().count() == 14


def test_copy_into_a_desk_made_with_db_init_brings_the_whole_audit(
    sample_file: Path, db_target, capsys
) -> None:
    """README's way: ``db init`` the new desk (it records its default categories), then
    ``db copy`` the one-PC desk into it; its own setup record gives way to the copied chain."""
    from adsdesk.store.audit import AuditRecord, verify_chain

    init_db(sample_file)
    source = [(r.seq, r.action, r.hash) for r in AuditRecord.select().order_by(AuditRecord.seq)]
    close_db()
    target = str(db_target)
    assert main(["db", "init", target]) == 0
    assert [r.action for r in AuditRecord.select()] == ["settings.categories"]
    close_db()
    capsys.readouterr()
    assert main(["db", "copy", str(sample_file), target]) == 0, capsys.readouterr().err
    init_db(target)
    copied = [(r.seq, r.action, r.hash) for r in AuditRecord.select().order_by(AuditRecord.seq)]
    assert copied == source and verify_chain().ok


def test_copy_refuses_a_desk_whose_audit_holds_a_clerks_work(
    sample_file: Path, db_target, capsys
) -> None:
    from adsdesk.store.audit import AuditRecord, record

    target = str(db_target)
    assert main(["db", "init", target]) == 0
    record("user.add", "user", 1, {"name": ["", "王芳"]})
    close_db()
    capsys.readouterr()
    assert main(["db", "copy", str(sample_file), target]) == 2
    assert "已有操作记录" in capsys.readouterr().err
    init_db(target)
    assert [r.action for r in AuditRecord.select().order_by(AuditRecord.seq)] == [
        "settings.categories",
        "user.add",
    ]


def test_a_server_desk_is_backed_up_with_pg_dump(db_target, tmp_path: Path, capsys, monkeypatch):
    target = str(db_target)
    if "://" not in target:
        pytest.skip("pg_dump backs up a server desk; SQLite files have their own backup test")
    assert main(["db", "init", target]) == 0
    assert main(["backup", "--db", target, str(tmp_path)]) == 0
    dumps = list(tmp_path.glob("*.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes().startswith(b"PGDMP")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    capsys.readouterr()
    assert main(["backup", "--db", target, str(tmp_path / "again")]) == 2
    assert "找不到 pg_dump" in capsys.readouterr().err


def test_a_server_desk_is_restored_from_its_pg_dump(db_target, tmp_path: Path, capsys, monkeypatch):
    """``adsdesk restore --db URL`` puts a server desk back as its ``pg_dump`` had it, keeps
    the data as it was in a dump of its own, and never gives an ad's id out twice."""
    target = str(db_target)
    if "://" not in target:
        pytest.skip("pg_restore restores a server desk; SQLite files have their own restore test")
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.backup import follow_restore
    from adsdesk.store.models import Ad
    from adsdesk.store.search import search_ad_ids

    monkeypatch.chdir(tmp_path)
    assert main(["db", "init", target]) == 0
    kept = [
        save_ad(AdDraft(category="家居服务", title="纱窗", body=f"纱窗{i} 电话 13903528491"))
        for i in range(2)
    ]
    assert main(["backup", "--db", target, str(tmp_path / "backup.dump")]) == 0
    later = save_ad(AdDraft(category="家居服务", title="开锁", body="开锁换锁 电话 13903528492"))
    seen = follow_restore(target, None)  # what an open desk polls
    close_db()
    capsys.readouterr()
    assert main(["restore", "--db", target, str(tmp_path / "backup.dump")]) == 0
    said = capsys.readouterr().out
    before = Path(said.rsplit("另存为 ", 1)[1].strip())
    assert before.read_bytes().startswith(b"PGDMP")  # the data as it was, dumped first
    init_db(target)
    assert follow_restore(target, seen) != seen  # open desks reload what they show
    assert sorted(a.id for a in Ad.select()) == kept
    assert search_ad_ids("纱窗") == sorted(kept, reverse=True) and search_ad_ids("开锁") == []
    again = save_ad(AdDraft(category="家居服务", title="开锁", body="开锁 电话 13903528493"))
    assert again > later  # the id given out after the backup is not given out again
    close_db()
    # a one-PC desk's file or anything else is refused with a sentence, and nothing written
    sqlite_file = tmp_path / "one-pc.sqlite3"
    init_db(sqlite_file)
    close_db()
    (tmp_path / "notes.txt").write_text("不是备份", encoding="utf-8")
    assert main(["restore", "--db", target, str(sqlite_file)]) == 2
    assert "db copy" in capsys.readouterr().err
    assert main(["restore", "--db", target, str(tmp_path / "notes.txt")]) == 2
    assert "不是 pg_dump 备份" in capsys.readouterr().err
    assert not (tmp_path / "postgresql:").exists()
    init_db(target)
    assert sorted(a.id for a in Ad.select()) == [*kept, again]


def test_a_server_restore_waits_for_other_desks_only_so_long(
    db_target, tmp_path: Path, capsys, monkeypatch
):
    """Another desk in the middle of a save: the restore gives up after a while with a
    sentence instead of hanging, and the desk's data is as it was."""
    target = str(db_target)
    if "://" not in target:
        pytest.skip("about a server desk's restore")
    import psycopg2

    from adsdesk.store import backup_pg
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.models import Ad

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(backup_pg, "LOCK_WAIT_S", 1)
    assert main(["db", "init", target]) == 0
    assert main(["backup", "--db", target, str(tmp_path / "backup.dump")]) == 0
    ad = save_ad(AdDraft(category="家居服务", title="开锁", body="开锁换锁 电话 13903528492"))
    close_db()
    other = psycopg2.connect(target)  # another desk, its transaction open
    try:
        other.cursor().execute("SELECT count(*) FROM ad")
        capsys.readouterr()
        assert main(["restore", "--db", target, str(tmp_path / "backup.dump")]) == 2
        assert "另一台受理台有未完成的操作" in capsys.readouterr().err
    finally:
        other.rollback()
        other.close()
    init_db(target)
    assert [a.id for a in Ad.select()] == [ad]
