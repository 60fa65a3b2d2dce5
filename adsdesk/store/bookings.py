"""The ads booked on one issue date, as the press-PDF check compares them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from peewee import JOIN

from adsdesk.domain.repeats import HORIZON_DAYS
from adsdesk.store.models import Ad, AdPhone, Advertiser, Insertion
from adsdesk.store.rows import tuples
from adsdesk.store.settings import list_categories, load_settings
from adsdesk.verify.reconcile import Booking


def issue_bookings(date: dt.date) -> list[Booking]:
    """Every ad with an insertion on ``date``, in id order, with its phones' print forms."""
    from adsdesk.store.runs import extend_open_runs

    extend_open_runs(max(date, dt.date.today() + dt.timedelta(days=HORIZON_DAYS)))  # 长期 runs
    rows = list(
        tuples(
            Ad.select(Ad.id, Ad.title, Ad.body, Ad.advertiser, Advertiser.name)
            .join(Insertion, on=(Insertion.ad == Ad.id))
            .switch(Ad)
            .join(Advertiser, on=(Ad.advertiser == Advertiser.id), join_type=JOIN.LEFT_OUTER)
            .where(Insertion.date == date)
            .order_by(Ad.id)
        )
    )
    ids = [r[0] for r in rows]
    phones: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for ad, display in tuples(
            AdPhone.select(AdPhone.ad, AdPhone.display)
            .where(AdPhone.ad.in_(chunk))
            .order_by(AdPhone.ad, AdPhone.position, AdPhone.id)
        ):
            phones[ad].append(display)
    return [
        Booking(
            id=ad_id,
            title=title or "",
            body=body or "",
            phones=tuple(phones[ad_id]),
            advertiser=name or "",
            advertiser_id=adv,
        )
        for ad_id, title, body, adv, name in rows
    ]


def section_words() -> list[str]:
    """What the section prints besides ads: its name, the paper, headings, hotlines."""
    s = load_settings()
    return [s.section_name, s.paper_name, *s.hotlines, *list_categories()]
