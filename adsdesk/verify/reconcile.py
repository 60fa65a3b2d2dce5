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
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
    line_block: dict[int, int]  # lines set closely one under another share a block
    block_chars: dict[int, int]  # skeleton characters in each block
    grams: dict[str, list[int]]


@dataclass
class _Place:
    booking: int  # index into bookings
    start: int
    end: int
    lines: tuple[int, ...]
    score: float  # share of the booked characters seen here
    matched: int
    suffix_lost: int  # booked characters after the last one seen
    purity: float = 1.0  # share of the printed block that is this ad's text


def _stream(pdf: PdfText) -> _Stream:
    parts: list[str] = []
    line_of: list[int] = []
    spans: dict[int, tuple[int, int]] = {}
    nxt: dict[int, int] = {}
    block_of: dict[int, int] = {}
    block_chars: dict[int, int] = defaultdict(int)
    pos = 0
    block = 0
    for chain in pdf.chains:
        gaps = sorted(pdf.lines[b].top - pdf.lines[a].bottom for a, b in itertools.pairwise(chain))
        usual = gaps[len(gaps) // 2] if gaps else 0.0
        for k, li in enumerate(chain):
            line = pdf.lines[li]
            if k and line.top - pdf.lines[chain[k - 1]].bottom > usual + 0.4 * line.size:
                block += 1
            s = skel(line.text)
            spans[li] = (pos, pos + len(s))
            block_of[li] = block
            block_chars[block] += len(s)
            parts.append(s)
            line_of.extend([li] * len(s))
            pos += len(s)
            if k + 1 < len(chain):
                nxt[li] = chain[k + 1]
        parts.append("\0")
        line_of.append(-1)
        pos += 1
        block += 1
    text = "".join(parts)
    grams: dict[str, list[int]] = defaultdict(list)
    for i in range(len(text) - GRAM + 1):
        g = text[i : i + GRAM]
        if "\0" not in g:
            grams[g].append(i)
    return _Stream(text, line_of, spans, nxt, block_of, dict(block_chars), grams)


def _places(
    index: int, booked: str, st: _Stream, grams: dict[str, list[int]] | None = None
) -> list[_Place]:
    """Every place in the stream where this skeleton may be printed, scored by its pieces.

    Each three-character piece of the booked text found in the stream votes for where the
    ad would start (its stream position minus its place in the ad). Votes close together
    form a place; inside it each piece keeps only the vote nearest the place's middle, so
    a phrase repeated in the next ad ("联系电话") cannot stretch the place into that ad.
    """
    n = len(booked)
    if n == 0:
        return []
    q = min(GRAM, n)
    grams = st.grams if grams is None else grams
    votes: list[tuple[int, int, int]] = []  # (estimated start, piece, stream position)
    # every other piece votes (each still overlaps the next), and the last one always
    starts = sorted({*range(0, n - q + 1, 2), n - q})
    for i in starts:
        hits = grams.get(booked[i : i + GRAM], []) if q == GRAM else _scan(st.text, booked)
        if len(hits) <= COMMON_GRAM:
            votes.extend((j - i, i, j) for j in hits)
    if not votes:
        return []
    votes.sort()
    tol = 6 + n // 5
    clusters: list[list[tuple[int, int, int]]] = [[votes[0]]]
    for v in votes[1:]:
        if v[0] - clusters[-1][-1][0] <= tol:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    need = ACCEPT * n
    out: list[_Place] = []
    for cl in clusters:
        if len(cl) * 2 < need:  # cannot cover enough even if every vote counts
            continue
        middle = cl[len(cl) // 2][0]
        best: dict[int, tuple[int, int]] = {}
        for est, i, j in cl:
            off = abs(est - middle)
            if i not in best or off < best[i][0]:
                best[i] = (off, j)
        by_j: dict[int, tuple[int, int]] = {}  # one stream position serves one piece
        for i, (off, j) in best.items():
            if j not in by_j or off < by_j[j][0]:
                by_j[j] = (off, i)
        best = {i: (off, j) for j, (off, i) in by_j.items()}
        covered: set[int] = set()
        for i in best:
            covered.update(range(i, i + q))
        if len(covered) < need:
            continue
        lo = min(j for _, j in best.values())
        hi = max(j for _, j in best.values()) + q
        place = _place_at(index, st, lo, hi, n, len(covered), n - 1 - max(covered))
        if place is not None:
            out.append(place)
    return _distinct(out)


def _place_at(
    index: int, st: _Stream, lo: int, hi: int, n: int, matched: int, suffix_lost: int
) -> _Place | None:
    """The whole lines holding stream positions lo..hi, as a place of booking ``index``."""
    lines = _in_stream_order({li for li in st.line_of[lo:hi] if li >= 0}, st)
    if not lines:
        return None
    blocks = {st.line_block[li] for li in lines}
    printed = sum(st.block_chars[b] for b in blocks)
    return _Place(
        booking=index,
        start=st.line_span[lines[0]][0],
        end=st.line_span[lines[-1]][1],
        lines=tuple(lines),
        score=matched / n,
        matched=matched,
        suffix_lost=suffix_lost,
        purity=matched / printed if printed else 0.0,
    )


def _distinct(places: list[_Place]) -> list[_Place]:
    """Best first; a place sharing a line with a better one is the same place found twice."""
    places.sort(key=_rank)
    used: set[int] = set()
    kept: list[_Place] = []
    for p in places:
        if not used.intersection(p.lines):
            kept.append(p)
            used.update(p.lines)
    return kept


def _exact_places(index: int, booked: str, st: _Stream) -> list[_Place]:
    """Where the booked skeleton stands in print character for character (the usual case)."""
    if not booked:
        return []
    out = []
    for at in _scan(st.text, booked):
        place = _place_at(index, st, at, at + len(booked), len(booked), len(booked), 0)
        if place is not None:
            out.append(place)
    return _distinct(out)


def _rank(p: _Place) -> tuple[float, float, int]:
    return (-round(p.score, 3), -round(min(p.purity, 1.0), 3), -p.matched)


def _scan(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def _in_stream_order(lines: Iterable[int], st: _Stream) -> list[int]:
    return sorted(lines, key=lambda li: st.line_span[li][0])


def reconcile(
    pdf: PdfText, bookings: Sequence[Booking], date: dt.date, chrome: Sequence[str] = ()
) -> Report:
    """Match ``bookings`` against the printed text; ``chrome`` lists the section's own words
    (section and paper name, category headings, hotlines) that are never an extra ad."""
    st = _stream(pdf)
    skels = [skel(b.text) for b in bookings]
    taken: dict[int, int] = {}  # line → booking index
    assigned: dict[int, list[_Place]] = defaultdict(list)

    def hand_out(candidates: list[_Place], first_round: bool) -> None:
        for p in sorted(candidates, key=_rank):
            if p in assigned[p.booking] or (first_round and assigned[p.booking]):
                continue
            if not first_round and not _reprint(bookings[p.booking], p, st):
                continue
            if any(li in taken for li in p.lines):
                continue
            assigned[p.booking].append(p)
            for li in p.lines:
                taken[li] = p.booking

    # 1. ads printed character for character; 2. the rest, by their pieces; 3. second
    # printings, looked for only among the lines nobody has claimed
    exact = [p for k, s in enumerate(skels) for p in _exact_places(k, s, st)]
    hand_out(exact, True)
    rest = [k for k in range(len(bookings)) if not assigned[k]]
    hand_out([p for k in rest for p in _places(k, skels[k], st)], True)
    free = _free_grams(st, taken)
    again = [p for k, s in enumerate(skels) if assigned[k] for p in _places(k, s, st, free)]
    hand_out(exact + again, False)
    _attach_cut_tails(assigned, st, taken, pdf, chrome)
    report = Report(
        date=date, pages=pdf.pages, bookings=list(bookings), page_sizes=list(pdf.page_sizes)
    )
    for k, b in enumerate(bookings):
        places = sorted(assigned.get(k, []), key=lambda p: p.start)
        if not places:
            report.missing.append(b.id)
            continue
        first = min(places, key=_rank)
        alterations, title_gone = _compare(
            b, skels[k], st.text[first.start : first.end], pdf, first
        )
        report.found.append(
            Found(
                id=b.id,
                box=_box(pdf, first.lines, title_above=title_gone),
                printed="\n".join(pdf.lines[li].text for li in first.lines),
                title_not_text=title_gone,
            )
        )
        report.altered.extend(alterations)
        if len(places) > 1:
            report.duplicated.append(b.id)
    report.extra = _extras(pdf, st, taken, chrome)
    return report


def _free_grams(st: _Stream, taken: dict[int, int]) -> dict[str, list[int]]:
    """The pieces index restricted to lines no ad has claimed."""
    out: dict[str, list[int]] = defaultdict(list)
    for li, (a, b) in st.line_span.items():
        if li in taken:
            continue
        for i in range(a, b - GRAM + 1):
            out[st.text[i : i + GRAM]].append(i)
    return out


def _reprint(b: Booking, p: _Place, st: _Stream) -> bool:
    """A second place is this ad printed again only if it is close and carries its numbers
    (a look-alike with another phone is somebody else's ad)."""
    printed = st.text[p.start : p.end]
    return p.score >= REPRINT and all(phone_digits(d) in printed for d in b.phones)


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
        ops = _digit_diff(d, seen)
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


def _digit_diff(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    """Two numbers of one length compare digit by digit (1883525[5→6]555), else as text."""
    if len(a) != len(b) or not b:
        return _diff(a, b)
    out: list[tuple[str, str, str]] = []
    for x, y in zip(a, b, strict=True):
        tag = "equal" if x == y else "replace"
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1] + x, out[-1][2] + y)
        else:
            out.append((tag, x, y))
    return tuple(out)


def _diff(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (tag, a[i1:i2], b[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    )


def _box(pdf: PdfText, lines: Sequence[int], title_above: bool = False) -> Box:
    """The ad's box on its first page; with room above for a title set as an image."""
    ls = [pdf.lines[i] for i in lines]
    page = ls[0].page
    ls = [x for x in ls if x.page == page]
    x0 = min(x.x0 for x in ls)
    y0 = min(x.top for x in ls)
    if title_above:
        y0 = max(0.0, y0 - 1.6 * ls[0].size)
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
        in_section = any(li in taken for li in chain)  # a column holding booked ads
        for li in [*chain, -1]:
            row = pdf.lines[li] if li >= 0 else None
            if (
                row is not None
                and li not in taken
                and (in_section or inside(row))
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
