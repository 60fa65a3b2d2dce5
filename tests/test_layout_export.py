"""``adsdesk export``: the sample column as a print-ready PDF read back with pypdf, PNG, errors."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from adsdesk.cli import main
from adsdesk.domain.phone_find import find_phones
from adsdesk.issue import issue_ads
from adsdesk.layout.engine import lay_out_ad
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.issue_ads import IssueAd
from adsdesk.layout.render import write_proof_pdf
from adsdesk.store import layout_prefs
from adsdesk.store.database import close_db, init_db

MM = 72 / 25.4
SAMPLE_ORDER = [1, 6, 9, 11, 12, 13, 4, 2, 5, 7, 3, 8, 10]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    close_db()
    out, err = capsys.readouterr()
    return code, out, err


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def sample_db(demo_db: Path) -> Path:
    """The demo database as ``adsdesk demo --no-gui`` leaves it, closed for the CLI."""
    close_db()
    return demo_db


def sample_ads(db: Path) -> dict[int, IssueAd]:
    import datetime as dt

    init_db(db)
    ads = {a.id: a for a in issue_ads(dt.date(2023, 2, 24))}
    close_db()
    return ads


def test_demo_then_export_places_every_sample_ad(capsys, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    code, _out, _err = run(capsys, "demo", "--no-gui", "--db", str(db))
    assert code == 0
    pdf = tmp_path / "x.pdf"
    code, out, err = run(
        capsys, "export", "--db", str(db), "--date", "2023-02-24", "--pdf", str(pdf), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"date", "placed", "left_over", "columns", "width_mm", "height_mm"}
    assert data["date"] == "2023-02-24"
    assert sorted(data["placed"]) == list(range(1, 14)) and data["left_over"] == []
    assert data["placed"] == SAMPLE_ORDER
    assert [c["index"] for c in data["columns"]] == [0, 1, 2, 3, 4]
    assert all(0 < c["fill"] <= 1 for c in data["columns"])
    assert (data["width_mm"], data["height_mm"]) == (240.0, 110.0)
    assert pdf.stat().st_size > 10_000


def test_pdf_page_has_the_block_size_embedded_fonts_and_text(
    capsys, sample_db: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "column.pdf"
    code, _out, err = run(
        capsys, "export", "--db", str(sample_db), "--date", "2023-02-24", "--pdf", str(pdf)
    )
    assert code == 0, err
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(240 * MM, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(110 * MM, abs=0.01)
    assert float(page.trimbox.width) == pytest.approx(240 * MM, abs=0.01)

    fonts = page["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
        names.add(str(font["/BaseFont"]))
    assert any("AdsDeskSans-Bold" in n for n in names)
    assert any("AdsDeskSerif" in n for n in names)

    text = squash(page.extract_text())
    assert text.startswith("便民信息广告热线：51056782023122")
    ads = sample_ads(sample_db)
    cursor = 0
    for ad_id in SAMPLE_ORDER:  # titles and numbers come out in reading order
        ad = ads[ad_id]
        wanted = [squash(ad.title)] if ad.title else []
        wanted += [squash(m.text) for m in find_phones(ad.body, "0352")]
        assert wanted, ad
        for piece in wanted:
            found = text.find(piece, cursor)
            assert found >= 0, (ad_id, piece)
            cursor = found + len(piece)


def test_png_export_has_the_block_size_at_the_chosen_dpi(
    capsys, sample_db: Path, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    pdf, png = tmp_path / "c.pdf", tmp_path / "c.png"
    code, _out, err = run(
        capsys,
        "export",
        "--db",
        str(sample_db),
        "--date",
        "2023-02-24",
        "--pdf",
        str(pdf),
        "--png",
        str(png),
        "--dpi",
        "100",
    )
    assert code == 0, err
    image = QImage(str(png))
    assert (image.width(), image.height()) == (round(240 / 25.4 * 100), round(110 / 25.4 * 100))
    assert image.pixelColor(3, 3).lightness() < 50  # the black masthead band
    assert image.pixelColor(image.width() // 2, image.height() - 3).lightness() > 240


def test_a_block_too_small_names_the_left_over_ads(capsys, sample_db: Path, tmp_path: Path) -> None:
    init_db(sample_db)
    layout_prefs.save_column_settings({**ColumnSettings().to_dict(), "height_mm": 70.0})
    close_db()
    code, out, err = run(
        capsys,
        "export",
        "--db",
        str(sample_db),
        "--date",
        "2023-02-24",
        "--pdf",
        str(tmp_path / "small.pdf"),
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["left_over"] and data["height_mm"] == 70.0
    assert sorted(data["placed"] + data["left_over"]) == list(range(1, 14))
    text = squash(PdfReader(tmp_path / "small.pdf").pages[0].extract_text())
    ads = sample_ads(sample_db)
    printed = Counter(
        squash(m.text) for i in data["placed"] for m in find_phones(ads[i].body, "0352")
    )
    for ad_id in data["left_over"]:  # a left-over ad is not printed, in part or whole
        for m in find_phones(ads[ad_id].body, "0352"):
            assert text.count(squash(m.text)) == printed[squash(m.text)]
    code, out, _ = run(
        capsys,
        "export",
        "--db",
        str(sample_db),
        "--date",
        "2023-02-24",
        "--pdf",
        str(tmp_path / "small.pdf"),
    )
    assert code == 0 and "排不下" in out and f"#{data['left_over'][0]}" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--date", "2023-02-25", "--pdf", "{tmp}/x.pdf"], "没有刊登"),
        (["--date", "2023-02-30", "--pdf", "{tmp}/x.pdf"], "不对，应写成 2023-02-24"),
        (["--date", "24/02/2023", "--pdf", "{tmp}/x.pdf"], "不对，应写成 2023-02-24"),
        (["--pdf", "{tmp}/x.pdf"], "--date"),
        (["--date", "2023-02-24"], "--pdf"),
        (["--date", "2023-02-24", "--pdf", "{tmp}/no/such/folder/x.pdf"], "无法写入"),
        (["--date", "2023-02-24", "--pdf", "{tmp}"], "无法写入"),
        (["--date", "2023-02-24", "--pdf", "{tmp}/x.pdf", "--png", "{tmp}/nope/x.png"], "无法写入"),
    ],
)
def test_bad_requests_get_one_sentence(
    capsys, sample_db: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    argv = ["export", "--db", str(sample_db)] + [a.format(tmp=tmp_path) for a in args]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_proof_pdf_shows_the_ad_alone_with_date_and_signature(
    qapp, sample_db: Path, tmp_path: Path
) -> None:
    import datetime as dt

    ads = sample_ads(sample_db)
    settings = ColumnSettings()
    placed = lay_out_ad(ads[3], settings, "0352")
    path = tmp_path / "proof.pdf"
    write_proof_pdf(placed, settings, path, date=dt.date(2023, 2, 24), paper_name="大同日报")
    page = PdfReader(path).pages[0]
    text = squash(page.extract_text())
    assert "广告清样" in text and "2023-02-24" in text and "客户签字确认" in text
    assert "纱窗加工安装" in text and "18911267373" in text
    assert "大同馨万家" not in text  # the ad alone
    assert float(page.mediabox.width) == pytest.approx(
        max(settings.column_width_pt, 60 * MM) + 16 * MM, abs=0.01
    )


def test_a_long_left_over_list_shows_the_first_ten_and_the_count(
    capsys, sample_db: Path, tmp_path: Path
) -> None:
    init_db(sample_db)
    layout_prefs.save_column_settings({**ColumnSettings().to_dict(), "height_mm": 30.0})
    close_db()
    args = ["export", "--db", str(sample_db), "--date", "2023-02-24", "--pdf"]
    code, out, err = run(capsys, *args, str(tmp_path / "a.pdf"), "--json")
    assert code == 0, err
    left = json.loads(out)["left_over"]
    assert len(left) > 10
    code, out, err = run(capsys, *args, str(tmp_path / "b.pdf"))
    assert code == 0, err
    line = out.strip()
    assert f"排不下 {len(left)} 则" in line
    assert "、".join(f"#{x}" for x in left[:10]) + " 等" in line
    assert [int(x) for x in re.findall(r"#(\d+)", line)] == left[:10]
    assert "--json" in line
