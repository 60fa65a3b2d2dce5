"""``adsdesk verify`` on a press PDF made by LibreOffice (a third producer and text model:
TrueType subsets in WinAnsi encoding, words set as separate runs). Needs ``soffice``."""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pressmaker import hyphenate_phones

from adsdesk.assets import resource_path
from adsdesk.store.bookings import issue_bookings, section_words
from adsdesk.verify.pdftext import read_pdf_text
from adsdesk.verify.reconcile import reconcile

DATE = dt.date(2023, 2, 24)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not on the PATH: this producer is not tested"
)


def libreoffice_pdf(folder: Path, ads: list[tuple[str, str]]) -> Path:
    """Write the ads as an HTML page and let LibreOffice print it to PDF with the shipped font."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{resource_path('fonts')}</dir><cachedir>{folder / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    body = "".join(
        f"<p><b>{html.escape(t)}</b></p><p>{html.escape(b)}</p><p>&nbsp;</p>" for t, b in ads
    )
    page = folder / "press.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><style>body{font-family:"AdsDesk Sans";'
        f"font-size:9pt}} p{{margin:0}}</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(folder)}
    subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
            str(folder),
            str(page),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "press.pdf"


def test_libreoffice_page_with_an_ad_left_out_and_a_digit_changed(demo_db: Path, tmp_path) -> None:
    ads = []
    for b in issue_bookings(DATE):
        if b.id == 3:
            continue  # left out by make-up
        body = hyphenate_phones(b.body, b.phones).replace("188-3525-5555", "188-3525-6555")
        ads.append((b.title, body))
    pdf = libreoffice_pdf(tmp_path, ads)
    report = reconcile(read_pdf_text(pdf), issue_bookings(DATE), DATE, section_words())
    assert report.missing == [3]
    assert [(a.id, a.field, a.booked, a.printed) for a in report.altered] == [
        (10, "phone", "18835255555", "18835256555")
    ]
    assert sorted(f.id for f in report.found) == [i for i in range(1, 14) if i != 3]
    assert report.duplicated == [] and report.extra == []
