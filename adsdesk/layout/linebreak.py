"""Chinese line breaking: unbreakable runs (phones, Latin words, numbers), 避头尾, justification.

Pure Python: widths come from a function, so the rules are tested without fonts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# 避头: may not begin a line (GB/T 15834 closing marks, and their half-width forms).
NO_START = frozenset("，。、；：？！）」』》〉】〕〗｝］’”…‥—～·・々〃％‰℃°′″,.;:?!)]}%")
# 避尾: may not end a line.
NO_END = frozenset("（「『《〈【〔〖｛［‘“([{￥$£#")
_WORD_RE = re.compile(
    r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+(?:[.\-/:'’+_@&·．－／][A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+)*%?"
)
_REPEATS = "…—‥"  # ……, —— are one mark and never split
# Full-width closing marks whose ink sits in the left half: at the end of a line their blank
# right half is not counted (行末点号压缩), so "0352-5393120，" fits where the number does.
HANGING = frozenset("，。、；：）」』》〉】〕〗｝］”’")
# Full-width opening marks whose ink sits in the right half: at the start of a line one may be
# set at half width (its blank left half hangs before the line, 行首点号压缩) when that is what
# lets its run fit, so "（18911267373" need not break inside the number.
HALF_AT_START = frozenset("（「『《〈【〔〖｛［“‘")

WidthFn = Callable[[str], list[float]]  # advances of each character, in points


@dataclass(frozen=True)
class Atom:
    """A run that is never broken: start/end index the paragraph text."""

    start: int
    end: int
    space: bool = False


@dataclass(frozen=True)
class Line:
    """One set line: its text and the x of every character from the line's start (pt)."""

    text: str
    xs: tuple[float, ...]
    width: float  # natural width before justification (a hanging mark's blank half left out)
    last: bool  # last line of its paragraph


def atoms(text: str, keep: Sequence[tuple[int, int]] = ()) -> list[Atom]:
    """Split a paragraph into unbreakable runs; ``keep`` spans (phone numbers) stay whole."""
    raw: list[Atom] = []
    keep_at = {start: end for start, end in keep if end > start}
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if i in keep_at:
            end = keep_at[i]
            raw.append(Atom(i, end))
            i = end
            continue
        if ch == " ":
            j = i
            while j < n and text[j] == " " and j not in keep_at:
                j += 1
            raw.append(Atom(i, j, space=True))
            i = j
            continue
        m = _WORD_RE.match(text, i)
        if m is not None:
            end = m.end()
            for start in keep_at:  # a word never swallows the start of a phone
                if i < start < end:
                    end = start
            raw.append(Atom(i, end))
            i = end
            continue
        if ch in _REPEATS:
            j = i
            while j < n and text[j] == ch:
                j += 1
            raw.append(Atom(i, j))
            i = j
            continue
        raw.append(Atom(i, i + 1))
        i += 1
    return _glue(text, raw)


def _glue(text: str, raw: list[Atom]) -> list[Atom]:
    """Join closing marks to the run before them and opening marks to the run after them."""
    out: list[Atom] = []
    pending_open: int | None = None  # start of opening marks waiting for their run
    for atom in raw:
        if atom.space:
            if pending_open is None:  # "（ 微": the mark stays with what follows anyway
                out.append(atom)
            continue
        if text[atom.start] in NO_START and pending_open is None:
            while out and out[-1].space and len(out) > 1:  # "abc ，": glue across the space
                out.pop()
            if out and not out[-1].space:
                atom = Atom(out.pop().start, atom.end)
        if pending_open is not None:
            atom = Atom(pending_open, atom.end)
            pending_open = None
        if text[atom.end - 1] in NO_END:
            pending_open = atom.start
            continue
        out.append(atom)
    if pending_open is not None:
        out.append(Atom(pending_open, len(text)))
    return out


