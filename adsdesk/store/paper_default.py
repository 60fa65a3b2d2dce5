"""The sample paper a new desk starts with: the only place in the program that names a city."""

from __future__ import annotations

from adsdesk.domain.profile import PaperProfile

# What a new desk starts with until the clerk sets their own paper in 设置. Kept apart from
# store/settings.py (which needs the database layer) so a quick command can read it cheaply.
DEFAULT_PROFILE = PaperProfile(
    paper_name="大同日报",
    section_name="便民信息",
    area_code="0352",
    hotlines=("5105678", "2023122"),
)
