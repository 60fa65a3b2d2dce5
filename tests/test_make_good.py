"""Make-good runs: a free re-run on the next issue for a run that was missing or printed wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from adsdesk.errors import UserError
from adsdesk.store.ads import load_ad
from adsdesk.store.audit import entries
from adsdesk.store.billing_models import Order
from adsdesk.store.models import Ad, Advertiser
from adsdesk.store.press import book_make_good, make_goods_of

DATE = dt.date(2023, 2, 24)


def test_make_good_books_a_free_copy_on_the_next_issue(demo_db: Path) -> None:
    info = book_make_good(6, DATE, "漏登")
    assert info.new_date == dt.date(2023, 2, 25)
    copy = load_ad(info.new_ad_id)
    original = load_ad(6)
    assert (copy.title, copy.body, copy.phones) == (original.title, original.body, original.phones)
    assert copy.dates == [dt.date(2023, 2, 25)] and original.dates == [DATE]
    assert copy.advertiser_id == original.advertiser_id
    order = Order.get_by_id(info.order_id)
    assert order.total_fen == 0 and order.ad_id == info.new_ad_id
    assert '"make_good_of": {"ad": 6, "date": "2023-02-24"}' in order.breakdown
    note = Advertiser.get_by_id(original.advertiser_id).note
    assert "2023-02-24 广告 #6 漏登" in note and "2023-02-25" in note
    assert make_goods_of(DATE)[6].new_ad_id == info.new_ad_id
    assert any(e.action == "makegood.create" for e in entries(ad_id=6))


def test_make_good_is_booked_once_per_failed_run(demo_db: Path) -> None:
    book_make_good(6, DATE, "电话印错")
    before = Ad.select().count()
    with pytest.raises(UserError, match="已安排过补登"):
        book_make_good(6, DATE, "电话印错")
    assert Ad.select().count() == before


def test_saving_the_make_good_copy_keeps_its_order_free(demo_db: Path) -> None:
    from adsdesk.store.orders import book_order

    info = book_make_good(6, DATE, "漏登")
    order = book_order(info.new_ad_id, today=dt.date(2023, 2, 24))  # the editor does on save
    assert order.id == info.order_id and order.total_fen == 0
