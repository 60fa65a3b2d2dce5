"""Checking one phone number as the clerk types it: valid or not and why, print form, kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    shortnumberinfo,
)

from adsdesk.domain.phone_data import (
    CN,
    DEFAULT_LOCAL_LENGTHS,
    MOBILE_TYPES,
    area_code_prefixes,
    area_codes,
    area_region,
    carrier_of,
    carrier_of_valid,
    cn_type,
    e164,
    mobile_prefix_ok,
    norm_area_code,
    place_of,
    place_of_valid,
    split_area_code,
)
from adsdesk.domain.textnorm import to_scan_form

Kind = Literal["mobile", "landline", "shared_cost", "other"]

_MOBILE_LEN = 11
_SERVICE_LEN = 10  # 400 / 800 numbers


def _len_text(lengths: Sequence[int]) -> str:
    return "或".join(str(n) for n in lengths)


def _count_text(want: Sequence[int], got: int) -> str:
    if got < min(want):
        return f"这里是{got}位（少了{min(want) - got}位）"
    return f"这里是{got}位（多了{got - max(want)}位）"


@dataclass(frozen=True)
class PhoneCheck:
    """The verdict on one phone number, as a clerk needs to see it."""

    input: str
    valid: bool
    incomplete: bool
    reason: str
    e164: str | None
    display: str
    kind: Kind
    region: str
    carrier: str
    local: bool
    note: str
    extension: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready mapping; keys are exactly the field names."""
        return dict(asdict(self))


# --------------------------------------------------------------------------- check_phone

_EXT_RE = re.compile(r"[\s\-]*(?:转|分机|(?i:ext)\.?)[\s\-:：.]*(?P<ext>\d{1,6})")
_WECHAT_RE = re.compile(r"[(\[]?\s*(微信同号|同微信|微信同步|微信)\s*[)\]]?")
_LEAD_LABEL_RE = re.compile(
    r"^\s*(?:联系电话|电话号码|电话|手机号码|手机号|手机|热线|座机|固话|联系方式|联系|咨询|传真"
    r"|(?i:tel|phone|mobile|fax)|☎|☏|📞)[\s:：.]*"
)
_TRIM = " \t\r\n,，。;；、:："
_MULTI_RE = re.compile(r"\d\s*[,，/、;；]+\s*\d")
_PLUS_RE = re.compile(r"^\(?\s*\+")
_ALLOWED = frozenset("0123456789 -.()+")
_PLAIN_RE = re.compile(r"[0-9][0-9-]*")


@dataclass
class _Parsed:
    """What ``check_phone`` pulled out of the input besides the digits."""

    notes: list[str]
    extension: str


def check_phone(text: str, area_code: str) -> PhoneCheck:
    """Check one phone number as typed or found; ``area_code`` is the paper's own."""
    return _check_cached(text, norm_area_code(area_code))


def forget_checks() -> None:
    """Drop the remembered checks (a benchmark measuring checks from cold)."""
    _check_cached.cache_clear()


# Large: an import checks tens of thousands of distinct numbers, each many times over.
@lru_cache(maxsize=1 << 17)
def _check_cached(text: str, area: str) -> PhoneCheck:
    parsed = _Parsed(notes=[], extension="")
    plain = _PLAIN_RE.fullmatch(text) is not None
    if plain:  # ASCII digits and dashes (most numbers): nothing below would change them
        s = text
    else:
        s = to_scan_form(text)
        m = _EXT_RE.search(s)
        if m:
            parsed.extension = m.group("ext")
            s = s[: m.start()] + " " + s[m.end() :]
        wechat = _WECHAT_RE.findall(s)
        if wechat:
            parsed.notes.append("微信同号" if any(w != "微信" for w in wechat) else "微信")
            s = _WECHAT_RE.sub(" ", s)
        s = _LEAD_LABEL_RE.sub("", s).strip(_TRIM)
        if parsed.extension:
            parsed.notes.append(f"分机 {parsed.extension}")

    def bad(
        reason: str, display: str = "", kind: Kind = "other", incomplete: bool = False
    ) -> PhoneCheck:
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=incomplete,
            reason=reason,
            display=display,
            kind=kind,
        )

    if plain:
        digits = s.replace("-", "")
    else:
        digits = "".join(ch for ch in s if ch.isascii() and ch.isdigit())
    if not digits:
        # Nothing yet, or only "+" / "(": the clerk has just started typing.
        return bad("没有数字", incomplete=set(s) <= _ALLOWED)
    if _MULTI_RE.search(s):
        return bad("这里有不止一个号码，请一次只输入一个", display=digits)
    strange = sorted({ch for ch in s if ch not in _ALLOWED}, key=s.index)
    if strange:
        shown = "".join(f"「{ch}」" for ch in strange[:3])
        return bad(f"号码里有不能识别的字符{shown}", display=digits)

    if _PLUS_RE.match(s) or digits.startswith("00"):
        intl = digits if _PLUS_RE.match(s) else digits[2:]
        if not intl.startswith("86"):
            return _foreign(text, parsed, intl)
        nsn = intl[3:] if intl[2:3] == "0" else intl[2:]
        if not nsn:
            return bad("只有国家代码 +86，还缺号码", display="+" + intl, incomplete=True)
        if nsn[0] == "1" and not nsn.startswith("10"):
            return _mobile(text, parsed, nsn, area)
        if nsn.startswith(("400", "800")):
            return _service(text, parsed, nsn)
        return _landline(text, parsed, "0" + nsn, area)

    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if digits[0] == "1":
        return _mobile(text, parsed, digits, area)
    if digits[0] == "0":
        return _landline(text, parsed, digits, area)
    if digits.startswith(("400", "800")) and len(digits) not in DEFAULT_LOCAL_LENGTHS:
        return _service(text, parsed, digits)
    return _local(text, parsed, digits, area)


