"""``adsdesk tearsheet``: the printed ad cut from the press PDF as vectors, with a header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pressmaker import TTF_FONT, PressAd, make_press_pdf
from pypdf import PdfReader

from adsdesk.cli import main
from adsdesk.store.bookings import issue_bookings
from adsdesk.store.database import close_db, init_db

DATE = dt.date(2023, 2, 24)
MM = 72 / 25.4


def export_column(path: Path) -> Path:
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.issue import load_issue
    from adsdesk.layout.engine import lay_out
    from adsdesk.layout.render import write_pdf

    ensure_gui_app()
    write_pdf(lay_out(load_issue(DATE)), path)
    return path


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    close_db()
    code = main([*args, "--db", str(db)])
    close_db()
    out, err = capsys.readouterr()
    init_db(db)
    return code, out, err


def images_on(page) -> int:
    xobjects = page["/Resources"].get("/XObject") or {}
    return sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")


def test_tearsheet_of_one_ad_from_the_checked_press_pdf(capsys, demo_db: Path, tmp_path) -> None:
    press = export_column(tmp_path / "press.pdf")
    code, _out, err = cli(capsys, demo_db, "verify", "--date", "2023-02-24", "--pdf", str(press))
    assert code == 0, err
    out = tmp_path / "proof.pdf"
    code, text, err = cli(
        capsys, demo_db, "tearsheet", "--date", "2023-02-24", "--ad", "6", "--pdf", str(out)
    )
    assert code == 0, err
    assert "广告 #6" in text
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    words = page.extract_text()
    assert "大同日报" in words and "2023年2月24日" in words and "刊登证明" in words
    assert "特价售房" in words and "18803521868" in words  # the ad, as text (a vector cut)
    assert "纱窗加工安装" not in words and "13935216623" not in words  # no neighbour, hidden or not
    assert images_on(page) == 0
    width_mm = float(page.mediabox.width) / MM
    assert 60 < width_mm < 80  # one column wide plus margins, not the whole 240 mm block


def test_tearsheet_all_writes_one_file_per_advertiser(capsys, demo_db: Path, tmp_path) -> None:
    press = export_column(tmp_path / "press.pdf")
    folder = tmp_path / "proofs"
    code, _text, err = cli(
        capsys,
        demo_db,
        "tearsheet",
        "--date",
        "2023-02-24",
        "--all",
        "--pdf",
        str(folder),
        "--press",
        str(press),
    )
    assert code == 0, err
    advertisers = {b.advertiser for b in issue_bookings(DATE)}
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(advertisers) == 12
    hospital = folder / "2023-02-24-大同和平医院.pdf"
    assert len(PdfReader(hospital).pages) == 2  # its two ads of the day
    assert all("0352-5393120" in p.extract_text() for p in PdfReader(hospital).pages)


def test_tearsheet_from_another_producer_keeps_its_title_image(
    capsys, demo_db: Path, tmp_path
) -> None:
    ads = [PressAd(b.title, b.body) for b in issue_bookings(DATE)]
    school = next(a for a in ads if a.title == "山西荣鑫职业专修学院")
    school.title_as_image = True
    press = make_press_pdf(tmp_path / "press.pdf", ads, columns=3, font=TTF_FONT)
    out = tmp_path / "school.pdf"
    code, _text, err = cli(
        capsys,
        demo_db,
        "tearsheet",
        "--date",
        "2023-02-24",
        "--ad",
        "7",
        "--pdf",
        str(out),
        "--press",
        str(press),
    )
    assert code == 0, err
    page = PdfReader(out).pages[0]
    assert "15135222972" in page.extract_text()


def test_tearsheet_refuses_an_ad_not_printed_and_a_date_never_checked(
    capsys, demo_db: Path, tmp_path
) -> None:
    code, _text, err = cli(
        capsys,
        demo_db,
        "tearsheet",
        "--date",
        "2023-02-24",
        "--ad",
        "6",
        "--pdf",
        str(tmp_path / "x.pdf"),
    )
    assert code == 2 and "还没有核对过付印 PDF" in err
    ads = [PressAd(b.title, b.body) for b in issue_bookings(DATE) if b.id != 6]
    press = make_press_pdf(tmp_path / "press.pdf", ads)
    code, _text, err = cli(
        capsys,
        demo_db,
        "tearsheet",
        "--date",
        "2023-02-24",
        "--ad",
        "6",
        "--pdf",
        str(tmp_path / "x.pdf"),
        "--press",
        str(press),
    )
    assert code == 1 and "没有找到（漏登）" in err
