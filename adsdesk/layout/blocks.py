"""Measure the pieces of the column: an ad (bold title, justified body), a heading, the masthead."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from adsdesk.domain.phone_find import find_phones
from adsdesk.layout import metrics
from adsdesk.layout.geometry import EM_BOX_ASCENT, ColumnSettings, mm_to_pt
from adsdesk.layout.linebreak import Line, WidthFn, break_lines
from adsdesk.layout.result import Rect, Shape, TextLine

TITLE_FACE, BODY_FACE, HEAD_FACE = "sans-bold", "serif", "sans-bold"
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_paragraphs(text: str) -> list[str]:
    """The paragraphs of an ad's text as they print: trimmed, runs of spaces made one."""
    out = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        para = _SPACES.sub(" ", para).strip()
        if para:
            out.append(para)
    return out


def _widths(face: str, size: float) -> WidthFn:
    def fn(text: str) -> list[float]:
        return [a * size for a in metrics.advances(face, text)]

    return fn


def print_form(text: str, area_code: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` as it prints: every valid phone in the form the editor shows ("139 3521 6688"
    prints "13935216688"), and where each phone now stands (kept whole by the line breaker).

    A number that is not valid prints as typed: the editor blocks it unless a supervisor
    overrode, and then it is the clerk's text that was approved.
    """
    out: list[str] = []
    keep: list[tuple[int, int]] = []
    pos = 0
    for m in find_phones(text, area_code):
        out.append(text[pos : m.start])
        start = sum(len(p) for p in out)
        printed = m.check.display if m.check.valid and m.check.display else text[m.start : m.end]
        out.append(printed)
        keep.append((start, start + len(printed)))
        pos = m.end
    out.append(text[pos:])
    return "".join(out), keep


def set_paragraph(
    text: str,
    width: float,
    face: str,
    size: float,
    *,
    area_code: str,
    justify: bool,
) -> list[Line]:
    """Lines of one paragraph; phone numbers print in their print form and are never broken."""
    text, keep = print_form(text, area_code)
    return break_lines(text, width, _widths(face, size), keep, justify=justify, size=size)


def _text_line(
    role: str, face: str, size: float, line: Line, x: float, top: float, leading: float
) -> TextLine:
    baseline = top + (leading - size) / 2 + EM_BOX_ASCENT * size
    return TextLine(
        role=role,
        face=face,
        size=size,
        text=line.text,
        xs=tuple(x + dx for dx in line.xs),
        baseline=baseline,
        top=top,
        height=leading,
    )


@lru_cache(maxsize=8192)
def ad_shape(title: str, body: str, settings: ColumnSettings, area_code: str) -> Shape:
    """An ad set at the column width: its height and lines, box top-left at (0, 0).

    Cached: a pin or a move re-packs the issue without setting any ad again.
    """
    inset = settings.inset_pt
    width = settings.text_width_pt
    y = inset
    lines: list[TextLine] = []
    for para in clean_paragraphs(title):
        for line in set_paragraph(
            para, width, TITLE_FACE, settings.title_size_pt, area_code=area_code, justify=False
        ):
            x = inset + (width - line.width) / 2
            lines.append(
                _text_line(
                    "title",
                    TITLE_FACE,
                    settings.title_size_pt,
                    line,
                    x,
                    y,
                    settings.title_leading_pt,
                )
            )
            y += settings.title_leading_pt
    for para in clean_paragraphs(body):
        for line in set_paragraph(
            para,
            width,
            BODY_FACE,
            settings.body_size_pt,
            area_code=area_code,
            justify=settings.justify,
        ):
            lines.append(
                _text_line(
                    "body",
                    BODY_FACE,
                    settings.body_size_pt,
                    line,
                    inset,
                    y,
                    settings.body_leading_pt,
                )
            )
            y += settings.body_leading_pt
    if not lines:
        y += settings.body_leading_pt  # an empty ad still shows as a box a line high
    return Shape(height=y + inset, lines=tuple(lines))


def heading_shape(text: str, settings: ColumnSettings) -> Shape:
    """A category heading bar the column's width with the name centred and spaced out."""
    size = settings.heading_size_pt
    height = mm_to_pt(settings.heading_height_mm)
    track = 0.5 * size if len(text) <= 4 else 0.1 * size  # 房 屋 出 售 reads as a heading
    line = _tracked(text, size, track)
    if line.width > settings.column_width_pt:
        line = _tracked(text, size, 0.0)
    x = (settings.column_width_pt - line.width) / 2
    return Shape(height, (_text_line("heading", HEAD_FACE, size, line, x, 0.0, height),))


def _tracked(text: str, size: float, track: float) -> Line:
    """One line of ``text`` in the heading face with ``track`` pt between characters."""
    xs: list[float] = []
    x = 0.0
    for a in metrics.advances(HEAD_FACE, text):
        xs.append(x)
        x += a * size + track
    return Line(text, tuple(xs), max(0.0, x - track), True)


def masthead_lines(
    settings: ColumnSettings, hotlines: Sequence[str], box: Rect
) -> tuple[TextLine, ...]:
    """The section name, large and spaced, and the desk's hotlines, in the masthead band."""
    pad = mm_to_pt(2.5)
    name = settings.section_name.strip()
    out: list[TextLine] = []
    name_size = round(box.h * 0.56 * 2) / 2
    right = box.right - pad
    if hotlines:
        text = "广告热线：" + "　".join(h.strip() for h in hotlines if h.strip())
        size = min(10.5, box.h * 0.34)
        while size > 6 and _width(text, size) > box.w * 0.55:
            size -= 0.5
        w = _width(text, size)
        line = set_paragraph(text, w + 1, HEAD_FACE, size, area_code="", justify=False)[0]
        out.append(_text_line("hotline", HEAD_FACE, size, line, right - line.width, box.y, box.h))
        right -= w + pad
    if name:
        while name_size > 8 and _width(name, name_size) * 1.3 > right - box.x - pad:
            name_size -= 0.5
        line = _tracked(name, name_size, 0.3 * name_size)
        out.insert(0, _text_line("masthead", HEAD_FACE, name_size, line, box.x + pad, box.y, box.h))
    return tuple(out)


def _width(text: str, size: float) -> float:
    return sum(metrics.advances(HEAD_FACE, text)) * size