def _make(
    text: str,
    parsed: _Parsed,
    *,
    valid: bool,
    display: str,
    kind: Kind,
    incomplete: bool = False,
    reason: str = "",
    num: PhoneNumber | None = None,
    region: str = "",
    carrier_name: str = "",
    local: bool = False,
    extra_note: str = "",
) -> PhoneCheck:
    notes = list(parsed.notes)
    if extra_note:
        notes.append(extra_note)
    if parsed.extension and display:
        display = f"{display}转{parsed.extension}"
    return PhoneCheck(
        input=text,
        valid=valid,
        incomplete=incomplete,
        reason=reason,
        e164=e164(num) if (valid and num is not None) else None,
        display=display,
        kind=kind,
        region=region,
        carrier=carrier_name,
        local=local,
        note="；".join(notes),
        extension=parsed.extension,
    )


def _short_number(text: str, parsed: _Parsed, d: str) -> PhoneCheck | None:
    """Service numbers such as 110, 12345, 10086, 95588 — valid, kind ``other``."""
    if len(d) > 6:
        return None
    num = PhoneNumber(country_code=CN, national_number=int(d))
    if not shortnumberinfo.is_valid_short_number_for_region(num, "CN"):
        return None
    return _make(
        text, parsed, valid=True, display=d, kind="other", region="全国", extra_note="服务号码"
    )


def _mobile_prefix_reason(d: str) -> str:
    for k in range(3, min(5, len(d)) + 1):
        if not mobile_prefix_ok(d[:k]):
            return f"号段 {d[:k]} 不是有效的手机号段"
    if len(d) < 3 and not mobile_prefix_ok(d):
        return f"号段 {d} 不是有效的手机号段"
    return ""


def _mobile(text: str, parsed: _Parsed, d: str, area: str) -> PhoneCheck:
    n = len(d)
    if n < _MOBILE_LEN and not mobile_prefix_ok(d):
        short = _short_number(text, parsed, d)
        if short is not None:
            return short
    prefix_reason = _mobile_prefix_reason(d)
    if prefix_reason:
        return _make(text, parsed, valid=False, reason=prefix_reason, display=d, kind="mobile")
    if n != _MOBILE_LEN:
        reason = f"手机号码应为11位，{_count_text((_MOBILE_LEN,), n)}"
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=n < _MOBILE_LEN,
            reason=reason,
            display=d,
            kind="mobile",
        )
    num = PhoneNumber(country_code=CN, national_number=int(d))
    # The type is computed once (an invalid +86 number is UNKNOWN): is_valid_number,
    # description_for_number and name_for_number would each compute it again.
    if cn_type(num) not in MOBILE_TYPES:
        return _make(
            text, parsed, valid=False, reason="不是有效的手机号码", display=d, kind="mobile"
        )
    region = place_of_valid(num)
    home = area_region(area)
    local = bool(home) and region == home
    if local:
        note = ""
    elif region in ("", "中国"):
        note = "归属地不详"
    else:
        note = f"外地号码：{region}"
    return _make(
        text,
        parsed,
        valid=True,
        display=d,
        kind="mobile",
        num=num,
        region=region,
        carrier_name=carrier_of_valid(num),
        local=local,
        extra_note=note,
    )


def _landline(text: str, parsed: _Parsed, d: str, area: str) -> PhoneCheck:
    """``d`` starts with the trunk 0: area code + subscriber number."""
    code_len = split_area_code(d)
    if len(d) < code_len:
        if d in area_code_prefixes():
            return _make(
                text,
                parsed,
                valid=False,
                incomplete=True,
                reason="区号还没输完",
                display=d,
                kind="landline",
            )
        return _make(
            text, parsed, valid=False, reason=f"区号 {d} 不存在", display=d, kind="landline"
        )
    code, sub = d[:code_len], d[code_len:]
    lengths = area_codes().get(code)
    if lengths is None:
        return _make(
            text, parsed, valid=False, reason=f"区号 {code} 不存在", display=d, kind="landline"
        )
    region = area_region(code)
    display = f"{code}-{sub}" if sub else code
    if not sub:
        reason = f"只有区号 {code}，还缺{_len_text(lengths)}位号码"
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=True,
            reason=reason,
            display=display,
            kind="landline",
            region=region,
        )
    if not min(lengths) <= len(sub) <= max(lengths):
        reason = (
            f"固定电话号码应为{_len_text(lengths)}位（不含区号），{_count_text(lengths, len(sub))}"
        )
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=len(sub) < min(lengths),
            reason=reason,
            display=display,
            kind="landline",
            region=region,
        )
    num = PhoneNumber(country_code=CN, national_number=int(d[1:]))
    num_type = cn_type(num)
    if num_type == PhoneNumberType.UNKNOWN:
        reason = f"{sub} 不是区号 {code} 下有效的固定电话号码"
        return _make(
            text,
            parsed,
            valid=False,
            reason=reason,
            display=display,
            kind="landline",
            region=region,
        )
    local = code == area
    kind: Kind = "shared_cost" if num_type == PhoneNumberType.SHARED_COST else "landline"
    return _make(
        text,
        parsed,
        valid=True,
        display=display,
        kind=kind,
        num=num,
        region=region,
        local=local,
        extra_note="" if local else f"外地号码：{region}",
    )


