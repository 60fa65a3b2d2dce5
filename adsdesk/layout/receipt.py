"""The receipt (收据) and the takings report, painted with the shipped fonts to PDF or a printer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QPagedPaintDevice, QPainter

from adsdesk.domain.money import format_fen
from adsdesk.domain.receipt import REPRINT_MARK, ReceiptData
from adsdesk.layout import metrics
from adsdesk.layout.blocks import BODY_FACE, TITLE_FACE
from adsdesk.layout.geometry import EM_BOX_ASCENT, mm_to_pt
from adsdesk.layout.render import PAPER, _exact_page_size, _pdf, _pen, draw_lines
from adsdesk.layout.result import TextLine

RECEIPT_WIDTH_MM = 148.0  # A5 wide: a receipt book's page
MARGIN_MM = 10.0


def _text(text: str, face: str, size: float, x: float, top: float, leading: float) -> TextLine:
    adv = metrics.advances(face, text)
    xs: list[float] = []
    pos = x
    for a in adv:
        xs.append(pos)
        pos += a * size
    return TextLine(
        role="receipt",
        face=face,
        size=size,
        text=text,
        xs=tuple(xs),
        baseline=top + (leading - size) / 2 + EM_BOX_ASCENT * size,
        top=top,
        height=leading,
    )


def text_width(text: str, face: str, size: float) -> float:
    return sum(metrics.advances(face, text)) * size


def _right(text: str, face: str, size: float, right: float, top: float, lead: float) -> TextLine:
    return _text(text, face, size, right - text_width(text, face, size), top, lead)


def _fit(text: str, face: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so it fits ``width`` points."""
    if text_width(text, face, size) <= width:
        return text
    while text and text_width(text + "…", face, size) > width:
        text = text[:-1]
    return text + "…"


def _dates(dates: Sequence[dt.date]) -> str:
    if not dates:
        return "未定刊期"
    shown = "、".join(f"{d.month}/{d.day}" for d in dates[:8])
    more = f" 等 {len(dates)} 期" if len(dates) > 8 else f" 共 {len(dates)} 期"
    return f"{dates[0].year} 年 {shown}{more}"


def receipt_layout(
    data: ReceiptData,
) -> tuple[list[TextLine], list[tuple[float, float, float]], float, float]:
    """Text lines, horizontal rules (x1, x2, y) and the page size in points."""
    margin = mm_to_pt(MARGIN_MM)
    width = mm_to_pt(RECEIPT_WIDTH_MM)
    inner = width - 2 * margin
    right = width - margin
    lines: list[TextLine] = []
    rules: list[tuple[float, float, float]] = []
    y = margin
    title = f"{data.paper_name} 广告费收据"
    lines.append(
        _text(
            title, TITLE_FACE, 14, margin + (inner - text_width(title, TITLE_FACE, 14)) / 2, y, 20
        )
    )
    if data.reprint:
        lines.append(_right(f"【{REPRINT_MARK}】", TITLE_FACE, 11, right, y, 20))
    y += 24
    lines.append(_text(f"订单号：{data.serial}", BODY_FACE, 9, margin, y, 13))
    lines.append(_right(f"日期：{data.day.isoformat()}", BODY_FACE, 9, right, y, 13))
    y += 13
    lines.append(
        _text(
            _fit(f"客户：{data.customer or '（散客）'}", BODY_FACE, 9, inner),
            BODY_FACE,
            9,
            margin,
            y,
            13,
        )
    )
    y += 16
    rules.append((margin, right, y))
    y += 4
    amount_x = right
    for item in data.lines:
        lines.append(
            _text(
                _fit(item.text, TITLE_FACE, 9, inner - mm_to_pt(30)), TITLE_FACE, 9, margin, y, 13
            )
        )
        lines.append(_right(format_fen(item.amount_fen), BODY_FACE, 9, amount_x, y, 13))
        y += 13
        lines.append(
            _text(
                _fit(f"刊登：{_dates(item.dates)}", BODY_FACE, 8, inner),
                BODY_FACE,
                8,
                margin,
                y,
                11,
            )
        )
        y += 11
        lines.append(_text(_fit(item.detail, BODY_FACE, 8, inner), BODY_FACE, 8, margin, y, 11))
        y += 15
    rules.append((margin, right, y))
    y += 4
    lines.append(_text("合计（小写）：", TITLE_FACE, 10, margin, y, 15))
    lines.append(_right(f"¥{format_fen(data.total_fen)}", TITLE_FACE, 10, right, y, 15))
    y += 15
    lines.append(_text(f"合计（大写）：人民币{data.capitals}", TITLE_FACE, 10, margin, y, 15))
    y += 17
    paid = "；".join(f"{m} {format_fen(f)}" for m, f in data.payments) or "未付款"
    lines.append(
        _text(
            _fit(f"已收：{format_fen(data.paid_fen)}（{paid}）", BODY_FACE, 9, inner),
            BODY_FACE,
            9,
            margin,
            y,
            13,
        )
    )
    y += 13
    owed = data.total_fen - data.paid_fen
    if owed:
        label = f"待收：{format_fen(owed)}" if owed > 0 else f"待退：{format_fen(-owed)}"
        lines.append(_text(label, BODY_FACE, 9, margin, y, 13))
        y += 13
    y += 6
    rules.append((margin, right, y))
    y += 4
    lines.append(_text(f"受理员：{data.clerk}", BODY_FACE, 9, margin, y, 13))
    lines.append(_right("收款单位（盖章）：", BODY_FACE, 9, right - mm_to_pt(25), y, 13))
    y += 13 + margin
    return lines, rules, width, y


