"""Read a table of ads from .csv (UTF-8, UTF-8 with BOM, GB18030) or .xlsx, headers matched."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from adsdesk.errors import DeskError
from adsdesk.io.text_files import read_text_file

FIELDS: tuple[str, ...] = (
    "title",
    "body",
    "phones",
    "category",
    "advertiser",
    "dates",
    "override_reason",
)
FIELD_NAMES: dict[str, str] = {
    "title": "标题",
    "body": "正文",
    "phones": "电话",
    "category": "分类",
    "advertiser": "客户",
    "dates": "刊登日期",
    "override_reason": "特批理由",
}
IGNORE = ""  # the mapping value for a column the clerk wants left out

_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "广告标题", "题目", "headline"),
    "body": ("body", "text", "content", "正文", "内容", "广告内容", "广告正文", "广告词"),
    "phones": (
        "phones",
        "phone",
        "tel",
        "telephone",
        "电话",
        "联系电话",
        "电话号码",
        "手机",
        "号码",
    ),
    "category": ("category", "分类", "类别", "栏目", "广告分类"),
    "advertiser": ("advertiser", "customer", "client", "客户", "客户名称", "广告主", "刊户"),
    "dates": ("dates", "date", "刊登日期", "日期", "刊期", "见报日期", "刊登"),
    "override_reason": ("override_reason", "override", "特批理由", "特批"),
}
# Columns our own export writes that the importer knows it does not need.
_KNOWN_EXTRA = ("id", "编号", "广告编号", "no", "序号")

_LOOKUP = {
    key: name for name, aliases in _ALIASES.items() for key in (a.casefold() for a in aliases)
}


class TableError(DeskError):
    """A file that cannot be read as a table of ads, explained in one sentence."""


@dataclass
class Table:
    """The cells of a table as text, with each row's number in the file (header = row 1)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    source: str
    sheet: str = ""
    columns: dict[int, str] = field(default_factory=dict)  # column index -> field

    def unknown_headers(self) -> list[str]:
        """Headers matched to no field and not known to be ignorable."""
        return [
            h
            for i, h in enumerate(self.headers)
            if i not in self.columns and h.strip() and _header_key(h) not in _KNOWN_EXTRA
        ]

    def missing_text(self) -> bool:
        """True when neither a title nor a body column is mapped: no ad can be read."""
        return not {"title", "body"} & set(self.columns.values())

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Every non-empty row as (row number, field -> text)."""
        return [
            (number, dict(zip(FIELDS, cells, strict=True))) for number, cells in self.cell_rows()
        ]

    def cell_rows(self) -> list[tuple[int, tuple[str, ...]]]:
        """Every non-empty row as (row number, its text per field in ``FIELDS`` order)."""
        by_field: dict[str, list[int]] = {}
        for index, name in sorted(self.columns.items()):
            if name in FIELDS:
                by_field.setdefault(name, []).append(index)
        out = []
        if all(len(v) == 1 for v in by_field.values()):
            # Each field from one column (the usual case): pick the cells, "" for the others
            # (the last place of a row padded with one "").
            indexes = [by_field[f][0] if f in by_field else -1 for f in FIELDS]
            pick = itemgetter(*indexes)
            width = max(indexes) + 1
            for number, cells in self.rows:
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                row = pick([*cells, ""])
                if any(row):
                    out.append((number, row))
            return out
        for number, cells in self.rows:
            record = [""] * len(FIELDS)
            for f, name in enumerate(FIELDS):
                for index in by_field.get(name, ()):
                    if index < len(cells) and cells[index]:
                        value = cells[index]
                        record[f] = f"{record[f]}\n{value}" if record[f] else value
            if any(record):
                out.append((number, tuple(record)))
        return out


def _header_key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    return re.sub(r"[\s_\-:：()（）*]", "", text)


def match_headers(
    headers: Sequence[str], mapping: Mapping[str, str] | None = None
) -> dict[int, str]:
    """Column index -> field, by header in Chinese or English; ``mapping`` (header -> field,
    or "" to leave the column out) decides for the headers it names."""
    mapping = dict(mapping or {})
    for header, name in mapping.items():
        if name and name not in FIELDS:
            raise TableError(f"“{header}”被对应到未知的字段“{name}”。")
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for i, header in enumerate(headers):
        if header in mapping:
            name = mapping[header]
        else:
            key = _header_key(header)
            name = _LOOKUP.get(key) or _LOOKUP.get(key.replace("_", ""), "")
        if name and name not in taken:
            columns[i] = name
            taken.add(name)
    return columns


def read_table(path: Path, mapping: Mapping[str, str] | None = None) -> Table:
    """Read ``path`` (.csv or .xlsx); raises TableError with one sentence when it cannot."""
    if not path.exists():
        raise TableError(f"找不到文件 {path}。")
    if path.is_dir():
        raise TableError(f"{path} 是文件夹，不是表格文件。")
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix == ".tsv" or suffix == ".txt":
        headers, rows, sheet = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        headers, rows, sheet = _read_xlsx(path)
    elif suffix == ".xls":
        raise TableError(
            f"{path.name} 是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
        )
    else:
        raise TableError(f"{path.name} 不是表格文件：只能导入 .csv 或 .xlsx。")
    table = Table(headers, rows, str(path), sheet)
    table.columns = match_headers(headers, mapping)
    return table


def remap(table: Table, mapping: Mapping[str, str]) -> Table:
    """The same table with the clerk's header mapping applied."""
    table.columns = match_headers(table.headers, mapping)
    return table


# --------------------------------------------------------------------------- CSV


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text = read_text_file(path, "文本表格（CSV）", TableError)
    if not text.strip():
        raise TableError(f"{path.name} 是空文件，没有表头。")
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    strip = str.strip
    try:
        header = next(reader)
        # csv.reader counts physical lines; a row number is the record number the clerk sees
        # in Excel (the header is row 1)
        numbered = [(i, list(map(strip, row))) for i, row in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise TableError(
            f"{path.name} 第 {reader.line_num} 行格式有误（{exc}），无法读取。"
        ) from exc
    return [h.strip() for h in header], numbered, ""


# --------------------------------------------------------------------------- Excel


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    from openpyxl import load_workbook

    broken = f"{path.name} 不是有效的 Excel 工作簿（.xlsx）：文件可能已损坏或不完整，无法读取。"
    if not zipfile.is_zipfile(path):
        raise TableError(broken)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException, XML errors …
        raise TableError(broken) from exc
    try:
        sheet = book["广告"] if "广告" in book.sheetnames else book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header_row = next(rows_iter, None)
        if header_row is None:
            raise TableError(f"{path.name} 的工作表“{sheet.title}”是空的，没有表头。")
        headers = [_cell_text(v) for v in header_row]
        while headers and not headers[-1]:
            headers.pop()
        rows = []
        for number, values in enumerate(rows_iter, start=2):
            cells = [_cell_text(v) for v in values[: len(headers)]]
            if any(cells):
                rows.append((number, cells))
        title = sheet.title
    except TableError:
        raise
    except Exception as exc:  # a damaged part inside the zip shows up while reading rows
        raise TableError(broken) from exc
    finally:
        book.close()
    return headers, rows, title
