"""Dates as clerks write them (2023-02-24, 2023/2/24, 2023年2月24日, 20230224) and as stored."""

from __future__ import annotations

import datetime as dt
import re

_SPLIT = re.compile(r"[,;、，；\s]+")
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$"
)


def parse_date(text: str) -> dt.date:
    """One date as a clerk writes it; ValueError when it is not one (2023-02-30 is not)."""
    m = _DATE_RE.match(text.strip())
    if m is None:
        raise ValueError(text)
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    return dt.date(int(y), int(mo), int(d))


def parse_dates(cell: str) -> tuple[list[dt.date], list[str]]:
    """Dates in a cell separated by commas, 、, ; or spaces; and the pieces not understood."""
    days: list[dt.date] = []
    bad: list[str] = []
    for piece in _SPLIT.split(cell.strip()):
        if not piece:
            continue
        try:
            days.append(parse_date(piece))
        except ValueError:
            bad.append(piece)
    return days, bad


def as_date(value: object) -> dt.date:
    """A date read back from the database (a date, or ISO text on some drivers and in raw SQL)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def optional_date(value: object) -> dt.date | None:
    """:func:`as_date`, with None (or an empty value) for no date."""
    return None if value is None or value == "" else as_date(value)