def paint_receipt(painter: QPainter, data: ReceiptData) -> None:
    lines, rules, width, height = receipt_layout(data)
    painter.fillRect(QRectF(0, 0, width, height), PAPER)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    draw_lines(painter, lines)
    painter.setPen(_pen(0.6))
    for x1, x2, y in rules:
        painter.drawLine(QPointF(x1, y), QPointF(x2, y))


def write_receipt_pdf(data: ReceiptData, path: Path) -> None:
    """The receipt as a one-page PDF, fonts embedded, text kept as text."""
    _lines, _rules, width, height = receipt_layout(data)
    _writer, painter = _pdf(path, width, height, f"收据 {data.serial}")
    paint_receipt(painter, data)
    painter.end()
    _exact_page_size(path, width, height)


def print_receipt(data: ReceiptData, device: QPagedPaintDevice) -> None:
    """Paint the receipt on a printer page, scaled from points to the printer's resolution."""
    painter = QPainter(device)
    scale = device.logicalDpiX() / 72.0
    painter.scale(scale, scale)
    paint_receipt(painter, data)
    painter.end()


# --- the takings report -------------------------------------------------------------------
BAR = QColor("#3b6ea5")


def write_report_pdf(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    bars: Sequence[tuple[str, int]],
    path: Path,
) -> None:
    """A report as an A4 PDF: title, a bar chart of the totals, then the table (more pages
    as needed)."""
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    from adsdesk.layout.render import PDF_DPI, _check_writable

    _check_writable(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setCreator("adsdesk")
    writer.setTitle(title)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter(writer)
    painter.scale(PDF_DPI / 72.0, PDF_DPI / 72.0)
    page_w, page_h = mm_to_pt(210), mm_to_pt(297)
    margin = mm_to_pt(15)
    inner = page_w - 2 * margin
    y = margin
    draw_lines(painter, [_text(title, TITLE_FACE, 14, margin, y, 20)])
    y += 28
    chart_h = mm_to_pt(70)
    if bars:
        top = max(max(v for _, v in bars), 1)
        shown = bars[:31]
        slot = inner / len(shown)
        bar_w = slot * 0.7
        painter.setPen(_pen(0.5))
        painter.drawLine(QPointF(margin, y + chart_h), QPointF(margin + inner, y + chart_h))
        labels: list[TextLine] = []
        for i, (label, value) in enumerate(shown):
            h = (chart_h - 14) * max(value, 0) / top
            x = margin + i * slot + (slot - bar_w) / 2
            painter.fillRect(QRectF(x, y + chart_h - h, bar_w, h), BAR)
            size = min(7.0, slot / max(len(label), 1) * 1.6)
            short = _fit(label, BODY_FACE, size, slot)
            labels.append(_text(short, BODY_FACE, size, x, y + chart_h + 2, size + 2))
        labels.append(_text(f"最高 {format_fen(top)} 元", BODY_FACE, 7, margin, y - 2, 9))
        draw_lines(painter, labels)
        y += chart_h + 22
    widths = [inner * 0.4] + [inner * 0.6 / max(len(headers) - 1, 1)] * (len(headers) - 1)

    def row_lines(cells: Sequence[str], top: float, face: str) -> list[TextLine]:
        out = []
        x = margin
        for i, (cell, w) in enumerate(zip(cells, widths, strict=False)):
            text = _fit(cell, face, 8.5, w - 4)
            out.append(
                _text(text, face, 8.5, x, top, 13)
                if i == 0
                else _right(text, face, 8.5, x + w - 2, top, 13)
            )
            x += w
        return out

    draw_lines(painter, row_lines(headers, y, TITLE_FACE))
    y += 14
    painter.setPen(_pen(0.5))
    painter.drawLine(QPointF(margin, y), QPointF(margin + inner, y))
    y += 2
    for i, row in enumerate(rows):
        if y + 13 > page_h - margin:
            writer.newPage()
            y = margin
        if i == len(rows) - 1:
            painter.setPen(_pen(0.5))
            painter.drawLine(QPointF(margin, y), QPointF(margin + inner, y))
        draw_lines(painter, row_lines(row, y, TITLE_FACE if i == len(rows) - 1 else BODY_FACE))
        y += 13
    painter.end()
