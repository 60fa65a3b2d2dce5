"""What a receipt (收据) says: plain data, filled from an order, painted by layout/receipt.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from adsdesk.domain.money import capitals

REPRINT_MARK = "补打"


@dataclass(frozen=True)
class ReceiptLine:
    """One priced ad on the receipt."""

    text: str  # the ad's title or first words
    dates: tuple[dt.date, ...]
    detail: str  # "4 行 × 50.00 × 2 期，加急 30%"
    amount_fen: int


@dataclass(frozen=True)
class ReceiptData:
    paper_name: str
    serial: str
    day: dt.date
    customer: str
    clerk: str
    lines: tuple[ReceiptLine, ...]
    total_fen: int
    paid_fen: int
    method: str
    reprint: bool = False
    payments: tuple[tuple[str, int], ...] = field(default_factory=tuple)  # (method, fen)

    @property
    def capitals(self) -> str:
        return capitals(self.total_fen)
