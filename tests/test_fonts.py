"""The shipped AdsDesk fonts register with Qt, cover GBK and come in a real bold."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QImage,
    QPainter,
    QRawFont,
)

from adsdesk.assets import resource_path
from adsdesk.layout import fonts
from adsdesk.layout.fonts import FONT_FILES, SANS_FAMILY, SERIF_FAMILY, register_fonts, ui_font

SAMPLE = "便民信息养老豆腐，。（）０１２"
# GBK characters that Noto CJK SC itself lacks, so the shipped faces cannot have them.
KNOWN_GAPS = {"≒"}  # U+2252


def gbk_characters() -> list[str]:
    """Everything a two-byte GBK code decodes to, in code order."""
    chars = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                chars.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return chars


def gbk_sample(count: int = 200) -> str:
    pool = [ch for ch in gbk_characters() if ch not in KNOWN_GAPS]
    return "".join(random.Random(20230224).sample(pool, count))


def ink(family: str, bold: bool, text: str = "黑体字") -> int:
    """Number of dark pixels when ``text`` is drawn at 48 px."""
    image = QImage(320, 80, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    font = QFont(family)
    font.setPixelSize(48)
    font.setBold(bold)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    pixels = image.constBits().tobytes()
    return sum(1 for value in pixels if value < 128)


def test_register_returns_both_families(qapp) -> None:
    assert register_fonts() == [SANS_FAMILY, SERIF_FAMILY]


def test_register_is_idempotent(qapp, monkeypatch) -> None:
    first = register_fonts()

    class NoMoreAdding:
        @staticmethod
        def addApplicationFont(path: str) -> int:
            raise AssertionError(f"font registered twice: {path}")

    monkeypatch.setattr(fonts, "QFontDatabase", NoMoreAdding)
    assert register_fonts() == first


def test_missing_file_raises_clear_error(qapp, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(fonts, "_registered", {})
    monkeypatch.setattr(fonts, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    with pytest.raises(RuntimeError, match=r"字体文件.*missing"):
        register_fonts()


def test_rejected_file_raises_clear_error(qapp, monkeypatch, tmp_path) -> None:
    (tmp_path / "fonts").mkdir()
    for name in FONT_FILES:
        (tmp_path / "fonts" / name).write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "_registered", {})
    monkeypatch.setattr(fonts, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    with pytest.raises(RuntimeError, match=r"无法加载.*could not load"):
        register_fonts()


def test_families_are_in_the_database(qapp) -> None:
    register_fonts()
    families = QFontDatabase.families()
    assert SANS_FAMILY in families
    assert SERIF_FAMILY in families
    for family in (SANS_FAMILY, SERIF_FAMILY):
        assert QFontInfo(QFont(family)).family() == family


@pytest.mark.parametrize("name", FONT_FILES)
def test_each_face_covers_sample_and_gbk(qapp, name: str) -> None:
    raw = QRawFont(str(resource_path("fonts", name)), 12.0)
    assert raw.isValid()
    text = SAMPLE + gbk_sample()
    missing = [ch for ch in text if not raw.supportsCharacter(ord(ch))]
    assert missing == []


@pytest.mark.parametrize("family", [SANS_FAMILY, SERIF_FAMILY])
def test_fonts_resolve_chinese_without_fallback(qapp, family: str) -> None:
    register_fonts()
    metrics = QFontMetrics(QFont(family, 12))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in SAMPLE + gbk_sample())


def test_sans_has_a_real_bold_face(qapp) -> None:
    register_fonts()
    assert {"Regular", "Bold"} <= set(QFontDatabase.styles(SANS_FAMILY))
    assert QFontDatabase.weight(SANS_FAMILY, "Bold") > QFontDatabase.weight(SANS_FAMILY, "Regular")
    bold = QFont(SANS_FAMILY)
    bold.setBold(True)
    assert QFontInfo(bold).styleName() == "Bold"
    assert QRawFont(str(resource_path("fonts", "AdsDeskSans-Bold.ttf")), 12.0).weight() == 700
    assert ink(SANS_FAMILY, bold=True) > 1.2 * ink(SANS_FAMILY, bold=False)


def test_ui_font_is_the_sans_family(qapp) -> None:
    font = ui_font(11.5)
    assert font.family() == SANS_FAMILY
    assert font.pointSizeF() == 11.5
    assert QFontInfo(font).family() == SANS_FAMILY
    # Unhinted, so advances do not depend on the machine's fontconfig hinting settings.
    assert font.hintingPreference() == QFont.HintingPreference.PreferNoHinting


def test_total_size_under_budget() -> None:
    total = sum(resource_path("fonts", name).stat().st_size for name in FONT_FILES)
    assert total < 40 * 1024 * 1024
