"""Money as integer fen: decimal text in and out, half-up rounding, amounts in Chinese capitals."""

from __future__ import annotations

import re
from fractions import Fraction

_AMOUNT = re.compile(r"^(-?)(\d+)(?:\.(\d{1,2}))?$")


class MoneyError(ValueError):
    """Text that is not an amount of yuan to the fen."""


def parse_yuan(text: str) -> int:
    """Decimal yuan text ("1.80", "300", "-2.5") → integer fen; more than 2 decimals is an error."""
    m = _AMOUNT.match(text.strip().replace(",", ""))
    if not m:
        raise MoneyError(f"“{text}”不是金额：应写成元，最多两位小数，如 1.80")
    sign, whole, frac = m.groups()
    fen = int(whole) * 100 + int((frac or "").ljust(2, "0"))
    return -fen if sign else fen


def format_fen(fen: int) -> str:
    """Integer fen → decimal yuan text with two places: 12345 → "123.45", -5 → "-0.05"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def yuan_label(fen: int) -> str:
    """An amount as a clerk reads it: "¥123.45"."""
    return f"¥{format_fen(fen)}"


def round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (0.5 → 1, -0.5 → -1)."""
    if value >= 0:
        return int(value + Fraction(1, 2))  # int() truncates towards zero: floor here
    return -round_half_up(-value)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _group(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 for inner zeros (1005 → 壹仟零伍)."""
    out = ""
    zero = False
    for power in range(3, -1, -1):
        d = n // 10**power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL_UNITS[power]
    return out


def _integer_capitals(n: int) -> str:
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out = ""
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += "零"
        out += _group(g) + _BIG_UNITS[i]
        need_zero = False
    return out


def capitals(fen: int) -> str:
    """An amount in the capitals a receipt carries: 12000 → 壹佰贰拾元整, 1005 → 壹拾元零伍分."""
    if fen < 0:
        return "负" + capitals(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if cents == 0:
        return _integer_capitals(yuan) + "元整"
    out = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    else:
        out += "整"
    return out
