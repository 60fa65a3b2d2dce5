"""What a customer's proof (清样) states beside the ad: who pays, every run date, the price."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN

from adsdesk.chunks import chunks
from adsdesk.domain.dates import as_date
from adsdesk.domain.money import yuan_label
from adsdesk.store.billing_models import Order
from adsdesk.store.models import Ad, Advertiser, Insertion
from adsdesk.store.rows import tuples


@dataclass(frozen=True)
class ProofFacts:
    customer: str
    run_dates: tuple[dt.date, ...]
    price: str  # "¥36.00（3 期）" once the ad has an order, else ""


def proof_facts(ad_ids: Sequence[int]) -> dict[int, ProofFacts]:
    """Customer, run dates and price (from the ad's current order) for each of these ads."""
    customers: dict[int, str] = {}
    dates: dict[int, list[dt.date]] = defaultdict(list)
    prices: dict[int, str] = {}
    for chunk in chunks(list(ad_ids)):
        query = tuples(
            Ad.select(Ad.id, Advertiser.name)
            .join(Advertiser, on=(Ad.advertiser == Advertiser.id), join_type=JOIN.LEFT_OUTER)
            .where(Ad.id.in_(chunk))
        )
        customers.update({ad: name or "" for ad, name in query})
        for ad, day in tuples(
            Insertion.select(Insertion.ad, Insertion.date).where(Insertion.ad.in_(chunk))
        ):
            dates[ad].append(as_date(day))
        orders = tuples(
            Order.select(Order.ad, Order.total_fen, Order.runs)
            .where(Order.ad.in_(chunk) & (Order.status != "cancelled"))
            .order_by(Order.id)
        )
        for ad, total, runs in orders:  # the latest order wins
            prices[ad] = f"{yuan_label(total)}（{runs} 期）" if runs else yuan_label(total)
    return {
        i: ProofFacts(customers.get(i, ""), tuple(sorted(set(dates[i]))), prices.get(i, ""))
        for i in ad_ids
        if i in customers
    }
