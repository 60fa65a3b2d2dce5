"""Images at any resolution show every line: big glyphs (masthead at 300+ dpi) are drawn too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from adsdesk.issue import load_issue
from adsdesk.layout.engine import lay_out
from adsdesk.layout.render import render_image


@pytest.mark.parametrize("dpi", [150, 300, 600])
def test_masthead_name_is_painted_at_every_resolution(qapp, demo_db: Path, dpi: int) -> None:
    from adsdesk.layout.fonts import register_fonts

    register_fonts()
    layout = lay_out(load_issue(dt.date(2023, 2, 24)))
    assert layout.masthead is not None
    image = render_image(layout, dpi)
    scale = dpi / 72.0
    band = layout.masthead
    # the left third of the black band holds the section name in white
    x0, x1 = int(band.x * scale) + 2, int((band.x + band.w / 3) * scale)
    y0, y1 = int(band.y * scale) + 2, int((band.y + band.h) * scale) - 2
    white = sum(
        1
        for y in range(y0, y1, 2)
        for x in range(x0, x1, 2)
        if image.pixelColor(x, y).lightness() > 200
    )
    assert white > 50, f"section name missing from the masthead at {dpi} dpi"
