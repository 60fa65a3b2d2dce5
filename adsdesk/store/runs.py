"""Repeat runs kept with their ads: weekday patterns, runs until cancelled, runs ending soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from peewee import JOIN, fn

from adsdesk.domain.repeats import HORIZON_DAYS, RunPattern, weekdays_from_stored
from adsdesk.store.actor import current_actor
from adsdesk.store.audit import record
from adsdesk.store.models import Ad, AdPhone, Advertiser, AdvertiserPhone, Insertion, db
from adsdesk.store.press_models import RunPatternRow
from adsdesk.store.rows import delete_rows, tuples
from adsdesk.store.search_upkeep import sync_index


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def save_pattern(ad_id: int, pattern: RunPattern | None, booked_through: dt.date) -> None:
    """Keep (or, with None, drop) the ad's repeat pattern; call inside the ad's save."""
    row = RunPatternRow.get_or_none(RunPatternRow.ad == ad_id)
    if pattern is None:
        if row is not None:
            delete_rows(RunPatternRow).where(RunPatternRow.id == row.id).execute()
        return
    values = {
        "weekdays": pattern.as_text(),
        "start": pattern.start,
        "until": pattern.until,
        "booked_through": booked_through,
    }
    if row is None:
        RunPatternRow.create(ad=ad_id, created_by=current_actor().label, **values)
    else:
        RunPatternRow.update(**values).where(RunPatternRow.id == row.id).execute()


def load_pattern(ad_id: int) -> RunPattern | None:
    row = RunPatternRow.get_or_none(RunPatternRow.ad == ad_id)
    if row is None:
        return None
    return RunPattern(
        weekdays_from_stored(row.weekdays),
        _as_date(row.start),
        _as_date(row.until) if row.until else None,
    )


def extend_open_runs(through: dt.date | None = None) -> int:
    """Book runs until cancelled (长期) ahead to ``through`` (default: today + the horizon).

    Idempotent: each pattern remembers how far it is booked. Returns insertions added.
    """
    through = through or dt.date.today() + dt.timedelta(days=HORIZON_DAYS)
    rows = list(
        RunPatternRow.select().where(
            RunPatternRow.until.is_null() & (RunPatternRow.booked_through < through)
        )
    )
    if not rows:
        return 0
    added = 0
    with db.atomic():
        for row in rows:
            pattern = RunPattern(weekdays_from_stored(row.weekdays), _as_date(row.start), None)
            since = _as_date(row.booked_through)
            have = {
                _as_date(d)
                for (d,) in tuples(
                    Insertion.select(Insertion.date).where(
                        (Insertion.ad == row.ad_id) & (Insertion.date > since)
                    )
                )
            }
            new = [d for d in pattern.dates(through) if d > since and d not in have]
            if new:
                Insertion.insert_many([{"ad": row.ad_id, "date": d} for d in new]).execute()
                added += len(new)
                record(
                    "run.extend",
                    "ad",
                    int(row.ad_id),
                    {"dates": [d.isoformat() for d in new], "pattern": pattern.describe()},
                    ad_id=int(row.ad_id),
                )
            RunPatternRow.update(booked_through=through).where(RunPatternRow.id == row.id).execute()
        if added:
            sync_index()
    return added


@dataclass(frozen=True)
class EndingRun:
    """An ad whose booked run ends soon: who to call to renew."""

    ad_id: int
    title: str
    advertiser: str
    phones: tuple[str, ...]  # the advertiser's numbers, else the ad's
    last_date: dt.date
    days_left: int
    runs_left: int
    pattern: str  # "每周二、四，… 至 …" or ""

    def as_dict(self) -> dict[str, object]:
        return {
            "ad": self.ad_id,
            "title": self.title,
            "advertiser": self.advertiser,
            "phones": list(self.phones),
            "last_date": self.last_date.isoformat(),
            "days_left": self.days_left,
            "runs_left": self.runs_left,
            "pattern": self.pattern,
        }


def runs_ending(today: dt.date, within: int) -> list[EndingRun]:
    """Ads still running whose last booked issue falls within ``within`` days of ``today``
    (runs until cancelled never end); soonest first."""
    last_day = today + dt.timedelta(days=within)
    open_ended = {
        int(a)
        for (a,) in tuples(
            RunPatternRow.select(RunPatternRow.ad).where(RunPatternRow.until.is_null())
        )
    }
    rows = tuples(
        Insertion.select(Insertion.ad, fn.MAX(Insertion.date), fn.COUNT(Insertion.id))
        .where(Insertion.date >= today)
        .group_by(Insertion.ad)
        .having(fn.MAX(Insertion.date) <= last_day)
    )
    ending = {int(a): (_as_date(d), int(n)) for a, d, n in rows if int(a) not in open_ended}
    if not ending:
        return []
    ids = list(ending)
    info = {
        int(i): (t, b, adv, name)
        for i, t, b, adv, name in tuples(
            Ad.select(Ad.id, Ad.title, Ad.body, Ad.advertiser, Advertiser.name)
            .join(Advertiser, join_type=JOIN.LEFT_OUTER, on=(Ad.advertiser == Advertiser.id))
            .where(Ad.id.in_(ids))
        )
    }
    adv_phones: dict[int, list[str]] = defaultdict(list)
    advertisers = [v[2] for v in info.values() if v[2]]
    if advertisers:
        for adv, display in tuples(
            AdvertiserPhone.select(AdvertiserPhone.advertiser, AdvertiserPhone.display)
            .where(AdvertiserPhone.advertiser.in_(advertisers))
            .order_by(AdvertiserPhone.id)
        ):
            adv_phones[int(adv)].append(display)
    ad_phones: dict[int, list[str]] = defaultdict(list)
    for ad, display in tuples(
        AdPhone.select(AdPhone.ad, AdPhone.display)
        .where(AdPhone.ad.in_(ids))
        .order_by(AdPhone.ad, AdPhone.position)
    ):
        ad_phones[int(ad)].append(display)
    out = []
    for ad_id, (last, n) in ending.items():
        if ad_id not in info:
            continue
        title, body, adv, name = info[ad_id]
        pattern = load_pattern(ad_id)
        out.append(
            EndingRun(
                ad_id=ad_id,
                title=title or body[:16].replace("\n", " "),
                advertiser=name or "",
                phones=tuple(adv_phones.get(int(adv), []) if adv else [])
                or tuple(ad_phones[ad_id]),
                last_date=last,
                days_left=(last - today).days,
                runs_left=n,
                pattern=pattern.describe() if pattern else "",
            )
        )
    out.sort(key=lambda r: (r.last_date, r.ad_id))
    return out
