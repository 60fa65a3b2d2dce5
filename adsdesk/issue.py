"""One issue's column from the bound database: its ads, the clerk's choices, the column settings."""

from __future__ import annotations

import datetime as dt

from adsdesk.layout.engine import IssueInput
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.issue_ads import AdChoice, IssueAd, moved_order
from adsdesk.store import layout_prefs
from adsdesk.store.models import db
from adsdesk.store.settings import load_profile


def load_column_settings() -> ColumnSettings:
    return ColumnSettings.from_dict(layout_prefs.load_column_settings())


def save_column_settings(settings: ColumnSettings, version: int | None = None) -> ColumnSettings:
    """Store the column settings; ``version``: the one they were loaded at (see
    ``column_settings_copy``), refused with StaleSetting when saved elsewhere since."""
    layout_prefs.save_column_settings(settings.to_dict(), version)
    return load_column_settings()


def column_settings_copy() -> tuple[ColumnSettings, int]:
    """The column settings with their row version, for the dialog that edits them."""
    version = layout_prefs.column_settings_version()  # first: see settings.load_copy
    return load_column_settings(), version


def issue_ads(date: dt.date) -> list[IssueAd]:
    """Ads booked on ``date``, in the desk's category order, then in booking order."""
    return [IssueAd(*row) for row in layout_prefs.issue_ads(date)]


def load_choices(date: dt.date) -> dict[int, AdChoice]:
    """The clerk's choices for the issue, by ad id."""
    return {ad_id: AdChoice(*row) for ad_id, row in layout_prefs.load_choices(date).items()}


def book_open_runs_through(date: dt.date) -> int:
    """Runs until cancelled (长期) get their insertions up to ``date`` (and the horizon)."""
    from adsdesk.domain.repeats import HORIZON_DAYS
    from adsdesk.store.runs import extend_open_runs

    return extend_open_runs(max(date, dt.date.today() + dt.timedelta(days=HORIZON_DAYS)))


def load_issue(date: dt.date, settings: ColumnSettings | None = None) -> IssueInput:
    """Everything the engine needs for ``date`` (runs where the database is: a worker thread)."""
    book_open_runs_through(date)
    return IssueInput(
        date=date,
        settings=settings or load_column_settings(),
        ads=issue_ads(date),
        profile=load_profile(),
        choices=load_choices(date),
    )


def move_ad(date: dt.date, ad_id: int, delta: int) -> bool:
    """Move the ad ``delta`` places up (negative) or down inside its group; False at an end."""
    with db.atomic():
        order = moved_order(issue_ads(date), load_choices(date), ad_id, delta)
        if order is None:
            return False
        layout_prefs.set_order(date, order)
    return True
