"""The store: saving is all-or-nothing, files that are not ours are refused untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from adsdesk.store import ads
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.store.database import SCHEMA_VERSION, StoreError, close_db, init_db
from adsdesk.store.models import Ad, AdPhone, Advertiser, Insertion
from adsdesk.store.settings import (
    DeskSettings,
    RefusedEntry,
    list_categories,
    load_settings,
    refused_numbers,
    save_settings,
    set_categories,
    set_refused,
)

DAY = dt.date(2023, 2, 24)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_saved_ad_survives_reopen(desk_db: Path) -> None:
    ad_id = ads.save_ad(
        AdDraft(
            category="养老服务",
            title="大同馨万家养老中心",
            body="托养失能残疾人员 13903528495",
            phones=[PhoneEntry("+8613903528495", "13903528495")],
            advertiser_name="大同馨万家养老中心",
            dates=[DAY, DAY + dt.timedelta(days=1)],
        )
    )
    close_db()
    init_db(desk_db)
    loaded = ads.load_ad(ad_id)
    assert loaded.title == "大同馨万家养老中心"
    assert loaded.phones == [PhoneEntry("+8613903528495", "13903528495")]
    assert loaded.dates == [DAY, DAY + dt.timedelta(days=1)]
    assert loaded.advertiser_name == "大同馨万家养老中心"
    assert [r.id for r in ads.list_ads(date=DAY)] == [ad_id]
    assert ads.list_ads(date=DAY + dt.timedelta(days=5)) == []
    # the advertiser now knows the number
    assert [a.name for a in ads.advertisers_by_phone("+8613903528495")] == ["大同馨万家养老中心"]


def test_save_is_one_transaction(desk_db: Path) -> None:
    before = (Ad.select().count(), AdPhone.select().count(), Insertion.select().count())
    with pytest.raises(ads.AdNotFound):
        ads.save_ad(
            AdDraft(
                title="x",
                body="y 13903528495",
                phones=[PhoneEntry("+8613903528495", "13903528495")],
                advertiser_id=9999,  # does not exist: the whole save must roll back
                dates=[DAY],
            )
        )
    assert (Ad.select().count(), AdPhone.select().count(), Insertion.select().count()) == before


def test_edit_replaces_phones_and_dates(desk_db: Path) -> None:
    ad_id = ads.save_ad(
        AdDraft(
            title="a", body="b", phones=[PhoneEntry("+8613903528495", "13903528495")], dates=[DAY]
        )
    )
    draft = ads.load_ad(ad_id)
    draft.phones = [PhoneEntry("+863525393120", "0352-5393120")]
    draft.dates = [DAY + dt.timedelta(days=2)]
    ads.save_ad(draft)
    again = ads.load_ad(ad_id)
    assert [p.display for p in again.phones] == ["0352-5393120"]
    assert again.dates == [DAY + dt.timedelta(days=2)]
    ads.delete_ad(ad_id)
    assert Insertion.select().count() == 0 and AdPhone.select().count() == 0


def test_settings_categories_refused_roundtrip(desk_db: Path) -> None:
    save_settings(
        replace(DeskSettings(), paper_name="晋北晚报", area_code="0351", hotlines=["5105678"])
    )
    set_categories(["招聘", "房屋出售", "公告"])
    set_refused([RefusedEntry("+864008801234", "400-880-1234", "冒充本报广告代理")])
    close_db()
    init_db(desk_db)
    s = load_settings()
    assert (s.paper_name, s.area_code, s.hotlines) == ("晋北晚报", "0351", ["5105678"])
    assert list_categories() == ["招聘", "房屋出售", "公告"]
    assert refused_numbers() == {"+864008801234": "冒充本报广告代理"}


def test_schema_version_recorded(desk_file: Path) -> None:
    con = sqlite3.connect(desk_file)
    rows = dict(con.execute("select key, value from meta_info"))
    con.close()
    assert rows == {"app": "adsdesk", "schema_version": str(SCHEMA_VERSION)}
    mode = sqlite3.connect(desk_file).execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"


def test_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库，是一份备忘录。\n" * 50, encoding="utf-8")
    digest = _digest(path)
    with pytest.raises(StoreError, match="不是 adsdesk 数据库"):
        init_db(path)
    assert _digest(path) == digest


def test_other_apps_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("create table songs(id integer primary key, name text)")
    con.execute("insert into songs(name) values ('x')")
    con.commit()
    con.close()
    digest = _digest(path)
    with pytest.raises(StoreError, match="别的程序"):
        init_db(path)
    assert _digest(path) == digest


def test_damaged_file_is_refused_untouched(desk_file: Path) -> None:
    ads.save_ad(AdDraft(title="t", body="b", dates=[DAY]))
    close_db()
    con = sqlite3.connect(desk_file)
    con.execute("pragma wal_checkpoint(truncate)")
    con.close()
    data = bytearray(desk_file.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the first page past the header
    desk_file.write_bytes(bytes(data))
    digest = _digest(desk_file)
    with pytest.raises(StoreError, match=r"损坏|不是"):
        init_db(desk_file)
    assert _digest(desk_file) == digest


def test_migration_copies_file_aside_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute("create table meta_info(key text primary key, value text)")
    con.execute("insert into meta_info values ('app','adsdesk'), ('schema_version','0')")
    con.commit()
    con.close()
    init_db(path)
    backups = list(tmp_path.glob("old.sqlite3.v0-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert dict(old.execute("select key, value from meta_info"))["schema_version"] == "0"
    old.close()
    assert Advertiser.select().count() == 0  # the tables now exist
    close_db()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    con = sqlite3.connect(path)
    con.execute("create table meta_info(key text primary key, value text)")
    con.execute("insert into meta_info values ('app','adsdesk'), ('schema_version','999')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="更新版本"):
        init_db(path)


def test_needs_migration_tells_an_old_file_from_a_current_one(
    tmp_path: Path, desk_file: Path
) -> None:
    from adsdesk.store.database import needs_migration

    assert not needs_migration(desk_file)
    assert not needs_migration(tmp_path / "missing.sqlite3")
    old = tmp_path / "old.sqlite3"
    con = sqlite3.connect(old)
    con.execute("create table meta_info(key text primary key, value text)")
    con.execute("insert into meta_info values ('app','adsdesk'), ('schema_version','1')")
    con.commit()
    con.close()
    assert needs_migration(old)
