"""What the layout engine hands the renderer: boxes and lines in points, fills, left-over ads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from adsdesk.layout.geometry import ColumnSettings, pt_to_mm


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom

    def intersects(self, other: Rect) -> bool:
        eps = 1e-6
        return (
            self.x < other.right - eps
            and other.x < self.right - eps
            and self.y < other.bottom - eps
            and other.y < self.bottom - eps
        )

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True)
class TextLine:
    """One line as set: face, size, its characters and where each one stands (pt)."""

    role: str  # "title" | "body" | "heading" | "masthead" | "hotline"
    face: str
    size: float
    text: str
    xs: tuple[float, ...]  # x of each character, from the block's left edge
    baseline: float  # from the block's top edge
    top: float
    height: float

    @property
    def left(self) -> float:
        return self.xs[0] if self.xs else 0.0

    def moved(self, dx: float, dy: float) -> TextLine:
        return replace(
            self,
            xs=tuple(x + dx for x in self.xs),
            baseline=self.baseline + dy,
            top=self.top + dy,
        )


@dataclass(frozen=True)
class Shape:
    """A measured block (ad or heading) at the origin: its height and its lines."""

    height: float
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class PlacedAd:
    ad_id: int
    column: int  # 0-based
    box: Rect
    lines: tuple[TextLine, ...]
    category: str
    title: str
    pinned: bool = False
    forced_column: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    column: int
    box: Rect
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class ColumnFill:
    index: int
    used: float  # pt of text, headings and gaps
    capacity: float  # pt available

    @property
    def fill(self) -> float:
        return self.used / self.capacity if self.capacity > 0 else 1.0


@dataclass(frozen=True)
class LeftOver:
    """An ad that did not fit, with the column height it needs (its box and the gap)."""

    ad_id: int
    title: str
    needed: float  # pt
    reason: str

    @property
    def needed_mm(self) -> float:
        return pt_to_mm(self.needed)


@dataclass(frozen=True)
class Layout:
    date: dt.date | None
    settings: ColumnSettings
    width: float  # pt
    height: float  # pt
    masthead: Rect | None
    masthead_lines: tuple[TextLine, ...]
    placed: tuple[PlacedAd, ...]  # reading order: column by column, top to bottom
    headings: tuple[Heading, ...]
    rules: tuple[Rule, ...]
    columns: tuple[ColumnFill, ...]
    left_over: tuple[LeftOver, ...]
    column_boxes: tuple[Rect, ...] = field(default=())

    @property
    def fill(self) -> float:
        capacity = sum(c.capacity for c in self.columns)
        return sum(c.used for c in self.columns) / capacity if capacity > 0 else 1.0

    def placed_ids(self) -> list[int]:
        return [p.ad_id for p in self.placed]

    def ad_at(self, x: float, y: float) -> PlacedAd | None:
        """The placed ad under a point (pt), if any."""
        return next((p for p in self.placed if p.box.contains(x, y)), None)

    def find(self, ad_id: int) -> PlacedAd | None:
        return next((p for p in self.placed if p.ad_id == ad_id), None)

    def summary(self) -> dict[str, object]:
        """The JSON printed by ``adsdesk export --json``."""
        return {
            "date": self.date.isoformat() if self.date else None,
            "placed": self.placed_ids(),
            "left_over": [x.ad_id for x in self.left_over],
            "columns": [{"index": c.index, "fill": round(c.fill, 3)} for c in self.columns],
            "width_mm": round(self.settings.width_mm, 3),
            "height_mm": round(self.settings.height_mm, 3),
        }
