"""The one renderer: paints a layout on any QPainter; writes the PDF, the PNG and the ad proof."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGlyphRun,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from adsdesk.errors import DeskError
from adsdesk.io.atomic import (
    BadOutput,
    OutputError,
    Verifier,
    atomic_output,
    verify_pdf,
    verify_png,
    why,
)
from adsdesk.layout import metrics
from adsdesk.layout.blocks import BODY_FACE, TITLE_FACE, set_paragraph
from adsdesk.layout.geometry import EM_BOX_ASCENT, MM, ColumnSettings, mm_to_pt
from adsdesk.layout.result import Heading, Layout, PlacedAd, Rect, TextLine

INK = QColor(0, 0, 0)
PAPER = QColor(255, 255, 255)
HEADING_TINT = QColor(217, 217, 217)  # 15 % black: prints as a light screen
PDF_DPI = 1200


class RenderError(DeskError):
    """A file could not be written; the message is one sentence for the clerk."""


# --- painting ---------------------------------------------------------------------------
# Qt's raster engine draws nothing for glyphs above roughly 64 device pixels (its glyph
# cache gives up); on images and screens such large glyphs are filled as outlines instead.
MAX_CACHED_GLYPH_PX = 48.0


def _outline_glyphs(painter: QPainter, size: float) -> bool:
    engine = painter.paintEngine()
    if engine is None or engine.type() != QPaintEngine.Type.Raster:
        return False  # PDF and printers keep real text
    scale = max(abs(painter.worldTransform().m11()), abs(painter.worldTransform().m22()))
    return size * scale > MAX_CACHED_GLYPH_PX


def draw_lines(painter: QPainter, lines: Iterable[TextLine], color: QColor = INK) -> None:
    """Paint lines glyph by glyph at the engine's positions (no re-shaping, no kerning)."""
    painter.setPen(color)
    for line in lines:
        if not line.text:
            continue
        ink = [i for i, ch in enumerate(line.text) if not ch.isspace()]
        glyphs = metrics.glyph_indexes(line.face, line.text)
        raw = metrics.raw_font(line.face, line.size)
        if _outline_glyphs(painter, line.size):
            path = QPainterPath()
            for i in ink:
                path.addPath(raw.pathForGlyph(glyphs[i]).translated(line.xs[i], line.baseline))
            painter.fillPath(path, QBrush(color))
            continue
        run = QGlyphRun()
        run.setRawFont(raw)
        run.setGlyphIndexes([glyphs[i] for i in ink])  # spaces are not drawn, only kept
        run.setPositions([QPointF(line.xs[i], line.baseline) for i in ink])
        painter.drawGlyphRun(QPointF(0, 0), run)


def _rect(r: Rect) -> QRectF:
    return QRectF(r.x, r.y, r.w, r.h)


