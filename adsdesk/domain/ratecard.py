"""Rate cards (刊例): the TOML format a manager keeps, parsed and checked, and written back."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from adsdesk.domain.money import MoneyError, format_fen, parse_yuan
from adsdesk.errors import DeskError

UNITS = ("line", "char", "item", "flat")
UNIT_NAMES = {"line": "按行", "char": "按字", "item": "按件", "flat": "按则"}
TITLE_MODES = ("own_lines", "none")


class RateCardError(DeskError):
    """A rate card that cannot be used; the sentence names the key at fault."""


@dataclass(frozen=True)
class Counting:
    """How text becomes characters and lines."""

    chars_per_line: int = 13
    digits_per_char: int = 2
    lower_per_char: int = 2
    upper_per_char: int = 1
    punct_per_char: int = 1
    count_spaces: bool = False
    title: str = "own_lines"


@dataclass(frozen=True)
class Rate:
    """The price of one category (or "*": all) in one unit."""

    category: str
    unit: str
    price_fen: int = 0
    minimum: int = 0
    base_chars: int = 0
    base_price_fen: int = 0
    items: tuple[tuple[str, int], ...] = ()  # (document or seal, price in fen), in card order
    default_item_fen: int = 0

    def matches(self, category: str) -> bool:
        return self.category in ("*", category)


@dataclass(frozen=True)
class Surcharge:
    name: str
    percent: Decimal


@dataclass(frozen=True)
class Discount:
    """Either a percent off from ``min_runs`` runs, or ``free`` of every ``free_every`` runs free."""

    min_runs: int = 0
    percent: Decimal = Decimal(0)
    free_every: int = 0
    free: int = 0


@dataclass(frozen=True)
class RateCard:
    name: str
    effective: dt.date
    category: str = "*"  # the card as a whole may belong to one category
    counting: Counting = field(default_factory=Counting)
    rates: tuple[Rate, ...] = ()
    surcharges: tuple[Surcharge, ...] = ()
    discounts: tuple[Discount, ...] = ()

    def rate_for(self, category: str) -> Rate | None:
        """The first rate whose category matches ("*" matches all)."""
        return next((r for r in self.rates if r.matches(category)), None)

    def surcharge(self, name: str) -> Surcharge:
        for s in self.surcharges:
            if s.name == name:
                return s
        known = "、".join(s.name for s in self.surcharges) or "（无）"
        raise RateCardError(f"价目表“{self.name}”没有加价项“{name}”；可选：{known}。")


def pick_card(cards: list[tuple[int, RateCard]], category: str, day: dt.date) -> RateCard | None:
    """The card in force on ``day`` for ``category``: in effect by then, with a rate for it;
    a card made for that category wins over a card for all, then the latest effective date."""
    fitting = [
        (c.category == category, c.effective, cid, c)
        for cid, c in cards
        if c.effective <= day and c.category in ("*", category) and c.rate_for(category)
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda t: (t[0], t[1], t[2]))[3]


def parse_card(text: str) -> RateCard:
    """A rate card from its TOML text; anything wrong → RateCardError naming the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RateCardError(_toml_sentence(str(exc))) from exc
    return card_from_dict(data)


_WHERE = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _toml_sentence(message: str) -> str:
    """tomllib's English message as a sentence that says where, in Chinese, first."""
    m = _WHERE.match(message)
    if m is None:
        return f"价目表不是有效的 TOML：{message}。"
    return (
        f"价目表第 {m['line']} 行第 {m['column']} 个字处写法不对，不是有效的 TOML"
        f"（{m['what']}）。请对照默认价目表改正。"
    )


