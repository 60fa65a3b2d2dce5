"""The press check's records: each issue's press PDF as last checked, and make-good runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError

from adsdesk.errors import UserError
from adsdesk.store.actor import current_actor
from adsdesk.store.audit import record
from adsdesk.store.models import Ad, AdPhone, Advertiser, Insertion, db
from adsdesk.store.press_models import MakeGood, PressPdf
from adsdesk.store.search_upkeep import sync_index


@dataclass(frozen=True)
class StoredPress:
    date: dt.date
    name: str
    data: bytes
    report: dict[str, Any]
    checked_at: dt.datetime
    checked_by: str


def save_press_pdf(date: dt.date, name: str, data: bytes, report: dict[str, Any]) -> None:
    """Keep the press PDF of ``date`` and what its check found (replacing an earlier one)."""
    digest = hashlib.sha256(data).hexdigest()
    who = current_actor().label
    now = dt.datetime.now().replace(microsecond=0)
    text = json.dumps(report, ensure_ascii=False)
    with db.atomic():
        row = PressPdf.get_or_none(PressPdf.date == date)
        if row is None:
            row = PressPdf.create(
                date=date,
                name=name,
                sha256=digest,
                data=data,
                report=text,
                checked_at=now,
                checked_by=who,
            )
        else:
            PressPdf.update(
                name=name, sha256=digest, data=data, report=text, checked_at=now, checked_by=who
            ).where(PressPdf.id == row.id).execute()
        record(
            "press.check",
            "press_pdf",
            int(row.id),
            {
                "date": date.isoformat(),
                "file": name,
                "sha256": digest,
                "missing": report.get("missing", []),
                "altered": sorted({a["id"] for a in report.get("altered", [])}),
                "duplicated": report.get("duplicated", []),
            },
        )


def load_press_pdf(date: dt.date) -> StoredPress | None:
    row = PressPdf.get_or_none(PressPdf.date == date)
    if row is None:
        return None
    return StoredPress(
        date=date,
        name=row.name,
        data=bytes(row.data),  # PostgreSQL hands back a memoryview
        report=json.loads(row.report or "{}"),
        checked_at=row.checked_at,
        checked_by=row.checked_by,
    )


@dataclass(frozen=True)
class MakeGoodInfo:
    id: int
    ad_id: int
    failed_date: dt.date
    reason: str
    new_ad_id: int | None
    new_date: dt.date
    order_id: int | None


def make_good_for(ad_id: int, failed_date: dt.date) -> MakeGoodInfo | None:
    row = MakeGood.get_or_none((MakeGood.ad == ad_id) & (MakeGood.failed_date == failed_date))
    return _mg(row) if row else None


def make_goods_of(failed_date: dt.date) -> dict[int, MakeGoodInfo]:
    """Make-good runs already booked for the issue of ``failed_date``, by the failed ad."""
    return {
        int(r.ad_id): _mg(r) for r in MakeGood.select().where(MakeGood.failed_date == failed_date)
    }


def _mg(row: MakeGood) -> MakeGoodInfo:
    return MakeGoodInfo(
        id=int(row.id),
        ad_id=int(row.ad_id),
        failed_date=row.failed_date,
        reason=row.reason,
        new_ad_id=row.new_ad_id,
        new_date=row.new_date,
        order_id=row.order_id,
    )


def book_make_good(
    ad_id: int, failed_date: dt.date, reason: str, new_date: dt.date | None = None
) -> MakeGoodInfo:
    """Book a free re-run of ``ad_id`` on the next issue for its failed run on ``failed_date``.

    The ad is copied (text, phones, category, advertiser) and booked on ``new_date`` (the
    day after by default); the copy gets an order line at 0 fen whose breakdown names the
    failed run; the advertiser's file notes it. Booking it twice for one run is refused.
    """
    from adsdesk.store.billing_models import Order, OrderEvent
    from adsdesk.store.clerk import current_clerk
    from adsdesk.store.orders import _next_number

    new_date = new_date or failed_date + dt.timedelta(days=1)
    ad = Ad.get_or_none(Ad.id == ad_id)
    if ad is None:
        raise UserError(f"广告 #{ad_id} 不存在，无法补登。")
    if make_good_for(ad_id, failed_date) is not None:
        raise UserError(f"广告 #{ad_id} 在 {failed_date.isoformat()} 的刊登已安排过补登。")
    who = current_actor().label
    with db.atomic():
        copy = Ad.create(
            category=ad.category_id,
            advertiser=ad.advertiser_id,
            title=ad.title,
            body=ad.body,
            override_reason=ad.override_reason,
        )
        phones = list(AdPhone.select().where(AdPhone.ad == ad_id).order_by(AdPhone.position))
        for p in phones:
            AdPhone.create(ad=copy.id, e164=p.e164, display=p.display, position=p.position)
        Insertion.create(ad=copy.id, date=new_date)
        breakdown = {
            "make_good_of": {"ad": ad_id, "date": failed_date.isoformat()},
            "reason": reason,
            "dates": [new_date.isoformat()],
            "total_fen": 0,
        }
        today = dt.date.today()
        order = None
        for _attempt in range(5):  # two desks may take the same number: the index says so
            number = _next_number(today)
            try:
                with db.atomic():
                    order = Order.create(
                        serial=f"{today:%Y%m%d}-{number:03d}",
                        day=today,
                        number=number,
                        ad=copy.id,
                        advertiser=ad.advertiser_id,
                        customer=ad.advertiser.name if ad.advertiser is not None else "",
                        clerk=current_clerk(),
                        category=ad.category.name if ad.category is not None else "",
                        card_name="补登（免费）",
                        breakdown=json.dumps(breakdown, ensure_ascii=False),
                        runs=1,
                        first_run=new_date,
                        total_fen=0,
                        method="",
                    )
                break
            except IntegrityError:
                continue
        if order is None:
            raise UserError("订单号分配冲突，请再点一次补登。")
        OrderEvent.create(
            order=order.id,
            clerk=current_clerk(),
            kind="make_good",
            note=f"补登 #{ad_id} {failed_date.isoformat()}：{reason}",
        )
        row = MakeGood.create(
            ad=ad_id,
            failed_date=failed_date,
            reason=reason,
            new_ad=copy.id,
            new_date=new_date,
            order_id=order.id,
            created_by=who,
        )
        if ad.advertiser_id:
            line = (
                f"{failed_date.isoformat()} 广告 #{ad_id} {reason}；"
                f"已免费补登于 {new_date.isoformat()}（广告 #{copy.id}，订单 {order.serial}）"
            )
            adv = Advertiser.get_by_id(ad.advertiser_id)
            note = f"{adv.note}\n{line}" if adv.note else line
            Advertiser.update(note=note).where(Advertiser.id == adv.id).execute()
        record(
            "makegood.create",
            "make_good",
            int(row.id),
            {
                "failed_date": failed_date.isoformat(),
                "reason": reason,
                "new_ad": int(copy.id),
                "new_date": new_date.isoformat(),
                "order": order.serial,
            },
            ad_id=ad_id,
        )
        sync_index()
    info = make_good_for(ad_id, failed_date)
    assert info is not None
    return info
