"""Register the shipped Chinese fonts (AdsDesk Sans/Serif) with Qt and hand out interface fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from adsdesk.assets import resource_path

SANS_FAMILY = "AdsDesk Sans"
SERIF_FAMILY = "AdsDesk Serif"

FONT_FILES: tuple[str, ...] = (
    "AdsDeskSans-Regular.ttf",
    "AdsDeskSans-Bold.ttf",
    "AdsDeskSerif-Regular.ttf",
)

_registered: dict[str, list[str]] = {}  # file name -> families Qt found in it


def register_fonts() -> list[str]:
    """Add the shipped font files to Qt's application font database; return their families.

    Idempotent: later calls register nothing and return the same list. Needs a
    QGuiApplication (or QApplication) to exist. Raises RuntimeError if a file is missing or
    Qt rejects it.
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError(
            "注册字体前必须先创建 QGuiApplication。"
            " A QGuiApplication must exist before the fonts are registered."
        )
    for name in FONT_FILES:
        if name in _registered:
            continue
        path = resource_path("fonts", name)
        if not path.is_file():
            raise RuntimeError(
                f"找不到随程序附带的字体文件 {path}，请重新安装本程序。"
                f" The bundled font file {path} is missing; please reinstall the application."
            )
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
        if not families:
            raise RuntimeError(
                f"字体文件 {path} 无法加载（文件可能已损坏）。"
                f" Qt could not load the font file {path}; it may be damaged."
            )
        _registered[name] = list(families)
    return list(dict.fromkeys(family for name in FONT_FILES for family in _registered[name]))


def ui_font(point_size: float = 10.0) -> QFont:
    """The sans family at ``point_size`` points, for the interface (registers the fonts).

    Hinting is switched off: the faces carry no hints anyway, and with hinting on, the
    glyph advances follow the machine's fontconfig settings (rounded to whole pixels on
    some systems, not on others), so the same text would measure differently per machine.
    """
    register_fonts()
    font = QFont(SANS_FAMILY)
    font.setPointSizeF(point_size)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font