def card_from_dict(data: dict[str, Any]) -> RateCard:
    name = _text(data, "name", "")
    if not name:
        raise RateCardError("价目表缺少 name（名称）。")
    effective = data.get("effective")
    if isinstance(effective, dt.datetime):
        effective = effective.date()
    if isinstance(effective, str):
        try:
            effective = dt.date.fromisoformat(effective)
        except ValueError:
            effective = None
    if not isinstance(effective, dt.date):
        raise RateCardError("价目表的 effective（生效日期）应为日期，如 2024-01-01。")
    counting = _counting(_table(data, "counting"))
    rates_raw = _array(data, "rates")
    if not rates_raw:
        raise RateCardError("价目表至少要有一条 [[rates]]。")
    rates = tuple(_rate(r, i) for i, r in enumerate(rates_raw, 1))
    surcharges = tuple(_surcharge(s, i) for i, s in enumerate(_array(data, "surcharges"), 1))
    names = [s.name for s in surcharges]
    for n in names:
        if names.count(n) > 1:
            raise RateCardError(f"surcharges 中“{n}”出现了不止一次。")
    discounts = tuple(_discount(d, i) for i, d in enumerate(_array(data, "discounts"), 1))
    return RateCard(
        name=name,
        effective=effective,
        category=_text(data, "category", "*") or "*",
        counting=counting,
        rates=rates,
        surcharges=surcharges,
        discounts=discounts,
    )


def _where(key: str, section: str, index: int) -> str:
    return f"{section} 第 {index} 条的 {key}" if section else key


