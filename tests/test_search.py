"""Search: exact fragments, phones in any form, pinyin, filters, index upkeep, hostile queries."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from adsdesk.domain.phone_check import check_phone
from adsdesk.store import search as S
from adsdesk.store.ads import AdDraft, PhoneEntry, delete_ad, load_ad, save_ad
from adsdesk.store.models import Ad, Advertiser
from adsdesk.store.search_bulk import rebuild_index
from adsdesk.store.search_plan import find

DAY = dt.date(2023, 2, 24)


def add(
    title: str,
    body: str,
    *,
    category: str = "家居服务",
    phones: tuple[str, ...] = (),
    dates: tuple[dt.date, ...] = (DAY,),
    advertiser: str = "",
    advertiser_id: int | None = None,
) -> int:
    checks = [check_phone(p, "0352") for p in phones]
    return save_ad(
        AdDraft(
            category=category,
            title=title,
            body=body,
            phones=[PhoneEntry(c.e164, c.display) for c in checks if c.e164],
            advertiser_name=advertiser,
            advertiser_id=advertiser_id,
            dates=list(dates),
        )
    )


def scan(query: str) -> list[int]:
    """What a full substring scan finds (ASCII case-insensitive, like LIKE), newest first."""
    q = query.strip().lower()
    rows = Ad.select(Ad.id, Ad.title, Ad.body).tuples()
    return sorted((i for i, t, b in rows if q in t.lower() or q in b.lower()), reverse=True)


def by_phone(e164: str) -> int:
    return next(i for (i,) in Ad.select(Ad.id).tuples() if e164 in phones_of(i))


def phones_of(ad_id: int) -> list[str]:
    return [p.e164 for p in load_ad(ad_id).phones]


# --------------------------------------------------------------------------- fragments


@pytest.mark.parametrize(
    "query",
    [
        "和",
        "和平",
        "和平医",
        "和平医院",
        "平米",
        "体检中心",
        "养老",
        "B4",
        "b4",
        "价格面议。",
        "号楼",
        "。",
    ],
)
def test_fragments_of_any_length_find_exactly_the_scanned_ads(demo_db: Path, query: str) -> None:
    assert S.search_ad_ids(query) == scan(query)
    assert S.count_ads(query) == (len(scan(query)), True)


def test_full_width_and_case_are_searched_as_typed_elsewhere(desk_db: Path) -> None:
    a = add("Ｅ家公寓", "精装房 ＡＢＣ栋")
    b = add("E家公寓", "abc栋")
    assert set(S.search_ad_ids("e家")) == {a, b}
    assert set(S.search_ad_ids("ＡＢＣ")) == {a, b}
    assert set(S.search_ad_ids("Abc栋")) == {a, b}


def test_search_result_page_total_snippet_and_marks(demo_db: Path) -> None:
    result = S.search("平米", limit=2)
    assert result.total == 3 and result.total_exact
    assert [h.id for h in result.ads] == scan("平米")[:2]
    hit = result.ads[0]
    assert hit.category == "房屋出售" and hit.dates == (DAY,)
    for start, end in hit.marks:
        assert hit.snippet[start:end] == "平米"
    assert "【平米】" in hit.marked_snippet()
    second = S.search("平米", limit=2, offset=2)
    assert [h.id for h in second.ads] == scan("平米")[2:]


def test_total_is_capped_when_asked_and_exact_otherwise(desk_db: Path) -> None:
    for i in range(12):
        add(f"开锁{i}", "随叫随到")
    capped = S.search("开锁", limit=3, count_limit=5)
    assert (capped.total, capped.total_exact) == (5, False)
    exact = S.search("开锁", limit=3, count_limit=None)
    assert (exact.total, exact.total_exact) == (12, True)
    assert len(exact.ads) == 3


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "query", ["0352-5393120", "(0352)5393120", "03525393120", "5393120", "０３５２－５３９３１２０"]
)
def test_a_landline_in_any_written_form(demo_db: Path, query: str) -> None:
    result = S.search(query)
    assert {h.title for h in result.ads} == {"", "大同和平医院"}
    assert [a.name for a in result.advertisers] == ["大同和平医院"]
    assert all("5393120" in h.marked_snippet().replace("-", "") for h in result.ads)


@pytest.mark.parametrize(
    "query", ["139 0352 8495", "13903528495", "１３９０３５２８４９５", "+86 139-0352-8495"]
)
def test_a_mobile_in_any_written_form(demo_db: Path, query: str) -> None:
    result = S.search(query)
    assert [h.title for h in result.ads] == ["大同馨万家养老中心"]
    assert "【" in result.ads[0].marked_snippet()


def test_the_number_ending_in_four_or_more_digits(demo_db: Path) -> None:
    titles = {h.title for h in S.search("7373").ads}
    assert titles == {"纱窗加工安装", "石磨浆水豆腐"}  # 18911267373 and 17635217373
    assert {h.title for h in S.search("17373").ads} == {"石磨浆水豆腐"}
    assert S.search("67373").ads[0].title == "纱窗加工安装"


def test_a_number_found_even_where_the_text_prints_it_differently(desk_db: Path) -> None:
    ad = add("搬家", "电话见下", phones=("13903528495",))
    assert S.search_ad_ids("139-0352-8495") == [ad]
    assert S.search_ad_ids("8495") == [ad]
    assert S.search_ad_ids("１３９ ０３５２ ８４９５") == [ad]
    assert S.search_ad_ids("电话见") == [ad]


def test_has_this_number_advertised_before(demo_db: Path) -> None:
    history = S.advertiser_history("+863525393120")
    assert len(history) == 1
    h = history[0]
    assert h.name == "大同和平医院" and h.ad_count == 2 and h.with_number == 2
    assert h.last_date == DAY and h.last_ad_id is not None
    assert load_ad(h.last_ad_id).advertiser_name == "大同和平医院"

    alone = S.advertiser_history("+863525393120", exclude_ad_id=h.last_ad_id)
    assert alone[0].ad_count == 1 and alone[0].last_ad_id != h.last_ad_id
    assert S.advertiser_history("+8613800000000") == []


def test_history_counts_ads_linked_to_nobody(desk_db: Path) -> None:
    old = add("出售", "旧家具", phones=("13903528495",), dates=(dt.date(2022, 5, 1),))
    newer = add("出售", "旧家具", phones=("13903528495",), dates=(dt.date(2022, 6, 1),))
    [h] = S.advertiser_history("+8613903528495")
    assert h.advertiser_id is None and h.ad_count == 2 and h.last_ad_id == newer
    assert h.last_date == dt.date(2022, 6, 1) and old != newer


# --------------------------------------------------------------------------- advertisers


@pytest.mark.parametrize("query", ["dthp", "DTHP", "hepingyiyuan", "datonghe", "heping"])
def test_advertiser_by_pinyin(demo_db: Path, query: str) -> None:
    found = S.search_advertisers(query)
    assert [a.name for a in found] == ["大同和平医院"]
    assert found[0].matched == "pinyin" and found[0].ad_count == 2
    assert found[0].phones == ("0352-5393120",)


def test_advertiser_by_name_and_address_fragment(demo_db: Path) -> None:
    Advertiser.create(name="云冈康养中心", address="大同市平城区云中路88号")
    assert [(a.name, a.matched) for a in S.search_advertisers("云中路")] == [
        ("云冈康养中心", "address")
    ]
    names = [a.name for a in S.search_advertisers("养老")]
    assert names == ["大同馨万家养老中心"]
    assert S.search_advertisers("xwj")[0].name == "大同馨万家养老中心"


def test_advertisers_ranked_by_where_the_name_holds_it_then_date_then_ads(desk_db: Path) -> None:
    """Names starting with the query, then names holding it, then addresses; within each the
    latest insertion first, then the most ads, then the newest advertiser: a page cut in a tie
    keeps the ones with more ads (the same on a server, which ranks in one statement)."""

    def booked(name: str, *days: dt.date, address: str = "") -> None:
        first = add("出售", "家具", advertiser=name, dates=(days[0],))
        adv = load_ad(first).advertiser_id
        if address:
            Advertiser.update(address=address).where(Advertiser.id == adv).execute()
        for day in days[1:]:
            add("出售", "家具", advertiser_id=adv, dates=(day,))

    june = dt.date(2023, 6, 1)
    booked("和平医院", dt.date(2023, 1, 1))
    booked("大同和平纱窗", june)
    booked("和平开锁", dt.date(2022, 1, 1), dt.date(2021, 5, 1))
    booked("老和平饭店", june, june, dt.date(2020, 1, 1))
    booked("城南和平超市", june)
    booked("锁匠铺", dt.date(2024, 1, 1), address="和平街12号")
    Advertiser.create(name="和平旅店", address="")  # no ads at all
    ranked = S.search_advertisers("和平", limit=10)
    assert [a.name for a in ranked] == [
        "和平医院",
        "和平开锁",
        "和平旅店",
        "老和平饭店",
        "城南和平超市",
        "大同和平纱窗",
        "锁匠铺",
    ]
    inn, shop = ranked[3], ranked[6]
    assert (inn.ad_count, inn.last_date, inn.matched) == (3, june, "name")
    assert inn.last_ad_id is not None and load_ad(inn.last_ad_id).dates == [june]
    assert (shop.matched, ranked[2].ad_count, ranked[2].last_date) == ("address", 0, None)
    assert [a.name for a in S.search_advertisers("和平", limit=5)] == [a.name for a in ranked[:5]]
    assert [a.name for a in S.search_advertisers("和平", limit=4)] == [a.name for a in ranked[:4]]


def test_heteronyms_follow_the_phrase(desk_db: Path) -> None:
    Advertiser.create(name="建设银行长城支行", address="")
    assert S.search_advertisers("yinhang") and S.search_advertisers("changcheng")
    assert S.search_advertisers("jsyhcc")


# --------------------------------------------------------------------------- filters


@pytest.fixture
def booked(desk_db: Path) -> dict[str, int]:
    return {
        "jan_sale": add("出售", "云锦里二室", category="房屋出售", dates=(dt.date(2023, 1, 5),)),
        "feb_sale": add(
            "出售",
            "云锦里三室",
            category="房屋出售",
            dates=(dt.date(2023, 2, 1), dt.date(2023, 2, 24)),
        ),
        "feb_rent": add("出租", "云锦里一室", category="房屋出租", dates=(dt.date(2023, 2, 10),)),
        "unbooked": add("出售", "云锦里车库", category="房屋出售", dates=()),
    }


@pytest.mark.parametrize("small_filter", [S.SMALL_FILTER, 0])
def test_filters_combine_with_the_text(booked: dict[str, int], small_filter: int) -> None:
    def ids(query: str, **kw: object) -> set[int]:
        found = find(S.parse_query(query), S.Filters(**kw), "id_desc", None, 0, None, small_filter)  # type: ignore[arg-type]
        return set(found.ids)

    b = booked
    assert ids("云锦里") == set(b.values())
    assert ids("云锦里", category="房屋出售") == {b["jan_sale"], b["feb_sale"], b["unbooked"]}
    assert ids("云锦里", on_date=dt.date(2023, 2, 24)) == {b["feb_sale"]}
    assert ids("室", date_from=dt.date(2023, 2, 1), date_to=dt.date(2023, 2, 28)) == {
        b["feb_sale"],
        b["feb_rent"],
    }
    assert ids("室", date_from=dt.date(2023, 2, 2), date_to=dt.date(2023, 2, 9)) == set()
    assert ids("室", date_to=dt.date(2023, 1, 31)) == {b["jan_sale"]}
    assert ids("云锦", category="房屋出售", date_from=dt.date(2023, 2, 1)) == {b["feb_sale"]}
    assert ids("云锦里", category="没有这个分类") == set()
    assert ids("云锦里", date_from=dt.date(2023, 3, 1), date_to=dt.date(2023, 1, 1)) == set()


def test_filters_alone_list_ads_by_date_or_id(booked: dict[str, int]) -> None:
    b = booked
    assert S.ad_ids() == sorted(b.values(), reverse=True)
    assert S.ad_ids(order="id_asc") == sorted(b.values())
    assert S.ad_ids(order="date_desc") == [
        b["feb_sale"],
        b["feb_rent"],
        b["jan_sale"],
        b["unbooked"],
    ]
    assert S.ad_ids(order="date_asc")[0] == b["unbooked"]
    assert S.ad_ids(S.Filters(category="房屋出租")) == [b["feb_rent"]]
    assert S.ad_ids(S.Filters(on_date=dt.date(2023, 2, 1))) == [b["feb_sale"]]
    assert S.ad_ids(limit=2, offset=1) == sorted(b.values(), reverse=True)[1:3]
    assert S.count_ads() == (4, True)
    assert S.count_ads("", S.Filters(category="房屋出售")) == (3, True)
    assert S.search_ad_ids("云锦里", order="date_desc") == S.ad_ids(order="date_desc")


def test_fetch_rows_keeps_the_order_given(booked: dict[str, int]) -> None:
    ids = [booked["feb_rent"], booked["jan_sale"], 999_999, booked["feb_sale"]]
    rows = S.fetch_rows(ids)
    assert [r.id for r in rows] == [booked["feb_rent"], booked["jan_sale"], booked["feb_sale"]]
    assert rows[2].dates == (dt.date(2023, 2, 1), dt.date(2023, 2, 24))
    assert rows[0].category == "房屋出租"


# --------------------------------------------------------------------------- upkeep


def test_index_follows_add_edit_and_delete(desk_db: Path) -> None:
    ad = add("纱窗加工", "厂家直供 终身维护")
    for q in ("纱", "纱窗", "纱窗加工", "终身维护"):
        assert S.search_ad_ids(q) == [ad]
    draft = load_ad(ad)
    draft.title, draft.body = "开锁换锁", "公安备案"
    save_ad(draft)
    for q in ("纱", "纱窗", "纱窗加工", "终身维护"):
        assert S.search_ad_ids(q) == []
    for q in ("锁", "开锁", "开锁换锁", "公安备案"):
        assert S.search_ad_ids(q) == [ad]
    delete_ad(ad)
    for q in ("锁", "开锁", "开锁换锁", "公安备案"):
        assert S.search_ad_ids(q) == []
    again = add("开锁", "公安备案")  # the freed id may be handed out again
    assert S.search_ad_ids("公安备案") == [again]


def test_index_follows_a_change_of_category(desk_db: Path) -> None:
    from adsdesk.store.settings import list_categories, set_categories

    ad = add("空调移机", "专业师傅", category="家居服务")
    other = add("空调出售", "九成新", category="其他")

    def found(category: str) -> list[int]:
        return find(
            S.parse_query("空调"), S.Filters(category=category), "id_desc", None, 0, None, 0
        ).ids

    assert found("家居服务") == [ad]
    draft = load_ad(ad)
    draft.category = "其他"
    save_ad(draft)
    assert found("家居服务") == [] and found("其他") == [other, ad]
    # Dropping a category empties it on its ads (ON DELETE SET NULL): the index follows.
    set_categories([c for c in list_categories() if c != "其他"])
    assert S.search_ad_ids("空调") == [other, ad]
    assert S.ad_ids(S.Filters(category="家居服务")) == []
    assert [r.category for r in S.fetch_rows([ad])] == [""]


def test_changes_made_behind_the_stores_back_are_picked_up(desk_db: Path) -> None:
    ad = add("管道疏通", "不通不收费")
    Ad.update(body="二十四小时服务").where(Ad.id == ad).execute()
    assert S.search_ad_ids("不通") == [] and S.search_ad_ids("二十四小时") == [ad]
    Ad.delete().where(Ad.id == ad).execute()
    assert S.search_ad_ids("二十四小时") == []
    assert S.search_advertisers("x") == []


def test_rebuild_restores_a_damaged_index(demo_file: Path) -> None:
    expected = S.search_ad_ids("和平")
    con = sqlite3.connect(demo_file)
    for table in ("search_ad_gram", "search_ad_text"):
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    con.commit()
    con.close()
    assert S.search_ad_ids("和平") == []
    rebuild_index()
    assert S.search_ad_ids("和平") == expected
    assert S.search_ad_ids("和平医院") == expected


# --------------------------------------------------------------------------- hostile queries

HOSTILE = [
    '"',
    '""',
    '"和平',
    "*",
    "和*",
    "AND",
    "和 AND 平",
    "OR",
    "NOT 和",
    "NEAR(和 平)",
    "(",
    ")",
    "((和))",
    "\\",
    "\\\\和",
    "'",
    "'; DROP TABLE ad; --",
    "%",
    "_",
    "^和",
    "title:和",
    "{title}: 和",
    "😀",
    "😀😀",
    "👨‍👩‍👧",
    "\x00",
    "\ud800",
    "和" * 500,
    "a" * 500,
    " ",
    "",
    "\n\t",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_plain_text(desk_db: Path, query: str) -> None:
    add("符号", "say \"hi\" * AND NEAR(x y) (a) \\path\\ 😀 100% a_b title:和 ^和 'q'")
    result = S.search(query)
    assert result.total == len(result.ads)
    if query.strip() and "\ud800" not in query and "\x00" not in query:
        assert S.search_ad_ids(query) == scan(query)
    S.search_advertisers(query)
    S.count_ads(query, S.Filters(category="家居服务"))


@pytest.mark.parametrize(
    "query", ['"hi"', "* AND", "NEAR(x y)", "(a)", "\\path\\", "😀", "100%", "a_b", "title:和"]
)
def test_hostile_text_is_found_where_it_is_printed(desk_db: Path, query: str) -> None:
    ad = add("符号", 'say "hi" * AND NEAR(x y) (a) \\path\\ 😀 100% a_b title:和')
    add("别的", "无关")
    assert S.search_ad_ids(query) == [ad]


# --------------------------------------------------------------------------- migration


def test_an_older_database_gains_the_index_on_opening(db_path: Path) -> None:
    from peewee import SqliteDatabase

    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.migrations import MIGRATIONS, v3_search
    from adsdesk.store.models import AdPhone, MetaInfo, db

    old = SqliteDatabase(str(db_path), pragmas={"foreign_keys": 1})
    db.initialize(old)
    old.connect()
    steps = MIGRATIONS[: MIGRATIONS.index(v3_search)]  # every step before the search index
    for step in steps:
        step(old)
    MetaInfo.create(key="app", value="adsdesk")
    MetaInfo.create(key="schema_version", value=str(len(steps)))
    hospital = Advertiser.create(name="大同和平医院")
    # Plain SQL: today's models have columns that later steps add.
    old.execute_sql(
        "INSERT INTO ad (title, body, advertiser_id, override_reason, created_at, updated_at) "
        "VALUES ('和平医院', '体检 0352-5393120', ?, '', '2023-02-20', '2023-02-20')",
        (hospital.id,),
    )
    ad_id = old.execute_sql("SELECT max(id) FROM ad").fetchone()[0]
    AdPhone.create(ad=ad_id, e164="+863525393120", display="0352-5393120")
    old.execute_sql(
        "INSERT INTO insertion (ad_id, date, created_at) VALUES (?, ?, '2023-02-20')",
        (ad_id, DAY.isoformat()),
    )
    old.close()

    init_db(db_path)
    try:
        assert list(db_path.parent.glob(f"desk.sqlite3.v{len(steps)}-*.bak"))
        assert S.search_ad_ids("和平") == [ad_id]
        assert S.search_ad_ids("5393120") == [ad_id]
        assert S.search_advertisers("dthp")[0].name == "大同和平医院"
        assert S.ad_ids(order="date_desc") == [ad_id]
    finally:
        close_db()


def test_dates_booked_later_widen_what_the_date_filters_find(desk_db: Path) -> None:
    """An ad booked again (earlier and later days added in an edit, several at once) is found
    by a date range holding only a new day, and sorts by its latest day."""
    from adsdesk.store.search_plan import Filters

    def screens(number: str, day: dt.date) -> int:
        return save_ad(
            AdDraft(category="家居服务", title="纱窗", body=f"纱窗 电话 {number}", dates=[day])
        )

    ad = screens("13903528491", dt.date(2023, 2, 24))
    other = screens("13903528492", dt.date(2023, 2, 27))
    draft = load_ad(ad)
    draft.dates = [
        dt.date(2023, 2, 20),
        dt.date(2023, 2, 24),
        dt.date(2023, 3, 1),
        dt.date(2023, 3, 2),
    ]
    save_ad(draft)

    def on(lo: dt.date, hi: dt.date) -> list[int]:
        return S.search_ad_ids("纱窗", filters=Filters(date_from=lo, date_to=hi))

    assert on(dt.date(2023, 3, 2), dt.date(2023, 3, 5)) == [ad]
    assert on(dt.date(2023, 2, 18), dt.date(2023, 2, 20)) == [ad]
    assert on(dt.date(2023, 2, 25), dt.date(2023, 2, 28)) == [other]
    assert S.search_ad_ids("纱窗", order="date_desc") == [ad, other]


def test_four_digits_are_found_exactly_and_follow_edits(desk_db: Path) -> None:
    """Exactly 4 digits (a number's tail, a licence's piece) are one token of the index: the
    ads holding them, none holding them apart, and an edit's old digits are gone."""
    licence = save_ad(AdDraft(category="食品", title="石磨豆腐", body="许可证 12514021（p）"))
    apart = save_ad(AdDraft(category="食品", title="豆腐", body="许可证 1251 4021"))
    assert S.search_ad_ids("1402") == [licence]
    assert S.search_ad_ids("1251") == [apart, licence]
    draft = load_ad(licence)
    draft.body = "许可证 99990000（p）"
    save_ad(draft)
    assert S.search_ad_ids("1402") == []
    assert S.search_ad_ids("9000") == [licence]
    assert S.count_ads("9999") == (1, True)
    shop = Advertiser.create(name="华瑞1234号店", address="")
    Advertiser.create(name="华瑞12号34店", address="")  # (pinyin huarui12hao34dian)
    assert [a.id for a in S.search_advertisers("1234")] == [shop.id]


@pytest.mark.sqlite_only
def test_a_file_indexed_before_digit_tokens_is_indexed_again(desk_db: Path, monkeypatch) -> None:
    """Schema step 18 builds an SQLite desk's index again with the 4-digit tokens."""
    from adsdesk.store import search_text
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.migrations import MIGRATIONS, v18_search_digit_tokens
    from adsdesk.store.models import db

    def without_digits(fields) -> str:  # the gram documents as step 17 left them
        return " ".join(
            t for t in made(fields).split() if not (t.startswith("n") and t[1:].isdigit())
        )

    made = search_text.hex_grams
    monkeypatch.setattr(search_text, "hex_grams", without_digits)
    ad = save_ad(AdDraft(category="食品", title="石磨豆腐", body="许可证 12514021（p）"))
    rebuild_index()
    assert S.search_ad_ids("1402") == []  # (what a file indexed the older way answers)
    monkeypatch.setattr(search_text, "hex_grams", made)
    before = MIGRATIONS.index(v18_search_digit_tokens)
    db.execute_sql("UPDATE meta_info SET value = ? WHERE key = 'schema_version'", (str(before),))
    close_db()
    init_db(desk_db)
    assert S.search_ad_ids("1402") == [ad]
