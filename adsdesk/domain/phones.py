"""Phone numbers in ads: check one number as the clerk types it, find every number in a text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache, lru_cache
from typing import Literal

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    carrier,
    geocoder,
    shortnumberinfo,
)

from adsdesk.domain.textnorm import to_scan_form

Kind = Literal["mobile", "landline", "shared_cost", "other"]

_CN = 86
_MOBILE_LEN = 11
_SERVICE_LEN = 10  # 400 / 800 numbers
_DEFAULT_LOCAL_LENGTHS = (7, 8)


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


@dataclass(frozen=True)
class PhoneMatch:
    """One phone number found in running text; offsets index the original text."""

    start: int
    end: int
    text: str
    check: PhoneCheck

    def as_dict(self) -> dict[str, object]:
        """``check.as_dict()`` plus ``start`` and ``end``."""
        out = self.check.as_dict()
        out["start"] = self.start
        out["end"] = self.end
        return out


# --------------------------------------------------------------------------- metadata


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
def _mobile_prefixes() -> frozenset[str]:
    """Every prefix (1–5 digits) that some valid mobile number starts with."""
    out: set[str] = set()
    for n in range(10000, 20000):
        p = str(n)
        if _MOBILE_RE.fullmatch(p + "000000") or _MOBILE_RE.fullmatch(p + "999999"):
            out.update(p[:k] for k in range(1, 6))
    return frozenset(out)


def _mobile_prefix_ok(d: str) -> bool:
    return d[:5] in _mobile_prefixes()


@cache
def _area_codes() -> dict[str, tuple[int, ...]]:
    """Area code (with trunk 0) → the subscriber-number lengths used there."""
    candidates = ["10"] + [f"2{i}" for i in range(10)] + [str(i) for i in range(300, 1000)]
    codes: dict[str, tuple[int, ...]] = {}
    for c in candidates:
        lengths = tuple(n for n in (7, 8) if any(_FIXED_RE.fullmatch(c + f[:n]) for f in _FILLS))
        if lengths:
            codes["0" + c] = lengths
    return codes


@cache
def _area_code_prefixes() -> frozenset[str]:
    return frozenset(code[:k] for code in _area_codes() for k in range(1, len(code) + 1))


@cache
def _area_region(code: str) -> str:
    """Chinese place name of an area code, e.g. ``0352`` → ``山西省大同市``."""
    lengths = _area_codes().get(code)
    if not lengths:
        return ""
    for f in _FILLS:
        num = PhoneNumber(country_code=_CN, national_number=int(code[1:] + f[: lengths[0]]))
        if phonenumbers.is_valid_number(num):
            return str(geocoder.description_for_number(num, "zh"))
    return ""


def _split_area_code(d: str) -> int:
    """Length of the area code (with trunk 0) at the start of ``d``: 010/02x → 3, else 4."""
    return 3 if len(d) > 1 and d[1] in "12" else 4


@lru_cache(maxsize=256)
def _norm_area_code(area_code: str) -> str:
    digits = "".join(ch for ch in to_scan_form(area_code) if ch.isascii() and ch.isdigit())
    if digits and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def _len_text(lengths: Sequence[int]) -> str:
    return "或".join(str(n) for n in lengths)


def _count_text(want: Sequence[int], got: int) -> str:
    if got < min(want):
        return f"这里是{got}位（少了{min(want) - got}位）"
    return f"这里是{got}位（多了{got - max(want)}位）"


def _e164(num: PhoneNumber) -> str:
    return str(phonenumbers.format_number(num, PhoneNumberFormat.E164))


_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _cn_type(num: PhoneNumber) -> int:
    """``number_type`` of a +86 number; UNKNOWN exactly when ``is_valid_number`` is False."""
    return int(phonenumbers.number_type(num))


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


@dataclass
class _Parsed:
    """What ``check_phone`` pulled out of the input besides the digits."""

    notes: list[str]
    extension: str


def check_phone(text: str, area_code: str = "0352") -> PhoneCheck:
    """Check one phone number as typed or found; ``area_code`` is the paper's own (0352)."""
    return _check_cached(text, _norm_area_code(area_code))


