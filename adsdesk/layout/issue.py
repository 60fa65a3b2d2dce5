"""Read one issue from the bound database: its ads, the clerk's choices and the column settings."""

from __future__ import annotations

import datetime as dt

from adsdesk.layout.engine import IssueInput
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.store import layout_prefs
from adsdesk.store.settings import load_settings


def load_column_settings() -> ColumnSettings:
    return ColumnSettings.from_dict(layout_prefs.load_column_settings())


def save_column_settings(settings: ColumnSettings) -> ColumnSettings:
    layout_prefs.save_column_settings(settings.to_dict())
    return load_column_settings()


def load_issue(date: dt.date, settings: ColumnSettings | None = None) -> IssueInput:
    """Everything the engine needs for ``date`` (runs where the database is: a worker thread)."""
    desk = load_settings()
    return IssueInput(
        date=date,
        settings=settings or load_column_settings(),
        ads=layout_prefs.issue_ads(date),
        choices=layout_prefs.load_choices(date),
        hotlines=tuple(desk.hotlines),
        area_code=desk.area_code,
        paper_name=desk.paper_name,
    )
