"""Search on a server: characters beyond the BMP, ads and advertisers past the first partition,
the upgrade of a server desk indexed the older way (text grams, one table) — each found as a
scan finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from adsdesk.store import search as S
from adsdesk.store.ads import AdDraft, delete_ad, save_ad
from adsdesk.store.backend import is_postgres, rows
from adsdesk.store.models import Ad, db


def add(body: str, title: str = "") -> int:
    return save_ad(AdDraft(category="家居服务", title=title, body=body))


def scan(query: str) -> list[int]:
    found = [i for i, t, b in Ad.select(Ad.id, Ad.title, Ad.body).tuples() if query in t + "\n" + b]
    return sorted(found, reverse=True)


# U+20000 and U+20800 share their low 11 bits, so the server's documents give them one code.
RARE = ("\U00020000", "\U00020800", "\U0002f800")


def test_characters_beyond_the_bmp_are_found_exactly(desk_db: Path) -> None:
    for body in (RARE[0], RARE[1], RARE[0] + RARE[1], "大" + RARE[1] + "同", RARE[2] + "房"):
        add(body)
    queries = [*RARE, RARE[0] + RARE[1], RARE[1] + "同", "大" + RARE[0], RARE[2] + "房", "房"]
    for q in queries:
        assert S.search_ad_ids(q) == scan(q), q
        assert S.count_ads(q) == (len(scan(q)), True), q


def _server_only() -> None:
    if not is_postgres():
        pytest.skip("about the server's own index layout")


def test_ads_past_the_first_partition_are_indexed_and_found(desk_db: Path) -> None:
    _server_only()
    first = add("大同和平医院 体检")
    db.execute_sql("SELECT setval(pg_get_serial_sequence('ad', 'id'), 200000)")
    far = add("大同和平医院 口腔")
    assert far > 196_608  # partition 3
    assert S.search_ad_ids("和平") == [far, first]
    assert S.search_ad_ids("口腔") == [far]
    assert S.search_ad_ids("医院 口") == [far]
    assert S.search_ad_ids("和平", limit=1, offset=1) == [first]
    # a page is read from the newest partitions first (or the oldest, ascending)
    assert S.search_ad_ids("和平", limit=1) == [far]
    assert S.search_ad_ids("和平", order="id_asc", limit=1) == [first]
    assert S.search_ad_ids("和平", order="id_asc", limit=1, offset=1) == [far]
    assert S.search_ad_ids("医院 口", limit=5) == [far]
    assert S.count_ads("和平", limit=1) == (1, False)
    names = {
        r[0] for r in rows("SELECT relname FROM pg_class WHERE relname LIKE 'search_ad_doc_p%'")
    }
    assert {"search_ad_doc_p0", "search_ad_doc_p3"} <= names
    # a new partition's index gathers writes in a small pending list, as the first one's
    options = rows(
        "SELECT c.reloptions FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'search_ad_doc_p3'::regclass AND c.relam = "
        "(SELECT oid FROM pg_am WHERE amname = 'gin')"
    )
    assert options == [(["fastupdate=on", "gin_pending_list_limit=64"],)]
    delete_ad(far)
    assert S.search_ad_ids("和平") == [first]


def test_pages_and_totals_over_many_partitions_are_those_of_a_scan(desk_db: Path) -> None:
    """Seven partitions: a page read from the newest partition, the next batch of them, or the
    whole index at last; totals under and past their cap."""
    _server_only()
    for part in (0, 1, 2, 3, 5, 6, 7):
        if part:
            db.execute_sql("SELECT setval(pg_get_serial_sequence('ad', 'id'), %s)", (part << 16,))
        for k in range(3):
            add(f"出租{part}号楼 {'和平' if k == 0 else '大同'}", "电话" if k else "")
    for _ in range(24):  # the newest partition: most of its ads hold 电话, a page's worth
        add("招聘 电话联系", "电话")
    for q in ("电话", "和平", "大同", "出租", "号楼 和", "招聘", "5号", "0号楼"):
        expect = scan(q)
        assert expect, q
        for limit in (1, 3, 10, 50):
            assert S.search_ad_ids(q, limit=limit) == expect[:limit], (q, limit)
            oldest = sorted(expect)[:limit]
            assert S.search_ad_ids(q, order="id_asc", limit=limit) == oldest, (q, limit)
            for cap in (2, 5, 100):
                found = S.search(q, limit=limit, count_limit=cap, advertiser_limit=0)
                assert [h.id for h in found.ads] == expect[:limit], (q, limit, cap)
                total = (len(expect), True) if len(expect) <= cap else (cap, False)
                assert (found.total, found.total_exact) == total, (q, limit, cap)


def test_a_word_most_new_ads_hold_is_paged_by_walking_them(desk_db: Path, monkeypatch) -> None:
    """电话 in nearly every new ad: its page comes from testing the newest ads one by one (the
    index would list every hit to sort them); a rarer word still goes through the index."""
    _server_only()
    from adsdesk.store import backend, search_pg

    add("和平医院 体检", "和平")
    for k in range(30):
        add(f"出租{k}号楼 电话联系", "电话" if k % 10 else "")
    db.execute_sql("ANALYZE search_ad_doc")  # (what autovacuum does on a working desk)
    statements: list[str] = []

    def spying(read):
        def spy(sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
            statements.append(sql)
            return read(sql, params)

        return spy

    monkeypatch.setattr(backend, "rows", spying(backend.rows))
    monkeypatch.setattr(backend, "prepared_rows", spying(backend.prepared_rows))
    newest = search_pg.partition(max(search_pg.partitions()))
    assert search_pg.code_shares(newest)  # the statistics name the commonest codes
    for q, walked in (("电话", True), ("电", True), ("和平", False), ("号楼 电", False)):
        for limit in (1, 5, 20, 40):
            statements.clear()
            found = S.search(q, limit=limit, advertiser_limit=0)
            assert [h.id for h in found.ads] == scan(q)[:limit], (q, limit)
            assert found.total == len(scan(q)), (q, limit)
            took_walk = any("LIMIT ?) AS d" in sql for sql in statements)
            assert took_walk == walked, (q, limit)


def test_advertisers_past_the_first_partition_are_found_newest_first(desk_db: Path) -> None:
    _server_only()
    from adsdesk.store import search_pg
    from adsdesk.store.models import Advertiser

    first = Advertiser.create(name="大同和平医院", address="").id
    db.execute_sql("SELECT setval(pg_get_serial_sequence('advertiser', 'id'), 40000)")
    far = Advertiser.create(name="和平口腔", address="hepingyiyuan 对面").id
    assert far >> 14 == 2  # the third partition
    assert [a.id for a in S.search_advertisers("heping")] == [far, first]
    assert [a.id for a in S.search_advertisers("hpyy")] == [first]
    assert [a.id for a in S.search_advertisers("yiyuan")] == [far, first]
    assert [a.id for a in S.search_advertisers("口腔")] == [far]
    assert {0, 2} <= set(search_pg.partitions(search_pg.ADV_DOCS))
    Advertiser.delete().where(Advertiser.id == far).execute()
    assert [a.id for a in S.search_advertisers("heping")] == [first]


def test_a_server_desk_indexed_the_older_way_is_upgraded(desk_db: Path) -> None:
    _server_only()
    from adsdesk.store import search_pg
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.migrations import MIGRATIONS, v12_search_codes

    kept = [add("石磨浆水豆腐", "食品"), add("纱窗加工安装"), add("豆腐干")]
    # The layout schema version 11 left: text pieces, one table per kind.
    db.execute_sql("DROP TABLE search_ad_doc, search_adv_doc CASCADE")
    db.execute_sql(
        "CREATE TABLE search_ad_doc (ad_id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
        "body TEXT NOT NULL, grams TEXT[] NOT NULL)"
    )
    db.execute_sql(
        "CREATE TABLE search_adv_doc (adv_id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "address TEXT NOT NULL, initials TEXT NOT NULL, pinyin TEXT NOT NULL, grams TEXT[] NOT NULL)"
    )
    # back to before the step that upgrades the search documents (later steps run again too)
    before = MIGRATIONS.index(v12_search_codes)
    db.execute_sql("UPDATE meta_info SET value = %s WHERE key = 'schema_version'", (str(before),))
    close_db()
    init_db(desk_db)
    assert S.search_ad_ids("豆腐") == [kept[2], kept[0]]
    assert S.search_ad_ids("纱窗加工") == [kept[1]]
    assert search_pg.partitions() == [0]
    assert search_pg.layout(db.obj) == search_pg.LAYOUT
    kind = rows("SELECT relkind FROM pg_class WHERE relname = 'search_ad_doc'")[0][0]
    assert kind == "p"


def test_a_searchs_statements_are_planned_once_per_connection(desk_db: Path) -> None:
    """On a server the search's statements are prepared: run again with other words they
    are not planned again; a connection made anew (the server restarted) prepares its own."""
    _server_only()
    from adsdesk.store import side_reads

    for k in range(12):
        add(f"出租{k}号楼 电话联系", "和平" if k % 3 else "")

    def prepared() -> set[str]:
        return {r[0] for r in rows("SELECT statement FROM pg_prepared_statements")}

    def searched(words: tuple[str, ...]) -> None:
        for q in words:
            found = S.search(q, limit=5, advertiser_limit=0)
            assert [h.id for h in found.ads] == scan(q)[:5], q
            assert found.total == len(scan(q)), q

    side_reads.close()  # (this test reads what this connection prepared: one connection)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(side_reads, "usable", lambda: False)
    try:
        searched(("电话", "号楼", "和平", "电话联"))
        first = prepared()
        assert any("grams @> $1::integer[]" in s for s in first)  # the documents' statements
        assert any("ANY($1::integer[])" in s for s in first)  # the page's rows
        searched(("联系", "出租", "电", "话联系"))
        assert prepared() == first  # other words: the same statements, none planned anew
        # The advertisers a query names: ranked in one statement, whatever the ids.
        for name in ("和平纱窗", "和平开锁"):
            save_ad(AdDraft(category="家居服务", body="上门安装", advertiser_name=name))
        assert [a.name for a in S.search("和平").advertisers] == ["和平开锁", "和平纱窗"]
        with_names = prepared()
        assert sum("unnest($1::integer[], $2::integer[])" in s for s in with_names - first) == 1
        assert [a.name for a in S.search("纱窗").advertisers] == ["和平纱窗"]
        assert prepared() == with_names
        db.close()  # a new connection, as after the server came back
        assert prepared() == set()
        searched(("和平", "出租"))
        assert prepared() <= first and prepared()
        # A partition made after the statements were prepared is searched too.
        db.execute_sql("SELECT setval(pg_get_serial_sequence('ad', 'id'), 200000)")
        far = add("和平里出租 电话联系")
        searched(("和平", "出租", "电话联"))
        assert S.search("和平", limit=1, advertiser_limit=0).ads[0].id == far
    finally:
        monkeypatch.undo()


def test_searches_go_on_where_prepared_statements_vanish(desk_db: Path, monkeypatch) -> None:
    """A pooler between desk and server may reset the session (its statements gone) or hand
    each statement to another session: the search prepares again, then stops preparing."""
    _server_only()
    from adsdesk.store import backend, side_reads

    monkeypatch.setattr(side_reads, "usable", lambda: False)  # (one connection to watch)
    for k in range(8):
        add(f"出租{k}号楼 电话联系", "和平" if k % 2 else "")

    def answered(q: str) -> None:
        found = S.search(q, limit=3, advertiser_limit=0)
        assert [h.id for h in found.ads] == scan(q)[:3], q
        assert found.total == len(scan(q)), q

    answered("电话")
    assert rows("SELECT count(*) FROM pg_prepared_statements")[0][0] > 0
    db.execute_sql("DEALLOCATE ALL")  # a session reset (DISCARD ALL) by a pooler
    answered("出租")
    answered("电话")
    assert rows("SELECT count(*) FROM pg_prepared_statements")[0][0] > 0  # prepared again

    # Every statement on another session: whatever is prepared is gone by the EXECUTE.
    bound = db.obj
    execute_sql = bound.execute_sql
    prepares: list[str] = []

    def elsewhere(sql: str, params=None):
        if sql.startswith("PREPARE"):
            prepares.append(sql)
        if sql.startswith("EXECUTE"):
            execute_sql("DEALLOCATE ALL")
        return execute_sql(sql, params)

    monkeypatch.setattr(bound, "execute_sql", elsewhere)
    answered("和平")
    answered("号楼")
    first = len(prepares)
    answered("电话")
    answered("联系")
    assert first > 0 and len(prepares) == first  # unprepared from then on, answers the same
    assert backend._PREPARED[db.connection()] is None


def test_the_desks_server_sessions_plan_its_prepared_statements_once(desk_db: Path) -> None:
    """Both of a desk's connections (its own and the searches' second one) run with the
    desk's session settings: prepared statements planned once, generically; no JIT."""
    _server_only()
    from adsdesk.store import side_reads

    def settings() -> tuple[str, str]:
        return rows("SHOW plan_cache_mode")[0][0], rows("SHOW jit")[0][0]

    assert settings() == ("force_generic_plan", "off")
    assert side_reads.submit(settings).result(timeout=10) == ("force_generic_plan", "off")
    ad = add("和平里出租 电话联系")
    assert [h.id for h in S.search("和平").ads] == [ad]
