"""Write ads, advertisers and a date range's insertions to .csv (UTF-8 with BOM) or .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from adsdesk.errors import DeskError
from adsdesk.io.atomic import (
    OutputError,
    atomic_output,
    save_workbook,
    verify_text,
    why,
)
from adsdesk.store.exchange import (
    AdOut,
    AdvertiserOut,
    InsertionOut,
    export_ads,
    export_advertisers,
    export_insertions,
)

# The ads sheet's headers are the importer's own names: an export reads straight back in.
AD_HEADERS = ("编号", "分类", "客户", "标题", "正文", "电话", "刊登日期", "特批理由")
ADVERTISER_HEADERS = ("编号", "客户", "电话", "地址", "备注", "广告数", "最近刊登")
INSERTION_HEADERS = ("刊登日期", "广告编号", "分类", "客户", "标题", "电话")
SHEETS = ("广告", "客户", "刊登")
JOIN = ", "


class ExportError(DeskError):
    """An export that cannot be written, in one sentence."""


@dataclass(frozen=True)
class ExportResult:
    files: list[Path]
    ads: int
    advertisers: int
    insertions: int


def _ad_row(a: AdOut) -> list[object]:
    dates = JOIN.join(d.isoformat() for d in a.dates)
    return [a.id, a.category, a.advertiser, a.title, a.body, JOIN.join(a.phones), dates,
            a.override_reason]  # fmt: skip


def _advertiser_row(a: AdvertiserOut) -> list[object]:
    last = a.last_date.isoformat() if a.last_date else ""
    return [a.id, a.name, JOIN.join(a.phones), a.address, a.note, a.ad_count, last]


def _insertion_row(i: InsertionOut) -> list[object]:
    return [i.date.isoformat(), i.ad_id, i.category, i.advertiser, i.title, JOIN.join(i.phones)]


def side_files(out: Path) -> tuple[Path, Path]:
    """Where a CSV export puts its advertisers and insertions, beside the ads file."""
    return (
        out.with_name(f"{out.stem}-{SHEETS[1]}{out.suffix}"),
        out.with_name(f"{out.stem}-{SHEETS[2]}{out.suffix}"),
    )


def export_tables(
    out: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> ExportResult:
    """Write the export: one .xlsx with three sheets, or three .csv files (ads at ``out``)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ExportError(f"不支持导出为 {out.suffix or '无扩展名的文件'}：请用 .xlsx 或 .csv。")
    if date_from and date_to and date_from > date_to:
        raise ExportError(f"起始日期 {date_from} 晚于截止日期 {date_to}。")
    ads = export_ads(date_from, date_to)
    ranged = date_from is not None or date_to is not None
    advertisers = export_advertisers([a.id for a in ads] if ranged else None)
    insertions = export_insertions(date_from, date_to)
    tables = (
        (AD_HEADERS, [_ad_row(a) for a in ads]),
        (ADVERTISER_HEADERS, [_advertiser_row(a) for a in advertisers]),
        (INSERTION_HEADERS, [_insertion_row(i) for i in insertions]),
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".xlsx":
            _write_xlsx(out, tables)
            files = [out]
        else:
            files = [out, *side_files(out)]
            with ExitStack() as stack:  # the three files appear together or not at all
                for path, (headers, rows) in zip(files, tables, strict=True):
                    tmp = stack.enter_context(atomic_output(path, verify_text(len(rows) + 1)))
                    _write_csv(tmp, headers, rows)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
    except OSError as exc:
        raise ExportError(f"无法写入 {out}：{why(exc)}。") from exc
    return ExportResult(files, len(ads), len(advertisers), len(insertions))


def _write_csv(path: Path, headers: Sequence[str], rows: list[list[object]]) -> None:
    # UTF-8 with BOM: Chinese Excel opens it without garbling; the importer reads it back.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)


def _write_xlsx(path: Path, tables: Sequence[tuple[Sequence[str], list[list[object]]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    widths = {"编号": 8, "广告编号": 8, "正文": 60, "标题": 24, "电话": 28, "刊登日期": 24}
    for name, (headers, rows) in zip(SHEETS, tables, strict=True):
        sheet = book.create_sheet(name)
        for col, header in enumerate(headers):
            sheet.column_dimensions[get_column_letter(col + 1)].width = widths.get(header, 14)
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        head = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        wrap = Alignment(wrap_text=True, vertical="top")
        body_col = headers.index("正文") if "正文" in headers else -1
        for row in rows:
            cells = []
            for col, value in enumerate(row):
                # Text stays text: a phone or an id must not turn into a number in Excel.
                cell = WriteOnlyCell(sheet, value=value if isinstance(value, int) else str(value))
                if col == body_col:
                    cell.alignment = wrap
                cells.append(cell)
            sheet.append(cells)
    save_workbook(book, path)
