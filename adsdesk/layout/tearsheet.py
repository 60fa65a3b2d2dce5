"""Proof of publication (刊登证明): the printed ad cut from the press PDF as vectors, with a header."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adsdesk.layout.blocks import BODY_FACE, TITLE_FACE
from adsdesk.layout.geometry import MM
from adsdesk.layout.render import RenderError, _check_writable, _pdf, _pen, _plain_lines, draw_lines

MARGIN_MM = 5.0
CROP_PAD_MM = 1.2  # around the printed text: the ad's own rule or box, not its neighbours
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Cut:
    """One printed ad to cut: its page (1-based) and text box in mm from the page's top-left."""

    ad_id: int
    title: str
    page: int
    x: float
    y: float
    w: float
    h: float


def write_tearsheet(
    press: bytes,
    cuts: Sequence[Cut],
    out: Path,
    *,
    paper_name: str,
    section_name: str,
    date: dt.date,
    customer: str = "",
) -> None:
    """Write ``out``: one page per cut, the press page clipped to the ad (vector, fonts kept),
    under a header with the paper's name, the date and the ad."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    _check_writable(out)
    writer = PdfWriter()
    for cut in cuts:
        pad = CROP_PAD_MM * MM
        w = cut.w * MM + 2 * pad
        h = cut.h * MM + 2 * pad
        scratch = PdfWriter()
        page, left, top = _only_the_ad(scratch, press, cut, pad)
        header, header_h, width = _header(cut, w, paper_name, section_name, date, customer)
        margin = MARGIN_MM * MM
        height = header_h + h + margin
        head = PdfReader(io.BytesIO(_header_pdf(header, width, height, cut))).pages[0]
        base = writer.add_page(head)  # pypdf merges only into a page its writer holds
        page.cropbox = RectangleObject((left, top - h, left + w, top))  # the merge clips to it
        base_top = float(base.mediabox.top)
        ty = base_top - header_h - h - (top - h)
        tx = (width - w) / 2 - left
        base.merge_transformed_page(page, Transformation().translate(tx, ty), expand=False)
        box = RectangleObject((0, base_top - height, width, base_top))
        base.mediabox = box
        base.cropbox = box
    writer.add_metadata(
        {"/Title": f"{paper_name} {date.isoformat()} 刊登证明", "/Creator": "adsdesk"}
    )
    fd, tmp = tempfile.mkstemp(prefix=".tearsheet-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer.write(fh)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RenderError(f"无法写入 {out}：{exc.strerror}。") from None


def _only_the_ad(writer: Any, press: bytes, cut: Cut, pad: float) -> tuple[Any, float, float]:
    """The press page, held by ``writer``, with every text object whose glyphs all stand
    outside the ad taken out, so the proof carries no neighbour's words, hidden or not
    (the clip hides the rest); returns it and the ad's top-left corner in page space."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(press))
    if not 1 <= cut.page <= len(reader.pages):
        raise RenderError(f"付印 PDF 没有第 {cut.page} 页。")
    page = writer.add_page(reader.pages[cut.page - 1])
    media = page.mediabox
    left = float(media.left) + cut.x * MM - pad
    top = float(media.top) - cut.y * MM + pad
    right, bottom = left + cut.w * MM + 2 * pad, top - cut.h * MM - 2 * pad
    content = page.get_contents()
    if content is None:
        return page, left, top
    ops = ContentStream(content, reader).operations
    kept: list[Any] = []
    block: list[Any] = []
    inside = False
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    tm = lm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    leading = 0.0
    in_text = False
    for operands, op in ops:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q" and stack:
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op == b"BT":
            in_text, inside, block = True, False, []
            tm = lm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        if not in_text:
            kept.append((operands, op))
            continue
        block.append((operands, op))
        if op == b"Tm":
            tm = lm = [float(v) for v in operands]
        elif op in (b"Td", b"TD"):
            tx, ty = float(operands[0]), float(operands[1])
            lm = _mul([1.0, 0.0, 0.0, 1.0, tx, ty], lm)
            tm = lm
            if op == b"TD":
                leading = -ty
        elif op == b"TL":
            leading = float(operands[0])
        elif op in (b"T*", b"'", b'"'):
            lm = _mul([1.0, 0.0, 0.0, 1.0, 0.0, -leading], lm)
            tm = lm
        if op in (b"Tj", b"TJ", b"'", b'"'):
            at = _mul(tm, ctm)
            if left <= at[4] <= right and bottom <= at[5] <= top:
                inside = True
        if op == b"ET":
            in_text = False
            if inside:
                kept.extend(block)
    stream = ContentStream(None, reader)
    stream.operations = kept
    page.replace_contents(stream)
    return page, left, top


def _mul(a: list[float], b: list[float]) -> list[float]:
    """Product of two PDF matrices [a b c d e f] (``a`` applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _header(
    cut: Cut, crop_w: float, paper: str, section: str, date: dt.date, customer: str
) -> tuple[list, float, float]:
    margin = MARGIN_MM * MM
    width = max(crop_w + 2 * margin, 70 * MM)
    inner = width - 2 * margin
    y = margin
    when = f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}"
    lines = _plain_lines(f"{paper}　{when}", TITLE_FACE, 10.5, margin, y, inner, 14)
    y += 14 * len(lines)
    what = f"{section} · 刊登证明 · 广告 #{cut.ad_id} · 付印稿第 {cut.page} 页"
    more = _plain_lines(what, BODY_FACE, 7.5, margin, y, inner, 10)
    y += 10 * len(more)
    if customer:
        who = _plain_lines(f"客户：{customer}", BODY_FACE, 7.5, margin, y, inner, 10)
        more += who
        y += 10 * len(who)
    y += 2 * MM
    return [*lines, *more], y, width


def _header_pdf(lines: list, width: float, height: float, cut: Cut) -> bytes:
    fd, tmp = tempfile.mkstemp(prefix=".tearsheet-head-", suffix=".pdf")
    os.close(fd)
    path = Path(tmp)
    try:
        _writer, painter = _pdf(path, width, height, f"刊登证明 {cut.ad_id}")
        draw_lines(painter, lines)
        painter.setPen(_pen(0.4))
        rule_y = lines[-1].top + lines[-1].height + 0.8 * MM
        from PySide6.QtCore import QPointF

        painter.drawLine(QPointF(MARGIN_MM * MM, rule_y), QPointF(width - MARGIN_MM * MM, rule_y))
        painter.end()
        del _writer
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
