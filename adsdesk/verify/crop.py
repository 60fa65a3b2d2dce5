"""A region of a press PDF page as pixels (PDFium), for the desk's 核对 view."""

from __future__ import annotations

from dataclasses import dataclass

from adsdesk.verify.pdftext import PT_PER_MM


@dataclass(frozen=True)
class Pixels:
    """24-bit BGR rows, as PDFium renders them."""

    data: bytes
    width: int
    height: int
    stride: int


def render_region(
    pdf: bytes, page: int, x: float, y: float, w: float, h: float, dpi: float = 144, pad: float = 2
) -> Pixels:
    """Render the box (mm from the page's top-left, ``pad`` mm around it) of page ``page``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        p = doc[page - 1]
        pw, ph = p.get_size()
        left = max(0.0, (x - pad) * PT_PER_MM)
        top = max(0.0, (y - pad) * PT_PER_MM)
        right = max(0.0, pw - (x + w + pad) * PT_PER_MM)
        bottom = max(0.0, ph - (y + h + pad) * PT_PER_MM)
        bitmap = p.render(scale=dpi / 72, crop=(left, bottom, right, top))
        out = Pixels(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride)
        bitmap.close()
        p.close()
        return out
    finally:
        doc.close()