# Large: an import checks tens of thousands of distinct numbers, each many times over.
@lru_cache(maxsize=1 << 17)
def _check_cached(text: str, area: str) -> PhoneCheck:
    s = to_scan_form(text)
    parsed = _Parsed(notes=[], extension="")

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
    if digits.startswith(("400", "800")) and len(digits) not in _DEFAULT_LOCAL_LENGTHS:
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
        e164=_e164(num) if (valid and num is not None) else None,
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
    num = PhoneNumber(country_code=_CN, national_number=int(d))
    if not shortnumberinfo.is_valid_short_number_for_region(num, "CN"):
        return None
    return _make(
        text, parsed, valid=True, display=d, kind="other", region="全国", extra_note="服务号码"
    )


def _mobile_prefix_reason(d: str) -> str:
    for k in range(3, min(5, len(d)) + 1):
        if not _mobile_prefix_ok(d[:k]):
            return f"号段 {d[:k]} 不是有效的手机号段"
    if len(d) < 3 and not _mobile_prefix_ok(d):
        return f"号段 {d} 不是有效的手机号段"
    return ""


def _mobile(text: str, parsed: _Parsed, d: str, area: str) -> PhoneCheck:
    n = len(d)
    if n < _MOBILE_LEN and not _mobile_prefix_ok(d):
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
    num = PhoneNumber(country_code=_CN, national_number=int(d))
    # The type is computed once (an invalid +86 number is UNKNOWN): is_valid_number,
    # description_for_number and name_for_number would each compute it again.
    if _cn_type(num) not in _MOBILE_TYPES:
        return _make(
            text, parsed, valid=False, reason="不是有效的手机号码", display=d, kind="mobile"
        )
    region = str(geocoder.description_for_valid_number(num, "zh"))
    home = _area_region(area)
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
        carrier_name=str(carrier.name_for_valid_number(num, "zh")),
        local=local,
        extra_note=note,
    )


def _landline(text: str, parsed: _Parsed, d: str, area: str) -> PhoneCheck:
    """``d`` starts with the trunk 0: area code + subscriber number."""
    code_len = _split_area_code(d)
    if len(d) < code_len:
        if d in _area_code_prefixes():
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
    lengths = _area_codes().get(code)
    if lengths is None:
        return _make(
            text, parsed, valid=False, reason=f"区号 {code} 不存在", display=d, kind="landline"
        )
    region = _area_region(code)
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
    num = PhoneNumber(country_code=_CN, national_number=int(d[1:]))
    num_type = _cn_type(num)
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
    if len(d) < min(_DEFAULT_LOCAL_LENGTHS):
        short = _short_number(text, parsed, d)
        if short is not None:
            return short
    lengths = _area_codes().get(area, _DEFAULT_LOCAL_LENGTHS)
    region = _area_region(area)
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
    num = PhoneNumber(country_code=_CN, national_number=int(area[1:] + d))
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
    num = PhoneNumber(country_code=_CN, national_number=int(d))
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
    region = str(geocoder.description_for_number(num, "zh"))
    return _make(
        text,
        parsed,
        valid=True,
        display=display,
        kind="other",
        num=num,
        region=region,
        carrier_name=str(carrier.name_for_number(num, "zh")),
        extra_note=f"境外号码：{region}" if region else "境外号码",
    )


# --------------------------------------------------------------------------- find_phones

# A run of digit groups joined by single separators (space, dash, dot — dash and dot may have
# a space either side), optionally led by "+86" or a parenthesised area code "(0352)".
_TOKEN_RE = re.compile(
    r"(?:\(\s?(?:\+\d{1,3}|0\d{2,3})\s?\)\s?-?\s?|\+\s?)?\d+(?:(?: ?[-.] ?| )\d+)*"
)
_GROUP_RE = re.compile(r"\(\s?(?P<pp>\+?)\s?(?P<pd>\d+)\s?\)|\+\s?(?P<cd>\d+)|(?P<d>\d+)")

