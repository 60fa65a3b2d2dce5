"""Per-issue layout choices (pin, order, column), column settings and the ads of an issue."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from peewee import JOIN, BooleanField, DateField, ForeignKeyField, IntegerField

from adsdesk.store.actor import ADMIN, LAYOUT
from adsdesk.store.audit import diff, record
from adsdesk.store.models import Ad, AdPhone, BaseModel, Category, Insertion, Setting, db
from adsdesk.store.rows import delete_rows, tuples
from adsdesk.store.users import require

COLUMN_SETTINGS_KEY = "column_settings"
_NO_CATEGORY = 1_000_000  # ads without a category go after every category


class LayoutChoice(BaseModel):
    """What the clerk decided for one ad on one issue: pinned, its place, a forced column."""

    date = DateField(index=True)
    ad = ForeignKeyField(Ad, backref="layout_choices", on_delete="CASCADE")
    pinned = BooleanField(default=False)
    column = IntegerField(null=True)  # 0-based column index; None: wherever the flow puts it
    position = IntegerField(null=True)  # order inside its group; None: booking order

    class Meta:
        indexes = ((("date", "ad"), True),)

    if TYPE_CHECKING:  # peewee adds these at run time
        ad_id: int


class IssueRow(NamedTuple):
    """One ad booked on an issue: what the layout needs of it."""

    id: int
    category: str
    title: str
    body: str
    phones: tuple[str, ...]  # display form, in the ad's order


class ChoiceRow(NamedTuple):
    """The clerk's choice for one ad on one issue."""

    pinned: bool
    column: int | None
    position: int | None


def issue_ads(date: dt.date) -> list[IssueRow]:
    """Ads booked on ``date``, in the desk's category order, then in booking order."""
    rows = list(
        tuples(
            Insertion.select(Ad.id, Ad.title, Ad.body, Category.name)
            .join(Ad, on=(Insertion.ad == Ad.id))
            .join(Category, on=(Ad.category == Category.id), join_type=JOIN.LEFT_OUTER)
            .where(Insertion.date == date)
            .order_by(Category.position.is_null(), Category.position, Insertion.id)
        )
    )
    # The numbers through the same day's bookings (one per ad and day), in one query: a list
    # of the ids would be built and sent again, thousands on a full day.
    phones: dict[int, list[str]] = defaultdict(list)
    for ad, display in tuples(
        AdPhone.select(AdPhone.ad, AdPhone.display)
        .join(Insertion, on=(Insertion.ad == AdPhone.ad))
        .where(Insertion.date == date)
        .order_by(AdPhone.ad, AdPhone.position)
    ):
        phones[ad].append(display)
    return [
        IssueRow(id=r[0], title=r[1], body=r[2], category=r[3] or "", phones=tuple(phones[r[0]]))
        for r in rows
    ]


def load_choices(date: dt.date) -> dict[int, ChoiceRow]:
    """The clerk's choices for the issue, by ad id."""
    return {
        row.ad_id: ChoiceRow(bool(row.pinned), row.column, row.position)
        for row in LayoutChoice.select().where(LayoutChoice.date == date)
    }


def _upsert(date: dt.date, ad_id: int, **values: object) -> None:
    current = LayoutChoice.get_or_none((LayoutChoice.date == date) & (LayoutChoice.ad == ad_id))
    if current is None:
        LayoutChoice.create(date=date, ad=ad_id, **values)
    else:
        LayoutChoice.update(**values).where(LayoutChoice.id == current.id).execute()


def _may_change(date: dt.date, what: str) -> None:
    """Only the 排版 role changes an issue's layout, and not once it is sent to print."""
    from adsdesk.store.issues import ensure_open

    require(LAYOUT, what)
    ensure_open([date], what)


def set_pinned(date: dt.date, ad_id: int, pinned: bool) -> None:
    """Pin the ad to the top of the block for this issue (or unpin it)."""
    _may_change(date, "置顶")
    with db.atomic():
        _upsert(date, ad_id, pinned=pinned, position=None)
        record("layout.pin", "issue", None, {"date": str(date), "pinned": pinned}, ad_id=ad_id)


def set_column(date: dt.date, ad_id: int, column: int | None) -> None:
    """Keep the ad in column ``column`` (0-based) for this issue; None lets the flow decide."""
    _may_change(date, "改栏")
    with db.atomic():
        _upsert(date, ad_id, column=column)
        record("layout.column", "issue", None, {"date": str(date), "column": column}, ad_id=ad_id)


def set_order(date: dt.date, ad_ids: Sequence[int]) -> None:
    """Keep these ads (one group of the issue) in this order."""
    _may_change(date, "调整顺序")
    with db.atomic():
        for position, ad_id in enumerate(ad_ids):
            _upsert(date, ad_id, position=position)
        record("layout.order", "issue", None, {"date": str(date), "order": list(ad_ids)})


def clear_choices(date: dt.date) -> None:
    """Forget every pin, order and column choice for the issue."""
    _may_change(date, "重排版面")
    with db.atomic():
        delete_rows(LayoutChoice).where(LayoutChoice.date == date).execute()
        record("layout.clear", "issue", None, {"date": str(date)})


def load_column_settings() -> dict[str, object]:
    """The stored column settings as a JSON mapping ({} when none or damaged)."""
    row = Setting.get_or_none(Setting.key == COLUMN_SETTINGS_KEY)
    if row is None:
        return {}
    try:
        value = json.loads(row.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def save_column_settings(values: dict[str, object], version: int | None = None) -> None:
    """Store the column settings; ``version``: the settings row's version they were loaded at
    (``column_settings_version``), refused with StaleSetting when saved elsewhere since."""
    from adsdesk.store.settings import StaleSetting, Stamp, stamps, write_setting

    require(ADMIN, "修改版面设置")
    with db.atomic():
        changes = diff(load_column_settings(), values)
        if changes:
            record("settings.column", "settings", None, changes)
        if not write_setting(COLUMN_SETTINGS_KEY, values, version):
            stamp = stamps().get(COLUMN_SETTINGS_KEY, Stamp())
            raise StaleSetting([COLUMN_SETTINGS_KEY], stamp)


def column_settings_version() -> int:
    """The version of the stored column settings (0: never saved)."""
    from adsdesk.store.settings import Stamp, stamps

    return stamps().get(COLUMN_SETTINGS_KEY, Stamp()).version