def _text(data: dict[str, Any], key: str, default: str, where: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise RateCardError(f"价目表的 {where or key} 应为文字（加引号）。")
    return value.strip()


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RateCardError(f"价目表的 {key} 应为一节 [{key}]。")
    return value


def _array(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RateCardError(f"价目表的 {key} 应写成 [[{key}]] 表。")
    return value


def _int(data: dict[str, Any], key: str, default: int, where: str, low: int = 0) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RateCardError(f"价目表的 {where} 应为整数。")
    if value < low:
        raise RateCardError(f"价目表的 {where} 不能小于 {low}（现为 {value}）。")
    return value


def _money(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RateCardError(f'价目表的 {where} 应写成带引号的金额，如 "1.80"。')
    try:
        fen = parse_yuan(str(value))
    except MoneyError as exc:
        raise RateCardError(f"价目表的 {where} 有误：{exc}。") from exc
    if fen < 0:
        raise RateCardError(f"价目表的 {where} 不能为负数（现为 {value}）。")
    return fen


def _percent(data: dict[str, Any], key: str, where: str, high: int) -> Decimal:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RateCardError(f"价目表的 {where} 应为百分数，如 30。")
    try:
        pct = Decimal(str(value))
    except InvalidOperation as exc:
        raise RateCardError(f"价目表的 {where} 应为百分数，如 30（现为 {value}）。") from exc
    if not pct.is_finite() or pct < 0 or pct > high:
        raise RateCardError(f"价目表的 {where} 应在 0 到 {high} 之间（现为 {value}）。")
    return pct


def _counting(c: dict[str, Any]) -> Counting:
    known = set(Counting.__dataclass_fields__)
    for key in c:
        if key not in known:
            raise RateCardError(f"价目表 [counting] 中有不认识的键 {key}。")
    spaces = c.get("count_spaces", False)
    if not isinstance(spaces, bool):
        raise RateCardError("价目表的 counting.count_spaces 应为 true 或 false。")
    title = _text(c, "title", "own_lines", "counting.title")
    if title not in TITLE_MODES:
        raise RateCardError(
            f'价目表的 counting.title 应为 "own_lines" 或 "none"（现为 "{title}"）。'
        )
    return Counting(
        chars_per_line=_int(c, "chars_per_line", 13, "counting.chars_per_line", 1),
        digits_per_char=_int(c, "digits_per_char", 2, "counting.digits_per_char", 1),
        lower_per_char=_int(c, "lower_per_char", 2, "counting.lower_per_char", 1),
        upper_per_char=_int(c, "upper_per_char", 1, "counting.upper_per_char", 1),
        punct_per_char=_int(c, "punct_per_char", 1, "counting.punct_per_char", 1),
        count_spaces=spaces,
        title=title,
    )


def _rate(r: dict[str, Any], i: int) -> Rate:
    w = lambda key: _where(key, "rates", i)  # noqa: E731
    category = _text(r, "category", "", w("category"))
    if not category:
        raise RateCardError(f'价目表的 {w("category")} 不能为空（"*" 表示所有分类）。')
    unit = _text(r, "unit", "", w("unit"))
    if unit not in UNITS:
        raise RateCardError(
            f"价目表的 {w('unit')} 不认识：“{unit}”；应为 line、char、item 或 flat。"
        )
    items: list[tuple[str, int]] = []
    raw_items = r.get("items", {})
    if not isinstance(raw_items, dict):
        raise RateCardError(f'价目表的 {w("items")} 应写成 {{ "营业执照" = "300" }}。')
    for name, price in raw_items.items():
        items.append((name.strip(), _money(price, f"{w('items')}.{name}")))
    if unit == "item" and not items and "default_item" not in r:
        raise RateCardError(
            f"价目表的 {w('items')} 为空：按件计价至少要列一种证件或 default_item。"
        )
    if unit != "item" and "price" not in r and not (unit == "char" and "base_price" in r):
        raise RateCardError(f"价目表的 {w('price')} 缺失：按{UNIT_NAMES[unit][1]}计价需要单价。")
    return Rate(
        category=category,
        unit=unit,
        price_fen=_money(r.get("price", "0"), w("price")),
        minimum=_int(r, "minimum", 0, w("minimum")),
        base_chars=_int(r, "base_chars", 0, w("base_chars")),
        base_price_fen=_money(r.get("base_price", "0"), w("base_price")),
        items=tuple(items),
        default_item_fen=_money(r.get("default_item", "0"), w("default_item")),
    )


def _surcharge(s: dict[str, Any], i: int) -> Surcharge:
    name = _text(s, "name", "", _where("name", "surcharges", i))
    if not name:
        raise RateCardError(f"价目表的 {_where('name', 'surcharges', i)} 不能为空。")
    return Surcharge(name, _percent(s, "percent", _where("percent", "surcharges", i), 1000))


def _discount(d: dict[str, Any], i: int) -> Discount:
    w = lambda key: _where(key, "discounts", i)  # noqa: E731
    if "free_every" in d:
        every = _int(d, "free_every", 0, w("free_every"), 2)
        free = _int(d, "free", 1, w("free"), 1)
        if free >= every:
            raise RateCardError(f"价目表的 {w('free')} 应小于 free_every（{free} ≥ {every}）。")
        return Discount(free_every=every, free=free)
    if "percent" not in d:
        raise RateCardError(
            f"价目表的 {w('percent')} 缺失：折扣要么写 percent，要么写 free_every。"
        )
    return Discount(
        min_runs=_int(d, "min_runs", 1, w("min_runs"), 1),
        percent=_percent(d, "percent", w("percent"), 100),
    )


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pct(p: Decimal) -> str:
    return str(int(p)) if p == p.to_integral_value() else _q(str(p))


def card_to_toml(card: RateCard) -> str:
    """The card as TOML text that ``parse_card`` reads back to an equal card."""
    c = card.counting
    out = [f"name = {_q(card.name)}", f"effective = {card.effective.isoformat()}"]
    if card.category != "*":
        out.append(f"category = {_q(card.category)}")
    out += [
        "",
        "[counting]",
        f"chars_per_line = {c.chars_per_line}",
        f"digits_per_char = {c.digits_per_char}",
        f"lower_per_char = {c.lower_per_char}",
        f"upper_per_char = {c.upper_per_char}",
        f"punct_per_char = {c.punct_per_char}",
        f"count_spaces = {'true' if c.count_spaces else 'false'}",
        f"title = {_q(c.title)}",
    ]
    for r in card.rates:
        out += ["", "[[rates]]", f"category = {_q(r.category)}", f"unit = {_q(r.unit)}"]
        if r.unit == "item":
            pairs = ", ".join(f"{_q(n)} = {_q(format_fen(p))}" for n, p in r.items)
            out.append(f"items = {{ {pairs} }}")
            out.append(f"default_item = {_q(format_fen(r.default_item_fen))}")
        else:
            out.append(f"price = {_q(format_fen(r.price_fen))}")
        if r.base_chars or r.base_price_fen:
            out.append(f"base_chars = {r.base_chars}")
            out.append(f"base_price = {_q(format_fen(r.base_price_fen))}")
        out.append(f"minimum = {r.minimum}")
    for s in card.surcharges:
        out += ["", "[[surcharges]]", f"name = {_q(s.name)}", f"percent = {_pct(s.percent)}"]
    for d in card.discounts:
        out += ["", "[[discounts]]"]
        if d.free_every:
            out += [f"free_every = {d.free_every}", f"free = {d.free}"]
        else:
            out += [f"min_runs = {d.min_runs}", f"percent = {_pct(d.percent)}"]
    return "\n".join(out) + "\n"
