"""Rate cards in the database: import, export, list, and the card in force for a category and day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from adsdesk.domain.ratecard import RateCard, card_to_toml, parse_card, pick_card
from adsdesk.store.actor import current_actor
from adsdesk.store.audit import record
from adsdesk.store.billing_models import RateCardRow
from adsdesk.store.clerk import current_clerk
from adsdesk.store.database import StoreError
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


@dataclass(frozen=True)
class CardCopy:
    """A stored card as the rate card dialog edits it: its text and row version."""

    id: int
    text: str
    version: int
    updated_by: str
    updated_at: dt.datetime | None


class StaleCard(StoreError):
    """The card was saved elsewhere since this copy was opened: nothing was written.
    ``stored``: the card as it is now."""

    def __init__(self, mine: str, stored: CardCopy) -> None:
        when = f"{stored.updated_at:%Y-%m-%d %H:%M:%S}" if stored.updated_at else "刚才"
        who = stored.updated_by or "另一台电脑"
        super().__init__(
            f"价目表 #{stored.id} 已由 {who} 于 {when} 修改过，您的保存没有写入，以免覆盖对方的"
            "修改。请对照两份内容后选择保留哪一份。"
        )
        self.mine = mine
        self.stored = stored


def load_card(card_id: int) -> CardCopy:
    row = RateCardRow.get_or_none(RateCardRow.id == card_id)
    if row is None:
        raise LookupError(f"没有编号为 {card_id} 的价目表。")
    at = row.updated_at
    if at is not None and not isinstance(at, dt.datetime):
        at = dt.datetime.fromisoformat(str(at))
    by = row.updated_by or row.created_by or ""
    return CardCopy(int(row.id), str(row.toml), int(row.version or 1), by, at or row.created_at)


def _touch() -> dict[str, object]:
    return {
        "version": RateCardRow.version + 1,
        "updated_by": current_actor().label,
        "updated_at": dt.datetime.now().replace(microsecond=0),
    }


def save_card(text: str, card_id: int | None = None, version: int | None = None) -> int:
    """Store a card from its TOML text (checked first); a new row unless ``card_id`` is given.

    Orders keep their own frozen breakdown, so changing a card never changes an order taken.
    ``version``: the row version the edited copy was opened at; a card saved elsewhere since
    is refused with :class:`StaleCard` (None: save over whatever is stored).
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
        old = RateCardRow.get_or_none(RateCardRow.id == card_id)
        if old is None:
            raise LookupError(f"没有编号为 {card_id} 的价目表。")
        where = RateCardRow.id == card_id
        if version is not None:
            where &= RateCardRow.version == version
        written = (
            RateCardRow.update(
                name=card.name,
                category=card.category,
                effective=card.effective,
                toml=text,
                **_touch(),
            )
            .where(where)
            .execute()
        )
        if not written:
            raise StaleCard(text, load_card(card_id))
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
        RateCardRow.update(active=active, **_touch()).where(RateCardRow.id == card_id).execute()
        record("ratecard.active", "rate_card", card_id, {"active": active})


def active_cards() -> list[tuple[int, RateCard]]:
    """Every active card, parsed, newest effective date first."""
    # Plain SQL: every save prices with them (building the query and the rows took 0.3 ms).
    rows = db.execute_sql(
        f"SELECT id, toml FROM rate_card WHERE active = {db.param} ORDER BY effective DESC, id DESC",
        (True,),
    ).fetchall()
    return [(int(card_id), _parsed(toml)) for card_id, toml in rows]


@lru_cache(maxsize=64)
def _parsed(text: str) -> RateCard:
    """A stored card's text, parsed once per process (every save prices with the cards in
    force; a card is frozen, so the parsed one can be shared)."""
    return parse_card(text)


def card_for(category: str, day: dt.date) -> RateCard | None:
    return pick_card(active_cards(), category, day)
