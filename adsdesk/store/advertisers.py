"""An advertiser's file: phones, every ad over the years, totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from adsdesk.domain.dates import optional_date
from adsdesk.errors import DeskError
from adsdesk.store.ads import AdRow
from adsdesk.store.models import Ad, Advertiser, AdvertiserPhone, Insertion
from adsdesk.store.rows import first_tuple


@dataclass(frozen=True)
class AdvertiserFile:
    id: int
    name: str
    address: str
    phones: tuple[str, ...]
    ads: list[AdRow]  # newest first
    insertions: int
    first_date: dt.date | None
    last_date: dt.date | None
    note: str = ""  # the file's notes, e.g. a free make-good run (补登) and why


class AdvertiserNotFound(DeskError):
    """The advertiser was deleted meanwhile (or never existed)."""


def advertiser_file(advertiser_id: int) -> AdvertiserFile:
    from adsdesk.store.search import fetch_rows  # the list rows, phones and dates in one go

    adv = Advertiser.get_or_none(Advertiser.id == advertiser_id)
    if adv is None:
        raise AdvertiserNotFound(f"客户 #{advertiser_id} 不存在")
    phones = tuple(
        p.display
        for p in AdvertiserPhone.select()
        .where(AdvertiserPhone.advertiser == advertiser_id)
        .order_by(AdvertiserPhone.id)
    )
    ad_ids = [a.id for a in Ad.select(Ad.id).where(Ad.advertiser == advertiser_id)]
    rows = fetch_rows(ad_ids)
    rows.sort(key=lambda r: (r.dates[-1] if r.dates else dt.date.min, r.id), reverse=True)
    count, first, last = (
        first_tuple(
            Insertion.select(fn.COUNT(Insertion.id), fn.MIN(Insertion.date), fn.MAX(Insertion.date))
            .join(Ad)
            .where(Ad.advertiser == advertiser_id)
        )
    ) or (0, None, None)
    return AdvertiserFile(
        id=adv.id,
        name=adv.name,
        address=adv.address,
        phones=phones,
        ads=rows,
        insertions=int(count or 0),
        first_date=optional_date(first),
        last_date=optional_date(last),
        note=adv.note or "",
    )
