"""Reading tables: encodings Chinese Excel writes, headers in Chinese or English, broken files."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from adsdesk.domain.dates import parse_dates
from adsdesk.io.import_tables import check_table, split_phone_cell
from adsdesk.io.tables import TableError, read_table

ROWS = [
    ["标题", "正文", "电话", "分类", "客户", "刊登日期"],
    ["纱窗加工安装", "厂家直供 品质保证\n联系电话:18911267373", "18911267373", "家居服务", "纱窗厂",
     "2023-02-24, 2023-02-25"],
    ["出售", "本人有复地紫城多层楼房一套,大红本,价格面议。", "13994398019、0352-5393120", "",
     "", "2023/3/1"],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_every_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    table = read_table(write_csv(tmp_path / "ads.csv", ROWS, encoding))
    records = table.records()
    assert [n for n, _ in records] == [2, 3]
    first = records[0][1]
    assert first["title"] == "纱窗加工安装"
    assert first["body"] == "厂家直供 品质保证\n联系电话:18911267373"
    assert first["dates"] == "2023-02-24, 2023-02-25"
    assert table.unknown_headers() == []


def test_english_headers_and_excel_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ads.xlsx",
        [
            ["Title", "Body", "Phones", "Category", "Advertiser", "Dates", "Notes"],
            [
                "售房",
                "花城尚府,100平米。电话:18903428827",
                18903428827,
                "房屋出售",
                "王先生",
                dt.datetime(2023, 2, 24),
            ],
        ],
    )
    table = read_table(path)
    ((number, record),) = table.records()
    assert number == 2
    assert record["phones"] == "18903428827"  # a number cell, not 1.89e10
    assert record["dates"] == "2023-02-24"
    assert record["advertiser"] == "王先生"
    assert table.unknown_headers() == ["Notes"]


def test_a_mapping_names_other_headers(tmp_path: Path) -> None:
    rows = [["文案", "联系方式", "备注"], ["开锁换锁，二十四小时上门。", "0352-5021234", "老客户"]]
    path = write_csv(tmp_path / "odd.csv", rows, "utf-8")
    table = read_table(path)
    assert table.missing_text()
    assert table.unknown_headers() == ["文案", "联系方式", "备注"]
    table = read_table(path, {"文案": "body", "联系方式": "phones", "备注": ""})
    assert not table.missing_text()
    plan = check_table(table, area_code="0352")
    (row,) = plan.rows
    assert row.ok and row.body.startswith("开锁") and row.printed == ("0352-5021234",)
    assert row.category == "家居服务"  # guessed from the words when no category is given


def test_phone_and_date_cells() -> None:
    assert split_phone_cell("13903528495, 15934215918；0352-5393120、5105678", "0352") == [
        "13903528495",
        "15934215918",
        "0352-5393120",
        "5105678",
    ]
    assert split_phone_cell("139 0352 8495", "0352") == ["139 0352 8495"]  # spaced-out, one number
    assert split_phone_cell("13903528495 15934215918", "0352") == ["13903528495", "15934215918"]
    days, bad = parse_dates("2023-02-24, 2023/2/25；2023年2月26日 20230227 2023-02-30")
    assert days == [dt.date(2023, 2, d) for d in (24, 25, 26, 27)]
    assert bad == ["2023-02-30"]


def _one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith("。")


def test_truncated_xlsx_gives_one_sentence(tmp_path: Path) -> None:
    full = write_xlsx(tmp_path / "full.xlsx", ROWS)
    data = full.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(TableError) as err:
        read_table(cut)
    _one_sentence(str(err.value))
    assert "cut.xlsx" in str(err.value) and "Excel" in str(err.value)


@pytest.mark.parametrize("name", ["noise.xlsx", "noise.csv"])
def test_random_binary_gives_one_sentence(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random.Random(5).randbytes(4096))
    with pytest.raises(TableError) as err:
        read_table(path)
    _one_sentence(str(err.value))


def test_other_files_are_refused_by_name(tmp_path: Path) -> None:
    for name, words in (
        ("old.xls", "另存为"),
        ("ads.pdf", ".csv 或 .xlsx"),
        ("gone.csv", "找不到"),
    ):
        path = tmp_path / name
        if name != "gone.csv":
            path.write_bytes(os.urandom(64))
        with pytest.raises(TableError) as err:
            read_table(path)
        _one_sentence(str(err.value))
        assert words in str(err.value)
