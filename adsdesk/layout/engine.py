"""The layout engine: pack the issue's ads into balanced columns, report fill and left-over ads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from adsdesk.domain.profile import PaperProfile
from adsdesk.layout.blocks import ad_shape, heading_shape, masthead_lines
from adsdesk.layout.geometry import ColumnSettings, mm_to_pt
from adsdesk.layout.issue_ads import AdChoice, IssueAd, ordered_ads
from adsdesk.layout.result import (
    ColumnFill,
    Heading,
    Layout,
    LeftOver,
    PlacedAd,
    Rect,
    Rule,
    Shape,
    TextLine,
)

_PINNED = "\0pinned"  # category key of pinned ads: they stand above every heading
_EPS = 1e-6
MAX_STRETCH_MM = 1.5  # most extra space added to one gap when evening out column bottoms
MAX_GROW = 0.35  # most an ad box grows, as a share of the smallest box in its column


@dataclass(frozen=True)
class IssueInput:
    """Everything the engine needs for one issue (see ``adsdesk.issue.load_issue``)."""

    date: dt.date | None
    settings: ColumnSettings
    ads: Sequence[IssueAd]  # category then booking order
    profile: PaperProfile  # the paper: its area code (local numbers), name and hotlines
    choices: dict[int, AdChoice] = field(default_factory=dict)


@dataclass
class _Entry:
    ad: IssueAd
    shape: Shape
    rank: int
    key: str  # category for headings, _PINNED for pinned ads
    forced: int | None


class _Packer:
    """Stacks entries into columns; heights include headings and gaps."""

    def __init__(self, settings: ColumnSettings, heading_height: float) -> None:
        self.gap = mm_to_pt(settings.ad_gap_mm)
        self.head = heading_height + self.gap * 0.5 if settings.headings else 0.0
        self.headings = settings.headings

    def needs_heading(self, entry: _Entry, prev: str | None) -> bool:
        return self.headings and entry.key not in (_PINNED, "") and entry.key != prev

    def step(self, entry: _Entry, prev: str | None, first: bool) -> float:
        return (
            (0.0 if first else self.gap)
            + (self.head if self.needs_heading(entry, prev) else 0.0)
            + entry.shape.height
        )

    def height(self, entries: Sequence[_Entry], prev: str | None) -> float:
        h = 0.0
        for i, e in enumerate(entries):
            h += self.step(e, prev, i == 0)
            prev = e.key
        return h

    def pack(
        self,
        flow: Sequence[_Entry],
        forced: Sequence[Sequence[_Entry]],
        limit: float,
    ) -> tuple[list[list[_Entry]], int]:
        """Fill columns in order up to ``limit``; returns the columns and how many flowed in."""
        pos = 0
        prev: str | None = None
        columns: list[list[_Entry]] = []
        for fixed in forced:
            if not fixed:
                entries: list[_Entry] = []
                h = 0.0
                while pos < len(flow):
                    add = self.step(flow[pos], prev, not entries)
                    if h + add > limit + _EPS:
                        break
                    entries.append(flow[pos])
                    h += add
                    prev = flow[pos].key
                    pos += 1
            else:
                start = prev
                segment: list[_Entry] = []
                while pos < len(flow):
                    merged = sorted([*segment, flow[pos], *fixed], key=lambda e: e.rank)
                    if self.height(merged, start) > limit + _EPS:
                        break
                    segment.append(flow[pos])
                    pos += 1
                entries = sorted([*segment, *fixed], key=lambda e: e.rank)
                prev = entries[-1].key if entries else start
            columns.append(entries)
        return columns, pos


def lay_out(issue: IssueInput) -> Layout:
    """Lay out the issue: measure every ad, pack balanced columns, place lines and rules."""
    s = issue.settings
    n = s.columns
    top = s.column_top_pt()
    capacity = s.column_height_pt()
    head = heading_shape("房屋出售", s)
    packer = _Packer(s, head.height)

    entries: list[_Entry] = []
    for rank, ad in enumerate(ordered_ads(issue.ads, issue.choices)):
        choice = issue.choices.get(ad.id, AdChoice())
        column = None if choice.column is None else max(0, min(n - 1, choice.column))
        entries.append(
            _Entry(
                ad=ad,
                shape=ad_shape(ad.title, ad.body, s, issue.profile.area_code),
                rank=rank,
                key=_PINNED if choice.pinned else ad.category,
                forced=column,
            )
        )

    left: list[LeftOver] = []
    flow: list[_Entry] = []
    forced: list[list[_Entry]] = [[] for _ in range(n)]
    for e in entries:
        alone = packer.step(e, None, True)
        if alone > capacity + _EPS:
            left.append(_left(e, packer, "比一栏还高，请缩短文字或加高版块"))
        elif e.forced is not None:
            forced[e.forced].append(e)
        else:
            flow.append(e)
    for k, fixed in enumerate(forced):  # a column the clerk overfilled drops its last ads
        while fixed and packer.height(fixed, None) > capacity + _EPS:
            left.append(_left(fixed.pop(), packer, f"第{k + 1}栏已放不下"))

    columns, placed_count = packer.pack(flow, forced, capacity)
    full = placed_count < len(flow)
    if full:
        left.extend(_left(e, packer, "版面已满") for e in flow[placed_count:])
    else:
        lo = max(
            [packer.step(e, None, True) for e in flow]
            + [packer.height(fixed, None) for fixed in forced]
            + [0.0]
        )
        hi = capacity
        for _ in range(24):
            if hi - lo < 0.25:
                break
            mid = (lo + hi) / 2
            if packer.pack(flow, forced, mid)[1] == len(flow):
                hi = mid
            else:
                lo = mid
        columns, _ = packer.pack(flow, forced, hi)
    ranks = {e.ad.id: e.rank for e in entries}  # a dict: a full day leaves thousands over
    left.sort(key=lambda x: ranks[x.ad_id])
    return _place(issue, columns, left, packer, head, top, capacity, full)


def _left(e: _Entry, packer: _Packer, reason: str) -> LeftOver:
    needed = e.shape.height + packer.gap + (packer.head if e.key not in (_PINNED, "") else 0.0)
    return LeftOver(ad_id=e.ad.id, title=e.ad.title, needed=needed, reason=reason)


def _place(
    issue: IssueInput,
    columns: list[list[_Entry]],
    left: list[LeftOver],
    packer: _Packer,
    head: Shape,
    top: float,
    capacity: float,
    full: bool,
) -> Layout:
    s = issue.settings
    used = []
    prev: str | None = None
    for entries in columns:
        used.append(packer.height(entries, prev))
        prev = entries[-1].key if entries else prev
    bottom_target = capacity if full else max(used, default=0.0)
    placed: list[PlacedAd] = []
    headings: list[Heading] = []
    column_bottoms: list[float] = []
    prev = None
    for k, entries in enumerate(columns):
        x = s.column_x_pt(k)
        items = len(entries) + sum(
            1
            for i, e in enumerate(entries)
            if packer.needs_heading(e, prev if i == 0 else entries[i - 1].key)
        )
        stretch, grow = _evening(bottom_target - used[k], items, [e.shape.height for e in entries])
        y = top
        for i, e in enumerate(entries):
            if i:
                y += packer.gap + stretch
            if packer.needs_heading(e, prev):
                box = Rect(x, y, s.column_width_pt, head.height)
                shape = heading_shape(e.key, s)
                headings.append(
                    Heading(e.key, k, box, tuple(line.moved(x, y) for line in shape.lines))
                )
                y += packer.head + stretch
            box = Rect(x, y, s.column_width_pt, e.shape.height + grow)
            placed.append(
                PlacedAd(
                    ad_id=e.ad.id,
                    column=k,
                    box=box,
                    lines=tuple(line.moved(x, y + grow / 2) for line in e.shape.lines),
                    category=e.ad.category,
                    title=e.ad.title,
                    pinned=e.key == _PINNED,
                    forced_column=e.forced is not None,
                )
            )
            y += e.shape.height + grow
            prev = e.key
        column_bottoms.append(y if entries else top)
    rules = _column_rules(s, columns, column_bottoms, top)
    masthead = None
    mast_lines: tuple[TextLine, ...] = ()
    if s.masthead:
        masthead = Rect(
            mm_to_pt(s.margin_left_mm),
            mm_to_pt(s.margin_top_mm),
            s.content_width_pt,
            mm_to_pt(s.masthead_height_mm),
        )
        mast_lines = masthead_lines(s, s.hotlines or issue.profile.hotlines, masthead)
    return Layout(
        date=issue.date,
        settings=s,
        width=s.width_pt,
        height=s.height_pt,
        masthead=masthead,
        masthead_lines=mast_lines,
        placed=tuple(placed),
        headings=tuple(headings),
        rules=rules,
        columns=tuple(ColumnFill(k, used[k], capacity) for k in range(len(columns))),
        left_over=tuple(left),
        column_boxes=tuple(
            Rect(s.column_x_pt(k), top, s.column_width_pt, capacity) for k in range(s.columns)
        ),
    )


def _evening(deficit: float, items: int, heights: list[float]) -> tuple[float, float]:
    """Space to add to each gap and to each ad box so a column ends level with the others.

    Gaps take up to MAX_STRETCH_MM each; the rest goes into the boxes (their text centred),
    each growing at most MAX_GROW of the column's smallest box, as make-up does by hand.
    A column that would need more stays short rather than look padded.
    """
    if deficit <= 0 or not heights:
        return 0.0, 0.0
    stretch = min(deficit / (items - 1), mm_to_pt(MAX_STRETCH_MM)) if items > 1 else 0.0
    rest = deficit - stretch * (items - 1)
    grow = min(rest / len(heights), MAX_GROW * min(heights))
    return stretch, max(grow, 0.0)


def _column_rules(
    s: ColumnSettings, columns: list[list[_Entry]], bottoms: list[float], top: float
) -> tuple[Rule, ...]:
    if s.column_rule_pt <= 0:
        return ()
    bottom = max(bottoms, default=top)
    rules = []
    half_gutter = mm_to_pt(s.gutter_mm) / 2
    for k in range(len(columns) - 1):
        if columns[k] and columns[k + 1]:
            x = s.column_x_pt(k) + s.column_width_pt + half_gutter
            rules.append(Rule(x, top, x, bottom, s.column_rule_pt))
    return tuple(rules)


def lay_out_ad(ad: IssueAd, settings: ColumnSettings, area_code: str) -> PlacedAd:
    """One ad alone at its column width, box at (0, 0): for the customer's proof."""
    shape = ad_shape(ad.title, ad.body, settings, area_code)
    return PlacedAd(
        ad_id=ad.id,
        column=0,
        box=Rect(0.0, 0.0, settings.column_width_pt, shape.height),
        lines=shape.lines,
        category=ad.category,
        title=ad.title,
    )
