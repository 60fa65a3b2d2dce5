"""Split pasted text (a whole column, or one customer's message) into ad drafts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adsdesk.domain.checks import AdCheck, ad_text, check_text
from adsdesk.domain.phone_find import PhoneMatch, find_phones
from adsdesk.domain.profile import PaperProfile
from adsdesk.domain.textnorm import to_halfwidth
from adsdesk.domain.wording import Finding

__all__ = [
    "Draft",
    "Masthead",
    "SplitResult",
    "guess_category",
    "make_draft",
    "merge_drafts",
    "repeated_drafts",
    "split_draft",
    "split_text",
]

# --------------------------------------------------------------------------- categories

# Housing words that turn 出售/出租 into a housing ad (not a car or a shop fitting for sale).
_HOUSING = (
    r"(?:平米|平方|㎡|m²|[0-9]\s*平(?!方)|楼房|住房|房子|房屋|新房|二手房|精装房|简装房|毛坯|公寓|"
    r"小区|楼层|户型|[0-9一二两三四五六]室|大红本|房本|产权|门面|商铺|商辅|底商|车库|院落|平房)"
)
_SALE = r"(?:出售|急售|低价售|转让|卖)"
_LET = r"(?:出租(?!车)|招租|租房|求租|转租)"

# category -> patterns; each distinct pattern found counts once (title hits count triple).
_CATEGORY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("遗失声明", (r"遗失", r"声明作废", r"作废声明", r"挂失")),
    ("公告", (r"敬告", r"公告", r"通告", r"启事", r"通知", r"告知书")),
    ("招聘", (r"招聘", r"诚聘", r"急聘", r"高薪聘", r"招工", r"聘用", r"招募")),
    ("房屋出租", (_LET, rf"{_LET}.*{_HOUSING}|{_HOUSING}.*{_LET}")),
    (
        "房屋出售",
        (r"售房|卖房|房屋出售|房产出售", rf"{_SALE}.*{_HOUSING}|{_HOUSING}.*{_SALE}"),
    ),
    ("养老服务", (r"养老", r"托养", r"护理院", r"敬老院", r"老年公寓", r"颐养", r"失能")),
    ("医疗体检", (r"医院", r"体检", r"诊所", r"门诊", r"医疗", r"口腔", r"牙科")),
    ("教育培训", (r"学院", r"培训", r"招生", r"学校", r"辅导", r"补习", r"家教", r"学历")),
    (
        "家居服务",
        (
            r"纱窗",
            r"安装",
            r"维修",
            r"开锁",
            r"换锁",
            r"疏通",
            r"保洁",
            r"搬家",
            r"家政",
            r"装修",
            r"防水",
            r"清洗",
            r"管道",
        ),
    ),
    ("食品", (r"豆腐", r"食品", r"熟食", r"糕点", r"月饼", r"粮油", r"杂粮", r"牛羊肉", r"面食")),
    ("酒类", (r"酒(?!店|精|楼|吧)", r"原浆", r"窖藏")),
)
_COMPILED_RULES = tuple(
    (name, tuple(re.compile(p, re.S) for p in patterns)) for name, patterns in _CATEGORY_RULES
)
_TITLE_WEIGHT = 3


def guess_category(title: str, body: str, categories: Sequence[str] | None = None) -> str:
    """The likeliest category from the ad's words, among ``categories`` (all known if None).

    Returns "" when no word points anywhere.
    """
    t = to_halfwidth(title)
    full = t + "\n" + to_halfwidth(body)  # 出售 in the title, 平米 in the body
    allowed = set(categories) if categories is not None else None
    best, best_score = "", 0
    for name, patterns in _COMPILED_RULES:
        if allowed is not None and name not in allowed:
            continue
        score = sum(_TITLE_WEIGHT * bool(p.search(t)) + bool(p.search(full)) for p in patterns)
        if score > best_score:
            best, best_score = name, score
    return best


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Masthead:
    """The column's masthead: section name and the desk's hotlines; not an ad."""

    title: str
    hotlines: tuple[str, ...]
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"title": self.title, "hotlines": list(self.hotlines)}


@dataclass(frozen=True)
class Draft:
    """One ad as split from the text, checked like a typed ad.

    ``start``/``end`` give the lines of the pasted text it came from; phone and finding
    offsets index ``ad_text(title, body)``.
    """

    title: str
    body: str
    category: str
    check: AdCheck
    start: int = 0
    end: int = 0

    @property
    def phones(self) -> list[PhoneMatch]:
        return list(self.check.phones)

    @property
    def findings(self) -> list[Finding]:
        return list(self.check.findings)

    @property
    def blocked(self) -> bool:
        return self.check.blocked

    def printed_phones(self) -> list[str]:
        """Each number once, as it will print (valid) or as written (invalid)."""
        out: list[str] = []
        for m in self.check.phones:
            shown = m.check.display if m.check.valid else m.text
            if shown not in out:
                out.append(shown)
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "body": self.body,
            "phones": self.printed_phones(),
            "category": self.category,
            "problems": [f.as_dict() for f in self.check.findings],
        }


@dataclass(frozen=True)
class SplitResult:
    drafts: list[Draft]
    masthead: Masthead | None
    section_headings: list[str] = field(default_factory=list)


def make_draft(
    title: str,
    body: str,
    category: str | None = None,
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    start: int = 0,
    end: int = 0,
) -> Draft:
    """A checked draft; ``category`` None means guess it from the words."""
    title, body = title.strip(), body.strip()
    if category is None:
        category = guess_category(title, body, categories)
    check = check_text(ad_text(title, body), category or None, area_code, refused)
    return Draft(title, body, category, check, start, end)


def merge_drafts(
    first: Draft,
    second: Draft,
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
) -> Draft:
    """One draft from two neighbours: the first one's title, the second's title kept as text."""
    title = first.title or second.title
    parts = [first.body]
    if first.title and second.title:
        parts.append(second.title)
    parts.append(second.body)
    body = "\n".join(p for p in parts if p)
    return make_draft(
        title,
        body,
        first.category or second.category,
        area_code=area_code,
        refused=refused,
        start=min(first.start, second.start),
        end=max(first.end, second.end),
    )


def split_draft(
    draft: Draft,
    at: int,
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
) -> tuple[Draft, Draft]:
    """Cut a draft's body at offset ``at``; a heading line opening the second part is its title."""
    head, tail = draft.body[:at].strip(), draft.body[at:].strip()
    lines = tail.split("\n")
    title2 = ""
    if len(lines) > 1 and _title_like(lines[0], area_code):
        title2, tail = lines[0].strip(), "\n".join(lines[1:])
    first, second = (
        make_draft(
            title,
            body,
            category,
            area_code=area_code,
            refused=refused,
            categories=categories,
            start=draft.start,
            end=draft.end,
        )
        for title, body, category in ((draft.title, head, draft.category), (title2, tail, None))
    )
    return first, second