def break_lines(
    text: str,
    width: float,
    advances: WidthFn,
    keep: Sequence[tuple[int, int]] = (),
    *,
    justify: bool = True,
    max_stretch: float = 0.2,
    size: float = 9.0,
) -> list[Line]:
    """Set one paragraph into lines no wider than ``width`` points.

    Lines break only between runs; a full line is justified by spreading the slack over
    its break points (at most ``max_stretch`` em each, else it stays ragged); the last line
    of the paragraph is set flush left. A single run wider than the line (a 30-letter web
    address in a narrow column) is the one case broken inside, character by character.

    A run glued around a phone number ("（18911267373）") that is wider than the line is
    resolved in this order, phone first because a wrong digit costs the advertiser a re-run:

    1. a ``keep`` span (phone) that fits on a line by itself is never split;
    2. 标点挤压: the run's opening mark, at the start of the line, is set at half width;
    3. if the run still does not fit, it is cut at the phone's edges (``_free_keeps``): the
       opening mark ends the line before, even if that breaks 避尾, and only if the phone and
       its closing marks still do not fit does the closing mark begin the next line (避头).
       An opening mark that does not fit on the line before takes that line's last run
       down with it ("…价格面" / "议（" / "18911267373）"); it stands alone on a line only
       when it opens the paragraph or the line before holds a single run.
    """
    adv = advances(text)
    runs = _free_keeps(text, atoms(text, keep), keep, adv, width)
    lines: list[tuple[list[Atom], float]] = []  # runs of a line, its opening mark's squeeze
    current: list[Atom] = []
    used = 0.0
    squeeze = 0.0
    pending_space: Atom | None = None
    for atom in runs:
        if atom.space:
            if current:
                pending_space = atom
            continue
        w = sum(adv[atom.start : atom.end])
        hang = _hang(text, atom.end, adv)
        space_w = sum(adv[pending_space.start : pending_space.end]) if pending_space else 0.0
        if current and used + space_w + w - hang > width + 1e-6:
            carried = _carry(text, current, adv, atom, space_w + w - hang, width)
            lines.append((current, squeeze))
            current, squeeze = carried, 0.0
            used = sum(sum(adv[a.start : a.end]) for a in current)
        if pending_space is not None and current:
            current.append(pending_space)
            used += space_w
        pending_space = None
        if not current and w - hang > width + 1e-6:
            squeeze = _squeeze(text, atom.start, adv)
            if w - hang - squeeze > width + 1e-6:
                squeeze = 0.0
                *whole, rest = _split_wide(text, atom, adv, width)
                lines.extend(([piece], 0.0) for piece in whole)
                current, used = [rest], sum(adv[rest.start : rest.end])
                continue
            used -= squeeze
        current.append(atom)
        used += w
    if current or not lines:
        lines.append((current, squeeze))
    out: list[Line] = []
    for number, (line, squeezed) in enumerate(lines):
        last = number == len(lines) - 1
        out.append(
            _place(text, line, adv, width, justify and not last, max_stretch * size, last, squeezed)
        )
    return out


def _squeeze(text: str, start: int, adv: list[float]) -> float:
    """Blank that a run starting at ``start`` may leave before the line's start."""
    return adv[start] / 2 if text[start] in HALF_AT_START else 0.0


def _fits(text: str, start: int, end: int, adv: list[float], width: float) -> bool:
    """Whether ``text[start:end]`` fits on a line of its own (squeezed and hung if need be)."""
    w = sum(adv[start:end]) - _hang(text, end, adv) - _squeeze(text, start, adv)
    return w <= width + 1e-6


def _free_keeps(
    text: str,
    runs: list[Atom],
    keep: Sequence[tuple[int, int]],
    adv: list[float],
    width: float,
) -> list[Atom]:
    """Cut a run at its phone's edges when the run fits on no line but the phone does.

    Before the phone first ("（" | "18911267373）"); after it too only when the phone and its
    closing marks still do not fit. Blanks at a cut become spaces, so no line starts or ends
    with one.
    """
    out: list[Atom] = []
    for run in runs:
        span = next(
            (
                (s, e)
                for s, e in keep
                if run.start <= s < e <= run.end and (s, e) != (run.start, run.end)
            ),
            None,
        )
        if (
            run.space
            or span is None
            or _fits(text, run.start, run.end, adv, width)
            or not _fits(text, span[0], span[1], adv, width)
        ):
            out.append(run)
            continue
        start, end = span
        cuts = [start]
        if not _fits(text, start, run.end, adv, width):
            cuts.append(end)
        bounds = [run.start, *cuts, run.end]
        for a, b in itertools.pairwise(bounds):
            out.extend(_with_spaces(text, a, b))
    return out