def _local(text: str, parsed: _Parsed, d: str, area: str) -> PhoneCheck:
    """A number without area code, starting 2–9: completed with the paper's area code."""
    if len(d) < min(DEFAULT_LOCAL_LENGTHS):
        short = _short_number(text, parsed, d)
        if short is not None:
            return short
    lengths = area_codes().get(area, DEFAULT_LOCAL_LENGTHS)
    region = area_region(area)
    n = len(d)
    if n < min(lengths):
        reason = f"固定电话号码应为{_len_text(lengths)}位（不含区号），{_count_text(lengths, n)}"
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=True,
            reason=reason,
            display=d,
            kind="landline",
            region=region,
        )
    if n > max(lengths):
        with_zero = check_phone("0" + d, area)
        if with_zero.valid:
            reason = f"像是区号前少了0：应为 {with_zero.display}"
        else:
            reason = (
                f"固定电话号码应为{_len_text(lengths)}位（不含区号），{_count_text(lengths, n)}"
            )
            if n == 8 and max(lengths) == 7:  # the 8-digit local number of another city
                reason += (
                    f"；{region or '本地'}的固话是7位，8位的是外地号码（如北京、上海），"
                    "须写上那里的区号，如 010-"
                    f"{d}"
                )
        return _make(
            text, parsed, valid=False, reason=reason, display=d, kind="landline", region=region
        )
    if not area:
        return _make(
            text,
            parsed,
            valid=False,
            reason="没有设置本报区号，无法核对本地号码",
            display=d,
            kind="landline",
        )
    num = PhoneNumber(country_code=CN, national_number=int(area[1:] + d))
    if not phonenumbers.is_valid_number(num):
        reason = f"{d} 不是本地（区号 {area}）有效的固定电话号码"
        return _make(
            text, parsed, valid=False, reason=reason, display=d, kind="landline", region=region
        )
    return _make(
        text, parsed, valid=True, display=d, kind="landline", num=num, region=region, local=True
    )


def _service(text: str, parsed: _Parsed, d: str) -> PhoneCheck:
    """400 (shared cost) and 800 (toll free) numbers: 10 digits, nationwide."""
    head = d[:3]
    if len(d) != _SERVICE_LEN:
        reason = f"{head}电话应为10位，{_count_text((_SERVICE_LEN,), len(d))}"
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=len(d) < _SERVICE_LEN,
            reason=reason,
            display=d,
            kind="shared_cost" if head == "400" else "other",
        )
    display = f"{d[:3]}-{d[3:6]}-{d[6:]}"
    num = PhoneNumber(country_code=CN, national_number=int(d))
    if not phonenumbers.is_valid_number(num):
        return _make(
            text,
            parsed,
            valid=False,
            reason=f"{display} 不是有效的{head}电话",
            display=display,
            kind="other",
        )
    kind: Kind = (
        "shared_cost" if phonenumbers.number_type(num) == PhoneNumberType.SHARED_COST else "other"
    )
    return _make(
        text,
        parsed,
        valid=True,
        display=display,
        kind=kind,
        num=num,
        region="全国",
        extra_note="" if kind == "shared_cost" else "免费电话",
    )


def _foreign(text: str, parsed: _Parsed, intl: str) -> PhoneCheck:
    """A number with a country code other than 86."""
    if "86".startswith(intl):
        return _make(
            text,
            parsed,
            valid=False,
            incomplete=True,
            reason="国家代码还没输完",
            display="+" + intl,
            kind="other",
        )
    try:
        num = phonenumbers.parse("+" + intl, None)
    except NumberParseException:
        return _make(
            text, parsed, valid=False, reason="无法识别的国际号码", display="+" + intl, kind="other"
        )
    display = str(phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL))
    if not phonenumbers.is_valid_number(num):
        return _make(
            text, parsed, valid=False, reason="不是有效的境外号码", display=display, kind="other"
        )
    region = place_of(num)
    return _make(
        text,
        parsed,
        valid=True,
        display=display,
        kind="other",
        num=num,
        region=region,
        carrier_name=carrier_of(num),
        extra_note=f"境外号码：{region}" if region else "境外号码",
    )