# --------------------------------------------------------------------------- lines

_SENTENCE = "。,;!?:，；！？："  # on the half-width fold; 、 and spaces may stand in titles
_TERMINATORS = ("。", "!", "！", ")", "）", ".")
_SEPARATOR_RE = re.compile(r"^[\s\-=*_~—–·•.。…#]{3,}$")
_MARKED_RE = re.compile(
    r"^(?:\*\*(?P<b>[^*]+?)\*\*|__(?P<u>[^_]+?)__|【(?P<k>[^】]+)】|〖(?P<g>[^〗]+)〗"
    r"|#{1,6}\s+(?P<h>.+?)\s*#*$|[■◆★▲●]\s*(?P<s>\S.{0,19}?)$)\s*(?P<rest>.*)$"
)
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
# Lines that carry more contact details of the ad above them, never a new ad.
_CONTINUATION_RE = re.compile(
    r"^(?:地址|店址|厂址|门店|经销地址|营业地址|公司地址|微信|(?i:qq)|网址|邮箱|联系人|营业时间|"
    r"乘车|公交|电话|手机|热线|座机|固话|联系|咨询|传真|(?i:tel|phone))"
)
_PHONE_LABEL_ONLY_RE = re.compile(
    r"^(?:.{0,4}(?:电话|手机|热线|座机|固话|联系方式|联系|咨询|号码|(?i:tel|phone))[号码]*)?[\s:：]*$"
)
# What may follow a line's last phone without ending the line as "ending with a phone".
_TAIL_RE = re.compile(
    r"^[\s,，。.;；、]*(?:[(（\[]?\s*(?:微信同号|同微信|微信同步|微信)\s*[)）\]]?)?"
    r"[\s,，。.;；、]*(?:[\u4e00-\u9fff]{1,3}(?:先生|女士|小姐|师傅|经理|老师|总))?[\s,，。.;；、]*$"
)
_MASTHEAD_WORDS = (
    "便民信息",
    "分类广告",
    "分类信息",
    "便民广告",
    "便民服务",
    "广而告之",
    "信息超市",
)
_MASTHEAD_LABEL_RE = re.compile(
    r"广告热线|服务热线|咨询热线|热线|联系电话|电话|咨询|传真|(?i:tel)|[\s:：,，、/|·]"
)
_NOTICE_CATEGORIES = ("公告", "遗失声明")
# A lead word opening a one-line ad ("房屋出租：…", "寻物启事 …"): it is the ad's title.
_LEAD_RE = re.compile(r"^(?P<lead>[\u4e00-\u9fff]{2,8})(?:\s*[:：]\s*|\s+)(?P<rest>\S.*)$")
_LEAD_ENDINGS = (
    "启事",
    "声明",
    "公告",
    "通告",
    "通知",
    "敬告",
    "出租",
    "出售",
    "招租",
    "转让",
    "求购",
    "求租",
    "招聘",
    "诚聘",
    "急聘",
    "急售",
)
_FULL_STOPS = ("。", "!", "！")


