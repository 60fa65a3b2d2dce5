"""The audit browser's rows written out as .xlsx or .csv (UTF-8 with BOM, so Excel reads it)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from adsdesk.io.atomic import save_workbook, verify_text, write_bytes_atomic


def write_audit_file(headers: Sequence[str], rows: Sequence[Sequence[str]], path: Path) -> None:
    """By the name's suffix: .csv as text, anything else as an Excel workbook; whole or not at all."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        import io

        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(list(headers))
        writer.writerows([list(r) for r in rows])
        data = buffer.getvalue().encode("utf-8-sig")
        write_bytes_atomic(path, data, verify_text(len(rows) + 1))
        return
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "操作记录"
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    for col, width in zip("ABCDEFGHI", (20, 10, 12, 12, 10, 60, 20, 10), strict=False):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path)
