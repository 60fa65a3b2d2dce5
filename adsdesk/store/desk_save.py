"""The desk's 保存 of an ad: approval first if needed, then the ad with its order and payment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from adsdesk.store import ads as ads_store
from adsdesk.store import audit
from adsdesk.store.actor import SUPERVISOR, current_actor
from adsdesk.store.ads import AdDraft, Approvals
from adsdesk.store.models import db
from adsdesk.store.users import Credentials


@dataclass(frozen=True)
class SaveOutcome:
    ad_id: int
    order: Any  # OrderInfo or None
    problem: str = ""  # the ad is saved; the order or payment could not be made
    # The payment was not taken: the order changed since the clerk saw it (who, when, and
    # the order as it is now are in it), so the clerk chooses again.
    order_conflict: Any = None  # StaleOrder or None


def save_with_order(
    draft: AdDraft,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
    payment: tuple[str, int] | None = None,
    approval: Credentials | None = None,
    needs: Approvals | None = None,
    today: dt.date | None = None,
    order_version: int | None = None,
) -> SaveOutcome:
    """Save the ad, make or update its order and take the payment (``payment``: method and
    amount in fen), all in one transaction. A stale copy raises
    :class:`~adsdesk.store.ads.StaleAd` and writes nothing; when only the order or payment
    is refused (no rate card, the day closed …), the ad is saved and ``problem`` says why.
    ``needs``: what :func:`~adsdesk.store.ads.approvals_needed` found just before, if asked.
    ``order_version``: the version of the ad's order the clerk saw when typing the payment;
    when the order has changed since (another desk took money on it), the ad and order are
    saved but the payment is not taken: ``order_conflict`` says why.

    One transaction, one commit, one append to the audit: on an SQLite file, where writers
    take turns, a save takes its turn once (it was three: ad, order, payment), and what can
    be read beforehand (rate cards, approvals, the clerk's day) is read outside it.
    """
    from adsdesk.store.orders import (
        CASH,
        StaleOrder,
        TillError,
        check_payment,
        order_for_ad,
        price,
        write_order,
        write_payment,
    )
    from adsdesk.store.ratecards import active_cards

    today = today or dt.date.today()
    needs, approver = ads_store.authorize(draft, approval, needs=needs)
    method = payment[0] if payment else CASH
    cards = active_cards()
    refusal = ""
    if payment:
        try:
            check_payment(payment[1], method, today)
        except TillError as exc:
            refusal = str(exc)
    problem, order, conflict = "", None, None
    with db.atomic(), audit.batch():
        saved = ads_store.write_ad(draft, needs.late_dates, approver)
        existing = order_for_ad(saved.id) if draft.id is not None else None
        try:
            q = price(cards, saved.category, saved.title, saved.body, saved.dates, saved.rush,
                      surcharges, items, today)  # fmt: skip
            order = write_order(saved.id, saved.advertiser_id, saved.advertiser_name, q,
                                saved.dates, method, today, existing)  # fmt: skip
            if refusal:
                raise TillError(refusal)
            if payment and existing is not None and order_version not in (None, existing.version):
                # named: whoever changed it since the clerk looked; shown: the order now
                now = replace(order, updated_by=existing.updated_by, updated_at=existing.updated_at)
                raise StaleOrder(now, "收款")
            if payment:
                order = write_payment(order, payment[1], method, today)
        except StaleOrder as exc:
            problem, conflict = str(exc), exc
        except TillError as exc:
            problem = str(exc)
            order = order if order is not None else existing
    draft.version = saved.version  # the editor goes on from the saved row's version
    return SaveOutcome(saved.id, order, problem, conflict)


def desk_save(
    draft: AdDraft,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
    payment: tuple[str, int] | None = None,
    approval: Credentials | None = None,
    order_version: int | None = None,
) -> SaveOutcome | Approvals:
    """保存 as the desk runs it (on its database thread, and in ``adsdesk bench --clerks``).

    A clerk who is not a signed-in supervisor and brings no ``approval`` gets back what the
    save needs a supervisor for, before anything is written; otherwise the ad is saved with
    its order (see :func:`save_with_order`).
    """
    needs = None
    actor = current_actor()
    if approval is None and not (actor.user and actor.has(SUPERVISOR)):
        needs = ads_store.approvals_needed(draft)
        if needs.needed:
            return needs  # the supervisor types their password first
    return save_with_order(
        draft, surcharges, items, payment, approval, needs, order_version=order_version
    )
