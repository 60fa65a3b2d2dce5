"""``adsdesk verify``: the press PDF read back and reconciled with the day's bookings.

Press PDFs come from two producers: the desk's own renderer (Qt, whole lines, flipped
coordinates) and reportlab (CID and TrueType-subset text, other line widths, other column
count), with ads removed, duplicated, moved, a phone digit changed, a title set as an image.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pressmaker import (
    CID_FONT,
    TTF_FONT,
    PressAd,
    full_width,
    hyphenate_phones,
    image_only_pdf,
    make_press_pdf,
    outlines_only_pdf,
)

from adsdesk.cli import main
from adsdesk.store.ads import AdDraft, PhoneEntry, load_ad, save_ad
from adsdesk.store.bookings import issue_bookings, section_words
from adsdesk.store.database import close_db, init_db
from adsdesk.verify.pdftext import PdfTextError, read_pdf_text
from adsdesk.verify.reconcile import Report, reconcile

DATE = dt.date(2023, 2, 24)


def export_column(path: Path) -> Path:
    """The issue as the desk lays it out, written by its own renderer."""
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.issue import load_issue
    from adsdesk.layout.engine import lay_out
    from adsdesk.layout.render import write_pdf

    ensure_gui_app()
    write_pdf(lay_out(load_issue(DATE)), path)
    return path


def verify(pdf: Path) -> Report:
    return reconcile(read_pdf_text(pdf), issue_bookings(DATE), DATE, section_words())


def cli(capsys, db: Path, pdf: Path) -> tuple[int, dict, str]:
    close_db()
    code = main(
        ["verify", "--db", str(db), "--date", DATE.isoformat(), "--pdf", str(pdf), "--json"]
    )
    close_db()
    out, err = capsys.readouterr()
    init_db(db)
    return code, (json.loads(out) if out.strip() else {}), err


def rebook(ad_id: int, **changes: object) -> None:
    draft = load_ad(ad_id)
    for key, value in changes.items():
        setattr(draft, key, value)
    save_ad(draft)


# --- the desk's own renderer -------------------------------------------------------------


def test_clean_column_every_booking_found_exit_0(capsys, demo_db: Path, tmp_path: Path) -> None:
    pdf = export_column(tmp_path / "col.pdf")
    code, data, err = cli(capsys, demo_db, pdf)
    assert code == 0, err
    assert data["date"] == "2023-02-24" and data["pages"] == 1 and data["booked"] == 13
    assert sorted(f["id"] for f in data["found"]) == list(range(1, 14))
    assert data["missing"] == [] and data["altered"] == [] and data["duplicated"] == []
    assert data["extra"] == []
    # positions: the 公告 ad stands in the first column, the 酒类 ad in the last
    where = {f["id"]: f for f in data["found"]}
    assert where[1]["page"] == 1 and where[1]["box_mm"]["x"] < 10
    assert where[10]["box_mm"]["x"] > 190


def test_ad_booked_but_not_printed_is_missing(capsys, demo_db: Path, tmp_path: Path) -> None:
    pdf = export_column(tmp_path / "col.pdf")
    late = save_ad(
        AdDraft(
            category="家居服务",
            title="管道疏通",
            body="专业疏通下水道，随叫随到。电话:13512345678",
            phones=[PhoneEntry("+8613512345678", "13512345678")],
            dates=[DATE],
        )
    )
    code, data, _ = cli(capsys, demo_db, pdf)
    assert code == 1
    assert data["missing"] == [late]
    assert len(data["found"]) == 13 and data["altered"] == []


def test_printed_without_booking_is_extra(capsys, demo_db: Path, tmp_path: Path) -> None:
    pdf = export_column(tmp_path / "col.pdf")
    rebook(3, dates=[])  # 纱窗加工安装 printed, but its booking was taken off the issue
    code, data, _ = cli(capsys, demo_db, pdf)
    assert data["booked"] == 12 and data["missing"] == []
    assert len(data["extra"]) == 1
    extra = data["extra"][0]
    assert extra["page"] == 1 and "纱窗加工安装" in extra["text"] and "18911267373" in extra["text"]
    assert code == 0  # everything booked is there; the extra is reported, not a failure


def test_one_phone_digit_changed_is_altered(capsys, demo_db: Path, tmp_path: Path) -> None:
    pdf = export_column(tmp_path / "col.pdf")
    ad = load_ad(6)  # 特价售房 … 18803521868: the desk now holds 18803521869
    rebook(
        6,
        body=ad.body.replace("18803521868", "18803521869"),
        phones=[PhoneEntry("+8618803521869", "18803521869")],
    )
    code, data, _ = cli(capsys, demo_db, pdf)
    assert code == 1
    assert data["altered"] == [
        {
            "id": 6,
            "field": "phone",
            "booked": "18803521869",
            "printed": "18803521868",
            "diff": [
                {"op": "equal", "booked": "1880352186", "printed": "1880352186"},
                {"op": "replace", "booked": "9", "printed": "8"},
            ],
        }
    ]
    assert 6 in [f["id"] for f in data["found"]]


def test_text_cut_in_print_is_altered_with_the_lost_characters(
    demo_db: Path, tmp_path: Path
) -> None:
    pdf = export_column(tmp_path / "col.pdf")
    ad = load_ad(11)  # 售房 花城尚府…: the booking has a sentence the page does not
    rebook(11, body=ad.body.replace("简装", "简装，南北通透"))
    report = verify(pdf)
    (alt,) = report.altered
    assert alt.id == 11 and alt.field == "text"
    assert ("delete", "南北通透", "") in alt.diff
    assert "[南北通透→∅]" in alt.marked()


def test_printed_twice_is_duplicated(capsys, demo_db: Path, tmp_path: Path) -> None:
    ad = load_ad(7)
    copy = save_ad(
        AdDraft(category=ad.category, title=ad.title, body=ad.body, phones=ad.phones, dates=[DATE])
    )
    pdf = export_column(tmp_path / "col.pdf")
    rebook(copy, dates=[])  # the second booking is cancelled, but both went to press
    code, data, _ = cli(capsys, demo_db, pdf)
    assert code == 1
    assert data["duplicated"] == [7]
    assert data["extra"] == [] and data["missing"] == []


def test_ad_moved_to_another_column_is_still_found(demo_db: Path, tmp_path: Path) -> None:
    from adsdesk.store import layout_prefs

    before = verify(export_column(tmp_path / "a.pdf")).found_of(1)
    layout_prefs.set_column(DATE, 1, 4)  # 敬告 from the first column to the last
    report = verify(export_column(tmp_path / "b.pdf"))
    after = report.found_of(1)
    assert before is not None and after is not None
    assert before.box.x < 10 and after.box.x > 190
    assert report.clean and len(report.found) == 13


def test_phone_is_never_taken_from_another_ad(demo_db: Path, tmp_path: Path) -> None:
    # #2 and #5 share 0352-5393120. Print #2 without its number: #5's copy must not count.
    ad = load_ad(2)
    rebook(2, body=ad.body.replace("0352-5393120", ""))
    pdf = export_column(tmp_path / "col.pdf")
    rebook(2, body=ad.body)
    report = verify(pdf)
    assert [(a.id, a.field, a.booked, a.printed) for a in report.altered] == [
        (2, "phone", "0352-5393120", "")
    ]
    assert report.found_of(5) is not None


# --- another producer: reportlab ------------------------------------------------------------


def press_ads(transform=None) -> list[PressAd]:
    out = []
    for b in issue_bookings(DATE):
        body = transform(b) if transform else b.body
        out.append(PressAd(b.title, body))
    return out


@pytest.mark.parametrize("font", [CID_FONT, TTF_FONT])
def test_other_producer_clean_page_with_make_up_changes(
    demo_db: Path, tmp_path: Path, font: str
) -> None:
    """Three columns of another width, reversed order, full-width digits in one ad,
    hyphenated mobiles everywhere: everything is still found, nothing altered."""

    def makeup(b):
        body = hyphenate_phones(b.body, b.phones)
        return full_width(body) if b.id == 8 else body

    ads = list(reversed(press_ads(makeup)))
    pdf = make_press_pdf(tmp_path / "press.pdf", ads, font=font)
    report = verify(pdf)
    assert sorted(f.id for f in report.found) == list(range(1, 14))
    assert report.clean, (report.missing, report.altered, report.duplicated)
    assert report.extra == []


def test_other_producer_removed_duplicated_digit_and_image_title(
    capsys, demo_db: Path, tmp_path: Path
) -> None:
    ads = press_ads()
    by_title = {a.title: a for a in ads}
    ads.remove(by_title["纱窗加工安装"])  # #3 left out by make-up
    ads.append(PressAd(by_title["石磨浆水豆腐"].title, by_title["石磨浆水豆腐"].body))  # #8 twice
    wine = by_title["古井贡酒 年份原浆"]
    wine.body = wine.body.replace("18835255555", "18835256555")  # #10: one digit wrong
    by_title["山西荣鑫职业专修学院"].title_as_image = True  # #7: title as artwork
    ads.insert(4, PressAd("搬家", "长短途搬家，价格实惠。电话:13700001111"))  # nobody booked it
    pdf = make_press_pdf(tmp_path / "press.pdf", ads, columns=4, font=TTF_FONT)
    code, data, _ = cli(capsys, demo_db, pdf)
    assert code == 1
    assert data["missing"] == [3]
    assert data["duplicated"] == [8]
    assert [(a["id"], a["field"], a["booked"], a["printed"]) for a in data["altered"]] == [
        (10, "phone", "18835255555", "18835256555")
    ]
    found = {f["id"]: f for f in data["found"]}
    assert 7 in found and "note" in found[7]
    assert [e["text"] for e in data["extra"]] == ["搬家长短途搬家，价格实惠。电话:13700001111"]


# --- bad input ------------------------------------------------------------------------------


def test_pdf_of_outlines_gives_exit_2_and_the_cause(capsys, demo_db: Path, tmp_path: Path) -> None:
    pdf = outlines_only_pdf(tmp_path / "curves.pdf")
    code, data, err = cli(capsys, demo_db, pdf)
    assert code == 2 and data == {}
    assert "没有可读取的文字" in err and "转成了曲线" in err and "Traceback" not in err


def test_pdf_of_a_scan_names_images_as_the_cause(tmp_path: Path) -> None:
    with pytest.raises(PdfTextError, match="页面是图片"):
        read_pdf_text(image_only_pdf(tmp_path / "scan.pdf"))


def test_not_a_pdf_gives_exit_2(capsys, demo_db: Path, tmp_path: Path) -> None:
    fake = tmp_path / "page.pdf"
    fake.write_text("这不是 PDF", encoding="utf-8")
    code, _data, err = cli(capsys, demo_db, fake)
    assert code == 2 and "不是 PDF 文件" in err
    code, _data, err = cli(capsys, demo_db, tmp_path / "nowhere.pdf")
    assert code == 2 and "找不到文件" in err


def test_bench_verify_reports_what_was_changed_on_a_300_ad_page() -> None:
    """The benchmark's page: 300 ads, three phones changed and two bookings taken off after
    printing; the counts are checked, the time is only reported (speed is not a test)."""
    from adsdesk.bench.verify import bench_verify

    figures = bench_verify(300)
    assert figures["verify_ads_on_page"] == 300 and figures["verify_booked"] == 298
    assert figures["verify_found"] == 298 and figures["verify_missing"] == 0
    assert figures["verify_altered"] == 3 and figures["verify_extra"] == 2
    assert figures["verify_duplicated"] == 0
    assert isinstance(figures["verify_total_s"], float)


def test_ads_spread_over_two_pages_are_found_on_their_page(capsys, demo_db: Path, tmp_path) -> None:
    ads = press_ads()
    pdf = make_press_pdf(tmp_path / "two.pdf", ads, columns=2, font=TTF_FONT, new_page_after=7)
    code, data, _ = cli(capsys, demo_db, pdf)
    assert code == 0 and data["pages"] == 2
    pages = {f["id"]: f["page"] for f in data["found"]}
    order = [b.id for b in issue_bookings(DATE)]
    assert [pages[i] for i in order] == [1] * 7 + [2] * 6
