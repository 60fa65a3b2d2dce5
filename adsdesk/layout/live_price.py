"""The editor's live price: the card's count and price plus the lines the ad takes in the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adsdesk.domain.pricing import Quote, quote
from adsdesk.domain.ratecard import RateCard, RateCardError, pick_card
from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.linecount import ColumnLineCounter


@dataclass(frozen=True)
class LivePrice:
    quote: Quote | None
    column_lines: int
    problem: str = ""  # why there is no price (no card, a bad surcharge …)

    @property
    def lines_differ(self) -> bool:
        return self.quote is not None and self.quote.lines != self.column_lines


class LivePricer:
    """Prices an ad on every keystroke: the card and the column geometry are set once, the
    column line count follows edits incrementally (see ``ColumnLineCounter``)."""

    def __init__(
        self,
        cards: Sequence[tuple[int, RateCard]] = (),
        settings: ColumnSettings | None = None,
        area_code: str = "",  # the paper's; "" only before the cards (and the settings) load
    ) -> None:
        self.cards = list(cards)
        self.counter = ColumnLineCounter(settings or ColumnSettings(), area_code)
        self._picked: dict[tuple[str, dt.date], RateCard | None] = {}

    def card_for(self, category: str, day: dt.date) -> RateCard | None:
        key = (category, day)
        if key not in self._picked:
            self._picked[key] = pick_card(self.cards, category, day)
        return self._picked[key]

    def price(
        self,
        category: str,
        title: str,
        body: str,
        dates: Sequence[dt.date],
        surcharges: Sequence[str] = (),
        items: Mapping[str, int] | None = None,
        today: dt.date | None = None,
    ) -> LivePrice:
        lines = self.counter.lines(title, body)
        day = min(dates) if dates else (today or dt.date.today())
        card = self.card_for(category, day)
        if card is None:
            return LivePrice(None, lines, f"没有 {day} 适用于“{category or '未分类'}”的价目表")
        known = {s.name for s in card.surcharges}
        try:
            q = quote(
                card,
                category,
                title,
                body,
                runs=max(len(dates), 1),
                surcharges=[s for s in surcharges if s in known],
                items=items,
            )
        except RateCardError as exc:
            return LivePrice(None, lines, str(exc))
        return LivePrice(q, lines)
