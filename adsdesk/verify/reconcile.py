"""Find each booked ad in the printed text: found, missing, altered, duplicated, extra.

How: every column chain of the PDF is reduced to its skeleton (see ``normalize``) and joined
into one stream. Each booked ad's skeleton votes, by shared three-character pieces, for the
places in the stream where it may stand; each place is aligned character by character and
widened to whole lines. Places are then handed out best first, one ad per line, so a phone
number (or a sentence) printed in one ad never counts for another. An ad's phones and text
are checked only inside its own place. What is left inside the section and is not its
masthead or a category heading, but carries a phone number or a few words, is ``extra``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from adsdesk.verify.normalize import digit_runs, edit_distance, phone_digits, skel
from adsdesk.verify.pdftext import PT_PER_MM, PdfText, PrintedLine

GRAM = 3
COMMON_GRAM = 80  # a piece printed this often says nothing about where an ad stands
ACCEPT = 0.5  # share of the booked characters that must line up for "printed here"
REPRINT = 0.8  # a second place must match this well to count as printed twice


@dataclass(frozen=True)
class Booking:
    """An ad booked on the issue, as the desk holds it."""

    id: int
    title: str
    body: str
    phones: tuple[str, ...]  # print forms, e.g. 0352-5393120
    advertiser: str = ""
    advertiser_id: int | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}" if self.title else self.body


@dataclass(frozen=True)
class Box:
    page: int
    x: float  # mm from the page's left edge
    y: float  # mm from the page's top edge
    w: float
    h: float

    def as_dict(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


@dataclass(frozen=True)
class Alteration:
    id: int
    field: str  # "phone" | "text"
    booked: str
    printed: str
    diff: tuple[tuple[str, str, str], ...]  # (op, booked chars, printed chars)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "field": self.field,
            "booked": self.booked,
            "printed": self.printed,
            "diff": [{"op": op, "booked": b, "printed": p} for op, b, p in self.diff],
        }

    def marked(self) -> str:
        """The difference written inline: 价格面[议→谈], 1880352186[8→3]."""
        return "".join(b if op == "equal" else f"[{b or '∅'}→{p or '∅'}]" for op, b, p in self.diff)


@dataclass(frozen=True)
class Found:
    id: int
    box: Box
    printed: str  # the printed lines of the ad, as read
    title_not_text: bool = False  # the title is not in the text layer (set as an image?)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "page": self.box.page,
            "box_mm": self.box.as_dict(),
        }
        if self.title_not_text:
            out["note"] = "标题不是文字（可能排成了图片），未核对标题"
        return out


@dataclass(frozen=True)
class Extra:
    page: int
    text: str
    box: Box

    def as_dict(self) -> dict[str, object]:
        return {"page": self.page, "text": self.text, "box_mm": self.box.as_dict()}


@dataclass
class Report:
    date: dt.date
    pages: int
    bookings: list[Booking]
    found: list[Found] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    altered: list[Alteration] = field(default_factory=list)
    duplicated: list[int] = field(default_factory=list)
    extra: list[Extra] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)  # pt

    @property
    def clean(self) -> bool:
        """Everything booked was found, unaltered and once."""
        return not (self.missing or self.altered or self.duplicated)

    def found_of(self, ad_id: int) -> Found | None:
        return next((f for f in self.found if f.id == ad_id), None)

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "pages": self.pages,
            "booked": len(self.bookings),
            "found": [f.as_dict() for f in self.found],
            "missing": list(self.missing),
            "altered": [a.as_dict() for a in self.altered],
            "duplicated": list(self.duplicated),
            "extra": [e.as_dict() for e in self.extra],
        }


@dataclass
class _Stream:
    text: str
    line_of: list[int]  # stream index → line index (-1 between chains)
    line_span: dict[int, tuple[int, int]]
    line_next: dict[int, int]  # the line under it in its chain
    grams: dict[str, list[int]]


@dataclass
class _Place:
    booking: int  # index into bookings
    start: int
    end: int
    lines: tuple[int, ...]
    score: float
    matched: int
    suffix_lost: int  # booked characters after the last aligned one


def _stream(pdf: PdfText) -> _Stream:
    parts: list[str] = []
    line_of: list[int] = []
    spans: dict[int, tuple[int, int]] = {}
    nxt: dict[int, int] = {}
    pos = 0
    for chain in pdf.chains:
        for k, li in enumerate(chain):
            s = skel(pdf.lines[li].text)
            spans[li] = (pos, pos + len(s))
            parts.append(s)
            line_of.extend([li] * len(s))
            pos += len(s)
            if k + 1 < len(chain):
                nxt[li] = chain[k + 1]
        parts.append("\0")
        line_of.append(-1)
        pos += 1
    text = "".join(parts)
    grams: dict[str, list[int]] = defaultdict(list)
    for i in range(len(text) - GRAM + 1):
        g = text[i : i + GRAM]
        if "\0" not in g:
            grams[g].append(i)
    return _Stream(text, line_of, spans, nxt, grams)


def _places(index: int, booked: str, st: _Stream) -> list[_Place]:
    """Every place in the stream where this skeleton may be printed, scored."""
    n = len(booked)
    if n == 0:
        return []
    votes: list[tuple[int, int]] = []
    q = min(GRAM, n)
    for i in range(n - q + 1):
        hits = st.grams.get(booked[i : i + GRAM], []) if q == GRAM else _scan(st.text, booked)
        if len(hits) <= COMMON_GRAM:
            votes.extend((j - i, i) for j in hits)
    if not votes:
        return []
    votes.sort()
    tol = max(6, n // 4)
    clusters: list[list[tuple[int, int]]] = [[votes[0]]]
    for v in votes[1:]:
        if v[0] - clusters[-1][-1][0] <= tol:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    need = max(2, int(0.15 * (n - q + 1)))
    out: list[_Place] = []
    for cl in clusters:
        if len({i for _, i in cl}) < need:
            continue
        lo = max(0, cl[0][0] - 4)
        hi = min(len(st.text), cl[-1][0] + n + 4)
        place = _align(index, booked, st, lo, hi)
        if place is not None and place.score >= ACCEPT:
            out.append(place)
    # overlapping windows can find one place twice: keep the better
    out.sort(key=lambda p: (-p.score, -p.matched))
    kept: list[_Place] = []
    for p in out:
        if all(not set(p.lines) & set(k.lines) for k in kept):
            kept.append(p)
    return kept


def _scan(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def _align(index: int, booked: str, st: _Stream, lo: int, hi: int) -> _Place | None:
    window = st.text[lo:hi]
    blocks = [
        b
        for b in SequenceMatcher(None, booked, window, autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return None
    # the run of blocks around the longest one; strays far off in the window are dropped
    core = max(range(len(blocks)), key=lambda k: blocks[k].size)
    first = last = core

    def joinable(a: int, b: int) -> bool:
        gap_s = blocks[b].a - (blocks[a].a + blocks[a].size)
        gap_w = blocks[b].b - (blocks[a].b + blocks[a].size)
        return gap_w <= max(6, 2 * gap_s + 4)

    while first > 0 and joinable(first - 1, first):
        first -= 1
    while last + 1 < len(blocks) and joinable(last, last + 1):
        last += 1
    chosen = blocks[first : last + 1]
    matched = sum(b.size for b in chosen)
    start = lo + chosen[0].b
    end = lo + chosen[-1].b + chosen[-1].size
    lines = sorted({li for li in st.line_of[start:end] if li >= 0})
    if not lines:
        return None
    ordered = _in_stream_order(lines, st)
    start = st.line_span[ordered[0]][0]
    end = st.line_span[ordered[-1]][1]
    return _Place(
        booking=index,
        start=start,
        end=end,
        lines=tuple(ordered),
        score=matched / len(booked),
        matched=matched,
        suffix_lost=len(booked) - (chosen[-1].a + chosen[-1].size),
    )


def _in_stream_order(lines: Sequence[int], st: _Stream) -> list[int]:
    return sorted(lines, key=lambda li: st.line_span[li][0])


def reconcile(
    pdf: PdfText, bookings: Sequence[Booking], date: dt.date, chrome: Sequence[str] = ()
) -> Report:
    """Match ``bookings`` against the printed text; ``chrome`` lists the section's own words
    (section and paper name, category headings, hotlines) that are never an extra ad."""
    st = _stream(pdf)
    skels = [skel(b.text) for b in bookings]
    candidates = [p for k, s in enumerate(skels) for p in _places(k, s, st)]
    candidates.sort(key=lambda p: (-p.score, -p.matched))
    taken: dict[int, int] = {}  # line → booking index
    assigned: dict[int, list[_Place]] = defaultdict(list)
    for round_ in (1, 2):  # first one place per ad, then second printings
        for p in candidates:
            if p in assigned[p.booking]:
                continue
            if round_ == 1 and assigned[p.booking]:
                continue
            if round_ == 2 and p.score < REPRINT:
                continue
            if any(li in taken for li in p.lines):
                continue
            assigned[p.booking].append(p)
            for li in p.lines:
                taken[li] = p.booking
    _attach_cut_tails(assigned, st, taken, pdf, chrome)
    report = Report(
        date=date, pages=pdf.pages, bookings=list(bookings), page_sizes=list(pdf.page_sizes)
    )
    for k, b in enumerate(bookings):
        places = sorted(assigned.get(k, []), key=lambda p: p.start)
        if not places:
            report.missing.append(b.id)
            continue
        first = min(places, key=lambda p: (-p.score, p.start))
        alterations, title_gone = _compare(
            b, skels[k], st.text[first.start : first.end], pdf, first
        )
        report.found.append(
            Found(
                id=b.id,
                box=_box(pdf, first.lines),
                printed="\n".join(pdf.lines[li].text for li in first.lines),
                title_not_text=title_gone,
            )
        )
        report.altered.extend(alterations)
        if len(places) > 1:
            report.duplicated.append(b.id)
    report.extra = _extras(pdf, st, taken, chrome)
    return report


def _attach_cut_tails(
    assigned: dict[int, list[_Place]],
    st: _Stream,
    taken: dict[int, int],
    pdf: PdfText,
    chrome: Sequence[str],
) -> None:
    """Lines right under an ad whose end did not line up belong to that ad (a changed ending),
    unless they are another ad's, a heading, or carry more than the missing characters."""
    for places in assigned.values():
        for idx, p in enumerate(places):
            lost = p.suffix_lost
            lines = list(p.lines)
            li = lines[-1]
            while lost > 0 and li in st.line_next:
                li = st.line_next[li]
                if li in taken or _is_chrome(pdf.lines[li].text, chrome):
                    break
                lines.append(li)
                taken[li] = p.booking
                lost -= max(1, len(skel(pdf.lines[li].text)))
            if len(lines) != len(p.lines):
                places[idx] = _Place(
                    p.booking,
                    p.start,
                    st.line_span[lines[-1]][1],
                    tuple(lines),
                    p.score,
                    p.matched,
                    0,
                )


