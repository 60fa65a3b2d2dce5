"""Column settings of the 便民信息 block in physical units (mm and pt), with their defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

MM = 72.0 / 25.4  # points per millimetre
EM_BOX_ASCENT = 0.88  # the shipped CJK faces draw their ideographic em box from -0.12 to 0.88 em

BODY_SIZES: dict[str, float] = {"五号": 10.5, "小五": 9.0, "六号": 7.5}


def mm_to_pt(mm: float) -> float:
    return mm * MM


def pt_to_mm(pt: float) -> float:
    return pt / MM


@dataclass(frozen=True)
class ColumnSettings:
    """How the day's column is set: block, columns, rules, masthead, type sizes.

    Defaults: a 240 x 110 mm block (the full width of a 240 mm classified page area, about a
    third of its 340 mm height) in 5 columns of 44.8 mm with 4 mm gutters. Less the box
    padding and rule each side, a column sets 13 characters of 小五 (9 pt) body type a line,
    the line most rate cards count by. Titles are 五号 (10.5 pt) bold sans on 13 pt, body
    小五 serif on 11 pt: dense, like a printed classified column. The sample day's 13 ads
    fill it to 80 % (the fullest column 89 %), leaving room for one or two more.
    """

    width_mm: float = 240.0
    height_mm: float = 110.0
    columns: int = 5
    gutter_mm: float = 4.0
    margin_top_mm: float = 0.0
    margin_right_mm: float = 0.0
    margin_bottom_mm: float = 0.0
    margin_left_mm: float = 0.0
    column_rule_pt: float = 0.3  # rule between columns; 0 = none
    boxed: bool = True  # each ad in a thin box; otherwise a rule between ads
    box_rule_pt: float = 0.4
    box_padding_mm: float = 1.0
    ad_gap_mm: float = 1.2
    masthead: bool = True
    section_name: str = "便民信息"
    hotlines: tuple[str, ...] = ()  # empty: the desk's hotlines (设置)
    masthead_height_mm: float = 11.0
    headings: bool = True
    heading_size_pt: float = 9.0
    heading_height_mm: float = 4.8
    title_size_pt: float = 10.5
    title_leading_pt: float = 13.0
    body_size_pt: float = 9.0
    body_leading_pt: float = 11.0
    justify: bool = True

    # --- derived geometry, in points -----------------------------------------------------
    @property
    def width_pt(self) -> float:
        return mm_to_pt(self.width_mm)

    @property
    def height_pt(self) -> float:
        return mm_to_pt(self.height_mm)

    @property
    def content_width_pt(self) -> float:
        return mm_to_pt(self.width_mm - self.margin_left_mm - self.margin_right_mm)

    @property
    def column_width_pt(self) -> float:
        gutters = mm_to_pt(self.gutter_mm) * (self.columns - 1)
        return (self.content_width_pt - gutters) / self.columns

    @property
    def text_width_pt(self) -> float:
        """Width of a line of text inside an ad (column less the box padding)."""
        return self.column_width_pt - 2 * self.inset_pt

    @property
    def inset_pt(self) -> float:
        return mm_to_pt(self.box_padding_mm) + (self.box_rule_pt if self.boxed else 0.0)

    def column_x_pt(self, index: int) -> float:
        return mm_to_pt(self.margin_left_mm) + index * (
            self.column_width_pt + mm_to_pt(self.gutter_mm)
        )

    def problems(self) -> list[str]:
        """Why these settings cannot make a column, one Chinese sentence each (empty: fine)."""
        out: list[str] = []
        if not 30 <= self.width_mm <= 1000 or not 30 <= self.height_mm <= 1500:
            out.append("版块宽度应在 30–1000 毫米之间，高度在 30–1500 毫米之间。")
        if not 1 <= self.columns <= 12:
            out.append("栏数应在 1 到 12 之间。")
        if (
            min(self.gutter_mm, self.box_padding_mm, self.ad_gap_mm) < 0
            or min(
                self.margin_top_mm, self.margin_right_mm, self.margin_bottom_mm, self.margin_left_mm
            )
            < 0
        ):
            out.append("栏间距、边距、内边距和广告间距都不能为负数。")
        if (
            min(self.column_rule_pt, self.box_rule_pt) < 0
            or max(self.column_rule_pt, self.box_rule_pt) > 3
        ):
            out.append("线宽应在 0 到 3 磅之间。")
        if not 6 <= self.body_size_pt <= 14 or not 6 <= self.title_size_pt <= 24:
            out.append("正文字号应在 6–14 磅之间，标题字号在 6–24 磅之间。")
        if not 6 <= self.heading_size_pt <= 24:
            out.append("分类标题字号应在 6–24 磅之间。")
        if self.body_leading_pt < self.body_size_pt or self.title_leading_pt < self.title_size_pt:
            out.append("行距不能小于字号，否则上下行会重叠。")
        if self.heading_height_mm * MM < self.heading_size_pt:
            out.append("分类标题栏的高度放不下分类标题的字号。")
        if self.masthead and self.masthead_height_mm < 5:
            out.append("报头高度至少 5 毫米。")
        if not out and self.text_width_pt < max(8 * self.body_size_pt, 4 * self.title_size_pt):
            # 8 characters a line: a phone number (11 digits or 0352-5393120) always fits
            out.append("栏太窄：每行至少要放下 8 个正文字，请减少栏数或加大版块宽度。")
        if not out and self.column_height_pt() < 3 * self.body_leading_pt:
            out.append("版块太矮：去掉报头和边距后，每栏放不下三行字。")
        return out

    def column_top_pt(self) -> float:
        top = mm_to_pt(self.margin_top_mm)
        if self.masthead:
            top += mm_to_pt(self.masthead_height_mm) + mm_to_pt(self.ad_gap_mm)
        return top

    def column_height_pt(self) -> float:
        return self.height_pt - mm_to_pt(self.margin_bottom_mm) - self.column_top_pt()

    # --- storage ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["hotlines"] = list(self.hotlines)
        return data

    @classmethod
    def from_dict(cls, data: object) -> ColumnSettings:
        """Settings from stored JSON; unknown keys are ignored, wrong or missing ones default."""
        base = cls()
        if not isinstance(data, dict):
            return base
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            default = getattr(base, f.name)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    values[f.name] = value
            elif isinstance(default, int):
                if isinstance(value, int) and not isinstance(value, bool):
                    values[f.name] = value
            elif isinstance(default, float):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    values[f.name] = float(value)
            elif isinstance(default, str):
                if isinstance(value, str):
                    values[f.name] = value
            elif isinstance(default, tuple) and isinstance(value, list | tuple):
                values[f.name] = tuple(str(v).strip() for v in value if str(v).strip())
        settings = replace(base, **values)
        return settings if not settings.problems() else base