def _with_spaces(text: str, start: int, end: int) -> list[Atom]:
    """``text[start:end]`` as one run, blanks at either edge split off as spaces."""
    lo, hi = start, end
    while lo < hi and text[lo] == " ":
        lo += 1
    while hi > lo and text[hi - 1] == " ":
        hi -= 1
    out = [Atom(start, lo, space=True)] if lo > start else []
    if hi > lo:
        out.append(Atom(lo, hi))
    if end > hi:
        out.append(Atom(hi, end, space=True))
    return out


def _carry(
    text: str, current: list[Atom], adv: list[float], atom: Atom, need: float, width: float
) -> list[Atom]:
    """Runs taken from the end of a full line down with an opening mark that cannot end it.

    Only a run cut off before a phone (or a paragraph's last mark) ends with an opening mark;
    rather than let it stand alone on a line, the line's last run comes down with it (the
    usual 避尾 remedy). ``current`` loses what is returned; ``need`` is the mark's width
    with the space before it.
    """
    if text[atom.end - 1] not in NO_END:
        return []
    words = [a for a in current if not a.space]
    if len(words) < 2:
        return []
    last = words[-1]
    if sum(adv[last.start : last.end]) + need > width + 1e-6:
        return []
    while current[-1] is not last:
        current.pop()
    current.pop()
    while current and current[-1].space:
        current.pop()
    return [last]


def _hang(text: str, end: int, adv: list[float]) -> float:
    """Blank that a run ending at ``end`` may leave beyond the line's end."""
    return adv[end - 1] / 2 if end and text[end - 1] in HANGING else 0.0


def _split_wide(text: str, atom: Atom, adv: list[float], width: float) -> list[Atom]:
    """Cut a run wider than the line, keeping 避头尾 where the run allows it.

    A run glued across a blank ("abc ，") may be cut at the blank: the blank is dropped
    like any blank at a break, so no piece begins or ends with one.
    """
    pieces: list[Atom] = []
    start, used = atom.start, 0.0
    i = atom.start
    while i < atom.end:
        if i > start and used + adv[i] > width + 1e-6:
            cut = i
            while cut > start + 1 and not _may_cut(text, start, cut, atom.end):
                cut -= 1
            if not _may_cut(text, start, cut, atom.end):
                cut = i  # nowhere better: break where the line is full
            end = cut
            while text[end - 1] == " ":
                end -= 1
            pieces.append(Atom(start, end))
            while cut < atom.end and text[cut] == " ":
                cut += 1
            start, used, i = cut, 0.0, cut
            continue
        used += adv[i]
        i += 1
    if start < atom.end or not pieces:
        pieces.append(Atom(start, atom.end))
    return pieces


def _may_cut(text: str, start: int, cut: int, end: int) -> bool:
    """Whether a run may be cut at ``cut`` under 避头尾, looking past blanks at the cut."""
    before, after = cut - 1, cut
    while before > start and text[before] == " ":
        before -= 1
    while after < end - 1 and text[after] == " ":
        after += 1
    return text[before] not in NO_END and text[after] not in NO_START


def _place(
    text: str,
    line: list[Atom],
    adv: list[float],
    width: float,
    justify: bool,
    max_stretch: float,
    last: bool,
    squeeze: float = 0.0,
) -> Line:
    """Positions of a line's characters; a half-width opening mark starts at ``-squeeze``."""
    natural = sum(sum(adv[a.start : a.end]) for a in line) - squeeze
    if line:
        natural -= _hang(text, line[-1].end, adv)
    gaps = len(line) - 1
    extra = 0.0
    if justify and gaps > 0 and width - natural > 1e-6:
        extra = (width - natural) / gaps
        if extra > max_stretch:
            extra = 0.0
    chars: list[str] = []
    xs: list[float] = []
    x = -squeeze
    for k, atom in enumerate(line):
        if k:
            x += extra
        for i in range(atom.start, atom.end):
            chars.append(text[i])
            xs.append(x)
            x += adv[i]
    return Line("".join(chars), tuple(xs), natural, last)
