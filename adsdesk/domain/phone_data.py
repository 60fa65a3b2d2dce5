"""Number data for China: area codes and their lengths, mobile prefixes, places and carriers.

The place and carrier tables of ``phonenumbers`` are big; they are imported on first use, so a
process that never shows a region (the desk's first screen) does not pay for them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from adsdesk.domain import cn_numbers
from adsdesk.domain.textnorm import to_scan_form

CN = 86
DEFAULT_LOCAL_LENGTHS = (7, 8)


def _cn_pattern(desc_name: str) -> re.Pattern[str]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert meta is not None
    desc = getattr(meta, desc_name)
    assert desc is not None and desc.national_number_pattern is not None
    return re.compile(desc.national_number_pattern)


_FIXED_RE = _cn_pattern("fixed_line")
_MOBILE_RE = _cn_pattern("mobile")

_FILLS = ("23456789", "55555555", "88888888", "66666666")


@cache
def mobile_prefixes() -> frozenset[str]:
    """Every prefix (1–5 digits) that some valid mobile number starts with."""
    out: set[str] = set()
    for n in range(10000, 20000):
        p = str(n)
        if _MOBILE_RE.fullmatch(p + "000000") or _MOBILE_RE.fullmatch(p + "999999"):
            out.update(p[:k] for k in range(1, 6))
    return frozenset(out)


def mobile_prefix_ok(d: str) -> bool:
    return d[:5] in mobile_prefixes()


@cache
def area_codes() -> dict[str, tuple[int, ...]]:
    """Area code (with trunk 0) → the subscriber-number lengths used there."""
    candidates = ["10"] + [f"2{i}" for i in range(10)] + [str(i) for i in range(300, 1000)]
    codes: dict[str, tuple[int, ...]] = {}
    for c in candidates:
        lengths = tuple(n for n in (7, 8) if any(_FIXED_RE.fullmatch(c + f[:n]) for f in _FILLS))
        if lengths:
            codes["0" + c] = lengths
    return codes


@cache
def area_code_prefixes() -> frozenset[str]:
    return frozenset(code[:k] for code in area_codes() for k in range(1, len(code) + 1))


@cache
def area_region(code: str) -> str:
    """Chinese place name of an area code, e.g. ``0352`` → ``山西省大同市``."""
    lengths = area_codes().get(code)
    if not lengths:
        return ""
    for f in _FILLS:
        num = PhoneNumber(country_code=CN, national_number=int(code[1:] + f[: lengths[0]]))
        if phonenumbers.is_valid_number(num):
            return place_of(num)
    return ""


def split_area_code(d: str) -> int:
    """Length of the area code (with trunk 0) at the start of ``d``: 010/02x → 3, else 4."""
    return 3 if len(d) > 1 and d[1] in "12" else 4


@lru_cache(maxsize=256)
@lru_cache(maxsize=64)  # called for every number checked, nearly always with the same code
def norm_area_code(area_code: str) -> str:
    digits = "".join(ch for ch in to_scan_form(area_code) if ch.isascii() and ch.isdigit())
    if digits and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def e164(num: PhoneNumber) -> str:
    return str(phonenumbers.format_number(num, PhoneNumberFormat.E164))


MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def cn_type(num: PhoneNumber) -> int:
    """``number_type`` of a +86 number; UNKNOWN exactly when ``is_valid_number`` is False."""
    return int(phonenumbers.number_type(num))


_GEO_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, MOBILE_TYPES[1])
_CARRIER_TYPES = (PhoneNumberType.MOBILE, MOBILE_TYPES[1], PhoneNumberType.PAGER)


def _national(num: PhoneNumber) -> str:
    return str(phonenumbers.national_significant_number(num))


def place_of(num: PhoneNumber) -> str:
    """Chinese name of the place a number belongs to (``山西省大同市``), or ``""``."""
    if num.country_code == CN:
        # Same rule as phonenumbers' geocoder: invalid numbers have no place, non-geographic
        # ones (400, 800 …) only the country.
        kind = phonenumbers.number_type(num)
        if kind == PhoneNumberType.UNKNOWN:
            return ""
        return place_of_valid(num) if kind in _GEO_TYPES else cn_numbers.country()
    from phonenumbers import geocoder

    return str(geocoder.description_for_number(num, "zh"))


def place_of_valid(num: PhoneNumber) -> str:
    """``place_of`` for a number already known to be valid (skips a second validation)."""
    if num.country_code == CN:
        return cn_numbers.place(_national(num))
    from phonenumbers import geocoder

    return str(geocoder.description_for_valid_number(num, "zh"))


def carrier_of(num: PhoneNumber) -> str:
    """Chinese carrier name of a mobile number (``中国移动``), or ``""``."""
    if num.country_code == CN:
        return carrier_of_valid(num) if phonenumbers.number_type(num) in _CARRIER_TYPES else ""
    from phonenumbers import carrier

    return str(carrier.name_for_number(num, "zh"))


def carrier_of_valid(num: PhoneNumber) -> str:
    """``carrier_of`` for a number already known to be valid."""
    if num.country_code == CN:
        return cn_numbers.carrier(_national(num))
    from phonenumbers import carrier

    return str(carrier.name_for_valid_number(num, "zh"))
