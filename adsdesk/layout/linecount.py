"""How many lines an ad takes in the column, cheaply enough to redo on every keystroke."""

from __future__ import annotations

from bisect import bisect_right

from adsdesk.layout.blocks import BODY_FACE, TITLE_FACE, clean_paragraphs, set_paragraph
from adsdesk.layout.geometry import ColumnSettings

RESTART_BACK = 2  # lines set again before the one holding the edit (避头尾 may pull a run back)


def _common(a: str, b: str) -> int:
    """Length of the common prefix of two strings."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _starts(text: str, base: int, lines: list[str]) -> list[int] | None:
    """Offsets in ``text`` where each set line starts (lines never begin with a space)."""
    out = []
    pos = base
    for line in lines:
        found = text.find(line, pos) if line else pos
        if found < 0:
            return None
        out.append(found)
        pos = found + len(line)
    return out


class ParagraphLines:
    """One paragraph's line count, kept up to date as it is edited.

    Line breaking is greedy: a line's end depends only on the text up to the run after it.
    So after an edit the lines well before it stay as they were, and only the text from a
    couple of lines before the first changed character is set again."""

    def __init__(self, width: float, face: str, size: float, area_code: str) -> None:
        self.width, self.face, self.size, self.area_code = width, face, size, area_code
        self._text = ""
        self._starts: list[int] = []

    def _set(self, text: str) -> list[str]:
        lines = set_paragraph(
            text, self.width, self.face, self.size, area_code=self.area_code, justify=False
        )
        return [line.text for line in lines]

    def count(self, text: str) -> int:
        if text == self._text and self._starts:
            return len(self._starts)
        starts = self._recount(text) if self._starts else None
        if starts is None:
            starts = _starts(text, 0, self._set(text))
        if starts is None:  # could not follow the lines back into the text: count afresh
            self._text, self._starts = "", []
            return len(self._set(text))
        self._text, self._starts = text, starts
        return len(starts)

    def _recount(self, text: str) -> list[int] | None:
        """Set only the lines around the edit: from two lines before it to the first old
        line after it that starts at the same place (shifted by the edit) as before."""
        old, old_starts = self._text, self._starts
        same = _common(text, old)
        room = min(len(text), len(old)) - same
        tail = _common(text[::-1][:room], old[::-1][:room])
        delta = len(text) - len(old)
        keep = max(0, bisect_right(old_starts, same) - 1 - RESTART_BACK)
        if keep == 0:
            base = 0
        else:
            base = old_starts[keep]
        edit_end = len(old) - tail
        after = bisect_right(old_starts, edit_end)  # first old line starting after the edit
        stop = after + RESTART_BACK
        if stop < len(old_starts):
            end = old_starts[stop] + delta
            seg = _starts(text, base, self._set(text[base:end]))
            if seg is not None and seg[-1] == old_starts[stop - 1] + delta:
                return old_starts[:keep] + seg + [x + delta for x in old_starts[stop:]]
        if base == 0:
            return None
        rest = _starts(text, base, self._set(text[base:]))
        return old_starts[:keep] + rest if rest is not None else None


class ColumnLineCounter:
    """Lines of an ad's title and body as the layout engine sets them at the column width."""

    def __init__(self, settings: ColumnSettings, area_code: str) -> None:
        self.settings = settings
        self.area_code = area_code
        self._title: list[ParagraphLines] = []
        self._body: list[ParagraphLines] = []

    def _count(
        self, paragraphs: list[str], counters: list[ParagraphLines], face: str, size: float
    ) -> int:
        while len(counters) < len(paragraphs):
            counters.append(ParagraphLines(self.settings.text_width_pt, face, size, self.area_code))
        return sum(c.count(p) for c, p in zip(counters, paragraphs, strict=False))

    def lines(self, title: str, body: str) -> int:
        s = self.settings
        return self._count(
            clean_paragraphs(title), self._title, TITLE_FACE, s.title_size_pt
        ) + self._count(clean_paragraphs(body), self._body, BODY_FACE, s.body_size_pt)


def column_lines(title: str, body: str, settings: ColumnSettings, area_code: str) -> int:
    """Lines of title and body set afresh (what the counter must always agree with)."""
    width = settings.text_width_pt
    n = 0
    for face, size, text in (
        (TITLE_FACE, settings.title_size_pt, title),
        (BODY_FACE, settings.body_size_pt, body),
    ):
        for p in clean_paragraphs(text):
            n += len(set_paragraph(p, width, face, size, area_code=area_code, justify=False))
    return n