@dataclass
class _Line:
    index: int
    raw: str
    start: int  # offset of the line in the pasted text
    end: int
    text: str  # cleaned: stripped, hard breaks gone
    blank: bool
    phones: list[PhoneMatch]
    marked_title: str | None = None  # **title**, 【title】, # title …
    marked_rest: str = ""


def _clean(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\\*", "*").strip()
    return line


def _fold(text: str) -> str:
    return to_halfwidth(text)


def _title_like(text: str, area_code: str) -> bool:
    """A short line with no sentence punctuation and no phone: a heading, if anything follows."""
    folded = _fold(text).strip().strip("*")
    if not 1 <= len(folded) <= 20:
        return False
    if any(ch in _SENTENCE for ch in folded):
        return False
    if _CONTINUATION_RE.match(folded):
        return False
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", folded):
        return False
    return not find_phones(text, area_code)


def _ends_with_phone(line: _Line) -> bool:
    if not line.phones:
        return False
    return bool(_TAIL_RE.match(line.text[line.phones[-1].end :]))


def _branch_shaped(line: _Line) -> bool:
    """ "Branch name + its phone": one of several outlets listed in one ad."""
    if not line.phones or not _ends_with_phone(line):
        return False
    label = line.text[: line.phones[0].start].strip().rstrip(":：").strip()
    if not 2 <= len(label) <= 16 or _PHONE_LABEL_ONLY_RE.match(label):
        return False
    return not any(ch in _SENTENCE for ch in _fold(label))


def _phone_label_line(line: _Line) -> bool:
    return bool(line.phones) and bool(_PHONE_LABEL_ONLY_RE.match(line.text[: line.phones[0].start]))


def _prose(line: _Line) -> bool:
    folded = _fold(line.text)
    return len(folded) >= 10 and any(ch in _SENTENCE for ch in folded)


def _masthead(line: _Line, section_names: Sequence[str], area_code: str) -> Masthead | None:
    text = _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), line.text)
    rest = text
    for m in reversed(find_phones(text, area_code)):
        rest = rest[: m.start] + " " + rest[m.end :]
    words = _MASTHEAD_LABEL_RE.sub("", _fold(rest)).strip("*【】〖〗[]()（）")
    names = tuple(section_names) + _MASTHEAD_WORDS
    if not words or len(words) > 12 or not any(n in words for n in names):
        return None
    phones = find_phones(text, area_code)
    if not phones and line.marked_title is None:
        return None
    title = next((n for n in names if n in words), words)
    hotlines = tuple(m.check.display if m.check.valid else m.text for m in phones)
    return Masthead(title, hotlines, line.start, line.end)


