"""Chinese line breaking: unbreakable runs (phones, Latin words, numbers), 避头尾, justification.

Pure Python: widths come from a function, so the rules are tested without fonts.
"""

from __future__ import annotations

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
    """
    adv = advances(text)
    runs = atoms(text, keep)
    lines: list[list[Atom]] = []
    current: list[Atom] = []
    used = 0.0
    pending_space: Atom | None = None
    for atom in runs:
        if atom.space:
            if current:
                pending_space = atom
            continue
        w = sum(adv[atom.start : atom.end])
        space_w = sum(adv[pending_space.start : pending_space.end]) if pending_space else 0.0
        if current and used + space_w + w - _hang(text, atom.end, adv) > width + 1e-6:
            lines.append(current)
            current, used = [], 0.0
            space_w = 0.0
        elif pending_space is not None and current:
            current.append(pending_space)
            used += space_w
        pending_space = None
        if w - _hang(text, atom.end, adv) > width + 1e-6 and not current:
            *whole, rest = _split_wide(text, atom, adv, width)
            lines.extend([piece] for piece in whole)
            current, used = [rest], sum(adv[rest.start : rest.end])
            continue
        current.append(atom)
        used += w
    if current or not lines:
        lines.append(current)
    out: list[Line] = []
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        out.append(_place(text, line, adv, width, justify and not last, max_stretch * size, last))
    return out


def _hang(text: str, end: int, adv: list[float]) -> float:
    """Blank that a run ending at ``end`` may leave beyond the line's end."""
    return adv[end - 1] / 2 if end and text[end - 1] in HANGING else 0.0


def _split_wide(text: str, atom: Atom, adv: list[float], width: float) -> list[Atom]:
    """Cut a run wider than the line, keeping 避头尾 where the run allows it."""
    pieces: list[Atom] = []
    start, used = atom.start, 0.0
    i = atom.start
    while i < atom.end:
        if i > start and used + adv[i] > width + 1e-6:
            cut = i
            while cut > start + 1 and (text[cut] in NO_START or text[cut - 1] in NO_END):
                cut -= 1
            if text[cut] in NO_START or text[cut - 1] in NO_END:
                cut = i  # nowhere better: break where the line is full
            pieces.append(Atom(start, cut))
            start, used, i = cut, 0.0, cut
            continue
        used += adv[i]
        i += 1
    pieces.append(Atom(start, atom.end))
    return pieces


def _place(
    text: str,
    line: list[Atom],
    adv: list[float],
    width: float,
    justify: bool,
    max_stretch: float,
    last: bool,
) -> Line:
    natural = sum(sum(adv[a.start : a.end]) for a in line)
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
    x = 0.0
    for k, atom in enumerate(line):
        if k:
            x += extra
        for i in range(atom.start, atom.end):
            chars.append(text[i])
            xs.append(x)
            x += adv[i]
    return Line("".join(chars), tuple(xs), natural, last)
