"""Rebuild the shipped AdsDesk fonts from Noto CJK SC: subset, rename, convert to TrueType."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.cu2qu.errors import Error as Cu2QuError
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_a_s_p import (
    GASP_DOGRAY,
    GASP_GRIDFIT,
    GASP_SYMMETRIC_GRIDFIT,
    GASP_SYMMETRIC_SMOOTHING,
)

DEBIAN_NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = Path(__file__).resolve().parent
SIZE_LIMIT = 40 * 1024 * 1024

# Cubic-to-quadratic tolerance in font units (1000 per em): invisible, keeps the files small.
MAX_ERR = 1.0

# OpenType layout features kept. Dropped on purpose: 'aalt', 'locl', 'fwid', 'hwid',
# 'pwid', 'ruby', 'hist', 'dlig' and the Hangul jamo features; they only pull in thousands
# of alternate glyphs (JP/KR/TC forms, width variants) that a Chinese ads column never uses.
LAYOUT_FEATURES = [
    "ccmp",
    "liga",
    "calt",
    "kern",
    "mark",
    "mkmk",
    "halt",
    "palt",
    "vert",
    "vrt2",
    "vkrn",
    "vhal",
    "vpal",
]

# Name IDs rewritten so the faces never collide with (or pose as) installed Noto/Source fonts.
RENAMED_IDS = (1, 2, 3, 4, 6, 16, 17, 18, 21, 22, 25)


@dataclass(frozen=True)
class Face:
    """One output face and where it comes from."""

    source: str
    output: str
    family: str
    style: str
    postscript: str


FACES = (
    Face(
        "NotoSansCJK-Regular.ttc",
        "AdsDeskSans-Regular.ttf",
        "AdsDesk Sans",
        "Regular",
        "AdsDeskSans-Regular",
    ),
    Face(
        "NotoSansCJK-Bold.ttc", "AdsDeskSans-Bold.ttf", "AdsDesk Sans", "Bold", "AdsDeskSans-Bold"
    ),
    Face(
        "NotoSerifCJK-Regular.ttc",
        "AdsDeskSerif-Regular.ttf",
        "AdsDesk Serif",
        "Regular",
        "AdsDeskSerif-Regular",
    ),
)

EXTRA_SYMBOLS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳★☆●○◎■□▲△▼▽◆◇※→←↑↓√×÷☎☏✆✉✓✔✕✗✘♀♂℃℉№™©®€¥￥"


def gbk_characters() -> set[int]:
    """Every code point reachable from a two-byte GBK code."""
    points: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                text = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            points.update(ord(ch) for ch in text)
    return points


def wanted_characters() -> set[int]:
    """GBK plus ASCII, Latin-1, CJK/general/full-width punctuation and a few common symbols."""
    points = gbk_characters()
    points.update(range(0x20, 0x7F))  # printable ASCII
    points.update(range(0xA0, 0x100))  # Latin-1 supplement (punctuation, ¥, ×, ÷, …)
    points.update(range(0x2000, 0x2070))  # general punctuation
    points.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    points.update(range(0xFF00, 0xFFF0))  # half-width and full-width forms
    points.update(ord(ch) for ch in EXTRA_SYMBOLS)
    return points


def load_sc_member(path: Path) -> TTFont:
    """The Simplified Chinese (non-Mono) member of a Noto CJK collection."""
    collection = TTCollection(str(path))
    for font in collection.fonts:
        family = font["name"].getDebugName(1) or ""
        if family.endswith("CJK SC") and "Mono" not in family:
            return font
    raise SystemExit(f"{path}: no 'Noto ... CJK SC' member found")


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    """Subset in place to the wanted characters and layout features, without hinting."""
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.hinting = False
    options.desubroutinize = True
    options.notdef_glyph = True
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)


def cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic 'glyf' outlines (the fontTools otf2ttf recipe)."""
    if font.sfntVersion != "OTTO" or "CFF " not in font:
        raise SystemExit("expected a CFF-flavoured OpenType font")
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()

    # Vertical origins: TrueType has no VORG, so they move into the vmtx top side bearings.
    vorg = font["VORG"] if "VORG" in font else None
    default_origin = vorg.defaultVertOriginY if vorg else font["hhea"].ascent
    origins = dict(vorg.VOriginRecords) if vorg else {}

    quad_glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        try:
            glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        except Cu2QuError as exc:
            raise SystemExit(f"cannot convert glyph {name}: {exc}") from exc
        quad_glyphs[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quad_glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)  # computes each glyph's bounding box

    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    for name, glyph in glyf.glyphs.items():
        if not hasattr(glyph, "xMin"):
            continue  # empty glyph
        hmtx[name] = (hmtx[name][0], glyph.xMin)
        if vmtx is not None:
            origin = origins.get(name, default_origin)
            vmtx[name] = (vmtx[name][0], origin - glyph.yMax)

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0
    font["maxp"] = maxp
    maxp.recalc(font)  # maxPoints, maxContours, ...

    post = font["post"]
    post.formatType = 3.0  # no glyph names: they are CIDs anyway and cost ~200 KB
    post.extraNames = []
    post.mapping = {}

    # Unhinted TrueType: ask rasterisers for smooth, symmetric anti-aliasing at every size.
    gasp = newTable("gasp")
    gasp.version = 1
    behaviour = GASP_GRIDFIT | GASP_DOGRAY | GASP_SYMMETRIC_GRIDFIT | GASP_SYMMETRIC_SMOOTHING
    gasp.gaspRange = {0xFFFF: behaviour}
    font["gasp"] = gasp

    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, face: Face) -> None:
    """Give the face its own names and consistent style bits."""
    name = font["name"]
    version = font["head"].fontRevision
    name.names = [rec for rec in name.names if rec.nameID not in RENAMED_IDS]
    full_name = face.family if face.style == "Regular" else f"{face.family} {face.style}"
    strings = {
        1: face.family,
        2: face.style,
        3: f"{version:.3f};ADSD;{face.postscript}",
        4: full_name,
        5: (
            f"Version {version:.3f}; subset of Noto {face.family.split()[-1]} CJK SC, "
            "TrueType outlines, for adsdesk"
        ),
        6: face.postscript,
    }
    for name_id, text in strings.items():
        name.removeNames(nameID=name_id)
        name.setName(text, name_id, 3, 1, 0x409)

    bold = face.style == "Bold"
    os2 = font["OS/2"]
    os2.usWeightClass = 700 if bold else 400
    os2.fsSelection &= ~((1 << 0) | (1 << 5) | (1 << 6))  # italic, bold, regular
    os2.fsSelection |= (1 << 5) if bold else (1 << 6)
    os2.fsType = 0  # installable embedding, as the OFL allows
    font["head"].macStyle = 1 if bold else 0


