"""Importing tables: checked like typed ads, one transaction, cancellable without leftovers."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_io_tables import write_csv

from adsdesk.io.import_tables import ImportCancelled, check_table, import_rows
from adsdesk.io.tables import read_table
from adsdesk.store.ads import AdDraft, list_ads, load_ad
from adsdesk.store.models import Ad, AdPhone, Advertiser, AdvertiserPhone, Insertion

HEADER = ["标题", "正文", "电话", "分类", "客户", "刊登日期"]


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Ad, AdPhone, Advertiser, AdvertiserPhone, Insertion))


def _ten_thousand_rows() -> list[list[object]]:
    rows: list[list[object]] = [HEADER]
    for i in range(10_000):
        phone = f"139{i:08d}"
        day = dt.date(2023, 1, 1) + dt.timedelta(days=i % 365)
        rows.append(
            [
                f"出售{i}",
                f"本人有楼房一套，{40 + i % 100}平米，价格面议。联系电话:{phone}",
                phone,
                "房屋出售",
                f"客户{i % 2000}",
                day,  # a real Excel date cell
            ]
        )
    return rows


def test_ten_thousand_row_xlsx_imports_with_checks(desk_db: Path, tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("广告")
    for row in _ten_thousand_rows():
        sheet.append(row)
    path = tmp_path / "ads.xlsx"
    book.save(path)

    seen: list[tuple[int, int]] = []
    plan = check_table(
        read_table(path), progress=lambda d, t: seen.append((d, t)) is None, area_code="0352"
    )
    assert len(plan.rows) == 10_000 and plan.rejected == []
    assert seen[-1] == (10_000, 10_000)
    ids = import_rows(plan.good, progress=lambda d, t: seen.append((d, t)) is None)
    assert len(ids) == 10_000
    assert _counts() == (10_000, 10_000, 2_000, 10_000, 10_000)
    last = load_ad(ids[-1])
    assert last.title == "出售9999"
    assert [p.display for p in last.phones] == ["13900009999"]
    assert last.dates == [dt.date(2023, 1, 1) + dt.timedelta(days=9999 % 365)]
    assert last.advertiser_name == "客户1999"
    # rows of one advertiser share one advertiser with all their phones
    assert Advertiser.get(Advertiser.name == "客户7").phones.count() == 5


def test_gb18030_csv_imports(desk_db: Path, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["石磨浆水豆腐", "不加卤水 不加石膏\n许可证: SXZF 1251402130017(p) 电话: 17635217373",
         "", "食品", "宾友便民", "2023-02-24"],
        ["", "魏都新城、云锦里养老 15535203935", "", "", "", "2023-02-24 2023-02-25"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "excel.csv", rows, "gb18030")
    plan = check_table(read_table(path), area_code="0352")
    assert [r.reason for r in plan.rows] == ["", ""]
    import_rows(plan.good)
    ads = sorted(list_ads(), key=lambda a: a.id)
    assert [a.title for a in ads] == ["石磨浆水豆腐", ""]
    assert ads[0].phones == ("17635217373",) and ads[0].advertiser == "宾友便民"
    assert ads[1].category == "养老服务"  # guessed: the row left it empty
    assert ads[1].dates == (dt.date(2023, 2, 24), dt.date(2023, 2, 25))


def test_bad_rows_are_reported_with_row_number_and_reason(desk_db: Path, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["纱窗", "厂家直供，电话18911267373", "", "家居服务", "", ""],
        ["出售", "电话 1390352849", "", "", "", ""],  # a digit short
        ["养老", "全市最佳养老院 13903528495", "", "养老服务", "", ""],  # blocked wording
        ["和平医院", "体检 0352-5393120", "", "医疗体检", "", ""],  # warning only
        ["招聘", "招聘司机 15835201234", "158352", "招聘", "", "2023-13-01"],
    ]
    plan = check_table(read_table(write_csv(tmp_path / "bad.csv", rows, "utf-8")), area_code="0352")
    rejected = {r.row: r.reason for r in plan.rejected}
    assert sorted(rejected) == [3, 4, 6]
    assert "1390352849" in rejected[3] and "11位" in rejected[3]
    assert "最佳" in rejected[4]
    assert "158352" in rejected[6] and "2023-13-01" in rejected[6]
    for reason in rejected.values():
        assert reason.endswith("。") and "\n" not in reason
    hospital = next(r for r in plan.good if r.title == "和平医院")
    assert [f.rule for f in hospital.warnings] == ["medical.approval_missing"]

    with pytest.raises(ValueError):
        import_rows(plan.rows)  # refused rows are never imported
    assert _counts() == (0, 0, 0, 0, 0)
    assert len(import_rows(plan.good)) == 2


def test_a_supervisor_override_lets_a_blocked_row_in(desk_db: Path, tmp_path: Path) -> None:
    rows = [
        ["标题", "正文", "特批理由"],
        ["养老", "全市最佳养老院 13903528495", "主管王某批准"],
    ]
    plan = check_table(read_table(write_csv(tmp_path / "o.csv", rows, "utf-8")), area_code="0352")
    (row,) = plan.rows
    assert row.ok and any(f.level == "block" for f in row.findings)
    (ad_id,) = import_rows(plan.good)
    assert load_ad(ad_id).override_reason == "主管王某批准"


def _plan(tmp_path: Path, n: int):
    rows = [HEADER] + [
        [f"出售{i}", f"楼房一套。电话139{i:08d}", "", "房屋出售", f"客户{i}", "2023-02-24"]
        for i in range(n)
    ]
    return check_table(
        read_table(write_csv(tmp_path / "many.csv", rows, "utf-8")), area_code="0352"
    )


def test_a_failure_half_way_leaves_the_database_as_it_was(demo_db: Path, tmp_path: Path) -> None:
    before = _counts()
    plan = _plan(tmp_path, 1_500)

    def disk_full(done: int, _total: int) -> bool:
        if done >= 1_000:
            raise OSError("磁盘已满")
        return True

    with pytest.raises(OSError):
        import_rows(plan.good, progress=disk_full)
    assert _counts() == before


def test_cancelling_leaves_nothing(desk_db: Path, tmp_path: Path) -> None:
    plan = _plan(tmp_path, 1_200)
    calls: list[int] = []

    def stop_after_first_chunk(done: int, _total: int) -> bool:
        calls.append(done)
        return done < 500

    with pytest.raises(ImportCancelled) as err:
        import_rows(plan.good, progress=stop_after_first_chunk)
    assert "没有任何改动" in str(err.value)
    assert max(calls) == 500  # rows were written before the cancel, and rolled back
    assert _counts() == (0, 0, 0, 0, 0)

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled):
        import_rows(plan.good, cancel=cancel)
    with pytest.raises(ImportCancelled):
        check_table(read_table(tmp_path / "many.csv"), cancel=cancel, area_code="0352")
    assert _counts() == (0, 0, 0, 0, 0)


def test_checks_in_worker_processes_match_checks_here(tmp_path: Path) -> None:
    _plan(tmp_path, 4_100)  # writes many.csv: three chunks of rows
    table = read_table(tmp_path / "many.csv")
    here = check_table(table, workers=1, area_code="0352")
    there = check_table(table, workers=2, area_code="0352")
    assert there.rows == here.rows
    assert [r.row for r in there.rows] == list(range(2, 4_102))


def _search_plan(tmp_path: Path, n: int):
    rows = [HEADER] + [
        [f"出售{i}", f"楼房一套。电话139{i:08d}", "", "房屋出售", f"客户{i % 300}", "2023-02-24"]
        for i in range(n)
    ]
    rows.append(
        [
            "骉驫出让",
            "旧书一批，价格面议。电话13912347373",
            "",
            "",
            "骉驫书店",
            "2023-03-01, 2023-03-05",
        ]
    )
    return check_table(
        read_table(write_csv(tmp_path / "search.csv", rows, "utf-8")), area_code="0352"
    )


@pytest.mark.parametrize("index_workers", [0, 1])
def test_a_bulk_import_is_searchable(desk_db: Path, tmp_path: Path, index_workers: int) -> None:
    from adsdesk.store.search import search_ad_ids, search_advertisers
    from adsdesk.store.search_backend import pending as pending_count
    from adsdesk.store.search_plan import Filters

    plan = _search_plan(tmp_path, 1_200)
    assert not plan.rejected
    ids = import_rows(plan.good, index_workers=index_workers)
    assert len(ids) == 1_201
    special = ids[-1]
    assert pending_count() == 0
    assert search_ad_ids("驫") == [special]  # one character
    assert search_ad_ids("骉驫") == [special]  # two characters
    assert search_ad_ids("旧书一批") == [special]  # trigram text
    assert search_ad_ids("7373") == [special]  # phone tail
    assert special in search_ad_ids("13912347373")
    assert search_ad_ids("", Filters(on_date=dt.date(2023, 3, 5))) == [special]
    assert (
        search_ad_ids("", Filters(date_from=dt.date(2023, 3, 2), date_to=dt.date(2023, 3, 4))) == []
    )
    assert len(search_ad_ids("出售", Filters(category="房屋出售"))) == 1_200
    assert ids[0] in search_ad_ids("电话13900000000")
    assert [a.name for a in search_advertisers("骉驫")] == ["骉驫书店"]
    assert [a.name for a in search_advertisers("客户299")] == ["客户299"]


def _trigger_names() -> set[str]:
    from adsdesk.store.backend import is_postgres
    from adsdesk.store.models import db

    if is_postgres():
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {r[0] for r in db.execute_sql(sql).fetchall()}


def test_a_cancelled_bulk_import_keeps_the_index_triggers(desk_db: Path, tmp_path: Path) -> None:
    from adsdesk.store.ads import AdDraft, PhoneEntry, save_ad
    from adsdesk.store.exchange import BulkCancelled, save_many
    from adsdesk.store.search import search_ad_ids

    triggers = _trigger_names()
    assert triggers
    plan = _search_plan(tmp_path, 1_200)
    with pytest.raises(ImportCancelled):
        import_rows(plan.good, progress=lambda done, _total: done < 500)
    assert _trigger_names() == triggers
    assert _counts() == (0, 0, 0, 0, 0)
    drafts = [AdDraft(title=f"草稿{i}", body="正文", advertiser_name="新客户") for i in range(600)]
    with pytest.raises(BulkCancelled):
        save_many(drafts, lambda done: done < 500)
    assert _trigger_names() == triggers
    assert search_ad_ids("草稿") == []

    ad_id = save_ad(
        AdDraft(
            category="房屋出售",
            title="骉驫小屋",
            body="出租。电话13912347373",
            phones=[PhoneEntry("+8613912347373", "139-1234-7373")],
            dates=[dt.date(2023, 4, 1)],
        )
    )
    assert search_ad_ids("驫") == [ad_id]
    assert search_ad_ids("骉驫") == [ad_id]
    assert search_ad_ids("7373") == [ad_id]


def test_ads_saved_in_bulk_with_new_advertisers_are_searchable(desk_db: Path) -> None:
    from adsdesk.store.exchange import save_many
    from adsdesk.store.search import search_ad_ids, search_advertisers

    drafts = [
        AdDraft(title=f"鼎鼐{i}", body="正文", advertiser_name=f"鼎鼐商行{i}") for i in range(3)
    ]
    ids = save_many(drafts)
    assert sorted(search_ad_ids("鼐")) == sorted(ids)
    assert {a.name for a in search_advertisers("鼎鼐商行")} == {f"鼎鼐商行{i}" for i in range(3)}
