"""What an ad costs under a rate card: counting, units, per run, surcharges, runs, discount, total.

The arithmetic is the one a clerk can check by hand, in this order:

1. units per run: lines = ceil(title chars / line) + ceil(body chars / line); or characters;
   or items (遗失声明: documents and seals found in the text); or 1 for a flat price;
2. per-run price: max(units, minimum) × price; or base price + extra characters × price;
   or the sum of the items (a shortfall under the minimum at the default item price);
3. × (1 + the chosen surcharge percents, added up);
4. × paid runs (runs less the free ones of a "刊一赠一" offer);
5. × (1 − the largest run-count discount percent that applies);
6. rounded half up to the fen, once, at the end.

Every amount is integer fen; the steps between are exact fractions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from adsdesk.domain.money import round_half_up
from adsdesk.domain.ratecard import Counting, RateCard, RateCardError, Surcharge

_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _kind(ch: str) -> str:
    if ch in "\r\n":
        return "newline"
    if ch.isspace():
        return "space"
    if "0" <= ch <= "9":
        return "digit"
    if "a" <= ch <= "z":
        return "lower"
    if "A" <= ch <= "Z":
        return "upper"
    if unicodedata.category(ch)[0] in "PS":
        return "punct"
    return "other"


def _ceil_div(n: int, d: int) -> int:
    return -(-n // d)


def count_chars(text: str, counting: Counting) -> int:
    """Billable characters of ``text``: a run of n digits counts ceil(n / digits_per_char),
    likewise lower-case and capital Latin letters and punctuation; a Chinese character counts
    1; spaces count 1 each only when the card says so; line breaks never count.
    Full-width digits and letters count as their half-width forms."""
    per = {
        "digit": counting.digits_per_char,
        "lower": counting.lower_per_char,
        "upper": counting.upper_per_char,
        "punct": counting.punct_per_char,
    }
    total = 0
    run_kind = ""
    run = 0
    for ch in text.translate(_FULL_WIDTH):
        kind = _kind(ch)
        if kind == run_kind and kind in per:
            run += 1
            continue
        if run_kind in per:
            total += _ceil_div(run, per[run_kind])
        run_kind, run = kind, 1
        if kind == "other" or (kind == "space" and counting.count_spaces):
            total += 1
    if run_kind in per:
        total += _ceil_div(run, per[run_kind])
    return total


def count_lines(title: str, body: str, counting: Counting) -> tuple[int, int]:
    """(characters, lines) of an ad: the title on its own line(s), the body from a new line.

    With ``title = "none"`` on the card the title is free: neither its characters nor its
    lines are counted."""
    cpl = counting.chars_per_line
    body_chars = count_chars(body, counting)
    title_chars = count_chars(title, counting) if counting.title == "own_lines" else 0
    lines = _ceil_div(title_chars, cpl) + _ceil_div(body_chars, cpl)
    return title_chars + body_chars, lines


def find_items(text: str, names: Iterable[str]) -> dict[str, int]:
    """How often each document or seal name occurs in ``text`` (longest name first at a
    position, matches never overlap); names not found are left out."""
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    found: dict[str, int] = {}
    i = 0
    while i < len(text):
        for name in ordered:
            if text.startswith(name, i):
                found[name] = found.get(name, 0) + 1
                i += len(name)
                break
        else:
            i += 1
    return found


@dataclass(frozen=True)
class Quote:
    """A priced ad: every figure the clerk, the receipt and the order keep."""

    card: str
    category: str
    unit: str
    chars: int
    lines: int
    units: int
    minimum: int
    unit_price_fen: int  # price per line/character/ad; 0 for items
    items: tuple[tuple[str, int, int], ...]  # (name, count, price each) for unit "item"
    per_run_fen: int
    surcharges: tuple[Surcharge, ...]
    runs: int
    paid_runs: int
    discount_percent: Decimal
    gross_fen: int  # per run × paid runs
    surcharge_fen: int  # gross × surcharge percents, rounded
    discount_fen: int  # what the run discount takes off (gross + surcharge − total)
    free_fen: int  # the value of the free runs (not charged)
    total_fen: int

    def as_dict(self) -> dict[str, Any]:
        """The fields ``adsdesk price --json`` prints (plus the breakdown)."""
        return {
            "card": self.card,
            "category": self.category,
            "unit": self.unit,
            "chars": self.chars,
            "lines": self.lines,
            "units": self.units,
            "per_run_fen": self.per_run_fen,
            "surcharges": [{"name": s.name, "percent": _num(s.percent)} for s in self.surcharges],
            "runs": self.runs,
            "paid_runs": self.paid_runs,
            "discount_percent": _num(self.discount_percent),
            "total_fen": self.total_fen,
            "minimum": self.minimum,
            "unit_price_fen": self.unit_price_fen,
            "items": [{"name": n, "count": c, "price_fen": p} for n, c, p in self.items],
            "gross_fen": self.gross_fen,
            "surcharge_fen": self.surcharge_fen,
            "discount_fen": self.discount_fen,
            "free_fen": self.free_fen,
        }


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def paid_runs(card: RateCard, runs: int) -> int:
    """Runs less the free ones: the offer that frees the most runs is used."""
    free = max(((runs // d.free_every) * d.free for d in card.discounts if d.free_every), default=0)
    return runs - free


def discount_percent(card: RateCard, runs: int) -> Decimal:
    """The largest percent of the run-count discounts that apply to ``runs``."""
    return max(
        (d.percent for d in card.discounts if not d.free_every and runs >= d.min_runs),
        default=Decimal(0),
    )


def quote(
    card: RateCard,
    category: str,
    title: str,
    body: str,
    *,
    runs: int = 1,
    surcharges: Iterable[str] = (),
    items: Mapping[str, int] | None = None,
) -> Quote:
    """Price one ad. ``items`` corrects the documents found in the text (name → count)."""
    rate = card.rate_for(category)
    if rate is None:
        raise RateCardError(f"价目表“{card.name}”没有适用于“{category or '未分类'}”的价格。")
    if runs < 0:
        raise RateCardError("刊登期数不能为负数。")
    chars, lines = count_lines(title, body, card.counting)
    item_rows: tuple[tuple[str, int, int], ...] = ()
    unit_price = rate.price_fen
    if rate.unit == "line":
        units = lines
        per_run = max(units, rate.minimum) * rate.price_fen
    elif rate.unit == "char":
        units = chars
        if rate.base_chars or rate.base_price_fen:
            per_run = rate.base_price_fen + max(0, chars - rate.base_chars) * rate.price_fen
        else:
            per_run = max(units, rate.minimum) * rate.price_fen
    elif rate.unit == "item":
        unit_price = 0
        prices = dict(rate.items)
        counts = find_items(f"{title}\n{body}", prices)
        for name, n in (items or {}).items():
            if n < 0:
                raise RateCardError(f"“{name}”的件数不能为负数。")
            counts[name] = n
        item_rows = tuple(
            (name, n, prices.get(name, rate.default_item_fen))
            for name, n in sorted(counts.items(), key=lambda kv: _card_order(prices, kv[0]))
            if n > 0
        )
        units = sum(n for _, n, _ in item_rows)
        per_run = sum(n * p for _, n, p in item_rows)
        per_run += max(0, rate.minimum - units) * rate.default_item_fen
    else:  # flat
        units = 1
        per_run = max(1, rate.minimum) * rate.price_fen
    chosen = tuple(card.surcharge(name) for name in dict.fromkeys(surcharges))
    extra = sum((s.percent for s in chosen), Decimal(0))
    paid = paid_runs(card, runs)
    pct = discount_percent(card, runs)
    gross = per_run * paid
    exact = Fraction(gross) * (1 + Fraction(extra) / 100) * (1 - Fraction(pct) / 100)
    total = round_half_up(exact)
    surcharge_fen = round_half_up(Fraction(gross) * Fraction(extra) / 100)
    return Quote(
        card=card.name,
        category=category,
        unit=rate.unit,
        chars=chars,
        lines=lines,
        units=units,
        minimum=rate.minimum,
        unit_price_fen=unit_price,
        items=item_rows,
        per_run_fen=per_run,
        surcharges=chosen,
        runs=runs,
        paid_runs=paid,
        discount_percent=pct,
        gross_fen=gross,
        surcharge_fen=surcharge_fen,
        discount_fen=gross + surcharge_fen - total,
        free_fen=per_run * (runs - paid),
        total_fen=total,
    )


def _card_order(prices: dict[str, int], name: str) -> tuple[int, str]:
    names = list(prices)
    return (names.index(name) if name in prices else len(names), name)
