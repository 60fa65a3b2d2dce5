"""The text of a PDF with where it stands: lines per page and the column chains they form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adsdesk.errors import UserError

PT_PER_MM = 72 / 25.4


class PdfTextError(UserError):
    """The file cannot be checked: not a PDF, locked, or no text in it (one sentence why)."""


@dataclass(frozen=True)
class PrintedLine:
    """One line of printed text; coordinates in pt from the page's top-left corner."""

    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


@dataclass
class PdfText:
    """Every line of every page, and the lines grouped into top-to-bottom column chains."""

    pages: int
    page_sizes: list[tuple[float, float]]  # (width, height) in pt
    lines: list[PrintedLine]
    chains: list[list[int]] = field(default_factory=list)  # indexes into ``lines``


@dataclass
class _Fragment:
    x: float
    baseline: float
    size: float
    text: str
    width: float


def read_pdf_text(path: Path) -> PdfText:
    """Open ``path`` and read its text with positions; PdfTextError when it cannot be checked.

    PDFium reads the text (each character with its origin, advance and size): pure-Python
    content-stream parsing (pypdf) took 2.5 s for a 300-ad page of the desk's own renderer,
    which places every glyph on its own; PDFium takes 0.2 s.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PdfTextError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise PdfTextError(f"无法读取 {path}：{exc.strerror}。") from None
    return _read(data, path.name)


def read_pdf_bytes(data: bytes, name: str) -> PdfText:
    """The same for a PDF held in memory (the press PDF kept in the database)."""
    return _read(data, name)


def _read(data: bytes, name: str) -> PdfText:
    import pypdfium2 as pdfium

    if b"%PDF-" not in data[:1024]:
        raise PdfTextError(f"{name} 不是 PDF 文件（文件开头没有 %PDF 标记）。")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfTextError(
                f"{name} 设了打开密码，无法读取其中的文字；请导出未加密的 PDF。"
            ) from None
        raise PdfTextError(f"{name} 已损坏或不完整，读不出页面（{exc}）。") from None
    try:
        count = len(doc)
        if count == 0:
            raise PdfTextError(f"{name} 里没有任何页面。")
        lines: list[PrintedLine] = []
        sizes: list[tuple[float, float]] = []
        has_images = False
        for number in range(1, count + 1):
            page = doc[number - 1]
            left, bottom, right, top = page.get_mediabox()
            sizes.append((right - left, top - bottom))
            frags = _page_fragments(page, left, top)
            if not frags:
                has_images = has_images or _has_images(page)
            lines.extend(_lines(number, frags))
            page.close()
    finally:
        doc.close()
    if not any(line.text.strip() for line in lines):
        raise PdfTextError(_no_text_sentence(name, has_images))
    return PdfText(pages=count, page_sizes=sizes, lines=lines, chains=_chains(lines))


def _page_fragments(page: Any, left: float, top: float) -> list[_Fragment]:
    """Every printed character of one page as a fragment (origin, advance, em size)."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        ox, oy = ctypes.c_double(), ctypes.c_double()
        out: list[_Fragment] = []
        for i, ch in enumerate(text[:n]):
            if ch in "\r\n" or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue
            raw.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(ox), ctypes.byref(oy))
            x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
            size = float(raw.FPDFText_GetFontSize(textpage.raw, i)) or (y1 - y0) or 1.0
            out.append(_Fragment(ox.value - left, top - oy.value, size, ch, max(0.0, x1 - x0)))
        return out
    finally:
        textpage.close()


def _no_text_sentence(name: str, images: bool) -> str:
    cause = (
        "页面是图片（扫描件，或导出时把版面栅格化成了图像）"
        if images
        else "排版软件导出时把文字转成了曲线（轮廓），页面上只剩图形"
    )
    return (
        f"{name} 里没有可读取的文字，无法核对：整页只有曲线或图片。可能的原因：{cause}。"
        "请让组版重新导出保留文字的 PDF（不转曲、嵌入字体）。"
    )


def _has_images(page: Any) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4))


def _lines(page: int, frags: list[_Fragment]) -> list[PrintedLine]:
    """Fragments on one baseline that nearly touch become one line; a wide gap splits them."""
    frags = sorted(frags, key=lambda f: (round(f.baseline, 1), f.x))
    rows: list[list[_Fragment]] = []
    for f in frags:
        if rows and abs(rows[-1][0].baseline - f.baseline) <= 0.3 * max(f.size, 1.0):
            rows[-1].append(f)
        else:
            rows.append([f])
    out: list[PrintedLine] = []
    for row in rows:
        row.sort(key=lambda f: f.x)
        current: list[_Fragment] = []
        for f in row:
            if current:
                last = current[-1]
                gap = f.x - (last.x + last.width)
                if gap > 0.6 * max(last.size, f.size):
                    out.append(_join(page, current))
                    current = []
            current.append(f)
        if current:
            out.append(_join(page, current))
    return out


def _join(page: int, frags: list[_Fragment]) -> PrintedLine:
    size = max(f.size for f in frags)
    text = ""
    for i, f in enumerate(frags):
        if i:
            prev = frags[i - 1]
            gap = f.x - (prev.x + prev.width)
            if gap > 0.2 * size and not text.endswith(" "):
                text += " "
        text += f.text
    baseline = frags[0].baseline
    last = frags[-1]
    return PrintedLine(
        page=page,
        x0=frags[0].x,
        top=baseline - 0.88 * size,
        x1=last.x + last.width,
        bottom=baseline + 0.12 * size,
        size=size,
        text=text,
    )


def _chains(lines: list[PrintedLine]) -> list[list[int]]:
    """Lines stacked in one column, top to bottom: each line joins the chain whose last line
    sits just above it and overlaps it sideways, so column order on the page does not matter."""
    order = sorted(range(len(lines)), key=lambda i: (lines[i].page, lines[i].top, lines[i].x0))
    chains: list[list[int]] = []
    open_ends: list[int] = []  # chain index for each open chain, same order as ``chains``
    for i in order:
        line = lines[i]
        best, best_gap = -1, math.inf
        for c in open_ends:
            last = lines[chains[c][-1]]
            if last.page != line.page:
                continue
            gap = line.top - last.bottom
            if gap < -0.3 * line.size or gap > 3.5 * max(line.size, last.size):
                continue
            overlap = min(last.x1, line.x1) - max(last.x0, line.x0)
            narrower = min(last.x1 - last.x0, line.x1 - line.x0)
            if narrower <= 0 or overlap < 0.3 * narrower:
                continue
            if gap < best_gap:
                best, best_gap = c, gap
        if best < 0:
            chains.append([i])
            open_ends.append(len(chains) - 1)
        else:
            chains[best].append(i)
    return chains