_PHONE_LABEL_RE = re.compile(
    r"(?:(?:电话|手机|热线|座机|固话|联系方式|联系|咨询|垂询|订购|预约|报名|传真|电)(?:号码|号)?"
    r"|(?i:tel|phone|mobile|mob|cell|fax)\.?(?:\s?(?i:no)\.?)?|☎|☏|📞|✆)"
    r"(?:[/、](?:微信|手机|电话)(?:同号)?)?[\s:：]*$"
)
_EXCLUDE_LABEL_RE = re.compile(
    r"(?:许可证|证号|编号|执照|代码|备案|身份证|(?i:qq)|账号|帐号|卡号|单号|订单|文号|注册号|登记号"
    r"|批号|货号|型号|工号|学号|邮编|邮政编码|车牌|(?i:no))"
    r"[号码]*[\s:：#.]*(?:[A-Za-z]+[\s\-]?)?$"
)
_GLUED_LETTER_BEFORE_RE = re.compile(r"[A-Za-z][\-_/]?$|\b[A-Z]{2,}\s$")
_PRICE_BEFORE_RE = re.compile(
    r"(?:[￥¥$＄]|价格|售价|总价|单价|租金|月租|年租|报价|价钱|仅售|只要|仅需|(?i:rmb)|人民币|第)"
    r"[\s:：]*$"
)
_GLUED_AFTER_RE = re.compile(r"[A-Za-z]|\([A-Za-z]\)")
_UNIT_AFTER_RE = re.compile(
    r"[ \t\u3000]?(?:元|块|万|亿|千|百|角|[￥¥]|平|㎡|米|层|楼|号|栋|幢|单元|室|座|户|间|套|年|月|日|岁|周|人"
    r"|名|个|校|中|届|级|班|期|次|件|台|辆|部|张|本|斤|公斤|克|吨|升|亩|天|小时|分钟|秒|倍|折|度|℃"
    r"|[%‰])"
)
_EXT_AFTER_RE = re.compile(r"[ \-]*(?:转|分机)[ \-:：]*\d{1,6}")
_WECHAT_AFTER_RE = re.compile(
    r" *(?:[(\[] *)?(?:微信同号|同微信|微信同步)(?: *[)\]])?| *[(\[] *微信 *[)\]]"
)
_DATE8_RE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")

_CONTEXT = 16  # characters of context looked at before a number


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    digits: str
    lead: bool  # "+86" or "(0352)": a group that may only open a number
    sep_before: str  # "", "-" or "." ("" for a plain space or the token start)


def find_phones(text: str, area_code: str = "0352") -> list[PhoneMatch]:
    """Every phone number in an ad's running text, in order, valid or not.

    Local numbers without area code are found too; licence and ID numbers, dates, prices,
    areas and other counted things are not. A digit run that is plainly meant as a phone but
    is wrong is reported with ``check.valid`` False and the reason.
    """
    area = _norm_area_code(area_code)
    t = to_scan_form(text)
    out: list[PhoneMatch] = []
    pos = 0
    while True:
        m = _TOKEN_RE.search(t, pos)
        if m is None:
            break
        pos = max(m.end(), _scan_token(text, t, m, area, out))
    return out


def _groups(t: str, m: re.Match[str]) -> list[_Group]:
    groups: list[_Group] = []
    prev_end = m.start()
    for g in _GROUP_RE.finditer(t, m.start(), m.end()):
        between = t[prev_end : g.start()].strip()
        sep = between if between in ("-", ".") else ""
        if g.group("pd") is not None:
            digits, lead = (("+" if g.group("pp") else "") + g.group("pd")), True
        elif g.group("cd") is not None:
            digits, lead = "+" + g.group("cd"), True
        else:
            digits, lead = g.group("d"), False
        groups.append(_Group(g.start(), g.end(), digits, lead, sep))
        prev_end = g.end()
    return groups


def _ndigits(groups: Sequence[_Group]) -> int:
    return sum(len(g.digits.lstrip("+")) for g in groups)


def _shape_ok(groups: Sequence[_Group]) -> bool:
    """Multi-group numbers are grouped like phones (139 0352 8495), not like dates (2023-02-24)."""
    if len(groups) == 1:
        return True
    first, rest = groups[0], groups[1:]
    if not (first.lead or len(first.digits) >= 3):
        return False
    return all(len(g.digits) >= 3 and not g.lead for g in rest)


def _plausible(digits: str, labelled: bool) -> bool:
    """Could this digit run be meant as a phone number at all?"""
    plus = digits.startswith("+")
    d = digits.lstrip("+")
    n = len(d)
    if labelled and 5 <= n <= 13:
        return True
    if plus or d.startswith("00"):
        return 10 <= n <= 15
    if d.startswith("861") and n == 13:
        return True
    if d[0] == "1":
        return 7 <= n <= 12
    if d[0] == "0":
        return 10 <= n <= 12
    if d.startswith(("400", "800")):
        return 9 <= n <= 11
    return 7 <= n <= 8


def _opens_phone(g: _Group, labelled: bool) -> bool:
    """Does this group look like the first group of a spaced-out phone number?"""
    d = g.digits.lstrip("+")
    if g.lead or labelled:
        return True
    if len(d) in (3, 4) and d[0] == "0":
        return True
    if len(d) in (3, 4) and d[0] == "1" and _mobile_prefix_ok(d):
        return True
    return d in ("400", "800")