def build(face: Face, source_dir: Path, unicodes: set[int]) -> Path:
    """Build one face and return the written path."""
    started = time.monotonic()
    font = load_sc_member(source_dir / face.source)
    available = set(font.getBestCmap())
    subset_font(font, unicodes)
    cff_to_truetype(font)
    rename(font, face)
    out = OUT_DIR / face.output
    font.save(str(out))
    missing = sorted(gbk_characters() - available)
    size = out.stat().st_size
    print(
        f"{face.output}: {font['maxp'].numGlyphs} glyphs, {len(font.getBestCmap())} chars, "
        f"{size / 1e6:.2f} MB, {time.monotonic() - started:.0f} s"
    )
    if missing:
        sample = "".join(chr(cp) for cp in missing[:20])
        print(f"  {len(missing)} GBK characters not in the source face, e.g. {sample!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEBIAN_NOTO_DIR,
        help="folder with the Noto CJK .ttc files (Debian package fonts-noto-cjk)",
    )
    args = parser.parse_args(argv)
    unicodes = wanted_characters()
    print(f"{len(unicodes)} wanted code points ({len(gbk_characters())} from GBK)")
    paths = [build(face, args.source_dir, unicodes) for face in FACES]
    total = sum(path.stat().st_size for path in paths)
    print(f"total {total / 1e6:.2f} MB")
    if total >= SIZE_LIMIT:
        print("error: the fonts exceed the 40 MB budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