def _read_lines(text: str, area_code: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for i, raw in enumerate(text.splitlines(keepends=True)):
        body = raw.rstrip("\r\n")
        cleaned = _clean(body)
        line = _Line(i, body, pos, pos + len(body), cleaned, not cleaned, [])
        pos += len(raw)
        if line.blank:
            out.append(line)
            continue
        m = _MARKED_RE.match(cleaned)
        if m:
            title = next(g for g in (m.group(k) for k in "bukghs") if g is not None)
            line.marked_title = title.strip()
            line.marked_rest = m.group("rest").strip()
        line.phones = find_phones(cleaned, area_code)
        out.append(line)
    return out


# --------------------------------------------------------------------------- splitting


@dataclass
class _Open:
    title: str = ""
    lines: list[_Line] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    phones: int = 0
    closed: bool = False  # a notice heading was attached: the next line opens a new ad
    lead: bool = False  # opened by a lead word on the line itself ("寻物启事：…")
    category: str | None = None  # from a section heading above it
    start: int = -1
    end: int = -1

    def add(self, line: _Line, text: str, phones: int) -> None:
        if self.start < 0:
            self.start = line.start
        self.end = line.end
        self.lines.append(line)
        if text:
            self.body.append(text)
        self.phones += phones

    def last(self) -> _Line | None:
        return self.lines[-1] if self.lines else None

    def empty(self) -> bool:
        return not self.title and not self.body


def _strip_markup(text: str) -> str:
    return _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), text).strip()


def _norm_out(text: str) -> str:
    """Full-width digits and Latin letters to half-width (punctuation stays Chinese)."""
    return "".join(
        chr(ord(ch) - 0xFEE0)
        if ("０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ")
        else ch
        for ch in text
    )


