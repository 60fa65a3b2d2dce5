"""Repeat bookings: an ad that runs on weekdays (每周二、四) or until cancelled (长期)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAY_NAMES = "一二三四五六日"
HORIZON_DAYS = 90  # a run until cancelled is booked this far ahead, and topped up later
_ALL = (0, 1, 2, 3, 4, 5, 6)


class PatternError(ValueError):
    """A weekday pattern the desk cannot read; the message is one Chinese sentence."""


@dataclass(frozen=True)
class RunPattern:
    """Weekdays (0 = Monday … 6 = Sunday) from ``start``; to ``until``, or 长期 when None."""

    weekdays: tuple[int, ...]
    start: dt.date
    until: dt.date | None = None

    def __post_init__(self) -> None:
        days = tuple(sorted(set(self.weekdays)))
        if not days or any(d not in _ALL for d in days):
            raise PatternError("请至少选择一周中的一天。")
        object.__setattr__(self, "weekdays", days)
        if self.until is not None and self.until < self.start:
            raise PatternError("截止日期早于起始日期。")

    @property
    def open_ended(self) -> bool:
        return self.until is None

    def dates(self, through: dt.date | None = None) -> list[dt.date]:
        """The issue dates of the run from its start to ``until`` or ``through``, the earlier."""
        last = self.until if self.until is not None else through
        if last is None:
            last = self.start + dt.timedelta(days=HORIZON_DAYS)
        if through is not None:
            last = min(last, through)
        out = []
        day = self.start
        while day <= last:
            if day.weekday() in self.weekdays:
                out.append(day)
            day += dt.timedelta(days=1)
        return out

    def describe(self) -> str:
        """每周二、四，2024-03-05 起，长期 / 至 2024-06-30."""
        end = "长期（至撤销）" if self.until is None else f"至 {self.until.isoformat()}"
        return f"{weekdays_text(self.weekdays)}，{self.start.isoformat()} 起，{end}"

    def as_text(self) -> str:
        """The weekdays as stored: ISO numbers 1–7 joined by commas."""
        return ",".join(str(d + 1) for d in self.weekdays)


def weekdays_text(days: tuple[int, ...]) -> str:
    if tuple(days) == _ALL:
        return "每天"
    if tuple(days) == (0, 1, 2, 3, 4):
        return "每周一至周五"
    return "每周" + "、".join(WEEKDAY_NAMES[d] for d in days)


def weekdays_from_stored(text: str) -> tuple[int, ...]:
    return tuple(int(x) - 1 for x in text.split(",") if x.strip())


_DAY = {c: i for i, c in enumerate(WEEKDAY_NAMES)} | {"天": 6, "七": 6, "末": -1}


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Read a clerk's weekday pattern: 每周二、四 · 周二周四 · 二四 · 每周一至五 · 每天 · 周末."""
    t = re.sub(r"[\s,，、/和及]+", "", text.strip())
    t = t.replace("星期", "周").replace("礼拜", "周").replace("每周", "").replace("周", "")
    if t in ("每天", "每日", "天天", "日刊"):
        return _ALL
    if t in ("工作日",):
        return (0, 1, 2, 3, 4)
    if t in ("末",):
        return (5, 6)
    days: set[int] = set()
    m = re.fullmatch(r"([一二三四五六日天七])(?:至|到|-|~)([一二三四五六日天七])", t)
    if m:
        a, b = _DAY[m.group(1)], _DAY[m.group(2)]
        if a > b:
            raise PatternError(f"“{text}”的起止顺序不对，应写成 每周一至五 这样。")
        return tuple(range(a, b + 1))
    for ch in t:
        if ch not in _DAY or _DAY[ch] < 0:
            raise PatternError(f"看不懂“{text}”：请写成 每周二、四，或 每周一至五、每天。")
        days.add(_DAY[ch])
    if not days:
        raise PatternError("请写出一周中的哪几天，例如 每周二、四。")
    return tuple(sorted(days))