def _compare(
    b: Booking, booked: str, printed: str, pdf: PdfText, place: _Place
) -> tuple[list[Alteration], bool]:
    printed = printed.replace("\0", "")
    out: list[Alteration] = []
    phone_ranges: list[tuple[int, int]] = []
    for display in b.phones:
        d = phone_digits(display)
        if not d:
            continue
        at = booked.find(d)
        while at >= 0:
            phone_ranges.append((at, at + len(d)))
            at = booked.find(d, at + 1)
        if d in printed:
            continue
        seen = _nearest_number(d, printed)
        ops = _diff(d, seen)
        out.append(Alteration(b.id, "phone", display, seen, ops))
    title = skel(b.title)
    title_gone = False
    kept: list[tuple[str, int, int, int, int]] = []
    for op in SequenceMatcher(None, booked, printed, autojunk=False).get_opcodes():
        tag, i1, i2 = op[0], op[1], op[2]
        if tag == "equal":
            continue
        if title and tag == "delete" and i1 == 0 and i2 == len(title):
            title_gone = True
            continue
        if any((i1 < e and s < i2) or (i1 == i2 and s <= i1 <= e) for s, e in phone_ranges):
            continue  # inside a booked phone number: reported as that phone
        kept.append(op)
    if kept:
        ops = _diff(booked, printed)
        printed_text = "\n".join(pdf.lines[li].text for li in place.lines)
        out.append(Alteration(b.id, "text", b.text, printed_text, ops))
    return out, title_gone


