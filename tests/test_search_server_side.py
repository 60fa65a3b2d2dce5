"""Search on a server reads the ads' page on a second connection beside the advertisers,
remembers the index's partitions and, past the total's cap, merges only the extra ads that can
reach the page: the answers stay those of a desk that does none of it — inside a transaction,
after a partition appears between two known ones, when that second connection is cut. Warming
up readies both connections; closing the desk closes both."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg2
import pytest

from adsdesk.store import search as S
from adsdesk.store import side_reads
from adsdesk.store.ads import AdDraft, PhoneEntry, save_ad
from adsdesk.store.backend import is_postgres, rows
from adsdesk.store.database import close_db
from adsdesk.store.models import Advertiser, db


@pytest.fixture(autouse=True)
def _server_only(desk_db: Path) -> None:
    if not is_postgres():
        pytest.skip("about the server's second connection and partitions")


def add(body: str, advertiser: int | None = None, phone: str = "") -> int:
    phones = [PhoneEntry(phone, phone)] if phone else []
    return save_ad(AdDraft(category="家居服务", body=body, advertiser_id=advertiser, phones=phones))


def answer(query: str, **kw: object) -> tuple[list[int], int, bool, list[int]]:
    found = S.search(query, **kw)  # type: ignore[arg-type]
    return (
        [h.id for h in found.ads],
        found.total,
        found.total_exact,
        [a.id for a in found.advertisers],
    )


def test_the_answer_is_the_same_with_and_without_the_second_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hospital = Advertiser.create(name="大同和平医院", address="").id
    for i in range(30):
        add(f"和平小区{i}号楼出售", phone="+8613935212345" if i % 7 == 0 else "")
    for i in range(5):
        add(f"体检中心 第{i}期", advertiser=hospital)
    queries = ["和平", "和", "医院", "体检", "2345", "13935212345", "hpyy", "号楼出", "无此词"]
    kinds = [{}, {"limit": 3}, {"limit": 3, "offset": 2}, {"order": "id_asc", "limit": 4}]
    with_side = {(q, i): answer(q, **kw) for q in queries for i, kw in enumerate(kinds)}
    assert with_side[("和平", 0)][1] == 35  # 30 ads hold it, and the hospital named by it has 5
    monkeypatch.setattr(side_reads, "usable", lambda: False)
    alone = {(q, i): answer(q, **kw) for q in queries for i, kw in enumerate(kinds)}
    assert with_side == alone


def test_a_search_inside_a_transaction_sees_the_ads_it_added() -> None:
    add("旧房出售")
    with db.atomic():
        new = add("新房出售 急售")
        assert answer("急售")[:3] == ([new], 1, True)
        assert answer("房出售")[0][0] == new


def test_a_partition_added_between_two_known_ones_is_searched() -> None:
    first = add("大同和平医院 体检")
    db.execute_sql("SELECT setval(pg_get_serial_sequence('ad', 'id'), 200000)")
    far = add("大同和平医院 口腔")  # partition 3
    assert S.search_ad_ids("和平", limit=5) == [far, first]  # the desk now knows 0 and 3
    db.execute_sql("SELECT setval(pg_get_serial_sequence('ad', 'id'), 70000)")
    middle = add("大同和平医院 眼科")  # partition 1, which the desk has not seen yet
    assert S.search_ad_ids("和平") == [far, middle, first]
    assert S.search_ad_ids("和平", limit=1, offset=1) == [middle]
    assert S.search_ad_ids("和平", order="id_asc", limit=2) == [first, middle]
    assert S.count_ads("和平") == (3, True)
    assert answer("眼科")[:3] == ([middle], 1, True)


def _others() -> list[int]:
    """Backends of this database other than the desk's own connection."""
    found = rows(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()"
    )
    return [r[0] for r in found]


def test_a_cut_second_connection_costs_no_answer() -> None:
    ids = [add(f"和平小区{i}号楼") for i in range(3)]
    assert answer("和平")[0] == ids[::-1]
    assert _others(), "the search read on a second connection"
    for pid in _others():
        rows("SELECT pg_terminate_backend(?)", (pid,))
    assert answer("和平")[0] == ids[::-1]  # read again on the desk's own connection
    assert answer("小区")[0] == ids[::-1]  # and the next search opens a new second one


def test_the_pages_rows_are_read_on_the_second_connection_or_here_when_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [add(f"和平小区{i}号楼") for i in range(3)]
    real = S.fetch_rows
    threads: list[str] = []

    def spy(wanted: list[int]) -> list[object]:
        threads.append(threading.current_thread().name)
        return real(wanted)  # type: ignore[return-value]

    monkeypatch.setattr(S, "fetch_rows", spy)
    found = S.search("和平")
    assert [h.id for h in found.ads] == ids[::-1]
    assert found.ads[0].snippet.startswith("和平小区2")
    assert threads[0].startswith("adsdesk-side-read")  # the page's rows, beside the lookup

    def failing(wanted: list[int]) -> list[object]:
        if threading.current_thread().name.startswith("adsdesk-side-read"):
            raise psycopg2.OperationalError("server closed the connection unexpectedly")
        return real(wanted)  # type: ignore[return-value]

    monkeypatch.setattr(S, "fetch_rows", failing)
    again = S.search("和平")
    assert [(h.id, h.snippet) for h in again.ads] == [(h.id, h.snippet) for h in found.ads]
    assert again.total == 3


def test_closing_the_desk_closes_both_its_connections() -> None:
    add("和平小区出售")
    S.search("和平")
    params = dict(db.obj.connect_params)
    name = db.obj.database
    close_db()
    admin = psycopg2.connect(dbname="postgres", **params)
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,))
            assert cur.fetchone()[0] == 0
    finally:
        admin.close()


def test_a_full_page_past_the_cap_merges_only_the_extra_ads_that_can_reach_it() -> None:
    hospital = Advertiser.create(name="大同和平医院", address="").id
    old_extras = [add(f"体检 第{i}期", advertiser=hospital) for i in range(4)]  # no 和平 in them
    hits = [add(f"和平小区{i}号楼") for i in range(12)]
    new_extra = add("口腔科 新开", advertiser=hospital)  # newer than every text hit
    newest_first = sorted([*old_extras, *hits, new_extra], reverse=True)
    for limit, offset in ((3, 0), (3, 2), (5, 10), (20, 0)):
        found = S.search("和平", limit=limit, offset=offset, count_limit=5)
        assert [h.id for h in found.ads] == newest_first[offset : offset + limit], (limit, offset)
        assert (found.total, found.total_exact) == (5, False)
    ascending = S.search("和平", limit=4, order="id_asc", count_limit=5)
    assert [h.id for h in ascending.ads] == sorted(newest_first)[:4]  # the old extras come first
    exact = S.search("和平", limit=3)  # under the cap: every extra counted
    assert exact.total == 17 and exact.total_exact


def test_warming_up_readies_both_connections_and_changes_nothing() -> None:
    ids = [add(f"和平小区{i}号楼") for i in range(3)]
    close_db()  # a desk just opened: one connection, none for the searches yet
    assert _others() == []
    S.warm_up_server()
    assert len(_others()) == 1  # the searches' second connection is open and has searched
    assert rows("SELECT count(*) FROM ad")[0][0] == 3
    assert answer("和平")[0] == ids[::-1]
