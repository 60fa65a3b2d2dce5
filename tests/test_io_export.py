"""Export ads, advertisers and insertions to .xlsx and .csv; what goes out comes back in whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from adsdesk.cli import main
from adsdesk.io.export_tables import export_tables, side_files
from adsdesk.io.import_tables import check_table, import_rows
from adsdesk.io.tables import read_table
from adsdesk.store.actor import CLERK, SUPERVISOR, Actor, acting_as
from adsdesk.store.ads import list_ads, load_ad, save_ad
from adsdesk.store.database import close_db, init_db

DAY = dt.date(2023, 2, 24)


def _snapshot() -> list[tuple[object, ...]]:
    """Everything a clerk sees of each ad, in a form that ignores ids."""
    out = []
    for row in list_ads(limit=100_000):
        ad = load_ad(row.id)
        out.append(
            (
                ad.category,
                ad.advertiser_name,
                ad.title,
                ad.body,
                tuple((p.e164, p.display) for p in ad.phones),
                tuple(ad.dates),
                ad.override_reason,
            )
        )
    return sorted(out)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_loses_nothing(demo_db: Path, tmp_path: Path, suffix: str) -> None:
    ad = load_ad(list_ads()[0].id)
    ad.id, ad.dates = None, [DAY, DAY + dt.timedelta(days=1)]
    ad.override_reason = "主管特批"
    ad.body = "全市最佳，" + ad.body  # blocked wording, let through by the override
    with acting_as(Actor(user="wang", roles=frozenset({CLERK, SUPERVISOR}))):
        save_ad(ad)
    before = _snapshot()
    out = tmp_path / f"ads{suffix}"
    result = export_tables(out)
    assert result.ads == 14 and result.insertions == 15
    close_db()

    init_db(tmp_path / "empty.sqlite3")
    try:
        plan = check_table(read_table(out), area_code="0352")
        assert plan.rejected == []
        import_rows(plan.good)
        assert _snapshot() == before
    finally:
        close_db()


def test_xlsx_has_three_sheets_and_csv_three_files_with_bom(demo_db: Path, tmp_path: Path) -> None:
    export_tables(tmp_path / "all.xlsx")
    book = load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert book.sheetnames == ["广告", "客户", "刊登"]
    ads = list(book["广告"].iter_rows(values_only=True))
    assert ads[0] == ("编号", "分类", "客户", "标题", "正文", "电话", "刊登日期", "特批理由")
    yanglao = next(r for r in ads if r[3] == "大同馨万家养老中心")
    assert yanglao[5].split(", ")[:2] == ["13903528495", "15934215918"]
    assert yanglao[6] == "2023-02-24"
    customers = list(book["客户"].iter_rows(values_only=True))
    assert ("大同和平医院", "0352-5393120") in {(r[1], r[2]) for r in customers}
    book.close()

    export_tables(tmp_path / "all.csv")
    for path in (tmp_path / "all.csv", *side_files(tmp_path / "all.csv")):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Chinese Excel reads it right
    insertions = side_files(tmp_path / "all.csv")[1].read_text(encoding="utf-8-sig")
    assert insertions.splitlines()[0] == "刊登日期,广告编号,分类,客户,标题,电话"
    assert len(insertions.splitlines()) == 14


def test_a_date_range_exports_only_its_insertions(demo_db: Path, tmp_path: Path) -> None:
    ad = load_ad(list_ads()[0].id)
    ad.id, ad.dates = None, [DAY + dt.timedelta(days=10)]
    save_ad(ad)
    early = export_tables(tmp_path / "feb.xlsx", DAY, DAY)
    late = export_tables(tmp_path / "mar.xlsx", DAY + dt.timedelta(days=1), None)
    assert (early.ads, early.insertions) == (13, 13)
    assert (late.ads, late.insertions) == (1, 1)


def test_export_command(demo_db: Path, tmp_path: Path, capsys) -> None:
    close_db()
    out = str(tmp_path / "out.xlsx")
    args = ["export", "--ads", out, "--from", "2023-02-24", "--to", "2023-02-24"]
    assert main([*args, "--db", str(demo_db)]) == 0
    assert "13 则广告" in capsys.readouterr().out
    assert (tmp_path / "out.xlsx").exists()
    close_db()
    for bad, words in (
        (["--ads", str(tmp_path / "out.pdf")], ".xlsx 或 .csv"),
        (["--ads", str(tmp_path / "x.csv"), "--from", "24/2"], "2023-02-24 这样"),
        (["--ads", str(tmp_path / "x.csv"), "--from", "2023-03-01", "--to", "2023-02-01"], "晚于"),
    ):
        assert main(["export", *bad, "--db", str(demo_db)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err, err
        close_db()
