"""Receipts read back from the PDF, reports as JSON/.xlsx/PDF, cash-up, the demo's orders."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_cli import run

from adsdesk.domain.money import capitals


@pytest.fixture
def demo_file(capsys, db_target) -> str:
    db = str(db_target)  # an SQLite file, and a PostgreSQL database when ADSDESK_TEST_PG is set
    assert run(capsys, "demo", "--no-gui", "--db", db)[0] == 0
    return db


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    found = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            desc = target.get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font.get("/BaseFont")), embedded))
    return found


def test_demo_books_priced_paid_orders(capsys, demo_file: str) -> None:
    code, out, _ = run(
        capsys, "report", "--db", demo_file, "--from", "2023-02-24", "--to", "2023-02-24", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["orders"] == 13
    assert data["total_fen"] > 0 and data["paid_fen"] == data["total_fen"]
    assert sum(r["total_fen"] for r in data["rows"]) == data["total_fen"]
    code, out, _ = run(capsys, "cashup", "--db", demo_file, "--day", "2023-02-24", "--json")
    summary = json.loads(out)
    assert summary["orders"] == 13 and summary["takings_fen"] == data["total_fen"]
    assert summary["by_method"]["现金"] > 0 and summary["by_method"]["微信"] > 0


def test_receipt_pdf_reads_back_with_capitals_and_embedded_fonts(
    capsys, demo_file: str, tmp_path: Path
) -> None:
    first = tmp_path / "r1.pdf"
    code, out, _ = run(capsys, "receipt", "20230224-002", "--pdf", str(first), "--db", demo_file)
    assert code == 0 and "补打" not in out
    reader = PdfReader(first)
    text = reader.pages[0].extract_text()
    code, out, _ = run(
        capsys,
        "report",
        "--db",
        demo_file,
        "--from",
        "2023-02-24",
        "--to",
        "2023-02-24",
        "--by",
        "advertiser",
        "--json",
    )
    assert "20230224-002" in text and "大同日报" in text and "补打" not in text
    assert "大同和平医院" in text
    # 大同和平医院's health-check ad: 7 lines × 50.00 under the default card
    assert "350.00" in text and capitals(35000) == "叁佰伍拾元整" and "叁佰伍拾元整" in text
    fonts = _fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts)
    again = tmp_path / "r2.pdf"
    code, out, _ = run(capsys, "receipt", "20230224-002", "--pdf", str(again), "--db", demo_file)
    assert code == 0 and "补打" in out
    assert "补打" in PdfReader(again).pages[0].extract_text()
    code, _, err = run(capsys, "receipt", "20990101-001", "--pdf", str(again), "--db", demo_file)
    assert code == 2 and "没有订单" in err


def test_report_xlsx_has_a_native_chart_and_the_pdf_the_total(
    capsys, demo_file: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    xlsx = tmp_path / "r.xlsx"
    args = ["--db", demo_file, "--from", "2023-02-01", "--to", "2023-02-28", "--by", "category"]
    assert run(capsys, "report", *args, "--xlsx", str(xlsx))[0] == 0
    ws = load_workbook(xlsx).active
    values = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] != "合计"]
    _, out, _ = run(capsys, "report", *args, "--json")
    data = json.loads(out)
    assert round(sum(v[2] for v in values) * 100) == data["total_fen"]
    assert [v[0] for v in values] == [r["key"] for r in data["rows"]]
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        chart = next(n for n in names if n.startswith("xl/charts/chart"))
        xml = z.read(chart).decode("utf-8")
        assert "<barChart>" in xml and '<barDir val="col" />' in xml and "'报表'!$C$3" in xml
    pdf = tmp_path / "r.pdf"
    assert run(capsys, "report", *args, "--pdf", str(pdf))[0] == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "房屋出售" in text and f"{data['total_fen'] / 100:.2f}" in text


def test_report_bad_dates_are_one_sentence(capsys, tmp_path: Path) -> None:
    code, _, err = run(
        capsys,
        "report",
        "--db",
        str(tmp_path / "x.sqlite3"),
        "--from",
        "2024-13-01",
        "--to",
        "2024-01-01",
    )
    assert code == 2 and "--from" in err and "Traceback" not in err
