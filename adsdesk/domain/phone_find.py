"""Finding every phone number in an ad's running text, local numbers included."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from adsdesk.domain.phone_check import PhoneCheck, check_phone
from adsdesk.domain.phone_data import mobile_prefix_ok, norm_area_code
from adsdesk.domain.textnorm import to_scan_form


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
# Approval and licence numbers (医广【2023】第…号, 国食健广审(视)第…号, 准字, 许可证 …): any
# digits that follow on the same line, however grouped, belong to the number, not a phone.
_APPROVAL_BEFORE_RE = re.compile(
    r"(?:医广|广审|药广|械广|食健|准字|注准|备字|许可证|信用代码|社会信用|执照|审查证明|批准文号"
    r"|审批号|登记证|备案号)[^\n，,。；;：:电话手机热线联系]{0,24}$"
)
_ORDINAL_BEFORE_RE = re.compile(r"第[\s]*$")
_ORDINAL_AFTER_RE = re.compile(r"[\s]*号")
# A number written digit by digit: "4 0 0 8 - 3 9 1 …", "1 3 9 3 5 2 …" (seven digits or more).
_SPACED_RE = re.compile(r"(?<![\d])\d(?:(?: *[-.] *| +)\d){6,14}(?![\d])")
SPACED_NOTE = "号码被逐位拆开书写（诈骗小广告常用此法躲避核查），请向客户核实后写成连续数字"
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
_SHORTEST = 5  # digits of the shortest number _plausible accepts, even when labelled


class _Group(NamedTuple):  # made for every digit run looked at: a tuple is quickest to make
    start: int
    end: int
    digits: str
    lead: bool  # "+86" or "(0352)": a group that may only open a number
    sep_before: str  # "", "-" or "." ("" for a plain space or the token start)


def find_phones(text: str, area_code: str) -> list[PhoneMatch]:
    """Every phone number in an ad's running text, in order, valid or not.

    Local numbers without area code are found too; licence and ID numbers, dates, prices,
    areas and other counted things are not. A digit run that is plainly meant as a phone but
    is wrong is reported with ``check.valid`` False and the reason.
    """
    area = norm_area_code(area_code)
    t = to_scan_form(text)
    out: list[PhoneMatch] = []
    pos = 0
    while True:
        m = _TOKEN_RE.search(t, pos)
        if m is None:
            break
        if m.end() - m.start() < _SHORTEST and m.group().isdigit():
            pos = m.end()  # a lone run of 1-4 digits (12号楼, 90平米) is never a phone
            continue
        pos = max(m.end(), _scan_token(text, t, m, area, out))
    spaced = _spaced_numbers(text, t, area, out)
    return sorted(out + spaced, key=lambda p: p.start) if spaced else out


def _spaced_numbers(text: str, t: str, area: str, found: Sequence[PhoneMatch]) -> list[PhoneMatch]:
    """Numbers written digit by digit, found for the clerk to review (never passed silently)."""
    out: list[PhoneMatch] = []
    for m in _SPACED_RE.finditer(t):
        if any(p.start < m.end() and m.start() < p.end for p in found):
            continue
        if _APPROVAL_BEFORE_RE.search(t[max(0, m.start() - 40) : m.start()]):
            continue
        digits = re.sub(r"\D", "", m.group(0))
        check = check_phone(digits, area)
        note = "；".join(x for x in (check.note, SPACED_NOTE) if x)
        check = replace(check, input=text[m.start() : m.end()], note=note)
        out.append(PhoneMatch(m.start(), m.end(), text[m.start() : m.end()], check))
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


def _shape_ok(groups: Sequence[_Group], open_end: bool = False) -> bool:
    """Multi-group numbers are grouped like phones (139 0352 8495), not like dates (2023-02-24).

    ``open_end``: the last group ends the text's run of digits, so it may still be short
    ("139 3521 66" while the clerk types the last digits).
    """
    if len(groups) == 1:
        return True
    first, rest = groups[0], groups[1:]
    if not (first.lead or len(first.digits) >= 3):
        return False
    if open_end and len(rest) >= 2 and not rest[-1].lead:
        rest = rest[:-1]
    return all(len(g.digits) >= 3 and not g.lead for g in rest)


def _plausible(digits: str, labelled: bool) -> bool:
    """Could this digit run be meant as a phone number at all?"""
    plus = digits.startswith("+")
    d = digits.lstrip("+")
    n = len(d)
    if labelled and 5 <= n <= 13:
        return True
    if plus and d.startswith("86") and n > 2:
        return True  # "+86" then a number, however short: meant as a phone, checked as one
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
    if len(d) in (3, 4) and d[0] == "1" and mobile_prefix_ok(d):
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
        wide = t[max(t.rfind("\n", 0, start) + 1, start - 40) : start]
        if _APPROVAL_BEFORE_RE.search(wide):
            return True
        if _ORDINAL_BEFORE_RE.search(before) and _ORDINAL_AFTER_RE.match(t, end):
            return True  # 第…号 numbers a document, never a phone
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
                if _shape_ok(groups[i:k], open_end=k == n) and _ndigits(groups[i:k]) <= 13:
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