def _nearest_number(digits: str, printed: str) -> str:
    """The printed digit string closest to a booked number ("" when none is near)."""
    best, best_d = "", len(digits) // 3 + 1
    for s, e in digit_runs(printed, max(4, len(digits) - 3)):
        run = printed[s:e]
        for length in (len(digits), len(digits) - 1, len(digits) + 1):
            for k in range(0, max(1, len(run) - length + 1)):
                piece = run[k : k + length]
                d = edit_distance(digits, piece)
                if d < best_d:
                    best, best_d = piece, d
    return best


def _diff(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (tag, a[i1:i2], b[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    )


def _box(pdf: PdfText, lines: Sequence[int]) -> Box:
    ls = [pdf.lines[i] for i in lines]
    page = ls[0].page
    ls = [x for x in ls if x.page == page]
    x0 = min(x.x0 for x in ls)
    y0 = min(x.top for x in ls)
    x1 = max(x.x1 for x in ls)
    y1 = max(x.bottom for x in ls)
    return Box(
        page,
        round(x0 / PT_PER_MM, 1),
        round(y0 / PT_PER_MM, 1),
        round((x1 - x0) / PT_PER_MM, 1),
        round((y1 - y0) / PT_PER_MM, 1),
    )


def _chrome_skeletons(chrome: Sequence[str]) -> list[str]:
    out = {skel(c) for c in chrome} | {"广告热线", "热线", "电话"}
    return sorted((c for c in out if c), key=len, reverse=True)


def _is_chrome(text: str, chrome: Sequence[str]) -> bool:
    s = skel(text)
    for c in _chrome_skeletons(chrome):
        s = s.replace(c, "")
    return not s


def _extras(pdf: PdfText, st: _Stream, taken: dict[int, int], chrome: Sequence[str]) -> list[Extra]:
    """Leftover lines inside the section's area that look like an ad or carry a number."""
    area: dict[int, list[float]] = {}
    for li in taken:
        ln = pdf.lines[li]
        a = area.setdefault(ln.page, [ln.x0, ln.top, ln.x1, ln.bottom])
        a[0], a[1] = min(a[0], ln.x0), min(a[1], ln.top)
        a[2], a[3] = max(a[2], ln.x1), max(a[3], ln.bottom)

    def inside(ln: PrintedLine) -> bool:
        a = area.get(ln.page)
        if a is None:
            return False
        cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        return a[0] - 2 <= cx <= a[2] + 2 and a[1] - 2 <= cy <= a[3] + 2

    out: list[Extra] = []
    for chain in pdf.chains:
        chunk: list[int] = []
        for li in [*chain, -1]:
            row = pdf.lines[li] if li >= 0 else None
            if (
                row is not None
                and li not in taken
                and inside(row)
                and not _is_chrome(row.text, chrome)
            ):
                chunk.append(li)
                continue
            if chunk:
                text = "".join(pdf.lines[i].text for i in chunk)
                s = skel(text)
                if digit_runs(s) or len(s) >= 6:
                    out.append(Extra(pdf.lines[chunk[0]].page, text, _box(pdf, chunk)))
                chunk = []
    return out
