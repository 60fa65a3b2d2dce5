"""Check an issue's press PDF against its bookings and keep the result (desk and command line)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from adsdesk.store.bookings import issue_bookings, section_words
from adsdesk.store.press import MakeGoodInfo, load_press_pdf, make_goods_of, save_press_pdf
from adsdesk.verify.pdftext import PdfTextError, read_pdf_bytes
from adsdesk.verify.reconcile import Report, reconcile


@dataclass
class PressCheck:
    """A finished check: the report, the PDF it read, make-good runs already booked."""

    report: Report
    name: str
    data: bytes
    make_goods: dict[int, MakeGoodInfo] = field(default_factory=dict)


def check_press(date: dt.date, data: bytes, name: str, keep: bool = True) -> PressCheck:
    """Reconcile ``data`` (a press PDF) with ``date``'s bookings; keep it with the issue."""
    bookings = issue_bookings(date)
    if not bookings:
        raise PdfTextError(f"{date.isoformat()} 这一期没有预订任何广告，无可核对。")
    report = reconcile(read_pdf_bytes(data, name), bookings, date, section_words())
    if keep:
        save_press_pdf(date, name, data, report.as_dict())
    return PressCheck(report, name, data, make_goods_of(date))


def check_stored(date: dt.date) -> PressCheck | None:
    """Check again the press PDF kept for ``date`` (bookings may have changed); None if none."""
    stored = load_press_pdf(date)
    if stored is None:
        return None
    return check_press(date, stored.data, stored.name, keep=False)


def reason_of(report: Report, ad_id: int) -> str:
    """Why a booking is not clean, in one line for the clerk ("" when it is)."""
    if ad_id in report.missing:
        return "漏登：付印稿上没有这则广告"
    parts = []
    for a in report.altered:
        if a.id == ad_id:
            if a.field == "phone":
                shown = a.printed or "（未印）"
                parts.append(f"电话印错：预订 {a.booked}，见报 {shown}")
            else:
                parts.append("文字有删改：" + a.marked())
    if ad_id in report.duplicated:
        parts.append("重复刊登")
    return "；".join(parts)
