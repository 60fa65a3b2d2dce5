"""Layout benchmark: lay out and write the PDF of a block of 300 realistic ads."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

TARGET_SECONDS = 1.0
BENCH_DATE = dt.date(2023, 3, 1)
_MOBILE_PREFIXES = ("139", "138", "135", "150", "152", "158", "186", "188", "189", "177", "155")


def _new_phone(rng: random.Random, old: str) -> str:
    """A fresh number of the same kind as ``old`` (mobile, landline or local)."""
    digits = "".join(ch for ch in old if ch.isdigit())
    if digits.startswith("0"):
        return f"{digits[:4]}-{rng.randint(2, 8)}{rng.randint(0, 999_999):06d}"
    if len(digits) == 7:
        return f"{rng.randint(2, 8)}{rng.randint(0, 999_999):06d}"
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def fill_bench_issue(n_ads: int, date: dt.date = BENCH_DATE, seed: int = 20230224) -> int:
    """Book ``n_ads`` ads on ``date`` in the bound database: the sample ads, new numbers each.

    Every third ad borrows a sentence from another sample ad so the lengths vary as a real
    day's do. Returns the number of ads saved.
    """
    from adsdesk.demo import load_sample
    from adsdesk.domain.phone_check import check_phone
    from adsdesk.domain.phone_find import find_phones
    from adsdesk.store.ads import AdDraft, PhoneEntry, save_ad
    from adsdesk.store.models import db
    from adsdesk.store.settings import DEFAULT_PROFILE, ensure_default_categories

    rng = random.Random(seed)
    area = DEFAULT_PROFILE.area_code  # the sample paper's ads
    ensure_default_categories()
    _masthead, samples = load_sample()
    sentences = [s for ad in samples for s in ad.body.replace("\n", "。").split("。") if len(s) > 6]
    with db.atomic():
        for i in range(n_ads):
            sample = samples[i % len(samples)]
            body = sample.body
            if i % 3 == 2:
                body = f"{body}\n{rng.choice(sentences)}。"
            pieces, last, phones = [], 0, []
            for m in find_phones(body, area):
                number = _new_phone(rng, m.text)
                pieces += [body[last : m.start], number]
                last = m.end
                check = check_phone(number, area)
                if check.e164:
                    phones.append(PhoneEntry(check.e164, check.display))
            pieces.append(body[last:])
            save_ad(
                AdDraft(
                    category=sample.category,
                    title=sample.title,
                    body="".join(pieces),
                    phones=phones,
                    dates=[date],
                )
            )
    return n_ads


def bench_layout(n_ads: int = 300) -> dict[str, object]:
    """Figures for laying out ``n_ads`` ads and writing their PDF, in a temporary database.

    ``layout_block_*``: a block wide and tall enough to hold them all (12 columns of the
    default 13-character width), measured, packed, balanced and written to PDF.
    ``layout_default_*``: the same ads against the default block, where most are left over
    (every ad is still measured to report the space it needs).
    """
    from PySide6.QtGui import QGuiApplication

    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.issue import load_issue
    from adsdesk.layout.engine import lay_out
    from adsdesk.layout.render import render_image, write_pdf
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import db

    if QGuiApplication.instance() is None:
        ensure_gui_app()
    previous = db.obj
    with tempfile.TemporaryDirectory(prefix="adsdesk-bench-layout-") as folder:
        try:
            init_db(Path(folder) / "bench.sqlite3")
            fill_bench_issue(n_ads)
            t0 = time.perf_counter()
            issue = load_issue(BENCH_DATE)
            t1 = time.perf_counter()
            big = replace(issue.settings, columns=12, width_mm=12 * 44.8 + 11 * 4.0, height_mm=1000)
            block_issue = replace(issue, settings=big)
            t2 = time.perf_counter()
            block = lay_out(block_issue)
            t3 = time.perf_counter()
            write_pdf(block, Path(folder) / "block.pdf")
            t4 = time.perf_counter()
            warm = []
            for _ in range(3):
                s = time.perf_counter()
                lay_out(block_issue)
                warm.append(time.perf_counter() - s)
            s = time.perf_counter()
            default = lay_out(issue)
            default_s = time.perf_counter() - s
            s = time.perf_counter()
            write_pdf(default, Path(folder) / "default.pdf")
            default_pdf_s = time.perf_counter() - s
            s = time.perf_counter()
            render_image(default, 100)
            preview_s = time.perf_counter() - s
            pdf_bytes = (Path(folder) / "block.pdf").stat().st_size
        finally:
            close_db()
            if previous is not None:
                db.initialize(previous)
    total = (t1 - t0) + (t3 - t2) + (t4 - t3)
    return {
        "layout_ads": n_ads,
        "layout_block_placed": len(block.placed),
        "layout_block_left_over": len(block.left_over),
        "layout_block_fill": round(block.fill, 3),
        "layout_load_s": round(t1 - t0, 3),
        "layout_first_s": round(t3 - t2, 3),
        "layout_relayout_s": round(min(warm), 3),  # after a pin or move: ads already set
        "layout_pdf_s": round(t4 - t3, 3),
        "layout_pdf_bytes": pdf_bytes,
        "layout_total_s": round(total, 3),
        "layout_default_placed": len(default.placed),
        "layout_default_left_over": len(default.left_over),
        "layout_default_s": round(default_s, 3),
        "layout_default_pdf_s": round(default_pdf_s, 3),
        "layout_preview_100dpi_s": round(preview_s, 3),
        "layout_target_s": TARGET_SECONDS,
        "layout_meets_target": total < TARGET_SECONDS,
    }