class _Splitter:
    def __init__(
        self,
        lines: list[_Line],
        categories: Sequence[str],
        section_names: Sequence[str],
        area_code: str,
    ):
        self.area_code = area_code
        self.lines = lines
        self.categories = list(categories)
        self.section_names = section_names
        self.drafts: list[_Open] = []
        self.masthead: Masthead | None = None
        self.headings: list[str] = []
        self.section: str | None = None
        self.cur: _Open | None = None

    # -- look-ahead helpers
    def _next(self, i: int) -> _Line | None:
        for line in self.lines[i + 1 :]:
            if not line.blank:
                return line
        return None

    def _paragraph_after(self, i: int) -> str:
        nxt = self._next(i)
        if nxt is None:
            return ""
        texts = []
        for line in self.lines[nxt.index : nxt.index + 5]:
            if line.blank:
                break
            texts.append(line.text)
        return "\n".join(texts)

    def _is_title_line(self, line: _Line | None) -> bool:
        return line is not None and (line.marked_title is not None or self._heading(line))

    def _heading(self, line: _Line) -> bool:
        """A plain heading: title-like and followed by a line of body text."""
        if line.marked_title is not None or not _title_like(line.text, self.area_code):
            return False
        nxt = self._next(line.index)
        return (
            nxt is not None
            and nxt.marked_title is None
            and not _SEPARATOR_RE.match(nxt.text)
            and _masthead(nxt, self.section_names, self.area_code) is None
        )

    def _section_heading(self, line: _Line, title: str) -> bool:
        """A category name standing over the ads below it (followed by another title)."""
        if title not in self.categories:
            return False
        nxt = self._next(line.index)
        return nxt is not None and (
            nxt.marked_title is not None
            or (_title_like(nxt.text, self.area_code) and self._heading(nxt))
        )

    def _tail(self, line: _Line) -> bool:
        """A short phoneless line closing an ad (a slogan): the next thing is a title or the end."""
        if line.phones or len(_fold(line.text)) > 20 or _prose(line):
            return False
        nxt = self._next(line.index)
        return nxt is None or self._is_title_line(nxt) or _SEPARATOR_RE.match(nxt.text) is not None

    # -- the walk
    def run(self) -> None:
        after_blank = True
        for line in self.lines:
            if line.blank:
                after_blank = True
                continue
            self._line(line, after_blank)
            after_blank = False
        self._close()

    def _close(self) -> None:
        if self.cur is not None and not self.cur.empty():
            self.drafts.append(self.cur)
        self.cur = None

    def _open(self, title: str = "") -> _Open:
        self._close()
        self.cur = _Open(title=title, category=self.section)
        return self.cur

    def _lead(self, line: _Line) -> tuple[str, str] | None:
        """(lead word, rest) when the line opens with a lead word naming a new ad."""
        m = _LEAD_RE.match(_strip_markup(line.text))
        if m is None:
            return None
        lead = m.group("lead")
        if lead not in self.categories and not lead.endswith(_LEAD_ENDINGS):
            return None
        return lead, m.group("rest").strip()

    def _ends_lead_ad(self, cur: _Open, line: _Line) -> bool:
        """After a one-line ad opened by a lead word, does this line start another ad?

        It does unless it carries the ad's contact details; when the ad's line ended with a
        full stop, or the new line plainly is another kind of ad (家电维修 after 寻物启事).
        """
        prev = cur.last()
        if not cur.lead or prev is None or len(cur.lines) != 1:
            return False
        folded = _fold(line.text)
        if _CONTINUATION_RE.match(folded) or _phone_label_line(line) or self._tail(line):
            return False
        if prev.text.rstrip().endswith(_FULL_STOPS):
            return True
        kind = guess_category(cur.title, "\n".join(cur.body), self.categories or None)
        other = guess_category("", line.text, self.categories or None)
        return bool(other) and other != kind

    def _line(self, line: _Line, after_blank: bool) -> None:
        if _SEPARATOR_RE.match(line.text):
            self._close()
            return
        masthead = _masthead(line, self.section_names, self.area_code)
        if masthead is not None:
            self.masthead = self.masthead or masthead
            self._close()
            return
        if line.marked_title is not None:
            self._marked(line)
            return
        text = _strip_markup(line.text)
        if _title_like(line.text, self.area_code) and self._section_heading(line, text):
            self.headings.append(text)
            self.section = text
            self._close()
            return
        cur = self.cur
        lead = self._lead(line)
        if lead is not None and not (cur is not None and cur.title and not cur.body):
            opened = self._open(lead[0])
            opened.lead = True
            opened.add(line, lead[1], len(line.phones))
            return
        if cur is not None and not cur.empty() and self._ends_lead_ad(cur, line):
            if self._heading(line):
                self._open(text).add(line, "", 0)
            else:
                self._open().add(line, text, len(line.phones))
            return
        if cur is None or cur.empty():
            if self._heading(line):
                self._open(text).add(line, "", 0)
            else:
                (cur or self._open()).add(line, text, len(line.phones))
            return
        if self._starts_new(cur, line, after_blank):
            if self._heading(line):
                self._open(text).add(line, "", 0)
            else:
                self._open().add(line, text, len(line.phones))
            return
        if self._heading(line) and self._attach_notice_title(cur, line, text):
            return
        cur.add(line, text, len(line.phones))

    def _marked(self, line: _Line) -> None:
        title = _strip_markup(line.marked_title or "")
        rest = _strip_markup(line.marked_rest)
        if not rest and self._section_heading(line, title):
            self.headings.append(title)
            self.section = title
            self._close()
            return
        cur = self.cur
        prev = cur.last() if cur is not None else None
        if (
            cur is not None
            and cur.title
            and not cur.body
            and prev is not None
            and prev.index == line.index - 1
            and prev.marked_title is not None
            and not rest
        ):
            cur.title = f"{cur.title} {title}"  # a title set on two lines
            cur.add(line, "", 0)
            return
        self._open(title).add(line, rest, len(line.phones))

    def _starts_new(self, cur: _Open, line: _Line, after_blank: bool) -> bool:
        if cur.closed:
            return True
        prev = cur.last()
        heading = self._heading(line)
        if prev is not None and prev.phones and _ends_with_phone(prev):
            if _CONTINUATION_RE.match(_fold(line.text)) or _phone_label_line(line):
                return False
            if _branch_shaped(line) and (_branch_shaped(prev) or prev.marked_title is not None):
                return False
            if self._tail(line):
                return False
            if after_blank or heading:
                return True
            return bool(line.phones and not _branch_shaped(line)) or _prose(line)
        if heading:
            if cur.title and not cur.body:
                return False  # the first line under a title
            if cur.phones or not cur.title:
                return not self._notice_belongs_above(cur, line)
            # A titled ad without a phone (a lost notice) ends with a full stop; a heading
            # whose only text is a contact line is the ad's own last lines, not a new ad.
            last = cur.body[-1] if cur.body else ""
            nxt = self._next(line.index)
            contact = nxt is not None and (
                _CONTINUATION_RE.match(_fold(nxt.text)) is not None or _phone_label_line(nxt)
            )
            return last.endswith(_TERMINATORS) and not contact
        return False

    def _notice_belongs_above(self, cur: _Open, line: _Line) -> bool:
        """A notice word (敬告, 遗失声明…) after an untitled, phoneless notice names that notice.

        Reading order is often lost when a page becomes text: the heading then lands after
        the text it heads. It goes up when the text below it is plainly another kind of ad.
        """
        if cur.title or cur.phones or not cur.body:
            return False
        heading = _strip_markup(line.text)
        kind = guess_category(heading, "", _NOTICE_CATEGORIES)
        if not kind:
            return False
        above = guess_category("", "\n".join(cur.body), self.categories or None)
        below = guess_category("", self._paragraph_after(line.index), self.categories or None)
        return above in ("", kind) and below not in ("", kind)

    def _attach_notice_title(self, cur: _Open, line: _Line, text: str) -> bool:
        if not self._notice_belongs_above(cur, line):
            return False
        cur.title = text
        cur.add(line, "", 0)
        cur.closed = True
        return True