def _pen(width: float) -> QPen:
    pen = QPen(INK, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def paint_ad(painter: QPainter, ad: PlacedAd, settings: ColumnSettings) -> None:
    """One ad: its box (or the rule under it) and its lines."""
    if settings.boxed and settings.box_rule_pt > 0:
        half = settings.box_rule_pt / 2
        painter.setPen(_pen(settings.box_rule_pt))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(_rect(ad.box).adjusted(half, half, -half, -half))
    draw_lines(painter, ad.lines)


def paint_layout(painter: QPainter, layout: Layout) -> None:
    """Paint the whole block; the painter's user space must be points, origin top-left."""
    s = layout.settings
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(QRectF(0, 0, layout.width, layout.height), PAPER)
    if layout.masthead is not None:
        painter.fillRect(_rect(layout.masthead), INK)
        draw_lines(painter, layout.masthead_lines, PAPER)
    items: list[tuple[float, float, object]] = [(h.column, h.box.y, h) for h in layout.headings]
    items += [(p.column, p.box.y, p) for p in layout.placed]
    for _column, _y, item in sorted(items, key=lambda i: (i[0], i[1])):  # reading order
        if isinstance(item, PlacedAd):
            paint_ad(painter, item, s)
            if not s.boxed and s.box_rule_pt > 0:
                y = item.box.bottom + mm_to_pt(s.ad_gap_mm) / 2
                painter.setPen(_pen(s.box_rule_pt))
                painter.drawLine(QPointF(item.box.x, y), QPointF(item.box.right, y))
        elif isinstance(item, Heading):
            painter.fillRect(_rect(item.box), HEADING_TINT)
            draw_lines(painter, item.lines)
    for rule in layout.rules:
        painter.setPen(_pen(rule.width))
        painter.drawLine(QPointF(rule.x1, rule.y1), QPointF(rule.x2, rule.y2))
    painter.restore()


# --- files ------------------------------------------------------------------------------
@contextmanager
def _output(path: Path, verify: Verifier) -> Iterator[Path]:
    """Write through a temporary file renamed into place only when whole and checked."""
    try:
        with atomic_output(path, verify) as tmp:
            tmp.open("wb").close()  # an unwritable folder or a full disk is told here, by errno
            yield tmp
    except OutputError as exc:
        raise RenderError(str(exc)) from exc


def _check_writable(path: Path) -> None:
    """Fail early, with the reason, when ``path`` cannot be created (folder missing, no
    permission, disk full). Call it on the temporary path of :func:`write_atomic`."""
    try:
        path.open("ab").close()
    except OSError as exc:
        raise RenderError(f"无法写入 {path}：{why(exc)}。") from exc


def _pdf(path: Path, width_pt: float, height_pt: float, title: str) -> tuple[QPdfWriter, QPainter]:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setCreator("adsdesk")
    writer.setTitle(title)
    size = QPageSize(
        QSizeF(width_pt / MM, height_pt / MM),
        QPageSize.Unit.Millimeter,
        "",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        raise RenderError(f"无法写入 PDF 文件 {path}。")
    scale = PDF_DPI / 72.0
    painter.scale(scale, scale)
    return writer, painter


_BOX_RE = re.compile(rb"/(MediaBox|TrimBox|CropBox|BleedBox) \[0 0 ([0-9.]+) ([0-9.]+)\]")


def _exact_page_size(path: Path, width_pt: float, height_pt: float) -> None:
    """Give the PDF page its size to the hundredth of a point.

    Qt writes page boxes in whole points (240 mm becomes 680 pt, not 680.31). The boxes are
    rewritten to the exact size, top edge where Qt put it, and the cross-reference offsets
    moved by the bytes this adds, so the file stays a valid PDF.
    """
    data = path.read_bytes()
    pieces: list[bytes] = []
    shifts: list[tuple[int, int]] = []  # (position in old file, bytes added before it)
    last = 0
    added = 0
    for m in _BOX_RE.finditer(data):
        top = float(m.group(3))
        new = f"/{m.group(1).decode()} [0 {top - height_pt:.4f} {width_pt:.4f} {top:.4f}]".encode()
        pieces.append(data[last : m.start()])
        pieces.append(new)
        added += len(new) - (m.end() - m.start())
        shifts.append((m.end(), added))
        last = m.end()
    if not shifts:
        return
    pieces.append(data[last:])
    out = b"".join(pieces)

    def moved(offset: int) -> int:
        extra = 0
        for position, total in shifts:
            if offset >= position:
                extra = total
        return offset + extra

    xref_at = out.rfind(b"\nxref")
    start_at = out.rfind(b"startxref")
    if xref_at < 0 or start_at < 0:
        return  # not the classic table Qt writes: keep Qt's whole-point size
    table = out[xref_at:start_at]

    def fix_entry(m: re.Match[bytes]) -> bytes:
        return b"%010d %s n" % (moved(int(m.group(1))), m.group(2))

    table = re.sub(rb"(\d{10}) (\d{5}) n", fix_entry, table)
    tail = re.sub(
        rb"startxref\s+(\d+)",
        lambda m: b"startxref\n%d" % moved(int(m.group(1))),
        out[start_at:],
        count=1,
    )
    path.write_bytes(out[:xref_at] + table + tail)


def write_pdf(layout: Layout, path: Path) -> None:
    """The print-ready PDF: one page exactly the block's size, fonts embedded, text as text."""
    s = layout.settings
    title = f"{s.section_name} {layout.date.isoformat() if layout.date else ''}".strip()
    with _output(path, verify_pdf) as tmp:
        _writer, painter = _pdf(tmp, layout.width, layout.height, title)
        paint_layout(painter, layout)
        _end(painter)
        _exact_page_size(tmp, layout.width, layout.height)


def _end(painter: QPainter) -> None:
    """Finish painting; a painter that could not write everything fails here, not silently."""
    if not painter.end():
        raise BadOutput("写入中断")


def render_image(layout: Layout, dpi: float = 300.0) -> QImage:
    """The block as an image at ``dpi`` (white paper, 8-bit RGB)."""
    scale = dpi / 72.0
    image = QImage(
        max(1, round(layout.width * scale)),
        max(1, round(layout.height * scale)),
        QImage.Format.Format_RGB32,
    )
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(PAPER)
    painter = QPainter(image)
    painter.scale(scale, scale)
    paint_layout(painter, layout)
    painter.end()
    return image


def write_png(layout: Layout, path: Path, dpi: float = 300.0) -> None:
    """The block as a greyscale PNG (the column is black ink only) at ``dpi``."""
    image = render_image(layout, dpi).convertToFormat(QImage.Format.Format_Grayscale8)
    with _output(path, verify_png) as tmp:
        if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]
            raise BadOutput("写入中断")


# --- the customer's proof ---------------------------------------------------------------
PROOF_MARGIN_MM = 8.0


def _plain_lines(
    text: str, face: str, size: float, x: float, y: float, width: float, leading: float
) -> list[TextLine]:
    out = []
    for line in set_paragraph(text, width, face, size, area_code="", justify=False):
        top = y
        out.append(
            TextLine(
                role="proof",
                face=face,
                size=size,
                text=line.text,
                xs=tuple(x + dx for dx in line.xs),
                baseline=top + (leading - size) / 2 + EM_BOX_ASCENT * size,
                top=top,
                height=leading,
            )
        )
        y += leading
    return out


def _proof_facts_lines(
    ad_id: int, date: dt.date | None, customer: str, run_dates: Sequence[dt.date], price: str
) -> list[str]:
    days = sorted(set(run_dates)) or ([date] if date else [])
    if not days:
        when = "未定"
    elif len(days) == 1:
        when = days[0].isoformat()
    else:
        when = "、".join(d.isoformat() for d in days[:12])
        when += ("…" if len(days) > 12 else "") + f"（共 {len(days)} 期）"
    out = [f"广告编号：{ad_id}　客户：{customer or '（未指定）'}", f"刊登日期：{when}"]
    if price:
        out.append(f"价格：{price}")
    return out


def write_proof_pdf(
    ad: PlacedAd,
    settings: ColumnSettings,
    path: Path,
    *,
    date: dt.date | None,
    paper_name: str,
    customer: str = "",
    run_dates: Sequence[dt.date] = (),
    price: str = "",
) -> None:
    """A small PDF of one ad exactly as it will print, for the customer to check and sign.

    Above the ad: the customer, every run date and, once the ad has an order, its price.
    """
    margin = mm_to_pt(PROOF_MARGIN_MM)
    inner = max(settings.column_width_pt, mm_to_pt(60))
    width = inner + 2 * margin
    y = margin
    head = _plain_lines(
        f"{paper_name} · {settings.section_name} 广告清样",
        TITLE_FACE,
        10.5,
        margin,
        y,
        inner,
        14,
    )
    y += 14 * len(head)
    info = []
    for text in _proof_facts_lines(ad.ad_id, date, customer, run_dates, price):
        lines = _plain_lines(text, BODY_FACE, 8, margin, y, inner, 11)
        info += lines
        y += 11 * len(lines)
    y += mm_to_pt(3)
    box_x = margin + (inner - ad.box.w) / 2
    placed = PlacedAd(
        ad_id=ad.ad_id,
        column=0,
        box=Rect(box_x, y, ad.box.w, ad.box.h),
        lines=tuple(line.moved(box_x - ad.box.x, y - ad.box.y) for line in ad.lines),
        category=ad.category,
        title=ad.title,
    )
    y += ad.box.h + mm_to_pt(4)
    note = _plain_lines(
        "以上为本广告见报的实际大小与断行，请核对文字与电话。", BODY_FACE, 8, margin, y, inner, 11
    )
    y += 11 * len(note) + mm_to_pt(6)
    sign = _plain_lines("客户签字确认：", TITLE_FACE, 9, margin, y, inner, 12)
    sign_line_y = y + 12
    y += 12 + mm_to_pt(6)
    dated = _plain_lines("日期：　　　年　　月　　日", BODY_FACE, 9, margin, y, inner, 12)
    y += 12 + margin
    with _output(path, verify_pdf) as tmp:
        _writer, painter = _pdf(tmp, width, y, f"广告清样 {ad.ad_id}")
        painter.fillRect(QRectF(0, 0, width, y), PAPER)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        draw_lines(painter, [*head, *info, *note, *sign, *dated])
        paint_ad(painter, placed, settings)
        painter.setPen(_pen(0.5))
        label_w = sum(metrics.advances(TITLE_FACE, "客户签字确认：")) * 9
        painter.drawLine(
            QPointF(margin + label_w, sign_line_y - 1), QPointF(margin + inner, sign_line_y - 1)
        )
        _end(painter)
        _exact_page_size(tmp, width, y)


def paint_on_page(painter: QPainter, layout: Layout, page: QRectF, dpi: float) -> float:
    """Paint the block true to size, centred on a page given in device pixels at ``dpi``.

    A page smaller than the block (the clerk chose A4 for a 240 mm block) gets the block
    scaled down to fit; returns the scale used (1.0 when true to size).
    """
    scale = dpi / 72.0
    fit = min(
        1.0,
        (page.width() + scale) / (layout.width * scale),
        (page.height() + scale) / (layout.height * scale),
    )
    w, h = layout.width * scale * fit, layout.height * scale * fit
    painter.save()
    painter.translate(
        page.x() + max(0.0, (page.width() - w) / 2), page.y() + max(0.0, (page.height() - h) / 2)
    )
    painter.scale(scale * fit, scale * fit)
    paint_layout(painter, layout)
    painter.restore()
    return fit
