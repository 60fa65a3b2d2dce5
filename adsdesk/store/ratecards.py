"""Rate cards in the database: import, export, list, and the card in force for a category and day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from adsdesk.domain.ratecard import RateCard, card_to_toml, parse_card, pick_card
from adsdesk.store.audit import record
from adsdesk.store.billing_models import RateCardRow
from adsdesk.store.clerk import current_clerk
from adsdesk.store.models import db


@dataclass(frozen=True)
class CardInfo:
    id: int
    name: str
    category: str
    effective: dt.date
    active: bool
    created_at: dt.datetime
    created_by: str


def save_card(text: str, card_id: int | None = None) -> int:
    """Store a card from its TOML text (checked first); a new row unless ``card_id`` is given.

    Orders keep their own frozen breakdown, so changing a card never changes an order taken.
    """
    card = parse_card(text)
    with db.atomic():
        if card_id is None:
            row = RateCardRow.create(
                name=card.name,
                category=card.category,
                effective=card.effective,
                toml=text,
                created_by=current_clerk(),
            )
            record("ratecard.create", "rate_card", int(row.id), {"name": card.name, "toml": text})
            return int(row.id)
        old = RateCardRow.get_by_id(card_id)
        RateCardRow.update(
            name=card.name, category=card.category, effective=card.effective, toml=text
        ).where(RateCardRow.id == card_id).execute()
        record("ratecard.update", "rate_card", card_id, {"toml": [old.toml, text]})
        return card_id


def save_parsed(card: RateCard, card_id: int | None = None) -> int:
    return save_card(card_to_toml(card), card_id)


def list_cards() -> list[CardInfo]:
    return [
        CardInfo(
            int(r.id), r.name, r.category, r.effective, bool(r.active), r.created_at, r.created_by
        )
        for r in RateCardRow.select().order_by(RateCardRow.effective.desc(), RateCardRow.id.desc())
    ]


def card_text(card_id: int) -> str:
    row = RateCardRow.get_or_none(RateCardRow.id == card_id)
    if row is None:
        raise LookupError(f"没有编号为 {card_id} 的价目表。")
    return str(row.toml)


def set_active(card_id: int, active: bool) -> None:
    with db.atomic():
        RateCardRow.update(active=active).where(RateCardRow.id == card_id).execute()
        record("ratecard.active", "rate_card", card_id, {"active": active})


def active_cards() -> list[tuple[int, RateCard]]:
    """Every active card, parsed, newest effective date first."""
    rows = (
        RateCardRow.select()
        .where(RateCardRow.active == True)  # noqa: E712
        .order_by(RateCardRow.effective.desc(), RateCardRow.id.desc())
    )
    return [(int(r.id), _parsed(r.toml)) for r in rows]


@lru_cache(maxsize=64)
def _parsed(text: str) -> RateCard:
    """A stored card's text, parsed once per process (every save prices with the cards in
    force; a card is frozen, so the parsed one can be shared)."""
    return parse_card(text)


def card_for(category: str, day: dt.date) -> RateCard | None:
    return pick_card(active_cards(), category, day)