def _before(t: str, start: int) -> str:
    line_start = t.rfind("\n", 0, start) + 1
    return t[max(line_start, start - _CONTEXT) : start]


def _context_excludes(
    t: str,
    start: int,
    end: int,
    digits: str,
    check: PhoneCheck,
    first: bool,
    last: bool,
    labelled: bool,
) -> bool:
    """True when the text around the number says it is not a phone (licence, price, area…)."""
    strong_only = check.valid and len(digits.lstrip("+")) >= 10
    if first and not labelled:
        before = _before(t, start)
        if _EXCLUDE_LABEL_RE.search(before) or _GLUED_LETTER_BEFORE_RE.search(before):
            return True
        if not strong_only and _PRICE_BEFORE_RE.search(before):
            return True
    if last:
        if _GLUED_AFTER_RE.match(t, end):
            return True
        if not strong_only and _UNIT_AFTER_RE.match(t, end):
            return True
    return not labelled and len(digits) == 8 and bool(_DATE8_RE.fullmatch(digits))


def _scan_token(text: str, t: str, m: re.Match[str], area: str, out: list[PhoneMatch]) -> int:
    """Split one token into phone numbers and append them to ``out``; returns the end used."""
    groups = _groups(t, m)
    labelled = bool(_PHONE_LABEL_RE.search(_before(t, m.start())))
    n = len(groups)
    scan_end = m.end()
    i = 0
    while i < n:
        j, check = _piece_at(t, groups, i, area, labelled)
        if check is None:
            i = j
            continue
        piece = groups[i:j]
        start, end = piece[0].start, piece[-1].end
        check_text = t[start:end]
        if j == n:
            ext = _EXT_AFTER_RE.match(t, end)
            if ext:
                end = ext.end()
                check_text = t[start:end]
                scan_end = max(scan_end, end)
            wechat = _WECHAT_AFTER_RE.match(t, end)
            if wechat:
                check_text = check_text + " " + wechat.group(0).strip()
        if check_text != t[start:end] or end != piece[-1].end:
            check = check_phone(check_text, area)
        found = text[start:end]
        if check.input != found:
            check = replace(check, input=found)
        out.append(PhoneMatch(start, end, found, check))
        i = j
    return scan_end


def _piece_at(
    t: str, groups: Sequence[_Group], i: int, area: str, labelled: bool
) -> tuple[int, PhoneCheck | None]:
    """The phone number starting at ``groups[i]`` as (end group index, check).

    The longest valid number wins; failing that, a spaced-out run that opens like a phone
    (0352 539 312, 139 0352 849) or the single group, if it is plausibly meant as a phone.
    The check is None when there is no phone here; the index then says where to go on.
    """
    n = len(groups)
    ends: list[int] = []
    valid_end = _valid_piece_end(t, groups, i, area)
    if valid_end is not None:
        ends.append(valid_end)
    else:
        if _opens_phone(groups[i], labelled):
            for k in range(n, i + 1, -1):
                if _shape_ok(groups[i:k]) and _ndigits(groups[i:k]) <= 13:
                    ends.append(k)
                    break
        ends.append(i + 1)
    for j in ends:
        piece = groups[i:j]
        digits = "".join(g.digits for g in piece)
        if not _plausible(digits, labelled) or _decimal_neighbour(groups, i, j):
            continue
        start, end = piece[0].start, piece[-1].end
        check = check_phone(t[start:end], area)
        if _context_excludes(t, start, end, digits, check, i == 0, j == n, labelled):
            return j, None
        return j, check
    return i + 1, None


def _valid_piece_end(t: str, groups: Sequence[_Group], i: int, area: str) -> int | None:
    """The largest ``j`` such that ``groups[i:j]`` is one valid phone number, if any."""
    for j in range(min(len(groups), i + 6), i, -1):
        piece = groups[i:j]
        if not _shape_ok(piece) or _ndigits(piece) > 15:
            continue
        if check_phone(t[piece[0].start : piece[-1].end], area).valid:
            return j
    return None


def _decimal_neighbour(groups: Sequence[_Group], i: int, j: int) -> bool:
    """A piece next to ``.`` + a short group is part of a decimal or a date (91.60, 2023.2.24)."""
    if j < len(groups) and groups[j].sep_before == "." and len(groups[j].digits) < 3:
        return True
    return i > 0 and groups[i].sep_before == "." and len(groups[i - 1].digits) < 3
