"""The text of a PDF with where it stands: lines per page and the column chains they form (pypdf)."""

from __future__ import annotations

import math
import unicodedata
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

    @property
    def width(self) -> float:
        return _text_width(self.text, self.size)


def _text_width(text: str, size: float) -> float:
    """Estimated advance: CJK and full-width characters one em, others a little over half."""
    em = 0.0
    for ch in text:
        if ch == " ":
            em += 0.28
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        else:
            em += 0.56
    return em * size


def _mul(a: list[float], b: list[float]) -> list[float]:
    """Product of two PDF matrices [a b c d e f] (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def read_pdf_text(path: Path) -> PdfText:
    """Open ``path`` and read its text with positions; PdfTextError when it cannot be checked."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        head = path.read_bytes()[:1024]
    except FileNotFoundError:
        raise PdfTextError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise PdfTextError(f"无法读取 {path}：{exc.strerror}。") from None
    if b"%PDF-" not in head:
        raise PdfTextError(f"{name} 不是 PDF 文件（文件开头没有 %PDF 标记）。")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfTextError(f"{name} 设了打开密码，无法读取其中的文字；请导出未加密的 PDF。")
        pages = list(reader.pages)
    except PdfTextError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise PdfTextError(f"{name} 已损坏或不完整，读不出页面（{exc}）。") from None
    if not pages:
        raise PdfTextError(f"{name} 里没有任何页面。")
    lines: list[PrintedLine] = []
    sizes: list[tuple[float, float]] = []
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        sizes.append((width, height))
        frags: list[_Fragment] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            _font: Any,
            font_size: float,
            frags: list[_Fragment] = frags,
            top_y: float = bottom + height,
            left_x: float = left,
        ) -> None:
            if not text or not text.strip():
                return
            m = _mul([float(v) for v in tm], [float(v) for v in cm])
            scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
            size = abs(float(font_size)) * scale or 1.0
            for piece in text.split("\n")[:1]:  # pypdf may end a chunk with the line break
                if piece.strip():
                    frags.append(_Fragment(m[4] - left_x, top_y - m[5], size, piece.rstrip()))

        try:
            page.extract_text(visitor_text=visit)
        except Exception as exc:  # pypdf raises many kinds on odd content streams
            raise PdfTextError(f"{name} 第 {number} 页的内容读不出来（{exc}）。") from None
        lines.extend(_lines(number, frags))
    if not any(line.text.strip() for line in lines):
        raise PdfTextError(_no_text_sentence(name, pages))
    return PdfText(pages=len(pages), page_sizes=sizes, lines=lines, chains=_chains(lines))


def _no_text_sentence(name: str, pages: list[Any]) -> str:
    images = any(_has_images(p) for p in pages)
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
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            return False
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                return True
            if obj.get("/Subtype") == "/Form" and _has_images(
                {"/Resources": obj.get("/Resources", {})}
            ):
                return True
    except (AttributeError, KeyError, TypeError):
        return False
    return False


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
