"""Per-issue layout choices (pin, order, column), column settings and the ads of an issue."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, BooleanField, DateField, ForeignKeyField, IntegerField

from adsdesk.store.models import Ad, AdPhone, BaseModel, Category, Insertion, Setting, db

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


@dataclass(frozen=True)
class IssueAd:
    """One ad booked on the issue, as the layout needs it."""

    id: int
    category: str
    title: str
    body: str
    phones: tuple[str, ...]  # display form, in the ad's order


@dataclass(frozen=True)
class AdChoice:
    pinned: bool = False
    column: int | None = None
    position: int | None = None


def issue_ads(date: dt.date) -> list[IssueAd]:
    """Ads booked on ``date``, in the desk's category order, then in booking order."""
    rows = list(
        Insertion.select(Ad.id, Ad.title, Ad.body, Category.name)
        .join(Ad, on=(Insertion.ad == Ad.id))
        .join(Category, on=(Ad.category == Category.id), join_type=JOIN.LEFT_OUTER)
        .where(Insertion.date == date)
        .order_by(Category.position.is_null(), Category.position, Insertion.id)
        .tuples()
    )
    ids = [r[0] for r in rows]
    phones: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for ad, display in (
            AdPhone.select(AdPhone.ad, AdPhone.display)
            .where(AdPhone.ad.in_(ids[start : start + 500]))
            .order_by(AdPhone.ad, AdPhone.position)
            .tuples()
        ):
            phones[ad].append(display)
    return [
        IssueAd(id=r[0], title=r[1], body=r[2], category=r[3] or "", phones=tuple(phones[r[0]]))
        for r in rows
    ]


def load_choices(date: dt.date) -> dict[int, AdChoice]:
    """The clerk's choices for the issue, by ad id."""
    return {
        row.ad_id: AdChoice(bool(row.pinned), row.column, row.position)
        for row in LayoutChoice.select().where(LayoutChoice.date == date)
    }


def _group(ad: IssueAd, choices: dict[int, AdChoice]) -> tuple[bool, str]:
    choice = choices.get(ad.id)
    pinned = bool(choice and choice.pinned)
    return pinned, "" if pinned else ad.category


def ordered_ads(ads: Sequence[IssueAd], choices: dict[int, AdChoice]) -> list[IssueAd]:
    """Reading order: pinned ads first, then by category, each group by the clerk's order.

    ``ads`` come in category then booking order (as ``issue_ads`` returns them); an ad the
    clerk never moved keeps its booking place after those the clerk did order.
    """
    groups: dict[tuple[bool, str], list[tuple[int, IssueAd]]] = {}
    for index, ad in enumerate(ads):
        groups.setdefault(_group(ad, choices), []).append((index, ad))

    def key(item: tuple[int, IssueAd]) -> tuple[int, int, int]:
        index, ad = item
        choice = choices.get(ad.id)
        position = choice.position if choice else None
        return (1, 0, index) if position is None else (0, position, index)

    out: list[IssueAd] = []
    pinned_first = sorted(groups, key=lambda g: not g[0])  # stable: categories keep their order
    for group in pinned_first:
        out.extend(ad for _i, ad in sorted(groups[group], key=key))
    return out


def _upsert(date: dt.date, ad_id: int, **values: object) -> None:
    current = LayoutChoice.get_or_none((LayoutChoice.date == date) & (LayoutChoice.ad == ad_id))
    if current is None:
        LayoutChoice.create(date=date, ad=ad_id, **values)
    else:
        LayoutChoice.update(**values).where(LayoutChoice.id == current.id).execute()


def set_pinned(date: dt.date, ad_id: int, pinned: bool) -> None:
    """Pin the ad to the top of the block for this issue (or unpin it)."""
    with db.atomic():
        _upsert(date, ad_id, pinned=pinned, position=None)


def set_column(date: dt.date, ad_id: int, column: int | None) -> None:
    """Keep the ad in column ``column`` (0-based) for this issue; None lets the flow decide."""
    with db.atomic():
        _upsert(date, ad_id, column=column)


def move_ad(date: dt.date, ad_id: int, delta: int) -> bool:
    """Move the ad ``delta`` places up (negative) or down inside its group; False at an end."""
    with db.atomic():
        ads = issue_ads(date)
        choices = load_choices(date)
        target = next((a for a in ads if a.id == ad_id), None)
        if target is None:
            return False
        group = _group(target, choices)
        members = [a.id for a in ordered_ads(ads, choices) if _group(a, choices) == group]
        index = members.index(ad_id)
        new_index = index + delta
        if delta == 0 or not 0 <= new_index < len(members):
            return False
        members.insert(new_index, members.pop(index))
        for position, member in enumerate(members):
            _upsert(date, member, position=position)
    return True


def clear_choices(date: dt.date) -> None:
    """Forget every pin, order and column choice for the issue."""
    with db.atomic():
        LayoutChoice.delete().where(LayoutChoice.date == date).execute()


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


def save_column_settings(values: dict[str, object]) -> None:
    with db.atomic():
        Setting.insert(
            key=COLUMN_SETTINGS_KEY, value=json.dumps(values, ensure_ascii=False)
        ).on_conflict_replace().execute()