def split_text(
    text: str,
    profile: PaperProfile,
    categories: Sequence[str] | None = None,
    refused: Mapping[str, str] | None = None,
) -> SplitResult:
    """Split pasted text into checked ad drafts, in order, and recognise the masthead.

    Handles titles on their own line or marked (``**bold**``, 【】, ``#``), blank lines
    between ads or none, several branches with their own numbers in one ad, full-width
    digits and punctuation. ``categories`` is the desk's vocabulary for the guesses.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    vocabulary = list(categories) if categories is not None else [n for n, _ in _CATEGORY_RULES]
    splitter = _Splitter(
        _read_lines(text, profile.area_code), vocabulary, (profile.section_name,), profile.area_code
    )
    splitter.run()
    drafts = []
    for opened in splitter.drafts:
        title = _norm_out(opened.title)
        body = _norm_out("\n".join(opened.body))
        if not body and not title:
            continue
        category = opened.category
        if category is None:
            category = guess_category(title, body, vocabulary)
        drafts.append(
            make_draft(
                title,
                body,
                category,
                area_code=profile.area_code,
                refused=refused,
                start=opened.start,
                end=opened.end,
            )
        )
    return SplitResult(drafts, splitter.masthead, splitter.headings)


def repeated_drafts(drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Drafts that repeat another one (same phone or near-same text): index -> messages.

    A pasted column often holds the same ad twice; the desk wants that seen before saving.
    """
    from adsdesk.domain.duplicates import BookedAd, duplicates_in_issue

    day = "paste"
    ads = [
        BookedAd(
            ad_id=None,
            title=d.title,
            body=d.body,
            phones=tuple(m.check.e164 for m in d.phones if m.check.valid and m.check.e164),
            dates=(day,),
        )
        for d in drafts
    ]
    out: dict[int, list[str]] = {}
    for i, j, dup in duplicates_in_issue(ads, day):
        what = "内容相同" if dup.reason == "same_text" else "电话相同"
        out.setdefault(i, []).append(f"与第 {j + 1} 则{what}，可能重复")
        out.setdefault(j, []).append(f"与第 {i + 1} 则{what}，可能重复")
    return out
