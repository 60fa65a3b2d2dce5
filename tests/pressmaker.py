"""Test helper: a press PDF as another make-up program would set it (reportlab, its own text model)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from adsdesk.assets import resource_path

CID_FONT = "STSong-Light"  # a CID font by reference: not embedded, UniGB-UCS2-H encoding
TTF_FONT = "PressSans"  # the shipped TrueType font, embedded as 8-bit subsets


@dataclass
class PressAd:
    title: str
    body: str
    title_as_image: bool = False


def _fonts() -> None:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    if TTF_FONT not in pdfmetrics.getRegisteredFontNames():
        path = resource_path("fonts", "AdsDeskSans-Regular.ttf")
        pdfmetrics.registerFont(TTFont(TTF_FONT, str(path)))


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return [x for x in lines if x]


def _title_image() -> ImageReader:
    from PIL import Image, ImageDraw

    img = Image.new("L", (120, 24), 255)
    ImageDraw.Draw(img).rectangle((4, 4, 116, 20), fill=0)  # a title set as artwork
    return ImageReader(img)


def make_press_pdf(
    path: Path,
    ads: list[PressAd],
    *,
    columns: int = 3,
    font: str = CID_FONT,
    masthead: str = "便民信息  广告热线：5105678 2023122",
    new_page_after: int | None = None,
) -> Path:
    """Set ``ads`` in ``columns`` columns on an A4-wide page, in the order given."""
    _fonts()
    width, height = 595.0, 842.0
    margin, gutter, size, lead = 28.0, 14.0, 8.5, 11.0
    col_w = (width - 2 * margin - (columns - 1) * gutter) / columns
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.setFont(font, 16)
    c.drawString(margin, height - margin - 16, masthead)
    col, y = 0, height - margin - 40
    for n, ad in enumerate(ads):
        if new_page_after is not None and n == new_page_after:
            c.showPage()
            col, y = 0, height - margin - 40
        body = _wrap(ad.body, col_w, font, size)
        need = lead * (len(body) + 1) + 8
        if y - need < margin:
            col, y = col + 1, height - margin - 40
            if col >= columns:
                c.showPage()
                col = 0
        x = margin + col * (col_w + gutter)
        if ad.title:
            if ad.title_as_image:
                c.drawImage(_title_image(), x, y - lead, width=col_w * 0.6, height=lead)
            else:
                c.setFont(font, size + 1)
                c.drawString(x, y - lead, ad.title)
            y -= lead
        t = c.beginText(x, y - lead)
        t.setFont(font, size)
        t.setLeading(lead)
        for line in body:
            t.textLine(line)
        c.drawText(t)
        y -= lead * len(body) + 8
        c.setLineWidth(0.3)
        c.line(x, y + 3, x + col_w, y + 3)
    c.save()
    return path


def full_width(text: str) -> str:
    """ASCII digits and letters as their full-width forms (１３９…), as some make-up sets them."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def hyphenate_phones(text: str, phones: tuple[str, ...]) -> str:
    """Mobiles printed 3-4-4 with hyphens, landlines with a space after the area code."""
    for p in phones:
        d = "".join(ch for ch in unicodedata.normalize("NFKC", p) if ch.isdigit())
        if len(d) == 11 and d.startswith("1"):
            text = text.replace(p, f"{d[:3]}-{d[3:7]}-{d[7:]}")
        elif d.startswith("0") and "-" in p:
            text = text.replace(p, p.replace("-", " "))
    return text


def outlines_only_pdf(path: Path) -> Path:
    """A page of vector shapes only: text converted to outlines leaves nothing to read."""
    c = canvas.Canvas(str(path), pagesize=(300, 200))
    p = c.beginPath()
    p.moveTo(10, 10)
    p.curveTo(50, 150, 150, 150, 290, 10)
    c.drawPath(p, fill=1)
    c.rect(20, 20, 100, 40, fill=1)
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """A scanned page: one picture and no text."""
    c = canvas.Canvas(str(path), pagesize=(300, 200))
    c.drawImage(_title_image(), 10, 10, width=280, height=180)
    c.save()
    return path
