"""Verify benchmark: read back a 300-ad press page and reconcile it with its bookings."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

TARGET_SECONDS = 2.0


def bench_verify(n_ads: int = 300) -> dict[str, object]:
    """Figures for checking one page holding ``n_ads`` ads, in a temporary database.

    The page is the desk's own PDF of a block big enough for all of them (12 columns);
    after it is written, five bookings change (a digit of three ads' phones, two ads with
    phones taken off) so the check must report 3 altered and 2 extra. Timed: reading the PDF's text with
    positions, loading the bookings, reconciling.
    """
    from PySide6.QtGui import QGuiApplication

    from adsdesk.bench.layout import BENCH_DATE, fill_bench_issue
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.issue import load_issue
    from adsdesk.layout.engine import lay_out
    from adsdesk.layout.render import write_pdf
    from adsdesk.store.ads import load_ad, save_ad
    from adsdesk.store.bookings import issue_bookings, section_words
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import db
    from adsdesk.verify.pdftext import read_pdf_text
    from adsdesk.verify.reconcile import reconcile

    if QGuiApplication.instance() is None:
        ensure_gui_app()
    previous = db.obj
    with tempfile.TemporaryDirectory(prefix="adsdesk-bench-verify-") as folder:
        try:
            init_db(Path(folder) / "bench.sqlite3")
            fill_bench_issue(n_ads)
            issue = load_issue(BENCH_DATE)
            big = replace(issue.settings, columns=12, width_mm=12 * 44.8 + 11 * 4.0, height_mm=1000)
            layout = lay_out(replace(issue, settings=big))
            pdf = Path(folder) / "page.pdf"
            write_pdf(layout, pdf)
            placed = layout.placed_ids()
            with_phones = [a for a in placed if load_ad(a).phones]
            for ad_id in with_phones[10:13]:  # one digit of the first phone changed
                draft = load_ad(ad_id)
                old = draft.phones[0].display
                new = old[:-1] + ("1" if old[-1] != "1" else "2")
                draft.body = draft.body.replace(old, new)
                draft.phones[0] = replace(draft.phones[0], display=new)
                save_ad(draft)
            for ad_id in with_phones[40:42]:  # printed, but no longer booked
                draft = load_ad(ad_id)
                draft.dates = []
                save_ad(draft)
            t0 = time.perf_counter()
            text = read_pdf_text(pdf)
            t1 = time.perf_counter()
            bookings = issue_bookings(BENCH_DATE)
            words = section_words()
            t2 = time.perf_counter()
            report = reconcile(text, bookings, BENCH_DATE, words)
            t3 = time.perf_counter()
        finally:
            close_db()
            if previous is not None:
                db.initialize(previous)
    total = t3 - t0
    return {
        "verify_ads_on_page": len(placed),
        "verify_booked": len(bookings),
        "verify_lines": len(text.lines),
        "verify_found": len(report.found),
        "verify_missing": len(report.missing),
        "verify_altered": len(report.altered),
        "verify_duplicated": len(report.duplicated),
        "verify_extra": len(report.extra),
        "verify_read_pdf_s": round(t1 - t0, 3),
        "verify_load_bookings_s": round(t2 - t1, 3),
        "verify_reconcile_s": round(t3 - t2, 3),
        "verify_total_s": round(total, 3),
        "verify_target_s": TARGET_SECONDS,
        "verify_meets_target": total < TARGET_SECONDS,
    }
