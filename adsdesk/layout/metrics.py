"""Glyph advances of the shipped faces, read once in font units: same on screen, printer, PDF."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtGui import QFont, QGuiApplication, QRawFont

from adsdesk.layout.fonts import SANS_FAMILY, SERIF_FAMILY, register_fonts

FACES: dict[str, tuple[str, bool]] = {
    "serif": (SERIF_FAMILY, False),  # body: 宋体-style
    "sans": (SANS_FAMILY, False),
    "sans-bold": (SANS_FAMILY, True),  # titles, headings, masthead: 黑体-style
}
_UNITS = 1000  # measure at 1000 px: advances come out in thousandths of an em, unrounded

_advances: dict[str, dict[str, float]] = {face: {} for face in FACES}
_glyphs: dict[str, dict[str, int]] = {face: {} for face in FACES}
_local = threading.local()  # QRawFont objects belong to the thread that made them


def qfont(face: str, pixel_size: float = _UNITS) -> QFont:
    """The QFont of a face, unhinted so advances do not depend on the machine."""
    family, bold = FACES[face]
    font = QFont(family)
    font.setBold(bold)
    font.setPixelSize(max(1, round(pixel_size)))
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    return font


def raw_font(face: str, pixel_size: float = _UNITS) -> QRawFont:
    """This thread's raw font for a face at ``pixel_size`` (painter units)."""
    cache: dict[tuple[str, float], QRawFont] | None = getattr(_local, "fonts", None)
    if cache is None:
        cache = _local.fonts = {}
    key = (face, pixel_size)
    raw = cache.get(key)
    if raw is None:
        base = cache.get((face, float(_UNITS)))
        if base is None:
            base = _load(face)
            cache[(face, float(_UNITS))] = base
        raw = QRawFont(base)
        raw.setPixelSize(pixel_size)
        cache[key] = raw
    return raw


def _load(face: str) -> QRawFont:
    if QGuiApplication.instance() is None:
        raise RuntimeError("排版需要先创建 QGuiApplication（字体由 Qt 读取）。")
    register_fonts()
    raw = QRawFont.fromFont(qfont(face))
    family, bold = FACES[face]
    if not raw.isValid() or raw.familyName() != family:
        raise RuntimeError(f"找不到随程序附带的字体 {family}，请重新安装本程序。")
    if bold and "bold" not in raw.styleName().lower():
        raise RuntimeError(f"找不到随程序附带的粗体字体 {family} Bold，请重新安装本程序。")
    return raw


def _learn(face: str, chars: Iterable[str]) -> None:
    table = _advances[face]
    missing = [ch for ch in dict.fromkeys(chars) if ch not in table]
    if not missing:
        return
    raw = raw_font(face)
    scale = 1.0 / raw.pixelSize()
    glyph_table = _glyphs[face]
    for ch in missing:
        ids = raw.glyphIndexesForString(ch)
        glyph = int(ids[0]) if ids else 0
        advance = raw.advancesForGlyphIndexes([glyph])[0].x() if ids else 0.0
        glyph_table[ch] = glyph
        table[ch] = advance * scale


def advances(face: str, text: str) -> list[float]:
    """Advance of each character of ``text`` in ems (multiply by the size in points)."""
    table = _advances[face]
    try:
        return [table[ch] for ch in text]
    except KeyError:
        _learn(face, text)
        return [table[ch] for ch in text]


def glyph_indexes(face: str, text: str) -> list[int]:
    """Glyph ids for painting ``text`` (learned together with the advances)."""
    table = _glyphs[face]
    try:
        return [table[ch] for ch in text]
    except KeyError:
        _learn(face, text)
        return [table[ch] for ch in text]


def missing_glyphs(face: str, text: str) -> list[int]:
    """Offsets of the printable characters of ``text`` that the shipped face cannot draw."""
    glyphs = glyph_indexes(face, text)
    return [
        i for i, (ch, g) in enumerate(zip(text, glyphs, strict=True)) if g == 0 and not ch.isspace()
    ]
